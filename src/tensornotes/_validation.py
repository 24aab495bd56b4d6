"""Argument checks shared by the modules of tensornotes.

Each check either returns the argument in the form the caller computes with
(a ``float``, an ``int``, a dense floating-point tensor, a ``torch.device``)
or raises :class:`TypeError` (the wrong kind of thing) or a
:class:`~tensornotes.TensorNotesError` (a :class:`ValueError`: the right kind
with a bad value). Every message names the argument and quotes the value, so
the reader sees at once which one to fix. Nothing here changes a caller's
tensor: a tensor is read, or copied, never written.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch

from tensornotes._device import check_device
from tensornotes._errors import TensorNotesError

if TYPE_CHECKING:
    import matplotlib.axes

__all__ = [
    "axes",
    "check_callable",
    "check_device",
    "dense_tensor",
    "describe",
    "flag",
    "float_dtype",
    "float_tensor",
    "interval",
    "limits",
    "point",
    "points",
    "real",
    "real_list",
    "text",
    "whole",
]

_REPR_LIMIT = 80


def describe(value: object) -> str:
    """Write ``value`` for an error message: its repr, shortened, and never failing.

    Example:
        >>> describe(2.5), describe("x" * 100)[-12:], describe(10**5000)
        ('2.5', 'xxxxxxxxx...', 'an integer of about 5001 digits')
    """
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**40:
        # Python refuses to print an int of more than 4300 digits, so count them.
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    try:
        text_ = repr(value)
    except Exception:  # a broken __repr__ must not hide the real message
        text_ = f"<{type(value).__name__} object>"
    return text_ if len(text_) <= _REPR_LIMIT else text_[: _REPR_LIMIT - 3] + "..."


def text_argument(value: object, name: str, *, example: str, what: str, limit: int) -> str:
    """Refuse anything but a string of at most ``limit`` characters; return it.

    ``example`` is a string such as ``'4,3,32,32'`` for the message; ``what``
    names the thing, such as ``a shape``.

    Example:
        >>> text_argument("4,3", "shape", example="'4,3'", what="a shape", limit=8)
        '4,3'
    """
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a string such as {example}, got {type(value).__name__} "
            f"{describe(value)}."
        )
    if len(value) > limit:
        raise TensorNotesError(
            f"{name} is {len(value)} characters long; {what} may have at most {limit}."
        )
    return str(value)


def check_callable(fn: object, name: str) -> None:
    """Refuse anything that cannot be called."""
    if not callable(fn):
        raise TypeError(
            f"{name} must be a function of tensors, such as torch.sigmoid or "
            f"lambda x: x**2, but got {describe(fn)} of type {type(fn).__name__}."
        )


def dense_tensor(t: torch.Tensor, name: str) -> torch.Tensor:
    """Refuse tensors that hold no ordinary values: meta, sparse, nested or quantized ones."""
    if t.is_nested:
        raise TypeError(
            f"{name} is a nested tensor; pass an ordinary (dense, strided) tensor, "
            f"e.g. one of its components."
        )
    if t.layout != torch.strided:
        raise TypeError(
            f"{name} has the layout {t.layout}; pass an ordinary dense tensor, "
            f"e.g. {name}.to_dense()."
        )
    if t.is_quantized:
        raise TypeError(
            f"{name} is a quantized tensor ({t.dtype}); pass a floating-point one, "
            f"e.g. {name}.dequantize()."
        )
    if t.device.type == "meta":
        raise TensorNotesError(
            f"{name} is on the meta device, which keeps shapes but no values; "
            "pass a tensor on the CPU or a GPU."
        )
    return t


def real(value: object, name: str) -> float:
    """Return ``value`` as a finite ``float``: a real number or a one-element real tensor."""
    if isinstance(value, torch.Tensor):
        dense_tensor(value, name)
        if value.numel() != 1:
            raise TypeError(
                f"{name} must be one real number, but got a tensor of shape {tuple(value.shape)}."
            )
        if value.is_complex():
            raise TypeError(f"{name}={value.item()!r} is complex; a range needs real numbers.")
        value = value.item()
    if isinstance(value, complex):
        raise TypeError(f"{name}={value!r} is complex; a range needs real numbers.")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number, but got {describe(value)} "
            f"of type {type(value).__name__}."
        )
    try:
        number = float(value)
    except (OverflowError, ValueError) as exc:
        raise TensorNotesError(
            f"{name} is too large for a float64 (the largest is about 1.8e308): "
            f"got {describe(value)}."
        ) from exc
    if not math.isfinite(number):
        raise TensorNotesError(f"{name}={number!r} is not finite; a range needs finite ends.")
    return number


def interval(lo: object, hi: object, names: tuple[str, str]) -> tuple[float, float]:
    """Return the ends of a non-empty range whose width is a finite ``float64``."""
    a, b = real(lo, names[0]), real(hi, names[1])
    if not a < b:
        raise TensorNotesError(
            f"the range {names[0]}={a!r}, {names[1]}={b!r} is empty; "
            f"{names[1]} must be greater than {names[0]}."
        )
    if not math.isfinite(b - a):
        raise TensorNotesError(
            f"the range {names[0]}={a!r}, {names[1]}={b!r} is too wide: {names[1]} - "
            f"{names[0]} is beyond the largest float64 (about 1.8e308)."
        )
    return a, b


def limits(lims: object, name: str) -> tuple[float, float]:
    """Return a pair ``(low, high)`` such as ``xlim``, checked like :func:`interval`."""
    if not isinstance(lims, Sequence) or isinstance(lims, str) or len(lims) != 2:
        raise TypeError(f"{name} must be a pair (low, high), but got {describe(lims)}.")
    return interval(lims[0], lims[1], (f"{name}[0]", f"{name}[1]"))


def whole(value: object, name: str, minimum: int = 1, maximum: int | None = None) -> int:
    """Return a whole number between ``minimum`` and ``maximum`` (both included)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be a whole number, but got {describe(value)} "
            f"of type {type(value).__name__}."
        )
    number = int(value)
    if number < minimum:
        raise TensorNotesError(
            f"{name}={describe(number)} is too small; it must be at least {minimum}."
        )
    if maximum is not None and number > maximum:
        raise TensorNotesError(
            f"{name}={describe(number)} is too large; it must be at most {maximum:,}."
        )
    return number


