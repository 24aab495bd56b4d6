"""Every drawing of derivatives, surfaces and descent runs.

The numbers come from ``_derivatives``, ``_surfaces`` and ``_descent``, which
never import matplotlib; this module imports it only inside the functions
that draw, so ``import tensornotes`` stays free of it.

The plotting convention of the package: every drawing call takes ``ax``
keyword-only, ``*, ax=None`` (a new figure when ``None``), and returns the
Axes it drew on, or the Figure when it draws several Axes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import torch
from numpy.typing import NDArray

from tensornotes._derivatives import MAX_GRID, Kink, derivative, kinks
from tensornotes._descent import (
    DescentComparison,
    DescentOutcome,
    DescentRun,
    Trajectory,
    point_text,
)
from tensornotes._errors import TensorNotesError
from tensornotes._surfaces import GradientField, gradient_field, values_of
from tensornotes._validation import (
    axes,
    check_callable,
    describe,
    flag,
    interval,
    limits,
    text,
    whole,
)

if TYPE_CHECKING:
    import matplotlib.axes
    import matplotlib.figure

__all__ = ["plot_descent", "plot_function_and_grad", "plot_surface"]

MAX_ARROWS = 51
"""The most gradient arrows per axis of :func:`plot_surface`."""
MAX_PANELS = 9
"""The most panels of :meth:`DescentComparison.plot`."""
MAX_DRAWN = 20
"""The most runs one :func:`plot_descent` draws (each has a line in the legend)."""
"""The most panels of :meth:`DescentComparison.plot`."""


def _new_axes(
    ax: matplotlib.axes.Axes | None, figsize: tuple[float, float] = (6.0, 4.0)
) -> matplotlib.axes.Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def _np(t: torch.Tensor) -> NDArray[np.float64]:
    return t.detach().cpu().to(torch.float64).numpy()


# --- a function of one variable and its derivative ------------------------------------


def plot_function_and_grad(
    fn: Callable[..., torch.Tensor],
    start: float,
    end: float,
    *,
    ax: matplotlib.axes.Axes | None = None,
    closed_form: Callable[..., torch.Tensor] | None = None,
    n: int = 401,
    label: str = "f",
) -> matplotlib.axes.Axes:
    """Draw ``fn`` and its autograd derivative over ``[start, end]``.

    The closed-form derivative, if given, is drawn dashed on top, so any
    disagreement shows. Kinks (see :func:`kinks`) are marked with the value
    autograd chose there.

    Args:
        fn: an elementwise function.
        start: the left end of the range.
        end: the right end, greater than ``start``.
        ax: the matplotlib Axes to draw into; a new figure when ``None``.
        closed_form: the derivative written by hand, elementwise.
        n: the number of points drawn, from 3 to 20,001.
        label: the function's name in the legend.

    Returns:
        The Axes drawn into.

    Example:
        >>> import torch
        >>> ax = plot_function_and_grad(torch.relu, -2, 2, label="relu")
        >>> ax.get_legend_handles_labels()[1]
        ['relu', "relu' (autograd)"]
        >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    check_callable(fn, "fn")
    if closed_form is not None:
        check_callable(closed_form, "closed_form")
    a, b = interval(start, end, ("start", "end"))
    n = whole(n, "n", minimum=3, maximum=MAX_GRID)
    label = text(label, "label")
    ax = axes(ax)
    xs = torch.linspace(a, b, n, dtype=torch.float64)
    grads = derivative(fn, xs)
    with torch.no_grad():
        ys = values_of(fn, (xs,), xs.shape, "fn")
        exact = (
            None if closed_form is None else values_of(closed_form, (xs,), xs.shape, "closed_form")
        )
    found = kinks(fn, a, b, max(n, 1001))
    return _function_and_grad(ax, xs, ys, grads, exact, found, label)


