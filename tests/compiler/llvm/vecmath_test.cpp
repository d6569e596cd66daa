// Each function of the inline vector math (compiler/llvm/vecmath) in f64 kernels against
// MPFR at 128 bits, on 10^6 points spread over its whole domain (magnitudes
// log-uniform from 1e-300 to 1e300, both signs, a dense stretch around 0, and the
// special values), plus ±0, ±inf, NaN, subnormals and the overflow thresholds. f32
// kernels evaluate these in f64 and round once. `ctest -R "vector math" -V` prints
// the worst ULP per function (docs/numerics.md quotes it).
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>

#include <fmt/format.h>
#include <mpfr.h>

#include "../../support.hpp"
#include "compiler/lower.hpp"
#include "jit_fixture.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

using Reference = std::function<void(mpfr_t r, mpfr_t x, mpfr_t y)>;

std::vector<double> domain(size_t n) {
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> exponent(-300, 300), near(-60, 60);
    std::vector<double> x;
    for (size_t i = 0; i < n; ++i) {
        double v = i % 3 == 0 ? near(random) : std::pow(10.0, exponent(random));
        x.push_back(i % 2 ? -v : v);
    }
    for (double v : {0.0, -0.0, 1.0, -1.0, double(INFINITY), double(-INFINITY), double(NAN), 4.9e-324, -4.9e-324, 2.2250738585072014e-308,
                     709.782712893384, 709.7827128933841, -745.1332191019411, -745.1332191019412, 710.0, -746.0,
                     710.4758600739439, 710.475860073944, -710.4758600739439, -710.475860073944, 0x1p28, 0x1p-26,
                     0.41421356237309503, 2.414213562373095, 1e-8, 0.5, 27.2, -27.2, 5.9, 6.0, 1e10, 1e20, 1073741824.0, 1e300})
        x.push_back(v);
    return x;
}

double worst_ulp(const std::string& body, const Reference& reference, bool two_inputs = false,
                 const std::string& cpu = "", size_t points = 1'000'000) {
    Checked checked(std::string(two_inputs ? "f(x, y) = " : "f(x) = ") + body + "\n");
    REQUIRE(checked.errors() == "");
    Program program = lower(checked.parsed, checked.module);
    Kernels<double> k = compile_for<double>(program, program.functions[0], cpu);
    std::vector<double> xs = domain(points), ys;
    std::vector<std::vector<double>> in{xs};
    if (two_inputs) {
        std::mt19937_64 random(11);
        std::uniform_real_distribution<double> e(-3, 3);
        for (size_t i = 0; i < xs.size(); ++i) ys.push_back(i % 4 == 0 ? std::round(e(random) * 10) : e(random) * 20);
        // pow's domain: a positive base mostly, negative bases with integer exponents
        for (size_t i = 0; i < xs.size(); ++i)
            if (i % 5 != 0) xs[i] = std::fabs(xs[i]);
        in = {xs, ys};
    }
    std::vector<double> got = k.forward(in, {});
    mpfr_t r, x, y;
    mpfr_inits2(128, r, x, y, static_cast<mpfr_ptr>(nullptr));
    double worst = 0;
    double at = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
        mpfr_set_d(x, xs[i], MPFR_RNDN);
        mpfr_set_d(y, two_inputs ? ys[i] : 0, MPFR_RNDN);
        reference(r, x, y);
        double want = mpfr_get_d(r, MPFR_RNDN);
        double e = ulps<double>(got[i], want);
        if (std::isfinite(e) && std::isfinite(got[i])) {
            // Against the exact value, not its rounding: fractions of an ULP.
            mpfr_set_d(y, got[i], MPFR_RNDN);
            mpfr_sub(y, y, r, MPFR_RNDN);
            e = std::fabs(mpfr_get_d(y, MPFR_RNDN)) / spacing<double>(want);
        }
        if (e > worst) {
            worst = e;
            at = xs[i];
        }
    }
    mpfr_clears(r, x, y, static_cast<mpfr_ptr>(nullptr));
    MESSAGE(fmt::format("{:<28} {} worst {:.2f} ULP (at x = {})", body, cpu.empty() ? "host" : cpu, worst, at));
    return worst;
}

constexpr mpfr_rnd_t N = MPFR_RNDN;

}  // namespace

