#include "print.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "constants.hpp"
#include "error.hpp"

namespace actjit {

namespace {

// Binding strength, weakest first, as in the grammar.
enum Level { Top, Or, And, Cmp, Sum, Prod, Prefix, Power, Atom };

// The shortest text that reads back as the same double, or (digits > 0) the value to
// that many significant digits.
std::string number(double v, int digits = 0) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    if (v == 0 && std::signbit(v)) return "-0";
    if (digits > 0) {
        std::string s = fmt::format("{:.{}g}", v, digits);
        if (std::strtod(s.c_str(), nullptr) == v || s.size() < fmt::format("{}", v).size()) return s;
    }
    return fmt::format("{}", v);
}

// Constants a reader knows by name (constants.hpp), written so when that is shorter
// than the digits: `x / sqrt(2)`, not `x / 1.4142135623730951`. An exact printer uses a
// name only when the bits agree; a reader's printer (digits > 0) when they agree to 15
// digits.

size_t length_without_spaces(const std::string& s) {
    return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return c != ' '; }));
}

bool is_negation(Expr n) { return n->kind == Kind::Neg; }

struct Text {
    std::string text;
    Level level;
};

class SourcePrinter {
public:
    SourcePrinter(const FunctionInfo& names, int digits) : names_(names), digits_(digits) {}

    std::string print(Expr root) {
        std::vector<Expr> order = topological_order({root});
        // Nodes by id -> their place in `order` (operands have smaller ids than users).
        position_.assign(size_t{root->id} + 1, 0);
        for (size_t i = 0; i < order.size(); ++i) position_[order[i]->id] = static_cast<uint32_t>(i);
        std::vector<int> uses(order.size(), 0);
        for (Expr n : order)
            for (int i = 0; i < n->arity(); ++i) ++uses[position_[(*n)[i]->id]];
        text_.resize(order.size());
        std::vector<std::string> bindings;
        std::unordered_set<std::string> taken(names_.inputs.begin(), names_.inputs.end());
        for (const ParameterInfo& p : names_.parameters) taken.insert(p.name);
        for (size_t k = 0; k < order.size(); ++k) {
            Expr n = order[k];
            Text t = text_of(n);
            // A shared subexpression is bound when that is shorter than writing it at each
            // use (`let _1 = E in`, and `_1` per use, against E per use); a long text
            // always, which keeps the output linear and shallow.
            size_t length = length_without_spaces(t.text);
            size_t used = static_cast<size_t>(uses[k]);
            bool shared = used > 1 && n->arity() > 0 && (used - 1) * length > 2 * used + 6;
            if (n != root && (shared || t.text.size() > 200)) {
                std::string name;
                do name = fmt::format("_{}", ++counter_); while (taken.count(name));
                bindings.push_back(fmt::format("{} = {}", name, t.text));
                t = {name, Atom};
            }
            text_[k] = std::move(t);
        }
        std::string body = text_.back().text;
        if (bindings.empty()) return body;
        std::string out = "let ";
        for (size_t i = 0; i < bindings.size(); ++i) out += (i ? ", " : "") + bindings[i];
        return out + " in " + body;
    }

private:
    const FunctionInfo& names_;
    int digits_;
    std::vector<uint32_t> position_;
    std::vector<Text> text_;  // by place in the topological order
    int counter_ = 0;

    // An operand's text, in parentheses if it binds more weakly than `need`.
    std::string operand(Expr n, Level need) const {
        const Text& t = text_[position_[n->id]];
        return t.level < need ? "(" + t.text + ")" : t.text;
    }

    Text constant(double v) const {
        std::string s = number(v, digits_);
        Text t{s, s[0] == '-' ? Prefix : Atom};
        for (const NamedConstant& c : named_constants()) {
            double magnitude = std::fabs(v);
            bool same = digits_ > 0 ? std::fabs(magnitude - c.value) <= 1e-15 * c.value : magnitude == c.value;
            if (!same) continue;
            std::string name = c.text ? c.text : fmt::format("sqrt({})", std::lround(c.value * c.value));
            if (v < 0) name = c.atom ? "-" + name : "-(" + name + ")";
            if (length_without_spaces(name) < length_without_spaces(s))
                t = {name, v < 0 ? Prefix : c.atom ? Atom : Prod};
            break;
        }
        return t;
    }

