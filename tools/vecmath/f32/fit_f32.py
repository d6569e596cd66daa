#!/usr/bin/env python3
"""Minimax fits for the native-float32 ("fast" precision) vecmath set.

    python3 tools/vecmath/f32/fit_f32.py > tools/vecmath/f32/coefficients_f32.hpp   # ~1-2 min
    python3 tools/vecmath/f32/fit_f32.py exp_p6 tanh_T      # some sets only (header to stdout)

Every polynomial is fitted by a linear Remez exchange in mpmath (128 bits) for the error
that matters to the caller (the weight W turns it into relative error of the final
function value), then made float32-representable by rounding the coefficients one at a
time, lowest degree first, refitting the remaining ones after each rounding so that they
absorb it (fit.py's scheme), and finally by a coordinate search over the last bits
(each coefficient moved by up to +-3 float ulps, accepted while the max error on a dense
grid decreases).  The printed "max error" is that of the float coefficients, measured on
a 4000-point Chebyshev grid plus the Remez extrema, in double arithmetic against mpmath
values (the error is ~2^-28, far above double rounding).  Deterministic: fixed grids,
no randomness.

Output: a C++ header, arrays LOWEST degree first as hex-float literals, each with the
interval, the basis and the fitted max error.  Horner from the end with fma.
"""
import math
import struct
import sys

import mpmath as mp

mp.mp.prec = 128
M = mp.mpf


# ------------------------------------------------------------------ float32 helpers
def f32(x):
    """nearest float32 (normal range) of an mpf or float, as a Python float."""
    x = M(x)
    if x == 0:
        return 0.0
    m, e = mp.frexp(x)
    q = int(mp.nint(m * 2**24))
    return math.ldexp(q, int(e) - 24)


def f32_step(v, n):
    """v moved by n float32 ulps."""
    i = struct.unpack("<i", struct.pack("<f", v))[0]
    if v < 0:
        i = -(i & 0x7FFFFFFF)
    i += n
    if i < 0:
        i = (-i) | 0x80000000
    return struct.unpack("<f", struct.pack("<I", i & 0xFFFFFFFF))[0]


def hexf(v):
    """C++ hex-float literal of a float32 value."""
    if v == 0:
        return "0x0p+0f"
    s = "-" if v < 0 else ""
    m, e = math.frexp(abs(v))           # v = m 2^e, m in [0.5, 1)
    q = int(m * 2**24)                  # 24-bit integer
    assert q * 2.0**(e - 24) == abs(v)
    # write as 0x1.hhhhhhp+E: q = 2^23 + frac
    frac = (q - 2**23) << 1             # 24 bits of fraction -> 6 hex digits
    return "%s0x1.%06xp%+df" % (s, frac, e - 1)


def log2s(e):
    return "2^%.2f" % math.log2(e) if e > 0 else "0"


# ------------------------------------------------------------------ Remez
def cheb_grid(a, b, n):
    return [(a + b) / 2 - (b - a) / 2 * mp.cos(mp.pi * j / (n - 1)) for j in range(n)]


