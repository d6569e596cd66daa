// Taylor coefficients by arithmetic on truncated power series (Taylor-mode automatic
// differentiation; Griewank and Walther, "Evaluating Derivatives", ch. 13): every node's
// series at a point from its operands' by the classic recurrences (a product's is a
// convolution, exp's from E' = E U', tanh's from T' = (1 - T^2) U', ...), so that n
// coefficients cost O(n^2) operations per node where n symbolic derivatives of a graph
// cost a graph each, growing with n. Double-double arithmetic, each function's value at
// the point from MPFR: every coefficient is rounded once to double at the end.
// taylor.hpp's cancellation at 0 stands on it.
#pragma once

#include <optional>
#include <vector>

#include "graph.hpp"

namespace actjit {

// c_0 ... c_(terms - 1), f(x0 + h) = sum c_k h^k, for a root of the one input `x` and
// constants; nothing where a node is not analytic at the point (abs, min, max or a
// select on the boundary of their cases, a root of 0, a log of 0, a pole), or depends on
// a parameter or a draw. A removable singularity (sin(x) / x, the quotient rule's
// (x sin(x) - 2 (1 - cos(x))) / x^3 at 0) is divided out, up to 8 of them.
std::optional<std::vector<double>> taylor_series(Expr root, Expr x, double x0, int terms);

}  // namespace actjit
