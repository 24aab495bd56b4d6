"""Tests of the shape checker: bindings, the decorator, messages, and a reference model."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import tensornotes
from tensornotes import ShapeError, TensorNotesError, check_shape, shapes

# --------------------------------------------------------------------------- check_shape


def test_check_shape_returns_the_bindings() -> None:
    x = torch.zeros(4, 3, 32, 32)
    assert check_shape(x, "B C H W") == {"B": 4, "C": 3, "H": 32, "W": 32}


@pytest.mark.parametrize(
    ("shape", "spec", "known", "expected"),
    [
        ((4, 3, 32, 32), "B 3 H W", {}, {"B": 4, "H": 32, "W": 32}),
        ((4, 3, 32, 32), "_ C _ _", {}, {"C": 3}),
        ((2, 5, 7, 3), "*batch C", {}, {"batch": (2, 5, 7), "C": 3}),
        ((3,), "*batch C", {}, {"batch": (), "C": 3}),
        ((2, 5, 7, 3), "... C", {}, {"C": 3}),
        ((2, 5, 7, 3), "B ... C", {}, {"B": 2, "C": 3}),
        ((4, 6, 24), "B H H*4", {}, {"B": 4, "H": 6}),
        ((4, 3), "C+1 C", {}, {"C": 3}),
        ((8, 4), "2*C C", {}, {"C": 4}),
        ((5, 2), "N N//2", {}, {"N": 5}),
        ((7, 3), "(C+4)*1 C", {}, {"C": 3}),
        ((2, 3, 12), "A B A*B*2", {}, {"A": 2, "B": 3}),
        ((), "", {}, {}),
        ((4, 3), "B C", {"C": 3}, {"B": 4, "C": 3}),
        ((2, 5, 3), "*b C", {"b": (2, 5)}, {"b": (2, 5), "C": 3}),
    ],
)
def test_check_shape_accepts(
    shape: tuple[int, ...], spec: str, known: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert check_shape(torch.zeros(shape), spec, **known) == expected


def test_check_shape_works_on_anything_with_a_shape() -> None:
    np = pytest.importorskip("numpy")
    assert check_shape(np.zeros((2, 3)), "N M") == {"N": 2, "M": 3}


def test_check_shape_checks_dtypes() -> None:
    x = torch.zeros(2, 3)
    assert check_shape(x, "N M", dtype=torch.float32) == {"N": 2, "M": 3}
    assert check_shape(x, "N M", dtype="floating") == {"N": 2, "M": 3}
    assert check_shape(x.long(), "N M", dtype="integer") == {"N": 2, "M": 3}
    assert check_shape(x.bool(), "N M", dtype="bool") == {"N": 2, "M": 3}
    assert check_shape(x, "N M", dtype={torch.float16, torch.float32}) == {"N": 2, "M": 3}
    with pytest.raises(ShapeError, match=r"x has dtype torch\.int64 but its spec asks for "):
        check_shape(x.long(), "N M", dtype="floating")


def test_specs_are_parsed_once() -> None:
    # The cache that check_shape itself calls: when the docstrings are collected
    # first, the parser's module may be imported a second time, with its own cache.
    cache = check_shape.__globals__["parse_spec"].__globals__["_parse_cached"]
    cache.cache_clear()
    for _ in range(3):
        check_shape(torch.zeros(2, 3), "P Q")
    info = cache.cache_info()
    assert (info.misses, info.hits) == (1, 2)


# --------------------------------------------------------------------------- messages


def test_message_names_the_dim_and_where_it_was_bound() -> None:
    @shapes(x="B C H W", w="C")
    def scale(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        return x * w[:, None, None]

    with pytest.raises(ShapeError) as info:
        scale(torch.zeros(4, 3, 32, 32), torch.zeros(4))
    message = str(info.value)
    assert message.startswith("C: x has 3 at dim 1 (bound there), w has 4 at dim 0.")
    assert "Expected: w of shape (3,)." in message
    # The spec is shown aligned over the shape, with the dims marked.
    assert "  x spec   B C  H  W\n    shape  4 3 32 32\n             ^\n" in message


def test_message_suggests_permute_for_channels_last() -> None:
    @shapes(x="B C H W", w="C")
    def scale(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        return x

    with pytest.raises(
        ShapeError,
        match=re.escape(
            "Fix: if w is right, write x.permute(0, 3, 1, 2), of shape (4, 3, 32, 32), which fits."
        ),
    ):
        scale(torch.zeros(4, 32, 32, 3), torch.zeros(3))


def test_message_suggests_permute_for_a_fixed_size() -> None:
    with pytest.raises(
        ShapeError,
        match=re.escape('img has 32 at dim 1 but the spec "B 3 H W" fixes that dim to 3.'),
    ) as info:
        check_shape(torch.zeros(4, 32, 32, 3), "B 3 H W", name="img")
    assert str(info.value).endswith(
        "Fix: write img.permute(0, 3, 1, 2), of shape (4, 3, 32, 32), which fits."
    )


def test_message_suggests_unsqueeze_for_a_missing_dim() -> None:
    with pytest.raises(
        ShapeError,
        match=re.escape('x has shape (3, 32, 32) but the spec "B C H W" needs 4 dims.'),
    ) as info:
        check_shape(torch.zeros(3, 32, 32), "B C H W")
    assert str(info.value).endswith(
        "Fix: write x.unsqueeze(0), of shape (1, 3, 32, 32), if the missing dim is B."
    )
    # The shape is drawn with a blank where the missing dim goes.
    assert "  x spec   B C  H  W\n    shape    3 32 32\n" in str(info.value)


def test_message_suggests_unsqueeze_where_the_sizes_say() -> None:
    with pytest.raises(ShapeError, match=re.escape("Fix: write x.unsqueeze(1), of shape (4, 1)")):
        check_shape(torch.zeros(4), "N 1")


def test_message_suggests_squeeze_for_an_extra_dim_of_one() -> None:
    with pytest.raises(ShapeError, match=re.escape("Fix: write x.squeeze(1), of shape (4, 5)")):
        check_shape(torch.zeros(4, 1, 5), "N M")


def test_message_suggests_transpose_for_a_swapped_matrix() -> None:
    @shapes(x="N IN", w="OUT IN")
    def linear(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        return x @ w.T

    with pytest.raises(ShapeError) as info:
        linear(torch.zeros(4, 784), torch.zeros(784, 512))
    message = str(info.value)
    assert message.startswith("IN: x has 784 at dim 1 (bound there), w has 512 at dim 1.")
    assert message.endswith("Fix: write w.T, of shape (512, 784), which fits.")


def test_message_for_a_given_size() -> None:
    with pytest.raises(ShapeError, match=r"^C: given as C=4 \(bound there\), x has 3 at dim 1\."):
        check_shape(torch.zeros(4, 3), "B C", C=4)


def test_message_for_a_repeated_name_in_one_spec() -> None:
    with pytest.raises(
        ShapeError, match=re.escape("N: m has 5 at dim 0 (bound there), m has 3 at dim 1.")
    ):
        check_shape(torch.zeros(5, 3), "N N", name="m")


def test_message_for_a_star_group() -> None:
    @shapes(x="*batch F", y="*batch")
    def f(x: torch.Tensor, y: torch.Tensor) -> None:
        return None

    with pytest.raises(
        ShapeError,
        match=re.escape(
            "*batch: x has (2, 5) at dims 0-1 (bound there), y has (2, 6) at dims 0-1."
        ),
    ):
        f(torch.zeros(2, 5, 3), torch.zeros(2, 6))


def test_message_for_arithmetic() -> None:
    with pytest.raises(
        ShapeError,
        match=re.escape(
            "H*W: x has 30 at dim 2, but H=4, W=8 give H*W = 32 "
            "(x has 4 at dim 0; x has 8 at dim 1)."
        ),
    ):
        check_shape(torch.zeros(4, 8, 30), "H W H*W")
    with pytest.raises(ShapeError, match=re.escape("C+1 at dim 0 of x needs C, which no plain")):
        check_shape(torch.zeros(4), "C+1")


def test_message_for_the_return_value() -> None:
    @shapes(x="B C", returns="B C")
    def total(x: torch.Tensor) -> torch.Tensor:
        return x.sum(0)

    with pytest.raises(
        ShapeError, match=re.escape('the result has shape (3,) but the spec "B C" needs 2 dims.')
    ):
        total(torch.zeros(4, 3))


def test_not_a_tensor_is_a_type_error() -> None:
    @shapes(x="N")
    def f(x: Any) -> Any:
        return x

    with pytest.raises(
        TypeError, match=r"x must be a tensor \(anything with a \.shape\), got list"
    ):
        f([1, 2, 3])
    with pytest.raises(TypeError, match=r"img must be a tensor"):
        check_shape(3, "N", name="img")


@pytest.mark.parametrize(
    ("spec", "pattern"),
    [
        ("B *x *y", r'The spec "B \*x \*y" has a second group \'\*y\' at position 5'),
        ("... *x", r"has a second group '\*x' at position 4"),
        ("B C? H", r'The spec "B C\? H" has an unknown character \'\?\' at position 3'),
        ("H*", r"has the end of the dim where a name or a number should be at position 2"),
        ("(H+1", r"has the end of the dim where '\)' should be at position 4"),
        ("H**W", r"has '\*' where a name or a number should be at position 2"),
        ("3C", r"has 'C' where an operator should be at position 1"),
        ("*b b", r"has 'b' as a single dim at position 3, but \*b is a group"),
        ("*_ C", r"has '\*_' at position 0, which is not '\*' followed by a name"),
    ],
)
def test_malformed_specs_name_the_spec_and_the_position(spec: str, pattern: str) -> None:
    with pytest.raises(ValueError, match=pattern) as info:
        check_shape(torch.zeros(2), spec)
    assert isinstance(info.value, TensorNotesError)
    assert not isinstance(info.value, ShapeError)


def test_a_spec_that_is_not_a_string_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r'spec must be a string such as "B C H W", got int 3'):
        check_shape(torch.zeros(2), 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"x=\['N'\] is not a spec"):
        shapes(x=["N"])(lambda x: x)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"returns=5 is not a spec"):
        shapes(x="N", returns=5)(lambda x: x)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"x must be a string such as .*, got NoneType None"):
        shapes(x=(None, "floating"))(lambda x: x)  # type: ignore[arg-type]


def test_decoration_errors() -> None:
    def f(x: torch.Tensor, *rest: torch.Tensor) -> None:
        return None

    with pytest.raises(ValueError, match=r"got a spec for 'y', but .*f\(\) has no parameter"):
        shapes(y="N")(f)
    with pytest.raises(ValueError, match=r"cannot check \*rest or \*\*rest"):
        shapes(rest="N")(f)
    with pytest.raises(ValueError, match=r"use 'b' both as \*b and as a single dim"):
        shapes(x="*b N", returns="b")(f)
    with pytest.raises(ValueError, match=r"The spec \"N\?\" has an unknown character"):
        shapes(x="N?")(f)


# --------------------------------------------------------------------------- the decorator


@shapes(x="B C H W", w="C", returns="B C H W")
def scale(x: torch.Tensor, w: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
    """Scale every channel of x."""
    return x * w[:, None, None]


def test_positional_keyword_and_mixed_calls() -> None:
    x, w = torch.ones(2, 3, 4, 4), torch.full((3,), 2.0)
    for out in (scale(x, w), scale(x, w=w), scale(x=x, w=w), scale(w=w, x=x)):
        assert torch.equal(out, x * 2)
    with pytest.raises(ShapeError, match=r"^C: x has 3"):
        scale(w=torch.ones(4), x=x)


def test_wraps_keeps_the_name_docstring_and_signature() -> None:
    assert scale.__name__ == "scale"
    assert scale.__doc__ == "Scale every channel of x."
    assert list(inspect.signature(scale).parameters) == ["x", "w", "bias"]


def test_defaults_and_none_are_skipped() -> None:
    @shapes(x="N", y="N")
    def f(x: torch.Tensor, y: torch.Tensor | None = None) -> int:
        return 0 if y is None else 1

    assert f(torch.zeros(3)) == 0
    assert f(torch.zeros(3), None) == 0
    assert f(torch.zeros(3), torch.zeros(3)) == 1
    with pytest.raises(ShapeError, match=r"^N: x has 3"):
        f(torch.zeros(3), y=torch.zeros(4))

    @shapes(x="N", y="N")
    def g(x: torch.Tensor, y: torch.Tensor = torch.zeros(2)) -> None:  # noqa: B008
        return None

    with pytest.raises(ShapeError, match=r"^N: x has 3 at dim 0 \(bound there\), y has 2"):
        g(torch.zeros(3))


def test_methods_and_keyword_only_parameters() -> None:
    class Layer:
        def __init__(self) -> None:
            self.w = torch.ones(5, 4)

        @shapes(x="B IN", returns="B OUT")
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x @ self.w.T

        @shapes(x="B IN", scale="B")
        def scaled(self, x: torch.Tensor, *, scale: torch.Tensor) -> torch.Tensor:
            return x * scale[:, None]

    layer = Layer()
    assert layer.forward(torch.ones(2, 4)).shape == (2, 5)
    assert layer.forward(x=torch.ones(3, 4)).shape == (3, 5)
    assert layer.scaled(torch.ones(2, 4), scale=torch.ones(2)).shape == (2, 4)
    with pytest.raises(ShapeError, match=r"^B: x has 2 at dim 0 \(bound there\), scale has 3"):
        layer.scaled(torch.ones(2, 4), scale=torch.ones(3))


def test_returns_exactly_what_the_function_returns_and_touches_nothing() -> None:
    sentinel = torch.zeros(1, 2, 3, 4)

    @shapes(x="B C H W", w="C", returns="B C H W")
    def f(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        return sentinel

    x = torch.arange(24.0).reshape(1, 2, 3, 4).requires_grad_()
    w = torch.arange(2.0)
    before = (x.detach().clone(), w.clone(), x._version, w._version, x.data_ptr(), w.stride())
    assert f(x, w) is sentinel
    assert f(x, w) is sentinel  # the remembered-shapes path as well
    assert torch.equal(x.detach(), before[0])
    assert torch.equal(w, before[1])
    assert (x._version, w._version, x.data_ptr(), w.stride()) == before[2:]
    assert x.grad is None


def test_remembered_shapes_do_not_leak_bindings_between_calls() -> None:
    @shapes(x="N", returns="N K")
    def outer(x: torch.Tensor, k: int) -> torch.Tensor:
        return torch.zeros(x.shape[0], k)

    x = torch.zeros(3)
    assert outer(x, 2).shape == (3, 2)
    assert outer(x, 5).shape == (3, 5)  # K is bound afresh on every call
    assert outer(x, 2).shape == (3, 2)


def test_a_failing_call_is_not_remembered() -> None:
    @shapes(x="N", y="N")
    def f(x: torch.Tensor, y: torch.Tensor) -> None:
        return None

    for _ in range(2):
        with pytest.raises(ShapeError):
            f(torch.zeros(3), torch.zeros(4))
    f(torch.zeros(3), torch.zeros(3))
    with pytest.raises(ShapeError):
        f(torch.zeros(3), torch.zeros(4))


def test_dtype_specs_in_the_decorator() -> None:
    @shapes(x=("N", torch.float32), idx=("K", "integer"), returns=("K", "floating"))
    def gather(x: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
        return x[idx]

    assert gather(torch.arange(5.0), torch.tensor([0, 2])).tolist() == [0.0, 2.0]
    with pytest.raises(
        ShapeError, match=r"x has dtype torch\.int64 but its spec asks for torch\.float32"
    ):
        gather(torch.arange(5), torch.tensor([0, 2]))
    with pytest.raises(ShapeError, match=r"Fix: write x\.to\(torch\.float32\)\."):
        gather(torch.arange(5), torch.tensor([0, 2]))
    with pytest.raises(ShapeError, match=r"idx has dtype torch\.float32 but .* an integer dtype"):
        gather(torch.arange(5.0), torch.tensor([0.0, 2.0]))


def test_several_return_values() -> None:
    @shapes(x="N M", returns=["M", "M"])
    def column_extremes(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return x.min(0).values, x.max(0).values

    low, high = column_extremes(torch.arange(6.0).reshape(2, 3))
    assert low.tolist() == [0.0, 1.0, 2.0]
    assert high.tolist() == [3.0, 4.0, 5.0]

    @shapes(x="N M", returns=["M", "M"])
    def wrong(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return x.min(0).values, x.max(1).values

    with pytest.raises(
        ShapeError, match=r"^M: x has 3 at dim 1 \(bound there\), result\[1\] has 2"
    ):
        wrong(torch.arange(6.0).reshape(2, 3))


def test_the_switch_turns_the_decorator_off(monkeypatch: pytest.MonkeyPatch) -> None:
    def f(x: torch.Tensor) -> torch.Tensor:
        return x

    monkeypatch.setenv("TENSORNOTES_CHECKS", "0")
    assert shapes(x="N N")(f) is f
    assert shapes(x="N N")(f)(torch.zeros(3)).shape == (3,)
    monkeypatch.setenv("TENSORNOTES_CHECKS", "1")
    assert shapes(x="N N")(f) is not f
    with pytest.raises(ShapeError):
        shapes(x="N N")(f)(torch.zeros(3))


def test_public_names() -> None:
    for name in ("ShapeError", "check_shape", "shapes"):
        assert name in tensornotes.__all__
    assert issubclass(ShapeError, TensorNotesError)
    assert issubclass(ShapeError, ValueError)


# --------------------------------------------------------------------------- a reference model
# A plain implementation, written separately: bind every plain name and group
# first, then evaluate each arithmetic dim with Python's own eval.

NAMES = ("A", "B", "C")


def reference(pairs: list[tuple[list[str], tuple[int, ...]]]) -> dict[str, Any] | None:
    env: dict[str, Any] = {}
    exprs: list[tuple[str, int]] = []
    for tokens, shape in pairs:
        groups = [i for i, t in enumerate(tokens) if t == "..." or t.startswith("*")]
        if groups:
            g = groups[0]
            left, right = tokens[:g], tokens[g + 1 :]
            if len(shape) < len(left) + len(right):
                return None
            middle = shape[len(left) : len(shape) - len(right)]
            dims = list(zip(left, shape[: len(left)], strict=True)) + list(
                zip(right, shape[len(shape) - len(right) :], strict=True)
            )
            star = "" if tokens[g] == "..." else tokens[g][1:]
            if star and env.setdefault(star, tuple(middle)) != tuple(middle):
                return None
        else:
            if len(shape) != len(tokens):
                return None
            dims = list(zip(tokens, shape, strict=True))
        for token, size in dims:
            if token.isdigit():
                if int(token) != size:
                    return None
            elif token in NAMES:
                if env.setdefault(token, size) != size:
                    return None
            elif token != "_":
                exprs.append((token, size))
    for token, size in exprs:
        try:
            if eval(token, {"__builtins__": {}}, dict(env)) != size:
                return None
        except NameError:
            return None
    return env


@st.composite
def spec_and_shape(draw: st.DrawFn) -> tuple[list[str], tuple[int, ...]]:
    """A valid spec and a shape that often, but not always, fits it."""
    shape = tuple(draw(st.lists(st.integers(1, 4), max_size=6)))
    tokens: list[str] = []
    for size in shape:
        kind = draw(st.sampled_from(["name", "name", "fixed", "any", "expr"]))
        if kind == "name":
            tokens.append(draw(st.sampled_from(NAMES)))
        elif kind == "fixed":
            tokens.append(str(draw(st.sampled_from([size, size, 1, 2, 3]))))
        elif kind == "any":
            tokens.append("_")
        else:
            a, b = draw(st.sampled_from(NAMES)), draw(st.sampled_from(NAMES))
            op = draw(st.sampled_from(["+", "-", "*", "//"]))
            tokens.append(
                draw(st.sampled_from([f"{a}{op}{b}", f"{a}+1", f"2*{a}", f"({a}+{b})//2"]))
            )
    if draw(st.booleans()):
        start = draw(st.integers(0, len(tokens)))
        stop = draw(st.integers(start, len(tokens)))
        group = draw(st.sampled_from(["...", "*G", "*H"]))
        tokens[start:stop] = [group]
    if draw(st.booleans()) and tokens:  # sometimes add or drop a dim
        shape = shape[:-1] if draw(st.booleans()) else (*shape, draw(st.integers(1, 4)))
    return tokens, shape


@settings(max_examples=300, deadline=None)
@given(spec_and_shape())
def test_check_shape_agrees_with_the_reference(case: tuple[list[str], tuple[int, ...]]) -> None:
    tokens, shape = case
    spec = " ".join(tokens)
    want = reference([(tokens, shape)])
    try:
        got: dict[str, Any] | None = check_shape(torch.empty(shape), spec)
    except ShapeError:
        got = None
    assert got == want


@settings(max_examples=150, deadline=None)
@given(spec_and_shape(), spec_and_shape())
def test_the_decorator_agrees_with_the_reference(
    first: tuple[list[str], tuple[int, ...]], second: tuple[list[str], tuple[int, ...]]
) -> None:
    (t1, s1), (t2, s2) = first, second
    if {t[1:] for t in t1 + t2 if t.startswith("*")} & {t for t in t1 + t2 if t in NAMES}:
        return  # a name used both ways is a malformed pair of specs
    want = reference([(t1, s1), (t2, s2)]) is not None

    @shapes(x=" ".join(t1), y=" ".join(t2))
    def f(x: torch.Tensor, y: torch.Tensor) -> int:
        return 1

    for _ in range(2):  # the second call takes the remembered-shapes path
        try:
            got = f(torch.empty(s1), torch.empty(s2)) == 1
        except ShapeError:
            got = False
        assert got == want


def test_a_result_that_does_not_fit_returns() -> None:
    @shapes(x="N", returns="N")
    def not_a_tensor(x: torch.Tensor) -> Any:
        return x.tolist()

    with pytest.raises(TypeError, match=r"the result must be a tensor .*, got list"):
        not_a_tensor(torch.zeros(2))

    @shapes(x="N", returns=["N", "N"])
    def one_value(x: torch.Tensor) -> Any:
        return x

    with pytest.raises(ShapeError, match=r"one_value\(\) returned Tensor, but returns= lists 2"):
        one_value(torch.zeros(2))
