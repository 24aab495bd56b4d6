"""The output checker of every doctest: the pages' and the docstrings'.

PyTorch picks its vectorised CPU kernels per machine (``ATEN_CPU_CAPABILITY``
is ``default``, ``avx2`` or ``avx512``), and a GPU rounds differently again, so
the last digit of a float can change from one machine to the next. An example
written on one machine must still pass on the others, without hiding a wrong
answer. The rule:

1. The expected output is first compared as doctest does (with the flags in
   force, such as ELLIPSIS and NORMALIZE_WHITESPACE).
2. If that fails, the numbers are compared one by one. The text between the
   numbers must match as in step 1, so a dtype, a shape or a word never
   differs. Integers (written without a point or an exponent) must be equal.
   A float matches when

       |got - want| <= unit + RTOL * |want|

   where ``unit`` is one unit in the last digit written in the expected output
   (``0.1235`` allows 0.0001, ``2.`` and ``1e-08`` allow nothing beyond RTOL)
   and ``RTOL = 1e-5``. So ``tensor([0., 1., 2.])`` matches
   ``tensor([0.0000, 1.0000, 2.0000])`` printed for 0.99999994, but not
   ``tensor([0., 1., 3.])``. ``nan`` and ``inf`` match only themselves.
3. ``# doctest: +EXACT`` turns step 2 off for an example whose point is
   exactness: a bit pattern, or a value that must stay strictly below 1.
"""

from __future__ import annotations

import doctest
import math
import re

from sybil.evaluators.doctest import DocTestEvaluator, OutputChecker

__all__ = ["EXACT", "RTOL", "NumericOutputChecker", "numbers_match", "numeric_evaluator"]

#: Relative tolerance for floats, beyond one unit in the last written digit.
RTOL = 1e-5

#: Compare the example's output literally, with no numeric tolerance.
EXACT = doctest.register_optionflag("EXACT")

# A number that is not part of a name (float32, x1) or of a longer number.
_NUMBER = r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w])"
_NUMBER_RE = re.compile(_NUMBER)
_TOKENS = re.compile(rf"({_NUMBER})|(\.\.\.)|(\s+)")


def _unit(text: str) -> float:
    """One unit in the last digit written in ``text`` (0 for an integer-valued ``2.``)."""
    mantissa, _, exponent = text.lower().partition("e")
    decimals = len(mantissa.partition(".")[2]) if "." in mantissa else 0
    if decimals == 0:
        return 0.0
    return 10.0 ** (int(exponent or 0) - decimals)


def _is_integer(text: str) -> bool:
    return "." not in text and "e" not in text.lower()


def numbers_match(want: str, got: str, rtol: float = RTOL) -> bool:
    """Whether the number ``got`` (as printed) matches the expected ``want``.

    Example:
        >>> numbers_match("1.", "0.99999994"), numbers_match("2.", "3.0000")
        (True, False)
        >>> numbers_match("0.1235", "0.1234"), numbers_match("7", "7.0")
        (True, False)
    """
    if _is_integer(want) != _is_integer(got):
        return False
    if _is_integer(want):
        return int(want) == int(got)
    w, g = float(want), float(got)
    if not (math.isfinite(w) and math.isfinite(g)):
        return w == g
    return abs(g - w) <= _unit(want) + rtol * abs(w)


def _pattern(want: str, optionflags: int) -> re.Pattern[str]:
    """A regex that matches ``got`` when everything but the numbers matches ``want``."""
    parts = [r"\s*"]
    pos = 0
    for m in _TOKENS.finditer(want):
        parts.append(re.escape(want[pos : m.start()]))
        number, ellipsis, space = m.groups()
        if number is not None:
            parts.append(rf"\s*({_NUMBER})")
        elif ellipsis is not None and optionflags & doctest.ELLIPSIS:
            parts.append(r"(?s:.*?)")
        elif ellipsis is not None:
            parts.append(re.escape(ellipsis))
        elif _NUMBER_RE.match(want, m.end()):
            # PyTorch pads numbers to a common width: "[ 1.0000, -2.0000]" and
            # "[1., -2.]" are the same values.
            parts.append(r"\s*")
        elif optionflags & doctest.NORMALIZE_WHITESPACE:
            parts.append(r"\s+")
        else:
            parts.append(re.escape(space))
        pos = m.end()
    parts.append(re.escape(want[pos:]))
    parts.append(r"\s*")
    return re.compile("".join(parts))


class NumericOutputChecker(OutputChecker):
    """Sybil's checker, with the numeric comparison of the module docstring."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        if super().check_output(want, got, optionflags):
            return True
        if optionflags & EXACT or not _NUMBER_RE.search(want):
            return False
        match = _pattern(want, optionflags).fullmatch(got)
        if match is None:
            return False
        wants = [m.group() for m in _NUMBER_RE.finditer(_strip_ellipses(want, optionflags))]
        gots = list(match.groups())
        return len(wants) == len(gots) and all(map(numbers_match, wants, gots))


def _strip_ellipses(want: str, optionflags: int) -> str:
    # Numbers are read from the expected text with "..." removed, so that
    # "3.5844..." is read as 3.5844, exactly as the pattern reads it.
    return want.replace("...", " ") if optionflags & doctest.ELLIPSIS else want


def numeric_evaluator(optionflags: int) -> DocTestEvaluator:
    """A Sybil doctest evaluator that checks output with :class:`NumericOutputChecker`."""
    evaluator = DocTestEvaluator(optionflags)
    evaluator.runner._checker = NumericOutputChecker()  # type: ignore[attr-defined]
    return evaluator
