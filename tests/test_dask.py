"""dask arrays: the numpy fit, computed chunk by chunk on the threaded scheduler,
on a local dask.distributed cluster and out of core from a zarr store."""

import os
import shutil

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sklearn_gd import GDLinearRegressor

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

# Odd row chunks, and the features split over two column chunks.
CHUNKS = (517, 3)


def _problem(n_samples=2003, n_features=5, n_targets=None, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features)) * [1, 10, 0.1, 5, 2] + 20.0
    shape = (n_features,) if n_targets is None else (n_features, n_targets)
    y = X @ rng.normal(size=shape) + 3.0 + rng.normal(size=(n_samples,) + shape[1:])
    weights = rng.uniform(0.0, 3.0, size=n_samples)
    return X, y, weights


def _count_computes(func):
    """Return how many times ``func()`` calls the local dask scheduler."""
    starts = []
    with dask.callbacks.Callback(start=lambda dsk: starts.append(1)):
        func()
    return len(starts)


@pytest.mark.parametrize("precompute", [True, False])
@pytest.mark.parametrize("n_targets", [None, 2])
def test_dask_matches_numpy(precompute, n_targets):
    X, y, weights = _problem(n_targets=n_targets)
    expected = GDLinearRegressor(precompute=precompute).fit(X, y, weights)
    y_chunks = (400,) if n_targets is None else (400, 1)
    reg = GDLinearRegressor(precompute=precompute).fit(
        da.from_array(X, chunks=CHUNKS),
        da.from_array(y, chunks=y_chunks),
        sample_weight=da.from_array(weights, chunks=300),
    )
    assert reg.precompute_ == precompute
    assert isinstance(reg.coef_, np.ndarray)
    np.testing.assert_allclose(reg.coef_, expected.coef_, rtol=1e-10)
    np.testing.assert_allclose(reg.intercept_, expected.intercept_, rtol=1e-10)
    assert reg.n_iter_ == expected.n_iter_


def test_dask_numpy_y_and_no_weights():
    X, y, _ = _problem()
    expected = GDLinearRegressor().fit(X, y)
    reg = GDLinearRegressor().fit(da.from_array(X, chunks=CHUNKS), y)
    np.testing.assert_allclose(reg.coef_, expected.coef_, rtol=1e-10)
    assert reg.n_features_in_ == X.shape[1]


def test_dask_gd_solver_without_intercept():
    X, y, weights = _problem()
    params = dict(solver="gd", fit_intercept=False, max_iter=50)
    with pytest.warns(ConvergenceWarning):
        expected = GDLinearRegressor(**params).fit(X, y, weights)
    with pytest.warns(ConvergenceWarning):
        reg = GDLinearRegressor(**params).fit(
            da.from_array(X, chunks=CHUNKS), y, sample_weight=weights
        )
    np.testing.assert_allclose(reg.coef_, expected.coef_, rtol=1e-10)
    np.testing.assert_allclose(reg.loss_curve_, expected.loss_curve_, rtol=1e-10)


def test_dask_float32_and_integers():
    X, y, _ = _problem()
    X_int = np.rint(X).astype(np.int64)
    expected = GDLinearRegressor().fit(X_int, y)
    reg = GDLinearRegressor().fit(da.from_array(X_int, chunks=CHUNKS), y)
    np.testing.assert_allclose(reg.coef_, expected.coef_, rtol=1e-10)
    reg32 = GDLinearRegressor().fit(da.from_array(X.astype(np.float32)), y)
    assert reg32.coef_.dtype == np.float32


@pytest.mark.parametrize("n_targets", [None, 2])
def test_dask_predict_is_lazy(n_targets):
    X, y, _ = _problem(n_targets=n_targets)
    reg = GDLinearRegressor().fit(X, y)
    X_dask = da.from_array(X, chunks=CHUNKS)
    n_computes = _count_computes(lambda: reg.predict(X_dask))
    assert n_computes == 0
    y_pred = reg.predict(X_dask)
    assert isinstance(y_pred, da.Array)
    assert y_pred.shape == y.shape
    np.testing.assert_allclose(y_pred.compute(), reg.predict(X), rtol=1e-12)
    # Boolean indexing leaves the row chunks of unknown size.
    keep = X[:, 0] > 20.0
    y_kept = reg.predict(X_dask[da.from_array(keep, chunks=CHUNKS[0])])
    np.testing.assert_allclose(y_kept.compute(), reg.predict(X[keep]), rtol=1e-12)


def test_gram_mode_computes_once():
    X, y, _ = _problem()
    X_dask = da.from_array(X, chunks=CHUNKS)
    counts = []
    for max_iter in (3, 30):
        # The textbook loop on this raw X needs far more epochs than max_iter.
        reg = GDLinearRegressor(solver="gd", max_iter=max_iter)
        with pytest.warns(ConvergenceWarning):
            counts.append(_count_computes(lambda: reg.fit(X_dask, y)))
        assert reg.n_iter_ == max_iter
    assert counts == [1, 1]


