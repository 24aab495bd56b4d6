"""The spec parser: read a string such as ``"B C H*W"`` into typed dims.

A spec is a row of dims separated by spaces, matched left to right against
``tensor.shape``:

============  ===============================================================
``B C H W``   :class:`Named` dims; a name binds to a size and keeps it everywhere
``3``         a :class:`Fixed` size
``_``         :class:`Anything`: any single dim, not bound
``*batch``    a :class:`Group` of any number of dims, bound as a tuple
``...``       a :class:`Group` of any number of dims, not bound
``H*W``       :class:`Arith`: ``+ - * //`` and brackets over names and whole
              numbers, no spaces inside; arithmetic of numbers alone, such as
              ``2*3``, is worked out here and becomes a :class:`Fixed` dim
============  ===============================================================

A spec holds one group at most. The parser never calls ``eval``: arithmetic is
compiled to a short postfix program that :meth:`Arith.evaluate` runs on a stack.

Limits, so that no spec can take long to read or hold much memory: a spec has
at most :data:`MAX_SPEC_LENGTH` characters and brackets nest at most
:data:`MAX_NESTING` deep. The :data:`CACHE_SIZE` most recent specs of up to
:data:`CACHE_MAX_LENGTH` characters are kept parsed; longer ones are parsed
again on each use.

This module also reads the dtype half of a ``(spec, dtype)`` pair.
"""

from __future__ import annotations

import enum
import functools
import operator
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TypeAlias

import torch

from tensornotes._errors import TensorNotesError
from tensornotes._validation import describe, text_argument

__all__ = [
    "CACHE_MAX_LENGTH",
    "CACHE_SIZE",
    "MAX_NESTING",
    "MAX_SPEC_LENGTH",
    "Anything",
    "Arith",
    "Binding",
    "Dim",
    "DtypeRule",
    "Fixed",
    "Group",
    "Named",
    "Op",
    "Spec",
    "parse_dtype",
    "parse_spec",
]

MAX_SPEC_LENGTH = 1000
"""The longest spec accepted, in characters; a real one is a few dozen."""
MAX_NESTING = 16
"""How deep brackets may nest inside one arithmetic dim."""
CACHE_SIZE = 256
"""How many recently used specs are kept parsed."""
CACHE_MAX_LENGTH = 200
"""Specs longer than this are parsed on every use rather than cached."""

Binding: TypeAlias = int | tuple[int, ...]
"""What a name is bound to: a size, or a tuple of sizes for a ``*name`` group."""


# --------------------------------------------------------------------------- typed dims


class Op(enum.Enum):
    """An operator of spec arithmetic."""

    ADD = "+"
    SUB = "-"
    MUL = "*"
    FLOORDIV = "//"


_APPLY: dict[Op, Callable[[int, int], int]] = {
    Op.ADD: operator.add,
    Op.SUB: operator.sub,
    Op.MUL: operator.mul,
    Op.FLOORDIV: operator.floordiv,
}

Step: TypeAlias = "int | str | Op"
"""One step of a postfix program: push a number, push a name's size, or apply an operator."""


def _run(program: tuple[Step, ...], env: Mapping[str, Binding]) -> int | None:
    stack: list[int] = []
    for step in program:
        if isinstance(step, Op):
            right = stack.pop()
            left = stack.pop()
            if step is Op.FLOORDIV and right == 0:
                return None
            stack.append(_APPLY[step](left, right))
        elif isinstance(step, str):
            stack.append(env[step])  # type: ignore[arg-type]
        else:
            stack.append(step)
    return stack[0]


@dataclass(frozen=True, slots=True)
class Fixed:
    """A dim of one size: ``3``, or ``2*3`` (``text`` is what the spec wrote)."""

    size: int
    text: str


@dataclass(frozen=True, slots=True)
class Named:
    """A dim bound to a name, such as ``B``."""

    name: str


@dataclass(frozen=True, slots=True)
class Anything:
    """``_``: any single dim, not bound."""


@dataclass(frozen=True, slots=True)
class Arith:
    """An arithmetic dim such as ``H*W``: its text, the names it reads, its program."""

    text: str
    names: tuple[str, ...]
    program: tuple[Step, ...]

    def evaluate(self, env: Mapping[str, Binding]) -> int | None:
        """The size this dim needs once its names are bound; ``None`` if it divides by zero."""
        return _run(self.program, env)


Dim: TypeAlias = Fixed | Named | Anything | Arith


@dataclass(frozen=True, slots=True)
class Group:
    """Any number of dims: ``*name`` binds them as a tuple, ``...`` (``name=None``) does not."""

    name: str | None


