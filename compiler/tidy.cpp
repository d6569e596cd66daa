// The reader's algebra (tidy.hpp). Sums and products are flattened into a normal form,
//     sum  = Σ term,   term = (num / den) * Π base^exponent,
// like terms are merged and factors of one base combined, then the form is written
// back as a graph. One walk in topological order: a node used once by a sum or a
// product hands its form to that user (moved, the smaller appended to the larger), so a
// sum of 10^5 terms is flattened in linear time; a node used more than once is written
// back where it is, and its users see it whole (or a copy of its form, when that is small).
#include "tidy.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>
#include <utility>

namespace actjit {

namespace {

struct Factor {
    Expr base;
    double exponent;
};

struct Term {
    double num = 1, den = 1;  // the coefficient, kept as a fraction (x / 6 stays a sixth)
    std::vector<Factor> factors;
};

using Sum = std::vector<Term>;  // a constant is a term without factors

// A user sees a copy of a shared node's form only when it is this small.
constexpr size_t copy_limit = 8;

bool integral(double v) { return std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 0x1p52; }

bool is_algebraic(Expr n) {
    switch (n->kind) {
    case Kind::Constant:
    case Kind::Neg:
    case Kind::Add:
    case Kind::Sub:
    case Kind::Mul:
    case Kind::Div: return true;
    case Kind::Pow: return (*n)[1]->kind == Kind::Constant && integral((*n)[1]->value);
    default: return false;
    }
}

// ---- coefficients --------------------------------------------------------------------

// In lowest terms with a positive denominator, and one number where the quotient is
// exact (x / 2 is 0.5 * x; x / 6 stays a sixth).
void reduce(Term& t) {
    if (t.den < 0) {
        t.num = -t.num;
        t.den = -t.den;
    }
    if (double q = t.num / t.den; t.den != 1 && std::isfinite(q) && std::fma(q, t.den, -t.num) == 0) {
        t.num = q;
        t.den = 1;
        return;
    }
    if (integral(t.num) && integral(t.den) && t.num != 0 && t.den != 0) {
        auto g = std::gcd(static_cast<int64_t>(t.num), static_cast<int64_t>(t.den));
        t.num /= static_cast<double>(g);
        t.den /= static_cast<double>(g);
    }
}

// (n1 / d1) + (n2 / d2), kept a fraction where that is exact.
std::pair<double, double> add(double n1, double d1, double n2, double d2) {
    if (d1 == d2) return {n1 + n2, d1};
    if (integral(n1) && integral(d1) && integral(n2) && integral(d2) &&
        std::fabs(n1 * d2) + std::fabs(n2 * d1) < 0x1p52 && d1 * d2 < 0x1p52)
        return {n1 * d2 + n2 * d1, d1 * d2};
    return {n1 / d1 + n2 / d2, 1};
}

void multiply_into(Term& into, Term&& other) {
    into.num *= other.num;
    into.den *= other.den;
    if (into.factors.size() < other.factors.size()) std::swap(into.factors, other.factors);
    into.factors.insert(into.factors.end(), other.factors.begin(), other.factors.end());
    reduce(into);
}

// ---- normal forms ----------------------------------------------------------------------

bool factor_before(const Factor& a, const Factor& b) {
    if (a.base != b.base) return structurally_before(a.base, b.base);
    return a.exponent < b.exponent;
}

// Factors sorted by base; one base's exponents added (x * x^2 = x^3), except that a
// positive and a negative power cancel only where the base is nonzero for every finite
// input (exp(x) * y / exp(x) = y; x * y / x stays, since it is NaN at x = 0).
void normalize(Term& t) {
    std::sort(t.factors.begin(), t.factors.end(), factor_before);
    std::vector<Factor> out;
    for (size_t i = 0; i < t.factors.size();) {
        Expr base = t.factors[i].base;
        double up = 0, down = 0;
        for (; i < t.factors.size() && t.factors[i].base == base; ++i)
            (t.factors[i].exponent > 0 ? up : down) += t.factors[i].exponent;
        if (base->has(NonZero)) {
            up += down;
            down = 0;
        }
        if (up != 0) out.push_back({base, up});
        if (down != 0) out.push_back({base, down});
    }
    t.factors = std::move(out);
}

bool same_factors(const Term& a, const Term& b) {
    if (a.factors.size() != b.factors.size()) return false;
    for (size_t i = 0; i < a.factors.size(); ++i)
        if (a.factors[i].base != b.factors[i].base || a.factors[i].exponent != b.factors[i].exponent) return false;
    return true;
}

// Fewer factors first, then by the factors' structure: `exp(x) + x * exp(x)`, `2 * x + x^2`.
bool term_before(const Term& a, const Term& b) {
    if (a.factors.size() != b.factors.size()) return a.factors.size() < b.factors.size();
    for (size_t i = 0; i < a.factors.size(); ++i) {
        if (factor_before(a.factors[i], b.factors[i])) return true;
        if (factor_before(b.factors[i], a.factors[i])) return false;
    }
    return false;
}

// Like terms merged (2 * x + x = 3 * x; x - x vanishes), terms in a structural order.
void normalize(Sum& s) {
    for (Term& t : s) normalize(t);
    std::sort(s.begin(), s.end(), term_before);
    Sum out;
    for (Term& t : s) {
        if (!out.empty() && same_factors(out.back(), t)) {
            auto [n, d] = add(out.back().num, out.back().den, t.num, t.den);
            out.back().num = n;
            out.back().den = d;
            reduce(out.back());
        } else {
            out.push_back(std::move(t));
        }
    }
    std::erase_if(out, [](const Term& t) { return t.num == 0; });
    // Begin with a positive term where there is one: `1 - x`, not `-x + 1`.
    auto positive = std::find_if(out.begin(), out.end(), [](const Term& t) { return !(t.num < 0); });
    if (positive != out.end()) std::rotate(out.begin(), positive, positive + 1);
    s = std::move(out);
}

bool small(const Sum& s) {
    if (s.size() > copy_limit) return false;
    for (const Term& t : s)
        if (t.factors.size() > copy_limit) return false;
    return true;
}

// ---- the walk ------------------------------------------------------------------------

class Tidy {
public:
    explicit Tidy(Graph& graph) : g_(graph) {}

