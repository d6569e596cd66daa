// Handwritten activation kernels, f32, forward and backward: what a careful C++ developer
// writes instead of using actjit (`actjit compare` and examples/05 measure the generated
// kernels against them). Two kinds:
//  - loops (loops.cpp), every activation: std:: math in the stable forms a numerics-aware
//    person uses (sigmoid through exp(-|x|), softplus as max(x, 0) + log1p(exp(-|x|)),
//    gelu through erfc), branch-free so that g++ vectorizes them into glibc's vector math
//    (-O3 -fno-math-errno, the functions declared `simd`);
//  - intrinsics (intrinsics.cpp), relu, sigmoid and gelu_tanh, in AVX-512 and AVX2 + FMA,
//    with a polynomial exp (Cephes' expf coefficients).
// Each is compiled once per instruction set and chosen for the CPU at run time, so the
// build does not depend on the machine (no -march=native).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace handwritten {

// y[i] = f(x[i]) (for swiglu, x is a and x2 is b); dx[i] = dy[i] * f'(x[i]) (for swiglu,
// dx is da and dx2 is db).
using Forward = void (*)(const float* x, const float* x2, float* y, std::size_t n);
using Backward = void (*)(const float* x, const float* x2, const float* dy, float* dx, float* dx2, std::size_t n);

struct Kernel {
    std::string activation;  // examples/activations.act's name
    std::string kind;        // "loop", "avx512", "avx2"
    Forward forward = nullptr;
    Backward backward = nullptr;
};

// The loops for every activation, in the widest instruction set this CPU has, then the
// intrinsic kernels this CPU can run.
std::vector<Kernel> kernels();
// The instruction set the loops were compiled for, as chosen: "avx512", "avx2" or "x86-64".
std::string loops_isa();

// One build of each, by instruction set (handwritten.cpp chooses).
std::vector<Kernel> loops_avx512();
std::vector<Kernel> loops_avx2();
std::vector<Kernel> loops_baseline();
std::vector<Kernel> intrinsics_avx512();
std::vector<Kernel> intrinsics_avx2();

}  // namespace handwritten
