"""Make the gallery's figures lighter to download, after Sphinx copies them.

Matplotlib writes 24-bit RGBA PNGs; a figure of lines, text and a colormap fits
in a 256-colour palette with no visible change, at about a third of the bytes.
Only the copies in the built site's ``_images`` change: the originals that
sphinx-gallery wrote under ``auto_examples/`` (and the tests that hash them)
are untouched. A PNG that is already a palette image is left alone, so an
unchanged rebuild costs nothing, and each conversion is kept in
``docs/_build/palette-cache``, keyed by the input's hash, for the other edition.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
# The figures and thumbnails sphinx-gallery makes; other images are left as they are.
_PATTERN = "sphx_glr_*.png"


def _palette(path: Path, cache: Path) -> bool:
    """Turn ``path`` into a palette PNG; the result of each input is kept in ``cache``,
    so the second edition of the site copies its figures instead of converting them."""
    from PIL import Image

    with Image.open(path) as image:
        if image.mode == "P":
            return False
    key = hashlib.sha256(path.read_bytes()).hexdigest()
    kept = cache / f"{key}.png"
    if kept.is_file():
        shutil.copyfile(kept, path)
        return True
    with Image.open(path) as image:
        image.load()
    opaque = image.mode != "RGBA" or image.getextrema()[3] == (255, 255)
    if opaque:
        # Median cut picks the colours well; no dithering keeps lines and text crisp.
        rgb = image.convert("RGB")
        small = rgb.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    else:
        small = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small.save(path, format="PNG", optimize=True)
    cache.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, kept)
    return True


def _optimise_images(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    images = Path(app.outdir) / "_images"
    cache = Path(app.srcdir) / "_build" / "palette-cache"
    done = sum(_palette(path, cache) for path in sorted(images.glob(_PATTERN)))
    if done:
        logger.info("tensornotes_docs: %d gallery images turned into palette PNGs", done)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", _optimise_images)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
