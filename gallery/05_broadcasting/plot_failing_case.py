"""
A failing broadcast, PyTorch's error and the explanation
========================================================

Add a per-sample scale of shape ``[4, 1, 1]`` to feature maps of shape
``[4, 3, 32, 32]``. PyTorch refuses; the figure puts its real error next to
the dim-by-dim explanation, then shows the fix.
"""

# %%
# The failing addition
# --------------------
# One value per sample, four samples: it looks right, but broadcasting lines
# shapes up on the **right**, so the 4 lands on the 3 channels.
import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")
a = torch.zeros(4, 3, 32, 32, device=dev)
b = torch.arange(4.0, device=dev).view(4, 1, 1)
try:
    a + b
except RuntimeError as exc:
    error = str(exc)
print(f"RuntimeError: {error}")

# %%
# The explanation
# ---------------
# :func:`tensornotes.explain_broadcast` finds the same dim, gives it three
# ways and suggests code that fits. Its ``torch_message`` is PyTorch's text.
explanation = tensornotes.explain_broadcast(a, b)
print(explanation)
assert explanation.torch_message() == error

# %%
# The fix
# -------
# ``b.unsqueeze(-1)`` has shape ``[4, 1, 1, 1]``: its 4 now meets the batch
# dim, and the three 1s stretch over channels, rows and columns.
fixed = b.unsqueeze(-1)
out = a + fixed
print(f"fixed: {tuple(fixed.shape)} -> result {tuple(out.shape)}")
print("value added to each sample:", out[:, 0, 0, 0].tolist())

# %%
# Error and explanation side by side
# ----------------------------------
# Top: the failing shapes, the clash in red, PyTorch's message below it.
# Bottom: the same addition after ``unsqueeze(-1)``.
import textwrap

import matplotlib.pyplot as plt

fig, (ax_bad, ax_good) = plt.subplots(2, 1, figsize=(9, 5.5), layout="constrained")
explanation.plot(ax=ax_bad)
ax_bad.text(
    0.5,
    -0.08,
    "RuntimeError: " + textwrap.fill(error, 80),
    transform=ax_bad.transAxes,
    ha="center",
    va="top",
    family="monospace",
    fontsize=8,
    color="#8b0000",
)
tensornotes.explain_broadcast(a, fixed).plot(ax=ax_good)
ax_good.set_title("after b.unsqueeze(-1): " + ax_good.get_title())
plt.show()

# %%
# Summary
# -------
# PyTorch's "non-singleton dimension 1" counts from the left of the padded
# shapes; the clash is at dim -3 from the right, index 0 of ``b``. A size-1
# dim after the 4 moves it where it belongs.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.zeros`, :func:`torch.arange`, :meth:`torch.Tensor.view`,
#    :meth:`torch.Tensor.unsqueeze`, :func:`tensornotes.explain_broadcast`,
#    :func:`tensornotes.device`.
