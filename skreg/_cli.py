"""skreg's command line: ``skreg COMMAND ...`` (or ``python -m skreg COMMAND ...``).

Commands:

  demo      LassoCV on scikit-learn's diabetes data, beside scikit-learn's LassoCV;
            writes a regularization-path plot and a CV-curve plot (PNG)
  fit       fit Lasso / ElasticNet / Ridge on a CSV file (alpha chosen by K-fold CV unless
            --alpha is given) and save the model (a skops file) for `predict`
  predict   predict with a saved model on a CSV file
  path      print (and plot) the Lasso / ElasticNet regularization path of a CSV file

The command line computes no model itself: fits, searches, alpha grids and standardization are
the library's (`skreg._cli_models` says which call serves which option; only the scale of the
ridge alpha grid, which the library lacks, is taken from the data there). Options and their
ranges are `skreg._cli_args`'s, CSV files `skreg._csv`'s, model files `skreg._model_file`'s,
output paths and plots `skreg._cli_files`'s, the demo `skreg._cli_demo`'s.
Every user error is reported on one line of stderr with exit code 2, and is detected before
any fit when it can be (options, output paths, plot formats).
"""

import contextlib
import math
import os
import sys
import time
import warnings

import numpy as np

import skreg

from ._cli_args import build_parser
from ._cli_demo import demo
from ._cli_files import (
    CLIError,
    check_output,
    first_line,
    legend_outside,
    new_axes,
    plot_path,
    save_figure,
)
from ._cli_models import MODEL_NAMES, fit_model
from ._csv import CSVError, read_csv, write_csv
from ._model_file import MODEL_FORMAT, MODEL_VERSION, ModelFileError, load_model, save_model

LONG_RUN = 20_000_000  # n_samples * n_features * folds above this: per-fold progress


def _progress(args, message):
    if not getattr(args, "quiet", False):
        print(f"skreg: {message}", file=sys.stderr, flush=True)


def _warn_lines(caught):
    """Print recorded warnings as one line each (duplicates once)."""
    seen = set()
    for w in caught:
        text = f"{w.category.__name__}: {str(w.message).splitlines()[0]}"
        if text not in seen:
            seen.add(text)
            print(f"skreg: warning: {text}", file=sys.stderr)


# ------------------------------------------------------------------------------------------------
# Data and models of the fit / path commands
# ------------------------------------------------------------------------------------------------


def _column_list(values, table, option):
    """Column names of repeated --drop / --keep values. A value that is not a column name is
    split on commas, and the pieces are read back as names: the longest run of pieces that
    joins (with its commas) into a column name is that name, so names holding commas can be
    listed too (``--keep "id, code,age"``)."""
    out = []
    for value in values or []:
        if value in table.names:
            out.append(value)
            continue
        pieces = value.split(",")
        names, i = [], 0
        while i < len(pieces):
            j = next((j for j in range(len(pieces), i + 1, -1)
                      if ",".join(pieces[i:j]).strip() in table.names), i + 1)
            name = ",".join(pieces[i:j]).strip()
            if name:
                names.append(name)
            i = j
        if not names:
            raise CLIError(f"{option} {value!r}: no column name given")
        out.extend(names)
    return out


def _xy(args, table):
    """(X, y, feature names) of a fit/path command."""
    table.check_columns([args.target], "target column")
    drop = _column_list(args.drop, table, "--drop")
    table.check_columns(drop, "--drop column")
    if args.target in drop:
        raise CLIError(f"--drop {args.target!r}: that is the target column")
    features = [c for c in table.names if c != args.target and c not in drop]
    if not features:
        raise CLIError(f"no feature columns left in {args.data} (besides the target "
                       f"{args.target!r})")
    X = table.numeric(features, hint="encode it as numbers, or leave it out with --drop")
    y = table.numeric([args.target], hint="the target must be numeric")[:, 0]
    return X, y, features


def _cv_folds(k, n):
    from sklearn.model_selection import KFold

    if k > n:
        raise CLIError(f"--cv {k} needs at least {k} rows, the data has {n}")
    return KFold(k, shuffle=True, random_state=0)


# ------------------------------------------------------------------------------------------------
# fit
# ------------------------------------------------------------------------------------------------


