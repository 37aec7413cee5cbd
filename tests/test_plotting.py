import re
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


def fit_gd(X, y, sample_weight=None, *, start=(3.0, 1.0), **params):
    """Fit plain gradient descent from (w, b) = start, recording every 5 epochs."""
    params = {"solver": "gd", "max_iter": 400, "record_every": 5, **params}
    reg = GDLinearRegressor(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg.fit(
            X,
            y,
            sample_weight=sample_weight,
            coef_init=np.full(X.shape[1], start[0]),
            intercept_init=start[1],
        )
    return reg


def direct_ssr(X, y, sample_weight, coef, intercept):
    residual = X @ coef + intercept - y
    return float(np.sum(sample_weight * residual**2))


def line_gap(first, second):
    """Largest vertical distance between two drawn lines."""
    return float(np.max(np.abs(first.get_ydata() - second.get_ydata())))


def tick_labels(axis):
    """Draw the figure and return the non-empty major tick labels of ``axis``."""
    axis.axes.figure.canvas.draw()
    return [label.get_text() for label in axis.get_ticklabels() if label.get_text()]


@pytest.fixture
def saved_figures(monkeypatch):
    """Keep every figure that save_descent_plots writes, by file name."""
    from matplotlib.figure import Figure

    figures = {}
    savefig = Figure.savefig

    def keep_and_save(figure, path, **kwargs):
        figures[path.name] = figure
        return savefig(figure, path, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep_and_save)
    return figures


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


def test_loss_curve_starts_at_epoch_zero(one_feature):
    X, y, sample_weight = one_feature
    reg = fit_gd(X, y, sample_weight, record_every=1)
    display = LossCurveDisplay.from_estimator(
        reg, X, y, sample_weight=sample_weight, yscale="linear"
    )
    start = direct_ssr(X, y, sample_weight, np.array([3.0]), 1.0)
    assert_array_equal(display.line_.get_xdata(), np.arange(reg.n_iter_ + 1))
    assert display.line_.get_ydata()[0] == pytest.approx(start, rel=1e-12)
    assert_allclose(display.line_.get_ydata()[1:], reg.loss_curve_)


def test_loss_curve_epoch_zero_continues_the_curve(one_feature):
    # With record_every=1, the SSR at each recorded epoch k >= 1 computed from
    # the path equals loss_curve_[k - 1], so epoch 0 is computed the same way.
    X, y, _ = one_feature
    reg = fit_gd(X, y, record_every=1, max_iter=20)
    ones = np.ones(len(y))
    from_path = [
        direct_ssr(X, y, ones, coef, intercept)
        for coef, intercept in zip(reg.coef_path_[1:], reg.intercept_path_[1:])
    ]
    assert_allclose(from_path, reg.loss_curve_, rtol=1e-10)


def test_loss_curve_from_estimators_start_at_epoch_zero(one_feature):
    X, y, _ = one_feature
    fits = [fit_gd(X, y, learning_rate=1e-4), GDLinearRegressor(record_every=1)]
    fits[1].fit(X, y)
    display = LossCurveDisplay.from_estimators(fits, X, y)
    ones = np.ones(len(y))
    gd_start = direct_ssr(X, y, ones, np.array([3.0]), 1.0)
    nesterov_start = direct_ssr(X, y, ones, np.zeros(1), fits[1].intercept_path_[0])
    assert display.lines_[0].get_ydata()[0] == pytest.approx(gd_start, rel=1e-12)
    assert display.lines_[1].get_ydata()[0] == pytest.approx(nesterov_start, rel=1e-12)
    assert display.lines_[1].get_xdata()[0] == 0


def test_loss_curve_epoch_zero_needs_x_and_y(one_feature):
    X, y, _ = one_feature
    with pytest.raises(ValueError, match="Pass both X and y"):
        LossCurveDisplay.from_estimator(fit_gd(X, y), X)


def test_loss_curve_epoch_zero_needs_recorded_path(one_feature):
    X, y, _ = one_feature
    reg = GDLinearRegressor().fit(X, y)
    with pytest.raises(ValueError, match="record_every"):
        LossCurveDisplay.from_estimator(reg, X, y)


def test_loss_curve_initial_losses_length_checked():
    display = LossCurveDisplay(loss_curves=[[3.0, 2.0]], initial_losses=[5.0, 4.0])
    with pytest.raises(ValueError, match="one SSR"):
        display.plot()


def test_loss_curve_log_epochs_with_start_use_symlog():
    display = LossCurveDisplay(loss_curves=[[3.0, 2.0, 1.5]], initial_losses=[9.0])
    display.plot(xscale="log")
    assert display.ax_.get_xscale() == "symlog"
    assert_array_equal(display.line_.get_xdata(), [0, 1, 2, 3])


def test_loss_curve_log_epochs_without_start_stay_log():
    display = LossCurveDisplay(loss_curves=[[3.0, 2.0, 1.5]]).plot(xscale="log")
    assert display.ax_.get_xscale() == "log"


def test_loss_curve_narrow_log_axis_has_plain_ticks():
    # 10,721 to 11,953 spans less than a decade: no power of ten to label.
    display = LossCurveDisplay(
        loss_curves=[[10721.47, 10721.47]], initial_losses=[11952.7]
    ).plot()
    labels = tick_labels(display.ax_.yaxis)
    assert display.ax_.get_yscale() == "log"
    assert len(labels) >= 3
    for label in labels:
        assert re.fullmatch(r"[0-9][0-9,]*(\.[0-9]+)?", label), label
    assert display.ax_.yaxis.get_minor_locator().tick_values(1e4, 2e4) == []


def test_loss_curve_wide_log_axis_keeps_powers_of_ten():
    display = LossCurveDisplay(loss_curves=[[1e2, 1e0]], initial_losses=[1e6]).plot()
    labels = tick_labels(display.ax_.yaxis)
    assert any("10^" in label for label in labels)


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


def test_descent_path_feature_names_label(one_feature):
    X, y, _ = one_feature
    display = DescentPathDisplay.from_estimator(
        fit_gd(X, y), X, y, feature_names=["height"]
    )
    assert display.ax_.get_xlabel() == "coefficient w of height"


def test_descent_path_feature_names_in_label(one_feature):
    pd = pytest.importorskip("pandas")
    X, y, _ = one_feature
    frame = pd.DataFrame(X, columns=["height"])
    display = DescentPathDisplay.from_estimator(fit_gd(frame, y), frame, y)
    assert display.ax_.get_xlabel() == "coefficient w of height"


@pytest.mark.parametrize("names", [["a", "b"], "abc"])
def test_descent_path_feature_names_checked(three_features, names):
    X, y = three_features
    reg = fit_gd(X, y, max_iter=5)
    with pytest.raises(ValueError, match="feature_names"):
        DescentPathDisplay.from_estimator(
            reg, X, y, coef_indices=(0, "intercept"), feature_names=names
        )


def test_descent_path_one_feature_is_not_projection(one_feature):
    X, y, _ = one_feature
    display = DescentPathDisplay.from_estimator(fit_gd(X, y), X, y)
    assert not display.projected
    assert "projected" not in display.line_.get_label()
    assert display.line_.get_linestyle() == "-"
    assert display.minimum_.get_label() == "minimum"


def test_descent_path_slice_marks_projection(three_features):
    X, y = three_features
    reg = fit_gd(X, y, max_iter=50)
    display = DescentPathDisplay.from_estimator(
        reg, X, y, coef_indices=(1, "intercept")
    )
    assert display.projected
    assert "projected onto this plane" in display.line_.get_label()
    assert display.line_.get_linestyle() == "--"
    assert display.minimum_.get_label() == "minimum on this plane"


def test_descent_path_still_intercept_gets_grid_width():
    # On centred data the default solver keeps the intercept at mean(y), so the
    # path does not move along b. The grid then spans the b range over which
    # the SSR rises as much as it does across the w range.
    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 2))
    X -= X.mean(axis=0)
    y = X @ [2.0, -1.0] + 5.0 + rng.normal(scale=0.3, size=50)
    reg = GDLinearRegressor(record_every=1).fit(X, y)
    display = DescentPathDisplay.from_estimator(
        reg, X, y, coef_indices=(0, "intercept"), grid_resolution=41
    )
    assert np.ptp(reg.intercept_path_) < 1e-9
    assert display.grid_y[-1] - display.grid_y[0] > 1.0
    assert display.grid_y[20] == pytest.approx(y.mean(), rel=1e-9)
    # ssr[j, i] is at (grid_x[i], grid_y[j]), and index 20 is the middle.
    rise_w = np.ptp(display.ssr[20, :])
    rise_b = display.ssr[-1, 20] - display.ssr[20, 20]
    assert rise_b == pytest.approx(rise_w, rel=1e-6)


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
    reg = fit_gd(X, y, learning_rate=2e-5)
    display = FittedLinesDisplay.from_estimator(reg, X, y, n_lines=5)
    assert display.epochs[0] == 0
    assert display.epochs[-1] == reg.path_epochs_[-1]
    assert len(display.epochs) == 5
    assert np.all(np.diff(display.epochs) > 0)


