"""Behaviour of GDLinearRegressor against exact least-squares references."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn import config_context
from sklearn.datasets import load_diabetes, make_regression
from sklearn.exceptions import ConvergenceWarning, FitFailedWarning
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sklearn_gd import GDLinearRegressor


def lstsq_fit(X, y, sample_weight=None):
    """Return the exact least-squares (coef, intercept) with numpy's lstsq."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    A = np.hstack([X, np.ones((X.shape[0], 1))])
    if sample_weight is not None:
        root = np.sqrt(sample_weight)
        A = A * root[:, None]
        y = y * (root[:, None] if y.ndim == 2 else root)
    solution = np.linalg.lstsq(A, y, rcond=None)[0]
    return solution[:-1].T, solution[-1]


def fit_without_warnings(estimator, X, y, **fit_params):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return estimator.fit(X, y, **fit_params)


def correlated_scaled_data(n_samples=3000, rho=0.9, seed=0):
    """Features with neighbour correlation ``rho`` and scales 1e-3 .. 1e3."""
    rng = np.random.default_rng(seed)
    n_features = 7
    lags = np.abs(np.subtract.outer(np.arange(n_features), np.arange(n_features)))
    chol = np.linalg.cholesky(rho**lags)
    scales = np.logspace(-3, 3, n_features)
    X = (rng.standard_normal((n_samples, n_features)) @ chol.T + 2.0) * scales
    true_coef = rng.choice([-1.0, 1.0], n_features) * rng.uniform(1, 2, n_features)
    true_coef *= 500.0 / scales
    y = X @ true_coef + 3.0 + rng.standard_normal(n_samples)
    return X, y


# The textbook loop, exactly.


def test_gd_one_epoch_matches_hand_computation():
    X = [[0.0], [1.0], [2.0], [3.0]]
    y = [1.0, 2.5, 2.9, 4.2]
    w, b, lr = 3.0, 1.0, 0.005

    # One step of the two update formulas, written out by hand.
    grad_w = sum(2 * x[0] * (x[0] * w + b - t) for x, t in zip(X, y))
    grad_b = sum(2 * (x[0] * w + b - t) for x, t in zip(X, y))
    w_new = w - lr * grad_w
    b_new = b - lr * grad_b
    ssr_new = sum((x[0] * w_new + b_new - t) ** 2 for x, t in zip(X, y))

    reg = GDLinearRegressor(solver="gd", learning_rate=lr, max_iter=1)
    with pytest.warns(ConvergenceWarning):
        reg.fit(X, y, coef_init=[w], intercept_init=b)

    assert reg.n_iter_ == 1
    assert_allclose(reg.coef_, [w_new], rtol=1e-12)
    assert_allclose(reg.intercept_, b_new, rtol=1e-12)
    assert len(reg.loss_curve_) == 1
    assert_allclose(reg.loss_curve_[0], ssr_new, rtol=1e-12)


@pytest.mark.parametrize("precompute", [True, False])
def test_gd_three_epochs_match_hand_loop(precompute):
    X = [[0.5, 1.0], [1.0, -1.0], [2.0, 0.0], [3.0, 0.5], [-1.0, 2.0]]
    y = [1.0, 2.5, 2.9, 4.2, 0.3]
    sample_weight = [1.0, 2.0, 0.5, 1.0, 3.0]
    w, b, lr = [0.5, -0.5], 1.0, 0.01

    losses = []
    for _ in range(3):
        residuals = [
            s * (x[0] * w[0] + x[1] * w[1] + b - t)
            for x, t, s in zip(X, y, sample_weight)
        ]
        grad_w = [sum(2 * x[j] * r for x, r in zip(X, residuals)) for j in range(2)]
        grad_b = sum(2 * r for r in residuals)
        w = [w[0] - lr * grad_w[0], w[1] - lr * grad_w[1]]
        b = b - lr * grad_b
        losses.append(
            sum(
                s * (x[0] * w[0] + x[1] * w[1] + b - t) ** 2
                for x, t, s in zip(X, y, sample_weight)
            )
        )

    reg = GDLinearRegressor(
        solver="gd", learning_rate=lr, max_iter=3, precompute=precompute
    )
    with pytest.warns(ConvergenceWarning):
        reg.fit(
            X, y, sample_weight=sample_weight, coef_init=[0.5, -0.5], intercept_init=1
        )

    assert_allclose(reg.coef_, w, rtol=1e-12)
    assert_allclose(reg.intercept_, b, rtol=1e-12)
    assert_allclose(reg.loss_curve_, losses, rtol=1e-12)


# Right on raw data with the defaults.


