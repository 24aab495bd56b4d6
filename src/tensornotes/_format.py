"""Text formatting shared by the modules: one way to write a shape."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["shape_text"]


def shape_text(shape: Sequence[int]) -> str:
    """Write a shape as Python writes a tuple: ``(4, 3)``, ``(5,)``, ``()``.

    Example:
        >>> shape_text([4, 3]), shape_text((5,)), shape_text(())
        ('(4, 3)', '(5,)', '()')
    """
    return repr(tuple(int(n) for n in shape))
