#include "reflect.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "products.hpp"

namespace actjit {

namespace {

bool is(Expr n, Kind k) { return n->kind == k; }

// Whether a * b and a + b are exact in double (fma and two-sum find the error).
bool exact_product(double a, double b) { return std::isfinite(a * b) && std::fma(a, b, -(a * b)) == 0; }
bool exact_sum(double a, double b) {
    double s = a + b, bb = s - a;
    return std::isfinite(s) && (a - (s - bb)) + (b - bb) == 0;
}

// A product's factors with their integer exponents, by node id (none 0).
using Factors = std::vector<std::pair<Expr, int>>;

void multiply(Factors& f, Expr x, int e) {
    auto it = std::lower_bound(f.begin(), f.end(), x, [](const auto& p, Expr y) { return p.first->id < y->id; });
    if (it != f.end() && it->first == x) {
        if ((it->second += e) == 0) f.erase(it);
    } else {
        f.insert(it, {x, e});
    }
}

struct Term {
    double coefficient = 1;
    Factors factors;
};

// A sum's terms: the operands of nested +, - and unary minus; each term's factors those
// of nested *, decay_mul and /, its coefficient the product of its constants (exact, or
// nothing is done).
class Flattener {
public:
    bool ok = true;
    std::vector<Term> terms;

