#include "graph.hpp"

#include <algorithm>
#include <bit>
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

size_t mix(size_t h, uint64_t v) {
    // boost::hash_combine's mixing, on 64 bits.
    return h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2));
}

}  // namespace

const KindInfo& info(Kind kind) { return kind_table[static_cast<size_t>(kind)]; }

bool Node::is_constant(double v) const {
    return kind == Kind::Constant && std::bit_cast<uint64_t>(value) == std::bit_cast<uint64_t>(v);
}

bool Graph::Equal::operator()(const Node* a, const Node* b) const {
    return a->kind == b->kind && a->index == b->index &&
           std::bit_cast<uint64_t>(a->value) == std::bit_cast<uint64_t>(b->value) &&
           a->operands == b->operands;
}

Expr Graph::intern(Node node) {
    size_t h = mix(static_cast<size_t>(node.kind), node.index);
    h = mix(h, std::bit_cast<uint64_t>(node.value));
    for (Expr operand : node.operands) h = mix(h, operand ? operand->id + 1 : 0);
    node.hash = h;
    if (auto it = interned_.find(&node); it != interned_.end()) return *it;
    node.id = static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(node);
    interned_.insert(&nodes_.back());
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
    std::unordered_set<Expr> seen;
    std::vector<Expr> stack, out;
    for (Expr r : roots)
        if (r && seen.insert(r).second) stack.push_back(r);
    while (!stack.empty()) {
        Expr n = stack.back();
        stack.pop_back();
        out.push_back(n);
        for (int i = 0; i < n->arity(); ++i)
            if (seen.insert((*n)[i]).second) stack.push_back((*n)[i]);
    }
    std::sort(out.begin(), out.end(), [](Expr a, Expr b) { return a->id < b->id; });
    return out;
}

std::vector<Expr> topological_order(std::initializer_list<Expr> roots) {
    return topological_order(std::vector<Expr>(roots));
}

}  // namespace actjit
