// actjit accuracy: its options, and the statistics it keeps per component (the value,
// each derivative).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "cli.hpp"
#include "compiler/measure.hpp"
#include "compiler/reference.hpp"

namespace actjit::cli {

struct AccuracyOptions {
    std::string dtype = "f32";
    bool fast = false;        // --precision fast
    bool exhaustive = false;  // every float32 (one-input definitions)
    int threads = 0;          // 0: every core
    bool json = false;
    bool brief = false;       // one line per definition
    int64_t samples = 0;      // 0: the default (2^24 for f32, 2^20 for f64)
    std::string checkpoint;   // --exhaustive's progress file ("": ACTJIT's cache directory)
    std::string cpu;
    std::vector<std::string> params;
    std::string stabilize = "rules";  // --stabilize: rules, off or search (cli.hpp, Components)
};
int run_accuracy(const std::string& path, const std::vector<std::string>& names, const AccuracyOptions& options);

// ULP errors binned 2^(1/32) wide from 2^-10 up, plus 0 and infinity: percentiles are
// the upper edge of their bin (at most 2.2 % above the exact one).
struct Histogram {
    static constexpr int bins = 2 + 32 * 50 + 1;  // 0, (0, 2^-10], ..., 2^40, inf
    std::array<uint64_t, bins> counts{};
    static int bin(double ulps);
    static double upper(int bin);
    double percentile(double fraction) const;
};

struct Component {
    struct Stats {
        uint64_t points = 0;
        double max = 0;
        std::vector<double> worst;  // the inputs of the largest error
    };
    // `all`: every point but those near a root (which go to `near`); the histogram is
    // of `all`'s.
    Stats all, near;
    Histogram histogram;
    // The sum of the bits of error (bits_of_error) of every point whose truth is a finite
    // number of the type, near a root too: Herbie's average is over those.
    double bits = 0;
    uint64_t bit_points = 0;
    double average_bits() const { return bit_points ? bits / static_cast<double>(bit_points) : 0; }
    void add(double ulps, double bits, const std::vector<double>& x, bool near_root);
    void merge(const Component& other);
};

// What decided the truths (by Reference::Oracle), the interval oracle's self-check, and
// the NaN policy on the points not measured.
struct Counts {
    std::array<uint64_t, 4> of{};
    uint64_t checked = 0, outside = 0;  // interval truths also decided by MPFR; outside theirs
    uint64_t nan_inputs = 0, nan_violations = 0;
    struct Example {
        std::vector<double> x;
        double got = 0;
    } nan_example;
    void merge(const Counts& other);
};

// A line on standard error: redrawn in place on a terminal, else printed every 30 s.
class Progress {
public:
    Progress(std::string label, uint64_t blocks, uint64_t already);
    void show(uint64_t finished, bool now = false);
    void finish();

private:
    std::string label_;
    uint64_t blocks_, already_;
    bool terminal_, shown_ = false;
    std::chrono::steady_clock::time_point start_, last_;
};

// --exhaustive's state in a file, written every 30 s and at the end (a temporary file
// renamed over it): the blocks done and the statistics so far, under a key naming the
// definition's text, the options and the build, so that a stale file is never resumed.
class Checkpoint {
public:
    Checkpoint(std::string path, std::string key);
    const std::string& path() const { return path_; }
    bool found() const { return !text_.empty(); }  // a file with this key was read
    bool due();
    void save(const std::vector<Component>& components, const Counts& counts, const std::vector<char>& done);
    void load(std::vector<Component>& components, Counts& counts, std::vector<char>& done) const;
    void remove();

private:
    std::string path_, key_, text_;
    std::chrono::steady_clock::time_point last_;
};

}  // namespace actjit::cli
