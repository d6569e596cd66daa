// Each stabilization rule (compiler/stabilize.cpp) on the input that motivates it: the
// naive formula is wrong there (NaN, inf, 0 or digits lost), the stabilized one gives
// the true value. Expected values are derived by hand (closed forms evaluated with the
// C library at points where that is accurate), never by the code under test.
#include <doctest/doctest.h>

#include <cmath>

#include "../support.hpp"
#include "compiler/gradient.hpp"
#include "compiler/interpret.hpp"
#include "compiler/lower.hpp"
#include "compiler/series.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

struct Case {
    const char* definition;  // `f(x) = ...`, or with `; b = ...` parameters
    double x;
    double truth;
    double tolerance;  // relative; 0: exactly equal (and the same sign of zero)
    bool derivative = false;
    int which = 0;  // of the derivatives (inputs first, then learn parameters)
    Arithmetic arithmetic = Arithmetic::Double;  // the kernels' the graph is for
};

void check_case(const Case& c) {
    Checked checked(std::string(c.definition) + "\n");
    REQUIRE_MESSAGE(checked.errors() == "", c.definition);
    Program program = lower(checked.parsed, checked.module);
    const LoweredFunction& f = program.functions[0];
    std::vector<double> params;
    for (const auto& d : f.defaults) params.push_back(d.value_or(1.0));
    double in[] = {c.x};
    Environment env{in, params, 0, 0, false};
    Gradient g = gradient(program, f, c.arithmetic);
    Expr stable = c.derivative ? g.derivatives.at(static_cast<size_t>(c.which)).expr : g.value;
    double got = interpret(stable, env);
    INFO(c.definition, c.derivative ? " (derivative)" : "", " at ", c.x, ": ", got, ", truth ", c.truth);
    if (c.tolerance == 0) {
        CHECK(got == c.truth);
        CHECK(std::signbit(got) == std::signbit(c.truth));
    } else {
        CHECK(std::fabs(got - c.truth) <= c.tolerance * std::fabs(c.truth));
    }
}

}  // namespace

TEST_CASE("exp(x) - 1 -> expm1(x): no cancellation near 0") {
    // expm1(1e-10) = 1e-10 + 5e-21 + ...; the naive formula keeps about 7 digits.
    check_case({"f(x) = exp(x) - 1", 1e-10, 1.00000000005e-10, 1e-15});
    // ... and keeps the formula's zero: exp(-0) - 1 is +0 (expm1(-0) would be -0)
    check_case({"f(x) = exp(x) - 1", -0.0, 0.0, 0});
    check_case({"f(x; a = 2) = a * (exp(x / a) - 1)", -0.0, 0.0, 0});
    check_case({"f(x) = x > 0 ? x : exp(x) - 1", -0.0, 0.0, 0});
    check_case({"f(x) = exp(x) - 1", -1e-300, -1e-300, 1e-15});
}

TEST_CASE("log(1 + x) -> log1p(x): the digits of a small x") {
    check_case({"f(x) = log(1 + x)", 1e-12, 9.999999999995e-13, 1e-15});
}

TEST_CASE("log1p(exp(x)) -> softplus(x): no overflow, value and slope") {
    check_case({"f(x) = log(1 + exp(x))", 1000, 1000, 0});
    check_case({"f(x) = log(1 + exp(x))", 1000, 1, 0, true});
    check_case({"f(x) = log(1 + exp(x))", -1000, 0, 0});  // e^-1000 underflows: +0
}

TEST_CASE("exp(x) / (1 + exp(x)) -> sigmoid(x): never inf / inf") {
    check_case({"f(x) = exp(x) / (1 + exp(x))", 1000, 1, 0});
    check_case({"f(x) = exp(x) / (1 + exp(x))", -40, std::exp(-40.0) / (1 + std::exp(-40.0)), 1e-15});
}

TEST_CASE("a / (1 + exp(y)) -> a * sigmoid(-y): silu without inf / inf") {
    check_case({"f(x) = x / (1 + exp(-x))", -1000, -0.0, 0});
    check_case({"f(x) = x / (1 + exp(-x))", -INFINITY, -0.0, 0});
    check_case({"f(x) = x / (1 + exp(-x))", INFINITY, INFINITY, 0});
}

TEST_CASE("log(sigmoid(x)) -> -softplus(-x): logsigmoid's left tail") {
    check_case({"f(x) = log(1 / (1 + exp(-x)))", -1000, -1000, 0});
}

TEST_CASE("1 + tanh(u) and 1 - tanh(u) -> 2 * sigmoid(±2u): the tails do not cancel to 0") {
    // 1 + tanh(-20) = 2 e^-40 / (1 + e^-40); tanh(-20) rounds to -1 in double.
    double tail = 2 * std::exp(-40.0) / (1 + std::exp(-40.0));
    check_case({"f(x) = 1 + tanh(x)", -20, tail, 1e-14});
    check_case({"f(x) = 1 - tanh(x)", 20, tail, 1e-14});
}

TEST_CASE("1 ± erf(z) -> erfc(∓z): gelu's left tail") {
    double erfc10 = std::erfc(10.0);  // 2.088487583762545e-45
    check_case({"f(x) = 1 + erf(x)", -10, erfc10, 1e-15});
    check_case({"f(x) = 1 - erf(x)", 10, erfc10, 1e-15});
}

TEST_CASE("1 - tanh(u)^2 -> 4 * sigmoid(2u) * sigmoid(-2u): tanh's slope in its tails") {
    // sech(20)^2 = 4 e^-40 / (1 + e^-40)^2
    double e = std::exp(-40.0);
    check_case({"f(x) = 1 - tanh(x)^2", 20, 4 * e / ((1 + e) * (1 + e)), 1e-14});
    check_case({"f(x) = tanh(x)", -20, 4 * e / ((1 + e) * (1 + e)), 1e-14, true});
}

