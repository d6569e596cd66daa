#!/usr/bin/env python3
"""Fit every vecmath coefficient set and constant with mpmath; print coefficients.hpp.

    python3 tools/vecmath/fit.py > compiler/llvm/vecmath/coefficients.hpp

Working precision: mpmath at 320 bits (mp.prec).  Each polynomial is a minimax
fit made by the Remez exchange below (weighted: the weight turns the error into
the error of the final function relative to its value), then rounded to double
(or float) and re-measured on a dense grid in 320-bit arithmetic; the header
comment states that measured error of the rounded coefficients.  Deterministic:
no randomness, fixed grids, fixed iteration counts.
"""
import sys
import math
import struct
import mpmath as mp

PREC = 320
mp.mp.prec = PREC
M = mp.mpf


# ---------------------------------------------------------------- helpers
def dbl(x):
    """mpf -> nearest double (coefficients and constants are normal numbers)."""
    return float(M(x))


def flt(x):
    """mpf -> nearest float32 (normal range), returned as a Python float."""
    m, e = mp.frexp(M(x))
    q = int(mp.nint(m * 2**24))
    return math.ldexp(q, int(e) - 24)


def hexd(x):
    return float(x).hex()


def remez(g, W, powers, a, b, iters=40, ngrid=None):
    """Minimax: minimise max_{x in [a,b]} |W(x) (g(x) - sum_i c_i x^powers[i])|.

    Linear Remez exchange with a Chebyshev-spaced search grid and a golden-section
    refinement of every extremum.  Returns (coefficients, levelled error, ok)."""
    n = len(powers)
    a = M(a); b = M(b)
    ngrid = ngrid or 40 * (n + 2)
    grid = [(a + b) / 2 - (b - a) / 2 * mp.cos(mp.pi * j / (ngrid - 1)) for j in range(ngrid)]
    gv = [g(x) for x in grid]
    wv = [W(x) for x in grid]
    pts = [(a + b) / 2 - (b - a) / 2 * mp.cos(mp.pi * (j + M(0.5)) / (n + 1)) for j in range(n + 1)]

    def ev(c, x, gx=None, wx=None):
        gx = g(x) if gx is None else gx
        wx = W(x) if wx is None else wx
        return wx * (gx - mp.fsum(ci * x**p for ci, p in zip(c, powers)))

    c = None
    best = None
    for _ in range(iters):
        A = mp.matrix(n + 1, n + 1)
        rhs = mp.matrix(n + 1, 1)
        for j, x in enumerate(pts):
            wx = W(x)
            for i, p in enumerate(powers):
                A[j, i] = wx * x**p
            A[j, n] = (-1) ** j
            rhs[j] = wx * g(x)
        sol = mp.lu_solve(A, rhs)
        c = [sol[i] for i in range(n)]
        e = [ev(c, x, gx, wx) for x, gx, wx in zip(grid, gv, wv)]
        gmax = max(abs(v) for v in e)
        if best is None or gmax < best[1]:
            best = (c, gmax)
        segs, cur = [], [0]
        for j in range(1, ngrid):
            if e[j] == 0 or e[cur[0]] == 0 or (e[j] > 0) == (e[cur[0]] > 0):
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
            for _ in range(24):
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
        if (emax - emin) / emax < M(10) ** -5:
            break
    return best[0], best[1]


def measure(g, W, powers, coefs, a, b, npts=3000):
    """max weighted error of the given (rounded) coefficients, 320-bit arithmetic."""
    a = M(a); b = M(b)
    m = M(0)
    for j in range(npts):
        x = (a + b) / 2 - (b - a) / 2 * mp.cos(mp.pi * j / (npts - 1))
        gx = g(x)
        m = max(m, abs(W(x) * (gx - mp.fsum(M(ci) * x**p for ci, p in zip(coefs, powers)))))
    return m


def log2s(e):
    return "2^%.1f" % float(mp.log(e, 2)) if e > 0 else "0"


# --------------------------------------------------------------- the fits
SETS = []     # (name, comment, [doubles], ctype)
CONSTS = []   # (name, value, comment, ctype)


