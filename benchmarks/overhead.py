"""Per-call overhead and threaded-BLAS sensitivity of small problems, side by side.

    python benchmarks/overhead.py [--rows] [--repeats N]

Times (best of many repeats, alternated between libraries) a diabetes ``Lasso.fit`` and a
100-alpha diabetes ``lasso_path`` / elastic-net path against scikit-learn and python-glmnet
(when installed); with ``--rows``, the three quick-size tight path rows of benchmarks/run.py
(dense 100x1000, tall 2000x100 elastic net, sparse 300x1200), to be run once with
OPENBLAS_NUM_THREADS unset and once with OPENBLAS_NUM_THREADS=1.
"""
import argparse
import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from sklearn import linear_model as sk  # noqa: E402
from sklearn.datasets import load_diabetes  # noqa: E402

import skreg  # noqa: E402


def best(f, repeats):
    f()
    ts = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return min(ts)


def small(repeats):
    X, y = load_diabetes(return_X_y=True)
    cells = {
        "Lasso.fit diabetes": {
            "skreg": lambda: skreg.Lasso(alpha=0.1).fit(X, y),
            "sklearn": lambda: sk.Lasso(alpha=0.1).fit(X, y),
        },
        "lasso_path diabetes 100 alphas": {
            "skreg": lambda: skreg.lasso_path(X, y, alphas=100),
            "sklearn": lambda: sk.lasso_path(X, y, n_alphas=100),
        },
    }
    try:
        import glmnet
        Xf = np.asfortranarray(X)
        cells["lasso_path diabetes 100 alphas"]["python-glmnet"] = lambda: glmnet.ElasticNet(
            alpha=1.0, n_lambda=100, n_splits=0, standardize=False, tol=1e-7).fit(Xf, y)
    except ImportError:
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for cell, fns in cells.items():
            t = {k: np.inf for k in fns}
            for _ in range(5):  # alternated rounds: the machine is shared
                for k, f in fns.items():
                    t[k] = min(t[k], best(f, repeats // 5))
            print(f"{cell:34s} " + "  ".join(f"{k} {1e3 * v:.3f} ms" for k, v in t.items()))


def rows(repeats):
    import _problems
    specs = _problems.problem_specs(True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, l1 in (("dense_pn", 1.0), ("dense_np", 0.5), ("sparse", 1.0)):
            X, y = specs[name][1]()
            f = (lambda X=X, y=y, l1=l1: skreg.enet_path(X, y, l1_ratio=l1, alphas=100, eps=1e-3,
                                                         tol=1e-7))
            print(f"{name:10s} l1_ratio={l1}: skreg {best(f, repeats):.4f} s")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", action="store_true")
    ap.add_argument("--repeats", type=int, default=300)
    a = ap.parse_args()
    print("OPENBLAS_NUM_THREADS =", os.environ.get("OPENBLAS_NUM_THREADS", "unset"))
    if a.rows:
        rows(max(3, a.repeats // 100))
    else:
        small(a.repeats)
