// The MPFR interpreter: interpret.cpp's semantics, node for node, at high precision.
#include <cmath>
#include <array>
#include <unordered_map>
#include <vector>

#include <mpfr.h>

#include "constants.hpp"
#include "error.hpp"
#include "interpret_mpfr.hpp"
#include "random.hpp"

namespace actjit {

namespace {

constexpr mpfr_rnd_t N = MPFR_RNDN;

}  // namespace

MpfrTape::MpfrTape(const std::vector<Expr>& roots, int precision) : precision_(precision) {
    ACT_ASSERT(precision >= 128, "the MPFR reference needs at least 128 bits, not {}", precision);
    order_ = topological_order(roots);
    std::unordered_map<Expr, uint32_t> slot;
    for (Expr n : order_) {
        std::array<uint32_t, 3> o{};
        for (int i = 0; i < n->arity(); ++i) o[static_cast<size_t>(i)] = slot.at((*n)[i]);
        operands_.push_back(o);
        slot.emplace(n, static_cast<uint32_t>(slot.size()));
    }
    for (Expr r : roots) roots_.push_back(slot.at(r));
    // A sine and a cosine of one operand: computed together (mpfr_sin_cos), one argument
    // reduction for both; at x near 1e300 that reduction is most of the cost.
    partner_.assign(order_.size(), -1);
    partner_inexact_.assign(order_.size(), 0);
    std::unordered_map<uint32_t, uint32_t> sines, cosines;  // by operand slot
    for (size_t k = 0; k < order_.size(); ++k) {
        if (order_[k]->kind != Kind::Sin && order_[k]->kind != Kind::Cos) continue;
        auto& mine = order_[k]->kind == Kind::Sin ? sines : cosines;
        auto& other = order_[k]->kind == Kind::Sin ? cosines : sines;
        mine.emplace(operands_[k][0], static_cast<uint32_t>(k));
        if (auto it = other.find(operands_[k][0]); it != other.end() && partner_[it->second] < 0 && partner_[k] < 0) {
            partner_[k] = static_cast<int32_t>(it->second);
            partner_[it->second] = static_cast<int32_t>(k);
        }
    }
    slots_.resize(order_.size());
    for (__mpfr_struct& s : slots_) mpfr_init2(&s, precision);
    mpfr_init2(&scratch_, precision);
    left_range_.assign(order_.size(), 0);
    rounded_.assign(order_.size(), 0);
    cancelled_.assign(order_.size(), 0);
}

MpfrTape::~MpfrTape() {
    for (__mpfr_struct& s : slots_) mpfr_clear(&s);
    mpfr_clear(&scratch_);
}

void MpfrTape::set_precision(int precision) {
    ACT_ASSERT(precision >= 128, "the MPFR reference needs at least 128 bits, not {}", precision);
    precision_ = precision;
    for (__mpfr_struct& s : slots_) mpfr_set_prec(&s, precision);
    mpfr_set_prec(&scratch_, precision);
}

double MpfrTape::root(size_t i) const { return mpfr_get_d(&slots_[roots_[i]], N); }

bool MpfrTape::root_left_range(size_t i) const { return left_range_[roots_[i]] != 0; }

bool MpfrTape::root_cancelled(size_t i) const { return cancelled_[roots_[i]] != 0; }

// A named irrational (constants.hpp) at r's precision, negated if asked.
static void exact_constant(mpfr_ptr r, const NamedConstant& c, bool negative) {
    using Of = NamedConstant::Of;
    switch (c.of) {
    case Of::SqrtInteger: mpfr_sqrt_ui(r, static_cast<unsigned long>(c.integer), MPFR_RNDN); break;
    default: {
        mpfr_const_pi(r, MPFR_RNDN);
        switch (c.of) {
        case Of::SqrtPi: mpfr_sqrt(r, r, MPFR_RNDN); break;
        case Of::Sqrt2Pi: mpfr_mul_2ui(r, r, 1, MPFR_RNDN); mpfr_sqrt(r, r, MPFR_RNDN); break;
        case Of::SqrtTwoOverPi: mpfr_ui_div(r, 2, r, MPFR_RNDN); mpfr_sqrt(r, r, MPFR_RNDN); break;
        case Of::InvSqrtPi: mpfr_rec_sqrt(r, r, MPFR_RNDN); break;
        case Of::TwoOverSqrtPi: mpfr_rec_sqrt(r, r, MPFR_RNDN); mpfr_mul_2ui(r, r, 1, MPFR_RNDN); break;
        case Of::InvSqrt2Pi: mpfr_mul_2ui(r, r, 1, MPFR_RNDN); mpfr_rec_sqrt(r, r, MPFR_RNDN); break;
        case Of::HalfPi: mpfr_div_2ui(r, r, 1, MPFR_RNDN); break;
        default: break;
        }
    }
    }
    if (negative) mpfr_neg(r, r, MPFR_RNDN);
}

void MpfrTape::run(const Environment& env, bool exponent_range, bool underflow) {
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    if (exponent_range) {
        mpfr_set_emin(mpfr_get_emin_min());
        mpfr_set_emax(mpfr_get_emax_max());
    }
    mpfr_ptr t = &scratch_;
    for (size_t k = 0; k < order_.size(); ++k) {
        Expr n = order_[k];
        mpfr_ptr r = &slots_[k];
        auto v = [&](int i) { return &slots_[operands_[k][static_cast<size_t>(i)]]; };
        auto truth = [&](bool b) { mpfr_set_ui(r, b ? 1 : 0, N); };
        mpfr_clear_flags();
        switch (n->kind) {
        case Kind::Constant:
            if (const NamedConstant* c = named_constant(n->value)) exact_constant(r, *c, std::signbit(n->value));
            else mpfr_set_d(r, n->value, N);
            break;
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
        case Kind::Sin: case Kind::Cos: {
            const bool sine = n->kind == Kind::Sin;
            const int32_t p = partner_[k];
            if (p < 0) {
                if (sine) mpfr_sin(r, v(0), N);
                else mpfr_cos(r, v(0), N);
            } else if (static_cast<size_t>(p) < k) {  // computed with its partner
                if (partner_inexact_[k]) mpfr_set_inexflag();
            } else {
                mpfr_ptr other = &slots_[static_cast<size_t>(p)];
                // 0 iff both are exact; else s + 4 c, s and c each 1 or 2 when inexact
                const int t = sine ? mpfr_sin_cos(r, other, v(0), N) : mpfr_sin_cos(other, r, v(0), N);
                const bool s_inexact = (t & 3) != 0, c_inexact = (t >> 2) != 0;
                partner_inexact_[static_cast<size_t>(p)] = sine ? c_inexact : s_inexact;
                mpfr_clear_flags();  // (the partner's flags are its own, at its turn)
                if (sine ? s_inexact : c_inexact) mpfr_set_inexflag();
            }
            break;
        }
        case Kind::Atan: mpfr_atan(r, v(0), N); break;
        case Kind::Sinh: mpfr_sinh(r, v(0), N); break;
        case Kind::Cosh: mpfr_cosh(r, v(0), N); break;
        case Kind::Asinh: mpfr_asinh(r, v(0), N); break;
        // Ties take b; a NaN compares false, so it takes b too.
        case Kind::Min: mpfr_set(r, mpfr_less_p(v(0), v(1)) ? v(0) : v(1), N); break;
        case Kind::Max: mpfr_set(r, mpfr_greater_p(v(0), v(1)) ? v(0) : v(1), N); break;
        case Kind::Uniform: {
            double lo = mpfr_get_d(v(0), N), hi = mpfr_get_d(v(1), N);
            mpfr_set_d(r, env.inference ? (lo + hi) / 2 : uniform_draw<double>(lo, hi, env.seed, env.index), N);
            break;
        }
        // sigmoid(x) = 1 / (1 + exp(-x)) for x >= 0, exp(x) / (1 + exp(x)) below, so that
        // exp never overflows (for |x| beyond MPFR's exponent range it underflows to 0).
        case Kind::Sigmoid:
            if (mpfr_sgn(v(0)) >= 0) {
                mpfr_neg(t, v(0), N);
                mpfr_exp(t, t, N);
                mpfr_add_ui(t, t, 1, N);
                mpfr_ui_div(r, 1, t, N);
            } else {
                mpfr_exp(t, v(0), N);
                mpfr_add_ui(r, t, 1, N);
                mpfr_div(r, t, r, N);
            }
            break;
        // softplus(x) = log1p(exp(x)) = x + log1p(exp(-x)): the second for x > 0, where
        // exp(x) could leave MPFR's exponent range (x > 2^30 or so)
        case Kind::Softplus:
            if (mpfr_sgn(v(0)) > 0) {
                mpfr_neg(t, v(0), N);
                mpfr_exp(t, t, N);
                mpfr_log1p(t, t, N);
                mpfr_add(r, v(0), t, N);
            } else {
                mpfr_exp(t, v(0), N);
                mpfr_log1p(r, t, N);
            }
            break;
        // decay_mul(a, f) = a * f, a zero f beating an infinite a (and a zero a an infinite
        // f, of two inputs' factors)
        case Kind::DecayMul:
            if ((mpfr_zero_p(v(1)) && !mpfr_nan_p(v(0))) ||
                (mpfr_zero_p(v(0)) && !mpfr_nan_p(v(1)) && independent_operands(n))) {
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
        // Left the range: here, or in an operand this value depends on. Rounded: here or
        // below. Cancelled: nonzero operands, one of them rounded, that gave exactly 0
        // (here or below), which a higher precision may tell from 0.
        const std::array<uint32_t, 3>& o = operands_[k];
        uint8_t left = mpfr_overflow_p() || (underflow && mpfr_underflow_p());
        uint8_t rounded = mpfr_inexflag_p() != 0;
        uint8_t cancelled = 0;
        if (mpfr_zero_p(r) && n->type == Type::Number && n->kind != Kind::Select) {
            // 0 from nonzero operands, one of them rounded (x - y, log(1 + y), ...)
            bool nonzero = true, any_rounded = false;
            for (int i = 0; i < n->arity(); ++i) {
                nonzero = nonzero && mpfr_regular_p(v(i));
                any_rounded = any_rounded || rounded_[o[static_cast<size_t>(i)]];
            }
            bool same = n->arity() == 2 && o[0] == o[1];  // x - x is 0 at every precision
            cancelled = nonzero && any_rounded && !same && n->arity() > 0 && !mpfr_underflow_p();
        }
        auto from = [&](uint32_t slot) {
            left = left || left_range_[slot];
            rounded = rounded || rounded_[slot];
            cancelled = cancelled || cancelled_[slot];
        };
        if (n->kind == Kind::Select) {
            from(o[0]);
            from(o[mpfr_zero_p(v(0)) ? 2 : 1]);
        } else {
            for (int i = 0; i < n->arity(); ++i) from(o[static_cast<size_t>(i)]);
        }
        left_range_[k] = left;
        rounded_[k] = rounded;
        cancelled_[k] = cancelled;
    }
    if (exponent_range) {
        mpfr_set_emin(emin);
        mpfr_set_emax(emax);
    }
}

std::vector<double> interpret_mpfr(const std::vector<Expr>& roots, const Environment& env, int precision) {
    MpfrTape tape(roots, precision);
    tape.run(env);
    std::vector<double> out;
    for (size_t i = 0; i < roots.size(); ++i) out.push_back(tape.root(i));
    return out;
}

}  // namespace actjit
