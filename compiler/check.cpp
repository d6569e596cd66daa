#include "check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include <boost/spirit/home/x3/support/utility/lambda_visitor.hpp>
#include <fmt/format.h>

#include "builtins.hpp"
#include "suggest.hpp"

namespace actjit {

namespace {

namespace x3 = boost::spirit::x3;

enum class Type { Number, Boolean, Invalid };  // Invalid: an error was already reported

const char* article_name(Type t) { return t == Type::Boolean ? "a boolean" : "a number"; }

// Suggestions are computed for this many unknown names at most, so that a file full
// of them stays fast to check.
constexpr int max_suggestions = 200;

// A call from one definition to another, for the recursion check.
struct CallEdge {
    size_t callee;
    SourceRange site;
};

struct LetName {
    std::string_view name;
    Type type;
};

class Checker {
public:
    Checker(const ParsedFile& parsed, Diagnostics& diagnostics, const CheckContext& context)
        : parsed_(parsed), diagnostics_(diagnostics), context_(context) {}

    Module run() {
        module_.uses = context_.uses;
        for (const std::string& name : parsed_.broken_definitions) broken_.insert(name);
        for (const std::string& name : context_.unavailable) broken_.insert(name);
        collect_definitions();
        for (size_t i = 0; i < module_.functions.size(); ++i) check_function(i);
        check_recursion();
        return std::move(module_);
    }

private:
    const ParsedFile& parsed_;
    Diagnostics& diagnostics_;
    const CheckContext& context_;
    Module module_;
    std::unordered_map<std::string_view, size_t> index_;  // definition name -> function
    std::unordered_set<std::string_view> broken_;         // definitions with syntax errors
    std::unordered_set<std::string_view> used_;           // the current definition's signature names in use
    std::vector<std::vector<CallEdge>> calls_;            // per function
    int suggestions_left_ = max_suggestions;

    // The definition being checked, and what its body sees.
    const FunctionInfo* current_ = nullptr;
    size_t current_index_ = 0;
    bool constant_context_ = false;  // inside a parameter default
    std::string_view default_of_;    // the parameter whose default is being checked
    std::vector<LetName> lets_;

    SourceRange range(const x3::position_tagged& node) const { return parsed_.range(node); }

    SourceRange range(const ast::Expr& e) const {
        return e.apply_visitor(x3::make_lambda_visitor<SourceRange>(
            [&](const ast::Nil&) { return SourceRange{}; },
            [&](const auto& node) { return range(unwrap(node)); }));
    }
    template <typename T>
    static const T& unwrap(const x3::forward_ast<T>& node) { return node.get(); }
    template <typename T>
    static const T& unwrap(const T& node) { return node; }

    std::string suggestion(std::string_view name, const std::vector<std::string_view>& candidates) {
        if (suggestions_left_ <= 0) return {};
        --suggestions_left_;
        std::string best = closest_name(name, candidates);
        return best.empty() ? std::string() : fmt::format("; did you mean '{}'?", best);
    }

    // ---- signatures --------------------------------------------------------------

    // Builtin and constant names are reserved for every kind of name.
    bool check_reserved(const ast::Name& name, const char* what) {
        if (find_builtin(name.text)) {
            diagnostics_.error(range(name), fmt::format("'{}' is a builtin function; it cannot be "
                                                        "used as {} name", name.text, what));
            return false;
        }
        if (is_constant(name.text)) {
            diagnostics_.error(range(name), fmt::format("'{}' is a constant; it cannot be used "
                                                        "as {} name", name.text, what));
            return false;
        }
        return true;
    }

