"""Write ``sitemap.xml``: every page of the site, at its published address.

sphinx-sitemap lists only the pages written by the current build, so after an
incremental build its sitemap misses every page that did not change. This lists
every document Sphinx knows, whatever was rebuilt. Pages that are not documents
(search, the general index, the 404 page) are not listed. The addresses start
with ``html_baseurl``; ``robots.txt`` (``_extra/``) points search engines here.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.embedded:
        return
    base = app.config.html_baseurl
    if not base:
        logger.warning("html_baseurl is not set: no sitemap.xml written")
        return
    base = base.rstrip("/") + "/"
    urlset = ElementTree.Element("urlset", xmlns=_NAMESPACE)
    for docname in sorted(app.env.found_docs):
        url = ElementTree.SubElement(urlset, "url")
        ElementTree.SubElement(url, "loc").text = base + app.builder.get_target_uri(docname)
    ElementTree.indent(urlset)
    tree = ElementTree.ElementTree(urlset)
    tree.write(app.outdir / "sitemap.xml", encoding="utf-8", xml_declaration=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", _write_sitemap)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
