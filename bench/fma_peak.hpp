#pragma once
// The measured fp32 peak of a core: independent chains of fused multiply-adds on the vectors of
// the widest kernel path scratchnet runs (kernels::cpu_has, so SCRATCHNET_ISA caps it too), so
// that nothing but the FMA units limits the rate; and the core's clock, to check that peak
// against units × lanes × 2 × clock.
//
// Each chain is acc ← acc·a + b on one vector register. An FMA's result is ready only after its
// latency (4 cycles on recent x86 and ARM cores), and a core starts up to two per cycle (four on
// some ARM cores), so at least latency × units chains must be in flight, each in a register of
// its own: with more chains than registers the compiler spills them to memory and the loop
// measures loads and stores. So the count is per instruction set: 16 of AVX-512's 32 registers,
// 12 of AVX2's 16 (two hold a and b), 16 of NEON's 32. One round advances every chain once:
// chains · lanes · 2 FLOPs (a multiply and an add per lane).

#include <cstdint>
#include <string>

namespace scratchnet::bench {

/// The instruction set fma_rounds() uses: "avx512f", "avx2+fma", "neon" or "scalar".
std::string fma_isa();

/// FLOPs that one round of fma_rounds() performs.
std::int64_t fma_flops_per_round();

/// fp32 lanes of one vector of fma_isa(): 16, 8, 4 or 1.
int fma_lanes();

/// Runs `rounds` rounds of the independent FMA chains and returns a value that depends on every
/// chain, so that the compiler cannot drop them.
float fma_rounds(std::int64_t rounds);

/// Runs `count` integer additions, each waiting for the one before (one cycle apiece on every
/// core we know), and returns their result: `count` divided by the time it takes is the clock.
std::int64_t dependent_adds(std::int64_t count);

}  // namespace scratchnet::bench