def fit_rounded(g, W, deg, a, b, rnd, lo_parts=0, nrefit=6):
    """Minimax fit, then round the coefficients lowest first; after each of the
    first nrefit roundings the higher coefficients are refitted so that they absorb
    it (the remainder is divided by x^(i+1), which keeps the basis a Haar system
    on intervals that contain 0).  Coefficients i < lo_parts are double-double."""
    powers = list(range(deg + 1))
    cache = {}

    def gc(x):
        k = x._mpf_
        if k not in cache:
            cache[k] = g(x)
        return cache[k]
    fixed = []          # exact values of the coefficients already rounded
    his, los = [], []
    c, _ = remez(gc, W, powers, a, b)
    for i in range(deg + 1):
        hi = rnd(c[0])
        if i < lo_parts:
            lo = dbl(c[0] - M(hi))
            los.append(lo)
            fixed.append(M(hi) + M(lo))
        else:
            fixed.append(M(hi))
        his.append(hi)
        c = c[1:]
        if i < deg and i < nrefit:
            done = list(fixed)
            k = i + 1
            R = lambda x, done=done, k=k: (gc(x) - mp.fsum(v * x**j for j, v in enumerate(done))) / x**k
            Wk = lambda x, k=k: W(x) * abs(x)**k
            old = measure(g, W, powers, done + c, a, b, 400)
            cn, _ = remez(R, Wk, list(range(deg - i)), a, b)
            new = measure(g, W, powers, done + cn, a, b, 400)
            if new < old:
                c = cn
    err = measure(g, W, powers, fixed, a, b)
    return his, los, err


def fitset(name, what, g, W, deg, a, b, kind="f64", lo_parts=0, desc_var="z"):
    rnd = dbl if kind == "f64" else flt
    r, los, err = fit_rounded(g, W, deg, a, b, rnd, lo_parts)
    comment = "%s; degree %d in %s on [%s, %s]; minimax, max weighted error %s" % (
        what, deg, desc_var, mp.nstr(M(a), 8), mp.nstr(M(b), 8), log2s(err))
    SETS.append((name, comment, r, "double" if kind == "f64" else "float"))
    if los:
        SETS.append((name + "_lo", "low parts of %s[0..%d] (double-double)" % (name, lo_parts - 1),
                     los, "double"))
    print("fitted %-16s %s" % (name, log2s(err)), file=sys.stderr)
    return r


def sq(z):
    return mp.sqrt(z)


TINY = M(10) ** -40       # left end of fits in z = x^2 (limit point 0 has weight 0)

# exp: e^r = 1 + r + r^2/2 + r^3 * P(r)
EXP_R = M("0.3466")      # ln2/2 = 0.34657359 plus margin for the rounding of k
fitset("exp_f64", "exp: e^r = 1 + r + r^2/2 + r^3*P(r), P below; error relative to e^r",
       lambda r: (mp.exp(r) - 1 - r - r * r / 2) / r**3 if abs(r) > M(10)**-12
       else 1 / M(6) + r / 24 + r * r / 120 + r**3 / 720,
       lambda r: abs(r)**3 / mp.exp(r), 9, -EXP_R, EXP_R, desc_var="r")

# log: log(m) = 2 atanh(s) = 2 s + (2/3) s^3 + s^5 Q(s^2), s = (m-1)/(m+1), m in [sqrt(1/2), sqrt(2)]
LOG_Z = (3 - 2 * mp.sqrt(2))**2 * (1 + M(2)**-20)
fitset("log_f64", "log: log(m) = 2s + (2/3)s^3 + s^5*Q(s^2), s=(m-1)/(m+1); error relative to log(m)",
       lambda z: (2 * mp.atanh(sq(z)) - 2 * sq(z) - 2 * sq(z)**3 / 3) / sq(z)**5,
       lambda z: sq(z)**5 / (2 * mp.atanh(sq(z))), 7, TINY, LOG_Z)

# sin / cos on |r| <= pi/4 + margin
SC_R = M("0.7854")
fitset("sin_f64", "sin: sin(r) = r + r^3*S(r^2); error relative to sin(r)",
       lambda z: (mp.sin(sq(z)) - sq(z)) / sq(z)**3,
       lambda z: sq(z)**3 / mp.sin(sq(z)), 6, TINY, SC_R**2)
fitset("cos_f64", "cos: cos(r) = 1 - r^2/2 + r^4*C(r^2); error relative to cos(r)",
       lambda z: (mp.cos(sq(z)) - 1 + z / 2) / z**2,
       lambda z: z**2 / mp.cos(sq(z)), 5, TINY, SC_R**2)

