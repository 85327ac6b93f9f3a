#include "scratchnet/kernels/cpu.hpp"

namespace scratchnet::kernels {

bool cpu_has(std::string_view instructions) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (instructions == "avx512") return __builtin_cpu_supports("avx512f");
  if (instructions == "avx2")
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return instructions == "portable";
}

bool cpu_has_avx512() {
  static const bool has = cpu_has("avx512");
  return has;
}

}  // namespace scratchnet::kernels
