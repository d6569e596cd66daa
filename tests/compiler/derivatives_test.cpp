// Every derivative of every standard activation is right: against central finite
// differences of the original formula, computed in MPFR, at 200 or more points per variable
// away from kinks; and against values derived by hand at the kinks (LANGUAGE.md §4).
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "stdlib_fixture.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

// The values of the comparisons in `root` at one point: a kink lies between two points
// where they differ.
std::vector<double> conditions(Expr root, const Environment& env) {
    std::vector<Expr> booleans;
    for (Expr n : topological_order({root}))
        if (n->type == Type::Boolean) booleans.push_back(n);
    return booleans.empty() ? std::vector<double>{} : interpret(booleans, env);
}

}  // namespace

namespace {

// Each derivative of f (stabilized, as the kernels compute it) against central finite
// differences of f's original formula in MPFR, at 260 points away from kinks: the
// number of points compared.
int check_against_finite_differences(Program& program, const LoweredFunction& f, const std::vector<double>& defaults,
                                     double limit) {
    int compared = 0;
    Gradient g = gradient(program, f);
    std::vector<double> params = defaults;
    size_t inputs = f.info->inputs.size();
    std::vector<double> points = spread(260, limit);
    for (size_t v = 0; v < g.derivatives.size(); ++v) {
        int checked_here = 0;
        for (size_t k = 0; k < points.size(); ++k) {
            std::vector<double> x(inputs);
            for (size_t i = 0; i < inputs; ++i) x[i] = points[(k + 37 * i) % points.size()];
            // The variable is input v, or learn parameter number v - inputs.
            bool is_input = v < inputs;
            size_t p = 0;
            if (!is_input) {
                size_t learn = v - inputs;
                for (p = 0; p < f.info->parameters.size(); ++p)
                    if (f.info->parameters[p].learn && learn-- == 0) break;
            }
            double& var = is_input ? x[v] : params[p];
            const double saved = var;
            const double h = std::ldexp(std::max(1.0, std::fabs(var)), -20);  // x ± h exact
            Environment env{x, params, 7, k, false};
            var = saved - h;
            std::vector<double> left_conditions = conditions(f.body, env);
            double f_left = interpret_mpfr({f.body}, env)[0];
            var = saved + h;
            std::vector<double> right_conditions = conditions(f.body, env);
            double f_right = interpret_mpfr({f.body}, env)[0];
            var = saved;
            if (left_conditions != right_conditions || !std::isfinite(f_left) || !std::isfinite(f_right))
                continue;  // a kink between the two points, or no finite difference
            double finite_difference = (f_right - f_left) / (2 * h);
            Expr d = g.derivatives[v].expr;
            double symbolic = d ? interpret_mpfr({d}, env)[0] : 0.0;
            double tolerance = 1e-6 * std::max(1.0, std::fabs(finite_difference));
            CHECK_MESSAGE(std::fabs(symbolic - finite_difference) <= tolerance,
                          fmt::format("{} d/d{} at {}: symbolic {}, finite difference {}", f.info->name,
                                      g.derivatives[v].variable, fmt::join(x, ", "), symbolic, finite_difference));
            ++checked_here;
        }
        CHECK_MESSAGE(checked_here >= 200, fmt::format("{} d/d{}: only {} points away from kinks", f.info->name,
                                                       g.derivatives[v].variable, checked_here));
        compared += checked_here;
    }
    return compared;
}

}  // namespace

TEST_CASE("derivatives match central finite differences of the original formula, in MPFR") {
    Stdlib& s = stdlib();
    int compared = 0;
    for (const LoweredFunction& f : s.program.functions) compared += check_against_finite_differences(s.program, f, s.defaults(f), 20);
    CHECK(compared > 31 * 200);
}

TEST_CASE("derivatives of atan, sinh, cosh, asinh and of their spellings through exp and log match finite differences") {
    Checked checked("a(x) = atan(x)\nb(x) = sinh(x)\nc(x) = cosh(x)\nd(x) = asinh(x)\n"
                    "e(x) = atan(2 * x) * x + asinh(x * x)\nf(x) = (exp(x) - exp(-x)) / 2\n"
                    "g(x) = (exp(x) + exp(-x)) / 2\nh(x) = log(x + sqrt(x * x + 1))\n"
                    "i(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))\nj(x) = cosh(x) - 1\n"
                    "k(x; learn a = 1.5) = asinh(a * x) / a + atan(x / a)\n");
    REQUIRE(checked.errors() == "");
    Program program = lower(checked.parsed, checked.module);
    int compared = 0;
    for (const LoweredFunction& f : program.functions) {
        std::vector<double> params;
        for (const auto& d : f.defaults) params.push_back(d.value_or(1.0));
        compared += check_against_finite_differences(program, f, params, 30);
    }
    CHECK(compared > 12 * 200);
}

