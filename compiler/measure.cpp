#include "measure.hpp"

#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <algorithm>
#include <memory>
#include <thread>
#include <fstream>
#include <limits>
#include <mutex>
#include <random>
#include <sstream>
#include <unordered_map>

#include "interpret.hpp"
#include "threads.hpp"

namespace actjit {

template <typename T>
double ulp_error(double got, const Truth& t) {
    if (t.nan) return std::isnan(got) ? 0 : INFINITY;
    if (std::isnan(got)) return INFINITY;
    T lo = static_cast<T>(t.lo), hi = static_cast<T>(t.hi);
    if (std::isinf(lo) || std::isinf(hi) || std::isinf(got)) {
        if (lo == hi && static_cast<double>(lo) == got) return 0;
        if (!std::isinf(got) || !(std::isinf(lo) || std::isinf(hi))) return INFINITY;
        return 0;  // the truth straddles the overflow threshold
    }
    double m = std::min(std::fabs(t.lo), std::fabs(t.hi));
    if (t.lo < 0 && t.hi > 0) m = 0;
    int e = m > 0 ? std::ilogb(m) : std::numeric_limits<int>::min();
    int floor = std::numeric_limits<T>::min_exponent - 1;
    double ulp = std::ldexp(1.0, std::max(e, floor) - (std::numeric_limits<T>::digits - 1));
    return std::max(std::fabs(got - t.lo), std::fabs(got - t.hi)) / ulp;
}

template double ulp_error<float>(double, const Truth&);
template double ulp_error<double>(double, const Truth&);

namespace {

// T's values in order as integers (-0 and +0 one apart), for counting the values between two.
template <typename T>
int64_t ordinal(T v) {
    using Bits = std::conditional_t<sizeof(T) == 4, int32_t, int64_t>;
    Bits b = std::bit_cast<Bits>(v);
    return b < 0 ? -static_cast<int64_t>(b & std::numeric_limits<Bits>::max()) - 1 : static_cast<int64_t>(b);
}

}  // namespace

template <typename T>
double bits_of_error(double got, const Truth& t) {
    constexpr double width = sizeof(T) * 8;
    if (t.nan || std::isnan(got)) return t.nan && std::isnan(got) ? 0 : width;
    T g = static_cast<T>(got), lo = static_cast<T>(t.lo), hi = static_cast<T>(t.hi);
    int64_t o = ordinal(g), a = ordinal(lo), b = ordinal(hi);
    uint64_t between = o < a ? static_cast<uint64_t>(a - o) : o > b ? static_cast<uint64_t>(o - b) : 0;
    return std::log2(1 + static_cast<double>(between));
}

template double bits_of_error<float>(double, const Truth&);
template double bits_of_error<double>(double, const Truth&);

bool near_root(Reference& reference, const Environment& env, size_t c, const Truth& here, size_t components) {
    auto sign = [](const Truth& t) { return t.nan ? 0 : (t.lo + t.hi > 0) - (t.lo + t.hi < 0); };
    if (!here.nan && here.lo <= 0 && here.hi >= 0) return true;
    std::vector<double> moved(env.inputs.begin(), env.inputs.end());
    std::vector<Truth> t(components);
    for (size_t j = 0; j < moved.size(); ++j)
        for (double factor : {1 - 0x1p-12, 1 + 0x1p-12}) {
            moved[j] = env.inputs[j] * factor;
            Environment e = env;
            e.inputs = moved;
            if (reference.evaluate(e, t) != Reference::Oracle::Unknown && sign(t[c]) != sign(here)) return true;
            moved[j] = env.inputs[j];
        }
    return false;
}

double goal_ulps(size_t root, double x, bool f32) {
    if (root == 0) return 4;
    return !f32 && std::fabs(x) > 20 ? 2048 : 16;
}

namespace {

// Points of T: `per` in each binade of each sign (random significands, the first input),
// the other inputs of random sign and exponent; in order of sign, then exponent.
template <typename T>
std::vector<std::vector<double>> points(size_t inputs, int per, uint64_t seed) {
    using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
    constexpr int mantissa = std::numeric_limits<T>::digits - 1;
    constexpr Bits exponents = sizeof(T) == 4 ? 255 : 2047;  // biased exponents of finite values
    std::mt19937_64 random(seed);
    auto value = [&](Bits sign, Bits e) {
        Bits m = static_cast<Bits>(random()) & ((Bits{1} << mantissa) - 1);
        return static_cast<double>(std::bit_cast<T>(static_cast<Bits>((sign << (sizeof(T) * 8 - 1)) | (e << mantissa) | m)));
    };
    std::vector<std::vector<double>> out;
    for (Bits sign = 0; sign < 2; ++sign)
        for (Bits e = 0; e < exponents; ++e)
            for (int i = 0; i < per; ++i) {
                std::vector<double> x{value(sign, e)};
                for (size_t j = 1; j < inputs; ++j) x.push_back(value(random() & 1, random() % exponents));
                out.push_back(std::move(x));
            }
    return out;
}

template <typename T>
AccuracyReport run(const std::vector<Expr>& written, const std::vector<Expr>& stabilized, size_t inputs,
                   std::span<const double> params, const MeasureOptions& o) {
    const size_t roots = written.size();
    // (an f32 kernel receives its parameters as floats, LANGUAGE.md §3)
    std::vector<double> p(params.begin(), params.end());
    for (double& v : p) v = static_cast<double>(static_cast<T>(v));
    const std::vector<std::vector<double>> x = points<T>(std::max<size_t>(inputs, 1), o.per_binade, o.seed);
    // Each point's error per root (and whether it misses the goal), on every core: the
    // points are interleaved, so that the costly ones (MPFR at thousands of bits where
    // the written formula cancels) are shared out.
    std::vector<double> ulps(x.size() * roots), bits(x.size() * roots);
    std::vector<uint8_t> lost(x.size() * roots), unknown(x.size());
    auto work = [&](size_t first, size_t stride) {
        Reference reference(written, stabilized, std::numeric_limits<T>::digits);
        std::vector<Truth> truth(roots);
        for (size_t i = first; i < x.size(); i += stride) {
            Environment env{x[i], p, 0, 0, true};
            if (reference.evaluate(env, truth) == Reference::Oracle::Unknown) {
                unknown[i] = 1;
                continue;
            }
            std::vector<double> got = interpret(stabilized, env);
            for (size_t c = 0; c < roots; ++c) {
                double g = static_cast<double>(static_cast<T>(got[c]));
                double u = ulps[i * roots + c] = ulp_error<T>(g, truth[c]);
                bool finite = !truth[c].nan && std::isfinite(static_cast<T>(truth[c].lo)) &&
                              std::isfinite(static_cast<T>(truth[c].hi));
                bits[i * roots + c] = finite ? bits_of_error<T>(g, truth[c]) : -1;
                lost[i * roots + c] = u > goal_ulps(c, x[i][0], sizeof(T) == 4) &&
                                      (std::isinf(u) || !near_root(reference, env, c, truth[c], roots));
            }
        }
    };
    const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
    {
        std::vector<std::unique_ptr<Thread>> others;
        for (size_t t = 1; t < threads; ++t) others.push_back(std::make_unique<Thread>([&, t] { work(t, threads); }));
        work(0, threads);
    }  // (joined)

    AccuracyReport report;
    report.roots.resize(roots);
    constexpr size_t none = ~size_t{0};
    std::vector<size_t> open(roots, none);  // each root's range being extended
    std::vector<int> last_exponent(roots, 0);
    for (size_t i = 0; i < x.size(); ++i) {
        if (unknown[i]) {
            ++report.unknown;
            continue;
        }
        ++report.points;
        // (the subnormals are one binade, from 0)
        constexpr int lowest = std::numeric_limits<T>::min_exponent - 2;
        int exponent = std::max(std::ilogb(x[i][0]), lowest);
        bool negative = std::signbit(x[i][0]);
        for (size_t c = 0; c < roots; ++c) {
            double u = ulps[i * roots + c];
            RootAccuracy& r = report.roots[c];
            if (bits[i * roots + c] >= 0) r.bits += bits[i * roots + c], ++r.bit_points;
            ++r.points;
            if (u > r.max_ulp) r.max_ulp = u, r.worst = x[i][0];
            if (!lost[i * roots + c]) continue;
            // (a range goes on over the binades of one sign with at most two without a loss
            // between: one point per binade may miss a loss the next ones show)
            size_t& l = open[c];
            if (l == none || report.losses[l].negative != negative || exponent > last_exponent[c] + 3) {
                l = report.losses.size();
                report.losses.push_back({c, exponent == lowest ? 0 : std::ldexp(1.0, exponent), 0, negative, 0, 0, 0, false});
            }
            AccuracyLoss& loss = report.losses[l];
            loss.to = std::ldexp(1.0, exponent + 1);
            ++loss.points;
            loss.nonfinite |= std::isinf(u);
            if (u > loss.max_ulp) loss.max_ulp = u, loss.worst = x[i][0];
            last_exponent[c] = exponent;
        }
    }
    for (RootAccuracy& r : report.roots)
        if (r.bit_points) r.bits /= static_cast<double>(r.bit_points);
    return report;
}

template <typename T>
PointErrors errors_of(Expr written, Expr stabilized, const std::vector<Expr>& candidates, size_t inputs,
                      std::span<const double> params, const MeasureOptions& o) {
    std::vector<double> p(params.begin(), params.end());
    for (double& v : p) v = static_cast<double>(static_cast<T>(v));
    const std::vector<std::vector<double>> x = points<T>(std::max<size_t>(inputs, 1), o.per_binade, o.seed);
    PointErrors out;
    for (const auto& point : x) out.x.push_back(point[0]);
    out.ulps.assign(candidates.size(), std::vector<double>(x.size(), NAN));
    auto work = [&](size_t first, size_t stride) {
        Reference reference({written}, {stabilized}, std::numeric_limits<T>::digits);
        Truth truth[1];
        for (size_t i = first; i < x.size(); i += stride) {
            Environment env{x[i], p, 0, 0, true};
            if (reference.evaluate(env, truth) == Reference::Oracle::Unknown) continue;
            std::vector<double> got = interpret(candidates, env);
            for (size_t c = 0; c < candidates.size(); ++c)
                out.ulps[c][i] = ulp_error<T>(static_cast<double>(static_cast<T>(got[c])), truth[0]);
        }
    };
    const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
    {
        std::vector<std::unique_ptr<Thread>> others;
        for (size_t t = 1; t < threads; ++t) others.push_back(std::make_unique<Thread>([&, t] { work(t, threads); }));
        work(0, threads);
    }
    return out;
}

uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ull + (h >> 31); }

// The report as a few lines of text, and back (the disk cache).
std::string serialize(const AccuracyReport& r) {
    std::ostringstream out;
    out.precision(17);
    out << "actjit-accuracy 2\n" << r.points << ' ' << r.unknown << ' ' << r.milliseconds << '\n' << r.roots.size() << '\n';
    for (const RootAccuracy& a : r.roots)
        out << a.max_ulp << ' ' << a.worst << ' ' << a.bits << ' ' << a.points << ' ' << a.bit_points << '\n';
    out << r.losses.size() << '\n';
    for (const AccuracyLoss& l : r.losses)
        out << l.root << ' ' << l.from << ' ' << l.to << ' ' << l.negative << ' ' << l.max_ulp << ' ' << l.worst << ' '
            << l.points << ' ' << l.nonfinite << '\n';
    return out.str();
}

bool deserialize(const std::string& text, AccuracyReport& r) {
    std::istringstream in(text);
    std::string magic;
    int version = 0;
    size_t roots = 0, losses = 0;
    auto number = [&](double& d) {  // (inf, which operator>> does not read)
        std::string w;
        in >> w;
        d = w == "inf" ? INFINITY : std::strtod(w.c_str(), nullptr);
    };
    in >> magic >> version >> r.points >> r.unknown;
    number(r.milliseconds);
    in >> roots;
    if (!in || magic != "actjit-accuracy" || version != 2 || roots > 1024) return false;
    r.roots.resize(roots);
    for (RootAccuracy& a : r.roots) {
        number(a.max_ulp), number(a.worst), number(a.bits);
        in >> a.points >> a.bit_points;
    }
    in >> losses;
    if (!in || losses > 100000) return false;
    r.losses.resize(losses);
    for (AccuracyLoss& l : r.losses) {
        in >> l.root;
        number(l.from), number(l.to);
        in >> l.negative;
        number(l.max_ulp), number(l.worst);
        in >> l.points >> l.nonfinite;
        if (l.root >= roots) return false;
    }
    return static_cast<bool>(in);
}

std::mutex cache_mutex;
std::unordered_map<uint64_t, AccuracyReport> memory_cache;

}  // namespace

