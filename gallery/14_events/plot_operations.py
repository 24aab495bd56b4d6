"""
Every operation on events, drawn
================================

Two events of one roll of a twelve-sided die, combined every way the notes
list: union, intersection, complement, difference, symmetric difference and
the complement of a union. Each sample point is written in its region, the
box is the sample space Ω, and the shaded part is the event named above it.
"""

# %%
# The sample space and two events
# -------------------------------
# The sample points come from a tensor on the device the examples use; an
# event is a set of them, here picked by a predicate.
import torch

import tensornotes
from tensornotes import P, SampleSpace, venn

dev = tensornotes.device()
print(f"running on: {dev}")
faces = torch.arange(1, 13, device=dev)
space = SampleSpace(faces.tolist())
A = space.event(lambda w: w % 2 == 0)  # even
B = space.event(lambda w: w % 3 == 0)  # a multiple of 3
print("Ω =", space.certain)
print("A =", A, " B =", B)

# %%
# The operations
# --------------
# ``|`` is the union A ∪ B, ``&`` the intersection A ∩ B (the notes write AB),
# ``~`` the complement within Ω, ``-`` the difference A − B = A ∩ Bᶜ and ``^``
# the symmetric difference, the points in exactly one of the two.
operations = {
    "A | B": A | B,
    "A & B": A & B,
    "~A": ~A,
    "A - B": A - B,
    "A ^ B": A ^ B,
    "~(A | B)": ~(A | B),
}
for text, event in operations.items():
    print(f"{text:9} = {event!s:24} P = {P(event)}")

# %%
# Draw each one
# -------------
# ``venn`` shades the region of the expression given as ``shade=``. The
# complement is shaded outside the circles, up to the edge of Ω.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(2, 3, figsize=(10, 6.6), layout="constrained")
for ax, text in zip(axes.flat, operations, strict=True):
    venn(A, B, shade=text, ax=ax)
    ax.set_title(f"{ax.get_title()}   (P = {P(operations[text])})")
fig.suptitle("A = even, B = multiple of 3, on a twelve-sided die")
plt.show()

# %%
# Inclusion and disjoint events
# -----------------------------
# ``<=`` asks whether one event implies another, and ``isdisjoint`` whether
# two events share no point (AB = ∅), the case in which the notes write A + B.
print("A & B <= A:", (A & B) <= A)
print("A - B and B disjoint:", (A - B).isdisjoint(B))
print("len(A | B) == len(A) + len(B) - len(A & B):", len(A | B) == len(A) + len(B) - len(A & B))

# %%
# Summary
# -------
# Every operation on events is a set operation on sample points, and each
# one is a region of the Venn diagram: the complement and the outside of
# A ∪ B lie outside the circles but inside Ω.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.arange`, :func:`tensornotes.device`, :class:`tensornotes.SampleSpace`,
#    :func:`tensornotes.P`, :func:`tensornotes.venn`.
