"""The contract of the broadcast explainer, the memory report and the command line, under junk.

Hypothesis throws random objects, strings, nested lists, huge and negative
ints and odd tensors (0-d, empty, meta, sparse, nested, complex, requires_grad,
non-contiguous, expanded) at every public function and method of these
modules. Each call may only succeed or raise TypeError or ValueError
(TensorNotesError is a ValueError), and no caller's tensor may change.
"""

from __future__ import annotations

import contextlib
import io
import json
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import matplotlib
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tensornotes import explain_broadcast, memory_report, parse_shape
from tensornotes.cli import main

matplotlib.use("Agg")

EXAMPLES = 300
CONTRACT = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _nested() -> torch.Tensor:
    with warnings.catch_warnings():  # nested tensors are a prototype and say so
        warnings.simplefilter("ignore", UserWarning)
        return torch.nested.nested_tensor([torch.zeros(2), torch.zeros(3)])


ODD_TENSORS: list[Callable[[], torch.Tensor]] = [
    lambda: torch.tensor(3.0),
    lambda: torch.tensor(2),
    lambda: torch.tensor([2, 3]),
    lambda: torch.zeros(0, 3),
    lambda: torch.zeros(2, 1, device="meta"),
    lambda: torch.zeros(1, device="meta").expand(3),
    lambda: torch.zeros(2, 1, dtype=torch.complex64),
    lambda: torch.zeros(3, 1, requires_grad=True),
    lambda: torch.arange(12.0).view(3, 4).t(),
    lambda: torch.zeros(1).expand(4),
    lambda: torch.zeros(2, 3).to_sparse(),
    _nested,
    lambda: torch.zeros(2, dtype=torch.bool),
    lambda: torch.zeros(2, 3, 1, 1).to(memory_format=torch.channels_last),
    lambda: torch.zeros((1,) * 65),
    lambda: torch.tensor(float("nan")),
]

odd_tensors = st.sampled_from(ODD_TENSORS).map(lambda make: make())
big_ints = st.sampled_from([-1, -(2**63), 2**63 - 1, 2**63, 2**64, 10**30]) | st.integers(
    4000, 5000
).map(lambda digits: 10**digits)  # beyond 4300 digits, Python's int has no str()
shape_text = st.text(alphabet="0123456789,x× -()[]\t", max_size=24)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 9),
    st.integers(),
    big_ints,
    st.floats(allow_nan=True),
    st.complex_numbers(),
    st.text(max_size=6),
    shape_text,
    st.binary(max_size=3),
    st.builds(range, st.integers(0, 5), st.sampled_from([3, 7, 10**30])),
    st.lists(st.integers(0, 3), max_size=3).map(torch.Size),
    odd_tensors,
)
junk = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=2), inner, max_size=2)
    ),
    max_leaves=8,
)


