"""Sufficient statistics and the streaming objective for scipy.sparse X.

Centring a sparse X would fill in every zero, so X is never centred and never
densified. The weighted column means ``m`` enter through the algebra instead::

    Xc^T S Xc = X^T S X - s m m^T        Xc^T S yc = X^T S yc

(``s`` the sum of the weights). Both are computed on row blocks of CSR and the
blocks are merged with :meth:`SufficientStats.merge`, whose pairwise update keeps
the cancellation in the first formula to the spread within one block. The
streaming objective applies the centring the same way, so it runs unchanged on
CSR row blocks.
"""

import numpy as np
from scipy import sparse

from ._objective import StreamingObjective
from ._stats import BLOCK_BYTES, SufficientStats

# Bytes of one stored entry of a CSR matrix: a float64 value and an int32 index.
_ENTRY_BYTES = 12


def sparse_block_rows(X, *, full_gram):
    """Return the number of rows in one block of the CSR matrix ``X``.

    A block holds about ``BLOCK_BYTES`` of stored entries. When the full Gram
    matrix is computed, each block also costs O(n_features**2) to densify and
    merge its products, so a block then holds at least ``n_features**2`` entries.
    """
    n_samples, n_features = X.shape
    entries = BLOCK_BYTES // _ENTRY_BYTES
    if full_gram:
        entries = max(entries, n_features**2)
    entries_per_row = max(X.nnz / max(n_samples, 1), 1.0)
    return max(64, int(entries / entries_per_row))


def _canonical_float64(X_block):
    """Return the block in float64 with duplicate entries summed.

    The squares of the entries are summed per column, which needs each stored
    entry to be a whole matrix element. Converting makes a copy, so the caller's
    matrix is never changed.
    """
    if X_block.dtype == np.float64 and X_block.has_canonical_format:
        return X_block
    X_block = X_block.astype(np.float64)
    X_block.sum_duplicates()
    return X_block


def block_stats(X_block, Y, sample_weight, *, centred, full_gram=True):
    """Compute the statistics of one CSR block of rows without centring it.

    Products are formed in float64 whatever the dtype of ``X_block``, because
    subtracting ``s m m^T`` from the raw products cancels digits.
    """
    X_block = _canonical_float64(X_block)
    sw = np.asarray(sample_weight, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    n_features = X_block.shape[1]
    n_targets = Y.shape[1]
    sum_weights = float(sw.sum())

    # S X: each stored entry scaled by its row's weight.
    row_weights = np.repeat(sw, np.diff(X_block.indptr))
    SX = sparse.csr_matrix(
        (X_block.data * row_weights, X_block.indices, X_block.indptr),
        shape=X_block.shape,
    )
    if centred and sum_weights > 0:
        x_sum = np.bincount(X_block.indices, SX.data, minlength=n_features)
        x_mean = x_sum / sum_weights
        y_mean = (sw @ Y) / sum_weights
    else:
        x_mean = np.zeros(n_features)
        y_mean = np.zeros(n_targets)

    if full_gram:
        xx = (X_block.T @ SX).toarray()
        xx -= sum_weights * np.outer(x_mean, x_mean)
    else:
        xx = np.bincount(X_block.indices, X_block.data * SX.data, minlength=n_features)
        xx -= sum_weights * x_mean**2
    Yc = Y - y_mean
    # The weighted column sums of Yc are zero, so the means of X drop out.
    xy = np.asarray(SX.T @ Yc)
    yy = np.einsum("ij,ij,i->j", Yc, Yc, sw)
    return SufficientStats(sum_weights, x_mean, y_mean, xx, xy, yy, centred)


def sufficient_stats(X, Y, sample_weight, *, centred, full_gram=True):
    """Compute the statistics of sparse X in row blocks of CSR.

    A CSC matrix is converted to CSR once; X is never densified.

    NOTE: Within a block the centred products come from ``X^T S X - s m m^T``,
    whose relative rounding error in column j grows like ``(m_j / std_j)**2``.
    Dense X is centred before its products are formed and has no such term.
    """
    X = X.tocsr()
    n_rows = sparse_block_rows(X, full_gram=full_gram)
    stats = None
    for start in range(0, X.shape[0], n_rows):
        rows = slice(start, start + n_rows)
        block = block_stats(
            X[rows],
            Y[rows],
            sample_weight[rows],
            centred=centred,
            full_gram=full_gram,
        )
        stats = block if stats is None else stats.merge(block)
    return stats


class SparseStreamingObjective(StreamingObjective):
    """:class:`StreamingObjective` on row blocks of CSR.

    Each block is multiplied as a sparse matrix, so an epoch costs O(nnz * n_targets).
    A CSC matrix is converted to CSR once.
    """

    def __init__(self, X, Y, sample_weight, stats, coords):
        super().__init__(X.tocsr(), Y, sample_weight, stats, coords)
        self.rows = sparse_block_rows(self.X, full_gram=False)
