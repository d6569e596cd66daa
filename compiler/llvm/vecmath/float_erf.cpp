// The float-lane erf and erfc (tools/vecmath/f32/reference_f32.hpp). Below |x| = 0.5,
// x + x E(x^2) (erfc: 1 - x and its rounding error carried). Above, erfc(a) =
// e^(-a^2) H(t), t = (a - 4) / (a + 4), a = min(|x|, 10.1): -a^2 exactly as n + nl, its
// exponential by a shifted reduction keeping r + rl, t as th with the division's error
// carried into H's first-order term, one rounding at the end and one scaling; then
// erf = ±(1 - T) and erfc = T, or 2 - T for x < 0.
#include "float_core.hpp"

namespace actjit::jit {

using namespace dsl;
using namespace dsl::f32;

namespace {

F erfc_tail(F ac) {
    F m = -ac;
    F n = m * ac;
    F nl = fma(m, ac, -n);  // -a^2 = n + nl exactly
    F tt = fma(n - exps_shift, inv_ln2, num(ac.c, magic2));
    F kf = tt - magic2;
    F r1 = fma(kf, -ln2_hi, n);  // exact
    F sm = fma(kf, -ln2_lo, nl);
    F r = r1 + sm;
    F rl = sm - (r - r1);
    F p1 = horner(exps_p6, r, 1);
    F rp = fma(r, p1, rl);
    F d = ac + 4.0;
    F dl = ac - (d - 4.0);
    F u = 1.0 / d;
    F rho = fma(-u, dl, fma(-u, d, 1.0));
    F th = fma(num(ac.c, -8.0), u, 1.0);
    F S1 = horner(erfc_H10, th, 1);
    F Rs = fma(th, S1, num(ac.c, erfc_H10[0]));
    F Cc = fma(horner(erfc_D, th) * u, rho, num(ac.c, erfc_H10_lo0));
    F inner = fma(rp, Rs, fma(rp, Cc, Cc));
    F X = fma(th, S1, inner);
    F T = num(ac.c, erfc_H10[0]) + X;
    return has_scalef(ac.c) ? scalef(T, kf) : scale2(T, bits(tt));
}

}  // namespace

llvm::Value* VecMath::erf_float(llvm::Value* value) {
    F x{&n_, value};
    F z = x * x;
    F small = fma(x, horner(erf_E, z), x);
    F ac = ceil_at(10.1, floor_at(0.5, fabs(x)));
    F big = dsl::copysign(1.0 - erfc_tail(ac), x);
    return sel(z < 0.25, small, big).v;
}

llvm::Value* VecMath::erfc_float(llvm::Value* value) {
    F x{&n_, value};
    F z = x * x;
    F E = horner(erf_E, z);
    F s = 1.0 - x;
    F e = (1.0 - s) - x;  // 1 - x = s + e exactly
    F small = s + fma(-x, E, e);
    F ac = ceil_at(10.1, floor_at(0.5, fabs(x)));
    F T = erfc_tail(ac);
    F big = sel(x < 0.0, 2.0 - T, T);
    big = sel(x > 10.1, 0.0, big);  // erfc is 0 in float from 10.05 on
    return sel(z < 0.25, small, big).v;
}

}  // namespace actjit::jit
