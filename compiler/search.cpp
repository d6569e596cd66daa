#include "search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

#include "interpret.hpp"
#include "measure.hpp"
#include "rational.hpp"
#include "series.hpp"

namespace actjit {

namespace {

constexpr int taylor_terms = 41;  // x^0 ... x^40
constexpr size_t max_regimes = 8;  // per root

// sum c_k x^k by Horner's rule (zero coefficients left out), or null if all are 0.
Expr polynomial(Graph& g, const std::vector<double>& c, Expr x) {
    Expr h = nullptr;
    for (size_t k = c.size(); k-- > 0;) {
        if (h) h = g.make(Kind::Mul, {h, x});
        if (c[k] != 0) h = h ? g.make(Kind::Add, {h, g.constant(c[k])}) : g.constant(c[k]);
    }
    return h;
}

struct Candidate {
    std::string name;
    Expr root;
};

// A binade of one sign: its key orders the line from -inf to +inf.
struct Binade {
    bool negative;
    int exponent;
    bool operator<(const Binade& o) const {
        if (negative != o.negative) return negative;
        return negative ? exponent > o.exponent : exponent < o.exponent;
    }
};

}  // namespace

std::vector<Expr> search_stabilized(Graph& g, const std::vector<Expr>& written, const std::vector<Expr>& stabilized,
                                    size_t inputs, std::span<const double> params, bool f32, SearchReport* report) {
    auto start = std::chrono::steady_clock::now();
    std::vector<Expr> out = stabilized;
    if (inputs != 1) return out;
    const Expr x = g.input(0);
    const int lowest = f32 ? std::numeric_limits<float>::min_exponent - 2 : std::numeric_limits<double>::min_exponent - 2;
    MeasureOptions options;
    options.f32 = f32;
    options.per_binade = f32 ? 16 : 4;
    for (size_t c = 0; c < written.size(); ++c) {
        if (written[c]->depends >> 63) continue;  // (a draw)
        std::vector<Candidate> candidates{{"rules", stabilized[c]}, {"written", written[c]}};
        if (auto t = taylor_series(written[c], x, 0, taylor_terms))
            if (Expr p = polynomial(g, *t, x)) candidates.push_back({"taylor", p});
        if (Expr far = large_argument_form(g, stabilized[c], x)) candidates.push_back({"rational", far});
        std::vector<Expr> roots;
        for (const Candidate& k : candidates) roots.push_back(k.root);
        PointErrors e = point_errors(written[c], stabilized[c], roots, inputs, params, options);
        // the largest error of each candidate in each binade
        std::map<Binade, std::vector<double>> worst;
        for (size_t i = 0; i < e.x.size(); ++i) {
            Binade b{std::signbit(e.x[i]), std::max(std::ilogb(e.x[i]), lowest)};
            auto& w = worst.try_emplace(b, std::vector<double>(candidates.size(), 0.0)).first->second;
            for (size_t k = 0; k < candidates.size(); ++k) {
                double u = e.ulps[k][i];
                if (std::isnan(u)) continue;  // (no truth there)
                w[k] = std::max(w[k], u);
            }
        }
        // each binade's choice: a candidate twice as accurate as the rules' form where that
        // misses the goal; runs of one choice become regimes
        std::vector<Regime> runs;
        for (const auto& [b, w] : worst) {
            double x0 = std::ldexp(b.negative ? -1.5 : 1.5, b.exponent);
            size_t best = 0;
            if (w[0] > std::min(goal_ulps(c, x0, f32), 4.0))  // (a sample: the goal's edge is no margin)
                for (size_t k = 1; k < candidates.size(); ++k)
                    if (w[k] < w[best] && w[k] * 2 <= w[0] && (candidates[k].name != "taylor" || b.exponent < 0))
                        best = k;  // (a polynomial at 0 only within |x| < 1)
            if (best == 0) continue;
            double from = b.exponent == lowest ? 0 : std::ldexp(1.0, b.exponent), to = std::ldexp(1.0, b.exponent + 1);
            if (!runs.empty() && runs.back().candidate == candidates[best].name && runs.back().negative == b.negative &&
                (b.negative ? runs.back().from == to : runs.back().to == from)) {
                Regime& r = runs.back();
                (b.negative ? r.from : r.to) = b.negative ? from : to;
                r.before = std::max(r.before, w[0]), r.after = std::max(r.after, w[best]);
            } else {
                runs.push_back({c, candidates[best].name, b.negative, from, to, w[0], w[best]});
            }
        }
        if (runs.empty()) continue;
        // the regimes that gain most, at most max_regimes, nested as selects over the rules' form
        std::sort(runs.begin(), runs.end(), [](const Regime& a, const Regime& b) { return a.before / a.after > b.before / b.after; });
        if (runs.size() > max_regimes) runs.resize(max_regimes);
        // A regime from 0 leaves 0 itself out where the written root is NaN there (0 / 0 at
        // a removable singularity is the formula's value, the limit is not: LANGUAGE.md §3)
        double zero[] = {0.0};
        const bool nan_at_zero = std::isnan(interpret(written[c], Environment{zero, params}));
        Expr root = stabilized[c];
        for (const Regime& r : runs) {
            Expr body = nullptr;
            for (const Candidate& k : candidates)
                if (k.name == r.candidate) body = k.root;
            Expr lo = g.constant(r.negative ? -r.from : r.from), hi = g.constant(r.negative ? -r.to : r.to);
            Expr inside = r.negative
                              ? g.make(Kind::And, {r.from == 0 ? g.make(Kind::Lt, {x, lo}) : g.make(Kind::Le, {x, lo}),
                                                   g.make(Kind::Gt, {x, hi})})
                              : g.make(Kind::And, {r.from == 0 && nan_at_zero ? g.make(Kind::Gt, {x, lo})
                                                                               : g.make(Kind::Ge, {x, lo}),
                                                   g.make(Kind::Lt, {x, hi})});
            root = g.make(Kind::Select, {inside, body, root});
        }
        out[c] = root;
        if (report) report->regimes.insert(report->regimes.end(), runs.begin(), runs.end());
    }
    if (report)
        report->milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
}

}  // namespace actjit
