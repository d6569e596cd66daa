// The .act grammar (LANGUAGE.md §2), defined. Read it beside the spec: one rule per
// production. No semantic actions; `>` marks commit points, and the rule names are
// the words of "expected ..." messages.
#pragma once

#include <initializer_list>

#include <boost/spirit/home/x3.hpp>

#include "ast.hpp"
#include "ast_adapted.hpp"
#include "error_handler.hpp"
#include "grammar.hpp"

namespace actjit::parser {

namespace x3 = boost::spirit::x3;

// ---------------------------------------------------------------------------------
// Support: annotation, error handling, and three small parser components.
// ---------------------------------------------------------------------------------
namespace detail {

inline ErrorHandler& handler_of(const auto& context) {
    return x3::get<error_handler_tag>(context).get();
}

// Tags the node a rule produced with its range, leading white space excluded.
struct annotation_base {
    template <typename Iterator, typename Node, typename Context>
    void on_success(const Iterator& first, const Iterator& last, Node& node,
                    const Context& context) {
        ErrorHandler& handler = handler_of(context);
        handler.tag(node, handler.skip_blank(first), last);
    }
};

// Turns an expectation failure inside a definition into `expected ...`; the parse
// loop then resumes at the next definition.
struct error_handler_base {
    template <typename Iterator, typename Exception, typename Context>
    x3::error_handler_result on_error(Iterator&, const Iterator&, const Exception& failure,
                                      const Context& context) {
        handler_of(context).expected(failure.where(), failure.which());
        return x3::error_handler_result::fail;
    }
};

// The nodes `fold` builds from a head and the tail that follows it.
inline ast::Chain combine(ast::Expr head, std::vector<ast::Operation> rest) {
    ast::Chain chain;
    chain.first = std::move(head);
    chain.rest = std::move(rest);
    return chain;
}
inline ast::Chain combine(ast::Expr head, ast::Operation operation) {
    std::vector<ast::Operation> rest;
    rest.push_back(std::move(operation));
    return combine(std::move(head), std::move(rest));
}
inline ast::Conditional combine(ast::Expr head, ast::ConditionalTail tail) {
    ast::Conditional conditional;
    conditional.condition = std::move(head);
    conditional.then_branch = std::move(tail.then_branch);
    conditional.else_branch = std::move(tail.else_branch);
    return conditional;
}

// fold(head, tail): `head [tail]` whose attribute is head's own expression when no
// tail follows, and the node combine() builds from both when one does. This keeps a
// lone atom from being wrapped in one node per precedence level.
template <typename Head, typename Tail>
struct fold_parser : x3::parser<fold_parser<Head, Tail>> {
    using attribute_type = ast::Expr;
    static const bool has_attribute = true;

    constexpr fold_parser(const Head& head, const Tail& tail) : head(head), tail(tail) {}

    template <typename Iterator, typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, const Iterator& last, const Context& context,
               RContext& rcontext, Attribute& attribute) const {
        Iterator start = first;
        ast::Expr lhs;
        if (!head.parse(first, last, context, rcontext, lhs)) return false;
        typename Tail::attribute_type rest;
        if (!tail.parse(first, last, context, rcontext, rest)) {
            x3::traits::move_to(std::move(lhs), attribute);
            return true;
        }
        auto node = combine(std::move(lhs), std::move(rest));
        ErrorHandler& handler = handler_of(context);
        handler.tag(node, handler.skip_blank(start), first);
        x3::traits::move_to(ast::Expr(std::move(node)), attribute);
        return true;
    }

    Head head;
    Tail tail;
};

template <typename Head, typename Tail>
constexpr fold_parser<Head, Tail> fold(const Head& head, const Tail& tail) {
    return {head, tail};
}

// reject(p, message): matches nothing; if p matches here, the input is an error that
// `message` explains better than "expected ..." could.
template <typename Subject>
struct reject_parser : x3::parser<reject_parser<Subject>> {
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;

    constexpr reject_parser(const Subject& subject, const char* message)
        : subject(subject), message(message) {}

    template <typename Iterator, typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, const Iterator& last, const Context& context,
               RContext& rcontext, Attribute&) const {
        Iterator probe = first;
        if (subject.parse(probe, last, context, rcontext, x3::unused)) {
            ErrorHandler& handler = handler_of(context);
            throw SyntaxError{handler.skip_blank(first), message};
        }
        return true;
    }

    Subject subject;
    const char* message;
};

template <typename Subject>
constexpr reject_parser<Subject> reject(const Subject& subject, const char* message) {
    return {subject, message};
}

// lexical_error(message): an error exactly here, inside a token (no white space is
// skipped: "1." with nothing after the dot is an error right after the dot).
struct lexical_error_parser : x3::parser<lexical_error_parser> {
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;

    constexpr explicit lexical_error_parser(const char* message) : message(message) {}