def _check_fit_args(args):
    """The l1_ratios to use; CLIError for options that do not go together."""
    if args.l1_ratio is not None and args.model != "elasticnet":
        raise CLIError("--l1-ratio applies to --model elasticnet only")
    l1_ratios = [0.5] if args.l1_ratio is None else args.l1_ratio
    if args.alpha is not None:
        if len(l1_ratios) > 1:
            raise CLIError("with --alpha, give a single --l1-ratio")
        if args.selection_rule != "min":
            raise CLIError("--selection-rule applies only when alpha is chosen by CV "
                           "(without --alpha)")
    elif 0 in l1_ratios:
        raise CLIError("--l1-ratio 0 is ridge regression: use --model ridge (or give --alpha)")
    if args.eps is not None and (args.alpha is not None or args.model == "ridge"):
        raise CLIError("--eps applies to the alpha grid of lasso / elasticnet chosen by CV "
                       "(not with --alpha, nor --model ridge)")
    if os.path.splitext(args.out)[1].lower() in (".pkl", ".pickle", ".joblib"):
        raise CLIError(f"--out {args.out}: model files are skops files, not pickles; "
                       "name it e.g. model.skops")
    return l1_ratios


def _print_coefficients(names, coef, intercept, *, limit=25):
    coef = np.asarray(coef, dtype=np.float64).ravel()
    nz = np.flatnonzero(coef)
    order = nz[np.argsort(-np.abs(coef[nz]), kind="stable")]
    width = max([len(n) for n in names] + [len("(intercept)")])
    print(f"non-zero coefficients: {len(nz)} of {len(coef)} (largest |coef| first)")
    for j in order[:limit]:
        print(f"  {names[j]:<{width}} {coef[j]:+.6g}")
    if len(order) > limit:
        print(f"  ... and {len(order) - limit} more")
    print(f"  {'(intercept)':<{width}} {float(np.ravel(intercept)[0]):+.6g}")


def _table_rows(df, marks=()):
    """The rows of a path table worth printing: the first and last, each where df changes,
    and the marked ones (glmnet prints every row; a path of 100 alphas is too long here)."""
    rows = {0, len(df) - 1} | {i for i in range(1, len(df)) if df[i] != df[i - 1]}
    return sorted(rows | {i for i, mark in enumerate(marks) if mark})


def _print_table(columns, rows):
    """Print `columns` (header, values, format) at `rows`, right-aligned."""
    cells = [[header] + [fmt.format(values[i]) for i in rows] for header, values, fmt in columns]
    widths = [max(len(c) for c in column) for column in cells]
    for line in zip(*cells):
        print("  " + "  ".join(c.rjust(w) for c, w in zip(line, widths)).rstrip())


def _print_summary(table, n_folds):
    """The library's summary() of the search: alpha, df, %dev, CV error and its SE."""
    get = {name: np.asarray(table[name]) for name in
           ("alpha", "df", "pct_dev", "mse_mean", "mse_se", "mark")}
    rows = _table_rows(get["df"], get["mark"])
    print(f"path on all rows and {n_folds}-fold CV error ({len(rows)} of {len(get['alpha'])} "
          "alphas: where df changes, and the chosen ones; summary() in Python gives all):")
    _print_table([("alpha", get["alpha"], "{:.6g}"), ("df", get["df"], "{:d}"),
                  ("%dev", get["pct_dev"], "{:.2f}"), ("CV MSE", get["mse_mean"], "{:.6g}"),
                  ("CV SE", get["mse_se"], "{:.3g}"), ("", get["mark"], "{}")], rows)


def _print_choice(args, info):
    """The chosen alpha (and l1_ratio) and how it was chosen."""
    if args.alpha is not None:
        print(f"alpha: {args.alpha:.6g} (given)")
        return
    rule = ("1-SE rule: largest alpha within one standard error of the lowest CV MSE"
            if args.selection_rule == "1se" else "lowest CV MSE")
    print(f"chosen alpha: {info['alpha']:.6g} ({rule})")
    if args.selection_rule == "1se":
        print(f"  alpha of the lowest CV MSE: {info['alpha_min']:.6g}")
    elif "alpha_1se" in info:
        print(f"  1-SE rule alpha (--selection-rule 1se): {info['alpha_1se']:.6g}")
    if "l1_ratio" in info:
        print(f"chosen l1_ratio: {info['l1_ratio']:g}")
    if info["alpha_min"] == min(info["grid"]):
        print("  note: the lowest CV error is at the smallest alpha tried: the data may "
              "want even less regularization")
    elif info["alpha_min"] == max(info["grid"]):
        print("  note: the lowest CV error is at the largest alpha tried (the most "
              "regularized model): the features may carry little signal")


