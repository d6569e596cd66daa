// Sweeps every float32 input (all 2^32 bit patterns) through the f32 kernels of each
// vector-math function and prints the worst error in float ULP (`make sweep-f32`).
// The oracle is glibc's double function, whose error (under one double ULP) is below
// 2^-28 of a float ULP. Accurate f32 kernels evaluate in f64 lanes and round once, so
// the expected worst case is 0.5 ULP plus that; `--fast` sweeps the float-lane kernels
// of the fast precision instead. Special values are compared exactly.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "compiler/check.hpp"
#include "compiler/gradient.hpp"
#include "compiler/llvm/kernels.hpp"
#include "compiler/lower.hpp"
#include "grammar/parse.hpp"

namespace {

using Packed = void (*)(void* const* arrays, int64_t n, const void* params, uint64_t seed, int64_t first);

struct Function {
    const char* body;
    std::function<double(double)> truth;
};

double sigmoid(double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

double ulps(float got, double want) {
    float w = static_cast<float>(want);
    if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got) ? 0 : INFINITY;
    if (std::isinf(w) || std::isinf(got)) return w == got ? 0 : INFINITY;
    int e = 0;
    std::frexp(std::max(std::fabs(want), static_cast<double>(std::numeric_limits<float>::min())), &e);
    return std::fabs(static_cast<double>(got) - want) / std::ldexp(1.0, e - 24);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<Function> functions = {
        {"exp(x)", [](double x) { return std::exp(x); }},     {"expm1(x)", [](double x) { return std::expm1(x); }},
        {"log(x)", [](double x) { return std::log(x); }},     {"log1p(x)", [](double x) { return std::log1p(x); }},
        {"tanh(x)", [](double x) { return std::tanh(x); }},   {"1 / (1 + exp(-x))", sigmoid},
        {"log(1 + exp(x))", softplus},                        {"erf(x)", [](double x) { return std::erf(x); }},
        {"erfc(x)", [](double x) { return std::erfc(x); }},   {"sin(x)", [](double x) { return std::sin(x); }},
        {"cos(x)", [](double x) { return std::cos(x); }},     {"sqrt(x)", [](double x) { return std::sqrt(x); }},
        {"atan(x)", [](double x) { return std::atan(x); }},   {"sinh(x)", [](double x) { return std::sinh(x); }},
        {"cosh(x)", [](double x) { return std::cosh(x); }},   {"asinh(x)", [](double x) { return std::asinh(x); }},
        // gelu's two (the fast kernels read them from a table, float_normal.cpp)
        {"erfc(-x / sqrt(2))", [](double x) { return std::erfc(-x * M_SQRT1_2); }},
        {"exp(-(x / sqrt(2)) * (x / sqrt(2)))", [](double x) { return std::exp(-0.5 * x * x); }},
    };
    // [--fast] [NAME]: the fast precision's float-lane kernels; only the functions whose
    // body contains NAME.
    bool fast = false;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--fast") fast = true;
        else only = argv[i];
    }
    std::printf("%-20s %10s %16s %16s %16s\n", "f32 function", "worst ULP", "at x", "kernel", "glibc (double)");
    for (const Function& fn : functions) {
        if (!only.empty() && std::string(fn.body).find(only) == std::string::npos) continue;
        actjit::SourceFile file("sweep.act", std::string("f(x) = ") + fn.body + "\n");
        actjit::Diagnostics diagnostics;
        actjit::ParsedFile parsed = actjit::parse(file, diagnostics);
        actjit::Module module = actjit::check(parsed, diagnostics);
        actjit::Program program = actjit::lower(parsed, module);
        actjit::Gradient g =
            actjit::gradient(program, program.functions[0], actjit::jit::arithmetic_of({true, false, fast}));
        auto code = actjit::jit::compile_kernels(g, *program.functions[0].info, {true, false, fast},
                                                 actjit::jit::choose_target(""));
        unsigned workers = std::max(1u, std::thread::hardware_concurrency());
        std::vector<double> worst(workers, 0);
        std::vector<float> where(workers, 0), kernel(workers, 0);
        std::vector<double> truth(workers, 0);
        std::vector<std::thread> pool;
        for (unsigned w = 0; w < workers; ++w)
            pool.emplace_back([&, w] {
                constexpr uint64_t block = 1 << 16;
                std::vector<float> x(block), y(block);
                for (uint64_t start = w * block; start < (uint64_t{1} << 32); start += workers * block) {
                    for (uint64_t i = 0; i < block; ++i) {
                        uint32_t bits = static_cast<uint32_t>(start + i);
                        std::memcpy(&x[i], &bits, 4);
                    }
                    void* arrays[] = {x.data(), y.data()};
                    reinterpret_cast<Packed>(code->forward_packed.load())(arrays, block, nullptr, 0, 0);
                    for (uint64_t i = 0; i < block; ++i) {
                        double e = ulps(y[i], fn.truth(static_cast<double>(x[i])));
                        if (e > worst[w]) {
                            worst[w] = e;
                            where[w] = x[i];
                            kernel[w] = y[i];
                            truth[w] = fn.truth(static_cast<double>(x[i]));
                        }
                    }
                }
            });
        for (auto& t : pool) t.join();
        size_t k = 0;
        for (size_t w = 1; w < workers; ++w)
            if (worst[w] > worst[k]) k = w;
        std::printf("%-20s %10.4f %16.9g %16.9g %16.9g\n", fn.body, worst[k], static_cast<double>(where[k]),
                    static_cast<double>(kernel[k]), truth[k]);
        std::fflush(stdout);
    }
    return 0;
}
