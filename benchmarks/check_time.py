"""How long the quick loop takes: ``make check`` against the full ``make test``'s pytest.

``make check`` runs ruff, mypy, the unit tests and every doctest, with no site
build and no browser. Target: <= 30 s on a 2-core machine. This prints the
wall time of each of its steps, run the way the Makefile runs them, and of the
whole, the median of ``--repeat`` runs (default 3); and, for comparison, the
same tests in one process, without pytest-xdist.

    .venv/bin/python benchmarks/check_time.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LINTED = ["src", "tests", "benchmarks", "gallery", "docs", "conftest.py"]
STEPS = {
    "ruff check": [str(BIN / "ruff"), "check", *LINTED],
    "ruff format": [str(BIN / "ruff"), "format", "--check", *LINTED],
    "mypy": [str(BIN / "mypy")],
    "pytest -m 'not site' -n auto": [
        *(sys.executable, "-m", "pytest", "-q", "-m", "not site", "-n", "auto"),
    ],
    # The same tests in one process, for comparison: not part of make check.
    "(serial pytest)": [sys.executable, "-m", "pytest", "-q", "-m", "not site"],
}
TARGET_S = 30.0


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
        sys.exit(f"{' '.join(command)} failed:\n" + "\n".join(tail))
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[float]] = {name: [] for name in STEPS}
    for _ in range(args.repeat):
        for name, command in STEPS.items():
            runs[name].append(_time(command))
    total = 0.0
    for name, times in runs.items():
        median = statistics.median(times)
        if not name.startswith("("):
            total += median
        print(f"{name:<30} {median:6.1f} s  (runs: {', '.join(f'{t:.1f}' for t in times)})")
    verdict = "within" if total <= TARGET_S else "over"
    print(f"{'make check':<30} {total:6.1f} s  ({verdict} the {TARGET_S:.0f} s target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
