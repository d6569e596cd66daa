// Two printers of the AST: to_source() writes .act text that parses back to the same
// tree; dump() writes an s-expression of the tree (`actjit check --emit=ast`).
#pragma once

#include <string>

#include "ast.hpp"
#include "parse.hpp"
#include "source.hpp"

namespace actjit {

std::string to_source(const ast::Expr& expr);
std::string to_source(const ast::Definition& definition);
std::string to_source(const ast::Use& use);
// The signature alone: `leaky_relu(x; alpha = 0.01)`.
std::string signature(const ast::Definition& definition);

// One line per use, then one per definition. With `file`, every node carries its `@LINE:COL`.
std::string dump(const ParsedFile& parsed, const SourceFile* file = nullptr);

}  // namespace actjit