    void collect_definitions() {
        for (const ast::Definition& d : parsed_.ast.definitions) {
            if (!check_reserved(d.name, "a definition")) continue;
            if (auto it = index_.find(d.name.text); it != index_.end()) {
                diagnostics_.error(range(d.name), fmt::format("redefinition of '{}'", d.name.text));
                diagnostics_.note(module_.functions[it->second].range,
                                  fmt::format("'{}' was first defined here", d.name.text));
                continue;
            }
            FunctionInfo f;
            f.name = d.name.text;
            f.definition = &d;
            f.range = range(d.name);
            // Signature names: inputs, then parameters, one namespace.
            std::map<std::string_view, SourceRange> seen;
            auto declare = [&](const ast::Name& n, const char* what) {
                if (!check_reserved(n, what)) return false;
                if (auto it = seen.find(n.text); it != seen.end()) {
                    diagnostics_.error(range(n), fmt::format("'{}' is declared twice in the "
                                                             "signature of '{}'", n.text, d.name.text));
                    diagnostics_.note(it->second, fmt::format("'{}' was first declared here", n.text));
                    return false;
                }
                seen.emplace(n.text, range(n));
                return true;
            };
            for (const ast::Name& input : d.inputs) {
                declare(input, "an input");
                f.inputs.push_back(input.text);
            }
            for (const ast::Parameter& p : d.parameters) {
                declare(p.name, "a parameter");
                f.parameters.push_back({p.name.text, p.learn,
                                        p.default_value ? &*p.default_value : nullptr, range(p.name)});
            }
            index_.emplace(d.name.text, module_.functions.size());  // the AST outlives us
            module_.functions.push_back(std::move(f));
        }
        calls_.resize(module_.functions.size());
    }

    // ---- bodies ------------------------------------------------------------------

    void check_function(size_t index) {
        current_index_ = index;
        current_ = &module_.functions[index];
        const ast::Definition& d = *current_->definition;
        for (const ast::Parameter& p : d.parameters) {
            if (!p.default_value) continue;
            constant_context_ = true;
            default_of_ = p.name.text;
            expect_number(*p.default_value, fmt::format("the default of parameter '{}'", p.name.text));
            constant_context_ = false;
        }
        used_.clear();
        const size_t errors_before = diagnostics_.hard_error_count();
        Type body = check(d.body);
        if (body == Type::Boolean)
            diagnostics_.error(range(d.body), fmt::format("the body of '{}' is a boolean; a "
                                                          "definition must give a number", d.name.text));
        // Names of the signature the body never uses: a leftover, or a misspelling in the
        // body that is another name. Not for a body with errors: those say what is wrong.
        if (diagnostics_.hard_error_count() != errors_before) return;
        // (a reserved name has its error already)
        auto reserved = [&](const std::string& n) { return is_constant(n) || find_builtin(n); };
        for (const ast::Name& i : d.inputs)
            if (!used_.count(i.text) && !reserved(i.text))
                diagnostics_.warning(range(i), "unused-input",
                                     fmt::format("input '{}' of '{}' is not used", i.text, d.name.text));
        for (const ast::Parameter& p : d.parameters)
            if (!used_.count(p.name.text) && !reserved(p.name.text))
                diagnostics_.warning(range(p.name), p.learn ? "unused-learn" : "unused-parameter",
                                     fmt::format("{}parameter '{}' of '{}' is not used{}", p.learn ? "learn " : "",
                                                 p.name.text, d.name.text,
                                                 p.learn ? "; its gradient is always 0" : ""));
    }

    // A literal past double's range reads as inf or 0 (LANGUAGE.md §3): say so.
    Type check_number(const ast::Number& n) {
        double v = std::strtod(n.text.c_str(), nullptr);
        bool nonzero_digit = n.text.find_first_of("123456789") < n.text.find_first_of("eE");
        if (std::isinf(v))
            diagnostics_.warning(range(n), "literal-overflow",
                                 fmt::format("the literal {} is beyond the largest double and reads as inf", n.text));
        else if (v == 0 && nonzero_digit)
            diagnostics_.warning(range(n), "literal-overflow",
                                 fmt::format("the literal {} is below the smallest double and reads as 0", n.text));
        return Type::Number;
    }

    // A literal, or a negated one: its value (for the warnings about constant arguments).
    static std::optional<double> literal(const ast::Expr& e) {
        if (const auto* n = boost::get<ast::Number>(&e.get())) return std::strtod(n->text.c_str(), nullptr);
        if (const auto* u = boost::get<x3::forward_ast<ast::Unary>>(&e.get()); u && u->get().op == "-")
            if (auto v = literal(u->get().operand)) return -*v;
        return std::nullopt;
    }

    void expect_number(const ast::Expr& e, const std::string& what) {
        if (check(e) == Type::Boolean)
            diagnostics_.error(range(e), fmt::format("{} must be a number, not a boolean", what));
    }

