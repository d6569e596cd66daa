#include "graph.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <unordered_set>

#include "error.hpp"

namespace actjit {

namespace {

constexpr KindInfo kind_table[] = {
#define ACT_KIND_INFO(name, arity, result, operand, spelling) {#name, arity, spelling},
    ACT_NODE_KINDS(ACT_KIND_INFO)
#undef ACT_KIND_INFO
};

enum class Sort { N, B, S };
struct Signature {
    Sort result, operand;
};
constexpr Signature signature_table[] = {
#define ACT_KIND_SIGNATURE(name, arity, result, operand, spelling) {Sort::result, Sort::operand},
    ACT_NODE_KINDS(ACT_KIND_SIGNATURE)
#undef ACT_KIND_SIGNATURE
};

// splitmix64's finalizer: every input bit affects every output bit. Fixed constants,
// no per-process seed, so structural hashes are the same in every run.
uint64_t scramble(uint64_t v) {
    v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ull;
    v = (v ^ (v >> 27)) * 0x94d049bb133111ebull;
    return v ^ (v >> 31);
}
uint64_t mix(uint64_t h, uint64_t v) { return scramble(h ^ scramble(v + 0x9e3779b97f4a7c15ull)); }

// The facts of a node from its operands' (graph.hpp, enum Fact): one rule per kind.
uint8_t derive_facts(const Node& n) {
    auto op = [&](int i) { return n[i]; };
    auto all = [&](Fact f) {
        for (int i = 0; i < n.arity(); ++i)
            if (!op(i)->has(f)) return false;
        return true;
    };
    auto fixed = [&](int i) {  // a constant factor (constants and parameters only), or a bounded one
        constexpr uint64_t inputs_or_draws = ((uint64_t{1} << 31) - 1) | (uint64_t{1} << 63);
        return op(i)->has(ConstantExpr) || !(op(i)->depends & inputs_or_draws) || op(i)->has(Bounded);
    };
    auto positive_constant = [](const Node* c) { return c->kind == Kind::Constant && c->value > 0; };
    uint8_t f = 0;
    // Constant expressions: a constant, or an operation on constants; draws never are.
    if (n.kind == Kind::Constant || (n.arity() > 0 && n.kind != Kind::Uniform && all(ConstantExpr)))
        f |= ConstantExpr;
    switch (n.kind) {
    case Kind::Constant:
        if (n.value > 0 && std::isfinite(n.value)) f |= Positive;
        if (n.value != 0 && std::isfinite(n.value)) f |= NonZero;
        break;
    case Kind::Input:
    case Kind::Param:
    case Kind::Uniform: break;
    // Exponential decay in a tail; exp, sigmoid, softplus and erfc are also positive.
    case Kind::Exp:
    case Kind::Sigmoid:
    case Kind::Softplus: f |= Vanishes | Positive; break;
    case Kind::Erfc: f |= Vanishes | Positive | Bounded; break;
    case Kind::DecayMul:
        f |= Vanishes;
        if ((op(0)->has(Bounded) && fixed(1)) || (fixed(0) && op(1)->has(Bounded))) f |= Bounded;
        if (all(NonZero)) f |= NonZero;
        if (all(Positive)) f |= Positive;
        break;
    case Kind::Tanh:
        f |= Bounded;
        if (op(0)->has(Vanishes)) f |= Vanishes;
        if (op(0)->has(Positive)) f |= Positive;
        break;
    case Kind::Sin:
    case Kind::Cos:
    case Kind::Erf: f |= Bounded; break;
    // atan, sinh and asinh are odd, increasing and tangent to the identity at 0: they
    // keep a vanishing or positive operand so; cosh is >= 1.
    case Kind::Atan:
    case Kind::Sinh:
    case Kind::Asinh:
        if (n.kind == Kind::Atan) f |= Bounded;
        if (op(0)->has(Vanishes)) f |= Vanishes;
        if (op(0)->has(Positive)) f |= Positive;
        if (op(0)->has(NonZero)) f |= NonZero;
        break;
    case Kind::Cosh: f |= Positive | NonZero; break;
    // Exactly 0 on a region: max(y, 0), min of such a factor and a positive constant,
    // a select with a 0 branch.
    case Kind::Max:
        if (op(0)->is_constant(0) || op(1)->is_constant(0)) f |= Vanishes;
        if (op(0)->has(Positive) || op(1)->has(Positive)) f |= Positive;
        break;
    case Kind::Min:
        if (op(0)->has(Vanishes) && positive_constant(op(1))) f |= Vanishes;
        if (all(Positive)) f |= Positive;
        break;
    case Kind::Select:
        if (op(1)->is_constant(0) || op(2)->is_constant(0)) f |= Vanishes;
        if (op(1)->has(Positive) && op(2)->has(Positive)) f |= Positive;
        if (op(1)->has(NonZero) && op(2)->has(NonZero)) f |= NonZero;
        break;
    case Kind::Neg:
        if (op(0)->has(Bounded)) f |= Bounded;
        if (op(0)->has(NonZero)) f |= NonZero;
        break;
    // Products and quotients of a bounded term by constants, parameters or bounded terms.
    case Kind::Mul:
    case Kind::Div:
        if ((op(0)->has(Bounded) && fixed(1)) || (n.kind == Kind::Mul && fixed(0) && op(1)->has(Bounded)))
            f |= Bounded;
        if (all(Positive)) f |= Positive;
        if (all(NonZero)) f |= NonZero;
        break;
    case Kind::Add:
        if (all(Positive)) f |= Positive;
        break;
    case Kind::Sqrt:
    case Kind::Pow:
        if (op(0)->has(Positive)) f |= Positive;
        break;
    case Kind::Abs:
        if (op(0)->has(NonZero)) f |= Positive;
        break;
    case Kind::Sub:
    case Kind::Sign:
    case Kind::Expm1:
    case Kind::Log:
    case Kind::Log1p:
    case Kind::Lt:
    case Kind::Le:
    case Kind::Gt:
    case Kind::Ge:
    case Kind::Eq:
    case Kind::Ne:
    case Kind::And:
    case Kind::Or:
    case Kind::Not: break;
    }
    if (f & Positive) f |= NonZero;
    return f;
}

int rank(Expr n) {
    switch (n->kind) {
    case Kind::Constant: return 0;
    case Kind::Param: return 1;
    case Kind::Input: return 2;
    default: return 3;
    }
}

}  // namespace

uint64_t variable_bit(Kind leaf, uint32_t index) {
    if (leaf == Kind::Input && index < 31) return uint64_t{1} << index;
    if (leaf == Kind::Param && index < 32) return uint64_t{1} << (31 + index);
    return uint64_t{1} << 63;
}

const KindInfo& info(Kind kind) { return kind_table[static_cast<size_t>(kind)]; }

bool never_minus_zero(Expr e) {
    auto constant = [](Expr c, bool zero_too) {
        return c->kind == Kind::Constant && std::isfinite(c->value) &&
               (c->value > 0 || (zero_too && c->value == 0 && !std::signbit(c->value)));
    };
    switch (e->kind) {
    case Kind::Constant: return constant(e, true);
    case Kind::Exp: case Kind::Sigmoid: case Kind::Softplus: case Kind::Erfc: return true;
    case Kind::Max: return constant((*e)[1], true);
    case Kind::Min: return never_minus_zero((*e)[0]) && constant((*e)[1], false);
    case Kind::Mul: case Kind::DecayMul: {
        Expr a = (*e)[0], b = (*e)[1];
        return (constant(a, false) || never_minus_zero(a)) && (constant(b, false) || never_minus_zero(b));
    }
    default: return false;
    }
}

bool Node::is_constant(double v) const {
    return kind == Kind::Constant && std::bit_cast<uint64_t>(value) == std::bit_cast<uint64_t>(v);
}

bool Graph::same(const Node& a, const Node& b) {
    return a.structural_hash == b.structural_hash && a.kind == b.kind && a.index == b.index &&
           std::bit_cast<uint64_t>(a.value) == std::bit_cast<uint64_t>(b.value) && a.operands == b.operands;
}

void Graph::grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    size_t mask = bigger.size() - 1;
    for (const Slot& s : slots_) {
        if (!s.node) continue;
        size_t i = s.hash & mask;
        while (bigger[i].node) i = (i + 1) & mask;
        bigger[i] = s;
    }
    slots_ = std::move(bigger);
}

