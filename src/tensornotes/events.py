"""Events on a finite sample space, the laws of their algebra, and Venn diagrams.

An *event* is a set of sample points of a finite :class:`SampleSpace`. Events
combine with ``|`` (union), ``&`` (intersection), ``~`` (complement within
their own space), ``-`` (difference) and ``^`` (symmetric difference), and
:func:`P` gives their classical probability as an exact
:class:`~fractions.Fraction`.

:func:`check_identity` decides whether an identity between events holds for
*all* events of *all* sample spaces. Both sides are built from the same
operations, so each sample point's membership depends only on which of the
events contain it: on its region of the Venn diagram. With ``n`` events there
are ``2**n`` regions, and the identity holds exactly when both sides agree on
each of them. The check therefore builds the sample space whose points *are*
the regions, evaluates both sides once on it with every event stored as a
Python ``int`` used as a bitset of length ``2**n``, and compares the two ints:
one pass of big-integer operations instead of a loop over truth-table rows.
When the sides differ, the first region where they disagree becomes a small
concrete counterexample. Strings such as ``"(A | B) & C"`` are parsed with
:mod:`ast` into a whitelist of operators and names and never evaluated.

:func:`venn` draws with plain matplotlib rather than ``matplotlib-venn``: that
package sizes circles by counts and draws neither the universe, nor a shaded
complement, nor the elements in their regions, which are exactly what these
diagrams are for. Here each region's membership is decided on a grid of
pixels, so any region, including the outside of all circles, can be filled.
The drawing lives in the private module ``tensornotes._events_plot``.
"""

from __future__ import annotations

import functools
import inspect
import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NoReturn, Union

import numpy as np

from tensornotes import _events_expr as _expr
from tensornotes._errors import TensorNotesError

if TYPE_CHECKING:
    import matplotlib.axes

__all__ = [
    "Counterexample",
    "Event",
    "IdentityResult",
    "Law",
    "P",
    "SampleSpace",
    "check_identity",
    "independent",
    "laws",
    "venn",
]

MAX_POINTS = 1_000_000
"""Largest sample space accepted; an iterable that goes on longer is refused."""

MAX_VARIABLES = 24
"""Most events an identity may name: the bitsets then hold ``2**24`` bits (2 MiB)."""

_SHOWN = 12


def _listing(items: Iterable[object], total: int) -> str:
    shown = [repr(x) for x in itertools.islice(items, _SHOWN)]
    if total > _SHOWN:
        shown.append(f"... ({total} in all)")
    return "{" + ", ".join(shown) + "}"


