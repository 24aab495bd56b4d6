"""
Where unsqueeze puts the new axis
=================================

For a tensor of shape ``(2, 3)``, draw the shape :func:`torch.unsqueeze` returns
for every valid index from ``-3`` to ``2``, and which axes :func:`torch.squeeze`
removes from a shape ``(1, 3, 1, 2)``: only axes of size 1, and asking for
another axis changes nothing.
"""

# %%
# Where the tensors live
# ----------------------
# :func:`tensornotes.device` picks CUDA, then MPS, then the CPU, or what the
# ``TENSORNOTES_DEVICE`` variable asks for.
import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")
x = torch.arange(6, device=dev).reshape(2, 3)

# %%
# Every valid index of unsqueeze
# ------------------------------
# A 2-D tensor accepts the indices ``-3`` to ``2``. Each result has three
# axes; the new one, of size 1, is the axis whose number is the index
# (counted from the end when it is negative).
results = {}
for d in range(-x.dim() - 1, x.dim() + 1):
    y = x.unsqueeze(d)
    new_axis = d if d >= 0 else d + y.dim()
    results[d] = (tuple(y.shape), new_axis)
    print(f"unsqueeze({d:+d}) -> shape {tuple(y.shape)}, new axis at position {new_axis}")

# %%
# What squeeze removes
# --------------------
# ``squeeze(d)`` removes axis ``d`` only when its size is 1. On the axes of
# size 3 and 2 it returns the shape unchanged, without an error.
z = torch.zeros(1, 3, 1, 2, device=dev)
squeezed = {}
for d in range(z.dim()):
    squeezed[f"{d}"] = (tuple(z.squeeze(d).shape), {d} if z.shape[d] == 1 else set())
squeezed[""] = (tuple(z.squeeze().shape), {d for d in range(z.dim()) if z.shape[d] == 1})
for d, (shape, removed) in squeezed.items():
    print(f"squeeze({d}) -> {shape}, removes axes {sorted(removed)}")

# %%
# Draw the shapes as rows of boxes
# --------------------------------
# Each row is one result; a box is one axis, labelled with its size. The new
# axis of ``unsqueeze`` is orange; on the right, grey boxes are axes that
# ``squeeze`` removed.
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle


def draw_row(ax, row, sizes, colours):
    for pos, (size, colour) in enumerate(zip(sizes, colours, strict=True)):
        ax.add_patch(Rectangle((pos, row), 0.9, 0.8, facecolor=colour, edgecolor="k"))
        text_colour = "k" if colour == "0.85" else "w"
        ax.text(pos + 0.45, row + 0.4, str(size), ha="center", va="center", color=text_colour)


fig, (ax_u, ax_s) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")

for row, (shape, new_axis) in enumerate(results.values()):
    colours = ["C1" if i == new_axis else "C0" for i in range(len(shape))]
    draw_row(ax_u, row, shape, colours)
ax_u.set(
    title="x.unsqueeze(d) for x of shape (2, 3)",
    xlabel="axis of the result",
    ylabel="d",
    xlim=(-0.2, 3.1),
    ylim=(len(results), -0.2),
    xticks=[0.45, 1.45, 2.45],
    xticklabels=["0", "1", "2"],
    yticks=[r + 0.4 for r in range(len(results))],
    yticklabels=[f"{d:+d}" for d in results],
)

for row, (shape, removed) in enumerate(squeezed.values()):
    colours = ["0.85" if i in removed else "C0" for i in range(z.dim())]
    draw_row(ax_s, row, list(z.shape), colours)
    ax_s.text(4.1, row + 0.4, f"-> {shape}", va="center")
ax_s.set(
    title="z.squeeze(d) for z of shape (1, 3, 1, 2)",
    xlabel="axis of z (grey: removed)",
    ylabel="d",
    xlim=(-0.2, 6.5),
    ylim=(len(squeezed), -0.2),
    xticks=[0.45, 1.45, 2.45, 3.45],
    xticklabels=["0", "1", "2", "3"],
    yticks=[r + 0.4 for r in range(len(squeezed))],
    yticklabels=[d or "(none)" for d in squeezed],
)
plt.show()

# %%
# Summary
# -------
# ``unsqueeze`` accepts one index more than the input has axes, and a
# negative index counts from the end of the result, so ``-1`` appends an
# axis. ``squeeze`` only ever removes axes of size 1: ``squeeze(1)`` and
# ``squeeze(3)`` above return the shape unchanged.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.unsqueeze`, :func:`torch.squeeze`, :func:`torch.arange`,
#    :func:`tensornotes.device`.
