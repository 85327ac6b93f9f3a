#pragma once
// Reading the fixtures that tools/ scripts wrote with numpy, and comparing matrices against them
// with a message that shows the first values that differ.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "scratchnet/matrix.hpp"

namespace scratchnet::testing {

/// The parsed JSON of tests/fixtures/<name>; fails the test if it cannot be read.
nlohmann::json load_fixture(const std::string& name);

/// A matrix from nested JSON lists (rows of numbers).
Matrix<double> matrix_from_json(const nlohmann::json& rows);

/// Passes when every |actual − expected| <= tolerance; otherwise names the first mismatching
/// element with both values and the largest difference.
::testing::AssertionResult matrices_near(const Matrix<double>& actual,
                                         const Matrix<double>& expected, double tolerance);

}  // namespace scratchnet::testing
