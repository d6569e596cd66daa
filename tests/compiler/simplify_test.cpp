// The simplifier's rules (compiler/simplify.cpp), each on its pattern: it fires (the
// result is the replacement written here by hand), and it is IEEE-exact: the original
// and the result give the same bits on a sweep of special values (any NaN matches any
// NaN: IEEE leaves a NaN's sign to the operation).
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <functional>
#include <limits>

#include <fmt/format.h>

#include "compiler/interpret.hpp"
#include "compiler/simplify.hpp"

using namespace actjit;

namespace {

const double special[] = {0.0, -0.0, 1.0, -1.0, 0.5, -3.0, 1e300, -1e-300,
                          std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::min(),
                          std::numeric_limits<double>::max(), INFINITY, -INFINITY, NAN};

bool same_bits(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

struct Leaves {
    Graph g;
    Expr x = g.input(0), y = g.input(1), z = g.input(2);
    Expr c = g.make(Kind::Gt, {g.input(3), g.constant(0)});  // a condition
    Expr k(double v) { return g.constant(v); }
    Expr op(Kind kind, Expr a) { return g.make(kind, {a}); }
    Expr op(Kind kind, Expr a, Expr b) { return g.make(kind, {a, b}); }
    Expr select(Expr cond, Expr a, Expr b) { return g.make(Kind::Select, {cond, a, b}); }
};

// `original` simplifies to `expected`, and both agree bit for bit everywhere on the sweep.
void check_rule(const char* rule, const std::function<std::pair<Expr, Expr>(Leaves&)>& build) {
    Leaves l;
    auto [original, expected] = build(l);
    Expr result = simplify(l.g, original);
    CHECK_MESSAGE(result == expected, rule);
    for (double x : special)
        for (double y : special)
            for (double z : {0.5, -0.0, double(NAN)})
                for (double c : {1.0, -1.0}) {
                    double in[] = {x, y, z, c};
                    Environment env{in, {}, 0, 0, false};
                    double before = interpret(original, env), after = interpret(result, env);
                    CHECK_MESSAGE(same_bits(before, after), rule, fmt::format(" at x={} y={} z={} c={}: {} vs {}", x, y, z, c, before, after));
                }
}

}  // namespace

TEST_CASE("constant folding gives the value the operation has on the constants") {
    check_rule("2 * 3 -> 6", [](Leaves& l) { return std::pair{l.op(Kind::Mul, l.k(2), l.k(3)), l.k(6)}; });
    check_rule("sqrt(4) + x -> 2 + x", [](Leaves& l) {
        return std::pair{l.op(Kind::Add, l.op(Kind::Sqrt, l.k(4)), l.x), l.op(Kind::Add, l.k(2), l.x)};
    });
    check_rule("(1 < 2) ? x : y -> x", [](Leaves& l) {
        return std::pair{l.select(l.op(Kind::Lt, l.k(1), l.k(2)), l.x, l.y), l.x};
    });
}

TEST_CASE("multiplicative identities are exact for every float") {
    check_rule("x * 1 -> x", [](Leaves& l) { return std::pair{l.op(Kind::Mul, l.x, l.k(1)), l.x}; });
    check_rule("1 * x -> x", [](Leaves& l) { return std::pair{l.op(Kind::Mul, l.k(1), l.x), l.x}; });
    check_rule("-1 * x -> -x", [](Leaves& l) { return std::pair{l.op(Kind::Mul, l.k(-1), l.x), l.op(Kind::Neg, l.x)}; });
    check_rule("x * -1 -> -x", [](Leaves& l) { return std::pair{l.op(Kind::Mul, l.x, l.k(-1)), l.op(Kind::Neg, l.x)}; });
    check_rule("-x * -y -> x * y", [](Leaves& l) {
        return std::pair{l.op(Kind::Mul, l.op(Kind::Neg, l.x), l.op(Kind::Neg, l.y)), l.op(Kind::Mul, l.x, l.y)};
    });
    check_rule("x / 1 -> x", [](Leaves& l) { return std::pair{l.op(Kind::Div, l.x, l.k(1)), l.x}; });
    check_rule("decay_mul(1, exp(x)) -> exp(x)", [](Leaves& l) {
        Expr e = l.op(Kind::Exp, l.x);
        return std::pair{l.op(Kind::DecayMul, l.k(1), e), e};
    });
}

TEST_CASE("additive identities are exact for every float, and x + 0 is not one") {
    check_rule("x + -0 -> x", [](Leaves& l) { return std::pair{l.op(Kind::Add, l.x, l.k(-0.0)), l.x}; });
    check_rule("-0 + x -> x", [](Leaves& l) { return std::pair{l.op(Kind::Add, l.k(-0.0), l.x), l.x}; });
    check_rule("x - 0 -> x", [](Leaves& l) { return std::pair{l.op(Kind::Sub, l.x, l.k(0)), l.x}; });
    check_rule("-0 - x -> -x", [](Leaves& l) { return std::pair{l.op(Kind::Sub, l.k(-0.0), l.x), l.op(Kind::Neg, l.x)}; });
    check_rule("x + -y -> x - y", [](Leaves& l) {
        return std::pair{l.op(Kind::Add, l.x, l.op(Kind::Neg, l.y)), l.op(Kind::Sub, l.x, l.y)};
    });
    check_rule("x - -y -> x + y", [](Leaves& l) {
        return std::pair{l.op(Kind::Sub, l.x, l.op(Kind::Neg, l.y)), l.op(Kind::Add, l.x, l.y)};
    });
    check_rule("-(-x) -> x", [](Leaves& l) { return std::pair{l.op(Kind::Neg, l.op(Kind::Neg, l.x)), l.x}; });
    // Not a rule: -0 + 0 is +0.
    check_rule("x + 0 stays (as 0 + x)", [](Leaves& l) {
        return std::pair{l.op(Kind::Add, l.x, l.k(0)), l.op(Kind::Add, l.k(0), l.x)};
    });
    check_rule("x * 0 stays (as 0 * x)", [](Leaves& l) {
        return std::pair{l.op(Kind::Mul, l.x, l.k(0)), l.op(Kind::Mul, l.k(0), l.x)};
    });
}

TEST_CASE("select and boolean folding") {
    check_rule("!!c -> c", [](Leaves& l) {
        Expr s = l.select(l.op(Kind::Not, l.op(Kind::Not, l.c)), l.x, l.y);
        return std::pair{s, l.select(l.c, l.x, l.y)};
    });
    check_rule("c ? x : x -> x", [](Leaves& l) { return std::pair{l.select(l.c, l.x, l.x), l.x}; });
    check_rule("!c ? x : y -> c ? y : x", [](Leaves& l) {
        return std::pair{l.select(l.op(Kind::Not, l.c), l.x, l.y), l.select(l.c, l.y, l.x)};
    });
    check_rule("c ? (c ? x : y) : z -> c ? x : z", [](Leaves& l) {
        return std::pair{l.select(l.c, l.select(l.c, l.x, l.y), l.z), l.select(l.c, l.x, l.z)};
    });
    check_rule("c ? x : (c ? y : z) -> c ? x : z", [](Leaves& l) {
        return std::pair{l.select(l.c, l.x, l.select(l.c, l.y, l.z)), l.select(l.c, l.x, l.z)};
    });
}

TEST_CASE("commutative operands take the structural order; min and max keep theirs") {
    check_rule("sin(x) + 2 -> 2 + sin(x)", [](Leaves& l) {
        Expr s = l.op(Kind::Sin, l.x);
        return std::pair{l.op(Kind::Add, s, l.k(2)), l.op(Kind::Add, l.k(2), s)};
    });
    check_rule("y * x -> x * y", [](Leaves& l) { return std::pair{l.op(Kind::Mul, l.y, l.x), l.op(Kind::Mul, l.x, l.y)}; });
    check_rule("0 == x -> x == 0 (constants on the right of comparisons)", [](Leaves& l) {
        Expr e = l.select(l.op(Kind::Eq, l.k(0), l.x), l.y, l.z);
        return std::pair{e, l.select(l.op(Kind::Eq, l.x, l.k(0)), l.y, l.z)};
    });
    check_rule("min(y, x) stays: it differs from min(x, y) at NaN and ±0", [](Leaves& l) {
        Expr e = l.op(Kind::Min, l.y, l.x);
        return std::pair{e, e};
    });
}
