// interval.hpp's rules, one per node kind, on the arithmetic of interval_arithmetic.hpp.
#include <cmath>
#include <limits>

#include "constants.hpp"
#include "error.hpp"
#include "interval_arithmetic.hpp"
#include "random.hpp"

namespace actjit::interval {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double pi_up = 1.5707963267948968;  // pi/2 rounded up: atan's bound

// Operand counts by kind, inline (Node::arity() asks an out-of-line table).
constexpr uint8_t arities[] = {
#define ACT_KIND_ARITY(name, arity, result, operand, spelling) arity,
    ACT_NODE_KINDS(ACT_KIND_ARITY)
#undef ACT_KIND_ARITY
};
int arity(Expr n) { return arities[static_cast<size_t>(n->kind)]; }

// A comparison's outcome when the intervals decide it, else unknown.
Iv compare(Kind kind, const Iv& x, const Iv& y) {
    if (x.state == Iv::NaN || y.state == Iv::NaN) return Iv::point(kind == Kind::Ne ? 1 : 0);
    Iv a = plain(x), b = plain(y);
    if (a.state != Iv::Value || b.state != Iv::Value) return Iv::unknown();
    bool less = a.hi < b.lo, greater = a.lo > b.hi, equal = a.is_point() && b.is_point() && a.lo == b.lo;
    bool decided = less || greater || equal;
    if (!decided) return Iv::unknown();
    bool r = false;
    switch (kind) {
    case Kind::Lt: r = less; break;
    case Kind::Le: r = less || equal; break;
    case Kind::Gt: r = greater; break;
    case Kind::Ge: r = greater || equal; break;
    case Kind::Eq: r = equal; break;
    case Kind::Ne: r = !equal; break;
    default: break;
    }
    return Iv::point(r ? 1 : 0);
}

double sigmoid(double x) {
    if (x >= 0) return 1 / (1 + std::exp(-x));
    double e = std::exp(x);
    return e / (1 + e);
}
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

}  // namespace

