// actjit ir, asm, bench (LANGUAGE.md §6): the kernels' optimized IR and assembly, and
// their speed with the compile times of the three cache paths.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <sstream>
#include <memory>

#include <fmt/format.h>
#include <unistd.h>

#include "cli.hpp"
#include "compiler/gradient.hpp"
#include "compiler/llvm/error.hpp"
#include "compiler/llvm/kernels.hpp"
#include "compiler/threads.hpp"

namespace actjit::cli {

namespace {

using Packed = void (*)(void* const* arrays, int64_t n, const void* params, uint64_t seed, int64_t first);

// The IR of one direction: the module's global state, then the functions of that
// direction (`define ... @NAME_forward...`), in the module's order.
std::string one_direction(const std::string& module, bool backward) {
    std::string out, block;
    bool keep = true, in_function = false;
    std::istringstream lines(module);
    std::string line;
    while (std::getline(lines, line)) {
        if (!in_function && line.rfind("define ", 0) == 0) {
            in_function = true;
            keep = line.find(backward ? "_backward" : "_forward") != std::string::npos;
        }
        if (keep || !in_function) out += line + "\n";
        if (in_function && line == "}") {
            in_function = false;
            if (keep) out += "\n";
            keep = true;
        }
    }
    return out;
}

struct Setup {
    std::unique_ptr<Compiled> compiled;
    const LoweredFunction* f = nullptr;
    Gradient g;
    jit::Target target;
    jit::KernelOptions options;
};

std::optional<Setup> setup(const std::string& path, const std::string& name, const KernelCommandOptions& o) {
    Setup s;
    s.compiled = compile(path, name);
    if (!s.compiled) return std::nullopt;
    s.f = &find_function(*s.compiled, path, name);
    s.options = {o.dtype == "f32", o.inference, o.fast};
    s.g = gradient(s.compiled->program, *s.f, jit::arithmetic_of(s.options));
    s.target = jit::choose_target(o.cpu);
    return s;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int run_ir(const std::string& path, const std::string& name, const KernelCommandOptions& o) {
    try {
        auto s = setup(path, name, o);
        if (!s) return exit_errors;
        fmt::print("{}", one_direction(jit::kernel_ir(s->g, *s->f->info, s->options, s->target), o.backward));
    } catch (const jit::JitError& e) {
        fmt::print(stderr, "actjit: error: {}\n", e.what());
        return exit_errors;
    }
    return exit_ok;
}

int run_asm(const std::string& path, const std::string& name, const KernelCommandOptions& o) {
    try {
        auto s = setup(path, name, o);
        if (!s) return exit_errors;
        fmt::print("{}", jit::kernel_assembly(s->g, *s->f->info, s->options, s->target));
    } catch (const jit::JitError& e) {
        fmt::print(stderr, "actjit: error: {}\n", e.what());
        return exit_errors;
    }
    return exit_ok;
}

namespace {

template <typename T>
int bench(Setup& s, const KernelCommandOptions& o) {
    using clock = std::chrono::steady_clock;
    size_t k = s.f->info->inputs.size();
    size_t learned = 0;
    for (const ParameterInfo& p : s.f->info->parameters) learned += p.learn;
    std::vector<double> pv = parameter_values(*s.f, o.params);
    std::vector<T> params(pv.begin(), pv.end());

    // Compile times: cold (no cache), disk hit (a fresh cache directory, memory off), memory hit.
    std::filesystem::path directory =
        std::filesystem::temp_directory_path() / fmt::format("actjit-bench-{}", ::getpid());
    jit::CacheOptions none{false, false, {}}, disk{false, true, directory.string()}, memory{true, false, {}};
    std::vector<double> cold, cold_optimized, disk_hit, memory_hit;
    std::vector<jit::PhaseTimes> cold_phases;
    jit::CompileReport report;
    // Cold: until the kernels can be called (tiered: the quick kernels), each
    // compilation's background work finished before the next; and the optimized kernels
    // compiled at once, as without tiering.
    jit::CacheOptions tiered = none;
    tiered.tiered = true;
    for (int r = 0; r < 5; ++r) {
        jit::compile_kernels(s.g, *s.f->info, s.options, s.target, tiered, &report);
        cold.push_back(report.milliseconds);
        cold_phases.push_back(report.phases);
        jit::finish_compiling();
        jit::compile_kernels(s.g, *s.f->info, s.options, s.target, none, &report);
        cold_optimized.push_back(report.milliseconds);
    }
    auto phase_median = [&](double jit::PhaseTimes::*member) {
        std::vector<double> v;
        for (const jit::PhaseTimes& p : cold_phases) v.push_back(p.*member);
        return median(v);
    };
    jit::compile_kernels(s.g, *s.f->info, s.options, s.target, disk, &report);  // fills the directory
    for (int r = 0; r < 5; ++r) {
        jit::compile_kernels(s.g, *s.f->info, s.options, s.target, disk, &report);
        disk_hit.push_back(report.milliseconds);
    }
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
    auto kernels = jit::compile_kernels(s.g, *s.f->info, s.options, s.target, memory, &report);
    for (int r = 0; r < 15; ++r) {
        jit::compile_kernels(s.g, *s.f->info, s.options, s.target, memory, &report);
        memory_hit.push_back(report.milliseconds * 1000);
    }

    // Data: inputs spread over [-8, 8].
    int64_t n = o.n;
    std::mt19937_64 random(1);
    std::uniform_real_distribution<double> spread(-8, 8);
    std::vector<std::vector<T>> x(k, std::vector<T>(static_cast<size_t>(n)));
    for (auto& column : x)
        for (T& v : column) v = static_cast<T>(spread(random));
    std::vector<T> y(static_cast<size_t>(n)), dy(static_cast<size_t>(n), T(1));
    std::vector<std::vector<T>> dx(k, std::vector<T>(static_cast<size_t>(n)));
    int threads = std::max(1, o.threads);
    int64_t chunk = std::max<int64_t>(1, (n + threads - 1) / threads);
    auto run = [&](bool backward) {
        std::vector<T> dp(static_cast<size_t>(threads) * std::max<size_t>(learned, 1), T(0));
        auto part = [&](int t) {
            int64_t first = t * chunk, count = std::min(chunk, n - first);
            if (count <= 0) return;
            std::vector<void*> a;
            for (auto& column : x) a.push_back(column.data() + first);
            if (backward) {
                a.push_back(dy.data() + first);
                for (auto& column : dx) a.push_back(column.data() + first);
                a.push_back(dp.data() + static_cast<size_t>(t) * std::max<size_t>(learned, 1));
                reinterpret_cast<Packed>(kernels->backward_packed.load())(a.data(), count, params.data(), 0, first);
            } else {
                a.push_back(y.data() + first);
                reinterpret_cast<Packed>(kernels->forward_packed.load())(a.data(), count, params.data(), 0, first);
            }
        };
        // The calling thread takes part 0; the others start on another CPU at once
        // (compiler/threads.hpp), not a scheduler tick later.
        std::vector<std::unique_ptr<Thread>> others;
        for (int t = 1; t < threads; ++t) others.push_back(std::make_unique<Thread>([&part, t] { part(t); }));
        part(0);
        for (auto& t : others) t->join();
    };
    auto time = [&](bool backward) {
        run(backward);  // warm-up
        std::vector<double> ns;
        for (int r = 0; r < std::max(1, o.repetitions); ++r) {
            auto start = clock::now();
            run(backward);
            ns.push_back(std::chrono::duration<double, std::nano>(clock::now() - start).count() / static_cast<double>(n));
        }
        return median(ns);
    };
    double forward_ns = time(false), backward_ns = time(true);
    double element = sizeof(T);
    double forward_bytes = element * static_cast<double>(k + 1), backward_bytes = element * static_cast<double>(2 * k + 1);
    const char* dtype = sizeof(T) == 4 ? "f32" : "f64";
    const char* precision = sizeof(T) == 4 && o.fast ? "fast" : "accurate";
    if (o.json) {
        fmt::print("{{\"name\": \"{}\", \"dtype\": \"{}\", \"precision\": \"{}\", \"n\": {}, \"threads\": {}, "
                   "\"cpu\": \"{}\", \"lanes\": {}, "
                   "\"forward_ns_per_element\": {:.4f}, \"backward_ns_per_element\": {:.4f}, "
                   "\"forward_gbps\": {:.3f}, \"backward_gbps\": {:.3f}, \"compile_cold_ms\": {:.3f}, "
                   "\"compile_cold_optimized_ms\": {:.3f}, \"compile_disk_hit_ms\": {:.3f}, "
                   "\"compile_memory_hit_us\": {:.3f}}}\n",
                   s.f->info->name, dtype, precision, n, threads, s.target.cpu, s.target.lanes(sizeof(T) == 4), forward_ns,
                   backward_ns, forward_bytes / forward_ns, backward_bytes / backward_ns, median(cold),
                   median(cold_optimized), median(disk_hit), median(memory_hit));
    } else {
        fmt::print("{} {} ({}) n={} threads={} cpu={} ({} lanes)\n", s.f->info->name, dtype, precision, n, threads,
                   s.target.cpu, s.target.lanes(sizeof(T) == 4));
        fmt::print("  forward   {:8.3f} ns/element  {:7.2f} GB/s\n", forward_ns, forward_bytes / forward_ns);
        fmt::print("  backward  {:8.3f} ns/element  {:7.2f} GB/s\n", backward_ns, backward_bytes / backward_ns);
        fmt::print("  compile   cold {:.2f} ms (tiered; optimized at once: {:.2f} ms), disk hit {:.2f} ms, memory hit "
                   "{:.2f} us (medians)\n",
                   median(cold), median(cold_optimized), median(disk_hit), median(memory_hit));
        if (o.verbose)
            fmt::print("  cold      IR {:.2f} ms, pipeline {:.2f} ms, code generation {:.2f} ms, link {:.2f} ms (tiered)\n",
                       phase_median(&jit::PhaseTimes::generate), phase_median(&jit::PhaseTimes::optimize),
                       phase_median(&jit::PhaseTimes::codegen), phase_median(&jit::PhaseTimes::link));
    }
    return exit_ok;
}

}  // namespace

int run_bench(const std::string& path, const std::string& name, const KernelCommandOptions& o) {
    if (o.n <= 0) throw UsageError("--n must be positive");
    try {
        auto s = setup(path, name, o);
        if (!s) return exit_errors;
        return o.dtype == "f32" ? bench<float>(*s, o) : bench<double>(*s, o);
    } catch (const jit::JitError& e) {
        fmt::print(stderr, "actjit: error: {}\n", e.what());
        return exit_errors;
    }
}

}  // namespace actjit::cli
