// interval.hpp's enclosures: their arithmetic. interval_rules.cpp has each node kind's rule.
#include <bit>
#include <cmath>
#include <limits>

#include "interval_arithmetic.hpp"

namespace actjit::interval {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

Iv product(const Iv& a, const Iv& b) {
    // An exact zero times a finite interval of one sign: that zero, with IEEE's sign.
    auto one_sign = [](const Iv& v) { return finite(v) && (v.lo > 0 || v.hi < 0); };
    if (a.is_point() && a.lo == 0 && one_sign(b)) return Iv::point(a.lo * b.lo);
    if (b.is_point() && b.lo == 0 && one_sign(a)) return Iv::point(a.lo * b.lo);
    if (a.lo == a.hi || b.lo == b.hi) {
        // a point times an interval: two ends
        double p = a.lo * b.lo, q = a.lo == a.hi ? a.lo * b.hi : a.hi * b.lo;
        if (std::isnan(p) || std::isnan(q)) return Iv::unknown();
        return outward(std::min(p, q), std::max(p, q));
    }
    double c[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    double lo = c[0], hi = c[0];
    for (double v : c) {
        if (std::isnan(v)) return Iv::unknown();  // 0 * inf in the interval
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    return outward(lo, hi);
}

Iv sum(const Iv& a, const Iv& b) { return outward(a.lo + b.lo, a.hi + b.hi); }

// A point joins an anchored value's arithmetic as its anchor.
Iv as_anchor(const Iv& v) { return v.is_point() && std::isfinite(v.lo) ? Iv{0, 0, v.lo} : v; }

// The value as sign * exp(L): a plain interval of one sign, or unknown.
Iv logarithm_of(const Iv& v) {
    if (v.state == Iv::Log && v.base == 0) return v;
    Iv p = plain(v);
    if (p.state != Iv::Value || !finite(p)) return Iv::unknown();
    if (p.lo > 0) return Iv::logarithmic(1, {down(std::log(p.lo), libm_ulps), up(std::log(p.hi), libm_ulps)});
    if (p.hi < 0) return Iv::logarithmic(-1, {down(std::log(-p.hi), libm_ulps), up(std::log(-p.lo), libm_ulps)});
    return Iv::unknown();
}

// Both as sign * exp(L), the exponents added (or subtracted: quotient).
Iv logarithmic_product(const Iv& x, const Iv& y, bool quotient) {
    Iv a = logarithm_of(x), b = logarithm_of(y);
    if (a.state != Iv::Log || b.state != Iv::Log) return Iv::unknown();
    Iv l = add(a.exponent(), quotient ? negate(b.exponent()) : b.exponent());
    if (l.state != Iv::Value) return l;
    return Iv::logarithmic(a.sign * b.sign, l);
}

// A logarithmic value whose plain form keeps its precision: finite, and not so small
// that it lost digits to underflow.
bool ordinary(const Iv& v) {
    if (v.state != Iv::Log) return true;
    Iv p = plain(v);
    return finite(p) && std::max(std::fabs(p.lo), std::fabs(p.hi)) >= 0x1p-1000;
}

Iv without_base(const Iv& v) {
    Iv r = v;
    r.base = 0;
    return r;
}

// b added exactly to a base (false: not exact).
bool join_base(double& base, double b) {
    double s = base + b, bb = s - base, e = (base - (s - bb)) + (b - bb);
    if (e != 0 || !std::isfinite(s)) return false;
    base = s;
    return true;
}

// r + b, b exact: into r's base or its anchor.
Iv rebase(const Iv& r, double b) {
    if (b == 0 || r.state == Iv::NaN || r.state == Iv::Unknown) return r;
    if (r.state == Iv::Log && r.base == 0 && finite(plain(r))) {
        Iv v = r;
        v.base = b;
        return v;
    }
    return add(r, Iv::point(b));
}

}  // namespace

// `steps` doubles below (above) v: a double's magnitude bits count its place among
// those of its sign, subnormals and zero included.
double down(double v, int steps) {
    constexpr uint64_t sign = uint64_t{1} << 63, infinity = 0x7ff0000000000000;
    uint64_t b = std::bit_cast<uint64_t>(v), magnitude = b & ~sign;
    auto s = static_cast<uint64_t>(steps);
    if (magnitude >= infinity) {  // NaN, ±inf
        for (int i = 0; i < steps; ++i) v = std::nextafter(v, -inf);
        return v;
    }
    if (b & sign) return magnitude + s >= infinity ? -inf : std::bit_cast<double>(b + s);
    if (magnitude >= s) return std::bit_cast<double>(b - s);  // +0 - 0 steps stays +0
    return std::bit_cast<double>(sign | (s - magnitude));     // through 0 to the negatives
}
double up(double v, int steps) { return -down(-v, steps); }

// An arithmetic operation's rounded ends, widened one step each way: the exact result
// lies between.
Iv outward(double lo, double hi) {
    if (std::isnan(lo) || std::isnan(hi)) return Iv::unknown();
    return {down(lo), up(hi)};
}

bool finite(const Iv& v) { return std::isfinite(v.lo) && std::isfinite(v.hi); }

// exp of an interval, widened, clamped at 0.
Iv exp_of(double lo, double hi) {
    return {std::max(0.0, down(std::exp(lo), libm_ulps)), up(std::exp(hi), libm_ulps)};
}

Iv negate(const Iv& a) {
    if (a.state == Iv::Log) {
        Iv r = Iv::logarithmic(-a.sign, a.exponent());
        r.base = -a.base;
        return r;
    }
    return {-a.hi, -a.lo, -a.c};
}

// log1p(t) of an interval t > -1, widened; else unknown.
Iv log1p_of(const Iv& t) {
    if (t.state != Iv::Value || !(t.lo > -1)) return Iv::unknown();
    return {down(std::log1p(t.lo), libm_ulps), up(std::log1p(t.hi), libm_ulps)};
}

// a + b. Anchors add exactly (two-sum); the anchors' rounding error joins the interval.
Iv add(const Iv& x, const Iv& y) {
    if (x.state == Iv::Log || y.state == Iv::Log) {
        // The bases first, exactly; a point, or an anchor, joins the base of a value that
        // fits a double.
        double b = 0;
        bool exact = true;
        Iv xo = x, yo = y;
        for (Iv* o : {&xo, &yo}) {
            if (o->state == Iv::Log && o->base != 0) {
                exact = exact && join_base(b, o->base);
                o->base = 0;
            }
        }
        const Iv& lg = xo.state == Iv::Log ? xo : yo;
        Iv& rest = xo.state == Iv::Log ? yo : xo;
        if (rest.state == Iv::Value && finite(plain(lg)) && finite(rest)) {
            if (rest.is_point()) {
                exact = exact && join_base(b, rest.lo);
                rest = Iv::point(0);
            } else if (rest.c != 0) {
                exact = exact && join_base(b, rest.c);
                rest.c = 0;
            }
        }
        if (!exact) return add(plain(x), plain(y));
        if (b != 0) return rebase(add(xo, yo), b);
        if (rest.is_point() && rest.lo == 0 && lg.state == Iv::Log) return lg;
        Iv a = plain(xo), p = plain(yo);
        if (ordinary(xo) && ordinary(yo)) return add(a, p);
        // s e^L + p = s e^L (1 + t), t = s p e^-L: exp(L + log1p(t)) when t > -1.
        const Iv& big = xo.state == Iv::Log ? xo : yo;
        const Iv& other = xo.state == Iv::Log ? yo : xo;
        Iv t;
        const Iv* larger = &big;
        if (other.state == Iv::Log) {
            // t = ± e^(L2 - L1), L1 the larger exponent
            if (plain(other.exponent()).hi > plain(big.exponent()).hi) larger = &other;
            const Iv& smaller = larger == &big ? other : big;
            Iv d = plain(add(smaller.exponent(), negate(larger->exponent())));
            if (d.state != Iv::Value) return d;
            if (d.hi <= 700) {
                t = exp_of(d.lo, d.hi);
                if (larger->sign != smaller.sign) t = {-t.hi, -t.lo};
            }
            if (d.hi > 700 || t.lo <= -1) {
                // exponents known too loosely to compare (the tails of tanh(u) for |u|
                // beyond 1e15): the sum's magnitude is below twice the larger bound
                Iv p1 = plain(larger->exponent()), p2 = plain(smaller.exponent());
                double top = up(std::max(p1.hi, p2.hi) + up(std::log(2.0)));
                if (larger->sign == smaller.sign) return Iv::logarithmic(larger->sign, {std::max(p1.lo, p2.lo), top});
                double m = up(std::exp(top), libm_ulps);
                return std::isfinite(m) ? Iv{-m, m} : Iv::unknown();
            }
        } else {
            Iv p = plain(other);
            if (p.state != Iv::Value) return p;
            if (p.is_point() && std::isinf(p.lo)) return p;
            Iv minus = plain(negate(big.exponent()));
            if (!finite(p) || minus.hi > 700) return Iv::unknown();
            t = product(p, exp_of(minus.lo, minus.hi));
            if (t.state != Iv::Value) return t;
            if (big.sign < 0) t = {-t.hi, -t.lo};
        }
        Iv shift = log1p_of(t);
        if (shift.state != Iv::Value) return shift;
        return Iv::logarithmic(larger->sign, add(larger->exponent(), shift));
    }
    if (x.is_point() && y.is_point()) {
        double s = x.lo + y.lo;
        if (std::isinf(s)) return Iv::point(s);
        double bb = s - x.lo, e = (x.lo - (s - bb)) + (y.lo - bb);
        if (e == 0 && std::isfinite(s)) return Iv::point(s);  // exact
        return sum(x, y);
    }
    // A point added to a value that is not becomes the anchor: 1 + exp(x) stays exact.
    if (x.c == 0 && y.c == 0 && (!finite(x) || !finite(y))) return sum(x, y);
    Iv a = as_anchor(x), b = as_anchor(y);
    double s = a.c + b.c, bb = s - a.c, e = (a.c - (s - bb)) + (b.c - bb);
    if (!std::isfinite(s)) return add(plain(x), plain(y));
    Iv r = sum(a, b);
    if (e != 0) r = sum(r, Iv::point(e));
    r.c = s;
    return r;
}

Iv multiply(const Iv& x, const Iv& y) {
    // (b + o) y = b y + o y
    if (x.state == Iv::Log && x.base != 0) return add(multiply(Iv::point(x.base), y), multiply(without_base(x), y));
    if (y.state == Iv::Log && y.base != 0) return add(multiply(x, Iv::point(y.base)), multiply(x, without_base(y)));
    if (x.state == Iv::Log || y.state == Iv::Log) {
        // zero times a finite (however large) value
        if ((x.is_point() && x.lo == 0) || (y.is_point() && y.lo == 0)) {
            int s = (x.state == Iv::Log ? x.sign : (std::signbit(x.lo) ? -1 : 1)) *
                    (y.state == Iv::Log ? y.sign : (std::signbit(y.lo) ? -1 : 1));
            return Iv::point(s < 0 ? -0.0 : 0.0);
        }
        if (ordinary(x) && ordinary(y)) {
            Iv r = multiply(plain(x), plain(y));
            if (r.state != Iv::Value || finite(r)) return r;
        }
        return logarithmic_product(x, y, false);
    }
    Iv r;
    if (x.c == 0 && y.c == 0) {
        if (x.is_point() && y.is_point()) {
            double p = x.lo * y.lo;
            if (std::isnan(p)) return Iv::nan();
            if (x.lo == 0 || y.lo == 0 || std::isinf(x.lo) || std::isinf(y.lo)) return Iv::point(p);
            if (std::isfinite(p) && std::fabs(p) >= 0x1p-960 && std::fma(x.lo, y.lo, -p) == 0) return Iv::point(p);
        }
        r = product(x, y);
    } else {
        // (a.c + A)(b.c + B) = a.c b.c + a.c B + b.c A + A B, a.c b.c by two-product.
        Iv a = as_anchor(x), b = as_anchor(y);
        double p = a.c * b.c, e = std::fma(a.c, b.c, -p);
        if (!std::isfinite(p) || (p != 0 && std::fabs(p) < 0x1p-900)) return multiply(plain(x), plain(y));
        Iv A{a.lo, a.hi}, B{b.lo, b.hi};
        r = product(A, B);
        if (a.c != 0) r = sum(r, product(Iv::point(a.c), B));
        if (b.c != 0) r = sum(r, product(Iv::point(b.c), A));
        if (e != 0) r = sum(r, Iv::point(e));
        if (r.state != Iv::Value) return r;
        r.c = p;
    }
    // An overflow of finite operands: carried on as logarithms.
    if (r.state == Iv::Value && !finite(plain(r)) && finite(plain(x)) && finite(plain(y)))
        return logarithmic_product(x, y, false);
    return r;
}

Iv divide(const Iv& x0, const Iv& y0) {
    // a base's exactness serves sums: a quotient takes the plain value
    const Iv x = x0.state == Iv::Log && x0.base != 0 ? plain(x0) : x0;
    const Iv y = y0.state == Iv::Log && y0.base != 0 ? plain(y0) : y0;
    if (x.state == Iv::Log || y.state == Iv::Log) {
        if (x.is_point() && x.lo == 0) return Iv::point(std::signbit(x.lo) != (y.sign < 0) ? -0.0 : 0.0);
        Iv a = plain(x), b = plain(y);
        if (ordinary(x) && ordinary(y) && !(b.lo <= 0 && b.hi >= 0)) {
            Iv r = divide(a, b);
            if (r.state != Iv::Value || finite(r)) return r;
        }
        return logarithmic_product(x, y, true);
    }
    Iv a = plain(x), b = plain(y);
    if (b.lo <= 0 && b.hi >= 0) return Iv::unknown();
    if (a.is_point() && b.is_point()) {
        double q = a.lo / b.lo;
        if (std::isfinite(q) && std::fabs(q) >= 0x1p-960 && std::fma(q, b.lo, -a.lo) == 0) return Iv::point(q);
    }
    Iv r = product(a, outward(1 / b.hi, 1 / b.lo));
    if (r.state == Iv::Value && !finite(r) && finite(a) && finite(b)) return logarithmic_product(x, y, true);
    return r;
}

Iv power(const Iv& x, const Iv& b) {
    if (!b.is_point()) return Iv::unknown();
    double y = b.lo;
    bool integer = std::isfinite(y) && y == std::nearbyint(y) && std::fabs(y) < 0x1p53;
    bool odd = integer && std::fmod(y, 2) != 0;
    if (x.state == Iv::Log && x.base == 0) {
        if (x.sign < 0 && !integer) return Iv::unknown();
        Iv l = multiply(x.exponent(), b);
        if (l.state != Iv::Value) return l;
        return Iv::logarithmic(x.sign < 0 && odd ? -1 : 1, l);
    }
    // A small integer power of an anchored value, as products: 1 - tanh(u)^2 cancels in
    // the anchor.
    if ((x.c != 0 || (x.state == Iv::Log && x.base != 0)) && integer && y >= 2 && y <= 4) {
        Iv r = x;
        for (int i = 1; i < static_cast<int>(y); ++i) r = multiply(r, x);
        return r;
    }
    Iv a = plain(x);
    auto f = [y](double v) { return std::pow(v, y); };
    Iv r;
    if (a.lo > 0) {
        r = monotone(a, f, f(a.lo) <= f(a.hi), 0, inf);
    } else if (integer && y > 0 && a.is_point() && a.lo == 0) {
        return Iv::point(f(a.lo));
    } else if (integer && (a.hi < 0 || y > 0)) {
        // an integer power: monotone on each side of 0; an even one through 0 from 0
        if (a.hi < 0 || odd) {
            r = monotone(a, f, f(a.lo) <= f(a.hi), -inf, inf);
        } else {
            r = {0, up(std::max(f(a.lo), f(a.hi)), libm_ulps)};
        }
    } else {
        return Iv::unknown();
    }
    if (r.state == Iv::Value && !finite(r) && finite(a) && (a.lo > 0 || (a.hi < 0 && integer)))
        return power(logarithm_of(a), b);
    return r;
}

Iv Iv::point(double v) { return std::isnan(v) ? nan() : Iv{v, v}; }

Iv plain(const Iv& v) {
    switch (v.state) {
    case Iv::Value:
        if (v.c == 0) return v;
        if (v.lo == 0 && v.hi == 0) return Iv::point(v.c);
        return outward(v.c + v.lo, v.c + v.hi);
    case Iv::Log: {
        Iv l = plain(v.exponent());
        Iv m = exp_of(l.lo, l.hi);
        if (v.sign < 0) m = {-m.hi, -m.lo};
        return v.base == 0 ? m : outward(v.base + m.lo, v.base + m.hi);
    }
    default: return v;
    }
}

bool narrow(const Iv& v, int digits) {
    if (v.state != Iv::Value) return v.state == Iv::NaN;
    if (!finite(v)) return v.is_point();
    double m = std::min(std::fabs(v.lo), std::fabs(v.hi));
    if (v.lo < 0 && v.hi > 0) m = 0;
    int e = m > 0 ? std::ilogb(m) : -100000;
    int min_exponent = digits == 24 ? -126 : -1022;
    double ulp = std::ldexp(1.0, std::max(e, min_exponent) - (digits - 1));
    return v.hi - v.lo <= std::ldexp(ulp, -10);
}

}  // namespace actjit::interval