def remez(g, W, basis, a, b, iters=30, ngrid=None, init=None):
    """min over c of max_{x in [a,b]} |W(x) (g(x) - sum_i c_i basis_i(x))|.
    basis: list of callables.  Returns (c, err, extrema)."""
    n = len(basis)
    a = M(a); b = M(b)
    ngrid = ngrid or 60 * (n + 2)
    grid = cheb_grid(a, b, ngrid)
    gv = [g(x) for x in grid]
    wv = [W(x) for x in grid]
    bv = [[f(x) for f in basis] for x in grid]
    pts = [(a + b) / 2 - (b - a) / 2 * mp.cos(mp.pi * (j + M(0.5)) / (n + 1)) for j in range(n + 1)]
    if init is not None and len(init) >= n + 1:
        # warm start from a previous alternation set: keep n+1 of its points, spread out
        init = sorted(init)
        step = (len(init) - 1) / M(n)
        pts = [init[int(mp.nint(j * step))] for j in range(n + 1)]

    def ev(c, x):
        return W(x) * (g(x) - mp.fsum(ci * f(x) for ci, f in zip(c, basis)))

    best = None
    c = None
    for _ in range(iters):
        A = mp.matrix(n + 1, n + 1)
        rhs = mp.matrix(n + 1, 1)
        for j, x in enumerate(pts):
            wx = W(x)
            for i, f in enumerate(basis):
                A[j, i] = wx * f(x)
            A[j, n] = (-1) ** j
            rhs[j] = wx * g(x)
        sol = mp.lu_solve(A, rhs)
        c = [sol[i] for i in range(n)]
        e = [wx * (gx - mp.fsum(ci * bi for ci, bi in zip(c, bx))) for gx, wx, bx in zip(gv, wv, bv)]
        gmax = max(abs(v) for v in e)
        if best is None or gmax < best[1]:
            best = (c, gmax)
        # one extremum per sign run, refined by golden section
        segs, cur = [], [0]
        tiny = gmax * M(10)**-3
        for j in range(1, ngrid):
            if abs(e[j]) < tiny or abs(e[cur[0]]) < tiny or (e[j] >= 0) == (e[cur[0]] >= 0):
                cur.append(j)
            else:
                segs.append(cur)
                cur = [j]
        segs.append(cur)
        ext = []
        gr = (mp.sqrt(5) - 1) / 2
        for s in segs:
            j = max(s, key=lambda k: abs(e[k]))
            lo = grid[max(j - 1, 0)]
            hi = grid[min(j + 1, ngrid - 1)]
            f = lambda x: -abs(ev(c, x))
            x1 = hi - gr * (hi - lo); x2 = lo + gr * (hi - lo)
            f1 = f(x1); f2 = f(x2)
            for _ in range(20):
                if f1 < f2:
                    hi, x2, f2 = x2, x1, f1
                    x1 = hi - gr * (hi - lo); f1 = f(x1)
                else:
                    lo, x1, f1 = x1, x2, f2
                    x2 = lo + gr * (hi - lo); f2 = f(x2)
            xb, fb = (x1, f1) if f1 < f2 else (x2, f2)
            ext.append(xb if fb < -abs(e[j]) else grid[j])
        while len(ext) > n + 1:
            if abs(ev(c, ext[0])) < abs(ev(c, ext[-1])):
                ext.pop(0)
            else:
                ext.pop()
        if len(ext) < n + 1:
            break
        emax = max(abs(ev(c, x)) for x in ext)
        emin = min(abs(ev(c, x)) for x in ext)
        pts = ext
        if (emax - emin) / emax < M(10) ** -4:
            break
    return best[0], best[1], pts


