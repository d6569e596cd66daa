// tanh, sigmoid, softplus (tools/vecmath/reference.py: hyperbolic, sigmoid, softplus).
// tanh: a + a^3 T(a^2) below 0.25, else 1 - 2 / (e^(2a) + 1) in double-double.
// sigmoid: 1 / (1 + e^-|x|) and e^-|x| / (1 + e^-|x|), never overflowing.
// softplus: x + log1p(e^-x) for x > 0, log1p(e^x) below, e^x far left.
// sinh, cosh: (e^a ∓ e^-a) / 2 from one double-double e^a = 2^k y and its reciprocal,
// scaled once (finite up to 710.5, where e^a alone overflows at 709.8); sinh below 0.5
// a + a^3 H(a^2).
// asinh: log(1 + v), v = a + sqrt(1 + a^2) - 1 as a double-double (no cancellation at
// either end); log(a) + ln2 past 2^28; a below 2^-26.
#include "core.hpp"

#include "coefficients.hpp"

namespace actjit::jit {

using namespace dsl;
using namespace vecmath;

llvm::Value* VecMath::tanh_wide(llvm::Value* value) {
    F x{&w_, value};
    F a = fabs(x);
    F z = a * a;
    F small = fma(a * z, horner(tanh_f64, z), a);
    F ac = sel(a < 20.0, a, 20.0);  // NaN -> 20
    ExpDD e = exp_dd(2.0 * ac, num(&w_, 0));
    F T = pow2i(e.k);
    F eh = T * e.yh, el = T * e.yl;
    auto [dh, d1] = fast_two_sum(eh, 1.0);  // e^(2a) + 1
    F dl = d1 + el;
    F qh = 2.0 / dh;
    F rem = fma(-qh, dh, 2.0) - qh * dl;
    F ql = rem * (0.5 * qh);
    auto [th, t1] = fast_two_sum(1.0, -qh);
    F big = th + (t1 - ql);
    F r = sel(a < 0.25, small, big);
    r = sel(a >= tanh_one, 1.0, r);
    r = dsl::copysign(r, x);
    return sel(isnan(x), x, r).v;
}

namespace {

// sigmoid on double lanes at |x|: s(|x|) and s(-|x|), before the fixes at the ends.
std::pair<F, F> sigmoid_sides(F x) {
    Context* c = x.c;
    F a = fabs(x);
    F ac = sel(a < 746.0, a, 746.0);
    ExpDD e = exp_dd(-ac, num(c, 0));  // e^-a = 2^k y, k <= 0
    F T = pow2i(max(e.k, -100));
    F eh = T * e.yh, el = T * e.yl;
    auto [dh, d1] = fast_two_sum(1.0, eh);
    F dl = d1 + el;
    F qh = 1.0 / dh;
    F rem = fma(-qh, dh, 1.0) - qh * dl;
    F ql = rem * qh;
    F pos = qh + ql;
    F ph = e.yh * qh;
    F pl = fma(e.yh, qh, -ph) + (e.yh * ql + e.yl * qh);
    F neg = scale(ph + pl, e.k);
    return {pos, neg};
}

// The side x takes, then the ends: 1 from sigmoid_one on, 0 below sigmoid_underflow.
F sigmoid_at(F x, M negative, F pos, F neg) {
    F r = sel(negative, neg, pos);
    r = sel(x >= sigmoid_one, 1.0, r);
    r = sel(x < sigmoid_underflow, 0.0, r);
    return sel(isnan(x), x, r);
}

}  // namespace

llvm::Value* VecMath::sigmoid_wide(llvm::Value* value) {
    F x{&w_, value};
    auto [pos, neg] = sigmoid_sides(x);
    return sigmoid_at(x, x < 0.0, pos, neg).v;
}

VecMath::SigmoidPair VecMath::sigmoid_pair_wide(llvm::Value* value) {
    F x{&w_, value};
    auto [pos, neg] = sigmoid_sides(x);
    F nx = -x;
    return {sigmoid_at(x, x < 0.0, pos, neg).v, sigmoid_at(nx, nx < 0.0, pos, neg).v, nullptr};
}

llvm::Value* VecMath::softplus_wide(llvm::Value* value) {
    F x{&w_, value};
    F a = fabs(x);
    F ac = sel(a < 746.0, a, 746.0);
    ExpDD e = exp_dd(-ac, num(&w_, 0));
    F T = pow2i(max(e.k, -100));
    F eh = T * e.yh, el = T * e.yl;
    auto [uh, u1] = fast_two_sum(1.0, eh);  // 1 + e^-a = uh + u1 + el
    auto [lh, ll] = log_core(uh, u1, integer(&w_, 0), el);  // log1p(e^-a)
    auto [sh, s1] = two_sum(x, lh);
    F pos = sh + (s1 + ll);
    F neg = lh + ll;
    F far = scale(e.yh + e.yl, e.k);
    F r = sel(x > 0.0, pos, sel(x < -40.0, far, neg));
    r = sel(x < softplus_underflow, 0.0, r);
    r = sel(x >= softplus_is_x, x, r);
    return sel(isnan(x), x, r).v;
}

namespace {

// sinh(|x|) or cosh(x) before the sign, for |x| up to sinh_overflow.
F sinh_cosh(F x, bool sinh) {
    F a = fabs(x);
    F ac = sel(a < 711.0, a, 711.0);  // NaN -> 711
    ExpDD e = exp_dd(ac, num(x.c, 0));  // e^a = 2^k y
    F qh = 1.0 / e.yh;
    F ql = (fma(-qh, e.yh, 1.0) - qh * e.yl) * qh;  // 1 / y = qh + ql
    I kc = min(e.k, 60);
    F s = pow2i(-2 * kc);  // 2^-2k: below 2^-120, e^-a no longer counts
    F bh = s * qh, bl = s * ql;  // e^-a / 2^k
    F r;
    if (sinh) {
        auto [dh, d1] = fast_two_sum(e.yh, -bh);
        F m = dh + ((d1 + e.yl) - bl);
        F z = a * a;
        F small = fma(a * z, horner(sinh_f64, z), a);
        r = sel(a < 0.5, small, scale(m, e.k - 1));
    } else {
        auto [ch, c1] = fast_two_sum(e.yh, bh);
        F m = ch + ((c1 + e.yl) + bl);
        r = scale(m, e.k - 1);
    }
    return sel(a > sinh_overflow, INFINITY, r);
}

}  // namespace

llvm::Value* VecMath::sinh_wide(llvm::Value* value) {
    F x{&w_, value};
    F r = dsl::copysign(sinh_cosh(x, true), x);
    return sel(isnan(x), x, r).v;
}

llvm::Value* VecMath::cosh_wide(llvm::Value* value) {
    F x{&w_, value};
    return sel(isnan(x), x, sinh_cosh(x, false)).v;
}

llvm::Value* VecMath::asinh_wide(llvm::Value* value) {
    Context* c = &w_;
    F x{c, value};
    F a = fabs(x);
    M big = a > 0x1p28;
    F ac = sel(big, 1.0, a);
    auto [sh, sl] = two_prod(ac, ac);  // a^2
    auto [wh, w1] = two_sum(1.0, sh);
    F wl = w1 + sl;  // 1 + a^2 = wh + wl
    F rt = dsl::sqrt(wh);
    F rtl = (fma(-rt, rt, wh) + wl) / (rt + rt);  // sqrt(1 + a^2) = rt + rtl
    auto [p, pe] = two_sum(rt, -1.0);
    auto [vh, ve] = two_sum(p, ac);
    F vl = (ve + pe) + rtl;  // v = a + sqrt(1 + a^2) - 1 = vh + vl
    auto [uh, ul] = two_sum(1.0, vh);  // 1 + v = uh + ul + vl
    F u = sel(big, sel(a < INFINITY, a, num(c, 1)), uh);  // big: log(2a) = log(a) + ln2
    F ulow = sel(big, 0.0, ul);
    auto [lh, ll] = log_core(u, ulow, sel(big, integer(c, 1), integer(c, 0)), sel(big, 0.0, vl));
    F r = lh + ll;
    r = sel(a < 0x1p-26, a, r);
    r = sel(a == INFINITY, INFINITY, r);
    r = dsl::copysign(r, x);
    return sel(isnan(x), x, r).v;
}

}  // namespace actjit::jit
