"""Fixes to the HTML that Sphinx and furo write, found by Lighthouse's audits.

* A toctree caption is written as ``<p class="caption" role="heading">``; ARIA
  requires a heading role to have a level, so it gets ``aria-level="2"`` (the
  page's title is the only level 1), in the page body and in furo's sidebar.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

_CAPTION = '<p class="caption" role="heading">'
_CAPTION_WITH_LEVEL = '<p class="caption" role="heading" aria-level="2">'
# The context entries that hold rendered HTML with toctree captions.
_HTML_ENTRIES = ("body", "furo_navigation_tree", "toctree")


def _add_heading_levels(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    for key in _HTML_ENTRIES:
        value = context.get(key)
        if isinstance(value, str) and _CAPTION in value:
            context[key] = value.replace(_CAPTION, _CAPTION_WITH_LEVEL)


def setup(app: Sphinx) -> dict[str, Any]:
    # After furo's handler (priority 500), which renders the sidebar's tree.
    app.connect("html-page-context", _add_heading_levels, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
