#include "data_files.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace scratchnet::testing {

TempFiles::~TempFiles() {
  for (const std::string& path : paths_)
    std::remove(path.c_str());
}

std::string TempFiles::path(const std::string& name) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string prefix = std::string("scratchnet_") + test->test_suite_name() + "." + test->name();
  std::replace(prefix.begin(), prefix.end(), '/', '_');  // parameterized tests' names have '/'
  paths_.push_back(::testing::TempDir() + prefix + "_" + std::to_string(getpid()) + "_" + name);
  return paths_.back();
}

std::string TempFiles::write(const std::string& name, std::string_view bytes) {
  const std::string file = path(name);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out.flush()) ADD_FAILURE() << "cannot write " << file;
  return file;
}

}  // namespace scratchnet::testing
