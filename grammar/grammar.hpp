// The .act grammar (LANGUAGE.md §2), declared. One definition (or one `use`) is the unit
// the parse loop runs, so an error in one definition does not hide the ones after it.
#pragma once

#include <boost/spirit/home/x3.hpp>

#include "ast.hpp"
#include "parse.hpp"

namespace actjit::parser {

namespace x3 = boost::spirit::x3;

struct definition_class;
using definition_type = x3::rule<definition_class, ast::Definition>;
BOOST_SPIRIT_DECLARE(definition_type)
struct use_class;
using use_type = x3::rule<use_class, ast::Use>;
BOOST_SPIRIT_DECLARE(use_type)

}  // namespace actjit::parser

namespace actjit {
const parser::definition_type& definition_grammar();
const parser::use_type& use_grammar();
}
