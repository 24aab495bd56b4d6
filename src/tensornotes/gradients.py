"""Derivatives, gradient fields, stationary points and descent trajectories, all from autograd.

Everything here is computed by PyTorch's autograd and :mod:`torch.optim`; no
derivative is typed in by hand. The computations return plain data (tensors,
small dataclasses); the ``plot_*`` functions and :meth:`DescentComparison.plot`
hand that data to the private module ``tensornotes._gradient_plots``, which is
the only place that imports matplotlib.

Functions of one variable are elementwise, ``fn(x) -> tensor of x's shape``.
Functions of several variables take one tensor per coordinate and are
elementwise too, ``f(x, y) -> tensor``, so the same ``f`` evaluates a whole
grid at once (:func:`gradient_field`) or a single point (:func:`descend`).
"""

from __future__ import annotations

import collections.abc
import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import torch

from tensornotes._errors import TensorNotesError

if TYPE_CHECKING:
    import matplotlib.axes
    import matplotlib.figure

__all__ = [
    "DescentComparison",
    "DescentRun",
    "GradientField",
    "Kink",
    "StationaryPoint",
    "Trajectory",
    "compare_descent",
    "derivative",
    "descend",
    "gradient_field",
    "himmelblau",
    "kinks",
    "plot_descent",
    "plot_function_and_grad",
    "plot_surface",
    "stationary_points",
]

Fn = Callable[..., torch.Tensor]

_OPTIMIZERS: dict[str, tuple[type[torch.optim.Optimizer], dict[str, Any]]] = {
    "adagrad": (torch.optim.Adagrad, {}),
    "adam": (torch.optim.Adam, {}),
    "adamw": (torch.optim.AdamW, {}),
    "momentum": (torch.optim.SGD, {"momentum": 0.9}),
    "nesterov": (torch.optim.SGD, {"momentum": 0.9, "nesterov": True}),
    "rmsprop": (torch.optim.RMSprop, {}),
    "sgd": (torch.optim.SGD, {}),
}


# --- argument checks ------------------------------------------------------------


def _check_callable(fn: object, name: str) -> None:
    if not callable(fn):
        raise TypeError(
            f"{name} must be a function of tensors, such as torch.sigmoid or "
            f"lambda x: x**2, but got {fn!r} of type {type(fn).__name__}."
        )


def _real(value: object, name: str) -> float:
    if isinstance(value, torch.Tensor):
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
            f"{name} must be a real number, but got {value!r} of type {type(value).__name__}."
        )
    number = float(value)
    if not math.isfinite(number):
        raise TensorNotesError(f"{name}={number!r} is not finite; a range needs finite ends.")
    return number


def _interval(lo: object, hi: object, names: tuple[str, str]) -> tuple[float, float]:
    a, b = _real(lo, names[0]), _real(hi, names[1])
    if not a < b:
        raise TensorNotesError(
            f"the range {names[0]}={a!r}, {names[1]}={b!r} is empty; "
            f"{names[1]} must be greater than {names[0]}."
        )
    return a, b


def _limits(lims: object, name: str) -> tuple[float, float]:
    if not isinstance(lims, Sequence) or isinstance(lims, str) or len(lims) != 2:
        raise TypeError(f"{name} must be a pair (low, high), but got {lims!r}.")
    return _interval(lims[0], lims[1], (f"{name}[0]", f"{name}[1]"))


def _positive_int(value: object, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be a whole number, but got {value!r} of type {type(value).__name__}."
        )
    if int(value) < minimum:
        raise TensorNotesError(f"{name}={int(value)} is too small; it must be at least {minimum}.")
    return int(value)


