"""Sparse X: the same fit as on the dense copy, without densifying X."""

import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.utils.estimator_checks import (
    check_estimator_sparse_array,
    check_estimator_sparse_matrix,
    check_sample_weight_equivalence_on_sparse_data,
)

from sklearn_gd import GDLinearRegressor
from sklearn_gd._sparse import sufficient_stats
from sklearn_gd._stats import SufficientStats


def _sparse_problem(n_samples=3000, n_features=8, n_targets=3, seed=0):
    """Return CSR X with stored values around 3 (means far from zero), dense Y
    with several targets, and weights that include zeros."""
    rng = np.random.default_rng(seed)
    X = sp.random(n_samples, n_features, density=0.3, format="csr", random_state=seed)
    X.data = 3.0 + rng.normal(size=X.nnz)
    coef = rng.normal(size=(n_features, n_targets))
    Y = X @ coef + 5.0 + 0.1 * rng.normal(size=(n_samples, n_targets))
    weights = rng.uniform(0.0, 2.0, size=n_samples)
    weights[::10] = 0.0
    return X, Y, weights


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("precompute", [True, False])
def test_sparse_matches_dense(fmt, precompute):
    X, Y, weights = _sparse_problem()
    dense = GDLinearRegressor(precompute=precompute).fit(X.toarray(), Y, weights)
    reg = GDLinearRegressor(precompute=precompute)
    reg.fit(X.asformat(fmt), Y, sample_weight=weights)
    assert reg.precompute_ == precompute
    np.testing.assert_allclose(reg.coef_, dense.coef_, rtol=1e-8)
    np.testing.assert_allclose(reg.intercept_, dense.intercept_, rtol=1e-8)


@pytest.mark.parametrize("precompute", [True, False])
def test_sparse_without_intercept(precompute):
    X, Y, weights = _sparse_problem()
    kwargs = dict(precompute=precompute, fit_intercept=False)
    dense = GDLinearRegressor(**kwargs).fit(X.toarray(), Y[:, 0], weights)
    reg = GDLinearRegressor(**kwargs).fit(X, Y[:, 0], sample_weight=weights)
    np.testing.assert_allclose(reg.coef_, dense.coef_, rtol=1e-8)


@pytest.mark.parametrize("full_gram", [True, False])
def test_sparse_stats_match_dense(full_gram):
    X, Y, weights = _sparse_problem()
    expected = SufficientStats.from_dense(
        X.toarray(), Y, weights, centred=True, full_gram=full_gram
    )
    stats = sufficient_stats(X, Y, weights, centred=True, full_gram=full_gram)
    assert stats.sum_weights == pytest.approx(expected.sum_weights, rel=1e-12)
    np.testing.assert_allclose(stats.x_mean, expected.x_mean, rtol=1e-12)
    np.testing.assert_allclose(stats.xx, expected.xx, rtol=1e-10)
    np.testing.assert_allclose(stats.xy, expected.xy, rtol=1e-10)
    np.testing.assert_allclose(stats.yy, expected.yy, rtol=1e-10)


def test_sparse_stats_across_blocks(monkeypatch):
    # Blocks of 64 rows: the statistics come from many merged blocks.
    monkeypatch.setattr("sklearn_gd._sparse.BLOCK_BYTES", 1)
    X, Y, weights = _sparse_problem()
    expected = SufficientStats.from_dense(X.toarray(), Y, weights, centred=True)
    stats = sufficient_stats(X, Y, weights, centred=True)
    np.testing.assert_allclose(stats.xx, expected.xx, rtol=1e-10)
    np.testing.assert_allclose(stats.xy, expected.xy, rtol=1e-10)


def test_sparse_duplicate_entries():
    # Two stored entries at (0, 0) mean the element 1 + 2 = 3.
    X = sp.csr_matrix(
        (np.array([1.0, 2.0, 4.0, 5.0, 1.0]), [0, 0, 1, 0, 1], [0, 3, 4, 5]),
        shape=(3, 2),
    )
    X = sp.vstack([X] * 20, format="csr")
    assert not X.has_canonical_format
    data_before = X.data.copy()
    y = np.arange(X.shape[0], dtype=float) % 7
    dense = GDLinearRegressor(precompute=False).fit(X.toarray(), y)
    for precompute in (True, False):
        reg = GDLinearRegressor(precompute=precompute).fit(X, y)
        np.testing.assert_allclose(reg.coef_, dense.coef_, rtol=1e-8)
    np.testing.assert_array_equal(X.data, data_before)


def test_sparse_float32():
    X, Y, weights = _sparse_problem()
    X32 = X.astype(np.float32)
    dense = GDLinearRegressor().fit(X.toarray(), Y, weights)
    reg = GDLinearRegressor().fit(X32, Y.astype(np.float32), weights)
    assert reg.coef_.dtype == np.float32
    np.testing.assert_allclose(reg.coef_, dense.coef_, rtol=1e-4)


def test_sparse_predict():
    X, Y, weights = _sparse_problem()
    reg = GDLinearRegressor().fit(X, Y, sample_weight=weights)
    expected = X.toarray() @ reg.coef_.T + reg.intercept_
    np.testing.assert_allclose(reg.predict(X.tocsc()), expected, rtol=1e-12)


def test_auto_precompute_follows_nnz():
    # 2000 x 60 with 1% stored: 60**2 = 3600 > nnz of about 1200, so the Gram
    # matrix would be larger than X as stored, though n_features < n_samples.
    rng = np.random.default_rng(1)
    X = sp.random(2000, 60, density=0.01, format="csr", random_state=1)
    y = rng.normal(size=2000)
    assert X.shape[1] ** 2 > X.nnz
    reg = GDLinearRegressor().fit(X, y)
    assert not reg.precompute_
    X_denser = sp.random(2000, 60, density=0.5, format="csr", random_state=1)
    assert X_denser.shape[1] ** 2 <= X_denser.nnz
    reg = GDLinearRegressor().fit(X_denser, y)
    assert reg.precompute_


@pytest.mark.parametrize("precompute", [True, False])
def test_sparse_never_densified(precompute):
    # Dense, this X takes 400 MB; its one stored entry per row takes 1.2 MB.
    n_samples, n_features = 100_000, 500
    rng = np.random.default_rng(2)
    X = sp.csr_matrix(
        (
            rng.normal(size=n_samples),
            rng.integers(0, n_features, size=n_samples),
            np.arange(n_samples + 1),
        ),
        shape=(n_samples, n_features),
    )
    y = X @ rng.normal(size=n_features) + rng.normal(size=n_samples)
    tracemalloc.start()
    try:
        GDLinearRegressor(precompute=precompute, max_iter=20).fit(X, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "check",
    [
        check_estimator_sparse_array,
        check_estimator_sparse_matrix,
        check_sample_weight_equivalence_on_sparse_data,
    ],
)
@pytest.mark.parametrize("precompute", [True, False])
def test_sparse_common_checks(check, precompute):
    # The common checks run with precompute="auto"; these run both modes.
    estimator = GDLinearRegressor(precompute=precompute)
    check(type(estimator).__name__, estimator)
