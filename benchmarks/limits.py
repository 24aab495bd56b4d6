"""The worst inputs of every helper: each call must finish or be refused quickly.

Gathers the ``CASES`` of every ``benchmarks/limits_<area>.py`` (shapes,
broadcasting, gradients, events): pairs of a label and a callable that makes one
call a hostile or careless caller could make, swallowing the TypeError or
ValueError with which the package refuses it (:func:`quietly`). Each case runs
in a fresh process, so that one case's memory cannot hide in another's: once to
warm up (imports, matplotlib's font cache, torch's first optimizer), once timed,
and once traced for memory (tracing slows the call, so it is not timed). This
prints the wall time, the CPU time (on a shared machine the fairer measure of
the work) and the peak of memory allocated from Python (``tracemalloc``;
torch's own buffers are not counted), then the worst of each.

Targets: every call finishes in <= 2 s, and a refusal comes in <= 0.1 s.

    .venv/bin/python benchmarks/limits.py [AREA ...]
    .venv/bin/python benchmarks/limits_shapes.py [WORD ...]   (cases with WORD in their label)
"""

from __future__ import annotations

import contextlib
import importlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: What the package refuses bad input with; SystemExit is argparse's, in the CLI cases.
REFUSALS = (TypeError, ValueError, SystemExit)


def quietly(call: Callable[[], object]) -> Callable[[], None]:
    """A case from a call: the call, with the package's refusals swallowed.

    Anything else escapes, and the runner reports it.
    """

    def run() -> None:
        with contextlib.suppress(*REFUSALS):
            call()

    return run


AREAS = sorted(p.stem.removeprefix("limits_") for p in HERE.glob("limits_*.py"))

_MEASURE = """
import importlib, json, sys, time, tracemalloc
sys.path.insert(0, {here!r})
cases = dict(importlib.import_module({module!r}).CASES)
call = cases[{label!r}]
call()
start, cpu = time.perf_counter(), time.process_time()
call()
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
tracemalloc.start()
call()
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({{"seconds": seconds, "cpu": cpu, "peak": peak}}))
"""


def _measure(module: str, label: str) -> dict[str, float] | str:
    code = _MEASURE.format(here=str(HERE), module=module, label=label)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"escaped: {last}"
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(areas: list[str], words: list[str] | None = None) -> int:
    """Run every case of ``areas`` (or only those whose label has one of ``words``)."""
    sys.path.insert(0, str(HERE))
    worst_time = (0.0, "")
    worst_memory = (0.0, "")
    escapes = 0
    print(f"{'area':<13} {'case':<62} {'time':>9} {'CPU time':>9} {'peak memory':>12}")
    for area in areas:
        module = f"limits_{area}"
        for label, _ in importlib.import_module(module).CASES:
            if words and not any(word in label for word in words):
                continue
            result = _measure(module, label)
            if isinstance(result, str):
                escapes += 1
                print(f"{area:<13} {label[:62]:<62} {result}")
                continue
            seconds, cpu, peak = result["seconds"], result["cpu"], result["peak"] / 2**20
            print(f"{area:<13} {label[:62]:<62} {seconds:8.3f}s {cpu:8.3f}s {peak:9.1f} MiB")
            worst_time = max(worst_time, (seconds, f"{area}: {label}"))
            worst_memory = max(worst_memory, (peak, f"{area}: {label}"))
    print()
    print(f"worst time:   {worst_time[0]:.3f} s   ({worst_time[1]})")
    print(f"worst memory: {worst_memory[0]:.1f} MiB ({worst_memory[1]})")
    print(f"calls that escaped as another exception: {escapes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or AREAS))
