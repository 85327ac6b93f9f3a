// The tool guides its user: a network whose last activation the loss applies again is refused
// with the fix, a run that will not save its model says so before it starts, and predictions
// are written with the digits of the model's precision, no more and no fewer.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using testing::CommandResult;
using testing::fresh_folder;
using testing::lines;
using testing::run_cli;
using testing::two_feature_csv;
using testing::write_bytes;

// Two numeric features and a 0/1 label, for bce (a binary class) and mse (a number) alike.
std::string zero_one_csv(int rows) {
  std::string text = "a,b,y\n";
  for (int i = 0; i < rows; ++i) {
    const double a = (i % 17) / 17.0, b = (i % 5) / 5.0;
    text += std::to_string(a) + "," + std::to_string(b) + "," + (a > b ? "1" : "0") + "\n";
  }
  return text;
}

struct Refusal {
  std::vector<std::string> flags;
  std::string activation, kept_spec;
};

void PrintTo(const Refusal& refusal, std::ostream* out) {
  for (const std::string& flag : refusal.flags)
    *out << flag << " ";
}

class CliFinalActivation : public ::testing::TestWithParam<Refusal> {};

// One line that names --layers, says what to drop and why, and gives the spec without it.
TEST_P(CliFinalActivation, IsRefusedWithTheFix) {
  const std::string folder = fresh_folder("final_activation");
  write_bytes(folder + "/data.csv", zero_one_csv(60));
  std::vector<std::string> arguments = {"train", "--data", folder + "/data.csv",         "--epochs",
                                        "1",     "--out",  folder + "/model.safetensors"};
  arguments.insert(arguments.end(), GetParam().flags.begin(), GetParam().flags.end());
  const CommandResult result = run_cli(arguments);
  EXPECT_EQ(result.exit_code, 2);
  const std::vector<std::string> error = lines(result.err);
  ASSERT_EQ(error.size(), 2u) << result.err;
  const std::string& a = GetParam().activation;
  EXPECT_TRUE(error[0].starts_with("scratchnet: error: --layers: ends in " + a + ", but the "))
      << error[0];
  EXPECT_NE(error[0].find("applies the " + a + " itself"), std::string::npos) << error[0];
  EXPECT_NE(error[0].find("drop the final " + a + " ('" + GetParam().kept_spec + "')"),
            std::string::npos)
      << error[0];
  EXPECT_NE(error[0].find("predict outputs probabilities anyway"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(folder + "/model.safetensors"));
}

INSTANTIATE_TEST_SUITE_P(
    LossesThatApplyIt, CliFinalActivation,
    ::testing::Values(
        Refusal{{"--layers", "8:relu,2:softmax"}, "softmax", "8:relu,2"},
        Refusal{{"--layers", "8:relu,2,softmax"}, "softmax", "8:relu,2"},
        // Dropout computes nothing when predicting: the softmax is still last.
        Refusal{{"--layers", "8:relu,2:softmax,dropout:0.5"}, "softmax", "8:relu,2,dropout:0.5"},
        Refusal{{"--loss", "bce", "--layers", "8:tanh,1:sigmoid"}, "sigmoid", "8:tanh,1"}));

// A loss that does not apply them leaves softmax and sigmoid alone: mse on a sigmoid output is a
// model of a probability, and a softmax inside the network is the user's business.
TEST(CliFinalActivation, IsAllowedWhereTheLossDoesNotApplyIt) {
  const std::string folder = fresh_folder("final_activation_ok");
  write_bytes(folder + "/data.csv", zero_one_csv(60));
  for (const std::vector<std::string>& flags :
       {std::vector<std::string>{"--loss", "mse", "--layers", "8:relu,1:sigmoid"},
        std::vector<std::string>{"--layers", "8:softmax,2"}}) {
    std::vector<std::string> arguments = {
        "train",   "--data", folder + "/data.csv",         "--epochs", "1",
        "--quiet", "--out",  folder + "/model.safetensors"};
    arguments.insert(arguments.end(), flags.begin(), flags.end());
    const CommandResult result = run_cli(arguments);
    EXPECT_EQ(result.exit_code, 0) << result.err;
  }
}

// A model to start from is checked as --layers is: its spec ends in the sigmoid bce applies.
TEST(CliFinalActivation, AModelToStartFromIsCheckedToo) {
  const std::string folder = fresh_folder("final_activation_init");
  const std::string data = folder + "/data.csv", model = folder + "/sigmoid.safetensors";
  write_bytes(data, zero_one_csv(60));
  ASSERT_EQ(run_cli({"train", "--data", data, "--loss", "mse", "--layers", "8:relu,1:sigmoid",
                     "--epochs", "1", "--quiet", "--out", model})
                .exit_code,
            0);
  const CommandResult result = run_cli({"train", "--data", data, "--loss", "bce", "--init", model,
                                        "--epochs", "1", "--out", folder + "/again.safetensors"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(lines(result.err)
                  .at(0)
                  .starts_with("scratchnet: error: --init: the network of " + model +
                               " ends in sigmoid, but the bce loss applies the sigmoid itself"))
      << result.err;
}

// Before any work, and only when there is no --out.
TEST(CliGuidance, TrainingWithoutOutSaysTheModelWillNotBeSaved) {
  const std::string folder = fresh_folder("no_out");
  write_bytes(folder + "/data.csv", two_feature_csv(50));
  const std::vector<std::string> train = {
      "train", "--data", folder + "/data.csv", "--layers", "4:relu,2", "--epochs", "1", "--quiet"};
  const CommandResult without = run_cli(train);
  EXPECT_EQ(without.exit_code, 0) << without.err;
  EXPECT_EQ(without.err,
            "scratchnet: warning: no --out: the trained model will not be saved; pass --out FILE "
            "to keep it\n");
  std::vector<std::string> with = train;
  with.insert(with.end(), {"--out", folder + "/model.safetensors"});
  const CommandResult saved = run_cli(with);
  EXPECT_EQ(saved.exit_code, 0) << saved.err;
  EXPECT_EQ(saved.err, "");
}

// The significant digits of a decimal number's text ("0.0012300" has 5: 12300).
int significant_digits(const std::string& text) {
  const std::string mantissa = text.substr(0, text.find_first_of("eE"));
  std::string digits;
  for (const char c : mantissa)
    if (c >= '0' && c <= '9') digits += c;
  const std::size_t first = digits.find_first_not_of('0');
  return first == std::string::npos ? 1 : int(digits.size() - first);
}

// Whether `text` is the shortest decimal that reads back as the same float (or double): it
// reads back so, and with one significant digit fewer (printf's rounding) it does not.
template <typename T>
bool is_shortest(const std::string& text) {
  const auto read = [](const std::string& t) {
    return static_cast<T>(std::is_same_v<T, float> ? std::strtof(t.c_str(), nullptr)
                                                   : std::strtod(t.c_str(), nullptr));
  };
  const T value = read(text);
  const int digits = significant_digits(text);
  if (digits == 1) return true;
  char shorter[64];
  std::snprintf(shorter, sizeof shorter, "%.*e", digits - 2, double(value));
  return read(shorter) != value;
}

// Each number is the shortest text of its value in `dtype`'s precision: a float32 one has at
// most 9 significant digits, and some float64 one shows more.
void expect_digits_of(const std::string& dtype, const std::vector<std::string>& numbers) {
  int most_digits = 0;
  for (const std::string& number : numbers) {
    EXPECT_TRUE(dtype == "f32" ? is_shortest<float>(number) : is_shortest<double>(number))
        << dtype << ": " << number;
    most_digits = std::max(most_digits, significant_digits(number));
  }
  if (dtype == "f32") {
    EXPECT_LE(most_digits, 9);
  } else {
    EXPECT_GT(most_digits, 9);
  }
}

// The probabilities of every row, as written.
std::vector<std::string> probability_cells(const std::string& csv) {
  std::vector<std::string> cells;
  const std::vector<std::string> rows = lines(csv);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::size_t at = rows[r].find(',');
    while (at != std::string::npos) {
      const std::size_t next = rows[r].find(',', at + 1);
      cells.push_back(rows[r].substr(at + 1, next == std::string::npos ? next : next - at - 1));
      at = next;
    }
  }
  return cells;
}

TEST(CliGuidance, PredictWritesTheDigitsOfTheModelsPrecision) {
  const std::string folder = fresh_folder("predict_digits");
  const std::string data = folder + "/data.csv";
  write_bytes(data, two_feature_csv(80));
  for (const std::string dtype : {"f32", "f64"}) {
    const std::string model = folder + "/" + dtype + ".safetensors";
    ASSERT_EQ(run_cli({"train", "--data", data, "--layers", "8:tanh,2", "--epochs", "2", "--quiet",
                       "--dtype", dtype, "--out", model})
                  .exit_code,
              0);
    const CommandResult predicted = run_cli({"predict", model, data});
    ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
    const std::vector<std::string> cells = probability_cells(predicted.out);
    ASSERT_EQ(cells.size(), 160u);
    expect_digits_of(dtype, cells);
  }
}

// The values under `key` in JSON text, as written.
std::vector<std::string> json_numbers(const std::string& text, const std::string& key) {
  std::vector<std::string> numbers;
  const std::regex number("\"" + key + "\":(-?[0-9][0-9.eE+-]*)");
  for (std::sregex_iterator it(text.begin(), text.end(), number), end; it != end; ++it)
    numbers.push_back((*it)[1]);
  return numbers;
}

// A float32 run's losses in train --json and --log, and a float32 model's loss in eval --json,
// have float32's digits; a float64 run's keep double's.
TEST(CliGuidance, JsonAndLogLossesHaveTheDigitsOfTheRunsPrecision) {
  const std::string folder = fresh_folder("json_digits");
  const std::string data = folder + "/data.csv";
  write_bytes(data, two_feature_csv(80));
  for (const std::string dtype : {"f32", "f64"}) {
    const std::string model = folder + "/" + dtype + ".safetensors", log = folder + "/log.csv";
    const CommandResult trained =
        run_cli({"train", "--data", data, "--test", data, "--layers", "8:tanh,2", "--epochs", "3",
                 "--dtype", dtype, "--json", "--log", log, "--out", model});
    ASSERT_EQ(trained.exit_code, 0) << trained.err;
    const CommandResult evaluated = run_cli({"eval", model, data, "--json"});
    ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
    std::vector<std::string> losses = json_numbers(trained.out, "loss");
    const std::vector<std::string> val = json_numbers(trained.out, "val_loss");
    const std::vector<std::string> eval_loss = json_numbers(evaluated.out, "loss");
    losses.insert(losses.end(), val.begin(), val.end());
    losses.insert(losses.end(), eval_loss.begin(), eval_loss.end());
    const std::vector<std::string> rows = lines(testing::read_bytes(log));
    for (std::size_t r = 1; r < rows.size(); ++r) {  // epoch,loss,accuracy,val_loss,...
      std::vector<std::string> cells;
      std::size_t start = 0;
      for (std::size_t comma; (comma = rows[r].find(',', start)) != std::string::npos;
           start = comma + 1)
        cells.push_back(rows[r].substr(start, comma - start));
      losses.push_back(cells.at(1));
      losses.push_back(cells.at(3));
    }
    ASSERT_EQ(losses.size(), 3u + 3u + 1u + 1u + 6u) << trained.out;
    expect_digits_of(dtype, losses);
  }
}

}  // namespace
}  // namespace scratchnet