def test_fitted_lines_default_epochs_differ_visibly(one_feature):
    X, y, _ = one_feature
    reg = fit_gd(X, y, learning_rate=2e-5)
    display = FittedLinesDisplay.from_estimator(reg, X, y, n_lines=8)
    min_gap = 0.02 * np.ptp(y)
    lines = display.lines_
    for before, after in zip(lines[:-1], lines[1:]):
        assert line_gap(before, after) > min_gap
    for line in lines[:-1]:
        assert line_gap(line, lines[-1]) > min_gap


def test_fitted_lines_settled_epochs_share_last_line(one_feature):
    # Plain descent from (3, 1) drops into the valley in one step and then
    # moves the line by less than 2% of the range of y.
    X, y, _ = one_feature
    reg = fit_gd(X, y)
    x = np.array([X.min(), X.max()])
    lines = reg.coef_path_[:, :1] * x + reg.intercept_path_[:, None]
    gaps = np.max(np.abs(lines - lines[-1]), axis=1)
    settled = np.flatnonzero(gaps > 0.02 * np.ptp(y))[-1] + 1
    display = FittedLinesDisplay.from_estimator(reg, X, y)
    label = display.lines_[-1].get_label()
    first, last = reg.path_epochs_[settled], reg.path_epochs_[-1]
    assert_array_equal(display.epochs, [0, last])
    assert label == f"epochs {first} to {last}, all within {gaps[settled:].max():.2g}"