@dataclass(frozen=True, slots=True)
class Spec:
    """A parsed spec: its dims, and the forms the matcher reads quickly.

    ``left`` holds the dims before the group (all of them when there is none),
    ``right`` those after it. ``items`` lists every dim that checks something
    with its index, negative when counted from the right. ``plain`` is set for a
    spec of names, numbers and ``_`` only: the name at each dim (``None`` for
    ``_`` and numbers), checked with ``fixed``, the ``(index, size)`` pairs.
    """

    text: str
    tokens: tuple[str, ...]
    left: tuple[Dim, ...]
    group: Group | None
    right: tuple[Dim, ...]
    star: str | None
    n_left: int
    n_right: int
    dim_names: frozenset[str]
    items: tuple[tuple[int, Named | Fixed | Arith], ...]
    plain: tuple[str | None, ...] | None
    fixed: tuple[tuple[int, int], ...]

    @property
    def n_dims(self) -> int:
        """How many dims the spec needs at least (all of them when it has no group)."""
        return self.n_left + self.n_right


# --------------------------------------------------------------------------- parsing

_TOKEN = re.compile(r"\S+")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z", re.ASCII)
_ARITH_CHARS = re.compile(r"[A-Za-z0-9_+\-*/()]+\Z", re.ASCII)
_ARITH_LEX = re.compile(r"(\d+)|([A-Za-z_][A-Za-z0-9_]*)|(//|[+\-*()])", re.ASCII)
_OPS = {op.value: op for op in Op}


def is_name(token: str) -> bool:
    """Whether ``token`` is a name a dim can bind (``_`` is not)."""
    return token != "_" and _IDENT.match(token) is not None


def malformed(spec: str, pos: int, problem: str, hint: str = "") -> TensorNotesError:
    """The error for a spec that cannot be read, with a caret under the position."""
    return TensorNotesError(
        f'The spec "{spec}" has {problem} at position {pos}{hint}.\n    {spec}\n    {" " * pos}^'
    )


class _ArithParser:
    """Recursive descent over ``+ - * //`` and brackets, emitting a postfix program."""

    def __init__(self, spec: str, start: int, text: str) -> None:
        self.spec, self.start, self.text = spec, start, text
        self.tokens: list[tuple[int, str]] = []
        pos = 0
        while pos < len(text):
            m = _ARITH_LEX.match(text, pos)
            if m is None:
                raise malformed(spec, start + pos, f"an unexpected {text[pos]!r}")
            self.tokens.append((start + pos, m.group()))
            pos = m.end()
        self.i = 0
        self.program: list[Step] = []
        self.first_use: dict[str, int] = {}

    def _peek(self) -> str | None:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def _fail(self, what: str) -> TensorNotesError:
        if self.i < len(self.tokens):
            pos, found = self.tokens[self.i][0], repr(self.tokens[self.i][1])
        else:
            pos, found = self.start + len(self.text), "the end of the dim"
        return malformed(self.spec, pos, f"{found} where {what} should be")

    def parse(self) -> Fixed | Arith:
        self._sum(0)
        if self._peek() is not None:
            raise self._fail("an operator")
        program = tuple(self.program)
        names = tuple(self.first_use)
        if names:
            return Arith(self.text, names, program)
        value = _run(program, {})
        if value is None:
            raise malformed(self.spec, self.start, f"{self.text}, which divides by zero,")
        if value < 0:
            raise malformed(
                self.spec, self.start, f"{self.text} = {value}", ", and no dim has a negative size"
            )
        return Fixed(value, self.text)

    def _sum(self, depth: int) -> None:
        self._product(depth)
        while (tok := self._peek()) in ("+", "-"):
            self.i += 1
            self._product(depth)
            self.program.append(_OPS[tok])

    def _product(self, depth: int) -> None:
        self._atom(depth)
        while (tok := self._peek()) in ("*", "//"):
            self.i += 1
            self._atom(depth)
            self.program.append(_OPS[tok])

    def _atom(self, depth: int) -> None:
        tok = self._peek()
        if tok is None or tok in ("+", "-", "*", "//", ")"):
            raise self._fail("a name or a number")
        pos = self.tokens[self.i][0]
        self.i += 1
        if tok.isdigit():
            self.program.append(int(tok))
        elif tok != "(":
            self.program.append(tok)
            self.first_use.setdefault(tok, pos)
        elif depth >= MAX_NESTING:
            raise malformed(
                self.spec,
                pos,
                "brackets nested too deep",
                f"; arithmetic may nest brackets {MAX_NESTING} deep at most",
            )
        else:
            self._sum(depth + 1)
            if self._peek() != ")":
                raise self._fail("')'")
            self.i += 1


