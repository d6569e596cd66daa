// Peer "sleef": vector loops over SLEEF's 1.0-ulp (u10) functions, at the widest ISA the file is
// compiled for: AVX-512 (16 floats / 8 doubles), else AVX2 (8 / 4), else SLEEF's scalar calls.
// Arithmetic uses the GCC/clang vector extensions on the intrinsic types; the last n % width
// elements go through the same vector code, padded in a local buffer.
// Build: g++ -std=c++20 -O3 -march=native -c sleef.cpp; link -lsleef.
#include "peers.hpp"

#include <sleef.h>

#include <cmath>
#include <cstring>

namespace bench {
namespace {

// Math traits: the element type T, the vector type V, its width, and SLEEF's u10 functions.
#if defined(__AVX512F__)
constexpr const char* isa = "AVX-512";
struct F32 {
    using T = float;
    using V = __m512;
    static constexpr std::size_t width = 16;
    static V exp(V x) { return Sleef_expf16_u10avx512f(x); }
    static V expm1(V x) { return Sleef_expm1f16_u10avx512f(x); }
    static V log1p(V x) { return Sleef_log1pf16_u10avx512f(x); }
    static V tanh(V x) { return Sleef_tanhf16_u10avx512f(x); }
    static V erf(V x) { return Sleef_erff16_u10avx512f(x); }
};
struct F64 {
    using T = double;
    using V = __m512d;
    static constexpr std::size_t width = 8;
    static V exp(V x) { return Sleef_expd8_u10avx512f(x); }
    static V expm1(V x) { return Sleef_expm1d8_u10avx512f(x); }
    static V log1p(V x) { return Sleef_log1pd8_u10avx512f(x); }
    static V tanh(V x) { return Sleef_tanhd8_u10avx512f(x); }
    static V erf(V x) { return Sleef_erfd8_u10avx512f(x); }
};
#elif defined(__AVX2__)
constexpr const char* isa = "AVX2";
struct F32 {
    using T = float;
    using V = __m256;
    static constexpr std::size_t width = 8;
    static V exp(V x) { return Sleef_expf8_u10avx2(x); }
    static V expm1(V x) { return Sleef_expm1f8_u10avx2(x); }
    static V log1p(V x) { return Sleef_log1pf8_u10avx2(x); }
    static V tanh(V x) { return Sleef_tanhf8_u10avx2(x); }
    static V erf(V x) { return Sleef_erff8_u10avx2(x); }
};
struct F64 {
    using T = double;
    using V = __m256d;
    static constexpr std::size_t width = 4;
    static V exp(V x) { return Sleef_expd4_u10avx2(x); }
    static V expm1(V x) { return Sleef_expm1d4_u10avx2(x); }
    static V log1p(V x) { return Sleef_log1pd4_u10avx2(x); }
    static V tanh(V x) { return Sleef_tanhd4_u10avx2(x); }
    static V erf(V x) { return Sleef_erfd4_u10avx2(x); }
};
#else
constexpr const char* isa = "scalar";
struct F32 {
    using T = float;
    using V = float;
    static constexpr std::size_t width = 1;
    static V exp(V x) { return Sleef_expf_u10(x); }
    static V expm1(V x) { return Sleef_expm1f_u10(x); }
    static V log1p(V x) { return Sleef_log1pf_u10(x); }
    static V tanh(V x) { return Sleef_tanhf_u10(x); }
    static V erf(V x) { return Sleef_erff_u10(x); }
};
struct F64 {
    using T = double;
    using V = double;
    static constexpr std::size_t width = 1;
    static V exp(V x) { return Sleef_exp_u10(x); }
    static V expm1(V x) { return Sleef_expm1_u10(x); }
    static V log1p(V x) { return Sleef_log1p_u10(x); }
    static V tanh(V x) { return Sleef_tanh_u10(x); }
    static V erf(V x) { return Sleef_erf_u10(x); }
};
#endif

template <class T>
constexpr T selu_lambda = T(1.0507009873554804934193349852946L);
template <class T>
constexpr T selu_alpha = T(1.6732632423543772848170429916717L);
template <class T>
constexpr T sqrt_2_over_pi = T(0.79788456080286535587989211986876L);
template <class T>
constexpr T inv_sqrt_2pi = T(0.39894228040143267793994605993438L);

template <class M>
typename M::V sigmoid(typename M::V x) {
    using T = typename M::T;
    return T(1) / (T(1) + M::exp(-x));
}

// Each activation is f and df = f' on whole vectors, the formulas of the definitions.
template <class M>
struct Elu {
    using T = typename M::T;
    using V = typename M::V;
    static V f(V x) { return x > T(0) ? x : M::expm1(x); }
    static V df(V x) { return x > T(0) ? T(1) : M::exp(x); }
};

template <class M>
struct Selu {
    using T = typename M::T;
    using V = typename M::V;
    static V f(V x) { return selu_lambda<T> * (x > T(0) ? x : selu_alpha<T> * M::expm1(x)); }
    static V df(V x) { return selu_lambda<T> * (x > T(0) ? T(1) : selu_alpha<T> * M::exp(x)); }
};

template <class M>
struct Softplus {
    using V = typename M::V;
    static V f(V x) { return M::log1p(M::exp(x)); }
    static V df(V x) { return sigmoid<M>(x); }
};

template <class M>
struct Sigmoid {
    using T = typename M::T;
    using V = typename M::V;
    static V f(V x) { return sigmoid<M>(x); }
    static V df(V x) {
        const V s = sigmoid<M>(x);
        return s * (T(1) - s);
    }
};

template <class M>
struct Tanh {
    using T = typename M::T;
    using V = typename M::V;
    static V f(V x) { return M::tanh(x); }
    static V df(V x) {
        const V t = M::tanh(x);
        return T(1) - t * t;
    }
};

template <class M>
struct Silu {
    using T = typename M::T;
    using V = typename M::V;
    static V f(V x) { return x * sigmoid<M>(x); }
    static V df(V x) {
        const V s = sigmoid<M>(x);
        return s * (T(1) + x * (T(1) - s));
    }
};

template <class M>
struct Gelu {
    using T = typename M::T;
    using V = typename M::V;
    static V f(V x) { return T(0.5) * x * (T(1) + M::erf(x * T(M_SQRT1_2))); }
    static V df(V x) {
        const V cdf = T(0.5) * (T(1) + M::erf(x * T(M_SQRT1_2)));
        return cdf + x * inv_sqrt_2pi<T> * M::exp(T(-0.5) * x * x);
    }
};

template <class M>
struct GeluTanh {
    using T = typename M::T;
    using V = typename M::V;
    static V f(V x) {
        return T(0.5) * x * (T(1) + M::tanh(sqrt_2_over_pi<T> * (x + T(0.044715) * x * x * x)));
    }
    static V df(V x) {
        const V t = M::tanh(sqrt_2_over_pi<T> * (x + T(0.044715) * x * x * x));
        const V du = sqrt_2_over_pi<T> * (T(1) + T(3 * 0.044715) * x * x);
        return T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * du;
    }
};

template <class M>
struct Mish {
    using T = typename M::T;
    using V = typename M::V;
    static V f(V x) { return x * M::tanh(M::log1p(M::exp(x))); }
    static V df(V x) {
        const V t = M::tanh(M::log1p(M::exp(x)));
        return t + x * sigmoid<M>(x) * (T(1) - t * t);
    }
};

template <class M>
typename M::V load(const typename M::T* p) {
    typename M::V v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

template <class M>
void store(typename M::T* p, typename M::V v) {
    std::memcpy(p, &v, sizeof v);
}

// Runs body(offset, in, out) over whole vectors: in[k] loads input k, out[k] stores output k.
// The tail is copied into zeroed local buffers so that it runs the same vector code.
template <class M, std::size_t Ins, std::size_t Outs, class Body>
void each_vector(const typename M::T* const (&in)[Ins], typename M::T* const (&out)[Outs], std::size_t n,
                 Body body) {
    using T = typename M::T;
    using V = typename M::V;
    constexpr std::size_t w = M::width;
    std::size_t i = 0;
    for (; i + w <= n; i += w) {
        V x[Ins], y[Outs];
        for (std::size_t k = 0; k < Ins; ++k) x[k] = load<M>(in[k] + i);
        body(x, y);
        for (std::size_t k = 0; k < Outs; ++k) store<M>(out[k] + i, y[k]);
    }
    if (i == n) return;
    const std::size_t rest = n - i;
    T buf[Ins > Outs ? Ins : Outs][w] = {};
    V x[Ins], y[Outs];
    for (std::size_t k = 0; k < Ins; ++k) {
        std::memcpy(buf[k], in[k] + i, rest * sizeof(T));
        x[k] = load<M>(buf[k]);
    }
    body(x, y);
    for (std::size_t k = 0; k < Outs; ++k) {
        store<M>(buf[k], y[k]);
        std::memcpy(out[k] + i, buf[k], rest * sizeof(T));
    }
}

template <class M, template <class> class A>
void forward(const typename M::T* x, const typename M::T*, typename M::T* y, std::size_t n) {
    using V = typename M::V;
    each_vector<M>({x}, {y}, n, [](const V* in, V* out) { out[0] = A<M>::f(in[0]); });
}

template <class M, template <class> class A>
void backward(const typename M::T* x, const typename M::T*, const typename M::T* dy, typename M::T* dx,
              typename M::T*, std::size_t n) {
    using V = typename M::V;
    each_vector<M>({x, dy}, {dx}, n, [](const V* in, V* out) { out[0] = in[1] * A<M>::df(in[0]); });
}

template <class M>
void swiglu_forward(const typename M::T* a, const typename M::T* b, typename M::T* y, std::size_t n) {
    using V = typename M::V;
    each_vector<M>({a, b}, {y}, n, [](const V* in, V* out) { out[0] = in[0] * sigmoid<M>(in[0]) * in[1]; });
}

template <class M>
void swiglu_backward(const typename M::T* a, const typename M::T* b, const typename M::T* dy,
                     typename M::T* da, typename M::T* db, std::size_t n) {
    using T = typename M::T;
    using V = typename M::V;
    each_vector<M>({a, b, dy}, {da, db}, n, [](const V* in, V* out) {
        const V s = sigmoid<M>(in[0]);
        out[0] = in[2] * in[1] * s * (T(1) + in[0] * (T(1) - s));
        out[1] = in[2] * in[0] * s;
    });
}

template <template <class> class A>
PeerKernel unary(const char* name) {
    return {name, forward<F32, A>, backward<F32, A>, forward<F64, A>, backward<F64, A>};
}

}  // namespace

Peer sleef_peer() {
    return {"sleef",
            std::to_string(SLEEF_VERSION_MAJOR) + "." + std::to_string(SLEEF_VERSION_MINOR) + "." +
                std::to_string(SLEEF_VERSION_PATCHLEVEL),
            std::string("u10 functions in ") + isa + " loops, padded tail; only activations with a "
                "transcendental",
            {unary<Elu>("elu"), unary<Selu>("selu"), unary<Softplus>("softplus"), unary<Sigmoid>("sigmoid"),
             unary<Tanh>("tanh"), unary<Silu>("silu"), unary<Gelu>("gelu"), unary<GeluTanh>("gelu_tanh"),
             unary<Mish>("mish"),
             {"swiglu", swiglu_forward<F32>, swiglu_backward<F32>, swiglu_forward<F64>,
              swiglu_backward<F64>}}};
}

}  // namespace bench
