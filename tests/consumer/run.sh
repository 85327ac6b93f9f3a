#!/usr/bin/env bash
# Builds and runs the consumer project beside this script both ways a C++ project takes
# scratchnet: from an install of BUILD_DIR (a built scratchnet) into a temporary prefix, through
# find_package; then from this source tree through add_subdirectory, which builds the library
# alone (no tool, tests or examples). Release, all cores; nothing is left behind.
#   tests/consumer/run.sh [BUILD_DIR]      (default: build)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build}
if [[ ! -f $build/CMakeCache.txt ]]; then
  echo "tests/consumer/run.sh: $build: not a configured scratchnet build folder" >&2
  exit 2
fi
build=$(cd "$build" && pwd)
jobs=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The given build's compiler and compiler launcher (ccache, say), so that both ways compile as
# it did.
cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
compiler=(-DCMAKE_CXX_COMPILER="$(cache_value CMAKE_CXX_COMPILER)")
launcher=$(cache_value CMAKE_CXX_COMPILER_LAUNCHER)
[[ -n $launcher ]] && compiler+=(-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher")

# Runs a step quietly, showing its output only when it fails.
quietly() {
  if ! "$@" >"$work/step.log" 2>&1; then
    cat "$work/step.log" >&2
    echo "tests/consumer/run.sh: failed: $*" >&2
    exit 1
  fi
}

echo "consumer: installing $build into a temporary prefix"
quietly cmake --install "$build" --prefix "$work/prefix"
# Exactly the public headers: none of src/'s private ones, nothing missing.
if ! diff <(cd "$repo/include" && find scratchnet -type f | sort) \
          <(cd "$work/prefix/include" && find scratchnet -type f | sort); then
  echo "tests/consumer/run.sh: the installed headers differ from include/scratchnet" >&2
  exit 1
fi

echo "consumer: find_package(scratchnet) from the prefix"
quietly cmake -S "$repo/tests/consumer" -B "$work/installed" -DCMAKE_BUILD_TYPE=Release \
  "${compiler[@]}" -DCMAKE_PREFIX_PATH="$work/prefix"
quietly cmake --build "$work/installed" -j "$jobs"
(cd "$work" && "$work/installed/consumer" "$work/installed.safetensors")
echo "consumer: installed way passed (${SECONDS} s so far)"

echo "consumer: add_subdirectory of the source tree"
quietly cmake -S "$repo/tests/consumer" -B "$work/source" -DCMAKE_BUILD_TYPE=Release \
  "${compiler[@]}" -DSCRATCHNET_SOURCE_DIR="$repo"
# A project that adds scratchnet gets its library and nothing else to build.
if cmake --build "$work/source" --target help | grep -Eq 'scratchnet_cli|test_|example_'; then
  echo "tests/consumer/run.sh: add_subdirectory(scratchnet) made more targets than the library" >&2
  exit 1
fi
quietly cmake --build "$work/source" -j "$jobs"
(cd "$work" && "$work/source/consumer" "$work/source.safetensors")

echo "consumer: add_subdirectory way passed; both ways in ${SECONDS} s"
