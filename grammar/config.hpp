// The types the grammar is instantiated with: iterator, skipper and parse context.
#pragma once

#include <boost/spirit/home/x3.hpp>

#include "error_handler.hpp"

namespace actjit::parser {

namespace x3 = boost::spirit::x3;

// White space (newlines included) and `#` comments to the end of the line.
// Explicit character sets, not x3::ascii classes: those assert on bytes >= 0x80.
inline const auto skipper = x3::char_(" \t\r\n\v\f") | ('#' >> *~x3::char_("\r\n"));
using skipper_type = std::remove_cv_t<decltype(skipper)>;

using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using context_type =
    x3::context<error_handler_tag, std::reference_wrapper<ErrorHandler>, phrase_context_type>;

}  // namespace actjit::parser
