// actjit: the command line (LANGUAGE.md §6). Exit status: 0 success, 1 errors in the
// .act file (or it cannot be read), 2 wrong command-line use.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "compiler/check.hpp"
#include "compiler/error.hpp"
#include "compiler/gradient.hpp"
#include "compiler/interpret.hpp"
#include "compiler/llvm/target.hpp"
#include "compiler/lower.hpp"
#include "compiler/print.hpp"
#include "compiler/suggest.hpp"
#include "grammar/parse.hpp"
#include "grammar/format.hpp"
#include "grammar/printer.hpp"
#include "accuracy.hpp"
#include "cli.hpp"
#include "runtime/actjit.h"

namespace {

using namespace actjit::cli;

int run_check(const std::string& path, const std::string& emit) {
    auto file = read_source(path);
    if (!file) return exit_errors;
    bool parse_only = emit == "ast" || emit == "source";
    Loaded loaded = load(std::move(*file), parse_only);
    if (emit == "ast") {
        std::string dumped = actjit::dump(loaded.parsed(), &loaded.root->source);
        std::fwrite(dumped.data(), 1, dumped.size(), stdout);
    } else if (emit == "source") {
        // Only a file without syntax errors: a formatted file must lose nothing.
        if (!loaded.ok) return exit_errors;
        std::string formatted = actjit::format_source(loaded.parsed(), loaded.root->source);
        std::fwrite(formatted.data(), 1, formatted.size(), stdout);
    } else if ((emit == "graph" || emit == "grad") && loaded.ok) {
        actjit::Program program = actjit::lower(loaded.parsed(), loaded.module());
        for (const actjit::FunctionInfo& info : loaded.module().functions) {  // the file's own, not used ones
            const actjit::LoweredFunction& f = *program.find(&info);
            std::vector<std::pair<std::string, actjit::Expr>> roots;
            if (emit == "graph") {
                roots.push_back({"value", f.body});
            } else {
                actjit::Gradient g = actjit::gradient(program, f);
                roots.push_back({"value", g.value});
                for (const actjit::Derivative& d : g.derivatives) roots.push_back({"d/d" + d.variable, d.expr});
            }
            fmt::print("{}:\n{}\n", actjit::signature(*f.info->definition), actjit::dump_graph(roots, *f.info));
        }
    }
    return loaded.ok ? exit_ok : exit_errors;
}

int run_diff(const std::string& path, const std::string& name, const std::string& wrt, bool stable) {
    std::unique_ptr<Compiled> compiled = compile(path, name);
    if (!compiled) return exit_errors;
    actjit::Program& program = compiled->program;
    const actjit::LoweredFunction& f = find_function(*compiled, path, name);
    actjit::Gradient g = stable ? actjit::gradient(program, f) : actjit::readable_gradient(program, f);
    const size_t only = wrt.empty() ? g.derivatives.size() : derivative_index(g, name, wrt);
    for (size_t i = 0; i < g.derivatives.size(); ++i) {
        if (!wrt.empty() && i != only) continue;
        const actjit::Derivative& d = g.derivatives[i];
        fmt::print("d/d{} = {}\n", d.variable,
                   d.expr ? actjit::to_source(d.expr, *f.info, stable ? 0 : actjit::reader_digits) : "0");
    }
    return exit_ok;
}

int run_list(const std::string& path) {
    auto file = read_source(path);
    if (!file) return exit_errors;
    Loaded loaded = load(std::move(*file), false);
    if (!loaded.ok) return exit_errors;
    for (const actjit::FunctionInfo& f : loaded.module().functions)
        fmt::print("{}\n", actjit::signature(*f.definition));
    return exit_ok;
}

// --stabilize rules|off|search, for the commands that measure.
void add_stabilize(CLI::App* command, std::string& mode) {
    command
        ->add_option("--stabilize", mode,
                     "rules (default: the compiler's stabilization rules), off (the formula as written, "
                     "differentiated and simplified only: the naive baseline) or search (the rules, then a bounded "
                     "search that measures candidate forms against MPFR at every binade and takes, binade by binade, "
                     "one that is at least twice as accurate where the rules' form misses the goals)")
        ->check(CLI::IsMember({"rules", "off", "search"}));
}

// --precision accurate|fast, for the commands that compile kernels.
void add_precision(CLI::App* command, bool& fast) {
    command
        ->add_option_function<std::string>(
            "--precision", [&fast](const std::string& p) { fast = p == "fast"; },
            "f32 kernels: accurate (default; double lanes, rounded once: within 0.5 ULP) or fast (float "
            "lanes and float vector math, LANGUAGE.md §3; bounds in docs/numerics.md)")
        ->check(CLI::IsMember({"accurate", "fast"}));
}

// The program, its version, LLVM's, and the CPU kernels are compiled for here.
std::string version_text() {
    std::string target;
    try {
        actjit::jit::Target t = actjit::jit::choose_target();
        target = fmt::format("for {}, {}-bit vectors", t.cpu, t.vector_bits);
    } catch (const std::exception& e) {
        target = fmt::format("for no CPU: {}", e.what());
    }
    return fmt::format("actjit {} (kernels compiled by LLVM {} {})", actjit_version(), ACTJIT_LLVM_VERSION, target);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"actjit: activation functions written in one line of text, checked, "
                 "differentiated and compiled.\nSee the README and docs/ for the language."};
    app.set_version_flag("--version", version_text);
    app.require_subcommand(1);
    // CLI11's errors in the house format: "actjit: error: ..." and where the help is.
    app.failure_message([&app](const CLI::App*, const CLI::Error& e) {
        std::string command;
        for (const CLI::App* c : app.get_subcommands())  // the command being parsed
            command = " " + c->get_name();
        return fmt::format("actjit: error: {} (actjit{} --help)\n", e.what(), command);
    });
    app.fallthrough(false);

