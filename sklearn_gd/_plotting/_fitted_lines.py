"""Display of the data and the fitted line at chosen epochs."""

import numpy as np

from ._common import (
    check_feature_index,
    check_matplotlib_support,
    feature_name,
    get_recorded_path,
    validate_data,
)


class FittedLinesDisplay:
    """Data and the fitted regression line at chosen epochs of the descent.

    Draws the target against one feature and, for each chosen epoch, the line
    that the model of that epoch predicts, coloured from early to late. With
    several features the other features are held at their (weighted) means, so
    each line is ``coef[feature] * x + intercept + sum_j coef[j] * mean_j`` over
    the other features ``j``.

    Create it with :meth:`from_estimator`.

    Parameters
    ----------
    x : ndarray of shape (n_samples,)
        The feature drawn on the horizontal axis.

    y : ndarray of shape (n_samples,)
        Target values.

    line_x : ndarray of shape (n_points,)
        Feature values at which the lines are drawn.

    line_y : ndarray of shape (n_lines, n_points)
        Predictions of each chosen epoch at ``line_x``.

    epochs : ndarray of shape (n_lines,)
        Epoch of each line.

    xlabel : str, default=None
        Label of the horizontal axis.

    ylabel : str, default=None
        Label of the vertical axis.

    Attributes
    ----------
    scatter_ : matplotlib PathCollection
        The data points.

    lines_ : list of matplotlib Line2D
        One line per chosen epoch, in the order of ``epochs``.

    ax_ : matplotlib Axes
        Axes with the plot.

    figure_ : matplotlib Figure
        Figure containing the plot.

    See Also
    --------
    LossCurveDisplay : SSR against the epoch.
    DescentPathDisplay : SSR contours over two parameters with the descent path.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_gd import GDLinearRegressor
    >>> from sklearn_gd._plotting import FittedLinesDisplay
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> y = np.array([3.1, 4.9, 7.2, 8.8])
    >>> reg = GDLinearRegressor(solver="gd", record_every=1).fit(X, y)
    >>> display = FittedLinesDisplay.from_estimator(reg, X, y, epochs=[0, 1, 2])
    >>> display.epochs
    array([0, 1, 2])
    """

    def __init__(self, *, x, y, line_x, line_y, epochs, xlabel=None, ylabel=None):
        self.x = x
        self.y = y
        self.line_x = line_x
        self.line_y = line_y
        self.epochs = epochs
        self.xlabel = xlabel
        self.ylabel = ylabel

    def plot(self, ax=None, *, cmap="viridis", scatter_kwargs=None, line_kwargs=None):
        """Plot the data and the lines.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on. If None, a new figure and axes are created.

        cmap : str or matplotlib Colormap, default="viridis"
            Colormap of the lines, from the first chosen epoch to the last.

        scatter_kwargs : dict, default=None
            Keyword arguments passed to :meth:`matplotlib.axes.Axes.scatter`.

        line_kwargs : dict, default=None
            Keyword arguments passed to :meth:`matplotlib.axes.Axes.plot` for
            every line.

        Returns
        -------
        display : FittedLinesDisplay
            Object that stores the computed values.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        import matplotlib as mpl

        cmap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots()

        scatter = {"color": "0.4", "alpha": 0.3, "s": 12, "label": "data"}
        scatter.update(scatter_kwargs or {})
        self.scatter_ = ax.scatter(self.x, self.y, **scatter)

        line_y = np.atleast_2d(self.line_y)
        n_lines = line_y.shape[0]
        self.lines_ = []
        for rank, (values, epoch) in enumerate(zip(line_y, self.epochs)):
            style = {
                "color": cmap(rank / max(n_lines - 1, 1)),
                "linewidth": 2,
                "label": f"epoch {int(epoch)}",
            }
            style.update(line_kwargs or {})
            (line,) = ax.plot(self.line_x, values, **style)
            self.lines_.append(line)

        ax.set_xlabel(self.xlabel if self.xlabel is not None else "x")
        ax.set_ylabel(self.ylabel if self.ylabel is not None else "y")
        ax.legend(loc="best", fontsize="small")

        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        feature=0,
        epochs=None,
        n_lines=5,
        sample_weight=None,
        ax=None,
        cmap="viridis",
        scatter_kwargs=None,
        line_kwargs=None,
    ):
        """Plot the data and the fitted line at recorded epochs.

        Parameters
        ----------
        estimator : estimator instance
            Fitted single-target :class:`~sklearn_gd.GDLinearRegressor` with
            ``record_every`` set, so that it has ``coef_path_``.

        X : array-like of shape (n_samples, n_features)
            Data to draw.

        y : array-like of shape (n_samples,)
            Target values.

        feature : int, default=0
            Index of the feature on the horizontal axis. The other features are
            held at their means, weighted by ``sample_weight``.

        epochs : array-like of int, default=None
            Recorded epochs (values of ``path_epochs_``) to draw. None picks
            ``n_lines`` of them, spaced geometrically from the start (epoch 0)
            to the last recorded epoch, because the line moves most in the first
            epochs.

        n_lines : int, default=5
            Maximum number of lines when ``epochs`` is None, at least 2. Fewer
            are drawn when the path has fewer records, or when two targets of
            the geometric spacing fall on the same record.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the means of the other features.

        ax : matplotlib Axes, default=None
            Axes to draw on. If None, a new figure and axes are created.

        cmap : str or matplotlib Colormap, default="viridis"
            Colormap of the lines, from the first chosen epoch to the last.

        scatter_kwargs : dict, default=None
            Keyword arguments passed to :meth:`matplotlib.axes.Axes.scatter`.

        line_kwargs : dict, default=None
            Keyword arguments passed to :meth:`matplotlib.axes.Axes.plot` for
            every line.

        Returns
        -------
        display : FittedLinesDisplay
            Object that stores the computed values.

        Raises
        ------
        ValueError
            If the estimator has no recorded path or was fitted on several
            targets, or if an epoch in ``epochs`` was not recorded.
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        coef_path, intercept_path, path_epochs = get_recorded_path(estimator)
        X, y, sample_weight = validate_data(estimator, X, y, sample_weight)
        feature = check_feature_index(feature, X.shape[1], "feature")

        if epochs is None:
            records = _spread_records(path_epochs, n_lines)
        else:
            records = _find_records(path_epochs, epochs)

        x = X[:, feature]
        others = np.arange(X.shape[1]) != feature
        if sample_weight.sum() > 0:
            means = np.average(X, axis=0, weights=sample_weight)
        else:
            means = X.mean(axis=0)
        offsets = (
            intercept_path[records] + coef_path[records][:, others] @ means[others]
        )
        line_x = np.array([x.min(), x.max()])
        line_y = coef_path[records, feature][:, None] * line_x + offsets[:, None]

        display = cls(
            x=x,
            y=y,
            line_x=line_x,
            line_y=line_y,
            epochs=path_epochs[records],
            xlabel=feature_name(estimator, feature),
            ylabel="target",
        )
        return display.plot(
            ax=ax,
            cmap=cmap,
            scatter_kwargs=scatter_kwargs,
            line_kwargs=line_kwargs,
        )


