"""Tests of memory_report, with PyTorch's own expand, repeat and contiguous as the oracle."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tensornotes import TensorNotesError, explain_broadcast, memory_report
from tensornotes._memory_report import contiguous_strides, writes_overlap

DTYPES = [torch.float32, torch.float64, torch.int16, torch.uint8, torch.bool, torch.complex64]
FORMS = ["plain", "transposed", "expanded", "sliced", "channels_last", "requires_grad"]

Maker = Callable[[], torch.Tensor]


def make_tensor(shape: tuple[int, ...], dtype: torch.dtype, form: str) -> torch.Tensor:
    """A tensor of ``shape`` with an unusual layout: non-contiguous, stride 0, a slice..."""
    n = len(shape)
    if form == "transposed" and n >= 2:
        return torch.zeros(shape[::-1], dtype=dtype).permute(*range(n - 1, -1, -1))
    if form == "expanded":
        return torch.zeros((1,) * n, dtype=dtype).expand(shape)
    if form == "sliced":
        return torch.zeros(tuple(2 * s for s in shape), dtype=dtype)[(slice(None, None, 2),) * n]
    if form == "channels_last" and n == 4:
        return torch.zeros(shape, dtype=dtype).to(memory_format=torch.channels_last)
    if form == "requires_grad" and (dtype.is_floating_point or dtype.is_complex):
        return torch.zeros(shape, dtype=dtype, requires_grad=True)
    return torch.zeros(shape, dtype=dtype)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Maker, tuple[int, ...]]:
    """A way to make a source tensor, and a target shape (mostly one it reaches)."""
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=4)))
    dtype = draw(st.sampled_from(DTYPES))
    form = draw(st.sampled_from(FORMS))
    lead = draw(st.lists(st.integers(0, 3), max_size=2))
    if draw(st.integers(0, 9)) == 0:
        target = tuple(draw(st.lists(st.integers(0, 4), max_size=5)))
    else:
        target = (*lead, *(draw(st.sampled_from([1, 0, 2, 3])) if s == 1 else s for s in shape))
    return (lambda: make_tensor(shape, dtype, form)), target


def nested_tensor() -> torch.Tensor:
    with warnings.catch_warnings():  # nested tensors are a prototype and say so
        warnings.simplefilter("ignore", UserWarning)
        return torch.nested.nested_tensor([torch.zeros(2), torch.zeros(3)])


def storage_id(t: torch.Tensor) -> int:
    cdata: int = t.untyped_storage()._cdata
    return cdata


def torch_rows(x: torch.Tensor, target: tuple[int, ...]) -> list[tuple[object, ...]]:
    """What PyTorch's own operations give, measured on real (small) tensors."""
    padded = (1,) * (len(target) - x.dim()) + tuple(x.shape)
    counts = tuple(t if s == 1 else 1 for s, t in zip(padded, target, strict=True))
    with torch.no_grad():
        outs = [
            ("expand", x.expand(target)),
            ("broadcast_to", torch.broadcast_to(x, target)),
            ("repeat", x.repeat(counts)),
            ("copy", x.expand(target).contiguous()),
        ]
    rows = []
    for kind, out in outs:
        shared = storage_id(out) == storage_id(x)
        nbytes = out.untyped_storage().nbytes()
        rows.append(
            (kind, tuple(out.shape), tuple(out.stride()), shared, nbytes, 0 if shared else nbytes)
        )
    return rows


def torch_inplace_error(x: torch.Tensor, target: tuple[int, ...]) -> str | None:
    """The error of a real in-place add into ``x.expand(target)`` (this writes into ``x``)."""
    with torch.no_grad():
        view = x.detach().expand(target)
        try:
            view.add_(torch.ones((), dtype=x.dtype))
        except RuntimeError as exc:
            return str(exc)
    return None


# --- every claim agrees with PyTorch ---------------------------------------------------------


