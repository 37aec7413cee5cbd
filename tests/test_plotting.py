import subprocess
import sys
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import LinearRegression

from sklearn_gd import GDLinearRegressor
from sklearn_gd._plotting import (
    DescentPathDisplay,
    FittedLinesDisplay,
    LossCurveDisplay,
    save_descent_plots,
)

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def one_feature():
    """One feature far from zero, so that the (w, b) valley is long and thin."""
    rng = np.random.default_rng(0)
    X = rng.normal(5.0, 1.0, size=(60, 1))
    y = 2.0 * X[:, 0] + 1.0 + rng.normal(scale=0.5, size=60)
    sample_weight = rng.uniform(0.5, 2.0, size=60)
    return X, y, sample_weight


@pytest.fixture
def three_features():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(80, 3)) + [1.0, -2.0, 0.5]
    y = X @ [1.5, -0.5, 2.0] + 3.0 + rng.normal(scale=0.3, size=80)
    return X, y


def fit_gd(X, y, sample_weight=None, **params):
    """Fit plain gradient descent from (w, b) = (3, 1), recording every 5 epochs."""
    params = {"solver": "gd", "max_iter": 400, "record_every": 5, **params}
    reg = GDLinearRegressor(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg.fit(
            X,
            y,
            sample_weight=sample_weight,
            coef_init=np.full(X.shape[1], 3.0),
            intercept_init=1.0,
        )
    return reg


def direct_ssr(X, y, sample_weight, coef, intercept):
    residual = X @ coef + intercept - y
    return float(np.sum(sample_weight * residual**2))


# LossCurveDisplay


def test_loss_curve_line_data(one_feature):
    X, y, _ = one_feature
    reg = fit_gd(X, y)
    display = LossCurveDisplay.from_estimator(reg)
    assert_array_equal(display.line_.get_xdata(), np.arange(1, reg.n_iter_ + 1))
    assert_allclose(display.line_.get_ydata(), reg.loss_curve_)


def test_loss_curve_axes_labels_and_scales(one_feature):
    X, y, _ = one_feature
    display = LossCurveDisplay.from_estimator(fit_gd(X, y), xscale="log")
    assert display.ax_.get_yscale() == "log"
    assert display.ax_.get_xscale() == "log"
    assert display.ax_.get_xlabel() == "epoch"
    assert display.ax_.get_ylabel() == "SSR"
    assert display.figure_ is display.ax_.figure


def test_loss_curve_baseline_subtracted(one_feature):
    X, y, _ = one_feature
    reg = fit_gd(X, y)
    baseline = reg.loss_curve_[-1]
    display = LossCurveDisplay.from_estimator(reg, baseline=baseline)
    expected = np.asarray(reg.loss_curve_) - baseline
    drawn = display.line_.get_ydata()
    positive = expected > 0
    assert_allclose(drawn[positive], expected[positive])
    # On a log scale the points at or below the baseline are not drawn.
    assert np.all(np.isnan(drawn[~positive]))


def test_loss_curve_linear_scale_keeps_all_points(one_feature):
    X, y, _ = one_feature
    reg = fit_gd(X, y)
    baseline = reg.loss_curve_[-1]
    display = LossCurveDisplay.from_estimator(reg, baseline=baseline, yscale="linear")
    assert_allclose(display.line_.get_ydata(), np.asarray(reg.loss_curve_) - baseline)


def test_loss_curve_dict_of_fits(one_feature):
    X, y, _ = one_feature
    fits = {"small": fit_gd(X, y, learning_rate=1e-4), "auto": fit_gd(X, y)}
    display = LossCurveDisplay.from_estimators(fits)
    assert [line.get_label() for line in display.lines_] == ["small", "auto"]
    assert_allclose(display.lines_[0].get_ydata(), fits["small"].loss_curve_)
    assert_allclose(display.lines_[1].get_ydata(), fits["auto"].loss_curve_)
    legend = [text.get_text() for text in display.ax_.get_legend().get_texts()]
    assert legend == ["small", "auto"]
    assert display.line_ is None


def test_loss_curve_list_labelled_by_differing_params(one_feature):
    X, y, _ = one_feature
    fits = [fit_gd(X, y, learning_rate=1e-4), fit_gd(X, y)]
    display = LossCurveDisplay.from_estimators(fits)
    labels = [line.get_label() for line in display.lines_]
    assert labels == ["learning_rate=0.0001", "learning_rate='auto'"]


def test_loss_curve_repeated_plot_on_one_axis(one_feature):
    X, y, _ = one_feature
    first = LossCurveDisplay.from_estimator(fit_gd(X, y), name="gd")
    nesterov = GDLinearRegressor().fit(X, y)
    second = LossCurveDisplay.from_estimator(nesterov, name="nesterov", ax=first.ax_)
    assert second.ax_ is first.ax_
    assert len(first.ax_.get_lines()) == 2
    legend = [text.get_text() for text in second.ax_.get_legend().get_texts()]
    assert legend == ["gd", "nesterov"]


def test_loss_curve_names_length_checked():
    display = LossCurveDisplay(loss_curves=[[3.0, 2.0], [4.0, 1.0]], names=["a"])
    with pytest.raises(ValueError, match="one name per curve"):
        display.plot()


def test_loss_curve_invalid_scale():
    display = LossCurveDisplay(loss_curves=[[3.0, 2.0]])
    with pytest.raises(ValueError, match="yscale must be 'linear' or 'log'"):
        display.plot(yscale="symlog")


def test_loss_curve_dict_with_names_raises(one_feature):
    X, y, _ = one_feature
    with pytest.raises(ValueError, match="names must be None"):
        LossCurveDisplay.from_estimators({"a": fit_gd(X, y)}, names=["b"])


# DescentPathDisplay


def test_descent_path_grid_matches_direct_ssr(one_feature):
    X, y, sample_weight = one_feature
    reg = fit_gd(X, y, sample_weight)
    display = DescentPathDisplay.from_estimator(
        reg, X, y, sample_weight=sample_weight, grid_resolution=30
    )
    assert display.ssr.shape == (30, 30)
    for i, j in [(0, 0), (29, 0), (7, 21), (15, 15), (29, 29)]:
        w, b = display.grid_x[i], display.grid_y[j]
        expected = direct_ssr(X, y, sample_weight, np.array([w]), b)
        assert display.ssr[j, i] == pytest.approx(expected, rel=1e-10)


def test_descent_path_minimum_is_least_squares(one_feature):
    X, y, sample_weight = one_feature
    reg = fit_gd(X, y, sample_weight)
    display = DescentPathDisplay.from_estimator(reg, X, y, sample_weight=sample_weight)
    ols = LinearRegression().fit(X, y, sample_weight=sample_weight)
    assert display.minimum[0] == pytest.approx(ols.coef_[0], rel=1e-9)
    assert display.minimum[1] == pytest.approx(ols.intercept_, rel=1e-9)
    expected = direct_ssr(X, y, sample_weight, ols.coef_, ols.intercept_)
    assert display.ssr_min == pytest.approx(expected, rel=1e-9)
    assert display.ssr.min() >= display.ssr_min


def test_descent_path_levels_geometric_above_minimum(one_feature):
    X, y, _ = one_feature
    display = DescentPathDisplay.from_estimator(fit_gd(X, y), X, y, levels=12)
    excess = display.levels_ - display.ssr_min
    assert len(display.levels_) == 12
    assert np.all(excess > 0)
    assert_allclose(excess[1:] / excess[:-1], excess[1] / excess[0], rtol=1e-9)
    assert excess[-1] == pytest.approx(display.ssr.max() - display.ssr_min)
    assert_allclose(display.contour_.levels, display.levels_)


def test_descent_path_explicit_levels(one_feature):
    X, y, _ = one_feature
    levels = [40.0, 20.0, 100.0]
    display = DescentPathDisplay.from_estimator(fit_gd(X, y), X, y, levels=levels)
    assert_allclose(display.contour_.levels, [20.0, 40.0, 100.0])


def test_descent_path_line_follows_recorded_path(one_feature):
    X, y, _ = one_feature
    reg = fit_gd(X, y)
    display = DescentPathDisplay.from_estimator(reg, X, y)
    assert_allclose(display.line_.get_xdata(), reg.coef_path_[:, 0])
    assert_allclose(display.line_.get_ydata(), reg.intercept_path_)
    assert_allclose(display.start_.get_xdata(), [3.0])
    assert_allclose(display.start_.get_ydata(), [1.0])
    assert_allclose(display.end_.get_xdata(), reg.coef_[0])
    assert_allclose(display.end_.get_ydata(), reg.intercept_)
    assert_array_equal(display.path_epochs, reg.path_epochs_)


def test_descent_path_grid_covers_path_and_minimum(one_feature):
    X, y, _ = one_feature
    display = DescentPathDisplay.from_estimator(fit_gd(X, y), X, y)
    xs = np.r_[display.path_x, display.minimum[0]]
    ys = np.r_[display.path_y, display.minimum[1]]
    assert display.grid_x[0] < xs.min()
    assert display.grid_x[-1] > xs.max()
    assert display.grid_y[0] < ys.min()
    assert display.grid_y[-1] > ys.max()


def test_descent_path_axis_labels(one_feature):
    X, y, _ = one_feature
    display = DescentPathDisplay.from_estimator(fit_gd(X, y), X, y)
    assert display.ax_.get_xlabel() == "coefficient w of feature 0"
    assert display.ax_.get_ylabel() == "intercept b"


def test_descent_path_slice_of_two_coefficients(three_features):
    X, y = three_features
    sample_weight = np.ones(len(y))
    reg = fit_gd(X, y, max_iter=300)
    display = DescentPathDisplay.from_estimator(
        reg, X, y, coef_indices=(0, 2), grid_resolution=25
    )
    for i, j in [(0, 0), (24, 3), (12, 20)]:
        coef = reg.coef_.copy()
        coef[0], coef[2] = display.grid_x[i], display.grid_y[j]
        expected = direct_ssr(X, y, sample_weight, coef, reg.intercept_)
        assert display.ssr[j, i] == pytest.approx(expected, rel=1e-10)
    assert_allclose(display.line_.get_xdata(), reg.coef_path_[:, 0])
    assert_allclose(display.line_.get_ydata(), reg.coef_path_[:, 2])


def test_descent_path_slice_minimum(three_features):
    X, y = three_features
    reg = fit_gd(X, y, max_iter=300)
    display = DescentPathDisplay.from_estimator(reg, X, y, coef_indices=(1, 2))
    # Least squares in coefficients 1 and 2 with the others held at their fit.
    offset = y - X[:, 0] * reg.coef_[0] - reg.intercept_
    expected, *_ = np.linalg.lstsq(X[:, [1, 2]], offset, rcond=None)
    assert_allclose(display.minimum, expected, rtol=1e-9)


def test_descent_path_coefficient_and_intercept(three_features):
    X, y = three_features
    reg = fit_gd(X, y, max_iter=300)
    display = DescentPathDisplay.from_estimator(
        reg, X, y, coef_indices=(1, "intercept")
    )
    assert_allclose(display.line_.get_ydata(), reg.intercept_path_)
    assert display.ax_.get_ylabel() == "intercept b"


def test_descent_path_surface_on_loss_curve(one_feature):
    X, y, _ = one_feature
    reg = fit_gd(X, y)
    display = DescentPathDisplay.from_estimator(reg, X, y, kind="surface")
    assert display.ax_.name == "3d"
    assert display.surface_ is not None
    assert display.contour_ is None
    # With one feature the surface is the full SSR, so the path's height at each
    # recorded epoch after the start is the estimator's own loss.
    _, _, heights = display.line_.get_data_3d()
    epochs = reg.path_epochs_[1:]
    expected = np.asarray(reg.loss_curve_)[epochs - 1]
    assert_allclose(heights[1:], expected, rtol=1e-9)


def test_descent_path_surface_needs_3d_axes(one_feature):
    X, y, _ = one_feature
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="3-D axes"):
        DescentPathDisplay.from_estimator(fit_gd(X, y), X, y, kind="surface", ax=ax)


