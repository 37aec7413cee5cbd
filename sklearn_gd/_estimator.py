"""The gradient-descent linear regression estimator."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from ._objective import Coordinates, GramObjective, StreamingObjective
from ._solver import gradient_descent
from ._stats import SufficientStats


class GDLinearRegressor(RegressorMixin, BaseEstimator):
    """Linear least squares fitted by full-batch gradient descent.

    Fits ``y = X w + b`` by minimizing the sum of squared residuals

        SSR(w, b) = sum_i s_i (x_i . w + b - y_i)^2

    (``s_i`` the sample weights) with the gradient loop
    ``w <- w - learning_rate * dSSR/dw``, ``b <- b - learning_rate * dSSR/db``,
    and records the SSR after every epoch in ``loss_curve_``.

    Two solvers run that loop:

    - ``solver="nesterov"`` (the default) iterates on the centred problem with
      each column scaled to unit weighted norm, so that raw, badly scaled data needs
      no preprocessing, and adds Nesterov momentum with adaptive restart. The
      intercept is not iterated: each iterate uses the intercept that minimizes the
      SSR for its coefficients. It reaches the least-squares solution to about
      ``rtol=1e-6`` in tens to hundreds of epochs.
    - ``solver="gd"`` is the textbook loop, exactly: plain gradient descent on the
      raw ``(w, b)`` with a fixed learning rate, no centring, scaling or momentum.
      On raw data it can need millions of epochs; it is there to learn from.

    Whatever the solver, ``coef_`` and ``intercept_`` are in the user's units and
    ``loss_curve_`` holds the SSR of the user's problem.

    Parameters
    ----------
    learning_rate : "auto" or float, default="auto"
        Step size of the update, applied to the gradient of the SSR with respect to
        the variables the solver iterates on: the raw ``(w, b)`` for
        ``solver="gd"``, the coefficients of the standardized columns for
        ``solver="nesterov"``. ``"auto"`` takes ``1 / L``, where ``L`` is the
        Lipschitz constant of that gradient (twice the largest eigenvalue of the
        Gram matrix in those variables). A float must be at most ``2 / L`` for
        ``"gd"``, above which the loop diverges, and at most ``1 / L`` for
        ``"nesterov"``; a larger value raises a ``ValueError`` that states the
        limit for the data, before any epoch runs.

    solver : {"nesterov", "gd"}, default="nesterov"
        ``"nesterov"``: accelerated descent on the centred, standardized problem.
        ``"gd"``: plain gradient descent on the raw ``(w, b)``.

    max_iter : int, default=10_000
        Maximum number of epochs (full passes of the gradient loop).

    tol : float, default=1e-10
        Stopping tolerance. The fit stops after the first epoch whose step was
        taken where the gradient norm was at most ``tol`` times the gradient norm
        at zero coefficients (and zero intercept). The gradient is that of the SSR
        in the solver's variables. The test never asks for less than the rounding
        error of the gradient itself.

    fit_intercept : bool, default=True
        Whether to fit the intercept ``b``. If False, ``b = 0``.

    precompute : "auto" or bool, default="auto"
        Whether to precompute the centred Gram matrix ``Xc^T S Xc`` and
        ``Xc^T S yc`` in one blockwise pass over X, after which every epoch costs
        O(n_features**2) instead of a pass over the data. ``"auto"`` precomputes
        when the Gram matrix is no larger than X, that is when
        ``n_features <= n_samples``. Both modes give the same iterates up to
        rounding.

    warm_start : bool, default=False
        When True and the estimator is fitted, start from the previous ``coef_``
        (and ``intercept_`` for ``solver="gd"``) unless ``coef_init`` is given.

    verbose : int, default=0
        Print one line per epoch (epoch, SSR, gradient norm) when positive.

    record_every : int or None, default=None
        Keep the coefficients and intercept of epoch 0 (the start), of every
        ``record_every``-th epoch and of the last epoch in ``coef_path_``,
        ``intercept_path_`` and ``path_epochs_``. They take at most
        ``(max_iter // record_every + 2) * (n_features + 1) * n_targets`` floats.
        None keeps none.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients, shaped like those of
        :class:`~sklearn.linear_model.LinearRegression`.

    intercept_ : float or ndarray of shape (n_targets,)
        Intercept; 0.0 when ``fit_intercept=False``.

    n_iter_ : int
        Number of epochs of the last fit.

    loss_curve_ : list of float
        ``loss_curve_[k]`` is the SSR after epoch ``k + 1``, summed over targets,
        so ``len(loss_curve_) == n_iter_`` and ``loss_curve_[-1]`` is the SSR of
        the returned model. A warm-started fit starts from the previous
        coefficients and replaces ``loss_curve_`` with its own epochs.

    lipschitz_ : float
        Lipschitz constant ``L`` of the SSR gradient in the solver's variables.

    learning_rate_ : float
        Step size used: ``learning_rate``, or ``1 / L`` for ``"auto"``.

    precompute_ : bool
        Whether the fit used the precomputed Gram matrix.

    coef_path_ : ndarray of shape (n_records, n_features) or \
            (n_records, n_targets, n_features)
        Recorded coefficients, when ``record_every`` is set.

    intercept_path_ : ndarray of shape (n_records,) or (n_records, n_targets)
        Recorded intercepts, when ``record_every`` is set.

    path_epochs_ : ndarray of shape (n_records,)
        Epoch of each record; 0 is the starting point.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.linear_model.LinearRegression : Least squares by a direct solver.
    sklearn.linear_model.SGDRegressor : Linear models fitted by stochastic
        gradient descent.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_gd import GDLinearRegressor
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> y = np.array([3.0, 5.0, 7.0, 9.0])
    >>> reg = GDLinearRegressor().fit(X, y)
    >>> reg.coef_.round(6), round(float(reg.intercept_), 6)
    (array([2.]), 1.0)
    >>> reg.predict([[5.0]]).round(6)
    array([11.])
    """

    _parameter_constraints: dict = {
        "learning_rate": [
            StrOptions({"auto"}),
            Interval(Real, 0, None, closed="neither"),
        ],
        "solver": [StrOptions({"nesterov", "gd"})],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "precompute": [StrOptions({"auto"}), "boolean"],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
        "record_every": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        *,
        learning_rate="auto",
        solver="nesterov",
        max_iter=10_000,
        tol=1e-10,
        fit_intercept=True,
        precompute="auto",
        warm_start=False,
        verbose=0,
        record_every=None,
    ):
        self.learning_rate = learning_rate
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.warm_start = warm_start
        self.verbose = verbose
        self.record_every = record_every

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, coef_init=None, intercept_init=None):
        """Fit the linear model by gradient descent.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data. It is never modified.

        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.

        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights ``s_i`` of the SSR. Integer weights give the same
            fit as repeating rows.

        coef_init : array-like of shape (n_features,) or (n_targets, n_features), \
                default=None
            Starting coefficients. Default: zeros, or the previous ``coef_`` when
            ``warm_start=True``.

        intercept_init : float or array-like of shape (n_targets,), default=None
            Starting intercept for ``solver="gd"``. Default: zero, or the previous
            ``intercept_`` when ``warm_start=True``. ``solver="nesterov"`` does
            not iterate on the intercept, so there it has no effect.

        Returns
        -------
        self : object
            Fitted estimator.

        Raises
        ------
        ValueError
            If a fixed ``learning_rate`` is above the stability limit for the data,
            or if an input is invalid.
        """
        X, y = validate_data(
            self,
            X,
            y,
            dtype=[np.float64, np.float32],
            multi_output=True,
            y_numeric=True,
        )
        Y = np.asarray(y, dtype=X.dtype)
        y_is_2d = Y.ndim == 2
        if not y_is_2d:
            Y = Y[:, None]
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        n_samples, n_features = X.shape
        n_targets = Y.shape[1]

        use_gram = self._use_gram(n_samples, n_features)
        stats = SufficientStats.from_dense(
            X, Y, sample_weight, centred=self.fit_intercept, full_gram=use_gram
        )
        standardized = self.solver == "nesterov"
        scale = _column_scales(stats, X.dtype) if standardized else None
        coords = Coordinates(
            stats,
            fit_intercept=self.fit_intercept,
            standardized=standardized,
            scale=scale,
        )
        if use_gram:
            objective = GramObjective(stats, coords)
        else:
            objective = StreamingObjective(X, Y, sample_weight, stats, coords)

        lipschitz = objective.lipschitz()
        if not lipschitz > 0:
            # The SSR does not depend on Z (every column is constant), so its
            # gradient is zero and any positive step leaves Z where it is.
            lipschitz = 1.0
        step = self._check_learning_rate(lipschitz)

        Z0 = self._initial_point(
            coords, coef_init, intercept_init, n_features, n_targets, y_is_2d
        )
        with np.errstate(over="ignore", invalid="ignore"):
            gradient_scale = _gradient_norm_at_zero(stats, coords, n_targets)
            result = gradient_descent(
                objective,
                Z0,
                learning_rate=step,
                lipschitz=lipschitz,
                accelerated=standardized,
                max_iter=self.max_iter,
                tol=self.tol,
                gradient_scale=gradient_scale,
                verbose=self.verbose,
                record_every=self.record_every,
            )

        coef, intercept = coords.to_user(result.Z)
        self.coef_, self.intercept_ = self._shape_output(coef, intercept, y_is_2d, X)
        self.n_iter_ = result.n_iter
        self.loss_curve_ = result.loss_curve
        self.lipschitz_ = lipschitz
        self.learning_rate_ = step
        self.precompute_ = use_gram
        if self.record_every is not None:
            pairs = [coords.to_user(Z) for Z in result.path]
            shaped = [self._shape_output(c, b, y_is_2d, X) for c, b in pairs]
            self.coef_path_ = np.array([c for c, _ in shaped])
            self.intercept_path_ = np.array([b for _, b in shaped])
            self.path_epochs_ = np.array(result.path_epochs)

        if not result.converged:
            warnings.warn(
                f"GDLinearRegressor did not converge within max_iter={self.max_iter} "
                f"epochs: the gradient norm is {result.gradient_norm:.3g}, above "
                f"tol={self.tol:g} times its value at zero "
                f"({self.tol * gradient_scale:.3g}). Increase max_iter or tol"
                + (
                    ", or use solver='nesterov', which needs far fewer epochs."
                    if self.solver == "gd"
                    else "."
                ),
                ConvergenceWarning,
            )
        return self

    def predict(self, X):
        """Predict with the fitted linear model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Predicted values, ``X @ coef_.T + intercept_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return X @ self.coef_.T + self.intercept_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _use_gram(self, n_samples, n_features):
        if self.precompute == "auto":
            return n_features <= n_samples
        return bool(self.precompute)

    def _check_learning_rate(self, lipschitz):
        """Return the step size, or raise if a fixed one is above the limit."""
        if self.learning_rate == "auto":
            return 1.0 / lipschitz
        if self.solver == "gd":
            limit = 2.0 / lipschitz
            if self.learning_rate > limit:
                raise ValueError(
                    f"learning_rate={self.learning_rate:g} is above the largest "
                    f"stable learning rate for this data, 2/L = {limit:.6g}, where "
                    f"L = {lipschitz:.6g} is the Lipschitz constant of the SSR "
                    "gradient, so the gradient loop would diverge. Use "
                    "learning_rate='auto' (1/L), or a float below 2/L."
                )
        else:
            limit = 1.0 / lipschitz
            if self.learning_rate > limit:
                raise ValueError(
                    f"learning_rate={self.learning_rate:g} is above the largest "
                    f"stable learning rate for solver='nesterov' on this data, "
                    f"1/L = {limit:.6g}, where L = {lipschitz:.6g} is the Lipschitz "
                    "constant of the SSR gradient in standardized coordinates. Use "
                    "learning_rate='auto' (1/L), or a float of at most 1/L."
                )
        return float(self.learning_rate)

    def _initial_point(
        self, coords, coef_init, intercept_init, n_features, n_targets, y_is_2d
    ):
        """Return the starting Z from the init arguments, a warm start or zeros."""
        coef_shape = (n_targets, n_features) if y_is_2d else (n_features,)
        intercept_shape = (n_targets,) if y_is_2d else ()
        if coef_init is None and self.warm_start and hasattr(self, "coef_"):
            if np.shape(self.coef_) == coef_shape:
                coef_init = self.coef_
                if intercept_init is None:
                    intercept_init = self.intercept_

        if coef_init is None:
            coef = np.zeros((n_targets, n_features))
        else:
            coef = np.asarray(coef_init, dtype=np.float64)
            if coef.shape != coef_shape:
                raise ValueError(
                    f"coef_init has shape {coef.shape}, but this X and y need shape "
                    f"{coef_shape}: (n_features,) for 1-D y, (n_targets, n_features) "
                    "for 2-D y."
                )
            coef = coef.reshape(n_targets, n_features)
        if intercept_init is None:
            intercept = np.zeros(n_targets)
        else:
            intercept = np.asarray(intercept_init, dtype=np.float64)
            if intercept.shape != intercept_shape:
                raise ValueError(
                    f"intercept_init has shape {intercept.shape}, but this y needs "
                    f"shape {intercept_shape}: a scalar for 1-D y, (n_targets,) for "
                    "2-D y."
                )
            intercept = intercept.reshape(n_targets)
        for name, value in (("coef_init", coef), ("intercept_init", intercept)):
            if not np.all(np.isfinite(value)):
                raise ValueError(
                    f"{name} contains NaN or infinity; pass finite values."
                )
        return coords.from_user(coef, intercept)

    def _shape_output(self, coef, intercept, y_is_2d, X):
        coef = coef.astype(X.dtype)
        intercept = intercept.astype(X.dtype)
        if not y_is_2d:
            coef = coef[0]
            intercept = intercept[0]
        if not self.fit_intercept:
            intercept = np.zeros_like(intercept) if y_is_2d else 0.0
        return coef, intercept


def _column_scales(stats, dtype):
    """Return each column's weighted norm after centring, with ``inf`` for columns
    that are constant to rounding, so that their coefficient stays at zero."""
    xx = stats.xx
    squares = np.diag(xx).copy() if xx.ndim == 2 else xx.copy()
    eps = np.finfo(dtype).eps
    # A column whose spread is below about 1e3 * eps of its magnitude is constant:
    # its centred values are rounding residue.
    residue = stats.sum_weights * (1e3 * eps * stats.x_mean) ** 2
    constant = squares <= residue
    scale = np.sqrt(np.where(constant, 1.0, squares))
    scale[constant] = np.inf
    return scale


def _gradient_norm_at_zero(stats, coords, n_targets):
    """Return the norm of dSSR/dZ at zero coefficients and zero intercept."""
    zero = np.zeros((coords.n_params, n_targets))
    _, bprime = coords.split(zero)
    gradient = coords.join_gradient(-2.0 * stats.xy, 2.0 * stats.sum_weights * bprime)
    return float(np.linalg.norm(gradient))
