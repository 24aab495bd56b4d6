"""Junk thrown at the shape checker: only TypeError or ValueError may come back,
and no caller's tensor may change."""

from __future__ import annotations

import contextlib
import warnings
from typing import Any

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tensornotes import ShapeError, check_shape, shapes

# --------------------------------------------------------------------------- odd values


def _odd_tensors() -> list[torch.Tensor]:
    leaf = torch.arange(6.0).reshape(2, 3).requires_grad_()
    with warnings.catch_warnings():  # nested tensors are a prototype, sparse CSR in beta
        warnings.simplefilter("ignore")
        nested = torch.nested.nested_tensor([torch.zeros(2), torch.zeros(3)])
        csr = torch.eye(3).to_sparse_csr()
    return [
        torch.tensor(2.5),  # 0-d
        torch.zeros(0, 3),  # empty
        torch.arange(24.0).reshape(2, 3, 4),
        torch.zeros(2, 3, device="meta"),
        torch.ones(3, dtype=torch.complex64),
        leaf,
        leaf * 2,  # not a leaf: has a grad_fn
        torch.arange(6).reshape(2, 3).T,  # not contiguous
        torch.zeros(1, 3).expand(4, 3),  # stride 0
        torch.tensor([True, False]),
        torch.arange(4.0).reshape(2, 2).to_sparse(),
        csr,
        nested,
        torch.zeros(1, 2, 3, 4, 5, 6, dtype=torch.float64),
    ]


TENSORS = _odd_tensors()


class Shaped:
    """Anything with a .shape, which need not be a shape at all."""

    def __init__(self, shape: Any, dtype: Any = None) -> None:
        self.shape = shape
        self.dtype = dtype

    def __repr__(self) -> str:
        return f"Shaped({self.shape!r})"


_leaves = (
    st.none()
    | st.booleans()
    | st.integers(-3, 8)
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=8)
    | st.binary(max_size=4)
    | st.sampled_from([torch.float32, torch.int64, torch.bool, torch.complex64])
)
JUNK = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=8,
)
VALUES = (
    JUNK
    | st.sampled_from(TENSORS)
    | st.builds(Shaped, JUNK | st.lists(st.integers(-2, 6), max_size=5).map(tuple), JUNK)
)
SPECS = st.text(alphabet="AB_b *.0123()+-/?é\t", max_size=24) | JUNK
DTYPES = (
    st.none()
    | st.sampled_from([torch.float32, torch.int64, "floating", "integer", "bool", "float"])
    | st.frozensets(st.sampled_from([torch.float32, torch.float64]))
    | VALUES
)
KNOWN = st.dictionaries(
    st.sampled_from(["A", "B", "b", "C", "N"]),
    JUNK | st.integers(-2, 6) | st.tuples(st.integers(0, 4)) | st.sampled_from(TENSORS),
    max_size=3,
)


# --------------------------------------------------------------------------- untouched tensors


def _state(t: torch.Tensor) -> tuple[Any, ...]:
    """Everything about a tensor that a checker must leave as it was."""
    state: list[Any] = [t.dtype, t.layout, t.device, t.requires_grad, t._version]
    if t.is_nested:
        return (*state, [u.clone() for u in t.unbind()])
    state.append(tuple(t.shape))
    if t.is_leaf:
        state.append(t.grad is None)
    if t.layout == torch.strided:
        state.append(t.stride())
        if t.device.type != "meta":
            state.append(t.detach().clone())
    elif t.layout == torch.sparse_coo:
        state.append(t.detach().to_dense())
    return tuple(state)


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if isinstance(x, torch.Tensor):
            if not torch.equal(x, y):
                return False
        elif isinstance(x, list):
            if not all(torch.equal(u, v) for u, v in zip(x, y, strict=True)):
                return False
        elif x != y:
            return False
    return True


def _untouched(run: Any) -> None:
    before = [_state(t) for t in TENSORS]
    with contextlib.suppress(TypeError, ValueError):
        run()
    after = [_state(t) for t in TENSORS]
    for t, b, a in zip(TENSORS, before, after, strict=True):
        assert _same(b, a), f"the checker changed {t!r}"


# --------------------------------------------------------------------------- the properties


@settings(max_examples=300, deadline=None)
@given(VALUES, SPECS, DTYPES, st.just("x") | JUNK, KNOWN)
def test_check_shape_raises_only_type_or_value_errors(
    x: Any, spec: Any, dtype: Any, name: Any, known: dict[str, Any]
) -> None:
    _untouched(lambda: check_shape(x, spec, dtype=dtype, name=name, **known))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["x", "y"]), SPECS | st.tuples(SPECS, DTYPES), max_size=2),
    st.none() | SPECS | st.lists(SPECS, max_size=2) | JUNK,
    st.lists(VALUES, max_size=3),
    VALUES | st.tuples(VALUES, VALUES),
    st.booleans(),
)
def test_the_decorator_raises_only_type_or_value_errors(
    specs: dict[str, Any], returns: Any, args: list[Any], result: Any, by_keyword: bool
) -> None:
    def f(x: Any, y: Any = None) -> Any:
        return result

    def run() -> None:
        checked = shapes(returns=returns, **specs)(f)
        for _ in range(2):  # the second call may take the remembered-shapes path
            if by_keyword:
                checked(**dict(zip(["x", "y"], args[:2], strict=False)))
            else:
                checked(*args)

    _untouched(run)


@settings(max_examples=50, deadline=None)
@given(st.lists(VALUES, max_size=3))
def test_shape_error_takes_any_message(args: list[Any]) -> None:
    error = ShapeError(*args)
    assert isinstance(error, ValueError)
    assert isinstance(str(error), str)


def test_every_odd_tensor_is_checked_or_refused_clearly() -> None:
    for t in TENSORS:
        if t.is_nested:
            _untouched(lambda t=t: check_shape(t, "..."))
            continue
        assert check_shape(t, "...") == {}
        assert check_shape(t, "*s") == {"s": tuple(t.shape)}
