#include "reference.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <limits>

#include "error.hpp"
#include "interpret_mpfr.hpp"
#include "interval.hpp"

#include <mpfr.h>

namespace actjit {

using interval::Iv;

struct Reference::Impl {
    MpfrTape written, stabilized;
    // The interval oracle walks the written formula's tape, a value per slot.
    const std::vector<Expr>& order;
    const std::vector<std::array<uint32_t, 3>>& operands;
    const std::vector<uint32_t>& roots;
    std::vector<Iv> values;
    std::vector<Iv> plain;  // the roots' values as plain intervals
    std::vector<uint8_t> arity;
    int digits;

    Impl(const std::vector<Expr>& r, const std::vector<Expr>& s, int d)
        : written(r, 128), stabilized(s, 128), order(written.order()), operands(written.operands()),
          roots(written.root_slots()), values(order.size()), plain(roots.size()), digits(d) {
        for (Expr n : order) arity.push_back(static_cast<uint8_t>(n->arity()));
    }

    // Ziv: 128 bits, 256, ... until two precisions in a row agree on every root's double.
    Oracle mpfr(MpfrTape& tape, const Environment& env, std::span<Truth> out, bool& left_range, bool underflow) {
        std::vector<double> previous;
        left_range = false;
        bool agreed = false, cancelled = false;
        for (int precision = 128; precision <= 4096 && !agreed; precision *= 2) {
            tape.set_precision(precision);
            tape.run(env, /*exponent_range=*/true, underflow);
            // Leaving the exponent range does not depend on the precision.
            bool left = false;
            for (size_t i = 0; i < tape.roots(); ++i) left = left || tape.root_left_range(i);
            if (left) {
                left_range = true;
                for (size_t i = 0; i < tape.roots(); ++i) {
                    double v = tape.root(i);
                    out[i] = std::isnan(v) ? Truth{0, 0, true} : Truth{v, v, false};
                }
                return Oracle::Unknown;
            }
            std::vector<double> now;
            for (size_t i = 0; i < tape.roots(); ++i) now.push_back(tape.root(i));
            bool same = !previous.empty();
            cancelled = false;
            for (size_t i = 0; i < now.size(); ++i) cancelled = cancelled || tape.root_cancelled(i);
            same = same && !cancelled;
            for (size_t i = 0; same && i < now.size(); ++i)
                same = std::bit_cast<uint64_t>(now[i]) == std::bit_cast<uint64_t>(previous[i]) ||
                       (std::isnan(now[i]) && std::isnan(previous[i]));
            previous = now;
            agreed = same;
        }
        // A cancellation that 4096 bits do not resolve: as good as out of range.
        left_range = !agreed && cancelled;
        for (size_t i = 0; i < tape.roots(); ++i) {
            double v = previous[i];
            out[i] = std::isnan(v) ? Truth{0, 0, true} : Truth{v, v, false};
        }
        return agreed ? Oracle::Mpfr : Oracle::Unknown;
    }

    Oracle mpfr_with_fallback(const Environment& env, std::span<Truth> out) {
        bool left = false;
        Oracle found = mpfr(written, env, out, left, true);
        if (!left) return found;
        // The stabilized forms are built so that a term which underflows to 0 is only
        // added to, or multiplies, a finite value: there an underflow is taken as exact.
        found = mpfr(stabilized, env, out, left, false);
        return left || found == Oracle::Unknown ? Oracle::Unknown : Oracle::MpfrStabilized;
    }
};

Reference::Reference(std::vector<Expr> roots, std::vector<Expr> stabilized, int digits)
    : impl_(std::make_unique<Impl>(roots, stabilized, digits)) {
    ACT_ASSERT(roots.size() == stabilized.size(), "{} roots against {} stabilized", roots.size(), stabilized.size());
}

// MPFR keeps caches (its constants, erf's series) per thread; a thread that goes with
// them still allocated leaks them, so they go with the reference.
Reference::~Reference() {
    impl_.reset();
    mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);
}
Reference::Reference(Reference&&) noexcept = default;

Reference::Oracle Reference::evaluate(const Environment& env, std::span<Truth> out) {
    Impl& m = *impl_;
    for (size_t k = 0; k < m.order.size(); ++k) {
        std::array<Iv, 3> v;
        Expr n = m.order[k];
        int arity = m.arity[k];
        for (int i = 0; i < arity; ++i) v[static_cast<size_t>(i)] = m.values[m.operands[k][static_cast<size_t>(i)]];
        Iv r = interval::bound(n, v, env);
        // An infinity from finite operands is an overflow (or a pole): the exact value
        // may be finite, and a later operation may bring it back. MPFR decides.
        if (r.state == Iv::Value && (std::isinf(r.lo) || std::isinf(r.hi)) && arity > 0) {
            bool finite = true;
            for (int i = 0; i < arity; ++i) {
                const Iv& o = v[static_cast<size_t>(i)];
                finite = finite && !(o.state == Iv::Value && (std::isinf(o.lo) || std::isinf(o.hi)));
            }
            if (finite) r = Iv::unknown();
        }
        m.values[k] = r;
    }
    bool all_narrow = true;
    for (size_t i = 0; i < m.roots.size() && all_narrow; ++i) {
        m.plain[i] = interval::plain(m.values[m.roots[i]]);
        all_narrow = interval::narrow(m.plain[i], m.digits);
    }
    if (!all_narrow) return m.mpfr_with_fallback(env, out);
    for (size_t i = 0; i < m.roots.size(); ++i) {
        const Iv& v = m.plain[i];
        out[i] = v.state == Iv::NaN ? Truth{0, 0, true} : Truth{v.lo, v.hi, false};
    }
    return Oracle::Interval;
}

Reference::Oracle Reference::evaluate_mpfr(const Environment& env, std::span<Truth> out) {
    return impl_->mpfr_with_fallback(env, out);
}

}  // namespace actjit