    void sum(Expr e, double scale, int depth = 0) {
        if (!ok || (ok = depth < 32 && terms.size() < 32) == false) return;
        switch (e->kind) {
        case Kind::Add: sum((*e)[0], scale, depth + 1); return sum((*e)[1], scale, depth + 1);
        case Kind::Sub: sum((*e)[0], scale, depth + 1); return sum((*e)[1], -scale, depth + 1);
        case Kind::Neg: return sum((*e)[0], -scale, depth + 1);
        default: break;
        }
        Term t{scale, {}};
        product(e, 1, t, depth + 1);
        terms.push_back(std::move(t));
    }

private:
    void product(Expr e, int power, Term& t, int depth) {
        if (!ok || (ok = depth < 64) == false) return;
        switch (e->kind) {
        case Kind::Mul: case Kind::DecayMul:
            product((*e)[0], power, t, depth + 1);
            return product((*e)[1], power, t, depth + 1);
        case Kind::Div:
            product((*e)[0], power, t, depth + 1);
            return product((*e)[1], -power, t, depth + 1);
        case Kind::Neg:
            t.coefficient = -t.coefficient;
            return product((*e)[0], power, t, depth + 1);
        case Kind::Constant: {
            double v = e->value;
            int exponent = 0;
            // (a power of two's reciprocal is exact)
            if (power == -1 && std::isfinite(v) && std::fabs(std::frexp(v, &exponent)) == 0.5) v = 1 / v;
            else if (power != 1 || !std::isfinite(v) || v == 0) break;
            if (!exact_product(t.coefficient, v)) { ok = false; return; }
            t.coefficient *= v;
            return;
        }
        default: break;
        }
        multiply(t.factors, e, power);
    }
};

// One tail's reflection of f(u): f(u) = limit + k g(s u), g vanishing in that tail.
// `limit_is_u`: the limit is u itself (softplus), else the constant `limit`.
struct Reflection {
    Kind f;
    int side;  // +1: u -> +inf, -1: u -> -inf
    bool limit_is_u;
    double limit;
    double k;
    Kind g;
    double s;
};
constexpr Reflection reflections[] = {
    {Kind::Sigmoid, +1, false, 1, -1, Kind::Sigmoid, -1},   // 1 - sigmoid(-u)
    {Kind::Softplus, +1, true, 0, 1, Kind::Softplus, -1},   // u + softplus(-u)
    {Kind::Tanh, +1, false, 1, -2, Kind::Sigmoid, -2},      // 1 - 2 sigmoid(-2u)
    {Kind::Tanh, -1, false, -1, 2, Kind::Sigmoid, 2},       // -1 + 2 sigmoid(2u)
    {Kind::Erf, +1, false, 1, -1, Kind::Erfc, 1},           // 1 - erfc(u)
    {Kind::Erf, -1, false, -1, 1, Kind::Erfc, -1},          // -1 + erfc(-u)
    {Kind::Erfc, -1, false, 2, -1, Kind::Erfc, -1},         // 2 - erfc(-u)
};

const Reflection* reflection(Kind f, int side) {
    for (const Reflection& r : reflections)
        if (r.f == f && r.side == side) return &r;
    return nullptr;
}

bool reflectable(Kind k) { return reflection(k, +1) || reflection(k, -1); }

// The sum being rebuilt: equal factor lists merged, each marked if a reflection's
// product went into it (only such a term may cancel: the limits' cancellation is the
// point; a written term's own cancellation is cancel()'s business).
struct Combined {
    Term term;
    bool generated = false;
    bool mixed = false;  // a generated part met another
};

bool add(std::vector<Combined>& acc, Term t, bool generated) {
    for (Combined& c : acc)
        if (c.term.factors == t.factors) {
            if (!exact_sum(c.term.coefficient, t.coefficient)) return false;
            c.term.coefficient += t.coefficient;
            c.mixed |= generated || c.generated;
            c.generated |= generated;
            return true;
        }
    acc.push_back({std::move(t), generated, false});
    return true;
}

Expr scaled(Graph& g, Expr u, double s, SourceRange r) {
    if (s == 1) return u;
    if (s == -1) return is(u, Kind::Neg) ? (*u)[0] : g.make(Kind::Neg, {u}, r);
    return g.make(Kind::Mul, {g.constant(s, r), u}, r);
}

Expr build(Graph& g, const std::vector<Combined>& acc, SourceRange r) {
    std::vector<std::pair<Expr, double>> terms;
    for (const Combined& c : acc) {
        if (c.term.coefficient == 0) continue;
        std::vector<std::pair<Expr, int>> f = c.term.factors;
        std::sort(f.begin(), f.end(), [](const auto& p, const auto& q) { return structurally_before(p.first, q.first); });
        Expr num = nullptr;
        for (auto [x, e] : f)
            for (int i = 0; i < e; ++i) num = num ? g.make(Kind::Mul, {num, x}, r) : x;
        if (!num) num = g.constant(1, r);
        for (auto [x, e] : f)  // a quotient by each in turn, / B / D: no overflow of B D first
            for (int i = 0; i < -e; ++i) num = g.make(Kind::Div, {num, x}, r);
        terms.emplace_back(num, c.term.coefficient);
    }
    Expr sum = nullptr;
    for (auto [t, k] : terms) {
        bool negative = k < 0;
        Expr term = std::fabs(k) == 1 ? t : g.make(Kind::Mul, {g.constant(std::fabs(k), r), t}, r);
        if (!sum) sum = negative ? g.make(Kind::Neg, {term}, r) : term;
        else sum = g.make(negative ? Kind::Sub : Kind::Add, {sum, term}, r);
    }
    return sum ? sum : g.constant(0, r);
}

// The terms with f(u) reflected in the tail `side`, if a limit cancels; else null.
Expr reflected(Graph& g, const std::vector<Term>& terms, Expr u, int side, SourceRange r) {
    std::vector<Combined> acc;
    bool changed = false;
    std::vector<Term> u_terms;
    for (const Term& t : terms) {
        const Reflection* ref = nullptr;
        Expr f = nullptr;
        bool mirrored = false;  // the term has f(-u) too: small in this tail already
        for (auto [x, e] : t.factors) {
            if (x->arity() != 1 || !reflectable(x->kind)) continue;
            if (negation_of((*x)[0], u)) mirrored = true;
            if ((*x)[0] != u) continue;
            const Reflection* here = reflection(x->kind, side);
            if (!here || e != 1 || f) { ref = nullptr; f = x; mirrored = true; break; }
            ref = here, f = x;
        }
        if (!ref || mirrored) {
            if (!add(acc, t, false)) return nullptr;
            continue;
        }
        Term rest = t;
        multiply(rest.factors, f, -1);
        // the limit's part
        if (ref->limit_is_u) {
            if (u_terms.empty()) {
                Flattener fl;
                fl.sum(u, 1);
                if (!fl.ok) return nullptr;
                u_terms = std::move(fl.terms);
            }
            for (const Term& ut : u_terms) {
                Term p = rest;
                if (!exact_product(p.coefficient, ut.coefficient)) return nullptr;
                p.coefficient *= ut.coefficient;
                for (auto [x, e] : ut.factors) multiply(p.factors, x, e);
                if (!add(acc, std::move(p), true)) return nullptr;
            }
        } else {
            Term p = rest;
            if (!exact_product(p.coefficient, ref->limit)) return nullptr;
            p.coefficient *= ref->limit;
            if (!add(acc, std::move(p), true)) return nullptr;
        }
        // the vanishing part
        Term q = rest;
        if (!exact_product(q.coefficient, ref->k)) return nullptr;
        q.coefficient *= ref->k;
        multiply(q.factors, g.make(ref->g, {scaled(g, u, ref->s, r)}, r), 1);
        if (!add(acc, std::move(q), true)) return nullptr;
        changed = true;
    }
    if (!changed || std::none_of(acc.begin(), acc.end(), [](const Combined& c) {
            return c.generated && c.mixed && c.term.coefficient == 0;
        }))
        return nullptr;
    return build(g, acc, r);
}

// The terms' own hash, whatever their nesting: of each term's coefficient and its
// factors' structural hashes and exponents, the terms in any order.
uint64_t terms_hash(const std::vector<Term>& terms) {
    auto mix = [](uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ull + (h >> 29); };
    std::vector<uint64_t> each;
    for (const Term& t : terms) {
        uint64_t bits = 0;
        std::memcpy(&bits, &t.coefficient, sizeof bits);
        std::vector<std::pair<uint64_t, int>> f;
        for (auto [x, e] : t.factors) f.emplace_back(x->structural_hash, e);
        std::sort(f.begin(), f.end());
        uint64_t h = mix(0xcbf29ce484222325ull, bits);
        for (auto [fh, e] : f) h = mix(mix(h, fh), static_cast<uint64_t>(e));
        each.push_back(h);
    }
    std::sort(each.begin(), each.end());
    uint64_t h = 0x84222325cbf29ce4ull;
    for (uint64_t v : each) h = mix(h, v);
    return h;
}

}  // namespace

void Reflector::keep(Expr sum) {
    Flattener out;
    out.sum(sum, 1);
    if (out.ok) produced_.insert(terms_hash(out.terms));
}

Expr Reflector::operator()(Graph& g, Expr n) {
    if (!is(n, Kind::Add) && !is(n, Kind::Sub)) return nullptr;
    auto [it, fresh] = tried_.try_emplace(n, nullptr);
    if (!fresh) return it->second;
    Flattener fl;
    fl.sum(n, 1);
    if (!fl.ok || fl.terms.size() < 2) return nullptr;
    // A reflection's own result reflects back (softplus(-u) + u sigmoid(-u) is the other
    // tail's form of softplus(u) - u sigmoid(u)): never undone, however it is rebuilt.
    if (produced_.count(terms_hash(fl.terms))) return nullptr;
    std::vector<Expr> arguments;
    for (const Term& t : fl.terms)
        for (auto [x, e] : t.factors)
            if (x->arity() == 1 && reflectable(x->kind) &&
                std::find(arguments.begin(), arguments.end(), (*x)[0]) == arguments.end())
                arguments.push_back((*x)[0]);
    const SourceRange r = n->range;
    for (Expr u : arguments) {
        Expr right = reflected(g, fl.terms, u, +1, r);
        Expr left = reflected(g, fl.terms, u, -1, r);
        if (!right && !left) continue;
        for (Expr e : {right, left})
            if (e) keep(e);
        Expr out = n;
        if (left) out = g.make(Kind::Select, {g.make(Kind::Lt, {u, g.constant(0, r)}, r), left, out}, r);
        if (right) out = g.make(Kind::Select, {g.make(Kind::Gt, {u, g.constant(0, r)}, r), right, out}, r);
        return it->second = out;
    }
    return nullptr;
}

}  // namespace actjit
