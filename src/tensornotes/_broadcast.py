"""PyTorch's broadcasting rule, explained dim by dim.

:func:`explain_broadcast` follows the rule for any number of shapes: line the
shapes up on the right, pad the shorter ones with 1s on the left, and compare
one dim at a time. Each dim either agrees, stretches a 1, adds a missing dim,
or clashes. The answer is a :class:`BroadcastExplanation` that prints as a
table (:mod:`tensornotes._broadcast_text`), renders in Jupyter, plots with
matplotlib (:mod:`tensornotes._broadcast_plot`), and on a clash quotes the error
PyTorch would raise and suggests a fix (:mod:`tensornotes._broadcast_fixes`).

:func:`parse_shape` reads a shape written as text, as on the command line.

Limits: at most :data:`MAX_OPERANDS` shapes of at most :data:`MAX_DIMS` dims
each, and sizes up to :data:`MAX_SIZE`, the largest that PyTorch's int64
sizes hold. Anything beyond is refused at once with a message that states the
limit.
"""

from __future__ import annotations

import enum
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import torch

from tensornotes._errors import TensorNotesError
from tensornotes._format import shape_text
from tensornotes._validation import describe, text_argument

if TYPE_CHECKING:
    import matplotlib.axes

__all__ = [
    "MAX_DIMS",
    "MAX_OPERANDS",
    "MAX_SIZE",
    "BroadcastConflict",
    "BroadcastExplanation",
    "BroadcastStep",
    "DimSize",
    "Outcome",
    "ShapeLike",
    "as_shape",
    "broadcast_or_none",
    "broadcast_shapes_message",
    "check_operand_count",
    "explain_broadcast",
    "join_names",
    "labels_for",
    "parse_shape",
]

ShapeLike = torch.Size | torch.Tensor | Sequence[int]
"""What a shape argument may be: a :class:`torch.Size`, a tuple or list of ints, or a tensor."""

MAX_SIZE = 2**63 - 1
"""The largest size of one dim: PyTorch stores sizes as int64 and refuses ``2**63``."""
MAX_DIMS = 64
"""The most dims one shape may have here (PyTorch itself allows more)."""
MAX_OPERANDS = 64
"""The most shapes :func:`explain_broadcast` compares at once."""
_MAX_TEXT = 10_000
_MAX_LETTERS = 26


class Outcome(str, enum.Enum):
    """What happens at one aligned dim."""

    EQUAL = "equal"
    """Every operand brings the same size, so nothing changes."""
    STRETCHED = "stretched from 1"
    """At least one operand brings a 1 that is stretched to the other size."""
    ADDED = "added then stretched"
    """At least one operand has no dim here, so a 1 is added on its left, then stretched."""
    CONFLICT = "conflict"
    """Two operands bring different sizes and neither is 1, so the shapes do not broadcast."""


@dataclass(frozen=True)
class DimSize:
    """The size one operand brings to one aligned dim.

    Attributes:
        size: the size, 1 when the dim was added by padding.
        added: True when the operand has no such dim and padding prepended a 1.
    """

    size: int
    added: bool = False


@dataclass(frozen=True)
class BroadcastStep:
    """One aligned dim, compared across all operands.

    Attributes:
        dim: the dim counted from the right: -1 is the last dim.
        sizes: what each operand brings, in operand order.
        outcome: equal, stretched from 1, added then stretched, or conflict.
        result: the size of the result along this dim, or None on a conflict.
    """

    dim: int
    sizes: tuple[DimSize, ...]
    outcome: Outcome
    result: int | None


@dataclass(frozen=True)
class BroadcastConflict:
    """The first clashing dim, counted from the right, given three ways.

    Attributes:
        dim: the dim as a negative index, e.g. -3.
        padded_dim: the index into the padded result shape; PyTorch's message
            ``... at non-singleton dimension N`` shows this number.
        operand_dims: each operand's own index of this dim, None where the
            operand has no such dim (padding added a 1 there).
        operands: the positions of the operands that bring a size other than 1
            there (the sizes that must agree, and do not).
        sizes: the sizes the clashing operands bring, in the same order.
    """

    dim: int
    padded_dim: int
    operand_dims: tuple[int | None, ...]
    operands: tuple[int, ...]
    sizes: tuple[int, ...]


