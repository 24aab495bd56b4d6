"""
Vanishing gradients through many layers
=======================================

Backpropagation multiplies one activation derivative per layer. Through a
stack of sigmoids the product shrinks at least as fast as :math:`0.25^n`;
through ReLUs with positive inputs it stays 1. With weights, ReLU passes the
weights' product through unchanged, and one negative pre-activation (a dead
ReLU) stops the gradient completely.
"""

# %%
# A chain of activations
# ----------------------
# Apply the same activation ``n`` times to one number and ask autograd for
# the derivative of the result with respect to the input: the product of the
# ``n`` local derivatives, by the chain rule.
import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")


def chain_gradient(act, n, start=0.5):
    z = torch.tensor(start, device=dev, requires_grad=True)
    h = z
    for _ in range(n):
        h = act(h)
    (g,) = torch.autograd.grad(h, z)
    return g.item()


depths = list(range(1, 31))
curves = {
    "sigmoid": [chain_gradient(torch.sigmoid, n) for n in depths],
    "tanh": [chain_gradient(torch.tanh, n) for n in depths],
    "relu": [chain_gradient(torch.relu, n) for n in depths],
}
for name, values in curves.items():
    print(f"{name:8} after 10 layers {values[9]:.2e}, after 30 layers {values[29]:.2e}")


# %%
# ReLU layers with weights
# ------------------------
# A real layer multiplies by a weight first: :math:`h_k = \mathrm{relu}(w_k h_{k-1})`.
# Where the pre-activation :math:`w_k h_{k-1}` is positive, ReLU's factor is 1
# and the gradient is the product of the weights, so weights above 1 make it
# explode and weights below 1 make it vanish. In the third chain the weight of
# layer 8 is negative: its pre-activation is negative, ReLU's factor there is
# 0, and from that layer on no gradient reaches the input.
def weighted_relu_gradient(weights, start=1.0):
    z = torch.tensor(start, device=dev, requires_grad=True)
    h = z
    for w in weights:
        h = torch.relu(w * h)
    (g,) = torch.autograd.grad(h, z)
    return g.item() + 0.0  # + 0.0 turns the -0.0 of a negative weight into 0.0


dead_layer = 8
chains = {
    "weights 1.25": [1.25] * len(depths),
    "weights 0.75": [0.75] * len(depths),
    f"weights 1.25, layer {dead_layer}: −1.25": [
        -1.25 if k == dead_layer else 1.25 for k in depths
    ],
}
weighted = {name: [weighted_relu_gradient(ws[:n]) for n in depths] for name, ws in chains.items()}
for name, values in weighted.items():
    print(f"{name:28} after 5 layers {values[4]:.3g}, after 30 layers {values[29]:.3g}")

# %%
# Draw the products on a log scale
# --------------------------------
# Left: no weights. The dashed line is the sigmoid's bound :math:`0.25^n`.
# tanh's product also shrinks, but much more slowly: its slope is 1 at 0,
# though not elsewhere. Right: ReLU layers with weights. A gradient of exactly
# 0 has no place on a log scale, so those values are drawn as crosses on the
# bottom edge.
import matplotlib.pyplot as plt

fig, (ax, ax_w) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
for name, values in curves.items():
    ax.semilogy(depths, values, "o-", ms=3, label=name)
ax.semilogy(depths, [0.25**n for n in depths], "k--", lw=1, label="0.25ⁿ (sigmoid's bound)")
ax.set(
    title="no weights: the activations alone (input 0.5)",
    xlabel="number of layers n",
    ylabel="d output / d input",
)
ax.legend(fontsize=8)

floor = 1e-6
for i, (name, values) in enumerate(weighted.items()):
    live = [(n, v) for n, v in zip(depths, values, strict=True) if v > 0]
    dead = [n for n, v in zip(depths, values, strict=True) if v == 0]
    style = "s--" if dead else "o-"
    ax_w.semilogy(*zip(*live, strict=True), style, ms=4, color=f"C{i + 3}", label=name)
    if dead:
        ax_w.semilogy(
            dead, [floor] * len(dead), "x", color=f"C{i + 3}", label="exactly 0 (dead ReLU)"
        )
        ax_w.annotate(
            f"from layer {dead_layer} on: 0",
            (dead_layer, floor),
            xytext=(dead_layer + 1, floor * 20),
            arrowprops={"arrowstyle": "->", "color": f"C{i + 3}"},
            fontsize=8,
            color=f"C{i + 3}",
        )
ax_w.set(
    title="ReLU with weights: relu(w · h), input 1",
    xlabel="number of layers n",
    ylim=(floor / 2, None),
)
ax_w.legend(fontsize=8, loc="upper left")
plt.show()

# %%
# Summary
# -------
# A sigmoid's derivative is at most 0.25, so every sigmoid layer divides the
# gradient by four or more: after 20 layers almost nothing is left. ReLU's own
# factor is 1 where its input is positive and 0 where it is negative: it passes
# the weights' product through unchanged, growing or shrinking, and a single
# negative pre-activation stops the gradient entirely.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.autograd.grad`, :func:`torch.sigmoid`, :func:`torch.tanh`,
#    :func:`torch.relu`, :func:`tensornotes.device`.
