#include "scratchnet/kernels/cpu.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace scratchnet::kernels {
namespace {

// The kernel paths this build has, from the narrowest up; a path needs the hardware of its own
// and lower ones.
#if defined(__x86_64__)
constexpr std::string_view kPaths[] = {"portable", "avx2", "avx512"};
constexpr const char* kPathList = "portable, avx2, avx512";
#elif defined(__aarch64__)
constexpr std::string_view kPaths[] = {"portable", "neon"};
constexpr const char* kPathList = "portable, neon";
#else
constexpr std::string_view kPaths[] = {"portable"};
constexpr const char* kPathList = "portable";
#endif
constexpr int kWidest = int(std::size(kPaths)) - 1;

int rank_of(std::string_view path) {
  for (int i = 0; i <= kWidest; ++i) {
    if (kPaths[i] == path) return i;
  }
  return -1;
}

bool hardware_has(std::string_view instructions) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (instructions == "avx512") return __builtin_cpu_supports("avx512f");
  if (instructions == "avx2")
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#elif defined(__aarch64__)
  // Advanced SIMD is mandatory in ARMv8-A: every AArch64 CPU has it.
  if (instructions == "neon") return true;
#endif
  return instructions == "portable";
}

// The widest path SCRATCHNET_ISA allows, read once: every path when it is unset.
int widest_allowed() {
  static const int widest = [] {
    const char* value = std::getenv("SCRATCHNET_ISA");
    if (value == nullptr || *value == '\0') return kWidest;
    const int rank = rank_of(value);
    if (rank < 0) {
      throw std::runtime_error("SCRATCHNET_ISA: '" + std::string(value) + "' is not one of " +
                               kPathList);
    }
    if (!hardware_has(value)) {
      throw std::runtime_error("SCRATCHNET_ISA: this CPU cannot run the " + std::string(value) +
                               " kernels");
    }
    return rank;
  }();
  return widest;
}

}  // namespace

bool cpu_has(std::string_view instructions) {
  // SCRATCHNET_ISA is checked first, whatever the name asked: an AArch64 build asks for
  // "avx512" (which it has not) and must still refuse a SCRATCHNET_ISA that names no path.
  const int widest = widest_allowed();
  const int rank = rank_of(instructions);
  return rank >= 0 && rank <= widest && hardware_has(instructions);
}

bool cpu_has_avx512() {
  static const bool has = cpu_has("avx512");
  return has;
}

bool cpu_has_avx2() {
  static const bool has = cpu_has("avx2");
  return has;
}

}  // namespace scratchnet::kernels
