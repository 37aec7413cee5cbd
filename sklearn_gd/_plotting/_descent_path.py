"""Display of the SSR over two parameters with the descent path drawn on it."""

import numpy as np

from ._common import (
    check_feature_index,
    check_feature_names,
    check_matplotlib_support,
    feature_name,
    get_recorded_path,
    validate_data,
)

KINDS = ("contour", "surface")

# Fraction of the grid area inside the lowest default contour level.
LOWEST_LEVEL_AREA = 0.02


class DescentPathDisplay:
    """SSR over two parameters of a linear model, with the descent path on top.

    The SSR of a linear model is a quadratic function of its parameters. Over a
    coefficient and the intercept of raw data its level sets are long thin
    ellipses, because the SSR rises steeply across the valley and barely along
    it. Plain gradient descent drops into the valley quickly and then creeps
    along its floor. This display draws that picture for a fitted
    :class:`~sklearn_gd.GDLinearRegressor`: contours (or a 3-D surface) of the
    SSR over a plane of two parameters, and the recorded iterates on it.

    The plane is spanned by two of the fitted parameters. All other parameters
    are held at their fitted values, so with one feature and the plane
    ``(coefficient, intercept)`` nothing is held fixed and the surface is the
    full SSR. With more parameters the surface is a slice through the fitted
    point and the path is the projection of the recorded iterates onto the
    plane: the other parameters move along the path but not on the surface.
    The path then crosses contours at angles that gradient descent on the
    slice would not take, so it is drawn dashed and labelled as a projection.

    Create it with :meth:`from_estimator`.

    Parameters
    ----------
    grid_x : ndarray of shape (n_grid_x,)
        Values of the first parameter on the grid.

    grid_y : ndarray of shape (n_grid_y,)
        Values of the second parameter on the grid.

    ssr : ndarray of shape (n_grid_y, n_grid_x)
        SSR at each grid point: ``ssr[j, i]`` is at ``(grid_x[i], grid_y[j])``.

    path_x : ndarray of shape (n_records,)
        First parameter at each recorded epoch.

    path_y : ndarray of shape (n_records,)
        Second parameter at each recorded epoch.

    path_epochs : ndarray of shape (n_records,)
        Epoch of each record; 0 is the starting point.

    minimum : tuple of float
        The parameter pair that minimizes the SSR on the plane.

    ssr_min : float
        The SSR at ``minimum``.

    path_ssr : ndarray of shape (n_records,), default=None
        SSR of the surface at each path point, used by the surface plot.

    xlabel : str, default=None
        Label of the first parameter.

    ylabel : str, default=None
        Label of the second parameter.

    projected : bool, default=False
        Whether the model has parameters besides the two on the plane, held at
        their fitted values on the surface. The path is then the projection of
        the iterates onto the plane, drawn dashed and labelled so.

    Attributes
    ----------
    contour_ : matplotlib QuadContourSet or None
        The SSR contours, for ``kind="contour"``.

    surface_ : matplotlib Poly3DCollection or None
        The SSR surface, for ``kind="surface"``.

    levels_ : ndarray of shape (n_levels,)
        SSR values of the contour lines.

    line_ : matplotlib Line2D
        The descent path.

    start_ : matplotlib Line2D
        Marker of the starting point (epoch 0).

    end_ : matplotlib Line2D
        Marker of the last recorded epoch.

    minimum_ : matplotlib Line2D
        Marker of the minimum on the plane.

    ax_ : matplotlib Axes
        Axes with the plot (3-D axes for ``kind="surface"``).

    figure_ : matplotlib Figure
        Figure containing the plot.

    See Also
    --------
    LossCurveDisplay : SSR against the epoch.
    FittedLinesDisplay : Data and the fitted line at chosen epochs.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_gd import GDLinearRegressor
    >>> from sklearn_gd._plotting import DescentPathDisplay
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> y = np.array([3.1, 4.9, 7.2, 8.8])
    >>> reg = GDLinearRegressor(solver="gd", record_every=10).fit(X, y)
    >>> display = DescentPathDisplay.from_estimator(reg, X, y)
    >>> display.ssr.shape
    (200, 200)
    """

    def __init__(
        self,
        *,
        grid_x,
        grid_y,
        ssr,
        path_x,
        path_y,
        path_epochs,
        minimum,
        ssr_min,
        path_ssr=None,
        xlabel=None,
        ylabel=None,
        projected=False,
    ):
        self.grid_x = grid_x
        self.grid_y = grid_y
        self.ssr = ssr
        self.path_x = path_x
        self.path_y = path_y
        self.path_epochs = path_epochs
        self.minimum = minimum
        self.ssr_min = ssr_min
        self.path_ssr = path_ssr
        self.xlabel = xlabel
        self.ylabel = ylabel
        self.projected = projected

    def plot(
        self,
        ax=None,
        *,
        kind="contour",
        levels=15,
        cmap="viridis",
        contour_kwargs=None,
        path_kwargs=None,
    ):
        """Plot the SSR and the descent path.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on, 3-D axes for ``kind="surface"``. If None, a new
            figure and axes are created.

        kind : {"contour", "surface"}, default="contour"
            ``"contour"`` draws contour lines of the SSR seen from above.
            ``"surface"`` draws the SSR as a 3-D surface with the path on it.

        levels : int or array-like, default=15
            Contour levels. An int ``n`` draws ``n`` levels spaced geometrically
            above the minimum, at ``ssr_min + e`` with ``e`` running from the
            excess SSR that encloses about 2% of the grid area up to the largest
            excess on the grid. This spacing shows both the narrow valley floor
            and its steep walls. An array gives the SSR values of the levels.

        cmap : str or matplotlib Colormap, default="viridis"
            Colormap of the contours or the surface.

        contour_kwargs : dict, default=None
            Keyword arguments passed to :meth:`matplotlib.axes.Axes.contour`, or
            to ``plot_surface`` for ``kind="surface"``.

        path_kwargs : dict, default=None
            Keyword arguments passed to :meth:`matplotlib.axes.Axes.plot` for the
            path.

        Returns
        -------
        display : DescentPathDisplay
            Object that stores the computed values.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        if kind not in KINDS:
            raise ValueError(f"kind must be 'contour' or 'surface', got {kind!r}.")
        import matplotlib as mpl

        cmap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
        ssr = np.asarray(self.ssr, dtype=np.float64)
        self.levels_ = self._levels(ssr, levels)

        if ax is None:
            import matplotlib.pyplot as plt

            if kind == "surface":
                ax = plt.figure().add_subplot(projection="3d")
            else:
                _, ax = plt.subplots()
        elif kind == "surface" and ax.name != "3d":
            raise ValueError(
                "kind='surface' needs 3-D axes. Create them with "
                "fig.add_subplot(projection='3d'), or pass ax=None."
            )

        if kind == "contour":
            self._plot_contour(ax, ssr, cmap, contour_kwargs)
        else:
            self._plot_surface(ax, ssr, cmap, contour_kwargs)
        self._plot_path(ax, kind, path_kwargs)

        ax.set_xlabel(self.xlabel if self.xlabel is not None else "parameter 1")
        ax.set_ylabel(self.ylabel if self.ylabel is not None else "parameter 2")
        ax.legend(loc="upper left" if kind == "surface" else "best", fontsize="small")

        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    def _levels(self, ssr, levels):
        if not np.isscalar(levels):
            return np.sort(np.asarray(levels, dtype=np.float64))
        n_levels = int(levels)
        if n_levels < 2:
            raise ValueError(f"levels must be at least 2, got {levels!r}.")
        excess = ssr - self.ssr_min
        highest = float(np.max(excess))
        if not highest > 0:
            # A flat surface: draw evenly spaced levels around its value.
            return self.ssr_min + np.linspace(0.0, 1.0, n_levels)
        # The lowest contour encloses about 2% of the grid, so that even a valley
        # narrower than a grid cell draws as a band rather than as broken dashes.
        lowest = float(np.quantile(excess, LOWEST_LEVEL_AREA))
        lowest = min(max(lowest, 1e-9 * highest), 1e-2 * highest)
        return self.ssr_min + np.geomspace(lowest, highest, n_levels)

    def _plot_contour(self, ax, ssr, cmap, contour_kwargs):
        import matplotlib as mpl

        kwargs = {
            "levels": self.levels_,
            "cmap": cmap,
            # Colour the levels by rank, so that the geometric spacing shows as an
            # even progression of colours.
            "norm": mpl.colors.BoundaryNorm(self.levels_, cmap.N, extend="max"),
            "linewidths": 1.0,
        }
        kwargs.update(contour_kwargs or {})
        self.contour_ = ax.contour(self.grid_x, self.grid_y, ssr, **kwargs)
        self.surface_ = None

    def _plot_surface(self, ax, ssr, cmap, surface_kwargs):
        import matplotlib as mpl

        grid_x, grid_y = np.meshgrid(self.grid_x, self.grid_y)
        kwargs = {
            "cmap": cmap,
            "norm": mpl.colors.BoundaryNorm(self.levels_, cmap.N, extend="max"),
            "alpha": 0.7,
            "linewidth": 0,
            "rstride": 2,
            "cstride": 2,
        }
        kwargs.update(surface_kwargs or {})
        self.surface_ = ax.plot_surface(grid_x, grid_y, ssr, **kwargs)
        # Draw in call order, so that the path stays visible on the surface.
        ax.computed_zorder = False
        self.contour_ = None
        ax.set_zlabel("SSR")

    def _plot_path(self, ax, kind, path_kwargs):
        path_x = np.asarray(self.path_x, dtype=np.float64)
        path_y = np.asarray(self.path_y, dtype=np.float64)
        n_records = len(path_x)
        label = f"descent path ({n_records} records)"
        if self.projected:
            label = f"descent path projected onto this plane ({n_records} records)"
        kwargs = {
            "color": "tab:red",
            "marker": "o",
            "markersize": 3,
            "linewidth": 1.2,
            "linestyle": "--" if self.projected else "-",
            "label": label,
        }
        if n_records > 60:
            # Mark about 40 records, spaced geometrically so that the big early
            # steps keep their markers.
            index = np.geomspace(1, n_records, 40).astype(int) - 1
            kwargs["markevery"] = np.unique(np.r_[0, index, n_records - 1]).tolist()
        kwargs.update(path_kwargs or {})

        minimum_x, minimum_y = self.minimum
        minimum_label = "minimum on this plane" if self.projected else "minimum"
        start_label = f"start (epoch {int(self.path_epochs[0])})"
        end_label = f"end (epoch {int(self.path_epochs[-1])})"
        if kind == "surface":
            path_z = self._path_ssr()
            (self.line_,) = ax.plot(path_x, path_y, path_z, **kwargs)
            (self.start_,) = ax.plot(
                path_x[:1], path_y[:1], path_z[:1], "ko", label=start_label
            )
            (self.end_,) = ax.plot(
                path_x[-1:], path_y[-1:], path_z[-1:], "ks", label=end_label
            )
            (self.minimum_,) = ax.plot(
                [minimum_x],
                [minimum_y],
                [self.ssr_min],
                "w*",
                markeredgecolor="k",
                markersize=12,
                label=minimum_label,
            )
            return

        (self.line_,) = ax.plot(path_x, path_y, **kwargs)
        (self.start_,) = ax.plot(
            path_x[:1], path_y[:1], "ko", markersize=7, label=start_label
        )
        (self.end_,) = ax.plot(
            path_x[-1:],
            path_y[-1:],
            "ks",
            markersize=7,
            markerfacecolor="none",
            label=end_label,
        )
        (self.minimum_,) = ax.plot(
            [minimum_x],
            [minimum_y],
            "*",
            color="gold",
            markeredgecolor="k",
            markersize=14,
            label=minimum_label,
        )

    def _path_ssr(self):
        if self.path_ssr is None:
            raise ValueError(
                "kind='surface' needs path_ssr, the SSR at each path point. "
                "Pass it to the constructor, or use from_estimator, which computes it."
            )
        return np.asarray(self.path_ssr, dtype=np.float64)

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        sample_weight=None,
        coef_indices=None,
        feature_names=None,
        grid_resolution=200,
        margin=0.1,
        ax=None,
        kind="contour",
        levels=15,
        cmap="viridis",
        contour_kwargs=None,
        path_kwargs=None,
    ):
        """Plot the SSR over two parameters and the recorded descent path.

        Parameters
        ----------
        estimator : estimator instance
            Fitted single-target :class:`~sklearn_gd.GDLinearRegressor` with
            ``record_every`` set, so that it has ``coef_path_``.

        X : array-like of shape (n_samples, n_features)
            Data that defines the SSR, normally the training data.

        y : array-like of shape (n_samples,)
            Target values.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights of the SSR.

        coef_indices : tuple of two (int or "intercept"), default=None
            The two parameters that span the plane: an int ``j`` is the
            coefficient of feature ``j`` and ``"intercept"`` is the intercept.
            All other parameters are held at their fitted values. None means
            ``(0, "intercept")``, the ``(w, b)`` plane, and needs a one-feature
            fit with an intercept.

        feature_names : array-like of str, default=None
            Names of the features, used in the axis labels. None uses the
            estimator's ``feature_names_in_`` when it has them (a fit on a
            pandas DataFrame), and ``"feature j"`` otherwise.

        grid_resolution : int, default=200
            Number of grid points along each axis.

        margin : float, default=0.1
            Fraction of the range of the path and the minimum added to each side
            of the grid.

        ax : matplotlib Axes, default=None
            Axes to draw on, 3-D for ``kind="surface"``. If None, a new figure and
            axes are created.

        kind : {"contour", "surface"}, default="contour"
            Contours seen from above, or a 3-D surface.

        levels : int or array-like, default=15
            Contour levels; see :meth:`plot`.

        cmap : str or matplotlib Colormap, default="viridis"
            Colormap of the contours or the surface.

        contour_kwargs : dict, default=None
            Keyword arguments passed to the contour or surface call.

        path_kwargs : dict, default=None
            Keyword arguments passed to :meth:`matplotlib.axes.Axes.plot` for the
            path.

        Returns
        -------
        display : DescentPathDisplay
            Object that stores the computed values.

        Raises
        ------
        ValueError
            If the estimator has no recorded path, was fitted on several targets,
            or ``coef_indices`` does not name two different fitted parameters,
            or ``feature_names`` does not have one name per feature.
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        coef_path, intercept_path, path_epochs = get_recorded_path(estimator)
        X, y, sample_weight = validate_data(estimator, X, y, sample_weight)
        n_features = X.shape[1]
        fit_intercept = getattr(estimator, "fit_intercept", True)
        params = _check_coef_indices(coef_indices, n_features, fit_intercept)
        feature_names = check_feature_names(estimator, feature_names, n_features)

        coef = np.asarray(estimator.coef_, dtype=np.float64).reshape(-1)
        intercept = float(np.asarray(estimator.intercept_).reshape(-1)[0])
        fitted = np.array([_param_value(p, coef, intercept) for p in params])
        path = np.column_stack(
            [_param_value(p, coef_path.T, intercept_path) for p in params]
        )

        quadratic = _PlaneQuadratic(X, y, sample_weight, coef, intercept, params)
        minimum = fitted + quadratic.minimizer_offset()
        ssr_min = quadratic.ssr(minimum - fitted)

        grid_x, grid_y = _grid_axes(
            np.vstack([path, minimum]), grid_resolution, margin, quadratic, fitted
        )
        mesh_x, mesh_y = np.meshgrid(grid_x - fitted[0], grid_y - fitted[1])
        ssr = quadratic.ssr_grid(mesh_x, mesh_y)
        path_ssr = quadratic.ssr_grid(path[:, 0] - fitted[0], path[:, 1] - fitted[1])

        display = cls(
            grid_x=grid_x,
            grid_y=grid_y,
            ssr=ssr,
            path_x=path[:, 0],
            path_y=path[:, 1],
            path_epochs=path_epochs,
            minimum=(float(minimum[0]), float(minimum[1])),
            ssr_min=min(ssr_min, float(ssr.min())),
            path_ssr=path_ssr,
            xlabel=_param_label(params[0], feature_names),
            ylabel=_param_label(params[1], feature_names),
            projected=n_features + int(fit_intercept) > 2,
        )
        return display.plot(
            ax=ax,
            kind=kind,
            levels=levels,
            cmap=cmap,
            contour_kwargs=contour_kwargs,
            path_kwargs=path_kwargs,
        )


