// Sums of monomials, and reflections in a tail (issue 10's canonical forms and
// "cancellation near a point", at ±inf): a sum's terms as coefficient x product of
// factors with integer exponents, however the products and quotients are nested; a
// factor that tends to a constant or to its own argument in one tail (sigmoid, softplus,
// tanh, erf, erfc) written there as that limit plus a part that vanishes, so that the
// limits cancel in exact symbolic arithmetic instead of in floating point.
// docs/numerics.md, "Reflections in a tail".
#pragma once

#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "graph.hpp"

namespace actjit {

// The sum n (an Add or Sub) with its reflectable factors of one argument u written as
// their reflections, under a regime split: u > 0 ? reflected : n (and u < 0 for the odd
// functions' left tail), where the reflection cancels a limit; else null. SoftPlus with
// a temperature, t softplus(x / t): its d/dt softplus(u) - u sigmoid(u) is softplus(-u)
// + u sigmoid(-u) past u = 0 (no cancellation to 0 as u grows); ACON-C's d/dp2, x - x
// sigmoid(u) - ..., is x sigmoid(-u) - ... there. Each sum is tried once, and a
// reflection's result is never reflected back (it is the other tail's form).
class Reflector {
public:
    Expr operator()(Graph& g, Expr n);
    // A sum another rule has written as one tail's form (softplus(k u) / k past k u = 0):
    // never reflected back either.
    void keep(Expr sum);

private:
    std::unordered_map<Expr, Expr> tried_;
    std::unordered_set<uint64_t> produced_;  // the results' term hashes
};

}  // namespace actjit
