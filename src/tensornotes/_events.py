"""Finite sample spaces, their events, and classical probability.

An *event* is a set of sample points of a finite :class:`SampleSpace`. Events
combine with ``|`` (union), ``&`` (intersection), ``~`` (complement within
their own space), ``-`` (difference) and ``^`` (symmetric difference), and
:func:`P` gives their classical probability as an exact
:class:`~fractions.Fraction`; :func:`independent` checks mutual independence.

Each event stores its points as one Python ``int`` used as a bitset: bit ``i``
says whether the ``i``-th sample point belongs to it. Every operation is then
one big-integer operation, and converting between bitsets and positions goes
through numpy's packed bits, in time linear in the size of the space.
"""

from __future__ import annotations

import itertools
import reprlib
import sys
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from fractions import Fraction
from typing import Any, NoReturn

import numpy as np

from tensornotes._errors import TensorNotesError

__all__ = ["MAX_INDEPENDENT", "MAX_POINTS", "Event", "P", "SampleSpace", "independent"]

MAX_POINTS = 1_000_000
"""Largest sample space accepted; an iterable that goes on longer is refused."""

MAX_INDEPENDENT = 16
"""Most events of probability strictly between 0 and 1 that :func:`independent` checks."""

_SHOWN = 12

_repr = reprlib.Repr()
_repr.maxlevel, _repr.maxstring, _repr.maxother, _repr.maxlong = 4, 60, 60, 60
_repr.maxtuple = _repr.maxlist = _repr.maxset = _repr.maxfrozenset = _repr.maxdict = 12


def short_repr(value: object) -> str:
    """``repr(value)``, cut short for a message: never huge, never too deep to print."""
    try:
        return _repr.repr(value)
    except Exception:  # a repr that fails is the value's own bug; still name its type
        return f"<{type(value).__name__} object>"


def _listing(items: Iterable[object], total: int) -> str:
    shown: list[str] = []
    for item in items:
        if len(shown) == _SHOWN:
            break
        shown.append(short_repr(item))
    if total > _SHOWN:
        shown.append(f"... ({total} in all)")
    return "{" + ", ".join(shown) + "}"


