// actjit accuracy (LANGUAGE.md §6; docs/numerics.md, "Measuring accuracy"): the ULP error
// of the JIT kernels' value and derivatives against the exact values of the formula as
// written (compiler/reference.hpp), over a stratified sample of every exponent or every
// float32; special values checked against the NaN policy and the limits at ±inf.
#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "accuracy.hpp"
#include "compiler/gradient.hpp"
#include "compiler/llvm/error.hpp"
#include "compiler/llvm/kernels.hpp"
#include "compiler/threads.hpp"

namespace actjit::cli {

namespace {

using Packed = void (*)(void* const* arrays, int64_t n, const void* params, uint64_t seed, int64_t first);

// What is measured: the value and each derivative, exact forms and kernels alike.
struct Measured {
    std::unique_ptr<Compiled> compiled;
    const LoweredFunction* f = nullptr;
    std::vector<std::string> names;        // "value", "d/dx", ...
    std::vector<Expr> written, stabilized;
    std::shared_ptr<jit::LinkedKernels> kernels;
    std::string key;  // the kernels' and the formula's identity (for a checkpoint)
    std::vector<double> params;
    size_t inputs = 0, learned = 0;
};

std::optional<Measured> prepare(const std::string& path, const std::string& name, const AccuracyOptions& o) {
    Measured m;
    m.compiled = compile(path, name);
    if (!m.compiled) return std::nullopt;
    m.f = &find_function(*m.compiled, path, name);
    m.inputs = m.f->info->inputs.size();
    m.params = parameter_values(*m.f, o.params);
    // An f32 kernel receives its parameters as floats (LANGUAGE.md §3): the truth is the
    // formula at those values.
    if (o.dtype == "f32")
        for (double& p : m.params) p = static_cast<float>(p);
    jit::KernelOptions options{o.dtype == "f32", false, o.fast};
    Components c = components(m.compiled->program, *m.f, o.stabilize, m.params, o.dtype == "f32", nullptr,
                              jit::arithmetic_of(options));
    m.names = c.names;
    m.written = c.written;
    m.stabilized = c.stabilized;
    m.learned = c.learned;
    const Gradient& stable = c.stable;
    jit::Target target = jit::choose_target(o.cpu);
    m.kernels = jit::compile_kernels(stable, *m.f->info, options, target, jit::default_cache_options());
    m.key = fmt::format("kernels {} formula {:016x}", jit::kernel_key(stable, *m.f->info, options, target),
                        structural_hash(m.written));
    jit::finish_compiling();  // the optimized kernels (the quick ones compute the same bits)
    return m;
}

// The kernels on a batch: for every point, the value then each derivative (dy = 1;
// a learned parameter's gradient one element at a time, since the kernel sums it).
template <typename T>
void run_kernels(const Measured& m, const std::vector<std::vector<double>>& x, std::vector<std::vector<double>>& out,
                 uint64_t first) {
    size_t n = x[0].size(), k = m.inputs;
    std::vector<std::vector<T>> xs(k, std::vector<T>(n));
    for (size_t j = 0; j < k; ++j)
        for (size_t i = 0; i < n; ++i) xs[j][i] = static_cast<T>(x[j][i]);
    std::vector<T> p(m.params.begin(), m.params.end()), y(n), dy(n, T(1));
    std::vector<std::vector<T>> dx(k, std::vector<T>(n));
    std::vector<T> dp(std::max<size_t>(m.learned, 1));
    std::vector<void*> a;
    for (auto& c : xs) a.push_back(c.data());
    a.push_back(y.data());
    auto forward = reinterpret_cast<Packed>(m.kernels->forward_packed.load());
    auto backward = reinterpret_cast<Packed>(m.kernels->backward_packed.load());
    forward(a.data(), static_cast<int64_t>(n), p.data(), 0, static_cast<int64_t>(first));
    a.pop_back();
    a.push_back(dy.data());
    for (auto& c : dx) a.push_back(c.data());
    a.push_back(dp.data());
    backward(a.data(), static_cast<int64_t>(n), p.data(), 0, static_cast<int64_t>(first));
    out.assign(m.names.size(), std::vector<double>(n));
    for (size_t i = 0; i < n; ++i) out[0][i] = static_cast<double>(y[i]);
    for (size_t j = 0; j < k; ++j)
        for (size_t i = 0; i < n; ++i) out[1 + j][i] = static_cast<double>(dx[j][i]);
    if (m.learned == 0) return;
    for (size_t i = 0; i < n; ++i) {
        std::vector<T> xi(k), one(k);
        T d = 1;
        std::vector<void*> b;
        for (size_t j = 0; j < k; ++j) {
            xi[j] = xs[j][i];
            b.push_back(&xi[j]);
        }
        b.push_back(&d);
        for (size_t j = 0; j < k; ++j) b.push_back(&one[j]);
        std::fill(dp.begin(), dp.end(), T(0));
        b.push_back(dp.data());
        backward(b.data(), 1, p.data(), 0, static_cast<int64_t>(first + i));
        for (size_t q = 0; q < m.learned; ++q) out[1 + k + q][i] = static_cast<double>(dp[q]);
    }
}

// The points of the stratified sample for one input: for each sign and each exponent of
// the type (subnormals one stratum), `per` significands spread evenly with a random
// offset, so every binade is covered alike.
template <typename T>
std::vector<double> stratified(int64_t per, uint64_t seed) {
    using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
    constexpr int mantissa = std::numeric_limits<T>::digits - 1;
    constexpr Bits exponents = sizeof(T) == 4 ? 255 : 2047;  // biased exponents of finite values
    std::mt19937_64 random(seed);
    std::vector<double> out;
    for (Bits sign = 0; sign < 2; ++sign)
        for (Bits e = 0; e < exponents; ++e) {
            double step = std::ldexp(1.0, mantissa) / static_cast<double>(per);
            double offset = std::uniform_real_distribution<double>(0, step)(random);
            for (int64_t i = 0; i < per; ++i) {
                Bits m = static_cast<Bits>(std::min(offset + step * static_cast<double>(i), std::ldexp(1.0, mantissa) - 1));
                Bits bits = (sign << (sizeof(T) * 8 - 1)) | (e << mantissa) | m;
                out.push_back(static_cast<double>(std::bit_cast<T>(bits)));
            }
        }
    return out;
}


// The measurement, shared by the threads: each takes batches of points in turn.
template <typename T>
class Measurement {
public:
    explicit Measurement(const Measured& m) : m_(m), components_(m.names.size()) {}