namespace {

// d(name)/d(variable) at `inputs`, with default parameters, in double.
double derivative_at(const std::string& name, const std::string& variable, std::vector<double> inputs) {
    Stdlib& s = stdlib();
    const LoweredFunction* f = s.program.find(name);
    REQUIRE(f != nullptr);
    Gradient g = gradient(s.program, *f);
    std::vector<double> params = s.defaults(*f);
    for (const Derivative& d : g.derivatives)
        if (d.variable == variable) return d.expr ? interpret(d.expr, {inputs, params}) : 0.0;
    FAIL("no variable " << variable);
    return 0;
}

}  // namespace

TEST_CASE("at the kinks, derivatives take the values the kink rules give, derived by hand") {
    // max(a, b)' = a > b ? a' : b', min(a, b)' = a < b ? a' : b': ties take b.
    CHECK(derivative_at("relu", "x", {0.0}) == doctest::Approx(0.0));                 // max(x, 0): tie -> 0' = 0
    CHECK(derivative_at("leaky_relu", "x", {0.0}) == doctest::Approx(0.01));          // max(x, 0.01x): tie -> 0.01
    CHECK(derivative_at("prelu", "x", {0.0}) == doctest::Approx(0.25));               // max(x, alpha x): tie -> alpha
    CHECK(derivative_at("prelu", "alpha", {0.0}) == doctest::Approx(0.0));            // tie -> (alpha x)' = x = 0
    CHECK(derivative_at("prelu", "alpha", {-2.0}) == doctest::Approx(-2.0));          // x < alpha x -> x
    CHECK(derivative_at("prelu", "alpha", {3.0}) == doctest::Approx(0.0));            // x > alpha x -> 0
    CHECK(derivative_at("relu6", "x", {0.0}) == doctest::Approx(0.0));                // max(x, 0) tie -> 0
    CHECK(derivative_at("relu6", "x", {6.0}) == doctest::Approx(0.0));                // min(., 6) tie -> 6' = 0
    CHECK(derivative_at("hardtanh", "x", {-1.0}) == doctest::Approx(0.0));
    CHECK(derivative_at("hardtanh", "x", {1.0}) == doctest::Approx(0.0));
    CHECK(derivative_at("elu", "x", {0.0}) == doctest::Approx(1.0));                  // x > 0 false: alpha * exp(0)
    CHECK(derivative_at("celu", "x", {0.0}) == doctest::Approx(1.0));                 // exp(0 / alpha)
    CHECK(derivative_at("softshrink", "x", {0.5}) == doctest::Approx(0.0));           // x > lambda false, x < -lambda false
    CHECK(derivative_at("softshrink", "x", {-0.5}) == doctest::Approx(0.0));
    CHECK(derivative_at("hardshrink", "x", {0.5}) == doctest::Approx(0.0));
    CHECK(derivative_at("threshold", "x", {0.0}) == doctest::Approx(0.0));            // x > threshold false -> value' = 0
    CHECK(derivative_at("rrelu", "x", {0.0}) == doctest::Approx(1.0));                // x >= 0 -> x' = 1
    CHECK(derivative_at("maxout2", "a", {1.0, 1.0}) == doctest::Approx(0.0));         // tie takes b
    CHECK(derivative_at("maxout2", "b", {1.0, 1.0}) == doctest::Approx(1.0));
    CHECK(derivative_at("hardsigmoid", "x", {-3.0}) == doctest::Approx(0.0));         // relu6 at 0
    CHECK(derivative_at("hardsigmoid", "x", {3.0}) == doctest::Approx(0.0));          // relu6 at 6
    CHECK(derivative_at("hardswish", "x", {-3.0}) == doctest::Approx(0.0));           // relu6(0)/6 + x * 0
    CHECK(derivative_at("hardswish", "x", {3.0}) == doctest::Approx(1.0));            // relu6(6)/6 + x * 0 / 6
    CHECK(derivative_at("reglu", "a", {0.0, 2.0}) == doctest::Approx(0.0));           // relu'(0) * b
    CHECK(derivative_at("reglu", "b", {0.0, 2.0}) == doctest::Approx(0.0));           // relu(0)
}
