"""skreg's command line: ``skreg COMMAND ...`` (or ``python -m skreg COMMAND ...``).

Commands:

  demo      LassoCV on scikit-learn's diabetes data, beside scikit-learn's LassoCV;
            writes a regularization-path plot and a CV-curve plot (PNG)
  fit       fit Lasso / ElasticNet / Ridge on a CSV file (alpha chosen by K-fold CV unless
            --alpha is given) and save the model (a pickle) for `predict`
  predict   predict with a saved model on a CSV file
  path      print (and plot) the Lasso / ElasticNet regularization path of a CSV file

CSV files need a header row; every column used must be numeric with no missing values.
Errors are reported on one line of stderr with exit code 2.
"""

import argparse
import contextlib
import csv
import os
import pickle
import sys
import time
import warnings

import numpy as np

MODEL_FORMAT = "skreg-cli-model"
_MISSING = {"", "na", "nan", "n/a", "null", "none", "-nan"}
# Long CV runs (n_samples * n_features * folds above this) print one line per fold.
_LONG_RUN = 20_000_000


class CLIError(Exception):
    """An error reported to the user on one line (exit code 2), without a traceback."""


def _progress(args, message):
    if not getattr(args, "quiet", False):
        print(f"skreg: {message}", file=sys.stderr, flush=True)


