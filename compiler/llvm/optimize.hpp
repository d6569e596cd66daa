// The pass pipeline for kernels (new pass manager); optimize.cpp says what each pass buys.
#pragma once

#include <string>

#include <llvm/Support/CodeGen.h>

namespace llvm {
class Module;
class TargetMachine;
}  // namespace llvm

namespace actjit::jit {

// The kernels need no interprocedural work and no vectorizer (they are vector code
// already): SROA for the accumulators, CSE and InstCombine, LICM for the splats and
// constants. docs/BENCHMARKS.md measures it against default<O3>: the same kernel speed,
// a fifth of the time.
inline constexpr const char* default_pipeline =
    "function(sroa,early-cse,instcombine<no-verify-fixpoint>,simplifycfg,loop-mssa(licm),"
    "instcombine<no-verify-fixpoint>)";
inline constexpr llvm::CodeGenOptLevel default_codegen_level = llvm::CodeGenOptLevel::Aggressive;
// The pipeline in use: $ACTJIT_PIPELINE, else the default. Part of the disk cache's key.
const std::string& pipeline();

// The code generator's level in use: $ACTJIT_CODEGEN (0-3), else the default.
llvm::CodeGenOptLevel codegen_level();
const std::string& codegen_level_name();

void optimize(llvm::Module& module, llvm::TargetMachine& machine);

}  // namespace actjit::jit
