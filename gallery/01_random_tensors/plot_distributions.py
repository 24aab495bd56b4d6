"""
The distributions behind rand, randn and randint
================================================

Draw a hundred thousand samples from each of :func:`torch.rand`,
:func:`torch.randn` and :func:`torch.randint`, and compare their histograms with
the densities they should follow. The upper bounds are excluded: the bar
of ``randint`` at ``high`` stays empty, and the largest of the ``rand``
samples stays below 1.
"""

# %%
# Where the tensors live
# ----------------------
# :func:`tensornotes.device` picks CUDA, then MPS, then the CPU, or what the
# ``TENSORNOTES_DEVICE`` variable asks for. Seeding first makes the figure the
# same on every build on the same kind of device: the CPU and CUDA each have
# a generator of their own, and they draw different numbers.
import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")
torch.manual_seed(0)
n = 100_000

# %%
# Draw the samples
# ----------------
# ``randint(0, 6, ...)`` draws the integers 0 to 5: the upper bound is
# excluded, like the 1 of ``rand``.
uniform = torch.rand(n, device=dev)
normal = torch.randn(n, device=dev)
integers = torch.randint(0, 6, (n,), device=dev)

print(f"rand:    min {uniform.min().item():.8f}, max {uniform.max().item():.8f}")
print(f"rand:    every sample below 1: {bool((uniform < 1).all())}")
print(f"randn:   mean {normal.mean().item():+.4f}, std {normal.std().item():.4f}")
print(f"randint: values {integers.unique().tolist()}")

# %%
# Histograms against the densities
# --------------------------------
# Each histogram is normalised to a density, so it should match the curve
# drawn over it. :func:`torch.bincount` counts how often each integer
# occurs; ``minlength=7`` keeps a (zero) count for 6. Only the plotting moves
# the data back to the CPU.
import math

import matplotlib.pyplot as plt

fig, (ax_u, ax_n, ax_i) = plt.subplots(1, 3, figsize=(10, 3.2), layout="constrained")

ax_u.hist(uniform.cpu().numpy(), bins=50, range=(0, 1), density=True, color="C0")
ax_u.plot([0, 1], [1, 1], color="k", lw=1.5, label="density 1 on [0, 1)")
ax_u.set(title="torch.rand: uniform on [0, 1)", xlabel="value", ylabel="density", ylim=(0, 1.3))
ax_u.legend(loc="lower center", fontsize=8)

grid = torch.linspace(-4.5, 4.5, 200)
pdf = torch.exp(-(grid**2) / 2) / math.sqrt(2 * math.pi)
ax_n.hist(normal.cpu().numpy(), bins=60, range=(-4.5, 4.5), density=True, color="C1")
ax_n.plot(grid.numpy(), pdf.numpy(), color="k", lw=1.5, label="N(0, 1)")
ax_n.set(title="torch.randn: standard normal", xlabel="value")
ax_n.legend(loc="upper right", fontsize=8)

counts = torch.bincount(integers, minlength=7).cpu()
ax_i.bar(range(7), (counts / n).numpy(), color="C2")
ax_i.axhline(1 / 6, color="k", lw=1.5, label="1/6 each")
ax_i.set(
    title="torch.randint(0, 6): 6 never drawn",
    xlabel="value",
    ylabel="fraction",
    xticks=range(7),
)
ax_i.legend(loc="upper right", fontsize=8)
plt.show()

# %%
# Summary
# -------
# ``rand`` is uniform on the half-open interval [0, 1), ``randn`` is the
# standard normal, and ``randint(low, high, size)`` draws integers from
# ``low`` up to but not including ``high``. The bar at 6 is empty.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.manual_seed`, :func:`torch.rand`, :func:`torch.randn`,
#    :func:`torch.randint`, :func:`torch.bincount`, :func:`torch.linspace`,
#    :func:`tensornotes.device`.
