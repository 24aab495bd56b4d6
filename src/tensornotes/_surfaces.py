"""Functions of two (or more) variables: evaluating them, and their gradient on a grid.

A function of several variables takes one tensor per coordinate and is
elementwise, ``f(x, y) -> tensor``, so the same ``f`` evaluates a whole grid
at once (:func:`gradient_field`) or many points at once (Newton's method in
``tensornotes._stationary``). A function that ignores its input, or part of
it, is valid: autograd then sees no path, and the gradient there is zero.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from tensornotes._errors import TensorNotesError
from tensornotes._validation import check_callable, dense_tensor, limits, real, whole

__all__ = ["MAX_SIDE", "GradientField", "gradient_field", "himmelblau"]

Fn = Callable[..., torch.Tensor]

MAX_SIDE = 1001
"""The most grid points per axis of :func:`gradient_field` (a million points in all)."""


def _operand(value: object, name: str) -> torch.Tensor | float:
    if isinstance(value, torch.Tensor):
        return dense_tensor(value, name)
    return real(value, name)


def _scalar_dtype(t: torch.Tensor) -> torch.dtype:
    return torch.float64 if t.is_floating_point() or t.is_complex() else torch.get_default_dtype()


def himmelblau(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Himmelblau's function :math:`(x^2 + y - 11)^2 + (x + y^2 - 7)^2`, elementwise.

    A classic test surface with four minima, all with value 0, one maximum and
    four saddle points. ``x`` and ``y`` are tensors whose shapes broadcast, or
    real numbers (then the value is a ``float``, ``inf`` beyond ``float64``).

    Example:
        >>> import torch
        >>> himmelblau(torch.tensor([3.0, 0.0]), torch.tensor([2.0, 0.0]))
        tensor([  0., 170.])
    """
    a, b = _operand(x, "x"), _operand(y, "y")
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        pairs = zip(reversed(a.shape), reversed(b.shape), strict=False)
        if not all(m == n or 1 in (m, n) for m, n in pairs):
            raise TensorNotesError(
                f"x of shape {tuple(a.shape)} and y of shape {tuple(b.shape)} do not broadcast; "
                "give tensors of one shape, such as the two grids of torch.meshgrid."
            )
        if a.device != b.device:
            raise TensorNotesError(f"x is on {a.device} and y on {b.device}; use one device.")
    for t, name in ((a, "x"), (b, "y")):
        if isinstance(t, torch.Tensor) and t.dtype == torch.bool:
            raise TypeError(f"{name} is a bool tensor; pass numbers, e.g. {name}.float().")
    # A number beside a tensor becomes a 0-d tensor, so that squaring it cannot
    # overflow Python's float; the result has the dtype a Python number would give.
    if isinstance(a, torch.Tensor) and not isinstance(b, torch.Tensor):
        b = torch.tensor(b, dtype=_scalar_dtype(a), device=a.device)
    elif isinstance(b, torch.Tensor) and not isinstance(a, torch.Tensor):
        a = torch.tensor(a, dtype=_scalar_dtype(b), device=b.device)
    if not isinstance(a, torch.Tensor) and not isinstance(b, torch.Tensor):
        try:
            return (a**2 + b - 11) ** 2 + (a + b**2 - 7) ** 2  # type: ignore[return-value]
        except OverflowError:
            return float("inf")  # type: ignore[return-value]
    return (a**2 + b - 11) ** 2 + (a + b**2 - 7) ** 2  # type: ignore[return-value]


def values_of(
    f: Fn, coords: Sequence[torch.Tensor], shape: torch.Size, name: str = "f"
) -> torch.Tensor:
    """Evaluate ``f(*coords)`` and check that it is one real value per point.

    A number, or a one-element tensor with no autograd history, is a constant
    function and is spread over ``shape``.
    """
    out = f(*coords)
    if isinstance(out, numbers.Real) and not isinstance(out, bool):
        out = torch.tensor(float(out), dtype=coords[0].dtype, device=coords[0].device)
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"{name} must return a tensor, but it returned {type(out).__name__}.")
    if out.is_nested or out.layout != torch.strided or out.device.type == "meta":
        raise TypeError(f"{name} must return an ordinary dense tensor of numbers.")
    if out.is_complex():
        raise TypeError(f"{name} returned the complex dtype {out.dtype}; it must be real.")
    if not out.dtype.is_floating_point:
        out = out.to(coords[0].dtype)
    if out.shape != shape:
        if out.numel() == 1 and not out.requires_grad:
            return out.reshape(()).expand(shape)
        raise TensorNotesError(
            f"{name} returned shape {tuple(out.shape)} for a grid of shape {tuple(shape)}; "
            "write f(x, y) with elementwise operations so it works on whole grids."
        )
    return out


def grads_of(
    out: torch.Tensor, coords: Sequence[torch.Tensor], create_graph: bool = False
) -> list[torch.Tensor]:
    """The gradient of ``out.sum()`` with respect to each of ``coords``; zero where unused."""
    if not out.requires_grad:
        return [torch.zeros_like(c) for c in coords]
    return list(
        torch.autograd.grad(
            out.sum(),
            list(coords),
            create_graph=create_graph,
            allow_unused=True,
            materialize_grads=True,
        )
    )


@dataclass(frozen=True)
class GradientField:
    """Values and gradients of ``f(x, y)`` on a grid (``float64``, shape ``(n, n)``).

    ``x[i, j]`` and ``y[i, j]`` are the coordinates (``meshgrid`` with
    ``indexing="xy"``: ``x`` varies along columns), ``value`` is ``f`` there and
    ``grad_x``, ``grad_y`` are its partial derivatives.
    """

    x: torch.Tensor
    y: torch.Tensor
    value: torch.Tensor
    grad_x: torch.Tensor
    grad_y: torch.Tensor


def gradient_field(
    f: Fn, xlim: tuple[float, float], ylim: tuple[float, float], n: int = 21
) -> GradientField:
    """Evaluate ``f(x, y)`` and its gradient on an ``n`` by ``n`` grid.

    One backward pass of ``f(X, Y).sum()`` gives both partial derivatives at
    every grid point, because ``f`` is elementwise. Where ``f`` does not use
    ``x`` or ``y`` (a constant function, say), that partial derivative is 0.

    Args:
        f: an elementwise function of two tensors.
        xlim: ``(low, high)`` of x.
        ylim: ``(low, high)`` of y.
        n: points per axis, from 2 to 1,001.

    Returns:
        A :class:`GradientField`.

    Example:
        >>> field = gradient_field(lambda x, y: x**2 + 3 * y, (-1, 1), (0, 2), n=3)
        >>> field.x[0], field.y[:, 0]
        (tensor([-1.,  0.,  1.], dtype=torch.float64), tensor([0., 1., 2.], dtype=torch.float64))
        >>> field.grad_x[0], field.grad_y[0]
        (tensor([-2.,  0.,  2.], dtype=torch.float64), tensor([3., 3., 3.], dtype=torch.float64))
    """
    check_callable(f, "f")
    x0, x1 = limits(xlim, "xlim")
    y0, y1 = limits(ylim, "ylim")
    n = whole(n, "n", minimum=2, maximum=MAX_SIDE)
    gx, gy = torch.meshgrid(
        torch.linspace(x0, x1, n, dtype=torch.float64),
        torch.linspace(y0, y1, n, dtype=torch.float64),
        indexing="xy",
    )
    x = gx.clone().requires_grad_(True)
    y = gy.clone().requires_grad_(True)
    z = values_of(f, (x, y), x.shape)
    dx, dy = grads_of(z, (x, y))
    return GradientField(gx, gy, z.detach(), dx, dy)
