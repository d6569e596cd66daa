// A sum as a linear combination: c + k1 t1 + k2 t2 + ..., its terms the operands of
// nested +, - and unary minus and of products by a constant, each term once (the graph
// interns nodes, so equal terms are one node). The stabilizer's cancellation rules
// (cancellation.cpp) use it to see that (x*x + 1) - x*x is 1 or (x + 1) - x is 1 however
// the sums are nested or ordered: the canonical form of sums that issue 10 asks for,
// taken only where it removes a cancellation.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "graph.hpp"

namespace actjit {

struct Linear {
    double constant = 0;
    std::vector<std::pair<Expr, double>> terms;  // in order of first appearance, coefficients != 0
};

// a - b as a linear combination, if some term of a (or a's constant) cancels exactly
// against b's and every coefficient is exact in double; else nothing. A term that
// cancels must be total (no log, root, power or division below it: cancelling one would
// turn a NaN of its domain into a number), unless `any_term`, for a caller that keeps
// the term's value elsewhere.
std::optional<Linear> cancelled_difference(Expr a, Expr b, bool any_term = false);

// The combination as a graph: its terms in canonical order (structurally_before),
// the constant first; 0 for an empty one.
Expr build(Graph& g, const Linear& l, SourceRange r);

}  // namespace actjit