TEST_CASE("x + sqrt(x*x + c): squareplus without cancellation as x -> -inf") {
    // x + sqrt(x^2 + 4) = 4 / (sqrt(x^2 + 4) - x): at x = -1e10, 4 / 2e10.
    check_case({"f(x) = x + sqrt(x^2 + 4)", -1e10, 2e-10, 1e-15});
}

TEST_CASE("softsign and x / sqrt(x*x + c) have their limits at infinity") {
    check_case({"f(x) = x / (1 + abs(x))", INFINITY, 1, 0});
    check_case({"f(x) = x / (1 + abs(x))", -INFINITY, -1, 0});
    check_case({"f(x) = sqrt(x^2 + 1)", INFINITY, 1, 0, true});
    check_case({"f(x) = sqrt(x^2 + 1)", -INFINITY, -1, 0, true});
}

TEST_CASE("x + bounded -> x + (abs(x) == inf ? 0 : bounded): snake at infinity") {
    check_case({"f(x) = x + sin(x)^2", INFINITY, INFINITY, 0});
    check_case({"f(x) = x + sin(x)^2", -INFINITY, -INFINITY, 0});
}

TEST_CASE("a product with a factor exactly 0 on a region stays 0 there") {
    check_case({"f(x) = x * (x > 1 ? 1 : 0)", -INFINITY, 0, 0});
}

TEST_CASE("a * f -> decay_mul(a, f) for a vanishing f: the limit at -inf is 0") {
    check_case({"f(x) = x * exp(x)", -INFINITY, -0.0, 0});
    check_case({"f(x) = x * max(x + 3, 0)", -INFINITY, -0.0, 0});
}

// x * t / k with |t| <= |k|: x * (t / k) is x where t = k, exactly, while x * t
// overflows for x > DBL_MAX / k.
TEST_CASE("a product over a constant that bounds its factor is rescaled: hardswish near the largest double") {
    check_case({"f(x) = x * clamp(x + 3, 0, 6) / 6", 1.7e308, 1.7e308, 0});
    check_case({"f(x) = x * clamp(x + 3, 0, 6) / 6", 1.7e308, 1, 0, true});
    check_case({"f(x) = x * clamp(x + 3, 0, 6) / 6", -1.7e308, -0.0, 0});
    check_case({"f(x) = clamp(x + 3, 0, 6) * x / 6", 1.7e308, 1.7e308, 0});
    // erfc(-x) is 2 in double from x = 6 on: x * erfc(-x) / 2 (gelu times sqrt(2)) is x there
    check_case({"f(x) = x * erfc(-x) / 2", 1e308, 1e308, 0});
}

// Expected values below from mpmath at 300 bits, rounded to double.
TEST_CASE("of two vanishing factors the one that decays where the other grows is guarded: TanhExp's slope") {
    // x tanh(e^x): slope tanh(e^x) + x e^x sech^2(e^x), which is 1 in double from x = 20 on
    // (sech^2(e^x) decays as exp(-2 e^x)); the product e^x * sigmoids was inf * 0 from 710
    for (double x : {710.0, 1e300, double(INFINITY)}) check_case({"f(x) = x * tanh(exp(x))", x, 1, 0, true});
    check_case({"f(x) = x * tanh(exp(x))", 1, 1.0382654356632586791, 1e-15, true});
    check_case({"f(x) = x * tanh(exp(x))", -30, -2.7137106609636506354e-12, 1e-14, true});
}

TEST_CASE("a power times a factor the tails show decaying is guarded too: logish's slope, serf at -inf") {
    // logish x log(1 + sigmoid(x)): slope log(1 + s) + x s (1 - s) / (1 + s), log(2) at
    // +inf (was inf * 0); serf x erf(softplus(x)): 0 at -inf (was -inf * 0)
    check_case({"f(x) = x * log(1 + 1 / (1 + exp(-x)))", INFINITY, 0.69314718055994530942, 1e-15, true});
    check_case({"f(x) = x * log(1 + 1 / (1 + exp(-x)))", 1e200, 0.69314718055994530942, 1e-15, true});
    check_case({"f(x) = x * erf(log(1 + exp(x)))", -INFINITY, -0.0, 0});
}

TEST_CASE("p x + q x is x (p + q), and a quotient by a power of two rescaled: SMU at -inf and near the top") {
    // ((1 + a) x + (1 - a) x erf(mu (1 - a) x)) / 2 is 2 a x / 2 at -inf: -inf (was
    // -inf + inf), and x at 9.88e307 (was the overflow of 2 x before the halving)
    const char* smu = "f(x; alpha = 0.25, mu = 1) = ((1 + alpha) * x + (1 - alpha) * x * erf(mu * (1 - alpha) * x)) / 2";
    check_case({smu, -INFINITY, -INFINITY, 0});
    check_case({smu, 9.883184889497869e307, 9.883184889497869e307, 0});
    check_case({smu, -1e200, -2.5e199, 1e-15});
}

TEST_CASE("a root that is NaN at ±inf where the tails know its limit takes the limit there: Pade") {
    // (0.02 + 0.5 x + 0.4 x^2 + 0.1 x^3) / (1 + abs(0.3 x + 0.2 x^2)) is inf / inf at ±inf;
    // it grows like x / 2
    const char* pade = "f(x) = (0.02 + 0.5 * x + 0.4 * x^2 + 0.1 * x^3) / (1 + abs(0.3 * x + 0.2 * x^2))";
    check_case({pade, INFINITY, INFINITY, 0});
    check_case({pade, -INFINITY, -INFINITY, 0});
    check_case({pade, 2, 1.425, 1e-15});  // 3.42 / 2.4
    // (exp(x) - 1) / x: inf at inf (was inf / inf)
    check_case({"f(x) = (exp(x) - 1) / x", INFINITY, INFINITY, 0});
}

