"""Fitting and predicting on dask arrays, chunk by chunk.

The data stay in their chunks, on the threaded scheduler or on the workers of a
``dask.distributed`` cluster, and only small arrays reach the client:

- the statistics pass computes :meth:`SufficientStats.from_dense` on each row chunk
  and merges the results with :meth:`SufficientStats.merge` in a tree, in one
  ``dask.compute``. With the Gram matrix, the epochs then run on the client
  without touching X again;
- without it, :class:`DaskStreamingObjective` computes the SSR and ``X^T S r`` on
  each chunk and sums them, one ``dask.compute`` per epoch, so X is never
  loaded whole.

X is rechunked to a single column chunk, and y and the sample weights to X's row
chunks. Values are checked for NaN, infinity and negative weights in the
statistics pass, on each chunk, so nothing is loaded twice.

dask is an optional dependency: a dask collection can only exist once dask is
imported, so :func:`is_dask_collection` looks it up in ``sys.modules`` and this
module imports ``dask.array`` only when it is given a dask collection.
"""

import functools
import sys

import numpy as np

from ._objective import largest_eigenvalue
from ._stats import SufficientStats

# Partial results merged by one task of a tree reduction.
_SPLIT_EVERY = 8


def is_dask_collection(obj):
    """Return whether ``obj`` is a dask collection, without importing dask."""
    dask = sys.modules.get("dask")
    return dask is not None and dask.is_dask_collection(obj)


def _check_matrix(X, *, known_rows=True):
    """Return X as a 2-D floating dask array with a single column chunk.

    With ``known_rows=False``, the row chunks may have unknown sizes, as after
    boolean indexing; predicting needs no more.
    """
    import dask.array as da

    if not isinstance(X, da.Array):
        raise TypeError(
            f"X is a {type(X).__name__}, but the only dask collection "
            "GDLinearRegressor accepts is a dask array. Convert a dask DataFrame "
            "with .to_dask_array(lengths=True)."
        )
    if X.ndim != 2:
        raise ValueError(
            f"Expected a 2-D dask array for X, got one with ndim={X.ndim} and "
            f"shape {X.shape}. Reshape a single feature with X.reshape(-1, 1)."
        )
    n_samples, n_features = X.shape
    if np.isnan(n_features) or (known_rows and np.isnan(n_samples)):
        raise ValueError(
            f"X has unknown chunk sizes (shape {X.shape}). Call "
            "X.compute_chunk_sizes() before fitting."
        )
    if not isinstance(X._meta, np.ndarray):
        raise TypeError(
            f"X has chunks of type {type(X._meta).__name__}; only dask arrays "
            "of numpy chunks are supported."
        )
    if n_samples < 1 or n_features < 1:
        raise ValueError(
            f"Found array with shape {X.shape}, but at least 1 sample and 1 feature "
            "are required."
        )
    X = X.astype(_float_dtype(X.dtype, "X"))
    if X.numblocks[1] > 1:
        X = X.rechunk({1: -1})
    return X


def _float_dtype(dtype, name):
    """Return the floating dtype that data of ``dtype`` are fitted in."""
    if dtype in (np.float32, np.float64):
        return dtype
    if dtype.kind in "biuf":
        return np.dtype(np.float64)
    raise ValueError(
        f"{name} has dtype {dtype}, but a numeric (boolean, integer or real "
        "floating) dtype is required."
    )


def _check_vector(values, name, n_samples, row_chunks, dtype, ndims):
    """Return ``values`` as a dask array of the given dtype with X's row chunks."""
    import dask.array as da

    if not is_dask_collection(values):
        values = np.asarray(values)
    elif not isinstance(values, da.Array):
        raise TypeError(
            f"{name} is a {type(values).__name__}; pass a dask array or a numpy array."
        )
    if values.ndim not in ndims:
        raise ValueError(
            f"{name} has shape {values.shape}; expected "
            + " or ".join(f"{k}-D" for k in ndims)
            + " with one value per sample."
        )
    if values.shape[0] != n_samples:
        raise ValueError(
            f"X has {n_samples} samples, but {name} has {values.shape[0]}; pass one "
            "value per sample."
        )
    _float_dtype(values.dtype, name)
    values = values.astype(dtype)
    chunks = (row_chunks,) + tuple((size,) for size in values.shape[1:])
    if isinstance(values, np.ndarray):
        return da.from_array(values, chunks=chunks)
    return values.rechunk(chunks)


