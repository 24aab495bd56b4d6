"""
What expand, repeat and transpose do to memory
==============================================

Stretch a column of three numbers to four columns with ``expand`` and with
``repeat``, and transpose a matrix. The first figure shows which storage
element every entry reads; the second measures, with
:func:`tensornotes.memory_report`, the bytes each way allocates as the
target grows.
"""

# %%
# A column, stretched two ways
# ----------------------------
# ``expand`` returns a view whose stride along the new columns is 0: every
# column reads the same three numbers. ``repeat`` copies them into new memory.
import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")
col = torch.arange(3.0, device=dev).view(3, 1)
expanded = col.expand(3, 4)
repeated = col.repeat(1, 4)
grid = torch.arange(12.0, device=dev).view(3, 4)
transposed = grid.t()
for name, t in [("expand", expanded), ("repeat", repeated), ("t()", transposed)]:
    print(
        f"{name:>6}: shape {tuple(t.shape)}, stride {t.stride()}, "
        f"contiguous {t.is_contiguous()}, storage {t.untyped_storage().nbytes()} bytes"
    )


# %%
# Which storage element each entry reads
# --------------------------------------
# The storage offset of entry ``(i, j)`` is ``i * stride[0] + j * stride[1]``.
# With stride 0 the four columns of ``expand`` all point at the same element;
# ``t()`` swaps the strides, so reading it row by row jumps through memory.
def offsets(t: torch.Tensor) -> torch.Tensor:
    rows, cols = t.shape
    s0, s1 = t.stride()
    return torch.tensor([[i * s0 + j * s1 for j in range(cols)] for i in range(rows)])


import matplotlib.pyplot as plt

fig, axes = plt.subplots(1, 3, figsize=(10, 3.4), layout="constrained")
for ax, (title, t) in zip(
    axes,
    [
        ("col.expand(3, 4): stride (1, 0)", expanded),
        ("col.repeat(1, 4): stride (4, 1)", repeated),
        ("grid.t(): stride (1, 4)", transposed),
    ],
    strict=True,
):
    off = offsets(t)
    ax.imshow(off.numpy(), cmap="YlGnBu", vmin=-6, vmax=16)
    for i, row in enumerate(off.tolist()):
        for j, value in enumerate(row):
            ax.text(j, i, str(value), ha="center", va="center")
    ax.set(title=title, xlabel="column j", ylabel="row i")
    ax.set_xticks(range(t.shape[1]))
    ax.set_yticks(range(t.shape[0]))
fig.suptitle("storage offset read by each entry")
plt.show()

# %%
# Bytes allocated as the target grows
# -----------------------------------
# A column of 1000 ``float32`` numbers stretched to ``n`` columns. The views
# (``expand``, ``broadcast_to``) keep the original 4000 bytes whatever ``n``;
# ``repeat`` and a materialised copy grow with ``n``.
big = torch.ones(1000, 1, device=dev)
widths = [1, 10, 100, 1000]
reports = [tensornotes.memory_report(big, (1000, n)) for n in widths]
print(reports[-1])

fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
styles = {"expand": "o-", "broadcast_to": "x--", "repeat": "s-", "copy": "^--"}
for kind, style in styles.items():
    sizes = [r.row(kind).storage_bytes for r in reports]
    ax.plot(widths, sizes, style, label=kind)
ax.set(
    xscale="log",
    yscale="log",
    xlabel="columns n in the target (1000, n)",
    ylabel="storage bytes of the result",
    title="expand and broadcast_to allocate nothing; repeat and copies grow with n",
)
ax.legend()
plt.show()

# %%
# Summary
# -------
# ``expand`` (and ``broadcast_to``, ``expand_as``) reaches any size from a
# dim of size 1 without copying: stride 0 repeats one element. ``repeat``
# allocates the full result. ``t()`` copies nothing either, but the result is
# no longer contiguous; ``.contiguous()`` makes the copy when one is needed.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :meth:`torch.Tensor.expand`, :meth:`torch.Tensor.repeat`,
#    :meth:`torch.Tensor.t`, :meth:`torch.Tensor.stride`,
#    :meth:`torch.Tensor.untyped_storage`, :meth:`torch.Tensor.is_contiguous`,
#    :func:`tensornotes.memory_report`, :func:`tensornotes.device`.
