"""The one error family of tensornotes.

Every error the package raises on purpose is a :class:`TensorNotesError` or a
subclass of it, so a caller can catch them all at once. It derives from
:class:`ValueError` because each one is about a bad value: a shape, a spec, a
device name. Wrong *types* raise the built-in :class:`TypeError` instead.
"""

from __future__ import annotations

__all__ = ["TensorNotesError"]


class TensorNotesError(ValueError):
    """Base class of the errors tensornotes raises for a bad value.

    Example:
        >>> from tensornotes import TensorNotesError
        >>> issubclass(TensorNotesError, ValueError)
        True
    """
