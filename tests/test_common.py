"""scikit-learn's common estimator checks, with no expected failures."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_gd import GDLinearRegressor


@parametrize_with_checks(
    [
        GDLinearRegressor(),
        # The textbook loop: raw (w, b), fixed step 1/L, no momentum.
        GDLinearRegressor(solver="gd"),
    ]
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
