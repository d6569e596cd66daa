#include "interpret.hpp"

#include <array>
#include <cmath>
#include <algorithm>

#include "error.hpp"
#include "random.hpp"

namespace actjit {

double evaluate(Expr n, std::span<const double> v, const Environment& env) {
    switch (n->kind) {
    case Kind::Constant: return n->value;
    case Kind::Input:
        ACT_ASSERT(n->index < env.inputs.size(), "no value for input {}", n->index);
        return env.inputs[n->index];
    case Kind::Param:
        ACT_ASSERT(n->index < env.params.size(), "no value for parameter {}", n->index);
        return env.params[n->index];
    case Kind::Neg: return -v[0];
    case Kind::Add: return v[0] + v[1];
    case Kind::Sub: return v[0] - v[1];
    case Kind::Mul: return v[0] * v[1];
    case Kind::Div: return v[0] / v[1];
    case Kind::Pow: return std::pow(v[0], v[1]);
    case Kind::Abs: return std::fabs(v[0]);
    // sign keeps ±0 and NaN as they are.
    case Kind::Sign: return v[0] > 0 ? 1.0 : v[0] < 0 ? -1.0 : v[0];
    case Kind::Exp: return std::exp(v[0]);
    case Kind::Expm1: return std::expm1(v[0]);
    case Kind::Log: return std::log(v[0]);
    case Kind::Log1p: return std::log1p(v[0]);
    case Kind::Sqrt: return std::sqrt(v[0]);
    case Kind::Tanh: return std::tanh(v[0]);
    case Kind::Erf: return std::erf(v[0]);
    case Kind::Erfc: return std::erfc(v[0]);
    case Kind::Sin: return std::sin(v[0]);
    case Kind::Cos: return std::cos(v[0]);
    case Kind::Atan: return std::atan(v[0]);
    case Kind::Sinh: return std::sinh(v[0]);
    case Kind::Cosh: return std::cosh(v[0]);
    case Kind::Asinh: return std::asinh(v[0]);
    // min(a, b) = a < b ? a : b and max(a, b) = a > b ? a : b: ties take b.
    case Kind::Min: return v[0] < v[1] ? v[0] : v[1];
    case Kind::Max: return v[0] > v[1] ? v[0] : v[1];
    case Kind::Uniform:
        return env.inference ? (v[0] + v[1]) / 2 : uniform_draw<double>(v[0], v[1], env.seed, env.index);
    // sigmoid(x) = 1 / (1 + exp(-x)), without exp overflowing on either side
    case Kind::Sigmoid: {
        double x = v[0];
        return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
    }
    // softplus(x) = log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|))
    case Kind::Softplus: {
        double x = v[0];
        return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    }
    // decay_mul(a, f) = a * f, but a zero f (a decayed exponential) beats an infinite a,
    // and of two inputs' factors a zero a an infinite f too (independent_operands)
    case Kind::DecayMul: {
        double a = v[0], f = v[1];
        bool zero = (f == 0 && !std::isnan(a)) || (a == 0 && !std::isnan(f) && independent_operands(n));
        return zero ? std::copysign(0.0, a) * (std::signbit(f) ? -1.0 : 1.0) : a * f;
    }
    case Kind::Lt: return v[0] < v[1];
    case Kind::Le: return v[0] <= v[1];
    case Kind::Gt: return v[0] > v[1];
    case Kind::Ge: return v[0] >= v[1];
    case Kind::Eq: return v[0] == v[1];
    case Kind::Ne: return v[0] != v[1];
    case Kind::And: return v[0] != 0 && v[1] != 0;
    case Kind::Or: return v[0] != 0 || v[1] != 0;
    case Kind::Not: return v[0] == 0;
    case Kind::Select: return v[0] != 0 ? v[1] : v[2];
    }
    ACT_ASSERT(false, "no evaluation rule for {}", info(n->kind).name);
}

std::vector<double> interpret(const std::vector<Expr>& roots, const Environment& env) {
    std::vector<Expr> order = topological_order(roots);
    // Values by node id (operands have smaller ids than their users).
    uint32_t top = 0;
    for (Expr r : roots) top = std::max(top, r->id);
    std::vector<double> value(size_t{top} + 1);
    for (Expr n : order) {
        std::array<double, 3> v{};
        for (int i = 0; i < n->arity(); ++i) v[static_cast<size_t>(i)] = value[(*n)[i]->id];
        value[n->id] = evaluate(n, v, env);
    }
    std::vector<double> out;
    for (Expr r : roots) out.push_back(value[r->id]);
    return out;
}

double interpret(Expr root, const Environment& env) { return interpret(std::vector<Expr>{root}, env)[0]; }

}  // namespace actjit
