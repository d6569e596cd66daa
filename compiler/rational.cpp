#include "rational.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <vector>

#include <mpfr.h>

#include "interpret.hpp"
#include "simplify.hpp"

namespace actjit {

namespace {

constexpr mpfr_prec_t bits = 4096;  // exact for products and sums of the few doubles here
constexpr mpfr_rnd_t N = MPFR_RNDN;
constexpr int max_degree = 64;

class Big {
public:
    Big() { mpfr_init2(v, bits), mpfr_set_zero(v, 1); }
    explicit Big(double d) : Big() { mpfr_set_d(v, d, N); }
    Big(const Big& o) : Big() { mpfr_set(v, o.v, N); }
    Big& operator=(const Big& o) {
        mpfr_set(v, o.v, N);
        return *this;
    }
    ~Big() { mpfr_clear(v); }
    mpfr_t v;
};

// Coefficients from x^0 up; no zero leading one (the zero polynomial is empty).
using Poly = std::vector<Big>;

void trim(Poly& p) {
    while (!p.empty() && mpfr_zero_p(p.back().v)) p.pop_back();
}
int degree(const Poly& p) { return static_cast<int>(p.size()) - 1; }

Poly sum(const Poly& a, const Poly& b, bool subtract) {
    Poly c(std::max(a.size(), b.size()));
    for (size_t k = 0; k < c.size(); ++k) {
        if (k < a.size()) mpfr_set(c[k].v, a[k].v, N);
        if (k < b.size()) (subtract ? mpfr_sub : mpfr_add)(c[k].v, c[k].v, b[k].v, N);
    }
    trim(c);
    return c;
}

Poly product(const Poly& a, const Poly& b) {
    if (a.empty() || b.empty()) return {};
    Poly c(a.size() + b.size() - 1);
    Big t;
    for (size_t i = 0; i < a.size(); ++i)
        for (size_t j = 0; j < b.size(); ++j) {
            mpfr_mul(t.v, a[i].v, b[j].v, N);
            mpfr_add(c[i + j].v, c[i + j].v, t.v, N);
        }
    trim(c);
    return c;
}

struct Rational {
    Poly n, d;  // n / d, d never empty
};

Poly constant(double v) {
    Poly p{Big(v)};
    trim(p);
    return p;
}

// The sign of r as x -> s * inf (s = ±1): its leading terms'.
int asymptotic_sign(const Rational& r, int s) {
    if (r.n.empty()) return 0;
    int sign = mpfr_sgn(r.n.back().v) * mpfr_sgn(r.d.back().v);
    return (degree(r.n) + degree(r.d)) % 2 && s < 0 ? -sign : sign;
}

// Cauchy's bound on the real roots of p: 1 + max |p_k / p_n|.
double root_bound(const Poly& p) {
    double bound = 1;
    if (degree(p) < 1) return bound;
    Big q;
    for (size_t k = 0; k + 1 < p.size(); ++k) {
        mpfr_div(q.v, p[k].v, p.back().v, N);
        bound = std::max(bound, 1 + std::fabs(mpfr_get_d(q.v, MPFR_RNDU)));
    }
    return bound;
}

// The root as one quotient for x -> s * inf, and the largest root bound of the
// polynomials whose sign it took (abs, sign, the quotients' denominators).
std::optional<Rational> rational(Expr root, Expr x, int s, double& bound) {
    std::unordered_map<Expr, Rational> form;
    for (Expr e : topological_order({root})) {
        auto op = [&](int i) -> const Rational& { return form.at((*e)[i]); };
        Rational r;
        switch (e->kind) {
        case Kind::Constant:
            if (!std::isfinite(e->value)) return std::nullopt;
            r = {constant(e->value), constant(1)};
            break;
        case Kind::Input:
            if (e != x) return std::nullopt;
            r = {Poly{Big(0), Big(1)}, constant(1)};
            break;
        case Kind::Neg:
            r = op(0);
            for (Big& c : r.n) mpfr_neg(c.v, c.v, N);
            break;
        case Kind::Add: case Kind::Sub: {
            const Rational &a = op(0), &b = op(1);
            bool sub = e->kind == Kind::Sub;
            if (degree(a.d) == 0 && degree(b.d) == 0 && mpfr_cmp_d(a.d[0].v, 1) == 0 && mpfr_cmp_d(b.d[0].v, 1) == 0)
                r = {sum(a.n, b.n, sub), a.d};
            else
                r = {sum(product(a.n, b.d), product(b.n, a.d), sub), product(a.d, b.d)};
            break;
        }
        case Kind::Mul: case Kind::DecayMul: r = {product(op(0).n, op(1).n), product(op(0).d, op(1).d)}; break;
        case Kind::Div:
            if (op(1).n.empty()) return std::nullopt;
            bound = std::max(bound, root_bound(op(1).n));
            r = {product(op(0).n, op(1).d), product(op(0).d, op(1).n)};
            break;
        case Kind::Pow: {
            Expr k = (*e)[1];
            if (k->kind != Kind::Constant || k->value < 0 || k->value > 16 || k->value != std::floor(k->value))
                return std::nullopt;
            r = {constant(1), constant(1)};
            for (int i = 0; i < static_cast<int>(k->value); ++i) r = {product(r.n, op(0).n), product(r.d, op(0).d)};
            break;
        }
        case Kind::Abs: case Kind::Sign: {
            const Rational& a = op(0);
            bound = std::max({bound, root_bound(a.n), root_bound(a.d)});
            int sign = asymptotic_sign(a, s);
            if (e->kind == Kind::Sign) {
                r = {constant(sign), constant(1)};
            } else {
                r = a;
                if (sign < 0)
                    for (Big& c : r.n) mpfr_neg(c.v, c.v, N);
            }
            break;
        }
        default: return std::nullopt;
        }
        if (degree(r.n) > max_degree || degree(r.d) > max_degree || r.d.empty()) return std::nullopt;
        form.emplace(e, std::move(r));
    }
    return form.at(root);
}

// sum_j c_j y^j with c_j = p_(m - j), by Horner's rule in y (zero coefficients left out).
Expr in_reciprocal(Graph& g, const Poly& p, int m, Expr y, SourceRange r) {
    Expr h = nullptr;
    for (int j = m; j >= 0; --j) {
        int k = m - j;
        double c = k < static_cast<int>(p.size()) ? mpfr_get_d(p[static_cast<size_t>(k)].v, N) : 0;
        if (h) h = g.make(Kind::Mul, {h, y}, r);
        if (c != 0) h = h ? g.make(Kind::Add, {h, g.constant(c, r)}, r) : g.constant(c, r);
    }
    return h ? h : g.constant(0, r);
}

}  // namespace

Expr large_argument_form(Graph& g, Expr root, Expr x) {
    // (cheap test first: a quotient of the input somewhere, and nothing else than arithmetic)
    bool quotient = false;
    for (Expr e : topological_order({root})) {
        switch (e->kind) {
        case Kind::Constant: case Kind::Input: case Kind::Neg: case Kind::Add: case Kind::Sub: case Kind::Mul:
        case Kind::DecayMul: case Kind::Pow: case Kind::Abs: case Kind::Sign: break;
        case Kind::Div: quotient |= ((*e)[1]->depends & x->depends) != 0; break;
        default: return nullptr;
        }
    }
    if (!quotient) return nullptr;
    double bound = 1;
    std::optional<Rational> right = rational(root, x, 1, bound), left = rational(root, x, -1, bound);
    if (!right || !left) return nullptr;
    for (const Rational* q : {&*right, &*left}) bound = std::max(bound, root_bound(q->d));
    if (degree(right->d) < 1 && degree(left->d) < 1) return nullptr;  // a polynomial
    if (!(bound < 0x1p60)) return nullptr;
    const SourceRange r = root->range;
    const double threshold = std::ldexp(1.0, std::ilogb(bound) + 1);  // a power of two past the bound
    Expr y = g.make(Kind::Div, {g.constant(1, r), x}, r);
    // x^(n - d) (N(x) / x^n) / (D(x) / x^d), n and d the degrees: each quotient's leading
    // coefficient is its constant term in y, so that a subnormal y (past 4.5e307) only
    // rounds terms that do not count; the power of x by repeated products or quotients,
    // which overflow only where the value does.
    auto far = [&](const Rational& q) {
        if (q.n.empty()) return g.constant(0, r);
        Expr f = g.make(Kind::Div, {in_reciprocal(g, q.n, degree(q.n), y, r), in_reciprocal(g, q.d, degree(q.d), y, r)}, r);
        for (int k = degree(q.n) - degree(q.d); k != 0; k += k > 0 ? -1 : 1)
            f = g.make(k > 0 ? Kind::Mul : Kind::Div, {f, x}, r);
        return f;
    };
    Expr right_far = simplify(g, std::vector<Expr>{far(*right)})[0];
    Expr left_far = simplify(g, std::vector<Expr>{far(*left)})[0];
    // Measured, not assumed: taken only if, at points from the threshold to the top of the
    // range, its largest relative error against MPFR is below the written root's (1 / (1 +
    // x) is correctly rounded as it is; Padé's x^3 overflows from 1e103).
    double written = 0, rewritten = 0;
    std::vector<double> at(x->index + 1, 0.0);
    for (int sign : {1, -1})
        for (int e = std::ilogb(threshold) + 1; e < 1024; e += 37) {
            at[x->index] = sign * std::ldexp(1.37, e);
            Environment env{at, {}};
            double truth = interpret_mpfr({root}, env)[0];
            if (!std::isfinite(truth) || truth == 0) continue;
            auto error = [&](Expr f) {
                double v = interpret(f, env);
                return std::isfinite(v) ? std::fabs(v - truth) / std::fabs(truth) : INFINITY;
            };
            written = std::max(written, error(root));
            rewritten = std::max(rewritten, error(sign > 0 ? right_far : left_far));
        }
    if (!(rewritten < written)) return nullptr;
    Expr out = g.make(Kind::Select, {g.make(Kind::Lt, {x, g.constant(-threshold, r)}, r), left_far, root}, r);
    return g.make(Kind::Select, {g.make(Kind::Gt, {x, g.constant(threshold, r)}, r), right_far, out}, r);
}

}  // namespace actjit
