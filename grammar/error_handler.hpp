// The state of one parse that X3 reaches through the context (error_handler_tag):
// the position table that tags AST nodes, the diagnostics, the nesting depth.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>

#include "source.hpp"

namespace actjit::parser {

namespace x3 = boost::spirit::x3;

using iterator_type = const char*;

struct error_handler_tag;

// Thrown by the grammar for an error that is not "expected X" (a nesting limit, a
// chained comparison); the parse loop reports it and resumes at the next definition.
struct SyntaxError {
    iterator_type where;
    std::string message;
};

class ErrorHandler {
public:
    ErrorHandler(std::string_view text, Diagnostics& diagnostics)
        : text_(text), diagnostics_(diagnostics) {}

    // Records [first, last) for a node: its ids index the position table. Nodes that
    // are not position-tagged record nothing.
    template <typename Node>
    void tag(Node& node, iterator_type first, iterator_type last) {
        if constexpr (std::is_base_of_v<x3::position_tagged, Node>) {
            node.id_first = static_cast<int>(positions_.size());
            positions_.push_back(offset(first));
            node.id_last = static_cast<int>(positions_.size());
            positions_.push_back(offset(last));
        }
    }

    // `expected WHAT` at the first token at or after `where`.
    void expected(iterator_type where, std::string_view what);
    void error(iterator_type where, std::string message);

    // The first position at or after `it` that is not white space or a comment.
    iterator_type skip_blank(iterator_type it) const;
    uint32_t offset(iterator_type it) const { return static_cast<uint32_t>(it - text_.data()); }
    iterator_type end() const { return text_.data() + text_.size(); }

    // Describes the token at `it` for a message: `')'`, `name 'x'`, `end of file`; a
    // character outside ASCII by its code point, `'−' (U+2212 MINUS SIGN)`, an invisible
    // one without quotes, `U+200B ZERO WIDTH SPACE (invisible)`.
    std::string describe_token(iterator_type it) const;
    // The fix-it for such a character, to end the message: "; did you mean '-'?",
    // "; delete it"; empty for ASCII.
    std::string fix_it(iterator_type it) const;

    std::vector<uint32_t> take_positions() { return std::move(positions_); }

    // How many errors the grammar has raised so far (counting ones left unprinted
    // because a stray byte at the same place was already reported).
    size_t raised() const { return raised_; }

    int depth = 0;  // current expression nesting, checked against max_nesting_depth

private:
    std::string_view text_;
    Diagnostics& diagnostics_;
    std::vector<uint32_t> positions_;
    size_t raised_ = 0;
};

}  // namespace actjit::parser
