"""Derivatives of elementwise functions of one variable, and the kinks where they jump.

Everything is computed by PyTorch's autograd; no derivative is typed in by
hand. A function of one variable is elementwise, ``fn(x) -> tensor of x's
shape``, so one backward pass of ``fn(x).sum()`` gives the derivative at every
point of ``x`` at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from tensornotes._errors import TensorNotesError
from tensornotes._validation import check_callable, float_tensor, interval, whole

__all__ = ["MAX_GRID", "Kink", "derivative", "kinks"]

Fn = Callable[..., torch.Tensor]

MAX_GRID = 20_001
"""The most grid points :func:`kinks` (and the curve of a plot) evaluates."""

_BISECTIONS = 80


def check_output(y: object, shape: torch.Size, fn_name: str, x_name: str) -> torch.Tensor:
    """Return ``fn``'s output if it is a real tensor of ``x``'s shape that autograd can follow."""
    if not isinstance(y, torch.Tensor):
        raise TypeError(f"{fn_name} must return a tensor, but it returned {type(y).__name__}.")
    if y.shape != shape:
        raise TensorNotesError(
            f"{fn_name} returned shape {tuple(y.shape)} for {x_name} of shape {tuple(shape)}; "
            "it must be elementwise (same shape out as in). For a scalar function of "
            "several variables use gradient_field or torch.autograd.grad."
        )
    if y.is_complex():
        raise TypeError(f"{fn_name} returned the complex dtype {y.dtype}; it must be real.")
    if not y.requires_grad:
        raise TensorNotesError(
            f"{fn_name}'s output does not depend on {x_name} through autograd: operations "
            "such as x > 0, round or a constant cut the graph, so autograd sees no derivative."
        )
    return y


def _check_elementwise(fn: Fn, leaf: torch.Tensor, y: torch.Tensor) -> None:
    """Catch functions that mix elements: a few sample points must give a diagonal Jacobian."""
    flat = leaf.detach().reshape(-1)
    idx = sorted({0, flat.numel() // 2, flat.numel() - 1})
    sample = flat[idx].clone()
    expected = y.detach().reshape(-1)[idx]
    try:
        with torch.no_grad():
            alone = fn(sample)
    except RuntimeError as exc:
        raise TensorNotesError(
            f"fn is not elementwise: it works on x of shape {tuple(leaf.shape)} but fails on "
            f"3 of its points ({exc}); it must treat every element on its own."
        ) from exc
    rtol = 1e-4 if flat.dtype in (torch.float16, torch.bfloat16, torch.float32) else 1e-10
    mixed = (
        not isinstance(alone, torch.Tensor) or alone.shape != sample.shape or alone.is_complex()
    )
    if not mixed:
        mixed = not torch.allclose(
            alone.to(expected.dtype), expected, rtol=rtol, atol=rtol, equal_nan=True
        )
    if not mixed and len(idx) > 1:
        jac = torch.autograd.functional.jacobian(fn, sample)  # type: ignore[no-untyped-call]
        off = jac - torch.diag(torch.diagonal(jac))
        mixed = bool((off.abs() > 0).any())
    if mixed:
        raise TensorNotesError(
            "fn is not elementwise: each output must depend only on the input at the same "
            "position, but fn's outputs depend on other elements too (it sums, normalises or "
            "reorders). derivative would return a sum of partial derivatives; use "
            "torch.autograd.functional.jacobian for such a function."
        )


def derivative(fn: Fn, x: object) -> torch.Tensor:
    """Return the derivative of an elementwise function at every point of ``x``.

    One backward pass gives all the derivatives at once: because ``fn`` is
    elementwise, the gradient of ``fn(x).sum()`` holds :math:`f'(x_i)` at position
    :math:`i`. A cheap check on three sample points (their Jacobian must be
    diagonal) refuses functions that mix elements, for which that sum would
    be silently wrong.

    Args:
        fn: an elementwise function, such as :func:`torch.sigmoid` or ``lambda x: x**3``.
        x: the points, a real floating-point tensor of any shape, or numbers
            (which become ``float64``). It is not modified.

    Returns:
        A tensor of the shape and dtype of ``x``: :math:`f'` at each point.

    Raises:
        TypeError: if ``fn`` is not callable, or ``x`` is complex, not floating
            point, sparse, nested or quantized.
        TensorNotesError: if ``x`` is empty or on the meta device, ``fn`` is
            not elementwise, or ``fn``'s output is not connected to ``x`` by autograd.

    Example:
        >>> import torch
        >>> derivative(lambda x: x**2, torch.arange(4.0))
        tensor([0., 2., 4., 6.])
        >>> derivative(torch.sigmoid, [0.0])
        tensor([0.2500], dtype=torch.float64)
        >>> derivative(torch.relu, torch.tensor([-1.0, 0.0, 1.0]))   # 0 at 0: a convention
        tensor([0., 0., 1.])
    """
    check_callable(fn, "fn")
    t = float_tensor(x, "x")
    leaf = t.detach().clone().requires_grad_(True)
    y = check_output(fn(leaf), leaf.shape, "fn", "x")
    _check_elementwise(fn, leaf, y)
    (grad,) = torch.autograd.grad(y.sum(), leaf)
    return grad


@dataclass(frozen=True)
class Kink:
    """A point where an elementwise function is not differentiable.

    Attributes:
        x: where the derivative jumps.
        autograd: the value autograd returns exactly at ``x``: a convention,
            since no derivative exists there.
        left: the derivative just left of ``x``.
        right: the derivative just right of ``x``.
    """

    x: float
    autograd: float
    left: float
    right: float


def _derivative_at(fn: Fn, xs: torch.Tensor) -> torch.Tensor:
    """``fn``'s derivative at the ``float64`` points ``xs``, once ``fn`` has passed the checks."""
    leaf = xs.detach().clone().requires_grad_(True)
    y = check_output(fn(leaf), leaf.shape, "fn", "x")
    (grad,) = torch.autograd.grad(y.sum(), leaf)
    return grad.to(torch.float64)


