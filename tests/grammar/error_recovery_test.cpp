// A syntax error costs only its own definition: parsing resumes at the next line that
// starts like a definition, so every error of a file is reported.
#include <doctest/doctest.h>

#include "../support.hpp"

using namespace actjit;
using namespace actjit::testing;

TEST_CASE("errors in three definitions are three errors, and the good ones still parse") {
    Parsed p("a(x) = x +\n"
             "b(x) = x\n"
             "c(x) = (x\n"
             "d(x) = x\n"
             "e(x = 1\n"
             "f(x) = x\n");
    CHECK(p.diagnostics.error_count() == 3);
    std::vector<std::string> names;
    for (const ast::Definition& d : p.parsed.ast.definitions) names.push_back(d.name.text);
    // `a` ends where `b(x) = x` starts, so its error is the missing operand, and `b`
    // is not swallowed into a's body as `x + b(x)`.
    CHECK(names == std::vector<std::string>{"b", "d", "f"});
}

TEST_CASE("a call of a definition with a syntax error is not also an unknown name") {
    Checked c("broken(x) = (x\n"
              "user(x) = broken(x) + 1\n");
    CHECK(c.diagnostics.error_count() == 1);
    CHECK(c.errors().find("unknown") == std::string::npos);
}

TEST_CASE("syntax and meaning errors of one file are all reported, in file order") {
    Checked c("f(x) = nope(x)\n"
              "g(x) = (x + )\n"
              "h(x) = exp(x, x)\n");
    CHECK(c.diagnostics.error_count() == 3);
    auto sorted = c.diagnostics.sorted();
    REQUIRE(sorted.size() == 3);
    CHECK(c.file.position(sorted[0].range.begin).line == 1);
    CHECK(c.file.position(sorted[1].range.begin).line == 2);
    CHECK(c.file.position(sorted[2].range.begin).line == 3);
}

TEST_CASE("an empty file and a file of comments are valid and define nothing") {
    CHECK(Checked("").errors() == "");
    Checked comments("# nothing\n\n   # here\n");
    CHECK(comments.errors() == "");
    CHECK(comments.module.functions.empty());
}
