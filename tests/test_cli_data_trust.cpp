// No wrong answer with exit status 0, and no error after the work: predict and eval refuse
// outputs that are not finite (naming the row) unless asked to write them as nan; train checks
// everything it can (UTF-8, the range of every feature, --test's classes, how labels are
// written, the number of classes) before its first epoch.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "cli_runner.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using testing::fresh_folder;
using testing::lines;
using testing::run_cli;
using testing::write_bytes;

// Two features and three classes decided by the features, with a header.
std::string three_class_csv(int rows) {
  std::ostringstream text;
  text << "a,b,label\n";
  for (int i = 0; i < rows; ++i) {
    const double a = (i * 37 % 100) / 10.0, b = (i * 61 % 100) / 10.0;
    text << a << "," << b << "," << (a > b + 1 ? "cat" : (b > a + 1 ? "dog" : "cow")) << "\n";
  }
  return text.str();
}

// A progress line of any epoch: none may appear when a run is refused before its work.
bool printed_an_epoch(const testing::CommandResult& result) {
  return result.err.find("epoch 1/") != std::string::npos;
}

struct Trained {
  std::string folder = fresh_folder("data_trust");
  std::string data = folder + "/data.csv";
  std::string model = folder + "/model.safetensors";
  Trained() {
    write_bytes(data, three_class_csv(60));
    // Unscaled and in double precision, rows near the largest double reach the network as
    // they are, and its ReLU layers overflow.
    const auto trained =
        run_cli({"train", "--data", data, "--layers", "16:relu,16:relu,3", "--epochs", "2",
                 "--quiet", "--dtype", "f64", "--normalize", "none", "--out", model});
    EXPECT_EQ(trained.exit_code, 0) << trained.err;
  }
};

// Rows of ±1.7e308: finite in the file, but the network's outputs overflow to NaN (for this
// seed's weights, the second row's).
constexpr const char* kHugeRows = "a,b\n1,2\n-1.7e308,1.7e308\n";

TEST(CliDataTrust, PredictRefusesAnOutputThatIsNotFiniteNamingTheRow) {
  Trained t;
  const std::string data = t.folder + "/huge.csv", out = t.folder + "/predictions.csv";
  write_bytes(data, kHugeRows);
  const auto refused = run_cli({"predict", t.model, data, "--out", out});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find(data + ": row 2: the model's output is not finite"), std::string::npos)
      << refused.err;
  EXPECT_EQ(lines(refused.err).size(), 1u) << refused.err;
  EXPECT_TRUE(refused.out.empty());
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(CliDataTrust, PredictWritesNanAndCountsWhenAllowed) {
  Trained t;
  const std::string data = t.folder + "/huge.csv";
  write_bytes(data, kHugeRows);
  const auto written = run_cli({"predict", t.model, data, "--allow-nonfinite"});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  const auto rows = lines(written.out);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "prediction,cat,cow,dog");
  EXPECT_EQ(rows[1].find("nan"), std::string::npos) << rows[1];  // the finite row has a class
  EXPECT_EQ(rows[2], ",nan,nan,nan");                            // no class: no argmax of NaN
  EXPECT_NE(written.err.find("1 of 2 rows have outputs that are not finite"), std::string::npos)
      << written.err;
}

TEST(CliDataTrust, EvalRefusesOutputsThatAreNotFiniteNamingTheFirstRow) {
  Trained t;
  const std::string data = t.folder + "/huge.csv";
  write_bytes(data, "a,b,label\n1,2,cat\n-1.7e308,1.7e308,dog\n-1.7e308,1.7e308,cat\n");
  const auto refused = run_cli({"eval", t.model, data});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err, "scratchnet: error: " + data +
                             ": row 2: the model's output is not finite (2 of 3 rows); no "
                             "metrics can be given\n");
  EXPECT_TRUE(refused.out.empty()) << refused.out;
}

// The test rows' outputs are known only after training: the model is kept, the test metrics
// are not given, and a warning names the row.
TEST(CliDataTrust, TrainGivesNoTestMetricsForOutputsThatAreNotFinite) {
  const std::string folder = fresh_folder("data_trust_test_nan");
  const std::string data = folder + "/data.csv", test = folder + "/test.csv",
                    model = folder + "/model.safetensors";
  write_bytes(data, three_class_csv(60));
  write_bytes(test, "a,b,label\n1,2,cat\n-1.7e308,1.7e308,dog\n");
  const auto trained =
      run_cli({"train", "--data", data, "--test", test, "--layers", "16:relu,16:relu,3", "--epochs",
               "2", "--quiet", "--dtype", "f64", "--normalize", "none", "--out", model});
  EXPECT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_EQ(trained.err, "scratchnet: warning: " + test +
                             ": row 2: the model's output is not finite (1 of 2 rows); no test "
                             "metrics\n");
  EXPECT_EQ(trained.out.find("test:"), std::string::npos) << trained.out;
  EXPECT_TRUE(std::filesystem::exists(model));
}

