// The arithmetic of interval.hpp's enclosures: the operations (interval.cpp) that each
// node kind's rule (interval_rules.cpp) builds on. Internal to the two.
#pragma once

#include "interval.hpp"

namespace actjit::interval {

// `steps` doubles below (above) v.
double down(double v, int steps = 1);
double up(double v, int steps = 1);
// [lo, hi] widened one step each way; unknown for a NaN end.
Iv outward(double lo, double hi);
bool finite(const Iv& v);
// exp of [lo, hi], widened, clamped at 0; log1p of t > -1, widened, else unknown.
Iv exp_of(double lo, double hi);
Iv log1p_of(const Iv& t);

// The operations on every shape (plain, anchored, logarithmic).
Iv negate(const Iv& a);
Iv add(const Iv& x, const Iv& y);
Iv multiply(const Iv& x, const Iv& y);
Iv divide(const Iv& x, const Iv& y);
Iv power(const Iv& x, const Iv& exponent);  // the exponent a point

// f applied to a point or, when increasing (decreasing) on the interval, to its ends;
// widened by the library's error, clamped to f's range [floor, ceiling].
template <typename F>
Iv monotone(const Iv& a, F f, bool increasing, double floor, double ceiling) {
    double x = f(a.lo), y = a.hi == a.lo ? x : f(a.hi);
    if (std::isnan(x) || std::isnan(y)) return Iv::unknown();
    double lo = increasing ? x : y, hi = increasing ? y : x;
    lo = std::max(down(lo, libm_ulps), floor);
    hi = std::min(up(hi, libm_ulps), ceiling);
    return {lo, hi};
}
// The same, the result anchored at c.
template <typename F>
Iv anchored(double c, const Iv& a, F f, bool increasing, double floor, double ceiling) {
    Iv r = monotone(a, f, increasing, floor, ceiling);
    if (r.state == Iv::Value) r.c = c;
    return r;
}

}  // namespace actjit::interval
