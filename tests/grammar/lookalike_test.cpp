// grammar/lookalike.cpp through the parser: characters outside ASCII named by code point
// with what to write instead.
#include <doctest/doctest.h>

#include "../support.hpp"

using namespace actjit;
using namespace actjit::testing;

// What a paste from a PDF brings in: named by code point, with what to write instead,
// and an invisible one drawn as <U+XXXX> in the source line (LANGUAGE.md §1: a leading
// byte-order mark is ignored).
TEST_CASE("invisible and look-alike characters are named by code point with a fix-it") {
    auto first_error = [](const std::string& text) {
        Checked c(text);
        std::string all = c.errors();
        return all.substr(0, all.find('\n'));
    };
    CHECK(Checked("\xEF\xBB\xBF" "f(x) = x\n").errors() == "");
    CHECK(first_error("\xEF\xBB\xBF" "f(x) = +\n") == "test.act:1:9: error: expected expression, found end of file");
    CHECK(first_error("f(x) = x\xC2\xA0+ 1\n") ==
          "test.act:1:9: error: unexpected U+00A0 NO-BREAK SPACE (invisible) after the definition of 'f'; "
          "did you mean a plain space?");
    CHECK(first_error("f(x) = x \xE2\x88\x92 1\n") ==
          "test.act:1:10: error: unexpected '\xE2\x88\x92' (U+2212 MINUS SIGN) after the definition of 'f'; did you mean '-'?");
    CHECK(first_error("f(x) = 2 \xC3\x97 x\n").find("(U+00D7 MULTIPLICATION SIGN) after the definition of 'f'; "
                                                    "did you mean '*'?") != std::string::npos);
    CHECK(first_error("f(x; \xCE\xB1 = 1) = x\n") ==
          "test.act:1:6: error: expected parameter name, found '\xCE\xB1' (U+03B1 GREEK SMALL LETTER ALPHA); "
          "did you mean 'alpha'? (names are ASCII)");
    CHECK(first_error("f(x) = x\xE2\x80\x8B+ 1\n").find("U+200B ZERO WIDTH SPACE (invisible) after the definition of "
                                                         "'f'; delete it") != std::string::npos);
    CHECK(first_error("f(x) = (\xC3\xA4)\n").find("found '\xC3\xA4' (U+00E4); names and operators are ASCII") !=
          std::string::npos);
    // The source line shows the invisible character.
    CHECK(Checked("f(x) = x\xE2\x80\x8B+ 1\n").errors().find("f(x) = x<U+200B>+ 1\n        ^~~~~~~~") != std::string::npos);
}
