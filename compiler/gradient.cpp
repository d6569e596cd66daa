#include "gradient.hpp"

#include "differentiate.hpp"
#include "simplify.hpp"
#include "stabilize.hpp"
#include "tidy.hpp"

namespace actjit {

Gradient gradient(Program& program, const LoweredFunction& f) {
    Graph& g = program.graph;
    Gradient out;
    // Differentiate the stable form of the value, then stabilize the derivatives too.
    Expr body = stabilize(g, simplify(g, std::vector<Expr>{f.body}))[0];
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
    std::vector<Expr> simplified = stabilize(g, simplify(g, present), true);
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
