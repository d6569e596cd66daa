#include "builtins.hpp"

#include <algorithm>

namespace actjit {

namespace {

constexpr Builtin builtin_table[] = {
    {"abs", 1, 1, true},   {"sign", 1, 1, true},  {"exp", 1, 1, true},
    {"expm1", 1, 1, true}, {"log", 1, 1, true},   {"log1p", 1, 1, true},
    {"sqrt", 1, 1, true},  {"tanh", 1, 1, true},  {"erf", 1, 1, true},
    {"erfc", 1, 1, true},  {"sin", 1, 1, true},   {"cos", 1, 1, true},
    {"atan", 1, 1, true},  {"sinh", 1, 1, true},  {"cosh", 1, 1, true},
    {"asinh", 1, 1, true},
    {"pow", 2, 2, true},   {"min", 2, -1, true},  {"max", 2, -1, true},
    {"clamp", 3, 3, true}, {"uniform", 2, 2, false},
};

constexpr std::string_view constant_table[] = {"pi", "inf", "nan"};

}  // namespace

std::span<const Builtin> builtins() { return builtin_table; }

const Builtin* find_builtin(std::string_view name) {
    auto it = std::find_if(std::begin(builtin_table), std::end(builtin_table),
                           [&](const Builtin& b) { return b.name == name; });
    return it == std::end(builtin_table) ? nullptr : it;
}

std::span<const std::string_view> constants() { return constant_table; }

bool is_constant(std::string_view name) {
    return std::find(std::begin(constant_table), std::end(constant_table), name) !=
           std::end(constant_table);
}

}  // namespace actjit
