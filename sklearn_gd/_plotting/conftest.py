"""Doctest setup for the plotting modules: Agg backend, figures closed after each.

The docstring examples draw figures, so they are not collected when matplotlib
is missing.
"""

import pytest

try:
    import matplotlib
except ImportError:
    collect_ignore_glob = ["*.py"]
else:
    matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
