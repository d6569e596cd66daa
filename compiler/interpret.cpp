#include "interpret.hpp"

#include <cmath>
#include <unordered_map>

#include "error.hpp"
#include "random.hpp"

namespace actjit {

std::vector<double> interpret(const std::vector<Expr>& roots, const Environment& env) {
    std::unordered_map<Expr, double> value;
    for (Expr n : topological_order(roots)) {
        auto v = [&](int i) { return value.at((*n)[i]); };
        double r = 0;
        switch (n->kind) {
        case Kind::Constant: r = n->value; break;
        case Kind::Input:
            ACT_ASSERT(n->index < env.inputs.size(), "no value for input {}", n->index);
            r = env.inputs[n->index];
            break;
        case Kind::Param:
            ACT_ASSERT(n->index < env.params.size(), "no value for parameter {}", n->index);
            r = env.params[n->index];
            break;
        case Kind::Neg: r = -v(0); break;
        case Kind::Add: r = v(0) + v(1); break;
        case Kind::Sub: r = v(0) - v(1); break;
        case Kind::Mul: r = v(0) * v(1); break;
        case Kind::Div: r = v(0) / v(1); break;
        case Kind::Pow: r = std::pow(v(0), v(1)); break;
        case Kind::Abs: r = std::fabs(v(0)); break;
        // sign keeps ±0 and NaN as they are.
        case Kind::Sign: r = v(0) > 0 ? 1.0 : v(0) < 0 ? -1.0 : v(0); break;
        case Kind::Exp: r = std::exp(v(0)); break;
        case Kind::Expm1: r = std::expm1(v(0)); break;
        case Kind::Log: r = std::log(v(0)); break;
        case Kind::Log1p: r = std::log1p(v(0)); break;
        case Kind::Sqrt: r = std::sqrt(v(0)); break;
        case Kind::Tanh: r = std::tanh(v(0)); break;
        case Kind::Erf: r = std::erf(v(0)); break;
        case Kind::Erfc: r = std::erfc(v(0)); break;
        case Kind::Sin: r = std::sin(v(0)); break;
        case Kind::Cos: r = std::cos(v(0)); break;
        // min(a, b) = a < b ? a : b and max(a, b) = a > b ? a : b: ties take b.
        case Kind::Min: r = v(0) < v(1) ? v(0) : v(1); break;
        case Kind::Max: r = v(0) > v(1) ? v(0) : v(1); break;
        case Kind::Uniform:
            r = env.inference ? (v(0) + v(1)) / 2 : uniform_draw<double>(v(0), v(1), env.seed, env.index);
            break;
        // sigmoid(x) = 1 / (1 + exp(-x)), without exp overflowing on either side
        case Kind::Sigmoid: {
            double x = v(0);
            r = x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
            break;
        }
        // softplus(x) = log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|))
        case Kind::Softplus: {
            double x = v(0);
            r = x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
            break;
        }
        // decay_mul(a, f) = a * f, but a zero f (a decayed exponential) beats an infinite a
        case Kind::DecayMul: {
            double a = v(0), f = v(1);
            r = f == 0 && !std::isnan(a) ? std::copysign(0.0, a) * (std::signbit(f) ? -1.0 : 1.0) : a * f;
            break;
        }
        case Kind::Lt: r = v(0) < v(1); break;
        case Kind::Le: r = v(0) <= v(1); break;
        case Kind::Gt: r = v(0) > v(1); break;
        case Kind::Ge: r = v(0) >= v(1); break;
        case Kind::Eq: r = v(0) == v(1); break;
        case Kind::Ne: r = v(0) != v(1); break;
        case Kind::And: r = v(0) != 0 && v(1) != 0; break;
        case Kind::Or: r = v(0) != 0 || v(1) != 0; break;
        case Kind::Not: r = v(0) == 0; break;
        case Kind::Select: r = v(0) != 0 ? v(1) : v(2); break;
        }
        value.emplace(n, r);
    }
    std::vector<double> out;
    for (Expr r : roots) out.push_back(value.at(r));
    return out;
}

double interpret(Expr root, const Environment& env) { return interpret(std::vector<Expr>{root}, env)[0]; }

}  // namespace actjit
