// Peer "eigen": Eigen 3.4 array expressions over Maps of the caller's buffers, written the way a
// user writes them (select() for branches), one template for f32 and f64.
// Build: g++ -std=c++20 -O3 -march=native -isystem /usr/include/eigen3 -c eigen.cpp (header-only).
#include "peers.hpp"

// GCC 12 warns inside its own AVX-512 intrinsics (_mm512_undefined_ps, GCC PR 105593) once
// Eigen's packets are inlined here; the pragma has to cover the file, where they are inlined.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>  // ArrayBase::erf()

#include <cmath>

namespace bench {
namespace {

template <class T>
using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
template <class T>
using In = Eigen::Map<const Array<T>>;
template <class T>
using Out = Eigen::Map<Array<T>>;

template <class T>
constexpr T selu_lambda = T(1.0507009873554804934193349852946L);
template <class T>
constexpr T selu_alpha = T(1.6732632423543772848170429916717L);
template <class T>
constexpr T sqrt_2_over_pi = T(0.79788456080286535587989211986876L);
template <class T>
constexpr T inv_sqrt_2pi = T(0.39894228040143267793994605993438L);

// Each activation is f(x, y) and df(x, dy, dx). A backward that needs one value twice (the
// sigmoid, the tanh) first stores it in dx and then overwrites dx: a named temporary Array
// would allocate on every call, and an unnamed subexpression would be evaluated twice.
template <class T>
struct Relu {
    static void f(In<T> x, Out<T> y) { y = x.cwiseMax(T(0)); }
    static void df(In<T> x, In<T> dy, Out<T> dx) { dx = (x > T(0)).select(dy, T(0)); }
};

template <class T>
struct LeakyRelu {
    static void f(In<T> x, Out<T> y) { y = x.cwiseMax(T(0.01) * x); }
    static void df(In<T> x, In<T> dy, Out<T> dx) { dx = (x > T(0)).select(dy, T(0.01) * dy); }
};

template <class T>
struct Elu {
    static void f(In<T> x, Out<T> y) { y = (x > T(0)).select(x, x.expm1()); }
    static void df(In<T> x, In<T> dy, Out<T> dx) { dx = (x > T(0)).select(dy, dy * x.exp()); }
};

template <class T>
struct Selu {
    static void f(In<T> x, Out<T> y) { y = selu_lambda<T> * (x > T(0)).select(x, selu_alpha<T> * x.expm1()); }
    static void df(In<T> x, In<T> dy, Out<T> dx) {
        dx = selu_lambda<T> * (x > T(0)).select(dy, selu_alpha<T> * dy * x.exp());
    }
};

template <class T>
struct Relu6 {
    static void f(In<T> x, Out<T> y) { y = x.cwiseMax(T(0)).cwiseMin(T(6)); }
    static void df(In<T> x, In<T> dy, Out<T> dx) { dx = (x > T(0) && x < T(6)).select(dy, T(0)); }
};

template <class T>
struct Softplus {
    static void f(In<T> x, Out<T> y) { y = x.exp().log1p(); }
    static void df(In<T> x, In<T> dy, Out<T> dx) { dx = dy * x.logistic(); }
};

template <class T>
struct Sigmoid {
    static void f(In<T> x, Out<T> y) { y = x.logistic(); }
    static void df(In<T> x, In<T> dy, Out<T> dx) {
        dx = x.logistic();
        dx = dy * dx * (T(1) - dx);
    }
};

template <class T>
struct Tanh {
    static void f(In<T> x, Out<T> y) { y = x.tanh(); }
    static void df(In<T> x, In<T> dy, Out<T> dx) {
        dx = x.tanh();
        dx = dy * (T(1) - dx.square());
    }
};

template <class T>
struct Silu {
    static void f(In<T> x, Out<T> y) { y = x * x.logistic(); }
    static void df(In<T> x, In<T> dy, Out<T> dx) {
        dx = x.logistic();
        dx = dy * dx * (T(1) + x * (T(1) - dx));
    }
};

template <class T>
struct Gelu {
    static void f(In<T> x, Out<T> y) { y = T(0.5) * x * (T(1) + (x * T(M_SQRT1_2)).erf()); }
    static void df(In<T> x, In<T> dy, Out<T> dx) {
        dx = dy * (T(0.5) * (T(1) + (x * T(M_SQRT1_2)).erf()) +
                   x * inv_sqrt_2pi<T> * (T(-0.5) * x.square()).exp());
    }
};

template <class T>
struct GeluTanh {
    static void f(In<T> x, Out<T> y) {
        y = T(0.5) * x * (T(1) + (sqrt_2_over_pi<T> * (x + T(0.044715) * x.cube())).tanh());
    }
    static void df(In<T> x, In<T> dy, Out<T> dx) {
        dx = (sqrt_2_over_pi<T> * (x + T(0.044715) * x.cube())).tanh();
        const auto du = sqrt_2_over_pi<T> * (T(1) + T(3 * 0.044715) * x.square());
        dx = dy * (T(0.5) * (T(1) + dx) + T(0.5) * x * (T(1) - dx.square()) * du);
    }
};

template <class T>
struct Mish {
    static void f(In<T> x, Out<T> y) { y = x * x.exp().log1p().tanh(); }
    static void df(In<T> x, In<T> dy, Out<T> dx) {
        dx = x.exp().log1p().tanh();
        dx = dy * (dx + x * x.logistic() * (T(1) - dx.square()));
    }
};

template <class T>
struct Hardswish {
    static void f(In<T> x, Out<T> y) { y = x * (x + T(3)).cwiseMax(T(0)).cwiseMin(T(6)) / T(6); }
    static void df(In<T> x, In<T> dy, Out<T> dx) {
        dx = (x < T(-3)).select(T(0), (x > T(3)).select(dy, dy * (T(2) * x + T(3)) / T(6)));
    }
};

template <class T, class A>
void forward(const T* x, const T*, T* y, std::size_t n) {
    const auto m = Eigen::Index(n);
    A::f(In<T>(x, m), Out<T>(y, m));
}

template <class T, class A>
void backward(const T* x, const T*, const T* dy, T* dx, T*, std::size_t n) {
    const auto m = Eigen::Index(n);
    A::df(In<T>(x, m), In<T>(dy, m), Out<T>(dx, m));
}

template <class T>
void swiglu_forward(const T* pa, const T* pb, T* py, std::size_t n) {
    const auto m = Eigen::Index(n);
    const In<T> a(pa, m), b(pb, m);
    Out<T>(py, m) = a * a.logistic() * b;
}

template <class T>
void swiglu_backward(const T* pa, const T* pb, const T* pdy, T* pda, T* pdb, std::size_t n) {
    const auto m = Eigen::Index(n);
    const In<T> a(pa, m), b(pb, m), dy(pdy, m);
    Out<T> da(pda, m), db(pdb, m);
    da = a.logistic();
    db = dy * a * da;
    da = dy * b * da * (T(1) + a * (T(1) - da));
}

template <template <class> class A>
PeerKernel unary(const char* name) {
    return {name, forward<float, A<float>>, backward<float, A<float>>, forward<double, A<double>>,
            backward<double, A<double>>};
}

}  // namespace

Peer eigen_peer() {
    return {"eigen",
            std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
                std::to_string(EIGEN_MINOR_VERSION),
            std::string("array expressions, -O3 -march=native, SIMD ") + Eigen::SimdInstructionSetsInUse(),
            {unary<Relu>("relu"), unary<LeakyRelu>("leaky_relu"), unary<Elu>("elu"), unary<Selu>("selu"),
             unary<Relu6>("relu6"), unary<Softplus>("softplus"), unary<Sigmoid>("sigmoid"),
             unary<Tanh>("tanh"), unary<Silu>("silu"), unary<Gelu>("gelu"), unary<GeluTanh>("gelu_tanh"),
             unary<Mish>("mish"), unary<Hardswish>("hardswish"),
             {"swiglu", swiglu_forward<float>, swiglu_backward<float>, swiglu_forward<double>,
              swiglu_backward<double>}}};
}

}  // namespace bench
