// check_peers: a standalone check of every peer against the definitions, not part of the build.
// For each peer, activation and kernel it prints the worst and the median error, in ULP of the
// kernel's type, over the points {±20, ±5, ±1, ±0.1, 0} (one short call, through the tails) and 10^5
// uniform points in [-20, 20] (one long call), against a long-double evaluation of the definitions
// in forms that keep their relative accuracy (erfc for gelu's tail, sech^2 for tanh', ...).
// Backward takes random dy in [0.5, 2] and skips inputs at a kink, where a peer's own convention
// holds. It then lists kernels whose output is not finite at x = ±100, where the truth is.
//
// Build by hand, one file at a time (from bench/peers, objects in /tmp/peers):
//   F="-std=c++20 -O3 -march=native -Wall -Wextra"
//   nice -n 10 g++ $F -c loops.cpp -o /tmp/peers/loops_std.o
//   nice -n 10 g++ $F -fno-math-errno -DACTJIT_PEER_LIBMVEC -c loops.cpp -o /tmp/peers/loops_libmvec.o
//   nice -n 10 g++ $F -isystem /usr/include/eigen3 -c eigen.cpp -o /tmp/peers/eigen.o
//   nice -n 10 g++ $F -c onednn.cpp -o /tmp/peers/onednn.o
//   nice -n 10 g++ $F -c sleef.cpp -o /tmp/peers/sleef.o
//   nice -n 10 g++ $F -isystem /usr/include/torch/csrc/api/include -c pytorch.cpp
//       -o /tmp/peers/pytorch.o
//   nice -n 10 g++ $F -c check_peers.cpp -o /tmp/peers/check_peers.o
//   cd /tmp/peers && g++ -o check_peers {loops_std,loops_libmvec,eigen,onednn,sleef,pytorch,check_peers}.o
//       -ldnnl -lsleef -ltorch_cpu -lc10 -fopenmp
// Optionally also clang's libmvec build, as a seventh peer:
//   nice -n 10 clang++-19 $F -fno-math-errno -fveclib=libmvec -DACTJIT_PEER_LIBMVEC
//       -Dlibmvec_peer=libmvec_clang_peer -c loops.cpp -o /tmp/peers/loops_libmvec_clang.o
//   and check_peers.cpp with -DACTJIT_CHECK_CLANG_LIBMVEC, linked with that object too.
#include "peers.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace bench {
#ifdef ACTJIT_CHECK_CLANG_LIBMVEC
Peer libmvec_clang_peer();
#endif
}  // namespace bench

