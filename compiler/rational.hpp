// The large-|x| regime of a rational function (issue 10's asymptotics at ±inf, their
// stable form past a threshold the compiler computes): a root of one input built from
// +, -, *, /, integer powers, abs and sign is, past the real roots of every polynomial
// whose sign it takes, one quotient of polynomials N(x) / D(x) for each sign of x
// (abs(R) is R times its leading sign there). Written in y = 1/x, N(x) / D(x) is
// (sum n_k y^(m-k)) / (sum d_k y^(m-k)), m the higher degree: no power of x to
// overflow. Padé's (0.02 + 0.5 x + 0.4 x^2 + 0.1 x^3) / (1 + abs(0.3 x + 0.2 x^2)) is
// 5e199 at 1e200 (it was inf / inf), its slope 0.5. The coefficients are combined in
// MPFR, exactly (products and sums of doubles at 4096 bits), so that a leading term
// that cancels is 0, not a rounding of it; each is rounded once.
#pragma once

#include "graph.hpp"

namespace actjit {

// x > T ? N+(y) / D+(y) : (x < -T ? N-(y) / D-(y) : root), or null if the root is not
// such a function of the input x (or is a polynomial, whose overflow is the truth's), or
// if the form is not more accurate than the root past T at sample points (against MPFR;
// parameters are not allowed, so the sample needs none).
Expr large_argument_form(Graph& g, Expr root, Expr x);

}  // namespace actjit