class _PlaneQuadratic:
    """The SSR as a quadratic function of offsets along two parameters.

    With ``A`` the two columns that the parameters multiply (a feature, or ones
    for the intercept), ``r`` the residuals of the fitted model and ``S`` the
    sample weights, the SSR at offset ``d`` from the fitted point is
    ``r'Sr + 2 d'A'Sr + d'A'SAd``. The three sufficient statistics take one pass
    over the data, after which every grid point costs a few flops.
    """

    def __init__(self, X, y, sample_weight, coef, intercept, params):
        residual = X @ coef + intercept - y
        columns = np.column_stack([_param_column(p, X) for p in params])
        weighted = columns * sample_weight[:, None]
        self.gram = weighted.T @ columns
        self.linear = weighted.T @ residual
        self.constant = float(residual @ (sample_weight * residual))

    def minimizer_offset(self):
        """Return the offset ``d`` that minimizes the SSR on the plane."""
        offset, *_ = np.linalg.lstsq(self.gram, -self.linear, rcond=None)
        return offset

    def ssr(self, offset):
        return float(self.ssr_grid(np.asarray(offset[0]), np.asarray(offset[1])))

    def ssr_grid(self, dx, dy):
        """Return the SSR at offsets ``(dx, dy)``, arrays of any matching shape."""
        gram, linear = self.gram, self.linear
        ssr = (
            self.constant
            + 2.0 * (linear[0] * dx + linear[1] * dy)
            + gram[0, 0] * dx * dx
            + 2.0 * gram[0, 1] * dx * dy
            + gram[1, 1] * dy * dy
        )
        # Rounding can push an SSR of zero slightly below it.
        return np.maximum(ssr, 0.0)


