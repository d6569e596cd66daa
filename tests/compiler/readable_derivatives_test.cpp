// What `actjit diff` prints for a reader (compiler/tidy.hpp): for the standard library
// and 20 activations from the literature (tests/compiler/literature.act), every printed
// derivative parses back as a definition body, evaluates to the values of the derivative
// of the formula as written, untidied, over [-30, 30], and to the values the kernels'
// stabilized derivative gives over [-8, 8] (the formula as written loses digits in its
// tails where the stabilized one does not, e.g. log(1 + exp(x)) for x < -20), and is no
// longer than SymPy's unsimplified diff (tests/compiler/sympy_lengths.txt, produced by
// tools/sympy_lengths.py), but for the exceptions listed below with their reasons.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "compiler/differentiate.hpp"
#include "compiler/print.hpp"
#include "compiler/simplify.hpp"
#include "stdlib_fixture.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

// Printed longer than SymPy's, and why (docs/numerics.md, "Printed derivatives").
const std::map<std::string, double> longer_than_sympy = {
    // SymPy cancels beta / beta and a / a as if a parameter could not be 0; at 0 the
    // formula is NaN, so actjit keeps both.
    {"softplus d/dx", 1.5},
    {"snake d/dx", 1.2},
    // SymPy's product rule writes b into each term; actjit keeps b * (...).
    {"swiglu d/da", 1.05},
};

std::map<std::string, size_t> sympy_lengths() {
    std::istringstream in(read_source_file("tests/compiler/sympy_lengths.txt"));
    std::map<std::string, size_t> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        std::string name, variable;
        size_t length = 0;
        words >> name >> variable >> length;
        out[name + " d/d" + variable] = length;
    }
    return out;
}

size_t without_spaces(const std::string& s) {
    return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return c != ' '; }));
}

void check_file(const std::string& path) {
    static const std::map<std::string, size_t> sympy = sympy_lengths();
    Checked checked(read_source_file(path));
    REQUIRE(checked.errors() == "");
    Program program = lower(checked.parsed, checked.module);
    for (const LoweredFunction& f : program.functions) {
        Gradient readable = readable_gradient(program, f);
        Gradient stable = gradient(program, f);
        std::vector<double> params;
        for (const auto& d : f.defaults) params.push_back(d.value_or(1.0));
        for (size_t v = 0; v < readable.derivatives.size(); ++v) {
            const Derivative& d = readable.derivatives[v];
            std::string key = f.info->name + " d/d" + d.variable;
            if (!d.expr) continue;
            std::string text = to_source(d.expr, *f.info, reader_digits);
            INFO(key, " = ", text);
            // It parses back, over the same inputs and parameters.
            Checked again(signature(*f.info->definition) + " = " + text + "\n");
            REQUIRE(again.errors() == "");
            Program p = lower(again.parsed, again.module);
            Expr printed = simplify(p.graph, p.functions[0].body);
            Expr kernel = stable.derivatives[v].expr;
            REQUIRE(kernel != nullptr);
            bool is_input = v < f.info->inputs.size();
            uint32_t index = 0;
            for (uint32_t p = 0, k = 0; p < f.info->parameters.size(); ++p)
                if (f.info->parameters[p].learn && k++ == v - f.info->inputs.size()) index = p;
            Expr variable = is_input ? program.graph.input(static_cast<uint32_t>(v)) : program.graph.param(index);
            Expr untidied = differentiate(program.graph, simplify(program.graph, f.body), variable);
            auto compare = [&](Expr reference, double limit, const char* what) {
                int compared = 0;
                for (double x : spread(101, limit)) {
                    std::vector<double> inputs(f.info->inputs.size(), x);
                    if (inputs.size() > 1) inputs[1] = 0.75 - x / 3;
                    Environment env{inputs, params, 3, 0, false};
                    double want = interpret(reference, env), got = interpret(printed, env);
                    if (!std::isfinite(want) || !std::isfinite(got)) continue;
                    ++compared;
                    // Double evaluations of one real function in different orders: they
                    // agree to rounding, relative to the size of the terms.
                    CHECK_MESSAGE(std::fabs(got - want) <= 1e-9 * std::max(std::fabs(want), 1e-6),
                                  "at x = ", x, ": printed ", got, ", ", what, " ", want);
                }
                CHECK(compared >= 90);
            };
            compare(untidied, 30, "as written");
            compare(kernel, 8, "kernel");
            // No longer than SymPy's unsimplified derivative.
            auto it = sympy.find(key);
            REQUIRE_MESSAGE(it != sympy.end(), "no SymPy length for ", key);
            double ratio = static_cast<double>(without_spaces(text)) / static_cast<double>(it->second);
            auto allowed = longer_than_sympy.find(key);
            CHECK_MESSAGE(ratio <= (allowed == longer_than_sympy.end() ? 1.0 : allowed->second),
                          "length ", without_spaces(text), " against SymPy's ", it->second);
        }
    }
}

}  // namespace

TEST_CASE("the standard library's printed derivatives read back, agree with the kernels', and are short") {
    check_file("examples/activations.act");
}

TEST_CASE("20 literature activations' printed derivatives read back, agree with the kernels', and are short") {
    check_file("tests/compiler/literature.act");
}
