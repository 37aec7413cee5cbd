"""
=================================================
Cross-validating a pipeline against least squares
=================================================

This example puts :class:`~sklearn_gd.GDLinearRegressor` in a scikit-learn
:class:`~sklearn.pipeline.Pipeline`, cross-validates it with
:func:`~sklearn.model_selection.cross_validate` on the diabetes data, and checks
that each fold's model matches
:class:`~sklearn.linear_model.LinearRegression` on the same fold.
"""

# %%
# Data and models
# ---------------
# ``load_diabetes(scaled=False)`` returns the ten baseline measurements of 442
# patients in their own units: age in years, sex coded 1 or 2, blood serum
# levels up to a few hundred. Both models get the same standardizing pipeline,
# so their coefficients are comparable. The gradient-descent model would fit
# the raw columns just as well, because its default solver standardizes
# internally.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_gd import GDLinearRegressor
from sklearn_gd._plotting import LossCurveDisplay

X, y = load_diabetes(return_X_y=True, scaled=False)
models = {
    "GDLinearRegressor": make_pipeline(StandardScaler(), GDLinearRegressor()),
    "LinearRegression": make_pipeline(StandardScaler(), LinearRegression()),
}
cv = KFold(n_splits=5, shuffle=True, random_state=0)

# %%
# Cross-validation
# ----------------
# :func:`~sklearn.model_selection.cross_validate` clones each pipeline, fits it
# on four folds and scores it on the fifth. ``return_estimator=True`` keeps the
# fitted pipelines for the comparisons below.
results = {
    name: cross_validate(
        model,
        X,
        y,
        cv=cv,
        scoring=("r2", "neg_mean_squared_error"),
        return_estimator=True,
    )
    for name, model in models.items()
}
scores = pd.DataFrame(
    {name: result["test_r2"] for name, result in results.items()},
    index=pd.RangeIndex(1, 6, name="fold"),
)
print(scores.round(6))
print(scores.agg(["mean", "std"]).round(6))

# %%
# The test R² of the two models agree to the printed digits on every fold, and
# the fitted coefficients of each fold agree to about ``1e-8`` relative.
gd_fits = results["GDLinearRegressor"]["estimator"]
ls_fits = results["LinearRegression"]["estimator"]
for fold, (gd, ls) in enumerate(zip(gd_fits, ls_fits), start=1):
    gd_coef, ls_coef = gd[-1].coef_, ls[-1].coef_
    error = np.max(np.abs(gd_coef - ls_coef)) / np.max(np.abs(ls_coef))
    print(f"fold {fold}: {gd[-1].n_iter_} epochs, coefficient error {error:.1e}")

# %%
# Scores and loss curves per fold
# -------------------------------
# The left panel compares the test R² of the two models fold by fold. The right
# panel draws each fold's loss curve minus the least-squares SSR of that fold,
# on a log scale. The excess SSR falls by about fifteen orders of magnitude in
# a few hundred epochs, in stages separated by restarts of the momentum. At the
# rounding error of the SSR itself (about ``1e-16`` of it) the curves turn
# noisy and the fits stop.
fig, (ax_scores, ax_loss) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
folds = np.arange(1, 6)
ax_scores.plot(folds, scores["LinearRegression"], "s", ms=10, mfc="none", label="LR")
ax_scores.plot(folds, scores["GDLinearRegressor"], "o", label="GD")
ax_scores.set(xlabel="fold", ylabel="test R²", xticks=folds, title="Test R² per fold")
ax_scores.legend(["LinearRegression", "GDLinearRegressor"])

for fold, ((train, _), gd, ls) in enumerate(zip(cv.split(X), gd_fits, ls_fits), 1):
    residual = ls.predict(X[train]) - y[train]
    LossCurveDisplay.from_estimator(
        gd[-1], name=f"fold {fold}", ax=ax_loss, baseline=residual @ residual
    )
ax_loss.set(ylabel="SSR - least-squares SSR", title="Loss curves (training folds)")

plt.show()