def test_descent_path_invalid_kind(one_feature):
    X, y, _ = one_feature
    with pytest.raises(ValueError, match="kind must be"):
        DescentPathDisplay.from_estimator(fit_gd(X, y), X, y, kind="heatmap")


def test_descent_path_default_needs_one_feature(three_features):
    X, y = three_features
    with pytest.raises(ValueError, match="Pass coef_indices"):
        DescentPathDisplay.from_estimator(fit_gd(X, y, max_iter=5), X, y)


@pytest.mark.parametrize(
    "coef_indices, message",
    [
        ((0, 0), "same parameter twice"),
        ((0, 3), "out of range"),
        ((0, "slope"), "feature indices or 'intercept'"),
        ((0,), "two parameters"),
        ((0.5, 1), "integer feature index"),
    ],
)
def test_descent_path_invalid_coef_indices(three_features, coef_indices, message):
    X, y = three_features
    reg = fit_gd(X, y, max_iter=5)
    with pytest.raises(ValueError, match=message):
        DescentPathDisplay.from_estimator(reg, X, y, coef_indices=coef_indices)


def test_descent_path_intercept_without_fit_intercept(three_features):
    X, y = three_features
    reg = fit_gd(X, y, max_iter=5, fit_intercept=False)
    with pytest.raises(ValueError, match="fit_intercept=False"):
        DescentPathDisplay.from_estimator(reg, X, y, coef_indices=(0, "intercept"))


