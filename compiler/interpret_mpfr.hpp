// The MPFR interpreter's machinery, for the compiler's own use (interpret.hpp has the
// public entry point; reference.hpp builds on this): a tape of a graph's nodes whose
// MPFR values are allocated once, so that evaluating a point costs only its MPFR
// operations.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include <mpfr.h>

#include "graph.hpp"
#include "interpret.hpp"

namespace actjit {

class MpfrTape {
public:
    MpfrTape(const std::vector<Expr>& roots, int precision);
    ~MpfrTape();
    MpfrTape(const MpfrTape&) = delete;
    MpfrTape& operator=(const MpfrTape&) = delete;

    void set_precision(int precision);
    int precision() const { return precision_; }
    // Evaluates every node at `environment`. With `exponent_range` false, MPFR's
    // current exponent range is used (interpret_mpfr's); true opens it to MPFR's limits
    // for the call. `underflow`: whether an underflow counts as leaving the range (an
    // overflow always does).
    void run(const Environment& environment, bool exponent_range = false, bool underflow = true);
    double root(size_t i) const;  // rounded to the nearest double
    // Whether an overflow (or an underflow, as run() was told) of MPFR's exponent range
    // happened in a node root i's value depends on (through a select, only the branch it takes).
    bool root_left_range(size_t i) const;
    // Whether root i depends on an operation on nonzero operands, one of them rounded,
    // that came out exactly 0: at this precision its value may be 0 where the exact one
    // is not (1 + erf(-15) or log(1 + exp(-300)) at 256 bits), so Ziv's agreement of two
    // precisions proves nothing.
    bool root_cancelled(size_t i) const;
    size_t roots() const { return roots_.size(); }
    // The tape: the nodes in evaluation order, each one's operands' slots (a node's slot
    // is its position in the order), the roots' slots. reference.cpp walks the same.
    const std::vector<Expr>& order() const { return order_; }
    const std::vector<std::array<uint32_t, 3>>& operands() const { return operands_; }
    const std::vector<uint32_t>& root_slots() const { return roots_; }

private:
    std::vector<Expr> order_;
    std::vector<std::array<uint32_t, 3>> operands_;  // slots of each node's operands
    std::vector<uint32_t> roots_;                   // slots of the roots
    std::vector<__mpfr_struct> slots_;
    std::vector<uint8_t> left_range_, rounded_, cancelled_;
    std::vector<int32_t> partner_;          // a Sin's Cos of the same operand, or -1
    std::vector<uint8_t> partner_inexact_;  // whether its partner left it rounded
    __mpfr_struct scratch_;
    int precision_;
};

}  // namespace actjit
