# matchguard: the two commands are `make demo` and `make test` (see README.md).
JOBS ?= $(shell nproc)
WERROR ?= ON
CMAKE_COMMON = -DMATCHGUARD_WERROR=$(WERROR)

.PHONY: all deps release asan fuzz test test-fast demo bench clean format

all: release

deps:
	@bash scripts/install-deps.sh

release:
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release $(CMAKE_COMMON) >/dev/null
	@cmake --build build/release -j $(JOBS)

# Unit tests under AddressSanitizer and UndefinedBehaviorSanitizer (no CLI, no benchmarks).
asan:
	@cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMATCHGUARD_SANITIZE=ON \
	  -DMATCHGUARD_BUILD_CLI=OFF -DMATCHGUARD_BUILD_BENCHMARKS=OFF $(CMAKE_COMMON) >/dev/null
	@cmake --build build/asan -j $(JOBS)

fuzz:
	@CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMATCHGUARD_BUILD_FUZZERS=ON \
	  -DMATCHGUARD_BUILD_CLI=OFF -DMATCHGUARD_BUILD_TESTS=OFF -DMATCHGUARD_BUILD_BENCHMARKS=OFF >/dev/null
	@cmake --build build/fuzz -j $(JOBS) --target fuzzers

# The whole suite: release tests (unit + end to end), sanitizer unit tests, and a short fuzzing run.
test: deps release asan fuzz
	ctest --test-dir build/release --output-on-failure -j $(JOBS)
	ctest --test-dir build/asan --output-on-failure -j $(JOBS) -L unit
	bash scripts/run-fuzzers.sh build/fuzz

# Quick loop while developing: release tests only, slow ones skipped.
test-fast: release
	ctest --test-dir build/release --output-on-failure -j $(JOBS) -LE slow

demo: deps release
	@bash scripts/demo.sh

bench: deps release
	@bash scripts/bench.sh

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build
