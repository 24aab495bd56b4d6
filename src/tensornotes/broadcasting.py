"""Explain broadcasting step by step, and measure what ``expand`` and ``repeat`` cost.

:func:`explain_broadcast` follows PyTorch's rule for any number of shapes:
line the shapes up on the right, pad the shorter ones with 1s on the left, and
compare one dim at a time. Each dim either agrees, stretches a 1, adds a
missing dim, or clashes. The answer is a :class:`BroadcastExplanation` that
prints as a table, renders in Jupyter, plots with matplotlib, and on a clash
quotes the error PyTorch would raise and suggests a fix.

:func:`memory_report` compares four ways of getting a tensor to a bigger shape:
``expand``, ``broadcast_to``, ``repeat`` and a materialised copy, with their
strides and the bytes each allocates.
"""

from __future__ import annotations

import enum
import html
import itertools
import operator
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import torch

from tensornotes._errors import TensorNotesError

if TYPE_CHECKING:
    import matplotlib.axes

__all__ = [
    "BroadcastConflict",
    "BroadcastExplanation",
    "BroadcastStep",
    "DimSize",
    "MemoryReport",
    "MemoryRow",
    "Outcome",
    "ShapeLike",
    "explain_broadcast",
    "memory_report",
    "parse_shape",
]

ShapeLike = torch.Size | torch.Tensor | Sequence[int]
"""What a shape argument may be: a :class:`torch.Size`, a tuple or list of ints, or a tensor."""

_MAX_LETTERS = 26
_MAX_PERMUTE = 6
_WIDTH = 88


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
        return _labels(len(self.shapes))

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
        replay = _broadcast_shapes_message(self.shapes)
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
        return "\n".join(_render_text(self))

    def _repr_html_(self) -> str:
        return _render_html(self)

    def plot(self, ax: matplotlib.axes.Axes | None = None) -> matplotlib.axes.Axes:
        """Draw the operands, their padding and stretching, and the result, as grids of dims.

        Args:
            ax: the matplotlib Axes to draw on; a new figure when None.

        Returns:
            The Axes drawn on.

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

        return plot_explanation(self, ax)


# --- input ----------------------------------------------------------------------


def _labels(n: int) -> tuple[str, ...]:
    if n <= _MAX_LETTERS:
        return tuple(chr(ord("A") + i) for i in range(n))
    return tuple(f"T{i}" for i in range(n))


def _fmt(shape: Sequence[int]) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def _as_shape(value: object, name: str) -> tuple[int, ...]:
    """Turn one shape argument into a tuple of ints, or raise a message that names it."""
    if isinstance(value, torch.Tensor):
        return tuple(int(s) for s in value.shape)
    if isinstance(value, str | bytes):
        raise TypeError(
            f"{name} is the string {value!r}, not a shape; pass a tuple such as (4, 3), "
            "or parse text with tensornotes.parse_shape."
        )
    if isinstance(value, bool) or not isinstance(value, Sequence):
        hint = ""
        if isinstance(value, int) and not isinstance(value, bool):
            hint = f" For a 1-d shape write ({value},)."
        raise TypeError(
            f"{name} is {value!r} of type {type(value).__name__}, not a shape; pass a "
            f"torch.Size, a tuple or list of ints, or a tensor.{hint}"
        )
    sizes: list[int] = []
    for i, item in enumerate(value):
        if isinstance(item, bool | float) or not hasattr(item, "__index__"):
            raise TypeError(
                f"{name} = {value!r} has {item!r} of type {type(item).__name__} at index {i}; "
                "every size must be a whole number (an int)."
            )
        try:
            size = operator.index(item)
        except (TypeError, ValueError, RuntimeError) as exc:
            raise TypeError(
                f"{name} = {value!r} has {item!r} at index {i}, which is not an int."
            ) from exc
        if size < 0:
            raise TensorNotesError(
                f"{name} = {value!r} has the negative size {size} at index {i}; "
                "sizes must be 0 or more."
            )
        sizes.append(size)
    return tuple(sizes)


_SEP = re.compile(r"\s*[,x×]\s*|\s+")


def parse_shape(text: str, name: str = "shape") -> tuple[int, ...]:
    """Read a shape written as text, as on the command line: ``"4,3,32,32"``.

    Sizes are separated by commas, spaces or ``x``; brackets or parentheses
    around them are allowed. ``""``, ``"()"`` and ``"[]"`` are the 0-d shape.

    Args:
        text: the shape as text.
        name: how error messages name the argument.

    Returns:
        The shape as a tuple of ints.

    Raises:
        TypeError: if ``text`` is not a string.
        TensorNotesError: if ``text`` is not a shape; the message quotes it.

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
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a string, got {text!r} of type {type(text).__name__}.")
    body = text.strip()
    if body[:1] in "([" and body[-1:] in ")]" and len(body) >= 2:
        body = body[1:-1].strip()
    if not body:
        return ()
    sizes: list[int] = []
    for part in _SEP.split(body.rstrip(",").strip()):
        why = None
        if part == "":
            why = "two separators in a row"
        elif re.fullmatch(r"-\d+", part):
            why = f"{part!r} is negative; sizes must be 0 or more"
        elif not re.fullmatch(r"\d+", part):
            why = f"{part!r} is not a whole number"
        if why is not None:
            raise TensorNotesError(
                f"{name} is {text!r}, which is not a shape: {why}. Write sizes separated by "
                "commas, such as 4,3,32,32 (or () for a 0-d tensor)."
            )
        sizes.append(int(part))
    return tuple(sizes)


