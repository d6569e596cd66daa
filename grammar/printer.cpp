#include "printer.hpp"

#include <boost/spirit/home/x3/support/utility/lambda_visitor.hpp>

namespace actjit {

namespace {

namespace x3 = boost::spirit::x3;

// Binding strength, weakest first, as in LANGUAGE.md §2.
enum Level { Top, Or, And, Cmp, Sum, Prod, Prefix, Power, Atom };

Level level_of_operator(const std::string& op) {
    if (op == "||") return Or;
    if (op == "&&") return And;
    if (op == "+" || op == "-") return Sum;
    if (op == "*" || op == "/") return Prod;
    if (op == "^") return Power;
    return Cmp;
}

class SourcePrinter {
public:
    std::string out;

    // Prints `e`, in parentheses if it binds more weakly than `need`.
    void print(const ast::Expr& e, Level need) {
        Level own = level_of(e);
        if (own < need) out += '(';
        e.apply_visitor(x3::make_lambda_visitor<void>([&](const auto& node) { print_node(node); }));
        if (own < need) out += ')';
    }

private:
    static Level level_of(const ast::Expr& e) {
        return e.apply_visitor(x3::make_lambda_visitor<Level>(
            [](const ast::Nil&) { return Atom; }, [](const ast::Number&) { return Atom; },
            [](const ast::Name&) { return Atom; },
            [](const x3::forward_ast<ast::Call>&) { return Atom; },
            [](const x3::forward_ast<ast::Unary>&) { return Prefix; },
            [](const x3::forward_ast<ast::Chain>& c) {
                return c.get().rest.empty() ? Atom : level_of_operator(c.get().rest.front().op);
            },
            [](const x3::forward_ast<ast::Conditional>&) { return Top; },
            [](const x3::forward_ast<ast::Let>&) { return Top; }));
    }

    void print_node(const ast::Nil&) { out += "<nil>"; }
    void print_node(const ast::Number& n) { out += n.text; }
    void print_node(const ast::Name& n) { out += n.text; }
    void print_node(const x3::forward_ast<ast::Unary>& u) {
        out += u.get().op;
        print(u.get().operand, Prefix);
    }
    // Every operand of a chain binds tighter than the chain's operator: a nested
    // chain of the same level was parenthesized in the source and stays so.
    void print_node(const x3::forward_ast<ast::Chain>& chain) {
        const ast::Chain& c = chain.get();
        Level own = c.rest.empty() ? Atom : level_of_operator(c.rest.front().op);
        print(c.first, own == Power ? Atom : static_cast<Level>(own + 1));
        for (const ast::Operation& op : c.rest) {
            if (own == Power) {
                out += "^";
                print(op.operand, Prefix);
            } else {
                out += " " + op.op + " ";
                print(op.operand, static_cast<Level>(own + 1));
            }
        }
    }
    void print_node(const x3::forward_ast<ast::Call>& call) {
        const ast::Call& c = call.get();
        out += c.callee.text + "(";
        for (size_t i = 0; i < c.arguments.size(); ++i) {
            if (i) out += ", ";
            print(c.arguments[i], Top);
        }
        if (!c.named.empty()) {
            out += "; ";
            for (size_t i = 0; i < c.named.size(); ++i) {
                if (i) out += ", ";
                out += c.named[i].name.text + " = ";
                print(c.named[i].value, Top);
            }
        }
        out += ")";
    }
    void print_node(const x3::forward_ast<ast::Conditional>& conditional) {
        const ast::Conditional& c = conditional.get();
        print(c.condition, Or);
        out += " ? ";
        print(c.then_branch, Top);
        out += " : ";
        print(c.else_branch, Top);
    }
    void print_node(const x3::forward_ast<ast::Let>& let) {
        const ast::Let& l = let.get();
        out += "let ";
        for (size_t i = 0; i < l.bindings.size(); ++i) {
            if (i) out += ", ";
            out += l.bindings[i].name.text + " = ";
            print(l.bindings[i].value, Top);
        }
        out += " in ";
        print(l.body, Top);
    }
};

class Dumper {
public:
    Dumper(const ParsedFile& parsed, const SourceFile* file) : parsed_(parsed), file_(file) {}
    std::string out;