TEST_CASE("1 - sigmoid(u) and softplus(u) - u are sigmoid(-u) and softplus(-u): no cancellation as u grows") {
    check_case({"f(x) = 1 - 1 / (1 + exp(-x))", 40, 4.2483542552915889773e-18, 1e-15});
    check_case({"f(x) = log(1 + exp(x)) - x", 40, 4.2483542552915889863e-18, 1e-15});
    check_case({"f(x) = log(1 + exp(x)) - x", 800, 0, 0});  // e^-800 underflows: +0
    check_case({"f(x) = log(1 + exp(x)) - x", INFINITY, 0, 0});
}

TEST_CASE("a sum whose factors' limits cancel in a tail is reflected there: softplus with a temperature, ACON-C") {
    // t softplus(x / t)'s d/dt is softplus(u) - u sigmoid(u), u = x / t: both terms grow
    // like u, their difference is 2.9e-12 at x = 30 (mpmath); it was 0.19 % off. Past u = 0
    // it is softplus(-u) + u sigmoid(-u).
    const char* temperature = "f(x; learn t = 1) = t * log(1 + exp(x / t))";
    check_case({temperature, 30, 2.9008631203401870539e-12, 1e-14, true, 1});
    check_case({temperature, -30, 2.9008631203401870539e-12, 1e-14, true, 1});
    check_case({temperature, 700, 6.9116332571755993706e-302, 1e-14, true, 1});  // 701 e^-700
    // ACON-C's d/dp2 at x = 100: x - x sigmoid(u) - ..., u = beta (p1 - p2) x, is
    // -1.98e-29 (mpmath), it was 0; at -100 -100
    const char* acon = "f(x; learn p1 = 1, learn p2 = 0.25, learn beta = 1) = "
                       "(p1 - p2) * x / (1 + exp(-beta * (p1 - p2) * x)) + p2 * x";
    check_case({acon, 100, -1.9821913517379776788e-29, 1e-14, true, 2});
    check_case({acon, -100, -100, 1e-15, true, 2});
    // a tanh's left tail: x + x tanh(x) = 2 x sigmoid(2 x) is -2.4e-25 at -30, not 0
    check_case({"f(x) = x + x * tanh(x)", -30, -5.2539064576179153513e-25, 1e-14});
}

TEST_CASE("softplus with a sharpness, log(1 + exp(b x)) / b, is x near the top of the range, not inf") {
    const char* sharp = "f(x; beta = 2) = log(1 + exp(beta * x)) / beta";
    check_case({sharp, 1e308, 1e308, 0});  // (b x overflows; the truth is x + e^-2e308 / 2)
    check_case({sharp, -1e308, 0, 0});
    check_case({sharp, 0.5, 0.65663084375911141702, 1e-15});  // softplus(1) / 2 (mpmath)
    check_case({sharp, 0, 0.5, 0, true});                       // the slope at the select's edge
    check_case({sharp, 1e308, 1, 0, true});
}

TEST_CASE("a rational function takes its large-|x| form in 1/x past its polynomials' roots: Pade, 3frac") {
    // (0.02 + 0.5 x + 0.4 x^2 + 0.1 x^3) / (1 + abs(0.3 x + 0.2 x^2)) ~ x / 2 + 0.5: its x^3
    // overflowed from 1e103 (inf / inf = NaN from 1e154); truths from mpmath at 50 digits
    const char* pade = "f(x) = (0.02 + 0.5 * x + 0.4 * x^2 + 0.1 * x^3) / (1 + abs(0.3 * x + 0.2 * x^2))";
    check_case({pade, 1e200, 5e199, 1e-15});
    check_case({pade, -1e200, -5e199, 1e-15});
    check_case({pade, 1e120, 5e119, 1e-15});
    check_case({pade, 1e200, 0.5, 1e-15, true});
    check_case({pade, -1e300, 0.5, 1e-15, true});
    // 1/(x + 1) - 2/x + 1/(x - 1) = 2 / (x^3 - x): combined in MPFR, exactly, past the
    // poles; at 1e5 the written sum cancels 5e-15 of 2e-5 to nothing
    const char* three = "f(x) = 1 / (x + 1) - 2 / x + 1 / (x - 1)";
    check_case({three, 1e5, 2.0000000002e-15, 1e-15});
    check_case({three, -1e100, -2e-300, 1e-15});
    check_case({three, 1e5, -6.0000000010000000001e-20, 1e-15, true});
}

TEST_CASE("sin(x + e) - sin(x) and cos(x + e) - cos(x) by angle addition: their digits at any x (Hamming's 2sin, 2cos)") {
    // e = 1e-5 (a double); truths from mpmath at 400 digits (sin(1e300) needs them)
    const char* sd = "f(x; e = 0.00001) = sin(x + e) - sin(x)";
    const char* cd = "f(x; e = 0.00001) = cos(x + e) - cos(x)";
    check_case({sd, 1, 5.4029809850421071875e-6, 1e-15});
    check_case({sd, 1e10, 8.7312206019242949613e-6, 1e-15});
    check_case({sd, 1e300, -5.7538202253839877976e-6, 1e-15});
    check_case({cd, 1, -8.4147368630540137726e-6, 1e-15});
    check_case({cd, 1e10, 4.8750165948127228309e-6, 1e-15});
    check_case({cd, 1e300, 8.1788478903283706252e-6, 1e-15});
}

