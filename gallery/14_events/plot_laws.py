"""
Every law of the algebra of events, verified
============================================

Each law of the catalogue is decided twice: by :func:`tensornotes.check_identity`,
which checks every region of the Venn diagram at once, and by brute force on
all events of a three-point sample space with boolean tensors. The figure
shades, for each law about events, the region that both of its sides describe.
"""

# Events are named A, B, C as in probability books.
# ruff: noqa: N803

# %%
# The catalogue, decided region by region
# ---------------------------------------
# With n events a Venn diagram has 2**n regions; an identity holds for every
# sample space exactly when its two sides agree on each region.
from tensornotes import check_identity, laws

catalogue = laws()
for law in catalogue:
    result = law.check()
    print(f"{'holds' if result.holds else 'FAILS'}  {law}  ({result.regions} regions)")

# %%
# The same laws on all events of a small space, with tensors
# ----------------------------------------------------------
# An event of a three-point space is a boolean vector of length 3, one entry
# per sample point, so the 8 events are the rows of an ``(8, 3)`` tensor.
# Broadcasting puts every triple (A, B, C) side by side: 512 triples, all
# checked in one expression per law. Bool tensors have ``|``, ``&``, ``^`` and
# ``~`` but no ``-``, so the difference is written with :func:`torch.where`.
# Probabilities are compared as counts (3 times P), to stay exact.
import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")
points = 3
codes = torch.arange(2**points, device=dev)
events = (codes[:, None] >> torch.arange(points, device=dev)) & 1 == 1  # (8, 3)
A = events[:, None, None, :]
B = events[None, :, None, :]
C = events[None, None, :, :]


def minus(X, Y):
    return torch.where(Y, False, X)


def count(X):
    return X.sum(-1)


omega = torch.ones(points, dtype=torch.bool, device=dev)
sides = {
    "commutative law of union": (A | B, B | A),
    "commutative law of intersection": (A & B, B & A),
    "associative law of union": ((A | B) | C, A | (B | C)),
    "associative law of intersection": ((A & B) & C, A & (B & C)),
    "first distributive law": ((A | B) & C, (A & C) | (B & C)),
    "second distributive law": ((A & B) | C, (A | C) & (B | C)),
    "De Morgan's law for a union": (~(A | B), ~A & ~B),
    "De Morgan's law for an intersection": (~(A & B), ~A | ~B),
    "absorption law of union": (A | (A & B), A),
    "absorption law of intersection": (A & (A | B), A),
    "complement law of union": (A | ~A, omega),
    "complement law of intersection": (A & ~A, ~omega),
    "double complement": (~~A, A),
    "idempotent law of union": (A | A, A),
    "idempotent law of intersection": (A & A, A),
    "difference law": (minus(A, B), A & ~B),
    "inclusion–exclusion for two events": (
        count(A | B),
        count(A) + count(B) - count(A & B),
    ),
    "inclusion–exclusion for three events": (
        count(A | B | C),
        count(A)
        + count(B)
        + count(C)
        - count(A & B)
        - count(A & C)
        - count(B & C)
        + count(A & B & C),
    ),
    # P = count / 3: compare 3 * P on both sides, whole numbers, so no rounding.
    "addition rule": (count(A | B), count(A) + count(B) - count(A & B)),
    "complement rule": (count(~A), points - count(A)),
}
triples = len(events) ** 3
for law in catalogue:
    left, right = sides[law.name]
    print(f"{law.name:38} holds for all {triples} triples: {bool((left == right).all())}")

# %%
# Draw each law about events
# --------------------------
# ``IdentityResult.plot`` shades the region of the left side, which is also
# the region of the right side when the law holds.
import matplotlib.pyplot as plt

set_laws = [law for law in catalogue if "len(" not in law.lhs and "P(" not in law.lhs]
fig, axes = plt.subplots(4, 4, figsize=(10, 10), layout="constrained")
for ax, law in zip(axes.flat, set_laws, strict=True):
    check_identity(law.lhs, law.rhs).plot(ax=ax)
    ax.set_title(f"{law.name}\n{ax.get_title()}", fontsize=8)
    for text in ax.texts:
        text.set_fontsize(7)
fig.suptitle("Every law about events: the shaded region is both sides")
plt.show()

# %%
# Summary
# -------
# Every law of the catalogue holds: the region check and the brute force over
# 512 triples of events agree. The second check is only possible because a
# small sample space with every membership pattern is enough, which is also
# why ``check_identity`` needs to look at just 2**n regions.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.arange`, :func:`torch.where`, :func:`tensornotes.device`,
#    :func:`tensornotes.laws`,
#    :func:`tensornotes.check_identity`.
