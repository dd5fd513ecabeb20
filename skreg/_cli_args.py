"""The options of the command line: one argparse parser per command, with every value's type and
range checked while parsing, and usage errors on one line."""

import argparse
import math

MAX_ALPHAS = 10_000  # --n-alphas upper bound
MAX_FOLDS = 1_000  # --cv upper bound (and at most the number of rows)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line, like every other error."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} -h`)\n")


def _int_in(lo, hi):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be from {lo} to {hi}, got {value}")
        return value
    return parse


def _float_in(lo, hi, *, closed=(True, True)):
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        low_ok = value >= lo if closed[0] else value > lo
        high_ok = value <= hi if closed[1] else value < hi
        if not (math.isfinite(value) and low_ok and high_ok):
            interval = f"{'[' if closed[0] else '('}{lo:g}, {hi:g}{']' if closed[1] else ')'}"
            raise argparse.ArgumentTypeError(f"must be a finite number in {interval}, "
                                             f"got {text}")
        return value
    return parse


def _separator(text):
    sep = {"\\t": "\t", "tab": "\t"}.get(text, text)
    if len(sep) != 1 or sep in "\"\r\n" or sep.isalnum():
        raise argparse.ArgumentTypeError(f"expected one character (or 'tab'), got {text!r}")
    return sep


def _data_args(p):
    p.add_argument("data", metavar="DATA.csv", help="CSV file with a header row")
    p.add_argument("--target", required=True, metavar="COL", help="column to predict")
    p.add_argument("--drop", action="append", metavar="COL[,COL...]",
                   help="columns to leave out of the features (ids, text...); repeat it or "
                   "separate names with commas")
    p.add_argument("--standardize", action="store_true",
                   help="penalize the coefficients of unit-variance features (glmnet's "
                   "default); coefficients stay on the original scale (ridge: a "
                   "StandardScaler in front of the model)")
    _sep_arg(p)


def _sep_arg(p):
    p.add_argument("--sep", type=_separator, metavar="CHAR",
                   help="column separator of the CSV files (default: sniffed among , ; tab |)")


def _fit_parser(sub, fit):
    p = sub.add_parser("fit", help="fit a model on a CSV file and save it",
                       description="Fit Lasso, ElasticNet or Ridge on a CSV file. Without "
                       "--alpha, alpha is chosen by K-fold cross-validation (shuffled folds, "
                       "seed 0). Every other column is a feature.")
    _data_args(p)
    p.add_argument("--model", choices=["lasso", "elasticnet", "ridge"], default="lasso",
                   help="default: lasso")
    p.add_argument("--cv", type=_int_in(2, MAX_FOLDS), default=5, metavar="K",
                   help=f"number of CV folds, 2 to {MAX_FOLDS} (default: 5)")
    p.add_argument("--alpha", type=_float_in(0, math.inf), metavar="A",
                   help="fixed alpha >= 0 (no search; the CV score is still reported)")
    p.add_argument("--l1-ratio", type=_float_in(0, 1), nargs="+", metavar="R",
                   help="elasticnet mixing parameter(s) in [0, 1], 1 = lasso (default: 0.5); "
                   "several values are searched along with alpha")
    p.add_argument("--n-alphas", type=_int_in(2, MAX_ALPHAS), default=100, metavar="N",
                   help=f"size of the alpha grid searched, 2 to {MAX_ALPHAS} (default: 100)")
    p.add_argument("--selection-rule", choices=["min", "1se"], default="min",
                   help="alpha of the lowest CV error (min, default) or the largest alpha "
                   "within one standard error of it (1se, glmnet's lambda.1se)")
    p.add_argument("--eps", type=_float_in(0, 1, closed=(False, False)), metavar="E",
                   help="alpha_min / alpha_max of the lasso / elasticnet alpha grid, in "
                   "(0, 1) (default: 1e-3)")
    p.add_argument("--max-iter", type=_int_in(1, 10**7), default=1000, metavar="N",
                   help="coordinate-descent epochs per alpha (default: 1000)")
    p.add_argument("--out", required=True, metavar="MODEL.skops", help="model file to write "
                   "(skops format)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="one progress line per CV fold on stderr (automatic on large data)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=fit)


def build_parser(commands):
    """The parser of `skreg`; `commands` maps each command's name to its function."""
    from . import __version__

    parser = _Parser(
        prog="skreg", description="Fast Lasso, ElasticNet and Ridge with scikit-learn's API.",
        epilog="Run `skreg COMMAND -h` for a command's options. Docs: docs/cli.md")
    parser.add_argument("--version", action="version", version=f"skreg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="LassoCV on the diabetes data, beside scikit-learn's",
                       description="Fit skreg's and scikit-learn's LassoCV on scikit-learn's "
                       "diabetes data, print both, and write a regularization-path plot "
                       "(demo_path.png) and a CV-curve plot (demo_cv.png).")
    p.add_argument("--out-dir", default=".", help="directory of the PNG plots (default: .)")
    p.set_defaults(func=commands["demo"])

    _fit_parser(sub, commands["fit"])

    p = sub.add_parser("predict", help="predict with a saved model",
                       description="Predict with a model file written by `skreg fit`. The CSV "
                       "must have the model's feature columns (other columns are ignored).")
    p.add_argument("model", metavar="MODEL.skops", help="model file written by `skreg fit`")
    p.add_argument("data", metavar="DATA.csv", help="CSV file with a header row")
    p.add_argument("--out", metavar="PREDS.csv", help="output CSV (default: stdout)")
    p.add_argument("--keep", action="append", metavar="COL[,COL...]",
                   help="columns of DATA.csv copied to the output, before the predictions "
                   "(ids...); repeat it or separate names with commas")
    p.add_argument("--trust-pickle", action="store_true",
                   help="also read a pickled model (older skreg versions); loading a pickle "
                   "runs any code it holds: only for files you trust")
    _sep_arg(p)
    p.set_defaults(func=commands["predict"])

    p = sub.add_parser("path", help="regularization path of a CSV file",
                       description="Compute the Lasso (or elastic-net) path of a CSV file: "
                       "print the order in which the features enter, and plot it.")
    _data_args(p)
    p.add_argument("--model", choices=["lasso", "elasticnet"], default="lasso",
                   help="default: lasso")
    p.add_argument("--l1-ratio", type=_float_in(0, 1, closed=(False, True)), metavar="R",
                   help="elasticnet mixing parameter in (0, 1] (default: 0.5)")
    p.add_argument("--n-alphas", type=_int_in(2, MAX_ALPHAS), default=100, metavar="N",
                   help=f"number of alphas, 2 to {MAX_ALPHAS} (default: 100)")
    p.add_argument("--eps", type=_float_in(0, 1, closed=(False, False)), default=1e-3,
                   help="alpha_min / alpha_max, in (0, 1) (default: 1e-3)")
    p.add_argument("--plot", metavar="PATH.png", help="write the path plot to this file "
                   "(any format matplotlib writes; PNG without an extension)")
    p.set_defaults(func=commands["path"])
    return parser
