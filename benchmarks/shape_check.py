"""Per-call cost of checking shapes: unchecked, ``@shapes`` and jaxtyping with beartype.

Run it with ``python benchmarks/shape_check.py`` (jaxtyping and beartype come with
the ``bench`` extra). Every version is the same two-argument function of
``x[4, 3, 32, 32]`` and ``w[3]`` with the spec ``B C H W`` for ``x`` and the
result and ``C`` for ``w``. Its body only returns ``x``, so that the difference
from the unchecked function is the checker's own cost rather than noise from
arithmetic. Each figure is the median over several repeats of the mean time
per call.

``@shapes`` remembers each combination of input shapes that passed, so a
second line measures it with a new batch size on every call (more sizes than
the memory keeps), which is what checking costs when nothing is remembered.
"""

import statistics
import timeit
from collections.abc import Callable
from typing import Any

import torch
from beartype import beartype
from jaxtyping import Float, jaxtyped
from torch import Tensor

from tensornotes import shapes

REPEATS = 7
CALLS = 20_000


def unchecked(x: Tensor, w: Tensor) -> Tensor:
    return x


@shapes(x="B C H W", w="C", returns="B C H W")
def with_shapes(x: Tensor, w: Tensor) -> Tensor:
    return x


@shapes(x=("B C H W", "floating"), w=("C", "floating"), returns=("B C H W", "floating"))
def with_shapes_and_dtype(x: Tensor, w: Tensor) -> Tensor:
    return x


# jaxtyping's documented pattern; the strings are its shape specs, not forward references.
@jaxtyped(typechecker=beartype)
def with_jaxtyping(
    x: Float[Tensor, "B C H W"],  # noqa: F722
    w: Float[Tensor, "C"],  # noqa: F821
) -> Float[Tensor, "B C H W"]:  # noqa: F722
    return x


def per_call_us(fn: Callable[..., Any], args_for: Callable[[int], tuple[Any, ...]]) -> float:
    """Median over REPEATS of the mean microseconds per call."""
    fn(*args_for(0))
    times = timeit.repeat(
        "for i in r: fn(*args_for(i))",
        globals={"fn": fn, "args_for": args_for, "r": range(CALLS)},
        number=1,
        repeat=REPEATS,
    )
    return statistics.median(times) / CALLS * 1e6


def main() -> None:
    x = torch.zeros(4, 3, 32, 32)
    w = torch.zeros(3)
    same = (x, w)
    # Expanded views of one element: a new batch size on every call, no memory.
    one = torch.zeros(1, 1, 1, 1)
    fresh = [(one.expand(b, 3, 32, 32), w) for b in range(1, 6001)]

    def same_args(i: int) -> tuple[Any, ...]:
        return same

    def fresh_args(i: int) -> tuple[Any, ...]:
        return fresh[i % len(fresh)]

    base = per_call_us(unchecked, same_args)
    base_fresh = per_call_us(unchecked, fresh_args)
    rows = [
        ("unchecked", base, base),
        ("@shapes (shapes only)", per_call_us(with_shapes, same_args), base),
        ("@shapes (shapes and dtype)", per_call_us(with_shapes_and_dtype, same_args), base),
        ("@shapes, new shapes every call", per_call_us(with_shapes, fresh_args), base_fresh),
        ("jaxtyping + beartype", per_call_us(with_jaxtyping, same_args), base),
    ]
    print(f"torch {torch.__version__}; median of {REPEATS} repeats of {CALLS} calls each")
    print(f"{'version':<32}{'per call (us)':>15}{'overhead (us)':>15}")
    for label, t, b in rows:
        print(f"{label:<32}{t:>15.2f}{t - b:>15.2f}")
    jax = rows[4][1] - base
    for label, t, b in rows[1:4]:
        print(f"overhead ratio, {label} / jaxtyping: {(t - b) / jax:.3f}")


if __name__ == "__main__":
    main()
