"""Sphinx extension of the tensornotes site: what no stock extension does.

* Every page gets a ``<meta name="description">``: the page's own (MyST front
  matter ``html_meta``) when it has one, else its first paragraph, else the
  site's default. Search engines and link previews read it.
* Every topic and gallery page says under its title which PyTorch (and, for
  the gallery, which device) its outputs came from (``provenance``).
* Two editions, English and Chinese, with a switch on every page (``languages``).
* myst-parser reuses docutils' default settings (``myst_settings``), which
  makes the Chinese edition's build about a quarter faster.
* KaTeX's node server starts reliably on a busy machine (``katex_startup``).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from tensornotes_docs import katex_startup, myst_settings

_MAX_DESCRIPTION = 160


def _first_paragraph(doctree: nodes.document) -> str:
    for para in doctree.findall(nodes.paragraph):
        # Skip the line on PyTorch's version, and paragraphs inside admonitions,
        # sidebars and the gallery's download notes: they rarely describe the page.
        if "tn-provenance" in para["classes"] or any(
            isinstance(parent, nodes.Admonition | nodes.sidebar | nodes.topic)
            for parent in _ancestors(para)
        ):
            continue
        text = " ".join(para.astext().split())
        if len(text) >= 40:
            return text
    return ""


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def _shorten(text: str) -> str:
    if len(text) <= _MAX_DESCRIPTION:
        return text
    cut = text[: _MAX_DESCRIPTION - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _add_description(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    metatags = context.get("metatags", "")
    if 'name="description"' in metatags:
        return
    text = _first_paragraph(doctree) if doctree is not None else ""
    description = _shorten(text) if text else app.config.tensornotes_default_description
    escaped = description.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    context["metatags"] = metatags + f'\n    <meta name="description" content="{escaped}" />'


def setup(app: Sphinx) -> dict[str, Any]:
    katex_startup.install()
    myst_settings.install()
    app.add_config_value("tensornotes_default_description", "", "html", types=[str])
    app.connect("html-page-context", _add_description)
    app.setup_extension("tensornotes_docs.accessibility")
    app.setup_extension("tensornotes_docs.sitemap")
    app.setup_extension("tensornotes_docs.images")
    app.setup_extension("tensornotes_docs.languages")
    app.setup_extension("tensornotes_docs.provenance")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
