"""The sum of squared residuals and its gradient, in the solver's coordinates.

Two objectives compute the same quantities from different inputs:

- :class:`GramObjective` works on the centred cross-products of
  :class:`~sklearn_gd._stats.SufficientStats`, so an epoch costs O(n_features**2);
- :class:`StreamingObjective` makes one blockwise pass over X per epoch, computing
  ``X @ w`` and ``X.T @ r`` on each block while it is in cache, with the centring
  applied implicitly so that no centred copy of X is made.

Both keep an affine function of the iterate as their state (``G w - c`` for the Gram
objective, the residual vector for the streaming one). Momentum combines iterates
linearly, so the state at the extrapolated point is the same combination of two
stored states, and each epoch needs one evaluation only.

The solver's variable ``Z`` has shape (n_params, n_targets) and is mapped to the
user's coefficients by :class:`Coordinates`.
"""

import numpy as np
import scipy.linalg
from scipy.sparse.linalg import LinearOperator, eigsh

from ._stats import block_rows

# Up to this many parameters the largest eigenvalue comes from a dense symmetric
# eigensolver; above it, Lanczos iteration is cheaper.
_DENSE_EIGEN_MAX = 500


class Coordinates:
    """Map between the solver's variable ``Z`` and (coef, intercept).

    With ``standardized=True`` the solver iterates on ``u_j = scale_j * w_j``, where
    ``scale_j`` is the weighted norm of the centred column j. The intercept is then
    not a variable, because every iterate uses the intercept that minimizes the SSR
    for its coefficients, ``y_mean - x_mean . w``. With ``standardized=False``
    the solver iterates on the raw ``(w, b)``, with ``b`` as the last row of ``Z``
    when ``fit_intercept`` is True, exactly as in the textbook loop.

    Every quantity is expressed through ``b' = b + x_mean . w - y_mean``, the
    intercept of the centred problem, which is zero for a standardized iterate.
    """

    def __init__(self, stats, *, fit_intercept, standardized, scale=None):
        self.x_mean = stats.x_mean
        self.y_mean = stats.y_mean
        self.sum_weights = stats.sum_weights
        self.fit_intercept = fit_intercept
        self.standardized = standardized
        self.n_features = stats.x_mean.shape[0]
        self.free_intercept = fit_intercept and not standardized
        self.scale = np.ones(self.n_features) if scale is None else scale
        self.n_params = self.n_features + int(self.free_intercept)

    def split(self, Z, homogeneous=False):
        """Return the raw coefficients ``W`` (n_features, n_targets) and ``b'``.

        With ``homogeneous=True``, ``b'`` leaves out ``-y_mean``, which gives the
        linear part of the map, as a Hessian-vector product needs.
        """
        if self.standardized:
            return Z / self.scale[:, None], np.zeros(Z.shape[1])
        W = Z[: self.n_features]
        if not self.free_intercept:
            return W, np.zeros(Z.shape[1])
        bprime = Z[-1] + self.x_mean @ W
        if not homogeneous:
            bprime = bprime - self.y_mean
        return W, bprime

    def join_gradient(self, grad_w, grad_bprime):
        """Return dSSR/dZ from dSSR/dW (centred problem) and dSSR/db'."""
        if self.standardized:
            return grad_w / self.scale[:, None]
        if not self.free_intercept:
            return grad_w
        # w also moves b', since b' = b + x_mean . w - y_mean.
        grad_w = grad_w + np.outer(self.x_mean, grad_bprime)
        return np.vstack([grad_w, grad_bprime])

    def to_user(self, Z):
        """Return ``coef`` (n_targets, n_features) and ``intercept`` (n_targets,)."""
        W, bprime = self.split(Z)
        if self.fit_intercept:
            intercept = self.y_mean - self.x_mean @ W + bprime
        else:
            intercept = np.zeros(W.shape[1])
        return W.T, intercept

    def from_user(self, coef, intercept):
        """Return the ``Z`` of the given coefficients (the intercept is used only
        when the solver iterates on it)."""
        W = np.asarray(coef, dtype=np.float64).T
        if self.standardized:
            # A constant column has an infinite scale and its coefficient stays 0.
            finite = np.isfinite(self.scale)[:, None]
            return np.where(finite, W * np.where(finite, self.scale[:, None], 0), 0.0)
        if not self.free_intercept:
            return W.copy()
        return np.vstack([W, np.asarray(intercept, dtype=np.float64)[None, :]])


