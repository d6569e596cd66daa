// Text to syntax tree: parse(file, diagnostics). Reports every syntax error of the
// file, resuming at the next definition after each one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ast.hpp"
#include "source.hpp"

namespace actjit {

// Expressions may nest this deep (parentheses, calls, prefix operators, `^`
// exponents, `let` and `?:`); deeper input is one error that names the limit, so that
// no input can exhaust the stack. 199 levels take about 1 MiB of stack in an
// optimized build and under 4 MiB with AddressSanitizer.
inline constexpr int max_nesting_depth = 200;

// Files larger than this are rejected (positions are 32-bit byte offsets).
inline constexpr size_t max_file_size = size_t{1} << 30;

struct ParsedFile {
    ast::File ast;
    // Names of definitions that had syntax errors, so that later passes do not
    // report calls to them as unknown.
    std::vector<std::string> broken_definitions;
    // The range a position-tagged node was parsed from.
    SourceRange range(const boost::spirit::x3::position_tagged& node) const;

    std::vector<uint32_t> positions;
};

ParsedFile parse(const SourceFile& file, Diagnostics& diagnostics);

}  // namespace actjit