def mask_bits(mask: int, length: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """The bitset ``mask`` as ``length`` bytes of 0 or 1, bit ``i`` at index ``i``."""
    raw = np.frombuffer(mask.to_bytes((length + 7) // 8 or 1, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:length]


def mask_from_bits(bits: np.ndarray[Any, Any]) -> int:
    """The bitset whose bit ``i`` is set where ``bits[i]`` is true."""
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")


def _is_tensor(value: object) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def _refuse_tensor(value: object, argname: str) -> None:
    if _is_tensor(value):
        raise TypeError(
            f"{argname} is a torch.Tensor, whose elements are tensors that compare by "
            f"identity, not by value; pass {argname}.tolist() to list plain numbers."
        )


class SampleSpace:
    """A finite sample space Ω: the set of all outcomes of an experiment.

    Args:
        points: the sample points, any hashable values, each listed once. The
            order is kept for display. At most a million points.

    Raises:
        TensorNotesError: if ``points`` is empty, lists a point twice, or has
            more than a million points.
        TypeError: if ``points`` is not iterable, is a tensor, or a point is unhashable.

    Example:
        >>> die = SampleSpace(range(1, 7))
        >>> die
        SampleSpace({1, 2, 3, 4, 5, 6})
        >>> len(die), 3 in die
        (6, True)
        >>> die.event(lambda w: w % 2 == 0)
        Event({2, 4, 6})
    """

    __slots__ = ("_full", "_hash", "_index", "_points")

    _points: Sequence[Hashable]
    _index: dict[Hashable, int] | None
    _hash: int | None
    _full: int | None

    def __init__(self, points: Iterable[Hashable]) -> None:
        _refuse_tensor(points, "points")
        try:
            iterator = iter(points)
        except TypeError:
            raise TypeError(
                f"points must be an iterable of sample points, not "
                f"{type(points).__name__} {short_repr(points)}."
            ) from None
        head = list(itertools.islice(iterator, MAX_POINTS + 1))
        if len(head) > MAX_POINTS:
            raise TensorNotesError(
                f"points has more than {MAX_POINTS} sample points; a SampleSpace is finite "
                "and small enough to list."
            )
        # A range lists distinct ints: its index can wait until a point is looked up.
        index = None if isinstance(points, range) else self._index_of(head)
        self._points, self._index, self._hash, self._full = tuple(head), index, None, None
        if not self._points:
            raise TensorNotesError("points is empty; a sample space needs at least one outcome.")

    @staticmethod
    def _index_of(head: list[Hashable]) -> dict[Hashable, int]:
        """Each point's position, refusing unhashable and repeated points."""
        try:
            index = dict(zip(head, range(len(head)), strict=True))
        except TypeError:
            bad = next(p for p in head if not _hashable(p))
            raise TypeError(
                f"sample point {short_repr(bad)} is unhashable ({type(bad).__name__}); "
                "use tuples instead of lists."
            ) from None
        if len(index) < len(head):
            seen: set[Hashable] = set()
            for point in head:
                if point in seen:
                    raise TensorNotesError(
                        f"points lists the sample point {short_repr(point)} more than once; "
                        "each outcome of the experiment is one sample point."
                    )
                seen.add(point)
        return index

    @classmethod
    def _regions(cls, n: int) -> SampleSpace:
        """The space whose points ``0 .. 2**n - 1`` are the regions of ``n`` events.

        The points stay a ``range``, so even ``2**24`` of them cost no memory.
        """
        space = object.__new__(cls)
        space._points, space._index, space._hash, space._full = range(1 << n), None, None, None
        return space

    def _full_mask(self) -> int:
        """The bitset of every sample point, made once per space."""
        if self._full is None:
            self._full = (1 << len(self._points)) - 1
        return self._full

    def _position(self, point: object) -> int | None:
        if isinstance(self._points, range):  # the regions 0 .. 2**n - 1, found by arithmetic
            if isinstance(point, int) and not isinstance(point, bool) and point in self._points:
                return self._points.index(point)
            return None
        if self._index is None:
            self._index = self._index_of(list(self._points))
        try:
            return self._index.get(point)
        except TypeError:
            return None

    def __len__(self) -> int:
        return len(self._points)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._points)

    def __contains__(self, point: object) -> bool:
        return self._position(point) is not None

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

        Both take time linear in the size of the space; a listing may name at
        most a million points (repeats included).

        Args:
            spec: sample points of this space (a set, list, range...), or a
                predicate called once on every sample point.

        Raises:
            TensorNotesError: if ``spec`` lists a point that is not in this space,
                or lists more than a million.
            TypeError: if ``spec`` is neither iterable nor callable, is a tensor,
                or a predicate returns something that is neither true nor false.

        Example:
            >>> die = SampleSpace(range(1, 7))
            >>> die.event({2, 3, 5})
            Event({2, 3, 5})
            >>> die.event(lambda w: w > 4)
            Event({5, 6})
        """
        if isinstance(spec, Event):
            self._same(spec, "event")
            return spec
        _refuse_tensor(spec, "spec")
        if callable(spec):
            return Event._make(self, self._mask_where(spec))
        try:
            points = iter(spec)
        except TypeError:
            raise TypeError(
                f"spec must list sample points or be a predicate, not "
                f"{type(spec).__name__} {short_repr(spec)}; write "
                f"space.event({{{short_repr(spec)}}}) for one point."
            ) from None
        positions: list[int] = []
        for point in points:
            if len(positions) == MAX_POINTS:
                raise TensorNotesError(
                    f"spec lists more than {MAX_POINTS} points; a sample space has at most "
                    f"{MAX_POINTS}, so list each point once."
                )
            position = self._position(point)
            if position is None:
                raise TensorNotesError(
                    f"spec lists {short_repr(point)}, which is not a sample point of {self!r}."
                )
            positions.append(position)
        bits = np.zeros(len(self), dtype=np.uint8)
        bits[positions] = 1
        return Event._make(self, mask_from_bits(bits))

    def _mask_where(self, predicate: Callable[[Any], object]) -> int:
        verdicts = [predicate(point) for point in self._points]
        try:
            flags = np.fromiter(map(bool, verdicts), dtype=bool, count=len(verdicts))
        except Exception:  # a verdict with no single truth value, such as a tensor of many
            for point, verdict in zip(self._points, verdicts, strict=True):
                try:
                    bool(verdict)
                except Exception as exc:
                    raise TypeError(
                        f"spec returned {type(verdict).__name__} {short_repr(verdict)} for "
                        f"the sample point {short_repr(point)}, which is neither true nor "
                        f"false ({exc}); a predicate returns a bool."
                    ) from exc
            raise  # every verdict converts one by one: not reached
        return mask_from_bits(flags)

    @property
    def certain(self) -> Event:
        """The certain event Ω itself.

        Example:
            >>> SampleSpace("HT").certain
            Event({'H', 'T'})
        """
        return Event._make(self, self._full_mask())

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

        The iterator is lazy: it makes each event when it is asked for.

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


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


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
        # a ^ (a & b) rather than a & ~b: ~ of a big int makes a negative one, slower to combine.
        return (
            NotImplemented
            if o is None
            else Event._make(self._space, self._mask ^ (self._mask & o._mask))
        )

    def __xor__(self, other: object) -> Event:
        o = self._other(other, "^")
        return NotImplemented if o is None else Event._make(self._space, self._mask ^ o._mask)

    def __invert__(self) -> Event:
        return Event._make(self._space, self._mask ^ self._space._full_mask())

    def __add__(self, other: object) -> NoReturn:
        raise TypeError(
            "events have no +: the notes write A + B for the union of two disjoint "
            "events, which is A | B here (check A.isdisjoint(B) first if it matters)."
        )

    def __le__(self, other: object) -> bool:
        o = self._other(other, "<=")
        return NotImplemented if o is None else self._mask & o._mask == self._mask

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

    def _positions(self) -> list[int]:
        """The positions of this event's points in its space, in order."""
        found: list[int] = np.flatnonzero(mask_bits(self._mask, len(self._space))).tolist()
        return found

    def __len__(self) -> int:
        return self._mask.bit_count()

    def __iter__(self) -> Iterator[Hashable]:
        points = self._space._points
        return (points[i] for i in self._positions())

    def __contains__(self, point: object) -> bool:
        position = self._space._position(point)
        return position is not None and bool(self._mask >> position & 1)

    def __str__(self) -> str:
        return _listing(self, len(self)) if self._mask else "∅"

    def __repr__(self) -> str:
        return f"Event({self})"


def require_event(value: object, argname: str, func: str) -> Event:
    """``value`` if it is an Event; else a TypeError naming ``argname`` of ``func``."""
    if isinstance(value, Event):
        return value
    hint = ""
    if isinstance(value, (set, frozenset, list, tuple, range)):
        hint = f"; make one with space.event({short_repr(value)})"
    raise TypeError(
        f"{func} takes an Event as {argname}, not {type(value).__name__} "
        f"{short_repr(value)}{hint}."
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
    a = require_event(event, "event", "P()")
    if given is None:
        return Fraction(len(a), len(a._space))
    b = require_event(given, "given", "P()")
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
    condition ``P(AB) = P(A) P(B)``. An event of probability 0 or 1 is
    independent of any others and is left out; of the remaining events at
    most 16 are checked (``2**16`` choices), since ``k`` independent events of
    probability strictly between 0 and 1 need ``2**k`` sample points.

    The count of points in every intersection comes from one pass over the
    space: each point's pattern of memberships is tallied, and a sum over
    supersets of patterns gives all ``2**k`` intersections at once.

    Raises:
        TypeError: with fewer than two events, or an argument that is not an Event.
        TensorNotesError: if the events belong to different sample spaces, or
            more than 16 of them have a probability strictly between 0 and 1.

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
        require_event(e, f"argument {i + 1}", "independent()") for i, e in enumerate(events)
    ]
    space = checked[0]._space
    for e in checked[1:]:
        space._same(e, "independent()")
    total = len(space)
    # P(S ∩ E) = P(S) P(E) for every S when P(E) is 0 or 1, so such an E changes nothing.
    masks = [e._mask for e in checked if 0 < len(e) < total]
    if len(set(masks)) < len(masks):
        return False  # P(E ∩ E) = P(E) differs from P(E)**2 when 0 < P(E) < 1
    k = len(masks)
    if k < 2:
        return True
    if k > MAX_INDEPENDENT:
        raise TensorNotesError(
            f"independent() got {k} events whose probability is neither 0 nor 1; it checks "
            f"at most {MAX_INDEPENDENT} (all 2**{MAX_INDEPENDENT} choices of them)."
        )
    pattern = np.zeros(total, dtype=np.int64)
    for i, mask in enumerate(masks):
        pattern |= mask_bits(mask, total).astype(np.int64) << i
    meets = np.bincount(pattern, minlength=1 << k)
    for i in range(k):  # afterwards meets[S] counts the points in every event of S
        halves = meets.reshape(-1, 2, 1 << i)
        halves[:, 0, :] += halves[:, 1, :]
    counts = meets.tolist()
    sizes = [m.bit_count() for m in masks]
    powers = [total**j for j in range(k)]
    products = [1] * (1 << k)
    for group in range(1, 1 << k):
        low = group & -group
        products[group] = products[group ^ low] * sizes[low.bit_length() - 1]
        # len(∩S) / N == Π len(E) / N**|S|, with both sides times N**|S|.
        if group != low and counts[group] * powers[group.bit_count() - 1] != products[group]:
            return False
    return True