def _spread_records(path_epochs, n_lines):
    """Return indices of about ``n_lines`` records spread geometrically in epoch,
    always with the first and the last."""
    n_records = len(path_epochs)
    if n_lines < 2:
        raise ValueError(f"n_lines must be at least 2, got {n_lines!r}.")
    if n_records <= n_lines:
        return np.arange(n_records)
    first = max(int(path_epochs[1]), 1)
    last = max(int(path_epochs[-1]), first)
    targets = np.geomspace(first, last, n_lines - 1)
    nearest = [int(np.argmin(np.abs(path_epochs - target))) for target in targets]
    return np.unique(np.r_[0, nearest, n_records - 1])


def _find_records(path_epochs, epochs):
    """Return the record index of each requested epoch, or raise ValueError."""
    epochs = np.atleast_1d(np.asarray(epochs))
    index = {int(epoch): i for i, epoch in enumerate(path_epochs)}
    missing = [int(epoch) for epoch in epochs if int(epoch) not in index]
    if missing:
        recorded = [str(int(epoch)) for epoch in path_epochs]
        if len(recorded) > 8:
            recorded = recorded[:6] + ["...", recorded[-1]]
        raise ValueError(
            f"epochs {missing} were not recorded. The recorded epochs "
            f"(path_epochs_) are {', '.join(recorded)}. Pick recorded epochs, or "
            "refit with a smaller record_every to keep more of them."
        )
    return np.array([index[int(epoch)] for epoch in epochs])
