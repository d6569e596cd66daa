// actjit_bench: actjit's kernels (accurate and fast f32, and f64) side by side with the
// peers of bench/peers and the memory limit (memory.hpp), registered as Google
// Benchmark cases and run interleaved in one process (tools/bench/report.py passes
// --benchmark_enable_random_interleaving and the repetitions). Case names are
//   DTYPE/ACTIVATION/DIRECTION/N/THREADS/IMPLEMENTATION   and   memory/LOOP/N/THREADS.
// Peers run single-threaded inside; with 2 threads every implementation but actjit gets
// one contiguous half per thread from the bench (actjit's own runtime splits its arrays).
//   actjit_bench --accuracy=FILE   writes every implementation's accuracy (accuracy.hpp)
//                                  as JSON lines instead of timing.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "accuracy.hpp"
#include "compiler/llvm/target.hpp"
#include "memory.hpp"
#include "peers/peers.hpp"
#include "runtime/actjit.hpp"
#include "runtime/thread_pool.hpp"

namespace {

const std::vector<std::string> activations = {"relu",    "leaky_relu", "elu",  "selu",      "relu6",
                                              "softplus", "sigmoid",   "tanh", "silu",      "gelu",
                                              "gelu_tanh", "mish",     "hardswish", "swiglu"};
const std::vector<int64_t> sizes = {4096, 262144, 16777216};
// f64 is measured for these, at 262144 elements, one thread.
const std::set<std::string> f64_subset = {"elu", "sigmoid", "tanh", "silu", "gelu", "mish"};
// The standard library, and tanh (a builtin, not a definition there) under a name.
std::string definitions() {
    std::ifstream in(std::string(ACTJIT_SOURCE_DIR) + "/examples/activations.act", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text + "\nhyperbolic_tangent(x) = tanh(x)\n";
}
std::string definition_of(const std::string& activation) {
    return activation == "tanh" ? "hyperbolic_tangent" : activation;
}

actjit::CompileOptions options(actjit::DType dtype, actjit::Precision precision) {
    actjit::CompileOptions o;
    o.dtype = dtype;
    o.precision = precision;
    return o;
}

// 64-byte aligned arrays, so that every implementation sees the same alignment.
template <typename T>
struct Array {
    std::unique_ptr<T[], void (*)(void*)> data{nullptr, std::free};
    explicit Array(size_t n) : data(static_cast<T*>(std::aligned_alloc(64, (n * sizeof(T) + 63) / 64 * 64)), std::free) {}
    T* get() const { return data.get(); }
};

template <typename T>
struct Buffers {
    size_t n;
    Array<T> x, x2, dy, y, dx, dx2;
    explicit Buffers(size_t size) : n(size), x(size), x2(size), dy(size), y(size), dx(size), dx2(size) {
        std::mt19937_64 random(1);
        std::uniform_real_distribution<double> a(-8, 8), b(-4, 4), d(0.5, 2);
        for (size_t i = 0; i < n; ++i) {
            x.get()[i] = static_cast<T>(a(random));
            x2.get()[i] = static_cast<T>(b(random));
            dy.get()[i] = static_cast<T>(d(random));
        }
    }
};

template <typename T>
Buffers<T>& buffers() {
    static Buffers<T> b(static_cast<size_t>(sizes.back()));
    return b;
}

// Runs f(first, count) on `threads` contiguous parts of [0, n) (multiples of 1024).
void split(int64_t n, int threads, const std::function<void(int64_t, int64_t)>& f) {
    if (threads <= 1) return f(0, n);
    int64_t part = (n / threads + 1023) / 1024 * 1024;
    actjit::runtime::ThreadPool::instance().run(threads, [&](int w) {
        int64_t first = w * part, count = std::min(part, n - first);
        if (count > 0) f(first, count);
    });
}

// One implementation of one activation in one direction and dtype: run(n, threads).
using Run = std::function<void(int64_t, int)>;

struct Implementation {
    std::string name;
    std::map<std::string, std::pair<Run, Run>> f32, f64;  // activation -> (forward, backward)
};

template <typename T, typename Fwd, typename Bwd>
std::pair<Run, Run> peer_runs(Fwd forward, Bwd backward) {
    Run f, b;
    if (forward)
        f = [forward](int64_t n, int threads) {
            Buffers<T>& d = buffers<T>();
            split(n, threads, [&](int64_t i, int64_t m) {
                forward(d.x.get() + i, d.x2.get() + i, d.y.get() + i, static_cast<size_t>(m));
            });
        };
    if (backward)
        b = [backward](int64_t n, int threads) {
            Buffers<T>& d = buffers<T>();
            split(n, threads, [&](int64_t i, int64_t m) {
                backward(d.x.get() + i, d.x2.get() + i, d.dy.get() + i, d.dx.get() + i, d.dx2.get() + i,
                         static_cast<size_t>(m));
            });
        };
    return {f, b};
}

Implementation from_peer(const bench::Peer& peer) {
    Implementation impl{peer.name, {}, {}};
    for (const bench::PeerKernel& k : peer.kernels) {
        if (k.forward32 || k.backward32) impl.f32[k.activation] = peer_runs<float>(k.forward32, k.backward32);
        if (k.forward64 || k.backward64) impl.f64[k.activation] = peer_runs<double>(k.forward64, k.backward64);
    }
    return impl;
}

template <typename T>
std::pair<Run, Run> actjit_runs(actjit::Kernel k) {
    Run f = [k](int64_t n, int threads) {
        Buffers<T>& d = buffers<T>();
        const T* xs[] = {d.x.get(), d.x2.get()};
        k.forward(std::span<const T* const>(xs, k.inputs().size()), d.y.get(), n, {}, 0, threads);
    };
    Run b = [k](int64_t n, int threads) {
        Buffers<T>& d = buffers<T>();
        const T* xs[] = {d.x.get(), d.x2.get()};
        T* dxs[] = {d.dx.get(), d.dx2.get()};
        size_t inputs = k.inputs().size();
        k.backward(std::span<const T* const>(xs, inputs), d.dy.get(), std::span<T* const>(dxs, inputs), n, {}, 0, threads);
    };
    return {f, b};
}

std::vector<Implementation> implementations() {
    std::vector<Implementation> all;
    actjit::Library library = actjit::Library::from_string(definitions(), "examples/activations.act");
    Implementation accurate{"actjit", {}, {}}, fast{"actjit-fast", {}, {}};
    for (const std::string& a : activations) {
        std::string d = definition_of(a);
        accurate.f32[a] = actjit_runs<float>(library.compile(d, options(actjit::DType::f32, actjit::Precision::accurate)));
        fast.f32[a] = actjit_runs<float>(library.compile(d, options(actjit::DType::f32, actjit::Precision::fast)));
        accurate.f64[a] = actjit_runs<double>(library.compile(d, options(actjit::DType::f64, actjit::Precision::accurate)));
    }
    actjit::finish_compiling();  // time the optimized kernels, not the tiered first ones
    all.push_back(std::move(accurate));
    all.push_back(std::move(fast));
    std::vector<bench::Peer> peers = {bench::std_peer(), bench::libmvec_peer(), bench::eigen_peer(),
                                      bench::onednn_peer(), bench::sleef_peer()};
#ifdef ACTJIT_BENCH_TORCH
    peers.push_back(bench::pytorch_peer());
#endif
    for (const bench::Peer& p : peers) {
        benchmark::AddCustomContext("peer " + p.name, p.version + "; " + p.note);
        all.push_back(from_peer(p));
    }
#ifndef ACTJIT_BENCH_TORCH
    benchmark::AddCustomContext("peer pytorch", "absent: libtorch-dev was not found when bench/ was configured");
#endif
    return all;
}

void register_kernels(const std::vector<Implementation>& all) {
    auto add = [](const std::string& name, Run run, int64_t n, int threads, double bytes) {
        benchmark::RegisterBenchmark(name.c_str(), [run, n, threads, bytes](benchmark::State& state) {
            for (auto _ : state) run(n, threads);
            state.SetItemsProcessed(state.iterations() * n);
            state.SetBytesProcessed(static_cast<int64_t>(static_cast<double>(state.iterations() * n) * bytes));
        })->UseRealTime();
    };
    for (const std::string& a : activations) {
        double inputs = a == "swiglu" ? 2 : 1;
        for (int64_t n : sizes)
            for (int threads : {1, 2})
                for (const Implementation& impl : all) {
                    auto it = impl.f32.find(a);
                    if (it == impl.f32.end()) continue;
                    std::string base = fmt::format("f32/{}/", a), tail = fmt::format("/{}/{}/{}", n, threads, impl.name);
                    if (it->second.first) add(base + "forward" + tail, it->second.first, n, threads, 4 * (inputs + 1));
                    if (it->second.second) add(base + "backward" + tail, it->second.second, n, threads, 4 * (2 * inputs + 1));
                }
        if (!f64_subset.count(a)) continue;
        for (const Implementation& impl : all) {
            auto it = impl.f64.find(a);
            if (it == impl.f64.end()) continue;
            std::string base = fmt::format("f64/{}/", a), tail = fmt::format("/262144/1/{}", impl.name);
            if (it->second.first) add(base + "forward" + tail, it->second.first, 262144, 1, 8 * (inputs + 1));
            if (it->second.second) add(base + "backward" + tail, it->second.second, 262144, 1, 8 * (2 * inputs + 1));
        }
    }
}

void register_memory() {
    struct Loop {
        const char* name;
        int arrays;  // read + written
        std::function<void(int64_t, int64_t)> run;
    };
    Buffers<float>& d = buffers<float>();
    std::vector<Loop> loops = {
        {"copy/plain", 2, [&d](int64_t i, int64_t m) { bench::copy_plain(d.x.get() + i, d.y.get() + i, static_cast<size_t>(m)); }},
        {"copy/streaming", 2, [&d](int64_t i, int64_t m) { bench::copy_streaming(d.x.get() + i, d.y.get() + i, static_cast<size_t>(m)); }},
        {"read2write1/plain", 3, [&d](int64_t i, int64_t m) {
             bench::add_plain(d.x.get() + i, d.x2.get() + i, d.y.get() + i, static_cast<size_t>(m));
         }},
        {"read2write1/streaming", 3, [&d](int64_t i, int64_t m) {
             bench::add_streaming(d.x.get() + i, d.x2.get() + i, d.y.get() + i, static_cast<size_t>(m));
         }},
    };
    // The sizes of the kernels, and more between, to find where streaming starts to pay.
    std::vector<int64_t> memory_sizes = {4096, 65536, 262144, 1 << 20, 1 << 21, 1 << 22, 1 << 23, 16777216};
    for (const Loop& loop : loops)
        for (int64_t n : memory_sizes)
            for (int threads : {1, 2}) {
                auto run = loop.run;
                int arrays = loop.arrays;
                benchmark::RegisterBenchmark(fmt::format("memory/{}/{}/{}", loop.name, n, threads).c_str(),
                                             [run, n, threads, arrays](benchmark::State& state) {
                                                 for (auto _ : state) split(n, threads, run);
                                                 state.SetItemsProcessed(state.iterations() * n);
                                                 state.SetBytesProcessed(state.iterations() * n * 4 * arrays);
                                             })
                    ->UseRealTime();
            }
}

// ---- accuracy ------------------------------------------------------------------------

template <typename T>
void accuracy_of(std::FILE* out, const std::string& a, const std::string& impl, const std::pair<Run, Run>& runs,
                 const bench::Points& p) {
    Buffers<T>& d = buffers<T>();
    auto n = static_cast<int64_t>(p.x.size());
    for (int64_t i = 0; i < n; ++i) {
        d.x.get()[i] = static_cast<T>(p.x[static_cast<size_t>(i)]);
        d.x2.get()[i] = static_cast<T>(p.x2[static_cast<size_t>(i)]);
        d.dy.get()[i] = T(1);
    }
    const char* dtype = sizeof(T) == 4 ? "f32" : "f64";
    auto report = [&](const char* direction, const bench::Accuracy& r) {
        fmt::print(out,
                   "{{\"activation\": \"{}\", \"implementation\": \"{}\", \"dtype\": \"{}\", \"direction\": \"{}\", "
                   "\"worst_ulp\": {:.6g}, \"at\": {:.9g}, \"median_ulp\": {:.4g}, \"nonfinite\": {}}}\n",
                   a, impl, dtype, direction, r.worst_ulp, r.at, r.median_ulp, r.nonfinite);
    };
    if (runs.first) {
        runs.first(n, 1);
        report("forward", bench::measure(std::vector<T>(d.y.get(), d.y.get() + n), p.value, p.x));
    }
    if (runs.second) {
        runs.second(n, 1);
        bench::Accuracy worst = bench::measure(std::vector<T>(d.dx.get(), d.dx.get() + n), p.slopes[0], p.x);
        if (p.slopes.size() > 1) {  // swiglu: the worse of d/da and d/db
            bench::Accuracy db = bench::measure(std::vector<T>(d.dx2.get(), d.dx2.get() + n), p.slopes[1], p.x);
            if (db.worst_ulp > worst.worst_ulp) worst = db;
        }
        report("backward", worst);
    }
}

int write_accuracy(const std::string& path, const std::vector<Implementation>& all) {
    std::FILE* out = std::fopen(path.c_str(), "w");
    if (!out) {
        fmt::print(stderr, "actjit_bench: cannot write {}\n", path);
        return 1;
    }
    for (const std::string& a : activations) {
        fmt::print(stderr, "accuracy: {} (exact values at 1024 bits)\n", a);
        bench::Points p = bench::exact_points(definitions(), definition_of(a));
        for (const Implementation& impl : all) {
            if (auto it = impl.f32.find(a); it != impl.f32.end()) accuracy_of<float>(out, a, impl.name, it->second, p);
            if (auto it = impl.f64.find(a); it != impl.f64.end()) accuracy_of<double>(out, a, impl.name, it->second, p);
        }
    }
    std::fclose(out);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string accuracy;
    std::vector<char*> rest;
    for (int i = 0; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--accuracy=", 0) == 0) accuracy = arg.substr(11);
        else rest.push_back(argv[i]);
    }
    actjit::jit::Target target = actjit::jit::choose_target("");
    benchmark::AddCustomContext("actjit cpu", fmt::format("{} ({} f32 lanes)", target.cpu, target.lanes(true)));
    std::vector<Implementation> all = implementations();
    if (!accuracy.empty()) return write_accuracy(accuracy, all);
    int count = static_cast<int>(rest.size());
    benchmark::Initialize(&count, rest.data());
    register_memory();
    register_kernels(all);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