def _function_and_grad(
    ax: matplotlib.axes.Axes | None,
    xs: torch.Tensor,
    ys: torch.Tensor,
    grads: torch.Tensor,
    exact: torch.Tensor | None,
    found: Sequence[Kink],
    label: str,
) -> matplotlib.axes.Axes:
    ax = _new_axes(ax)
    ax.plot(_np(xs), _np(ys), color="C0", lw=2, label=label)
    ax.plot(_np(xs), _np(grads), color="C1", lw=2, label=f"{label}' (autograd)")
    if exact is not None:
        ax.plot(_np(xs), _np(exact), color="k", lw=1, ls="--", label=f"{label}' (closed form)")
    for k in found:
        ax.scatter(
            [k.x, k.x], [k.left, k.right], s=30, facecolors="white", edgecolors="C1", zorder=3
        )
        ax.scatter([k.x], [k.autograd], s=30, color="C3", zorder=4)
        ax.annotate(
            f"not differentiable at x={k.x:g};\nautograd returns {k.autograd:g}",
            (k.x, k.autograd),
            xytext=(-8, 25),
            textcoords="offset points",
            ha="right",
            fontsize=8,
            color="C3",
        )
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    ax.set(xlabel="x", ylabel="value", title=f"{label} and its derivative")
    ax.legend(fontsize=8, loc="best")
    return ax


# --- a function of two variables ------------------------------------------------------


