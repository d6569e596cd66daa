// The pass pipeline for kernels (new pass manager); optimize.cpp says what each pass buys.
#pragma once

namespace llvm {
class Module;
class TargetMachine;
}  // namespace llvm

namespace actjit::jit {

void optimize(llvm::Module& module, llvm::TargetMachine& machine);

}  // namespace actjit::jit
