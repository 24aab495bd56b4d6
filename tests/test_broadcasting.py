"""Tests of the broadcast explainer, with PyTorch itself as the oracle."""

from __future__ import annotations

import json
import re

import matplotlib
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tensornotes import (
    Outcome,
    TensorNotesError,
    explain_broadcast,
    memory_report,
    parse_shape,
)
from tensornotes._broadcast import MAX_DIMS, MAX_OPERANDS, MAX_SIZE

matplotlib.use("Agg")

ORACLE_CASES = 2000

# --- strategies ------------------------------------------------------------------------

sizes = st.integers(min_value=0, max_value=5)
any_shape = st.lists(sizes, min_size=0, max_size=6).map(tuple)


@st.composite
def related_shapes(draw: st.DrawFn, n: int | None = None) -> list[tuple[int, ...]]:
    """1-4 shapes derived from one base shape: mostly broadcastable, sometimes not."""
    base = draw(any_shape)
    n = draw(st.integers(1, 4)) if n is None else n
    out = []
    for _ in range(n):
        keep = draw(st.integers(0, len(base)))
        shape = [
            draw(st.sampled_from([s, 1, 1, draw(sizes)])) if draw(st.booleans()) else s
            for s in base[len(base) - keep :]
        ]
        out.append(tuple(shape))
    return out


operand_lists = st.one_of(st.lists(any_shape, min_size=1, max_size=4), related_shapes())
two_operands = st.one_of(
    st.tuples(any_shape, any_shape).map(list),
    related_shapes(n=2),
)


def _broadcast_shapes(*shapes: tuple[int, ...] | torch.Size) -> torch.Size:
    result: torch.Size = torch.broadcast_shapes(*shapes)  # type: ignore[no-untyped-call]
    return result


def _torch_broadcast(shapes: list[tuple[int, ...]]) -> tuple[bool, torch.Size | None, str]:
    try:
        return True, _broadcast_shapes(*shapes), ""
    except RuntimeError as exc:
        return False, None, str(exc)


# --- agreement with PyTorch -----------------------------------------------------------


