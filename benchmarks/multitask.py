"""Multi-task Lasso benchmark: a 100-alpha path and 5-fold MultiTaskLassoCV, skreg against
scikit-learn, celer's MultiTaskLasso and (when Rscript and glmnet are present) R glmnet's
``family="mgaussian"``, at the same achieved accuracy.

    python benchmarks/multitask.py            # full sizes (minutes on 2 cores)
    python benchmarks/multitask.py --quick    # small sizes (a smoke test)

Problems (intercept-free: dense X and Y centred, every solver with fit_intercept=False; sparse X
not centred, Y centred): dense p >> n (Toeplitz rho=0.6 columns), tall dense, sparse CSC.

Path rows: the same grid (100 alphas from alpha_max = max_j ||x_j'Y||_2 / n down to
1e-3 alpha_max) for every solver; each solver's tolerance is tightened (by 10) until the
largest relative duality gap on the path, computed by `relative_gaps` below from the returned
coefficients alone, is at most the target (1e-6); then it is timed (best of the runs).
A solver that cannot reach the target is flagged, not counted.
CV rows: 5-fold CV over the same grid, each solver with the tolerance its path calibrated to.
Ratios are skreg's time over each peer's (< 1: skreg faster).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from _problems import _toeplitz_design  # noqa: E402

TARGET = 1e-6
N_ALPHAS = 100


def relative_gaps(X, Y, coefs, alphas):
    """Relative duality gap (P - D) / P(0) of each coefs[:, :, i] (n_targets, p) at alphas[i]
    for the multi-task Lasso 1/(2n)||Y - XW||_F^2 + alpha sum_j ||W_j||_2, with scikit-learn's
    dual point Theta = s R, s = min(1, n alpha / max_j ||x_j'R||_2)."""
    n = Y.shape[0]
    p0 = float((Y * Y).sum()) / (2 * n)
    out = np.empty(len(alphas))
    for i, a in enumerate(alphas):
        W = np.asarray(coefs[:, :, i], dtype=np.float64).T          # (p, k)
        R = Y - np.asarray(X @ W)
        G = np.asarray(X.T @ R)
        top = float(np.sqrt((G * G).sum(axis=1)).max())
        s = min(1.0, n * a / top) if top > 0 else 1.0
        rr = float((R * R).sum())
        primal = rr / (2 * n) + a * float(np.sqrt((W * W).sum(axis=1)).sum())
        dual = s * float((R * Y).sum()) / n - s * s * rr / (2 * n)
        out[i] = (primal - dual) / p0
    return out


def problems(quick):
    rng = np.random.default_rng(0)

    def response(X, n_rows, k):
        W = np.zeros((X.shape[1], k))
        rows = rng.choice(X.shape[1], n_rows, replace=False)
        W[rows] = rng.uniform(0.5, 2.0, (n_rows, k)) * rng.choice([-1, 1], (n_rows, k))
        S = np.asarray(X @ W)
        noise = rng.standard_normal(S.shape)
        return S + noise * (S.std() / (3 * noise.std()))

    def dense(n, p, k, n_rows):
        X = _toeplitz_design(rng, n, p, 0.6)
        Y = response(X, n_rows, k)
        return np.asfortranarray(X - X.mean(axis=0)), Y - Y.mean(axis=0)

    def sparse(n, p, density, k, n_rows):
        X = sp.random(n, p, density=density, format="csc", random_state=rng,
                      data_rvs=rng.standard_normal)
        Y = response(X, n_rows, k)
        return X, Y - Y.mean(axis=0)

    if quick:
        return [("dense p>>n 100x1000, 10 tasks", *dense(100, 1000, 10, 10)),
                ("tall dense 4000x100, 10 tasks", *dense(4000, 100, 10, 10)),
                ("sparse 1000x4000 0.5%, 5 tasks", *sparse(1000, 4000, 0.005, 5, 20))]
    return [("dense p>>n 300x3000, 10 tasks", *dense(300, 3000, 10, 30)),
            ("tall dense 20000x200, 10 tasks", *dense(20000, 200, 10, 20)),
            ("sparse 5000x20000 0.1%, 5 tasks", *sparse(5000, 20000, 0.001, 5, 100))]


# ------------------------------------------------------------------------------------------
# Solvers: path(X, Y, alphas, tol) -> coefs (k, p, n_alphas); cv(X, Y, alphas, tol) -> alpha

def skreg_path(X, Y, alphas, tol):
    import skreg
    return skreg.lasso_path(X, Y, alphas=alphas, tol=tol, max_iter=100000)[1]


def skreg_cv(X, Y, alphas, tol):
    import skreg
    return skreg.MultiTaskLassoCV(alphas=alphas, cv=5, tol=tol, max_iter=100000,
                                  fit_intercept=False).fit(X, Y).alpha_


def sklearn_path(X, Y, alphas, tol):
    from sklearn.linear_model import lasso_path
    return lasso_path(X, Y, alphas=alphas, tol=tol, max_iter=100000)[1]


def sklearn_cv(X, Y, alphas, tol):
    from sklearn.linear_model import MultiTaskLassoCV
    return MultiTaskLassoCV(alphas=alphas, cv=5, tol=tol, max_iter=100000,
                            fit_intercept=False).fit(X, Y).alpha_


def celer_path(X, Y, alphas, tol):
    from celer import MultiTaskLasso
    if sp.issparse(X):
        raise NotImplementedError("celer's MultiTaskLasso takes dense X only")
    model = MultiTaskLasso(alpha=alphas[0], fit_intercept=False, warm_start=True, tol=tol)
    coefs = np.empty((Y.shape[1], X.shape[1], len(alphas)))
    for i, a in enumerate(alphas):
        model.alpha = a
        coefs[:, :, i] = model.fit(X, Y).coef_
    return coefs


def celer_cv(X, Y, alphas, tol):
    from celer import MultiTaskLassoCV
    if sp.issparse(X):
        raise NotImplementedError("celer's MultiTaskLassoCV takes dense X only")
    return MultiTaskLassoCV(alphas=alphas, cv=5, tol=tol, fit_intercept=False).fit(X, Y).alpha_


_R_PATH = r"""
suppressPackageStartupMessages({library(glmnet); library(Matrix)})
glmnet.control(fdev = 0, devmax = 1.0)
a <- commandArgs(TRUE); d <- a[1]; thresh <- as.numeric(a[2])
m <- scan(file.path(d, "meta.txt"), quiet = TRUE); n <- m[1]; p <- m[2]; k <- m[3]
rb <- function(f, len) {
  con <- file(file.path(d, f), "rb"); on.exit(close(con)); readBin(con, "double", len, 8)
}
X <- matrix(rb("X.bin", n * p), n, p); Y <- matrix(rb("Y.bin", n * k), n, k)
lam <- rb("lambda.bin", m[4])
t0 <- Sys.time()
fit <- glmnet(X, Y, family = "mgaussian", lambda = lam, standardize = FALSE, intercept = FALSE,
              thresh = thresh, maxit = 1e7)
el <- as.numeric(Sys.time() - t0, units = "secs")
out <- unlist(lapply(fit$beta, function(b) as.vector(as.matrix(b))))
con <- file(file.path(d, "coef.bin"), "wb"); writeBin(out, con); close(con)
cat(el, "\n")
"""


def glmnet_path(X, Y, alphas, tol, timing=None):
    """R glmnet mgaussian (dense only here); the time is measured inside R around glmnet().
    Its objective 1/(2n)||Y - XB||^2 + lambda sum_j ||B_j||_2 is the multi-task Lasso's with
    lambda = alpha (checked by the gap of the returned coefficients)."""
    if sp.issparse(X):
        raise NotImplementedError("dense only in this script")
    d = tempfile.mkdtemp(prefix="skreg_mt_glmnet_")
    n, p = X.shape
    k = Y.shape[1]
    np.savetxt(os.path.join(d, "meta.txt"), [[n, p, k, len(alphas)]], fmt="%d")
    np.asarray(X, dtype=np.float64).ravel(order="F").tofile(os.path.join(d, "X.bin"))
    np.asarray(Y, dtype=np.float64).ravel(order="F").tofile(os.path.join(d, "Y.bin"))
    np.asarray(alphas, dtype=np.float64).tofile(os.path.join(d, "lambda.bin"))
    script = os.path.join(d, "fit.R")
    with open(script, "w") as f:
        f.write(_R_PATH)
    r = subprocess.run(["Rscript", script, d, repr(tol)], capture_output=True, text=True,
                       timeout=1800)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip()[-300:])
    if timing is not None:
        timing.append(float(r.stdout.split()[-1]))
    B = np.fromfile(os.path.join(d, "coef.bin")).reshape(k, len(alphas), p)
    return B.transpose(0, 2, 1)


