// A small notation for writing vector math as IR that reads like tools/vecmath/
// reference.py: F is a <W x double> value, I a <W x i64> value, M a <W x i1> mask (in
// float lanes, <W x float> and <W x i32>); the operators build IR at the builder's
// insertion point. Comparisons are ordered (false
// with a NaN operand), as in the reference.
#pragma once

#include <cmath>
#include <utility>

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/IntrinsicsX86.h>

#include "vecmath.hpp"

namespace actjit::jit::dsl {

using Context = VecMath::Context;

struct F {
    Context* c;
    llvm::Value* v;
};
struct I {
    Context* c;
    llvm::Value* v;
};
struct M {
    Context* c;
    llvm::Value* v;
};

inline bool float_lanes(const Context* c) { return c->f64->getElementType()->isFloatTy(); }
inline F num(Context* c, double k) { return {c, llvm::ConstantFP::get(c->f64, k)}; }
inline I integer(Context* c, int64_t k) { return {c, llvm::ConstantInt::get(c->i64, static_cast<uint64_t>(k), true)}; }

// ---- arithmetic ---------------------------------------------------------------------
inline F operator+(F a, F b) { return {a.c, a.c->b.CreateFAdd(a.v, b.v)}; }
inline F operator-(F a, F b) { return {a.c, a.c->b.CreateFSub(a.v, b.v)}; }
inline F operator*(F a, F b) { return {a.c, a.c->b.CreateFMul(a.v, b.v)}; }
inline F operator/(F a, F b) { return {a.c, a.c->b.CreateFDiv(a.v, b.v)}; }
inline F operator-(F a) { return {a.c, a.c->b.CreateFNeg(a.v)}; }
inline F operator+(F a, double k) { return a + num(a.c, k); }
inline F operator+(double k, F a) { return num(a.c, k) + a; }
inline F operator-(F a, double k) { return a - num(a.c, k); }
inline F operator-(double k, F a) { return num(a.c, k) - a; }
inline F operator*(F a, double k) { return a * num(a.c, k); }
inline F operator*(double k, F a) { return num(a.c, k) * a; }
inline F operator/(double k, F a) { return num(a.c, k) / a; }

inline F call(llvm::Intrinsic::ID id, std::initializer_list<F> args) {
    Context* c = args.begin()->c;
    std::vector<llvm::Value*> values;
    for (const F& a : args) values.push_back(a.v);
    return {c, c->b.CreateIntrinsic(id, {c->f64}, values)};
}
inline F sel(M m, F a, F b);
inline F fabs(F a);
// a * b + d with one rounding. Without FMA hardware LLVM would lower llvm.fma to a call
// of libm's fma, so it is emulated inline: a * b = p + e exactly by Veltkamp's
// splitting and Dekker's product (for |a|, |b| below 2^995 and a finite product;
// beyond, a * b + d), then
// (p + d) + e with the error of the sum carried: exact where the algorithms need
// exactness (the error of a product, fma(a, b, -a * b)), within an ULP elsewhere.
inline F fma(F a, F b, F d) {
    Context* c = a.c;
    if (c->target.fma) return call(llvm::Intrinsic::fma, {a, b, d});
    if (float_lanes(c)) {
        // In double, a * b is exact and the sum rounds once, then once more to float:
        // the same as a fused operation but where the double sum lands on a float tie.
        auto* wide = llvm::FixedVectorType::get(c->b.getDoubleTy(), static_cast<unsigned>(c->lanes));
        auto up = [&](F v) { return c->b.CreateFPExt(v.v, wide); };
        return {c, c->b.CreateFPTrunc(c->b.CreateFAdd(c->b.CreateFMul(up(a), up(b)), up(d)), c->f64)};
    }
    auto split = [&](F v) {
        F t = v * F{c, llvm::ConstantFP::get(c->f64, 134217729.0)};  // 2^27 + 1
        F hi = t - (t - v);
        return std::pair<F, F>{hi, v - hi};
    };
    F p = a * b;
    auto [ah, al] = split(a);
    auto [bh, bl] = split(b);
    F e = (((ah * bh - p) + ah * bl) + al * bh) + al * bl;
    F s = p + d;
    F bb = s - p;
    F t = (p - (s - bb)) + (d - bb);
    F limit{c, llvm::ConstantFP::get(c->f64, 0x1p995)};
    llvm::Value* inf = llvm::ConstantFP::getInfinity(c->f64);
    M small{c, c->b.CreateAnd(c->b.CreateAnd(c->b.CreateFCmpOLT(fabs(a).v, limit.v), c->b.CreateFCmpOLT(fabs(b).v, limit.v)),
                              c->b.CreateFCmpOLT(fabs(p).v, inf))};
    return sel(small, s + (t + e), s);
}
inline F fma(F a, double b, F d) { return fma(a, num(a.c, b), d); }
inline F fma(double a, F b, F d) { return fma(num(b.c, a), b, d); }
inline F fma(F a, F b, double d) { return fma(a, b, num(a.c, d)); }
inline F fabs(F a) { return call(llvm::Intrinsic::fabs, {a}); }
inline F copysign(F a, F b) { return call(llvm::Intrinsic::copysign, {a, b}); }
inline F copysign(double a, F b) { return copysign(num(b.c, a), b); }
inline F sqrt(F a) { return call(llvm::Intrinsic::sqrt, {a}); }
// Without SSE4.1, LLVM would lower roundeven and floor to libm calls: use the 2^52
// trick (2^23 in float lanes; exact below 2^51 or 2^22, which every caller's argument is).
inline F roundeven(F a) {
    if (a.c->target.sse41) return call(llvm::Intrinsic::roundeven, {a});
    F big = copysign(num(a.c, float_lanes(a.c) ? 0x1p23 : 0x1p52), a);
    return (a + big) - big;
}
inline F floor(F a) {
    if (a.c->target.sse41) return call(llvm::Intrinsic::floor, {a});
    F r = roundeven(a);
    return {a.c, a.c->b.CreateSelect(a.c->b.CreateFCmpOGT(r.v, a.v), (r - 1.0).v, r.v)};
}

// ---- comparisons and selects --------------------------------------------------------
inline M operator<(F a, F b) { return {a.c, a.c->b.CreateFCmpOLT(a.v, b.v)}; }
inline M operator<=(F a, F b) { return {a.c, a.c->b.CreateFCmpOLE(a.v, b.v)}; }
inline M operator>(F a, F b) { return {a.c, a.c->b.CreateFCmpOGT(a.v, b.v)}; }
inline M operator>=(F a, F b) { return {a.c, a.c->b.CreateFCmpOGE(a.v, b.v)}; }
inline M operator==(F a, F b) { return {a.c, a.c->b.CreateFCmpOEQ(a.v, b.v)}; }
inline M operator!=(F a, F b) { return {a.c, a.c->b.CreateFCmpONE(a.v, b.v)}; }
inline M operator<(F a, double k) { return a < num(a.c, k); }
inline M operator<=(F a, double k) { return a <= num(a.c, k); }
inline M operator>(F a, double k) { return a > num(a.c, k); }
inline M operator>=(F a, double k) { return a >= num(a.c, k); }
inline M operator==(F a, double k) { return a == num(a.c, k); }
inline M operator&&(M a, M b) { return {a.c, a.c->b.CreateAnd(a.v, b.v)}; }
inline M operator||(M a, M b) { return {a.c, a.c->b.CreateOr(a.v, b.v)}; }
inline M operator!(M a) { return {a.c, a.c->b.CreateNot(a.v)}; }
inline M operator==(M a, M b) { return {a.c, a.c->b.CreateICmpEQ(a.v, b.v)}; }
inline M isnan(F a) { return {a.c, a.c->b.CreateFCmpUNO(a.v, a.v)}; }
inline F sel(M m, F a, F b) { return {a.c, a.c->b.CreateSelect(m.v, a.v, b.v)}; }
inline F sel(M m, double a, F b) { return sel(m, num(b.c, a), b); }
inline F sel(M m, F a, double b) { return sel(m, a, num(a.c, b)); }
inline I sel(M m, I a, I b) { return {a.c, a.c->b.CreateSelect(m.v, a.v, b.v)}; }

// ---- integer lanes -------------------------------------------------------------------
inline I bits(F a) { return {a.c, a.c->b.CreateBitCast(a.v, a.c->i64)}; }
inline F from_bits(I a) { return {a.c, a.c->b.CreateBitCast(a.v, a.c->f64)}; }
inline I operator+(I a, I b) { return {a.c, a.c->b.CreateAdd(a.v, b.v)}; }
inline I operator-(I a, I b) { return {a.c, a.c->b.CreateSub(a.v, b.v)}; }
inline I operator*(I a, I b) { return {a.c, a.c->b.CreateMul(a.v, b.v)}; }
inline I operator&(I a, I b) { return {a.c, a.c->b.CreateAnd(a.v, b.v)}; }
inline I operator^(I a, I b) { return {a.c, a.c->b.CreateXor(a.v, b.v)}; }
inline I operator|(I a, I b) { return {a.c, a.c->b.CreateOr(a.v, b.v)}; }
inline I operator+(I a, int64_t k) { return a + integer(a.c, k); }
inline I operator-(I a, int64_t k) { return a - integer(a.c, k); }
inline I operator-(int64_t k, I a) { return integer(a.c, k) - a; }
inline I operator*(int64_t k, I a) { return integer(a.c, k) * a; }
inline I operator&(I a, int64_t k) { return a & integer(a.c, k); }
inline I operator>>(I a, int k) { return {a.c, a.c->b.CreateAShr(a.v, static_cast<uint64_t>(k))}; }
inline I shr(I a, int k) { return {a.c, a.c->b.CreateLShr(a.v, static_cast<uint64_t>(k))}; }
inline I operator<<(I a, int k) { return {a.c, a.c->b.CreateShl(a.v, static_cast<uint64_t>(k))}; }
inline M operator!=(I a, int64_t k) { return {a.c, a.c->b.CreateICmpNE(a.v, integer(a.c, k).v)}; }
inline I min(I a, int64_t k) { return {a.c, a.c->b.CreateBinaryIntrinsic(llvm::Intrinsic::smin, a.v, integer(a.c, k).v)}; }
inline I max(I a, int64_t k) { return {a.c, a.c->b.CreateBinaryIntrinsic(llvm::Intrinsic::smax, a.v, integer(a.c, k).v)}; }
// An integral, in-range double to i64 and back.
inline I to_int(F a) { return {a.c, a.c->b.CreateFPToSI(a.v, a.c->i64)}; }
inline F to_float(I a) { return {a.c, a.c->b.CreateSIToFP(a.v, a.c->f64)}; }

// ---- error-free transformations ------------------------------------------------------
using DD = std::pair<F, F>;
// Knuth: s + e == a + b exactly.
inline DD two_sum(F a, F b) {
    F s = a + b;
    F bb = s - a;
    return {s, (a - (s - bb)) + (b - bb)};
}
inline DD two_sum(double a, F b) { return two_sum(num(b.c, a), b); }
inline DD two_sum(F a, double b) { return two_sum(a, num(a.c, b)); }
// Dekker: exact when exponent(a) >= exponent(b).
inline DD fast_two_sum(F a, F b) {
    F s = a + b;
    return {s, b - (s - a)};
}
inline DD fast_two_sum(double a, F b) { return fast_two_sum(num(b.c, a), b); }
inline DD fast_two_sum(F a, double b) { return fast_two_sum(a, num(a.c, b)); }
inline DD two_prod(F a, F b) {
    F p = a * b;
    return {p, fma(a, b, -p)};
}
inline DD two_prod(F a, double b) { return two_prod(a, num(a.c, b)); }

// c[0] + c[1] z + ... (lowest degree first), by Horner's rule with fma.
template <typename C, size_t N>
F horner(const C (&c)[N], F z, size_t from = 0) {
    F p = num(z.c, c[N - 1]);
    for (size_t i = N - 1; i-- > from;) p = fma(p, z, num(z.c, c[i]));
    return p;
}

// ---- AVX-512's vscalef ---------------------------------------------------------------
// y * 2^k for an integral float k, rounded once whatever k (subnormal results included),
// in one instruction: AVX-512F on 512-bit vectors, AVX-512VL on 256- and 128-bit ones.
// Callers test has_scalef and otherwise scale by exponent bits.
inline bool has_scalef(const Context* c) {
    unsigned bits = static_cast<unsigned>(c->lanes) * (float_lanes(c) ? 32u : 64u);
    return c->target.avx512 && (bits == 512 || (c->target.avx512vl && (bits == 256 || bits == 128)));
}
// Where `m` holds, y * 2^k; elsewhere y.
inline F scalef_where(M m, F y, F k) {
    Context* c = y.c;
    llvm::IRBuilder<>& b = c->b;
    const bool f32 = float_lanes(c);
    unsigned bits = static_cast<unsigned>(c->lanes) * (f32 ? 32u : 64u);
    using namespace llvm;
    Intrinsic::ID id = bits == 512 ? (f32 ? Intrinsic::x86_avx512_mask_scalef_ps_512 : Intrinsic::x86_avx512_mask_scalef_pd_512)
                       : bits == 256 ? (f32 ? Intrinsic::x86_avx512_mask_scalef_ps_256 : Intrinsic::x86_avx512_mask_scalef_pd_256)
                                     : (f32 ? Intrinsic::x86_avx512_mask_scalef_ps_128 : Intrinsic::x86_avx512_mask_scalef_pd_128);
    // The mask as an integer of at least 8 bits, lane i in bit i.
    Value* mask = m.v;
    unsigned width = std::max(8u, static_cast<unsigned>(c->lanes));
    if (width != static_cast<unsigned>(c->lanes)) {
        SmallVector<int, 16> widen;
        for (unsigned i = 0; i < width; ++i) widen.push_back(i < static_cast<unsigned>(c->lanes) ? static_cast<int>(i) : c->lanes);
        mask = b.CreateShuffleVector(mask, Constant::getNullValue(mask->getType()), widen);
    }
    mask = b.CreateBitCast(mask, b.getIntNTy(width));
    std::vector<Value*> args{y.v, k.v, y.v, mask};
    if (bits == 512) args.push_back(b.getInt32(4));  // the current rounding mode
    return {c, b.CreateIntrinsic(id, {}, args)};
}
inline F scalef(F y, F k) {
    return scalef_where({y.c, llvm::Constant::getAllOnesValue(llvm::FixedVectorType::get(y.c->b.getInt1Ty(), static_cast<unsigned>(y.c->lanes)))}, y, k);
}

// 2^k for an integer k in [-1022, 1023]; y * 2^k with one rounding for k in [-2044, 2046].
inline F pow2i(I k) { return from_bits((k + 1023) << 52); }
inline F scale(F y, I k) {
    I k1 = k >> 1;
    return (y * pow2i(k1)) * pow2i(k - k1);
}

}  // namespace actjit::jit::dsl