def test_descent_path_wrong_number_of_features(one_feature, three_features):
    X, y, _ = one_feature
    X3, _ = three_features
    with pytest.raises(ValueError, match="X has 3 features"):
        DescentPathDisplay.from_estimator(fit_gd(X, y), X3[:60], y)


# FittedLinesDisplay


def test_fitted_lines_follow_recorded_path(one_feature):
    X, y, _ = one_feature
    reg = fit_gd(X, y)
    epochs = [0, 5, 50, reg.path_epochs_[-1]]
    display = FittedLinesDisplay.from_estimator(reg, X, y, epochs=epochs)
    assert len(display.lines_) == 4
    for line, epoch in zip(display.lines_, epochs):
        record = list(reg.path_epochs_).index(epoch)
        x = line.get_xdata()
        expected = reg.coef_path_[record, 0] * x + reg.intercept_path_[record]
        assert_allclose(line.get_ydata(), expected)
        assert line.get_label() == f"epoch {epoch}"


def test_fitted_lines_span_the_data(one_feature):
    X, y, _ = one_feature
    display = FittedLinesDisplay.from_estimator(fit_gd(X, y), X, y)
    assert_allclose(display.lines_[0].get_xdata(), [X.min(), X.max()])
    assert_allclose(display.scatter_.get_offsets(), np.column_stack([X[:, 0], y]))


