"""
A channels-last image seen through permute and through view
===========================================================

Build a colour image with ``torch`` alone, store it channels-last as image
files do, and convert it to PyTorch's channels-first layout twice: with
:meth:`~torch.Tensor.permute`, which moves the dims, and with
:meth:`~torch.Tensor.view`, which only relabels the storage. Both results have
the same shape; only one of them is still the picture.
"""

# %%
# A synthetic image, stored channels-last
# ---------------------------------------
# Red grows from left to right, green from top to bottom, and blue draws
# rings around the centre. Numbering the pixels row by row, pixel ``k`` is in
# row ``k // W`` and column ``k % W``: the same arithmetic as a storage
# position. Each colour plane is written into its channel of an empty
# ``[H, W, C]`` tensor, so the three values of each pixel sit next to each
# other in storage.
import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")

height, width = 48, 64
pixel = torch.arange(height * width, device=dev)
rows = (pixel // width).view(height, width) / (height - 1)  # 0 at the top, 1 at the bottom
cols = (pixel % width).view(height, width) / (width - 1)  # 0 on the left, 1 on the right
radius = torch.sqrt((rows - 0.5) ** 2 + ((cols - 0.5) * width / height) ** 2)
rings = 0.5 + 0.5 * torch.cos(radius * 30)
hwc = torch.empty(height, width, 3, device=dev)
hwc[:, :, 0] = cols
hwc[:, :, 1] = rows
hwc[:, :, 2] = rings

print("channels-last:", tuple(hwc.shape), "strides", hwc.stride())

# %%
# Two ways to get ``[C, H, W]``
# -----------------------------
# ``permute(2, 0, 1)`` moves the channel dim to the front and keeps every
# value with its pixel. ``view(3, H, W)`` keeps the storage order and cuts it
# into three blocks of ``H * W`` values, each a mix of red, green and blue.
# A shape check passes both: their shapes are identical.
right = hwc.permute(2, 0, 1)
wrong = hwc.view(3, height, width)

for name, chw in [("permute", right), ("view", wrong)]:
    bindings = tensornotes.check_shape(chw, "3 H W")
    print(
        f"{name:>7}: shape {tuple(chw.shape)}, strides {chw.stride()}, "
        f"contiguous {chw.is_contiguous()}, check_shape {bindings}"
    )
print("same values:", torch.equal(right, wrong))

# %%
# The picture and its channel planes
# ----------------------------------
# The top row shows the image and the three planes that ``permute`` gives.
# The bottom row shows what a channels-first model would receive from
# ``view``: each "channel" plane is a fine mesh of all three colours, and the
# image put back together from them is scrambled. ``permute(1, 2, 0)`` brings
# each result back to ``[H, W, C]``, the layout ``imshow`` expects.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(2, 4, figsize=(10, 5), layout="constrained")
for row, (label, chw) in enumerate([("permute", right), ("view", wrong)]):
    picture = chw.permute(1, 2, 0).cpu().numpy()
    axes[row, 0].imshow(picture)
    axes[row, 0].set_title(f"{label}: as an image")
    for c, colour in enumerate(["red", "green", "blue"]):
        plane = chw[c].cpu().numpy()
        axes[row, c + 1].imshow(plane, cmap="gray", vmin=0, vmax=1)
        what = colour if label == "permute" else "mixed"
        axes[row, c + 1].set_title(f"{label}: channel {c} ({what})")
for ax in axes.flat:
    ax.set(xlabel="column (W)", ylabel="row (H)", xticks=[], yticks=[])
plt.show()

# %%
# Summary
# -------
# ``view`` and ``reshape`` never reorder dims: they keep the elements in
# row-major order and only regroup them. Converting between ``[H, W, C]`` and ``[C, H, W]`` (or
# ``[B, H, W, C]`` and ``[B, C, H, W]``) needs ``permute``. A shape check
# catches a dim of the wrong size, not values in the wrong order.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.arange`, :func:`torch.empty`, :func:`torch.sqrt`, :func:`torch.cos`,
#    :meth:`torch.Tensor.permute`,
#    :meth:`torch.Tensor.view`, :meth:`torch.Tensor.stride`,
#    :meth:`torch.Tensor.is_contiguous`, :func:`tensornotes.check_shape`,
#    :func:`tensornotes.device`.
