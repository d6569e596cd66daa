#include "lower.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <span>
#include <numbers>
#include <unordered_map>

#include <boost/spirit/home/x3/support/utility/lambda_visitor.hpp>

#include "error.hpp"
#include "interpret.hpp"

namespace actjit {

namespace {

namespace x3 = boost::spirit::x3;

struct Scope {
    std::string_view name;
    Expr value;
};

// A definition's body with its inputs and parameters bound to expressions: what a call
// inlines (and, bound to the definition's own leaves, the definition itself).
using Instance = std::pair<size_t, std::vector<Expr>>;  // (definition, inputs then parameters)

class Lowerer {
public:
    // Every definition the module can reach: its own, then those of the files it uses,
    // and of the files they use, each file once.
    Lowerer(const ParsedFile& parsed, const Module& module, Program& program)
        : program_(program), graph_(program.graph) {
        std::vector<const Module*> modules{&module};
        for (size_t m = 0; m < modules.size(); ++m)
            for (const Module* used : modules[m]->uses)
                if (std::find(modules.begin(), modules.end(), used) == modules.end()) modules.push_back(used);
        for (const Module* m : modules) {
            ACT_ASSERT(m == &module || m->parsed, "a used module without its parsed file");
            for (const FunctionInfo& f : m->functions) {
                index_.emplace(&f, functions_.size());
                // Ranges point into the lowered file; a used file's would be read as if in it.
                functions_.push_back({&f, m == &module ? &parsed : nullptr});
            }
            callees_.insert(m->callees.begin(), m->callees.end());
        }
        program_.functions.resize(functions_.size());
        for (size_t i = 0; i < functions_.size(); ++i) lower_signature(i);
    }

    size_t index(const FunctionInfo* f) const { return index_.at(f); }

    // The definition's body over its own inputs and parameters.
    void lower_body(size_t i) {
        const FunctionInfo& f = *functions_[i].info;
        std::vector<Expr> leaves;
        for (size_t k = 0; k < f.inputs.size(); ++k) leaves.push_back(graph_.input(static_cast<uint32_t>(k)));
        for (size_t p = 0; p < f.parameters.size(); ++p) leaves.push_back(graph_.param(static_cast<uint32_t>(p)));
        program_.functions[i].body = instance({i, std::move(leaves)});
    }

private:
    struct Function {
        const FunctionInfo* info;
        const ParsedFile* parsed;  // null: a used file's (no source ranges)
    };
    Program& program_;
    Graph& graph_;
    std::vector<Function> functions_;
    std::unordered_map<const FunctionInfo*, size_t> index_;
    std::unordered_map<const ast::Call*, const FunctionInfo*> callees_;
    const ParsedFile* parsed_ = nullptr;  // the current definition's
    // Every instance lowered so far: each callee is lowered once per distinct argument list.
    std::map<Instance, Expr> lowered_;

    // What the body being lowered sees.
    const FunctionInfo* current_ = nullptr;
    std::span<const Expr> bound_;  // its inputs, then its parameters
    std::vector<Scope> lets_;
    // The first call met in this attempt whose instance is not lowered yet (only the
    // first: after it, values stand in for what is missing, and later arguments may
    // hold those stand-ins).
    std::vector<Instance> missing_;

    SourceRange range(const x3::position_tagged& node) const { return parsed_ ? parsed_->range(node) : SourceRange{}; }

    // ---- instances --------------------------------------------------------------------

    // Lowers an instance top-down, without recursion: a body is lowered with the
    // instances of its calls at hand; when one is missing, it is lowered first and the
    // body tried again. A chain of definitions, each calling the previous one at a
    // shifted argument, costs one body per instance (bottom-up, every definition's
    // whole expansion would be built, which is quadratic), and however long the chain,
    // the stack holds one body.
    Expr instance(const Instance& root) {
        std::vector<Instance> stack{root};
        while (!stack.empty()) {
            if (lowered_.count(stack.back())) {
                stack.pop_back();
                continue;
            }
            const Instance& want = stack.back();
            const FunctionInfo& f = *functions_[want.first].info;
            current_ = &f;
            parsed_ = functions_[want.first].parsed;
            bound_ = want.second;
            missing_.clear();
            Expr body = lower(f.definition->body);
            ACT_ASSERT(lets_.empty(), "let scopes left open in '{}'", f.name);
            if (missing_.empty()) {
                lowered_.emplace(want, body);
                stack.pop_back();
                continue;
            }
            // Recursion was rejected by check(), so this ends.
            stack.push_back(std::move(missing_.front()));
        }
        return lowered_.at(root);
    }

    // ---- signatures -----------------------------------------------------------------

