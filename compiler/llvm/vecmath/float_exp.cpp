// The float-lane algorithms of exp, sigmoid and tanh (tools/vecmath/f32/reference_f32.hpp,
// operation for operation; coefficients_f32.hpp from tools/vecmath/f32/fit_f32.py).
// exp: Cody-Waite x = k ln2 + r with k from one fma against a magic constant whose bits
// then give 2^k in two factors (subnormal results rounded once; with AVX-512 one
// vscalefps from k itself, float_core.hpp), e^r by a degree-6 polynomial.
// sigmoid: 1 / (1 + e^-|x|) with the rounding of 1 + e^-|x| and of the division carried
// (q + q rho), the negative side e^-|x| times it (reference_f32.hpp: sigmoid_lean). tanh: a + a^3 T(a^2) below 0.7, else
// 1 - 2 e^-2a / (1 + e^-2a). Branch-free; NaN passes through every clamp.
#include "float_core.hpp"

namespace actjit::jit {

using namespace dsl;
using namespace dsl::f32;

namespace {

// e^r coefficients scaled by 2^i: e^(2h) as a polynomial in h.
struct Doubled {
    float c[7];
    constexpr Doubled() : c{} {
        float scale = 1;
        for (int i = 0; i < 7; ++i, scale *= 2) c[i] = exp_p6[i] * scale;
    }
};
constexpr Doubled exp2r_p6;

}  // namespace

llvm::Value* VecMath::exp_float(llvm::Value* value) {
    F x{&n_, value};
    F xc = ceil_at(89.0, floor_at(-104.0, x));  // e^-104 rounds to 0, e^89 to inf
    Reduced R = reduce(xc, magic2);
    return scale(horner(exp_p6, R.r), R).v;
}

namespace {

// sigmoid on float lanes at |x|: pos = s(|x|) = 1 / (1 + E), E = e^-|x|, as q + q rho
// rounded once (rho = 1 - q (1 + E): the rounding of 1 + E and of the division carried),
// and neg = s(-|x|) = E pos, one product more (E's own rounding stays in it).
struct SigmoidSides {
    F pos, neg;
    F E;  // e^-|x|
};
SigmoidSides sigmoid_sides(F x) {
    F n = floor_at(-104.0, neg_abs(x));
    Reduced R = reduce(n, magic2);
    F p = fma(horner(exp_p6, R.r, 1), R.r, 1.0);
    F E = scale(p, R);  // e^-|x|
    F q = 1.0 / (1.0 + E);
    F rho = fma(-q, E, 1.0 - q);  // 1 - q (1 + E), 1 - q exact
    F pos = fma(q, rho, q);
    return {pos, E * pos, E};
}

}  // namespace

llvm::Value* VecMath::sigmoid_float(llvm::Value* value) {
    F x{&n_, value};
    SigmoidSides s = sigmoid_sides(x);
    return sel(x < 0.0, s.neg, s.pos).v;
}

VecMath::SigmoidPair VecMath::sigmoid_pair_float(llvm::Value* value) {
    F x{&n_, value};
    SigmoidSides s = sigmoid_sides(x);
    // s(-x) takes the other side: at ±0 the two sides are the same number (e^-0 = 1), so
    // one compare serves both; their product is s(x) s(-x) whatever the sign of x
    M negative = x < 0.0;
    return {sel(negative, s.neg, s.pos).v, sel(negative, s.pos, s.neg).v, (s.pos * s.neg).v};
}

// With v = e^-|y| and sp = softplus(y): (1 + e^y)^2 is (1 + v)^2 / v^2 for y >= 0 and
// (1 + v)^2 for y < 0, so with N = (1 + v)^2 and D = N + (v^2 or 1):
// tanh(sp) = (N - (v^2 or 1)) / D, s(2 sp) = N / D, s(-2 sp) = (v^2 or 1) / D. The
// numerators: 1 + 2v and v (v + 2), no cancellation on either side; D as tanh's
// numerator plus 2 v^2 or 2 (one rounding); tanh by a division of its own, the sigmoids
// through 1 / D.
VecMath::SoftplusForms VecMath::softplus_forms(llvm::Value* value) {
    F y{&n_, value};
    SigmoidSides s = sigmoid_sides(y);
    F v = s.E;
    M negative = y < 0.0;
    F v2 = v * v;
    F vp2 = v + 2.0;
    F N = fma(v, vp2, 1.0);
    F other = sel(negative, num(&n_, 1.0), v2);
    F tn = sel(negative, v * vp2, fma(v, num(&n_, 2.0), 1.0));
    // D = tn + 2 v^2 or tn + 2, rounded once
    F D = fma(sel(negative, num(&n_, 0.0), v + v), v, tn + sel(negative, num(&n_, 2.0), num(&n_, 0.0)));
    F t = tn / D;
    F r = 1.0 / D;
    return {t.v, (N * r).v, (other * r).v, sel(y < 0.0, s.neg, s.pos).v, sel(y > 0.0, s.neg, s.pos).v};
}

llvm::Value* VecMath::tanh_float(llvm::Value* value) {
    F x{&n_, value};
    F a = fabs(x);
    F z = a * a;
    F small = fma(a * z, horner(tanh_T070, z), a);
    F n = floor_at(-9.5, neg_abs(x));  // tanh is 1 in float beyond 9.01
    F t = fma(n, 2.0f * inv_ln2, num(&n_, magic1));
    F kf = t - magic1;
    F h = fma(kf, -0.5f * ln2_hi, n);  // exact
    h = fma(kf, -0.5f * ln2_lo, h);
    F P = horner(exp2r_p6.c, h);
    F E = has_scalef(x.c) ? scalef(P, kf) : scale1(P, bits(t));  // e^-2a, normal
    F q = 1.0 / (1.0 + E);
    F big = fma(-2.0 * E, q, 1.0);
    F r = sel(z < 0x1.f5c28ep-2, small, big);  // 0.49 = 0.7^2
    return dsl::copysign(r, x).v;
}

}  // namespace actjit::jit
