#!/usr/bin/env python3
"""p3109_ref.py - the P3109 formats' values and conversions, written out in
exact arithmetic (fractions.Fraction) from the IEEE P3109 interim report v4.0,
and compared with libfp8lab's encoder through the Python package's library
(fp8_array_encode, float64 input) with the random value R of the stochastic
roundings fixed by a ctypes generator.

Usage: p3109_ref.py [--full] [--formats K1..K2] [--decode-wide]
  default     K = 3..8, every P, signed/unsigned, extended/finite; rne, rtz,
              rna, rtp, rtn, rto, and sr-a/sr-b/sr-c with N = 1, 2 and every
              R; satfinite, satpropagate, satnone (make check, well under 60 s)
  --full      the same with N = 1..4 for the stochastic roundings and inputs
              at every sixteenth of each gap (make check-p3109-full)
  --decode-wide  also decode every code of the formats with 9..16 exponent
              bits (K <= 16) against the definitions
Prints one line per mismatch (at most 20 per format and mode) and the counts
per mode; exit 1 on any mismatch.

The definitions used (signed binaryKpPs*: E = K-P exponent bits, bias
2^(K-P-1); unsigned binaryKpPu*: E = K-P+1, bias 2^(K-P); M = P-1 fraction
bits; one zero, code 0; one NaN, 2^(K-1) signed, 2^K-1 unsigned; extended:
+Inf the top magnitude code 2^(K-1)-1 (signed, -Inf 2^K-1) or 2^K-2):
  RoundToPrecision: |x| between neighbours lo < |x| < hi of the grid of the
    format's precision and subnormals, unbounded above; nu = (|x|-lo)/(hi-lo).
    rne/rna nearest (ties to the even code / away), rtz, rtp, rtn directed,
    rto the neighbour with the odd code, and with R uniform on 0..2^N-1:
    sr-a up iff floor(nu 2^N) + R >= 2^N; sr-b floor(nu 2^(N+1)) + 2R + 1 >=
    2^(N+1); sr-c RNE(nu 2^N) + R >= 2^N.
  Saturate, a rounded magnitude above max (and +-Inf inputs):
    satfinite  +-max (Inf too)
    satpropagate +-max; +-Inf stays (+-max in finite formats)
    satnone    +-Inf (finite formats: +-max) when the rounding goes away from
               zero there (rne, rna, the stochastic ones, rtp for +, rtn for
               -); +-max for rtz and the other directed one; rto the odd one
               of max's and Inf's codes
  Negative x into an unsigned format: satfinite and satpropagate 0;
    satnone (v4.0): 0 for rtz and rtp, else NaN unless the magnitude rounds
    (with the negative sign's direction) to 0; -Inf likewise.
"""
import ctypes
import math
import os
import sys
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", os.path.dirname(__file__) + "/.."), "python"))
import fp8lab                                   # noqa: E402
from fp8lab import _lib                         # noqa: E402
from fp8lab._format import as_format            # noqa: E402


# ---- the formats ---------------------------------------------------------------------
class P3109:
    def __init__(self, k, p, signed, extended):
        self.k, self.p, self.signed, self.extended = k, p, signed, extended
        self.name = f"binary{k}p{p}{'s' if signed else 'u'}{'e' if extended else 'f'}"
        self.e = k - p if signed else k - p + 1
        self.m = p - 1
        self.bias = 2 ** (k - p - 1) if signed else 2 ** (k - p)
        self.nan = 2 ** (k - 1) if signed else 2 ** k - 1
        self.pinf = (2 ** (k - 1) - 1 if signed else 2 ** k - 2) if extended else None
        self.ninf = 2 ** k - 1 if signed and extended else None
        self.top = 2 ** (k - 1) - 1 if signed else 2 ** k - 2     # top magnitude code
        self.maxcode = self.top - 1 if extended else self.top
        self.max = self.mag_value(self.maxcode)

    def mag_value(self, c):
        """The value of magnitude code c, also beyond max (the grid unbounded above)."""
        e, m = c >> self.m, c & (2 ** self.m - 1)
        if e == 0:
            return Fraction(m) * Fraction(2) ** (1 - self.bias - self.m)
        return Fraction(2 ** self.m + m) * Fraction(2) ** (e - self.bias - self.m)

    def decode(self, code):
        """Value of a code: a Fraction, 'nan', 'inf' or '-inf'."""
        if code == self.nan:
            return "nan"
        if code == self.pinf:
            return "inf"
        if code == self.ninf:
            return "-inf"
        if self.signed and code > self.nan:
            return -self.mag_value(code - self.nan)
        return self.mag_value(code)