    std::string file, emit;

    CLI::App* check = app.add_subcommand(
        "check", "Parse and check FILE; print every error (FILE:LINE:COL: error: ...) and exit 1 "
                 "if there are any, else print nothing and exit 0 (with --report-accuracy: the measured "
                 "accuracy of each definition)");
    check->add_option("FILE", file, "A .act file, or - for standard input")->required();
    check->add_option("--emit", emit,
                      "Print a stage: 'ast' (the syntax tree as s-expressions, each node with "
                      "its @LINE:COL) or 'source' (the file formatted: each use and definition as actjit "
                      "prints it, in file order, every comment kept; nothing if it has syntax errors), both "
                      "after parsing only; 'graph' (each definition's expression graph, calls "
                      "inlined) or 'grad' (its value and derivatives, simplified)")
        ->check(CLI::IsMember({"ast", "source", "graph", "grad"}));
    bool report_accuracy = false;
    std::string report_dtype = "f64";
    check->add_flag("--report-accuracy", report_accuracy,
                    "Measure each definition's value and derivatives, as the kernels compute them, against "
                    "MPFR on the formula as written, at points of every binade of the first input (the "
                    "interpreter: f64, or f32 as the accurate kernels round); print each one's largest "
                    "error and average bits, and every range outside the goals (value 4 ULP, derivatives 16, "
                    "f64 past |x| = 20 2048). Cached by the graphs' hash");
    check->add_option("--dtype", report_dtype, "With --report-accuracy: f64 (default) or f32")
        ->check(CLI::IsMember({"f32", "f64"}));
    std::string report_stabilize = "rules";
    add_stabilize(check, report_stabilize);

    CLI::App* list = app.add_subcommand(
        "list", "Check FILE and print one line per definition: its signature (inputs; "
                "parameters with their defaults, 'learn' marking learnable ones)");
    list->add_option("FILE", file, "A .act file, or - for standard input")->required();

    std::string name, wrt;
    bool stable = false;
    CLI::App* diff = app.add_subcommand(
        "diff", "Print the derivatives of NAME, one line each, as `d/dVAR = EXPR` (inputs first, then "
                "learn parameters); EXPR parses as a definition body. By default the derivative of the "
                "formula as written, simplified for a reader; --stable prints what the kernels compute");
    diff->add_option("FILE", file, "A .act file, or - for standard input")->required();
    diff->add_option("NAME", name, "The definition to differentiate")->required();
    diff->add_option("--wrt", wrt, "Only the derivative with respect to this input or learn parameter");
    diff->add_flag("--stable", stable,
                   "Print the numerically stabilized form the kernels compute (with its guards; the "
                   "fused sigmoid and softplus written out as formulas): the f64 kernels' (f32 kernels "
                   "take shorter Taylor polynomials, docs/numerics.md)");

