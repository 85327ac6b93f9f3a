// MaxPool2d, AvgPool2d, AdaptiveAvgPool2d(1) and Flatten: against PyTorch in float64
// (tests/fixtures/torch_pooling.json, written by tools/make_torch_pooling_fixtures.py), against
// finite differences, in float, on 1 to 3 threads, and with the sizes they refuse.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include "fixtures.hpp"
#include "gradient_check.hpp"
#include "scratchnet/layers/adaptive_avg_pool2d.hpp"
#include "scratchnet/layers/avg_pool2d.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/flatten.hpp"
#include "scratchnet/layers/max_pool2d.hpp"

namespace scratchnet {
namespace {

using nlohmann::json;
using testing::matrices_near;

constexpr double kTorchTolerance = 1e-10;
constexpr double kGradientTolerance = 1e-7;  // the project's bar for a float64 gradient check

// The scratchnet layer for one recorded case.
template <typename T>
std::unique_ptr<Layer<T>> make_layer(const json& c) {
  const std::string kind = c.at("kind");
  if (kind == "AdaptiveAvgPool2d") return std::make_unique<AdaptiveAvgPool2d<T>>();
  const Window window{c.at("kernel").get<Index>(), c.at("stride").get<Index>(),
                      c.at("padding").get<Index>()};
  if (kind == "MaxPool2d") return std::make_unique<MaxPool2d<T>>(window);
  if (kind == "AvgPool2d") return std::make_unique<AvgPool2d<T>>(window);
  throw std::invalid_argument("no scratchnet layer for " + kind);
}

Shape shape_of(const json& c) {
  return Shape(c.at("shape").get<std::vector<Index>>());
}

// Rows of numbers, null standing for NaN (JSON has no NaN).
Matrix<double> matrix_with_nans(const json& rows) {
  Matrix<double> matrix(Index(rows.size()), Index(rows.at(0).size()));
  for (Index r = 0; r < matrix.rows(); ++r) {
    for (Index c = 0; c < matrix.cols(); ++c) {
      const json& value = rows[r][c];
      matrix(r, c) =
          value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
    }
  }
  return matrix;
}

// NaN in the same places, and every other element within `tolerance`.
::testing::AssertionResult near_with_nans(const Matrix<double>& actual,
                                          const Matrix<double>& expected, double tolerance) {
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols())
    return matrices_near(actual, expected, tolerance);
  for (Index i = 0; i < actual.size(); ++i) {
    if (std::isnan(actual.data()[i]) != std::isnan(expected.data()[i])) {
      return ::testing::AssertionFailure() << "NaN at element " << i << " of one side only";
    }
  }
  const auto no_nans = [](const Matrix<double>& m) {
    return Matrix<double>(m.unaryExpr([](double v) { return std::isnan(v) ? 0.0 : v; }));
  };
  return matrices_near(no_nans(actual), no_nans(expected), tolerance);
}

class TorchPooling : public ::testing::Test {
 protected:
  static const json& cases() {
    static const json fixture = testing::load_fixture("torch_pooling.json");
    return fixture.at("cases");
  }
};

TEST_F(TorchPooling, Float64MatchesTorch) {
  ASSERT_GE(cases().size(), 15u);
  for (const json& c : cases()) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    auto layer = make_layer<double>(c);
    const Shape out_shape = layer->output_shape(shape_of(c));
    const Matrix<double> input = matrix_with_nans(c.at("input"));
    const Matrix<double> output = layer->forward(view_of(input));
    EXPECT_EQ(output.cols(), out_shape.elements());
    EXPECT_TRUE(near_with_nans(output, matrix_with_nans(c.at("output")), kTorchTolerance));
    const Matrix<double> doutput = testing::matrix_from_json(c.at("doutput"));
    const Matrix<double> dinput = layer->backward(view_of(doutput));
    EXPECT_TRUE(matrices_near(dinput, testing::matrix_from_json(c.at("dinput")), kTorchTolerance));
  }
}

