// Vector math emitted inline as IR on <W x double> lanes: no calls are left in a kernel
// (but on a CPU without FMA, llvm.fma itself is lowered by LLVM to a call of libm's
// fma: docs/numerics.md). The algorithms and coefficients are tools/vecmath's
// (fit.py, coefficients.hpp; reference.py is the same code, op for op, in Python,
// checked against mpmath); each file here is one family, written to read like it.
#pragma once

#include <llvm/IR/IRBuilder.h>

#include "../target.hpp"

namespace actjit::jit {

class VecMath {
public:
    VecMath(llvm::IRBuilder<>& builder, const Target& target, int lanes);

    llvm::Value* exp(llvm::Value* x);
    llvm::Value* expm1(llvm::Value* x);
    llvm::Value* log(llvm::Value* x);
    llvm::Value* log1p(llvm::Value* x);
    llvm::Value* pow(llvm::Value* a, llvm::Value* b);
    llvm::Value* tanh(llvm::Value* x);
    llvm::Value* sigmoid(llvm::Value* x);
    llvm::Value* softplus(llvm::Value* x);
    llvm::Value* erf(llvm::Value* x);
    llvm::Value* erfc(llvm::Value* x);
    llvm::Value* sin(llvm::Value* x);
    llvm::Value* cos(llvm::Value* x);
    llvm::Value* sqrt(llvm::Value* x);
    llvm::Value* abs(llvm::Value* x);
    llvm::Value* copysign(llvm::Value* magnitude, llvm::Value* sign);
    // A draw in [lo, hi) per lane from Philox-4x32-10 keyed by (seed, index): the same
    // value as compiler/random.hpp's uniform_draw<double> (philox.cpp).
    llvm::Value* uniform(llvm::Value* lo, llvm::Value* hi, llvm::Value* seed, llvm::Value* indices);

    struct Context {
        llvm::IRBuilder<>& b;
        Target target;
        int lanes;
        llvm::FixedVectorType* f64;
        llvm::FixedVectorType* i64;
    };

private:
    Context c_;
};

}  // namespace actjit::jit
