// The helpers the commands share (cli.hpp).
#include "cli.hpp"

#include <cerrno>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <unistd.h>

#include "compiler/suggest.hpp"
#include "grammar/read.hpp"

namespace actjit::cli {

std::optional<SourceFile> read_source(const std::string& path) {
    ReadText read = read_text(path, max_file_size);
    if (!read.text) {
        fmt::print(stderr, "{}: error: {}\n", path == "-" ? "<stdin>" : path, read.error);
        return std::nullopt;
    }
    return SourceFile(path == "-" ? "<stdin>" : path, std::move(*read.text));
}


bool diagnostics_in_colour() {
    if (colour_choice == "always") return true;
    if (colour_choice == "never") return false;
    const char* no_colour = std::getenv("NO_COLOR");
    return ::isatty(STDERR_FILENO) && !(no_colour && *no_colour);
}

Loaded load(const SourceFile& file, bool parse_only) {
    Loaded out;
    Diagnostics diagnostics;
    diagnostics.set_limit(error_limit);
    diagnostics.set_warnings(warnings);
    for (const std::string& flag : disabled_warnings) diagnostics.disable_warning(flag);
    out.parsed = parse(file, diagnostics);
    // A parse that stopped at the limit leaves definitions out: checking the rest would
    // report what is not wrong.
    if (!parse_only && !diagnostics.full()) out.module = check(out.parsed, diagnostics);
    std::string rendered = render_all(file, diagnostics, diagnostics_in_colour());
    std::fwrite(rendered.data(), 1, rendered.size(), stderr);
    if (diagnostics.full()) fmt::print(stderr, "{}: note: --error-limit N sets the limit, 0 removes it\n", file.name());
    auto counted = [](size_t n, const char* what) { return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s"); };
    if (diagnostics.has_errors() && diagnostics.warning_count() > 0)
        fmt::print(stderr, "{} and {} in {}\n", counted(diagnostics.error_count(), "error"),
                   counted(diagnostics.warning_count(), "warning"), file.name());
    else if (diagnostics.has_errors())
        fmt::print(stderr, "{} in {}\n", counted(diagnostics.error_count(), "error"), file.name());
    else if (diagnostics.warning_count() > 0)
        fmt::print(stderr, "{} in {}\n", counted(diagnostics.warning_count(), "warning"), file.name());
    out.ok = !diagnostics.has_errors();
    return out;
}


const LoweredFunction& find_function(const Program& program, const std::string& file,
                                             const std::string& name) {
    if (const LoweredFunction* f = program.find(name)) return *f;
    std::vector<std::string_view> names;
    for (const LoweredFunction& f : program.functions) names.push_back(f.info->name);
    std::string hint = closest_name(name, names);
    throw UsageError(fmt::format("{} has no definition '{}'{}", file, name,
                                 hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
}

std::optional<std::vector<std::string>> definition_names(const std::string& path) {
    auto file = read_source(path);
    if (!file) return std::nullopt;
    Loaded loaded = load(*file, false);
    if (!loaded.ok) return std::nullopt;
    std::vector<std::string> names;
    for (const FunctionInfo& f : loaded.module.functions) names.push_back(f.name);
    return names;
}

std::unique_ptr<Compiled> compile(const std::string& path, const std::string& name) {
    auto c = std::make_unique<Compiled>();
    c->file = read_source(path);
    if (!c->file) return nullptr;
    c->loaded = load(*c->file, false);
    if (!c->loaded.ok) return nullptr;
    c->program = lower(c->loaded.parsed, c->loaded.module, name);
    return c;
}

std::string format_number(double v, bool f32) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return f32 ? fmt::format("{}", static_cast<float>(v)) : fmt::format("{}", v);
}

size_t derivative_index(const Gradient& g, const std::string& name, const std::string& var) {
    std::vector<std::string_view> variables;
    for (size_t i = 0; i < g.derivatives.size(); ++i) {
        if (g.derivatives[i].variable == var) return i;
        variables.push_back(g.derivatives[i].variable);
    }
    std::string hint = closest_name(var, variables), all;
    for (std::string_view v : variables) all += (all.empty() ? "" : ", ") + std::string(v);
    throw UsageError(fmt::format("'{}' is not an input or learn parameter of '{}'{}", var, name,
                                 !hint.empty() ? fmt::format("; did you mean '{}'?", hint)
                                               : fmt::format(" (those are: {})", all)));
}

std::vector<double> parameter_values(const LoweredFunction& f, const std::vector<std::string>& assignments) {
    std::map<std::string, double> given;
    for (const std::string& assignment : assignments) {
        auto eq = assignment.find('=');
        std::string key = assignment.substr(0, eq);
        if (eq == std::string::npos || key.empty())
            throw UsageError(fmt::format("--param takes NAME=VALUE, not '{}'", assignment));
        bool known = false;
        std::vector<std::string_view> names;
        for (const ParameterInfo& p : f.info->parameters) {
            known = known || p.name == key;
            names.push_back(p.name);
        }
        if (!known) {
            std::string hint = closest_name(key, names);
            std::string all;
            for (std::string_view n : names) all += (all.empty() ? "" : ", ") + std::string(n);
            throw UsageError(fmt::format("'{}' has no parameter '{}'{}", f.info->name, key,
                                         !hint.empty() ? fmt::format("; did you mean '{}'?", hint)
                                         : names.empty() ? std::string(" (it has none)")
                                                         : fmt::format(" (its parameters: {})", all)));
        }
        const std::string text = assignment.substr(eq + 1);
        char* end = nullptr;
        double value = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0')
            throw UsageError(fmt::format("--param {}: '{}' is not a number", key, text));
        given[key] = value;
    }
    std::vector<double> params;
    for (size_t p = 0; p < f.info->parameters.size(); ++p) {
        const std::string& pname = f.info->parameters[p].name;
        if (auto it = given.find(pname); it != given.end()) params.push_back(it->second);
        else if (f.defaults[p]) params.push_back(*f.defaults[p]);
        else throw UsageError(fmt::format("parameter '{}' of '{}' has no default; give it with --param {}=VALUE",
                                          pname, f.info->name, pname));
    }
    return params;
}

}  // namespace actjit::cli