def test_streaming_mode_computes_once_per_epoch():
    X, y, _ = _problem()
    X_dask = da.from_array(X, chunks=CHUNKS)
    counts = []
    for max_iter in (3, 30):
        reg = GDLinearRegressor(solver="gd", precompute=False, max_iter=max_iter)
        with pytest.warns(ConvergenceWarning):
            counts.append(_count_computes(lambda: reg.fit(X_dask, y)))
    assert counts[1] - counts[0] == 27


def test_dask_partial_fit():
    X, y, weights = _problem()
    expected = GDLinearRegressor().fit(X, y, weights)
    reg = GDLinearRegressor()
    for rows in (slice(0, 1000), slice(1000, None)):
        reg.partial_fit(
            da.from_array(X[rows], chunks=CHUNKS), y[rows], sample_weight=weights[rows]
        )
    np.testing.assert_allclose(reg.coef_, expected.coef_, rtol=1e-8)


@pytest.mark.parametrize(
    "bad, match",
    [
        ("nan_X", r"X contains NaN or infinity in rows 1034 to 1550"),
        ("inf_X_zero_weight", r"X contains NaN or infinity in rows 0 to 516"),
        ("inf_y", r"y contains NaN or infinity in rows 0 to 516"),
        ("nan_weight", r"sample_weight contains NaN or infinity in rows 517"),
        ("negative_weight", r"Negative values in sample_weight in rows 1551"),
    ],
)
def test_dask_invalid_values(bad, match):
    X, y, weights = _problem()
    if bad == "nan_X":
        X[1100, 2] = np.nan
    elif bad == "inf_X_zero_weight":
        X[3, 0] = np.inf
        weights[3] = 0.0
    elif bad == "inf_y":
        y[5] = np.inf
    elif bad == "nan_weight":
        weights[600] = np.nan
    else:
        weights[2000] = -1.0
    with pytest.raises(ValueError, match=match):
        GDLinearRegressor().fit(
            da.from_array(X, chunks=CHUNKS), y, sample_weight=weights
        )


def test_dask_overflow_reported():
    # Finite float32 values whose squares exceed the float32 range.
    X, y, _ = _problem()
    X[::2, 0] = 1e25
    X[1::2, 0] = -1e25
    X = da.from_array(X.astype(np.float32), chunks=CHUNKS)
    with pytest.raises(ValueError, match="rows .* overflow float32"):
        GDLinearRegressor().fit(X, y)


def test_dask_invalid_shapes():
    X, y, _ = _problem()
    X_dask = da.from_array(X, chunks=CHUNKS)
    with pytest.raises(ValueError, match="X has 2003 samples, but y has 2000"):
        GDLinearRegressor().fit(X_dask, y[:2000])
    with pytest.raises(ValueError, match="Expected a 2-D dask array"):
        GDLinearRegressor().fit(X_dask[:, 0], y)
    with pytest.raises(ValueError, match="unknown chunk sizes"):
        GDLinearRegressor().fit(X_dask[X_dask[:, 0] > 0], y)
    with pytest.raises(ValueError, match="dtype complex128"):
        GDLinearRegressor().fit(X_dask.astype(complex), y)
    reg = GDLinearRegressor().fit(X_dask, y)
    with pytest.raises(ValueError, match="expecting 5 features"):
        reg.predict(X_dask[:, :4])


def test_dask_fit_resets_feature_names():
    pd = pytest.importorskip("pandas")
    X, y, _ = _problem()
    reg = GDLinearRegressor().fit(pd.DataFrame(X, columns=list("abcde")), y)
    assert hasattr(reg, "feature_names_in_")
    reg.fit(da.from_array(X, chunks=CHUNKS), y)
    assert not hasattr(reg, "feature_names_in_")


def _write_zarr_problem(path, n_samples, n_features, chunk_rows, seed=0):
    """Write X and y to zarr stores a few chunks at a time and return the exact
    least-squares coefficients, from normal equations summed chunk by chunk."""
    zarr = pytest.importorskip("zarr")
    rng = np.random.default_rng(seed)
    coef = rng.normal(size=n_features)

    X_store = zarr.create_array(
        store=str(path / "X.zarr"),
        shape=(n_samples, n_features),
        chunks=(chunk_rows, n_features),
        dtype="f8",
        compressors=None,
    )
    y_store = zarr.create_array(
        store=str(path / "y.zarr"),
        shape=(n_samples,),
        chunks=(chunk_rows,),
        dtype="f8",
        compressors=None,
    )

    # Drawing 1.5 GiB of normal numbers takes longer than the fit, so each block
    # rescales and shifts the columns of one of a few drawn blocks.
    block_rows = 4 * chunk_rows
    pool = rng.normal(size=(3, block_rows, n_features))

    # [X, 1]^T [X, 1] and [X, 1]^T y; with columns of unit order the normal
    # equations lose no more than a few digits.
    gram = np.zeros((n_features + 1, n_features + 1))
    moment = np.zeros(n_features + 1)
    for k, start in enumerate(range(0, n_samples, block_rows)):
        stop = min(start + block_rows, n_samples)
        scale = rng.uniform(0.5, 2.0, size=n_features)
        shift = rng.uniform(-1.0, 1.0, size=n_features)
        X = pool[k % len(pool), : stop - start] * scale + shift
        y = X @ coef + 2.0 + rng.normal(size=stop - start)
        X_store[start:stop] = X
        y_store[start:stop] = y

        X1 = np.column_stack([X, np.ones(stop - start)])
        gram += X1.T @ X1
        moment += X1.T @ y
    solution = np.linalg.solve(gram, moment)
    return solution[:-1], solution[-1]


