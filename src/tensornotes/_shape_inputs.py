"""Reading what a caller hands the shape checker: shapes, dtypes and sizes given in advance.

Each reader returns plain values the matcher can trust, or raises a
:class:`TypeError` (the wrong kind of thing) or a
:class:`~tensornotes.TensorNotesError` (a bad value) whose message names the
argument. Nothing here writes to a tensor; a nested tensor, which has no single
shape, is refused, and meta and sparse tensors are read like any other.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Mapping, Sequence
from typing import Any

import torch

from tensornotes._errors import TensorNotesError
from tensornotes._spec_parser import Binding, Spec
from tensornotes._validation import describe

__all__ = ["MAX_DIMS", "known_sizes", "read_dtype", "read_shape"]

MAX_DIMS = 1024
"""The most dims read from a ``.shape`` that is not a tensor's; a real tensor has a handful."""
_MAX_SIZE = 2**63 - 1


def read_shape(value: object, name: str) -> tuple[int, ...]:
    """``value.shape`` as sizes, or a TypeError or ValueError that names ``name``."""
    if isinstance(value, torch.Tensor):
        if value.is_nested:
            raise TypeError(
                f"{name} is a nested tensor, which has no single shape; "
                f"check each tensor of {name}.unbind() instead."
            )
        return value.shape
    try:
        shape: Any = getattr(value, "shape", None)
    except Exception as err:  # a broken property is the value's fault, not the caller's
        raise TypeError(f"{name}.shape could not be read: {type(err).__name__}.") from None
    if shape is None:
        raise TypeError(
            f"{name} must be a tensor (anything with a .shape), "
            f"got {type(value).__name__} {describe(value)}."
        )
    bad = TypeError(
        f"{name}.shape must be a sequence of whole numbers, got {type(shape).__name__} "
        f"{describe(shape)}."
    )
    try:
        dims = list(itertools.islice(iter(shape), MAX_DIMS + 1))
        if any(isinstance(d, bool) for d in dims):
            raise bad
        sizes = tuple(operator.index(d) for d in dims)
    except Exception:
        raise bad from None
    if len(sizes) > MAX_DIMS:
        raise TensorNotesError(f"{name} has more than {MAX_DIMS} dims; that many are not checked.")
    if not all(0 <= s <= _MAX_SIZE for s in sizes):
        raise TensorNotesError(
            f"{name}.shape {describe(shape)} holds a size that no dim can have."
        )
    return sizes


def read_dtype(value: object) -> object:
    try:
        return getattr(value, "dtype", None)
    except Exception:  # a broken property: as if there were no dtype
        return None


def _size(key: str, value: object) -> int:
    if isinstance(value, bool) or not hasattr(type(value), "__index__"):
        raise TypeError(
            f"{key}={describe(value)} is not a size: give a whole number such as {key}=3."
        )
    try:
        size = operator.index(value)  # type: ignore[arg-type]
    except Exception:
        raise TypeError(
            f"{key}={describe(value)} is not a size: give a whole number such as {key}=3."
        ) from None
    if not 0 <= size <= _MAX_SIZE:
        raise TensorNotesError(
            f"{key}={describe(size)} is not a size: a dim has 0 to 2**63 - 1 elements."
        )
    return size


def _group(key: str, value: object) -> tuple[int, ...]:
    if not isinstance(value, (tuple, list)) or len(value) > MAX_DIMS:
        raise TypeError(
            f"{key}={describe(value)} is not a group of sizes: give a tuple of whole numbers "
            f"such as {key}=(2, 5)."
        )
    return tuple(_size(f"{key}[{i}]", v) for i, v in enumerate(value))


def known_sizes(known: Mapping[str, object], specs: Sequence[Spec]) -> dict[str, Binding]:
    """The sizes given in advance, checked: an int for a dim, a tuple for a ``*name``."""
    stars = {s.star for s in specs}
    dims = frozenset().union(*(s.dim_names for s in specs))
    out: dict[str, Binding] = {}
    for key, value in known.items():
        if key in stars or (key not in dims and isinstance(value, (tuple, list))):
            out[key] = _group(key, value)
        else:
            out[key] = _size(key, value)
    return out