def test_fitted_lines_default_epochs(one_feature):
    X, y, _ = one_feature
    reg = fit_gd(X, y)
    display = FittedLinesDisplay.from_estimator(reg, X, y, n_lines=5)
    assert display.epochs[0] == 0
    assert display.epochs[-1] == reg.path_epochs_[-1]
    assert len(display.epochs) == 5
    assert np.all(np.diff(display.epochs) > 0)


def test_fitted_lines_short_path_draws_every_record(one_feature):
    X, y, _ = one_feature
    reg = GDLinearRegressor(record_every=1).fit(X, y)
    display = FittedLinesDisplay.from_estimator(reg, X, y, n_lines=10)
    assert_array_equal(display.epochs, reg.path_epochs_)


def test_fitted_lines_colours_run_from_start_to_end(one_feature):
    X, y, _ = one_feature
    display = FittedLinesDisplay.from_estimator(fit_gd(X, y), X, y, cmap="viridis")
    viridis = matplotlib.colormaps["viridis"]
    assert_allclose(
        matplotlib.colors.to_rgba(display.lines_[0].get_color()), viridis(0.0)
    )
    assert_allclose(
        matplotlib.colors.to_rgba(display.lines_[-1].get_color()), viridis(1.0)
    )


def test_fitted_lines_other_features_at_weighted_means(three_features):
    X, y = three_features
    sample_weight = np.linspace(0.5, 2.0, len(y))
    reg = fit_gd(X, y, max_iter=100)
    display = FittedLinesDisplay.from_estimator(
        reg, X, y, feature=1, epochs=[0, 50], sample_weight=sample_weight
    )
    means = np.average(X, axis=0, weights=sample_weight)
    for line, epoch in zip(display.lines_, [0, 50]):
        record = list(reg.path_epochs_).index(epoch)
        coef = reg.coef_path_[record]
        x = line.get_xdata()
        offset = reg.intercept_path_[record] + coef[0] * means[0] + coef[2] * means[2]
        assert_allclose(line.get_ydata(), coef[1] * x + offset)
    assert_allclose(display.scatter_.get_offsets()[:, 0], X[:, 1])


