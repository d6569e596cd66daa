// uniform(lo, hi): Philox-4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel Random
// Numbers: As Easy as 1, 2, 3", SC 2011) with counter (index, 0) and key seed, in
// 64-bit lanes holding 32-bit words; 53 bits of its output make u in [0, 1), and
// the draw is lo + (hi - lo) * u, as compiler/random.hpp computes it for the interpreter.
#include <limits>

#include "dsl.hpp"

#include "compiler/random.hpp"

namespace actjit::jit {

using namespace dsl;

llvm::Value* VecMath::uniform_wide(llvm::Value* vlo, llvm::Value* vhi, llvm::Value* seed, llvm::Value* indices) {
    Context* c = &w_;
    llvm::IRBuilder<>& b = w_.b;
    F lo{c, vlo}, hi{c, vhi};
    const int64_t low32 = 0xffffffff;
    I index{c, indices};
    I s{c, b.CreateVectorSplat(static_cast<unsigned>(w_.lanes), seed)};
    I ctr[4] = {index & low32, shr(index, 32), integer(c, 0), integer(c, 0)};
    I key[2] = {s & low32, shr(s, 32)};
    for (int round = 0; round < philox_rounds; ++round) {
        if (round > 0) {
            key[0] = (key[0] + static_cast<int64_t>(philox_w0)) & low32;
            key[1] = (key[1] + static_cast<int64_t>(philox_w1)) & low32;
        }
        I p0 = integer(c, philox_m0) * ctr[0];
        I p1 = integer(c, philox_m1) * ctr[2];
        I next[4] = {shr(p1, 32) ^ ctr[1] ^ key[0], p1 & low32, shr(p0, 32) ^ ctr[3] ^ key[1], p0 & low32};
        for (int k = 0; k < 4; ++k) ctr[k] = next[k];
    }
    I top = (ctr[0] << 21) | shr(ctr[1], 11);  // 53 bits
    F u = to_float(top) * 0x1p-53;
    F v = lo + (hi - lo) * u;
    // Should rounding reach hi, the largest double below it; when hi <= lo, lo.
    F below = sel(hi > 0.0, from_bits(bits(hi) - 1),
                  sel(hi < 0.0, from_bits(bits(hi) + 1), num(c, -std::numeric_limits<double>::denorm_min())));
    v = sel(v < hi, v, below);
    return sel(hi > lo, v, lo).v;
}

}  // namespace actjit::jit
