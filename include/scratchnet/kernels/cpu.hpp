#pragma once
// What the CPU running this program can do, for the code that keeps a loop compiled for wider
// vectors beside its baseline version and picks one at run time.

#include <string_view>

namespace scratchnet::kernels {

/// Whether this CPU runs `instructions`: "avx512" (AVX-512F), "avx2" (AVX2 with FMA) or
/// "portable" (always), and the environment variable SCRATCHNET_ISA (portable, avx2 or avx512)
/// allows them: it caps the kernels at that path, so that a machine tests its narrower paths
/// too. False for any other name. Throws std::runtime_error when SCRATCHNET_ISA names no path,
/// or one this CPU cannot run.
bool cpu_has(std::string_view instructions);

/// cpu_has("avx512"), asked once.
bool cpu_has_avx512();

}  // namespace scratchnet::kernels
