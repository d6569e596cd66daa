// Numerical stabilization: rewrites the naive formulas people write into forms that
// do not overflow, cancel or give NaN where the true value is finite. Unlike
// simplify(), these rules change results, each for a reason given beside it in
// stabilize.cpp (and in docs/numerics.md). They match structure, not names: a user's
// own spelling of softplus gets the same treatment as the standard library's.
#pragma once

#include <vector>

#include "graph.hpp"
#include "arithmetic.hpp"

namespace actjit {

// Applies the stabilization rules together with the simplifier's, to a fixed point.
// `last`: the call after differentiation (gradient.cpp), which also applies rescale.hpp's
// rules: a quotient by a constant whose numerator's product overflows first, (a * t) / k
// as a * (t / k) where |t| <= |k| or k is a power of two, a halved sum, softplus(k u) /
// k, the diagonal of logsumexp and softmax. Not before: a derivative taken of the
// rescaled form would lose the cancellations the rules find (hardswish's slope is (3 +
// 2 x) / 6, not (x + 3) / 6 + x / 6, which cancels at -1.5). `arithmetic`: what the
// kernels compute in, for the Taylor polynomials' radius and degree (taylor.hpp).
std::vector<Expr> stabilize(Graph& graph, const std::vector<Expr>& roots, bool last = false,
                            Arithmetic arithmetic = Arithmetic::Double);

}  // namespace actjit
