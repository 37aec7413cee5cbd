"""
=====================================
Galton's heights, one epoch at a time
=====================================

This example fits a line to Galton's family heights by gradient descent from a
deliberately bad start, and draws what the descent does: the loss falling, the
path over the SSR surface, and the fitted line moving. It runs the textbook loop
with a small fixed step, the same loop with the automatic step, and then the
default solver.
"""

# %%
# The data
# --------
# :func:`~sklearn_gd.datasets.load_galton` returns 934 children with the height
# of their "mid-parent" (the mean of the father's height and 1.08 times the
# mother's), all in inches. The least-squares line from
# :class:`~sklearn.linear_model.LinearRegression` is the target of every fit
# below.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression

from sklearn_gd import GDLinearRegressor
from sklearn_gd._plotting import (
    DescentPathDisplay,
    FittedLinesDisplay,
    LossCurveDisplay,
)
from sklearn_gd.datasets import load_galton

galton = load_galton()
X, y = galton.data, galton.target
ols = LinearRegression().fit(X, y)
ols_ssr = float(np.sum((ols.predict(X) - y) ** 2))
print(f"least squares: w = {ols.coef_[0]:.4f}, b = {ols.intercept_:.4f}")
print(f"least-squares SSR = {ols_ssr:.2f}")

# %%
# Three pictures of a fit
# -----------------------
# Every fit below starts from the line ``y = 3 x + 1``, which predicts children
# about 200 inches tall, and records its parameters with ``record_every``. This
# helper draws the three pictures side by side:
#
# - the SSR at the start (epoch 0) and after each epoch, against a dashed line
#   at the least-squares SSR;
# - contours of the SSR over ``(w, b)``, spaced geometrically above the
#   minimum, with the recorded path, its start, its end and the minimum;
# - the data and the fitted line at a few recorded epochs whose lines differ
#   visibly. The vertical axis spans the data, and an arrow at its edge points
#   to a line that lies outside.
#
# The column names of the data label the axes.

start = {"coef_init": [3.0], "intercept_init": 1.0}
names = {"feature_names": galton.feature_names}


def show_fit(reg, title):
    """Draw the loss curve, the descent path and the fitted lines of ``reg``."""
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5), layout="constrained")
    # Markers keep a curve of a few epochs visible.
    markers = {"marker": "o"} if reg.n_iter_ <= 50 else {}
    LossCurveDisplay.from_estimator(
        reg, X, y, ax=axes[0], xscale="log", line_kwargs=markers
    )
    axes[0].axhline(ols_ssr, color="k", linestyle="--", label="least squares")
    axes[0].legend()
    axes[0].set_title("Loss curve from epoch 0")
    DescentPathDisplay.from_estimator(reg, X, y, ax=axes[1], **names)
    axes[1].set_title("SSR over (w, b) and the path")
    FittedLinesDisplay.from_estimator(
        reg, X, y, ax=axes[2], target_name=galton.target_names[0], **names
    )
    axes[2].set_title("Fitted line at chosen epochs")
    fig.suptitle(title, fontsize="x-large")


# %%
# The textbook loop with a small fixed step
# -----------------------------------------
# ``solver="gd"`` runs plain gradient descent on the raw ``(w, b)``:
# ``w <- w - learning_rate * dSSR/dw`` and the same for ``b``. The loop diverges
# for steps above ``2 / L``, where ``L`` is the Lipschitz constant of the
# gradient (twice the largest eigenvalue of the Gram matrix of ``[x, 1]``). For
# these heights ``2 / L`` is about ``2.2e-7``. We take a tenth of that and run
# 20,000 epochs.
with warnings.catch_warnings():
    # The loop stops at max_iter long before it converges; that is the point.
    warnings.simplefilter("ignore", ConvergenceWarning)
    small = GDLinearRegressor(
        solver="gd", learning_rate=2e-8, max_iter=20_000, record_every=1
    ).fit(X, y, **start)
