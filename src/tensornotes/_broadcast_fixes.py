"""The code suggested when shapes do not broadcast: ``unsqueeze``, ``view`` or ``permute``.

For each operand, :func:`suggest_fixes` looks for one change of that operand
alone that makes it broadcast with the others: first inserting or dropping 1s
(``unsqueeze`` or ``view``), then reordering its dims (``permute``, tried for
operands of at most six dims). Each suggestion is a line of Python with a
comment that says which sizes then line up.
"""

from __future__ import annotations

import itertools

from tensornotes._broadcast import broadcast_or_none, join_names, labels_for
from tensornotes._format import shape_text

__all__ = ["suggest_fixes"]

_MAX_PERMUTE = 6


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
    return f"{name}.view{shape_text(new)}" if len(new) != 1 else f"{name}.view({new[0]})"


def _fits(moved: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """Whether ``moved`` broadcasts with ``target``: only the dims they share can clash."""
    pairs = zip(reversed(moved), reversed(target), strict=False)  # the shorter one ends it
    return all(a == b or a == 1 or b == 1 for a, b in pairs)


def _permute_fix(name: str, whose: str, shape: tuple[int, ...], target: tuple[int, ...]) -> str:
    for perm in itertools.permutations(range(len(shape))):
        moved = tuple(shape[p] for p in perm)
        if moved != shape and _fits(moved, target):
            return (
                f"{name}.permute({', '.join(map(str, perm))})  # {name} becomes "
                f"{shape_text(moved)}: the same sizes, in the order {whose} dims need"
            )
    return ""


def suggest_fixes(shapes: tuple[tuple[int, ...], ...]) -> tuple[str, ...]:
    """Code that makes one operand fit the others: unsqueeze/view first, else permute.

    Operands with fewer dims come first: they are the ones usually meant to be stretched.

    Example:
        >>> for shapes in [((4, 3, 32, 32), (4, 1, 1)), ((5, 3), (3, 5, 1))]:
        ...     print(*suggest_fixes(shapes))
        B.unsqueeze(-1)  # B becomes (4, 1, 1, 1): its 4 lines up with A's dim 0
        B.permute(1, 2, 0)  # B becomes (5, 1, 3): the same sizes, in the order A's dims need
    """
    labels = labels_for(len(shapes))
    views: list[tuple[int, str]] = []
    permutes: list[tuple[int, str]] = []
    for i, shape in enumerate(shapes):
        target = broadcast_or_none([s for j, s in enumerate(shapes) if j != i])
        if target is None or not shape:
            continue
        name = labels[i]
        whose = labels[1 - i] + "'s" if len(shapes) == 2 else "the others'"
        new = _view_fit(shape, target)
        if new is not None and new != shape:
            offset = len(target) - len(new)
            dims = [d + offset for d, s in enumerate(new) if s != 1]
            plural = "s" if len(dims) > 1 else ""
            sizes = join_names([str(new[d - offset]) for d in dims])
            verb = "line" if plural else "lines"
            where = join_names([str(d) for d in dims])
            call = _unsqueeze_call(name, shape, new)
            views.append(
                (
                    len(shape),
                    f"{call}  # {name} becomes {shape_text(new)}: its {sizes} {verb} up with "
                    f"{whose} dim{plural} {where}",
                )
            )
            continue
        if 1 < len(shape) <= _MAX_PERMUTE and not views:
            fix = _permute_fix(name, whose, shape, target)
            if fix:
                permutes.append((len(shape), fix))
    chosen = views or permutes
    return tuple(text for _, text in sorted(chosen, key=lambda item: item[0]))
