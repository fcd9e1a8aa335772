"""Time to skill: MetaRL's RL² trainer and the PyTorch peer (bench/peers/rl2_ppo_peer.py), one after the other on the
same machine, the same recipe and the same task law, each evaluated on held-out tasks as it trains.

For every seed: `metarl train CONFIG --set seed=S --set eval.every=E` (held-out score every E updates on eval.trials
test tasks, sampled actions, off the training clock), then the peer with the config's recipe (model.hidden, ppo.*,
population.agents trials an update, updates) and the same held-out protocol every --peer-eval-seconds of its
training. Both stop at --minutes of training. The reference is the best classical baseline on the task law, Gittins,
scored by `metarl baselines` on --reference-trials test tasks (the same number for both trainers, since each is
scored on its own held-out tasks). Printed per seed and as medians over the seeds: training seconds to 95 % and 97 %
of the reference (the first evaluation at or above it), the final held-out score, and ours / peer. The curves
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
FRACTIONS = (0.95, 0.97)

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
    a = p.parse_args()

    with open(a.config) as f:
        config = json.load(f)
    for s in a.set:
        apply_set(config, s)
    os.makedirs(a.out, exist_ok=True)
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
        w.writerow(["trainer", "seed", "seconds", "update", "eval_mean", "eval_stderr", "of_reference"])
        for trainer, by_seed in results.items():
            for seed, curve in by_seed.items():
                for s, u, m, se in curve:
                    w.writerow([trainer, seed, f"{s:.1f}", u, f"{m:.3f}", f"{se:.3f}", f"{m / ref:.4f}"])

    def figures(trainer, seed):
        curve = results[trainer].get(seed)
        if not curve:
            return None
        return [first_at(curve, f * ref) for f in FRACTIONS] + [curve[-1][2], curve[-1][1]]

    print()
    print(f"| seed | trainer | s to 95 % | s to 97 % | final held-out (updates) |")
    print(f"|---|---|--:|--:|--:|")
    rows = {t: [figures(t, s) for s in seeds] for t in results}
    for i, seed in enumerate(seeds):
        for t in results:
            r = rows[t][i]
            if r is None:
                continue
            print(f"| {seed} | {t} | {fmt(r[0])} | {fmt(r[1])} | {r[2]:.2f} ({r[2] / ref:.1%} of {name}, {r[3]} updates) |")

    def median(t, k):
        xs = [r[k] for r in rows[t] if r is not None]
        # A run that never got there counts as the run's length (at least that long), so the median stays honest.
        xs = [a.minutes * 60 if x is None else x for x in xs]
        return statistics.median(xs) if xs else None

    print()
    for k, label in ((0, "to 95 %"), (1, "to 97 %")):
        o, q = median("ours", k), median("peer", k)
        ratio = f"{o / q:.2f}" if o and q else "—"
        print(f"median seconds {label} of {name}: ours {fmt(o)}, peer {fmt(q)}, ours/peer {ratio}")
    o, q = median("ours", 2), median("peer", 2)
    print(f"median final held-out score: ours {o:.2f}, peer {q:.2f}" if o and q else "")
    print(f"(a run that never reached a line counts as its {a.minutes:g} minutes; curves: {os.path.join(a.out, 'curves.csv')})")


if __name__ == "__main__":
    main()
