"""Writing the three descent pictures of a fit to PNG files."""

from pathlib import Path

import numpy as np

from ._common import check_matplotlib_support, get_recorded_path, validate_data
from ._descent_path import DescentPathDisplay
from ._fitted_lines import FittedLinesDisplay
from ._loss_curve import LossCurveDisplay


def save_descent_plots(estimator, X, y, directory, *, sample_weight=None):
    """Write the loss curve, descent path and fitted lines of a fit as PNG files.

    Writes ``loss_curve.png`` (:class:`LossCurveDisplay`), ``descent_path.png``
    (:class:`DescentPathDisplay` over the coefficient of feature 0 and the
    intercept) and ``fitted_lines.png`` (:class:`FittedLinesDisplay` of feature
    0) into ``directory``, creating it if needed and replacing files of those
    names. The pictures are made for one-feature fits. With several features
    they show feature 0, holding the other coefficients at their fitted values
    in the descent path and the other features at their means in the fitted
    lines.

    Figures are drawn without :mod:`matplotlib.pyplot`, so no GUI backend is
    needed and no figure stays open.

    Parameters
    ----------
    estimator : estimator instance
        Fitted single-target :class:`~sklearn_gd.GDLinearRegressor` with
        ``record_every`` set and ``fit_intercept=True``.

    X : array-like of shape (n_samples, n_features)
        Training data.

    y : array-like of shape (n_samples,)
        Target values.

    directory : str or path-like
        Folder to write the files into.

    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights of the fit.

    Returns
    -------
    paths : list of pathlib.Path
        Paths of the files written, in the order loss curve, descent path,
        fitted lines.

    Raises
    ------
    ValueError
        If the estimator has no recorded path (it was fitted with
        ``record_every=None``), was fitted on several targets or without an
        intercept.
    ImportError
        If matplotlib is not installed.
    """
    check_matplotlib_support("save_descent_plots")
    get_recorded_path(estimator)
    if not getattr(estimator, "fit_intercept", True):
        raise ValueError(
            "save_descent_plots draws the (coefficient, intercept) plane, but the "
            "estimator was fitted with fit_intercept=False. Use "
            "DescentPathDisplay.from_estimator with coef_indices instead."
        )
    from matplotlib.figure import Figure

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)

    n_epochs = len(estimator.loss_curve_)

    def draw_loss_curve(ax):
        # A log epoch axis spreads out the fast first epochs of a long fit, and
        # markers keep a curve of a few epochs visible on the reference line.
        LossCurveDisplay.from_estimator(
            estimator,
            ax=ax,
            xscale="log" if n_epochs > 20 else "linear",
            line_kwargs={"marker": "o"} if n_epochs <= 50 else None,
        )
        ax.axhline(
            _least_squares_ssr(estimator, X, y, sample_weight),
            color="k",
            linestyle="--",
            linewidth=1,
            label="least-squares SSR",
        )
        ax.legend()
        ax.set_title("SSR after each epoch")

    def draw_descent_path(ax):
        DescentPathDisplay.from_estimator(
            estimator,
            X,
            y,
            sample_weight=sample_weight,
            coef_indices=(0, "intercept"),
            ax=ax,
        )
        ax.set_title("SSR contours and the descent path")

    def draw_fitted_lines(ax):
        FittedLinesDisplay.from_estimator(
            estimator, X, y, sample_weight=sample_weight, ax=ax
        )
        ax.set_title("Fitted line at recorded epochs")

    paths = []
    for filename, draw in (
        ("loss_curve.png", draw_loss_curve),
        ("descent_path.png", draw_descent_path),
        ("fitted_lines.png", draw_fitted_lines),
    ):
        figure = Figure(figsize=(6.4, 4.8), layout="constrained")
        draw(figure.subplots())
        path = directory / filename
        figure.savefig(path, dpi=100)
        paths.append(path)
    return paths


def _least_squares_ssr(estimator, X, y, sample_weight):
    """Return the smallest SSR of a linear model with intercept, by lstsq."""
    X, y, sample_weight = validate_data(estimator, X, y, sample_weight)
    root = np.sqrt(sample_weight)
    design = np.column_stack([X, np.ones(X.shape[0])]) * root[:, None]
    params, *_ = np.linalg.lstsq(design, y * root, rcond=None)
    residual = design @ params - y * root
    return float(residual @ residual)
