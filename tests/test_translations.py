"""The Chinese catalogues: complete, current, and true to the English markup.

- Every message of every catalogue under ``docs/locale/zh_CN`` is translated and
  none is fuzzy, so an English edit lands only with its Chinese.
- The catalogues hold every message of the current English sources: after
  ``make docs`` has built them, ``make test`` extracts the messages afresh
  (``docs/_build/gettext``) and each must be in its catalogue.
- A translation keeps what the reader types and what Sphinx resolves: the same
  inline code, the same role targets (a link's text may change, its target not),
  the same math.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "docs" / "locale" / "zh_CN" / "LC_MESSAGES"
GETTEXT = Path(os.environ.get("TENSORNOTES_GETTEXT", REPO / "docs" / "_build" / "gettext"))
CATALOGUES = sorted(LOCALE.rglob("*.po"))
CJK = re.compile(r"[\u4e00-\u9fff]")

# `code`, ``code``, {role}`target`, :role:`target`, {role}`text <target>`, $math$.
_SPAN = re.compile(r"(\{[\w:.-]+\}|:[\w:.-]+:)?(`+)(.+?)\2(_{0,2})|\$\$?[^$]+\$\$?", re.S)
_ENGLISH = re.compile(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}\s+[A-Za-z]{3,}")
_TITLED = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
# Roles whose text the translation may change; only the target must stay.
_LINK_ROLES = {"ref", "doc", "term", "download", "numref", "std:ref", "std:doc", "std:term"}


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def _messages(catalog: Catalog) -> list[tuple[str, str, bool]]:
    return [(str(m.id), str(m.string), m.fuzzy) for m in catalog if m.id and isinstance(m.id, str)]


def _spans(text: str) -> Counter[str]:
    """What must survive translation: code, role targets and math, as a multiset."""
    found: Counter[str] = Counter()
    for match in _SPAN.finditer(text):
        role, _, body, link = match.groups()
        if body is None:  # math
            found[match.group(0)] += 1
            continue
        name = role.strip("{}:") if role else ""
        titled = _TITLED.match(body)
        if link:  # a reST hyperlink, `text <url>`_: only the address must stay
            found[f"link:{titled.group(2) if titled else body}"] += 1
        elif name in _LINK_ROLES:
            found[f"{name}:{titled.group(2) if titled else body}"] += 1
        elif name:
            target = titled.group(2) if titled else body
            found[f"{name}:{target.lstrip('~!')}"] += 1
        else:
            found[f"code:{body}"] += 1
    return found


def test_there_are_catalogues() -> None:
    assert len(CATALOGUES) >= 20, f"only {len(CATALOGUES)} catalogues in {LOCALE}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_every_message_is_translated(po: Path) -> None:
    missing = [mid for mid, mstr, fuzzy in _messages(_read(po)) if not mstr or fuzzy]
    assert not missing, f"{len(missing)} untranslated or fuzzy in {po.name}: {missing[:3]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_translations_keep_code_targets_and_math(po: Path) -> None:
    broken = []
    for mid, mstr, _ in _messages(_read(po)):
        if mstr and _spans(mid) != _spans(mstr):
            lost = _spans(mid) - _spans(mstr)
            added = _spans(mstr) - _spans(mid)
            broken.append(f"{mid[:60]!r}: lost {dict(lost)}, added {dict(added)}")
    assert not broken, "\n".join(broken[:10])


def _delimited(text: str, start: int, end: int) -> bool:
    """reST's rule for inline markup: what touches it must be a space or punctuation.

    Before the markup: a space, an opening bracket or other punctuation. After
    it: a space or punctuation other than an opening bracket. A Chinese
    character touching the markup (or an opening bracket after it) turns it
    into plain text, so a translation writes a space there.
    """
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    ok_before = before.isspace() or unicodedata.category(before).startswith("P") or before in "<>|"
    ok_after = after.isspace() or (
        unicodedata.category(after) in {"Po", "Pe", "Pd", "Pf", "Pi"} or after in "<>|\\"
    )
    return ok_before and ok_after


# Catalogues whose messages are reST: the gallery's pages. (MyST, the markup of the
# topic pages and of the API reference, has no such rule.)
REST = [p for p in CATALOGUES if p.relative_to(LOCALE).parts[0] == "auto_examples"]
API = LOCALE / "reference" / "api.po"


@pytest.mark.parametrize("po", REST, ids=lambda p: str(p.relative_to(LOCALE)))
def test_inline_markup_is_delimited_as_rest_needs(po: Path) -> None:
    touching = []
    for mid, mstr, _ in _messages(_read(po)):
        for match in _SPAN.finditer(mstr):
            if match.group(3) is None:  # math: $...$ is MyST's, no reST rule
                continue
            start = match.start()
            if not _delimited(mstr, start, match.end()):
                context = mstr[max(start - 3, 0) : match.end() + 3]
                touching.append(f"{context!r} in {mid[:50]!r}")
    assert not touching, "put a space between markup and Chinese:\n" + "\n".join(touching[:10])


def test_api_translations_write_roles_as_myst() -> None:
    """Sphinx parses every translation with its page's parser. The API page is
    MyST, so the Chinese of a docstring, although the docstring is reST, writes
    {func}`x`; a reST :func:`x` there would come out as plain text."""
    rest_roles = [
        mstr for _, mstr, _ in _messages(_read(API)) if re.search(r"(?<![\w`{]):[a-z]+:`", mstr)
    ]
    assert not rest_roles, f"reST roles in the API reference's Chinese: {rest_roles[:5]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_numbered_titles_stay_titles(po: Path) -> None:
    """Sphinx parses each translation on its own: "5. 广播" would be a list item,
    not the title "5. Broadcasting", and Sphinx would silently keep the English.
    The dot after the number is escaped: "5\\. 广播"."""
    lists = [mstr for mid, mstr, _ in _messages(_read(po)) if re.match(r"\d+\. ", mstr)]
    assert not lists, f"numbered titles that would parse as lists in {po.name}: {lists[:5]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_prose_is_in_chinese(po: Path) -> None:
    """A message with English words in it is translated into Chinese, not copied."""
    copied = [
        mid
        for mid, mstr, _ in _messages(_read(po))
        if mstr == mid and _ENGLISH.search(_SPAN.sub(" ", mid)) and not CJK.search(mstr)
    ]
    assert not copied, f"{len(copied)} copied untranslated in {po.name}: {copied[:3]}"


@pytest.mark.site
def test_the_catalogues_hold_every_current_message() -> None:
    templates = sorted(GETTEXT.rglob("*.pot"))
    if not templates:
        pytest.fail(f"no message templates in {GETTEXT}: run `make translations` or `make test`")
    stale = []
    for pot in templates:
        domain = pot.relative_to(GETTEXT).with_suffix(".po")
        po = LOCALE / domain
        wanted = {m.id for m in _read(pot) if m.id}
        have = (
            {m.id for m in _read(po) if m.id and m.string and not m.fuzzy}
            if po.exists()
            else set()
        )
        for message in sorted(wanted - have, key=str):
            stale.append(f"{domain}: {str(message)[:70]!r}")
    assert not stale, (
        f"{len(stale)} messages of the English sources have no Chinese: run "
        "`make translations` and translate them:\n" + "\n".join(stale[:20])
    )
