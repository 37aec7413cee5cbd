"""Plots of a gradient-descent fit: loss curve, descent path and fitted lines.

matplotlib is imported only when a plot is drawn, so the package imports without
it; install it with ``pip install "sklearn-gd[plot]"``.
"""

from ._descent_path import DescentPathDisplay
from ._fitted_lines import FittedLinesDisplay
from ._loss_curve import LossCurveDisplay
from ._save import save_descent_plots

__all__ = [
    "DescentPathDisplay",
    "FittedLinesDisplay",
    "LossCurveDisplay",
    "save_descent_plots",
]
