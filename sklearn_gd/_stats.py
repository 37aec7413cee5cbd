"""Sufficient statistics of a weighted least-squares problem.

Full-batch gradient descent on the sum of squared residuals touches the data only
through the weighted means of X and y and the centred cross-products
``Xc^T S Xc``, ``Xc^T S yc`` and ``yc^T S yc`` (S the diagonal of sample weights).
:class:`SufficientStats` holds them, is built one row block at a time, and merges
two blocks exactly, so that a pass over chunks, several ``partial_fit`` calls or a
distributed reduction all give the statistics of the whole data set.
"""

from dataclasses import dataclass

import numpy as np

# Row blocks of about this many bytes bound the temporary memory of a pass over X
# and keep each block in cache while it is used twice.
BLOCK_BYTES = 2 * 2**20

# Wide blocks get at least this many rows. With fewer, OpenBLAS 0.3 forms a
# block's X_b^T X_b markedly slower per row (measured with 200 to 1000 features).
MIN_BLOCK_ROWS = 1024

# A block also holds at most this fraction of the rows, so that the temporary
# copies of a pass stay small next to X itself.
BLOCK_FRACTION = 1 / 16


def block_rows(n_features, itemsize=8, n_samples=None):
    """Return the number of rows in one block.

    A block is about ``BLOCK_BYTES`` in size and has at least ``MIN_BLOCK_ROWS``
    rows. When ``n_samples`` is given, it also has at most ``BLOCK_FRACTION`` of
    the rows, but never fewer than 64.
    """
    n_rows = max(MIN_BLOCK_ROWS, BLOCK_BYTES // (itemsize * max(n_features, 1)))
    if n_samples is not None:
        n_rows = min(n_rows, int(np.ceil(n_samples * BLOCK_FRACTION)))
    return max(64, n_rows)


@dataclass
class SufficientStats:
    """Weighted means and centred cross-products of (X, Y).

    Attributes
    ----------
    sum_weights : float
        Sum of the sample weights.
    x_mean : ndarray of shape (n_features,)
        Weighted mean of each column of X; zeros when ``centred`` is False.
    y_mean : ndarray of shape (n_targets,)
        Weighted mean of each target; zeros when ``centred`` is False.
    xx : ndarray of shape (n_features, n_features) or (n_features,)
        ``Xc^T S Xc``, or only its diagonal when ``full_gram`` is False.
    xy : ndarray of shape (n_features, n_targets)
        ``Xc^T S yc``.
    yy : ndarray of shape (n_targets,)
        ``sum_i s_i yc_i**2`` for each target.
    centred : bool
        Whether X and Y are centred on their weighted means (fit_intercept).
    """

    sum_weights: float
    x_mean: np.ndarray
    y_mean: np.ndarray
    xx: np.ndarray
    xy: np.ndarray
    yy: np.ndarray
    centred: bool

    @property
    def full_gram(self):
        return self.xx.ndim == 2

    @classmethod
    def from_block(cls, X, Y, sample_weight, *, centred, full_gram=True, out=None):
        """Compute the statistics of one dense block of rows.

        Products are formed in the dtype of ``X`` (float32 stays float32, for speed)
        and returned in float64, so that merging many blocks loses no precision.
        ``out``, an array of X's dtype with at least X's shape, receives the
        centred and weighted copy of X instead of a new array.
        """
        work = None if out is None else out[: X.shape[0], : X.shape[1]]
        sw = sample_weight
        sum_weights = float(sw.sum(dtype=np.float64))
        n_features = X.shape[1]
        n_targets = Y.shape[1]
        if centred and sum_weights > 0:
            x_mean = (sw @ X).astype(np.float64) / sum_weights
            y_mean = (sw @ Y).astype(np.float64) / sum_weights
            Xc = np.subtract(X, x_mean.astype(X.dtype), out=work)
            Yc = Y - y_mean.astype(Y.dtype)
        else:
            x_mean = np.zeros(n_features)
            y_mean = np.zeros(n_targets)
            Xc, Yc = X, Y

        # Rows scaled by sqrt(s_i) turn Xc^T S Xc into the symmetric product
        # Xw^T Xw, which BLAS computes (syrk) in half the work of a general one.
        if np.any(sw != 1):
            root = np.sqrt(sw).astype(X.dtype, copy=False)[:, None]
            Xc = np.multiply(Xc, root, out=work if Xc is X else Xc)
            Yc = np.multiply(Yc, root, out=None if Yc is Y else Yc)
        if full_gram:
            xx = (Xc.T @ Xc).astype(np.float64, copy=False)
        else:
            xx = np.einsum("ij,ij->j", Xc, Xc, dtype=np.float64)
        xy = (Xc.T @ Yc).astype(np.float64, copy=False)
        yy = np.einsum("ij,ij->j", Yc, Yc, dtype=np.float64)
        return cls(sum_weights, x_mean, y_mean, xx, xy, yy, centred)

    @classmethod
    def from_dense(cls, X, Y, sample_weight, *, centred, full_gram=True):
        """Compute the statistics of dense X in row blocks, never copying all of X.

        The blocks are merged as by :meth:`merge`, with the sums added in place and
        the rank-one mean corrections of all merges added at the end as one matrix
        product, so that a merge costs one addition of the block's products.
        """
        n_rows = block_rows(X.shape[1], X.dtype.itemsize, X.shape[0])
        # Every block is centred into the same buffer. A new array per block
        # costs a page fault per 4 KiB wherever freed memory goes back to the
        # system at once, as on dask.distributed workers (MALLOC_TRIM_THRESHOLD_).
        work = np.empty((min(n_rows, X.shape[0]), X.shape[1]), dtype=X.dtype)
        stats = None
        factors, dxs, dys = [], [], []
        for start in range(0, X.shape[0], n_rows):
            rows = slice(start, start + n_rows)
            block = cls.from_block(
                X[rows],
                Y[rows],
                sample_weight[rows],
                centred=centred,
                full_gram=full_gram,
                out=work,
            )
            if stats is None or stats.sum_weights == 0:
                stats = block
            elif block.sum_weights > 0:
                sum_weights = stats.sum_weights + block.sum_weights
                stats.xx += block.xx
                stats.xy += block.xy
                stats.yy += block.yy
                if centred:
                    share = block.sum_weights / sum_weights
                    dx = block.x_mean - stats.x_mean
                    dy = block.y_mean - stats.y_mean
                    factors.append(stats.sum_weights * share)
                    dxs.append(dx)
                    dys.append(dy)
                    stats.x_mean = stats.x_mean + share * dx
                    stats.y_mean = stats.y_mean + share * dy
                stats.sum_weights = sum_weights
            # Free this block's products before the next block forms its own.
            del block

        if factors:
            factors = np.array(factors)
            dxs = np.array(dxs)
            dys = np.array(dys)
            scaled = dxs * factors[:, None]
            if full_gram:
                stats.xx += scaled.T @ dxs
            else:
                stats.xx += np.einsum("ij,ij->j", scaled, dxs)
            stats.xy += scaled.T @ dys
            stats.yy += factors @ (dys * dys)
        return stats

    def merge(self, other):
        """Return the statistics of the union of the rows behind ``self`` and
        ``other``.

        Centred products are combined with the pairwise update of Chan, Golub and
        LeVeque (1979), which stays accurate when the means are large compared
        with the spread, for example on data offset by 1e4.
        """
        sum_weights = self.sum_weights + other.sum_weights
        if other.sum_weights == 0:
            return self
        if self.sum_weights == 0:
            return other
        xx = self.xx + other.xx
        xy = self.xy + other.xy
        yy = self.yy + other.yy
        x_mean, y_mean = self.x_mean, self.y_mean
        if self.centred:
            share = other.sum_weights / sum_weights
            factor = self.sum_weights * share
            dx = other.x_mean - self.x_mean
            dy = other.y_mean - self.y_mean
            x_mean = self.x_mean + share * dx
            y_mean = self.y_mean + share * dy
            if self.full_gram:
                xx += factor * np.outer(dx, dx)
            else:
                xx += factor * dx * dx
            xy += factor * np.outer(dx, dy)
            yy += factor * dy * dy
        return SufficientStats(sum_weights, x_mean, y_mean, xx, xy, yy, self.centred)
