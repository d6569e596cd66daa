#include "substitute.hpp"

#include <unordered_map>

#include "error.hpp"

namespace actjit {

Expr substitute(Graph& graph, Expr root, std::span<const Expr> inputs, std::span<const Expr> params) {
    std::unordered_map<Expr, Expr> replaced;
    for (Expr n : topological_order({root})) {
        Expr out = n;
        switch (n->kind) {
        case Kind::Constant: break;
        case Kind::Input:
            ACT_ASSERT(n->index < inputs.size(), "input {} of {}", n->index, inputs.size());
            out = inputs[n->index];
            break;
        case Kind::Param:
            ACT_ASSERT(n->index < params.size(), "parameter {} of {}", n->index, params.size());
            out = params[n->index];
            break;
        default: {
            Expr a[3] = {};
            bool same = true;
            for (int i = 0; i < n->arity(); ++i) {
                a[i] = replaced.at((*n)[i]);
                same = same && a[i] == (*n)[i];
            }
            if (same) break;
            if (n->arity() == 1) out = graph.make(n->kind, {a[0]}, n->range);
            else if (n->arity() == 2) out = graph.make(n->kind, {a[0], a[1]}, n->range);
            else out = graph.make(n->kind, {a[0], a[1], a[2]}, n->range);
        }
        }
        replaced.emplace(n, out);
    }
    return replaced.at(root);
}

}  // namespace actjit