    Type check(const ast::Expr& e) {
        return e.apply_visitor(x3::make_lambda_visitor<Type>(
            [&](const ast::Nil&) { return Type::Invalid; },
            [&](const ast::Number& n) { return check_number(n); },
            [&](const ast::Name& n) { return check_name(n); },
            [&](const x3::forward_ast<ast::Unary>& u) { return check_unary(u.get()); },
            [&](const x3::forward_ast<ast::Chain>& c) { return check_chain(c.get()); },
            [&](const x3::forward_ast<ast::Call>& c) { return check_call(c.get()); },
            [&](const x3::forward_ast<ast::Conditional>& c) { return check_conditional(c.get()); },
            [&](const x3::forward_ast<ast::Let>& l) { return check_let(l.get()); }));
    }

    // Where a name used as a value resolves, innermost first (LANGUAGE.md §3).
    const LetName* find_let(std::string_view name) const {
        for (auto it = lets_.rbegin(); it != lets_.rend(); ++it)
            if (it->name == name) return &*it;
        return nullptr;
    }
    bool is_signature_name(std::string_view name) const {
        const ast::Definition& d = *current_->definition;
        for (const ast::Name& i : d.inputs)
            if (i.text == name) return true;
        for (const ast::Parameter& p : d.parameters)
            if (p.name.text == name) return true;
        return false;
    }

    std::vector<std::string_view> value_names() const {
        std::vector<std::string_view> names;
        for (const LetName& l : lets_) names.push_back(l.name);
        if (!constant_context_) {
            for (const ast::Name& i : current_->definition->inputs) names.push_back(i.text);
            for (const ast::Parameter& p : current_->definition->parameters) names.push_back(p.name.text);
        }
        for (std::string_view c : constants()) names.push_back(c);
        return names;
    }

    Type check_name(const ast::Name& n) {
        if (const LetName* l = find_let(n.text)) return l->type;
        if (is_signature_name(n.text)) {
            used_.insert(n.text);
            if (constant_context_) {
                diagnostics_.error(range(n), fmt::format("the default of parameter '{}' must be a "
                                                         "constant expression; '{}' is not a constant",
                                                         default_of_, n.text));
                return Type::Invalid;
            }
            return Type::Number;
        }
        if (is_constant(n.text)) return Type::Number;
        if (index_.count(n.text) || find_builtin(n.text)) {
            diagnostics_.error(range(n), fmt::format("'{0}' is a function; call it, as in {0}(...)", n.text));
            return Type::Invalid;
        }
        if (broken_.count(n.text)) return Type::Invalid;
        diagnostics_.error(range(n), fmt::format("unknown name '{}'{}", n.text,
                                                 suggestion(n.text, value_names())));
        return Type::Invalid;
    }

    Type check_unary(const ast::Unary& u) {
        Type operand = check(u.operand);
        Type want = u.op == "!" ? Type::Boolean : Type::Number;
        if (operand != Type::Invalid && operand != want) {
            diagnostics_.error(range(u.operand),
                               fmt::format("the operand of '{}' must be {}, not {}", u.op,
                                           article_name(want), article_name(operand)));
        }
        return want;
    }

    Type check_chain(const ast::Chain& c) {
        const std::string& op = c.rest.front().op;
        bool logical = op == "&&" || op == "||";
        bool comparison = op == "<" || op == "<=" || op == ">" || op == ">=" || op == "==" || op == "!=";
        Type want = logical ? Type::Boolean : Type::Number;
        auto operand = [&](const ast::Expr& e, const std::string& op_text) {
            Type t = check(e);
            if (t != Type::Invalid && t != want)
                diagnostics_.error(range(e), fmt::format("the operands of '{}' must be {}s, and this "
                                                         "is {}", op_text, logical ? "boolean" : "number",
                                                         article_name(t)));
        };
        operand(c.first, op);
        for (const ast::Operation& o : c.rest) operand(o.operand, o.op);
        return logical || comparison ? Type::Boolean : Type::Number;
    }

    Type check_conditional(const ast::Conditional& c) {
        Type condition = check(c.condition);
        if (condition == Type::Number)
            diagnostics_.error(range(c.condition), "the condition of '?' must be a boolean (such as a "
                                                   "comparison), not a number");
        Type a = check(c.then_branch);
        Type b = check(c.else_branch);
        if (a != Type::Invalid && b != Type::Invalid && a != b) {
            diagnostics_.error(range(c.else_branch),
                               fmt::format("the branches of '?' must have the same type: the first "
                                           "is {}, this one is {}", article_name(a), article_name(b)));
            return Type::Invalid;
        }
        return a == Type::Invalid ? b : a;
    }

