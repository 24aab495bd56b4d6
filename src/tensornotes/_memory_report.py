"""What ``expand``, ``broadcast_to``, ``repeat`` and a copy cost: :func:`memory_report`.

The report is worked out from shapes, strides and the dtype's size, the same
arithmetic PyTorch does; it never allocates the stretched tensors, so a target
of any size that PyTorch can describe is answered at once. The tests check
every number against the real operations.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from tensornotes._broadcast import MAX_SIZE, ShapeLike, as_shape, explain_broadcast
from tensornotes._errors import TensorNotesError
from tensornotes._format import shape_text
from tensornotes._validation import dense_tensor, describe

__all__ = ["MemoryReport", "MemoryRow", "memory_report"]

_KINDS = ("expand", "broadcast_to", "repeat", "copy")


@dataclass(frozen=True)
class MemoryRow:
    """One way of reaching the target shape, as measured by :func:`memory_report`.

    Attributes:
        kind: ``"expand"``, ``"broadcast_to"``, ``"repeat"`` or ``"copy"``.
        method: the code that made it, e.g. ``"x.expand(4, 3)"``.
        shape: its shape.
        stride: its strides; a stride of 0 means every index reads the same element.
        shares_storage: whether it shares the input's storage (a view).
        storage_bytes: ``untyped_storage().nbytes()`` of the result.
        new_bytes: the bytes newly allocated: 0 for a view.
    """

    kind: str
    method: str
    shape: tuple[int, ...]
    stride: tuple[int, ...]
    shares_storage: bool
    storage_bytes: int
    new_bytes: int


@dataclass(frozen=True)
class MemoryReport:
    """What reaching ``target`` costs from ``source``, four ways.

    Attributes:
        source: the input's shape.
        target: the target shape.
        element_size: bytes per element of the dtype.
        rows: one :class:`MemoryRow` for expand, broadcast_to, repeat and copy.
        inplace_error: the message of the RuntimeError that an in-place write
            into the expanded view raises (several of its elements are one
            element in memory), or None when PyTorch allows the write.
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    element_size: int
    rows: tuple[MemoryRow, ...]
    inplace_error: str | None

    def row(self, kind: str) -> MemoryRow:
        """The row of one kind: ``"expand"``, ``"broadcast_to"``, ``"repeat"`` or ``"copy"``.

        Example:
            >>> memory_report(torch.zeros(3, 1), (3, 4)).row("repeat").stride
            (4, 1)
        """
        if not isinstance(kind, str):
            raise TypeError(
                f"kind must be a string such as 'repeat', got {describe(kind)} of type "
                f"{type(kind).__name__}."
            )
        for r in self.rows:
            if r.kind == kind:
                return r
        raise TensorNotesError(
            f"kind={describe(kind)} is not in the report; use one of "
            + ", ".join(repr(r.kind) for r in self.rows)
            + "."
        )

    def __str__(self) -> str:
        header = ("method", "stride", "shares storage", "storage bytes", "new bytes")
        cells = [
            (
                r.method,
                str(r.stride),
                "yes" if r.shares_storage else "no",
                str(r.storage_bytes),
                str(r.new_bytes),
            )
            for r in self.rows
        ]
        w = [max(len(c[i]) for c in [header, *cells]) for i in range(5)]
        lines = [
            f"From {shape_text(self.source)} to {shape_text(self.target)}, "
            f"{self.element_size} bytes per element:",
            "  ".join(h.ljust(w[i]) if i == 0 else h.rjust(w[i]) for i, h in enumerate(header)),
        ]
        for c in cells:
            lines.append(
                "  ".join(v.ljust(w[i]) if i == 0 else v.rjust(w[i]) for i, v in enumerate(c))
            )
        if self.inplace_error is not None:
            lines += [
                "Writing in place into the expanded view fails, because several of its",
                "elements are one element in memory:",
                f"  RuntimeError: {self.inplace_error}",
            ]
        return "\n".join(lines)


def _args(shape: Sequence[int]) -> str:
    return ", ".join(map(str, shape))


def contiguous_strides(shape: Sequence[int]) -> tuple[int, ...]:
    """The strides PyTorch gives a new contiguous tensor of ``shape``.

    A dim of size 0 counts as 1, as in PyTorch, so no stride is 0.

    Example:
        >>> contiguous_strides((2, 3, 4)), contiguous_strides((3, 0, 2))
        ((12, 4, 1), (2, 2, 1))
    """
    strides = [1] * len(shape)
    for d in range(len(shape) - 2, -1, -1):
        strides[d] = strides[d + 1] * max(shape[d + 1], 1)
    return tuple(strides)


def _non_overlapping_and_dense(shape: Sequence[int], stride: Sequence[int]) -> bool:
    """PyTorch's test of whether every element has its own place, with no gaps."""
    if len(shape) == 1:
        return shape[0] < 2 or stride[0] == 1
    order = sorted(range(len(shape)), key=lambda d: (shape[d] < 2, stride[d]))
    expected = 1
    for d in order:
        if shape[d] < 2:
            return True
        if stride[d] != expected:
            return False
        expected *= shape[d]
    return True