# atan on |t| <= tan(pi/8) + margin
AT_Z = (mp.sqrt(2) - 1)**2 * (1 + M(2)**-20)
fitset("atan_f64", "atan: atan(t) = t + t^3*A(t^2); error relative to atan(t)",
       lambda z: (mp.atan(sq(z)) - sq(z)) / sq(z)**3,
       lambda z: sq(z)**3 / mp.atan(sq(z)), 11, TINY, AT_Z)

# tanh, sinh near 0 (odd polynomials)
TANH_SMALL = M("0.25")
fitset("tanh_f64", "tanh: tanh(a) = a + a^3*T(a^2) for a < 0.25; error relative to tanh(a)",
       lambda z: (mp.tanh(sq(z)) - sq(z)) / sq(z)**3,
       lambda z: sq(z)**3 / mp.tanh(sq(z)), 7, TINY, (TANH_SMALL * (1 + M(2)**-20))**2)
SINH_SMALL = M("0.5")
fitset("sinh_f64", "sinh: sinh(a) = a + a^3*H(a^2) for a < 0.5; error relative to sinh(a)",
       lambda z: (mp.sinh(sq(z)) - sq(z)) / sq(z)**3,
       lambda z: sq(z)**3 / mp.sinh(sq(z)), 5, TINY, (SINH_SMALL * (1 + M(2)**-20))**2)

# erf near 0: erf(x) = 1.125 x + x*E(x^2), |x| < 0.5 (E(0) = 2/sqrt(pi) - 9/8 is small, so
# the rounding of E's coefficients is harmless; 1.125 is exact)
ERF_SMALL = M("0.5")
fitset("erf_f64", "erf: erf(x) = 1.125*x + x*E(x^2) for |x| < 0.5; error relative to erf(x)",
       lambda z: mp.erf(sq(z)) / sq(z) - M(9) / 8,
       lambda z: sq(z) / mp.erf(sq(z)), 9, TINY, (ERF_SMALL * (1 + M(2)**-20))**2)

# erfc tail: erfc(x) = exp(-x^2) * H(t) / x, t = (x-K)/(x+K), x in [0.5, 27.3]
ERFC_LO = M("0.5")
ERFC_HI = M("27.3")
ERFC_K = 2.0   # chosen by experiment: smallest evaluation error with 3 double-double steps


def erfc_x(t):
    return ERFC_K * (1 + t) / (1 - t)


def erfc_H(t):
    x = erfc_x(t)
    return x * mp.exp(x * x) * mp.erfc(x)


ta = (ERFC_LO - ERFC_K) / (ERFC_LO + ERFC_K) - M(2)**-30
tb = (ERFC_HI - ERFC_K) / (ERFC_HI + ERFC_K) + M(2)**-30
fitset("erfc_f64", "erfc: x*exp(x^2)*erfc(x) = H(t), t = (x-K)/(x+K), K = erfc_k, x in [0.5, 27.3]; error relative to H",
       erfc_H, lambda t: 1 / erfc_H(t), 26, ta, tb, lo_parts=3, desc_var="t")


# --------------------------------------------------------------- float32 sets
# native float versions: every operation in float, fma allowed
fitset("exp_f32", "exp (f32): e^r = 1 + r + r^2*P(r); error relative to e^r",
       lambda r: (mp.exp(r) - 1 - r) / r**2 if abs(r) > M(10)**-12 else M(1) / 2 + r / 6 + r * r / 24,
       lambda r: r * r / mp.exp(r), 4, -EXP_R, EXP_R, kind="f32", desc_var="r")
LOGF_A = mp.sqrt(M(0.5)) - 1 - M(2)**-20
LOGF_B = mp.sqrt(M(2)) - 1 + M(2)**-20
fitset("log_f32", "log (f32): log(1+f) = f + f^2*P(f), f = m-1, m in [sqrt(1/2), sqrt(2)); error relative to log(1+f)",
       lambda f: (mp.log1p(f) - f) / f**2 if abs(f) > M(10)**-12 else -M(1) / 2 + f / 3 - f * f / 4,
       lambda f: f * f / abs(mp.log1p(f)) if f != 0 else M(0), 9, LOGF_A, LOGF_B, kind="f32", desc_var="f")
fitset("tanh_f32", "tanh (f32): tanh(a) = a + a^3*T(a^2) for a < 0.25; error relative to tanh(a)",
       lambda z: (mp.tanh(sq(z)) - sq(z)) / sq(z)**3,
       lambda z: sq(z)**3 / mp.tanh(sq(z)), 3, TINY, (TANH_SMALL * (1 + M(2)**-20))**2, kind="f32")
