"""Time GDLinearRegressor against dask-ml's LinearRegression on a dask array.

X has 4,000,000 rows and 20 float64 columns (640 MB) in chunks of 250,000 rows,
with columns on different scales and offsets, and y is linear in X plus noise.
Both are persisted in memory before any timing. Each estimator is fitted on the
threaded scheduler and on a 2-worker ``dask.distributed.LocalCluster``, and the
table shows the fit time, its ratio to sklearn-gd's default (Gram) fit, and the
relative error ``||coef - coef_exact|| / ||coef_exact||`` against
``numpy.linalg.lstsq`` on the same data.

dask-ml is not a dependency of sklearn-gd; install it for this script only::

    pip install dask-ml
    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_dask.py

sklearn-gd runs with its defaults (Gram matrix, ``tol=1e-10``), with
``tol=1e-12``, which stops near the rounding floor, and with ``precompute=False``
(one pass over X per epoch). dask-ml runs with its defaults (``max_iter=100``,
``tol=1e-4``) except for the penalty: its default L2 penalty with ``C=1`` biases
the coefficients, so ``lbfgs`` also runs with ``penalty=None`` and ``admm``, which
needs a penalty, with ``C=1e12``. ``gradient_descent`` takes no penalty.
"""

import argparse
import logging
import platform
import sys
import time
import warnings

import dask
import dask.array as da
import distributed
import numpy as np
import sklearn

import sklearn_gd
from sklearn_gd import GDLinearRegressor

N_SAMPLES = 4_000_000
N_FEATURES = 20
CHUNK_ROWS = 250_000

# (label, solver, extra parameters) of dask-ml's LinearRegression.
DASK_ML_SOLVERS = [
    ("gradient_descent", "gradient_descent", {}),
    ("admm, C=1e12", "admm", {"C": 1e12}),
    ("lbfgs, no penalty", "lbfgs", {"penalty": None}),
    ("lbfgs, defaults", "lbfgs", {}),
]


def make_data(n_samples, seed=0):
    """Return lazy X and y; the same seed gives the same values."""
    rng = np.random.default_rng(seed)
    scales = 10.0 ** rng.uniform(-1, 1, size=N_FEATURES)
    offsets = rng.uniform(-10, 10, size=N_FEATURES)
    coef = rng.normal(size=N_FEATURES)
    random = da.random.default_rng(seed)
    Z = random.normal(size=(n_samples, N_FEATURES), chunks=(CHUNK_ROWS, N_FEATURES))
    X = Z * scales + offsets
    noise = random.normal(size=n_samples, chunks=CHUNK_ROWS)
    y = X @ coef + 3.0 + noise
    return X, y


def exact_coef(X, y, centre=False):
    """Return the least-squares coefficients of y on [X, 1] by lstsq.

    With ``centre=True`` the columns of X are centred first, which gives the same
    coefficients with the near-collinearity of offset columns and the column of
    ones removed, so that the rounding error of lstsq itself is smaller.
    """
    if centre:
        X = X - X.mean(axis=0)
    X1 = np.column_stack([X, np.ones(X.shape[0])])
    solution, *_ = np.linalg.lstsq(X1, y, rcond=None)
    return solution[:-1]


def fit_time(make_estimator, X, y, repeats):
    """Return the best fit time over ``repeats`` fits and the last coefficients."""
    best = np.inf
    for _ in range(repeats):
        estimator = make_estimator()
        start = time.perf_counter()
        estimator.fit(X, y)
        best = min(best, time.perf_counter() - start)
    return best, np.asarray(estimator.coef_)


def candidates():
    """Yield (name, factory, repeats) for every estimator in the table."""
    yield "sklearn-gd (Gram)", GDLinearRegressor, 3
    yield "sklearn-gd (Gram, tol=1e-12)", lambda: GDLinearRegressor(tol=1e-12), 3
    yield "sklearn-gd (streaming)", lambda: GDLinearRegressor(precompute=False), 1
    try:
        from dask_ml.linear_model import LinearRegression
    except ImportError as error:
        print(f"dask-ml is not importable ({error}); its rows are left out.")
        return
    for label, solver, params in DASK_ML_SOLVERS:
        yield (
            f"dask-ml {label}",
            lambda solver=solver, params=params: LinearRegression(
                solver=solver, **params
            ),
            1,
        )


def run(scheduler_name, X, y, reference):
    rows = []
    for name, factory, repeats in candidates():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                seconds, coef = fit_time(factory, X, y, repeats)
        except Exception as error:  # report a solver that fails, run the rest
            print(f"{scheduler_name}: {name} failed: {type(error).__name__}: {error}")
            continue
        error = np.linalg.norm(coef - reference) / np.linalg.norm(reference)
        rows.append((name, seconds, error))

    ours_time, ours_error = rows[0][1], rows[0][2]
    print(f"\n{scheduler_name}")
    print(
        f"| {'estimator':<28} | {'fit time (s)':>12} | {'time / ours':>11} "
        f"| {'coef rel. error':>15} | {'error / ours':>12} |"
    )
    print(f"|{'-' * 30}|{'-' * 13}:|{'-' * 12}:|{'-' * 16}:|{'-' * 13}:|")
    for name, seconds, error in rows:
        print(
            f"| {name:<28} | {seconds:>12.3f} | {seconds / ours_time:>11.1f} "
            f"| {error:>15.2e} | {error / ours_error:>12.3g} |"
        )


def print_versions():
    import zarr

    try:
        import dask_ml

        dask_ml_version = dask_ml.__version__
    except ImportError:
        dask_ml_version = "not installed"
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, dask {dask.__version__}, "
        f"distributed {distributed.__version__}, zarr {zarr.__version__}, "
        f"dask-ml {dask_ml_version}, sklearn-gd {sklearn_gd.__version__}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n-samples",
        type=int,
        default=N_SAMPLES,
        help=f"number of rows of X (default {N_SAMPLES})",
    )
    n_samples = parser.parse_args().n_samples
    print_versions()
    print(
        f"X: {n_samples} x {N_FEATURES} float64 in chunks of {CHUNK_ROWS} rows; "
        f"{sys.platform}"
    )

    with dask.config.set(scheduler="threads"):
        X, y = make_data(n_samples)
        X, y = dask.persist(X, y)
        X_numpy, y_numpy = dask.compute(X, y)
        reference = exact_coef(X_numpy, y_numpy)
        centred_reference = exact_coef(X_numpy, y_numpy, centre=True)
        difference = np.linalg.norm(reference - centred_reference)
        print(
            "lstsq on [X, 1] and on [X - mean, 1] differ by "
            f"{difference / np.linalg.norm(reference):.1e} relative"
        )
        checksum = float(X_numpy.sum())
        del X_numpy, y_numpy
        run("threaded scheduler", X, y, reference)

    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            # Heartbeats that race the shutdown would log errors after the table.
            silence_logs=logging.CRITICAL,
        ) as cluster,
        distributed.Client(cluster),
    ):
        X, y = make_data(n_samples)
        X, y = dask.persist(X, y)
        distributed.wait([X, y])
        # The cluster draws the same values from the same seed.
        assert float(X.sum().compute()) == checksum
        run("dask.distributed, 2 workers x 1 thread", X, y, reference)


if __name__ == "__main__":
    main()
