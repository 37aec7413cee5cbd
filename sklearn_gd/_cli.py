"""The ``sklearn-gd`` command: ``demo``, ``fit`` and ``predict``.

Exit status: 0 on success, 1 when reading the data, fitting or writing fails, and
2 for invalid command-line usage (argparse's convention).
"""

import argparse
import contextlib
import csv
import math
import os
import re
import shutil
import sys
import textwrap
import time
import warnings
from pathlib import Path

import joblib
import numpy as np
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.utils.validation import check_is_fitted

from . import __version__
from ._estimator import GDLinearRegressor
from .datasets import load_galton

PROG = "sklearn-gd"

PLOT_INSTALL_HINT = 'pip install "sklearn-gd[plot]"'

# Starting point and learning rates of the textbook-loop lessons in the demo.
DEMO_COEF_INIT = 3.0
DEMO_INTERCEPT_INIT = 1.0
DEMO_DIVERGING_LEARNING_RATE = 0.005
DEMO_TEXTBOOK_MAX_ITER = 10_000
DEMO_TEXTBOOK_EPOCHS_SHOWN = (0, 1, 10, 100, 1_000, 10_000)

# A number in plain decimal or scientific notation, such as 12, -0.5, .5 or 1e-3.
# float() also accepts nan, inf, underscores between digits and non-ASCII digits,
# which a CSV cell should not contain.
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

# Number of rows above which the demo's epoch table shows only the first and
# last epochs.
MAX_FULL_TABLE_ROWS = 12


class CommandError(Exception):
    """A failure to report on one line of stderr, with exit status 1."""


def main(argv=None):
    """Run the ``sklearn-gd`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments without the program name. None reads ``sys.argv[1:]``.

    Returns
    -------
    status : int
        Exit status: 0 on success, 1 when the command fails, 2 for invalid usage,
        130 when interrupted.
    """
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        # argparse exits with 0 after --help and 2 after a usage error. Return
        # that status so that callers of main() get an int either way.
        return exc.code if isinstance(exc.code, int) else 2

    try:
        with (
            contextlib.redirect_stdout(_CheckedStdout(sys.stdout)),
            warnings.catch_warnings(),
        ):
            warnings.showwarning = _warning_printer(args.command)
            status = args.run(args)
            # Flush here, so that a write error surfaces in this try block and
            # not in the interpreter's flush at exit.
            sys.stdout.flush()
        return status
    except StdoutWriteError as exc:
        _discard_stdout()
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except CommandError as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of stdout closed it early (as `| head` does), which needs no
        # message.
        _discard_stdout()
        return 1


class StdoutWriteError(CommandError):
    """A write to standard output that failed for a reason other than a closed
    pipe, such as a full disk."""