@settings(
    max_examples=ORACLE_CASES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(operand_lists)
def test_ok_and_result_agree_with_torch_broadcast_shapes(shapes: list[tuple[int, ...]]) -> None:
    e = explain_broadcast(*shapes)
    ok, result, message = _torch_broadcast(shapes)
    assert e.ok == ok
    assert e.result == result
    assert e.shapes == tuple(shapes)
    assert len(e.steps) == max(len(s) for s in shapes)
    if not ok and len(shapes) > 2:
        assert e.torch_message() == message
    for step in e.steps:
        added = [d.added for d in step.sizes]
        assert added == [len(s) < -step.dim for s in shapes]
        assert (step.outcome is Outcome.CONFLICT) == (step.result is None)
    if e.conflict is not None:
        first = next(s for s in e.steps if s.outcome is Outcome.CONFLICT)
        assert e.conflict.dim == first.dim
        assert e.conflict.padded_dim == len(e.steps) + first.dim
        for shape, own in zip(shapes, e.conflict.operand_dims, strict=True):
            if own is None:
                assert len(shape) < -first.dim
            else:
                assert shape[own] == first.sizes[shapes.index(shape)].size


@settings(max_examples=600, deadline=None, database=None)
@given(two_operands)
def test_two_operand_conflict_is_the_dim_in_torch_message(shapes: list[tuple[int, ...]]) -> None:
    a, b = (torch.zeros(s) for s in shapes)
    e = explain_broadcast(a, b)
    add_error = inplace_error = None
    try:
        total = a + b
    except RuntimeError as exc:
        add_error = str(exc)
    if add_error is not None:
        match = re.fullmatch(
            r"The size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) "
            r"at non-singleton dimension (\d+)",
            add_error,
        )
        assert match is not None, add_error
        assert e.conflict is not None
        assert e.conflict.padded_dim == int(match.group(3))
        assert sorted(e.conflict.sizes) == sorted(int(match.group(i)) for i in (1, 2))
        assert e.torch_message() == add_error
        return
    assert e.ok
    assert e.result == total.shape
    try:
        a.add_(b)
    except RuntimeError as exc:
        inplace_error = str(exc)
    assert e.inplace_message() == inplace_error


@settings(max_examples=300, deadline=None, database=None)
@given(operand_lists)
def test_every_suggested_fix_makes_the_shapes_broadcast(shapes: list[tuple[int, ...]]) -> None:
    e = explain_broadcast(*shapes)
    tensors = {label: torch.zeros(s) for label, s in zip(e.labels, shapes, strict=True)}
    for fix in e.fixes:
        code = fix.split("#")[0].strip()
        label = code.split(".")[0]
        fixed = eval(code, {}, dict(tensors))
        others = [t.shape for name, t in tensors.items() if name != label]
        _broadcast_shapes(fixed.shape, *others)


def test_the_notes_feature_map_examples() -> None:
    fmap = (4, 3, 32, 32)
    for bias in [(32, 32), (3, 1, 1), (1, 1, 1, 1)]:
        assert explain_broadcast(fmap, bias).result == torch.Size(fmap)
    outcomes = [s.outcome for s in explain_broadcast(fmap, (32, 32)).steps]
    assert outcomes == [Outcome.EQUAL, Outcome.EQUAL, Outcome.ADDED, Outcome.ADDED]


def test_zero_operands_and_zero_dims() -> None:
    assert explain_broadcast().result == _broadcast_shapes() == torch.Size([])
    assert explain_broadcast(torch.tensor(3.0), (0, 1)).result == torch.Size([0, 1])
    e = explain_broadcast((0,), (3,))
    assert not e.ok
    assert e.conflict is not None
    assert e.conflict.sizes == (0, 3)


def test_conflict_given_three_ways() -> None:
    e = explain_broadcast((4, 3, 32, 32), (4, 1, 1))
    assert e.conflict is not None
    assert (e.conflict.dim, e.conflict.padded_dim, e.conflict.operand_dims) == (-3, 1, (1, 0))
    e = explain_broadcast((5,), (2, 3, 4))
    assert e.conflict is not None
    assert e.conflict.operand_dims == (0, 2)
    e = explain_broadcast((2, 1), (3,), (7, 1, 4))
    assert e.conflict is not None
    assert (e.conflict.dim, e.conflict.operand_dims, e.conflict.operands) == (
        -1,
        (1, 0, 2),
        (1, 2),
    )


# --- the text, HTML and plot -------------------------------------------------------------


def test_text_is_a_right_aligned_table_and_a_verdict() -> None:
    text = str(explain_broadcast((4, 3, 32, 32), (3, 1, 1)))
    assert "A (4-d)     :  4 x 3 x 32 x 32" in text
    assert "B (3-d)     :      3 x  1 x  1" in text
    assert "Result (4-d):  4 x 3 x 32 x 32" in text
    assert "Verdict: these shapes broadcast to (4, 3, 32, 32)." in text
    assert "B has no dim here: a 1 is added, then stretched to 4" in text


def test_text_of_the_done_case_explains_the_error_and_the_fix() -> None:
    text = str(explain_broadcast((4, 3, 32, 32), (4, 1, 1)))
    assert "Verdict: these shapes do NOT broadcast." in text
    assert "dim -3 is the first place they clash: A has 3 and B has 4" in text
    assert (
        "RuntimeError: The size of tensor a (3) must match the size of tensor b (4) "
        "at non-singleton dimension 1"
    ) in text
    assert "B.unsqueeze(-1)  # B becomes (4, 1, 1, 1): its 4 lines up with A's dim 0" in text


def test_permute_is_suggested_when_the_sizes_are_in_another_order() -> None:
    e = explain_broadcast((4, 3, 32, 32), (32, 32, 3))
    assert e.fixes[0].startswith("B.permute(2, 0, 1)  # B becomes (3, 32, 32)")


def test_no_fix_when_a_size_has_no_partner() -> None:
    e = explain_broadcast((2, 3), (4,))
    assert e.fixes == ()
    assert "No unsqueeze, view or permute" in str(e)


def test_three_operands_quote_broadcast_shapes() -> None:
    e = explain_broadcast((2, 3), (3, 3), (2, 4))
    with pytest.raises(RuntimeError) as info:
        _broadcast_shapes((2, 3), (3, 3), (2, 4))
    assert e.torch_message() == str(info.value)
    assert "PyTorch names dim -2 instead" in str(e)


def test_inplace_note() -> None:
    text = str(explain_broadcast((3,), (2, 3)))
    assert "RuntimeError: output with shape [3] doesn't match the broadcast shape [2, 3]" in text


def test_html_and_json() -> None:
    e = explain_broadcast((3, 1), (4,))
    html = e._repr_html_()
    assert "<table>" in html
    assert "The shapes broadcast." in html
    data = json.loads(json.dumps(e.to_dict()))
    assert data["result"] == [3, 4]
    assert data["steps"][1]["outcome"] == "added then stretched"
    assert data["steps"][1]["sizes"][1] == {"size": 1, "added": True}


def test_plot_returns_the_axes() -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert explain_broadcast((4, 3, 32, 32), (4, 1, 1)).plot(ax=ax) is ax
    assert ax.get_title() == "(4, 3, 32, 32) and (4, 1, 1) clash at dim -3"
    plt.close(fig)
    explain_broadcast(()).plot()
    plt.close("all")


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        (
            (4, -1),
            TensorNotesError,
            r"shapes\[0\] = \(4, -1\) has the negative size -1 at index 1",
        ),
        ((4, 2.0), TypeError, r"shapes\[0\] = \(4, 2\.0\) has 2\.0 of type float at index 1"),
        ((True, 3), TypeError, r"has True of type bool at index 0"),
        ([[2, 3]], TypeError, r"has \[2, 3\] of type list at index 0"),
        (3, TypeError, r"shapes\[0\] is 3 of type int, not a shape.*write \(3,\)"),
        ("4,3", TypeError, r"shapes\[0\] is the string '4,3', not a shape"),
        (None, TypeError, r"shapes\[0\] is None of type NoneType, not a shape"),
    ],
)
def test_bad_shapes_name_the_argument_and_value(
    bad: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        explain_broadcast(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("4,a", r"shape is '4,a', which is not a shape: 'a' is not a whole number"),
        ("4,-2", r"'-2' is negative; sizes must be 0 or more"),
        ("4,,3", r"two separators in a row"),
        ("3.5", r"'3\.5' is not a whole number"),
    ],
)
def test_parse_shape_messages(text: str, match: str) -> None:
    with pytest.raises(TensorNotesError, match=match):
        parse_shape(text)