print(f"2 / L = {2 / small.lipschitz_:.4g}")
print(f"after {small.n_iter_} epochs: w = {small.coef_[0]:.4f}, ", end="")
print(f"b = {small.intercept_:.4f}, SSR = {small.loss_curve_[-1]:.2f}")
show_fit(small, "solver='gd', learning_rate=2e-8")

# %%
# The SSR falls by three orders of magnitude in about 30 epochs and then stalls
# a few percent above the minimum. The contours show why. Over ``(w, b)`` the
# SSR is a valley, long and narrow because the heights sit far from zero: a
# change of ``w`` shifts every prediction by about 69 times as much as the
# same change of ``b``. The first epochs run down the steep wall into the
# valley, where the line already passes through the middle of the data. Along
# the valley floor the slope is so gentle that 20,000 epochs move ``b`` by less
# than 0.1, while the minimum lies 21 inches away.
#
# The ratio of the largest to the smallest curvature, the condition number of
# the Gram matrix, measures this: the number of epochs plain descent needs
# grows in proportion to it.
gram = np.array([[np.sum(X[:, 0] ** 2), np.sum(X[:, 0])], [np.sum(X[:, 0]), len(X)]])
curvatures = np.linalg.eigvalsh(2 * gram)
print(f"L = {curvatures[-1]:.4g}, smallest curvature = {curvatures[0]:.4g}")
print(f"condition number = {curvatures[-1] / curvatures[0]:.3g}")

# %%
# Seen from the side, with ``kind="surface"``, the SSR is a trough: the path
# runs down the steep wall from the start and stops on the floor, far from the
# minimum at the other end.
surface = DescentPathDisplay.from_estimator(small, X, y, kind="surface", **names)
surface.ax_.set_title("SSR over (w, b), solver='gd'")
surface.ax_.view_init(elev=30, azim=-60)

# %%
# The automatic step
# ------------------
# ``learning_rate="auto"`` takes ``1 / L``, which drops into the valley in a
# single epoch. It creeps along the floor no faster: the step is bounded by the
# steep direction, and the gentle one needs millions of epochs whatever step
# is stable.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    auto = GDLinearRegressor(solver="gd", max_iter=20_000, record_every=1).fit(
        X, y, **start
    )
print(f"learning_rate_ = {auto.learning_rate_:.4g}")
print(f"after {auto.n_iter_} epochs: w = {auto.coef_[0]:.4f}, ", end="")
print(f"b = {auto.intercept_:.4f}, SSR = {auto.loss_curve_[-1]:.2f}")
show_fit(auto, "solver='gd', learning_rate='auto' (1 / L)")

# %%
# The default solver
# ------------------
# The default ``solver="nesterov"`` centres the data and scales each column to
# unit norm before it iterates, which turns the valley into a round bowl. It
# does not iterate on the intercept either. Every iterate uses the intercept
# that minimizes the SSR for its coefficients, so the iterates lie on the
# valley floor from the start, and with one feature a single step of ``1 / L``
# in the scaled coordinates lands on the minimum. The second epoch only
# confirms that the gradient vanished.
default = GDLinearRegressor(record_every=1).fit(X, y, **start)
print(f"after {default.n_iter_} epochs: w = {default.coef_[0]:.4f}, ", end="")
print(f"b = {default.intercept_:.4f}, SSR = {default.loss_curve_[-1]:.2f}")
show_fit(default, "solver='nesterov' (the default)")

# %%
# Centring is what the textbook loop was missing
# ----------------------------------------------
# The same plain loop on the centred heights meets a round valley: the
# condition number drops from millions to about 3, and it converges to the
# default tolerance in a few dozen epochs.
x_mean = X.mean()
centred = GDLinearRegressor(solver="gd").fit(X - x_mean, y)
intercept = centred.intercept_ - centred.coef_[0] * x_mean
print(f"epochs on centred heights: {centred.n_iter_}")
print(f"w = {centred.coef_[0]:.4f}, b = {intercept:.4f} in the original units")

plt.show()