    EvalOptions eval_options;
    CLI::App* eval = app.add_subcommand(
        "eval", "Evaluate NAME on samples read from standard input, one per line (one number per input; "
                "nan, inf, -inf accepted); print one line per sample: the value, then with --grad the "
                "derivatives (inputs, then learn parameters, per element); or on the points of --range");
    eval->add_option("FILE", file, "A .act file; - (standard input) only with --range")->required();
    eval->add_option("NAME", name, "The definition to evaluate")->required();
    eval->add_option("--dtype", eval_options.dtype, "f32 (default) or f64: inputs, parameters and "
                                                    "results are rounded to it")
        ->check(CLI::IsMember({"f32", "f64"}));
    eval->add_option("--param", eval_options.params, "NAME=VALUE for a parameter (default: its default)");
    eval->add_flag("--grad", eval_options.grad, "Also print the derivatives");
    eval->add_option("--wrt", eval_options.wrt,
                     "Print only the derivative with respect to this input or learn parameter (repeatable; "
                     "implies --grad)");
    eval->add_option("--format", eval_options.format,
                     "text (default: the results, space-separated), csv or json (the inputs too, under a "
                     "header naming every column)")
        ->check(CLI::IsMember({"text", "csv", "json"}));
    eval->add_option("--range", eval_options.range,
                     "A:B:N: evaluate N evenly spaced points of [A, B], both ends included, instead of "
                     "reading standard input (one-input definitions)");
    eval->add_option_function<std::string>(
            "--seed",
            [&eval_options](const std::string& text) {
                // CLI11 would take -1 as 2^64 - 1 and wrap 2^64 silently: only 0 to 2^64 - 1, in decimal.
                errno = 0;
                char* end = nullptr;
                unsigned long long v = std::strtoull(text.c_str(), &end, 10);
                if (text.empty() || text[0] == '-' || text[0] == '+' || *end != '\0' || errno == ERANGE)
                    throw CLI::ValidationError("--seed", "'" + text + "' is not a whole number from 0 to 18446744073709551615");
                eval_options.seed = v;
            },
            "Seed of uniform()'s generator, 0 to 2^64 - 1 (default 0)");
    eval->add_flag("--inference", eval_options.inference, "uniform(lo, hi) is (lo + hi) / 2");
    add_precision(eval, eval_options.fast);
    eval->add_flag("--interp", eval_options.interp,
                   "Evaluate with the reference interpreter (in double, then rounded to the dtype) "
                   "instead of the JIT kernels");
    eval->add_flag("--verbose", eval_options.verbose,
                   "Say on standard error where the kernels came from (a fresh compilation, the disk "
                   "cache or the memory cache) and how long that took");
    eval->add_option("--cpu", eval_options.cpu,
                     "Compile for this CPU (an LLVM name: x86-64, haswell, znver4, ...; default $ACTJIT_CPU, "
                     "else the host)");

    // The kernels: ir, asm, bench.
    KernelCommandOptions kernel_options;
    auto kernel_command = [&](const char* command, const char* what) {
        CLI::App* c = app.add_subcommand(command, what);
        c->add_option("FILE", file, "A .act file, or - for standard input")->required();
        c->add_option("NAME", name, "The definition")->required();
        c->add_option("--dtype", kernel_options.dtype, "f32 (default) or f64")->check(CLI::IsMember({"f32", "f64"}));
        c->add_flag("--inference", kernel_options.inference, "uniform(lo, hi) is (lo + hi) / 2");
        add_precision(c, kernel_options.fast);
        c->add_option("--cpu", kernel_options.cpu,
                      "Compile for this CPU (an LLVM name: x86-64, haswell, znver4, ...; default $ACTJIT_CPU, "
                      "else the host)");
        return c;
    };
    CLI::App* ir = kernel_command("ir", "Print the optimized LLVM IR of NAME's forward kernel (or --backward)");
    ir->add_flag("--backward", kernel_options.backward, "The backward kernel instead");
    CLI::App* assembly = kernel_command("asm", "Print the assembly of NAME's kernels, forward and backward");
    CLI::App* bench = kernel_command(
        "bench", "Time NAME's kernels (medians of repetitions after a warm-up) and its compilation: cold (tiered, "
                 "and optimized at once), from the disk cache, from the memory cache");
    bench->add_option("--n", kernel_options.n, "Elements per call (default 1048576)");
    bench->add_option("--threads", kernel_options.threads, "Threads, each on its share of the elements (default 1)");
    bench->add_option("--repetitions", kernel_options.repetitions, "Timed calls per direction (default 15)");
    bench->add_option("--param", kernel_options.params, "NAME=VALUE for a parameter (default: its default)");
    bench->add_flag("--json", kernel_options.json, "One JSON object (LANGUAGE.md §6 keys)");
    bench->add_flag("--verbose", kernel_options.verbose,
                    "Also the cold compile's phases: IR, pass pipeline, code generation, link");