class _CheckedStdout:
    """A wrapper of standard output that turns a failed write or flush into
    :class:`StdoutWriteError`.

    BrokenPipeError passes through unchanged. Other attributes come from the
    wrapped stream.
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise StdoutWriteError(_stdout_failure(exc)) from exc

    def flush(self):
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise StdoutWriteError(_stdout_failure(exc)) from exc

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _stdout_failure(exc):
    return f"cannot write to standard output: {exc.strerror or exc}."


def _discard_stdout():
    """Point the file descriptor of stdout at devnull, so that the interpreter's
    flush at exit does not fail again on the output still buffered."""
    try:
        fileno = sys.stdout.fileno()
    # A stream without a file descriptor (as under pytest's capture) has nothing
    # to flush at exit.
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


# Command-line parsing.


def _build_parser():
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Linear regression by full-batch gradient descent "
            "(sklearn_gd.GDLinearRegressor)."
        ),
        epilog=(
            "Exit status: 0 on success, 1 when the data, the fit or a file fails, "
            "2 for invalid usage."
        ),
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="fit Galton's family heights and show what can go wrong",
        description=(
            "Fit Galton's family heights (midparentHeight -> childHeight) with the "
            "default solver, compare the result with LinearRegression, then run "
            "the textbook gradient loop with a learning rate that diverges and "
            "with one that is stable but slow. Needs no network."
        ),
    )
    demo.add_argument(
        "--plots",
        metavar="DIR",
        type=Path,
        help=(
            "write loss-curve, descent-path and fitted-line PNGs to DIR/nesterov "
            "for the default fit and to DIR/gd for the textbook loop "
            f"(learning_rate='auto', {DEMO_TEXTBOOK_MAX_ITER:,} epochs from "
            f"w = {DEMO_COEF_INIT:g}, b = {DEMO_INTERCEPT_INIT:g}), whose "
            "descent path shows how slowly it moves along the valley of the "
            "SSR (needs matplotlib)"
        ),
    )
    demo.set_defaults(run=_run_demo)

    fit = commands.add_parser(
        "fit",
        help="fit a linear model to a CSV file",
        description=(
            "Fit GDLinearRegressor to the columns of a CSV file with a header line, "
            "and print the coefficients, intercept, R^2, number of epochs and "
            "final sum of squared residuals (SSR)."
        ),
    )
    fit.add_argument("data", metavar="DATA.csv", type=Path, help="input CSV file")
    fit.add_argument(
        "--target", required=True, metavar="COLUMN", help="column to predict"
    )
    fit.add_argument(
        "--features",
        nargs="+",
        metavar="COLUMN",
        help="feature columns (default: every numeric column except the target)",
    )
    fit.add_argument(
        "--learning-rate",
        type=_learning_rate,
        default="auto",
        metavar="auto|FLOAT",
        help="step size of the update (default: auto, which uses 1/L)",
    )
    fit.add_argument(
        "--solver",
        choices=["nesterov", "gd"],
        default="nesterov",
        help=(
            "nesterov: accelerated descent on centred, scaled columns (default), or "
            "gd: the textbook loop on the raw coefficients and intercept"
        ),
    )
    fit.add_argument(
        "--max-iter",
        type=_positive_int,
        default=10_000,
        metavar="N",
        help="maximum number of epochs (default: 10000)",
    )
    fit.add_argument(
        "--plots",
        metavar="DIR",
        type=Path,
        help=(
            "write loss-curve, descent-path and fitted-line PNGs to DIR (needs "
            "matplotlib). With several features the descent path and fitted "
            "lines show the first of --features, or without --features the "
            "feature with the largest |coefficient| * standard deviation. The "
            "fit then keeps the coefficients of every epoch, so its memory grows "
            "with --max-iter."
        ),
    )
    fit.add_argument(
        "--save",
        metavar="MODEL.joblib",
        type=Path,
        help="save the fitted model and its feature names with joblib",
    )
    fit.set_defaults(run=_run_fit)

    predict = commands.add_parser(
        "predict",
        help="predict with a model saved by 'fit --save'",
        description=(
            "Predict the target for each row of a CSV file with a model saved by "
            "'sklearn-gd fit --save'. The file must contain the model's feature "
            "columns, and other columns are ignored. Load only model files you trust, "
            "because joblib files can run code when loaded."
        ),
    )
    predict.add_argument(
        "model", metavar="MODEL.joblib", type=Path, help="saved model file"
    )
    predict.add_argument("data", metavar="DATA.csv", type=Path, help="input CSV file")
    predict.add_argument(
        "--output",
        metavar="OUT.csv",
        type=Path,
        help="write the predictions to this CSV file (default: standard output)",
    )
    predict.set_defaults(run=_run_predict)
    return parser


def _learning_rate(text):
    """Parse --learning-rate: ``auto`` or a positive, finite float."""
    if text == "auto":
        return text
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(
            f"invalid value {text!r}: use 'auto' or a positive number such as 1e-7"
        )
    return value


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"invalid value {text!r}: use a positive whole number such as 10000"
        )
    return value


# The demo.


def _run_demo(args):
    save_descent_plots = _import_plotting() if args.plots else None
    X, y = load_galton(return_X_y=True)

    print("Galton's family heights: 934 adult children of 205 families, in inches.")
    print("Fit childHeight = w * midparentHeight + b by minimizing the sum of")
    print("squared residuals SSR(w, b) = sum_i (w * x_i + b - y_i)^2.")

    default = _demo_default_fit(X, y)
    _demo_diverging_loop(X, y)
    textbook = _demo_slow_loop(X, y, default.n_iter_)

    if save_descent_plots is not None:
        _print_heading("Plots")
        print(
            f"{args.plots / 'nesterov'} shows the default fit of section 1, and "
            f"{args.plots / 'gd'} the textbook loop of section 4."
        )
        for name, estimator in (("nesterov", default), ("gd", textbook)):
            paths = _save_plots(
                save_descent_plots,
                estimator,
                X,
                y,
                args.plots / name,
                feature_names=["midparentHeight"],
                target_name="childHeight",
            )
            for path in paths:
                print(f"wrote {path}")
    return 0


def _demo_default_fit(X, y):
    """Print the default fit's epochs and its comparison with LinearRegression."""
    default = GDLinearRegressor(record_every=1)
    _fit_quietly("demo", default, X, y)
    _print_heading(
        "1. The default fit: GDLinearRegressor(solver='nesterov', learning_rate='auto')"
    )
    _print_epoch_table(default, X, y, default.path_epochs_)
    print(f"Converged after {default.n_iter_} epochs.")

    exact = LinearRegression().fit(X, y)
    _print_heading("2. Compared with LinearRegression (the exact least squares)")
    _print_comparison(default, exact, X, y)
    return default


