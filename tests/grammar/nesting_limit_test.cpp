// No input exhausts the stack: nesting beyond max_nesting_depth is one clean error
// that names the limit, whichever construct nests; long flat chains are not nesting.
#include <doctest/doctest.h>

#include "../support.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {
const std::string limit_message =
    "expression nested too deeply (the limit is " + std::to_string(max_nesting_depth) +
    " levels)";
}

TEST_CASE("100,000 nested parentheses give one error naming the limit") {
    Parsed p("f(x) = " + repeat("(", 100000) + "x" + repeat(")", 100000) + "\ng(x) = x\n");
    CHECK(p.diagnostics.error_count() == 1);
    CHECK(p.errors().find(limit_message) != std::string::npos);
    REQUIRE(p.parsed.ast.definitions.size() == 1);  // parsing went on to g
    CHECK(p.parsed.ast.definitions[0].name.text == "g");
}

TEST_CASE("the limit counts one level per parenthesis, and the body itself is one") {
    int inside = max_nesting_depth - 1;
    Parsed fits("f(x) = " + repeat("(", inside) + "x" + repeat(")", inside) + "\n");
    CHECK(fits.errors() == "");
    Parsed over("f(x) = " + repeat("(", inside + 1) + "x" + repeat(")", inside + 1) + "\n");
    CHECK(over.diagnostics.error_count() == 1);
}

TEST_CASE("deep prefix operators, powers, lets, conditionals and calls hit the same limit") {
    for (const std::string& body :
         {repeat("-", 100000) + "x", repeat("x^", 100000) + "x", repeat("let a = 1 in ", 100000) + "x",
          repeat("x ? 1 : ", 100000) + "x", repeat("f(", 100000) + "x" + repeat(")", 100000)}) {
        Parsed p("f(x) = " + body + "\n");
        CHECK(p.diagnostics.error_count() == 1);
        CHECK(p.errors().find(limit_message) != std::string::npos);
    }
}

TEST_CASE("a flat chain of 100,000 terms is not nesting and checks fine") {
    Checked c("f(x) = x" + repeat(" + x", 100000) + "\n");
    CHECK(c.errors() == "");
}