class SampleSpace:
    """A finite sample space Ω: the set of all outcomes of an experiment.

    Args:
        points: the sample points, any hashable values, each listed once. The
            order is kept for display.

    Raises:
        TensorNotesError: if ``points`` is empty, lists a point twice, or has
            more than a million points.
        TypeError: if ``points`` is not iterable or a point is unhashable.

    Example:
        >>> die = SampleSpace(range(1, 7))
        >>> die
        SampleSpace({1, 2, 3, 4, 5, 6})
        >>> len(die), 3 in die
        (6, True)
        >>> die.event(lambda w: w % 2 == 0)
        Event({2, 4, 6})
    """

    __slots__ = ("_hash", "_index", "_points")

    _points: Sequence[Hashable]
    _index: dict[Hashable, int] | None
    _hash: int | None

    def __init__(self, points: Iterable[Hashable]) -> None:
        try:
            head = list(itertools.islice(points, MAX_POINTS + 1))
        except TypeError:
            raise TypeError(
                f"points must be an iterable of sample points, not "
                f"{type(points).__name__} {points!r}."
            ) from None
        if len(head) > MAX_POINTS:
            raise TensorNotesError(
                f"points has more than {MAX_POINTS} sample points; a SampleSpace is finite "
                "and small enough to list."
            )
        try:
            index = {point: i for i, point in enumerate(head)}
        except TypeError:
            bad = next(p for p in head if not isinstance(p, Hashable))
            raise TypeError(
                f"sample point {bad!r} is unhashable ({type(bad).__name__}); "
                "use tuples instead of lists."
            ) from None
        if len(index) < len(head):
            seen: set[Hashable] = set()
            for point in head:
                if point in seen:
                    raise TensorNotesError(
                        f"points lists the sample point {point!r} more than once; each "
                        "outcome of the experiment is one sample point."
                    )
                seen.add(point)
        self._points, self._index, self._hash = tuple(head), index, None
        if not self._points:
            raise TensorNotesError("points is empty; a sample space needs at least one outcome.")

    @classmethod
    def _regions(cls, n: int) -> SampleSpace:
        """The space whose points ``0 .. 2**n - 1`` are the regions of ``n`` events.

        The points stay a ``range``, so even ``2**24`` of them cost no memory.
        """
        space = object.__new__(cls)
        space._points, space._index, space._hash = range(1 << n), None, None
        return space

    def _position(self, point: Hashable) -> int | None:
        if self._index is None:
            if isinstance(point, int) and not isinstance(point, bool) and point in self._points:
                return self._points.index(point)
            return None
        try:
            return self._index.get(point)
        except TypeError:
            return None

    def __len__(self) -> int:
        return len(self._points)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._points)

    def __contains__(self, point: object) -> bool:
        return isinstance(point, Hashable) and self._position(point) is not None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SampleSpace):
            return NotImplemented
        return self is other or self._points == other._points

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple(self._points))
        return self._hash

    def __repr__(self) -> str:
        return f"SampleSpace({_listing(self._points, len(self))})"

    def event(self, spec: Iterable[Hashable] | Callable[[Any], object]) -> Event:
        """Make the event of the points listed in ``spec``, or of those where ``spec(w)`` is true.

        Args:
            spec: sample points of this space (a set, list, range...), or a
                predicate called once on every sample point.

        Raises:
            TensorNotesError: if ``spec`` lists a point that is not in this space.
            TypeError: if ``spec`` is neither iterable nor callable.

        Example:
            >>> die = SampleSpace(range(1, 7))
            >>> die.event({2, 3, 5})
            Event({2, 3, 5})
            >>> die.event(lambda w: w > 4)
            Event({5, 6})
        """
        if callable(spec) and not isinstance(spec, Event):
            mask = 0
            for i, point in enumerate(self._points):
                if spec(point):
                    mask |= 1 << i
            return Event._make(self, mask)
        if isinstance(spec, Event):
            self._same(spec, "event")
            return spec
        try:
            points = iter(spec)
        except TypeError:
            raise TypeError(
                f"spec must list sample points or be a predicate, not "
                f"{type(spec).__name__} {spec!r}; write space.event({{{spec!r}}}) for one point."
            ) from None
        mask = 0
        for point in points:
            position = self._position(point)
            if position is None:
                raise TensorNotesError(
                    f"spec lists {point!r}, which is not a sample point of {self!r}."
                )
            mask |= 1 << position
        return Event._make(self, mask)

    @property
    def certain(self) -> Event:
        """The certain event Ω itself.

        Example:
            >>> SampleSpace("HT").certain
            Event({'H', 'T'})
        """
        return Event._make(self, (1 << len(self)) - 1)

    @property
    def impossible(self) -> Event:
        """The impossible event ∅.

        Example:
            >>> SampleSpace("HT").impossible
            Event(∅)
        """
        return Event._make(self, 0)

    def events(self) -> Iterator[Event]:
        """Iterate over all ``2**len(self)`` events of this space, from ∅ to Ω.

        Example:
            >>> [e for e in SampleSpace("HT").events()]
            [Event(∅), Event({'H'}), Event({'T'}), Event({'H', 'T'})]
        """
        return (Event._make(self, mask) for mask in range(1 << len(self)))

    def _same(self, other: Event, op: str) -> None:
        if other._space is not self and other._space != self:
            raise TensorNotesError(
                f"cannot combine events of two different sample spaces with {op}: "
                f"{self!r} and {other._space!r}; make both events from one SampleSpace."
            )


