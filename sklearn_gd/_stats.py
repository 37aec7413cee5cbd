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
BLOCK_BYTES = 4 * 2**20


def block_rows(n_features, itemsize=8):
    """Return the number of rows in one block of about ``BLOCK_BYTES``."""
    return max(64, BLOCK_BYTES // (itemsize * max(n_features, 1)))


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
    def from_block(cls, X, Y, sample_weight, *, centred, full_gram=True):
        """Compute the statistics of one dense block of rows.

        Products are formed in the dtype of ``X`` (float32 stays float32, for speed)
        and returned in float64, so that merging many blocks loses no precision.
        """
        sw = sample_weight
        sum_weights = float(sw.sum(dtype=np.float64))
        n_features = X.shape[1]
        n_targets = Y.shape[1]
        if centred and sum_weights > 0:
            x_mean = (sw @ X).astype(np.float64) / sum_weights
            y_mean = (sw @ Y).astype(np.float64) / sum_weights
            Xc = X - x_mean.astype(X.dtype)
            Yc = Y - y_mean.astype(Y.dtype)
        else:
            x_mean = np.zeros(n_features)
            y_mean = np.zeros(n_targets)
            Xc, Yc = X, Y

        SXc = Xc * sw[:, None].astype(Xc.dtype, copy=False)
        if full_gram:
            xx = (Xc.T @ SXc).astype(np.float64)
        else:
            xx = np.einsum("ij,ij->j", Xc, SXc, dtype=np.float64)
        xy = (SXc.T @ Yc).astype(np.float64)
        yy = np.einsum("ij,ij,i->j", Yc, Yc, sw, dtype=np.float64)
        return cls(sum_weights, x_mean, y_mean, xx, xy, yy, centred)

    @classmethod
    def from_dense(cls, X, Y, sample_weight, *, centred, full_gram=True):
        """Compute the statistics of dense X in row blocks, never copying all of X."""
        n_rows = block_rows(X.shape[1], X.dtype.itemsize)
        stats = None
        for start in range(0, X.shape[0], n_rows):
            rows = slice(start, start + n_rows)
            block = cls.from_block(
                X[rows],
                Y[rows],
                sample_weight[rows],
                centred=centred,
                full_gram=full_gram,
            )
            stats = block if stats is None else stats.merge(block)
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