def test_default_matches_linear_regression_on_galton(galton):
    X, y = galton
    reference = LinearRegression().fit(X, y)

    reg = fit_without_warnings(GDLinearRegressor(), X, y)

    assert_allclose(reg.coef_, reference.coef_, rtol=1e-6)
    assert_allclose(reg.intercept_, reference.intercept_, rtol=1e-6)
    assert_allclose(reg.coef_, [0.6373609], rtol=1e-6)
    assert reg.n_iter_ <= 10


def test_default_matches_linear_regression_on_diabetes():
    X, y = load_diabetes(return_X_y=True)
    reference = LinearRegression().fit(X, y)

    reg = fit_without_warnings(GDLinearRegressor(), X, y)

    assert_allclose(reg.coef_, reference.coef_, rtol=1e-6)
    assert_allclose(reg.intercept_, reference.intercept_, rtol=1e-6)
    assert reg.n_iter_ < reg.max_iter


def test_default_matches_lstsq_on_offset_features():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((500, 4)) + 100.0
    y = X @ [1.5, -2.0, 0.5, 3.0] + 7.0 + rng.standard_normal(500)
    coef, intercept = lstsq_fit(X, y)

    reg = fit_without_warnings(GDLinearRegressor(), X, y)

    assert_allclose(reg.coef_, coef, rtol=1e-6)
    assert_allclose(reg.intercept_, intercept, rtol=1e-6)


def test_default_matches_lstsq_on_correlated_scaled_features():
    X, y = correlated_scaled_data()
    coef, intercept = lstsq_fit(X, y)

    reg = fit_without_warnings(GDLinearRegressor(), X, y)

    assert_allclose(reg.coef_, coef, rtol=1e-6)
    assert_allclose(reg.intercept_, intercept, rtol=1e-6)


def test_linear_regression_truncates_scaled_features():
    # The reason the reference above is lstsq: scikit-learn's LinearRegression
    # drops singular values below 1e-6 of the largest and misses this solution.
    X, y = correlated_scaled_data()
    coef, _ = lstsq_fit(X, y)
    reference = LinearRegression().fit(X, y)
    assert not np.allclose(reference.coef_, coef, rtol=1e-3)


