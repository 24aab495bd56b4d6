"""
Tangent lines whose slope is the autograd derivative
====================================================

Six common functions, each drawn with its tangent line at three points. The
slope of every tangent is the number autograd returns there, and the line
touches the curve: that is what a derivative is. The closed-form derivatives
are checked against the same numbers before anything is drawn.
"""

# %%
# The functions and their closed-form derivatives
# -----------------------------------------------
# Each entry is the function, the derivative written by hand, the range to
# draw and three points at which to draw a tangent.
import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")

cases = {
    "3x − 2": (lambda x: 3 * x - 2, lambda x: torch.full_like(x, 3.0), (-2, 2), [-1.0, 0.5, 1.5]),
    "x²": (lambda x: x**2, lambda x: 2 * x, (-2, 2), [-1.5, 0.0, 1.0]),
    "exp(x)": (torch.exp, torch.exp, (-2, 2), [-1.0, 0.0, 1.5]),
    "log(x)": (torch.log, lambda x: 1 / x, (0.2, 4), [0.5, 1.0, 3.0]),
    "sin(x²)": (
        lambda x: torch.sin(x**2),
        lambda x: 2 * x * torch.cos(x**2),
        (-2.5, 2.5),
        [-1.5, 0.8, 2.0],
    ),
    "x·exp(−x²/2)": (
        lambda x: x * torch.exp(-(x**2) / 2),
        lambda x: (1 - x**2) * torch.exp(-(x**2) / 2),
        (-3, 3),
        [0.0, 1.0, 2.0],
    ),
}

# %%
# The slopes, from one backward pass
# ----------------------------------
# The functions act element by element, so the gradient of ``f(a).sum()``
# holds :math:`f'(a_i)` at position ``i``: plain autograd gives all three
# slopes at once. They agree with the closed forms.
slopes = {}
for name, (f, closed, _, points) in cases.items():
    a = torch.tensor(points, dtype=torch.float64, device=dev, requires_grad=True)
    f(a).sum().backward()
    slopes[name] = a.grad
    match = torch.allclose(a.grad, closed(a.detach()), rtol=1e-12, atol=1e-12)
    shown = ", ".join(f"{s:.3f}" for s in a.grad.tolist())
    print(f"{name:14} slopes at {points}: {shown}  (closed form agrees: {match})")

# %%
# Over many points
# ----------------
# :func:`tensornotes.derivative` does the same backward pass over 1001
# points; the largest gap to each formula is a rounding error.
for name, (f, closed, (lo, hi), _) in cases.items():
    x = torch.linspace(lo, hi, 1001, dtype=torch.float64, device=dev)
    gap = (tensornotes.derivative(f, x) - closed(x)).abs().max().item()
    print(f"{name:14} largest gap {gap:.1e}")

# %%
# Draw the tangents
# -----------------
# At each point :math:`a` the line :math:`y = f(a) + f'(a)\,(x - a)` uses the
# slope autograd returned, drawn a short way on either side of the point.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(2, 3, figsize=(10, 5.6), layout="constrained")
for ax, (name, (f, _, (lo, hi), points)) in zip(axes.flat, cases.items(), strict=True):
    x = torch.linspace(lo, hi, 201, dtype=torch.float64, device=dev)
    y = f(x)
    low, high = y.min().item(), y.max().item()
    ax.plot(x.cpu().numpy(), y.cpu().numpy(), color="C0", lw=2)
    for a, s in zip(points, slopes[name].tolist(), strict=True):
        fa = f(torch.tensor(a, dtype=torch.float64)).item()
        # The same length on screen for every tangent, however steep.
        half = 0.2 * (hi - lo) / (1 + (s * (hi - lo) / (high - low)) ** 2) ** 0.5
        xs = torch.tensor([a - half, a + half], dtype=torch.float64)
        ax.plot(xs.numpy(), (fa + s * (xs - a)).numpy(), color="C3", lw=1.5)
        ax.scatter([a], [fa], color="C3", zorder=3, s=18)
        ax.annotate(
            f"slope {s:.2f}", (a, fa), textcoords="offset points", xytext=(5, -12), fontsize=7
        )
    pad = 0.15 * (high - low)
    ax.set(xlim=(lo, hi), ylim=(low - pad, high + pad), xlabel="x", title=name)
fig.suptitle("Each red tangent has the slope autograd returns at its point")
plt.show()

# %%
# Summary
# -------
# The derivative of a linear function is its slope, the same everywhere;
# powers follow :math:`n x^{n-1}`, :math:`e^x` is its own derivative,
# :math:`\ln x` has :math:`1/x`, and compositions multiply derivatives by the
# chain rule. Each tangent drawn with autograd's slope touches its curve.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :meth:`torch.Tensor.backward`, :func:`torch.exp`, :func:`torch.log`,
#    :func:`torch.sin`, :func:`torch.linspace`, :func:`torch.allclose`,
#    :func:`tensornotes.derivative`, :func:`tensornotes.device`.