    Type check_let(const ast::Let& l) {
        size_t mark = lets_.size();
        for (const ast::Binding& b : l.bindings) {
            Type t = check(b.value);
            if (!check_reserved(b.name, "a let")) t = Type::Invalid;
            lets_.push_back({b.name.text, t});
        }
        Type body = check(l.body);
        lets_.resize(mark);
        return body;
    }

    // ---- calls -------------------------------------------------------------------

    Type check_call(const ast::Call& c) {
        const std::string& name = c.callee.text;
        if (find_let(name) || is_signature_name(name) || is_constant(name)) {
            const char* kind = find_let(name) ? "a let binding" : is_constant(name) ? "a constant"
                               : "an input or parameter";
            diagnostics_.error(range(c.callee), fmt::format("'{}' is {}, not a function", name, kind));
            check_arguments(c);
            return Type::Invalid;
        }
        if (auto it = index_.find(name); it != index_.end()) {
            if (!constant_context_) calls_[current_index_].push_back({it->second, range(c.callee)});
            return check_definition_call(c, module_.functions[it->second]);
        }
        if (const Builtin* b = find_builtin(name)) return check_builtin_call(c, *b);
        if (broken_.count(name)) {
            check_arguments(c);
            return Type::Invalid;
        }
        // A used file's definition: one, or an ambiguity with a note at each.
        std::vector<std::pair<const Module*, const FunctionInfo*>> used;
        for (const Module* m : module_.uses)
            if (const FunctionInfo* f = m->find(name)) used.emplace_back(m, f);
        if (used.size() == 1) return check_definition_call(c, *used.front().second);
        check_arguments(c);
        if (used.size() > 1) {
            diagnostics_.error(range(c.callee), fmt::format("'{}' is ambiguous: {} of the files this one uses define it; "
                                                            "define '{}' here, or use only one of them",
                                                            name, used.size(), name));
            for (const auto& [m, f] : used)
                diagnostics_.note(f->range, fmt::format("'{}' is defined here", name), m->source);
            return Type::Invalid;
        }
        if (context_.standard_library && context_.standard_library->find(name)) {
            diagnostics_.error(range(c.callee), fmt::format("unknown function '{}'; it is in the standard library: "
                                                            "add `use std`", name));
            return Type::Invalid;
        }
        // Math functions a paper uses that are not builtins: the way to write them, not an
        // edit-distance neighbour (tan is not tanh, log2 is not log).
        static const std::map<std::string_view, std::string_view> written_as{
            {"tan", "did you mean 'tanh'? (tangent is not a builtin: write sin(x) / cos(x))"},
            {"log2", "write log(x) / log(2)"},
            {"log10", "write log(x) / log(10)"},
            {"exp2", "write 2 ^ x"},
            {"sigmoid", "it is in the standard library (examples/activations.act): define it, as in "
                        "sigmoid(x) = 1 / (1 + exp(-x))"},
            {"softplus", "define it, as in softplus(x) = log(1 + exp(x))"},
        };
        if (auto w = written_as.find(name); w != written_as.end()) {
            diagnostics_.error(range(c.callee), fmt::format("unknown function '{}'; {}", name, w->second));
            return Type::Invalid;
        }
        std::vector<std::string_view> functions;
        for (const FunctionInfo& f : module_.functions) functions.push_back(f.name);
        for (const Builtin& b : builtins()) functions.push_back(b.name);
        diagnostics_.error(range(c.callee), fmt::format("unknown function '{}'{}", name,
                                                        suggestion(name, functions)));
        return Type::Invalid;
    }

    void check_arguments(const ast::Call& c) {
        for (size_t i = 0; i < c.arguments.size(); ++i)
            expect_number(c.arguments[i], fmt::format("argument {} of '{}'", i + 1, c.callee.text));
        for (const ast::NamedArgument& n : c.named)
            expect_number(n.value, fmt::format("parameter '{}' of '{}'", n.name.text, c.callee.text));
    }

    static std::string count_of(size_t n, const char* word) {
        return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
    }

