"""Adversarial inputs to the broadcast explainer, the memory report and the command line.

``CASES`` lists ``(label, callable)`` pairs. Each callable takes no argument,
makes one call that a hostile or careless caller could make of
``explain_broadcast``, ``parse_shape``, ``memory_report`` or ``tensornotes
broadcast``/``identity`` (through ``tensornotes.cli.main``, its output thrown
away), and swallows the TypeError, ValueError or SystemExit with which the
package refuses bad input, so that only time and memory are left to measure.
Anything else escapes, as it should.

Run as a script it prints, per case, the wall time (``time.perf_counter``) and
the peak of memory allocated from Python (``tracemalloc``; torch's own buffers
are not counted, which is why the memory-report cases also check that no
tensor of the target's size exists: allocating one would fail or take seconds):
``.venv/bin/python benchmarks/limits_broadcasting.py [WORD ...]`` runs the cases
whose label contains one of the words. Every case should take well under 2 s,
and a refusal under 0.1 s.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # imported here, so that a plot case times the drawing only
import torch
from limits import quietly

from tensornotes import explain_broadcast, memory_report, parse_shape
from tensornotes.cli import main


def _cli(*argv: str) -> Callable[[], None]:
    def run() -> None:
        sink = io.StringIO()
        with (
            contextlib.suppress(TypeError, ValueError, SystemExit),
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
        ):
            main(list(argv))

    return run


def _everything(shapes: list[tuple[int, ...]]) -> Callable[[], object]:
    """Explain, then print, render and serialise: every method but the plot."""

    def run() -> object:
        e = explain_broadcast(*shapes)
        return str(e), e._repr_html_(), json.dumps(e.to_dict())

    return run


def _plot(shapes: list[tuple[int, ...]]) -> Callable[[], object]:
    def run() -> object:
        try:
            return explain_broadcast(*shapes).plot()
        finally:
            plt.close("all")

    return run


_CLASH = [tuple((k + d) % 5 + 1 for d in range(64)) for k in range(64)]
_WIDE = ",".join(["2"] * 64)
_TALL = (2,) * 60 + (1,) * 4  # 2**60 elements: the most of 4 bytes that int64 counts

CASES: list[tuple[str, Callable[[], None]]] = [
    ("explain_broadcast: 10,000 operands", quietly(lambda: explain_broadcast(*[(3,)] * 10_000))),
    ("explain_broadcast: 64 operands of 64 dims that clash", quietly(_everything(_CLASH))),
    (
        "explain_broadcast: 64 operands of 64 dims, sizes 2**63 - 1",
        quietly(_everything([(2**63 - 1,) * 64] * 64)),
    ),
    ("explain_broadcast((2**63,))", quietly(lambda: explain_broadcast((2**63,)))),
    ("explain_broadcast((10**4000,))", quietly(lambda: explain_broadcast((10**4000,)))),
    ("explain_broadcast(range(10**30))", quietly(lambda: explain_broadcast(range(10**30)))),
    (
        "explain_broadcast of a 10**6-element list",
        quietly(lambda: explain_broadcast([1] * 10**6)),
    ),
    (
        "explain_broadcast: permute search, 64 operands of 6 dims",
        quietly(_everything([(2, 3, 4, 5, 6, 7)] * 63 + [(7, 6, 5, 4, 3, 2)])),
    ),
    ("plot: 12 operands of 12 dims (the limit)", quietly(_plot([(2,) * 12] * 12))),
    ("plot: 13 operands (refused)", quietly(_plot([(2,)] * 13))),
    ("parse_shape: 5,000 digits", quietly(lambda: parse_shape("9" * 5000))),
    ("parse_shape: 10 MB of text", quietly(lambda: parse_shape("1," * 5 * 10**6))),
    ("parse_shape: 65 sizes", quietly(lambda: parse_shape(",".join(["1"] * 65)))),
    (
        "memory_report: (1000, 1) to (1000, 10**9), 4 TB to repeat",
        quietly(lambda: memory_report(torch.zeros(1000, 1), (1000, 10**9))),
    ),
    (
        "memory_report: (1,) to (2**61,), 8 EiB to repeat",
        quietly(lambda: memory_report(torch.zeros(1), (2**61,))),
    ),
    (
        "memory_report: to (2**31, 2**31), beyond int64 bytes (refused)",
        quietly(lambda: memory_report(torch.zeros(1, 1), (2**31, 2**31))),
    ),
    (
        "memory_report: to (2**62, 2**62, 2**62) (refused)",
        quietly(lambda: memory_report(torch.zeros(1, 1, 1), (2**62,) * 3)),
    ),
    (
        "memory_report: 64-dim target from a 64-dim expanded view",
        quietly(lambda: memory_report(torch.zeros((1,) * 64).expand(_TALL), _TALL)),
    ),
    ("cli broadcast: a 5,000-digit shape", _cli("broadcast", "9" * 5000)),
    ("cli broadcast: 10,000 shapes", _cli("broadcast", *["3"] * 10_000)),
    ("cli broadcast: 64 shapes of 64 dims, --json", _cli("broadcast", "--json", *[_WIDE] * 64)),
    ("cli broadcast -4,3", _cli("broadcast", "-4,3", "3")),
    ("cli identity: undecodable byte A\\xff", _cli("identity", "A\udcff", "A")),
    ("cli identity: P(A)*99999999999999999999", _cli("identity", "P(A)*" + "9" * 20, "P(A)")),
]


if __name__ == "__main__":
    from limits import main

    raise SystemExit(main(["broadcasting"], sys.argv[1:]))
