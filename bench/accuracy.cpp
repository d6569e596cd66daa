#include "accuracy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <stdexcept>

#include "compiler/check.hpp"
#include "compiler/gradient.hpp"
#include "compiler/interpret.hpp"
#include "compiler/lower.hpp"
#include "grammar/parse.hpp"

namespace bench {

namespace {

bool at_kink(double x) { return x == 0 || x == 3 || x == -3 || x == 6; }

template <typename T>
double ulp_of(double exact) {
    double a = std::fabs(exact);
    constexpr double smallest = std::numeric_limits<T>::denorm_min();
    if (a < std::numeric_limits<T>::min()) return smallest;
    int e = std::ilogb(a);
    return std::ldexp(1.0, e - (std::numeric_limits<T>::digits - 1));
}

}  // namespace

Points exact_points(const std::string& definitions, const std::string& activation) {
    actjit::SourceFile file("examples/activations.act", definitions);
    actjit::Diagnostics diagnostics;
    actjit::ParsedFile parsed = actjit::parse(file, diagnostics);
    actjit::Module module = actjit::check(parsed, diagnostics);
    if (diagnostics.has_errors()) throw std::runtime_error(actjit::render_all(file, diagnostics));
    actjit::Program program = actjit::lower(parsed, module);
    const actjit::LoweredFunction* f = program.find(activation);
    if (!f) throw std::runtime_error("no definition " + activation);
    actjit::Gradient g = actjit::readable_gradient(program, *f);
    std::vector<actjit::Expr> roots{g.value};
    size_t inputs = f->info->inputs.size();
    for (size_t j = 0; j < inputs; ++j) roots.push_back(g.derivatives[j].expr);

    Points p;
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> unit(0, 1), b(-4, 4);
    auto add = [&](double x) {
        float xf = static_cast<float>(x);  // every point is a float, so f32 and f64 see the same x
        if (at_kink(xf)) return;
        p.x.push_back(xf);
        p.x2.push_back(static_cast<float>(b(random)));
    };
    for (int i = 0; i < 3000; ++i) add((unit(random) < 0.5 ? -1 : 1) * std::pow(10.0, -5 + 6.477 * unit(random)));
    for (int i = 0; i < 3000; ++i) add(-20 + 40 * unit(random));
    for (double x : {0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 100.0}) {
        add(x);
        add(-x);
    }
    p.slopes.assign(inputs, {});
    std::vector<double> params;  // the defaults, as the kernels are run with
    for (const std::optional<double>& d : f->defaults) params.push_back(d.value_or(0));
    for (size_t i = 0; i < p.x.size(); ++i) {
        double in2[] = {p.x[i], p.x2[i]};
        std::vector<double> v =
            actjit::interpret_mpfr(roots, {std::span<const double>(in2, inputs), params, 0, i, false}, 1024);
        p.value.push_back(v[0]);
        for (size_t j = 0; j < inputs; ++j) p.slopes[j].push_back(roots[1 + j] ? v[1 + j] : 0.0);
    }
    return p;
}

template <typename T>
Accuracy measure(const std::vector<T>& got, const std::vector<double>& exact, const std::vector<double>& x) {
    Accuracy a;
    std::vector<double> errors;
    for (size_t i = 0; i < got.size(); ++i) {
        double e = exact[i];
        if (!std::isfinite(e)) continue;
        // The exact value rounded to T is what a correctly rounded result would give.
        if (std::fabs(e) > static_cast<double>(std::numeric_limits<T>::max())) continue;
        double g = static_cast<double>(got[i]);
        if (!std::isfinite(g)) {
            ++a.nonfinite;
            continue;
        }
        double ulps = std::fabs(g - e) / ulp_of<T>(e);
        errors.push_back(ulps);
        if (ulps > a.worst_ulp) {
            a.worst_ulp = ulps;
            a.at = x[i];
        }
    }
    if (!errors.empty()) {
        std::nth_element(errors.begin(), errors.begin() + static_cast<long>(errors.size() / 2), errors.end());
        a.median_ulp = errors[errors.size() / 2];
    }
    return a;
}

template Accuracy measure<float>(const std::vector<float>&, const std::vector<double>&, const std::vector<double>&);
template Accuracy measure<double>(const std::vector<double>&, const std::vector<double>&, const std::vector<double>&);

}  // namespace bench