    template <typename Iterator, typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, const Iterator&, const Context&, RContext&, Attribute&) const {
        throw SyntaxError{first, message};
    }

    const char* message;
};

constexpr lexical_error_parser lexical_error(const char* message) { return lexical_error_parser(message); }

// depth_limited[p]: p, counted against actjit::max_nesting_depth. Every cycle of the grammar
// passes through one (expr, a prefix operator's operand, a `^` exponent), so the
// limit bounds the parser's stack; one level is one '(', call, prefix or `^`.
template <typename Subject>
struct depth_limited_directive : x3::unary_parser<Subject, depth_limited_directive<Subject>> {
    using base_type = x3::unary_parser<Subject, depth_limited_directive<Subject>>;
    static const bool is_pass_through_unary = true;

    constexpr explicit depth_limited_directive(const Subject& subject) : base_type(subject) {}

    template <typename Iterator, typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, const Iterator& last, const Context& context,
               RContext& rcontext, Attribute& attribute) const {
        ErrorHandler& handler = handler_of(context);
        if (handler.depth >= actjit::max_nesting_depth)
            throw SyntaxError{handler.skip_blank(first),
                              "expression nested too deeply (the limit is " +
                                  std::to_string(actjit::max_nesting_depth) + " levels)"};
        struct Level {
            int& depth;
            explicit Level(int& d) : depth(d) { ++depth; }
            ~Level() { --depth; }
        } level(handler.depth);
        return this->subject.parse(first, last, context, rcontext, attribute);
    }
};

struct depth_limited_gen {
    template <typename Subject>
    constexpr depth_limited_directive<typename x3::extension::as_parser<Subject>::value_type>
    operator[](const Subject& subject) const {
        return depth_limited_directive<typename x3::extension::as_parser<Subject>::value_type>(
            x3::as_parser(subject));
    }
};
inline constexpr depth_limited_gen depth_limited{};

}  // namespace detail
}  // namespace actjit::parser

// What an expect[] on depth_limited[p] says was expected: p's name ("expression"), not
// the directive's C++ type name.
template <typename Subject>
struct boost::spirit::x3::get_info<actjit::parser::detail::depth_limited_directive<Subject>> {
    using result_type = std::string;
    std::string operator()(const actjit::parser::detail::depth_limited_directive<Subject>& p) const {
        return boost::spirit::x3::what(p.subject);
    }
};

