"""Deciding an identity between events, or between counts, for every sample space at once.

:func:`check_identity` decides whether an identity between events holds for
*all* events of *all* sample spaces. Both sides are built from the same
operations, so each sample point's membership depends only on which of the
events contain it: on its region of the Venn diagram. With ``n`` events there
are ``2**n`` regions, and the identity holds exactly when both sides agree on
each of them. The check therefore builds the sample space whose points *are*
the regions, evaluates both sides once on it with every event stored as a
Python ``int`` used as a bitset of length ``2**n``, and compares the two ints:
one pass of big-integer operations instead of a loop over truth-table rows.
A counting identity is decided by exact integer sums over the same regions
(:mod:`tensornotes._exact_counts`). When the sides differ, the first region
where they disagree becomes a small concrete counterexample.
"""

from __future__ import annotations

import fractions
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from tensornotes import _event_parser as _expr
from tensornotes._errors import TensorNotesError
from tensornotes._events import Event, SampleSpace
from tensornotes._exact_counts import differing_regions, require_work
from tensornotes._identity_sides import (
    Side,
    Value,
    display_space,
    evaluate_set,
    names_of,
    regions,
    side,
)

if TYPE_CHECKING:
    import matplotlib.axes

__all__ = ["MAX_VARIABLES", "Counterexample", "IdentityResult", "check_identity"]

MAX_VARIABLES = 24
"""Most events an identity may name: the bitsets then hold ``2**24`` bits (2 MiB)."""

