#include "error_handler.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "config.hpp"
#include "lookalike.hpp"

namespace actjit::parser {

namespace {

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

iterator_type ErrorHandler::skip_blank(iterator_type it) const {
    while (x3::parse(it, end(), skipper)) {
    }
    return it;
}

// Byte length of the token at `it`, for the `~~~` under it: a name or number, a
// two-character operator, one code point, or one stray byte.
static size_t token_length(std::string_view rest) {
    if (rest.empty()) return 0;
    size_t n = 1;
    if (is_ident_char(rest[0]) || rest[0] == '.') {
        while (n < rest.size() && (is_ident_char(rest[n]) || rest[n] == '.')) ++n;
        return n;
    }
    static constexpr std::string_view pairs[] = {"<=", ">=", "==", "!=", "&&", "||"};
    for (std::string_view pair : pairs)
        if (rest.substr(0, 2) == pair) return 2;
    size_t len = utf8_sequence_length(rest, 0);
    return len == 0 ? 1 : len;
}

std::string ErrorHandler::describe_token(iterator_type it) const {
    std::string_view rest(it, static_cast<size_t>(end() - it));
    if (rest.empty()) return "end of file";
    auto c = static_cast<unsigned char>(rest[0]);
    if (utf8_sequence_length(rest, 0) == 0 || c < 0x20 || c == 0x7F)
        return fmt::format("byte 0x{:02X}", c);
    if (c >= 0x80) {
        uint32_t code = decode_utf8(rest, 0);
        std::string_view glyph = rest.substr(0, utf8_sequence_length(rest, 0));
        if (const Lookalike* l = lookalike(code))
            return l->invisible ? fmt::format("U+{:04X} {} (invisible)", code, l->name)
                                : fmt::format("'{}' (U+{:04X} {})", glyph, code, l->name);
        return fmt::format("'{}' (U+{:04X})", glyph, code);
    }
    std::string_view token = rest.substr(0, token_length(rest));
    if (token == "let" || token == "in" || token == "learn" || token == "use")
        return fmt::format("keyword '{}'", token);
    return fmt::format("'{}'", token);
}

std::string ErrorHandler::fix_it(iterator_type it) const {
    std::string_view rest(it, static_cast<size_t>(end() - it));
    if (rest.empty() || static_cast<unsigned char>(rest[0]) < 0x80 || utf8_sequence_length(rest, 0) == 0) return "";
    const Lookalike* l = lookalike(decode_utf8(rest, 0));
    if (!l) return "; names and operators are ASCII";
    if (l->instead.empty()) return "; delete it";
    if (l->instead == " ") return "; did you mean a plain space?";
    bool letter = l->name.find("LETTER") != std::string_view::npos;
    return fmt::format("; did you mean '{}'?{}", l->instead, letter ? " (names are ASCII)" : "");
}

// Just after the last token before `at`: back over white space and comments.
static iterator_type after_previous_token(iterator_type begin, iterator_type at) {
    iterator_type p = at;
    for (;;) {
        while (p != begin && std::string_view(" \t\r\n\v\f").find(p[-1]) != std::string_view::npos) --p;
        iterator_type line = p;
        while (line != begin && line[-1] != '\n' && line[-1] != '\r') --line;
        iterator_type hash = std::find(line, p, '#');
        if (hash == p) return p;
        p = hash;  // p was inside a comment; what precedes it may be blank too
    }
}

void ErrorHandler::expected(iterator_type where, std::string_view what) {
    iterator_type at = skip_blank(where);
    std::string message = fmt::format("expected {}, found {}{}", what, describe_token(at), fix_it(at));
    // A `let` that is an operand of an operator parses only in parentheses.
    std::string_view rest(at, static_cast<size_t>(end() - at));
    if (what == "expression" && rest.substr(0, 3) == "let" &&
        (rest.size() == 3 || !is_ident_char(rest[3])))
        message += " (put a 'let' that is an operand in parentheses)";
    // Slips from other languages.
    if (what == "expression" && !rest.empty() && rest[0] == '*' && at != text_.data() && at[-1] == '*')
        message += "; the power operator is '^' (x ^ 2), not '**'";
    if (what == "'std' or a quoted path" && !rest.empty() && rest[0] == '(')  // use(x) = ...
        message += "; a keyword cannot name a definition";
    if (what == "')'" && !rest.empty() && rest[0] == '=' && rest.substr(0, 2) != "==")
        message += "; parameters come after a ';', with their values: f(x; alpha = 1)";
    // When what was expected is missing at the end of a line (or of the file), point
    // just after the last token written, not at the next line.
    iterator_type previous = after_previous_token(text_.data(), at);
    if (at == end() || std::find_if(previous, at, [](char c) { return c == '\n' || c == '\r'; }) != at) {
        ++raised_;
        diagnostics_.error({offset(previous), offset(previous)}, std::move(message));
        return;
    }
    error(at, std::move(message));
}

void ErrorHandler::error(iterator_type where, std::string message) {
    ++raised_;
    std::string_view rest(where, static_cast<size_t>(end() - where));
    // A stray byte has its own diagnostic already (see parse.cpp); say it once.
    if (!rest.empty() && utf8_sequence_length(rest, 0) == 0) return;
    uint32_t from = offset(where);
    diagnostics_.error({from, from + static_cast<uint32_t>(token_length(rest))}, std::move(message));
}

}  // namespace actjit::parser
