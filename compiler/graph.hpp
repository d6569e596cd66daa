// The expression graph: immutable, hash-consed nodes owned by a Graph. Structurally
// equal nodes are one object, so equality is pointer equality, common subexpressions
// are shared for free, and forward and derivative graphs share their nodes.
//
// Float semantics. A Number node denotes IEEE-754 arithmetic in the kernel's type
// (f32 or f64): constants are rounded to that type, nothing is reassociated or
// contracted, comparisons with a NaN operand are false except `!=`. A rewrite of the
// graph is allowed only if it gives the same result for every input, NaN, ±inf and
// ±0 included (so `x * 0 -> 0` and `x + 0 -> x` are not allowed; `x * 1 -> x` and
// `x + -0 -> x` are). Numerical stabilization (stabilize.hpp) is the one pass that
// changes results, each rule for a documented reason.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <string_view>
#include <unordered_set>

#include "grammar/source.hpp"

namespace actjit {

// Every node kind, once: name, arity, result type, operand type, spelling.
// N: number, B: boolean, S: as the select's branches.
#define ACT_NODE_KINDS(X)                            \
    X(Constant, 0, N, N, "constant")                 \
    X(Input, 0, N, N, "input")                       \
    X(Param, 0, N, N, "param")                       \
    X(Neg, 1, N, N, "-")                             \
    X(Add, 2, N, N, "+")                             \
    X(Sub, 2, N, N, "-")                             \
    X(Mul, 2, N, N, "*")                             \
    X(Div, 2, N, N, "/")                             \
    X(Pow, 2, N, N, "pow")                           \
    X(Abs, 1, N, N, "abs")                           \
    X(Sign, 1, N, N, "sign")                         \
    X(Exp, 1, N, N, "exp")                           \
    X(Expm1, 1, N, N, "expm1")                       \
    X(Log, 1, N, N, "log")                           \
    X(Log1p, 1, N, N, "log1p")                       \
    X(Sqrt, 1, N, N, "sqrt")                         \
    X(Tanh, 1, N, N, "tanh")                         \
    X(Erf, 1, N, N, "erf")                           \
    X(Erfc, 1, N, N, "erfc")                         \
    X(Sin, 1, N, N, "sin")                           \
    X(Cos, 1, N, N, "cos")                           \
    X(Min, 2, N, N, "min")                           \
    X(Max, 2, N, N, "max")                           \
    X(Uniform, 2, N, N, "uniform")                   \
    /* fused forms the stabilizer introduces */      \
    X(Sigmoid, 1, N, N, "sigmoid")                   \
    X(Softplus, 1, N, N, "softplus")                 \
    X(DecayMul, 2, N, N, "decay_mul")                \
    X(Lt, 2, B, N, "<")                              \
    X(Le, 2, B, N, "<=")                             \
    X(Gt, 2, B, N, ">")                              \
    X(Ge, 2, B, N, ">=")                             \
    X(Eq, 2, B, N, "==")                             \
    X(Ne, 2, B, N, "!=")                             \
    X(And, 2, B, B, "&&")                            \
    X(Or, 2, B, B, "||")                             \
    X(Not, 1, B, B, "!")                             \
    X(Select, 3, S, S, "?:")

enum class Kind : uint8_t {
#define ACT_KIND_ENUM(name, arity, result, operand, spelling) name,
    ACT_NODE_KINDS(ACT_KIND_ENUM)
#undef ACT_KIND_ENUM
};

enum class Type : uint8_t { Number, Boolean };

struct KindInfo {
    std::string_view name;
    int arity;
    std::string_view spelling;
};
const KindInfo& info(Kind kind);

struct Node {
    Kind kind;
    Type type;
    uint32_t index = 0;  // Input, Param: position in the signature
    double value = 0;    // Constant (stored in double; rounded to the kernel's type later)
    std::array<const Node*, 3> operands{};
    SourceRange range;  // the source text it comes from (the first creator's, when shared)
    uint32_t id = 0;    // creation order: every operand has a smaller id than its user
    size_t hash = 0;

    int arity() const { return info(kind).arity; }
    const Node* operator[](int i) const { return operands[static_cast<size_t>(i)]; }
    bool is_constant(double v) const;  // same bits as v (so -0 is not 0)
};

using Expr = const Node*;

class Graph {
public:
    Graph() = default;
    Graph(const Graph&) = delete;
    Graph& operator=(const Graph&) = delete;
    Graph(Graph&&) = default;
    Graph& operator=(Graph&&) = default;

    Expr constant(double value, SourceRange range = {});
    Expr input(uint32_t index, SourceRange range = {});
    Expr param(uint32_t index, SourceRange range = {});
    // Any other kind; checks the kind's arity and operand types.
    Expr make(Kind kind, std::initializer_list<Expr> operands, SourceRange range = {});
    // A node of n's kind and range over other operands (n itself when they are the same).
    Expr remake(Expr n, const std::array<Expr, 3>& operands);

    size_t size() const { return nodes_.size(); }

private:
    Expr leaf(Kind kind, uint32_t index, double value, SourceRange range);
    Expr intern(Node node);

    struct Hash {
        size_t operator()(const Node* n) const { return n->hash; }
    };
    struct Equal {
        bool operator()(const Node* a, const Node* b) const;
    };
    std::deque<Node> nodes_;  // stable addresses
    std::unordered_set<const Node*, Hash, Equal> interned_;
};

// The nodes reachable from `roots`, operands before users (ascending id). Passes walk
// this list instead of recursing, so a deep graph cannot exhaust the stack.
std::vector<Expr> topological_order(std::initializer_list<Expr> roots);
std::vector<Expr> topological_order(const std::vector<Expr>& roots);

}  // namespace actjit
