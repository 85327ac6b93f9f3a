# The commands of the README:
#   make run   installs what is missing, builds in Release and runs `scratchnet xor`
#   make test  the same setup and build, then the whole test suite
#   make bench the same setup and build, then the benchmark suite against the numpy seed, PyTorch
#              and FANN (bench/suite.py; BENCH_FLAGS="--repeats 3" passes flags to it)
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: run test bench build setup fixtures format clean

run: build
	$(BUILD_DIR)/scratchnet xor

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# Debian's python3, with numpy and torch (a pyenv python3 may shadow it).
PYTHON ?= /usr/bin/python3
BENCH_FLAGS ?=
bench: setup
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DSCRATCHNET_BUILD_BENCHMARKS=ON
	cmake --build $(BUILD_DIR) -j $(JOBS)
	$(PYTHON) bench/suite.py --build-dir $(BUILD_DIR) $(BENCH_FLAGS)

build: setup
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
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
