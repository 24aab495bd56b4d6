"""
Step, sigmoid, tanh and ReLU with their derivatives
===================================================

The four classic activation functions, each with the derivative autograd
computes and the closed form on top. The step function has no autograd
derivative at all; ReLU's corner at 0 is marked with the value PyTorch
returns there.
"""

# %%
# Where the derivatives peak
# --------------------------
# :func:`tensornotes.derivative` differentiates each activation at 1201
# points in one backward pass.
import torch

import tensornotes

print(f"running on: {tensornotes.device()}")
x = torch.linspace(-6, 6, 1201, dtype=torch.float64)
for name, act in [("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("relu", torch.relu)]:
    d = tensornotes.derivative(act, x)
    print(f"{name:8} largest derivative {d.max().item():.4f}")
print("relu kinks:", tensornotes.kinks(torch.relu, -6, 6))


# %%
# The closed forms
# ----------------
# The sigmoid's derivative is :math:`\sigma(1 - \sigma)`, tanh's is
# :math:`1 - \tanh^2`, ReLU's is the step function.
def d_sigmoid(t):
    return torch.sigmoid(t) * (1 - torch.sigmoid(t))


def d_tanh(t):
    return 1 - torch.tanh(t) ** 2


def d_relu(t):
    return (t > 0).to(t.dtype)


# %%
# Draw them
# ---------
# The step function is drawn by hand, since autograd cannot differentiate
# :func:`torch.heaviside`; its derivative is 0 everywhere except at 0, where
# it does not exist.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(1, 4, figsize=(12, 3.4), layout="constrained")
step = torch.heaviside(x, torch.tensor(0.5, dtype=torch.float64))
axes[0].plot(x[x < 0].numpy(), step[x < 0].numpy(), color="C0", lw=2, label="step")
axes[0].plot(x[x > 0].numpy(), step[x > 0].numpy(), color="C0", lw=2)
axes[0].plot(x[x < 0].numpy(), 0 * x[x < 0].numpy(), color="C1", lw=2, label="step' (0)")
axes[0].plot(x[x > 0].numpy(), 0 * x[x > 0].numpy(), color="C1", lw=2)
axes[0].scatter([0], [0.5], color="C3", zorder=3, label="value 0.5 at 0")
axes[0].set(title="step: derivative 0, none at 0", xlabel="x", ylabel="value")
axes[0].legend(fontsize=7)

smooth = [
    ("sigmoid", torch.sigmoid, d_sigmoid),
    ("tanh", torch.tanh, d_tanh),
    ("relu", torch.relu, d_relu),
]
for ax, (name, act, closed) in zip(axes[1:], smooth, strict=True):
    tensornotes.plot_function_and_grad(act, -6, 6, ax=ax, closed_form=closed, n=401, label=name)
    ax.legend(fontsize=7, loc="upper left")
axes[1].axhline(0.25, color="0.5", ls=":", lw=1)
plt.show()

# %%
# Summary
# -------
# The sigmoid's slope never exceeds 0.25 and tanh's never exceeds 1. ReLU's
# derivative is 0 for negative inputs and 1 for positive ones; at 0 it has
# none, and PyTorch returns 0.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.sigmoid`, :func:`torch.tanh`, :func:`torch.relu`,
#    :func:`torch.heaviside`, :func:`tensornotes.derivative`,
#    :func:`tensornotes.kinks`, :func:`tensornotes.plot_function_and_grad`,
#    :func:`tensornotes.device`.