def _have_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _new_axes():
    """Axes of a new figure that is never shown (no pyplot: works on any backend, headless)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.5), layout="constrained")
    return fig, fig.subplots()


def _legend_outside(ax):
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")


def _warn_lines(caught):
    """Print recorded warnings as one line each (duplicates once)."""
    seen = set()
    for w in caught:
        text = f"{w.category.__name__}: {str(w.message).splitlines()[0]}"
        if text not in seen:
            seen.add(text)
            print(f"skreg: warning: {text}", file=sys.stderr)


# ------------------------------------------------------------------------------------------------
# CSV input
# ------------------------------------------------------------------------------------------------


class Table:
    """The columns of a CSV file (header row required), converted to float on demand.

    Read with pandas when it is installed, otherwise with the csv module and numpy.
    """

    def __init__(self, path, names, get_column, n_rows, line_numbers=None):
        self.path = path
        self.names = names
        self._get = get_column  # name -> (float ndarray, or None when not numeric)
        self.n_rows = n_rows
        self.line_numbers = line_numbers  # file line of each data row (None: row + 1)

    def check_columns(self, wanted, what="column"):
        missing = [c for c in wanted if c not in self.names]
        if missing:
            listed = ", ".join(repr(c) for c in missing)
            raise CLIError(
                f"{what}{'s' if len(missing) > 1 else ''} {listed} not found in {self.path}; "
                f"available columns: {', '.join(self.names)}")

    def numeric(self, columns, hint="encode it as numbers first"):
        """float64 array (n_rows, len(columns)); CLIError for non-numeric columns (with
        `hint`) or missing / infinite values."""
        self.check_columns(columns)
        values, bad = [], []
        for name in columns:
            col = self._get(name)
            if col is None:
                bad.append(name)
            values.append(col)
        if bad:
            raise CLIError(
                f"non-numeric column{'s' if len(bad) > 1 else ''} in {self.path}: "
                f"{', '.join(repr(c) for c in bad)} ({hint})")
        X = np.column_stack(values) if values else np.empty((self.n_rows, 0))
        finite = np.isfinite(X)
        if not finite.all():
            rows, cols = np.nonzero(~finite)
            first = int(np.argmin(cols * X.shape[0] + rows))  # first column, first row
            j, i = int(cols[first]), int(rows[first])
            kind = "missing value (NaN)" if np.isnan(X[i, j]) else "infinite value"
            others = [columns[k] for k in np.unique(cols) if k != j]
            also = f"; also in {', '.join(repr(c) for c in others)}" if others else ""
            raise CLIError(
                f"{kind} in column {columns[j]!r} of {self.path}: first at row {i + 1} "
                f"(line {self._line(i)}), {int((~finite[:, j]).sum())} in that column{also}; "
                "fill or drop those rows first")
        return X

    def _line(self, i):
        return int(self.line_numbers[i]) if self.line_numbers is not None else i + 2


def _read_pandas(path, pd):
    try:
        df = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise CLIError(f"{path} is empty (a header row and data rows are needed)") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CLIError(f"cannot parse {path} as CSV: {str(exc).strip().splitlines()[-1]}") \
            from None
    df.columns = [str(c).strip() for c in df.columns]

    def column(name):
        s = df[name]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            return s.to_numpy(dtype=np.float64, na_value=np.nan)
        return None

    return Table(path, list(df.columns), column, len(df))


def _read_numpy(path):
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            rows, lines = [], []
            for row in reader:
                if not row or all(not v.strip() for v in row):
                    continue  # blank line
                if len(row) != len(header):
                    raise CLIError(
                        f"cannot parse {path} as CSV: line {reader.line_num} has {len(row)} "
                        f"fields, the header has {len(header)}")
                rows.append(row)
                lines.append(reader.line_num)
    except UnicodeDecodeError:
        raise CLIError(f"cannot parse {path} as CSV: not UTF-8 text") from None
    except csv.Error as exc:
        raise CLIError(f"cannot parse {path} as CSV: {exc}") from None
    if header is None:
        raise CLIError(f"{path} is empty (a header row and data rows are needed)")
    names = [h.strip() for h in header]
    cells = np.array(rows, dtype=object).reshape(len(rows), len(names))

    def column(name):
        out = np.empty(len(rows))
        for i, value in enumerate(cells[:, names.index(name)]):
            value = value.strip()
            if value.lower() in _MISSING:
                out[i] = np.nan
                continue
            try:
                out[i] = float(value)
            except ValueError:
                if value.lower() in ("true", "false"):
                    out[i] = value.lower() == "true"
                else:
                    return None
        return out

    return Table(path, names, column, len(rows), lines)


def _import_pandas():
    """pandas, or None when it is not installed (pandas is optional)."""
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def read_csv(path):
    """Read a CSV file with a header row into a `Table` (pandas if installed, else numpy)."""
    if not os.path.exists(path):
        raise CLIError(f"file not found: {path}")
    if os.path.isdir(path):
        raise CLIError(f"{path} is a directory, not a CSV file")
    pd = _import_pandas()
    table = _read_pandas(path, pd) if pd is not None else _read_numpy(path)
    if not table.n_rows:
        raise CLIError(f"{path} has a header but no data rows")
    return table


def _xy(args, table):
    """(X, y, feature names) of a fit/path command."""
    table.check_columns([args.target], "target column")
    drop = list(args.drop or [])
    table.check_columns(drop, "--drop column")
    features = [c for c in table.names if c != args.target and c not in drop]
    if not features:
        raise CLIError(f"no feature columns left in {args.data} (besides the target "
                       f"{args.target!r})")
    X = table.numeric(features, hint="encode it as numbers, or leave it out with --drop")
    y = table.numeric([args.target], hint="the target must be numeric")[:, 0]
    return X, y, features


# ------------------------------------------------------------------------------------------------
# Helpers on fitted models
# ------------------------------------------------------------------------------------------------


def _final_linear_model(est):
    """The fitted linear model inside `est` (a Pipeline's last step, a search's best)."""
    est = _search_of(est)
    if not hasattr(est, "coef_") and hasattr(est, "best_estimator_"):
        est = est.best_estimator_
    return est


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


def _cv_folds(k, n):
    from sklearn.model_selection import KFold

    if k < 2:
        raise CLIError(f"--cv must be at least 2, got {k}")
    if k > n:
        raise CLIError(f"--cv {k} needs at least {k} rows, the data has {n}")
    return KFold(k, shuffle=True, random_state=0)


def _ridge_grid(X, n_alphas, standardize):
    """Ridge alphas spanning no shrinkage to almost total shrinkage for this X."""
    if standardize:
        scale = float(X.shape[0] * X.shape[1])
    else:
        scale = float(((X - X.mean(axis=0)) ** 2).sum())
    scale = scale if scale > 0 else 1.0
    return np.geomspace(10 * scale, 1e-6 * scale, n_alphas)


# ------------------------------------------------------------------------------------------------
# demo
# ------------------------------------------------------------------------------------------------


def demo(args):
    """LassoCV (skreg) beside scikit-learn's LassoCV on the diabetes data, with plots."""
    from sklearn import linear_model as sk
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import KFold, train_test_split

    import skreg

    data = load_diabetes()  # plain arrays: the demo must run without pandas
    X, y, names = data.data, data.target, list(data.feature_names)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    folds = KFold(5)

    def best_of_3(make):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            model = make().fit(X_train, y_train)
            times.append(time.perf_counter() - t0)
        return model, min(times)

    ours, t_ours = best_of_3(lambda: skreg.LassoCV(cv=folds))
    theirs, t_theirs = best_of_3(lambda: sk.LassoCV(cv=folds))

    def cv_mse(model):
        i = int(np.argmin(np.abs(model.alphas_ - model.alpha_)))
        return float(model.mse_path_[i].mean())

    print(f"diabetes: {X.shape[0]} samples x {X.shape[1]} features "
          f"({len(y_train)} train / {len(y_test)} test); LassoCV, 5-fold CV, "
          f"{len(ours.alphas_)} alphas\n")
    rows = [
        ("alpha_ (lowest CV MSE)", f"{ours.alpha_:.6g}", f"{theirs.alpha_:.6g}"),
        ("alpha_1se_ (1-SE rule)", f"{ours.alpha_1se_:.6g}", "-"),
        ("CV MSE at alpha_", f"{cv_mse(ours):.2f}", f"{cv_mse(theirs):.2f}"),
        ("test R^2", f"{ours.score(X_test, y_test):.4f}",
         f"{theirs.score(X_test, y_test):.4f}"),
        ("non-zero coefficients", str(np.count_nonzero(ours.coef_)),
         str(np.count_nonzero(theirs.coef_))),
        ("fit time (best of 3)", f"{1e3 * t_ours:.1f} ms", f"{1e3 * t_theirs:.1f} ms"),
    ]
    print(f"  {'':<24}{'skreg.LassoCV':>15}{'sklearn LassoCV':>17}")
    for label, a, b in rows:
        print(f"  {label:<24}{a:>15}{b:>17}")
    print(f"\n  {'coefficient':<24}{'skreg':>15}{'sklearn':>17}")
    for name, a, b in zip(names, ours.coef_, theirs.coef_):
        print(f"  {name:<24}{a + 0.0:>15.3f}{b + 0.0:>17.3f}")  # + 0.0: no "-0.000"
    print(f"  {'(intercept)':<24}{ours.intercept_:>15.3f}{theirs.intercept_:>17.3f}\n")

    if not _have_matplotlib():
        print("note: matplotlib is not installed, so no plots were written "
              "(pip install 'skreg[plot]' or pip install matplotlib)")
        return 0
    os.makedirs(args.out_dir, exist_ok=True)
    fig, ax = _new_axes()
    skreg.RegularizationPathDisplay.from_estimator(ours, X_train, y_train, ax=ax)
    _legend_outside(ax)
    path_png = os.path.join(args.out_dir, "demo_path.png")
    fig.savefig(path_png, dpi=100)
    fig, ax = _new_axes()
    skreg.CVCurveDisplay.from_estimator(ours, ax=ax)
    cv_png = os.path.join(args.out_dir, "demo_cv.png")
    fig.savefig(cv_png, dpi=100)
    print(f"wrote {path_png} (regularization path) and {cv_png} (CV curve)")
    return 0


