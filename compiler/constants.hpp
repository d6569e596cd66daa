// The irrational constants the compiler meets as doubles: pi, the constants of erf's
// derivative and of the normal density, square roots of small integers. Each is named
// by the text a reader knows (`sqrt(2 / pi)`, not 0.7978845608028654) and computed in
// double as lowering and the derivative rules compute it, so that a constant with its
// bits is that irrational: the printer writes its name, and the references (MPFR and
// the interval oracle) take its exact value, not the double's. (The double nearest 2 /
// sqrt(pi) is off by a relative 4e-17; erfcx's slope, 2 x erfcx(x) - 2 / sqrt(pi),
// cancels that to 2e-14 at x = 30 and to all of it at 2e8.)
#pragma once

#include <vector>

namespace actjit {

struct NamedConstant {
    enum class Of { Pi, SqrtPi, Sqrt2Pi, SqrtTwoOverPi, InvSqrtPi, TwoOverSqrtPi, InvSqrt2Pi, HalfPi, SqrtInteger };
    const char* text;  // null for sqrt(k), written from the value
    double value;
    bool atom;  // binds like a call (`sqrt(2)`), else like a quotient (`1 / sqrt(pi)`)
    Of of;
    int integer = 0;  // of SqrtInteger
};

const std::vector<NamedConstant>& named_constants();

// The named constant with exactly the bits of |v|, else null.
const NamedConstant* named_constant(double v);

}  // namespace actjit
