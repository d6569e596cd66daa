// "Did you mean" picks the closest name within a third of the name's length.
#include <doctest/doctest.h>

#include "compiler/suggest.hpp"

using actjit::closest_name;

TEST_CASE("a one-letter slip is found, and the closest candidate wins") {
    CHECK(closest_name("alhpa", {"beta", "alpha", "x"}) == "alpha");  // swapped neighbours
    CHECK(closest_name("sigmod", {"sigmoid", "silu"}) == "sigmoid");
    CHECK(closest_name("relu7", {"relu6", "relu"}) == "relu6");        // first of equals
}

TEST_CASE("nothing is suggested when no candidate is close enough") {
    CHECK(closest_name("gamma", {"alpha", "beta"}) == "");
    CHECK(closest_name("a", {"x", "b"}) == "");  // one-letter names are all one edit apart
}

TEST_CASE("the name itself is never its own suggestion") {
    CHECK(closest_name("alpha", {"alpha"}) == "");
}