def _demo_diverging_loop(X, y):
    """Print the ValueError of the textbook loop with a too large learning rate."""
    _print_heading(
        f"3. The textbook loop: solver='gd', "
        f"learning_rate={DEMO_DIVERGING_LEARNING_RATE:g}"
    )
    start_ssr = _ssr(X, y, [DEMO_COEF_INIT], DEMO_INTERCEPT_INIT)
    lipschitz = 2.0 * np.linalg.eigvalsh(_raw_gram(X))[-1]
    growth = abs(1.0 - DEMO_DIVERGING_LEARNING_RATE * lipschitz)
    _print_wrapped(
        f"Start at w = {DEMO_COEF_INIT:g}, b = {DEMO_INTERCEPT_INIT:g} "
        f"(SSR = {start_ssr:,.2f}). Each epoch multiplies the error along the "
        "steepest direction of the SSR by |1 - learning_rate * L|, where L is the "
        "Lipschitz constant of its gradient. Here that factor is "
        f"{growth:,.0f}, so the loop would diverge. The estimator checks the "
        "learning rate against 2/L before the first epoch:"
    )
    diverging = GDLinearRegressor(
        solver="gd", learning_rate=DEMO_DIVERGING_LEARNING_RATE
    )
    try:
        diverging.fit(
            X, y, coef_init=[DEMO_COEF_INIT], intercept_init=DEMO_INTERCEPT_INIT
        )
    except ValueError as exc:
        _print_wrapped(f"ValueError: {exc}")
    else:
        print("The fit did not raise, so the learning rate was stable for this data.")