    // plot
    PlotOptions plot_options;
    CLI::App* plot = app.add_subcommand(
        "plot", "Draw NAME and each derivative against its first input in one figure (gnuplot; other inputs at 1)");
    plot->add_option("FILE", file, "A .act file, or - for standard input")->required();
    plot->add_option("NAME", name, "The definition")->required();
    plot->add_option("-o,--output", plot_options.out, "OUT.svg or OUT.png (default NAME.svg)");
    plot->add_option("--range", plot_options.range, "A:B, the first input's interval (default -5:5)");
    plot->add_option("--param", plot_options.params, "NAME=VALUE for a parameter (default: its default)");

    // compare
    CompareOptions compare_options;
    std::vector<std::string> compare_names;
    CLI::App* compare = app.add_subcommand(
        "compare", "The generated kernels against handwritten ones (bench/handwritten): ULP error against the exact "
                   "formula (outside a relative 2^-12 of a root; the points near one listed apart, as accuracy "
                   "does), and speed at 16 KiB, 1 MiB and 64 MiB, 1 thread");
    compare->add_option("FILE", file, "A .act file, or - for standard input")->required();
    compare->add_option("NAME", compare_names, "Definitions (default: every one in FILE with a handwritten kernel)");
    compare->add_option("--cpu", compare_options.cpu,
                        "Compile for this CPU (an LLVM name; default $ACTJIT_CPU, else the host)");
    compare->add_flag("--json", compare_options.json, "One JSON object");

    // accuracy
    AccuracyOptions accuracy_options;
    std::vector<std::string> accuracy_names;
    CLI::App* accuracy = app.add_subcommand(
        "accuracy", "ULP error of the JIT kernels' value and derivatives against the exact values of the formula as "
                    "written (interval arithmetic, else MPFR), over a stratified sample of every exponent or every "
                    "float32; special values against the NaN policy and the limits at ±inf (docs/numerics.md)");
    accuracy->add_option("FILE", file, "A .act file, or - for standard input")->required();
    accuracy->add_option("NAME", accuracy_names, "Definitions (default: every one in FILE)");
    accuracy->add_option("--dtype", accuracy_options.dtype, "f32 (default) or f64")->check(CLI::IsMember({"f32", "f64"}));
    add_precision(accuracy, accuracy_options.fast);
    accuracy->add_flag("--exhaustive", accuracy_options.exhaustive,
                       "Every float32 input (2^32; one-input definitions, f32), on every core, with progress");
    accuracy->add_option("--samples", accuracy_options.samples,
                         "Points of the stratified sample (default 2^24 for f32, 2^20 for f64)");
    accuracy->add_option("--threads", accuracy_options.threads, "Threads (default: every core)");
    accuracy->add_option("--param", accuracy_options.params, "NAME=VALUE for a parameter (default: its default)");
    accuracy->add_option("--cpu", accuracy_options.cpu,
                         "Compile for this CPU (an LLVM name: x86-64, haswell, znver4, ...; default $ACTJIT_CPU, else "
                         "the host)");
    accuracy->add_option("--checkpoint", accuracy_options.checkpoint,
                         "--exhaustive's progress file, resumed when it matches (default NAME.accuracy-checkpoint; "
                         "removed at the end)");
    add_stabilize(accuracy, accuracy_options.stabilize);
    accuracy->add_flag("--json", accuracy_options.json, "One JSON object per definition");
    accuracy->add_flag("--brief", accuracy_options.brief,
                       "One line per definition: each component's largest error in ULP and its average bits of error "
                       "(Herbie's measure, over the points whose truth is a finite number)");

