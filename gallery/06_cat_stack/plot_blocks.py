"""
The blocks that cat, stack, split and chunk make
================================================

Join a ``(2, 3)`` tensor of zeros and a ``(2, 3)`` tensor of ones with
:func:`torch.cat` along each axis and with :func:`torch.stack`, then cut ten
elements apart with :func:`torch.split`, :func:`torch.chunk` and
:func:`torch.tensor_split`. Each cell is coloured by the input it came from.
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
# Join two tensors
# ----------------
# The values are the input's number, 0 or 1, so the result shows where each
# input went. ``cat`` keeps two axes; ``stack`` adds a third.
a = torch.zeros(2, 3, device=dev)
b = torch.ones(2, 3, device=dev)
joined = {
    "torch.cat([a, b], dim=0)": torch.cat([a, b], dim=0),
    "torch.cat([a, b], dim=1)": torch.cat([a, b], dim=1),
    "torch.stack([a, b], dim=0)": torch.stack([a, b], dim=0),
}
for name, t in joined.items():
    print(f"{name:28s} -> shape {tuple(t.shape)}")

# %%
# Cut ten elements apart
# ----------------------
# ``chunk(6)`` asks for six pieces but gets five, because each piece holds
# ceil(10 / 6) = 2 elements. ``tensor_split`` returns exactly six.
x = torch.arange(10, device=dev)
pieces = {
    "x.split(4)": x.split(4),
    "x.split([2, 3, 5])": x.split([2, 3, 5]),
    "x.chunk(6)": x.chunk(6),
    "torch.tensor_split(x, 6)": torch.tensor_split(x, 6),
}
for name, parts in pieces.items():
    print(f"{name:25s} -> {len(parts)} pieces of lengths {[len(p) for p in parts]}")

# %%
# Draw the blocks
# ---------------
# Left: the joins, a stacked result drawn as its two slices along the new
# axis. Right: one row per way of cutting, each piece in its own colour.
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle


def draw_grid(ax, values, x0, y0, cmap):
    rows, cols = values.shape
    for i in range(rows):
        for j in range(cols):
            colour = cmap(int(values[i, j]))
            ax.add_patch(Rectangle((x0 + j, y0 + i), 0.95, 0.95, facecolor=colour, edgecolor="k"))


fig, (ax_j, ax_s) = plt.subplots(
    1, 2, figsize=(10, 3.8), layout="constrained", gridspec_kw={"width_ratios": [1.3, 1]}
)
two = plt.get_cmap("tab10")
x0 = 0.0
for name, t in joined.items():
    t = t.cpu()
    if t.dim() == 3:
        for k in range(t.shape[0]):
            draw_grid(ax_j, t[k], x0 + 0.4 * k, 0.4 * k, two)
        width = t.shape[2] + 0.4
    else:
        draw_grid(ax_j, t, x0, 0, two)
        width = t.shape[1]
    label = name.replace("torch.", "").replace("([a, b], ", "\n").rstrip(")")
    ax_j.text(x0 + width / 2, -0.5, f"{label}\n{tuple(t.shape)}", ha="center", va="bottom")
    x0 += width + 1.2
ax_j.set(
    title="joining a (blue, zeros) and b (orange, ones)",
    xlim=(-0.5, x0 - 0.7),
    ylim=(4.8, -2.3),
    xlabel="last axis",
    ylabel="first axis",
    xticks=[],
    yticks=[],
)

for row, parts in enumerate(pieces.values()):
    start = 0
    for k, part in enumerate(parts):
        for j in range(len(part)):
            ax_s.add_patch(
                Rectangle((start + j, row), 0.95, 0.8, facecolor=two(k + 2), edgecolor="k")
            )
            ax_s.text(start + j + 0.47, row + 0.4, str(int(part[j])), ha="center", va="center")
        start += len(part)
ax_s.set(
    title="cutting arange(10): a colour per piece",
    xlim=(-0.2, 10.2),
    ylim=(len(pieces), -0.2),
    xlabel="element of x",
    xticks=[],
    yticks=[r + 0.4 for r in range(len(pieces))],
    yticklabels=[f"{name}\n{len(p)} pieces" for name, p in pieces.items()],
)
plt.show()

# %%
# Summary
# -------
# ``cat`` grows an axis the inputs have; ``stack`` adds a new one and needs
# equal shapes. ``split`` takes piece lengths, ``chunk`` a number of pieces
# that it may not reach, and ``tensor_split`` always returns the number asked.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.cat`, :func:`torch.stack`, :func:`torch.split`,
#    :func:`torch.chunk`, :func:`torch.tensor_split`, :func:`tensornotes.device`.
