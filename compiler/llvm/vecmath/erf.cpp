// erf, erfc (tools/vecmath/reference.py: erf, erfc). |x| < 0.5: erf(x) = x P(x^2).
// Beyond: erfc(a) = e^(-a^2) H(t) / a with t = (a - K) / (a + K), H minimax, e^(-a^2)
// from the exact square a^2 as a double-double; erf = 1 - erfc, erfc(-a) = 2 - erfc(a).
#include "core.hpp"

#include "coefficients.hpp"

namespace actjit::jit {

using namespace dsl;
using namespace vecmath;

namespace {

struct Tail {
    I k;
    F ph, pl;  // erfc(a) = 2^k (ph + pl)
};

Tail erfc_tail(F a) {
    auto [sqh, sql] = two_prod(a, a);
    ExpDD e = exp_dd(-sqh, -sql);
    F vh = 1.0 / a;
    F vl = fma(-vh, a, 1.0) * vh;
    auto [nh, nl] = two_sum(a, -erfc_k);
    auto [dh, dl] = two_sum(a, erfc_k);
    F th = nh / dh;
    F rem = fma(-th, dh, nh) + (nl - th * dl);
    F tl = rem * ((1.0 - th) * erfc_inv2k);
    F hh = horner(erfc_f64, th, 3);
    F hl = num(a.c, 0);
    for (int j : {2, 1, 0}) {
        auto [ph, pe0] = two_prod(th, hh);
        F pe = pe0 + (th * hl + tl * hh);
        auto [sh, se] = two_sum(erfc_f64[j], ph);
        hh = sh;
        hl = (se + pe) + erfc_f64_lo[j];
    }
    auto [gh, ge] = two_prod(hh, vh);
    F gl = ge + (hh * vl + hl * vh);
    auto [ph, pe] = two_prod(e.yh, gh);
    F pl = pe + (e.yh * gl + e.yl * gh);
    return {e.k, ph, pl};
}

DD erf_small(F x) {
    F z = x * x;
    F e = x * horner(erf_f64, z);
    auto [ah, al] = two_prod(x, 1.125);
    auto [sh, se] = two_sum(ah, e);
    return {sh, se + al};
}

}  // namespace

llvm::Value* VecMath::erf_wide(llvm::Value* value) {
    F x{&w_, value};
    F a = fabs(x);
    auto [sh, sl] = erf_small(x);
    F small = sh + sl;
    F tiny = fma(x, two_over_sqrtpi_hi, x * two_over_sqrtpi_lo);
    F ac = sel(a > 0.5, a, 0.5);
    ac = sel(ac < 6.0, ac, 6.0);
    Tail t = erfc_tail(ac);
    F T = pow2i(t.k);
    F qh = T * t.ph, ql = T * t.pl;
    auto [eh, e1] = fast_two_sum(1.0, -qh);
    F big = dsl::copysign(eh + (e1 - ql), x);
    F r = sel(a < 0.5, small, big);
    r = sel(a < 0x1p-28, tiny, r);
    r = sel(a >= erf_one, dsl::copysign(1.0, x), r);
    return sel(isnan(x), x, r).v;
}

llvm::Value* VecMath::erfc_wide(llvm::Value* value) {
    F x{&w_, value};
    F a = fabs(x);
    auto [sh, sl] = erf_small(x);
    auto [ch, c1] = fast_two_sum(1.0, -sh);
    F small = ch + (c1 - sl);
    F ac = sel(a > 0.5, a, 0.5);
    ac = sel(ac < 27.3, ac, 27.3);
    Tail t = erfc_tail(ac);
    F pos = scale(t.ph + t.pl, t.k);
    F T = pow2i(max(t.k, -200));
    F qh = T * t.ph, ql = T * t.pl;
    auto [nh, n1] = fast_two_sum(2.0, -qh);
    F neg = nh + (n1 - ql);
    F r = sel(a < 0.5, small, sel(x > 0.0, pos, neg));
    r = sel(x >= erfc_underflow, 0.0, r);
    r = sel(x <= -erfc_two, 2.0, r);
    return sel(isnan(x), x, r).v;
}

}  // namespace actjit::jit