// The same cases in float: the inputs rounded to float, within a loose relative tolerance.
TEST_F(TorchPooling, FloatMatchesTorch) {
  constexpr double kRelative = 1e-5;
  for (const json& c : cases()) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    auto layer = make_layer<float>(c);
    layer->output_shape(shape_of(c));
    const Matrix<float> input = matrix_with_nans(c.at("input")).cast<float>();
    const Matrix<double> output = layer->forward(view_of(input)).template cast<double>();
    const Matrix<double> expected = matrix_with_nans(c.at("output"));
    // The scale of the numbers, NaNs left out: Eigen's maxCoeff() over a NaN is NaN or not by
    // the CPU's max instruction (NaN with NEON), and a NaN tolerance passes nothing.
    const double largest = expected.cwiseAbs().maxCoeff<Eigen::PropagateNumbers>();
    EXPECT_TRUE(near_with_nans(output, expected, kRelative * (1 + largest)));
    const Matrix<float> doutput = testing::matrix_from_json(c.at("doutput")).cast<float>();
    const Matrix<double> dinput = layer->backward(view_of(doutput)).template cast<double>();
    const Matrix<double> expected_dinput = testing::matrix_from_json(c.at("dinput"));
    EXPECT_TRUE(matrices_near(dinput, expected_dinput,
                              kRelative * (1 + expected_dinput.cwiseAbs().maxCoeff())));
  }
}

// Equal values everywhere, kernel 2, stride 1 on a 3×3 image: every window's first element (its
// top left) is its maximum, so dy[i, j] goes to x[i, j] and the last row and column get none.
TEST(MaxPool2d, TiesSendTheGradientToTheFirstMaximumByHand) {
  MaxPool2d<double> pool(Window{2, 1, 0});
  EXPECT_EQ(pool.output_shape(Shape{1, 3, 3}), (Shape{1, 2, 2}));
  const Matrix<double> input = Matrix<double>::Constant(1, 9, 5.0);
  EXPECT_EQ(Matrix<double>(pool.forward(view_of(input))), Matrix<double>::Constant(1, 4, 5.0));
  Matrix<double> doutput(1, 4);
  doutput << 1, 2, 3, 4;
  Matrix<double> expected(1, 9);
  expected << 1, 2, 0, 3, 4, 0, 0, 0, 0;
  EXPECT_EQ(Matrix<double>(pool.backward(view_of(doutput))), expected);
}

// Padding is −∞ for MaxPool2d: a window over padding and negative values takes the values.
TEST(MaxPool2d, PaddingIsNeverTheMaximum) {
  MaxPool2d<double> pool(Window{2, 2, 1});
  EXPECT_EQ(pool.output_shape(Shape{1, 2, 2}), (Shape{1, 2, 2}));
  Matrix<double> input(1, 4);
  input << -4, -3, -2, -1;
  EXPECT_EQ(Matrix<double>(pool.forward(view_of(input))), input);
}

// Found by `scratchnet gradcheck --layers maxpool:3:padding=1,flatten,2 --input-shape 1,1,1`:
// a window whose taps all lie past the image's right edge read the next sample's first pixel
// (C++ division rounded the bound -1 / s up to 0). Each sample's lone pixel is its own maximum.
TEST(MaxPool2d, AWindowPastTheRightEdgeReadsNoOtherSample) {
  for (const Window& window : {Window{3, 3, 1}, Window{3, 1, 1}, Window{2, 5, 1}}) {
    const Shape image{3, 1, 1};  // three channels, a plane of one pixel each
    MaxPool2d<double> pool(window);
    ASSERT_EQ(pool.output_shape(image).elements(), image.elements()) << image.text();
    Matrix<double> input(4, image.elements());
    for (Index i = 0; i < input.size(); ++i)
      input.data()[i] = double((i * 7) % 5) - 2;  // neighbours in memory differ
    EXPECT_EQ(Matrix<double>(pool.forward(view_of(input))), input) << image.text();
    const Matrix<double> doutput = input.array() + 10;
    EXPECT_EQ(Matrix<double>(pool.backward(view_of(doutput))), doutput) << image.text();
  }
}

// L = Σ layer(x) ⊙ R in a Sequential<double>, against central finite differences.
void expect_gradients_match(std::unique_ptr<Layer<double>> layer, const Shape& shape, Index batch,
                            std::uint32_t seed) {
  Sequential<double> model(shape);
  model.add(std::move(layer));
  Random random(seed);
  // Uniform values: the maxima of a window are apart by far more than the finite difference's
  // step, so no tie is crossed.
  const Matrix<double> input = testing::random_matrix(batch, shape.elements(), random);
  const auto errors = testing::check_model_gradients(model, input, random);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_LT(errors[0].relative_error, kGradientTolerance);
  EXPECT_LE(errors[0].bound_ratio, 1);
}

