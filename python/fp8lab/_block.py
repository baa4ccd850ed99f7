"""Block-scaled formats (OCP MX, NVFP4, any element/scale/block combination)
on numpy arrays, through libfp8lab's block quantizer (src/block.h).

Blocks of B values run along the last axis; a row's last block may be short.
The scales of an array of shape (..., n) have shape (..., ceil(n / B)); the
per-tensor scale T (NVFP4) is a float, 1.0 for formats without one.
"""
import ctypes

import numpy as np

from . import _lib
from ._codec import float_input
from ._format import Format, parse_describe

__all__ = ["BlockFormat", "block_formats", "block_encode", "block_decode", "block_quantize"]

_declared = False


def _core():
    """libfp8lab with the block prototypes declared (once)."""
    global _declared
    lib = _lib.core()
    if not _declared:
        P, S, I, C, D = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_char_p, ctypes.c_double
        U = ctypes.POINTER(ctypes.c_uint)
        _lib.prototype(lib, "fp8_block_format_sizeof", S)
        _lib.prototype(lib, "fp8_block_parse", I, C, P, C, S)
        _lib.prototype(lib, "fp8_block_describe", S, P, C, S)
        _lib.prototype(lib, "fp8_block_preset_count", S)
        _lib.prototype(lib, "fp8_block_preset_name", C, S)
        _lib.prototype(lib, "fp8_block_preset_note", C, S)
        _lib.prototype(lib, "fp8_block_preset_source", C, S)
        _lib.prototype(lib, "fp8_block_tensor_scale", D, P, D)
        _lib.prototype(lib, "fp8_block_encode_rows", None, P, D, P, S, S, P, P, P, U)
        _lib.prototype(lib, "fp8_block_decode_rows", None, P, D, P, P, S, S, P)
        _lib.prototype(lib, "fp8_block_quant_rows", None, P, D, P, P, S, S, P, U)
        _declared = True
    return lib


_KEYS_INT = {"shift", "block", "elem_bits", "scale_bits", "emax", "elem_max_code", "scale_max_code"}
_KEYS_FLOAT = {"elem_max", "bits_per_value"}


class BlockFormat:
    """A block-scaled format parsed by the library: a preset (``mxfp8_e4m3``,
    ``mxfp8_e5m2``, ``mxfp6_e3m2``, ``mxfp6_e2m3``, ``mxfp4_e2m1``, ``mxint8``,
    ``nvfp4``) or ``block:elem=FORMAT``, each with ``:KEY=VALUE`` parts (elem,
    scale, block, rule, tensor, shift); see ``man fp8lab-formats``.

    Attributes: ``name``, ``canonical``, ``elem`` and ``scale`` (Formats),
    ``shift``, ``block``, ``rule``, ``tensor`` (bool), ``elem_max`` (the
    element's largest value, Emax), ``emax``, ``bits_per_value``; ``note`` and
    ``source`` for presets; ``code_dtype``/``scale_dtype`` of code arrays.

    >>> BlockFormat('nvfp4').bits_per_value
    4.5
    """

    def __init__(self, spec):
        if isinstance(spec, BlockFormat):
            spec = spec.name
        if not isinstance(spec, str):
            raise TypeError(f"block format {spec!r} (expected a name such as 'mxfp8_e4m3' or 'nvfp4')")
        lib = _core()
        buf, desc = parse_describe(lib.fp8_block_format_sizeof, lib.fp8_block_parse, lib.fp8_block_describe,
                                   spec)
        info = {}
        for line in desc.splitlines():
            k, _, v = line.partition("=")
            info[k] = int(v) if k in _KEYS_INT else float(v) if k in _KEYS_FLOAT else v
        info["tensor"] = info.get("tensor") == "1"
        self._buf = buf
        self._as_parameter_ = ctypes.c_void_p(ctypes.addressof(buf))
        self._info = info
        self.elem = Format(info["elem"])
        self.scale = Format(info["scale"])
        self.note = self.source = None
        for i in range(lib.fp8_block_preset_count()):
            if lib.fp8_block_preset_name(i).decode() == spec:
                self.note = lib.fp8_block_preset_note(i).decode()
                self.source = lib.fp8_block_preset_source(i).decode()

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self._info[key]
        except KeyError:
            raise AttributeError(f"BlockFormat has no attribute {key!r}") from None

    @property
    def code_dtype(self):
        return np.dtype(np.uint8 if self.elem_bits <= 8 else np.uint16)

    @property
    def scale_dtype(self):
        return np.dtype(np.uint8 if self.scale_bits <= 8 else np.uint16)

    def tensor_scale(self, x):
        """T for array x: from the largest finite magnitude (1.0 without a tensor scale)."""
        a = np.abs(float_input(x).astype(np.float64, copy=False))
        fin = a[np.isfinite(a)]
        return _core().fp8_block_tensor_scale(self, float(fin.max()) if fin.size else 0.0)

    def __repr__(self):
        return f"BlockFormat({self.name!r})"


def _as_block(fmt):
    return fmt if isinstance(fmt, BlockFormat) else BlockFormat(fmt)


