// The MPFR interpreter: interpret.cpp's semantics, node for node, at high precision.
#include <cmath>
#include <unordered_map>
#include <vector>

#include <mpfr.h>

#include "error.hpp"
#include "interpret.hpp"
#include "random.hpp"

namespace actjit {

namespace {

// An mpfr_t that frees itself.
class Big {
public:
    explicit Big(int precision) { mpfr_init2(v_, precision); }
    ~Big() { mpfr_clear(v_); }
    Big(const Big&) = delete;
    Big& operator=(const Big&) = delete;
    mpfr_ptr get() { return v_; }
    mpfr_srcptr get() const { return v_; }

private:
    mpfr_t v_;
};

constexpr mpfr_rnd_t N = MPFR_RNDN;

}  // namespace

std::vector<double> interpret_mpfr(const std::vector<Expr>& roots, const Environment& env, int precision) {
    ACT_ASSERT(precision >= 128, "the MPFR reference needs at least 128 bits, not {}", precision);
    std::vector<Expr> order = topological_order(roots);
    std::unordered_map<Expr, size_t> slot;
    std::vector<std::unique_ptr<Big>> values;
    Big t(precision);
    for (Expr n : order) {
        slot.emplace(n, values.size());
        values.push_back(std::make_unique<Big>(precision));
        mpfr_ptr r = values.back()->get();
        auto v = [&](int i) { return values[slot.at((*n)[i])]->get(); };
        auto truth = [&](bool b) { mpfr_set_ui(r, b ? 1 : 0, N); };
        switch (n->kind) {
        case Kind::Constant: mpfr_set_d(r, n->value, N); break;
        case Kind::Input: mpfr_set_d(r, env.inputs[n->index], N); break;
        case Kind::Param: mpfr_set_d(r, env.params[n->index], N); break;
        case Kind::Neg: mpfr_neg(r, v(0), N); break;
        case Kind::Add: mpfr_add(r, v(0), v(1), N); break;
        case Kind::Sub: mpfr_sub(r, v(0), v(1), N); break;
        case Kind::Mul: mpfr_mul(r, v(0), v(1), N); break;
        case Kind::Div: mpfr_div(r, v(0), v(1), N); break;
        case Kind::Pow: mpfr_pow(r, v(0), v(1), N); break;
        case Kind::Abs: mpfr_abs(r, v(0), N); break;
        case Kind::Sign:
            if (mpfr_nan_p(v(0)) || mpfr_zero_p(v(0))) mpfr_set(r, v(0), N);
            else mpfr_set_si(r, mpfr_sgn(v(0)) > 0 ? 1 : -1, N);
            break;
        case Kind::Exp: mpfr_exp(r, v(0), N); break;
        case Kind::Expm1: mpfr_expm1(r, v(0), N); break;
        case Kind::Log: mpfr_log(r, v(0), N); break;
        case Kind::Log1p: mpfr_log1p(r, v(0), N); break;
        case Kind::Sqrt: mpfr_sqrt(r, v(0), N); break;
        case Kind::Tanh: mpfr_tanh(r, v(0), N); break;
        case Kind::Erf: mpfr_erf(r, v(0), N); break;
        case Kind::Erfc: mpfr_erfc(r, v(0), N); break;
        case Kind::Sin: mpfr_sin(r, v(0), N); break;
        case Kind::Cos: mpfr_cos(r, v(0), N); break;
        // Ties take b; a NaN compares false, so it takes b too.
        case Kind::Min: mpfr_set(r, mpfr_less_p(v(0), v(1)) ? v(0) : v(1), N); break;
        case Kind::Max: mpfr_set(r, mpfr_greater_p(v(0), v(1)) ? v(0) : v(1), N); break;
        case Kind::Uniform: {
            double lo = mpfr_get_d(v(0), N), hi = mpfr_get_d(v(1), N);
            mpfr_set_d(r, env.inference ? (lo + hi) / 2 : uniform_draw<double>(lo, hi, env.seed, env.index), N);
            break;
        }
        // sigmoid(x) = 1 / (1 + exp(-x)); MPFR's exponent range has room for the tails.
        case Kind::Sigmoid:
            mpfr_neg(t.get(), v(0), N);
            mpfr_exp(t.get(), t.get(), N);
            mpfr_add_ui(t.get(), t.get(), 1, N);
            mpfr_ui_div(r, 1, t.get(), N);
            break;
        // softplus(x) = log1p(exp(x)) = x + log1p(exp(-x)): the second for x > 0, where
        // exp(x) could leave MPFR's exponent range (x > 2^30 or so)
        case Kind::Softplus:
            if (mpfr_sgn(v(0)) > 0) {
                mpfr_neg(t.get(), v(0), N);
                mpfr_exp(t.get(), t.get(), N);
                mpfr_log1p(t.get(), t.get(), N);
                mpfr_add(r, v(0), t.get(), N);
            } else {
                mpfr_exp(t.get(), v(0), N);
                mpfr_log1p(r, t.get(), N);
            }
            break;
        // decay_mul(a, f) = a * f, a zero f beating an infinite a
        case Kind::DecayMul:
            if (mpfr_zero_p(v(1)) && !mpfr_nan_p(v(0))) {
                mpfr_set_zero(r, (mpfr_signbit(v(0)) != 0) == (mpfr_signbit(v(1)) != 0) ? 1 : -1);
            } else {
                mpfr_mul(r, v(0), v(1), N);
            }
            break;
        case Kind::Lt: truth(mpfr_less_p(v(0), v(1))); break;
        case Kind::Le: truth(mpfr_lessequal_p(v(0), v(1))); break;
        case Kind::Gt: truth(mpfr_greater_p(v(0), v(1))); break;
        case Kind::Ge: truth(mpfr_greaterequal_p(v(0), v(1))); break;
        case Kind::Eq: truth(mpfr_equal_p(v(0), v(1))); break;
        case Kind::Ne: truth(!mpfr_equal_p(v(0), v(1))); break;
        case Kind::And: truth(!mpfr_zero_p(v(0)) && !mpfr_zero_p(v(1))); break;
        case Kind::Or: truth(!mpfr_zero_p(v(0)) || !mpfr_zero_p(v(1))); break;
        case Kind::Not: truth(mpfr_zero_p(v(0))); break;
        case Kind::Select: mpfr_set(r, !mpfr_zero_p(v(0)) ? v(1) : v(2), N); break;
        }
    }
    std::vector<double> out;
    for (Expr root : roots) out.push_back(mpfr_get_d(values[slot.at(root)]->get(), N));
    return out;
}

}  // namespace actjit
