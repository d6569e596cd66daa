// actjit: the command line (LANGUAGE.md §6). Exit status: 0 success, 1 errors in the
// .act file (or it cannot be read), 2 wrong command-line use.
#include <cmath>
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
#include "compiler/lower.hpp"
#include "compiler/print.hpp"
#include "compiler/suggest.hpp"
#include "grammar/parse.hpp"
#include "grammar/printer.hpp"
#include "runtime/actjit.h"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_errors = 1;
constexpr int exit_usage = 2;

// Reads FILE ("-": standard input) whole, in binary. Empty optional: reported.
std::optional<actjit::SourceFile> read_source(const std::string& path) {
    std::string text;
    if (path == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        text = buffer.str();
    } else {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            fmt::print(stderr, "{}: error: cannot open the file: {}\n", path, std::strerror(errno));
            return std::nullopt;
        }
        in.seekg(0, std::ios::end);
        std::streamoff size = in.tellg();
        if (size > static_cast<std::streamoff>(actjit::max_file_size)) {
            fmt::print(stderr, "{}: error: the file is {} bytes, over the limit of {} bytes\n", path,
                       size, actjit::max_file_size);
            return std::nullopt;
        }
        in.seekg(0, std::ios::beg);
        text.resize(static_cast<size_t>(std::max<std::streamoff>(size, 0)));
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        if (!in && !text.empty()) {
            fmt::print(stderr, "{}: error: cannot read the file\n", path);
            return std::nullopt;
        }
    }
    return actjit::SourceFile(path == "-" ? "<stdin>" : path, std::move(text));
}

// Parses and (unless `parse_only`) checks; prints every diagnostic to stderr.
struct Loaded {
    actjit::ParsedFile parsed;
    actjit::Module module;
    bool ok = false;
};

Loaded load(const actjit::SourceFile& file, bool parse_only) {
    Loaded out;
    actjit::Diagnostics diagnostics;
    out.parsed = actjit::parse(file, diagnostics);
    if (!parse_only) out.module = actjit::check(out.parsed, diagnostics);
    std::string rendered = actjit::render_all(file, diagnostics);
    std::fwrite(rendered.data(), 1, rendered.size(), stderr);
    if (diagnostics.has_errors())
        fmt::print(stderr, "{} error{} in {}\n", diagnostics.error_count(),
                   diagnostics.error_count() == 1 ? "" : "s", file.name());
    out.ok = !diagnostics.has_errors();
    return out;
}