# ------------------------------------------------------------------ float rounding
class Fit:
    """A fit of g on [a, b] in powers of the variable v(x) (default x itself):
    g(x) ~ sum_i c_i v^powers[i], minimising |W (g - p)|.  `fixed` gives
    coefficients held at exact values (e.g. c0 = 1)."""

    def __init__(self, name, what, g, W, powers, a, b, var=None, fixed=None, var_desc="x", split0=False):
        self.split0 = split0            # c0 as float hi + lo (lo added separately)
        self.name, self.what, self.g, self.W = name, what, g, W
        self.powers, self.a, self.b = powers, M(a), M(b)
        self.var = var or (lambda x: x)
        self.fixed = fixed or {}
        self.var_desc = var_desc

    def run(self):
        free = [p for p in self.powers if p not in self.fixed]
        var, g, W = self.var, self.g, self.W
        cache = {}

        def gc(x):
            k = x._mpf_
            if k not in cache:
                cache[k] = g(x) - mp.fsum(M(c) * var(x)**p for p, c in self.fixed.items())
            return cache[k]
        # fixed coefficients are subtracted; the free ones are fitted, then rounded
        # lowest first with refits of the rest.  Each refit divides by v^q0 (q0 the
        # lowest remaining power) so that its basis 1, v, v^2... stays a Haar system
        # on intervals containing v = 0 (the weight takes the factor |v|^q0).
        done = {}
        remaining = list(free)

        def refit(R, rem, iters, init=None):
            q0 = rem[0]
            Rq = lambda x: R(x) / var(x)**q0 if q0 else R(x)
            Wq = lambda x: W(x) * abs(var(x))**q0 if q0 else W(x)
            cn, _, ext = remez(Rq, Wq, [lambda x, q=q: var(x)**(q - q0) for q in rem],
                               self.a, self.b, iters=iters, init=init)
            return cn, ext
        c, ext = refit(gc, remaining, 30)
        cur = dict(zip(remaining, c))
        allext = list(ext)
        self.lo0 = None
        while remaining:
            p = remaining.pop(0)
            base = f32(cur[p])
            if not remaining:
                done[p] = base
                break
            if p == 0 and self.split0:
                hi = base
                lo = f32(cur[0] - M(hi))
                self.lo0 = lo
                done[0] = M(hi) + M(lo)
                R = lambda x, t=dict(done): gc(x) - mp.fsum(M(v) * var(x)**q for q, v in t.items())
                cn, ext = refit(R, remaining, 12, init=ext)
                cur.update(dict(zip(remaining, cn)))
                allext += ext
                continue
            # try the nearest floats for c_p; keep the one whose refit of the rest is best
            best = None
            prev = [cur[q] for q in remaining]
            for d in (0, -1, 1, -2, 2):
                cand = f32_step(base, d)
                trial = dict(done)
                trial[p] = cand
                R = lambda x, t=trial: gc(x) - mp.fsum(M(v) * var(x)**q for q, v in t.items())
                # keeping the previous higher coefficients is always a candidate: a refit
                # (warm-started from the last alternation set) must beat it
                opts = [(prev, [])]
                try:
                    opts.append(refit(R, remaining, 12, init=ext))
                except ZeroDivisionError:
                    pass
                for cn, ext2 in opts:
                    e = self.err_mp(trial, dict(zip(remaining, cn)), gc)
                    if best is None or e < best[0]:
                        best = (e, cand, cn, ext2 or ext)
            done[p] = best[1]
            cur.update(dict(zip(remaining, best[2])))
            ext = best[3]
            allext += ext
        # dense grid in double for the last-bit search
        grid = cheb_grid(self.a, self.b, 4000) + allext
        self.gx = [(float(var(x)), float(gc(x)), float(W(x))) for x in grid]
        coefs = [float(done[p]) for p in free]
        if self.lo0 is not None:
            # the search moves hi parts only; c0 = hi + lo stays exact (lo re-rounded)
            pass
        err = self.err(free, coefs)
        improved = True
        passes = 0
        while improved and passes < 8:
            improved = False
            passes += 1
            for i in range(len(coefs)):
                if self.split0 and free[i] == 0:
                    continue
                for d in (1, -1, 2, -2, 3, -3):
                    trial = list(coefs)
                    trial[i] = f32_step(coefs[i], d)
                    e2 = self.err(free, trial)
                    if e2 < err:
                        coefs, err, improved = trial, e2, True
                        break
        self.result = dict(self.fixed)
        self.result.update(dict(zip(free, coefs)))
        if self.lo0 is not None:
            self.result[0] = f32(M(coefs[free.index(0)]))      # hi part (hi + lo kept exact)
        self.maxerr = err
        return self

    def err_mp(self, fixed, rest, gc):
        """max weighted error (mpmath, 300-point grid) of fixed + rest coefficients."""
        if not hasattr(self, "_g300"):
            pts = cheb_grid(self.a, self.b, 300)
            self._g300 = [(self.var(x), gc(x), self.W(x)) for x in pts]
        allc = dict(fixed)
        allc.update(rest)
        return max(abs(w * (gv - mp.fsum(M(c) * v**p for p, c in allc.items()))) for v, gv, w in self._g300)

    def err(self, free, coefs):
        m = 0.0
        for v, gv, w in self.gx:
            s = 0.0
            for p, c in sorted(zip(free, coefs), reverse=True):
                pass
            # Horner over all powers 0..max (missing = 0)
            s = 0.0
            vp = [v**p for p in free]
            s = math.fsum(c * t for c, t in zip(coefs, vp))
            e = abs(w * (gv - s))
            if e > m:
                m = e
        return m

    def array(self):
        deg = max(self.powers)
        return [self.result.get(p, 0.0) for p in range(deg + 1)]


FITS = {}


def fit(name, *args, **kw):
    FITS[name] = (args, kw)


