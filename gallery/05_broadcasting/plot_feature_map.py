"""
What the notes' feature-map examples really add
===============================================

Add three biases to a batch of feature maps of shape ``[4, 3, 32, 32]``:
one of shape ``[32, 32]``, one of ``[3, 1, 1]`` and one of ``[1, 1, 1, 1]``.
The first figure shows how each shape is padded and stretched; the second
shows what lands on the pixels of the first image.
"""

# %%
# Where the tensors live
# ----------------------
# :func:`tensornotes.device` picks the device; the maps start at zero so that
# the result of each addition is exactly the bias, broadcast.
import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")
fmap = torch.zeros(4, 3, 32, 32, device=dev)

# %%
# Three biases
# ------------
# ``[32, 32]`` holds one value per pixel position (here a disc on a ramp),
# ``[3, 1, 1]`` one value per channel, and ``[1, 1, 1, 1]`` a single value.
rows = torch.linspace(0, 1, 32, device=dev)
biases = {
    "[32, 32]": (((rows - 0.5) ** 2)[:, None] + ((rows - 0.4) ** 2)[None, :] < 0.1) * 0.8
    + 0.4 * rows[None, :],
    "[3, 1, 1]": torch.tensor([0.0, 0.5, 1.0], device=dev).view(3, 1, 1),
    "[1, 1, 1, 1]": torch.full((1, 1, 1, 1), 0.7, device=dev),
}
for name, bias in biases.items():
    out = fmap + bias
    same_images = all(torch.equal(out[0], out[i]) for i in range(4))
    same_channels = all(torch.equal(out[0, 0], out[0, c]) for c in range(3))
    print(
        f"{name:>13}: result {tuple(out.shape)}, "
        f"{out[0].unique().numel():4d} distinct values in one image, "
        f"all 4 images equal: {same_images}, all 3 channels equal: {same_channels}"
    )

# %%
# How each shape lines up
# -----------------------
# :meth:`tensornotes.BroadcastExplanation.plot` draws each operand as a row of
# dims: dashed cells are 1s added on the left, hatched cells are 1s stretched.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(3, 1, figsize=(9, 6.5), layout="constrained")
for ax, bias in zip(axes, biases.values(), strict=True):
    tensornotes.explain_broadcast(fmap, bias).plot(ax=ax)
plt.show()

# %%
# What lands on the pixels
# ------------------------
# Each row is one bias; each column one channel of the first image. Only
# ``[32, 32]`` varies across the pixels: it holds its own value for every
# pixel position, the same in every channel. It is not one offset per row
# plus one per column: no such sum could draw the disc.
fig, axes = plt.subplots(3, 3, figsize=(8, 8), layout="constrained")
for r, (name, bias) in enumerate(biases.items()):
    out = (fmap + bias)[0].cpu()
    for c in range(3):
        ax = axes[r, c]
        image = ax.imshow(out[c].numpy(), vmin=0, vmax=1.3, cmap="viridis")
        ax.set_title(f"+ {name}, channel {c}", fontsize=9)
        ax.set_xlabel("column")
        ax.set_ylabel("row")
fig.colorbar(image, ax=axes, shrink=0.6, label="value added")
plt.show()

# %%
# Summary
# -------
# ``[32, 32]`` adds its own value at each of the 1024 pixel positions, shared
# by every image and channel. ``[3, 1, 1]`` adds one value per channel, and
# ``[1, 1, 1, 1]`` one value to everything. In each case the bias is never
# copied: broadcasting reads it with stride 0 along the stretched dims.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.zeros`, :func:`torch.linspace`, :func:`torch.tensor`,
#    :func:`torch.full`, :meth:`torch.Tensor.view`, :meth:`torch.Tensor.unique`,
#    :func:`torch.equal`,
#    :func:`tensornotes.explain_broadcast`, :func:`tensornotes.device`.