def have_glmnet():
    try:
        r = subprocess.run(["Rscript", "-e", "suppressMessages(library(glmnet))"],
                           capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


START_TOL = {"skreg": 1e-7, "sklearn": 1e-7, "celer": 1e-6, "glmnet": 1e-10}


def timed(fn, X, Y, alphas, tol, solver):
    timing = []
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = fn(X, Y, alphas, tol, timing) if solver == "glmnet" else fn(X, Y, alphas, tol)
    elapsed = time.perf_counter() - t0
    return out, (timing[0] if timing else elapsed)


def calibrate(solver, fn, X, Y, alphas, reps):
    """(seconds, tol, worst relative gap) at the loosest tolerance (start, /10, /100, ...)
    whose path reaches TARGET; seconds is None when no tolerance does."""
    tol = START_TOL[solver]
    for _ in range(4):
        coefs, seconds = timed(fn, X, Y, alphas, tol, solver)
        gap = float(relative_gaps(X, Y, coefs, alphas).max())
        if gap <= TARGET:
            for _ in range(reps - 1):
                seconds = min(seconds, timed(fn, X, Y, alphas, tol, solver)[1])
            return seconds, tol, gap
        tol /= 10
    return None, tol * 10, gap


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--no-cv", action="store_true", help="path rows only")
    args = parser.parse_args()
    reps = 1 if args.quick else 2
    solvers = {"skreg": (skreg_path, skreg_cv), "sklearn": (sklearn_path, sklearn_cv),
               "celer": (celer_path, celer_cv)}
    if have_glmnet():
        solvers["glmnet"] = (glmnet_path, None)
    peers = [s for s in solvers if s != "skreg"]
    rows = []
    for name, X, Y in problems(args.quick):
        n = X.shape[0]
        G = np.asarray(X.T @ Y)
        a_max = float(np.sqrt((G * G).sum(axis=1)).max()) / n
        alphas = np.geomspace(a_max, 1e-3 * a_max, N_ALPHAS)
        path, tols = {}, {}
        for solver, (fn, _) in solvers.items():
            try:
                seconds, tols[solver], gap = calibrate(solver, fn, X, Y, alphas, reps)
                path[solver] = (seconds, gap)
            except Exception as exc:  # a peer that cannot take this data
                path[solver] = (None, f"n/a: {type(exc).__name__}: {str(exc)[:60]}")
            print(f"# {name} path {solver}: {path[solver]} tol={tols.get(solver)}",
                  file=sys.stderr, flush=True)
        rows.append((name, "MultiTaskLasso path (100 alphas)", path))
        if args.no_cv:
            continue
        cv = {}
        for solver, (_, fn) in solvers.items():
            if fn is None or path[solver][0] is None:
                cv[solver] = (None, "n/a")
                continue
            try:
                cv[solver] = (timed(fn, X, Y, alphas, tols[solver], solver)[1], None)
            except Exception as exc:
                cv[solver] = (None, f"n/a: {type(exc).__name__}")
            print(f"# {name} cv {solver}: {cv[solver]}", file=sys.stderr, flush=True)
        rows.append((name, "MultiTaskLassoCV (5 folds)", cv))

    print(f"\nskreg time / peer time (< 1: skreg faster); path target: relative duality gap "
          f"<= {TARGET:g} on every alpha\n")
    print("| problem | task | skreg (s) | " + " | ".join(peers) + " |")
    print("|---|---|---|" + "---|" * len(peers))
    for name, task, res in rows:
        ours = res["skreg"][0]
        cells = []
        for peer in peers:
            t = res.get(peer, (None, "n/a"))[0]
            if t is None or ours is None:
                note = res.get(peer, (None, "n/a"))[1]
                cells.append("missed target" if isinstance(note, float) else "n/a")
            else:
                cells.append(f"{ours / t:.2f}")
        print(f"| {name} | {task} | {'-' if ours is None else f'{ours:.3f}'} | "
              + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
