import pytest

from sklearn_gd.datasets import load_galton


@pytest.fixture
def galton():
    """Galton's data: midparent height (inches) as X, child height as y."""
    return load_galton(return_X_y=True)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: a test of up to a minute that CI runs; -m 'not slow' skips it"
    )
