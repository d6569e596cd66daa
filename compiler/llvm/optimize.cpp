// The pass pipeline for the kernels (optimize.hpp says why this one); ACTJIT_PIPELINE (a
// textual pass pipeline, as `opt -passes=`, or "none") replaces it, to measure
// alternatives such as default<O3> (docs/BENCHMARKS.md).
#include "optimize.hpp"

#include <cstdlib>

#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/Error.h>
#include <llvm/Target/TargetMachine.h>

#include "error.hpp"

namespace actjit::jit {

// Read once: the environment of a process does not change which kernels it wants.
const std::string& pipeline() {
    static const std::string chosen = [] {
        const char* text = std::getenv("ACTJIT_PIPELINE");
        return std::string(text && *text ? text : default_pipeline);
    }();
    return chosen;
}

llvm::CodeGenOptLevel codegen_level() {
    const char* chosen = std::getenv("ACTJIT_CODEGEN");
    if (!chosen || !*chosen) return default_codegen_level;
    auto level = llvm::CodeGenOpt::parseLevel(chosen[0]);
    if (!level || chosen[1]) throw JitError(std::string("ACTJIT_CODEGEN: not a level 0-3: ") + chosen);
    return *level;
}

const std::string& codegen_level_name() {
    static const std::string name = std::to_string(static_cast<int>(codegen_level()));
    return name;
}

void optimize(llvm::Module& module, llvm::TargetMachine& machine) {
    llvm::LoopAnalysisManager loops;
    llvm::FunctionAnalysisManager functions;
    llvm::CGSCCAnalysisManager cgscc;
    llvm::ModuleAnalysisManager modules;
    llvm::PassBuilder builder(&machine);
    builder.registerModuleAnalyses(modules);
    builder.registerCGSCCAnalyses(cgscc);
    builder.registerFunctionAnalyses(functions);
    builder.registerLoopAnalyses(loops);
    builder.crossRegisterProxies(loops, functions, cgscc, modules);
    llvm::ModulePassManager passes;
    const std::string& text = pipeline();
    if (text == "none") return;
    if (llvm::Error e = builder.parsePassPipeline(passes, text))
        throw JitError("ACTJIT_PIPELINE: " + llvm::toString(std::move(e)));
    passes.run(module, modules);
}

}  // namespace actjit::jit
