// The scratchnet binary as a user runs it: output, JSON, help and every kind of bad flag.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "fixtures.hpp"

namespace scratchnet {
namespace {

using testing::CommandResult;
using testing::lines;
using testing::run_cli;

const nlohmann::json& xor_case(std::size_t index) {
  static const nlohmann::json fixture = testing::load_fixture("xor_numpy.json");
  return fixture["cases"].at(index);
}

TEST(CliXor, PrintsTheNotebooksOutputThenTheLoss) {
  const auto& expected = xor_case(0);  // seed 0, the notebook's settings
  const CommandResult result = run_cli({"xor", "--seed", "0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  const std::string printed = expected["printed"].get<std::string>();
  ASSERT_EQ(result.out.substr(0, printed.size() + 1), printed + "\n");

  const std::vector<std::string> output_lines = lines(result.out);
  ASSERT_EQ(output_lines.size(), 5u);
  const std::string prefix = "loss (sum of squared errors): ";
  ASSERT_EQ(output_lines[4].substr(0, prefix.size()), prefix);
  EXPECT_NEAR(std::stod(output_lines[4].substr(prefix.size())), expected["loss"].get<double>(),
              1e-12);
}

TEST(CliXor, DefaultSeedIsZero) {
  const CommandResult seeded = run_cli({"xor", "--seed", "0"});
  const CommandResult unseeded = run_cli({"xor"});
  EXPECT_EQ(unseeded.exit_code, 0);
  EXPECT_EQ(unseeded.out, seeded.out);
  EXPECT_NE(run_cli({"xor", "--seed", "1"}).out, seeded.out);
}

TEST(CliXor, JsonReplaysTheNumpyRun) {
  const auto& expected = xor_case(5);  // seed 3, 300 iterations, 8 hidden, lr 0.5
  const CommandResult result = run_cli(
      {"xor", "--json", "--seed", "3", "--iterations", "300", "--hidden", "8", "--lr", "0.5"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(lines(result.out).size(), 1u) << "one JSON object on one line";
  const nlohmann::json report = nlohmann::json::parse(result.out);

  EXPECT_EQ(report["seed"], 3);
  EXPECT_EQ(report["iterations"], 300);
  EXPECT_EQ(report["hidden"], 8);
  EXPECT_EQ(report["lr"], 0.5);
  for (const char* stage : {"initial", "final"}) {
    for (const char* weights : {"weights1", "weights2"}) {
      EXPECT_TRUE(testing::matrices_near(testing::matrix_from_json(report[stage][weights]),
                                         testing::matrix_from_json(expected[stage][weights]), 1e-9))
          << stage << " " << weights;
    }
  }
  EXPECT_EQ(report["initial"]["weights1"].size(), 2u);  // [2, hidden], the seed's orientation
  EXPECT_EQ(report["initial"]["weights1"][0].size(), 8u);
  EXPECT_EQ(report["initial"]["weights1"], expected["initial"]["weights1"]);  // full precision
  EXPECT_TRUE(testing::matrices_near(testing::matrix_from_json(report["output"]),
                                     testing::matrix_from_json(expected["output"]), 1e-9));
  EXPECT_NEAR(report["loss"].get<double>(), expected["loss"].get<double>(), 1e-9);
}

TEST(CliHelp, DescribesEveryFlag) {
  const CommandResult top = run_cli({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("xor"), std::string::npos);

  const CommandResult help = run_cli({"xor", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"--seed", "--iterations", "--hidden", "--lr", "--json"}) {
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(help.out.find("--seed N=0"), std::string::npos) << "the default seed is stated";
}

struct BadFlag {
  std::vector<std::string> arguments;
  std::string message;  // the one error line, after "scratchnet: error: "
};

// Names the case by its command line in test listings and failures.
void PrintTo(const BadFlag& bad_flag, std::ostream* out) {
  *out << "scratchnet";
  for (const auto& argument : bad_flag.arguments)
    *out << " " << argument;
}

class CliBadFlag : public ::testing::TestWithParam<BadFlag> {};

TEST_P(CliBadFlag, OneClearLineAndUsageHintExitTwo) {
  const CommandResult result = run_cli(GetParam().arguments);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "") << "no partial output";
  const std::vector<std::string> error_lines = lines(result.err);
  ASSERT_EQ(error_lines.size(), 2u) << result.err;
  EXPECT_EQ(error_lines[0], "scratchnet: error: " + GetParam().message);
  EXPECT_NE(error_lines[1].find("--help' for usage"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, CliBadFlag,
    ::testing::Values(
        BadFlag{{}, "no command given"}, BadFlag{{"train-xor"}, "train-xor: unknown command"},
        BadFlag{{"--bogus"}, "--bogus: unknown flag"},
        BadFlag{{"xor", "--bogus"}, "--bogus: unknown flag"},
        BadFlag{{"xor", "extra"}, "unexpected argument(s): extra"},
        // A slip of the fingers is answered with the nearest flag or command of that command.
        BadFlag{{"train", "--epoch", "5"}, "--epoch: unknown flag; did you mean --epochs?"},
        BadFlag{{"train", "--epoch=5"}, "--epoch: unknown flag; did you mean --epochs?"},
        BadFlag{{"train", "-epochs", "5"}, "-epochs: unknown flag; did you mean --epochs?"},
        BadFlag{{"eval", "m", "d", "--lables", "x"},
                "--lables: unknown flag; did you mean --labels?"},
        BadFlag{{"eval", "m", "d", "--epochs", "5"}, "--epochs: unknown flag"},
        BadFlag{{"train", "--learning-rate", "1"}, "--learning-rate: unknown flag"},
        BadFlag{{"trian"}, "trian: unknown command; did you mean train?"},
        BadFlag{{"preditc"}, "preditc: unknown command; did you mean predict?"},
        BadFlag{{"--verison"}, "--verison: unknown flag; did you mean --version?"},
        BadFlag{{"xor", "--seed"}, "--seed: needs a value"},
        BadFlag{{"xor", "--seed", "abc"},
                "--seed: expected a whole number in 0..4294967295, got 'abc'"},
        BadFlag{{"xor", "--seed", "-1"}, "--seed: '-1' is out of range 0..4294967295"},
        BadFlag{{"xor", "--seed", "4294967296"},
                "--seed: '4294967296' is out of range 0..4294967295"},
        BadFlag{{"xor", "--seed", "99999999999999999999"},
                "--seed: '99999999999999999999' is out of range 0..4294967295"},
        BadFlag{{"xor", "--seed", "1", "--seed", "2"}, "--seed: given more than once"},
        BadFlag{{"xor", "--iterations", "0"}, "--iterations: '0' is out of range 1..1000000000"},
        BadFlag{{"xor", "--iterations", "-3"}, "--iterations: '-3' is out of range 1..1000000000"},
        BadFlag{{"xor", "--iterations", "1.5"},
                "--iterations: expected a whole number in 1..1000000000, got '1.5'"},
        BadFlag{{"xor", "--iterations", ""},
                "--iterations: expected a whole number in 1..1000000000, got ''"},
        BadFlag{{"xor", "--hidden", "0"}, "--hidden: '0' is out of range 1..1000000"},
        BadFlag{{"xor", "--hidden", "four"},
                "--hidden: expected a whole number in 1..1000000, got 'four'"},
        BadFlag{{"xor", "--lr", "nan"}, "--lr: must be a finite number, got 'nan'"},
        BadFlag{{"xor", "--lr", "inf"}, "--lr: must be a finite number, got 'inf'"},
        BadFlag{{"xor", "--lr", "-inf"}, "--lr: must be a finite number, got '-inf'"},
        BadFlag{{"xor", "--lr", "-0.5"}, "--lr: must not be negative, got '-0.5'"},
        BadFlag{{"xor", "--lr", "1e999"}, "--lr: '1e999' is out of the range of a double"},
        BadFlag{{"xor", "--lr", "fast"}, "--lr: expected a number, got 'fast'"},
        BadFlag{{"xor", "--json=yes"}, "--json: takes no value"},
        // Line breaks in what was typed are escaped (fuzz/fuzz_command_line found them printed).
        BadFlag{{"xor", "--lr", "1\n2"}, "--lr: expected a number, got '1\\n2'"},
        BadFlag{{"xor", "extra\r\nline"}, "unexpected argument(s): extra\\r\\nline"},
        BadFlag{{"xor", "--bogus\n"}, "--bogus\\n: unknown flag"},
        BadFlag{{"gradcheck", "--layers", "4,\n"},
                "--layers: layer spec entry 2 '\\n': expected UNITS[:nobias][:ACTIVATION], an "
                "activation, dropout:P, conv:OUT:K, maxpool:K, avgpool:K, batchnorm, flatten or "
                "globalavgpool, and '\\n' is not a number of units"}));

// Found by fuzz/fuzz_command_line: matching CLI11's message, which quotes the argument, with
// std::regex overflowed the stack (a segmentation fault) for an argument of 40,000 characters.
TEST(CliBadArgument, AVeryLongOneGetsOneShortLine) {
  for (const std::string& argument :
       {std::string(100'000, 'a'), "--" + std::string(100'000, 'b')}) {
    const CommandResult result = run_cli({"xor", argument});
    EXPECT_EQ(result.exit_code, 2) << result.err.substr(0, 200);
    const std::vector<std::string> error_lines = lines(result.err);
    ASSERT_EQ(error_lines.size(), 2u);
    EXPECT_LT(error_lines[0].size(), 300u);
    EXPECT_TRUE(error_lines[0].starts_with(argument[0] == '-'
                                               ? "scratchnet: error: --bbb"
                                               : "scratchnet: error: unexpected argument(s): aaa"))
        << error_lines[0];
    EXPECT_TRUE(error_lines[0].ends_with(argument[0] == '-' ? "...: unknown flag" : "..."))
        << error_lines[0];
  }
}

}  // namespace
}  // namespace scratchnet