def _tensors(value: object, depth: int = 0) -> Iterator[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        yield value
    elif depth < 10 and isinstance(value, list | tuple):
        for item in value:
            yield from _tensors(item, depth + 1)
    elif depth < 10 and isinstance(value, dict):
        for item in value.values():
            yield from _tensors(item, depth + 1)


def _values(t: torch.Tensor) -> list[torch.Tensor]:
    with torch.no_grad():
        if t.is_nested:
            return [c.clone() for c in t.unbind()]
        if t.device.type == "meta":
            return []
        if t.layout != torch.strided:
            return [t.to_dense()]
        return [t.clone()]


def _same(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Equal values, where a NaN equals a NaN."""
    if a.is_floating_point() or a.is_complex():
        return torch.equal(a.isnan(), b.isnan()) and torch.equal(a.nan_to_num(), b.nan_to_num())
    return torch.equal(a, b)


def _fingerprint(t: torch.Tensor) -> tuple[Any, ...]:
    plain = t.layout == torch.strided and not t.is_nested
    return (
        t.dtype,
        t.layout,
        t.device,
        t.requires_grad,
        t.grad_fn,
        t._version,
        None if t.is_nested else tuple(t.shape),
        tuple(t.stride()) if plain else None,
        t.storage_offset() if plain else None,
    )


@contextlib.contextmanager
def unchanged(*args: object) -> Iterator[None]:
    """Check that no tensor in ``args`` changes: values, dtype, strides, version."""
    tensors = [t for a in args for t in _tensors(a)]
    before = [(_fingerprint(t), _values(t)) for t in tensors]
    yield
    for t, (print_, values) in zip(tensors, before, strict=True):
        assert _fingerprint(t) == print_
        after = _values(t)
        assert len(after) == len(values)
        assert all(_same(a, b) for a, b in zip(after, values, strict=True))


def _allowed(call: Callable[[], object]) -> object:
    """Run ``call``; a TypeError or ValueError is an allowed answer, anything else fails."""
    try:
        return call()
    except (TypeError, ValueError):
        return None


# --- parse_shape ------------------------------------------------------------------------------


@CONTRACT
@given(st.one_of(junk, shape_text), st.one_of(st.just("shape"), junk))
def test_parse_shape_under_junk(text: object, name: object) -> None:
    with unchanged(text, name):
        shape = _allowed(lambda: parse_shape(text, name))  # type: ignore[arg-type]
    if shape is not None:
        assert isinstance(shape, tuple)
        assert all(isinstance(s, int) and 0 <= s < 2**63 for s in shape)


# --- explain_broadcast and the explanation's methods -------------------------------------


def _use_explanation(e: Any) -> None:
    assert e.labels == tuple(e.labels)
    assert e.ndim >= 0
    e.torch_message()
    e.inplace_message()
    json.dumps(e.to_dict())
    str(e)
    e._repr_html_()


@CONTRACT
@given(st.lists(st.one_of(junk, odd_tensors), max_size=4))
def test_explain_broadcast_under_junk(args: list[object]) -> None:
    with unchanged(args):
        e = _allowed(lambda: explain_broadcast(*args))  # type: ignore[arg-type]
        if e is not None:
            _use_explanation(e)


@settings(max_examples=25, deadline=None, database=None)
@given(
    st.lists(st.lists(st.integers(0, 4), max_size=4).map(tuple), max_size=3),
    st.one_of(st.none(), junk),
)
def test_plot_under_junk(shapes: list[tuple[int, ...]], ax: object) -> None:
    import matplotlib.pyplot as plt

    e = explain_broadcast(*shapes)
    with unchanged(ax):
        _allowed(lambda: e.plot(ax=ax))  # type: ignore[arg-type]
    plt.close("all")


# --- memory_report and the report's methods -----------------------------------------------


@CONTRACT
@given(
    st.one_of(junk, odd_tensors),
    st.one_of(junk, st.lists(st.integers(0, 4), max_size=4).map(tuple)),
    st.one_of(st.sampled_from(["expand", "broadcast_to", "repeat", "copy"]), junk),
)
def test_memory_report_under_junk(tensor: object, target: object, kind: object) -> None:
    for source in (tensor, torch.zeros(2, 1), torch.zeros(1).expand(3)):
        with unchanged(source, target, kind):
            report = _allowed(lambda: memory_report(source, target))  # type: ignore[arg-type]  # noqa: B023
            if report is not None:
                str(report)
                _allowed(lambda: report.row(kind))  # type: ignore[attr-defined]  # noqa: B023


# --- the command line ------------------------------------------------------------------------

words = st.one_of(
    st.sampled_from(["broadcast", "identity", "device", "--json", "-h", "--", "-", "--jsn"]),
    shape_text,
    st.text(alphabet="ABΩ∅()|&~-^*+len P0123456789", max_size=12),
    st.text(max_size=6),
    st.integers(1, 5000).map(lambda n: "9" * n),
    st.integers(1, 40).map(lambda n: "-" + "9" * n),
)


@CONTRACT
@given(
    st.one_of(
        st.tuples(
            st.sampled_from(["broadcast", "identity", "device"]), st.lists(words, max_size=4)
        ).map(lambda t: [t[0], *t[1]]),
        st.lists(words, max_size=4),
        junk,
    )
)
def test_cli_main_under_junk(argv: object) -> None:
    out, err = io.StringIO(), io.StringIO()
    with unchanged(argv), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)  # type: ignore[arg-type]
        except SystemExit as exc:  # argparse's usage errors and --help
            status = exc.code  # type: ignore[assignment]
        except (TypeError, ValueError):
            status = None
    assert "Traceback" not in err.getvalue()
    assert status in (0, 1, 2, None)
    if status == 2 and err.getvalue().startswith("tensornotes "):
        assert err.getvalue().count("\n") == 1


@pytest.mark.parametrize("make", ODD_TENSORS)
def test_each_odd_tensor_as_a_shape_and_a_source(make: Callable[[], torch.Tensor]) -> None:
    t = make()
    with unchanged(t):
        _allowed(lambda: _use_explanation(explain_broadcast(t, (1,))))
        target = (2, 3) if t.is_nested else (2, *t.shape)
        _allowed(lambda: str(memory_report(t, target)))
