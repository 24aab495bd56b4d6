"""Say under each page's title which PyTorch its outputs came from.

A topic page's outputs are doctests, checked on the CPU against the PyTorch
that builds the site (``make test`` runs them in the same environment). A
gallery page's outputs come from running its script during the build; the
gallery hook (:func:`tensornotes_docs.gallery.reset_state`) records the
PyTorch version and the device each script ran with in ``PROVENANCE``, and this
reads it back, so a page whose script was not re-run keeps the line of the run
whose output it shows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

#: Where the gallery hook records each example's run, keyed by file name.
PROVENANCE = Path(__file__).resolve().parents[2] / "auto_examples" / "provenance.json"


def read_runs() -> dict[str, dict[str, str]]:
    """The recorded runs: ``{"plot_x.py": {"torch": "2.13.0+cpu", "device": "cpu"}}``."""
    try:
        runs: dict[str, dict[str, str]] = json.loads(PROVENANCE.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return runs


def record_run(script: str, torch_version: str, device: str) -> None:
    """Record that ``script`` ran with this PyTorch on this device."""
    runs = read_runs()
    runs[script] = {"torch": torch_version, "device": device}
    PROVENANCE.parent.mkdir(parents=True, exist_ok=True)
    PROVENANCE.write_text(json.dumps(runs, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _line(docname: str) -> str | None:
    parts = docname.split("/")
    if parts[0] == "topics" and parts[-1][:2].isdigit():
        import torch

        return (
            f"Checked with PyTorch {torch.__version__}: every output on this page "
            "is a doctest, run on the CPU."
        )
    if parts[0] == "auto_examples" and len(parts) == 3 and parts[2].startswith("plot_"):
        run = read_runs().get(parts[2] + ".py")
        if run is None:
            return None
        return f"Ran with PyTorch {run['torch']} on {run['device']} when this page was built."
    return None


def _add_line(app: Sphinx, doctree: nodes.document) -> None:
    text = _line(app.env.docname)
    section = next(iter(doctree.findall(nodes.section)), None)
    if text is None or section is None:
        return
    title = next(iter(section.findall(nodes.title)), None)
    position = section.index(title) + 1 if title is not None else 0
    section.insert(position, nodes.paragraph(text, text, classes=["tn-provenance"]))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", _add_line)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
