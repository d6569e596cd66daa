#!/usr/bin/env python3
"""Reference of the actjit vecmath algorithms in pure Python double arithmetic,
written op for op as the IR computes them, and an accuracy checker against mpmath.

    python3 tools/vecmath/reference.py            # every function, 20,000+ points each
    python3 tools/vecmath/reference.py exp sin    # some functions
    python3 tools/vecmath/reference.py --quick    # 2,000 points each

Conventions (the IR writer's contract):
  * every arithmetic operation is one IEEE double operation (Python float ops are);
    fma(a, b, c) is a fused multiply-add (llvm.fma), emulated exactly here;
    the comment `# FMA` marks the places where contracting or splitting it breaks accuracy;
  * sel(c, a, b) is a vector select; no branches depend on data;
  * bits()/from_bits() are bitcasts, >>, <<, &, + on them are i64 lane operations;
  * roundeven/floor are llvm.roundeven/llvm.floor; int(k) converts an already
    integral, clamped double to i64 (never a NaN or an out-of-range value);
  * the only data-indexed load is the Payne-Hanek table (a gather), used only
    when some lane of sin/cos has |x| >= 2^30.
Coefficients and constants are read from compiler/llvm/vecmath/coefficients.hpp, so
this file checks exactly what the header holds.
"""
import math
import os
import random
import re
import struct
import sys
import time

import mpmath as mp

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = os.path.join(HERE, "..", "..", "compiler", "llvm", "vecmath", "coefficients.hpp")
INF = math.inf
NAN = math.nan


# ------------------------------------------------------------------ coefficients
def load_header(path=HEADER):
    """name -> value or list; float-typed entries are rounded to float32 as C++ does."""
    text = open(path).read()
    c = {}
    for m in re.finditer(r"inline constexpr (double|float) (\w+)\[\] = \{([^}]*)\};", text):
        r = f32 if m.group(1) == "float" else float
        c[m.group(2)] = [r(float(v.strip().rstrip("f"))) for v in m.group(3).split(",") if v.strip()]
    for m in re.finditer(r"inline constexpr (double|float) (\w+) = ([^;]+);", text):
        r = f32 if m.group(1) == "float" else float
        c[m.group(2)] = r(float(m.group(3).rstrip("f")))
    return c


# ------------------------------------------------------------------ IEEE helpers
def bits(x):
    """bitcast double -> i64"""
    return struct.unpack("<q", struct.pack("<d", x))[0]


def from_bits(i):
    """bitcast i64 -> double"""
    return struct.unpack("<d", struct.pack("<Q", i & 0xFFFFFFFFFFFFFFFF))[0]


def _round_exact(n, e, p, umin, emax):
    """n * 2^e (exact, n integer) rounded to nearest-even with p bits, smallest unit 2^umin,
    overflow at 2^emax."""
    if n == 0:
        return 0.0
    s = -1.0 if n < 0 else 1.0
    N = abs(n)
    E = e + N.bit_length() - 1
    u = max(E - (p - 1), umin)
    sh = u - e
    if sh > 0:
        q, r = divmod(N, 1 << sh)
        h = 1 << (sh - 1)
        if r > h or (r == h and (q & 1)):
            q += 1
    else:
        q, u = N, e
    if q.bit_length() + u > emax:
        return s * INF
    return s * math.ldexp(float(q), u)


def _split(x):
    m, e = math.frexp(x)
    return int(m * (1 << 53)), e - 53


def _fma(a, b, c, p, umin, emax):
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c
    if a == 0 or b == 0:
        return a * b + c
    ma, ea = _split(a)
    mb, eb = _split(b)
    n1, e1 = ma * mb, ea + eb
    if c == 0:
        return _round_exact(n1, e1, p, umin, emax)
    mc, ec = _split(c)
    e = min(e1, ec)
    n = (n1 << (e1 - e)) + (mc << (ec - e))
    if n == 0:
        return 0.0
    return _round_exact(n, e, p, umin, emax)


def fma(a, b, c):
    """llvm.fma.f64: a*b + c with one rounding (exact emulation)."""
    return _fma(a, b, c, 53, -1074, 1024)


def fma32(a, b, c):
    """llvm.fma.f32 on float32 values."""
    return _fma(a, b, c, 24, -149, 128)


def f32(x):
    """fptrunc double -> float (round to nearest even), result held in a Python float."""
    if not math.isfinite(x) or x == 0:
        return x
    m, e = math.frexp(x)
    return _round_exact(int(m * (1 << 53)), e - 53, 24, -149, 128)


C = None  # filled below, once f32() exists


def div(a, b):
    """IEEE division (Python raises on /0)."""
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def sqrt(a):
    if a != a or a < 0:
        return NAN
    return math.sqrt(a)


def roundeven(x):
    if not math.isfinite(x) or abs(x) >= 4503599627370496.0:
        return x
    r = float(round(x))
    return math.copysign(r, x) if r == 0 else r


def floor(x):
    if not math.isfinite(x):
        return x
    return float(math.floor(x))


def sel(c, a, b):
    return a if c else b


def copysign(a, b):
    return math.copysign(a, b)


def fabs(a):
    return abs(a)


