// Peers "std" and "libmvec": plain loops over std:: math, written the way a user writes them,
// one template for f32 and f64. This one source is compiled twice:
//   g++ -std=c++20 -O3 -march=native -c loops.cpp                        -> std_peer()
//   g++ -std=c++20 -O3 -march=native -fno-math-errno -DACTJIT_PEER_LIBMVEC -c loops.cpp
//                                                                         -> libmvec_peer()
// or, for the second, clang++-19 ... -fno-math-errno -fveclib=libmvec -DACTJIT_PEER_LIBMVEC, which
// maps only exp and log (clang 19's libmvec table has no tanh, erf, expm1, log1p, nor any
// AVX-512 variant), so g++ is the build that shows libmvec. Both link against libm only:
// glibc's libm.so script pulls libmvec in as needed.
#include "peers.hpp"

#include <gnu/libc-version.h>

#include <algorithm>
#include <cmath>

#if defined(ACTJIT_PEER_LIBMVEC) && !defined(__clang__)
// glibc's <bits/math-vector.h> gives these declarations only under -ffast-math, whose
// finite-math assumptions would change the loops' results; declared here, g++ vectorizes each
// call into glibc's _ZGVeN16v_ / _ZGVdN8v_ variants with IEEE semantics kept.
#define ACTJIT_SIMD __attribute__((simd("notinbranch")))
extern "C" {
ACTJIT_SIMD float expf(float) noexcept;
ACTJIT_SIMD float expm1f(float) noexcept;
ACTJIT_SIMD float log1pf(float) noexcept;
ACTJIT_SIMD float tanhf(float) noexcept;
ACTJIT_SIMD float erff(float) noexcept;
ACTJIT_SIMD double exp(double) noexcept;
ACTJIT_SIMD double expm1(double) noexcept;
ACTJIT_SIMD double log1p(double) noexcept;
ACTJIT_SIMD double tanh(double) noexcept;
ACTJIT_SIMD double erf(double) noexcept;
}
#undef ACTJIT_SIMD
#endif

