"""Adversarial inputs to derivatives, stationary points, descent runs and their drawings.

``CASES`` lists ``(label, callable)`` pairs. Each callable takes no argument,
makes one call that a hostile or careless caller could make of ``derivative``,
``kinks``, ``gradient_field``, ``stationary_points``, ``descend``,
``compare_descent``, the ``plot_*`` functions or ``tensornotes.device``, and
swallows the TypeError or ValueError with which the package refuses bad input,
so that only time and memory are left to measure. Anything else escapes, as it
should. The cases at a limit (2,000 steps, 1,000 starts, a 1,001-point grid)
are the slowest calls the package accepts.

Importing this module pays the one-time costs of a process first: PyTorch
imports ``torch._dynamo`` when the first optimizer is made (seconds), and
matplotlib loads pyplot and its fonts on the first figure. So the times below
are those of the calls themselves.

Run as a script it prints, per case, the wall time (``time.perf_counter``) and
the peak of memory allocated from Python (``tracemalloc``; torch's own buffers
are not counted): ``.venv/bin/python benchmarks/limits_gradients.py [WORD ...]``
runs the cases whose label contains one of the words. Every case should take
well under 2 s, and a refusal under 0.1 s.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable

import matplotlib
import torch
from limits import quietly

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import tensornotes as tn

# The one-time imports and caches, paid here rather than inside the first case.
plt.close(tn.plot_surface(lambda x, y: x * y, n=5, arrows=2).figure)
tn.descend(lambda x: x**2, 1.0, steps=1)

_GRID = torch.linspace(-5, 5, 44, dtype=torch.float64)
_STARTS = torch.cartesian_prod(_GRID, _GRID)[:1000].clone()
_SHORT_RUNS = [tn.descend(tn.himmelblau, (0.1 * i, 0.0), lr=0.01, steps=10) for i in range(20)]
_LONG_RUN = tn.descend(tn.himmelblau, (0.0, 0.0), lr=0.001, steps=2000)
_NINE_PANELS = tn.compare_descent(
    tn.himmelblau, [(0, 0), (-1, -1)], lrs=[0.01, 0.02, 0.03], momenta=[0, 0.5, 0.9], steps=200
)


def _quietly(call: Callable[[], object]) -> Callable[[], None]:
    refused = quietly(call)

    def run() -> None:
        refused()
        plt.close("all")

    return run


def _device_from(value: str) -> Callable[[], object]:
    def run() -> object:
        old = os.environ.get("TENSORNOTES_DEVICE")
        os.environ["TENSORNOTES_DEVICE"] = value
        try:
            return tn.device()
        finally:
            if old is None:
                del os.environ["TENSORNOTES_DEVICE"]
            else:
                os.environ["TENSORNOTES_DEVICE"] = old

    return run


def _sum_of_squares(*coords: torch.Tensor) -> torch.Tensor:
    return sum((c**2 for c in coords), torch.tensor(0.0))


def _wavy(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.sin(3 * x) * torch.cos(5 * y) + x * y


def _nested() -> torch.Tensor:
    return torch.nested.nested_tensor([torch.ones(2), torch.ones(3)], layout=torch.jagged)


_RAW: list[tuple[str, Callable[[], object]]] = [
    # descend: the step cap, the work cap, and the slowest runs accepted
    ("descend steps=10**9", lambda: tn.descend(tn.himmelblau, (0, 0), steps=10**9)),
    (
        "descend 2,000 SGD steps (the cap)",
        lambda: tn.descend(tn.himmelblau, (0, 0), lr=1e-4, steps=2000),
    ),
    (
        "descend 2,000 Adam steps (the cap)",
        lambda: tn.descend(tn.himmelblau, (0, 0), "adam", lr=1e-4, steps=2000),
    ),
    (
        "descend 10 coordinates, 800 steps (the work cap)",
        lambda: tn.descend(_sum_of_squares, [1.0] * 10, lr=1e-3, steps=800),
    ),
    (
        "descend 100 coordinates, 80 steps (the work cap)",
        lambda: tn.descend(_sum_of_squares, [1.0] * 100, lr=1e-3, steps=80),
    ),
    (
        "descend 10 coordinates, 2,000 steps (refused)",
        lambda: tn.descend(_sum_of_squares, [1.0] * 10, steps=2000),
    ),
    ("descend start 10**400", lambda: tn.descend(tn.himmelblau, (10**400, 0))),
    ("descend start of 10**6 coordinates", lambda: tn.descend(_sum_of_squares, [0.0] * 10**6)),
    (
        "descend start tensor of 10**7 zeros",
        lambda: tn.descend(_sum_of_squares, torch.zeros(10**7)),
    ),
    (
        "descend device='cuda' without a GPU",
        lambda: tn.descend(tn.himmelblau, (0, 0), device="cuda"),
    ),
    ("descend device='meta'", lambda: tn.descend(tn.himmelblau, (0, 0), device="meta")),
    ("descend device=5", lambda: tn.descend(tn.himmelblau, (0, 0), device=5)),  # type: ignore[arg-type]
    ("descend lr=-1", lambda: tn.descend(tn.himmelblau, (0, 0), lr=-1)),
    ("descend lr='a'", lambda: tn.descend(tn.himmelblau, (0, 0), lr="a")),  # type: ignore[arg-type]
    ("descend dtype=5", lambda: tn.descend(tn.himmelblau, (0, 0), dtype=5)),  # type: ignore[arg-type]
    ("descend empty start", lambda: tn.descend(tn.himmelblau, [])),
    ("descend meta start", lambda: tn.descend(tn.himmelblau, torch.zeros(2, device="meta"))),
    ("descend f ignores its input", lambda: tn.descend(lambda x, y: torch.tensor(1.0), (0, 0))),
    # compare_descent
    (
        "compare_descent 12 runs of 300 steps (near the cap)",
        lambda: tn.compare_descent(
            tn.himmelblau, [(0, 0), (-1, -1)], lrs=[0.01, 0.02, 0.03], momenta=[0, 0.9], steps=300
        ),
    ),
    (
        "compare_descent 101 starts (refused)",
        lambda: tn.compare_descent(tn.himmelblau, [(0, 0)] * 101, steps=1),
    ),
    (
        "compare_descent 100 runs of 10**9 steps (refused)",
        lambda: tn.compare_descent(tn.himmelblau, [(0, 0)] * 100, steps=10**9),
    ),
    ("compare_descent lrs=0.1", lambda: tn.compare_descent(tn.himmelblau, [(0, 0)], lrs=0.1)),  # type: ignore[arg-type]
    ("compare_descent tol=None", lambda: tn.compare_descent(tn.himmelblau, [(0, 0)], tol=None)),  # type: ignore[arg-type]
    ("DescentComparison.plot, 9 panels (the cap)", lambda: _NINE_PANELS.plot()),
    (
        "DescentComparison.plot ax=5",
        lambda: tn.compare_descent(tn.himmelblau, [(0, 0)], steps=5).plot(ax=5),
    ),  # type: ignore[arg-type]
    # stationary_points
    (
        "stationary_points 10**5 starts (refused)",
        lambda: tn.stationary_points(tn.himmelblau, torch.zeros(10**5, 2)),
    ),
    (
        "stationary_points 1,000 starts (the cap)",
        lambda: tn.stationary_points(tn.himmelblau, _STARTS),
    ),
    (
        "stationary_points 1,000 starts, Newton never settles",
        lambda: tn.stationary_points(_wavy, _STARTS, max_iter=100),
    ),
    (
        "stationary_points constant f, 1,000 distinct starts",
        lambda: tn.stationary_points(lambda x, y: torch.tensor(1.0), _STARTS),
    ),
    (
        "stationary_points 10 coordinates, 500 Newton steps",
        lambda: tn.stationary_points(
            lambda *c: sum(torch.cos(v) for v in c) + 0.3 * c[0],
            torch.full((1, 10), 2.5),
            max_iter=500,
        ),
    ),
    (
        "stationary_points linear f",
        lambda: tn.stationary_points(lambda x, y: x + 2 * y, [(1.0, 2.0)]),
    ),
    (
        "stationary_points NaN start",
        lambda: tn.stationary_points(tn.himmelblau, torch.tensor([[math.nan, 0.0]])),
    ),
    (
        "stationary_points tol=None",
        lambda: tn.stationary_points(tn.himmelblau, [(0, 0)], tol=None),
    ),  # type: ignore[arg-type]
    # derivatives and kinks
    ("kinks over -1e308..1e308", lambda: tn.kinks(torch.relu, -1e308, 1e308)),
    ("kinks start 10**400", lambda: tn.kinks(torch.relu, 10**400, 1)),
    ("kinks n=10**9 (refused)", lambda: tn.kinks(torch.relu, -1, 1, n=10**9)),
    (
        "kinks n=20,001 with ~6,000 kinks (the cap)",
        lambda: tn.kinks(lambda x: torch.abs(torch.sin(x)), -1e4, 1e4, n=20_001),
    ),
    ("kinks over -1e300..1e300", lambda: tn.kinks(torch.relu, -1e300, 1e300)),
    (
        "derivative of 10**6 points",
        lambda: tn.derivative(torch.sigmoid, torch.linspace(-5, 5, 10**6)),
    ),
    ("derivative meta tensor", lambda: tn.derivative(torch.sin, torch.zeros(3, device="meta"))),
    ("derivative sparse tensor", lambda: tn.derivative(torch.sin, torch.ones(3).to_sparse())),
    ("derivative nested tensor", lambda: tn.derivative(torch.sin, _nested())),
    ("derivative empty", lambda: tn.derivative(torch.sin, [])),
    # grids and drawings
    (
        "gradient_field n=1,001 (the cap)",
        lambda: tn.gradient_field(tn.himmelblau, (-5, 5), (-5, 5), 1001),
    ),
    (
        "gradient_field n=10**5 (refused)",
        lambda: tn.gradient_field(tn.himmelblau, (-5, 5), (-5, 5), 10**5),
    ),
    (
        "gradient_field f ignores its input",
        lambda: tn.gradient_field(lambda x, y: torch.tensor(2.0), (0, 1), (0, 1)),
    ),
    (
        "plot_surface n=1,001, 51 arrows (the caps)",
        lambda: tn.plot_surface(tn.himmelblau, n=1001, arrows=51),
    ),
    ("plot_surface 3-D, n=1,001", lambda: tn.plot_surface(tn.himmelblau, n=1001, surface=True)),
    ("plot_surface ax=5", lambda: tn.plot_surface(tn.himmelblau, ax=5)),  # type: ignore[arg-type]
    ("plot_surface f ignores its input", lambda: tn.plot_surface(lambda x, y: torch.tensor(2.0))),
    (
        "plot_function_and_grad n=20,001 (the cap)",
        lambda: tn.plot_function_and_grad(torch.relu, -1, 1, n=20_001),
    ),
    ("plot_descent 20 runs (the cap)", lambda: tn.plot_descent(tn.himmelblau, _SHORT_RUNS)),
    ("plot_descent a run of 2,000 steps", lambda: tn.plot_descent(tn.himmelblau, [_LONG_RUN])),
    (
        "plot_descent 21 runs (refused)",
        lambda: tn.plot_descent(tn.himmelblau, _SHORT_RUNS + _SHORT_RUNS[:1]),
    ),
    # the device choice
    ("device() from TENSORNOTES_DEVICE='cuda:99'", _device_from("cuda:99")),
    ("device() from a 10,000-character value", _device_from("x" * 10_000)),
]

CASES: list[tuple[str, Callable[[], None]]] = [(label, _quietly(call)) for label, call in _RAW]


if __name__ == "__main__":
    from limits import main

    raise SystemExit(main(["gradients"], sys.argv[1:]))
