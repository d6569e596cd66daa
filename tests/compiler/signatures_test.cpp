// check() returns each definition's signature: inputs, parameters in order, which
// are learned, which have defaults.
#include <doctest/doctest.h>

#include "../support.hpp"

using namespace actjit::testing;

TEST_CASE("signatures list inputs and parameters in declaration order") {
    Checked c("f(a, b; learn p = 1, q, r = 2 * pi) = a * b * p * q * r\n"
              "g(x) = f(x, x; q = 3)\n");
    REQUIRE(c.errors() == "");
    REQUIRE(c.module.functions.size() == 2);
    const actjit::FunctionInfo& f = c.module.functions[0];
    CHECK(f.name == "f");
    CHECK(f.inputs == std::vector<std::string>{"a", "b"});
    REQUIRE(f.parameters.size() == 3);
    CHECK(f.parameters[0].name == "p");
    CHECK(f.parameters[0].learn);
    CHECK(f.parameters[0].default_value != nullptr);
    CHECK(f.parameters[1].name == "q");
    CHECK_FALSE(f.parameters[1].learn);
    CHECK(f.parameters[1].default_value == nullptr);
    CHECK(actjit::signature(*f.definition) == "f(a, b; learn p = 1, q, r = 2 * pi)");
    CHECK(c.module.find("g") == &c.module.functions[1]);
    CHECK(c.module.find("h") == nullptr);
}

TEST_CASE("a let name shadows an input, and an input shadows a definition") {
    Checked c("x(t) = t\n"
              "f(x) = let x = x + 1 in x * 2\n");
    CHECK(c.errors() == "");
}

TEST_CASE("definitions may call each other in any order") {
    Checked c("a(x) = b(x) + 1\nb(x) = c(x)\nc(x) = x\n");
    CHECK(c.errors() == "");
}

TEST_CASE("booleans may be bound by let and combined, as long as the body is a number") {
    Checked c("f(x) = let pos = x > 0, big = x > 9 in pos && !big ? x : (pos ? 9 : 0)\n");
    CHECK(c.errors() == "");
}
