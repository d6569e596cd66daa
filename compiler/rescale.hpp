// The stabilizer's rules after differentiation (stabilize(..., last = true),
// stabilize.hpp): rescalings of intermediates that overflow where the result does not,
// and the diagonal p = q of logsumexp and softmax. Only there, because the derivatives
// are taken of the forms the other rules cancel best, or because the written slope is
// accurate already; each rule's reason is beside it (docs/numerics.md, "What users
// write").
#pragma once

#include "graph.hpp"

namespace actjit {

// Made of constants and parameters only: no input, no draw.
bool fixed_factor(Expr k);

// The first of these rules that applies to n, or n itself.
Expr after_differentiation(Graph& g, Expr n);

// exp(u) / v and expm1(u) / v past u = 709, where exp overflows and the quotient need
// not, as (exp(u - 512) / v) * e^512; once over the graph below root (gradient.cpp), after
// the rules.
Expr rescale_exponential_quotients(Graph& g, Expr root);

}  // namespace actjit
