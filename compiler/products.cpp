#include "products.hpp"

#include <algorithm>
#include <cmath>

namespace actjit {

namespace {

bool is(Expr n, Kind k) { return n->kind == k; }
// A product as written, or as the decay_mul rule has made it.
bool product(Expr n) { return is(n, Kind::Mul) || is(n, Kind::DecayMul); }
// Facts of the node (graph.hpp, Fact): `a * f` has limit 0 where a vanishing f has
// become 0, even for an infinite a; a bounded term stays within finite bounds.
bool vanishes(Expr n) { return n->has(Vanishes); }
bool bounded(Expr n) { return n->has(Bounded); }

}  // namespace

// Whether q is -p as a formula: -p, a constant's negation, or a product or quotient
// with one factor negated (`-2 * x` is `(-2) * x`, `-x / 2` is `(-x) / 2`).
bool negation_of(Expr p, Expr q) {
    if ((is(q, Kind::Neg) && (*q)[0] == p) || (is(p, Kind::Neg) && (*p)[0] == q)) return true;
    if (is(p, Kind::Constant) && is(q, Kind::Constant)) return p->value != 0 && p->value == -q->value;
    if (p->kind == q->kind && (is(p, Kind::Mul) || is(p, Kind::Div)))
        return ((*p)[1] == (*q)[1] && negation_of((*p)[0], (*q)[0])) ||
               ((*p)[0] == (*q)[0] && negation_of((*p)[1], (*q)[1]));
    return false;
}

// The factors of a product as written (nested * and decay_mul), in order.
void factors(Expr n, std::vector<Expr>& out) {
    if (product(n)) {
        factors((*n)[0], out);
        factors((*n)[1], out);
    } else {
        out.push_back(n);
    }
}

// expm1(u)'s argument, also as the rule for exp(x) - 1 leaves it (expm1(u) + 0); else null.
Expr expm1_argument(Expr n) {
    if (is(n, Kind::Add) && (*n)[0]->is_constant(0)) n = (*n)[1];  // (the constant first)
    else if (is(n, Kind::Add) && (*n)[1]->is_constant(0)) n = (*n)[0];
    return is(n, Kind::Expm1) ? (*n)[0] : nullptr;
}

// u / 2, without a 0.5 * (2 * t): a product's constant factor halved where it has one
// (x * (2 * a) / 2 is x * a; exact, and no overflow of 2 x before the halving).
Expr half(Graph& g, Expr u, SourceRange r) {
    if (is(u, Kind::Mul) && (*u)[0]->is_constant(2)) return (*u)[1];
    if (is(u, Kind::Mul))
        for (int i = 0; i < 2; ++i) {
            Expr k = (*u)[i], other = (*u)[1 - i];
            if (is(k, Kind::Constant) && std::isfinite(k->value) && std::fabs(k->value) >= 0x1p-1000) {
                Expr h = k->is_constant(2) ? nullptr : g.constant(k->value / 2, r);
                return h ? g.make(Kind::Mul, {h, other}, r) : other;
            }
            if (is(k, Kind::Mul) && (*k)[0]->kind == Kind::Constant) return g.make(Kind::Mul, {half(g, k, r), other}, r);
        }
    return g.make(Kind::Mul, {g.constant(0.5, r), u}, r);
}

// A product with exp(u) and sigmoid(-u) among its factors (however the product is
// nested): the product with sigmoid(u) in their place, else null. exp(u) * sigmoid(-u)
// = e^u / (1 + e^u) exactly: silu as x * exp(x) / (1 + exp(x)), once the quotient has
// become a product with sigmoid(-x), is x * sigmoid(x), not inf * 0 for large x.
static Expr exp_sigmoid_pair(Graph& g, const std::vector<Expr>& f, SourceRange r) {
    for (size_t i = 0; i < f.size(); ++i) {
        Expr em1 = expm1_argument(f[i]);
        if (!is(f[i], Kind::Exp) && !em1) continue;
        Expr u = em1 ? em1 : (*f[i])[0];
        for (size_t j = 0; j < f.size(); ++j) {
            if (j == i || !is(f[j], Kind::Sigmoid) || !negation_of(u, (*f[j])[0])) continue;
            // expm1(u) * sigmoid(-u) = (e^u - 1) / (e^u + 1) = tanh(u / 2): tanh written
            // through exp, (exp(2x) - 1) / (exp(2x) + 1), is tanh(x), not inf * 0
            Expr out = em1 ? g.make(Kind::Tanh, {half(g, u, r)}, r) : g.make(Kind::Sigmoid, {u}, r);
            for (size_t k = 0; k < f.size(); ++k)
                if (k != i && k != j) out = g.make(Kind::Mul, {out, f[k]}, r);
            return out;
        }
    }
    return nullptr;
}

// p * x + q * x, an input x among the factors of both products (however nested): the
// sum with x taken out, x * (p + q) (the other factors in order), else null. Plain
// products only: a decay_mul's guard would be lost in the sum (ACON-C's d/dp1 at -inf).
Expr common_input_factor(Graph& g, Expr a, Expr b, SourceRange r) {
    auto plain = [](auto& self, Expr n) -> bool {
        if (is(n, Kind::DecayMul)) return false;
        return !is(n, Kind::Mul) || (self(self, (*n)[0]) && self(self, (*n)[1]));
    };
    if (!is(a, Kind::Mul) || !is(b, Kind::Mul) || !plain(plain, a) || !plain(plain, b)) return nullptr;
    std::vector<Expr> fa, fb;
    factors(a, fa);
    factors(b, fb);
    for (size_t i = 0; i < fa.size(); ++i) {
        if (!is(fa[i], Kind::Input)) continue;
        auto j = std::find(fb.begin(), fb.end(), fa[i]);
        if (j == fb.end()) continue;
        auto rest = [&](const std::vector<Expr>& f, size_t skip) {
            Expr out = nullptr;
            for (size_t k = 0; k < f.size(); ++k)
                if (k != skip) out = out ? g.make(Kind::Mul, {out, f[k]}, r) : f[k];
            return out;
        };
        Expr p = rest(fa, i), q = rest(fb, static_cast<size_t>(j - fb.begin()));
        return g.make(Kind::Mul, {fa[i], g.make(Kind::Add, {p, q}, r)}, r);
    }
    return nullptr;
}

// Whether n grows at most like a power of the inputs (height 0): inputs, constants and
// their sums, products and constant powers, a few levels deep.
static bool at_most_power(Expr n, int depth = 0) {
    if (depth > 6) return false;
    switch (n->kind) {
    case Kind::Input: case Kind::Constant: return true;
    case Kind::Neg: return at_most_power((*n)[0], depth + 1);
    case Kind::Add: case Kind::Sub: case Kind::Mul: case Kind::DecayMul:
        return at_most_power((*n)[0], depth + 1) && at_most_power((*n)[1], depth + 1);
    case Kind::Pow: return is((*n)[1], Kind::Constant) && at_most_power((*n)[0], depth + 1);
    default: return false;
    }
}

// Of a product a * b with a vanishing factor, the one whose zero beats the other's
// infinity: decay_mul(a, b) (1), decay_mul(b, a) (-1), or neither (0). By the tails of
// each input (asymptotic.hpp): a factor may be guarded where it decays at a greater
// height than the other grows (TanhExp's slope, x e^x * 4 sigmoid(2 e^x) sigmoid(-2 e^x):
// both factors vanish, e^x at -inf, the sigmoids' at +inf, where they beat e^x), never
// where the other grows at its height or more (exp(x^2) erfc(x) at 30 is 0.0188, not the
// 0 of inf * 0 guarded). Where the tails tell nothing (a parameter, an oscillation), the
// vanishing second factor as before, then the first.
int decay_side(Expr a, Expr b, Tails& tails) {
    bool va = vanishes(a), vb = vanishes(b);
    // Neither vanishes by its fact: only a factor that grows like a power against one that
    // may decay in a way the facts do not see (logish's slope, x * (s s' / (1 + s)))
    // is worth the tails.
    if (!va && !vb && at_most_power(a) == at_most_power(b)) return 0;
    // A vanishing factor decays exponentially or is 0 on a region (graph.hpp): it beats
    // one that grows like a power, bounded ones too, whatever the tails would say.
    if (vb && !va && (at_most_power(a) || bounded(a))) return 1;
    if (va && !vb && (at_most_power(b) || bounded(b))) return -1;
    bool wrong_a = false, wrong_b = false, needed_a = false, needed_b = false;
    uint64_t inputs = (a->depends | b->depends) & ((uint64_t{1} << 31) - 1);
    for (uint32_t i = 0; inputs >> i; ++i) {
        if (!((inputs >> i) & 1)) continue;
        for (bool positive : {true, false}) {
            Tail ta = tails.of(a, i, positive), tb = tails.of(b, i, positive);
            // the guarded factor g decays (or is 0) where the other, o, grows: needed where
            // their product vanishes, wrong where it does not or may not
            auto judge = [](const Tail& g, const Tail& o, bool& wrong, bool& needed) {
                if (o.direction != Tail::Grows || (g.direction != Tail::Zero && g.direction != Tail::Decays)) return;
                Tail p = product_tail(g, o);
                (p.direction == Tail::Zero || p.direction == Tail::Decays ? needed : wrong) = true;
            };
            judge(tb, ta, wrong_b, needed_b);
            judge(ta, tb, wrong_a, needed_a);
        }
    }
    // (a factor the tails show beating the other may be guarded though its fact does not
    // say it vanishes: 1 - tanh(e^x)^2, before its rule has made it sigmoids)
    bool ok_a = (va || needed_a) && !wrong_a, ok_b = (vb || needed_b) && !wrong_b;
    if (!va && !vb && !needed_a && !needed_b) return 0;
    if (ok_a && needed_a && !(ok_b && needed_b)) return -1;
    if (ok_b) return 1;
    return ok_a ? -1 : 0;
}

// The product n with factors i and j replaced by `pair` (the others in order).
static Expr replace_pair(Graph& g, const std::vector<Expr>& f, size_t i, size_t j, Expr pair, SourceRange r) {
    Expr out = pair;
    for (size_t k = 0; k < f.size(); ++k)
        if (k != i && k != j) out = g.make(Kind::Mul, {out, f[k]}, r);
    return out;
}

// exp(p) and exp(q) among a product's factors (however nested): the product with
// exp(p + q) in their place, else null.
static Expr exp_exp_pair(Graph& g, const std::vector<Expr>& f, SourceRange r) {
    for (size_t i = 0; i < f.size(); ++i)
        for (size_t j = i + 1; j < f.size(); ++j)
            if (is(f[i], Kind::Exp) && is(f[j], Kind::Exp)) {
                Expr p = (*f[i])[0], q = (*f[j])[0];
                // (exp(p) exp(-p) is 1: at p = inf too, where p - p would be NaN)
                Expr pair = negation_of(p, q) ? g.constant(1, r) : g.make(Kind::Exp, {g.make(Kind::Add, {p, q}, r)}, r);
                return replace_pair(g, f, i, j, pair, r);
            }
    return nullptr;
}

// exp(u*u) and erfc(u) among a product's factors (u^2 too): the product with
// u > 9 ? erfcx's asymptotic series : decay_mul(erfc(u), exp(u*u)) in their place, else
// null. The pair is the scaled complementary error function erfcx(u), finite and smooth
// where exp(u^2) overflows (from u = 26.6 in f64, 9.42 in float lanes) and erfc(u)
// underflows. Past 9 (below both), its asymptotic series erfcx(u) = 1 / (u sqrt(pi)) *
// sum_n (-1)^n (2n - 1)!! / (2 u^2)^n (Abramowitz and Stegun 7.1.23), 15 terms: the 16th
// is below 2^-58 of the sum at u = 9; the coefficients (2n - 1)!! / 2^n are exact
// doubles. (The else-branch inside the select is no factor of the product: this rule
// does not meet it again.)
static Expr erfcx_pair(Graph& g, const std::vector<Expr>& f, SourceRange r) {
    for (size_t i = 0; i < f.size(); ++i)
        for (size_t j = 0; j < f.size(); ++j) {
            if (!is(f[i], Kind::Exp) || !is(f[j], Kind::Erfc)) continue;
            Expr u = (*f[j])[0], s = (*f[i])[0];
            bool square = (is(s, Kind::Mul) && (*s)[0] == u && (*s)[1] == u) ||
                          (is(s, Kind::Pow) && (*s)[0] == u && (*s)[1]->is_constant(2));
            if (!square) continue;
            auto make = [&](Kind k, Expr x, Expr y) { return g.make(k, {x, y}, r); };
            Expr w = make(Kind::Div, g.constant(1, r), make(Kind::Mul, u, u));
            // Horner from the 15th term: c_n = (-1)^n (2n - 1)!! / 2^n
            std::vector<double> c{1};
            for (int k = 1; k <= 15; ++k) c.push_back(-c.back() * (2 * k - 1) / 2);
            Expr p = g.constant(c.back(), r);
            for (int k = 14; k >= 0; --k) p = make(Kind::Add, g.constant(c[static_cast<size_t>(k)], r), make(Kind::Mul, w, p));
            Expr far = make(Kind::Mul, make(Kind::Div, g.constant(1 / std::sqrt(M_PI), r), u), p);
            Expr pair = g.make(Kind::Select, {make(Kind::Gt, u, g.constant(9, r)), far, make(Kind::DecayMul, f[j], f[i])}, r);
            return replace_pair(g, f, std::min(i, j), std::max(i, j), pair, r);
        }
    return nullptr;
}

// The rules over a product's factors, from one list of them: erfcx (plain products
// only), exponentials beside sigmoids, exponentials collected. Only where two factors at
// least are exponentials or erfc (one walk of the product, no list, for the others).
Expr factor_pairs(Graph& g, Expr n, SourceRange r, bool plain) {
    int exponentials = 0;
    auto count = [&](auto& self, Expr x) -> void {
        if (product(x)) {
            self(self, (*x)[0]);
            self(self, (*x)[1]);
        } else if (is(x, Kind::Exp) || is(x, Kind::Erfc) || expm1_argument(x)) {
            ++exponentials;
        }
    };
    count(count, n);
    if (exponentials == 0) return nullptr;
    std::vector<Expr> f;
    factors(n, f);
    if (plain)
        if (Expr p = erfcx_pair(g, f, r)) return p;
    if (Expr p = exp_sigmoid_pair(g, f, r)) return p;
    return exponentials >= 2 ? exp_exp_pair(g, f, r) : nullptr;
}


}  // namespace actjit
