// The runtime, as a host program uses it: the C++ API (actjit.hpp) and the C API
// (actjit.h). Wrong calls are errors with a message, never crashes; learnable-parameter
// gradients match finite differences of a summed loss and do not depend on the number
// of threads; rrelu's draws are reproducible, the same in forward and backward, and
// spread over [lower, upper).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <vector>

#include "runtime/actjit.h"
#include "runtime/actjit.hpp"

namespace {

const char* source =
    "prelu(x; learn alpha = 0.25) = max(x, alpha * x)\n"
    "snake(x; learn a = 1) = x + sin(a * x)^2 / a\n"
    "rrelu(x; lower = 1/8, upper = 1/3) = x >= 0 ? x : uniform(lower, upper) * x\n"
    "scaled(x; k) = k * x\n"
    "swiglu(a, b) = a / (1 + exp(-a)) * b\n";

actjit::CompileOptions options(actjit::DType dtype, bool inference = false) {
    actjit::CompileOptions o;
    o.dtype = dtype;
    o.inference = inference;
    return o;
}

std::vector<double> ramp(size_t n, double from, double to) {
    std::vector<double> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = from + (to - from) * static_cast<double>(i) / static_cast<double>(n - 1);
    return v;
}

}  // namespace

TEST_CASE("a library with errors, an unknown definition and wrong calls are errors with a message") {
    CHECK_THROWS_WITH_AS(actjit::Library::from_string("f(x) = x +\n", "bad.act"),
                         doctest::Contains("bad.act:1:"), actjit::Error);
    actjit::Library lib = actjit::Library::from_string(source);
    CHECK_THROWS_WITH_AS(lib.compile("prelux"), doctest::Contains("no definition 'prelux'"), actjit::Error);
    const std::string directory = std::filesystem::temp_directory_path().string();
    CHECK_THROWS_WITH_AS(actjit::Library::from_file(directory), doctest::Contains((directory + ": is a directory").c_str()),
                         actjit::Error);
    CHECK_THROWS_WITH_AS(actjit::Library::from_file("no/such.act"), doctest::Contains("cannot open the file"),
                         actjit::Error);
    actjit::Kernel k = lib.compile("scaled", options(actjit::DType::f64));
    std::vector<double> x{1, 2, 3}, y(3);
    const double* xs[] = {x.data()};
    CHECK_THROWS_WITH_AS(k.forward(xs, y.data(), 3), doctest::Contains("no default"), actjit::Error);
    CHECK_THROWS_WITH_AS(k.forward(xs, y.data(), 3, {{"q", 1}}), doctest::Contains("no parameter 'q'"), actjit::Error);
    const double* two[] = {x.data(), x.data()};
    CHECK_THROWS_WITH_AS(k.forward(two, y.data(), 3, {{"k", 2}}), doctest::Contains("takes 1 input"), actjit::Error);
    const double* null[] = {nullptr};
    CHECK_THROWS_WITH_AS(k.forward(null, y.data(), 3, {{"k", 2}}), doctest::Contains("null"), actjit::Error);
    CHECK_NOTHROW(k.forward(null, nullptr, 0, {{"k", 2}}));  // n = 0: nothing to touch
    std::vector<double> big(8, 1.0);
    const double* shifted[] = {big.data()};
    CHECK_THROWS_WITH_AS(k.forward(shifted, big.data() + 1, 4, {{"k", 2}}), doctest::Contains("partially"), actjit::Error);
    std::vector<float> xf(3);
    const float* fs[] = {xf.data()};
    CHECK_THROWS_WITH_AS(k.forward(fs, xf.data(), 3, {{"k", 2}}), doctest::Contains("compiled for f64"), actjit::Error);
    // In place is allowed.
    k.forward(xs, x.data(), 3, {{"k", 2}});
    CHECK(x == std::vector<double>{2, 4, 6});
}