namespace bench {
namespace {

#ifdef __clang__
constexpr const char* compiler = "";  // clang's __VERSION__ names itself
#else
constexpr const char* compiler = "g++ ";
#endif

#if defined(ACTJIT_PEER_LIBMVEC) && defined(__clang__)
constexpr const char* peer_name = "libmvec";
constexpr const char* peer_note = "-O3 -march=native -fno-math-errno -fveclib=libmvec: only exp vectorized";
#elif defined(ACTJIT_PEER_LIBMVEC)
constexpr const char* peer_name = "libmvec";
constexpr const char* peer_note = "-O3 -march=native -fno-math-errno, every call vectorized into libmvec";
#else
constexpr const char* peer_name = "std";
constexpr const char* peer_note = "-O3 -march=native, scalar calls into glibc's libm";
#endif

// Each activation is a pair f, df (df = f'); the loops below apply them element by element.
// Calls are made unconditionally and their results selected afterwards: a call in one arm of
// ?: cannot be if-converted, so the vectorizer would leave such a loop scalar.
template <class T>
constexpr T selu_lambda = T(1.0507009873554804934193349852946L);
template <class T>
constexpr T selu_alpha = T(1.6732632423543772848170429916717L);
template <class T>
constexpr T sqrt_2_over_pi = T(0.79788456080286535587989211986876L);
template <class T>
constexpr T inv_sqrt_2pi = T(0.39894228040143267793994605993438L);

template <class T>
T sigmoid(T x) {
    return T(1) / (T(1) + std::exp(-x));
}

template <class T>
struct Relu {
    static T f(T x) { return std::max(x, T(0)); }
    static T df(T x) { return x > 0 ? T(1) : T(0); }
};

template <class T>
struct LeakyRelu {
    static T f(T x) { return std::max(x, T(0.01) * x); }
    static T df(T x) { return x > 0 ? T(1) : T(0.01); }
};

template <class T>
struct Elu {
    static T f(T x) {
        const T e = std::expm1(x);
        return x > 0 ? x : e;
    }
    static T df(T x) {
        const T e = std::exp(x);
        return x > 0 ? T(1) : e;
    }
};

template <class T>
struct Selu {
    static T f(T x) {
        const T e = selu_alpha<T> * std::expm1(x);
        return selu_lambda<T> * (x > 0 ? x : e);
    }
    static T df(T x) {
        const T e = selu_alpha<T> * std::exp(x);
        return selu_lambda<T> * (x > 0 ? T(1) : e);
    }
};

template <class T>
struct Relu6 {
    static T f(T x) { return std::clamp(x, T(0), T(6)); }
    static T df(T x) { return x > 0 && x < 6 ? T(1) : T(0); }
};

template <class T>
struct Softplus {
    static T f(T x) { return std::log1p(std::exp(x)); }
    static T df(T x) { return sigmoid(x); }
};

template <class T>
struct Sigmoid {
    static T f(T x) { return sigmoid(x); }
    static T df(T x) {
        const T s = sigmoid(x);
        return s * (T(1) - s);
    }
};

template <class T>
struct Tanh {
    static T f(T x) { return std::tanh(x); }
    static T df(T x) {
        const T t = std::tanh(x);
        return T(1) - t * t;
    }
};

template <class T>
struct Silu {
    static T f(T x) { return x * sigmoid(x); }
    static T df(T x) {
        const T s = sigmoid(x);
        return s * (T(1) + x * (T(1) - s));
    }
};

template <class T>
struct Gelu {
    static T f(T x) { return T(0.5) * x * (T(1) + std::erf(x * T(M_SQRT1_2))); }
    static T df(T x) {
        const T cdf = T(0.5) * (T(1) + std::erf(x * T(M_SQRT1_2)));
        return cdf + x * inv_sqrt_2pi<T> * std::exp(T(-0.5) * x * x);
    }
};

template <class T>
struct GeluTanh {
    static T f(T x) {
        const T u = sqrt_2_over_pi<T> * (x + T(0.044715) * x * x * x);
        return T(0.5) * x * (T(1) + std::tanh(u));
    }
    static T df(T x) {
        const T u = sqrt_2_over_pi<T> * (x + T(0.044715) * x * x * x);
        const T t = std::tanh(u);
        const T du = sqrt_2_over_pi<T> * (T(1) + T(3 * 0.044715) * x * x);
        return T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * du;
    }
};

template <class T>
struct Mish {
    static T f(T x) { return x * std::tanh(std::log1p(std::exp(x))); }
    static T df(T x) {
        const T t = std::tanh(std::log1p(std::exp(x)));
        return t + x * sigmoid(x) * (T(1) - t * t);
    }
};

template <class T>
struct Hardswish {
    static T f(T x) { return x * std::clamp(x + T(3), T(0), T(6)) / T(6); }
    static T df(T x) {
        if (x < -3) return T(0);
        if (x > 3) return T(1);
        return (T(2) * x + T(3)) / T(6);
    }
};

template <class T, class A>
void forward(const T* x, const T*, T* y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] = A::f(x[i]);
}

template <class T, class A>
void backward(const T* x, const T*, const T* dy, T* dx, T*, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * A::df(x[i]);
}

template <class T>
void swiglu_forward(const T* a, const T* b, T* y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] = a[i] * sigmoid(a[i]) * b[i];
}

template <class T>
void swiglu_backward(const T* a, const T* b, const T* dy, T* da, T* db, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        const T s = sigmoid(a[i]);
        da[i] = dy[i] * b[i] * s * (T(1) + a[i] * (T(1) - s));
        db[i] = dy[i] * a[i] * s;
    }
}

template <template <class> class A>
PeerKernel unary(const char* name) {
    return {name, forward<float, A<float>>, backward<float, A<float>>, forward<double, A<double>>,
            backward<double, A<double>>};
}

Peer make_peer() {
    return {peer_name,
            std::string(compiler) + __VERSION__ + ", glibc " + gnu_get_libc_version(),
            peer_note,
            {unary<Relu>("relu"), unary<LeakyRelu>("leaky_relu"), unary<Elu>("elu"), unary<Selu>("selu"),
             unary<Relu6>("relu6"), unary<Softplus>("softplus"), unary<Sigmoid>("sigmoid"),
             unary<Tanh>("tanh"), unary<Silu>("silu"), unary<Gelu>("gelu"), unary<GeluTanh>("gelu_tanh"),
             unary<Mish>("mish"), unary<Hardswish>("hardswish"),
             {"swiglu", swiglu_forward<float>, swiglu_backward<float>, swiglu_forward<double>,
              swiglu_backward<double>}}};
}

}  // namespace

#ifdef ACTJIT_PEER_LIBMVEC
Peer libmvec_peer() { return make_peer(); }
#else
Peer std_peer() { return make_peer(); }
#endif

}  // namespace bench
