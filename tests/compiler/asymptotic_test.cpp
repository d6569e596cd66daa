// The tails of compiler/asymptotic.hpp on expressions whose behaviour is known by hand:
// the exponential height of log|f| and its direction as x -> +inf or -inf.
#include <doctest/doctest.h>

#include "../support.hpp"
#include "compiler/asymptotic.hpp"
#include "compiler/lower.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

Tail tail_of(const std::string& body, bool positive) {
    Checked checked("f(x) = " + body + "\n");
    REQUIRE(checked.errors() == "");
    Program program = lower(checked.parsed, checked.module);
    return tail(program.functions[0].body, 0, positive);
}

void check_tail(const std::string& body, bool positive, Tail::Direction direction, int sign, int height = 0) {
    CAPTURE(body);
    CAPTURE(positive);
    Tail t = tail_of(body, positive);
    CHECK(t.direction == direction);
    CHECK(t.sign == sign);
    if (direction == Tail::Grows || direction == Tail::Decays) CHECK(t.height == height);
}

}  // namespace

TEST_CASE("powers, exponentials and exponentials of exponentials have heights 0, 1 and 2") {
    check_tail("x^3 - 2", true, Tail::Grows, 1, 0);
    check_tail("x^3", false, Tail::Grows, -1, 0);
    check_tail("1 / x", true, Tail::Decays, 1, 0);
    check_tail("exp(x)", true, Tail::Grows, 1, 1);
    check_tail("exp(x)", false, Tail::Decays, 1, 1);
    check_tail("exp(-x^2)", false, Tail::Decays, 1, 1);
    check_tail("erfc(x)", true, Tail::Decays, 1, 1);
    check_tail("1 / (1 + exp(-2 * exp(x)))", true, Tail::Finite, 1);
    check_tail("1 / (1 + exp(2 * exp(x)))", true, Tail::Decays, 1, 2);
    check_tail("log(x)", true, Tail::Grows, 1, 0);
    check_tail("log(exp(exp(x)))", true, Tail::Grows, 1, 1);
}

TEST_CASE("a product of growth and decay: the greater height wins, equal heights are unknown") {
    check_tail("x * exp(x)", false, Tail::Decays, -1, 1);
    check_tail("x^5 * exp(-x)", true, Tail::Decays, 1, 1);
    check_tail("exp(x) / (1 + exp(2 * exp(x)))", true, Tail::Decays, 1, 2);
    check_tail("exp(x^2) * erfc(x)", true, Tail::Unknown, 0);  // tends to 0, as 1 / (x sqrt(pi))
    check_tail("exp(x) * exp(-x)", true, Tail::Unknown, 0);    // is 1
}

TEST_CASE("bounded functions, clamps and what the rules cannot tell") {
    check_tail("tanh(x)", true, Tail::Finite, 1);
    check_tail("tanh(x)", false, Tail::Finite, -1);
    check_tail("max(x + 3, 0)", false, Tail::Zero, 0);
    check_tail("x * min(max(x + 3, 0), 6)", false, Tail::Zero, 0);
    check_tail("min(max(x + 3, 0), 6)", true, Tail::Finite, 1);
    check_tail("x + sin(x)", true, Tail::Unknown, 0);  // sin oscillates: no rule
    check_tail("x - x", true, Tail::Unknown, 0);       // a difference of equals may cancel
    check_tail("1 - tanh(x)", true, Tail::Unknown, 0);
}

TEST_CASE("powers among themselves by their degree, a logarithm below every power") {
    check_tail("x^3 / x^2", true, Tail::Grows, 1, 0);
    check_tail("x^2 / x^3", false, Tail::Decays, -1, 0);
    check_tail("x^3 + x^2", false, Tail::Grows, -1, 0);  // x^3 wins at -inf
    check_tail("log(x) / x", true, Tail::Decays, 1, 0);
    check_tail("x * log(x)", true, Tail::Grows, 1, 0);
    check_tail("sqrt(x) - x", true, Tail::Grows, -1, 0);
    check_tail("x / x", true, Tail::Unknown, 0);  // degree 0 net: a finite limit whose value the tails do not know
    // Pade's (0.02 + 0.5 x + 0.4 x^2 + 0.1 x^3) / (1 + abs(0.3 x + 0.2 x^2)): like x / 2
    const char* pade = "(0.02 + 0.5 * x + 0.4 * x^2 + 0.1 * x^3) / (1 + abs(0.3 * x + 0.2 * x^2))";
    check_tail(pade, true, Tail::Grows, 1, 0);
    check_tail(pade, false, Tail::Grows, -1, 0);
    CHECK(tail_of(pade, true).degree == 1);
}

TEST_CASE("a bounded factor times a vanishing one vanishes (the squeeze); a bounded divisor tells nothing") {
    // (1 - cos(x)) / x^2 -> 0 at both ends, crossing 0 with the cosine: sign not known
    check_tail("(1 - cos(x)) / (x * x)", true, Tail::Decays, 0, 0);
    check_tail("(1 - cos(x)) / (x * x)", false, Tail::Decays, 0, 0);
    check_tail("sin(x) * exp(-x)", true, Tail::Decays, 0, 1);
    check_tail("sin(x) * x", true, Tail::Unknown, 0);     // bounded times a growth
    check_tail("exp(-x) / sin(x)", true, Tail::Unknown, 0);  // 1 / sin(x) is not bounded
    check_tail("sin(x)", true, Tail::Unknown, 0);           // no limit
}

TEST_CASE("a select takes the branch its condition settles on in the tail") {
    // a Taylor polynomial's abs(x) < r is false from r on: the written branch's tail
    check_tail("abs(x) < 0.125 ? x^3 : 1 / x", true, Tail::Decays, 1, 0);
    check_tail("abs(x) < 0.125 ? x^3 : 1 / x", false, Tail::Decays, -1, 0);
    check_tail("x > 4 ? exp(-x) : x", true, Tail::Decays, 1, 1);
    check_tail("x > 4 ? exp(-x) : x", false, Tail::Grows, -1, 0);
    check_tail("x == 0 ? 7 : exp(x)", true, Tail::Grows, 1, 1);
    // against a growth of its own, or an unknown tail, the condition is not settled
    check_tail("x < x * x ? x : 2", true, Tail::Unknown, 0);
}
