// IEEE-safe simplification to a fixed point: constant folding, identities that hold
// for every float (NaN, ±inf and ±0 included), select folding, and a canonical order
// of commutative operands. The rule list is in simplify.cpp, one line per rule.
#pragma once

#include <vector>

#include "graph.hpp"

namespace actjit {

// The rules themselves, one step at one node, for passes that apply them together
// with their own (stabilize).
struct SimplifyRules {
    Expr operator()(Graph& graph, Expr n) const;
};

Expr simplify(Graph& graph, Expr root);
// Several roots at once, so that what they share stays shared.
std::vector<Expr> simplify(Graph& graph, const std::vector<Expr>& roots);

}  // namespace actjit