namespace {

using L = long double;

L sigmoid(L x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }
L dsigmoid(L x) {
    const L e = std::exp(-std::fabs(x));
    return e / ((1 + e) * (1 + e));
}
L softplus(L x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
L sech2(L x) { return 1 / (std::cosh(x) * std::cosh(x)); }

constexpr L selu_lambda = 1.0507009873554804934193349852946L;
constexpr L selu_alpha = 1.6732632423543772848170429916717L;
constexpr L sqrt_2_over_pi = 0.79788456080286535587989211986876L;
constexpr L inv_sqrt_2pi = 0.39894228040143267793994605993438L;
constexpr L inv_sqrt_2 = 0.70710678118654752440084436210484903L;

struct Truth {
    std::function<L(L)> f, df;
    std::vector<L> kinks;
};

L gelu_tanh_u(L x) { return sqrt_2_over_pi * (x + 0.044715L * x * x * x); }

const std::map<std::string, Truth>& truths() {
    static const std::map<std::string, Truth> t = {
        {"relu", {[](L x) { return std::max(x, L(0)); }, [](L x) { return L(x > 0); }, {0}}},
        {"leaky_relu",
         {[](L x) { return x > 0 ? x : 0.01L * x; }, [](L x) { return x > 0 ? L(1) : 0.01L; }, {0}}},
        {"elu",
         {[](L x) { return x > 0 ? x : std::expm1(x); }, [](L x) { return x > 0 ? 1 : std::exp(x); }, {}}},
        {"selu",
         {[](L x) { return selu_lambda * (x > 0 ? x : selu_alpha * std::expm1(x)); },
          [](L x) { return selu_lambda * (x > 0 ? 1 : selu_alpha * std::exp(x)); },
          {0}}},
        {"relu6",
         {[](L x) { return std::clamp(x, L(0), L(6)); }, [](L x) { return L(x > 0 && x < 6); }, {0, 6}}},
        {"softplus", {softplus, sigmoid, {}}},
        {"sigmoid", {sigmoid, dsigmoid, {}}},
        {"tanh", {[](L x) { return std::tanh(x); }, sech2, {}}},
        {"silu",
         {[](L x) { return x * sigmoid(x); }, [](L x) { return sigmoid(x) * (1 + x * sigmoid(-x)); }, {}}},
        {"gelu",
         {[](L x) { return 0.5L * x * std::erfc(-x * inv_sqrt_2); },
          [](L x) { return 0.5L * std::erfc(-x * inv_sqrt_2) + x * inv_sqrt_2pi * std::exp(-0.5L * x * x); },
          {}}},
        {"gelu_tanh",  // 0.5 x (1 + tanh u) = x sigmoid(2u)
         {[](L x) { return x * sigmoid(2 * gelu_tanh_u(x)); },
          [](L x) {
              const L u = gelu_tanh_u(x), du = sqrt_2_over_pi * (1 + 3 * 0.044715L * x * x);
              return sigmoid(2 * u) + x * 2 * dsigmoid(2 * u) * du;
          },
          {}}},
        {"mish",
         {[](L x) { return x * std::tanh(softplus(x)); },
          [](L x) { return std::tanh(softplus(x)) + x * sigmoid(x) * sech2(softplus(x)); },
          {}}},
        {"hardswish",
         {[](L x) { return x * std::clamp(x + 3, L(0), L(6)) / 6; },
          [](L x) { return x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6; },
          {-3, 3}}},
    };
    return t;
}

// Distance from the truth in ULP of T, the ULP taken at the truth and at least T's smallest normal.
template <class T>
double ulps(T got, L want) {
    if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got) ? 0 : INFINITY;
    const T w = T(want);
    if (std::isinf(w) || std::isinf(got)) return w == got ? 0 : INFINITY;
    int e = 0;
    std::frexp(std::max(std::fabs(want), L(std::numeric_limits<T>::min())), &e);
    return double(std::fabs(L(got) - want) / std::ldexp(L(1), e - std::numeric_limits<T>::digits));
}

struct Worst {
    double ulp = 0;
    L at = 0;
    std::vector<double> all;
    void add(double u, L x) {
        if (!(u <= ulp)) ulp = u, at = x;  // NaN ULP counts as worst
        all.push_back(u);
    }
    double median() {
        std::nth_element(all.begin(), all.begin() + std::ptrdiff_t(all.size() / 2), all.end());
        return all[all.size() / 2];
    }
};

template <class T>
struct Inputs {
    std::vector<T> x, b, dy;
};

template <class T>
Inputs<T> inputs(std::size_t random_count) {
    Inputs<T> in;
    in.x = {-20, -5, -1, T(-0.1), 0, T(0.1), 1, 5, 20};
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> wide(-20, 20), factor(0.5, 2);
    for (std::size_t i = 0; i < random_count; ++i) in.x.push_back(T(wide(rng)));
    for (std::size_t i = 0; i < in.x.size(); ++i) {
        in.b.push_back(T(factor(rng) * (i % 2 ? 1 : -1)));
        in.dy.push_back(T(factor(rng)));
    }
    return in;
}

constexpr std::size_t short_count = 9;

// The short call covers the fixed points, the long one the random ones.
template <class Run>
void in_two_calls(std::size_t n, Run run) {
    run(std::size_t(0), short_count);
    run(short_count, n - short_count);
}

template <class T, class F>
Worst check_forward(F f, const Truth& t, const Inputs<T>& in) {
    std::vector<T> y(in.x.size());
    in_two_calls(y.size(), [&](std::size_t at, std::size_t n) { f(&in.x[at], nullptr, &y[at], n); });
    Worst w;
    for (std::size_t i = 0; i < y.size(); ++i) w.add(ulps(y[i], t.f(in.x[i])), in.x[i]);
    return w;
}

template <class T, class B>
Worst check_backward(B b, const Truth& t, const Inputs<T>& in) {
    std::vector<T> dx(in.x.size());
    in_two_calls(dx.size(), [&](std::size_t at, std::size_t n) {
        b(&in.x[at], nullptr, &in.dy[at], &dx[at], nullptr, n);
    });
    Worst w;
    for (std::size_t i = 0; i < dx.size(); ++i) {
        if (std::count(t.kinks.begin(), t.kinks.end(), L(in.x[i]))) continue;
        w.add(ulps(dx[i], L(in.dy[i]) * t.df(in.x[i])), in.x[i]);
    }
    return w;
}

L silu(L a) { return a * sigmoid(a); }
L dsilu(L a) { return sigmoid(a) * (1 + a * sigmoid(-a)); }

template <class T, class F>
Worst check_swiglu_forward(F f, const Inputs<T>& in) {
    std::vector<T> y(in.x.size());
    in_two_calls(y.size(), [&](std::size_t at, std::size_t n) { f(&in.x[at], &in.b[at], &y[at], n); });
    Worst w;
    for (std::size_t i = 0; i < y.size(); ++i) w.add(ulps(y[i], silu(in.x[i]) * L(in.b[i])), in.x[i]);
    return w;
}

template <class T, class B>
Worst check_swiglu_backward(B b, const Inputs<T>& in) {
    std::vector<T> da(in.x.size()), db(in.x.size());
    in_two_calls(da.size(), [&](std::size_t at, std::size_t n) {
        b(&in.x[at], &in.b[at], &in.dy[at], &da[at], &db[at], n);
    });
    Worst w;
    for (std::size_t i = 0; i < da.size(); ++i) {
        const L a = in.x[i], dy = in.dy[i];
        w.add(ulps(da[i], dy * L(in.b[i]) * dsilu(a)), a);
        w.add(ulps(db[i], dy * silu(a)), a);
    }
    return w;
}

std::string number(double u) {
    char s[32];
    std::snprintf(s, sizeof s, u < 1e4 ? "%.2f" : "%.2g", u);
    return s;
}

std::string cell(Worst& w, bool present) {
    if (!present) return "-";
    char at[32];
    std::snprintf(at, sizeof at, " @%.3g /", double(w.at));
    return number(w.ulp) + at + number(w.median());
}

// Kernels whose output at x = ±100 (or a = ±100, b = 1) is not finite, the truth being finite.
std::string overflows(const bench::PeerKernel& k) {
    std::string out;
    const float xf[2] = {-100, 100}, onef[2] = {1, 1};
    const double xd[2] = {-100, 100}, oned[2] = {1, 1};
    float yf[2], df[2];
    double yd[2], dd[2];
    auto note = [&](const char* what, auto* y) {
        for (int i = 0; i < 2; ++i)
            if (!std::isfinite(y[i])) out += std::string(" ") + what + (i ? "(+100)" : "(-100)");
    };
    if (k.forward32) k.forward32(xf, onef, yf, 2), note("f32 fwd", yf);
    if (k.backward32) k.backward32(xf, onef, onef, df, yf, 2), note("f32 bwd", df);
    if (k.forward64) k.forward64(xd, oned, yd, 2), note("f64 fwd", yd);
    if (k.backward64) k.backward64(xd, oned, oned, dd, yd, 2), note("f64 bwd", dd);
    return out;
}

}  // namespace