def _demo_slow_loop(X, y, default_epochs):
    """Fit the textbook loop with learning_rate='auto', print how far it got."""
    _print_heading("4. The textbook loop with learning_rate='auto' (1/L)")
    textbook = GDLinearRegressor(
        solver="gd", max_iter=DEMO_TEXTBOOK_MAX_ITER, record_every=1
    )
    caught = _fit_quietly(
        "demo",
        textbook,
        X,
        y,
        coef_init=[DEMO_COEF_INIT],
        intercept_init=DEMO_INTERCEPT_INIT,
    )
    _print_wrapped(
        f"Start again at w = {DEMO_COEF_INIT:g}, b = {DEMO_INTERCEPT_INIT:g}, with "
        f"learning_rate = 1/L = {textbook.learning_rate_:.3g}, half the largest "
        "stable step:"
    )
    epochs_to_show = [
        epoch for epoch in DEMO_TEXTBOOK_EPOCHS_SHOWN if epoch <= textbook.n_iter_
    ]
    _print_epoch_table(textbook, X, y, epochs_to_show)

    exact = LinearRegression().fit(X, y)
    exact_ssr = _ssr(X, y, exact.coef_, exact.intercept_)
    print(
        f"Least squares: SSR = {exact_ssr:,.2f}, w = {exact.coef_[0]:.6f}, "
        f"b = {exact.intercept_:.6f}."
    )
    for message in caught:
        print()
        _print_wrapped(f"ConvergenceWarning: {message}")
    print()
    _print_wrapped(_slow_descent_explanation(X, default_epochs))
    return textbook


def _slow_descent_explanation(X, default_epochs):
    """Return why the textbook loop is slow on this data, with its numbers."""
    condition = np.linalg.cond(_raw_gram(X))
    epochs_needed = condition * math.log(1e6)
    return (
        "Why so slow: [x, 1]^T [x, 1] has condition number "
        f"{condition:.2g}, so with learning_rate = 1/L the error along its "
        "flattest direction (mostly the intercept) shrinks by a factor of only "
        f"1 - 1/{condition:.2g} per epoch, and shrinking it by 10^6 takes about "
        f"{epochs_needed:.1e} epochs. The default solver centres and scales the "
        "column before descending, which leaves a one-feature problem that one "
        f"step solves: it stopped after {default_epochs} epochs."
    )


def _raw_gram(X):
    """Return ``[x, 1]^T [x, 1]`` for the single column ``x`` of X."""
    design = np.column_stack([X[:, 0], np.ones(X.shape[0])])
    return design.T @ design


def _print_heading(title):
    print()
    print(title)
    print("-" * len(title))


def _print_wrapped(text):
    print(
        textwrap.fill(
            text,
            width=79,
            break_long_words=False,
            break_on_hyphens=False,
        )
    )


def _print_epoch_table(estimator, X, y, epochs):
    """Print epoch, SSR, w and b for the recorded epochs in ``epochs``."""
    recorded = list(estimator.path_epochs_)
    epochs = list(epochs)
    if len(epochs) > MAX_FULL_TABLE_ROWS:
        epochs = epochs[:5] + [None] + epochs[-3:]

    print(f"{'epoch':>8}  {'SSR':>16}  {'w':>12}  {'b':>12}")
    for epoch in epochs:
        if epoch is None:
            print(f"{'...':>8}")
            continue
        index = recorded.index(epoch)
        coef = estimator.coef_path_[index]
        intercept = estimator.intercept_path_[index]
        if epoch == 0:
            ssr = _ssr(X, y, coef, intercept)
        else:
            ssr = estimator.loss_curve_[epoch - 1]
        print(f"{epoch:>8}  {ssr:>16,.2f}  {coef[0]:>12.6f}  {intercept:>12.6f}")


def _print_comparison(estimator, exact, X, y):
    rows = [
        ("slope w", estimator.coef_[0], exact.coef_[0]),
        ("intercept b", estimator.intercept_, exact.intercept_),
        ("R^2", estimator.score(X, y), exact.score(X, y)),
    ]
    print(f"{'':12}  {'GDLinearRegressor':>18}  {'LinearRegression':>18}  difference")
    for name, ours, reference in rows:
        print(
            f"{name:12}  {ours:>18.6f}  {reference:>18.6f}  {ours - reference:>10.1e}"
        )


def _ssr(X, y, coef, intercept):
    residuals = X @ np.asarray(coef, dtype=float) + intercept - y
    return float(residuals @ residuals)


