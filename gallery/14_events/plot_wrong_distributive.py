"""
The notes' distributive law, refuted
====================================

The notes write the first distributive law as (A ∪ B) ∩ C = AC ∩ BC. A Venn
diagram shows at once that the right side is too small, and
:func:`tensornotes.check_identity` finds a sample point that proves it. The
correct law, (A ∪ B) ∩ C = AC ∪ BC, is drawn beside it.
"""

# %%
# Decide the law as the notes wrote it
# ------------------------------------
# AC is the notes' shorthand for A ∩ C. The check looks at all 8 regions of
# the diagram and reports the first one where the two sides disagree, as a
# concrete sample space with one sample point per region.
import torch

import tensornotes
from tensornotes import check_identity, venn

wrong = check_identity("(A | B) & C", "(A & C) & (B & C)")
print(wrong)

# %%
# Verify the counterexample independently
# ---------------------------------------
# The counterexample is ordinary events; evaluating both sides on them with
# the set operators shows the sample point in one side only. The same check
# with boolean tensors, one entry per sample point, gives the same answer.
ce = wrong.counterexample
A, B, C = ce.events.values()
left, right = (A | B) & C, (A & C) & (B & C)
print(
    f"point {ce.point}: in the left side {ce.point in left}, in the right side {ce.point in right}"
)

dev = tensornotes.device()
print(f"running on: {dev}")
members = [torch.tensor([w in e for w in ce.space], device=dev) for e in (A, B, C)]
a, b, c = members
print("tensor check, points in one side only:", ((a | b) & c) ^ ((a & c) & (b & c)))

# %%
# What goes wrong
# ---------------
# AC ∩ BC is A ∩ B ∩ C: a point must be in all three events. (A ∪ B) ∩ C also
# contains the points of C that lie in only one of A and B. The correct law
# joins AC and BC with a union.
right_law = check_identity("(A | B) & C", "(A & C) | (B & C)")
print(right_law)

import matplotlib.pyplot as plt

fig, axes = plt.subplots(1, 4, figsize=(10, 3.4), layout="constrained")
venn(A, B, C, shade="(A | B) & C", ax=axes[0])
venn(A, B, C, shade="(A & C) & (B & C)", ax=axes[1])
wrong.plot(ax=axes[2])
venn(A, B, C, shade="(A & C) | (B & C)", ax=axes[3], shade_color="tab:green")
titles = [
    "left side: (A ∪ B) ∩ C",
    "the notes: AC ∩ BC",
    f"counterexample: point {ce.point}\nin the left side only",
    "the correct law: AC ∪ BC",
]
for ax, title in zip(axes, titles, strict=True):
    ax.set_title(title, fontsize=9)
    for text in ax.texts:
        text.set_fontsize(7)
plt.show()

# %%
# Summary
# -------
# (A ∪ B) ∩ C = AC ∩ BC is false: the sides differ on 2 of the 8 regions, the
# points of C in exactly one of A and B. Intersection distributes over union
# with a union on the right: (A ∪ B) ∩ C = AC ∪ BC.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.tensor`, :func:`tensornotes.device`,
#    :func:`tensornotes.check_identity`, :func:`tensornotes.venn`.
