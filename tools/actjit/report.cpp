// actjit check --report-accuracy: the measuring check (compiler/measure.hpp) of every
// definition in a file, what it found printed one definition at a time.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

#include <fmt/format.h>

#include "cli.hpp"
#include "compiler/llvm/kernels.hpp"
#include "compiler/measure.hpp"

namespace actjit::cli {

namespace {

std::string ulps(double u) { return std::isinf(u) ? "inf" : fmt::format("{:.3g}", u); }

// A binade edge, 2^k, as a plain number where it reads well.
std::string edge(double v) {
    if (v == 0 || std::isinf(v)) return v == 0 ? "0" : "inf";
    int e = std::ilogb(v);
    return e >= -16 && e <= 20 ? fmt::format("{}", v) : fmt::format("2^{}", e);
}

}  // namespace

int run_report_accuracy(const std::string& path, const std::string& dtype, const std::string& stabilize) {
    std::optional<std::vector<std::string>> names = definition_names(path);
    if (!names) return exit_errors;
    const bool f32 = dtype == "f32";
    jit::CacheOptions cache = jit::default_cache_options();
    std::string directory = cache.disk ? jit::cache_directory(cache).string() : std::string();
    for (const std::string& name : *names) {
        std::unique_ptr<Compiled> compiled = compile(path, name);
        if (!compiled) return exit_errors;
        const LoweredFunction& f = find_function(*compiled, path, name);
        std::vector<double> params = parameter_values(f, {});
        SearchReport search;
        // f32: the graph of the (accurate) f32 kernels, which compute in double and round.
        Components c = components(compiled->program, f, stabilize, params, f32, &search,
                                  f32 ? Arithmetic::DoubleToFloat : Arithmetic::Double);
        MeasureOptions options;
        options.f32 = f32;
        options.per_binade = f32 ? 8 : 1;
        AccuracyReport r = measure_accuracy(c.written, c.stabilized, f.info->inputs.size(), params, options, directory);
        std::vector<Expr> all = c.written;
        all.insert(all.end(), c.stabilized.begin(), c.stabilized.end());
        size_t nodes = topological_order(all).size();
        std::sort(r.losses.begin(), r.losses.end(), [](const AccuracyLoss& a, const AccuracyLoss& b) {
            return std::tuple(a.root, !a.negative, a.negative ? -a.to : a.from) <
                   std::tuple(b.root, !b.negative, b.negative ? -b.to : b.from);
        });
        std::string input = f.info->inputs.empty() ? "x" : f.info->inputs[0];
        std::string verdict = r.losses.empty() ? "within the goals"
                                               : fmt::format("{} range{} outside the goals", r.losses.size(),
                                                             r.losses.size() == 1 ? "" : "s");
        fmt::print("{} ({}): {}; {} points, every binade of {}{}, {} nodes, {}\n", name, dtype, verdict, r.points, input,
                   f.info->inputs.size() > 1 ? " (the other inputs at random binades)" : "", nodes,
                   r.cached ? "cached" : fmt::format("{:.0f} ms", r.milliseconds));
        std::string summary;
        for (size_t i = 0; i < c.names.size(); ++i)
            summary += fmt::format("{}{} {} ULP ({:.2f} bits)", i ? ", " : "  ", c.names[i], ulps(r.roots[i].max_ulp),
                                   r.roots[i].bits);
        fmt::print("{}\n", summary);
        for (const AccuracyLoss& l : r.losses) {
            std::string range = l.negative ? fmt::format("(-{}, -{}]", edge(l.to), edge(l.from))
                                           : fmt::format("[{}, {})", edge(l.from), edge(l.to));
            fmt::print("  {}: {} in {}: {} ULP at {} (goal {} ULP), {} point{}{}\n", c.names[l.root], input, range,
                       ulps(l.max_ulp), format_number(l.worst, f32), goal_ulps(l.root, l.worst, f32), l.points,
                       l.points == 1 ? "" : "s",
                       l.nonfinite ? "; NaN or inf where the truth is not" : "");
        }
        if (r.unknown) fmt::print("  ({} points where the truth is not computable, left out)\n", r.unknown);
        if (stabilize == "search") {
            fmt::print("  search: {} regime{} in {:.0f} ms\n", search.regimes.size(), search.regimes.size() == 1 ? "" : "s",
                       search.milliseconds);
            for (const Regime& g : search.regimes) {
                std::string range = g.negative ? fmt::format("(-{}, -{}]", edge(g.to), edge(g.from))
                                               : fmt::format("[{}, {})", edge(g.from), edge(g.to));
                fmt::print("    {}: {} in {}: {} instead of the rules' form, {} ULP -> {}\n", c.names[g.root], input, range,
                           g.candidate, ulps(g.before), ulps(g.after));
            }
        }
    }
    return exit_ok;
}

}  // namespace actjit::cli
