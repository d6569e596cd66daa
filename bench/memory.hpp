// The memory limit, measured in the same run as the kernels: a copy (read one array,
// write one) and a read-two-write-one loop (y = a + b), each with plain and with
// streaming (non-temporal) stores. Written with intrinsics, so that no compiler turns
// them into a library memcpy (whose own size thresholds would decide the stores).
#pragma once

#include <cstddef>

namespace bench {

void copy_plain(const float* x, float* y, std::size_t n);
void copy_streaming(const float* x, float* y, std::size_t n);  // y 64-byte aligned
void add_plain(const float* a, const float* b, float* y, std::size_t n);
void add_streaming(const float* a, const float* b, float* y, std::size_t n);  // y 64-byte aligned

}  // namespace bench