class Event:
    """A set of sample points of one :class:`SampleSpace`; made by :meth:`SampleSpace.event`.

    Events support ``A | B`` (union, A∪B), ``A & B`` (intersection, A∩B or AB),
    ``~A`` (complement within A's space), ``A - B`` (difference, A∩Bᶜ),
    ``A ^ B`` (symmetric difference), ``A <= B`` (inclusion), ``==``,
    :meth:`isdisjoint`, ``len`` and iteration. Combining events of two
    different spaces raises :class:`~tensornotes.TensorNotesError`.

    Example:
        >>> die = SampleSpace(range(1, 7))
        >>> even, small = die.event({2, 4, 6}), die.event({1, 2, 3})
        >>> even | small, even & small, ~even
        (Event({1, 2, 3, 4, 6}), Event({2}), Event({1, 3, 5}))
        >>> even - small, even ^ small
        (Event({4, 6}), Event({1, 3, 4, 6}))
        >>> even & small <= even, len(even), list(even)
        (True, 3, [2, 4, 6])
    """

    __slots__ = ("_mask", "_space")

    _space: SampleSpace
    _mask: int

    def __init__(self) -> None:
        raise TypeError("make events with space.event(points or predicate), not Event().")

    @classmethod
    def _make(cls, space: SampleSpace, mask: int) -> Event:
        event = object.__new__(cls)
        event._space = space
        event._mask = mask
        return event

    @property
    def space(self) -> SampleSpace:
        """The sample space this event belongs to.

        Example:
            >>> SampleSpace("HT").event("H").space
            SampleSpace({'H', 'T'})
        """
        return self._space

    def _other(self, other: object, op: str) -> Event | None:
        if not isinstance(other, Event):
            return None
        self._space._same(other, op)
        return other

    def __or__(self, other: object) -> Event:
        o = self._other(other, "|")
        return NotImplemented if o is None else Event._make(self._space, self._mask | o._mask)

    def __and__(self, other: object) -> Event:
        o = self._other(other, "&")
        return NotImplemented if o is None else Event._make(self._space, self._mask & o._mask)

    def __sub__(self, other: object) -> Event:
        o = self._other(other, "-")
        return NotImplemented if o is None else Event._make(self._space, self._mask & ~o._mask)

    def __xor__(self, other: object) -> Event:
        o = self._other(other, "^")
        return NotImplemented if o is None else Event._make(self._space, self._mask ^ o._mask)

    def __invert__(self) -> Event:
        return Event._make(self._space, self._mask ^ ((1 << len(self._space)) - 1))

    def __add__(self, other: object) -> NoReturn:
        raise TypeError(
            "events have no +: the notes write A + B for the union of two disjoint "
            "events, which is A | B here (check A.isdisjoint(B) first if it matters)."
        )

    def __le__(self, other: object) -> bool:
        o = self._other(other, "<=")
        return NotImplemented if o is None else self._mask & ~o._mask == 0

    def __lt__(self, other: object) -> bool:
        o = self._other(other, "<")
        return NotImplemented if o is None else self <= o and self._mask != o._mask

    def __ge__(self, other: object) -> bool:
        o = self._other(other, ">=")
        return NotImplemented if o is None else o <= self

    def __gt__(self, other: object) -> bool:
        o = self._other(other, ">")
        return NotImplemented if o is None else o < self

    def __eq__(self, other: object) -> bool:
        o = self._other(other, "==")
        return NotImplemented if o is None else self._mask == o._mask

    def __hash__(self) -> int:
        return hash((self._space, self._mask))

    def isdisjoint(self, other: Event) -> bool:
        """Whether the two events share no sample point (AB = ∅, mutually exclusive).

        Example:
            >>> die = SampleSpace(range(1, 7))
            >>> die.event({1, 2}).isdisjoint(die.event({5, 6}))
            True
        """
        o = self._other(other, "isdisjoint")
        if o is None:
            raise TypeError(f"isdisjoint() takes an Event, not {type(other).__name__}.")
        return self._mask & o._mask == 0

    def __len__(self) -> int:
        return self._mask.bit_count()

    def __iter__(self) -> Iterator[Hashable]:
        mask, points = self._mask, self._space._points
        while mask:
            low = mask & -mask
            yield points[low.bit_length() - 1]
            mask ^= low

    def __contains__(self, point: object) -> bool:
        if not isinstance(point, Hashable):
            return False
        position = self._space._position(point)
        return position is not None and bool(self._mask >> position & 1)

    def __str__(self) -> str:
        return _listing(self, len(self)) if self._mask else "∅"

    def __repr__(self) -> str:
        return f"Event({self})"


def _require_event(value: object, argname: str, func: str) -> Event:
    if isinstance(value, Event):
        return value
    hint = ""
    if isinstance(value, (set, frozenset, list, tuple, range)):
        hint = f"; make one with space.event({value!r})"
    raise TypeError(
        f"{func} takes an Event as {argname}, not {type(value).__name__} {value!r}{hint}."
    )


def P(event: Event, given: Event | None = None) -> Fraction:  # noqa: N802 (the usual name)
    """Classical probability: the share of the sample space's points that ``event`` holds.

    ``P(A) = len(A) / len(Ω)``, exact. With ``given=B`` it is the conditional
    probability ``P(A | B) = len(A ∩ B) / len(B)``.

    Args:
        event: the event A.
        given: the event B to condition on, or ``None``.

    Raises:
        TypeError: if ``event`` or ``given`` is not an :class:`Event` (a plain
            set has no sample space to measure it against).
        TensorNotesError: if ``given`` is impossible, or the two events belong
            to different sample spaces.

    Example:
        >>> die = SampleSpace(range(1, 7))
        >>> prime, even = die.event({2, 3, 5}), die.event({2, 4, 6})
        >>> P(prime), P(prime & even), P(prime, given=even)
        (Fraction(1, 2), Fraction(1, 6), Fraction(1, 3))
    """
    a = _require_event(event, "event", "P()")
    if given is None:
        return Fraction(len(a), len(a._space))
    b = _require_event(given, "given", "P()")
    a._space._same(b, "P(event, given=...)")
    if not b._mask:
        raise TensorNotesError(
            f"P(event, given={b!r}) is undefined: the condition is the impossible event, "
            "whose probability is 0."
        )
    return Fraction(len(a & b), len(b))


