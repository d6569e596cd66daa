// The JIT, KaleidoscopeJIT-sized: LLJIT links object code that compile() produced
// (optimize.hpp, then the target machine), one ResourceTracker per kernel set, so a
// kernel's code lives exactly as long as some handle to it. Safe from several threads.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "codegen.hpp"
#include "target.hpp"

namespace actjit::jit {

// The four entry points of one compiled definition (codegen.hpp), alive while this is.
// Atomic: a tiered compilation (kernels.hpp) swaps in optimized code while callers run;
// until it has, the §5 ones (forward, backward) are null (quick kernels have none).
class LinkedKernels {
public:
    virtual ~LinkedKernels() = default;
    std::atomic<void*> forward{nullptr};
    std::atomic<void*> backward{nullptr};
    std::atomic<void*> forward_packed{nullptr};
    std::atomic<void*> backward_packed{nullptr};
};

// Milliseconds per phase of compiling one kernel set (CompileReport).
struct PhaseTimes {
    double generate = 0, key = 0, optimize = 0, codegen = 0, link = 0;
};

// Object code for `module` (optimized first, in place): what the disk cache stores.
// `level`: the code generator's optimization level, 0 to 3 (-1: codegen_level());
// `optimize_ir`: run the pass pipeline first (else the module goes to the code generator
// as it is).
std::string compile_to_object(llvm::Module& module, const Target& target, PhaseTimes* times = nullptr,
                              int level = -1, bool optimize_ir = true);
// The optimized module as text (`actjit ir`), and its assembly (`actjit asm`).
std::string optimized_ir(llvm::Module& module, const Target& target);
std::string assembly(llvm::Module& module, const Target& target);

// Links object code (one or more objects, together defining `symbols`; an empty name
// is one they do not define, its slot left null) into the
// process-wide JIT of `target` and looks the symbols up. JitError when it cannot (a
// corrupt object, a missing symbol).
std::shared_ptr<LinkedKernels> link(const std::vector<std::string>& objects, const KernelSymbols& symbols,
                                    const Target& target);

}  // namespace actjit::jit
