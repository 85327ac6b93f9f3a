#include "scratchnet/training/anomaly.hpp"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "scratchnet/kernels/cpu.hpp"
#include "scratchnet/kernels/thread_pool.hpp"

namespace scratchnet {
namespace {

// A float is a NaN or an infinity when its exponent bits are all ones. Testing the bits (not
// x != x, which fast-math may fold away) keeps the loop branch-free, so it vectorises.
template <typename T>
struct Bits;
template <>
struct Bits<float> {
  using Unsigned = std::uint32_t;
  static constexpr Unsigned kExponent = 0x7f800000u;
};
template <>
struct Bits<double> {
  using Unsigned = std::uint64_t;
  static constexpr Unsigned kExponent = 0x7ff0000000000000u;
};

template <typename T>
bool slice_is_finite_elements(const T* values, Index count) {
  using Unsigned = typename Bits<T>::Unsigned;
  constexpr Unsigned kExponent = Bits<T>::kExponent;
  Unsigned non_finite = 0;
  for (Index i = 0; i < count; ++i) {
    Unsigned bits;
    std::memcpy(&bits, values + i, sizeof bits);
    non_finite |= Unsigned((bits & kExponent) == kExponent);
  }
  return non_finite == 0;
}

#if defined(__x86_64__)
// The same loop in AVX-512 or AVX2 registers, four or two times as wide as the baseline's: the
// check runs on every training step, over every gradient.
template <typename T>
[[gnu::target("avx512f")]] bool slice_is_finite_avx512(const T* values, Index count) {
  return slice_is_finite_elements(values, count);
}

template <typename T>
[[gnu::target("avx2")]] bool slice_is_finite_avx2(const T* values, Index count) {
  return slice_is_finite_elements(values, count);
}
#endif

template <typename T>
bool slice_is_finite(const T* values, Index count) {
#if defined(__x86_64__)
  if (kernels::cpu_has_avx512()) return slice_is_finite_avx512(values, count);
  if (kernels::cpu_has_avx2()) return slice_is_finite_avx2(values, count);
#endif
  return slice_is_finite_elements(values, count);
}

template <typename T>
bool is_finite(ConstMatrixView<T> matrix) {
  return scratchnet::all_finite(matrix.data(), matrix.size());
}

// Layers take views of contiguous rows, as Sequential::forward hands them.
template <typename T>
ConstMatrixView<T> rows_of(ConstMatrixRef<T> matrix) {
  if (matrix.rows() > 1 && matrix.outerStride() != matrix.cols()) {
    throw std::invalid_argument("batch rows must be contiguous in memory");
  }
  return {matrix.data(), matrix.rows(), matrix.cols()};
}

}  // namespace

std::string NonFiniteValue::describe() const {
  std::string text = "non-finite " + quantity;
  if (layer) text += " of layer " + std::to_string(*layer) + " (" + layer_name + ")";
  if (epoch > 0) text += " at epoch " + std::to_string(epoch);
  if (batch > 0) text += ", batch " + std::to_string(batch);
  return text;
}

NonFiniteError::NonFiniteError(NonFiniteValue value)
    : std::runtime_error(value.describe()), value_(std::move(value)) {}

template <typename T>
bool all_finite(const T* values, Index count, kernels::ThreadPool* pool) {
  constexpr Index kSlice = 16 * 1024;
  std::atomic<bool> finite{true};
  kernels::run_slices(pool, count, kSlice, [&](Index first, Index size) {
    if (!slice_is_finite(values + first, size)) finite.store(false, std::memory_order_relaxed);
  });
  return finite.load(std::memory_order_relaxed);
}

template <typename T>
CheckedStep<T> checked_forward_backward(Sequential<T>& model, Loss<T>& loss,
                                        ConstMatrixRef<T> features, ConstMatrixRef<T> targets) {
  const auto stop = [&](const char* quantity, std::optional<std::size_t> layer) {
    throw NonFiniteError({quantity, layer, layer ? model.layer(*layer).name() : "", 0, 0});
  };
  if (features.cols() != model.inputs()) {
    throw std::invalid_argument("model expects " + std::to_string(model.inputs()) +
                                " input features, got " + std::to_string(features.cols()));
  }
  ConstMatrixView<T> activation = rows_of<T>(features);
  if (!is_finite(activation)) stop("input", {});
  model.for_each_layer([&](std::size_t index, Layer<T>& layer, const LayerSlices&) {
    rebind(activation, layer.forward(activation));
    if (!is_finite(activation)) stop("output", index);
  });
  const T value = loss.forward(activation, targets);
  if (!std::isfinite(value)) stop("loss", {});

  // Backward stops at the first layer with parameters, as Sequential::backward_parameters does.
  const std::size_t first_with_parameters = model.first_with_parameters();
  ConstMatrixView<T> gradient = loss.backward();
  if (!is_finite(gradient)) stop("loss gradient", {});
  const VectorView<T> gradients = model.gradients();
  for (std::size_t i = model.size(); i-- > first_with_parameters;) {
    if (i == first_with_parameters) {
      model.layer(i).backward_parameters(gradient);
    } else {
      rebind(gradient, model.layer(i).backward(gradient));
    }
    const LayerSlices& slices = model.slices(i);
    if (!all_finite(gradients.data() + slices.parameter_offset, slices.parameter_count)) {
      stop("parameter gradient", i);
    }
    if (i != first_with_parameters && !is_finite(gradient)) stop("gradient", i);
  }
  return {value, activation};
}

template bool all_finite<float>(const float*, Index, kernels::ThreadPool*);
template bool all_finite<double>(const double*, Index, kernels::ThreadPool*);
template CheckedStep<float> checked_forward_backward(Sequential<float>&, Loss<float>&,
                                                     ConstMatrixRef<float>, ConstMatrixRef<float>);
template CheckedStep<double> checked_forward_backward(Sequential<double>&, Loss<double>&,
                                                      ConstMatrixRef<double>,
                                                      ConstMatrixRef<double>);

}  // namespace scratchnet