def check_fit_input(X, y, sample_weight):
    """Check the inputs of ``fit`` on a dask array X, without computing them.

    Returns
    -------
    X : dask array of shape (n_samples, n_features)
        Floating X with one column chunk.
    Y : dask array of shape (n_samples, n_targets)
        y in X's dtype and row chunks.
    sample_weight : dask array of shape (n_samples,) or float
        The weights in X's dtype and row chunks, or the weight of every sample
        (1.0 when None).
    y_is_2d : bool
        Whether y was 2-D.
    """
    X = _check_matrix(X)
    n_samples = X.shape[0]
    row_chunks = X.chunks[0]
    Y = _check_vector(y, "y", n_samples, row_chunks, X.dtype, ndims=(1, 2))
    y_is_2d = Y.ndim == 2
    if not y_is_2d:
        Y = Y[:, None]

    if sample_weight is None or np.ndim(sample_weight) == 0:
        sample_weight = 1.0 if sample_weight is None else float(sample_weight)
        if not (np.isfinite(sample_weight) and sample_weight >= 0):
            raise ValueError(
                f"sample_weight={sample_weight} is invalid; pass a finite, "
                "non-negative weight."
            )
    else:
        sample_weight = _check_vector(
            sample_weight, "sample_weight", n_samples, row_chunks, X.dtype, ndims=(1,)
        )
    return X, Y, sample_weight, y_is_2d


def set_n_features(estimator, X, *, reset):
    """Set ``n_features_in_`` from a dask X, or check X against it.

    A dask array has no feature names, so ``feature_names_in_`` is removed on reset,
    as :func:`sklearn.utils.validation.validate_data` does for a numpy array.
    """
    n_features = X.shape[1]
    if reset:
        estimator.n_features_in_ = n_features
        if hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
    elif n_features != estimator.n_features_in_:
        raise ValueError(
            f"X has {n_features} features, but {type(estimator).__name__} is "
            f"expecting {estimator.n_features_in_} features as input."
        )


class _Chunks:
    """The row chunks of X, Y and the sample weights, as lists of Delayed.

    ``sample_weight`` is a dask array or a float, the weight of every sample.
    Built once per fit, so that each pass reuses the same chunk keys.
    """

    def __init__(self, X, Y, sample_weight):
        self.X = list(X.to_delayed().ravel())
        n_chunks = len(self.X)
        self.Y = list(Y.to_delayed().ravel()) if Y is not None else [None] * n_chunks
        if is_dask_collection(sample_weight):
            self.weights = list(sample_weight.to_delayed().ravel())
        else:
            self.weights = [sample_weight] * n_chunks
        self.first_rows = np.cumsum((0,) + X.chunks[0][:-1]).tolist()

    def reduce(self, func, *args, combine):
        """Compute ``func(X, Y, w, first_row, *args)`` on every chunk and return
        the results combined with ``combine``, in one ``dask.compute``."""
        import dask

        # Tasks get new keys on every call, so that a pass never reuses a result
        # of an earlier pass still held by the scheduler.
        task = dask.delayed(func)
        parts = [
            task(*chunk, *args)
            for chunk in zip(self.X, self.Y, self.weights, self.first_rows)
        ]
        (result,) = dask.compute(_tree_reduce(parts, combine))
        return result


def _tree_reduce(parts, combine):
    """Return a Delayed that combines ``parts`` with ``combine`` in a tree."""
    import dask

    while len(parts) > 1:
        parts = [
            dask.delayed(combine)(parts[i : i + _SPLIT_EVERY])
            for i in range(0, len(parts), _SPLIT_EVERY)
        ]
    return parts[0]


