"""
===============================
Loss curves of the solver modes
===============================

This example compares the loss curves of the two solvers: Nesterov's
accelerated descent on standardized columns, and the textbook loop on the raw
coefficients. Each runs both ways of computing an epoch, from the precomputed
Gram matrix and by a pass over the data.
"""

# %%
# The problem
# -----------
# The raw diabetes measurements have columns on very different scales (sex is
# coded 1 or 2, a serum level runs in the hundreds), so the Gram matrix of
# ``[X, 1]`` is badly conditioned. The least-squares SSR from
# :class:`~sklearn.linear_model.LinearRegression` is subtracted from every
# curve, so the log scale shows how fast each fit approaches it.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_gd import GDLinearRegressor
from sklearn_gd._plotting import LossCurveDisplay

X, y = load_diabetes(return_X_y=True, scaled=False)
residual = LinearRegression().fit(X, y).predict(X) - y
ssr_min = residual @ residual
print(f"least-squares SSR = {ssr_min:.8g}")
print(f"condition number of [X, 1]: {np.linalg.cond(np.c_[X, np.ones(len(X))]):.3g}")

# %%
# Fits
# ----
# Each solver runs once with ``precompute=True`` and once with
# ``precompute=False``. A third textbook loop runs on standardized columns: the
# SSR does not change when a column is shifted and scaled (the intercept and
# the coefficient absorb it), so its loss curve is comparable with the others.
fits = {}
with warnings.catch_warnings():
    # The textbook loop stops at max_iter before it converges, as expected.
    warnings.simplefilter("ignore", ConvergenceWarning)
    for solver, max_iter in (("nesterov", 10_000), ("gd", 5_000)):
        for precompute in (True, False):
            reg = GDLinearRegressor(
                solver=solver, precompute=precompute, max_iter=max_iter
            )
            reg.fit(X, y)
            fits[solver, precompute] = reg
            print(
                f"solver={solver!r}, precompute={precompute}: {reg.n_iter_} epochs, "
                "SSR / least-squares SSR - 1 = "
                f"{reg.loss_curve_[-1] / ssr_min - 1:.2e}"
            )
    scaled = make_pipeline(
        StandardScaler(), GDLinearRegressor(solver="gd", max_iter=5_000)
    ).fit(X, y)
print(
    f"standardized, solver='gd': SSR / least-squares SSR - 1 = "
    f"{scaled[-1].loss_curve_[-1] / ssr_min - 1:.2e}"
)

# %%
# The two ways to compute an epoch give the same iterates up to rounding, so
# their loss curves coincide:
for solver in ("nesterov", "gd"):
    gram = np.asarray(fits[solver, True].loss_curve_)
    streaming = np.asarray(fits[solver, False].loss_curve_)
    difference = np.max(np.abs(gram - streaming) / gram)
    print(f"{solver}: largest relative difference of the loss curves {difference:.1e}")

# %%
# The curves
# ----------
# Nesterov's solver reaches the least-squares SSR to rounding in a few hundred
# epochs. Its curve is not monotone because momentum overshoots, and each
# restart of the momentum shows as a kink. The textbook loop on the raw columns
# stalls about 13% above the minimum: its step is limited by the steepest
# direction (the intercept and the large serum columns) while the flattest
# direction barely moves. On standardized columns the same loop converges,
# but still more slowly than with momentum, because several measurements are
# strongly correlated. The dashed lines (``precompute=False``) run along the
# middle of the wide ones (``precompute=True``).
fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
# Wide light lines for precompute=True, thin dark dashes on top of them for
# precompute=False.
styles = {
    ("nesterov", True): {"color": "lightskyblue", "linewidth": 5},
    ("nesterov", False): {"color": "navy", "linestyle": "--", "linewidth": 1.5},
    ("gd", True): {"color": "navajowhite", "linewidth": 5},
    ("gd", False): {"color": "saddlebrown", "linestyle": "--", "linewidth": 1.5},
}
for (solver, precompute), reg in fits.items():
    LossCurveDisplay.from_estimator(
        reg,
        name=f"solver={solver!r}, precompute={precompute}",
        ax=ax,
        baseline=ssr_min,
        xscale="log",
        line_kwargs=styles[solver, precompute],
    )
LossCurveDisplay.from_estimator(
    scaled[-1],
    name="StandardScaler + solver='gd'",
    ax=ax,
    baseline=ssr_min,
    xscale="log",
    line_kwargs={"color": "tab:green", "linewidth": 2},
)
ax.set(ylabel="SSR - least-squares SSR", title="Raw diabetes data")

plt.show()
