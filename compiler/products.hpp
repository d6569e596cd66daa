// The stabilizer's rules over a product's factors, however the product is nested
// (stabilize.cpp applies them, docs/numerics.md gives each its reason): exponentials
// beside sigmoids and beside each other, erfcx, a common input factor of a sum, and
// which factor of a product decay_mul guards (by the tails of asymptotic.hpp).
#pragma once

#include <vector>

#include "asymptotic.hpp"
#include "graph.hpp"

namespace actjit {

// Whether q is -p as a formula: -p, a constant's negation, or a product or quotient
// with one factor negated (`-2 * x` is `(-2) * x`, `-x / 2` is `(-x) / 2`).
bool negation_of(Expr p, Expr q);

// The factors of a product as written (nested * and decay_mul), in order.
void factors(Expr n, std::vector<Expr>& out);

// expm1(u)'s argument, also as the rule for exp(x) - 1 leaves it (expm1(u) + 0); else null.
Expr expm1_argument(Expr n);

// u / 2, without a 0.5 * (2 * t): a product's constant factor halved where it has one.
Expr half(Graph& g, Expr u, SourceRange r);

// The rules over a product's factors, from one list of them: erfcx (`plain` products
// only), exponentials beside sigmoids, exponentials collected; else null.
Expr factor_pairs(Graph& g, Expr n, SourceRange r, bool plain);

// p * x + q * x -> x * (p + q) for an input x among both plain products' factors; else null.
Expr common_input_factor(Graph& g, Expr a, Expr b, SourceRange r);

// Of a product a * b, the factor decay_mul guards: decay_mul(a, b) (1), decay_mul(b, a)
// (-1), or neither (0).
int decay_side(Expr a, Expr b, Tails& tails);

}  // namespace actjit
