"""Two editions from one source: English, and Chinese from ``docs/locale/zh_CN``.

``make docs`` builds English into ``_build/html`` and Chinese into
``_build/html/zh_CN``; on Read the Docs each language is its own project, at
``/en/latest/`` and ``/zh-cn/latest/``. This module

* gives every page a link to the same page in the other edition (the sidebar's
  ``sidebar/language.html``): a relative link in a local build, so it works
  from a folder and from any local server, and the other project's address on
  Read the Docs; and, for search engines, ``<link rel="alternate" hreflang>``
  to both editions at their published addresses;
* points the Chinese edition's canonical address and 404 page at its own folder;
* keeps the gallery's running times out of the catalogues (they change on every
  run) and writes them in Chinese in the Chinese edition, and gives the
  gallery's thumbnail titles, which sphinx-gallery writes as raw HTML, the
  translated titles of their examples;
* holds the few sentences this extension writes itself, in both languages
  (:data:`TEXT`);
* mends Sphinx's Chinese search page, which names a stemmer that does not exist.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import init as init_locale

#: Sphinx's language code -> (the switch's label, the HTML lang, Read the Docs' code).
EDITIONS = {
    "en": ("English", "en", "en"),
    "zh_CN": ("中文", "zh-CN", "zh-cn"),
}
#: The folder of the Chinese edition inside the English one, in a local build.
LOCAL_FOLDER = "zh_CN"

#: Sentences this extension writes, by language.
TEXT = {
    "en": {
        "topic": "Checked with PyTorch {torch}: every output on this page is a doctest, "
        "run on the CPU.",
        "example": "Ran with PyTorch {torch} on {device} when this page was built.",
        "timing": "Total running time of the script: ({minutes} minutes {seconds} seconds)",
        "downloads": "",
    },
    "zh_CN": {
        "topic": "用 PyTorch {torch} 核对：本页的每个输出都是在 CPU 上运行的 doctest。",
        "example": "构建本页时，用 PyTorch {torch} 在 {device} 上运行。",
        "timing": "脚本总运行时间：{minutes} 分 {seconds} 秒",
        "downloads": "可下载的 .py 和 .ipynb 文件保留英文原文。",
    },
}

_TIMING = re.compile(r"Total running time of the script: \((\d+) minutes ([\d.]+) seconds\)")
_THUMB_TITLE = re.compile(r'(<div class="sphx-glr-thumbnail-title">)(.*?)(</div>)', re.S)
_THUMB_TOOLTIP = re.compile(r'(tooltip=")(.*?)(")', re.S)


def language(config: Config) -> str:
    """The edition being built: ``"en"`` or ``"zh_CN"``."""
    return "zh_CN" if str(config.language or "en").lower().startswith("zh") else "en"


def text(config: Config, key: str, **values: str) -> str:
    """One of :data:`TEXT`'s sentences, in the edition's language."""
    return TEXT[language(config)][key].format(**values)


def _other(lang: str) -> str:
    return "en" if lang == "zh_CN" else "zh_CN"


def _rtd_url(lang: str) -> str | None:
    """This project's address in ``lang`` on Read the Docs, or None outside it."""
    canonical = os.environ.get("READTHEDOCS_CANONICAL_URL")
    here = os.environ.get("READTHEDOCS_LANGUAGE", "en").lower()
    if not canonical:
        return None
    return canonical.replace(f"/{here}/", f"/{EDITIONS[lang][2]}/", 1)


def _configure(app: Sphinx, config: Config) -> None:
    lang = language(config)
    config.language = lang
    if lang == "zh_CN":
        # Sphinx's Chinese search loads jieba's default dictionary a second time,
        # as a user dictionary, unless it is given another (about 2 s per build).
        config.html_search_options = {"dict": "", **(config.html_search_options or {})}
    if lang == "zh_CN" and not os.environ.get("READTHEDOCS_CANONICAL_URL"):
        config.html_baseurl = config.html_baseurl.replace("/en/", "/zh-cn/", 1)
        config.notfound_urls_prefix = f"/{LOCAL_FOLDER}/"


def switch_href(app: Sphinx, pagename: str) -> str:
    """The address of ``pagename`` in the other edition, from ``pagename`` in this one."""
    lang = language(app.config)
    other = _other(lang)
    target = app.builder.get_target_uri(pagename)
    remote = _rtd_url(other)
    if remote is not None:
        return remote + target
    if pagename == "404":
        # The 404 page is served at any depth, so it links from the site's root.
        return "/" if lang == "zh_CN" else f"/{LOCAL_FOLDER}/"
    up = "../" * pagename.count("/")
    return up + ("../" if lang == "zh_CN" else f"{LOCAL_FOLDER}/") + target


