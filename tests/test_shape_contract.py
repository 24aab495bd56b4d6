"""The shape checker's contract: no silent wrong answer, only TypeError or ValueError,
a message that names the argument and the value, and limits that refuse at once."""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import torch

from tensornotes import ShapeError, TensorNotesError, check_shape, shapes
from tensornotes._shape_inputs import MAX_DIMS
from tensornotes._spec_parser import MAX_NESTING, MAX_SPEC_LENGTH


def _run(coroutine: Any) -> Any:
    """asyncio.run in a thread of its own: the browser tests leave an event loop
    running in the main thread when the whole suite runs in one process."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _nested() -> torch.Tensor:
    with warnings.catch_warnings():  # nested tensors are a prototype
        warnings.simplefilter("ignore")
        return torch.nested.nested_tensor([torch.zeros(2), torch.zeros(3)])


# --------------------------------------------------------------------------- arithmetic


def test_arithmetic_of_numbers_alone_is_checked() -> None:
    assert check_shape(torch.zeros(6), "2*3") == {}
    with pytest.raises(
        ShapeError,
        match=re.escape('x has 5 at dim 0 but the spec "2*3" fixes that dim to 2*3 = 6.'),
    ) as info:
        check_shape(torch.zeros(5), "2*3")
    assert str(info.value).endswith("Expected: x of shape (6,).")


def test_arithmetic_of_numbers_alone_is_checked_beside_a_group() -> None:
    assert check_shape(torch.zeros(2, 6), "*g 2*3") == {"g": (2,)}
    with pytest.raises(
        ShapeError,
        match=re.escape('x has 5 at dim 0 but the spec "*g 2*3" fixes that dim to 2*3 = 6.'),
    ):
        check_shape(torch.zeros(5), "*g 2*3")


def test_arithmetic_of_numbers_alone_is_checked_in_returns() -> None:
    @shapes(x="B", returns="B 2*2")
    def f(x: torch.Tensor) -> torch.Tensor:
        return torch.zeros(4, 7)

    with pytest.raises(
        ShapeError,
        match=re.escape(
            'the result has 7 at dim 1 but the spec "B 2*2" fixes that dim to 2*2 = 4'
        ),
    ):
        f(torch.zeros(4))


def test_a_constant_division_by_zero_is_a_malformed_spec() -> None:
    with pytest.raises(TensorNotesError, match=r'The spec "3//0" has 3//0, which divides by zero'):
        check_shape(torch.zeros(5), "3//0")
    with pytest.raises(TensorNotesError, match=r"which divides by zero"):
        shapes(x="N 3//0")(lambda x: x)


def test_a_division_by_a_bound_zero_is_a_shape_error() -> None:
    with pytest.raises(
        ShapeError,
        match=re.escape(
            "A//B at dim 2 of x divides by zero: A=6, B=0 (x has 6 at dim 0; x has 0 at dim 1)."
        ),
    ):
        check_shape(torch.zeros(6, 0, 3), "A B A//B")


def test_a_huge_product_is_written_without_all_its_digits() -> None:
    with pytest.raises(ShapeError, match=r"gives A\*A\*.* = a number of about \d+ digits"):
        check_shape(torch.zeros(3), "*".join(["A"] * 400), A=2**63 - 1)


# --------------------------------------------------------------------------- limits


def test_deep_brackets_are_refused_with_the_limit() -> None:
    deep = "(" * 500 + "A" + ")" * 500
    with pytest.raises(TensorNotesError, match=rf"a spec may have at most {MAX_SPEC_LENGTH}"):
        check_shape(torch.zeros(2), deep)
    with pytest.raises(TensorNotesError, match=rf"a spec may have at most {MAX_SPEC_LENGTH}"):
        shapes(x=deep)(lambda x: x)
    over = "(" * 250 + "A" + ")" * 250
    with pytest.raises(TensorNotesError, match=rf"may nest brackets {MAX_NESTING} deep at most"):
        check_shape(torch.zeros(2), over)
    with pytest.raises(TensorNotesError, match=rf"may nest brackets {MAX_NESTING} deep at most"):
        shapes(x=over)(lambda x: x)
    at_limit = "(" * MAX_NESTING + "A" + ")" * MAX_NESTING
    assert check_shape(torch.zeros(2, 2), f"A {at_limit}") == {"A": 2}


def test_a_long_spec_is_refused() -> None:
    with pytest.raises(
        TensorNotesError, match=r"^spec is 40000 characters long; a spec may have at most 1000\.$"
    ):
        check_shape(torch.zeros(2), "A " * 20_000)
    with pytest.raises(TensorNotesError, match=r"^x is 40000 characters long"):
        shapes(x="A " * 20_000)(lambda x: x)


def test_a_shape_with_too_many_dims_is_refused() -> None:
    class Endless:
        @property
        def shape(self) -> Iterator[int]:
            return iter(int, 1)  # zeros, forever

    with pytest.raises(TensorNotesError, match=rf"^x has more than {MAX_DIMS} dims"):
        check_shape(Endless(), "...")


# --------------------------------------------------------------------------- odd tensors


def test_meta_tensors_are_checked_by_their_shape() -> None:
    meta = torch.zeros(4, 3, device="meta")
    assert check_shape(meta, "B C", dtype="floating") == {"B": 4, "C": 3}
    with pytest.raises(
        ShapeError, match=re.escape("Fix: write x.T, of shape (3, 4), which fits.")
    ):
        check_shape(meta, "B 4")

    @shapes(x="B C", returns="C")
    def first(x: torch.Tensor) -> torch.Tensor:
        return x[0]

    assert first(meta).shape == (3,)


def test_sparse_tensors_are_checked_by_their_shape() -> None:
    coo = torch.zeros(4, 3).to_sparse()
    assert check_shape(coo, "B C") == {"B": 4, "C": 3}
    with warnings.catch_warnings():  # sparse CSR support is in beta
        warnings.simplefilter("ignore")
        csr = torch.zeros(4, 3).to_sparse_csr()
    assert check_shape(csr, "B 3") == {"B": 4}
    with pytest.raises(ShapeError, match=r'x has shape \(4, 3\) but the spec "B" needs 1 dim\.'):
        check_shape(coo, "B")


def test_a_nested_tensor_is_a_type_error() -> None:
    nested = _nested()
    with pytest.raises(TypeError, match=r"^img is a nested tensor, which has no single shape"):
        check_shape(nested, "B N", name="img")

    @shapes(x="B N")
    def f(x: torch.Tensor) -> torch.Tensor:
        return x

    for _ in range(2):
        with pytest.raises(TypeError, match=r"^x is a nested tensor"):
            f(nested)

    @shapes(x="B", returns="B N")
    def g(x: torch.Tensor) -> torch.Tensor:
        return nested

    with pytest.raises(TypeError, match=r"^the result is a nested tensor"):
        g(torch.zeros(2))


def test_objects_with_an_odd_shape_are_type_errors() -> None:
    class Odd:
        def __init__(self, shape: Any) -> None:
            self.shape = shape

    with pytest.raises(TypeError, match=r"^x\.shape must be a sequence of whole numbers, got str"):
        check_shape(Odd("ab"), "N")
    with pytest.raises(TypeError, match=r"^x\.shape must be .*, got tuple \(2\.0,\)"):
        check_shape(Odd((2.0,)), "N")
    with pytest.raises(TypeError, match=r"got tuple \(True,\)"):
        check_shape(Odd((True,)), "N")
    with pytest.raises(ValueError, match=r"^x\.shape \(-1,\) holds a size that no dim can have"):
        check_shape(Odd((-1,)), "N")
    assert check_shape(Odd([2, 3]), "N M") == {"N": 2, "M": 3}

    class Broken:
        @property
        def shape(self) -> Any:
            raise RuntimeError("no")

    with pytest.raises(TypeError, match=r"^w\.shape could not be read: RuntimeError"):
        check_shape(Broken(), "N", name="w")

    @shapes(x="N")
    def f(x: Any) -> Any:
        return x

    for _ in range(2):  # the second call would find a remembered key if one were kept
        with pytest.raises(TypeError, match=r"x\.shape must be a sequence"):
            f(Odd([[2]]))
    assert f(Odd([4])).shape == [4]


# --------------------------------------------------------------------------- the decorator


def test_async_functions_are_checked_once_awaited() -> None:
    @shapes(x="B", returns="B 2")
    async def pair(x: torch.Tensor) -> torch.Tensor:
        await asyncio.sleep(0)
        return torch.stack([x, x], dim=1)

    assert inspect.iscoroutinefunction(pair)
    assert _run(pair(torch.zeros(3))).shape == (3, 2)
    assert _run(pair(torch.zeros(3))).shape == (3, 2)  # remembered

    @shapes(x="B", returns="B 2")
    async def wrong(x: torch.Tensor) -> torch.Tensor:
        return torch.zeros(3, 5)

    with pytest.raises(ShapeError, match=r'the result has 5 at dim 1 but the spec "B 2" fixes'):
        _run(wrong(torch.zeros(3)))
    with pytest.raises(ShapeError, match=r"^x has shape \(3, 1\)"):
        _run(wrong(torch.zeros(3, 1)))


@pytest.mark.parametrize("kind", [staticmethod, classmethod])
def test_decorating_a_descriptor_is_refused(kind: type) -> None:
    def f(x: torch.Tensor) -> torch.Tensor:
        return x

    with pytest.raises(
        TypeError,
        match=rf"^shapes\(\) was put above @{kind.__name__}; put @{kind.__name__} on top",
    ):
        shapes(x="N")(kind(f))


def test_static_and_class_methods_work_below_the_descriptor() -> None:
    class Ops:
        @staticmethod
        @shapes(x="N", returns="N")
        def same(x: torch.Tensor) -> torch.Tensor:
            return x

        @classmethod
        @shapes(x="N", returns="N")
        def also(cls, x: torch.Tensor) -> torch.Tensor:
            return x

    assert Ops.same(torch.zeros(2)).shape == (2,)
    assert Ops().also(torch.zeros(2)).shape == (2,)
    with pytest.raises(ShapeError, match=r"^x has shape \(2, 2\)"):
        Ops.also(torch.zeros(2, 2))


def test_returns_on_a_generator_is_refused() -> None:
    def rows(x: torch.Tensor) -> Iterator[torch.Tensor]:
        yield from x

    with pytest.raises(TypeError, match=r"cannot check \S*rows\(\), a generator function"):
        shapes(x="N M", returns="M")(rows)
    assert [row.shape for row in shapes(x="N M")(rows)(torch.zeros(2, 3))] == [(3,), (3,)]


def test_decorating_something_that_is_not_a_function_is_refused() -> None:
    with pytest.raises(TypeError, match=r"^shapes\(\) decorates a function, got int 5\.$"):
        shapes(x="N")(5)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["0", "false", "FALSE", " off ", "No"])
def test_every_off_word_turns_the_checks_off(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    def f(x: torch.Tensor) -> torch.Tensor:
        return x

    monkeypatch.setenv("TENSORNOTES_CHECKS", value)
    assert shapes(x="N N")(f) is f


@pytest.mark.parametrize("value", ["1", "true", "yes", "", "2"])
def test_other_words_leave_the_checks_on(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    def f(x: torch.Tensor) -> torch.Tensor:
        return x

    monkeypatch.setenv("TENSORNOTES_CHECKS", value)
    with pytest.raises(ShapeError):
        shapes(x="N N")(f)(torch.zeros(3))


def test_with_the_checks_off_malformed_specs_are_still_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def f(x: torch.Tensor) -> torch.Tensor:
        return x

    monkeypatch.setenv("TENSORNOTES_CHECKS", "off")
    with pytest.raises(TensorNotesError, match=r'The spec "N\?" has an unknown character'):
        shapes(x="N?")(f)
    with pytest.raises(TensorNotesError, match=r"got a spec for 'y'"):
        shapes(y="N")(f)
    with pytest.raises(TypeError, match=r"x=3 is not a spec"):
        shapes(x=3)(f)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"was put above @staticmethod"):
        shapes(x="N")(staticmethod(f))


def test_a_tuple_result_names_each_value() -> None:
    @shapes(x="N", returns=["N", "N"])
    def f(x: torch.Tensor) -> Any:
        return x, x.tolist()

    with pytest.raises(TypeError, match=r"^result\[1\] must be a tensor .*, got list"):
        f(torch.zeros(2))


# --------------------------------------------------------------------------- known sizes


@pytest.mark.parametrize(
    ("value", "shown"), [(None, "None"), (3.0, "3.0"), (True, "True"), ("3", "'3'")]
)
def test_a_known_size_of_the_wrong_type_is_a_type_error(value: object, shown: str) -> None:
    with pytest.raises(
        TypeError,
        match=rf"^B={re.escape(shown)} is not a size: give a whole number such as B=3\.$",
    ):
        check_shape(torch.zeros(3), "B", B=value)  # type: ignore[arg-type]


def test_a_known_size_is_a_whole_number_of_at_least_zero() -> None:
    with pytest.raises(ValueError, match=r"^B=-1 is not a size: a dim has 0 to 2\*\*63 - 1"):
        check_shape(torch.zeros(3), "B", B=-1)
    with pytest.raises(ValueError, match=r"^B=an integer of about 5001 digits is not a size"):
        check_shape(torch.zeros(3), "B", B=10**5000)
    assert check_shape(torch.zeros(3), "B", B=torch.tensor(3)) == {"B": 3}


def test_a_known_group_is_a_tuple_of_sizes() -> None:
    assert check_shape(torch.zeros(2, 5, 3), "*b C", b=[2, 5]) == {"b": (2, 5), "C": 3}
    with pytest.raises(TypeError, match=r"^b=3 is not a group of sizes: give a tuple"):
        check_shape(torch.zeros(3), "*b C", b=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^b\[1\]=2\.5 is not a size"):
        check_shape(torch.zeros(3), "*b C", b=(1, 2.5))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^C=\(3,\) is not a size"):
        check_shape(torch.zeros(3), "*b C", C=(3,))


def test_check_shape_checks_its_other_arguments() -> None:
    with pytest.raises(TypeError, match=r"^name must be a string, got int 5\.$"):
        check_shape(torch.zeros(3), "N", name=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^dtype must be a torch\.dtype, .* got int 5\.$"):
        check_shape(torch.zeros(3), "N", dtype=5)  # type: ignore[arg-type]
    with pytest.raises(ShapeError, match=r"^x has no dtype but its spec asks for"):
        check_shape(type("Bare", (), {"shape": (3,)})(), "N", dtype="floating")