TEST_CASE("logsumexp and softmax of two as written: no overflow of exp, 1/2 on the diagonal, also at infinity") {
    auto at = [](const char* text, double a, double b, size_t root) {
        Checked checked(std::string(text) + "\n");
        REQUIRE(checked.errors() == "");
        Program program = lower(checked.parsed, checked.module);
        Gradient g = gradient(program, program.functions[0]);
        double in[] = {a, b};
        Expr e = root == 0 ? g.value : g.derivatives.at(root - 1).expr;
        return interpret(e, Environment{in, {}, 0, 0, false});
    };
    const char* lse = "f(a, b) = log(exp(a) + exp(b))";
    const char* sm = "f(a, b) = exp(a) / (exp(a) + exp(b))";
    // (mpmath: log(1 + e^-700) and 1 / (1 + e^700) are 9.8596765e-305 to 16 digits; 1000 + log(2))
    CHECK(at(lse, -700, 0, 0) == doctest::Approx(9.8596765437597708567e-305).scale(0).epsilon(1e-15));
    CHECK(at(lse, 1000, 1000, 0) == doctest::Approx(1000.6931471805599453).epsilon(1e-16));
    CHECK(at(lse, INFINITY, INFINITY, 0) == INFINITY);
    CHECK(at(lse, -INFINITY, -INFINITY, 0) == -INFINITY);
    CHECK(at(lse, 3, 3, 1) == 0.5);
    CHECK(at(lse, INFINITY, INFINITY, 2) == 0.5);
    CHECK(at(sm, 800, 0, 0) == 1);
    CHECK(at(sm, 0, 700, 0) == doctest::Approx(9.8596765437597708567e-305).scale(0).epsilon(1e-15));
    CHECK(at(sm, INFINITY, INFINITY, 0) == 0.5);
    CHECK(at(sm, -INFINITY, -INFINITY, 1) == 0.25);
    // silu(a) * b at (inf, 0): the limit with b held at 0 is 0, not inf * 0
    CHECK(at("f(a, b) = a / (1 + exp(-a)) * b", INFINITY, 0, 0) == 0);
}

TEST_CASE("exp(x) / (exp(x) - 1) in both tails: 1 at 800, -e^x at -717.5 (a subnormal, not -0), +inf at -0") {
    const char* q = "f(x) = exp(x) / (exp(x) - 1)";
    check_case({q, 800, 1, 0});
    check_case({q, -717.5, -2.4757639477289525082e-312, 1e-11});  // (mpmath; a subnormal, 2^-1074 is 2e-12 of it)
    check_case({q, -0.0, INFINITY, 0});
    check_case({q, 0.0, INFINITY, 0});
}

TEST_CASE("issue 10's listed cases not tested elsewhere: sigmoid as exp(x) (1 / (1 + exp(x))), sqp(-x), silu(a) b") {
    // the slope at 40 is sigmoid(40) sigmoid(-40) = 4.2483542552915890e-18 (it was 0), the
    // value at 18.6 0.99999999164160996849 (it was 1.5e-8 off; mpmath)
    const char* s = "f(x) = exp(x) * (1 / (1 + exp(x)))";
    check_case({s, 40, 4.2483542552915889592e-18, 1e-15, true});
    check_case({s, 18.6, 0.99999999164160996849, 2.3e-16});  // (1 ULP)
    // sqp(x; b = 4) = (x + sqrt(x*x + b)) / 2 at -x: (-x) * (-x) is x * x before the rule
    // that matches; at 1e7 it was 0.35 % off (mpmath: 9.99999999999990000000000e-8)
    check_case({"f(x) = sqp(-x)\nsqp(x; b = 4) = (x + sqrt(x * x + b)) / 2", 1e7, 9.9999999999999e-8, 1e-15});
}

TEST_CASE("a sum halved, and a quotient by a sum, do not overflow first: squareplus at both ends of the range") {
    // (x + sqrt(x^2 + b)) / 2: x + s overflowed before the halving at 1.02e308 (found by
    // check --report-accuracy), and b / (|x| + s) on the left to 0 (mpmath)
    const char* sq = "f(x; b = 4) = (x + sqrt(x^2 + b)) / 2";
    check_case({sq, 1.0211674029668262e308, 1.0211674029668262e308, 1e-16});
    check_case({sq, -1.7e308, 5.8823529411764706e-309, 1e-14});  // (b / (4 |x|): a subnormal)
    check_case({sq, -INFINITY, 0, 0});
    check_case({sq, INFINITY, INFINITY, 0});
}

TEST_CASE("exp(x^2) * erfc(x) is erfcx: finite and accurate where exp overflows and erfc underflows") {
    check_case({"f(x) = exp(x^2) * erfc(x)", 30, 0.018795888861416751497, 1e-15});
    check_case({"f(x) = exp(x^2) * erfc(x)", 100, 0.0056416137829894329, 1e-15});
    check_case({"f(x) = exp(x^2) * erfc(x)", 1e10, 5.6418958354775629e-11, 1e-15});
    check_case({"f(x) = exp(x^2) * erfc(x)", INFINITY, 0, 0});
    check_case({"f(x) = exp(x^2) * erfc(x)", 30, -0.00062583541050748406864, 1e-14, true});
    check_case({"f(x) = exp(x^2) * erfc(x)", 9.5, 0.059064678352563890854, 1e-15});
    // its slope at -30: 2 x erfcx(x) - 2 / sqrt(pi), -inf; the written one's
    // exp(-x^2) * exp(x^2) was 0 * inf
    check_case({"f(x) = exp(x^2) * erfc(x)", -30, -INFINITY, 0, true});
    // the same pair inside a longer product
    check_case({"f(x) = 0.5 * exp(x * x) * 3 * erfc(x)", 30, 1.5 * 0.018795888861416751497, 1e-15});
}

