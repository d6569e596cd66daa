// The formatter of `check --emit=source` (grammar/format.hpp): its text parses back to
// the same tree, keeps every comment where the rules say, and is a fixed point.
#include <doctest/doctest.h>

#include <filesystem>

#include "../support.hpp"
#include "grammar/format.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

// The comments' texts, trailing blanks left out.
std::vector<std::string> comment_texts(const SourceFile& file) {
    std::vector<std::string> out;
    for (const Comment& c : comments(file)) {
        std::string t(file.text().substr(c.range.begin, c.range.end - c.range.begin));
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
        out.push_back(t);
    }
    return out;
}

std::string format(const std::string& text) {
    Parsed p(text);
    REQUIRE_MESSAGE(!p.diagnostics.has_errors(), p.errors());
    return format_source(p.parsed, p.file);
}

// The formatted text parses to the same tree (uses and definitions, in order), holds the
// same comments in the same order, and formats as itself.
void check_round_trip(const std::string& text, const std::string& name) {
    CAPTURE(name);
    Parsed original(text);
    REQUIRE_MESSAGE(!original.diagnostics.has_errors(), original.errors());
    std::string formatted = format_source(original.parsed, original.file);
    Parsed again(formatted);
    REQUIRE_MESSAGE(!again.diagnostics.has_errors(), again.errors());
    CHECK(dump(again.parsed) == dump(original.parsed));
    CHECK(comment_texts(again.file) == comment_texts(original.file));
    CHECK(format_source(again.parsed, again.file) == formatted);
}

}  // namespace

TEST_CASE("comments are found to the end of the line, not inside a use line's quoted path") {
    SourceFile f("t.act", "# a\nuse \"x#y.act\" # b\nf(x) = x#c\r\n  # d");
    std::vector<Comment> c = comments(f);
    REQUIRE(c.size() == 4);
    CHECK(comment_texts(f) == std::vector<std::string>{"# a", "# b", "#c", "# d"});
    CHECK(c[0].own_line);
    CHECK(!c[1].own_line);
    CHECK(!c[2].own_line);
    CHECK(c[3].own_line);
}

TEST_CASE("every comment stays in place: own lines, after an item, and from inside an item before it") {
    CHECK(format("# head\r\n\r\n\r\nuse std  # the library\nf(x) = x +  # a\n  # b\n  1   # c   \n\n\n# tail\n"
                 "g(x; a=1)=a*x\n") ==
          "# head\n"
          "\n"
          "use std  # the library\n"
          "# a\n"
          "# b\n"
          "f(x) = x + 1  # c\n"
          "\n"
          "# tail\n"
          "g(x; a = 1) = a * x\n");
    // uses keep their place among the definitions
    CHECK(format("f(x) = x\nuse std\n# end") == "f(x) = x\nuse std\n# end\n");
    CHECK(format("") == "");
    CHECK(format("# only a comment") == "# only a comment\n");
}

TEST_CASE("formatted files parse back to the same tree with the same comments, and format as themselves") {
    for (const char* path : {"examples/activations.act", "examples/mistakes.act", "tests/compiler/literature.act",
                             "tests/tools/readable.act", "tests/tools/hyperbolic.act", "tests/tools/use_std.act",
                             "tests/tools/small.act"}) {
        std::string text = read_source_file(path);
        Parsed p(text);
        if (p.diagnostics.has_errors()) continue;  // mistakes.act has syntax errors on purpose
        check_round_trip(text, path);
    }
    check_round_trip("f(x) = let a = x # one\n  in # two\n  a ? 1 : 2 # three\n", "let");
}
