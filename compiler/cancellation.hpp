// Issue 10's general methods for differences and overflowing roots, beside the
// stabilizer's rules (stabilize.cpp calls them; docs/numerics.md, "What users write").
#pragma once

#include "graph.hpp"

namespace actjit {

// a - b where the two agree to first order, rewritten so that the cancellation happens
// in exact symbolic arithmetic (linear.hpp), not in floating point: conjugates of
// roots, a quotient of logarithms' arguments, a common denominator, sums written apart.
// Null if no part of the difference loses a term.
Expr cancel(Graph& g, Expr a, Expr b, SourceRange range);

// sqrt(u*u + R) rescaled past |u| = 1, so that u*u cannot overflow where the root does
// not (the stabilizer's second pass); `n` itself if it is not such a root.
Expr rescale_root(Graph& g, Expr n);

}  // namespace actjit