def _check_coef_indices(coef_indices, n_features, fit_intercept):
    """Return the two plane parameters as a tuple of int or "intercept"."""
    if coef_indices is None:
        if n_features != 1 or not fit_intercept:
            raise ValueError(
                "coef_indices=None draws the (coefficient, intercept) plane of a "
                f"one-feature fit with an intercept, but this fit has {n_features} "
                f"features and fit_intercept={fit_intercept}. Pass coef_indices, "
                "for example (0, 1) for the coefficients of features 0 and 1."
            )
        return (0, "intercept")

    params = tuple(coef_indices)
    if len(params) != 2:
        raise ValueError(
            f"coef_indices must name two parameters, got {coef_indices!r}."
        )
    checked = []
    for param in params:
        if isinstance(param, str):
            if param != "intercept":
                raise ValueError(
                    "coef_indices entries must be feature indices or 'intercept', "
                    f"got {param!r}."
                )
            if not fit_intercept:
                raise ValueError(
                    "coef_indices contains 'intercept', but the estimator was "
                    "fitted with fit_intercept=False."
                )
            checked.append(param)
        else:
            checked.append(check_feature_index(param, n_features, "coef_indices"))
    if checked[0] == checked[1]:
        raise ValueError(
            f"coef_indices names the same parameter twice: {coef_indices!r}."
        )
    return tuple(checked)