def _fit_quietly(command, estimator, X, y, **fit_params):
    """Fit and return the ConvergenceWarning messages instead of showing them.

    Other warnings go to stderr as one ``sklearn-gd COMMAND: warning: ...`` line
    each, without the source line that the warnings module would show. A
    ValueError from the fit becomes a :class:`CommandError`. While stderr is a
    terminal, the fit shows its progress on one status line there.
    """
    # Warnings other than ConvergenceWarning keep the active filters, so that a
    # DeprecationWarning stays hidden as usual.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        try:
            _fit_with_progress(estimator, X, y, **fit_params)
        except ValueError as exc:
            raise CommandError(_one_line(exc)) from exc

    messages = []
    for warning in caught:
        if issubclass(warning.category, ConvergenceWarning):
            messages.append(_one_line(warning.message))
        else:
            _print_warning(
                command, f"{warning.category.__name__}: {_one_line(warning.message)}"
            )
    return messages


def _one_line(message):
    """Return the text of an exception or warning with its whitespace collapsed."""
    return " ".join(str(message).split())


def _print_warning(command, message):
    print(f"{PROG} {command}: warning: {message}", file=sys.stderr)


def _warning_printer(command):
    """Return a ``warnings.showwarning`` that prints one line without the source
    location, for warnings that no step of the command catches itself."""

    def show_warning(message, category, filename, lineno, file=None, line=None):
        _print_warning(command, f"{category.__name__}: {_one_line(message)}")

    return show_warning


def _fit_with_progress(estimator, X, y, **fit_params):
    if not sys.stderr.isatty():
        estimator.fit(X, y, **fit_params)
        return

    verbose = estimator.verbose
    progress = _ProgressLine(sys.stderr, estimator.max_iter)
    estimator.set_params(verbose=1)
    try:
        with contextlib.redirect_stdout(progress):
            estimator.fit(X, y, **fit_params)
    finally:
        estimator.set_params(verbose=verbose)
        progress.clear()


class _ProgressLine:
    """A file-like sink for the estimator's verbose lines.

    It shows the latest ``Epoch N, SSR = ...`` line as one status line on
    ``stream``, redrawn in place with a carriage return at most every
    ``interval`` seconds, and drops the other lines.
    """

    def __init__(self, stream, max_iter, interval=0.1):
        self.stream = stream
        self.max_iter = max_iter
        self.interval = interval
        self._pending = ""
        self._drawn_at = None
        self._width = 0

    def write(self, text):
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        epoch_lines = [line for line in lines if line.startswith("Epoch ")]
        now = time.monotonic()
        due = self._drawn_at is None or now - self._drawn_at >= self.interval
        if epoch_lines and due:
            self._draw(epoch_lines[-1])
            self._drawn_at = now
        return len(text)

    def flush(self):
        self.stream.flush()

    def clear(self):
        """Erase the status line, if one was drawn."""
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def _draw(self, line):
        line = re.sub(r"^Epoch (\d+)", rf"Epoch \1/{self.max_iter}", line)
        columns = shutil.get_terminal_size().columns
        # A line as wide as the terminal wraps, and "\r" then returns only to the
        # start of the last row, so keep one column free.
        line = line[: max(columns - 1, 1)]
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = max(self._width, len(line))


# fit and predict on CSV files.


def _run_fit(args):
    if args.save is not None:
        _check_writable(args.save, f"the model to {args.save}")
    table = _read_table(args.data)
    y = table.numeric_column(args.target, "--target")
    feature_names = _select_features(table, args.target, args.features)
    X = np.column_stack(
        [table.numeric_column(name, "--features") for name in feature_names]
    )
    save_descent_plots = _import_plotting() if args.plots else None

    estimator = GDLinearRegressor(
        learning_rate=args.learning_rate,
        solver=args.solver,
        max_iter=args.max_iter,
        record_every=1 if args.plots else None,
    )
    caught = _fit_quietly("fit", estimator, X, y)

    _print_fit_report(args, table, estimator, feature_names, X, y, caught)
    for message in caught:
        _print_warning("fit", message)

    if args.save is not None:
        model = {
            "estimator": estimator,
            "feature_names": list(feature_names),
            "target_name": args.target,
        }
        try:
            joblib.dump(model, args.save)
        except OSError as exc:
            raise CommandError(
                f"cannot write the model to {args.save}: {exc.strerror or exc}."
            ) from exc
        print(f"saved the model to {args.save}")

    if save_descent_plots is not None:
        paths = _save_plots(
            save_descent_plots,
            estimator,
            X,
            y,
            args.plots,
            # The first of --features, or the feature with the largest effect.
            feature=0 if args.features else None,
            feature_names=feature_names,
            target_name=args.target,
        )
        for path in paths:
            print(f"wrote {path}")
    return 0


