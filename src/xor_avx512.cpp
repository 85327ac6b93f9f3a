// The seed's XOR loop (xor.cpp) on AVX-512.
#include "kernels/intrinsics.hpp"

#include "kernels/exp_lanes_avx512.hpp"
#include "xor_avx512.hpp"

// Every value of an iteration fits in registers, so the loop never touches memory. A [4, 4]
// quantity of the hidden layer (layer1, dz1) takes two registers of eight lanes, `half` 0 for
// hidden units 0 and 1, `half` 1 for units 2 and 3; lane 4·u' + r holds row r of unit 2·half + u'.
// Everything else is laid out to meet it lane for lane, so that products need no shuffles:
//   a per-row value ([4, 1]: X's columns, y, the output, dz2) is [r0 r1 r2 r3 | r0 r1 r2 r3];
//   a per-unit value (the weights) is [u u u u | u+1 u+1 u+1 u+1], one register per half.
// Only the sums over units (the output) and over rows (the weight gradients) shuffle.
//
// This code must round as the portable loop in xor.cpp does: this file alone is compiled for
// AVX-512F with no multiply and add fused into one rounding (GCC fuses them by default once the
// target has FMA instructions), as exp_avx512.cpp is. test_xor checks the result bit for bit
// against the portable loop, so a compiler that fused anyway would fail it.
namespace scratchnet {
namespace {

using Lanes = __m512d;  // eight doubles; GCC and clang give it + − * / lane by lane, scalars
                        // broadcast

Lanes broadcast_units(double unit_a, double unit_b) {
  return _mm512_set_pd(unit_b, unit_b, unit_b, unit_b, unit_a, unit_a, unit_a, unit_a);
}

// Lane i of the result is lane indices[i] of v (vpermpd; GCC and clang both take it).
Lanes permute(Lanes v, long long i0, long long i1, long long i2, long long i3, long long i4,
              long long i5, long long i6, long long i7) {
  return _mm512_permutexvar_pd(_mm512_setr_epi64(i0, i1, i2, i3, i4, i5, i6, i7), v);
}

// Row r of every unit, in all four row lanes of that unit.
template <int r>
Lanes row(Lanes v) {
  return permute(v, r, r, r, r, 4 + r, 4 + r, 4 + r, 4 + r);
}

// Σ_r v[r] per unit, rows in order from 0, in every lane of the unit.
Lanes sum_rows(Lanes v) {
  return Lanes{} + row<0>(v) + row<1>(v) + row<2>(v) + row<3>(v);
}

// The four row lanes of the first (second) unit of `v`, in both halves: as a per-row value.
Lanes first_unit(Lanes v) {
  return _mm512_shuffle_f64x2(v, v, _MM_SHUFFLE(1, 0, 1, 0));  // 128-bit blocks 0 1 0 1
}
Lanes second_unit(Lanes v) {
  return _mm512_shuffle_f64x2(v, v, _MM_SHUFFLE(3, 2, 3, 2));  // blocks 2 3 2 3
}

// Inlined, so that the two halves' sigmoids interleave and no register is spilled around a call.
[[gnu::always_inline]] inline Lanes sigmoid(Lanes x, const kernels::exp_detail::Table& table) {
  return kernels::exp_detail::sigmoid_active_lanes(x, table, /*active=*/0xff);
}

}  // namespace

std::array<double, 4> train_seed_xor_avx512(SeedXorWeights& weights, std::int64_t iterations,
                                            double learning_rate) {
  const kernels::exp_detail::Table table;
  const Lanes x0 = {0, 0, 1, 1, 0, 0, 1, 1};  // X[r][0]
  const Lanes x1 = {0, 1, 0, 1, 0, 1, 0, 1};  // X[r][1]
  const Lanes y = {0, 1, 1, 0, 0, 1, 1, 0};
  const double negative_lr = -learning_rate;
  Lanes weights1_0[2], weights1_1[2], weights2[2];  // weights1[0][u], weights1[1][u], weights2[u]
  for (int half = 0; half < 2; ++half) {
    const int u = 2 * half;
    weights1_0[half] = broadcast_units(weights.weights1[0][u], weights.weights1[0][u + 1]);
    weights1_1[half] = broadcast_units(weights.weights1[1][u], weights.weights1[1][u + 1]);
    weights2[half] = broadcast_units(weights.weights2[u], weights.weights2[u + 1]);
  }

  Lanes output = {};
  for (std::int64_t iteration = 0; iteration < iterations; ++iteration) {
    // feedforward: layer1 = σ(X · weights1)                      [4, 2] · [2, 4] -> [4, 4]
    Lanes layer1[2];
    for (int half = 0; half < 2; ++half)
      layer1[half] = sigmoid(Lanes{} + x0 * weights1_0[half] + x1 * weights1_1[half], table);
    //              output = σ(layer1 · weights2)                 [4, 4] · [4, 1] -> [4, 1]
    const Lanes products0 = layer1[0] * weights2[0], products1 = layer1[1] * weights2[1];
    output = sigmoid(Lanes{} + first_unit(products0) + second_unit(products0) +
                         first_unit(products1) + second_unit(products1),
                     table);
    // backprop: dz2 = 2(ŷ − y) ⊙ ŷ(1 − ŷ)                         [4, 1]
    const Lanes dz2 = (2.0 * (output - y)) * (output * (1.0 - output));
    for (int half = 0; half < 2; ++half) {
      // dz1 = (dz2 · weights2ᵀ) ⊙ layer1(1 − layer1)             [4, 4], before weights2 moves
      const Lanes dz1 = (Lanes{} + dz2 * weights2[half]) * (layer1[half] * (1.0 - layer1[half]));
      // weights2 −= lr · layer1ᵀ · dz2;  weights1 −= lr · Xᵀ · dz1
      weights2[half] = weights2[half] + negative_lr * sum_rows(dz2 * layer1[half]);
      weights1_0[half] = weights1_0[half] + negative_lr * sum_rows(dz1 * x0);
      weights1_1[half] = weights1_1[half] + negative_lr * sum_rows(dz1 * x1);
    }
  }

  for (int half = 0; half < 2; ++half) {
    for (int u = 0; u < 2; ++u) {  // lane 4·u holds unit 2·half + u
      weights.weights1[0][2 * half + u] = weights1_0[half][4 * u];
      weights.weights1[1][2 * half + u] = weights1_1[half][4 * u];
      weights.weights2[2 * half + u] = weights2[half][4 * u];
    }
  }
  return {output[0], output[1], output[2], output[3]};
}

}  // namespace scratchnet
