// The derivative is a table: one rule per node kind, giving the node's derivative
// from its operands and their derivatives (written a', b'). A null derivative means
// "does not depend on the variable": it is not a zero that must be multiplied through,
// so `alpha * u` differentiates to `alpha * u'` and not `alpha * u' + u * 0` (which no
// IEEE-safe rewrite could remove, since 0 * inf is NaN).
//
// One pass over the graph in topological order, memoized per node: shared
// subexpressions are differentiated once, and the derivative graph shares its nodes
// with the forward graph. (The tangent form, rather than reverse accumulation, gives
// the kink rules exactly as written, `(c ? a : b)' = c ? a' : b'`, with no zero adjoint
// for the branch not taken.)
#include "differentiate.hpp"

#include <cmath>
#include <numbers>
#include <unordered_map>

#include "error.hpp"

namespace actjit {

namespace {

class Differentiator {
public:
    Differentiator(Graph& graph, Expr variable) : g_(graph), variable_(variable) {}

    Expr run(Expr root) {
        for (Expr n : topological_order({root})) d_.emplace(n, rule(n));
        return d_.at(root);
    }

private:
    Graph& g_;
    Expr variable_;
    std::unordered_map<Expr, Expr> d_;
    SourceRange r_;  // the node being differentiated: derived nodes inherit its range

    Expr d(Expr n) const { return d_.at(n); }
    Expr c(double v) { return g_.constant(v, r_); }
    Expr make(Kind k, Expr a) { return g_.make(k, {a}, r_); }
    Expr make(Kind k, Expr a, Expr b) { return g_.make(k, {a, b}, r_); }
    Expr select(Expr cond, Expr a, Expr b) { return g_.make(Kind::Select, {cond, a, b}, r_); }

    // Sums and products where null is "no term".
    Expr plus(Expr a, Expr b) { return !a ? b : !b ? a : make(Kind::Add, a, b); }
    Expr minus(Expr a, Expr b) { return !b ? a : !a ? make(Kind::Neg, b) : make(Kind::Sub, a, b); }
    Expr times(Expr a, Expr da) { return da ? make(Kind::Mul, a, da) : nullptr; }  // a * da
    // A branch of a select that does not depend on the variable has derivative 0 there.
    Expr or_zero(Expr a) { return a ? a : c(0); }

    // k where p is x^k written as a product of x's (x, x * x, x * (x * x), ...), else 0.
    static int power_of(Expr x, Expr p) {
        if (p == x) return 1;
        if (p->kind != Kind::Mul) return 0;
        int l = power_of(x, (*p)[0]), r = l ? power_of(x, (*p)[1]) : 0;
        return l && r ? l + r : 0;
    }

    // Whether b' / b has a form of its own, from b's structure.
    static bool factored(Expr b) {
        switch (b->kind) {
        case Kind::Mul: case Kind::Div: case Kind::Exp: case Kind::Sqrt: return true;
        case Kind::Neg: return factored((*b)[0]);
        case Kind::Pow: return (*b)[1]->kind == Kind::Constant;
        default: return false;
        }
    }
    // b' / b, null where b does not depend on the variable. (u v)'/(u v) = u'/u + v'/v,
    // (u / v)'/(u / v) = u'/u - v'/v, (u^k)'/u^k = k u'/u, exp(u)'/exp(u) = u',
    // sqrt(u)'/sqrt(u) = u'/u / 2, (-u)'/(-u) = u'/u; else b'/b. Equal to b'/b wherever
    // the factors are finite and nonzero; where one overflows, the terms stay finite.
    Expr log_derivative(Expr b) {
        Expr u = b->arity() > 0 ? (*b)[0] : nullptr;
        Expr v = b->arity() > 1 ? (*b)[1] : nullptr;
        switch (b->kind) {
        case Kind::Mul: return plus(log_derivative(u), log_derivative(v));
        case Kind::Div: return minus(log_derivative(u), log_derivative(v));
        case Kind::Exp: return d(u);
        case Kind::Sqrt: {
            Expr l = log_derivative(u);
            return l ? make(Kind::Mul, c(0.5), l) : nullptr;
        }
        case Kind::Neg: return log_derivative(u);
        case Kind::Pow:
            if (v->kind == Kind::Constant) return times(v, log_derivative(u));
            break;
        default: break;
        }
        return d(b) ? make(Kind::Div, d(b), b) : nullptr;
    }