def sq(z):
    return mp.sqrt(z)


LN2 = mp.log(2)
EXP_R = LN2 / 2 * (1 + M(2)**-16)      # |r| <= ln2/2 (k = roundeven of the exact x/ln2) + margin

# ---- exp: e^r = 1 + r*(c1 + c2 r + ... + cN r^(N-1)), relative error
for N in (5, 6):
    fit("exp_p%d" % N, "exp: e^r = c0 + c1 r + ... + c%d r^%d, |r| <= ln2/2; error relative to e^r" % (N, N),
        lambda r: mp.exp(r), lambda r: 1 / mp.exp(r), list(range(0, N + 1)), -EXP_R, EXP_R,
        var_desc="r")

# shifted reduction for sigmoid/silu: k = roundeven((x - EXPS_SHIFT)/ln2), so that
# r in [ln(3/4), ln(3/2)] and P = e^r in [3/4, 3/2]: P - 1 in [-1/4, 1/2]
EXPS_SHIFT = f32(LN2 / 2 - mp.log(M(4) / 3))       # 0.0589 (rounded to float)
EXPS_A = LN2 / -2 + EXPS_SHIFT - M(2)**-16
EXPS_B = LN2 / 2 + EXPS_SHIFT + M(2)**-16
fit("exps_p6", "exp, shifted reduction: e^r = c0 + c1 r + ... + c6 r^6, r in [ln(3/4), ln(3/2)] + margin; "
    "error relative to e^r", lambda r: mp.exp(r), lambda r: 1 / mp.exp(r), list(range(0, 7)), EXPS_A, EXPS_B,
    var_desc="r")

# a smaller shift for the gelu tail (P in [0.73, 1.46]): its worst cases sit at P = 3/2
EXPG_SHIFT = f32(M("0.03"))
fit("expg_p6", "exp, shift 0.03: e^r = c0 + ... + c6 r^6, r in [-ln2/2 + 0.03, ln2/2 + 0.03] + margin; "
    "error relative to e^r", lambda r: mp.exp(r), lambda r: 1 / mp.exp(r), list(range(0, 7)),
    -LN2 / 2 + EXPG_SHIFT - M(2)**-16, LN2 / 2 + EXPG_SHIFT + M(2)**-16, var_desc="r")

# ---- tanh near 0: tanh(a) = a + a^3 T(a^2), relative error of tanh
TINY = M(10)**-30
for tag, c, deg in (("055", "0.55", 4), ("0625", "0.625", 5), ("070", "0.7", 5)):
    C = M(c) * (1 + M(2)**-20)
    fit("tanh_T%s" % tag, "tanh: tanh(a) = a + a^3*T(a^2) for |a| < %s; error relative to tanh(a)" % c,
        lambda z: (mp.tanh(sq(z)) - sq(z)) / sq(z)**3, lambda z: sq(z)**3 / mp.tanh(sq(z)),
        list(range(deg + 1)), TINY, C * C, var_desc="z = a^2")


# ---- gelu(x) = 0.5 x (1 + erf(x/sqrt2)) = x Phi(x)
SQ2 = mp.sqrt(2)


def gelu_m(x):
    return x * mp.erfc(-x / SQ2) / 2


# |x| < 0.7: gelu = x/2 + x^2 Q(x^2), Q(z) = erf(x/sqrt2)/(2x); the error of Q enters as
# x^2 dQ, weighed against |gelu(-|x|)| (the negative side, where x/2 and x^2 Q cancel)
GELU_C = M("0.7")
fit("gelu_Q", "gelu, |x| < 0.7: gelu(x) = x/2 + x^2*Q(x^2); error x^2 dQ relative to |gelu(-|x|)|",
    lambda z: mp.erf(sq(z) / SQ2) / (2 * sq(z)), lambda z: z / abs(gelu_m(-sq(z))),
    list(range(6)), TINY, (GELU_C * (1 + M(2)**-20))**2, var_desc="z = x^2")