ERFF_SMALL = M("0.875")
fitset("erf_f32", "erf (f32): erf(x) = x + x*E(x^2) for |x| < 0.875; error relative to erf(x)",
       lambda z: mp.erf(sq(z)) / sq(z) - 1,
       lambda z: sq(z) / mp.erf(sq(z)), 6, TINY, (ERFF_SMALL * (1 + M(2)**-20))**2, kind="f32")
ERFF_C = M("2.375")   # exact in float
fitset("erfc_f32", "erf (f32): exp(a^2)*erfc(a) = G(a - 2.375) for a in [0.875, 3.93], erf = 1 - exp(-a^2)*G; "
       "error relative to erf(a)",
       lambda d: mp.exp((d + ERFF_C)**2) * mp.erfc(d + ERFF_C),
       lambda d: mp.exp(-(d + ERFF_C)**2) / mp.erf(d + ERFF_C), 10,
       ERFF_SMALL - ERFF_C - M(2)**-20, M("3.93") - ERFF_C, kind="f32", desc_var="d = a - 2.375")


# --------------------------------------------------------------- constants
def const(name, value, comment, ctype="double"):
    CONSTS.append((name, value, comment, ctype))


def split_bits(x, nbits):
    """x rounded to nbits significant bits (so that k*hi is exact for |k| < 2^(53-nbits))."""
    m, e = mp.frexp(x)
    return float(mp.ldexp(mp.nint(m * 2**nbits), int(e) - nbits))


LN2 = mp.log(2)
LN2_HI = split_bits(LN2, 42)
const("ln2_hi", LN2_HI, "ln2 to 42 bits: k*ln2_hi exact for |k| < 2^11")
const("ln2_lo", dbl(LN2 - LN2_HI), "ln2 - ln2_hi")
const("inv_ln2", dbl(1 / LN2), "1/ln2")
const("ln2_dd_hi", dbl(LN2), "ln2 as double-double (pow, log): hi")
const("ln2_dd_lo", dbl(LN2 - dbl(LN2)), "ln2 as double-double: lo")
const("two_thirds_hi", dbl(M(2) / 3), "2/3 as double-double (log): hi")
const("two_thirds_lo", dbl(M(2) / 3 - dbl(M(2) / 3)), "2/3 as double-double: lo")
PI = mp.pi
P1 = dbl(PI / 2); P2 = dbl(PI / 2 - P1); P3 = dbl(PI / 2 - P1 - P2)
const("pio2_1", P1, "pi/2 = pio2_1 + pio2_2 + pio2_3 (53+53+53 bits; with fma, x - n*pio2_1 is exact)")
const("pio2_2", P2, "pi/2 - pio2_1")
const("pio2_3", P3, "pi/2 - pio2_1 - pio2_2")
const("two_over_pi", dbl(2 / PI), "2/pi")
const("pio4_hi", dbl(PI / 4), "pi/4 as double-double (atan): hi")
const("pio4_lo", dbl(PI / 4 - dbl(PI / 4)), "pi/4: lo")
const("erfc_k", ERFC_K, "erfc: K in t = (x-K)/(x+K)")
const("erfc_inv2k", dbl(1 / (2 * M(ERFC_K))), "erfc: 1/(2K), for 1/(x+K) = (1-t)/(2K)")
const("two_over_sqrtpi_hi", dbl(2 / mp.sqrt(PI)), "2/sqrt(pi) as double-double (erf of tiny x): hi")
const("two_over_sqrtpi_lo", dbl(2 / mp.sqrt(PI) - dbl(2 / mp.sqrt(PI))), "2/sqrt(pi): lo")
const("sqrt_half", dbl(mp.sqrt(M(0.5))), "sqrt(1/2): log reduces to m in [sqrt(1/2), sqrt(2))")

# thresholds, computed by bisection over doubles with correctly rounded mpmath values
DMAX = M(2)**1024 - M(2)**971
OVF = M(2)**1024 - M(2)**970          # values >= this round to inf


def dnext(x, d):
    return math.nextafter(x, d)


