// The cores the function families share (exp_log.cpp): e^x and log(x) to about
// 2^-60 and 2^-68 relative, as double-doubles, for the functions built on them.
#pragma once

#include "dsl.hpp"

namespace actjit::jit::dsl {

struct ExpCore {
    I k;
    F r, h2, t;  // e^(xh + xl) = 2^k (1 + r + h2 + t)
};
ExpCore exp_core(F xh, F xl);

struct ExpDD {
    I k;
    F yh, yl;  // e^(xh + xl) = 2^k (yh + yl)
};
ExpDD exp_dd(F xh, F xl);

// log(uh + ul + ul2) + kadd * ln2 as a double-double; uh positive, finite and normal,
// |ul| <= ulp(uh), |ul2| <= ulp(ul).
DD log_core(F uh, F ul, I kadd);
DD log_core(F uh, F ul, I kadd, F ul2);

}  // namespace actjit::jit::dsl
