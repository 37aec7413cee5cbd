"""Input checks and helpers shared by the displays."""

import numpy as np
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
)

INSTALL_HINT = 'pip install "sklearn-gd[plot]"'


def check_matplotlib_support(caller_name):
    """Raise an ImportError naming the install command if matplotlib is missing.

    Parameters
    ----------
    caller_name : str
        Name of the function or method that needs matplotlib.
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"{caller_name} requires matplotlib, which is not installed. "
            f"Install it with: {INSTALL_HINT}"
        ) from exc


def get_recorded_path(estimator):
    """Return the recorded descent path of a fitted single-target estimator.

    Returns
    -------
    coef_path : ndarray of shape (n_records, n_features)
    intercept_path : ndarray of shape (n_records,)
    path_epochs : ndarray of shape (n_records,)
    """
    check_is_fitted(estimator)
    if not hasattr(estimator, "coef_path_"):
        raise ValueError(
            f"{type(estimator).__name__} has no recorded descent path (coef_path_) "
            "because it was fitted with record_every=None. Refit it with "
            "record_every set, for example record_every=1 to keep every epoch."
        )
    coef_path = np.asarray(estimator.coef_path_, dtype=np.float64)
    if coef_path.ndim != 2:
        raise ValueError(
            f"coef_path_ has shape {coef_path.shape} because the estimator was "
            "fitted on several targets. The descent plots draw single-target fits, "
            "so fit one estimator per target column of y."
        )
    intercept_path = np.asarray(estimator.intercept_path_, dtype=np.float64)
    path_epochs = np.asarray(estimator.path_epochs_)
    return coef_path, intercept_path.reshape(-1), path_epochs


def validate_data(estimator, X, y, sample_weight):
    """Return X, y and sample_weight as float64 arrays checked against the fit."""
    X = check_array(X, dtype=np.float64)
    n_features = getattr(estimator, "n_features_in_", X.shape[1])
    if X.shape[1] != n_features:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(estimator).__name__} was "
            f"fitted with {n_features} features."
        )
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 2 and y.shape[1] != 1:
        raise ValueError(
            f"y has shape {y.shape}, but the descent plots draw single-target "
            "fits. Pass one target column."
        )
    y = column_or_1d(y)
    check_consistent_length(X, y)
    sample_weight = _check_sample_weight(
        sample_weight, X, dtype=np.float64, ensure_non_negative=True
    )
    return X, y, sample_weight


def feature_name(estimator, index):
    """Return the name of feature ``index``, or ``"feature {index}"``."""
    names = getattr(estimator, "feature_names_in_", None)
    if names is not None:
        return str(names[index])
    return f"feature {index}"


def check_feature_index(index, n_features, parameter):
    """Return ``index`` as an int in ``range(n_features)``, or raise ValueError."""
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise ValueError(
            f"{parameter} must be an integer feature index, got {index!r}."
        )
    if not -n_features <= index < n_features:
        raise ValueError(
            f"{parameter}={index} is out of range for {n_features} features. Use "
            f"an index from 0 to {n_features - 1}."
        )
    return int(index) % n_features
