"""How long the site takes to build: clean, unchanged, and after editing one example.

Works on a copy of docs/ and gallery/ in a temporary folder, so your own build
is untouched. Prints the three wall-clock times and each example's run time as
sphinx-gallery recorded it (sg_execution_times.rst). Targets on a 2-core
machine, with all 14 topics: clean <= 60 s, unchanged <= 3 s, one edited
example <= 6 s, and the last must re-run that example only.

    .venv/bin/python benchmarks/build_times.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SPHINX = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-b", "html", "docs"]


def _copy_sources(dest: Path) -> None:
    shutil.copytree(
        REPO / "docs",
        dest / "docs",
        ignore=shutil.ignore_patterns(
            "_build", "auto_examples", "generated", "backrefs"
        ),
    )
    shutil.copytree(REPO / "gallery", dest / "gallery")


def _build(root: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [*SPHINX, "docs/_build/html"], cwd=root, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"the build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return elapsed, done.stdout


def _executed(log: str) -> str:
    match = re.search(r"executed (\d+) out of (\d+) files?", log)
    if match is None:
        return "no example executed"
    return f"{match.group(1)} of {match.group(2)} examples executed"


def _example_times(root: Path) -> list[tuple[str, float]]:
    table = (root / "docs" / "sg_execution_times.rst").read_text(encoding="utf-8")
    rows = re.findall(r":ref:`sphx_glr_auto_examples_(\S+?)\.py`.*?\n\s*- (\d+):([\d.]+)", table)
    return sorted(((name, int(m) * 60 + float(s)) for name, m, s in rows), key=lambda r: -r[1])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tensornotes-build-") as tmp:
        root = Path(tmp)
        _copy_sources(root)

        clean, log_clean = _build(root)
        unchanged, log_unchanged = _build(root)

        examples = sorted((root / "gallery").glob("[0-9][0-9]_*/plot_*.py"))
        edited = examples[0]
        edited.write_text(
            edited.read_text(encoding="utf-8") + "\n# An edit, to time the rebuild.\n",
            encoding="utf-8",
        )
        one_edit, log_edit = _build(root)

        print(f"{'build':<28}{'seconds':>9}  {'target':>7}  examples")
        rows = [
            ("clean", clean, 60.0, log_clean),
            ("rebuild, nothing changed", unchanged, 3.0, log_unchanged),
            (f"rebuild, {edited.name} edited", one_edit, 6.0, log_edit),
        ]
        for label, seconds, target, log in rows:
            verdict = "ok" if seconds <= target else "OVER"
            print(f"{label:<28}{seconds:>9.1f}  {target:>5.0f} s  {_executed(log)}  [{verdict}]")

        print(f"\nexample run times ({len(examples)} examples, slowest first):")
        for name, seconds in _example_times(root):
            print(f"  {seconds:6.2f} s  {name}")


if __name__ == "__main__":
    main()