TEST_CASE("x / sqrt(c + k x^2) for a parameter or constant k: ISRU's limits, and no overflowed x^2") {
    // x / sqrt(1 + a x^2): ±1/sqrt(a) at ±inf (was NaN), 1 at 1e300 (was 0), slope
    // (1 + a x^2)^(-3/2)
    check_case({"f(x; a = 1) = x / sqrt(1 + a * x^2)", 1e300, 1, 0});
    check_case({"f(x; a = 4) = x / sqrt(1 + a * x^2)", INFINITY, 0.5, 0});
    check_case({"f(x; a = 4) = x / sqrt(1 + a * x^2)", -INFINITY, -0.5, 0});
    check_case({"f(x; a = 1) = x / sqrt(1 + a * x^2)", 1e10, 1e-30, 1e-15, true});
    check_case({"f(x; a = 1) = x / sqrt(1 + a * x^2)", 2, 0.089442719099991587856, 1e-15, true});
}

TEST_CASE("1 - cos(u) -> 2 sin(u / 2)^2: snake's parameter slope near 0") {
    // snake x + (1 - cos(2 a x)) / (2 a): d/da = x sin(2ax) / a - sin(ax)^2 / a^2, 1e-60 at
    // x = 1e-30 (was 2e-60: 1 - cos rounded to 0); its value at inf is inf (was NaN)
    Checked checked("snake(x; learn a = 1) = x + (1 - cos(2 * a * x)) / (2 * a)\n");
    Program program = lower(checked.parsed, checked.module);
    Gradient g = gradient(program, program.functions[0]);
    std::vector<double> params{1};
    double tiny[] = {1e-30}, one[] = {1}, inf[] = {INFINITY};
    CHECK(interpret(g.derivatives[1].expr, {tiny, params, 0, 0, false}) == doctest::Approx(1e-60).scale(0).epsilon(1e-15));
    CHECK(interpret(g.derivatives[1].expr, {one, params, 0, 0, false}) ==
          doctest::Approx(0.2012240085521105).scale(0).epsilon(1e-14));
    CHECK(interpret(g.value, {inf, params, 0, 0, false}) == INFINITY);
    check_case({"f(x) = (1 - cos(x)) / (x * x)", 1e-5, 0.49999999999583333333, 1e-15});
}

TEST_CASE("sinh and cosh written through exp: finite up to 710.5, no cancellation near 0") {
    // (e^x - e^-x) / 2 overflows from 709.8 on (e^x does); sinh(710) is finite.
    check_case({"f(x) = (exp(x) - exp(-x)) / 2", 710, 1.1169973830808555e+308, 1e-15});
    check_case({"f(x) = (exp(x) - exp(-x)) / 2", 710, 1.1169973830808555e+308, 1e-15, true});
    check_case({"f(x) = 0.5 * (exp(x) - exp(-x))", -710, -1.1169973830808555e+308, 1e-15});
    // e^x - e^-x at 1e-10 keeps about 6 digits of 2e-10
    check_case({"f(x) = (exp(x) - exp(-x)) / 2", 1e-10, 1e-10, 1e-15});
    check_case({"f(x) = (exp(x) + exp(-x)) / 2", -710.4, 1.6663642832806496e+308, 1e-15});
    check_case({"f(x) = 0.5 * (exp(-x) + exp(x))", 710, 1.1169973830808555e+308, 1e-15});
    // cosh(x) - 1 = 2 sinh(x/2)^2: at 1e-5, 5.0000000000416675e-11, not 5.000000413701855e-11
    check_case({"f(x) = cosh(x) - 1", 1e-5, 5.0000000000416675e-11, 1e-15});
    check_case({"f(x) = (exp(x) + exp(-x)) / 2 - 1", 1e-5, 5.0000000000416675e-11, 1e-15});
}

TEST_CASE("tanh written through exp, as sinh over cosh: its limits, not inf / inf") {
    check_case({"f(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))", 800, 1, 0});
    check_case({"f(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))", -INFINITY, -1, 0});
    check_case({"f(x) = (exp(2 * x) - exp(-2 * x)) / (exp(2 * x) + exp(-2 * x))", 400, 1, 0});
    check_case({"f(x) = sinh(x) / cosh(x)", 300, 1.0601586212017243e-260, 1e-13, true});
    // mish with its tanh through exp: 800 at 800 (the naive formula: inf / inf)
    check_case({"f(x) = x * (exp(log(1 + exp(x))) - exp(-log(1 + exp(x)))) / "
                "(exp(log(1 + exp(x))) + exp(-log(1 + exp(x))))",
                800, 800, 0});
}

TEST_CASE("asinh written through log and sqrt: no cancellation for x -> -inf, no overflow of x*x") {
    check_case({"f(x) = log(x + sqrt(x * x + 1))", -1e10, -23.7189981105004, 1e-15});
    check_case({"f(x) = log(x + sqrt(x^2 + 1))", 1e200, 461.2101657793691, 1e-15});
    check_case({"f(x) = log(sqrt(1 + x * x) + x)", 1e-10, 1e-10, 1e-15});
    check_case({"f(x) = log(x + sqrt(x * x + 1))", -1e10, 1e-10, 1e-15, true});
}

TEST_CASE("atan's and asinh's slopes do not overflow a*a to a zero the truth does not have") {
    check_case({"f(x) = atan(x)", 1e20, 1e-40, 1e-15, true});
    check_case({"f(x) = atan(x)", -INFINITY, 0, 0, true});
    check_case({"f(x) = asinh(x)", 1e200, 1e-200, 1e-15, true});
    check_case({"f(x) = asinh(x)", -1e200, 1e-200, 1e-15, true});
    check_case({"f(x) = asinh(2 * x)", 1e200, 1e-200, 1e-15, true});
}

// Issue 10's general methods. Truths from mpmath at 60 (900 where a*a + 1 needs it)
// digits, rounded to double.
namespace {

// The stabilized value's root kind, and its value at x.
struct Stable {
    explicit Stable(const char* definition) : checked(std::string(definition) + "\n") {
        REQUIRE_MESSAGE(checked.errors() == "", definition);
        program = lower(checked.parsed, checked.module);
        value = gradient(program, program.functions[0]).value;
    }
    double at(double x) const {
        double in[] = {x};
        return interpret(value, Environment{in, {}, 0, 0, false});
    }
    Checked checked;
    Program program;
    Expr value = nullptr;
};

}  // namespace

