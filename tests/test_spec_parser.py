"""Tests of the spec parser: typed dims, the arithmetic program, the limits and the cache."""

from __future__ import annotations

import pytest
import torch

from tensornotes import TensorNotesError
from tensornotes._spec_parser import (
    CACHE_MAX_LENGTH,
    CACHE_SIZE,
    MAX_NESTING,
    MAX_SPEC_LENGTH,
    Anything,
    Arith,
    Fixed,
    Group,
    Named,
    Op,
    _parse_cached,
    parse_dtype,
    parse_spec,
)


def test_each_kind_of_dim_has_its_own_type() -> None:
    spec = parse_spec("B 3 _ *batch H*W 2*3")
    assert spec.left == (Named("B"), Fixed(3, "3"), Anything())
    assert spec.group == Group("batch")
    assert spec.star == "batch"
    hw, six = spec.right
    assert isinstance(hw, Arith)
    assert (hw.text, hw.names, hw.program) == ("H*W", ("H", "W"), ("H", "W", Op.MUL))
    assert six == Fixed(6, "2*3")
    assert spec.dim_names == {"B", "H", "W"}
    assert (spec.n_left, spec.n_right, spec.n_dims) == (3, 2, 5)


def test_ellipsis_is_a_group_without_a_name() -> None:
    spec = parse_spec("... C")
    assert spec.group == Group(None)
    assert spec.star is None
    assert spec.right == (Named("C"),)


def test_a_spec_of_names_numbers_and_underscores_has_the_quick_form() -> None:
    spec = parse_spec("B 3 _ W")
    assert spec.plain == ("B", None, None, "W")
    assert spec.fixed == ((1, 3),)
    # Arithmetic of numbers alone is a fixed size, so it keeps the quick form too.
    assert parse_spec("B 2*3").fixed == ((1, 6),)
    assert parse_spec("B H*2").plain is None
    assert parse_spec("B ...").plain is None


def test_arithmetic_follows_precedence_and_brackets() -> None:
    spec = parse_spec("A B A+B*2 (A+B)*2 A-B-1 A//B//2")
    env = {"A": 9, "B": 2}
    values = [d.evaluate(env) for d in spec.left if isinstance(d, Arith)]
    assert values == [9 + 2 * 2, (9 + 2) * 2, 9 - 2 - 1, 9 // 2 // 2]


def test_division_by_zero_evaluates_to_none() -> None:
    (_, _, ratio) = parse_spec("A B A//B").left
    assert isinstance(ratio, Arith)
    assert ratio.evaluate({"A": 6, "B": 0}) is None
    assert ratio.evaluate({"A": 6, "B": 4}) == 1


@pytest.mark.parametrize(
    ("spec", "pattern"),
    [
        ("3//0", r'The spec "3//0" has 3//0, which divides by zero, at position 0'),
        ("B 1-2", r"has 1-2 = -1 at position 2, and no dim has a negative size"),
        ("B H/2", r"has an unexpected '/' at position 3"),
    ],
)
def test_constant_arithmetic_is_worked_out_when_parsed(spec: str, pattern: str) -> None:
    with pytest.raises(TensorNotesError, match=pattern):
        parse_spec(spec)


def test_brackets_nest_to_a_limit() -> None:
    at_limit = "(" * MAX_NESTING + "A" + ")" * MAX_NESTING
    assert isinstance(parse_spec(f"A {at_limit}").left[1], Arith)
    over = "(" * (MAX_NESTING + 1) + "A" + ")" * (MAX_NESTING + 1)
    with pytest.raises(
        TensorNotesError,
        match=rf"brackets nested too deep at position {MAX_NESTING}; "
        rf"arithmetic may nest brackets {MAX_NESTING} deep at most",
    ):
        parse_spec(over)


def test_a_spec_has_a_length_limit() -> None:
    assert parse_spec("A " * (MAX_SPEC_LENGTH // 2)).n_left == MAX_SPEC_LENGTH // 2
    with pytest.raises(
        TensorNotesError,
        match=rf"spec is 20000 characters long; a spec may have at most {MAX_SPEC_LENGTH}\.",
    ):
        parse_spec("A " * 10_000)
    with pytest.raises(TensorNotesError, match=r"^x is 1001 characters long"):
        parse_spec("A" * 1001, "x")


def test_a_star_name_used_in_arithmetic_is_refused() -> None:
    with pytest.raises(TensorNotesError, match=r"has 'b' as a single dim at position 5"):
        parse_spec("*b 2*b")


def test_the_cache_holds_a_bounded_number_of_short_specs() -> None:
    _parse_cached.cache_clear()
    for k in range(CACHE_SIZE + 50):
        parse_spec(f"A{k} B")
    assert _parse_cached.cache_info().currsize == CACHE_SIZE
    _parse_cached.cache_clear()
    long_spec = " ".join(["A"] * (CACHE_MAX_LENGTH // 2 + 1))
    assert len(long_spec) > CACHE_MAX_LENGTH
    assert parse_spec(long_spec) == parse_spec(long_spec)
    assert _parse_cached.cache_info().currsize == 0


def test_a_spec_that_is_not_a_string_is_a_type_error_naming_the_argument() -> None:
    with pytest.raises(TypeError, match=r'^w must be a string such as "B C H W", got bytes'):
        parse_spec(b"B C", "w")


def test_dtype_rules() -> None:
    assert parse_dtype("floating").fix == ".float()"
    assert parse_dtype({torch.int8}).label == "one of torch.int8"
    with pytest.raises(TensorNotesError, match=r"dtype='float' is not a dtype family"):
        parse_dtype("float")
    with pytest.raises(TypeError, match=r"^dtype must be a torch.dtype, .* got int 5\.$"):
        parse_dtype(5)
    with pytest.raises(TypeError, match=r"got list \[\[1\]\]"):
        parse_dtype([[1]])
    with pytest.raises(TypeError, match=r"got list \[\]"):
        parse_dtype([])
