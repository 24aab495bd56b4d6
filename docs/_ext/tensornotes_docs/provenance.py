"""Say under each page's title which PyTorch its outputs came from.

A topic page's outputs are doctests, checked on the CPU against the PyTorch
that builds the site (``make test`` runs them in the same environment). A
gallery page's outputs come from running its script during the build; the
gallery hook (:func:`tensornotes_docs.gallery.reset_state`) records the
PyTorch version and the device each script ran with in ``PROVENANCE``, and this
reads it back, so a page whose script was not re-run keeps the line of the run
whose output it shows. In the Chinese edition, a gallery page also says that
its downloads stay in English.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from tensornotes_docs.languages import text

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


def _lines(app: Sphinx, docname: str) -> list[str]:
    parts = docname.split("/")
    if parts[0] == "topics" and parts[-1][:2].isdigit():
        import torch

        return [text(app.config, "topic", torch=torch.__version__)]
    if parts[0] == "auto_examples" and len(parts) == 3 and parts[2].startswith("plot_"):
        run = read_runs().get(parts[2] + ".py")
        if run is None:
            return []
        lines = [text(app.config, "example", torch=run["torch"], device=run["device"])]
        downloads = text(app.config, "downloads")
        return lines + ([downloads] if downloads else [])
    return []


def _add_lines(app: Sphinx, doctree: nodes.document) -> None:
    lines = _lines(app, app.env.docname)
    section = next(iter(doctree.findall(nodes.section)), None)
    if not lines or section is None:
        return
    title = next(iter(section.findall(nodes.title)), None)
    position = section.index(title) + 1 if title is not None else 0
    for line in reversed(lines):
        section.insert(position, nodes.paragraph(line, line, classes=["tn-provenance"]))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", _add_lines)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
