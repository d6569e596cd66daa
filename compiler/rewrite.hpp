// The driver shared by the rewriting passes (simplify, stabilize): rebuild the graph
// below the roots bottom-up, apply a rule at each node until it returns the node
// itself, and repeat whole passes until nothing changes. Walks in topological order,
// so a deep graph cannot exhaust the stack.
#pragma once

#include <functional>
#include <vector>

#include "graph.hpp"

namespace actjit {

// A rule returns a replacement for a node whose operands are already rewritten, or
// the node itself when it does not apply.
using Rule = std::function<Expr(Graph&, Expr)>;

std::vector<Expr> rewrite(Graph& graph, const std::vector<Expr>& roots, const Rule& rule);

}  // namespace actjit
