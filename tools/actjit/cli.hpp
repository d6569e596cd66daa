// What the commands of the actjit tool share: reading and checking a file, finding a
// definition, the exit statuses, printing numbers (LANGUAGE.md §6).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/check.hpp"
#include "compiler/files.hpp"
#include "compiler/gradient.hpp"
#include "compiler/lower.hpp"
#include "compiler/search.hpp"
#include "grammar/parse.hpp"

namespace actjit::cli {

constexpr int exit_ok = 0;
constexpr int exit_errors = 1;
constexpr int exit_usage = 2;

// Thrown for wrong command-line use that CLI11 cannot see (an unknown NAME, --wrt or
// --param); main() prints it and exits 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Reads FILE ("-": standard input) whole, in binary. Empty optional: reported.
std::optional<SourceFile> read_source(const std::string& path);

// Parses and (unless `parse_only`) checks FILE and the files it uses; prints every
// diagnostic to stderr, the used files' first.
struct Loaded {
    std::unique_ptr<FileSet> files;
    LoadedFile* root = nullptr;  // FILE, owned by `files`
    bool ok = false;
    const ParsedFile& parsed() const { return root->parsed; }
    const Module& module() const { return root->module; }
};
Loaded load(SourceFile file, bool parse_only);

// The file `use std` names: $ACTJIT_STD if set, else share/actjit/activations.act
// beside the installed binary, else the source tree's examples/activations.act (a
// build tree's binary). `searched` says where it looked. Empty: not found.
std::string standard_library_path(std::string* searched = nullptr);
// The most errors `load` reports before it stops (--error-limit; 0: no limit).
inline size_t error_limit = 20;
// -w, -Werror, -Wno-FLAG
inline Warnings warnings = Warnings::Show;
inline std::vector<std::string> disabled_warnings;
// --color=auto|always|never: auto is colour when standard error is a terminal and
// NO_COLOR is not set (no-color.org).
inline std::string colour_choice = "auto";
bool diagnostics_in_colour();
inline const std::vector<std::string> warning_flag_names{"unused-input", "unused-parameter", "unused-learn",
                                                        "literal-overflow", "empty-range"};
inline bool is_warning_flag(const std::string& flag) {
    for (const std::string& f : warning_flag_names)
        if (f == flag) return true;
    return false;
}
inline std::string warning_flags() {
    std::string out;
    for (const std::string& f : warning_flag_names) out += (out.empty() ? "" : ", ") + f;
    return out;
}

// Every definition's name in FILE, in file order. Empty optional: FILE cannot be read
// or has errors (printed).
std::optional<std::vector<std::string>> definition_names(const std::string& path);


// A file read, checked and lowered. Built in place and never moved: the program
// points into the module, which points into the syntax tree.
struct Compiled {
    Loaded loaded;
    Program program;
};
// Null when FILE cannot be read or has errors (they are printed). Only NAME is lowered.
std::unique_ptr<Compiled> compile(const std::string& path, const std::string& name);
// NAME in FILE: its own definition or a used one (LANGUAGE.md §1); a UsageError with a
// suggestion when there is none, naming the files when several used ones define it.
const LoweredFunction& find_function(const Compiled& compiled, const std::string& file, const std::string& name);

// The shortest text that reads back as the same number in the dtype (`0.6`, not
// `0.600000024`); nan, inf and -inf spelled so.
std::string format_number(double v, bool f32);

// Where VAR (--wrt) is among g's derivatives; a UsageError naming the choices (and the
// closest one) when it is not an input or learn parameter of NAME.
size_t derivative_index(const Gradient& g, const std::string& name, const std::string& var);

// --param NAME=VALUE... and the defaults: every parameter's value, declaration order.
std::vector<double> parameter_values(const LoweredFunction& f, const std::vector<std::string>& assignments);

// A definition's value and derivatives, as `accuracy` and `check --report-accuracy`
// measure them: their names ("value", "d/dx", ..., inputs first), the formula as written
// (a derivative with no dependence is the constant 0) and as the kernels compute it.
// --stabilize: "rules" (the default: the compiler's rules, stabilize.hpp), "off" (the
// formula as written, differentiated and simplified only: the naive baseline), "search"
// (the rules, then the bounded search of search.hpp; `params` and `f32` are what it
// measures at). `search` receives the search's report when asked. `arithmetic`: the
// kernels' (gradient(); jit::arithmetic_of), whose graph is measured.
struct Components {
    std::vector<std::string> names;
    std::vector<Expr> written, stabilized;
    Gradient stable;
    size_t learned = 0;
};
Components components(Program& program, const LoweredFunction& f, const std::string& stabilize = "rules",
                      std::span<const double> params = {}, bool f32 = false, SearchReport* search = nullptr,
                      Arithmetic arithmetic = Arithmetic::Double);

// The commands in their own files.
// check --report-accuracy (report.cpp): the measuring check of every definition in FILE.
int run_report_accuracy(const std::string& path, const std::string& dtype, const std::string& stabilize);
struct EvalOptions {
    std::string dtype = "f32";
    std::vector<std::string> params;
    bool grad = false;
    uint64_t seed = 0;
    bool inference = false;
    bool fast = false;  // --precision fast
    bool interp = false;
    std::string cpu;
    bool verbose = false;  // say on stderr where the kernels came from and how long it took
    std::vector<std::string> wrt;  // only these derivatives (implies --grad)
    std::string format = "text";   // text, csv or json
    std::string range;             // A:B:N instead of standard input
};
int run_eval(const std::string& path, const std::string& name, const EvalOptions& options);

struct KernelCommandOptions {
    std::string dtype = "f32";
    bool fast = false;  // --precision fast
    bool backward = false;
    bool inference = false;
    std::string cpu;
    // bench
    int64_t n = 1 << 20;
    int threads = 1;
    int repetitions = 15;
    bool json = false;
    bool verbose = false;  // the cold compile's phases too
    std::vector<std::string> params;
};
int run_ir(const std::string& path, const std::string& name, const KernelCommandOptions& options);
int run_asm(const std::string& path, const std::string& name, const KernelCommandOptions& options);
int run_bench(const std::string& path, const std::string& name, const KernelCommandOptions& options);

struct PlotOptions {
    std::string out;    // OUT.svg or OUT.png (default NAME.svg)
    std::string range = "-5:5";
    std::vector<std::string> params;
    int points = 801;   // evenly spaced, both ends included (so 0 and ±3 are among them in -5:5)
};
int run_plot(const std::string& path, const std::string& name, const PlotOptions& options);

struct CompareOptions {
    bool json = false;
    std::string cpu;
};
int run_compare(const std::string& path, const std::vector<std::string>& names, const CompareOptions& options);

}  // namespace actjit::cli
