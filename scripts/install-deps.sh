#!/usr/bin/env bash
# Installs the Debian packages scratchnet needs, skipping those already present, so that a fresh
# machine (which has none of them) gets there in one step.
#   scripts/install-deps.sh       everything building and testing needs (make test, make bench)
#   scripts/install-deps.sh run   only what building and running the command-line tool needs
#                                 (make run): a compiler, CMake and four header or zlib packages
# Python with numpy and torch is for reference tests and tools/, never a dependency of the library
# or the command-line tool; the Python module (python/) is built where its headers are present.
set -euo pipefail

run_packages=(g++ cmake make libeigen3-dev libcli11-dev nlohmann-json3-dev zlib1g-dev)

packages=("${run_packages[@]}" pkg-config
          googletest libgtest-dev
          doxygen                        # the API reference (cmake --build build --target docs)
          dataset-fashion-mnist          # --data fashion-mnist
          python3 python3-numpy python3-torch  # tests that PyTorch reads our model files and we its
          python3-sklearn                # a test's reference data set (diabetes) and its split
          python3-dev pybind11-dev       # python/: the Python module (import scratchnet)
          python3-pytest                 # tests/python: the Python module's tests
          chromium                       # a test renders the HTML training report
          libbenchmark-dev               # bench/: Google Benchmark micro-benchmarks
          libopenblas-dev                # bench/: cblas_sgemm as the kernels' reference; it brings
                                         # libopenblas0-pthread, without which Debian's torch runs
                                         # the slow reference BLAS
          libfann-dev                    # bench/: FANN, a reference library
          clang libclang-rt-14-dev       # fuzz/: libFuzzer and clang's sanitizer runtimes
          llvm)                          # fuzz/: llvm-symbolizer, for readable stack traces

sudo=""
if ((EUID != 0)); then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

# Installs those of its arguments (package names, with :arch for a foreign architecture) that
# are not installed yet; apt-get update first, once.
updated=false
install_missing() {
  local missing=() package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  # With the package lists the machine has, first: where they are fresh enough (most machines),
  # that saves apt-get update's quarter of a minute; where they are missing or stale, the install
  # fails before changing anything, and it is tried again after an update.
  if [[ $updated == false ]]; then
    if $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
      return 0
    fi
    $sudo apt-get update -qq
    updated=true
  fi
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if [[ "${1:-}" == "run" ]]; then
  install_missing "${run_packages[@]}"
  exit 0
elif [[ $# -gt 0 ]]; then
  echo "install-deps: unknown argument '$1' (only 'run' is known)" >&2
  exit 2
fi
install_missing "${packages[@]}"

# aarch64 (64-bit ARM Linux): scripts/test-arm.sh cross-compiles scratchnet and runs the whole
# test suite under qemu-user. The arm64 libraries come from Debian's multiarch, so the arm64
# architecture must be known to dpkg (and apt's lists must then include it).
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "install-deps: adding the arm64 architecture (multiarch)" >&2
  $sudo dpkg --add-architecture arm64
  updated=false
fi
arm_packages=(g++-aarch64-linux-gnu  # the cross compiler and the target's C and C++ libraries
              qemu-user              # qemu-aarch64 runs the aarch64 tests (no binfmt_misc needed)
              zlib1g-dev:arm64       # the library reads .gz files: zlib for aarch64
              libgtest-dev:arm64)    # GoogleTest for aarch64, which the tests link
install_missing "${arm_packages[@]}"