    // Points [0, total) of `points(i, x)`, which fills x (one value per input) and says
    // whether to measure it (false: NaN or inf, whose kernels are checked against the
    // NaN policy only). In blocks taken by the threads in turn; a block done is merged
    // and marked, for the progress line and the checkpoint.
    template <typename Points>
    void run(uint64_t total, uint64_t block, const Points& points, int threads, Checkpoint* checkpoint,
             const std::string& label) {
        uint64_t blocks = (total + block - 1) / block;
        done_.assign(blocks, 0);
        if (checkpoint && checkpoint->found()) {
            checkpoint->load(components_, counts_, done_);
            finished_ = static_cast<uint64_t>(std::count(done_.begin(), done_.end(), 1));
            fmt::print(stderr, "{}: resuming from {} ({} of {} blocks done)\n", label, checkpoint->path(), finished_, blocks);
        }
        std::atomic<uint64_t> next{0};
        auto work = [&] {
            Reference reference(m_.written, m_.stabilized, std::numeric_limits<T>::digits);
            std::vector<std::vector<double>> x(m_.inputs), got;
            std::vector<Truth> truth(m_.names.size());
            std::vector<double> at(m_.inputs);
            std::vector<char> measured(batch);
            for (;;) {
                uint64_t turn = next.fetch_add(1);
                if (turn >= blocks) break;
                // Blocks in a scattered order (an odd multiplier permutes 0..2^k - 1), so
                // that the progress line's estimate holds from the start: neighbouring
                // bit patterns are alike, distant ones are not.
                uint64_t b = (blocks & (blocks - 1)) == 0 ? (turn * 0x9E3779B97F4A7C15ull) & (blocks - 1) : turn;
                if (done_[b]) continue;  // from the checkpoint
                std::vector<Component> mine(components_.size());
                Counts counts;
                for (uint64_t first = b * block; first < std::min(total, (b + 1) * block); first += batch) {
                    uint64_t n = std::min<uint64_t>({batch, total - first, (b + 1) * block - first});
                    for (auto& column : x) column.resize(n);
                    for (uint64_t i = 0; i < n; ++i) {
                        measured[i] = points(first + i, at);
                        for (size_t j = 0; j < m_.inputs; ++j) x[j][i] = at[j];
                    }
                    run_kernels<T>(m_, x, got, first);
                    for (uint64_t i = 0; i < n; ++i) {
                        for (size_t j = 0; j < m_.inputs; ++j) at[j] = x[j][i];
                        if (!measured[i]) {
                            check_nan_policy(at, got, i, counts);
                            continue;
                        }
                        Environment env{at, m_.params, 0, first + i, false};
                        Reference::Oracle oracle = reference.evaluate(env, truth);
                        ++counts.of[static_cast<size_t>(oracle)];
                        if (oracle == Reference::Oracle::Unknown) continue;
                        if (oracle == Reference::Oracle::Interval && (first + i) % 4096 == 0)
                            self_check(reference, env, truth, counts);
                        for (size_t c = 0; c < truth.size(); ++c) {
                            double e = ulp_error<T>(got[c][i], truth[c]);
                            bool finite = !truth[c].nan && std::isfinite(static_cast<T>(truth[c].lo)) &&
                                          std::isfinite(static_cast<T>(truth[c].hi));
                            mine[c].add(e, finite ? bits_of_error<T>(got[c][i], truth[c]) : -1, at, e > 1 && std::isfinite(e) && near_root(reference, env, c, truth[c], m_.names.size()));
                        }
                    }
                }
                std::lock_guard<std::mutex> lock(mutex_);
                for (size_t c = 0; c < mine.size(); ++c) components_[c].merge(mine[c]);
                counts_.merge(counts);
                done_[b] = 1;
                ++finished_;
            }
        };
        Progress progress(label, blocks, finished_);
        if (checkpoint) progress.show(finished_, true);
        // With a checkpoint this thread keeps it and the progress line, `threads` others
        // measure; else it is one of them.
        std::vector<std::unique_ptr<Thread>> others;
        for (int t = checkpoint ? 0 : 1; t < threads; ++t) others.push_back(std::make_unique<Thread>(work));
        if (checkpoint) {
            while (finished() < blocks) {
                std::this_thread::sleep_for(std::chrono::milliseconds(250));
                progress.show(finished());
                if (checkpoint->due()) save(*checkpoint);
            }
        } else {
            work();
        }
        for (auto& t : others) t->join();
        progress.finish();
    }