def _print_fit_report(args, table, estimator, feature_names, X, y, caught):
    converged = "did not converge" if caught else "converged"
    width = max(len(name) for name in feature_names) + 4
    n_rows = X.shape[0]
    print(f"data          {table.path}: {n_rows} {'row' if n_rows == 1 else 'rows'}")
    print(f"target        {args.target}")
    if table.skipped:
        print(f"skipped       {', '.join(table.skipped)} (not numeric)")
    print(
        f"solver        {args.solver}, learning_rate={args.learning_rate} "
        f"(learning_rate_ = {estimator.learning_rate_:.6g})"
    )
    print("coefficients")
    for name, value in zip(feature_names, estimator.coef_):
        print(f"  {name:<{width}}{value:.8g}")
    print(f"intercept     {estimator.intercept_:.8g}")
    # scikit-learn's r2_score returns nan with an UndefinedMetricWarning for one row.
    if n_rows >= 2:
        print(f"R^2           {estimator.score(X, y):.8g}")
    else:
        print("R^2           undefined (needs at least 2 rows)")
    print(f"epochs        {estimator.n_iter_} ({converged})")
    print(f"final SSR     {estimator.loss_curve_[-1]:.8g}")


def _select_features(table, target, features):
    """Return the feature column names, or raise CommandError."""
    if features is None:
        names = [name for name in table.numeric_names() if name != target]
        if not names:
            skipped = ", ".join(table.skipped) or "none"
            raise CommandError(
                f"{table.path} has no numeric column besides the target "
                f"{target!r} (not numeric: {skipped}). Make a feature column "
                "numeric, or name feature columns with --features."
            )
        return names

    if target in features:
        raise CommandError(
            f"--features includes the target column {target!r}. "
            "Remove it from --features."
        )
    repeated = sorted({name for name in features if features.count(name) > 1})
    if repeated:
        raise CommandError(
            f"--features names {', '.join(repeated)} more than once. "
            "Name each column once."
        )
    return list(features)


def _run_predict(args):
    if args.output is not None:
        _check_writable(args.output, str(args.output))
    estimator, feature_names, target_name = _load_model(args.model)
    table = _read_table(args.data)
    X = np.column_stack(
        [table.numeric_column(name, "the model's features") for name in feature_names]
    )
    try:
        predictions = estimator.predict(X)
    except ValueError as exc:
        raise CommandError(_one_line(exc)) from exc

    header = f"predicted_{target_name}"
    if args.output is None:
        _write_predictions(sys.stdout, header, predictions)
        return 0
    try:
        with open(args.output, "w", newline="", encoding="utf-8") as file:
            _write_predictions(file, header, predictions)
    except OSError as exc:
        raise CommandError(
            f"cannot write {args.output}: {exc.strerror or exc}."
        ) from exc
    return 0


def _write_predictions(file, header, predictions):
    writer = csv.writer(file, lineterminator="\n")
    writer.writerow([header])
    for value in predictions:
        writer.writerow([repr(float(value))])


