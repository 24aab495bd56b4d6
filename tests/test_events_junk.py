"""Junk thrown at every public call of the probability helpers: only TypeError or ValueError.

Hypothesis draws random objects (numbers of any size, strings with odd
unicode and lone surrogates, bytes, deeply nested lists and tuples, tensors
of every layout, events of other spaces, functions that return junk) and
passes them to each public function and method of SampleSpace, Event, P,
independent, check_identity, Law, laws, venn and IdentityResult.plot. A
refusal must be a TypeError or a ValueError (TensorNotesError is one), and
no object the caller passed in may be changed.
"""

from __future__ import annotations

import contextlib
import operator
import warnings
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

import matplotlib
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tensornotes import Event, Law, P, SampleSpace, check_identity, independent, laws, venn

matplotlib.use("Agg")

_DIE = SampleSpace(range(1, 7))
_COIN = SampleSpace("HT")
_ODD = ["\udcff", "\ud800", "Ａ", "𝐀", "Ω", "∅", "\x00", "ᶜ", "²", "\u202e", "A", "|", "(", "~"]


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _nested(depth: int, tuples: bool) -> object:
    value: object = 1
    for _ in range(depth):
        value = (value,) if tuples else [value]
    return value


def _tensor(kind: str) -> torch.Tensor:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nested tensors are a prototype
        if kind == "meta":
            return torch.zeros(3, device="meta")
        if kind == "sparse":
            return torch.tensor([0.0, 1.0, 0.0]).to_sparse()
        if kind == "nested":
            return torch.nested.nested_tensor([torch.zeros(2), torch.zeros(3)])
        if kind == "bool":
            return torch.tensor([True, False, True])
        return torch.arange(6)


_text = st.text(st.one_of(st.characters(), st.sampled_from(_ODD)), max_size=40)
_expression_text = st.text(alphabet="ABC()|&~-^+*/Pln 0123456789_.,", max_size=40)
_atoms = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**64 + 2),
    st.integers(min_value=10**300, max_value=10**310),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(allow_nan=True),
    st.fractions(),
    _text,
    _expression_text,
    st.binary(max_size=20),
    st.sampled_from(["meta", "sparse", "nested", "bool", "dense"]).map(_tensor),
    st.sampled_from([_DIE, _COIN]),
    st.sampled_from([_COIN.event("H"), _COIN.certain, _DIE.event({1, 2})]),
    st.integers(1, 600).map(lambda d: _nested(d, tuples=False)),
    st.integers(1, 600).map(lambda d: _nested(d, tuples=True)),
    st.just(object()),
    st.just(...),
)
_junk = st.recursive(
    _atoms,
    lambda kids: st.one_of(
        st.lists(kids, max_size=4),
        st.tuples(kids, kids),
        st.dictionaries(st.text(max_size=3), kids, max_size=3),
        st.frozensets(st.integers(), max_size=4),
        st.sets(st.integers(-3, 9), max_size=4),
        kids.map(lambda value: lambda *args: value),  # a function that returns junk
    ),
    max_leaves=6,
)


def _fingerprint(value: object, depth: int = 0) -> object:
    """What a caller could see of ``value``: changed if the call mutated it."""
    if depth > 700:
        return "deep"
    if isinstance(value, torch.Tensor):
        if value.is_meta or value.is_nested:
            return ("tensor", value.device.type, value.dtype, value.is_nested)
        dense = value.to_dense() if value.is_sparse else value
        return ("tensor", tuple(dense.shape), dense.dtype, dense.tolist(), value._version)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_fingerprint(v, depth + 1) for v in value])
    if isinstance(value, dict):
        return ("dict", [(k, _fingerprint(v, depth + 1)) for k, v in value.items()])
    if isinstance(value, (set, frozenset)):
        return (type(value).__name__, sorted(value, key=repr))
    return ("value", id(value))


