"""
Start, learning rate and momentum decide where SGD ends
=======================================================

One call of :func:`tensornotes.compare_descent` runs SGD on Himmelblau's
function from two starts, with three learning rates, without and with
momentum. Each panel is one setting; the paths are coloured by the minimum
they reach, a circle marks a run still moving after the last step, and a
red cross marks where a diverging run leaves the picture.
"""

# %%
# Twelve runs
# -----------
# Every run is a real :class:`torch.optim.SGD` loop in ``float32``.
import tensornotes

print(f"running on: {tensornotes.device()}")
cmp = tensornotes.compare_descent(
    tensornotes.himmelblau,
    starts=[(0, 0), (-1, -1)],
    lrs=[0.01, 0.03, 0.05],
    momenta=[0, 0.9],
    steps=300,
)
print(cmp)

# %%
# One panel per learning rate and momentum
# ----------------------------------------
# Compare along a row to see momentum, down a column to see the learning
# rate, and within a panel to see the starting point.
import matplotlib.pyplot as plt

fig = cmp.plot()
fig.suptitle(
    "SGD on Himmelblau's function: squares are starts, stars the minima reached,\n"
    "circles runs still moving, red crosses divergence"
)
plt.show()

# %%
# Summary
# -------
# From (0, 0) with ``lr=0.01`` SGD reaches (3, 2); from (−1, −1) it reaches
# another minimum. With ``lr=0.03`` the runs circle around (3, 2) without
# settling, and with ``lr=0.05`` they diverge within a few steps. Momentum 0.9
# carries the run from (0, 0) past (3, 2) into the valley of (3.5844, −1.8481).
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :class:`torch.optim.SGD` (inside :func:`tensornotes.compare_descent`),
#    :func:`tensornotes.himmelblau`, :func:`tensornotes.device`.
