// Peer "onednn": oneDNN eltwise primitives (C++ API), forward and backward, f32 only (oneDNN's CPU
// eltwise has no f64). Primitives are made for one length n, so each calling thread keeps its own
// primitives, memory objects and stream per (activation, direction, n).
// Build: g++ -std=c++20 -O3 -march=native -c onednn.cpp; link -ldnnl -fopenmp (Debian's oneDNN
// runs on OpenMP, and the peer calls omp_set_num_threads).
#include "peers.hpp"

#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bench {
namespace {

using dnnl::algorithm;

struct Eltwise {
    const char* name;
    algorithm alg;
    float alpha = 0;
    float beta = 0;
};

// oneDNN 2.6's conventions: soft_relu and hardswish take no parameters (they are exactly
// log(1 + exp(x)) and x * relu6(x + 3) / 6); clip_v2's backward is 0 at both bounds. selu is
// absent: elu with an eltwise_linear post-op is accepted, but only by the reference ("ref:any")
// implementation, and the backward takes no post-ops at all.
constexpr Eltwise eltwises[] = {
    {"relu", algorithm::eltwise_relu},
    {"leaky_relu", algorithm::eltwise_relu, 0.01f},
    {"elu", algorithm::eltwise_elu, 1},
    {"relu6", algorithm::eltwise_clip_v2, 0, 6},
    {"softplus", algorithm::eltwise_soft_relu},
    {"sigmoid", algorithm::eltwise_logistic},
    {"tanh", algorithm::eltwise_tanh},
    {"silu", algorithm::eltwise_swish, 1},
    {"gelu", algorithm::eltwise_gelu_erf},
    {"gelu_tanh", algorithm::eltwise_gelu_tanh},
    {"mish", algorithm::eltwise_mish},
    {"hardswish", algorithm::eltwise_hardswish},
};
constexpr std::size_t eltwise_count = std::size(eltwises);

const dnnl::engine& engine() {
    static const dnnl::engine e(dnnl::engine::kind::cpu, 0);
    return e;
}

dnnl::memory::desc desc(std::size_t n) {
    return {{dnnl::memory::dim(n)}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::a};
}

dnnl::eltwise_forward::primitive_desc forward_pd(const Eltwise& e, std::size_t n) {
    // forward_training, since a backward primitive needs a training forward as its hint.
    return {{dnnl::prop_kind::forward_training, e.alg, desc(n), e.alpha, e.beta}, engine()};
}

// One executable primitive with its memory objects, which wrap the caller's pointers anew on each
// call. Running goes through the C API: the C++ execute() builds a std::unordered_map per call.
struct Prepared {
    dnnl::primitive primitive;
    std::vector<dnnl::memory> memories;
    std::vector<dnnl_exec_arg_t> args;

    Prepared(dnnl::primitive p, std::initializer_list<std::pair<int, dnnl::memory::desc>> slots)
        : primitive(std::move(p)) {
        for (const auto& [arg, md] : slots) {
            memories.emplace_back(md, engine(), nullptr);
            args.push_back({arg, memories.back().get()});
        }
    }

    void run(const dnnl::stream& s, std::initializer_list<const void*> pointers) {
        std::size_t k = 0;
        for (const void* p : pointers) memories[k++].set_data_handle(const_cast<void*>(p));
        const auto status = dnnl_primitive_execute(primitive.get(), s.get(), int(args.size()), args.data());
        dnnl::error::wrap_c_api(status, "could not execute an eltwise primitive");
    }
};

Prepared prepare(const Eltwise& e, bool backward, std::size_t n) {
    const auto md = desc(n);
    const auto fwd = forward_pd(e, n);
    if (!backward) return {dnnl::eltwise_forward(fwd), {{DNNL_ARG_SRC, md}, {DNNL_ARG_DST, md}}};
    const dnnl::eltwise_backward::primitive_desc bwd({e.alg, md, md, e.alpha, e.beta}, engine(), fwd);
    return {dnnl::eltwise_backward(bwd),
            {{DNNL_ARG_SRC, md}, {DNNL_ARG_DIFF_DST, md}, {DNNL_ARG_DIFF_SRC, md}}};
}

// oneDNN sizes its OpenMP team by the calling thread's omp_get_max_threads(); setting it to 1
// keeps each call on its caller's thread (the harness splits arrays among its own threads).
dnnl::stream single_threaded_stream() {
    omp_set_num_threads(1);
    return dnnl::stream(engine());
}

// Everything one calling thread has made, so that threads share nothing and take no lock.
struct ThreadState {
    dnnl::stream stream = single_threaded_stream();
    std::unordered_map<std::uint64_t, Prepared> prepared;

    Prepared& get(std::size_t kernel, bool backward, std::size_t n) {
        const std::uint64_t key = (std::uint64_t(n) * eltwise_count + kernel) * 2 + backward;
        if (auto it = prepared.find(key); it != prepared.end()) return it->second;
        return prepared.emplace(key, prepare(eltwises[kernel], backward, n)).first->second;
    }
};

ThreadState& thread_state() {
    thread_local ThreadState state;
    return state;
}

template <std::size_t K>
void forward(const float* x, const float*, float* y, std::size_t n) {
    if (n == 0) return;
    ThreadState& t = thread_state();
    t.get(K, false, n).run(t.stream, {x, y});
    t.stream.wait();
}

template <std::size_t K>
void backward(const float* x, const float*, const float* dy, float* dx, float*, std::size_t n) {
    if (n == 0) return;
    ThreadState& t = thread_state();
    t.get(K, true, n).run(t.stream, {x, dy, dx});
    t.stream.wait();
}

const char* isa_name(dnnl_cpu_isa_t isa) {
    switch (isa) {
        case dnnl_cpu_isa_sse41: return "sse41";
        case dnnl_cpu_isa_avx: return "avx";
        case dnnl_cpu_isa_avx2: return "avx2";
        case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
        case dnnl_cpu_isa_avx512_core: return "avx512_core";
        case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
        case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
        case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
        default: return "other";
    }
}

template <std::size_t... K>
std::vector<PeerKernel> kernels(std::index_sequence<K...>) {
    return {PeerKernel{eltwises[K].name, forward<K>, backward<K>, nullptr, nullptr}...};
}

}  // namespace

Peer onednn_peer() {
    const dnnl_version_t* v = dnnl_version();
    // The ISA the library allows itself, and the implementation it picks for an eltwise here.
    const std::string impl = forward_pd({"sigmoid", algorithm::eltwise_logistic}, 1 << 20).impl_info_str();
    return {"onednn",
            std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch),
            std::string("eltwise primitives, OpenMP runtime at 1 thread per caller, max ISA ") +
                isa_name(dnnl_get_effective_cpu_isa()) + ", implementation " + impl,
            kernels(std::make_index_sequence<eltwise_count>())};
}

}  // namespace bench
