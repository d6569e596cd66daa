// The measuring check (compiler/measure.hpp): it finds the binades where a graph loses
// accuracy and no others, its bits of error are Herbie's, and its reports are cached.
// The expected ranges are derived by hand: exp(x) - 1 in double is exp(x)'s rounding
// error, 2^-53 at most, over an ULP of x, so more than 4 ULP wherever |x| < 1/16 and
// within 2 ULP from |x| = 1 on.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "compiler/gradient.hpp"
#include "compiler/interpret.hpp"
#include "compiler/lower.hpp"
#include "compiler/measure.hpp"
#include "compiler/search.hpp"
#include "../support.hpp"

using namespace actjit;

TEST_CASE("bits of error count the values between the result and the rounded truth, as Herbie does") {
    Truth one{1, 1, false};
    CHECK(bits_of_error<double>(1, one) == 0);
    CHECK(bits_of_error<double>(std::nextafter(1.0, 2.0), one) == 1);              // log2(1 + 1)
    CHECK(bits_of_error<double>(1 + 3 * 0x1p-52, one) == doctest::Approx(2));      // log2(1 + 3)
    CHECK(bits_of_error<double>(NAN, one) == 64);
    CHECK(bits_of_error<float>(NAN, one) == 32);
    CHECK(bits_of_error<double>(NAN, Truth{0, 0, true}) == 0);
    // -0 and +0 are one value apart; a truth interval counts from its nearer end
    CHECK(bits_of_error<double>(-0.0, Truth{0, 0, false}) == 1);
    CHECK(bits_of_error<double>(2, Truth{1, 3, false}) == 0);
    // in float, 1 + 2^-30 is 1
    CHECK(bits_of_error<float>(1 + 0x1p-30, one) == 0);
}

TEST_CASE("the measuring check finds the binades where exp(x) - 1 cancels, and none in expm1(x)") {
    Graph g;
    Expr x = g.input(0);
    Expr naive = g.make(Kind::Sub, {g.make(Kind::Exp, {x}), g.constant(1)});
    Expr stable = g.make(Kind::Expm1, {x});
    MeasureOptions options;
    AccuracyReport bad = measure_accuracy({naive}, {naive}, 1, {}, options);
    AccuracyReport good = measure_accuracy({naive}, {stable}, 1, {}, options);
    REQUIRE(bad.roots.size() == 1);
    // one point per binade of each sign (2047 exponents of finite doubles); exp(x) - 1 past
    // 3e18 leaves even MPFR's range, and so does its truth: not computable
    CHECK(bad.points + bad.unknown == 4094);
    CHECK(bad.points > 3000);
    CHECK(good.losses.empty());
    CHECK(good.roots[0].max_ulp <= 1);
    CHECK(good.roots[0].bits < 0.1);
    // for each sign: every binade below 2^-53 is lost (exp(x) rounds to 1, the result to 0)
    // in one range from 0 (the subnormals), and nothing from 1 up
    for (bool negative : {false, true}) {
        bool from_zero = false;
        for (const AccuracyLoss& l : bad.losses) {
            if (l.negative != negative) continue;
            CHECK(l.root == 0);
            CHECK(l.to <= 1);
            from_zero |= l.from == 0 && l.to > 0x1p-53;
        }
        CHECK(from_zero);
    }
    // every binade below 2^-53 gives 0 for x, 2^52 ULP or more; about half the binades
    CHECK(bad.roots[0].bits > 20);
}

TEST_CASE("a derivative's goal is 16 ULP, 2048 past |x| = 20 in f64, and the value's 4") {
    CHECK(goal_ulps(0, 100, false) == 4);
    CHECK(goal_ulps(1, 1, false) == 16);
    CHECK(goal_ulps(1, -21, false) == 2048);
    CHECK(goal_ulps(1, -21, true) == 16);
}

TEST_CASE("a report is cached by the graphs' hash, in memory and on disk") {
    Graph g;
    Expr x = g.input(0);
    Expr f = g.make(Kind::Mul, {x, g.make(Kind::Sigmoid, {x})});
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "actjit_measure_test";
    std::filesystem::remove_all(dir);
    MeasureOptions options;
    options.f32 = true;
    options.seed = 42;
    options.per_binade = 8;
    AccuracyReport first = measure_accuracy({f}, {f}, 1, {}, options, dir.string());
    AccuracyReport second = measure_accuracy({f}, {f}, 1, {}, options, dir.string());
    CHECK(!first.cached);
    CHECK(second.cached);
    CHECK(second.points == first.points);
    CHECK(second.roots[0].max_ulp == first.roots[0].max_ulp);
    CHECK(first.points == 2 * 255 * 8);
    size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) files += entry.path().extension() == ".txt";
    CHECK(files == 1);
    std::filesystem::remove_all(dir);
}

TEST_CASE("the bounded search takes the Taylor polynomial where the rules' form cancels: the logistic density's slope") {
    // exp(-x) / (1 + exp(-x))^2 = sigmoid(x) sigmoid(-x); its slope -f(x) tanh(x / 2) is
    // -1.25e-21 at 1e-20, where the rules' form, a difference of two products of sigmoids,
    // cancels to nothing (mpmath: -1.25e-21 (1 - 4e-41))
    actjit::testing::Checked checked("f(x) = exp(-x) / (1 + exp(-x))^2\n");
    Program program = lower(checked.parsed, checked.module);
    const LoweredFunction& f = program.functions[0];
    Gradient written = readable_gradient(program, f), rules = gradient(program, f);
    std::vector<Expr> w{written.value, written.derivatives[0].expr}, s{rules.value, rules.derivatives[0].expr};
    SearchReport report;
    std::vector<Expr> found = search_stabilized(program.graph, w, s, 1, {}, false, &report);
    double at[] = {1e-20};
    Environment env{at, {}};
    const double truth = -1.25e-21;
    CHECK(std::fabs(interpret(s[1], env) - truth) > 0.5 * std::fabs(truth));  // (what the search is for)
    CHECK(std::fabs(interpret(found[1], env) - truth) <= 4e-16 * std::fabs(truth));
    bool taylor = false;
    for (const Regime& r : report.regimes) taylor |= r.root == 1 && r.candidate == "taylor" && r.from == 0;
    CHECK(taylor);
    // away from 0 the rules' form stays (at 3: -0.040891574660943479, mpmath)
    double far[] = {3};
    CHECK(interpret(found[1], Environment{far, {}}) == doctest::Approx(-0.040891574660943479).epsilon(1e-15));
}
