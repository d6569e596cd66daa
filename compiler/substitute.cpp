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
            std::array<Expr, 3> operands{};
            for (int i = 0; i < n->arity(); ++i) operands[static_cast<size_t>(i)] = replaced.at((*n)[i]);
            out = graph.remake(n, operands);
        }
        }
        replaced.emplace(n, out);
    }
    return replaced.at(root);
}

}  // namespace actjit