def _float_tensor(x: object, name: str) -> torch.Tensor:
    """Return ``x`` as a real floating-point tensor (Python numbers become float64)."""
    if isinstance(x, torch.Tensor):
        t = x
    else:
        try:
            t = torch.as_tensor(x)
        except (TypeError, ValueError, RuntimeError) as exc:
            raise TypeError(
                f"{name} must be a tensor or a list of numbers, but got {x!r}."
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


def _point(start: object, name: str) -> list[float]:
    if isinstance(start, torch.Tensor):
        if start.is_complex():
            raise TypeError(
                f"{name} has the complex dtype {start.dtype}; a point needs real numbers."
            )
        start = start.detach().cpu().reshape(-1).tolist()
    if isinstance(start, numbers.Number) and not isinstance(start, bool):
        start = [start]
    if not isinstance(start, Sequence) or isinstance(start, str) or len(start) == 0:
        raise TypeError(f"{name} must be a point such as (0.0, 0.0), but got {start!r}.")
    return [_real(v, f"{name}[{i}]") for i, v in enumerate(start)]


def _check_output(y: object, shape: torch.Size, fn_name: str, x_name: str) -> torch.Tensor:
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


# --- functions of one variable --------------------------------------------------------


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
    mixed = not isinstance(alone, torch.Tensor) or alone.shape != sample.shape
    if not mixed:
        mixed = not torch.allclose(alone, expected, rtol=rtol, atol=rtol, equal_nan=True)
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
        TypeError: if ``fn`` is not callable or ``x`` is complex or not floating point.
        TensorNotesError: if ``x`` is empty, ``fn`` is not elementwise, or
            ``fn``'s output is not connected to ``x`` by autograd.

    Example:
        >>> import torch
        >>> derivative(lambda x: x**2, torch.arange(4.0))
        tensor([0., 2., 4., 6.])
        >>> derivative(torch.sigmoid, [0.0])
        tensor([0.2500], dtype=torch.float64)
        >>> derivative(torch.relu, torch.tensor([-1.0, 0.0, 1.0]))   # 0 at 0: a convention
        tensor([0., 0., 1.])
    """
    _check_callable(fn, "fn")
    t = _float_tensor(x, "x")
    leaf = t.detach().clone().requires_grad_(True)
    y = _check_output(fn(leaf), leaf.shape, "fn", "x")
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


def _derivative_at(fn: Fn, xs: Sequence[float]) -> list[float]:
    return [float(v) for v in derivative(fn, torch.tensor(list(xs), dtype=torch.float64))]


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
        end: the right end, greater than ``start``.
        n: the number of grid points.

    Returns:
        The kinks, left to right; an empty list for a smooth function.

    Example:
        >>> import torch
        >>> kinks(torch.relu, -1, 1)
        [Kink(x=0.0, autograd=0.0, left=0.0, right=1.0)]
        >>> kinks(torch.abs, -1, 1)
        [Kink(x=0.0, autograd=0.0, left=-1.0, right=1.0)]
        >>> kinks(torch.sigmoid, -6, 6)
        []
    """
    _check_callable(fn, "fn")
    a, b = _interval(start, end, ("start", "end"))
    n = _positive_int(n, "n", minimum=3)
    width = b - a
    xs = torch.linspace(a, b, n, dtype=torch.float64)
    leaf = xs.clone().requires_grad_(True)
    y = _check_output(fn(leaf), leaf.shape, "fn", "x")
    _check_elementwise(fn, leaf, y)
    (d1,) = torch.autograd.grad(y.sum(), leaf, create_graph=True)
    if d1.requires_grad:
        (d2,) = torch.autograd.grad(d1.sum(), leaf)
    else:
        d2 = torch.zeros_like(xs)
    d1 = d1.detach()
    h = width / (n - 1)
    scale = 1.0 + float(d1[torch.isfinite(d1)].abs().max()) if torch.isfinite(d1).any() else 1.0
    curv = torch.maximum(d2[:-1].abs(), d2[1:].abs()).nan_to_num(0.0)
    jumps = (d1[1:] - d1[:-1]).abs()
    suspect = (jumps > 4 * h * curv + 1e-6 * scale) & torch.isfinite(jumps)
    found: list[Kink] = []
    digits = 10 - math.floor(math.log10(width))
    for i in torch.nonzero(suspect).reshape(-1).tolist():
        lo, hi = float(xs[max(i - 1, 0)]), float(xs[min(i + 2, n - 1)])
        d_lo, d_hi = _derivative_at(fn, [lo, hi])
        for _ in range(80):
            mid = (lo + hi) / 2
            if mid in (lo, hi):
                break
            (d_mid,) = _derivative_at(fn, [mid])
            if abs(d_mid - d_lo) > abs(d_hi - d_mid):
                hi, d_hi = mid, d_mid
            else:
                lo, d_lo = mid, d_mid
        x0 = round((lo + hi) / 2, digits) + 0.0
        delta = width * 1e-9
        at, left, right = _derivative_at(fn, [x0, x0 - delta, x0 + delta])
        if abs(right - left) > 1e-6 * scale and not any(abs(k.x - x0) < 2 * h for k in found):
            found.append(Kink(x0, at + 0.0, round(left, 9) + 0.0, round(right, 9) + 0.0))
    return found


def plot_function_and_grad(
    fn: collections.abc.Callable[..., torch.Tensor],
    start: float,
    end: float,
    ax: matplotlib.axes.Axes | None = None,
    closed_form: collections.abc.Callable[..., torch.Tensor] | None = None,
    n: int = 401,
    label: str = "f",
) -> matplotlib.axes.Axes:
    """Draw ``fn`` and its autograd derivative over ``[start, end]``.

    The closed-form derivative, if given, is drawn dashed on top, so any
    disagreement shows. Kinks (see :func:`kinks`) are marked with the value
    autograd chose there.

    Args:
        fn: an elementwise function.
        start: the left end of the range.
        end: the right end, greater than ``start``.
        ax: the matplotlib Axes to draw into; a new figure when ``None``.
        closed_form: the derivative written by hand, elementwise.
        n: the number of points drawn.
        label: the function's name in the legend.

    Returns:
        The Axes drawn into.

    Example:
        >>> import torch
        >>> ax = plot_function_and_grad(torch.relu, -2, 2, label="relu")
        >>> ax.get_legend_handles_labels()[1]
        ['relu', "relu' (autograd)"]
        >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    _check_callable(fn, "fn")
    if closed_form is not None:
        _check_callable(closed_form, "closed_form")
    a, b = _interval(start, end, ("start", "end"))
    n = _positive_int(n, "n", minimum=3)
    xs = torch.linspace(a, b, n, dtype=torch.float64)
    with torch.no_grad():
        ys = fn(xs)
        exact = None if closed_form is None else closed_form(xs)
    grads = derivative(fn, xs)
    from tensornotes import _gradient_plots

    return _gradient_plots.function_and_grad(
        ax, xs, ys, grads, exact, kinks(fn, a, b, max(n, 1001)), label
    )


# --- functions of two (or more) variables --------------------------------------------


def himmelblau(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Himmelblau's function :math:`(x^2 + y - 11)^2 + (x + y^2 - 7)^2`, elementwise.

    A classic test surface with four minima, all with value 0, one maximum and
    four saddle points.

    Example:
        >>> import torch
        >>> himmelblau(torch.tensor([3.0, 0.0]), torch.tensor([2.0, 0.0]))
        tensor([  0., 170.])
    """
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


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


def _grid_values(f: Fn, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    out = f(x, y)
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"f must return a tensor, but it returned {type(out).__name__}.")
    if out.shape != x.shape:
        raise TensorNotesError(
            f"f returned shape {tuple(out.shape)} for a grid of shape {tuple(x.shape)}; "
            "write f(x, y) with elementwise operations so it works on whole grids."
        )
    return out


def gradient_field(
    f: Fn, xlim: tuple[float, float], ylim: tuple[float, float], n: int = 21
) -> GradientField:
    """Evaluate ``f(x, y)`` and its gradient on an ``n`` by ``n`` grid.

    One backward pass of ``f(X, Y).sum()`` gives both partial derivatives at
    every grid point, because ``f`` is elementwise.

    Args:
        f: an elementwise function of two tensors.
        xlim: ``(low, high)`` of x.
        ylim: ``(low, high)`` of y.
        n: points per axis, at least 2.

    Returns:
        A :class:`GradientField`.

    Example:
        >>> field = gradient_field(lambda x, y: x**2 + 3 * y, (-1, 1), (0, 2), n=3)
        >>> field.x[0], field.y[:, 0]
        (tensor([-1.,  0.,  1.], dtype=torch.float64), tensor([0., 1., 2.], dtype=torch.float64))
        >>> field.grad_x[0], field.grad_y[0]
        (tensor([-2.,  0.,  2.], dtype=torch.float64), tensor([3., 3., 3.], dtype=torch.float64))
    """
    _check_callable(f, "f")
    x0, x1 = _limits(xlim, "xlim")
    y0, y1 = _limits(ylim, "ylim")
    n = _positive_int(n, "n", minimum=2)
    gx, gy = torch.meshgrid(
        torch.linspace(x0, x1, n, dtype=torch.float64),
        torch.linspace(y0, y1, n, dtype=torch.float64),
        indexing="xy",
    )
    x = gx.clone().requires_grad_(True)
    y = gy.clone().requires_grad_(True)
    z = _grid_values(f, x, y)
    dx, dy = torch.autograd.grad(z.sum(), (x, y), allow_unused=True, materialize_grads=True)
    return GradientField(gx, gy, z.detach(), dx, dy)


def plot_surface(
    f: collections.abc.Callable[..., torch.Tensor],
    xlim: tuple[float, float] = (-5.0, 5.0),
    ylim: tuple[float, float] = (-5.0, 5.0),
    n: int = 101,
    ax: matplotlib.axes.Axes | None = None,
    quiver: bool = True,
    surface: bool = False,
    arrows: int = 15,
) -> matplotlib.axes.Axes:
    """Draw a contour plot of ``f(x, y)`` with its gradient as arrows, or a 3-D surface.

    Each arrow points along the gradient, the direction of steepest ascent,
    and is perpendicular to the contour line through its foot.

    Args:
        f: an elementwise function of two tensors.
        xlim: ``(low, high)`` of x.
        ylim: ``(low, high)`` of y.
        n: grid points per axis for the contours or the surface.
        ax: the Axes to draw into (a 3-D one when ``surface=True``); new when ``None``.
        quiver: draw the gradient arrows (contour plot only).
        surface: draw a 3-D surface instead of contours.
        arrows: arrows per axis.

    Returns:
        The Axes drawn into.

    Example:
        >>> ax = plot_surface(lambda x, y: x**2 + y**2, (-1, 1), (-1, 1), n=11, arrows=5)
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('x', 'y')
        >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    fine = gradient_field(f, xlim, ylim, n)
    coarse = gradient_field(f, xlim, ylim, _positive_int(arrows, "arrows", 2)) if quiver else None
    from tensornotes import _gradient_plots

    return _gradient_plots.surface(ax, fine, coarse, surface)


@dataclass(frozen=True)
class StationaryPoint:
    """A point where the gradient vanishes, classified by its Hessian.

    Attributes:
        point: the coordinates.
        value: ``f`` there.
        kind: ``"minimum"`` (all Hessian eigenvalues positive), ``"maximum"``
            (all negative), ``"saddle"`` (both signs) or ``"degenerate"``
            (a zero eigenvalue: the second-derivative test cannot tell).
        eigenvalues: the Hessian's eigenvalues, ascending.
    """

    point: tuple[float, ...]
    value: float
    kind: str
    eigenvalues: tuple[float, ...]


def _starts_tensor(starts: object) -> torch.Tensor:
    if isinstance(starts, torch.Tensor):
        t = _float_tensor(starts, "starts").detach().to(torch.float64)
    else:
        if not isinstance(starts, Sequence) or isinstance(starts, str) or len(starts) == 0:
            raise TypeError(
                f"starts must be a list of points such as [(0, 0), (1, -1)], got {starts!r}."
            )
        rows = [_point(s, f"starts[{i}]") for i, s in enumerate(starts)]
        if len({len(r) for r in rows}) != 1:
            raise TensorNotesError(
                "starts mixes points of different dimensions; give them all the same length."
            )
        t = torch.tensor(rows, dtype=torch.float64)
    if t.dim() == 1:
        t = t.reshape(-1, 1)
    if t.dim() != 2:
        raise TensorNotesError(
            f"starts must have shape (k, d), but it has shape {tuple(t.shape)}."
        )
    return t


def _classify(eig: torch.Tensor) -> str:
    tol = 1e-8 * max(1.0, float(eig.abs().max()))
    if bool((eig.abs() <= tol).any()):
        return "degenerate"
    if bool((eig > 0).all()):
        return "minimum"
    if bool((eig < 0).all()):
        return "maximum"
    return "saddle"


_KIND_ORDER = {"minimum": 0, "maximum": 1, "saddle": 2, "degenerate": 3}


def stationary_points(
    f: Fn, starts: object, tol: float = 1e-9, max_iter: int = 100
) -> list[StationaryPoint]:
    """Find the stationary points that Newton's method reaches from ``starts``, and classify them.

    From every start at once, Newton's method is applied to the gradient,
    :math:`p \\leftarrow p - H^{-1} \\nabla f` in ``float64``, which converges to
    minima, maxima and saddles alike. Each point where the gradient norm falls
    below ``tol`` is kept once, and classified from the eigenvalues of the
    Hessian that :func:`torch.autograd.functional.hessian` computes there.

    Args:
        f: an elementwise function of ``d`` tensors, ``f(x, y)`` for ``d = 2``.
        starts: ``k`` starting points: a list of pairs or a ``(k, d)`` tensor.
        tol: the gradient norm below which a point counts as stationary.
        max_iter: Newton steps per start.

    Returns:
        The distinct stationary points found, minima first, then maxima,
        saddles and degenerate points, each group sorted by coordinates.

    Example:
        >>> [(p.point, p.kind) for p in stationary_points(lambda x, y: x**2 - y**2, [(1.0, 2.0)])]
        [((0.0, 0.0), 'saddle')]
    """
    _check_callable(f, "f")
    p = _starts_tensor(starts)
    d = p.shape[1]
    max_iter = _positive_int(max_iter, "max_iter")
    for _ in range(max_iter):
        coords = [p[:, i].clone().requires_grad_(True) for i in range(d)]
        value = f(*coords)
        grads = torch.autograd.grad(value.sum(), coords, create_graph=True)
        hess = torch.stack(
            [
                torch.stack(
                    torch.autograd.grad(
                        g.sum(), coords, retain_graph=True, materialize_grads=True
                    ),
                    dim=-1,
                )
                for g in grads
            ],
            dim=-2,
        ).detach()
        g = torch.stack([gi.detach() for gi in grads], dim=-1)
        step = torch.linalg.lstsq(hess, g.unsqueeze(-1)).solution.squeeze(-1)
        p = (p - step).nan_to_num(nan=math.inf)
        # Stop on the step size, not the gradient: at a degenerate point (y**4)
        # Newton converges only linearly, and a small gradient comes long before
        # the point itself.
        settled = (step.norm(dim=-1) <= 1e-12 * (1 + p.norm(dim=-1))) | ~torch.isfinite(p).all(
            dim=-1
        )
        if bool(settled.all()):
            break

    def scalar_f(v: torch.Tensor) -> torch.Tensor:
        return f(*v.unbind())

    found: list[StationaryPoint] = []
    for row in p:
        if not bool(torch.isfinite(row).all()):
            continue
        leaf = row.clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(scalar_f(leaf), leaf)
        if float(grad.norm()) >= tol:
            continue
        if any(
            max(abs(a - b) for a, b in zip(s.point, row.tolist(), strict=True))
            < 1e-6 * (1 + max(abs(c) for c in s.point))
            for s in found
        ):
            continue
        hess = torch.autograd.functional.hessian(scalar_f, row)  # type: ignore[no-untyped-call]
        eig = torch.linalg.eigvalsh(hess)
        found.append(
            StationaryPoint(
                tuple(float(c) + 0.0 for c in row),
                float(scalar_f(row)),
                _classify(eig),
                tuple(float(e) for e in eig),
            )
        )
    return sorted(found, key=lambda s: (_KIND_ORDER[s.kind], s.point))


# --- gradient descent -------------------------------------------------------------------


def _optimizer(optimizer: object) -> tuple[type[torch.optim.Optimizer], dict[str, Any]]:
    if isinstance(optimizer, str):
        key = optimizer.strip().lower()
        if key not in _OPTIMIZERS:
            names = ", ".join(repr(k) for k in _OPTIMIZERS)
            raise TensorNotesError(
                f"optimizer={optimizer!r} is not an optimizer tensornotes knows; use one of "
                f"{names}, or pass a torch.optim.Optimizer subclass such as torch.optim.SGD."
            )
        return _OPTIMIZERS[key]
    if isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer):
        return optimizer, {}
    raise TypeError(
        "optimizer must be a name such as 'sgd' or a torch.optim.Optimizer subclass, "
        f"but got {optimizer!r} of type {type(optimizer).__name__}."
    )


@dataclass(frozen=True, repr=False)
class Trajectory:
    """The path of one optimizer run.

    Attributes:
        positions: ``(k + 1, d)``: the start, then the position after each of the ``k`` steps.
        losses: ``(k + 1,)``: ``f`` at each position.
        optimizer: the optimizer's class name.
        settings: the hyper-parameters passed to it (``lr``, ``momentum``, ...).
        diverged_at: the step after which the position or loss stopped being
            finite or left the bound, or ``None`` if the run stayed sane.
    """

    positions: torch.Tensor
    losses: torch.Tensor
    optimizer: str
    settings: dict[str, Any] = field(default_factory=dict)
    diverged_at: int | None = None

    @property
    def steps(self) -> int:
        """The number of optimizer steps taken."""
        return self.positions.shape[0] - 1

    @property
    def final(self) -> tuple[float, ...]:
        """The last position, as floats."""
        return tuple(float(v) for v in self.positions[-1])

    def __repr__(self) -> str:
        end = ", ".join(f"{round(v, 4) + 0.0:.4f}" for v in self.final)
        extra = "" if self.diverged_at is None else f", diverged_at={self.diverged_at}"
        return (
            f"Trajectory({self.optimizer} {self.settings}, steps={self.steps}, "
            f"final=({end}), loss={float(self.losses[-1]):.4g}{extra})"
        )


def descend(
    f: Fn,
    start: object,
    optimizer: str | type[torch.optim.Optimizer] = "sgd",
    lr: float = 0.01,
    steps: int = 100,
    *,
    dtype: torch.dtype = torch.float32,
    bound: float | None = None,
    device: torch.device | str | None = None,
    **kwargs: Any,
) -> Trajectory:
    """Minimise ``f`` from ``start`` with a real :mod:`torch.optim` optimizer; record every step.

    The loop is the one you would write by hand: ``zero_grad``, evaluate
    ``f(*p)``, ``backward``, ``step``. The run stops early, and says at which
    step, when it diverges: a position or loss that is not finite (it
    overflowed), or a coordinate beyond ``bound``.

    Args:
        f: an elementwise function of ``d`` tensors, called as ``f(*p)`` on
            the ``d`` coordinates of the position ``p``.
        start: the starting point, a number or ``d`` numbers.
        optimizer: ``'sgd'``, ``'momentum'`` (SGD with momentum 0.9),
            ``'nesterov'``, ``'adam'``, ``'adamw'``, ``'rmsprop'``, ``'adagrad'``,
            or any :class:`torch.optim.Optimizer` subclass.
        lr: the learning rate.
        steps: the number of optimizer steps, at least 1.
        dtype: the dtype of the position; ``float32`` is PyTorch's default.
        bound: stop when a coordinate's absolute value exceeds it.
        device: where the position lives (the CPU when ``None``).
        **kwargs: more optimizer settings, such as ``momentum=0.9``.

    Returns:
        A :class:`Trajectory`.

    Raises:
        TypeError: for a non-callable ``f``, a non-number start, a non-integer
            ``steps`` or an optimizer that is neither a name nor a class.
        TensorNotesError: for ``steps <= 0``, an unknown optimizer name, or an
            ``f`` that does not return one number.

    Example:
        >>> run = descend(lambda x: x**2, start=1.0, lr=0.25, steps=3)
        >>> run.positions.reshape(-1)
        tensor([1.0000, 0.5000, 0.2500, 0.1250])
        >>> run.losses
        tensor([1.0000, 0.2500, 0.0625, 0.0156])
        >>> run = descend(lambda x: x**2, start=1.0, lr=1.5, steps=500)   # x -> -2x
        >>> run.diverged_at, run.final, run.losses[-1]      # x**2 overflows float32
        (64, (1.8446744073709552e+19,), tensor(inf))
    """
    _check_callable(f, "f")
    point = _point(start, "start")
    steps = _positive_int(steps, "steps")
    cls, defaults = _optimizer(optimizer)
    if not (isinstance(dtype, torch.dtype) and dtype.is_floating_point):
        raise TypeError(f"dtype must be a real floating-point torch.dtype, but got {dtype!r}.")
    limit = math.inf if bound is None else _real(bound, "bound")
    settings = {**defaults, **kwargs}
    p = torch.tensor(point, dtype=dtype, device=device, requires_grad=True)
    opt = cls([p], **{"lr": lr, **settings})
    positions = [p.detach().clone()]
    losses: list[float] = []
    diverged_at: int | None = None
    for k in range(steps):
        opt.zero_grad()
        loss = f(*p)
        if k == 0 and (not isinstance(loss, torch.Tensor) or loss.numel() != 1):
            raise TensorNotesError(
                f"f must return one number at a point, but f{tuple(point)} returned "
                f"{loss!r}; descend minimises a scalar function."
            )
        losses.append(loss.item())
        if not math.isfinite(losses[-1]):
            diverged_at = k
            break
        loss.backward()  # type: ignore[no-untyped-call]
        opt.step()
        now = p.detach().clone()
        positions.append(now)
        largest = float(now.abs().max())
        if not (math.isfinite(largest) and largest <= limit):
            diverged_at = k + 1
            with torch.no_grad():
                losses.append(f(*now).item())
            break
    else:
        with torch.no_grad():
            losses.append(f(*p.detach()).item())
        if not math.isfinite(losses[-1]):
            diverged_at = steps
    return Trajectory(
        torch.stack(positions),
        torch.tensor(losses, dtype=dtype, device=p.device),
        cls.__name__,
        {"lr": lr, **settings},
        diverged_at,
    )


def plot_descent(
    f: collections.abc.Callable[..., torch.Tensor],
    trajectories: Sequence[Trajectory],
    ax: matplotlib.axes.Axes | None = None,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    labels: Sequence[str] | None = None,
) -> matplotlib.axes.Axes:
    """Draw descent paths over the contours of ``f(x, y)`` (or over the curve of ``f(x)``).

    Args:
        f: the function the runs minimised, of one or two variables.
        trajectories: the runs, all of the same dimension (1 or 2).
        ax: the Axes to draw into; new when ``None``.
        xlim: the x range drawn; by default it covers the finite positions.
        ylim: the y range drawn (two variables only).
        labels: one legend label per run; by default the optimizer and its settings.

    Returns:
        The Axes drawn into.

    Example:
        >>> run = descend(lambda x, y: x**2 + 4 * y**2, (2.0, 1.0), lr=0.1, steps=20)
        >>> ax = plot_descent(lambda x, y: x**2 + 4 * y**2, [run])
        >>> ax.get_legend_handles_labels()[1]
        ['SGD(lr=0.1)']
        >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    _check_callable(f, "f")
    runs = list(trajectories)
    if not runs or not all(isinstance(r, Trajectory) for r in runs):
        raise TypeError(
            "trajectories must be a non-empty list of Trajectory objects from descend."
        )
    dims = {r.positions.shape[1] for r in runs}
    if len(dims) != 1 or not dims <= {1, 2}:
        raise TensorNotesError(
            f"plot_descent draws runs in 1 or 2 dimensions, got dimensions {sorted(dims)}."
        )
    names = list(labels) if labels is not None else [_run_label(r) for r in runs]
    if len(names) != len(runs):
        raise TensorNotesError(f"labels has {len(names)} entries for {len(runs)} trajectories.")
    box = _view(runs, xlim, ylim)
    from tensornotes import _gradient_plots

    if dims == {1}:
        xs = torch.linspace(box[0][0], box[0][1], 400, dtype=torch.float64)
        with torch.no_grad():
            curve = f(xs)
        return _gradient_plots.descent_1d(ax, xs, curve, runs, names)
    field_ = gradient_field(f, box[0], box[1], 101)
    return _gradient_plots.descent_2d(ax, field_, runs, names)


def _run_label(run: Trajectory) -> str:
    settings = ", ".join(f"{k}={v}" for k, v in run.settings.items())
    tail = "" if run.diverged_at is None else f", diverged at step {run.diverged_at}"
    return f"{run.optimizer}({settings}){tail}"


def _view(
    runs: Sequence[Trajectory],
    xlim: tuple[float, float] | None,
    ylim: tuple[float, float] | None,
) -> tuple[tuple[float, float], tuple[float, float]]:
    pts = torch.cat([r.positions.detach().cpu().to(torch.float64) for r in runs])
    pts = pts[torch.isfinite(pts).all(dim=1)]
    lo, hi = pts.min(dim=0).values, pts.max(dim=0).values
    pad = (hi - lo).clamp(min=1.0) * 0.15
    auto = [(float(a), float(b)) for a, b in zip(lo - pad, hi + pad, strict=True)]
    x = _limits(xlim, "xlim") if xlim is not None else auto[0]
    y = _limits(ylim, "ylim") if ylim is not None else (auto[1] if len(auto) > 1 else (0.0, 1.0))
    return x, y


@dataclass(frozen=True)
class DescentRun:
    """One run of :func:`compare_descent`: its settings, its path and what came of it.

    Attributes:
        start: the starting point.
        lr: the learning rate.
        momentum: the momentum.
        trajectory: the recorded path.
        outcome: ``"converged"``, ``"diverged"`` or ``"no convergence"``
            (still moving, or oscillating, after the last step).
    """

    start: tuple[float, ...]
    lr: float
    momentum: float
    trajectory: Trajectory
    outcome: str

    def describe(self) -> str:
        """One line: where the run ended, or when it diverged."""
        t = self.trajectory
        if self.outcome == "diverged":
            return f"diverges at step {t.diverged_at}"
        end = ", ".join(f"{round(v, 4) + 0.0:.4f}" for v in t.final)
        if self.outcome == "converged":
            return f"reaches ({end})"
        return (
            f"no convergence after {t.steps} steps, at ({end}) with loss {float(t.losses[-1]):.4g}"
        )


@dataclass(frozen=True)
class DescentComparison:
    """The runs of :func:`compare_descent`; ``str()`` gives a table, :meth:`plot` a figure."""

    f: Fn
    runs: tuple[DescentRun, ...]
    lrs: tuple[float, ...]
    momenta: tuple[float, ...]

    def __str__(self) -> str:
        lines = [f"{'start':<16}{'lr':<8}{'momentum':<10}outcome"]
        for r in self.runs:
            start = "(" + ", ".join(f"{v:g}" for v in r.start) + ")"
            lines.append(f"{start:<16}{r.lr:<8g}{r.momentum:<10g}{r.describe()}")
        return "\n".join(lines)

    def plot(
        self,
        xlim: tuple[float, float] = (-5.0, 5.0),
        ylim: tuple[float, float] = (-5.0, 5.0),
    ) -> matplotlib.figure.Figure:
        """Draw one panel per (learning rate, momentum), with the path from every start.

        Paths are coloured by the point they end at; diverged runs end in a
        red cross at their last position inside the view.

        Example:
            >>> bowl = lambda x, y: x**2 + y**2
            >>> cmp = compare_descent(bowl, [(1.0, 1.0)], lrs=[0.1, 1.1], steps=5)
            >>> fig = cmp.plot()
            >>> len(fig.axes)
            2
            >>> import matplotlib.pyplot as plt; plt.close(fig)
        """
        from tensornotes import _gradient_plots

        field_ = gradient_field(self.f, xlim, ylim, 101)
        return _gradient_plots.comparison(field_, self.runs, self.lrs, self.momenta)


def compare_descent(
    f: Fn,
    starts: object,
    lrs: Sequence[float] = (0.01,),
    momenta: Sequence[float] = (0.0,),
    steps: int = 200,
    *,
    dtype: torch.dtype = torch.float32,
    bound: float | None = None,
    tol: float = 1e-3,
) -> DescentComparison:
    """Run SGD from every start, with every learning rate and momentum, and say what each run did.

    A run has *converged* when its last step moved less than ``tol`` and the
    gradient there is smaller than ``tol``; it has *diverged* as in
    :func:`descend`; otherwise it is still moving or oscillating.

    Args:
        f: an elementwise function of ``d`` tensors.
        starts: the starting points.
        lrs: the learning rates.
        momenta: the momenta (0 is plain SGD).
        steps: steps per run.
        dtype: the dtype of the runs.
        bound: as in :func:`descend`.
        tol: the convergence tolerance.

    Returns:
        A :class:`DescentComparison`, runs ordered by start, then learning
        rate, then momentum.

    Example:
        >>> bowl = lambda x, y: x**2 + y**2
        >>> print(compare_descent(bowl, [(1.0, 1.0)], lrs=[0.1, 1.0, 1.5], steps=100))
        start           lr      momentum  outcome
        (1, 1)          0.1     0         reaches (0.0000, 0.0000)
        (1, 1)          1       0         no convergence after 100 steps, at (1.0000, 1.0000) ...
        (1, 1)          1.5     0         diverges at step 64
    """
    _check_callable(f, "f")
    points = [tuple(row.tolist()) for row in _starts_tensor(starts)]
    lr_list = [_real(v, f"lrs[{i}]") for i, v in enumerate(lrs)]
    mom_list = [_real(v, f"momenta[{i}]") for i, v in enumerate(momenta)]
    if not lr_list or not mom_list:
        raise TensorNotesError("lrs and momenta must each hold at least one value.")
    runs = []
    for s in points:
        for lr in lr_list:
            for m in mom_list:
                traj = descend(f, s, "sgd", lr, steps, dtype=dtype, bound=bound, momentum=m)
                runs.append(DescentRun(s, lr, m, traj, _outcome(f, traj, tol)))
    return DescentComparison(f, tuple(runs), tuple(lr_list), tuple(mom_list))


def _outcome(f: Fn, run: Trajectory, tol: float) -> str:
    if run.diverged_at is not None:
        return "diverged"
    last = run.positions[-1].clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(f(*last), last)
    moved = float((run.positions[-1] - run.positions[-2]).norm())
    return "converged" if moved < tol and float(grad.norm()) < tol else "no convergence"