def formats(k1, k2):
    for k in range(k1, k2 + 1):
        for signed in (True, False):
            for p in range(1, k if signed else k + 1):
                for ext in (True, False):
                    yield P3109(k, p, signed, ext)


# ---- the conversion, as defined ------------------------------------------------------
def away_from_zero(mode, sign):
    """Does the mode round a magnitude beyond max toward Inf (satnone)?"""
    if mode in ("rtz", "rto"):
        return False
    if mode == "rtp":
        return not sign
    if mode == "rtn":
        return sign
    return True


class Grid:
    """A format's magnitude grid (codes 0.. and beyond max), for bisection."""

    def __init__(self, f):
        self.f = f
        self.vals = [f.mag_value(c) for c in range(0, f.maxcode + 2 ** (f.m + 1) + 2)]


def neighbours(g, a):
    """(code, code+1) with value(code) <= a < value(code+1), or (code, None) if exact."""
    lo, hi = 0, len(g.vals) - 1
    assert a < g.vals[hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if g.vals[mid] <= a:
            lo = mid
        else:
            hi = mid
    return lo, (None if g.vals[lo] == a else lo + 1)


def prepare(g, x):
    """What the conversion of x needs from the grid, once for every mode: x is
    a Fraction or 'inf'/'-inf'/'nan'.  (kind, sign, lo, hi, num, den) with
    nu = num/den the position of |x| between the neighbours' codes lo < hi
    (hi None: |x| is lo's value, or beyond the grid: lo None)."""
    if x == "nan":
        return ("nan", 0, None, None, 0, 1)
    sign = x == "-inf" or (x != "inf" and x < 0)
    if x in ("inf", "-inf"):
        return ("inf", sign, None, None, 0, 1)
    a = -x if sign else x
    if a == 0:
        return ("zero", sign, 0, None, 0, 1)
    if a >= g.vals[-1]:                          # far beyond max: overflows in every mode
        return ("fin", sign, None, None, 0, 1)
    lo, hi = neighbours(g, a)
    if hi is None:
        return ("fin", sign, lo, None, 0, 1)
    nu = (a - g.vals[lo]) / (g.vals[hi] - g.vals[lo])
    return ("fin", sign, lo, hi, nu.numerator, nu.denominator)


def round_up(mode, n, r, num, den, sign, odd_lo):
    """Does the rounding go to the upper neighbour (away from zero)?
    nu = num/den in (0, 1)."""
    if mode == "rne":
        return 2 * num > den or (2 * num == den and odd_lo)
    if mode == "rna":
        return 2 * num >= den
    if mode == "rtz":
        return False
    if mode == "rtp":
        return not sign
    if mode == "rtn":
        return sign
    if mode == "rto":
        return not odd_lo
    t = 1 << n
    if mode == "sr-a":                           # floor(nu 2^N) + R >= 2^N
        return (num * t) // den + r >= t
    if mode == "sr-b":                           # floor(nu 2^(N+1)) + 2R + 1 >= 2^(N+1)
        return (num * 2 * t) // den + 2 * r + 1 >= 2 * t
    if mode == "sr-c":                           # RNE(nu 2^N) + R >= 2^N
        q, rem = divmod(num * t, den)
        q += 1 if 2 * rem > den or (2 * rem == den and q % 2) else 0
        return q + r >= t
    raise ValueError(mode)


def convert(f, pre, mode, sat, n=0, r=0):
    """The expected code of the input prepare() described."""
    kind, sign, lo, hi, num, den = pre
    if kind == "nan":
        return f.nan
    if sign and not f.signed and kind != "zero":  # below an unsigned range
        if sat != "satnone" or mode in ("rtz", "rtp"):
            return 0
        if kind == "inf" or hi is None:          # -Inf, far below, or exactly a negative value
            return f.nan
        up = round_up(mode, n, r, num, den, True, lo % 2 == 1)
        return 0 if lo == 0 and not up else f.nan
    if kind == "inf":
        if sat != "satfinite" and f.extended:
            return f.ninf if sign else f.pinf
        return f.maxcode + (f.nan if sign else 0)
    if kind == "zero":
        return 0
    if lo is None:
        mag = f.maxcode + 1
    elif hi is None:
        mag = lo
    else:
        mag = hi if round_up(mode, n, r, num, den, sign, lo % 2 == 1) else lo
    if mag > f.maxcode:                           # overflow: Saturate
        mag = f.maxcode
        if sat == "satnone" and f.extended:
            if mode == "rto":                     # the odd one of max's and Inf's codes
                mag = f.top if f.pinf % 2 else f.maxcode
            elif away_from_zero(mode, sign):
                mag = f.top
    if mag == 0:
        return 0
    if f.extended and mag == f.top:
        return f.ninf if sign else f.pinf
    return mag + (f.nan if sign else 0)


# ---- inputs --------------------------------------------------------------------------
def inputs(g, steps, fine_codes):
    """Each grid value up to twice beyond max, each midpoint, and one double
    ulp either side of each; in the gaps above the first fine_codes codes and
    from fine_codes below max on (all of them when fine_codes is None) also
    every k/steps point and its ulps.  +-0, +-Inf, NaN; both signs."""
    f = g.f
    pts = set()
    top = len(g.vals) - 1
    for c in range(top):
        lo, hi = g.vals[c], g.vals[c + 1]
        fine = fine_codes is None or c < fine_codes or c >= f.maxcode - fine_codes
        st = steps if fine else 2
        for k in range(st):
            v = lo + (hi - lo) * k / st
            d = float(v)
            if Fraction(d) != v:
                continue
            pts.add(d)
            if d > 0:
                pts.add(math.nextafter(d, 0))
            pts.add(math.nextafter(d, math.inf))
    pts.add(float(g.vals[top]) * 2)
    pos = sorted(p for p in pts if p > 0)
    xs = [0.0, -0.0, math.inf, -math.inf, math.nan] + pos + [-p for p in pos]
    return np.array(xs, dtype=np.float64)


def as_exact(d):
    if math.isnan(d):
        return "nan"
    if math.isinf(d):
        return "inf" if d > 0 else "-inf"
    return Fraction(d)


# ---- the library, with R fixed -------------------------------------------------------
class Rounding(ctypes.Structure):
    """fp8_rounding (codec.h); its size is checked against the library's."""
    _fields_ = [("mode", ctypes.c_int), ("overflow", ctypes.c_int), ("rand64", ctypes.c_void_p),
                ("rand_state", ctypes.c_void_p), ("sr_bits", ctypes.c_int), ("nan", ctypes.c_int)]


RAND64 = ctypes.CFUNCTYPE(ctypes.c_uint64, ctypes.c_void_p)


class Library:
    def __init__(self):
        self.lib = _lib.core()
        if self.lib.fp8_rounding_sizeof() != ctypes.sizeof(Rounding):
            sys.exit(f"fp8_rounding has {self.lib.fp8_rounding_sizeof()} bytes, this test's copy "
                     f"{ctypes.sizeof(Rounding)}: update Rounding in {__file__}")
        self.r = 0
        self.n = 1
        self.cb = RAND64(lambda state: self.r << (64 - self.n))

    def encode(self, fname, xs, mode, sat, n=0, r=0):
        rc = Rounding()
        self.lib.fp8_rounding_init(ctypes.byref(rc))
        err = _lib.errbuf()
        name = mode if mode[:3] != "sr-" else f"{mode}:{n}"
        _lib.check(self.lib.fp8_round_mode_parse(name.encode(), ctypes.byref(rc), err, _lib.ERRLEN), err)
        _lib.check(self.lib.fp8_overflow_mode_parse(sat.encode(), ctypes.byref(rc), err, _lib.ERRLEN), err)
        if mode[:3] == "sr-":
            self.n, self.r = n, r
            rc.rand64 = ctypes.cast(self.cb, ctypes.c_void_p)
        f = as_format(fname)
        out = np.zeros(xs.shape, dtype=np.uint16)
        ain, aout = _lib.array(xs), _lib.array(out)
        _lib.check(self.lib.fp8_array_encode(f, ctypes.byref(ain), ctypes.byref(aout), ctypes.byref(rc),
                                             None, err, _lib.ERRLEN), err)
        return out


def modes(nmax):
    yield "rne", 0, 0
    yield "rtz", 0, 0
    yield "rna", 0, 0
    yield "rtp", 0, 0
    yield "rtn", 0, 0
    yield "rto", 0, 0
    for m in ("sr-a", "sr-b", "sr-c"):
        for n in range(1, nmax + 1):
            for r in range(2 ** n):
                yield m, n, r


SATS = ("satfinite", "satpropagate", "satnone")


def show(f, code):
    v = f.decode(code)
    return v if isinstance(v, str) else str(v)


def check_conversions(k1, k2, nmax, steps, fine_codes):
    lib = Library()
    bad = {}
    total = 0
    for f in formats(k1, k2):
        g = Grid(f)
        xs = inputs(g, steps, fine_codes)
        pres = [prepare(g, as_exact(d)) for d in xs]
        for mode, n, r in modes(nmax):
            key = mode if n == 0 else f"{mode}:{n}"
            for sat in SATS:
                got = lib.encode(f.name, xs, mode, sat, n, r)
                want = np.array([convert(f, p, mode, sat, n, r) for p in pres], dtype=np.uint16)
                total += len(xs)
                wrong = np.nonzero(got != want)[0]
                if len(wrong):
                    bad[key] = bad.get(key, 0) + len(wrong)
                for i in wrong[:5]:
                    print(f"{f.name} {key} R={r} {sat}: x = {float(xs[i]).hex()}: fp8lab 0x{int(got[i]):x} "
                          f"({show(f, int(got[i]))}), P3109 0x{int(want[i]):x} ({show(f, int(want[i]))})")
    return total, bad


def check_decode_wide(kmax):
    """Every code of the formats with 9..16 exponent bits (K <= kmax): its
    float64 decode against the definitions where the value is a double
    (+-Inf above, 0 or a subnormal below: ldexp's rounding), and its
    encoding back (rne, satfinite) where it is one."""
    lib = Library()
    nbad = ncodes = 0
    for k in range(9, kmax + 1):
        for f in formats(k, k):
            if f.e < 9:
                continue
            codes = np.arange(2 ** k, dtype=np.uint16)
            got = fp8lab.decode(codes, f.name, dtype=np.float64)
            back_x, back_c = [], []
            for c in range(2 ** k):
                want = f.decode(c)
                ncodes += 1
                if isinstance(want, str):
                    w = math.nan if want == "nan" else float(want)
                else:
                    num, den = want.numerator, want.denominator       # den a power of 2
                    e = -(den.bit_length() - 1)
                    if num:
                        tz = (num & -num).bit_length() - 1                # num = sig 2^tz
                        num, e = num >> tz, e + tz
                    try:
                        w = math.ldexp(num, e)
                    except OverflowError:
                        w = math.inf if num > 0 else -math.inf
                    if math.isfinite(w) and Fraction(w) == want:
                        back_x.append(w)
                        back_c.append(c)
                v = got[c]
                if not (v == w or (math.isnan(v) and math.isnan(w))):
                    nbad += 1
                    if nbad <= 20:
                        print(f"decode {f.name} 0x{c:x}: fp8lab {v!r}, P3109 {want}")
            back = lib.encode(f.name, np.array(back_x), "rne", "satfinite")
            for x, c, g in zip(back_x, back_c, back):
                if int(g) != c:
                    nbad += 1
                    if nbad <= 40:
                        print(f"encode {f.name} {x.hex()}: fp8lab 0x{int(g):x}, P3109 0x{c:x}")
    return ncodes, nbad


def main(argv):
    full = "--full" in argv
    k1, k2 = 3, 8
    for a in argv:
        if a.startswith("--formats="):
            k1, k2 = map(int, a.split("=", 1)[1].split(".."))
    # make check: every gap at halves; the gaps next to 0 and to max (where
    # subnormals, underflow and overflow are) at eighths, which puts inputs on
    # every threshold of sr-a/b/c with N <= 2.  --full: every gap at sixteenths.
    nmax, steps, fine = (4, 16, None) if full else (2, 8, 8)
    total, bad = check_conversions(k1, k2, nmax, steps, fine)
    nf = sum(1 for _ in formats(k1, k2))
    print(f"p3109_ref: {nf} formats (K = {k1}..{k2}), {total} conversions, "
          f"stochastic N = 1..{nmax} with every R, gaps cut in {steps}")
    for key in sorted(bad):
        print(f"  mismatches {key}: {bad[key]}")
    rc = 1 if bad else 0
    if "--decode-wide" in argv:
        ncodes, nbad = check_decode_wide(16 if full else 12)
        print(f"p3109_ref: decode of {ncodes} codes of the formats with 9..16 exponent bits: {nbad} mismatches")
        rc |= 1 if nbad else 0
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