def _print_fit(args, desc, info, shape, features, model):
    scaler = "StandardScaler + " if hasattr(model, "steps") else ""
    standardized = ", standardized features" if args.standardize and not scaler else ""
    print(f"{scaler}{desc} on {args.data}: {shape[0]} samples x {shape[1]} features, "
          f"target {args.target!r}{standardized}")
    _print_choice(args, info)
    print(f"CV mean squared error ({args.cv}-fold): {info['cv_mse']:.6g} +/- "
          f"{info['cv_se']:.3g} (standard error), RMSE {math.sqrt(info['cv_mse']):.6g}")
    if "table" in info:
        _print_summary(info["table"], args.cv)
    final = model.steps[-1][1] if scaler else model
    if scaler:
        print("coefficients below are those of the standardized features")
    elif args.standardize:
        print("coefficients below are on the original scale of the features")
    _print_coefficients(features, final.coef_, final.intercept_)


def fit(args):
    """Fit a model on a CSV file and save it (skops) with its feature names."""
    l1_ratios = _check_fit_args(args)
    check_output(args.out, "model file", [args.data])
    table = read_csv(args.data, args.sep)
    X, y, features = _xy(args, table)
    n, p = X.shape
    folds = _cv_folds(args.cv, n)
    verbose = 1 if (args.verbose or n * p * args.cv >= LONG_RUN) and not args.quiet else 0
    name = MODEL_NAMES[args.model]
    what = (f"fitting {name} (alpha={args.alpha:g}) and scoring it by {args.cv}-fold CV"
            if args.alpha is not None else
            f"cross-validating {name} ({args.cv} folds, {args.n_alphas} alphas"
            f"{' per l1_ratio' if len(l1_ratios) > 1 else ''})")
    _progress(args, f"{what} on {n} samples x {p} features"
              + ("" if verbose else " (-v: per-fold progress)"))
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught, \
            contextlib.redirect_stdout(sys.stderr):
        warnings.simplefilter("always")
        try:
            model, desc, info = fit_model(args, X, y, l1_ratios, folds, verbose)
        except ValueError as exc:
            raise CLIError(f"fit failed: {first_line(exc)}") from None
    if not all(math.isfinite(info.get(key, 0.0)) for key in ("alpha", "cv_mse")):
        raise CLIError("fit failed: the chosen alpha or the CV error is not finite (values too "
                       "large for float64?): rescale the columns")
    _warn_lines(caught)
    _progress(args, f"done in {time.perf_counter() - t0:.2f} s")
    _print_fit(args, desc, info, X.shape, features, model)
    save_model(args.out, {"format": MODEL_FORMAT, "version": MODEL_VERSION,
                          "estimator": model, "feature_names": features,
                          "target": args.target, "model": args.model, "search": desc,
                          "cv_mse": info["cv_mse"], "cv_se": info["cv_se"]})
    print(f"saved model to {args.out} (use: skreg predict {args.out} DATA.csv)")
    return 0


# ------------------------------------------------------------------------------------------------
# predict
# ------------------------------------------------------------------------------------------------


def predict(args):
    """Predict with a saved model; write one '<target>_predicted' column (CSV)."""
    if args.out:
        check_output(args.out, "output file", [args.data, args.model])
    est, features, target = load_model(args.model, args.trust_pickle)
    table = read_csv(args.data, args.sep)
    table.check_columns(features, "feature column")
    keep = _column_list(args.keep, table, "--keep")
    table.check_columns(keep, "--keep column")
    X = table.numeric(features)
    try:
        with warnings.catch_warnings():  # columns are in the model's order, as arrays
            warnings.filterwarnings("ignore", message="X does not have valid feature names")
            pred = np.asarray(est.predict(X), dtype=np.float64)
    except (ValueError, TypeError, AttributeError) as exc:
        raise CLIError(f"the model in {args.model} cannot predict on {args.data}: "
                       f"{first_line(exc)}") from None
    if pred.shape != (table.n_rows,):
        raise CLIError(f"the model in {args.model} gives predictions of shape {pred.shape}, "
                       f"not one per row of {args.data}")
    header = [f"{target}_predicted" if isinstance(target, str) and target else "prediction"]
    if header[0] in keep:
        raise CLIError(f"--keep {header[0]!r}: the predictions column has that name")
    header = list(dict.fromkeys(keep)) + header
    columns = [table.cells[:, table.names.index(c)] for c in header[:-1]] + [pred]
    if not args.out:
        write_csv(sys.stdout, header, columns)
        return 0
    try:
        with open(args.out, "w", newline="", encoding="utf-8") as f:
            write_csv(f, header, columns)
    except OSError as exc:
        raise CLIError(f"cannot write {args.out}: {exc.strerror}") from None
    print(f"wrote {len(pred)} predictions to {args.out}")
    return 0


