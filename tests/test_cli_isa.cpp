// SCRATCHNET_ISA caps the kernels at a narrower path than the CPU has, so that one machine tests
// every path it can run (CI runs the whole suite once per path). Results defined bit for bit,
// such as the XOR run, are the same on every path; training gives the same model file on the
// AVX2 and AVX-512 paths.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using testing::fresh_folder;
using testing::read_bytes;
using testing::run_in_shell;
using testing::two_feature_csv;
using testing::write_bytes;

// The kernel paths of this build's architecture, narrowest first, as the error names them.
#if defined(__x86_64__)
const std::vector<std::string> kPaths = {"portable", "avx2", "avx512"};
const std::string kPathList = "portable, avx2, avx512";
#elif defined(__aarch64__)
const std::vector<std::string> kPaths = {"portable", "neon"};
const std::string kPathList = "portable, neon";
#else
const std::vector<std::string> kPaths = {"portable"};
const std::string kPathList = "portable";
#endif

// Whether the hardware runs `path`, whatever SCRATCHNET_ISA this test itself runs under.
bool hardware_runs(const std::string& path) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (path == "avx512") return __builtin_cpu_supports("avx512f");
  if (path == "avx2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#elif defined(__aarch64__)
  if (path == "neon") return true;  // Advanced SIMD is mandatory in ARMv8-A
#endif
  return path == "portable";
}

TEST(CliIsa, EveryPathThisCpuRunsGivesTheSameXorRun) {
  const auto widest = run_in_shell("env -u SCRATCHNET_ISA scratchnet xor --seed 5 --json");
  ASSERT_EQ(widest.exit_code, 0) << widest.err;
  int paths = 0;
  for (const std::string& path : kPaths) {
    if (!hardware_runs(path)) continue;
    ++paths;
    const auto capped = run_in_shell("SCRATCHNET_ISA=" + path + " scratchnet xor --seed 5 --json");
    ASSERT_EQ(capped.exit_code, 0) << path << ": " << capped.err;
    EXPECT_EQ(capped.out, widest.out) << path;
  }
  EXPECT_GE(paths, 1);
}

// The products sum each output in the same order on both paths, and the optimizers fuse the
// same multiply-adds (src/optimizers/multiply_add.hpp), so a model trained on an AVX2 machine
// is the one trained on an AVX-512 machine. Odd widths put elements in every loop's tail; two
// threads split the updates into slices.
TEST(CliIsa, TrainingOnTheAvx2AndAvx512PathsWritesTheSameModel) {
  if (!hardware_runs("avx2") || !hardware_runs("avx512")) GTEST_SKIP() << "needs AVX-512";
  const std::string folder = fresh_folder("isa-train");
  const std::string data = folder + "/data.csv";
  write_bytes(data, two_feature_csv(300));
  const std::vector<std::string> optimizers = {"--optimizer sgd --lr 0.1 --momentum 0.9",
                                               "--optimizer adam --lr 0.01",
                                               "--optimizer adamw --lr 0.01 --weight-decay 0.1"};
  for (const std::string& optimizer : optimizers) {
    std::vector<std::string> models;
    for (const std::string path : {"avx2", "avx512"}) {
      const std::string model = folder + "/" + path + ".safetensors";
      const auto trained = run_in_shell(
          "SCRATCHNET_ISA=" + path + " scratchnet train --data '" + data +
          "' --layers 37:tanh,19:relu,2 --epochs 3 --batch 16 --threads 2 --quiet --seed 4 " +
          optimizer + " --out '" + model + "'");
      ASSERT_EQ(trained.exit_code, 0) << path << " " << optimizer << ": " << trained.err;
      models.push_back(read_bytes(model));
    }
    EXPECT_TRUE(models[0] == models[1]) << optimizer;
  }
}

TEST(CliIsa, AnUnknownOrUnavailablePathIsOneLine) {
  const auto unknown = run_in_shell("SCRATCHNET_ISA=sse9 scratchnet xor");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err,
            "scratchnet: error: SCRATCHNET_ISA: 'sse9' is not one of " + kPathList + "\n");
  EXPECT_EQ(unknown.out, "");
  for (const std::string& path : kPaths) {
    if (hardware_runs(path)) continue;
    const auto missing = run_in_shell("SCRATCHNET_ISA=" + path + " scratchnet xor");
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_EQ(missing.err,
              "scratchnet: error: SCRATCHNET_ISA: this CPU cannot run the " + path + " kernels\n");
  }
}

}  // namespace
}  // namespace scratchnet
