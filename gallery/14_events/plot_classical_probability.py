"""
Classical probability on dice and coins, exactly
================================================

With equally likely outcomes, the probability of an event is the number of
its sample points over the size of the sample space. :func:`tensornotes.P`
returns that ratio as an exact fraction; simulated rolls and tosses with
:func:`torch.randint` approach it.
"""

# %%
# Two dice
# --------
# The sample space has 36 ordered pairs. The events are sets of pairs, so
# their probabilities are fractions with denominator 36, reduced.
import itertools

from tensornotes import P, SampleSpace, independent

dice = SampleSpace(itertools.product(range(1, 7), repeat=2))
seven = dice.event(lambda w: sum(w) == 7)
double = dice.event(lambda w: w[0] == w[1])
first_six = dice.event(lambda w: w[0] == 6)
print("P(sum is 7)          =", P(seven))
print("P(a double)          =", P(double))
print("P(sum 7 or a double) =", P(seven | double), "(disjoint, so the two add up)")
print("P(sum 7 | first is 6) =", P(seven, given=first_six))
print("sum 7 and first 6 independent:", independent(seven, first_six))

# %%
# Three coins
# -----------
# Eight equally likely sequences of heads and tails. At least one head is
# the complement of "all tails", so its probability is 1 - 1/8.
coins = SampleSpace("".join(t) for t in itertools.product("HT", repeat=3))
at_least_one_head = coins.event(lambda w: "H" in w)
print("Ω =", coins.certain)
print("P(at least one head) =", P(at_least_one_head), "= 1 -", P(~at_least_one_head))

# %%
# Simulate and compare
# --------------------
# Relative frequencies from seeded random rolls on the examples' device
# approach the exact fractions as the number of trials grows.
import torch

import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")
torch.manual_seed(0)
trials = 20_000
rolls = torch.randint(1, 7, (trials, 2), device=dev)
tosses = torch.randint(0, 2, (trials, 3), device=dev)  # 1 is a head
hits_seven = (rolls.sum(dim=1) == 7).float()
hits_head = (tosses.sum(dim=1) > 0).float()
n = torch.arange(1, trials + 1, device=dev)
running_seven = (hits_seven.cumsum(0) / n).cpu()
running_head = (hits_head.cumsum(0) / n).cpu()
print(
    f"after {trials} trials: sum 7 {running_seven[-1]:.4f} (exact {float(P(seven)):.4f}), "
    f"a head {running_head[-1]:.4f} (exact {float(P(at_least_one_head)):.4f})"
)

# %%
# Draw the sample space and the frequencies
# -----------------------------------------
import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap

fig, (ax_grid, ax_run) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
cells = torch.zeros(6, 6)
for i, j in seven:
    cells[j - 1, i - 1] = 1
for i, j in double:
    cells[j - 1, i - 1] = 2
ax_grid.imshow(
    cells.numpy(),
    origin="lower",
    cmap=ListedColormap(["white", "#fdd49e", "#c6dbef"]),
    extent=(0.5, 6.5, 0.5, 6.5),
)
for i, j in dice:
    ax_grid.text(i, j, f"{i}+{j}", ha="center", va="center", fontsize=7)
ax_grid.set(
    title=f"two dice: sum 7 (orange, {len(seven)} of 36), doubles (blue, {len(double)} of 36)",
    xlabel="first die",
    ylabel="second die",
)
ax_grid.title.set_fontsize(9)

steps = n.cpu().numpy()
ax_run.plot(steps, running_seven.numpy(), label="sum is 7 (simulated)")
ax_run.axhline(float(P(seven)), color="C0", ls="--", label=f"exact {P(seven)}")
ax_run.plot(steps, running_head.numpy(), color="C1", label="at least one head (simulated)")
ax_run.axhline(
    float(P(at_least_one_head)), color="C1", ls="--", label=f"exact {P(at_least_one_head)}"
)
ax_run.set(
    xscale="log",
    xlabel="number of trials",
    ylabel="relative frequency",
    title="frequencies approach the classical probabilities",
    ylim=(0, 1),
)
ax_run.legend(fontsize=8, loc="center right")
plt.show()

# %%
# Summary
# -------
# Classical probability counts: P(A) = len(A) / len(Ω), here computed exactly
# as fractions. Simulated frequencies wander around these values and settle
# near them as the trials add up.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :func:`torch.manual_seed`, :func:`torch.randint`, :func:`torch.cumsum`,
#    :func:`torch.arange`, :func:`tensornotes.device`, :func:`tensornotes.P`,
#    :func:`tensornotes.independent`.