# ------------------------------------------------------------------------------------------------
# fit
# ------------------------------------------------------------------------------------------------


def _check_fit_args(args):
    if args.l1_ratio is not None and args.model != "elasticnet":
        raise CLIError("--l1-ratio applies to --model elasticnet only")
    l1_ratios = [0.5] if args.l1_ratio is None else args.l1_ratio
    for r in l1_ratios:
        if not 0 <= r <= 1:
            raise CLIError(f"--l1-ratio must be in [0, 1], got {r}")
    if args.alpha is not None:
        if args.alpha <= 0:
            raise CLIError(f"--alpha must be positive, got {args.alpha}")
        if len(l1_ratios) > 1:
            raise CLIError("with --alpha, give a single --l1-ratio")
        if args.selection_rule != "min":
            raise CLIError("--selection-rule applies only when alpha is chosen by CV "
                           "(without --alpha)")
    if args.n_alphas < 2:
        raise CLIError(f"--n-alphas must be at least 2, got {args.n_alphas}")
    return l1_ratios


def _with_scaler(model, standardize):
    if not standardize:
        return model
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), model)


def _select(alphas, mse, rule):
    """Index of the chosen alpha in `alphas` (decreasing) from the (n_alphas, n_folds) test
    MSEs: lowest mean ('min'), or the largest alpha within one standard error of it ('1se',
    standard error = std over folds / sqrt(n_folds), as skreg's LassoCV)."""
    mean = mse.mean(axis=1)
    best = int(np.argmin(mean))
    if rule == "min":
        return best, best
    threshold = mean[best] + mse[best].std() / np.sqrt(mse.shape[1])
    ok = np.flatnonzero(mean <= threshold)
    return int(ok[np.argmax(alphas[ok])]), best


