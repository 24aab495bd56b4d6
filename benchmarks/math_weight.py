"""What a reader downloads to see the math: KaTeX pre-rendered vs a local MathJax.

The site renders math with KaTeX at build time (sphinxcontrib-katex with
``katex_prerender = True``): a page ships HTML plus one stylesheet and the
woff2 fonts its glyphs use, and no JavaScript. The alternative that also works
offline is MathJax served from the site itself. This script measures both for
the built topic pages that contain math, counting bytes as a browser would
fetch them (raw, and gzip-compressed as a host would serve them).

It needs the built site (``make docs``) and installs ``mathjax@3`` from npm into
``.cache/math_weight`` the first time.

    .venv/bin/python benchmarks/math_weight.py
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HTML = REPO / "docs" / "_build" / "html"
KATEX = REPO / "docs" / "_static" / "katex"
CACHE = REPO / ".cache" / "math_weight"

# The CSS class of a KaTeX glyph names the font it is drawn in.
_KATEX_FONT_OF_CLASS = {
    "mathnormal": "KaTeX_Math-Italic",
    "mathit": "KaTeX_Main-Italic",
    "mathrm": "KaTeX_Main-Regular",
    "mathbf": "KaTeX_Main-Bold",
    "mathsf": "KaTeX_SansSerif-Regular",
    "mathtt": "KaTeX_Typewriter-Regular",
    "mathcal": "KaTeX_Caligraphic-Regular",
    "mathbb": "KaTeX_AMS-Regular",
    "amsrm": "KaTeX_AMS-Regular",
    "delimsizing size1": "KaTeX_Size1-Regular",
    "delimsizing size2": "KaTeX_Size2-Regular",
    "delimsizing size3": "KaTeX_Size3-Regular",
    "delimsizing size4": "KaTeX_Size4-Regular",
    "op-symbol large-op": "KaTeX_Size2-Regular",
    "op-symbol small-op": "KaTeX_Size1-Regular",
}


def _sizes(data: bytes) -> tuple[int, int]:
    return len(data), len(gzip.compress(data, 9))


def _katex_bytes(page: str) -> tuple[int, int]:
    fonts = {"KaTeX_Main-Regular"}  # every KaTeX page uses the main font
    for cls, font in _KATEX_FONT_OF_CLASS.items():
        if f'class="{cls}' in page or f" {cls}" in page:
            fonts.add(font)
    raw, packed = _sizes((KATEX / "katex.min.css").read_bytes())
    for font in fonts:
        data = (KATEX / "fonts" / f"{font}.woff2").read_bytes()
        raw, packed = raw + len(data), packed + len(data)  # woff2 is compressed already
    # The pre-rendered markup replaces the TeX source in the HTML itself.
    markup = "".join(re.findall(r'<span class="katex">.*?</span></span></span>', page, re.S))
    extra_raw, extra_packed = _sizes(markup.encode())
    return raw + extra_raw, packed + extra_packed


def _mathjax_bytes() -> tuple[int, int]:
    root = CACHE / "node_modules" / "mathjax" / "es5"
    if not root.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", "mathjax@3"],
            check=True,
            capture_output=True,
        )
    raw, packed = _sizes((root / "tex-chtml.js").read_bytes())
    fonts = root / "output" / "chtml" / "fonts" / "woff-v2"
    for name in ("MathJax_Zero.woff", "MathJax_Main-Regular.woff", "MathJax_Math-Italic.woff"):
        data = (fonts / name).read_bytes()
        raw, packed = raw + len(data), packed + len(data)
    return raw, packed


def main() -> None:
    if not HTML.is_dir():
        sys.exit("build the site first: make docs")
    pages = [
        p for p in sorted((HTML / "topics").glob("*.html")) if 'class="katex"' in p.read_text()
    ]
    if not pages:
        sys.exit("no built page contains math")
    mathjax = _mathjax_bytes()
    print(f"{'page':<34}{'KaTeX pre-rendered':>22}{'local MathJax 3':>22}")
    print(f"{'':<34}{'raw / gzip KB':>22}{'raw / gzip KB':>22}")
    for page in pages:
        katex = _katex_bytes(page.read_text(encoding="utf-8"))
        print(
            f"{page.name:<34}{katex[0] / 1024:>12.0f} / {katex[1] / 1024:<7.0f}"
            f"{mathjax[0] / 1024:>12.0f} / {mathjax[1] / 1024:<7.0f}"
        )
    print(
        "\nMathJax: tex-chtml.js and the three fonts every page needs; it also runs "
        "JavaScript to typeset.\nKaTeX: katex.min.css, the woff2 fonts the page's glyphs "
        "use, and the pre-rendered markup; no JavaScript."
    )


if __name__ == "__main__":
    main()