Expr Graph::intern(Node node) {
    uint64_t h = mix(static_cast<uint64_t>(node.kind), node.index);
    h = mix(h, std::bit_cast<uint64_t>(node.value));
    for (Expr operand : node.operands) h = mix(h, operand ? operand->structural_hash : 0);
    node.structural_hash = h;
    size_t mask = slots_.size() - 1;
    size_t slot = h & mask;
    for (; slots_[slot].node; slot = (slot + 1) & mask)
        if (slots_[slot].hash == h && same(*slots_[slot].node, node)) return slots_[slot].node;
    // A new node: its facts, from its operands'.
    if (node.kind == Kind::Input || node.kind == Kind::Param) node.depends = variable_bit(node.kind, node.index);
    if (node.kind == Kind::Uniform) node.depends = uint64_t{1} << 63;
    for (int i = 0; i < node.arity(); ++i) {
        node.depends |= node[i]->depends;
        node.height = std::max(node.height, node[i]->height + 1);
    }
    node.facts = derive_facts(node);
    node.id = static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(node);
    slots_[slot] = {h, &nodes_.back()};
    if (2 * nodes_.size() > slots_.size()) grow();
    return &nodes_.back();
}

Expr Graph::leaf(Kind kind, uint32_t index, double value, SourceRange range) {
    Node n{};
    n.kind = kind;
    n.type = Type::Number;
    n.index = index;
    n.value = value;
    n.range = range;
    return intern(n);
}

