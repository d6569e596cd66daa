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

// An error limit (the command's --error-limit) stops the parse once that many errors
// are reported: garbage costs time and memory for 20 errors, not for each of its bytes.
TEST_CASE("an error limit stops the parse and says so; the first errors in file order are shown") {
    std::string text;
    for (int i = 0; i < 10; ++i) text += "f" + std::to_string(i) + "(x) = x +\n";
    SourceFile file("many.act", text);
    Diagnostics diagnostics;
    diagnostics.set_limit(3);
    ParsedFile parsed = parse(file, diagnostics);
    CHECK(diagnostics.error_count() == 3);
    CHECK(diagnostics.full());
    std::string shown = render_all(file, diagnostics);
    CHECK(shown.find("many.act:3:") != std::string::npos);
    CHECK(shown.find("many.act:4:") == std::string::npos);
    CHECK(shown.find("many.act: error: too many errors, stopping after the first 3") != std::string::npos);

    // Random bytes (no NUL): at most the limit, whatever the size.
    std::string junk;
    uint64_t state = 1;
    for (int i = 0; i < 1'000'000; ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        char c = static_cast<char>(state >> 56);
        junk += c == 0 ? ' ' : c;
    }
    SourceFile garbage("junk.act", junk);
    Diagnostics limited;
    limited.set_limit(20);
    parse(garbage, limited);
    CHECK(limited.error_count() <= 20);
    CHECK(limited.full());

    // Without a limit every error is reported.
    Parsed all(text);
    CHECK(all.diagnostics.error_count() == 10);
    CHECK(all.errors().find("too many errors") == std::string::npos);
}

TEST_CASE("a NUL byte makes one error naming its position: a binary file, not ten thousand errors") {
    Parsed p(std::string("f(x) = x\nab\0cd +) (\n", 19));
    CHECK(p.diagnostics.error_count() == 1);
    CHECK(p.errors().find("test.act:2:3: error: this looks like a binary file (NUL byte at 2:3)") != std::string::npos);
}

// A prefix operator's or `^`'s missing operand: the expectation by its name, never the
// parser's C++ type (it was `expected N6actjit6parser6detail23depth_limited_directive...`).
TEST_CASE("a missing operand after a prefix operator or ^ is an expected expression") {
    for (const char* text : {"f(x) = -\n", "f(x) = 2 * -\n", "f(x) = x ^\n", "f(x) = !\n"}) {
        Checked c(text);
        CAPTURE(text);
        CHECK(c.errors().find("error: expected expression, found end of file") != std::string::npos);
        CHECK(c.errors().find("depth_limited") == std::string::npos);
    }
}

// Slips from other languages and from papers, each with the spelling to use instead.
TEST_CASE("common slips get a hint: **, parameters before ';', positional parameters, & and |") {
    auto errors = [](const char* text) { return Checked(text).errors(); };
    CHECK(errors("f(x) = x ** 2\n").find("the power operator is '^' (x ^ 2), not '**'") != std::string::npos);
    CHECK(errors("f(x, alpha = 1) = alpha * x\n").find("expected ')', found '='; parameters come after a ';'") !=
          std::string::npos);
    CHECK(errors("g(x; a = 1) = a * x\nh(x) = g(x, 2)\n")
              .find("'g' takes 1 input, but 2 given; parameters are given by name after ';': g(...; a = ...)") !=
          std::string::npos);
    // `&` for `&&`: the one error, not also "the body is a boolean" for the part before it.
    Checked c("f(x) = x > 0 & x < 1 ? x : 0\nk(x) = f(x) + 1\n");
    CHECK(c.diagnostics.error_count() == 1);
    CHECK(c.errors().find("unexpected '&' after the definition of 'f'; 'and' is '&&'") != std::string::npos);
    CHECK(errors("f(x) = x | 1\n").find("'or' is '||'") != std::string::npos);
}
