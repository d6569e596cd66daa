// The checker's warnings (compiler/check.cpp), each with its -W name: shown by default,
// left out with their notes (-w, -Wno-FLAG), or errors (-Werror).
#include <doctest/doctest.h>

#include "../support.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

const char* text =
    "f(x, y) = x\n"
    "g(x; a = 1, learn b = 2) = x * 1e999 + 1e-999\n"
    "h(x) = uniform(1, 0) * x + clamp(x, 1, -1)\n";

}  // namespace

TEST_CASE("unused inputs and parameters, literals out of range and empty ranges are warnings") {
    Checked c(text, Warnings::Show);
    CHECK(c.diagnostics.error_count() == 0);
    CHECK(c.diagnostics.warning_count() == 7);
    std::string all = c.errors();
    for (const char* expected :
         {"test.act:1:6: warning: input 'y' of 'f' is not used [-Wunused-input]",
          "test.act:2:6: warning: parameter 'a' of 'g' is not used [-Wunused-parameter]",
          "test.act:2:19: warning: learn parameter 'b' of 'g' is not used; its gradient is always 0 [-Wunused-learn]",
          "test.act:2:32: warning: the literal 1e999 is beyond the largest double and reads as inf [-Wliteral-overflow]",
          "test.act:2:40: warning: the literal 1e-999 is below the smallest double and reads as 0 [-Wliteral-overflow]",
          "test.act:3:8: warning: uniform(1, 0) draws from an empty range; it gives 1 [-Wempty-range]",
          "test.act:3:28: warning: clamp's lower bound 1 is above its upper bound -1: it is -1 whatever x [-Wempty-range]"}) {
        CAPTURE(expected);
        CHECK(all.find(expected) != std::string::npos);
    }
    // The standard library draws none.
    Checked stdlib(read_source_file("examples/activations.act"), Warnings::Show);
    CHECK(stdlib.errors() == "");
}

TEST_CASE("-Werror makes warnings errors, -w and -Wno-FLAG leave them out") {
    Checked as_errors(text, Warnings::AsErrors);
    CHECK(as_errors.diagnostics.error_count() == 7);
    CHECK(as_errors.errors().find("error: input 'y' of 'f' is not used [-Werror,-Wunused-input]") != std::string::npos);
    Checked off(text, Warnings::Off);
    CHECK(off.errors() == "");

    SourceFile file("test.act", text);
    Diagnostics some;
    some.disable_warning("empty-range");
    some.disable_warning("unused-input");
    ParsedFile parsed = parse(file, some);
    Module module = check(parsed, some);
    CHECK(some.warning_count() == 4);
    CHECK(render_all(file, some).find("[-Wempty-range]") == std::string::npos);
}

TEST_CASE("no unused-name warning for a body that has errors or a name that is reserved") {
    // `alhpa`: the error says what is wrong; 'alpha is not used' would say it again.
    Checked misspelt("leaky(x; alpha = 0.01) = max(x, alhpa * x)\n", Warnings::Show);
    CHECK(misspelt.diagnostics.warning_count() == 0);
    CHECK(misspelt.diagnostics.error_count() == 1);
    Checked reserved("f(x; nan = 1) = x\n", Warnings::Show);
    CHECK(reserved.diagnostics.warning_count() == 0);
    // A let that shadows the input: the input is not used.
    Checked shadowed("f(x) = let x = 2 in x\n", Warnings::Show);
    CHECK(shadowed.errors().find("input 'x' of 'f' is not used") != std::string::npos);
}

// Not a warning, but the same spirit: an unknown math function a paper uses gets the way
// to write it, not an edit-distance neighbour (tan is not tanh).
TEST_CASE("unknown math functions get how to write them, not a neighbour") {
    auto first = [](const char* text) { return Checked(text).errors(); };
    CHECK(first("f(x) = tan(x)\n").find("unknown function 'tan'; did you mean 'tanh'? (tangent is not a builtin: write sin(x) / cos(x))") !=
          std::string::npos);
    CHECK(first("f(x) = log2(x)\n").find("write log(x) / log(2)") != std::string::npos);
    CHECK(first("f(x) = x * sigmoid(x)\n").find("'sigmoid'; it is in the standard library") != std::string::npos);
    CHECK(first("f(x) = sinh(x)\n").find("did you mean") == std::string::npos);
    // Others keep their suggestion.
    CHECK(first("f(x) = tahn(x)\n").find("did you mean 'tanh'?") != std::string::npos);
}
