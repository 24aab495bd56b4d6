"""
Common functions and their derivatives, from autograd
=====================================================

Six functions, each drawn with the derivative autograd computes and the
closed form written by hand (dashed, on top). Where the two curves coincide,
the formula is right.
"""

# %%
# The functions and their closed-form derivatives
# -----------------------------------------------
# Each entry is the function, the derivative written by hand and the range
# to draw. :func:`tensornotes.plot_function_and_grad` differentiates the
# function with autograd, in one backward pass over all the points.
import torch

import tensornotes

print(f"running on: {tensornotes.device()}")

cases = {
    "3x − 2": (lambda x: 3 * x - 2, lambda x: torch.full_like(x, 3.0), (-2, 2)),
    "x²": (lambda x: x**2, lambda x: 2 * x, (-2, 2)),
    "exp(x)": (torch.exp, torch.exp, (-2, 2)),
    "log(x)": (torch.log, lambda x: 1 / x, (0.2, 4)),
    "sin(x²)": (lambda x: torch.sin(x**2), lambda x: 2 * x * torch.cos(x**2), (-2.5, 2.5)),
    "x·exp(−x²/2)": (
        lambda x: x * torch.exp(-(x**2) / 2),
        lambda x: (1 - x**2) * torch.exp(-(x**2) / 2),
        (-3, 3),
    ),
}

# %%
# How close the closed forms are
# ------------------------------
# Before drawing, measure the largest gap between autograd and each formula
# over 1001 points in ``float64``.
for name, (f, closed, (lo, hi)) in cases.items():
    x = torch.linspace(lo, hi, 1001, dtype=torch.float64)
    gap = (tensornotes.derivative(f, x) - closed(x)).abs().max().item()
    print(f"{name:14} largest gap {gap:.1e}")

# %%
# Draw them
# ---------
# Blue is the function, orange its autograd derivative, the dashed black
# line the closed form.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(2, 3, figsize=(10, 5.6), layout="constrained")
for ax, (name, (f, closed, (lo, hi))) in zip(axes.flat, cases.items(), strict=True):
    tensornotes.plot_function_and_grad(f, lo, hi, ax=ax, closed_form=closed, n=201, label=name)
    ax.legend(fontsize=6, loc="best")
plt.show()

# %%
# Summary
# -------
# The derivative of a linear function is its slope, powers follow
# :math:`n x^{n-1}`, :math:`e^x` is its own derivative, :math:`\ln x` has
# :math:`1/x`, and compositions multiply derivatives by the chain rule. Autograd
# agrees with every formula to within rounding error.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.exp`, :func:`torch.log`, :func:`torch.sin`,
#    :func:`torch.linspace`, :func:`tensornotes.derivative`,
#    :func:`tensornotes.plot_function_and_grad`, :func:`tensornotes.device`.
