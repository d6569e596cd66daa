#include "gradient.hpp"

#include "rational.hpp"
#include "rescale.hpp"

#include <cmath>

#include "asymptotic.hpp"
#include "differentiate.hpp"
#include "interpret.hpp"
#include "simplify.hpp"
#include "stabilize.hpp"
#include "taylor.hpp"
#include "tidy.hpp"

namespace actjit {

namespace {

// The limits at ±inf that the tails know (asymptotic.hpp: ±inf for a growth, ±0 for a
// decay or a zero) where a root, evaluated there, gives NaN: an inf - inf or 0 * inf
// the rules left (Padé's (0.1 x^3 + ...) / (1 + abs(0.2 x^2 + ...)) is inf / inf at
// inf; its limit is inf). One-input definitions without draws whose parameters all have
// defaults (the tails take no parameter's sign, so a limit they know holds for any
// value; the NaN is looked for at the defaults), every root evaluated at once. The NaN
// at other points is left for the rules.
void with_limits(Graph& g, std::vector<Expr>& roots, const LoweredFunction& f) {
    if (f.info->inputs.size() != 1) return;
    std::vector<double> params;
    for (const auto& d : f.defaults) {
        if (!d) return;
        params.push_back(*d);
    }
    std::vector<Expr> present;
    for (Expr r : roots)
        if (r && (r->depends & 1) && !(r->depends >> 63)) present.push_back(r);
    if (present.empty()) return;
    Tails tails;
    const std::vector<Expr> original = present;  // (the tails of the root, not of its select)
    for (bool positive : {true, false}) {
        double at[] = {positive ? INFINITY : -INFINITY};
        std::vector<double> got = interpret(original, {at, params, 0, 0, false});
        for (size_t k = 0; k < present.size(); ++k) {
            if (!std::isnan(got[k])) continue;
            Tail t = tails.of(original[k], 0, positive);
            double limit = 0;
            if (t.direction == Tail::Grows && t.sign != 0) limit = t.sign * INFINITY;
            else if (t.direction == Tail::Decays || t.direction == Tail::Zero) limit = t.sign < 0 ? -0.0 : 0.0;
            else continue;
            Expr limited = g.make(Kind::Select, {g.make(Kind::Eq, {g.input(0), g.constant(at[0])}), g.constant(limit), present[k]});
            for (Expr& r : roots)
                if (r == present[k]) r = limited;
            present[k] = limited;
        }
    }
}

}  // namespace

Gradient gradient(Program& program, const LoweredFunction& f, Arithmetic arithmetic) {
    Graph& g = program.graph;
    Gradient out;
    // Differentiate the stable form of the value, then stabilize the derivatives too.
    Expr body = stabilize(g, simplify(g, std::vector<Expr>{f.body}), false, arithmetic)[0];
    std::vector<Expr> roots{body};
    for (size_t i = 0; i < f.info->inputs.size(); ++i) {
        out.derivatives.push_back({f.info->inputs[i], nullptr});
        roots.push_back(differentiate(g, body, g.input(static_cast<uint32_t>(i))));
    }
    for (size_t p = 0; p < f.info->parameters.size(); ++p) {
        if (!f.info->parameters[p].learn) continue;
        out.derivatives.push_back({f.info->parameters[p].name, nullptr});
        roots.push_back(differentiate(g, body, g.param(static_cast<uint32_t>(p))));
    }
    // simplify() keeps null roots out: simplify what exists, then put it back in place.
    std::vector<Expr> present;
    for (Expr r : roots)
        if (r) present.push_back(r);
    std::vector<Expr> simplified = stabilize(g, simplify(g, present), true, arithmetic);
    // An exponential's quotient past exp's overflow (rescale.hpp).
    for (Expr& s : simplified) s = rescale_exponential_quotients(g, s);
    if (f.info->inputs.size() == 1) {
        // A Taylor select's derivative keeps its polynomial only where the written form's
        // derivative still cancels (taylor.hpp; simplified[0] is the value).
        for (size_t i = 1; i < simplified.size(); ++i) simplified[i] = without_needless_polynomials(g, simplified[i], arithmetic);
        // A rational root of one input: its large-|x| form past its polynomials' roots
        // (rational.hpp).
        for (Expr& s : simplified)
            if (Expr far = large_argument_form(g, s, g.input(0))) s = far;
    }
    // Then the limits at ±inf the tails know.
    with_limits(g, simplified, f);
    size_t k = 0;
    for (size_t i = 0; i < roots.size(); ++i) {
        Expr s = roots[i] ? simplified[k++] : nullptr;
        if (i == 0) out.value = s;
        else out.derivatives[i - 1].expr = s;
    }
    return out;
}

Gradient readable_gradient(Program& program, const LoweredFunction& f) {
    Graph& g = program.graph;
    Gradient out;
    out.value = simplify(g, f.body);
    std::vector<Expr> roots;
    for (size_t i = 0; i < f.info->inputs.size(); ++i) {
        out.derivatives.push_back({f.info->inputs[i], nullptr});
        roots.push_back(differentiate(g, out.value, g.input(static_cast<uint32_t>(i))));
    }
    for (size_t p = 0; p < f.info->parameters.size(); ++p) {
        if (!f.info->parameters[p].learn) continue;
        out.derivatives.push_back({f.info->parameters[p].name, nullptr});
        roots.push_back(differentiate(g, out.value, g.param(static_cast<uint32_t>(p))));
    }
    for (size_t i = 0; i < roots.size(); ++i)
        if (roots[i]) out.derivatives[i].expr = tidy(g, simplify(g, std::vector<Expr>{roots[i]}))[0];
    return out;
}

}  // namespace actjit
