#!/usr/bin/env bash
# Installs the Debian packages scratchnet needs, skipping those already present, so that a fresh
# machine (which has none of them) gets there in one step.
#   scripts/install-deps.sh       everything building and testing needs (make test, make bench)
#   scripts/install-deps.sh run   only what building and running the command-line tool needs
#                                 (make run): a compiler, CMake and four header or zlib packages
# Python with numpy and torch is for reference tests and tools/, never a dependency of scratchnet.
set -euo pipefail

run_packages=(g++ cmake make libeigen3-dev libcli11-dev nlohmann-json3-dev zlib1g-dev)

packages=("${run_packages[@]}" pkg-config
          googletest libgtest-dev
          doxygen                        # the API reference (cmake --build build --target docs)
          dataset-fashion-mnist          # --data fashion-mnist
          python3 python3-numpy python3-torch  # tests that PyTorch reads our model files and we its
          python3-sklearn                # a test's reference data set (diabetes) and its split
          chromium                       # a test renders the HTML training report
          libbenchmark-dev               # bench/: Google Benchmark micro-benchmarks
          libopenblas-dev                # bench/: cblas_sgemm as the kernels' reference; it brings
                                         # libopenblas0-pthread, without which Debian's torch runs
                                         # the slow reference BLAS
          libfann-dev                    # bench/: FANN, a reference library
          clang libclang-rt-14-dev       # fuzz/: libFuzzer and clang's sanitizer runtimes
          llvm)                          # fuzz/: llvm-symbolizer, for readable stack traces

if [[ "${1:-}" == "run" ]]; then
  packages=("${run_packages[@]}")
elif [[ $# -gt 0 ]]; then
  echo "install-deps: unknown argument '$1' (only 'run' is known)" >&2
  exit 2
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if ((EUID != 0)); then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
