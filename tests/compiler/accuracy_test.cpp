// After stabilization, every standard activation's value and derivatives, evaluated in
// double and rounded to float, are within 4 ULP of the MPFR value of the original
// formula (and its naive derivative), and finite wherever that value is finite: at
// 10,000 points over [-1e4, 1e4] plus ±FLT_MAX, ±inf, NaN, ±0 and subnormals.
#include <doctest/doctest.h>

#include <cfloat>
#include <cstring>

#include <fmt/format.h>

#include "compiler/differentiate.hpp"
#include "stdlib_fixture.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

// Distance in units in the last place between two floats (0 for two NaNs).
double ulp_distance(float a, float b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : INFINITY;
    auto ordered = [](float f) {
        int32_t i;
        std::memcpy(&i, &f, sizeof i);
        return i < 0 ? int64_t{INT32_MIN} - i : int64_t{i};
    };
    return static_cast<double>(std::llabs(ordered(a) - ordered(b)));
}

std::vector<double> sample_points() {
    std::vector<double> points = spread(10000, 1e4);
    for (double v : {0.0, -0.0, double(FLT_MAX), -double(FLT_MAX), double(INFINITY), -double(INFINITY),
                     double(NAN), double(FLT_MIN), -double(FLT_MIN), double(FLT_TRUE_MIN),
                     -double(FLT_TRUE_MIN), 1e-40, -1e-40})
        points.push_back(v);
    for (double& p : points) p = static_cast<float>(p);  // f32 inputs
    return points;
}

}  // namespace

TEST_CASE("stabilized values and derivatives are within 4 ULP of MPFR, and finite where it is") {
    Stdlib& s = stdlib();
    Graph& g = s.program.graph;
    const std::vector<double> points = sample_points();
    for (const LoweredFunction& f : s.program.functions) {
        Gradient stable = gradient(s.program, f);
        // The reference: the original formula and its derivatives, neither simplified nor
        // stabilized, in MPFR.
        std::vector<Expr> naive{f.body}, fast{stable.value};
        for (size_t i = 0; i < f.info->inputs.size(); ++i)
            naive.push_back(differentiate(g, f.body, g.input(static_cast<uint32_t>(i))));
        for (size_t p = 0; p < f.info->parameters.size(); ++p)
            if (f.info->parameters[p].learn) naive.push_back(differentiate(g, f.body, g.param(static_cast<uint32_t>(p))));
        for (const Derivative& d : stable.derivatives) fast.push_back(d.expr);
        for (size_t j = 0; j < fast.size(); ++j) {
            if (!naive[j]) naive[j] = g.constant(0);
            if (!fast[j]) fast[j] = g.constant(0);
        }
        std::vector<double> params = s.defaults(f);
        std::vector<double> worst(fast.size(), 0);
        int failures = 0;
        for (size_t k = 0; k < points.size(); ++k) {
            std::vector<double> x(f.info->inputs.size(), points[k]);
            if (x.size() > 1) x[1] = points[(k * 7919) % points.size()];
            Environment env{x, params, 11, k, false};
            std::vector<double> reference = interpret_mpfr(naive, env);
            std::vector<double> value = interpret(fast, env);
            for (size_t j = 0; j < fast.size(); ++j) {
                float want = static_cast<float>(reference[j]);
                if (!std::isfinite(want)) continue;  // not finite in float: nothing to hold to
                float got = static_cast<float>(value[j]);
                double distance = ulp_distance(got, want);
                worst[j] = std::max(worst[j], distance);
                if (distance > 4 && failures++ < 5)
                    FAIL_CHECK(fmt::format("{} {} at ({}): {} but MPFR says {} ({} ULP)", f.info->name,
                                           j == 0 ? "value" : "d/d" + stable.derivatives[j - 1].variable,
                                           fmt::join(x, ", "), got, want, distance));
            }
        }
        CHECK_MESSAGE(failures == 0, f.info->name, ": ", failures, " points beyond 4 ULP");
        MESSAGE(f.info->name, ": worst ", fmt::format("{}", fmt::join(worst, " / ")), " ULP");
    }
}