TEST_CASE("a difference whose sums cancel a term is rewritten to cancel exactly (linear.hpp)") {
    // sqrt(A) - sqrt(B), A - B = 1 however the sums are nested
    check_case({"f(x) = sqrt(x + 1) - sqrt(x)", 1e12, 4.99999999999875e-07, 1e-15});
    check_case({"f(x) = sqrt(1 + (x + 0)) - sqrt(x)", 1e12, 4.99999999999875e-07, 1e-15});
    // sqrt(A) - q where A - q*q cancels: only for q > 0 near sqrt(A) ...
    check_case({"f(x) = sqrt(x * x + 1) - x", 1e200, 5e-201, 1e-15});
    check_case({"f(x) = sqrt(x * x + 1) - 1", 1e-8, 5e-17, 1e-15});
    // ... elsewhere the difference as written (0.75: 1.25 - 0.75)
    check_case({"f(x) = sqrt(x * x + 1) - x", 0.75, 0.5, 0});
    // log(A) - log(B) -> log1p((A - B) / B) where A / B is near 1, and the domain kept
    check_case({"f(x) = log(x + 1) - log(x)", 1e16, 1e-16, 1e-15});
    CHECK(std::isnan(Stable("f(x) = log(x + 1) - log(x)").at(-2.0)));
    // p / B - q / D, p D - q B = -1
    check_case({"f(x) = 1 / (x + 1) - 1 / x", 1e8, -9.999999900000002e-17, 1e-15});
    // no overflow of x*x in a root past 1.3e154
    check_case({"f(x) = sqrt(x * x + 4)", 1e200, 1e200, 1e-15});
    // a term with a domain does not cancel: NaN stays NaN outside it
    CHECK(std::isnan(Stable("f(x) = (log(x) + 1) - log(x)").at(-1.0)));
    CHECK(std::isnan(Stable("f(x) = sqrt(x) + 2 - sqrt(x)").at(-1.0)));
    CHECK(std::isnan(Stable("f(x) = (1 / x + 1) - 1 / x").at(0.0)));
    CHECK(Stable("f(x) = (x * x + 1) - x * x").at(1e200) == 1.0);
}

TEST_CASE("the quotient rule takes b'/b from b's factors: no overflow of b and b' together") {
    check_case({"f(x) = x + x^-3", 1e160, 1.0, 0, true});
    check_case({"f(x) = x + 4 / (exp(x) + exp(-x))^2", 400, 1.0, 0, true});
}

TEST_CASE("a difference that cancels at 0 is its Taylor polynomial there (taylor.hpp)") {
    check_case({"f(x) = x - sin(x)", 1e-5, 1.6666666666583332e-16, 4e-16});
    check_case({"f(x) = x - sin(x)", 0.5, 0.020574461395796998, 4e-16});
    check_case({"f(x) = x - sin(x)", 1e-3, 4.999999583333347e-07, 4e-16, true});
    check_case({"f(x) = (1 - cos(x)) / (x * x)", 1e-4, 0.49999999958333335, 4e-16});
    // and keeps the limit at inf: x - sin(x) is inf, not inf - NaN
    check_case({"f(x) = x - sin(x)", INFINITY, INFINITY, 0});
    // a difference of such a difference and another term: its series from x - sin(x),
    // not from the polynomial's rounded coefficients (mpmath at 400 digits, at the doubles;
    // it was 3.5e-10 off at 1e-3)
    const char* nested = "f(x) = x - sin(x) - x^3 / 6";
    check_case({nested, 1e-30, -8.3333333333333368057e-153, 1e-15});
    check_case({nested, 1e-3, -8.3333331349206385437e-18, 1e-15});
    check_case({nested, 0.3, -0.000020206661339575101585, 1e-15});
    check_case({nested, 2.0, -0.24263076015901502873, 1e-14});
    // tanh's series converges only within pi / 2, short of where x - tanh(x) is accurate
    // again (x = 4): the polynomial out to 0.125 (where 20 terms reach the double's
    // precision), the difference as written beyond (a few dozen ULP in f64 next to 0.125). At 1e-30 it is 3.3e-91 (it was 0), at 1e-6 (issue 10: 2,450 ULP
    // off in f32) 3.33e-19; the slope tanh(x)^2 alike (values: mpmath at 200 digits)
    const char* shrink = "f(x) = x - tanh(x)";
    check_case({shrink, 1e-30, 3.3333333333333341667e-91, 4e-16});
    check_case({shrink, 1e-6, 3.3333333333319995475e-19, 4e-16});
    check_case({shrink, 0.1, 0.00033200537504418293684, 4e-16});
    check_case({shrink, 0.7, 0.09563222288283648747, 2e-15});  // (the written form: a few ULP)
    check_case({shrink, 1e-30, 1.0000000000000001667e-60, 4e-16, true});
    check_case({shrink, 1e-6, 9.9999999999933324283e-13, 4e-16, true});
    check_case({shrink, 0.1, 0.0099337091525602227477, 4e-16, true});
}

