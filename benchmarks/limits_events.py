"""Adversarial inputs to the probability helpers: each must finish fast or be refused at once.

``CASES`` lists ``(label, callable)`` pairs. Each callable takes no argument,
makes one call that a hostile or careless caller could make, and swallows the
TypeError or ValueError with which the package refuses bad input, so that only
time and memory are left to measure. Anything else escapes, as it should.

Run as a script it prints, per case, the wall time (``time.perf_counter``) and
the peak of memory allocated from Python (``tracemalloc``):
``.venv/bin/python benchmarks/limits_events.py``. Every case should take well
under 2 s, and a refusal under 0.1 s.
"""

from __future__ import annotations

import string
import sys
import warnings
from collections.abc import Callable

import matplotlib
import torch
from limits import quietly

from tensornotes import SampleSpace, check_identity, independent, venn

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # here, so that no case pays for the import

_BIG = 10**6
_NAMES = [*string.ascii_uppercase[:24]]  # A .. X: 24 events


def _balanced(terms: list[str], op: str) -> str:
    """``terms`` joined by ``op`` in a balanced tree of parentheses: nothing nests deeply."""
    if len(terms) == 1:
        return terms[0]
    half = len(terms) // 2
    return f"({_balanced(terms[:half], op)}) {op} ({_balanced(terms[half:], op)})"


def _filled(term: Callable[[int], str], op: str, length: int = 1999) -> str:
    """As many terms ``term(0), term(1), ...`` as fit in ``length`` characters, then spaces."""
    count = 1
    while len(_balanced([term(i) for i in range(count + 1)], op)) <= length:
        count += 1
    text = _balanced([term(i) for i in range(count)], op)
    return text + " " * (length - len(text))


def _counting_identity_of_24_events() -> object:
    """Inclusion–exclusion-sized sums: P of unions of neighbouring events, over 24 events."""
    lhs = _filled(lambda i: f"P({_NAMES[i % 24]} | {_NAMES[(i + 1) % 24]})", "+")
    rhs = _filled(lambda i: f"P({_NAMES[(i + 1) % 24]} | {_NAMES[i % 24]})", "+")
    return check_identity(lhs, rhs)


def _counting_identity_beyond_the_work_limit() -> object:
    """P of the union of 24 events against the sum of their 24 probabilities."""
    return check_identity("P(" + " | ".join(_NAMES) + ")", " + ".join(f"P({n})" for n in _NAMES))


def _counting_identity_that_cancels() -> object:
    terms = [f"P({n})" for n in _NAMES]
    return check_identity(" + ".join(terms).ljust(1999), " + ".join(reversed(terms)).ljust(1999))


def _event_identity(n: int) -> Callable[[], object]:
    def run() -> object:
        lhs = _filled(lambda i: f"({_NAMES[i % n]} - ~{_NAMES[(i + 5) % n]})", "|")
        rhs = _filled(lambda i: f"(~{_NAMES[(i + 5) % n]} ^ {_NAMES[i % n]})", "-")
        return check_identity(lhs, rhs)

    return run


def _independent(count: int) -> Callable[[], object]:
    def run() -> object:
        space = SampleSpace(range(4))
        return independent(*[space.certain] * count)

    return run


def _independent_coins() -> object:
    """Sixteen fair coins, truly independent: every one of the 2**16 groups must be checked."""
    space = SampleSpace(range(1 << 16))
    return independent(*(space.event(lambda w, i=i: w >> i & 1) for i in range(16)))


def _list_certain() -> object:
    return list(SampleSpace(range(_BIG)).certain)


def _event_from_predicate() -> object:
    return SampleSpace(range(_BIG)).event(lambda w: w % 3 == 0)


def _event_from_points() -> object:
    return SampleSpace(range(_BIG)).event(range(0, _BIG, 2))


def _venn_of_a_million_points() -> object:
    space = SampleSpace(range(_BIG))
    ax = venn(space.event(range(0, _BIG, 2)), space.event(range(0, _BIG, 3)))
    plt.close("all")
    return ax


def _venn_names_five() -> object:
    try:
        return venn(SampleSpace("HT").event("H"), names=5)  # type: ignore[arg-type]
    finally:
        plt.close("all")


def _tensor_points(layout: str) -> Callable[[], object]:
    def run() -> object:
        if layout == "meta":
            points = torch.zeros(3, device="meta")
        elif layout == "sparse":
            points = torch.zeros(3).to_sparse()
        else:
            with warnings.catch_warnings():  # nested tensors are a prototype
                warnings.simplefilter("ignore")
                points = torch.nested.nested_tensor([torch.zeros(2), torch.zeros(3)])
        return SampleSpace(points)

    return run


CASES: list[tuple[str, Callable[[], None]]] = [
    (
        "int64-wrapping constants, 9223372036854775807*len(A)*2 vs -2*len(A)",
        quietly(
            lambda: check_identity(
                "9223372036854775807*len(A)+9223372036854775807*len(A)", "-2*len(A)"
            )
        ),
    ),
    (
        "P(A)*99999999999999999999 vs P(A)",
        quietly(lambda: check_identity("P(A)*99999999999999999999", "P(A)")),
    ),
    ("lone surrogate '\\udcff' as lhs", quietly(lambda: check_identity("\udcff", "A"))),
    ("fullwidth 'Ａ' vs 'A'", quietly(lambda: check_identity("Ａ", "A"))),
    (
        "len(A)*2**62 (** outside the grammar)",
        quietly(lambda: check_identity("len(A)*2**62", "len(A)")),
    ),
    ("2,000 nested ~ in one side", quietly(lambda: check_identity("~" * 1998 + "A", "A"))),
    ("24-event P(...) identity padded to 1,999 chars", quietly(_counting_identity_of_24_events)),
    ("24-event P(union) vs sum of 24 P(...)", quietly(_counting_identity_beyond_the_work_limit)),
    ("24 P(...) terms vs the same reversed, padded", quietly(_counting_identity_that_cancels)),
    ("24-event identity of events, 1,999 chars", quietly(_event_identity(24))),
    ("22-event identity of events, 1,999 chars", quietly(_event_identity(22))),
    ("independent(*[s.certain] * 20)", quietly(_independent(20))),
    ("independent(*[s.certain] * 22)", quietly(_independent(22))),
    ("independent: 16 fair coins on 2**16 points", quietly(_independent_coins)),
    ("list(SampleSpace(range(10**6)).certain)", quietly(_list_certain)),
    ("space.event(predicate) on 10**6 points", quietly(_event_from_predicate)),
    ("space.event(range) on 10**6 points", quietly(_event_from_points)),
    ("venn of two events on 10**6 points", quietly(_venn_of_a_million_points)),
    ("venn(names=5)", quietly(_venn_names_five)),
    ("SampleSpace(meta tensor)", quietly(_tensor_points("meta"))),
    ("SampleSpace(sparse tensor)", quietly(_tensor_points("sparse"))),
    ("SampleSpace(nested tensor)", quietly(_tensor_points("nested"))),
]


if __name__ == "__main__":
    from limits import main

    raise SystemExit(main(["events"], sys.argv[1:]))
