"""
floor, ceil, trunc, round, frac and clamp over [-3, 3]
=======================================================

Plot each rounding function on its own panel, on the interval from -3 to 3,
where their differences on negative numbers show. The ties, the points
halfway between two whole numbers, are marked on every panel, and on the
panel of :func:`torch.round` beside the tie rule 四舍五入 taught at school.
Two more panels show :func:`torch.frac` and :func:`torch.clamp`.
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
    "clamp(x, -1, 2)": lambda t: torch.clamp(t, -1, 2),
}
curves = {}
for name, f in functions.items():
    y = f(x)
    jumps = torch.zeros_like(y, dtype=torch.bool)
    jumps[1:] = (y[1:] - y[:-1]).abs() > 0.5
    curves[name] = torch.where(jumps, torch.nan, y).cpu()

# %%
# The ties
# --------
# At a tie, ``round`` picks the even neighbour. 四舍五入 picks the neighbour
# away from zero; ``round_half_away`` finds the ties exactly with ``frac``
# and leaves every other value to ``round``.
ties = torch.arange(-2.5, 3.0, 1.0, device=dev)


def round_half_away(t):
    tie = t.frac().abs() == 0.5
    return torch.where(tie, t.trunc() + t.sign(), t.round())


print("ties:         ", ties.tolist())
print("round:        ", torch.round(ties).tolist())
print("half away:    ", round_half_away(ties).tolist())

# %%
# Draw them
# ---------
# One panel per function. The dotted lines are the ties; the dots show what
# each function returns there.
import matplotlib.pyplot as plt

xs = x.cpu()
tie_x = ties.cpu()
fig, axes = plt.subplots(2, 3, figsize=(10, 6), layout="constrained", sharex=True)
for ax, (name, f) in zip(axes.flat, functions.items(), strict=True):
    for t in tie_x:
        ax.axvline(t, color="0.85", ls=":", lw=1)
    ax.plot(xs, curves[name], lw=2, color="C0")
    ax.plot(tie_x, f(ties).cpu(), "ko", ms=5, label=f"{name} at a tie")
    ax.set(title=name if "(" in name else f"{name}(x)", xticks=range(-3, 4), yticks=range(-3, 4))
    ax.grid(alpha=0.3)
axes[0, 0].set_ylabel("f(x)")
axes[1, 0].set_ylabel("f(x)")
for ax in axes[1]:
    ax.set_xlabel("x")
ax_round = axes.flat[list(functions).index("round")]
ax_round.plot(
    tie_x,
    round_half_away(ties).cpu(),
    "o",
    mfc="none",
    mec="C3",
    ms=9,
    mew=1.5,
    label="half away from zero",
)
ax_round.set_title("round(x): ties to the even neighbour")
for ax in axes.flat:
    ax.legend(fontsize=7, loc="upper left")
plt.show()

# %%
# Summary
# -------
# ``floor`` goes down and ``ceil`` up, ``trunc`` goes towards zero, and
# ``round`` goes to the nearest whole number, sending each tie to the even
# neighbour: the black dots at the ties land on -2, -2, 0, 0, 2 and 2. The
# red rings of 四舍五入 go away from zero, to -3, -2, -1, 1, 2 and 3, and
# agree with ``round`` only at -1.5 and 1.5, where the even neighbour is also
# the one further from zero. ``frac`` is negative for negative x, and
# ``clamp`` is flat outside its range.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.floor`, :func:`torch.ceil`, :func:`torch.trunc`,
#    :func:`torch.round`, :func:`torch.frac`, :func:`torch.clamp`,
#    :func:`torch.where`, :func:`torch.sign`, :func:`tensornotes.device`.