TEST_CASE("a Taylor polynomial for f32 kernels is as short as their results need (arithmetic.hpp)") {
    // x - tanh(x): in double lanes rounded to float, the written difference is good
    // enough where its condition number (|x| + |tanh x|) / |x - tanh x|, about 6 / x^2, is
    // at most 2^11: from 2^-4 on (1536; at 2^-5 it is 6144); in float lanes it must be at
    // most 2 as in double, and the 20-term limit at 2^-29 reaches 0.25 (0.125 at 2^-56)
    Checked checked("f(x) = x - tanh(x)\n");
    Program program = lower(checked.parsed, checked.module);
    auto radius_and_size = [&](Arithmetic a) {
        Expr value = gradient(program, program.functions[0], a).value;
        double radius = 0;
        for (Expr e : topological_order({value}))
            if (e->kind == Kind::Lt && (*e)[0]->kind == Kind::Abs && (*e)[1]->kind == Kind::Constant)
                radius = (*e)[1]->value;
        return std::pair(radius, topological_order({value}).size());
    };
    auto [r64, n64] = radius_and_size(Arithmetic::Double);
    auto [r32, n32] = radius_and_size(Arithmetic::DoubleToFloat);
    auto [rf, nf] = radius_and_size(Arithmetic::Float);
    CHECK(r64 == 0.125);
    CHECK(r32 == 0.0625);
    CHECK(rf == 0.25);
    CHECK(n32 < nf);
    CHECK(nf < n64);
    // and still what the results need (mpmath at 60 digits, at the doubles): 2^-42 of the value for
    // double rounded to float, 2^-26 for float, on both sides of each radius
    const char* shrink = "f(x) = x - tanh(x)";
    for (double x : {1e-30, 1e-6, 0.05, 0.07}) {
        double truth = x == 1e-30 ? 3.3333333333333341667e-91
                     : x == 1e-6  ? 3.3333333333319995475e-19
                     : x == 0.05  ? 4.162504212002780854098e-05
                                  : 0.0001141096835710141424179;
        check_case({shrink, x, truth, 0x1p-42, false, 0, Arithmetic::DoubleToFloat});
    }
    check_case({shrink, 0.2, 0.002624679775095999694352, 0x1p-26, false, 0, Arithmetic::Float});
    check_case({shrink, 0.3, 0.00868738754840909323961, 0x1p-26, false, 0, Arithmetic::Float});
}

TEST_CASE("a Taylor select's derivative drops its polynomial where the written form's no longer cancels") {
    // x - tanh(x)'s slope, 1 - (1 - tanh(x)^2), is tanh(x)^2 once 1 - sech(x)^2 is
    // rewritten: no cancellation left, so no polynomial (each is a node of every
    // kernel); the value keeps its own
    Checked checked("f(x) = x - tanh(x)\n");
    Program program = lower(checked.parsed, checked.module);
    Gradient g = gradient(program, program.functions[0]);
    auto selects = [](Expr root) {
        int n = 0;
        for (Expr e : topological_order({root})) n += e->kind == Kind::Select;
        return n;
    };
    CHECK(selects(g.value) == 1);
    CHECK(selects(g.derivatives.at(0).expr) == 0);
    // x - sin(x)'s slope, 1 - cos(x), is 2 sin(x / 2)^2 alike; its value at 1e-5
    // (mpmath): 4.99999999995833e-11
    check_case({"f(x) = x - sin(x)", 1e-5, 4.9999999999583333e-11, 4e-16, true});
    // where the derivative still cancels, the polynomial stays: x - log1p(x)'s slope, 1 -
    // 1 / (1 + x), at 1e-5 is x / (1 + x) (mpmath: 9.9999000009999908e-06); exp(x) - 1 -
    // x's, expm1(x), needs none
    Checked other("h(x) = x - log1p(x)\nk(x) = exp(x) - 1 - x\n");
    Program both = lower(other.parsed, other.module);
    CHECK(selects(gradient(both, both.functions[0]).derivatives.at(0).expr) == 1);
    CHECK(selects(gradient(both, both.functions[1]).derivatives.at(0).expr) == 0);
    check_case({"f(x) = x - log1p(x)", 1e-5, 9.9999000009999908e-06, 4e-16, true});
    check_case({"f(x) = exp(x) - 1 - x", 1e-5, 1.0000050000166668e-05, 4e-16, true});
}

TEST_CASE("a difference of two poles whose sum is regular is its Taylor polynomial near 0 (taylor.hpp)") {
    // the quotient rule's slope of expm1(x) / x, exp(x) / x - (expm1(x) / x) / x: each
    // term about 1 / x, the difference 1/2 + x/3 + ...; it was 0 or wrong in every bit
    // below 1e-8 (values: mpmath at 40 digits)
    const char* e = "f(x) = (exp(x) - 1) / x";
    check_case({e, 1e-8, 0.50000000333333334583, 4e-16, true});
    check_case({e, -0.7, 0.31796935419306903062, 4e-16, true});
    check_case({e, 1e-300, 0.5, 0, true});
    // (1 - cos(x)) / x^2's slope, a pole difference around a regular one: the inner
    // difference's guard of x = 0 does not stop the outer's series
    const char* c = "f(x) = (1 - cos(x)) / (x * x)";
    check_case({c, 1e-8, -8.3333333333333333e-10, 4e-16, true});
    check_case({c, -1e-5, 8.3333333332777777778e-07, 4e-16, true});
    // at 0 itself, what the formula says: 0 / 0 is NaN for the value and its slope
    Checked checked("f(x) = (exp(x) - 1) / x\n");
    Program program = lower(checked.parsed, checked.module);
    Gradient g = gradient(program, program.functions[0]);
    double zero[] = {0.0};
    CHECK(std::isnan(interpret(g.derivatives.at(0).expr, Environment{zero, {}, 0, 0, false})));
}

