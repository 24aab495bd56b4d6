"""Named-dimension shape specs: check a tensor's shape, explain a mismatch.

A *spec* is a string of dims separated by spaces, read left to right against
``tensor.shape``:

============  ===============================================================
``B C H W``   named dims; a name binds to a size and must keep it everywhere
``3``         a fixed size
``_``         any single dim, not bound
``*batch``    any number of dims, bound as a tuple (at most one group per spec)
``...``       any number of dims, not bound
``H*W``       arithmetic of names and whole numbers: ``+ - * //`` and brackets,
              no spaces inside; every name in it must be bound by a plain dim
============  ===============================================================

:func:`check_shape` checks one tensor and returns the bindings. :func:`shapes`
decorates a function so that its arguments, and its return value, are checked
on every call, with sizes consistent across all of them.

The decorator costs about a microsecond per call when the shapes are
consistent: specs are parsed once and cached, the parameters are located once
at decoration, and each combination of input shapes that has passed is
remembered, so a repeat call only reads the shapes and looks them up. A
mismatch is re-checked slowly to explain it.

Set the environment variable ``TENSORNOTES_CHECKS=0`` before the functions are
*decorated* (that is, before their module is imported) to turn the decorator
into a no-op: it then returns the function itself, so a call costs nothing.
:func:`check_shape` always checks.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import operator
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeAlias, TypeVar

import torch

from tensornotes._errors import TensorNotesError

__all__ = ["CHECKS_ENV_VAR", "ShapeError", "check_shape", "shapes"]

CHECKS_ENV_VAR = "TENSORNOTES_CHECKS"
"""Set it to ``0`` before decorating to make :func:`shapes` return the function unchanged."""

_Binding: TypeAlias = int | tuple[int, ...]
# A dtype, a collection of dtypes, or a family: "floating", "complex", "integer", "bool".
_DtypeSpec: TypeAlias = torch.dtype | str | Collection[torch.dtype]
# A spec string, or a (spec, dtype) pair that checks the dtype too.
_SpecLike: TypeAlias = str | tuple[str, _DtypeSpec]

# How many passing shape combinations each decorated function remembers.
_MEMORY = 4096

_P = ParamSpec("_P")
_R = TypeVar("_R")


class ShapeError(TensorNotesError):
    """A tensor's shape or dtype does not fit its spec.

    The message names the argument and the dim, says where a name got its size,
    shows the spec aligned over the shape and, where one is evident, the call
    that would fix it.

    Example:
        >>> import torch
        >>> from tensornotes import ShapeError, check_shape
        >>> issubclass(ShapeError, ValueError)
        True
        >>> check_shape(torch.zeros(3, 32, 32), "B C H W")
        Traceback (most recent call last):
        ...
        tensornotes.ShapeError: x has shape (3, 32, 32) but the spec "B C H W" needs 4 dims.
        ...
        Fix: write x.unsqueeze(0), of shape (1, 3, 32, 32), if the missing dim is B.
    """


# --------------------------------------------------------------------------- parsing

_FIXED, _NAME, _EXPR = 0, 1, 2
_TOKEN = re.compile(r"\S+")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_EXPR_CHARS = re.compile(r"[A-Za-z0-9_+\-*/()]+\Z")
_EXPR_LEX = re.compile(r"\s*(?:(\d+)|([A-Za-z_][A-Za-z0-9_]*)|(//|[+\-*()]))")
_OPS: dict[str, Callable[[int, int], int]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "//": operator.floordiv,
}


@dataclass(frozen=True)
class _Expr:
    """An arithmetic dim such as ``H*W``: its text, the names it reads, its value."""

    text: str
    names: tuple[str, ...]
    evaluate: Callable[[Mapping[str, _Binding]], int]


@dataclass(frozen=True)
class _Spec:
    """A parsed spec: the items to check and what is needed to display it."""

    text: str
    tokens: tuple[str, ...]
    n_left: int
    n_right: int
    variadic: bool
    star: str | None
    items: tuple[tuple[int, int, Any], ...]
    names: frozenset[str]
    expr_names: frozenset[str]
    # For specs with no group and no arithmetic (the common case), the name at
    # each dim (None for _ and numbers) and the fixed sizes: a faster path.
    plain: tuple[str | None, ...] | None
    fixed: tuple[tuple[int, int], ...]

    @property
    def n_dims(self) -> int:
        return self.n_left + self.n_right


def _malformed(spec: str, pos: int, problem: str, hint: str = "") -> TensorNotesError:
    return TensorNotesError(
        f'The spec "{spec}" has {problem} at position {pos}{hint}.\n    {spec}\n    {" " * pos}^'
    )


class _ExprParser:
    """Recursive descent over ``+ - * //`` and brackets; builds closures, never calls eval."""

    def __init__(self, spec: str, start: int, text: str) -> None:
        self.spec, self.start, self.text = spec, start, text
        self.tokens: list[tuple[int, str, str]] = []
        pos = 0
        while pos < len(text):
            m = _EXPR_LEX.match(text, pos)
            if m is None:
                raise _malformed(spec, start + pos, f"an unexpected {text[pos]!r}")
            kind = "int" if m.group(1) else "name" if m.group(2) else "op"
            self.tokens.append(
                (start + m.start(m.lastindex or 0), kind, m.group(m.lastindex or 0))
            )
            pos = m.end()
        self.i = 0
        self.names: list[str] = []

    def _peek(self) -> tuple[int, str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _fail(self, what: str) -> TensorNotesError:
        tok = self._peek()
        pos = tok[0] if tok else self.start + len(self.text)
        found = repr(tok[2]) if tok else "the end of the dim"
        return _malformed(self.spec, pos, f"{found} where {what} should be")

    def parse(self) -> Callable[[Mapping[str, _Binding]], int]:
        fn = self._sum()
        if self._peek() is not None:
            raise self._fail("an operator")
        return fn

    def _sum(self) -> Callable[[Mapping[str, _Binding]], int]:
        left = self._product()
        while (tok := self._peek()) is not None and tok[2] in "+-":
            self.i += 1
            left = _binary(_OPS[tok[2]], left, self._product())
        return left

    def _product(self) -> Callable[[Mapping[str, _Binding]], int]:
        left = self._atom()
        while (tok := self._peek()) is not None and tok[2] in ("*", "//"):
            self.i += 1
            left = _binary(_OPS[tok[2]], left, self._atom())
        return left

    def _atom(self) -> Callable[[Mapping[str, _Binding]], int]:
        tok = self._peek()
        if tok is None or tok[2] in ("+", "-", "*", "//", ")"):
            raise self._fail("a name or a number")
        self.i += 1
        if tok[1] == "int":
            value = int(tok[2])
            return lambda env: value
        if tok[1] == "name":
            name = tok[2]
            self.names.append(name)
            return lambda env: env[name]  # type: ignore[return-value]
        inner = self._sum()
        closing = self._peek()
        if closing is None or closing[2] != ")":
            raise self._fail("')'")
        self.i += 1
        return inner


def _binary(
    op: Callable[[int, int], int],
    left: Callable[[Mapping[str, _Binding]], int],
    right: Callable[[Mapping[str, _Binding]], int],
) -> Callable[[Mapping[str, _Binding]], int]:
    return lambda env: op(left(env), right(env))


@functools.lru_cache(maxsize=1024)
def _parse(spec: str) -> _Spec:
    """Parse a spec once; later calls with the same string hit the cache."""
    tokens: list[str] = []
    left: list[tuple[int, Any]] = []
    right: list[tuple[int, Any]] = []
    variadic = False
    star: str | None = None
    names: set[str] = set()
    expr_names: set[str] = set()
    for m in _TOKEN.finditer(spec):
        tok, pos = m.group(), m.start()
        side = right if variadic else left
        if tok == "..." or tok.startswith("*"):
            if variadic:
                raise _malformed(
                    spec, pos, f"a second group {tok!r}", "; a spec takes one *name or ... at most"
                )
            if tok != "...":
                if not _IDENT.match(tok[1:]) or tok[1:] == "_":
                    raise _malformed(
                        spec, pos, f"{tok!r}", ", which is not '*' followed by a name"
                    )
                star = tok[1:]
                names.add(star)
            variadic = True
        elif tok == "_":
            side.append((_NAME, None))
        elif tok.isascii() and tok.isdigit():
            side.append((_FIXED, int(tok)))
        elif _IDENT.match(tok):
            side.append((_NAME, tok))
            names.add(tok)
        elif _EXPR_CHARS.match(tok):
            parser = _ExprParser(spec, pos, tok)
            evaluate = parser.parse()
            expr_names.update(parser.names)
            side.append((_EXPR, _Expr(tok, tuple(dict.fromkeys(parser.names)), evaluate)))
        else:
            bad = next(i for i, ch in enumerate(tok) if not _EXPR_CHARS.match(ch))
            raise _malformed(
                spec,
                pos + bad,
                f"an unknown character {tok[bad]!r}",
                "; a dim is a name, a number, _, *name, ... or arithmetic such as H*W",
            )
        tokens.append(tok)
    plain = {v for k, v in left + right if k == _NAME} | expr_names
    if star is not None and star in plain:
        pos = next(m.start() for m in re.finditer(rf"(?<![*\w]){star}\b", spec))
        raise _malformed(spec, pos, f"{star!r} as a single dim", f", but *{star} is a group")
    n_right = len(right)
    items = tuple(
        [(i, kind, val) for i, (kind, val) in enumerate(left) if val is not None]
        + [(i - n_right, kind, val) for i, (kind, val) in enumerate(right) if val is not None]
    )
    return _Spec(
        spec,
        tuple(tokens),
        len(left),
        n_right,
        variadic,
        star,
        items,
        frozenset(names),
        frozenset(expr_names),
        None if variadic or expr_names else tuple(v if k == _NAME else None for k, v in left),
        tuple((i, v) for i, (k, v) in enumerate(left) if k == _FIXED),
    )


def _get_spec(spec: object) -> _Spec:
    if not isinstance(spec, str):
        raise TensorNotesError(
            f'A spec must be a string such as "B C H W", got {type(spec).__name__} {spec!r}.'
        )
    return _parse(spec)


# --------------------------------------------------------------------------- dtypes

_ALL_DTYPES = frozenset(v for v in vars(torch).values() if isinstance(v, torch.dtype))
_FAMILIES: dict[str, frozenset[torch.dtype]] = {
    "floating": frozenset(d for d in _ALL_DTYPES if d.is_floating_point),
    "complex": frozenset(d for d in _ALL_DTYPES if d.is_complex),
    "integer": frozenset(d for d in _ALL_DTYPES if str(d).startswith(("torch.int", "torch.uint"))),
    "bool": frozenset({torch.bool}),
}


@dataclass(frozen=True)
class _Dtype:
    allowed: frozenset[torch.dtype]
    label: str
    fix: str


def _get_dtype(dtype: _DtypeSpec) -> _Dtype:
    if isinstance(dtype, torch.dtype):
        return _Dtype(frozenset({dtype}), str(dtype), f".to({dtype})")
    if isinstance(dtype, str):
        if dtype not in _FAMILIES:
            raise TensorNotesError(
                f"dtype={dtype!r} is not a dtype family; "
                f"use one of {', '.join(map(repr, _FAMILIES))}."
            )
        fix = {"floating": ".float()", "integer": ".long()", "bool": ".bool()"}
        label = {"floating": "a floating-point", "integer": "an integer", "complex": "a complex"}
        return _Dtype(
            _FAMILIES[dtype],
            f"{label.get(dtype, 'the bool')} dtype",
            fix.get(dtype, ".to(torch.complex64)"),
        )
    allowed = frozenset(dtype)
    if not allowed or not all(isinstance(d, torch.dtype) for d in allowed):
        raise TypeError(
            f"dtype must be a torch.dtype, a family name or a collection of dtypes, got {dtype!r}."
        )
    first = sorted(map(str, allowed))
    return _Dtype(allowed, "one of " + ", ".join(first), f".to({first[0]})")


# --------------------------------------------------------------------------- fast matching


def _match(
    spec: _Spec,
    shape: Sequence[int],
    env: dict[str, _Binding],
    deferred: list[tuple[_Expr, int]],
) -> bool:
    """Check one shape against one spec, binding names into ``env``; no explanations."""
    plain = spec.plain
    if plain is not None:
        if len(shape) != len(plain):
            return False
        for name, size in zip(plain, shape, strict=True):
            if name is not None and env.setdefault(name, size) != size:
                return False
        return all(shape[i] == val for i, val in spec.fixed) if spec.fixed else True
    nd = len(shape)
    if not spec.variadic:
        if nd != spec.n_left:
            return False
    elif nd < spec.n_left + spec.n_right:
        return False
    elif spec.star is not None:
        group = tuple(shape[spec.n_left : nd - spec.n_right])
        bound = env.get(spec.star)
        if bound is None:
            env[spec.star] = group
        elif bound != group:
            return False
    for i, kind, val in spec.items:
        size = shape[i]
        if kind == _NAME:
            bound = env.get(val)
            if bound is None:
                env[val] = size
            elif bound != size:
                return False
        elif kind == _FIXED:
            if size != val:
                return False
        elif all(n in env for n in val.names):
            if val.evaluate(env) != size:
                return False
        else:
            deferred.append((val, size))
    return True


def _resolve(deferred: list[tuple[_Expr, int]], env: Mapping[str, _Binding]) -> bool:
    return all(all(n in env for n in e.names) and e.evaluate(env) == size for e, size in deferred)


def _passes(entries: Sequence[_Entry], known: Mapping[str, _Binding]) -> bool:
    env = dict(known)
    deferred: list[tuple[_Expr, int]] = []
    for e in entries:
        if e.shape is not None and not _match(e.spec, e.shape, env, deferred):
            return False
    return _resolve(deferred, env)


# --------------------------------------------------------------------------- explaining


@dataclass(frozen=True)
class _Entry:
    """One checked value: the argument's name, its spec, dtype check and shape."""

    name: str
    spec: _Spec
    dtype: _Dtype | None
    shape: tuple[int, ...] | None
    actual_dtype: torch.dtype | None = None
    fixable: bool = True


def _fmt(shape: Sequence[int]) -> str:
    return repr(tuple(shape))


def _dims(dims: Sequence[int]) -> str:
    if not dims:
        return "no dims"
    return f"dim {dims[0]}" if len(dims) == 1 else f"dims {dims[0]}-{dims[-1]}"


def _columns(spec: _Spec, shape: tuple[int, ...]) -> tuple[list[str], list[str], list[list[int]]]:
    """Labels, values and the dims under each column, the spec aligned over the shape."""
    nd = len(shape)
    if (not spec.variadic and nd != spec.n_left) or nd < spec.n_dims:
        return list(spec.tokens), [str(s) for s in shape], [[i] for i in range(nd)]
    labels: list[str] = []
    values: list[str] = []
    dims: list[list[int]] = []
    for i in range(spec.n_left):
        labels.append(spec.tokens[i])
        values.append(str(shape[i]))
        dims.append([i])
    if spec.variadic:
        group = list(range(spec.n_left, nd - spec.n_right))
        labels.append(spec.tokens[spec.n_left])
        values.append(_fmt(shape[spec.n_left : nd - spec.n_right]) if group else "()")
        dims.append(group)
        for j in range(spec.n_right):
            labels.append(spec.tokens[spec.n_left + 1 + j])
            values.append(str(shape[nd - spec.n_right + j]))
            dims.append([nd - spec.n_right + j])
    return labels, values, dims


def _picture(entry: _Entry, marked: Collection[int], gap: int | None = None) -> list[str]:
    """The spec over the shape, right-aligned in columns, with ``^`` under marked dims."""
    assert entry.shape is not None
    labels, values, dims = _columns(entry.spec, entry.shape)
    if gap is not None and len(values) < len(labels):
        values.insert(gap, "")
        dims.insert(gap, [])
    n = max(len(labels), len(values))
    labels += [""] * (n - len(labels))
    values += [""] * (n - len(values))
    widths = [max(len(a), len(b), 1) for a, b in zip(labels, values, strict=True)]
    carets = [
        ("^" * w if i < len(dims) and dims[i] and set(dims[i]) & set(marked) else " " * w)
        for i, w in enumerate(widths)
    ]
    pad = " " * len(entry.name)
    rows = [
        f"  {entry.name} spec   "
        + " ".join(a.rjust(w) for a, w in zip(labels, widths, strict=True)),
        f"  {pad} shape  " + " ".join(b.rjust(w) for b, w in zip(values, widths, strict=True)),
    ]
    if marked:
        rows.append(f"  {pad}        " + " ".join(carets))
    return [r.rstrip() for r in rows]


@dataclass
class _Problem:
    """What the slow re-check found: the sentence, the entry at fault, the dims to mark."""

    header: str
    failing: int
    marks: dict[int, list[int]]
    binder: int | None = None


def _find_problem(entries: Sequence[_Entry], known: Mapping[str, _Binding]) -> _Problem | None:
    """Re-run the check slowly, remembering where each name was bound."""
    env: dict[str, _Binding] = dict(known)
    where: dict[str, tuple[int, list[int]] | None] = dict.fromkeys(known)
    deferred: list[tuple[int, int, _Expr, int]] = []

    def origin(name: str) -> str:
        w = where[name]
        if w is None:
            return f"given as {name}={env[name]!r}"
        return f"{entries[w[0]].name} has {_size(env[name])} at {_dims(w[1])}"

    def expr_problem(k: int, dim: int, expr: _Expr, size: int) -> _Problem | None:
        missing = [n for n in expr.names if n not in env]
        if missing:
            return _Problem(
                f"{expr.text} at dim {dim} of {entries[k].name} needs "
                f"{' and '.join(missing)}, which no plain dim binds.",
                k,
                {k: [dim]},
            )
        want = expr.evaluate(env)
        if want == size:
            return None
        values = ", ".join(f"{n}={env[n]}" for n in expr.names)
        sources = "; ".join(origin(n) for n in expr.names)
        binders = [w for n in expr.names if (w := where[n]) is not None]
        marks: dict[int, list[int]] = {k: [dim]}
        for b in binders:
            marks.setdefault(b[0], []).extend(b[1])
        return _Problem(
            f"{expr.text}: {entries[k].name} has {size} at dim {dim}, but {values} "
            f"{'gives' if len(expr.names) == 1 else 'give'} {expr.text} = {want} ({sources}).",
            k,
            marks,
            binders[0][0] if binders else None,
        )

    for k, e in enumerate(entries):
        if e.shape is None:
            continue
        spec, shape, nd = e.spec, e.shape, len(e.shape)
        if e.dtype is not None and e.actual_dtype not in e.dtype.allowed:
            return _Problem(
                f"{e.name} has dtype {e.actual_dtype} but its spec asks for {e.dtype.label}.",
                k,
                {},
            )
        if not spec.variadic and nd != spec.n_left:
            return _Problem(
                f'{e.name} has shape {_fmt(shape)} but the spec "{spec.text}" '
                f"needs {spec.n_left} dims.",
                k,
                {},
            )
        if nd < spec.n_dims:
            return _Problem(
                f'{e.name} has shape {_fmt(shape)} but the spec "{spec.text}" '
                f"needs at least {spec.n_dims} dims.",
                k,
                {},
            )
        if spec.star is not None:
            group_dims = list(range(spec.n_left, nd - spec.n_right))
            group = tuple(shape[spec.n_left : nd - spec.n_right])
            bound = env.get(spec.star)
            if bound is None:
                env[spec.star], where[spec.star] = group, (k, group_dims)
            elif bound != group:
                w = where[spec.star]
                return _Problem(
                    f"*{spec.star}: {origin(spec.star)} (bound there), "
                    f"{e.name} has {_fmt(group)} at {_dims(group_dims)}.",
                    k,
                    {k: group_dims} | ({w[0]: w[1]} if w is not None and w[0] != k else {}),
                    w[0] if w is not None else None,
                )
        for i, kind, val in spec.items:
            dim = i % nd
            size = shape[i]
            if kind == _FIXED and size != val:
                return _Problem(
                    f'{e.name} has {size} at dim {dim} but the spec "{spec.text}" '
                    f"fixes that dim to {val}.",
                    k,
                    {k: [dim]},
                )
            if kind == _NAME:
                bound = env.get(val)
                if bound is None:
                    env[val], where[val] = size, (k, [dim])
                elif bound != size:
                    w = where[val]
                    marks = {k: [dim]}
                    if w is not None:
                        marks.setdefault(w[0], []).extend(w[1])
                    return _Problem(
                        f"{val}: {origin(val)} (bound there), {e.name} has {size} at dim {dim}.",
                        k,
                        marks,
                        w[0] if w is not None else None,
                    )
            if kind == _EXPR:
                deferred.append((k, dim, val, size))
        still: list[tuple[int, int, _Expr, int]] = []
        for item in deferred:
            if all(n in env for n in item[2].names):
                if (problem := expr_problem(*item)) is not None:
                    return problem
            else:
                still.append(item)
        deferred = still
    for item in deferred:
        if (problem := expr_problem(*item)) is not None:
            return problem
    return None


def _size(value: _Binding) -> str:
    return _fmt(value) if isinstance(value, tuple) else str(value)


def _inversions(perm: tuple[int, ...]) -> int:
    return sum(a > b for a, b in itertools.combinations(perm, 2))


def _candidates(entry: _Entry) -> Iterator[tuple[str, tuple[int, ...], str, int | None]]:
    """Calls that might fix one argument, likeliest first.

    Each is ``(code, new shape, note, gap)``; ``gap`` is the dim an
    ``unsqueeze`` adds, so that the picture can leave a blank there.
    """
    assert entry.shape is not None
    shape, spec, name = entry.shape, entry.spec, entry.name
    nd = len(shape)
    if spec.variadic:
        return
    if nd == spec.n_left - 1:
        for k in range(nd + 1):
            tok = spec.tokens[k]
            note = f"if the missing dim is {tok}" if _IDENT.match(tok) and tok != "_" else ""
            yield f"{name}.unsqueeze({k})", (*shape[:k], 1, *shape[k:]), note, k
    if nd == spec.n_left + 1:
        for k in range(nd):
            if shape[k] == 1:
                yield f"{name}.squeeze({k})", shape[:k] + shape[k + 1 :], "", None
    if nd == spec.n_left and 2 <= nd <= 6:
        perms = sorted(itertools.permutations(range(nd)), key=lambda p: (_inversions(p), p))
        for perm in perms[1:]:
            code = f"{name}.T" if nd == 2 else f"{name}.permute({', '.join(map(str, perm))})"
            yield code, tuple(shape[p] for p in perm), "", None


def _suggest(
    entries: Sequence[_Entry], known: Mapping[str, _Binding], order: Sequence[int]
) -> tuple[int, str, int | None] | None:
    """The first candidate call that makes every check pass: ``(entry, "Fix: ...", gap)``."""
    for k in order:
        entry = entries[k]
        if entry.shape is None or not entry.fixable:
            continue
        for code, new_shape, note, gap in _candidates(entry):
            trial = list(entries)
            trial[k] = _Entry(entry.name, entry.spec, None, new_shape)
            if _passes(trial, known):
                tail = f", {note}" if note else ", which fits"
                cond = f"if {entries[order[0]].name} is right, " if k != order[0] else ""
                return k, f"Fix: {cond}write {code}, of shape {_fmt(new_shape)}{tail}.", gap
    return None


def _expected(
    entries: Sequence[_Entry], known: Mapping[str, _Binding], failing: int
) -> tuple[int, ...] | None:
    """The shape the failing entry should have, given the entries before it, if it is clear."""
    env: dict[str, _Binding] = dict(known)
    for e in entries[:failing]:
        if e.shape is not None:
            _match(e.spec, e.shape, env, [])
    spec, shape = entries[failing].spec, entries[failing].shape
    assert shape is not None
    nd = len(shape)
    if (not spec.variadic and nd != spec.n_left) or nd < spec.n_dims:
        return None
    out = list(shape)
    if spec.star is not None and isinstance(group := env.get(spec.star), tuple):
        out[spec.n_left : nd - spec.n_right] = group
    for i, kind, val in spec.items:
        at = i if i >= 0 else len(out) + i
        if kind == _FIXED:
            out[at] = val
        elif kind == _NAME:
            bound = env.setdefault(val, shape[i])
            out[at] = bound if isinstance(bound, int) else out[at]
        elif all(n in env for n in val.names):
            out[at] = val.evaluate(env)
        else:
            return None
    return tuple(out)


def _explain(entries: Sequence[_Entry], known: Mapping[str, _Binding]) -> ShapeError:
    problem = _find_problem(entries, known)
    if problem is None:
        # Unreachable when the fast check failed; kept as a clear message, not an assert.
        return ShapeError("The shapes do not fit their specs.")
    lines = [problem.header]
    failing = problem.failing
    entry = entries[failing]
    wrong_dtype = entry.dtype is not None and entry.actual_dtype not in entry.dtype.allowed
    fix = None
    if not wrong_dtype:
        order = [failing] + [k for k in (problem.binder,) if k is not None and k != failing]
        order += [k for k in range(len(entries)) if k not in order]
        fix = _suggest(entries, known, order)
    for k in sorted(set(problem.marks) | {failing}):
        gap = fix[2] if fix is not None and fix[0] == k else None
        lines += _picture(entries[k], problem.marks.get(k, []), gap)
    if wrong_dtype:
        if entry.fixable and entry.dtype is not None:
            lines.append(f"Fix: write {entry.name}{entry.dtype.fix}.")
    else:
        expected = _expected(entries, known, failing)
        if (fix is None or fix[0] != failing) and expected not in (None, entry.shape):
            lines.append(f"Expected: {entry.name} of shape {_fmt(expected)}.")
        if fix is not None:
            lines.append(fix[1])
    return ShapeError("\n".join(lines))


# --------------------------------------------------------------------------- public API


def _shape_of(x: object, name: str) -> tuple[int, ...]:
    shape = getattr(x, "shape", None)
    if shape is None:
        raise TypeError(
            f"{name} must be a tensor (anything with a .shape), got {type(x).__name__} {x!r}."
        )
    return tuple(shape)


def check_shape(
    x: Any,
    spec: str,
    *,
    dtype: _DtypeSpec | None = None,
    name: str = "x",
    **known: _Binding,
) -> dict[str, _Binding]:
    """Check that ``x.shape`` fits ``spec`` and return what each name is bound to.

    Args:
        x: A tensor, or anything with a ``.shape`` (a NumPy array works too).
        spec: The spec, such as ``"B C H W"``; see the module's summary for the syntax.
        dtype: If given, also check the dtype: a :class:`torch.dtype`, a
            collection of dtypes, or a family (``"floating"``, ``"complex"``,
            ``"integer"``, ``"bool"``).
        name: What the messages call ``x``.
        **known: Sizes fixed in advance, such as ``C=3`` (a tuple for a ``*name``).

    Returns:
        A new dict from each name in the spec (and each known name) to its size;
        a ``*name`` group maps to a tuple.

    Raises:
        ShapeError: if the shape or the dtype does not fit.
        TensorNotesError: if the spec is malformed or not a string.
        TypeError: if ``x`` has no ``.shape``.

    Example:
        >>> import torch
        >>> check_shape(torch.zeros(4, 3, 32, 32), "B C H W")
        {'B': 4, 'C': 3, 'H': 32, 'W': 32}
        >>> check_shape(torch.zeros(2, 5, 42), "*batch H*W", H=6, W=7)
        {'H': 6, 'W': 7, 'batch': (2, 5)}
        >>> check_shape(torch.zeros(4, 3), "B C", C=4)
        Traceback (most recent call last):
        ...
        tensornotes.ShapeError: C: given as C=4 (bound there), x has 3 at dim 1.
        ...
    """
    parsed = _get_spec(spec)
    shape = x.shape if hasattr(x, "shape") else _shape_of(x, name)
    env: dict[str, _Binding] = dict(known)
    deferred: list[tuple[_Expr, int]] = []
    ok = _match(parsed, shape, env, deferred) and (not deferred or _resolve(deferred, env))
    check = _get_dtype(dtype) if dtype is not None else None
    if ok and (check is None or x.dtype in check.allowed):
        return env
    entry = _Entry(name, parsed, check, tuple(shape), getattr(x, "dtype", None))
    raise _explain([entry], known)


@dataclass(frozen=True)
class _Param:
    name: str
    index: int | None
    default: Any
    spec: _Spec
    dtype: _Dtype | None


def _split(value: _SpecLike, what: str) -> tuple[_Spec, _Dtype | None]:
    if isinstance(value, tuple) and len(value) == 2:
        return _get_spec(value[0]), _get_dtype(value[1])
    if not isinstance(value, str):
        raise TensorNotesError(
            f'{what}={value!r} is not a spec: give a string such as "B C H W" '
            'or a pair such as ("B C H W", torch.float32).'
        )
    return _get_spec(value), None


def _check_kinds(specs: Sequence[_Spec], where: str) -> None:
    stars = {s.star for s in specs if s.star is not None}
    plain = {n for s in specs for n in (s.names | s.expr_names) if n != s.star}
    if both := stars & plain:
        name = sorted(both)[0]
        raise TensorNotesError(
            f"The specs of {where} use {name!r} both as *{name} and as a single dim; "
            "rename one of them."
        )


def shapes(
    *, returns: _SpecLike | list[_SpecLike] | None = None, **specs: _SpecLike
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Decorate a function so that every call checks its arguments' shapes.

    Each keyword names a parameter and gives its spec; ``returns`` gives the
    spec of the return value (a list of specs for a function that returns a
    tuple). A name means the same size in every spec, so ``x="B C H W"`` and
    ``w="C"`` check that ``w`` has one value per channel of ``x``. Positional
    and keyword calls, defaults and methods all work; an argument that is
    ``None`` is skipped, so optional tensors can default to ``None``.

    With ``TENSORNOTES_CHECKS=0`` in the environment at decoration time the
    function is returned unchanged.

    Args:
        returns: The spec of the return value, or a list of specs for a tuple.
        **specs: One spec per parameter to check: a string, or a pair
            ``(spec, dtype)`` to check the dtype too.

    Returns:
        A decorator. The wrapped function keeps its name, docstring and
        signature, returns exactly what the function returns and never
        touches the tensors.

    Raises:
        TensorNotesError: at decoration, for a malformed spec or a spec for a
            parameter the function does not have.

    Example:
        >>> import torch
        >>> @shapes(x="B C H W", w="C", returns="B C H W")
        ... def scale(x, w):
        ...     return x * w[:, None, None]
        >>> scale(torch.ones(4, 3, 32, 32), torch.ones(3)).shape
        torch.Size([4, 3, 32, 32])
        >>> scale(torch.ones(4, 3, 32, 32), torch.ones(4))
        Traceback (most recent call last):
        ...
        tensornotes.ShapeError: C: x has 3 at dim 1 (bound there), w has 4 at dim 0.
          x spec   B C  H  W
            shape  4 3 32 32
                     ^
          w spec   C
            shape  4
                   ^
        Expected: w of shape (3,).
        ...
    """

    def decorate(fn: Callable[_P, _R]) -> Callable[_P, _R]:
        if os.environ.get(CHECKS_ENV_VAR, "1").strip() == "0":
            return fn
        return _wrap(fn, specs, returns)

    return decorate


# The precise annotation above is for type checkers. Sphinx cannot link its
# private type variables, so the rendered docs show the decorator's plain shape.
shapes.__annotations__["return"] = "Callable[[Callable[..., Any]], Callable[..., Any]]"


def _wrap(
    fn: Callable[_P, _R],
    specs: Mapping[str, _SpecLike],
    returns: _SpecLike | list[_SpecLike] | None,
) -> Callable[_P, _R]:
    fname = getattr(fn, "__qualname__", repr(fn))
    signature = inspect.signature(fn)
    params: list[_Param] = []
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    for index, p in enumerate(signature.parameters.values()):
        if p.name not in specs:
            continue
        if p.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            raise TensorNotesError(
                f"shapes() cannot check *{p.name} or **{p.name} of {fname}(); "
                "give specs to named parameters only."
            )
        spec, dtype = _split(specs[p.name], p.name)
        default = None if p.default is inspect.Parameter.empty else p.default
        params.append(
            _Param(p.name, index if p.kind in positional else None, default, spec, dtype)
        )
    unknown = sorted(set(specs) - {p.name for p in params})
    if unknown:
        raise TensorNotesError(
            f"shapes() got a spec for {unknown[0]!r}, but {fname}() has no parameter "
            f"of that name; its parameters are {', '.join(signature.parameters)}."
        )
    single = returns is not None and not isinstance(returns, list)
    out_list: list[_SpecLike]
    if returns is None:
        out_list = []
    elif isinstance(returns, list):
        out_list = returns
    else:
        out_list = [returns]
    outs = [_split(r, "returns") for r in out_list]
    _check_kinds([p.spec for p in params] + [s for s, _ in outs], f"{fname}()")

    with_dtype = any(p.dtype is not None for p in params)
    fast_ok = all(p.index is not None for p in params)
    n_fast = max((p.index or 0 for p in params), default=-1) + 1
    pick: Callable[[tuple[Any, ...]], Sequence[Any]] | None = None
    if fast_ok and len(params) > 1:
        pick = operator.itemgetter(*(p.index for p in params))
    elif fast_ok and params:
        one = operator.itemgetter(params[0].index)
        pick = lambda args: (one(args),)  # noqa: E731
    shape_of = operator.attrgetter("shape")
    dtype_of = operator.attrgetter("dtype")
    verdicts: dict[tuple[Any, ...], dict[str, _Binding]] = {}
    out_ok: set[tuple[Any, ...]] = set()

    def values(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> list[Any]:
        return [
            args[p.index]
            if p.index is not None and p.index < len(args)
            else kwargs.get(p.name, p.default)
            for p in params
        ]

    def key_of(vals: Sequence[Any]) -> tuple[Any, ...]:
        # The same layout as the fast path's key: every shape, then (if any
        # spec checks one) every dtype.
        key = tuple(
            None if v is None else tuple(_shape_of(v, p.name))
            for p, v in zip(params, vals, strict=True)
        )
        if with_dtype:
            key += tuple(getattr(v, "dtype", None) for v in vals)
        return key

    def entries_for(vals: Sequence[Any]) -> list[_Entry]:
        return [
            _Entry(
                p.name,
                p.spec,
                p.dtype,
                None if v is None else tuple(v.shape),
                None if v is None else getattr(v, "dtype", None),
            )
            for p, v in zip(params, vals, strict=True)
        ]

    def check_inputs(key: tuple[Any, ...], vals: Sequence[Any]) -> dict[str, _Binding]:
        env: dict[str, _Binding] = {}
        deferred: list[tuple[_Expr, int]] = []
        # The key starts with the shapes, already read, one per parameter.
        for p, v, shape in zip(params, vals, key[: len(params)], strict=True):
            if v is not None and not (
                _match(p.spec, shape, env, deferred)
                and (p.dtype is None or v.dtype in p.dtype.allowed)
            ):
                raise _explain(entries_for(vals), {})
        if deferred and not _resolve(deferred, env):
            raise _explain(entries_for(vals), {})
        if len(verdicts) >= _MEMORY:
            verdicts.clear()
        verdicts[key] = env
        return env

    def check_outputs(
        key: tuple[Any, ...], env: dict[str, _Binding], vals: Sequence[Any], result: Any
    ) -> None:
        got = (result,) if single else result
        if not isinstance(got, tuple) or len(got) != len(outs):
            raise ShapeError(
                f"{fname}() returned {type(result).__name__}, but returns= "
                f"lists {len(outs)} specs for a tuple of that length."
            )
        shapes_out = [_shape_of(r, "the result") for r in got]
        dtypes_out = [getattr(r, "dtype", None) for r in got]
        rkey = (
            (key, shapes_out[0], dtypes_out[0])
            if single
            else (key, tuple(shapes_out), tuple(dtypes_out))
        )
        if rkey in out_ok:
            return
        env = dict(env)
        deferred: list[tuple[_Expr, int]] = []
        ok = True
        for (s, d), shp, dt in zip(outs, shapes_out, dtypes_out, strict=True):
            if not (_match(s, shp, env, deferred) and (d is None or dt in d.allowed)):
                ok = False
                break
        if not ok or (deferred and not _resolve(deferred, env)):
            names = ["the result"] if single else [f"result[{i}]" for i in range(len(outs))]
            extra = [
                _Entry(n, s, d, shp, dt, fixable=False)
                for n, (s, d), shp, dt in zip(names, outs, shapes_out, dtypes_out, strict=True)
            ]
            raise _explain(entries_for(vals) + extra, {})
        if len(out_ok) >= _MEMORY:
            out_ok.clear()
        out_ok.add(rkey)

    def check_result(
        rkey: tuple[Any, ...] | None,
        key: tuple[Any, ...],
        env: dict[str, _Binding],
        vals: Sequence[Any],
        result: Any,
    ) -> None:
        # One tensor returned and not yet seen: check it without building lists.
        if rkey is None:
            check_outputs(key, env, vals, result)
            return
        (spec, dtype), out_env = outs[0], dict(env)
        deferred: list[tuple[_Expr, int]] = []
        if (
            _match(spec, rkey[1], out_env, deferred)
            and (dtype is None or rkey[2] in dtype.allowed)
            and (not deferred or _resolve(deferred, out_env))
        ):
            if len(out_ok) >= _MEMORY:
                out_ok.clear()
            out_ok.add(rkey)
        else:
            check_outputs(key, env, vals, result)

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        vals: Sequence[Any]
        if pick is not None and not kwargs and len(args) >= n_fast:
            vals = pick(args)
            try:
                key = tuple(map(shape_of, vals))
                if with_dtype:
                    key += tuple(map(dtype_of, vals))
            except AttributeError:
                key = key_of(vals)
        else:
            vals = values(args, kwargs)
            key = key_of(vals)
        env = verdicts.get(key)
        if env is None:
            env = check_inputs(key, vals)
        result = fn(*args, **kwargs)
        if single:
            try:
                rkey: tuple[Any, ...] | None = (key, result.shape, result.dtype)  # type: ignore[attr-defined]
            except AttributeError:
                rkey = None
            if rkey not in out_ok:
                check_result(rkey, key, env, vals, result)
        elif outs:
            check_outputs(key, env, vals, result)
        return result

    return wrapper
