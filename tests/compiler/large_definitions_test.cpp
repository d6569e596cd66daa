// Large definitions go through diff and eval in linear time (docs/testing.md gives the
// timings): a sum of 10^5 terms, a product of 2,000 factors, a chain of 1,000
// definitions each calling the previous one at a shifted argument, 40 factors of
// sqrt(x + i) (which doubled in time with each factor when the stabilizer recursed).
// What is asserted is the value: against closed forms computed here, never timing.
#include <doctest/doctest.h>

#include <cmath>

#include <fmt/format.h>

#include "../support.hpp"
#include "compiler/gradient.hpp"
#include "compiler/interpret.hpp"
#include "compiler/lower.hpp"
#include "compiler/print.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

struct Compiled {
    Checked checked;
    Program program;
    explicit Compiled(const std::string& text, std::string_view name = "f")
        : checked(text), program(lower(checked.parsed, checked.module, name)) {}
    const LoweredFunction& f() const { return *program.find("f"); }
};

double at(Expr e, double x) {
    double in[] = {x};
    return interpret(e, Environment{in, {}, 0, 0, false});
}

std::string joined(int n, const std::function<std::string(int)>& term, const char* op) {
    std::string s;
    for (int i = 0; i < n; ++i) s += (i ? op : "") + term(i);
    return s;
}

}  // namespace

TEST_CASE("a sum of 100,000 terms: its derivative is printed as one number") {
    Compiled c("f(x) = " + joined(100000, [](int) { return std::string("x"); }, " + ") + "\n");
    REQUIRE(c.checked.errors() == "");
    Gradient readable = readable_gradient(c.program, c.f());
    CHECK(to_source(readable.derivatives[0].expr, *c.f().info, reader_digits) == "100000");
    Gradient stable = gradient(c.program, c.f());
    CHECK(at(stable.value, 0.5) == 50000);
    CHECK(at(stable.derivatives[0].expr, 0.5) == 100000);
}

TEST_CASE("a product of 2,000 sigmoids: d/dx = f * sum of (1 - sigmoid(x + i))") {
    int n = 2000;
    Compiled c("f(x) = " + joined(n, [](int i) { return fmt::format("1 / (1 + exp(-(x + {}) / 400))", i); }, " * ") + "\n");
    REQUIRE(c.checked.errors() == "");
    Gradient g = gradient(c.program, c.f());
    double x = -0.5, product = 1, sum = 0;
    for (int i = 0; i < n; ++i) {
        double s = 1 / (1 + std::exp(-(x + i) / 400));
        product *= s;
        sum += (1 - s) / 400;
    }
    CHECK(at(g.value, x) == doctest::Approx(product).epsilon(1e-11));
    CHECK(at(g.derivatives[0].expr, x) == doctest::Approx(product * sum).epsilon(1e-11));
    Gradient readable = readable_gradient(c.program, c.f());
    CHECK(!to_source(readable.derivatives[0].expr, *c.f().info, reader_digits).empty());
}

TEST_CASE("a chain of 1,000 definitions, each calling the previous one at a shifted argument") {
    // f0(x) = tanh(x); f_i(x) = 0.5 * f_(i-1)(x + 0.25) + sin(x) * x
    int n = 1000;
    std::string text = "f0(x) = tanh(x)\n";
    for (int i = 1; i < n; ++i) text += fmt::format("f{}(x) = 0.5 * f{}(x + 0.25) + sin(x) * x\n", i, i - 1);
    text += fmt::format("f(x) = f{}(x)\n", n - 1);
    Compiled c(text);
    REQUIRE(c.checked.errors() == "");
    // The same recurrence, evaluated directly: f_i(x) = sum over k of 0.5^k * g(x + k/4)
    // with the innermost term tanh.
    double x = 0.3, value = 0, slope = 0, scale = 1;
    for (int i = n - 1; i >= 1; --i) {
        double u = x + 0.25 * (n - 1 - i);
        value += scale * std::sin(u) * u;
        slope += scale * (std::cos(u) * u + std::sin(u));
        scale *= 0.5;
    }
    double u = x + 0.25 * (n - 1);
    value += scale * std::tanh(u);
    slope += scale * (1 - std::tanh(u) * std::tanh(u));
    Gradient g = gradient(c.program, c.f());
    CHECK(at(g.value, x) == doctest::Approx(value).epsilon(1e-12));
    CHECK(at(g.derivatives[0].expr, x) == doctest::Approx(slope).epsilon(1e-12));
    // Only what f calls was lowered: the chain's instances, not every definition whole.
    CHECK(c.program.functions[0].body == nullptr);
}

TEST_CASE("40 factors of sqrt(x + i): the stabilizer's facts are per node, not recursive") {
    int n = 40;
    Compiled c("f(x) = " + joined(n, [](int i) { return fmt::format("sqrt(x + {})", i + 1); }, " * ") + "\n");
    REQUIRE(c.checked.errors() == "");
    Gradient g = gradient(c.program, c.f());
    double x = 0.25, product = 1, sum = 0;
    for (int i = 0; i < n; ++i) {
        product *= std::sqrt(x + i + 1);
        sum += 0.5 / (x + i + 1);
    }
    CHECK(at(g.value, x) == doctest::Approx(product).epsilon(1e-12));
    CHECK(at(g.derivatives[0].expr, x) == doctest::Approx(product * sum).epsilon(1e-12));
}
