"""check_identity on hostile input: exact counts with huge constants, odd text, the limits.

The oracle for counting identities is sympy: each side's events are sympy
Boolean expressions, and every region of the Venn diagram (an assignment of
True or False to the event names) sums its coefficients as exact sympy
Integers, with no machine integers anywhere.
"""

from __future__ import annotations

import itertools
import re
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tensornotes import TensorNotesError, check_identity
from tensornotes._exact_counts import MAX_COUNT_WORK, differing_regions

_NAMES = ("A", "B", "C")
_SYMBOLS = {name: sympy.Symbol(name) for name in _NAMES}

# --- The silent wrong answer: sums that wrapped around in int64 -----------------------


def test_constants_that_wrapped_around_in_int64_are_summed_exactly() -> None:
    result = check_identity("9223372036854775807*len(A)+9223372036854775807*len(A)", "-2*len(A)")
    assert not result.holds
    assert result.differing == 1
    ce = result.counterexample
    assert ce is not None
    assert ce.lhs == 18446744073709551614
    assert ce.rhs == -2
    assert check_identity("9223372036854775807*len(A)*2", "18446744073709551614*len(A)").holds


def test_constants_beyond_any_machine_integer() -> None:
    result = check_identity("P(A)*99999999999999999999", "P(A)")
    assert not result.holds
    ce = result.counterexample
    assert ce is not None
    assert ce.lhs == Fraction(99999999999999999999)
    assert check_identity("P(A)*99999999999999999999 - P(A)*99999999999999999998", "P(A)").holds
    big = 2**200
    assert check_identity(f"{big} * len(A | B)", f"{big}*len(A) + {big}*len(B) - {big}*len(A&B)")
    assert not check_identity(f"{big} * len(A | B)", f"{big + 1}*len(A) + {big}*len(B)")


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ([], (0, -1)),
        ([(5, 0b1010)], (2, 1)),
        ([(2**64, 0b1111), (-(2**64), 0b1111)], (0, -1)),
        ([(2**64, 0b0011), (-(2**64), 0b0001)], (1, 1)),
        ([(2**63 - 1, 0b11), (2**63 - 1, 0b11), (2, 0b11)], (2, 0)),
        ([(2**100 + 1, 0b01), (-(2**100), 0b01), (-1, 0b01)], (0, -1)),
    ],
)
def test_exact_region_sums(terms: list[tuple[int, int]], expected: tuple[int, int]) -> None:
    assert differing_regions(terms, 2) == expected


def _sympy_set(draw: st.DrawFn, depth: int = 2) -> tuple[str, sympy.Basic]:
    if depth == 0 or draw(st.booleans()):
        name = draw(st.sampled_from(_NAMES))
        return name, _SYMBOLS[name]
    kind = draw(st.sampled_from(["~", "|", "&", "-", "^"]))
    left = _sympy_set(draw, depth - 1)
    if kind == "~":
        return f"~({left[0]})", sympy.Not(left[1])
    right = _sympy_set(draw, depth - 1)
    logic = {
        "|": sympy.Or(left[1], right[1]),
        "&": sympy.And(left[1], right[1]),
        "-": sympy.And(left[1], sympy.Not(right[1])),
        "^": sympy.Xor(left[1], right[1]),
    }[kind]
    return f"({left[0]} {kind} {right[0]})", logic


_coefficients = st.one_of(
    st.integers(-(2**200), 2**200),
    st.integers(-(2**70), 2**70),
    st.sampled_from([2**63 - 1, 2**63, -(2**63), 2**64, 2**64 - 2, -(2**62), 2**32, 2**32 - 1]),
    st.integers(-3, 3),
)


@st.composite
def _counting_identities(draw: st.DrawFn) -> tuple[str, str, list, list, str]:
    """Two sides as text and as (coefficient, sympy membership) terms; the constant is Ω."""
    measure = draw(st.sampled_from(["len", "P"]))

    def side() -> tuple[list[str], list[tuple[int, sympy.Basic]]]:
        texts, terms = [], []
        for _ in range(draw(st.integers(1, 4))):
            text, logic = _sympy_set(draw)
            c = draw(_coefficients)
            texts.append(f"{c} * {measure}({text})")
            terms.append((c, logic))
        if measure == "P" and draw(st.booleans()):
            c = draw(_coefficients)
            texts.append(str(c))
            terms.append((c, sympy.true))
        return texts, terms

    ltexts, lterms = side()
    if draw(st.booleans()):
        # The same terms, one coefficient split in two and the order shuffled: it holds.
        rtexts, rterms = list(ltexts), list(lterms)
        i = draw(st.integers(0, len(rtexts) - 1))
        c, logic = rterms[i]
        part = draw(_coefficients)
        inner = rtexts[i].split(" * ", 1)[1] if " * " in rtexts[i] else None
        if inner is not None:
            rtexts[i : i + 1] = [f"{part} * {inner}", f"{c - part} * {inner}"]
            rterms[i : i + 1] = [(part, logic), (c - part, logic)]
        order = draw(st.permutations(range(len(rtexts))))
        rtexts = [rtexts[j] for j in order]
        rterms = [rterms[j] for j in order]
    else:
        rtexts, rterms = side()
    return " + ".join(ltexts), " + ".join(rtexts), lterms, rterms, measure


