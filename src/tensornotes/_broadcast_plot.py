"""Matplotlib drawing of a :class:`~tensornotes.BroadcastExplanation`.

Kept apart from the rule itself so that explaining a broadcast never imports
matplotlib. Each operand is a row of cells, one cell per aligned dim: a plain
cell is a size the operand brings, a dashed grey cell a 1 added by padding, a
hatched cell a 1 that is stretched, and a red cell a clash. The last row is the
result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tensornotes._broadcast import Outcome
from tensornotes._errors import TensorNotesError
from tensornotes._format import shape_text
from tensornotes._validation import axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tensornotes._broadcast import BroadcastExplanation

_PLAIN = "#dbe9f6"
_ADDED = "#f2f2f2"
_STRETCHED = "#fde7c8"
_CLASH = "#f4b6b6"
_RESULT = "#cfe8cf"


MAX_PLOT_OPERANDS = 12
"""The most operands a plot draws; more rows would not be readable."""
MAX_PLOT_DIMS = 12
"""The most dims a plot draws."""


def plot_explanation(e: BroadcastExplanation, *, ax: Axes | None = None) -> Axes:
    """Draw ``e`` on ``ax`` (a new figure when None) and return the Axes.

    At most :data:`MAX_PLOT_OPERANDS` operands of :data:`MAX_PLOT_DIMS` dims
    are drawn; a bigger explanation is refused (print it instead).
    """
    ax = axes(ax)
    if len(e.shapes) > MAX_PLOT_OPERANDS or e.ndim > MAX_PLOT_DIMS:
        raise TensorNotesError(
            f"the explanation has {len(e.shapes)} operands of up to {e.ndim} dims; a plot "
            f"draws at most {MAX_PLOT_OPERANDS} operands of at most {MAX_PLOT_DIMS} dims "
            "(print the explanation instead)."
        )
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.2 + 0.6 * (len(e.shapes) + 1)), layout="constrained")
    n_rows = len(e.shapes) + 1
    ncol = e.ndim
    for r, label in enumerate(e.labels):
        y = n_rows - 1 - r
        ax.text(-0.2, y + 0.45, f"{label} {shape_text(e.shapes[r])}", ha="right", va="center")
        for k, step in enumerate(e.steps):
            x = ncol - 1 - k
            d = step.sizes[r]
            clash = step.outcome is Outcome.CONFLICT and d.size != 1
            stretched = step.result is not None and d.size != step.result
            face = _CLASH if clash else _ADDED if d.added else _STRETCHED if stretched else _PLAIN
            ax.add_artist(  # limits are set below: no per-cell update of the data limits
                Rectangle(
                    (x, y),
                    0.9,
                    0.9,
                    facecolor=face,
                    edgecolor="0.45" if d.added else "0.1",
                    linestyle="--" if d.added else "-",
                    hatch="//" if stretched and not d.added else None,
                )
            )
            text = f"1→{step.result}" if stretched else str(d.size)
            ax.text(
                x + 0.45,
                y + 0.45,
                text,
                ha="center",
                va="center",
                fontsize=9,
                bbox={"facecolor": face, "edgecolor": "none", "pad": 1} if stretched else None,
            )
    result_label = "result" if e.result is not None else "no result"
    ax.text(-0.2, 0.45, result_label, ha="right", va="center", weight="bold")
    for k, step in enumerate(e.steps):
        x = ncol - 1 - k
        ok = step.result is not None
        ax.add_artist(
            Rectangle((x, 0), 0.9, 0.9, facecolor=_RESULT if ok else _CLASH, edgecolor="0.1")
        )
        ax.text(x + 0.45, 0.45, str(step.result) if ok else "✗", ha="center", va="center")
        ax.text(x + 0.45, n_rows + 0.05, f"dim {step.dim}", ha="center", va="bottom", fontsize=8)
    ax.axhline(0.95, color="0.3", lw=0.8)
    longest = max((len(shape_text(s)) for s in e.shapes), default=0)
    ax.set_xlim(-0.6 - 0.2 * max(longest + 2, 9), ncol)
    ax.set_ylim(-0.2, n_rows + 0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    shapes = " and ".join(shape_text(s) for s in e.shapes)
    verdict = (
        f"broadcast to {shape_text(tuple(e.result))}"
        if e.result is not None
        else f"clash at dim {e.conflict.dim if e.conflict else '?'}"
    )
    ax.set_title(f"{shapes} {verdict}")
    handles = [
        Patch(facecolor=_PLAIN, edgecolor="0.1", label="size brought"),
        Patch(facecolor=_ADDED, edgecolor="0.45", linestyle="--", label="1 added on the left"),
        Patch(facecolor=_STRETCHED, edgecolor="0.1", hatch="//", label="1 stretched"),
        Patch(facecolor=_CLASH, edgecolor="0.1", label="clash"),
    ]
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
    )
    return ax
