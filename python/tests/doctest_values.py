"""Doctests that compare values, not a library's printed repr.

numpy and ml_dtypes change how they print (``dtype=bfloat16`` became
``dtype=dtype(bfloat16)``, ``1.0`` became ``np.float64(1.0)``), so an example
whose values are right must not fail on that.  ``ValueChecker`` accepts an
output when, after spelling a dtype and a numpy scalar one way, its text
without the numbers is the same and every number is equal as a float (the
exact value, not its printed digits: '1.' and '1.0' and '1' are one value).
"""
import doctest
import math
import re

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf)\b")
_SPELLINGS = [
    (re.compile(r"dtype\((['\"]?)([\w.]+)\1\)"), r"\2"),        # dtype(bfloat16) -> bfloat16
    (re.compile(r"dtype=(['\"])([\w.]+)\1"), r"dtype=\2"),       # dtype='float8_e4m3fn'
    (re.compile(r"\bnp\.(?:float|int|uint|bool)\w*\(([^()]*)\)"), r"\1"),  # np.float64(1.5) -> 1.5
    (re.compile(r"\s+"), " "),
]


def _canonical(text):
    for pattern, repl in _SPELLINGS:
        text = pattern.sub(repl, text)
    text = text.strip()
    numbers = [float(m) for m in _NUMBER.findall(text)]
    return _NUMBER.sub("#", text).replace(" ", ""), numbers


def same_values(want, got):
    """True when want and got print the same values (see the module's text)."""
    wshape, wnum = _canonical(want)
    gshape, gnum = _canonical(got)
    if wshape != gshape or len(wnum) != len(gnum):
        return False
    return all(w == g or (math.isnan(w) and math.isnan(g)) for w, g in zip(wnum, gnum))


class ValueChecker(doctest.OutputChecker):
    def check_output(self, want, got, optionflags):
        return super().check_output(want, got, optionflags) or same_values(want, got)


def run(test):
    """Run one DocTest with the value checker; return the runner."""
    runner = doctest.DocTestRunner(checker=ValueChecker(), optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    return runner


def testmod(module):
    """doctest.testmod for module, with the value checker: (failed, attempted)."""
    failed = attempted = 0
    for test in doctest.DocTestFinder().find(module):
        runner = run(test)
        failed += runner.failures
        attempted += runner.tries
    return failed, attempted
