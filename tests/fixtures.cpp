#include "fixtures.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

namespace scratchnet::testing {

nlohmann::json load_fixture(const std::string& name) {
  const std::string path = std::string(SCRATCHNET_FIXTURES_DIR) + "/" + name;
  std::ifstream file(path);
  if (!file) {
    ADD_FAILURE() << "cannot open fixture " << path;
    return {};
  }
  return nlohmann::json::parse(file);
}

Matrix<double> matrix_from_json(const nlohmann::json& rows) {
  const Index row_count = Index(rows.size());
  const Index col_count = row_count == 0 ? 0 : Index(rows[0].size());
  Matrix<double> matrix(row_count, col_count);
  for (Index r = 0; r < row_count; ++r) {
    for (Index c = 0; c < col_count; ++c)
      matrix(r, c) = rows[r][c].get<double>();
  }
  return matrix;
}

::testing::AssertionResult matrices_near(const Matrix<double>& actual,
                                         const Matrix<double>& expected, double tolerance) {
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols()) {
    return ::testing::AssertionFailure()
           << "shape " << actual.rows() << "x" << actual.cols() << ", expected " << expected.rows()
           << "x" << expected.cols();
  }
  double worst = 0;
  Index first_row = -1, first_col = -1;
  for (Index r = 0; r < actual.rows(); ++r) {
    for (Index c = 0; c < actual.cols(); ++c) {
      const double difference = std::abs(actual(r, c) - expected(r, c));
      if (!(difference <= tolerance) && first_row < 0) first_row = r, first_col = c;
      if (!(difference <= worst)) worst = difference;  // also catches NaN
    }
  }
  if (first_row < 0) return ::testing::AssertionSuccess();
  std::ostringstream message;
  message.precision(17);
  message << "first mismatch at (" << first_row << ", " << first_col
          << "): " << actual(first_row, first_col) << " vs expected "
          << expected(first_row, first_col) << "; largest difference " << worst << " > tolerance "
          << tolerance;
  return ::testing::AssertionFailure() << message.str();
}

}  // namespace scratchnet::testing