def _add_switch(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    other = _other(language(app.config))
    label, hreflang, _ = EDITIONS[other]
    href = switch_href(app, pagename)
    context["tn_language_switch"] = {"href": href, "label": label, "hreflang": hreflang}
    if pagename == "404":
        return
    # Search engines want every edition of the page, this one too, at its full address.
    target = app.builder.get_target_uri(pagename)
    alternates = "".join(
        f'\n    <link rel="alternate" hreflang="{code}" '
        f'href="{html.escape(_published_base(app, lang) + target)}" />'
        for lang, (_, code, _) in EDITIONS.items()
    )
    context["metatags"] = context.get("metatags", "") + alternates


def _published_base(app: Sphinx, lang: str) -> str:
    """The published address of the edition in ``lang``, ending in a slash."""
    remote = _rtd_url(lang)
    if remote is not None:
        return remote
    base = str(app.config.html_baseurl).rstrip("/") + "/"
    here = EDITIONS[language(app.config)][2]
    return base.replace(f"/{here}/", f"/{EDITIONS[lang][2]}/", 1)


def _gallery_text(app: Sphinx, doctree: nodes.document) -> None:
    lang = language(app.config)
    for para in doctree.findall(nodes.paragraph):
        if "sphx-glr-timing" not in para["classes"]:
            continue
        para["translatable"] = False
        match = _TIMING.search(para.astext())
        if match is not None and lang != "en":
            line = text(app.config, "timing", minutes=match[1], seconds=match[2])
            para.children = [nodes.strong(line, line)]
    if lang != "en":
        _translate_thumbnails(app, doctree)


def _translate_thumbnails(app: Sphinx, doctree: nodes.document) -> None:
    """Give raw-HTML thumbnail titles and tooltips their examples' translations."""
    for raw in list(doctree.findall(nodes.raw)):
        source = raw.astext()
        if "sphx-glr-thumbnail-title" not in source and "tooltip=" not in source:
            continue
        example = _example_of(raw)
        if example is None:
            continue
        new = _translate_html(_catalog(app, example), source)
        if new != source:
            raw.replace_self(nodes.raw(new, new, format="html"))


def _translate_html(translate: Any, source: str) -> str:
    def swap(match: re.Match[str]) -> str:
        return match[1] + _lookup(translate, match[2]) + match[3]

    return _THUMB_TOOLTIP.sub(swap, _THUMB_TITLE.sub(swap, source))


def _example_of(raw: nodes.raw) -> str | None:
    """The example a thumbnail's raw HTML belongs to: its tooltip comes before the
    example's :doc: link, its title after."""
    if raw.parent is None:
        return None
    siblings = list(raw.parent.children)
    index = siblings.index(raw)
    forward = "tooltip=" in raw.astext()
    candidates = siblings[index + 1 :] if forward else reversed(siblings[:index])
    for node in candidates:
        if not isinstance(node, nodes.Element):
            continue
        for xref in node.findall(addnodes.pending_xref):
            if xref.get("reftype") == "doc":
                return str(xref["reftarget"]).lstrip("/")
    return None


def _catalog(app: Sphinx, docname: str) -> Any:
    locale_dirs = [str(Path(app.srcdir, d)) for d in app.config.locale_dirs]
    translator, _ = init_locale(locale_dirs, app.config.language, docname)
    return translator


def _lookup(translate: Any, message: str) -> str:
    plain = html.unescape(message)
    found = translate.gettext(plain)
    return html.escape(found, quote=True) if found != plain else message


def _chinese_search() -> type:
    from sphinx.search.zh import SearchChinese

    class ChineseSearch(SearchChinese):
        """Sphinx's Chinese search, whose page script names its stemmer right.

        Sphinx ships zh's English stemmer (english-stemmer.js, which defines
        ``EnglishStemmer``) but points the page at ``ChineseStemmer``, so the
        search page fails with "ChineseStemmer is not defined". The stemmer is
        named after ``language_name``.
        """

        language_name = "English"

    return ChineseSearch


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(_chinese_search())
    app.connect("config-inited", _configure, priority=100)
    app.connect("html-page-context", _add_switch)
    app.connect("doctree-read", _gallery_text)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