namespace {

struct Limit {
    const char* name;
    double x;
    double value;
    double slope;
};

// An infinite limit must be met exactly; a finite one to within rounding.
bool is_limit(double got, double want) {
    return std::isinf(want) ? got == want : got == doctest::Approx(want);
}

// The limits at ±inf, derived by hand from each definition with its default parameters.
const Limit limits[] = {
    {"relu", INFINITY, INFINITY, 1},        {"relu", -INFINITY, 0, 0},
    {"sigmoid", INFINITY, 1, 0},            {"sigmoid", -INFINITY, 0, 0},
    {"softplus", INFINITY, INFINITY, 1},    {"softplus", -INFINITY, 0, 0},
    {"silu", INFINITY, INFINITY, 1},        {"silu", -INFINITY, 0, 0},
    {"swish", INFINITY, INFINITY, 1},       {"swish", -INFINITY, 0, 0},
    {"quick_gelu", INFINITY, INFINITY, 1},  {"quick_gelu", -INFINITY, 0, 0},
    {"gelu", INFINITY, INFINITY, 1},        {"gelu", -INFINITY, 0, 0},
    {"gelu_tanh", INFINITY, INFINITY, 1},   {"gelu_tanh", -INFINITY, 0, 0},
    {"mish", INFINITY, INFINITY, 1},        {"mish", -INFINITY, 0, 0},
    {"logsigmoid", INFINITY, 0, 0},         {"logsigmoid", -INFINITY, -INFINITY, 1},
    {"elu", INFINITY, INFINITY, 1},         {"elu", -INFINITY, -1, 0},
    {"celu", INFINITY, INFINITY, 1},        {"celu", -INFINITY, -1, 0},
    {"softsign", INFINITY, 1, 0},           {"softsign", -INFINITY, -1, 0},
    {"squareplus", INFINITY, INFINITY, 1},  {"squareplus", -INFINITY, 0, 0},
    {"hardswish", INFINITY, INFINITY, 1},   {"hardswish", -INFINITY, 0, 0},
    {"tanhshrink", INFINITY, INFINITY, 1},  {"tanhshrink", -INFINITY, -INFINITY, 1},
    {"hardsigmoid", INFINITY, 1, 0},        {"hardsigmoid", -INFINITY, 0, 0},
};

// Limits of the value only, where the slope has none (it oscillates).
const Limit value_limits[] = {
    {"snake", INFINITY, INFINITY, 0}, {"snake", -INFINITY, -INFINITY, 0},
};

}  // namespace

TEST_CASE("at ±inf, values and slopes are the limits of the functions, never NaN") {
    Stdlib& s = stdlib();
    for (const Limit& l : limits) {
        const LoweredFunction* f = s.program.find(l.name);
        REQUIRE(f != nullptr);
        Gradient g = gradient(s.program, *f);
        std::vector<double> x{l.x}, params = s.defaults(*f);
        double value = interpret(g.value, {x, params});
        double slope = g.derivatives[0].expr ? interpret(g.derivatives[0].expr, {x, params}) : 0;
        INFO(std::string(l.name), " at ", l.x, ": value ", value, ", slope ", slope);
        CHECK(is_limit(value, l.value));
        CHECK(is_limit(slope, l.slope));
    }
    for (const Limit& l : value_limits) {
        const LoweredFunction* f = s.program.find(l.name);
        REQUIRE(f != nullptr);
        std::vector<double> x{l.x}, params = s.defaults(*f);
        double value = interpret(gradient(s.program, *f).value, {x, params});
        INFO(std::string(l.name), " at ", l.x, ": value ", value);
        CHECK(is_limit(value, l.value));
    }
}
