"""Format: a libfp8lab number-format descriptor, with its fields and limits."""
import ctypes

import numpy as np

from . import _lib

__all__ = ["Format", "formats", "as_format"]

_INT_KEYS = {"bits", "ebits", "mbits", "bias", "emin", "emax", "max_code", "nan_code",
             "inf_code", "finite_values", "product_bits", "kulisch_bits"}
_BOOL_KEYS = {"subnormals", "has_inf", "has_nan", "has_negzero"}
_FLOAT_KEYS = {"max", "min_normal", "min_subnormal"}


def _parse_describe(text):
    info = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key in _INT_KEYS:
            v = int(value)
            info[key] = None if key in ("nan_code", "inf_code") and v < 0 else v
        elif key in _BOOL_KEYS:
            info[key] = value == "1"
        elif key in _FLOAT_KEYS:
            info[key] = float(value)
        else:                                # names, and keys newer than this module
            info[key] = value
    return info


def parse_describe(sizeof, parse, describe, text):
    """An opaque descriptor parsed by the library from text (buffer of
    sizeof() bytes; a parse error raises Fp8labError with its message) and
    its describe() text: the pattern of every descriptor bindings hold."""
    _lib.check_no_nul(text)
    buf = ctypes.create_string_buffer(sizeof())
    err = _lib.errbuf()
    _lib.check(parse(text.encode("utf-8", "replace"), buf, err, _lib.ERRLEN), err)
    n = describe(buf, None, 0)
    out = ctypes.create_string_buffer(n + 1)
    describe(buf, out, n + 1)
    return buf, out.value.decode()


def _spec_of(spec):
    """A format spelling from a str, a Format, or a numpy/ml_dtypes dtype."""
    if isinstance(spec, str):
        return spec
    try:
        dt = np.dtype(spec)
    except TypeError:
        raise TypeError(f"format {spec!r} (expected a name such as 'float8_e4m3fn' or 'e4m3:fn', "
                        "a Format, or an ml_dtypes dtype)") from None
    return dt.name           # ml_dtypes' names are fp8lab presets (float8_e4m3fn, ...)


class Format:
    """A number format, parsed by the library from a preset name or spelling.

    ``Format(spec)`` accepts everything ``fp8lab --to``/``--format`` accepts:
    presets (``int8``, ``fp8-e4``, ``float8_e4m3fn``, ``torch.float8_e5m2``,
    ``fp16``, ...) and generic spellings (``e4m3:fn:bias=7``, ``e2m1:none:nosub``,
    ``int4-sm``); see ``man fp8lab-formats``.  An ml_dtypes dtype (or its
    scalar type) names the matching preset.

    Attributes (from the descriptor): ``name``, ``canonical``, ``bits``,
    ``ebits``, ``mbits``, ``bias``, ``special`` (ieee/fn/fnuz/none, '-' for
    integers), ``intenc`` (twos/signmag, '-' for floats), ``subnormals``,
    ``has_inf``, ``has_nan``, ``has_negzero``, ``emin``, ``emax``, ``max``,
    ``min_normal``, ``min_subnormal``, ``max_code``, ``nan_code`` and
    ``inf_code`` (None where there is none), ``finite_values``,
    ``product_bits``, ``kulisch_bits``; ``note`` for presets.  Derived:
    ``code_dtype`` (uint8 up to 8 bits, else uint16) and ``ml_dtype`` (the
    ml_dtypes dtype with the same encoding, or None).

    >>> f = Format('float8_e4m3fn')
    >>> f.max, f.min_subnormal, f.canonical
    (448.0, 0.001953125, 'e4m3:fn')
    """

    __slots__ = ("_buf", "_info", "note", "_as_parameter_")

    def __init__(self, spec):
        if isinstance(spec, Format):
            self._buf, self._info, self.note = spec._buf, spec._info, spec.note
            self._as_parameter_ = spec._as_parameter_
            return
        text = _spec_of(spec)
        lib = _lib.core()
        buf, desc = parse_describe(lib.fp8_format_sizeof, lib.fp8_format_parse, lib.fp8_format_describe, text)
        self._buf = buf
        self._as_parameter_ = ctypes.c_void_p(ctypes.addressof(buf))   # passed straight to C
        self._info = _parse_describe(desc)
        self.note = None

    def __getattr__(self, key):
        if key.startswith("_"):                 # not a field (and _info itself, before __init__)
            raise AttributeError(key)
        try:
            return self._info[key]
        except KeyError:
            raise AttributeError(f"Format has no attribute {key!r}") from None

    def __dir__(self):
        return sorted(set(object.__dir__(self)) | set(self._info))

    def fields(self):
        """Every field and limit the library describes, as a dict."""
        return dict(self._info)

    @property
    def code_dtype(self):
        """numpy dtype of this format's codes: uint8 up to 8 bits, uint16 above."""
        if self.bits > 16:
            raise _lib.Fp8labError(f"format '{self.name}' has {self.bits} bits "
                                   "(expected at most 16 for code arrays)")
        return np.dtype(np.uint8 if self.bits <= 8 else np.uint16)

    @property
    def ml_dtype(self):
        """The ml_dtypes dtype whose encoding is this format's, or None."""
        from ._dtypes import ml_dtype_of
        return ml_dtype_of(self)

    def __reduce__(self):                       # pickle / copy: re-parse the name
        return (Format, (self.name,))

    def __eq__(self, other):
        return isinstance(other, Format) and other.canonical == self.canonical

    def __hash__(self):
        return hash(self.canonical)

    def __repr__(self):
        return f"Format({self.name!r})"

    def __str__(self):
        return (f"{self.name} ({self.canonical}): {self.bits} bits, max {self.max:g}, "
                f"min subnormal {self.min_subnormal:g}")


_parsed = {}


def as_format(fmt):
    """fmt as a Format; strings are parsed once (Formats are immutable)."""
    if isinstance(fmt, Format):
        return fmt
    if isinstance(fmt, str):
        f = _parsed.get(fmt)
        if f is None:
            f = Format(fmt)
            if len(_parsed) < 256:
                _parsed[fmt] = f
        return f
    return Format(fmt)


def formats():
    """The library's presets, in its table order, as Format objects (with ``note``)."""
    lib = _lib.core()
    out = []
    for i in range(lib.fp8_format_preset_count()):
        f = Format(lib.fp8_format_preset_name(i).decode())
        f.note = lib.fp8_format_preset_note(i).decode()
        out.append(f)
    return out