def test_fitted_lines_identical_lines_share_plain_label(one_feature):
    # The default solver reaches the minimum in epoch 1 for one feature, so
    # epochs 1 and 2 draw the same line.
    X, y, _ = one_feature
    reg = GDLinearRegressor(record_every=1).fit(X, y, coef_init=[3.0])
    display = FittedLinesDisplay.from_estimator(reg, X, y)
    assert_array_equal(display.epochs, [0, 2])
    assert display.lines_[-1].get_label() == "epochs 1 to 2"


def test_fitted_lines_ylim_clipped_to_data(one_feature):
    X, y, _ = one_feature
    display = FittedLinesDisplay.from_estimator(fit_gd(X, y), X, y)
    margin = 0.05 * np.ptp(y)
    assert_allclose(display.ax_.get_ylim(), [y.min() - margin, y.max() + margin])


def test_fitted_lines_line_above_frame_gets_arrow(one_feature):
    X, y, _ = one_feature
    reg = fit_gd(X, y, start=(3.0, 50.0))
    display = FittedLinesDisplay.from_estimator(reg, X, y)
    start = display.lines_[0]
    low, high = start.get_ydata().min(), start.get_ydata().max()
    assert low > display.ax_.get_ylim()[1]
    assert start.get_label() == f"epoch 0, above the frame: {low:.4g} to {high:.4g}"
    assert len(display.arrows_) == 1
    arrow = display.arrows_[0]
    assert arrow.get_color() == start.get_color()
    # The arrow points up, to the top edge of the axes.
    assert arrow.get_ydata()[1] > arrow.get_ydata()[0]
    assert arrow.get_transform() == display.ax_.transAxes


def test_fitted_lines_line_below_frame_gets_arrow(one_feature):
    X, y, _ = one_feature
    reg = fit_gd(X, y, start=(0.0, -5.0))
    display = FittedLinesDisplay.from_estimator(reg, X, y)
    assert display.lines_[0].get_label() == "epoch 0, below the frame: at -5"
    assert display.arrows_[0].get_ydata()[1] < display.arrows_[0].get_ydata()[0]


def test_fitted_lines_lines_inside_frame_get_no_arrow(one_feature):
    X, y, _ = one_feature
    reg = GDLinearRegressor(record_every=1).fit(X, y)
    display = FittedLinesDisplay.from_estimator(reg, X, y)
    assert display.arrows_ == []


def test_fitted_lines_without_clipping_shows_every_line(one_feature):
    X, y, _ = one_feature
    reg = fit_gd(X, y, start=(3.0, 50.0))
    display = FittedLinesDisplay.from_estimator(reg, X, y, clip_to_data=False)
    low, high = display.ax_.get_ylim()
    assert high > display.lines_[0].get_ydata().max()
    assert display.arrows_ == []