TEST(CliDataTrust, InvalidUtf8InAHeaderOrLabelIsRefusedBeforeTraining) {
  const std::string folder = fresh_folder("data_trust_utf8");
  const std::string header = folder + "/header.csv", label = folder + "/label.csv";
  write_bytes(header, "a,b\xff,label\n1,2,x\n3,4,y\n");
  write_bytes(label, "a,b,label\n1,2,x\n3,4,ca\xc3t\n");
  const auto bad_header =
      run_cli({"train", "--data", header, "--layers", "2", "--epochs", "1", "--threads", "1"});
  EXPECT_EQ(bad_header.exit_code, 1);
  EXPECT_NE(bad_header.err.find(header + ":1:3: header cell is not valid UTF-8 (byte 0xFF at its "
                                         "byte 2)"),
            std::string::npos)
      << bad_header.err;
  EXPECT_FALSE(printed_an_epoch(bad_header));
  const auto bad_label =
      run_cli({"train", "--data", label, "--layers", "2", "--epochs", "1", "--threads", "1"});
  EXPECT_EQ(bad_label.exit_code, 1);
  EXPECT_NE(bad_label.err.find(label + ":3:5: label is not valid UTF-8 (byte 0xC3 at its byte 3)"),
            std::string::npos)
      << bad_label.err;
  EXPECT_FALSE(printed_an_epoch(bad_label));
}

// Standardisation scales a column before it squares it: values near the largest double fit.
TEST(CliDataTrust, FeaturesUpTo1e308TrainWithStandardisation) {
  const std::string folder = fresh_folder("data_trust_large");
  const std::string data = folder + "/large.csv", model = folder + "/model.safetensors";
  std::ostringstream text;
  text << "a,b,label\n";
  for (int i = 0; i < 40; ++i)
    text << (i % 7) * 1e154 << "," << (i % 5 - 2) * 0.8e308 << "," << (i % 2 ? "odd" : "even")
         << "\n";
  write_bytes(data, text.str());
  const auto trained = run_cli({"train", "--data", data, "--layers", "8:relu,2", "--epochs", "3",
                                "--threads", "1", "--out", model});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const auto evaluated = run_cli({"eval", model, data});
  EXPECT_EQ(evaluated.exit_code, 0) << evaluated.err;
}

TEST(CliDataTrust, FeaturesBeyondF32AreRefusedUpFrontWithoutStandardisation) {
  const std::string folder = fresh_folder("data_trust_f32");
  const std::string data = folder + "/large.csv";
  write_bytes(data, "a,b,label\n1,2,x\n3,1e300,y\n");
  const auto refused = run_cli({"train", "--data", data, "--layers", "2", "--epochs", "1",
                                "--normalize", "none", "--val-split", "0", "--threads", "1"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err, "scratchnet: error: " + data +
                             ": row 2, column 'b': the feature 1e+300 is beyond the range of f32 "
                             "(±3.4028234663852886e+38); use --dtype f64 or --normalize "
                             "standard\n");
  EXPECT_EQ(refused.err.find("non-finite"), std::string::npos);
  // In double precision the same rows are fine.
  const auto f64 =
      run_cli({"train", "--data", data, "--layers", "2", "--epochs", "1", "--normalize", "none",
               "--val-split", "0", "--dtype", "f64", "--threads", "1", "--quiet"});
  EXPECT_EQ(f64.exit_code, 0) << f64.err;
}

TEST(CliDataTrust, ATestLabelThatTrainingNeverSawIsRefusedBeforeTheFirstEpoch) {
  const std::string folder = fresh_folder("data_trust_test");
  const std::string data = folder + "/data.csv", test = folder + "/test.csv",
                    model = folder + "/model.safetensors";
  write_bytes(data, three_class_csv(30));
  write_bytes(test, "a,b,label\n1,2,cat\n2,1,bird\n");
  const auto refused = run_cli({"train", "--data", data, "--test", test, "--layers", "3",
                                "--epochs", "2", "--threads", "1", "--out", model});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find(test + ": row 2: label 'bird' is not one of the model's classes"),
            std::string::npos)
      << refused.err;
  EXPECT_FALSE(printed_an_epoch(refused)) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(model));

  write_bytes(test, "a,b\n1,2\n");  // a feature short: also before the work
  const auto short_test = run_cli({"train", "--data", data, "--test", test, "--layers", "3",
                                   "--epochs", "2", "--threads", "1", "--no-header"});
  EXPECT_NE(short_test.exit_code, 0);
  EXPECT_FALSE(printed_an_epoch(short_test)) << short_test.err;
}

