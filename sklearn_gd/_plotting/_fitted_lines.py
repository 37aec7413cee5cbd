"""Display of the data and the fitted line at chosen epochs."""

import numpy as np

from ._common import (
    check_feature_index,
    check_feature_names,
    check_matplotlib_support,
    feature_name,
    get_recorded_path,
    validate_data,
)

# Two lines count as visibly different when they are more than this fraction of
# the target's range apart somewhere over the data.
VISIBLE_GAP = 0.02

# Margin above and below the data when the vertical axis is clipped to it, as a
# fraction of the target's range.
DATA_MARGIN = 0.05


class FittedLinesDisplay:
    """Data and the fitted regression line at chosen epochs of the descent.

    Draws the target against one feature and, for each chosen epoch, the line
    that the model of that epoch predicts, coloured from early to late. With
    several features the other features are held at their (weighted) means, so
    each line is ``coef[feature] * x + intercept + sum_j coef[j] * mean_j`` over
    the other features ``j``.

    By default the vertical axis spans the data, not the lines, because the
    line of a bad starting point can lie far away and would squash the data
    into a thin band. An arrow at the edge points to each line that lies
    wholly outside, and its legend label gives its range.

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

    labels : list of str, default=None
        Legend label of each line. None labels them ``"epoch {epoch}"``.

    Attributes
    ----------
    scatter_ : matplotlib PathCollection
        The data points.

    lines_ : list of matplotlib Line2D
        One line per chosen epoch, in the order of ``epochs``.

    arrows_ : list of matplotlib Line2D
        One arrow for each line that lies wholly above or below the clipped
        vertical axis, pointing towards it. Empty without clipping.

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

    def __init__(
        self,
        *,
        x,
        y,
        line_x,
        line_y,
        epochs,
        xlabel=None,
        ylabel=None,
        labels=None,
    ):
        self.x = x
        self.y = y
        self.line_x = line_x
        self.line_y = line_y
        self.epochs = epochs
        self.xlabel = xlabel
        self.ylabel = ylabel
        self.labels = labels

    def plot(
        self,
        ax=None,
        *,
        clip_to_data=True,
        cmap="viridis",
        scatter_kwargs=None,
        line_kwargs=None,
    ):
        """Plot the data and the lines.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on. If None, a new figure and axes are created.

        clip_to_data : bool, default=True
            If True, the vertical axis spans the target values with a 5% margin
            and lines leave it at the edge. Each line that lies wholly outside
            gets an arrow at the edge pointing towards it, and its legend label
            gives its range, such as ``"epoch 0, above the frame: 194.2 to
            227.3"``.
            If False, the axis spans the data and every line.

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
        if self.labels is None:
            labels = [f"epoch {int(epoch)}" for epoch in self.epochs]
        else:
            labels = list(self.labels)
        self.lines_ = []
        for rank, (values, label) in enumerate(zip(line_y, labels)):
            style = {
                "color": cmap(rank / max(n_lines - 1, 1)),
                "linewidth": 2,
                "label": label,
            }
            style.update(line_kwargs or {})
            (line,) = ax.plot(self.line_x, values, **style)
            self.lines_.append(line)

        self.arrows_ = []
        legend_loc = "best"
        if clip_to_data:
            low, high = _data_limits(np.asarray(self.y, dtype=np.float64))
            ax.set_ylim(low, high)
            sides = self._point_to_outside_lines(ax, line_y, low, high)
            if len(sides) == 1:
                legend_loc = self._corner_away_from(ax, sides.pop())

        ax.set_xlabel(self.xlabel if self.xlabel is not None else "x")
        ax.set_ylabel(self.ylabel if self.ylabel is not None else "y")
        ax.legend(loc=legend_loc, fontsize="small")

        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    def _point_to_outside_lines(self, ax, line_y, low, high):
        """Mark each line wholly outside the axis with an arrow and a label.

        Returns the set of edges, ``"above"`` or ``"below"``, that got arrows.
        """
        outside = [
            (index, "above" if values.min() > high else "below")
            for index, values in enumerate(line_y)
            if values.min() > high or values.max() < low
        ]
        for rank, (index, side) in enumerate(outside):
            values = line_y[index]
            line = self.lines_[index]
            low_text = f"{values.min():.4g}"
            high_text = f"{values.max():.4g}"
            if low_text == high_text:
                span = f"at {low_text}"
            else:
                span = f"{low_text} to {high_text}"
            line.set_label(f"{line.get_label()}, {side} the frame: {span}")
            # Arrows side by side around the middle of the edge. They are lines
            # with a triangle at the tip, so that loc="best" keeps the legend
            # off them.
            x = 0.5 + 0.05 * (rank - (len(outside) - 1) / 2)
            tail, tip, marker = (
                (0.88, 0.97, "^") if side == "above" else (0.12, 0.03, "v")
            )
            (arrow,) = ax.plot(
                [x, x],
                [tail, tip],
                transform=ax.transAxes,
                color=line.get_color(),
                linewidth=2,
                marker=marker,
                markersize=8,
                markevery=[1],
                label="_nolegend_",
            )
            self.arrows_.append(arrow)
        return {side for _, side in outside}

    def _corner_away_from(self, ax, side):
        """Return the legend location at the edge opposite the arrows.

        loc="best" weighs a crowd of data points against the thin arrows and
        may cover the arrows, so the legend goes to the opposite edge, in the
        corner with fewer data points.
        """
        vertical = "lower" if side == "above" else "upper"
        (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
        x = (np.asarray(self.x, dtype=np.float64) - x_low) / (x_high - x_low)
        y = (np.asarray(self.y, dtype=np.float64) - y_low) / (y_high - y_low)
        near_edge = y < 0.4 if vertical == "lower" else y > 0.6
        n_left = np.count_nonzero(near_edge & (x < 0.5))
        n_right = np.count_nonzero(near_edge & (x >= 0.5))
        return f"{vertical} {'left' if n_left < n_right else 'right'}"

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
        feature_names=None,
        target_name=None,
        clip_to_data=True,
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
            Recorded epochs (values of ``path_epochs_``) to draw, each labelled
            ``"epoch {epoch}"``. None picks at most ``n_lines`` recorded epochs
            whose lines differ visibly, that is by more than 2% of the range of
            ``y`` somewhere over the data: the start (epoch 0), the last
            record, and records in between spaced geometrically in epoch,
            because the line moves most in the first epochs. Records after
            which the line stays within that distance of the last one are not
            drawn separately, and the last line is labelled with the range of
            epochs it represents, such as ``"epochs 1 to 10000"``.

        n_lines : int, default=5
            Maximum number of lines when ``epochs`` is None, at least 2. Fewer
            are drawn when the path has fewer records, or when lines would not
            differ visibly.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the means of the other features.

        feature_names : array-like of str, default=None
            Names of the features. The name of ``feature`` labels the
            horizontal axis. None uses the estimator's ``feature_names_in_``
            when it has them (a fit on a pandas DataFrame), and
            ``"feature j"`` otherwise.

        target_name : str, default=None
            Label of the vertical axis. None labels it ``"target"``.

        clip_to_data : bool, default=True
            Whether the vertical axis spans only the data, as described in
            :meth:`plot`.

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
            targets, if an epoch in ``epochs`` was not recorded, or if
            ``feature_names`` does not have one name per feature.
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        coef_path, intercept_path, path_epochs = get_recorded_path(estimator)
        X, y, sample_weight = validate_data(estimator, X, y, sample_weight)
        feature = check_feature_index(feature, X.shape[1], "feature")
        feature_names = check_feature_names(estimator, feature_names, X.shape[1])

        x = X[:, feature]
        others = np.arange(X.shape[1]) != feature
        if sample_weight.sum() > 0:
            means = np.average(X, axis=0, weights=sample_weight)
        else:
            means = X.mean(axis=0)
        offsets = intercept_path + coef_path[:, others] @ means[others]
        line_x = np.array([x.min(), x.max()])
        all_lines = coef_path[:, feature][:, None] * line_x + offsets[:, None]

        if epochs is None:
            min_gap = VISIBLE_GAP * _target_range(y)
            records, labels = _visible_records(all_lines, path_epochs, n_lines, min_gap)
        else:
            records = _find_records(path_epochs, epochs)
            labels = None

        display = cls(
            x=x,
            y=y,
            line_x=line_x,
            line_y=all_lines[records],
            epochs=path_epochs[records],
            xlabel=feature_name(feature_names, feature),
            ylabel="target" if target_name is None else str(target_name),
            labels=labels,
        )
        return display.plot(
            ax=ax,
            clip_to_data=clip_to_data,
            cmap=cmap,
            scatter_kwargs=scatter_kwargs,
            line_kwargs=line_kwargs,
        )


def _target_range(y):
    """Return the range of ``y``, or a positive stand-in when it is constant."""
    span = float(np.ptp(y)) if len(y) else 0.0
    if span > 0:
        return span
    return max(float(np.max(np.abs(y), initial=0.0)), 1.0)


def _data_limits(y):
    """Return vertical limits that contain ``y`` with a margin on each side."""
    margin = DATA_MARGIN * _target_range(y)
    return float(np.min(y)) - margin, float(np.max(y)) + margin


def _visible_records(lines, path_epochs, n_lines, min_gap):
    """Pick records whose lines differ visibly, and a legend label for each.

    ``lines`` contains the line of every record at the same points, one row per
    record. Two lines differ visibly when they are more than ``min_gap`` apart
    at some point.

    Returns
    -------
    records : ndarray of int
        Indices of the chosen records, in increasing order, always ending with
        the last record.
    labels : list of str
        Legend label of each chosen record.
    """
    if n_lines < 2:
        raise ValueError(f"n_lines must be at least 2, got {n_lines!r}.")
    last = len(lines) - 1

    def gap(first, second):
        return float(np.max(np.abs(lines[first] - lines[second])))

    # From record ``settled`` on, every line stays within min_gap of the last
    # one, so the last line represents all of them.
    gap_to_last = np.max(np.abs(lines - lines[last]), axis=1)
    outside = np.flatnonzero(gap_to_last > min_gap)
    settled = int(outside[-1]) + 1 if outside.size else 0

    # Spread the other lines over the records before ``settled``, and drop any
    # that would lie on top of the line before it or of the last line.
    candidates = _spread_records(path_epochs[:settled], n_lines - 1)
    kept = []
    for record in candidates:
        distinct = not kept or gap(record, kept[-1]) > min_gap
        if distinct and gap_to_last[record] > min_gap:
            kept.append(int(record))
    records = np.array([*kept, last])

    labels = [f"epoch {int(path_epochs[record])}" for record in kept]
    if settled < last:
        label = f"epochs {int(path_epochs[settled])} to {int(path_epochs[last])}"
        spread = float(gap_to_last[settled:].max())
        # A spread this far below the visible gap is rounding, not movement.
        if spread > 1e-9 * min_gap:
            label += f", all within {spread:.2g}"
        labels.append(label)
    else:
        labels.append(f"epoch {int(path_epochs[last])}")
    return records, labels


def _spread_records(path_epochs, n_records):
    """Return indices of at most ``n_records`` records spread geometrically in
    epoch, always with the first, and with the last when ``n_records > 1``."""
    n_available = len(path_epochs)
    if n_available <= n_records:
        return np.arange(n_available)
    if n_records == 1:
        return np.array([0])
    first = max(int(path_epochs[1]), 1)
    last = max(int(path_epochs[-1]), first)
    # The last target is the last epoch, so with the start there are at most
    # n_records distinct indices.
    targets = np.geomspace(first, last, n_records - 1)
    nearest = [int(np.argmin(np.abs(path_epochs - target))) for target in targets]
    return np.unique(np.r_[0, nearest, n_available - 1])


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