def two_sum(a, b):
    """Knuth: s + e == a + b exactly (6 flops, any a, b)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def fast_two_sum(a, b):
    """Dekker: s + e == a + b exactly when exponent(a) >= exponent(b) (3 flops)."""
    s = a + b
    return s, b - (s - a)


def two_prod(a, b):
    p = a * b
    return p, fma(a, b, -p)                      # FMA: exact product error


def horner(c, z):
    p = c[-1]
    for ci in reversed(c[:-1]):
        p = fma(p, z, ci)                         # FMA (plain p*z+c costs ~0.1 ulp)
    return p


def pow2i(k):
    """2^k, k integer in [-1022, 1023]: (k + 1023) << 52 bitcast to double."""
    return from_bits((k + 1023) << 52)


def scale(y, k):
    """y * 2^k for k in [-2044, 2046] with one final rounding (subnormal and
    overflow results right): two exponent-bit factors 2^(k>>1) and 2^(k-(k>>1))."""
    k1 = k >> 1
    return (y * pow2i(k1)) * pow2i(k - k1)


def isnan(x):
    return x != x


C = load_header()
globals().update({k: v for k, v in C.items()})


# ------------------------------------------------------------------ exp core
def exp_core(xh, xl):
    """e^(xh + xl) = 2^k (1 + r + h2 + t); |xl| small (low part of a double-double input).
    Requires xh in [-746, 711] (callers clamp).  Returns k (int), r, h2, t:
    1 + r and r + h2 are formed by the callers with fast_two_sum."""
    k = roundeven(xh * inv_ln2)
    rh = fma(-k, ln2_hi, xh)                     # exact (k*ln2_hi exact, Sterbenz)
    r = fma(-k, ln2_lo, rh)                      # FMA
    rl = fma(-k, ln2_lo, rh - r) + xl            # FMA: rounding error of r, + input low part
    h = r * r
    hl = fma(r, r, -h)                           # FMA: exact square
    h2 = 0.5 * h
    p = horner(exp_f64, r)
    hr = h * r
    er = ((1.0 + r) + h2) + hr * p               # e^r to ~2^-53, multiplies rl
    t = fma(hr, p, 0.5 * hl + rl * er)           # FMA
    return int(k), r, h2, t


def exp_dd(xh, xl):
    """e^x = 2^k (yh + yl), relative error ~2^-60."""
    k, r, h2, t = exp_core(xh, xl)
    s1, e1 = fast_two_sum(1.0, r)
    s2, e2 = fast_two_sum(s1, h2)
    yh, yl = fast_two_sum(s2, (e1 + e2) + t)     # renormalise: |yl| <= ulp(yh)/2
    return k, yh, yl


def v_exp(x):
    xc = sel(x > -746.0, x, -746.0)              # NaN -> -746 (fixed up at the end)
    xc = sel(xc < 710.0, xc, 710.0)
    k, yh, yl = exp_dd(xc, 0.0)
    r = scale(yh + yl, k)
    r = sel(x > exp_overflow, INF, r)
    r = sel(x < exp_underflow, 0.0, r)
    return sel(isnan(x), x, r)


def v_expm1(x):
    xc = sel(x > -40.0, x, -40.0)
    xc = sel(xc < 710.0, xc, 710.0)
    k, r, h2, t = exp_core(xc, 0.0)
    uh, u1 = fast_two_sum(r, h2)                 # e^r - 1 = uh + ul
    ul = u1 + t
    kk = min(k, 1000)                            # integer select; 2^k for k > 1000 in two steps
    T = pow2i(kk)
    ch, cl = two_sum(T, -1.0)                    # 2^k - 1 exactly
    s, e = two_sum(ch, T * uh)
    res = s + (e + (cl + T * ul))
    res = res * pow2i(k - kk)
    res = sel(x > exp_overflow, INF, res)
    res = sel(x <= expm1_minus_one, -1.0, res)
    res = sel(fabs(x) < 2.0**-54, x, res)        # tiny: x itself (keeps -0)
    return sel(isnan(x), x, res)


# ------------------------------------------------------------------ log core
SQRT_HALF_BITS = bits(sqrt_half)


def log_core(uh, ul, kadd, ul2=0.0):
    """log(uh + ul + ul2) + kadd*ln2 as a double-double, relative error ~2^-68.
    uh positive, finite, normal; |ul| <= ulp(uh), |ul2| <= ulp(ul)."""
    ix = bits(uh)
    k = (ix - SQRT_HALF_BITS) >> 52              # i64 sub, arithmetic shift
    m = from_bits(ix - (k << 52))                # m in [sqrt(1/2), sqrt(2))
    f = m - 1.0                                  # exact
    sc = pow2i(-min(k, 1000))
    fc = ul * sc                                 # low parts, scaled like m
    fc2 = ul2 * sc
    dh, dl = fast_two_sum(1.0, m)                # m + 1 exactly
    dl = dl + (fc + fc2)
    nh, nl = fast_two_sum(f, fc)                 # f + fc exactly (|fc| < ulp(m) <= |f| or f = 0)
    nl = nl + fc2
    rcp = div(1.0, dh)                           # the one division
    sh = nh * rcp
    rem = fma(-sh, dh, nh) + (nl - sh * dl)      # FMA
    sl = rem * rcp                               # s = (f+fc)/(m+1+fc) = sh + sl
    s2h = sh * sh
    s2l = fma(sh, sh, -s2h)                      # FMA
    s3h = s2h * sh
    s3l = fma(s2h, sh, -s3h) + (s2l * sh + 3.0 * s2h * sl)   # FMA
    th = two_thirds_hi * s3h                     # (2/3) s^3 as double-double
    tl = fma(two_thirds_hi, s3h, -th) + (two_thirds_hi * s3l + two_thirds_lo * s3h)  # FMA
    v = (s2h * s3h) * horner(log_f64, s2h)       # s^5 Q(s^2)
    K = float(k + kadd)
    kh = K * ln2_hi                              # exact
    kl = K * ln2_lo
    a1, a1e = two_sum(kh, 2.0 * sh)
    a2, a2e = two_sum(a1, th)
    lo = (a1e + a2e) + (((2.0 * sl + tl) + v) + kl)
    return fast_two_sum(a2, lo)


def v_log(x):
    sub = x < 2.0**-1022
    uh = sel(sub, x * 2.0**52, x)
    kadd = sel(sub, -52, 0)
    ok = (x > 0) and (x < INF)
    uh = sel(ok, uh, 1.0)
    lh, ll = log_core(uh, 0.0, kadd)
    r = lh + ll
    r = sel(x == 0, -INF, r)
    r = sel(x < 0, NAN, r)
    r = sel(x == INF, INF, r)
    return sel(isnan(x), x, r)


def v_log1p(x):
    uh, ul = two_sum(1.0, x)                     # 1 + x exactly
    ok = (x > -1.0) and (x < INF)
    uh = sel(ok, uh, 1.0)
    ul = sel(ok, ul, 0.0)
    lh, ll = log_core(uh, ul, 0)
    r = lh + ll
    r = sel(fabs(x) < 2.0**-54, x, r)
    r = sel(x == -1.0, -INF, r)
    r = sel(x < -1.0, NAN, r)
    r = sel(x == INF, INF, r)
    return sel(isnan(x), x, r)


# ------------------------------------------------------------------ hyperbolic
def v_tanh(x):
    a = fabs(x)
    z = a * a
    small = fma(a * z, horner(tanh_f64, z), a)   # FMA: a + a^3 T(a^2)
    ac = sel(a < 20.0, a, 20.0)                  # NaN -> 20
    k, yh, yl = exp_dd(2.0 * ac, 0.0)            # e^(2a) = 2^k (yh + yl)
    T = pow2i(k)
    eh, el = T * yh, T * yl
    dh, d1 = fast_two_sum(eh, 1.0)               # D = e^(2a) + 1
    dl = d1 + el
    qh = div(2.0, dh)
    rem = fma(-qh, dh, 2.0) - qh * dl            # FMA
    ql = rem * (0.5 * qh)                        # q = 2/D = qh + ql
    th, t1 = fast_two_sum(1.0, -qh)
    big = th + (t1 - ql)                         # 1 - q
    r = sel(a < 0.25, small, big)
    r = sel(a >= tanh_one, 1.0, r)
    r = copysign(r, x)
    return sel(isnan(x), x, r)


def _sinhcosh(x, want_sinh):
    a = fabs(x)
    ac = sel(a < 711.0, a, 711.0)
    k, yh, yl = exp_dd(ac, 0.0)                  # e^a = 2^k y
    qh = div(1.0, yh)
    ql = (fma(-qh, yh, 1.0) - qh * yl) * qh      # FMA: 1/y = qh + ql
    kc = min(k, 60)
    s = pow2i(-2 * kc)                           # 2^-2k (below 2^-120 irrelevant)
    bh, bl = s * qh, s * ql                      # e^-a / 2^k
    if want_sinh:
        dh, d1 = fast_two_sum(yh, -bh)
        m = dh + ((d1 + yl) - bl)
        z = a * a
        small = fma(a * z, horner(sinh_f64, z), a)   # FMA
        r = sel(a < 0.5, small, scale(m, k - 1))
        r = sel(a > sinh_overflow, INF, r)
        r = copysign(r, x)
    else:
        ch, c1 = fast_two_sum(yh, bh)
        m = ch + ((c1 + yl) + bl)
        r = scale(m, k - 1)
        r = sel(a > sinh_overflow, INF, r)
    return sel(isnan(x), x, r)


def v_sinh(x):
    return _sinhcosh(x, True)


def v_cosh(x):
    return _sinhcosh(x, False)


def v_asinh(x):
    a = fabs(x)
    big = a > 2.0**28
    ac = sel(big, 1.0, a)
    sh, sl = two_prod(ac, ac)                    # a^2
    wh, w1 = two_sum(1.0, sh)
    wl = w1 + sl                                 # 1 + a^2
    rt = sqrt(wh)
    rtl = div(fma(-rt, rt, wh) + wl, rt + rt)    # FMA: sqrt(1+a^2) = rt + rtl
    p, pe = two_sum(rt, -1.0)
    vh, ve = two_sum(p, ac)
    vl = (ve + pe) + rtl                         # v = a + sqrt(1+a^2) - 1
    uh, ul = two_sum(1.0, vh)                    # u = 1 + v = uh + ul + vl
    ok = a < INF
    uh = sel(big, sel(ok, a, 1.0), uh)           # big: log(2a) = log(a) + ln2
    ul = sel(big, 0.0, ul)
    lh, ll = log_core(uh, ul, sel(big, 1, 0), sel(big, 0.0, vl))
    r = lh + ll
    r = sel(a < 2.0**-26, a, r)
    r = sel(a == INF, INF, r)
    r = copysign(r, x)
    return sel(isnan(x), x, r)


# ------------------------------------------------------------------ sigmoid, softplus
def v_sigmoid(x):
    a = fabs(x)
    ac = sel(a < 746.0, a, 746.0)
    k, yh, yl = exp_dd(-ac, 0.0)                 # e^-a = 2^k y, k <= 0
    T = pow2i(max(k, -100))
    eh, el = T * yh, T * yl
    dh, d1 = fast_two_sum(1.0, eh)               # D = 1 + e^-a
    dl = d1 + el
    qh = div(1.0, dh)
    rem = fma(-qh, dh, 1.0) - qh * dl            # FMA
    ql = rem * qh                                # 1/D = qh + ql
    pos = qh + ql                                # sigmoid(a)
    ph = yh * qh
    pl = fma(yh, qh, -ph) + (yh * ql + yl * qh)  # FMA: y/D
    neg = scale(ph + pl, k)                      # sigmoid(-a) = e^-a / D
    r = sel(x < 0, neg, pos)
    r = sel(x >= sigmoid_one, 1.0, r)
    r = sel(x < sigmoid_underflow, 0.0, r)
    return sel(isnan(x), x, r)


def v_softplus(x):
    a = fabs(x)
    ac = sel(a < 746.0, a, 746.0)
    k, yh, yl = exp_dd(-ac, 0.0)                 # e^-a = 2^k y
    T = pow2i(max(k, -100))
    eh, el = T * yh, T * yl
    uh, u1 = fast_two_sum(1.0, eh)               # 1 + e^-a = uh + u1 + el
    lh, ll = log_core(uh, u1, 0, el)             # log1p(e^-a)
    sh, s1 = two_sum(x, lh)
    pos = sh + (s1 + ll)                         # x + log1p(e^-x)
    neg = lh + ll                                # log1p(e^x)
    far = scale(yh + yl, k)                      # x < -40: e^x
    r = sel(x > 0, pos, sel(x < -40.0, far, neg))
    r = sel(x < softplus_underflow, 0.0, r)
    r = sel(x >= softplus_is_x, x, r)
    return sel(isnan(x), x, r)


def v_sigmoid_naive(x):
    """the compiler's stabilized formula with the kernels above: 1/(1+exp(-x)) | exp(x)/(1+exp(x))"""
    if x >= 0:
        return div(1.0, 1.0 + v_exp(-x))
    e = v_exp(x)
    return div(e, 1.0 + e)