def test_fitted_lines_feature_name_label(one_feature):
    pd = pytest.importorskip("pandas")
    X, y, _ = one_feature
    frame = pd.DataFrame(X, columns=["height"])
    reg = fit_gd(frame, y)
    display = FittedLinesDisplay.from_estimator(reg, frame, y)
    assert display.ax_.get_xlabel() == "height"


def test_fitted_lines_unrecorded_epoch(one_feature):
    X, y, _ = one_feature
    with pytest.raises(ValueError, match=r"epochs \[3\] were not recorded"):
        FittedLinesDisplay.from_estimator(fit_gd(X, y), X, y, epochs=[0, 3])


def test_fitted_lines_invalid_feature(one_feature):
    X, y, _ = one_feature
    with pytest.raises(ValueError, match="feature=1 is out of range"):
        FittedLinesDisplay.from_estimator(fit_gd(X, y), X, y, feature=1)


# Checks shared by the displays


@pytest.mark.parametrize("display", [DescentPathDisplay, FittedLinesDisplay])
def test_display_needs_recorded_path(one_feature, display):
    X, y, _ = one_feature
    reg = GDLinearRegressor().fit(X, y)
    with pytest.raises(ValueError, match="record_every"):
        display.from_estimator(reg, X, y)


@pytest.mark.parametrize("display", [DescentPathDisplay, FittedLinesDisplay])
def test_display_rejects_several_targets(one_feature, display):
    X, y, _ = one_feature
    Y = np.column_stack([y, 2.0 * y])
    reg = GDLinearRegressor(record_every=1).fit(X, Y)
    with pytest.raises(ValueError, match="several targets"):
        display.from_estimator(reg, X, y)


def test_display_needs_fitted_estimator(one_feature):
    from sklearn.exceptions import NotFittedError

    X, y, _ = one_feature
    with pytest.raises(NotFittedError):
        DescentPathDisplay.from_estimator(GDLinearRegressor(record_every=1), X, y)


# save_descent_plots


def test_save_descent_plots_writes_pngs(one_feature, tmp_path):
    X, y, sample_weight = one_feature
    reg = fit_gd(X, y, sample_weight)
    directory = tmp_path / "plots"
    paths = save_descent_plots(reg, X, y, directory, sample_weight=sample_weight)
    names = [path.name for path in paths]
    assert names == ["loss_curve.png", "descent_path.png", "fitted_lines.png"]
    for path in paths:
        assert path.parent == directory
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Figures are drawn without pyplot, so none stays open.
    assert plt.get_fignums() == []


def test_save_descent_plots_several_features(three_features, tmp_path):
    X, y = three_features
    paths = save_descent_plots(fit_gd(X, y, max_iter=50), X, y, str(tmp_path))
    assert all(path.is_file() for path in paths)


def test_save_descent_plots_without_path(one_feature, tmp_path):
    X, y, _ = one_feature
    reg = GDLinearRegressor().fit(X, y)
    with pytest.raises(ValueError, match="record_every=None"):
        save_descent_plots(reg, X, y, tmp_path / "plots")
    assert not (tmp_path / "plots").exists()


def run_without_matplotlib(code):
    """Run ``code`` in a fresh interpreter in which importing matplotlib fails."""
    script = "import sys\nsys.modules['matplotlib'] = None\n" + code
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )


def test_without_matplotlib_import_works_and_plot_names_extra():
    result = run_without_matplotlib(
        "import sklearn_gd\n"
        "from sklearn_gd._plotting import LossCurveDisplay\n"
        "print('imported')\n"
        "try:\n"
        "    LossCurveDisplay(loss_curves=[[2.0, 1.0]]).plot()\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr
    assert lines[0] == "imported"
    assert 'pip install "sklearn-gd[plot]"' in lines[1]


def test_package_import_leaves_matplotlib_unloaded():
    code = "import sys\nimport sklearn_gd._plotting\nprint('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