    Type check_builtin_call(const ast::Call& c, const Builtin& b) {
        check_arguments(c);
        size_t n = c.arguments.size();
        if (b.max_arguments < 0 && n < static_cast<size_t>(b.min_arguments)) {
            diagnostics_.error(range(c), fmt::format("'{}' takes at least {}, but {} given", b.name,
                                                     count_of(b.min_arguments, "argument"), n));
        } else if (b.max_arguments >= 0 && n != static_cast<size_t>(b.min_arguments)) {
            diagnostics_.error(range(c), fmt::format("'{}' takes {}, but {} given", b.name,
                                                     count_of(b.min_arguments, "argument"), n));
        }
        if (!c.named.empty())
            diagnostics_.error(range(c.named.front()),
                               fmt::format("'{}' is a builtin; it has no named parameters", b.name));
        if (constant_context_ && !b.constant)
            diagnostics_.error(range(c.callee), fmt::format("the default of parameter '{}' must be a "
                                                            "constant expression; '{}' is random",
                                                            default_of_, b.name));
        // Bounds in the wrong order, written as literals.
        auto bounds = [&](size_t lo, size_t hi) -> std::optional<std::pair<double, double>> {
            if (c.arguments.size() <= hi) return std::nullopt;
            auto a = literal(c.arguments[lo]), z = literal(c.arguments[hi]);
            if (!a || !z) return std::nullopt;
            return std::pair{*a, *z};
        };
        if (b.name == "uniform")
            if (auto r = bounds(0, 1); r && !(r->first < r->second))
                diagnostics_.warning(range(c), "empty-range",
                                     fmt::format("uniform({}, {}) draws from an empty range; it gives {}", r->first,
                                                 r->second, r->first));
        if (b.name == "clamp")
            if (auto r = bounds(1, 2); r && r->first > r->second)
                diagnostics_.warning(range(c), "empty-range",
                                     fmt::format("clamp's lower bound {} is above its upper bound {}: it is {} "
                                                 "whatever x", r->first, r->second, r->second));
        return Type::Number;
    }

    Type check_definition_call(const ast::Call& c, const FunctionInfo& f) {
        check_arguments(c);
        if (constant_context_) {
            diagnostics_.error(range(c.callee), fmt::format("the default of parameter '{}' must be a "
                                                            "constant expression; it cannot call '{}'",
                                                            default_of_, f.name));
            return Type::Invalid;
        }
        module_.callees.emplace(&c, &f);
        if (c.arguments.size() != f.inputs.size()) {
            // More arguments than inputs, as many extra as it has parameters: most likely
            // parameters given by position.
            std::string hint;
            size_t extra = c.arguments.size() > f.inputs.size() ? c.arguments.size() - f.inputs.size() : 0;
            if (extra > 0 && extra <= f.parameters.size()) {
                std::string named;
                for (size_t k = 0; k < extra; ++k)
                    named += (k ? ", " : "") + f.parameters[k].name + " = ...";
                hint = fmt::format("; parameters are given by name after ';': {}(...; {})", f.name, named);
            }
            diagnostics_.error(range(c), fmt::format("'{}' takes {}, but {} given{}", f.name,
                                                     count_of(f.inputs.size(), "input"),
                                                     c.arguments.size(), hint));
        }
        std::map<std::string_view, SourceRange> given;
        for (const ast::NamedArgument& n : c.named) {
            auto p = std::find_if(f.parameters.begin(), f.parameters.end(),
                                  [&](const ParameterInfo& p) { return p.name == n.name.text; });
            if (p == f.parameters.end()) {
                std::vector<std::string_view> names;
                for (const ParameterInfo& q : f.parameters) names.push_back(q.name);
                diagnostics_.error(range(n.name), fmt::format("'{}' has no parameter '{}'{}", f.name,
                                                              n.name.text, suggestion(n.name.text, names)));
                continue;
            }
            if (auto it = given.find(n.name.text); it != given.end()) {
                diagnostics_.error(range(n.name), fmt::format("parameter '{}' is given twice", n.name.text));
                diagnostics_.note(it->second, "first given here");
                continue;
            }
            given.emplace(n.name.text, range(n.name));
        }
        for (const ParameterInfo& p : f.parameters)
            if (!p.default_value && !given.count(p.name))
                diagnostics_.error(range(c), fmt::format("the call of '{}' must give parameter '{}', "
                                                         "which has no default", f.name, p.name));
        return Type::Number;
    }

    // ---- recursion ---------------------------------------------------------------

