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


def _check_matrix(X, name="X"):
    """Return X as a 2-D floating dask array with a single column chunk."""
    import dask.array as da

    if not isinstance(X, da.Array):
        raise TypeError(
            f"{name} is a {type(X).__name__}, but the only dask collection "
            "GDLinearRegressor accepts is a dask array. Convert a dask DataFrame "
            "with .to_dask_array(lengths=True)."
        )
    if X.ndim != 2:
        raise ValueError(
            f"Expected a 2-D dask array for {name}, got one with ndim={X.ndim} and "
            f"shape {X.shape}. Reshape a single feature with X.reshape(-1, 1)."
        )
    if any(np.isnan(size) for size in X.shape):
        raise ValueError(
            f"{name} has unknown chunk sizes (shape {X.shape}). Call "
            f"{name}.compute_chunk_sizes() before fitting."
        )
    if not isinstance(X._meta, np.ndarray):
        raise TypeError(
            f"{name} has chunks of type {type(X._meta).__name__}; only dask arrays "
            "of numpy chunks are supported."
        )
    n_samples, n_features = X.shape
    if n_samples < 1 or n_features < 1:
        raise ValueError(
            f"Found array with shape {X.shape}, but at least 1 sample and 1 feature "
            "are required."
        )
    X = X.astype(_float_dtype(X.dtype, name))
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
    sample_weight : dask array of shape (n_samples,)
        The weights in X's dtype and row chunks; ones when None.
    y_is_2d : bool
        Whether y was 2-D.
    """
    import dask.array as da

    X = _check_matrix(X)
    n_samples = X.shape[0]
    row_chunks = X.chunks[0]
    Y = _check_vector(y, "y", n_samples, row_chunks, X.dtype, ndims=(1, 2))
    y_is_2d = Y.ndim == 2
    if not y_is_2d:
        Y = Y[:, None]

    if sample_weight is None or np.ndim(sample_weight) == 0:
        value = 1.0 if sample_weight is None else float(sample_weight)
        if not (np.isfinite(value) and value >= 0):
            raise ValueError(
                f"sample_weight={value} is invalid; pass a finite, non-negative weight."
            )
        sample_weight = da.full(n_samples, value, chunks=row_chunks, dtype=X.dtype)
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


def _map_chunks(func, X, Y, sample_weight, *args):
    """Return one Delayed per row chunk for ``func(X, Y, w, first_row, *args)``.

    ``Y`` may be None. ``func`` returns any Python object: the results are only
    combined by :func:`_tree_reduce`, never concatenated as arrays.
    """
    import dask.array as da

    starts = np.cumsum((0,) + X.chunks[0][:-1])
    first_rows = da.from_array(starts, chunks=1)
    arrays = [X, "ij"]
    arrays += [Y, "ik"] if Y is not None else [None, None]
    arrays += [sample_weight, "i", first_rows, "i"]
    for arg in args:
        arrays += [arg, None]
    blocks = da.blockwise(
        func,
        "i",
        *arrays,
        dtype=object,
        meta=np.empty((0,), dtype=object),
        adjust_chunks={"i": 1},
        concatenate=True,
        # X, Y and the weights share row chunks; first_rows has one entry per chunk.
        align_arrays=False,
    )
    return list(blocks.to_delayed().ravel())


def _tree_reduce(parts, combine):
    """Return a Delayed that combines ``parts`` with ``combine`` in a tree."""
    import dask

    while len(parts) > 1:
        parts = [
            dask.delayed(combine, pure=True)(parts[i : i + _SPLIT_EVERY])
            for i in range(0, len(parts), _SPLIT_EVERY)
        ]
    return parts[0]


def _compute_reduction(func, X, Y, sample_weight, *args, combine):
    import dask

    root = _tree_reduce(_map_chunks(func, X, Y, sample_weight, *args), combine)
    (result,) = dask.compute(root)
    return result


def _check_chunk(X, Y, sample_weight, first_row):
    """Raise ValueError if a chunk contains NaN, infinity or a negative weight."""
    rows = f"rows {first_row} to {first_row + X.shape[0] - 1}"
    if not np.isfinite(X).all():
        raise ValueError(f"Input X contains NaN or infinity in {rows}.")
    if not np.isfinite(Y).all():
        raise ValueError(f"Input y contains NaN or infinity in {rows}.")
    if not np.isfinite(sample_weight).all():
        raise ValueError(f"sample_weight contains NaN or infinity in {rows}.")
    if (sample_weight < 0).any():
        raise ValueError(
            f"Negative values in sample_weight in {rows}; weights must be >= 0."
        )


def _chunk_stats(X, Y, sample_weight, first_row, centred, full_gram):
    _check_chunk(X, Y, sample_weight, int(first_row[0]))
    return SufficientStats.from_dense(
        X, Y, sample_weight, centred=centred, full_gram=full_gram
    )


def _merge_stats(parts):
    return functools.reduce(SufficientStats.merge, parts)


def sufficient_stats(X, Y, sample_weight, *, centred, full_gram=True):
    """Compute the statistics of dask arrays in one pass over their chunks."""
    return _compute_reduction(
        _chunk_stats,
        X,
        Y,
        sample_weight,
        centred,
        full_gram,
        combine=_merge_stats,
    )


def _sum_parts(parts):
    return tuple(sum(values) for values in zip(*parts))


def _chunk_products(X, Y, sample_weight, first_row, W, offset):
    """Return the SSR and ``X^T S r``, ``sum(S r)`` of one chunk.

    ``W`` and ``offset`` hold the coefficients of one or two points side by side,
    n_targets columns each: the SSR is that of the first point, the products are
    those of the last.
    """
    n_targets = Y.shape[1]
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
    weighted = r * sample_weight[:, None]
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
        self.X = X
        self.Y = Y
        self.sample_weight = sample_weight
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
        loss, xtr, weighted_sum = _compute_reduction(
            _chunk_products,
            self.X,
            self.Y,
            self.sample_weight,
            W,
            offset,
            combine=_sum_parts,
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
        xtr, weighted_sum = _compute_reduction(
            _chunk_hessian_products,
            self.X,
            None,
            self.sample_weight,
            W,
            shift,
            combine=_sum_parts,
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
    X = _check_matrix(X)
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
