"""Loading libfp8lab (and, on first need, libfp8analysis) through ctypes.

Why ctypes: it is in the standard library, needs no compiler at install time
(the package is pure Python), and releases the GIL around every call into a
``ctypes.CDLL`` function, so long encodes run in parallel with other Python
threads.  The C side keeps no global state (a caller-owned error buffer per
call, flags returned, generators per call), so concurrent calls are safe.

Where the library is found, in order:

1. ``FP8LAB_LIBRARY``: the path of ``libfp8lab.so`` (``make check`` sets it to
   the build tree's ``.libs/libfp8lab.so``); ``libfp8analysis`` is then taken
   from the same directory unless ``FP8LAB_ANALYSIS_LIBRARY`` names it.
2. the directory ``make install`` recorded in ``fp8lab/_config.py``;
3. the dynamic loader's search (``libfp8lab.so.0``: ``LD_LIBRARY_PATH``,
   ``ldconfig``), then ``/usr/local/lib`` and ``/usr/lib``.

A module that wraps more of the C API (``gemm`` over the dot-product unit,
say) declares its prototypes with :func:`prototype` and calls through
:func:`check`; :func:`array` and :func:`rounding` build the arguments.
"""
import ctypes
import ctypes.util
import os
import threading

import numpy as np

__all__ = ["Fp8labError", "core", "analysis", "library_path", "check", "prototype",
           "array", "rounding", "ERRLEN"]

ERRLEN = 512
SONAME = "libfp8lab.so.0"
ANALYSIS_SONAME = "libfp8analysis.so.0"


class Fp8labError(ValueError):
    """An error reported by libfp8lab: ``str(e)`` is the library's message,
    which names the bad value and what was expected."""




class Array(ctypes.Structure):
    """``fp8_array`` (src/format/ndarray.h): a numpy array's data, type, shape, strides."""
    _fields_ = [("data", ctypes.c_void_p), ("dtype", ctypes.c_int), ("ndim", ctypes.c_int),
                ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p)]   # ptrdiff_t *


# fp8_dtype values
DTYPES = {np.dtype(np.float32): 0, np.dtype(np.float64): 1,
          np.dtype(np.uint8): 2, np.dtype(np.uint16): 3}

_lock = threading.Lock()
_core = None
_core_path = None
_analysis = None


def _candidates():
    env = os.environ.get("FP8LAB_LIBRARY")
    if env:
        return [env]                      # an explicit choice: nothing else
    paths = []
    try:
        from ._config import LIBDIR       # written by make install
        paths.append(os.path.join(LIBDIR, SONAME))
    except ImportError:
        pass
    paths.append(SONAME)
    found = ctypes.util.find_library("fp8lab")
    if found:
        paths.append(found)
    paths += [os.path.join(d, SONAME) for d in ("/usr/local/lib", "/usr/lib")]
    return paths


def prototype(lib, name, restype, *argtypes):
    """Declare lib.name's C prototype; a missing symbol is an ImportError that
    says the library is older than the package."""
    try:
        fn = getattr(lib, name)
    except AttributeError:
        raise ImportError(f"{lib._name} has no {name}: the library is older than this "
                          "fp8lab package (rebuild and reinstall fp8lab)") from None
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


def _declare_core(lib):
    P, S, I, D = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_double
    C = ctypes.c_char_p
    U = ctypes.POINTER(ctypes.c_uint)
    A = ctypes.POINTER(Array)
    DP = ctypes.POINTER(ctypes.c_double)
    prototype(lib, "fp8_format_sizeof", S)
    prototype(lib, "fp8_format_parse", I, C, P, C, S)
    prototype(lib, "fp8_format_describe", S, P, C, S)
    prototype(lib, "fp8_format_preset_count", S)
    prototype(lib, "fp8_format_preset_name", C, S)
    prototype(lib, "fp8_format_preset_note", C, S)
    prototype(lib, "fp8_rounding_sizeof", S)
    prototype(lib, "fp8_rounding_init", None, P)
    prototype(lib, "fp8_rounding_needs_rand", I, P)
    prototype(lib, "fp8_round_mode_parse", I, C, P, C, S)
    prototype(lib, "fp8_overflow_mode_parse", I, C, P, C, S)
    prototype(lib, "fp8_array_encode", I, P, A, A, P, U, C, S)
    prototype(lib, "fp8_array_decode", I, P, A, A, C, S)
    prototype(lib, "fp8_array_quantize", I, P, A, A, DP, S, P, U, C, S)
    prototype(lib, "fp8_quant_scale_max", D, P, D)


def core():
    """The loaded libfp8lab (loaded on first use)."""
    global _core, _core_path
    if _core is not None:
        return _core
    with _lock:
        if _core is None:
            tried = []
            for path in _candidates():
                try:
                    lib = ctypes.CDLL(path)
                except OSError as e:
                    tried.append(f"{path}: {e}")
                    continue
                _declare_core(lib)
                _core_path = path
                _core = lib
                break
            else:
                raise ImportError("libfp8lab not found (build and 'make install' fp8lab, or set "
                                  "FP8LAB_LIBRARY to the path of libfp8lab.so); tried:\n  "
                                  + "\n  ".join(tried))
    return _core


def library_path():
    """The path (or soname) libfp8lab was loaded from."""
    core()
    return _core_path


