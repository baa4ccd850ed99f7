"""gemm: a matrix product of code matrices through a dot-product unit, by the
library's fp8_gemm (src/unit/dot.h) -- the code path of ``fp8lab gemm``."""
import ctypes

import numpy as np

from . import _lib
from ._dtypes import codes_of
from ._format import as_format

__all__ = ["gemm"]

# out= spellings -> (the library's output format, the numpy type of the result)
_OUTS = {"f32": "fp32", "fp32": "fp32", "float32": "fp32",
         "bf16": "bf16", "bfloat16": "bf16",
         "f16": "fp16", "fp16": "fp16", "float16": "fp16"}

_units = {}      # unit spelling -> parsed fp8_dot_spec bytes (read-only to the library)
_declared = None


def _lib_gemm():
    """libfp8lab with the dot-product unit's prototypes declared (once)."""
    global _declared
    if _declared is None:
        lib = _lib.core()
        P, S, I, C = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_char_p
        F = ctypes.c_float
        _lib.prototype(lib, "fp8_dot_spec_sizeof", S)
        _lib.prototype(lib, "fp8_dot_spec_parse", I, C, P, C, S)
        _lib.prototype(lib, "fp8_block_format_sizeof", S)
        _lib.prototype(lib, "fp8_block_from_format", None, P, P)
        _lib.prototype(lib, "fp8_gemm", I, P, P, P, S, S, S, P, P, P, P, F, F, P, P, C, S)
        _declared = lib
    return _declared


def _operand(fmt):
    """The library's operand description (src/format/block.h) of a per-tensor format:
    the block format with no block scale."""
    lib = _lib_gemm()
    buf = ctypes.create_string_buffer(lib.fp8_block_format_sizeof())
    lib.fp8_block_from_format(fmt, buf)
    return buf


def _unit(unit, promote, splitk=None):
    """The parsed unit (a ctypes buffer); promote=K and splitk=S are the
    spelling's ':promote=K' and ':splitk=S' keys, which override the unit's
    own, as --promote and --splitk do."""
    if not isinstance(unit, str):
        raise TypeError(f"unit must be a unit spelling (str) such as 'hopper-fp8', not "
                        f"{type(unit).__name__}")
    if promote is not None:
        if isinstance(promote, bool) or not isinstance(promote, (int, np.integer)):
            raise _lib.Fp8labError(f"promote={promote!r} (expected None (the unit's own), 0 (never) "
                                   "or every K >= 1 steps)")
        # the argument replaces the spelling's own promote= (a key given twice is refused)
        unit = ":".join([p for p in unit.split(":") if not p.startswith("promote=")] +
                        [f"promote={int(promote)}"])
    if splitk is not None:
        if not (splitk == "auto" or (isinstance(splitk, (int, np.integer)) and not isinstance(splitk, bool))):
            raise _lib.Fp8labError(f"splitk={splitk!r} (expected None (the unit's own), 'auto' or "
                                   "1..1024 chunks of K)")
        # likewise the spelling's own splitk=
        unit = ":".join([p for p in unit.split(":") if not p.startswith("splitk=")] +
                        [f"splitk={splitk if splitk == 'auto' else int(splitk)}"])
    _lib.check_no_nul(unit, "unit")
    buf = _units.get(unit)
    if buf is None:
        lib = _lib_gemm()
        buf = ctypes.create_string_buffer(lib.fp8_dot_spec_sizeof())
        err = _lib.errbuf()
        _lib.check(lib.fp8_dot_spec_parse(unit.encode("utf-8", "replace"), buf, err, _lib.ERRLEN), err)
        if len(_units) < 256:
            _units[unit] = buf
    return buf