@settings(max_examples=400, deadline=None, database=None)
@given(cases())
def test_every_row_agrees_with_torch(case: tuple[Maker, tuple[int, ...]]) -> None:
    make, target = case
    x = make()
    try:
        x.detach().expand(target)
    except RuntimeError:
        with pytest.raises(TensorNotesError, match="cannot be stretched to target_shape"):
            memory_report(x, target)
        return
    report = memory_report(x, target)
    got = [
        (r.kind, r.shape, r.stride, r.shares_storage, r.storage_bytes, r.new_bytes)
        for r in report.rows
    ]
    assert got == torch_rows(x, target)
    assert report.element_size == x.element_size()
    assert report.inplace_error == torch_inplace_error(make(), target)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.integers(0, 4), max_size=5), st.lists(st.integers(0, 25), max_size=5))
def test_the_rules_agree_with_torch(shape: list[int], stride: list[int]) -> None:
    stride = (stride + [1] * len(shape))[: len(shape)]
    assert contiguous_strides(shape) == torch.empty(shape).stride()
    numel = math.prod(shape)
    extent = 1 + sum((n - 1) * s for n, s in zip(shape, stride, strict=True)) if numel else 0
    t = torch.zeros(max(extent, 1)).as_strided(shape, stride)
    assert writes_overlap(shape, stride) == (torch._debug_has_internal_overlap(t) == 1)


def test_an_empty_tensor_is_not_shared_by_repeat() -> None:
    x = torch.zeros(0, 1)
    report = memory_report(x, (0, 5))
    assert not report.row("repeat").shares_storage
    # contiguous() of a tensor with no elements returns the view itself.
    assert x.expand(0, 5).contiguous().untyped_storage()._cdata == x.untyped_storage()._cdata
    copy = report.row("copy")
    assert (copy.shares_storage, copy.new_bytes) == (True, 0)
    assert report.inplace_error is None


def test_an_expanded_tensor_cannot_be_written_in_place() -> None:
    x = torch.zeros(1).expand(5)
    report = memory_report(x, (5,))
    with pytest.raises(RuntimeError) as info:
        x.expand(5).add_(1)
    assert report.inplace_error == str(info.value)
    assert "Writing in place into the expanded view fails" in str(report)


def test_huge_targets_are_answered_without_allocating() -> None:
    # 4 TiB each for repeat and the copy: allocating them would fail on any machine.
    report = memory_report(torch.zeros(1), (2**40,))
    assert report.row("repeat").new_bytes == report.row("copy").new_bytes == 4 * 2**40
    assert report.row("expand").stride == (0,)
    big = memory_report(torch.zeros(1, 1), (2**30, 2**30))
    assert big.row("repeat").stride == (2**30, 1)


@pytest.mark.parametrize(
    ("target", "match"),
    [
        ((2**62, 2**62), r"target_shape \(4611686018427387904, 4611686018427387904\) has "),
        ((2**31, 2**31), r"18446744073709551616 bytes, more than PyTorch can count"),
        ((2**63,), r"target_shape has the size 9223372036854775808 at index 0"),
        ((1,) * 65, r"target_shape has 65 dims; tensornotes explains shapes of at most 64"),
    ],
)
def test_targets_beyond_what_torch_can_count_are_refused(
    target: tuple[int, ...], match: str
) -> None:
    with pytest.raises(TensorNotesError, match=match):
        memory_report(torch.zeros(1, 1), target)


# --- the report's contents and text ------------------------------------------------------------


def test_memory_report_measures_views_and_copies() -> None:
    x = torch.zeros(3, 1, dtype=torch.float64)
    report = memory_report(x, (2, 3, 4))
    expand = report.row("expand")
    assert (expand.stride, expand.shares_storage, expand.new_bytes) == ((0, 1, 0), True, 0)
    assert expand.storage_bytes == x.untyped_storage().nbytes() == 24
    assert report.row("broadcast_to").stride == (0, 1, 0)
    repeat = report.row("repeat")
    assert repeat.method == "x.repeat(2, 1, 4)"
    assert (repeat.stride, repeat.shares_storage, repeat.new_bytes) == ((12, 4, 1), False, 192)
    assert report.row("copy").new_bytes == 2 * 3 * 4 * 8
    assert report.inplace_error is not None
    assert report.inplace_error.startswith("unsupported operation: more than one element")
    assert "Writing in place into the expanded view fails" in str(report)


