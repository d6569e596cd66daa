// exp, expm1, log, log1p, pow (tools/vecmath/reference.py: exp core, log core, pow).
// exp: k = round(x / ln2), r = x - k ln2 (Cody-Waite, ln2 in two parts), e^r as
// 1 + r + r^2/2 + r^3 P(r) with P minimax on |r| <= ln2/2, carried as a double-double;
// 2^k by exponent bits in two steps, so subnormal results round once.
// log: x = 2^k m with m in [sqrt(1/2), sqrt(2)); log(m) = 2s + (2/3)s^3 + s^5 Q(s^2),
// s = (m - 1)/(m + 1), carried as a double-double; plus k ln2.
#include "core.hpp"

#include "coefficients.hpp"

namespace actjit::jit {

namespace dsl {

using namespace vecmath;

ExpCore exp_core(F xh, F xl) {
    F k = roundeven(xh * inv_ln2);
    F rh = fma(-k, ln2_hi, xh);  // exact
    F r = fma(-k, ln2_lo, rh);
    F rl = fma(-k, ln2_lo, rh - r) + xl;
    F h = r * r;
    F hl = fma(r, r, -h);
    F h2 = 0.5 * h;
    F p = horner(exp_f64, r);
    F hr = h * r;
    F er = ((1.0 + r) + h2) + hr * p;
    F t = fma(hr, p, 0.5 * hl + rl * er);
    return {to_int(k), r, h2, t};
}

ExpDD exp_dd(F xh, F xl) {
    ExpCore e = exp_core(xh, xl);
    auto [s1, e1] = fast_two_sum(1.0, e.r);
    auto [s2, e2] = fast_two_sum(s1, e.h2);
    auto [yh, yl] = fast_two_sum(s2, (e1 + e2) + e.t);
    return {e.k, yh, yl};
}

DD log_core(F uh, F ul, I kadd) { return log_core(uh, ul, kadd, num(uh.c, 0)); }

DD log_core(F uh, F ul, I kadd, F ul2) {
    Context* c = uh.c;
    I ix = bits(uh);
    I k = (ix - integer(c, static_cast<int64_t>(std::bit_cast<uint64_t>(sqrt_half)))) >> 52;
    F m = from_bits(ix - (k << 52));
    F f = m - 1.0;
    F sc = pow2i(integer(c, 0) - min(k, 1000));
    F fc = ul * sc, fc2 = ul2 * sc;  // the low parts, scaled like m
    auto [dh, dl0] = fast_two_sum(1.0, m);
    F dl = dl0 + (fc + fc2);
    auto [nh, nl0] = fast_two_sum(f, fc);
    F nl = nl0 + fc2;
    F rcp = 1.0 / dh;
    F sh = nh * rcp;
    F rem = fma(-sh, dh, nh) + (nl - sh * dl);
    F sl = rem * rcp;
    F s2h = sh * sh;
    F s2l = fma(sh, sh, -s2h);
    F s3h = s2h * sh;
    F s3l = fma(s2h, sh, -s3h) + (s2l * sh + 3.0 * s2h * sl);
    F th = two_thirds_hi * s3h;
    F tl = fma(two_thirds_hi, s3h, -th) + (two_thirds_hi * s3l + two_thirds_lo * s3h);
    F v = (s2h * s3h) * horner(log_f64, s2h);
    F K = to_float(k + kadd);
    F kh = K * ln2_hi;
    F kl = K * ln2_lo;
    auto [a1, a1e] = two_sum(kh, 2.0 * sh);
    auto [a2, a2e] = two_sum(a1, th);
    F lo = (a1e + a2e) + (((2.0 * sl + tl) + v) + kl);
    return fast_two_sum(a2, lo);
}

// log(x) for a positive, finite x as a double-double (subnormals scaled by 2^52 first);
// any other x gives log(1): the callers fix those lanes.
DD log_of_positive(F x) {
    Context* c = x.c;
    M sub = x < 0x1p-1022;
    F uh = sel(sub, x * 0x1p52, x);
    I kadd = sel(sub, integer(c, -52), integer(c, 0));
    M ok = (x > 0.0) && (x < INFINITY);
    return log_core(sel(ok, uh, 1.0), num(c, 0), kadd);
}

}  // namespace dsl

using namespace dsl;
using namespace vecmath;

llvm::Value* VecMath::exp_wide(llvm::Value* value) {
    F x{&w_, value};
    F xc = sel(x > -746.0, x, -746.0);  // NaN -> -746, fixed at the end
    xc = sel(xc < 710.0, xc, 710.0);
    ExpDD e = exp_dd(xc, num(&w_, 0));
    F r = scale(e.yh + e.yl, e.k);
    r = sel(x > exp_overflow, INFINITY, r);
    r = sel(x < exp_underflow, 0.0, r);
    return sel(isnan(x), x, r).v;
}

llvm::Value* VecMath::expm1_wide(llvm::Value* value) {
    F x{&w_, value};
    F xc = sel(x > -40.0, x, -40.0);
    xc = sel(xc < 710.0, xc, 710.0);
    ExpCore e = exp_core(xc, num(&w_, 0));
    auto [uh, u1] = fast_two_sum(e.r, e.h2);  // e^r - 1 = uh + ul
    F ul = u1 + e.t;
    I kk = min(e.k, 1000);
    F T = pow2i(kk);
    auto [ch, cl] = two_sum(T, -1.0);  // 2^k - 1 exactly
    auto [s, er] = two_sum(ch, T * uh);
    F res = s + (er + (cl + T * ul));
    res = res * pow2i(e.k - kk);
    res = sel(x > exp_overflow, INFINITY, res);
    res = sel(x <= expm1_minus_one, -1.0, res);
    res = sel(fabs(x) < 0x1p-54, x, res);  // tiny: x itself (keeps -0)
    return sel(isnan(x), x, res).v;
}

llvm::Value* VecMath::log_wide(llvm::Value* value) {
    F x{&w_, value};
    auto [lh, ll] = log_of_positive(x);
    F r = lh + ll;
    r = sel(x == 0.0, -INFINITY, r);
    r = sel(x < 0.0, NAN, r);
    r = sel(x == INFINITY, INFINITY, r);
    return sel(isnan(x), x, r).v;
}

llvm::Value* VecMath::log1p_wide(llvm::Value* value) {
    F x{&w_, value};
    auto [uh0, ul0] = two_sum(1.0, x);  // 1 + x exactly
    M ok = (x > -1.0) && (x < INFINITY);
    F uh = sel(ok, uh0, 1.0);
    F ul = sel(ok, ul0, 0.0);
    auto [lh, ll] = log_core(uh, ul, integer(&w_, 0));
    F r = lh + ll;
    r = sel(fabs(x) < 0x1p-54, x, r);
    r = sel(x == -1.0, -INFINITY, r);
    r = sel(x < -1.0, NAN, r);
    r = sel(x == INFINITY, INFINITY, r);
    return sel(isnan(x), x, r).v;
}

// pow(a, b) = e^(b log|a|), with b log|a| as a double-double, the sign from an odd
// integer b, and the special cases of C99 Annex F.
llvm::Value* VecMath::pow_wide(llvm::Value* va, llvm::Value* vb) {
    F a{&w_, va}, b{&w_, vb};
    F ax = fabs(a);
    auto [lh, ll] = log_of_positive(ax);
    F yh = b * lh;
    F yl = fma(b, lh, -yh) + b * ll;
    M inr = fabs(yh) < 746.0;
    F ych = sel(yh > -746.0, yh, -746.0);
    ych = sel(ych < 710.0, ych, 710.0);
    F ycl = sel(inr, yl, 0.0);
    ExpDD e = exp_dd(ych, ycl);
    F r = scale(e.yh + e.yl, e.k);
    M bint = floor(b) == b;
    M bodd = bint && (fabs(b) < 0x1p53) && (floor(b * 0.5) * 2.0 != b);
    M neg = dsl::copysign(1.0, a) < 0.0;
    r = sel(neg && bodd, -r, r);
    r = sel((a < 0.0) && !bint, NAN, r);
    M binf = fabs(b) == INFINITY;
    r = sel(binf, sel((ax < 1.0) == (b > 0.0), 0.0, num(&w_, INFINITY)), r);
    r = sel(binf && (ax == 1.0), 1.0, r);
    M zero_or_inf = (ax == 0.0) || (ax == INFINITY);
    M big = (ax == INFINITY) == (b > 0.0);
    F mag = sel(big, INFINITY, num(&w_, 0));
    r = sel(zero_or_inf && !binf, sel(neg && bodd, -mag, mag), r);
    r = sel(isnan(a) || isnan(b), NAN, r);
    r = sel((a == 1.0) || (b == 0.0), 1.0, r);
    return r.v;
}

}  // namespace actjit::jit
