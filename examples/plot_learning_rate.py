"""
=========================================
Choosing the learning rate by grid search
=========================================

This example tunes the fixed learning rate of the textbook gradient loop
(``solver="gd"``) with :func:`~sklearn.model_selection.validation_curve` and
:class:`~sklearn.model_selection.GridSearchCV`, and shows where the stable range
ends: learning rates above ``2 / L`` make the estimator raise, and the search
records those candidates as NaN.
"""

# %%
# The model and its stability limit
# ---------------------------------
# The model standardizes the mid-parent height and runs 20 epochs of plain
# gradient descent. Each epoch multiplies the distance to the minimum, along
# each eigenvector of the Gram matrix of ``[x, 1]``, by
# ``|1 - learning_rate * curvature|``. The loop therefore converges only when
# the step is below ``2 / L``, with ``L`` the largest curvature (the Lipschitz
# constant of the gradient). The estimator checks this before the first epoch
# and raises a ``ValueError`` for a larger step.
#
# ``learning_rate="auto"`` takes ``1 / L``, so ``2 * learning_rate_`` of a fit is
# the limit for that fit's data. The SSR is a sum over samples, so ``L`` grows
# with the number of samples, and the limit is computed on each training fold
# of the cross-validation below.
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning, FitFailedWarning
from sklearn.model_selection import GridSearchCV, KFold, validation_curve
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_gd import GDLinearRegressor
from sklearn_gd.datasets import load_galton

X, y = load_galton(return_X_y=True)
model = make_pipeline(StandardScaler(), GDLinearRegressor(solver="gd", max_iter=20))
cv = KFold(n_splits=5, shuffle=True, random_state=0)

fold_limits = []
for train, _ in cv.split(X):
    fitted = make_pipeline(StandardScaler(), GDLinearRegressor(solver="gd"))
    fitted.fit(X[train], y[train])
    fold_limits.append(2 * fitted[-1].learning_rate_)
limit = min(fold_limits)
print("2 / L of each training fold:", ", ".join(f"{v:.5g}" for v in fold_limits))

# %%
# A step above the limit fails before any epoch runs, with a message that
# states the limit:
too_large = make_pipeline(
    StandardScaler(), GDLinearRegressor(solver="gd", learning_rate=1.5 * limit)
)
try:
    too_large.fit(X, y)
except ValueError as exc:
    print(exc)

# %%
# Validation curve
# ----------------
# The candidates run from 1% of the smallest fold limit to 1.5 times it. The
# last two lie above the limit of every fold. ``error_score=np.nan`` makes the
# failing fits score NaN instead of stopping the search.
factors = np.array([0.01, 0.03, 0.1, 0.2, 0.35, 0.5, 0.65, 0.9, 0.97, 1.02, 1.5])
learning_rates = factors * limit
with warnings.catch_warnings():
    # Every fit stops at max_iter=20 (a ConvergenceWarning) and every candidate
    # above the limit fails (a FitFailedWarning); both are expected here.
    warnings.simplefilter("ignore", ConvergenceWarning)
    warnings.simplefilter("ignore", FitFailedWarning)
    train_scores, test_scores = validation_curve(
        model,
        X,
        y,
        param_name="gdlinearregressor__learning_rate",
        param_range=learning_rates,
        cv=cv,
        scoring="neg_mean_squared_error",
        error_score=np.nan,
    )
test_mse = -test_scores.mean(axis=1)
print(
    pd.DataFrame(
        {"learning_rate": learning_rates, "step / limit": factors, "test MSE": test_mse}
    ).to_string(index=False, float_format="{:.4g}".format)
)

# %%
# With 20 epochs, small steps have not reached the minimum, and steps close to
# the limit overshoot it back and forth with little damping. In between, from
# about 0.2 to 0.65 of the limit, the test error is flat at its minimum, and
# the differences in the table are noise. Here the standardized feature and the
# intercept have the same curvature, so ``1 / L`` (half the limit) lands on the
# minimum in one epoch. The failed candidates have no score; the plot marks
# them with crosses.
fig, ax = plt.subplots(layout="constrained")
ax.plot(learning_rates, test_mse, "o-", label="test MSE (5-fold mean)")
failed = np.isnan(test_mse)
ax.plot(
    learning_rates[failed],
    np.full(failed.sum(), np.nanmax(test_mse)),
    "rx",
    markersize=10,
    label="ValueError: above 2 / L (NaN)",
)
ax.axvspan(min(fold_limits), max(fold_limits), color="tab:red", alpha=0.3)
ax.axvline(limit, color="tab:red", linestyle="--", label="2 / L of the folds")
ax.axvline(limit / 2, color="k", linestyle=":", label="1 / L ('auto')")
ax.set(
    xscale="log",
    yscale="log",
    xlabel="learning_rate",
    ylabel="test mean squared error (in²)",
    title="20 epochs of solver='gd' on standardized heights",
)
ax.legend()

# %%
# Grid search
# -----------
# :class:`~sklearn.model_selection.GridSearchCV` scores the same candidates,
# ranks the NaN ones last and refits the best on all the data. Among the tied
# candidates it picks whichever scores best by a rounding-level margin. One caveat: the
# full data set has more samples than a training fold, so its limit ``2 / L`` is
# smaller, here 0.8 of the fold limit (747 of 934 samples). A step above that,
# such as 0.9 of the fold limit, would make the refit raise. The best step here
# is below it.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    warnings.simplefilter("ignore", FitFailedWarning)
    warnings.filterwarnings("ignore", message="One or more of the test scores")
    search = GridSearchCV(
        model,
        {"gdlinearregressor__learning_rate": learning_rates},
        cv=cv,
        scoring="neg_mean_squared_error",
        error_score=np.nan,
    ).fit(X, y)
results = pd.DataFrame(search.cv_results_)
print(
    results[
        ["param_gdlinearregressor__learning_rate", "mean_test_score", "rank_test_score"]
    ].to_string(index=False, float_format="{:.4g}".format)
)
best = search.best_params_["gdlinearregressor__learning_rate"]
full_limit = 2 / search.best_estimator_[-1].lipschitz_
print(f"best learning_rate = {best:.4g} ({best / limit:.2f} of the fold limit)")
print(f"2 / L on all {len(y)} samples = {full_limit:.4g} ({full_limit / limit:.2f})")

plt.show()
