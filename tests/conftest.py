from pathlib import Path

import numpy as np
import pytest

GALTON_CSV = (
    Path(__file__).resolve().parents[1]
    / "sklearn_gd"
    / "datasets"
    / "data"
    / "galton_families.csv"
)


@pytest.fixture
def galton():
    """Galton's data: midparent height (inches) as X, child height as y."""
    header = GALTON_CSV.read_text().splitlines()[0].split(",")
    columns = [header.index("midparentHeight"), header.index("childHeight")]
    table = np.loadtxt(GALTON_CSV, delimiter=",", skiprows=1, usecols=columns)
    return table[:, :1], table[:, 1]