def _ridge_kfold(args, X, y, folds, alphas, verbose):
    """Test MSEs (n_alphas, n_folds) of Ridge for every alpha: one SVD per fold serves the
    whole grid (standardization, if any, from the training fold)."""
    mse = np.empty((len(alphas), folds.get_n_splits()))
    for k, (train, test) in enumerate(folds.split(X)):
        Xt, yt = X[train], y[train]
        mean, ymean = Xt.mean(axis=0), yt.mean()
        scale = Xt.std(axis=0) if args.standardize else np.ones(X.shape[1])
        scale = np.where(scale > 0, scale, 1.0)
        U, sv, Vt = np.linalg.svd((Xt - mean) / scale, full_matrices=False)
        Uty = U.T @ (yt - ymean)
        # coef(alpha) = V diag(s / (s^2 + alpha)) U^T y~, for every alpha at once
        W = Vt.T @ (sv[:, None] * Uty[:, None] / (sv[:, None] ** 2 + alphas[None, :]))
        pred = ((X[test] - mean) / scale) @ W + ymean
        mse[:, k] = ((y[test][:, None] - pred) ** 2).mean(axis=0)
        if verbose:
            i = int(np.argmin(mse[:, k]))
            print(f"[ridge CV fold {k + 1}/{mse.shape[1]}] lowest test MSE {mse[i, k]:.6g} "
                  f"at alpha={alphas[i]:.3g}")
    return mse


def _fit_model(args, X, y, l1_ratios, folds, verbose):
    """Fit the requested model; returns (estimator, description, summary dict)."""
    from sklearn.model_selection import cross_validate

    import skreg

    k = folds.get_n_splits()
    if args.alpha is not None:
        if args.model == "lasso":
            model = skreg.Lasso(alpha=args.alpha, max_iter=args.max_iter)
        elif args.model == "elasticnet":
            model = skreg.ElasticNet(alpha=args.alpha, l1_ratio=l1_ratios[0],
                                     max_iter=args.max_iter)
        else:
            model = skreg.Ridge(alpha=args.alpha)
        desc = type(model).__name__
        model = _with_scaler(model, args.standardize)
        scores = -cross_validate(model, X, y, cv=folds, scoring="neg_mean_squared_error",
                                 verbose=verbose)["test_score"]
        model.fit(X, y)
        return model, desc, dict(alpha=args.alpha, cv_mse=float(scores.mean()),
                                 cv_se=float(scores.std() / np.sqrt(k)))
    if args.model == "ridge":
        alphas = _ridge_grid(X, args.n_alphas, args.standardize)
        mse = _ridge_kfold(args, X, y, folds, alphas, verbose)
        i, best = _select(alphas, mse, args.selection_rule)
        i_1se, _ = _select(alphas, mse, "1se")
        model = _with_scaler(skreg.Ridge(alpha=float(alphas[i])), args.standardize)
        model.fit(X, y)
        return model, "Ridge", dict(
            alpha=float(alphas[i]), alpha_min=float(alphas[best]),
            alpha_1se=float(alphas[i_1se]), grid=alphas, cv_mse=float(mse[i].mean()),
            cv_se=float(mse[i].std() / np.sqrt(k)))
    cls = skreg.LassoCV if args.model == "lasso" else skreg.ElasticNetCV
    params = dict(cv=folds, alphas=args.n_alphas, max_iter=args.max_iter,
                  selection_rule=args.selection_rule, verbose=verbose)
    if args.model == "elasticnet":
        params["l1_ratio"] = l1_ratios if len(l1_ratios) > 1 else l1_ratios[0]
    model = _with_scaler(cls(**params), args.standardize)
    model.fit(X, y)
    search = _search_of(model)
    res, i = search.cv_results_, search.best_index_
    same = [j for j, c in enumerate(res["params"])
            if c.get("l1_ratio") == res["params"][i].get("l1_ratio")]
    summary = dict(alpha=float(search.best_params_["alpha"]), alpha_min=float(search.alpha_),
                   alpha_1se=float(search.alpha_1se_),
                   grid=np.array([res["params"][j]["alpha"] for j in same]),
                   cv_mse=-float(res["mean_test_score"][i]),
                   cv_se=float(res["std_test_score"][i]) / np.sqrt(k))
    if len(l1_ratios) > 1:
        summary["l1_ratio"] = float(search.l1_ratio_)
    return model, cls.__name__, summary


