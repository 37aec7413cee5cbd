"""Bad, extreme and malformed input to GDLinearRegressor, load_galton and the CLI.

The tests marked ``xfail(strict=True)`` pin down known bugs: each reason states the
current bad behaviour, and the test passes once it is fixed.
"""

import errno
import pickle
import re
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score

from sklearn_gd import GDLinearRegressor
from sklearn_gd._cli import main
from sklearn_gd.datasets import load_galton

COEF = np.array([1.0, 2.0, 3.0])
INTERCEPT = 4.0


def make_data(n_samples=50, noise=0.0, seed=0):
    """Return X of shape (n_samples, 3) and ``y = X @ COEF + INTERCEPT + noise``."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 3))
    y = X @ COEF + INTERCEPT + rng.normal(scale=noise, size=n_samples)
    return X, y


def fit_quietly(estimator, X, y, **fit_params):
    """Fit with ConvergenceWarning and RuntimeWarning silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        return estimator.fit(X, y, **fit_params)


def fitted_or_message(estimator, X, y, **fit_params):
    """Return the fitted estimator, or the message of the ValueError of fit."""
    try:
        return fit_quietly(estimator, X, y, **fit_params)
    except ValueError as exc:
        return str(exc)


def convergence_warnings(estimator, X, y, **fit_params):
    """Fit and return the ConvergenceWarning records that the fit emitted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        estimator.fit(X, y, **fit_params)
    return [w for w in caught if issubclass(w.category, ConvergenceWarning)]


def all_finite(estimator):
    arrays = (estimator.coef_, estimator.intercept_, estimator.loss_curve_)
    return all(np.all(np.isfinite(a)) for a in arrays)


def gd_rate_limit(X):
    """Return 2/L for solver="gd": L is twice the largest eigenvalue of the Gram
    matrix of ``[X, 1]``."""
    design = np.column_stack([X, np.ones(len(X))])
    return 1.0 / np.linalg.eigvalsh(design.T @ design)[-1]


def ssr(estimator, X, y):
    return float(np.sum((estimator.predict(X) - y) ** 2))


# Non-finite and invalid values in the fit arguments.


@pytest.mark.parametrize("value, word", [(np.nan, "NaN"), (np.inf, "infinity")])
@pytest.mark.parametrize("name", ["X", "y", "sample_weight"])
def test_non_finite_input_named(name, value, word):
    X, y = make_data()
    arrays = {"X": X.copy(), "y": y.copy(), "sample_weight": np.ones(len(y))}
    arrays[name].flat[3] = value
    with pytest.raises(ValueError, match=f"{name} contains {word}"):
        GDLinearRegressor().fit(
            arrays["X"], arrays["y"], sample_weight=arrays["sample_weight"]
        )


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("name", ["coef_init", "intercept_init"])
def test_non_finite_init_named(name, value):
    X, y = make_data()
    init = {"coef_init": np.zeros(3), "intercept_init": 0.0}
    if name == "coef_init":
        init[name][1] = value
    else:
        init[name] = value
    with pytest.raises(ValueError, match=f"{name} contains NaN or infinity"):
        GDLinearRegressor(solver="gd").fit(X, y, **init)


@pytest.mark.parametrize(
    "sample_weight, message",
    [
        (-np.ones(50), "Negative values in data passed to `sample_weight`"),
        (np.zeros(50), "at least one non-zero"),
        (np.ones(49), r"sample_weight.shape == \(49,\), expected \(50,\)"),
        (np.ones((50, 1)), "1D array or scalar"),
        (["a"] * 50, "could not convert string to float"),
    ],
    ids=["negative", "all-zero", "short", "2-D", "strings"],
)
def test_invalid_sample_weight_rejected(sample_weight, message):
    X, y = make_data()
    with pytest.raises(ValueError, match=message):
        GDLinearRegressor().fit(X, y, sample_weight=sample_weight)


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_scalar_non_finite_weight_named(value):
    X, y = make_data()
    with pytest.raises(ValueError, match="sample_weight"):
        fit_quietly(GDLinearRegressor(), X, y, sample_weight=value)


def test_uniform_weights_keep_coef():
    X, y = make_data(noise=0.5)
    expected = GDLinearRegressor().fit(X, y).coef_
    for weight in (2.0, 1e-300, 1e300):
        reg = GDLinearRegressor().fit(X, y, sample_weight=np.full(len(y), weight))
        assert_allclose(reg.coef_, expected, rtol=1e-8)


def test_single_nonzero_weight_fits_that_row():
    X, y = make_data()
    weights = np.zeros(len(y))
    weights[5] = 1.0
    reg = GDLinearRegressor().fit(X, y, sample_weight=weights)
    assert_allclose(reg.predict(X[5:6]), y[5:6], rtol=1e-12)


def test_denormal_weights_gd_message():
    X, y = make_data()
    outcome = fitted_or_message(
        GDLinearRegressor(solver="gd"), X, y, sample_weight=np.full(50, 5e-324)
    )
    assert "learning_rate=inf" not in str(outcome)


@pytest.mark.parametrize(
    "coef_init, message",
    [
        ([1.0, 2.0], r"coef_init has shape \(2,\), but this X and y need shape \(3,\)"),
        ([[1.0, 2.0, 3.0]], r"coef_init has shape \(1, 3\)"),
    ],
)
def test_coef_init_wrong_shape_named(coef_init, message):
    X, y = make_data()
    with pytest.raises(ValueError, match=message):
        GDLinearRegressor().fit(X, y, coef_init=coef_init)


def test_intercept_init_wrong_shape_named():
    X, y = make_data()
    with pytest.raises(ValueError, match=r"intercept_init has shape \(1,\)"):
        GDLinearRegressor(solver="gd").fit(X, y, intercept_init=[1.0])


def test_coef_init_list_accepted():
    X, y = make_data()
    reg = GDLinearRegressor().fit(X, y, coef_init=[1, 2, 3])
    assert_allclose(reg.coef_, COEF, rtol=1e-10)


@pytest.mark.parametrize("coef_init", ["abc", [1j, 0.0, 0.0]], ids=["str", "complex"])
def test_non_numeric_coef_init_named(coef_init):
    X, y = make_data()
    with pytest.raises(ValueError, match="coef_init"):
        GDLinearRegressor().fit(X, y, coef_init=coef_init)


# Shapes.


@pytest.mark.parametrize(
    "X, y, message",
    [
        (np.empty((0, 3)), np.empty(0), "0 sample"),
        (np.empty((5, 0)), np.ones(5), "0 feature"),
        (np.ones((5, 2, 2)), np.ones(5), "dim 3"),
        (np.ones(5), np.ones(5), "Expected 2D array"),
        (np.ones((5, 2)), np.ones((5, 2, 2)), "dim 3"),
        (np.ones((5, 2)), np.ones(4), "inconsistent numbers of samples"),
    ],
    ids=["no samples", "no features", "3-D X", "1-D X", "3-D y", "short y"],
)
def test_bad_shapes_rejected(X, y, message):
    with pytest.raises(ValueError, match=message):
        GDLinearRegressor().fit(X, y)


@pytest.mark.parametrize("solver", ["nesterov", "gd"])
def test_one_sample_fits_it(solver):
    X, y = np.array([[1.0, 2.0]]), np.array([3.0])
    reg = fit_quietly(GDLinearRegressor(solver=solver), X, y)
    assert_allclose(reg.predict(X), y, rtol=1e-10)


@pytest.mark.parametrize("solver", ["nesterov", "gd"])
def test_wide_x_interpolates(solver):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(10, 40))
    y = X @ rng.normal(size=40) + 1.0
    reg = fit_quietly(GDLinearRegressor(solver=solver), X, y)
    assert not reg.precompute_
    assert_allclose(reg.predict(X), y, atol=1e-6)


# dtypes and containers.


@pytest.mark.parametrize(
    "X, y, message",
    [
        (np.array([["a", "b"], ["c", "d"]]), [1.0, 2.0], "could not convert string"),
        (np.array([[1.0, None], [2.0, 3.0]], dtype=object), [1.0, 2.0], "NaN"),
        (np.ones((3, 2), dtype=complex), [1.0, 2.0, 3.0], "Complex data"),
        (np.ones((3, 2)), np.ones(3, dtype=complex), "Complex data"),
        (np.ones((2, 2)), ["a", "b"], "could not convert string"),
    ],
    ids=["str X", "object X with None", "complex X", "complex y", "str y"],
)
def test_non_numeric_dtypes_rejected(X, y, message):
    with pytest.raises(ValueError, match=message):
        GDLinearRegressor().fit(X, y)


def test_dataframe_text_column_named():
    X, y = make_data()
    frame = pd.DataFrame({"a": X[:, 0], "b": ["text"] * 50, "c": X[:, 2]})
    with pytest.raises(ValueError, match="'text'"):
        GDLinearRegressor().fit(frame, y)


def test_dataframe_mixed_numeric_dtypes_fit():
    X, y = make_data(noise=0.5)
    frame = pd.DataFrame(
        {
            "a": X[:, 0],
            "b": X[:, 1].astype(np.float32),
            "c": (X[:, 2] > 0),
            "d": np.arange(50),
        }
    )
    reg = GDLinearRegressor().fit(frame, y)
    reference = LinearRegression().fit(frame, y)
    assert_allclose(reg.predict(frame), reference.predict(frame), rtol=1e-8)


def test_dataframe_nullable_missing_rejected():
    X, y = make_data()
    frame = pd.DataFrame(
        {"a": X[:, 0], "b": pd.array([1] * 49 + [None], dtype="Int64")}
    )
    with pytest.raises(ValueError, match="X contains NaN"):
        GDLinearRegressor().fit(frame, y)


def test_dataframe_reordered_columns_rejected():
    X, y = make_data()
    reg = GDLinearRegressor().fit(pd.DataFrame(X, columns=["a", "b", "c"]), y)
    with pytest.raises(ValueError, match="same order"):
        reg.predict(pd.DataFrame(X, columns=["c", "b", "a"]))


@pytest.mark.parametrize("dtype", [np.float16, np.int8, np.bool_])
def test_small_dtypes_fit_in_float64(dtype):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, size=(60, 2)).astype(dtype)
    y = X.astype(np.float64) @ [1.0, -2.0] + 0.5
    reg = GDLinearRegressor().fit(X, y)
    assert reg.coef_.dtype == np.float64
    assert_allclose(reg.coef_, [1.0, -2.0], rtol=1e-8)


def test_large_int64_matches_reference():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 2**62, size=(30, 2), dtype=np.int64)
    y = rng.integers(0, 2**62, size=30, dtype=np.int64)
    reg = GDLinearRegressor().fit(X, y)
    reference = LinearRegression().fit(X, y)
    assert_allclose(reg.coef_, reference.coef_, rtol=1e-6)


# Extreme magnitudes.


@pytest.mark.parametrize("precompute", [True, False])
@pytest.mark.parametrize("scale", [1e-150, 1e150])
def test_extreme_x_scale_fitted(scale, precompute):
    X, y = make_data()
    reg = GDLinearRegressor(precompute=precompute).fit(X * scale, y)
    assert_allclose(reg.coef_ * scale, COEF, rtol=1e-8)


@pytest.mark.parametrize("precompute", [True, False])
@pytest.mark.parametrize("scale", [1e-150, 1e150])
def test_extreme_y_scale_fitted(scale, precompute):
    X, y = make_data()
    reg = GDLinearRegressor(precompute=precompute).fit(X, y * scale)
    assert_allclose(reg.coef_ / scale, COEF, rtol=1e-8)


@pytest.mark.parametrize("solver", ["nesterov", "gd"])
@pytest.mark.parametrize("precompute", [True, False])
def test_overflowing_y_rejected_with_fix(solver, precompute):
    X, y = make_data()
    reg = GDLinearRegressor(solver=solver, precompute=precompute)
    with pytest.raises(ValueError, match="overflow float64. Rescale y"):
        fit_quietly(reg, X, y * 1e155)


@pytest.mark.parametrize("solver", ["nesterov", "gd"])
def test_overflowing_coef_init_rejected(solver):
    X, y = make_data()
    with pytest.raises(ValueError, match="pass smaller coef_init"):
        fit_quietly(GDLinearRegressor(solver=solver), X, y, coef_init=[1e200, 0, 0])


def test_huge_x_streaming_not_zeroed():
    X, y = make_data()
    outcome = fitted_or_message(GDLinearRegressor(precompute=False), X * 1e154, y)
    if isinstance(outcome, str):
        assert "rescale" in outcome.lower()
    else:
        assert_allclose(outcome.coef_ * 1e154, COEF, rtol=1e-6)


@pytest.mark.parametrize("precompute", [True, False])
def test_tiny_x_not_zeroed(precompute):
    X, y = make_data()
    outcome = fitted_or_message(GDLinearRegressor(precompute=precompute), X * 1e-300, y)
    if isinstance(outcome, str):
        assert "rescale" in outcome.lower()
    else:
        assert_allclose(outcome.coef_ * 1e-300, COEF, rtol=1e-6)


@pytest.mark.parametrize(
    "scale, dtype, weight",
    [(1e154, np.float64, 1.0), (1e19, np.float32, 1.0), (1.0, np.float64, 1e307)],
    ids=["float64 X", "float32 X", "weights"],
)
def test_overflowing_gram_message_names_fix(scale, dtype, weight):
    X, y = make_data()
    X = (X * scale).astype(dtype)
    sample_weight = np.full(len(y), weight)
    outcome = fitted_or_message(
        GDLinearRegressor(precompute=True), X, y, sample_weight=sample_weight
    )
    assert "rescale" in str(outcome).lower()


def test_streaming_gd_overflow_value_error():
    X, y = make_data()
    reg = GDLinearRegressor(solver="gd", precompute=False)
    with pytest.raises(ValueError, match="(?i)rescale"):
        fit_quietly(reg, X * 1e154, y)


def test_float32_coef_overflow_not_inf():
    X, y = make_data()
    X = (X * 1e-20).astype(np.float32)
    y = (y * 1e20).astype(np.float32)
    outcome = fitted_or_message(GDLinearRegressor(), X, y)
    assert isinstance(outcome, str) or np.all(np.isfinite(outcome.coef_))


def test_coef_overflow_message_not_about_rate():
    X, y = make_data()
    with pytest.raises(ValueError) as info:
        fit_quietly(GDLinearRegressor(), X * 1e-160, y * 1e150)
    assert "Use learning_rate='auto'" not in str(info.value)


def test_denormal_x_rejected_with_fix():
    X = np.full((5, 1), 5e-324)
    X[::2] = 0.0
    with pytest.raises(ValueError, match="underflow float64. Rescale X"):
        GDLinearRegressor().fit(X, np.arange(5.0))


@pytest.mark.parametrize("solver", ["nesterov", "gd"])
@pytest.mark.parametrize(
    "X",
    [np.ones((20, 2)), np.zeros((20, 2))],
    ids=["constant X", "zero X"],
)
def test_constant_x_predicts_mean(X, solver):
    y = np.arange(20.0)
    reg = fit_quietly(GDLinearRegressor(solver=solver), X, y)
    assert_allclose(reg.predict(X), np.full(20, y.mean()), rtol=1e-10)


@pytest.mark.parametrize("value", [0.0, 7.0])
def test_constant_y_fitted_exactly(value):
    X, _ = make_data()
    reg = GDLinearRegressor().fit(X, np.full(50, value))
    assert_allclose(reg.coef_, np.zeros(3), atol=1e-12)
    assert_allclose(reg.intercept_, value, rtol=1e-12)


@pytest.mark.parametrize("solver", ["nesterov", "gd"])
def test_collinear_columns_match_reference(solver):
    X, y = make_data(noise=0.5)
    X = np.column_stack([X[:, 0], 2.0 * X[:, 0], X[:, 1]])
    reg = fit_quietly(GDLinearRegressor(solver=solver), X, y)
    reference = LinearRegression().fit(X, y)
    assert_allclose(reg.predict(X), reference.predict(X), rtol=1e-7)


@pytest.mark.parametrize("precompute", [True, False])
def test_column_offset_1e8_fitted(precompute):
    X, y = make_data()
    X[:, 0] += 1e8
    reg = fit_quietly(GDLinearRegressor(precompute=precompute), X, y)
    assert_allclose(reg.coef_, COEF, rtol=1e-6)


def test_float32_offset_column_fitted():
    rng = np.random.default_rng(1)
    X = (rng.normal(size=(200, 1)) + 1e4).astype(np.float32)
    y = (2.0 * (X[:, 0] - 1e4) + rng.normal(scale=0.1, size=200)).astype(np.float32)
    reg = GDLinearRegressor().fit(X, y)
    reference = LinearRegression().fit(X.astype(np.float64), y.astype(np.float64))
    assert_allclose(reg.coef_, reference.coef_, rtol=1e-3)


def test_float32_streaming_converges():
    X, y = make_data(n_samples=200, noise=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        reg = GDLinearRegressor(precompute=False, max_iter=2000).fit(
            X.astype(np.float32), y.astype(np.float32)
        )
    assert reg.n_iter_ < 2000


def test_float32_huge_y_rejected_with_fix():
    X, y = make_data()
    with pytest.raises(ValueError, match="overflow float32. Rescale X or y"):
        GDLinearRegressor().fit(X.astype(np.float32), (y * 1e35).astype(np.float32))


# The stopping test of solver="gd".


def test_gd_large_features_warns():
    X = np.linspace(-1.0, 1.0, 100)[:, None] * 1e12
    y = 3e-12 * X[:, 0] + 5.0
    caught = convergence_warnings(GDLinearRegressor(solver="gd", max_iter=100), X, y)
    assert len(caught) == 1


def test_gd_huge_x_rejected_with_fix():
    X, y = make_data()
    reg = GDLinearRegressor(solver="gd", max_iter=100)
    with pytest.raises(ValueError, match="overflow float64. Rescale X"):
        reg.fit(X * 1e152, y)


# Parameters.


INVALID_PARAMS = [
    ({"learning_rate": 0.0}, "learning_rate"),
    ({"learning_rate": -1.0}, "learning_rate"),
    ({"learning_rate": np.nan}, "learning_rate"),
    ({"learning_rate": np.inf}, "learning_rate"),
    ({"learning_rate": "AUTO"}, "learning_rate"),
    ({"learning_rate": None}, "learning_rate"),
    ({"max_iter": 0}, "max_iter"),
    ({"max_iter": 2.0}, "max_iter"),
    ({"max_iter": np.inf}, "max_iter"),
    ({"tol": np.nan}, "tol"),
    ({"tol": np.inf}, "tol"),
    ({"tol": -1e-3}, "tol"),
    ({"verbose": "yes"}, "verbose"),
    ({"verbose": -1}, "verbose"),
    ({"record_every": 0}, "record_every"),
    ({"record_every": 2.0}, "record_every"),
    ({"fit_intercept": "yes"}, "fit_intercept"),
    ({"precompute": 1}, "precompute"),
    ({"warm_start": None}, "warm_start"),
    ({"solver": "NESTEROV"}, "solver"),
]


@pytest.mark.parametrize(
    "params, name",
    INVALID_PARAMS,
    ids=[repr(params) for params, _ in INVALID_PARAMS],
)
def test_invalid_parameter_named(params, name):
    X, y = make_data()
    with pytest.raises(ValueError, match=f"'{name}' parameter") as info:
        GDLinearRegressor(**params).fit(X, y)
    assert f"Got {params[name]!r} instead" in str(info.value)


def test_bool_max_iter_rejected():
    X, y = make_data()
    with pytest.raises(ValueError, match="max_iter"):
        fit_quietly(GDLinearRegressor(max_iter=True), X, y)


@pytest.mark.parametrize("solver", ["nesterov", "gd"])
def test_tiny_learning_rate_warns_once(solver):
    X, y = make_data()
    reg = GDLinearRegressor(solver=solver, learning_rate=1e-300, max_iter=5)
    caught = convergence_warnings(reg, X, y)
    assert len(caught) == 1
    assert all_finite(reg)


@pytest.mark.parametrize("solver", ["nesterov", "gd"])
@pytest.mark.parametrize("precompute", [True, False])
def test_max_iter_warns_once(solver, precompute):
    X, y = make_data(noise=0.5)
    reg = GDLinearRegressor(solver=solver, precompute=precompute, max_iter=2)
    caught = convergence_warnings(reg, X, y)
    assert len(caught) == 1
    assert "max_iter=2" in str(caught[0].message)


def test_zero_tol_stops_at_rounding():
    X, y = make_data(noise=0.5)
    reg = GDLinearRegressor(tol=0.0)
    caught = convergence_warnings(reg, X, y)
    assert caught == []
    assert reg.n_iter_ < 1000


@pytest.mark.parametrize("factor", [1.001, 10.0, 1e6])
def test_gd_rate_above_limit_raises(factor):
    X, y = make_data()
    limit = gd_rate_limit(X)
    reg = GDLinearRegressor(solver="gd", learning_rate=factor * limit)
    with pytest.raises(ValueError, match=f"2/L = {limit:.6g}"):
        reg.fit(X, y)
    assert not hasattr(reg, "coef_")


@pytest.mark.parametrize("factor", [0.5, 0.9, 0.999])
def test_gd_rate_below_limit_stays_finite(factor):
    X, y = make_data()
    limit = gd_rate_limit(X)
    reg = GDLinearRegressor(solver="gd", learning_rate=factor * limit, max_iter=200)
    fit_quietly(reg, X, y)
    assert all_finite(reg)


# Refitting, warm starts, copies.


def test_warm_start_new_features_refits():
    X, y = make_data(noise=0.5)
    reg = GDLinearRegressor(warm_start=True).fit(X, y)
    reg.fit(X[:, :2], y)
    reference = LinearRegression().fit(X[:, :2], y)
    assert_allclose(reg.coef_, reference.coef_, rtol=1e-8)


def test_warm_start_new_targets_refits():
    X, y = make_data(noise=0.5)
    reg = GDLinearRegressor(warm_start=True).fit(X, y)
    reg.fit(X, np.column_stack([y, -y]))
    assert reg.coef_.shape == (2, 3)


def test_set_params_refit_matches_fresh():
    X, y = make_data(noise=0.5)
    reg = fit_quietly(GDLinearRegressor(solver="gd", max_iter=5), X, y)
    reg.set_params(solver="nesterov", max_iter=10_000).fit(X, y)
    fresh = GDLinearRegressor().fit(X, y)
    assert_allclose(reg.coef_, fresh.coef_, rtol=1e-12)


def test_refit_without_record_drops_path():
    X, y = make_data()
    reg = GDLinearRegressor(record_every=1).fit(X, y)
    reg.set_params(record_every=None).fit(X * 10.0, y)
    assert not hasattr(reg, "coef_path_")


def test_failed_refit_leaves_consistent_state():
    X, y = make_data()
    reg = GDLinearRegressor(solver="gd").fit(X, y)
    with pytest.raises(ValueError, match="2/L"):
        reg.set_params(learning_rate=10.0).fit(X[:, :2], y)
    with pytest.raises(ValueError, match="features|not fitted"):
        reg.predict(X[:, :2])


def test_pickle_round_trip_predicts_same():
    X, y = make_data(noise=0.5)
    reg = GDLinearRegressor().fit(X, y)
    restored = pickle.loads(pickle.dumps(reg))
    assert_array_equal(restored.predict(X), reg.predict(X))


def test_clone_is_unfitted_with_same_params():
    X, y = make_data()
    reg = GDLinearRegressor(solver="gd", max_iter=7, record_every=2)
    fit_quietly(reg, X, y)
    copy = clone(reg)
    assert copy.get_params() == reg.get_params()
    assert not hasattr(copy, "coef_")


# Memory layouts, read-only and unmodified inputs.


@pytest.mark.parametrize("precompute", [True, False])
def test_read_only_memmap_inputs(tmp_path, precompute):
    X, y = make_data(noise=0.5)
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y)
    X_map = np.load(tmp_path / "X.npy", mmap_mode="r")
    y_map = np.load(tmp_path / "y.npy", mmap_mode="r")
    weights = np.linspace(1.0, 2.0, 50)
    weights.setflags(write=False)
    reg = GDLinearRegressor(precompute=precompute)
    reg.fit(X_map, y_map, sample_weight=weights)
    reference = LinearRegression().fit(X, y, sample_weight=weights)
    assert_allclose(reg.coef_, reference.coef_, rtol=1e-8)


@pytest.mark.parametrize("precompute", [True, False])
def test_non_contiguous_slices_match_copies(precompute):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 8))
    y = X @ np.arange(8.0) + rng.normal(size=200)
    X_view, y_view = X[::2, ::2], y[::2]
    weights = np.linspace(1.0, 2.0, 200)[::2]
    reg = GDLinearRegressor(precompute=precompute)
    reg.fit(X_view, y_view, sample_weight=weights)
    copy = GDLinearRegressor(precompute=precompute)
    copy.fit(X_view.copy(), y_view.copy(), sample_weight=weights.copy())
    assert_allclose(reg.coef_, copy.coef_, rtol=1e-10)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("solver", ["nesterov", "gd"])
@pytest.mark.parametrize("precompute", [True, False])
def test_inputs_unchanged(fit_intercept, solver, precompute):
    X, y = make_data(noise=0.5)
    Y = np.column_stack([y, 2.0 * y])
    weights = np.linspace(0.5, 2.0, 50)
    coef_init = np.ones((2, 3))
    intercept_init = np.ones(2)
    arrays = (X, Y, weights, coef_init, intercept_init)
    copies = [a.copy() for a in arrays]
    reg = GDLinearRegressor(
        fit_intercept=fit_intercept, solver=solver, precompute=precompute, max_iter=5
    )
    fit_quietly(
        reg,
        X,
        Y,
        sample_weight=weights,
        coef_init=coef_init,
        intercept_init=intercept_init,
    )
    for array, copy in zip(arrays, copies):
        assert_array_equal(array, copy)


# predict and score.


def test_predict_wrong_feature_count_named():
    X, y = make_data()
    reg = GDLinearRegressor().fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but .* expecting 3"):
        reg.predict(X[:, :2])


@pytest.mark.parametrize("method", ["predict", "score"])
def test_unfitted_use_rejected(method):
    X, y = make_data()
    args = (X,) if method == "predict" else (X, y)
    with pytest.raises(NotFittedError, match="not fitted"):
        getattr(GDLinearRegressor(), method)(*args)


def test_predict_non_finite_rejected():
    X, y = make_data()
    reg = GDLinearRegressor().fit(X, y)
    with pytest.raises(ValueError, match="X contains NaN"):
        reg.predict(np.full((1, 3), np.nan))


def test_predict_overflow_not_inf():
    X, y = make_data()
    reg = GDLinearRegressor().fit(X, y)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            predictions = reg.predict(np.full((1, 3), 1e308))
    except ValueError:
        return
    assert np.all(np.isfinite(predictions))


def test_score_with_sample_weight_matches_r2():
    X, y = make_data(noise=1.0)
    weights = np.arange(50.0)
    reg = GDLinearRegressor().fit(X[:, :2], y)
    expected = r2_score(y, reg.predict(X[:, :2]), sample_weight=weights)
    assert reg.score(X[:, :2], y, sample_weight=weights) == pytest.approx(expected)


# loss_curve_.


def test_loss_curve_exact_on_good_fit():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    y = X @ [1e4, 2e4, 3e4] + rng.normal(scale=1e-4, size=50)
    reg = GDLinearRegressor(precompute=True).fit(X, y)
    assert reg.loss_curve_[-1] == pytest.approx(ssr(reg, X, y), rel=1e-3)


# load_galton.


@pytest.mark.parametrize(
    "features, message",
    [
        ("father", "'features' parameter"),
        (np.array(["father"]), "'features' parameter"),
        (["Father"], r"unknown column names \['Father'\]"),
        (["gender"], r"unknown column names \['gender'\]"),
        ([None], r"unknown column names \[None\]"),
        (["father", "father"], r"repeats \['father'\]"),
        ([], "features is empty"),
    ],
    ids=["str", "ndarray", "case", "gender", "None", "repeated", "empty"],
)
def test_load_galton_bad_features_named(features, message):
    with pytest.raises(ValueError, match=message):
        load_galton(features=features)


def test_load_galton_returns_fresh_arrays():
    first = load_galton()
    first.data[0, 0] = -1.0
    assert load_galton().data[0, 0] == 75.43


def test_load_galton_keeps_caller_list():
    features = ["father", "mother"]
    load_galton(features=features).feature_names.append("extra")
    assert features == ["father", "mother"]


# The sklearn-gd command on malformed files.


def write_text(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return str(path)


GOOD_CSV = "x,y\n1,2\n2,4.1\n3,5.9\n"


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff" + GOOD_CSV,
        'x,y\n"1","2"\n"2","4.1"\n"3","5.9"\n',
        GOOD_CSV.replace("\n", "\r\n"),
        " x , y \n1,2\n2,4.1\n3,5.9\n",
        GOOD_CSV + "\n\n",
    ],
    ids=["BOM", "quoted numbers", "CRLF", "spaced header", "trailing blank lines"],
)
def test_cli_fit_tolerates_formatting(tmp_path, capsys, text):
    path = write_text(tmp_path / "data.csv", text)
    status = main(["fit", path, "--target", "y"])
    out = capsys.readouterr().out
    assert status == 0
    assert "x    1.95" in out


CLI_ERROR_CASES = [
    ("x,y\n1,2\n2,4,5\n3,6\n", [], "line 3 of .*: expected 2 values"),
    ("\n\n", [], "is empty"),
    ("x,x,y\n1,1,2\n2,2,4\n", [], "column 'x' .* appears 2 times"),
    ("x,y,y\n1,2,2\n2,4,4\n", [], "column 'y' .* appears 2 times"),
    ("x;y\n1;2\n2;4\n", [], r"column 'y' \(--target\) is not in"),
    (GOOD_CSV, ["--features", "x", "y"], "--features includes the target"),
    ("x,y\n1,2\n2,\n", ["--features", "x"], "line 3 of .* has an empty value"),
    ("y\n1\n2\n", [], "no numeric column besides the target 'y'"),
]


@pytest.mark.parametrize(
    "text, extra, message",
    CLI_ERROR_CASES,
    ids=[
        "long row",
        "blank lines",
        "duplicate feature",
        "duplicate target",
        "semicolons",
        "target in features",
        "empty cell",
        "target only",
    ],
)
def test_cli_malformed_csv_one_line(tmp_path, capsys, text, extra, message):
    path = write_text(tmp_path / "data.csv", text)
    status = main(["fit", path, "--target", "y", *extra])
    err = capsys.readouterr().err
    assert status == 1
    assert len(err.strip().splitlines()) == 1
    assert re.search(message, err)


def test_cli_fit_non_utf8_named(tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_bytes(b"x,y\n1,2\n2,\xe9\n")
    status = main(["fit", str(path), "--target", "y"])
    assert status == 1
    assert "is not UTF-8 text" in capsys.readouterr().err


@pytest.mark.parametrize(
    "cell, hint",
    [
        ("nan", "Remove the rows"),
        ("NaN", "Remove the rows"),
        ("inf", "Remove the rows"),
        ("-Infinity", "Remove the rows"),
        ("1e400", "Rescale the column"),
    ],
)
def test_cli_non_finite_cell_named(tmp_path, capsys, cell, hint):
    path = write_text(tmp_path / "data.csv", f"x,y\n1,2\n{cell},4.1\n3,5.9\n")
    status = main(["fit", path, "--target", "y"])
    err = capsys.readouterr().err
    assert status == 1
    assert len(err.strip().splitlines()) == 1
    assert "column 'x'" in err
    assert "line 3" in err
    assert repr(cell) in err
    assert hint in err


def test_cli_huge_values_message_names_fix(tmp_path, capsys):
    # Squares of 1e200 overflow float64. The command either fits anyway or fails
    # with one line that names the fix (rescale), and never with a traceback.
    text = "x,y\n1e200,2\n2e200,4.1\n3e200,5.9\n"
    path = write_text(tmp_path / "data.csv", text)
    status = main(["fit", path, "--target", "y"])
    err = capsys.readouterr().err
    if status == 0:
        assert err == ""
    else:
        assert status == 1
        assert len(err.strip().splitlines()) == 1
        assert re.search("rescale|too large", err, flags=re.IGNORECASE)


def test_cli_one_row_no_nan(tmp_path, capsys):
    path = write_text(tmp_path / "data.csv", "x,y\n1,2\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status = main(["fit", path, "--target", "y"])
    out, err = capsys.readouterr()
    r2_line = next(line for line in out.splitlines() if line.startswith("R^2"))
    assert status == 0
    assert "undefined" in r2_line
    assert "nan" not in r2_line
    assert caught == []
    assert err == ""


def test_cli_unclosed_quote_rejected(tmp_path, capsys):
    # Without strict parsing the quote takes the rest of the file as one cell,
    # '5.9\n', which float() accepts.
    path = write_text(tmp_path / "data.csv", 'x,y\n1,2\n2,4.1\n3,"5.9\n')
    status = main(["fit", path, "--target", "y"])
    err = capsys.readouterr().err
    assert status == 1
    assert len(err.strip().splitlines()) == 1
    assert "line 4 of" in err
    assert "closing quote" in err


@pytest.fixture
def saved_model(tmp_path, capsys):
    data = write_text(tmp_path / "data.csv", GOOD_CSV)
    model = tmp_path / "model.joblib"
    assert main(["fit", data, "--target", "y", "--save", str(model)]) == 0
    capsys.readouterr()
    return model, data


def test_cli_predict_truncated_model(saved_model, tmp_path, capsys):
    model, data = saved_model
    truncated = tmp_path / "truncated.joblib"
    truncated.write_bytes(model.read_bytes()[:100])
    status = main(["predict", str(truncated), data])
    err = capsys.readouterr().err
    assert status == 1
    assert "cannot load" in err
    assert "fit --save" in err


def test_cli_predict_random_bytes_model(saved_model, tmp_path, capsys):
    _, data = saved_model
    garbage = tmp_path / "garbage.joblib"
    garbage.write_bytes(np.random.default_rng(0).bytes(2048))
    status = main(["predict", str(garbage), data])
    assert status == 1
    assert "cannot load" in capsys.readouterr().err


def test_cli_predict_wrong_estimator_type(saved_model, tmp_path, capsys):
    _, data = saved_model
    fake = tmp_path / "fake.joblib"
    joblib.dump(
        {"estimator": "not a model", "feature_names": ["x"], "target_name": "y"}, fake
    )
    status = main(["predict", str(fake), data])
    err = capsys.readouterr().err
    assert status == 1
    assert len(err.strip().splitlines()) == 1
    assert f"{fake} is not a model saved by 'sklearn-gd fit --save'" in err


@pytest.mark.parametrize("name", ["missing/out.csv", "."])
def test_cli_predict_unwritable_output(saved_model, tmp_path, capsys, name):
    model, data = saved_model
    status = main(["predict", str(model), data, "--output", str(tmp_path / name)])
    err = capsys.readouterr().err
    assert status == 1
    assert "cannot write" in err


class FullStream:
    """A text stream whose writes fail as on a full disk."""

    def write(self, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self):
        pass


def test_cli_predict_stdout_write_error(saved_model, monkeypatch, capsys):
    model, data = saved_model
    monkeypatch.setattr("sys.stdout", FullStream())
    status = main(["predict", str(model), data])
    err = capsys.readouterr().err
    assert status == 1
    assert len(err.strip().splitlines()) == 1
    assert "cannot write to standard output: No space left on device" in err


def test_cli_save_to_missing_folder(tmp_path, capsys):
    data = write_text(tmp_path / "data.csv", GOOD_CSV)
    target = tmp_path / "missing" / "model.joblib"
    status = main(["fit", data, "--target", "y", "--save", str(target)])
    err = capsys.readouterr().err
    assert status == 1
    assert "cannot write the model" in err
