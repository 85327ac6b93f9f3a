#pragma once
// e^x and the logistic sigmoid on one vector of doubles, written once for every instruction set:
// each lane computed with exactly the operations of exp_reference() (kernels/exp.cpp), in the
// same order, so that it rounds the same. Lanes with |x| ≥ 512, infinities and NaNs are redone
// by exp_reference() itself.
//
// The vectors are GCC/clang vector extensions (`double __attribute__((vector_size(…)))`), whose
// + − * / and comparisons act lane by lane. Only code compiled without fused multiply-adds may
// use this header (-ffp-contract=off, as src/CMakeLists.txt compiles exp_*.cpp and the XOR loop):
// a fused a·b + c rounds once where the reference rounds twice.
//
// What differs between instruction sets is supplied by an `Isa` type (exp_lanes_avx512.hpp,
// exp_lanes_avx2.hpp, exp_lanes_neon.hpp), with
//   Doubles, Bits      the vector of doubles and the vector of as many std::uint64_t
//   kLanes             how many lanes a vector has
//   Table              the table of exp_algorithm.hpp as the lookup wants it (registers, say)
//   lookup(table, k_bits)
//                      tail[j] and scale_bits[j] per lane (TableEntries), j = k_bits mod 16:
//                      the one part that needs the instruction set's own shuffles or loads
//   Mask, large_lanes(abs_bits), any(mask), is_set(mask, lane)
//                      which lanes have abs_bits ≥ kLargeAbsBits, as the ISA tests them best
// and optionally load_first(x, count) and store_first(y, v, count) for a last partial vector.
// An Isa deriving from VectorMask and ScalarLookup below takes their plain versions.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "exp_algorithm.hpp"

