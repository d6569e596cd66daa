// The counter-based generator behind uniform(lo, hi) (LANGUAGE.md §3): a draw is a
// pure function of (seed, element index), so a backward kernel sees the same draws as
// the forward kernel without storing them. Philox-4x32-10 (Salmon, Moraes, Dror & Shaw,
// "Parallel Random Numbers: As Easy as 1, 2, 3", SC 2011), counter (index, 0), key
// seed; the JIT emits the same function on vectors (compiler/llvm/vecmath/philox.cpp).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace actjit {

inline constexpr int philox_rounds = 10;
inline constexpr uint32_t philox_m0 = 0xD2511F53, philox_m1 = 0xCD9E8D57;  // multipliers
inline constexpr uint32_t philox_w0 = 0x9E3779B9, philox_w1 = 0xBB67AE85;  // key increments

inline std::array<uint32_t, 4> philox4x32(std::array<uint32_t, 4> ctr, std::array<uint32_t, 2> key) {
    for (int round = 0; round < philox_rounds; ++round) {
        if (round > 0) {
            key[0] += philox_w0;
            key[1] += philox_w1;
        }
        uint64_t p0 = uint64_t{philox_m0} * ctr[0], p1 = uint64_t{philox_m1} * ctr[2];
        ctr = {static_cast<uint32_t>(p1 >> 32) ^ ctr[1] ^ key[0], static_cast<uint32_t>(p1),
               static_cast<uint32_t>(p0 >> 32) ^ ctr[3] ^ key[1], static_cast<uint32_t>(p0)};
    }
    return ctr;
}

// 53 random bits for (seed, index).
inline uint64_t random_bits(uint64_t seed, uint64_t index) {
    auto out = philox4x32({static_cast<uint32_t>(index), static_cast<uint32_t>(index >> 32), 0, 0},
                          {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)});
    return (uint64_t{out[0]} << 21) | (out[1] >> 11);
}

// A value in [lo, hi): lo + (hi - lo) * u with u = random_bits / 2^53, in double (an
// f32 kernel rounds the draw to float with the rest of its arithmetic). Should rounding
// reach hi, the largest double below hi is used instead; when hi <= lo the draw is lo.
template <typename T>
T uniform_draw(T lo, T hi, uint64_t seed, uint64_t index) {
    double u = static_cast<double>(random_bits(seed, index)) * 0x1p-53;
    if (!(hi > lo)) return lo;
    double v = static_cast<double>(lo) + (static_cast<double>(hi) - static_cast<double>(lo)) * u;
    return static_cast<T>(v < hi ? v : std::nextafter(static_cast<double>(hi), -INFINITY));
}

}  // namespace actjit
