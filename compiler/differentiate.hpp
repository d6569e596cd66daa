// Symbolic derivatives (LANGUAGE.md §4): d(root)/d(variable), where the variable is an
// Input or Param leaf. Null when root does not depend on the variable at all.
#pragma once

#include "graph.hpp"

namespace actjit {

Expr differentiate(Graph& graph, Expr root, Expr variable);

}  // namespace actjit
