"""Exact integer arithmetic that decides a counting identity, region by region.

A counting identity ``Σ c·len(E) = Σ d·len(F)`` holds for every sample space
exactly when, for every region ``r`` of the Venn diagram, the sum of the
coefficients of the events that contain ``r`` is zero. The coefficients are
Python integers of any size, so the sums are done exactly: each coefficient is
split into 32-bit limbs, every limb's column of sums fits easily in an int64,
and the carries are propagated from limb to limb as in long addition. The
regions are processed in chunks, so the memory stays small for ``2**24`` of them.
"""

from __future__ import annotations

import math

import numpy as np

from tensornotes._errors import TensorNotesError

__all__ = ["MAX_COUNT_WORK", "differing_regions", "require_work"]

MAX_COUNT_WORK = 2**26
"""Most limb additions (counted events × 32-bit limbs × regions) one counting identity may need."""

_LIMB_BITS = 32
_LIMB = (1 << _LIMB_BITS) - 1
_CHUNK = 1 << 16


def _limbs(value: int) -> list[int]:
    """``abs(value)`` in base ``2**32``, lowest limb first."""
    magnitude, limbs = abs(value), []
    while magnitude:
        limbs.append(magnitude & _LIMB)
        magnitude >>= _LIMB_BITS
    return limbs


def _scaled(coefficients: list[int]) -> list[tuple[int, list[int]]]:
    """Each coefficient over their common factor, as a sign and 32-bit limbs.

    A common factor changes no sum's sign; dividing it out keeps the limbs few.
    """
    factor = math.gcd(*coefficients)
    return [(1 if c > 0 else -1, _limbs(c // factor)) for c in coefficients]


def require_work(coefficients: list[int], n: int) -> None:
    """Refuse sums over ``2**n`` regions that would take more than ``MAX_COUNT_WORK`` additions.

    Args:
        coefficients: the nonzero coefficients, one per different counted event.
        n: the number of events, so that there are ``2**n`` regions.
    """
    work = sum(len(limbs) for _, limbs in _scaled(coefficients)) << n
    if work > MAX_COUNT_WORK:
        raise TensorNotesError(
            f"lhs and rhs count {len(coefficients)} different events over the 2**{n} regions "
            f"of {n} events, which takes {work:,} additions (a coefficient beyond 2**32 counts "
            f"once per 32 bits); check_identity does at most {MAX_COUNT_WORK:,}: name fewer "
            "events or count fewer different ones."
        )


def differing_regions(terms: list[tuple[int, int]], n: int) -> tuple[int, int]:
    """Where ``Σ c·[r ∈ mask]`` over ``terms`` is not zero, for the regions ``r < 2**n``.

    Args:
        terms: ``(coefficient, mask)`` pairs, the masks bitsets over the regions.
        n: the number of events, so that there are ``2**n`` regions.

    Returns:
        How many regions have a nonzero sum, and the first of them (``-1`` if none).

    Raises:
        TensorNotesError: if the sums would need more than ``MAX_COUNT_WORK``
            limb additions.
    """
    terms = [(c, m) for c, m in terms if c and m]
    if not terms:
        return 0, -1
    require_work([c for c, _ in terms], n)
    signed = _scaled([c for c, _ in terms])
    count = 1 << n
    nbytes = (count + 7) // 8
    raw = [np.frombuffer(m.to_bytes(nbytes, "little"), dtype=np.uint8) for _, m in terms]
    depth = max(len(limbs) for _, limbs in signed)
    differing, first = 0, -1
    for start in range(0, count, _CHUNK):
        size = min(_CHUNK, count - start)
        low, high = start // 8, (start + size + 7) // 8
        carry = np.zeros(size, dtype=np.int64)
        nonzero = np.zeros(size, dtype=bool)
        scratch = np.empty(size, dtype=np.int64)
        for j in range(depth):
            column = carry
            for (sign, limbs), bytes_ in zip(signed, raw, strict=True):
                if j < len(limbs) and limbs[j]:
                    bits = np.unpackbits(bytes_[low:high], bitorder="little")[:size]
                    np.multiply(bits, np.int64(sign * limbs[j]), out=scratch)
                    column += scratch
            nonzero |= (column & _LIMB) != 0
            carry = column >> _LIMB_BITS
        nonzero |= carry != 0
        found = int(np.count_nonzero(nonzero))
        if found and first < 0:
            first = start + int(np.argmax(nonzero))
        differing += found
    return differing, first
