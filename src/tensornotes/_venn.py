"""Venn diagrams of one to three events: the universe, every sample point, any shaded region.

:func:`venn` draws with plain matplotlib rather than ``matplotlib-venn``: that
package sizes circles by counts and draws neither the universe, nor a shaded
complement, nor the elements in their regions, which are exactly what these
diagrams are for. Here each region's membership is decided on a grid of
pixels, so any region, including the outside of all circles, can be filled.

Like every drawing call of the package, :func:`venn` takes ``ax`` keyword-only
and returns the Axes it drew on. matplotlib is imported only when drawing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tensornotes._errors import TensorNotesError
from tensornotes._events import Event, mask_bits, require_event, short_repr
from tensornotes._identity_sides import regions, side

if TYPE_CHECKING:
    import matplotlib.axes

__all__ = ["MAX_SHOWN_PER_REGION", "venn"]

MAX_SHOWN_PER_REGION = 9
"""Most sample points written in one region; a region with more ends with ``... (N in all)``."""

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


def check_axes(ax: object) -> None:
    """Refuse an ``ax`` that is neither ``None`` nor a matplotlib Axes."""
    if ax is None:
        return
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(
            f"ax must be a matplotlib Axes or None, not {type(ax).__name__} {short_repr(ax)}; "
            "make one with fig, ax = plt.subplots()."
        )


def _is_colour(value: object) -> bool:
    from matplotlib.colors import is_color_like

    try:
        return bool(is_color_like(value))
    except Exception:  # an unhashable or odd object is no colour either
        return False


def _names(names: object, n: int) -> tuple[str, ...]:
    if names is None:
        return ("A", "B", "C")[:n]
    if isinstance(names, str) or not isinstance(names, Sequence):
        strings = "strings" if n > 1 else "string"
        raise TypeError(
            f"names must be a sequence of {n} {strings} such as ('A', 'B'), not "
            f"{type(names).__name__} {short_repr(names)}."
        )
    for name in names:
        if not isinstance(name, str):
            raise TypeError(
                f"names must hold strings, not {type(name).__name__} {short_repr(name)}."
            )
    if len(names) != n:
        raise TensorNotesError(f"names gives {len(names)} names for {n} events.")
    return tuple(names)


def venn(
    *events: Event,
    universe: bool = True,
    shade: str | Callable[..., Event] | None = None,
    labels: str | None = "elements",
    names: Sequence[str] | None = None,
    title: str | None = None,
    shade_color: str = "tab:orange",
    ax: matplotlib.axes.Axes | None = None,
) -> matplotlib.axes.Axes:
    """Draw a Venn diagram of 1, 2 or 3 events of one sample space.

    The universe Ω is drawn as a box around the circles, and each sample
    point is written in its region, including the points outside every event;
    a region with more than 9 points shows the first 9 and how many there are
    (for a large space, ``labels="counts"`` reads better).
    Sorting the points into regions takes time linear in the size of the space.

    Args:
        events: one to three events of the same sample space.
        universe: draw the box for Ω.
        shade: the region to fill, as a string over the names (``"~(A | B)"``)
            or a function of the events (``lambda A, B: ~(A | B)``); regions
            outside the circles are filled too.
        labels: ``"elements"`` writes the sample points in their regions,
            ``"counts"`` how many there are, ``None`` nothing.
        names: the events' names; ``A``, ``B``, ``C`` by default.
        title: the Axes title; by default the shaded expression, if any.
        shade_color: the colour of the shaded region, any matplotlib colour.
        ax: the matplotlib Axes to draw on, keyword only; a new figure when ``None``.

    Returns:
        The Axes drawn on.

    Raises:
        TypeError: for an argument that is not an Event, ``names`` that are not
            strings, a ``title`` that is not a string, a ``universe`` that is not
            a bool, or an ``ax`` that is not a matplotlib Axes.
        TensorNotesError: for no or more than three events, events of different
            spaces, a bad ``labels`` or ``shade_color``, or a ``shade`` that names
            an unknown event.

    Example:
        >>> from tensornotes import SampleSpace
        >>> die = SampleSpace(range(1, 7))
        >>> ax = venn(die.event({1, 2, 3}), die.event({2, 4, 6}), shade="~(A | B)")
        >>> ax.get_title()
        '(A ∪ B)ᶜ'
        >>> sorted(t.get_text() for t in ax.texts)
        ['1, 3', '2', '4, 6', '5', 'A', 'B', 'Ω']
        >>> import matplotlib.pyplot as plt
        >>> plt.close("all")
    """
    if not 1 <= len(events) <= 3:
        raise TensorNotesError(f"venn() draws 1 to 3 events, got {len(events)}.")
    checked = [require_event(e, f"event {i + 1}", "venn()") for i, e in enumerate(events)]
    space = checked[0]._space
    for e in checked[1:]:
        space._same(e, "venn()")
    n = len(checked)
    label_names = _names(names, n)
    if not (labels is None or (isinstance(labels, str) and labels in ("elements", "counts"))):
        raise TensorNotesError(
            f"labels={short_repr(labels)} is not one of 'elements', 'counts' or None."
        )
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string or None, not {type(title).__name__}.")
    if not isinstance(universe, bool):
        raise TypeError(f"universe must be True or False, not {type(universe).__name__}.")
    if not _is_colour(shade_color):
        raise TensorNotesError(
            f"shade_color={short_repr(shade_color)} is not a matplotlib colour such as "
            "'tab:orange' or '#ff7f0e'."
        )
    check_axes(ax)
    shaded: set[int] = set()
    if shade is not None:
        shading = side(shade, "shade")
        if shading.is_number:
            raise TensorNotesError(f"shade {shading.text!r} is a number, not an event.")
        if shading.func is not None and len(shading.names) != n:
            raise TypeError(f"shade takes {len(shading.names)} events but venn() draws {n}.")
        unknown = [name for name in shading.names if name not in label_names]
        if shading.func is None and unknown:
            raise TensorNotesError(
                f"shade uses the unknown name {unknown[0]!r}; the events are named "
                f"{', '.join(label_names)}."
            )
        space_of_regions, env = regions(shading.names if shading.func is not None else label_names)
        value = shading.evaluate(env, space_of_regions)
        assert isinstance(value, Event)
        shaded = set(value)  # type: ignore[arg-type]
        if title is None:
            title = shading.text
    return draw_events(
        checked,
        label_names,
        labels,
        shaded,
        universe=universe,
        title=title,
        shade_color=shade_color,
        ax=ax,
    )


def draw_events(
    events: Sequence[Event],
    names: Sequence[str],
    labels: str | None,
    shaded: set[int],
    *,
    universe: bool,
    title: str | None,
    shade_color: str,
    ax: matplotlib.axes.Axes | None,
) -> matplotlib.axes.Axes:
    """Sort the sample points into regions, in one vectorised pass, and draw them."""
    n = len(events)
    space = events[0]._space
    size = len(space)
    region = np.zeros(size, dtype=np.int64)
    for i, event in enumerate(events):
        region |= mask_bits(event._mask, size).astype(np.int64) << i
    texts: dict[int, list[str]] = {}
    if labels == "counts":
        texts = {r: [str(c)] for r, c in enumerate(np.bincount(region, minlength=1 << n))}
    elif labels == "elements":
        order = np.argsort(region, kind="stable")
        bounds = np.searchsorted(region[order], np.arange((1 << n) + 1))
        points: Sequence[Hashable] = space._points
        for r in range(1 << n):
            members = order[bounds[r] : bounds[r + 1]]
            if len(members):
                shown = [str(points[i]) for i in members[:MAX_SHOWN_PER_REGION].tolist()]
                if len(members) > MAX_SHOWN_PER_REGION:
                    shown.append(f"... ({len(members)} in all)")
                texts[r] = shown
    return draw_venn(
        tuple(names), texts, shaded, universe=universe, title=title, shade_color=shade_color, ax=ax
    )


def draw_venn(
    names: tuple[str, ...],
    texts: dict[int, list[str]],
    shaded: set[int],
    *,
    universe: bool,
    title: str | None,
    shade_color: str,
    ax: matplotlib.axes.Axes | None,
) -> matplotlib.axes.Axes:
    """Draw the circles, the box, the shading and the labels; dicts are keyed by region."""
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