def _codes(x, fmt, name):
    """x as a 2-d uint8 code array and its Format (fmt, or x's ml_dtypes type)."""
    a = np.asarray(x)
    a, fmt = codes_of(a, fmt)
    if a.ndim != 2:
        raise _lib.Fp8labError(f"{name} has shape {a.shape} (expected a 2-d matrix of codes)")
    if a.dtype != np.uint8:
        if a.dtype.kind in "iu":
            if a.size and (a.min() < 0 or a.max() > 0xff):
                bad = a.flat[np.flatnonzero((a < 0) | (a > 0xff))[0]]
                raise _lib.Fp8labError(f"{name} holds code {bad} (expected codes 0..255, one byte each)")
            a = a.astype(np.uint8)
        else:
            raise _lib.Fp8labError(f"{name} of type {a.dtype} (expected uint8 codes or an ml_dtypes "
                                   "float8 array; encode numbers first, e.g. fp8lab.encode(x, fmt))")
    return a, fmt


def _check_fits(a, f, name):
    """Every code of a is a code of f (below 2^bits), in the library's words
    (fp8_gemm_check_codes, which refuses the same bytes) but with a's own
    indices: the library sees b transposed."""
    if f.bits < 8 and a.size:
        over = (a >> f.bits) != 0
        if over.any():
            flat = int(np.flatnonzero(over)[0])
            i = np.unravel_index(flat, a.shape)
            raise _lib.Fp8labError(f"{name}[{i[0]}, {i[1]}] (byte {flat}) is {int(a[i]):#04x}, "
                                   f"beyond the {f.bits}-bit format {f.name} (expected 0..{(1 << f.bits) - 1:#x})")


def _scale(s, name):
    if np.ndim(s) != 0:
        raise _lib.Fp8labError(f"{name} of shape {np.shape(s)} (expected one number: the per-tensor "
                               "scale)")
    if s is None or isinstance(s, (str, bytes)) or np.asarray(s).dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a real number (the per-tensor scale), not {type(s).__name__}: "
                        f"{name}={s!r}")
    try:
        with np.errstate(over="ignore"):
            return float(np.float32(s))       # as the CLI's (float) of the double
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, not {type(s).__name__}") from None


def _out(out):
    name = out
    if not isinstance(out, str) and out is not None:
        try:
            name = np.dtype(out).name          # np.float32, np.float16, ml_dtypes.bfloat16
        except TypeError:
            pass
    fmt = _OUTS.get(name) if isinstance(name, str) else None
    if fmt is None:
        raise _lib.Fp8labError(f"out={out!r} (expected 'f32', 'bf16' or 'f16')")
    if fmt == "fp32":
        return fmt, np.dtype(np.float32)
    if fmt == "fp16":
        return fmt, np.dtype(np.float16)
    try:
        import ml_dtypes
    except ImportError:
        raise _lib.Fp8labError("out='bf16' returns an ml_dtypes.bfloat16 array: install ml_dtypes "
                               "(pip install ml_dtypes)") from None
    return fmt, np.dtype(ml_dtypes.bfloat16)