def v_softplus_naive(x):
    """x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)) with the kernels above"""
    if x > 0:
        return x + v_log1p(v_exp(-x))
    return v_log1p(v_exp(x))


# ------------------------------------------------------------------ erf, erfc
def erfc_tail(a):
    """erfc(a) = 2^k (ph + pl) for a in [0.5, 27.3], relative error ~2^-58."""
    sqh, sql = two_prod(a, a)                    # a^2 exactly
    k, yh, yl = exp_dd(-sqh, -sql)               # e^(-a^2)
    vh = div(1.0, a)
    vl = fma(-vh, a, 1.0) * vh                   # FMA: 1/a = vh + vl
    nh, nl = two_sum(a, -erfc_k)
    dh, dl = two_sum(a, erfc_k)
    th = div(nh, dh)
    rem = fma(-th, dh, nh) + (nl - th * dl)      # FMA
    tl = rem * ((1.0 - th) * erfc_inv2k)         # t = (a-K)/(a+K) = th + tl
    c, cl = erfc_f64, erfc_f64_lo
    hh = horner(c[3:], th)                       # inner part in double
    hl = 0.0
    for j in (2, 1, 0):                          # three double-double Horner steps
        ph, pe = two_prod(th, hh)
        pe = pe + (th * hl + tl * hh)
        hh, he = two_sum(c[j], ph)
        hl = (he + pe) + cl[j]                   # H(t) = hh + hl
    gh, ge = two_prod(hh, vh)
    gl = ge + (hh * vl + hl * vh)                # H/a
    ph, pe = two_prod(yh, gh)
    pl = pe + (yh * gl + yl * gh)                # e^(-a^2) H / a
    return k, ph, pl


def erf_small(x):
    """erf(x) = sh + sl for |x| < 0.5."""
    z = x * x
    e = x * horner(erf_f64, z)
    ah, al = two_prod(x, 1.125)
    sh, se = two_sum(ah, e)
    return sh, se + al


def v_erf(x):
    a = fabs(x)
    sh, sl = erf_small(x)
    small = sh + sl
    tiny = fma(x, two_over_sqrtpi_hi, x * two_over_sqrtpi_lo)   # FMA
    ac = sel(a > 0.5, a, 0.5)
    ac = sel(ac < 6.0, ac, 6.0)
    k, ph, pl = erfc_tail(ac)
    T = pow2i(k)
    qh, ql = T * ph, T * pl
    eh, e1 = fast_two_sum(1.0, -qh)
    big = copysign(eh + (e1 - ql), x)            # 1 - erfc(|x|)
    r = sel(a < 0.5, small, big)
    r = sel(a < 2.0**-28, tiny, r)
    r = sel(a >= erf_one, copysign(1.0, x), r)
    return sel(isnan(x), x, r)


def v_erfc(x):
    a = fabs(x)
    sh, sl = erf_small(x)
    ch, c1 = fast_two_sum(1.0, -sh)
    small = ch + (c1 - sl)                       # 1 - erf(x), |x| < 0.5
    ac = sel(a > 0.5, a, 0.5)
    ac = sel(ac < 27.3, ac, 27.3)
    k, ph, pl = erfc_tail(ac)
    pos = scale(ph + pl, k)                      # erfc(a), subnormal-capable
    T = pow2i(max(k, -200))
    qh, ql = T * ph, T * pl
    nh, n1 = fast_two_sum(2.0, -qh)
    neg = nh + (n1 - ql)                         # 2 - erfc(a)
    r = sel(a < 0.5, small, sel(x > 0, pos, neg))
    r = sel(x >= erfc_underflow, 0.0, r)
    r = sel(x <= -erfc_two, 2.0, r)
    return sel(isnan(x), x, r)


# ------------------------------------------------------------------ sin, cos
def reduce_cw(x):
    """|x| < 2^30: x = n pi/2 + (rh + rl); 3-part Cody-Waite with fma."""
    n = roundeven(x * two_over_pi)
    r1 = fma(-n, pio2_1, x)                      # FMA: exact
    p, pe = two_prod(n, pio2_2)                  # FMA
    s, e = two_sum(r1, -p)
    lo = (e - pe) - n * pio2_3
    rh, rl = fast_two_sum(s, lo)
    q = n - 4.0 * floor(n * 0.25)                # n mod 4, exact
    return int(q), rh, rl


PH_SCALE = [2.0**(-24 * i) for i in range(10)]