def _param_value(param, coef, intercept):
    return intercept if param == "intercept" else coef[param]


def _param_column(param, X):
    return np.ones(X.shape[0]) if param == "intercept" else X[:, param]


def _param_label(param, feature_names):
    if param == "intercept":
        return "intercept b"
    return f"coefficient w of {feature_name(feature_names, param)}"


def _grid_axes(points, grid_resolution, margin, quadratic, fitted):
    """Return grid values along each axis that cover ``points`` with a margin.

    An axis along which the points do not move (such as the intercept of the
    default solver on centred data) gets the half-width over which the SSR
    rises as much as it does across the other axis, so that the contours show
    the shape of the valley rather than a sliver of it.
    """
    lows, highs = points.min(axis=0), points.max(axis=0)
    scales = np.maximum(np.maximum(np.abs(lows), np.abs(highs)), 1.0)
    # Spans at rounding level count as no movement.
    flat = highs - lows <= 1e-9 * scales
    centres = (lows + highs) / 2
    half_widths = (1 + 2 * margin) * (highs - lows) / 2
    if flat.all():
        half_widths = 0.1 * scales
    elif flat.any():
        moving, still = (0, 1) if flat[1] else (1, 0)
        offsets = np.zeros((2, grid_resolution))
        offsets[moving] = np.linspace(-1.0, 1.0, grid_resolution)
        offsets[moving] *= half_widths[moving]
        offsets += (centres - fitted)[:, None]
        along = quadratic.ssr_grid(offsets[0], offsets[1])
        rise = float(along.max() - along.min())
        curvature = quadratic.gram[still, still]
        if curvature > 0 and rise > 0:
            half_widths[still] = np.sqrt(rise / curvature)
        else:
            half_widths[still] = 0.1 * scales[still]
    return [
        np.linspace(centre - half, centre + half, grid_resolution)
        for centre, half in zip(centres, half_widths)
    ]
