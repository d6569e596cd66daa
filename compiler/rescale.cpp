#include "rescale.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>
#include <utility>

#include "rewrite.hpp"

namespace actjit {

namespace {

bool is(Expr n, Kind k) { return n->kind == k; }
// A product as written, or as the decay_mul rule has made it.
bool product(Expr n) { return is(n, Kind::Mul) || is(n, Kind::DecayMul); }

// Bounds [lo, hi] of n over every input, as far as clamps, constants and the bounded
// functions tell (else the whole line; a NaN is no value here: it passes either way).
std::pair<double, double> range_of(Expr n, int depth = 0) {
    constexpr std::pair<double, double> line{-INFINITY, INFINITY};
    if (depth > 16) return line;
    auto op = [&](int i) { return range_of((*n)[i], depth + 1); };
    switch (n->kind) {
    case Kind::Constant: return {n->value, n->value};
    case Kind::Max: {
        auto [p, q] = std::pair{op(0), op(1)};
        return {std::max(p.first, q.first), std::max(p.second, q.second)};
    }
    case Kind::Min: {
        auto [p, q] = std::pair{op(0), op(1)};
        return {std::min(p.first, q.first), std::min(p.second, q.second)};
    }
    case Kind::Select: {
        auto [p, q] = std::pair{op(1), op(2)};
        return {std::min(p.first, q.first), std::max(p.second, q.second)};
    }
    case Kind::Sigmoid: return {0, 1};
    case Kind::Erfc: return {0, 2};
    case Kind::Tanh: case Kind::Erf: case Kind::Sin: case Kind::Cos: return {-1, 1};
    default: return line;
    }
}

// (a * t) / k -> a * (t / k), k a constant, |t| <= |k| >= 1 (range_of)
//                                             // a * t overflows where the result does
//                                             // not: hardswish, x * relu6(x + 3) / 6, at
//                                             // x > 3e307 (f64) / 5.7e37 (float lanes)
Expr rescale_quotient(Graph& g, Expr n) {
    if (!is(n, Kind::Div) || !is((*n)[1], Kind::Constant) || std::fabs((*n)[1]->value) < 1 || !product((*n)[0]))
        return n;
    Expr a = (*n)[0], k = (*n)[1];
    // (a power of two: t / k and a * (t / k) are exact where a * t / k is, for any t;
    // SMU's x ((1 + a) + (1 - a) erf(u)) / 2 at 9.9e307)
    int e = 0;
    bool two = std::isfinite(k->value) && std::fabs(std::frexp(k->value, &e)) == 0.5 && std::fabs(k->value) <= 0x1p64;
    for (int i : {1, 0}) {
        auto [lo, hi] = range_of((*a)[i]);
        if ((two && !is((*a)[i], Kind::Input)) ||
            (std::fabs(lo) <= std::fabs(k->value) && std::fabs(hi) <= std::fabs(k->value))) {
            Expr f = (*a)[i];
            Expr t = is(f, Kind::Constant) ? g.constant(f->value / k->value, n->range) : g.make(Kind::Div, {f, k}, n->range);
            return g.make(a->kind, {i == 1 ? (*a)[0] : t, i == 1 ? t : (*a)[1]}, n->range);
        }
    }
    return n;
}

// p >= q ? p + softplus(q - p) : q + softplus(p - q) -> p == q ? p + log(2) : ..., after
// differentiation                              // logsumexp at p = q = ±inf: ±inf, not
//                                             // inf - inf (the slopes, taken before, keep
//                                             // their 1/2 at p = q)
Expr equal_logsumexp(Graph& g, Expr n) {
    if (!is(n, Kind::Select) || !is((*n)[0], Kind::Ge)) return n;
    Expr p = (*(*n)[0])[0], q = (*(*n)[0])[1], t = (*n)[1];
    if (!is(t, Kind::Add) || (*t)[0] != p || !is((*t)[1], Kind::Softplus) || !is((*(*t)[1])[0], Kind::Sub) ||
        (*(*(*t)[1])[0])[0] != q || (*(*(*t)[1])[0])[1] != p)
        return n;
    const SourceRange r = n->range;
    Expr tie = g.make(Kind::Add, {p, g.constant(0.6931471805599453, r)}, r);  // log(2), rounded
    return g.make(Kind::Select, {g.make(Kind::Eq, {p, q}, r), tie, n}, r);
}

// sigmoid(p - q) -> p == q ? 1/2 : sigmoid(p - q), p and q not constants, after
// differentiation                              // softmax of two and logsumexp's slopes at
//                                             // p = q = ±inf: 1/2, as everywhere on p = q,
//                                             // not sigmoid(inf - inf)
Expr equal_sigmoid(Graph& g, Expr n) {
    if (!is(n, Kind::Sigmoid)) return n;
    Expr d = is((*n)[0], Kind::Neg) ? (*(*n)[0])[0] : (*n)[0];  // (sigmoid(-(p - q)) too)
    if (!is(d, Kind::Sub)) return n;
    Expr p = (*d)[0], q = (*d)[1];
    if (is(p, Kind::Constant) || is(q, Kind::Constant)) return n;
    const SourceRange r = n->range;
    return g.make(Kind::Select, {g.make(Kind::Eq, {p, q}, r), g.constant(0.5, r), n}, r);
}

// (c ? A : B) / k -> c ? A / k : B / k, and (p + q) / k -> abs(p) > 1 ? p / k + q / k :
// (p + q) / k, k a power of two >= 2, after differentiation
//                                             // squareplus, (x + sqrt(x^2 + b)) / 2: x near
//                                             // the top of the range, not the inf of x + s
//                                             // before the halving (found by check
//                                             // --report-accuracy); exact where |p| > 1
Expr halve_sum(Graph& g, Expr n) {
    if (!is(n, Kind::Div) || !is((*n)[1], Kind::Constant)) return n;
    double k = (*n)[1]->value;
    int e = 0;
    if (!(std::isfinite(k) && k >= 2 && k <= 0x1p64 && std::frexp(k, &e) == 0.5)) return n;
    Expr a = (*n)[0], kk = (*n)[1];
    const SourceRange r = n->range;
    if (is(a, Kind::Select))
        return g.make(Kind::Select, {(*a)[0], g.make(Kind::Div, {(*a)[1], kk}, r), g.make(Kind::Div, {(*a)[2], kk}, r)}, r);
    if (!is(a, Kind::Add) && !is(a, Kind::Sub)) return n;
    Expr p = (*a)[0], q = (*a)[1];
    if (is(p, Kind::Constant) || is(q, Kind::Constant)) return n;
    Expr apart = g.make(a->kind, {g.make(Kind::Div, {p, kk}, r), g.make(Kind::Div, {q, kk}, r)}, r);
    return g.make(Kind::Select, {g.make(Kind::Gt, {g.make(Kind::Abs, {p}, r), g.constant(1, r)}, r), apart, n}, r);
}

// a / (p + q) -> 1 < abs(p) < inf ? (a / p) / (1 + q / p) : a / (p + q), p an input or its
// absolute value and q no constant, after differentiation
//                                             // squareplus's left branch, b / (|x| + s):
//                                             // 1e-308 at -1.7e308, not the 0 of b / inf
//                                             // (f32 lanes: 5.8e-39 at -1.7e38)
Expr divide_sum(Graph& g, Expr n) {
    if (!is(n, Kind::Div) || !is((*n)[1], Kind::Add)) return n;
    Expr a = (*n)[0], p = (*(*n)[1])[0], q = (*(*n)[1])[1];
    bool input = is(p, Kind::Input) || (is(p, Kind::Abs) && is((*p)[0], Kind::Input));
    if (!input || is(q, Kind::Constant)) return n;
    const SourceRange r = n->range;
    Expr scaled = g.make(Kind::Div, {g.make(Kind::Div, {a, p}, r),
                                      g.make(Kind::Add, {g.constant(1, r), g.make(Kind::Div, {q, p}, r)}, r)}, r);
    Expr size = g.make(Kind::Abs, {p}, r);  // (at |p| = inf the written form: q / p could be inf / inf)
    Expr far = g.make(Kind::And, {g.make(Kind::Gt, {size, g.constant(1, r)}, r), g.make(Kind::Lt, {size, g.constant(INFINITY, r)}, r)}, r);
    return g.make(Kind::Select, {far, scaled, n}, r);
}

// softplus(k u) / k -> (k u > 0 ? u : 0) + softplus(k u > 0 ? -k u : k u) / k, k a constant
// or parameter                                // softplus with a sharpness, log(1 + exp(b x)) / b:
//                                             // x near the top of the range, not the inf of an
//                                             // overflowed b x (softplus(z) = max(z, 0) +
//                                             // softplus(-|z|), and max(z, 0) / k is u or 0);
//                                             // one softplus, no cancellation. After
//                                             // differentiation only: the slope of the written
//                                             // form, sigmoid(k u) (k / k), is accurate already,
//                                             // and the rewritten one's costs a select and a
//                                             // sigmoid more (softplus backward 0.85 of the loop's
//                                             // speed at 1 MiB, was 1.13)
Expr rescale_softplus(Graph& g, Expr n) {
    if (!is(n, Kind::Div) || !is((*n)[0], Kind::Softplus) || !is((*(*n)[0])[0], Kind::Mul) || !fixed_factor((*n)[1]))
        return n;
    Expr ku = (*(*n)[0])[0], k = (*n)[1];
    if (is(k, Kind::Constant) && std::fabs(k->value) <= 1) return n;  // (k u cannot overflow first)
    const SourceRange r = n->range;
    for (int i = 0; i < 2; ++i) {
        if ((*ku)[i] != k) continue;
        Expr positive = g.make(Kind::Gt, {ku, g.constant(0, r)}, r);
        Expr linear = g.make(Kind::Select, {positive, (*ku)[1 - i], g.constant(0, r)}, r);
        Expr z = g.make(Kind::Select, {positive, g.make(Kind::Neg, {ku}, r), ku}, r);
        return g.make(Kind::Add, {linear, g.make(Kind::Div, {g.make(Kind::Softplus, {z}, r), k}, r)}, r);
    }
    return n;
}

}  // namespace

bool fixed_factor(Expr k) {
    constexpr uint64_t inputs = (uint64_t{1} << 31) - 1;
    return !(k->depends & inputs) && !(k->depends >> 63);
}


Expr after_differentiation(Graph& g, Expr n) {
    for (Expr (*rule)(Graph&, Expr) : {rescale_quotient, rescale_softplus, equal_logsumexp, equal_sigmoid, halve_sum, divide_sum})
        if (Expr s = rule(g, n); s != n) return s;
    return n;
}

// exp(u) / v -> u > 709 ? (exp(u - 512) / v) * e^512 : exp(u) / v, expm1(u) / v alike
//                                             // exp(u) overflows at 709.78 where the
//                                             // quotient need not: expm1(x) / x at 710 is
//                                             // 3.1e305, not inf, and its slope exp(x) / x -
//                                             // (expm1(x) / x) / x finite up to 716, not NaN.
//                                             // (exp(x) / x^100 at 800: 1.3e57). Past 709, u -
//                                             // 512 is exact (512 is a multiple of u's ulp),
//                                             // expm1(u) is exp(u) to the last bit, and e^512
//                                             // is rounded once: 2 roundings more; finite up
//                                             // to u = 1221.
// (exp(u) ± R) / v, R free of exponentials     // (exp(u - 512) ± R e^-512) / v * e^512 alike
// (free_of_exponentials, below)               // (exp(x) - 1 - x) / x^2, whose numerator is
//                                             // expm1(x) - x, at 712 is 3.26e303, not inf.
//                                             // Where R is within a few binades of exp(u) the
//                                             // rounding of e^-512 e^512 shows, amplified.
// Once over the graph, not among the rules above: the select keeps the quotient as it
// was below 709, where the rule would apply again.
Expr rescale_exponential_quotients(Graph& g, Expr root) {
    // (most graphs have no exponential at all: a walk is cheaper than a rewrite)
    const std::vector<Expr> order = topological_order({root});
    if (std::none_of(order.begin(), order.end(), [](Expr n) { return is(n, Kind::Exp) || is(n, Kind::Expm1); }))
        return root;
    std::unordered_set<Expr> made;
    // The selects made, each to its u and its shifted quotient (for a division of one).
    std::unordered_map<Expr, std::pair<Expr, Expr>> rescaled;
    // (expm1(u) + 0, as the rules leave exp(u) - 1 in a sum)
    auto bare = [](Expr m) { return is(m, Kind::Add) && (*m)[0]->is_constant(0) ? (*m)[1] : m; };
    auto exponential = [&](Expr m) { return is(bare(m), Kind::Exp) || is(bare(m), Kind::Expm1); };
    // Nothing in m that can grow like an exponential: no exp, expm1, sinh or cosh, no
    // power with a variable exponent, no division by what vanishes in a tail (x /
    // sigmoid(-x)). (exp(x) - cosh(x)) / x^2 scaled as if cosh(x) were small would be -inf
    // at 712, where it is 1.6e303.
    auto free_of_exponentials = [](Expr m) {
        for (Expr k : topological_order({m})) {
            if (is(k, Kind::Exp) || is(k, Kind::Expm1) || is(k, Kind::Sinh) || is(k, Kind::Cosh)) return false;
            if (is(k, Kind::Pow) && !(*k)[1]->has(ConstantExpr)) return false;
            if (is(k, Kind::Div) && (*k)[1]->has(Vanishes)) return false;
        }
        return true;
    };
    return rewrite(g, {root}, [&](Graph& gr, Expr n) {
        if (!is(n, Kind::Div) || made.count(n)) return n;
        Expr e = (*n)[0], v = (*n)[1];
        // (a divisor that cannot be large: the quotient overflows with exp(u))
        if (is(v, Kind::Constant) && std::fabs(v->value) <= 1) return n;
        const SourceRange r = n->range;
        auto select = [&](Expr u, Expr shifted) {
            made.insert(shifted);
            made.insert(n);
            Expr far = gr.make(Kind::Mul, {shifted, gr.constant(std::exp(512.0), r)}, r);
            Expr out = gr.make(Kind::Select, {gr.make(Kind::Gt, {u, gr.constant(709, r)}, r), far, n}, r);
            made.insert(out);
            rescaled.emplace(out, std::pair(u, shifted));
            return out;
        };
        // One divided again ((exp(x) - 1 - x) / x / x): the division on both sides.
        if (auto it = rescaled.find(e); it != rescaled.end())
            return select(it->second.first, gr.make(Kind::Div, {it->second.second, v}, r));
        e = bare(e);
        // A Taylor select's written form (abs(y) < k ? P : F, k <= 709): past u = 709 it
        // is F when y is u.
        Expr near = nullptr;
        if (is(e, Kind::Select) && is((*e)[0], Kind::Lt) && is((*(*e)[0])[0], Kind::Abs) &&
            is((*(*e)[0])[1], Kind::Constant) && (*(*e)[0])[1]->value <= 709) {
            near = (*(*(*e)[0])[0])[0];
            e = bare((*e)[2]);
        }
        // exp(u) + R, R + exp(u), exp(u) - R: the rest, its kind (Add or Sub) and side
        Expr rest = nullptr;
        Kind joined = Kind::Add;
        bool rest_first = false;
        if ((is(e, Kind::Add) || is(e, Kind::Sub)) && exponential((*e)[0]) && free_of_exponentials((*e)[1])) {
            rest = (*e)[1], joined = e->kind, e = bare((*e)[0]);
        } else if (is(e, Kind::Add) && exponential((*e)[1]) && free_of_exponentials((*e)[0])) {
            rest = (*e)[0], rest_first = true, e = bare((*e)[1]);
        }
        if (rest && rest->is_constant(0)) rest = nullptr;
        if (!exponential(e)) return n;
        Expr u = (*e)[0];
        if (near && near != u) return n;
        Expr top = gr.make(Kind::Exp, {gr.make(Kind::Add, {gr.constant(-512, r), u}, r)}, r);
        if (rest) {
            Expr scaled = gr.make(Kind::Mul, {rest, gr.constant(std::exp(-512.0), r)}, r);
            top = rest_first ? gr.make(joined, {scaled, top}, r) : gr.make(joined, {top, scaled}, r);
        }
        return select(u, gr.make(Kind::Div, {top, v}, r));
    })[0];
}

}  // namespace actjit