    // Every command reads a file.
    std::vector<CLI::App*> commands = app.get_subcommands([](CLI::App*) { return true; });
    for (CLI::App* command : commands) {
        command->add_option("--error-limit", error_limit,
                            "Stop after this many errors (default 20; 0: report every error)");
        command->add_flag_callback("-w", [] { warnings = actjit::Warnings::Off; }, "Leave every warning out");
        command->add_option("--color", colour_choice,
                            "Diagnostics in colour: auto (default: on a terminal, unless NO_COLOR is set), always, never")
            ->check(CLI::IsMember({"auto", "always", "never"}));
        command->add_option_function<std::vector<std::string>>(
            "-W",
            [](const std::vector<std::string>& flags) {
                for (const std::string& flag : flags) {
                    if (flag == "error") warnings = actjit::Warnings::AsErrors;
                    else if (flag.rfind("no-", 0) == 0 && is_warning_flag(flag.substr(3)))
                        disabled_warnings.push_back(flag.substr(3));
                    else if (!is_warning_flag(flag))
                        throw CLI::ValidationError("-W" + flag, "not a warning; they are " + warning_flags());
                }
            },
            "-Werror: warnings are errors; -Wno-FLAG leaves one kind out (unused-input, unused-parameter, "
            "unused-learn, literal-overflow, empty-range)");
    }

    // The command word, before CLI11 sees it: its own messages ("A subcommand is required",
    // "FILE is required" for `help check`) would not say what went wrong.
    std::vector<std::string_view> names;
    std::string listed;
    for (CLI::App* command : commands) {
        names.push_back(command->get_name());
        listed += (listed.empty() ? "" : ", ") + command->get_name();
    }
    auto find_command = [&](std::string_view word) -> CLI::App* {
        for (CLI::App* command : commands)
            if (command->get_name() == word) return command;
        return nullptr;
    };
    auto not_a_command = [&](std::string_view word) {
        std::string hint = actjit::closest_name(std::string(word), names);
        fmt::print(stderr, "actjit: error: '{}' is not a command{}; the commands are {} (actjit --help)\n", word,
                   hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint), listed);
        return exit_usage;
    };
    if (argc < 2) {
        fmt::print(stderr, "actjit: error: no command given; the commands are {} (actjit --help)\n", listed);
        return exit_usage;
    }
    if (std::string_view first = argv[1]; first.size() > 1 && first[0] == '-' && first != "-h" && first != "--help" &&
                                            first != "--version") {
        fmt::print(stderr, "actjit: error: '{}' is not an option of actjit itself: a command comes first, its "
                           "options after it (actjit COMMAND --help); the commands are {}\n", first, listed);
        return exit_usage;
    }
    if (std::string_view first = argv[1]; !first.empty() && first[0] != '-') {
        if (first == "help") {
            if (argc == 2) {
                fmt::print("{}", app.help());
                return exit_ok;
            }
            CLI::App* command = find_command(argv[2]);
            if (!command) return not_a_command(argv[2]);
            fmt::print("{}", command->help());
            return exit_ok;
        }
        if (!find_command(first)) return not_a_command(first);
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);  // prints help or the error message
        return code == 0 ? exit_ok : exit_usage;
    }

    try {
        if (check->parsed()) return report_accuracy ? run_report_accuracy(file, report_dtype, report_stabilize) : run_check(file, emit);
        if (list->parsed()) return run_list(file);
        if (diff->parsed()) return run_diff(file, name, wrt, stable);
        if (eval->parsed()) return run_eval(file, name, eval_options);
        if (ir->parsed()) return run_ir(file, name, kernel_options);
        if (assembly->parsed()) return run_asm(file, name, kernel_options);
        if (bench->parsed()) return run_bench(file, name, kernel_options);
        if (accuracy->parsed()) return run_accuracy(file, accuracy_names, accuracy_options);
        if (plot->parsed()) return run_plot(file, name, plot_options);
        if (compare->parsed()) return run_compare(file, compare_names, compare_options);
    } catch (const UsageError& e) {
        fmt::print(stderr, "actjit: error: {}\n", e.what());
        return exit_usage;
    } catch (const actjit::InternalError& e) {
        fmt::print(stderr, "actjit: {}\n", e.what());
        return exit_errors;
    } catch (const std::bad_alloc&) {
        fmt::print(stderr, "actjit: error: out of memory\n");
        return exit_errors;
    }
    return exit_usage;
}
