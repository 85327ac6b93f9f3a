# Cross-compiling scratchnet for 64-bit ARM Linux (aarch64) on an x86-64 Debian machine:
#
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
#
# needs g++-aarch64-linux-gnu, qemu-user and the arm64 multiarch packages zlib1g-dev:arm64 and
# libgtest-dev:arm64 (scripts/install-deps.sh installs them; scripts/test-arm.sh builds and runs
# the test suite this way). The tests run under qemu-user, through CMAKE_CROSSCOMPILING_EMULATOR:
# ctest, gtest_discover_tests and the tests that start the scratchnet binary all use it, so the
# build needs no binfmt_misc registration.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Debian's cross toolchain keeps the target's C library in /usr/aarch64-linux-gnu and the arm64
# multiarch packages put their libraries in /usr/lib/aarch64-linux-gnu (zlib, GoogleTest and its
# CMake package). The header-only libraries (Eigen, CLI11, nlohmann-json) are the same for every
# target: their CMake packages and headers come from the host's /usr/share and /usr/include.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu)
# Programs (python3, doxygen) run on the host; libraries must be the target's. Packages and
# headers are searched in both: the header-only packages live in the host's tree.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# Programs are linked statically. Debian 12's qemu-user (7.2) never returns from
# pthread_create in a dynamically linked aarch64 program on current host kernels (the guest
# spins inside glibc); statically linked, threads start normally. The thread pool, and so most
# of the suite, needs threads.
set(CMAKE_EXE_LINKER_FLAGS_INIT -static)
set(ZLIB_USE_STATIC_LIBS ON)  # libz.a (FindZLIB, CMake 3.24 and later)

# Runs a built aarch64 program on this x86-64 machine: qemu-user, with the target's dynamic
# loader and C library found under -L.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64;-L;/usr/aarch64-linux-gnu)
