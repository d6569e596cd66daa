// How an expression behaves as one input goes to +inf or -inf, the other inputs and the
// parameters held where they are: a dominant-term analysis in the manner of Gruntz's
// comparability classes, coarsened to the exponential height of log|f|. Height 0 is a
// power or a logarithm (log|f| ~ c log x, or slower), 1 an exponential of a power
// (exp(-x), exp(x^2), erfc(x), sigmoid(-x): log|f| ~ c x^p), 2 an exponential of an
// exponential (sigmoid(-2 exp(x))), and so on; powers among themselves by their degree.
// Of a product of a factor that grows and one that decays, the greater height (or of
// powers, degree) wins; at equal heights above 0 only the coefficients could tell (exp(x^2) erfc(x) tends to 0, exp(x) exp(-x) is 1), and the answer is
// Unknown. What the rules cannot tell (a parameter's sign, an oscillation, a sum whose
// terms may cancel) is Unknown too, never a guess.
#pragma once

#include <cstdint>
#include <unordered_map>

#include "graph.hpp"

namespace actjit {

struct Tail {
    enum Direction : uint8_t {
        Unknown,
        Zero,    // exactly 0 from some point on (a clamp, relu)
        Decays,  // |f| -> 0, at `height`
        Finite,  // a finite limit other than 0
        Grows,   // |f| -> inf, at `height`
    };
    Direction direction = Unknown;
    int sign = 0;    // of f in the tail: +1, -1, or 0 where not known
    int height = 0;  // of Decays and Grows
    // Of height 0: log|f| ~ degree * log|x| (x^3 is 3, 1 / x^2 decays at 2, log(x) grows
    // at 0: slower than any power); NaN where not known (log(exp(x^2))). Heights above 0
    // are compared by height alone.
    double degree = 0;
};

// The tail of a product from its factors' (the greater height wins; of powers, the net
// degree; equal heights above 0: unknown).
Tail product_tail(const Tail& a, const Tail& b);

// The behaviour of e as input `input` goes to +inf (`positive`) or -inf.
Tail tail(Expr e, uint32_t input, bool positive);

// The same, each node's tail kept for the next question (a rewrite asks of the same
// nodes again and again).
class Tails {
public:
    Tail of(Expr e, uint32_t input, bool positive);

private:
    std::unordered_map<uint64_t, std::unordered_map<Expr, Tail>> known_;  // by input and side
};

}  // namespace actjit
