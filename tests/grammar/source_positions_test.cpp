// Byte offsets become the right line and column whatever the line ends, and columns
// count code points, not bytes.
#include <doctest/doctest.h>

#include "grammar/source.hpp"

using actjit::LineColumn;
using actjit::SourceFile;

TEST_CASE("LF, CRLF and a lone CR each end one line") {
    SourceFile f("t.act", "a\r\nb\rc\nd");
    auto at = [&](uint32_t offset) { return f.position(offset); };
    CHECK(at(0).line == 1);
    CHECK(at(3).line == 2);  // b
    CHECK(at(3).column == 1);
    CHECK(at(5).line == 3);  // c
    CHECK(at(7).line == 4);  // d
    CHECK(f.line_text(1) == "a");
    CHECK(f.line_text(2) == "b");
    CHECK(f.line_text(4) == "d");
}

TEST_CASE("columns count code points, so a caret lines up under UTF-8 text") {
    SourceFile f("t.act", "# \xC3\xA9\xE2\x82\xAC x");  // "# é€ x"
    LineColumn x = f.position(8);                        // bytes: '#',' ',2,3,' ' -> x at 8
    CHECK(x.line == 1);
    CHECK(x.column == 6);
}

TEST_CASE("a stray byte counts as one column") {
    SourceFile f("t.act", "a\xFF\xFE" "b");
    CHECK(f.position(3).column == 4);
}

TEST_CASE("UTF-8 validation rejects stray, overlong, surrogate and out-of-range sequences") {
    using actjit::utf8_sequence_length;
    CHECK(utf8_sequence_length("a", 0) == 1);
    CHECK(utf8_sequence_length("\xC3\xA9", 0) == 2);
    CHECK(utf8_sequence_length("\xF0\x9F\x98\x80", 0) == 4);  // U+1F600
    CHECK(utf8_sequence_length("\x80", 0) == 0);              // lone continuation byte
    CHECK(utf8_sequence_length("\xC0\x80", 0) == 0);          // overlong NUL
    CHECK(utf8_sequence_length("\xE0\x80\x80", 0) == 0);      // overlong
    CHECK(utf8_sequence_length("\xED\xA0\x80", 0) == 0);      // surrogate U+D800
    CHECK(utf8_sequence_length("\xF4\x90\x80\x80", 0) == 0);  // beyond U+10FFFF
    CHECK(utf8_sequence_length("\xE2\x82", 0) == 0);          // truncated
}

TEST_CASE("an offset past the end is the end of the last line") {
    SourceFile f("t.act", "ab\ncd");
    LineColumn end = f.position(1000);
    CHECK(end.line == 2);
    CHECK(end.column == 3);
}
