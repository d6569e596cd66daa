// Lesson 5: a generated kernel against a handwritten one. bench/handwritten holds the
// kernels a careful C++ developer writes (std:: math in stable forms, vectorized by the
// compiler, and AVX-512/AVX2 intrinsics); here gelu_tanh's forward, generated in both
// precisions, against them: the largest difference from a double-precision reference
// (the f64 kernel) and the time per element. `actjit compare` does this for every
// activation, against exact values. Built and run by `make test`.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <vector>

#include "handwritten.hpp"
#include "runtime/actjit.hpp"

namespace {

// The median of 9 timed calls, ns/element.
double time_per_element(const std::function<void()>& call, int64_t n) {
    std::vector<double> ns;
    call();  // warm-up
    for (int r = 0; r < 9; ++r) {
        auto start = std::chrono::steady_clock::now();
        call();
        ns.push_back(std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / n);
    }
    std::sort(ns.begin(), ns.end());
    return ns[ns.size() / 2];
}

// Distance in float ULP from the reference.
double ulps(float got, double want) {
    int e = 0;
    std::frexp(std::max(std::fabs(want), 1e-38), &e);
    return std::fabs(got - want) / std::ldexp(1.0, e - 24);
}

}  // namespace

int main() {
    actjit::Library library = actjit::Library::from_file(ACTJIT_EXAMPLES "/activations.act");
    actjit::CompileOptions fast, f64;
    fast.precision = actjit::Precision::fast;
    f64.dtype = actjit::DType::f64;
    actjit::Kernel accurate = library.compile("gelu_tanh"), quick = library.compile("gelu_tanh", fast),
                   reference = library.compile("gelu_tanh", f64);
    actjit::finish_compiling();  // time the optimized kernels

    const int64_t n = 1 << 18;  // 1 MiB of floats
    std::mt19937 random(1);
    std::uniform_real_distribution<float> spread(-8, 8);
    std::vector<float> x(n), y(n);
    std::vector<double> xd(n), truth(n);
    for (int64_t i = 0; i < n; ++i) xd[i] = x[i] = spread(random);
    const float* xs[] = {x.data()};
    const double* xds[] = {xd.data()};
    reference.forward(xds, truth.data(), n);

    struct Candidate {
        const char* name;
        std::function<void()> call;
    };
    std::vector<Candidate> candidates = {
        {"generated, accurate", [&] { accurate.forward(xs, y.data(), n); }},
        {"generated, fast", [&] { quick.forward(xs, y.data(), n); }},
    };
    for (const handwritten::Kernel& k : handwritten::kernels())
        if (k.activation == "gelu_tanh")
            candidates.push_back({k.kind == "loop" ? "handwritten loop" : k.kind == "avx512" ? "handwritten AVX-512"
                                                                                             : "handwritten AVX2",
                                  [&, k] { k.forward(x.data(), nullptr, y.data(), n); }});
    std::printf("gelu_tanh forward, %lld floats, 1 thread\n", static_cast<long long>(n));
    for (const Candidate& c : candidates) {
        double ns = time_per_element(c.call, n);
        c.call();
        double worst = 0;
        for (int64_t i = 0; i < n; ++i) worst = std::max(worst, ulps(y[i], truth[i]));
        std::printf("  %-22s %6.3f ns/element, at most %5.2f ULP from the f64 kernel\n", c.name, ns, worst);
    }
    return candidates.size() >= 3 ? 0 : 1;
}