def test_parse_shape_forms() -> None:
    assert parse_shape(" 4, 3 ,32,32 ") == (4, 3, 32, 32)
    assert parse_shape("(3,)") == (3,)
    assert parse_shape("4 x 5") == (4, 5)
    assert parse_shape("") == parse_shape("[]") == ()
    with pytest.raises(TypeError, match="shape must be a string such as '4,3,32,32', got int 3"):
        parse_shape(3)  # type: ignore[arg-type]


junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 7)
    | st.floats(allow_nan=True)
    | st.text(max_size=4)
    | st.binary(max_size=2)
    | st.complex_numbers(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=2), inner, max_size=2)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(junk, max_size=3))
def test_junk_raises_only_type_or_value_errors(args: list[object]) -> None:
    message = "shapes["
    try:
        explain_broadcast(*args)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        message = str(exc)
    assert "shapes[" in message


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=12))
def test_any_text_parses_or_raises_tensornotes_error(text: str) -> None:
    try:
        shape = parse_shape(text)
    except TensorNotesError as exc:
        shape, message = (), str(exc)
    else:
        message = repr(text)
    # The message quotes the text; a long quote is shortened in the middle.
    quoted = repr(text)
    assert quoted in message or (quoted[:8] in message and "..." in message), message
    assert all(isinstance(s, int) and s >= 0 for s in shape)


def test_input_tensors_are_never_modified() -> None:
    x = torch.arange(3.0).view(3, 1)
    before, version = x.clone(), x._version
    explain_broadcast(x, (2, 3, 4))
    memory_report(x, (2, 3, 4))
    assert torch.equal(x, before)
    assert x._version == version


