"""Time to skill: MetaRL's RL² trainer and the PyTorch peer (bench/peers/rl2_ppo_peer.py), one after the other on the
same machine, the same recipe and the same task law, each evaluated on held-out tasks as it trains.

For every seed: `metarl train CONFIG --set seed=S --set eval.every=E` (held-out score every E updates on eval.trials
test tasks, sampled actions, off the training clock), then the peer with the config's recipe (model.hidden, ppo.*,
population.agents trials an update, updates) and the same held-out protocol every --peer-eval-seconds of its
training. Both stop at --minutes of training. The reference is the best classical baseline on the task law, Gittins,
scored by `metarl baselines` on --reference-trials test tasks (the same number for both trainers, since each is
scored on its own held-out tasks). Printed per seed and as medians over the seeds: training seconds to 90, 95 and 97 %
of the reference (the first evaluation at or above it), the final held-out score, and ours / peer
(a bound, "< x", where most of our runs got there and most of the peer's did not within their minutes). The curves
(score against training seconds) go to OUT/curves.csv; each run's output stays in OUT.

Run it through bench/time-to-skill.sh (builds the CLI first). Nothing else should run on the machine meanwhile.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
METARL = os.path.join(ROOT, "src/Host/bin/Release/net10.0/metarl")
PEER = os.path.join(ROOT, "bench/peers/rl2_ppo_peer.py")
FRACTIONS = (0.90, 0.95, 0.97)

# PpoOptions' and ModelOptions' defaults, for keys a config leaves out (src/Policies/Algorithms/PpoOptions.cs, ModelOptions.cs).
PPO_DEFAULTS = {"gamma": 0.99, "lambda": 0.3, "rewardScale": 1, "clip": 0.1, "valueCoef": 0.5, "entropyCoef": 0.01, "entropyCoefEnd": None,
                "epochs": 4, "minibatches": 4, "learningRate": 1e-3, "learningRateSchedule": "Constant", "maxGradNorm": 0.5}


def apply_set(config, assignment):
    """`key.sub=value` as `metarl train --set` takes it (numbers and true/false parsed, the rest kept as text)."""
    key, _, text = assignment.partition("=")
    value = text
    for parse in (int, float):
        try:
            value = parse(text)
            break
        except ValueError:
            pass
    if text in ("true", "false"):
        value = text == "true"
    node = config
    parts = key.split(".")
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def peer_args(config):
    ppo = {**PPO_DEFAULTS, **config.get("ppo", {})}
    population = config.get("population", {})
    unsupported = [k for k in ("rewardSignal",) if ppo.get(k, "Sampled") != "Sampled"]
    if config.get("env", {}).get("name") != "bernoulli-bandit" or unsupported or config.get("model", {}).get("type", "Gru") != "Gru":
        sys.exit("time-to-skill: the peer trains RL² GRUs on bernoulli-bandit with sampled rewards only")
    args = ["--arms", str(config["env"].get("arms", 5)), "--pulls", str(config.get("episodesPerTrial") or 100),
            "--hidden", str(config.get("model", {}).get("hidden", 256)),
            "--trials-per-update", str(population.get("trialsPerUpdate") or population.get("agents", 256)),
            "--updates", str(config.get("updates", 200)),
            "--gamma", str(ppo["gamma"]), "--lambda", str(ppo["lambda"]), "--clip", str(ppo["clip"]), "--value-coef", str(ppo["valueCoef"]),
            "--entropy-coef", str(ppo["entropyCoef"]), "--epochs", str(ppo["epochs"]), "--minibatches", str(ppo["minibatches"]),
            "--lr", str(ppo["learningRate"]), "--lr-schedule", ppo["learningRateSchedule"].lower(), "--max-grad-norm", str(ppo["maxGradNorm"]),
            "--reward-scale", str(ppo["rewardScale"])]
    if ppo["entropyCoefEnd"] is not None:
        args += ["--entropy-coef-end", str(ppo["entropyCoefEnd"])]
    return args


def reference(config, trials):
    env = config["env"]
    out = subprocess.run([METARL, "baselines", "--env", "bernoulli-bandit", "--arms", str(env.get("arms", 5)), "--pulls",
                          str(config.get("episodesPerTrial") or 100), "--trials", str(trials), "--split", "test", "--json"],
                         check=True, capture_output=True, text=True).stdout
    rows = [r for r in json.loads(out)["results"] if "oracle" not in r["policy"].lower()]
    best = max(rows, key=lambda r: r["mean"])
    return best["policy"], best["mean"], best["stderr"]


def ours_curve(metrics):
    with open(metrics) as f:
        return [(float(r["seconds"]), int(r["update"]), float(r["eval_mean"]), float(r["eval_stderr"]))
                for r in csv.DictReader(f) if r["eval_mean"]]


def peer_curve(path):
    with open(path) as f:
        return [(float(r["seconds"]), int(r["update"]), float(r["eval_mean"]), float(r["eval_stderr"])) for r in csv.DictReader(f)]


def first_at(curve, target):
    return next((s for s, _, mean, _ in curve if mean >= target), None)


def fmt(x, unit=""):
    return "—" if x is None else f"{x:.0f}{unit}"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default=os.path.join(ROOT, "config/bandits-k5-n100.json"))
    p.add_argument("--set", action="append", default=[], help="key=value for both trainers, as metarl train --set")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--minutes", type=float, default=8, help="training minutes of each run (evaluations excluded)")
    p.add_argument("--eval-every", type=int, default=25, help="ours: updates between evaluations")
    p.add_argument("--peer-eval-seconds", type=float, default=10, help="the peer: training seconds between evaluations")
    p.add_argument("--eval-trials", type=int, default=2000)
    p.add_argument("--reference-trials", type=int, default=20000)
    p.add_argument("--only", choices=["ours", "peer"], help="run one side only (the other's columns stay empty)")
    p.add_argument("--out", default="/tmp/time-to-skill")
    p.add_argument("--summarize", action="store_true", help="run nothing: print the tables of the curves an earlier run left in --out")
    a = p.parse_args()

    with open(a.config) as f:
        config = json.load(f)
    for s in a.set:
        apply_set(config, s)
    os.makedirs(a.out, exist_ok=True)
    if a.summarize:
        summarize(a, *read_curves(os.path.join(a.out, "curves.csv")))
        return
    name, ref, ref_se = reference(config, a.reference_trials)
    print(f"time to skill: {os.path.relpath(a.config, ROOT)} {' '.join(a.set)}; reference {name} {ref:.2f} ± {ref_se:.2f} "
          f"({a.reference_trials} test tasks); {a.minutes:g} training minutes a run; {os.cpu_count()} CPUs", flush=True)
    seeds = [int(s) for s in a.seeds.split(",")]
    results = {"ours": {}, "peer": {}}
    for seed in seeds:
        if a.only != "peer":
            run = f"tts-ours-{seed}"
            cmd = [METARL, "train", a.config, "--runs", os.path.join(a.out, "runs"), "--overwrite", "--set", f"name={run}", "--set", f"seed={seed}",
                   "--set", f"eval.every={a.eval_every}", "--set", f"eval.trials={a.eval_trials}", "--set", f"maxMinutes={a.minutes}"]
            for s in a.set:
                cmd += ["--set", s]
            started = time.monotonic()
            with open(os.path.join(a.out, f"{run}.log"), "w") as log:
                subprocess.run(cmd, check=True, stdout=log, stderr=subprocess.STDOUT)
            results["ours"][seed] = ours_curve(os.path.join(a.out, "runs", run, "metrics.csv"))
            print(f"  ours seed {seed}: {len(results['ours'][seed])} evaluations, {time.monotonic() - started:.0f} s wall", flush=True)
        if a.only != "ours":
            out = os.path.join(a.out, f"peer-{seed}.csv")
            cmd = ["/usr/bin/python3", PEER, "--seed", str(seed), "--max-seconds", str(a.minutes * 60), "--eval-every-seconds", str(a.peer_eval_seconds),
                   "--eval-trials", str(a.eval_trials), "--out", out] + peer_args(config)
            started = time.monotonic()
            with open(os.path.join(a.out, f"peer-{seed}.log"), "w") as log:
                subprocess.run(cmd, check=True, stdout=log, stderr=subprocess.STDOUT)
            results["peer"][seed] = peer_curve(out)
            print(f"  peer seed {seed}: {len(results['peer'][seed])} evaluations, {time.monotonic() - started:.0f} s wall", flush=True)

    with open(os.path.join(a.out, "curves.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["trainer", "seed", "seconds", "update", "eval_mean", "eval_stderr", "of_reference", "reference"])
        for trainer, by_seed in results.items():
            for seed, curve in by_seed.items():
                for s, u, m, se in curve:
                    w.writerow([trainer, seed, f"{s:.1f}", u, f"{m:.3f}", f"{se:.3f}", f"{m / ref:.4f}", f"{name} {ref:.3f}"])
    summarize(a, results, seeds, name, ref)


def read_curves(path):
    results, seeds = {"ours": {}, "peer": {}}, []
    name, ref = "", 0.0
    with open(path) as f:
        for r in csv.DictReader(f):
            seed = int(r["seed"])
            results[r["trainer"]].setdefault(seed, []).append((float(r["seconds"]), int(r["update"]), float(r["eval_mean"]), float(r["eval_stderr"])))
            if seed not in seeds:
                seeds.append(seed)
            name, _, value = r["reference"].rpartition(" ")
            ref = float(value)
    return results, seeds, name, ref


def summarize(a, results, seeds, name, ref):
    def figures(trainer, seed):
        curve = results[trainer].get(seed)
        if not curve:
            return None
        return [first_at(curve, f * ref) for f in FRACTIONS] + [curve[-1][2], curve[-1][1], curve[-1][0] / max(1, curve[-1][1]), curve[-1][0]]

    print()
    print("| seed | trainer | " + " | ".join(f"s to {f * 100:.0f} %" for f in FRACTIONS) + " | final held-out (updates) | s an update |")
    print("|---|---|" + "--:|" * (len(FRACTIONS) + 2))
    rows = {t: [figures(t, s) for s in seeds] for t in results}
    for i, seed in enumerate(seeds):
        for t in results:
            r = rows[t][i]
            if r is None:
                continue
            n = len(FRACTIONS)
            print(f"| {seed} | {t} | " + " | ".join(fmt(x) for x in r[:n]) +
                  f" | {r[n]:.2f} ({100 * r[n] / ref:.1f} % of {name}, {r[n + 1]} updates) | {r[n + 2]:.3f} |")

    def median(t, k):
        # A run that never got there counts as its length (it took at least that), so the median stays honest.
        xs = [r[-1] if r[k] is None else r[k] for r in rows[t] if r is not None]
        return statistics.median(xs) if xs else None

    print()
    n = len(FRACTIONS)
    for k, f in enumerate(FRACTIONS):
        o, q = median("ours", k), median("peer", k)
        reached = {t: sum(1 for r in rows[t] if r is not None and r[k] is not None) for t in rows}
        # Fewer than half of the runs got there: the median is "not within the runs", not a time.
        o = o if 2 * reached["ours"] > len(seeds) else None
        q_within = q if 2 * reached["peer"] > len(seeds) else None
        # Ours got there and the peer did not within its runs: its median counts the runs' lengths, so the ratio is a bound.
        ratio = f"{o / q_within:.2f}" if o and q_within else f"< {o / q:.2f}" if o and q else "—"
        q = q_within
        print(f"median seconds to {f * 100:.0f} % of {name}: ours {fmt(o)} ({reached['ours']} of {len(seeds)} reached it), "
              f"peer {fmt(q)} ({reached['peer']} of {len(seeds)}), ours/peer {ratio}")
    o, q = median("ours", n), median("peer", n)
    if o and q:
        print(f"median final held-out score: ours {o:.2f}, peer {q:.2f}")
    o, q = median("ours", n + 2), median("peer", n + 2)
    if o and q:
        print(f"median training seconds an update: ours {o:.3f}, peer {q:.3f}, ours/peer {o / q:.2f}")
    print(f"(a run that never reached a line counts as its length; — : most runs did not reach it; curves: {os.path.join(a.out, 'curves.csv')})")


if __name__ == "__main__":
    main()
