// uniform()'s generator is Philox-4x32-10: the known-answer vectors published with
// Random123 (kat_vectors: counter, key -> output), and the draw's range.
#include <doctest/doctest.h>

#include "compiler/random.hpp"

using namespace actjit;

TEST_CASE("Philox-4x32-10 gives Random123's known answers") {
    CHECK(philox4x32({0, 0, 0, 0}, {0, 0}) == std::array<uint32_t, 4>{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
    CHECK(philox4x32({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}) ==
          std::array<uint32_t, 4>{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
    CHECK(philox4x32({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}) ==
          std::array<uint32_t, 4>{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
}

TEST_CASE("a draw lies between lo and below hi, and is lo when hi <= lo") {
    for (uint64_t i = 0; i < 10000; ++i) {
        double v = uniform_draw<double>(0.125, 1.0 / 3, 9, i);
        CHECK(v >= 0.125);
        CHECK(v < 1.0 / 3);
    }
    CHECK(uniform_draw<double>(2.0, 2.0, 1, 5) == 2.0);
    CHECK(uniform_draw<double>(3.0, 1.0, 1, 5) == 3.0);
    // 53 bits of the output: a draw from [0, 1) is a multiple of 2^-53.
    double u = uniform_draw<double>(0.0, 1.0, 123, 456);
    CHECK(u * 0x1p53 == static_cast<double>(static_cast<uint64_t>(u * 0x1p53)));
}