def independent(*events: Event) -> bool:
    """Whether the events are (mutually) independent.

    Every choice of two or more of them must satisfy
    ``P(A ∩ B ∩ ...) = P(A) P(B) ...``; for two events that is the one
    condition ``P(AB) = P(A) P(B)``.

    Raises:
        TypeError: with fewer than two events, or an argument that is not an Event.
        TensorNotesError: if the events belong to different sample spaces.

    Example:
        >>> coins = SampleSpace(["HH", "HT", "TH", "TT"])
        >>> first = coins.event(lambda w: w[0] == "H")
        >>> second = coins.event(lambda w: w[1] == "H")
        >>> same = coins.event(lambda w: w[0] == w[1])
        >>> independent(first, second), independent(first, same), independent(second, same)
        (True, True, True)
        >>> independent(first, second, same)   # pairwise, but not mutually
        False
    """
    if len(events) < 2:
        raise TypeError(f"independent() needs at least two events, got {len(events)}.")
    checked = [
        _require_event(e, f"argument {i + 1}", "independent()") for i, e in enumerate(events)
    ]
    for e in checked[1:]:
        checked[0]._space._same(e, "independent()")
    for size in range(2, len(checked) + 1):
        for group in itertools.combinations(checked, size):
            meet = group[0]
            product = Fraction(1)
            for e in group:
                meet = meet & e
                product *= P(e)
            if P(meet) != product:
                return False
    return True


# --- Identities ---------------------------------------------------------------------


def _column_mask(i: int, n: int) -> int:
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


Value = Union[Event, list[tuple[int, Event | None]]]  # noqa: UP007 (a runtime alias on 3.10)


@dataclass(frozen=True)
class _Side:
    """One side of an identity, from a string or a callable, ready to evaluate."""

    argname: str
    text: str
    names: tuple[str, ...]
    measure: str | None
    is_number: bool
    expr: _expr.Expr | None = None
    func: Callable[..., object] | None = None

    def evaluate(self, env: dict[str, Event], space: SampleSpace) -> Value:
        if self.func is not None:
            result = self.func(*(env[name] for name in self.names))
            if not isinstance(result, Event):
                raise TypeError(
                    f"{self.argname} returned {type(result).__name__} {result!r}, not an Event; "
                    "a side of an identity must combine its events with | & ~ - ^."
                )
            space._same(result, self.argname)
            return result
        assert self.expr is not None
        if not self.is_number:
            return _evaluate_set(self.expr, env, space)  # type: ignore[arg-type]
        terms = _expr.linear_terms(self.expr)  # type: ignore[arg-type]
        return [(c, None if e is None else _evaluate_set(e, env, space)) for c, e in terms]


def _evaluate_set(expr: _expr.SetExpr, env: dict[str, Event], space: SampleSpace) -> Event:
    if isinstance(expr, _expr.Var):
        return env[expr.name]
    if isinstance(expr, _expr.Const):
        return space.certain if expr.certain else space.impossible
    if isinstance(expr, _expr.Complement):
        return ~_evaluate_set(expr.operand, env, space)
    left = _evaluate_set(expr.left, env, space)
    right = _evaluate_set(expr.right, env, space)
    if expr.op == "|":
        return left | right
    if expr.op == "&":
        return left & right
    if expr.op == "-":
        return left - right
    return left ^ right


def _side(value: object, argname: str) -> _Side:
    if isinstance(value, str):
        return _parse_side(value, argname)
    return _callable_side(value, argname)


@functools.lru_cache(maxsize=1024)
def _parse_side(value: str, argname: str) -> _Side:
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
    return _Side(
        argname,
        _expr.to_math(tree),
        tuple(_expr.variables(tree)),
        measure,
        is_number,
        expr=tree,
    )


def _callable_side(value: object, argname: str) -> _Side:
    if isinstance(value, Event):
        raise TypeError(
            f"{argname} is one Event, {value!r}; to check an identity for all events pass a "
            "function of events, such as lambda A, B: A | B, or a string such as 'A | B'."
        )
    if not callable(value):
        raise TypeError(
            f"{argname} must be a string such as '(A | B) & C' or a function of events such "
            f"as lambda A, B, C: (A | B) & C, not {type(value).__name__} {value!r}."
        )
    try:
        signature = inspect.signature(value)
    except (TypeError, ValueError):
        raise TypeError(f"{argname} {value!r} has no signature to read its events from.") from None
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
    return _Side(argname, text, tuple(names), None, False, func=value)


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
    except Exception:
        return None
    return _expr.to_math(result.expr) if isinstance(result, _Symbol) else None


def _names(left: _Side, right: _Side) -> tuple[str, ...]:
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


