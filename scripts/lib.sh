# Shared helpers for the set-up scripts. Sourced, not run.
# Every step is idempotent: it checks before it installs, so a second run is quick.

# Debian packages the project needs, one per line in scripts/apt-packages.txt (# comments allowed).
# apt-get update runs only when something is missing.
ensure_apt_packages() {
  local wanted missing=()
  wanted=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$(dirname "${BASH_SOURCE[0]}")/apt-packages.txt")
  for pkg in $wanted; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)" >&2
    exit 1
  fi
}

# The report's chart library, pinned by web/package-lock.json: installed with `npm ci` when node_modules is missing
# or was installed from another lock file; the Host build bundles it (web/build.mjs).
ensure_web_packages() {
  local web
  web="$(cd "$(dirname "${BASH_SOURCE[0]}")/../web" && pwd)"
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup: installing Node.js and npm from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  if ! cmp -s "$web/package-lock.json" "$web/node_modules/.installed-from-lock"; then
    echo "setup: installing the report's chart library (npm ci in web/)"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-from-lock)
  fi
}

# Restore and build the whole solution once; later steps run with --no-build.
build_solution() {
  dotnet build MetaRL.sln -c Release -nologo -v quiet -clp:ErrorsOnly "$@"
}
