"""
Clipping gradients: clamp turns them, ``clip_grad_norm_`` does not
==================================================================

Three parameters get a gradient each. Cutting every element to ``[-1, 1]``
with :func:`torch.clamp` changes the gradients' directions. Rescaling them
all with :func:`torch.nn.utils.clip_grad_norm_` shortens them to a total
norm of 2 and keeps every direction.
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
# Three gradients
# ---------------
# Each parameter is a tensor of two elements that requires grad, so that
# each gradient can be drawn as an arrow in the plane. The gradients are set
# by hand here; ``backward`` would fill them in the same way.
torch.manual_seed(0)
params = [torch.zeros(2, device=dev, requires_grad=True) for _ in range(3)]
for p in params:
    p.grad = 1.5 * torch.randn(2, device=dev)
before = [p.grad.clone().cpu() for p in params]
print(f"total norm: {torch.nn.utils.get_total_norm(before).item():.3f}")

# %%
# Clamp each element, or clip the total norm
# ------------------------------------------
# ``clamp`` works element by element, so a gradient whose two elements are
# cut by different amounts turns. ``clip_grad_norm_`` multiplies every
# gradient by the same factor, ``max_norm / total``, and returns the total
# norm from before.
clamped = [g.clamp(-1, 1) for g in before]
total = torch.nn.utils.clip_grad_norm_(params, max_norm=2.0)
after = [p.grad.cpu() for p in params]
print(f"clip_grad_norm_ returned {total.item():.3f}, the norm before clipping")
print(f"total norm after clipping: {torch.nn.utils.get_total_norm(after).item():.3f}")
for k, (g0, g1, g2) in enumerate(zip(before, clamped, after, strict=True)):
    angles = [torch.atan2(g[1], g[0]).rad2deg().item() for g in (g0, g1, g2)]
    print(
        f"parameter {k}: direction {angles[0]:7.2f} deg, "
        f"after clamp {angles[1]:7.2f} deg, after clip_grad_norm_ {angles[2]:7.2f} deg"
    )

# %%
# Draw them
# ---------
# Thin arrows: the gradients before. Thick arrows: after. Left, the square
# ``[-1, 1]²`` that ``clamp`` cuts to. Right, one factor for all three
# arrows; it is the three together, not each one, that get the norm 2.
import matplotlib.pyplot as plt

fig, (ax_c, ax_n) = plt.subplots(1, 2, figsize=(10, 4.6), layout="constrained")
for ax, results in [(ax_c, clamped), (ax_n, after)]:
    for k, (g0, g1) in enumerate(zip(before, results, strict=True)):
        ax.annotate("", g0.numpy(), (0, 0), arrowprops={"arrowstyle": "->", "color": f"C{k}"})
        ax.annotate(
            "", g1.numpy(), (0, 0), arrowprops={"arrowstyle": "-|>", "color": f"C{k}", "lw": 2.5}
        )
    ax.set(
        xlabel="gradient, element 0",
        ylabel="element 1",
        xlim=(-3.5, 3.5),
        ylim=(-3.5, 3.5),
        aspect="equal",
    )
    ax.grid(alpha=0.3)
ax_c.add_patch(plt.Rectangle((-1, -1), 2, 2, fill=False, ls="--", color="0.5"))
ax_c.set_title("g.clamp(-1, 1) for each gradient g:\nthe arrows turn")
factor = 2.0 / total.item()
ax_n.set_title(
    f"clip_grad_norm_(max_norm=2): total {total.item():.2f} -> 2,\n"
    f"every arrow times {factor:.3f}: none turns"
)
plt.show()

# %%
# Summary
# -------
# ``clamp`` cuts each element on its own and so changes the direction of a
# gradient. ``clip_grad_norm_`` measures all the gradients as one long vector
# and scales them by one factor, so the total norm becomes ``max_norm`` and
# every direction stays.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.nn.utils.clip_grad_norm_`, :func:`torch.nn.utils.get_total_norm`,
#    :func:`torch.clamp`, :func:`torch.atan2`, :func:`torch.manual_seed`,
#    :func:`tensornotes.device`.
