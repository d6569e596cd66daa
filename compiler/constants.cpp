#include "constants.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace actjit {

const std::vector<NamedConstant>& named_constants() {
    using Of = NamedConstant::Of;
    static const std::vector<NamedConstant> table = [] {
        const double pi = std::numbers::pi;
        std::vector<NamedConstant> t = {
            {"pi", pi, true, Of::Pi},
            {"sqrt(pi)", std::sqrt(pi), true, Of::SqrtPi},
            {"sqrt(2 * pi)", std::sqrt(2 * pi), true, Of::Sqrt2Pi},
            {"sqrt(2 / pi)", std::sqrt(2 / pi), true, Of::SqrtTwoOverPi},
            {"1 / sqrt(pi)", 1 / std::sqrt(pi), false, Of::InvSqrtPi},
            {"2 / sqrt(pi)", 2 / std::sqrt(pi), false, Of::TwoOverSqrtPi},
            {"1 / sqrt(2 * pi)", 1 / std::sqrt(2 * pi), false, Of::InvSqrt2Pi},
            {"pi / 2", pi / 2, false, Of::HalfPi},
        };
        for (int k : {2, 3, 5, 6, 7}) t.push_back({nullptr, std::sqrt(static_cast<double>(k)), true, Of::SqrtInteger, k});
        return t;
    }();
    return table;
}

const NamedConstant* named_constant(double v) {
    for (const NamedConstant& c : named_constants())
        if (std::bit_cast<uint64_t>(std::fabs(v)) == std::bit_cast<uint64_t>(c.value)) return &c;
    return nullptr;
}

}  // namespace actjit
