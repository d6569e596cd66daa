// Reference interpreter over the graph, in double: the oracle for tests (beside the
// MPFR one) and what `actjit eval --interp` runs. Booleans are 0 and 1.
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
// Several roots at once, sharing the work on common nodes.
std::vector<double> interpret(const std::vector<Expr>& roots, const Environment& environment);

}  // namespace actjit