// Operations on NaN give NaN as IEEE does; anything this oracle cannot bound gives
// unknown.
Iv bound(Expr n, const std::array<Iv, 3>& v, const Environment& env) {
    for (int i = 0; i < arity(n); ++i)
        if (v[static_cast<size_t>(i)].state == Iv::Unknown) {
            // A select needs only the branch it takes.
            if (n->kind == Kind::Select && i > 0) continue;
            return Iv::unknown();
        }
    switch (n->kind) {
    case Kind::Lt: case Kind::Le: case Kind::Gt: case Kind::Ge: case Kind::Eq: case Kind::Ne:
        return compare(n->kind, v[0], v[1]);
    case Kind::And: return Iv::point(v[0].lo != 0 && v[1].lo != 0);
    case Kind::Or: return Iv::point(v[0].lo != 0 || v[1].lo != 0);
    case Kind::Not: return Iv::point(v[0].lo == 0);
    case Kind::Select: return v[0].lo != 0 ? v[1] : v[2];
    case Kind::Min:
    case Kind::Max: {
        // min(a, b) = a < b ? a : b (ties and NaN take b): decided as a comparison.
        Iv c = compare(n->kind == Kind::Min ? Kind::Lt : Kind::Gt, v[0], v[1]);
        if (c.state == Iv::Value) return c.lo != 0 ? v[0] : v[1];
        Iv a = plain(v[0]), b = plain(v[1]);
        if (a.state != Iv::Value || b.state != Iv::Value) return Iv::unknown();
        // Overlapping: the result lies between the two lower (upper) ends.
        if (n->kind == Kind::Min) return {std::min(a.lo, b.lo), std::min(a.hi, b.hi)};
        return {std::max(a.lo, b.lo), std::max(a.hi, b.hi)};
    }
    default: break;
    }
    for (int i = 0; i < arity(n); ++i)
        if (v[static_cast<size_t>(i)].state == Iv::NaN) return Iv::nan();
    const Iv& x = v[0];
    switch (n->kind) {
    case Kind::Constant:
        // a named irrational (constants.hpp): its double is within 1.5 ULP of it
        if (named_constant(n->value)) {
            double lo = n->value, hi = n->value;
            for (int i = 0; i < 2; ++i) lo = std::nextafter(lo, -INFINITY), hi = std::nextafter(hi, INFINITY);
            return {lo, hi};
        }
        return Iv::point(n->value);
    case Kind::Input: return Iv::point(env.inputs[n->index]);
    case Kind::Param: return Iv::point(env.params[n->index]);
    case Kind::Neg: return negate(x);
    case Kind::Add: return add(x, v[1]);
    case Kind::Sub: {
        const Iv& y = v[1];
        if (x.is_point() && y.is_point() && std::isinf(x.lo - y.lo)) return Iv::point(x.lo - y.lo);
        return add(x, negate(y));
    }
    case Kind::Mul: return multiply(x, v[1]);
    case Kind::Div: return divide(x, v[1]);
    case Kind::Pow: return power(x, plain(v[1]));
    default: break;
    }
    Iv a = plain(x);  // the first operand, plain
    // a logarithmic value too large for a double (else its plain form serves)
    bool log_form = x.state == Iv::Log && x.base == 0 && !finite(a);
    switch (n->kind) {
    case Kind::Abs:
        if (x.state == Iv::Log && x.base == 0) return Iv::logarithmic(1, x.exponent());
        if (a.lo >= 0) return a;
        if (a.hi <= 0) return {-a.hi, -a.lo};
        return {0, std::max(-a.lo, a.hi)};
    case Kind::Sign:
        if (a.lo > 0) return Iv::point(1);
        if (a.hi < 0) return Iv::point(-1);
        if (a.is_point()) return a;  // ±0
        return Iv::unknown();
    case Kind::Sqrt:
        if (x.state == Iv::Log && x.base == 0) {
            if (x.sign < 0) return Iv::nan();
            return Iv::logarithmic(1, multiply(x.exponent(), Iv::point(0.5)));
        }
        if (a.lo < 0) return a.hi < 0 ? Iv::nan() : Iv::unknown();
        return {std::max(0.0, down(std::sqrt(a.lo))), up(std::sqrt(a.hi))};
    case Kind::Exp: {
        if (log_form && !(a.hi < 0)) return Iv::unknown();  // exp of a huge value
        if (a.lo >= -0.5 && a.hi <= 0.5) return anchored(1, a, [](double t) { return std::expm1(t); }, true, -1, inf);
        Iv r = monotone(a, [](double t) { return std::exp(t); }, true, 0, inf);
        if (r.state == Iv::Value && std::isinf(r.hi) && std::isfinite(a.hi)) return Iv::logarithmic(1, x);
        return r;
    }
    case Kind::Expm1: {
        if (log_form && !(a.hi < 0)) return Iv::unknown();
        Iv r = monotone(a, [](double t) { return std::expm1(t); }, true, -1, inf);
        // log(e^t - 1) = t + log(1 - e^-t), within one step below t for t > 700
        if (r.state == Iv::Value && std::isinf(r.hi) && std::isfinite(a.hi) && a.lo > 700)
            return Iv::logarithmic(1, {down(a.lo), a.hi});
        return r;
    }
    case Kind::Log:
        if (log_form) return x.sign > 0 ? x.exponent() : Iv::nan();
        if (x.state == Iv::Value && x.c == 1 && x.lo > -1) return monotone(Iv{x.lo, x.hi}, [](double t) { return std::log1p(t); }, true, -inf, inf);
        if (a.lo < 0) return a.hi < 0 ? Iv::nan() : Iv::unknown();
        return monotone(a, [](double t) { return std::log(t); }, true, -inf, inf);
    case Kind::Log1p:
        if (log_form) {
            if (x.sign < 0) return Iv::nan();
            // log(1 + e^L) = L + log1p(e^-L)
            Iv minus = plain(negate(x.exponent()));
            if (minus.hi > 700) return Iv::unknown();
            return add(x.exponent(), log1p_of(exp_of(minus.lo, minus.hi)));
        }
        if (a.lo < -1) return a.hi < -1 ? Iv::nan() : Iv::unknown();
        return monotone(a, [](double t) { return std::log1p(t); }, true, -inf, inf);
    case Kind::Tanh:
        // tanh(t) = 1 - 2 sigmoid(-2t) = -1 + 2 sigmoid(2t); where that distance to ±1
        // underflows, ±(1 - exp(log(2) - 2|t| - log1p(e^-2|t|))), the last term below
        // e^-600, far less than a step of log(2) - 2|t|
        if (a.lo > 300 || a.hi < -300) {
            bool positive = a.lo > 300;
            Iv t = positive ? a : Iv{-a.hi, -a.lo};
            Iv l = add(multiply(Iv::point(-2), t), Iv{down(std::log(2.0)), up(std::log(2.0))});
            if (l.state != Iv::Value) return l;
            l.lo = down(l.lo);
            Iv r = Iv::logarithmic(positive ? -1 : 1, l);
            r.base = positive ? 1 : -1;
            return r;
        }
        if (a.lo > 0.5) return anchored(1, a, [](double t) { return -2 * sigmoid(-2 * t); }, true, -1, 0);
        if (a.hi < -0.5) return anchored(-1, a, [](double t) { return 2 * sigmoid(2 * t); }, true, 0, 1);
        return monotone(a, [](double t) { return std::tanh(t); }, true, -1, 1);
    case Kind::Erf:
        if (a.lo > 0.5) return anchored(1, a, [](double t) { return -std::erfc(t); }, true, -1, 0);
        if (a.hi < -0.5) return anchored(-1, a, [](double t) { return std::erfc(-t); }, true, 0, 1);
        return monotone(a, [](double t) { return std::erf(t); }, true, -1, 1);
    case Kind::Erfc:
        if (a.hi < -0.5) return anchored(2, a, [](double t) { return -std::erfc(-t); }, false, -1, 0);
        return monotone(a, [](double t) { return std::erfc(t); }, false, 0, 2);
    case Kind::Sigmoid:
        if (a.lo > 0.5) return anchored(1, a, [](double t) { return -sigmoid(-t); }, true, -0.5, 0);
        return monotone(a, sigmoid, true, 0, 1);
    case Kind::Softplus:
        // softplus(e^L) = e^L + log1p(exp(-e^L)): L grows by less than e^-e^L
        if (log_form && x.sign > 0) return Iv::logarithmic(1, {x.lo, up(x.hi), x.c});
        return monotone(a, softplus, true, 0, inf);
    case Kind::Sin:
    case Kind::Cos: {
        if (!finite(a)) return Iv::unknown();
        // |f(x) - f(y)| <= |x - y|: the ends' values, widened by the width.
        auto f = [&](double t) { return n->kind == Kind::Sin ? std::sin(t) : std::cos(t); };
        double p = f(a.lo), q = f(a.hi), width = a.hi - a.lo;
        return {std::max(-1.0, down(std::min(p, q) - width, libm_ulps)),
                std::min(1.0, up(std::max(p, q) + width, libm_ulps))};
    }
    case Kind::Atan: return monotone(a, [](double t) { return std::atan(t); }, true, -pi_up, pi_up);
    case Kind::Asinh: return monotone(a, [](double t) { return std::asinh(t); }, true, -inf, inf);
    // Past 700, near where they overflow, the MPFR interpreter decides.
    case Kind::Sinh:
        if (!(a.lo > -700 && a.hi < 700)) return Iv::unknown();
        return monotone(a, [](double t) { return std::sinh(t); }, true, -inf, inf);
    case Kind::Cosh: {
        if (!(a.lo > -700 && a.hi < 700)) return Iv::unknown();
        auto f = [](double t) { return std::cosh(t); };
        if (a.lo >= 0 || a.hi <= 0) return monotone(a, f, a.lo >= 0, 1, inf);
        return {1, up(std::max(f(a.lo), f(a.hi)), libm_ulps)};  // through its minimum cosh(0) = 1
    }
    case Kind::Uniform: {
        Iv b = plain(v[1]);
        if (!a.is_point() || !b.is_point()) return Iv::unknown();
        return Iv::point(env.inference ? (a.lo + b.lo) / 2 : uniform_draw<double>(a.lo, b.lo, env.seed, env.index));
    }
    case Kind::DecayMul: {
        Iv b = plain(v[1]);
        if (b.is_point() && b.lo == 0) {
            double s = log_form ? x.sign : a.lo;
            return Iv::point(std::copysign(0.0, s) * (std::signbit(b.lo) ? -1.0 : 1.0));
        }
        if (b.lo <= 0 && b.hi >= 0 && !finite(a)) return Iv::unknown();
        // (and the other way, a zero a beating an infinite f of another input: MPFR decides)
        if (independent_operands(n) && a.lo <= 0 && a.hi >= 0 && !finite(b)) return Iv::unknown();
        return multiply(x, v[1]);
    }
    default: break;
    }
    ACT_ASSERT(false, "no interval rule for {}", info(n->kind).name);
}

}  // namespace actjit::interval
