// Kernel graphs -> an LLVM module: the forward and backward kernels of LANGUAGE.md §5
// for one definition, one dtype and one mode, vectorized at the target's width, with
// their math inlined (vecmath/). One visitor over the graph; values are named after it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "compiler/gradient.hpp"
#include "target.hpp"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace actjit::jit {

struct KernelOptions {
    bool f32 = true;         // float kernels, else double
    bool inference = false;  // uniform(lo, hi) is (lo + hi) / 2
    // f32 kernels only: compute in float lanes with float vector math (LANGUAGE.md §3's
    // arithmetic; fast), instead of double lanes rounded once at the store (accurate).
    bool fast = false;
    // A tiered compile's first kernels (kernels.cpp), made for the code generator's speed:
    // one body copy (no unrolled loop), no streaming stores, the target's double lanes (8
    // with AVX-512; so an accurate f32 kernel's doubles are not split in two), and only
    // the `_packed` entry points (what the runtime calls; the §5 ones come with the
    // optimized kernels). Their values are the optimized kernels' bit for bit: the same
    // operations per lane, and parameter gradients summed in the same order (codegen.cpp,
    // sum_parts_).
    bool quick = false;
};

// The arithmetic the kernels compute in: the graph gradient() should be asked for.
inline Arithmetic arithmetic_of(const KernelOptions& options) {
    return !options.f32 ? Arithmetic::Double : options.fast ? Arithmetic::Float : Arithmetic::DoubleToFloat;
}

// The symbols a kernel module defines. `forward` and `backward` have the §5 signatures.
// The `_packed` variants are what the runtime calls, whatever the number of inputs:
//   forward_packed (void* const* arrays /* x1..xk, y */, int64_t n, const T* params,
//                   uint64_t seed, int64_t first)
//   backward_packed(void* const* arrays /* x1..xk, dy, dx1..dxk, dparams */, ...same)
// where `first` is the index of element 0 (uniform()'s draws are keyed by the index in
// the whole array), so that a thread can run one chunk of it.
struct KernelSymbols {
    std::string forward, backward, forward_packed, backward_packed;
};
KernelSymbols kernel_symbols(std::string_view base);

// Calls of at least this many elements store their outputs with non-temporal
// (streaming) stores, bypassing the caches: for arrays too large for the caches to keep
// them, this saves reading the output's lines before writing them. Measured in
// docs/BENCHMARKS.md; $ACTJIT_STREAM_MIN (read once) overrides it.
inline constexpr int64_t default_streaming_threshold = int64_t{1} << 22;
int64_t streaming_threshold();

// The generic loop's whole turns prefetch each input this many bytes ahead (0: no
// prefetch). Measured on the AVX-512 Xeon of docs/BENCHMARKS.md, 16,777,216 floats, fast
// kernels: without it a compute-bound kernel ran 3x slower than in cache (sigmoid
// forward 1.53 against 0.42 ns/element; the hardware prefetcher keeps up only with
// loops as short as relu's), with 2,048 or more bytes within 10 % of its in-cache
// speed, and no slower in cache. $ACTJIT_PREFETCH (read once) overrides it.
inline constexpr int default_prefetch_distance = 4096;
int prefetch_distance();

// Whole vectors per iteration of the plain loop that kernels without vector math (the
// memory-bound ones) run first; 1 is no such loop. Measured (docs/testing.md): at 4,096
// floats 2, 4 and 8 are 1.5-1.9x faster than 1, 4 the best of them on relu's backward;
// the next `make bench` measures it too. $ACTJIT_UNROLL (read once) overrides it.
inline constexpr int default_unroll_depth = 4;
int unroll_depth();

// From this many whole vectors per call a kernel first runs a shorter turn that brings
// its first output to a vector boundary (streaming or not): a vector store across two
// cache lines costs about two. Measured (`actjit compare`, 1 MiB, arrays as malloc
// aligns them, 16 bytes): relu6 forward against the handwritten loop 0.89 unaligned,
// 1.00 with 64-byte aligned arrays.
inline constexpr int align_min = 8;

// The memory-bound kernels' unrolled loop, with AVX-512 and 64-byte vectors in float
// (fast f32) or double lanes: where an input sits at another offset within a vector than
// the aligned first output, whole aligned vectors and a permute instead of loads across
// two cache lines (codegen.cpp, Emitter::loop), from shift_min_bytes per array on.
// Measured (`actjit compare`, 1 MiB, the arrays as its std::vector gives them): relu6
// forward against the handwritten loop 0.97 without, 1.06-1.12 with; below 32 KiB, in
// L1, the permutes cost 2-3 % more than the split loads save. $ACTJIT_SHIFTED_LOADS=off
// (read once) leaves them out.
bool shifted_loads();
inline constexpr int64_t shift_min_bytes = 32768;

// Which kernels a module holds: both directions, or one (the JIT compiles the two in
// parallel, each in a module of its own).
enum class Part { Both, Forward, Backward };

// `gradient` as gradient() computes it; `signature` names its inputs and parameters.
std::unique_ptr<llvm::Module> codegen(llvm::LLVMContext& context, const Gradient& gradient,
                                      const FunctionInfo& signature, const KernelOptions& options,
                                      const Target& target, std::string_view base, Part part = Part::Both);

}  // namespace actjit::jit
