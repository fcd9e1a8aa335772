#!/usr/bin/env bash
# Time to skill, MetaRL against the PyTorch peer (bench/time_to_skill.py says what and how): builds the CLI, then
# runs both trainers one after the other for each seed. Example:
#   bash bench/time-to-skill.sh --seeds 1,2,3 --minutes 8
#   bash bench/time-to-skill.sh --set model.hidden=64 --seeds 1 --only ours
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/Host/MetaRL.Host.csproj -v q -nologo > /dev/null
exec /usr/bin/python3 bench/time_to_skill.py "$@"
