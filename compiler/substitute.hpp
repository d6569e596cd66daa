// Replaces the leaves of an expression: Input(i) by inputs[i], Param(p) by params[p].
// This is how a call is inlined: the callee's body, with the call's arguments.
#pragma once

#include <span>

#include "graph.hpp"

namespace actjit {

Expr substitute(Graph& graph, Expr root, std::span<const Expr> inputs, std::span<const Expr> params);

}  // namespace actjit