def centred_gram_operator(stats, coords):
    """Return the Hessian of the SSR in Z, divided by 2, as a dense array."""
    G = stats.xx
    if coords.standardized:
        H = G / coords.scale[:, None]
        H /= coords.scale[None, :]
        return H
    if not coords.free_intercept:
        return G
    # Raw (w, b) coordinates: the Gram matrix of [X, 1], built from centred
    # products so that large offsets do not cancel.
    s, m = stats.sum_weights, stats.x_mean
    top = np.hstack([G + s * np.outer(m, m), s * m[:, None]])
    bottom = np.append(s * m, s)[None, :]
    return np.vstack([top, bottom])


def largest_eigenvalue(matvec, n, dtype=np.float64, dense=None):
    """Return the largest eigenvalue of a symmetric positive semi-definite matrix.

    ``dense``, when given, is the matrix itself. Otherwise Lanczos iteration
    (scipy's ``eigsh``) uses ``matvec``. Its estimate is a lower bound, accurate to
    about 1e-6 relative.
    """
    if dense is not None and n <= _DENSE_EIGEN_MAX:
        return float(scipy.linalg.eigvalsh(dense, subset_by_index=[n - 1, n - 1])[0])
    if n == 1:
        return float(matvec(np.ones(1))[0])
    if dense is not None:
        matvec = dense.__matmul__
    v0 = np.ones(n) / np.sqrt(n)
    if not np.any(matvec(v0)) and not np.any(matvec(np.arange(1.0, n + 1))):
        # ARPACK rejects an operator that maps its start vector to zero. Two
        # vectors with no zero entry checked zero: the matrix is zero
        # (for example every column is constant).
        return 0.0
    operator = LinearOperator((n, n), matvec=matvec, dtype=dtype)
    # NOTE: each product of the streaming objectives is a pass over X, and on
    # wide sparse data this estimate can take over a hundred passes. A looser
    # tol would make the Gram and streaming modes take different steps.
    value = eigsh(operator, k=1, which="LA", tol=1e-6, v0=v0, return_eigenvectors=False)
    return float(value[0])


class GramObjective:
    """SSR and gradient from the sufficient statistics, O(n_features**2) an epoch."""

    def __init__(self, stats, coords):
        self.stats = stats
        self.coords = coords
        self.n_passes = 0
        # The constant term of every epoch's SSR, summed once.
        self._yy = float(np.sum(stats.yy))

    def lipschitz(self):
        """Return L, the Lipschitz constant of dSSR/dZ (twice the largest
        eigenvalue of the Hessian's half)."""
        H = centred_gram_operator(self.stats, self.coords)
        return 2.0 * largest_eigenvalue(None, H.shape[0], dense=H)

    def _state(self, Z):
        W, bprime = self.coords.split(Z)
        # A = Xc^T S (Xc W - yc): half the gradient of the centred SSR.
        return self.stats.xx @ W - self.stats.xy, bprime, W

    def _loss(self, A, bprime, W):
        # W^T (G W - 2 c) + y^T y, with G, c and y centred.
        centred = float(np.vdot(W, A - self.stats.xy)) + self._yy
        # SSR >= 0; rounding can leave a tiny negative value on an exact fit.
        centred = max(centred, 0.0)
        if not self.coords.free_intercept:
            # b' is zero: the intercept is profiled out or fixed at zero.
            return centred
        return centred + self.stats.sum_weights * float(np.vdot(bprime, bprime))

    def _gradient(self, A, bprime):
        return self.coords.join_gradient(2.0 * A, 2.0 * self.stats.sum_weights * bprime)

    def start(self, Z):
        """Return the SSR and its gradient at ``Z``, and remember ``Z``'s state."""
        A, bprime, W = self._state(Z)
        self._previous = (A, bprime)
        return self._loss(A, bprime, W), self._gradient(A, bprime)

    def step(self, Z, beta):
        """Return the SSR at ``Z`` and the gradient at ``Z + beta * (Z - Z_prev)``,
        where ``Z_prev`` is the previous iterate given to ``start`` or ``step``."""
        A, bprime, W = self._state(Z)
        loss = self._loss(A, bprime, W)
        A_prev, bprime_prev = self._previous
        self._previous = (A, bprime)
        if beta:
            A = A + beta * (A - A_prev)
            bprime = bprime + beta * (bprime - bprime_prev)
        return loss, self._gradient(A, bprime)


