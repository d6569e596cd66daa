// The VecMath object and its simplest members; the families are in their own files.
#include "dsl.hpp"

namespace actjit::jit {

VecMath::VecMath(llvm::IRBuilder<>& builder, const Target& target, int lanes)
    : c_{builder, target, lanes,
         llvm::FixedVectorType::get(builder.getDoubleTy(), static_cast<unsigned>(lanes)),
         llvm::FixedVectorType::get(builder.getInt64Ty(), static_cast<unsigned>(lanes))} {}

llvm::Value* VecMath::sqrt(llvm::Value* x) { return dsl::sqrt(dsl::F{&c_, x}).v; }
llvm::Value* VecMath::abs(llvm::Value* x) { return dsl::fabs(dsl::F{&c_, x}).v; }
llvm::Value* VecMath::copysign(llvm::Value* magnitude, llvm::Value* sign) {
    return dsl::copysign(dsl::F{&c_, magnitude}, dsl::F{&c_, sign}).v;
}

}  // namespace actjit::jit
