"""Matplotlib drawing for :mod:`tensornotes.gradients`.

Private: these functions only draw data that ``gradients`` has already
computed, so that module stays free of matplotlib and its numbers can be
tested without a figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import torch
from numpy.typing import NDArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tensornotes.gradients import DescentRun, GradientField, Kink, Trajectory


def _axes(ax: Axes | None, figsize: tuple[float, float] = (6.0, 4.0)) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def _np(t: torch.Tensor) -> NDArray[np.float64]:
    return t.detach().cpu().to(torch.float64).numpy()


def function_and_grad(
    ax: Axes | None,
    xs: torch.Tensor,
    ys: torch.Tensor,
    grads: torch.Tensor,
    exact: torch.Tensor | None,
    kinks: Sequence[Kink],
    label: str,
) -> Axes:
    ax = _axes(ax)
    ax.plot(_np(xs), _np(ys), color="C0", lw=2, label=label)
    ax.plot(_np(xs), _np(grads), color="C1", lw=2, label=f"{label}' (autograd)")
    if exact is not None:
        ax.plot(_np(xs), _np(exact), color="k", lw=1, ls="--", label=f"{label}' (closed form)")
    for k in kinks:
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


def surface(
    ax: Axes | None, fine: GradientField, coarse: GradientField | None, three_d: bool
) -> Axes:
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
    ax = _axes(ax)
    filled = ax.contourf(_np(fine.x), _np(fine.y), _np(fine.value), levels=20, cmap="viridis")
    ax.contour(_np(fine.x), _np(fine.y), _np(fine.value), levels=20, colors="k", linewidths=0.3)
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


def _finite(positions: torch.Tensor) -> torch.Tensor:
    return positions[torch.isfinite(positions).all(dim=1)].detach().cpu().to(torch.float64)


def descent_1d(
    ax: Axes | None,
    xs: torch.Tensor,
    curve: torch.Tensor,
    runs: Sequence[Trajectory],
    names: Sequence[str],
) -> Axes:
    ax = _axes(ax)
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
    ax: Axes,
    runs: Sequence[Trajectory],
    colors: Sequence[str],
    names: Sequence[str] | None,
    outcomes: Sequence[str] | None = None,
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
        ax.scatter(
            [float(shown[0, 0])], [float(shown[0, 1])], marker="s", s=25, color=color, zorder=3
        )
        if outcomes is not None and outcomes[i] == "no convergence":
            ax.scatter(
                [float(shown[-1, 0])],
                [float(shown[-1, 1])],
                marker="o",
                s=50,
                facecolors="none",
                edgecolors="k",
                zorder=4,
            )
        elif run.diverged_at is not None or shown.shape[0] < pts.shape[0]:
            ax.scatter(
                [float(shown[-1, 0])],
                [float(shown[-1, 1])],
                marker="x",
                s=60,
                color="red",
                zorder=4,
            )
        else:
            ax.scatter(
                [float(shown[-1, 0])],
                [float(shown[-1, 1])],
                marker="*",
                s=80,
                color=color,
                edgecolors="k",
                zorder=4,
            )


def _contours(ax: Axes, field: GradientField) -> None:
    ax.contour(
        _np(field.x),
        _np(field.y),
        _np(torch.log1p(field.value - field.value.min())),
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


def descent_2d(
    ax: Axes | None, field: GradientField, runs: Sequence[Trajectory], names: Sequence[str]
) -> Axes:
    ax = _axes(ax)
    _contours(ax, field)
    _draw_paths(ax, runs, [f"C{i}" for i in range(len(runs))], names)
    ax.set(title="descent paths")
    ax.legend(fontsize=7, loc="upper left")
    return ax


def comparison(
    field: GradientField,
    runs: Sequence[DescentRun],
    lrs: Sequence[float],
    momenta: Sequence[float],
) -> Figure:
    import matplotlib.pyplot as plt

    ends: list[tuple[float, ...]] = []
    for r in runs:
        if r.outcome == "converged" and not any(
            max(abs(a - b) for a, b in zip(e, r.trajectory.final, strict=True)) < 1e-2
            for e in ends
        ):
            ends.append(r.trajectory.final)

    def color(r: DescentRun) -> str:
        if r.outcome == "diverged":
            return "red"
        if r.outcome != "converged":
            return "0.5"
        for i, e in enumerate(ends):
            if max(abs(a - b) for a, b in zip(e, r.trajectory.final, strict=True)) < 1e-2:
                return f"C{i}"
        return "0.5"

    def short(r: DescentRun) -> str:
        start = "(" + ", ".join(f"{v:g}" for v in r.start) + ")"
        if r.outcome == "converged":
            end = ", ".join(f"{round(v, 2) + 0.0:g}" for v in r.trajectory.final)
            return f"{start} → ({end})"
        if r.outcome == "diverged":
            return f"{start}: diverges at step {r.trajectory.diverged_at}"
        return f"{start}: no convergence"

    fig, axes = plt.subplots(
        len(momenta),
        len(lrs),
        figsize=(3.2 * len(lrs) + 0.5, 3.2 * len(momenta)),
        layout="constrained",
        squeeze=False,
    )
    for i, m in enumerate(momenta):
        for j, lr in enumerate(lrs):
            ax = axes[i][j]
            _contours(ax, field)
            chosen = [r for r in runs if r.lr == lr and r.momentum == m]
            _draw_paths(
                ax,
                [r.trajectory for r in chosen],
                [color(r) for r in chosen],
                None,
                [r.outcome for r in chosen],
            )
            notes = [short(r) for r in chosen]
            ax.set_title(f"lr={lr:g}, momentum={m:g}", fontsize=9)
            ax.text(
                0.02,
                0.02,
                "\n".join(notes),
                transform=ax.transAxes,
                fontsize=7,
                va="bottom",
                bbox={"facecolor": "white", "alpha": 0.8, "lw": 0},
            )
    return fig
