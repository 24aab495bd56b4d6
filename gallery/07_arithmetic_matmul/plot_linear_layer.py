"""
A linear layer as one matrix product, and a shape bug caught
============================================================

Apply a linear layer ``x @ w.T + b`` to four small images: ``x`` is
``[4, 784]`` and the weight ``w`` is ``[512, 784]``, as
:class:`torch.nn.Linear` stores it. Each weight row is a cosine pattern, so
each output says how much of that pattern an image holds. Then pass the
weight the wrong way round and read what the shape checker says.
"""

# %%
# Four images, flattened into rows
# --------------------------------
# Each 28 x 28 image is built from coordinates with ``torch``: a vertical
# bar, a horizontal bar, a disk and a diagonal stripe. Flattening turns the
# batch into a ``[4, 784]`` matrix, one image per row.
import math

import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")

side = 28
r = torch.arange(side, device=dev, dtype=torch.float32)[:, None].expand(side, side)
c = torch.arange(side, device=dev, dtype=torch.float32)[None, :].expand(side, side)
images = torch.stack(
    [
        ((c - 13.5).abs() < 3).float(),
        ((r - 13.5).abs() < 3).float(),
        (((r - 13.5) ** 2 + (c - 13.5) ** 2) < 81).float(),
        ((r - c).abs() < 3).float(),
    ]
)
x = images.reshape(4, side * side)
print("x:", tuple(x.shape))

# %%
# 512 cosine patterns as the weight
# ---------------------------------
# Row ``k`` of ``w`` is a 2-D cosine with ``u`` waves down and ``v`` across,
# taken from the lowest frequencies up. ``x @ w.T`` then measures every
# image against every pattern in one matrix product.
freqs = sorted(((u, v) for u in range(side) for v in range(side)), key=lambda f: (sum(f), f))
u = torch.tensor([f[0] for f in freqs[:512]], device=dev, dtype=torch.float32)
v = torch.tensor([f[1] for f in freqs[:512]], device=dev, dtype=torch.float32)
grid = torch.arange(side, device=dev, dtype=torch.float32) + 0.5
rows_cos = torch.cos(math.pi * u[:, None] * grid / side)  # [512, 28]
cols_cos = torch.cos(math.pi * v[:, None] * grid / side)  # [512, 28]
w = (rows_cos[:, :, None] * cols_cos[:, None, :]).reshape(512, side * side)
b = torch.zeros(512, device=dev)
print("w:", tuple(w.shape), " b:", tuple(b.shape))

# %%
# The layer, with its shapes checked
# ----------------------------------
# :func:`tensornotes.shapes` checks the arguments against named dims before
# the body runs. The first call is right. The second passes ``w.T``, a
# ``[784, 512]`` matrix: the checker names the dim that disagrees and the fix.
from tensornotes import ShapeError, shapes


@shapes(x="B IN", w="OUT IN", b="OUT", returns="B OUT")
def linear(x, w, b):
    return x @ w.T + b


y = linear(x, w, b)
print("y = x @ w.T + b:", tuple(y.shape))
print(
    "same as torch.nn.functional.linear:", torch.allclose(y, torch.nn.functional.linear(x, w, b))
)

try:
    linear(x, w.T, b)
except ShapeError as err:
    print(err)

# %%
# Inputs, weights and outputs
# ---------------------------
# The vertical bar excites the patterns that vary across the columns only,
# the horizontal bar those that vary down the rows, the disk and the stripe
# a mix. Unit 0, the constant pattern, just adds up each image and is left
# out of the colour scale. The tiles are drawn by viewing the rows as
# images and moving dims with ``permute`` so that they sit side by side.
import matplotlib.pyplot as plt


def tile(rows: torch.Tensor, n_down: int, n_across: int) -> torch.Tensor:
    """Lay ``n_down * n_across`` flattened 28 x 28 images out as one image."""
    grid = rows.reshape(n_down, n_across, side, side).permute(0, 2, 1, 3)
    return grid.reshape(n_down * side, n_across * side)


fig, (ax_x, ax_w, ax_y) = plt.subplots(
    1, 3, figsize=(10, 3.6), layout="constrained", gridspec_kw={"width_ratios": [1, 1, 1.4]}
)
ax_x.imshow(tile(x, 2, 2).cpu().numpy(), cmap="gray")
ax_x.set(title="x: 4 images, [4, 784]", xlabel="column", ylabel="row")
ax_w.imshow(tile(w[:16], 4, 4).cpu().numpy(), cmap="RdBu_r", vmin=-1, vmax=1)
ax_w.set(title="w[:16]: 16 of 512 rows", xlabel="column", ylabel="row")
part = y[:, 1:33].cpu()
limit = part.abs().max().item()
shown = ax_y.imshow(part.numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
ax_y.set(
    title="y[:, 1:33] from x @ w.T + b",
    xlabel="output unit - 1",
    ylabel="image",
    yticks=range(4),
)
fig.colorbar(shown, ax=ax_y, label="output")
plt.show()

# %%
# Summary
# -------
# A linear layer is one matrix product: ``[4, 784] @ [784, 512]`` plus a
# bias that broadcasts over the batch. ``nn.Linear`` keeps the weight as
# ``[out, in]``, hence the ``.T``; forgetting it is caught by PyTorch and,
# with a clearer message and a fix, by a shape spec.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.matmul`, :func:`torch.nn.functional.linear`,
#    :func:`torch.cos`, :meth:`torch.Tensor.permute`,
#    :meth:`torch.Tensor.reshape`, :func:`tensornotes.shapes`,
#    :func:`tensornotes.device`.
