"""Collect the doctests of the MyST pages with Sybil.

Plain ``pytest --doctest-glob`` would read a closing code fence as expected
output; Sybil understands MyST's ```` ```{doctest} ```` fences. The flags match
the ones ``--doctest-modules`` uses for the docstrings (pyproject.toml).
"""

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.myst import DocTestDirectiveParser, SkipParser

collect_ignore = ["docs/conf.py", "gallery", "benchmarks"]

pytest_collect_file = Sybil(
    parsers=[DocTestDirectiveParser(optionflags=ELLIPSIS | NORMALIZE_WHITESPACE), SkipParser()],
    patterns=["*.md"],
    path="docs",
    excludes=["_build/*", "auto_examples/*", "jupyter_execute/*"],
).pytest()
