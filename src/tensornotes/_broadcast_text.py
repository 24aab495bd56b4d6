"""The text and HTML forms of a :class:`~tensornotes.BroadcastExplanation`.

:func:`render_text` is what ``print(explanation)`` shows: a right-aligned
table of the operands and the result, one line per dim from the right, and a
verdict that quotes PyTorch's error on a clash and lists the suggested fixes.
:func:`render_html` is the same for Jupyter: a table, with the text folded
under "Step by step".
"""

from __future__ import annotations

import html
import textwrap

from tensornotes._broadcast import (
    BroadcastExplanation,
    BroadcastStep,
    Outcome,
    broadcast_shapes_message,
    join_names,
)
from tensornotes._format import shape_text

__all__ = ["render_html", "render_text"]

_WIDTH = 88


def _kind(ndim: int) -> str:
    return f"{ndim}-d"


def _table(e: BroadcastExplanation) -> list[tuple[str, list[str]]]:
    rows: list[tuple[str, list[str]]] = []
    for label, shape in zip(e.labels, e.shapes, strict=True):
        cells = [""] * (e.ndim - len(shape)) + [str(s) for s in shape]
        rows.append((f"{label} ({_kind(len(shape))})", cells))
    if e.result is not None:
        rows.append((f"Result ({_kind(len(e.result))})", [str(s) for s in e.result]))
    else:
        cells = [str(s.result) if s.result is not None else "?" for s in reversed(e.steps)]
        rows.append(("Result", cells))
    return rows


def _table_lines(e: BroadcastExplanation) -> list[str]:
    rows = _table(e)
    width = max(len(r[0]) for r in rows)
    cols = [max(len(r[1][c]) for r in rows) for c in range(e.ndim)]
    lines = []
    for label, cells in rows:
        parts = []
        for c, cell in enumerate(cells):
            sep = " x " if c and cells[c - 1] else "   " if c else ""
            parts.append(sep + cell.rjust(cols[c]))
        body = "".join(parts) if cells else "(a 0-d shape: no dims)"
        lines.append(f"{label.ljust(width)}:  {body}".rstrip())
    return lines


def _step_text(e: BroadcastExplanation, step: BroadcastStep) -> str:
    labels = e.labels
    if step.outcome is Outcome.CONFLICT:
        clash = [(labels[i], d.size) for i, d in enumerate(step.sizes) if d.size != 1]
        sizes = list(dict.fromkeys(s for _, s in clash))
        who = ", ".join(f"{lab} has {s}" for lab, s in clash)
        return f"conflict: {who}; " + (
            f"{sizes[0]} and {sizes[1]} differ and neither is 1"
            if len(sizes) == 2
            else "these sizes differ and none is 1"
        )
    r = step.result
    added = [labels[i] for i, d in enumerate(step.sizes) if d.added]
    ones = [labels[i] for i, d in enumerate(step.sizes) if not d.added and d.size != r]
    parts = []
    if added:
        verb = "has" if len(added) == 1 else "have"
        if r == 1:
            parts.append(
                f"{join_names(added)} {verb} no dim here: a 1 is added (nothing to stretch)"
            )
        else:
            parts.append(
                f"{join_names(added)} {verb} no dim here: a 1 is added, then stretched to {r}"
            )
    if ones:
        parts.append(f"{join_names(ones)}'s 1 is stretched to {r}")
    if not parts:
        return "equal: nothing to do" if len(step.sizes) > 1 else "only one operand"
    return "; ".join(parts)


def _step_lines(e: BroadcastExplanation) -> list[str]:
    cells = []
    for step in e.steps:
        brought = ", ".join(
            f"{lab} {'(1)' if d.added else d.size}"
            for lab, d in zip(e.labels, step.sizes, strict=True)
        )
        res = "?" if step.result is None else str(step.result)
        cells.append((f"dim {step.dim}", brought, res, _step_text(e, step)))
    w = [max(len(c[i]) for c in cells) for i in range(3)]
    return [
        f"  {a.ljust(w[0])}  {b.ljust(w[1])}  -> {c.rjust(w[2])}   {d}" for a, b, c, d in cells
    ]


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, _WIDTH)


def _lines(e: BroadcastExplanation) -> list[str]:
    n = len(e.shapes)
    if n == 0:
        return ["No shapes given: broadcasting nothing gives the 0-d shape ()."]
    lines = [f"Broadcasting {' and '.join(shape_text(s) for s in e.shapes)}", ""]
    lines += _table_lines(e)
    if e.steps:
        lines += ["", "Step by step, from the last dim ((1) is a 1 added on the left):"]
        lines += _step_lines(e)
    lines.append("")
    if e.ok:
        return lines + _verdict_ok(e)
    return lines + _verdict_conflict(e)


