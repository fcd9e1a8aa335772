#!/usr/bin/env bash
# Builds libmetarl_torch.so with CMake into Native/build (called by MetaRL.Torch.csproj before each
# build; CMake makes it incremental). A lock keeps two builds that start at once (several
# projects, several engineers) from writing the same build tree together.
# Errors are printed in MSBuild's canonical form so that `dotnet build` shows them as errors.
# Env: TORCH_PREFIX = a libtorch or PyTorch cmake prefix (torch.utils.cmake_prefix_path) to build
# against instead of Debian's libtorch-dev.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$here/build"

fail() { echo "build.sh: error MRT0001: $*" >&2; exit 1; }

command -v cmake >/dev/null 2>&1 || fail "cmake was not found: install the Debian package cmake (apt-get install cmake g++)"
command -v c++ >/dev/null 2>&1 || fail "no C++ compiler was found: install the Debian package g++ (apt-get install g++)"
if [ -z "${TORCH_PREFIX:-}" ] && [ ! -f /usr/lib/x86_64-linux-gnu/cmake/Torch/TorchConfig.cmake ] &&
   ! ls /usr/lib/*/cmake/Torch/TorchConfig.cmake >/dev/null 2>&1; then
  fail "libtorch was not found: install the Debian package libtorch-dev (apt-get install libtorch-dev libopenblas0-pthread), or set TORCH_PREFIX to a libtorch cmake prefix"
fi

mkdir -p "$build"
exec 9>"$build/.build.lock"
flock 9

args=(-S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release)
[ -n "${TORCH_PREFIX:-}" ] && args+=("-DCMAKE_PREFIX_PATH=$TORCH_PREFIX")
if [ ! -f "$build/CMakeCache.txt" ] || [ -n "${TORCH_PREFIX:-}" ]; then
  log="$build/configure.log"
  cmake "${args[@]}" >"$log" 2>&1 || { cat "$log" >&2; fail "configuring the native shim failed (see the CMake output above)"; }
fi
jobs=$(nproc 2>/dev/null || echo 2)
if ! out=$(cmake --build "$build" -j"$jobs" 2>&1); then
  echo "$out" >&2
  fail "compiling the native shim failed (see the compiler output above)"
fi
