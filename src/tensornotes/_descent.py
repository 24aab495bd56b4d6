"""The descent loop: real :mod:`torch.optim` runs, recorded step by step, and compared.

:func:`descend` is the loop a reader would write by hand around one
optimizer; :func:`compare_descent` runs it over a grid of settings and says
what each run did, as a :class:`DescentOutcome`. The drawing of runs lives in
``tensornotes._gradient_plots``; the text of points and numbers that both use
is :func:`point_text`.
"""

from __future__ import annotations

import enum
import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import torch

from tensornotes._errors import TensorNotesError
from tensornotes._validation import (
    check_callable,
    check_device,
    describe,
    float_dtype,
    point,
    points,
    real,
    real_list,
    whole,
)

if TYPE_CHECKING:
    import matplotlib.axes
    import matplotlib.figure

__all__ = [
    "MAX_DIMS",
    "MAX_RUNS",
    "MAX_STEPS",
    "MAX_WORK",
    "DescentComparison",
    "DescentOutcome",
    "DescentRun",
    "Trajectory",
    "compare_descent",
    "descend",
    "point_text",
]

Fn = Callable[..., torch.Tensor]

MAX_STEPS = 2_000
"""The most optimizer steps of one :func:`descend` run."""
MAX_DIMS = 100
"""The most coordinates of a starting point."""
MAX_WORK = 8_000
"""The most coordinate updates (steps times coordinates) of one :func:`descend` run,
and of one :func:`compare_descent` call, all runs together: 4,000 steps in 2-D."""
MAX_RUNS = 100
"""The most runs of one :func:`compare_descent` call."""

_OPTIMIZERS: dict[str, tuple[type[torch.optim.Optimizer], dict[str, Any]]] = {
    "adagrad": (torch.optim.Adagrad, {}),
    "adam": (torch.optim.Adam, {}),
    "adamw": (torch.optim.AdamW, {}),
    "momentum": (torch.optim.SGD, {"momentum": 0.9}),
    "nesterov": (torch.optim.SGD, {"momentum": 0.9, "nesterov": True}),
    "rmsprop": (torch.optim.RMSprop, {}),
    "sgd": (torch.optim.SGD, {}),
}


def point_text(values: Sequence[float], digits: int | None = None, fixed: bool = True) -> str:
    """Write a point as ``(x, y)``: each number with ``:g``, or rounded to ``digits``.

    With ``digits``, a number is rounded first (so ``-0.00001`` reads ``0.0000``,
    not ``-0.0000``) and then written with that many decimals when ``fixed``,
    or as short as ``:g`` writes it otherwise.

    Example:
        >>> point_text([1.0, -1.5]), point_text([3.00001, -0.00001], 4)
        ('(1, -1.5)', '(3.0000, 0.0000)')
        >>> point_text([2.999, 0.5], 2, fixed=False)
        '(3, 0.5)'
    """
    if digits is None:
        parts = [f"{v:g}" for v in values]
    elif fixed:
        parts = [f"{round(v, digits) + 0.0:.{digits}f}" for v in values]
    else:
        parts = [f"{round(v, digits) + 0.0:g}" for v in values]
    return "(" + ", ".join(parts) + ")"


class DescentOutcome(str, enum.Enum):
    """What one run of :func:`compare_descent` did; each member equals its text.

    Example:
        >>> DescentOutcome.CONVERGED == "converged", str(DescentOutcome.DIVERGED)
        (True, 'diverged')
    """

    CONVERGED = "converged"
    """The last step moved less than ``tol`` and the gradient there is smaller than ``tol``."""
    DIVERGED = "diverged"
    """A position or the loss stopped being finite, or a coordinate left ``bound``."""
    NO_CONVERGENCE = "no convergence"
    """Still moving, or oscillating, after the last step."""

    def __str__(self) -> str:
        return self.value


def _optimizer(optimizer: object) -> tuple[type[torch.optim.Optimizer], dict[str, Any]]:
    if isinstance(optimizer, str):
        key = optimizer.strip().lower()
        if key not in _OPTIMIZERS:
            names = ", ".join(repr(k) for k in _OPTIMIZERS)
            raise TensorNotesError(
                f"optimizer={describe(optimizer)} is not an optimizer tensornotes knows; use one "
                f"of {names}, or pass a torch.optim.Optimizer subclass such as torch.optim.SGD."
            )
        return _OPTIMIZERS[key]
    if isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer):
        return optimizer, {}
    raise TypeError(
        "optimizer must be a name such as 'sgd' or a torch.optim.Optimizer subclass, "
        f"but got {describe(optimizer)} of type {type(optimizer).__name__}."
    )


