"""The package's shape: what a reader sees from the outside.

- Every public name is documented in the API reference, and the reference
  documents nothing that is not public.
- No public name shadows a module, and tracebacks print paths that work when
  typed back (``tensornotes.ShapeError``).
- Every module stays small enough to read: under 700 lines.
- Every call that draws takes ``ax`` the same way: keyword-only, default None.
"""

from __future__ import annotations

import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

import tensornotes

REPO = Path(__file__).resolve().parents[1]
API_PAGE = REPO / "docs" / "reference" / "api.md"
PACKAGE = Path(tensornotes.__file__).parent
MAX_LINES = 700


def _documented() -> set[str]:
    text = API_PAGE.read_text(encoding="utf-8")
    directive = r"^\.\. auto(?:function|class|exception|data):: tensornotes\.(\w+)"
    return set(re.findall(directive, text, re.M))


def test_the_api_reference_documents_every_public_name() -> None:
    public = set(tensornotes.__all__)
    documented = _documented()
    assert not public - documented, f"public but not in api.md: {sorted(public - documented)}"
    assert not documented - public, f"in api.md but not public: {sorted(documented - public)}"


def test_all_is_sorted_and_importable() -> None:
    assert list(tensornotes.__all__) == sorted(tensornotes.__all__)
    for name in tensornotes.__all__:
        assert hasattr(tensornotes, name), name


def test_no_public_name_shadows_a_module() -> None:
    modules = {m.name for m in pkgutil.iter_modules(tensornotes.__path__)}
    assert not modules & set(tensornotes.__all__)
    public_modules = {m for m in modules if not m.startswith("_")}
    # The command line is the one public module: it is the entry point of `tensornotes`.
    assert public_modules == {"cli"}


@pytest.mark.parametrize("name", tensornotes.__all__)
def test_public_objects_print_as_tensornotes_names(name: str) -> None:
    obj = getattr(tensornotes, name)
    if inspect.isclass(obj) or inspect.isfunction(obj):
        assert obj.__module__ == "tensornotes", f"{name} prints as {obj.__module__}.{name}"


def test_a_shape_error_prints_a_path_that_works() -> None:
    with pytest.raises(tensornotes.ShapeError) as info:
        tensornotes.check_shape(torch.zeros(2, 3), "A A")
    assert type(info.value).__module__ + "." + type(info.value).__qualname__ == (
        "tensornotes.ShapeError"
    )


@pytest.mark.parametrize("module", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_every_module_is_under_700_lines(module: Path) -> None:
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines < MAX_LINES, f"{module.name} has {lines} lines"


def _drawing_calls() -> Iterator[tuple[str, Callable[..., Any]]]:
    for name in tensornotes.__all__:
        obj = getattr(tensornotes, name)
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if inspect.isfunction(member) and not attr.startswith("_"):
                    yield f"{name}.{attr}", member


DRAWING = [
    (name, call)
    for name, call in _drawing_calls()
    if "ax" in inspect.signature(call).parameters
    or name.split(".")[-1].startswith("plot")
    or name == "venn"
]


def test_there_are_drawing_calls() -> None:
    names = {name for name, _ in DRAWING}
    assert {"venn", "plot_surface", "plot_descent", "plot_function_and_grad"} <= names


@pytest.mark.parametrize(("name", "call"), DRAWING, ids=[name for name, _ in DRAWING])
def test_every_drawing_call_takes_ax_keyword_only(name: str, call: Callable[..., Any]) -> None:
    parameter = inspect.signature(call).parameters.get("ax")
    assert parameter is not None, f"{name} draws but takes no ax"
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}: ax is {parameter.kind}"
    assert parameter.default is None, f"{name}: ax defaults to {parameter.default!r}"