def _parse(spec: str) -> Spec:
    """Read one spec; :func:`parse_spec` adds the type check, the limits and the cache."""
    tokens: list[str] = []
    left: list[Dim] = []
    right: list[Dim] = []
    group: Group | None = None
    first_use: dict[str, int] = {}
    for m in _TOKEN.finditer(spec):
        tok, pos = m.group(), m.start()
        side = left if group is None else right
        if tok == "..." or tok.startswith("*"):
            if group is not None:
                raise malformed(
                    spec, pos, f"a second group {tok!r}", "; a spec takes one *name or ... at most"
                )
            if tok != "..." and not is_name(tok[1:]):
                raise malformed(spec, pos, f"{tok!r}", ", which is not '*' followed by a name")
            group = Group(None if tok == "..." else tok[1:])
        elif tok == "_":
            side.append(Anything())
        elif tok.isascii() and tok.isdigit():
            side.append(Fixed(int(tok), tok))
        elif _IDENT.match(tok):
            side.append(Named(tok))
            first_use.setdefault(tok, pos)
        elif _ARITH_CHARS.match(tok):
            parser = _ArithParser(spec, pos, tok)
            side.append(parser.parse())
            for name, at in parser.first_use.items():
                first_use.setdefault(name, at)
        else:
            bad = next(i for i, ch in enumerate(tok) if not _ARITH_CHARS.match(ch))
            raise malformed(
                spec,
                pos + bad,
                f"an unknown character {tok[bad]!r}",
                "; a dim is a name, a number, _, *name, ... or arithmetic such as H*W",
            )
        tokens.append(tok)
    star = group.name if group is not None else None
    if star is not None and star in first_use:
        raise malformed(
            spec, first_use[star], f"{star!r} as a single dim", f", but *{star} is a group"
        )
    items: list[tuple[int, Named | Fixed | Arith]] = [
        (i, d) for i, d in enumerate(left) if not isinstance(d, Anything)
    ]
    items += [(i - len(right), d) for i, d in enumerate(right) if not isinstance(d, Anything)]
    simple = group is None and not any(isinstance(d, Arith) for d in left)
    return Spec(
        text=spec,
        tokens=tuple(tokens),
        left=tuple(left),
        group=group,
        right=tuple(right),
        star=star,
        n_left=len(left),
        n_right=len(right),
        dim_names=frozenset(first_use),
        items=tuple(items),
        plain=tuple(d.name if isinstance(d, Named) else None for d in left) if simple else None,
        fixed=tuple((i, d.size) for i, d in enumerate(left) if isinstance(d, Fixed)),
    )


_parse_cached = functools.lru_cache(maxsize=CACHE_SIZE)(_parse)


def parse_spec(spec: object, argument: str = "spec") -> Spec:
    """Parse a spec, from the cache when it is short and was seen recently.

    Raises:
        TypeError: if ``spec`` is not a string; the message names ``argument``.
        TensorNotesError: if the spec is malformed or longer than :data:`MAX_SPEC_LENGTH`.
    """
    if type(spec) is str and len(spec) <= CACHE_MAX_LENGTH:
        return _parse_cached(spec)
    text = text_argument(spec, argument, example='"B C H W"', what="a spec", limit=MAX_SPEC_LENGTH)
    return _parse(text)


# --------------------------------------------------------------------------- dtypes

_ALL_DTYPES = frozenset(v for v in vars(torch).values() if isinstance(v, torch.dtype))
_FAMILIES: dict[str, frozenset[torch.dtype]] = {
    "floating": frozenset(d for d in _ALL_DTYPES if d.is_floating_point),
    "complex": frozenset(d for d in _ALL_DTYPES if d.is_complex),
    "integer": frozenset(d for d in _ALL_DTYPES if str(d).startswith(("torch.int", "torch.uint"))),
    "bool": frozenset({torch.bool}),
}
_FAMILY_FIX = {"floating": ".float()", "integer": ".long()", "bool": ".bool()"}
_FAMILY_LABEL = {"floating": "a floating-point", "integer": "an integer", "complex": "a complex"}


@dataclass(frozen=True, slots=True)
class DtypeRule:
    """The dtypes a spec allows, how a message names them, and the call that converts."""

    allowed: frozenset[torch.dtype]
    label: str
    fix: str


def parse_dtype(dtype: object, argument: str = "dtype") -> DtypeRule:
    """Read a dtype, a family name (``"floating"``, ``"complex"``, ``"integer"``,
    ``"bool"``) or a collection of dtypes.

    Raises:
        TypeError: for anything else; the message names ``argument``.
        TensorNotesError: for a string that names no family.
    """
    if isinstance(dtype, torch.dtype):
        return DtypeRule(frozenset({dtype}), str(dtype), f".to({dtype})")
    if isinstance(dtype, str):
        if dtype not in _FAMILIES:
            raise TensorNotesError(
                f"{argument}={describe(dtype)} is not a dtype family; "
                f"use one of {', '.join(map(repr, _FAMILIES))}."
            )
        return DtypeRule(
            _FAMILIES[dtype],
            f"{_FAMILY_LABEL.get(dtype, 'the bool')} dtype",
            _FAMILY_FIX.get(dtype, ".to(torch.complex64)"),
        )
    problem = TypeError(
        f"{argument} must be a torch.dtype, a family name or a collection of dtypes, "
        f"got {type(dtype).__name__} {describe(dtype)}."
    )
    try:
        if not isinstance(dtype, Collection) or not 0 < len(dtype) <= len(_ALL_DTYPES):
            raise problem
        allowed = frozenset(dtype)
    except Exception:  # also an odd collection that cannot be measured or iterated
        raise problem from None
    if not all(isinstance(d, torch.dtype) for d in allowed):
        raise problem
    first = sorted(map(str, allowed))
    return DtypeRule(allowed, "one of " + ", ".join(first), f".to({first[0]})")