# --- limits: sizes PyTorch can hold, and a bounded amount of work ----------------------------


def test_torch_sizes_stop_at_int64() -> None:
    # The experiment behind MAX_SIZE: PyTorch keeps 2**63 - 1 and cannot hold 2**63.
    assert _broadcast_shapes((2**63 - 1,), (1,)) == torch.Size([2**63 - 1])
    assert torch.zeros(1).expand(2**63 - 1).shape == (2**63 - 1,)
    with pytest.raises(TypeError, match="Overflow when unpacking long long"):
        torch.empty((2**63,), device="meta")
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        str(torch.Size([2**63]))
    assert MAX_SIZE == 2**63 - 1


@pytest.mark.parametrize(
    ("shapes", "match"),
    [
        (
            [(2**63,)],
            r"shapes\[0\] has the size 9223372036854775808 at index 0, more than PyTorch "
            r"can hold: sizes are int64, at most 2\*\*63 - 1",
        ),
        (
            [(3,), (2, 10**400)],
            r"shapes\[1\] has the size an integer of (about )?401 digits at index 1",
        ),
        ([(1,)] * 10_000, r"explain_broadcast got 10000 shapes; it compares at most 64 at once"),
        ([(1,) * 65], r"shapes\[0\] has 65 dims; tensornotes explains shapes of at most 64"),
        ([range(10**30)], r"shapes\[0\] has more than 2\*\*63 dims"),
        ([torch.zeros((1,) * 65)], r"shapes\[0\] has 65 dims"),
    ],
)
def test_shapes_beyond_the_limits_are_refused(shapes: list[object], match: str) -> None:
    with pytest.raises(TensorNotesError, match=match):
        explain_broadcast(*shapes)  # type: ignore[arg-type]


def test_the_limits_themselves_are_accepted() -> None:
    e = explain_broadcast(*[(2**63 - 1,) * MAX_DIMS] * MAX_OPERANDS)
    assert e.ok
    assert e.result == torch.Size([2**63 - 1] * MAX_DIMS)
    assert str(e.result).startswith("torch.Size([9223372036854775807, ")
    assert len(str(e).splitlines()) > MAX_DIMS


huge_sizes = st.sampled_from([0, 1, 2, 3, 2**31, 2**62, 2**63 - 1])


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.lists(huge_sizes, max_size=4).map(tuple), min_size=1, max_size=4))
def test_huge_sizes_agree_with_torch(shapes: list[tuple[int, ...]]) -> None:
    e = explain_broadcast(*shapes)
    ok, result, _ = _torch_broadcast(shapes)
    assert (e.ok, e.result) == (ok, result)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            "9" * 5000,
            r"shape is '9999.*\.\.\., which is not a shape: '9999.* is more than PyTorch",
        ),
        ("9223372036854775808", r"'9223372036854775808' is more than PyTorch can hold"),
        (",".join(["1"] * 65), r"has 65 dims; tensornotes explains shapes of at most 64 dims"),
        ("1" * 10_001, r"shape is 10001 characters long; a shape may have at most 10000\."),
    ],
)
def test_parse_shape_limits(text: str, match: str) -> None:
    with pytest.raises(TensorNotesError, match=match):
        parse_shape(text)
    assert parse_shape(f"{2**63 - 1}, 0") == (2**63 - 1, 0)


def test_plot_keyword_ax_and_its_limits() -> None:
    import matplotlib.pyplot as plt

    e = explain_broadcast((3, 1), (4,))
    with pytest.raises(TypeError):
        e.plot(plt.gca())  # type: ignore[misc]
    with pytest.raises(TypeError, match=r"ax must be a matplotlib Axes.*got 5"):
        e.plot(ax=5)  # type: ignore[arg-type]
    with pytest.raises(TensorNotesError, match="a plot draws at most 12 operands of at most 12"):
        explain_broadcast(*[(2,)] * 13).plot()
    with pytest.raises(TensorNotesError, match="has 1 operands of up to 13 dims"):
        explain_broadcast((2,) * 13).plot()
    plt.close("all")
