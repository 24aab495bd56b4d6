"""Junk thrown at every public function of derivatives, surfaces, stationary points, descent
and their drawings: only TypeError or ValueError may come out, and no caller's tensor changes."""

from __future__ import annotations

import contextlib
import math
import os
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import matplotlib
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tensornotes
from tensornotes import (
    compare_descent,
    derivative,
    descend,
    gradient_field,
    himmelblau,
    kinks,
    plot_descent,
    plot_function_and_grad,
    plot_surface,
    stationary_points,
)

matplotlib.use("Agg")

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PLOT_SETTINGS = settings(SETTINGS, max_examples=25)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


class BrokenRepr:
    """An object whose repr fails: messages must still be written."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


def _quiet(make: Callable[[], torch.Tensor]) -> Callable[[], torch.Tensor]:
    """Make a tensor whose constructor warns that its kind is in beta or deprecated."""

    def made() -> torch.Tensor:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return make()

    return made


# Each factory makes a fresh tensor, so a test can tell whether the call changed it.
TENSORS: list[Callable[[], torch.Tensor]] = [
    lambda: torch.tensor(1.5),
    lambda: torch.tensor([]),
    lambda: torch.zeros(0, 2),
    lambda: torch.zeros(3, device="meta"),
    lambda: torch.zeros(2, 2, device="meta"),
    lambda: torch.tensor([1 + 2j, 3j]),
    lambda: torch.arange(3),
    lambda: torch.tensor([True, False]),
    lambda: torch.ones(2, requires_grad=True),
    lambda: torch.ones(3, 2, requires_grad=True),
    lambda: torch.arange(6.0).reshape(3, 2).t(),
    lambda: torch.arange(12.0).reshape(4, 3)[:, ::2],
    lambda: torch.tensor([math.nan, 1.0]),
    lambda: torch.tensor([[math.inf, 0.0]]),
    lambda: torch.tensor([1e38, -1e38]),
    lambda: torch.ones(2).to_sparse(),
    _quiet(lambda: torch.ones(2, 2).to_sparse_csr()),
    lambda: torch.nested.nested_tensor([torch.ones(2), torch.ones(3)], layout=torch.jagged),
    lambda: torch.ones(2, dtype=torch.float16),
    lambda: torch.ones(2, dtype=torch.bfloat16),
    lambda: torch.tensor([0.5, -0.5], dtype=torch.float64),
    lambda: torch.tensor([[0.5, -0.5], [1.0, 2.0]], dtype=torch.float64),
    lambda: torch.ones(2, 2, 2),
    _quiet(lambda: torch.quantize_per_tensor(torch.ones(2), 0.1, 0, torch.quint8)),
]

tensors = st.sampled_from(TENSORS).map(lambda make: make())

scalars = st.one_of(
    st.integers(-3, 40),
    st.integers(min_value=10**18, max_value=10**30),
    st.sampled_from([10**400, -(10**400), 2**63, -(2**63)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 5e-324, math.nan, math.inf, -math.inf, -0.0]),
    st.complex_numbers(max_magnitude=10),
    st.text(max_size=6),
    st.sampled_from(["cuda", "meta", "cpu", "nope", "sgd", "adam", "", "auto"]),
    st.none(),
    st.booleans(),
    st.builds(object),
    st.builds(BrokenRepr),
    st.sampled_from([torch.float64, torch.int32, torch.complex64, torch.device("meta")]),
    st.sampled_from([{}, {"a": 1}, set(), b"x", ..., type, int]),
)

junk = st.recursive(
    st.one_of(scalars, tensors),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.tuples(inner), st.tuples(inner, inner)
    ),
    max_leaves=4,
)


def _bad_output(value: object) -> Callable[..., object]:
    return lambda *args: value


# Functions that are callable but odd: they return junk, or ignore their input.
ODD_FUNCTIONS: list[Callable[..., object]] = [
    _bad_output("x"),
    _bad_output(None),
    _bad_output(torch.tensor([1 + 1j])),
    _bad_output(torch.tensor(3)),
    _bad_output(torch.tensor(2.0)),
    _bad_output(torch.ones(7)),
    _bad_output(math.nan),
    _bad_output(torch.zeros(3, device="meta")),
    lambda *args: args[0] * math.nan,
    lambda *args: sum(a * 0 for a in args),
    lambda *args: torch.stack(list(args)),
    lambda *args: (args[0] > 0).float(),
]

ONE_VARIABLE = [torch.sin, torch.relu, torch.abs, lambda x: x**2, lambda x: x.clamp(-1, 1)]
TWO_VARIABLES = [himmelblau, lambda x, y: x**2 + y**2, lambda x, y: x * y, lambda x, y: x + 2 * y]


def functions(valid: list[Callable[..., Any]]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(valid), st.sampled_from(ODD_FUNCTIONS), junk)


def maybe(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A valid value most of the time, junk otherwise."""
    return st.one_of(valid, valid, junk)


