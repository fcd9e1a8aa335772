#!/usr/bin/env bash
# Runs every test in the solution and ends with one summary line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The persistence tests run against SQLite and against a throwaway PostgreSQL cluster, stopped at the end.
source scripts/postgres.sh start
trap 'postgres_stop' EXIT
log=$(mktemp)
set +e
dotnet test MetaRL.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# Each test assembly prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T"; add them up.
awk -F'[:,]' '/(Passed|Failed)! +- +Failed:/ { f += $2; p += $4; s += $6 }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
