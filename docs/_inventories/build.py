"""Write the intersphinx inventories that the site resolves its links from.

The docs build has no network, so the inventories of Python, PyTorch, NumPy and
matplotlib are committed here. This script makes them from the *installed*
packages (what names exist) and each project's documented URL scheme (where
their pages live), so a link only resolves to an object that really exists in
the version we build against. Rerun it after upgrading one of those packages:

    .venv/bin/python docs/_inventories/build.py
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent

Entry = tuple[str, str, str]  # (name, "py:role", uri)


def _public(module: ModuleType) -> list[str]:
    names = set(getattr(module, "__all__", None) or ())
    # torch's __all__ leaves out public functions such as torch.broadcast_shapes.
    if not names or module.__name__.startswith("torch"):
        names |= {n for n in dir(module) if not n.startswith("_")}
    return sorted(n for n in names if hasattr(module, n))


def _role(obj: object) -> str:
    if inspect.isclass(obj):
        return "py:exception" if issubclass(obj, BaseException) else "py:class"
    if inspect.ismodule(obj):
        return "py:module"
    if callable(obj):
        return "py:function"
    return "py:data"


def _members(modname: str, page: Callable[[str, str, object], str | None]) -> Iterator[Entry]:
    module = importlib.import_module(modname)
    yield modname, "py:module", page(modname, "", module) or ""
    for name in _public(module):
        obj = getattr(module, name)
        if inspect.ismodule(obj):
            continue
        full = f"{modname}.{name}"
        uri = page(modname, name, obj)
        if uri is not None:
            yield full, _role(obj), uri


def _class_members(cls: type, qualname: str, page: Callable[[str], str]) -> Iterator[Entry]:
    for name in sorted(dir(cls)):
        if name.startswith("_") and name not in {"__add__", "__matmul__", "__getitem__"}:
            continue
        if hasattr(object, name) and getattr(cls, name, None) is getattr(object, name):
            continue
        attr = inspect.getattr_static(cls, name)
        role = (
            "py:method"
            if callable(attr) or isinstance(attr, classmethod | staticmethod)
            else ("py:attribute")
        )
        full = f"{qualname}.{name}"
        yield full, role, page(full)


def write(path: Path, project: str, version: str, entries: Iterable[Entry]) -> int:
    seen: dict[tuple[str, str], str] = {}
    for name, role, uri in entries:
        seen.setdefault((name, role), uri)
    lines = []
    for (name, role), uri in sorted(seen.items()):
        if uri.endswith("#" + name):
            uri = uri[: -len(name)] + "$"
        lines.append(f"{name} {role} 1 {uri} -")
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = zlib.compress(("\n".join(lines) + "\n").encode(), 9)
    path.write_bytes(header.encode() + body)
    return len(lines)


# --- Python -------------------------------------------------------------------
_STDTYPES = {"str", "list", "tuple", "dict", "set", "frozenset", "bytes", "range", "memoryview"}
_PY_MODULES = [
    "argparse",
    "ast",
    "collections",
    "collections.abc",
    "dataclasses",
    "enum",
    "fractions",
    "functools",
    "inspect",
    "itertools",
    "json",
    "math",
    "operator",
    "os",
    "random",
    "re",
    "sys",
    "typing",
    "warnings",
    "numbers",
    "statistics",
    "string",
    "textwrap",
    "types",
]


def python_entries() -> Iterator[Entry]:
    for name in dir(builtins):
        if name.startswith("_"):
            continue
        obj = getattr(builtins, name)
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            yield name, "py:exception", f"library/exceptions.html#{name}"
        elif name in {"None", "True", "False", "NotImplemented", "Ellipsis"}:
            yield name, "py:data", f"library/constants.html#{name}"
        elif name in _STDTYPES:
            yield name, "py:class", f"library/stdtypes.html#{name}"
        elif inspect.isclass(obj):
            yield name, "py:class", f"library/functions.html#{name}"
        elif callable(obj):
            yield name, "py:function", f"library/functions.html#{name}"
    for modname in _PY_MODULES:
        page = f"library/{modname}.html"
        yield from _members(
            modname, lambda m, n, o, page=page: f"{page}#{m}.{n}" if n else f"{page}#module-{m}"
        )
        module = importlib.import_module(modname)
        for name in _public(module):
            obj = getattr(module, name)
            if inspect.isclass(obj) and obj.__module__ == modname:
                yield from _class_members(
                    obj, f"{modname}.{name}", lambda q, page=page: f"{page}#{q}"
                )


# --- PyTorch ------------------------------------------------------------------
_TORCH_MODULES = [
    "torch",
    "torch.nn",
    "torch.nn.functional",
    "torch.nn.init",
    "torch.nn.utils",
    "torch.linalg",
    "torch.optim",
    "torch.autograd",
    "torch.autograd.functional",
    "torch.special",
    "torch.fft",
    "torch.cuda",
    "torch.random",
    "torch.testing",
    "torch.distributions",
]
_TORCH_SPECIAL = {
    "torch.Tensor": "tensors.html#torch.Tensor",
    "torch.Size": "size.html#torch.Size",
    "torch.device": "tensor_attributes.html#torch.device",
    "torch.dtype": "tensor_attributes.html#torch.dtype",
    "torch.layout": "tensor_attributes.html#torch.layout",
    "torch.memory_format": "tensor_attributes.html#torch.memory_format",
    "torch.float32": "tensor_attributes.html#torch.dtype",
    "torch.float64": "tensor_attributes.html#torch.dtype",
    "torch.int64": "tensor_attributes.html#torch.dtype",
    "torch.bool": "tensor_attributes.html#torch.dtype",
    "torch.UntypedStorage": "storage.html#torch.UntypedStorage",
    "torch.broadcast_shapes": "generated/torch.broadcast_shapes.html#torch.broadcast_shapes",
    "torch.autograd.gradcheck": "generated/torch.autograd.gradcheck.gradcheck.html",
    "torch.autograd.gradgradcheck": "generated/torch.autograd.gradcheck.gradgradcheck.html",
}
_TORCH_MODULE_PAGES = {
    "torch": "torch.html#module-torch",
    "torch.nn": "nn.html#module-torch.nn",
    "torch.nn.functional": "nn.functional.html#module-torch.nn.functional",
    "torch.linalg": "linalg.html#module-torch.linalg",
    "torch.optim": "optim.html#module-torch.optim",
    "torch.autograd": "autograd.html#module-torch.autograd",
}


def _torch_page(module: str, name: str, obj: object) -> str | None:
    full = f"{module}.{name}" if name else module
    if full in _TORCH_SPECIAL:
        return _TORCH_SPECIAL[full]
    if not name:
        return _TORCH_MODULE_PAGES.get(
            module, f"{module.removeprefix('torch.')}.html#module-{module}"
        )
    if module == "torch" and isinstance(obj, type(None) | bool | int | float | str):
        return None
    if module == "torch" and type(obj).__name__ == "dtype":
        return "tensor_attributes.html#torch.dtype"
    return f"generated/{full}.html#{full}"


def torch_entries() -> Iterator[Entry]:
    import torch

    for modname in _TORCH_MODULES:
        yield from _members(modname, _torch_page)
    for name, uri in _TORCH_SPECIAL.items():
        role = (
            "py:class"
            if name[6:7].isupper() or name in {"torch.device", "torch.dtype"}
            else (
                "py:data"
                if "float" in name or "int" in name or name == "torch.bool"
                else "py:function"
            )
        )
        yield name, role, uri
    yield from _class_members(torch.Tensor, "torch.Tensor", lambda q: f"generated/{q}.html#{q}")
    for cls in (torch.Size, torch.Generator, torch.UntypedStorage):
        qual = f"torch.{cls.__name__}"
        yield from _class_members(
            cls,
            qual,
            lambda q, qual=qual, cls=cls: (
                f"{_torch_page('torch', qual[6:], cls).split('#')[0]}#{q}"
            ),
        )
    for opt in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Optimizer"):
        cls = getattr(torch.optim, opt)
        qual = f"torch.optim.{opt}"
        yield from _class_members(cls, qual, lambda q: f"generated/{q}.html#{q}")
    # Type hints name the optimizer base class by its defining module, as
    # autodoc prints it; the docs publish it as torch.optim.Optimizer.
    yield (
        "torch.optim.optimizer.Optimizer",
        "py:class",
        "generated/torch.optim.Optimizer.html#torch.optim.Optimizer",
    )


# --- NumPy --------------------------------------------------------------------
def numpy_entries() -> Iterator[Entry]:
    import numpy as np

    def page(module: str, name: str, obj: object) -> str | None:
        full = f"{module}.{name}" if name else module
        if not name:
            return (
                "reference/index.html#module-numpy"
                if module == "numpy"
                else (f"reference/{module.split('.')[-1]}.html#module-{module}")
            )
        if module == "numpy.random":
            return f"reference/random/generated/{full}.html#{full}"
        return f"reference/generated/{full}.html#{full}"

    yield from _members("numpy", page)
    yield from _members("numpy.random", page)
    yield from _class_members(
        np.ndarray, "numpy.ndarray", lambda q: f"reference/generated/{q}.html#{q}"
    )
    yield "numpy.typing.ArrayLike", "py:data", "reference/typing.html#numpy.typing.ArrayLike"
    yield "numpy.typing.NDArray", "py:data", "reference/typing.html#numpy.typing.NDArray"


# --- matplotlib ---------------------------------------------------------------
def matplotlib_entries() -> Iterator[Entry]:
    import matplotlib.artist
    import matplotlib.axes
    import matplotlib.figure
    import matplotlib.pyplot

    gen = "api/_as_gen/"
    yield from _members(
        "matplotlib.pyplot",
        lambda m, n, o: (
            f"{gen}{m}.{n}.html#{m}.{n}"
            if n
            else "api/pyplot_summary.html#module-matplotlib.pyplot"
        ),
    )
    yield (
        "matplotlib.axes.Axes",
        "py:class",
        "api/_as_gen/matplotlib.axes.Axes.html#matplotlib.axes.Axes",
    )
    yield from _class_members(
        matplotlib.axes.Axes, "matplotlib.axes.Axes", lambda q: f"{gen}{q}.html#{q}"
    )
    yield (
        "matplotlib.figure.Figure",
        "py:class",
        "api/_as_gen/matplotlib.figure.Figure.html#matplotlib.figure.Figure",
    )
    yield from _class_members(
        matplotlib.figure.Figure, "matplotlib.figure.Figure", lambda q: f"{gen}{q}.html#{q}"
    )
    yield (
        "matplotlib.artist.Artist",
        "py:class",
        "api/_as_gen/matplotlib.artist.Artist.html#matplotlib.artist.Artist",
    )
    for modname, cls in [
        ("matplotlib.lines", "Line2D"),
        ("matplotlib.image", "AxesImage"),
        ("matplotlib.collections", "PathCollection"),
        ("matplotlib.collections", "PolyCollection"),
        ("matplotlib.quiver", "Quiver"),
        ("matplotlib.contour", "QuadContourSet"),
        ("matplotlib.patches", "Patch"),
        ("matplotlib.patches", "Circle"),
        ("matplotlib.patches", "Rectangle"),
        ("matplotlib.text", "Text"),
        ("matplotlib.container", "BarContainer"),
        ("matplotlib.colors", "Colormap"),
    ]:
        q = f"{modname}.{cls}"
        yield q, "py:class", f"{gen}{q}.html#{q}"
    yield (
        "mpl_toolkits.mplot3d.axes3d.Axes3D",
        "py:class",
        ("api/_as_gen/mpl_toolkits.mplot3d.axes3d.Axes3D.html#mpl_toolkits.mplot3d.axes3d.Axes3D"),
    )


def main() -> None:
    import matplotlib
    import numpy
    import torch

    jobs = [
        ("python.inv", "Python", "3.11", python_entries),
        ("torch.inv", "PyTorch", torch.__version__.split("+")[0], torch_entries),
        ("numpy.inv", "NumPy", numpy.__version__, numpy_entries),
        ("matplotlib.inv", "Matplotlib", matplotlib.__version__, matplotlib_entries),
    ]
    for filename, project, version, entries in jobs:
        count = write(HERE / filename, project, version, entries())
        print(f"{filename}: {count} objects ({project} {version})")


if __name__ == "__main__":
    main()