    // Strongly connected components of the call graph (Tarjan's algorithm, with an
    // explicit stack so that a long chain of calls cannot exhaust the real one).
    std::vector<std::vector<size_t>> components() const {
        size_t n = module_.functions.size();
        std::vector<int> index(n, -1), low(n, 0);
        std::vector<bool> on_stack(n, false);
        std::vector<size_t> stack;
        std::vector<std::vector<size_t>> out;
        int counter = 0;
        struct Frame {
            size_t node;
            size_t next_edge;
        };
        for (size_t root = 0; root < n; ++root) {
            if (index[root] >= 0) continue;
            std::vector<Frame> frames{{root, 0}};
            index[root] = low[root] = counter++;
            stack.push_back(root);
            on_stack[root] = true;
            while (!frames.empty()) {
                Frame& top = frames.back();
                const auto& edges = calls_[top.node];
                if (top.next_edge < edges.size()) {
                    size_t w = edges[top.next_edge++].callee;
                    if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack.push_back(w);
                        on_stack[w] = true;
                        frames.push_back({w, 0});
                    } else if (on_stack[w]) {
                        low[top.node] = std::min(low[top.node], index[w]);
                    }
                    continue;
                }
                size_t v = top.node;
                frames.pop_back();
                if (!frames.empty()) low[frames.back().node] = std::min(low[frames.back().node], low[v]);
                if (low[v] == index[v]) {
                    std::vector<size_t> component;
                    size_t w;
                    do {
                        w = stack.back();
                        stack.pop_back();
                        on_stack[w] = false;
                        component.push_back(w);
                    } while (w != v);
                    out.push_back(std::move(component));
                }
            }
        }
        return out;
    }

    // One error per cycle, at the first call of it in file order, naming the cycle.
    void check_recursion() {
        for (std::vector<size_t>& component : components()) {
            std::sort(component.begin(), component.end());
            size_t start = component.front();
            std::unordered_set<size_t> members(component.begin(), component.end());
            // Shortest path start -> ... -> start inside the component (breadth first).
            std::unordered_map<size_t, std::pair<size_t, const CallEdge*>> parent;
            std::vector<size_t> frontier{start};
            const CallEdge* closing = nullptr;
            size_t closing_from = start;
            for (size_t k = 0; k < frontier.size() && !closing; ++k) {
                size_t v = frontier[k];
                for (const CallEdge& e : calls_[v]) {
                    if (!members.count(e.callee)) continue;
                    if (e.callee == start) {
                        closing = &e;
                        closing_from = v;
                        break;
                    }
                    if (!parent.count(e.callee) ) {
                        parent.emplace(e.callee, std::make_pair(v, &e));
                        frontier.push_back(e.callee);
                    }
                }
            }
            if (!closing) continue;  // a single definition that does not call itself
            std::vector<size_t> path{start};
            for (size_t v = closing_from; v != start; v = parent.at(v).first) path.insert(path.begin() + 1, v);
            const CallEdge* first_call = path.size() > 1 ? parent.at(path[1]).second : closing;
            // Long cycles are named by their ends: f0 -> f1 -> f2 -> ... (5 more) -> f8 -> f9 -> f0.
            std::string cycle;
            for (size_t k = 0; k < path.size(); ++k) {
                if (path.size() > 6 && k == 3) {
                    cycle += fmt::format("... ({} more) -> ", path.size() - 5);
                    k = path.size() - 2;
                }
                cycle += module_.functions[path[k]].name + " -> ";
            }
            cycle += module_.functions[start].name;
            diagnostics_.error(first_call->site,
                               path.size() == 1
                                   ? fmt::format("'{}' calls itself; recursion is not allowed",
                                                 module_.functions[start].name)
                                   : fmt::format("recursive definitions: {}; recursion is not allowed", cycle));
        }
    }
};

}  // namespace

const FunctionInfo* Module::find(std::string_view name) const {
    for (const FunctionInfo& f : functions)
        if (f.name == name) return &f;
    return nullptr;
}

std::vector<const FunctionInfo*> Module::resolve(std::string_view name) const {
    if (const FunctionInfo* own = find(name)) return {own};
    std::vector<const FunctionInfo*> used;
    for (const Module* m : uses)
        if (const FunctionInfo* f = m->find(name)) used.push_back(f);
    return used;
}

Module check(const ParsedFile& parsed, Diagnostics& diagnostics, const CheckContext& context) {
    return Checker(parsed, diagnostics, context).run();
}

}  // namespace actjit