def test_fitted_lines_short_path_draws_every_record(one_feature):
    X, y, _ = one_feature
    reg = fit_gd(X, y, learning_rate=2e-5, max_iter=15)
    display = FittedLinesDisplay.from_estimator(reg, X, y, n_lines=10)
    assert_array_equal(display.epochs, [0, 5, 10, 15])


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


def test_fitted_lines_feature_and_target_names(three_features):
    X, y = three_features
    display = FittedLinesDisplay.from_estimator(
        fit_gd(X, y, max_iter=20),
        X,
        y,
        feature=2,
        feature_names=["age", "bmi", "bp"],
        target_name="progression",
    )
    assert display.ax_.get_xlabel() == "bp"
    assert display.ax_.get_ylabel() == "progression"


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


def test_save_descent_plots_names_in_labels(three_features, tmp_path, saved_figures):
    X, y = three_features
    reg = fit_gd(X, y, max_iter=50)
    save_descent_plots(
        reg,
        X,
        y,
        tmp_path,
        feature="bmi",
        feature_names=["age", "bmi", "bp"],
        target_name="progression",
    )
    (path_ax,) = saved_figures["descent_path.png"].axes
    (lines_ax,) = saved_figures["fitted_lines.png"].axes
    assert path_ax.get_xlabel() == "coefficient w of bmi"
    assert lines_ax.get_xlabel() == "bmi"
    assert lines_ax.get_ylabel() == "progression"
    assert lines_ax.get_title().startswith("progression against bmi")


def test_save_descent_plots_feature_names_in(three_features, tmp_path, saved_figures):
    pd = pytest.importorskip("pandas")
    X, y = three_features
    frame = pd.DataFrame(X, columns=["age", "bmi", "bp"])
    reg = fit_gd(frame, y, max_iter=50)
    save_descent_plots(reg, frame, y, tmp_path, feature=0)
    (lines_ax,) = saved_figures["fitted_lines.png"].axes
    assert lines_ax.get_xlabel() == "age"
    assert lines_ax.get_ylabel() == "target"


def test_save_descent_plots_titles_name_fixed_parameters(
    three_features, tmp_path, saved_figures
):
    X, y = three_features
    save_descent_plots(fit_gd(X, y, max_iter=50), X, y, tmp_path)
    (path_ax,) = saved_figures["descent_path.png"].axes
    (lines_ax,) = saved_figures["fitted_lines.png"].axes
    assert "slice through the fitted point" in path_ax.get_title()
    assert "the other 2 coefficients fixed" in path_ax.get_title()
    assert "the other 2 features held at their means" in lines_ax.get_title()


def test_save_descent_plots_one_feature_is_no_slice(
    one_feature, tmp_path, saved_figures
):
    X, y, _ = one_feature
    save_descent_plots(fit_gd(X, y), X, y, tmp_path)
    (path_ax,) = saved_figures["descent_path.png"].axes
    (lines_ax,) = saved_figures["fitted_lines.png"].axes
    assert "slice" not in path_ax.get_title()
    assert "held" not in lines_ax.get_title()


def test_save_descent_plots_picks_largest_effect(tmp_path, saved_figures):
    # Feature 0 has the largest coefficient, feature 1 the largest coefficient
    # times standard deviation.
    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 3)) * [0.1, 5.0, 1.0]
    y = X @ [10.0, 1.0, 2.0] + rng.normal(scale=0.1, size=200)
    reg = GDLinearRegressor(record_every=1).fit(X, y)
    effect = np.abs(reg.coef_) * X.std(axis=0)
    assert np.argmax(np.abs(reg.coef_)) == 0
    assert np.argmax(effect) == 1

    save_descent_plots(reg, X, y, tmp_path)

    (path_ax,) = saved_figures["descent_path.png"].axes
    (lines_ax,) = saved_figures["fitted_lines.png"].axes
    path_line = path_ax.get_lines()[0]
    assert_allclose(path_line.get_xdata(), reg.coef_path_[:, 1])
    assert_allclose(lines_ax.collections[0].get_offsets()[:, 0], X[:, 1])
    assert lines_ax.get_xlabel() == "feature 1"


