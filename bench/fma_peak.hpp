#pragma once
// The measured fp32 peak of a core: independent chains of fused multiply-adds on the widest
// vectors the CPU has, so that nothing but the FMA units limits the rate.
//
// Each chain is acc ← acc·a + b on one vector register. An FMA's result is ready only after its
// latency (4 cycles on recent x86), and a core starts up to two per cycle, so at least 8 chains
// must be in flight to keep both units busy; we run 16 (AVX-512 has 32 registers). One round
// advances every chain once: chains · lanes · 2 FLOPs (a multiply and an add per lane).

#include <cstdint>
#include <string>

namespace scratchnet::bench {

/// The instruction set fma_rounds() uses on this CPU: "avx512f", "avx2+fma" or "scalar".
std::string fma_isa();

/// FLOPs that one round of fma_rounds() performs on this CPU.
std::int64_t fma_flops_per_round();

/// Runs `rounds` rounds of the independent FMA chains and returns a value that depends on every
/// chain, so that the compiler cannot drop them.
float fma_rounds(std::int64_t rounds);

}  // namespace scratchnet::bench
