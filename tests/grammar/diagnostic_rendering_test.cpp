// A diagnostic is drawn as `FILE:LINE:COL: error: MESSAGE`, the source line, and a
// caret line that keeps the line's tabs so that it lines up in any terminal.
#include <doctest/doctest.h>

#include "grammar/source.hpp"

using namespace actjit;

TEST_CASE("an error shows its position, the line, and ^~~ under its range") {
    SourceFile f("dir/t.act", "f(x) = 1\ng(x) = foo + 1\n");
    Diagnostic d{Severity::Error, {16, 19}, "unknown name 'foo'"};
    CHECK(render(f, d) == "dir/t.act:2:8: error: unknown name 'foo'\n"
                          "g(x) = foo + 1\n"
                          "       ^~~\n");
}

TEST_CASE("tabs before the caret are repeated in the caret line") {
    SourceFile f("t.act", "\tf(x) =\t@\n");
    Diagnostic d{Severity::Error, {8, 9}, "m"};
    CHECK(render(f, d) == "t.act:1:9: error: m\n\tf(x) =\t@\n\t      \t^\n");
}

TEST_CASE("a point at the end of a line puts the caret after its last character") {
    SourceFile f("t.act", "f(x) = (x\n");
    Diagnostic d{Severity::Error, {9, 9}, "expected ')'"};
    CHECK(render(f, d) == "t.act:1:10: error: expected ')'\nf(x) = (x\n         ^\n");
}

TEST_CASE("stray bytes and control characters are drawn as <XX>, and the caret follows") {
    SourceFile f("t.act", "a\xFF" "b\n");
    Diagnostic d{Severity::Error, {2, 3}, "m"};
    CHECK(render(f, d) == "t.act:1:3: error: m\na<FF>b\n     ^\n");
}

TEST_CASE("a very long line is cut to a window around the caret") {
    std::string line(5000, 'x');
    line[3000] = '@';
    SourceFile f("t.act", line);
    Diagnostic d{Severity::Error, {3000, 3001}, "m"};
    std::string out = render(f, d);
    CHECK(out.size() < 400);
    CHECK(out.find("...x") != std::string::npos);
    auto lines_start = out.find('\n') + 1;
    auto second = out.find('\n', lines_start) + 1;
    std::string source_line = out.substr(lines_start, second - lines_start - 1);
    std::string caret_line = out.substr(second);
    CHECK(source_line[caret_line.find('^')] == '@');
}

TEST_CASE("a line of megabytes is cut at whole characters around the caret") {
    std::string line;
    for (int i = 0; i < 1'500'000; ++i) line += "\u20ac";  // 3 bytes each
    SourceFile f("t.act", line);
    uint32_t at = 3 * 750'000;
    Diagnostic d{Severity::Error, {at, at + 3}, "m"};
    std::string out = render(f, d);
    CHECK(out.size() < 1000);
    CHECK(out.find("...\u20ac") != std::string::npos);
    CHECK(out.find("\u20ac...") != std::string::npos);
    CHECK(out.find('<') == std::string::npos);  // whole characters, none shown as <XX>
    CHECK(out.find("t.act:1:750001: error: m") == 0);
}

TEST_CASE("diagnostics come out in file order, each note after its error") {
    SourceFile f("t.act", "a\nb\nc\n");
    Diagnostics list;
    list.error({4, 5}, "second");
    list.note({0, 1}, "note of second");
    list.error({2, 3}, "first");
    auto sorted = list.sorted();
    REQUIRE(sorted.size() == 3);
    CHECK(sorted[0].message == "first");
    CHECK(sorted[1].message == "second");
    CHECK(sorted[2].message == "note of second");
    CHECK(list.error_count() == 2);
}

TEST_CASE("in colour: clang's colours around the same text, and none without") {
    SourceFile f("t.act", "f(x) = y\n");
    Diagnostic d{Severity::Error, {7, 8}, "unknown name 'y'"};
    std::string plain = render(f, d), coloured = render(f, d, true);
    CHECK(plain.find('\033') == std::string::npos);
    CHECK(coloured.find("\033[1mt.act:1:8: \033[1;31merror: \033[0m\033[1munknown name 'y'\033[0m\n") == 0);
    CHECK(coloured.find("\033[1;32m       ^\033[0m\n") != std::string::npos);
    Diagnostic w{Severity::Warning, {0, 1}, "m"};
    CHECK(render(f, w, true).find("\033[1;35mwarning: ") != std::string::npos);
    // Without the escapes, the same text.
    std::string stripped;
    for (size_t i = 0; i < coloured.size(); ++i) {
        if (coloured[i] == '\033') {
            i = coloured.find('m', i);
            continue;
        }
        stripped += coloured[i];
    }
    CHECK(stripped == plain);
}
