#pragma once
// One seeded random generator for everything random in scratchnet, passed explicitly.
// It is the Mersenne Twister MT19937 seeded exactly as numpy's legacy np.random.seed(n)
// seeds it, and each draw is the one numpy's legacy RandomState makes: uniform() is
// np.random.rand(), normal() is np.random.randn(), below(n) is the draw behind
// np.random.shuffle. The seed notebook's initial weights come out the same, number for number,
// and a run's shuffles can be replayed in numpy.

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <utility>

namespace scratchnet {

class Random {
 public:
  /// Seeds as np.random.seed(seed) does (init_genrand on the 32-bit seed).
  explicit Random(std::uint32_t seed) : engine_(seed) {}

  /// A double uniform in [0, 1) with 53 random bits, as np.random.rand() draws it:
  /// the top 27 bits of one 32-bit draw and the top 26 bits of the next.
  double uniform();

  /// A standard normal draw, as np.random.randn() makes it: Marsaglia's polar method, which
  /// yields two values per accepted pair and keeps the second for the next call.
  double normal();

  /// An integer uniform in [0, bound], as numpy's legacy random_interval draws it: 32-bit (or
  /// 64-bit) draws masked to the smallest covering power of two, rejected until one fits.
  std::uint64_t at_most(std::uint64_t bound);

  /// Shuffles `values` in place exactly as np.random.shuffle does a 1-D array (Fisher–Yates
  /// from the back), so np.random.permutation(n) after the same seed gives the same order.
  template <typename Element>
  void shuffle(std::span<Element> values) {
    for (std::size_t i = values.size(); i-- > 1;)
      std::swap(values[i], values[at_most(i)]);
  }

  /// The next raw 32-bit output of MT19937.
  std::uint32_t next_u32() { return static_cast<std::uint32_t>(engine_()); }

  /// The generator's whole state as text (MT19937's 624 words and position, and any spare normal
  /// draw), so that a checkpoint can continue the same stream bit for bit.
  std::string state() const;

  /// Continues from a state() text. Throws std::invalid_argument if the text is not one.
  void restore(const std::string& state);

  bool operator==(const Random&) const = default;

 private:
  // std::mt19937 seeded with a 32-bit value is bit-identical to numpy's init_genrand.
  std::mt19937 engine_;
  bool has_spare_normal_ = false;  // the polar method's second value, kept for the next call
  double spare_normal_ = 0;
};

}  // namespace scratchnet