def _search_of(model):
    return model.steps[-1][1] if hasattr(model, "steps") else model


def fit(args):
    """Fit a model on a CSV file and pickle it with its feature names."""
    l1_ratios = _check_fit_args(args)
    out_dir = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(out_dir):
        raise CLIError(f"cannot write {args.out}: directory {out_dir} does not exist")
    table = read_csv(args.data)
    X, y, features = _xy(args, table)
    n, p = X.shape
    folds = _cv_folds(args.cv, n)
    long_run = n * p * args.cv >= _LONG_RUN
    verbose = 1 if (args.verbose or long_run) and not args.quiet else 0
    name = {"lasso": "Lasso", "elasticnet": "ElasticNet", "ridge": "Ridge"}[args.model]
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
            model, desc, info = _fit_model(args, X, y, l1_ratios, folds, verbose)
        except ValueError as exc:
            raise CLIError(f"fit failed: {str(exc).strip().splitlines()[0]}") from None
    _warn_lines(caught)
    _progress(args, f"done in {time.perf_counter() - t0:.2f} s")

    scaled = "StandardScaler + " if args.standardize else ""
    print(f"{scaled}{desc} on {args.data}: {n} samples x {p} features, "
          f"target {args.target!r}")
    if args.alpha is not None:
        print(f"alpha: {args.alpha:.6g} (given)")
    else:
        rule = ("1-SE rule: largest alpha within one standard error of the lowest CV MSE"
                if args.selection_rule == "1se" else "lowest CV MSE")
        print(f"chosen alpha: {info['alpha']:.6g} ({rule})")
        if args.selection_rule == "1se":
            print(f"  alpha of the lowest CV MSE: {info['alpha_min']:.6g}")
        else:
            print(f"  1-SE rule alpha (--selection-rule 1se): {info['alpha_1se']:.6g}")
        if "l1_ratio" in info:
            print(f"chosen l1_ratio: {info['l1_ratio']:g}")
        if info["alpha_min"] == info["grid"].min():
            print("  note: the lowest CV error is at the smallest alpha tried: the data may "
                  "want even less regularization")
        elif info["alpha_min"] == info["grid"].max():
            print("  note: the lowest CV error is at the largest alpha tried (the most "
                  "regularized model): the features may carry little signal")
    print(f"CV mean squared error ({args.cv}-fold): {info['cv_mse']:.6g} +/- "
          f"{info['cv_se']:.3g} (standard error), RMSE {np.sqrt(info['cv_mse']):.6g}")
    final = _final_linear_model(model)
    if args.standardize:
        print("coefficients below are those of the standardized features")
    _print_coefficients(features, final.coef_, final.intercept_)

    payload = {"format": MODEL_FORMAT, "version": 1, "estimator": model,
               "feature_names": features, "target": args.target, "model": args.model}
    try:
        with open(args.out, "wb") as f:
            pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as exc:
        raise CLIError(f"cannot write {args.out}: {exc.strerror}") from None
    print(f"saved model to {args.out} (use: skreg predict {args.out} DATA.csv)")
    return 0


# ------------------------------------------------------------------------------------------------
# predict
# ------------------------------------------------------------------------------------------------


def load_model(path):
    """(estimator, feature names, target name) from a model file written by `skreg fit` (or
    a pickled fitted estimator with ``feature_names_in_``)."""
    if not os.path.exists(path):
        raise CLIError(f"file not found: {path}")
    try:
        with open(path, "rb") as f:
            obj = pickle.load(f)
    except Exception as exc:  # any unpickling failure is a bad model file
        raise CLIError(f"{path} is not a model file written by `skreg fit` "
                       f"({type(exc).__name__})") from None
    if isinstance(obj, dict) and obj.get("format") == MODEL_FORMAT:
        return obj["estimator"], list(obj["feature_names"]), obj.get("target")
    if hasattr(obj, "predict") and hasattr(obj, "feature_names_in_"):
        return obj, [str(c) for c in obj.feature_names_in_], None
    raise CLIError(f"{path} is not a model file written by `skreg fit`")


