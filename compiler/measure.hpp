// Accuracy measured, not assumed (issue 10): the stabilized graph sampled at every binade
// of its input against the truth of the formula as written (reference.hpp), at compile
// time and without the backend: the double interpreter for f64; for f32 the inputs and
// parameters are floats and each result is rounded once to float, as the accurate f32
// kernels compute. What `actjit check --report-accuracy` prints; also the ULP and bits
// measures that `actjit accuracy` and `compare` report. docs/numerics.md, "The
// measuring check".
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "graph.hpp"
#include "reference.hpp"

namespace actjit {

// The error of `got` in ULP of T at the truth (the larger over its interval), against
// the truth rounded to T: 0.5 is what a correctly rounded result may have. A NaN where
// the truth is a number, or an infinity where it rounds to a finite T, is infinite.
template <typename T>
double ulp_error(double got, const Truth& truth);

// Herbie's measure (Panchekha et al., PLDI 2015): log2 of 1 + the number of T between
// `got` and the truth rounded to T (the nearer end of its interval): 0 for a correctly
// rounded result, the type's width for a NaN where the truth is a number (or a number
// where it is NaN).
template <typename T>
double bits_of_error(double got, const Truth& truth);

// Within a relative 2^-12 of a root of component c (of `components`): its exact value
// is 0 at env, or changes sign between x(1 - 2^-12) and x(1 + 2^-12), one input moved at
// a time. There cancellation is inherent in any floating-point answer: accuracy and
// compare report these points apart (but an infinite error, a NaN or an overflow, with
// the others).
bool near_root(Reference& reference, const Environment& env, size_t c, const Truth& here, size_t components);

struct MeasureOptions {
    bool f32 = false;
    int per_binade = 1;  // points in each binade of each sign (f32: 8 give about as many)
    uint64_t seed = 0x5eed;
};

// A range of the first input's binades, one sign, where a root misses the goal: the
// binades of its points that miss it, and at most two between any two of them where the
// point drawn did not (one point per binade: a loss of up to 64 ULP may show 3 at one
// point, and the range is where the formula loses, not where it happened to).
struct AccuracyLoss {
    size_t root = 0;
    double from = 0, to = 0;  // |x| in [from, to): binade edges, powers of two (0: the subnormals')
    bool negative = false;    // x <= -from
    double max_ulp = 0, worst = 0;  // the largest error, at the first input `worst`
    uint64_t points = 0;
    bool nonfinite = false;  // NaN or inf where the truth is finite (or a number for a NaN)
};

struct RootAccuracy {
    double max_ulp = 0, worst = 0;
    double bits = 0;  // the average bits of error (bits_of_error) over the points whose
                      // truth is a finite number of the type (Herbie's average)
    uint64_t points = 0, bit_points = 0;
};

struct AccuracyReport {
    std::vector<RootAccuracy> roots;  // the value, then each derivative
    std::vector<AccuracyLoss> losses;
    uint64_t points = 0, unknown = 0;  // unknown: the truth not computable (not counted)
    double milliseconds = 0;
    bool cached = false;
};

// The goals of issue 10, which a loss misses: the value within 4 ULP, every derivative
// within 16 (f64, past |x| = 20: 2048, where argument rounding is inherently amplified),
// outside the neighbourhoods of the roots (near_root).
double goal_ulps(size_t root, double x, bool f32);

// `written` the formula as written (value, then each derivative), `stabilized` the same
// as the kernels compute them; `inputs` the definition's input count (the first is the
// one stratified by binade, the others drawn at random exponents); `params` every
// parameter's value. Cached by the graphs' structural hashes, the parameters and the
// options: in memory, and under `cache_directory` if it is not empty.
AccuracyReport measure_accuracy(const std::vector<Expr>& written, const std::vector<Expr>& stabilized, size_t inputs,
                                std::span<const double> params, const MeasureOptions& options,
                                const std::string& cache_directory = {});

// The measuring check's points (the first input by binade, as measure_accuracy draws
// them) and each candidate's error there in ULP against the truth of one written root
// (`stabilized` its form for where the written one leaves MPFR's range): for the
// bounded search (search.hpp), which takes per binade the candidate that measures best.
struct PointErrors {
    std::vector<double> x;                  // the first input at each point
    std::vector<std::vector<double>> ulps;  // [candidate][point]; NaN: no truth there
};
PointErrors point_errors(Expr written, Expr stabilized, const std::vector<Expr>& candidates, size_t inputs,
                         std::span<const double> params, const MeasureOptions& options);

}  // namespace actjit