# |x| >= 0.7: G(a) = |gelu(-a)| = (a/2) erfc(a/sqrt2) = e^(-a^2/2) R(t), t = (a-4)/(a+4),
# a in [0.7, 14.5] (beyond, G < 2^-150); R = (a/2) erfc(a/sqrt2) e^(a^2/2) in [0.21, 0.40].
# R is sensitive to a (d log R / d log a = 0.53 at a = 0.7) and t = 1 - 8/(a+4) is
# computed as th + tl (see reference_f32.hpp): R(th + tl) = R(th) + R'(th) tl, with
# tl = -8 u rho' and D(t) ~ -8 R'(t) from the linear fit gelu_D (a few percent is
# plenty: |tl| < 2^-22).  c0 is split hi + lo (t = 0 is inside the interval, so the
# rounding of c0 could not be absorbed by the other coefficients).
GELU_K = M(4)


def gelu_a_of(t):
    return GELU_K * (1 + t) / (1 - t)


def gelu_R(t):
    a = gelu_a_of(t)
    return a / 2 * mp.erfc(a / SQ2) * mp.exp(a * a / 2)


GELU_TA = (GELU_C * (1 - M(2)**-20) - GELU_K) / (GELU_C * (1 - M(2)**-20) + GELU_K)
GELU_TB = (M("14.5") - GELU_K) / (M("14.5") + GELU_K) + M(2)**-22
for deg in (8, 9):
    fit("gelu_R%d" % deg, "gelu tail: |gelu(-a)| = e^(-a^2/2) R(t), t = (a-4)/(a+4), a in [0.7, 14.5]; error relative to R",
        gelu_R, lambda t: 1 / gelu_R(t), list(range(deg + 1)), GELU_TA, GELU_TB, var_desc="t", split0=True)
# D multiplies u rho' (|rho'| < 2^-23, u = (1 - t)/8): weight u/R makes the error that of R
fit("gelu_D", "gelu tail: -8 R'(t) ~ D(t) (quadratic), for the correction R(th + tl) = R(th) + D u rho'; "
    "error |dD| u / R", lambda t: -8 * mp.diff(gelu_R, t), lambda t: (1 - t) / (8 * gelu_R(t)), [0, 1, 2],
    GELU_TA, GELU_TB, var_desc="t")
fit("gelu_D3", "gelu tail: -8 R'(t) ~ D(t) (cubic variant); error |dD| u / R",
    lambda t: -8 * mp.diff(gelu_R, t), lambda t: (1 - t) / (8 * gelu_R(t)), [0, 1, 2, 3],
    GELU_TA, GELU_TB, var_desc="t")


# ---- softplus / log1p: log1p(E) = 2 atanh(s), s = E/(2+E) in [0, 1/3];
# atanh(s)/s = 1 + w T(w) with w = (2s)^2 = 4 s^2 in [0, 4/9] (2s = E*(2/(2+E)) is what
# the kernel has); error of w T absolute (relative to atanh(s)/s)
def atanh_ratio(w):
    s = sq(w) / 2
    return mp.atanh(s) / s


for deg in (3, 4, 5):
    fit("atanh_T%d" % deg, "log1p via atanh: atanh(s)/s = 1 + w*T(w), w = 4s^2 in [0, 4/9] (s <= 1/3); "
        "error of w*T relative to atanh(s)/s", lambda w: (atanh_ratio(w) - 1) / w,
        lambda w: w / atanh_ratio(w), list(range(deg + 1)), TINY, M(4) / 9 * (1 + M(2)**-20), var_desc="w = 4s^2")


# ---- expm1: e^r - 1 = r + r^2 S(r), S degree 4 (total degree 6), |r| <= ln2/2,
# error relative to e^r - 1 (the k = 0 range needs it relative, down to tiny r)
fit("expm1_S", "expm1: e^r - 1 = r + r^2*S(r), |r| <= ln2/2 (elu, k <= 0); error relative to e^r - 1",
    lambda r: (mp.expm1(r) - r) / r**2 if abs(r) > M(10)**-30 else M(1) / 2 + r / 6,
    lambda r: r * r / abs(mp.expm1(r)) if r != 0 else M(0), list(range(5)), -EXP_R, EXP_R, var_desc="r")