TEST_CASE("vector math: exp, expm1, log, log1p within 2 ULP of MPFR over their whole domains") {
    CHECK(worst_ulp("exp(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_exp(r, x, N); }) <= 2);
    CHECK(worst_ulp("expm1(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_expm1(r, x, N); }) <= 2);
    CHECK(worst_ulp("log(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_log(r, x, N); }) <= 2);
    CHECK(worst_ulp("log1p(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_log1p(r, x, N); }) <= 2);
}

TEST_CASE("vector math: tanh, sigmoid, softplus within 2 ULP of MPFR over their whole domains") {
    CHECK(worst_ulp("tanh(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_tanh(r, x, N); }) <= 2);
    CHECK(worst_ulp("1 / (1 + exp(-x))", [](mpfr_t r, mpfr_t x, mpfr_t) {
              mpfr_neg(r, x, N);
              mpfr_exp(r, r, N);
              mpfr_add_ui(r, r, 1, N);
              mpfr_ui_div(r, 1, r, N);
          }) <= 2);
    CHECK(worst_ulp("log(1 + exp(x))", [](mpfr_t r, mpfr_t x, mpfr_t) {
              if (mpfr_sgn(x) > 0) {  // x + log1p(exp(-x)): exp(x) would leave MPFR's range
                  mpfr_neg(r, x, N);
                  mpfr_exp(r, r, N);
                  mpfr_log1p(r, r, N);
                  mpfr_add(r, r, x, N);
              } else {
                  mpfr_exp(r, x, N);
                  mpfr_log1p(r, r, N);
              }
          }) <= 2);
}

TEST_CASE("vector math: erf, erfc within 2 ULP of MPFR over their whole domains") {
    CHECK(worst_ulp("erf(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_erf(r, x, N); }) <= 2);
    CHECK(worst_ulp("erfc(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_erfc(r, x, N); }) <= 2);
}

TEST_CASE("vector math: sin, cos within 2 ULP of MPFR over their whole domains, huge arguments included") {
    CHECK(worst_ulp("sin(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_sin(r, x, N); }) <= 2);
    CHECK(worst_ulp("cos(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_cos(r, x, N); }) <= 2);
}

TEST_CASE("vector math: atan, sinh, cosh, asinh within 2 ULP of MPFR over their whole domains") {
    CHECK(worst_ulp("atan(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_atan(r, x, N); }) <= 2);
    CHECK(worst_ulp("sinh(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_sinh(r, x, N); }) <= 2);
    CHECK(worst_ulp("cosh(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_cosh(r, x, N); }) <= 2);
    CHECK(worst_ulp("asinh(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_asinh(r, x, N); }) <= 2);
}

TEST_CASE("vector math: pow within 2 ULP of MPFR, its special cases as C99 Annex F") {
    CHECK(worst_ulp("pow(x, y)", [](mpfr_t r, mpfr_t x, mpfr_t y) { mpfr_pow(r, x, y, N); }, true) <= 2);
}

TEST_CASE("vector math without FMA hardware: the inline emulation keeps every function within 2 ULP") {
    const char* cpu = "x86-64";
    size_t n = 100'000;
    CHECK(worst_ulp("exp(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_exp(r, x, N); }, false, cpu, n) <= 2);
    CHECK(worst_ulp("log1p(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_log1p(r, x, N); }, false, cpu, n) <= 2);
    CHECK(worst_ulp("tanh(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_tanh(r, x, N); }, false, cpu, n) <= 2);
    CHECK(worst_ulp("erfc(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_erfc(r, x, N); }, false, cpu, n) <= 2);
    CHECK(worst_ulp("sin(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_sin(r, x, N); }, false, cpu, n) <= 2);
    CHECK(worst_ulp("atan(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_atan(r, x, N); }, false, cpu, n) <= 2);
    CHECK(worst_ulp("sinh(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_sinh(r, x, N); }, false, cpu, n) <= 2);
    CHECK(worst_ulp("asinh(x)", [](mpfr_t r, mpfr_t x, mpfr_t) { mpfr_asinh(r, x, N); }, false, cpu, n) <= 2);
    CHECK(worst_ulp("pow(x, y)", [](mpfr_t r, mpfr_t x, mpfr_t y) { mpfr_pow(r, x, y, N); }, true, cpu, n) <= 2);
}
