"""Display of the SSR against the epoch for one or more fits."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._common import check_matplotlib_support, format_number, initial_ssr

SCALES = ("linear", "log")


class LossCurveDisplay:
    """Loss curve of gradient-descent fits: the SSR after each epoch.

    Draws ``loss_curve_`` against the epoch, one line per fit, so that fits with
    different learning rates or solvers can be compared on one axis. Given the
    SSR of the starting point, a curve starts at epoch 0, which shows how much
    the first epoch gained. Create it with :meth:`from_estimator` or
    :meth:`from_estimators`. Calling :meth:`plot` again with ``ax`` adds the
    curves to an existing axis.

    Parameters
    ----------
    loss_curves : list of array-like of shape (n_epochs,)
        One loss curve per fit: ``loss_curves[i][k]`` is the SSR after epoch
        ``k + 1`` of fit ``i``.

    names : list of str or None, default=None
        Legend label of each curve. None draws no legend.

    initial_losses : list of (float or None), default=None
        SSR at the starting point (epoch 0) of each fit, drawn at epoch 0 in
        front of its curve. None, or a None entry, starts the curve at epoch 1.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        One line per curve, in the order of ``loss_curves``.

    line_ : matplotlib Line2D or None
        The line when there is exactly one curve, else None.

    ax_ : matplotlib Axes
        Axes with the curves.

    figure_ : matplotlib Figure
        Figure containing the curves.

    See Also
    --------
    DescentPathDisplay : SSR contours over two parameters with the descent path.
    FittedLinesDisplay : Data and the fitted line at chosen epochs.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_gd import GDLinearRegressor
    >>> from sklearn_gd._plotting import LossCurveDisplay
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> y = np.array([3.1, 4.9, 7.2, 8.8])
    >>> fits = {
    ...     "lr=0.005": GDLinearRegressor(solver="gd", learning_rate=0.005),
    ...     "auto": GDLinearRegressor(solver="gd"),
    ... }
    >>> fits = {name: reg.fit(X, y) for name, reg in fits.items()}
    >>> display = LossCurveDisplay.from_estimators(fits)
    >>> len(display.lines_)
    2
    """

    def __init__(self, *, loss_curves, names=None, initial_losses=None):
        self.loss_curves = loss_curves
        self.names = names
        self.initial_losses = initial_losses

    def plot(
        self,
        ax=None,
        *,
        yscale="log",
        xscale="linear",
        baseline=None,
        line_kwargs=None,
    ):
        """Plot the loss curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on, which may already hold other curves. If None, a new
            figure and axes are created.

        yscale : {"log", "linear"}, default="log"
            Scale of the SSR axis.

        xscale : {"linear", "log"}, default="linear"
            Scale of the epoch axis. A log axis cannot show epoch 0, so when a
            curve starts at epoch 0, ``"log"`` draws a symmetric-log axis that is
            linear from 0 to 1 and logarithmic above.

        baseline : float, default=None
            Value subtracted from every SSR before drawing, typically the
            least-squares SSR (from :class:`~sklearn.linear_model.LinearRegression`).
            On a log scale the excess SSR then falls as a straight line when the
            convergence is linear, and its slope is the rate. Points at or below
            the baseline are not drawn on a log scale.

        line_kwargs : dict, default=None
            Keyword arguments passed to :meth:`matplotlib.axes.Axes.plot` for
            every curve.

        Returns
        -------
        display : LossCurveDisplay
            Object that stores the computed values.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        _check_scale(yscale, "yscale")
        _check_scale(xscale, "xscale")
        curves = [
            np.asarray(curve, dtype=np.float64).ravel() for curve in self.loss_curves
        ]
        names = _per_curve(self.names, curves, "names", "one name per curve")
        initial_losses = _per_curve(
            self.initial_losses, curves, "initial_losses", "one SSR (or None) per curve"
        )

        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots()

        line_kwargs = {} if line_kwargs is None else line_kwargs
        self.lines_ = []
        for curve, initial, name in zip(curves, initial_losses, names):
            epochs = np.arange(1, len(curve) + 1)
            if initial is not None:
                curve = np.r_[float(initial), curve]
                epochs = np.r_[0, epochs]
            values = curve if baseline is None else curve - baseline
            if yscale == "log":
                # A log axis cannot show values at or below zero, so they become gaps.
                values = np.where(values > 0, values, np.nan)
            (line,) = ax.plot(epochs, values, label=name, **line_kwargs)
            self.lines_.append(line)
        self.line_ = self.lines_[0] if len(self.lines_) == 1 else None

        from matplotlib.ticker import MaxNLocator

        starts_at_zero = any(initial is not None for initial in initial_losses)
        if xscale == "log" and (starts_at_zero or ax.get_xscale() == "symlog"):
            ax.set_xscale("symlog", linthresh=1.0)
        else:
            ax.set_xscale(xscale)
        if xscale == "linear":
            # Epochs are whole numbers.
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_yscale(yscale)
        if yscale == "log":
            _label_narrow_log_axis(ax.yaxis, ax.get_ylim())
        ylabel = "SSR" if baseline is None else f"SSR - {format_number(baseline)}"
        ax.set(xlabel="epoch", ylabel=ylabel)
        if any(label and not label.startswith("_") for label in _labels(ax)):
            ax.legend()

        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X=None,
        y=None,
        *,
        sample_weight=None,
        name=None,
        ax=None,
        yscale="log",
        xscale="linear",
        baseline=None,
        line_kwargs=None,
    ):
        """Plot the loss curve of one fitted estimator.

        Parameters
        ----------
        estimator : estimator instance
            Fitted estimator with a ``loss_curve_`` attribute, such as
            :class:`~sklearn_gd.GDLinearRegressor`.

        X : array-like of shape (n_samples, n_features), default=None
            Training data. With ``y``, it gives the SSR at the starting point,
            drawn at epoch 0. That needs the recorded path of a fit with
            ``record_every`` set. None starts the curve at epoch 1.

        y : array-like of shape (n_samples,), default=None
            Target values, passed together with ``X``.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights of the fit, used for the SSR at epoch 0.

        name : str, default=None
            Legend label. None draws no legend.

        ax : matplotlib Axes, default=None
            Axes to draw on. If None, a new figure and axes are created.

        yscale : {"log", "linear"}, default="log"
            Scale of the SSR axis.

        xscale : {"linear", "log"}, default="linear"
            Scale of the epoch axis.

        baseline : float, default=None
            Value subtracted from every SSR before drawing; see :meth:`plot`.

        line_kwargs : dict, default=None
            Keyword arguments passed to :meth:`matplotlib.axes.Axes.plot`.

        Returns
        -------
        display : LossCurveDisplay
            Object that stores the computed values.
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        check_is_fitted(estimator, "loss_curve_")
        display = cls(
            loss_curves=[estimator.loss_curve_],
            names=None if name is None else [name],
            initial_losses=_initial_losses([estimator], X, y, sample_weight),
        )
        return display.plot(
            ax=ax,
            yscale=yscale,
            xscale=xscale,
            baseline=baseline,
            line_kwargs=line_kwargs,
        )

    @classmethod
    def from_estimators(
        cls,
        estimators,
        X=None,
        y=None,
        *,
        sample_weight=None,
        names=None,
        ax=None,
        yscale="log",
        xscale="linear",
        baseline=None,
        line_kwargs=None,
    ):
        """Plot the loss curves of several fitted estimators on one axis.

        Parameters
        ----------
        estimators : list or dict of estimator instances
            Fitted estimators with a ``loss_curve_`` attribute. The keys of a
            dict are the legend labels.

        X : array-like of shape (n_samples, n_features), default=None
            Training data of every fit. With ``y``, it gives the SSR at each
            starting point, drawn at epoch 0. That needs the recorded path of
            fits with ``record_every`` set. None starts the curves at epoch 1.

        y : array-like of shape (n_samples,), default=None
            Target values, passed together with ``X``.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights of the fits, used for the SSR at epoch 0.

        names : list of str, default=None
            Legend labels of a list of estimators. None labels each curve with
            the parameters that differ between the estimators, for example
            ``learning_rate=1e-07``.

        ax : matplotlib Axes, default=None
            Axes to draw on. If None, a new figure and axes are created.

        yscale : {"log", "linear"}, default="log"
            Scale of the SSR axis.

        xscale : {"linear", "log"}, default="linear"
            Scale of the epoch axis.

        baseline : float, default=None
            Value subtracted from every SSR before drawing; see :meth:`plot`.

        line_kwargs : dict, default=None
            Keyword arguments passed to :meth:`matplotlib.axes.Axes.plot` for
            every curve.

        Returns
        -------
        display : LossCurveDisplay
            Object that stores the computed values.
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimators")
        if isinstance(estimators, dict):
            if names is not None:
                raise ValueError(
                    "names must be None when estimators is a dict, whose keys are "
                    "the names."
                )
            names = [str(key) for key in estimators]
            estimators = list(estimators.values())
        else:
            estimators = list(estimators)
        if not estimators:
            raise ValueError("estimators is empty; pass at least one estimator.")
        for estimator in estimators:
            check_is_fitted(estimator, "loss_curve_")
        if names is None:
            names = _differing_params(estimators)

        display = cls(
            loss_curves=[estimator.loss_curve_ for estimator in estimators],
            names=names,
            initial_losses=_initial_losses(estimators, X, y, sample_weight),
        )
        return display.plot(
            ax=ax,
            yscale=yscale,
            xscale=xscale,
            baseline=baseline,
            line_kwargs=line_kwargs,
        )