def analysis():
    """The loaded libfp8analysis (GSL: stochastic rounding's generator and the
    MSE scale search), loaded on first use after libfp8lab, whose copy it then
    shares.  GSL's abort-on-error handler is turned off, as the CLI does, so
    GSL errors come back as codes and messages."""
    global _analysis
    if _analysis is not None:
        return _analysis
    core()
    with _lock:
        if _analysis is None:
            env = os.environ.get("FP8LAB_ANALYSIS_LIBRARY")
            if env:
                paths = [env]
            else:
                paths = []
                if os.sep in _core_path:
                    d = os.path.dirname(_core_path)
                    paths += [os.path.join(d, ANALYSIS_SONAME), os.path.join(d, "libfp8analysis.so")]
                paths.append(ANALYSIS_SONAME)
            tried = []
            for path in paths:
                try:
                    lib = ctypes.CDLL(path)
                    break
                except OSError as e:
                    tried.append(f"{path}: {e}")
            else:
                raise ImportError("libfp8analysis not found (it is installed next to libfp8lab; "
                                  "set FP8LAB_ANALYSIS_LIBRARY); tried:\n  " + "\n  ".join(tried))
            P, S, I, C, D = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_char_p, ctypes.c_double
            A = ctypes.POINTER(Array)
            DP = ctypes.POINTER(ctypes.c_double)
            prototype(lib, "fp8_rng_alloc", P, ctypes.c_ulong)
            prototype(lib, "fp8_rng_free", None, P)
            prototype(lib, "fp8_rng_rounding", None, P, P)
            prototype(lib, "fp8_quant_search_mse", I, P, A, DP, DP, C, S)
            prototype(lib, "gsl_set_error_handler_off", P)
            lib.gsl_set_error_handler_off()
            _analysis = lib
    return _analysis


def check_no_nul(text, what="spelling"):
    """The library reads C strings: a NUL inside text would cut it there and
    the rest would be silently ignored ('int8\\x00junk' read as 'int8')."""
    if "\x00" in text:
        raise Fp8labError(f"{what} {text!r} holds a NUL character at index {text.index(chr(0))} "
                          "(expected text without NUL)")


def check(status, err):
    """Raise Fp8labError with the library's message if status is nonzero."""
    if status:
        raise Fp8labError(err.value.decode("utf-8", "replace") or "libfp8lab reported an error")


def errbuf():
    return ctypes.create_string_buffer(ERRLEN)


def array(a):
    """An fp8_array describing numpy array a (no copy).  The returned object
    keeps references to what it points into; keep it alive during the call."""
    nd = a.ndim
    dims = (ctypes.c_ssize_t * (2 * nd + 1))(*a.shape, *a.strides)
    base = ctypes.addressof(dims)
    st = Array(a.__array_interface__["data"][0] if a.size else None, DTYPES[a.dtype], nd,
               base, base + nd * ctypes.sizeof(ctypes.c_ssize_t))
    st._keep = (a, dims)
    return st


class Rounding:
    """An opaque fp8_rounding built from mode names by the library's parser
    (so names the library adds work here unchanged), with a seeded GSL
    generator for modes that draw random bits.  Use as a context manager."""

    def __init__(self, rounding, overflow, seed):
        lib = core()
        self.buf = ctypes.create_string_buffer(lib.fp8_rounding_sizeof())
        self.rng = None
        lib.fp8_rounding_init(self.buf)
        for parse, name, what in ((lib.fp8_round_mode_parse, rounding, "rounding"),
                                  (lib.fp8_overflow_mode_parse, overflow, "overflow")):
            if name is None:
                continue
            if not isinstance(name, str):
                raise TypeError(f"{what} must be a mode name (str), not {type(name).__name__}")
            check_no_nul(name, what)
            err = errbuf()
            check(parse(name.encode(), self.buf, err, ERRLEN), err)
        if lib.fp8_rounding_needs_rand(self.buf):
            if seed is None:
                raise Fp8labError(f"rounding '{rounding}' draws random bits: pass seed=N "
                                  "(an integer 0..2^64-1) so the result repeats")
            if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**64:
                raise Fp8labError(f"seed {seed!r} is not an integer 0..2^64-1")
            an = analysis()
            self.rng = an.fp8_rng_alloc(int(seed))
            if not self.rng:
                raise MemoryError("no memory for the random number generator")
            an.fp8_rng_rounding(self.buf, self.rng)
        elif seed is not None:
            raise Fp8labError(f"seed={seed!r} is for stochastic rounding, not rounding='{rounding}'")

    def __enter__(self):
        return self.buf

    def __exit__(self, *exc):
        if self.rng:
            analysis().fp8_rng_free(self.rng)
            self.rng = None
        return False


_roundings = {}


def rounding(rounding, overflow, seed):
    """A Rounding for the names; deterministic ones are parsed once and shared
    (read-only to the library, so safe across threads)."""
    key = (rounding, overflow)
    if seed is None and isinstance(rounding, str) and isinstance(overflow, str):
        r = _roundings.get(key)
        if r is None:
            r = Rounding(rounding, overflow, None)
            if len(_roundings) < 64:
                _roundings[key] = r
        return r
    return Rounding(rounding, overflow, seed)