class StreamingObjective:
    """SSR and gradient from one blockwise pass over X per epoch.

    Memory beyond X and y: the residuals (n_samples, n_targets) and one block.
    """

    def __init__(self, X, Y, sample_weight, stats, coords):
        self.X = X
        self.sample_weight = sample_weight
        self.stats = stats
        self.coords = coords
        self.n_passes = 0
        self.Y = Y
        # Unit weights (no sample_weight given) skip the multiplications by S.
        self.unit_weights = not np.any(sample_weight != 1)
        self.rows = block_rows(X.shape[1], X.dtype.itemsize)
        self._residuals = np.empty(Y.shape, dtype=X.dtype)

    def _blocks(self):
        n = self.X.shape[0]
        for start in range(0, n, self.rows):
            yield slice(start, start + self.rows)

    def _pass(self, Z, beta, first):
        """Compute the residuals at Z (stored), their SSR, and X^T S r at the
        extrapolated point, in one pass over the blocks of X."""
        W, bprime = self.coords.split(Z)
        # r = Xc W + b' - yc = X W - y - offset: centring X and y folds into one
        # constant per target, formed in float64.
        offset = self.stats.x_mean @ W - bprime - self.stats.y_mean
        offset = offset.astype(self.X.dtype)
        W = W.astype(self.X.dtype)
        n_targets = W.shape[1]
        xtr = np.zeros((self.X.shape[1], n_targets))
        weighted_sum = np.zeros(n_targets)
        loss = 0.0
        momentum = bool(beta) and not first
        for rows in self._blocks():
            X_block = self.X[rows]
            r = X_block @ W
            r -= self.Y[rows]
            r -= offset
            if self.unit_weights:
                sw = None
                loss += _sum_of_squares(r)
            else:
                sw = self.sample_weight[rows].astype(r.dtype, copy=False)
                loss += float(np.einsum("ij,ij,i->", r, r, sw, dtype=np.float64))

            # The stored residuals of the previous iterate become, in place, those
            # of the extrapolated point r + beta (r - r_prev); linear in Z.
            stored = self._residuals[rows]
            if momentum:
                stored -= r
                stored *= -beta
                stored += r
                r_eval = stored
            else:
                r_eval = r
            weighted = r_eval if sw is None else r_eval * sw[:, None]
            xtr += X_block.T @ weighted
            weighted_sum += weighted.sum(axis=0, dtype=np.float64)
            stored[...] = r
        self.n_passes += 1
        return loss, xtr, weighted_sum

    def _gradient(self, xtr, weighted_sum):
        # X^T S r = Xc^T S r + x_mean * sum(S r), and sum(S r) = S * b'.
        grad_w = 2.0 * (xtr - np.outer(self.stats.x_mean, weighted_sum))
        grad_bprime = 2.0 * weighted_sum
        return self.coords.join_gradient(grad_w, grad_bprime)

    def start(self, Z):
        loss, xtr, weighted_sum = self._pass(Z, 0.0, first=True)
        return loss, self._gradient(xtr, weighted_sum)

    def step(self, Z, beta):
        loss, xtr, weighted_sum = self._pass(Z, beta, first=False)
        return loss, self._gradient(xtr, weighted_sum)

    def hessian_matvec(self, v):
        """Return H v, with H half the Hessian of the SSR in Z (one pass)."""
        Z = v.reshape(-1, 1)
        W, bprime = self.coords.split(Z, homogeneous=True)
        # The residual of the homogeneous problem: Xc W + b', without y.
        shift = self.stats.x_mean @ W - bprime
        xtr = np.zeros((self.X.shape[1], 1))
        weighted_sum = np.zeros(1)
        W = W.astype(self.X.dtype)
        shift = shift.astype(self.X.dtype)
        for rows in self._blocks():
            X_block = self.X[rows]
            r = X_block @ W
            r -= shift
            if self.unit_weights:
                weighted = r
            else:
                weighted = r * self.sample_weight[rows][:, None]
            xtr += X_block.T @ weighted
            weighted_sum += weighted.sum(axis=0, dtype=np.float64)
        self.n_passes += 1
        grad_w = xtr - np.outer(self.stats.x_mean, weighted_sum)
        return self.coords.join_gradient(grad_w, weighted_sum).ravel()

    def lipschitz(self):
        n = self.coords.n_params
        return 2.0 * largest_eigenvalue(self.hessian_matvec, n)


def _sum_of_squares(r):
    """Return the sum of the squared entries of ``r``, accumulated in float64."""
    if r.dtype == np.float64 and r.flags.c_contiguous:
        return float(np.vdot(r, r))
    return float(np.einsum("ij,ij->", r, r, dtype=np.float64))
