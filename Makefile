# The two commands of the README:
#   make run   installs what is missing, builds in Release and runs `scratchnet xor`
#   make test  the same setup and build, then the whole test suite
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: run test build setup fixtures format clean

run: build
	$(BUILD_DIR)/scratchnet xor

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

build: setup
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS)

setup:
	@scripts/install-deps.sh

# Regenerates tests/fixtures: the seed's numpy code and PyTorch references, run with Debian's
# python3, numpy and torch (which pyenv's python3 would shadow).
PYTHON ?= /usr/bin/python3
fixtures: setup
	$(PYTHON) tools/make_xor_fixtures.py tests/fixtures
	$(PYTHON) tools/make_torch_network_fixtures.py tests/fixtures
	$(PYTHON) tools/make_torch_optimizer_fixtures.py tests/fixtures
	$(PYTHON) tools/make_torch_training_fixtures.py tests/fixtures
	$(PYTHON) tools/make_safetensors_fixtures.py tests/fixtures

format:
	clang-format -i $$(git ls-files '*.hpp' '*.cpp')

clean:
	rm -rf $(BUILD_DIR)
