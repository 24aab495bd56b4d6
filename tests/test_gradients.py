"""Derivatives against closed forms, descent against torch.optim, Himmelblau's stationary
points, the drawings, and the wording of every error."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import matplotlib
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tensornotes import (
    Kink,
    TensorNotesError,
    compare_descent,
    derivative,
    descend,
    gradient_field,
    himmelblau,
    kinks,
    plot_descent,
    plot_function_and_grad,
    plot_surface,
    stationary_points,
)

matplotlib.use("Agg")

Fn = Callable[[torch.Tensor], torch.Tensor]

N = 2001
ALL = torch.linspace(-6.0, 6.0, N, dtype=torch.float64)
POSITIVE = torch.linspace(0.05, 8.0, N, dtype=torch.float64)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


# Each case: (name, function, closed-form derivative, points).
CASES: list[tuple[str, Fn, Fn, torch.Tensor]] = [
    ("sigmoid", torch.sigmoid, lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x)), ALL),
    ("tanh", torch.tanh, lambda x: 1 - torch.tanh(x) ** 2, ALL),
    ("relu", torch.relu, lambda x: (x > 0).to(x.dtype), ALL),
    ("exp", torch.exp, torch.exp, ALL),
    ("log", torch.log, lambda x: 1 / x, POSITIVE),
    ("x**2", lambda x: x**2, lambda x: 2 * x, ALL),
    ("x**3", lambda x: x**3, lambda x: 3 * x**2, ALL),
    ("x**-2", lambda x: x**-2, lambda x: -2 * x**-3, POSITIVE),
    ("sqrt", torch.sqrt, lambda x: 0.5 / torch.sqrt(x), POSITIVE),
    ("linear", lambda x: 3 * x - 2, lambda x: torch.full_like(x, 3.0), ALL),
    ("exp(-x**2/2)", lambda x: torch.exp(-(x**2) / 2), lambda x: -x * torch.exp(-(x**2) / 2), ALL),
    ("sin(x**2)", lambda x: torch.sin(x**2), lambda x: 2 * x * torch.cos(x**2), ALL),
    ("softplus", lambda x: torch.log1p(torch.exp(x)), torch.sigmoid, ALL),
    (
        "sigmoid(tanh)",
        lambda x: torch.sigmoid(torch.tanh(x)),
        lambda x: (
            torch.sigmoid(torch.tanh(x))
            * (1 - torch.sigmoid(torch.tanh(x)))
            * (1 - torch.tanh(x) ** 2)
        ),
        ALL,
    ),
    ("log(x**2+1)", lambda x: torch.log(x**2 + 1), lambda x: 2 * x / (x**2 + 1), ALL),
]


@pytest.mark.parametrize(("name", "fn", "closed", "x"), CASES, ids=[c[0] for c in CASES])
def test_derivative_matches_closed_form(name: str, fn: Fn, closed: Fn, x: torch.Tensor) -> None:
    assert x.numel() >= 1000
    got = derivative(fn, x)
    assert got.shape == x.shape
    assert got.dtype == torch.float64
    torch.testing.assert_close(got, closed(x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("name", "fn", "closed", "x"), CASES, ids=[c[0] for c in CASES])
def test_gradcheck_agrees(name: str, fn: Fn, closed: Fn, x: torch.Tensor) -> None:
    # Finite differences cannot see a kink, so keep ReLU's points away from 0.
    sample = x[::97].clone()
    if name == "relu":
        sample = sample[sample.abs() > 1e-3]
    assert torch.autograd.gradcheck(fn, (sample.requires_grad_(True),))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=1, max_size=5))
def test_derivative_of_polynomials(coeffs: list[float]) -> None:
    def poly(x: torch.Tensor) -> torch.Tensor:
        return sum((c * x**k for k, c in enumerate(coeffs)), torch.zeros_like(x))

    def dpoly(x: torch.Tensor) -> torch.Tensor:
        return sum((k * c * x ** (k - 1) for k, c in enumerate(coeffs) if k), torch.zeros_like(x))

    torch.testing.assert_close(derivative(poly, ALL), dpoly(ALL), rtol=1e-12, atol=1e-10)


def test_derivative_leaves_the_input_alone() -> None:
    x = torch.linspace(-1, 1, 5)
    before = x.clone()
    derivative(torch.sin, x)
    assert torch.equal(x, before)
    assert not x.requires_grad
    assert x.grad is None


def test_derivative_takes_numbers_as_float64() -> None:
    assert derivative(lambda x: x**2, [1, 2]).tolist() == [2.0, 4.0]
    assert derivative(lambda x: x**2, [1, 2]).dtype == torch.float64


def test_relu_at_zero_is_a_convention() -> None:
    assert derivative(torch.relu, torch.tensor([0.0])).item() == 0.0
    assert kinks(torch.relu, -1, 1) == [Kink(x=0.0, autograd=0.0, left=0.0, right=1.0)]
    # The kink is found whether or not 0 is a grid point.
    assert [k.x for k in kinks(torch.relu, -1, 1, n=1000)] == [0.0]


def test_kinks_of_clamp_and_smooth_functions() -> None:
    assert kinks(lambda x: x.clamp(-1, 1), -2, 2) == [
        Kink(x=-1.0, autograd=1.0, left=0.0, right=1.0),
        Kink(x=1.0, autograd=1.0, left=1.0, right=0.0),
    ]
    for smooth in (torch.sigmoid, torch.tanh, torch.exp, torch.sin):
        assert kinks(smooth, -5, 5) == []


# --- functions of two variables ----------------------------------------------------


def test_gradient_field_matches_closed_form() -> None:
    field = gradient_field(himmelblau, (-5, 5), (-5, 5), n=41)
    x, y = field.x, field.y
    torch.testing.assert_close(field.value, himmelblau(x, y))
    dx = 4 * x * (x**2 + y - 11) + 2 * (x + y**2 - 7)
    dy = 2 * (x**2 + y - 11) + 4 * y * (x + y**2 - 7)
    torch.testing.assert_close(field.grad_x, dx, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(field.grad_y, dy, rtol=1e-12, atol=1e-12)


def test_himmelblau_has_nine_stationary_points() -> None:
    g = torch.linspace(-5, 5, 7, dtype=torch.float64)
    points = stationary_points(himmelblau, torch.cartesian_prod(g, g))
    kinds = [p.kind for p in points]
    assert kinds.count("minimum") == 4
    assert kinds.count("maximum") == 1
    assert kinds.count("saddle") == 4
    assert len(points) == 9
    (peak,) = (p for p in points if p.kind == "maximum")
    assert peak.point == pytest.approx((-0.270845, -0.923039), abs=1e-6)
    assert peak.value == pytest.approx(181.617, abs=1e-3)
    minima = {tuple(round(c, 6) for c in p.point) for p in points if p.kind == "minimum"}
    assert minima == {
        (3.0, 2.0),
        (-2.805118, 3.131313),
        (-3.77931, -3.283186),
        (3.584428, -1.848127),
    }
    for p in points:
        assert p.eigenvalues == tuple(sorted(p.eigenvalues))


def test_stationary_points_classifies_each_kind() -> None:
    def kind(f: Callable[..., torch.Tensor]) -> list[str]:
        return [p.kind for p in stationary_points(f, [(0.7, -0.4), (-1.2, 0.9)])]

    assert kind(lambda x, y: x**2 + y**2) == ["minimum"]
    assert kind(lambda x, y: -(x**2) - 2 * y**2) == ["maximum"]
    assert kind(lambda x, y: x**2 - y**2) == ["saddle"]
    assert kind(lambda x, y: x * y) == ["saddle"]
    assert kind(lambda x, y: x**2 + y**4) == ["degenerate"]


# --- descent -----------------------------------------------------------------------


def _by_hand(
    cls: type[torch.optim.Optimizer], start: tuple[float, float], steps: int, **kw: float | bool
) -> torch.Tensor:
    p = torch.tensor(start, requires_grad=True)
    opt = cls([p], **kw)
    path = [p.detach().clone()]
    for _ in range(steps):
        opt.zero_grad()
        loss = himmelblau(p[0], p[1])
        loss.backward()
        opt.step()
        path.append(p.detach().clone())
    return torch.stack(path)


@pytest.mark.parametrize(
    ("name", "cls", "kw"),
    [
        ("sgd", torch.optim.SGD, {"lr": 0.01}),
        ("sgd", torch.optim.SGD, {"lr": 0.01, "momentum": 0.9}),
        ("momentum", torch.optim.SGD, {"lr": 0.005, "momentum": 0.9}),
        ("nesterov", torch.optim.SGD, {"lr": 0.005, "momentum": 0.9, "nesterov": True}),
        ("adam", torch.optim.Adam, {"lr": 0.1}),
        ("rmsprop", torch.optim.RMSprop, {"lr": 0.01}),
    ],
)
def test_descend_is_the_hand_written_loop(
    name: str, cls: type[torch.optim.Optimizer], kw: dict[str, float | bool]
) -> None:
    run = descend(himmelblau, (0.5, -0.5), name, steps=60, **kw)
    assert run.diverged_at is None
    assert torch.equal(run.positions, _by_hand(cls, (0.5, -0.5), 60, **kw))
    torch.testing.assert_close(run.losses, himmelblau(*run.positions.T), rtol=0, atol=0)


def test_descend_accepts_an_optimizer_class() -> None:
    run = descend(himmelblau, (0.0, 0.0), torch.optim.SGD, lr=0.01, steps=30, momentum=0.5)
    assert torch.equal(
        run.positions, _by_hand(torch.optim.SGD, (0.0, 0.0), 30, lr=0.01, momentum=0.5)
    )
    assert run.optimizer == "SGD"


def test_the_issue_authors_measurements() -> None:
    plain = descend(himmelblau, (0, 0), lr=0.01, steps=300)
    assert plain.final == pytest.approx((3.0, 2.0), abs=1e-5)
    fast = descend(himmelblau, (0, 0), lr=0.05, steps=300)
    assert fast.diverged_at == 8
    assert fast.steps == 8
    assert not math.isfinite(float(fast.losses[-1]))
    heavy = descend(himmelblau, (0, 0), lr=0.01, steps=300, momentum=0.9)
    assert heavy.final == pytest.approx((3.5845, -1.8482), abs=1e-4)
    # In float64 the same run overflows later: the step depends on the dtype.
    assert descend(himmelblau, (0, 0), lr=0.05, steps=300, dtype=torch.float64).diverged_at == 10


def test_descend_stops_at_the_bound() -> None:
    run = descend(himmelblau, (0, 0), lr=0.05, steps=300, bound=100)
    assert run.diverged_at == 6
    assert float(run.positions[-1].abs().max()) > 100
    assert run.positions.shape[0] == run.losses.shape[0] == 7


def test_compare_descent_reports_each_factor() -> None:
    cmp = compare_descent(
        himmelblau, [(0, 0), (-1, -1)], lrs=[0.01, 0.05], momenta=[0.0, 0.9], steps=300
    )
    outcome = {(r.start, r.lr, r.momentum): r.describe() for r in cmp.runs}
    assert outcome[(0.0, 0.0), 0.01, 0.0] == "reaches (3.0000, 2.0000)"
    assert outcome[(-1.0, -1.0), 0.01, 0.0] == "reaches (-3.7793, -3.2832)"
    assert outcome[(0.0, 0.0), 0.05, 0.0] == "diverges at step 8"
    assert outcome[(0.0, 0.0), 0.01, 0.9] == "reaches (3.5844, -1.8481)"
    fig = cmp.plot()
    assert len(fig.axes) == 4


# --- plots -------------------------------------------------------------------------


def test_plots_return_their_axes() -> None:
    ax = plot_function_and_grad(
        torch.sigmoid, -6, 6, closed_form=lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x))
    )
    assert len(ax.get_legend_handles_labels()[1]) == 3
    assert plot_surface(himmelblau, n=21, quiver=True).get_title() == "f(x, y) and its gradient"
    ax3d = plot_surface(himmelblau, n=21, surface=True)
    assert ax3d.name == "3d"
    runs = [
        descend(lambda x: x**4 - 3 * x**2 + x, 2.0, lr=0.01, steps=50, momentum=m)
        for m in (0, 0.9)
    ]
    assert len(plot_descent(lambda x: x**4 - 3 * x**2 + x, runs).get_lines()) == 3


# --- bad input: the messages are part of the interface -------------------------------


def test_non_callable() -> None:
    with pytest.raises(
        TypeError, match=r"fn must be a function of tensors, .* but got 3 of type int\."
    ):
        derivative(3, [1.0])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"f must be a function of tensors"):
        descend("x**2", 1.0)  # type: ignore[arg-type]


def test_empty_range() -> None:
    with pytest.raises(
        TensorNotesError,
        match=r"the range start=1\.0, end=1\.0 is empty; end must be greater than start\.",
    ):
        plot_function_and_grad(torch.sin, 1, 1)
    with pytest.raises(ValueError, match=r"the range xlim\[0\]=2\.0, xlim\[1\]=-2\.0 is empty"):
        gradient_field(himmelblau, (2, -2), (0, 1))
    with pytest.raises(
        TensorNotesError, match=r"x is empty \(shape \(0,\)\); give at least one point\."
    ):
        derivative(torch.sin, torch.tensor([]))


def test_complex_dtype() -> None:
    with pytest.raises(
        TypeError,
        match=r"x has the complex dtype torch\.complex64; .* real floating-point tensor\.",
    ):
        derivative(torch.sin, torch.tensor([1 + 2j]))
    with pytest.raises(
        TypeError, match=r"start=\(1\+2j\) is complex; a range needs real numbers\."
    ):
        plot_function_and_grad(torch.sin, 1 + 2j, 3)
    with pytest.raises(
        TypeError, match=r"x has the dtype torch\.int64; autograd needs a floating-point"
    ):
        derivative(torch.sin, torch.arange(3))


def test_steps_must_be_positive() -> None:
    with pytest.raises(TensorNotesError, match=r"steps=0 is too small; it must be at least 1\."):
        descend(himmelblau, (0, 0), steps=0)
    with pytest.raises(ValueError, match=r"steps=-5 is too small"):
        descend(himmelblau, (0, 0), steps=-5)
    with pytest.raises(
        TypeError, match=r"steps must be a whole number, but got 2\.5 of type float\."
    ):
        descend(himmelblau, (0, 0), steps=2.5)  # type: ignore[arg-type]


def test_unknown_optimizer() -> None:
    with pytest.raises(
        TensorNotesError,
        match=r"optimizer='adamm' is not an optimizer tensornotes knows; use one of 'adagrad', "
        r"'adam', .* or pass a torch\.optim\.Optimizer subclass",
    ):
        descend(himmelblau, (0, 0), "adamm")
    with pytest.raises(
        TypeError,
        match=r"optimizer must be a name such as 'sgd' or a torch\.optim\.Optimizer subclass",
    ):
        descend(himmelblau, (0, 0), 42)  # type: ignore[arg-type]


def test_non_elementwise_functions_are_refused() -> None:
    with pytest.raises(TensorNotesError, match=r"fn is not elementwise"):
        derivative(lambda x: x - x.mean(), ALL)
    with pytest.raises(TensorNotesError, match=r"fn is not elementwise"):
        derivative(lambda x: x.cumsum(0), ALL)
    with pytest.raises(
        TensorNotesError,
        match=r"fn returned shape \(\) for x of shape \(2001,\); it must be elementwise",
    ):
        derivative(lambda x: (x**2).sum(), ALL)


def test_cut_graph_is_explained() -> None:
    with pytest.raises(
        TensorNotesError, match=r"fn's output does not depend on x through autograd"
    ):
        derivative(lambda x: (x > 0).to(x.dtype), ALL)


def test_descend_needs_a_scalar_function() -> None:
    with pytest.raises(TensorNotesError, match=r"f must return one number at a point"):
        descend(lambda x, y: torch.stack([x, y]), (0.0, 0.0))


# --- one convention: outcomes, dtypes, drawings ------------------------------------------


def test_outcomes_are_an_enum_equal_to_their_text() -> None:
    from tensornotes import DescentOutcome

    cmp = compare_descent(himmelblau, [(0, 0)], lrs=[0.01, 0.03, 0.05], steps=300)
    outcomes = [r.outcome for r in cmp.runs]
    assert outcomes == [
        DescentOutcome.CONVERGED,
        DescentOutcome.NO_CONVERGENCE,
        DescentOutcome.DIVERGED,
    ]
    assert outcomes == ["converged", "no convergence", "diverged"]
    assert all(isinstance(o, DescentOutcome) for o in outcomes)
    assert f"{outcomes[0]}" == str(outcomes[0]) == "converged"


def test_descend_keeps_the_start_dtype() -> None:
    start64 = torch.tensor([0.0, 0.0], dtype=torch.float64)
    run = descend(himmelblau, start64, lr=0.05, steps=300)
    assert run.positions.dtype == run.losses.dtype == torch.float64
    assert run.diverged_at == 10
    assert descend(himmelblau, (0, 0), lr=0.05, steps=300).positions.dtype == torch.float32
    assert descend(himmelblau, [0.0, 0.0], steps=1).positions.dtype == torch.float32
    assert descend(himmelblau, torch.zeros(2, dtype=torch.int64), steps=1).positions.dtype == (
        torch.float32
    )
    assert descend(himmelblau, start64, steps=1, dtype=torch.float32).positions.dtype == (
        torch.float32
    )
    cmp = compare_descent(himmelblau, start64.reshape(1, 2), lrs=[0.05], steps=300)
    assert cmp.runs[0].trajectory.positions.dtype == torch.float64
    assert cmp.runs[0].describe() == "diverges at step 10"


def test_every_drawing_takes_ax_by_keyword_and_returns_it() -> None:
    import matplotlib.pyplot as plt

    fig, (a, b, c) = plt.subplots(1, 3)
    assert plot_function_and_grad(torch.tanh, -2, 2, ax=a) is a
    assert plot_surface(himmelblau, n=11, arrows=3, ax=b) is b
    run = descend(himmelblau, (0, 0), steps=10)
    assert plot_descent(himmelblau, [run], ax=c) is c
    cmp = compare_descent(himmelblau, [(0, 0)], steps=10)
    assert cmp.plot(ax=a) is fig
    fig3d = plt.figure()
    ax3d = fig3d.add_subplot(projection="3d")
    assert plot_surface(himmelblau, n=11, surface=True, ax=ax3d) is ax3d
