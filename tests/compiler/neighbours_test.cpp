// A definition prints and hashes the same whatever else its file holds: operand order,
// `let` names and structural hashes depend on structure, never on creation order.
#include <doctest/doctest.h>

#include "../support.hpp"
#include "compiler/gradient.hpp"
#include "compiler/lower.hpp"
#include "compiler/print.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

struct Printed {
    std::string readable, stable;
    uint64_t hash;
};

Printed print_f(const std::string& text) {
    Checked checked(text);
    REQUIRE(checked.errors() == "");
    Program program = lower(checked.parsed, checked.module);  // every definition, neighbours first
    const LoweredFunction& f = *program.find("f");
    Printed out;
    Gradient r = readable_gradient(program, f);
    for (const Derivative& d : r.derivatives) out.readable += (d.expr ? to_source(d.expr, *f.info, reader_digits) : "0") + "\n";
    Gradient s = gradient(program, f);
    std::vector<Expr> roots{s.value};
    for (const Derivative& d : s.derivatives) {
        out.stable += (d.expr ? to_source(d.expr, *f.info) : "0") + "\n";
        roots.push_back(d.expr);
    }
    out.hash = structural_hash(roots);
    return out;
}

}  // namespace

TEST_CASE("the same definition beside different neighbours prints and hashes the same") {
    const std::string f =
        "f(x, y; learn a = 2) = cos(x) * sin(y) + exp(x) * a + (x == 0 ? y : sin(x) * cos(y)) + log(1 + exp(a * x))\n";
    // Neighbours that create the same subexpressions first, in other orders.
    const std::string before = "g(x, y) = sin(x) * cos(y) + exp(x)\nh(y) = log(1 + exp(y)) + cos(y) * sin(y)\n";
    const std::string after = "k(x) = x == 0 ? cos(x) : sin(x)\n";
    Printed alone = print_f(f);
    Printed first = print_f(before + f);
    Printed last = print_f(f + after + before);
    CHECK(alone.readable == first.readable);
    CHECK(alone.readable == last.readable);
    CHECK(alone.stable == first.stable);
    CHECK(alone.stable == last.stable);
    CHECK(alone.hash == first.hash);
    CHECK(alone.hash == last.hash);
    // And a different definition hashes differently.
    CHECK(print_f("f(x, y; learn a = 2) = cos(x) * sin(y)\n").hash != alone.hash);
}
