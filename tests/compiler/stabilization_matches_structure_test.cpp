// Stabilization matches the structure of a formula, not the name of a definition: a
// user's own spelling of softplus, sigmoid or gelu gets the same treatment.
#include <doctest/doctest.h>

#include "../support.hpp"
#include "compiler/gradient.hpp"
#include "compiler/interpret.hpp"
#include "compiler/lower.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {
// Value and slope of the only definition in `text` at x.
std::pair<double, double> at(const std::string& text, double x) {
    Checked c(text);
    REQUIRE(c.errors() == "");
    Program p = lower(c.parsed, c.module);
    Gradient g = gradient(p, p.functions[0]);
    std::vector<double> inputs{x};
    return {interpret(g.value, {inputs, {}}), interpret(g.derivatives[0].expr, {inputs, {}})};
}
}  // namespace

TEST_CASE("softplus spelled log(exp(x) + 1), in any name, does not overflow at 1000") {
    auto [value, slope] = at("my_smooth_relu(t) = log(exp(t) + 1)\n", 1000);
    CHECK(value == doctest::Approx(1000));
    CHECK(slope == doctest::Approx(1));
}

TEST_CASE("a sigmoid spelled exp(x) / (1 + exp(x)) is never inf / inf") {
    auto [value, slope] = at("s(t) = exp(t) / (1 + exp(t))\n", 1000);
    CHECK(value == doctest::Approx(1));
    CHECK(slope == doctest::Approx(0));
}

TEST_CASE("a gelu written inline keeps its left tail") {
    auto [value, slope] = at("g(v) = v * (1 + erf(v / sqrt(2))) / 2\n", -10);
    CHECK(value < 0);                                  // not -0: the true value is -7.6e-23
    CHECK(value == doctest::Approx(-7.6198530241605e-23).epsilon(1e-12));
    CHECK(slope < 0);
}
