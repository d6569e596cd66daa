// The kernels are straight-line vector code inside one counted loop, with every call
// inlined already, so the pipeline is LLVM's O3 module pipeline, which for this code does
// what matters: SROA and mem2reg turn the parameter-gradient accumulators into
// registers; InstCombine, EarlyCSE and GVN merge what the forward and backward graphs
// share; LICM hoists the parameter splats and constants; the loop unroller unrolls the
// main loop (by 8 for small bodies, less for large ones, as its cost model decides); the
// SLP and loop vectorizers find nothing left to do, the code being vector already.
// The Performance issue measures alternatives (a hand-built function pipeline is
// cheaper to run; docs/BENCHMARKS.md will say by how much).
#include "optimize.hpp"

#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Target/TargetMachine.h>

namespace actjit::jit {

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
    llvm::ModulePassManager pipeline = builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
    pipeline.run(module, modules);
}

}  // namespace actjit::jit