TEST(PoolingGradientCheck, EveryWindow) {
  const Window windows[] = {{2, 2, 0}, {3, 2, 1}, {3, 1, 1}, {2, 3, 0}, {5, 2, 2}};
  std::uint32_t seed = 1;
  for (const Window& window : windows) {
    SCOPED_TRACE("kernel " + std::to_string(window.kernel) + " stride " +
                 std::to_string(window.stride) + " padding " + std::to_string(window.padding));
    expect_gradients_match(std::make_unique<MaxPool2d<double>>(window), Shape{2, 7, 6}, 3, seed++);
    expect_gradients_match(std::make_unique<AvgPool2d<double>>(window), Shape{2, 7, 6}, 3, seed++);
  }
  expect_gradients_match(std::make_unique<AdaptiveAvgPool2d<double>>(), Shape{3, 5, 4}, 2, seed++);
  expect_gradients_match(std::make_unique<AdaptiveAvgPool2d<double>>(), Shape{1, 1, 1}, 1, seed++);
  expect_gradients_match(std::make_unique<Flatten<double>>(), Shape{3, 2, 2}, 2, seed++);
}

// The layers chained in a model, as a small CNN's tail: each takes the shape the one before gives
// it (Sequential::add calls output_shape), and the gradient flows through all of them.
TEST(PoolingGradientCheck, ChainedWithFlattenAndLinear) {
  Sequential<double> model(Shape{3, 9, 8});
  model.emplace<MaxPool2d<double>>(Window{2, 2});
  model.emplace<AvgPool2d<double>>(Window{3, 1, 1});
  model.emplace<Flatten<double>>();
  model.emplace<Dense<double>>(3 * 4 * 4, 5);
  EXPECT_EQ(model.output_shape(), Shape(5));
  Random random(/*seed=*/31);
  testing::randomize_parameters(model, random);
  const Matrix<double> input = testing::random_matrix(2, model.inputs(), random);
  for (const auto& [tensor, error, bound_ratio] :
       testing::check_model_gradients(model, input, random)) {
    EXPECT_LT(error, kGradientTolerance) << tensor;
    EXPECT_LE(bound_ratio, 1) << tensor;
  }
}

// Each layer on no pool, a 2-thread and a 3-thread pool, at a batch large enough to be cut into
// many parts: the same bits.
template <typename T>
void expect_same_bits_on_any_thread_count(const std::function<std::unique_ptr<Layer<T>>()>& make,
                                          const Shape& shape) {
  Random random(/*seed=*/7);
  const Index batch = 37;
  const Matrix<T> input = testing::random_matrix(batch, shape.elements(), random).cast<T>();
  auto reference = make();
  const Shape out = reference->output_shape(shape);
  const Matrix<T> doutput = testing::random_matrix(batch, out.elements(), random).cast<T>();
  const Matrix<T> output = reference->forward(view_of(input));
  const Matrix<T> dinput = reference->backward(view_of(doutput));
  for (int threads : {2, 3}) {
    kernels::ThreadPool pool(threads);
    auto layer = make();
    layer->output_shape(shape);
    layer->use_threads(&pool);
    EXPECT_EQ(Matrix<T>(layer->forward(view_of(input))), output) << threads << " threads";
    EXPECT_EQ(Matrix<T>(layer->backward(view_of(doutput))), dinput) << threads << " threads";
  }
}

TEST(Pooling, SameBitsOnAnyThreadCount) {
  const Shape lenet{6, 28, 28};
  expect_same_bits_on_any_thread_count<float>(
      [] {
        return std::make_unique<MaxPool2d<float>>(Window{2, 2, 0});
      },
      lenet);
  expect_same_bits_on_any_thread_count<float>(
      [] {
        return std::make_unique<MaxPool2d<float>>(Window{3, 1, 1});
      },
      lenet);
  expect_same_bits_on_any_thread_count<double>(
      [] {
        return std::make_unique<AvgPool2d<double>>(Window{3, 2, 1});
      },
      lenet);
  expect_same_bits_on_any_thread_count<float>(
      [] { return std::make_unique<AdaptiveAvgPool2d<float>>(); }, lenet);
}

TEST(Pooling, DescribesItselfAsTorchDoes) {
  EXPECT_EQ(MaxPool2d<float>(Window{2, 2}).describe().text(),
            "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, return_indices=False, "
            "ceil_mode=False)");
  EXPECT_EQ(AvgPool2d<double>(Window{3, 1, 1}).describe().text(),
            "AvgPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=False, "
            "count_include_pad=True)");
  EXPECT_EQ(AdaptiveAvgPool2d<float>().describe().text(), "AdaptiveAvgPool2d(output_size=1)");
  EXPECT_EQ(Flatten<float>().describe().text(), "Flatten(start_dim=1, end_dim=-1)");
}