TEST_CASE("learnable-parameter gradients match central finite differences of a summed loss") {
    actjit::Library lib = actjit::Library::from_string(source);
    for (const char* name : {"prelu", "snake"}) {
        actjit::Kernel k = lib.compile(name, options(actjit::DType::f64));
        std::string p = k.learned().at(0);
        std::vector<double> x = ramp(2001, -3, 3), dy = ramp(2001, 0.5, 1.5), y(x.size()), dx(x.size());
        const double* xs[] = {x.data()};
        double* dxs[] = {dx.data()};
        double value = 0.7;
        std::vector<double> grad = k.backward(xs, dy.data(), dxs, static_cast<int64_t>(x.size()), {{p, value}});
        // L(p) = sum dy[i] * f(x[i]; p); dL/dp by central differences in f64.
        auto loss = [&](double v) {
            k.forward(xs, y.data(), static_cast<int64_t>(x.size()), {{p, v}});
            double s = 0;
            for (size_t i = 0; i < x.size(); ++i) s += dy[i] * y[i];
            return s;
        };
        double h = 1e-6, fd = (loss(value + h) - loss(value - h)) / (2 * h);
        INFO(name, ": kernel ", grad[0], ", finite differences ", fd);
        CHECK(grad[0] == doctest::Approx(fd).epsilon(1e-7));
    }
}

TEST_CASE("parameter gradients are the same whatever the number of threads") {
    actjit::Library lib = actjit::Library::from_string(source);
    actjit::Kernel k = lib.compile("prelu", options(actjit::DType::f32));
    size_t n = 1'000'003;
    std::vector<float> x(n), dy(n, 1.0f), dx(n);
    for (size_t i = 0; i < n; ++i) x[i] = static_cast<float>(std::sin(static_cast<double>(i)) * 3);
    const float* xs[] = {x.data()};
    float* dxs[] = {dx.data()};
    std::vector<double> one = k.backward(xs, dy.data(), dxs, static_cast<int64_t>(n), {}, 0, 1);
    std::vector<float> dx1 = dx;
    for (int threads : {2, 3, 8}) {
        std::vector<double> many = k.backward(xs, dy.data(), dxs, static_cast<int64_t>(n), {}, 0, threads);
        CHECK(many == one);  // bit for bit
        CHECK(dx == dx1);
    }
    // The sum kept its digits: sum of x over x < 0, in f64 here.
    double expect = 0;
    for (float v : x) expect += v < 0 ? static_cast<double>(v) : 0.0;
    CHECK(one[0] == doctest::Approx(expect).epsilon(1e-6));
}

TEST_CASE("rrelu draws are reproducible, the same in forward and backward, and spread from lower to below upper") {
    actjit::Library lib = actjit::Library::from_string(source);
    actjit::Kernel k = lib.compile("rrelu", options(actjit::DType::f64));
    size_t n = 200'000;
    std::vector<double> x(n, -1.0), y(n), y2(n), dx(n), dy(n, 1.0);
    const double* xs[] = {x.data()};
    double* dxs[] = {dx.data()};
    k.forward(xs, y.data(), static_cast<int64_t>(n), {}, 42, 4);
    k.forward(xs, y2.data(), static_cast<int64_t>(n), {}, 42, 1);
    CHECK(y == y2);
    k.backward(xs, dy.data(), dxs, static_cast<int64_t>(n), {}, 42, 3);
    double sum = 0, lo = 1, hi = 0;
    for (size_t i = 0; i < n; ++i) {
        double a = -y[i];  // the draw: y = a * x with x = -1
        CHECK(dx[i] == a);  // the backward saw the same draw
        sum += a;
        lo = std::min(lo, a);
        hi = std::max(hi, a);
    }
    CHECK(lo >= 0.125);
    CHECK(hi < 1.0 / 3);
    double mean = sum / static_cast<double>(n), width = 1.0 / 3 - 0.125;
    // The mean of n uniform draws: (lower + upper) / 2, with a standard error of width / sqrt(12 n).
    CHECK(std::fabs(mean - (0.125 + 1.0 / 3) / 2) < 4 * width / std::sqrt(12.0 * static_cast<double>(n)));
    k.forward(xs, y2.data(), static_cast<int64_t>(n), {}, 43, 1);
    CHECK(y != y2);  // another seed, other draws
    actjit::Kernel inference = lib.compile("rrelu", options(actjit::DType::f64, true));
    inference.forward(xs, y2.data(), 4, {}, 42);
    CHECK(y2[0] == doctest::Approx(-(0.125 + 1.0 / 3) / 2).epsilon(1e-15));
}