# general expm1, shifted reduction (r in [ln(3/4), ln(3/2)]): for k = 1, 2T - 1 + 2T Pm
# cancels less (P >= 3/4)
fit("expm1s_S", "expm1, shifted reduction: e^r - 1 = r + r^2*S(r), r in [ln(3/4), ln(3/2)]; error relative to e^r - 1",
    lambda r: (mp.expm1(r) - r) / r**2 if abs(r) > M(10)**-30 else M(1) / 2 + r / 6,
    lambda r: r * r / abs(mp.expm1(r)) if r != 0 else M(0), list(range(6)), EXPS_A, EXPS_B, var_desc="r")

# ---- log: log(1+f) = f + f^2 P(f), f = m - 1, m in [sqrt(1/2), sqrt(2)); error relative
# to log1p(f)
LOGF_A = mp.sqrt(M(0.5)) - 1 - M(2)**-20
LOGF_B = mp.sqrt(M(2)) - 1 + M(2)**-20
for deg in (7, 8):
    fit("log_P%d" % deg, "log: log(1+f) = f + f^2*P(f), f in [sqrt(1/2)-1, sqrt(2)-1]; error relative to log1p(f)",
        lambda f: (mp.log1p(f) - f) / f**2 if abs(f) > M(10)**-30 else -M(1) / 2 + f / 3,
        lambda f: f * f / abs(mp.log1p(f)) if f != 0 else M(0), list(range(deg + 1)), LOGF_A, LOGF_B, var_desc="f")


# ---- erf, erfc
# |x| < 1: erf(x) = x + x E(x^2), erfc(x) = (1 - x) - x E(x^2) with 1 - x exact as s + e;
# error of x E relative to min(erf, erfc) (erfc(1) = 0.157 is the smallest result)
ERF_C = M("1")
fit("erf_E", "erf, |x| < 1: erf(x) = x + x*E(x^2), erfc = (1-x) - x*E; error relative to min(erf, erfc)",
    lambda z: mp.erf(sq(z)) / sq(z) - 1, lambda z: sq(z) / min(mp.erf(sq(z)), mp.erfc(sq(z))), list(range(7)),
    TINY, (ERF_C * (1 + M(2)**-20))**2, var_desc="z = x^2")
# erfc's small path needs E at z + zl (z = x^2 rounded): E(z + zl) = E(z) + E'(z) zl, E' linear
fit("erf_dE", "erfc, |x| < 1: E'(z) ~ linear, for E(z + zl) = E(z) + E'(z) zl; error relative to |E'|",
    lambda z: mp.diff(lambda w: mp.erf(sq(w)) / sq(w), z), lambda z: 1 / abs(mp.diff(lambda w: mp.erf(sq(w)) / sq(w), z)),
    [0, 1], TINY, (ERF_C * (1 + M(2)**-20))**2, var_desc="z = x^2")
# |x| >= 1: erfc(a) = e^(-a^2) H(t), t = (a-4)/(a+4), a in [1, 10.1] (erfc(10.06) < 2^-150);
# K = 4 keeps th = 1 - 8u exact up to a = 12 (H ~ 1/a is fully sensitive to a there)
ERFC_K = M(4)


def erfc_H(t):
    a = ERFC_K * (1 + t) / (1 - t)
    return mp.erfc(a) * mp.exp(a * a)


ERFC_TA = (ERF_C * (1 - M(2)**-20) - ERFC_K) / (ERF_C * (1 - M(2)**-20) + ERFC_K)
ERFC_TB = (M("10.1") - ERFC_K) / (M("10.1") + ERFC_K) + M(2)**-22
for deg in (9,):
    fit("erfc_H%d" % deg, "erfc tail: erfc(a) = e^(-a^2) H(t), t = (a-4)/(a+4), a in [1, 10.1]; error relative to H",
        erfc_H, lambda t: 1 / erfc_H(t), list(range(deg + 1)), ERFC_TA, ERFC_TB, var_desc="t", split0=True)
fit("erfc_D", "erfc tail: -8 H'(t) ~ D(t) (cubic), for H(th + tl) = H(th) + D u rho'; error |dD| u / H",
    lambda t: -8 * mp.diff(erfc_H, t), lambda t: (1 - t) / (8 * erfc_H(t)), [0, 1, 2, 3],
    ERFC_TA, ERFC_TB, var_desc="t")