def real_list(values: object, name: str, example: str, maximum: int) -> list[float]:
    """Return a non-empty list of finite floats, such as learning rates."""
    if isinstance(values, torch.Tensor):
        dense_tensor(values, name)
        if values.dim() != 1:
            raise TypeError(
                f"{name} must be a list such as {example}, but got a tensor of shape "
                f"{tuple(values.shape)}."
            )
        values = list(values.unbind())
    if not isinstance(values, Sequence) or isinstance(values, str):
        raise TypeError(f"{name} must be a list such as {example}, but got {describe(values)}.")
    if len(values) == 0:
        raise TensorNotesError(f"{name} is empty; give at least one value, such as {example}.")
    if len(values) > maximum:
        raise TensorNotesError(
            f"{name} has {len(values):,} values; at most {maximum:,} are allowed here."
        )
    return [real(v, f"{name}[{i}]") for i, v in enumerate(values)]


def float_tensor(x: object, name: str) -> torch.Tensor:
    """Return ``x`` as a real floating-point tensor (Python numbers become float64)."""
    if isinstance(x, torch.Tensor):
        t = dense_tensor(x, name)
    else:
        try:
            t = torch.as_tensor(x)
        except (TypeError, ValueError, RuntimeError, OverflowError, IndexError) as exc:
            raise TypeError(
                f"{name} must be a tensor or a list of numbers, but got {describe(x)}."
            ) from exc
        if not (t.is_complex() or t.dtype == torch.bool):
            t = t.to(torch.float64)
    if t.is_complex():
        raise TypeError(
            f"{name} has the complex dtype {t.dtype}; autograd derivatives here are "
            "of real functions, so pass a real floating-point tensor."
        )
    if not t.is_floating_point():
        raise TypeError(
            f"{name} has the dtype {t.dtype}; autograd needs a floating-point tensor, "
            f"e.g. {name}.to(torch.float64)."
        )
    if t.numel() == 0:
        raise TensorNotesError(
            f"{name} is empty (shape {tuple(t.shape)}); give at least one point."
        )
    return t


