"""glmnet-style options at speed: penalty factors and coefficient bounds, skreg beside R glmnet.

    python benchmarks/options.py [--n 500] [--p 2000]

A 100-alpha Lasso path on dense Toeplitz data (no intercept) with per-feature penalty factors
(a few unpenalized) and box constraints, solved by skreg and by glmnet (penalty.factor,
lower.limits, upper.limits) on the same problem. Accuracy is compared through the weighted,
bounded objective of each returned path (one formula); skreg's tol is its usual duality-gap
certificate. Also shown: the same path without options, to see what the options cost.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _problems import dense_corr  # noqa: E402

import skreg  # noqa: E402

R_SCRIPT = r"""
suppressPackageStartupMessages(library(glmnet))
glmnet.control(fdev = 0, devmax = 1.0)
a <- commandArgs(TRUE); d <- a[1]; n <- as.integer(a[2]); p <- as.integer(a[3])
rb <- function(f, k) {
  con <- file(file.path(d, f), "rb"); on.exit(close(con)); readBin(con, "double", k, 8)
}
X <- matrix(rb("X.bin", n * p), n, p); y <- rb("y.bin", n); lam <- rb("lam.bin", 100)
pf <- rb("pf.bin", p); lo <- rb("lo.bin", p); hi <- rb("hi.bin", p)
for (thresh in c(1e-7, 1e-10, 1e-13)) {
  t0 <- Sys.time()
  f <- glmnet(X, y, lambda = lam, standardize = FALSE, intercept = FALSE, thresh = thresh,
              penalty.factor = pf, lower.limits = lo, upper.limits = hi, maxit = 1e7)
  t <- as.numeric(Sys.time() - t0, units = "secs")
  con <- file(file.path(d, paste0("B", thresh, ".bin")), "wb")
  writeBin(as.vector(as.matrix(f$beta)), con); close(con)
  cat(thresh, t, "\n")
}
"""


def objective(X, y, W, alphas, pf):
    """1/(2n)||y - Xw||^2 + alpha * sum pf_j |w_j| for each column of W (bounds hold by
    construction for both solvers)."""
    n = len(y)
    R = y[:, None] - X @ W
    return (R * R).sum(0) / (2 * n) + alphas * (pf[:, None] * np.abs(W)).sum(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--p", type=int, default=2000)
    args = parser.parse_args()
    X, y = dense_corr(args.n, args.p)
    n, p = X.shape
    rng = np.random.default_rng(0)
    pf = rng.uniform(0.5, 2.0, p)
    pf[rng.choice(p, 5, replace=False)] = 0.0          # a few unpenalized features
    lo = np.full(p, -0.5)
    hi = np.where(rng.random(p) < 0.5, 0.0, np.inf)     # half of them non-positive
    lo[pf == 0] = -np.inf                                # unpenalized: both sides free
    hi[pf == 0] = np.inf
    opts = dict(penalty_factor=pf, lower_bounds=lo, upper_bounds=hi)
    alphas, _, _ = skreg.lasso_path(X, y, alphas=100, eps=1e-3, **opts)
    p0 = float(y @ y) / (2 * n)

    rows = []
    for tol in (5e-5, 5e-7):
        t0 = time.perf_counter()
        _, W, _ = skreg.lasso_path(X, y, alphas=alphas, tol=tol, max_iter=100_000, **opts)
        t_opts = time.perf_counter() - t0
        t0 = time.perf_counter()
        skreg.lasso_path(X, y, alphas=alphas, tol=tol, max_iter=100_000)
        t_plain = time.perf_counter() - t0
        rows.append((tol, t_opts, t_plain, W))
    print(f"Lasso path, {n}x{p}, 100 alphas, penalty factors (5 zeros) + bounds")
    for tol, t_opts, t_plain, _ in rows:
        print(f"  skreg tol={tol:g}: {t_opts:.3f} s with options, {t_plain:.3f} s without "
              f"(ratio {t_opts / t_plain:.2f})")
    W_ref = rows[-1][3]
    P_ref = objective(X, y, W_ref, alphas, pf)

    try:
        subprocess.run(["Rscript", "-e", "library(glmnet)"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        print("  glmnet: n/a (Rscript + glmnet not installed)")
        return
    with tempfile.TemporaryDirectory() as d:
        for name, arr in (("X", np.asfortranarray(X)), ("y", y), ("pf", pf), ("lo", lo),
                          ("hi", hi), ("lam", alphas * pf.sum() / p)):
            np.asarray(arr, dtype=np.float64).ravel(order="F").tofile(
                os.path.join(d, name + ".bin"))
        script = os.path.join(d, "fit.R")
        with open(script, "w") as f:
            f.write(R_SCRIPT)
        out = subprocess.run(["Rscript", script, d, str(n), str(p)], capture_output=True,
                             text=True, check=True).stdout.split("\n")
        for line in filter(None, out):
            thresh, t = line.split()
            W = np.fromfile(os.path.join(d, f"B{thresh}.bin")).reshape(p, -1, order="F")
            excess = (objective(X, y, W, alphas, pf) - P_ref) / p0
            print(f"  glmnet thresh={thresh}: {float(t):.3f} s, worst objective excess over "
                  f"skreg(tol=5e-7) {excess.max():+.1e} (relative to P(0)); "
                  f"time ratio skreg(tol=5e-7)/glmnet {rows[-1][1] / float(t):.2f}")


if __name__ == "__main__":
    main()