// Thrown for wrong command-line use that CLI11 cannot see (an unknown NAME, --wrt or
// --param); main() prints it and exits 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const actjit::LoweredFunction& find_function(const actjit::Program& program, const std::string& file,
                                             const std::string& name) {
    if (const actjit::LoweredFunction* f = program.find(name)) return *f;
    std::vector<std::string_view> names;
    for (const actjit::LoweredFunction& f : program.functions) names.push_back(f.info->name);
    std::string hint = actjit::closest_name(name, names);
    throw UsageError(fmt::format("{} has no definition '{}'{}", file, name,
                                 hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
}

int run_check(const std::string& path, const std::string& emit) {
    auto file = read_source(path);
    if (!file) return exit_errors;
    bool parse_only = emit == "ast" || emit == "source";
    Loaded loaded = load(*file, parse_only);
    if (emit == "ast") {
        std::string dumped = actjit::dump(loaded.parsed, &*file);
        std::fwrite(dumped.data(), 1, dumped.size(), stdout);
    } else if (emit == "source") {
        for (const actjit::ast::Definition& d : loaded.parsed.ast.definitions)
            fmt::print("{}\n", actjit::to_source(d));
    } else if ((emit == "graph" || emit == "grad") && loaded.ok) {
        actjit::Program program = actjit::lower(loaded.parsed, loaded.module);
        for (const actjit::LoweredFunction& f : program.functions) {
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

// A file read, checked and lowered. Built in place and never moved: the program
// points into the module, which points into the syntax tree.
struct Compiled {
    std::optional<actjit::SourceFile> file;
    Loaded loaded;
    actjit::Program program;
};

// Null when FILE cannot be read or has errors (they are printed). Only NAME is lowered.
std::unique_ptr<Compiled> compile(const std::string& path, const std::string& name) {
    auto c = std::make_unique<Compiled>();
    c->file = read_source(path);
    if (!c->file) return nullptr;
    c->loaded = load(*c->file, false);
    if (!c->loaded.ok) return nullptr;
    c->program = actjit::lower(c->loaded.parsed, c->loaded.module, name);
    return c;
}

int run_diff(const std::string& path, const std::string& name, const std::string& wrt, bool stable) {
    std::unique_ptr<Compiled> compiled = compile(path, name);
    if (!compiled) return exit_errors;
    actjit::Program& program = compiled->program;
    const actjit::LoweredFunction& f = find_function(program, path, name);
    actjit::Gradient g = stable ? actjit::gradient(program, f) : actjit::readable_gradient(program, f);
    bool found = wrt.empty();
    for (const actjit::Derivative& d : g.derivatives) {
        if (!wrt.empty() && d.variable != wrt) continue;
        found = true;
        fmt::print("d/d{} = {}\n", d.variable,
                   d.expr ? actjit::to_source(d.expr, *f.info, stable ? 0 : actjit::reader_digits) : "0");
    }
    if (!found) {
        std::string variables;
        for (const actjit::Derivative& d : g.derivatives) variables += (variables.empty() ? "" : ", ") + d.variable;
        throw UsageError(fmt::format("'{}' is not an input or learn parameter of '{}' (those are: {})", wrt,
                                     name, variables));
    }
    return exit_ok;
}

// `%.9g` for f32, `%.17g` for f64; nan, inf and -inf spelled so (never "-nan").
std::string format_number(double v, bool f32) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, f32 ? "%.9g" : "%.17g", f32 ? static_cast<double>(static_cast<float>(v)) : v);
    return buffer;
}

struct EvalOptions {
    std::string dtype = "f32";
    std::vector<std::string> params;
    bool grad = false;
    uint64_t seed = 0;
    bool inference = false;
    bool interp = false;
};

int run_eval(const std::string& path, const std::string& name, const EvalOptions& options) {
    if (!options.interp)
        throw UsageError("eval runs the JIT kernels, which the LLVM backend will provide; for now, "
                         "give --interp to evaluate with the reference interpreter");
    std::unique_ptr<Compiled> compiled = compile(path, name);
    if (!compiled) return exit_errors;
    actjit::Program& program = compiled->program;
    const actjit::LoweredFunction& f = find_function(program, path, name);
    const bool f32 = options.dtype == "f32";
    auto round = [&](double v) { return f32 ? static_cast<double>(static_cast<float>(v)) : v; };

    // Parameter values: --param NAME=VALUE, else the default.
    std::vector<double> params;
    std::map<std::string, double> given;
    for (const std::string& assignment : options.params) {
        auto eq = assignment.find('=');
        std::string key = assignment.substr(0, eq);
        char* end = nullptr;
        double value = eq == std::string::npos ? 0 : std::strtod(assignment.c_str() + eq + 1, &end);
        if (eq == std::string::npos || end == assignment.c_str() + eq + 1 || *end != '\0')
            throw UsageError(fmt::format("--param takes NAME=VALUE, not '{}'", assignment));
        bool known = false;
        for (const actjit::ParameterInfo& p : f.info->parameters) known = known || p.name == key;
        if (!known) throw UsageError(fmt::format("'{}' has no parameter '{}'", name, key));
        given[key] = value;
    }
    for (size_t p = 0; p < f.info->parameters.size(); ++p) {
        const std::string& pname = f.info->parameters[p].name;
        if (auto it = given.find(pname); it != given.end()) params.push_back(round(it->second));
        else if (f.defaults[p]) params.push_back(round(*f.defaults[p]));
        else throw UsageError(fmt::format("parameter '{}' of '{}' has no default; give it with --param {}=VALUE",
                                          pname, name, pname));
    }

    // The stable form of the value (and of the derivatives, with --grad).
    actjit::Gradient g = actjit::gradient(program, f);
    std::vector<actjit::Expr> roots{g.value};
    if (options.grad)
        for (const actjit::Derivative& d : g.derivatives)
            roots.push_back(d.expr ? d.expr : program.graph.constant(0));

    std::string line;
    uint64_t index = 0;
    for (size_t line_number = 1; std::getline(std::cin, line); ++line_number) {
        std::vector<double> inputs;
        std::istringstream words(line);
        std::string word;
        while (words >> word) {
            char* end = nullptr;
            double v = std::strtod(word.c_str(), &end);
            if (end == word.c_str() || *end != '\0') {
                fmt::print(stderr, "<stdin>:{}: error: '{}' is not a number\n", line_number, word);
                return exit_errors;
            }
            inputs.push_back(round(v));
        }
        if (inputs.empty()) continue;  // a blank line is not a sample
        if (inputs.size() != f.info->inputs.size()) {
            fmt::print(stderr, "<stdin>:{}: error: '{}' takes {} input{}, and this line has {} number{}\n",
                       line_number, name, f.info->inputs.size(), f.info->inputs.size() == 1 ? "" : "s",
                       inputs.size(), inputs.size() == 1 ? "" : "s");
            return exit_errors;
        }
        std::vector<double> values =
            actjit::interpret(roots, {inputs, params, options.seed, index++, options.inference});
        // NaN policy (LANGUAGE.md §3): a NaN input makes the value and every derivative NaN.
        bool nan_input = false;
        for (double v : inputs) nan_input = nan_input || std::isnan(v);
        std::string out;
        for (size_t i = 0; i < values.size(); ++i)
            out += (i ? " " : "") + format_number(nan_input ? NAN : round(values[i]), f32);
        fmt::print("{}\n", out);
    }
    return exit_ok;
}

int run_list(const std::string& path) {
    auto file = read_source(path);
    if (!file) return exit_errors;
    Loaded loaded = load(*file, false);
    if (!loaded.ok) return exit_errors;
    for (const actjit::FunctionInfo& f : loaded.module.functions)
        fmt::print("{}\n", actjit::signature(*f.definition));
    return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"actjit: activation functions written in one line of text, checked, "
                 "differentiated and compiled.\nSee the README and docs/ for the language."};
    app.set_version_flag("--version", actjit_version());
    app.require_subcommand(1);
    app.fallthrough(false);

    std::string file, emit;

    CLI::App* check = app.add_subcommand(
        "check", "Parse and check FILE; print every error (FILE:LINE:COL: error: ...) and exit 1 "
                 "if there are any, else print nothing and exit 0");
    check->add_option("FILE", file, "A .act file, or - for standard input")->required();
    check->add_option("--emit", emit,
                      "Print a stage: 'ast' (the syntax tree as s-expressions, each node with "
                      "its @LINE:COL) or 'source' (each definition as actjit prints it), both "
                      "after parsing only; 'graph' (each definition's expression graph, calls "
                      "inlined) or 'grad' (its value and derivatives, simplified)")
        ->check(CLI::IsMember({"ast", "source", "graph", "grad"}));

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
                   "fused sigmoid and softplus written out as formulas)");

    EvalOptions eval_options;
    CLI::App* eval = app.add_subcommand(
        "eval", "Evaluate NAME on samples read from standard input, one per line (one number per input; "
                "nan, inf, -inf accepted); print one line per sample: the value, then with --grad the "
                "derivatives (inputs, then learn parameters, per element)");
    eval->add_option("FILE", file, "A .act file")->required();
    eval->add_option("NAME", name, "The definition to evaluate")->required();
    eval->add_option("--dtype", eval_options.dtype, "f32 (default) or f64: inputs, parameters and "
                                                    "results are rounded to it")
        ->check(CLI::IsMember({"f32", "f64"}));
    eval->add_option("--param", eval_options.params, "NAME=VALUE for a parameter (default: its default)");
    eval->add_flag("--grad", eval_options.grad, "Also print the derivatives");
    eval->add_option("--seed", eval_options.seed, "Seed of uniform()'s generator (default 0)");
    eval->add_flag("--inference", eval_options.inference, "uniform(lo, hi) is (lo + hi) / 2");
    eval->add_flag("--interp", eval_options.interp,
                   "Evaluate with the reference interpreter (in double, then rounded to the dtype); "
                   "required until the LLVM backend lands");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);  // prints help or the error message
        return code == 0 ? exit_ok : exit_usage;
    }

    try {
        if (check->parsed()) return run_check(file, emit);
        if (list->parsed()) return run_list(file);
        if (diff->parsed()) return run_diff(file, name, wrt, stable);
        if (eval->parsed()) return run_eval(file, name, eval_options);
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
