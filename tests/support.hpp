// What the tests share: parse (and check) a text, read a file of the source tree.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "compiler/check.hpp"
#include "grammar/parse.hpp"
#include "grammar/printer.hpp"

namespace actjit::testing {

struct Parsed {
    SourceFile file;
    Diagnostics diagnostics;
    ParsedFile parsed;

    // Warnings are left out unless asked for: the tests that look at them say so.
    explicit Parsed(std::string text, std::string name = "test.act", Warnings warnings = Warnings::Off)
        : file(std::move(name), std::move(text)), diagnostics(with(warnings)), parsed(parse(file, diagnostics)) {}
    static Diagnostics with(Warnings warnings) {
        Diagnostics d;
        d.set_warnings(warnings);
        return d;
    }

    std::string errors() const { return render_all(file, diagnostics); }
};

struct Checked : Parsed {
    Module module;
    explicit Checked(std::string text, Warnings warnings = Warnings::Off)
        : Parsed(std::move(text), "test.act", warnings), module(check(parsed, diagnostics)) {}
};

inline std::string read_source_file(const std::string& relative) {
    std::ifstream in(std::string(ACTJIT_SOURCE_DIR) + "/" + relative, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline std::string repeat(const std::string& s, size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (size_t i = 0; i < n; ++i) out += s;
    return out;
}

}  // namespace actjit::testing
