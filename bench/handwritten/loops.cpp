// The loops of handwritten.hpp, compiled once per instruction set: HANDWRITTEN_LOOPS is
// the name of the function this build defines (loops_avx512, loops_avx2, loops_baseline).
#include <algorithm>
#include <cmath>

#include "handwritten.hpp"

// glibc declares its vector math only under -ffast-math, whose finite-math assumptions
// would change these loops' results; declared here, g++ vectorizes each call into glibc's
// _ZGVeN16v_ / _ZGVdN8v_ / _ZGVbN4v_ variants with IEEE semantics kept.
#define HANDWRITTEN_SIMD __attribute__((simd("notinbranch")))
extern "C" {
HANDWRITTEN_SIMD float expf(float) noexcept;
HANDWRITTEN_SIMD float expm1f(float) noexcept;
HANDWRITTEN_SIMD float log1pf(float) noexcept;
HANDWRITTEN_SIMD float tanhf(float) noexcept;
HANDWRITTEN_SIMD float erfcf(float) noexcept;
}
#undef HANDWRITTEN_SIMD

namespace handwritten {

namespace {

constexpr float selu_lambda = 1.05070098735548049342f, selu_alpha = 1.67326324235437728482f;
constexpr float sqrt_2_over_pi = 0.79788456080286535588f, inv_sqrt_2pi = 0.39894228040143267794f;
constexpr float sqrt_half = 0.70710678118654752440f;

// sigmoid through exp(-|x|): never overflows, and keeps its relative accuracy in the left
// tail (e / (1 + e) there, not 1 - something).
inline float sigmoid(float x) {
    float e = expf(-std::fabs(x));
    float s = 1.0f / (1.0f + e);
    return x >= 0 ? s : e * s;
}
// log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|))
inline float softplus(float x) { return std::max(x, 0.0f) + log1pf(expf(-std::fabs(x))); }

struct Relu {
    static float f(float x) { return x > 0 ? x : 0.0f; }
    static float df(float x) { return x > 0 ? 1.0f : 0.0f; }
};
struct LeakyRelu {
    static float f(float x) { return x > 0 ? x : 0.01f * x; }
    static float df(float x) { return x > 0 ? 1.0f : 0.01f; }
};
struct Elu {
    static float f(float x) {
        float e = expm1f(x);
        return x > 0 ? x : e;
    }
    static float df(float x) {
        float e = expf(std::min(x, 0.0f));
        return x > 0 ? 1.0f : e;
    }
};
struct Selu {
    static float f(float x) {
        float e = selu_alpha * expm1f(x);
        return selu_lambda * (x > 0 ? x : e);
    }
    static float df(float x) {
        float e = selu_alpha * expf(std::min(x, 0.0f));
        return selu_lambda * (x > 0 ? 1.0f : e);
    }
};
struct Relu6 {
    static float f(float x) { return std::min(std::max(x, 0.0f), 6.0f); }
    static float df(float x) { return x > 0 && x < 6 ? 1.0f : 0.0f; }
};
struct Softplus {
    static float f(float x) { return softplus(x); }
    static float df(float x) { return sigmoid(x); }
};
struct Sigmoid {
    static float f(float x) { return sigmoid(x); }
    static float df(float x) {
        // s (1 - s) = e / (1 + e)^2 with e = exp(-|x|): no cancellation in either tail
        float e = expf(-std::fabs(x));
        float q = 1.0f / (1.0f + e);
        return e * q * q;
    }
};
struct Tanh {
    static float f(float x) { return tanhf(x); }
    static float df(float x) {
        float t = tanhf(x);
        return (1.0f - t) * (1.0f + t);
    }
};
struct Silu {
    static float f(float x) { return x * sigmoid(x); }
    static float df(float x) {
        float s = sigmoid(x);
        return s * (1.0f + x * (1.0f - s));
    }
};
struct Gelu {
    // x Phi(x), with Phi(x) = erfc(-x / sqrt 2) / 2: accurate in the left tail too
    static float f(float x) { return 0.5f * x * erfcf(-x * sqrt_half); }
    static float df(float x) { return 0.5f * erfcf(-x * sqrt_half) + x * inv_sqrt_2pi * expf(-0.5f * x * x); }
};
struct GeluTanh {
    // 0.5 x (1 + tanh(u)) = x sigmoid(2u): no cancellation where tanh(u) is near -1
    static float f(float x) {
        float u = sqrt_2_over_pi * (x + 0.044715f * x * x * x);
        return x * sigmoid(2.0f * u);
    }
    static float df(float x) {
        float u = sqrt_2_over_pi * (x + 0.044715f * x * x * x);
        float s = sigmoid(2.0f * u);
        float du = sqrt_2_over_pi * (1.0f + 3.0f * 0.044715f * x * x);
        return s + 2.0f * x * s * (1.0f - s) * du;
    }
};
struct Mish {
    static float f(float x) { return x * tanhf(softplus(x)); }
    static float df(float x) {
        float t = tanhf(softplus(x));
        return t + x * sigmoid(x) * (1.0f - t) * (1.0f + t);
    }
};
struct Hardswish {
    static float f(float x) { return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f; }
    static float df(float x) { return x < -3 ? 0.0f : x > 3 ? 1.0f : (2.0f * x + 3.0f) / 6.0f; }
};

template <class A>
void forward(const float* x, const float*, float* y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] = A::f(x[i]);
}

template <class A>
void backward(const float* x, const float*, const float* dy, float* dx, float*, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * A::df(x[i]);
}

void swiglu_forward(const float* a, const float* b, float* y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] = a[i] * sigmoid(a[i]) * b[i];
}

void swiglu_backward(const float* a, const float* b, const float* dy, float* da, float* db, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        float s = sigmoid(a[i]);
        float g = dy[i];  // read before writing: da or db may be dy
        da[i] = g * b[i] * s * (1.0f + a[i] * (1.0f - s));
        db[i] = g * a[i] * s;
    }
}

template <class A>
Kernel loop(const char* name) {
    return {name, "loop", forward<A>, backward<A>};
}

}  // namespace

std::vector<Kernel> HANDWRITTEN_LOOPS() {
    return {loop<Relu>("relu"),         loop<LeakyRelu>("leaky_relu"), loop<Elu>("elu"),
            loop<Selu>("selu"),         loop<Relu6>("relu6"),          loop<Softplus>("softplus"),
            loop<Sigmoid>("sigmoid"),   loop<Tanh>("tanh"),            loop<Silu>("silu"),
            loop<Gelu>("gelu"),         loop<GeluTanh>("gelu_tanh"),   loop<Mish>("mish"),
            loop<Hardswish>("hardswish"), {"swiglu", "loop", swiglu_forward, swiglu_backward}};
}

}  // namespace handwritten