TEST_CASE("the C API reports every error as a status and a message, and runs the kernels") {
    actjit_library* lib = nullptr;
    CHECK(actjit_library_from_string("f(x) = x +\n", &lib) == ACTJIT_ERROR_SOURCE);
    CHECK(lib == nullptr);
    CHECK(std::string(actjit_last_error()).find("error") != std::string::npos);
    REQUIRE(actjit_library_from_string(source, &lib) == ACTJIT_OK);
    actjit_kernel* k = nullptr;
    CHECK(actjit_compile(lib, "nope", ACTJIT_F32, 0, nullptr, &k) == ACTJIT_ERROR_ARGUMENT);
    CHECK(std::string(actjit_last_error()).find("nope") != std::string::npos);
    CHECK(actjit_compile(lib, "prelu", ACTJIT_F32, 0, "no-such-cpu", &k) == ACTJIT_ERROR_JIT);
    CHECK(std::string(actjit_last_error()).find("unknown CPU") != std::string::npos);
    REQUIRE(actjit_compile(lib, "prelu", ACTJIT_F32, 0, nullptr, &k) == ACTJIT_OK);
    CHECK(actjit_kernel_inputs(k) == 1);
    CHECK(actjit_kernel_parameters(k) == 1);
    CHECK(std::string(actjit_kernel_parameter_name(k, 0)) == "alpha");
    CHECK(actjit_kernel_parameter_learned(k, 0) == 1);
    double d = 0;
    CHECK(actjit_kernel_parameter_default(k, 0, &d) == 1);
    CHECK(d == 0.25);
    float x[] = {-2, 3}, y[2], dy[] = {1, 1}, dx[2];
    const float* xs[] = {x};
    float* dxs[] = {dx};
    double dalpha = 0;
    CHECK(actjit_forward_f32(k, xs, y, 2, nullptr, 0, 1) == ACTJIT_OK);
    CHECK(y[0] == -0.5f);
    CHECK(y[1] == 3.0f);
    CHECK(actjit_backward_f32(k, xs, dy, dxs, &dalpha, 2, nullptr, 0, 1) == ACTJIT_OK);
    CHECK(dx[0] == 0.25f);
    CHECK(dx[1] == 1.0f);
    CHECK(dalpha == -2.0);
    CHECK(actjit_forward_f32(k, xs, nullptr, 2, nullptr, 0, 1) == ACTJIT_ERROR_ARGUMENT);
    CHECK(std::string(actjit_last_error()).find("null") != std::string::npos);
    CHECK(actjit_forward_f64(k, nullptr, nullptr, 0, nullptr, 0, 1) == ACTJIT_ERROR_ARGUMENT);  // wrong dtype
    // The raw §5 entry point.
    using Forward = void (*)(const float*, float*, int64_t, const float*, uint64_t);
    float alpha = 0.5f;
    reinterpret_cast<Forward>(actjit_kernel_forward_function(k))(x, y, 2, &alpha, 0);
    CHECK(y[0] == -1.0f);
    // Quick kernels have none: these are the optimized kernels' (waited for).
    using Backward = void (*)(const float*, const float*, float*, float*, int64_t, const float*, uint64_t);
    float dalpha32 = 0;
    reinterpret_cast<Backward>(actjit_kernel_backward_function(k))(x, dy, dx, &dalpha32, 2, &alpha, 0);
    CHECK(dx[0] == 0.5f);
    CHECK(dx[1] == 1.0f);
    CHECK(dalpha32 == -2.0f);
    actjit_kernel_free(k);
    actjit_library_free(lib);
    CHECK(actjit_compile(nullptr, "prelu", ACTJIT_F32, 0, nullptr, &k) == ACTJIT_ERROR_ARGUMENT);
}
