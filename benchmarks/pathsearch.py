"""PathSearchCV side by side with LassoCV, in one process: the same 5-fold x 50-alpha work.

Rows (best of --repeat runs each, single-threaded BLAS unless --threads):

- ``LassoCV``: skreg's and scikit-learn's LassoCV on the problem as given (intercept-free, as
  benchmarks/run.py's CV rows), and skreg's PathSearchCV(Lasso) with the same grid, folds and
  scorer (negated MSE): PathSearchCV on the same work should cost what LassoCV costs.
- ``Pipeline``: PathSearchCV over ``make_pipeline(StandardScaler(), Lasso())`` on the raw
  data against PathSearchCV over a bare Lasso on the data standardized once (the time the
  Pipeline's per-fold scaling adds), and GridSearchCV over the same Pipeline (scikit-learn's
  Lasso) for reference, skipped with --no-grid.

Usage: ``python benchmarks/pathsearch.py [--problems diabetes,2000x200,20000x500] [--repeat 3]``
(from the repository root, with skreg importable: built in place).
"""

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if "--threads" not in sys.argv:  # before numpy loads its BLAS
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

N_FOLDS, N_ALPHAS, EPS = 5, 50, 1e-3
TOL = 1.5e-5  # benchmarks/run.py's CV tolerance (its loose target / 2)


def _problems(names):
    import _problems as problems
    from sklearn.datasets import load_diabetes, make_regression

    makers = {
        "diabetes": lambda: load_diabetes(return_X_y=True),
        "2000x200": lambda: make_regression(2000, 200, n_informative=20, noise=10.0,
                                            random_state=0),
        "20000x500": lambda: problems.dense_tall(20000, 500),
        "500x5000": lambda: problems.dense_corr(500, 5000),
    }
    for name in names:
        X, y = makers[name]()
        yield name, np.asfortranarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)


def _best(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def lassocv_rows(name, X, y, repeat):
    import sklearn.linear_model as sklm
    from sklearn.model_selection import KFold

    import skreg

    Xc, yc = X - X.mean(axis=0), y - y.mean()
    Xc = np.asfortranarray(Xc)
    amax = np.abs(Xc.T @ yc).max() / len(yc)
    grid = amax * np.geomspace(1.0, EPS, N_ALPHAS)
    cv = KFold(N_FOLDS)
    common = dict(fit_intercept=False, tol=TOL, max_iter=100_000)
    runs = {
        "skreg LassoCV": lambda: skreg.LassoCV(alphas=grid, cv=cv, **common).fit(Xc, yc),
        "skreg PathSearchCV(Lasso)": lambda: skreg.PathSearchCV(
            skreg.Lasso(**common), {"alpha": grid}, cv=cv,
            scoring="neg_mean_squared_error").fit(Xc, yc),
        "sklearn LassoCV": lambda: sklm.LassoCV(alphas=grid, cv=cv, **common).fit(Xc, yc),
    }
    times, chosen = {}, {}
    for label, fn in runs.items():
        times[label], est = _best(fn, repeat)
        chosen[label] = getattr(est, "alpha_", None) or est.best_params_["alpha"]
    ref = times["sklearn LassoCV"]
    same = len({round(float(np.log(a)), 6) for a in chosen.values()}) == 1
    print(f"{name:10s} LassoCV work ({N_FOLDS} folds x {N_ALPHAS} alphas), chosen alpha "
          f"{'same' if same else 'DIFFERS: ' + str(chosen)}")
    for label, t in times.items():
        print(f"    {label:28s} {t:8.4f}s   {t / ref:5.2f}x sklearn LassoCV")
    print(f"    PathSearchCV / skreg LassoCV: "
          f"{times['skreg PathSearchCV(Lasso)'] / times['skreg LassoCV']:.2f}")


def pipeline_rows(name, X, y, repeat, grid_search):
    from sklearn.linear_model import Lasso as SkLasso
    from sklearn.model_selection import GridSearchCV, KFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    import skreg

    Xs = StandardScaler().fit_transform(X)
    amax = np.abs(Xs.T @ (y - y.mean())).max() / len(y)
    grid = amax * np.geomspace(1.0, EPS, N_ALPHAS)
    cv = KFold(N_FOLDS)
    t_bare, bare = _best(lambda: skreg.PathSearchCV(
        skreg.Lasso(), {"alpha": grid}, cv=cv).fit(Xs, y), repeat)
    t_pipe, pipe = _best(lambda: skreg.PathSearchCV(
        make_pipeline(StandardScaler(), skreg.Lasso()), {"lasso__alpha": grid},
        cv=cv).fit(X, y), repeat)
    line = (f"{name:10s} Pipeline(StandardScaler, Lasso), {N_FOLDS} folds x {N_ALPHAS} alphas:"
            f" PathSearchCV {t_pipe:.4f}s, over a bare Lasso {t_bare:.4f}s -> "
            f"{t_pipe / t_bare:.2f}x")
    if grid_search:
        t_grid, ref = _best(lambda: GridSearchCV(
            make_pipeline(StandardScaler(), SkLasso()), {"lasso__alpha": grid},
            cv=cv).fit(X, y), 1)
        same = ref.best_params_["lasso__alpha"] == pipe.best_params_["lasso__alpha"]
        line += (f"; GridSearchCV(sklearn) {t_grid:.3f}s -> {t_pipe / t_grid:.3f}x "
                 f"(chosen alpha {'same' if same else 'DIFFERS'})")
    print(line)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", default="diabetes,2000x200,20000x500")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-grid", action="store_true", help="skip GridSearchCV")
    parser.add_argument("--threads", action="store_true",
                        help="leave the BLAS thread count to the environment")
    opts = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    for name, X, y in _problems(opts.problems.split(",")):
        lassocv_rows(name, X, y, opts.repeat)
        pipeline_rows(name, X, y, opts.repeat, not opts.no_grid)


if __name__ == "__main__":
    main()
