// The builtin functions and constants of LANGUAGE.md §3: their names, arities, and
// whether they may appear in a parameter default (everything but `uniform`).
#pragma once

#include <span>
#include <string_view>

namespace actjit {

struct Builtin {
    std::string_view name;
    int min_arguments;
    int max_arguments;  // -1: no upper bound (min and max fold any number left)
    bool constant;      // deterministic, so allowed in a parameter default
};

std::span<const Builtin> builtins();
const Builtin* find_builtin(std::string_view name);

// `pi`, `inf`, `nan`.
std::span<const std::string_view> constants();
bool is_constant(std::string_view name);

}  // namespace actjit