int main() {
    std::vector<bench::Peer> peers = {bench::std_peer(), bench::libmvec_peer(), bench::eigen_peer(),
                                      bench::onednn_peer(), bench::sleef_peer(), bench::pytorch_peer()};
#ifdef ACTJIT_CHECK_CLANG_LIBMVEC
    peers.insert(peers.begin() + 2, bench::libmvec_clang_peer());
    peers[2].name = "libmvec-clang";
#endif
    const auto in32 = inputs<float>(100000);
    const auto in64 = inputs<double>(100000);
    for (const auto& p : peers)
        std::printf("%-14s %s | %s\n", p.name.c_str(), p.version.c_str(), p.note.c_str());
    std::printf("\nworst error in ULP @ the input where it occurs / median error in ULP\n");
    std::printf("%-14s %-11s %-25s %-25s %-25s %-25s\n", "peer", "activation", "f32 forward", "f32 backward",
                "f64 forward", "f64 backward");
    std::vector<std::string> overflow_lines;
    for (const auto& p : peers) {
        for (const auto& k : p.kernels) {
            Worst w[4];
            if (k.activation == "swiglu") {
                if (k.forward32) w[0] = check_swiglu_forward(k.forward32, in32);
                if (k.backward32) w[1] = check_swiglu_backward(k.backward32, in32);
                if (k.forward64) w[2] = check_swiglu_forward(k.forward64, in64);
                if (k.backward64) w[3] = check_swiglu_backward(k.backward64, in64);
            } else {
                const Truth& t = truths().at(k.activation);
                if (k.forward32) w[0] = check_forward(k.forward32, t, in32);
                if (k.backward32) w[1] = check_backward(k.backward32, t, in32);
                if (k.forward64) w[2] = check_forward(k.forward64, t, in64);
                if (k.backward64) w[3] = check_backward(k.backward64, t, in64);
            }
            std::printf("%-14s %-11s %-25s %-25s %-25s %-25s\n", p.name.c_str(), k.activation.c_str(),
                        cell(w[0], k.forward32).c_str(), cell(w[1], k.backward32).c_str(),
                        cell(w[2], k.forward64).c_str(), cell(w[3], k.backward64).c_str());
            if (const std::string o = overflows(k); !o.empty())
                overflow_lines.push_back(p.name + " " + k.activation + ":" + o);
        }
    }
    std::printf("\nnot finite at x = +-100 (the truth is finite):\n");
    for (const auto& line : overflow_lines) std::printf("  %s\n", line.c_str());
}
