"""Drawing for :func:`tensornotes.events.venn`: circles, the universe box, shading, labels.

Plain matplotlib: a region is shaded by deciding, for every pixel of a fine
grid, which circles contain it, and colouring the pixels whose region is
asked for. That fills any region, also the part of the box outside every
circle, which circle patches alone cannot do. Private: the logic of which
points go where lives in :mod:`tensornotes.events`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_RADIUS = 1.0
_PIXELS = 700


@dataclass(frozen=True)
class _Layout:
    """Circle centres, the universe box, where each region's points and each name go."""

    centres: tuple[tuple[float, float], ...]
    box: tuple[float, float, float, float]
    # Region r has bit i set when it lies in event i; region 0 goes in a corner.
    anchors: dict[int, tuple[float, float]]
    names: tuple[tuple[float, float], ...]


_LAYOUTS = {
    1: _Layout(
        centres=((0.0, 0.0),),
        box=(-1.9, 1.9, -1.4, 1.4),
        anchors={1: (0.0, 0.0)},
        names=((-0.95, 0.95),),
    ),
    2: _Layout(
        centres=((-0.55, 0.0), (0.55, 0.0)),
        box=(-2.0, 2.0, -1.45, 1.45),
        anchors={1: (-0.95, 0.0), 2: (0.95, 0.0), 3: (0.0, 0.0)},
        names=((-1.35, 0.95), (1.35, 0.95)),
    ),
    3: _Layout(
        centres=((-0.55, 0.35), (0.55, 0.35), (0.0, -0.6)),
        box=(-2.0, 2.0, -2.0, 1.75),
        anchors={
            1: (-1.0, 0.62),
            2: (1.0, 0.62),
            3: (0.0, 0.88),
            4: (0.0, -1.15),
            5: (-0.62, -0.3),
            6: (0.62, -0.3),
            7: (0.0, 0.05),
        },
        names=((-1.45, 1.22), (1.45, 1.22), (1.0, -1.55)),
    ),
}


def _wrap(items: Sequence[str], per_line: int = 3) -> str:
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return ",\n".join(lines)


def draw_venn(
    names: tuple[str, ...],
    texts: dict[int, list[str]],
    shaded: set[int],
    *,
    universe: bool,
    title: str | None,
    shade_color: str,
    ax: Axes | None,
) -> Axes:
    """Draw the diagram; ``texts`` and ``shaded`` are keyed by region number."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Circle, Rectangle

    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 4.2), layout="constrained")
    layout = _LAYOUTS[len(names)]
    centres, anchors, name_at = layout.centres, layout.anchors, layout.names
    x0, x1, y0, y1 = layout.box

    if shaded:
        xs = np.linspace(x0, x1, _PIXELS)
        ys = np.linspace(y0, y1, int(_PIXELS * (y1 - y0) / (x1 - x0)))
        gx, gy = np.meshgrid(xs, ys)
        region = np.zeros(gx.shape, dtype=np.int64)
        for i, (cx, cy) in enumerate(centres):
            region |= (((gx - cx) ** 2 + (gy - cy) ** 2) <= _RADIUS**2).astype(np.int64) << i
        image = np.zeros((*gx.shape, 4))
        image[np.isin(region, sorted(shaded))] = to_rgba(shade_color, 0.45)
        ax.imshow(image, extent=(x0, x1, y0, y1), origin="lower", interpolation="antialiased")

    for i, (cx, cy) in enumerate(centres):
        ax.add_patch(Circle((cx, cy), _RADIUS, fill=False, lw=1.8, edgecolor=f"C{i}"))
        nx, ny = name_at[i]
        ax.text(nx, ny, names[i], color=f"C{i}", fontsize=14, fontweight="bold", ha="center")
    if universe:
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, lw=1.5, edgecolor="0.2"))
        ax.text(x0 + 0.08, y1 - 0.08, "Ω", fontsize=14, ha="left", va="top")

    for region_number, items in texts.items():
        if region_number == 0:
            ax.text(x0 + 0.1, y0 + 0.1, _wrap(items, 5), fontsize=9, ha="left", va="bottom")
        else:
            ax.text(*anchors[region_number], _wrap(items), fontsize=9, ha="center", va="center")

    ax.set_xlim(x0 - 0.05, x1 + 0.05)
    ax.set_ylim(y0 - 0.05, y1 + 0.05)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax
