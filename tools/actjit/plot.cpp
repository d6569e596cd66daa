// actjit plot (LANGUAGE.md §6): NAME and each of its derivatives against its first input,
// in one figure, drawn by gnuplot through a pipe. The curves are the kernels' graph (the
// stabilized value and derivatives) evaluated in double at evenly spaced points, the
// ends included; the other inputs of a multi-input definition are held at 1. A kink
// shows as the corner or the step it is.
#include <cmath>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "cli.hpp"
#include "compiler/gradient.hpp"
#include "compiler/interpret.hpp"

namespace actjit::cli {

namespace {

std::pair<double, double> parse_range(const std::string& text) {
    size_t colon = text.find(':', text[0] == '-' ? 1 : 0);
    char* end = nullptr;
    double a = colon == std::string::npos ? NAN : std::strtod(text.c_str(), &end);
    bool ok = colon != std::string::npos && end == text.c_str() + colon;
    double b = ok ? std::strtod(text.c_str() + colon + 1, &end) : NAN;
    ok = ok && end != text.c_str() + colon + 1 && *end == '\0' && std::isfinite(a) && std::isfinite(b) && a < b;
    if (!ok) throw UsageError(fmt::format("--range takes A:B with A < B, finite, not '{}'", text));
    return {a, b};
}

// Text for gnuplot's enhanced mode: its special characters escaped.
std::string label(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '_' || c == '^' || c == '{' || c == '}' || c == '@' || c == '&' || c == '~') out += "\\\\";
        if (c == '"') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

int run_plot(const std::string& path, const std::string& name, const PlotOptions& o) {
    auto [a, b] = parse_range(o.range);
    std::string out = o.out.empty() ? name + ".svg" : o.out;
    std::string terminal;
    if (out.size() > 4 && out.compare(out.size() - 4, 4, ".svg") == 0) {
        terminal = "svg size 800,500 dynamic enhanced font 'sans,12' background rgb 'white'";
    } else if (out.size() > 4 && out.compare(out.size() - 4, 4, ".png") == 0) {
        terminal = "pngcairo size 800,500 enhanced font 'sans,11'";
    } else {
        throw UsageError(fmt::format("-o takes a file ending in .svg or .png, not '{}'", out));
    }
    auto compiled = compile(path, name);
    if (!compiled) return exit_errors;
    const LoweredFunction& f = find_function(*compiled, path, name);
    std::vector<double> params = parameter_values(f, o.params);
    Gradient g = gradient(compiled->program, f);
    std::vector<Expr> roots{g.value};
    std::vector<std::string> titles{name + "(" + f.info->inputs[0] + ")"};
    for (const Derivative& d : g.derivatives) {
        roots.push_back(d.expr ? d.expr : compiled->program.graph.constant(0));
        titles.push_back("d/d" + d.variable);
    }
    std::string data;
    std::vector<double> x(f.info->inputs.size(), 1.0);
    for (int i = 0; i < o.points; ++i) {
        x[0] = a + (b - a) * i / (o.points - 1);
        std::vector<double> v = interpret(roots, {x, params, 0, static_cast<uint64_t>(i), false});
        data += fmt::format("{}", x[0]);
        for (double y : v) data += std::isfinite(y) ? fmt::format(" {}", y) : std::string(" NaN");
        data += "\n";
    }
    std::string script = fmt::format("set terminal {}\nset output '{}'\n", terminal, out);
    script += fmt::format("set title \"{}\"\nset xlabel \"{}\"\nset grid\nset key left top box opaque\n", label(name),
                          label(f.info->inputs[0]));
    script += "set xzeroaxis lt -1\nset yzeroaxis lt -1\nset offsets 0, 0, graph 0.06, graph 0.06\n";
    script += "set xrange [" + fmt::format("{}:{}", a, b) + "]\n";
    script += "$data << EOD\n" + data + "EOD\nplot ";
    for (size_t c = 0; c < roots.size(); ++c)
        script += fmt::format("{}$data using 1:{} with lines lw {} title \"{}\"", c ? ", " : "", c + 2, c ? 1.5 : 2.5,
                              label(titles[c]));
    script += "\n";
    FILE* gnuplot = popen("gnuplot 2>&1", "w");
    if (!gnuplot) {
        fmt::print(stderr, "actjit: error: cannot run gnuplot (Debian: gnuplot-nox)\n");
        return exit_errors;
    }
    std::fwrite(script.data(), 1, script.size(), gnuplot);
    int status = pclose(gnuplot);
    if (status != 0) {
        fmt::print(stderr, "actjit: error: gnuplot failed (status {}); is it installed (Debian: gnuplot-nox)?\n", status);
        return exit_errors;
    }
    fmt::print("{}\n", out);
    return exit_ok;
}

}  // namespace actjit::cli
