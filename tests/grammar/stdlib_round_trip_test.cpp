// Every definition of the standard library parses, and its syntax tree survives the
// printer: printing it and parsing the text again gives the same tree.
#include <doctest/doctest.h>

#include <set>

#include "../support.hpp"

using namespace actjit;
using namespace actjit::testing;

TEST_CASE("the standard library parses without errors and holds every activation") {
    Parsed p(read_source_file("examples/activations.act"), "activations.act");
    CHECK(p.errors() == "");
    std::set<std::string> names;
    for (const ast::Definition& d : p.parsed.ast.definitions) names.insert(d.name.text);
    // The list of issue "Foundation and front end", deliverable 7.
    for (const char* wanted :
         {"relu", "leaky_relu", "prelu", "rrelu", "elu", "selu", "celu", "relu6", "hardtanh",
          "softplus", "sigmoid", "silu", "swish", "gelu", "gelu_tanh", "quick_gelu", "mish",
          "hardswish", "hardsigmoid", "softsign", "logsigmoid", "tanhshrink", "softshrink",
          "hardshrink", "threshold", "snake", "squareplus", "maxout2", "swiglu", "geglu", "reglu"})
        CHECK_MESSAGE(names.count(wanted) == 1, wanted);
}

TEST_CASE("each standard definition prints as text that parses back to the same tree") {
    Parsed original(read_source_file("examples/activations.act"));
    REQUIRE(original.errors() == "");
    for (const ast::Definition& d : original.parsed.ast.definitions) {
        std::string printed = to_source(d);
        Parsed again(printed);
        CHECK_MESSAGE(again.errors() == "", printed);
        REQUIRE(again.parsed.ast.definitions.size() == 1);
        ParsedFile single;
        single.ast.definitions.push_back(d);
        CHECK(dump(again.parsed) == dump(single));
        // Printing is a fixed point: the printed text prints as itself.
        CHECK(to_source(again.parsed.ast.definitions[0]) == printed);
    }
}

TEST_CASE("the dump of a definition names every node and its operators in order") {
    Parsed p("prelu(x; learn alpha = 0.25) = max(x, alpha * x)\n");
    CHECK(dump(p.parsed) == "(def prelu (x) ((learn alpha 0.25)) (call max x (chain alpha * x)))\n");
    CHECK(dump(p.parsed, &p.file) ==
          "(def@1:1 prelu (x@1:7) ((learn@1:10 alpha@1:16 0.25@1:24)) "
          "(call@1:32 max@1:32 x@1:36 (chain@1:39 alpha@1:39 *@1:45 x@1:47)))\n");
}
