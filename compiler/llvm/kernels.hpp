// A definition's kernels, compiled once: looked up in the memory cache, then the disk
// cache ($XDG_CACHE_HOME/actjit, else ~/.cache/actjit; ACTJIT_CACHE=off bypasses both),
// else generated, optimized and compiled, and stored in both. The key (both caches) is
// a hash (xxHash) of the kernel graph, the signature, the dtype, the mode, the CPU and
// its features, the versions of actjit and LLVM, the pass pipeline, and a hash of the
// code generator's own sources, so that no object of another build of the compiler is
// ever taken for this one's; computing it costs no IR.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "codegen.hpp"
#include "jit.hpp"
#include "target.hpp"

namespace actjit::jit {

struct CompileReport {
    // Tiered: quick kernels (KernelOptions::quick), the optimized ones still to come.
    enum class Source { Compiled, Tiered, Disk, Memory } source = Source::Compiled;
    double milliseconds = 0;  // the whole call
    // Its phases, for what was done (zero for what was not): the IR, the cache key, the
    // pass pipeline, instruction selection to object code, linking into the JIT.
    PhaseTimes phases;
};

// How kernels are found or made.
struct CacheOptions {
    bool memory = true;
    bool disk = true;
    std::string directory;  // empty: the default (above)
    // Tiered: a cold compile returns quick kernels (KernelOptions::quick: no pass
    // pipeline, the code generator's level 0) and swaps in the optimized ones, compiled
    // on a background thread (then stored on disk); both compute the same bits. Off: the
    // optimized ones at once.
    bool tiered = false;
};
// The defaults: both caches and tiered compilation, unless ACTJIT_CACHE=off (no cache)
// or ACTJIT_TIERED=off in the environment.
CacheOptions default_cache_options();

// The disk cache's directory (cache.directory, else $XDG_CACHE_HOME/actjit, else
// ~/.cache/actjit; empty when none is known). Other caches keyed by a graph's hash
// (the measuring check's reports, compiler/measure.hpp) live there too.
std::filesystem::path cache_directory(const CacheOptions& cache);

// Returns when every tiered compilation started so far has swapped in its optimized
// kernels (benchmarks call it before timing).
void finish_compiling();

std::shared_ptr<LinkedKernels> compile_kernels(const Gradient& gradient, const FunctionInfo& signature,
                                               const KernelOptions& options, const Target& target,
                                               const CacheOptions& cache = default_cache_options(),
                                               CompileReport* report = nullptr);

// The kernels' identity: the disk cache's key (the graph, the signature, the options,
// the target and this build of the code generator), 16 hex digits.
std::string kernel_key(const Gradient& gradient, const FunctionInfo& signature, const KernelOptions& options,
                       const Target& target);

// The optimized IR and the assembly of the kernels, for `actjit ir` and `actjit asm`.
std::string kernel_ir(const Gradient& gradient, const FunctionInfo& signature, const KernelOptions& options,
                      const Target& target);
std::string kernel_assembly(const Gradient& gradient, const FunctionInfo& signature,
                            const KernelOptions& options, const Target& target);

}  // namespace actjit::jit