@dataclass(frozen=True)
class BroadcastExplanation:
    """The step-by-step answer of :func:`explain_broadcast`.

    Attributes:
        shapes: the input shapes, as tuples.
        ok: whether the shapes broadcast.
        result: the broadcast shape, or None when they do not broadcast.
        steps: one :class:`BroadcastStep` per aligned dim, from the last dim.
        conflict: None, or the first clashing dim from the right.
        fixes: suggested code that makes the shapes broadcast, on a conflict.
    """

    shapes: tuple[tuple[int, ...], ...]
    ok: bool
    result: torch.Size | None
    steps: tuple[BroadcastStep, ...]
    conflict: BroadcastConflict | None
    fixes: tuple[str, ...] = field(default=())

    @property
    def labels(self) -> tuple[str, ...]:
        """The names of the operands in the text and the plot, ``A``, ``B``, ``C`` and so on.

        Example:
            >>> explain_broadcast((2, 1), (3,), ()).labels
            ('A', 'B', 'C')
        """
        return labels_for(len(self.shapes))

    @property
    def ndim(self) -> int:
        """The number of dims of the padded shapes (and of the result).

        Example:
            >>> explain_broadcast((2, 1), (5, 1, 3)).ndim
            3
        """
        return len(self.steps)

    def torch_message(self) -> str | None:
        """The message PyTorch raises for these shapes, or None when they broadcast.

        For two operands it is the message of ``a + b`` (and of every other
        element-wise op); for more, the message of :func:`torch.broadcast_shapes`.

        Example:
            >>> print(explain_broadcast((2, 3), (4,)).torch_message())
            The size of tensor a (3) must match the size of tensor b (4)
            at non-singleton dimension 1
        """
        if self.conflict is None:
            return None
        if len(self.shapes) == 2:
            c = self.conflict
            a, b = (self.steps[-c.dim - 1].sizes[i].size for i in (0, 1))
            return (
                f"The size of tensor a ({a}) must match the size of tensor b ({b}) "
                f"at non-singleton dimension {c.padded_dim}"
            )
        replay = broadcast_shapes_message(self.shapes)
        return None if replay is None else replay[0]

    def inplace_message(self) -> str | None:
        """The error of ``a.add_(b)`` (an in-place op on the first operand), if it fails.

        An in-place op writes into its left operand, so the left operand cannot
        be stretched: the broadcast result must already have its shape.

        Example:
            >>> explain_broadcast((3,), (2, 3)).inplace_message()
            "output with shape [3] doesn't match the broadcast shape [2, 3]"
            >>> explain_broadcast((2, 3), (3,)).inplace_message() is None
            True
        """
        if self.result is None or len(self.shapes) != 2:
            return None
        if tuple(self.result) == self.shapes[0]:
            return None
        return (
            f"output with shape {list(self.shapes[0])} doesn't match the broadcast shape "
            f"{list(self.result)}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The explanation as plain data (what ``tensornotes broadcast --json`` prints).

        Example:
            >>> d = explain_broadcast((3, 1), (4,)).to_dict()
            >>> d["ok"], d["result"], d["steps"][0]["outcome"]
            (True, [3, 4], 'stretched from 1')
        """
        conflict = None
        if self.conflict is not None:
            c = self.conflict
            conflict = {
                "dim": c.dim,
                "padded_dim": c.padded_dim,
                "operand_dims": list(c.operand_dims),
                "operands": [self.labels[i] for i in c.operands],
                "sizes": list(c.sizes),
            }
        return {
            "shapes": [list(s) for s in self.shapes],
            "labels": list(self.labels),
            "ok": self.ok,
            "result": None if self.result is None else list(self.result),
            "steps": [
                {
                    "dim": s.dim,
                    "padded_dim": self.ndim + s.dim,
                    "sizes": [{"size": d.size, "added": d.added} for d in s.sizes],
                    "outcome": s.outcome.value,
                    "result": s.result,
                }
                for s in self.steps
            ],
            "conflict": conflict,
            "torch_message": self.torch_message(),
            "inplace_message": self.inplace_message(),
            "fixes": list(self.fixes),
        }

    def __str__(self) -> str:
        from tensornotes._broadcast_text import render_text

        return render_text(self)

    def _repr_html_(self) -> str:
        from tensornotes._broadcast_text import render_html

        return render_html(self)

    def plot(self, *, ax: matplotlib.axes.Axes | None = None) -> matplotlib.axes.Axes:
        """Draw the operands, their padding and stretching, and the result, as grids of dims.

        A plot draws at most 12 operands of at most 12 dims; more would not be
        readable, so a bigger explanation is refused (print it instead).

        Args:
            ax: the matplotlib Axes to draw on (keyword only); a new figure when None.

        Returns:
            The Axes drawn on.

        Raises:
            TypeError: if ``ax`` is not a matplotlib Axes.
            TensorNotesError: if the explanation is too big to draw.

        Example:
            >>> import matplotlib
            >>> matplotlib.use("Agg")
            >>> ax = explain_broadcast((4, 3, 32, 32), (3, 1, 1)).plot()
            >>> ax.get_title()
            '(4, 3, 32, 32) and (3, 1, 1) broadcast to (4, 3, 32, 32)'
            >>> import matplotlib.pyplot as plt
            >>> plt.close(ax.figure)
        """
        from tensornotes._broadcast_plot import plot_explanation

        return plot_explanation(self, ax=ax)


# --- shapes as arguments and as text ----------------------------------------------------


def labels_for(n: int) -> tuple[str, ...]:
    """The operand names: ``A`` to ``Z`` for up to 26 operands, else ``T0``, ``T1``, ..."""
    if n <= _MAX_LETTERS:
        return tuple(chr(ord("A") + i) for i in range(n))
    return tuple(f"T{i}" for i in range(n))


def join_names(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _too_many_dims(name: str, ndim: object) -> TensorNotesError:
    return TensorNotesError(
        f"{name} has {ndim} dims; tensornotes explains shapes of at most {MAX_DIMS} dims."
    )


def _too_big(name: str, size: int, where: str) -> TensorNotesError:
    return TensorNotesError(
        f"{name} has the size {describe(size)} {where}, more than PyTorch can hold: "
        f"sizes are int64, at most 2**63 - 1 = {MAX_SIZE}."
    )


def as_shape(value: object, name: str) -> tuple[int, ...]:
    """Turn one shape argument into a tuple of ints, or raise a message that names it.

    A tensor gives its shape (a nested tensor has none and is refused). A
    sequence must hold at most :data:`MAX_DIMS` whole numbers from 0 to
    :data:`MAX_SIZE`.
    """
    if isinstance(value, torch.Tensor):
        if value.is_nested:
            raise TypeError(
                f"{name} is a nested tensor, whose components have different shapes; "
                "pass one component, or a shape."
            )
        try:
            sizes_ = tuple(int(s) for s in value.shape)
        except Exception as exc:  # a tensor subclass without plain sizes
            raise TypeError(f"{name} is a tensor without a plain shape: {exc}") from None
        if len(sizes_) > MAX_DIMS:
            raise _too_many_dims(name, len(sizes_))
        return sizes_
    if isinstance(value, str | bytes | bytearray):
        raise TypeError(
            f"{name} is the string {describe(value)}, not a shape; pass a tuple such as "
            "(4, 3), or parse text with tensornotes.parse_shape."
        )
    if isinstance(value, bool) or not isinstance(value, Sequence):
        hint = ""
        if isinstance(value, int) and not isinstance(value, bool):
            hint = f" For a 1-d shape write ({describe(value)},)."
        raise TypeError(
            f"{name} is {describe(value)} of type {type(value).__name__}, not a shape; pass a "
            f"torch.Size, a tuple or list of ints, or a tensor.{hint}"
        )
    try:
        ndim = len(value)
    except OverflowError:  # range(10**30) is a sequence whose length overflows
        raise _too_many_dims(name, "more than 2**63") from None
    if ndim > MAX_DIMS:
        raise _too_many_dims(name, ndim)
    sizes: list[int] = []
    for i, item in enumerate(value):
        if isinstance(item, bool | float) or not hasattr(item, "__index__"):
            raise TypeError(
                f"{name} = {describe(value)} has {describe(item)} of type "
                f"{type(item).__name__} at index {i}; every size must be a whole number (an int)."
            )
        try:
            size = operator.index(item)
        except Exception as exc:  # an integer tensor of several elements, a meta tensor
            raise TypeError(
                f"{name} = {describe(value)} has {describe(item)} at index {i}, which is not "
                "an int."
            ) from exc
        if size < 0:
            raise TensorNotesError(
                f"{name} = {describe(value)} has the negative size {describe(size)} at index "
                f"{i}; sizes must be 0 or more."
            )
        if size > MAX_SIZE:
            raise _too_big(name, size, f"at index {i}")
        sizes.append(size)
    return tuple(sizes)


_SEP = re.compile(r"\s*[,x×]\s*|\s+")
_DIGITS = len(str(MAX_SIZE))


def parse_shape(text: str, name: str = "shape") -> tuple[int, ...]:
    """Read a shape written as text, as on the command line: ``"4,3,32,32"``.

    Sizes are separated by commas, spaces or ``x``; brackets or parentheses
    around them are allowed. ``""``, ``"()"`` and ``"[]"`` are the 0-d shape.
    A shape has at most 64 sizes, each at most ``2**63 - 1`` (PyTorch's int64
    limit), and the text at most 10,000 characters.

    Args:
        text: the shape as text.
        name: how error messages name the argument.

    Returns:
        The shape as a tuple of ints.

    Raises:
        TypeError: if ``text`` is not a string.
        TensorNotesError: if ``text`` is not a shape, or is beyond the limits;
            the message quotes it.

    Example:
        >>> parse_shape("4,3,32,32")
        (4, 3, 32, 32)
        >>> parse_shape("[3, 1, 1]"), parse_shape("2x5"), parse_shape("()")
        ((3, 1, 1), (2, 5), ())
        >>> parse_shape("4,-1")
        Traceback (most recent call last):
        ...
        tensornotes.TensorNotesError: shape is '4,-1', which is not a shape: ...
    """
    text = text_argument(text, name, example="'4,3,32,32'", what="a shape", limit=_MAX_TEXT)
    body = text.strip()
    if body[:1] in "([" and body[-1:] in ")]" and len(body) >= 2:
        body = body[1:-1].strip()
    if not body:
        return ()
    parts = _SEP.split(body.rstrip(",").strip())
    if len(parts) > MAX_DIMS:
        raise _too_many_dims(f"{name} {describe(text)}", len(parts))
    sizes: list[int] = []
    for part in parts:
        why = None
        if part == "":
            why = "two separators in a row"
        elif re.fullmatch(r"-\d+", part):
            why = f"{describe(part)} is negative; sizes must be 0 or more"
        elif not re.fullmatch(r"\d+", part):
            why = f"{describe(part)} is not a whole number"
        elif len(part.lstrip("0")) > _DIGITS or int(part) > MAX_SIZE:
            why = (
                f"{describe(part)} is more than PyTorch can hold: sizes are int64, "
                f"at most 2**63 - 1 = {MAX_SIZE}"
            )
        if why is not None:
            raise TensorNotesError(
                f"{name} is {describe(text)}, which is not a shape: {why}. Write sizes separated "
                "by commas, such as 4,3,32,32 (or () for a 0-d tensor)."
            )
        sizes.append(int(part))
    return tuple(sizes)


# --- the rule ---------------------------------------------------------------------------


def check_operand_count(count: int) -> None:
    """Refuse more than :data:`MAX_OPERANDS` shapes, before any of them is read."""
    if count > MAX_OPERANDS:
        raise TensorNotesError(
            f"explain_broadcast got {count} shapes; it compares at most {MAX_OPERANDS} at once."
        )


def explain_broadcast(*shapes: ShapeLike) -> BroadcastExplanation:
    """Explain, dim by dim, whether and how PyTorch broadcasts these shapes.

    The rule, for any number of operands: align the shapes on the right and
    prepend 1s to the shorter ones. Then, at each dim, the sizes must be equal
    or 1; the 1s are stretched to the other size. ``ok`` and ``result`` always
    agree with :func:`torch.broadcast_shapes`.

    At most 64 shapes of at most 64 dims each, with sizes up to ``2**63 - 1``
    (the most PyTorch's int64 sizes hold); beyond that the call is refused.

    Args:
        *shapes: the operands' shapes: each a :class:`torch.Size`, a tuple or
            list of ints, or a tensor (only its shape is read).

    Returns:
        A :class:`BroadcastExplanation`; ``print`` it for the table and the verdict.

    Raises:
        TypeError: if an argument is not a shape, or a size is not an int.
        TensorNotesError: if a size is negative or too big for PyTorch, or there
            are too many shapes or dims.

    Example:
        >>> e = explain_broadcast((4, 3, 32, 32), (3, 1, 1))
        >>> e.ok, e.result
        (True, torch.Size([4, 3, 32, 32]))
        >>> [step.outcome.value for step in e.steps]
        ['stretched from 1', 'stretched from 1', 'equal', 'added then stretched']
        >>> bad = explain_broadcast((4, 3, 32, 32), (4, 1, 1))
        >>> bad.ok, bad.conflict.dim, bad.conflict.padded_dim, bad.conflict.operand_dims
        (False, -3, 1, (1, 0))
        >>> print(bad.fixes[0])
        B.unsqueeze(-1)  # B becomes (4, 1, 1, 1): its 4 lines up with A's dim 0
    """
    check_operand_count(len(shapes))
    tuples = tuple(as_shape(s, f"shapes[{i}]") for i, s in enumerate(shapes))
    ndim = max((len(s) for s in tuples), default=0)
    steps: list[BroadcastStep] = []
    conflict: BroadcastConflict | None = None
    for k in range(1, ndim + 1):
        dim = -k
        sizes = tuple(DimSize(s[dim], False) if len(s) >= k else DimSize(1, True) for s in tuples)
        distinct = list(dict.fromkeys(d.size for d in sizes if d.size != 1))
        if len(distinct) > 1:
            outcome, result = Outcome.CONFLICT, None
            if conflict is None:
                clash = tuple(i for i, d in enumerate(sizes) if d.size != 1)
                conflict = BroadcastConflict(
                    dim=dim,
                    padded_dim=ndim + dim,
                    operand_dims=tuple(len(s) + dim if len(s) >= k else None for s in tuples),
                    operands=clash,
                    sizes=tuple(sizes[i].size for i in clash),
                )
        else:
            result = distinct[0] if distinct else 1
            if any(d.added for d in sizes):
                outcome = Outcome.ADDED
            elif any(d.size != result for d in sizes):
                outcome = Outcome.STRETCHED
            else:
                outcome = Outcome.EQUAL
        steps.append(BroadcastStep(dim, sizes, outcome, result))
    ok = conflict is None
    result_shape = torch.Size([s.result or 0 for s in reversed(steps)]) if ok else None
    fixes: tuple[str, ...] = ()
    if not ok:
        from tensornotes._broadcast_fixes import suggest_fixes

        fixes = suggest_fixes(tuples)
    return BroadcastExplanation(tuples, ok, result_shape, tuple(steps), conflict, fixes)


def broadcast_or_none(shapes: Sequence[tuple[int, ...]]) -> tuple[int, ...] | None:
    """The broadcast of ``shapes`` as a tuple, or None when they clash."""
    ndim = max((len(s) for s in shapes), default=0)
    out: list[int] = []
    for k in range(ndim, 0, -1):
        sizes = {s[-k] for s in shapes if len(s) >= k} - {1}
        if len(sizes) > 1:
            return None
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


def broadcast_shapes_message(shapes: Sequence[tuple[int, ...]]) -> tuple[str, int] | None:
    """Replay :func:`torch.broadcast_shapes`: the message it raises and the dim it names."""
    common = [1] * max((len(s) for s in shapes), default=0)
    for arg, shape in enumerate(shapes):
        for idx in range(-1, -1 - len(shape), -1):
            if shape[idx] == common[idx]:
                continue
            if common[idx] == 1:
                common[idx] = shape[idx]
            if shape[idx] != 1 and common[idx] != shape[idx]:
                message = (
                    f"Attempting to broadcast a dimension of length {shape[idx]} at {idx}! "
                    f"Mismatching argument at index {arg} had {shape_text(shape)}; but expected "
                    f"shape should be broadcastable to {common}"
                )
                return message, idx
    return None
