// Precedence and associativity are those of LANGUAGE.md §2; the dumps below are
// written by hand from the grammar, one level at a time.
#include <doctest/doctest.h>

#include "../support.hpp"

using namespace actjit::testing;

namespace {
// The dumped body of `t(x) = <expr>`.
std::string body(const std::string& expr) {
    Parsed p("t(x) = " + expr + "\n");
    REQUIRE_MESSAGE(p.errors() == "", expr);
    std::string d = actjit::dump(p.parsed);
    std::string head = "(def t (x) () ";
    REQUIRE(d.rfind(head, 0) == 0);
    return d.substr(head.size(), d.size() - head.size() - 2);  // drop ")\n"
}
}  // namespace

TEST_CASE("* and / bind tighter than + and -, and both fold left to right") {
    CHECK(body("a + b * c") == "(chain a + (chain b * c))");
    CHECK(body("a - b - c") == "(chain a - b - c)");
    CHECK(body("a / b * c") == "(chain a / b * c)");
    CHECK(body("(a + b) * c") == "(chain (chain a + b) * c)");
}

TEST_CASE("^ binds tighter than a prefix minus and is right-associative") {
    CHECK(body("-x^2") == "(- (chain x ^ 2))");
    CHECK(body("2^3^4") == "(chain 2 ^ (chain 3 ^ 4))");
    CHECK(body("2^-x") == "(chain 2 ^ (- x))");
    CHECK(body("(-x)^2") == "(chain (- x) ^ 2)");
}

TEST_CASE("|| binds more weakly than &&, which binds more weakly than comparisons") {
    CHECK(body("a < b || c && d >= e ? 1 : 0") ==
          "(? (chain (chain a < b) || (chain c && (chain d >= e))) 1 0)");
    CHECK(body("!a == b ? 1 : 0") == "(? (chain (! a) == b) 1 0)");
    CHECK(body("a < b + 1 ? 1 : 0") == "(? (chain a < (chain b + 1)) 1 0)");
}

TEST_CASE("?: is right-associative and let extends as far as it can") {
    CHECK(body("c ? a : d ? e : f") == "(? c a (? d e f))");
    CHECK(body("let a = 1, b = a in a + b") == "(let ((a 1) (b a)) (chain a + b))");
    CHECK(body("2 * (let a = x in a)") == "(chain 2 * (let ((a x)) a))");
}

TEST_CASE("calls take inputs by position and parameters by name after ';'") {
    CHECK(body("f(x; a = 1, b = 2)") == "(call f x (= a 1) (= b 2))");
    CHECK(body("f(; a = 1)") == "(call f (= a 1))");
    CHECK(body("g()") == "(call g)");
}

TEST_CASE("numbers are kept as written, in every form the grammar allows") {
    CHECK(body("1 + 2.5 + .5 + 1e3 + 1E-3 + 2.5e+10") == "(chain 1 + 2.5 + .5 + 1e3 + 1E-3 + 2.5e+10)");
}

TEST_CASE("comments, tabs, CRLF and CR are white space") {
    Parsed p("# head\r\nf(x) =\t# inline\r\n  x\r# next\rg(y) = y # end");
    CHECK(p.errors() == "");
    CHECK(actjit::dump(p.parsed) == "(def f (x) () x)\n(def g (y) () y)\n");
}
