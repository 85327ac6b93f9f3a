#!/usr/bin/env bash
# Builds scratchnet for aarch64 (64-bit ARM Linux) with Debian's cross compiler and runs the
# whole test suite under qemu-user: the NEON kernels, and everything else as an ARM machine runs
# it. Needs what scripts/install-deps.sh installs; no ARM machine and no binfmt_misc.
#
#   scripts/test-arm.sh            builds in build-aarch64 (BUILD_DIR=... for another folder)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build-aarch64}
jobs=${JOBS:-$(nproc)}

# The benchmarks, examples, fuzzers and API reference are x86 host tools or need nothing
# ARM-specific: only the library, the command-line tool and the tests.
cmake -S . -B "$build_dir" -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
  -DCMAKE_BUILD_TYPE=Release -DSCRATCHNET_BUILD_TESTS=ON -DSCRATCHNET_BUILD_BENCHMARKS=OFF \
  -DSCRATCHNET_BUILD_EXAMPLES=OFF -DSCRATCHNET_BUILD_FUZZERS=OFF -DSCRATCHNET_BUILD_PYTHON=OFF \
  -DSCRATCHNET_INSTALL=OFF
cmake --build "$build_dir" -j "$jobs"
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"
