"""Parse each translated message without rebuilding docutils' default settings.

The Chinese edition parses every one of its 3,000 translated messages on its
own (Sphinx's i18n transform), and myst-parser builds each parse's document
with ``docutils.frontend.get_default_settings``, which assembles an option
parser of some 70 options every time: about a quarter of the Chinese build.
The settings depend only on the parser class, so this keeps one copy per class
and gives each document a copy of its own.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from myst_parser.mdit_to_docutils import base


def install() -> None:
    """Cache myst-parser's default settings; raise if myst-parser changed the name."""
    if not hasattr(base, "get_default_settings"):
        raise RuntimeError(
            "myst_parser.mdit_to_docutils.base has no get_default_settings: update "
            "docs/_ext/tensornotes_docs/myst_settings.py for this myst-parser"
        )
    original = base.get_default_settings
    if getattr(original, "tensornotes_cached", False):
        return
    cached = functools.lru_cache(maxsize=None)(original)

    def get_default_settings(*components: Any) -> Any:
        return copy.copy(cached(*components))

    get_default_settings.tensornotes_cached = True  # type: ignore[attr-defined]
    base.get_default_settings = get_default_settings