    void dump(const ast::Definition& d) {
        open("def", d);
        out += " " + d.name.text + " (";
        for (size_t i = 0; i < d.inputs.size(); ++i) {
            if (i) out += " ";
            name(d.inputs[i]);
        }
        out += ") (";
        for (size_t i = 0; i < d.parameters.size(); ++i) {
            const ast::Parameter& p = d.parameters[i];
            if (i) out += " ";
            open(p.learn ? "learn" : "param", p);
            out += " ";
            name(p.name);
            if (p.default_value) {
                out += " ";
                dump(*p.default_value);
            }
            out += ")";
        }
        out += ") ";
        dump(d.body);
        out += ")";
    }

    void dump(const ast::Use& u) {
        open("use", u);
        out += " " + u.target + ")";
    }

    void dump(const ast::Expr& e) {
        e.apply_visitor(x3::make_lambda_visitor<void>([&](const auto& node) { dump_node(node); }));
    }

private:
    const ParsedFile& parsed_;
    const SourceFile* file_;

    void at(const x3::position_tagged& node) {
        if (!file_) return;
        LineColumn lc = file_->position(parsed_.range(node).begin);
        out += "@" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
    }
    void open(const char* head, const x3::position_tagged& node) {
        out += "(";
        out += head;
        at(node);
    }
    void name(const ast::Name& n) {
        out += n.text;
        at(n);
    }

    void dump_node(const ast::Nil&) { out += "nil"; }
    void dump_node(const ast::Number& n) {
        out += n.text;
        at(n);
    }
    void dump_node(const ast::Name& n) { name(n); }
    void dump_node(const x3::forward_ast<ast::Unary>& u) {
        open(u.get().op.c_str(), u.get());
        out += " ";
        dump(u.get().operand);
        out += ")";
    }
    void dump_node(const x3::forward_ast<ast::Chain>& chain) {
        open("chain", chain.get());
        out += " ";
        dump(chain.get().first);
        for (const ast::Operation& op : chain.get().rest) {
            out += " " + op.op;
            at(op);
            out += " ";
            dump(op.operand);
        }
        out += ")";
    }
    void dump_node(const x3::forward_ast<ast::Call>& call) {
        const ast::Call& c = call.get();
        open("call", c);
        out += " ";
        name(c.callee);
        for (const ast::Expr& a : c.arguments) {
            out += " ";
            dump(a);
        }
        for (const ast::NamedArgument& n : c.named) {
            out += " ";
            open("=", n);
            out += " ";
            name(n.name);
            out += " ";
            dump(n.value);
            out += ")";
        }
        out += ")";
    }
    void dump_node(const x3::forward_ast<ast::Conditional>& conditional) {
        const ast::Conditional& c = conditional.get();
        open("?", c);
        for (const ast::Expr* e : {&c.condition, &c.then_branch, &c.else_branch}) {
            out += " ";
            dump(*e);
        }
        out += ")";
    }
    void dump_node(const x3::forward_ast<ast::Let>& let) {
        const ast::Let& l = let.get();
        open("let", l);
        out += " (";
        for (size_t i = 0; i < l.bindings.size(); ++i) {
            if (i) out += " ";
            open("", l.bindings[i]);
            name(l.bindings[i].name);
            out += " ";
            dump(l.bindings[i].value);
            out += ")";
        }
        out += ") ";
        dump(l.body);
        out += ")";
    }
};

}  // namespace

std::string to_source(const ast::Expr& expr) {
    SourcePrinter printer;
    printer.print(expr, Top);
    return printer.out;
}

std::string signature(const ast::Definition& d) {
    std::string out = d.name.text + "(";
    for (size_t i = 0; i < d.inputs.size(); ++i) out += (i ? ", " : "") + d.inputs[i].text;
    for (size_t i = 0; i < d.parameters.size(); ++i) {
        const ast::Parameter& p = d.parameters[i];
        out += i ? ", " : "; ";
        if (p.learn) out += "learn ";
        out += p.name.text;
        if (p.default_value) out += " = " + to_source(*p.default_value);
    }
    return out + ")";
}

std::string to_source(const ast::Definition& d) { return signature(d) + " = " + to_source(d.body); }

std::string to_source(const ast::Use& u) { return "use " + u.target; }

std::string dump(const ParsedFile& parsed, const SourceFile* file) {
    Dumper dumper(parsed, file);
    for (const ast::Use& u : parsed.ast.uses) {
        dumper.dump(u);
        dumper.out += "\n";
    }
    for (const ast::Definition& d : parsed.ast.definitions) {
        dumper.dump(d);
        dumper.out += "\n";
    }
    return dumper.out;
}

}  // namespace actjit
