"""The built site: every example ran and drew a figure, figures are reproducible,
every page has a description, and the hosting config is valid.

`make test` builds the site (`make docs`) before it runs pytest, so these tests
read `docs/_build/html` and the gallery that sphinx-gallery generated.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import yaml

pytestmark = pytest.mark.site

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
GALLERY = REPO / "gallery"
AUTO = DOCS / "auto_examples"
HTML = Path(os.environ.get("TENSORNOTES_SITE", DOCS / "_build" / "html"))
SCHEMA = REPO / "tests" / "data" / "readthedocs-v2.schema.json"

EXAMPLES = sorted(GALLERY.glob("[0-9][0-9]_*/plot_*.py"))
TOPIC_PAGES = sorted((DOCS / "topics").glob("[0-9][0-9]_*.md"))


def _require_build() -> None:
    if not (HTML / "index.html").is_file() or not AUTO.is_dir():
        pytest.fail(f"the site is not built in {HTML}: run `make docs` (make test does it first)")


def _generated_rst(example: Path) -> Path:
    return AUTO / example.parent.name / f"{example.stem}.rst"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_ran_and_drew_a_figure(example: Path) -> None:
    _require_build()
    rst = _generated_rst(example)
    assert rst.is_file(), f"sphinx-gallery did not process {example}"
    text = rst.read_text(encoding="utf-8")

    match = re.search(
        r"\*\*Total running time of the script:\*\* \((\d+) minutes ([\d.]+) seconds\)", text
    )
    assert match, f"{rst.name} has no running time: the example was not executed"
    seconds = 60 * int(match.group(1)) + float(match.group(2))
    assert seconds > 0, f"{example.name} reports 0 s: it was not executed"

    figures = sorted((rst.parent / "images").glob(f"sphx_glr_{example.stem}_[0-9][0-9][0-9].png"))
    assert figures, f"{example.name} drew no figure"
    page = HTML / "auto_examples" / example.parent.name / f"{example.stem}.html"
    html = page.read_text(encoding="utf-8")
    for figure in figures:
        assert figure.name in html, f"{figure.name} is not shown on {page.name}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_prints_its_device(example: Path) -> None:
    _require_build()
    text = _generated_rst(example).read_text(encoding="utf-8")
    outputs = re.findall(
        r"\.\. rst-class:: sphx-glr-script-out\n\n \.\. code-block:: none\n\n(.*?)\n\n", text, re.S
    )
    assert any(re.search(r"\b(cpu|cuda(:\d+)?|mps)\b", out) for out in outputs), (
        f"{example.name} does not print which device it ran on"
    )


@pytest.mark.parametrize("page", TOPIC_PAGES, ids=lambda p: p.stem)
def test_every_topic_has_a_gallery_figure(page: Path) -> None:
    scripts = list((GALLERY / page.stem).glob("plot_*.py"))
    assert scripts, f"topic {page.stem} has no gallery example in gallery/{page.stem}/"
    text = page.read_text(encoding="utf-8")
    assert f"sphx_glr_auto_examples_{page.stem}_" in text, f"{page.name} does not link its example"
    assert f"/auto_examples/{page.stem}/images/sphx_glr_" in text, f"{page.name} shows no figure"
    assert "```{doctest}" in text, f"{page.name} has no doctest"


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.descriptions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and found.get("name") == "description":
            self.descriptions.append(found.get("content") or "")


def _pages() -> list[Path]:
    skip = {"_static", "_sources", "_images", "_downloads", "_modules"}
    return [p for p in HTML.rglob("*.html") if not skip & set(p.relative_to(HTML).parts)]


def test_every_page_has_one_meta_description() -> None:
    _require_build()
    pages = _pages()
    assert len(pages) >= 5
    problems = []
    for page in pages:
        parser = _Meta()
        parser.feed(page.read_text(encoding="utf-8"))
        name = page.relative_to(HTML)
        if len(parser.descriptions) != 1:
            problems.append(f"{name}: {len(parser.descriptions)} descriptions")
        elif not 40 <= len(parser.descriptions[0]) <= 200:
            problems.append(f"{name}: {len(parser.descriptions[0])} characters")
    assert not problems, "meta descriptions need 40 to 200 characters:\n" + "\n".join(problems)


def test_no_page_loads_anything_from_another_host() -> None:
    _require_build()
    external = re.compile(
        r"""<(?:script|img|link|iframe|source|video|audio)\b[^>]*?\b(?:src|href)=["'](?:https?:)?//""",
        re.I,
    )
    for page in _pages():
        text = page.read_text(encoding="utf-8")
        for tag in external.findall(text):
            if (
                tag.lower().startswith("<link")
                and 'rel="stylesheet"' not in tag
                and "preload" not in tag
            ):
                continue
            pytest.fail(f"{page.relative_to(HTML)} loads from another host: {tag}")


def test_math_is_prerendered_by_katex() -> None:
    _require_build()
    page = (HTML / "topics" / "01_random_tensors.html").read_text(encoding="utf-8")
    assert 'class="katex"' in page
    assert "katex.min.js" not in page
    assert not re.search(r"<script[^>]*mathjax", page, re.I), "MathJax is loaded"


def test_readthedocs_config_is_valid() -> None:
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text(encoding="utf-8"))
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(config, schema)
    assert config["sphinx"]["fail_on_warning"] is True
    assert "htmlzip" in config["formats"]
    installs = " ".join(config["build"]["jobs"]["pre_install"])
    # The same pin as `make`: the CPU wheel of the release in requirements-torch.txt.
    assert "-r requirements-torch.txt" in installs
    assert "whl/cpu" in installs
    pin = (REPO / "requirements-torch.txt").read_text(encoding="utf-8").split()
    assert len(pin) == 1, pin
    assert pin[0].startswith("torch=="), pin


def test_readthedocs_schema_rejects_a_bad_config() -> None:
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": 2, "formats": ["docx"]}, schema)


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.glob("*/images/**/*.png"))
    }


def test_two_clean_builds_give_identical_figures(tmp_path: Path) -> None:
    """Rebuild the site from a clean copy and compare every gallery PNG byte for byte."""
    _require_build()
    for name in ("docs", "gallery"):
        shutil.copytree(
            REPO / name,
            tmp_path / name,
            ignore=shutil.ignore_patterns(
                "_build", "auto_examples", "generated", "backrefs", "*.png"
            )
            if name == "docs"
            else None,
        )
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", "docs", "out"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    first, second = _digests(AUTO), _digests(tmp_path / "docs" / "auto_examples")
    assert first, "the first build drew no figures"
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"figures differ between two clean builds: {differing}"
