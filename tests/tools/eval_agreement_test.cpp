// `actjit eval` (the JIT kernels) agrees with `actjit eval --interp` (the reference
// interpreter in double) on every standard definition, f32 and f64, with --grad (and
// --seed for rrelu, --param for prelu): to
// 8 units in the last place of the dtype, and exactly on NaN, ±inf and ±0; except in
// the neighbourhood of a root, where a result much smaller than the terms that cancel
// in it (a tenth of them or less: tanhshrink near 0 is x - tanh(x), its slope
// 1 - 4 sigmoid(2x) sigmoid(-2x))
// carries the rounding errors of those terms: there the bound is 8 units of the terms'
// size, max(1, |x|). Such points are counted and printed.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <sstream>

#include <fmt/format.h>

#include "../support.hpp"

using namespace actjit::testing;

namespace {

std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    size_t got;
    while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, got);
    CHECK(pclose(pipe) == 0);
    return out;
}

std::vector<double> numbers(const std::string& text) {
    std::istringstream in(text);
    std::vector<double> out;
    std::string word;
    while (in >> word) out.push_back(std::strtod(word.c_str(), nullptr));
    return out;
}

}  // namespace

TEST_CASE("actjit eval's kernels agree with eval --interp on every standard definition") {
    std::string lib = std::string(ACTJIT_SOURCE_DIR) + "/examples/activations.act";
    std::string names = run(fmt::format("{} list {} | sed 's/(.*//'", ACTJIT_BINARY, lib));
    std::string samples = "/tmp/actjit-eval-agreement.txt";
    {
        std::string one, two;
        for (double x : {-1e4, -100.0, -10.0, -3.5, -1.0, -0.25, -1e-6, -0.0, 0.0, 1e-6, 0.3, 1.0, 2.5, 7.0, 30.0, 1e4,
                         double(INFINITY), -double(INFINITY), double(NAN)}) {
            one += fmt::format("{}\n", x);
            two += fmt::format("{} {}\n", x, 0.75 - x / 3);
        }
        std::FILE* f = std::fopen(samples.c_str(), "w");
        std::fputs(one.c_str(), f);
        std::fclose(f);
        f = std::fopen((samples + "2").c_str(), "w");
        std::fputs(two.c_str(), f);
        std::fclose(f);
    }
    std::istringstream list(names);
    std::string name;
    int compared = 0, neighbourhood = 0;
    std::vector<double> numbers_in;
    for (double x : {-1e4, -100.0, -10.0, -3.5, -1.0, -0.25, -1e-6, -0.0, 0.0, 1e-6, 0.3, 1.0, 2.5, 7.0, 30.0, 1e4,
                     double(INFINITY), -double(INFINITY), double(NAN)})
        numbers_in.push_back(x);
    while (std::getline(list, name)) {
        bool pair = name == "maxout2" || name == "swiglu" || name == "geglu" || name == "reglu";
        // rrelu's draws also with another seed, and prelu with another slope.
        std::string extra = name == "rrelu" ? "--seed 7" : name == "prelu" ? "--param alpha=0.6" : "";
        for (const char* dtype : {"f32", "f64"}) {
            std::string input = pair ? samples + "2" : samples;
            auto jit = numbers(run(fmt::format("{} eval --dtype {} --grad {} {} {} < {}", ACTJIT_BINARY, dtype, extra, lib, name, input)));
            auto ref = numbers(run(fmt::format("{} eval --interp --dtype {} --grad {} {} {} < {}", ACTJIT_BINARY, dtype, extra, lib, name, input)));
            REQUIRE(jit.size() == ref.size());
            double eps = std::string(dtype) == "f32" ? 0x1p-23 : 0x1p-52;
            for (size_t i = 0; i < jit.size(); ++i) {
                INFO(name, " ", dtype, " number ", i, ": ", jit[i], " vs ", ref[i]);
                if (std::isnan(ref[i]) || std::isinf(ref[i]) || ref[i] == 0) {
                    CHECK((std::isnan(jit[i]) ? std::isnan(ref[i]) : jit[i] == ref[i]));
                    if (ref[i] == 0 && jit[i] == 0) CHECK(std::signbit(jit[i]) == std::signbit(ref[i]));
                } else {
                    double x = std::fabs(numbers_in[i / (jit.size() / numbers_in.size())]);
                    double terms = std::max(1.0, std::isfinite(x) ? x : 1.0);
                    bool root = std::fabs(ref[i]) < 0.1 * terms;
                    if (std::fabs(jit[i] - ref[i]) > 8 * eps * std::fabs(ref[i])) {
                        neighbourhood += root;
                        CHECK(root);
                        CHECK(std::fabs(jit[i] - ref[i]) <= 8 * eps * terms);
                    }
                }
                ++compared;
            }
        }
    }
    MESSAGE(compared, " numbers compared; ", neighbourhood, " of them near a root (within 8 units of the terms)");
    CHECK(compared > 1000);
}
