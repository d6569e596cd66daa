// Boost.Fusion adaptation of the AST, so X3 can fill nodes field by field.
// Chain and Conditional are absent: the parser builds them itself (see grammar_def.hpp).
#pragma once

#include <boost/fusion/include/adapt_struct.hpp>

#include "ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(actjit::ast::Name, text)
BOOST_FUSION_ADAPT_STRUCT(actjit::ast::Number, text)
BOOST_FUSION_ADAPT_STRUCT(actjit::ast::Unary, op, operand)
BOOST_FUSION_ADAPT_STRUCT(actjit::ast::Operation, op, operand)
BOOST_FUSION_ADAPT_STRUCT(actjit::ast::NamedArgument, name, value)
BOOST_FUSION_ADAPT_STRUCT(actjit::ast::Call, callee, arguments, named)
BOOST_FUSION_ADAPT_STRUCT(actjit::ast::ConditionalTail, then_branch, else_branch)
BOOST_FUSION_ADAPT_STRUCT(actjit::ast::Binding, name, value)
BOOST_FUSION_ADAPT_STRUCT(actjit::ast::Let, bindings, body)
BOOST_FUSION_ADAPT_STRUCT(actjit::ast::Parameter, learn, name, default_value)
BOOST_FUSION_ADAPT_STRUCT(actjit::ast::Definition, name, inputs, parameters, body)
BOOST_FUSION_ADAPT_STRUCT(actjit::ast::Use, target)