# ---- constants (float32), printed after the polynomials
def f32_down(x):
    m, e = mp.frexp(M(x))
    return math.ldexp(int(mp.floor(m * 2**24)), int(e) - 24)


def f32_bits(x, nbits):
    m, e = mp.frexp(M(x))
    return math.ldexp(int(mp.nint(m * 2**nbits)), int(e) - nbits)


GT_C1 = 2 * mp.sqrt(2 / mp.pi)
GT_C3 = GT_C1 * M("0.044715")
CONSTS = [
    ("inv_ln2", f32(1 / LN2), "1/ln2 rounded"),
    ("ln2_hi", f32_down(LN2), "ln2 rounded DOWN to 24 bits (k*ln2_hi exact in the fma; ln2_lo > 0)"),
    ("ln2_lo", f32(LN2 - f32_down(LN2)), "ln2 - ln2_hi"),
    ("exps_shift", EXPS_SHIFT, "ln2/2 - ln(4/3): shifted reduction, r in [ln 3/4, ln 3/2]"),
    ("expg_shift", EXPG_SHIFT, "gelu tail's reduction shift (P in [0.73, 1.46])"),
    ("ln2c_hi", f32_bits(LN2, 16), "ln2 to 16 bits (log: k*ln2c_hi exact for |k| <= 149)"),
    ("ln2c_lo", f32(LN2 - f32_bits(LN2, 16)), "ln2 - ln2c_hi"),
    ("gt_c1h", f32(GT_C1), "gelu_tanh: 2 sqrt(2/pi) as a float pair, hi"),
    ("gt_c1l", f32(GT_C1 - f32(GT_C1)), "lo"),
    ("gt_c3h", f32(GT_C3), "gelu_tanh: 2 sqrt(2/pi) * 0.044715 as a float pair, hi"),
    ("gt_c3l", f32(GT_C3 - f32(GT_C3)), "lo"),
]


def fit_names(argv):
    return [a for a in argv if not a.startswith("-")] or list(FITS)


def main():
    names = fit_names(sys.argv[1:])
    out = []
    out.append("// actjit fast-f32 vecmath coefficients: GENERATED by tools/vecmath/f32/fit_f32.py")
    out.append("// (mpmath Remez, float32-rounded with refits and a last-bit search). Arrays LOWEST degree")
    out.append("// first: p(v) = c[0] + c[1] v + ...; Horner from the end with fma.")
    out.append("#pragma once")
    out.append("")
    out.append("namespace actjit::vecmath::f32fast {")
    out.append("")
    for nm in names:
        args, kw = FITS[nm]
        f = Fit(nm, *args, **kw).run()
        arr = f.array()
        print("fitted %-14s max error %s" % (nm, log2s(f.maxerr)), file=sys.stderr)
        out.append("// %s" % f.what)
        out.append("// in %s on [%s, %s]; float coefficients, max weighted error %s (%.3e)" % (
            f.var_desc, mp.nstr(f.a, 9), mp.nstr(f.b, 9), log2s(f.maxerr), f.maxerr))
        items = [hexf(v) for v in arr]
        line = "inline constexpr float %s[] = {%s};" % (nm, ", ".join(items))
        if len(line) <= 100:
            out.append(line)
        else:
            out.append("inline constexpr float %s[] = {" % nm)
            curl = "   "
            for it in items:
                if len(curl) + len(it) + 2 > 98:
                    out.append(curl.rstrip())
                    curl = "   "
                curl += " " + it + ","
            out.append(curl.rstrip())
            out.append("};")
        if f.lo0 is not None:
            out.append("// low part of %s[0] (c0 = hi + lo, lo added in the final step)" % nm)
            out.append("inline constexpr float %s_lo0 = %s;" % (nm, hexf(f.lo0)))
        out.append("")
    if not sys.argv[1:]:
        out.append("// ---- constants")
        for nm, v, what in CONSTS:
            out.append("// " + what)
            out.append("inline constexpr float %s = %s;" % (nm, hexf(v)))
        out.append("")
    out.append("}  // namespace actjit::vecmath::f32fast")
    print("\n".join(out))


if __name__ == "__main__":
    main()