TEST(CliDataTrust, OneNumberWrittenTwoWaysInTheLabelsIsRefused) {
  const std::string folder = fresh_folder("data_trust_spelling");
  const std::string data = folder + "/data.csv";
  for (const char* other : {"1.0", "1e0", "01"}) {
    write_bytes(data, std::string("a,label\n1,1\n2,2\n3,") + other + "\n");
    const auto refused =
        run_cli({"train", "--data", data, "--layers", "2", "--epochs", "1", "--threads", "1"});
    EXPECT_EQ(refused.exit_code, 1) << other;
    EXPECT_EQ(refused.err, "scratchnet: error: " + data + ": row 3: label '" + other +
                               "' and row 1's label '1' are the same number written two ways; "
                               "write each class one way, so that no two are merged by mistake\n");
    EXPECT_FALSE(printed_an_epoch(refused));
  }
  // One spelling each: numbers sorted by value, as before.
  write_bytes(data, "a,label\n1,10\n2,2\n3,10\n4,2\n");
  const std::string model = folder + "/model.safetensors";
  const auto trained = run_cli({"train", "--data", data, "--layers", "2", "--epochs", "1",
                                "--threads", "1", "--quiet", "--out", model});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  // eval matches a number written another way to the model's class of that value, but one
  // file must still write each number one way.
  const std::string other = folder + "/other.csv";
  write_bytes(other, "a,label\n1,10.0\n2,2e0\n");
  const auto matched = run_cli({"eval", model, other});
  EXPECT_EQ(matched.exit_code, 0) << matched.err;
  write_bytes(other, "a,label\n1,10\n2,2\n3,2.0\n");
  const auto mixed = run_cli({"eval", model, other});
  EXPECT_EQ(mixed.exit_code, 1);
  EXPECT_NE(
      mixed.err.find(other + ": row 3: label '2.0' and row 2's label '2' are the same number"),
      std::string::npos)
      << mixed.err;
}

TEST(CliDataTrust, OneClassIsOneClearErrorWhateverTheLayers) {
  const std::string folder = fresh_folder("data_trust_one_class");
  const std::string data = folder + "/data.csv";
  write_bytes(data, "a,label\n1,cat\n2,cat\n3,cat\n");
  for (const char* layers : {"4:relu,2", "4:relu,1"}) {
    const auto refused =
        run_cli({"train", "--data", data, "--layers", layers, "--epochs", "1", "--threads", "1"});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_EQ(refused.err, "scratchnet: error: " + data +
                               ": the labels hold one class ('cat'); a classifier needs at least "
                               "2\n")
        << layers;
  }
}

// The largest resident set of scratchnet runs with `arguments_list`, in bytes, one figure per
// run: each run is made from a forked child of this test, whose RUSAGE_CHILDREN then covers the
// runs it waited for and nothing else this process did.
std::vector<long long> peak_memory_of_runs(
    const std::vector<std::vector<std::string>>& arguments_list) {
  int pipe_ends[2];
  if (::pipe(pipe_ends) != 0) throw std::runtime_error("pipe failed");
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_ends[0]);
    for (const auto& arguments : arguments_list) {
      run_cli(arguments);
      rusage usage{};
      ::getrusage(RUSAGE_CHILDREN, &usage);  // the largest so far, so runs go small to large
      const long long bytes = static_cast<long long>(usage.ru_maxrss) * 1024;
      if (::write(pipe_ends[1], &bytes, sizeof bytes) != sizeof bytes) ::_exit(1);
    }
    ::_exit(0);
  }
  ::close(pipe_ends[1]);
  std::vector<long long> peaks;
  long long bytes = 0;
  while (::read(pipe_ends[0], &bytes, sizeof bytes) == sizeof bytes)
    peaks.push_back(bytes);
  ::close(pipe_ends[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return peaks;
}

// Reading a CSV file holds one row of its text, not the file: a file of long numbers, about
// twice the size of its parsed numbers and labels, is read with little more than those. (Its
// last cell is not a number, so that scratchnet stops right after reading.)
TEST(CliDataTrust, ReadingACsvNeedsMemoryInProportionToItsNumbers) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's redzones and quarantine of freed memory are not the "
                  "memory scratchnet itself needs";
#endif
  const std::string folder = fresh_folder("data_trust_memory");
  const std::string small = folder + "/small.csv", large = folder + "/large.csv";
  write_bytes(small, "a,label\n1,x\nnot a number,y\n");
  constexpr int kRows = 200000, kFeatures = 10;
  std::string text = "a,b,c,d,e,f,g,h,i,j,label\n";
  text.reserve(std::size_t(kRows) * 220);
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < kFeatures; ++c)
      text += r + 1 == kRows && c + 1 == kFeatures ? "x," : "0.12345678901234567,";
    text += "abc"[r % 3];
    text += '\n';
  }
  write_bytes(large, text);
  const double parsed = double(kRows) * kFeatures * sizeof(double) +
                        double(kRows) * sizeof(std::string);  // numbers and labels
  ASSERT_GT(double(text.size()), 1.8 * parsed);               // holding the text would show
  text = std::string();

  const auto peaks = peak_memory_of_runs(
      {{"train", "--data", small, "--layers", "2"}, {"train", "--data", large, "--layers", "2"}});
  ASSERT_EQ(peaks.size(), 2u);
  const double reading = double(peaks[1] - peaks[0]);
  EXPECT_LT(reading, 1.4 * parsed) << "reading took " << reading / 1e6 << " MB for " << parsed / 1e6
                                   << " MB of numbers and labels";
}

}  // namespace
}  // namespace scratchnet
