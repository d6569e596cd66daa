#include "stabilize.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

#include "asymptotic.hpp"
#include "cancellation.hpp"
#include "products.hpp"
#include "reflect.hpp"
#include "rescale.hpp"
#include "rewrite.hpp"
#include "taylor.hpp"
#include "simplify.hpp"

namespace actjit {

namespace {

bool is(Expr n, Kind k) { return n->kind == k; }
bool one(Expr n) { return n->is_constant(1); }

// Whether a term is bounded is a fact of the node (graph.hpp, Fact), derived once when
// it is interned.
bool bounded(Expr n) { return n->has(Bounded); }

bool hyperbolic(Expr n) { return is(n, Kind::Sinh) || is(n, Kind::Cosh); }
// A product as written, or as the decay_mul rule below has made it.
bool product(Expr n) { return is(n, Kind::Mul) || is(n, Kind::DecayMul); }

// Spelt with a minus in front: -u, a negative constant, or a product or quotient whose
// first operand is.
bool spelt_negative(Expr p) {
    if (is(p, Kind::Neg)) return true;
    if (is(p, Kind::Constant)) return std::signbit(p->value);
    return (is(p, Kind::Mul) || is(p, Kind::Div)) && spelt_negative((*p)[0]);
}

// t with every `from` in it replaced by `to` (null: t has no `from`).
Expr substitute(Graph& g, Expr t, Expr from, Expr to) {
    std::vector<Expr> order = topological_order({t});
    if (std::find(order.begin(), order.end(), from) == order.end()) return nullptr;
    return rewrite(g, {t}, [&](Graph&, Expr n) { return n == from ? to : n; })[0];
}

// In t, a node `kind`(u, k) for the given u and constant k, else null.
Expr find_clamp(Expr t, Kind kind, Expr u, Expr k) {
    for (Expr n : topological_order({t}))
        if (n->kind == kind && (*n)[0] == u && (*n)[1] == k) return n;
    return nullptr;
}

// exp(u) and exp(-u) as the two operands, in either order: u (the one not spelt
// negative, for cosh's sake), else null.
Expr exp_pair(Expr a, Expr b) {
    if (!is(a, Kind::Exp) || !is(b, Kind::Exp) || !negation_of((*a)[0], (*b)[0])) return nullptr;
    return spelt_negative((*a)[0]) ? (*b)[0] : (*a)[0];
}

// k * sinh(u) over k * cosh(u), k a non-zero constant, or sinh(u) over cosh(u): u,
// else null.
Expr tanh_ratio(Expr a, Expr b) {
    if (product(a) && product(b) && (*a)[0] == (*b)[0] && is((*a)[0], Kind::Constant) &&
        (*a)[0]->has(NonZero))
        return tanh_ratio((*a)[1], (*b)[1]);
    if (is(a, Kind::Sinh) && is(b, Kind::Cosh) && (*a)[0] == (*b)[0]) return (*a)[0];
    return nullptr;
}

// 4 * sigmoid(2u) * sigmoid(-2u) (sech(u)^2, the form 1 - tanh(u)^2 takes below), its
// products in either order: u, else null.
Expr sech2_argument(Expr n) {
    if (!product(n)) return nullptr;
    Expr k = (*n)[0], s = (*n)[1];
    if (!k->is_constant(4)) std::swap(k, s);
    if (!k->is_constant(4) || !product(s) || !is((*s)[0], Kind::Sigmoid) || !is((*s)[1], Kind::Sigmoid)) return nullptr;
    Expr p = (*(*s)[0])[0], q = (*(*s)[1])[0];
    if (!is(p, Kind::Mul) || !is(q, Kind::Mul) || (*p)[1] != (*q)[1]) return nullptr;
    const Expr kp = (*p)[0], kq = (*q)[0];
    bool halves = (kp->is_constant(2) && kq->is_constant(-2)) || (kp->is_constant(-2) && kq->is_constant(2));
    return halves ? (*p)[1] : nullptr;
}

// Whether c true means d false (p >= q against q - p > 0), and whether c false does (p >= q
// against p - q > 0: false also where p - q is NaN).
bool order_excludes(Expr c, Expr d, bool c_true) {
    if (!(is(c, Kind::Ge) || is(c, Kind::Gt)) || !is(d, Kind::Gt) || !(*d)[1]->is_constant(0) || !is((*d)[0], Kind::Sub))
        return false;
    Expr p = (*c)[0], q = (*c)[1], diff = (*d)[0];
    return c_true ? ((*diff)[0] == q && (*diff)[1] == p) : (is(c, Kind::Ge) && (*diff)[0] == p && (*diff)[1] == q);
}

// Whether c true means d false: p > 0 against -p > 0 or p < 0 (and p < 0 alike).
bool excludes(Expr c, Expr d) {
    if (order_excludes(c, d, true)) return true;
    auto sign_test = [](Expr t) {  // p > 0: +1, p < 0: -1, else 0
        if (!(*t)[1] || !(*t)[1]->is_constant(0)) return 0;
        return is(t, Kind::Gt) ? 1 : is(t, Kind::Lt) ? -1 : 0;
    };
    int sc = is(c, Kind::Gt) || is(c, Kind::Lt) ? sign_test(c) : 0;
    int sd = is(d, Kind::Gt) || is(d, Kind::Lt) ? sign_test(d) : 0;
    if (!sc || !sd) return false;
    Expr p = (*c)[0], q = (*d)[0];
    return (p == q && sc == -sd) || (negation_of(p, q) && sc == sd);
}

// a + sqrt(1 + a*a), in either order, or as the squareplus rule below leaves it
// (a < 0 ? 1 / (sqrt(1 + a*a) - a) : a + sqrt(1 + a*a)): a, else null.
Expr asinh_argument(Expr n) {
    if (is(n, Kind::Select)) return is((*n)[0], Kind::Lt) ? asinh_argument((*n)[2]) : nullptr;
    if (!is(n, Kind::Add)) return nullptr;
    for (auto [a, r] : {std::pair{(*n)[0], (*n)[1]}, std::pair{(*n)[1], (*n)[0]}})
        if (is(r, Kind::Sqrt) && is((*r)[0], Kind::Add) && one((*(*r)[0])[0]) && is((*(*r)[0])[1], Kind::Mul) &&
            (*(*(*r)[0])[1])[0] == a && (*(*(*r)[0])[1])[1] == a)
            return a;
    return nullptr;
}


// c1 * (c2 * y) -> (c1 c2) * y, for products of either kind with nonzero finite constants
// whose product is a normal number: one rounding of the kernel fewer (the constants'
// product is rounded once; gelu_tanh's slope: 0.044715 * (3 * x^2)). (Where c1 or c2 is a
// power of two the simplifier has done it already, exactly.)
Expr constant_pair(Graph& g, Expr n, SourceRange r) {
    Expr a = (*n)[0], b = (*n)[1];
    auto usable = [](Expr k) { return k->kind == Kind::Constant && std::isfinite(k->value) && k->value != 0; };
    if (!usable(a) || !product(b) || !usable((*b)[0])) return nullptr;
    double v = a->value * (*b)[0]->value;
    if (!(std::fabs(v) >= 0x1p-126 && std::fabs(v) <= 0x1p127)) return nullptr;
    return g.make(b->kind, {g.constant(v, r), (*b)[1]}, r);
}

class StabilizeRules {
public:
    StabilizeRules(bool last, Arithmetic arithmetic) : last_(last), arithmetic_(arithmetic) {}
    // The simplifier's exact rules first (so that `1 * f` is `f` before it could
    // become decay_mul(1, f)), then the stabilizing ones.
    Expr operator()(Graph& g, Expr n) {
        Expr s = simplify_(g, n);
        if (s != n) return s;
        s = stabilize(g, n);
        if (s == n && last_) s = after_differentiation(g, n);
        if (s != n || (!is(n, Kind::Sub) && !is(n, Kind::Add))) return s;
        // A sum whose factors' limits cancel in a tail (reflect.hpp), once per node.
        if (Expr e = reflect_(g, n)) return e;
        if (!is(n, Kind::Sub)) return n;
        // Last, a difference that cancels at 0 (taylor.hpp), once per node: the rewrite
        // visits a node on every pass.
        auto [it, fresh] = taylor_.try_emplace(n, nullptr);
        if (fresh) {
            it->second = taylor_at_zero(g, (*n)[0], (*n)[1], n->range, arithmetic_, &made_);
            if (it->second) made_.emplace(it->second, n);
        }
        return it->second ? it->second : n;
    }

private:
    SimplifyRules simplify_;
    std::unordered_map<Expr, Expr> taylor_;
    std::unordered_map<Expr, Expr> made_;  // taylor_'s selects, each to its difference
    Reflector reflect_;
    bool last_;  // after differentiation: quotients rescaled too (stabilize.hpp)
    Arithmetic arithmetic_;

