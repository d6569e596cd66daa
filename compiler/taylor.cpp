#include "taylor.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "interpret.hpp"
#include "rewrite.hpp"
#include "series.hpp"

namespace actjit {

namespace {

constexpr int max_degree = 40;        // the polynomial's degree limit
constexpr int partial_degree = 20;    // where the series cannot reach the written form's radius

// What an arithmetic asks of the polynomial and of the written form beyond it.
struct Needs {
    // The written form is used where its condition (|a| + |b|) / |a - b| is at most this:
    // 2 where it is computed in the result's precision; 2^11 where it is computed in
    // double and rounded to float (an error of 2^-42 of the result, 2^-18 of its ULP).
    double condition_limit;
    int term_bits;        // the polynomial's terms kept down to 2^-term_bits of |f(r)|
    double agreement;     // without_needless_polynomials: |q - p| <= this * |p| (relative)
};
Needs needs(Arithmetic a) {
    switch (a) {
    case Arithmetic::DoubleToFloat: return {0x1p11, 45, 0x1p-42};
    case Arithmetic::Float: return {2, 29, 0x1p-26};
    case Arithmetic::Double: break;
    }
    return {2, 56, 0};  // agreement 0: 4 ULP of p in double (agrees_below)
}

// The one input the expression depends on; null if none, several, or a parameter or draw.
Expr single_input(Expr root) {
    Expr input = nullptr;
    for (Expr n : topological_order({root})) {
        if (n->kind == Kind::Param || n->kind == Kind::Uniform) return nullptr;
        if (n->kind == Kind::Input) {
            if (input && input != n) return nullptr;
            input = n;
        }
    }
    return input;
}

// Whether p is a polynomial in x: x, constants, sums and products.
bool polynomial_in(Expr p, Expr x) {
    for (Expr n : topological_order({p}))
        if (n != x && n->kind != Kind::Constant && n->kind != Kind::Add && n->kind != Kind::Sub &&
            n->kind != Kind::Mul && n->kind != Kind::Neg)
            return false;
    return true;
}

// Whether q, a function of x alone, agrees with the polynomial p to 4 ULP of p (in
// double, as the kernels compute both) at 0 and at a point of every binade of (2^-60, r),
// their signs and mantissas alternating: p is accurate there by its construction, so q
// is within 4 ULP of an accurate value; where q still cancels it is off by far more, and
// more so the nearer 0, over many binades. No MPFR: the test costs some sixty
// evaluations of two small graphs (with MPFR's tanh at every binade's four points it was
// 6 M instructions, more than the polynomial saved).
bool agrees_below(Expr q, Expr p, Expr x, double r, double relative) {
    if (single_input(q) != x) return false;
    // One walk of both graphs, node by node, the operands' slots found once.
    const std::vector<Expr> order = topological_order({q, p});
    std::unordered_map<Expr, uint32_t> slot;
    for (size_t i = 0; i < order.size(); ++i) slot.emplace(order[i], static_cast<uint32_t>(i));
    std::vector<std::vector<uint32_t>> from(order.size());
    for (size_t i = 0; i < order.size(); ++i)
        for (int j = 0; j < order[i]->arity(); ++j) from[i].push_back(slot.at((*order[i])[j]));
    std::vector<double> values(order.size()), operands;
    std::vector<double> inputs(x->index + 1, 0.0);
    const uint32_t got_slot = slot.at(q), want_slot = slot.at(p);
    auto close = [&](double v) {
        inputs[x->index] = v;
        const Environment env{inputs, {}};
        for (size_t i = 0; i < order.size(); ++i) {
            operands.clear();
            for (uint32_t k : from[i]) operands.push_back(values[k]);
            values[i] = evaluate(order[i], operands, env);
        }
        const double got = values[got_slot], want = values[want_slot];
        if (!std::isfinite(want) || want == 0) return got == want;
        const double ulp = std::fabs(std::nextafter(want, INFINITY) - want);
        return std::fabs(got - want) <= std::max(4 * ulp, relative * std::fabs(want));
    };
    if (!close(0.0)) return false;
    for (int k = -60; std::ldexp(1.5, k) < r; ++k)
        if (!close(std::ldexp((k & 1 ? -1.0 : 1.0) * (k & 2 ? 1.5 : 1.0), k))) return false;
    return true;
}

}  // namespace

Expr without_needless_polynomials(Graph& g, Expr root, Arithmetic arithmetic) {
    const double relative = needs(arithmetic).agreement;
    return rewrite(g, {root}, [relative](Graph&, Expr n) {
        if (n->kind != Kind::Select) return n;
        Expr near = (*n)[0], p = (*n)[1], q = (*n)[2];
        if (near->kind != Kind::Lt || (*near)[0]->kind != Kind::Abs || (*near)[1]->kind != Kind::Constant) return n;
        Expr x = (*(*near)[0])[0];
        const double r = (*near)[1]->value;
        if (x->kind != Kind::Input || !polynomial_in(p, x) || polynomial_in(q, x)) return n;
        return agrees_below(q, p, x, r, relative) ? q : n;
    })[0];
}

Expr taylor_at_zero(Graph& g, Expr a, Expr b, SourceRange r, Arithmetic arithmetic,
                    const std::unordered_map<Expr, Expr>* made) {
    const Needs need = needs(arithmetic);
    Expr f = g.make(Kind::Sub, {a, b}, r);
    Expr x = single_input(f);
    if (!x) return nullptr;
    std::vector<double> inputs(x->index + 1, 0.0);
    auto value = [&](const std::vector<Expr>& roots, double v) {
        inputs[x->index] = v;
        return interpret(roots, Environment{inputs, {}});
    };
    // Cheap test first: the two agree exactly at 0, and are finite there; or neither is
    // finite there (poles, 0 / 0), whose difference may still be regular: the quotient
    // rule's slope of expm1(x) / x, exp(x) / x - (expm1(x) / x) / x, is 1/2 + x/3 + ...
    // where each term is about 1 / x (the series below decides).
    std::vector<double> v0 = value({a, b}, 0.0);
    const bool poles = !std::isfinite(v0[0]) && !std::isfinite(v0[1]);
    if (!poles && (!std::isfinite(v0[0]) || v0[0] != v0[1])) return nullptr;

    // The radius: the power of two from which the written difference is accurate on
    // both sides (condition number at most 2 where it is computed in the result's
    // precision: where it is small, the difference is accurate; 2^11 for double lanes
    // rounded to float). Where it is accurate next to 0 already, nothing cancels.
    auto accurate = [&](int k) {
        for (double s : {1.0, -1.0}) {
            std::vector<double> v = value({a, b}, s * std::ldexp(1.0, k));
            double d = v[0] - v[1];
            if (!std::isfinite(d) || d == 0 || (std::fabs(v[0]) + std::fabs(v[1])) / std::fabs(d) > need.condition_limit)
                return false;
        }
        return true;
    };
    constexpr int lowest = -26, first = -10, highest = 6;
    if (accurate(lowest)) return nullptr;
    // Up from 2^-10: the first of three powers in a row where it is accurate (not the
    // last inaccurate one from above: 1 - cos(x) cancels again at every 2 pi k).
    std::optional<double> radius;
    for (int e = first, run = 0; e <= highest && !radius; ++e) {
        run = accurate(e) ? run + 1 : 0;
        if (run == 3) radius = std::ldexp(1.0, e - 2);
    }
    // Where no such power is found, or the series does not converge out to it (tanh's
    // within pi / 2, x - tanh(x) accurate only from about 4), the series is used as far
    // as it converges, a power of two down from there: the cancellation is removed next
    // to 0, where it is total (x - tanh(x) at 1e-30 is 3.3e-91, not 0), and what is left
    // between that radius and the written form's is the written form's error
    // (docs/numerics.md, "Cancellation at 0").
    if (!radius) radius = std::ldexp(1.0, highest);

    // f^(k)(0) / k! by power-series arithmetic (series.hpp), each rounded once; the
    // degree is where the terms at the radius fall below 2^-56 of |f(r)| in double, 2^-45
    // or 2^-29 for float results (need.term_bits), two in a row.
    // If one grows instead (the radius is past the series' convergence) or the degree
    // limit comes first, the radius is halved. The series in two steps, at O(n^2) per
    // node: its first partial_degree + 2 terms decide every halved radius (degree_at needs
    // two terms past the last one kept), all of them only where the wanted radius needs
    // more (the coefficients are the same either way: each depends only on those below).
    Expr exact = f;  // f with the selects made before as the differences they stand for
    if (made && !made->empty())
        exact = rewrite(g, {f}, [made](Graph&, Expr n) {
            auto it = made->find(n);
            return it == made->end() ? n : it->second;
        })[0];
    std::optional<std::vector<double>> s = taylor_series(exact, x, 0.0, partial_degree + 3);
    if (!s || (!poles && (*s)[0] != 0)) return nullptr;
    const double c0 = (*s)[0];  // 0 unless the terms have poles at 0
    std::vector<double> c(s->begin() + 1, s->end());  // c[k - 1]: the coefficient of x^k
    // 0 if the series does not converge at r, -1 if c has too few terms to tell.
    auto degree_at = [&](double r) {
        const double fr = std::min(std::fabs(value({f}, r)[0]), std::fabs(value({f}, -r)[0]));
        double last_term = INFINITY;
        for (int k = 1, small = 0; k <= max_degree; ++k) {
            if (static_cast<size_t>(k) > c.size()) return -1;
            double term = std::fabs(c[static_cast<size_t>(k - 1)]) * std::pow(r, k);
            if (term == 0) continue;
            small = term <= std::ldexp(fr, -need.term_bits) ? small + 1 : 0;
            if (term > last_term) return 0;
            last_term = term;
            if (small >= 2) return k - 2;  // the last term kept is the one before these two
        }
        return 0;
    };
    // (where the radius had to be halved, a degree of at most 20: the polynomial is only
    // what the written form cannot do, and each term is a node of every kernel: tanhshrink's
    // cold compile grew by a third with 39)
    const double wanted = *radius;
    int degree = 0;
    for (; *radius >= std::ldexp(1.0, first); *radius /= 2) {
        degree = degree_at(*radius);
        if (degree < 0 && *radius == wanted) {
            s = taylor_series(exact, x, 0.0, max_degree + 1);
            if (!s) return nullptr;
            c.assign(s->begin() + 1, s->end());
            degree = degree_at(*radius);
        }
        if (degree > 0 && (*radius == wanted || degree <= partial_degree)) break;
    }
    if (degree <= 0) return nullptr;
    // x^m (c_m + c_(m+s) x^s + ...), s = 2 when every coefficient has m's parity.
    int m = 0, step = 2;
    for (int k = 1; k <= degree; ++k) {
        if (c[static_cast<size_t>(k - 1)] == 0) continue;
        if (m == 0) m = k;
        else if ((k - m) % 2) step = 1;
    }
    if (m == 0 && c0 == 0) return nullptr;
    // c0 + x^m (c_m + c_(m+s) x^s + ...): c0 is 0 unless the terms have poles at 0; m and
    // the parity step are those of the terms past it.
    Expr p = nullptr;
    if (m != 0) {
        Expr z = step == 2 ? g.make(Kind::Mul, {x, x}, r) : x;
        int top = degree;
        while (c[static_cast<size_t>(top - 1)] == 0) --top;
        p = g.constant(c[static_cast<size_t>(top - 1)], r);
        for (int k = top - step; k >= m; k -= step)
            p = g.make(Kind::Add, {g.constant(c[static_cast<size_t>(k - 1)], r), g.make(Kind::Mul, {z, p}, r)}, r);
        // x^m: by z = x^2 where the terms are odd or even (x^3 P = x (z P)), one
        // multiplication per power of z, one more for an odd m.
        int left = m;
        if (step == 2)
            for (; left >= 2; left -= 2) p = g.make(Kind::Mul, {z, p}, r);
        for (; left > 0; --left) p = g.make(Kind::Mul, {x, p}, r);
    }
    if (c0 != 0) p = p ? g.make(Kind::Add, {g.constant(c0, r), p}, r) : g.constant(c0, r);
    Expr near = g.make(Kind::Lt, {g.make(Kind::Abs, {x}, r), g.constant(*radius, r)}, r);
    Expr out = g.make(Kind::Select, {near, p, f}, r);
    // At 0 itself the written terms are what the formula says (NaN for 0 / 0; the
    // function is not defined there, LANGUAGE.md §3), not the limit.
    if (poles) out = g.make(Kind::Select, {g.make(Kind::Eq, {x, g.constant(0, r)}, r), f, out}, r);
    return out;
}

}  // namespace actjit