def bisect(pred, lo, hi):
    """pred(lo) False, pred(hi) True, monotone over doubles; return first double with pred True."""
    def key(v):
        i = struct.unpack("<q", struct.pack("<d", v))[0]
        return i if i >= 0 else -(i & 0x7fffffffffffffff)

    def val(k):
        i = k if k >= 0 else (-k) | (1 << 63)
        return struct.unpack("<d", struct.pack("<Q", i & 0xffffffffffffffff))[0]
    a, b = key(lo), key(hi)
    assert not pred(val(a)) and pred(val(b))
    while b - a > 1:
        m = (a + b) // 2
        if pred(val(m)):
            b = m
        else:
            a = m
    return val(b)


exp_ovf = bisect(lambda x: mp.exp(x) >= OVF, 709.0, 710.0)
const("exp_overflow", dnext(exp_ovf, 0), "exp(x) = +inf for x > this (largest x with exp(x) finite)")
exp_unf = bisect(lambda x: mp.exp(x) > M(2)**-1075, -746.0, -745.0)
const("exp_underflow", exp_unf, "exp(x) = +0 for x < this (smallest x with exp(x) > 0)")
em1 = bisect(lambda x: mp.expm1(x) > -1 + M(2)**-54, -40.0, -30.0)
const("expm1_minus_one", dnext(em1, -1e9), "expm1(x) = -1 for x <= this")
tanh1 = bisect(lambda x: 1 - mp.tanh(x) <= M(2)**-54, 15.0, 25.0)
const("tanh_one", tanh1, "tanh(x) = 1 for x >= this")
erf1 = bisect(lambda x: mp.erfc(x) <= M(2)**-54, 5.0, 7.0)
const("erf_one", erf1, "erf(x) = 1 for x >= this")
erfc0 = bisect(lambda x: mp.erfc(x) <= M(2)**-1075, 26.0, 28.0)
const("erfc_underflow", erfc0, "erfc(x) = +0 for x >= this")
erfc2 = bisect(lambda x: mp.erfc(-x) >= 2 - M(2)**-53, 5.0, 7.0)
const("erfc_two", erfc2, "erfc(x) = 2 for x <= -this")
sh_ovf = bisect(lambda x: mp.sinh(x) >= OVF, 710.0, 711.0)
const("sinh_overflow", dnext(sh_ovf, 0), "sinh, cosh = inf for |x| > this")
sg1 = bisect(lambda x: 1 - 1 / (1 + mp.exp(-x)) <= M(2)**-54, 30.0, 40.0)
const("sigmoid_one", sg1, "sigmoid(x) = 1 for x >= this")
sg0 = bisect(lambda x: 1 / (1 + mp.exp(-x)) > M(2)**-1075, -746.0, -745.0)
const("sigmoid_underflow", sg0, "sigmoid(x) = +0 for x < this")
sp0 = bisect(lambda x: mp.log1p(mp.exp(x)) > M(2)**-1075, -746.0, -745.0)
const("softplus_underflow", sp0, "softplus(x) = +0 for x < this")


def sp_is_x(x):
    v = mp.log1p(mp.exp(x))
    return v - x < M(2)**(math.frexp(x)[1] - 54)  # below half an ulp of x (x not a power of 2 there)


spx = bisect(sp_is_x, 20.0, 40.0)
const("softplus_is_x", spx, "softplus(x) = x for x >= this")

# float32 constants and thresholds (bisection over floats)
const("ln2_hi_f32", split_bits(LN2, 16), "ln2 to 16 bits: k*ln2_hi_f32 exact for |k| < 2^8", "float")
const("ln2_lo_f32", flt(LN2 - split_bits(LN2, 16)), "ln2 - ln2_hi_f32", "float")
const("inv_ln2_f32", flt(1 / LN2), "1/ln2", "float")
const("erf_c_f32", flt(ERFF_C), "erf (f32): centre of the G(a - 2.375) polynomial", "float")


def fbisect(pred, lo, hi):
    """first float (as Python float) in [lo, hi] with pred True, monotone."""
    def key(v):
        i = struct.unpack("<i", struct.pack("<f", v))[0]
        return i if i >= 0 else -(i & 0x7fffffff)

    def val(k):
        i = k if k >= 0 else (-k) | (1 << 31)
        return struct.unpack("<f", struct.pack("<I", i & 0xffffffff))[0]
    a, b = key(lo), key(hi)
    assert not pred(val(a)) and pred(val(b))
    while b - a > 1:
        m = (a + b) // 2
        if pred(val(m)):
            b = m
        else:
            a = m
    return val(b)


