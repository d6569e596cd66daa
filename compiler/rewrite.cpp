#include "rewrite.hpp"

#include <vector>

namespace actjit {

namespace {

std::vector<Expr> one_pass(Graph& g, const std::vector<Expr>& roots, const Rule& rule) {
    std::vector<Expr> order = topological_order(roots);
    // Rewritten nodes by id: every node of `order` has an id below the graph's size now.
    std::vector<Expr> done(g.size(), nullptr);
    for (Expr n : order) {
        std::array<Expr, 3> operands{};
        for (int i = 0; i < n->arity(); ++i) operands[static_cast<size_t>(i)] = done[(*n)[i]->id];
        Expr s = g.remake(n, operands);
        for (int guard = 0; guard < 64; ++guard) {
            Expr next = rule(g, s);
            if (next == s) break;
            s = next;
        }
        done[n->id] = s;
    }
    std::vector<Expr> out;
    for (Expr r : roots) out.push_back(done[r->id]);
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
