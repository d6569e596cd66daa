// `use` lines in the grammar (LANGUAGE.md §2): `use std` and `use "path"`, anywhere
// between definitions (white space separates them, newlines included), each error one
// error that costs only its line.
#include <doctest/doctest.h>

#include "../support.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {
std::vector<std::string> targets(const Parsed& p) {
    std::vector<std::string> out;
    for (const ast::Use& u : p.parsed.ast.uses) out.push_back(u.target);
    return out;
}
}  // namespace

TEST_CASE("use lines are parsed between definitions, in file order") {
    Parsed p("use std\nf(x) = x\nuse \"lib/a b.act\"\ng(x) = x use \"c.act\"\n");
    REQUIRE_MESSAGE(!p.diagnostics.has_errors(), p.errors());
    CHECK(targets(p) == std::vector<std::string>{"std", "\"lib/a b.act\"", "\"c.act\""});
    CHECK(p.parsed.ast.uses[0].standard());
    CHECK(p.parsed.ast.uses[1].path() == "lib/a b.act");
    CHECK(p.parsed.ast.definitions.size() == 2);
    CHECK(to_source(p.parsed.ast.uses[1]) == "use \"lib/a b.act\"");
}

TEST_CASE("a malformed use is one error, and parsing goes on at the next line") {
    Parsed p("use foo\nf(x) = x\nuse \"open\ng(x) = x\nuse\n");
    std::string e = p.errors();
    CHECK(e.find("test.act:1:5: error: expected 'std' or a quoted path, found 'foo'") != std::string::npos);
    CHECK(e.find("test.act:3:10: error: expected '\"' to end the path on its line") != std::string::npos);
    CHECK(e.find("test.act:5:4: error: expected 'std' or a quoted path, found end of file") != std::string::npos);
    CHECK(p.diagnostics.error_count() == 3);
    CHECK(p.parsed.ast.definitions.size() == 2);
}

TEST_CASE("use is a keyword: no definition, input or let takes its name") {
    Parsed p("use(x) = x\n");
    CHECK(p.errors().find("test.act:1:4: error: expected 'std' or a quoted path, found '('; a keyword cannot "
                          "name a definition") != std::string::npos);
    Parsed let("let(x) = x\n");
    CHECK(let.errors().find("test.act:1:1: error: expected a definition, found keyword 'let'; a keyword cannot "
                            "name a definition") != std::string::npos);
    Parsed q("f(use) = 1\n");
    CHECK(q.diagnostics.has_errors());
    Parsed fine("user(x) = x\nf(used) = used\n");
    CHECK_MESSAGE(!fine.diagnostics.has_errors(), fine.errors());
}