def fprev(v):
    i = struct.unpack("<i", struct.pack("<f", v))[0]
    return struct.unpack("<f", struct.pack("<i", i - 1 if v > 0 else i + 1))[0]


FOVF = M(2)**128 - M(2)**103
e = fbisect(lambda x: mp.exp(x) >= FOVF, 88.0, 89.0)
const("exp_overflow_f32", fprev(e), "exp (f32) = +inf for x > this", "float")
const("exp_underflow_f32", fbisect(lambda x: mp.exp(x) > M(2)**-150, -104.0, -103.0),
      "exp (f32) = +0 for x < this", "float")
const("tanh_one_f32", fbisect(lambda x: 1 - mp.tanh(x) <= M(2)**-25, 8.0, 10.0),
      "tanh (f32) = 1 for x >= this", "float")
const("erf_one_f32", fbisect(lambda x: mp.erfc(x) <= M(2)**-25, 3.0, 5.0),
      "erf (f32) = 1 for x >= this", "float")
const("sigmoid_one_f32", fbisect(lambda x: 1 - 1 / (1 + mp.exp(-x)) <= M(2)**-25, 15.0, 18.0),
      "sigmoid (f32) = 1 for x >= this", "float")
const("sigmoid_underflow_f32", fbisect(lambda x: 1 / (1 + mp.exp(-x)) > M(2)**-150, -104.0, -103.0),
      "sigmoid (f32) = +0 for x < this", "float")

# 2/pi in 24-bit chunks for Payne-Hanek (two leading zero chunks, then c_0, c_1, ...)
NCH = 51
with mp.workprec(24 * (NCH + 4)):
    big = int(mp.floor(2 / mp.pi * M(2)**(24 * NCH)))
chunks = [0.0, 0.0] + [float((big >> (24 * (NCH - 1 - j))) & 0xffffff) for j in range(NCH)]
SETS.append(("two_over_pi_24", "2/pi = sum_j c_j 2^(-24(j+1)); element j+2 is c_j (24-bit integers); elements 0,1 are 0 (Payne-Hanek)",
             chunks, "double"))


# --------------------------------------------------------------- output
def fmt(v, ctype):
    if ctype == "float":
        s = "%.9g" % v
        if "e" not in s and "." not in s:
            s += ".0"
        return s + "f"
    return repr(v)


def main():
    import textwrap
    out = []

    def w(line):
        if line.startswith("// ") and len(line) > 100:
            out.extend("// " + t for t in textwrap.wrap(line[3:], 97))
        else:
            out.append(line)
    w("// actjit vecmath coefficients and constants: GENERATED by tools/vecmath/fit.py (mpmath, %d bits)." % PREC)
    w("// Arrays are LOWEST degree first, p(z) = c[0] + c[1] z + ...; \"max weighted error\" = measured error")
    w("// of the rounded polynomial relative to the function value. Ulp figures: tools/vecmath/README.md.")
    w("#pragma once")
    w("")
    w("namespace actjit::vecmath {")
    w("")
    w("// ---- polynomial sets: *_f64 for double kernels, *_f32 for native float kernels")
    for name, comment, vals, ctype in SETS:
        if name == "two_over_pi_24":
            continue
        w("// " + comment)
        body = ", ".join(fmt(v, ctype) for v in vals)
        line = "inline constexpr %s %s[] = {%s};" % (ctype, name, body)
        if len(line) <= 100:
            w(line)
        else:
            w("inline constexpr %s %s[] = {" % (ctype, name))
            items = [fmt(v, ctype) for v in vals]
            cur = "   "
            for it in items:
                if len(cur) + len(it) + 2 > 98:
                    w(cur.rstrip())
                    cur = "   "
                cur += " " + it + ","
            w(cur.rstrip())
            w("};")
        w("")
    w("// ---- constants")
    for name, value, comment, ctype in CONSTS:
        w("// " + comment)
        w("inline constexpr %s %s = %s;" % (ctype, name, fmt(value, ctype)))
    w("")
    for name, comment, vals, ctype in SETS:
        if name != "two_over_pi_24":
            continue
        w("// " + comment)
        w("inline constexpr double %s[] = {" % name)
        for i in range(0, len(vals), 6):
            w("    " + " ".join("%.1f," % v for v in vals[i:i + 6]))
        w("};")
    w("")
    w("}  // namespace actjit::vecmath")
    print("\n".join(out))


if __name__ == "__main__":
    main()
