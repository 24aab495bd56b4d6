"""One side of an identity between events: read from a string or a function, then evaluated.

A side comes either from text, parsed by :mod:`tensornotes._event_parser`
into a tree that is never run, or from a function of events such as
``lambda A, B: A | B``, whose parameters name the events. Either way it is
evaluated on the *regions* of the Venn diagram: with ``n`` events the sample
space is ``0 .. 2**n - 1``, one point per region, and event ``i`` is the
bitset of the regions whose bit ``i`` is set.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Union

from tensornotes import _event_parser as _expr
from tensornotes._errors import TensorNotesError
from tensornotes._events import Event, SampleSpace, short_repr

Terms = list[tuple[int, _expr.SetExpr | None]]
"""A count expression as ``(coefficient, event)`` terms; ``None`` stands for Ω."""

Value = Union[Event, list[tuple[int, Event | None]]]  # noqa: UP007 (a runtime alias on 3.10)


def column_mask(i: int, n: int) -> int:
    """The bitset of the regions (numbers ``0 .. 2**n - 1``) whose bit ``i`` is set.

    One period is ``2**i`` zeros then ``2**i`` ones; doubling it by shifts
    stays linear in the length, where a division would be quadratic.
    """
    width = 1 << i
    mask, length = ((1 << width) - 1) << width, 2 * width
    while length < 1 << n:
        mask |= mask << length
        length *= 2
    return mask


def regions(names: tuple[str, ...]) -> tuple[SampleSpace, dict[str, Event]]:
    """The space of the ``2**n`` regions of ``n`` events, and each event as a bitset on it."""
    n = len(names)
    space = SampleSpace._regions(n)
    return space, {name: Event._make(space, column_mask(i, n)) for i, name in enumerate(names)}


def display_space(n: int) -> tuple[SampleSpace, list[Event]]:
    """One point per region of ``n`` events: ``1 .. 2**n``, point ``r + 1`` in region ``r``."""
    space = SampleSpace(range(1, (1 << n) + 1))
    return space, [Event._make(space, column_mask(i, n)) for i in range(n)]


@dataclass(frozen=True)
class Side:
    """One side of an identity, from a string or a callable, ready to evaluate."""

    argname: str
    text: str
    names: tuple[str, ...]
    measure: str | None
    is_number: bool
    expr: _expr.Expr | None = None
    func: Callable[..., object] | None = None
    operations: int = 0
    """The set operations evaluating a parsed side takes; 0 for a function, which is not read."""

    def terms(self) -> Terms:
        """The side of a counting identity as linear terms."""
        assert self.expr is not None
        assert self.is_number
        return _expr.linear_terms(self.expr)  # type: ignore[arg-type]

    def evaluate(self, env: dict[str, Event], space: SampleSpace) -> Value:
        if self.func is not None:
            result = self.func(*(env[name] for name in self.names))
            if not isinstance(result, Event):
                raise TypeError(
                    f"{self.argname} returned {type(result).__name__} {short_repr(result)}, "
                    "not an Event; a side of an identity must combine its events with "
                    "| & ~ - ^."
                )
            space._same(result, self.argname)
            return result
        assert self.expr is not None
        if not self.is_number:
            return evaluate_set(self.expr, env, space)  # type: ignore[arg-type]
        return [(c, None if e is None else evaluate_set(e, env, space)) for c, e in self.terms()]


def evaluate_set(expr: _expr.SetExpr, env: dict[str, Event], space: SampleSpace) -> Event:
    """The event ``expr`` stands for, with ``env`` giving each name's event.

    Nothing is kept but the operands in use, so the memory stays at a few
    bitsets per level of nesting.
    """
    if isinstance(expr, _expr.Var):
        return env[expr.name]
    if isinstance(expr, _expr.Const):
        return space.certain if expr.certain else space.impossible
    if isinstance(expr, _expr.Complement):
        return ~evaluate_set(expr.operand, env, space)
    left = evaluate_set(expr.left, env, space)
    right = evaluate_set(expr.right, env, space)
    if expr.op == "|":
        return left | right
    if expr.op == "&":
        return left & right
    if expr.op == "-":
        return left - right
    return left ^ right


def side(value: object, argname: str) -> Side:
    """Read one side: a string is parsed, anything else must be a function of events."""
    if isinstance(value, str):
        return _parse_side(value, argname)
    return _callable_side(value, argname)


@functools.lru_cache(maxsize=1024)
def _parse_side(value: str, argname: str) -> Side:
    """Parse one side once; a side is immutable, so the same text reuses it."""
    tree = _expr.parse(value, argname=argname)
    measure = _expr.measure_of(tree)
    is_number = isinstance(tree, (_expr.Count, _expr.Number, _expr.Neg, _expr.NumBin))
    if is_number and measure == "len":
        terms = _expr.linear_terms(tree)  # type: ignore[arg-type]
        if any(e is None for _, e in terms):
            raise TensorNotesError(
                f"{argname} {value!r} adds a plain number to counts; a count identity "
                "that holds for every sample space has no constant term (with P(...) "
                "a number c stands for c·P(Ω))."
            )
    return Side(
        argname,
        _expr.to_math(tree),
        tuple(_expr.variables(tree)),
        measure,
        is_number,
        expr=tree,
        operations=_expr.operations(tree),
    )


def _callable_side(value: object, argname: str) -> Side:
    if isinstance(value, Event):
        raise TypeError(
            f"{argname} is one Event, {value!r}; to check an identity for all events pass a "
            "function of events, such as lambda A, B: A | B, or a string such as 'A | B'."
        )
    if not callable(value):
        raise TypeError(
            f"{argname} must be a string such as '(A | B) & C' or a function of events such "
            f"as lambda A, B, C: (A | B) & C, not {type(value).__name__} {short_repr(value)}."
        )
    try:
        signature = inspect.signature(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"{argname} {short_repr(value)} has no signature to read its events from."
        ) from None
    names = []
    for param in signature.parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TypeError(
                f"{argname} takes *{param.name}; name each event as a parameter, "
                "e.g. lambda A, B, C: ..."
            )
        if param.kind is param.KEYWORD_ONLY:
            if param.default is param.empty:
                raise TypeError(
                    f"{argname} has the keyword-only parameter {param.name!r}; events are "
                    "passed by position."
                )
            continue
        names.append(param.name)
    text = _trace(value, names) or str(getattr(value, "__name__", argname))
    return Side(argname, text, tuple(names), None, False, func=value)


class _Symbol:
    """A stand-in event that records the operations applied to it, to print a lambda."""

    def __init__(self, expr: _expr.SetExpr) -> None:
        self.expr = expr

    def _bin(self, op: _expr.SetOp, other: object) -> _Symbol:
        if not isinstance(other, _Symbol):
            raise TypeError
        # Python has already applied its own grouping, so write every operation in parentheses.
        return _Symbol(_expr.SetBin(op, self.expr, other.expr, grouped=True))

    def __or__(self, other: object) -> _Symbol:
        return self._bin("|", other)

    def __and__(self, other: object) -> _Symbol:
        return self._bin("&", other)

    def __sub__(self, other: object) -> _Symbol:
        return self._bin("-", other)

    def __xor__(self, other: object) -> _Symbol:
        return self._bin("^", other)

    def __invert__(self) -> _Symbol:
        return _Symbol(_expr.Complement(self.expr))


def _trace(func: Callable[..., object], names: list[str]) -> str | None:
    """Write what ``func`` computes in set notation, or ``None`` if it does more than operate."""
    try:
        result = func(*(_Symbol(_expr.Var(name)) for name in names))
        return _expr.to_math(result.expr) if isinstance(result, _Symbol) else None
    except Exception:
        return None


def names_of(left: Side, right: Side) -> tuple[str, ...]:
    """The events an identity is about: a function's parameters, or the names in the text."""
    if left.func is not None and right.func is not None:
        if len(left.names) != len(right.names):
            raise TypeError(
                f"lhs takes {len(left.names)} events ({', '.join(left.names)}) but rhs takes "
                f"{len(right.names)} ({', '.join(right.names)}); both sides must take the "
                "same events."
            )
        return left.names
    for fixed, other in ((left, right), (right, left)):
        if fixed.func is not None:
            unknown = [n for n in other.names if n not in fixed.names]
            if unknown:
                raise TensorNotesError(
                    f"{other.argname} uses the unknown name {unknown[0]!r}; "
                    f"{fixed.argname} takes only the events {', '.join(fixed.names)}."
                )
            return fixed.names
    return tuple(sorted(set(left.names) | set(right.names), key=lambda s: (s[0], len(s), s)))