# --- the rule ---------------------------------------------------------------------


def explain_broadcast(*shapes: ShapeLike) -> BroadcastExplanation:
    """Explain, dim by dim, whether and how PyTorch broadcasts these shapes.

    The rule, for any number of operands: align the shapes on the right and
    prepend 1s to the shorter ones. Then, at each dim, the sizes must be equal
    or 1; the 1s are stretched to the other size. ``ok`` and ``result`` always
    agree with :func:`torch.broadcast_shapes`.

    Args:
        *shapes: the operands' shapes: each a :class:`torch.Size`, a tuple or
            list of ints, or a tensor (only its shape is read).

    Returns:
        A :class:`BroadcastExplanation`; ``print`` it for the table and the verdict.

    Raises:
        TypeError: if an argument is not a shape, or a size is not an int.
        TensorNotesError: if a size is negative.

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
    tuples = tuple(_as_shape(s, f"shapes[{i}]") for i, s in enumerate(shapes))
    ndim = max((len(s) for s in tuples), default=0)
    steps: list[BroadcastStep] = []
    conflict: BroadcastConflict | None = None
    for k in range(1, ndim + 1):
        dim = -k
        sizes = tuple(DimSize(s[dim], False) if len(s) >= k else DimSize(1, True) for s in tuples)
        non_one = [d.size for d in sizes if d.size != 1]
        distinct = list(dict.fromkeys(non_one))
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
    fixes = () if ok else _suggest_fixes(tuples)
    return BroadcastExplanation(tuples, ok, result_shape, tuple(steps), conflict, fixes)


def _broadcast(shapes: Sequence[tuple[int, ...]]) -> tuple[int, ...] | None:
    ndim = max((len(s) for s in shapes), default=0)
    out: list[int] = []
    for k in range(ndim, 0, -1):
        sizes = {s[-k] for s in shapes if len(s) >= k} - {1}
        if len(sizes) > 1:
            return None
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


def _broadcast_shapes_message(shapes: Sequence[tuple[int, ...]]) -> tuple[str, int] | None:
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
                    f"Mismatching argument at index {arg} had {_fmt(shape)}; but expected "
                    f"shape should be broadcastable to {common}"
                )
                return message, idx
    return None


def _view_fit(shape: tuple[int, ...], target: tuple[int, ...]) -> tuple[int, ...] | None:
    """Insert or drop 1s in ``shape`` (keeping its order) so it broadcasts with ``target``.

    Each non-1 size is placed, from the right, on the rightmost free dim of
    ``target`` of equal size; returns the new shape without leading 1s, or
    None if no placement exists.
    """
    sizes = [s for s in shape if s != 1]
    if len(sizes) > len(target):
        return None
    placed = [1] * len(target)
    pos = len(target)
    for size in reversed(sizes):
        pos -= 1
        while pos >= 0 and target[pos] != size:
            pos -= 1
        if pos < 0:
            return None
        placed[pos] = size
    # Leading 1s are what broadcasting adds by itself: leave them out.
    first = next((d for d, s in enumerate(placed) if s != 1), len(placed))
    return tuple(placed[first:])


def _unsqueeze_call(name: str, shape: tuple[int, ...], new: tuple[int, ...]) -> str:
    if len(new) == len(shape) + 1:
        for p in [len(shape), *range(len(shape))]:
            if (*shape[:p], 1, *shape[p:]) == new:
                return f"{name}.unsqueeze({-1 if p == len(shape) else p})"
    return f"{name}.view{_fmt(new)}" if len(new) != 1 else f"{name}.view({new[0]})"


def _suggest_fixes(shapes: tuple[tuple[int, ...], ...]) -> tuple[str, ...]:
    """Code that makes one operand fit the others: unsqueeze/view first, else permute.

    Operands with fewer dims come first: they are the ones usually meant to be stretched.
    """
    labels = _labels(len(shapes))
    views: list[tuple[int, str]] = []
    permutes: list[tuple[int, str]] = []
    for i, shape in enumerate(shapes):
        target = _broadcast([s for j, s in enumerate(shapes) if j != i])
        if target is None or not shape:
            continue
        name = labels[i]
        whose = labels[1 - i] + "'s" if len(shapes) == 2 else "the others'"
        new = _view_fit(shape, target)
        if new is not None and new != shape:
            offset = len(target) - len(new)
            dims = [d + offset for d, s in enumerate(new) if s != 1]
            plural = "s" if len(dims) > 1 else ""
            sizes = _join([str(new[d - offset]) for d in dims])
            verb = "line" if plural else "lines"
            where = _join([str(d) for d in dims])
            call = _unsqueeze_call(name, shape, new)
            views.append(
                (
                    len(shape),
                    f"{call}  # {name} becomes {_fmt(new)}: its {sizes} {verb} up with "
                    f"{whose} dim{plural} {where}",
                )
            )
            continue
        if 1 < len(shape) <= _MAX_PERMUTE:
            for perm in itertools.permutations(range(len(shape))):
                moved = tuple(shape[p] for p in perm)
                if moved != shape and _broadcast([moved, target]) is not None:
                    permutes.append(
                        (
                            len(shape),
                            f"{name}.permute({', '.join(map(str, perm))})  # {name} becomes "
                            f"{_fmt(moved)}: the same sizes, in the order {whose} dims need",
                        )
                    )
                    break
    chosen = views or permutes
    return tuple(text for _, text in sorted(chosen, key=lambda item: item[0]))


# --- text and HTML ----------------------------------------------------------------


def _kind(ndim: int) -> str:
    return f"{ndim}-d"


def _table(e: BroadcastExplanation) -> list[tuple[str, list[str]]]:
    rows: list[tuple[str, list[str]]] = []
    for label, shape in zip(e.labels, e.shapes, strict=True):
        cells = [""] * (e.ndim - len(shape)) + [str(s) for s in shape]
        rows.append((f"{label} ({_kind(len(shape))})", cells))
    if e.result is not None:
        rows.append((f"Result ({_kind(len(e.result))})", [str(s) for s in e.result]))
    else:
        cells = [str(s.result) if s.result is not None else "?" for s in reversed(e.steps)]
        rows.append(("Result", cells))
    return rows


def _table_lines(e: BroadcastExplanation) -> list[str]:
    rows = _table(e)
    width = max(len(r[0]) for r in rows)
    cols = [max(len(r[1][c]) for r in rows) for c in range(e.ndim)]
    lines = []
    for label, cells in rows:
        parts = []
        for c, cell in enumerate(cells):
            sep = " x " if c and cells[c - 1] else "   " if c else ""
            parts.append(sep + cell.rjust(cols[c]))
        body = "".join(parts) if cells else "(a 0-d shape: no dims)"
        lines.append(f"{label.ljust(width)}:  {body}".rstrip())
    return lines


def _step_text(e: BroadcastExplanation, step: BroadcastStep) -> str:
    labels = e.labels
    if step.outcome is Outcome.CONFLICT:
        clash = [(labels[i], d.size) for i, d in enumerate(step.sizes) if d.size != 1]
        sizes = list(dict.fromkeys(s for _, s in clash))
        who = ", ".join(f"{lab} has {s}" for lab, s in clash)
        return f"conflict: {who}; " + (
            f"{sizes[0]} and {sizes[1]} differ and neither is 1"
            if len(sizes) == 2
            else "these sizes differ and none is 1"
        )
    r = step.result
    added = [labels[i] for i, d in enumerate(step.sizes) if d.added]
    ones = [labels[i] for i, d in enumerate(step.sizes) if not d.added and d.size != r]
    parts = []
    if added:
        verb = "has" if len(added) == 1 else "have"
        if r == 1:
            parts.append(f"{_join(added)} {verb} no dim here: a 1 is added (nothing to stretch)")
        else:
            parts.append(f"{_join(added)} {verb} no dim here: a 1 is added, then stretched to {r}")
    if ones:
        parts.append(f"{_join(ones)}'s 1 is stretched to {r}")
    if not parts:
        return "equal: nothing to do" if len(step.sizes) > 1 else "only one operand"
    return "; ".join(parts)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _step_lines(e: BroadcastExplanation) -> list[str]:
    cells = []
    for step in e.steps:
        brought = ", ".join(
            f"{lab} {'(1)' if d.added else d.size}"
            for lab, d in zip(e.labels, step.sizes, strict=True)
        )
        res = "?" if step.result is None else str(step.result)
        cells.append((f"dim {step.dim}", brought, res, _step_text(e, step)))
    w = [max(len(c[i]) for c in cells) for i in range(3)]
    return [
        f"  {a.ljust(w[0])}  {b.ljust(w[1])}  -> {c.rjust(w[2])}   {d}" for a, b, c, d in cells
    ]


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, _WIDTH)


def _render_text(e: BroadcastExplanation) -> list[str]:
    n = len(e.shapes)
    if n == 0:
        return ["No shapes given: broadcasting nothing gives the 0-d shape ()."]
    lines = [f"Broadcasting {' and '.join(_fmt(s) for s in e.shapes)}", ""]
    lines += _table_lines(e)
    if e.steps:
        lines += ["", "Step by step, from the last dim ((1) is a 1 added on the left):"]
        lines += _step_lines(e)
    lines.append("")
    if e.ok:
        return lines + _verdict_ok(e)
    return lines + _verdict_conflict(e)


def _verdict_ok(e: BroadcastExplanation) -> list[str]:
    assert e.result is not None
    lines = [f"Verdict: these shapes broadcast to {_fmt(tuple(e.result))}."]
    if len(e.shapes) > 1 and all(s.outcome is Outcome.EQUAL for s in e.steps):
        lines.append("All shapes are equal: nothing is stretched.")
    inplace = e.inplace_message()
    if inplace is not None:
        lines += [""]
        lines += _wrap(
            "In place, A.add_(B) (or A += B) would fail: an in-place op writes into A, so A "
            f"cannot be stretched from {_fmt(e.shapes[0])} to {_fmt(tuple(e.result))}. "
            "PyTorch says:"
        )
        lines.append(f"  RuntimeError: {inplace}")
    return lines


def _verdict_conflict(e: BroadcastExplanation) -> list[str]:
    c = e.conflict
    assert c is not None
    labels = e.labels
    clash = _join([f"{labels[i]} has {s}" for i, s in zip(c.operands, c.sizes, strict=True)])
    lines = ["Verdict: these shapes do NOT broadcast."]
    lines += _wrap(
        f"Going from the right, dim {c.dim} is the first place they clash: {clash}. Two sizes "
        "can only be matched if they are equal or one of them is 1 (the 1 is then "
        "stretched); here neither is 1."
    )
    own = _join(
        [f"{labels[i]}'s index {d}" for i, d in enumerate(c.operand_dims) if d is not None]
    )
    lines.append("")
    if len(e.shapes) == 2:
        lines.append("What PyTorch says: A + B (or any element-wise op) raises")
        lines.append(f"  RuntimeError: {e.torch_message()}")
        lines += _wrap(
            f'Its "dimension {c.padded_dim}" counts from the left of the padded shapes, '
            f"which have {e.ndim} dims, so dim {c.dim} is its dimension {c.padded_dim}. "
            f"In the shapes as you wrote them, that dim is {own}."
        )
    else:
        replay = _broadcast_shapes_message(e.shapes)
        assert replay is not None
        message, idx = replay
        call = f"torch.broadcast_shapes({', '.join(_fmt(s) for s in e.shapes)})"
        lines.append(f"What PyTorch says: {call} raises")
        lines.append(f"  RuntimeError: {message}")
        text = (
            "It counts dims from the right (-1 is the last) and operands from 0. "
            f"Dim {c.dim} is index {c.padded_dim} of the padded shapes; in the shapes as you "
            f"wrote them it is {own}."
        )
        if idx != c.dim:
            text += (
                f" PyTorch names dim {idx} instead: it adds the operands in one at a time, "
                "from the first, and stops at the first operand that clashes with those "
                "before it."
            )
        lines += _wrap(text)
    lines.append("")
    if e.fixes:
        lines.append("What to write instead (pick the one that means what you want):")
        lines += [f"  {fix}" for fix in e.fixes]
        if any(".unsqueeze(" in fix or ".view(" in fix for fix in e.fixes):
            lines += [""]
            lines += _wrap(
                "Broadcasting always lines shapes up on the right. To pair a size with a "
                "dim further left, give the tensor size-1 dims after it (unsqueeze or view); "
                "those 1s are then stretched."
            )
    else:
        lines += _wrap(
            "No unsqueeze, view or permute of a single operand makes these shapes fit: "
            "some size has no partner in the other shapes. Check how the tensors were made."
        )
    return lines


def _render_html(e: BroadcastExplanation) -> str:
    esc = html.escape
    rows = _table(e)
    head = "".join(f"<th>dim {-(e.ndim - c)}</th>" for c in range(e.ndim))
    body = []
    for label, cells in rows:
        tds = "".join(
            f'<td style="text-align:right">{esc(cell) if cell else "&nbsp;"}</td>'
            for cell in cells
        )
        body.append(f"<tr><th style='text-align:left'>{esc(label)}</th>{tds}</tr>")
    text = "\n".join(_render_text(e))
    verdict = "broadcast" if e.ok else "do not broadcast"
    return (
        f"<div class='tensornotes-broadcast'><p><strong>The shapes {verdict}.</strong></p>"
        f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<details><summary>Step by step</summary><pre>{esc(text)}</pre></details></div>"
    )


# --- memory -------------------------------------------------------------------------


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
        inplace_error: the message of the RuntimeError an in-place write into the
            expanded view raises, or None when the view has no repeated element.
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
        for r in self.rows:
            if r.kind == kind:
                return r
        raise TensorNotesError(
            f"kind={kind!r} is not in the report; use one of "
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
            f"From {_fmt(self.source)} to {_fmt(self.target)}, {self.element_size} bytes "
            "per element:",
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


def memory_report(tensor: torch.Tensor, target_shape: ShapeLike) -> MemoryReport:
    """Measure ``expand``, ``broadcast_to``, ``repeat`` and a copy from ``tensor`` to a shape.

    ``expand`` and ``broadcast_to`` return views with stride 0 along the
    stretched dims: they allocate nothing. ``repeat`` and a copy
    (``expand(...).contiguous()``) allocate every element. The report also
    tries an in-place add on an expanded view of a *clone* of ``tensor`` and
    records PyTorch's error; ``tensor`` itself is never modified.

    Args:
        tensor: the tensor to stretch.
        target_shape: a shape that ``tensor``'s shape broadcasts to.

    Returns:
        A :class:`MemoryReport`; ``print`` it for a table.

    Raises:
        TypeError: if ``tensor`` is not a tensor or ``target_shape`` not a shape.
        TensorNotesError: if ``tensor`` cannot be broadcast to ``target_shape``.

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
            f"tensor must be a torch.Tensor, got {tensor!r} of type {type(tensor).__name__}."
        )
    target = _as_shape(target_shape, "target_shape")
    source = tuple(tensor.shape)
    if len(target) < len(source) or _broadcast([source, target]) != target:
        raise TensorNotesError(
            f"tensor of shape {_fmt(source)} cannot be stretched to target_shape "
            f"{_fmt(target)}: only dims of size 1 stretch, and dims are only added on the "
            "left.\n" + str(explain_broadcast(source, target))
        )
    padded = (1,) * (len(target) - len(source)) + source
    counts = tuple(t if s == 1 else 1 for s, t in zip(padded, target, strict=True))
    base = tensor.untyped_storage()
    base_ptr = base.data_ptr()

    def measure(kind: str, method: str, out: torch.Tensor) -> MemoryRow:
        storage = out.untyped_storage()
        shared = storage.data_ptr() == base_ptr and storage.nbytes() == base.nbytes()
        nbytes = storage.nbytes()
        return MemoryRow(
            kind,
            method,
            tuple(out.shape),
            tuple(out.stride()),
            shared,
            nbytes,
            0 if shared else nbytes,
        )

    rows = (
        measure("expand", f"x.expand({_args(target)})", tensor.expand(target)),
        measure(
            "broadcast_to", f"x.broadcast_to({_fmt(target)})", torch.broadcast_to(tensor, target)
        ),
        measure("repeat", f"x.repeat({_args(counts)})", tensor.repeat(counts)),
        measure(
            "copy",
            f"x.expand({_args(target)}).contiguous()",
            tensor.expand(target).contiguous(),
        ),
    )
    inplace_error = None
    with torch.no_grad():
        view = tensor.detach().clone().expand(target)
        try:
            view.add_(1)
        except RuntimeError as exc:
            inplace_error = str(exc)
    return MemoryReport(source, target, tensor.element_size(), rows, inplace_error)
