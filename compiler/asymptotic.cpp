#include "asymptotic.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace actjit {

namespace {

Tail unknown() { return {}; }
Tail zero() { return {Tail::Zero, 0, 0}; }
Tail finite(int sign) { return {Tail::Finite, sign, 0}; }
Tail grows(int height, int sign, double degree = 0) { return {Tail::Grows, sign, height, degree}; }
Tail decays(int height, int sign, double degree = 0) { return {Tail::Decays, sign, height, degree}; }

bool known(const Tail& t) { return t.direction != Tail::Unknown; }
bool same(const Tail& a, const Tail& b) {
    return a.direction == b.direction && a.sign == b.sign && a.height == b.height &&
           (a.height > 0 || a.degree == b.degree);
}

// Which of two growths (or two decays) is the stronger: 1 a, -1 b, 0 neither or not known.
int stronger(const Tail& a, const Tail& b) {
    if (a.height != b.height) return a.height > b.height ? 1 : -1;
    if (a.height > 0 || std::isnan(a.degree) || std::isnan(b.degree) || a.degree == b.degree) return 0;
    return a.degree > b.degree ? 1 : -1;
}

Tail negated(Tail t) {
    t.sign = -t.sign;
    return t;
}

Tail reciprocal(const Tail& t) {
    switch (t.direction) {
    case Tail::Grows: return decays(t.height, t.sign, t.degree);
    case Tail::Decays: return grows(t.height, t.sign, t.degree);
    case Tail::Finite: return t;
    default: return unknown();  // 1 / 0
    }
}

Tail product(const Tail& a, const Tail& b) {
    if (!known(a) || !known(b)) return unknown();
    if (a.direction == Tail::Zero || b.direction == Tail::Zero) return zero();
    int sign = a.sign * b.sign;
    if (a.direction == Tail::Finite) return {b.direction, sign, b.height, b.degree};
    if (b.direction == Tail::Finite) return {a.direction, sign, a.height, a.degree};
    if (a.direction == b.direction) {  // powers multiply: their degrees add
        if (a.height != b.height) return a.height > b.height ? Tail{a.direction, sign, a.height, a.degree}
                                                              : Tail{a.direction, sign, b.height, b.degree};
        return {a.direction, sign, a.height, a.height == 0 ? a.degree + b.degree : 0};
    }
    // one grows, the other decays: the greater height wins; of powers, the net degree
    const Tail& g = a.direction == Tail::Grows ? a : b;
    const Tail& d = a.direction == Tail::Grows ? b : a;
    if (d.height > g.height) return decays(d.height, sign, d.degree);
    if (g.height > d.height) return grows(g.height, sign, g.degree);
    if (g.height > 0) return unknown();
    double net = g.degree - d.degree;
    if (std::isnan(net) || net == 0) return unknown();
    return net > 0 ? grows(0, sign, net) : decays(0, sign, -net);
}

Tail sum(const Tail& a, const Tail& b) {
    if (!known(a) || !known(b)) return unknown();
    if (a.direction == Tail::Zero) return b;
    if (b.direction == Tail::Zero) return a;
    auto rank = [](const Tail& t) { return t.direction == Tail::Grows ? 2 : t.direction == Tail::Finite ? 1 : 0; };
    if (rank(a) != rank(b)) return rank(a) > rank(b) ? a : b;  // the larger term dominates
    // Of one kind: the stronger growth, or the weaker decay; else they must agree in
    // sign, or they may cancel.
    if (a.direction != Tail::Finite)
        if (int s = stronger(a, b)) return (s > 0) == (a.direction == Tail::Grows) ? a : b;
    if (a.sign != 0 && a.sign == b.sign) {
        if (a.direction == Tail::Finite) return finite(a.sign);
        return {a.direction, a.sign, a.height, a.degree == b.degree ? a.degree : NAN};
    }
    return unknown();
}

// An integer exponent's parity decides the sign of a negative base's power.
int power_sign(int base, double c) {
    if (base >= 0) return base;
    if (c == std::floor(c) && std::fabs(c) < 0x1p53) return std::fmod(c, 2) == 0 ? 1 : -1;
    return 0;
}

// log|u| for u growing or decaying, with the sign given: of a power, a logarithm (height
// 0, degree 0); of exp(x^p), x^p (degree not known); of higher heights, one less.
Tail logarithm(const Tail& u, int sign) {
    if (u.height == 0) return grows(0, sign, 0);
    if (u.height == 1) return grows(0, sign, NAN);
    return grows(u.height - 1, sign);
}

// Functions of one operand, from the operand's tail.
Tail unary(Kind kind, const Tail& u) {
    const bool up = u.direction == Tail::Grows && u.sign > 0, down = u.direction == Tail::Grows && u.sign < 0;
    const bool small = u.direction == Tail::Decays || u.direction == Tail::Zero;
    if (!known(u)) return unknown();
    switch (kind) {
    case Kind::Neg: return negated(u);
    case Kind::Abs: return u.direction == Tail::Zero ? u : Tail{u.direction, 1, u.height, u.degree};
    case Kind::Sign:
        if (u.direction == Tail::Zero) return zero();
        return u.sign != 0 ? finite(u.sign) : unknown();
    case Kind::Exp:
        if (up) return grows(u.height + 1, 1);
        if (down) return decays(u.height + 1, 1);
        return u.direction == Tail::Grows ? unknown() : finite(1);
    case Kind::Expm1:
        if (up) return grows(u.height + 1, 1);
        if (down) return finite(-1);
        if (small) return u;
        return u.sign != 0 && u.direction == Tail::Finite ? finite(u.sign) : unknown();
    case Kind::Log:
        if (up) return logarithm(u, 1);
        if (u.direction == Tail::Decays && u.sign > 0) return logarithm(u, -1);
        return unknown();
    case Kind::Log1p:
        if (up) return logarithm(u, 1);
        return small ? u : unknown();
    case Kind::Sqrt:
        if (up || (u.direction == Tail::Decays && u.sign > 0)) return {u.direction, 1, u.height, u.degree / 2};
        if (u.direction == Tail::Finite && u.sign > 0) return u;
        return u.direction == Tail::Zero ? u : unknown();
    case Kind::Tanh: case Kind::Erf: case Kind::Atan:
        if (up || down) return finite(u.sign);
        if (small) return u;
        return u.sign != 0 ? finite(u.sign) : unknown();
    case Kind::Erfc:  // e^-u^2 / (u sqrt(pi)) as u -> inf
        if (up) return decays(u.height + 1, 1);
        return u.direction == Tail::Grows && u.sign == 0 ? unknown() : finite(1);
    case Kind::Sigmoid:  // e^u as u -> -inf
        if (down) return decays(u.height + 1, 1);
        return u.direction == Tail::Grows && u.sign == 0 ? unknown() : finite(1);
    case Kind::Softplus:
        if (up) return u;
        if (down) return decays(u.height + 1, 1);
        return u.direction == Tail::Grows ? unknown() : finite(1);
    case Kind::Sinh:
        if (u.direction == Tail::Grows) return u.sign != 0 ? grows(u.height + 1, u.sign) : unknown();
        if (small) return u;
        return u.sign != 0 ? finite(u.sign) : unknown();
    case Kind::Cosh: return u.direction == Tail::Grows ? grows(u.height + 1, 1) : finite(1);
    case Kind::Asinh:
        if (u.direction == Tail::Grows) return u.sign != 0 ? logarithm(u, u.sign) : unknown();
        if (small) return u;
        return u.sign != 0 ? finite(u.sign) : unknown();
    case Kind::Sin:  // oscillates, zeros included, unless its argument vanishes
        return small ? u : unknown();
    case Kind::Cos: return small ? finite(1) : unknown();
    default: return unknown();
    }
}

// Where a tail's values lie, in order: -inf, a negative limit, 0 from below, 0, 0 from
// above, a positive limit, +inf (-3 ... 3); 4 where the sign is not known.
int rank(const Tail& t) {
    if (t.direction == Tail::Zero) return 0;
    if (!known(t) || t.sign == 0) return 4;
    int r = t.direction == Tail::Grows ? 3 : t.direction == Tail::Finite ? 2 : 1;
    return t.sign * r;
}

// max(a, b) (`larger`) or min(a, b): the one further toward the side chosen; of two that
// grow toward it the higher, away from it the lower; of two limits of one sign either
// (the extreme is a limit of that sign); else unknown.
Tail extreme(const Tail& a, const Tail& b, bool larger) {
    int ra = rank(a), rb = rank(b);
    if (ra == 4 || rb == 4) return unknown();
    if (ra != rb) return (ra > rb) == larger ? a : b;
    if (a.direction == Tail::Zero || same(a, b)) return a;
    if (a.direction == Tail::Finite) return finite(a.sign);
    // of one direction and sign: the stronger is further out, or in
    bool outward = (a.direction == Tail::Grows) == ((a.sign > 0) == larger);
    int s = stronger(a, b);
    if (s == 0) return unknown();
    return (s > 0) == outward ? a : b;
}

// A bounded factor (graph.hpp's Bounded: within finite bounds everywhere, as sin or cos
// of a growth, which has no limit) times one that vanishes vanishes too, the squeeze:
// (1 - cos(x)) / x^2 decays at inf, of unknown sign (it crosses 0 with the cosine). `b`
// null: not a factor that may be bounded (a divisor: 1 / sin(x) is not).
Tail squeezed(Expr a, const Tail& ta, Expr b, const Tail& tb) {
    Tail t = product(ta, tb);
    if (known(t)) return t;
    for (auto [x, tx, ty] : {std::tuple{a, ta, tb}, std::tuple{b, tb, ta}}) {
        if (!x || known(tx) || !x->has(Bounded)) continue;
        if (ty.direction == Tail::Zero) return zero();
        if (ty.direction == Tail::Decays) return decays(ty.height, 0, ty.degree);
    }
    return t;
}

// Whether a comparison holds from some point on, where its operands' tails tell: a growth
// beyond any limit or decay (x > 4, abs(x) < 0.125, x == 0 as x -> inf); nothing otherwise.
std::optional<bool> eventually(Expr c, const std::unordered_map<Expr, Tail>& done) {
    switch (c->kind) {
    case Kind::Not: {
        auto v = eventually((*c)[0], done);
        return v ? std::optional<bool>(!*v) : std::nullopt;
    }
    case Kind::And: case Kind::Or: {
        auto p = eventually((*c)[0], done), q = eventually((*c)[1], done);
        if (c->kind == Kind::And && ((p && !*p) || (q && !*q))) return false;
        if (c->kind == Kind::Or && ((p && *p) || (q && *q))) return true;
        if (p && q) return c->kind == Kind::And ? (*p && *q) : (*p || *q);
        return std::nullopt;
    }
    case Kind::Lt: case Kind::Le: case Kind::Gt: case Kind::Ge: case Kind::Eq: case Kind::Ne: break;
    default: return std::nullopt;
    }
    if ((*c)[0]->type != Type::Number || (*c)[1]->type != Type::Number) return std::nullopt;
    // (a constant inf is a Finite tail, but no finite x passes it)
    for (int i = 0; i < 2; ++i)
        if ((*c)[i]->kind == Kind::Constant && std::isinf((*c)[i]->value) && c->kind != Kind::Eq && c->kind != Kind::Ne)
            return std::nullopt;
    const Tail& a = done.at((*c)[0]);
    const Tail& b = done.at((*c)[1]);
    auto settled = [](const Tail& t) {
        return t.direction == Tail::Finite || t.direction == Tail::Zero || t.direction == Tail::Decays;
    };
    // +1: a ends above b, -1 below
    int order = 0;
    if (a.direction == Tail::Grows && a.sign != 0 && settled(b)) order = a.sign;
    else if (b.direction == Tail::Grows && b.sign != 0 && settled(a)) order = -b.sign;
    if (order == 0) return std::nullopt;
    switch (c->kind) {
    case Kind::Lt: case Kind::Le: return order < 0;
    case Kind::Gt: case Kind::Ge: return order > 0;
    case Kind::Eq: return false;
    default: return true;  // Ne
    }
}

Tail node_tail(Expr n, uint32_t input, bool positive, const std::unordered_map<Expr, Tail>& done) {
    auto op = [&](int i) { return done.at((*n)[i]); };
    switch (n->kind) {
    case Kind::Constant: return n->value == 0 ? zero() : std::isnan(n->value) ? unknown() : finite(n->value > 0 ? 1 : -1);
    case Kind::Input: return n->index == input ? grows(0, positive ? 1 : -1, 1) : unknown();
    case Kind::Add: return sum(op(0), op(1));
    case Kind::Sub: return sum(op(0), negated(op(1)));
    case Kind::Mul: case Kind::DecayMul: return squeezed((*n)[0], op(0), (*n)[1], op(1));
    case Kind::Div: return squeezed((*n)[0], op(0), nullptr, reciprocal(op(1)));
    case Kind::Pow: {
        Expr c = (*n)[1];
        Tail u = op(0);
        if (c->kind != Kind::Constant || !known(u)) return unknown();
        if (c->value == 0) return finite(1);
        int sign = power_sign(u.sign, c->value);
        if (u.direction == Tail::Zero) return c->value > 0 ? zero() : unknown();
        if (u.direction == Tail::Finite) return sign != 0 ? finite(sign) : unknown();
        Tail t{u.direction, sign, u.height, u.height == 0 ? u.degree * std::fabs(c->value) : 0};
        return c->value > 0 ? t : reciprocal(t);
    }
    case Kind::Max: return extreme(op(0), op(1), true);
    case Kind::Min: return extreme(op(0), op(1), false);
    case Kind::Select: {
        // the branch taken from some point on (a Taylor polynomial's abs(x) < r is not)
        if (auto taken = eventually((*n)[0], done)) return *taken ? op(1) : op(2);
        Tail t = op(1), e = op(2);
        return same(t, e) ? t : unknown();
    }
    default:
        if (n->arity() == 1) return unary(n->kind, op(0));
        return unknown();  // parameters, draws, comparisons
    }
}

}  // namespace

Tail product_tail(const Tail& a, const Tail& b) { return product(a, b); }

Tail tail(Expr e, uint32_t input, bool positive) { return Tails().of(e, input, positive); }

Tail Tails::of(Expr e, uint32_t input, bool positive) {
    std::unordered_map<Expr, Tail>& done = known_[uint64_t{input} * 2 + positive];
    if (auto it = done.find(e); it != done.end()) return it->second;
    // operands first, without a walk below what is known already
    std::vector<std::pair<Expr, bool>> stack{{e, false}};
    while (!stack.empty()) {
        auto [n, expanded] = stack.back();
        stack.pop_back();
        if (done.count(n)) continue;
        if (expanded) {
            done.emplace(n, n->type == Type::Number ? node_tail(n, input, positive, done) : unknown());
            continue;
        }
        stack.push_back({n, true});
        for (int i = 0; i < n->arity(); ++i)
            if (!done.count((*n)[i])) stack.push_back({(*n)[i], false});
    }
    return done.at(e);
}

}  // namespace actjit