Expr Graph::constant(double value, SourceRange range) { return leaf(Kind::Constant, 0, value, range); }
Expr Graph::input(uint32_t index, SourceRange range) { return leaf(Kind::Input, index, 0, range); }
Expr Graph::param(uint32_t index, SourceRange range) { return leaf(Kind::Param, index, 0, range); }

Expr Graph::make(Kind kind, std::initializer_list<Expr> operands, SourceRange range) {
    const KindInfo& k = info(kind);
    ACT_ASSERT(k.arity > 0 && static_cast<int>(operands.size()) == k.arity,
               "{} takes {} operands, not {}", k.name, k.arity, operands.size());
    Node n{};
    n.kind = kind;
    n.range = range;
    std::copy(operands.begin(), operands.end(), n.operands.begin());
    for (Expr operand : operands) ACT_ASSERT(operand != nullptr, "{} has a null operand", k.name);
    const Signature& s = signature_table[static_cast<size_t>(kind)];
    if (kind == Kind::Select) {
        ACT_ASSERT(n[0]->type == Type::Boolean, "a select's condition must be a boolean");
        ACT_ASSERT(n[1]->type == n[2]->type, "a select's branches must have one type");
        n.type = n[1]->type;
    } else {
        Type want = s.operand == Sort::B ? Type::Boolean : Type::Number;
        for (Expr operand : operands)
            ACT_ASSERT(operand->type == want, "{}'s operands must be {}", k.name,
                       want == Type::Boolean ? "booleans" : "numbers");
        n.type = s.result == Sort::B ? Type::Boolean : Type::Number;
    }
    return intern(n);
}

Expr Graph::remake(Expr n, const std::array<Expr, 3>& operands) {
    if (operands == n->operands) return n;
    switch (n->arity()) {
    case 1: return make(n->kind, {operands[0]}, n->range);
    case 2: return make(n->kind, {operands[0], operands[1]}, n->range);
    case 3: return make(n->kind, {operands[0], operands[1], operands[2]}, n->range);
    default: return n;  // a leaf has no operands to replace
    }
}

std::vector<Expr> topological_order(const std::vector<Expr>& roots) {
    // Operands have smaller ids than their users: the roots' largest id bounds them all.
    uint32_t top = 0;
    for (Expr r : roots)
        if (r) top = std::max(top, r->id);
    std::vector<bool> seen_ids(size_t{top} + 1);
    auto seen_insert = [&](Expr n) {
        if (seen_ids[n->id]) return false;
        seen_ids[n->id] = true;
        return true;
    };
    std::vector<Expr> out;
    std::vector<std::pair<Expr, int>> stack;  // a node and the next operand to visit
    for (Expr r : roots) {
        if (!r || !seen_insert(r)) continue;
        stack.push_back({r, 0});
        while (!stack.empty()) {
            auto& [n, next] = stack.back();
            if (next < n->arity()) {
                Expr operand = (*n)[next++];
                if (seen_insert(operand)) stack.push_back({operand, 0});
                continue;
            }
            out.push_back(n);
            stack.pop_back();
        }
    }
    return out;
}

bool structurally_before(Expr a, Expr b) {
    // Down the first operands that differ (sin(x) before sin(y), as x is before y), a few
    // levels at most; past them, by structural hash, so a comparison costs O(1).
    for (int depth = 0; a != b; ++depth) {
        if (rank(a) != rank(b)) return rank(a) < rank(b);
        if (a->kind == Kind::Constant) {
            // By value, -0 before +0, NaN last: a total order on the bits.
            if (std::isnan(a->value) != std::isnan(b->value)) return std::isnan(b->value);
            if (a->value != b->value) return a->value < b->value;
            return std::bit_cast<uint64_t>(a->value) > std::bit_cast<uint64_t>(b->value);
        }
        if (a->arity() == 0 || a->index != b->index) return a->index < b->index;
        if (a->height != b->height) return a->height < b->height;
        if (a->kind != b->kind) return a->kind < b->kind;
        if (depth == 16 && a->structural_hash != b->structural_hash) return a->structural_hash < b->structural_hash;
        int i = 0;
        while (i < a->arity() && (*a)[i] == (*b)[i]) ++i;
        if (i == a->arity()) return false;  // equal structure: one node, by hash-consing
        a = (*a)[i];
        b = (*b)[i];
    }
    return false;
}

uint64_t structural_hash(const std::vector<Expr>& roots) {
    uint64_t h = mix(0x6163746a6974ull, roots.size());  // "actjit"
    for (Expr r : roots) h = mix(h, r ? r->structural_hash : 0);
    return h;
}

std::vector<Expr> topological_order(std::initializer_list<Expr> roots) {
    return topological_order(std::vector<Expr>(roots));
}

}  // namespace actjit
