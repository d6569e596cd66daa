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
#include <vector>

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
    X(Atan, 1, N, N, "atan")                         \
    X(Sinh, 1, N, N, "sinh")                         \
    X(Cosh, 1, N, N, "cosh")                         \
    X(Asinh, 1, N, N, "asinh")                       \
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

// Facts about a node, derived once when it is interned from its operands' facts (O(1)
// per node), so that no pass has to walk the graph below a node to know them.
enum Fact : uint8_t {
    ConstantExpr = 1 << 0,  // made of constants only (no input, parameter or draw): foldable
    Vanishes = 1 << 1,      // decays exponentially in a tail, or is exactly 0 on a region
                            // (where it is 0, `a * it` has limit 0 even for an infinite a)
    Bounded = 1 << 2,       // within finite bounds for every finite parameter (sin, tanh, ...)
    Positive = 1 << 3,      // > 0 for every finite input, as a real function (exp, sigmoid, ...)
    NonZero = 1 << 4,       // != 0 for every finite input, as a real function
};

// Bits of Node::depends: input i is bit i (i < 31), parameter p is bit 31 + p (p < 32);
// bit 63 stands for any later input or parameter and for uniform()'s draws, so that a
// node with bit 63 set may depend on anything.
uint64_t variable_bit(Kind leaf, uint32_t index);

struct Node {
    Kind kind;
    Type type;
    uint32_t index = 0;  // Input, Param: position in the signature
    double value = 0;    // Constant (stored in double; rounded to the kernel's type later)
    std::array<const Node*, 3> operands{};
    SourceRange range;  // the source text it comes from (the first creator's, when shared)
    uint32_t id = 0;    // creation order: every operand has a smaller id than its user
    // Of the kind, the leaf's index or value and the operands' structural hashes: the
    // same in every process, whatever else the graph holds.
    uint64_t structural_hash = 0;
    uint64_t depends = 0;  // the variables it depends on (variable_bit)
    uint32_t height = 0;   // 0 for a leaf, else 1 + its highest operand's
    uint8_t facts = 0;     // Fact bits

    int arity() const { return info(kind).arity; }
    const Node* operator[](int i) const { return operands[static_cast<size_t>(i)]; }
    bool is_constant(double v) const;  // same bits as v (so -0 is not 0)
    bool has(Fact f) const { return (facts & f) != 0; }
    bool depends_on(const Node* variable) const { return (depends & variable->depends) != 0; }
};

using Expr = const Node*;

// Whether a two-operand node's operands depend on different inputs (each on one at least,
// no input in common): decay_mul then lets a zero of either beat an infinite other (the
// limit with that input held where it is), where otherwise only a zero second operand
// does: two factors of one input may both be exponentials, whose under- and overflow say
// nothing of their product (exp(x^2) * erfc(x) at 30 is 0.0188).
inline bool independent_operands(Expr n) {
    constexpr uint64_t inputs = (uint64_t{1} << 31) - 1;
    uint64_t a = (*n)[0]->depends & inputs, b = (*n)[1]->depends & inputs;
    return a && b && !(a & b) && !(((*n)[0]->depends | (*n)[1]->depends) >> 63);
}

// +0 or more (or NaN) wherever it is 0, as the kernels and the interpreters compute it:
// the positive functions exp, sigmoid, softplus, erfc (they underflow to +0), constants
// that are not negative (nor -0), max(p, k) with a constant k >= 0, min(p, k) with p
// such and a constant k > 0, and products of such with each other or with finite
// positive constants. (So e + 0 is e, and a zero product takes the other factor's sign.)
bool never_minus_zero(Expr e);

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

    static bool same(const Node& a, const Node& b);
    void grow();
    std::deque<Node> nodes_;  // stable addresses
    // Open addressing, linear probing on the structural hash, at most half full: one
    // array, no allocation per node; the hash is kept beside the pointer, so that a probe
    // reads a node only when the hashes agree.
    struct Slot {
        uint64_t hash = 0;
        const Node* node = nullptr;
    };
    std::vector<Slot> slots_ = std::vector<Slot>(1024);
};

// The nodes reachable from `roots`, operands before users: a depth-first post-order
// that visits the roots and each node's operands in order, so it depends only on the
// structure below the roots, never on creation order. Passes walk this list instead of
// recursing, so a deep graph cannot exhaust the stack.
std::vector<Expr> topological_order(std::initializer_list<Expr> roots);
std::vector<Expr> topological_order(const std::vector<Expr>& roots);

// A total order of nodes by structure alone (never by creation order), for the operands
// of commutative nodes: constants, then parameters, then inputs (each by value or
// position), then the rest, lower before higher, then by kind and structural hash.
bool structurally_before(Expr a, Expr b);

// A hash of the graphs below `roots`, in order: the backend's cache key stands on it.
uint64_t structural_hash(const std::vector<Expr>& roots);

}  // namespace actjit
