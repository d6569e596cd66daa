// sin, cos (tools/vecmath/reference.py: sin, cos). x = n pi/2 + r, |r| <= pi/4, r as a
// double-double: a 3-part Cody-Waite reduction (exact with fma) for |x| < 2^30, and
// Payne-Hanek with 2/pi in 24-bit limbs beyond (in a block of its own, entered only
// when some lane needs it: it gathers from the table). Then sin(r) = r + r^3 S(r^2),
// cos(r) = 1 - r^2/2 + r^4 C(r^2), and the quadrant n mod 4 picks and signs them.
// atan (reference.py: atan): |x| reduced to |t| <= tan(pi/8) by t = (|x| - 1)/(|x| + 1)
// (offset pi/4) or t = -1/|x| (offset pi/2), t as a double-double from one division;
// atan(t) = t + t^3 A(t^2), the low part of t through atan'(t) = 1/(1 + t^2).
#include <llvm/IR/Constants.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/Module.h>

#include "core.hpp"

#include "coefficients.hpp"

namespace actjit::jit {

using namespace dsl;
using namespace vecmath;

namespace {

struct Reduced {
    I q;     // n mod 4
    F rh, rl;
};

Reduced reduce_cw(F x) {
    F n = roundeven(x * two_over_pi);
    F r1 = fma(-n, pio2_1, x);
    auto [p, pe] = two_prod(n, pio2_2);
    auto [s, e] = two_sum(r1, -p);
    F lo = (e - pe) - n * pio2_3;
    auto [rh, rl] = fast_two_sum(s, lo);
    F q = n - 4.0 * floor(n * 0.25);
    return {to_int(q), rh, rl};
}

llvm::Value* table(Context* c) {
    llvm::Module* module = c->b.GetInsertBlock()->getModule();
    const char* name = "actjit.two_over_pi_24";
    if (llvm::GlobalVariable* g = module->getNamedGlobal(name)) return g;
    std::vector<double> values(std::begin(two_over_pi_24), std::end(two_over_pi_24));
    llvm::Constant* init = llvm::ConstantDataArray::get(c->b.getContext(), values);
    return new llvm::GlobalVariable(*module, init->getType(), true, llvm::GlobalValue::PrivateLinkage, init, name);
}

// |x| >= 2^30 and finite in every lane (the caller substitutes 2^30 where not).
Reduced reduce_ph(F x) {
    Context* c = x.c;
    F a = fabs(x);
    I E = (shr(bits(a), 52) & 0x7FF) - 1023;
    F X = a * pow2i(52 - E);  // an integer in [2^52, 2^53)
    F x2 = floor(X * 0x1p-48);
    F rest = X - x2 * 0x1p48;
    F x1 = floor(rest * 0x1p-24);
    F x0 = rest - x1 * 0x1p24;
    I k0 = I{c, c->b.CreateSDiv((E - 30).v, integer(c, 24).v)} - 1;
    I e0 = E - 76 - 24 * k0;
    I base = k0 + 2;
    llvm::Value* t = table(c);
    std::vector<F> tab;
    for (int j = 0; j < 11; ++j) {
        llvm::Value* at = c->b.CreateInBoundsGEP(c->b.getDoubleTy(), t, (base + j).v);
        llvm::Value* all = llvm::ConstantInt::getTrue(llvm::FixedVectorType::get(c->b.getInt1Ty(), static_cast<unsigned>(c->lanes)));
        tab.push_back({c, c->b.CreateMaskedGather(c->f64, at, llvm::Align(8), all)});
    }
    std::vector<F> D;
    for (int i = 0; i < 9; ++i) D.push_back(x0 * tab[static_cast<size_t>(i)] + x1 * tab[static_cast<size_t>(i + 1)] + x2 * tab[static_cast<size_t>(i + 2)]);
    for (int i = 8; i > 0; --i) {
        F carry = floor(D[static_cast<size_t>(i)] * 0x1p-24);
        D[static_cast<size_t>(i)] = D[static_cast<size_t>(i)] - carry * 0x1p24;
        D[static_cast<size_t>(i - 1)] = D[static_cast<size_t>(i - 1)] + carry;
    }
    F w = pow2i(e0);
    F t0 = D[0] * w;
    t0 = t0 - 4.0 * floor(t0 * 0.25);
    F A = t0 + D[1] * (w * 0x1p-24);
    F n = floor(A + 0.5);
    F hi = A - n;
    F lo = num(c, 0);
    double limb = 0x1p-24;
    for (size_t i = 2; i < 9; ++i) {
        limb *= 0x1p-24;
        auto [h, e] = two_sum(hi, D[i] * (w * limb));
        hi = h;
        lo = lo + e;
    }
    auto [fh, fl] = fast_two_sum(hi, lo);
    F rh = fh * pio2_1;
    F rl = fma(fh, pio2_1, -rh) + (fh * pio2_2 + fl * pio2_1);
    I q = to_int(n - 4.0 * floor(n * 0.25));
    M negative = x < 0.0;
    return {sel(negative, (integer(c, 4) - q) & 3, q), sel(negative, -rh, rh), sel(negative, -rl, rl)};
}

Reduced reduce_pio2(F x) {
    Context* c = x.c;
    F a = fabs(x);
    F xs = sel(a < INFINITY, x, 0.0);  // inf, NaN: any value, the result is fixed later
    Reduced cw = reduce_cw(xs);
    M far = fabs(xs) >= 0x1p30;
    // Payne-Hanek only when some lane needs it.
    llvm::IRBuilder<>& b = c->b;
    llvm::Value* any = b.CreateOrReduce(far.v);
    llvm::BasicBlock* before = b.GetInsertBlock();
    llvm::Function* f = before->getParent();
    auto* slow = llvm::BasicBlock::Create(b.getContext(), "trig.payne_hanek", f);
    auto* join = llvm::BasicBlock::Create(b.getContext(), "trig.reduced", f);
    b.CreateCondBr(any, slow, join);
    b.SetInsertPoint(slow);
    Reduced ph = reduce_ph(sel(far, xs, 0x1p30));
    Reduced mixed{sel(far, ph.q, cw.q), sel(far, ph.rh, cw.rh), sel(far, ph.rl, cw.rl)};
    llvm::BasicBlock* slow_end = b.GetInsertBlock();
    b.CreateBr(join);
    b.SetInsertPoint(join);
    auto merge = [&](llvm::Value* fast, llvm::Value* slowv) {
        llvm::PHINode* phi = b.CreatePHI(fast->getType(), 2);
        phi->addIncoming(fast, before);
        phi->addIncoming(slowv, slow_end);
        return phi;
    };
    return {I{c, merge(cw.q.v, mixed.q.v)}, F{c, merge(cw.rh.v, mixed.rh.v)}, F{c, merge(cw.rl.v, mixed.rl.v)}};
}

std::pair<F, F> sincos_kernels(F rh, F rl) {
    F z = rh * rh;
    F s = rh + fma(rh * z, horner(sin_f64, z), rl * (1.0 - 0.5 * z));
    F zl = fma(rh, rh, -z);
    F hz = 0.5 * z;
    F ch = 1.0 - hz;
    F ce = (1.0 - ch) - hz;
    F co = ch + ((ce - 0.5 * zl) + (z * z * horner(cos_f64, z) - rh * rl));
    return {s, co};
}

}  // namespace

llvm::Value* VecMath::sin_wide(llvm::Value* value) {
    F x{&w_, value};
    Reduced r = reduce_pio2(x);
    auto [s, co] = sincos_kernels(r.rh, r.rl);
    F v = sel((r.q & 1) != 0, co, s);
    v = sel((r.q & 2) != 0, -v, v);
    v = sel(fabs(x) < 0x1p-26, x, v);
    v = sel(fabs(x) < INFINITY, v, NAN);
    return sel(isnan(x), x, v).v;
}

llvm::Value* VecMath::cos_wide(llvm::Value* value) {
    F x{&w_, value};
    Reduced r = reduce_pio2(x);
    auto [s, co] = sincos_kernels(r.rh, r.rl);
    F v = sel((r.q & 1) != 0, s, co);
    v = sel(((r.q + 1) & 2) != 0, -v, v);
    v = sel(fabs(x) < INFINITY, v, NAN);
    return sel(isnan(x), x, v).v;
}

llvm::Value* VecMath::atan_wide(llvm::Value* value) {
    Context* c = &w_;
    F x{c, value};
    constexpr double tan_pi_8 = 0.41421356237309503, tan_3pi_8 = 2.414213562373095;
    F a = fabs(x);
    M mid = a > tan_pi_8, far = a > tan_3pi_8;
    auto [bnh, bnl] = two_sum(a, -1.0);  // |x| - 1
    auto [bdh, bdl] = two_sum(a, 1.0);   // |x| + 1
    F nh = sel(far, -1.0, sel(mid, bnh, a));
    F nl = sel(far, 0.0, sel(mid, bnl, num(c, 0)));
    F dh = sel(far, a, sel(mid, bdh, num(c, 1)));
    F dl = sel(far, 0.0, sel(mid, bdl, num(c, 0)));
    F rcp = 1.0 / dh;
    F th = nh * rcp;
    F rem = fma(-th, dh, nh) + (nl - th * dl);
    F tl = rem * rcp;  // t = th + tl
    F oh = sel(far, pio2_1, sel(mid, num(c, pio4_hi), num(c, 0)));
    F ol = sel(far, pio2_2, sel(mid, num(c, pio4_lo), num(c, 0)));
    F z = th * th;
    F pa = (th * z) * horner(atan_f64, z);
    F corr = tl * (1.0 - z);  // tl / (1 + t^2)
    auto [sum, e] = two_sum(oh, th);
    F r = sum + (e + ((pa + corr) + ol));
    r = sel(a == INFINITY, pio2_1, r);
    r = dsl::copysign(r, x);
    return sel(isnan(x), x, r).v;
}

}  // namespace actjit::jit