def _load_model(path):
    """Return ``(estimator, feature_names, target_name)`` from a ``fit --save`` file."""
    if not path.is_file():
        raise CommandError(f"model file not found: {path}. Check the path.")
    try:
        model = joblib.load(path)
    # Unpickling a file that is not a joblib dump can raise almost any exception
    # type (KeyError, EOFError, UnpicklingError, ...).
    except Exception as exc:
        raise CommandError(
            f"cannot load {path} as a joblib file ({type(exc).__name__}: {exc}). "
            f"Pass a file written by '{PROG} fit --save'."
        ) from exc

    problem = _saved_model_problem(model)
    if problem is not None:
        raise CommandError(
            f"{path} is not a model saved by '{PROG} fit --save': {problem}. Pass "
            "a file written by that command."
        )
    return model["estimator"], model["feature_names"], model["target_name"]


def _saved_model_problem(model):
    """Return why ``model`` is not the dict that ``fit --save`` writes, or None."""
    if not isinstance(model, dict):
        return f"it contains a {type(model).__name__}, not a dict"
    missing = [
        key for key in ("estimator", "feature_names", "target_name") if key not in model
    ]
    if missing:
        return f"the key {missing[0]!r} is missing"

    estimator = model["estimator"]
    if not isinstance(estimator, GDLinearRegressor):
        return f"'estimator' is a {type(estimator).__name__}, not a GDLinearRegressor"
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return "'estimator' is not fitted"

    names = model["feature_names"]
    if not (
        isinstance(names, list)
        and names
        and all(isinstance(name, str) for name in names)
    ):
        return "'feature_names' is not a non-empty list of column names"
    if len(set(names)) != len(names):
        return "'feature_names' names a column more than once"
    n_features = getattr(estimator, "n_features_in_", None)
    if n_features != len(names):
        return (
            f"'feature_names' lists {len(names)} columns, but the estimator was "
            f"fitted on {n_features}"
        )
    if not isinstance(model["target_name"], str):
        return "'target_name' is not a string"
    return None


def _check_writable(path, description):
    """Raise CommandError unless a file can be written at ``path``.

    Callers check before reading and fitting, so that a mistyped output path
    fails at once.
    ``description`` names the output in the message, as in "the model to PATH".
    """
    folder = path.parent
    if path.is_dir():
        raise CommandError(
            f"cannot write {description}: it is a folder. Name a file in it."
        )
    if not folder.is_dir():
        raise CommandError(
            f"cannot write {description}: the folder {folder} does not exist. "
            "Create it, or choose another path."
        )
    # os.access also reports a read-only file system, but not a full disk.
    if not os.access(folder, os.W_OK) or (
        path.exists() and not os.access(path, os.W_OK)
    ):
        raise CommandError(
            f"cannot write {description}: permission denied. Choose a path that "
            "you can write to."
        )


class _Table:
    """The header and data rows of a CSV file, with the line number of each row."""

    def __init__(self, path, header, rows, line_numbers):
        self.path = path
        self.header = header
        self.rows = rows
        self.line_numbers = line_numbers
        self.skipped = []

    def index(self, name, option):
        positions = [i for i, column in enumerate(self.header) if column == name]
        if not positions:
            raise CommandError(
                f"column {name!r} ({option}) is not in {self.path}. Its columns "
                f"are: {', '.join(self.header)}."
            )
        if len(positions) > 1:
            raise CommandError(
                f"column {name!r} ({option}) appears {len(positions)} times in the "
                f"header of {self.path}. Rename the copies."
            )
        return positions[0]

    def numeric_column(self, name, option):
        """Return column ``name`` as float64, or raise CommandError."""
        index = self.index(name, option)
        values = np.empty(len(self.rows))
        for i, row in enumerate(self.rows):
            values[i] = self._parse_cell(row[index], name, option, i)
        return values

    def _parse_cell(self, cell, name, option, row_index):
        """Return ``cell`` as a finite float, or raise CommandError naming the
        column, the line and the cell."""
        text = cell.strip()
        column = f"column {name!r} ({option})"
        line = f"line {self.line_numbers[row_index]} of {self.path}"
        found = f"{line} has {cell!r}"
        if PLAIN_NUMBER.fullmatch(text):
            value = float(text)
            if math.isinf(value):
                raise CommandError(
                    f"{column} has a value beyond the float64 range (about "
                    f"1.8e308): {found}. Rescale the column, or remove that row."
                )
            return value

        try:
            value = float(text)
        except ValueError:
            if not text:
                found = f"{line} has an empty value"
            raise CommandError(
                f"{column} is not numeric: {found}. Choose numeric columns, or fix "
                "or remove that row."
            ) from None
        if not math.isfinite(value):
            raise CommandError(
                f"{column} has a missing or infinite value: {found}. Remove the rows "
                "with such values, or fill them in (impute them) first."
            )
        raise CommandError(
            f"{column} has a number in an unsupported format: {found}. Write plain "
            "decimal numbers, such as 1000, -2.5 or 1.5e-3."
        )

    def numeric_names(self):
        """Return the names of the columns whose cells all parse as numbers, and
        record the others in ``skipped``."""
        numeric = []
        self.skipped = []
        for index, name in enumerate(self.header):
            if all(_is_number(row[index]) for row in self.rows):
                numeric.append(name)
            else:
                self.skipped.append(name)
        return numeric


