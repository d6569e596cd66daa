// Reference interpreters over the graph, in double and in MPFR: the oracles for tests
// and what `actjit eval --interp` runs. Booleans are 0 and 1.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "graph.hpp"

namespace actjit {

struct Environment {
    std::span<const double> inputs;
    std::span<const double> params;
    uint64_t seed = 0;
    uint64_t index = 0;      // the element's index, for uniform()
    bool inference = false;  // uniform(lo, hi) is (lo + hi) / 2
};

double interpret(Expr root, const Environment& environment);
// One node, given its operands' values (in order): the semantics interpret() applies.
double evaluate(Expr node, std::span<const double> operands, const Environment& environment);
// Several roots at once, sharing the work on common nodes.
std::vector<double> interpret(const std::vector<Expr>& roots, const Environment& environment);

// The same semantics in MPFR, at `precision` bits (at least 128), each result rounded
// to the nearest double: the oracle that accuracy is measured against. Inputs,
// parameters and constants are the doubles given; transcendental functions are
// correctly rounded at that precision.
inline constexpr int reference_precision = 256;
std::vector<double> interpret_mpfr(const std::vector<Expr>& roots, const Environment& environment,
                                   int precision = reference_precision);

}  // namespace actjit
