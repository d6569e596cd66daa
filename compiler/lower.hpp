// The checked AST as an expression graph: every call inlined, every `let` bound,
// integer powers expanded into multiplications, parameter defaults evaluated.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "check.hpp"
#include "graph.hpp"

namespace actjit {

struct LoweredFunction {
    const FunctionInfo* info = nullptr;
    Expr body = nullptr;  // over Input(i) and Param(p), in declaration order
    // Each parameter's default, evaluated in double; empty: it must be given.
    std::vector<std::optional<double>> defaults;
};

struct Program {
    Graph graph;
    // The module's own definitions in file order, then those of the files it uses
    // (and they use), each file once.
    std::vector<LoweredFunction> functions;
    const LoweredFunction* find(std::string_view name) const;  // the first of that name
    const LoweredFunction* find(const FunctionInfo* info) const;
};

// `a ^ n` for an integer literal n with |n| up to this is repeated multiplication,
// left to right (x^3 = (x*x)*x; x^-2 = 1/(x*x)); beyond it, pow(a, n).
inline constexpr int max_expanded_power = 64;

// `module` must come from an error-free check() of `parsed` (and its used modules
// have their files: Module::parsed). Every definition of the file, or only `name` (own
// or used; the others keep their signatures and defaults, with a null body): a command
// that needs one definition lowers only what it calls.
Program lower(const ParsedFile& parsed, const Module& module);
Program lower(const ParsedFile& parsed, const Module& module, std::string_view name);

}  // namespace actjit
