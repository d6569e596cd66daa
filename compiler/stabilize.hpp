// Numerical stabilization: rewrites the naive formulas people write into forms that
// do not overflow, cancel or give NaN where the true value is finite. Unlike
// simplify(), these rules change results, each for a reason given beside it in
// stabilize.cpp (and in docs/numerics.md). They match structure, not names: a user's
// own spelling of softplus gets the same treatment as the standard library's.
#pragma once

#include <vector>

#include "graph.hpp"

namespace actjit {

// Applies the stabilization rules together with the simplifier's, to a fixed point.
std::vector<Expr> stabilize(Graph& graph, const std::vector<Expr>& roots);

}  // namespace actjit