def _check_work(steps: int, dims: int, runs: int) -> None:
    """Refuse runs that would take more than :data:`MAX_WORK` coordinate updates."""
    work = steps * dims * runs
    if work > MAX_WORK:
        what = "a run" if runs == 1 else f"{runs} runs"
        raise TensorNotesError(
            f"steps={steps} for {what} from a start of {dims} coordinates make {work:,} "
            f"coordinate updates; at most {MAX_WORK:,} are allowed, so take fewer steps."
        )


def _rate(value: object, name: str) -> float:
    """A learning rate or a momentum: a finite number, 0 or more."""
    number = real(value, name)
    if number < 0:
        raise TensorNotesError(f"{name}={number!r} is negative; it must be 0 or more.")
    return number


def _loss(f: Fn, p: torch.Tensor, start: Sequence[float]) -> torch.Tensor:
    """``f(*p)`` as a one-element tensor; a number, or a tensor without history, is a constant."""
    loss = f(*p)
    if isinstance(loss, numbers.Real) and not isinstance(loss, bool):
        loss = torch.tensor(float(loss), dtype=p.dtype)
    if (
        not isinstance(loss, torch.Tensor)
        or loss.is_nested
        or loss.layout != torch.strided
        or loss.device.type == "meta"
        or loss.numel() != 1
    ):
        raise TensorNotesError(
            f"f must return one number at a point, but f{tuple(start)} returned "
            f"{describe(loss)}; descend minimises a scalar function."
        )
    if loss.is_complex():
        raise TypeError(f"f returned the complex dtype {loss.dtype}; it must be real.")
    return loss.reshape(())


