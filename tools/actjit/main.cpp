// actjit: the command line (LANGUAGE.md §6). Exit status: 0 success, 1 errors in the
// .act file (or it cannot be read), 2 wrong command-line use.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "compiler/check.hpp"
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

int run_check(const std::string& path, const std::string& emit) {
    auto file = read_source(path);
    if (!file) return exit_errors;
    Loaded loaded = load(*file, !emit.empty());
    if (emit == "ast") {
        std::string dumped = actjit::dump(loaded.parsed, &*file);
        std::fwrite(dumped.data(), 1, dumped.size(), stdout);
    } else if (emit == "source") {
        for (const actjit::ast::Definition& d : loaded.parsed.ast.definitions)
            fmt::print("{}\n", actjit::to_source(d));
    }
    return loaded.ok ? exit_ok : exit_errors;
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
                      "Stop after parsing and print the file: 'ast' (the syntax tree as "
                      "s-expressions, each node with its @LINE:COL) or 'source' (each definition "
                      "as actjit prints it)")
        ->check(CLI::IsMember({"ast", "source"}));

    CLI::App* list = app.add_subcommand(
        "list", "Check FILE and print one line per definition: its signature (inputs; "
                "parameters with their defaults, 'learn' marking learnable ones)");
    list->add_option("FILE", file, "A .act file, or - for standard input")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);  // prints help or the error message
        return code == 0 ? exit_ok : exit_usage;
    }

    try {
        if (check->parsed()) return run_check(file, emit);
        if (list->parsed()) return run_list(file);
    } catch (const std::bad_alloc&) {
        fmt::print(stderr, "actjit: error: out of memory\n");
        return exit_errors;
    }
    return exit_usage;
}
