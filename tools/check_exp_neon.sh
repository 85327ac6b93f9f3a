#!/bin/sh
# Checks the NEON exp and sigmoid kernels (src/kernels/exp_neon.cpp) bit for bit against
# exp_reference() on an x86 machine: cross-compiles them with the reference and a small check
# program for AArch64 and runs that under qemu-aarch64. Quicker than a whole AArch64 build, where
# tests/test_exp.cpp checks the same path among the others.
#
# Usage: tools/check_exp_neon.sh        (needs g++-aarch64-linux-gnu, qemu-user and Eigen's headers;
#                                        prints the mismatches, exits 1 if there is any)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/check.cpp" <<'CPP'
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "scratchnet/kernels/exp.hpp"

namespace kernels = scratchnet::kernels;

int main() {
  if (!kernels::use_exp_kernel("neon")) {
    std::puts("no neon path in this build");
    return 1;
  }
  constexpr double inf = std::numeric_limits<double>::infinity();
  std::vector<double> x = {0.0, -0.0, 1.0, -1.0, 5e-324, -5e-324, 511.99, 512.0, -512.0, 709.78,
                           709.79, -708.4, -745.13, -745.14, 1024.0, -1024.0, inf, -inf};
  for (std::uint64_t bits : {0x7ff8000000000000u, 0xfff8000000000000u, 0x7ff8000000000123u,
                             0x7ff0000000000001u})
    x.push_back(std::bit_cast<double>(bits));
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> spread(-760.0, 720.0);
  for (int i = 0; i < 1 << 20; ++i)
    x.push_back(i % 2 ? spread(random) : std::bit_cast<double>(std::uint64_t(random())));
  long mismatches = 0;
  const auto check = [&](const double* in, const double* exp_y, const double* sigmoid_y, long n) {
    for (long i = 0; i < n; ++i) {
      const double e = kernels::exp_reference(in[i]);
      const double s = 1.0 / (1.0 + kernels::exp_reference(-in[i]));
      if (std::bit_cast<std::uint64_t>(e) != std::bit_cast<std::uint64_t>(exp_y[i]) ||
          std::bit_cast<std::uint64_t>(s) != std::bit_cast<std::uint64_t>(sigmoid_y[i])) {
        if (mismatches++ < 10)
          std::printf("x = %a: exp %a, reference %a; sigmoid %a, reference %a\n", in[i], exp_y[i],
                      e, sigmoid_y[i], s);
      }
    }
  };
  std::vector<double> exp_y(x.size()), sigmoid_y(x.size());
  kernels::exp(x.data(), exp_y.data(), long(x.size()));
  kernels::sigmoid(x.data(), sigmoid_y.data(), long(x.size()));
  check(x.data(), exp_y.data(), sigmoid_y.data(), long(x.size()));
  for (long n = 0; n <= 9; ++n) {  // short arrays, in place
    for (std::size_t start = 0; start + std::size_t(n) <= 40; ++start) {
      std::vector<double> e(x.begin() + long(start), x.begin() + long(start) + n), s = e;
      kernels::exp(e.data(), e.data(), n);
      kernels::sigmoid(s.data(), s.data(), n);
      check(x.data() + start, e.data(), s.data(), n);
    }
  }
  std::printf("neon: %ld mismatches in %zu arguments\n", mismatches, x.size());
  return mismatches == 0 ? 0 : 1;
}
CPP
aarch64-linux-gnu-g++ -O2 -std=c++20 -ffp-contract=off -I"$root/include" -I/usr/include/eigen3 \
  "$work/check.cpp" "$root/src/kernels/exp.cpp" "$root/src/kernels/cpu.cpp" \
  "$root/src/kernels/exp_neon.cpp" -o "$work/check"
qemu-aarch64 -L /usr/aarch64-linux-gnu "$work/check"
