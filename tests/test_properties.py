"""Property tests: random problems give the exact least-squares predictions."""

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from sklearn_gd import GDLinearRegressor


@st.composite
def least_squares_problems(draw):
    """A weighted problem with random shape, rank, column offsets and scales."""
    seed = draw(st.integers(0, 2**32 - 1))
    n_samples = draw(st.integers(2, 60))
    n_features = draw(st.integers(1, 6))
    rank = draw(st.integers(1, n_features))
    log_scales = draw(
        st.lists(st.floats(-3, 3), min_size=n_features, max_size=n_features)
    )
    # Offsets up to 100 times each column's spread. Far larger ones leave the
    # centred columns with rounding noise that lstsq fits as a real direction.
    offsets = draw(
        st.lists(st.floats(-100, 100), min_size=n_features, max_size=n_features)
    )
    weighted = draw(st.booleans())

    rng = np.random.default_rng(seed)
    # Rank-``rank`` columns from a well-conditioned mixing, so that the solution is
    # well defined and gradient descent converges within the default max_iter.
    mixing = np.linalg.qr(rng.standard_normal((n_features, n_features)))[0][:rank]
    X = rng.standard_normal((n_samples, rank)) @ mixing
    X = (X + np.array(offsets)) * 10.0 ** np.array(log_scales)
    y = X @ rng.standard_normal(n_features) + rng.standard_normal(n_samples)
    sample_weight = rng.uniform(0.0, 5.0, n_samples) if weighted else None
    return X, y, sample_weight


def lstsq_predictions(X, y, sample_weight):
    A = np.hstack([X, np.ones((X.shape[0], 1))])
    root = np.ones(X.shape[0]) if sample_weight is None else np.sqrt(sample_weight)
    solution = np.linalg.lstsq(A * root[:, None], y * root, rcond=None)[0]
    return A @ solution


@settings(max_examples=60, deadline=None)
@given(least_squares_problems())
def test_predictions_match_lstsq(problem):
    X, y, sample_weight = problem
    expected = lstsq_predictions(X, y, sample_weight)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reg = GDLinearRegressor().fit(X, y, sample_weight=sample_weight)
    scale = np.max(np.abs(y)) + np.max(np.abs(expected))
    assert_allclose(reg.predict(X), expected, rtol=1e-6, atol=1e-7 * scale)
    assert np.all(np.isfinite(reg.loss_curve_))