namespace scratchnet::kernels::exp_detail {

/// The bits of the vector `from` as the vector type `To` of the same size.
template <typename To, typename From>
[[gnu::always_inline]] inline To reinterpret(From from) {
  static_assert(sizeof(To) == sizeof(From));
  To to;
  std::memcpy(&to, &from, sizeof to);
  return to;
}

/// Masks as vectors of Bits, all ones in a lane that is set: what comparisons of vector
/// extensions give. The absolute values' bits are below 2^63, so a signed comparison does
/// (AVX2 has no unsigned 64-bit one).
template <typename Bits>
struct VectorMask {
  using Mask = Bits;
  using Signed = decltype(Bits{} < Bits{});  // a comparison's result: as many std::int64_t
  [[gnu::always_inline]] static Mask large_lanes(Bits abs_bits) {
    return reinterpret<Mask>(reinterpret<Signed>(abs_bits) >= std::int64_t(kLargeAbsBits));
  }
  [[gnu::always_inline]] static bool any(Mask mask) {
    std::uint64_t set = 0;
    for (std::size_t lane = 0; lane < sizeof(Bits) / 8; ++lane)
      set |= mask[lane];
    return set != 0;
  }
  [[gnu::always_inline]] static bool is_set(Mask mask, int lane) { return mask[lane] != 0; }
};

/// tail_j and scale_bits_j in each lane, j = k mod 16: what Isa::lookup returns.
template <typename Doubles, typename Bits>
struct TableEntries {
  Doubles tail;
  Bits scale_bits;
};

/// The table looked up one lane at a time, from memory.
template <typename Doubles, typename Bits>
struct ScalarLookup {
  struct Table {};
  [[gnu::always_inline]] static TableEntries<Doubles, Bits> lookup(const Table&, Bits k_bits) {
    TableEntries<Doubles, Bits> entries;
    for (std::size_t lane = 0; lane < sizeof(Bits) / 8; ++lane) {
      entries.tail[lane] = tail[k_bits[lane] % kTableSize];
      entries.scale_bits[lane] = scale_bits[k_bits[lane] % kTableSize];
    }
    return entries;
  }
};

/// e^x in each lane, as exp_reference() computes it for |x| < 512; `large` marks the lanes that
/// need exp_reference() instead.
template <typename Isa>
[[gnu::always_inline]] inline typename Isa::Doubles exp_lanes(typename Isa::Doubles x,
                                                              const typename Isa::Table& table,
                                                              typename Isa::Mask& large) {
  using Doubles = typename Isa::Doubles;
  using Bits = typename Isa::Bits;
  const Bits abs_bits = reinterpret<Bits>(x) & ~(std::uint64_t(1) << 63);
  large = Isa::large_lanes(abs_bits);

  Doubles k = kInvLn2N * x + kShift;  // k rounded to an integer, in the low bits
  const Bits k_bits = reinterpret<Bits>(k);
  k -= kShift;
  const Doubles r = x + k * kNegLn2hiN + k * kNegLn2loN;
  const auto [tail_j, scale_bits_j] = Isa::lookup(table, k_bits);
  const Bits scale_bits_k = scale_bits_j + (k_bits << (52 - kTableBits));
  const Doubles r2 = r * r;
  const Doubles r4 = r2 * r2;
  const Doubles c23 = kC2 + r * kC3, c45 = kC4 + r * kC5, c67 = kC6 + r * kC7;
  const Doubles poly = c23 + r2 * c45 + r4 * c67;
  const Doubles tmp = tail_j + r + r2 * poly;
  const Doubles scale = reinterpret<Doubles>(scale_bits_k);
  return scale + scale * tmp;
}

/// Redoes the lanes of `y` that `large` marks with exp_reference(): out of line, so that the
/// common path keeps no scratch space on the stack.
template <typename Isa>
[[gnu::noinline, gnu::cold]] typename Isa::Doubles redo_large_lanes(typename Isa::Doubles x,
                                                                    typename Isa::Doubles y,
                                                                    typename Isa::Mask large) {
  for (int lane = 0; lane < Isa::kLanes; ++lane) {
    if (Isa::is_set(large, lane)) y[lane] = exp_reference(x[lane]);
  }
  return y;
}

/// e^x in every lane, exactly as exp_reference().
template <typename Isa>
[[gnu::always_inline]] inline typename Isa::Doubles exp_all_lanes(
    typename Isa::Doubles x, const typename Isa::Table& table) {
  typename Isa::Mask large;
  const typename Isa::Doubles y = exp_lanes<Isa>(x, table, large);
  if (Isa::any(large)) [[unlikely]]
    return redo_large_lanes<Isa>(x, y, large);
  return y;
}

/// 1 / (1 + e^(−x)) in every lane, exactly as that formula rounds with exp_reference().
template <typename Isa>
[[gnu::always_inline]] inline typename Isa::Doubles sigmoid_all_lanes(
    typename Isa::Doubles x, const typename Isa::Table& table) {
  using Doubles = typename Isa::Doubles;
  using Bits = typename Isa::Bits;
  // −x by its sign bit, as the scalar negation does (NaNs included).
  const Doubles negated = reinterpret<Doubles>(reinterpret<Bits>(x) ^ (std::uint64_t(1) << 63));
  return 1.0 / (1.0 + exp_all_lanes<Isa>(negated, table));
}

/// y[i] = f(x[i]) a vector at a time; the last partial vector is padded with zeros (a lane the
/// scalar path never needs) and only its own lanes are stored, by the Isa's load_first and
/// store_first where it has them (masked loads and stores), else through memcpy. `x` may be `y`.
template <typename Isa, typename F>
[[gnu::always_inline]] inline void for_each_vector(const double* x, double* y, std::ptrdiff_t n,
                                                   F f) {
  using Doubles = typename Isa::Doubles;
  std::ptrdiff_t i = 0;
  for (; i + Isa::kLanes <= n; i += Isa::kLanes) {
    Doubles v;
    std::memcpy(&v, x + i, sizeof v);
    v = f(v);
    std::memcpy(y + i, &v, sizeof v);
  }
  if (i == n) return;
  if constexpr (requires { Isa::store_first(y, Isa::load_first(x, n), n); }) {
    Isa::store_first(y + i, f(Isa::load_first(x + i, n - i)), n - i);
  } else {
    Doubles v = {};
    const std::size_t bytes = std::size_t(n - i) * sizeof(double);
    std::memcpy(&v, x + i, bytes);
    v = f(v);
    std::memcpy(y + i, &v, bytes);
  }
}

/// The array kernels of an instruction set, for its exp_<isa>.cpp.
template <typename Isa>
void exp_array(const double* x, double* y, std::ptrdiff_t n) {
  const typename Isa::Table table;
  for_each_vector<Isa>(x, y, n,
                       [&](typename Isa::Doubles v) { return exp_all_lanes<Isa>(v, table); });
}

template <typename Isa>
void sigmoid_array(const double* x, double* y, std::ptrdiff_t n) {
  const typename Isa::Table table;
  for_each_vector<Isa>(x, y, n,
                       [&](typename Isa::Doubles v) { return sigmoid_all_lanes<Isa>(v, table); });
}

}  // namespace scratchnet::kernels::exp_detail
