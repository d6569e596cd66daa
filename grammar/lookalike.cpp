#include "lookalike.hpp"

#include <algorithm>
#include <array>

namespace actjit {

namespace {

// Sorted by code point.
constexpr std::array<Lookalike, 44> table{{
    {0x00A0, "NO-BREAK SPACE", " ", true},
    {0x00AD, "SOFT HYPHEN", "", true},
    {0x00B2, "SUPERSCRIPT TWO", "^2", false},
    {0x00B3, "SUPERSCRIPT THREE", "^3", false},
    {0x00B7, "MIDDLE DOT", "*", false},
    {0x00D7, "MULTIPLICATION SIGN", "*", false},
    {0x00F7, "DIVISION SIGN", "/", false},
    {0x03B1, "GREEK SMALL LETTER ALPHA", "alpha", false},
    {0x03B2, "GREEK SMALL LETTER BETA", "beta", false},
    {0x03B3, "GREEK SMALL LETTER GAMMA", "gamma", false},
    {0x03B4, "GREEK SMALL LETTER DELTA", "delta", false},
    {0x03B5, "GREEK SMALL LETTER EPSILON", "epsilon", false},
    {0x03BB, "GREEK SMALL LETTER LAMDA", "lambda", false},
    {0x03BC, "GREEK SMALL LETTER MU", "mu", false},
    {0x03C0, "GREEK SMALL LETTER PI", "pi", false},
    {0x03C3, "GREEK SMALL LETTER SIGMA", "sigma", false},
    {0x03C4, "GREEK SMALL LETTER TAU", "tau", false},
    {0x2002, "EN SPACE", " ", true},
    {0x2003, "EM SPACE", " ", true},
    {0x2009, "THIN SPACE", " ", true},
    {0x200A, "HAIR SPACE", " ", true},
    {0x200B, "ZERO WIDTH SPACE", "", true},
    {0x200C, "ZERO WIDTH NON-JOINER", "", true},
    {0x200D, "ZERO WIDTH JOINER", "", true},
    {0x2010, "HYPHEN", "-", false},
    {0x2011, "NON-BREAKING HYPHEN", "-", false},
    {0x2012, "FIGURE DASH", "-", false},
    {0x2013, "EN DASH", "-", false},
    {0x2014, "EM DASH", "-", false},
    {0x2018, "LEFT SINGLE QUOTATION MARK", "'", false},
    {0x2019, "RIGHT SINGLE QUOTATION MARK", "'", false},
    {0x201C, "LEFT DOUBLE QUOTATION MARK", "\"", false},
    {0x201D, "RIGHT DOUBLE QUOTATION MARK", "\"", false},
    {0x202F, "NARROW NO-BREAK SPACE", " ", true},
    {0x2060, "WORD JOINER", "", true},
    {0x2212, "MINUS SIGN", "-", false},
    {0x2215, "DIVISION SLASH", "/", false},
    {0x2217, "ASTERISK OPERATOR", "*", false},
    {0x221A, "SQUARE ROOT", "sqrt", false},
    {0x22C5, "DOT OPERATOR", "*", false},
    {0x2260, "NOT EQUAL TO", "!=", false},
    {0x2264, "LESS-THAN OR EQUAL TO", "<=", false},
    {0x2265, "GREATER-THAN OR EQUAL TO", ">=", false},
    {0xFEFF, "ZERO WIDTH NO-BREAK SPACE", "", true},
}};

}  // namespace

const Lookalike* lookalike(uint32_t code) {
    auto it = std::lower_bound(table.begin(), table.end(), code,
                               [](const Lookalike& l, uint32_t c) { return l.code < c; });
    return it != table.end() && it->code == code ? &*it : nullptr;
}

uint32_t decode_utf8(std::string_view text, size_t i) {
    auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(text[i + k])); };
    uint32_t c = byte(0);
    if (c < 0x80) return c;
    if (c < 0xE0) return ((c & 0x1F) << 6) | (byte(1) & 0x3F);
    if (c < 0xF0) return ((c & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
    return ((c & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F);
}

}  // namespace actjit
