// The syntax tree of a .act file, as parsed: position-tagged, no meaning attached.
// Operator levels appear only where an operator was written: `a + b * c` is a Chain
// of sum whose second operand is a Chain of product; a lone atom is just the atom.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>

namespace actjit::ast {

namespace x3 = boost::spirit::x3;

struct Nil {};

// A name as written: a reference, a callee, or a declaration.
struct Name : x3::position_tagged {
    std::string text;
};

// A numeric literal, kept as written (its value is computed when lowering).
struct Number : x3::position_tagged {
    std::string text;
};

struct Unary;
struct Chain;
struct Call;
struct Conditional;
struct Let;

struct Expr : x3::variant<Nil, Number, Name, x3::forward_ast<Unary>, x3::forward_ast<Chain>,
                          x3::forward_ast<Call>, x3::forward_ast<Conditional>,
                          x3::forward_ast<Let>> {
    using base_type::base_type;
    using base_type::operator=;
};

// `-x`, `+x`, `!c`.
struct Unary : x3::position_tagged {
    std::string op;
    Expr operand;
};

// One `op operand` step of a chain; its range starts at the operator.
struct Operation : x3::position_tagged {
    std::string op;
    Expr operand;
};

// `first op1 e1 op2 e2 ...` at one precedence level, left to right: `||`, `&&`,
// one comparison, `+ -`, `* /`, or one `^` (whose operand is the right-hand side).
struct Chain : x3::position_tagged {
    Expr first;
    std::vector<Operation> rest;
};

// `name = value` after the `;` of a call.
struct NamedArgument : x3::position_tagged {
    Name name;
    Expr value;
};

struct Call : x3::position_tagged {
    Name callee;
    std::vector<Expr> arguments;
    std::vector<NamedArgument> named;
};

// `condition ? then : otherwise`. The parser builds it from the tail after `?`.
struct ConditionalTail {
    Expr then_branch;
    Expr else_branch;
};

struct Conditional : x3::position_tagged {
    Expr condition;
    Expr then_branch;
    Expr else_branch;
};

struct Binding : x3::position_tagged {
    Name name;
    Expr value;
};

// `let a = e1, b = e2 in body`; each binding sees the earlier ones.
struct Let : x3::position_tagged {
    std::vector<Binding> bindings;
    Expr body;
};

// `[learn] name [= default]` after the `;` of a definition.
struct Parameter : x3::position_tagged {
    bool learn = false;
    Name name;
    std::optional<Expr> default_value;
};

struct Definition : x3::position_tagged {
    Name name;
    std::vector<Name> inputs;
    std::vector<Parameter> parameters;
    Expr body;
};

// `use std` or `use "path.act"` (LANGUAGE.md §1): `target` as written, `std` or the
// quoted path with its quotes.
struct Use : x3::position_tagged {
    std::string target;
    bool standard() const { return target == "std"; }
    std::string path() const { return standard() ? target : target.substr(1, target.size() - 2); }
};

struct File {
    std::vector<Use> uses;  // in file order; uses and definitions may interleave
    std::vector<Definition> definitions;
};

}  // namespace actjit::ast
