#include "series.hpp"

#include <cmath>
#include <unordered_map>

#include <mpfr.h>

namespace actjit {

namespace {

// Double-double numbers (hi + lo, |lo| <= ulp(hi) / 2): about 106 bits.
struct DD {
    double hi = 0, lo = 0;
};

DD quick_sum(double a, double b) {
    double s = a + b;
    return {s, b - (s - a)};
}
DD two_sum(double a, double b) {
    double s = a + b, bb = s - a;
    return {s, (a - (s - bb)) + (b - bb)};
}
DD operator+(DD a, DD b) {
    DD s = two_sum(a.hi, b.hi), t = two_sum(a.lo, b.lo);
    s.lo += t.hi;
    s = quick_sum(s.hi, s.lo);
    s.lo += t.lo;
    return quick_sum(s.hi, s.lo);
}
DD operator-(DD a) { return {-a.hi, -a.lo}; }
DD operator-(DD a, DD b) { return a + -b; }
DD operator*(DD a, DD b) {
    double p = a.hi * b.hi;
    double e = std::fma(a.hi, b.hi, -p) + (a.hi * b.lo + a.lo * b.hi);
    return quick_sum(p, e);
}
DD operator/(DD a, DD b) {
    double q1 = a.hi / b.hi;
    DD r = a - b * DD{q1, 0};
    double q2 = r.hi / b.hi;
    r = r - b * DD{q2, 0};
    return quick_sum(q1, q2) + DD{r.hi / b.hi, 0};
}
DD dd(double v) { return {v, 0}; }
bool finite(DD a) { return std::isfinite(a.hi) && std::isfinite(a.lo); }
int compare(DD a, DD b) {  // (normalized: the high parts decide, then the low ones; infinities too)
    if (a.hi != b.hi) return a.hi < b.hi ? -1 : 1;
    return (a.lo > b.lo) - (a.lo < b.lo);
}

// A function's value at a double-double point, in MPFR at 160 bits, back to double-double.
enum class Fn { Exp, Expm1, Log, Log1p, Sqrt, Tanh, Sech2, Sigmoid, SigmoidSlope, Softplus, Erf, Erfc, Sin, Cos,
                Sinh, Cosh, Atan, Asinh, TwoOverSqrtPi, Pow };
DD value(Fn f, DD u, double p = 0) {  // (p: Pow's exponent)
    mpfr_t x, y, t;
    mpfr_inits2(160, x, y, t, static_cast<mpfr_ptr>(nullptr));
    mpfr_set_d(x, u.hi, MPFR_RNDN);
    mpfr_add_d(x, x, u.lo, MPFR_RNDN);
    constexpr mpfr_rnd_t N = MPFR_RNDN;
    switch (f) {
    case Fn::Exp: mpfr_exp(y, x, N); break;
    case Fn::Expm1: mpfr_expm1(y, x, N); break;
    case Fn::Log: mpfr_log(y, x, N); break;
    case Fn::Log1p: mpfr_log1p(y, x, N); break;
    case Fn::Sqrt: mpfr_sqrt(y, x, N); break;
    case Fn::Tanh: mpfr_tanh(y, x, N); break;
    case Fn::Sech2: mpfr_sech(y, x, N), mpfr_sqr(y, y, N); break;
    case Fn::Sigmoid: mpfr_neg(t, x, N), mpfr_exp(t, t, N), mpfr_add_ui(t, t, 1, N), mpfr_ui_div(y, 1, t, N); break;
    case Fn::SigmoidSlope:  // sigmoid(u) sigmoid(-u) = 1 / (4 cosh(u / 2)^2)
        mpfr_div_2ui(t, x, 1, N), mpfr_cosh(t, t, N), mpfr_sqr(t, t, N), mpfr_mul_2ui(t, t, 2, N), mpfr_ui_div(y, 1, t, N);
        break;
    case Fn::Softplus: mpfr_exp(t, x, N), mpfr_log1p(y, t, N); break;
    case Fn::Erf: mpfr_erf(y, x, N); break;
    case Fn::Erfc: mpfr_erfc(y, x, N); break;
    case Fn::Sin: mpfr_sin(y, x, N); break;
    case Fn::Cos: mpfr_cos(y, x, N); break;
    case Fn::Sinh: mpfr_sinh(y, x, N); break;
    case Fn::Cosh: mpfr_cosh(y, x, N); break;
    case Fn::Atan: mpfr_atan(y, x, N); break;
    case Fn::Asinh: mpfr_asinh(y, x, N); break;
    case Fn::TwoOverSqrtPi: mpfr_const_pi(t, N), mpfr_sqrt(t, t, N), mpfr_ui_div(y, 2, t, N); break;
    case Fn::Pow: mpfr_set_d(t, p, N), mpfr_pow(y, x, t, N); break;
    }
    DD out;
    out.hi = mpfr_get_d(y, N);
    mpfr_sub_d(y, y, out.hi, N);
    out.lo = mpfr_get_d(y, N);
    mpfr_clears(x, y, t, static_cast<mpfr_ptr>(nullptr));
    return out;
}

using Series = std::vector<DD>;

Series multiply(const Series& a, const Series& b) {
    Series c(a.size());
    for (size_t k = 0; k < a.size(); ++k)
        for (size_t i = 0; i <= k; ++i) c[k] = c[k] + a[i] * b[k - i];
    return c;
}

// a / b; where both start with z zero coefficients (a removable singularity, sin(x) / x),
// the quotient of the shifted series, its last z coefficients unknown (NaN).
std::optional<Series> divide(const Series& a, const Series& b) {
    size_t z = 0;
    while (z < b.size() && b[z].hi == 0 && b[z].lo == 0) {
        if (a[z].hi != 0 || a[z].lo != 0) return std::nullopt;  // a pole
        ++z;
    }
    if (z == b.size()) return std::nullopt;
    Series q(a.size(), DD{NAN, NAN});
    for (size_t k = 0; k + z < a.size(); ++k) {
        DD s = a[k + z];
        for (size_t j = 0; j < k; ++j) s = s - q[j] * b[k + z - j];
        q[k] = s / b[z];
    }
    return q;
}

// f_k = (1/k) sum_(j=1..k) j u_j g_(k-j): F' = G U', for k >= 1 (G known to order k - 1).
DD integrate(const Series& u, const Series& g, size_t k) {
    DD s;
    for (size_t j = 1; j <= k; ++j) s = s + dd(static_cast<double>(j)) * u[j] * g[k - j];
    return s / dd(static_cast<double>(k));
}

// F(U) with F' = G(U) U' where G is a given series.
Series through(const Series& u, DD f0, const Series& g) {
    Series f(u.size());
    f[0] = f0;
    for (size_t k = 1; k < u.size(); ++k) f[k] = integrate(u, g, k);
    return f;
}

Series exp_series(const Series& u, DD e0) {
    Series e(u.size());
    e[0] = e0;
    for (size_t k = 1; k < u.size(); ++k) e[k] = integrate(u, e, k);
    return e;
}

// sigmoid(U): S' = S (1 - S) U'
Series sigmoid_series(const Series& u) {
    Series s(u.size()), w(u.size());
    s[0] = value(Fn::Sigmoid, u[0]);
    w[0] = value(Fn::SigmoidSlope, u[0]);
    for (size_t k = 1; k < u.size(); ++k) {
        s[k] = integrate(u, w, k);
        DD sq;
        for (size_t i = 0; i <= k; ++i) sq = sq + s[i] * s[k - i];
        w[k] = s[k] - sq;
    }
    return s;
}

std::optional<Series> sqrt_series(const Series& u) {
    if (compare(u[0], dd(0)) <= 0) return std::nullopt;
    Series s(u.size());
    s[0] = value(Fn::Sqrt, u[0]);
    for (size_t k = 1; k < u.size(); ++k) {
        DD t = u[k];
        for (size_t j = 1; j < k; ++j) t = t - s[j] * s[k - j];
        s[k] = t / (dd(2) * s[0]);
    }
    return s;
}

std::optional<Series> log_series(const Series& v, DD l0) {  // log(V), v_0 > 0
    if (compare(v[0], dd(0)) <= 0) return std::nullopt;
    Series l(v.size());
    l[0] = l0;
    for (size_t k = 1; k < v.size(); ++k) {
        DD t;
        for (size_t j = 1; j < k; ++j) t = t + dd(static_cast<double>(j)) * l[j] * v[k - j];
        l[k] = (v[k] - t / dd(static_cast<double>(k))) / v[0];
    }
    return l;
}

}  // namespace

std::optional<std::vector<double>> taylor_series(Expr root, Expr x, double x0, int terms) {
    if (terms < 1) return std::nullopt;
    const size_t n = static_cast<size_t>(terms) + 8;  // (a removable singularity costs a term each)
    std::unordered_map<Expr, Series> series;
    std::unordered_map<Expr, bool> truth;  // Boolean nodes: their value, constant near x0
    // Nodes not analytic at x0 (abs(x) at 0): their value only, for comparisons (abs(x) ==
    // inf is false near 0); arithmetic on them is refused.
    std::unordered_map<Expr, bool> kinked;
    // Laurent series: a node's value is x^order times its series, whose first coefficient
    // is not 0 (or the series is 0): sin(x) / x^2 has order -1, and the difference of two
    // such can be regular again (the quotient rule's terms of (1 - cos(x)) / x^2's slope).
    std::unordered_map<Expr, int> order;
    auto order_of = [&](Expr m) { auto it = order.find(m); return it == order.end() ? 0 : it->second; };
    auto constant = [&](DD c) {
        Series s(n);
        s[0] = c;
        return s;
    };
    // The plain power series of a node: none at a pole.
    auto regular = [&](Expr m) -> std::optional<Series> {
        int v = order_of(m);
        const Series& t = series.at(m);
        if (v < 0) return std::nullopt;
        Series r(n);
        for (size_t k = static_cast<size_t>(v); k < n; ++k) r[k] = t[k - static_cast<size_t>(v)];
        return r;
    };
    for (Expr e : topological_order({root})) {
        auto op = [&](int i) -> const Series& { return series.at((*e)[i]); };
        auto at_point = [&](int i) -> std::optional<DD> {  // the operand's value at x0
            auto r = regular((*e)[i]);
            if (!r) return std::nullopt;
            return (*r)[0];
        };
        std::optional<int> compared;
        if (e->arity() == 2 && (*e)[0]->type == Type::Number && (*e)[1]->type == Type::Number) {
            auto p = at_point(0), q = at_point(1);
            if (p && q) compared = compare(*p, *q);
        }
        auto cmp = [&]() { return compared ? *compared : 0; };
        if (e->type == Type::Boolean) {
            switch (e->kind) {
            case Kind::Lt: case Kind::Le: case Kind::Gt: case Kind::Ge: case Kind::Eq: case Kind::Ne: {
                if (!compared) return std::nullopt;  // (a pole)
                int c = cmp();
                if (c == 0 && (e->kind == Kind::Eq || e->kind == Kind::Ne)) {
                    // Equal at x0: near it (x0 itself left out, as for a removable
                    // singularity) they differ unless their series agree in every term:
                    // x == 0 ? f : g is g there (taylor.hpp's guard of a point).
                    auto p = regular((*e)[0]), q = regular((*e)[1]);
                    bool same = true;
                    for (size_t k = 0; same && k < n; ++k) same = compare((*p)[k], (*q)[k]) == 0;
                    truth[e] = same == (e->kind == Kind::Eq);
                    break;
                }
                if (c == 0) return std::nullopt;  // on the boundary: not constant near x0
                bool v = e->kind == Kind::Lt || e->kind == Kind::Le ? c < 0
                       : e->kind == Kind::Gt || e->kind == Kind::Ge ? c > 0
                                                                    : e->kind == Kind::Ne;
                truth[e] = v;
                break;
            }
            case Kind::And: truth[e] = truth.at((*e)[0]) && truth.at((*e)[1]); break;
            case Kind::Or: truth[e] = truth.at((*e)[0]) || truth.at((*e)[1]); break;
            case Kind::Not: truth[e] = !truth.at((*e)[0]); break;
            case Kind::Select: truth[e] = truth.at((*e)[0]) ? truth.at((*e)[1]) : truth.at((*e)[2]); break;
            default: return std::nullopt;
            }
            continue;
        }
        if (e->kind != Kind::Select)
            for (int i = 0; i < e->arity(); ++i)
                if (kinked.count((*e)[i])) return std::nullopt;
        Series s;
        int v = 0;  // s's order
        const Kind kind = e->kind;
        const bool integer_power = kind == Kind::Pow && (*e)[1]->kind == Kind::Constant && (*e)[1]->value >= 0 &&
                                   (*e)[1]->value <= 64 && (*e)[1]->value == std::floor((*e)[1]->value);
        const bool laurent = kind == Kind::Neg || kind == Kind::Add || kind == Kind::Sub || kind == Kind::Mul ||
                             kind == Kind::DecayMul || kind == Kind::Div || kind == Kind::Select || integer_power;
        std::optional<Series> plain;
        const Series* u = nullptr;
        if (!laurent && e->arity() > 0 && (*e)[0]->type == Type::Number) {
            plain = regular((*e)[0]);
            if (!plain) return std::nullopt;  // a function of a pole
            u = &*plain;
        }
        switch (kind) {
        case Kind::Constant: s = constant(dd(e->value)); break;
        case Kind::Input:
            if (e != x) return std::nullopt;
            s = constant(dd(x0));
            if (n > 1) s[1] = dd(1);
            break;
        case Kind::Neg:
            s = op(0), v = order_of((*e)[0]);
            for (DD& c : s) c = -c;
            break;
        case Kind::Add: case Kind::Sub: {
            int va = order_of((*e)[0]), vb = order_of((*e)[1]);
            v = std::min(va, vb);
            s.assign(n, DD{});
            for (size_t k = 0; k < n; ++k) {
                size_t ia = static_cast<size_t>(va - v), ib = static_cast<size_t>(vb - v);
                DD p = k >= ia ? op(0)[k - ia] : DD{}, q = k >= ib ? op(1)[k - ib] : DD{};
                s[k] = kind == Kind::Add ? p + q : p - q;
            }
            break;
        }
        case Kind::Mul: case Kind::DecayMul:
            s = multiply(op(0), op(1)), v = order_of((*e)[0]) + order_of((*e)[1]);
            break;
        case Kind::Div: {
            auto q = divide(op(0), op(1));
            if (!q) return std::nullopt;
            s = *q, v = order_of((*e)[0]) - order_of((*e)[1]);
            break;
        }
        case Kind::Pow: {
            Expr k = (*e)[1];
            if (k->kind != Kind::Constant) return std::nullopt;
            double p = k->value;
            if (integer_power) {
                s = constant(dd(1));
                for (int i = 0; i < static_cast<int>(p); ++i) s = multiply(s, op(0));
                v = static_cast<int>(p) * order_of((*e)[0]);
            } else {
                if (compare((*u)[0], dd(0)) <= 0) return std::nullopt;
                s.assign(n, DD{});
                s[0] = value(Fn::Pow, (*u)[0], p);
                for (size_t m = 1; m < n; ++m) {
                    DD t;
                    for (size_t j = 1; j <= m; ++j)
                        t = t + dd((p + 1) * static_cast<double>(j) - static_cast<double>(m)) * (*u)[j] * s[m - j];
                    s[m] = t / (dd(static_cast<double>(m)) * (*u)[0]);
                }
            }
            break;
        }
        case Kind::Abs: case Kind::Sign: {
            int c = compare((*u)[0], dd(0));
            if (c == 0) {
                kinked[e] = true;
                series[e] = constant(dd(0));
                continue;
            }
            if (e->kind == Kind::Sign) s = constant(dd(c));
            else { s = *u; if (c < 0) for (DD& v : s) v = -v; }
            break;
        }
        case Kind::Min: case Kind::Max: {
            if (!compared) return std::nullopt;
            int c = cmp();
            if (c == 0) {
                kinked[e] = true;
                series[e] = op(0), order[e] = order_of((*e)[0]);
                continue;
            }
            Expr taken = (c < 0) == (kind == Kind::Min) ? (*e)[0] : (*e)[1];
            s = series.at(taken), v = order_of(taken);
            break;
        }
        case Kind::Select: {
            Expr taken = truth.at((*e)[0]) ? (*e)[1] : (*e)[2];
            if (kinked.count(taken)) kinked[e] = true;
            s = series.at(taken), v = order_of(taken);
            break;
        }
        case Kind::Exp: s = exp_series(*u, value(Fn::Exp, (*u)[0])); break;
        case Kind::Expm1:
            s = exp_series(*u, value(Fn::Exp, (*u)[0]));
            s[0] = value(Fn::Expm1, (*u)[0]);
            break;
        case Kind::Log: case Kind::Log1p: {
            Series v = *u;
            if (e->kind == Kind::Log1p) v[0] = v[0] + dd(1);
            auto l = log_series(v, value(e->kind == Kind::Log ? Fn::Log : Fn::Log1p, (*u)[0]));
            if (!l) return std::nullopt;
            s = *l;
            break;
        }
        case Kind::Sqrt: {
            auto r = sqrt_series(*u);
            if (!r) return std::nullopt;
            s = *r;
            break;
        }
        case Kind::Tanh: {  // T' = (1 - T^2) U'
            Series w(n);
            s.assign(n, DD{});
            s[0] = value(Fn::Tanh, (*u)[0]);
            w[0] = value(Fn::Sech2, (*u)[0]);
            for (size_t k = 1; k < n; ++k) {
                s[k] = integrate(*u, w, k);
                DD sq;
                for (size_t i = 0; i <= k; ++i) sq = sq + s[i] * s[k - i];
                w[k] = -sq;
            }
            break;
        }
        case Kind::Sigmoid: s = sigmoid_series(*u); break;
        case Kind::Softplus: s = through(*u, value(Fn::Softplus, (*u)[0]), sigmoid_series(*u)); break;
        case Kind::Erf: case Kind::Erfc: {  // erf' = 2/sqrt(pi) exp(-U^2) U'
            Series q = multiply(*u, *u);
            for (DD& c : q) c = -c;
            Series g = exp_series(q, value(Fn::Exp, q[0]));
            DD k = value(Fn::TwoOverSqrtPi, dd(0));
            for (DD& c : g) c = (e->kind == Kind::Erf ? k : -k) * c;
            s = through(*u, value(e->kind == Kind::Erf ? Fn::Erf : Fn::Erfc, (*u)[0]), g);
            break;
        }
        case Kind::Sin: case Kind::Cos: case Kind::Sinh: case Kind::Cosh: {
            bool hyperbolic = e->kind == Kind::Sinh || e->kind == Kind::Cosh;
            Series sn(n), cs(n);
            sn[0] = value(hyperbolic ? Fn::Sinh : Fn::Sin, (*u)[0]);
            cs[0] = value(hyperbolic ? Fn::Cosh : Fn::Cos, (*u)[0]);
            for (size_t k = 1; k < n; ++k) {
                sn[k] = integrate(*u, cs, k);
                cs[k] = hyperbolic ? integrate(*u, sn, k) : -integrate(*u, sn, k);
            }
            s = e->kind == Kind::Sin || e->kind == Kind::Sinh ? sn : cs;
            break;
        }
        case Kind::Atan: case Kind::Asinh: {  // atan' = 1 / (1 + U^2), asinh' = 1 / sqrt(1 + U^2)
            Series q = multiply(*u, *u);
            q[0] = q[0] + dd(1);
            std::optional<Series> g;
            if (e->kind == Kind::Atan) g = divide(constant(dd(1)), q);
            else if (auto r = sqrt_series(q)) g = divide(constant(dd(1)), *r);
            if (!g) return std::nullopt;
            s = through(*u, value(e->kind == Kind::Atan ? Fn::Atan : Fn::Asinh, (*u)[0]), *g);
            break;
        }
        default: return std::nullopt;  // a parameter, a draw
        }
        // (an infinite constant is kept for comparisons, abs(x) == inf; arithmetic on it
        // gives a non-finite value, which is refused. A NaN coefficient past the first is
        // one a removable singularity left unknown: so are those after it.)
        // (the leading zeros into the order; those the cancellation of a sum made cost
        // as many terms at the end, unknown)
        size_t z = 0;
        while (z < n && s[z].hi == 0 && s[z].lo == 0) ++z;
        if (z == n) {
            v = 0;  // exactly 0
        } else if (z > 0) {
            Series t(n, DD{NAN, NAN});
            for (size_t k = 0; k + z < n; ++k) t[k] = s[k + z];
            s = std::move(t);
            v += static_cast<int>(z);
        }
        if (kind != Kind::Constant && !finite(s[0])) return std::nullopt;
        series[e] = std::move(s);
        order[e] = v;
    }
    if (kinked.count(root)) return std::nullopt;
    auto result = regular(root);
    if (!result) return std::nullopt;  // a pole
    std::vector<double> out;
    for (const DD& c : *result) {
        if (out.size() == static_cast<size_t>(terms)) break;
        if (!finite(c)) return std::nullopt;
        out.push_back(c.hi + c.lo);
    }
    return out;
}

}  // namespace actjit
