#!/usr/bin/env bash
# The durable-runs bench: checkpoint save/recovery MB/s and journal rows/s on SQLite and a throwaway PostgreSQL
# cluster, and the cost of persistence on training throughput. Arguments go to the bench (--updates, --reps).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh start
trap 'postgres_stop' EXIT
dotnet run -c Release --project bench/MetaRL.Bench.Persistence -- "$@"