TEST_CASE("a quotient of an exponential that overflows first is rescaled past 709 (rescale.hpp)") {
    // expm1(x) / x at 710 is 3.1e305, not inf; its slope exp(x) / x - (expm1(x) / x) / x
    // at 715 is 4.6e307, not inf - inf; exp(x) / x^100 at 800 is 1.3e57 (mpmath, 30 digits)
    check_case({"f(x) = (exp(x) - 1) / x", 710, 3.1464715016362127e+305, 4e-16});
    check_case({"f(x) = (exp(x) - 1) / x", 715, 4.6306364820691974e+307, 1e-15, true});
    check_case({"f(x) = exp(x) / x", 712, 2.3184146982986436e+306, 4e-16});
    check_case({"f(x) = exp(x) / x^100", 800, 1.3384027595911686e+57, 1e-15});
    // an exponential and a rest free of exponentials: (exp(x) - 1 - x) / x^2, numerator
    // expm1(x) - x, at 712 is 3.26e303 and at 720 9.49e306, not inf (mpmath, 60 digits)
    check_case({"f(x) = (exp(x) - 1 - x) / x^2", 712, 3.2562004189587691513e+303, 1e-15});
    check_case({"f(x) = (exp(x) - 1 - x) / x^2", 720, 9.4920928438731013077e+306, 1e-15});
    check_case({"f(x) = (x + exp(x)) / x^2", 712, 3.2562004189587691513e+303, 1e-15});
    // but a rest that grows like an exponential is not scaled as if it were small:
    // (exp(x) - cosh(x)) / x^2 at 712 is 1.6281002094793846e+303 (mpmath), and the scaled
    // form gave -inf; NaN (inf - inf, as written) is no invented value
    double got = Stable("f(x) = (exp(x) - cosh(x)) / x^2").at(712);
    INFO("(exp(x) - cosh(x)) / x^2 at 712: ", got);
    CHECK((std::isnan(got) || std::fabs(got - 1.6281002094793846e+303) <= 1e-15 * 1.6281002094793846e+303));
    // below 709 the quotient as it was, exactly
    check_case({"f(x) = exp(x) / x", 2, 3.6945280494653252, 4e-16});
}

TEST_CASE("Taylor coefficients by power-series arithmetic are the exact ones, rounded once (series.hpp)") {
    // tanh's: 2^(2n) (2^(2n) - 1) B_(2n) / (2n)!, here the x^29 one (mpmath, exact
    // rationals), which a division by 29! in double had rounded the wrong way
    Graph g;
    Expr x = g.input(0);
    auto t = taylor_series(g.make(Kind::Tanh, {x}), x, 0, 32);
    REQUIRE(t);
    CHECK((*t)[1] == 1);
    CHECK((*t)[2] == 0);
    CHECK((*t)[3] == -1.0 / 3);
    CHECK((*t)[29] == 2.6147711512907546e-06);
    CHECK((*t)[31] == -1.0597268320104654e-06);
    // sin's x^23 coefficient, -1 / 23!: 3.868170170630684e-23 correctly rounded
    auto s = taylor_series(g.make(Kind::Sin, {x}), x, 0, 24);
    REQUIRE(s);
    CHECK((*s)[23] == -3.868170170630684e-23);
    // at another point: exp(x) at 1, e / k!
    auto e = taylor_series(g.make(Kind::Exp, {x}), x, 1, 4);
    REQUIRE(e);
    CHECK((*e)[0] == 2.718281828459045);
    CHECK((*e)[3] == 0.45304697140984085);  // e / 6
    // not analytic at the point: abs(x) at 0, log(x) at 0; but abs(x) == inf is fine
    CHECK(!taylor_series(g.make(Kind::Abs, {x}), x, 0, 4));
    CHECK(!taylor_series(g.make(Kind::Log, {x}), x, 0, 4));
    Expr guarded = g.make(Kind::Select, {g.make(Kind::Eq, {g.make(Kind::Abs, {x}), g.constant(INFINITY)}),
                                          g.constant(0), g.make(Kind::Sin, {x})});
    auto gs = taylor_series(guarded, x, 0, 4);
    REQUIRE(gs);
    CHECK((*gs)[3] == -1.0 / 6);
}

TEST_CASE("exponentials beside sigmoids: exp(u) sigmoid(-u) is sigmoid(u), expm1(u) sigmoid(-u) is tanh(u / 2)") {
    // silu through exp: finite past 709.8, where exp(x) overflows
    check_case({"f(x) = x * exp(x) / (1 + exp(x))", 750, 750.0, 0});
    check_case({"f(x) = exp(x) * (1 / (1 + exp(x)))", 800, 1.0, 0});
    // tanh through exp
    check_case({"f(x) = (exp(2 * x) - 1) / (exp(2 * x) + 1)", 400, 1.0, 0});
    check_case({"f(x) = (exp(2 * x) - 1) / (exp(2 * x) + 1)", 0.1, 0.09966799462495582, 4e-16});
    // exp(u) / (exp(u) - 1) = -1 / expm1(-u)
    check_case({"f(x) = exp(x) / (exp(x) - 1)", 800, 1.0, 0});
    check_case({"f(x) = exp(x) / (exp(x) - 1)", 1e-3, 1000.500083333332, 4e-16});
}

TEST_CASE("a series is taken near the point, not at it: x == 0 ? f : g at 0 is g's series (series.hpp)") {
    Graph g;
    Expr x = g.input(0);
    Expr guarded = g.make(Kind::Select, {g.make(Kind::Eq, {x, g.constant(0)}), g.constant(7), g.make(Kind::Exp, {x})});
    auto s = taylor_series(guarded, x, 0, 3);
    REQUIRE(s);
    CHECK((*s)[0] == 1);
    CHECK((*s)[2] == 0.5);
    // x != 0 alike; but x < 0 changes at 0, so no series
    Expr other = g.make(Kind::Select, {g.make(Kind::Ne, {x, g.constant(0)}), g.make(Kind::Exp, {x}), g.constant(7)});
    REQUIRE(taylor_series(other, x, 0, 3));
    CHECK((*taylor_series(other, x, 0, 3))[1] == 1);
    Expr kink = g.make(Kind::Select, {g.make(Kind::Lt, {x, g.constant(0)}), g.constant(7), g.make(Kind::Exp, {x})});
    CHECK(!taylor_series(kink, x, 0, 3));
}
