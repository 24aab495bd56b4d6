"""
The shapes of a batched matrix product
======================================

Multiply a batch of matrices ``a`` of shape ``(B, n, k)`` by one matrix
``w`` of shape ``(k, m)`` with ``@``. PyTorch multiplies the last two dims
as matrices and reuses ``w`` for every matrix of the batch, so the result
has shape ``(B, n, m)``. The figure draws the three tensors with the sizes
PyTorch reports, and marks the row and the column that make one output.
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

# %%
# A batch of three matrices times one matrix
# ------------------------------------------
# Small whole numbers keep every product exact, so the figure can print
# them. ``a`` has ``B = 3`` matrices of ``n = 2`` rows and ``k = 4`` columns;
# ``w`` has ``k = 4`` rows and ``m = 3`` columns.
a = (torch.arange(24, device=dev) % 5).reshape(3, 2, 4).float()
w = (torch.arange(12, device=dev) % 4 - 1).reshape(4, 3).float()
out = a @ w
print("a:", tuple(a.shape), " w:", tuple(w.shape), " a @ w:", tuple(out.shape))

# %%
# The batch dim is a loop, the last two dims a matrix product
# -----------------------------------------------------------
# Each ``out[b]`` is the ordinary matrix product ``a[b] @ w``, and each of
# its elements is one row of ``a[b]`` times one column of ``w``.
print("out[b] == a[b] @ w for every b:", all(torch.equal(out[b], a[b] @ w) for b in range(3)))
b, i, j = 1, 0, 2
row, col = a[b, i], w[:, j]
print(f"out[{b}, {i}, {j}] = a[{b}, {i}, :] @ w[:, {j}] = {row.tolist()} @ {col.tolist()}")
print(f"  row @ col = {(row @ col).item():g}; out[{b}, {i}, {j}] = {out[b, i, j].item():g}")

# %%
# Draw the shapes
# ---------------
# Every size in the figure is read from a tensor's ``.shape``. The matrices
# of a batch are drawn one under the other; ``w`` is drawn once, because the
# same ``w`` serves all of them. Orange marks ``a[1, 0, :]``, ``w[:, 2]`` and
# the element ``out[1, 0, 2]`` they make.
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

BLUE, ORANGE = "#c6dbef", "#fdae6b"


def draw_matrix(ax, values, x0, y0, marked):
    """Draw a 2-D tensor from its top-left corner (x0, y0); ``marked(r, c)`` picks orange."""
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            colour = ORANGE if marked(r, c) else BLUE
            ax.add_patch(Rectangle((x0 + c, y0 + r), 0.95, 0.95, facecolor=colour, edgecolor="k"))
            ax.text(x0 + c + 0.47, y0 + r + 0.5, f"{values[r, c]:g}", ha="center", va="center")


B, n, k = a.shape
m = w.shape[1]
gap = 0.8
fig, ax = plt.subplots(figsize=(10, 4.6), layout="constrained")
a_cpu, w_cpu, out_cpu = a.cpu(), w.cpu(), out.cpu()
x_a, x_w, x_out = 0.0, k + 2.0, k + m + 4.0
height = B * n + (B - 1) * gap
y_w = (height - k) / 2
for s in range(B):
    y = s * (n + gap)
    draw_matrix(ax, a_cpu[s], x_a, y, lambda r, c, s=s: (s, r) == (b, i))
    draw_matrix(ax, out_cpu[s], x_out, y, lambda r, c, s=s: (s, r, c) == (b, i, j))
    ax.text(x_a - 0.3, y + n / 2, f"a[{s}]", ha="right", va="center")
    ax.text(x_out + m + 0.3, y + n / 2, f"out[{s}]", ha="left", va="center")
draw_matrix(ax, w_cpu, x_w, y_w, lambda r, c: c == j)
ax.text(x_w - 1.0, height / 2, "@", ha="center", va="center", fontsize=20)
ax.text(x_out - 1.0, height / 2, "=", ha="center", va="center", fontsize=20)

labels = [
    (x_a + k / 2, f"a: {tuple(a.shape)}\n(B, n, k)"),
    (x_w + m / 2, f"w: {tuple(w.shape)}\n(k, m), one for all B"),
    (x_out + m / 2, f"a @ w: {tuple(out.shape)}\n(B, n, m)"),
]
for x, text in labels:
    ax.text(x, height + 0.4, text, ha="center", va="top")
ax.text(x_a + k / 2, -0.15, f"k = {k}", ha="center", va="bottom", color="C3")
ax.text(x_w + m / 2, y_w - 0.15, f"m = {m}", ha="center", va="bottom")
ax.text(x_w - 0.15, y_w + k / 2, f"k = {k}", ha="right", va="center", color="C3", rotation=90)
ax.set(
    title=(
        f"{tuple(a.shape)} @ {tuple(w.shape)} -> {tuple(out.shape)}: "
        f"out[{b}, {i}, {j}] = a[{b}, {i}, :] @ w[:, {j}] = {out[b, i, j].item():g}"
    ),
    xlim=(-1.2, x_out + m + 1.6),
    ylim=(height + 1.6, -0.9),
    aspect="equal",
)
ax.axis("off")
plt.show()

# %%
# Summary
# -------
# ``@`` on a ``(B, n, k)`` batch and a ``(k, m)`` matrix gives ``(B, n, m)``:
# the inner sizes ``k`` meet and vanish, ``n`` and ``m`` stay, and the batch
# dim ``B`` passes through, with the one ``w`` broadcast to every matrix of
# the batch.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.matmul`, :func:`torch.arange`, :meth:`torch.Tensor.reshape`,
#    :func:`torch.equal`, :func:`tensornotes.device`.