def block_formats():
    """The block presets, in the library's table order."""
    lib = _core()
    return [BlockFormat(lib.fp8_block_preset_name(i).decode()) for i in range(lib.fp8_block_preset_count())]


def _rows(x):
    a = float_input(x)
    if a.ndim == 0:
        raise _lib.Fp8labError("a 0-d array (expected at least one axis: blocks run along the last)")
    a = np.ascontiguousarray(a, dtype=np.float64)
    n = a.shape[-1]
    return a, (a.size // n if n else 0), n


def _ptr(a):
    return a.ctypes.data_as(ctypes.c_void_p)


def _check_no_tensor(bf, t, what):
    """A format without a tensor scale (every MX format) has T = 1: the
    library would multiply by any other t, giving values no such format has."""
    if not bf.tensor and t != 1.0:
        raise _lib.Fp8labError(f"{what} {t!r}: {bf.name} has no tensor scale (expected 1.0; formats with "
                               f"tensor=on, such as nvfp4, take one)")


def block_encode(x, fmt, rounding="rne", overflow="sat", seed=None, tensor_scale=None):
    """Quantize x into fmt, blocks along the last axis.

    Returns (codes, scales, t): codes of x's shape (uint8 up to 8-bit
    elements, 4- and 6-bit codes unpacked; uint16 wider), scale codes of shape
    x.shape[:-1] + (ceil(n / B),), and the tensor scale T (computed from the
    largest finite |x| unless given; 1.0 for formats without one, which
    refuse any other).  The same
    codes as ``fp8lab cast --to FMT --binary --row n``.  rounding, overflow,
    seed apply to the elements, as for encode."""
    bf = _as_block(fmt)
    a, nrows, n = _rows(x)
    t = bf.tensor_scale(a) if tensor_scale is None else float(tensor_scale)
    if not (np.isfinite(t) and t > 0):
        raise _lib.Fp8labError(f"tensor_scale {tensor_scale!r} (expected a finite positive number)")
    _check_no_tensor(bf, t, "tensor_scale")
    nb = -(-n // bf.block) if n else 0
    codes = np.empty(a.shape, dtype=np.uint32)
    scales = np.empty(a.shape[:-1] + (nb,), dtype=np.uint32)
    flags = ctypes.c_uint(0)
    if a.size:
        with _lib.rounding(rounding, overflow, seed) as rc:
            _core().fp8_block_encode_rows(bf, t, _ptr(a), nrows, n, _ptr(codes), _ptr(scales), rc,
                                          ctypes.byref(flags))
    return codes.astype(bf.code_dtype), scales.astype(bf.scale_dtype), t


def block_decode(codes, scales, fmt, t=1.0):
    """The values (float64, exact) of codes with their block scales (the
    output of block_encode).  Codes beyond their formats are an error, and so
    is a t other than 1.0 for a format without a tensor scale (MX)."""
    bf = _as_block(fmt)
    c, s = np.asarray(codes), np.asarray(scales)
    for arr, what in ((c, "codes"), (s, "scales")):
        if arr.dtype.kind not in "ui":
            raise TypeError(f"{what} of type {arr.dtype} (expected an integer array)")
    if c.ndim == 0:
        raise _lib.Fp8labError("0-d codes (expected at least one axis: blocks run along the last)")
    n = c.shape[-1]
    nb = -(-n // bf.block) if n else 0
    if s.shape != c.shape[:-1] + (nb,):
        raise _lib.Fp8labError(f"scales of shape {s.shape} for codes of shape {c.shape} (expected "
                               f"{c.shape[:-1] + (nb,)}: one per block of {bf.block} along the last axis)")
    for arr, top, what in ((c, bf.elem_max_code, "element"), (s, bf.scale_max_code, "scale")):
        if arr.size and (arr.min() < 0 or arr.max() > top):
            bad = arr[(arr < 0) | (arr > top)].flat[0]
            raise _lib.Fp8labError(f"{what} code {int(bad)} is beyond the format (expected 0..{top})")
    t = float(t)
    if not (np.isfinite(t) and t > 0):
        raise _lib.Fp8labError(f"t {t!r} (expected a finite positive tensor scale)")
    _check_no_tensor(bf, t, "t")
    out = np.empty(c.shape, dtype=np.float64)
    if c.size:
        c32, s32 = c.astype(np.uint32), s.astype(np.uint32)
        _core().fp8_block_decode_rows(bf, t, _ptr(c32), _ptr(s32), c.size // n, n, _ptr(out))
    return out


def block_quantize(x, fmt, rounding="rne", overflow="sat", seed=None):
    """decode(encode(x)) in float64: x fake-quantized in fmt, blocks along the last axis."""
    bf = _as_block(fmt)
    a, nrows, n = _rows(x)
    t = bf.tensor_scale(a)
    out = np.empty(a.shape, dtype=np.float64)
    flags = ctypes.c_uint(0)
    if a.size:
        with _lib.rounding(rounding, overflow, seed) as rc:
            _core().fp8_block_quant_rows(bf, t, _ptr(a), _ptr(out), nrows, n, rc, ctypes.byref(flags))
    return out
