// The truth `actjit accuracy` measures against (compiler/reference.hpp): the interval
// oracle's intervals hold the exact value (checked against MPFR at 1024 bits), a
// cancellation goes to MPFR and gets the true value, a formula that leaves MPFR's range
// is decided by its stabilized form, and what neither can decide is unknown.
#include <doctest/doctest.h>

#include <cmath>

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
        int by_interval = 0;
        for (size_t i = 0; i < points.size(); ++i) {
            double x[] = {points[i]};
            Environment env{x, params, 0, i, false};
            if (reference.evaluate(env, truth) != Reference::Oracle::Interval) continue;
            ++by_interval;
            std::vector<double> exact = interpret_mpfr(written, env, 1024);
            for (size_t c = 0; c < written.size(); ++c) {
                CAPTURE(points[i]);
                CAPTURE(c);
                if (truth[c].nan) {
                    CHECK(std::isnan(exact[c]));
                } else {
                    CHECK(exact[c] >= truth[c].lo);
                    CHECK(exact[c] <= truth[c].hi);
                    // narrow: at most 2^-10 of a float ULP
                    CHECK(truth[c].hi - truth[c].lo <= std::fabs(exact[c]) * 0x1p-33 + 0x1p-149);
                }
            }
        }
        CHECK(by_interval > 0);
    }
}

TEST_CASE("a cancellation goes to MPFR and gets the true value") {
    Formula f("f(x) = log(1 + exp(x))\n");
    Reference reference(f.written, f.stabilized, 24);
    std::vector<Truth> truth(2);
    double x[] = {-100};
    REQUIRE(reference.evaluate({x, {}, 0, 0, false}, truth) == Reference::Oracle::Mpfr);
    CHECK(std::fabs(truth[0].lo / std::exp(-100.0) - 1) < 1e-15);  // log1p(e^-100) = e^-100 (1 - e^-100 / 2)
    CHECK(std::fabs(truth[1].lo / std::exp(-100.0) - 1) < 1e-15);  // the slope, sigmoid(-100)
    double y[] = {0.5};  // no cancellation: intervals decide
    CHECK(reference.evaluate({y, {}, 0, 0, false}, truth) == Reference::Oracle::Interval);
}

TEST_CASE("where the formula leaves MPFR's range its stabilized form decides; where that does too, unknown") {
    Formula f("f(x) = log(1 + exp(x))\n");
    Reference reference(f.written, f.stabilized, 24);
    std::vector<Truth> truth(2);
    double x[] = {1e30};
    REQUIRE(reference.evaluate({x, {}, 0, 0, false}, truth) == Reference::Oracle::MpfrStabilized);
    CHECK(truth[0].lo == 1e30);
    CHECK(truth[1].lo == 1.0);
    Formula g("f(x) = exp(x) / exp(x)\n");
    Reference unknowable(g.written, g.written, 24);
    CHECK(unknowable.evaluate({x, {}, 0, 0, false}, truth) == Reference::Oracle::Unknown);
}
