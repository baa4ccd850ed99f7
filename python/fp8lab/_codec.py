"""encode and decode: numpy arrays of any shape and layout, through libfp8lab."""
import ctypes

import numpy as np

from . import _lib
from ._dtypes import codes_of
from ._format import as_format

__all__ = ["encode", "decode", "FLAG_NAMES", "flag_names"]

FLAG_NAMES = ("inexact", "underflow", "overflow", "invalid")   # bit k is FLAG_NAMES[k]


def flag_names(bits):
    """The names of the FP8_FLAG_* bits set in bits (codec.h)."""
    return frozenset(n for k, n in enumerate(FLAG_NAMES) if bits >> k & 1)


def float_input(x):
    """x as a float32 or float64 ndarray, without a copy when it is one:
    float16, bfloat16, the ml_dtypes types (float8/6/4, int4, ...), bool and
    integers of up to 16 bits widen exactly to float32; other numbers go to float64."""
    a = np.asarray(x)
    if a.dtype in (np.float32, np.float64):
        return a
    k, size = a.dtype.kind, a.dtype.itemsize
    if k in "cSUMmO":
        raise TypeError(f"input of type {a.dtype} (expected real numbers: a float, int or bool "
                        "array, or an ml_dtypes type)")
    small = (k in "biuf" and size <= 2) or k == "V"     # ml_dtypes' types widen to float32
    try:
        return a.astype(np.float32 if small else np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"input of type {a.dtype} is not numeric (expected real numbers)") from None


def _check_out(out, shape, dtypes, what):
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a numpy array, not {type(out).__name__}")
    if out.shape != shape:
        raise _lib.Fp8labError(f"out has shape {out.shape}, the input {shape} (expected the same)")
    if out.dtype not in dtypes:
        raise _lib.Fp8labError(f"out of type {out.dtype} (expected {' or '.join(map(str, dtypes))} "
                               f"for {what})")
    if not out.flags.writeable:
        raise _lib.Fp8labError("out is read-only (expected a writeable array)")


def _write_target(inp, out, in_place_ok=False):
    """The array the library writes: out itself, or a fresh one when out may
    overlap inp.  The library reads and writes element by element in one pass,
    so an output that is, say, a reversed view of the input would read values
    it has already overwritten.  Only an output laid over the input exactly
    (same start, dtype and strides: in place) is safe, and only where
    in_place_ok (elementwise float to float).  The caller copies a fresh
    result into out."""
    if not np.may_share_memory(inp, out):
        return out
    if (in_place_ok and inp.dtype == out.dtype and inp.strides == out.strides
            and inp.__array_interface__["data"][0] == out.__array_interface__["data"][0]):
        return out
    return np.empty_like(out)


