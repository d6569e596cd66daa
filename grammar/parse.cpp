// The parse loop: one definition at a time, so that a syntax error costs only the
// definition it is in. A line that starts (in column 1) like a definition, a name
// followed by '(', is where the definition before it most likely ends:
//  - each definition is parsed up to the next such line first; only if that fails is
//    it parsed without that bound (newlines are white space, so a body may go on in
//    column 1), and the longer parse is kept only if a definition follows it;
//  - after an error, parsing resumes at the next such line.
#include "parse.hpp"

#include <fmt/format.h>

#include "config.hpp"
#include "error_handler.hpp"
#include "grammar.hpp"

namespace actjit {

namespace {

using parser::iterator_type;

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// The name at `it` if what follows it looks like the start of a definition: `name (`.
std::string_view definition_head(iterator_type it, iterator_type end) {
    if (it == end || !is_ident_start(*it)) return {};
    iterator_type p = it;
    while (p != end && is_ident_char(*p)) ++p;
    std::string_view name(it, static_cast<size_t>(p - it));
    while (p != end && (*p == ' ' || *p == '\t')) ++p;
    if (p == end || *p != '(') return {};
    if (name == "let" || name == "in" || name == "learn" || name == "use") return {};
    return name;
}

constexpr std::string_view keyword_name_hint = "; a keyword cannot name a definition";

// Whether a `use` line starts at `it`: the keyword, then anything but a name character.
bool use_head(iterator_type it, iterator_type end) {
    if (end - it < 3 || std::string_view(it, 3) != "use") return false;
    return end - it == 3 || !is_ident_char(it[3]);
}

bool item_head(iterator_type it, iterator_type end) { return use_head(it, end) || !definition_head(it, end).empty(); }

// The first line after the one holding `from` that starts like a definition or a use.
iterator_type next_definition(iterator_type from, iterator_type end) {
    iterator_type p = from;
    while (p != end) {
        while (p != end && *p != '\n' && *p != '\r') ++p;
        while (p != end && (*p == '\n' || *p == '\r')) ++p;
        if (item_head(p, end)) return p;
    }
    return end;
}

bool same_line(iterator_type a, iterator_type b) {
    for (iterator_type p = a; p < b; ++p)
        if (*p == '\n' || *p == '\r') return false;
    return true;
}

// Every run of bytes that is not well-formed UTF-8, anywhere (comments included).
void report_stray_bytes(std::string_view text, Diagnostics& diagnostics) {
    for (size_t i = 0; i < text.size() && !diagnostics.full();) {
        if (utf8_sequence_length(text, i) != 0) {
            i += utf8_sequence_length(text, i);
            continue;
        }
        size_t j = i + 1;
        while (j < text.size() && utf8_sequence_length(text, j) == 0) ++j;
        diagnostics.error({static_cast<uint32_t>(i), static_cast<uint32_t>(j)},
                          fmt::format("invalid UTF-8 (byte 0x{:02X}); .act files are UTF-8",
                                      static_cast<unsigned char>(text[i])));
        i = j;
    }
}

}  // namespace

SourceRange ParsedFile::range(const boost::spirit::x3::position_tagged& node) const {
    if (node.id_first < 0 || static_cast<size_t>(node.id_last) >= positions.size()) return {};
    return {positions[static_cast<size_t>(node.id_first)],
            positions[static_cast<size_t>(node.id_last)]};
}

ParsedFile parse(const SourceFile& file, Diagnostics& diagnostics) {
    namespace x3 = boost::spirit::x3;
    ParsedFile out;
    std::string_view text = file.text();
    if (text.size() > max_file_size) {
        diagnostics.error({0, 0}, fmt::format("file is {} bytes, over the limit of {} bytes",
                                              text.size(), max_file_size));
        return out;
    }
    // A NUL byte is never in a text file: one error, not one per stray byte and token.
    if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
        LineColumn at = file.position(static_cast<uint32_t>(nul));
        diagnostics.error({static_cast<uint32_t>(nul), static_cast<uint32_t>(nul + 1)},
                          fmt::format("this looks like a binary file (NUL byte at {}:{}); .act files are text",
                                      at.line, at.column));
        return out;
    }
    report_stray_bytes(text, diagnostics);

