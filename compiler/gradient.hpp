// A definition's value and its derivatives, stabilized and simplified together so that
// they share nodes: with respect to each input, then each `learn` parameter
// (LANGUAGE.md §4, §5).
#pragma once

#include <string>
#include <vector>

#include "lower.hpp"
#include "arithmetic.hpp"

namespace actjit {

struct Derivative {
    std::string variable;  // an input's or a learn parameter's name
    Expr expr;             // null: the value does not depend on it (derivative 0)
};

struct Gradient {
    Expr value;
    std::vector<Derivative> derivatives;  // inputs first, then learn parameters
};

// What the kernels compute: the value stabilized, its derivatives stabilized too, for
// kernels that compute in `arithmetic` (the Taylor polynomials' length depends on it:
// codegen.hpp's arithmetic_of(KernelOptions) says which; a graph for Double serves every
// kernel, at some cost).
Gradient gradient(Program& program, const LoweredFunction& function, Arithmetic arithmetic = Arithmetic::Double);

// For a reader (`actjit diff`): the derivatives of the formula as written, not
// stabilized, tidied (tidy.hpp); the value is the formula, simplified.
Gradient readable_gradient(Program& program, const LoweredFunction& function);

}  // namespace actjit
