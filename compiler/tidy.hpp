// Derivatives for a reader: the algebra a person does by hand, exact as real-number
// identities for every finite input (not bit for bit): like terms collected (`x + x`
// is `2 * x`), integer powers (`x * x * x` is `x^3`, and its derivative `3 * x^2`),
// numeric coefficients gathered and distributed over sums, negations folded into
// coefficients, a factor cancelled against its inverse only where it is nonzero for
// every finite input (exp, sigmoid, positive constants, ...), constants on the right
// of comparisons. What `actjit diff` prints; the kernels never compute it.
#pragma once

#include <vector>

#include "graph.hpp"

namespace actjit {

// Each root tidied on its own (what is shared is counted within one root).
std::vector<Expr> tidy(Graph& graph, const std::vector<Expr>& roots);

}  // namespace actjit