    void lower_signature(size_t i) {
        const FunctionInfo& f = *functions_[i].info;
        LoweredFunction& out = program_.functions[i];
        out.info = &f;
        current_ = &f;
        parsed_ = functions_[i].parsed;
        for (const ParameterInfo& p : f.parameters) {
            if (!p.default_value) {
                out.defaults.push_back(std::nullopt);
                continue;
            }
            // Defaults are constant expressions: no inputs, parameters or calls to bind.
            Expr value = lower(*p.default_value);
            out.defaults.push_back(interpret(value, {}));
        }
    }

    // ---- expressions ---------------------------------------------------------------

    Expr lower(const ast::Expr& e) {
        // Once a call's instance is missing, this attempt is thrown away: stop building.
        if (!missing_.empty()) return graph_.constant(0);
        return e.apply_visitor(x3::make_lambda_visitor<Expr>(
            [&](const ast::Nil&) -> Expr { ACT_ASSERT(false, "a nil expression reached lowering"); },
            [&](const ast::Number& n) { return graph_.constant(std::strtod(n.text.c_str(), nullptr), range(n)); },
            [&](const ast::Name& n) { return lower_name(n); },
            [&](const x3::forward_ast<ast::Unary>& u) { return lower_unary(u.get()); },
            [&](const x3::forward_ast<ast::Chain>& c) { return lower_chain(c.get()); },
            [&](const x3::forward_ast<ast::Call>& c) { return lower_call(c.get()); },
            [&](const x3::forward_ast<ast::Conditional>& c) {
                const ast::Conditional& k = c.get();
                return graph_.make(Kind::Select, {lower(k.condition), lower(k.then_branch), lower(k.else_branch)},
                                   range(k));
            },
            [&](const x3::forward_ast<ast::Let>& l) {
                size_t mark = lets_.size();
                for (const ast::Binding& b : l.get().bindings) {
                    Expr value = lower(b.value);
                    lets_.push_back({b.name.text, value});
                }
                Expr body = lower(l.get().body);
                lets_.resize(mark);
                return body;
            }));
    }

    Expr lower_name(const ast::Name& n) {
        for (auto it = lets_.rbegin(); it != lets_.rend(); ++it)
            if (it->name == n.text) return it->value;
        for (size_t i = 0; i < current_->inputs.size(); ++i)
            if (current_->inputs[i] == n.text) return bound_[i];
        for (size_t p = 0; p < current_->parameters.size(); ++p)
            if (current_->parameters[p].name == n.text) return bound_[current_->inputs.size() + p];
        if (n.text == "pi") return graph_.constant(std::numbers::pi, range(n));
        if (n.text == "inf") return graph_.constant(INFINITY, range(n));
        if (n.text == "nan") return graph_.constant(NAN, range(n));
        ACT_ASSERT(false, "name '{}' is not bound", n.text);
    }

    Expr lower_unary(const ast::Unary& u) {
        Expr operand = lower(u.operand);
        if (u.op == "+") return operand;
        return graph_.make(u.op == "-" ? Kind::Neg : Kind::Not, {operand}, range(u));
    }

    static Kind binary_kind(const std::string& op) {
        static const std::unordered_map<std::string_view, Kind> kinds = {
            {"+", Kind::Add}, {"-", Kind::Sub}, {"*", Kind::Mul}, {"/", Kind::Div},
            {"<", Kind::Lt},  {"<=", Kind::Le}, {">", Kind::Gt},  {">=", Kind::Ge},
            {"==", Kind::Eq}, {"!=", Kind::Ne}, {"&&", Kind::And}, {"||", Kind::Or}};
        auto it = kinds.find(op);
        ACT_ASSERT(it != kinds.end(), "unknown operator '{}'", op);
        return it->second;
    }

    Expr lower_chain(const ast::Chain& c) {
        Expr acc = lower(c.first);
        for (const ast::Operation& o : c.rest) {
            if (o.op == "^") {
                acc = power(acc, o.operand, range(c));
                continue;
            }
            acc = graph_.make(binary_kind(o.op), {acc, lower(o.operand)}, range(c));
        }
        return acc;
    }

    // The integer an exponent is written as, if it is an integer literal (`3`, `-2`).
    static std::optional<long> integer_literal(const ast::Expr& e) {
        bool negative = false;
        const ast::Expr* p = &e;
        if (auto* u = boost::get<x3::forward_ast<ast::Unary>>(&e); u && u->get().op == "-") {
            negative = true;
            p = &u->get().operand;
        }
        auto* n = boost::get<ast::Number>(p);
        if (!n || n->text.find_first_not_of("0123456789") != std::string::npos || n->text.size() > 6)
            return std::nullopt;
        long v = std::strtol(n->text.c_str(), nullptr, 10);
        return negative ? -v : v;
    }

