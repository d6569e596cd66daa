// The pass pipeline for kernels (new pass manager); optimize.cpp says what each pass buys.
#pragma once

namespace llvm {
class Module;
class TargetMachine;
}  // namespace llvm

namespace actjit::jit {

// Part of the disk cache's key: change it when the pipeline changes.
inline constexpr const char* pipeline_version = "O3-1";

void optimize(llvm::Module& module, llvm::TargetMachine& machine);

}  // namespace actjit::jit
