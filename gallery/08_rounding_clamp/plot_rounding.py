"""
floor, ceil, trunc, round, frac and clamp over [-3, 3]
=======================================================

Plot the rounding functions on the interval from -3 to 3, where their
differences on negative numbers show, mark what :func:`torch.round` does at
the ties, then clamp values to a range and clip gradients by their norm with
:func:`torch.nn.utils.clip_grad_norm_`.
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
x = torch.linspace(-3, 3, 1201, device=dev)

# %%
# Apply each function
# -------------------
# The step functions jump at whole numbers (``round`` at the half-way
# points). A ``nan`` at every jump keeps matplotlib from drawing a vertical
# line there.
functions = {
    "floor": torch.floor,
    "ceil": torch.ceil,
    "trunc": torch.trunc,
    "round": torch.round,
    "frac": torch.frac,
    "clamp(-1, 2)": lambda t: torch.clamp(t, -1, 2),
}
curves = {}
for name, f in functions.items():
    y = f(x)
    jumps = torch.zeros_like(y, dtype=torch.bool)
    jumps[1:] = (y[1:] - y[:-1]).abs() > 0.5
    curves[name] = torch.where(jumps, torch.nan, y).cpu()

ties = torch.arange(-2.5, 3.0, 1.0, device=dev)
print("ties:      ", ties.tolist())
print("round:     ", torch.round(ties).tolist())
print("half up:   ", torch.floor(ties + 0.5).tolist())

# %%
# Clip three gradients to norm 2
# ------------------------------
# Each gradient is one parameter's. ``clip_grad_norm_`` measures them as one
# long vector and scales all of them by the same factor, so the directions
# stay and the total length becomes ``max_norm``.
torch.manual_seed(0)
params = [torch.nn.Parameter(torch.zeros(2, device=dev)) for _ in range(3)]
for p in params:
    p.grad = 1.5 * torch.randn(2, device=dev)
before = [p.grad.clone().cpu() for p in params]
total = torch.nn.utils.clip_grad_norm_(params, max_norm=2.0)
after = [p.grad.cpu() for p in params]
print(f"total norm before: {total.item():.3f}")
print(f"total norm after:  {torch.nn.utils.get_total_norm(after).item():.3f}")

# %%
# Draw them
# ---------
import matplotlib.pyplot as plt

xs = x.cpu()
fig, (ax_r, ax_f, ax_g) = plt.subplots(1, 3, figsize=(10, 3.6), layout="constrained")
for k, name in enumerate(["floor", "ceil", "trunc", "round"]):
    ax_r.plot(xs, curves[name] + 0.06 * (k - 1.5), lw=1.5, label=name)
ax_r.plot(ties.cpu(), torch.round(ties).cpu(), "ko", ms=4, label="round at a tie")
ax_r.set(
    title="whole-number functions",
    xlabel="x",
    ylabel="f(x) (curves shifted slightly)",
    xticks=range(-3, 4),
    yticks=range(-3, 4),
)
ax_r.grid(alpha=0.3)
ax_r.legend(fontsize=7, loc="upper left")

ax_f.plot(xs, curves["frac"], lw=1.5, color="C4", label="frac(x) = x - trunc(x)")
ax_f.plot(xs, curves["clamp(-1, 2)"], lw=2, ls="--", color="C5", label="clamp(x, -1, 2)")
ax_f.set(title="frac keeps the sign; clamp cuts", xlabel="x", ylabel="f(x)", xticks=range(-3, 4))
ax_f.grid(alpha=0.3)
ax_f.legend(fontsize=7, loc="upper left")

for k, (g0, g1) in enumerate(zip(before, after, strict=True)):
    ax_g.annotate("", g0.numpy(), (0, 0), arrowprops={"arrowstyle": "->", "color": f"C{k}"})
    ax_g.annotate(
        "", g1.numpy(), (0, 0), arrowprops={"arrowstyle": "-|>", "color": f"C{k}", "lw": 2}
    )
circle = plt.Circle((0, 0), 2.0, fill=False, ls="--", color="0.5")
ax_g.add_patch(circle)
ax_g.set(
    title=f"clip_grad_norm_: total {total.item():.2f} -> 2",
    xlabel="gradient, component 0",
    ylabel="component 1",
    xlim=(-3.5, 3.5),
    ylim=(-3.5, 3.5),
    aspect="equal",
)
plt.show()

# %%
# Summary
# -------
# ``floor`` goes down and ``ceil`` up, ``trunc`` goes towards zero, and
# ``round`` goes to the nearest whole number, sending each tie to the even
# neighbour: the dots at -2.5, -0.5, 1.5 and 2.5 do not all go up. ``frac``
# is negative for negative x. Gradient clipping shortens the thin arrows to
# the thick ones without turning them.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.floor`, :func:`torch.ceil`, :func:`torch.trunc`,
#    :func:`torch.round`, :func:`torch.frac`, :func:`torch.clamp`,
#    :func:`torch.nn.utils.clip_grad_norm_`, :func:`torch.nn.utils.get_total_norm`,
#    :func:`tensornotes.device`.
