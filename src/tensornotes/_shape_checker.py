"""Checking shapes: :func:`check_shape` for one tensor, :func:`shapes` for every call.

The spec syntax is in :mod:`tensornotes._spec_parser`; the messages of a
failed check are written by :mod:`tensornotes._shape_messages`.

The decorator costs about a microsecond per call when the shapes are
consistent: specs are parsed once, the parameters are located once at
decoration, and each combination of input shapes that has passed is
remembered, so a repeat call only reads the shapes and looks them up. A
mismatch is re-checked slowly to explain it.

Set the environment variable ``TENSORNOTES_CHECKS`` to ``0``, ``false``,
``off`` or ``no`` (in any case) before the functions are *decorated* (that is,
before their module is imported) to turn the checks off: :func:`shapes` then
still reads every spec, so a malformed one is refused at once, but returns the
function itself, so a call costs nothing. :func:`check_shape` always checks.
"""

from __future__ import annotations

import functools
import inspect
import operator
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeAlias, TypeVar

import torch

from tensornotes._errors import TensorNotesError
from tensornotes._shape_inputs import known_sizes, read_dtype, read_shape
from tensornotes._shape_match import Deferred, Entry, fits_dtype, match, resolve
from tensornotes._shape_messages import ShapeError, explain
from tensornotes._spec_parser import (
    Binding,
    DtypeRule,
    Spec,
    parse_dtype,
    parse_spec,
)
from tensornotes._validation import describe

__all__ = ["CHECKS_ENV_VAR", "ShapeError", "check_shape", "shapes"]

CHECKS_ENV_VAR = "TENSORNOTES_CHECKS"
"""Set it to ``0``, ``false``, ``off`` or ``no`` before decorating to turn :func:`shapes` off."""
_OFF = frozenset({"0", "false", "off", "no"})

# How many passing shape combinations each decorated function remembers, and
# how many result shapes it remembers for each of them.
_MEMORY = 4096
_RESULT_MEMORY = 64

# A dtype, a collection of dtypes, or a family: "floating", "complex", "integer", "bool".
_DtypeSpec: TypeAlias = torch.dtype | str | Collection[torch.dtype]
# A spec string, or a (spec, dtype) pair that checks the dtype too.
_SpecLike: TypeAlias = str | tuple[str, _DtypeSpec]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _checks_on() -> bool:
    return os.environ.get(CHECKS_ENV_VAR, "").strip().lower() not in _OFF


# --------------------------------------------------------------------------- check_shape


