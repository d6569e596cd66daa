// Vector math emitted inline as IR: no calls are left in a kernel (but on a CPU without
// FMA, llvm.fma itself is lowered by LLVM to a call of libm's fma: docs/numerics.md).
// Two sets of algorithms:
//  - on double lanes (`_wide`), tools/vecmath's (fit.py, coefficients.hpp; reference.py
//    is the same code, op for op, in Python, checked against mpmath): what f64 kernels
//    and accurate f32 kernels (which compute in double lanes) use;
//  - on float lanes (`_float`), tools/vecmath/f32's (fit_f32.py, reference_f32.hpp):
//    what fast f32 kernels use. A function with no float algorithm is computed there in
//    double lanes and rounded once (correct, at double's cost).
// Each file here is one family, written to read like its reference.
#pragma once

#include <utility>

#include <llvm/IR/IRBuilder.h>

#include "../target.hpp"

namespace actjit::jit {

class VecMath {
public:
    // `element`: the lanes' type, double or float.
    VecMath(llvm::IRBuilder<>& builder, const Target& target, int lanes, llvm::Type* element);

    llvm::Value* exp(llvm::Value* x);
    llvm::Value* expm1(llvm::Value* x);
    llvm::Value* log(llvm::Value* x);
    llvm::Value* log1p(llvm::Value* x);
    llvm::Value* pow(llvm::Value* a, llvm::Value* b);
    llvm::Value* tanh(llvm::Value* x);
    llvm::Value* sigmoid(llvm::Value* x);
    // sigmoid(x) and sigmoid(-x) from one exponential and one division, each bit for bit
    // what sigmoid() gives (a derivative's s(x) s(-x)); in float lanes also their product,
    // bit for bit, from the two sides without the selects (else null).
    struct SigmoidPair {
        llvm::Value *s, *s_negated, *product;
    };
    SigmoidPair sigmoid_pair(llvm::Value* x);
    // Float lanes only: the functions of softplus(y) that are rational in v = e^-|y|
    // (mish and its slope: tanh(softplus(y)) = 1 - 2 s(-2 sp), s(2 sp) s(-2 sp) its
    // 1 - tanh^2 / 4), from one exponential and one division each, beside s(y) and s(-y)
    // bit for bit as sigmoid_pair gives them (float_exp.cpp).
    struct SoftplusForms {
        llvm::Value *tanh, *sigmoid_2, *sigmoid_minus_2, *sigmoid, *sigmoid_minus;
    };
    SoftplusForms softplus_forms(llvm::Value* y);
    bool float_lanes() const { return float_; }
    llvm::Value* softplus(llvm::Value* x);
    llvm::Value* erf(llvm::Value* x);
    llvm::Value* erfc(llvm::Value* x);
    // Float lanes only: erfc(±x / sqrt(2)) and exp(-x^2 / 2), with -x^2 / 2 exact
    // (gelu's value and slope, from a table: float_normal.cpp).
    llvm::Value* erfc_half_scaled(llvm::Value* x, bool negative) { return erfc_half_scaled_float(x, negative); }
    llvm::Value* exp_minus_half_square(llvm::Value* x) { return exp_minus_half_square_float(x); }
    llvm::Value* sin(llvm::Value* x);
    llvm::Value* cos(llvm::Value* x);
    llvm::Value* atan(llvm::Value* x);
    llvm::Value* sinh(llvm::Value* x);
    llvm::Value* cosh(llvm::Value* x);
    llvm::Value* asinh(llvm::Value* x);
    llvm::Value* sqrt(llvm::Value* x);
    llvm::Value* abs(llvm::Value* x);
    llvm::Value* copysign(llvm::Value* magnitude, llvm::Value* sign);
    // A draw in [lo, hi) per lane from Philox-4x32-10 keyed by (seed, index): the same
    // value as compiler/random.hpp's uniform_draw<double>, rounded to float in float
    // lanes (philox.cpp).
    llvm::Value* uniform(llvm::Value* lo, llvm::Value* hi, llvm::Value* seed, llvm::Value* indices);

    // The dsl's view of a lane type: `f64` is the lanes' floating type and `i64` the
    // integer lanes of the same width (so <W x float> and <W x i32> in float lanes).
    struct Context {
        llvm::IRBuilder<>& b;
        Target target;
        int lanes;
        llvm::FixedVectorType* f64;
        llvm::FixedVectorType* i64;
    };

private:
    bool float_;   // the kernel's lanes are float
    Context w_;    // double lanes
    Context n_;    // float lanes (when float_)

    using Unary = llvm::Value* (VecMath::*)(llvm::Value*);
    // In float lanes: f in double lanes, rounded once.
    llvm::Value* widened(Unary f, llvm::Value* x);

    llvm::Value* exp_wide(llvm::Value* x);
    llvm::Value* expm1_wide(llvm::Value* x);
    llvm::Value* log_wide(llvm::Value* x);
    llvm::Value* log1p_wide(llvm::Value* x);
    llvm::Value* pow_wide(llvm::Value* a, llvm::Value* b);
    llvm::Value* tanh_wide(llvm::Value* x);
    llvm::Value* sigmoid_wide(llvm::Value* x);
    SigmoidPair sigmoid_pair_wide(llvm::Value* x);
    llvm::Value* softplus_wide(llvm::Value* x);
    llvm::Value* erf_wide(llvm::Value* x);
    llvm::Value* erfc_wide(llvm::Value* x);
    llvm::Value* sin_wide(llvm::Value* x);
    llvm::Value* cos_wide(llvm::Value* x);
    llvm::Value* atan_wide(llvm::Value* x);
    llvm::Value* sinh_wide(llvm::Value* x);
    llvm::Value* cosh_wide(llvm::Value* x);
    llvm::Value* asinh_wide(llvm::Value* x);
    llvm::Value* uniform_wide(llvm::Value* lo, llvm::Value* hi, llvm::Value* seed, llvm::Value* indices);

    llvm::Value* exp_float(llvm::Value* x);
    llvm::Value* sigmoid_float(llvm::Value* x);
    SigmoidPair sigmoid_pair_float(llvm::Value* x);
    llvm::Value* tanh_float(llvm::Value* x);
    llvm::Value* erf_float(llvm::Value* x);
    llvm::Value* erfc_float(llvm::Value* x);
    llvm::Value* erfc_half_scaled_float(llvm::Value* x, bool negative);
    llvm::Value* exp_minus_half_square_float(llvm::Value* x);
    llvm::Value* expm1_float(llvm::Value* x);
    llvm::Value* softplus_float(llvm::Value* x);
};

}  // namespace actjit::jit
