// actjit's C++ API: load activation definitions from a file or a string, compile one
// for a dtype and a mode, and run its forward and backward kernels over arrays. No LLVM
// type appears here. A Kernel is a cheap, copyable, thread-safe handle: its code lives
// while some copy of it does. Errors are actjit::Error, with a message for a person.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace actjit {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class DType { f32, f64 };

// f32 kernels only (docs/numerics.md): `accurate` computes in double lanes and rounds
// once (within 0.5 ULP of the exact value); `fast` computes in float lanes with float
// vector math, as LANGUAGE.md §3's arithmetic says (its bounds measured there too).
enum class Precision { accurate, fast };

struct CompileOptions {
    DType dtype = DType::f32;
    Precision precision = Precision::accurate;
    bool inference = false;  // uniform(lo, hi) is (lo + hi) / 2 (RReLU's evaluation mode)
    std::string cpu;         // empty: $ACTJIT_CPU, else the host
};

// Parameter values by name; a parameter left out takes its default.
using Parameters = std::map<std::string, double>;

class Kernel {
public:
    const std::string& name() const;
    DType dtype() const;
    int lanes() const;  // the vector width the kernels were compiled for
    const std::vector<std::string>& inputs() const;
    const std::vector<std::string>& parameters() const;  // in declaration order
    const std::vector<std::string>& learned() const;     // the `learn` ones, in order
    const std::vector<std::optional<double>>& defaults() const;  // per parameter, if it has one
    // Every parameter's value, declaration order: `given`, else the default.
    std::vector<double> parameter_values(const Parameters& given = {}) const;

    // y[i] = f(x1[i], ..., xk[i]); `threads` > 1 splits large arrays into chunks.
    void forward(std::span<const float* const> xs, float* y, int64_t n, const Parameters& params = {},
                 uint64_t seed = 0, int threads = 1) const;
    void forward(std::span<const double* const> xs, double* y, int64_t n, const Parameters& params = {},
                 uint64_t seed = 0, int threads = 1) const;
    // dxj[i] = dy[i] * df/dxj; returns the learned parameters' gradients, summed over
    // the elements in a fixed order (the same whatever `threads` is).
    std::vector<double> backward(std::span<const float* const> xs, const float* dy, std::span<float* const> dxs,
                                 int64_t n, const Parameters& params = {}, uint64_t seed = 0, int threads = 1) const;
    std::vector<double> backward(std::span<const double* const> xs, const double* dy,
                                 std::span<double* const> dxs, int64_t n, const Parameters& params = {},
                                 uint64_t seed = 0, int threads = 1) const;

    // The raw LANGUAGE.md §5 entry points (cast to the signature of the kernel's arity):
    // the optimized kernels' (after a quick compile, this waits for them); null only if
    // their compilation failed.
    void* forward_function() const;
    void* backward_function() const;

    struct Impl;
    explicit Kernel(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

private:
    std::shared_ptr<const Impl> impl_;
};

// A compile that finds no cached kernels returns quickly compiled ones (no pass
// pipeline, LLVM's code generator at level 0) and swaps in the optimized ones when a background thread has
// compiled them (ACTJIT_TIERED=off: the optimized ones at once). Both compute the same
// values. This returns when every such swap so far has happened: for benchmarks.
void finish_compiling();

class Library {
public:
    static Library from_file(const std::string& path);
    // `name` is what error messages call the text.
    static Library from_string(std::string text, std::string name = "<string>");
    std::vector<std::string> names() const;
    Kernel compile(const std::string& definition, const CompileOptions& options = {}) const;

    struct Impl;

private:
    explicit Library(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
    std::shared_ptr<Impl> impl_;
};

}  // namespace actjit
