"""
Which axis a reduction removes
==============================

Sum a ``(3, 4)`` matrix along each axis with :func:`torch.sum`, with and
without ``keepdim``, mark the row maxima :func:`torch.max` finds, and draw the
unit circles of three vector norms from :func:`torch.linalg.vector_norm`.
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
a = torch.tensor([[1.0, 5.0, 2.0, 8.0], [7.0, 3.0, 9.0, 4.0], [6.0, 0.0, 11.0, 10.0]], device=dev)

# %%
# Reduce along each axis
# ----------------------
# ``dim=0`` runs down the columns and removes axis 0; ``dim=1`` runs along
# the rows and removes axis 1. ``keepdim=True`` leaves that axis with size 1.
col_sums = a.sum(dim=0)
row_sums = a.sum(dim=1, keepdim=True)
row_max = a.max(dim=1)
for name, t in [
    ("a", a),
    ("a.sum(dim=0)", col_sums),
    ("a.sum(dim=1)", a.sum(dim=1)),
    ("a.sum(dim=1, keepdim=True)", row_sums),
]:
    print(f"{name:27s} shape {tuple(t.shape)}")
print("row maxima:", row_max.values.tolist(), "at columns", row_max.indices.tolist())

# %%
# The unit circles of three norms
# -------------------------------
# Scaling every direction to norm 1 traces the set of vectors of length 1,
# which has a different shape for each norm.
angles = torch.linspace(0, 2 * torch.pi, 721, device=dev)
directions = torch.stack([angles.cos(), angles.sin()], dim=1)
circles = {}
for p in [1.0, 2.0, float("inf")]:
    lengths = torch.linalg.vector_norm(directions, ord=p, dim=1, keepdim=True)
    circles[p] = (directions / lengths).cpu()

# %%
# Draw them
# ---------
import matplotlib.pyplot as plt


def draw_matrix(ax, values, title, highlight=None):
    ax.imshow(values, cmap="Blues", vmin=0, vmax=max(30.0, float(values.max())))
    rows, cols = values.shape
    for i in range(rows):
        for j in range(cols):
            ax.text(j, i, f"{values[i, j]:g}", ha="center", va="center")
    if highlight is not None:
        for i, j in enumerate(highlight):
            ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, ec="C3", lw=2))
    ax.set(title=title, xticks=range(cols), yticks=range(rows))
    ax.set_xlabel(f"axis 1 (size {cols})")
    ax.set_ylabel(f"axis 0 (size {rows})")


fig, axes = plt.subplot_mosaic(
    [["a", "a", "rows", "norms", "norms"], ["cols", "cols", ".", "norms", "norms"]],
    figsize=(10, 4.2),
    layout="constrained",
    height_ratios=[3, 1.3],
)
draw_matrix(axes["a"], a.cpu(), "a, shape (3, 4); red: a.max(dim=1)", row_max.indices.cpu())
draw_matrix(axes["cols"], col_sums.cpu()[None], "a.sum(dim=0): shape (4,)")
axes["cols"].set(ylabel="axis 0 gone", yticks=[])
draw_matrix(axes["rows"], row_sums.cpu(), "a.sum(dim=1,\nkeepdim=True): (3, 1)")
axes["rows"].set_xlabel("axis 1, size 1")

for p, points in circles.items():
    label = "inf" if p == float("inf") else f"{p:g}"
    axes["norms"].plot(points[:, 0], points[:, 1], lw=2, label=f"||v||_{label} = 1")
axes["norms"].set(
    title="unit circles of vector norms", xlabel="v[0]", ylabel="v[1]", aspect="equal"
)
axes["norms"].grid(alpha=0.3)
axes["norms"].legend(fontsize=8, loc="center")
plt.show()

# %%
# Summary
# -------
# A reduction along ``dim`` removes that axis: the column sums have shape
# ``(4,)``. With ``keepdim=True`` the axis stays with size 1, shape
# ``(3, 1)``, ready to broadcast against ``a``. The 1-norm's unit circle is
# a diamond, the 2-norm's a circle, the infinity norm's a square.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.sum`, :func:`torch.max`, :func:`torch.linalg.vector_norm`,
#    :func:`torch.stack`, :func:`torch.linspace`, :func:`tensornotes.device`.
