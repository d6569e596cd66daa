// The truth `actjit accuracy` measures against (compiler/reference.hpp): the interval
// oracle's intervals hold the exact value (checked against MPFR, Ziv's way), the classic
// cancellations and overflows are decided by anchored and logarithmic intervals, what
// they cannot decide goes to MPFR and gets the true value, also where MPFR at a fixed
// precision cancels to a false 0, a formula that leaves MPFR's range is decided by its
// stabilized form, and what neither can decide is unknown.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "compiler/interpret_mpfr.hpp"
#include "compiler/reference.hpp"
#include "stdlib_fixture.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

struct Formula {
    Checked checked;
    Program program;
    std::vector<Expr> written, stabilized;
    explicit Formula(const std::string& text, const char* name = "f")
        : checked(text), program(lower(checked.parsed, checked.module)) {
        const LoweredFunction& f = *program.find(name);
        Gradient r = readable_gradient(program, f), s = gradient(program, f);
        written.push_back(r.value);
        stabilized.push_back(s.value);
        for (size_t j = 0; j < r.derivatives.size(); ++j) {
            Expr w = r.derivatives[j].expr ? r.derivatives[j].expr : program.graph.constant(0);
            written.push_back(w);
            stabilized.push_back(s.derivatives[j].expr ? s.derivatives[j].expr : w);
        }
    }
};

}  // namespace

TEST_CASE("the interval oracle's truths hold the exact value, for every standard activation") {
    Stdlib& s = stdlib();
    std::vector<double> points = spread(400, 1e4);
    // the tails, where anchors and logarithms carry the value
    for (double p : {1e-30, 1e-40, 3e-6, 20.0, 37.7, 300.0, 400.0, 700.0, 720.0, 1000.0, 1e5, 1e30, 3e38}) {
        points.push_back(p);
        points.push_back(-p);
    }
    for (double& p : points) p = static_cast<float>(p);
    for (const LoweredFunction& f : s.program.functions) {
        if (f.info->inputs.size() != 1) continue;
        CAPTURE(f.info->name);
        Gradient r = readable_gradient(s.program, f), st = gradient(s.program, f);
        std::vector<Expr> written{r.value}, stabilized{st.value};
        for (size_t j = 0; j < r.derivatives.size(); ++j) {
            Expr w = r.derivatives[j].expr ? r.derivatives[j].expr : s.program.graph.constant(0);
            written.push_back(w);
            stabilized.push_back(st.derivatives[j].expr ? st.derivatives[j].expr : w);
        }
        Reference reference(written, stabilized, 24);
        std::vector<double> params = s.defaults(f);
        std::vector<Truth> truth(written.size());
        int by_interval = 0, by_mpfr = 0;
        for (size_t i = 0; i < points.size(); ++i) {
            double x[] = {points[i]};
            Environment env{x, params, 0, i, false};
            if (reference.evaluate(env, truth) != Reference::Oracle::Interval) continue;
            ++by_interval;
            // MPFR at a fixed 1024 bits gets 1 + erf(-26.7) = 0: Ziv's doubling, with
            // exact zeros from rounded operands not taken as agreement.
            std::vector<Truth> mpfr(written.size());
            if (reference.evaluate_mpfr(env, mpfr) == Reference::Oracle::Unknown) continue;
            ++by_mpfr;
            for (size_t c = 0; c < written.size(); ++c) {
                CAPTURE(points[i]);
                CAPTURE(c);
                double exact = mpfr[c].lo;
                if (truth[c].nan) {
                    CHECK(mpfr[c].nan);
                } else {
                    REQUIRE(!mpfr[c].nan);
                    CHECK(exact >= truth[c].lo);
                    CHECK(exact <= truth[c].hi);
                    // narrow: at most 2^-10 of a float ULP
                    CHECK(truth[c].hi - truth[c].lo <= std::fabs(exact) * 0x1p-33 + 0x1p-149);
                }
            }
        }
        CHECK(by_interval > 0);
        CHECK(by_mpfr > by_interval / 2);
    }
}

// The value and each derivative at x, by the oracle, and by MPFR alone.
struct Decided {
    Reference::Oracle oracle;
    std::vector<Truth> truth, mpfr;
};
Decided decide(const char* text, double x) {
    Formula f(text);
    Reference reference(f.written, f.stabilized, 24);
    Decided d{{}, std::vector<Truth>(f.written.size()), std::vector<Truth>(f.written.size())};
    double at[] = {x};
    d.oracle = reference.evaluate({at, {}, 0, 0, false}, d.truth);
    reference.evaluate_mpfr({at, {}, 0, 0, false}, d.mpfr);
    return d;
}