def reduce_ph(x):
    """|x| >= 2^30, finite: Payne-Hanek in double arithmetic, exact limb products.
    Gathers 11 consecutive entries of two_over_pi_24 at index k0+2 (data dependent)."""
    a = fabs(x)
    E = ((bits(a) >> 52) & 0x7FF) - 1023         # 30 <= E <= 1023
    X = a * pow2i(52 - E)                        # integer in [2^52, 2^53)
    x2 = floor(X * 2.0**-48)
    rest = X - x2 * 2.0**48
    x1 = floor(rest * 2.0**-24)
    x0 = rest - x1 * 2.0**24                     # X = x2 2^48 + x1 2^24 + x0
    k0 = (E - 30) // 24 - 1                      # = floor((E-54)/24) >= -1 (E-30 >= 0: udiv)
    e0 = E - 76 - 24 * k0                        # in [-22, 1]
    b = k0 + 2
    tab = [two_over_pi_24[b + j] for j in range(11)]   # GATHER
    D = [x0 * tab[i] + x1 * tab[i + 1] + x2 * tab[i + 2] for i in range(9)]  # exact (< 2^50)
    for i in range(8, 0, -1):                    # carries, exact
        cr = floor(D[i] * 2.0**-24)
        D[i] = D[i] - cr * 2.0**24
        D[i - 1] = D[i - 1] + cr
    w = pow2i(e0)                                # weight of limb 0
    t0 = D[0] * w
    t0 = t0 - 4.0 * floor(t0 * 0.25)             # mod 4, exact
    A = t0 + D[1] * (w * PH_SCALE[1])            # exact (<= 48 significant bits)
    n = floor(A + 0.5)
    hi = A - n                                   # exact, in [-0.5, 0.5)
    lo = 0.0
    for i in range(2, 9):
        hi, e = two_sum(hi, D[i] * (w * PH_SCALE[i]))
        lo = lo + e
    fh, fl = fast_two_sum(hi, lo)                # fraction of x*2/pi, relative error ~2^-100
    rh = fh * pio2_1
    rl = fma(fh, pio2_1, -rh) + (fh * pio2_2 + fl * pio2_1)  # FMA
    q = n - 4.0 * floor(n * 0.25)
    q = int(q)
    if x < 0:                                    # (a select on the sign in IR)
        q, rh, rl = (4 - q) & 3, -rh, -rl
    return q, rh, rl


def reduce_pio2(x):
    a = fabs(x)
    xs = sel(a < INF, x, 0.0)                    # inf, NaN: any value, result fixed later
    if fabs(xs) < 2.0**30:                       # per lane a select; PH only if any lane needs it
        return reduce_cw(xs)
    return reduce_ph(xs)


def sincos_kernels(rh, rl):
    z = rh * rh
    s = rh + fma(rh * z, horner(sin_f64, z), rl * (1.0 - 0.5 * z))   # FMA
    zl = fma(rh, rh, -z)                         # FMA
    hz = 0.5 * z
    ch = 1.0 - hz
    ce = (1.0 - ch) - hz
    c = ch + ((ce - 0.5 * zl) + (z * z * horner(cos_f64, z) - rh * rl))
    return s, c


def v_sin(x):
    q, rh, rl = reduce_pio2(x)
    s, c = sincos_kernels(rh, rl)
    r = sel(q & 1, c, s)
    r = sel(q & 2, -r, r)                        # sign flip: xor of bit 63 in IR
    r = sel(fabs(x) < 2.0**-26, x, r)
    return sel(fabs(x) < INF, r, NAN) if not isnan(x) else x


def v_cos(x):
    q, rh, rl = reduce_pio2(x)
    s, c = sincos_kernels(rh, rl)
    r = sel(q & 1, s, c)
    r = sel((q + 1) & 2, -r, r)
    return sel(fabs(x) < INF, r, NAN) if not isnan(x) else x


# ------------------------------------------------------------------ atan
ATAN_B1 = 0.41421356237309503                    # tan(pi/8)
ATAN_B2 = 2.414213562373095                      # tan(3pi/8)


def v_atan(x):
    a = fabs(x)
    cb = a > ATAN_B1
    cc = a > ATAN_B2
    bnh, bnl = two_sum(a, -1.0)
    bdh, bdl = two_sum(a, 1.0)
    nh = sel(cc, -1.0, sel(cb, bnh, a))
    nl = sel(cc, 0.0, sel(cb, bnl, 0.0))
    dh = sel(cc, a, sel(cb, bdh, 1.0))
    dl = sel(cc, 0.0, sel(cb, bdl, 0.0))
    rcp = div(1.0, dh)
    th = nh * rcp
    rem = fma(-th, dh, nh) + (nl - th * dl)      # FMA
    tl = rem * rcp                               # t = th + tl
    oh = sel(cc, pio2_1, sel(cb, pio4_hi, 0.0))
    ol = sel(cc, pio2_2, sel(cb, pio4_lo, 0.0))
    z = th * th
    pa = (th * z) * horner(atan_f64, z)
    corr = tl * (1.0 - z)                        # tl / (1 + t^2)
    s, e = two_sum(oh, th)
    r = s + (e + ((pa + corr) + ol))
    r = sel(a == INF, pio2_1, r)
    r = copysign(r, x)
    return sel(isnan(x), x, r)


# ------------------------------------------------------------------ pow
def v_pow(a, b):
    ax = fabs(a)
    sub = ax < 2.0**-1022
    uh = sel(sub, ax * 2.0**52, ax)
    kadd = sel(sub, -52, 0)
    ok = (ax > 0) and (ax < INF)
    uh = sel(ok, uh, 1.0)
    lh, ll = log_core(uh, 0.0, kadd)             # log|a| = lh + ll, ~2^-68
    yh = b * lh
    yl = fma(b, lh, -yh) + b * ll                # FMA: y = b log|a| as double-double
    inr = fabs(yh) < 746.0
    ych = sel(yh > -746.0, yh, -746.0)
    ych = sel(ych < 710.0, ych, 710.0)
    ycl = sel(inr, yl, 0.0)
    k, eh, el = exp_dd(ych, ycl)
    r = scale(eh + el, k)
    # integer / odd tests on b
    bint = floor(b) == b                         # false for inf/NaN handled below
    bodd = bint and (fabs(b) < 2.0**53) and (floor(b * 0.5) * 2.0 != b)
    neg = copysign(1.0, a) < 0                   # sign bit of a
    r = sel(neg and bodd, -r, r)
    r = sel(a < 0 and not bint, NAN, r)
    # special cases (C99 Annex F)
    binf = fabs(b) == INF
    r = sel(binf, sel((ax < 1) == (b > 0), 0.0, INF), r)
    r = sel(binf and ax == 1, 1.0, r)
    zero_or_inf = (ax == 0) or (ax == INF)
    big = (ax == INF) == (b > 0)                 # |a|^b is inf here, else 0
    mag = sel(big, INF, 0.0)
    r = sel(zero_or_inf and not binf, sel(neg and bodd, -mag, mag), r)
    r = sel(isnan(a) or isnan(b), NAN, r)
    r = sel(a == 1.0 or b == 0.0, 1.0, r)
    return r


# ====================================================================== native float32
# Every operation below is one float op: fadd/fsub/fmul/fdiv round a float result
# (the double operation on float operands is exact or rounds innocuously), ffma is
# llvm.fma.f32.  Constants and coefficients are the *_f32 ones from the header.
def fadd(a, b): return f32(a + b)
def fsub(a, b): return f32(a - b)
def fmul(a, b): return f32(a * b)
def fdiv(a, b): return f32(div(a, b))
ffma = fma32


