// The expression graph: structurally equal nodes are one object; the facts of a node are
// derived when it is made; operand order and hashes depend on structure alone, never on
// creation order or on what else the graph holds.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "compiler/graph.hpp"

using namespace actjit;

TEST_CASE("structurally equal nodes are one object, and -0 is not 0") {
    Graph g;
    Expr x = g.input(0);
    Expr a = g.make(Kind::Add, {x, g.constant(1)});
    Expr b = g.make(Kind::Add, {g.input(0), g.constant(1)});
    CHECK(a == b);
    CHECK(g.constant(0.0) != g.constant(-0.0));
    CHECK(g.constant(NAN) == g.constant(NAN));  // the same bits
    CHECK(g.make(Kind::Sub, {x, g.constant(1)}) != a);
    // Thousands of nodes: the table grows and every node is still found again.
    std::vector<Expr> made;
    for (int i = 0; i < 5000; ++i) made.push_back(g.make(Kind::Mul, {x, g.constant(i)}));
    for (int i = 0; i < 5000; ++i) CHECK(g.make(Kind::Mul, {x, g.constant(i)}) == made[static_cast<size_t>(i)]);
}

TEST_CASE("facts are derived from the operands when a node is made") {
    Graph g;
    Expr x = g.input(0), y = g.input(1), a = g.param(0);
    Expr two = g.constant(2);
    Expr folded = g.make(Kind::Mul, {two, g.make(Kind::Sqrt, {two})});
    CHECK(folded->has(ConstantExpr));
    CHECK_FALSE(g.make(Kind::Mul, {two, x})->has(ConstantExpr));
    CHECK_FALSE(g.make(Kind::Uniform, {two, g.constant(3)})->has(ConstantExpr));  // a draw is not a constant

    Expr xy = g.make(Kind::Add, {x, g.make(Kind::Mul, {a, y})});
    CHECK(xy->depends_on(x));
    CHECK(xy->depends_on(y));
    CHECK(xy->depends_on(a));
    CHECK_FALSE(xy->depends_on(g.param(1)));
    CHECK_FALSE(g.make(Kind::Exp, {x})->depends_on(y));

    // Vanishing factors: exponential decay, or exactly 0 on a region.
    CHECK(g.make(Kind::Exp, {x})->has(Vanishes));
    CHECK(g.make(Kind::Tanh, {g.make(Kind::Exp, {x})})->has(Vanishes));
    CHECK(g.make(Kind::Max, {x, g.constant(0)})->has(Vanishes));
    CHECK(g.make(Kind::Min, {g.make(Kind::Max, {x, g.constant(0)}), g.constant(6)})->has(Vanishes));
    CHECK_FALSE(g.make(Kind::Min, {g.make(Kind::Max, {x, g.constant(0)}), g.constant(-6)})->has(Vanishes));
    CHECK_FALSE(g.make(Kind::Tanh, {x})->has(Vanishes));

    // Bounded terms, and products of them by constants and parameters.
    Expr s = g.make(Kind::Sin, {g.make(Kind::Mul, {a, x})});
    CHECK(s->has(Bounded));
    CHECK(g.make(Kind::Div, {g.make(Kind::Mul, {s, s}), a})->has(Bounded));
    CHECK_FALSE(g.make(Kind::Div, {a, s})->has(Bounded));
    CHECK_FALSE(g.make(Kind::Mul, {x, s})->has(Bounded));

    // Positive and nonzero as real functions, for the reader's cancellations.
    CHECK(g.make(Kind::Add, {g.constant(1), g.make(Kind::Exp, {x})})->has(Positive));
    CHECK(g.make(Kind::Neg, {g.make(Kind::Exp, {x})})->has(NonZero));
    CHECK_FALSE(g.make(Kind::Neg, {g.make(Kind::Exp, {x})})->has(Positive));
    CHECK_FALSE(x->has(NonZero));
    CHECK_FALSE(g.constant(0)->has(NonZero));
    CHECK_FALSE(g.constant(INFINITY)->has(NonZero));
}

TEST_CASE("operand order and hashes do not depend on creation order or on other nodes") {
    // The same expressions built in two graphs, in opposite orders and with unrelated
    // nodes made first in one of them.
    Graph g1, g2;
    for (int i = 0; i < 100; ++i) g2.make(Kind::Cos, {g2.make(Kind::Mul, {g2.input(0), g2.constant(i)})});
    Expr s1 = g1.make(Kind::Sin, {g1.input(0)});
    Expr c1 = g1.make(Kind::Cos, {g1.input(0)});
    Expr c2 = g2.make(Kind::Cos, {g2.input(0)});
    Expr s2 = g2.make(Kind::Sin, {g2.input(0)});
    CHECK(s1->structural_hash == s2->structural_hash);
    CHECK(c1->structural_hash == c2->structural_hash);
    CHECK(s1->id < c1->id);
    CHECK(s2->id > c2->id);
    CHECK(structurally_before(s1, c1) == structurally_before(s2, c2));
    CHECK(structurally_before(s1, c1) != structurally_before(c1, s1));

    // Constants, then parameters, then inputs, then the rest (lower before higher).
    Expr x = g1.input(0);
    CHECK(structurally_before(g1.constant(5), g1.param(0)));
    CHECK(structurally_before(g1.param(3), x));
    CHECK(structurally_before(g1.input(0), g1.input(1)));
    CHECK(structurally_before(x, s1));
    CHECK(structurally_before(s1, g1.make(Kind::Exp, {s1})));
    CHECK(structurally_before(g1.constant(-0.0), g1.constant(0.0)));
    CHECK(structurally_before(g1.constant(1), g1.constant(NAN)));
    CHECK_FALSE(structurally_before(s1, s1));

    // A graph's hash is its roots' in order.
    CHECK(structural_hash({s1, c1}) == structural_hash({s2, c2}));
    CHECK(structural_hash({s1, c1}) != structural_hash({c1, s1}));
}

TEST_CASE("the topological order follows structure: the same list in any graph") {
    Graph g1, g2;
    g2.make(Kind::Exp, {g2.input(0)});  // exp(x) made first in g2 only
    auto build = [](Graph& g) {
        Expr x = g.input(0);
        return g.make(Kind::Add, {g.make(Kind::Sin, {x}), g.make(Kind::Exp, {x})});
    };
    std::vector<Expr> o1 = topological_order({build(g1)}), o2 = topological_order({build(g2)});
    REQUIRE(o1.size() == o2.size());
    for (size_t i = 0; i < o1.size(); ++i) CHECK(o1[i]->structural_hash == o2[i]->structural_hash);
    // Operands before their users.
    for (size_t i = 0; i < o1.size(); ++i)
        for (int k = 0; k < o1[i]->arity(); ++k)
            CHECK(std::find(o1.begin(), o1.begin() + static_cast<long>(i), (*o1[i])[k]) != o1.begin() + static_cast<long>(i));
}

TEST_CASE("a deep graph is walked without recursion") {
    Graph g;
    Expr e = g.input(0);
    for (int i = 0; i < 200000; ++i) e = g.make(Kind::Sin, {e});
    CHECK(topological_order({e}).size() == 200001);
    CHECK(e->height == 200000);
}
