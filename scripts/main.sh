#!/usr/bin/env bash
# The main job on the embedded default: the classical baselines on the RL² paper's setups.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
metarl() { dotnet src/Host/bin/Release/net10.0/metarl.dll "$@"; }
metarl baselines --env bernoulli-bandit --arms 5 --pulls 100 --trials 20000 "$@"
metarl baselines --env tabular-mdp --episodes 10 --trials 5000 "$@"