def fhorner(c, z):
    p = c[-1]
    for ci in reversed(c[:-1]):
        p = ffma(p, z, ci)                       # FMA
    return p


def fbits(x):
    return struct.unpack("<i", struct.pack("<f", x))[0]


def from_fbits(i):
    return struct.unpack("<f", struct.pack("<I", i & 0xFFFFFFFF))[0]


def fpow2i(k):
    """2^k, k in [-126, 127]: (k + 127) << 23 bitcast to float"""
    return from_fbits((k + 127) << 23)


def fscale(y, k):
    k1 = k >> 1
    return fmul(fmul(y, fpow2i(k1)), fpow2i(k - k1))


def ffast_two_sum(a, b):
    s = fadd(a, b)
    return s, fsub(b, fsub(s, a))


def exp_core_f32(x, xl=0.0):
    """e^(x + xl) = 2^k (s + lo), float; x in [-105, 90]."""
    k = roundeven(fmul(x, inv_ln2_f32))
    rh = ffma(-k, ln2_hi_f32, x)                 # exact
    r = ffma(-k, ln2_lo_f32, rh)                 # FMA
    rl = fadd(ffma(-k, ln2_lo_f32, fsub(rh, r)), xl)   # FMA
    p = fhorner(exp_f32, r)
    q = ffma(fmul(r, r), p, fmul(rl, fadd(1.0, r)))    # FMA: r^2 P(r) + rl e^r
    s, e = ffast_two_sum(1.0, r)
    s, lo = ffast_two_sum(s, fadd(e, q))         # renormalise: |lo| <= ulp(s)/2
    return int(k), s, lo


def f32_exp(x):
    xc = sel(x > -105.0, x, -105.0)
    xc = sel(xc < 90.0, xc, 90.0)
    k, s, lo = exp_core_f32(xc)
    r = fscale(fadd(s, lo), k)
    r = sel(x > exp_overflow_f32, INF, r)
    r = sel(x < exp_underflow_f32, 0.0, r)
    return sel(isnan(x), x, r)


LOGF_OFF = 0x3F3504F3                            # bits of sqrt(1/2) in float


def f32_log(x):
    sub = x < 2.0**-126
    u = sel(sub, fmul(x, 2.0**23), x)
    kadd = sel(sub, -23, 0)
    ok = (x > 0) and (x < INF)
    u = sel(ok, u, 1.0)
    ix = fbits(u)
    k = (ix - LOGF_OFF) >> 23
    m = from_fbits(ix - (k << 23))               # m in [sqrt(1/2), sqrt(2))
    f = fsub(m, 1.0)                             # exact
    p = fhorner(log_f32, f)
    f2h = fmul(f, f)
    f2l = ffma(f, f, -f2h)                       # FMA
    K = float(k + kadd)
    s, e = two_sum_f(fmul(K, ln2_hi_f32), f)     # K*ln2_hi exact
    inner = ffma(f2h, p, ffma(f2l, p, fmul(K, ln2_lo_f32)))   # FMA
    r = fadd(s, fadd(e, inner))
    r = sel(x == 0, -INF, r)
    r = sel(x < 0, NAN, r)
    r = sel(x == INF, INF, r)
    return sel(isnan(x), x, r)


def two_sum_f(a, b):
    s = fadd(a, b)
    bb = fsub(s, a)
    return s, fadd(fsub(a, fsub(s, bb)), fsub(b, bb))


def f32_tanh(x):
    a = fabs(x)
    z = fmul(a, a)
    small = ffma(fmul(a, z), fhorner(tanh_f32, z), a)   # FMA
    ac = sel(a < 9.5, a, 9.5)
    k, s, lo = exp_core_f32(fmul(2.0, ac))
    T = fpow2i(k)
    eh, el = fmul(T, s), fmul(T, lo)
    dh, d1 = ffast_two_sum(eh, 1.0)
    dl = fadd(d1, el)
    qh = fdiv(2.0, dh)
    rem = fsub(ffma(-qh, dh, 2.0), fmul(qh, dl))  # FMA
    ql = fmul(rem, fmul(0.5, qh))
    th, t1 = ffast_two_sum(1.0, -qh)
    big = fadd(th, fsub(t1, ql))
    r = sel(a < 0.25, small, big)
    r = sel(a >= tanh_one_f32, 1.0, r)
    r = copysign(r, x)
    return sel(isnan(x), x, r)


def f32_sigmoid(x):
    a = fabs(x)
    ac = sel(a < 105.0, a, 105.0)
    k, s, lo = exp_core_f32(-ac)                 # e^-a = 2^k (s + lo)
    T = fpow2i(max(k, -60))
    eh, el = fmul(T, s), fmul(T, lo)
    dh, d1 = ffast_two_sum(1.0, eh)
    dl = fadd(d1, el)
    qh = fdiv(1.0, dh)
    rem = fsub(ffma(-qh, dh, 1.0), fmul(qh, dl))  # FMA
    ql = fmul(rem, qh)
    pos = fadd(qh, ql)
    ph = fmul(s, qh)
    pl = fadd(ffma(s, qh, -ph), fadd(fmul(s, ql), fmul(lo, qh)))   # FMA
    neg = fscale(fadd(ph, pl), k)
    r = sel(x < 0, neg, pos)
    r = sel(x >= sigmoid_one_f32, 1.0, r)
    r = sel(x < sigmoid_underflow_f32, 0.0, r)
    return sel(isnan(x), x, r)


def f32_erf(x):
    a = fabs(x)
    tiny = a < 2.0**-60                          # scaled so that x*E(x^2) does not underflow
    xs = sel(tiny, fmul(x, 2.0**40), x)
    z = fmul(xs, xs)
    small = ffma(xs, fhorner(erf_f32, z), xs)    # FMA: x + x E(x^2)
    small = sel(tiny, fmul(small, 2.0**-40), small)
    ac = sel(a > 0.875, a, 0.875)
    ac = sel(ac < 3.93, ac, 3.93)
    h = fmul(ac, ac)
    hl = ffma(ac, ac, -h)                        # FMA
    k, s, lo = exp_core_f32(-h, -hl)             # e^(-a^2)
    T = fpow2i(k)
    d = fsub(ac, erf_c_f32)
    p1 = fhorner(erfc_f32[1:], d)
    gp = fmul(d, p1)
    gpe = ffma(d, p1, -gp)                       # FMA
    gh, ge = two_sum_f(erfc_f32[0], gp)
    gl = fadd(ge, gpe)                           # G = gh + gl (last Horner step compensated)
    sT = fmul(s, T)
    p = fmul(sT, gh)
    pe = ffma(sT, gh, -p)                        # FMA
    corr = fadd(pe, fadd(fmul(sT, gl), fmul(fmul(lo, T), gh)))
    h1, e1 = ffast_two_sum(1.0, -p)
    big = fadd(h1, fsub(e1, corr))               # 1 - erfc(a)
    r = sel(a < 0.875, small, copysign(big, x))
    r = sel(a >= erf_one_f32, copysign(1.0, x), r)
    return sel(isnan(x), x, r)


F32_FUNCS = {"exp_f32": (f32_exp, "exp"), "log_f32": (f32_log, "log"), "tanh_f32": (f32_tanh, "tanh"),
             "sigmoid_f32": (f32_sigmoid, "sigmoid"), "erf_f32": (f32_erf, "erf")}


