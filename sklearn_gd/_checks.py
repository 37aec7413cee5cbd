"""Checks that the data fit the floating-point range of the SSR arithmetic.

The SSR and the Gram matrix are sums of squares, so values whose squares overflow
or underflow give infinite or zero statistics long before the values themselves
are out of range. These checks reject such data with a message that names the
array to rescale, instead of returning zero or infinite coefficients.
"""

import numpy as np
from scipy import sparse

# Keep sums of squares a factor 1e4 inside the range of the dtype.
_MARGIN = 4.0


def column_extremes(X):
    """Return the minimum and maximum of each column of dense or sparse X."""
    if sparse.issparse(X):
        col_min = X.min(axis=0).toarray().ravel()
        col_max = X.max(axis=0).toarray().ravel()
    else:
        col_min = _reduce_columns(X, np.min)
        col_max = _reduce_columns(X, np.max)
    return col_min.astype(np.float64), col_max.astype(np.float64)


def _reduce_columns(X, reduce):
    """Return ``reduce(X, axis=0)``, fast for C-ordered X with few columns.

    numpy reduces a C-ordered array along axis 0 with an inner loop as short as a
    row. Viewing k consecutive rows as one row of ``k * n_features`` values gives
    long inner loops (about 4 times faster at 20 columns), and the k partial
    results are reduced at the end.
    """
    n_samples, n_features = X.shape
    rows_per_fold = max(1, 4096 // max(n_features, 1))
    n_folded = (n_samples // rows_per_fold) * rows_per_fold
    if not X.flags.c_contiguous or rows_per_fold == 1 or n_folded == 0:
        return reduce(X, axis=0)
    folded = X[:n_folded].reshape(n_samples // rows_per_fold, -1)
    partial = reduce(folded, axis=0).reshape(rows_per_fold, n_features)
    if n_folded < n_samples:
        partial = np.vstack([partial, X[n_folded:]])
    return reduce(partial, axis=0)


def check_magnitudes(col_min, col_max, Y, sample_weight, dtype):
    """Raise ValueError when squares of X, y or the weights leave the range of
    ``dtype``."""
    info = np.finfo(dtype)
    upper = np.log10(info.max) - _MARGIN
    lower = np.log10(info.tiny) + _MARGIN
    dtype_name = np.dtype(dtype).name
    float32_hint = " or pass float64 data" if dtype == np.float32 else ""

    total_weight = float(np.sum(sample_weight, dtype=np.float64))
    largest_weight = float(np.max(sample_weight))
    if total_weight < 10.0 ** (np.log10(np.finfo(np.float64).tiny) + _MARGIN):
        raise ValueError(
            f"sample_weight sums to {total_weight:.3g}, too small for float64 "
            "arithmetic. Rescale the weights: multiplying all of them by one "
            "constant does not change the fit."
        )
    log_weight = np.log10(largest_weight * len(sample_weight))

    x_abs = np.maximum(np.abs(col_min), np.abs(col_max))
    y_abs = np.max(np.abs(Y), axis=0).astype(np.float64) if Y.size else np.zeros(1)
    # Squares of X are summed in the dtype of X (the Gram blocks), squares of y in
    # float64, and products of X and y in the dtype of X.
    float64_upper = np.log10(np.finfo(np.float64).max) - _MARGIN
    for name, magnitudes, limit in (("X", x_abs, upper), ("y", y_abs, float64_upper)):
        largest = float(np.max(magnitudes)) if magnitudes.size else 0.0
        if largest > 0 and 2 * np.log10(largest) + log_weight > limit:
            raise ValueError(
                f"{name} has values up to {largest:.3g} in magnitude, so the "
                f"weighted sums of their squares overflow {dtype_name}. Rescale "
                f"{name} (divide it by a constant, or scale its columns){float32_hint}"
                ", and fit again."
            )
        nonzero = magnitudes[magnitudes > 0]
        smallest = float(nonzero.min()) if nonzero.size else 0.0
        if smallest > 0 and 2 * np.log10(smallest) + np.log10(largest_weight) < lower:
            raise ValueError(
                f"{name} has a column whose values are at most {smallest:.3g} in "
                f"magnitude, so their squares underflow {dtype_name}. Rescale "
                f"{name} (multiply it by a constant, or scale its columns), and fit "
                "again."
            )
    largest_x = float(np.max(x_abs)) if x_abs.size else 0.0
    largest_y = float(np.max(y_abs))
    if largest_x > 0 and largest_y > 0:
        if np.log10(largest_x) + np.log10(largest_y) + log_weight > upper:
            raise ValueError(
                f"X and y have values up to {largest_x:.3g} and {largest_y:.3g} in "
                f"magnitude, so the weighted sums of their products overflow "
                f"{dtype_name}. Rescale X or y (divide it by a constant)"
                f"{float32_hint}, and fit again."
            )


def gradient_weights(stats, coords):
    """Return the stopping-test weights ``m_j`` for raw (w, b) coordinates.

    ``m_j = 1 / ||column j of [X, 1]||`` (weighted, not centred), so that a
    feature measured in large units does not drown the others in the gradient
    norm. Standardized coordinates already have unit columns: None.
    """
    if coords.standardized:
        return None
    xx = stats.xx
    squares = np.diag(xx).copy() if xx.ndim == 2 else xx.copy()
    if coords.fit_intercept:
        squares = squares + stats.sum_weights * stats.x_mean**2
        squares = np.append(squares, stats.sum_weights)
    weights = np.ones_like(squares)
    positive = squares > 0
    weights[positive] = 1.0 / np.sqrt(squares[positive])
    return weights
