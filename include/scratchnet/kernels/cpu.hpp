#pragma once
// What the CPU running this program can do, for the code that keeps a loop compiled for wider
// vectors beside its baseline version and picks one at run time.

#include <string_view>

namespace scratchnet::kernels {

/// Whether this CPU runs `instructions`, and the environment variable SCRATCHNET_ISA allows
/// them. The paths, narrowest first, are on x86-64 "portable" (always), "avx2" (AVX2 with FMA)
/// and "avx512" (AVX-512F); on AArch64 "portable" and "neon" (Advanced SIMD, which every
/// ARMv8-A CPU has); elsewhere "portable" alone. SCRATCHNET_ISA names one of this build's paths
/// and caps the kernels at it, so that a machine tests its narrower paths too. False for any
/// other name. Throws std::runtime_error when SCRATCHNET_ISA names no path of this build, or
/// one this CPU cannot run.
bool cpu_has(std::string_view instructions);

/// cpu_has("avx512"), asked once.
bool cpu_has_avx512();

/// cpu_has("avx2"), asked once.
bool cpu_has_avx2();

}  // namespace scratchnet::kernels
