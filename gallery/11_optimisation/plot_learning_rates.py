"""
Learning rates that converge, oscillate and diverge
===================================================

On the parabola :math:`f(x) = x^2` each SGD step multiplies :math:`x` by
:math:`1 - 2\\eta`. Below 0.5 the run creeps down from one side, between
0.5 and 1 it zig-zags across the minimum, and above 1 it jumps further out
every step.
"""

# %%
# Four runs of torch.optim.SGD
# ----------------------------
# :func:`tensornotes.descend` runs the ``zero_grad``, ``backward``, ``step``
# loop of :class:`torch.optim.SGD` and records every position.
import tensornotes

dev = tensornotes.device()
print(f"running on: {dev}")


def parabola(x):
    return x**2


rates = [0.1, 0.45, 0.9, 1.05]
runs = [tensornotes.descend(parabola, 2.0, lr=lr, steps=12, device=dev) for lr in rates]
for lr, run in zip(rates, runs, strict=True):
    path = ", ".join(f"{v:.2f}" for v in run.positions[:5, 0].tolist())
    print(f"lr={lr:<5} factor {1 - 2 * lr:+.2f}: x = {path}, ...")

# %%
# Draw the paths
# --------------
# Left: the paths on the parabola, from :func:`tensornotes.plot_descent`.
# Right: the distance to the minimum, step by step, on a log scale: a
# straight line down converges, a line up diverges.
import matplotlib.pyplot as plt

fig, (ax_path, ax_dist) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
labels = [f"lr={lr} (factor {1 - 2 * lr:+.2f})" for lr in rates]
tensornotes.plot_descent(parabola, runs, ax=ax_path, xlim=(-3, 3), labels=labels)
ax_path.set_title("SGD on f(x) = x², from x = 2")
for i, (run, label) in enumerate(zip(runs, labels, strict=True)):
    ax_dist.semilogy(
        run.positions[:, 0].abs().cpu().numpy(), "o-", ms=3, color=f"C{i}", label=label
    )
ax_dist.set(title="distance to the minimum", xlabel="step", ylabel="|x|")
ax_dist.legend(fontsize=8)
plt.show()

# %%
# Summary
# -------
# With :math:`|1 - 2\eta| < 1` the run converges, monotonically for
# :math:`\eta < 0.5` and zig-zagging for :math:`0.5 < \eta < 1`. At
# :math:`\eta = 1` it bounces between 2 and −2 forever, and above 1 it diverges.
#
# .. admonition:: References
#
#    The use of the following functions is shown in this example:
#    :class:`torch.optim.SGD` (inside :func:`tensornotes.descend`),
#    :func:`tensornotes.plot_descent`, :func:`tensornotes.device`.
