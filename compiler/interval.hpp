// Interval arithmetic in double, the cheap oracle of reference.hpp: one node's value from
// its operands' enclosures, every operation rounded outward, each libm function taken as
// glibc's value widened by `libm_ulps` steps each way.
//
// Plain intervals lose what a formula as written loses in double, and then MPFR must
// decide, at a thousand times the cost. Two more shapes keep the classic cases exact,
// each by an identity of real arithmetic (the value enclosed is the formula's, nothing
// is rewritten):
//  - anchored: the value is c + [lo, hi] with c a double held exactly. A function that
//    tends to a constant gives its distance to it from the library's accurate function
//    (exp(x) near 0 as 1 + expm1(x), erf(x) as ±1 ∓ erfc(|x|), tanh(x) as ±1 ∓
//    2 sigmoid(-2|x|), sigmoid(x) as 1 - sigmoid(-x)); sums and products carry c exactly
//    (the rounding error of c's own arithmetic goes into [lo, hi]), so `exp(x) - 1`,
//    `1 + erf(x)`, `1 - tanh(u)^2` and `0.5 + 0.5 * tanh(u)` cancel exactly in c, and
//    log(1 + [lo, hi]) is log1p;
//  - logarithmic: the value is b ± exp(L), L itself anchored (exp(x) is exp(x + [0, 0]),
//    so that exp(x) / (1 + exp(x)) cancels x exactly), b an exact double (0 but for a
//    function's distance to its limit that underflows, tanh(t) for t > 300, so that
//    1 - tanh(t)^2 keeps its value), made where exp overflows and carried
//    through products, quotients, powers, sums (e^L + p = e^(L + log1p(p e^-L))) and
//    back out through log: `log(1 + exp(x))` at x = 1e30, `exp(-x) / (1 + exp(-x))^2` at
//    x = -1000.
// What none of them can bound is unknown, and MPFR decides.
#pragma once

#include <array>
#include <cstdint>

#include "graph.hpp"
#include "interpret.hpp"

namespace actjit::interval {

inline constexpr int libm_ulps = 8;

struct Iv {
    // Value: the value lies in c + [lo, hi]; Log: in base + sign * exp(c + [lo, hi]).
    double lo = 0, hi = 0, c = 0;
    enum State : uint8_t { Value, Log, NaN, Unknown } state = Value;
    int8_t sign = 1;
    double base = 0;  // of a Log: tanh(400) is 1 - exp(log(2) - 800 + [lo, hi])

    static Iv point(double v);
    static Iv nan() { return {0, 0, 0, NaN}; }
    static Iv unknown() { return {0, 0, 0, Unknown}; }
    // sign * exp(exponent), the exponent a Value
    static Iv logarithmic(int sign, const Iv& exponent) {
        return {exponent.lo, exponent.hi, exponent.c, Log, static_cast<int8_t>(sign)};
    }
    Iv exponent() const { return {lo, hi, c}; }  // of a Log
    bool is_point() const { return state == Value && c == 0 && lo == hi; }
};

// One node from its operands' enclosures (unused operands: anything).
Iv bound(Expr node, const std::array<Iv, 3>& operands, const Environment& environment);

// The enclosure as a plain interval (c = 0, state Value); a logarithmic one's ends may
// be infinite.
Iv plain(const Iv& v);

// Narrow enough for a measurement: at most 2^-10 of an ULP of a type with `digits`
// significand bits at the smaller end's magnitude (NaN counts as narrow).
bool narrow(const Iv& plain_value, int digits);

}  // namespace actjit::interval
