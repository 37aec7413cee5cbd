"""Display of the SSR against the epoch for one or more fits."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._common import check_matplotlib_support

SCALES = ("linear", "log")


class LossCurveDisplay:
    """Loss curve of gradient-descent fits: the SSR after each epoch.

    Draws ``loss_curve_`` against the epoch, one line per fit, so that fits with
    different learning rates or solvers can be compared on one axis. Create it
    with :meth:`from_estimator` or :meth:`from_estimators`; calling :meth:`plot`
    again with ``ax`` adds the curves to an existing axis.

    Parameters
    ----------
    loss_curves : list of array-like of shape (n_epochs,)
        One loss curve per fit: ``loss_curves[i][k]`` is the SSR after epoch
        ``k + 1`` of fit ``i``.

    names : list of str or None, default=None
        Legend label of each curve. None draws no legend.

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

    def __init__(self, *, loss_curves, names=None):
        self.loss_curves = loss_curves
        self.names = names

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
            Scale of the epoch axis.

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
        names = [None] * len(curves) if self.names is None else list(self.names)
        if len(names) != len(curves):
            raise ValueError(
                f"names has {len(names)} entries but there are {len(curves)} loss "
                "curves; pass one name per curve."
            )

        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots()

        line_kwargs = {} if line_kwargs is None else line_kwargs
        self.lines_ = []
        for curve, name in zip(curves, names):
            values = curve if baseline is None else curve - baseline
            if yscale == "log":
                # A log axis cannot show values at or below zero, so they become gaps.
                values = np.where(values > 0, values, np.nan)
            epochs = np.arange(1, len(curve) + 1)
            (line,) = ax.plot(epochs, values, label=name, **line_kwargs)
            self.lines_.append(line)
        self.line_ = self.lines_[0] if len(self.lines_) == 1 else None

        ax.set_xscale(xscale)
        if xscale == "linear":
            from matplotlib.ticker import MaxNLocator

            # Epochs are whole numbers.
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_yscale(yscale)
        ylabel = "SSR" if baseline is None else f"SSR - {baseline:.6g}"
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
        *,
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
        *,
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
        )
        return display.plot(
            ax=ax,
            yscale=yscale,
            xscale=xscale,
            baseline=baseline,
            line_kwargs=line_kwargs,
        )


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