    Expr run(Expr root) {
        std::vector<Expr> order = topological_order({root});
        position_.assign(size_t{root->id} + 1, 0);  // operands have smaller ids than users
        for (size_t i = 0; i < order.size(); ++i) position_[order[i]->id] = static_cast<uint32_t>(i);
        std::vector<int> uses(order.size(), 0);
        std::vector<Expr> user(order.size(), nullptr);
        for (Expr n : order)
            for (int i = 0; i < n->arity(); ++i) {
                size_t p = position_[(*n)[i]->id];
                ++uses[p];
                user[p] = n;
            }
        forms_.assign(order.size(), {});
        for (size_t i = 0; i < order.size(); ++i) {
            Expr n = order[i];
            current_ = n;
            bool interior = n != root && uses[i] == 1 && is_algebraic(n) && is_algebraic(user[i]);
            Form& f = forms_[i];
            if (is_algebraic(n)) {
                f.sum = form_of(n);
                f.has_sum = true;
                if (interior) continue;  // its user takes the form
                normalize(f.sum);
                f.expr = write(f.sum);
                if (!small(f.sum)) {
                    f.sum.clear();
                    f.has_sum = false;
                }
            } else {
                f.expr = rebuild(n);
            }
        }
        return forms_.back().expr;
    }

private:
    struct Form {
        Sum sum;
        bool has_sum = false;
        Expr expr = nullptr;  // written back (null while its user has not taken it)
    };
    Graph& g_;
    std::vector<Form> forms_;
    std::vector<uint32_t> position_;  // by id: the place in the topological order
    Expr current_ = nullptr;                     // the node being tidied

    size_t operand_(int k) const { return position_[(*current_)[k]->id]; }

    Expr c(double v) { return g_.constant(v, current_->range); }
    Expr make(Kind k, Expr a, Expr b) { return g_.make(k, {a, b}, current_->range); }

    // Operand k's form: taken from it (used once), copied (small), or the node whole.
    Sum take(int k) {
        Form& f = forms_[operand_(k)];
        if (!f.expr) return std::move(f.sum);
        if (f.has_sum) return f.sum;
        return single(f.expr);
    }
    static Sum single(Expr base) { return Sum{Term{1, 1, {{base, 1}}}}; }

    // Operand k written back as an expression.
    Expr expr_of(int k) {
        Form& f = forms_[operand_(k)];
        if (f.expr) return f.expr;
        Sum s = std::move(f.sum);
        normalize(s);
        return write(s);
    }

    // A sum as one term: itself when it has one term, else a factor of its own.
    Term as_term(Sum&& s) {
        if (s.size() == 1) return std::move(s[0]);
        normalize(s);
        if (s.size() == 1) return std::move(s[0]);
        if (s.empty()) return Term{0, 1, {}};
        return Term{1, 1, {{write(s), 1}}};
    }

    static bool is_number(const Sum& s) { return s.size() == 1 && s[0].factors.empty(); }

    Sum times(Sum&& a, Sum&& b) {
        // A number distributes over a short sum: 2 * (x + 1) = 2 * x + 2. (Over a long
        // one it would be quadratic in a chain of `0.5 * (... + ...)`.)
        if (is_number(a) && !is_number(b)) std::swap(a, b);
        if (is_number(b) && a.size() <= copy_limit) {
            for (Term& t : a) {
                t.num *= b[0].num;
                t.den *= b[0].den;
                reduce(t);
            }
            return std::move(a);
        }
        Term t = as_term(std::move(a));
        multiply_into(t, as_term(std::move(b)));
        return Sum{std::move(t)};
    }

