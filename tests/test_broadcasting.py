"""Tests of the broadcast explainer, with PyTorch itself as the oracle."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys

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
from tensornotes.cli import main

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
    with pytest.raises(TypeError, match="shape must be a string, got 3 of type int"):
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
    assert repr(text) in message
    assert all(isinstance(s, int) and s >= 0 for s in shape)


def test_input_tensors_are_never_modified() -> None:
    x = torch.arange(3.0).view(3, 1)
    before, version = x.clone(), x._version
    explain_broadcast(x, (2, 3, 4))
    memory_report(x, (2, 3, 4))
    assert torch.equal(x, before)
    assert x._version == version


# --- the memory report -----------------------------------------------------------------


def test_memory_report_measures_views_and_copies() -> None:
    x = torch.zeros(3, 1, dtype=torch.float64)
    report = memory_report(x, (2, 3, 4))
    expand = report.row("expand")
    assert (expand.stride, expand.shares_storage, expand.new_bytes) == ((0, 1, 0), True, 0)
    assert expand.storage_bytes == x.untyped_storage().nbytes() == 24
    assert report.row("broadcast_to").stride == (0, 1, 0)
    repeat = report.row("repeat")
    assert repeat.method == "x.repeat(2, 1, 4)"
    assert (repeat.stride, repeat.shares_storage, repeat.new_bytes) == ((12, 4, 1), False, 192)
    assert report.row("copy").new_bytes == 2 * 3 * 4 * 8
    assert report.inplace_error is not None
    assert report.inplace_error.startswith("unsupported operation: more than one element")
    assert "Writing in place into the expanded view fails" in str(report)


def test_memory_report_without_stretching_has_no_inplace_hazard() -> None:
    report = memory_report(torch.zeros(2, 3), (2, 3))
    assert report.inplace_error is None
    assert report.row("expand").shares_storage


@settings(max_examples=200, deadline=None, database=None)
@given(related_shapes(n=2))
def test_memory_report_on_random_shapes(shapes: list[tuple[int, ...]]) -> None:
    source, other = shapes
    target = tuple(explain_broadcast(source, other).result or ())
    x = torch.zeros(source, dtype=torch.int16)
    if explain_broadcast(source, target).result != torch.Size(target):
        with pytest.raises(TensorNotesError, match="cannot be stretched to target_shape"):
            memory_report(x, target)
        return
    report = memory_report(x, target)
    numel = torch.Size(target).numel()
    assert all(row.shape == target for row in report.rows)
    assert report.row("expand").new_bytes == report.row("broadcast_to").new_bytes == 0
    assert report.row("repeat").storage_bytes == 2 * numel
    assert report.row("expand").stride == x.expand(target).stride()
    padded = (1,) * (len(target) - len(source)) + source
    stretched = numel > 0 and any(s == 1 and t > 1 for s, t in zip(padded, target, strict=True))
    assert (report.inplace_error is not None) == stretched


@settings(max_examples=200, deadline=None, database=None)
@given(junk, junk)
def test_memory_report_junk_raises_only_type_or_value_errors(
    tensor: object, target: object
) -> None:
    for candidate in (tensor, torch.zeros(2, 1)):
        with contextlib.suppress(TypeError, ValueError):
            memory_report(candidate, target)  # type: ignore[arg-type]


def test_memory_report_bad_input() -> None:
    with pytest.raises(TensorNotesError, match=r"tensor of shape \(3,\) cannot be stretched"):
        memory_report(torch.zeros(3), (4,))
    with pytest.raises(TensorNotesError, match="cannot be stretched to target_shape"):
        memory_report(torch.zeros(2, 3), (3,))
    with pytest.raises(TypeError, match=r"tensor must be a torch\.Tensor, got"):
        memory_report([1, 2], (2,))  # type: ignore[arg-type]
    with pytest.raises(TensorNotesError, match="kind='view' is not in the report"):
        memory_report(torch.zeros(1), (2,)).row("view")


# --- the command line ------------------------------------------------------------------


def test_cli_exit_status_and_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["broadcast", "4,3,32,32", "3,1,1"]) == 0
    assert "broadcast to (4, 3, 32, 32)" in capsys.readouterr().out
    assert main(["broadcast", "4,3,32,32", "4,1,1"]) == 1
    assert "B.unsqueeze(-1)" in capsys.readouterr().out
    assert main(["broadcast", "4,3", "2,x"]) == 2
    err = capsys.readouterr().err
    assert "tensornotes broadcast: shape 2 is '2,x', which is not a shape" in err
    assert "Traceback" not in err


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["broadcast", "--json", "2,3", "4"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert data["conflict"]["padded_dim"] == 1
    assert data["torch_message"].endswith("at non-singleton dimension 1")


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tensornotes", "broadcast", "3,1", "-5"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "-5" in done.stderr
    assert "Traceback" not in done.stderr