def _per_curve(values, curves, parameter, expected):
    """Return ``values`` as a list with one entry per curve, or raise ValueError."""
    if values is None:
        return [None] * len(curves)
    values = list(values)
    if len(values) != len(curves):
        raise ValueError(
            f"{parameter} has {len(values)} entries but there are {len(curves)} "
            f"loss curves; pass {expected}."
        )
    return values


def _initial_losses(estimators, X, y, sample_weight):
    """Return the SSR at epoch 0 of each estimator, or None without data."""
    if X is None and y is None:
        return None
    if X is None or y is None:
        raise ValueError(
            "Pass both X and y to draw the SSR at epoch 0, or neither to start "
            "the loss curves at epoch 1."
        )
    return [initial_ssr(estimator, X, y, sample_weight) for estimator in estimators]


def _label_narrow_log_axis(axis, limits):
    """Label a log axis that spans less than a decade with plain numbers.

    Such an axis contains at most one power of ten, so the default labels are
    either missing or read like ``1.095x10^4``. Ticks at round numbers labelled
    like ``10,950`` are easier to read.
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

    low, high = sorted(limits)
    if not (low > 0 and high / low < 10):
        return
    axis.set_major_locator(MaxNLocator(nbins=6))
    axis.set_major_formatter(FuncFormatter(lambda x, _: format_number(x)))
    axis.set_minor_locator(NullLocator())


def _check_scale(scale, parameter):
    if scale not in SCALES:
        raise ValueError(f"{parameter} must be 'linear' or 'log', got {scale!r}.")


def _labels(ax):
    return [line.get_label() for line in ax.get_lines()]


def _differing_params(estimators):
    """Label each estimator with the parameters whose values differ between them."""
    params = [estimator.get_params(deep=False) for estimator in estimators]
    keys = [
        key
        for key in params[0]
        if any(key not in other or other[key] != params[0][key] for other in params)
    ]
    if not keys:
        return [f"fit {index}" for index in range(len(estimators))]
    return [", ".join(f"{key}={p.get(key)!r}" for key in keys) for p in params]
