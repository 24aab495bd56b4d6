"""The catalogue of laws of the algebra of events, each one checkable.

:func:`laws` returns the commutative, associative and distributive laws, De
Morgan's laws, absorption, complements, idempotence, the difference law,
inclusion–exclusion and the rules of probability, as :class:`Law` objects
whose :meth:`Law.check` proves them with :func:`tensornotes.check_identity`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tensornotes import _event_parser as _expr
from tensornotes._identities import IdentityResult, check_identity

__all__ = ["Law", "laws"]


@dataclass(frozen=True)
class Law:
    """A law of the algebra of events: a name and the two sides, as strings.

    Raises:
        TypeError: if the name or a side is not a string.

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

    def __post_init__(self) -> None:
        for argname in ("name", "lhs", "rhs"):
            value = getattr(self, argname)
            if not isinstance(value, str):
                raise TypeError(
                    f"Law {argname} must be a string such as '(A | B) & C', not "
                    f"{type(value).__name__}."
                )

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
