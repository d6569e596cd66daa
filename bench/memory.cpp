#include "memory.hpp"

#include <immintrin.h>

namespace bench {

#if defined(__AVX512F__)
using V = __m512;
constexpr std::size_t W = 16;
inline V load(const float* p) { return _mm512_loadu_ps(p); }
inline void store(float* p, V v) { _mm512_storeu_ps(p, v); }
inline void stream(float* p, V v) { _mm512_stream_ps(p, v); }
inline V add(V a, V b) { return _mm512_add_ps(a, b); }
#elif defined(__AVX__)
using V = __m256;
constexpr std::size_t W = 8;
inline V load(const float* p) { return _mm256_loadu_ps(p); }
inline void store(float* p, V v) { _mm256_storeu_ps(p, v); }
inline void stream(float* p, V v) { _mm256_stream_ps(p, v); }
inline V add(V a, V b) { return _mm256_add_ps(a, b); }
#else
using V = __m128;
constexpr std::size_t W = 4;
inline V load(const float* p) { return _mm_loadu_ps(p); }
inline void store(float* p, V v) { _mm_storeu_ps(p, v); }
inline void stream(float* p, V v) { _mm_stream_ps(p, v); }
inline V add(V a, V b) { return _mm_add_ps(a, b); }
#endif

void copy_plain(const float* x, float* y, std::size_t n) {
    std::size_t i = 0;
    for (; i + W <= n; i += W) store(y + i, load(x + i));
    for (; i < n; ++i) y[i] = x[i];
}

void copy_streaming(const float* x, float* y, std::size_t n) {
    std::size_t i = 0;
    for (; i + W <= n; i += W) stream(y + i, load(x + i));
    for (; i < n; ++i) y[i] = x[i];
    _mm_sfence();
}

void add_plain(const float* a, const float* b, float* y, std::size_t n) {
    std::size_t i = 0;
    for (; i + W <= n; i += W) store(y + i, add(load(a + i), load(b + i)));
    for (; i < n; ++i) y[i] = a[i] + b[i];
}

void add_streaming(const float* a, const float* b, float* y, std::size_t n) {
    std::size_t i = 0;
    for (; i + W <= n; i += W) stream(y + i, add(load(a + i), load(b + i)));
    for (; i < n; ++i) y[i] = a[i] + b[i];
    _mm_sfence();
}

}  // namespace bench