TEST(Pooling, OutputShapes) {
  EXPECT_EQ(MaxPool2d<float>(Window{2, 2}).output_shape(Shape{6, 28, 28}), (Shape{6, 14, 14}));
  EXPECT_EQ(MaxPool2d<float>(Window{2, 2}).output_shape(Shape{16, 11, 9}), (Shape{16, 5, 4}));
  EXPECT_EQ(AvgPool2d<float>(Window{3, 2, 1}).output_shape(Shape{1, 7, 5}), (Shape{1, 4, 3}));
  EXPECT_EQ(AdaptiveAvgPool2d<float>().output_shape(Shape{4, 5, 7}), (Shape{4, 1, 1}));
  EXPECT_EQ(Flatten<float>().output_shape(Shape{16, 5, 5}), Shape(400));
  EXPECT_EQ(Flatten<float>().output_shape(Shape(7)), Shape(7));
}

// Flatten hands back the view it was given, in both directions.
TEST(Flatten, ReturnsItsArgumentUncopied) {
  Flatten<float> flatten;
  const Matrix<float> input = Matrix<float>::Random(3, 12);
  EXPECT_EQ(flatten.forward(view_of(input)).data(), input.data());
  EXPECT_EQ(flatten.backward(view_of(input)).data(), input.data());
  EXPECT_EQ(flatten.forward(view_of(input)).cols(), 12);
}

// `action` throws std::invalid_argument whose message contains `part`.
void expect_refusal(const std::function<void()>& action, const std::string& part) {
  try {
    action();
    ADD_FAILURE() << "no exception; expected one saying \"" << part << "\"";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
  }
}

TEST(Pooling, RefusesBadWindows) {
  expect_refusal(
      [] {
        MaxPool2d<float>(Window{0, 1});
      },
      "MaxPool2d kernel_size must be at least 1, got 0");
  expect_refusal(
      [] {
        AvgPool2d<float>(Window{2, 0});
      },
      "AvgPool2d stride must be at least 1, got 0");
  expect_refusal(
      [] {
        MaxPool2d<float>(Window{2, 2, -1});
      },
      "MaxPool2d padding must not be negative, got -1");
  expect_refusal(
      [] {
        AvgPool2d<float>(Window{3, 1, 2});
      },
      "AvgPool2d padding must be at most half of kernel_size, got padding 2 for "
      "kernel_size 3");
  expect_refusal([] { MaxPool2d<float>(Window{1, 1, 1}); }, "at most half of kernel_size");
  expect_refusal(
      [] {
        MaxPool2d<float>(Window{3, 1, 0, 2});
      },
      "MaxPool2d takes dilation 1 only, got 2");
  EXPECT_NO_THROW(MaxPool2d<float>(Window{4, 1, 2}));
}

TEST(Pooling, RefusesShapesItCannotTake) {
  const MaxPool2d<float> max_pool(Window{5, 1, 1});
  expect_refusal([&] { max_pool.output_shape(Shape(784)); },
                 "MaxPool2d takes images [channels, height, width], got samples of shape [784]");
  expect_refusal(
      [&] {
        max_pool.output_shape(Shape{1, 2, 3, 4});
      },
      "got samples of shape [1, 2, 3, 4]");
  expect_refusal(
      [&] {
        max_pool.output_shape(Shape{3, 2, 9});
      },
      "MaxPool2d kernel_size 5 is larger than the 2x9 input padded by 1");
  EXPECT_EQ(max_pool.output_shape(Shape{3, 3, 9}), (Shape{3, 1, 7}));
  expect_refusal(
      [] {
        AvgPool2d<float>(Window{3, 3}).output_shape(Shape{1, 9, 2});
      },
      "AvgPool2d kernel_size 3 is larger than the 9x2 input padded by 0");
  expect_refusal(
      [] {
        AdaptiveAvgPool2d<float>().output_shape(Shape{4, 4});
      },
      "AdaptiveAvgPool2d takes images [channels, height, width], got samples of shape "
      "[4, 4]");
}

// forward() needs the image size from output_shape(), and rows of that many values.
TEST(Pooling, RefusesBatchesOfAnotherShape) {
  const Matrix<float> rows = Matrix<float>::Zero(2, 16);
  MaxPool2d<float> max_pool(Window{2, 2});
  expect_refusal([&] { max_pool.forward(view_of(rows)); },
                 "MaxPool2d must be given its sample shape (output_shape) before forward");
  max_pool.output_shape(Shape{1, 3, 3});
  expect_refusal([&] { max_pool.forward(view_of(rows)); },
                 "MaxPool2d was shaped for samples [1, 3, 3] of 9 values, got rows of 16");
  AdaptiveAvgPool2d<float> adaptive;
  expect_refusal([&] { adaptive.forward(view_of(rows)); }, "AdaptiveAvgPool2d must be given");
}

}  // namespace
}  // namespace scratchnet
