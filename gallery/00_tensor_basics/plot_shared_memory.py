"""
The NumPy bridge: one buffer or two
===================================

``torch.from_numpy(a)`` makes a tensor that uses the NumPy array's memory, so
a write through either one shows in the other. ``torch.tensor(a)`` copies the
data, and later writes to ``a`` never reach the copy. The figure shows all
three after one write through NumPy and one through PyTorch.
"""

# %%
# Which device the example sees
# -----------------------------
# NumPy arrays live in the CPU's memory, so the bridge is a CPU feature:
# ``from_numpy`` always returns a CPU tensor. Moving it to another device with
# ``.to`` copies it there, and the copy no longer shares memory with ``a``.
import numpy as np
import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")
a = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
shared = torch.from_numpy(a)
copied = torch.tensor(a)
print("from_numpy gives a tensor on", shared.device, "with dtype", shared.dtype)
moved = shared.to(dev)
print(f"shared.to({dev}) still shares a's memory:", moved.data_ptr() == shared.data_ptr())

# %%
# Two writes, one through each library
# ------------------------------------
# ``a[1] = 50`` writes through NumPy and ``shared[3] = -7`` through PyTorch.
# Both land in the one buffer that ``a`` and ``shared`` use; ``copied`` has a
# buffer of its own and keeps the old values.
a[1] = 50.0
shared[3] = -7.0
print("a      =", a.tolist())
print("shared =", shared.tolist())
print("copied =", copied.tolist())
print("a and shared share memory:", np.shares_memory(a, shared.numpy()))
print("a and copied share memory:", np.shares_memory(a, copied.numpy()))

# %%
# Draw the three after the writes
# -------------------------------
# One row per name; the cells written through NumPy and through PyTorch are
# coloured, wherever the write shows.
import matplotlib.pyplot as plt

rows = [
    ("a (NumPy array)", a.tolist()),
    ("shared = torch.from_numpy(a)", shared.tolist()),
    ("copied = torch.tensor(a)", copied.tolist()),
]
before = [0.0, 1.0, 2.0, 3.0, 4.0]
fig, ax = plt.subplots(figsize=(8, 3.2), layout="constrained")
for r, (name, values) in enumerate(rows):
    y = len(rows) - 1 - r
    ax.text(-0.2, y + 0.5, name, ha="right", va="center", family="monospace")
    for c, value in enumerate(values):
        changed = value != before[c]
        colour = {1: "#fdae6b", 3: "#9ecae1"}.get(c, "white") if changed else "white"
        ax.add_patch(plt.Rectangle((c, y), 1, 1, fc=colour, ec="k"))
        ax.text(c + 0.5, y + 0.5, f"{value:g}", ha="center", va="center")
ax.plot([], [], "s", color="#fdae6b", ms=10, label="a[1] = 50 (written through NumPy)")
ax.plot([], [], "s", color="#9ecae1", ms=10, label="shared[3] = -7 (written through PyTorch)")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2, frameon=False)
ax.set(xlim=(-5.2, 5.05), ylim=(-0.05, len(rows) + 0.05), aspect="equal")
ax.set_title("a and shared are one buffer; copied is another")
ax.axis("off")
plt.show()

# %%
# Summary
# -------
# ``torch.from_numpy`` and ``Tensor.numpy`` share memory with their argument:
# a write through one shows in the other. ``torch.tensor`` always copies.
# Sharing needs a CPU tensor; on any other device ``.to`` makes a copy.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.from_numpy`, :func:`torch.tensor`, :meth:`torch.Tensor.numpy`,
#    :meth:`torch.Tensor.to`, :meth:`torch.Tensor.data_ptr`,
#    :func:`numpy.shares_memory`, :func:`tensornotes.device`.