# --- the caller's tensors must come back as they went in --------------------------------


def _tensors_in(value: object, depth: int = 0) -> list[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return [value]
    if depth < 4 and isinstance(value, (list, tuple)):
        return [t for v in value for t in _tensors_in(v, depth + 1)]
    if depth < 4 and isinstance(value, dict):
        return [t for v in value.values() for t in _tensors_in(v, depth + 1)]
    return []


def _snapshot(t: torch.Tensor) -> tuple[Any, ...]:
    plain = not t.is_nested and t.layout == torch.strided and t.device.type != "meta"
    if t.is_quantized:
        values: Any = t.int_repr().clone()
    elif plain:
        values = t.detach().clone()
    elif t.layout != torch.strided and not t.is_nested:
        values = t.detach().to_dense().clone()
    else:
        values = None
    stride = t.stride() if plain else None
    grad = None if t.grad is None else t.grad.detach().clone()
    return (t.dtype, tuple(t.shape), stride, t.requires_grad, t._version, values, grad)


def _same(a: object, b: object) -> bool:
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        return bool(torch.equal(a.reshape(-1).view(torch.uint8), b.reshape(-1).view(torch.uint8)))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _call(fn: Callable[..., object], *args: object, **kwargs: object) -> None:
    """Call ``fn``: only TypeError or ValueError may escape, and no argument tensor changes."""
    tensors_ = _tensors_in(list(args)) + _tensors_in(kwargs)
    before = [_snapshot(t) for t in tensors_]
    import matplotlib.pyplot as plt

    with contextlib.suppress(TypeError, ValueError):
        fn(*args, **kwargs)
    plt.close("all")
    after = [_snapshot(t) for t in tensors_]
    for t, b, a in zip(tensors_, before, after, strict=True):
        assert _same(b, a), f"{fn} changed a tensor argument of shape {tuple(t.shape)}"


# --- one property per public function ---------------------------------------------------

points_1d = st.one_of(
    st.floats(-3, 3), st.lists(st.floats(-3, 3), min_size=1, max_size=4), tensors
)
pairs = st.tuples(st.floats(-3, 3), st.floats(-3, 3))
ranges = st.tuples(st.floats(-5, 0), st.floats(0.5, 5))


@SETTINGS
@given(functions(ONE_VARIABLE), maybe(points_1d))
def test_derivative(fn: Any, x: Any) -> None:
    _call(derivative, fn, x)


@SETTINGS
@given(
    functions(ONE_VARIABLE),
    maybe(st.floats(-3, -0.1)),
    maybe(st.floats(0.1, 3)),
    maybe(st.integers(3, 200)),
)
def test_kinks(fn: Any, start: Any, end: Any, n: Any) -> None:
    _call(kinks, fn, start, end, n)


@PLOT_SETTINGS
@given(
    functions(ONE_VARIABLE),
    maybe(st.floats(-3, -0.1)),
    maybe(st.floats(0.1, 3)),
    maybe(st.none()),
    maybe(st.sampled_from([None, lambda x: 2 * x])),
    maybe(st.integers(3, 101)),
    maybe(st.text(max_size=5)),
)
def test_plot_function_and_grad(
    fn: Any, start: Any, end: Any, ax: Any, closed: Any, n: Any, label: Any
) -> None:
    _call(plot_function_and_grad, fn, start, end, ax=ax, closed_form=closed, n=n, label=label)


@SETTINGS
@given(functions(TWO_VARIABLES), maybe(ranges), maybe(ranges), maybe(st.integers(2, 30)))
def test_gradient_field(f: Any, xlim: Any, ylim: Any, n: Any) -> None:
    _call(gradient_field, f, xlim, ylim, n)


@PLOT_SETTINGS
@given(
    functions(TWO_VARIABLES),
    maybe(ranges),
    maybe(ranges),
    maybe(st.integers(2, 21)),
    maybe(st.none()),
    maybe(st.booleans()),
    maybe(st.booleans()),
    maybe(st.integers(2, 9)),
)
def test_plot_surface(
    f: Any, xlim: Any, ylim: Any, n: Any, ax: Any, quiver: Any, surface: Any, arrows: Any
) -> None:
    _call(plot_surface, f, xlim, ylim, n, ax=ax, quiver=quiver, surface=surface, arrows=arrows)


@SETTINGS
@given(
    functions(TWO_VARIABLES),
    maybe(st.lists(pairs, min_size=1, max_size=4)),
    maybe(st.floats(1e-12, 1e-3)),
    maybe(st.integers(1, 50)),
)
def test_stationary_points(f: Any, starts: Any, tol: Any, max_iter: Any) -> None:
    _call(stationary_points, f, starts, tol, max_iter)


@SETTINGS
@given(
    functions(TWO_VARIABLES),
    maybe(pairs),
    maybe(st.sampled_from(["sgd", "adam", "momentum", torch.optim.SGD])),
    maybe(st.floats(0, 0.1)),
    maybe(st.integers(1, 50)),
    maybe(st.sampled_from([None, torch.float32, torch.float64])),
    maybe(st.sampled_from([None, 10.0])),
    maybe(st.sampled_from([None, "cpu", torch.device("cpu")])),
    maybe(st.floats(0, 0.99)),
)
def test_descend(
    f: Any,
    start: Any,
    optimizer: Any,
    lr: Any,
    steps: Any,
    dtype: Any,
    bound: Any,
    device: Any,
    momentum: Any,
) -> None:
    kwargs = {"momentum": momentum} if optimizer in ("sgd", torch.optim.SGD) else {}
    _call(
        descend, f, start, optimizer, lr, steps, dtype=dtype, bound=bound, device=device, **kwargs
    )


def _runs() -> list[tensornotes.Trajectory]:
    return [descend(himmelblau, (0.0, 0.0), lr=0.01, steps=20)]


@PLOT_SETTINGS
@given(
    functions(TWO_VARIABLES),
    maybe(st.just("runs")),
    maybe(st.none()),
    maybe(st.sampled_from([None, (-5.0, 5.0)])),
    maybe(st.sampled_from([None, (-5.0, 5.0)])),
    maybe(st.sampled_from([None, ["a run"]])),
)
def test_plot_descent(
    f: Any, trajectories: Any, ax: Any, xlim: Any, ylim: Any, labels: Any
) -> None:
    runs = _runs() if trajectories == "runs" else trajectories
    _call(plot_descent, f, runs, ax=ax, xlim=xlim, ylim=ylim, labels=labels)


@SETTINGS
@given(
    functions(TWO_VARIABLES),
    maybe(st.lists(pairs, min_size=1, max_size=2)),
    maybe(st.lists(st.floats(0, 0.05), min_size=1, max_size=2)),
    maybe(st.lists(st.floats(0, 0.9), min_size=1, max_size=2)),
    maybe(st.integers(1, 30)),
    maybe(st.sampled_from([None, torch.float64])),
    maybe(st.sampled_from([None, 100.0])),
    maybe(st.floats(1e-6, 1e-1)),
)
def test_compare_descent(
    f: Any,
    starts: Any,
    lrs: Any,
    momenta: Any,
    steps: Any,
    dtype: Any,
    bound: Any,
    tol: Any,
) -> None:
    _call(compare_descent, f, starts, lrs, momenta, steps, dtype=dtype, bound=bound, tol=tol)


@SETTINGS
@given(maybe(st.one_of(tensors, st.floats(-5, 5))), maybe(st.one_of(tensors, st.floats(-5, 5))))
def test_himmelblau(x: Any, y: Any) -> None:
    _call(himmelblau, x, y)


@SETTINGS
@given(
    st.one_of(st.text(max_size=8), st.sampled_from(["cuda:0", "cuda:99", "mps", "meta", "cpu"]))
)
def test_device(value: str) -> None:
    if "\x00" in value:
        return  # the environment cannot hold a NUL character
    old = os.environ.get("TENSORNOTES_DEVICE")
    os.environ["TENSORNOTES_DEVICE"] = value
    try:
        _call(tensornotes.device)
    finally:
        if old is None:
            del os.environ["TENSORNOTES_DEVICE"]
        else:
            os.environ["TENSORNOTES_DEVICE"] = old


COMPARISON = compare_descent(himmelblau, [(0.0, 0.0)], lrs=[0.01, 0.05], steps=30)


@PLOT_SETTINGS
@given(maybe(ranges), maybe(ranges), maybe(st.none()))
def test_comparison_methods(xlim: Any, ylim: Any, ax: Any) -> None:
    assert str(COMPARISON).startswith("start")
    for run in COMPARISON.runs:
        assert run.describe()
        assert repr(run.trajectory).startswith("Trajectory(")
        assert run.trajectory.steps == len(run.trajectory.final) * 0 + run.trajectory.steps
    _call(COMPARISON.plot, xlim, ylim, ax=ax)
