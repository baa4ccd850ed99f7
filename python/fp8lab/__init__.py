"""fp8lab: the libfp8lab number formats on numpy arrays.

    >>> import numpy as np, fp8lab
    >>> codes = fp8lab.encode(np.float32([0.3, 1e3]), 'float8_e4m3fn')   # uint8 codes
    >>> fp8lab.decode(codes, 'float8_e4m3fn')
    array([  0.3125, 448.    ], dtype=float32)
    >>> q, s = fp8lab.quantize(np.random.randn(64, 64), 'fp8-e4', range='mse', return_scale=True)
    >>> a = fp8lab.encode(np.random.randn(32, 4096), 'float8_e4m3fn')
    >>> c = fp8lab.gemm(a, a.T, unit='hopper-fp8')      # what an H200 returns for a @ a.T

    >>> codes, scales, t = fp8lab.block_encode(np.random.randn(4, 64), 'mxfp8_e4m3')
    >>> x = fp8lab.block_decode(codes, scales, 'mxfp8_e4m3', t)   # blocks along the last axis

Functions: formats(), Format(spec), encode, decode, quantize, scale_for, gemm;
block-scaled formats (OCP MX, NVFP4): block_formats(), BlockFormat(spec),
block_encode, block_decode, block_quantize.
Errors raise fp8lab.Fp8labError (a ValueError) with the library's message.
The library is found through FP8LAB_LIBRARY, the directory make install
recorded, or the dynamic loader (see fp8lab._lib).
"""
from ._lib import Fp8labError, library_path
from ._format import Format, formats
from ._codec import encode, decode, FLAG_NAMES
from ._quant import quantize, scale_for
from ._gemm import gemm
from ._block import BlockFormat, block_formats, block_encode, block_decode, block_quantize

__version__ = "0.1.0"
__all__ = ["Fp8labError", "Format", "formats", "encode", "decode", "quantize", "scale_for",
           "gemm", "library_path", "FLAG_NAMES", "BlockFormat", "block_formats", "block_encode",
           "block_decode", "block_quantize"]