def encode(x, fmt, rounding="rne", overflow="sat", seed=None, *, out=None, ml_dtype=False,
           return_flags=False):
    """Encode numbers into codes of fmt, bit for bit as ``fp8lab cast``.

    x: array-like of real numbers, any shape and strides (float32 and float64
       are read in place; float16/bfloat16/ml_dtypes floats widen exactly to
       float32, other types to float64).  float32 contiguous runs go through
       the library's vectorized kernel.
    fmt: a format name or spelling ('float8_e4m3fn', 'fp8-e4', 'e3m4:fnuz'),
       a Format, or an ml_dtypes dtype.
    rounding: 'rne' (default), 'rtz', 'rna', 'stochastic' -- any name the
       library accepts (passed to its parser).
    overflow: 'sat' (default: +-max) or 'nonsat' (Inf, or NaN where there is
       no Inf); any name the library accepts.
    seed: required for stochastic rounding (0..2^64-1); the same seed gives the
       codes ``fp8lab cast --round stochastic --seed N`` gives for the
       flattened (C-order) array.
    out: optional preallocated code array (uint8/uint16, any strides, x's shape).
    ml_dtype: return the codes as an array of the matching ml_dtypes type
       (a view, no copy); an error if ml_dtypes has none.
    return_flags: also return the frozenset of exception flags raised
       ('inexact', 'underflow', 'overflow', 'invalid').

    Returns codes of x's shape (and memory order, as numpy's astype):
    uint8 for formats up to 8 bits, uint16 above.
    Raises Fp8labError (a ValueError) with the library's message on a bad
    format, mode, seed or out.  The GIL is released while the library runs.

    >>> encode([1.0, 500.0, -0.1], 'float8_e4m3fn')
    array([ 56, 126, 157], dtype=uint8)
    """
    f = as_format(fmt)
    a = float_input(x)
    code_dtype = f.code_dtype
    if out is None:
        res = np.empty_like(a, dtype=code_dtype)     # a's memory order: a view runs contiguously
    else:
        _check_out(out, a.shape, (np.dtype(np.uint8), np.dtype(np.uint16)) if f.bits <= 8
                   else (np.dtype(np.uint16),), f"codes of {f.name}")
        res = _write_target(a, out)
    if ml_dtype:
        mt = f.ml_dtype
        if mt is None:
            raise _lib.Fp8labError(f"ml_dtypes has no type for '{f.name}' ({f.canonical}) "
                                   "(or ml_dtypes is not installed)")
    flags = ctypes.c_uint(0)
    err = _lib.errbuf()
    with _lib.rounding(rounding, overflow, seed) as rc:
        ain, aout = _lib.array(a), _lib.array(res)
        # flags only when asked for: the kernel is faster without
        st = _lib.core().fp8_array_encode(f, ctypes.byref(ain), ctypes.byref(aout), rc,
                                          ctypes.byref(flags) if return_flags else None,
                                          err, _lib.ERRLEN)
    _lib.check(st, err)
    if out is not None and res is not out:
        out[...] = res
        res = out
    if ml_dtype:
        res = res.view(mt)
    return (res, flag_names(flags.value)) if return_flags else res


def decode(codes, fmt=None, dtype=np.float32, *, out=None):
    """The values of codes of fmt.

    codes: uint8/uint16 array-like of any shape and strides (read in place),
       or an array of an ml_dtypes float8/6/4 type (its codes; fmt may then be
       omitted, or must be the same format).  Every code must fit fmt's bits.
    fmt: as for encode.
    dtype: float32 (default; exact for every value a float32 holds) or float64
       (exact for every format the library accepts).
    out: optional preallocated float32/float64 array of codes' shape.

    >>> decode(np.array([0x38, 0x7e, 0x7f], dtype=np.uint8), 'float8_e4m3fn')
    array([  1., 448.,  nan], dtype=float32)
    """
    a = np.asarray(codes)
    a, fmt = codes_of(a, fmt)
    if fmt is None:
        raise _lib.Fp8labError(f"codes of type {a.dtype} need a format (fmt=...)")
    f = as_format(fmt)
    if a.dtype not in (np.uint8, np.uint16):
        if a.dtype.kind in "iu" and (a.size == 0 or (a.min() >= 0 and a.max() <= 0xffff)):
            a = a.astype(np.uint16)
        else:
            raise _lib.Fp8labError(f"codes of type {a.dtype} (expected uint8 or uint16 codes, "
                                   "or an ml_dtypes float8/6/4 array)")
    want = np.dtype(dtype)
    if want not in (np.float32, np.float64):
        raise _lib.Fp8labError(f"dtype {want} (expected float32 or float64)")
    if out is None:
        res = np.empty_like(a, dtype=want)
    else:
        _check_out(out, a.shape, (np.dtype(np.float32), np.dtype(np.float64)), "values")
        res = _write_target(a, out)
    err = _lib.errbuf()
    ain, aout = _lib.array(a), _lib.array(res)
    st = _lib.core().fp8_array_decode(f, ctypes.byref(ain), ctypes.byref(aout), err, _lib.ERRLEN)
    _lib.check(st, err)
    if out is not None and res is not out:
        out[...] = res
        res = out
    return res
