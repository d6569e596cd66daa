// Characters that are not the language's but look like it (or like nothing): what a
// paste from a PDF or a word processor brings in. Each has its Unicode name and what
// to write instead, so that a diagnostic can name the character by code point and
// offer the fix ("U+2212 MINUS SIGN; did you mean '-'?").
#pragma once

#include <cstdint>
#include <string_view>

namespace actjit {

struct Lookalike {
    uint32_t code;
    std::string_view name;     // the Unicode name
    std::string_view instead;  // what to write; empty: delete it
    bool invisible;            // shows as nothing or as a plain space
};

// The entry for a code point, or null.
const Lookalike* lookalike(uint32_t code);

// The code point of the well-formed UTF-8 sequence at text[i] (utf8_sequence_length
// says it is one).
uint32_t decode_utf8(std::string_view text, size_t i);

}  // namespace actjit
