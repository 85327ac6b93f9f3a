#!/usr/bin/env bash
# Builds and runs the consumer project beside this script every way a C++ project takes
# scratchnet: from an install of BUILD_DIR (a built scratchnet) into a temporary prefix, through
# find_package, then with a plain compiler command and pkg-config; then from this source tree
# through add_subdirectory, which builds the library alone (no tool, tests or examples). All
# three programs must print the same lines. On the way, every installed header must compile on
# its own with pkg-config's flags. Release, all cores; nothing is left behind.
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
cxx=$(cache_value CMAKE_CXX_COMPILER)
compiler=(-DCMAKE_CXX_COMPILER="$cxx")
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
# Each program runs in its own build folder and names its model file alike, so that all three
# print the same lines.
run_consumer() { (cd "$work/$1" && ./consumer consumer-model.safetensors) | tee "$work/$1.out"; }
run_consumer installed
echo "consumer: installed way passed (${SECONDS} s so far)"

echo "consumer: pkg-config --cflags --libs scratchnet, from the prefix"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
if ! pc_flags=$(pkg-config --cflags --libs scratchnet); then
  echo "tests/consumer/run.sh: pkg-config does not find scratchnet in the prefix" >&2
  exit 1
fi
read -ra pc_flags <<<"$pc_flags"
read -ra pc_cflags <<<"$(pkg-config --cflags scratchnet)"
# Every public header, the umbrella among them, compiles alone (and twice over, for its include
# guard) with only pkg-config's flags: it needs nothing that another include brought first.
(cd "$work/prefix/include" && find scratchnet -name '*.hpp' | sort) >"$work/headers"
check=("$cxx" -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror "${pc_cflags[@]}" -x c++ -)
if ! xargs -P "$jobs" -I{} bash -c 'header=$1; shift
      printf "#include <%s>\n#include <%s>\n" "$header" "$header" | "$@" ||
        { echo "tests/consumer/run.sh: $header does not compile on its own"; exit 1; }' \
      _ {} "${check[@]}" <"$work/headers" >"$work/headers.log" 2>&1; then
  cat "$work/headers.log" >&2
  exit 1
fi
echo "consumer: $(wc -l <"$work/headers") installed headers each compile on their own"
mkdir "$work/pkg-config"
quietly $launcher "$cxx" -std=c++20 -O2 "$repo/tests/consumer/main.cpp" "${pc_flags[@]}" \
  -o "$work/pkg-config/consumer"
run_consumer pkg-config
if ! diff "$work/installed.out" "$work/pkg-config.out"; then
  echo "tests/consumer/run.sh: the pkg-config build prints otherwise than the find_package one" >&2
  exit 1
fi
echo "consumer: pkg-config way passed, the same output (${SECONDS} s so far)"

echo "consumer: add_subdirectory of the source tree"
quietly cmake -S "$repo/tests/consumer" -B "$work/source" -DCMAKE_BUILD_TYPE=Release \
  "${compiler[@]}" -DSCRATCHNET_SOURCE_DIR="$repo"
# A project that adds scratchnet gets its library and nothing else to build.
if cmake --build "$work/source" --target help | grep -Eq 'scratchnet_cli|test_|example_'; then
  echo "tests/consumer/run.sh: add_subdirectory(scratchnet) made more targets than the library" >&2
  exit 1
fi
quietly cmake --build "$work/source" -j "$jobs"
run_consumer source
if ! diff "$work/installed.out" "$work/source.out"; then
  echo "tests/consumer/run.sh: the add_subdirectory build prints otherwise than the installed one" >&2
  exit 1
fi

echo "consumer: add_subdirectory way passed; all three ways in ${SECONDS} s"
