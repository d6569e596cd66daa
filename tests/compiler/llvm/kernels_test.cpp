// The JIT kernels of every standard activation against the MPFR interpreter of the same
// (stabilized) graphs, f32 and f64, value and every derivative, on every vector path
// this machine can run (its own, and AVX2 and plain x86-64 forced); array lengths
// around the vector width, unaligned and in-place arrays, NaN, ±0, ±inf and subnormal
// inputs. `ctest -R "JIT kernels agree" -V` prints the worst ULP per activation.
//
// The bound is in ULP of the dtype against the graph's value in MPFR: 1 for f32 (f32
// kernels compute in f64 and round once), 4 for f64, plus (both: each computes in
// double) the error that the graph's own conditioning allows a double evaluation:
// 16 units of 2^-53 times the
// largest intermediate value at that point (near a root of a derivative, or in
// x - tanh(x) near 0, the result is much smaller than the terms that cancel), or twice
// the error of libm's evaluation of the same graph, whichever is larger (a subnormal
// intermediate, as in x * sigmoid(x) near -714, carries few digits in any evaluation).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "../stdlib_fixture.hpp"
#include "compiler/lower.hpp"
#include "jit_fixture.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

std::vector<double> points() {
    std::vector<double> p = spread(1200, 1e4);
    for (double x : spread(300, 12)) p.push_back(x);
    for (double x : {0.0, -0.0, 1e-40, -1e-40, 1e-310, -1e-310, 1.17549435e-38, -1.17549435e-38, 3e38, -3e38, 1e300,
                     -1e300, 88.0, -88.0, 710.0, -745.0, 0.5, -0.5})
        p.push_back(x);
    return p;
}

// A file's definitions, checked and lowered; parameters without a default take 1.
struct Library {
    Checked checked;
    Program program;
    explicit Library(const std::string& path) : checked(read_source_file(path)), program(lower(checked.parsed, checked.module)) {}
    std::vector<double> defaults(const LoweredFunction& f) const {
        std::vector<double> out;
        for (const auto& d : f.defaults) out.push_back(d.value_or(1.0));
        return out;
    }
};

// `fast`: f32 kernels of the fast precision, computing in float lanes; the conditioning
// allowance is then float's (16 units of 2^-24 times the largest intermediate), inputs
// stay below 1e18 (where x^2 would overflow float: float arithmetic's range, not the
// kernels'), and wherever the truth is finite the result must be too.
template <typename T>
void check_file(const std::string& path, double value_bound, double derivative_bound, bool fast = false) {
    Library s(path);
    REQUIRE(s.checked.errors() == "");
    std::vector<double> xs = points();
    for (const LoweredFunction& f : s.program.functions) {
        Gradient g = gradient(s.program, f);
        std::vector<Expr> roots{g.value};
        for (const Derivative& d : g.derivatives) roots.push_back(d.expr ? d.expr : s.program.graph.constant(0));
        std::vector<double> params = s.defaults(f);
        std::vector<T> tparams(params.begin(), params.end());
        for (double& p : params) p = static_cast<double>(static_cast<T>(p));
        size_t k = f.info->inputs.size();
        std::vector<std::vector<T>> x(k, std::vector<T>(xs.size()));
        for (size_t i = 0; i < xs.size(); ++i) {
            x[0][i] = static_cast<T>(xs[i]);
            if (k > 1) x[1][i] = static_cast<T>(0.75 - xs[i] / 3);
        }
        // The truth: the same graphs in MPFR, on the inputs as the kernel sees them; and
        // what libm in double makes of them.
        std::vector<std::vector<double>> truth(roots.size(), std::vector<double>(xs.size()));
        std::vector<std::vector<double>> libm(roots.size(), std::vector<double>(xs.size()));
        std::vector<double> largest(xs.size(), 0);  // the largest intermediate, per point
        std::vector<Expr> all;
        for (Expr n : topological_order(roots))
            if (n->type == Type::Number) all.push_back(n);
        for (size_t i = 0; i < xs.size(); ++i) {
            std::vector<double> in;
            for (size_t j = 0; j < k; ++j) in.push_back(static_cast<double>(x[j][i]));
            bool nan = false;
            for (double v : in) nan = nan || std::isnan(v);
            std::vector<double> r = interpret_mpfr(roots, {in, params, 0, i, false});
            std::vector<double> d = interpret(roots, {in, params, 0, i, false});
            for (double v : interpret(all, {in, params, 0, i, false}))
                if (std::isfinite(v)) largest[i] = std::max(largest[i], std::fabs(v));
            for (size_t q = 0; q < roots.size(); ++q) {
                truth[q][i] = nan ? NAN : r[q];
                libm[q][i] = nan ? NAN : d[q];
            }
        }
        size_t inputs_and_learned = g.derivatives.size();
        for (const std::string& cpu : test_cpus()) {
            Kernels<T> kernels = compile_for<T>(s.program, f, cpu, false, fast);
            std::vector<T> y = kernels.forward(x, tparams);
            std::vector<double> worst(roots.size(), 0);
            int failures = 0, graph_limited = 0;
            // Within the bound, or (f64) within what the conditioning of the graph allows.
            auto check = [&](size_t q, size_t i, double got) {
                double e = ulps<T>(got, truth[q][i]);
                double bound = q == 0 ? value_bound : derivative_bound, allowed = bound;
                bool conditioned = true;  // a double evaluation of the graph is accurate here
                if (std::isfinite(truth[q][i])) {
                    double unit = fast ? 0x1p-24 : 0x1p-53;
                    double conditioning = 16 * unit * largest[i] / spacing<T>(truth[q][i]);
                    double slack = std::max(conditioning, 2 * ulps<T>(libm[q][i], truth[q][i]));
                    // No cancellation to speak of, and libm accurate too.
                    conditioned = largest[i] <= 4 * std::fabs(truth[q][i]) && 2 * ulps<T>(libm[q][i], truth[q][i]) <= bound;
                    // In float lanes the slack is for cancellation only: where nothing
                    // cancels, the bound is the bound.
                    if (!fast || !conditioned) allowed += slack;
                }
                // The stabilized graph itself overflows in double here, or gives NaN where the truth is
                // an infinity (TanhExp's slope beyond
                // x = 710: exp(x) * (1 - tanh(exp(x))^2) is inf * 0): the stabilizer's
                // limit, not the kernel's; counted and printed.
                if (std::isinf(ulps<T>(libm[q][i], truth[q][i]))) {
                    ++graph_limited;
                    allowed = INFINITY;
                }
                bool finite_where_true = !fast || !std::isfinite(truth[q][i]) ||
                                         std::fabs(truth[q][i]) > std::numeric_limits<T>::max() || std::isfinite(got);
                if (!(e <= allowed && finite_where_true) && failures++ < 5)
                    MESSAGE(f.info->name, " root ", q, " at ", static_cast<double>(x[0][i]), ": ", got, " vs ", truth[q][i]);
                if (conditioned) worst[q] = std::max(worst[q], e);
            };
            auto in_range = [&](size_t i) { return !fast || !(std::fabs(static_cast<double>(x[0][i])) > 1e18); };
            for (size_t i = 0; i < xs.size(); ++i)
                if (in_range(i)) check(0, i, static_cast<double>(y[i]));
            // Derivatives one element at a time: the parameters' too (per element).
            for (size_t i = 0; i < xs.size(); ++i) {
                if (!in_range(i)) continue;
                std::vector<std::vector<T>> xi(k);
                for (size_t j = 0; j < k; ++j) xi[j] = {x[j][i]};
                std::vector<std::vector<T>> d = kernels.backward(xi, {T(1)}, tparams, 0, 1, false, static_cast<int64_t>(i));
                for (size_t q = 0; q < inputs_and_learned; ++q) check(q + 1, i, static_cast<double>(d[q][0]));
            }
            // The worst error where the graph is well conditioned (for f64: see above).
            std::string line = fmt::format("{:>12} {}{} {:>8}: value {:.1f}", f.info->name, sizeof(T) == 4 ? "f32" : "f64",
                                           fast ? " fast" : "",
                                           cpu.empty() ? "host" : cpu, worst[0]);
            for (size_t q = 0; q < inputs_and_learned; ++q) line += fmt::format(", d/d{} {:.1f}", g.derivatives[q].variable, worst[q + 1]);
            if (graph_limited) line += fmt::format("; {} values where a double evaluation of the graph is not finite though the truth is (or NaN for an infinite truth)", graph_limited);
            MESSAGE(line);
            CHECK_MESSAGE(failures == 0, line);
        }
    }
}

}  // namespace

