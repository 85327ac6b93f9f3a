// Conv2d against PyTorch (float64 within 1e-10, float within a loose tolerance), against central
// finite differences, the same bits on any thread count, and its errors. im2col and col2im
// against their plain definitions.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "gradient_check.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/kernels/im2col.hpp"
#include "scratchnet/layers/conv2d.hpp"

namespace scratchnet {
namespace {

using testing::load_fixture;
using testing::matrices_near;
using testing::matrix_from_json;
using testing::random_matrix;

constexpr double kTorchTolerance = 1e-10;
constexpr double kGradientTolerance = 1e-7;  // the project's bar for a float64 gradient check

// One fixture case: the layer's options and what torch computed.
struct TorchCase {
  std::string name;
  Index in_channels, out_channels, groups;
  Window window;
  Bias bias;
  Shape input_shape, output_shape;
  Matrix<double> input, weight, bias_values, output, r, dinput, dweight, dbias;
};

Matrix<double> vector_from_json(const nlohmann::json& values) {
  Matrix<double> vector(1, Index(values.size()));
  for (Index i = 0; i < vector.cols(); ++i)
    vector(0, i) = values[std::size_t(i)].get<double>();
  return vector;
}

Shape shape_from_json(const nlohmann::json& dims) {
  return Shape(dims.get<std::vector<Index>>());
}

std::vector<TorchCase> torch_cases() {
  std::vector<TorchCase> cases;
  // Held by name: a range-for over a member of a temporary would outlive the temporary.
  const nlohmann::json fixture = load_fixture("torch_conv2d.json");
  for (const auto& c : fixture["cases"]) {
    const auto& o = c["options"];
    cases.push_back({c["name"].get<std::string>(), o["in_channels"].get<Index>(),
                     o["out_channels"].get<Index>(), o["groups"].get<Index>(),
                     Window{o["kernel_size"].get<Index>(), o["stride"].get<Index>(),
                            o["padding"].get<Index>(), o["dilation"].get<Index>()},
                     o["bias"].get<bool>() ? Bias::add : Bias::none,
                     shape_from_json(c["input_shape"]), shape_from_json(c["output_shape"]),
                     matrix_from_json(c["input"]), matrix_from_json(c["weight"]),
                     vector_from_json(c["bias"]), matrix_from_json(c["output"]),
                     matrix_from_json(c["r"]), matrix_from_json(c["dinput"]),
                     matrix_from_json(c["dweight"]), vector_from_json(c["dbias"])});
  }
  return cases;
}

// A Conv2d bound to parameters and gradients of its own, shaped for the case's images.
template <typename T>
struct BoundConv {
  Conv2d<T> layer;
  std::vector<T> values, gradients;

