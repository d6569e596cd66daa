// actjit eval (LANGUAGE.md §6): samples from standard input through the JIT kernels, the
// same code a host program gets, or with --interp through the reference interpreter.
#include <cmath>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli.hpp"
#include "compiler/gradient.hpp"
#include "compiler/interpret.hpp"
#include "compiler/llvm/error.hpp"
#include "compiler/llvm/kernels.hpp"

namespace actjit::cli {

namespace {

using Packed = void (*)(void* const* arrays, int64_t n, const void* params, uint64_t seed, int64_t first);

// Reads the samples: one line each, one number per input. Null on an error (printed).
std::optional<std::vector<std::vector<double>>> read_samples(const LoweredFunction& f, bool f32) {
    std::vector<std::vector<double>> samples;
    std::string line;
    for (size_t line_number = 1; std::getline(std::cin, line); ++line_number) {
        std::vector<double> inputs;
        std::istringstream words(line);
        std::string word;
        while (words >> word) {
            char* end = nullptr;
            double v = std::strtod(word.c_str(), &end);
            if (end == word.c_str() || *end != '\0') {
                fmt::print(stderr, "<stdin>:{}: error: '{}' is not a number\n", line_number, word);
                return std::nullopt;
            }
            inputs.push_back(f32 ? static_cast<double>(static_cast<float>(v)) : v);
        }
        if (inputs.empty()) continue;  // a blank line is not a sample
        if (inputs.size() != f.info->inputs.size()) {
            fmt::print(stderr, "<stdin>:{}: error: '{}' takes {} input{}, and this line has {} number{}\n",
                       line_number, f.info->name, f.info->inputs.size(), f.info->inputs.size() == 1 ? "" : "s",
                       inputs.size(), inputs.size() == 1 ? "" : "s");
            return std::nullopt;
        }
        samples.push_back(std::move(inputs));
    }
    return samples;
}

// Rows of results: the value, then (with --grad) every derivative, per sample.
template <typename T>
std::vector<std::vector<double>> run_kernels(const jit::LinkedKernels& k, const LoweredFunction& f,
                                             const std::vector<std::vector<double>>& samples,
                                             const std::vector<double>& params, const EvalOptions& options,
                                             size_t learned) {
    size_t inputs = f.info->inputs.size(), n = samples.size();
    std::vector<std::vector<T>> x(inputs, std::vector<T>(n));
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < inputs; ++j) x[j][i] = static_cast<T>(samples[i][j]);
    std::vector<T> p(params.begin(), params.end());
    std::vector<T> y(n);
    std::vector<void*> arrays;
    for (auto& column : x) arrays.push_back(column.data());
    arrays.push_back(y.data());
    reinterpret_cast<Packed>(k.forward_packed.load())(arrays.data(), static_cast<int64_t>(n), p.data(), options.seed, 0);
    std::vector<std::vector<double>> rows(n);
    for (size_t i = 0; i < n; ++i) rows[i].push_back(y[i]);
    if (!options.grad) return rows;
    // One element at a time, with dy = 1: the derivatives per element, the parameters'
    // too (the kernel sums them over its elements, here one). `first` is the element's
    // index, so uniform()'s draws are those of the forward pass.
    for (size_t i = 0; i < n; ++i) {
        std::vector<T> xi(inputs), dx(inputs), dp(std::max<size_t>(learned, 1), T(-0.0));
        T dy = 1;
        std::vector<void*> a;
        for (size_t j = 0; j < inputs; ++j) {
            xi[j] = x[j][i];
            a.push_back(&xi[j]);
        }
        a.push_back(&dy);
        for (size_t j = 0; j < inputs; ++j) a.push_back(&dx[j]);
        a.push_back(dp.data());
        reinterpret_cast<Packed>(k.backward_packed.load())(a.data(), 1, p.data(), options.seed, static_cast<int64_t>(i));
        for (size_t j = 0; j < inputs; ++j) rows[i].push_back(dx[j]);
        for (size_t q = 0; q < learned; ++q) rows[i].push_back(dp[q]);
    }
    return rows;
}

}  // namespace

int run_eval(const std::string& path, const std::string& name, const EvalOptions& options) {
    // The samples are read from standard input: the definitions cannot come from it too.
    if (path == "-")
        throw UsageError("eval reads its samples from standard input, so FILE cannot be '-' (standard input): "
                         "give the file by name");
    std::unique_ptr<Compiled> compiled = compile(path, name);
    if (!compiled) return exit_errors;
    Program& program = compiled->program;
    const LoweredFunction& f = find_function(program, path, name);
    const bool f32 = options.dtype == "f32";
    auto round = [&](double v) { return f32 ? static_cast<double>(static_cast<float>(v)) : v; };
    std::vector<double> params = parameter_values(f, options.params);
    for (double& p : params) p = round(p);
    auto samples = read_samples(f, f32);
    if (!samples) return exit_errors;

    Gradient g = gradient(program, f);
    size_t learned = 0;
    for (const ParameterInfo& p : f.info->parameters) learned += p.learn;
    std::vector<std::vector<double>> rows;
    if (options.interp) {
        std::vector<Expr> roots{g.value};
        if (options.grad)
            for (const Derivative& d : g.derivatives) roots.push_back(d.expr ? d.expr : program.graph.constant(0));
        for (size_t i = 0; i < samples->size(); ++i) {
            const std::vector<double>& inputs = (*samples)[i];
            std::vector<double> values = interpret(roots, {inputs, params, options.seed, i, options.inference});
            // NaN policy (LANGUAGE.md §3): a NaN input makes the value and every derivative NaN.
            bool nan_input = false;
            for (double v : inputs) nan_input = nan_input || std::isnan(v);
            if (nan_input)
                for (double& v : values) v = NAN;
            rows.push_back(std::move(values));
        }
    } else {
        if (samples->empty()) return exit_ok;
        try {
            jit::Target target = jit::choose_target(options.cpu);
            jit::CompileReport report;
            auto kernels = jit::compile_kernels(g, *f.info, {f32, options.inference, options.fast}, target,
                                                jit::default_cache_options(), &report);
            if (options.verbose) {
                using Source = jit::CompileReport::Source;
                const char* source = report.source == Source::Memory ? "the memory cache"
                                     : report.source == Source::Disk ? "the disk cache"
                                     : report.source == Source::Tiered
                                         ? "a fresh compilation (quick kernels; the optimized ones follow in the background)"
                                         : "a fresh compilation";
                fmt::print(stderr, "actjit: {} kernels for {} ({} lanes) from {} in {:.2f} ms\n", f.info->name,
                           target.cpu, target.lanes(f32), source, report.milliseconds);
            }
            rows = f32 ? run_kernels<float>(*kernels, f, *samples, params, options, learned)
                       : run_kernels<double>(*kernels, f, *samples, params, options, learned);
        } catch (const jit::JitError& e) {
            fmt::print(stderr, "actjit: error: {}\n", e.what());
            return exit_errors;
        }
    }
    for (const std::vector<double>& row : rows) {
        std::string out;
        for (size_t i = 0; i < row.size(); ++i) out += (i ? " " : "") + format_number(round(row[i]), f32);
        fmt::print("{}\n", out);
    }
    return exit_ok;
}

}  // namespace actjit::cli
