"""partial_fit: batches in any order give the fit of all the samples at once."""

import numpy as np
import pytest
import scipy.sparse as sp

from sklearn_gd import GDLinearRegressor


def _problem(n_samples=1000, n_features=6, n_targets=None, seed=0, offset=50.0):
    """Return X with badly scaled columns offset by ``offset``, y and weights."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features)) * [1, 10, 0.1, 5, 2, 1] + offset
    shape = (n_features,) if n_targets is None else (n_features, n_targets)
    y = X @ rng.normal(size=shape) + 3.0 + rng.normal(size=(n_samples,) + shape[1:])
    weights = rng.uniform(0.0, 3.0, size=n_samples)
    return X, y, weights


def _shuffled_batches(n_samples, sizes, seed=0):
    """Return index arrays of the given sizes over a permutation of the rows."""
    order = np.random.default_rng(seed).permutation(n_samples)
    return np.split(order, np.cumsum(sizes)[:-1])


@pytest.mark.parametrize("n_targets", [None, 3])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_partial_fit_matches_fit(n_targets, fit_intercept):
    # Without an intercept, an offset of 50 would make the problem so
    # ill-conditioned that tol=1e-10 pins the coefficients to 1e-5 only.
    offset = 50.0 if fit_intercept else 1.0
    X, y, weights = _problem(n_targets=n_targets, offset=offset)
    # Both fits stop near the rounding floor, so that they differ only by the
    # order in which the statistics were summed.
    params = dict(fit_intercept=fit_intercept, tol=1e-13)
    expected = GDLinearRegressor(**params).fit(X, y, weights)
    reg = GDLinearRegressor(**params)
    for rows in _shuffled_batches(len(X), [1, 300, 17, 482, 200]):
        reg.partial_fit(X[rows], y[rows], sample_weight=weights[rows])
    np.testing.assert_allclose(reg.coef_, expected.coef_, rtol=1e-8)
    np.testing.assert_allclose(reg.intercept_, expected.intercept_, rtol=1e-8)
    assert reg.n_features_in_ == X.shape[1]
    assert reg.precompute_


def test_partial_fit_gd_solver():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 4))
    y = X @ rng.normal(size=4) + 3.0 + rng.normal(size=1000)
    weights = rng.uniform(0.0, 3.0, size=1000)
    expected = GDLinearRegressor(solver="gd").fit(X, y, weights)
    reg = GDLinearRegressor(solver="gd")
    for rows in _shuffled_batches(len(X), [500, 500]):
        reg.partial_fit(X[rows], y[rows], sample_weight=weights[rows])
    np.testing.assert_allclose(reg.coef_, expected.coef_, rtol=1e-8)


def test_partial_fit_sparse_batches():
    X, y, weights = _problem()
    X[np.abs(X - 50.0) < 2.0] = 0.0
    expected = GDLinearRegressor().fit(X, y, weights)
    reg = GDLinearRegressor()
    for i, rows in enumerate(_shuffled_batches(len(X), [400, 350, 250])):
        X_batch = sp.csr_matrix(X[rows]) if i % 2 == 0 else sp.csc_matrix(X[rows])
        reg.partial_fit(X_batch, y[rows], sample_weight=weights[rows])
    np.testing.assert_allclose(reg.coef_, expected.coef_, rtol=1e-8)
    np.testing.assert_allclose(reg.intercept_, expected.intercept_, rtol=1e-8)


def test_partial_fit_warm_starts():
    X, y, weights = _problem()
    reg = GDLinearRegressor().partial_fit(X, y, sample_weight=weights)
    coef = reg.coef_.copy()
    # Weights of 1e-20 change the statistics by less than rounding, so the
    # previous coefficients are the solution and the epochs stop after the first.
    reg.partial_fit(X[:10], y[:10], sample_weight=np.full(10, 1e-20))
    assert reg.n_iter_ == 1
    np.testing.assert_allclose(reg.coef_, coef, rtol=1e-7)


def test_fit_discards_partial_statistics():
    X, y, weights = _problem()
    other_X, other_y, _ = _problem(seed=1)
    reg = GDLinearRegressor().partial_fit(other_X, other_y)
    reg.fit(other_X[:, :3], other_y)
    reg.partial_fit(X, y, sample_weight=weights)
    expected = GDLinearRegressor().fit(X, y, weights)
    np.testing.assert_allclose(reg.coef_, expected.coef_, rtol=1e-8)
    assert reg.n_features_in_ == X.shape[1]


def test_partial_fit_rejected_batch_not_counted():
    X, y, weights = _problem()
    reg = GDLinearRegressor().partial_fit(X[:500], y[:500], weights[:500])
    reg.set_params(learning_rate=1e6)
    with pytest.raises(ValueError, match="above the largest stable"):
        reg.partial_fit(X[500:700], y[500:700], weights[500:700])
    reg.set_params(learning_rate="auto")
    reg.partial_fit(X[700:], y[700:], weights[700:])
    rows = np.r_[0:500, 700:1000]
    expected = GDLinearRegressor().fit(X[rows], y[rows], weights[rows])
    np.testing.assert_allclose(reg.coef_, expected.coef_, rtol=1e-8)


def test_partial_fit_checks_n_features():
    X, y, _ = _problem()
    reg = GDLinearRegressor().partial_fit(X, y)
    with pytest.raises(ValueError, match="expecting 6 features"):
        reg.partial_fit(X[:, :5], y)


def test_partial_fit_checks_targets():
    X, y, _ = _problem()
    reg = GDLinearRegressor().partial_fit(X, y)
    with pytest.raises(ValueError, match="earlier partial_fit calls had 1-D y"):
        reg.partial_fit(X, np.column_stack([y, y]))


def test_partial_fit_checks_fit_intercept():
    X, y, _ = _problem()
    reg = GDLinearRegressor().partial_fit(X, y)
    reg.set_params(fit_intercept=False)
    with pytest.raises(ValueError, match="fit_intercept=False"):
        reg.partial_fit(X, y)