def ulp_err32(got, exact):
    if exact is None:
        return 0.0 if got != got else INF
    if got != got:
        return INF
    FOVF = M(2)**128 - M(2)**103
    if abs(exact) >= FOVF:
        return 0.0 if got == math.copysign(INF, exact) else INF
    if got in (INF, -INF):
        return INF
    if exact == 0:
        return 0.0 if got == 0 else INF
    e = int(mp.floor(mp.log(abs(exact), 2)))
    if abs(exact) >= M(2)**(e + 1):
        e += 1
    u = M(2)**max(e - 23, -149)
    return float(abs(M(got) - exact) / u)


def run_f32(name, n, rng):
    f, base = F32_FUNCS[name]
    lim = {"exp": (-104.0, 89.0), "log": None, "tanh": (-10.0, 10.0), "sigmoid": (-105.0, 18.0),
           "erf": (-4.0, 4.0)}[base]
    pts = [f32(v) for v in SPECIAL]
    for _ in range(n):
        if base == "log":
            v = 2.0 ** rng.uniform(-149, 128)
        elif rng.random() < 0.5:
            v = rng.uniform(*lim)
        else:
            v = rng.choice((1, -1)) * 2.0 ** rng.uniform(-149, 7)
        pts.append(f32(v))
    worst, wx, bad = 0.0, None, 0
    for x in pts:
        got = f(x)
        if got != f32(got) and got == got:
            got = NAN                            # not a float: a bug
        e = ulp_err32(got, exact_value(base, x))
        if e > worst:
            worst, wx = e, x
        bad += e > 1
    return len(pts), worst, wx, bad


# ====================================================================== checker
mp.mp.prec = 200
M = mp.mpf
OVF = M(2)**1024 - M(2)**970


def mp_to_double(v):
    """correctly rounded mpf -> double, subnormals included"""
    if v == 0:
        return 0.0
    sign, man, exp, bc = v._mpf_
    n = -man if sign else man
    return _round_exact(n, exp, 53, -1074, 1024)


def ulp_err(got, exact):
    """|got - exact| in ulps of the correctly rounded exact value (mpf or 'nan')."""
    if exact is None:                            # NaN expected
        return 0.0 if got != got else INF
    if got != got:
        return INF
    if abs(exact) >= OVF:
        return 0.0 if got == math.copysign(INF, exact) else INF
    if got in (INF, -INF):
        return INF
    if exact == 0:
        return 0.0 if got == 0 else INF
    e = int(mp.floor(mp.log(abs(exact), 2)))
    u = M(2)**max(e - 52, -1074)
    # guard against log2 landing one off near powers of two
    if abs(exact) >= M(2)**(e + 1):
        u = M(2)**max(e + 1 - 52, -1074)
    return float(abs(M(got) - exact) / u)


def ref_of(name):
    return {
        "exp": mp.exp, "expm1": mp.expm1, "log": mp.log, "log1p": mp.log1p,
        "tanh": mp.tanh, "erf": mp.erf, "erfc": mp.erfc, "sin": mp.sin, "cos": mp.cos,
        "atan": mp.atan, "sinh": mp.sinh, "cosh": mp.cosh, "asinh": mp.asinh,
        "sigmoid": lambda x: 1 / (1 + mp.exp(-x)),
        "softplus": lambda x: mp.log1p(mp.exp(x)) if x < 0 else x + mp.log1p(mp.exp(-x)),
    }[name]


def spread(rng, n, lo_exp, hi_exp, signs=(1, -1)):
    """n points with log-uniform magnitude in [2^lo_exp, 2^hi_exp], random sign from signs."""
    out = []
    for _ in range(n):
        m = 2.0 ** rng.uniform(lo_exp, hi_exp)
        out.append(rng.choice(signs) * m)
    return out


def uniform(rng, n, a, b):
    return [rng.uniform(a, b) for _ in range(n)]


def near(vals, steps=3):
    out = []
    for v in vals:
        x = v
        for _ in range(steps):
            out.append(x)
            x = math.nextafter(x, INF)
        x = v
        for _ in range(steps):
            x = math.nextafter(x, -INF)
            out.append(x)
    return out


SPECIAL = [0.0, -0.0, INF, -INF, NAN, 5e-324, -5e-324, 2.2250738585072014e-308,
           -2.2250738585072014e-308, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 1.7976931348623157e308,
           -1.7976931348623157e308, 1e-300, -1e-300]


def points(name, n, rng):
    thr = {
        "exp": [exp_overflow, exp_underflow, -708.39641853226408, 709.0, -709.0],
        "expm1": [exp_overflow, expm1_minus_one, 2.0**-54, -2.0**-54, 0.34657359027997264, -0.3465735902799726],
        "log": [], "log1p": [-1 + 2.0**-53, -0.5, 2.0**-54, -2.0**-54, 2.0**53],
        "tanh": [tanh_one, -tanh_one, 0.25, -0.25], "erf": [erf_one, -erf_one, 0.5, -0.5, 2.0**-28],
        "erfc": [erfc_underflow, -erfc_two, 0.5, -0.5, 26.5, 27.0, 27.2],
        "sin": [], "cos": [], "atan": [ATAN_B1, ATAN_B2, -ATAN_B1, -ATAN_B2],
        "sinh": [sinh_overflow, -sinh_overflow, 0.5, -0.5, 709.8, 710.0],
        "cosh": [sinh_overflow, -sinh_overflow, 0.5, 709.8, 710.0],
        "asinh": [2.0**28, -2.0**28, 2.0**-26, 0.5, 2.0],
        "sigmoid": [sigmoid_one, sigmoid_underflow, -708.4, -709.5, -40.0],
        "softplus": [softplus_underflow, softplus_is_x, -40.0, -709.5, -708.4, 0.5, -0.5],
    }[name]
    pts = list(SPECIAL) + near(thr)
    m = n // 4
    if name in ("exp", "expm1", "sigmoid"):
        pts += spread(rng, 2 * m, -1075, 9.55) + uniform(rng, m, -746, 710) + uniform(rng, m, -40, 40)
    elif name == "log":
        pts += spread(rng, 2 * m, -1074, 1024, (1,)) + [1 + rng.uniform(-1, 1) * 2.0**rng.uniform(-53, 0) for _ in range(m)]
        pts += [rng.uniform(0.5, 2) for _ in range(m)]
    elif name == "log1p":
        pts += spread(rng, m, -1074, 1024, (1,)) + spread(rng, m, -1074, 0, (-1,))
        pts += [-1 + 2.0**rng.uniform(-53, -1) for _ in range(m)] + uniform(rng, m, -0.5, 2)
    elif name in ("sin", "cos"):
        pts += spread(rng, m, -1074, 1024) + uniform(rng, m, -10, 10) + spread(rng, m, -3, 30)
        hard = [6381956970095103 * 2.0**797, 5 * 2.0**-1, 1.5707963267948966, 3.141592653589793,
                4.71238898038469, 6.283185307179586, 1e22, 2.0**30, 2.0**30 - 1, 8.0**30, 1e300]
        for kk in range(1, 200):              # nearest doubles to k pi/2, small and large k
            hard.append(float(M(kk) * mp.pi / 2))
            hard.append(float(M(rng.randint(1, 2**50)) * mp.pi / 2))
            hard.append(float(M(rng.randint(1, 2**62)) * mp.pi / 2 * 2**rng.randint(0, 900)))
        hard += hard_pio2(rng, 150)
        pts += near(hard, 2) + [-h for h in hard]
        pts += spread(rng, n - len(pts) + len(SPECIAL), 29, 1024) if n > len(pts) else []
    elif name in ("erf", "erfc"):
        pts += spread(rng, m, -1074, 1024) + uniform(rng, m, -6, 6) + uniform(rng, m, 0, 28)
        pts += uniform(rng, m, -1, 1)
    elif name in ("sinh", "cosh"):
        pts += spread(rng, 2 * m, -1074, 9.48) + uniform(rng, m, -711, 711) + uniform(rng, m, -2, 2)
    elif name == "softplus":
        pts += spread(rng, 2 * m, -1074, 1024) + uniform(rng, m, -746, 40) + uniform(rng, m, -5, 5)
    else:  # tanh, atan, asinh
        pts += spread(rng, 2 * m, -1074, 1024) + uniform(rng, m, -20, 20) + uniform(rng, m, -3, 3)
    return pts


