"""Loader for Galton's family height records."""

import csv
from importlib import resources

import numpy as np
from sklearn.utils import Bunch
from sklearn.utils._param_validation import validate_params

DATA_MODULE = "sklearn_gd.datasets"
GALTON_FILENAME = "data/galton_families.csv"
GALTON_DESCR = "descr/galton.rst"

# Columns that ``load_galton(features=...)`` accepts, in the order of the file.
# ``male`` is the 0/1 coding of the ``gender`` column.
GALTON_FEATURES = (
    "father",
    "mother",
    "midparentHeight",
    "children",
    "childNum",
    "male",
)
GALTON_TARGET = "childHeight"


@validate_params(
    {
        "features": [list, tuple, None],
        "return_X_y": ["boolean"],
        "as_frame": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_galton(*, features=None, return_X_y=False, as_frame=False):
    """Load and return Galton's family heights dataset (regression).

    Francis Galton's 1886 records of the adult heights of 934 children of 205
    families and of their parents, in inches. By default the data is the classic
    one-feature regression: the mid-parent height predicts the child's height.

    ==============   ==============================
    Samples total    934
    Dimensionality   1 by default, up to 6
    Features         real, positive
    Targets          real, 56.0 - 79.0 (inches)
    ==============   ==============================

    Parameters
    ----------
    features : list of str, default=None
        Columns to return as features, in the given order. None returns
        ``["midparentHeight"]``. Valid names are ``"father"``, ``"mother"``,
        ``"midparentHeight"``, ``"children"``, ``"childNum"`` and ``"male"`` (1 for
        a son, 0 for a daughter, from the ``gender`` column). ``midparentHeight``
        is ``(father + 1.08 * mother) / 2``, so requesting it together with both
        parents' heights gives a rank-deficient matrix.

    return_X_y : bool, default=False
        If True, returns ``(data, target)`` instead of a Bunch object.

    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame, ``target`` a pandas Series and
        ``frame`` a DataFrame with both. Requires pandas.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : {ndarray, DataFrame} of shape (934, n_features)
            The feature matrix, float64.
        target : {ndarray, Series} of shape (934,)
            The child's adult height in inches.
        feature_names : list of str
            The names of the columns of ``data``.
        target_names : list of str
            ``["childHeight"]``.
        frame : DataFrame of shape (934, n_features + 1) or None
            ``data`` and ``target`` together when ``as_frame=True``, else None.
        DESCR : str
            The full description of the dataset.
        filename : str
            Path of the CSV file relative to ``data_module``.
        data_module : str
            The package that contains the CSV file, for
            :func:`importlib.resources.files`.

    (data, target) : tuple if ``return_X_y`` is True
        The feature matrix of shape (934, n_features) and the target of shape
        (934,), as pandas objects when ``as_frame=True``.

    Raises
    ------
    ValueError
        If ``features`` is empty, repeats a name or contains an unknown name.

    ImportError
        If ``as_frame=True`` and pandas is not installed.

    Examples
    --------
    >>> from sklearn_gd.datasets import load_galton
    >>> galton = load_galton()
    >>> galton.data.shape
    (934, 1)
    >>> galton.feature_names
    ['midparentHeight']
    >>> galton.target[:3]
    array([73.2, 69.2, 69. ])
    """
    feature_names = _check_features(features)
    columns = _read_galton_columns()
    data = np.column_stack([columns[name] for name in feature_names])
    target = columns[GALTON_TARGET]
    target_names = [GALTON_TARGET]

    frame = None
    if as_frame:
        frame, data, target = _to_frame(data, target, feature_names, target_names)

    if return_X_y:
        return data, target

    return Bunch(
        data=data,
        target=target,
        frame=frame,
        feature_names=feature_names,
        target_names=target_names,
        DESCR=_read_descr(),
        filename=GALTON_FILENAME,
        data_module=DATA_MODULE,
    )


def _check_features(features):
    """Return the requested feature names as a new list, or raise ValueError."""
    if features is None:
        return ["midparentHeight"]

    names = list(features)
    if not names:
        raise ValueError(
            "features is empty. Pass at least one of "
            f"{', '.join(GALTON_FEATURES)}, or None for midparentHeight."
        )
    unknown = [name for name in names if name not in GALTON_FEATURES]
    if unknown:
        raise ValueError(
            f"features contains unknown column names {unknown}. Valid names are "
            f"{', '.join(GALTON_FEATURES)}."
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"features repeats {repeated}. Pass each column at most once.")
    return names


def _read_galton_columns():
    """Read the CSV into a dict of float64 columns, with ``gender`` as ``male``."""
    path = resources.files(DATA_MODULE).joinpath(GALTON_FILENAME)
    with path.open("r", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))

    columns = {
        name: np.array([float(row[name]) for row in rows])
        for name in GALTON_FEATURES + (GALTON_TARGET,)
        if name != "male"
    }
    columns["male"] = np.array([row["gender"] == "male" for row in rows], dtype=float)
    return columns


def _read_descr():
    path = resources.files(DATA_MODULE).joinpath(GALTON_DESCR)
    return path.read_text(encoding="utf-8")


def _to_frame(data, target, feature_names, target_names):
    """Return ``(frame, data, target)`` as pandas objects."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            "load_galton(as_frame=True) requires pandas, which is not installed. "
            "Install it with `pip install pandas`, or use as_frame=False for numpy "
            "arrays."
        ) from exc

    frame = pd.DataFrame(data, columns=feature_names)
    frame[target_names[0]] = target
    return frame, frame[feature_names], frame[target_names[0]]
