// The arithmetic a graph's kernels evaluate it in (codegen.hpp's KernelOptions): a
// Taylor polynomial (taylor.hpp) is as long, and reaches as far, as that arithmetic needs.
#pragma once

#include <cstdint>

namespace actjit {

enum class Arithmetic : uint8_t {
    Double,         // f64 kernels, and the interpreters
    DoubleToFloat,  // f32 kernels, accurate: double lanes, each result rounded once to float
    Float,          // f32 kernels, fast: float lanes
};

}  // namespace actjit