def hard_pio2(rng, count):
    """doubles very close to multiples of pi/2: for random binades 2^e, the best
    rational approximations q of frac(2^e 2/pi) (continued fraction) give
    x = j q 2^e in [2^52, 2^53) 2^e with j q 2^e 2/pi within ~2^-50 of an integer."""
    out = []
    with mp.workprec(1400):
        tpi = 2 / mp.pi
        for _ in range(count):
            e = rng.randint(-52, 970)
            alpha = mp.frac(tpi * M(2)**e)
            # continued fraction convergents of alpha
            h0, h1, k0, k1 = 0, 1, 1, 0
            v = alpha
            qs = []
            for _ in range(80):
                a_ = int(mp.floor(v))
                h0, h1 = h1, a_ * h1 + h0
                k0, k1 = k1, a_ * k1 + k0
                if k1 >= 2**53:
                    break
                qs.append(k1)
                fr = v - a_
                if fr == 0:
                    break
                v = 1 / fr
            for q in qs[-3:]:
                if q < 1:
                    continue
                j = (2**53 - 1) // q
                m = j * q
                if m >= 2**52:
                    out.append(math.ldexp(float(m), e))
    return out


FUNCS = {
    "exp": v_exp, "expm1": v_expm1, "log": v_log, "log1p": v_log1p, "tanh": v_tanh,
    "erf": v_erf, "erfc": v_erfc, "sin": v_sin, "cos": v_cos, "atan": v_atan,
    "sinh": v_sinh, "cosh": v_cosh, "asinh": v_asinh, "sigmoid": v_sigmoid,
    "softplus": v_softplus,
}
DOMAIN_NAN = {"log": lambda x: x < 0, "log1p": lambda x: x < -1}


def exact_value(name, x):
    if x != x:
        return None
    if name in DOMAIN_NAN and DOMAIN_NAN[name](x):
        return None
    if x in (INF, -INF):
        lim = {"exp": (INF, 0), "expm1": (INF, -1), "log": (INF, None), "log1p": (INF, None),
               "tanh": (1, -1), "erf": (1, -1), "erfc": (0, 2), "sin": (None, None),
               "cos": (None, None), "atan": (mp.pi / 2, -mp.pi / 2), "sinh": (INF, -INF),
               "cosh": (INF, INF), "asinh": (INF, -INF), "sigmoid": (1, 0),
               "softplus": (INF, 0)}[name]
        v = lim[0] if x > 0 else lim[1]
        if v is None:
            return None
        return M(v) if v not in (INF, -INF) else (M(2)**2000 if v > 0 else -M(2)**2000)
    if name == "log" and x == 0:
        return -M(2)**2000
    if name == "log1p" and x == -1:
        return -M(2)**2000
    if name == "erfc" and abs(x) > 40:
        return M(2)**-3000 if x > 0 else M(2)
    if name == "erf" and abs(x) > 40:
        return M(1) if x > 0 else M(-1)
    return ref_of(name)(M(x))


def check_sign_of_zero(name, x, got):
    """odd functions must return -0 for -0, and +0 stays +0"""
    if x == 0 and name in ("expm1", "log1p", "tanh", "erf", "sin", "atan", "sinh", "asinh"):
        return math.copysign(1, got) == math.copysign(1, x)
    return True


def run(name, n, rng, worst_out=None):
    f = FUNCS[name]
    pts = points(name, n, rng)
    worst, wx, bad = 0.0, None, 0
    for x in pts:
        got = f(x)
        ex = exact_value(name, x)
        e = ulp_err(got, ex)
        if not check_sign_of_zero(name, x, got):
            e = INF
        if e > worst:
            worst, wx = e, x
        if e > 1:
            bad += 1
    return len(pts), worst, wx, bad


def run_pow(n, rng):
    worst, wx, bad, cnt = 0.0, None, 0, 0
    cases = []
    for _ in range(n):
        a = 2.0 ** rng.uniform(-1074, 1023.9)
        la = math.log(a) if a > 0 else 0
        y = rng.uniform(-745, 709.7)
        b = y / la if la != 0 else rng.uniform(-10, 10)
        if rng.random() < 0.2:
            a = 1 + rng.uniform(-1, 1) * 2.0**rng.uniform(-52, -1)
            b = rng.uniform(-1, 1) * 2.0**rng.uniform(0, 60)
        if rng.random() < 0.15:
            b = float(rng.randint(-60, 60))
            a = rng.uniform(0.01, 100)
            if rng.random() < 0.5:
                a = -a
        cases.append((a, b))
    cases += [(2.0, 0.5), (10.0, 2.0), (3.0, 3.0), (-2.0, 3.0), (-2.0, 0.5), (0.0, -1.0),
              (-0.0, -3.0), (-0.0, 3.0), (INF, -2.0), (-INF, 3.0), (-INF, -3.0), (1.0, NAN),
              (NAN, 0.0), (-1.0, INF), (0.5, INF), (2.0, -INF), (2.0, 1024.0), (2.0, -1074.0),
              (2.0, -1075.0), (0.0, 0.0), (5e-324, 0.5), (5e-324, -0.5), (1.0000000000000002, 2.0**60),
              (0.9999999999999999, -2.0**61), (-8.0, 1 / 3), (7.0, 1e-300)]
    for a, b in cases:
        got = v_pow(a, b)
        ex = pow_exact(a, b)
        e = ulp_err(got, ex)
        cnt += 1
        if e > worst:
            worst, wx = e, (a, b)
        if e > 1:
            bad += 1
    return cnt, worst, wx, bad


def pow_exact(a, b):
    if b == 0 or a == 1:
        return M(1)
    if a != a or b != b:
        return None
    big = M(2)**2000
    if abs(b) == INF:
        if abs(a) == 1:
            return M(1)
        return big if (abs(a) > 1) == (b > 0) else M(0)
    bint = b == math.floor(b)
    bodd = bint and abs(b) < 2**53 and int(b) % 2 == 1
    if a == 0 or abs(a) == INF:
        m = big if (abs(a) == INF) == (b > 0) else M(0)
        neg = a < 0 or (a == 0 and math.copysign(1, a) < 0)
        return -m if (neg and bodd) else m
    if a < 0 and not bint:
        return None
    v = mp.power(abs(M(a)), M(b))
    return -v if (a < 0 and bodd) else v


