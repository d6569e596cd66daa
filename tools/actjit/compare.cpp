// actjit compare (LANGUAGE.md §6): the generated kernels against the handwritten ones of
// bench/handwritten, per activation and direction: the largest ULP error of each against
// the exact values of the formula as written (compiler/reference.hpp, on a stratified
// sample of every exponent), and the handwritten kernel's time over the generated one's
// at 16 KiB, 1 MiB and 64 MiB of input (1 thread, medians of interleaved calls): above 1,
// the generated kernel is faster. The benchmark build adds oneDNN's and Eigen's kernels as
// more rows (compare_peers.hpp).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include <fmt/format.h>

#include "accuracy.hpp"
#include "compare_peers.hpp"
#include "compiler/gradient.hpp"
#include "compiler/llvm/error.hpp"
#include "compiler/llvm/kernels.hpp"
#include "handwritten.hpp"

namespace actjit::cli {

namespace {

using Packed = void (*)(void* const* arrays, int64_t n, const void* params, uint64_t seed, int64_t first);

// One implementation's two directions on float arrays (x2: swiglu's b; dx2: its db).
struct Implementation {
    std::string name;
    handwritten::Forward forward;
    handwritten::Backward backward;
    std::shared_ptr<jit::LinkedKernels> kernels;  // a generated one's, else null
    size_t inputs = 1;
    std::vector<float> params;  // the generated one's: the defaults (the handwritten ones have them built in)

