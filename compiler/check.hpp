// Meaning of a parsed file (LANGUAGE.md §3): names, arities, named parameters,
// number/boolean types, constant parameter defaults, and recursion. check() reports
// every error it finds and returns the signatures of the file's definitions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/parse.hpp"
#include "grammar/source.hpp"

namespace actjit {

struct ParameterInfo {
    std::string name;
    bool learn = false;
    const ast::Expr* default_value = nullptr;  // null: must be given when a kernel runs
    SourceRange range;
};

struct FunctionInfo {
    std::string name;
    std::vector<std::string> inputs;
    std::vector<ParameterInfo> parameters;
    const ast::Definition* definition = nullptr;  // points into the ParsedFile
    SourceRange range;
};

// The definitions of a file, in file order (a duplicate keeps only its first).
struct Module {
    std::vector<FunctionInfo> functions;
    const FunctionInfo* find(std::string_view name) const;
};

Module check(const ParsedFile& parsed, Diagnostics& diagnostics);

}  // namespace actjit