def plot_surface(
    f: Callable[..., torch.Tensor],
    xlim: tuple[float, float] = (-5.0, 5.0),
    ylim: tuple[float, float] = (-5.0, 5.0),
    n: int = 101,
    *,
    ax: matplotlib.axes.Axes | None = None,
    quiver: bool = True,
    surface: bool = False,
    arrows: int = 15,
) -> matplotlib.axes.Axes:
    """Draw a contour plot of ``f(x, y)`` with its gradient as arrows, or a 3-D surface.

    Each arrow points along the gradient, the direction of steepest ascent,
    and is perpendicular to the contour line through its foot. Where ``f``
    is flat (or ignores its input) the arrows have length 0.

    Args:
        f: an elementwise function of two tensors.
        xlim: ``(low, high)`` of x.
        ylim: ``(low, high)`` of y.
        n: grid points per axis for the contours or the surface, from 2 to 1,001.
        ax: the Axes to draw into (a 3-D one when ``surface=True``); new when ``None``.
        quiver: draw the gradient arrows (contour plot only).
        surface: draw a 3-D surface instead of contours.
        arrows: arrows per axis, from 2 to 51.

    Returns:
        The Axes drawn into.

    Example:
        >>> ax = plot_surface(lambda x, y: x**2 + y**2, (-1, 1), (-1, 1), n=11, arrows=5)
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('x', 'y')
        >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    quiver = flag(quiver, "quiver")
    surface = flag(surface, "surface")
    arrows = whole(arrows, "arrows", minimum=2, maximum=MAX_ARROWS)
    ax = axes(ax, three_d=surface)
    fine = gradient_field(f, xlim, ylim, n)
    coarse = gradient_field(f, xlim, ylim, arrows) if quiver else None
    return _surface(ax, fine, coarse, surface)


def _surface(
    ax: matplotlib.axes.Axes | None,
    fine: GradientField,
    coarse: GradientField | None,
    three_d: bool,
) -> matplotlib.axes.Axes:
    if three_d:
        if ax is None:
            import matplotlib.pyplot as plt

            fig = plt.figure(figsize=(6.0, 4.5), layout="constrained")
            ax = fig.add_subplot(projection="3d")
        cast(Any, ax).plot_surface(
            _np(fine.x), _np(fine.y), _np(fine.value), cmap="viridis", linewidth=0, alpha=0.9
        )
        ax.set(xlabel="x", ylabel="y", zlabel="f(x, y)", title="f(x, y)")
        return ax
    ax = _new_axes(ax)
    flat = bool(fine.value.min() == fine.value.max())
    levels = 1 if flat else 20
    filled = ax.contourf(_np(fine.x), _np(fine.y), _np(fine.value), levels=levels, cmap="viridis")
    if not flat:
        ax.contour(
            _np(fine.x), _np(fine.y), _np(fine.value), levels=20, colors="k", linewidths=0.3
        )
    ax.figure.colorbar(filled, ax=ax, label="f(x, y)")
    if coarse is not None:
        ax.quiver(
            _np(coarse.x),
            _np(coarse.y),
            _np(coarse.grad_x),
            _np(coarse.grad_y),
            color="white",
            angles="xy",
            pivot="tail",
        )
    ax.set(xlabel="x", ylabel="y", title="f(x, y) and its gradient", aspect="equal")
    return ax


# --- descent runs ---------------------------------------------------------------------

# How the end of a path is marked: the start, and each way a run can end.
_MARKERS: dict[str, dict[str, Any]] = {
    "start": {"marker": "s", "s": 25, "zorder": 3},
    DescentOutcome.NO_CONVERGENCE: {
        "marker": "o",
        "s": 50,
        "facecolors": "none",
        "edgecolors": "k",
        "zorder": 4,
    },
    DescentOutcome.DIVERGED: {"marker": "x", "s": 60, "color": "red", "zorder": 4},
    DescentOutcome.CONVERGED: {"marker": "*", "s": 80, "edgecolors": "k", "zorder": 4},
}


def _end_marker(ax: matplotlib.axes.Axes, at: torch.Tensor, kind: str, color: str) -> None:
    """Mark one end of a path: ``kind`` is ``"start"`` or a :class:`DescentOutcome`."""
    style = dict(_MARKERS[kind])
    if "color" not in style and "facecolors" not in style:
        style["color"] = color
    ax.scatter([float(at[0])], [float(at[1])], **style)


def _finite(positions: torch.Tensor) -> torch.Tensor:
    return positions[torch.isfinite(positions).all(dim=1)].detach().cpu().to(torch.float64)


def _run_label(run: Trajectory) -> str:
    settings = ", ".join(f"{k}={v}" for k, v in run.settings.items())
    tail = "" if run.diverged_at is None else f", diverged at step {run.diverged_at}"
    return f"{run.optimizer}({settings}){tail}"


def _view(
    runs: Sequence[Trajectory],
    xlim: object,
    ylim: object,
) -> tuple[tuple[float, float], tuple[float, float]]:
    pts = torch.cat([r.positions.detach().cpu().to(torch.float64) for r in runs])
    pts = pts[torch.isfinite(pts).all(dim=1)]
    lo, hi = pts.min(dim=0).values, pts.max(dim=0).values
    pad = (hi - lo).clamp(min=1.0) * 0.15
    auto = [(float(a), float(b)) for a, b in zip(lo - pad, hi + pad, strict=True)]
    x = limits(xlim, "xlim") if xlim is not None else auto[0]
    y = limits(ylim, "ylim") if ylim is not None else (auto[1] if len(auto) > 1 else (0.0, 1.0))
    return x, y


def plot_descent(
    f: Callable[..., torch.Tensor],
    trajectories: Sequence[Trajectory],
    *,
    ax: matplotlib.axes.Axes | None = None,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    labels: Sequence[str] | None = None,
) -> matplotlib.axes.Axes:
    """Draw descent paths over the contours of ``f(x, y)`` (or over the curve of ``f(x)``).

    Args:
        f: the function the runs minimised, of one or two variables.
        trajectories: the runs, all of the same dimension (1 or 2), at most 20.
        ax: the Axes to draw into; new when ``None``.
        xlim: the x range drawn; by default it covers the finite positions.
        ylim: the y range drawn (two variables only).
        labels: one legend label per run; by default the optimizer and its settings.

    Returns:
        The Axes drawn into.

    Example:
        >>> from tensornotes import descend
        >>> run = descend(lambda x, y: x**2 + 4 * y**2, (2.0, 1.0), lr=0.1, steps=20)
        >>> ax = plot_descent(lambda x, y: x**2 + 4 * y**2, [run])
        >>> ax.get_legend_handles_labels()[1]
        ['SGD(lr=0.1)']
        >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    check_callable(f, "f")
    if (
        isinstance(trajectories, (str, Trajectory))
        or not isinstance(trajectories, Sequence)
        or not trajectories
        or not all(isinstance(r, Trajectory) for r in trajectories)
    ):
        raise TypeError(
            "trajectories must be a non-empty list of Trajectory objects from descend."
        )
    runs = list(trajectories)
    if len(runs) > MAX_DRAWN:
        raise TensorNotesError(
            f"trajectories holds {len(runs)} runs; plot_descent draws at most {MAX_DRAWN}."
        )
    dims = {r.positions.shape[1] if r.positions.dim() == 2 else 0 for r in runs}
    if len(dims) != 1 or not dims <= {1, 2}:
        raise TensorNotesError(
            f"plot_descent draws runs in 1 or 2 dimensions, got dimensions {sorted(dims)}."
        )
    if labels is None:
        names = [_run_label(r) for r in runs]
    else:
        if not isinstance(labels, Sequence) or isinstance(labels, str):
            raise TypeError(f"labels must be a list of strings, but got {describe(labels)}.")
        names = [text(v, f"labels[{i}]") for i, v in enumerate(labels)]
    if len(names) != len(runs):
        raise TensorNotesError(f"labels has {len(names)} entries for {len(runs)} trajectories.")
    ax = axes(ax)
    box = _view(runs, xlim, ylim)
    if dims == {1}:
        xs = torch.linspace(box[0][0], box[0][1], 400, dtype=torch.float64)
        with torch.no_grad():
            curve = values_of(f, (xs,), xs.shape)
        return _descent_1d(ax, xs, curve, runs, names)
    field = gradient_field(f, box[0], box[1], 101)
    return _descent_2d(ax, field, runs, names)


