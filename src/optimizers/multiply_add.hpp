#pragma once
// a·b + c for the optimizers' element loops, rounded once or twice as the loop's build decides.
//
// The loops are compiled for AVX-512, for AVX2 and for the baseline (see sgd.cpp, adam.cpp).
// Left to the compiler, which multiply-adds fuse depends on the build and even on the element:
// GCC 12's AVX-512 loop fuses in its main body but not in its 256-bit tail. Spelled out, the
// two vector builds fuse the same operations for every element, the ones torch's vectorised
// kernels fuse, and so agree bit for bit; the x86-64 baseline, which has no FMA instruction (a
// software fma would cost more than the whole update), rounds twice. AArch64's baseline has
// FMA: there the one loop fuses the same operations as the x86 vector builds (the two
// architectures' bits are not compared by a test).

#include <cmath>

namespace scratchnet {

#if defined(__aarch64__)
inline constexpr bool kBaselineFuses = true;
#else
inline constexpr bool kBaselineFuses = false;
#endif

template <bool kFused, typename T>
[[gnu::always_inline]] inline T multiply_add(T a, T b, T c) {
  if constexpr (kFused) {
    return std::fma(a, b, c);
  } else {
    return a * b + c;
  }
}

}  // namespace scratchnet