namespace actjit::parser {
namespace detail {

inline x3::symbols<std::string> operators(std::initializer_list<const char*> spellings) {
    x3::symbols<std::string> table;
    for (const char* op : spellings) table.add(op, op);
    return table;
}

}  // namespace detail

using detail::depth_limited;
using detail::fold;
using detail::lexical_error;
using detail::reject;

// ---------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------

// Operator tables match the longest spelling: `<=` before `<`.
inline const x3::symbols<std::string> or_op = detail::operators({"||"});
inline const x3::symbols<std::string> and_op = detail::operators({"&&"});
inline const x3::symbols<std::string> cmp_op =
    detail::operators({"<", "<=", ">", ">=", "==", "!="});
inline const x3::symbols<std::string> sum_op = detail::operators({"+", "-"});
inline const x3::symbols<std::string> prod_op = detail::operators({"*", "/"});
inline const x3::symbols<std::string> pow_op = detail::operators({"^"});
inline const x3::symbols<std::string> prefix_op = detail::operators({"-", "+", "!"});

const auto digit = x3::char_('0', '9');
const auto ident_start = x3::char_('a', 'z') | x3::char_('A', 'Z') | x3::char_('_');
const auto ident_char = ident_start | digit;
const auto keyword = x3::lexeme[(x3::lit("let") | "in" | "learn" | "use") >> !ident_char];

// ---------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------
struct name_class;
struct input_name_class;
struct parameter_name_class;
struct number_class;
struct kw_let_class;
struct kw_in_class;
struct kw_learn_class;
struct kw_use_class;
struct use_target_class;
struct quoted_path_class;
struct expr_class;
struct let_expr_class;
struct bindings_class;
struct binding_class;
struct conditional_class;
struct conditional_tail_class;
struct or_expr_class;
struct or_tail_class;
struct or_operation_class;
struct and_expr_class;
struct and_tail_class;
struct and_operation_class;
struct cmp_expr_class;
struct cmp_operation_class;
struct sum_class;
struct sum_tail_class;
struct sum_operation_class;
struct prod_class;
struct prod_tail_class;
struct prod_operation_class;
struct unary_class;
struct prefix_class;
struct power_class;
struct power_operation_class;
struct atom_class;
struct call_class;
struct arguments_class;
struct named_arguments_class;
struct named_argument_class;
struct inputs_class;
struct parameters_class;
struct parameter_class;

const x3::rule<name_class, ast::Name> name = "name";
const x3::rule<input_name_class, ast::Name> input_name = "input name";
const x3::rule<parameter_name_class, ast::Name> parameter_name = "parameter name";
const x3::rule<number_class, ast::Number> number = "number";
const x3::rule<kw_let_class> kw_let = "'let'";
const x3::rule<kw_in_class> kw_in = "'in'";
const x3::rule<kw_learn_class> kw_learn = "'learn'";
const x3::rule<kw_use_class> kw_use = "'use'";
const x3::rule<use_target_class, std::string> use_target = "'std' or a quoted path";
const x3::rule<quoted_path_class> quoted_path = "a quoted path";

const x3::rule<expr_class, ast::Expr> expr = "expression";
const x3::rule<let_expr_class, ast::Let> let_expr = "expression";
const x3::rule<bindings_class, std::vector<ast::Binding>> bindings = "name";
const x3::rule<binding_class, ast::Binding> binding = "name";
const x3::rule<conditional_class, ast::Expr> conditional = "expression";
const x3::rule<conditional_tail_class, ast::ConditionalTail> conditional_tail = "'?'";
const x3::rule<or_expr_class, ast::Expr> or_expr = "expression";
const x3::rule<or_tail_class, std::vector<ast::Operation>> or_tail = "'||'";
const x3::rule<or_operation_class, ast::Operation> or_operation = "'||'";
const x3::rule<and_expr_class, ast::Expr> and_expr = "expression";
const x3::rule<and_tail_class, std::vector<ast::Operation>> and_tail = "'&&'";
const x3::rule<and_operation_class, ast::Operation> and_operation = "'&&'";
const x3::rule<cmp_expr_class, ast::Expr> cmp_expr = "expression";
const x3::rule<cmp_operation_class, ast::Operation> cmp_operation = "comparison";
const x3::rule<sum_class, ast::Expr> sum = "expression";
const x3::rule<sum_tail_class, std::vector<ast::Operation>> sum_tail = "'+' or '-'";
const x3::rule<sum_operation_class, ast::Operation> sum_operation = "'+' or '-'";
const x3::rule<prod_class, ast::Expr> prod = "expression";
const x3::rule<prod_tail_class, std::vector<ast::Operation>> prod_tail = "'*' or '/'";
const x3::rule<prod_operation_class, ast::Operation> prod_operation = "'*' or '/'";
const x3::rule<unary_class, ast::Expr> unary = "expression";
const x3::rule<prefix_class, ast::Unary> prefix = "expression";
const x3::rule<power_class, ast::Expr> power = "expression";
const x3::rule<power_operation_class, ast::Operation> power_operation = "'^'";
const x3::rule<atom_class, ast::Expr> atom = "expression";
const x3::rule<call_class, ast::Call> call = "call";
const x3::rule<arguments_class, std::vector<ast::Expr>> arguments = "expression";
const x3::rule<named_arguments_class, std::vector<ast::NamedArgument>> named_arguments =
    "parameter name";
const x3::rule<named_argument_class, ast::NamedArgument> named_argument = "parameter name";
const x3::rule<inputs_class, std::vector<ast::Name>> inputs = "input name";
const x3::rule<parameters_class, std::vector<ast::Parameter>> parameters = "parameter";
const x3::rule<parameter_class, ast::Parameter> parameter = "parameter";
const definition_type definition = "definition";
const use_type use = "use";

// ---------------------------------------------------------------------------------
// Grammar
// ---------------------------------------------------------------------------------

// name := [A-Za-z_][A-Za-z0-9_]*, not a keyword
const auto identifier = x3::lexeme[!keyword >> x3::raw[ident_start >> *ident_char]];
const auto name_def = identifier;
const auto input_name_def = identifier;
const auto parameter_name_def = identifier;

// number := digits [ "." digits ] [ exponent ] | "." digits [ exponent ]
const auto fraction = '.' >> (+digit | lexical_error("expected digits after '.'"));
const auto exponent = x3::char_("eE") >> -x3::char_("+-") >>
                      (+digit | lexical_error("expected digits in the exponent"));
const auto number_def = x3::raw[x3::lexeme[(+digit >> -fraction | fraction) >> -exponent]];

const auto kw_let_def = x3::lexeme[x3::lit("let") >> !ident_char];
const auto kw_in_def = x3::lexeme[x3::lit("in") >> !ident_char];
const auto kw_learn_def = x3::lexeme[x3::lit("learn") >> !ident_char];
const auto kw_use_def = x3::lexeme[x3::lit("use") >> !ident_char];

// expr := "let" name "=" expr { "," name "=" expr } "in" expr
//       | or [ "?" expr ":" expr ]
const auto expr_def = depth_limited[let_expr | conditional];
const auto let_expr_def = kw_let > bindings > kw_in > expr;
const auto bindings_def = binding >> *(',' > binding);
const auto binding_def = name > '=' > expr;
const auto conditional_def = fold(or_expr, conditional_tail);
const auto conditional_tail_def = '?' > expr > ':' > expr;

// or := and { "||" and };  and := cmp { "&&" cmp }
const auto or_expr_def = fold(and_expr, or_tail);
const auto or_tail_def = +or_operation;
const auto or_operation_def = or_op > and_expr;
const auto and_expr_def = fold(cmp_expr, and_tail);
const auto and_tail_def = +and_operation;
const auto and_operation_def = and_op > cmp_expr;

// cmp := sum [ ("<" | "<=" | ">" | ">=" | "==" | "!=") sum ]  -- not chainable
const auto cmp_expr_def = fold(sum, cmp_operation);
const auto cmp_operation_def =
    cmp_op > (sum >> reject(cmp_op, "comparisons cannot be chained; join them with '&&'"));

// sum := prod { ("+" | "-") prod };  prod := unary { ("*" | "/") unary }
const auto sum_def = fold(prod, sum_tail);
const auto sum_tail_def = +sum_operation;
const auto sum_operation_def = sum_op > prod;
const auto prod_def = fold(unary, prod_tail);
const auto prod_tail_def = +prod_operation;
const auto prod_operation_def = prod_op > unary;

// unary := ("-" | "+" | "!") unary | power;  power := atom [ "^" unary ]
const auto unary_def = prefix | power;
const auto prefix_def = prefix_op > depth_limited[unary];
const auto power_def = fold(atom, power_operation);
const auto power_operation_def = pow_op > depth_limited[unary];

// atom := number | name | call | "(" expr ")"
// call := name "(" [ expr { "," expr } ] [ ";" name "=" expr { "," name "=" expr } ] ")"
const auto atom_def = number | call | name | ('(' > expr > ')');
const auto call_def = (name >> '(') > -arguments > -(';' > named_arguments) > ')';
const auto arguments_def = expr >> *(',' > expr);
const auto named_arguments_def = named_argument >> *(',' > named_argument);
const auto named_argument_def = parameter_name > '=' > expr;

// definition := name "(" inputs [ ";" params ] ")" "=" expr
// param      := [ "learn" ] name [ "=" expr ]
const auto inputs_def = input_name >> *(',' > input_name);
const auto parameters_def = parameter >> *(',' > parameter);
const auto parameter_def = x3::matches[kw_learn] > parameter_name > -('=' > expr);
const auto definition_def = name > '(' > inputs > -(';' > parameters) > ')' > '=' > expr;

// use := "use" ( "std" | string );  string := '"' { any character but '"' and newline } '"'
const auto quoted_path_def = x3::lexeme['"' >> *(x3::char_ - '"' - '\n' - '\r') >>
                                         ('"' | lexical_error("expected '\"' to end the path on its line"))];
const auto use_target_def = x3::raw[x3::lexeme[x3::lit("std") >> !ident_char] | quoted_path];
const auto use_def = kw_use > use_target;

BOOST_SPIRIT_DEFINE(kw_use, use_target, quoted_path, use)
BOOST_SPIRIT_DEFINE(name, input_name, parameter_name, number, kw_let, kw_in, kw_learn, expr, let_expr, bindings,
                    binding, conditional, conditional_tail, or_expr, or_tail, or_operation,
                    and_expr, and_tail, and_operation, cmp_expr, cmp_operation, sum, sum_tail,
                    sum_operation, prod, prod_tail, prod_operation, unary, prefix, power,
                    power_operation, atom, call, arguments, named_arguments, named_argument,
                    inputs, parameters, parameter, definition)

// Nodes that carry a source range.
struct name_class : detail::annotation_base {};
struct input_name_class : detail::annotation_base {};
struct parameter_name_class : detail::annotation_base {};
struct number_class : detail::annotation_base {};
struct let_expr_class : detail::annotation_base {};
struct binding_class : detail::annotation_base {};
struct or_operation_class : detail::annotation_base {};
struct and_operation_class : detail::annotation_base {};
struct cmp_operation_class : detail::annotation_base {};
struct sum_operation_class : detail::annotation_base {};
struct prod_operation_class : detail::annotation_base {};
struct prefix_class : detail::annotation_base {};
struct power_operation_class : detail::annotation_base {};
struct call_class : detail::annotation_base {};
struct named_argument_class : detail::annotation_base {};
struct parameter_class : detail::annotation_base {};
struct definition_class : detail::annotation_base, detail::error_handler_base {};
struct use_class : detail::annotation_base, detail::error_handler_base {};

}  // namespace actjit::parser

namespace actjit {
const parser::definition_type& definition_grammar() { return parser::definition; }
const parser::use_type& use_grammar() { return parser::use; }
}  // namespace actjit