def _descent_1d(
    ax: matplotlib.axes.Axes | None,
    xs: torch.Tensor,
    curve: torch.Tensor,
    runs: Sequence[Trajectory],
    names: Sequence[str],
) -> matplotlib.axes.Axes:
    ax = _new_axes(ax)
    ax.plot(_np(xs), _np(curve), color="0.3", lw=1.5)
    lo, hi = float(xs[0]), float(xs[-1])
    for i, (run, name) in enumerate(zip(runs, names, strict=True)):
        pts = _finite(run.positions)
        keep = (pts[:, 0] >= lo) & (pts[:, 0] <= hi)
        losses = run.losses[: pts.shape[0]].detach().cpu().to(torch.float64)[keep]
        ax.plot(_np(pts[keep, 0]), _np(losses), "o-", ms=3, lw=0.8, color=f"C{i}", label=name)
    ax.set(xlabel="x", ylabel="f(x)", title="descent paths", xlim=(lo, hi))
    ax.legend(fontsize=8)
    return ax


def _draw_paths(
    ax: matplotlib.axes.Axes,
    runs: Sequence[Trajectory],
    colors: Sequence[str],
    names: Sequence[str] | None,
    outcomes: Sequence[DescentOutcome] | None = None,
) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    for i, (run, color) in enumerate(zip(runs, colors, strict=True)):
        pts = _finite(run.positions)
        inside = (pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1)
        # Stop the drawn path at the first point outside the view: a diverging run
        # jumps far away and would otherwise stretch the axes.
        outside = torch.nonzero(~inside)
        shown = pts if outside.numel() == 0 else pts[: int(outside[0, 0])]
        label = None if names is None else names[i]
        ax.plot(_np(shown[:, 0]), _np(shown[:, 1]), "o-", ms=2, lw=1, color=color, label=label)
        if shown.shape[0] == 0:
            continue
        _end_marker(ax, shown[0], "start", color)
        if outcomes is not None and outcomes[i] == DescentOutcome.NO_CONVERGENCE:
            end = DescentOutcome.NO_CONVERGENCE
        elif run.diverged_at is not None or shown.shape[0] < pts.shape[0]:
            end = DescentOutcome.DIVERGED
        else:
            end = DescentOutcome.CONVERGED
        _end_marker(ax, shown[-1], end, color)


def _contours(ax: matplotlib.axes.Axes, field: GradientField) -> None:
    shifted = field.value - field.value.min()
    if bool(shifted.max() > 0):
        ax.contour(
            _np(field.x),
            _np(field.y),
            _np(torch.log1p(shifted)),
            levels=15,
            cmap="Greys",
            linewidths=0.6,
        )
    ax.set(
        xlim=(float(field.x.min()), float(field.x.max())),
        ylim=(float(field.y.min()), float(field.y.max())),
        xlabel="x",
        ylabel="y",
        aspect="equal",
    )


def _descent_2d(
    ax: matplotlib.axes.Axes | None,
    field: GradientField,
    runs: Sequence[Trajectory],
    names: Sequence[str],
) -> matplotlib.axes.Axes:
    ax = _new_axes(ax)
    _contours(ax, field)
    _draw_paths(ax, runs, [f"C{i}" for i in range(len(runs))], names)
    ax.set(title="descent paths")
    ax.legend(fontsize=7, loc="upper left")
    return ax


# --- a comparison of runs, one panel per setting ----------------------------------------


