#include "stabilize.hpp"

#include "rewrite.hpp"
#include "simplify.hpp"

namespace actjit {

namespace {

bool is(Expr n, Kind k) { return n->kind == k; }
bool one(Expr n) { return n->is_constant(1); }

// A factor that decays exponentially somewhere (exp at -inf, sigmoid, erfc and
// softplus in one tail, tanh of such a factor, a product of such factors): when it
// has become exactly 0, the limit of `a * factor` is 0 even for an infinite a.
bool decays(Expr n) {
    switch (n->kind) {
    case Kind::Exp:
    case Kind::Sigmoid:
    case Kind::Erfc:
    case Kind::Softplus:
    case Kind::DecayMul: return true;
    case Kind::Tanh: return decays((*n)[0]);
    default: return false;
    }
}

class StabilizeRules {
public:
    // The simplifier's exact rules first (so that `1 * f` is `f` before it could
    // become decay_mul(1, f)), then the stabilizing ones.
    Expr operator()(Graph& g, Expr n) {
        Expr s = simplify_(g, n);
        return s != n ? s : stabilize(g, n);
    }

private:
    SimplifyRules simplify_;

    static Expr stabilize(Graph& g, Expr n) {
        const SourceRange r = n->range;
        auto make = [&](Kind k, Expr a, Expr b = nullptr) { return b ? g.make(k, {a, b}, r) : g.make(k, {a}, r); };
        auto c = [&](double v) { return g.constant(v, r); };
        Expr a = n->arity() > 0 ? (*n)[0] : nullptr;
        Expr b = n->arity() > 1 ? (*n)[1] : nullptr;
        switch (n->kind) {
        case Kind::Sub:
            // exp(x) - 1 -> expm1(x)                  // no cancellation near x = 0
            if (is(a, Kind::Exp) && one(b)) return make(Kind::Expm1, (*a)[0]);
            // 1 - erf(z) -> erfc(z)                   // no cancellation in erf's right tail
            if (one(a) && is(b, Kind::Erf)) return make(Kind::Erfc, (*b)[0]);
            // 1 - tanh(u) -> 2 * sigmoid(-2u)         // no cancellation as tanh(u) -> 1
            if (one(a) && is(b, Kind::Tanh))
                return make(Kind::Mul, c(2), make(Kind::Sigmoid, make(Kind::Mul, c(-2), (*b)[0])));
            // 1 - tanh(u)^2 -> 4 * sigmoid(2u) * sigmoid(-2u)
            //                                         // tanh' keeps its relative accuracy in both
            //                                         // tails instead of becoming 0 once tanh rounds to ±1
            if (one(a) && (is(b, Kind::Mul) || is(b, Kind::DecayMul)) && (*b)[0] == (*b)[1] &&
                is((*b)[0], Kind::Tanh)) {
                Expr u = (*(*b)[0])[0];
                return make(Kind::Mul, c(4),
                            make(Kind::Mul, make(Kind::Sigmoid, make(Kind::Mul, c(2), u)),
                                 make(Kind::Sigmoid, make(Kind::Mul, c(-2), u))));
            }
            break;
        case Kind::Add:
            // 1 + erf(z) -> erfc(-z)                  // gelu's left tail: no cancellation to 0
            if (one(a) && is(b, Kind::Erf)) return make(Kind::Erfc, make(Kind::Neg, (*b)[0]));
            // 1 + tanh(u) -> 2 * sigmoid(2u)          // gelu_tanh's left tail: no cancellation to 0
            if (one(a) && is(b, Kind::Tanh))
                return make(Kind::Mul, c(2), make(Kind::Sigmoid, make(Kind::Mul, c(2), (*b)[0])));
            break;
        case Kind::Log:
            // log(1 + x) -> log1p(x)                  // keeps the digits of a small x
            if (is(a, Kind::Add) && one((*a)[0])) return make(Kind::Log1p, (*a)[1]);
            // log(sigmoid(x)) -> -softplus(-x)        // logsigmoid: no log(0) = -inf in the left tail
            if (is(a, Kind::Sigmoid)) return make(Kind::Neg, make(Kind::Softplus, make(Kind::Neg, (*a)[0])));
            break;
        case Kind::Log1p:
            // log1p(exp(x)) -> softplus(x)            // no overflow of exp for large x
            if (is(a, Kind::Exp)) return make(Kind::Softplus, (*a)[0]);
            break;
        case Kind::Div:
            // a / (1 + exp(y)) -> a * sigmoid(-y)     // sigmoid, and x / (1 + exp(-x)): no inf / inf
            if (is(b, Kind::Add) && one((*b)[0]) && is((*b)[1], Kind::Exp))
                return make(Kind::Mul, a, make(Kind::Sigmoid, make(Kind::Neg, (*(*b)[1])[0])));
            // exp(x) / (1 + exp(x)) -> sigmoid(x)     // no inf / inf for large x
            if (is(a, Kind::Exp) && is(b, Kind::Add) && one((*b)[0]) && (*b)[1] == a)
                return make(Kind::Sigmoid, (*a)[0]);
            break;
        case Kind::Mul:
            // a * f -> decay_mul(a, f), f decaying    // silu(-inf) = 0: a decayed factor beats an
            //                                         // infinite one, where the limit is 0
            if (decays(b)) return make(Kind::DecayMul, a, b);
            if (decays(a)) return make(Kind::DecayMul, b, a);
            break;
        default: break;
        }
        return n;
    }
};

}  // namespace

std::vector<Expr> stabilize(Graph& graph, const std::vector<Expr>& roots) {
    StabilizeRules rules;
    return rewrite(graph, roots, std::ref(rules));
}

}  // namespace actjit
