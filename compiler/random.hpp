// The counter-based generator behind uniform(lo, hi) (LANGUAGE.md §3): a draw is a
// pure function of (seed, element index), so a backward kernel sees the same draws as
// the forward kernel without storing them.
#pragma once

#include <cmath>
#include <cstdint>

namespace actjit {

// SplitMix64's finalizer over the seed and index: 64 well-mixed bits per element.
inline uint64_t random_bits(uint64_t seed, uint64_t index) {
    uint64_t z = seed * 0x9e3779b97f4a7c15ull + index + 0x632be59bd9b4e019ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// A value in [lo, hi): lo + (hi - lo) * u with u in [0, 1) from the top 53 bits
// (double) or 24 bits (float). Should rounding reach hi, the largest value below hi is
// used instead; when hi <= lo the draw is lo.
template <typename T>
T uniform_draw(T lo, T hi, uint64_t seed, uint64_t index) {
    constexpr int bits = sizeof(T) == 4 ? 24 : 53;
    T u = static_cast<T>(random_bits(seed, index) >> (64 - bits)) * std::ldexp(T(1), -bits);
    if (!(hi > lo)) return lo;
    T v = lo + (hi - lo) * u;
    return v < hi ? v : std::nextafter(hi, lo);
}

}  // namespace actjit
