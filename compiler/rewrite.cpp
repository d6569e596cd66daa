#include "rewrite.hpp"

#include <unordered_map>

namespace actjit {

namespace {

std::vector<Expr> one_pass(Graph& g, const std::vector<Expr>& roots, const Rule& rule) {
    std::unordered_map<Expr, Expr> done;
    for (Expr n : topological_order(roots)) {
        Expr s = n;
        if (n->arity() > 0) {
            Expr a[3] = {};
            bool same = true;
            for (int i = 0; i < n->arity(); ++i) {
                a[i] = done.at((*n)[i]);
                same = same && a[i] == (*n)[i];
            }
            if (!same) {
                if (n->arity() == 1) s = g.make(n->kind, {a[0]}, n->range);
                else if (n->arity() == 2) s = g.make(n->kind, {a[0], a[1]}, n->range);
                else s = g.make(n->kind, {a[0], a[1], a[2]}, n->range);
            }
        }
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
