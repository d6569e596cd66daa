// The intrinsic kernels of handwritten.hpp (relu, sigmoid, gelu_tanh), compiled once per
// instruction set: HANDWRITTEN_AVX512 (-mavx512f -mavx512dq -mfma) defines
// intrinsics_avx512(), else (-mavx2 -mfma) intrinsics_avx2(). The vector type's few
// operations are wrapped below (+ - * / are g++'s own on these types: vaddps and so on),
// so each kernel is written once.
#include <algorithm>
#include <cstring>

#include <immintrin.h>

#include "handwritten.hpp"

namespace handwritten {

namespace {

#ifdef HANDWRITTEN_AVX512
using V = __m512;
using Mask = __mmask16;
constexpr int W = 16;
inline V set1(float v) { return _mm512_set1_ps(v); }
inline V load(const float* p) { return _mm512_loadu_ps(p); }
inline void store(float* p, V v) { _mm512_storeu_ps(p, v); }
inline V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
// min(hi, x) and max(lo, x) return x when it is NaN (the second operand)
inline V min(V a, V b) { return _mm512_min_ps(a, b); }
inline V max(V a, V b) { return _mm512_max_ps(a, b); }
inline V abs(V a) { return _mm512_abs_ps(a); }
inline V round(V a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
inline Mask greater(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
inline Mask greater_equal(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
inline V select(Mask m, V yes, V no) { return _mm512_mask_blend_ps(m, no, yes); }
// x 2^n, subnormal results rounded once
inline V scale(V x, V n) { return _mm512_scalef_ps(x, n); }
#else
using V = __m256;
using Mask = __m256;
constexpr int W = 8;
inline V set1(float v) { return _mm256_set1_ps(v); }
inline V load(const float* p) { return _mm256_loadu_ps(p); }
inline void store(float* p, V v) { _mm256_storeu_ps(p, v); }
inline V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
inline V min(V a, V b) { return _mm256_min_ps(a, b); }
inline V max(V a, V b) { return _mm256_max_ps(a, b); }
inline V abs(V a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
inline V round(V a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
inline Mask greater(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
inline Mask greater_equal(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
inline V select(Mask m, V yes, V no) { return _mm256_blendv_ps(no, yes, m); }
// x 2^n for integral n in [-150, 128], as two exact powers of two (so subnormal results
// round at the second product only)
inline V pow2(__m256i k) { return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k, _mm256_set1_epi32(127)), 23)); }
inline V scale(V x, V n) {
    __m256i k = _mm256_cvtps_epi32(n);
    __m256i half = _mm256_srai_epi32(k, 1);
    return x * pow2(half) * pow2(_mm256_sub_epi32(k, half));
}
#endif

// exp(x): x = n ln 2 + r with ln 2 in two parts, exp(r) by Cephes' expf polynomial
// (Moshier, Cephes Math Library, expf.c: relative error about 1e-7 on [-ln 2 / 2, ln 2 / 2]),
// times 2^n. Below -104 the result is 0, above 88.72 inf; NaN stays NaN.
inline V exp(V x) {
    const V hi = set1(88.72283935546875f), lo = set1(-104.0f);
    const V inf = set1(__builtin_inff());
    V c = max(lo, min(hi, x));
    V n = round(c * set1(1.44269504088896341f));
    V r = fma(n, set1(-0.693359375f), c);
    r = fma(n, set1(2.12194440e-4f), r);
    V p = set1(1.9875691500e-4f);
    p = fma(p, r, set1(1.3981999507e-3f));
    p = fma(p, r, set1(8.3334519073e-3f));
    p = fma(p, r, set1(4.1665795894e-2f));
    p = fma(p, r, set1(1.6666665459e-1f));
    p = fma(p, r, set1(5.0000001201e-1f));
    p = fma(p, r * r, r + set1(1.0f));
    return select(greater(x, hi), inf, scale(p, n));
}

inline V sigmoid(V x) {
    V e = exp(set1(0) - abs(x));
    V s = set1(1.0f) / (set1(1.0f) + e);
    return select(greater_equal(x, set1(0)), s, e * s);
}

// The kernels over whole vectors; the last n % W elements go through a padded copy.
template <class F>
void each(const float* x, float* y, std::size_t n, F f) {
    std::size_t i = 0;
    for (; i + W <= n; i += W) store(y + i, f(load(x + i)));
    if (i == n) return;
    alignas(64) float in[W] = {}, out[W];
    std::memcpy(in, x + i, (n - i) * sizeof(float));
    store(out, f(load(in)));
    std::memcpy(y + i, out, (n - i) * sizeof(float));
}

template <class F>
void each_with_dy(const float* x, const float* dy, float* dx, std::size_t n, F f) {
    std::size_t i = 0;
    for (; i + W <= n; i += W) store(dx + i, load(dy + i) * f(load(x + i)));
    if (i == n) return;
    alignas(64) float in[W] = {}, g[W] = {}, out[W];
    std::memcpy(in, x + i, (n - i) * sizeof(float));
    std::memcpy(g, dy + i, (n - i) * sizeof(float));
    store(out, load(g) * f(load(in)));
    std::memcpy(dx + i, out, (n - i) * sizeof(float));
}

void relu_forward(const float* x, const float*, float* y, std::size_t n) {
    each(x, y, n, [](V v) { return max(set1(0), v); });
}
void relu_backward(const float* x, const float*, const float* dy, float* dx, float*, std::size_t n) {
    each_with_dy(x, dy, dx, n, [](V v) { return select(greater(v, set1(0)), set1(1), set1(0)); });
}

void sigmoid_forward(const float* x, const float*, float* y, std::size_t n) { each(x, y, n, sigmoid); }
void sigmoid_backward(const float* x, const float*, const float* dy, float* dx, float*, std::size_t n) {
    each_with_dy(x, dy, dx, n, [](V v) {
        V e = exp(set1(0) - abs(v));
        V q = set1(1.0f) / (set1(1.0f) + e);
        return e * q * q;  // s (1 - s)
    });
}

// gelu_tanh(x) = 0.5 x (1 + tanh(u)) = x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3)
inline V two_u(V x) { return set1(2 * 0.79788456080286535588f) * fma(set1(0.044715f) * x, x * x, x); }
void gelu_tanh_forward(const float* x, const float*, float* y, std::size_t n) {
    each(x, y, n, [](V v) { return v * sigmoid(two_u(v)); });
}
void gelu_tanh_backward(const float* x, const float*, const float* dy, float* dx, float*, std::size_t n) {
    each_with_dy(x, dy, dx, n, [](V v) {
        V s = sigmoid(two_u(v));
        V du = set1(2 * 0.79788456080286535588f) * fma(set1(3 * 0.044715f) * v, v, set1(1.0f));
        return fma(v * s * (set1(1.0f) - s), du, s);
    });
}

}  // namespace

#ifdef HANDWRITTEN_AVX512
std::vector<Kernel> intrinsics_avx512() {
    const char* kind = "avx512";
#else
std::vector<Kernel> intrinsics_avx2() {
    const char* kind = "avx2";
#endif
    return {{"relu", kind, relu_forward, relu_backward},
            {"sigmoid", kind, sigmoid_forward, sigmoid_backward},
            {"gelu_tanh", kind, gelu_tanh_forward, gelu_tanh_backward}};
}

}  // namespace handwritten
