// `actjit diff` prints derivatives in the language itself: each printed derivative
// parses back as a definition body over the same inputs and parameters, and evaluates
// to the same values as the derivative it was printed from.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "compiler/print.hpp"
#include "stdlib_fixture.hpp"

using namespace actjit;
using namespace actjit::testing;

TEST_CASE("every printed derivative of the standard library parses back and gives the same values") {
    Stdlib& s = stdlib();
    for (const LoweredFunction& f : s.program.functions) {
        Gradient g = gradient(s.program, f);
        std::vector<double> params = s.defaults(f);
        for (const Derivative& d : g.derivatives) {
            if (!d.expr) continue;
            std::string text = to_source(d.expr, *f.info);
            // The derivative as a definition of its own, with the function's signature.
            Checked again(signature(*f.info->definition) + " = " + text + "\n");
            REQUIRE_MESSAGE(again.errors() == "", f.info->name, " d/d", d.variable, " = ", text);
            Program p = lower(again.parsed, again.module);
            Gradient reparsed = gradient(p, p.functions[0]);
            for (double x : spread(101, 50)) {
                std::vector<double> inputs(f.info->inputs.size(), x);
                if (inputs.size() > 1) inputs[1] = 0.75 - x / 3;
                Environment env{inputs, params, 3, 0, false};
                double original = interpret(d.expr, env);
                double printed = interpret(reparsed.value, env);
                if (std::isnan(original)) {
                    CHECK_MESSAGE(std::isnan(printed), f.info->name, " d/d", d.variable, " at ", x);
                } else {
                    CHECK_MESSAGE(printed == doctest::Approx(original).epsilon(1e-13),
                                  f.info->name, " d/d", d.variable, " at ", x, ": ", text);
                }
            }
        }
    }
}
