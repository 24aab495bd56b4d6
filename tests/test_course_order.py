"""The course reads in order: no page calls a PyTorch function that no page up
to it teaches, unless it links to the later page that does.

For each topic page the test reads the code of its doctests and collects the
PyTorch calls: ``torch.<name>(...)`` and the tensor methods ``.name(...)``
(``x.sum()`` and ``torch.sum(x)`` count as one call, ``sum``). A call met for
the first time on a page must be in that page's ``TAUGHT`` list (the page
teaches it) or in its ``FORWARD`` list, with the later page that teaches it; a
forward call's page must link to that later page, so the reader knows where
the rest of the story is. Adding a new call to a page therefore means deciding
which of the two it is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch

TOPICS = Path(__file__).resolve().parents[1] / "docs" / "topics"
PAGES = sorted(p.stem for p in TOPICS.glob("[0-9][0-9]_*.md"))

_FENCE = re.compile(r"^```\{doctest\}\n(.*?)^```", re.M | re.S)
_CALL = re.compile(r"(?<![\w.])torch\.((?:[a-z_]\w*\.)*[a-z_]\w*)\s*\(|\.([a-z_]\w*)\s*\(")
_STRING = re.compile(r"(['\"]).*?\1")

# What each page teaches: the calls it is the first to use.
TAUGHT: dict[str, set[str]] = {
    "00_tensor_basics": {
        *("tensor", "result_type", "get_default_dtype", "get_default_device", "finfo"),
        *("flip", "from_numpy", "no_grad", "ones", "bool", "float", "to", "item"),
        *("tolist", "numel", "numpy", "detach", "add_", "sqrt_", "sqrt", "exp"),
    },
    "01_random_tensors": {
        *("manual_seed", "rand", "rand_like", "randint", "randn", "full", "arange"),
        *("linspace", "empty", "equal", "long", "unique", "zeros", "all"),
    },
    "02_storage_layout": {
        *("contiguous", "data_ptr", "flatten", "is_contiguous", "permute", "reshape"),
        *("storage_offset", "stride", "transpose", "view", "nn.functional.conv2d"),
    },
    "03_squeeze_unsqueeze": {"squeeze", "unsqueeze"},
    "04_expand_repeat": {
        *("clone", "expand", "expand_as", "fill_", "repeat", "repeat_interleave", "t"),
        *("untyped_storage", "nbytes", "zero_", "broadcast_to"),
    },
    "05_broadcasting": {"broadcast_shapes", "broadcast_tensors"},
    "06_cat_stack": {"cat", "stack", "split", "chunk", "tensor_split"},
    "07_arithmetic_matmul": {
        *("add", "allclose", "bmm", "div", "log", "matmul", "mm", "mul", "pow", "rsqrt"),
        "nn.functional.linear",
    },
    "08_rounding_clamp": {
        *("ceil", "clamp", "clip", "floor", "frac", "nextafter", "round", "sign", "trunc"),
        *("where", "abs", "nn.utils.get_total_norm"),
    },
    "09_statistics": {
        *("sum", "mean", "prod", "max", "min", "argmax", "argmin", "kthvalue", "topk"),
        *("norm", "linalg.vector_norm", "linalg.matrix_norm", "linalg.norm"),
        *("linalg.svdvals", "nn.functional.normalize", "unravel_index"),
    },
    "10_gradients": {
        *("backward", "autograd.grad", "sin", "cos", "atan2", "nn.utils.clip_grad_norm_"),
    },
    "11_optimisation": {"zero_grad", "step", "cartesian_prod", "linalg.eigvalsh"},
    "12_common_gradients": {"full_like"},
    "13_activations": {"sigmoid", "relu", "relu_", "tanh", "heaviside"},
    "14_events": set(),
}

# Calls a page uses before the page that teaches them, which it links to.
FORWARD: dict[str, dict[str, str]] = {
    "00_tensor_basics": {"backward": "10_gradients", "sum": "09_statistics"},
    "01_random_tensors": {
        **{"abs": "08_rounding_clamp", "round": "08_rounding_clamp"},
        **{"max": "09_statistics", "min": "09_statistics", "sum": "09_statistics"},
    },
    "08_rounding_clamp": {"norm": "09_statistics", "linalg.vector_norm": "09_statistics"},
    "10_gradients": {"zero_grad": "11_optimisation"},
}


def _calls(page: str) -> set[str]:
    text = (TOPICS / f"{page}.md").read_text(encoding="utf-8")
    found: set[str] = set()
    for block in _FENCE.findall(text):
        for line in block.splitlines():
            if not line.startswith((">>> ", "... ")):
                continue
            code = _STRING.sub("''", line[4:].split("#", 1)[0])
            code = code.replace("F.", "torch.nn.functional.")  # import ... as F
            for function, method in _CALL.findall(code):
                if function and _is_torch(function):
                    found.add(function)
                elif method and (
                    hasattr(torch.Tensor, method) or hasattr(torch.optim.Optimizer, method)
                ):
                    found.add(method)
    return found


def _is_torch(dotted: str) -> bool:
    if "__" in dotted:  # torch.mm.__doc__.split(...) reads a docstring
        return False
    obj: object = torch
    for part in dotted.split("."):
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return callable(obj)


def _new_calls() -> dict[str, set[str]]:
    seen: set[str] = set()
    new: dict[str, set[str]] = {}
    for page in PAGES:
        calls = _calls(page)
        new[page] = calls - seen
        seen |= calls
    return new


def test_every_page_is_listed() -> None:
    assert set(PAGES) == set(TAUGHT)


@pytest.mark.parametrize("page", PAGES)
def test_no_call_before_its_page(page: str) -> None:
    new = _new_calls()[page]
    allowed = TAUGHT[page] | set(FORWARD.get(page, {}))
    unexplained = sorted(new - allowed)
    assert not unexplained, (
        f"{page} calls {unexplained}, which no earlier page teaches: teach them here "
        "(add them to TAUGHT) or link to the later page that does (FORWARD)"
    )


@pytest.mark.parametrize("page", PAGES)
def test_a_page_uses_what_it_teaches(page: str) -> None:
    unused = sorted(TAUGHT[page] - _calls(page))
    assert not unused, f"{page} is listed as teaching {unused}, but its doctests never call them"


def test_each_call_is_taught_once() -> None:
    pages_of: dict[str, list[str]] = {}
    for page, calls in TAUGHT.items():
        for call in calls:
            pages_of.setdefault(call, []).append(page)
    twice = {call: pages for call, pages in pages_of.items() if len(pages) > 1}
    assert not twice, twice


@pytest.mark.parametrize(
    ("page", "call", "later"),
    [(p, c, later) for p, calls in FORWARD.items() for c, later in calls.items()],
)
def test_a_forward_call_links_to_the_page_that_teaches_it(
    page: str, call: str, later: str
) -> None:
    assert PAGES.index(later) > PAGES.index(page), f"{later} is not after {page}"
    assert call in TAUGHT[later], f"{later} does not teach {call}"
    assert call in _calls(page), f"{page} no longer calls {call}: drop it from FORWARD"
    text = (TOPICS / f"{page}.md").read_text(encoding="utf-8")
    assert re.search(rf"\{{doc\}}`[^`]*{later}`", text), (
        f"{page} calls {call} before {later} teaches it, but never links to {later}"
    )