MAX_BIT_OPERATIONS = 2**32
"""Most bits that evaluating both sides may combine: set operations times ``2**n``."""


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
    # fractions.Fraction, spelled out: the API reference reads these annotations
    # in the namespace of `tensornotes`, where this class is presented.
    lhs: Event | fractions.Fraction | int
    rhs: Event | fractions.Fraction | int


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
    _sides: tuple[Side, Side] | None = field(default=None, init=False, repr=False, compare=False)

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

    def plot(self, *, ax: matplotlib.axes.Axes | None = None) -> matplotlib.axes.Axes:
        """Draw the Venn diagram of the counterexample with the offending region highlighted.

        When the identity holds there is no counterexample; the diagram then
        shows the region both sides describe. Needs 1 to 3 events.

        Args:
            ax: the matplotlib Axes to draw on, keyword only; a new figure when ``None``.

        Returns:
            The Axes drawn on.

        Raises:
            TypeError: if ``ax`` is neither ``None`` nor a matplotlib Axes.
            TensorNotesError: if the identity names no event or more than three.

        Example:
            >>> result = check_identity("(A | B) & C", "(A & C) & (B & C)")
            >>> print(result.plot().get_title())
            counterexample: 6 ∈ (A ∪ B) ∩ C
            but 6 ∉ (A ∩ C) ∩ (B ∩ C)
            >>> import matplotlib.pyplot as plt
            >>> plt.close("all")
        """
        from tensornotes._venn import check_axes, draw_events

        check_axes(ax)
        n = len(self.names)
        if not 1 <= n <= 3:
            raise TensorNotesError(
                f"a Venn diagram shows 1 to 3 events; this identity has {n} ({self.names})."
            )
        if self.counterexample is None:
            assert self._sides is not None
            _, events = display_space(n)
            space, env = regions(self.names)
            value = self._sides[0].evaluate(env, space)
            # A counting identity that holds describes no one region: nothing is shaded.
            shaded: set[int] = set(value) if isinstance(value, Event) else set()  # type: ignore[arg-type]
            return draw_events(
                events,
                self.names,
                "elements",
                shaded,
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
        return draw_events(
            list(ce.events.values()),
            self.names,
            "elements",
            {region},
            universe=True,
            title=title,
            shade_color="tab:red",
            ax=ax,
        )


def check_identity(
    lhs: str | Callable[..., Event],
    rhs: str | Callable[..., Event],
) -> IdentityResult:
    """Decide whether ``lhs = rhs`` holds for all events of every sample space.

    Each side is a function of events, such as ``lambda A, B, C: (A | B) & C``,
    or a string such as ``"(A | B) & C"`` that is parsed, never evaluated.
    Strings may also state counting identities with ``len(X)`` or ``P(X)``,
    such as ``"len(A | B)"`` and ``"len(A) + len(B) - len(A & B)"``; there a
    whole number ``c`` beside ``P(...)`` stands for ``c · P(Ω)``. Whole numbers
    may be of any size: counts are summed exactly, never in fixed-width integers.

    Every sample point lies in one region of the Venn diagram of the ``n``
    events, and both sides treat all points of a region alike, so checking
    the ``2**n`` regions decides the identity. They are checked all at once,
    as bits of one Python ``int`` per event.

    Event names are ASCII: a capital letter and optional digits (``A``,
    ``B2``, ``C_1``). Python would read look-alikes such as ``"Ａ"`` or ``"𝐀"``
    as ``A``, so names written with other characters are refused; ``Ω`` (or
    ``Omega``) and ``∅`` (or ``Empty``) are the only symbols.

    Limits, far beyond what a hand-written identity needs, each refused at once
    with a message that names it: each string at most 2,000 characters and
    200 operations nested one inside another; at most 24 events; at most
    ``2**32`` bit operations to evaluate both sides, that is set operations
    times ``2**n`` (256 operations with 24 events, 1,024 with 22, and never a
    limit below 22 events); and for a counting identity at most ``2**26`` limb
    additions, that is (different counted events) × (32-bit limbs per
    coefficient) × ``2**n``: a thousand counted events of 16 events, four of 24.

    Args:
        lhs: the left side.
        rhs: the right side.

    Returns:
        An :class:`IdentityResult`: ``holds``, and a ``counterexample`` when it fails.

    Raises:
        TensorNotesError: for a malformed string, an unknown or non-ASCII name,
            a side that uses an event the other side's function does not take,
            an event and a number compared, or a limit above exceeded.
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
        >>> check_identity("9223372036854775807 * len(A) * 2", "-2 * len(A)").holds
        False
    """  # noqa: E501
    left, right = side(lhs, "lhs"), side(rhs, "rhs")
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
    names = names_of(left, right)
    n = len(names)
    if n > MAX_VARIABLES:
        raise TensorNotesError(
            f"the identity names {n} events; check_identity decides identities of at most "
            f"{MAX_VARIABLES} events (2**{MAX_VARIABLES} regions)."
        )
    work = (left.operations + right.operations) << n
    if work > MAX_BIT_OPERATIONS:
        raise TensorNotesError(
            f"lhs and rhs take {left.operations + right.operations} set operations on "
            f"bitsets of the 2**{n} regions of {n} events, {work:,} bit operations in all; "
            f"check_identity does at most {MAX_BIT_OPERATIONS:,} (2**32): name fewer events "
            "or shorten the identity."
        )
    if left.is_number:
        differing, first = _count_difference(left, right, names)
    else:
        space, env = regions(names)
        lvalue, rvalue = left.evaluate(env, space), right.evaluate(env, space)
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


def _count_difference(left: Side, right: Side, names: tuple[str, ...]) -> tuple[int, int]:
    """On how many regions ``lhs - rhs`` is not zero, and the first: exact integer sums.

    Terms with the same expression are added up first, and the limit on the
    work is checked before any bitset is made, so an oversized identity is
    refused at once.
    """
    by_expr: dict[_expr.SetExpr | None, int] = {}
    for sign, part in ((1, left), (-1, right)):
        for coefficient, expr in part.terms():
            by_expr[expr] = by_expr.get(expr, 0) + sign * coefficient
    kept = {expr: c for expr, c in by_expr.items() if c}
    if not kept:
        return 0, -1
    require_work(list(kept.values()), len(names))
    space, env = regions(names)
    by_mask: dict[int, int] = {}
    for expr, coefficient in kept.items():
        event = space.certain if expr is None else evaluate_set(expr, env, space)
        by_mask[event._mask] = by_mask.get(event._mask, 0) + coefficient
    return differing_regions([(c, m) for m, c in by_mask.items()], len(names))


def _counterexample(
    left: Side, right: Side, names: tuple[str, ...], region: int, measure: str | None
) -> Counterexample:
    n = len(names)
    if n <= 3 and not left.is_number:
        space, events = display_space(n)
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