    Tails tails_;
    std::unordered_map<Expr, int> sides_;  // decay_side, per product node
    int decide_side(Expr n, Expr a, Expr b) {
        auto [it, fresh] = sides_.try_emplace(n, 0);
        if (fresh) it->second = decay_side(a, b, tails_);
        return it->second;
    }

    Expr stabilize(Graph& g, Expr n) {
        const SourceRange r = n->range;
        auto make = [&](Kind k, Expr a, Expr b = nullptr) { return b ? g.make(k, {a, b}, r) : g.make(k, {a}, r); };
        auto c = [&](double v) { return g.constant(v, r); };
        Expr a = n->arity() > 0 ? (*n)[0] : nullptr;
        Expr b = n->arity() > 1 ? (*n)[1] : nullptr;
        switch (n->kind) {
        case Kind::Sub:
            // exp(x) - 1 -> expm1(x) + 0              // no cancellation near x = 0; the + 0
            //                                         // keeps exp(-0) - 1 = +0 (expm1(-0) is -0)
            if (is(a, Kind::Exp) && one(b)) return make(Kind::Add, make(Kind::Expm1, (*a)[0]), c(0));
            // exp(u) - exp(-u) -> 2 * sinh(u)         // no cancellation near 0; with the / 2
            //                                         // below, finite up to 710.5, not 709.8
            if (Expr u = exp_pair(a, b); u && u == (*a)[0]) return make(Kind::Mul, c(2), make(Kind::Sinh, u));
            // cosh(u) - 1 -> 2 * sinh(u / 2)^2        // no cancellation near 0
            if (is(a, Kind::Cosh) && one(b)) {
                Expr h = make(Kind::Sinh, make(Kind::Mul, c(0.5), (*a)[0]));
                return make(Kind::Mul, c(2), make(Kind::Mul, h, h));
            }
            // 1 - cos(u) -> 2 * sin(u / 2)^2          // no cancellation near 0: snake's d/da
            //                                         // at x = 1e-30 was 2x the truth
            if (one(a) && is(b, Kind::Cos)) {
                Expr h = make(Kind::Sin, half(g, (*b)[0], r));
                return make(Kind::Mul, c(2), make(Kind::Mul, h, h));
            }
            // softplus(u) - u -> softplus(-u)         // exact: log(1 + e^u) - u = log(1 + e^-u);
            //                                         // no cancellation to 0 as u grows
            if (is(a, Kind::Softplus) && (*a)[0] == b) return make(Kind::Softplus, make(Kind::Neg, b));
            // 1 - sigmoid(u) -> sigmoid(-u)           // exact: 1 / (1 + e^u); no cancellation
            //                                         // to 0 as sigmoid(u) rounds to 1 (8.9e15
            //                                         // ULP in f64 from x = 37 on)
            if (one(a) && is(b, Kind::Sigmoid)) return make(Kind::Sigmoid, make(Kind::Neg, (*b)[0]));
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
            // 1 - 4 * sigmoid(2u) * sigmoid(-2u) -> tanh(u)^2
            //                                         // 1 - sech^2: the slope of x - tanh(x),
            //                                         // 1 - (1 - tanh^2), cancels to every
            //                                         // bit near 0 once tanh' has its form above
            if (one(a))
                if (Expr u = sech2_argument(b)) {
                    Expr t = make(Kind::Tanh, u);
                    return make(Kind::Mul, t, t);
                }
            // x - b -> x - (abs(x) == inf ? 0 : b) and b - x alike, x an input, b bounded
            // and periodic (sin, cos: NaN at inf)     // as for x + b below: x - sin(x) is inf at inf
            for (bool x_first : {true, false}) {
                Expr x = x_first ? a : b, y = x_first ? b : a;
                if (x->kind != Kind::Input || !bounded(y)) continue;
                std::vector<Expr> below = topological_order({y});
                if (std::none_of(below.begin(), below.end(), [](Expr n) { return is(n, Kind::Sin) || is(n, Kind::Cos); }))
                    continue;
                Expr guarded = g.make(Kind::Select, {make(Kind::Eq, make(Kind::Abs, x), c(INFINITY)), c(0), y}, r);
                return x_first ? make(Kind::Sub, x, guarded) : make(Kind::Sub, guarded, x);
            }
            if (Expr e = cancel(g, a, b, r)) return e;
            break;
        case Kind::Add:
            // a + (c ? t : 0) -> c ? a + t : a, a never -0
            //                                         // a kink's derivative (x * relu6(x + 3)'s:
            //                                         // relu6(x + 3) + (0 < x + 3 < 6 ? x : 0)): the sum
            //                                         // only where it is one, simplified there (Select)
            for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}})
                if (is(y, Kind::Select) && (*y)[2]->is_constant(0) && !(*y)[1]->is_constant(0) && never_minus_zero(x))
                    return g.make(Kind::Select, {(*y)[0], make(Kind::Add, x, (*y)[1]), x}, r);
            // p x + q x -> x (p + q), x an input among both products' factors
            //                                         // SMU, ((1 + a) x + (1 - a) x erf(u)) / 2:
            //                                         // -inf at -inf, not -inf + inf
            if (Expr f = common_input_factor(g, a, b, r)) return f;
            // (k + x) + x -> k + 2 * x                // like terms: one rounding, not two
            for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}})
                if (is(y, Kind::Add) && (*y)[0]->kind == Kind::Constant && (*y)[1] == x && x->kind != Kind::Constant)
                    return make(Kind::Add, (*y)[0], make(Kind::Mul, c(2), x));
            // x + b -> x + (abs(x) == inf ? 0 : b), x an input, b bounded
            //                                         // snake(inf) = inf: a bounded term cannot change
            //                                         // an infinite input (sin(inf) is NaN, the limit
            //                                         // of x + sin(x)^2 is not)
            for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}})
                if (x->kind == Kind::Input && bounded(y))
                    return make(Kind::Add, x,
                                g.make(Kind::Select, {make(Kind::Eq, make(Kind::Abs, x), c(INFINITY)), c(0), y}, r));
            // x + sqrt(x*x + c) -> x < 0 ? c / (sqrt(x*x + c) + abs(x)) : x + sqrt(x*x + c)
            //                                         // squareplus: no cancellation for x -> -inf
            //                                         // (abs(x), not -x: a sum of two positive
            //                                         // terms, which cancel() leaves alone)
            if (is(b, Kind::Sqrt) && is((*b)[0], Kind::Add) && is((*(*b)[0])[1], Kind::Mul) &&
                (*(*(*b)[0])[1])[0] == a && (*(*(*b)[0])[1])[1] == a) {
                Expr c0 = (*(*b)[0])[0];
                return g.make(Kind::Select, {make(Kind::Lt, a, c(0)), make(Kind::Div, c0, make(Kind::Add, b, make(Kind::Abs, a))),
                                             g.make(Kind::Add, {a, b}, r)}, r);
            }
            // exp(u) + exp(-u) -> 2 * cosh(u)         // with the / 2 below, finite up to 710.5
            if (Expr u = exp_pair(a, b)) return make(Kind::Mul, c(2), make(Kind::Cosh, u));
            // 1 + erf(z) -> erfc(-z)                  // gelu's left tail: no cancellation to 0
            if (one(a) && is(b, Kind::Erf)) return make(Kind::Erfc, make(Kind::Neg, (*b)[0]));
            // 1 + tanh(u) -> 2 * sigmoid(2u)          // gelu_tanh's left tail: no cancellation to 0
            if (one(a) && is(b, Kind::Tanh))
                return make(Kind::Mul, c(2), make(Kind::Sigmoid, make(Kind::Mul, c(2), (*b)[0])));
            break;
        case Kind::Log:
            // log(1 + x) -> log1p(x)                  // keeps the digits of a small x
            if (is(a, Kind::Add) && one((*a)[0])) return make(Kind::Log1p, (*a)[1]);
            // log(exp(p) + exp(q)) -> p >= q ? p + softplus(q - p) : q + softplus(p - q)
            //                                         // logsumexp: no overflow of exp, no log(0);
            //                                         // softplus of a difference <= 0, so no
            //                                         // cancellation; at p = q both slopes are 1/2
            if (is(a, Kind::Add) && is((*a)[0], Kind::Exp) && is((*a)[1], Kind::Exp)) {
                Expr p = (*(*a)[0])[0], q = (*(*a)[1])[0];
                return g.make(Kind::Select, {make(Kind::Ge, p, q), make(Kind::Add, p, make(Kind::Softplus, make(Kind::Sub, q, p))),
                                             make(Kind::Add, q, make(Kind::Softplus, make(Kind::Sub, p, q)))}, r);
            }
            // log(sigmoid(x)) -> -softplus(-x)        // logsigmoid: no log(0) = -inf in the left tail
            if (is(a, Kind::Sigmoid)) return make(Kind::Neg, make(Kind::Softplus, make(Kind::Neg, (*a)[0])));
            // log(a + sqrt(1 + a*a)) -> asinh(a)      // no overflow of a*a past 1.3e154, no
            //                                         // cancellation for a -> -inf
            if (Expr u = asinh_argument(a)) return make(Kind::Asinh, u);
            break;
        case Kind::Log1p:
            // log1p(exp(x)) -> softplus(x)            // no overflow of exp for large x
            if (is(a, Kind::Exp)) return make(Kind::Softplus, (*a)[0]);
            break;
        case Kind::Div:
            // a / (x * x) -> (a / x) / x              // x * x overflows from 1.3e154 (f64) and
            //                                         // underflows below 1.5e-154, where the
            //                                         // quotient need not: (1 - cos(x)) / x^2
            //                                         // at 1.45e154 is 3e-309, not 0
            if (is(b, Kind::Mul) && (*b)[0] == (*b)[1] && !is((*b)[0], Kind::Constant))
                return make(Kind::Div, make(Kind::Div, a, (*b)[0]), (*b)[0]);
            // exp(p) / exp(q) -> exp(p - q)           // exponentials collected, as for products
            if (is(a, Kind::Exp) && is(b, Kind::Exp)) return make(Kind::Exp, make(Kind::Sub, (*a)[0], (*b)[0]));
            // exp(p) / (exp(p) + exp(q)) -> sigmoid(p - q)   // softmax of two: no inf / inf
            if (is(a, Kind::Exp) && is(b, Kind::Add) && is((*b)[0], Kind::Exp) && is((*b)[1], Kind::Exp) &&
                ((*b)[0] == a || (*b)[1] == a))
                return make(Kind::Sigmoid, make(Kind::Sub, (*a)[0], (*((*b)[0] == a ? (*b)[1] : (*b)[0]))[0]));
            // exp(x) / (1 + exp(x)) -> sigmoid(x)     // before the next rule: exp(x) * sigmoid(-x)
            //                                         // would be inf * 0 for large x
            if (is(a, Kind::Exp) && is(b, Kind::Add) && one((*b)[0]) && (*b)[1] == a)
                return make(Kind::Sigmoid, (*a)[0]);
            // a / (1 + exp(y)) -> a * sigmoid(-y)     // sigmoid, and x / (1 + exp(-x)): no inf / inf
            if (is(b, Kind::Add) && one((*b)[0]) && is((*b)[1], Kind::Exp))
                return make(Kind::Mul, a, make(Kind::Sigmoid, make(Kind::Neg, (*(*b)[1])[0])));
            // exp(u) / expm1(u) -> u > 0 ? -1 / expm1(-u) : exp(u) / expm1(u)
            //                                         // e^u / (e^u - 1) = 1 / (1 - e^-u): no
            //                                         // inf / inf for large u; for u < 0 the
            //                                         // written form, whose e^u is the result's
            //                                         // digits (-e^-717 at -717, not the -0 of
            //                                         // 1 / expm1(717) = 1 / inf), and its +0 at -0
            if (is(a, Kind::Exp))
                if (Expr u = expm1_argument(b); u && u == (*a)[0])
                    return g.make(Kind::Select, {make(Kind::Gt, u, c(0)),
                                                 make(Kind::Div, c(-1), make(Kind::Expm1, make(Kind::Neg, u))), n}, r);
            // a / (p * q) -> (a / p) / q, p = 1 + exp(y) // so that the rule above meets a power
            //                                         // of it: exp(-x) / (1 + exp(-x))^2 is
            //                                         // sigmoid(x) sigmoid(-x), not inf / inf
            if (is(b, Kind::Mul))
                for (auto [p, q] : {std::pair{(*b)[0], (*b)[1]}, std::pair{(*b)[1], (*b)[0]}})
                    if (is(p, Kind::Add) && one((*p)[0]) && is((*p)[1], Kind::Exp))
                        return make(Kind::Div, make(Kind::Div, a, p), q);
            // x / (1 + abs(x)) -> abs(x) > 1 ? 1 / (1 / x + sign(x)) : x / (1 + abs(x))
            //                                         // softsign: its limits ±1 at ±inf, not inf / inf
            if (is(b, Kind::Add) && one((*b)[0]) && is((*b)[1], Kind::Abs) && (*(*b)[1])[0] == a)
                return g.make(Kind::Select,
                              {make(Kind::Gt, (*b)[1], c(1)),
                               make(Kind::Div, c(1), make(Kind::Add, make(Kind::Div, c(1), a), make(Kind::Sign, a))),
                               n},
                              r);
            // (a * f) / a -> f * (a / a)              // a * f may overflow or underflow where f
            //                                         // does not (softplus's slope: (beta s) / beta);
            //                                         // a / a keeps the NaN at a = 0 or ±inf, and
            //                                         // for a parameter it is computed once per call
            if (product(a))
                for (int i = 0; i < 2; ++i)
                    if ((*a)[i] == b && (*a)[1 - i] != b) return make(Kind::Mul, (*a)[1 - i], make(Kind::Div, b, b));
            // (2 * h) / 2 -> h, h sinh or cosh        // 2 * h overflows first
            if (b->is_constant(2) && product(a) && (*a)[0]->is_constant(2) && hyperbolic((*a)[1]))
                return (*a)[1];
            // (k * sinh(u)) / (k * cosh(u)) -> tanh(u), k a non-zero constant (or none);
            // (y * (k * sinh(u))) / (k * cosh(u)) -> y * tanh(u)
            //                                         // tanh written through exp: its limits
            //                                         // ±1, not inf / inf
            if (Expr u = tanh_ratio(a, b)) return make(Kind::Tanh, u);
            if (product(a))
                for (auto [y, t] : {std::pair{(*a)[0], (*a)[1]}, std::pair{(*a)[1], (*a)[0]}})
                    if (Expr u = tanh_ratio(t, b)) return make(Kind::Mul, y, make(Kind::Tanh, u));
            // u / (1 + a*a) -> abs(a) > 1 ? (u / a) / (a + 1 / a) : u / (1 + a*a)
            //                                         // atan's derivative: no overflow of a*a
            //                                         // to a 0 the truth does not have
            if (is(b, Kind::Add) && one((*b)[0]) && is((*b)[1], Kind::Mul) && (*(*b)[1])[0] == (*(*b)[1])[1]) {
                Expr x = (*(*b)[1])[0];
                Expr far = make(Kind::Div, make(Kind::Div, a, x), make(Kind::Add, x, make(Kind::Div, c(1), x)));
                return g.make(Kind::Select, {make(Kind::Gt, make(Kind::Abs, x), c(1)), far, n}, r);
            }
            // (x + x) / (2 * sqrt(x*x + c)) -> x / sqrt(x*x + c)     // sqrt(x^2 + c)'s derivative
            if (is(a, Kind::Add) && (*a)[0] == (*a)[1] && is(b, Kind::Mul) && (*b)[0]->is_constant(2) &&
                is((*b)[1], Kind::Sqrt))
                return make(Kind::Div, (*a)[0], (*b)[1]);
            // x / sqrt(x*x + c) -> abs(x) > 1 ? sign(x) / sqrt(1 + c / (x*x)) : x / sqrt(x*x + c)
            //                                         // its limits ±1 at ±inf, not inf / inf
            if (is(b, Kind::Sqrt) && is((*b)[0], Kind::Add) && is((*(*b)[0])[1], Kind::Mul) &&
                (*(*(*b)[0])[1])[0] == a && (*(*(*b)[0])[1])[1] == a) {
                Expr c0 = (*(*b)[0])[0];
                Expr far = make(Kind::Div, make(Kind::Sign, a),
                                make(Kind::Sqrt, make(Kind::Add, c(1), make(Kind::Div, c0, (*(*b)[0])[1]))));
                return g.make(Kind::Select, {make(Kind::Gt, make(Kind::Abs, a), c(1)), far, n}, r);
            }
            // x / sqrt(c + k * (x*x)) -> abs(x) > 1 ? sign(x) / sqrt(k + c / (x*x)) : ..., for
            // k a constant or parameter            // ISRU, x / sqrt(1 + a x^2): ±1/sqrt(a) at
            //                                         // ±inf, not inf / inf, and not the 0 of
            //                                         // an overflowed x^2 at 1e300
            if (is(b, Kind::Sqrt) && is((*b)[0], Kind::Add) && is((*(*b)[0])[1], Kind::Mul)) {
                Expr sum = (*b)[0], term = (*sum)[1], k = (*term)[0], square = (*term)[1];
                if (is(square, Kind::Mul) && (*square)[0] == a && (*square)[1] == a && fixed_factor(k)) {
                    Expr far = make(Kind::Div, make(Kind::Sign, a),
                                    make(Kind::Sqrt, make(Kind::Add, k, make(Kind::Div, (*sum)[0], square))));
                    return g.make(Kind::Select, {make(Kind::Gt, make(Kind::Abs, a), c(1)), far, n}, r);
                }
            }
            // u / sqrt(c + a*a) -> abs(a) > 1 ? (u / abs(a)) / sqrt(1 + c / (a*a)) : u / sqrt(c + a*a)
            //                                         // asinh's derivative: no overflow of a*a
            //                                         // to a 0 the truth does not have
            if (is(b, Kind::Sqrt) && is((*b)[0], Kind::Add) && is((*(*b)[0])[1], Kind::Mul) &&
                (*(*(*b)[0])[1])[0] == (*(*(*b)[0])[1])[1]) {
                Expr x = (*(*(*b)[0])[1])[0], c0 = (*(*b)[0])[0];
                Expr far = make(Kind::Div, make(Kind::Div, a, make(Kind::Abs, x)),
                                make(Kind::Sqrt, make(Kind::Add, c(1), make(Kind::Div, c0, (*(*b)[0])[1]))));
                return g.make(Kind::Select, {make(Kind::Gt, make(Kind::Abs, x), c(1)), far, n}, r);
            }
            break;
        case Kind::Select: {
            // c ? (c ? A : B) : E -> c ? A : E; c ? (d ? A : B) : E -> c ? B : E where c
            // excludes d (p > 0 and -p > 0)           // a regime split inside its own regime:
            //                                         // the reflections and softplus(k u) / k
            //                                         // write each tail as the other's form
            if (Expr t = b; is(t, Kind::Select) && ((*t)[0] == a || excludes(a, (*t)[0])))
                return g.make(Kind::Select, {a, (*t)[0] == a ? (*t)[1] : (*t)[2], (*n)[2]}, r);
            if (Expr e = (*n)[2]; is(e, Kind::Select) && ((*e)[0] == a || order_excludes(a, (*e)[0], false)))
                return g.make(Kind::Select, {a, b, (*e)[2]}, r);
            // (u < k1) ? T : ((u < k2) ? A : E) -> (u < k1) ? T : E, k2 <= k1 constants
            //                                         // a branch that cannot be taken: the
            //                                         // derivative of a Taylor polynomial's
            //                                         // select holds the written slope's own
            if (Expr e = (*n)[2]; is(a, Kind::Lt) && is(e, Kind::Select) && is((*e)[0], Kind::Lt) &&
                (*(*e)[0])[0] == (*a)[0] && is((*a)[1], Kind::Constant) && is((*(*e)[0])[1], Kind::Constant) &&
                (*(*e)[0])[1]->value <= (*a)[1]->value)
                return g.make(Kind::Select, {a, b, (*e)[2]}, r);
            // c ? T : E, c = (u > k): max(u, k) in T is u;  c = (m < k): min(m, k) in T is m
            //                                         // a clamp where its condition holds (the kink
            //                                         // rule above: relu6(x + 3) + x is (x + 3) + x)
            Expr cond = a, t = b, e = (*n)[2];
            if ((is(cond, Kind::Gt) || is(cond, Kind::Lt)) && (*cond)[1]->kind == Kind::Constant)
                if (Expr clamp = find_clamp(t, is(cond, Kind::Gt) ? Kind::Max : Kind::Min, (*cond)[0], (*cond)[1]))
                    if (Expr t2 = substitute(g, t, clamp, (*cond)[0]))
                        return g.make(Kind::Select, {cond, t2, e}, r);
            break;
        }
        case Kind::DecayMul:
            // ... * exp(u) * ... * sigmoid(-u) * ... -> sigmoid(u) * ... (the next case)
            if (Expr p = factor_pairs(g, n, r, false)) return p;
            if (Expr p = constant_pair(g, n, r)) return p;
            break;
        case Kind::Mul:
            // exp(u*u) * erfc(u) -> u > 9 ? erfcx(u)'s series : the product
            //                                         // 0.0188 at 30, not inf * 0 (erfcx_pair)
            // ... * exp(u) * ... * sigmoid(-u) * ... -> sigmoid(u) * ...
            // ... * exp(p) * ... * exp(q) * ... -> exp(p + q) * ... // exponentials collected:
            //                                         // exp(-x^2) * exp(x^2) is 1 (erfcx's
            //                                         // slope at -30), not 0 * inf
            if (Expr p = factor_pairs(g, n, r, true)) return p;
            if (Expr p = constant_pair(g, n, r)) return p;
            // 0.5 * (2 * h) -> h, h sinh or cosh      // 2 * h overflows first
            if (a->is_constant(0.5) && product(b) && (*b)[0]->is_constant(2) && hyperbolic((*b)[1]))
                return (*b)[1];
            // a * (c ? t : 0) -> c ? a * t : 0       // a derivative that is exactly 0 on a region
            // a * (c ? 0 : e) -> c ? 0 : a * e       // stays 0 there, even times an infinite a
            for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
                if (!is(y, Kind::Select)) continue;
                Expr cond = (*y)[0], t = (*y)[1], e = (*y)[2];
                if (e->is_constant(0) && !t->is_constant(0))
                    return g.make(Kind::Select, {cond, make(Kind::Mul, x, t), e}, r);
                if (t->is_constant(0) && !e->is_constant(0))
                    return g.make(Kind::Select, {cond, t, make(Kind::Mul, x, e)}, r);
            }
            // a * f -> decay_mul(a, f), f vanishing   // silu(-inf) = 0, hardswish(-inf) = 0: a
            //                                         // vanished factor beats an infinite one
            //                                         // (which one, and whether: decay_side)
            if (int side = decide_side(n, a, b)) return side > 0 ? make(Kind::DecayMul, a, b) : make(Kind::DecayMul, b, a);
            // a * b -> decay_mul(a, b), a and b of different inputs // swiglu(inf, 0) = silu(inf) * 0:
            //                                         // the limit with b held at 0 is 0, not NaN
            if (independent_operands(n)) return make(Kind::DecayMul, a, b);
            break;
        default: break;
        }
        return n;
    }
};

// The second pass: intermediates that overflow where the result is finite, rescaled.
// After the first pass, whose rules match the unscaled forms (squareplus, asinh, the
// slopes of sqrt(x*x + c)).
class RescaleRules {
public:
    Expr operator()(Graph& g, Expr n) {
        Expr s = simplify_(g, n);
        return s != n ? s : rescale_root(g, n);
    }

private:
    SimplifyRules simplify_;
};

}  // namespace

std::vector<Expr> stabilize(Graph& graph, const std::vector<Expr>& roots, bool last, Arithmetic arithmetic) {
    StabilizeRules rules(last, arithmetic);
    std::vector<Expr> stable = rewrite(graph, roots, std::ref(rules));
    // The second pass only where it has something to rescale (the compile budget).
    std::vector<Expr> order = topological_order(stable);
    if (std::none_of(order.begin(), order.end(), [](Expr n) { return is(n, Kind::Sqrt); })) return stable;
    RescaleRules rescale;
    return rewrite(graph, stable, std::ref(rescale));
}

}  // namespace actjit
