#include "print.hpp"

#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "error.hpp"

namespace actjit {

namespace {

// Binding strength, weakest first, as in the grammar.
enum Level { Top, Or, And, Cmp, Sum, Prod, Prefix, Power, Atom };

std::string number(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    if (v == 0 && std::signbit(v)) return "-0";
    return fmt::format("{}", v);  // shortest text that reads back as the same double
}

bool is_negation(Expr n) { return n->kind == Kind::Neg; }

struct Text {
    std::string text;
    Level level;
};

class SourcePrinter {
public:
    explicit SourcePrinter(const FunctionInfo& names) : names_(names) {}

    std::string print(Expr root) {
        std::vector<Expr> order = topological_order({root});
        std::unordered_map<Expr, int> uses;
        for (Expr n : order)
            for (int i = 0; i < n->arity(); ++i) ++uses[(*n)[i]];
        std::vector<std::string> bindings;
        std::unordered_set<std::string> taken(names_.inputs.begin(), names_.inputs.end());
        for (const ParameterInfo& p : names_.parameters) taken.insert(p.name);
        for (Expr n : order) {
            Text t = text_of(n);
            bool shared = uses[n] > 1 && n->arity() > 0;
            if (n != root && (shared || t.text.size() > 200)) {
                std::string name;
                do name = fmt::format("_{}", ++counter_); while (taken.count(name));
                bindings.push_back(fmt::format("{} = {}", name, t.text));
                t = {name, Atom};
            }
            text_.emplace(n, std::move(t));
        }
        std::string body = text_.at(root).text;
        if (bindings.empty()) return body;
        std::string out = "let ";
        for (size_t i = 0; i < bindings.size(); ++i) out += (i ? ", " : "") + bindings[i];
        return out + " in " + body;
    }

private:
    const FunctionInfo& names_;
    std::unordered_map<Expr, Text> text_;
    int counter_ = 0;

    // An operand's text, in parentheses if it binds more weakly than `need`.
    std::string operand(Expr n, Level need) const {
        const Text& t = text_.at(n);
        return t.level < need ? "(" + t.text + ")" : t.text;
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
        case Kind::Constant: {
            std::string s = number(n->value);
            return {s, s[0] == '-' ? Prefix : Atom};
        }
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
        case Kind::Sigmoid:
            // sigmoid(x) = 1 / (1 + exp(-x)); sigmoid(-z) = 1 / (1 + exp(z))
            return {"1 / (1 + exp(" +
                        (is_negation(op(0)) ? operand((*op(0))[0], Top) : "-" + operand(op(0), Prefix)) + "))",
                    Prod};
        case Kind::Softplus: return {"log(1 + exp(" + operand(op(0), Top) + "))", Atom};
        case Kind::DecayMul: return infix(Prod, "*");
        case Kind::Select:
            return {operand(op(0), Or) + " ? " + operand(op(1), Top) + " : " + operand(op(2), Top), Top};
        default: return call(info(n->kind).spelling);
        }
    }
};

}  // namespace

std::string to_source(Expr root, const FunctionInfo& names) { return SourcePrinter(names).print(root); }

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