TEST_CASE("JIT kernels agree with MPFR on every standard activation, f32") {
    check_file<float>("examples/activations.act", 1, 1);
}

// Float lanes: within 4 ULP (value) and 8 (derivatives) where the graph is well
// conditioned in float, and finite wherever the truth is. (The literature's spellings
// are not held to it: float arithmetic itself overflows in some, e^x beyond 88.7 in
// TanhExp's slope, and amplifies a product's rounding in others, 30x in SIREN's;
// docs/numerics.md lists what fast kernels give there.)
TEST_CASE("fast f32 kernels agree with MPFR on every standard activation") {
    check_file<float>("examples/activations.act", 4, 8, true);
}

// check_file leaves |x| > 1e18 out of the fast kernels' test; hardswish's x * relu6(x + 3)
// / 6 is computed as x * (relu6(x + 3) / 6) (stabilize.hpp, rescale_quotients), so that
// its float lanes do not overflow x * 6 from 5.7e37 on.
TEST_CASE("fast f32 hardswish near the largest float: x, slope 1") {
    Library s("examples/activations.act");
    const LoweredFunction& f = *s.program.find("hardswish");
    for (const std::string& cpu : test_cpus()) {
        CAPTURE(cpu);
        Kernels<float> k = compile_for<float>(s.program, f, cpu, false, true);
        std::vector<float> x{1e38f, 3.4e38f, -3.4e38f, 6e37f};
        std::vector<float> y = k.forward({x}, {});
        std::vector<std::vector<float>> d = k.backward({x}, std::vector<float>(x.size(), 1.0f), {});
        CHECK(y[0] == 1e38f);
        CHECK(y[1] == 3.4e38f);
        CHECK(y[2] == 0.0f);
        CHECK(y[3] == 6e37f);
        CHECK(d[0] == std::vector<float>{1, 1, 0, 1});
    }
}

TEST_CASE("JIT kernels agree with MPFR on every standard activation, f64") {
    check_file<double>("examples/activations.act", 4, 4);
}

// Spellings the backend was not written for: 20 activations from the literature.
TEST_CASE("JIT kernels agree with MPFR on 20 literature activations, f32") {
    check_file<float>("tests/compiler/literature.act", 1, 1);
}

TEST_CASE("JIT kernels agree with MPFR on 20 literature activations, f64") {
    check_file<double>("tests/compiler/literature.act", 4, 4);
}