    // The state, to resume from.
    void save(Checkpoint& checkpoint) {
        std::lock_guard<std::mutex> lock(mutex_);
        checkpoint.save(components_, counts_, done_);
    }
    uint64_t finished() {
        std::lock_guard<std::mutex> lock(mutex_);
        return finished_;
    }

    const std::vector<Component>& components() const { return components_; }
    const Counts& counts() const { return counts_; }
    const Counts::Example& nan_policy() const { return counts_.nan_example; }

private:
    static constexpr uint64_t batch = 1024;

    // An element with a NaN input: NaN value and derivatives (LANGUAGE.md §3).
    static void check_nan_policy(const std::vector<double>& x, const std::vector<std::vector<double>>& got, uint64_t i,
                                 Counts& counts) {
        bool nan_input = std::any_of(x.begin(), x.end(), [](double v) { return std::isnan(v); });
        if (!nan_input) return;
        ++counts.nan_inputs;
        for (const auto& component : got)
            if (!std::isnan(component[i])) {
                if (counts.nan_violations++ == 0) counts.nan_example = {x, component[i]};
                return;
            }
    }

    // Every 4096th point the interval oracle decided is decided by MPFR too: MPFR's
    // double must lie in the interval.
    static void self_check(Reference& reference, const Environment& env, const std::vector<Truth>& truth, Counts& counts) {
        std::vector<Truth> exact(truth.size());
        if (reference.evaluate_mpfr(env, exact) == Reference::Oracle::Unknown) return;
        ++counts.checked;
        for (size_t c = 0; c < truth.size(); ++c) {
            bool inside = truth[c].nan ? exact[c].nan : !exact[c].nan && exact[c].lo >= truth[c].lo && exact[c].hi <= truth[c].hi;
            if (!inside) {
                ++counts.outside;
                break;
            }
        }
    }

