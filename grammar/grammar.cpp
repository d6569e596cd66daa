// Instantiates the grammar once, for the iterator and context of config.hpp.
#include "grammar_def.hpp"

#include "config.hpp"

namespace actjit::parser {
BOOST_SPIRIT_INSTANTIATE(definition_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(use_type, iterator_type, context_type)
}  // namespace actjit::parser
