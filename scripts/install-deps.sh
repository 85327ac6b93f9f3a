#!/usr/bin/env bash
# Installs every Debian package that building and testing scratchnet needs, skipping those
# already present, so that a fresh machine (which has none of them) gets there in one step.
#   scripts/install-deps.sh            build + tests
#   scripts/install-deps.sh --fixtures also what tools/ needs to regenerate the test fixtures
#                                      (numpy and PyTorch; the build and tests never need them)
set -euo pipefail

packages=(g++ cmake make pkg-config libeigen3-dev libcli11-dev nlohmann-json3-dev googletest libgtest-dev)
if [[ "${1:-}" == "--fixtures" ]]; then
  packages+=(python3 python3-numpy python3-torch)
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
