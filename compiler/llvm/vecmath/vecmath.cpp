// The VecMath object, its simplest members, and the choice between the double-lane and
// the float-lane algorithms; the families are in their own files.
#include <limits>

#include "dsl.hpp"

namespace actjit::jit {

namespace {

VecMath::Context context(llvm::IRBuilder<>& b, const Target& target, int lanes, llvm::Type* real, llvm::Type* integer) {
    auto w = static_cast<unsigned>(lanes);
    return {b, target, lanes, llvm::FixedVectorType::get(real, w), llvm::FixedVectorType::get(integer, w)};
}

}  // namespace

VecMath::VecMath(llvm::IRBuilder<>& builder, const Target& target, int lanes, llvm::Type* element)
    : float_(element->isFloatTy()),
      w_(context(builder, target, lanes, builder.getDoubleTy(), builder.getInt64Ty())),
      n_(context(builder, target, lanes, builder.getFloatTy(), builder.getInt32Ty())) {}

llvm::Value* VecMath::widened(Unary f, llvm::Value* x) {
    if (!float_) return (this->*f)(x);
    llvm::IRBuilder<>& b = w_.b;
    return b.CreateFPTrunc((this->*f)(b.CreateFPExt(x, w_.f64)), n_.f64);
}

llvm::Value* VecMath::exp(llvm::Value* x) { return float_ ? exp_float(x) : exp_wide(x); }
llvm::Value* VecMath::expm1(llvm::Value* x) { return float_ ? expm1_float(x) : expm1_wide(x); }
llvm::Value* VecMath::log(llvm::Value* x) { return widened(&VecMath::log_wide, x); }
llvm::Value* VecMath::log1p(llvm::Value* x) { return widened(&VecMath::log1p_wide, x); }
llvm::Value* VecMath::tanh(llvm::Value* x) { return float_ ? tanh_float(x) : tanh_wide(x); }
llvm::Value* VecMath::sigmoid(llvm::Value* x) { return float_ ? sigmoid_float(x) : sigmoid_wide(x); }
VecMath::SigmoidPair VecMath::sigmoid_pair(llvm::Value* x) {
    return float_ ? sigmoid_pair_float(x) : sigmoid_pair_wide(x);
}
llvm::Value* VecMath::softplus(llvm::Value* x) { return float_ ? softplus_float(x) : softplus_wide(x); }
llvm::Value* VecMath::erf(llvm::Value* x) { return float_ ? erf_float(x) : erf_wide(x); }
llvm::Value* VecMath::erfc(llvm::Value* x) { return float_ ? erfc_float(x) : erfc_wide(x); }
llvm::Value* VecMath::sin(llvm::Value* x) { return widened(&VecMath::sin_wide, x); }
llvm::Value* VecMath::cos(llvm::Value* x) { return widened(&VecMath::cos_wide, x); }
llvm::Value* VecMath::atan(llvm::Value* x) { return widened(&VecMath::atan_wide, x); }
llvm::Value* VecMath::sinh(llvm::Value* x) { return widened(&VecMath::sinh_wide, x); }
llvm::Value* VecMath::cosh(llvm::Value* x) { return widened(&VecMath::cosh_wide, x); }
llvm::Value* VecMath::asinh(llvm::Value* x) { return widened(&VecMath::asinh_wide, x); }

llvm::Value* VecMath::pow(llvm::Value* a, llvm::Value* b) {
    if (!float_) return pow_wide(a, b);
    llvm::IRBuilder<>& ir = w_.b;
    return ir.CreateFPTrunc(pow_wide(ir.CreateFPExt(a, w_.f64), ir.CreateFPExt(b, w_.f64)), n_.f64);
}

llvm::Value* VecMath::uniform(llvm::Value* lo, llvm::Value* hi, llvm::Value* seed, llvm::Value* indices) {
    if (!float_) return uniform_wide(lo, hi, seed, indices);
    using namespace dsl;
    llvm::IRBuilder<>& b = w_.b;
    F v{&n_, b.CreateFPTrunc(uniform_wide(b.CreateFPExt(lo, w_.f64), b.CreateFPExt(hi, w_.f64), seed, indices), n_.f64)};
    // Rounding to float may reach hi: then the largest float below it (as uniform_wide).
    F h{&n_, hi}, l{&n_, lo};
    F below = sel(h > 0.0, from_bits(bits(h) - 1),
                  sel(h < 0.0, from_bits(bits(h) + 1), num(&n_, -std::numeric_limits<float>::denorm_min())));
    v = sel(v < h, v, below);
    return sel(h > l, v, l).v;
}

llvm::Value* VecMath::sqrt(llvm::Value* x) { return dsl::sqrt(dsl::F{float_ ? &n_ : &w_, x}).v; }
llvm::Value* VecMath::abs(llvm::Value* x) { return dsl::fabs(dsl::F{float_ ? &n_ : &w_, x}).v; }
llvm::Value* VecMath::copysign(llvm::Value* magnitude, llvm::Value* sign) {
    return dsl::copysign(dsl::F{float_ ? &n_ : &w_, magnitude}, dsl::F{float_ ? &n_ : &w_, sign}).v;
}

}  // namespace actjit::jit
