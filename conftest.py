"""Collect every doctest with Sybil: the MyST pages' and the package's docstrings.

Plain ``pytest --doctest-glob`` would read a closing code fence as expected
output; Sybil understands MyST's ```` ```{doctest} ```` fences. Both kinds of
doctest share one output checker, ``tests/doctest_checker.py``, which compares
floats within a stated tolerance so that an example holds on every CPU kernel.
Hypothesis runs derandomized in CI (the ``ci`` profile).
"""

from __future__ import annotations

import os
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from doctest_checker import numeric_evaluator
from hypothesis import settings
from sybil import Sybil
from sybil.parsers.abstract import DocTestStringParser
from sybil.parsers.myst import DocTestDirectiveParser, SkipParser
from sybil.parsers.rest import DocTestParser

FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE

# In CI, Hypothesis draws the same examples on every run, so that a red run can
# be repeated and a green one stays green; elsewhere it explores new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

collect_ignore = ["docs/conf.py", "gallery", "benchmarks"]


_Parser = DocTestDirectiveParser | DocTestParser


def _numeric(parser: _Parser) -> _Parser:
    parser.string_parser = DocTestStringParser(numeric_evaluator(FLAGS))
    return parser


pages = Sybil(
    parsers=[_numeric(DocTestDirectiveParser(optionflags=FLAGS)), SkipParser()],
    patterns=["*.md"],
    path="docs",
    excludes=["_build/*", "auto_examples/*", "locale/*"],
    name="pages",
)
docstrings = Sybil(
    parsers=[_numeric(DocTestParser(optionflags=FLAGS))],
    patterns=["*.py"],
    path="src",
    name="docstrings",
)

pytest_collect_file = (pages + docstrings).pytest()
