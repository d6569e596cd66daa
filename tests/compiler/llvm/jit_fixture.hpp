// Compile a definition's kernels and run them over arrays, for the backend's tests.
#pragma once

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "compiler/gradient.hpp"
#include "compiler/llvm/kernels.hpp"

namespace actjit::testing {

using Packed = void (*)(void* const* arrays, int64_t n, const void* params, uint64_t seed, int64_t first);

// The CPUs every test runs on: the host's, and the paths a test can force on it.
inline std::vector<std::string> test_cpus() {
    std::vector<std::string> cpus{""};
    jit::Target host = jit::choose_target("host");
    if (host.vector_bits >= 256) cpus.push_back("x86-64");
    if (host.vector_bits >= 512) cpus.push_back("haswell");
    return cpus;
}

template <typename T>
struct Run {
    std::vector<std::vector<T>> y;  // value, then each derivative (dy = 1)
};

// Runs forward and backward (dy = 1) on `x` (one column per input), with the arrays
// offset by `skew` elements from an aligned allocation, and in place when asked (y over
// x1, dx1 over dy). Parameter gradients are summed over the elements by the kernel.
template <typename T>
struct Kernels {
    std::shared_ptr<jit::LinkedKernels> code;
    size_t inputs = 0, learned = 0;

    std::vector<T> forward(const std::vector<std::vector<T>>& x, const std::vector<T>& params, uint64_t seed = 0,
                           size_t skew = 1, bool in_place = false) const {
        size_t n = x.empty() ? 0 : x[0].size();
        std::vector<std::vector<T>> storage(inputs + 1, std::vector<T>(n + skew + 1));
        std::vector<void*> a;
        for (size_t j = 0; j < inputs; ++j) {
            std::copy(x[j].begin(), x[j].end(), storage[j].begin() + static_cast<long>(skew));
            a.push_back(storage[j].data() + skew);
        }
        a.push_back(in_place && inputs > 0 ? a[0] : storage[inputs].data() + skew);
        reinterpret_cast<Packed>(code->forward_packed.load())(a.data(), static_cast<int64_t>(n), params.data(), seed, 0);
        T* y = static_cast<T*>(a.back());
        return std::vector<T>(y, y + n);
    }

    // Returns dx1..dxk, then one element per learned parameter (the sums).
    std::vector<std::vector<T>> backward(const std::vector<std::vector<T>>& x, const std::vector<T>& dy,
                                         const std::vector<T>& params, uint64_t seed = 0, size_t skew = 1,
                                         bool in_place = false, int64_t first = 0) const {
        size_t n = dy.size();
        std::vector<std::vector<T>> storage(2 * inputs + 1, std::vector<T>(n + skew + 1));
        std::vector<void*> a;
        for (size_t j = 0; j < inputs; ++j) {
            std::copy(x[j].begin(), x[j].end(), storage[j].begin() + static_cast<long>(skew));
            a.push_back(storage[j].data() + skew);
        }
        std::copy(dy.begin(), dy.end(), storage[inputs].begin() + static_cast<long>(skew));
        a.push_back(storage[inputs].data() + skew);
        for (size_t j = 0; j < inputs; ++j)
            a.push_back(in_place && j == 0 ? a[inputs] : storage[inputs + 1 + j].data() + skew);
        std::vector<T> sums(std::max<size_t>(learned, 1), T(0));
        a.push_back(sums.data());
        reinterpret_cast<Packed>(code->backward_packed.load())(a.data(), static_cast<int64_t>(n), params.data(), seed, first);
        std::vector<std::vector<T>> out;
        for (size_t j = 0; j < inputs; ++j) {
            T* d = static_cast<T*>(a[inputs + 1 + j]);
            out.emplace_back(d, d + n);
        }
        for (size_t q = 0; q < learned; ++q) out.push_back({sums[q]});
        return out;
    }
};

template <typename T>
Kernels<T> compile_for(Program& program, const LoweredFunction& f, const std::string& cpu, bool inference = false,
                       bool fast = false) {
    const jit::KernelOptions options{sizeof(T) == 4, inference, fast};
    Gradient g = gradient(program, f, jit::arithmetic_of(options));  // the graph users' kernels get
    Kernels<T> k;
    k.inputs = f.info->inputs.size();
    for (const ParameterInfo& p : f.info->parameters) k.learned += p.learn;
    jit::CacheOptions no_disk{true, false, {}};
    k.code = jit::compile_kernels(g, *f.info, options, jit::choose_target(cpu), no_disk);
    return k;
}

// Distance in units in the last place of T. Below T's normal range the unit is the
// smallest normal's ulp: a subnormal result carries few digits in any IEEE evaluation.
template <typename T>
double spacing(double want) {
    int e = 0;
    std::frexp(std::max(std::fabs(want), static_cast<double>(std::numeric_limits<T>::min())), &e);
    return std::ldexp(1.0, e - std::numeric_limits<T>::digits);
}

template <typename T>
double ulps(double got, double want) {
    if (std::isnan(got) || std::isnan(want)) return std::isnan(got) && std::isnan(want) ? 0 : INFINITY;
    // The truth rounded to T overflows: the kernel must give that infinity.
    if (std::isinf(static_cast<T>(want)))
        return std::isinf(static_cast<T>(got)) && std::signbit(got) == std::signbit(want) ? 0 : INFINITY;
    if (std::isinf(got)) return INFINITY;
    return std::fabs(got - want) / spacing<T>(want);
}

}  // namespace actjit::testing
