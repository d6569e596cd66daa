// The helpers the commands share (cli.hpp).
#include "cli.hpp"

#include <cerrno>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <filesystem>
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

std::string standard_library_path(std::string* searched) {
    namespace fs = std::filesystem;
    std::vector<std::string> candidates;
    if (const char* given = std::getenv("ACTJIT_STD"); given && *given) candidates.push_back(given);
    std::error_code error;
    fs::path self = fs::read_symlink("/proc/self/exe", error);
    if (!error) candidates.push_back((self.parent_path().parent_path() / "share/actjit/activations.act").string());
    candidates.push_back(ACTJIT_SOURCE_DIR "/examples/activations.act");
    for (const std::string& c : candidates)
        if (fs::is_regular_file(c, error)) return c;
    if (searched) {
        searched->clear();
        for (const std::string& c : candidates) *searched += (searched->empty() ? "" : ", ") + c;
    }
    return {};
}

Loaded load(SourceFile file, bool parse_only) {
    LoadOptions options;
    options.standard_library = standard_library_path(&options.standard_library_search);
    options.error_limit = error_limit;
    options.warnings = warnings;
    options.disabled_warnings = disabled_warnings;
    Loaded out;
    out.files = std::make_unique<FileSet>(std::move(options));
    out.root = &out.files->load(std::move(file), parse_only);
    out.ok = true;
    const bool colour = diagnostics_in_colour();
    auto counted = [](size_t n, const char* what) { return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s"); };
    for (const LoadedFile* f : out.files->files()) {
        const Diagnostics& diagnostics = f->diagnostics;
        const std::string& name = f->source.name();
        std::string rendered = render_all(f->source, diagnostics, colour);
        std::fwrite(rendered.data(), 1, rendered.size(), stderr);
        if (diagnostics.full()) fmt::print(stderr, "{}: note: --error-limit N sets the limit, 0 removes it\n", name);
        if (diagnostics.has_errors() && diagnostics.warning_count() > 0)
            fmt::print(stderr, "{} and {} in {}\n", counted(diagnostics.error_count(), "error"),
                       counted(diagnostics.warning_count(), "warning"), name);
        else if (diagnostics.has_errors())
            fmt::print(stderr, "{} in {}\n", counted(diagnostics.error_count(), "error"), name);
        else if (diagnostics.warning_count() > 0)
            fmt::print(stderr, "{} in {}\n", counted(diagnostics.warning_count(), "warning"), name);
        out.ok = out.ok && !diagnostics.has_errors();
    }
    return out;
}


const LoweredFunction& find_function(const Compiled& compiled, const std::string& file, const std::string& name) {
    const Module& module = compiled.loaded.module();
    std::vector<const FunctionInfo*> found = module.resolve(name);
    if (found.size() == 1)
        if (const LoweredFunction* f = compiled.program.find(found[0])) return *f;
    if (found.size() > 1) {
        std::string files;
        for (const Module* m : module.uses)
            if (m->find(name)) files += (files.empty() ? "" : ", ") + m->source->name();
        throw UsageError(fmt::format("'{}' is defined in more than one file {} uses ({}); define it there to choose",
                                     name, file, files));
    }
    std::vector<std::string_view> names;
    for (const FunctionInfo& f : module.functions) names.push_back(f.name);
    for (const Module* m : module.uses)
        for (const FunctionInfo& f : m->functions) names.push_back(f.name);
    std::string hint = closest_name(name, names);
    throw UsageError(fmt::format("{} has no definition '{}'{}", file, name,
                                 hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
}

std::optional<std::vector<std::string>> definition_names(const std::string& path) {
    auto file = read_source(path);
    if (!file) return std::nullopt;
    Loaded loaded = load(std::move(*file), false);
    if (!loaded.ok) return std::nullopt;
    std::vector<std::string> names;
    for (const FunctionInfo& f : loaded.module().functions) names.push_back(f.name);
    return names;
}

std::unique_ptr<Compiled> compile(const std::string& path, const std::string& name) {
    auto c = std::make_unique<Compiled>();
    auto file = read_source(path);
    if (!file) return nullptr;
    c->loaded = load(std::move(*file), false);
    if (!c->loaded.ok) return nullptr;
    c->program = lower(c->loaded.parsed(), c->loaded.module(), name);
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

Components components(Program& program, const LoweredFunction& f, const std::string& stabilize,
                      std::span<const double> params, bool f32, SearchReport* search, Arithmetic arithmetic) {
    Components c;
    Gradient readable = readable_gradient(program, f);
    c.stable = stabilize == "off" ? readable : gradient(program, f, arithmetic);
    c.names.push_back("value");
    c.written.push_back(readable.value);
    c.stabilized.push_back(c.stable.value);
    for (size_t j = 0; j < readable.derivatives.size(); ++j) {
        c.names.push_back("d/d" + readable.derivatives[j].variable);
        Expr w = readable.derivatives[j].expr, s = c.stable.derivatives[j].expr;
        if (!w) w = program.graph.constant(0);  // no dependence: identically 0
        c.written.push_back(w);
        c.stabilized.push_back(s ? s : w);
        if (j >= f.info->inputs.size()) ++c.learned;
    }
    if (stabilize == "search") {
        std::vector<Expr> found = search_stabilized(program.graph, c.written, c.stabilized, f.info->inputs.size(), params,
                                                    f32, search);
        c.stabilized = found;
        c.stable.value = found[0];
        for (size_t j = 0; j < c.stable.derivatives.size(); ++j)
            if (c.stable.derivatives[j].expr) c.stable.derivatives[j].expr = found[j + 1];
    }
    return c;
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