def gemm(a, b, unit="hopper-fp8", promote=None, a_format=None, b_format=None, scale_a=1.0,
         scale_b=1.0, out="f32", splitk=None):
    """The product a @ b of two code matrices as a dot-product unit computes it.

    The library's fp8_gemm (the code path of ``fp8lab gemm``): each output
    C[i, j] is one chain over K of a[i, :] and b[:, j] through the unit --
    steps of the unit's n products added with the running accumulator (the
    last step padded with zeros), promotion into fp32 every `promote` steps --
    then out = round(round_fp32(acc * round_fp32(scale_a * scale_b))) into the
    output type.  With unit='hopper-fp8' the result is what an NVIDIA H100/H200
    tensor core returns from torch._scaled_mm(a, b, scale_a, scale_b,
    out_dtype, use_fast_accum=True); promote=4 gives use_fast_accum=False
    (cuBLAS promotes every 128 values of K).  Checked bit for bit against an
    H200 recording (tests/data/h200-fp8).  For K > 4096 cuBLAS splits K:
    splitk='auto' reproduces its split as recorded on an H100
    (tests/data/h100-fp8-largek, K = 6144..16384).

    a: M x K codes, b: K x N codes (numpy.matmul's layout), each a uint8 array
       (or integers 0..255) of codes of a_format / b_format, or an array of an
       ml_dtypes float8 type (its codes; the format is then the dtype's).  Any
       strides: a is copied only if not C-contiguous, b only if its transpose
       is not (so b = B.T of a C-contiguous N x K matrix B, torch._scaled_mm's
       layout, is read in place).
    unit: a dot-product unit: 'hopper-fp8' (default), 'ada-fp8',
       'blackwell-fp8', an accumulator ('fp32', 'bf16', 'fp16', 'kulisch',
       'eXmY': one exact product per step), with ':key=value' overrides
       ('hopper-fp8:promote=4', 'fp32:n=16:window=24:term=rne'); see fp8lab(1).
    promote: None (default: the unit's own, 0 for the presets), 0 (one
       chain), or P >= 1: promote into fp32 every P steps (as --promote).
    splitk: None (default: the unit's own, one chain for the presets), S
       (1..1024): K cut into S chunks on 128-product tiles, one chain each,
       their fp32 results added in order in fp32 before the epilogue; or
       'auto': cuBLAS's choice as measured on Hopper (K <= 4096: 1, else
       ceil(K / 3072)); as --splitk, see fp8lab(1).  Per-tensor formats only.
    a_format: format of a's codes (at most 8 bits): default the ml_dtypes
       dtype's, else 'float8_e4m3fn' (as the CLI).  b_format: default b's
       ml_dtypes dtype's, else a's format.
    scale_a, scale_b: per-tensor scales, rounded to float32.
    out: 'f32' (default: a float32 array), 'bf16' (an ml_dtypes.bfloat16
       array) or 'f16' (a numpy float16 array); a NaN result is the positive
       NaN with every other bit set (NVIDIA's).

    Returns a new C-contiguous M x N array.  The GIL is released while the
    library runs.  Raises Fp8labError (a ValueError) with the library's
    message on a bad unit or format, and on shapes that do not multiply,
    codes that do not fit their format, or a bad out or scale.

    >>> import ml_dtypes
    >>> a = np.float32([[1, 2], [3, 4]]).astype(ml_dtypes.float8_e4m3fn)
    >>> gemm(a, a)
    array([[ 7., 10.],
           [15., 22.]], dtype=float32)
    """
    a, af = _codes(a, a_format, "a")
    b, bf = _codes(b, b_format, "b")
    if a.shape[1] != b.shape[0]:
        raise _lib.Fp8labError(f"a has shape {a.shape} and b {b.shape} (expected a: M x K and b: K x N, "
                               f"a's {a.shape[1]} columns equal to b's {b.shape[0]} rows)")
    fa = as_format(af if af is not None else "float8_e4m3fn")
    fb = as_format(bf) if bf is not None else fa
    _check_fits(a, fa, "a")
    _check_fits(b, fb, "b")
    sa, sb = _scale(scale_a, "scale_a"), _scale(scale_b, "scale_b")
    ofmt, odtype = _out(out)
    spec = _unit(unit, promote, splitk)
    m, k = a.shape
    n = b.shape[1]
    A = np.ascontiguousarray(a)          # M x K row-major
    B = np.ascontiguousarray(b.T)        # N x K row-major: row j is column j of the product
    res = np.empty((m, n), np.float32 if ofmt == "fp32" else np.uint16)
    lib = _lib_gemm()
    err = _lib.errbuf()
    st = lib.fp8_gemm(spec, _operand(fa), _operand(fb), m, n, k, A.ctypes.data, B.ctypes.data, None, None,
                      sa, sb, as_format(ofmt), res.ctypes.data, err, _lib.ERRLEN)
    _lib.check(st, err)
    return res if ofmt == "fp32" else res.view(odtype)