PIO2_RN = 1.5707963267948966
LN2_RN = 0.6931471805599453
SPECIAL_TABLE = [
    ("exp", NAN, NAN), ("exp", INF, INF), ("exp", -INF, 0.0), ("exp", 0.0, 1.0), ("exp", -0.0, 1.0),
    ("exp", 710.0, INF), ("exp", -746.0, 0.0), ("exp", -745.1332191019411, 5e-324),
    ("exp", 1.0, 2.718281828459045),
    ("expm1", -0.0, -0.0), ("expm1", 0.0, 0.0), ("expm1", INF, INF), ("expm1", -INF, -1.0),
    ("expm1", NAN, NAN), ("expm1", 5e-324, 5e-324), ("expm1", -5e-324, -5e-324),
    ("log", 0.0, -INF), ("log", -0.0, -INF), ("log", -1.0, NAN), ("log", INF, INF),
    ("log", -INF, NAN), ("log", 1.0, 0.0), ("log", NAN, NAN),
    ("log1p", -1.0, -INF), ("log1p", -2.0, NAN), ("log1p", -0.0, -0.0), ("log1p", 0.0, 0.0),
    ("log1p", INF, INF), ("log1p", -INF, NAN), ("log1p", 5e-324, 5e-324), ("log1p", -5e-324, -5e-324),
    ("tanh", 0.0, 0.0), ("tanh", -0.0, -0.0), ("tanh", INF, 1.0), ("tanh", -INF, -1.0), ("tanh", NAN, NAN),
    ("tanh", 5e-324, 5e-324), ("tanh", -5e-324, -5e-324),
    ("erf", 0.0, 0.0), ("erf", -0.0, -0.0), ("erf", INF, 1.0), ("erf", -INF, -1.0), ("erf", NAN, NAN),
    ("erf", 1e-310, "ref"), ("erf", -3e-320, "ref"), ("erfc", 27.0, "ref"), ("exp", -740.0, "ref"),
    ("erfc", INF, 0.0), ("erfc", -INF, 2.0), ("erfc", 0.0, 1.0), ("erfc", -0.0, 1.0), ("erfc", NAN, NAN),
    ("erfc", 27.3, 0.0), ("erfc", -6.0, 2.0),
    ("sin", 0.0, 0.0), ("sin", -0.0, -0.0), ("sin", INF, NAN), ("sin", -INF, NAN), ("sin", NAN, NAN),
    ("sin", 5e-324, 5e-324), ("sin", -5e-324, -5e-324),
    ("cos", 0.0, 1.0), ("cos", -0.0, 1.0), ("cos", INF, NAN), ("cos", -INF, NAN), ("cos", NAN, NAN),
    ("atan", 0.0, 0.0), ("atan", -0.0, -0.0), ("atan", INF, PIO2_RN), ("atan", -INF, -PIO2_RN),
    ("atan", NAN, NAN), ("atan", 1e308, PIO2_RN), ("atan", 5e-324, 5e-324),
    ("sinh", 0.0, 0.0), ("sinh", -0.0, -0.0), ("sinh", INF, INF), ("sinh", -INF, -INF),
    ("sinh", NAN, NAN), ("sinh", 711.0, INF), ("sinh", -711.0, -INF), ("sinh", 5e-324, 5e-324),
    ("cosh", 0.0, 1.0), ("cosh", -0.0, 1.0), ("cosh", INF, INF), ("cosh", -INF, INF),
    ("cosh", NAN, NAN), ("cosh", -711.0, INF),
    ("asinh", 0.0, 0.0), ("asinh", -0.0, -0.0), ("asinh", INF, INF), ("asinh", -INF, -INF),
    ("asinh", NAN, NAN), ("asinh", 5e-324, 5e-324), ("asinh", -1.7976931348623157e308, -710.475860073944),
    ("sigmoid", INF, 1.0), ("sigmoid", -INF, 0.0), ("sigmoid", 0.0, 0.5), ("sigmoid", -0.0, 0.5),
    ("sigmoid", NAN, NAN), ("sigmoid", -745.0, 5e-324), ("sigmoid", -746.0, 0.0),
    ("softplus", INF, INF), ("softplus", -INF, 0.0), ("softplus", 0.0, LN2_RN), ("softplus", NAN, NAN),
    ("softplus", -746.0, 0.0), ("softplus", 1e300, 1e300),
]
POW_TABLE = [
    ((NAN, 0.0), 1.0), ((NAN, -0.0), 1.0), ((1.0, NAN), 1.0), ((1.0, INF), 1.0), ((-1.0, INF), 1.0),
    ((-1.0, -INF), 1.0), ((NAN, 1.0), NAN), ((2.0, NAN), NAN), ((0.0, -1.0), INF), ((-0.0, -1.0), -INF),
    ((-0.0, -2.0), INF), ((0.0, -0.5), INF), ((-0.0, 3.0), -0.0), ((-0.0, 2.0), 0.0), ((0.0, 3.0), 0.0),
    ((-0.0, 0.5), 0.0), ((INF, -1.0), 0.0), ((INF, 0.5), INF), ((-INF, 3.0), -INF), ((-INF, 2.0), INF),
    ((-INF, -3.0), -0.0), ((-INF, -2.0), 0.0), ((0.5, INF), 0.0), ((0.5, -INF), INF), ((2.0, INF), INF),
    ((2.0, -INF), 0.0), ((-2.0, 0.5), NAN), ((-2.0, 3.0), -8.0), ((-2.0, 2.0), 4.0), ((-8.0, 1 / 3), NAN),
    ((2.0, 1024.0), INF), ((2.0, 1023.0), 2.0**1023), ((2.0, -1074.0), 5e-324), ((2.0, -1075.0), 0.0),
    ((10.0, 2.0), 100.0), ((3.0, 3.0), 27.0), ((-1.0, 2.0**60), 1.0), ((-1.0, 2.0**60 + 2**8), 1.0),
    ((-1.0, 3.0), -1.0), ((4.0, 0.5), 2.0), ((5e-324, 1.0), 5e-324), ((1.7976931348623157e308, 2.0), INF),
    ((-3.0, 2.0**53), INF), ((-0.5, 2.0**53 + 2), 0.0),
]


def same(a, b):
    if a != a or b != b:
        return a != a and b != b
    return a == b and math.copysign(1, a) == math.copysign(1, b)


def check_special():
    bad = []
    for name, x, want in SPECIAL_TABLE:
        got = FUNCS[name](x)
        if want == "ref":                        # correctly rounded (subnormal) reference
            want = mp_to_double(exact_value(name, x))
        if not same(got, want):
            bad.append("%s(%r) = %r, want %r" % (name, x, got, want))
    for (a, b), want in POW_TABLE:
        got = v_pow(a, b)
        if not same(got, want):
            bad.append("pow(%r, %r) = %r, want %r" % (a, b, got, want))
    return len(SPECIAL_TABLE) + len(POW_TABLE), bad


def main(argv):
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("--")] or (
        list(FUNCS) + ["pow", "sigmoid_naive", "softplus_naive"] + list(F32_FUNCS))
    n = 2000 if quick else 20000
    nsp, bad = check_special()
    print("special values: %d checked, %d wrong" % (nsp, len(bad)))
    for line in bad:
        print("  " + line)
    print("%-15s %8s %10s  %-26s %s" % ("function", "points", "max ulp", "at x", "> 1 ulp"))
    for name in names:
        rng = random.Random(12345 + sum(map(ord, name)))
        t0 = time.time()
        if name == "pow":
            cnt, worst, wx, bad = run_pow(n, rng)
        elif name in F32_FUNCS:
            cnt, worst, wx, bad = run_f32(name, n, rng)
        elif name.endswith("_naive"):
            base = name[:-6]
            FUNCS[name] = {"sigmoid": v_sigmoid_naive, "softplus": v_softplus_naive}[base]
            pts = points(base, n, rng)
            worst, wx, bad = 0.0, None, 0
            for x in pts:
                e = ulp_err(FUNCS[name](x), exact_value(base, x))
                if e > worst:
                    worst, wx = e, x
                bad += e > 1
            cnt = len(pts)
        else:
            cnt, worst, wx, bad = run(name, n, rng)
        print("%-15s %8d %10.3f  %-26r %d   (%.0fs)" % (name, cnt, worst, wx, bad, time.time() - t0),
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
