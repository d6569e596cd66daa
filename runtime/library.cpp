// The C++ API (actjit.hpp): a Library is a checked, lowered file; compile() takes a
// definition's kernel graphs (gradient()) to the JIT (compiler/llvm/kernels.hpp);
// a Kernel calls the `_packed` entry points over chunks of the arrays.
#include "actjit.hpp"

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "compiler/check.hpp"
#include "compiler/error.hpp"
#include "compiler/gradient.hpp"
#include "compiler/llvm/error.hpp"
#include "compiler/llvm/kernels.hpp"
#include "compiler/lower.hpp"
#include "grammar/parse.hpp"
#include "grammar/read.hpp"
#include "thread_pool.hpp"

namespace actjit {

struct Library::Impl {
    SourceFile file;
    Diagnostics diagnostics;
    ParsedFile parsed;
    Module module;
    Program program;
    std::mutex mutex;  // gradient() adds nodes to the program's graph

    explicit Impl(SourceFile f) : file(std::move(f)) {}
};

struct Kernel::Impl {
    std::string name;
    DType dtype;
    int lanes;
    std::vector<std::string> inputs, parameters, learned;
    std::vector<std::optional<double>> defaults;
    std::shared_ptr<jit::LinkedKernels> code;
    // The parameters' defaults in the kernels' type, when every parameter has one: a
    // call that gives no parameter uses them as they are.
    std::optional<std::vector<float>> defaults32;
    std::optional<std::vector<double>> defaults64;
};

namespace {

using Packed = void (*)(void* const* arrays, int64_t n, const void* params, uint64_t seed, int64_t first);

// A parameter gradient's partial sums are per chunk of this many elements, in chunk
// order: fixed, so the sums (and their order) do not depend on the number of threads.
constexpr int64_t chunk = 1 << 16;
// Below this many elements per thread, fewer threads: a chosen value, not a tuned one
// (waking a worker costs microseconds; docs/BENCHMARKS.md's 2-thread tables at 4,096 and
// 262,144 elements show its effect, not a sweep of it).
constexpr int64_t min_per_thread = 1 << 15;

template <typename T>
std::vector<T> rounded(const std::vector<double>& values) {
    return std::vector<T>(values.begin(), values.end());
}

// A few values on the stack (a call's array pointers), more on the heap: a short call
// allocates nothing.
template <typename T, size_t N = 16>
class Small {
public:
    explicit Small(size_t n) : n_(n) {
        if (n > N) heap_.resize(n);
    }
    T* data() { return n_ > N ? heap_.data() : fixed_; }
    T& operator[](size_t i) { return data()[i]; }
    size_t size() const { return n_; }

private:
    size_t n_;
    T fixed_[N] = {};
    std::vector<T> heap_;
};

void check_arrays(Small<std::pair<const void*, bool>>& arrays, int64_t n, size_t element) {
    if (n < 0) throw Error(fmt::format("n is {}: it must not be negative", n));
    if (n == 0) return;
    auto bytes = static_cast<uintptr_t>(n) * element;
    for (size_t i = 0; i < arrays.size(); ++i) {
        if (!arrays[i].first) throw Error(fmt::format("array {} is null, with n = {}", i + 1, n));
        for (size_t j = 0; j < i; ++j) {
            auto a = reinterpret_cast<uintptr_t>(arrays[i].first), b = reinterpret_cast<uintptr_t>(arrays[j].first);
            bool overlap = a < b + bytes && b < a + bytes;
            bool an_output = arrays[i].second || arrays[j].second;
            if (!overlap || !an_output) continue;
            // The same array as input and output is allowed (in place); partial overlap,
            // or two outputs in one array, is not.
            if (a != b || (arrays[i].second && arrays[j].second))
                throw Error(fmt::format("arrays {} and {} overlap{}", j + 1, i + 1,
                                        a == b ? " (two outputs in one array)" : " partially"));
        }
    }
}

// The parameter values a call runs with, in T: the cached defaults when none is given.
template <typename T>
struct Values {
    std::vector<T> own;
    const std::vector<T>* cached = nullptr;
    const std::vector<T>& get() const { return cached ? *cached : own; }
};

int workers_for(int64_t n, int threads) {
    return static_cast<int>(std::clamp<int64_t>(n / min_per_thread, 1, std::max(threads, 1)));
}

// Runs `body(first, count)` over [0, n) in one contiguous block per worker (a multiple
// of 1024 elements, so that blocks start on cache lines when the arrays do): long
// blocks let each call stream its stores (codegen.hpp).
template <typename Body>
void in_blocks(int64_t n, int threads, Body body) {
    int workers = workers_for(n, threads);
    if (workers == 1) return body(0, n);
    int64_t block = (n / workers + 1023) / 1024 * 1024;
    runtime::ThreadPool::instance().run(workers, [&](int w) {
        int64_t first = w * block, count = std::min(block, n - first);
        if (count > 0) body(first, count);
    });
}

// Runs `body(c)` for every chunk c of [0, n), the chunks dealt round-robin to the workers.
template <typename Body>
void in_chunks(int64_t n, int threads, Body body) {
    int64_t chunks = (n + chunk - 1) / chunk;
    int workers = workers_for(n, threads);
    if (workers == 1) {
        for (int64_t c = 0; c < chunks; ++c) body(c);
        return;
    }
    runtime::ThreadPool::instance().run(workers, [&](int w) {
        for (int64_t c = w; c < chunks; c += workers) body(c);
    });
}

template <typename T>
void run_forward(const Kernel::Impl& k, std::span<const T* const> xs, T* y, int64_t n, const std::vector<T>& p,
                 uint64_t seed, int threads) {
    if (xs.size() != k.inputs.size())
        throw Error(fmt::format("'{}' takes {} input{}, not {}", k.name, k.inputs.size(),
                                k.inputs.size() == 1 ? "" : "s", xs.size()));
    Small<std::pair<const void*, bool>> arrays(xs.size() + 1);
    for (size_t j = 0; j < xs.size(); ++j) arrays[j] = {xs[j], false};
    arrays[xs.size()] = {y, true};
    check_arrays(arrays, n, sizeof(T));
    auto packed = reinterpret_cast<Packed>(k.code->forward_packed.load());
    in_blocks(n, threads, [&](int64_t first, int64_t count) {
        Small<void*> pointers(xs.size() + 1);
        for (size_t j = 0; j < xs.size(); ++j) pointers[j] = const_cast<T*>(xs[j]) + first;
        pointers[xs.size()] = y + first;
        packed(pointers.data(), count, p.data(), seed, first);
    });
}

template <typename T>
std::vector<double> run_backward(const Kernel::Impl& k, std::span<const T* const> xs, const T* dy,
                                 std::span<T* const> dxs, int64_t n, const std::vector<T>& p, uint64_t seed,
                                 int threads) {
    if (xs.size() != k.inputs.size() || dxs.size() != k.inputs.size())
        throw Error(fmt::format("'{}' takes {} input{} and as many input gradients, not {} and {}", k.name,
                                k.inputs.size(), k.inputs.size() == 1 ? "" : "s", xs.size(), dxs.size()));
    size_t m = xs.size();
    Small<std::pair<const void*, bool>> arrays(2 * m + 1);
    for (size_t j = 0; j < m; ++j) arrays[j] = {xs[j], false};
    arrays[m] = {dy, false};
    for (size_t j = 0; j < m; ++j) arrays[m + 1 + j] = {dxs[j], true};
    check_arrays(arrays, n, sizeof(T));
    auto packed = reinterpret_cast<Packed>(k.code->backward_packed.load());
    size_t learned = k.learned.size();
    auto point = [&](Small<void*>& pointers, int64_t first) {
        for (size_t j = 0; j < m; ++j) pointers[j] = const_cast<T*>(xs[j]) + first;
        pointers[m] = const_cast<T*>(dy) + first;
        for (size_t j = 0; j < m; ++j) pointers[m + 1 + j] = dxs[j] + first;
    };
    if (learned == 0) {  // no sums to keep in order: one block per worker
        in_blocks(n, threads, [&](int64_t first, int64_t count) {
            Small<void*> pointers(2 * m + 2);
            point(pointers, first);
            T unused = 0;
            pointers[2 * m + 1] = &unused;
            packed(pointers.data(), count, p.data(), seed, first);
        });
        return {};
    }
    int64_t chunks = (n + chunk - 1) / chunk;
    // Each chunk's parameter gradients apart, summed in chunk order at the end.
    std::vector<T> partial(static_cast<size_t>(chunks) * std::max<size_t>(learned, 1), T(-0.0));
    in_chunks(n, threads, [&](int64_t c) {
        int64_t first = c * chunk, count = std::min(chunk, n - first);
        Small<void*> pointers(2 * m + 2);
        point(pointers, first);
        pointers[2 * m + 1] = partial.data() + static_cast<size_t>(c) * std::max<size_t>(learned, 1);
        packed(pointers.data(), count, p.data(), seed, first);
    });
    std::vector<double> sums(learned, -0.0);  // -0: the neutral element of IEEE addition
    for (int64_t c = 0; c < chunks; ++c)
        for (size_t q = 0; q < learned; ++q) sums[q] += static_cast<double>(partial[static_cast<size_t>(c) * learned + q]);
    return sums;
}

}  // namespace

void finish_compiling() { jit::finish_compiling(); }

// ---- Library ---------------------------------------------------------------------------

Library Library::from_string(std::string text, std::string name) {
    auto impl = std::make_shared<Impl>(SourceFile(std::move(name), std::move(text)));
    impl->diagnostics.set_limit(20);  // the message stays readable whatever the text
    impl->diagnostics.set_warnings(Warnings::Off);  // a host program gets errors, not advice
    impl->parsed = parse(impl->file, impl->diagnostics);
    if (!impl->diagnostics.full()) impl->module = check(impl->parsed, impl->diagnostics);
    if (impl->diagnostics.has_errors()) throw Error(render_all(impl->file, impl->diagnostics));
    impl->program = lower(impl->parsed, impl->module);
    return Library(std::move(impl));
}

Library Library::from_file(const std::string& path) {
    ReadText read = read_text(path, max_file_size);
    if (!read.text) throw Error(path + ": " + read.error);
    return from_string(std::move(*read.text), path);
}

std::vector<std::string> Library::names() const {
    std::vector<std::string> out;
    for (const FunctionInfo& f : impl_->module.functions) out.push_back(f.name);
    return out;
}

Kernel Library::compile(const std::string& definition, const CompileOptions& options) const {
    const LoweredFunction* f = impl_->program.find(definition);
    if (!f) throw Error(fmt::format("{} has no definition '{}'", impl_->file.name(), definition));
    try {
        jit::KernelOptions k{options.dtype == DType::f32, options.inference, options.precision == Precision::fast};
        Gradient g;
        {
            std::lock_guard<std::mutex> lock(impl_->mutex);
            g = gradient(impl_->program, *f, jit::arithmetic_of(k));
        }
        jit::Target target = jit::choose_target(options.cpu);
        auto impl = std::make_shared<Kernel::Impl>();
        impl->name = definition;
        impl->dtype = options.dtype;
        impl->lanes = target.lanes(k.f32);
        impl->inputs = f->info->inputs;
        for (const ParameterInfo& p : f->info->parameters) {
            impl->parameters.push_back(p.name);
            if (p.learn) impl->learned.push_back(p.name);
        }
        impl->defaults = f->defaults;
        if (std::all_of(f->defaults.begin(), f->defaults.end(), [](const auto& d) { return d.has_value(); })) {
            impl->defaults32.emplace();
            impl->defaults64.emplace();
            for (const auto& d : f->defaults) {
                impl->defaults32->push_back(static_cast<float>(*d));
                impl->defaults64->push_back(*d);
            }
        }
        impl->code = jit::compile_kernels(g, *f->info, k, target);
        return Kernel(std::move(impl));
    } catch (const jit::JitError& e) {
        throw Error(e.what());
    } catch (const InternalError& e) {
        throw Error(e.what());
    }
}

// ---- Kernel ------------------------------------------------------------------------------

const std::string& Kernel::name() const { return impl_->name; }
DType Kernel::dtype() const { return impl_->dtype; }
int Kernel::lanes() const { return impl_->lanes; }
const std::vector<std::string>& Kernel::inputs() const { return impl_->inputs; }
const std::vector<std::string>& Kernel::parameters() const { return impl_->parameters; }
const std::vector<std::string>& Kernel::learned() const { return impl_->learned; }
const std::vector<std::optional<double>>& Kernel::defaults() const { return impl_->defaults; }
// Quick kernels have no §5 entry points: a pointer handed out lives on in the host, so
// it is the optimized kernels' (a tiered compile is waited for).
void* Kernel::forward_function() const {
    if (!impl_->code->forward.load()) jit::finish_compiling();
    return impl_->code->forward.load();
}
void* Kernel::backward_function() const {
    if (!impl_->code->backward.load()) jit::finish_compiling();
    return impl_->code->backward.load();
}

std::vector<double> Kernel::parameter_values(const Parameters& given) const {
    for (const auto& [name, value] : given)
        if (std::find(impl_->parameters.begin(), impl_->parameters.end(), name) == impl_->parameters.end())
            throw Error(fmt::format("'{}' has no parameter '{}'", impl_->name, name));
    std::vector<double> out;
    for (size_t p = 0; p < impl_->parameters.size(); ++p) {
        if (auto it = given.find(impl_->parameters[p]); it != given.end()) out.push_back(it->second);
        else if (impl_->defaults[p]) out.push_back(*impl_->defaults[p]);
        else throw Error(fmt::format("parameter '{}' of '{}' has no default and was not given", impl_->parameters[p],
                                     impl_->name));
    }
    return out;
}

namespace {
void want(const Kernel::Impl& k, DType d) {
    if (k.dtype != d)
        throw Error(fmt::format("'{}' was compiled for {}, not {}", k.name, k.dtype == DType::f32 ? "f32" : "f64",
                                d == DType::f32 ? "f32" : "f64"));
}
}  // namespace

namespace {

template <typename T>
const std::vector<T>* cached_defaults(const Kernel::Impl& k) {
    if constexpr (std::is_same_v<T, float>) return k.defaults32 ? &*k.defaults32 : nullptr;
    else return k.defaults64 ? &*k.defaults64 : nullptr;
}

// The values a call runs with: the cached defaults when it gives none, else its own.
template <typename T>
Values<T> values_for(const Kernel& kernel, const Kernel::Impl& k, const Parameters& given) {
    if (given.empty())
        if (const std::vector<T>* d = cached_defaults<T>(k)) return {{}, d};
    return {rounded<T>(kernel.parameter_values(given)), nullptr};
}

}  // namespace

void Kernel::forward(std::span<const float* const> xs, float* y, int64_t n, const Parameters& params, uint64_t seed,
                     int threads) const {
    want(*impl_, DType::f32);
    Values<float> p = values_for<float>(*this, *impl_, params);
    run_forward<float>(*impl_, xs, y, n, p.get(), seed, threads);
}
void Kernel::forward(std::span<const double* const> xs, double* y, int64_t n, const Parameters& params,
                     uint64_t seed, int threads) const {
    want(*impl_, DType::f64);
    Values<double> p = values_for<double>(*this, *impl_, params);
    run_forward<double>(*impl_, xs, y, n, p.get(), seed, threads);
}
std::vector<double> Kernel::backward(std::span<const float* const> xs, const float* dy, std::span<float* const> dxs,
                                     int64_t n, const Parameters& params, uint64_t seed, int threads) const {
    want(*impl_, DType::f32);
    Values<float> p = values_for<float>(*this, *impl_, params);
    return run_backward<float>(*impl_, xs, dy, dxs, n, p.get(), seed, threads);
}
std::vector<double> Kernel::backward(std::span<const double* const> xs, const double* dy,
                                     std::span<double* const> dxs, int64_t n, const Parameters& params,
                                     uint64_t seed, int threads) const {
    want(*impl_, DType::f64);
    Values<double> p = values_for<double>(*this, *impl_, params);
    return run_backward<double>(*impl_, xs, dy, dxs, n, p.get(), seed, threads);
}

}  // namespace actjit
