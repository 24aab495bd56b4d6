"""
The gradient points in the direction of steepest ascent
=======================================================

Autograd computes the gradient of :math:`f(x, y) = x^2 + 3y^2` on a grid. The
arrows cross every contour line at a right angle, and of all directions from
one point, the gradient's is the one in which :math:`f` rises fastest.
"""

# %%
# The function and the device
# ---------------------------
# :func:`tensornotes.device` picks where the tensors live; the gradient field
# is computed on the CPU in ``float64`` by :func:`tensornotes.gradient_field`.
import math

import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")


def f(x, y):
    return x**2 + 3 * y**2


field = tensornotes.gradient_field(f, (-2, 2), (-2, 2), n=9)
print("gradient at (1, 1):", field.grad_x[6, 6].item(), field.grad_y[6, 6].item())

# %%
# The directional derivative in every direction
# ---------------------------------------------
# Walking from :math:`p = (1, 1)` in the unit direction :math:`u`, the rate of
# change is the derivative of :math:`t \mapsto f(p + t u)` at :math:`t = 0`.
# One backward pass gives it for 360 directions at once.
p = torch.tensor([1.0, 1.0], device=dev)
angles = torch.arange(360, device=dev) * math.pi / 180
u = torch.stack([angles.cos(), angles.sin()], dim=1)
t = torch.zeros(360, device=dev, requires_grad=True)
(rates,) = torch.autograd.grad(f(p[0] + t * u[:, 0], p[1] + t * u[:, 1]).sum(), t)

grad = torch.tensor([2.0, 6.0], dtype=torch.float64)
grad_length = torch.linalg.vector_norm(grad).item()
grad_angle = math.degrees(math.atan2(grad[1], grad[0]))
best = int(rates.argmax())
print(f"steepest direction: {best} degrees (gradient: {grad_angle:.1f} degrees)")
print(f"steepest rate: {rates.max().item():.4f} (|gradient| = {grad_length:.4f})")

# %%
# Contours, gradient arrows and the rate per direction
# ----------------------------------------------------
# On the left, :func:`tensornotes.plot_surface` draws the contours and the
# arrows; the red arrow is the gradient at :math:`p`. On the right, the rate
# of change peaks where the direction equals the gradient's, is zero at right
# angles to it (along the contour) and is most negative opposite to it.
import matplotlib.pyplot as plt

fig, (ax_field, ax_rate) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
tensornotes.plot_surface(f, (-2, 2), (-2, 2), n=61, ax=ax_field, arrows=9)
ax_field.quiver(1, 1, 2, 6, color="red", angles="xy", scale_units="xy", scale=8, width=0.012)
ax_field.set_title("f(x, y) = x² + 3y² and its gradient")

ax_rate.plot(angles.cpu().numpy() * 180 / math.pi, rates.detach().cpu().numpy(), color="C0")
ax_rate.axvline(grad_angle, color="red", ls="--", label=f"gradient direction ({grad_angle:.1f}°)")
ax_rate.axhline(grad_length, color="0.5", ls=":", label="|gradient|")
ax_rate.axhline(0, color="0.8", lw=0.8)
ax_rate.set(
    title="rate of change of f from (1, 1), by direction",
    xlabel="direction (degrees)",
    ylabel="directional derivative",
    xlim=(0, 360),
)
ax_rate.legend(fontsize=8, loc="lower left")
plt.show()

# %%
# Summary
# -------
# The gradient is the vector of partial derivatives. Its direction is the
# direction of steepest ascent, its length is that steepest rate, and it is
# perpendicular to the contour line through the point. Gradient descent walks
# the other way, along :math:`-\nabla f`.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.autograd.grad`, :func:`torch.linalg.vector_norm`,
#    :func:`torch.arange`, :func:`torch.stack`,
#    :func:`tensornotes.gradient_field`, :func:`tensornotes.plot_surface`,
#    :func:`tensornotes.device`.
