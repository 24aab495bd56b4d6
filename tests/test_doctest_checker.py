"""The doctests' output checker: tolerant of kernel rounding, never of a wrong value."""

from __future__ import annotations

import doctest

import pytest
from doctest_checker import EXACT, NumericOutputChecker, numbers_match

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
CHECK = NumericOutputChecker()


def check(want: str, got: str, flags: int = FLAGS) -> bool:
    return CHECK.check_output(want + "\n", got + "\n", flags)


@pytest.mark.parametrize(
    ("want", "got"),
    [
        # The round trip log(exp(1.)) is 0.99999994 on some kernels.
        ("tensor([0., 1., 2.])", "tensor([0.0000, 1.0000, 2.0000])"),
        ("tensor([0.1235, 2.5000])", "tensor([0.1234, 2.5000])"),
        ("tensor([ 1.0000, -2.0000])", "tensor([1., -2.])"),
        ("(3.5844..., -1.8481...)", "(3.58445978164673, -1.84809839725494)"),
        ("tensor([1.0000e-08, 3.0000e+02])", "tensor([1.0000e-08, 3.0000e+02])"),
        ("0.30000000000000004", "0.3"),
        ("tensor([nan, inf])", "tensor([nan, inf])"),
        # A printout that wraps differently still matches.
        ("tensor([0.5000, 0.2500, 0.1250])", "tensor([0.5000,\n        0.2500, 0.1250])"),
    ],
)
def test_accepts_rounding_differences(want: str, got: str) -> None:
    assert check(want, got)


@pytest.mark.parametrize(
    ("want", "got"),
    [
        ("tensor([0., 1., 2.])", "tensor([0., 1., 3.])"),
        ("tensor([0.1235])", "tensor([0.1237])"),
        ("tensor([1., 2.])", "tensor([1., 2., 3.])"),  # a different number of values
        ("torch.float32", "torch.float64"),  # names are text, never numbers
        ("torch.Size([2, 3])", "torch.Size([2, 4])"),  # integers are exact
        ("tensor([0., 1.], dtype=torch.float64)", "tensor([0., 1.])"),
        ("tensor([nan])", "tensor([0.])"),
        ("tensor([inf])", "tensor([-inf])"),
        ("7", "7.0"),  # an int and a float are different outputs
        ("(3.5844..., -1.8481...)", "(3.58545978164673, -1.84809839725494)"),
    ],
)
def test_rejects_wrong_values(want: str, got: str) -> None:
    assert not check(want, got)


def test_exact_turns_the_tolerance_off() -> None:
    assert check("tensor(1.)", "tensor(1.0000)")
    assert not check("tensor(1.)", "tensor(0.99999994)", FLAGS | EXACT)
    assert check("tensor(0.99999994)", "tensor(0.99999994)", FLAGS | EXACT)


def test_without_ellipsis_three_dots_are_text() -> None:
    assert not check("(3.5844..., 1)", "(3.58445978, 1)", doctest.NORMALIZE_WHITESPACE)


@pytest.mark.parametrize(
    ("want", "got", "ok"),
    [
        ("1.", "0.99999994", True),
        ("1.", "0.9999", False),
        ("0.12", "0.13", True),
        ("0.12", "0.135", False),
        ("-0.", "0.", True),
        ("1e-08", "1.000001e-08", True),
        ("1e-08", "1.1e-08", False),
        ("3", "3", True),
        ("3", "4", False),
    ],
)
def test_numbers_match(want: str, got: str, ok: bool) -> None:
    assert numbers_match(want, got) is ok