def test_save_descent_plots_feature_index(three_features, tmp_path, saved_figures):
    X, y = three_features
    reg = fit_gd(X, y, max_iter=50)
    save_descent_plots(reg, X, y, tmp_path, feature=2)
    (lines_ax,) = saved_figures["fitted_lines.png"].axes
    assert_allclose(lines_ax.collections[0].get_offsets()[:, 0], X[:, 2])


@pytest.mark.parametrize(
    "feature, names, message",
    [
        ("height", ["a", "b", "c"], "not a feature name"),
        ("a", None, "known: no names"),
        (3, None, "feature=3 is out of range"),
    ],
)
def test_save_descent_plots_invalid_feature(
    three_features, tmp_path, feature, names, message
):
    X, y = three_features
    reg = fit_gd(X, y, max_iter=5)
    with pytest.raises(ValueError, match=message):
        save_descent_plots(reg, X, y, tmp_path, feature=feature, feature_names=names)


def test_save_descent_plots_loss_curve_excess(one_feature, tmp_path, saved_figures):
    # Plain descent stops far above the minimum, so the picture shows the
    # excess SSR above the least-squares SSR, from the start.
    X, y, sample_weight = one_feature
    reg = fit_gd(X, y, sample_weight)
    save_descent_plots(reg, X, y, tmp_path, sample_weight=sample_weight)

    ols = LinearRegression().fit(X, y, sample_weight=sample_weight)
    ols_ssr = direct_ssr(X, y, sample_weight, ols.coef_, ols.intercept_)
    start = direct_ssr(X, y, sample_weight, np.array([3.0]), 1.0)
    (ax,) = saved_figures["loss_curve.png"].axes
    (line,) = ax.get_lines()
    assert_array_equal(line.get_xdata(), np.arange(reg.n_iter_ + 1))
    assert_allclose(line.get_ydata(), np.r_[start, reg.loss_curve_] - ols_ssr)
    assert ax.get_yscale() == "log"
    assert ax.get_ylabel().startswith("SSR above the least-squares SSR")


def test_save_descent_plots_loss_curve_ssr_when_converged(
    one_feature, tmp_path, saved_figures
):
    # The default solver reaches the minimum in epoch 1 for one feature, so the
    # excess would be rounding noise: the picture shows the SSR itself.
    X, y, _ = one_feature
    reg = GDLinearRegressor(record_every=1).fit(X, y)
    save_descent_plots(reg, X, y, tmp_path)

    ones = np.ones(len(y))
    ols = LinearRegression().fit(X, y)
    ols_ssr = direct_ssr(X, y, ones, ols.coef_, ols.intercept_)
    start = direct_ssr(X, y, ones, np.zeros(1), reg.intercept_path_[0])
    (ax,) = saved_figures["loss_curve.png"].axes
    curve, reference = ax.get_lines()
    assert_array_equal(curve.get_xdata(), np.arange(reg.n_iter_ + 1))
    assert_allclose(curve.get_ydata(), np.r_[start, reg.loss_curve_])
    assert_allclose(reference.get_ydata(), [ols_ssr, ols_ssr], rtol=1e-10)
    assert reference.get_label().startswith("least-squares SSR")
    assert ax.get_ylabel() == "SSR, log scale"


def test_save_descent_plots_least_squares_line(three_features, tmp_path, saved_figures):
    X, y = three_features
    reg = fit_gd(X, y, max_iter=50)
    save_descent_plots(reg, X, y, tmp_path, feature=1)

    ols = LinearRegression().fit(X, y)
    (ax,) = saved_figures["fitted_lines.png"].axes
    (line,) = [line for line in ax.get_lines() if line.get_label() == "least squares"]
    means = X.mean(axis=0)
    x = line.get_xdata()
    expected = ols.coef_[1] * x + ols.intercept_ + ols.coef_[[0, 2]] @ means[[0, 2]]
    assert_allclose(line.get_ydata(), expected, rtol=1e-9)


def test_save_descent_plots_fitted_lines_ylim(one_feature, tmp_path, saved_figures):
    X, y, _ = one_feature
    reg = fit_gd(X, y, start=(3.0, 50.0))
    save_descent_plots(reg, X, y, tmp_path)
    (ax,) = saved_figures["fitted_lines.png"].axes
    margin = 0.05 * np.ptp(y)
    assert_allclose(ax.get_ylim(), [y.min() - margin, y.max() + margin])
    labels = saved_figures["fitted_lines.png"].legends[0].get_texts()
    assert any("above the frame" in label.get_text() for label in labels)


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
