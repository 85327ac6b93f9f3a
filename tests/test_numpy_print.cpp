// numpy_str lays out a column exactly as numpy's str() does; the expected text is numpy's own.
#include <gtest/gtest.h>

#include <charconv>

#include "fixtures.hpp"
#include "scratchnet/text/numpy_print.hpp"

namespace scratchnet {
namespace {

double parse_repr(const std::string& text) {
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  EXPECT_EQ(result.ptr, text.data() + text.size()) << "cannot read fixture value " << text;
  return value;
}

TEST(NumpyPrint, MatchesNumpyStrForEveryLayoutRule) {
  const nlohmann::json fixture = testing::load_fixture("numpy_print.json");
  ASSERT_FALSE(fixture["cases"].empty());
  for (const auto& numpy_case : fixture["cases"]) {
    const auto& rows = numpy_case["values"];
    Matrix<double> values(Index(rows.size()), Index(rows[0].size()));
    for (Index r = 0; r < values.rows(); ++r) {
      for (Index c = 0; c < values.cols(); ++c)
        values(r, c) = parse_repr(rows[r][c]);
    }
    EXPECT_EQ(numpy_str(values), numpy_case["text"].get<std::string>());
  }
}

}  // namespace
}  // namespace scratchnet
