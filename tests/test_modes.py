"""The precomputed (Gram) and streaming modes give the same fit, step by step.

Both modes run the same gradient loop on the same objective, so their iterates and
``loss_curve_`` agree to rounding, whatever the solver. The checks here compare
them on several row blocks, with sample weights, several targets and data offset
far from zero, and compare the losses with the SSR recomputed from the recorded
iterates.
"""

import tracemalloc

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_gd import GDLinearRegressor

SOLVERS = ["nesterov", "gd"]


@pytest.fixture
def small_blocks(monkeypatch):
    """Split every pass over X into many row blocks, so that merges are tested."""
    monkeypatch.setattr("sklearn_gd._stats.BLOCK_BYTES", 2048)
    monkeypatch.setattr("sklearn_gd._stats.MIN_BLOCK_ROWS", 64)


def make_problem(seed, *, n_samples=700, n_features=6, n_targets=None, offset=0.0):
    """Return correlated X, y (1-D, or 2-D with n_targets) and positive weights."""
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(n_features, n_features))
    X = rng.normal(size=(n_samples, n_features)) @ mixing + offset
    shape = (n_features,) if n_targets is None else (n_features, n_targets)
    coef = rng.normal(size=shape)
    noise = rng.normal(size=(n_samples,) + shape[1:])
    y = X @ coef + 0.5 * noise + offset
    sample_weight = rng.uniform(0.2, 3.0, size=n_samples)
    return X, y, sample_weight


def recomputed_ssr(X, y, sample_weight, coef, intercept):
    """Return the SSR of (coef, intercept), summed over targets, from X directly."""
    residuals = X @ coef.T + intercept - y
    if residuals.ndim == 1:
        residuals = residuals[:, None]
    return float(np.sum(sample_weight[:, None] * residuals**2))


def fit_both_modes(X, y, sample_weight, **params):
    """Fit with precompute=True and precompute=False, recording every epoch."""
    fits = []
    for precompute in (True, False):
        reg = GDLinearRegressor(precompute=precompute, record_every=1, **params)
        fits.append(reg.fit(X, y, sample_weight=sample_weight))
    return fits


def relative_difference(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("offset", [0.0, 1e4])
@pytest.mark.parametrize("n_targets", [None, 3])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_modes_same_iterates(solver, offset, n_targets, weighted, fit_intercept):
    X, y, sample_weight = make_problem(0, n_targets=n_targets, offset=offset)
    if not weighted:
        sample_weight = None
    gram, streaming = fit_both_modes(
        X, y, sample_weight, solver=solver, fit_intercept=fit_intercept, max_iter=60
    )

    assert gram.precompute_ and not streaming.precompute_
    assert gram.n_iter_ == streaming.n_iter_
    assert relative_difference(gram.coef_path_, streaming.coef_path_) < 1e-9
    if fit_intercept:
        assert (
            relative_difference(gram.intercept_path_, streaming.intercept_path_) < 1e-9
        )
    # Without an intercept the statistics are not centred, so on offset data the
    # Gram form of the SSR keeps only about 8 digits. The next test checks both
    # modes against a direct recomputation.
    np.testing.assert_allclose(gram.loss_curve_, streaming.loss_curve_, rtol=1e-6)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("precompute", [True, False])
@pytest.mark.parametrize("offset", [0.0, 1e4])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_loss_curve_is_recomputed_ssr(solver, precompute, offset, fit_intercept):
    # Offset by 1e4, the uncentred form w^T G w - 2 w^T c + y^T y of the SSR loses
    # about 8 of its 16 digits. Each entry must still match a recomputation.
    X, y, sample_weight = make_problem(1, n_targets=2, offset=offset)
    reg = GDLinearRegressor(
        solver=solver,
        precompute=precompute,
        fit_intercept=fit_intercept,
        record_every=1,
        max_iter=40,
    )
    reg.fit(X, y, sample_weight=sample_weight)

    expected = [
        recomputed_ssr(X, y, sample_weight, coef, intercept)
        for coef, intercept in zip(reg.coef_path_[1:], reg.intercept_path_[1:])
    ]
    assert reg.path_epochs_.tolist() == list(range(reg.n_iter_ + 1))
    np.testing.assert_allclose(reg.loss_curve_, expected, rtol=1e-6)


@pytest.mark.usefixtures("small_blocks")
def test_offset_data_gram_matches_lstsq():
    X, y, sample_weight = make_problem(2, offset=1e4)
    reg = GDLinearRegressor().fit(X, y, sample_weight=sample_weight)

    root = np.sqrt(sample_weight)[:, None]
    design = np.hstack([X, np.ones((X.shape[0], 1))])
    expected = np.linalg.lstsq(design * root, y * root[:, 0], rcond=None)[0]
    np.testing.assert_allclose(reg.coef_, expected[:-1], rtol=1e-7)
    np.testing.assert_allclose(reg.intercept_, expected[-1], rtol=1e-7)


@pytest.mark.parametrize("precompute", [True, False])
def test_float32_close_to_float64(precompute):
    rng = np.random.default_rng(3)
    n_samples, n_features = 1_000_000, 5
    X = rng.normal(size=(n_samples, n_features)).astype(np.float32)
    X += np.arange(n_features, dtype=np.float32)
    coef = rng.normal(size=n_features)
    y = (X @ coef + 1.5 + rng.normal(size=n_samples)).astype(np.float32)
    # NOTE: the streaming gradient of float32 data is computed in float32, and its
    # rounding (about 1e-8 of its norm at zero) stays above the default tol.
    tol = 1e-10 if precompute else 1e-6

    reg32 = GDLinearRegressor(precompute=precompute, tol=tol).fit(X, y)
    reg64 = GDLinearRegressor().fit(X.astype(np.float64), y.astype(np.float64))

    assert reg32.coef_.dtype == np.float32
    np.testing.assert_allclose(reg32.coef_, reg64.coef_, rtol=1e-4)
    np.testing.assert_allclose(reg32.intercept_, reg64.intercept_, rtol=1e-4)


def peak_memory_of_fit(reg, X, y):
    """Return the peak of memory allocated during ``reg.fit(X, y)``, in bytes."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        start, _ = tracemalloc.get_traced_memory()
        reg.fit(X, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - start


@pytest.mark.parametrize("precompute", [True, False])
def test_fit_memory_small_next_to_x(precompute):
    # numpy reports its allocations to tracemalloc, so a copy of X would show.
    rng = np.random.default_rng(4)
    X = rng.normal(size=(40_000, 50))
    y = X @ rng.normal(size=50) + rng.normal(size=40_000)
    peak = peak_memory_of_fit(GDLinearRegressor(precompute=precompute), X, y)
    assert peak < 0.25 * X.nbytes


# The textbook loop needs more than max_iter epochs on some of the checks' data
# sets, and so does streaming on float32 data at the default tol. Convergence is
# tested above; the common checks test the API.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(
    [
        GDLinearRegressor(precompute=precompute, solver=solver)
        for precompute in (True, False)
        for solver in SOLVERS
    ]
)
def test_every_mode_passes_common_checks(estimator, check):
    check(estimator)