def _gradient(loss: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
    """The gradient of ``loss`` at ``p``: zero where ``f`` ignores its input."""
    if not loss.requires_grad:
        return torch.zeros_like(p)
    (grad,) = torch.autograd.grad(loss, p, allow_unused=True, materialize_grads=True)
    return grad


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
        extra = "" if self.diverged_at is None else f", diverged_at={self.diverged_at}"
        return (
            f"Trajectory({self.optimizer} {self.settings}, steps={self.steps}, "
            f"final={point_text(self.final, 4)}, loss={float(self.losses[-1]):.4g}{extra})"
        )


def descend(
    f: Fn,
    start: object,
    optimizer: str | type[torch.optim.Optimizer] = "sgd",
    lr: float = 0.01,
    steps: int = 100,
    *,
    dtype: torch.dtype | None = None,
    bound: float | None = None,
    device: torch.device | str | None = None,
    **kwargs: Any,
) -> Trajectory:
    """Minimise ``f`` from ``start`` with a real :mod:`torch.optim` optimizer; record every step.

    The loop is the one you would write by hand: evaluate ``f(*p)``, let
    autograd compute the gradient, ``step``. The run stops early, and says at
    which step, when it diverges: a position or loss that is not finite (it
    overflowed), or a coordinate beyond ``bound``. Where ``f`` ignores its
    input (a constant function), the gradient is zero and the run stays put.

    Args:
        f: an elementwise function of ``d`` tensors, called as ``f(*p)`` on
            the ``d`` coordinates of the position ``p``.
        start: the starting point, a number or ``d`` numbers (at most 100),
            or a tensor of them.
        optimizer: ``'sgd'``, ``'momentum'`` (SGD with momentum 0.9),
            ``'nesterov'``, ``'adam'``, ``'adamw'``, ``'rmsprop'``, ``'adagrad'``,
            or any :class:`torch.optim.Optimizer` subclass.
        lr: the learning rate, a finite number, 0 or more.
        steps: the number of optimizer steps, from 1 to 2,000, and at most
            8,000 divided by the number of coordinates (800 in 10-D).
        dtype: the dtype of the position. By default a floating-point start
            tensor keeps its own dtype, and anything else runs in PyTorch's
            default dtype (``float32``).
        bound: stop when a coordinate's absolute value exceeds it (positive).
        device: where the position lives, checked like :func:`tensornotes.device`
            (the CPU when ``None``).
        **kwargs: more optimizer settings, such as ``momentum=0.9``.

    Returns:
        A :class:`Trajectory`.

    Raises:
        TypeError: for a non-callable ``f``, a non-number start, a non-integer
            ``steps``, a ``dtype`` that is not a floating-point dtype, a device
            that is not a name, or an optimizer that is neither a name nor a class.
        TensorNotesError: for an empty or non-finite start, ``steps`` out of
            range, a negative ``lr``, an unknown optimizer or device, settings
            the optimizer refuses, or an ``f`` that does not return one number.

    Example:
        >>> run = descend(lambda x: x**2, start=1.0, lr=0.25, steps=3)
        >>> run.positions.reshape(-1)
        tensor([1.0000, 0.5000, 0.2500, 0.1250])
        >>> run.losses
        tensor([1.0000, 0.2500, 0.0625, 0.0156])
        >>> run = descend(lambda x: x**2, start=1.0, lr=1.5, steps=500)   # x -> -2x
        >>> run.diverged_at, run.final, run.losses[-1]      # x**2 overflows float32
        (64, (1.8446744073709552e+19,), tensor(inf))
        >>> import torch
        >>> descend(lambda x: x**2, torch.tensor([1.0], dtype=torch.float64)).positions.dtype
        torch.float64
    """
    check_callable(f, "f")
    coords = point(start, "start", MAX_DIMS)
    cls, defaults = _optimizer(optimizer)
    rate = _rate(lr, "lr")
    steps = whole(steps, "steps", maximum=MAX_STEPS)
    _check_work(steps, len(coords), 1)
    if dtype is None:
        own = isinstance(start, torch.Tensor) and start.is_floating_point()
        dtype = start.dtype if isinstance(start, torch.Tensor) and own else None
    dtype = torch.get_default_dtype() if dtype is None else float_dtype(dtype, "dtype")
    limit = math.inf if bound is None else real(bound, "bound")
    if limit <= 0:
        raise TensorNotesError(f"bound={limit!r} must be positive.")
    where = check_device(device, "device")
    settings = {**defaults, **kwargs}
    shown_lr = lr if type(lr) in (int, float) else rate
    p = torch.tensor(coords, dtype=dtype, device=where, requires_grad=True)
    try:
        opt = cls([p], **{"lr": shown_lr, **settings})
    except (TypeError, ValueError, RuntimeError) as exc:
        kind = TypeError if isinstance(exc, TypeError) else TensorNotesError
        raise kind(f"{cls.__name__} refused the settings {describe(settings)}: {exc}") from exc
    positions = torch.empty((steps + 1, p.numel()), dtype=dtype, device=p.device)
    positions[0] = p.detach()
    count = 1
    losses: list[float] = []
    diverged_at: int | None = None
    for k in range(steps):
        loss = _loss(f, p, coords)
        losses.append(loss.item())
        if not math.isfinite(losses[-1]):
            diverged_at = k
            break
        p.grad = _gradient(loss, p)
        try:
            opt.step()
        except (TypeError, ValueError, RuntimeError) as exc:
            kind = TypeError if isinstance(exc, TypeError) else TensorNotesError
            raise kind(f"{cls.__name__} could not take a step: {exc}") from exc
        now = positions[count]
        now.copy_(p.detach())
        count += 1
        largest = float(now.abs().max())
        if not (math.isfinite(largest) and largest <= limit):
            diverged_at = k + 1
            with torch.no_grad():
                losses.append(_loss(f, now, coords).item())
            break
    else:
        with torch.no_grad():
            losses.append(_loss(f, p.detach(), coords).item())
        if not math.isfinite(losses[-1]):
            diverged_at = steps
    return Trajectory(
        positions[:count].clone(),
        torch.tensor(losses, dtype=dtype, device=p.device),
        cls.__name__,
        {"lr": shown_lr, **settings},
        diverged_at,
    )


@dataclass(frozen=True)
class DescentRun:
    """One run of :func:`compare_descent`: its settings, its path and what came of it.

    Attributes:
        start: the starting point.
        lr: the learning rate.
        momentum: the momentum.
        trajectory: the recorded path.
        outcome: a :class:`DescentOutcome`, equal to its text ``"converged"``,
            ``"diverged"`` or ``"no convergence"`` (still moving, or
            oscillating, after the last step).
    """

    start: tuple[float, ...]
    lr: float
    momentum: float
    trajectory: Trajectory
    outcome: DescentOutcome

    def describe(self) -> str:
        """One line: where the run ended, or when it diverged."""
        t = self.trajectory
        if self.outcome == DescentOutcome.DIVERGED:
            return f"diverges at step {t.diverged_at}"
        end = point_text(t.final, 4)
        if self.outcome == DescentOutcome.CONVERGED:
            return f"reaches {end}"
        return (
            f"no convergence after {t.steps} steps, at {end} with loss {float(t.losses[-1]):.4g}"
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
            lines.append(f"{point_text(r.start):<16}{r.lr:<8g}{r.momentum:<10g}{r.describe()}")
        return "\n".join(lines)

    def plot(
        self,
        xlim: tuple[float, float] = (-5.0, 5.0),
        ylim: tuple[float, float] = (-5.0, 5.0),
        *,
        ax: matplotlib.axes.Axes | Sequence[matplotlib.axes.Axes] | None = None,
    ) -> matplotlib.figure.Figure:
        """Draw one panel per (learning rate, momentum), with the path from every start.

        Paths are coloured by the point they end at; diverged runs end in a
        red cross at their last position inside the view. At most 16 panels.

        Args:
            xlim: ``(low, high)`` of x.
            ylim: ``(low, high)`` of y.
            ax: the Axes to draw into, one per panel, row by row (a row per
                momentum, a column per learning rate), or one Axes when there
                is one panel; a new figure when ``None``.

        Returns:
            The Figure drawn on.

        Example:
            >>> bowl = lambda x, y: x**2 + y**2
            >>> cmp = compare_descent(bowl, [(1.0, 1.0)], lrs=[0.1, 1.1], steps=5)
            >>> fig = cmp.plot()
            >>> len(fig.axes)
            2
            >>> import matplotlib.pyplot as plt; plt.close(fig)
        """
        from tensornotes import _gradient_plots

        return _gradient_plots.comparison(self, xlim, ylim, ax)


def compare_descent(
    f: Fn,
    starts: object,
    lrs: Sequence[float] = (0.01,),
    momenta: Sequence[float] = (0.0,),
    steps: int = 200,
    *,
    dtype: torch.dtype | None = None,
    bound: float | None = None,
    tol: float = 1e-3,
) -> DescentComparison:
    """Run SGD from every start, with every learning rate and momentum, and say what each run did.

    A run has *converged* when its last step moved less than ``tol`` and the
    gradient there is smaller than ``tol``; it has *diverged* as in
    :func:`descend`; otherwise it is still moving or oscillating.

    Args:
        f: an elementwise function of ``d`` tensors.
        starts: the starting points, a list of points or a ``(k, d)`` tensor.
        lrs: the learning rates, a list.
        momenta: the momenta (0 is plain SGD), a list.
        steps: steps per run.
        dtype: the dtype of the runs; by default that of a floating-point
            ``starts`` tensor, otherwise PyTorch's default (``float32``).
        bound: as in :func:`descend`.
        tol: the convergence tolerance, positive.

    At most 100 runs (starts times learning rates times momenta), and
    8,000 coordinate updates in all, runs times steps times coordinates
    (12 runs of 300 steps in 2-D make 7,200).

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
    check_callable(f, "f")
    table = points(starts, "starts", MAX_RUNS, MAX_DIMS)
    for values in (lrs, momenta):
        if isinstance(values, Sequence) and not isinstance(values, str) and len(values) == 0:
            raise TensorNotesError("lrs and momenta must each hold at least one value.")
    lr_list = real_list(lrs, "lrs", "[0.01, 0.1]", MAX_RUNS)
    mom_list = real_list(momenta, "momenta", "[0.0, 0.9]", MAX_RUNS)
    lr_list = [_rate(v, f"lrs[{i}]") for i, v in enumerate(lr_list)]
    mom_list = [_rate(v, f"momenta[{i}]") for i, v in enumerate(mom_list)]
    steps = whole(steps, "steps", maximum=MAX_STEPS)
    tol = real(tol, "tol")
    if tol <= 0:
        raise TensorNotesError(f"tol={tol!r} must be positive: the convergence tolerance.")
    if dtype is None and isinstance(starts, torch.Tensor) and starts.is_floating_point():
        dtype = starts.dtype
    dtype = torch.get_default_dtype() if dtype is None else float_dtype(dtype, "dtype")
    count = table.shape[0] * len(lr_list) * len(mom_list)
    if count > MAX_RUNS:
        raise TensorNotesError(
            f"{table.shape[0]} starts, {len(lr_list)} learning rates and {len(mom_list)} "
            f"momenta make {count:,} runs; at most {MAX_RUNS} are allowed."
        )
    _check_work(steps, table.shape[1], count)
    runs = []
    for row in table:
        s = tuple(row.tolist())
        for lr in lr_list:
            for m in mom_list:
                traj = descend(f, s, "sgd", lr, steps, dtype=dtype, bound=bound, momentum=m)
                runs.append(DescentRun(s, lr, m, traj, _outcome(f, traj, tol)))
    return DescentComparison(f, tuple(runs), tuple(lr_list), tuple(mom_list))


def _outcome(f: Fn, run: Trajectory, tol: float) -> DescentOutcome:
    if run.diverged_at is not None:
        return DescentOutcome.DIVERGED
    last = run.positions[-1].clone().requires_grad_(True)
    grad = _gradient(_loss(f, last, run.final), last)
    moved = float((run.positions[-1] - run.positions[-2]).norm())
    if moved < tol and float(grad.norm()) < tol:
        return DescentOutcome.CONVERGED
    return DescentOutcome.NO_CONVERGENCE
