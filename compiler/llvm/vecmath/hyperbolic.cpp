// tanh, sigmoid, softplus (tools/vecmath/reference.py: hyperbolic, sigmoid, softplus).
// tanh: a + a^3 T(a^2) below 0.25, else 1 - 2 / (e^(2a) + 1) in double-double.
// sigmoid: 1 / (1 + e^-|x|) and e^-|x| / (1 + e^-|x|), never overflowing.
// softplus: x + log1p(e^-x) for x > 0, log1p(e^x) below, e^x far left.
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

std::pair<llvm::Value*, llvm::Value*> VecMath::sigmoid_pair_wide(llvm::Value* value) {
    F x{&w_, value};
    auto [pos, neg] = sigmoid_sides(x);
    F nx = -x;
    return {sigmoid_at(x, x < 0.0, pos, neg).v, sigmoid_at(nx, nx < 0.0, pos, neg).v};
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

}  // namespace actjit::jit
