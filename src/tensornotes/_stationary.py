"""Stationary points by Newton's method on the gradient, classified by the Hessian.

Newton's method runs from every start at once: the starts are the rows of one
``(k, d)`` tensor, ``f`` is evaluated on its columns, and autograd gives the
gradient and the Hessian of every row in ``d + 1`` backward passes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from tensornotes._errors import TensorNotesError
from tensornotes._surfaces import grads_of, values_of
from tensornotes._validation import check_callable, points, real, whole

__all__ = ["MAX_DIMS", "MAX_ITER", "MAX_STARTS", "StationaryPoint", "stationary_points"]

Fn = Callable[..., torch.Tensor]

MAX_STARTS = 1_000
"""The most starting points one :func:`stationary_points` call takes."""
MAX_DIMS = 10
"""The most coordinates of a start."""
MAX_ITER = 500
"""The most Newton steps per start."""
_MAX_WORK = 100_000
"""The most Newton steps of one call, all starts together."""


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


def _derivatives(f: Fn, p: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``f``, its gradient ``(m, d)`` and its Hessian ``(m, d, d)`` at the rows of ``p``."""
    d = p.shape[1]
    coords = [p[:, i].clone().requires_grad_(True) for i in range(d)]
    value = values_of(f, coords, p.shape[:1])
    grads = grads_of(value, coords, create_graph=True)
    rows = []
    for g in grads:
        if g.requires_grad:
            second = torch.autograd.grad(
                g.sum(), coords, retain_graph=True, allow_unused=True, materialize_grads=True
            )
        else:
            second = tuple(torch.zeros_like(c) for c in coords)
        rows.append(torch.stack([s.detach() for s in second], dim=-1))
    hess = torch.stack(rows, dim=-2).to(torch.float64)
    grad = torch.stack([g.detach() for g in grads], dim=-1).to(torch.float64)
    return value.detach().to(torch.float64), grad, hess


def _newton(f: Fn, p: torch.Tensor, max_iter: int) -> torch.Tensor:
    """Run Newton's method on the gradient from every row of ``p``; a lost row becomes inf."""
    active = torch.ones(p.shape[0], dtype=torch.bool)
    for _ in range(max_iter):
        idx = torch.nonzero(active).reshape(-1)
        if idx.numel() == 0:
            break
        q = p[idx]
        _, g, hess = _derivatives(f, q)
        sane = torch.isfinite(g).all(dim=-1) & torch.isfinite(hess).all(dim=-1).all(dim=-1)
        step = torch.zeros_like(q)
        if bool(sane.any()):
            solved = torch.linalg.lstsq(hess[sane], g[sane].unsqueeze(-1)).solution
            step[sane] = solved.squeeze(-1)
        new = (q - step).nan_to_num(nan=math.inf)
        new[~sane] = math.inf
        p[idx] = new
        # Stop on the step size, not the gradient: at a degenerate point (y**4)
        # Newton converges only linearly, and a small gradient comes long before
        # the point itself.
        settled = (step.norm(dim=-1) <= 1e-12 * (1 + new.norm(dim=-1))) | ~torch.isfinite(new).all(
            dim=-1
        )
        active[idx[settled]] = False
    return p


def _first_of_each(p: torch.Tensor) -> torch.Tensor:
    """Mark the rows of ``p`` that no earlier row equals within a relative 1e-6.

    The rows are sorted along the coordinate with the most distinct values,
    so that only neighbours in that order need comparing: a sweep over
    growing offsets stops once the sorted coordinate alone is further apart
    than any tolerance.
    """
    k = p.shape[0]
    scale = 1e-6 * (1 + p.abs().amax(dim=1))
    reach = float(scale.max()) if k else 0.0
    spread = [int(torch.unique(torch.round(p[:, c] / reach)).numel()) for c in range(p.shape[1])]
    axis = max(range(p.shape[1]), key=spread.__getitem__)
    order = torch.argsort(p[:, axis], stable=True)
    q, scale_q, along = p[order], scale[order], p[order, axis]
    drop = torch.zeros(k, dtype=torch.bool)
    for offset in range(1, k):
        near = (along[offset:] - along[:-offset]) < reach
        if not bool(near.any()):
            break
        gap = (q[offset:] - q[:-offset]).abs().amax(dim=1)
        a, b = order[:-offset], order[offset:]
        first_is_a = a < b
        tol = torch.where(first_is_a, scale_q[:-offset], scale_q[offset:])
        close = near & (gap < tol)
        drop[torch.where(first_is_a, b, a)[close]] = True
    return ~drop


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
    Hessian that autograd computes there.

    A linear function with a nonzero gradient has no stationary point, so the
    result is empty. A constant function is stationary everywhere: each
    distinct start comes back as a ``"degenerate"`` point (its Hessian is 0).

    Args:
        f: an elementwise function of ``d`` tensors, ``f(x, y)`` for ``d = 2``.
        starts: ``k`` finite starting points: a list of pairs or a ``(k, d)``
            tensor; at most 1,000 points of at most 10 coordinates.
        tol: the gradient norm below which a point counts as stationary, positive.
        max_iter: Newton steps per start, from 1 to 500, and at most
            100,000 for all starts together (1,000 starts of 100 steps).

    Returns:
        The distinct stationary points found, minima first, then maxima,
        saddles and degenerate points, each group sorted by coordinates.

    Raises:
        TypeError: for a non-callable ``f``, or arguments of the wrong type.
        TensorNotesError: for empty or non-finite starts, arguments out of
            range, or an ``f`` that is not elementwise.

    Example:
        >>> [(p.point, p.kind) for p in stationary_points(lambda x, y: x**2 - y**2, [(1.0, 2.0)])]
        [((0.0, 0.0), 'saddle')]
        >>> stationary_points(lambda x, y: x + 2 * y, [(1.0, 2.0)])
        []
    """
    check_callable(f, "f")
    start = points(starts, "starts", MAX_STARTS, MAX_DIMS)
    tol = real(tol, "tol")
    if tol <= 0:
        raise TensorNotesError(f"tol={tol!r} must be positive: the largest gradient norm kept.")
    max_iter = whole(max_iter, "max_iter", maximum=MAX_ITER)
    if start.shape[0] * max_iter > _MAX_WORK:
        raise TensorNotesError(
            f"{start.shape[0]:,} starts with max_iter={max_iter} are "
            f"{start.shape[0] * max_iter:,} Newton steps; at most {_MAX_WORK:,} are allowed, "
            "so use fewer starts or fewer steps."
        )
    p = _newton(f, start.clone(), max_iter)
    p = p[torch.isfinite(p).all(dim=1)]
    if p.shape[0] == 0:
        return []
    value, grad, hess = _derivatives(f, p)
    sane = torch.isfinite(hess).all(dim=-1).all(dim=-1) & torch.isfinite(value)
    chosen = (grad.norm(dim=-1) < tol) & sane
    p, value, hess = p[chosen], value[chosen], hess[chosen]
    keep = _first_of_each(p)
    p, value, hess = p[keep], value[keep], hess[keep]
    found = [
        StationaryPoint(
            tuple(float(c) + 0.0 for c in row),
            float(v),
            _classify(eig),
            tuple(float(e) for e in eig),
        )
        for row, v, eig in zip(
            p.unbind(), value.tolist(), torch.linalg.eigvalsh(hess).unbind(), strict=True
        )
    ]
    return sorted(found, key=lambda s: (_KIND_ORDER[s.kind], s.point))
