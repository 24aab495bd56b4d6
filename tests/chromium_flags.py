"""The flags every headless Chromium of this project starts with.

The browser tests (``tests/test_browser.py``) and the Lighthouse benchmark
(``benchmarks/lighthouse.py``) both read them from here. As root in a container
Chromium needs ``--no-sandbox``; the rest stop it from calling home, which a
machine without a network answers with errors at every start.
"""

from __future__ import annotations

__all__ = ["CHROMIUM_FLAGS"]

CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
