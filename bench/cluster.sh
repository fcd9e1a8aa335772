#!/usr/bin/env bash
# The clustering bench (docs/architecture.md §5), all on this machine's loopback, each figure from the same session:
#  - throughput of a one-node cluster (`metarl train --cluster-port`) beside the in-process population
#    (`metarl train`), same config (async), alternating, medians over --reps runs each, and their ratio;
#  - per update at 1, 2 and 3 nodes: learner wall time, gradient compute (the slowest worker's) and the
#    all-reduce's share (messages, summing, Adam), medians over the run's updates after the first 5;
#  - bytes on the wire per trial (every node's serialized bytes / trials completed);
#  - a scaling model for 4 and 16 nodes from those figures (printed last; the README quotes it): gradients shrink
#    as 1/n, the learner-centred all-reduce grows with n.
# Usage: bench/cluster.sh [--reps N] [--updates N] [--config FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=3 updates=30 config=bench/cluster/bandits.json
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --updates) updates=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    *) echo "unknown argument '$1'; expected --reps N, --updates N or --config FILE" >&2; exit 2 ;;
  esac
done
dotnet build -c Release src/Host -nologo -v q >/dev/null
metarl=src/Host/bin/Release/net10.0/metarl
work=$(mktemp -d)
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# run NAME NODES: NODES=0 is the in-process population; otherwise a seed and NODES-1 nodes.
run() {
  local name=$1 nodes=$2
  if [ "$nodes" -eq 0 ]; then
    "$metarl" train "$config" --runs "$work" --set name="$name" --set updates="$updates" >/dev/null 2>"$work/$name.err"
    return
  fi
  local p; p=$(port)
  "$metarl" train "$config" --runs "$work" --set name="$name" --set updates="$updates" --cluster-port "$p" --min-nodes "$nodes" \
    >"$work/$name.out" 2>"$work/$name.err" &
  local seed=$!
  for ((n = 1; n < nodes; n++)); do "$metarl" node --seed "127.0.0.1:$p" >/dev/null 2>&1 & done
  wait "$seed"
  wait
}

for ((r = 1; r <= reps; r++)); do
  run "inproc-$r" 0
  run "one-$r" 1
done
run two 2
run three 3

/usr/bin/python3 - "$work" "$reps" <<'PY'
import csv, statistics, sys, os
work, reps = sys.argv[1], int(sys.argv[2])
def rows(name):
    with open(os.path.join(work, name, "metrics.csv")) as f:
        return list(csv.DictReader(f))
def rate(name):  # agent-steps/s in steady state: from the 5th row to the last (start-up left out)
    r = rows(name)
    a, b = r[4], r[-1]
    return (float(b["env_steps"]) - float(a["env_steps"])) / (float(b["seconds"]) - float(a["seconds"]))
inproc = [rate(f"inproc-{r}") for r in range(1, reps + 1)]
one = [rate(f"one-{r}") for r in range(1, reps + 1)]
print(f"throughput (agent-steps/s, median of {reps}): in-process {statistics.median(inproc):,.0f}  one-node cluster {statistics.median(one):,.0f}  "
      f"ratio {statistics.median(one) / statistics.median(inproc):.2f}x (goal >= 0.9x)")
print(f"  runs: in-process {', '.join(f'{x:,.0f}' for x in inproc)}; one-node {', '.join(f'{x:,.0f}' for x in one)}")
# bytes/trial: over every trial completed (async agents play more trials than updates train on); bytes/update: per update.
print(f"{'nodes':>5} {'update s':>9} {'gradient s':>11} {'all-reduce s':>13} {'bytes/trial':>12} {'bytes/update':>13} {'steps/s':>10}")
model = {}
for nodes, name in [(1, "one-1"), (2, "two"), (3, "three")]:
    r = rows(name)[5:]
    upd = statistics.median(float(x["update_seconds"]) for x in r)
    grad = statistics.median(float(x["gradient_seconds"]) for x in r)
    red = statistics.median(float(x["allreduce_seconds"]) for x in r)
    first, last = rows(name)[0], rows(name)[-1]
    wire = float(last["wire_bytes"]) - float(first["wire_bytes"])
    per_trial = wire / max(1.0, float(last["trials"]) - float(first["trials"]))
    per_update = wire / max(1.0, float(last["update"]) - float(first["update"]))
    model[nodes] = (upd, grad, red)
    print(f"{nodes:>5} {upd:>9.3f} {grad:>11.3f} {red:>13.3f} {per_trial:>12,.0f} {per_update:>13,.0f} {rate(name):>10,.0f}")
# The model: an update's gradient work G is split over n nodes (each computes its share of every minibatch); the
# all-reduce goes through the learner (a star: every step, n parameter copies out and n gradients in, summed there),
# so it costs about b per node: b is the measured all-reduce per node at 2 and 3 nodes (an upper bound here, where
# the nodes share two cores). Then T(n) = G/n + b*n, least at n* = sqrt(G/b).
g1 = model[1][1]
b = (model[2][2] / 2 + model[3][2] / 3) / 2
print(f"scaling model: update ~ G/n + b*n with G = {g1:.3f} s (one node's gradient work), b = {b:.3f} s of all-reduce a node; "
      f"best near n* = {(g1 / b) ** 0.5:.1f} nodes")
for n in (4, 16):
    print(f"  {n:>2} nodes: learner time per update ~ {g1 / n + b * n:.3f} s ({g1 / n:.3f} s gradients + {b * n:.3f} s all-reduce); "
          f"one node: {model[1][0]:.3f} s")
print("(on 2 cores every node shares the same two cores, so these are loopback figures of an oversubscribed machine, not a speed-up)")
PY
