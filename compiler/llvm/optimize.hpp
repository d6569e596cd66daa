// The pass pipeline for kernels (new pass manager); optimize.cpp says what each pass buys.
#pragma once

#include <string>

#include <llvm/Support/CodeGen.h>

namespace llvm {
class Module;
class TargetMachine;
}  // namespace llvm

namespace actjit::jit {

inline constexpr const char* default_pipeline = "default<O3>";
inline constexpr llvm::CodeGenOptLevel default_codegen_level = llvm::CodeGenOptLevel::Aggressive;
// The pipeline in use: $ACTJIT_PIPELINE, else the default. Part of the disk cache's key.
const std::string& pipeline();

// The code generator's level in use: $ACTJIT_CODEGEN (0-3), else the default.
llvm::CodeGenOptLevel codegen_level();
const std::string& codegen_level_name();

void optimize(llvm::Module& module, llvm::TargetMachine& machine);

}  // namespace actjit::jit
