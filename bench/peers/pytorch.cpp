// Peer "pytorch": ATen's CPU kernels on at::from_blob views of the caller's buffers (a small tensor
// header per view and call), through the out= variants so that no result is allocated (except by
// mish's backward, which has no out= variant), and for backward the very calls PyTorch's autograd makes
// (derivatives.yaml). f32 and f64.
// Build: g++ -std=c++20 -O3 -march=native -isystem /usr/include/torch/csrc/api/include
//            -c pytorch.cpp; link -ltorch_cpu -lc10 (Debian's libtorch 1.13).
#include "peers.hpp"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/version.h>

#include <vector>

namespace bench {
namespace {

constexpr double selu_lambda = 1.0507009873554804934193349852946;
constexpr double selu_alpha = 1.6732632423543772848170429916717;

template <class T>
at::Tensor view(const T* p, std::size_t n) {
    const auto type = c10::CppTypeToScalarType<T>::value;
    return at::from_blob(const_cast<T*>(p), {std::int64_t(n)}, at::TensorOptions(type));
}

// Autograd saves the forward output where a backward needs it (sigmoid, tanh, swiglu's silu(a)).
// The interface gives the backward only x, so those recompute the output into this per-thread
// buffer, and their time includes that forward.
template <class T>
at::Tensor scratch(std::size_t n) {
    thread_local std::vector<T> buffer;
    if (buffer.size() < n) buffer.resize(n);
    return view(buffer.data(), n);
}

at::Tensor scratch_like(const at::Tensor& x) {
    const auto n = std::size_t(x.numel());
    return x.scalar_type() == at::kFloat ? scratch<float>(n) : scratch<double>(n);
}

// Each activation is f(y, x) and df(dx, dy, x) on tensors.
struct Relu {  // at::relu is clamp_min(x, 0); autograd's threshold_backward sees the same mask in x
    static void f(at::Tensor& y, const at::Tensor& x) { at::clamp_min_out(y, x, 0); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        at::threshold_backward_out(dx, dy, x, 0);
    }
};

struct LeakyRelu {
    static void f(at::Tensor& y, const at::Tensor& x) { at::leaky_relu_out(y, x, 0.01); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        at::leaky_relu_backward_out(dx, dy, x, 0.01, false);
    }
};

struct Elu {
    static void f(at::Tensor& y, const at::Tensor& x) { at::elu_out(y, x, 1, 1, 1); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        at::elu_backward_out(dx, dy, 1, 1, 1, false, x);
    }
};

struct Selu {  // at::selu has no out= variant; it is elu with these scales
    static void f(at::Tensor& y, const at::Tensor& x) { at::elu_out(y, x, selu_alpha, selu_lambda, 1); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        at::elu_backward_out(dx, dy, selu_alpha, selu_lambda, 1, false, x);
    }
};

struct Relu6 {
    static void f(at::Tensor& y, const at::Tensor& x) { at::hardtanh_out(y, x, 0, 6); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        at::hardtanh_backward_out(dx, dy, x, 0, 6);
    }
};

struct Softplus {  // PyTorch's default threshold: x > 20 gives x
    static void f(at::Tensor& y, const at::Tensor& x) { at::softplus_out(y, x, 1, 20); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        at::softplus_backward_out(dx, dy, x, 1, 20);
    }
};

struct Sigmoid {
    static void f(at::Tensor& y, const at::Tensor& x) { at::sigmoid_out(y, x); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        at::Tensor s = scratch_like(x);
        at::sigmoid_out(s, x);
        at::sigmoid_backward_out(dx, dy, s);
    }
};

struct Tanh {
    static void f(at::Tensor& y, const at::Tensor& x) { at::tanh_out(y, x); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        at::Tensor t = scratch_like(x);
        at::tanh_out(t, x);
        at::tanh_backward_out(dx, dy, t);
    }
};

struct Silu {
    static void f(at::Tensor& y, const at::Tensor& x) { at::silu_out(y, x); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        at::silu_backward_out(dx, dy, x);
    }
};

struct Gelu {  // for f32, ATen 1.13 hands this to oneDNN's eltwise_gelu_erf, both directions
    static void f(at::Tensor& y, const at::Tensor& x) { at::gelu_out(y, x, "none"); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        at::gelu_backward_out(dx, dy, x, "none");
    }
};

struct GeluTanh {
    static void f(at::Tensor& y, const at::Tensor& x) { at::gelu_out(y, x, "tanh"); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        at::gelu_backward_out(dx, dy, x, "tanh");
    }
};

struct Mish {  // 1.13 has no mish_backward_out: the functional form allocates, then one copy
    static void f(at::Tensor& y, const at::Tensor& x) { at::mish_out(y, x); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        dx.copy_(at::mish_backward(dy, x));
    }
};

struct Hardswish {
    static void f(at::Tensor& y, const at::Tensor& x) { at::hardswish_out(y, x); }
    static void df(at::Tensor& dx, const at::Tensor& dy, const at::Tensor& x) {
        at::hardswish_backward_out(dx, dy, x);
    }
};

// What each call opens with. InferenceMode: these are plain kernel calls, so the autograd layer is
// skipped, as by a user calling ATen outside of training. lazy_init_num_threads is what ATen's
// parallel_for runs first on a new thread, taking set_num_threads(1)'s count into its OpenMP
// setting; gelu's f32 kernels go to oneDNN (OpenMP too) before any parallel_for, so without it a
// harness thread's first gelu would run on a team of the default size.
struct Entry {
    Entry() { at::internal::lazy_init_num_threads(); }
    c10::InferenceMode guard;
};

template <class T, class A>
void forward(const T* x, const T*, T* y, std::size_t n) {
    const Entry entry;
    at::Tensor out = view(y, n);
    A::f(out, view(x, n));
}

template <class T, class A>
void backward(const T* x, const T*, const T* dy, T* dx, T*, std::size_t n) {
    const Entry entry;
    at::Tensor out = view(dx, n);
    A::df(out, view(dy, n), view(x, n));
}

// swiglu(a, b) = silu(a) * b, as a user composes it; backward as autograd runs that graph.
template <class T>
void swiglu_forward(const T* a, const T* b, T* y, std::size_t n) {
    const Entry entry;
    at::Tensor out = view(y, n);
    at::silu_out(out, view(a, n));
    out.mul_(view(b, n));
}

template <class T>
void swiglu_backward(const T* pa, const T* pb, const T* pdy, T* pda, T* pdb, std::size_t n) {
    const Entry entry;
    const at::Tensor a = view(pa, n), dy = view(pdy, n);
    at::Tensor da = view(pda, n), db = view(pdb, n), dy_b = scratch_like(a);
    at::mul_out(dy_b, dy, view(pb, n));
    at::silu_backward_out(da, dy_b, a);
    at::silu_out(db, a);
    db.mul_(dy);
}

template <class A>
PeerKernel unary(const char* name) {
    return {name, forward<float, A>, backward<float, A>, forward<double, A>, backward<double, A>};
}

}  // namespace

Peer pytorch_peer() {
    at::set_num_threads(1);  // for every thread, through Entry
    return {"pytorch",
            TORCH_VERSION,
            "ATen out= kernels on from_blob views, InferenceMode, 1 thread; f32 gelu calls oneDNN",
            {unary<Relu>("relu"), unary<LeakyRelu>("leaky_relu"), unary<Elu>("elu"), unary<Selu>("selu"),
             unary<Relu6>("relu6"), unary<Softplus>("softplus"), unary<Sigmoid>("sigmoid"),
             unary<Tanh>("tanh"), unary<Silu>("silu"), unary<Gelu>("gelu"), unary<GeluTanh>("gelu_tanh"),
             unary<Mish>("mish"), unary<Hardswish>("hardswish"),
             {"swiglu", swiglu_forward<float>, swiglu_backward<float>, swiglu_forward<double>,
              swiglu_backward<double>}}};
}

}  // namespace bench
