#include "linear.hpp"

#include <algorithm>
#include <cmath>

namespace actjit {

namespace {

// Whether a * b and a + b are exact in double (fma and two-sum find the error).
bool exact_product(double a, double b) { return std::isfinite(a * b) && std::fma(a, b, -(a * b)) == 0; }
bool exact_sum(double a, double b) {
    double s = a + b, bb = s - a;
    return std::isfinite(s) && (a - (s - bb)) + (b - bb) == 0;
}

// Whether e is NaN or infinite nowhere its inputs are finite and its operations keep to
// their domains: no log, root, power or division below it. Only such a term may cancel:
// (log(x) + 1) - log(x) is NaN for x < 0, and 1 would be a value the truth does not have.
bool total(Expr e) {
    for (Expr n : topological_order({e}))
        switch (n->kind) {
        case Kind::Log: case Kind::Log1p: case Kind::Sqrt: case Kind::Pow: case Kind::Div: return false;
        default: break;
        }
    return true;
}

class Collector {
public:
    explicit Collector(bool any_term) : any_term_(any_term) {}
    bool ok = true;
    bool cancelled = false;
    Linear out;

    // Adds scale * e; `side` tells a's terms (0) from b's (1), for what cancels.
    void add(Expr e, double scale, int side) {
        if (!ok) return;
        switch (e->kind) {
        case Kind::Constant: return add_constant(scale, e->value, side);
        case Kind::Add: add((*e)[0], scale, side); return add((*e)[1], scale, side);
        case Kind::Sub: add((*e)[0], scale, side); return add((*e)[1], -scale, side);
        case Kind::Neg: return add((*e)[0], -scale, side);
        case Kind::Mul:
            for (int i = 0; i < 2; ++i) {
                Expr k = (*e)[i];
                if (k->kind == Kind::Constant && std::isfinite(k->value) && k->value != 0) {
                    if (!exact_product(scale, k->value)) { ok = false; return; }
                    return add((*e)[1 - i], scale * k->value, side);
                }
            }
            break;
        default: break;
        }
        add_term(e, scale, side);
    }

private:
    bool any_term_;
    std::vector<int> sides_;      // bit 0: a has the term, bit 1: b has it
    int constant_sides_ = 0;

    void add_constant(double scale, double v, int side) {
        if (!std::isfinite(v) || !exact_product(scale, v) || !exact_sum(out.constant, scale * v)) { ok = false; return; }
        out.constant += scale * v;
        constant_sides_ |= 1 << side;
        if (constant_sides_ == 3 && out.constant == 0) cancelled = true;
    }
    void add_term(Expr e, double k, int side) {
        for (size_t i = 0; i < out.terms.size(); ++i) {
            if (out.terms[i].first != e) continue;
            if (!exact_sum(out.terms[i].second, k)) { ok = false; return; }
            out.terms[i].second += k;
            sides_[i] |= 1 << side;
            if (sides_[i] == 3 && out.terms[i].second == 0) {
                if (!any_term_ && !total(e)) { ok = false; return; }
                cancelled = true;
            }
            return;
        }
        out.terms.emplace_back(e, k);
        sides_.push_back(1 << side);
    }
};

}  // namespace

std::optional<Linear> cancelled_difference(Expr a, Expr b, bool any_term) {
    Collector c(any_term);
    c.add(a, 1, 0);
    c.add(b, -1, 1);
    if (!c.ok || !c.cancelled) return std::nullopt;
    std::erase_if(c.out.terms, [](const auto& t) { return t.second == 0; });
    return c.out;
}

Expr build(Graph& g, const Linear& l, SourceRange r) {
    std::vector<std::pair<Expr, double>> terms = l.terms;
    // (the terms are distinct nodes, and structurally_before orders distinct nodes)
    std::sort(terms.begin(), terms.end(), [](const auto& p, const auto& q) { return structurally_before(p.first, q.first); });
    Expr sum = l.constant != 0 || terms.empty() ? g.constant(l.constant, r) : nullptr;
    for (auto [t, k] : terms) {
        bool negative = k < 0;
        Expr term = std::fabs(k) == 1 ? t : g.make(Kind::Mul, {g.constant(std::fabs(k), r), t}, r);
        if (!sum) sum = negative ? g.make(Kind::Neg, {term}, r) : term;
        else sum = g.make(negative ? Kind::Sub : Kind::Add, {sum, term}, r);
    }
    return sum;
}

}  // namespace actjit
