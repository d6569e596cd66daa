#include "reference.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <limits>

#include "error.hpp"
#include "interpret_mpfr.hpp"

#include <mpfr.h>
#include "random.hpp"

namespace actjit {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// An interval of doubles [lo, hi] holding a value; or NaN; or unknown (this oracle
// cannot tell: MPFR decides).
struct Iv {
    double lo = 0, hi = 0;
    enum State : uint8_t { Value, NaN, Unknown } state = Value;

    static Iv point(double v) { return std::isnan(v) ? nan() : Iv{v, v}; }
    static Iv nan() { return {0, 0, NaN}; }
    static Iv unknown() { return {0, 0, Unknown}; }
    bool is_point() const { return state == Value && lo == hi; }
};

double down(double v, int steps = 1) {
    for (int i = 0; i < steps; ++i) v = std::nextafter(v, -inf);
    return v;
}
double up(double v, int steps = 1) {
    for (int i = 0; i < steps; ++i) v = std::nextafter(v, inf);
    return v;
}

// An arithmetic operation's rounded ends, widened one step each way: the exact result
// lies between.
Iv outward(double lo, double hi) {
    if (std::isnan(lo) || std::isnan(hi)) return Iv::unknown();
    return {down(lo), up(hi)};
}

// f applied to a point or, when increasing (decreasing) on the interval, to its ends;
// widened by the library's error, clamped to f's range [floor, ceiling].
template <typename F>
Iv monotone(const Iv& a, F f, bool increasing, double floor, double ceiling) {
    double x = f(a.lo), y = f(a.hi);
    if (std::isnan(x) || std::isnan(y)) return Iv::unknown();
    double lo = increasing ? x : y, hi = increasing ? y : x;
    lo = std::max(down(lo, Reference::libm_ulps), floor);
    hi = std::min(up(hi, Reference::libm_ulps), ceiling);
    return {lo, hi};
}

Iv product(const Iv& a, const Iv& b) {
    // An exact zero times a finite interval of one sign: that zero, with IEEE's sign.
    auto one_sign = [](const Iv& v) { return std::isfinite(v.lo) && std::isfinite(v.hi) && (v.lo > 0 || v.hi < 0); };
    if (a.is_point() && a.lo == 0 && one_sign(b)) return Iv::point(a.lo * b.lo);
    if (b.is_point() && b.lo == 0 && one_sign(a)) return Iv::point(a.lo * b.lo);
    double c[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    double lo = c[0], hi = c[0];
    for (double v : c) {
        if (std::isnan(v)) return Iv::unknown();  // 0 * inf in the interval
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    return outward(lo, hi);
}

// A comparison's outcome when the intervals decide it, else unknown.
Iv compare(Kind kind, const Iv& a, const Iv& b) {
    if (a.state == Iv::NaN || b.state == Iv::NaN) return Iv::point(kind == Kind::Ne ? 1 : 0);
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

double sigmoid(double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

// One node on intervals. Operations on NaN give NaN as IEEE does; anything this oracle
// cannot bound gives unknown.
Iv bound(Expr n, const std::array<Iv, 3>& v, const Environment& env) {
    for (int i = 0; i < n->arity(); ++i)
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
    case Kind::Select: {
        const Iv& chosen = v[0].lo != 0 ? v[1] : v[2];
        return chosen;
    }
    case Kind::Min:
    case Kind::Max: {
        // min(a, b) = a < b ? a : b (ties and NaN take b): decided as a comparison.
        Iv c = compare(n->kind == Kind::Min ? Kind::Lt : Kind::Gt, v[0], v[1]);
        if (c.state == Iv::Value) return c.lo != 0 ? v[0] : v[1];
        if (v[0].state != Iv::Value || v[1].state != Iv::Value) return Iv::unknown();
        // Overlapping: the result lies between the two lower (upper) ends.
        if (n->kind == Kind::Min) return {std::min(v[0].lo, v[1].lo), std::min(v[0].hi, v[1].hi)};
        return {std::max(v[0].lo, v[1].lo), std::max(v[0].hi, v[1].hi)};
    }
    default: break;
    }
    for (int i = 0; i < n->arity(); ++i)
        if (v[static_cast<size_t>(i)].state == Iv::NaN) return Iv::nan();
    const Iv& a = v[0];
    const Iv& b = v[1];
    switch (n->kind) {
    case Kind::Constant: return Iv::point(n->value);
    case Kind::Input: return Iv::point(env.inputs[n->index]);
    case Kind::Param: return Iv::point(env.params[n->index]);
    case Kind::Neg: return {-a.hi, -a.lo};
    case Kind::Abs:
        if (a.lo >= 0) return a;
        if (a.hi <= 0) return {-a.hi, -a.lo};
        return {0, std::max(-a.lo, a.hi)};
    case Kind::Sign:
        if (a.lo > 0) return Iv::point(1);
        if (a.hi < 0) return Iv::point(-1);
        if (a.is_point()) return a;  // ±0
        return Iv::unknown();
    case Kind::Add:
        if (a.is_point() && b.is_point() && std::isinf(a.lo + b.lo)) return Iv::point(a.lo + b.lo);
        return outward(a.lo + b.lo, a.hi + b.hi);
    case Kind::Sub:
        if (a.is_point() && b.is_point() && std::isinf(a.lo - b.lo)) return Iv::point(a.lo - b.lo);
        return outward(a.lo - b.hi, a.hi - b.lo);
    case Kind::Mul:
        if (a.is_point() && b.is_point()) {
            double p = a.lo * b.lo;
            if (std::isnan(p)) return Iv::nan();
            if (std::isinf(p) || a.lo == 0 || b.lo == 0) return Iv::point(p);  // exact (an overflow: below)
        }
        return product(a, b);
    case Kind::Div: {
        if (b.lo <= 0 && b.hi >= 0) return Iv::unknown();
        Iv reciprocal = outward(1 / b.hi, 1 / b.lo);
        return product(a, reciprocal);
    }
    case Kind::Pow: {
        if (!(a.lo > 0) || !b.is_point()) return Iv::unknown();
        double y = b.lo;
        double p = std::pow(a.lo, y), q = std::pow(a.hi, y);
        return monotone(a, [&](double x) { return std::pow(x, y); }, p <= q, 0, inf);
    }
    case Kind::Sqrt:
        if (a.lo < 0) return a.hi < 0 ? Iv::nan() : Iv::unknown();
        return {std::max(0.0, down(std::sqrt(a.lo))), up(std::sqrt(a.hi))};
    case Kind::Exp: return monotone(a, [](double x) { return std::exp(x); }, true, 0, inf);
    case Kind::Expm1: return monotone(a, [](double x) { return std::expm1(x); }, true, -1, inf);
    case Kind::Log:
        if (a.lo < 0) return a.hi < 0 ? Iv::nan() : Iv::unknown();
        return monotone(a, [](double x) { return std::log(x); }, true, -inf, inf);
    case Kind::Log1p:
        if (a.lo < -1) return a.hi < -1 ? Iv::nan() : Iv::unknown();
        return monotone(a, [](double x) { return std::log1p(x); }, true, -inf, inf);
    case Kind::Tanh: return monotone(a, [](double x) { return std::tanh(x); }, true, -1, 1);
    case Kind::Erf: return monotone(a, [](double x) { return std::erf(x); }, true, -1, 1);
    case Kind::Erfc: return monotone(a, [](double x) { return std::erfc(x); }, false, 0, 2);
    case Kind::Sigmoid: return monotone(a, sigmoid, true, 0, 1);
    case Kind::Softplus: return monotone(a, softplus, true, 0, inf);
    case Kind::Sin:
    case Kind::Cos: {
        if (!std::isfinite(a.lo) || !std::isfinite(a.hi)) return Iv::unknown();
        // |f(x) - f(y)| <= |x - y|: the ends' values, widened by the width.
        auto f = [&](double x) { return n->kind == Kind::Sin ? std::sin(x) : std::cos(x); };
        double x = f(a.lo), y = f(a.hi), width = a.hi - a.lo;
        return {std::max(-1.0, down(std::min(x, y) - width, Reference::libm_ulps)),
                std::min(1.0, up(std::max(x, y) + width, Reference::libm_ulps))};
    }
    case Kind::Uniform:
        if (!a.is_point() || !b.is_point()) return Iv::unknown();
        return Iv::point(env.inference ? (a.lo + b.lo) / 2 : uniform_draw<double>(a.lo, b.lo, env.seed, env.index));
    case Kind::DecayMul:
        if (b.is_point() && b.lo == 0) return Iv::point(std::copysign(0.0, a.lo) * (std::signbit(b.lo) ? -1.0 : 1.0));
        if (b.lo <= 0 && b.hi >= 0 && (std::isinf(a.lo) || std::isinf(a.hi))) return Iv::unknown();
        return product(a, b);
    default: break;
    }
    ACT_ASSERT(false, "no interval rule for {}", info(n->kind).name);
}

// The width an interval may have: 2^-10 of an ULP of a type with `digits` significand
// bits at the smaller end's magnitude.
bool narrow(const Iv& v, int digits) {
    if (v.state != Iv::Value) return v.state == Iv::NaN;
    if (!std::isfinite(v.lo) || !std::isfinite(v.hi)) return v.is_point();
    double m = std::min(std::fabs(v.lo), std::fabs(v.hi));
    if (v.lo < 0 && v.hi > 0) m = 0;
    int e = m > 0 ? std::ilogb(m) : -100000;
    int min_exponent = digits == 24 ? -126 : -1022;
    double ulp = std::ldexp(1.0, std::max(e, min_exponent) - (digits - 1));
    return v.hi - v.lo <= std::ldexp(ulp, -10);
}

}  // namespace

struct Reference::Impl {
    MpfrTape written, stabilized;
    // The interval oracle walks the written formula's tape, a value per slot.
    const std::vector<Expr>& order;
    const std::vector<std::array<uint32_t, 3>>& operands;
    const std::vector<uint32_t>& roots;
    std::vector<Iv> values;
    int digits;

    Impl(const std::vector<Expr>& r, const std::vector<Expr>& s, int d)
        : written(r, 128), stabilized(s, 128), order(written.order()), operands(written.operands()),
          roots(written.root_slots()), values(order.size()), digits(d) {}

    // Ziv: 128 bits, 256, ... until two precisions in a row agree on every root's double.
    Oracle mpfr(MpfrTape& tape, const Environment& env, std::span<Truth> out, bool& left_range, bool underflow) {
        std::vector<double> previous;
        left_range = false;
        bool agreed = false;
        for (int precision = 128; precision <= 4096 && !agreed; precision *= 2) {
            tape.set_precision(precision);
            tape.run(env, /*exponent_range=*/true, underflow);
            std::vector<double> now;
            for (size_t i = 0; i < tape.roots(); ++i) now.push_back(tape.root(i));
            bool same = !previous.empty();
            for (size_t i = 0; same && i < now.size(); ++i)
                same = std::bit_cast<uint64_t>(now[i]) == std::bit_cast<uint64_t>(previous[i]) ||
                       (std::isnan(now[i]) && std::isnan(previous[i]));
            previous = now;
            agreed = same;
        }
        for (size_t i = 0; i < tape.roots(); ++i) {
            left_range = left_range || tape.root_left_range(i);
            double v = previous[i];
            out[i] = std::isnan(v) ? Truth{0, 0, true} : Truth{v, v, false};
        }
        return agreed ? Oracle::Mpfr : Oracle::Unknown;
    }

    Oracle mpfr_with_fallback(const Environment& env, std::span<Truth> out) {
        bool left = false;
        Oracle found = mpfr(written, env, out, left, true);
        if (!left) return found;
        // The stabilized forms are built so that a term which underflows to 0 is only
        // added to, or multiplies, a finite value: there an underflow is taken as exact.
        found = mpfr(stabilized, env, out, left, false);
        return left || found == Oracle::Unknown ? Oracle::Unknown : Oracle::MpfrStabilized;
    }
};

Reference::Reference(std::vector<Expr> roots, std::vector<Expr> stabilized, int digits)
    : impl_(std::make_unique<Impl>(roots, stabilized, digits)) {
    ACT_ASSERT(roots.size() == stabilized.size(), "{} roots against {} stabilized", roots.size(), stabilized.size());
}

// MPFR keeps caches (its constants, erf's series) per thread; a thread that goes with
// them still allocated leaks them, so they go with the reference.
Reference::~Reference() {
    impl_.reset();
    mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);
}
Reference::Reference(Reference&&) noexcept = default;

Reference::Oracle Reference::evaluate(const Environment& env, std::span<Truth> out) {
    Impl& m = *impl_;
    for (size_t k = 0; k < m.order.size(); ++k) {
        std::array<Iv, 3> v;
        Expr n = m.order[k];
        for (int i = 0; i < n->arity(); ++i) v[static_cast<size_t>(i)] = m.values[m.operands[k][static_cast<size_t>(i)]];
        Iv r = bound(n, v, env);
        // An infinity from finite operands is an overflow (or a pole): the exact value
        // may be finite, and a later operation may bring it back. MPFR decides.
        if (r.state == Iv::Value && (std::isinf(r.lo) || std::isinf(r.hi)) && n->arity() > 0) {
            bool finite = true;
            for (int i = 0; i < n->arity(); ++i) {
                const Iv& o = v[static_cast<size_t>(i)];
                finite = finite && !(o.state == Iv::Value && (std::isinf(o.lo) || std::isinf(o.hi)));
            }
            if (finite) r = Iv::unknown();
        }
        m.values[k] = r;
    }
    bool all_narrow = true;
    for (uint32_t r : m.roots) all_narrow = all_narrow && narrow(m.values[r], m.digits);
    if (!all_narrow) return m.mpfr_with_fallback(env, out);
    for (size_t i = 0; i < m.roots.size(); ++i) {
        const Iv& v = m.values[m.roots[i]];
        out[i] = v.state == Iv::NaN ? Truth{0, 0, true} : Truth{v.lo, v.hi, false};
    }
    return Oracle::Interval;
}

Reference::Oracle Reference::evaluate_mpfr(const Environment& env, std::span<Truth> out) {
    return impl_->mpfr_with_fallback(env, out);
}

}  // namespace actjit
