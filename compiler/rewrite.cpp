#include "rewrite.hpp"

#include <unordered_map>

namespace actjit {

namespace {

std::vector<Expr> one_pass(Graph& g, const std::vector<Expr>& roots, const Rule& rule) {
    std::unordered_map<Expr, Expr> done;
    for (Expr n : topological_order(roots)) {
        std::array<Expr, 3> operands{};
        for (int i = 0; i < n->arity(); ++i) operands[static_cast<size_t>(i)] = done.at((*n)[i]);
        Expr s = g.remake(n, operands);
        for (int guard = 0; guard < 64; ++guard) {
            Expr next = rule(g, s);
            if (next == s) break;
            s = next;
        }
        done.emplace(n, s);
    }
    std::vector<Expr> out;
    for (Expr r : roots) out.push_back(done.at(r));
    return out;
}

}  // namespace

std::vector<Expr> rewrite(Graph& graph, const std::vector<Expr>& roots, const Rule& rule) {
    // A rule may build nodes that other rules apply to: repeat to a fixed point.
    std::vector<Expr> current = roots;
    for (int pass = 0; pass < 16; ++pass) {
        std::vector<Expr> next = one_pass(graph, current, rule);
        if (next == current) break;
        current = std::move(next);
    }
    return current;
}

}  // namespace actjit
