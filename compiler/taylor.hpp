// Cancellation at a point, by a Taylor polynomial (issue 10's "cancellation near a
// point"): a - b, over one input x and constants, where a(0) = b(0) exactly, loses every
// digit as x -> 0 (x - sin(x), x - tanh(x), 1 - cos(x)). Near 0 it is replaced by its
// Taylor polynomial, the coefficients f^(k)(0) / k! from the project's own
// differentiator evaluated in MPFR (256 bits, rounded once to double); the radius is
// where the written difference has become accurate again, the degree what the
// truncation needs there. docs/numerics.md, "Cancellation at 0".
#pragma once

#include <unordered_map>

#include "graph.hpp"
#include "arithmetic.hpp"

namespace actjit {

// abs(x) < r ? P(x) : a - b, or null when a - b does not cancel at 0 (or depends on a
// parameter, a draw or more than one input, or needs more than the degree limit), for
// kernels that compute in `arithmetic`: in double lanes whose results are rounded to float,
// the written difference is accurate enough from a smaller radius on, and both there and
// in float lanes the polynomial needs fewer terms (docs/numerics.md, "Cancellation at 0").
// `made`: the selects this has returned before, each to the difference it stands for;
// a and b's series are taken of those differences, not of their polynomials, whose
// rounded coefficients would leave spurious terms in a difference of such a select and
// another term (x - sin(x) - x^3 / 6: the polynomial's x^3 coefficient, 1/6 rounded,
// against 1/6).
Expr taylor_at_zero(Graph& g, Expr a, Expr b, SourceRange range, Arithmetic arithmetic = Arithmetic::Double,
                    const std::unordered_map<Expr, Expr>* made = nullptr);

// A derivative takes the select's form, abs(x) < r ? P'(x) : Q, Q the written form's
// derivative as stabilized. Where Q no longer cancels (x - tanh(x)'s slope is tanh(x)^2
// once 1 - sech^2 is rewritten), P' is only cost, a polynomial in every kernel: each such
// select below `root` becomes Q where Q, of x alone, agrees with P' at 0 and at one point
// of every binade of (2^-60, r), signs alternating: to 4 ULP in double, to what the
// arithmetic's polynomial is accurate to otherwise.
Expr without_needless_polynomials(Graph& g, Expr root, Arithmetic arithmetic = Arithmetic::Double);

}  // namespace actjit
