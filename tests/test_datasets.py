"""The bundled Galton data set against its published reference values."""

import csv
import hashlib
import sys
from importlib import resources

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import LinearRegression
from sklearn.utils import Bunch

from sklearn_gd import GDLinearRegressor
from sklearn_gd.datasets import load_galton

GALTON_SHA256 = "16fd95992b461a5fa808809d68d4481e957b8e2d2dc641ac80a42310b42a1c1c"

# scikit-learn 1.9.1 LinearRegression on X = midparentHeight, y = childHeight.
REFERENCE_SLOPE = 0.6373609
REFERENCE_INTERCEPT = 22.63624
REFERENCE_R2 = 0.1030088
REFERENCE_SSR_AT_3_1 = 18_827_511.36

ALL_FEATURES = ["father", "mother", "midparentHeight", "children", "childNum", "male"]


def galton_path():
    bunch = load_galton()
    return resources.files(bunch.data_module).joinpath(bunch.filename)


def read_csv_rows():
    with galton_path().open("r", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_load_galton_returns_bunch():
    assert isinstance(load_galton(), Bunch)


def test_load_galton_shapes():
    galton = load_galton()
    assert galton.data.shape == (934, 1)
    assert galton.target.shape == (934,)


def test_load_galton_dtypes():
    galton = load_galton()
    assert galton.data.dtype == np.float64
    assert galton.target.dtype == np.float64


def test_load_galton_names():
    galton = load_galton()
    assert galton.feature_names == ["midparentHeight"]
    assert galton.target_names == ["childHeight"]


def test_load_galton_first_row():
    galton = load_galton()
    assert galton.data[0, 0] == 75.43
    assert galton.target[0] == 73.2


def test_load_galton_frame_is_none_by_default():
    assert load_galton().frame is None


def test_load_galton_descr_content():
    descr = load_galton().DESCR
    for fact in ["Galton", "1886", "934", "205", "inches", "HistData", "Friendly"]:
        assert fact in descr
    assert "136A" in descr
    assert "(father + 1.08 * mother) / 2" in descr
    assert "public domain" in descr.lower()


@pytest.mark.parametrize(
    "column",
    [
        "family",
        "father",
        "mother",
        "midparentHeight",
        "children",
        "childNum",
        "gender",
        "childHeight",
    ],
)
def test_load_galton_descr_lists_column(column):
    assert column in load_galton().DESCR


def test_load_galton_file_checksum():
    digest = hashlib.sha256(galton_path().read_bytes()).hexdigest()
    assert digest == GALTON_SHA256


def test_csv_family_count():
    families = {row["family"] for row in read_csv_rows()}
    assert len(families) == 205
    assert "136A" in families


def test_return_X_y_matches_bunch():
    galton = load_galton()
    X, y = load_galton(return_X_y=True)
    assert_array_equal(X, galton.data)
    assert_array_equal(y, galton.target)


def test_features_select_columns_in_order():
    galton = load_galton(features=["mother", "father"])
    rows = read_csv_rows()
    assert galton.feature_names == ["mother", "father"]
    assert_array_equal(galton.data[:, 0], [float(row["mother"]) for row in rows])
    assert_array_equal(galton.data[:, 1], [float(row["father"]) for row in rows])


def test_features_all_shape():
    X, _ = load_galton(features=ALL_FEATURES, return_X_y=True)
    assert X.shape == (934, 6)


def test_male_column_codes_gender():
    X, _ = load_galton(features=["male"], return_X_y=True)
    genders = [row["gender"] for row in read_csv_rows()]
    assert set(np.unique(X)) == {0.0, 1.0}
    assert_array_equal(X[:, 0] == 1.0, np.array(genders) == "male")


def test_midparent_height_formula():
    X, _ = load_galton(
        features=["father", "mother", "midparentHeight"], return_X_y=True
    )
    assert_allclose(X[:, 2], (X[:, 0] + 1.08 * X[:, 1]) / 2, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "features, message",
    [
        ([], "features is empty"),
        (["height"], "unknown column names"),
        (["gender"], "unknown column names"),
        (["father", "father"], "repeats"),
    ],
)
def test_features_invalid_raise(features, message):
    with pytest.raises(ValueError, match=message):
        load_galton(features=features)


def test_as_frame_types():
    pd = pytest.importorskip("pandas")
    galton = load_galton(as_frame=True)
    assert isinstance(galton.data, pd.DataFrame)
    assert isinstance(galton.target, pd.Series)
    assert isinstance(galton.frame, pd.DataFrame)


def test_as_frame_columns():
    pytest.importorskip("pandas")
    galton = load_galton(as_frame=True)
    assert list(galton.frame.columns) == ["midparentHeight", "childHeight"]
    assert list(galton.data.columns) == ["midparentHeight"]
    assert galton.target.name == "childHeight"


def test_as_frame_values_match_arrays():
    pytest.importorskip("pandas")
    X, y = load_galton(as_frame=True, return_X_y=True)
    X_array, y_array = load_galton(return_X_y=True)
    assert_array_equal(X.to_numpy(), X_array)
    assert_array_equal(y.to_numpy(), y_array)


def test_as_frame_without_pandas(monkeypatch):
    # A None entry in sys.modules makes `import pandas` raise ImportError.
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        load_galton(as_frame=True)


def test_reference_values_linear_regression():
    X, y = load_galton(return_X_y=True)
    reference = LinearRegression().fit(X, y)
    assert_allclose(reference.coef_[0], REFERENCE_SLOPE, rtol=1e-6)
    assert_allclose(reference.intercept_, REFERENCE_INTERCEPT, rtol=1e-6)
    assert_allclose(reference.score(X, y), REFERENCE_R2, rtol=1e-6)


def test_reference_ssr_at_start_point():
    X, y = load_galton(return_X_y=True)
    residuals = 3.0 * X[:, 0] + 1.0 - y
    assert_allclose(residuals @ residuals, REFERENCE_SSR_AT_3_1, rtol=1e-9)


def test_reference_values_estimator():
    X, y = load_galton(return_X_y=True)
    reg = GDLinearRegressor().fit(X, y)
    assert_allclose(reg.coef_[0], REFERENCE_SLOPE, rtol=1e-6)
    assert_allclose(reg.intercept_, REFERENCE_INTERCEPT, rtol=1e-6)
    assert_allclose(reg.score(X, y), REFERENCE_R2, rtol=1e-6)


def test_estimator_matches_linear_regression():
    X, y = load_galton(return_X_y=True)
    reg = GDLinearRegressor().fit(X, y)
    reference = LinearRegression().fit(X, y)
    assert_allclose(reg.coef_, reference.coef_, rtol=1e-6)
    assert_allclose(reg.intercept_, reference.intercept_, rtol=1e-6)
