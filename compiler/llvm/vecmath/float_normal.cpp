// The normal distribution's two functions on float lanes, from a table (gelu's value and
// slope: erfc(±x / sqrt(2)) and exp(-x^2 / 2)), indexed by y = |x| itself, so that the
// rounding of x / sqrt(2) never enters.
//
// At y0 = i / 128, i = 0 ... 1857 (y <= 14.5: beyond, both underflow), the table holds
// Q = erfc(y0 / sqrt(2)) and E = exp(-y0^2 / 2), each times 2^64 (so that no entry is
// subnormal) and rounded to float once, computed from libm's double functions when a
// kernel first needs it. With d = y - y0 (|d| <= 1/256, exact):
//   exp(-y^2 / 2) = E e^w,  w = -d (y0 + d / 2), e^w by its Taylor polynomial of
//                   degree 4 (|w| <= 0.057: the remainder is below 2^-27 relative);
//   erfc(y / sqrt(2)) = Q - sqrt(2/pi) E B,  B = integral over [0, d] of e^(-y0 s - s^2/2)
//                   = d - y0 d^2 / 2 + (y0^2 - 1) d^3 / 6 - (y0^3 - 3 y0) d^4 / 24 + ...
//                   (the Hermite polynomials; the next term is below 2^-27 of the result:
//                   the correction itself is at most y d ~ 0.057 of Q);
// both scaled back by 2^-64 in one rounding. erfc(u) for u < 0 is 2 - erfc(-u). A NaN y
// reads entry 1857 (the index is clamped) and stays NaN through d.
#include <bit>
#include <cmath>
#include <mutex>
#include <vector>

#include <llvm/IR/Constants.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/Module.h>

#include "float_core.hpp"

namespace actjit::jit {

using namespace dsl;
using namespace dsl::f32;

namespace {

constexpr int per_unit = 128;                          // entries per unit of y
constexpr int entries = 14 * per_unit + per_unit / 2 + 2;  // y0 up to 14.5 + 1/128
constexpr double scale_up = 0x1p64;

// {Q, E} interleaved: an entry's two values share a cache line.
const std::vector<float>& normal_table() {
    static std::vector<float> table;
    static std::once_flag once;
    std::call_once(once, [] {
        table.resize(2 * entries);
        for (int i = 0; i < entries; ++i) {
            double y0 = static_cast<double>(i) / per_unit;
            table[2 * static_cast<size_t>(i)] = static_cast<float>(std::erfc(y0 * M_SQRT1_2) * scale_up);
            table[2 * static_cast<size_t>(i) + 1] = static_cast<float>(std::exp(-0.5 * y0 * y0) * scale_up);
        }
    });
    return table;
}

// The table as a constant of the kernel's module (one per module: the object on disk
// carries its own).
llvm::Constant* table_in(llvm::Module& module) {
    const char* name = "actjit.normal_table";
    if (llvm::GlobalVariable* g = module.getGlobalVariable(name, true)) return g;
    const std::vector<float>& t = normal_table();
    llvm::Constant* data = llvm::ConstantDataArray::get(module.getContext(), llvm::ArrayRef<float>(t));
    auto* g = new llvm::GlobalVariable(module, data->getType(), true, llvm::GlobalValue::PrivateLinkage, data, name);
    g->setAlignment(llvm::Align(64));
    return g;
}

// y = min(|x|, 14.5), its entry (Q, E, y0) and d = y - y0.
struct Entry {
    F y0, d, Q, E;
};
Entry entry(F x) {
    Context* c = x.c;
    F y = ceil_at(14.5, fabs(x));  // NaN passes
    constexpr float magic = 0x1.8p23f;
    F t = fma(y, static_cast<double>(per_unit), num(c, magic));  // y * 128 rounded to an integer i
    F kf = t - magic;
    F d = fma(kf, -1.0 / per_unit, y);  // exact
    I i = bits(t) - integer(c, std::bit_cast<int32_t>(magic));
    i = {c, c->b.CreateBinaryIntrinsic(llvm::Intrinsic::umin, i.v, integer(c, entries - 1).v)};
    llvm::Module& module = *c->b.GetInsertBlock()->getModule();
    llvm::Constant* base = table_in(module);
    llvm::Type* f32 = c->b.getFloatTy();
    auto gather = [&](I index) {
        llvm::Value* at = c->b.CreateGEP(f32, base, index.v);
        llvm::Value* all = llvm::Constant::getAllOnesValue(llvm::FixedVectorType::get(c->b.getInt1Ty(), static_cast<unsigned>(c->lanes)));
        return F{c, c->b.CreateMaskedGather(c->f64, at, llvm::Align(4), all, llvm::PoisonValue::get(c->f64))};
    };
    I twice = i + i;
    return {kf * (1.0 / per_unit), d, gather(twice), gather(twice + 1)};
}

}  // namespace

llvm::Value* VecMath::erfc_half_scaled_float(llvm::Value* value, bool negative) {
    F x{&n_, value};
    Entry e = entry(x);
    F s2 = e.y0 * e.y0;
    F c2 = e.y0 * -0.5;
    F c3 = fma(s2, 1.0 / 6, num(&n_, -1.0 / 6));
    F c4 = e.y0 * fma(s2, -1.0 / 24, num(&n_, 1.0 / 8));
    F B = fma(e.d * e.d, fma(e.d, fma(e.d, c4, c3), c2), e.d);
    F v = fma(-(e.E * std::sqrt(2 / M_PI)), B, e.Q) * (1 / scale_up);  // erfc(|x| / sqrt(2))
    M below = negative ? x > 0.0 : x < 0.0;                         // the argument is negative
    return sel(below, 2.0 - v, v).v;
}

llvm::Value* VecMath::exp_minus_half_square_float(llvm::Value* value) {
    F x{&n_, value};
    Entry e = entry(x);
    F w = -(e.d * fma(e.d, 0.5, e.y0));
    F em1 = w * fma(w, fma(w, fma(w, 1.0 / 24, num(&n_, 1.0 / 6)), num(&n_, 0.5)), num(&n_, 1.0));  // e^w - 1
    return (fma(e.E, em1, e.E) * (1 / scale_up)).v;
}

}  // namespace actjit::jit
