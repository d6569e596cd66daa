// Meaning of a parsed file (LANGUAGE.md §3): names, arities, named parameters,
// number/boolean types, constant parameter defaults, and recursion. check() reports
// every error it finds and returns the signatures of the file's definitions.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
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

// The definitions of a file, in file order (a duplicate keeps only its first), and the
// modules of the files it uses (LANGUAGE.md §1).
struct Module {
    std::vector<FunctionInfo> functions;
    // The files this one uses, in use order, each once; they outlive this module (a
    // FileSet owns them). A file sees its own definitions and those of the files it
    // uses, not of the files those use.
    std::vector<const Module*> uses;
    // This module's file, once the module has a home that does not move (a FileSet);
    // null for a module checked on its own. Lowering a used definition needs them.
    const ParsedFile* parsed = nullptr;
    const SourceFile* source = nullptr;
    // Every call of a definition in this module's bodies, and the definition it calls:
    // one of its own or a used one.
    std::unordered_map<const ast::Call*, const FunctionInfo*> callees;

    // The module's own definition of that name.
    const FunctionInfo* find(std::string_view name) const;
    // What a name means in this file: its own definition, else the used ones of that
    // name (more than one: the name is ambiguous).
    std::vector<const FunctionInfo*> resolve(std::string_view name) const;
};

// What a file's check sees beyond the file: the modules of its `use` lines, and the
// standard library (for "it is in the standard library: add `use std`"; may be null).
struct CheckContext {
    std::vector<const Module*> uses;
    const Module* standard_library = nullptr;
    // Definitions of used files that failed (with errors, or in a cycle of `use`): the
    // `use` is the error, so calls of them are not reported again as unknown.
    std::vector<std::string> unavailable;
};

Module check(const ParsedFile& parsed, Diagnostics& diagnostics, const CheckContext& context = {});

}  // namespace actjit
