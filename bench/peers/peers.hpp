// The implementations a user would pick instead of actjit, behind one interface, so
// that bench/ can time them side by side with actjit's kernels and measure their
// accuracy against the same truth. Each peer fills a table of kernels; an activation a
// peer does not implement is simply absent from its table.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace bench {

// y[i] = f(x[i]). For swiglu (the one binary activation), x is a and x2 is b.
using Forward32 = void (*)(const float* x, const float* x2, float* y, std::size_t n);
// dx[i] = dy[i] * f'(x[i]); for swiglu, dx is da and dx2 is db.
using Backward32 = void (*)(const float* x, const float* x2, const float* dy, float* dx, float* dx2,
                            std::size_t n);
using Forward64 = void (*)(const double* x, const double* x2, double* y, std::size_t n);
using Backward64 = void (*)(const double* x, const double* x2, const double* dy, double* dx, double* dx2,
                            std::size_t n);

// One peer's implementation of one activation. Null members: not implemented.
struct PeerKernel {
    std::string activation;  // examples/activations.act's name: relu, leaky_relu, ..., swiglu
    Forward32 forward32 = nullptr;
    Backward32 backward32 = nullptr;
    Forward64 forward64 = nullptr;
    Backward64 backward64 = nullptr;
};

struct Peer {
    std::string name;     // "std", "libmvec", "eigen", "onednn", "sleef", "pytorch"
    std::string version;  // the library's version as it reports it (or the compiler's)
    std::string note;     // how it is built or called, one line
    std::vector<PeerKernel> kernels;
};

// Each returns the peer's table; the harness calls each once, before timing.
// Peers run single-threaded inside: bench/ splits arrays among its own threads.
Peer std_peer();      // plain loops with std:: math, g++ -O3 -march=native
Peer libmvec_peer();  // the same loops, clang -O3 -march=native -fveclib=libmvec
Peer eigen_peer();    // Eigen 3.4 array expressions
Peer onednn_peer();   // oneDNN eltwise primitives, forward and backward
Peer sleef_peer();    // SLEEF u10 vector loops
Peer pytorch_peer();  // ATen CPU kernels; only linked when libtorch is found

}  // namespace bench