@pytest.fixture
def scratch_dir(tmp_path):
    """Return tmp_path and delete it after the test, because pytest keeps the
    directories of recent runs and the zarr stores take 1.6 GB."""
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.slow
def test_out_of_core_zarr(scratch_dir):
    # X takes 1.5 GiB on disk, about twice the memory of both workers together.
    n_features, chunk_rows = 20, 32_768
    n_samples = 10_000_000
    coef, intercept = _write_zarr_problem(
        scratch_dir, n_samples, n_features, chunk_rows
    )
    X = da.from_zarr(str(scratch_dir / "X.zarr"))
    y = da.from_zarr(str(scratch_dir / "y.zarr"))
    memory_limit = 400 * 2**20
    assert X.nbytes > 1.4 * 2**30

    # A paused worker waits for memory to drop, which would hang the test: with
    # pausing off, running out of memory fails it through spilling or a restart.
    with dask.config.set({"distributed.worker.memory.pause": False}):
        cluster = distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            memory_limit=memory_limit,
            host="127.0.0.1",
            dashboard_address=None,
            local_directory=str(scratch_dir / "dask-scratch"),
        )
    try:
        with distributed.Client(cluster) as client:
            # Python and the imported libraries leave room for a few chunks
            # below the spill threshold, 70% of the limit.
            baseline = client.run(_import_memory)
            assert max(baseline.values()) < 0.5 * memory_limit
            workers_before = set(client.scheduler_info()["workers"])
            reg = GDLinearRegressor().fit(X, y)
            workers_after = set(client.scheduler_info()["workers"])
            spill_writes = client.run(_spill_writes)
    finally:
        cluster.close()

    np.testing.assert_allclose(reg.coef_, coef, rtol=1e-8)
    assert reg.intercept_ == pytest.approx(intercept, rel=1e-8)
    # No worker was restarted for running out of memory.
    assert workers_after == workers_before
    assert list(spill_writes.values()) == [(0, [])] * 2


def _import_memory(dask_worker):
    """Import sklearn-gd on a worker and return its resident memory in bytes."""
    import psutil

    import sklearn_gd  # noqa: F401

    return psutil.Process().memory_info().rss


def _spill_writes(dask_worker):
    """Return the number of values a worker spilled to disk and the files in its
    spill directory."""
    writes = dask_worker.data.cumulative_metrics.get(("disk-write", "count"), 0)
    storage = os.path.join(dask_worker.local_directory, "storage")
    files = sorted(os.listdir(storage)) if os.path.isdir(storage) else []
    return writes, files


@pytest.fixture(scope="module")
def local_cluster():
    """Two worker processes on 127.0.0.1, with a client as default scheduler."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
    )
    try:
        with distributed.Client(cluster) as client:
            yield client
    finally:
        cluster.close()


@pytest.mark.parametrize("precompute", [True, False])
def test_distributed_matches_numpy(local_cluster, precompute):
    X, y, weights = _problem(n_targets=2)
    expected = GDLinearRegressor(precompute=precompute).fit(X, y, weights)
    X_dask = da.from_array(X, chunks=CHUNKS).persist()
    reg = GDLinearRegressor(precompute=precompute).fit(
        X_dask, da.from_array(y, chunks=(600, 2)), sample_weight=weights
    )
    np.testing.assert_allclose(reg.coef_, expected.coef_, rtol=1e-10)
    np.testing.assert_allclose(reg.intercept_, expected.intercept_, rtol=1e-10)
    y_pred = reg.predict(X_dask).compute()
    np.testing.assert_allclose(y_pred, expected.predict(X), rtol=1e-10)


def test_distributed_reports_invalid_values(local_cluster):
    X, y, _ = _problem()
    X[10, 0] = np.inf
    with pytest.raises(ValueError, match="X contains NaN or infinity in rows 0"):
        GDLinearRegressor().fit(da.from_array(X, chunks=CHUNKS), y)
