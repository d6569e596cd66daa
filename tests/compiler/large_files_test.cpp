// Large inputs stay correct: a chain of 10,000 definitions is checked without
// recursion in the checker, and a 10,000-long cycle is one error.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "../support.hpp"

using namespace actjit::testing;

TEST_CASE("10,000 definitions, each calling the one before, check without errors") {
    std::string text = "f0(x) = max(x, 0)\n";
    for (int i = 1; i < 10000; ++i) text += fmt::format("f{}(x; a = 1) = f{}(x) * a + {}\n", i, i - 1, i);
    Checked c(text);
    CHECK(c.errors() == "");
    CHECK(c.module.functions.size() == 10000);
}

TEST_CASE("a cycle through 10,000 definitions is one error that names its ends") {
    std::string text;
    for (int i = 0; i < 10000; ++i) text += fmt::format("f{}(x) = f{}(x)\n", i, (i + 1) % 10000);
    Checked c(text);
    CHECK(c.diagnostics.error_count() == 1);
    CHECK(c.errors().find("recursive definitions: f0 -> f1 -> f2 -> ... (9995 more) -> f9998 -> f9999 -> f0") !=
          std::string::npos);
}
