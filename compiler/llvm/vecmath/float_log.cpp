// The float-lane expm1 and softplus (tools/vecmath/f32/reference_f32.hpp).
// expm1: x = k ln2 + r, e^r - 1 = r + r^2 S(r), then 2 (T (e^r - 1) + (T - 1/2)) with
// T = 2^(k-1) (exact for the k that matter; the factor 2 keeps T finite at k = 128);
// e^r - 1 itself where k = 0.
// softplus: max(x, 0) + log1p(e^-|x|), log1p(E) = 2 atanh(E / (2 + E)) with E = 2^k P
// from a shifted reduction, the quotient's error carried, the scaling last (so the far
// left, where softplus is e^x, keeps its digits down to the subnormals).
#include "float_core.hpp"

namespace actjit::jit {

using namespace dsl;
using namespace dsl::f32;

namespace {

constexpr float magic0 = 0x1.8p23f + 126.0f;  // bits(t) << 23 is 2^(k-1)

}  // namespace

llvm::Value* VecMath::expm1_float(llvm::Value* value) {
    F x{&n_, value};
    F xc = ceil_at(88.8, floor_at(-17.5, x));  // expm1 is -1 in float below -17.4
    Reduced R = reduce(xc, magic0);
    F r2 = R.r * R.r;
    F Pm = fma(r2, horner(expm1_S, R.r), R.r);  // e^r - 1
    F T = from_bits(R.tb << 23);
    F y = 2.0 * fma(T, Pm, T - 0.5);
    F result = sel(R.kf == 0.0, Pm, y);
    return dsl::copysign(result, x).v;  // expm1(-0) = -0
}

llvm::Value* VecMath::softplus_float(llvm::Value* value) {
    F x{&n_, value};
    F n = floor_at(-120.0, neg_abs(x));
    Reduced R = reduce(n, magic2, n - exps_shift);
    F p1 = horner(exps_p6, R.r, 1);
    F P = fma(p1, R.r, 1.0);
    F rp = R.r * p1;  // P - 1
    F E = scale(P, R);
    F d = 2.0 + E;
    F dl = E - (d - 2.0);
    F q2 = 2.0 / d;
    F rho2 = fma(-q2, dl, fma(-q2, d, 2.0));  // twice 1 - q2 (d + dl) / 2
    F sq = E * q2;
    F w = sq * sq;
    F Z0 = w * horner(atanh_T3, w);  // atanh(s) / s - 1
    F inner = fma(rho2, 0.5, Z0);
    F Y = fma(rp, 1.0 + inner, inner);
    F v = fma(q2, Y, q2);
    return (floor_at(0.0, x) + scale(v, R)).v;
}

}  // namespace actjit::jit
