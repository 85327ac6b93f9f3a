# The commands of the README:
#   make run   installs only what the command-line tool needs, builds only it, in Release, and
#              runs `scratchnet xor` (about two minutes on a fresh 2-core machine)
#   make test  installs everything, builds everything (tests, examples, benchmarks), then runs
#              the whole test suite
#   make test-arm the same setup, then the whole test suite built for aarch64 (64-bit ARM) and run
#              under qemu-user (scripts/test-arm.sh, in build-aarch64)
#   make bench the same setup and build, then the benchmark suite against the numpy seed, PyTorch
#              and FANN (bench/suite.py; BENCH_FLAGS="--repeats 3" passes flags to it)
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: run test test-arm bench build setup fixtures format clean

# A build folder configured before (by make test, say) is kept as it is; a new one is
# configured without the tests, examples and benchmarks, whose packages make run does not install,
# and as a unity build: batches of 32 sources compiled as one, so that the headers every file
# includes (Eigen, CLI11, nlohmann-json) are parsed, and their inline functions compiled, once a
# batch rather than once a file. That takes a third of the CPU time (docs/performance.md).
run:
	@scripts/install-deps.sh run
	@test -f $(BUILD_DIR)/CMakeCache.txt || cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release \
	  -DSCRATCHNET_BUILD_TESTS=OFF -DSCRATCHNET_BUILD_EXAMPLES=OFF -DSCRATCHNET_BUILD_BENCHMARKS=OFF \
	  -DSCRATCHNET_BUILD_PYTHON=OFF -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=32
	cmake --build $(BUILD_DIR) -j $(JOBS) --target scratchnet_cli
	$(BUILD_DIR)/scratchnet xor

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

test-arm: setup
	JOBS=$(JOBS) scripts/test-arm.sh

# Debian's python3, with numpy and torch (a pyenv python3 may shadow it).
PYTHON ?= /usr/bin/python3
BENCH_FLAGS ?=
bench: setup
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DSCRATCHNET_BUILD_BENCHMARKS=ON -DCMAKE_UNITY_BUILD=OFF
	cmake --build $(BUILD_DIR) -j $(JOBS)
	$(PYTHON) bench/suite.py --build-dir $(BUILD_DIR) $(BENCH_FLAGS)

build: setup
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DSCRATCHNET_BUILD_TESTS=ON \
	  -DSCRATCHNET_BUILD_EXAMPLES=ON -DSCRATCHNET_BUILD_BENCHMARKS=ON -DCMAKE_UNITY_BUILD=OFF
	cmake --build $(BUILD_DIR) -j $(JOBS)

setup:
	@scripts/install-deps.sh

# Regenerates tests/fixtures: the seed's numpy code and PyTorch references, run with Debian's
# python3, numpy and torch (which pyenv's python3 would shadow).
fixtures: setup
	$(PYTHON) tools/make_xor_fixtures.py tests/fixtures
	$(PYTHON) tools/make_sample_random_fixtures.py tests/fixtures
	$(PYTHON) tools/make_torch_network_fixtures.py tests/fixtures
	$(PYTHON) tools/make_torch_optimizer_fixtures.py tests/fixtures
	$(PYTHON) tools/make_torch_training_fixtures.py tests/fixtures
	$(PYTHON) tools/make_safetensors_fixtures.py tests/fixtures

format:
	clang-format -i $$(git ls-files '*.hpp' '*.cpp')

clean:
	rm -rf $(BUILD_DIR)
