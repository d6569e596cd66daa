// What the float-lane families share (float_exp.cpp, float_erf.cpp, float_log.cpp):
// tools/vecmath/f32/reference_f32.hpp's constants, Cody-Waite reduction and scaling.
#pragma once

#include <cstdint>

#include "coefficients_f32.hpp"
#include "dsl.hpp"

namespace actjit::jit::dsl::f32 {

using namespace vecmath::f32fast;

inline constexpr float inv_ln2 = 0x1.715476p+0f;
inline constexpr float ln2_hi = 0x1.62e430p-1f;   // ln2 to 24 bits: k * ln2_hi is exact
inline constexpr float ln2_lo = -0x1.05c610p-29f;  // ln2 - ln2_hi
// fma(x, 1/ln2, magic) rounds x/ln2 to an integer k in the low bits of its result;
// the bias makes those bits 2^k's exponent: 254 for two factors, 127 for one.
inline constexpr float magic2 = 0x1.8p23f + 254.0f;
inline constexpr float magic1 = 0x1.8p23f + 127.0f;

inline F floor_at(double lo, F x) { return sel(x < lo, lo, x); }  // NaN passes
inline F ceil_at(double hi, F x) { return sel(x > hi, hi, x); }   // NaN passes
inline F neg_abs(F x) { return from_bits(bits(x) | integer(x.c, INT32_MIN)); }

struct Reduced {
    F r, kf;
    I tb;  // the bits of the rounding's result: 2^k's exponent, biased
};
inline Reduced reduce(F x, float magic) {
    F t = fma(x, inv_ln2, num(x.c, magic));
    F kf = t - magic;
    F r = fma(kf, -ln2_hi, x);  // exact
    r = fma(kf, -ln2_lo, r);
    return {r, kf, bits(t)};
}

// p * 2^k for k in [-150, 128], rounded once: two exact factors 2^a, 2^b (a + b = k).
inline F scale2(F p, I tb) {
    I a = shr(tb, 1);
    I b = tb - a;
    return (p * from_bits(a << 23)) * from_bits(b << 23);
}
// p * 2^k for k in [-126, 127].
inline F scale1(F p, I tb) { return p * from_bits(tb << 23); }
// p * 2^k, k = R.kf (its biased bits R.tb), rounded once: one vscalefps with AVX-512,
// else scale2; where `m` is false, p.
inline F scale(F p, const Reduced& R) { return has_scalef(p.c) ? scalef(p, R.kf) : scale2(p, R.tb); }
inline F scale_where(M m, F p, const Reduced& R) {
    return has_scalef(p.c) ? scalef_where(m, p, R.kf) : sel(m, scale2(p, R.tb), p);
}

// k from xk, r from x (a shifted reduction, for arguments that are not exactly x).
inline Reduced reduce(F x, float magic, F xk) {
    F t = fma(xk, inv_ln2, num(x.c, magic));
    F kf = t - magic;
    F r = fma(kf, -ln2_hi, x);
    r = fma(kf, -ln2_lo, r);
    return {r, kf, bits(t)};
}
inline constexpr float exps_shift = 0x1.e27076p-5f;  // ln2/2 - ln(4/3): r in [ln(3/4), ln(3/2)]

}  // namespace actjit::jit::dsl::f32
