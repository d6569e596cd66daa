// The C API (actjit.h) over the C++ one: every exception stops here and becomes a status
// and a message.
#include <new>
#include <string>
#include <vector>

#include "actjit.h"
#include "actjit.hpp"

struct actjit_library {
    actjit::Library library;
};
struct actjit_kernel {
    actjit::Kernel kernel;
};

namespace {

thread_local std::string last_error;

template <typename Body>
actjit_status guarded(actjit_status kind, Body body) {
    try {
        body();
        return ACTJIT_OK;
    } catch (const actjit::Error& e) {
        last_error = e.what();
        return kind;
    } catch (const std::bad_alloc&) {
        last_error = "out of memory";
        return ACTJIT_ERROR_MEMORY;
    } catch (const std::exception& e) {
        last_error = e.what();
        return kind;
    } catch (...) {
        last_error = "unknown error";
        return kind;
    }
}

actjit_status null_argument(const char* what) {
    last_error = std::string(what) + " is null";
    return ACTJIT_ERROR_ARGUMENT;
}

actjit::Parameters named(const actjit::Kernel& k, const double* params) {
    actjit::Parameters p;
    if (params)
        for (size_t i = 0; i < k.parameters().size(); ++i) p[k.parameters()[i]] = params[i];
    return p;
}

template <typename T>
actjit_status forward(const actjit_kernel* kernel, const T* const* inputs, T* y, int64_t n, const double* params,
                      uint64_t seed, int threads) {
    if (!kernel) return null_argument("the kernel");
    if (!inputs && !kernel->kernel.inputs().empty()) return null_argument("the array of inputs");
    return guarded(ACTJIT_ERROR_ARGUMENT, [&] {
        std::span<const T* const> xs(inputs, kernel->kernel.inputs().size());
        kernel->kernel.forward(xs, y, n, named(kernel->kernel, params), seed, threads);
    });
}

template <typename T>
actjit_status backward(const actjit_kernel* kernel, const T* const* inputs, const T* dy, T* const* dinputs,
                       double* dparams, int64_t n, const double* params, uint64_t seed, int threads) {
    if (!kernel) return null_argument("the kernel");
    size_t k = kernel->kernel.inputs().size();
    if (!inputs || !dinputs) return null_argument("the array of inputs or of input gradients");
    if (!dparams && !kernel->kernel.learned().empty()) return null_argument("dparams");
    return guarded(ACTJIT_ERROR_ARGUMENT, [&] {
        std::vector<double> sums = kernel->kernel.backward(std::span<const T* const>(inputs, k), dy,
                                                           std::span<T* const>(dinputs, k), n,
                                                           named(kernel->kernel, params), seed, threads);
        for (size_t q = 0; q < sums.size(); ++q) dparams[q] = sums[q];
    });
}

}  // namespace

extern "C" {

const char* actjit_last_error(void) { return last_error.c_str(); }

actjit_status actjit_library_from_string(const char* text, actjit_library** out) {
    if (!text) return null_argument("the text");
    if (!out) return null_argument("out");
    *out = nullptr;
    return guarded(ACTJIT_ERROR_SOURCE, [&] { *out = new actjit_library{actjit::Library::from_string(text)}; });
}

actjit_status actjit_library_from_file(const char* path, actjit_library** out) {
    if (!path) return null_argument("the path");
    if (!out) return null_argument("out");
    *out = nullptr;
    return guarded(ACTJIT_ERROR_SOURCE, [&] { *out = new actjit_library{actjit::Library::from_file(path)}; });
}

void actjit_library_free(actjit_library* library) { delete library; }

void actjit_finish_compiling(void) { actjit::finish_compiling(); }

actjit_status actjit_compile(const actjit_library* library, const char* name, actjit_dtype dtype, int flags,
                             const char* cpu, actjit_kernel** out) {
    if (!library) return null_argument("the library");
    if (!name) return null_argument("the name");
    if (!out) return null_argument("out");
    *out = nullptr;
    bool known = false;
    for (const std::string& n : library->library.names()) known = known || n == name;
    if (!known) {
        last_error = std::string("no definition '") + name + "'";
        return ACTJIT_ERROR_ARGUMENT;
    }
    return guarded(ACTJIT_ERROR_JIT, [&] {
        actjit::CompileOptions options;
        options.dtype = dtype == ACTJIT_F64 ? actjit::DType::f64 : actjit::DType::f32;
        if (flags & ~(ACTJIT_INFERENCE | ACTJIT_FAST)) throw actjit::Error("unknown flags in actjit_compile");
        options.inference = (flags & ACTJIT_INFERENCE) != 0;
        options.precision = flags & ACTJIT_FAST ? actjit::Precision::fast : actjit::Precision::accurate;
        options.cpu = cpu ? cpu : "";
        *out = new actjit_kernel{library->library.compile(name, options)};
    });
}

void actjit_kernel_free(actjit_kernel* kernel) { delete kernel; }

int actjit_kernel_inputs(const actjit_kernel* k) { return k ? static_cast<int>(k->kernel.inputs().size()) : 0; }
int actjit_kernel_parameters(const actjit_kernel* k) { return k ? static_cast<int>(k->kernel.parameters().size()) : 0; }

const char* actjit_kernel_parameter_name(const actjit_kernel* k, int i) {
    if (!k || i < 0 || static_cast<size_t>(i) >= k->kernel.parameters().size()) return nullptr;
    return k->kernel.parameters()[static_cast<size_t>(i)].c_str();
}

int actjit_kernel_parameter_learned(const actjit_kernel* k, int i) {
    const char* name = actjit_kernel_parameter_name(k, i);
    if (!name) return 0;
    for (const std::string& l : k->kernel.learned())
        if (l == name) return 1;
    return 0;
}

int actjit_kernel_parameter_default(const actjit_kernel* k, int i, double* value) {
    if (!k || !value || i < 0 || static_cast<size_t>(i) >= k->kernel.defaults().size()) return 0;
    const std::optional<double>& d = k->kernel.defaults()[static_cast<size_t>(i)];
    if (!d) return 0;
    *value = *d;
    return 1;
}

actjit_status actjit_forward_f32(const actjit_kernel* k, const float* const* inputs, float* y, int64_t n,
                                 const double* params, uint64_t seed, int threads) {
    return forward(k, inputs, y, n, params, seed, threads);
}
actjit_status actjit_forward_f64(const actjit_kernel* k, const double* const* inputs, double* y, int64_t n,
                                 const double* params, uint64_t seed, int threads) {
    return forward(k, inputs, y, n, params, seed, threads);
}
actjit_status actjit_backward_f32(const actjit_kernel* k, const float* const* inputs, const float* dy,
                                  float* const* dinputs, double* dparams, int64_t n, const double* params,
                                  uint64_t seed, int threads) {
    return backward(k, inputs, dy, dinputs, dparams, n, params, seed, threads);
}
actjit_status actjit_backward_f64(const actjit_kernel* k, const double* const* inputs, const double* dy,
                                  double* const* dinputs, double* dparams, int64_t n, const double* params,
                                  uint64_t seed, int threads) {
    return backward(k, inputs, dy, dinputs, dparams, n, params, seed, threads);
}

void* actjit_kernel_forward_function(const actjit_kernel* k) { return k ? k->kernel.forward_function() : nullptr; }
void* actjit_kernel_backward_function(const actjit_kernel* k) { return k ? k->kernel.backward_function() : nullptr; }

}  // extern "C"
