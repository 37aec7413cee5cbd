"""Gradient-descent linear regression for scikit-learn, exact on raw data."""

from ._estimator import GDLinearRegressor

__version__ = "0.1.0"

__all__ = ["GDLinearRegressor", "__version__"]
