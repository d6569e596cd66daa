// A definition's value and its derivatives, stabilized and simplified together so that
// they share nodes: with respect to each input, then each `learn` parameter
// (LANGUAGE.md §4, §5).
#pragma once

#include <string>
#include <vector>

#include "lower.hpp"

namespace actjit {

struct Derivative {
    std::string variable;  // an input's or a learn parameter's name
    Expr expr;             // null: the value does not depend on it (derivative 0)
};

struct Gradient {
    Expr value;
    std::vector<Derivative> derivatives;  // inputs first, then learn parameters
};

Gradient gradient(Program& program, const LoweredFunction& function);

}  // namespace actjit
