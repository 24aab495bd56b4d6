"""
Convex, saddle and non-convex surfaces
======================================

A convex bowl has one minimum; the saddle :math:`x^2 - y^2` has a stationary
point that is no minimum; Himmelblau's function has nine stationary points,
found and classified with autograd's Hessian.
"""

# %%
# Three surfaces
# --------------
# Each function is written with elementwise operations, so the same code
# evaluates a whole grid or a single point.
import torch

import tensornotes

print(f"running on: {tensornotes.device()}")


def bowl(x, y):
    return x**2 + y**2


def saddle(x, y):
    return x**2 - y**2


# %%
# Stationary points
# -----------------
# :func:`tensornotes.stationary_points` runs Newton's method on the gradient
# from a 7 by 7 grid of starts and classifies each point by the signs of the
# Hessian's eigenvalues.
g = torch.linspace(-5, 5, 7, dtype=torch.float64)
starts = torch.cartesian_prod(g, g)
found = {
    "bowl": tensornotes.stationary_points(bowl, starts),
    "saddle": tensornotes.stationary_points(saddle, starts),
    "himmelblau": tensornotes.stationary_points(tensornotes.himmelblau, starts),
}
for name, points in found.items():
    for p in points:
        eig = ", ".join(f"{e:.1f}" for e in p.eigenvalues)
        print(f"{name:10} {p.kind:8} ({p.point[0]:7.4f}, {p.point[1]:7.4f})  eigenvalues {eig}")

# %%
# Draw them
# ---------
# The contour plots carry the gradient arrows of
# :func:`tensornotes.plot_surface`; the markers are the stationary points:
# circles for minima, a triangle for the maximum, crosses for saddles.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), layout="constrained")
titles = {"bowl": "convex: x² + y²", "saddle": "saddle: x² − y²", "himmelblau": "Himmelblau"}
functions = {"bowl": bowl, "saddle": saddle, "himmelblau": tensornotes.himmelblau}
markers = {"minimum": "o", "maximum": "^", "saddle": "X", "degenerate": "s"}
for ax, (name, f) in zip(axes, functions.items(), strict=True):
    tensornotes.plot_surface(f, (-5, 5), (-5, 5), n=81, ax=ax, arrows=11)
    for kind, marker in markers.items():
        pts = [p.point for p in found[name] if p.kind == kind]
        if pts:
            xs, ys = zip(*pts, strict=True)
            ax.scatter(xs, ys, marker=marker, s=60, color="red", edgecolors="white", label=kind)
    ax.set_title(titles[name])
    ax.legend(fontsize=7, loc="upper left")
plt.show()

# %%
# Summary
# -------
# The bowl's only stationary point is its minimum. The saddle's gradient also
# vanishes at the origin, but its Hessian has eigenvalues of both signs.
# Himmelblau's function has four minima, one maximum and four saddle points.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.linspace`, :func:`torch.cartesian_prod`,
#    :func:`torch.autograd.functional.hessian` (inside
#    :func:`tensornotes.stationary_points`), :func:`tensornotes.plot_surface`,
#    :func:`tensornotes.himmelblau`, :func:`tensornotes.device`.
