// --stabilize=search (issue 10's "measured, not assumed"): a bounded search in Herbie's
// manner over what the rules left. For each root of one input (the value, each
// derivative) a few candidate forms are measured against MPFR at every binade of the
// input (measure.hpp): the rules' form, the formula as written, its Taylor polynomial at
// 0 (series.hpp, degree 40, removable singularities divided out), and its large-|x|
// rational form (rational.hpp). Where the rules' form is more than 4 ULP off in a binade
// (4 points each, 16 in f32) and another candidate measures at least twice as accurate
// there, that candidate takes the binade; runs of binades become regimes, selects on x at powers of two (Herbie's
// regime inference, on binades). It costs milliseconds per root, more than the rules, so
// it is asked for (`actjit accuracy --stabilize=search`, `check --report-accuracy
// --stabilize=search`), and its result is measured like any other.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "graph.hpp"

namespace actjit {

struct Regime {
    size_t root = 0;
    std::string candidate;     // "written", "taylor", "rational"
    bool negative = false;
    double from = 0, to = 0;   // |x| in [from, to), powers of two (from 0: the subnormals)
    double before = 0, after = 0;  // the largest error in ULP there, rules' form and chosen
};

struct SearchReport {
    std::vector<Regime> regimes;
    double milliseconds = 0;
};

// The roots with regimes where a candidate measured better (the roots themselves where
// none did, or where the definition has more than one input or a draw). `written` and
// `stabilized` in the same order; `params` every parameter's value.
std::vector<Expr> search_stabilized(Graph& g, const std::vector<Expr>& written, const std::vector<Expr>& stabilized,
                                    size_t inputs, std::span<const double> params, bool f32,
                                    SearchReport* report = nullptr);

}  // namespace actjit