def _bisect(fn: Fn, lo: torch.Tensor, hi: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Narrow every interval ``[lo, hi]`` down to the jump of the derivative, all at once."""
    d = _derivative_at(fn, torch.cat([lo, hi]))
    d_lo, d_hi = d[: lo.numel()], d[lo.numel() :]
    for _ in range(_BISECTIONS):
        mid = (lo + hi) / 2
        active = (mid != lo) & (mid != hi)
        if not bool(active.any()):
            break
        d_mid = _derivative_at(fn, mid)
        go_left = active & ((d_mid - d_lo).abs() > (d_hi - d_mid).abs())
        go_right = active & ~go_left
        hi = torch.where(go_left, mid, hi)
        d_hi = torch.where(go_left, d_mid, d_hi)
        lo = torch.where(go_right, mid, lo)
        d_lo = torch.where(go_right, d_mid, d_lo)
    return lo, hi


def kinks(fn: Fn, start: float, end: float, n: int = 1001) -> list[Kink]:
    """Find the points of ``[start, end]`` where ``fn``'s derivative jumps.

    The derivative is evaluated on a grid of ``n`` points in ``float64``; an
    interval where it changes by more than the second derivative allows is
    narrowed down by bisection, and kept if the one-sided derivatives really
    differ. At such a point autograd still returns a number, which is a
    convention of the backward formula, not a derivative.

    Args:
        fn: an elementwise function.
        start: the left end of the range.
        end: the right end, greater than ``start``; ``end - start`` must be a
            finite ``float64``.
        n: the number of grid points, from 3 to 20,001.

    Returns:
        The kinks, left to right; an empty list for a smooth function.

    Raises:
        TypeError: for a non-callable ``fn``, a non-number end or a non-integer ``n``.
        TensorNotesError: for an empty or overflowing range, an ``n`` out of
            bounds, or an ``fn`` that is not elementwise or not differentiable
            by autograd.

    Example:
        >>> import torch
        >>> kinks(torch.relu, -1, 1)
        [Kink(x=0.0, autograd=0.0, left=0.0, right=1.0)]
        >>> kinks(torch.abs, -1, 1)
        [Kink(x=0.0, autograd=0.0, left=-1.0, right=1.0)]
        >>> kinks(torch.sigmoid, -6, 6)
        []
    """
    check_callable(fn, "fn")
    a, b = interval(start, end, ("start", "end"))
    n = whole(n, "n", minimum=3, maximum=MAX_GRID)
    width = b - a
    xs = torch.linspace(a, b, n, dtype=torch.float64)
    leaf = xs.clone().requires_grad_(True)
    y = check_output(fn(leaf), leaf.shape, "fn", "x")
    _check_elementwise(fn, leaf, y)
    (d1,) = torch.autograd.grad(y.sum(), leaf, create_graph=True)
    if d1.requires_grad:
        (d2,) = torch.autograd.grad(d1.sum(), leaf)
    else:
        d2 = torch.zeros_like(xs)
    d1 = d1.detach().to(torch.float64)
    d2 = d2.detach().to(torch.float64)
    h = width / (n - 1)
    scale = 1.0 + float(d1[torch.isfinite(d1)].abs().max()) if torch.isfinite(d1).any() else 1.0
    curv = torch.maximum(d2[:-1].abs(), d2[1:].abs()).nan_to_num(0.0)
    jumps = (d1[1:] - d1[:-1]).abs()
    suspect = torch.nonzero((jumps > 4 * h * curv + 1e-6 * scale) & torch.isfinite(jumps))
    index = suspect.reshape(-1)
    if index.numel() == 0:
        return []
    lo, hi = _bisect(fn, xs[(index - 1).clamp(min=0)], xs[(index + 2).clamp(max=n - 1)])
    digits = 10 - math.floor(math.log10(width))
    centres = [round(c, digits) + 0.0 for c in ((lo + hi) / 2).tolist()]
    delta = width * 1e-9
    x0 = torch.tensor(centres, dtype=torch.float64)
    at, left, right = _derivative_at(fn, torch.cat([x0, x0 - delta, x0 + delta])).reshape(3, -1)
    found: list[Kink] = []
    for c, d_at, d_left, d_right in zip(
        centres, at.tolist(), left.tolist(), right.tolist(), strict=True
    ):
        # The centres come in grid order, so a repeat can only be one of the last kinks.
        if abs(d_right - d_left) > 1e-6 * scale and not any(
            abs(k.x - c) < 2 * h for k in found[-3:]
        ):
            found.append(Kink(c, d_at + 0.0, round(d_left, 9) + 0.0, round(d_right, 9) + 0.0))
    return found
