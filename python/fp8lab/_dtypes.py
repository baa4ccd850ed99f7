"""Interop with ml_dtypes: its float8/float6/float4 dtypes as formats, and back."""
import numpy as np

__all__ = ["ml_dtype_of", "codes_of"]

# ml_dtypes' sub-byte-value types, each stored one code per byte
_ML_NAMES = ("float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
             "float8_e4m3b11fnuz", "float8_e3m4", "float8_e4m3", "float8_e8m0fnu",
             "float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn")
_by_canonical = None


def _table():
    """canonical spelling -> ml_dtypes dtype, for the types the library knows."""
    global _by_canonical
    if _by_canonical is None:
        from ._format import Format
        from ._lib import Fp8labError
        table = {}
        try:
            import ml_dtypes
        except ImportError:
            ml_dtypes = None
        for name in _ML_NAMES if ml_dtypes else ():
            t = getattr(ml_dtypes, name, None)
            if t is None:
                continue
            try:
                table.setdefault(Format(name).canonical, np.dtype(t))
            except Fp8labError:
                pass                       # a type the library has no preset for (yet)
        _by_canonical = table
    return _by_canonical


def ml_dtype_of(fmt):
    """The ml_dtypes dtype with fmt's encoding, or None (or no ml_dtypes)."""
    return _table().get(fmt.canonical)


def codes_of(a, fmt):
    """If a is an array of an ml_dtypes format type, (its codes as a uint8
    view, its Format); else (a, fmt).  fmt given must be the same format."""
    from ._format import Format
    from ._lib import Fp8labError
    if a.dtype.name not in _ML_NAMES:
        return a, fmt
    own = Format(a.dtype.name)
    if fmt is not None and Format(fmt) != own:
        raise Fp8labError(f"codes of type {a.dtype.name} ({own.canonical}) decoded as "
                          f"'{Format(fmt).name}' ({Format(fmt).canonical}) (expected the same "
                          "format, or no format)")
    return a.view(np.uint8), own
