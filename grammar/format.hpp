// The formatter behind `actjit check --emit=source`: a file's uses and definitions in
// their order, each printed as to_source() prints it (so the text parses back to the
// same tree), with every `#` comment kept:
//  - a comment on a line of its own stays there, between the same items, and a blank
//    line between two items or comments of the source stays one blank line;
//  - a comment after an item on the item's last line stays after it, two spaces away;
//  - a comment inside an item that spans several lines (each item is printed on one
//    line) goes on a line of its own just before the item, in source order.
// Line ends become LF. Formatting formatted text changes nothing.
#pragma once

#include <string>
#include <vector>

#include "parse.hpp"
#include "source.hpp"

namespace actjit {

// Each `#` comment of the file, `#` included, without its line end, in order. A `#`
// inside a `use` line's quoted path is not one.
struct Comment {
    SourceRange range;
    bool own_line;  // nothing but white space before it on its line
};
std::vector<Comment> comments(const SourceFile& file);

// `parsed` must be `file` parsed without syntax errors (else definitions are missing).
std::string format_source(const ParsedFile& parsed, const SourceFile& file);

}  // namespace actjit
