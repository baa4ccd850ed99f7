"""quantize: fake quantization q(x) = s * decode(encode(x / s)) on numpy arrays."""
import ctypes

import numpy as np

from . import _lib
from ._codec import float_input, _check_out, _write_target
from ._format import as_format

__all__ = ["quantize", "scale_for"]

RANGES = ("max", "mse", "fixed")
GRANULARITIES = ("tensor", "channel")


def _channels(a, granularity, axis):
    """a with the channel axis first (a view), or a itself per tensor."""
    if granularity not in GRANULARITIES:
        raise _lib.Fp8labError(f"granularity {granularity!r} (expected 'tensor' or 'channel')")
    if granularity == "tensor":
        return a
    if a.ndim == 0:
        raise _lib.Fp8labError("granularity='channel' on a 0-d array (expected at least one axis)")
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)) or not -a.ndim <= axis < a.ndim:
        raise _lib.Fp8labError(f"axis {axis!r} out of range for a {a.ndim}-d array "
                               f"(expected {-a.ndim}..{a.ndim - 1})")
    return np.moveaxis(a, int(axis), 0)


def _scale_one(f, a, rng):
    """The scale of one tensor (or channel) a under range setting rng."""
    if rng == "max":
        absmax = float(np.nanmax(np.abs(a))) if a.size else 0.0
        if not np.isfinite(absmax):
            raise _lib.Fp8labError(f"range='max' on data holding {absmax} (expected finite values)")
        return _lib.core().fp8_quant_scale_max(f, absmax)
    an = _lib.analysis()
    s, mse = ctypes.c_double(), ctypes.c_double()
    err = _lib.errbuf()
    arr = _lib.array(a)
    _lib.check(an.fp8_quant_search_mse(f, ctypes.byref(arr), ctypes.byref(s), ctypes.byref(mse),
                                       err, _lib.ERRLEN), err)
    return s.value


def scale_for(x, fmt, range="max", granularity="tensor", axis=0):
    """The scale(s) quantize would use: a float per tensor, or a float64 array
    with one scale per index of axis per channel.

    range='max': absmax / fmt.max (min-max calibration; 1 for all zeros);
    range='mse': the scale minimising the MSE of x's values, by the global
    search ``fp8lab accuracy`` runs on a distribution (a log-spaced scan from
    the median |x| to twice max |x|, then GSL's Brent minimiser on the best
    minima), here on the empirical distribution.  NaNs are ignored."""
    f = as_format(fmt)
    if range not in ("max", "mse"):
        raise _lib.Fp8labError(f"range {range!r} (expected 'max' or 'mse', or pass scale= for fixed)")
    a = _channels(float_input(x), granularity, axis)
    if granularity == "tensor":
        return _scale_one(f, a, range)
    return np.array([_scale_one(f, a[c], range) for c in np.ndindex(a.shape[0])], dtype=np.float64)


def quantize(x, fmt, scale=None, granularity="tensor", range="max", axis=0, rounding="rne",
             overflow="sat", seed=None, *, out=None, return_scale=False):
    """Fake-quantize x: s * decode(encode(x / s)) in double, per tensor or per channel.

    x: array-like of real numbers, any shape and strides (float32 stays
       float32, float64 stays float64; other types as for encode).
    fmt: format name, spelling, Format or ml_dtypes dtype.
    scale: None (derive it with range=), a number (per tensor) or a sequence
       with one scale per index of axis (per channel); every scale > 0.
    granularity: 'tensor' or 'channel' (one scale per index of axis).
    range: how a missing scale is set: 'max' (absmax onto fmt.max) or 'mse'
       (the MSE-optimal scale, the search of ``fp8lab accuracy``; see
       scale_for); 'fixed' requires scale=.
    rounding, overflow, seed: as for encode.
    out: optional preallocated float array of x's shape (may be x: in place).
    return_scale: also return the scale(s) used.

    >>> quantize([0.1, -0.73, 2.0], 'float8_e4m3fn', scale=1.0)
    array([ 0.1015625, -0.75     ,  2.       ])
    """
    f = as_format(fmt)
    if range not in RANGES:
        raise _lib.Fp8labError(f"range {range!r} (expected 'max', 'mse' or 'fixed')")
    a = float_input(x)
    am = _channels(a, granularity, axis)
    nch = am.shape[0] if granularity == "channel" else 1
    if scale is None:
        if range == "fixed":
            raise _lib.Fp8labError("range='fixed' needs scale= (a number, or one per channel)")
        scales = (np.array([_scale_one(f, am, range)]) if granularity == "tensor"
                  else np.array([_scale_one(f, am[c], range) for c in np.ndindex(nch)], dtype=np.float64))
    else:
        try:
            scales = np.array(scale, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            raise _lib.Fp8labError(f"scale {scale!r} is not a number or a sequence of numbers") from None
        if np.ndim(scale) == 0 and granularity == "channel":
            scales = np.full(nch, scales[0])
        elif scales.size != nch:
            raise _lib.Fp8labError(f"{scales.size} scales for {nch} "
                                   f"{'channels' if granularity == 'channel' else 'tensor'} "
                                   f"(expected {nch})")
    if out is None:
        res = np.empty_like(a)
    else:
        _check_out(out, a.shape, (np.dtype(np.float32), np.dtype(np.float64)), "values")
        res = _write_target(a, out, in_place_ok=True)
    rm = _channels(res, granularity, axis)
    if granularity == "channel" and nch == 0:
        return (res, scales) if return_scale else res
    flags = ctypes.c_uint(0)
    err = _lib.errbuf()
    sp = scales.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    with _lib.rounding(rounding, overflow, seed) as rc:
        ain, aout = _lib.array(am), _lib.array(rm)
        st = _lib.core().fp8_array_quantize(f, ctypes.byref(ain), ctypes.byref(aout), sp, scales.size,
                                            rc, ctypes.byref(flags), err, _lib.ERRLEN)
    _lib.check(st, err)
    if out is not None and res is not out:
        out[...] = res
        res = out
    if return_scale:
        return res, (float(scales[0]) if granularity == "tensor" else scales)
    return res