def test_loss_curve_is_ssr_of_returned_model(galton):
    X, y = galton
    for reg in (GDLinearRegressor(), GDLinearRegressor(solver="gd", max_iter=50)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            reg.fit(X, y)
        ssr = np.sum((X @ reg.coef_ + reg.intercept_ - y) ** 2)
        assert len(reg.loss_curve_) == reg.n_iter_
        assert_allclose(reg.loss_curve_[-1], ssr, rtol=1e-9)


# Divergence is an error, never garbage.


def test_gd_raises_on_diverging_learning_rate(galton):
    X, y = galton
    reg = GDLinearRegressor(solver="gd", learning_rate=0.005)
    with pytest.raises(ValueError) as excinfo:
        reg.fit(X, y, coef_init=[3.0], intercept_init=1.0)
    message = str(excinfo.value)
    assert "learning_rate=0.005" in message
    assert "2/L = 2.23" in message
    assert "learning_rate='auto'" in message
    assert not hasattr(reg, "coef_")


def test_gd_accepts_rate_just_below_limit(galton):
    X, y = galton
    with pytest.warns(ConvergenceWarning):
        probe = GDLinearRegressor(solver="gd", max_iter=1).fit(X, y)
    limit = 2.0 / probe.lipschitz_
    reg = GDLinearRegressor(solver="gd", learning_rate=0.999 * limit, max_iter=200)
    with pytest.warns(ConvergenceWarning):
        reg.fit(X, y, coef_init=[3.0], intercept_init=1.0)
    assert np.all(np.isfinite(reg.coef_))
    assert np.isfinite(reg.intercept_)
    assert np.all(np.isfinite(reg.loss_curve_))
    assert reg.loss_curve_[-1] < reg.loss_curve_[0]


def test_nesterov_raises_above_its_limit():
    X, y = load_diabetes(return_X_y=True)
    with pytest.raises(ValueError, match=r"learning_rate=10 .*1/L = "):
        GDLinearRegressor(learning_rate=10.0).fit(X, y)


def test_galton_largest_stable_rate(galton):
    X, y = galton
    reg = GDLinearRegressor(solver="gd", max_iter=1)
    with pytest.warns(ConvergenceWarning):
        reg.fit(X, y)
    assert_allclose(2.0 / reg.lipschitz_, 2.23e-7, rtol=5e-3)


# Stopping.


def test_max_iter_warning_names_both():
    X, y = load_diabetes(return_X_y=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        GDLinearRegressor(max_iter=5, tol=1e-8).fit(X, y)
    convergence = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert len(convergence) == 1
    assert "max_iter=5" in str(convergence[0].message)
    assert "tol=1e-08" in str(convergence[0].message)


def test_converged_fit_emits_no_warning():
    X, y = load_diabetes(return_X_y=True)
    fit_without_warnings(GDLinearRegressor(), X, y)


def test_warm_start_continues_and_replaces_loss_curve():
    X, y = load_diabetes(return_X_y=True)
    reg = GDLinearRegressor(solver="gd", learning_rate="auto", max_iter=20)
    reg.set_params(warm_start=True)
    with pytest.warns(ConvergenceWarning):
        reg.fit(X, y)
    first_curve = list(reg.loss_curve_)
    with pytest.warns(ConvergenceWarning):
        reg.fit(X, y)
    assert len(reg.loss_curve_) == reg.n_iter_ == 20
    assert reg.loss_curve_[0] < first_curve[-1]


# Sample weights.


def test_integer_weights_equal_repeated_rows():
    X, y = load_diabetes(return_X_y=True)
    weights = np.random.default_rng(0).integers(0, 4, X.shape[0])
    weighted = GDLinearRegressor().fit(X, y, sample_weight=weights)
    repeated = GDLinearRegressor().fit(
        np.repeat(X, weights, axis=0), np.repeat(y, weights)
    )
    assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-8)
    assert_allclose(weighted.intercept_, repeated.intercept_, rtol=1e-8)


def test_zero_weight_equals_removing_row():
    X, y = load_diabetes(return_X_y=True)
    weights = np.ones(X.shape[0])
    weights[::3] = 0.0
    weighted = GDLinearRegressor().fit(X, y, sample_weight=weights)
    removed = GDLinearRegressor().fit(X[weights > 0], y[weights > 0])
    assert_allclose(weighted.coef_, removed.coef_, rtol=1e-8)
    assert_allclose(weighted.intercept_, removed.intercept_, rtol=1e-8)


def test_scaling_weights_keeps_coef():
    X, y = load_diabetes(return_X_y=True)
    weights = np.random.default_rng(0).uniform(0.5, 2.0, X.shape[0])
    base = GDLinearRegressor().fit(X, y, sample_weight=weights)
    scaled = GDLinearRegressor().fit(X, y, sample_weight=1e3 * weights)
    assert_allclose(scaled.coef_, base.coef_, rtol=1e-8)
    assert_allclose(scaled.intercept_, base.intercept_, rtol=1e-8)


def test_weighted_fit_matches_weighted_lstsq():
    X, y = load_diabetes(return_X_y=True)
    weights = np.random.default_rng(0).uniform(0.0, 3.0, X.shape[0])
    coef, intercept = lstsq_fit(X, y, weights)
    reg = fit_without_warnings(GDLinearRegressor(), X, y, sample_weight=weights)
    assert_allclose(reg.coef_, coef, rtol=1e-6)
    assert_allclose(reg.intercept_, intercept, rtol=1e-6)


def test_negative_weight_rejected():
    X, y = load_diabetes(return_X_y=True)
    weights = np.ones(X.shape[0])
    weights[0] = -1.0
    with pytest.raises(ValueError, match="[Nn]egative"):
        GDLinearRegressor().fit(X, y, sample_weight=weights)


# Several targets.


@pytest.mark.parametrize("solver", ["nesterov", "gd"])
def test_two_dimensional_y_matches_linear_regression(solver):
    X, Y = make_regression(
        n_samples=200, n_features=5, n_targets=3, noise=1.0, random_state=0
    )
    reference = LinearRegression().fit(X, Y)
    reg = GDLinearRegressor(solver=solver, max_iter=100_000)
    fit_without_warnings(reg, X, Y)
    assert reg.coef_.shape == reference.coef_.shape == (3, 5)
    assert reg.intercept_.shape == reference.intercept_.shape == (3,)
    assert_allclose(reg.coef_, reference.coef_, rtol=1e-6)
    assert_allclose(reg.intercept_, reference.intercept_, rtol=1e-6, atol=1e-9)
    assert reg.predict(X).shape == (200, 3)


def test_single_column_y_keeps_two_dimensions():
    X, y = load_diabetes(return_X_y=True)
    reference = LinearRegression().fit(X, y[:, None])
    reg = GDLinearRegressor().fit(X, y[:, None])
    assert reg.coef_.shape == reference.coef_.shape
    assert reg.intercept_.shape == reference.intercept_.shape
    assert reg.predict(X).shape == (X.shape[0], 1)


# Rank-deficient X.


def test_duplicated_column_predictions_match():
    X, y = load_diabetes(return_X_y=True)
    X = np.hstack([X, X[:, [2]]])
    reference = LinearRegression().fit(X, y)
    reg = fit_without_warnings(GDLinearRegressor(), X, y)
    assert np.all(np.isfinite(reg.coef_))
    assert_allclose(reg.predict(X), reference.predict(X), rtol=1e-6)


def test_one_hot_with_intercept_predictions_match():
    rng = np.random.default_rng(0)
    groups = rng.integers(0, 4, size=(300, 1))
    one_hot = OneHotEncoder(sparse_output=False).fit_transform(groups)
    X = np.hstack([one_hot, rng.standard_normal((300, 2))])
    y = groups[:, 0] * 2.0 + X[:, -1] + rng.standard_normal(300)
    reference = LinearRegression().fit(X, y)
    reg = fit_without_warnings(GDLinearRegressor(), X, y)
    assert np.all(np.isfinite(reg.coef_))
    assert_allclose(reg.predict(X), reference.predict(X), rtol=1e-6)


def test_constant_column_gets_zero_coef():
    X, y = load_diabetes(return_X_y=True)
    X = np.hstack([X, np.full((X.shape[0], 1), 0.1)])
    reference = LinearRegression().fit(X, y)
    reg = fit_without_warnings(GDLinearRegressor(), X, y)
    assert reg.coef_[-1] == 0.0
    assert_allclose(reg.predict(X), reference.predict(X), rtol=1e-6)


# Inputs.


def test_inputs_not_modified():
    X, y = load_diabetes(return_X_y=True)
    weights = np.random.default_rng(0).uniform(0.5, 2.0, X.shape[0])
    coef_init = np.ones(X.shape[1])
    copies = [a.copy() for a in (X, y, weights, coef_init)]
    for precompute in (True, False):
        for solver in ("nesterov", "gd"):
            reg = GDLinearRegressor(solver=solver, precompute=precompute, max_iter=5)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                reg.fit(X, y, sample_weight=weights, coef_init=coef_init)
    for original, copy in zip((X, y, weights, coef_init), copies):
        assert_allclose(original, copy, rtol=0, atol=0)


def test_read_only_inputs():
    X, y = load_diabetes(return_X_y=True)
    weights = np.ones(X.shape[0])
    for array in (X, y, weights):
        array.setflags(write=False)
    for precompute in (True, False):
        reg = GDLinearRegressor(precompute=precompute)
        reg.fit(X, y, sample_weight=weights)
        assert reg.predict(X).shape == y.shape


def test_fortran_list_and_integer_inputs():
    X, y = load_diabetes(return_X_y=True)
    expected = GDLinearRegressor().fit(X, y).coef_
    fortran = GDLinearRegressor().fit(np.asfortranarray(X), y).coef_
    assert_allclose(fortran, expected, rtol=1e-10)
    from_lists = GDLinearRegressor().fit(X.tolist(), y.tolist()).coef_
    assert_allclose(from_lists, expected, rtol=1e-10)

    rng = np.random.default_rng(0)
    X_int = rng.integers(-5, 5, size=(100, 3))
    y_int = X_int @ [1, 2, 3] + 4
    reg = GDLinearRegressor().fit(X_int, y_int)
    assert_allclose(reg.coef_, [1.0, 2.0, 3.0], rtol=1e-6)
    assert_allclose(reg.intercept_, 4.0, rtol=1e-6)


def test_float32_input_gives_float32_coef():
    X, y = load_diabetes(return_X_y=True)
    reg32 = GDLinearRegressor().fit(X.astype(np.float32), y.astype(np.float32))
    reg64 = GDLinearRegressor().fit(X, y)
    assert reg32.coef_.dtype == np.float32
    assert reg32.predict(X.astype(np.float32)).dtype == np.float32
    assert_allclose(reg32.coef_, reg64.coef_, rtol=1e-4)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"learning_rate": "fast"}, "learning_rate"),
        ({"max_iter": 0}, "max_iter"),
        ({"tol": -1.0}, "tol"),
        ({"solver": "sgd"}, "solver"),
        ({"precompute": "yes"}, "precompute"),
    ],
)
def test_invalid_parameters_named(params, message):
    X, y = load_diabetes(return_X_y=True)
    with pytest.raises(ValueError, match=message):
        GDLinearRegressor(**params).fit(X, y)