    static Term power(Term t, double k) {
        if (k < 0) {
            std::swap(t.num, t.den);
            k = -k;
            for (Factor& f : t.factors) f.exponent = -f.exponent;
        }
        t.num = std::pow(t.num, k);
        t.den = std::pow(t.den, k);
        for (Factor& f : t.factors) f.exponent *= k;
        reduce(t);
        return t;
    }

    Sum form_of(Expr n) {
        switch (n->kind) {
        case Kind::Constant: return Sum{Term{n->value, 1, {}}};
        case Kind::Neg: {
            Sum a = take(0);
            for (Term& t : a) t.num = -t.num;
            return a;
        }
        case Kind::Add:
        case Kind::Sub: {
            Sum a = take(0), b = take(1);
            if (n->kind == Kind::Sub)
                for (Term& t : b) t.num = -t.num;
            if (a.size() < b.size()) std::swap(a, b);
            std::move(b.begin(), b.end(), std::back_inserter(a));
            return a;
        }
        case Kind::Mul: {
            Sum a = take(0);
            return times(std::move(a), take(1));
        }
        case Kind::Div: {
            Sum a = take(0);
            Term d = as_term(take(1));
            if (d.num == 0 || !std::isfinite(d.num) || !std::isfinite(d.den)) {
                // Division by a zero or infinite number stays as written.
                Term t = as_term(std::move(a));
                return Sum{Term{1, 1, {{make(Kind::Div, write(Sum{std::move(t)}), write(Sum{std::move(d)})), 1}}}};
            }
            return times(std::move(a), Sum{power(std::move(d), -1)});
        }
        case Kind::Pow: {
            Term t = as_term(take(0));
            return Sum{power(std::move(t), (*n)[1]->value)};
        }
        default: return single(n);
        }
    }

    // A node that is not algebra, over its operands written back; comparisons with
    // the constant on the right (`x > 0`, not `0 < x`).
    Expr rebuild(Expr n) {
        std::array<Expr, 3> ops{};
        for (int i = 0; i < n->arity(); ++i) ops[static_cast<size_t>(i)] = expr_of(i);
        if (n->arity() == 2 && ops[0]->kind == Kind::Constant && ops[1]->kind != Kind::Constant) {
            Kind flipped = n->kind;
            switch (n->kind) {
            case Kind::Lt: flipped = Kind::Gt; break;
            case Kind::Gt: flipped = Kind::Lt; break;
            case Kind::Le: flipped = Kind::Ge; break;
            case Kind::Ge: flipped = Kind::Le; break;
            case Kind::Eq:
            case Kind::Ne: break;
            default: return g_.remake(n, ops);
            }
            return g_.make(flipped, {ops[1], ops[0]}, n->range);
        }
        return g_.remake(n, ops);
    }

    // ---- writing a form back ------------------------------------------------------

    Expr product(const std::vector<Expr>& factors) {
        Expr acc = nullptr;
        for (Expr f : factors) acc = acc ? make(Kind::Mul, acc, f) : f;
        return acc;
    }

    Expr number(double num, double den) {
        double q = num / den;
        if (den == 1 || std::fma(q, den, -num) == 0) return c(q);
        return num < 0 ? g_.make(Kind::Neg, {make(Kind::Div, c(-num), c(den))}, current_->range)
                       : make(Kind::Div, c(num), c(den));
    }

    // A term: num * Π up / (den * Π down), each product left to right from its number
    // (`2 * a * x`, not `2 * (a * x)`). A negative term carries its sign on its first
    // factor (`-2 * x`, `-x^2 / 2`) unless `negate` is false: then it is written as its
    // magnitude, for a sum to subtract.
    Expr term(const Term& t, bool negate) {
        double num = negate ? t.num : std::fabs(t.num);
        if (t.factors.empty()) return number(num, t.den);
        std::vector<Expr> up, down;
        if (num != 1 && num != -1) up.push_back(c(num));
        if (t.den != 1) down.push_back(c(t.den));
        for (const Factor& f : t.factors) {
            double e = std::fabs(f.exponent);
            Expr p = e == 1 ? f.base : make(Kind::Pow, f.base, c(e));
            (f.exponent > 0 ? up : down).push_back(p);
        }
        if (up.empty()) up.push_back(c(num < 0 ? -1 : 1));
        else if (num == -1) up[0] = g_.make(Kind::Neg, {up[0]}, current_->range);
        Expr top = product(up);
        return down.empty() ? top : make(Kind::Div, top, product(down));
    }

    Expr write(const Sum& s) {
        if (s.empty()) return c(0);
        Expr acc = nullptr;
        for (const Term& t : s) {
            if (!acc) acc = term(t, true);
            else acc = make(t.num < 0 ? Kind::Sub : Kind::Add, acc, term(t, false));
        }
        return acc;
    }
};

}  // namespace

std::vector<Expr> tidy(Graph& graph, const std::vector<Expr>& roots) {
    std::vector<Expr> out;
    for (Expr r : roots) out.push_back(r ? Tidy(graph).run(r) : nullptr);
    return out;
}

}  // namespace actjit
