"""The sklearn-gd command line: demo, fit, predict and their error messages."""

import csv
import io
import os
import subprocess
import sys
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression

from sklearn_gd import GDLinearRegressor
from sklearn_gd._cli import main
from sklearn_gd.datasets import load_galton

PLOT_HINT = 'pip install "sklearn-gd[plot]"'


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def table(tmp_path):
    """A CSV file with two numeric features, a text column and a target ``y``."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2)) * [1.0, 10.0] + [5.0, -3.0]
    y = 2.0 * X[:, 0] - 0.5 * X[:, 1] + 4.0 + rng.normal(scale=0.1, size=50)
    labels = ["a" if i % 2 else "b" for i in range(50)]
    rows = [[x0, label, x1, target] for (x0, x1), label, target in zip(X, labels, y)]
    path = write_csv(tmp_path / "data.csv", ["x0", "label", "x1", "y"], rows)
    return path, X, y


def read_value(output, label):
    """Return the number after ``label`` on its line of the fit report."""
    for line in output.splitlines():
        if line.strip().startswith(label):
            return float(line.split()[-1])
    raise AssertionError(f"no line starts with {label!r}")


class TerminalStream(io.StringIO):
    def isatty(self):
        return True


# demo


def test_demo_output(capsys):
    X, y = load_galton(return_X_y=True)
    reg = GDLinearRegressor().fit(X, y)
    reference = LinearRegression().fit(X, y)

    status = main(["demo"])

    out, err = capsys.readouterr()
    assert status == 0
    assert f"{reg.coef_[0]:.6f}" in out
    assert f"{reference.coef_[0]:.6f}" in out
    assert f"{reference.intercept_:.6f}" in out
    assert "18,827,511.36" in out
    assert err == ""


def test_demo_reports_divergence(capsys):
    main(["demo"])
    out = capsys.readouterr().out
    assert "ValueError: learning_rate=0.005" in out
    assert "2/L" in out
    assert "learning_rate='auto'" in out


def test_demo_reports_slow_loop(capsys):
    main(["demo"])
    out = capsys.readouterr().out
    assert "ConvergenceWarning: GDLinearRegressor did not converge" in out
    assert "condition number" in out


def test_demo_slow_loop_table_matches_fit(capsys):
    X, y = load_galton(return_X_y=True)
    reg = GDLinearRegressor(solver="gd", max_iter=10_000)
    with pytest.warns(ConvergenceWarning):
        reg.fit(X, y, coef_init=[3.0], intercept_init=1.0)

    main(["demo"])

    out = capsys.readouterr().out
    row = f"10000  {reg.loss_curve_[-1]:>16,.2f}  {reg.coef_[0]:>12.6f}"
    assert row in out


def test_demo_module_subprocess():
    completed = subprocess.run(
        [sys.executable, "-m", "sklearn_gd", "demo"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    reference = LinearRegression().fit(*load_galton(return_X_y=True))
    assert completed.returncode == 0
    assert f"{reference.coef_[0]:.6f}" in completed.stdout
    assert "2/L" in completed.stdout
    assert "learning_rate='auto'" in completed.stdout
    assert "Traceback" not in completed.stderr
    assert "Warning" not in completed.stderr


# fit and predict


def test_fit_matches_linear_regression(table, capsys):
    path, X, y = table
    reference = LinearRegression().fit(X, y)

    status = main(["fit", str(path), "--target", "y"])

    out = capsys.readouterr().out
    assert status == 0
    assert_allclose(read_value(out, "x0"), reference.coef_[0], rtol=1e-6)
    assert_allclose(read_value(out, "x1"), reference.coef_[1], rtol=1e-6)
    assert_allclose(read_value(out, "intercept"), reference.intercept_, rtol=1e-6)
    assert_allclose(read_value(out, "R^2"), reference.score(X, y), rtol=1e-6)


def test_fit_reports_final_ssr(table, capsys):
    path, X, y = table
    residuals = LinearRegression().fit(X, y).predict(X) - y

    main(["fit", str(path), "--target", "y"])

    out = capsys.readouterr().out
    assert_allclose(read_value(out, "final SSR"), residuals @ residuals, rtol=1e-6)


def test_fit_skips_text_columns(table, capsys):
    path, _, _ = table
    main(["fit", str(path), "--target", "y"])
    out = capsys.readouterr().out
    assert "skipped       label (not numeric)" in out


def test_fit_reports_epochs(table, capsys):
    path, _, _ = table
    main(["fit", str(path), "--target", "y", "--max-iter", "3"])
    out, err = capsys.readouterr()
    assert "epochs        3 (did not converge)" in out
    assert "sklearn-gd fit: warning: GDLinearRegressor did not converge" in err


def test_fit_selected_features(table, capsys):
    path, X, y = table
    reference = LinearRegression().fit(X[:, [1]], y)

    status = main(["fit", str(path), "--target", "y", "--features", "x1"])

    out = capsys.readouterr().out
    assert status == 0
    assert_allclose(read_value(out, "x1"), reference.coef_[0], rtol=1e-6)
    assert "x0" not in out


def test_fit_textbook_solver(tmp_path, capsys):
    rng = np.random.default_rng(1)
    x = rng.normal(size=30)
    y = 3.0 * x - 1.0 + rng.normal(scale=0.1, size=30)
    path = write_csv(tmp_path / "small.csv", ["x", "y"], zip(x, y))
    reference = LinearRegression().fit(x[:, None], y)

    status = main(["fit", str(path), "--target", "y", "--solver", "gd"])

    out = capsys.readouterr().out
    assert status == 0
    assert_allclose(read_value(out, "x"), reference.coef_[0], rtol=1e-6)


def test_fit_predict_round_trip(table, tmp_path, capsys):
    path, X, y = table
    model = tmp_path / "model.joblib"
    output = tmp_path / "predictions.csv"
    reference = LinearRegression().fit(X, y)

    assert main(["fit", str(path), "--target", "y", "--save", str(model)]) == 0
    assert main(["predict", str(model), str(path), "--output", str(output)]) == 0

    with open(output, newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["predicted_y"]
    predictions = np.array([float(row[0]) for row in rows[1:]])
    assert_allclose(predictions, reference.predict(X), rtol=1e-6)


def test_predict_writes_stdout(table, tmp_path, capsys):
    path, X, _ = table
    model = tmp_path / "model.joblib"
    main(["fit", str(path), "--target", "y", "--save", str(model)])
    capsys.readouterr()

    status = main(["predict", str(model), str(path)])

    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[0] == "predicted_y"
    assert len(lines) == X.shape[0] + 1


def test_predict_ignores_column_order(table, tmp_path, capsys):
    path, X, _ = table
    model = tmp_path / "model.joblib"
    main(["fit", str(path), "--target", "y", "--save", str(model)])
    reordered = write_csv(tmp_path / "new.csv", ["x1", "x0"], X[:, ::-1])
    capsys.readouterr()

    main(["predict", str(model), str(reordered)])

    out = capsys.readouterr().out.splitlines()
    expected = joblib.load(model)["estimator"].predict(X)
    assert_allclose([float(value) for value in out[1:]], expected, rtol=1e-12)


def test_saved_model_contents(table, tmp_path):
    path, _, _ = table
    model = tmp_path / "model.joblib"
    main(["fit", str(path), "--target", "y", "--save", str(model)])
    saved = joblib.load(model)
    assert isinstance(saved["estimator"], GDLinearRegressor)
    assert saved["feature_names"] == ["x0", "x1"]
    assert saved["target_name"] == "y"
    assert saved["estimator"].verbose == 0


# Progress on a terminal


def test_fit_progress_on_terminal(table, monkeypatch, capsys):
    path, _, _ = table
    terminal = TerminalStream()
    monkeypatch.setattr(sys, "stderr", terminal)

    main(["fit", str(path), "--target", "y", "--solver", "gd", "--max-iter", "50"])

    out = capsys.readouterr().out
    assert "\rEpoch 1/50, SSR = " in terminal.getvalue()
    assert "Epoch" not in out


def test_fit_progress_line_is_cleared(table, monkeypatch):
    path, _, _ = table
    terminal = TerminalStream()
    monkeypatch.setattr(sys, "stderr", terminal)
    main(["fit", str(path), "--target", "y"])
    assert terminal.getvalue().endswith("\r")


def test_fit_no_progress_off_terminal(table, capsys):
    path, _, _ = table
    main(["fit", str(path), "--target", "y"])
    assert capsys.readouterr().err == ""


# Errors


@pytest.fixture
def bad_files(table, tmp_path):
    """Paths for the error cases, by the names used in ``ERROR_CASES``."""
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    header_only = tmp_path / "header.csv"
    header_only.write_text("x,y\n")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("x,y\n1,2\n3\n")
    not_model = tmp_path / "not_model.joblib"
    not_model.write_text("x,y\n")
    return {
        "data": table[0],
        "missing": tmp_path / "missing.csv",
        "empty": empty,
        "header_only": header_only,
        "ragged": ragged,
        "blank": write_csv(tmp_path / "blank.csv", ["x", "y"], [[1, 2], ["", 3]]),
        "no_model": tmp_path / "no_model.joblib",
        "not_model": not_model,
    }


# (argv with {file} placeholders, exit status, part of the message on stderr)
ERROR_CASES = [
    ("fit {missing} --target y", 1, "file not found"),
    ("fit {data} --target z", 1, "column 'z' (--target) is not in"),
    ("fit {data} --target y --features w", 1, "column 'w' (--features) is not in"),
    ("fit {data} --target label", 1, "'label' (--target) is not numeric"),
    ("fit {data} --target y --features label", 1, "(--features) is not numeric"),
    ("fit {blank} --target y --features x", 1, "has an empty value"),
    ("fit {blank} --target y", 1, "no numeric column besides the target 'y'"),
    ("fit {empty} --target y", 1, "is empty"),
    ("fit {header_only} --target y", 1, "no rows of data"),
    ("fit {ragged} --target y", 1, "expected 2 values, one per header column"),
    ("fit {data} --target y --features y", 1, "includes the target column"),
    ("fit {data} --target y --features x0 x0", 1, "more than once"),
    ("fit {data} --target y --solver gd --learning-rate 1", 1, "2/L"),
    ("predict {no_model} {data}", 1, "model file not found"),
    ("predict {not_model} {data}", 1, "cannot load"),
    ("fit {data} --target y --learning-rate fast", 2, "invalid value 'fast'"),
    ("fit {data} --target y --learning-rate 0", 2, "positive number"),
    ("fit {data} --target y --learning-rate nan", 2, "positive number"),
    ("fit {data} --target y --max-iter 0", 2, "argument --max-iter"),
    ("fit {data} --target y --solver sgd", 2, "invalid choice"),
    ("fit {data}", 2, "--target"),
    ("", 2, "required"),
]


@pytest.mark.parametrize(
    "argv, expected_status, message", ERROR_CASES, ids=[c[2] for c in ERROR_CASES]
)
def test_errors_exit_with_message(argv, expected_status, message, bad_files, capsys):
    status = main(argv.format(**bad_files).split())

    err = capsys.readouterr().err
    assert status == expected_status
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [argv for argv, status, _ in ERROR_CASES if status == 1],
)
def test_runtime_errors_are_one_line(argv, bad_files, capsys):
    main(argv.format(**bad_files).split())
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1


def test_predict_missing_feature_column(table, tmp_path, capsys):
    path, X, _ = table
    model = tmp_path / "model.joblib"
    main(["fit", str(path), "--target", "y", "--save", str(model)])
    partial = write_csv(tmp_path / "partial.csv", ["x0"], X[:, :1])

    status = main(["predict", str(model), str(partial)])

    err = capsys.readouterr().err
    assert status == 1
    assert "column 'x1' (the model's features) is not in" in err


def test_save_to_missing_folder(table, tmp_path, capsys):
    path, _, _ = table
    target = tmp_path / "no" / "such" / "model.joblib"
    status = main(["fit", str(path), "--target", "y", "--save", str(target)])
    err = capsys.readouterr().err
    assert status == 1
    assert "cannot write the model" in err


def test_save_path_checked_before_fit(table, tmp_path, capsys):
    path, _, _ = table
    target = tmp_path / "missing" / "model.joblib"
    main(["fit", str(path), "--target", "y", "--save", str(target)])
    out, err = capsys.readouterr()
    assert out == ""
    assert f"the folder {target.parent} does not exist" in err


def test_save_to_folder_rejected(table, tmp_path, capsys):
    path, _, _ = table
    status = main(["fit", str(path), "--target", "y", "--save", str(tmp_path)])
    out, err = capsys.readouterr()
    assert status == 1
    assert out == ""
    assert "it is a folder" in err


def test_predict_output_checked_first(tmp_path, capsys):
    # The output path is checked before the model and the data are read, so
    # missing input files are not what the message is about.
    output = tmp_path / "missing" / "out.csv"
    status = main(
        [
            "predict",
            str(tmp_path / "model.joblib"),
            str(tmp_path / "data.csv"),
            "--output",
            str(output),
        ]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert f"cannot write {output}: the folder" in err


@pytest.fixture
def model_path(table, tmp_path, capsys):
    """A model saved by ``fit --save`` from ``table``, on features x0 and x1."""
    path, _, _ = table
    model = tmp_path / "model.joblib"
    assert main(["fit", str(path), "--target", "y", "--save", str(model)]) == 0
    capsys.readouterr()
    return model


# Marks a key to delete from the saved model dict.
MISSING = object()

# (key of the saved model dict, its new value or MISSING, part of the message)
BROKEN_MODELS = [
    ("estimator", MISSING, "the key 'estimator' is missing"),
    ("estimator", "not a model", "'estimator' is a str, not a GDLinearRegressor"),
    (
        "estimator",
        LinearRegression(),
        "'estimator' is a LinearRegression, not a GDLinearRegressor",
    ),
    ("estimator", GDLinearRegressor(), "'estimator' is not fitted"),
    ("feature_names", "x0", "'feature_names' is not a non-empty list of column"),
    ("feature_names", [0, 1], "'feature_names' is not a non-empty list of column"),
    ("feature_names", [], "'feature_names' is not a non-empty list of column"),
    ("feature_names", ["x0", "x0"], "'feature_names' names a column more than once"),
    ("feature_names", ["x0"], "lists 1 columns, but the estimator was fitted on 2"),
    ("target_name", None, "'target_name' is not a string"),
]


@pytest.mark.parametrize(
    "key, value, message", BROKEN_MODELS, ids=[case[2] for case in BROKEN_MODELS]
)
def test_predict_malformed_model(
    key, value, message, table, model_path, tmp_path, capsys
):
    path, _, _ = table
    model = joblib.load(model_path)
    if value is MISSING:
        del model[key]
    else:
        model[key] = value
    broken = tmp_path / "broken.joblib"
    joblib.dump(model, broken)

    status = main(["predict", str(broken), str(path)])

    err = capsys.readouterr().err
    assert status == 1
    assert len(err.strip().splitlines()) == 1
    assert f"{broken} is not a model saved by 'sklearn-gd fit --save'" in err
    assert message in err


def test_predict_model_not_dict(table, model_path, tmp_path, capsys):
    path, _, _ = table
    broken = tmp_path / "broken.joblib"
    joblib.dump([joblib.load(model_path)["estimator"]], broken)
    status = main(["predict", str(broken), str(path)])
    err = capsys.readouterr().err
    assert status == 1
    assert "it contains a list, not a dict" in err


@pytest.mark.parametrize("cell", ["1_000", "\u0661\u0662", "0x10", "1e", "--1"])
def test_fit_rejects_unusual_numbers(cell, tmp_path, capsys):
    # float() accepts the first two: underscores and Arabic-Indic digits.
    path = tmp_path / "data.csv"
    path.write_text(f"x,y\n1,2\n{cell},4\n3,5.9\n", encoding="utf-8")

    status = main(["fit", str(path), "--target", "y", "--features", "x"])

    err = capsys.readouterr().err
    assert status == 1
    assert "column 'x' (--features)" in err
    assert f"line 3 of {path} has {cell!r}" in err


@pytest.mark.parametrize("cell", [" 12 ", "+1.5", "-.5", "5.", "1E-3", "1e-400"])
def test_fit_accepts_plain_numbers(cell, tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_text(f"x,y\n1,2\n2,{cell}\n3,5.9\n", encoding="utf-8")
    assert main(["fit", str(path), "--target", "y"]) == 0


def test_predict_rejects_nan_cell(table, model_path, tmp_path, capsys):
    _, X, _ = table
    rows = X.tolist()
    rows[4][1] = "nan"
    data = write_csv(tmp_path / "new.csv", ["x0", "x1"], rows)

    status = main(["predict", str(model_path), str(data)])

    out, err = capsys.readouterr()
    assert status == 1
    assert out == ""
    assert "column 'x1' (the model's features) has a missing or infinite" in err
    assert "line 6" in err


@pytest.mark.parametrize(
    "text, line",
    [
        ('x,note,y\n1,"two\nlines",oops\n2,plain,4\n', 2),
        ('x,note,y\n1,"two\nlines",2\n2,plain,oops\n', 4),
    ],
    ids=["in the row", "after it"],
)
def test_line_numbers_with_multiline_cell(text, line, tmp_path, capsys):
    # A row is named by the line it starts on.
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    status = main(["fit", str(path), "--target", "y", "--features", "x"])
    err = capsys.readouterr().err
    assert status == 1
    assert f"line {line} of {path} has 'oops'" in err


def test_one_row_fit_matches_reference(tmp_path, capsys):
    path = write_csv(tmp_path / "one.csv", ["x", "y"], [[1.5, 2.0]])
    reference = LinearRegression().fit([[1.5]], [2.0])

    status = main(["fit", str(path), "--target", "y"])

    out = capsys.readouterr().out
    assert status == 0
    assert f"{path}: 1 row\n" in out
    assert "R^2           undefined (needs at least 2 rows)" in out
    assert_allclose(read_value(out, "intercept"), reference.intercept_)


def test_fit_other_warnings_one_line(table, monkeypatch, capsys):
    path, _, _ = table
    original_fit = GDLinearRegressor.fit

    def fit_and_warn(self, *args, **kwargs):
        warnings.warn("overflow in\n  matmul", RuntimeWarning)
        return original_fit(self, *args, **kwargs)

    monkeypatch.setattr(GDLinearRegressor, "fit", fit_and_warn)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        status = main(["fit", str(path), "--target", "y"])

    err = capsys.readouterr().err
    assert status == 0
    assert err == "sklearn-gd fit: warning: RuntimeWarning: overflow in matmul\n"


def test_predict_warnings_one_line(table, model_path, monkeypatch, capsys):
    path, _, _ = table
    original_predict = GDLinearRegressor.predict

    def predict_and_warn(self, X):
        warnings.warn("values\n  clipped", UserWarning)
        return original_predict(self, X)

    monkeypatch.setattr(GDLinearRegressor, "predict", predict_and_warn)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        status = main(["predict", str(model_path), str(path)])

    err = capsys.readouterr().err
    assert status == 0
    assert err == "sklearn-gd predict: warning: UserWarning: values clipped\n"


def run_module(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "sklearn_gd", *args], timeout=300, **kwargs
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_predict_to_full_device(table, model_path):
    path, _, _ = table
    with open("/dev/full", "w") as full:
        completed = run_module(
            "predict", str(model_path), str(path), stdout=full, stderr=subprocess.PIPE
        )
    err = completed.stderr.decode()
    assert completed.returncode == 1
    assert err.splitlines() == [
        "sklearn-gd predict: error: cannot write to standard output: "
        "No space left on device."
    ]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_predict_output_full_device(table, model_path, capsys):
    path, _, _ = table
    status = main(["predict", str(model_path), str(path), "--output", "/dev/full"])
    err = capsys.readouterr().err
    assert status == 1
    assert "cannot write /dev/full: No space left on device." in err


def test_closed_pipe_is_silent(tmp_path, model_path):
    # Enough rows to overfill the pipe buffer, so that writes fail after the
    # reader has gone.
    rng = np.random.default_rng(0)
    data = write_csv(tmp_path / "big.csv", ["x0", "x1"], rng.normal(size=(50_000, 2)))
    process = subprocess.Popen(
        [sys.executable, "-m", "sklearn_gd", "predict", str(model_path), str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=300) == 1
    assert err == ""


def test_help_exits_zero(capsys):
    assert main(["fit", "--help"]) == 0
    assert "--learning-rate" in capsys.readouterr().out


# Plots


def test_fit_plots_without_matplotlib(table, tmp_path, monkeypatch, capsys):
    path, _, _ = table
    # A None entry in sys.modules makes `import matplotlib` raise ImportError.
    monkeypatch.setitem(sys.modules, "matplotlib", None)

    status = main(["fit", str(path), "--target", "y", "--plots", str(tmp_path)])

    err = capsys.readouterr().err
    assert status == 1
    assert PLOT_HINT in err


def test_demo_plots_without_matplotlib(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    status = main(["demo", "--plots", str(tmp_path)])
    captured = capsys.readouterr()
    assert status == 1
    assert PLOT_HINT in captured.err
    assert captured.out == ""


def test_fit_plots_written(table, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    pytest.importorskip("sklearn_gd._plotting")
    path, _, _ = table
    plots = tmp_path / "plots"

    status = main(["fit", str(path), "--target", "y", "--plots", str(plots)])

    out = capsys.readouterr().out
    written = [line.split(" ", 1)[1] for line in out.splitlines() if "wrote" in line]
    assert status == 0
    assert written
    for name in written:
        assert Path(name).is_file()
    assert list(plots.glob("*.png"))


@pytest.fixture
def saved_axes(monkeypatch):
    """Keep the axes of every figure that --plots writes, by path."""
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    axes = {}
    savefig = Figure.savefig

    def keep_and_save(figure, path, **kwargs):
        axes[Path(path)] = figure.axes[0]
        return savefig(figure, path, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep_and_save)
    return axes


def test_fit_plots_use_column_names(table, tmp_path, saved_axes, capsys):
    path, _, _ = table
    plots = tmp_path / "plots"
    argv = ["fit", str(path), "--target", "y", "--features", "x1", "x0"]

    status = main([*argv, "--plots", str(plots)])

    lines_ax = saved_axes[plots / "fitted_lines.png"]
    assert status == 0
    assert saved_axes[plots / "descent_path.png"].get_xlabel() == "coefficient w of x1"
    assert lines_ax.get_xlabel() == "x1"
    assert lines_ax.get_ylabel() == "y"


def test_fit_plots_pick_largest_effect(table, tmp_path, saved_axes, capsys):
    # x0 has coefficient 2 and standard deviation 1, x1 coefficient -0.5 and
    # standard deviation 10, so x1 moves the prediction most.
    path, X, y = table
    plots = tmp_path / "plots"
    reference = LinearRegression().fit(X, y)
    assert np.argmax(np.abs(reference.coef_) * X.std(axis=0)) == 1

    status = main(["fit", str(path), "--target", "y", "--plots", str(plots)])

    assert status == 0
    assert saved_axes[plots / "fitted_lines.png"].get_xlabel() == "x1"


def test_demo_plots_written_with_galton_names(tmp_path, saved_axes, capsys):
    pytest.importorskip("sklearn_gd._plotting")

    status = main(["demo", "--plots", str(tmp_path)])

    assert status == 0
    assert list((tmp_path / "nesterov").glob("*.png"))
    assert list((tmp_path / "gd").glob("*.png"))
    for solver in ("nesterov", "gd"):
        lines_ax = saved_axes[tmp_path / solver / "fitted_lines.png"]
        path_ax = saved_axes[tmp_path / solver / "descent_path.png"]
        assert lines_ax.get_xlabel() == "midparentHeight"
        assert lines_ax.get_ylabel() == "childHeight"
        assert path_ax.get_xlabel() == "coefficient w of midparentHeight"
