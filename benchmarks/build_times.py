"""How long the site takes to build: clean, unchanged, and after editing one example.

Works on copies of docs/ and gallery/ in a temporary folder, so your own build
is untouched. Builds as ``make docs`` does, the English edition and then the
Chinese one (which reuses the executed gallery), and prints the wall-clock
times, with a clean English-only build for comparison, and each example's run
time as sphinx-gallery recorded it (sg_execution_times.rst). Targets on a 2-core
machine: both editions clean <= 1.5 x English only, unchanged <= 4 s, one edited
example <= 8 s, and the last must re-run that example only.

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
        ignore=shutil.ignore_patterns("_build", "auto_examples", "generated", "backrefs"),
    )
    shutil.copytree(REPO / "gallery", dest / "gallery")


EDITIONS = {
    "en": ["docs/_build/html"],
    "zh_CN": [
        "-D",
        "language=zh_CN",
        "-d",
        "docs/_build/doctrees-zh_CN",
        "docs/_build/html/zh_CN",
    ],
}


def _build(root: Path, editions: tuple[str, ...] = ("en", "zh_CN")) -> tuple[float, str]:
    """Build ``editions`` one after the other, as ``make docs`` does; the total time."""
    start = time.perf_counter()
    logs = []
    for edition in editions:
        done = subprocess.run(
            [*SPHINX, *EDITIONS[edition]], cwd=root, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            sys.exit(f"the {edition} build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        logs.append(done.stdout)
    return time.perf_counter() - start, "\n".join(logs)


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
        english_only = Path(tmp) / "english"
        _copy_sources(english_only)
        clean_english, log_english = _build(english_only, ("en",))

        root = Path(tmp) / "both"
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

        print(f"{'build':<40}{'seconds':>9}  {'target':>8}  examples")
        rows = [
            ("clean, English only", clean_english, None, log_english),
            ("clean, both editions", clean, 1.5 * clean_english, log_clean),
            ("rebuild, nothing changed, both", unchanged, 4.0, log_unchanged),
            (f"rebuild, {edited.name} edited, both", one_edit, 8.0, log_edit),
        ]
        for label, seconds, target, log in rows:
            goal = f"{target:>6.1f} s" if target is not None else " " * 8
            verdict = "" if target is None else ("  [ok]" if seconds <= target else "  [OVER]")
            print(f"{label:<40}{seconds:>9.1f}  {goal}  {_executed(log)}{verdict}")
        print(f"\nboth editions / English only: {clean / clean_english:.2f} (target <= 1.5)")

        print(f"\nexample run times ({len(examples)} examples, slowest first):")
        for name, seconds in _example_times(root):
            print(f"  {seconds:6.2f} s  {name}")


if __name__ == "__main__":
    main()
