#include "simplify.hpp"

#include <cmath>
#include <unordered_map>

#include "error.hpp"
#include "interpret.hpp"
#include "rewrite.hpp"

namespace actjit {

namespace {

bool is_leaf(Expr n) { return n->arity() == 0; }

bool commutative(Kind k) {
    // min and max are not: min(a, b) = a < b ? a : b differs from min(b, a) at NaN and ±0.
    return k == Kind::Add || k == Kind::Mul || k == Kind::Eq || k == Kind::Ne || k == Kind::And ||
           k == Kind::Or;
}

// Canonical operand order, by structure alone (graph.hpp): constants first in sums and
// products (`2 * x`), last in comparisons (`alpha == 0`).
bool in_order(Kind k, Expr a, Expr b) {
    if ((k == Kind::Eq || k == Kind::Ne) && (a->kind == Kind::Constant) != (b->kind == Kind::Constant))
        return b->kind == Kind::Constant;
    return !structurally_before(b, a);
}

}  // namespace

// One rule applied at `n`, or `n` itself when none applies.
Expr SimplifyRules::operator()(Graph& g, Expr n) const {
    auto make = [&](Kind k, Expr a, Expr b = nullptr, Expr c = nullptr, SourceRange r = {}) {
        if (c) return g.make(k, {a, b, c}, r);
        if (b) return g.make(k, {a, b}, r);
        return g.make(k, {a}, r);
    };
    if (is_leaf(n)) return n;
    const SourceRange r = n->range;
    Expr a = (*n)[0];
    Expr b = n->arity() > 1 ? (*n)[1] : nullptr;
    Expr e = n->arity() > 2 ? (*n)[2] : nullptr;
    auto k = [&](Expr x, double v) { return x->is_constant(v); };

    // ---- Constant folding --------------------------------------------------------
    // op(constants) -> its value                   // numbers only; draws are not constant
    if (n->type == Type::Number && n->kind != Kind::Select && n->kind != Kind::Uniform &&
        n->has(ConstantExpr)) {
        // The operands are folded already (the driver works bottom-up): one evaluation.
        std::array<double, 3> v{};
        for (int i = 0; i < n->arity(); ++i) {
            if ((*n)[i]->kind != Kind::Constant) return g.constant(interpret(n, {}), r);
            v[static_cast<size_t>(i)] = (*n)[i]->value;
        }
        return g.constant(evaluate(n, v, {}), r);
    }
    // select(c, a, b) -> a or b                    // when c is made of constants
    if (n->kind == Kind::Select && a->has(ConstantExpr))
        return interpret(a, {}) != 0 ? b : e;

    switch (n->kind) {
    // ---- Identities exact for every float -------------------------------------------
    case Kind::Mul:
        if (k(b, 1)) return a;                               // x * 1 -> x
        if (k(a, 1)) return b;                               // 1 * x -> x
        if (k(a, -1)) return make(Kind::Neg, b, nullptr, nullptr, r);  // -1 * x -> -x
        if (k(b, -1)) return make(Kind::Neg, a, nullptr, nullptr, r);  // x * -1 -> -x
        if (a->kind == Kind::Neg && b->kind == Kind::Neg)    // -x * -y -> x * y
            return make(Kind::Mul, (*a)[0], (*b)[0], nullptr, r);
        break;
    case Kind::DecayMul:
        if (k(a, 1)) return b;                               // decay_mul(1, f) -> f
        break;
    default: break;
    }
    // ---- Powers of two between constant factors -------------------------------------
    // c1 * (c2 * y) -> (c1 c2) * y, c1 or c2 a power of two: the same product, without
    // the intermediate that may overflow or underflow (gelu_tanh: 2 * (sqrt(2/pi) * u));
    // (c1 * x) * (c2 * y) -> x * y where c1 c2 = 1, c1 a power of two (its slope's
    // (x / 2) * (2 s s')). Products of either kind, a constant factor first (canonical);
    // decay_mul by a finite nonzero constant is the plain product.
    if (n->kind == Kind::Mul || n->kind == Kind::DecayMul) {
        auto power_of_two = [](double v) {
            int e = 0;
            return std::isfinite(v) && v != 0 && std::fabs(std::frexp(v, &e)) == 0.5 && std::fabs(v) >= 0x1p-1000 &&
                   std::fabs(v) <= 0x1p1000;
        };
        auto scaled = [](Expr x) {  // x as c * y with a constant c, or null
            return (x->kind == Kind::Mul || x->kind == Kind::DecayMul) && (*x)[0]->kind == Kind::Constant ? (*x)[0]
                                                                                                         : nullptr;
        };
        auto normal = [](double v) { return std::isfinite(v) && std::fabs(v) >= 0x1p-126 && std::fabs(v) <= 0x1p127; };
        if (a->kind == Kind::Constant && std::isfinite(a->value) && a->value != 0)
            if (Expr c2 = scaled(b); c2 && (power_of_two(a->value) || power_of_two(c2->value)) &&
                                     normal(a->value * c2->value))
                return make(b->kind, g.constant(a->value * c2->value, r), (*b)[1], nullptr, r);
        if (Expr c1 = scaled(a), c2 = scaled(b); c1 && c2 && power_of_two(c1->value) && c1->value * c2->value == 1)
            return make(n->kind, (*a)[1], (*b)[1], nullptr, r);
    }
    switch (n->kind) {
    case Kind::Div:
        if (k(b, 1)) return a;                               // x / 1 -> x
        break;
    case Kind::Add:
        if (k(b, -0.0)) return a;                            // x + -0 -> x  (x + 0 is not: -0 + 0 = +0)
        if (k(a, -0.0)) return b;                            // -0 + x -> x
        if (b->kind == Kind::Neg)                            // x + -y -> x - y
            return make(Kind::Sub, a, (*b)[0], nullptr, r);
        if (a->kind == Kind::Neg)                            // -x + y -> y - x  (so that the
            return make(Kind::Sub, b, (*a)[0], nullptr, r);  // rules for differences see it)
        break;
    case Kind::Sub:
        if (k(b, 0.0)) return a;                             // x - 0 -> x
        if (k(a, -0.0)) return make(Kind::Neg, b, nullptr, nullptr, r);  // -0 - x -> -x
        if (b->kind == Kind::Neg)                            // x - -y -> x + y
            return make(Kind::Add, a, (*b)[0], nullptr, r);
        break;
    case Kind::Neg:
        if (a->kind == Kind::Neg) return (*a)[0];            // -(-x) -> x
        break;
    case Kind::Not:
        if (a->kind == Kind::Not) return (*a)[0];            // !!c -> c
        break;
    // ---- Select folding -----------------------------------------------------------
    case Kind::Select:
        if (b == e) return b;                                // c ? a : a -> a
        if (a->kind == Kind::Not) return make(Kind::Select, (*a)[0], e, b, r);  // !c ? a : b -> c ? b : a
        if (b->kind == Kind::Select && (*b)[0] == a)         // c ? (c ? x : y) : z -> c ? x : z
            return make(Kind::Select, a, (*b)[1], e, r);
        if (e->kind == Kind::Select && (*e)[0] == a)         // c ? x : (c ? y : z) -> c ? x : z
            return make(Kind::Select, a, b, (*e)[2], r);
        break;
    default: break;
    }
    // ---- Canonical order ------------------------------------------------------------
    // a op b -> b op a for commutative op, when b comes first in the canonical order
    // (structurally_before; constants last in == and !=): a + b = b + a exactly in IEEE.
    if (commutative(n->kind) && !in_order(n->kind, a, b)) return make(n->kind, b, a, nullptr, r);
    return n;
}

std::vector<Expr> simplify(Graph& graph, const std::vector<Expr>& roots) {
    return rewrite(graph, roots, SimplifyRules{});
}

Expr simplify(Graph& graph, Expr root) { return simplify(graph, std::vector<Expr>{root})[0]; }

}  // namespace actjit
