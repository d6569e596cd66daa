// actjit eval (LANGUAGE.md §6): samples from standard input through the JIT kernels, the
// same code a host program gets, or with --interp through the reference interpreter.
#include <cmath>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

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

// --range A:B:N: N evenly spaced points of [A, B], both ends included when N > 1.
// Point i is (A (N-1-i) + B i) / (N-1), one rounding from exact integers' products when
// A and B are integers, so -6:6:121 gives -5.9, not -5.8999999999999995.
std::vector<std::vector<double>> range_samples(const std::string& text, bool f32) {
    auto fail = [&]() -> std::vector<std::vector<double>> {
        throw UsageError(fmt::format("--range takes A:B:N (N evenly spaced points of [A, B], A <= B finite, "
                                     "N from 1 to 100000000), not '{}'",
                                     text));
    };
    size_t first = text.find(':', 1), second = first == std::string::npos ? first : text.find(':', first + 2);
    if (second == std::string::npos) return fail();
    auto number = [&](size_t from, size_t to, double& out) {
        std::string part = text.substr(from, to - from);
        char* end = nullptr;
        out = std::strtod(part.c_str(), &end);
        return !part.empty() && *end == '\0' && std::isfinite(out);
    };
    double a = 0, b = 0, count = 0;
    if (!number(0, first, a) || !number(first + 1, second, b) || !number(second + 1, text.size(), count) || a > b ||
        count < 1 || count > 1e8 || count != std::floor(count))
        return fail();
    const auto n = static_cast<int64_t>(count);
    std::vector<std::vector<double>> samples;
    for (int64_t i = 0; i < n; ++i) {
        double x = n == 1 ? a : (a * static_cast<double>(n - 1 - i) + b * static_cast<double>(i)) / static_cast<double>(n - 1);
        samples.push_back({f32 ? static_cast<double>(static_cast<float>(x)) : x});
    }
    return samples;
}

// A number for --format json: non-finite ones as strings, which JSON has no numbers for.
std::string json_number(double v, bool f32) {
    std::string text = format_number(v, f32);
    return std::isfinite(v) ? text : "\"" + text + "\"";
}

}  // namespace

int run_eval(const std::string& path, const std::string& name, const EvalOptions& options) {
    // The samples are read from standard input: the definitions can come from it only
    // when --range gives the samples.
    if (path == "-" && options.range.empty())
        throw UsageError("eval reads its samples from standard input, so FILE can be '-' (standard input) only "
                         "with --range A:B:N; otherwise give the file by name");
    const bool f32 = options.dtype == "f32";
    std::optional<std::vector<std::vector<double>>> samples;
    if (!options.range.empty()) samples = range_samples(options.range, f32);
    std::unique_ptr<Compiled> compiled = compile(path, name);
    if (!compiled) return exit_errors;
    Program& program = compiled->program;
    const LoweredFunction& f = find_function(*compiled, path, name);
    if (samples && f.info->inputs.size() != 1)
        throw UsageError(fmt::format("--range gives one input, and '{}' takes {}: give its samples on standard input, "
                                     "one line of {} numbers each",
                                     name, f.info->inputs.size(), f.info->inputs.size()));
    auto round = [&](double v) { return f32 ? static_cast<double>(static_cast<float>(v)) : v; };
    std::vector<double> params = parameter_values(f, options.params);
    for (double& p : params) p = round(p);

    // The graph for the kernels' precision (the interpreter too: it computes what they do).
    Gradient g = gradient(program, f, jit::arithmetic_of({f32, options.inference, options.fast}));
    // The columns printed: the value, then every derivative (--grad) or those of --wrt.
    const bool grad = options.grad || !options.wrt.empty();
    std::vector<bool> wanted(g.derivatives.size(), options.wrt.empty());
    for (const std::string& var : options.wrt) wanted[derivative_index(g, name, var)] = true;  // unknown: an error
    std::vector<size_t> columns{0};
    for (size_t i = 0; grad && i < g.derivatives.size(); ++i)
        if (wanted[i]) columns.push_back(i + 1);

    if (!samples) samples = read_samples(f, f32);
    if (!samples) return exit_errors;
    EvalOptions run = options;
    run.grad = grad;
    size_t learned = 0;
    for (const ParameterInfo& p : f.info->parameters) learned += p.learn;
    std::vector<std::vector<double>> rows;
    if (options.interp) {
        std::vector<Expr> roots{g.value};
        if (grad)
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
    } else if (!samples->empty()) {
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
            rows = f32 ? run_kernels<float>(*kernels, f, *samples, params, run, learned)
                       : run_kernels<double>(*kernels, f, *samples, params, run, learned);
        } catch (const jit::JitError& e) {
            fmt::print(stderr, "actjit: error: {}\n", e.what());
            return exit_errors;
        }
    }

    // text: the results only; csv and json: the inputs too, under a header naming every
    // column (the value's is the definition's name, a derivative's d/dVAR).
    std::vector<std::string> header;
    for (const std::string& input : f.info->inputs) header.push_back(input);
    for (size_t c : columns) header.push_back(c == 0 ? name : "d/d" + g.derivatives[c - 1].variable);
    if (options.format == "csv") fmt::print("{}\n", fmt::join(header, ","));
    if (options.format == "json") {
        std::vector<std::string> quoted;
        for (const std::string& h : header) quoted.push_back("\"" + h + "\"");
        fmt::print("{{\"name\": \"{}\", \"dtype\": \"{}\", \"columns\": [{}], \"rows\": [", name, options.dtype,
                   fmt::join(quoted, ", "));
    }
    for (size_t r = 0; r < rows.size(); ++r) {
        std::vector<std::string> cells;
        auto cell = [&](double v) { cells.push_back(options.format == "json" ? json_number(round(v), f32) : format_number(round(v), f32)); };
        if (options.format != "text")
            for (double x : (*samples)[r]) cell(x);
        for (size_t c : columns) cell(rows[r][c]);
        if (options.format == "json") fmt::print("{}\n  [{}]", r ? "," : "", fmt::join(cells, ", "));
        else fmt::print("{}\n", fmt::join(cells, options.format == "csv" ? "," : " "));
    }
    if (options.format == "json") fmt::print("{}]}}\n", rows.empty() ? "" : "\n");
    return exit_ok;
}

}  // namespace actjit::cli
