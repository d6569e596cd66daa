#include "cancellation.hpp"

#include <algorithm>
#include <cmath>

#include "linear.hpp"

namespace actjit {

namespace {

bool is(Expr n, Kind k) { return n->kind == k; }
bool one(Expr n) { return n->is_constant(1); }

}  // namespace

// a - b where the two agree to first order, rewritten so that the cancellation happens
// in exact symbolic arithmetic (linear.hpp), not in floating point. A general method,
// not a spelling: it fires whenever the difference of the operands' radicands (or of
// the logarithms' arguments) loses a term, however the sums are written. Null if it
// does not apply.
Expr cancel(Graph& g, Expr a, Expr b, SourceRange r) {
    auto make = [&](Kind k, Expr x, Expr y) { return g.make(k, {x, y}, r); };
    // sqrt(A) - sqrt(B) -> (A - B) / (sqrt(A) + sqrt(B))
    if (is(a, Kind::Sqrt) && is(b, Kind::Sqrt))
        if (auto d = cancelled_difference((*a)[0], (*b)[0]))
            return make(Kind::Div, build(g, *d, r), make(Kind::Add, a, b));
    // sqrt(A) - q -> q > 0 && sqrt(A) <= 2q ? (A - q*q) / (sqrt(A) + q) : sqrt(A) - q
    // q - sqrt(A) -> q > 0 && sqrt(A) <= 2q ? (q*q - A) / (sqrt(A) + q) : q - sqrt(A)
    //   (only there can the terms agree; elsewhere nothing cancels, and A - q*q could
    //   overflow where the difference does not)
    for (bool root_first : {true, false}) {
        Expr root = root_first ? a : b, q = root_first ? b : a;
        if (!is(root, Kind::Sqrt) || is(q, Kind::Sqrt)) continue;
        if (is(q, Kind::Constant) && !(q->value > 0)) continue;  // (a select that folds away)
        Expr qq = is(q, Kind::Constant) ? g.constant(q->value * q->value, r) : make(Kind::Mul, q, q);
        auto d = root_first ? cancelled_difference((*root)[0], qq) : cancelled_difference(qq, (*root)[0]);
        if (!d) continue;
        Expr near = make(Kind::Div, build(g, *d, r), make(Kind::Add, root, q));
        Expr close = make(Kind::And, make(Kind::Gt, q, g.constant(0, r)),
                          make(Kind::Le, root, make(Kind::Mul, g.constant(2, r), q)));
        return g.make(Kind::Select, {close, near, make(Kind::Sub, a, b)}, r);
    }
    // sin(A) - sin(B) -> sin(d) cos(B) - 2 sin(d / 2)^2 sin(B), cos(A) - cos(B) -> -sin(d)
    //   sin(B) - 2 sin(d / 2)^2 cos(B), d = A - B as a sum that cancels a term (angle
    //   addition with B as it is, not B + d / 2 rounded: sin(x + e) - sin(x) at e = 1e-5
    //   keeps its digits at any x where sin and cos do; the written difference loses 17 bits)
    if ((is(a, Kind::Sin) && is(b, Kind::Sin)) || (is(a, Kind::Cos) && is(b, Kind::Cos)))
        if (auto d = cancelled_difference((*a)[0], (*b)[0])) {
            Expr delta = build(g, *d, r), B = (*b)[0];
            Expr h = g.make(Kind::Sin, {make(Kind::Mul, g.constant(0.5, r), delta)}, r);
            Expr versine = make(Kind::Mul, g.constant(2, r), make(Kind::Mul, h, h));  // 1 - cos(d)
            Expr sd = g.make(Kind::Sin, {delta}, r), sb = g.make(Kind::Sin, {B}, r), cb = g.make(Kind::Cos, {B}, r);
            if (is(a, Kind::Sin)) return make(Kind::Sub, make(Kind::Mul, sd, cb), make(Kind::Mul, versine, sb));
            return make(Kind::Sub, g.make(Kind::Neg, {make(Kind::Mul, sd, sb)}, r), make(Kind::Mul, versine, cb));
        }
    // log(A) - log(B) -> B > 0 && abs(q) < 1 ? log1p(q) : log(A) - log(B), q = (A - B) / B
    //   (log1p(A) read as log(1 + A); where A / B is far from 1 nothing cancels, and the
    //   logarithms keep their domain: NaN for B < 0, and no 1 / B overflow near B = 0)
    auto argument = [&](Expr l) -> Expr {
        if (is(l, Kind::Log)) return (*l)[0];
        return is(l, Kind::Log1p) ? make(Kind::Add, g.constant(1, r), (*l)[0]) : nullptr;
    };
    if (Expr A = argument(a), B = argument(b); A && B)
        if (auto d = cancelled_difference(A, B)) {
            Expr q = make(Kind::Div, build(g, *d, r), B);
            Expr near = make(Kind::And, make(Kind::Gt, B, g.constant(0, r)),
                             make(Kind::Lt, g.make(Kind::Abs, {q}, r), g.constant(1, r)));
            return g.make(Kind::Select, {near, g.make(Kind::Log1p, {q}, r), make(Kind::Sub, a, b)}, r);
        }
    // p / B - q / D -> (p D - q B) / B / D, when p D - q B loses a term (B D would
    //   overflow first)
    if (is(a, Kind::Div) && is(b, Kind::Div)) {
        Expr p = (*a)[0], B = (*a)[1], q = (*b)[0], D = (*b)[1];
        auto times = [&](Expr k, Expr t) { return one(k) ? t : make(Kind::Mul, k, t); };
        if (is(p, Kind::Constant) && is(q, Kind::Constant))
            if (auto d = cancelled_difference(times(p, D), times(q, B)))
                return make(Kind::Div, make(Kind::Div, build(g, *d, r), B), D);
    }
    // A - B -> their difference, when sums written apart cancel a term ((x + 1) - x)
    if ((is(a, Kind::Add) || is(a, Kind::Sub)) && !is(b, Kind::Constant))
        if (auto d = cancelled_difference(a, b)) return build(g, *d, r);
    return nullptr;
}

Expr rescale_root(Graph& g, Expr n) {
    const SourceRange r = n->range;
    // sqrt(u*u + R) -> abs(u) > 1 ? (abs(u) == inf ? abs(u) : abs(u) * sqrt(1 + R / u / u))
    //                            : sqrt(u*u + R)
    //                                         // u*u overflows from 1.3e154 (f64) and
    //                                         // 1.8e19 (float lanes) on, the root not; at
    //                                         // inf, the slope is u', not inf * 0
    if (!is(n, Kind::Sqrt)) return n;
    // A square added (never subtracted) in the radicand's sum.
    auto find_square = [](auto& self, Expr t) -> Expr {
        if (is(t, Kind::Mul) && (*t)[0] == (*t)[1]) return t;
        if (!is(t, Kind::Add) && !is(t, Kind::Sub)) return nullptr;
        if (Expr s = self(self, (*t)[0])) return s;
        return is(t, Kind::Add) ? self(self, (*t)[1]) : nullptr;
    };
    Expr A = (*n)[0];
    Expr square = is(A, Kind::Mul) ? nullptr : find_square(find_square, A);
    if (!square) return n;
    // its coefficient must be 1 (u stays in both branches below: any u may be taken out)
    auto rest = cancelled_difference(A, square, true);
    if (!rest || std::any_of(rest->terms.begin(), rest->terms.end(), [&](auto& t) { return t.first == square; }))
        return n;
    Expr u = (*square)[0];
    Expr R = build(g, *rest, r);
    if (R->is_constant(0)) return n;
    Expr au = g.make(Kind::Abs, {u}, r);
    Expr scaled = g.make(Kind::Div, {g.make(Kind::Div, {R, u}, r), u}, r);
    Expr far = g.make(Kind::Mul, {au, g.make(Kind::Sqrt, {g.make(Kind::Add, {g.constant(1, r), scaled}, r)}, r)}, r);
    far = g.make(Kind::Select, {g.make(Kind::Eq, {au, g.constant(INFINITY, r)}, r), au, far}, r);
    return g.make(Kind::Select, {g.make(Kind::Gt, {au, g.constant(1, r)}, r), far, n}, r);
}

}  // namespace actjit
