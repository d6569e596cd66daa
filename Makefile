# actjit's two commands, on a fresh Debian 12 machine:
#   make run    install what is missing, build, run the demo
#   make test   install what is missing, build, run every test: the suite, the suite
#               again under AddressSanitizer + UBSan, and the parser fuzzer (60 s)
# Other targets: build, test-unit, test-asan, fuzz (FUZZ_SECONDS=N), sweep-f32 (every
# float32 input through the vector math, minutes), bench (installs the peers, times
# everything, writes docs/BENCHMARKS.md; about 15 minutes), policy (the kink and NaN
# policy beside PyTorch's, docs/numerics.md), plots (docs/plots/), clean.

JOBS         ?= 2
# cmake --build runs make again: without this every level says which directory it entered
MAKEFLAGS    += --no-print-directory
FUZZ_SECONDS ?= 60
ACTJIT       := build/tools/actjit/actjit

.PHONY: all deps build run test test-unit test-asan fuzz sweep-f32 bench policy plots render-plots clean

all: build

deps:
	@./cmake/install-deps.sh

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j$(JOBS)

run: build
	@echo "== actjit check examples/activations.act"
	@$(ACTJIT) check examples/activations.act && echo "ok: no errors"
	@echo "== actjit check examples/mistakes.act  (a file with errors, on purpose)"
	@$(ACTJIT) check examples/mistakes.act || echo "(exit status $$?: errors reported, as intended)"
	@echo "== actjit diff examples/activations.act elu"
	@$(ACTJIT) diff examples/activations.act elu
	@echo "== actjit diff examples/activations.act gelu_tanh"
	@$(ACTJIT) diff examples/activations.act gelu_tanh
	@echo "== actjit eval examples/activations.act gelu --grad   (JIT kernels; inputs: 100, -10, -inf, nan)"
	@printf '100\n-10\n-inf\nnan\n' | $(ACTJIT) eval examples/activations.act gelu --grad
	@echo "== actjit accuracy examples/activations.act --brief --samples 65536   (every definition JIT-compiled, ULP against the exact formula)"
	@$(ACTJIT) accuracy examples/activations.act --brief --samples 65536
	@echo "== actjit compare examples/activations.act relu sigmoid gelu_tanh mish   (generated against handwritten kernels)"
	@$(ACTJIT) compare examples/activations.act relu sigmoid gelu_tanh mish
	@echo "== make plots   (f and its derivatives, docs/plots/*.svg)"
	@$(MAKE) --no-print-directory render-plots
	@echo "== examples/03_fit_prelu (the C++ API: a learnable slope fitted by gradient descent)"
	@build/examples/03_fit_prelu

# The plain suite runs last, so that its ctest summary closes the output.
test: fuzz test-asan test-unit

test-unit: build
	@cd build && ctest --output-on-failure -j$(JOBS)

test-asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DACTJIT_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j$(JOBS)
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j$(JOBS)

# The fuzzer keeps what it finds in build-fuzz/corpus; the seeds stay untouched.
fuzz: deps
	@cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++-19 -DACTJIT_FUZZ=ON -DACTJIT_TESTS=OFF \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
	@cmake --build build-fuzz -j$(JOBS) --target parse_fuzzer
	@mkdir -p build-fuzz/corpus
	@echo "== fuzzing parse + check for $(FUZZ_SECONDS) s"
	@build-fuzz/tests/fuzz/parse_fuzzer -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	  -rss_limit_mb=4096 -print_final_stats=1 -dict=tests/fuzz/act.dict \
	  build-fuzz/corpus tests/fuzz/corpus tests/golden/diagnostics examples 2>build-fuzz/fuzz.log \
	  || { tail -60 build-fuzz/fuzz.log; exit 1; }
	@grep -E "stat::number_of_executed_units|stat::peak_rss_mb" build-fuzz/fuzz.log
	@echo "fuzz: no finding in $(FUZZ_SECONDS) s"

# Every float32 input through each vector-math function's f32 kernel (minutes).
sweep-f32: build
	@build/tools/sweep/sweep_f32

# The benchmarks (bench/, docs/BENCHMARKS.md): a build without the tests (the peers at -O3).
bench: deps
	@./cmake/install-deps.sh cmake/bench-packages.txt
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACTJIT_TESTS=OFF -DACTJIT_BENCH=ON >/dev/null
	@cmake --build build-bench -j$(JOBS) --target actjit actjit_bench
	@python3 tools/bench/report.py --build build-bench --out docs/BENCHMARKS.md

# The kink and NaN policy beside PyTorch's (docs/numerics.md): a table of the differences.
policy: build
	@./cmake/install-deps.sh cmake/bench-packages.txt
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACTJIT_TESTS=OFF -DACTJIT_BENCH=ON >/dev/null
	@cmake --build build-bench -j$(JOBS) --target torch_policy
	@bench/policy/compare-policy $(ACTJIT) build-bench/bench/torch_policy

# Every definition of the standard library, f and its derivatives, into docs/plots/.
plots: build render-plots

render-plots:
	@mkdir -p docs/plots
	@for name in $$($(ACTJIT) list examples/activations.act | sed 's/[(].*//'); do \
	  $(ACTJIT) plot examples/activations.act $$name -o docs/plots/$$name.svg >/dev/null || exit 1; \
	done
	@echo "plots: docs/plots/*.svg"

clean:
	rm -rf build build-asan build-fuzz build-bench
