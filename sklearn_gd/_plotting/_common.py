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


def check_feature_names(estimator, feature_names, n_features):
    """Return the feature names to draw, as a list of str, or None if unknown.

    ``feature_names`` takes precedence over the estimator's ``feature_names_in_``,
    which a fit on a pandas DataFrame stores.
    """
    if feature_names is None:
        feature_names = getattr(estimator, "feature_names_in_", None)
        if feature_names is None:
            return None
    if isinstance(feature_names, str):
        raise ValueError(
            f"feature_names must be a list of {n_features} names, got the string "
            f"{feature_names!r}. Wrap a single name in a list."
        )
    names = [str(name) for name in feature_names]
    if len(names) != n_features:
        raise ValueError(
            f"feature_names has {len(names)} entries, but X has {n_features} "
            "features. Pass one name per column of X."
        )
    return names


def feature_name(feature_names, index):
    """Return the name of feature ``index``, or ``"feature {index}"``."""
    if feature_names is not None:
        return feature_names[index]
    return f"feature {index}"


def weighted_ssr(X, y, sample_weight, coef, intercept):
    """Return the weighted sum of squared residuals of ``X @ coef + intercept``."""
    residual = X @ coef + intercept - y
    return float(residual @ (sample_weight * residual))


def initial_ssr(estimator, X, y, sample_weight=None):
    """Return the SSR at the recorded starting point (epoch 0) of a fit."""
    coef_path, intercept_path, _ = get_recorded_path(estimator)
    X, y, sample_weight = validate_data(estimator, X, y, sample_weight)
    return weighted_ssr(X, y, sample_weight, coef_path[0], intercept_path[0])


def largest_effect_feature(coef, X, sample_weight):
    """Return the index of the feature with the largest ``|coef_j| * std(x_j)``.

    The product is the change of the prediction for a change of one standard
    deviation (weighted by ``sample_weight``) in feature ``j``, so it ranks
    features by effect whatever their units. Ties go to the lowest index.
    ``X`` and ``sample_weight`` are arrays checked by :func:`validate_data`.
    """
    if sample_weight.sum() > 0:
        means = np.average(X, axis=0, weights=sample_weight)
        variances = np.average((X - means) ** 2, axis=0, weights=sample_weight)
    else:
        variances = X.var(axis=0)
    effect = np.abs(np.asarray(coef, dtype=np.float64)) * np.sqrt(variances)
    return int(np.argmax(effect))


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


def format_number(value, digits=7):
    """Return ``value`` with ``digits`` significant digits and thousands separators.

    Numbers from 0.001 up to 1e15 are written in plain decimals with trailing
    zeros dropped, such as ``10,721.47`` or ``1,263,986``, because scientific
    notation hides the digits that differ between nearby SSRs. Others are
    written like ``1.5e-07``.
    """
    value = float(value)
    magnitude = abs(value)
    if not 1e-3 <= magnitude < 1e15:
        return "0" if magnitude == 0 else f"{value:.{digits - 1}g}"
    decimals = max(0, digits - 1 - int(np.floor(np.log10(magnitude))))
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