def test_bad_init_shapes_rejected():
    X, y = load_diabetes(return_X_y=True)
    with pytest.raises(ValueError, match=r"coef_init has shape \(3,\)"):
        GDLinearRegressor().fit(X, y, coef_init=np.zeros(3))
    with pytest.raises(ValueError, match=r"intercept_init has shape \(2,\)"):
        GDLinearRegressor().fit(X, y, intercept_init=np.zeros(2))
    with pytest.raises(ValueError, match="coef_init contains NaN"):
        GDLinearRegressor().fit(X, y, coef_init=np.full(X.shape[1], np.nan))


def test_nan_input_rejected():
    X, y = load_diabetes(return_X_y=True)
    X = X.copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        GDLinearRegressor().fit(X, y)


# scikit-learn tools.


def test_pipeline_and_cross_validate():
    X, y = load_diabetes(return_X_y=True)
    pipeline = make_pipeline(StandardScaler(), GDLinearRegressor())
    reference = make_pipeline(StandardScaler(), LinearRegression())
    ours = cross_validate(pipeline, X, y, cv=5)["test_score"]
    theirs = cross_validate(reference, X, y, cv=5)["test_score"]
    assert_allclose(ours, theirs, rtol=1e-6)


def test_grid_search_skips_diverging_learning_rates(galton):
    X, y = galton
    grid = {"learning_rate": [1e-9, 1e-8, 1e-7, 1e-6, 1e-3]}
    search = GridSearchCV(
        GDLinearRegressor(solver="gd", max_iter=200), grid, cv=3, error_score=np.nan
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.all(np.isnan(scores[3:]))
    assert np.all(np.isfinite(scores[:3]))
    assert search.best_params_["learning_rate"] <= 1e-7
    failures = [w for w in caught if issubclass(w.category, FitFailedWarning)]
    assert failures
    assert "largest stable learning rate" in str(failures[0].message)
    assert np.isfinite(search.best_estimator_.coef_).all()


def test_sample_weight_routed_through_pipeline():
    X, y = load_diabetes(return_X_y=True)
    weights = np.random.default_rng(0).uniform(0.0, 3.0, X.shape[0])
    with config_context(enable_metadata_routing=True):
        pipeline = Pipeline(
            [("gd", GDLinearRegressor().set_fit_request(sample_weight=True))]
        )
        pipeline.fit(X, y, sample_weight=weights)
    direct = GDLinearRegressor().fit(X, y, sample_weight=weights)
    unweighted = GDLinearRegressor().fit(X, y)
    assert_allclose(pipeline[-1].coef_, direct.coef_, rtol=1e-10)
    assert not np.allclose(pipeline[-1].coef_, unweighted.coef_, rtol=1e-3)


def test_record_every_keeps_path():
    X, y = load_diabetes(return_X_y=True)
    reg = GDLinearRegressor(record_every=10).fit(X, y)
    assert reg.path_epochs_[0] == 0
    assert reg.path_epochs_[-1] == reg.n_iter_
    assert np.all(np.diff(reg.path_epochs_) > 0)
    assert reg.coef_path_.shape == (len(reg.path_epochs_), X.shape[1])
    assert_allclose(reg.coef_path_[-1], reg.coef_)
    assert_allclose(reg.coef_path_[0], 0.0)
    assert_allclose(reg.intercept_path_[-1], reg.intercept_)


def test_feature_names_recorded_from_dataframe():
    pd = pytest.importorskip("pandas")
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    assert isinstance(X, pd.DataFrame)
    reg = GDLinearRegressor().fit(X, y)
    assert reg.n_features_in_ == 10
    assert list(reg.feature_names_in_) == list(X.columns)
    with pytest.warns(UserWarning, match="feature names"):
        reg.predict(X.to_numpy())


def test_unresolved_offset_column_warns():
    rng = np.random.default_rng(0)
    spread = rng.standard_normal(200)
    X = np.column_stack([spread + 1e14, rng.standard_normal(200)])
    y = 3.0 * spread + X[:, 1] + rng.standard_normal(200)
    with pytest.warns(UserWarning, match=r"Columns \[0\] of X vary"):
        reg = GDLinearRegressor().fit(X, y)
    assert reg.coef_[0] == 0.0

    centred = GDLinearRegressor().fit(X - X.mean(axis=0), y)
    assert_allclose(centred.coef_[0], 3.0, rtol=0.1)


def test_truly_constant_column_does_not_warn():
    X, y = load_diabetes(return_X_y=True)
    X = np.hstack([X, np.full((X.shape[0], 1), 0.1)])
    fit_without_warnings(GDLinearRegressor(), X, y)