def writes_overlap(shape: Sequence[int], stride: Sequence[int]) -> bool:
    """Whether PyTorch refuses an in-place write: a stride of 0 repeats a stored element.

    PyTorch raises when a tensor that is not dense has a dim of size 2 or more
    with stride 0 and at least one element.

    Example:
        >>> writes_overlap((3, 4), (1, 0)), writes_overlap((3, 4), (4, 1))
        (True, False)
    """
    if math.prod(shape) == 0 or _non_overlapping_and_dense(shape, stride):
        return False
    return any(st == 0 and n > 1 for n, st in zip(shape, stride, strict=True))


@functools.cache
def _overlap_message() -> str:
    """PyTorch's own words for a write into repeated elements, from a two-element view."""
    try:
        torch.zeros(1, device="cpu").expand(2).add_(1)
    except RuntimeError as exc:
        return str(exc)
    return (  # pragma: no cover - every PyTorch release so far refuses that write
        "unsupported operation: more than one element of the written-to tensor refers to a "
        "single memory location."
    )


def memory_report(tensor: torch.Tensor, target_shape: ShapeLike) -> MemoryReport:
    """Measure ``expand``, ``broadcast_to``, ``repeat`` and a copy from ``tensor`` to a shape.

    ``expand`` and ``broadcast_to`` return views with stride 0 along the
    stretched dims: they allocate nothing. ``repeat`` always allocates every
    element; a copy (``expand(...).contiguous()``) does too, unless the view
    is already contiguous (nothing stretched, or no elements), when
    ``contiguous()`` returns the view itself. The report also says whether
    PyTorch refuses an in-place write into the expanded view, and quotes its
    error.

    The numbers are worked out from the shapes, strides and dtype, as PyTorch
    works them out; nothing of the target's size is allocated and ``tensor``
    is never modified, so any target whose bytes PyTorch can count
    (at most ``2**63 - 1``) is answered at once.

    Args:
        tensor: the tensor to stretch: a dense tensor on the CPU or a GPU.
        target_shape: a shape that ``tensor``'s shape broadcasts to.

    Returns:
        A :class:`MemoryReport`; ``print`` it for a table.

    Raises:
        TypeError: if ``tensor`` is not a dense tensor (sparse, nested and
            quantized tensors are refused) or ``target_shape`` not a shape.
        TensorNotesError: if ``tensor`` cannot be broadcast to ``target_shape``,
            is on the meta device, or the target needs more bytes than PyTorch
            can count.

    Example:
        >>> x = torch.arange(3.0).view(3, 1)
        >>> report = memory_report(x, (3, 1000))
        >>> for r in report.rows:
        ...     print(r.method, r.stride, r.shares_storage, r.new_bytes)
        x.expand(3, 1000) (1, 0) True 0
        x.broadcast_to((3, 1000)) (1, 0) True 0
        x.repeat(1, 1000) (1000, 1) False 12000
        x.expand(3, 1000).contiguous() (1000, 1) False 12000
        >>> print(report.inplace_error)
        unsupported operation: more than one element of the written-to tensor refers to a
        single memory location. Please clone() the tensor before performing the operation.
    """
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(
            f"tensor must be a torch.Tensor, got {describe(tensor)} of type "
            f"{type(tensor).__name__}."
        )
    dense_tensor(tensor, "tensor")
    source = as_shape(tensor, "tensor")
    target = as_shape(target_shape, "target_shape")
    padded = (1,) * (len(target) - len(source)) + source
    if len(target) < len(source) or any(
        s not in (1, t) for s, t in zip(padded, target, strict=True)
    ):
        raise TensorNotesError(
            f"tensor of shape {shape_text(source)} cannot be stretched to target_shape "
            f"{shape_text(target)}: only dims of size 1 stretch, and dims are only added on the "
            "left.\n" + str(explain_broadcast(source, target))
        )
    element_size = tensor.element_size()
    numel = math.prod(target)
    full_bytes = numel * element_size
    if full_bytes > MAX_SIZE:
        raise TensorNotesError(
            f"target_shape {shape_text(target)} has {numel} elements of {element_size} bytes: "
            f"{full_bytes} bytes, more than PyTorch can count (at most 2**63 - 1)."
        )
    # Views cost nothing to make: these two are PyTorch's own, on a detached alias of
    # ``tensor`` (no autograd history, no version bump).
    alias = tensor.detach()
    view = alias.expand(target)
    view_stride = tuple(view.stride())
    view_contiguous = view.is_contiguous()
    broadcast_stride = tuple(torch.broadcast_to(alias, target).stride())
    counts = tuple(t if s == 1 else 1 for s, t in zip(padded, target, strict=True))
    base_bytes = tensor.untyped_storage().nbytes()
    fresh = contiguous_strides(target)

    def row(kind: str, method: str, stride: tuple[int, ...], shared: bool) -> MemoryRow:
        storage = base_bytes if shared else full_bytes
        return MemoryRow(kind, method, target, stride, shared, storage, 0 if shared else storage)

    rows = (
        row("expand", f"x.expand({_args(target)})", view_stride, True),
        row("broadcast_to", f"x.broadcast_to({shape_text(target)})", broadcast_stride, True),
        row("repeat", f"x.repeat({_args(counts)})", fresh, False),
        row(
            "copy",
            f"x.expand({_args(target)}).contiguous()",
            view_stride if view_contiguous else fresh,
            view_contiguous,
        ),
    )
    inplace_error = _overlap_message() if writes_overlap(target, view_stride) else None
    return MemoryReport(source, target, element_size, rows, inplace_error)
