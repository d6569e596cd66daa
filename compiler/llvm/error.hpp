// Errors of the JIT (LLVM's llvm::Error, converted at the edge of compiler/llvm/): a
// message a user can read, never a crash.
#pragma once

#include <stdexcept>

namespace actjit::jit {

struct JitError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace actjit::jit
