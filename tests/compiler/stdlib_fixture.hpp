// The standard library, parsed, checked, lowered and differentiated once, for the
// numeric tests; and the sample points they share.
#pragma once

#include <cmath>
#include <limits>
#include <vector>

#include "../support.hpp"
#include "compiler/gradient.hpp"
#include "compiler/interpret.hpp"
#include "compiler/lower.hpp"

namespace actjit::testing {

struct Stdlib {
    Checked checked{read_source_file("examples/activations.act")};
    Program program = lower(checked.parsed, checked.module);

    std::vector<double> defaults(const LoweredFunction& f) const {
        std::vector<double> out;
        for (const auto& d : f.defaults) out.push_back(d.value_or(1.0));
        return out;
    }
};

inline Stdlib& stdlib() {
    static Stdlib s;  // built once: the tests only read it (gradient() adds nodes, which is fine)
    return s;
}

// n points spread over [-limit, limit]: magnitudes log-uniform from 1e-3 to limit,
// alternating signs, so that both the centre and the tails are sampled.
inline std::vector<double> spread(int n, double limit) {
    std::vector<double> out;
    for (int k = 0; k < n; ++k) {
        double t = (k + 0.5) / n;
        double magnitude = std::exp(std::log(1e-3) + t * (std::log(limit) - std::log(1e-3)));
        out.push_back(k % 2 ? -magnitude : magnitude);
    }
    return out;
}

}  // namespace actjit::testing
