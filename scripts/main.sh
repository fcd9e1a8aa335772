#!/usr/bin/env bash
# The main job on the embedded default: meta-train RL² on Bernoulli bandits (k=5, n=100) with a population
# of agent actors, then evaluate the frozen policy on held-out and ood tasks beside the classical baselines,
# and write the run's report (runs/bandits-k5-n100/report.html and two PNG figures).
# Extra arguments go to `metarl train` (e.g. --set population.agents=512).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
metarl() { dotnet src/Host/bin/Release/net10.0/metarl.dll "$@"; }
metarl train config/bandits-k5-n100.json --overwrite "$@"
metarl eval runs/bandits-k5-n100 --trials 5000
metarl report runs/bandits-k5-n100 --png