def _chunk_weights(sample_weight, X):
    """Return the weights of a chunk as an array, also when given as one float."""
    if np.ndim(sample_weight) == 0:
        return np.full(X.shape[0], sample_weight, dtype=X.dtype)
    return sample_weight


def _rows(X, first_row):
    return f"rows {first_row} to {first_row + X.shape[0] - 1}"


def _all_finite(values):
    """Return whether every entry of ``values`` is finite.

    A sum with a NaN or infinite term is not finite, so the sum settles most
    chunks in one pass without a temporary. Only a sum that is not finite, for
    example one that overflows, leads to the scan entry by entry.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(values.sum()):
            return True
    return bool(np.isfinite(values).all())


def _check_chunk(X, Y, sample_weight, first_row):
    """Raise ValueError if a chunk contains NaN, infinity or a negative weight."""
    rows = _rows(X, first_row)
    if not _all_finite(X):
        raise ValueError(f"Input X contains NaN or infinity in {rows}.")
    if not _all_finite(Y):
        raise ValueError(f"Input y contains NaN or infinity in {rows}.")
    if not np.isfinite(sample_weight).all():
        raise ValueError(f"sample_weight contains NaN or infinity in {rows}.")
    if (sample_weight < 0).any():
        raise ValueError(
            f"Negative values in sample_weight in {rows}; weights must be >= 0."
        )


def _chunk_stats(X, Y, sample_weight, first_row, centred, full_gram):
    sample_weight = _chunk_weights(sample_weight, X)
    _check_chunk(X, Y, sample_weight, first_row)
    with np.errstate(over="ignore", invalid="ignore"):
        stats = SufficientStats.from_dense(
            X, Y, sample_weight, centred=centred, full_gram=full_gram
        )
    values = (stats.x_mean, stats.y_mean, stats.xx, stats.xy, stats.yy)
    if not all(np.isfinite(value).all() for value in values):
        raise ValueError(
            f"The sums of squares of {_rows(X, first_row)} overflow {X.dtype}; "
            "scale X and y down, or pass float64 data."
        )
    return stats


def _merge_stats(parts):
    return functools.reduce(SufficientStats.merge, parts)


def sufficient_stats(X, Y, sample_weight, *, centred, full_gram=True):
    """Compute the statistics of dask arrays in one pass over their chunks."""
    chunks = _Chunks(X, Y, sample_weight)
    return chunks.reduce(_chunk_stats, centred, full_gram, combine=_merge_stats)


def _sum_parts(parts):
    return tuple(sum(values) for values in zip(*parts))


def _chunk_products(X, Y, sample_weight, first_row, W, offset):
    """Return the SSR and ``X^T S r``, ``sum(S r)`` of one chunk.

    ``W`` and ``offset`` hold the coefficients of one or two points side by side,
    n_targets columns each: the SSR is that of the first point, the products are
    those of the last.
    """
    n_targets = Y.shape[1]
    sample_weight = _chunk_weights(sample_weight, X)
    # r = Xc W + b' - yc = X W - y - offset, with the centring of X and y folded
    # into ``offset``.
    R = X @ W.astype(X.dtype)
    for start in range(0, R.shape[1], n_targets):
        R[:, start : start + n_targets] -= Y
    R -= offset.astype(X.dtype)
    r_loss = R[:, :n_targets]
    loss = float(np.einsum("ij,ij,i->", r_loss, r_loss, sample_weight, dtype=float))
    weighted = R[:, -n_targets:] * sample_weight[:, None]
    xtr = (X.T @ weighted).astype(np.float64)
    return loss, xtr, weighted.sum(axis=0, dtype=np.float64)


def _chunk_hessian_products(X, Y, sample_weight, first_row, W, shift):
    """Return ``X^T S r`` and ``sum(S r)`` for ``r = X W - shift`` on one chunk."""
    r = X @ W.astype(X.dtype) - shift.astype(X.dtype)
    weighted = r * _chunk_weights(sample_weight, X)[:, None]
    xtr = (X.T @ weighted).astype(np.float64)
    return xtr, weighted.sum(axis=0, dtype=np.float64)


class DaskStreamingObjective:
    """SSR and gradient from one pass over the chunks of a dask X per epoch.

    It has the interface of :class:`~sklearn_gd._objective.StreamingObjective`.
    Instead of storing the residuals of the previous iterate, each pass evaluates
    the residuals at the current iterate and at the extrapolated point together,
    in one product with both sets of coefficients, so nothing of size n_samples
    outlives an epoch.
    """

    def __init__(self, X, Y, sample_weight, stats, coords):
        self.chunks = _Chunks(X, Y, sample_weight)
        self.stats = stats
        self.coords = coords
        self.n_passes = 0
        self._previous = None

    def _offset(self, Z):
        """Return W and the offset with ``r = X W - y - offset`` at ``Z``."""
        W, bprime = self.coords.split(Z)
        return W, self.stats.x_mean @ W - bprime - self.stats.y_mean

    def _pass(self, Z, Z_gradient):
        """Return the SSR at ``Z`` and the gradient at ``Z_gradient``."""
        W, offset = self._offset(Z)
        if Z_gradient is not Z:
            W_gradient, offset_gradient = self._offset(Z_gradient)
            W = np.hstack([W, W_gradient])
            offset = np.concatenate([offset, offset_gradient])
        loss, xtr, weighted_sum = self.chunks.reduce(
            _chunk_products, W, offset, combine=_sum_parts
        )
        self.n_passes += 1
        # X^T S r = Xc^T S r + x_mean * sum(S r), and sum(S r) = S * b'.
        grad_w = 2.0 * (xtr - np.outer(self.stats.x_mean, weighted_sum))
        gradient = self.coords.join_gradient(grad_w, 2.0 * weighted_sum)
        return loss, gradient

    def start(self, Z):
        """Return the SSR and its gradient at ``Z``, and remember ``Z``."""
        self._previous = Z
        return self._pass(Z, Z)

    def step(self, Z, beta):
        """Return the SSR at ``Z`` and the gradient at ``Z + beta * (Z - Z_prev)``,
        where ``Z_prev`` is the previous iterate given to ``start`` or ``step``."""
        Z_gradient = Z + beta * (Z - self._previous) if beta else Z
        self._previous = Z
        return self._pass(Z, Z_gradient)

    def hessian_matvec(self, v):
        """Return H v, with H half the Hessian of the SSR in Z (one pass)."""
        W, bprime = self.coords.split(v.reshape(-1, 1), homogeneous=True)
        shift = self.stats.x_mean @ W - bprime
        xtr, weighted_sum = self.chunks.reduce(
            _chunk_hessian_products, W, shift, combine=_sum_parts
        )
        self.n_passes += 1
        grad_w = xtr - np.outer(self.stats.x_mean, weighted_sum)
        return self.coords.join_gradient(grad_w, weighted_sum).ravel()

    def lipschitz(self):
        """Return L, twice the largest eigenvalue of H, by Lanczos iteration
        (one pass over X per iteration)."""
        n = self.coords.n_params
        return 2.0 * largest_eigenvalue(self.hessian_matvec, n)


def _predict_chunk(X, coef, intercept):
    return X @ coef.T + intercept


def predict(estimator, X):
    """Return the predictions for a dask X as a lazy dask array."""
    X = _check_matrix(X, known_rows=False)
    set_n_features(estimator, X, reset=False)
    coef = np.asarray(estimator.coef_)
    intercept = np.asarray(estimator.intercept_)
    dtype = np.result_type(X.dtype, coef.dtype)
    if coef.ndim == 1:
        return X.map_blocks(_predict_chunk, coef, intercept, drop_axis=1, dtype=dtype)
    return X.map_blocks(
        _predict_chunk,
        coef,
        intercept,
        chunks=(X.chunks[0], (coef.shape[0],)),
        dtype=dtype,
    )