def _oracle(lterms: list, rterms: list) -> int:
    """On how many of the 8 regions the two sides' exact sums differ."""
    differing = 0
    for values in itertools.product([False, True], repeat=3):
        assignment = dict(zip(_SYMBOLS.values(), values, strict=True))
        total = sympy.Integer(0)
        for sign, terms in ((1, lterms), (-1, rterms)):
            for c, logic in terms:
                if bool(logic.subs(assignment)):
                    total += sign * sympy.Integer(c)
        differing += total != 0
    return differing


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_counting_identities())
def test_counting_identities_with_big_constants_match_exact_arithmetic(
    case: tuple[str, str, list, list, str],
) -> None:
    lhs, rhs, lterms, rterms, _ = case
    result = check_identity(lhs, rhs)
    names = set(re.findall(r"\b[ABC]\b", lhs + rhs))  # sympy may simplify a name away
    differing = _oracle(lterms, rterms)
    # The identity is stated over the names it uses; unused names double each region.
    assert result.differing * 2 ** (3 - len(names)) == differing
    assert result.holds == (differing == 0)
    ce = result.counterexample
    if ce is not None:
        assert ce.lhs != ce.rhs


# --- Odd text -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["\udcff", "A | \ud800", "len(A\udc80)"])
def test_a_lone_surrogate_is_a_clear_error(text: str) -> None:
    with pytest.raises(TensorNotesError, match=r"^lhs .* contains the lone surrogate '\\ud"):
        check_identity(text, "A")


@pytest.mark.parametrize(
    ("text", "read_as"), [("Ａ", "A"), ("𝐀", "A"), ("A²", "A2"), ("Aᶜ", "Ac")]
)
def test_names_outside_ascii_are_refused_not_folded(text: str, read_as: str) -> None:
    with pytest.raises(
        TensorNotesError,
        match=rf"^rhs .* writes the name '{text}' with characters outside ASCII, which Python "
        rf"reads as '{read_as}'",
    ):
        check_identity("A", text)


def test_omega_and_the_empty_set_are_still_accepted() -> None:
    assert check_identity("A | ~A", "Ω")
    assert check_identity("A & ~A", "∅")


def test_power_is_named_as_outside_the_grammar() -> None:
    with pytest.raises(
        TensorNotesError,
        match=r"^lhs 'len\(A\)\*2\*\*62' contains the operator \*\*, which is not part of a "
        r"counting identity",
    ):
        check_identity("len(A)*2**62", "len(A)")
    for op in ("/", "//", "%", "<<"):
        with pytest.raises(TensorNotesError, match=rf"contains the operator {op}, which is not"):
            check_identity(f"len(A) {op} 2", "len(A)")
    with pytest.raises(TensorNotesError, match=r"mixes events and numbers"):
        check_identity("len(A) * B", "len(A)")


def test_null_bytes_and_non_strings() -> None:
    with pytest.raises(TensorNotesError, match=r"^lhs 'A\\x00' is not a well-formed expression"):
        check_identity("A\x00", "A")
    with pytest.raises(TypeError, match=r"^rhs must be a string such as"):
        check_identity("A", b"A")  # type: ignore[arg-type]


# --- Limits: refused at once, with the limit named ------------------------------------------


def test_deep_nesting_is_refused_with_the_limit() -> None:
    with pytest.raises(
        TensorNotesError, match=r"^lhs nests 1999 operations one inside another; at most 200"
    ):
        check_identity("~" * 1998 + "A", "A")
    assert check_identity("~" * 198 + "A", "A")


def test_long_text_is_refused() -> None:
    with pytest.raises(
        TensorNotesError,
        match=r"^rhs is 2001 characters long; an expression may have at most 2000\.$",
    ):
        check_identity("A", "A" + " " * 2000)


def test_counting_identity_beyond_the_work_limit_is_refused() -> None:
    names = [chr(ord("A") + i) for i in range(24)]
    lhs = " + ".join(f"P({n})" for n in names)
    rhs = " + ".join(f"P({n} | {m})" for n, m in itertools.pairwise(names))
    with pytest.raises(
        TensorNotesError,
        match=rf"^lhs and rhs count \d+ different events over the 2\*\*24 regions of 24 events, "
        rf"which takes [\d,]+ additions .*at most {MAX_COUNT_WORK:,}",
    ):
        check_identity(lhs, rhs)


def test_a_24_event_counting_identity_that_cancels_is_decided() -> None:
    names = [chr(ord("A") + i) for i in range(24)]
    lhs = " + ".join(f"P({n} | {m})" for n, m in itertools.pairwise(names))
    rhs = " + ".join(f"P({n} | {m})" for n, m in reversed(list(itertools.pairwise(names))))
    assert check_identity(lhs, rhs + " + 0").holds
    assert check_identity("P(" + " | ".join(names) + ")", "P(" + " | ".join(names) + ") + 0")


def test_a_24_event_identity_of_events_is_decided() -> None:
    names = [chr(ord("A") + i) for i in range(24)]
    assert check_identity("~(" + " | ".join(names) + ")", " & ".join(f"~{n}" for n in names))


def test_long_identities_of_many_events_are_refused_before_evaluating() -> None:
    names = [chr(ord("A") + i) for i in range(24)]
    lhs = " | ".join(f"({n} - {m})" for n, m in itertools.pairwise(names * 6))
    with pytest.raises(
        TensorNotesError,
        match=r"^lhs and rhs take \d+ set operations on bitsets of the 2\*\*24 regions of 24 "
        r"events, [\d,]+ bit operations in all; check_identity does at most 4,294,967,296",
    ):
        check_identity(lhs, "A")
    # The same length with 21 events is decided.
    assert not check_identity(lhs.replace("X", "A").replace("W", "B").replace("V", "C"), "A")