    Text text_of(Expr n) const {
        auto op = [&](int i) { return (*n)[i]; };
        auto infix = [&](Level level, const char* spelling) {
            // Left-associative: the right operand binds tighter than the operator.
            return Text{operand(op(0), level) + " " + spelling + " " + operand(op(1), Level(level + 1)), level};
        };
        auto call = [&](std::string_view name) {
            std::string s = std::string(name) + "(";
            for (int i = 0; i < n->arity(); ++i) s += (i ? ", " : "") + operand(op(i), Top);
            return Text{s + ")", Atom};
        };
        switch (n->kind) {
        case Kind::Constant: return constant(n->value);
        case Kind::Input: return {names_.inputs.at(n->index), Atom};
        case Kind::Param: return {names_.parameters.at(n->index).name, Atom};
        case Kind::Neg: return {"-" + operand(op(0), Prefix), Prefix};
        case Kind::Not: return {"!" + operand(op(0), Prefix), Prefix};
        case Kind::Add: return infix(Sum, "+");
        case Kind::Sub: return infix(Sum, "-");
        case Kind::Mul: return infix(Prod, "*");
        case Kind::Div: return infix(Prod, "/");
        // Comparisons do not chain: both operands bind tighter.
        case Kind::Lt: return infix(Cmp, "<");
        case Kind::Le: return infix(Cmp, "<=");
        case Kind::Gt: return infix(Cmp, ">");
        case Kind::Ge: return infix(Cmp, ">=");
        case Kind::Eq: return infix(Cmp, "==");
        case Kind::Ne: return infix(Cmp, "!=");
        case Kind::And: return infix(And, "&&");
        case Kind::Or: return infix(Or, "||");
        // The fused forms, in the language's own words (lowering them again and
        // stabilizing gives the fused forms back).
        case Kind::Sigmoid: {
            // sigmoid(x) = 1 / (1 + exp(-x)); sigmoid(-z) = 1 / (1 + exp(z)), and
            // sigmoid(-2 * z) = 1 / (1 + exp(2 * z)): no double negation.
            Expr a = op(0);
            std::string minus_a;
            if (is_negation(a)) minus_a = operand((*a)[0], Top);
            else if (a->kind == Kind::Mul && (*a)[0]->kind == Kind::Constant && (*a)[0]->value < 0)
                minus_a = constant(-(*a)[0]->value).text + " * " + operand((*a)[1], Prefix);
            else minus_a = "-" + operand(a, Prefix);
            return {"1 / (1 + exp(" + minus_a + "))", Prod};
        }
        case Kind::Softplus: return {"log(1 + exp(" + operand(op(0), Top) + "))", Atom};
        case Kind::DecayMul: return infix(Prod, "*");
        // A constant power in the language's own notation: `x^3`, `x^-2`, `x^0.5`. (An
        // integer one reads back as repeated multiplication, LANGUAGE.md §3.)
        case Kind::Pow:
            if (op(1)->kind == Kind::Constant && std::isfinite(op(1)->value))
                return {operand(op(0), Atom) + "^" + number(op(1)->value, digits_), Power};
            return call("pow");
        case Kind::Select:
            return {operand(op(0), Or) + " ? " + operand(op(1), Top) + " : " + operand(op(2), Top), Top};
        default: return call(info(n->kind).spelling);
        }
    }
};

}  // namespace

std::string to_source(Expr root, const FunctionInfo& names, int digits) {
    return SourcePrinter(names, digits).print(root);
}

std::string dump_graph(const std::vector<std::pair<std::string, Expr>>& roots, const FunctionInfo& names) {
    std::vector<Expr> all;
    for (const auto& [name, root] : roots)
        if (root) all.push_back(root);
    std::unordered_map<Expr, size_t> number_of;
    std::string out;
    for (Expr n : topological_order(all)) {
        size_t k = number_of.size();
        number_of.emplace(n, k);
        std::string line = fmt::format("%{} = {}", k, info(n->kind).name);
        if (n->kind == Kind::Constant) line += " " + number(n->value);
        if (n->kind == Kind::Input) line += " " + names.inputs.at(n->index);
        if (n->kind == Kind::Param) line += " " + names.parameters.at(n->index).name;
        for (int i = 0; i < n->arity(); ++i) line += fmt::format("{}%{}", i ? ", " : " ", number_of.at((*n)[i]));
        out += line + "\n";
    }
    for (const auto& [name, root] : roots)
        out += root ? fmt::format("{} = %{}\n", name, number_of.at(root)) : fmt::format("{} = 0\n", name);
    return out;
}

}  // namespace actjit