def _verdict_ok(e: BroadcastExplanation) -> list[str]:
    assert e.result is not None
    result = shape_text(e.result)
    lines = [f"Verdict: these shapes broadcast to {result}."]
    if len(e.shapes) > 1 and all(s.outcome is Outcome.EQUAL for s in e.steps):
        lines.append("All shapes are equal: nothing is stretched.")
    inplace = e.inplace_message()
    if inplace is not None:
        lines += [""]
        lines += _wrap(
            "In place, A.add_(B) (or A += B) would fail: an in-place op writes into A, so A "
            f"cannot be stretched from {shape_text(e.shapes[0])} to {result}. PyTorch says:"
        )
        lines.append(f"  RuntimeError: {inplace}")
    return lines


def _verdict_conflict(e: BroadcastExplanation) -> list[str]:
    c = e.conflict
    assert c is not None
    labels = e.labels
    clash = join_names([f"{labels[i]} has {s}" for i, s in zip(c.operands, c.sizes, strict=True)])
    lines = ["Verdict: these shapes do NOT broadcast."]
    lines += _wrap(
        f"Going from the right, dim {c.dim} is the first place they clash: {clash}. Two sizes "
        "can only be matched if they are equal or one of them is 1 (the 1 is then "
        "stretched); here neither is 1."
    )
    own = join_names(
        [f"{labels[i]}'s index {d}" for i, d in enumerate(c.operand_dims) if d is not None]
    )
    lines.append("")
    if len(e.shapes) == 2:
        lines.append("What PyTorch says: A + B (or any element-wise op) raises")
        lines.append(f"  RuntimeError: {e.torch_message()}")
        lines += _wrap(
            f'Its "dimension {c.padded_dim}" counts from the left of the padded shapes, '
            f"which have {e.ndim} dims, so dim {c.dim} is its dimension {c.padded_dim}. "
            f"In the shapes as you wrote them, that dim is {own}."
        )
    else:
        replay = broadcast_shapes_message(e.shapes)
        assert replay is not None
        message, idx = replay
        call = f"torch.broadcast_shapes({', '.join(shape_text(s) for s in e.shapes)})"
        lines.append(f"What PyTorch says: {call} raises")
        lines.append(f"  RuntimeError: {message}")
        text = (
            "It counts dims from the right (-1 is the last) and operands from 0. "
            f"Dim {c.dim} is index {c.padded_dim} of the padded shapes; in the shapes as you "
            f"wrote them it is {own}."
        )
        if idx != c.dim:
            text += (
                f" PyTorch names dim {idx} instead: it adds the operands in one at a time, "
                "from the first, and stops at the first operand that clashes with those "
                "before it."
            )
        lines += _wrap(text)
    lines.append("")
    if e.fixes:
        lines.append("What to write instead (pick the one that means what you want):")
        lines += [f"  {fix}" for fix in e.fixes]
        if any(".unsqueeze(" in fix or ".view(" in fix for fix in e.fixes):
            lines += [""]
            lines += _wrap(
                "Broadcasting always lines shapes up on the right. To pair a size with a "
                "dim further left, give the tensor size-1 dims after it (unsqueeze or view); "
                "those 1s are then stretched."
            )
    else:
        lines += _wrap(
            "No unsqueeze, view or permute of a single operand makes these shapes fit: "
            "some size has no partner in the other shapes. Check how the tensors were made."
        )
    return lines


def render_text(e: BroadcastExplanation) -> str:
    """The explanation as plain text: the table, the steps and the verdict.

    Example:
        >>> from tensornotes import explain_broadcast
        >>> print(render_text(explain_broadcast((2, 3), (3,))).splitlines()[-1])
        Verdict: these shapes broadcast to (2, 3).
    """
    return "\n".join(_lines(e))


def render_html(e: BroadcastExplanation) -> str:
    """The explanation as an HTML fragment, for Jupyter's rich display."""
    esc = html.escape
    rows = _table(e)
    head = "".join(f"<th>dim {-(e.ndim - c)}</th>" for c in range(e.ndim))
    body = []
    for label, cells in rows:
        tds = "".join(
            f'<td style="text-align:right">{esc(cell) if cell else "&nbsp;"}</td>'
            for cell in cells
        )
        body.append(f"<tr><th style='text-align:left'>{esc(label)}</th>{tds}</tr>")
    text = render_text(e)
    verdict = "broadcast" if e.ok else "do not broadcast"
    return (
        f"<div class='tensornotes-broadcast'><p><strong>The shapes {verdict}.</strong></p>"
        f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<details><summary>Step by step</summary><pre>{esc(text)}</pre></details></div>"
    )