def _panels(ax: object, rows: int, cols: int) -> list[list[matplotlib.axes.Axes]] | None:
    """Check ``ax`` of :meth:`DescentComparison.plot`: one Axes per panel, or None."""
    if ax is None:
        return None
    if rows * cols == 1 and not isinstance(ax, (Sequence, np.ndarray)):
        return [[cast("matplotlib.axes.Axes", axes(ax))]]
    flat = list(np.asarray(ax, dtype=object).reshape(-1)) if isinstance(ax, np.ndarray) else ax
    if not isinstance(flat, Sequence) or isinstance(flat, str):
        raise TypeError(
            f"ax must be a matplotlib Axes, or a list of {rows * cols} of them (one per "
            f"panel), or None for a new figure, but got {describe(ax)}."
        )
    if len(flat) != rows * cols:
        raise TensorNotesError(
            f"ax holds {len(flat)} Axes, but this comparison draws {rows * cols} panels "
            f"({rows} momenta by {cols} learning rates)."
        )
    checked = [cast("matplotlib.axes.Axes", axes(a, f"ax[{i}]")) for i, a in enumerate(flat)]
    return [checked[r * cols : (r + 1) * cols] for r in range(rows)]


def _same_point(a: Sequence[float], b: Sequence[float]) -> bool:
    return max(abs(u - v) for u, v in zip(a, b, strict=True)) < 1e-2


def _short(r: DescentRun) -> str:
    start = point_text(r.start)
    if r.outcome == DescentOutcome.CONVERGED:
        return f"{start} → {point_text(r.trajectory.final, 2, fixed=False)}"
    if r.outcome == DescentOutcome.DIVERGED:
        return f"{start}: diverges at step {r.trajectory.diverged_at}"
    return f"{start}: no convergence"


def comparison(
    cmp: DescentComparison, xlim: object, ylim: object, ax: object
) -> matplotlib.figure.Figure:
    """Draw :meth:`DescentComparison.plot`: one panel per (momentum, learning rate)."""
    rows, cols = len(cmp.momenta), len(cmp.lrs)
    if rows * cols > MAX_PANELS:
        raise TensorNotesError(
            f"this comparison has {rows * cols} settings; plot draws at most {MAX_PANELS} "
            "panels, so compare fewer learning rates or momenta at once."
        )
    if any(r.trajectory.positions.shape[-1] != 2 for r in cmp.runs):
        raise TensorNotesError("plot draws runs of two variables, f(x, y), over its contours.")
    grid = _panels(ax, rows, cols)
    field = gradient_field(cmp.f, cast(Any, xlim), cast(Any, ylim), 101)
    if grid is None:
        import matplotlib.pyplot as plt

        _, made = plt.subplots(
            rows,
            cols,
            figsize=(3.2 * cols + 0.5, 3.2 * rows),
            layout="constrained",
            squeeze=False,
        )
        grid = [list(row) for row in made]
    ends: list[tuple[float, ...]] = []
    for r in cmp.runs:
        if r.outcome == DescentOutcome.CONVERGED and not any(
            _same_point(e, r.trajectory.final) for e in ends
        ):
            ends.append(r.trajectory.final)

    def color(r: DescentRun) -> str:
        if r.outcome == DescentOutcome.DIVERGED:
            return "red"
        if r.outcome == DescentOutcome.CONVERGED:
            for i, e in enumerate(ends):
                if _same_point(e, r.trajectory.final):
                    return f"C{i}"
        return "0.5"

    for i, m in enumerate(cmp.momenta):
        for j, lr in enumerate(cmp.lrs):
            panel = grid[i][j]
            _contours(panel, field)
            chosen = [r for r in cmp.runs if r.lr == lr and r.momentum == m]
            _draw_paths(
                panel,
                [r.trajectory for r in chosen],
                [color(r) for r in chosen],
                None,
                [r.outcome for r in chosen],
            )
            panel.set_title(f"lr={lr:g}, momentum={m:g}", fontsize=9)
            panel.text(
                0.02,
                0.02,
                "\n".join(_short(r) for r in chosen),
                transform=panel.transAxes,
                fontsize=7,
                va="bottom",
                bbox={"facecolor": "white", "alpha": 0.8, "lw": 0},
            )
    return cast("matplotlib.figure.Figure", grid[0][0].figure)
