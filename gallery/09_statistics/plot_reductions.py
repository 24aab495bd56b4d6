"""
Which axis a reduction removes
==============================

Sum a ``(3, 4)`` matrix with :func:`torch.sum`, changing one thing at a time:
first the axis (``dim=0`` or ``dim=1``, both without ``keepdim``), then, for
``dim=1``, ``keepdim=False`` or ``True``. A second figure draws the unit
circles of three vector norms from :func:`torch.linalg.vector_norm`.
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
# ``dim=0`` runs down the columns and removes axis 0, leaving one number per
# column; ``dim=1`` runs along the rows and removes axis 1, leaving one per
# row. Both results are 1-D. ``keepdim=True`` leaves the reduced axis in
# place with size 1, so the row sums become a ``(3, 1)`` column.
results = {
    "a.sum(dim=0)": a.sum(dim=0),
    "a.sum(dim=1)": a.sum(dim=1),
    "a.sum(dim=1, keepdim=True)": a.sum(dim=1, keepdim=True),
}
print(f"{'a':27s} shape {tuple(a.shape)}")
for name, t in results.items():
    print(f"{name:27s} shape {tuple(t.shape)}")

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
# Draw the reductions
# -------------------
# Top row: only ``dim`` changes. Bottom row: only ``keepdim`` changes, and
# ``a.sum(dim=1)`` is drawn again as the starting point. A 1-D result is
# drawn as one row of cells, whatever axis of ``a`` it came from: it has no
# second axis to stand along.
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle


def draw_tensor(ax, t, x0, y0, title):
    """Draw ``t`` with unit cells from its top-left corner (x0, y0); 1-D as one row."""
    values = t.cpu()
    grid = values[None] if values.dim() == 1 else values
    rows, cols = grid.shape
    for i in range(rows):
        for j in range(cols):
            colour = plt.get_cmap("Blues")(float(grid[i, j]) / 40)
            ax.add_patch(Rectangle((x0 + j, y0 + i), 0.95, 0.95, facecolor=colour, edgecolor="k"))
            ax.text(x0 + j + 0.47, y0 + i + 0.5, f"{grid[i, j]:g}", ha="center", va="center")
    label = f"{title}\nshape {tuple(t.shape)}"
    ax.text(x0 + cols / 2, y0 - 0.2, label, ha="center", va="bottom", fontsize=9)


fig, ax = plt.subplots(figsize=(10, 5.2), layout="constrained")
draw_tensor(ax, a, 0, 2.6, "a")
ax.text(-0.2, 4.1, "axis 0", rotation=90, ha="right", va="center")
ax.text(2, 5.8, "axis 1", ha="center", va="top")
ax.text(6, -0.4, "only dim changes (keepdim=False):", ha="left", va="bottom", weight="bold")
draw_tensor(ax, results["a.sum(dim=0)"], 6, 1.2, "a.sum(dim=0)")
draw_tensor(ax, results["a.sum(dim=1)"], 12, 1.2, "a.sum(dim=1)")
ax.text(6, 3.8, "only keepdim changes (dim=1):", ha="left", va="bottom", weight="bold")
draw_tensor(ax, results["a.sum(dim=1)"], 6, 5.6, "a.sum(dim=1)")
draw_tensor(ax, results["a.sum(dim=1, keepdim=True)"], 12.5, 5.6, "a.sum(dim=1, keepdim=True)")
ax.axhline(3.5, xmin=0.33, color="0.7", lw=1)
ax.set(xlim=(-0.8, 16.2), ylim=(9.0, -0.8), aspect="equal")
ax.axis("off")
plt.show()

# %%
# Draw the unit circles
# ---------------------
fig, ax = plt.subplots(figsize=(4.8, 4.8), layout="constrained")
for p, points in circles.items():
    label = "inf" if p == float("inf") else f"{p:g}"
    ax.plot(points[:, 0], points[:, 1], lw=2, label=f"||v||_{label} = 1")
ax.set(title="unit circles of vector norms", xlabel="v[0]", ylabel="v[1]", aspect="equal")
ax.grid(alpha=0.3)
ax.legend(fontsize=8, loc="center")
plt.show()

# %%
# Summary
# -------
# A reduction along ``dim`` removes that axis: the column sums have shape
# ``(4,)`` and the row sums ``(3,)``. With ``keepdim=True`` the axis stays
# with size 1: the row sums become a ``(3, 1)`` column, ready to broadcast
# against ``a``. The 1-norm's unit circle is a diamond, the 2-norm's a
# circle, the infinity norm's a square.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.sum`, :func:`torch.linalg.vector_norm`,
#    :func:`torch.stack`, :func:`torch.linspace`, :func:`tensornotes.device`.
