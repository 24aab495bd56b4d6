"""
The blocks that cat, stack, split and chunk make
================================================

Join tensors of different sizes with :func:`torch.cat`, which lets them
differ along the joined axis only, and tensors of one shape with
:func:`torch.stack`, which needs them equal. Then cut ten elements apart with
:func:`torch.split`, :func:`torch.chunk` and :func:`torch.tensor_split`.
Each cell is coloured by the input it came from.
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
# Join tensors
# ------------
# Each input is filled with its own number, so the result shows where each
# input went. ``a`` is ``(2, 3)``; ``b`` has 1 row, ``c`` has 2 columns and
# ``d`` has ``a``'s shape. ``cat`` along axis 0 accepts ``b``, whose row count
# differs, and along axis 1 accepts ``c``, whose column count differs.
# ``stack`` accepts ``d`` but not ``b``.
a = torch.full((2, 3), 0.0, device=dev)
b = torch.full((1, 3), 1.0, device=dev)
c = torch.full((2, 2), 2.0, device=dev)
d = torch.full((2, 3), 3.0, device=dev)
inputs = {"a": a, "b": b, "c": c, "d": d}
joined = {
    "torch.cat([a, b], dim=0)": torch.cat([a, b], dim=0),
    "torch.cat([a, c], dim=1)": torch.cat([a, c], dim=1),
    "torch.stack([a, d], dim=0)": torch.stack([a, d], dim=0),
}
for name, t in {**inputs, **joined}.items():
    print(f"{name:28s} -> shape {tuple(t.shape)}")
try:
    torch.stack([a, b])
except RuntimeError as err:
    stack_error = str(err)
print("torch.stack([a, b]) ->", stack_error)

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
# Left: the inputs on top, the joins below, a stacked result drawn as its two
# slices along the new axis. Right: one row per way of cutting, each piece in
# its own colour.
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle


def draw_grid(ax, values, x0, y0, cmap):
    rows, cols = values.shape
    for i in range(rows):
        for j in range(cols):
            colour = cmap(int(values[i, j]))
            ax.add_patch(Rectangle((x0 + j, y0 + i), 0.95, 0.95, facecolor=colour, edgecolor="k"))


fig, (ax_j, ax_s) = plt.subplots(
    1, 2, figsize=(11, 4.6), layout="constrained", gridspec_kw={"width_ratios": [1.45, 1]}
)
colours = plt.get_cmap("tab10")
x0 = 0.0
for name, t in inputs.items():
    t = t.cpu()
    draw_grid(ax_j, t, x0, 0, colours)
    ax_j.text(x0 + t.shape[1] / 2, -0.3, f"{name}: {tuple(t.shape)}", ha="center", va="bottom")
    x0 += t.shape[1] + 1.0
x0, y0 = 0.0, 4.2
for name, t in joined.items():
    t = t.cpu()
    if t.dim() == 3:
        for k in range(t.shape[0]):
            draw_grid(ax_j, t[k], x0 + 0.5 * k, y0 + 0.5 * k, colours)
        width = t.shape[2] + 0.5
    else:
        draw_grid(ax_j, t, x0, y0, colours)
        width = t.shape[1]
    label = f"{name.replace('torch.', '')}\n{tuple(t.shape)}"
    ax_j.text(x0 + width / 2, y0 - 0.3, label, ha="center", va="bottom", fontsize=9)
    x0 += width + 1.8
ax_j.text(
    0,
    8.4,
    "torch.stack([a, b]): RuntimeError\n" + stack_error.replace(", but", ",\nbut"),
    color="C3",
    va="top",
    fontsize=8,
)
ax_j.set(
    title="the inputs, then what cat and stack make of them",
    xlim=(-0.8, x0 - 1.2),
    ylim=(9.8, -1.3),
    aspect="equal",
    xticks=[],
    yticks=[],
)

for row, parts in enumerate(pieces.values()):
    start = 0
    for k, part in enumerate(parts):
        for j in range(len(part)):
            ax_s.add_patch(
                Rectangle((start + j, row), 0.95, 0.8, facecolor=colours(k + 4), edgecolor="k")
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
# ``cat`` grows an axis the inputs have, and their sizes may differ along
# that axis only; ``stack`` adds a new axis and needs equal shapes.
# ``split`` takes piece lengths, ``chunk`` a number of pieces that it may not
# reach, and ``tensor_split`` always returns the number asked.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.cat`, :func:`torch.stack`, :func:`torch.split`,
#    :func:`torch.chunk`, :func:`torch.tensor_split`, :func:`tensornotes.device`.