def _is_number(text):
    """Return whether float() parses ``text``.

    This is looser than the check of ``_Table.numeric_column``, so that a
    numeric column with a ``nan`` or ``1_000`` cell is rejected with that cell's
    line instead of being skipped as a text column.
    """
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_table(path):
    """Read a CSV file with a header line, or raise CommandError."""
    rows = []
    line_numbers = []
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            # strict=True rejects a quote that is never closed, which the default
            # reader would accept, taking the rest of the file as one cell.
            reader = csv.reader(file, strict=True)
            first_line = 1
            header = next(reader, None)
            while True:
                # A quoted cell may span lines, so a row starts on the line after
                # the end of the previous one.
                first_line = reader.line_num + 1
                row = next(reader, None)
                if row is None:
                    break
                if row:
                    rows.append(row)
                    line_numbers.append(first_line)
    except FileNotFoundError:
        raise CommandError(f"file not found: {path}. Check the path.") from None
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise CommandError(
            f"{path} is not UTF-8 text. Save it as a UTF-8 CSV file."
        ) from None
    except csv.Error as exc:
        raise CommandError(
            f"line {first_line} of {path} is not valid CSV: {exc}. Check the quotes "
            "from that line on: a quoted cell must end with a closing quote, and a "
            'quote inside it is written twice ("").'
        ) from None

    if header is None or not any(cell.strip() for cell in header):
        raise CommandError(
            f"{path} is empty. It needs a header line of column names and at "
            "least one row of data."
        )
    if not rows:
        raise CommandError(
            f"{path} has a header but no rows of data. Add at least one row."
        )
    header = [name.strip() for name in header]
    for row, line in zip(rows, line_numbers):
        if len(row) != len(header):
            raise CommandError(
                f"line {line} of {path}: expected {len(header)} values, one per "
                f"header column, but found {len(row)}."
            )
    return _Table(path, header, rows, line_numbers)


# Plots.


def _import_plotting():
    """Return ``save_descent_plots``, or raise CommandError without matplotlib."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise CommandError(
            "--plots needs matplotlib, which is not installed. Install it with: "
            f"{PLOT_INSTALL_HINT}"
        ) from None
    try:
        from ._plotting import save_descent_plots
    except ImportError as exc:
        raise CommandError(f"--plots is unavailable: {exc}.") from None
    return save_descent_plots


def _save_plots(save_descent_plots, estimator, X, y, directory, **plot_params):
    try:
        directory.mkdir(parents=True, exist_ok=True)
        return save_descent_plots(estimator, X, y, directory, **plot_params)
    except OSError as exc:
        raise CommandError(
            f"cannot write plots to {directory}: {exc.strerror or exc}."
        ) from exc
    except ValueError as exc:
        raise CommandError(f"cannot draw the plots: {exc}") from exc
