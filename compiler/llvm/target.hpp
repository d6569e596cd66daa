// The CPU kernels are compiled for: the host's, or one forced by name (`--cpu`, or the
// environment variable ACTJIT_CPU), so that one machine can build and test every vector
// path (`x86-64` for SSE2, `haswell` for AVX2, `znver4` or `skylake-avx512` for AVX-512).
// ACTJIT_VECTOR_BITS=256 keeps the CPU but narrows the vectors (target.cpp).
#pragma once

#include <string>
#include <string_view>

namespace actjit::jit {

struct Target {
    std::string cpu;       // an LLVM CPU name
    std::string features;  // "+avx2,+fma,...": the host's, or empty (the CPU's own defaults)
    int vector_bits = 128; // 512 with AVX-512, 256 with AVX2, else 128 (SSE2)
    bool fma = false;      // fused multiply-add in hardware
    bool sse41 = false;    // roundps/roundpd (else rounding is done with the 2^52 trick)
    bool avx512 = false;   // AVX-512F: vscalefps/pd scale by 2^k in one instruction
    bool avx512vl = false; // ... also on 256- and 128-bit vectors

    // Lanes of a kernel's vectors: 16 x f32 / 8 x f64 with AVX-512.
    int lanes(bool f32) const { return vector_bits / (f32 ? 32 : 64); }
};

// `forced` if not empty, else $ACTJIT_CPU if set, else the host. An unknown CPU name is
// an error (JitError), never LLVM's abort.
Target choose_target(std::string_view forced = {});

}  // namespace actjit::jit
