// Expressions of the graph back in the language's own syntax, and a dump of the graph.
#pragma once

#include <string>
#include <vector>

#include "check.hpp"
#include "graph.hpp"

namespace actjit {

// `root` as a definition body over `names`' inputs and parameters: it parses back, and
// evaluates to the same values. A subexpression used more than once, or one whose text
// grows long, is bound by a `let` (named _1, _2, ...), so the text stays linear in the
// size of the graph and shallow enough to parse. Constants are written exactly (the
// shortest text that reads back as the same double), or with `digits` > 0 to that many
// significant digits, for a reader.
std::string to_source(Expr root, const FunctionInfo& names, int digits = 0);

// The significant digits `actjit diff` gives a constant (the fifteen a double always
// holds); `diff --stable` writes them exactly.
inline constexpr int reader_digits = 15;

// One line per node, operands first: `%3 = mul %1, %2`, numbered from 0 in
// topological order; each root as `NAME = %N`. Deterministic for a given file.
std::string dump_graph(const std::vector<std::pair<std::string, Expr>>& roots, const FunctionInfo& names);

}  // namespace actjit