    void run_forward(const float* x, const float* x2, float* y, size_t n) const {
        if (!kernels) return forward(x, x2, y, n);
        void* a[] = {const_cast<float*>(x), inputs == 2 ? const_cast<float*>(x2) : y, y};
        reinterpret_cast<Packed>(kernels->forward_packed.load())(a, static_cast<int64_t>(n), params.data(), 0, 0);
    }
    void run_backward(const float* x, const float* x2, const float* dy, float* dx, float* dx2, size_t n) const {
        if (!kernels) return backward(x, x2, dy, dx, dx2, n);
        float unused = 0;
        if (inputs == 2) {
            void* a[] = {const_cast<float*>(x), const_cast<float*>(x2), const_cast<float*>(dy), dx, dx2, &unused};
            reinterpret_cast<Packed>(kernels->backward_packed.load())(a, static_cast<int64_t>(n), params.data(), 0, 0);
        } else {
            void* a[] = {const_cast<float*>(x), const_cast<float*>(dy), dx, &unused};
            reinterpret_cast<Packed>(kernels->backward_packed.load())(a, static_cast<int64_t>(n), params.data(), 0, 0);
        }
    }
};

// One implementation's largest ULP error in one direction: outside the neighbourhoods of
// the component's roots, and within them (near_root: accuracy.hpp), where cancellation
// is inherent and the figure says more about how close a sample point came to the root.
struct Ulps {
    double away = 0, near = 0;
};

// One activation, direction and handwritten kernel: its ULP error and ns/element, and the
// generated kernels'.
struct Row {
    std::string activation, direction, kind;
    Ulps ulp_accurate, ulp_fast, ulp_hand;
    size_t near_points;
    std::array<double, 3> accurate, fast, hand;  // ns/element per size
};

constexpr std::array<size_t, 3> sizes = {4096, 262144, 16777216};  // 16 KiB, 1 MiB, 64 MiB of floats

// The sample: every exponent of float alike (both signs), 128 points each, for each
// input; a two-input definition takes the pairs (x_i, x_{i * 7919 mod n}).
std::vector<float> sample() {
    std::vector<float> out;
    std::mt19937 random(5);
    for (uint32_t sign = 0; sign < 2; ++sign)
        for (uint32_t e = 0; e < 255; ++e)
            for (int i = 0; i < 128; ++i) {
                uint32_t m = std::uniform_int_distribution<uint32_t>(0, (1u << 23) - 1)(random);
                out.push_back(std::bit_cast<float>((sign << 31) | (e << 23) | m));
            }
    return out;
}

// Each implementation's errors, for the value (forward) and for each input's derivative
// (backward, the largest over the inputs); and how many points are near a root, per
// direction.
struct Accuracy {
    std::array<std::vector<Ulps>, 2> ulps;
    std::array<size_t, 2> near_points{};
};

Accuracy accuracy(Program& program, const LoweredFunction& f, const std::vector<Implementation>& implementations) {
    Gradient readable = readable_gradient(program, f), stable = gradient(program, f);
    size_t k = f.info->inputs.size();
    std::vector<Expr> written{readable.value}, stabilized{stable.value};
    for (size_t j = 0; j < k; ++j) {
        Expr w = readable.derivatives[j].expr ? readable.derivatives[j].expr : program.graph.constant(0);
        written.push_back(w);
        stabilized.push_back(stable.derivatives[j].expr ? stable.derivatives[j].expr : w);
    }
    Reference reference(written, stabilized, 24);
    std::vector<float> x = sample(), x2(x.size());
    for (size_t i = 0; i < x.size(); ++i) x2[i] = x[(i * 7919) % x.size()];
    std::vector<double> params;  // as the kernels receive them: floats (LANGUAGE.md §3)
    for (const auto& d : f.defaults) params.push_back(static_cast<float>(d.value_or(0)));
    size_t n = x.size();
    std::vector<std::vector<Truth>> truth(1 + k, std::vector<Truth>(n));
    std::vector<bool> known(n);
    std::vector<Truth> t(1 + k);
    auto environment = [&](size_t i, const double* in) {
        return Environment{std::span<const double>(in, k), params, 0, i, false};
    };
    for (size_t i = 0; i < n; ++i) {
        double in[] = {x[i], x2[i]};
        known[i] = reference.evaluate(environment(i, in), t) != Reference::Oracle::Unknown;
        for (size_t c = 0; c <= k; ++c) truth[c][i] = t[c];
    }
    // near[c][i]: 0 not asked yet, 1 away from a root of component c, 2 near one
    std::vector<std::vector<char>> near(1 + k, std::vector<char>(n, 0));
    auto is_near = [&](size_t c, size_t i) {
        if (!near[c][i]) {
            double in[] = {x[i], x2[i]};
            near[c][i] = near_root(reference, environment(i, in), c, truth[c][i], 1 + k) ? 2 : 1;
        }
        return near[c][i] == 2;
    };
    Accuracy out;
    std::vector<float> y(n), dy(n, 1.0f), dx(n), dx2(n);
    for (const Implementation& impl : implementations) {
        impl.run_forward(x.data(), x2.data(), y.data(), n);
        impl.run_backward(x.data(), x2.data(), dy.data(), dx.data(), dx2.data(), n);
        Ulps value, slope;
        auto add = [&](Ulps& u, size_t c, size_t i, double e) {
            // (an infinite error, a NaN or an overflow, is no cancellation: never put apart)
            if (e > 1 && std::isfinite(e) && is_near(c, i)) u.near = std::max(u.near, e);
            else u.away = std::max(u.away, e);
        };
        for (size_t i = 0; i < n; ++i) {
            if (!known[i]) continue;
            add(value, 0, i, ulp_error<float>(y[i], truth[0][i]));
            add(slope, 1, i, ulp_error<float>(dx[i], truth[1][i]));
            if (k == 2) add(slope, 2, i, ulp_error<float>(dx2[i], truth[2][i]));
        }
        out.ulps[0].push_back(value);
        out.ulps[1].push_back(slope);
    }
    // (points asked about: those where some implementation was more than 1 ULP off)
    for (size_t c = 0; c <= k; ++c)
        out.near_points[c == 0 ? 0 : 1] += static_cast<size_t>(std::count(near[c].begin(), near[c].end(), 2));
    return out;
}

// ns/element of each implementation at each size, per direction: every repetition runs
// each implementation once, in an order shuffled per repetition.
std::array<std::vector<std::array<double, 3>>, 2> speed(const std::vector<Implementation>& implementations) {
    std::array<std::vector<std::array<double, 3>>, 2> out;
    for (auto& d : out) d.assign(implementations.size(), {});
    std::mt19937 random(3);
    for (size_t s = 0; s < sizes.size(); ++s) {
        size_t n = sizes[s];
        std::vector<float> x(n), x2(n), y(n), dy(n), dx(n), dx2(n);
        std::uniform_real_distribution<float> spread(-8, 8), around_one(0.5f, 2.0f);
        for (size_t i = 0; i < n; ++i) {
            x[i] = spread(random);
            x2[i] = spread(random) / 2;
            dy[i] = around_one(random);
        }
        // At 1 MiB a run takes some 40 us, and the machine's noise moved a median of 15
        // runs by up to 10 % between calls of compare; 201 keep it within about 2 %.
        int repetitions = n > 1000000 ? 5 : n > 10000 ? 201 : 41;
        for (int direction = 0; direction < 2; ++direction) {
            std::vector<std::vector<double>> times(implementations.size());
            std::vector<size_t> order(implementations.size());
            for (size_t i = 0; i < order.size(); ++i) order[i] = i;
            for (int r = -1; r < repetitions; ++r) {  // r = -1: a warm-up
                std::shuffle(order.begin(), order.end(), random);
                for (size_t i : order) {
                    const Implementation& impl = implementations[i];
                    auto start = std::chrono::steady_clock::now();
                    if (direction == 0) impl.run_forward(x.data(), x2.data(), y.data(), n);
                    else impl.run_backward(x.data(), x2.data(), dy.data(), dx.data(), dx2.data(), n);
                    double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
                    if (r >= 0) times[i].push_back(ns / static_cast<double>(n));
                }
            }
            for (size_t i = 0; i < times.size(); ++i) {
                std::sort(times[i].begin(), times[i].end());
                out[static_cast<size_t>(direction)][i][s] = times[i][times[i].size() / 2];
            }
        }
    }
    return out;
}

}  // namespace

int run_compare(const std::string& path, const std::vector<std::string>& names, const CompareOptions& o) {
    std::vector<handwritten::Kernel> hand = handwritten::kernels();
    ComparePeers peers = compare_peers();
    hand.insert(hand.end(), peers.kernels.begin(), peers.kernels.end());
    std::vector<std::string> chosen = names;
    if (chosen.empty()) {
        auto all = definition_names(path);
        if (!all) return exit_errors;
        for (const std::string& name : *all)
            if (std::any_of(hand.begin(), hand.end(), [&](const auto& k) { return k.activation == name; }))
                chosen.push_back(name);
    }
    jit::Target target = jit::choose_target(o.cpu);
    std::vector<Row> rows;
    try {
        for (const std::string& name : chosen) {
            auto compiled = compile(path, name);
            if (!compiled) return exit_errors;
            const LoweredFunction& f = find_function(*compiled, path, name);
            std::vector<Implementation> implementations;
            size_t k = f.info->inputs.size();
            if (k > 2 || std::any_of(f.defaults.begin(), f.defaults.end(), [](const auto& d) { return !d; }))
                throw UsageError(fmt::format("'{}': compare takes one- and two-input definitions whose parameters "
                                             "have defaults", name));
            for (bool fast : {false, true}) {
                jit::KernelOptions options{true, false, fast};
                Gradient stable = gradient(compiled->program, f, jit::arithmetic_of(options));
                auto kernels = jit::compile_kernels(stable, *f.info, options, target, jit::default_cache_options());
                std::vector<float> params;
                for (const auto& d : f.defaults) params.push_back(static_cast<float>(*d));
                implementations.push_back({fast ? "actjit-fast" : "actjit", nullptr, nullptr, kernels, k, params});
            }
            jit::finish_compiling();
            for (const handwritten::Kernel& h : hand)
                if (h.activation == name)
                    implementations.push_back({h.kind, h.forward, h.backward, nullptr, k, {}});
            if (implementations.size() == 2) {
                fmt::print(stderr, "actjit: note: no handwritten or peer kernel for '{}'\n", name);
                continue;
            }
            if (!o.json) fmt::print(stderr, "compare: {}\n", name);
            Accuracy a = accuracy(compiled->program, f, implementations);
            auto times = speed(implementations);
            for (size_t d = 0; d < 2; ++d)
                for (size_t h = 2; h < implementations.size(); ++h)
                    rows.push_back({name, d == 0 ? "forward" : "backward", implementations[h].name, a.ulps[d][0],
                                    a.ulps[d][1], a.ulps[d][h], a.near_points[d], times[d][0], times[d][1], times[d][h]});
        }
    } catch (const jit::JitError& e) {
        fmt::print(stderr, "actjit: error: {}\n", e.what());
        return exit_errors;
    }
    if (o.json) {
        std::string out;
        for (const Row& r : rows) {
            auto list = [](const std::array<double, 3>& t) { return fmt::format("[{:.4f}, {:.4f}, {:.4f}]", t[0], t[1], t[2]); };
            auto ulp = [](double u) { return std::isinf(u) ? std::string("null") : fmt::format("{:.4g}", u); };
            out += fmt::format("{}{{\"activation\": \"{}\", \"direction\": \"{}\", \"handwritten\": \"{}\", "
                               "\"ulp_actjit\": {}, \"ulp_actjit_fast\": {}, \"ulp_handwritten\": {}, "
                               "\"near_root_points\": {}, \"near_root_ulp_actjit\": {}, "
                               "\"near_root_ulp_actjit_fast\": {}, \"near_root_ulp_handwritten\": {}, "
                               "\"ns_actjit\": {}, \"ns_actjit_fast\": {}, \"ns_handwritten\": {}}}",
                               out.empty() ? "" : ",\n ", r.activation, r.direction, r.kind, ulp(r.ulp_accurate.away),
                               ulp(r.ulp_fast.away), ulp(r.ulp_hand.away), r.near_points, ulp(r.ulp_accurate.near),
                               ulp(r.ulp_fast.near), ulp(r.ulp_hand.near), list(r.accurate), list(r.fast), list(r.hand));
        }
        fmt::print("{{\"cpu\": \"{}\", \"handwritten_loops\": \"{}\", \"peers\": \"{}\", "
                   "\"sizes_bytes\": [16384, 1048576, 67108864], \"rows\": [{}]}}\n",
                   target.cpu, handwritten::loops_isa(), peers.note, out);
        return exit_ok;
    }
    fmt::print("Generated (actjit: accurate, actjit-fast) against handwritten kernels (bench/handwritten: loop = std:: math\n"
               "vectorized by g++ for {}; avx512, avx2 = intrinsics), f32, 1 thread on {}.\n{}\n"
               "ULP: the largest error against the exact formula, 130,560 points of every exponent, outside\n"
               "the neighbourhoods of a root (relative 2^-12, as `actjit accuracy`: listed below the table).\n"
               "Speed: their time / generated time at 16 KiB, 1 MiB, 64 MiB (above 1: generated faster).\n\n",
               handwritten::loops_isa(), target.cpu, peers.note);
    fmt::print("{:<11} {:<9} {:<7} {:>8} {:>8} {:>8}   {:>20}   {:>20}\n", "activation", "direction", "against", "ULP gen",
               "ULP fast", "ULP them", "speed vs actjit", "speed vs actjit-fast");
    auto ulp = [](double u) { return std::isinf(u) ? std::string("inf") : fmt::format("{:.3g}", u); };
    for (const Row& r : rows) {
        auto ratios = [&](const std::array<double, 3>& generated) {
            return fmt::format("{:>6.2f}{:>7.2f}{:>7.2f}", r.hand[0] / generated[0], r.hand[1] / generated[1],
                               r.hand[2] / generated[2]);
        };
        fmt::print("{:<11} {:<9} {:<7} {:>8} {:>8} {:>8}   {:>20}   {:>20}\n", r.activation, r.direction, r.kind,
                   ulp(r.ulp_accurate.away), ulp(r.ulp_fast.away), ulp(r.ulp_hand.away), ratios(r.accurate),
                   ratios(r.fast));
    }
    bool heading = false;
    for (const Row& r : rows) {
        if (r.near_points == 0) continue;
        if (!heading) fmt::print("\nNear a root (cancellation inherent in any floating-point answer): ULP gen, fast, them\n");
        heading = true;
        // (a point is asked about where an implementation is more than 1 ULP off: 0 is "at most 1")
        auto near = [&](double u) { return u == 0 ? std::string("<= 1") : ulp(u); };
        fmt::print("{:<11} {:<9} {:<7} {:>8} {:>8} {:>8}   ({} point{})\n", r.activation, r.direction, r.kind,
                   near(r.ulp_accurate.near), near(r.ulp_fast.near), near(r.ulp_hand.near), r.near_points,
                   r.near_points == 1 ? "" : "s");
    }
    return exit_ok;
}

}  // namespace actjit::cli