    Expr rule(Expr n) {
        r_ = n->range;
        Expr a = n->arity() > 0 ? (*n)[0] : nullptr;
        Expr b = n->arity() > 1 ? (*n)[1] : nullptr;
        Expr da = a ? d(a) : nullptr;
        Expr db = b ? d(b) : nullptr;
        switch (n->kind) {
        // x' = 1 for the variable; every other leaf is a constant.
        case Kind::Constant:
        case Kind::Input:
        case Kind::Param: return n == variable_ ? c(1) : nullptr;
        // (-a)' = -a'
        case Kind::Neg: return da ? make(Kind::Neg, da) : nullptr;
        // (a + b)' = a' + b';  (a - b)' = a' - b'
        case Kind::Add: return plus(da, db);
        case Kind::Sub: return minus(da, db);
        // (a * b)' = a' * b + a * b'; but x * x^(k-1) (a power written as a product, as
        // x^3 is lowered) has (x^k)' = k * x^(k-1) * x': x * (x + x) + x * x would take
        // three operations where one will do (the same value: 3 x^2 exactly so)
        case Kind::Mul:
            for (auto [x, rest] : {std::pair{a, b}, std::pair{b, a}})
                if (int k = power_of(x, rest); k >= 1 && d(x))
                    return times(make(Kind::Mul, c(k + 1), rest), d(x));
            return plus(da ? make(Kind::Mul, da, b) : nullptr, times(a, db));
        // (a / b)' = a' / b - (a / b) * b' / b
        //   with b' / b as the sum of its factors' log-derivatives where b is a product,
        //   a quotient, a power or an exponential (log_derivative): x^-3's b' and b both
        //   overflow from x = 1e103 on, their ratio 3 / x does not
        case Kind::Div:
            return minus(da ? make(Kind::Div, da, b) : nullptr,
                         !db                 ? nullptr
                         : factored(b)       ? make(Kind::Mul, n, log_derivative(b))
                                             : make(Kind::Div, make(Kind::Mul, n, db), b));
        // pow(a, b)' = b * pow(a, b - 1) * a' + pow(a, b) * log(a) * b'
        case Kind::Pow:
            return plus(da ? make(Kind::Mul, make(Kind::Mul, b, make(Kind::Pow, a, make(Kind::Sub, b, c(1)))), da)
                           : nullptr,
                        db ? make(Kind::Mul, make(Kind::Mul, n, make(Kind::Log, a)), db) : nullptr);
        // abs(a)' = sign(a) * a'
        case Kind::Abs: return times(make(Kind::Sign, a), da);
        // sign(a)' = 0 and uniform(lo, hi)' = 0: no dependence
        case Kind::Sign:
        case Kind::Uniform: return nullptr;
        // exp(a)' = exp(a) * a';  expm1(a)' = exp(a) * a'
        case Kind::Exp: return times(n, da);
        case Kind::Expm1: return times(make(Kind::Exp, a), da);
        // log(a)' = a' / a;  log1p(a)' = a' / (1 + a)
        case Kind::Log: return da ? make(Kind::Div, da, a) : nullptr;
        case Kind::Log1p: return da ? make(Kind::Div, da, make(Kind::Add, c(1), a)) : nullptr;
        // sqrt(a)' = a' / (2 * sqrt(a))
        case Kind::Sqrt: return da ? make(Kind::Div, da, make(Kind::Mul, c(2), n)) : nullptr;
        // tanh(a)' = (1 - tanh(a)^2) * a'
        case Kind::Tanh: return times(make(Kind::Sub, c(1), make(Kind::Mul, n, n)), da);
        // erf(a)' = 2/sqrt(pi) * exp(-a^2) * a';  erfc(a)' = -erf(a)'
        case Kind::Erf:
        case Kind::Erfc: {
            if (!da) return nullptr;
            double k = 2 / std::sqrt(std::numbers::pi);
            Expr gauss = make(Kind::Exp, make(Kind::Neg, make(Kind::Mul, a, a)));
            return make(Kind::Mul, make(Kind::Mul, c(n->kind == Kind::Erf ? k : -k), gauss), da);
        }
        // sin(a)' = cos(a) * a';  cos(a)' = -sin(a) * a'
        case Kind::Sin: return times(make(Kind::Cos, a), da);
        case Kind::Cos: return times(make(Kind::Neg, make(Kind::Sin, a)), da);
        // atan(a)' = a' / (1 + a^2)
        case Kind::Atan: return da ? make(Kind::Div, da, make(Kind::Add, c(1), make(Kind::Mul, a, a))) : nullptr;
        // sinh(a)' = cosh(a) * a';  cosh(a)' = sinh(a) * a'
        case Kind::Sinh: return times(make(Kind::Cosh, a), da);
        case Kind::Cosh: return times(make(Kind::Sinh, a), da);
        // asinh(a)' = a' / sqrt(1 + a^2)
        case Kind::Asinh:
            return da ? make(Kind::Div, da, make(Kind::Sqrt, make(Kind::Add, c(1), make(Kind::Mul, a, a)))) : nullptr;
        // min(a, b)' = a < b ? a' : b';  max(a, b)' = a > b ? a' : b'  (ties take b)
        case Kind::Min:
        case Kind::Max:
            if (!da && !db) return nullptr;
            return select(make(n->kind == Kind::Min ? Kind::Lt : Kind::Gt, a, b), or_zero(da), or_zero(db));
        // sigmoid(a)' = sigmoid(a) * sigmoid(-a) * a'  (not s * (1 - s): 1 - s is 0 once s rounds to 1)
        case Kind::Sigmoid: return times(make(Kind::Mul, n, make(Kind::Sigmoid, make(Kind::Neg, a))), da);
        // softplus(a)' = sigmoid(a) * a'
        case Kind::Softplus: return times(make(Kind::Sigmoid, a), da);
        // decay_mul(a, f)' = a' * f + a * f'  (a product; stabilize() guards the new products)
        case Kind::DecayMul: return plus(da ? make(Kind::Mul, da, b) : nullptr, times(a, db));
        // (c ? a : b)' = c ? a' : b'
        case Kind::Select: {
            Expr dt = d((*n)[1]), de = d((*n)[2]);
            if (!dt && !de) return nullptr;
            return select(a, or_zero(dt), or_zero(de));
        }
        // Booleans have no derivative; a select's condition is not differentiated.
        case Kind::Lt:
        case Kind::Le:
        case Kind::Gt:
        case Kind::Ge:
        case Kind::Eq:
        case Kind::Ne:
        case Kind::And:
        case Kind::Or:
        case Kind::Not: return nullptr;
        }
        ACT_ASSERT(false, "no derivative rule for {}", info(n->kind).name);
    }
};

}  // namespace

Expr differentiate(Graph& graph, Expr root, Expr variable) {
    ACT_ASSERT(variable->kind == Kind::Input || variable->kind == Kind::Param,
               "differentiate with respect to a {}", info(variable->kind).name);
    return Differentiator(graph, variable).run(root);
}

}  // namespace actjit