    // a ^ n for an integer literal n: repeated multiplication; otherwise pow.
    Expr power(Expr base, const ast::Expr& exponent, SourceRange r) {
        if (auto n = integer_literal(exponent); n && std::labs(*n) <= max_expanded_power) {
            if (*n == 0) return graph_.constant(1, r);
            Expr product = base;
            for (long k = 1; k < std::labs(*n); ++k) product = graph_.make(Kind::Mul, {product, base}, r);
            return *n > 0 ? product : graph_.make(Kind::Div, {graph_.constant(1, r), product}, r);
        }
        return graph_.make(Kind::Pow, {base, lower(exponent)}, r);
    }

    Expr lower_call(const ast::Call& c) {
        const std::string& name = c.callee.text;
        SourceRange r = range(c);
        if (auto it = callees_.find(&c); it != callees_.end()) return inline_call(c, index(it->second));
        std::vector<Expr> a;
        if (name == "pow") return power(lower(c.arguments[0]), c.arguments[1], r);
        for (const ast::Expr& e : c.arguments) a.push_back(lower(e));
        static const std::unordered_map<std::string_view, Kind> unary = {
            {"abs", Kind::Abs},     {"sign", Kind::Sign}, {"exp", Kind::Exp},   {"expm1", Kind::Expm1},
            {"log", Kind::Log},     {"log1p", Kind::Log1p}, {"sqrt", Kind::Sqrt}, {"tanh", Kind::Tanh},
            {"erf", Kind::Erf},     {"erfc", Kind::Erfc}, {"sin", Kind::Sin},   {"cos", Kind::Cos},
            {"atan", Kind::Atan},   {"sinh", Kind::Sinh}, {"cosh", Kind::Cosh}, {"asinh", Kind::Asinh}};
        if (auto it = unary.find(name); it != unary.end()) return graph_.make(it->second, {a[0]}, r);
        if (name == "min" || name == "max") {
            Kind k = name == "min" ? Kind::Min : Kind::Max;
            Expr acc = a[0];
            for (size_t i = 1; i < a.size(); ++i) acc = graph_.make(k, {acc, a[i]}, r);
            return acc;
        }
        // clamp(x, lo, hi) = min(max(x, lo), hi)
        if (name == "clamp") return graph_.make(Kind::Min, {graph_.make(Kind::Max, {a[0], a[1]}, r), a[2]}, r);
        if (name == "uniform") return graph_.make(Kind::Uniform, {a[0], a[1]}, r);
        internal_error(__FILE__, __LINE__, "a known builtin", fmt::format("unknown builtin '{}' reached lowering", name));
    }

    Expr inline_call(const ast::Call& c, size_t callee) {
        const LoweredFunction& f = program_.functions[callee];
        std::vector<Expr> arguments;
        for (const ast::Expr& e : c.arguments) arguments.push_back(lower(e));
        for (size_t p = 0; p < f.info->parameters.size(); ++p) {
            Expr value = nullptr;
            for (const ast::NamedArgument& n : c.named)
                if (n.name.text == f.info->parameters[p].name) value = lower(n.value);
            if (!value) {
                ACT_ASSERT(f.defaults[p].has_value(), "parameter '{}' of '{}' has no value",
                           f.info->parameters[p].name, f.info->name);
                value = graph_.constant(*f.defaults[p], range(c));
            }
            arguments.push_back(value);
        }
        Instance want{callee, std::move(arguments)};
        if (auto it = lowered_.find(want); it != lowered_.end()) return it->second;
        // Not lowered yet: the driver lowers it, then tries this body again.
        if (missing_.empty()) missing_.push_back(std::move(want));
        return graph_.constant(0, range(c));
    }
};

}  // namespace

const LoweredFunction* Program::find(std::string_view name) const {
    for (const LoweredFunction& f : functions)
        if (f.info->name == name) return &f;
    return nullptr;
}

const LoweredFunction* Program::find(const FunctionInfo* info) const {
    for (const LoweredFunction& f : functions)
        if (f.info == info) return &f;
    return nullptr;
}

Program lower(const ParsedFile& parsed, const Module& module) {
    Program program;
    Lowerer lowerer(parsed, module, program);
    for (const FunctionInfo& f : module.functions) lowerer.lower_body(lowerer.index(&f));
    return program;
}

Program lower(const ParsedFile& parsed, const Module& module, std::string_view name) {
    Program program;
    Lowerer lowerer(parsed, module, program);
    if (std::vector<const FunctionInfo*> f = module.resolve(name); f.size() == 1) lowerer.lower_body(lowerer.index(f[0]));
    return program;
}

}  // namespace actjit
