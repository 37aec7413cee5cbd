"""Gradient-descent linear regression for scikit-learn, exact on raw data."""

from ._estimator import GDLinearRegressor
from ._plotting import (
    DescentPathDisplay,
    FittedLinesDisplay,
    LossCurveDisplay,
    save_descent_plots,
)

__version__ = "0.1.0"

__all__ = [
    "DescentPathDisplay",
    "FittedLinesDisplay",
    "GDLinearRegressor",
    "LossCurveDisplay",
    "__version__",
    "save_descent_plots",
]