def _bits(mask: int, length: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    raw = np.frombuffer(mask.to_bytes((length + 7) // 8 or 1, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:length].astype(np.int64)


def _numbers(value: Value, space: SampleSpace) -> np.ndarray[Any, np.dtype[np.int64]]:
    """The per-point value of a linear count expression: a vector over the sample points."""
    assert isinstance(value, list)
    total = np.zeros(len(space), dtype=np.int64)
    for coefficient, event in value:
        mask = space.certain._mask if event is None else event._mask
        total += coefficient * _bits(mask, len(space))
    return total


def _measure(value: Value, measure: str | None, space: SampleSpace) -> Fraction | int:
    assert isinstance(value, list)
    count = sum(c * (len(space) if e is None else len(e)) for c, e in value)
    return Fraction(count, len(space)) if measure == "P" else count


@dataclass(frozen=True)
class Counterexample:
    """A concrete sample space and events on which the two sides of an identity differ.

    Attributes:
        space: the sample space Ω.
        events: each event of the identity, by name, in order.
        point: a sample point in one side but not the other (for a counting
            identity, the point whose region makes the counts differ).
        lhs: the left side evaluated on these events (an Event, or a number for
            a counting identity).
        rhs: the right side evaluated on these events.
    """

    space: SampleSpace
    events: dict[str, Event]
    point: Hashable
    lhs: Event | Fraction | int
    rhs: Event | Fraction | int


@dataclass(frozen=True)
class IdentityResult:
    """The verdict of :func:`check_identity`; true in a boolean context when the identity holds.

    Attributes:
        holds: whether the identity holds for all events of all sample spaces.
        lhs: the left side in set notation.
        rhs: the right side in set notation.
        names: the events the identity is about, in order.
        regions: how many regions of the Venn diagram were checked (``2**n``).
        differing: on how many of them the two sides differ.
        counterexample: a concrete counterexample when the identity fails, else ``None``.
    """

    holds: bool
    lhs: str
    rhs: str
    names: tuple[str, ...]
    regions: int
    differing: int
    counterexample: Counterexample | None = None
    _sides: tuple[_Side, _Side] | None = field(default=None, init=False, repr=False, compare=False)

    def __bool__(self) -> bool:
        return self.holds

    def __str__(self) -> str:
        events = f"all events {', '.join(self.names)} of " if self.names else ""
        where = f"all {self.regions} regions" if self.regions > 1 else "its one region"
        if self.holds:
            return (
                f"{self.lhs} = {self.rhs} holds for {events}every sample space: the two "
                f"sides agree on {where} of the Venn diagram."
            )
        ce = self.counterexample
        assert ce is not None
        lines = [
            f"{self.lhs} = {self.rhs} is false: the two sides differ on {self.differing} of "
            f"the {self.regions} regions of the Venn diagram.",
            f"Counterexample: Ω = {ce.space.certain}"
            + "".join(f", {name} = {event}" for name, event in ce.events.items())
            + ".",
        ]
        membership = [
            f"in {name}" if ce.point in event else f"not in {name}"
            for name, event in ce.events.items()
        ]
        if membership:
            lines.append(f"The sample point {ce.point!r} is {', '.join(membership)}.")
        if isinstance(ce.lhs, Event) and isinstance(ce.rhs, Event):
            inside, outside = ("left", "right") if ce.point in ce.lhs else ("right", "left")
            lines.append(
                f"It belongs to the {inside} side, {self.lhs if inside == 'left' else self.rhs}"
                f" = {ce.lhs if inside == 'left' else ce.rhs}, but not to the {outside} side, "
                f"{self.rhs if inside == 'left' else self.lhs} = "
                f"{ce.rhs if inside == 'left' else ce.lhs}."
            )
        else:
            lines.append(
                f"There the left side {self.lhs} is {ce.lhs} but the right side {self.rhs} "
                f"is {ce.rhs}."
            )
        return "\n".join(lines)

    def plot(self, ax: matplotlib.axes.Axes | None = None) -> matplotlib.axes.Axes:
        """Draw the Venn diagram of the counterexample with the offending region highlighted.

        When the identity holds there is no counterexample; the diagram then
        shows the region both sides describe. Needs 1 to 3 events.

        Args:
            ax: the matplotlib Axes to draw on; a new figure when ``None``.

        Returns:
            The Axes drawn on.

        Example:
            >>> result = check_identity("(A | B) & C", "(A & C) & (B & C)")
            >>> print(result.plot().get_title())
            counterexample: 6 ∈ (A ∪ B) ∩ C
            but 6 ∉ (A ∩ C) ∩ (B ∩ C)
            >>> import matplotlib.pyplot as plt
            >>> plt.close("all")
        """
        n = len(self.names)
        if not 1 <= n <= 3:
            raise TensorNotesError(
                f"a Venn diagram shows 1 to 3 events; this identity has {n} ({self.names})."
            )
        if self.counterexample is None:
            assert self._sides is not None
            _, events = _display_space(n)
            regions, env = _regions(self.names)
            value = self._sides[0].evaluate(env, regions)
            assert isinstance(value, Event)
            return _draw(
                events,
                self.names,
                "elements",
                set(value),  # type: ignore[arg-type]
                universe=True,
                title=f"{self.lhs} = {self.rhs}",
                shade_color="tab:green",
                ax=ax,
            )
        ce = self.counterexample
        region = sum(1 << i for i, event in enumerate(ce.events.values()) if ce.point in event)
        if isinstance(ce.lhs, Event) and isinstance(ce.rhs, Event):
            yes, no = (self.lhs, self.rhs) if ce.point in ce.lhs else (self.rhs, self.lhs)
            title = f"counterexample: {ce.point} ∈ {yes}\nbut {ce.point} ∉ {no}"
        else:
            title = f"counterexample: {self.lhs} = {ce.lhs}\nbut {self.rhs} = {ce.rhs}"
        return _draw(
            list(ce.events.values()),
            self.names,
            "elements",
            {region},
            universe=True,
            title=title,
            shade_color="tab:red",
            ax=ax,
        )


def _regions(names: Sequence[str]) -> tuple[SampleSpace, dict[str, Event]]:
    """The space of the ``2**n`` regions of ``n`` events, and each event as a bitset on it."""
    n = len(names)
    space = SampleSpace._regions(n)
    return space, {name: Event._make(space, _column_mask(i, n)) for i, name in enumerate(names)}


def _display_space(n: int) -> tuple[SampleSpace, list[Event]]:
    """One point per region of ``n`` events: ``1 .. 2**n``, point ``r + 1`` in region ``r``."""
    space = SampleSpace(range(1, (1 << n) + 1))
    return space, [Event._make(space, _column_mask(i, n)) for i in range(n)]


def check_identity(
    lhs: str | Callable[..., Event],
    rhs: str | Callable[..., Event],
) -> IdentityResult:
    """Decide whether ``lhs = rhs`` holds for all events of every sample space.

    Each side is a function of events, such as ``lambda A, B, C: (A | B) & C``,
    or a string such as ``"(A | B) & C"`` that is parsed, never evaluated.
    Strings may also state counting identities with ``len(X)`` or ``P(X)``,
    such as ``"len(A | B)"`` and ``"len(A) + len(B) - len(A & B)"``; there a
    whole number ``c`` beside ``P(...)`` stands for ``c · P(Ω)``.

    Every sample point lies in one region of the Venn diagram of the ``n``
    events, and both sides treat all points of a region alike, so checking
    the ``2**n`` regions decides the identity. They are checked all at once,
    as bits of one Python ``int`` per event.

    Args:
        lhs: the left side.
        rhs: the right side.

    Returns:
        An :class:`IdentityResult`: ``holds``, and a ``counterexample`` when it fails.

    Raises:
        TensorNotesError: for a malformed string, an unknown name, a side that
            uses an event the other side's function does not take, an event
            and a number compared, or more than 24 events.
        TypeError: for a side that is neither a string nor a function, two
            functions that take different numbers of events, or a function
            that returns something other than an Event.

    Example:
        >>> check_identity("(A | B) & C", "(A & C) | (B & C)").holds
        True
        >>> result = check_identity(lambda A, B, C: (A | B) & C, lambda A, B, C: (A & C) & (B & C))
        >>> result.holds, result.differing, result.regions
        (False, 2, 8)
        >>> print(result)
        (A ∪ B) ∩ C = (A ∩ C) ∩ (B ∩ C) is false: the two sides differ on 2 of the 8 regions ...
        Counterexample: Ω = {1, 2, 3, 4, 5, 6, 7, 8}, A = {2, 4, 6, 8}, B = {3, 4, 7, 8}, C = {5, 6, 7, 8}.
        The sample point 6 is in A, not in B, in C.
        It belongs to the left side, (A ∪ B) ∩ C = {6, 7, 8}, but not to the right side, (A ∩ C) ∩ (B ∩ C) = {8}.
    """  # noqa: E501
    left, right = _side(lhs, "lhs"), _side(rhs, "rhs")
    if left.is_number != right.is_number:
        number, event = (left, right) if left.is_number else (right, left)
        raise TensorNotesError(
            f"{number.argname} {number.text!r} is a number but {event.argname} {event.text!r} "
            "is an event; compare events with events and counts with counts."
        )
    measure = left.measure or right.measure
    if left.measure and right.measure and left.measure != right.measure:
        raise TensorNotesError(
            f"lhs {left.text!r} counts with {left.measure}(...) but rhs {right.text!r} with "
            f"{right.measure}(...); use one of them on both sides."
        )
    names = _names(left, right)
    n = len(names)
    if n > MAX_VARIABLES:
        raise TensorNotesError(
            f"the identity names {n} events; check_identity decides identities of at most "
            f"{MAX_VARIABLES} events (2**{MAX_VARIABLES} regions)."
        )
    regions, env = _regions(names)
    lvalue, rvalue = left.evaluate(env, regions), right.evaluate(env, regions)
    if left.is_number:
        difference = _numbers(lvalue, regions) - _numbers(rvalue, regions)
        wrong = np.flatnonzero(difference)
        differing = len(wrong)
        first = int(wrong[0]) if differing else -1
    else:
        assert isinstance(lvalue, Event)
        assert isinstance(rvalue, Event)
        diff = lvalue._mask ^ rvalue._mask
        differing = diff.bit_count()
        first = (diff & -diff).bit_length() - 1
    result = IdentityResult(
        holds=differing == 0,
        lhs=left.text,
        rhs=right.text,
        names=names,
        regions=1 << n,
        differing=differing,
        counterexample=(
            _counterexample(left, right, names, first, measure) if differing else None
        ),
    )
    # Kept for plot() only, outside the public signature; the result stays frozen.
    object.__setattr__(result, "_sides", (left, right))
    return result


def _counterexample(
    left: _Side, right: _Side, names: tuple[str, ...], region: int, measure: str | None
) -> Counterexample:
    n = len(names)
    if n <= 3 and not left.is_number:
        space, events = _display_space(n)
        point: Hashable = region + 1
    else:
        space = SampleSpace([1])
        events = [space.event([1] if region >> i & 1 else []) for i in range(n)]
        point = 1
    env = dict(zip(names, events, strict=True))
    lvalue, rvalue = left.evaluate(env, space), right.evaluate(env, space)
    if left.is_number:
        lnum, rnum = _measure(lvalue, measure, space), _measure(rvalue, measure, space)
        return Counterexample(space, env, point, lnum, rnum)
    assert isinstance(lvalue, Event)
    assert isinstance(rvalue, Event)
    return Counterexample(space, env, point, lvalue, rvalue)


# --- The catalogue of laws ------------------------------------------------------------


@dataclass(frozen=True)
class Law:
    """A law of the algebra of events: a name and the two sides, as strings.

    Example:
        >>> law = Law("first distributive law", "(A | B) & C", "(A & C) | (B & C)")
        >>> print(law)
        first distributive law: (A ∪ B) ∩ C = (A ∩ C) ∪ (B ∩ C)
        >>> law.check().holds
        True
    """

    name: str
    lhs: str
    rhs: str

    def check(self) -> IdentityResult:
        """Check the law with :func:`check_identity`."""
        return check_identity(self.lhs, self.rhs)

    def __str__(self) -> str:
        left = _expr.to_math(_expr.parse(self.lhs, argname="lhs"))
        right = _expr.to_math(_expr.parse(self.rhs, argname="rhs"))
        return f"{self.name}: {left} = {right}"


_LAWS = (
    Law("commutative law of union", "A | B", "B | A"),
    Law("commutative law of intersection", "A & B", "B & A"),
    Law("associative law of union", "(A | B) | C", "A | (B | C)"),
    Law("associative law of intersection", "(A & B) & C", "A & (B & C)"),
    Law("first distributive law", "(A | B) & C", "(A & C) | (B & C)"),
    Law("second distributive law", "(A & B) | C", "(A | C) & (B | C)"),
    Law("De Morgan's law for a union", "~(A | B)", "~A & ~B"),
    Law("De Morgan's law for an intersection", "~(A & B)", "~A | ~B"),
    Law("absorption law of union", "A | (A & B)", "A"),
    Law("absorption law of intersection", "A & (A | B)", "A"),
    Law("complement law of union", "A | ~A", "Ω"),
    Law("complement law of intersection", "A & ~A", "∅"),
    Law("double complement", "~~A", "A"),
    Law("idempotent law of union", "A | A", "A"),
    Law("idempotent law of intersection", "A & A", "A"),
    Law("difference law", "A - B", "A & ~B"),
    Law("inclusion–exclusion for two events", "len(A | B)", "len(A) + len(B) - len(A & B)"),
    Law(
        "inclusion–exclusion for three events",
        "len(A | B | C)",
        "len(A) + len(B) + len(C) - len(A & B) - len(A & C) - len(B & C) + len(A & B & C)",
    ),
    Law("addition rule", "P(A | B)", "P(A) + P(B) - P(A & B)"),
    Law("complement rule", "P(~A)", "1 - P(A)"),
)


def laws() -> tuple[Law, ...]:
    """The catalogue of the algebra of events, each law checkable with :meth:`Law.check`.

    Commutative, associative and both distributive laws, both De Morgan laws,
    absorption, complement, double complement, idempotence, ``A − B = A ∩ Bᶜ``,
    inclusion–exclusion for counts, and the addition and complement rules of
    probability.

    Example:
        >>> catalogue = laws()
        >>> len(catalogue), all(law.check().holds for law in catalogue)
        (20, True)
        >>> print(catalogue[6])
        De Morgan's law for a union: (A ∪ B)ᶜ = Aᶜ ∩ Bᶜ
    """
    return _LAWS


# --- Venn diagrams -----------------------------------------------------------------


def venn(
    *events: Event,
    universe: bool = True,
    shade: str | Callable[..., Event] | None = None,
    labels: str | None = "elements",
    names: Sequence[str] | None = None,
    title: str | None = None,
    shade_color: str = "tab:orange",
    ax: matplotlib.axes.Axes | None = None,
) -> matplotlib.axes.Axes:
    """Draw a Venn diagram of 1, 2 or 3 events of one sample space.

    The universe Ω is drawn as a box around the circles, and each sample
    point is written in its region, including the points outside every event.

    Args:
        events: one to three events of the same sample space.
        universe: draw the box for Ω.
        shade: the region to fill, as a string over the names (``"~(A | B)"``)
            or a function of the events (``lambda A, B: ~(A | B)``); regions
            outside the circles are filled too.
        labels: ``"elements"`` writes the sample points in their regions,
            ``"counts"`` how many there are, ``None`` nothing.
        names: the events' names; ``A``, ``B``, ``C`` by default.
        title: the Axes title; by default the shaded expression, if any.
        shade_color: the colour of the shaded region.
        ax: the matplotlib Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes drawn on.

    Raises:
        TypeError: for an argument that is not an Event.
        TensorNotesError: for no or more than three events, events of different
            spaces, a bad ``labels``, or a ``shade`` that names an unknown event.

    Example:
        >>> die = SampleSpace(range(1, 7))
        >>> ax = venn(die.event({1, 2, 3}), die.event({2, 4, 6}), shade="~(A | B)")
        >>> ax.get_title()
        '(A ∪ B)ᶜ'
        >>> sorted(t.get_text() for t in ax.texts)
        ['1, 3', '2', '4, 6', '5', 'A', 'B', 'Ω']
        >>> import matplotlib.pyplot as plt
        >>> plt.close("all")
    """
    if not 1 <= len(events) <= 3:
        raise TensorNotesError(f"venn() draws 1 to 3 events, got {len(events)}.")
    checked = [_require_event(e, f"event {i + 1}", "venn()") for i, e in enumerate(events)]
    space = checked[0]._space
    for e in checked[1:]:
        space._same(e, "venn()")
    n = len(checked)
    label_names = tuple(names) if names is not None else ("A", "B", "C")[:n]
    if len(label_names) != n:
        raise TensorNotesError(f"names gives {len(label_names)} names for {n} events.")
    if labels not in ("elements", "counts", None):
        raise TensorNotesError(f"labels={labels!r} is not one of 'elements', 'counts' or None.")
    shaded: set[int] = set()
    if shade is not None:
        side = _side(shade, "shade")
        if side.is_number:
            raise TensorNotesError(f"shade {side.text!r} is a number, not an event.")
        if side.func is not None and len(side.names) != n:
            raise TypeError(f"shade takes {len(side.names)} events but venn() draws {n}.")
        unknown = [name for name in side.names if name not in label_names]
        if side.func is None and unknown:
            raise TensorNotesError(
                f"shade uses the unknown name {unknown[0]!r}; the events are named "
                f"{', '.join(label_names)}."
            )
        regions, env = _regions(side.names if side.func is not None else label_names)
        value = side.evaluate(env, regions)
        assert isinstance(value, Event)
        shaded = set(value)  # type: ignore[arg-type]
        if title is None:
            title = side.text
    return _draw(
        checked,
        label_names,
        labels,
        shaded,
        universe=universe,
        title=title,
        shade_color=shade_color,
        ax=ax,
    )


def _draw(
    events: Sequence[Event],
    names: Sequence[str],
    labels: str | None,
    shaded: set[int],
    *,
    universe: bool,
    title: str | None,
    shade_color: str,
    ax: matplotlib.axes.Axes | None,
) -> matplotlib.axes.Axes:
    """Sort the sample points into regions and hand everything to the plotting module."""
    from tensornotes import _events_plot

    n = len(events)
    space = events[0]._space
    points: dict[int, list[Hashable]] = {r: [] for r in range(1 << n)}
    for position, point in enumerate(space._points):
        region = sum((e._mask >> position & 1) << i for i, e in enumerate(events))
        points[region].append(point)
    texts: dict[int, list[str]] = {}
    if labels == "elements":
        texts = {r: [str(p) for p in pts] for r, pts in points.items() if pts}
    elif labels == "counts":
        texts = {r: [str(len(pts))] for r, pts in points.items()}
    return _events_plot.draw_venn(
        tuple(names), texts, shaded, universe=universe, title=title, shade_color=shade_color, ax=ax
    )