TEST_CASE("anchored and logarithmic intervals decide the classic cancellations and overflows") {
    struct Case {
        const char* text;
        double x;
        std::vector<double> expected;  // value and slope, from the closed forms below
    };
    // exp(x) - 1 = expm1(x); log(1 + e^x) = e^x (1 - e^x / 2) for x = -100;
    // 0.5 x (1 + erf(x / sqrt 2)) = 0.5 x erfc(-x / sqrt 2); 1 - tanh(20)^2 = 4 e^-40 / (1 + e^-40)^2;
    // at x = 1e30, log(1 + e^x) = x and its slope e^x / (1 + e^x) = 1; at -1000 the slope
    // e^-x / (1 + e^-x)^2 of a sigmoid is e^-1000 = 0 in double, so -700 (e^-700).
    double t = std::exp(-40.0);
    std::vector<Case> cases = {
        {"f(x) = exp(x) - 1\n", -1e-30, {std::expm1(-1e-30), std::exp(-1e-30)}},
        {"f(x) = log(1 + exp(x))\n", -100, {std::exp(-100.0), std::exp(-100.0) / (1 + std::exp(-100.0))}},
        {"f(x) = 0.5 * x * (1 + erf(x / sqrt(2)))\n", -20, {0.5 * -20 * std::erfc(20 / std::sqrt(2.0))}},
        {"f(x) = tanh(x)\n", 20, {std::tanh(20.0), 4 * t / ((1 + t) * (1 + t))}},
        {"f(x) = log(1 + exp(x))\n", 1e30, {1e30, 1}},
        {"f(x) = 1 / (1 + exp(-x))\n", -700, {std::exp(-700.0) / (1 + std::exp(-700.0)), std::exp(-700.0)}},
        // mish's slope tanh(sp) + x e^x (1 - tanh(sp)^2) / (1 + e^x), sp = log(1 + e^x), at
        // x = 800: 1 - tanh(800)^2 = 4 e^-1600 is far below double's range, e^800 above it;
        // the slope is 1 - 2 e^-1600 + 4 x e^-1600, 1 in double
        {"f(x) = x * tanh(log(1 + exp(x)))\n", 800, {800, 1}},
        // the same products for an argument known only to an interval, near 1e30
        {"f(x) = 1 - tanh(1.1 * x)^2\n", 1e30, {0}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        CAPTURE(c.x);
        Decided d = decide(c.text, c.x);
        CHECK(d.oracle == Reference::Oracle::Interval);
        for (size_t i = 0; i < c.expected.size(); ++i) {
            CAPTURE(i);
            // libm's closed forms are within a few ULP; the interval is far narrower
            double e = c.expected[i], width = std::fabs(e) * 1e-14 + 1e-300;
            CHECK(d.truth[i].lo <= e + width);
            CHECK(d.truth[i].hi >= e - width);
            CHECK(d.truth[i].hi - d.truth[i].lo <= std::fabs(e) * 0x1p-33 + 0x1p-1000);
            if (c.x != 1e30) {  // e^1e30 is beyond MPFR's exponents
                CHECK(d.mpfr[i].lo >= d.truth[i].lo);
                CHECK(d.mpfr[i].lo <= d.truth[i].hi);
            }
        }
    }
}

TEST_CASE("a cancellation the intervals cannot see goes to MPFR, also where a fixed precision gives a false 0") {
    // 1 + 1e-50 is 1 at 128 and at 256 bits: the two agree on 0, but the 0 comes from
    // rounded operands, so the doubling goes on until the value shows.
    for (double x : {1e-30, 1e-50, 1e-200}) {
        CAPTURE(x);
        Decided d = decide("f(x) = (1 + x) - 1\n", x);
        REQUIRE(d.oracle == Reference::Oracle::Mpfr);
        CHECK(d.truth[0].lo == x);
        CHECK(d.truth[1].lo == 1.0);
    }
    Decided d = decide("f(x) = log(1 + exp(x))\n", -320);  // 1 + e^-320 = 1 at 1024 bits
    CHECK(d.mpfr[0].lo == doctest::Approx(std::exp(-320.0)).epsilon(1e-15));
}

TEST_CASE("a sine and a cosine of one operand, computed together, are each correctly rounded and flagged") {
    // 1 - cos(x) at 1e-100 is 5e-201: cos rounds to 1 below 660 bits, and the 0 of 1 - 1
    // must show as a cancellation of a rounded operand even where the cosine came from
    // its sine's call (the slope, sin(x), is the partner)
    Decided d = decide("f(x) = 1 - cos(x)\n", 1e-100);
    CHECK(d.mpfr[0].lo == 5e-201);
    CHECK(d.mpfr[1].lo == 1e-100);
    // either one first: at 128 bits 1 - cos(x) is 0 from a rounded cosine, a
    // cancellation, whichever of the two made the call
    for (bool sine_first : {true, false}) {
        CAPTURE(sine_first);
        Graph g;
        Expr x = g.input(0);
        Expr sine = g.make(Kind::Sin, {x});
        Expr versine = g.make(Kind::Sub, {g.constant(1), g.make(Kind::Cos, {x})});
        MpfrTape tape(sine_first ? std::vector<Expr>{sine, versine} : std::vector<Expr>{versine, sine}, 128);
        double at[] = {1e-100};
        tape.run({at, {}, 0, 0, false}, true);
        const size_t v = sine_first ? 1 : 0;
        CHECK(tape.root(v) == 0);
        CHECK(tape.root_cancelled(v));
        CHECK(tape.root(1 - v) == 1e-100);
    }
    // at 1e300, both reductions from one call (mpmath at 400 digits)
    Decided big = decide("f(x) = sin(x) * cos(x)\n", 1e300);
    CHECK(big.mpfr[0].lo == 0.47059789345277847);
    CHECK(big.mpfr[1].lo == -0.3378616443327497);
}

TEST_CASE("where the formula leaves MPFR's range its stabilized form decides; where that does too, unknown") {
    // e^e^800 is beyond MPFR's exponents and an interval's logarithm
    Formula f("f(x) = log(log(1 + exp(exp(x))))\n");
    Reference reference(f.written, f.stabilized, 24);
    std::vector<Truth> truth(2);
    double at[] = {800};
    REQUIRE(reference.evaluate({at, {}, 0, 0, false}, truth) == Reference::Oracle::MpfrStabilized);
    CHECK(truth[0].lo == 800);
    CHECK(truth[1].lo == doctest::Approx(1).epsilon(1e-15));  // e^x sigmoid(e^x) / e^x
    double x[] = {1e30};
    Formula g("f(x) = exp(exp(x)) / exp(exp(x))\n");
    Reference unknowable(g.written, g.written, 24);
    CHECK(unknowable.evaluate({x, {}, 0, 0, false}, truth) == Reference::Oracle::Unknown);
}

// A constant with the bits of a named irrational (compiler/constants.hpp) is that
// irrational in the references: erfc's derivative carries 2 / sqrt(pi) as a double, 4e-17
// off, and erfcx's slope 2 x erfcx(x) - 2 / sqrt(pi) cancels it up. Truths from mpmath
// at 300 bits.
TEST_CASE("the references take a named constant's exact value: erfcx's slope, where it cancels 2 / sqrt(pi)") {
    Formula f("f(x) = exp(x^2) * erfc(x)\n");
    Reference reference(f.written, f.stabilized, 53);
    std::vector<Truth> truth(2);
    struct Point {
        double x, slope;
    };
    for (Point p : {Point{30, -0.00062583541050748406864}, Point{10000, -5.6418957508491275e-09},
                    Point{196865503.72754413, -1.4557467151718544e-17}}) {
        CAPTURE(p.x);
        double at[] = {p.x};
        REQUIRE(reference.evaluate({at, {}, 0, 0, false}, truth) != Reference::Oracle::Unknown);
        CHECK(std::fabs(truth[1].lo - p.slope) <= 1e-15 * std::fabs(p.slope));
    }
    // and the interval oracle's enclosure of a named constant holds it
    Formula pi("f(x) = x * pi\n");
    Reference intervals(pi.written, pi.stabilized, 53);
    double one[] = {1};
    REQUIRE(intervals.evaluate({one, {}, 0, 0, false}, truth) != Reference::Oracle::Unknown);
    CHECK(truth[0].lo == std::numbers::pi);  // the double nearest pi (it is below pi)
}
