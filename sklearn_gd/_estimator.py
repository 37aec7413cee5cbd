"""The gradient-descent linear regression estimator."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from . import _dask
from ._checks import check_magnitudes, column_extremes, gradient_weights
from ._objective import Coordinates, GramObjective, StreamingObjective
from ._solver import gradient_descent
from ._sparse import SparseStreamingObjective
from ._sparse import sufficient_stats as sparse_sufficient_stats
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
    ``loss_curve_`` is the SSR of the user's problem.

    X can be a numpy array, a scipy.sparse matrix (CSR or CSC, never densified)
    or a dask array, fitted chunk by chunk on the threaded scheduler or on a
    ``dask.distributed`` cluster; ``predict`` on a dask array returns a lazy dask
    array. :meth:`partial_fit` fits batches that arrive one at a time and, unlike
    :meth:`sklearn.linear_model.SGDRegressor.partial_fit`, which takes one
    stochastic pass over each batch, gives the same coefficients as ``fit`` on
    all the batches at once.

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
        in the solver's variables. For ``solver="gd"`` each entry is first divided
        by the norm of its column of ``[X, 1]``, so that the test does not depend
        on the units of the features. The test never asks for less than the
        rounding error of the gradient itself. ``verbose`` and the
        ``ConvergenceWarning`` report this same norm.

    fit_intercept : bool, default=True
        Whether to fit the intercept ``b``. If False, ``b = 0``.

    precompute : "auto" or bool, default="auto"
        Whether to precompute the centred Gram matrix ``Xc^T S Xc`` and
        ``Xc^T S yc`` in one blockwise pass over X, after which every epoch costs
        O(n_features**2) instead of a pass over the data. ``"auto"`` precomputes
        when the Gram matrix is no larger than X as stored, that is when
        ``n_features <= n_samples`` for dense X and ``n_features**2 <= X.nnz``
        for sparse X. For dense X the pass costs about
        ``n_samples * n_features**2 / 2`` multiply-adds, the work of forming the
        normal equations, and an epoch without it about
        ``2 * n_samples * n_features``. Both modes give the same iterates up to
        rounding. :meth:`partial_fit` always precomputes.

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
        X : {array-like, sparse matrix, dask array} of shape (n_samples, \
                n_features)
            Training data. It is never modified. A dask array is fitted chunk by
            chunk, without loading it into memory.

        y : array-like or dask array of shape (n_samples,) or (n_samples, \
                n_targets)
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
        _reject_booleans(self)
        try:
            X, Y, sample_weight, y_is_2d = self._validate_fit_input(
                X, y, sample_weight, reset=True
            )
            use_gram = self._use_gram(X)
            stats = _sufficient_stats(
                X, Y, sample_weight, centred=self.fit_intercept, full_gram=use_gram
            )
            # A fit starts afresh: partial_fit no longer adds to earlier batches.
            self.__dict__.pop("_partial_stats", None)
            streaming_data = None if use_gram else (X, Y, sample_weight)
            self._descend(
                stats, streaming_data, X.dtype, y_is_2d, coef_init, intercept_init
            )
        except ValueError:
            # validate_data has already reset n_features_in_: leave no mix of the
            # failed fit and an earlier one behind.
            _forget_fit(self)
            raise
        if not _dask.is_dask_collection(X):
            if use_gram:
                self._correct_final_loss(X, Y, sample_weight, stats)
            if self.solver == "nesterov":
                _warn_unresolved_columns(X, stats)
        return self

    def _correct_final_loss(self, X, Y, sample_weight, stats):
        """Recompute the last SSR from the data when the Gram form lost digits.

        The Gram form ``w.(G w - 2 c) + y.y`` cancels when the SSR is far below
        ``y.y``, that is when the fit is nearly exact. One pass over X then gives
        the SSR of the returned model to full precision.
        """
        if self.loss_curve_[-1] > 1e-8 * float(np.sum(stats.yy)):
            return
        residuals = self.predict(X).reshape(Y.shape) - Y
        self.loss_curve_[-1] = float(
            np.einsum("ij,ij,i->", residuals, residuals, sample_weight, dtype=float)
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Add a batch of samples and refit on all the samples seen so far.

        Each call adds the sufficient statistics of the batch (weighted means and
        centred cross-products, as ``precompute=True`` computes them) to those of
        the earlier calls, then runs the epochs on all of them, starting from the
        current ``coef_``. After any sequence of calls, in any order and with any
        batch sizes, ``coef_`` and ``intercept_`` are those that ``fit`` gives on
        all the samples at once, to the tolerance ``tol``.

        This differs from :meth:`sklearn.linear_model.SGDRegressor.partial_fit`,
        which takes one stochastic pass over the batch: its coefficients depend on
        the order of the batches and only approximate the least-squares fit, but
        it stores O(n_features) numbers. Here the statistics take
        O(n_features**2) memory, and a call costs one pass over the batch plus
        O(n_features**2) per epoch, whatever the number of samples seen.

        ``fit`` discards the statistics of earlier batches; the next call of
        ``partial_fit`` starts a new accumulation.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array} of shape (n_samples, \
                n_features)
            A batch of training data. The first call sets ``n_features_in_``;
            later calls must have the same number of features.

        y : array-like or dask array of shape (n_samples,) or (n_samples, \
                n_targets)
            Target values, with the same number of targets in every call.

        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights ``s_i`` of the SSR.

        Returns
        -------
        self : object
            Fitted estimator.

        Raises
        ------
        ValueError
            If the batch has another number of features or targets than the
            earlier ones, if ``fit_intercept`` changed since the first call, or
            if an input is invalid.
        """
        first_call = not hasattr(self, "_partial_stats")
        X, Y, sample_weight, y_is_2d = self._validate_fit_input(
            X, y, sample_weight, reset=first_call
        )
        stats = _sufficient_stats(
            X, Y, sample_weight, centred=self.fit_intercept, full_gram=True
        )
        if not first_call:
            self._check_partial_batch(y_is_2d, Y.shape[1])
            stats = self._partial_stats.merge(stats)

        n_features = X.shape[1]
        coef_shape = (Y.shape[1], n_features) if y_is_2d else (n_features,)
        coef_init = intercept_init = None
        if hasattr(self, "coef_") and np.shape(self.coef_) == coef_shape:
            coef_init, intercept_init = self.coef_, self.intercept_
        self._descend(stats, None, X.dtype, y_is_2d, coef_init, intercept_init)
        # Stored only once the epochs ran, so a rejected batch is not counted.
        self._partial_stats = stats
        return self

    def _check_partial_batch(self, y_is_2d, n_targets):
        """Raise ValueError if a batch does not fit the earlier partial_fit calls."""
        previous = self._partial_stats
        if previous.centred != self.fit_intercept:
            raise ValueError(
                f"fit_intercept={self.fit_intercept}, but the earlier partial_fit "
                f"calls used fit_intercept={previous.centred}. Call fit, or "
                "partial_fit on a new estimator, to change it."
            )
        n_previous = previous.xy.shape[1]
        previous_is_2d = np.ndim(self.coef_) == 2
        if n_targets != n_previous or y_is_2d != previous_is_2d:
            expected = f"(n_samples, {n_previous})" if previous_is_2d else "1-D"
            got = f"(n_samples, {n_targets})" if y_is_2d else "1-D"
            raise ValueError(
                f"y is {got}, but the earlier partial_fit calls had {expected} y; "
                "pass the same targets in every call."
            )

    def _descend(
        self, stats, streaming_data, dtype, y_is_2d, coef_init, intercept_init
    ):
        """Run the epochs on ``stats`` and set the fitted attributes.

        ``streaming_data`` is ``(X, Y, sample_weight)`` for the streaming
        objective, or None for the Gram objective.
        """
        # A refit must not leave the path of an earlier fit behind.
        for name in ("coef_path_", "intercept_path_", "path_epochs_"):
            self.__dict__.pop(name, None)

        use_gram = streaming_data is None
        n_features = stats.x_mean.shape[0]
        n_targets = stats.xy.shape[1]
        standardized = self.solver == "nesterov"
        scale = _column_scales(stats) if standardized else None
        coords = Coordinates(
            stats,
            fit_intercept=self.fit_intercept,
            standardized=standardized,
            scale=scale,
        )
        if use_gram:
            objective = GramObjective(stats, coords)
        else:
            objective = _streaming_objective(*streaming_data, stats, coords)

        lipschitz = objective.lipschitz()
        if not lipschitz > 0:
            # The SSR does not depend on Z (every column is constant), so its
            # gradient is zero and any positive step leaves Z where it is.
            lipschitz = 1.0
        step = self._check_learning_rate(lipschitz)

        Z0 = self._initial_point(
            coords, coef_init, intercept_init, n_features, n_targets, y_is_2d
        )
        weights = gradient_weights(stats, coords)
        with np.errstate(over="ignore", invalid="ignore"):
            gradient_scale = _gradient_norm_at_zero(stats, coords, n_targets, weights)
            result = gradient_descent(
                objective,
                Z0,
                learning_rate=step,
                lipschitz=lipschitz,
                accelerated=standardized,
                max_iter=self.max_iter,
                tol=self.tol,
                gradient_scale=gradient_scale,
                gradient_weights=weights,
                # The streaming products are formed in the dtype of X.
                eps=np.finfo(np.float64 if use_gram else dtype).eps,
                verbose=self.verbose,
                record_every=self.record_every,
            )

        coef, intercept = coords.to_user(result.Z)
        coef, intercept = self._shape_output(coef, intercept, y_is_2d, dtype)
        with np.errstate(over="ignore"):
            finite = np.all(np.isfinite(coef)) and np.all(np.isfinite(intercept))
        if not finite:
            raise ValueError(
                f"The fitted coefficients do not fit in {np.dtype(dtype).name}. "
                "Rescale X or y (for example divide y by a constant), or pass "
                "float64 data."
            )
        self.coef_, self.intercept_ = coef, intercept
        self.n_iter_ = result.n_iter
        self.loss_curve_ = result.loss_curve
        self.lipschitz_ = lipschitz
        self.learning_rate_ = step
        self.precompute_ = use_gram
        if self.record_every is not None:
            pairs = [coords.to_user(Z) for Z in result.path]
            shaped = [self._shape_output(c, b, y_is_2d, dtype) for c, b in pairs]
            self.coef_path_ = np.array([c for c, _ in shaped])
            self.intercept_path_ = np.array([b for _, b in shaped])
            self.path_epochs_ = np.array(result.path_epochs)

        if not result.converged:
            warnings.warn(
                f"GDLinearRegressor did not converge within max_iter={self.max_iter} "
                f"epochs: the gradient norm is {result.gradient_norm:.3g}, above the "
                f"stopping threshold {self.tol * gradient_scale:.3g}, which is "
                f"tol={self.tol:g} times the gradient norm at zero "
                f"({gradient_scale:.3g}). Increase max_iter or tol"
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
        if _dask.is_dask_collection(X):
            return _dask.predict(self, X)
        X = validate_data(
            self,
            X,
            reset=False,
            accept_sparse=("csr", "csc"),
            dtype=[np.float64, np.float32],
        )
        with np.errstate(over="ignore", invalid="ignore"):
            y_pred = X @ self.coef_.T + self.intercept_
        if not np.all(np.isfinite(y_pred)):
            raise ValueError(
                "Some predictions overflow: X has values up to "
                f"{float(abs(X).max()):.3g} in magnitude, which times coef_ leaves "
                f"the range of {y_pred.dtype.name}. Rescale X as it was rescaled for "
                "fit."
            )
        return y_pred

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.input_tags.sparse = True
        return tags

    def _validate_fit_input(self, X, y, sample_weight, *, reset):
        """Return X, Y (2-D), the sample weights and whether y is 2-D.

        A dask X is checked lazily and stays a dask array, with y and the weights
        in its row chunks. Other inputs go through scikit-learn's validation.
        """
        if _dask.is_dask_collection(X):
            X, Y, sample_weight, y_is_2d = _dask.check_fit_input(X, y, sample_weight)
            _dask.set_n_features(self, X, reset=reset)
            return X, Y, sample_weight, y_is_2d
        X, y = validate_data(
            self,
            X,
            y,
            reset=reset,
            accept_sparse=("csr", "csc"),
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
        if not np.all(np.isfinite(sample_weight)):
            raise ValueError(
                "sample_weight contains NaN or infinity; pass finite weights."
            )
        check_magnitudes(*column_extremes(X), Y, sample_weight, X.dtype)
        return X, Y, sample_weight, y_is_2d

    def _use_gram(self, X):
        if self.precompute == "auto":
            # The Gram matrix is worth it when it is no larger than X as stored.
            stored = X.nnz if sparse.issparse(X) else X.shape[0] * X.shape[1]
            return X.shape[1] ** 2 <= stored
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
            coef = _as_float_array(coef_init, "coef_init")
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
            intercept = _as_float_array(intercept_init, "intercept_init")
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

    def _shape_output(self, coef, intercept, y_is_2d, dtype):
        coef = coef.astype(dtype)
        intercept = intercept.astype(dtype)
        if not y_is_2d:
            coef = coef[0]
            intercept = intercept[0]
        if not self.fit_intercept:
            intercept = np.zeros_like(intercept) if y_is_2d else 0.0
        return coef, intercept


def _column_scales(stats):
    """Return each column's weighted norm after centring, with ``inf`` for columns
    that are constant to rounding, so that their coefficient stays at zero."""
    xx = stats.xx
    squares = np.diag(xx).copy() if xx.ndim == 2 else xx.copy()
    # The statistics are float64 whatever the dtype of X. A column whose spread
    # is below 64 float64 eps of its magnitude is constant, its centred values
    # being the rounding residue of the mean.
    # A real column offset by more than about 1e13 times its spread is also
    # treated as constant; fit warns about it (_warn_unresolved_columns).
    eps = np.finfo(np.float64).eps
    residue = stats.sum_weights * (64 * eps * stats.x_mean) ** 2
    constant = squares <= residue
    scale = np.sqrt(np.where(constant, 1.0, squares))
    scale[constant] = np.inf
    return scale


def _warn_unresolved_columns(X, stats):
    """Warn about columns that vary but were treated as constant.

    :func:`_column_scales` treats a column whose spread is below 64 float64 eps
    of its mean as constant. That is right for a constant column, whose centred
    values are rounding residue, but it drops a real column offset by more than
    about 1e13 times its spread.
    """
    constant = np.flatnonzero(~np.isfinite(_column_scales(stats)))
    if constant.size == 0:
        return
    columns = X[:, constant]
    if sparse.issparse(columns):
        columns = columns.toarray()
    varying = constant[columns.max(axis=0) > columns.min(axis=0)]
    if varying.size:
        warnings.warn(
            f"Columns {varying.tolist()} of X vary by less than about 1e-13 of their "
            "mean, too little to resolve after centring in float64, so they get a "
            "zero coefficient. Subtract each column's mean from X before fitting "
            "to fit them.",
            UserWarning,
        )


def _gradient_norm_at_zero(stats, coords, n_targets, weights):
    """Return the weighted norm of dSSR/dZ at zero coefficients and intercept."""
    zero = np.zeros((coords.n_params, n_targets))
    _, bprime = coords.split(zero)
    gradient = coords.join_gradient(-2.0 * stats.xy, 2.0 * stats.sum_weights * bprime)
    if weights is not None:
        gradient = gradient * weights[:, None]
    return float(np.linalg.norm(gradient))


def _sufficient_stats(X, Y, sample_weight, *, centred, full_gram):
    """Compute the sufficient statistics of dense, sparse or dask X."""
    if sparse.issparse(X):
        compute = sparse_sufficient_stats
    elif _dask.is_dask_collection(X):
        compute = _dask.sufficient_stats
    else:
        compute = SufficientStats.from_dense
    return compute(X, Y, sample_weight, centred=centred, full_gram=full_gram)


def _streaming_objective(X, Y, sample_weight, stats, coords):
    """Return the objective that makes one pass over dense, sparse or dask X."""
    if sparse.issparse(X):
        objective = SparseStreamingObjective
    elif _dask.is_dask_collection(X):
        objective = _dask.DaskStreamingObjective
    else:
        objective = StreamingObjective
    return objective(X, Y, sample_weight, stats, coords)


def _as_float_array(value, name):
    """Convert an init argument to float64, naming it when that fails."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{name} must contain real numbers; got {value!r} ({error})."
        ) from error


def _reject_booleans(estimator):
    """Raise ValueError for a bool where a number is expected.

    bool is a subclass of int in Python, so scikit-learn's Interval constraints
    accept True as 1.
    """
    for name in ("learning_rate", "max_iter", "tol", "record_every"):
        value = getattr(estimator, name)
        if isinstance(value, (bool, np.bool_)):
            raise ValueError(
                f"The '{name}' parameter of GDLinearRegressor must be a number, "
                f"not the bool {value}."
            )


def _forget_fit(estimator):
    """Delete the fitted attributes, so that a failed fit leaves none behind."""
    for name in list(vars(estimator)):
        if name.endswith("_") and not name.startswith("__"):
            delattr(estimator, name)