def test_memory_report_without_stretching_has_no_inplace_hazard() -> None:
    report = memory_report(torch.zeros(2, 3), (2, 3))
    assert report.inplace_error is None
    assert report.row("expand").shares_storage
    # Nothing is stretched, so the view is contiguous and contiguous() copies nothing.
    assert report.row("copy").shares_storage


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(st.integers(0, 4), max_size=4), st.lists(st.integers(0, 4), max_size=5))
def test_memory_report_on_random_shapes(source: list[int], target: list[int]) -> None:
    x = torch.zeros(source, dtype=torch.int16)
    if explain_broadcast(source, target).result != torch.Size(target):
        with pytest.raises(TensorNotesError, match="cannot be stretched to target_shape"):
            memory_report(x, target)
        return
    report = memory_report(x, target)
    numel = math.prod(target)
    assert all(row.shape == tuple(target) for row in report.rows)
    assert report.row("expand").new_bytes == report.row("broadcast_to").new_bytes == 0
    assert report.row("repeat").storage_bytes == 2 * numel
    padded = (1,) * (len(target) - len(source)) + tuple(source)
    stretched = numel > 0 and any(s == 1 and t > 1 for s, t in zip(padded, target, strict=True))
    assert (report.inplace_error is not None) == stretched


def test_the_caller_tensor_is_never_modified() -> None:
    x = torch.arange(3.0).view(3, 1).requires_grad_()
    before, version, stride = x.detach().clone(), x._version, x.stride()
    memory_report(x, (2, 3, 4))
    assert torch.equal(x.detach(), before)
    assert (x._version, x.stride(), x.grad_fn) == (version, stride, None)


# --- bad input ------------------------------------------------------------------------------


def test_memory_report_bad_input() -> None:
    with pytest.raises(TensorNotesError, match=r"tensor of shape \(3,\) cannot be stretched"):
        memory_report(torch.zeros(3), (4,))
    with pytest.raises(TensorNotesError, match="cannot be stretched to target_shape"):
        memory_report(torch.zeros(2, 3), (3,))
    with pytest.raises(TypeError, match=r"tensor must be a torch\.Tensor, got"):
        memory_report([1, 2], (2,))  # type: ignore[arg-type]
    with pytest.raises(TensorNotesError, match="kind='view' is not in the report"):
        memory_report(torch.zeros(1), (2,)).row("view")
    with pytest.raises(TypeError, match=r"kind must be a string such as 'repeat', got tensor"):
        memory_report(torch.zeros(1), (2,)).row(torch.zeros(2))  # type: ignore[arg-type]


def test_odd_tensors_are_refused_with_type_or_value_errors() -> None:
    with pytest.raises(TensorNotesError, match="tensor is on the meta device"):
        memory_report(torch.zeros(2, 1, device="meta"), (2, 3))
    with pytest.raises(TypeError, match=r"tensor has the layout torch\.sparse_coo"):
        memory_report(torch.zeros(2, 1).to_sparse(), (2, 3))
    nested = nested_tensor()
    with pytest.raises(TypeError, match="tensor is a nested tensor"):
        memory_report(nested, (2, 3))
    with pytest.raises(TypeError, match=r"shapes\[0\] is a nested tensor"):
        explain_broadcast(nested)
    # A meta or sparse tensor as the target only lends its shape.
    meta = torch.zeros(2, 3, device="meta")
    assert memory_report(torch.zeros(2, 1), meta).target == (2, 3)
    assert memory_report(torch.zeros(2, 1), torch.zeros(2, 3).to_sparse()).target == (2, 3)
