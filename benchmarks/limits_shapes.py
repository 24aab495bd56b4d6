"""Adversarial inputs to the shape checker: each must finish fast or be refused at once.

``CASES`` lists ``(label, callable)`` pairs. Each callable takes no argument,
makes one call that a hostile or careless caller could make of
``check_shape`` or ``@shapes``, and swallows the TypeError or ValueError with
which the package refuses bad input (a ShapeError is a ValueError), so that
only time and memory are left to measure. Anything else escapes, as it should.

Run as a script it prints, per case, the wall time (``time.perf_counter``) and
the peak of memory allocated from Python (``tracemalloc``):
``.venv/bin/python benchmarks/limits_shapes.py [WORD ...]`` runs the cases whose
label contains one of the words. Every case should take well under 2 s, and a
refusal under 0.1 s.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
import warnings
from collections.abc import Callable
from typing import Any

import torch
from limits import quietly

from tensornotes import check_shape, shapes
from tensornotes._spec_parser import CACHE_MAX_LENGTH, MAX_SPEC_LENGTH


def _nothing(x: torch.Tensor) -> torch.Tensor:
    return x


def _names(count: int, tag: str = "") -> str:
    return " ".join(f"N{tag}_{i}" for i in range(count))


def _distinct_specs(count: int, length: int) -> Callable[[], object]:
    """``count`` different specs of about ``length`` characters, each checked once."""

    def run() -> object:
        x = torch.zeros(2, 3)
        for k in range(count):
            spec = _names(length // 8, f"{k}x")[:length].rstrip("_ ")
            with contextlib.suppress(ValueError):
                check_shape(x, spec)
        return None

    return run


def _long_specs() -> object:
    """200 distinct specs of 20,000 tokens each: refused, so the cache holds none of them."""
    x = torch.zeros(2)
    tail = " ".join(f"N{i}" for i in range(20_000))
    for k in range(200):
        with contextlib.suppress(ValueError):
            check_shape(x, f"K{k} {tail}")
    return None


def _deep_brackets(depth: int) -> str:
    return "(" * depth + "A" + ")" * depth


def _huge_shape() -> object:
    class Endless:
        """An object whose shape never ends."""

        @property
        def shape(self) -> Any:
            return iter(int, 1)  # yields 0 forever

    return check_shape(Endless(), "...")


def _many_dims_tensor() -> object:
    return check_shape(torch.zeros([1] * 1000), "... A B")


def _wide_product() -> object:
    spec = "A " + "*".join(["A"] * ((MAX_SPEC_LENGTH - 2) // 2))
    return check_shape(torch.zeros(1, 1).expand(2**40, 5), spec)


def _product_with_known() -> object:
    spec = "*".join(["A"] * (MAX_SPEC_LENGTH // 2))
    return check_shape(torch.zeros(3), spec, A=2**63 - 1)


def _constant_product() -> object:
    return check_shape(torch.zeros(3), "*".join(["99999999"] * (MAX_SPEC_LENGTH // 9)))


def _permuted_arguments(count: int) -> Callable[[], object]:
    """A function of ``count`` 6-d tensors, one of them with its dims reversed."""

    def run() -> object:
        def fn(*args: torch.Tensor) -> None:
            return None

        names = [f"x{i}" for i in range(count)]
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        fn.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter(n, kind) for n in names]
        )
        checked = shapes(**dict.fromkeys(names, "A B C D E F"))(fn)
        good = torch.zeros(1, 2, 3, 4, 5, 6)
        return checked(*[good] * (count - 1), good.permute(5, 4, 3, 2, 1, 0))

    return run


def _wide_spec(dims: int) -> Callable[[], object]:
    """A spec of 500 one-letter names (999 characters) against a tensor of ``dims`` dims."""

    def run() -> object:
        spec = " ".join(chr(ord("a") + i % 26) * (1 + i // 26) for i in range(500))[
            :MAX_SPEC_LENGTH
        ]
        spec = " ".join(["_"] * 500) if dims == 500 else spec
        return check_shape(torch.zeros([1] * dims), spec)

    return run


def _new_shape_every_call(calls: int) -> Callable[[], object]:
    def run() -> object:
        checked = shapes(x="B C", returns="B C")(_nothing)
        one = torch.zeros(1, 1)
        for b in range(calls):
            checked(one.expand(b + 1, 3))
        return None

    return run


def _many_known_sizes() -> object:
    return check_shape(torch.zeros(2), "A", **{f"K{i}": i for i in range(10_000)})


def _nested_tensor() -> object:
    with warnings.catch_warnings():  # nested tensors are a prototype
        warnings.simplefilter("ignore")
        nested = torch.nested.nested_tensor([torch.zeros(2), torch.zeros(3)])
    return check_shape(nested, "B N")


CASES: list[tuple[str, Callable[[], None]]] = [
    (
        "500 nested brackets in check_shape",
        quietly(lambda: check_shape(torch.zeros(2), _deep_brackets(500))),
    ),
    (
        "500 nested brackets at decoration",
        quietly(lambda: shapes(x=_deep_brackets(500))(_nothing)),
    ),
    (
        "250 nested brackets (501 characters)",
        quietly(lambda: check_shape(torch.zeros(2), _deep_brackets(250))),
    ),
    (
        "17 nested brackets (one over the limit)",
        quietly(lambda: check_shape(torch.zeros(2), _deep_brackets(17))),
    ),
    (
        "16 nested brackets (at the limit)",
        quietly(lambda: check_shape(torch.zeros(2), _deep_brackets(16))),
    ),
    ("200 distinct specs of 20,000 tokens", quietly(_long_specs)),
    ("spec of 20,000 tokens", quietly(lambda: check_shape(torch.zeros(2), "A " * 20_000))),
    ("spec of 10**6 characters at decoration", quietly(lambda: shapes(x="A" * 10**6)(_nothing))),
    (
        f"spec of {MAX_SPEC_LENGTH} characters of names vs a 1-d tensor",
        quietly(lambda: check_shape(torch.zeros(2), _names(200)[:MAX_SPEC_LENGTH].rstrip("_ "))),
    ),
    (
        f"200 distinct specs of {MAX_SPEC_LENGTH} characters",
        quietly(_distinct_specs(200, MAX_SPEC_LENGTH)),
    ),
    (
        f"500 distinct specs (over the cache size) of {CACHE_MAX_LENGTH} characters",
        quietly(_distinct_specs(500, CACHE_MAX_LENGTH)),
    ),
    ("3//0 in a spec", quietly(lambda: check_shape(torch.zeros(5), "3//0"))),
    ("A//B with B = 0", quietly(lambda: check_shape(torch.zeros(6, 0, 3), "A B A//B"))),
    ("A*A*...*A (500 factors), A = 2**63 - 1", quietly(_product_with_known)),
    ("A A*A*...*A (499 factors) on a 2**40 dim", quietly(_wide_product)),
    ("99999999*... (111 factors of 8 digits)", quietly(_constant_product)),
    ("tensor of 1,000 dims against '... A B'", quietly(_many_dims_tensor)),
    ("object whose .shape never ends", quietly(_huge_shape)),
    ("known size B=10**5000", quietly(lambda: check_shape(torch.zeros(2), "B", B=10**5000))),
    ("10,000 known sizes", quietly(_many_known_sizes)),
    ("B=None, B=3.0 as known sizes", quietly(lambda: check_shape(torch.zeros(2), "B", B=None))),
    ("nested tensor", quietly(_nested_tensor)),
    ("500 dims of _ against a 500-d tensor", quietly(_wide_spec(500))),
    ("500 names against a 499-d tensor (unsqueeze search)", quietly(_wide_spec(499))),
    ("20 arguments of 6 dims, one reversed (fix search)", quietly(_permuted_arguments(20))),
    ("10,000 calls, a new shape every call", quietly(_new_shape_every_call(10_000))),
]


if __name__ == "__main__":
    from limits import main

    raise SystemExit(main(["shapes"], sys.argv[1:]))