def predict(args):
    """Predict with a saved model; write one 'prediction' column (CSV)."""
    est, features, target = load_model(args.model)
    table = read_csv(args.data)
    table.check_columns(features, "feature column")
    X = table.numeric(features)
    pd = _import_pandas()
    if hasattr(est, "feature_names_in_") and pd is not None:  # fitted on a DataFrame
        X = pd.DataFrame(X, columns=features)
    pred = np.asarray(est.predict(X), dtype=np.float64).ravel()
    name = f"{target}_predicted" if target else "prediction"
    lines = [name] + [f"{v:.10g}" for v in pred]
    if args.out:
        try:
            with open(args.out, "w") as f:
                f.write("\n".join(lines) + "\n")
        except OSError as exc:
            raise CLIError(f"cannot write {args.out}: {exc.strerror}") from None
        print(f"wrote {len(pred)} predictions to {args.out}")
    else:
        print("\n".join(lines))
    return 0


# ------------------------------------------------------------------------------------------------
# path
# ------------------------------------------------------------------------------------------------


def path(args):
    """Print the order in which features enter the path; optionally plot it."""
    import skreg

    if args.l1_ratio is not None and args.model != "elasticnet":
        raise CLIError("--l1-ratio applies to --model elasticnet only")
    l1_ratio = 1.0 if args.model == "lasso" else (0.5 if args.l1_ratio is None
                                                  else args.l1_ratio)
    if not 0 < l1_ratio <= 1:
        raise CLIError(f"--l1-ratio must be in (0, 1] for a path, got {l1_ratio}")
    if args.n_alphas < 2:
        raise CLIError(f"--n-alphas must be at least 2, got {args.n_alphas}")
    if not 0 < args.eps < 1:
        raise CLIError(f"--eps must be in (0, 1), got {args.eps}")
    if args.plot and not _have_matplotlib():
        raise CLIError("--plot needs matplotlib (pip install 'skreg[plot]')")
    table = read_csv(args.data)
    X, y, features = _xy(args, table)
    if args.standardize:
        std = X.std(axis=0)
        X = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            alphas, coefs, _ = skreg.enet_path(X, y, l1_ratio=l1_ratio, eps=args.eps,
                                               alphas=args.n_alphas, fit_intercept=True)
        except ValueError as exc:
            raise CLIError(f"path failed: {str(exc).strip().splitlines()[0]}") from None
    _warn_lines(caught)
    name = "lasso" if args.model == "lasso" else f"elastic-net (l1_ratio={l1_ratio:g})"
    print(f"{name} path on {args.data}: {len(alphas)} alphas from {alphas[0]:.4g} down to "
          f"{alphas[-1]:.4g}, target {args.target!r}"
          + (", standardized features" if args.standardize else ""))
    active = coefs != 0
    entered = [(int(np.argmax(active[j])), j) for j in range(len(features)) if active[j].any()]
    entered.sort()
    width = max(len(f) for f in features)
    print("features in order of entry (sign, and alpha where each becomes non-zero):")
    for rank, (i, j) in enumerate(entered, 1):
        sign = "+" if coefs[j, i] > 0 else "-"
        print(f"  {rank:>3}. {features[j]:<{width}}  {sign}  alpha={alphas[i]:.4g}")
    never = [features[j] for j in range(len(features)) if not active[j].any()]
    if never:
        print(f"  never non-zero: {', '.join(never)}")
    if args.plot:
        fig, ax = _new_axes()
        skreg.RegularizationPathDisplay.from_path(
            alphas, coefs, feature_names=features,
            estimator_name="Lasso" if args.model == "lasso" else "ElasticNet", ax=ax)
        if len(features) <= 12:
            _legend_outside(ax)
        directory = os.path.dirname(args.plot)
        if directory:
            os.makedirs(directory, exist_ok=True)
        fig.savefig(args.plot, dpi=100)
        print(f"wrote {args.plot}")
    return 0


# ------------------------------------------------------------------------------------------------
# Argument parsing
# ------------------------------------------------------------------------------------------------