  explicit BoundConv(const TorchCase& c)
      : layer(c.in_channels, c.out_channels, c.window, c.groups, c.bias) {
    EXPECT_EQ(layer.output_shape(c.input_shape), c.output_shape) << c.name;
    Index size = 0;
    for (const auto& shape : layer.parameter_shapes())
      size += shape.size();
    values.assign(std::size_t(size), T(0));
    gradients.assign(std::size_t(size), T(0));
    layer.bind_parameters(values.data(), gradients.data());
    layer.weight() = c.weight.cast<T>();
    if (layer.has_bias()) layer.bias() = c.bias_values.row(0).transpose().cast<T>();
  }
};

TEST(Conv2dTorch, MatchesPyTorchInFloat64) {
  for (const TorchCase& c : torch_cases()) {
    BoundConv<double> conv(c);
    const Matrix<double> output = conv.layer.forward(view_of(c.input));
    EXPECT_TRUE(matrices_near(output, c.output, kTorchTolerance)) << c.name << " output";
    const Matrix<double> dinput = conv.layer.backward(view_of(c.r));
    EXPECT_TRUE(matrices_near(dinput, c.dinput, kTorchTolerance)) << c.name << " dinput";
    EXPECT_TRUE(matrices_near(conv.layer.dweight(), c.dweight, kTorchTolerance))
        << c.name << " dweight";
    if (conv.layer.has_bias()) {
      EXPECT_TRUE(matrices_near(conv.layer.dbias().transpose(), c.dbias, kTorchTolerance))
          << c.name << " dbias";
    }
  }
}

// backward_parameters adds the same parameter gradients as backward; both add, never overwrite.
TEST(Conv2dTorch, BackwardParametersAddsWhatBackwardAdds) {
  for (const TorchCase& c : torch_cases()) {
    BoundConv<double> conv(c);
    conv.layer.forward(view_of(c.input));
    conv.layer.backward_parameters(view_of(c.r));
    conv.layer.backward_parameters(view_of(c.r));
    EXPECT_TRUE(matrices_near(conv.layer.dweight(), 2 * c.dweight, 2 * kTorchTolerance)) << c.name;
    if (conv.layer.has_bias()) {
      EXPECT_TRUE(matrices_near(conv.layer.dbias().transpose(), 2 * c.dbias, 2 * kTorchTolerance))
          << c.name;
    }
  }
}

// Float rounds each product and sum to 24 bits: relative to the largest value, 1e-5 is ample
// for sums of at most 150 terms.
TEST(Conv2dTorch, MatchesPyTorchInFloat) {
  const auto near = [](const Matrix<float>& actual, const Matrix<double>& expected) {
    const double scale = std::max(1.0, expected.cwiseAbs().maxCoeff());
    return matrices_near(actual.cast<double>(), expected, 1e-5 * scale);
  };
  for (const TorchCase& c : torch_cases()) {
    BoundConv<float> conv(c);
    const Matrix<float> input = c.input.cast<float>(), r = c.r.cast<float>();
    const Matrix<float> output = conv.layer.forward(view_of(input));
    EXPECT_TRUE(near(output, c.output)) << c.name << " output";
    const Matrix<float> dinput = conv.layer.backward(view_of(r));
    EXPECT_TRUE(near(dinput, c.dinput)) << c.name << " dinput";
    EXPECT_TRUE(near(conv.layer.dweight(), c.dweight)) << c.name << " dweight";
    if (conv.layer.has_bias()) {
      EXPECT_TRUE(near(conv.layer.dbias().transpose(), c.dbias)) << c.name << " dbias";
    }
  }
}

// Every option the fixtures use, against central differences through a Sequential<double>, on
// batches of 2 (the parameter gradients sum over samples).
TEST(Conv2dGradients, MatchFiniteDifferencesForEveryOption) {
  std::uint32_t seed = 100;
  for (const TorchCase& c : torch_cases()) {
    Sequential<double> model(c.input_shape);
    model.emplace<Conv2d<double>>(c.in_channels, c.out_channels, c.window, c.groups, c.bias);
    Random random(++seed);
    testing::randomize_parameters(model, random);
    const Matrix<double> input = random_matrix(2, model.inputs(), random);
    const auto errors = testing::check_model_gradients(model, input, random);
    ASSERT_EQ(errors.size(), 1 + model.named_parameters().size()) << c.name;
    // The packed-products case sums 1,008 outputs of 150 products each into L, more rounding
    // than the error bound's few units of L allow for (bound_ratio 1.5-1.8); its gradients
    // match torch's within 1e-10 above, so only the relative error is asked of it.
    const bool large = c.name == "large_enough_for_packed_products";
    for (const auto& [tensor, error, bound_ratio] : errors) {
      EXPECT_LT(error, kGradientTolerance) << c.name << ": gradient of " << tensor;
      if (!large) {
        EXPECT_LE(bound_ratio, 1) << c.name << ": gradient of " << tensor;
      }
    }
  }
}

// torch.nn.Conv2d.reset_parameters: kaiming_uniform_(weight, a=√5), whose bound is
// gain·√(3 / fan_in) with gain = √(2 / (1 + 5)), that is 1/√fan_in; and bias ~ U(±1/√fan_in)
// with fan_in = in_channels / groups · k², from the weight's shape. That is torch_default as
// initialize() computes it for a weight [out, in / groups, k, k]: no change was needed.
TEST(Conv2dInitializer, TorchDefaultIsTorchsConv2dReset) {
  Sequential<double> model(Shape{6, 12, 12});
  model.emplace<Conv2d<double>>(6, 8, Window{3}, /*groups=*/2);
  Random random(/*seed=*/7);
  initialize(model, Initializer::torch_default, random);
  const double bound = 1 / std::sqrt(3.0 * 3 * 3);  // fan_in = 6 / 2 · 3 · 3
  const auto weight = model.parameter(0, "weight"), bias = model.parameter(0, "bias");
  ASSERT_EQ(weight.shape, (std::vector<Index>{8, 3, 3, 3}));
  const Eigen::Map<const Eigen::VectorXd> w(weight.values, 8 * 27), b(bias.values, 8);
  EXPECT_LE(w.cwiseAbs().maxCoeff(), bound);
  EXPECT_GT(w.cwiseAbs().maxCoeff(), 0.9 * bound);  // 216 draws reach the edges of the range
  EXPECT_LE(b.cwiseAbs().maxCoeff(), bound);
}

template <typename T>
struct Gradients {
  Matrix<T> output, dinput, dparameters;
};

// One forward and backward of a conv with fixed parameters on `pool`.
template <typename T>
Gradients<T> run_on(kernels::ThreadPool* pool, Index in, Index out, Window window, Index groups,
                    const Shape& image, const Matrix<T>& input, const Matrix<T>& doutput,
                    bool parameters_only) {
  Sequential<T> model(image);
  model.template emplace<Conv2d<T>>(in, out, window, groups);
  Random random(/*seed=*/3);
  initialize(model, Initializer::torch_default, random);
  model.use_threads(pool);
  Gradients<T> result;
  result.output = model.forward(input);
  if (parameters_only) {
    model.backward_parameters(doutput);
  } else {
    result.dinput = model.backward(doutput);
  }
  result.dparameters = model.gradients();
  return result;
}

// Samples are split between threads by the thread count, but each sample's output and input
// gradient is computed whole by one thread, and the parameter gradients are summed in chunks of
// fixed size added in order: the same bits on any thread count.
TEST(Conv2dThreads, SameBitsOnAnyThreadCount) {
  struct Case {
    Index in, out, groups;
    Window window;
    Shape image;
    Index batch;
  };
  const std::vector<Case> cases = {
      {6, 16, 1, Window{5}, Shape{6, 14, 14}, 21},        // LeNet-5's second conv
      {1, 6, 1, Window{5, 1, 2}, Shape{1, 28, 28}, 19},   // and its first
      {4, 6, 2, Window{3, 2, 1, 2}, Shape{4, 9, 8}, 30},  // groups, stride, dilation
      {3, 3, 3, Window{3, 1, 1}, Shape{3, 7, 5}, 2}};     // depthwise, one chunk
  for (const Case& c : cases) {
    Random random(/*seed=*/5);
    const Matrix<float> input = random_matrix(c.batch, c.image.elements(), random).cast<float>();
    Conv2d<float> probe(c.in, c.out, c.window, c.groups);
    const Index outputs = probe.output_shape(c.image).elements();
    const Matrix<float> doutput = random_matrix(c.batch, outputs, random).cast<float>();
    for (bool parameters_only : {false, true}) {
      const auto alone = run_on<float>(nullptr, c.in, c.out, c.window, c.groups, c.image, input,
                                       doutput, parameters_only);
      for (int threads : {2, 3}) {
        kernels::ThreadPool pool(threads);
        const auto shared = run_on<float>(&pool, c.in, c.out, c.window, c.groups, c.image, input,
                                          doutput, parameters_only);
        const std::string what = c.image.text() + " on " + std::to_string(threads) + " threads";
        EXPECT_TRUE(shared.output == alone.output) << what;
        EXPECT_TRUE(shared.dinput == alone.dinput) << what;
        EXPECT_TRUE(shared.dparameters == alone.dparameters) << what;
      }
    }
  }
}

// Layer state from one batch must not leak into the next: a smaller batch after a larger one
// gives what it gives alone.
TEST(Conv2dThreads, SmallerBatchAfterLargerOneGivesItsOwnResult) {
  Random random(/*seed=*/9);
  const Shape image{2, 6, 5};
  const Matrix<double> big = random_matrix(20, image.elements(), random);
  Conv2d<double> probe(2, 3, Window{3, 1, 1});
  const Index outputs = probe.output_shape(image).elements();
  const Matrix<double> dbig = random_matrix(20, outputs, random);
  const Matrix<double> small = big.topRows(3), dsmall = dbig.topRows(3);
  const auto fresh = run_on<double>(nullptr, 2, 3, Window{3, 1, 1}, 1, image, small, dsmall, false);
  Sequential<double> model(image);
  model.emplace<Conv2d<double>>(2, 3, Window{3, 1, 1});
  Random init(/*seed=*/3);
  initialize(model, Initializer::torch_default, init);
  model.forward(big);
  model.backward(dbig);
  model.zero_gradients();
  EXPECT_TRUE(Matrix<double>(model.forward(small)) == fresh.output);
  EXPECT_TRUE(Matrix<double>(model.backward(dsmall)) == fresh.dinput);
  EXPECT_TRUE(Matrix<double>(model.gradients()) == fresh.dparameters);
}

TEST(Conv2dDescription, IsTorchsConstructorCall) {
  const Conv2d<float> conv(6, 16, Window{5, 2, 1, 3}, /*groups=*/2, Bias::none);
  EXPECT_EQ(conv.describe().text(),
            "Conv2d(in_channels=6, out_channels=16, kernel_size=5, stride=2, padding=1, "
            "dilation=3, groups=2, bias=False)");
  const auto shapes = conv.parameter_shapes();
  ASSERT_EQ(shapes.size(), 1u);
  EXPECT_EQ(shapes[0].name, "weight");
  EXPECT_EQ(shapes[0].shape, (std::vector<Index>{16, 3, 5, 5}));
  const Conv2d<float> with_bias(1, 6, Window{5, 1, 2});
  ASSERT_EQ(with_bias.parameter_shapes().size(), 2u);
  EXPECT_EQ(with_bias.parameter_shapes()[1].name, "bias");
  EXPECT_EQ(with_bias.parameter_shapes()[1].shape, (std::vector<Index>{6}));
  EXPECT_EQ(with_bias.output_shape(Shape{1, 28, 28}), (Shape{6, 28, 28}));
}

// The message of the std::invalid_argument `action` throws; fails the test if none.
template <typename Action>
std::string error_of(const Action& action) {
  try {
    action();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  ADD_FAILURE() << "no std::invalid_argument";
  return "";
}

TEST(Conv2dErrors, ConstructorRefusesBadSizes) {
  using C = Conv2d<float>;
  EXPECT_EQ(error_of([] { C(0, 2, Window{3}); }),
            "Conv2d needs at least 1 input and 1 output channel, got 0 -> 2");
  EXPECT_EQ(error_of([] { C(2, -1, Window{3}); }),
            "Conv2d needs at least 1 input and 1 output channel, got 2 -> -1");
  EXPECT_EQ(error_of([] { C(1, 2, Window{0}); }), "Conv2d kernel_size must be at least 1, got 0");
  EXPECT_EQ(error_of([] { C(1, 2, Window{3, 0}); }), "Conv2d stride must be at least 1, got 0");
  EXPECT_EQ(error_of([] {
              C(1, 2, Window{3, 1, -1});
            }),
            "Conv2d padding must not be negative, got -1");
  EXPECT_EQ(error_of([] {
              C(1, 2, Window{3, 1, 0, 0});
            }),
            "Conv2d dilation must be at least 1, got 0");
  EXPECT_EQ(error_of([] { C(2, 2, Window{3}, 0); }), "Conv2d groups must be at least 1, got 0");
  EXPECT_EQ(error_of([] { C(3, 4, Window{3}, 2); }),
            "Conv2d in_channels (3) must be divisible by groups (2)");
  EXPECT_EQ(error_of([] { C(4, 3, Window{3}, 2); }),
            "Conv2d out_channels (3) must be divisible by groups (2)");
  // Padding larger than the kernel is allowed, as torch allows it.
  EXPECT_EQ(C(1, 1, Window{3, 1, 5}).output_shape(Shape{1, 2, 2}), (Shape{1, 10, 10}));
}

TEST(Conv2dErrors, OutputShapeRefusesImagesItCannotTake) {
  const Conv2d<float> conv(3, 4, Window{5, 1, 1, 1});
  EXPECT_EQ(error_of([&] { conv.output_shape(Shape(75)); }),
            "Conv2d takes images [channels, height, width], got samples of shape [75]");
  EXPECT_EQ(error_of([&] {
              conv.output_shape(Shape{2, 8, 8});
            }),
            "Conv2d expects 3 input channels, got samples of shape [2, 8, 8]");
  EXPECT_EQ(error_of([&] {
              conv.output_shape(Shape{3, 2, 9});
            }),
            "Conv2d kernel_size 5 (dilation 1) is larger than the 2x9 input padded by 1");
  // Dilation widens the window: 3 taps 3 apart span 7 values, one more than 4 + 2·1.
  const Conv2d<float> dilated(1, 1, Window{3, 1, 1, 3});
  EXPECT_EQ(dilated.output_shape(Shape{1, 5, 5}), (Shape{1, 1, 1}));
  EXPECT_EQ(error_of([&] {
              dilated.output_shape(Shape{1, 4, 5});
            }),
            "Conv2d kernel_size 3 (dilation 3) is larger than the 4x5 input padded by 1");
}

TEST(Conv2dErrors, ForwardRefusesRowsOfAnotherSize) {
  Conv2d<float> conv(1, 2, Window{3});
  const Matrix<float> rows = Matrix<float>::Zero(2, 25);
  EXPECT_EQ(error_of([&] { conv.forward(view_of(rows)); }),
            "Conv2d must be given its sample shape (output_shape) before forward");
  conv.output_shape(Shape{1, 6, 6});
  EXPECT_EQ(error_of([&] { conv.forward(view_of(rows)); }),
            "Conv2d was shaped for samples of 36 values, got rows of 25");
}

// im2col's plain definition: one value per (row, position), the padding read as 0.
Matrix<double> plain_im2col(const Matrix<double>& image, const kernels::ConvolutionGeometry& g) {
  Matrix<double> columns(g.patch_size(), g.positions());
  for (Index c = 0; c < g.channels; ++c) {
    for (Index ki = 0; ki < g.kernel; ++ki) {
      for (Index kj = 0; kj < g.kernel; ++kj) {
        for (Index oy = 0; oy < g.out_height; ++oy) {
          for (Index ox = 0; ox < g.out_width; ++ox) {
            const Index y = oy * g.stride - g.padding + ki * g.dilation;
            const Index x = ox * g.stride - g.padding + kj * g.dilation;
            const bool inside = y >= 0 && y < g.height && x >= 0 && x < g.width;
            columns((c * g.kernel + ki) * g.kernel + kj, oy * g.out_width + ox) =
                inside ? image(0, (c * g.height + y) * g.width + x) : 0.0;
          }
        }
      }
    }
  }
  return columns;
}

// The wide columns (stride 1) hold im2col's columns at the positions inside the image; the
// padding goes in and comes off again; wide_col2im_add is wide_im2col's adjoint.
void check_wide_columns(const Matrix<double>& image, const kernels::ConvolutionGeometry& g,
                        const Matrix<double>& columns, Random& random, const std::string& what) {
  Matrix<double> padded = Matrix<double>::Constant(1, g.padded_size(), 9.0);
  kernels::pad_image(image.data(), g, padded.data());
  Matrix<double> cropped = Matrix<double>::Constant(1, image.cols(), 9.0);
  kernels::crop_image(padded.data(), g, cropped.data());
  EXPECT_TRUE(cropped == image) << what;
  EXPECT_NEAR(padded.sum(), image.sum(), 1e-12) << what << ": the padding is zeros";

  Matrix<double> wide = Matrix<double>::Constant(g.patch_size(), g.wide_positions(), 9.0);
  kernels::wide_im2col(padded.data(), g, wide.data());
  for (Index oy = 0; oy < g.out_height; ++oy) {
    EXPECT_TRUE(wide.middleCols(oy * g.padded_width(), g.out_width) ==
                columns.middleCols(oy * g.out_width, g.out_width))
        << what << ", line " << oy;
  }

  const Matrix<double> y = random_matrix(g.patch_size(), g.wide_positions(), random);
  Matrix<double> folded = Matrix<double>::Zero(1, g.padded_size());
  kernels::wide_col2im_add(y.data(), g, folded.data());
  EXPECT_NEAR(wide.cwiseProduct(y).sum(), padded.cwiseProduct(folded).sum(), 1e-12) << what;
}

// Against the plain definition for every kind of window, and col2im as im2col's adjoint:
// ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩ for any x, y.
TEST(Im2col, MatchesThePlainDefinitionAndCol2imIsItsAdjoint) {
  Random random(/*seed=*/11);
  const std::vector<Window> windows = {{3},          {3, 2, 1},    {5, 1, 2},    {3, 1, 1, 2},
                                       {1, 3},       {2, 3, 0, 1}, {4, 1, 5, 1}, {3, 2, 2, 2},
                                       {5, 3, 4, 2}, {7, 1, 3}};
  for (const Window& w : windows) {
    for (const auto& [height, width] : std::vector<std::pair<Index, Index>>{{7, 5}, {4, 9}}) {
      kernels::ConvolutionGeometry g{2,
                                     height,
                                     width,
                                     w.kernel,
                                     w.stride,
                                     w.padding,
                                     w.dilation,
                                     window_output_size(height, w),
                                     window_output_size(width, w)};
      if (g.out_height < 1 || g.out_width < 1) continue;
      const std::string what = "kernel " + std::to_string(w.kernel) + " stride " +
                               std::to_string(w.stride) + " padding " + std::to_string(w.padding) +
                               " dilation " + std::to_string(w.dilation) + " on " +
                               std::to_string(height) + "x" + std::to_string(width);
      const Matrix<double> image = random_matrix(1, 2 * height * width, random);
      Matrix<double> columns = Matrix<double>::Constant(g.patch_size(), g.positions(), 9.0);
      kernels::im2col(image.data(), g, columns.data());
      EXPECT_TRUE(columns == plain_im2col(image, g)) << what;

      const Matrix<double> y = random_matrix(g.patch_size(), g.positions(), random);
      Matrix<double> folded = Matrix<double>::Zero(1, image.cols());
      kernels::col2im_add(y.data(), g, folded.data());
      EXPECT_NEAR(columns.cwiseProduct(y).sum(), image.cwiseProduct(folded).sum(), 1e-12) << what;
      if (w.stride == 1) check_wide_columns(image, g, columns, random, what);
    }
  }
}

}  // namespace
}  // namespace scratchnet
