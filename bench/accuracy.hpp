// Accuracy beside speed: every implementation's worst error over one fixed set of
// points, in ULP of its type, against the exact value (the definition in
// examples/activations.act, as written, evaluated by the MPFR interpreter at 1024
// bits), value and slopes (dy = 1). Exact kinks (x = 0, 3, -3, 6) are left out: there
// each library follows its own convention.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bench {

struct Points {
    std::vector<double> x, x2;                // x2: b of swiglu(a, b), else unused
    std::vector<double> value;                // f
    std::vector<std::vector<double>> slopes;  // df/dx (and df/db for swiglu)
};

// The points (about 6,000, |x| up to 30, and ±100) with their exact values.
Points exact_points(const std::string& definitions, const std::string& activation);

struct Accuracy {
    double worst_ulp = 0;
    double at = 0;           // the x of the worst
    double median_ulp = 0;
    int64_t nonfinite = 0;   // results inf or NaN where the exact value is finite
};

// got[i] against exact[i], point by point (x: the points, to say where the worst is).
template <typename T>
Accuracy measure(const std::vector<T>& got, const std::vector<double>& exact, const std::vector<double>& x);

}  // namespace bench
