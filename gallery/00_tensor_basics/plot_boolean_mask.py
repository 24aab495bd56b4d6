"""
A boolean mask: select, then assign
===================================

Compare a tensor with 0 to get a mask of ``True`` and ``False``, read the
elements where the mask is ``True`` with ``t[mask]``, and write into them with
``t[mask] = value``. The figure shows the tensor, the mask's selection in the
order PyTorch returns it, and the tensor after the assignment.
"""

# %%
# A small tensor on the example device
# ------------------------------------
# :func:`tensornotes.device` picks CUDA, then MPS, then the CPU, or what the
# ``TENSORNOTES_DEVICE`` variable asks for. The values are typed in, so no
# seed is needed.
import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")
t = torch.tensor([[2, -1, 0, 5], [-3, 4, -2, 1], [6, -5, 3, -4]], device=dev)
print(t)

# %%
# The mask and what it selects
# ----------------------------
# A comparison works element by element and returns a ``torch.bool`` tensor
# of the same shape. Indexing with it returns a new 1-D tensor of the selected
# values, read row by row.
mask = t > 0
picked = t[mask]
print(mask.dtype, tuple(mask.shape), "->", tuple(picked.shape))
print("t[t > 0] =", picked.tolist())

# %%
# Assigning through the mask
# --------------------------
# ``t[mask] = 0`` writes into the tensor itself. The assignment goes into a
# copy made with ``clone``, so that ``t`` keeps its values for the figure:
# every negative value becomes 0, and the others stay as they were.
after = t.clone()
after[after < 0] = 0
print(after)

# %%
# Draw the three steps
# --------------------
# Each cell shows its value. Blue marks the cells that ``t > 0`` selects,
# orange the cells that ``t[t < 0] = 0`` wrote. Only the drawing moves the
# data to the CPU.
import matplotlib.pyplot as plt


def draw_grid(ax, values, shaded, title, colour_on="#9ecae1"):
    rows, cols = len(values), len(values[0])
    for r in range(rows):
        for c in range(cols):
            colour = colour_on if shaded[r][c] else "white"
            ax.add_patch(plt.Rectangle((c, rows - 1 - r), 1, 1, fc=colour, ec="k"))
            ax.text(c + 0.5, rows - 0.5 - r, str(values[r][c]), ha="center", va="center")
    ax.set(xlim=(-0.05, cols + 0.05), ylim=(-0.05, rows + 0.05), title=title, aspect="equal")
    ax.axis("off")


fig, (ax_t, ax_sel, ax_after) = plt.subplots(
    1, 3, figsize=(10, 2.6), layout="constrained", width_ratios=[4, 6, 4]
)
draw_grid(ax_t, t.cpu().tolist(), mask.cpu().tolist(), "t, shaded where t > 0")
draw_grid(ax_sel, [picked.cpu().tolist()], [[True] * picked.numel()], "t[t > 0]: a new 1-D tensor")
draw_grid(
    ax_after,
    after.cpu().tolist(),
    (t < 0).cpu().tolist(),
    "after t[t < 0] = 0 (orange: written)",
    colour_on="#fdae6b",
)
plt.show()

# %%
# Summary
# -------
# ``t > 0`` is a boolean tensor of ``t``'s shape. Reading ``t[mask]`` gives a
# new 1-D tensor with one element per ``True``, in row-major order; assigning
# ``t[mask] = value`` writes into ``t`` at exactly those places.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.tensor`, :meth:`torch.Tensor.clone`, :meth:`torch.Tensor.tolist`,
#    :meth:`torch.Tensor.numel`, :func:`tensornotes.device`.