def point(start: object, name: str, max_dims: int) -> list[float]:
    """Return a point of 1 to ``max_dims`` finite coordinates: a number, numbers or a tensor."""
    if isinstance(start, torch.Tensor):
        dense_tensor(start, name)
        if start.is_complex():
            raise TypeError(
                f"{name} has the complex dtype {start.dtype}; a point needs real numbers."
            )
        if start.numel() > max_dims:
            raise TensorNotesError(
                f"{name} has {start.numel():,} coordinates; at most {max_dims} are allowed."
            )
        start = start.detach().cpu().reshape(-1).tolist()
    if isinstance(start, numbers.Number) and not isinstance(start, bool):
        start = [start]
    if not isinstance(start, Sequence) or isinstance(start, str):
        raise TypeError(f"{name} must be a point such as (0.0, 0.0), but got {describe(start)}.")
    if len(start) == 0:
        raise TensorNotesError(
            f"{name} is empty; a point needs at least one coordinate, such as (0.0, 0.0)."
        )
    if len(start) > max_dims:
        raise TensorNotesError(
            f"{name} has {len(start):,} coordinates; at most {max_dims} are allowed."
        )
    return [real(v, f"{name}[{i}]") for i, v in enumerate(start)]


def points(starts: object, name: str, max_points: int, max_dims: int) -> torch.Tensor:
    """Return ``k`` points of ``d`` finite coordinates as a new ``(k, d)`` ``float64`` tensor.

    ``starts`` is a list of points (each a number or numbers) or a tensor of
    shape ``(k, d)`` (or ``(k,)`` for points of one coordinate).
    """
    if isinstance(starts, torch.Tensor):
        t = float_tensor(starts, name).detach()
        if t.dim() > 0 and t.shape[0] > max_points:
            raise TensorNotesError(
                f"{name} holds {t.shape[0]:,} points; at most {max_points:,} are allowed."
            )
        t = t.to("cpu", torch.float64, copy=True)
        if t.dim() == 1:
            t = t.reshape(-1, 1)
        if t.dim() != 2:
            raise TensorNotesError(
                f"{name} must have shape (k, d), but it has shape {tuple(t.shape)}."
            )
        bad = torch.nonzero(~torch.isfinite(t).all(dim=1))
        if bad.numel():
            i = int(bad[0, 0])
            raise TensorNotesError(
                f"{name}[{i}]={tuple(t[i].tolist())} is not finite; every start needs "
                "finite coordinates."
            )
    else:
        if not isinstance(starts, Sequence) or isinstance(starts, str):
            raise TypeError(
                f"{name} must be a list of points such as [(0, 0), (1, -1)], "
                f"got {describe(starts)}."
            )
        if len(starts) == 0:
            raise TensorNotesError(f"{name} is empty; give at least one point, such as [(0, 0)].")
        if len(starts) > max_points:
            raise TensorNotesError(
                f"{name} holds {len(starts):,} points; at most {max_points:,} are allowed."
            )
        rows = [point(s, f"{name}[{i}]", max_dims) for i, s in enumerate(starts)]
        if len({len(r) for r in rows}) != 1:
            raise TensorNotesError(
                f"{name} mixes points of different dimensions; give them all the same length."
            )
        t = torch.tensor(rows, dtype=torch.float64)
    if t.shape[0] > max_points:
        raise TensorNotesError(
            f"{name} holds {t.shape[0]:,} points; at most {max_points:,} are allowed."
        )
    if t.shape[1] > max_dims:
        raise TensorNotesError(
            f"{name} has points of {t.shape[1]:,} coordinates; at most {max_dims} are allowed."
        )
    return t


def float_dtype(dtype: object, name: str) -> torch.dtype:
    """Return ``dtype`` if it is a real floating-point :class:`torch.dtype`."""
    if not (isinstance(dtype, torch.dtype) and dtype.is_floating_point):
        raise TypeError(
            f"{name} must be a real floating-point torch.dtype such as torch.float64, "
            f"but got {describe(dtype)}."
        )
    return dtype


def flag(value: object, name: str) -> bool:
    """Return ``value`` if it is ``True`` or ``False``."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, but got {describe(value)}.")
    return value


def text(value: object, name: str) -> str:
    """Return ``value`` if it is a string."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, but got {describe(value)}.")
    return value


def axes(ax: object, name: str = "ax", three_d: bool = False) -> matplotlib.axes.Axes | None:
    """Return ``ax`` if it is ``None`` or a matplotlib Axes (a 3-D one if ``three_d``)."""
    if ax is None:
        return None
    import matplotlib.axes

    if not isinstance(ax, matplotlib.axes.Axes):
        raise TypeError(
            f"{name} must be a matplotlib Axes, such as the second value of "
            f"plt.subplots(), or None for a new figure, but got {describe(ax)}."
        )
    if three_d and ax.name != "3d":
        raise TensorNotesError(
            f"{name} is a 2-D Axes, but a surface needs a 3-D one: "
            "fig.add_subplot(projection='3d')."
        )
    return ax