# ------------------------------------------------------------------------------------------------
# path
# ------------------------------------------------------------------------------------------------


def _print_entry_order(alphas, coefs, features):
    active = coefs != 0
    entered = sorted((int(np.argmax(active[j])), j) for j in range(len(features))
                     if active[j].any())
    width = max(len(f) for f in features)
    print("features in order of entry (sign, and alpha where each becomes non-zero):")
    for rank, (i, j) in enumerate(entered, 1):
        sign = "+" if coefs[j, i] > 0 else "-"
        print(f"  {rank:>3}. {features[j]:<{width}}  {sign}  alpha={alphas[i]:.4g}")
    never = [features[j] for j in range(len(features)) if not active[j].any()]
    if never:
        print(f"  never non-zero: {', '.join(never)}")


def path(args):
    """Print the order in which features enter the path; optionally plot it."""
    if args.l1_ratio is not None and args.model != "elasticnet":
        raise CLIError("--l1-ratio applies to --model elasticnet only")
    l1_ratio = 1.0 if args.model == "lasso" else (0.5 if args.l1_ratio is None
                                                  else args.l1_ratio)
    plot = plot_path(args.plot, [args.data]) if args.plot else None
    table = read_csv(args.data, args.sep)
    X, y, features = _xy(args, table)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            alphas, coefs, _, stats = skreg.enet_path(
                X, y, l1_ratio=l1_ratio, eps=args.eps, alphas=args.n_alphas,
                fit_intercept=True, standardize=args.standardize, return_stats=True)
        except ValueError as exc:
            raise CLIError(f"path failed: {first_line(exc)}") from None
    _warn_lines(caught)
    name = "lasso" if args.model == "lasso" else f"elastic-net (l1_ratio={l1_ratio:g})"
    print(f"{name} path on {args.data}: {len(alphas)} alphas from {alphas[0]:.4g} down to "
          f"{alphas[-1]:.4g}, target {args.target!r}"
          + (", standardized features" if args.standardize else ""))
    _print_entry_order(alphas, coefs, features)
    rows = _table_rows(stats.df)
    print(f"non-zero coefficients (df) and % of deviance explained ({len(rows)} of "
          f"{len(alphas)} alphas: where df changes):")
    _print_table([("alpha", alphas, "{:.4g}"), ("df", stats.df, "{:d}"),
                  ("%dev", 100 * stats.dev_ratio, "{:.2f}")], rows)
    if plot:
        fig, ax = new_axes()
        skreg.RegularizationPathDisplay.from_path(
            alphas, coefs, feature_names=features,
            estimator_name="Lasso" if args.model == "lasso" else "ElasticNet", ax=ax)
        if len(features) <= 12:
            legend_outside(ax)
        save_figure(fig, plot)
        print(f"wrote {plot}")
    return 0


def main(argv=None):
    """Run the ``skreg`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments (without the program name); None reads ``sys.argv[1:]``.

    Returns
    -------
    status : int
        0 on success, 2 on a usage or input error (reported on one line of stderr), 130 when
        interrupted.
    """
    parser = build_parser({"demo": demo, "fit": fit, "predict": predict, "path": path})
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors (already printed)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return args.func(args)
    except (CLIError, CSVError, ModelFileError) as exc:
        print(f"skreg {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"skreg {args.command}: error: out of memory", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"skreg {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes stdout
        return 0


if __name__ == "__main__":
    sys.exit(main())