def _calls() -> dict[str, Callable[[Any], object]]:
    die, a, b = _DIE, _DIE.event({1, 2, 3}), _DIE.event({2, 4, 6})
    failing = check_identity("A - B", "A ^ B")
    counting = check_identity("len(A | B)", "len(A) + len(B) - len(A & B)")
    binary = {
        name: (lambda op: lambda junk: op(a, junk))(op)  # noqa: B023 (bound by the outer call)
        for name, op in [
            ("or", operator.or_),
            ("and", operator.and_),
            ("sub", operator.sub),
            ("xor", operator.xor),
            ("le", operator.le),
            ("lt", operator.lt),
            ("ge", operator.ge),
            ("gt", operator.gt),
            ("eq", operator.eq),
            ("ne", operator.ne),
            ("add", operator.add),
        ]
    }
    reflected = {
        f"r{name}": (lambda op: lambda junk: op(junk, a))(op)  # noqa: B023 (bound as above)
        for name, op in [("or", operator.or_), ("and", operator.and_), ("sub", operator.sub)]
    }
    return {
        "SampleSpace": SampleSpace,
        "SampleSpace.event": die.event,
        "in SampleSpace": lambda junk: junk in die,
        "SampleSpace ==": lambda junk: die == junk,
        "in Event": lambda junk: junk in a,
        "Event.isdisjoint": a.isdisjoint,
        **binary,
        **reflected,
        "P": P,
        "P given": lambda junk: P(a, given=junk),
        "independent 1": independent,
        "independent 2": lambda junk: independent(a, junk),
        "independent 3": lambda junk: independent(a, b, junk),
        "check_identity lhs": lambda junk: check_identity(junk, "A | B"),
        "check_identity rhs": lambda junk: check_identity("A", junk),
        "check_identity both": lambda junk: check_identity(junk, junk),
        "Law": lambda junk: Law(junk, junk, junk).check(),
        "Law str": lambda junk: str(Law("law", junk, "A")),
        "Law rhs": lambda junk: Law("law", "A", junk).check(),
        "laws": lambda junk: laws()[0].check(),
        "venn": venn,
        "venn 2": lambda junk: venn(a, junk),
        "venn shade": lambda junk: venn(a, b, shade=junk),
        "venn labels": lambda junk: venn(a, b, labels=junk),
        "venn names": lambda junk: venn(a, b, names=junk),
        "venn title": lambda junk: venn(a, title=junk),
        "venn shade_color": lambda junk: venn(a, shade_color=junk),
        "venn universe": lambda junk: venn(a, universe=junk),
        "venn ax": lambda junk: venn(a, ax=junk),
        "IdentityResult.plot": lambda junk: failing.plot(ax=junk),
        "IdentityResult.plot of a count": lambda junk: counting.plot(ax=junk),
    }


_CALLS = _calls()


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.sampled_from(sorted(_CALLS)), _junk)
def test_junk_gets_only_type_or_value_errors_and_changes_nothing(name: str, junk: object) -> None:
    before = _fingerprint(junk)
    with contextlib.suppress(TypeError, ValueError):
        _CALLS[name](junk)
    assert _fingerprint(junk) == before


@pytest.mark.parametrize("name", sorted(_CALLS))
def test_every_call_meets_each_kind_of_tensor(name: str) -> None:
    for kind in ("meta", "sparse", "nested", "bool", "dense"):
        tensor = _tensor(kind)
        version = tensor._version
        with contextlib.suppress(TypeError, ValueError):
            _CALLS[name](tensor)
        assert tensor._version == version


def test_events_of_another_space_are_refused_everywhere() -> None:
    a, other = _DIE.event({1}), _COIN.event("H")
    for call in (
        lambda: a | other,
        lambda: a <= other,
        lambda: P(a, given=other),
        lambda: independent(a, other),
        lambda: venn(a, other),
        lambda: check_identity(lambda x: x | other, lambda x: x),
    ):
        with pytest.raises(ValueError, match=r"cannot combine events of two different"):
            call()


def test_fraction_and_huge_points_print_in_messages() -> None:
    with pytest.raises(ValueError, match=r"spec lists Fraction\(1, 3\), which is not a sample"):
        _DIE.event([Fraction(1, 3)])
    with pytest.raises(ValueError, match=r"spec lists 1000000000000000000000000000.*\.\.\."):
        _DIE.event([10**400])
    assert isinstance(_DIE.event([]), Event)
