// Stands in for src/xor*.cpp in fuzz builds, which clang cannot compile (the seed's AVX-512 loop
// uses GCC's __builtin_shuffle and #pragma GCC target). No harness trains the Stage 1 network;
// the command-line harness only checks `xor`'s flags (XorCommand::check_flags).

#include <stdexcept>

#include "scratchnet/xor.hpp"

namespace scratchnet {

XorRun train_xor(const XorOptions&) {
  throw std::logic_error("train_xor is not in fuzz builds (fuzz/xor_stub.cpp)");
}

}  // namespace scratchnet
