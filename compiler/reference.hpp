// The truth that kernels are measured against (`actjit accuracy`): for a set of roots
// (a value and its derivatives, as written), an interval of doubles that holds each
// root's exact value at one point.
//
// Two oracles, the cheap one first:
//  - interval arithmetic in double (interval.hpp): +, -, *, / and sqrt rounded outward,
//    each libm function (exp, log, erf, ...) taken as its glibc value widened by
//    `libm_ulps` steps each way, more than glibc's published maximum errors for x86-64
//    (at most 5 ULP for these functions); anchored intervals (c + [lo, hi]) carry the
//    classic cancellations (exp(x) - 1, 1 + erf(x), 1 - tanh(u)^2) exactly and
//    logarithmic ones (±exp(L)) the overflows of exp. A root's interval is kept when it
//    is narrow enough for the measurement (its width at most 2^-10 of an ULP of the
//    kernel's type at the value);
//  - otherwise MPFR, Ziv's way: the roots at 128 bits, then 256, ..., until two
//    precisions in a row round to the same double for every root (at most 4096 bits),
//    MPFR's exponent range opened to its limits. A root that is exactly 0 because
//    rounded operands cancelled (1 + erf(-15) is 0 at 128 and at 256 bits) is no
//    agreement: the doubling goes on. Where an intermediate still leaves that range
//    (exp(x) for x beyond about 3e18), or 4096 bits do not resolve such a cancellation,
//    the formula as written has no computable value: the stabilized roots (the same
//    functions, rewritten: stabilize.hpp) are evaluated instead, an underflow there
//    taken as exact (the stabilized forms only add a vanishing term to, or multiply it
//    by, a finite value), and the point is counted as such; where they fail too, the
//    truth is unknown.
// interpret_mpfr (interpret.hpp) has the same semantics, node for node.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "graph.hpp"
#include "interpret.hpp"
#include "interval.hpp"

namespace actjit {

struct Truth {
    double lo = 0, hi = 0;  // lo <= hi; equal when the value is known to a double
    bool nan = false;       // the exact value is NaN (lo and hi mean nothing)
};

class Reference {
public:
    enum class Oracle { Interval, Mpfr, MpfrStabilized, Unknown };

    // `roots` the formula as written; `stabilized` the same functions as the kernels
    // compute them (same count and order), for the points where `roots` overflow MPFR.
    // `digits`: the kernel type's significand bits (24 for float, 53 for double).
    Reference(std::vector<Expr> roots, std::vector<Expr> stabilized, int digits);
    ~Reference();
    Reference(Reference&&) noexcept;
    Reference(const Reference&) = delete;
    Reference& operator=(const Reference&) = delete;

    // Each root's truth at `environment` into `out` (size: the roots'). Unknown: MPFR
    // found no two agreeing precisions (out holds the last one's values).
    Oracle evaluate(const Environment& environment, std::span<Truth> out);
    // MPFR only (for self-checks of the interval oracle).
    Oracle evaluate_mpfr(const Environment& environment, std::span<Truth> out);

    static constexpr int libm_ulps = interval::libm_ulps;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace actjit
