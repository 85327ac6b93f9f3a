#include "gradient_check.hpp"

namespace scratchnet::testing {
namespace {

// L = Σ prediction ⊙ R: its gradient is R itself, a random weight on every output.
class ProjectionLoss final : public Loss<double> {
 public:
  Task task() const override { return Task::regression; }
  double forward(ConstMatrixRef<double> prediction, ConstMatrixRef<double> projection) override {
    gradient_.reshape(projection.rows(), projection.cols()) = projection;
    return prediction.cwiseProduct(projection).sum();
  }
  ConstMatrixView<double> backward() override { return gradient_.const_view(); }

 private:
  BatchBuffer<double> gradient_;
};

}  // namespace

Matrix<double> random_matrix(Index rows, Index cols, Random& random, double low, double high) {
  Matrix<double> matrix(rows, cols);
  for (double& value : matrix.reshaped())
    value = low + (high - low) * random.uniform();
  return matrix;
}

void randomize_parameters(Sequential<double>& model, Random& random, double low, double high) {
  for (double& value : model.parameters())
    value = low + (high - low) * random.uniform();
}

std::vector<TensorError> check_model_gradients(Sequential<double>& model,
                                               const Matrix<double>& input, Random& random) {
  ProjectionLoss projection_loss;
  const Matrix<double> projection = random_matrix(input.rows(), model.outputs(), random);
  return check_gradients(model, projection_loss, input, projection);
}

}  // namespace scratchnet::testing
