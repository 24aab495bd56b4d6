"""The contract of derivatives, stationary points, descent and their drawings: valid odd input
is answered, bad input is refused with a TypeError or ValueError that names the argument and
the value, and every limit on time and memory is refused at once with the limit stated."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import matplotlib
import pytest
import torch

import tensornotes
from tensornotes import (
    DescentOutcome,
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


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _constant(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.tensor(5.0)


def _linear(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return x + 2 * y


# --- functions that ignore their input are valid ---------------------------------------


def test_a_linear_function_has_no_stationary_point() -> None:
    assert stationary_points(_linear, [(1.0, 2.0)]) == []


def test_a_constant_function_is_stationary_at_every_start() -> None:
    found = stationary_points(_constant, [(1.0, 2.0), (1.0, 2.0), (0.0, 0.0)])
    assert [p.point for p in found] == [(0.0, 0.0), (1.0, 2.0)]
    assert {p.kind for p in found} == {"degenerate"}
    assert found[0].eigenvalues == (0.0, 0.0)
    assert found[0].value == 5.0


def test_a_function_that_ignores_one_coordinate() -> None:
    (p,) = stationary_points(lambda x, y: x**2 + 0 * y, [(1.0, 2.0)])
    assert p.point == (0.0, 2.0)
    assert p.kind == "degenerate"
    run = descend(lambda x, y: x**2, (1.0, 2.0), lr=0.25, steps=2)
    assert run.final == (0.25, 2.0)


@pytest.mark.parametrize("f", [_constant, lambda x, y: torch.zeros_like(x), lambda x, y: 3.0])
def test_gradient_field_of_a_constant_is_zero(f: Callable[..., torch.Tensor]) -> None:
    field = gradient_field(f, (0, 1), (0, 1), n=3)
    assert torch.equal(field.grad_x, torch.zeros(3, 3, dtype=torch.float64))
    assert torch.equal(field.grad_y, torch.zeros(3, 3, dtype=torch.float64))
    assert plot_surface(f, n=5, arrows=3).get_xlabel() == "x"


def test_descent_on_a_constant_stays_put() -> None:
    run = descend(_constant, (1.0, 2.0), lr=0.5, steps=3)
    assert run.final == (1.0, 2.0)
    assert run.diverged_at is None
    cmp = compare_descent(_constant, [(1.0, 2.0)], steps=3)
    assert cmp.runs[0].outcome == DescentOutcome.CONVERGED
    assert len(cmp.plot().axes) == 1


# --- numbers too large for a float ----------------------------------------------------


def test_a_range_wider_than_float64() -> None:
    with pytest.raises(
        TensorNotesError,
        match=r"^the range start=-1e\+308, end=1e\+308 is too wide: end - start is beyond "
        r"the largest float64",
    ):
        kinks(torch.relu, -1e308, 1e308)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: kinks(torch.relu, 10**400, 1e400 if False else 1), "start"),
        (lambda: descend(himmelblau, (10**400, 0)), r"start\[0\]"),
        (lambda: stationary_points(himmelblau, [(0, 10**400)]), r"starts\[0\]\[1\]"),
    ],
)
def test_a_huge_integer(call: Callable[[], object], name: str) -> None:
    with pytest.raises(
        TensorNotesError,
        match=rf"^{name} is too large for a float64 \(the largest is about 1\.8e308\): "
        r"got an integer of about 401 digits\.$",
    ):
        call()


# --- devices --------------------------------------------------------------------------


def test_a_missing_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(
        TensorNotesError,
        match=r"^device='cuda' asks for a CUDA GPU, but torch \S+ sees none on this machine; "
        r"pass device='cpu', or leave it out\.$",
    ):
        descend(himmelblau, (0, 0), device="cuda")


@pytest.mark.parametrize("value", ["nope", "meta", torch.device("meta"), "cpu:0"])
def test_an_unknown_device(value: object) -> None:
    with pytest.raises(TensorNotesError, match=r"^device='\w+(:0)?' is not a device tensornotes"):
        descend(himmelblau, (0, 0), device=value)  # type: ignore[arg-type]


def test_a_device_that_is_not_a_name() -> None:
    with pytest.raises(
        TypeError,
        match=r"^device must be a device name such as 'cpu' or 'cuda', or a torch\.device, "
        r"but got 5 of type int\.$",
    ):
        descend(himmelblau, (0, 0), device=5)  # type: ignore[arg-type]


def test_the_cpu_by_name_or_object() -> None:
    for where in (
        "cpu",
        " CPU ",
        torch.device("cpu"),
        "auto" if not torch.cuda.is_available() else "cpu",
    ):
        assert descend(himmelblau, (0, 0), steps=1, device=where).positions.device.type == "cpu"


# --- tensors that hold no ordinary values ---------------------------------------------


def test_a_meta_tensor() -> None:
    with pytest.raises(TensorNotesError, match=r"^x is on the meta device, which keeps shapes"):
        derivative(torch.sin, torch.zeros(3, device="meta"))
    with pytest.raises(TensorNotesError, match=r"^start is on the meta device"):
        descend(himmelblau, torch.zeros(2, device="meta"))
    with pytest.raises(TensorNotesError, match=r"^x is on the meta device"):
        himmelblau(torch.zeros(2, device="meta"), torch.zeros(2))


def test_a_sparse_tensor() -> None:
    with pytest.raises(TypeError, match=r"^x has the layout torch\.sparse_coo; .*x\.to_dense\(\)"):
        derivative(torch.sin, torch.ones(3).to_sparse())
    with pytest.raises(TypeError, match=r"^starts has the layout torch\.sparse_coo"):
        stationary_points(himmelblau, torch.ones(2, 2).to_sparse())


def test_a_nested_tensor() -> None:
    nested = torch.nested.nested_tensor([torch.ones(2), torch.ones(3)], layout=torch.jagged)
    with pytest.raises(TypeError, match=r"^x is a nested tensor; pass an ordinary"):
        derivative(torch.sin, nested)
    with pytest.raises(TypeError, match=r"^start is a nested tensor"):
        descend(himmelblau, nested)


def test_a_nan_start() -> None:
    with pytest.raises(
        TensorNotesError,
        match=r"^starts\[1\]=\(nan, 0\.0\) is not finite; every start needs finite coordinates\.$",
    ):
        stationary_points(himmelblau, torch.tensor([[0.0, 0.0], [float("nan"), 0.0]]))
    with pytest.raises(TensorNotesError, match=r"^start\[0\]=nan is not finite"):
        descend(himmelblau, torch.tensor([float("nan"), 0.0]))


# --- bad arguments --------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: plot_surface(himmelblau, ax=5),
        lambda: plot_function_and_grad(torch.sin, 0, 1, ax=5),
        lambda: plot_descent(himmelblau, [descend(himmelblau, (0, 0), steps=2)], ax=5),
        lambda: compare_descent(himmelblau, [(0, 0)], steps=2).plot(ax=5),
    ],
)
def test_ax_that_is_not_an_axes(call: Callable[[], object]) -> None:
    with pytest.raises(
        TypeError,
        match=r"^ax must be a matplotlib Axes, such as the second value of plt\.subplots\(\), "
        r"or None for a new figure, but got 5\.$",
    ):
        call()


def test_ax_is_keyword_only() -> None:
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    with pytest.raises(TypeError, match=r"positional argument"):
        plot_surface(himmelblau, (-5, 5), (-5, 5), 11, ax)  # type: ignore[misc]
    with pytest.raises(TypeError, match=r"positional argument"):
        plot_function_and_grad(torch.sin, 0, 1, ax)  # type: ignore[misc]
    with pytest.raises(TypeError, match=r"positional argument"):
        plot_descent(himmelblau, [descend(himmelblau, (0, 0), steps=2)], ax)  # type: ignore[misc]


def test_a_surface_needs_3d_axes() -> None:
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    with pytest.raises(TensorNotesError, match=r"^ax is a 2-D Axes, but a surface needs a 3-D"):
        plot_surface(himmelblau, ax=ax, surface=True)


def test_the_comparison_draws_into_given_axes() -> None:
    import matplotlib.pyplot as plt

    cmp = compare_descent(himmelblau, [(0, 0)], lrs=[0.01, 0.05], steps=20)
    fig, axs = plt.subplots(1, 2)
    assert cmp.plot(ax=axs) is fig
    assert cmp.plot(ax=list(axs)) is fig
    with pytest.raises(
        TensorNotesError,
        match=r"^ax holds 1 Axes, but this comparison draws 2 panels \(1 momenta by 2 learning",
    ):
        cmp.plot(ax=[axs[0]])
    one = compare_descent(himmelblau, [(0, 0)], steps=20)
    assert one.plot(ax=axs[0]) is fig


def test_learning_rates() -> None:
    with pytest.raises(TensorNotesError, match=r"^lr=-1\.0 is negative; it must be 0 or more\.$"):
        descend(himmelblau, (0, 0), lr=-1)
    with pytest.raises(TypeError, match=r"^lr must be a real number, but got 'a' of type str\.$"):
        descend(himmelblau, (0, 0), lr="a")  # type: ignore[arg-type]
    with pytest.raises(TensorNotesError, match=r"^lrs\[1\]=-0\.1 is negative"):
        compare_descent(himmelblau, [(0, 0)], lrs=[0.1, -0.1])
    with pytest.raises(TensorNotesError, match=r"^momenta\[0\]=-0\.5 is negative"):
        compare_descent(himmelblau, [(0, 0)], momenta=[-0.5])


def test_settings_the_optimizer_refuses() -> None:
    with pytest.raises(
        TypeError,
        match=r"^SGD refused the settings \{'momentum': 'a'\}: '<' not supported",
    ):
        descend(himmelblau, (0, 0), momentum="a")
    with pytest.raises(TypeError, match=r"^Adam refused the settings \{'momentum': 0\.9\}"):
        descend(himmelblau, (0, 0), "adam", momentum=0.9)


def test_arguments_named_in_their_errors() -> None:
    with pytest.raises(
        TypeError,
        match=r"^dtype must be a real floating-point torch\.dtype such as torch\.float64, "
        r"but got 5\.$",
    ):
        descend(himmelblau, (0, 0), dtype=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^dtype must be .* but got torch\.int64\.$"):
        compare_descent(himmelblau, [(0, 0)], dtype=torch.int64)
    with pytest.raises(TypeError, match=r"^tol must be a real number, but got None"):
        stationary_points(himmelblau, [(0, 0)], tol=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^tol must be a real number, but got None"):
        compare_descent(himmelblau, [(0, 0)], tol=None)  # type: ignore[arg-type]
    with pytest.raises(TensorNotesError, match=r"^tol=0\.0 must be positive"):
        stationary_points(himmelblau, [(0, 0)], tol=0)
    with pytest.raises(
        TypeError, match=r"^lrs must be a list such as \[0\.01, 0\.1\], but got 0\.1\.$"
    ):
        compare_descent(himmelblau, [(0, 0)], lrs=0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^momenta must be a list such as \[0\.0, 0\.9\]"):
        compare_descent(himmelblau, [(0, 0)], momenta=0.9)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^quiver must be True or False, but got 'yes'\.$"):
        plot_surface(himmelblau, quiver="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^label must be a string, but got 3\.$"):
        plot_function_and_grad(torch.sin, 0, 1, label=3)  # type: ignore[arg-type]
    with pytest.raises(TensorNotesError, match=r"^bound=-1\.0 must be positive\.$"):
        descend(himmelblau, (0, 0), bound=-1)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: derivative(torch.sin, []), "x"),
        (lambda: descend(himmelblau, []), "start"),
        (lambda: descend(himmelblau, torch.tensor([])), "start"),
        (lambda: stationary_points(himmelblau, []), "starts"),
        (lambda: compare_descent(himmelblau, []), "starts"),
    ],
)
def test_an_empty_start_is_a_bad_value(call: Callable[[], object], name: str) -> None:
    with pytest.raises(TensorNotesError, match=rf"^{name} is empty"):
        call()


def test_descend_refuses_what_is_not_one_number() -> None:
    with pytest.raises(TensorNotesError, match=r"^f must return one number at a point"):
        descend(lambda x, y: "abc", (0.0, 0.0))  # type: ignore[arg-type, return-value]
    with pytest.raises(TypeError, match=r"^f returned the complex dtype torch\.complex64"):
        descend(lambda x, y: torch.tensor(1j), (0.0, 0.0))


def test_himmelblau_checks_its_operands() -> None:
    assert himmelblau(3.0, 2.0) == 0.0
    assert himmelblau(1e200, 0.0) == float("inf")
    with pytest.raises(TensorNotesError, match=r"^x of shape \(2,\) and y of shape \(3,\) do not"):
        himmelblau(torch.ones(2), torch.ones(3))
    with pytest.raises(TypeError, match=r"^x must be a real number, but got 'a' of type str\.$"):
        himmelblau("a", 1.0)  # type: ignore[arg-type]


# --- limits: refused at once, with the limit stated -------------------------------------


def _refused_fast(call: Callable[[], object], match: str) -> None:
    began = time.perf_counter()
    with pytest.raises(TensorNotesError, match=match):
        call()
    assert time.perf_counter() - began < 1.0  # generous: the refusal comes before any work


def test_too_many_steps() -> None:
    _refused_fast(
        lambda: descend(himmelblau, (0, 0), steps=10**9),
        r"^steps=1000000000 is too large; it must be at most 2,000\.$",
    )
    _refused_fast(
        lambda: descend(lambda *c: sum(c), [0.0] * 10, steps=2000),
        r"^steps=2000 for a run from a start of 10 coordinates make 20,000 coordinate updates; "
        r"at most 8,000 are allowed, so take fewer steps\.$",
    )
    _refused_fast(
        lambda: compare_descent(himmelblau, [(0, 0)] * 5, lrs=[0.01, 0.02], steps=1000),
        r"^steps=1000 for 10 runs from a start of 2 coordinates make 20,000",
    )


def test_too_many_starts() -> None:
    _refused_fast(
        lambda: stationary_points(himmelblau, torch.zeros(10**5, 2)),
        r"^starts holds 100,000 points; at most 1,000 are allowed\.$",
    )
    _refused_fast(
        lambda: stationary_points(himmelblau, torch.zeros(1000, 2), max_iter=500),
        r"^1,000 starts with max_iter=500 are 500,000 Newton steps; at most 100,000",
    )
    _refused_fast(
        lambda: stationary_points(himmelblau, torch.zeros(2, 11)),
        r"^starts has points of 11 coordinates; at most 10 are allowed\.$",
    )
    _refused_fast(
        lambda: compare_descent(himmelblau, [(0, 0)] * 101, steps=1),
        r"^starts holds 101 points; at most 100 are allowed\.$",
    )


def test_grids_too_fine() -> None:
    _refused_fast(
        lambda: kinks(torch.relu, -1, 1, n=10**9),
        r"^n=1000000000 is too large; it must be at most 20,001\.$",
    )
    _refused_fast(
        lambda: gradient_field(himmelblau, (0, 1), (0, 1), n=10**5),
        r"^n=100000 is too large; it must be at most 1,001\.$",
    )
    _refused_fast(
        lambda: plot_surface(himmelblau, arrows=1000),
        r"^arrows=1000 is too large; it must be at most 51\.$",
    )
    _refused_fast(
        lambda: compare_descent(
            himmelblau, [(0, 0)], lrs=[0.01] * 5, momenta=[0] * 4, steps=2
        ).plot(),
        r"^this comparison has 20 settings; plot draws at most 9 panels",
    )


def test_too_many_runs_to_draw() -> None:
    run = descend(himmelblau, (0, 0), steps=2)
    _refused_fast(
        lambda: plot_descent(himmelblau, [run] * 21),
        r"^trajectories holds 21 runs; plot_descent draws at most 20\.$",
    )


def test_a_stationary_search_of_many_starts_is_quick() -> None:
    g = torch.linspace(-5, 5, 30, dtype=torch.float64)
    points = stationary_points(himmelblau, torch.cartesian_prod(g, g))
    assert len(points) == 9


def test_device_checks_are_one_check() -> None:
    from tensornotes._device import check_device

    assert check_device(None) is None
    assert tensornotes.device().type in ("cpu", "cuda", "mps")
