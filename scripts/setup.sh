#!/usr/bin/env bash
# Installs what MetaRL needs on a fresh Debian machine (root), idempotently, and builds the solution.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_dotnet
ensure_apt_packages
ensure_web_packages
build_solution
