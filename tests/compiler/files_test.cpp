// `use std` and `use "file.act"` (LANGUAGE.md §1): resolution, precedence, ambiguity,
// cycles, failed uses, and lowering a call into a used file. The files are served from
// memory; the standard library is the source tree's.
#include <cmath>
#include <filesystem>
#include <map>

#include <doctest/doctest.h>

#include "compiler/files.hpp"
#include "compiler/interpret.hpp"
#include "compiler/lower.hpp"

namespace actjit {

namespace {

struct Files {
    std::map<std::string, std::string> texts;  // path -> text
    FileSet set;
    Files(std::initializer_list<std::pair<const std::string, std::string>> t) : texts(t), set(options()) {}
    LoadOptions options() {
        LoadOptions o;
        o.standard_library = ACTJIT_SOURCE_DIR "/examples/activations.act";
        o.read = [this](const std::string& path) {
            if (auto it = texts.find(path); it != texts.end()) return ReadText{it->second, {}};
            if (path == ACTJIT_SOURCE_DIR "/examples/activations.act") return read_text(path, max_file_size);
            return ReadText{std::nullopt, "cannot open the file: No such file or directory"};
        };
        return o;
    }
    LoadedFile& load(const std::string& path) { return set.load(SourceFile(path, texts.at(path))); }
    // Every file's diagnostics, as the command line shows them.
    std::string errors() const {
        std::string out;
        for (const LoadedFile* f : set.files()) out += render_all(f->source, f->diagnostics);
        return out;
    }
    bool ok() const {
        for (const LoadedFile* f : set.files())
            if (f->diagnostics.has_errors()) return false;
        return true;
    }
};

double value_at(const LoadedFile& file, const std::string& name, double x, std::vector<double> params = {}) {
    Program program = lower(file.parsed, file.module, name);
    std::vector<const FunctionInfo*> f = file.module.resolve(name);
    REQUIRE(f.size() == 1);
    const double inputs[] = {x};
    return interpret(program.find(f[0])->body, {inputs, params});
}

}  // namespace

TEST_CASE("use std makes the standard library callable, and calls into it are inlined") {
    Files files({{"main.act", "f(x) = x * sigmoid(x)\nuse std\n"}});
    LoadedFile& main = files.load("main.act");
    REQUIRE_MESSAGE(files.ok(), files.errors());
    CHECK(value_at(main, "f", 1.5) == doctest::Approx(1.5 / (1 + std::exp(-1.5))).epsilon(1e-15));
    // A command's NAME may be a used definition.
    CHECK(value_at(main, "softplus", 2, {1}) == doctest::Approx(std::log1p(std::exp(2.0))).epsilon(1e-15));
}

TEST_CASE("a file's own definition takes precedence over a used one") {
    Files files({{"main.act", "use std\nsilu(x) = 2 * x\ng(x) = silu(x)\n"}});
    LoadedFile& main = files.load("main.act");
    REQUIRE_MESSAGE(files.ok(), files.errors());
    CHECK(value_at(main, "g", 3) == 6);
    CHECK(value_at(main, "silu", 3) == 6);
}

TEST_CASE("without use std, a standard activation's name says how to get it") {
    Files files({{"main.act", "g(x) = sigmoid(x)\n"}});
    files.load("main.act");
    CHECK(files.errors().find("unknown function 'sigmoid'; it is in the standard library: add `use std`") !=
          std::string::npos);
}

TEST_CASE("use is not transitive, but a used file's calls reach what it uses") {
    Files files({{"dir/main.act", "use \"lib/a.act\"\nh(x) = g(x)\n"},
                 {"dir/lib/a.act", "use std\ng(x) = sigmoid(x) + 1\n"}});
    LoadedFile& main = files.load("dir/main.act");
    REQUIRE_MESSAGE(files.ok(), files.errors());
    CHECK(value_at(main, "h", 0) == 1.5);
    CHECK(main.module.resolve("sigmoid").empty());

    Files direct({{"main.act", "use \"a.act\"\nh(x) = sigmoid(x)\n"}, {"a.act", "use std\ng(x) = x\n"}});
    direct.load("main.act");
    CHECK(direct.errors().find("main.act:2:8: error: unknown function 'sigmoid'") != std::string::npos);
}

TEST_CASE("a name two used files define is an error where it is called, with a note at each") {
    Files files({{"main.act", "use \"p1.act\"\nuse \"p2.act\"\nr(x) = p(x)\n"},
                 {"p1.act", "p(x) = x\n"},
                 {"p2.act", "q(x) = x\np(x) = 2 * x\n"}});
    files.load("main.act");
    std::string e = files.errors();
    CHECK(e.find("main.act:3:8: error: 'p' is ambiguous: 2 of the files this one uses define it") != std::string::npos);
    CHECK(e.find("p1.act:1:1: note: 'p' is defined here") != std::string::npos);
    CHECK(e.find("p2.act:2:1: note: 'p' is defined here") != std::string::npos);
    // Not called, not ambiguous.
    Files quiet({{"main.act", "use \"p1.act\"\nuse \"p2.act\"\nr(x) = q(x)\n"},
                 {"p1.act", "p(x) = x\n"},
                 {"p2.act", "q(x) = x\np(x) = 2 * x\n"}});
    quiet.load("main.act");
    CHECK_MESSAGE(quiet.ok(), quiet.errors());
}

TEST_CASE("the same file used twice, spelt two ways, is one file") {
    // A relative and an absolute path to one file (its identity is its canonical path).
    const std::string absolute = (std::filesystem::current_path() / "p1.act").string();
    Files files({{"main.act", "use \"p1.act\"\nuse \"" + absolute + "\"\nr(x) = p(x)\n"}, {"p1.act", "p(x) = x\n"},
                 {absolute, "p(x) = x\n"}});
    LoadedFile& main = files.load("main.act");
    CHECK_MESSAGE(files.ok(), files.errors());
    CHECK(main.module.uses.size() == 1);
}

TEST_CASE("a cycle of use is an error at the use that closes it, without a cascade") {
    Files files({{"a.act", "use \"b.act\"\nh(x) = k(x)\n"}, {"b.act", "use \"a.act\"\nk(x) = h(x)\n"}});
    files.load("a.act");
    std::string e = files.errors();
    CHECK(e.find("b.act:1:1: error: 'use' makes a cycle: a.act -> b.act -> a.act") != std::string::npos);
    CHECK(e.find("a.act:1:1: error: 'b.act' has errors (reported above)") != std::string::npos);
    CHECK(e.find("unknown function") == std::string::npos);
    Files self({{"a.act", "use \"a.act\"\nh(x) = x\n"}});
    self.load("a.act");
    CHECK(self.errors().find("'use' makes a cycle: a.act -> a.act") != std::string::npos);
}

TEST_CASE("a used file's errors are reported in it, and its use fails") {
    Files files({{"main.act", "use \"bad.act\"\nr(x) = p(x)\n"}, {"bad.act", "p(x) = x +\n"}});
    files.load("main.act");
    std::string e = files.errors();
    CHECK(e.find("bad.act:1:11: error: expected expression") != std::string::npos);
    CHECK(e.find("main.act:1:1: error: 'bad.act' has errors (reported above)") != std::string::npos);
    CHECK(e.find("unknown function 'p'") == std::string::npos);
    // Used files come first, the file itself last.
    CHECK(e.find("bad.act:1:11") < e.find("main.act:1:1"));
}

TEST_CASE("a missing file or a missing standard library is an error at the use") {
    Files files({{"main.act", "use \"nowhere.act\"\nr(x) = x\n"}});
    files.load("main.act");
    CHECK(files.errors().find("main.act:1:1: error: cannot use 'nowhere.act': cannot open the file") !=
          std::string::npos);
    LoadOptions o;
    o.standard_library_search = "/a, /b";
    FileSet set(o);
    LoadedFile& f = set.load(SourceFile("main.act", "use std\n"));
    CHECK(render_all(f.source, f.diagnostics).find("the standard library is not installed where actjit looks for "
                                                   "it (/a, /b)") != std::string::npos);
}

TEST_CASE("use paths are relative to the file that uses them") {
    CHECK(resolve_use_path("dir/main.act", "lib/x.act") == "dir/lib/x.act");
    CHECK(resolve_use_path("dir/main.act", "../x.act") == "x.act");
    CHECK(resolve_use_path("main.act", "x.act") == "x.act");
    CHECK(resolve_use_path("<stdin>", "x.act") == "x.act");
    CHECK(resolve_use_path("dir/main.act", "/abs/x.act") == "/abs/x.act");
}

}  // namespace actjit