PointErrors point_errors(Expr written, Expr stabilized, const std::vector<Expr>& candidates, size_t inputs,
                         std::span<const double> params, const MeasureOptions& o) {
    return o.f32 ? errors_of<float>(written, stabilized, candidates, inputs, params, o)
                 : errors_of<double>(written, stabilized, candidates, inputs, params, o);
}

AccuracyReport measure_accuracy(const std::vector<Expr>& written, const std::vector<Expr>& stabilized, size_t inputs,
                                std::span<const double> params, const MeasureOptions& o,
                                const std::string& cache_directory) {
    uint64_t key = mix(mix(structural_hash(written), structural_hash(stabilized)), inputs);
    for (double p : params) key = mix(key, std::bit_cast<uint64_t>(p));
    key = mix(mix(mix(key, o.f32), static_cast<uint64_t>(o.per_binade)), o.seed);
    std::filesystem::path file;
    if (!cache_directory.empty()) {
        char name[40];
        std::snprintf(name, sizeof name, "accuracy-%016llx.txt", static_cast<unsigned long long>(key));
        file = std::filesystem::path(cache_directory) / name;
    }
    {
        std::lock_guard<std::mutex> lock(cache_mutex);
        if (auto it = memory_cache.find(key); it != memory_cache.end()) {
            AccuracyReport r = it->second;
            r.cached = true;
            return r;
        }
    }
    if (!file.empty())
        if (std::ifstream in(file); in) {
            std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            AccuracyReport r;
            if (deserialize(text, r)) {
                std::lock_guard<std::mutex> lock(cache_mutex);
                memory_cache[key] = r;
                r.cached = true;
                return r;
            }
        }
    auto start = std::chrono::steady_clock::now();
    AccuracyReport r = o.f32 ? run<float>(written, stabilized, inputs, params, o)
                             : run<double>(written, stabilized, inputs, params, o);
    r.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!file.empty()) {
        std::error_code ignored;
        std::filesystem::create_directories(file.parent_path(), ignored);
        std::filesystem::path temporary = file;
        temporary += ".tmp";
        if (std::ofstream out(temporary); out << serialize(r)) std::filesystem::rename(temporary, file, ignored);
    }
    std::lock_guard<std::mutex> lock(cache_mutex);
    memory_cache[key] = r;
    return r;
}

}  // namespace actjit