def check_shape(
    x: Any,
    spec: str,
    *,
    dtype: _DtypeSpec | None = None,
    name: str = "x",
    **known: Binding,
) -> dict[str, Binding]:
    """Check that ``x.shape`` fits ``spec`` and return what each name is bound to.

    A spec is a string of dims separated by spaces, read left to right against
    the shape: ``B`` binds a name (the same name means the same size), ``3``
    fixes a size, ``_`` takes any one dim, ``*batch`` any number of dims bound
    as a tuple, ``...`` any number unbound (one group per spec), and ``H*W``
    is arithmetic (``+ - * //`` and brackets, no spaces) of bound names and
    numbers. A spec has at most 1,000 characters, with brackets nested at most
    16 deep; the 256 most recent specs of up to 200 characters stay parsed.

    Args:
        x: A tensor, or anything with a ``.shape`` (a NumPy array works too);
            a meta or sparse tensor is checked by its shape like any other.
        spec: The spec, such as ``"B C H W"``.
        dtype: If given, also check the dtype: a :class:`torch.dtype`, a
            collection of dtypes, or a family (``"floating"``, ``"complex"``,
            ``"integer"``, ``"bool"``).
        name: What the messages call ``x``.
        **known: Sizes fixed in advance, such as ``C=3``: a whole number for a
            dim, a tuple of them for a ``*name`` group.

    Returns:
        A new dict from each name in the spec (and each known name) to its size;
        a ``*name`` group maps to a tuple.

    Raises:
        ShapeError: if the shape or the dtype does not fit.
        TensorNotesError: if the spec is malformed or too long, or a known
            size is negative.
        TypeError: if ``x`` has no ``.shape`` (or is a nested tensor, which
            has no single shape), or ``spec``, ``name``, ``dtype`` or a known
            size is of the wrong type.

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
    parsed = parse_spec(spec)
    if type(name) is not str:
        raise TypeError(f"name must be a string, got {type(name).__name__} {describe(name)}.")
    rule = parse_dtype(dtype) if dtype is not None else None
    given = known_sizes(known, (parsed,)) if known else {}
    shape = read_shape(x, name)
    env = dict(given)
    deferred: Deferred = []
    fits = match(parsed, shape, env, deferred) and (not deferred or resolve(deferred, env))
    if fits and (rule is None or fits_dtype(rule, read_dtype(x))):
        return env
    raise explain([Entry(name, parsed, rule, tuple(shape), read_dtype(x))], given)


# --------------------------------------------------------------------------- the decorator


@dataclass(frozen=True)
class _Param:
    name: str
    index: int | None
    default: Any
    spec: Spec
    dtype: DtypeRule | None


# What one remembered combination of inputs bound, and the (shape, dtype) of
# each result that fitted it. A plain pair: building it is on the path of
# every call with new shapes.
_Passed: TypeAlias = tuple[dict[str, Binding], set[tuple[Any, Any]]]
_SIZE = torch.Size


def _remember(fitted: set[tuple[Any, Any]], rkey: tuple[Any, Any]) -> None:
    if len(fitted) >= _RESULT_MEMORY:
        fitted.clear()
    fitted.add(rkey)


def _split(value: object, what: str) -> tuple[Spec, DtypeRule | None]:
    if isinstance(value, tuple) and len(value) == 2:
        return parse_spec(value[0], what), parse_dtype(value[1], f"the dtype of {what}")
    if not isinstance(value, str):
        raise TypeError(
            f'{what}={describe(value)} is not a spec: give a string such as "B C H W" '
            'or a pair such as ("B C H W", torch.float32).'
        )
    return parse_spec(value, what), None


def _callable_name(fn: object) -> str:
    name = getattr(fn, "__qualname__", None)
    return name if isinstance(name, str) else type(fn).__name__


def _check_kinds(specs: Sequence[Spec], where: str) -> None:
    stars = {s.star for s in specs if s.star is not None}
    if both := stars & {n for s in specs for n in s.dim_names}:
        name = sorted(both)[0]
        raise TensorNotesError(
            f"The specs of {where} use {name!r} both as *{name} and as a single dim; "
            "rename one of them."
        )


class _Checker:
    """The checks of one decorated function: its specs, one memo, one slow path that explains.

    The wrapper built by :func:`_wrap` looks each call's input shapes up in
    ``memo`` and calls :meth:`admit` only for a combination it has not seen;
    :meth:`admit_result` likewise sees each result shape once per combination.
    """

    def __init__(
        self, fn: object, specs: Mapping[str, object], returns: object, fname: str
    ) -> None:
        try:
            signature = inspect.signature(fn)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise TypeError(f"shapes() cannot read the parameters of {fname}.") from None
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        params: list[_Param] = []
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
        self.single = returns is not None and not isinstance(returns, list)
        listed = [] if returns is None else returns if isinstance(returns, list) else [returns]
        self.outs = tuple(_split(r, "returns") for r in listed)
        self.result_names = (
            ("the result",)
            if self.single
            else tuple(f"result[{i}]" for i in range(len(self.outs)))
        )
        _check_kinds([p.spec for p in params] + [s for s, _ in self.outs], f"{fname}()")
        self.fname = fname
        self.params = tuple(params)
        self.with_dtype = any(p.dtype is not None for p in params)
        self.memo: dict[tuple[Any, ...], _Passed] = {}

    def values(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> list[Any]:
        """The value of each checked parameter in one call."""
        return [
            args[p.index]
            if p.index is not None and p.index < len(args)
            else kwargs.get(p.name, p.default)
            for p in self.params
        ]

    def admit(
        self,
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
        vals: Sequence[Any] | None,
        key: tuple[Any, ...] | None,
    ) -> _Passed:
        """Check inputs the memo does not hold; remember them, or raise the explanation.

        ``vals`` and ``key`` are what the wrapper already read, when it could.
        """
        params, memo = self.params, self.memo
        if vals is None:
            vals = self.values(args, kwargs)
        from_wrapper = key is not None
        shapes_in: tuple[Any, ...]
        if key is None:
            shapes_in = tuple(
                None if v is None else read_shape(v, p.name)
                for p, v in zip(params, vals, strict=True)
            )
            key = shapes_in + (tuple(map(read_dtype, vals)) if self.with_dtype else ())
            try:
                if (known := memo.get(key)) is not None:
                    return known
            except TypeError:  # an unhashable dtype: check it, but do not remember it
                key = None
        else:
            shapes_in = key
        env: dict[str, Binding] = {}
        deferred: Deferred = []
        for p, v, shape in zip(params, vals, shapes_in, strict=False):  # then maybe dtypes
            if v is None:
                continue
            if from_wrapper and type(shape) is not _SIZE:
                # The wrapper read this shape from something other than a tensor:
                # read every shape again, with care.
                return self.admit(args, kwargs, vals, None)
            if not (
                match(p.spec, shape, env, deferred)
                and (p.dtype is None or fits_dtype(p.dtype, read_dtype(v)))
            ):
                raise self.explain(vals)
        if deferred and not resolve(deferred, env):
            raise self.explain(vals)
        passed: _Passed = (env, set())
        if key is not None:
            if len(memo) >= _MEMORY:
                memo.clear()
            memo[key] = passed
        return passed

    def admit_result(
        self,
        passed: _Passed,
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
        result: Any,
        rkey: tuple[Any, Any] | None = None,
    ) -> None:
        """Check a result not yet seen with these inputs; remember it, or explain.

        ``rkey`` is the single result's ``(shape, dtype)``, when the wrapper read it.
        """
        bindings, fitted = passed
        env = dict(bindings)
        deferred: Deferred = []
        if rkey is not None and type(rkey[0]) is _SIZE:
            # One tensor: the common case, checked without building tuples.
            (spec, rule), shape, dtype = self.outs[0], rkey[0], rkey[1]
            if (
                match(spec, shape, env, deferred)
                and (rule is None or fits_dtype(rule, dtype))
                and (not deferred or resolve(deferred, env))
            ):
                if len(fitted) >= _RESULT_MEMORY:
                    fitted.clear()
                fitted.add(rkey)
                return
            shapes_out: tuple[tuple[int, ...], ...] = (shape,)
            dtypes_out: tuple[object, ...] = (dtype,)
        else:
            got = (result,) if self.single else result
            if not isinstance(got, tuple) or len(got) != len(self.outs):
                raise ShapeError(
                    f"{self.fname}() returned {type(result).__name__}, but returns= "
                    f"lists {len(self.outs)} specs for a tuple of that length."
                )
            names = self.result_names
            shapes_out = tuple(read_shape(r, n) for r, n in zip(got, names, strict=True))
            dtypes_out = tuple(map(read_dtype, got))
            rkey = (shapes_out[0], dtypes_out[0]) if self.single else (shapes_out, dtypes_out)
            try:
                if rkey in fitted:
                    return
            except TypeError:  # an unhashable dtype: check it, but do not remember it
                rkey = None
            for (spec, rule), out, dt in zip(self.outs, shapes_out, dtypes_out, strict=True):
                if not (
                    match(spec, out, env, deferred) and (rule is None or fits_dtype(rule, dt))
                ):
                    break
            else:
                if not deferred or resolve(deferred, env):
                    if rkey is not None:
                        _remember(fitted, rkey)
                    return
        extra = [
            Entry(n, s, d, shp, dt, fixable=False)
            for n, (s, d), shp, dt in zip(
                self.result_names, self.outs, shapes_out, dtypes_out, strict=True
            )
        ]
        raise self.explain(self.values(args, kwargs), extra)

    def explain(self, vals: Sequence[Any], results: Sequence[Entry] = ()) -> ShapeError:
        """The one slow path: why these values do not fit, with a picture and a fix."""
        entries = [
            Entry(
                p.name,
                p.spec,
                p.dtype,
                None if v is None else tuple(read_shape(v, p.name)),
                None if v is None else read_dtype(v),
            )
            for p, v in zip(self.params, vals, strict=True)
        ]
        return explain([*entries, *results], {})


def _wrap(fn: Callable[_P, _R], checker: _Checker) -> Callable[_P, _R]:
    """The wrapper: read the shapes, look them up, and only on a miss ask the checker."""
    params, outs, single, memo = checker.params, checker.outs, checker.single, checker.memo
    admit, admit_result = checker.admit, checker.admit_result

    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def checked_coroutine(*args: Any, **kwargs: Any) -> Any:
            passed = admit(args, kwargs, None, None)
            result = await fn(*args, **kwargs)
            if outs:
                admit_result(passed, args, kwargs, result)
            return result

        return checked_coroutine  # type: ignore[return-value]

    with_dtype = checker.with_dtype
    n_fast = max((p.index or 0 for p in params), default=-1) + 1
    pick: Callable[[tuple[Any, ...]], Sequence[Any]] | None = None
    if all(p.index is not None for p in params):
        if len(params) > 1:
            pick = operator.itemgetter(*(p.index for p in params))
        elif params:
            one = operator.itemgetter(params[0].index)
            pick = lambda args: (one(args),)  # noqa: E731
    shape_of = operator.attrgetter("shape")
    dtype_of = operator.attrgetter("dtype")

    @functools.wraps(fn)
    def checked(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        vals: Sequence[Any] | None = None
        key: tuple[Any, ...] | None = None
        passed: _Passed | None = None
        if pick is not None and not kwargs and len(args) >= n_fast:
            vals = pick(args)
            try:
                key = tuple(map(shape_of, vals))
                if with_dtype:
                    key += tuple(map(dtype_of, vals))
                passed = memo.get(key)
            except Exception:  # not a tensor, or an odd one: the slow path says which
                vals = key = None
        if passed is None:
            passed = admit(args, kwargs, vals, key)
        result = fn(*args, **kwargs)
        if single:
            try:
                rkey = (result.shape, result.dtype)  # type: ignore[attr-defined]
                seen = rkey in passed[1]
            except Exception:  # not a tensor, or an odd one: the slow path says which
                rkey, seen = None, False
            if not seen:
                admit_result(passed, args, kwargs, result, rkey)
        elif outs:
            admit_result(passed, args, kwargs, result)
        return result

    return checked


def shapes(
    *, returns: _SpecLike | list[_SpecLike] | None = None, **specs: _SpecLike
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Decorate a function so that every call checks its arguments' shapes.

    Each keyword names a parameter and gives its spec (the syntax is that of
    :func:`check_shape`); ``returns`` gives the spec of the return value (a
    list of specs for a function that returns a tuple). A name means the same
    size in every spec, so ``x="B C H W"`` and ``w="C"`` check that ``w`` has
    one value per channel of ``x``. Positional and keyword calls, defaults,
    methods and ``async def`` functions (checked once awaited) all work; an
    argument that is ``None`` is skipped, so optional tensors can default to
    ``None``. Put ``@staticmethod`` or ``@classmethod`` above ``@shapes``.

    Each decorated function remembers up to 4,096 combinations of input shapes
    that passed, and up to 64 result shapes for each.

    With ``TENSORNOTES_CHECKS`` set to ``0``, ``false``, ``off`` or ``no`` (in
    any case) at decoration time, the specs are still read and a malformed one
    is refused, but the function is returned unchanged.

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
        TypeError: at decoration, for a spec that is not a string or a pair,
            something that is not a function, a ``staticmethod`` or
            ``classmethod`` object (decorate the function inside it), or
            ``returns`` on a generator function.

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
        if isinstance(fn, (staticmethod, classmethod)):
            kind = type(fn).__name__
            raise TypeError(
                f"shapes() was put above @{kind}; put @{kind} on top and @shapes(...) "
                "below it, next to the def, so that it checks the function itself."
            )
        if not callable(fn):
            raise TypeError(
                f"shapes() decorates a function, got {type(fn).__name__} {describe(fn)}."
            )
        fname = _callable_name(fn)
        if returns is not None and (
            inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn)
        ):
            raise TypeError(
                f"shapes(returns=...) cannot check {fname}(), a generator function: it returns "
                "a generator, not tensors; check what it yields with check_shape instead."
            )
        checker = _Checker(fn, specs, returns, fname)
        if not _checks_on():
            return fn
        return _wrap(fn, checker)

    return decorate


# The precise annotation above is for type checkers. Sphinx cannot link its
# private type variables, so the rendered docs show the decorator's plain shape.
shapes.__annotations__["return"] = "Callable[[Callable[..., Any]], Callable[..., Any]]"
