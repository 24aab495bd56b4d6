"""
Vanishing gradients through many layers
=======================================

Backpropagation multiplies one activation derivative per layer. Through a
stack of sigmoids the product shrinks at least as fast as :math:`0.25^n`;
through ReLUs with positive inputs it stays 1.
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
# Draw the products on a log scale
# --------------------------------
# The dashed line is the sigmoid's bound :math:`0.25^n`. tanh's product also
# shrinks, but much more slowly: its slope is 1 at 0, though not elsewhere.
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
for name, values in curves.items():
    ax.semilogy(depths, values, "o-", ms=3, label=name)
ax.semilogy(depths, [0.25**n for n in depths], "k--", lw=1, label="0.25ⁿ (sigmoid's bound)")
ax.set(
    title="gradient reaching the input through n layers (input 0.5)",
    xlabel="number of layers n",
    ylabel="d output / d input",
)
ax.legend(fontsize=8)
plt.show()

# %%
# Summary
# -------
# A sigmoid's derivative is at most 0.25, so every sigmoid layer divides the
# gradient by four or more: after 20 layers almost nothing is left. ReLU passes
# the gradient unchanged where its input is positive.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.autograd.grad`, :func:`torch.sigmoid`, :func:`torch.tanh`,
#    :func:`torch.relu`, :func:`tensornotes.device`.
