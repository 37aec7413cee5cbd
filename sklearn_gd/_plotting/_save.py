"""Writing the three descent pictures of a fit to PNG files."""

from pathlib import Path

import numpy as np

from ._common import (
    check_feature_index,
    check_feature_names,
    check_matplotlib_support,
    feature_name,
    format_number,
    get_recorded_path,
    initial_ssr,
    largest_effect_feature,
    validate_data,
)
from ._descent_path import DescentPathDisplay
from ._fitted_lines import FittedLinesDisplay
from ._loss_curve import LossCurveDisplay

# An SSR counts as above the least-squares SSR when it exceeds it by more than
# this fraction of the largest SSR drawn. Converged fits of Galton's data and of
# scikit-learn's diabetes data end about 2e-16 to 5e-16 of the SSR above lstsq's
# SSR, which is rounding. The wide margin leaves room for badly conditioned data,
# whose rounding errors are larger.
MEASURABLE_EXCESS = 1e-9


def save_descent_plots(
    estimator,
    X,
    y,
    directory,
    *,
    sample_weight=None,
    feature=None,
    feature_names=None,
    target_name=None,
):
    """Write the loss curve, descent path and fitted lines of a fit as PNG files.

    Writes three files into ``directory``, creating it if needed and replacing
    files of those names:

    - ``loss_curve.png``: the SSR at the start (epoch 0) and after each epoch
      (:class:`LossCurveDisplay`). When some epoch after the start ends above
      the least-squares SSR by more than 1e-9 times the largest SSR drawn, the
      picture shows the excess SSR above the least-squares SSR on a log scale,
      which shows how fast the fit converges and how far from the minimum it
      stopped. Otherwise it shows the SSR itself, with the least-squares SSR as
      a dashed line.
    - ``descent_path.png``: SSR contours over the coefficient of ``feature``
      and the intercept, with the recorded path (:class:`DescentPathDisplay`).
    - ``fitted_lines.png``: the target against ``feature`` with the fitted line
      at visibly different recorded epochs and the least-squares line
      (:class:`FittedLinesDisplay`).

    With several features the descent path is a slice through the fitted
    point, with the other coefficients held at their fitted values, and the
    path drawn is the projection of the iterates onto it. The fitted lines hold
    the other features at their means. The titles state this.

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

    feature : int or str, default=None
        Feature drawn in the descent path and the fitted lines, as a column
        index or a name from ``feature_names``. None picks the feature with the
        largest ``|coef_j| * std(x_j)``, the one whose change of one standard
        deviation moves the prediction most.

    feature_names : array-like of str, default=None
        Names of the features, used in the axis labels and titles. None uses
        the estimator's ``feature_names_in_`` when it has them (a fit on a
        pandas DataFrame), and ``"feature j"`` otherwise.

    target_name : str, default=None
        Name of the target, used in the fitted lines. None uses ``"target"``.

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
        intercept, or if ``feature`` or ``feature_names`` does not match the
        features of ``X``.
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
    X, y, sample_weight = validate_data(estimator, X, y, sample_weight)
    n_features = X.shape[1]
    feature_names = check_feature_names(estimator, feature_names, n_features)
    coef = np.asarray(estimator.coef_, dtype=np.float64).reshape(-1)
    if feature is None:
        feature = largest_effect_feature(coef, X, sample_weight)
    else:
        feature = _check_feature(feature, feature_names, n_features)
    target_name = "target" if target_name is None else str(target_name)
    least_squares = _LeastSquares(X, y, sample_weight)

    from matplotlib.figure import Figure

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)

    def draw_loss_curve(ax):
        _draw_loss_curve(ax, estimator, X, y, sample_weight, least_squares.ssr)

    def draw_descent_path(ax):
        DescentPathDisplay.from_estimator(
            estimator,
            X,
            y,
            sample_weight=sample_weight,
            coef_indices=(feature, "intercept"),
            feature_names=feature_names,
            ax=ax,
        )
        title = "SSR contours and the descent path"
        if n_features > 1:
            title += (
                f"\nslice through the fitted point: the other {n_features - 1} "
                "coefficients fixed"
            )
        ax.set_title(title)

    def draw_fitted_lines(ax):
        display = FittedLinesDisplay.from_estimator(
            estimator,
            X,
            y,
            sample_weight=sample_weight,
            feature=feature,
            feature_names=feature_names,
            target_name=target_name,
            ax=ax,
        )
        ax.plot(
            display.line_x,
            least_squares.line(feature, display.line_x),
            color="k",
            linestyle="--",
            linewidth=1,
            label="least squares",
        )
        # Below the axes the legend covers neither the data nor the arrows to
        # lines outside the frame.
        ax.get_legend().remove()
        handles, labels = ax.get_legend_handles_labels()
        ax.figure.legend(
            handles, labels, loc="outside lower center", ncols=2, fontsize="small"
        )
        name = feature_name(feature_names, feature)
        title = f"{target_name} against {name}: fitted line at chosen epochs"
        if n_features > 1:
            title += f"\nthe other {n_features - 1} features held at their means"
        ax.set_title(title)

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


def _draw_loss_curve(ax, estimator, X, y, sample_weight, ssr_min):
    """Draw the loss curve from epoch 0, as the excess SSR when that shows more."""
    start = initial_ssr(estimator, X, y, sample_weight)
    curve = np.r_[start, estimator.loss_curve_]
    n_points = len(curve)
    floor = MEASURABLE_EXCESS * float(np.max(np.abs(curve)))
    show_excess = bool(np.any(curve[1:] - ssr_min > floor))

    # A log epoch axis spreads out the fast first epochs of a long fit, and
    # markers keep a curve of a few epochs visible.
    LossCurveDisplay.from_estimator(
        estimator,
        X,
        y,
        sample_weight=sample_weight,
        ax=ax,
        xscale="log" if n_points > 20 else "linear",
        baseline=ssr_min if show_excess else None,
        line_kwargs={"marker": "o"} if n_points <= 50 else None,
    )
    ax.set_xlabel("epoch (0 is the starting point)")
    if show_excess:
        # The least-squares SSR is 0 on this axis, which a log scale cannot show,
        # so a note states how far above it the fit stopped.
        ax.set_ylabel(
            "SSR above the least-squares SSR, log scale\n"
            f"(SSR - {format_number(ssr_min)})"
        )
        last_excess = curve[-1] - ssr_min
        if last_excess > floor:
            note = (
                f"{format_number(last_excess, 4)} above after the last epoch\n"
                f"({last_excess / max(ssr_min, floor):.2%} of the least-squares SSR)"
            )
        else:
            note = (
                "at the least-squares SSR after the last epoch\n"
                f"(excess below {MEASURABLE_EXCESS:g} times the largest SSR)"
            )
        ax.annotate(
            note,
            xy=(1.0, 1.0),
            xycoords="axes fraction",
            xytext=(-8, -8),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize="small",
        )
        ax.set_title("Excess SSR at the start and after each epoch")
        return
    ax.axhline(
        ssr_min,
        color="k",
        linestyle="--",
        linewidth=1,
        label=f"least-squares SSR ({format_number(ssr_min)})",
    )
    ax.set_ylabel("SSR, log scale")
    ax.legend()
    ax.set_title("SSR at the start and after each epoch")


def _check_feature(feature, feature_names, n_features):
    """Return ``feature``, an index or a name, as an index into the columns."""
    if isinstance(feature, str):
        if feature_names is None or feature not in feature_names:
            known = "no names" if feature_names is None else ", ".join(feature_names)
            raise ValueError(
                f"feature={feature!r} is not a feature name (known: {known}). "
                "Pass a column index, or feature_names that contain it."
            )
        return feature_names.index(feature)
    return check_feature_index(feature, n_features, "feature")


class _LeastSquares:
    """The weighted least-squares fit with intercept, by lstsq."""

    def __init__(self, X, y, sample_weight):
        root = np.sqrt(sample_weight)
        design = np.column_stack([X, np.ones(X.shape[0])]) * root[:, None]
        params, *_ = np.linalg.lstsq(design, y * root, rcond=None)
        residual = design @ params - y * root
        self.coef = params[:-1]
        self.intercept = float(params[-1])
        self.ssr = float(residual @ residual)
        if sample_weight.sum() > 0:
            self.means = np.average(X, axis=0, weights=sample_weight)
        else:
            self.means = X.mean(axis=0)

    def line(self, feature, x):
        """Return the predictions along ``feature``, the others at their means."""
        others = np.arange(len(self.coef)) != feature
        offset = self.intercept + self.coef[others] @ self.means[others]
        return self.coef[feature] * np.asarray(x) + offset