    parser::ErrorHandler handler(text, diagnostics);
    const auto grammar = x3::with<parser::error_handler_tag>(std::ref(handler))[definition_grammar()];
    const auto use_line = x3::with<parser::error_handler_tag>(std::ref(handler))[use_grammar()];
    const iterator_type end = text.data() + text.size();
    iterator_type pos = handler.skip_blank(text.data());
    iterator_type previous_end = nullptr;

    while (pos != end && !diagnostics.full()) {
        const iterator_type start = pos;
        if (use_head(start, end)) {
            // `use std` or `use "file.act"`: white space separates it from what follows,
            // as it does everything else (a definition may end on its line).
            ast::Use use;
            bool ok = false;
            try {
                ok = x3::phrase_parse(pos, end, use_line, parser::skipper, use);
            } catch (const parser::SyntaxError& error) {
                handler.error(error.where, error.message);
            }
            if (ok) {
                out.ast.uses.push_back(std::move(use));
                previous_end = nullptr;
                pos = handler.skip_blank(pos);
            } else {
                pos = next_definition(start, end);
                previous_end = nullptr;
            }
            continue;
        }
        if (previous_end && same_line(previous_end, start) && definition_head(start, end).empty()) {
            // Something follows a complete definition on its line: most often an
            // operator is missing (`2x`) or a parenthesis is one too many.
            bool operand = is_ident_char(*start) || *start == '(' || *start == '.';
            std::string_view rest(start, static_cast<size_t>(end - start));
            std::string hint = operand ? "; is an operator missing?" : handler.fix_it(start);
            if (rest.substr(0, 1) == "&") hint = "; 'and' is '&&'";
            if (rest.substr(0, 1) == "|") hint = "; 'or' is '||'";
            handler.error(start, fmt::format("unexpected {} after the definition of '{}'{}",
                                             handler.describe_token(start),
                                             out.ast.definitions.back().name.text, hint));
            // What parsed is only the line's beginning: checking it would report the
            // cut (`x > 0 & x < 1` as a boolean body), so it is set aside as broken.
            out.broken_definitions.push_back(out.ast.definitions.back().name.text);
            out.ast.definitions.pop_back();
            pos = next_definition(start, end);
            previous_end = nullptr;
            continue;
        }
        const size_t raised = handler.raised();
        const size_t reported = diagnostics.count();
        const iterator_type bound = next_definition(start, end);
        auto attempt = [&](iterator_type limit, ast::Definition& definition) {
            pos = start;
            handler.depth = 0;
            try {
                return x3::phrase_parse(pos, limit, grammar, parser::skipper, definition);
            } catch (const parser::SyntaxError& error) {
                handler.error(error.where, error.message);
                return false;
            }
        };
        ast::Definition definition;
        bool ok = attempt(bound, definition);
        const bool soft_failure = !ok && handler.raised() == raised;
        if (!ok && bound != end) {
            const size_t first_errors = diagnostics.count();
            ast::Definition longer;
            if (attempt(end, longer) && (pos == end || !definition_head(pos, end).empty())) {
                diagnostics.truncate(reported);
                definition = std::move(longer);
                ok = true;
            } else {
                diagnostics.truncate(first_errors);
            }
        }
        if (ok) {
            out.ast.definitions.push_back(std::move(definition));
            // The end of the definition's last token (phrase_parse skipped past it).
            previous_end = pos;
            while (previous_end != start && is_space(previous_end[-1])) --previous_end;
            continue;
        }
        if (soft_failure) {
            // Nothing here starts a definition.
            bool keyword = handler.describe_token(start).starts_with("keyword");
            handler.error(start, fmt::format("expected a definition, found {}{}",
                                             handler.describe_token(start),
                                             keyword ? std::string(keyword_name_hint) : handler.fix_it(start)));
        }
        if (std::string_view head = definition_head(start, end); !head.empty())
            out.broken_definitions.emplace_back(head);
        pos = bound;
        previous_end = nullptr;
    }
    out.positions = handler.take_positions();
    return out;
}

}  // namespace actjit