def _parser():
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="skreg", description="Fast Lasso, ElasticNet and Ridge with scikit-learn's API.",
        epilog="Run `skreg COMMAND -h` for a command's options. Docs: docs/index.md")
    parser.add_argument("--version", action="version", version=f"skreg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="LassoCV on the diabetes data, beside scikit-learn's",
                       description="Fit skreg's and scikit-learn's LassoCV on scikit-learn's "
                       "diabetes data, print both, and write a regularization-path plot "
                       "(demo_path.png) and a CV-curve plot (demo_cv.png).")
    p.add_argument("--out-dir", default=".", help="directory of the PNG plots (default: .)")
    p.set_defaults(func=demo)

    def data_args(p):
        p.add_argument("data", metavar="DATA.csv", help="CSV file with a header row")
        p.add_argument("--target", required=True, metavar="COL", help="column to predict")
        p.add_argument("--drop", nargs="+", metavar="COL",
                       help="columns to leave out of the features (e.g. ids, text)")
        p.add_argument("--standardize", action="store_true",
                       help="scale each feature to unit variance before the penalty (as "
                       "glmnet does by default)")

    p = sub.add_parser("fit", help="fit a model on a CSV file and save it",
                       description="Fit Lasso, ElasticNet or Ridge on a CSV file. Without "
                       "--alpha, alpha is chosen by K-fold cross-validation (shuffled folds, "
                       "seed 0) along a warm-started path. Every other column is a feature.")
    data_args(p)
    p.add_argument("--model", choices=["lasso", "elasticnet", "ridge"], default="lasso",
                   help="default: lasso")
    p.add_argument("--cv", type=int, default=5, metavar="K", help="number of CV folds "
                   "(default: 5)")
    p.add_argument("--alpha", type=float, metavar="A",
                   help="fixed alpha (no search; the CV score is still reported)")
    p.add_argument("--l1-ratio", type=float, nargs="+", metavar="R",
                   help="elasticnet mixing parameter(s), 1 = lasso (default: 0.5); several "
                   "values are searched along with alpha")
    p.add_argument("--n-alphas", type=int, default=100, metavar="N",
                   help="size of the alpha grid searched (default: 100)")
    p.add_argument("--selection-rule", choices=["min", "1se"], default="min",
                   help="alpha of the lowest CV error (min, default) or the largest alpha "
                   "within one standard error of it (1se, glmnet's lambda.1se)")
    p.add_argument("--max-iter", type=int, default=1000, metavar="N",
                   help="coordinate-descent epochs per alpha (default: 1000)")
    p.add_argument("--out", required=True, metavar="MODEL.pkl", help="model file to write")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="one progress line per CV fold on stderr (automatic on large data)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=fit)

    p = sub.add_parser("predict", help="predict with a saved model",
                       description="Predict with a model file written by `skreg fit`. The CSV "
                       "must have the model's feature columns (other columns are ignored).")
    p.add_argument("model", metavar="MODEL.pkl", help="model file written by `skreg fit` "
                   "(a pickle: only load files you trust)")
    p.add_argument("data", metavar="DATA.csv", help="CSV file with a header row")
    p.add_argument("--out", metavar="PREDS.csv", help="output CSV (default: stdout)")
    p.set_defaults(func=predict)

    p = sub.add_parser("path", help="regularization path of a CSV file",
                       description="Compute the Lasso (or elastic-net) path of a CSV file: "
                       "print the order in which the features enter, and plot it.")
    data_args(p)
    p.add_argument("--model", choices=["lasso", "elasticnet"], default="lasso",
                   help="default: lasso")
    p.add_argument("--l1-ratio", type=float, metavar="R", help="elasticnet mixing parameter "
                   "(default: 0.5)")
    p.add_argument("--n-alphas", type=int, default=100, metavar="N",
                   help="number of alphas (default: 100)")
    p.add_argument("--eps", type=float, default=1e-3,
                   help="alpha_min / alpha_max (default: 1e-3)")
    p.add_argument("--plot", metavar="PATH.png", help="write the path plot to this PNG")
    p.set_defaults(func=path)
    return parser


def main(argv=None):
    """Run the ``skreg`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments (without the program name); None reads ``sys.argv[1:]``.

    Returns
    -------
    status : int
        0 on success, 2 on a usage or input error (reported on one line of stderr).
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors (argparse printed them)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return args.func(args)
    except CLIError as exc:
        print(f"skreg {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes stdout
        return 0


if __name__ == "__main__":
    sys.exit(main())