    const Measured& m_;
    std::mutex mutex_;
    std::vector<Component> components_;
    Counts counts_;
    std::vector<char> done_;  // per block
    uint64_t finished_ = 0;
};

// ---- special values ----------------------------------------------------------------

struct Special {
    std::vector<double> x;
    std::string component;
    double got = 0, want = 0;
    enum Finding {
        Disagrees,   // another kind of value (NaN, ±inf, ±0, finite), or more than 1 ULP off
        ZeroSign,    // a zero of the other sign
        KinkRule,    // a derivative at ±inf that follows the kink rules at a tie of infinities
                     // (the formula's own value there, in MPFR): LANGUAGE.md §3 allows it
        NoLimit,     // the values far out differ: no limit to check
    } finding = Disagrees;
};

const char* finding_text(Special::Finding f) {
    switch (f) {
    case Special::Disagrees: return "disagrees";
    case Special::ZeroSign: return "a zero of the other sign";
    case Special::KinkRule: return "the kink rule at a tie of infinities (LANGUAGE.md §3 allows it)";
    case Special::NoLimit: return "no limit: not checked";
    }
    return "";
}

// NaN, ±inf, ±0 in each input (the others at a few ordinary values): NaN inputs give NaN
// everywhere (LANGUAGE.md §3); at ±inf the limit, taken as the exact values at ±2^200
// and ±2^400 (f64: ±2^900, ±2^1000) when they agree in T; at ±0 the exact value. A
// kernel agrees when it has the same kind (NaN, ±inf, ±0, finite) and is within 1 ULP.
template <typename T>
std::vector<Special> check_specials(const Measured& m) {
    const double specials[] = {NAN, INFINITY, -INFINITY, 0.0, -0.0};
    const double ordinary[] = {-2, 0.5, 3};
    std::vector<std::vector<double>> cases;
    if (m.inputs == 1) {
        for (double s : specials) cases.push_back({s});
    } else {
        for (size_t j = 0; j < m.inputs; ++j)
            for (double s : specials)
                for (double o : ordinary) {
                    std::vector<double> x(m.inputs, o);
                    x[j] = s;
                    cases.push_back(x);
                }
        for (double s : specials)
            for (double t : specials) {
                std::vector<double> x(m.inputs, 1.0);
                x[0] = s;
                x[1] = t;
                cases.push_back(x);
            }
    }
    Reference reference(m.written, m.stabilized, std::numeric_limits<T>::digits);
    std::vector<Special> found;
    const double far[2] = {sizeof(T) == 4 ? 0x1p200 : 0x1p900, sizeof(T) == 4 ? 0x1p400 : 0x1p1000};
    auto kind = [](double v) { return std::isnan(v) ? 0 : std::isinf(v) ? (v > 0 ? 1 : 2) : v == 0 ? (std::signbit(v) ? 3 : 4) : 5; };
    for (size_t k = 0; k < cases.size(); ++k) {
        std::vector<std::vector<double>> x(m.inputs, std::vector<double>(1)), got;
        for (size_t j = 0; j < m.inputs; ++j) x[j][0] = cases[k][j];
        run_kernels<T>(m, x, got, k);
        bool any_nan = false;
        for (double v : cases[k]) any_nan = any_nan || std::isnan(v);
        std::vector<double> want(m.names.size(), NAN);
        std::vector<bool> limit(m.names.size(), true);
        if (!any_nan) {
            std::vector<Truth> t(m.names.size());
            std::vector<std::vector<double>> values(2);
            for (int f = 0; f < 2; ++f) {
                std::vector<double> at = cases[k];
                for (double& v : at)
                    if (std::isinf(v)) v = v > 0 ? far[f] : -far[f];
                reference.evaluate_mpfr({at, m.params, 0, k, false}, t);  // MPFR keeps the sign of a zero
                for (const Truth& truth : t)
                    values[static_cast<size_t>(f)].push_back(truth.nan ? NAN : static_cast<double>(static_cast<T>((truth.lo + truth.hi) / 2)));
            }
            for (size_t c = 0; c < want.size(); ++c) {
                want[c] = values[0][c];
                limit[c] = kind(values[0][c]) == kind(values[1][c]) &&
                           (std::isnan(values[0][c]) || values[0][c] == values[1][c]);
            }
        }
        // The formula's own value at the point (infinities included), for the kink rule.
        std::vector<Truth> at_inf(m.names.size());
        bool infinite = std::any_of(cases[k].begin(), cases[k].end(), [](double v) { return std::isinf(v); });
        if (infinite && !any_nan) reference.evaluate_mpfr({cases[k], m.params, 0, k, false}, at_inf);
        for (size_t c = 0; c < want.size(); ++c) {
            double g = got[c][0];
            if (!limit[c]) {
                found.push_back({cases[k], m.names[c], g, want[c], Special::NoLimit});
                continue;
            }
            bool agree = kind(g) == kind(want[c]) &&
                         (kind(g) != 5 || ulp_error<T>(g, Truth{want[c], want[c], false}) <= 1);
            if (agree) continue;
            Special::Finding f = Special::Disagrees;
            if (kind(g) >= 3 && kind(g) <= 4 && kind(want[c]) >= 3 && kind(want[c]) <= 4) f = Special::ZeroSign;
            double formula = at_inf[c].nan ? NAN : static_cast<double>(static_cast<T>(at_inf[c].lo));
            if (infinite && c > 0 && !std::isnan(g) && kind(g) == kind(formula) &&
                (kind(g) != 5 || ulp_error<T>(g, Truth{formula, formula, false}) <= 1))
                f = Special::KinkRule;
            found.push_back({cases[k], m.names[c], g, want[c], f});
        }
    }
    return found;
}

std::string inputs_text(const std::vector<double>& x, bool f32) {
    std::string out;
    for (double v : x) out += (out.empty() ? "" : ", ") + format_number(v, f32);
    return x.empty() ? "-" : out;
}

std::string ulps_text(double u) { return std::isinf(u) ? "inf" : fmt::format("{:.3g}", u); }

// The kernels (their graph, options, target and code generator), the formula as
// written, the parameters and the sample: a checkpoint under another key is not resumed.
// Version 1 of the file and of the truth's method (compiler/reference.hpp).
std::string checkpoint_key(const Measured& m, const std::string& name) {
    std::string params;
    for (double p : m.params) params += fmt::format(" {:a}", p);
    return fmt::format("actjit accuracy checkpoint 1: {} {} params{} every float32", name, m.key, params);
}

template <typename T>
int measure(const std::string& path, const std::string& name, const AccuracyOptions& o) {
    std::optional<Measured> prepared = prepare(path, name, o);
    if (!prepared) return exit_errors;
    Measured& m = *prepared;
    constexpr bool f32 = sizeof(T) == 4;
    int threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    auto started = std::chrono::steady_clock::now();
    Measurement<T> run(m);
    std::string what;
    if (o.exhaustive) {
        if (!f32 || m.inputs != 1) throw UsageError("--exhaustive sweeps every float32: one-input definitions, --dtype f32");
        what = "every float32";
        std::string path = o.checkpoint.empty() ? name + ".accuracy-checkpoint" : o.checkpoint;
        Checkpoint checkpoint(path, checkpoint_key(m, name));
        run.run(uint64_t{1} << 32, uint64_t{1} << 22, [](uint64_t i, std::vector<double>& x) {
            float v = std::bit_cast<float>(static_cast<uint32_t>(i));
            x[0] = v;
            return std::isfinite(v);  // NaN: the NaN policy only; inf: the special values' check
        }, threads, &checkpoint, name);
        checkpoint.remove();
    } else {
        int64_t samples = o.samples > 0 ? o.samples : (f32 ? int64_t{1} << 24 : int64_t{1} << 20);
        int64_t strata = f32 ? 510 : 4094;
        std::vector<double> a, b;
        if (m.inputs == 1) {
            a = stratified<T>((samples + strata - 1) / strata, 1);
            what = fmt::format("a sample of every exponent alike, {} points", a.size());
            run.run(a.size(), 1 << 16, [&](uint64_t i, std::vector<double>& x) {
                x[0] = a[i];
                return true;
            }, threads, nullptr, name);
        } else {
            int64_t side = static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(samples))));
            a = stratified<T>((side + strata - 1) / strata, 1);
            b = stratified<T>((side + strata - 1) / strata, 2);
            what = fmt::format("the grid of two samples of every exponent, {} points", a.size() * b.size());
            run.run(a.size() * b.size(), 1 << 16, [&](uint64_t i, std::vector<double>& x) {
                x[0] = a[i / b.size()];
                x[1] = b[i % b.size()];
                for (size_t j = 2; j < x.size(); ++j) x[j] = 1;
                return true;
            }, threads, nullptr, name);
        }
    }
    std::vector<Special> specials = check_specials<T>(m);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto& counts = run.counts();
    uint64_t decided = counts.of[0] + counts.of[1] + counts.of[2];
    const char* precision = f32 && o.fast ? "fast" : "accurate";
    if (o.json) {
        std::string components;
        for (size_t c = 0; c < m.names.size(); ++c) {
            const Component& k = run.components()[c];
            auto number = [](double v) { return std::isinf(v) ? std::string("null") : fmt::format("{:.6g}", v); };
            auto list = [&](const std::vector<double>& x) {
                std::string out;
                for (double v : x) out += (out.empty() ? "" : ", ") + (std::isfinite(v) ? fmt::format("{}", v) : std::string("null"));
                return "[" + out + "]";
            };
            components += fmt::format("{}{{\"component\": \"{}\", \"max_ulp\": {}, \"p9999_ulp\": {}, \"worst\": {}, "
                                      "\"near_root_points\": {}, \"near_root_max_ulp\": {}, \"near_root_worst\": {}, "
                                      "\"average_bits\": {:.4f}}}",
                                      c ? ", " : "", m.names[c], number(k.all.max), number(std::min(k.all.max, k.histogram.percentile(0.9999))),
                                      list(k.all.worst), k.near.points, number(k.near.max), list(k.near.worst), k.average_bits());
        }
        std::string found;
        for (const Special& sp : specials)
            found += fmt::format("{}{{\"inputs\": \"{}\", \"component\": \"{}\", \"got\": \"{}\", \"want\": \"{}\", \"finding\": \"{}\"}}",
                                 found.empty() ? "" : ", ", inputs_text(sp.x, f32), sp.component, format_number(sp.got, f32),
                                 format_number(sp.want, f32), finding_text(sp.finding));
        fmt::print("{{\"name\": \"{}\", \"dtype\": \"{}\", \"precision\": \"{}\", \"points\": {}, \"exhaustive\": {}, "
                   "\"seconds\": {:.2f}, \"oracle\": {{\"interval\": {}, \"mpfr\": {}, \"mpfr_stabilized\": {}, \"unknown\": {}, "
                   "\"self_checked\": {}, \"self_check_failures\": {}}}, \"nan_inputs\": {}, \"nan_policy_violations\": {}, "
                   "\"components\": [{}], \"specials\": [{}]}}\n",
                   name, o.dtype, precision, decided, o.exhaustive, seconds, counts.of[0], counts.of[1], counts.of[2],
                   counts.of[3], counts.checked, counts.outside, counts.nan_inputs, counts.nan_violations, components, found);
        return exit_ok;
    }
    if (o.brief) {
        std::string line = fmt::format("{:<12}", name);
        for (size_t c = 0; c < m.names.size(); ++c)
            line += fmt::format(" {} {} ULP ({:.2f} bits){}", m.names[c], ulps_text(run.components()[c].all.max),
                                run.components()[c].average_bits(), c + 1 < m.names.size() ? "," : "");
        int count[4] = {};
        for (const Special& sp : specials) ++count[sp.finding];
        line += count[0] ? fmt::format("; {} special value{} disagree", count[0], count[0] == 1 ? "" : "s")
                         : "; special values agree";
        if (count[1]) line += fmt::format(", {} zero{} of the other sign", count[1], count[1] == 1 ? "" : "s");
        if (count[2]) line += fmt::format(", {} kink rule{} at ±inf", count[2], count[2] == 1 ? "" : "s");
        fmt::print("{}\n", line);
        return exit_ok;
    }
    fmt::print("{} ({}, {}): {}; {} points measured, in {:.1f} s\n", name, o.dtype, precision, what, decided, seconds);
    fmt::print("  {:<10} {:>9} {:>9} {:>9}  {:<26} {}\n", "", "max ULP", "p99.99", "avg bits", "worst at",
               "near a root (2^-12): points, max ULP at");
    for (size_t c = 0; c < m.names.size(); ++c) {
        const Component& k = run.components()[c];
        std::string near = k.near.points == 0 ? "-"
                                              : fmt::format("{}, {} at {}", k.near.points, ulps_text(k.near.max),
                                                            inputs_text(k.near.worst, f32));
        fmt::print("  {:<10} {:>9} {:>9} {:>9.2f}  {:<26} {}\n", m.names[c], ulps_text(k.all.max),
                   ulps_text(std::min(k.all.max, k.histogram.percentile(0.9999))), k.average_bits(),
                   k.all.max > 0 ? inputs_text(k.all.worst, f32) : "-", near);
    }
    if (specials.empty()) fmt::print("  special values (NaN, ±inf, ±0): all agree\n");
    if (counts.nan_inputs)
        fmt::print("  NaN policy: {} NaN inputs, {} without NaN everywhere{}\n", counts.nan_inputs, counts.nan_violations,
                   counts.nan_violations ? fmt::format(" (first: {} gave {})", inputs_text(counts.nan_example.x, f32),
                                                       format_number(counts.nan_example.got, f32))
                                         : "");
    for (const Special& sp : specials)
        fmt::print("  special value {}: {} {} ({} expected{}{})\n", inputs_text(sp.x, f32), sp.component,
                   format_number(sp.got, f32), sp.finding == Special::NoLimit ? "none" : format_number(sp.want, f32),
                   sp.finding == Special::Disagrees ? "" : ": ", sp.finding == Special::Disagrees ? "" : finding_text(sp.finding));
    fmt::print("  truth: {:.1f} % interval arithmetic, {:.1f} % MPFR, {:.2f} % MPFR on the stabilized form, {} points unknown "
               "(not counted); self-check: {} points against MPFR, {} outside their interval\n",
               100.0 * static_cast<double>(counts.of[0]) / static_cast<double>(std::max<uint64_t>(decided, 1)),
               100.0 * static_cast<double>(counts.of[1]) / static_cast<double>(std::max<uint64_t>(decided, 1)),
               100.0 * static_cast<double>(counts.of[2]) / static_cast<double>(std::max<uint64_t>(decided, 1)), counts.of[3],
               counts.checked, counts.outside);
    if (counts.outside) {
        fmt::print(stderr, "actjit: error: the interval oracle disagreed with MPFR at {} points\n", counts.outside);
        return exit_errors;
    }
    return exit_ok;
}

}  // namespace

int run_accuracy(const std::string& path, const std::vector<std::string>& names, const AccuracyOptions& o) {
    std::vector<std::string> chosen = names;
    if (chosen.empty()) {
        auto all = definition_names(path);
        if (!all) return exit_errors;
        chosen = *all;
    }
    int status = exit_ok;
    try {
        for (const std::string& name : chosen) {
            int s = o.dtype == "f32" ? measure<float>(path, name, o) : measure<double>(path, name, o);
            status = std::max(status, s);
        }
    } catch (const jit::JitError& e) {
        fmt::print(stderr, "actjit: error: {}\n", e.what());
        return exit_errors;
    } catch (const std::runtime_error& e) {  // a checkpoint that cannot be read or written
        if (dynamic_cast<const UsageError*>(&e)) throw;
        fmt::print(stderr, "actjit: error: {}\n", e.what());
        return exit_errors;
    }
    return status;
}

}  // namespace actjit::cli
