"""L1 and elastic-net logistic regression paths: skreg against its peers, at the same accuracy.

    python benchmarks/logistic.py            # small sizes (a few minutes)
    python benchmarks/logistic.py --full     # the sizes of the README table
    python benchmarks/logistic.py --only sparse --peers skreg,celer

Every solver fits the same problem, scikit-learn's objective without intercept (liblinear and
celer have no unpenalized intercept)::

    C * sum_i log(1 + exp(-y_i x_i w)) + l1_ratio ||w||_1 + (1 - l1_ratio) / 2 ||w||^2

along the same 50 values of C, log-spaced from C_min (every coefficient zero) to 100 C_min,
warm-started where the peer allows it. Accuracy is judged from each solver's returned
coefficients by one formula: the duality gap at the rescaled residual (binary negative entropy
dual), divided by the null objective ``C n log 2``. Each peer is run with a ladder of its own
tolerances, loosest first, until its worst gap along the path meets the target; its time at a
target is that of its first run meeting it; a run shorter than a second is repeated
(``--repeat``) and its best time kept, as identical runs vary by 20-50% on a shared machine.
The speed of such a machine also drifts over minutes, so each ratio of short runs is timed
again at the end, pairwise: skreg's run and the peer's run meeting the target alternate
``--repeat`` times, and the ratio is that of their best times. A
peer that never meets a target is flagged (``>``: the time of its tightest run, which missed).
Peers: scikit-learn liblinear and saga, celer, skglm, adelie (``glm.binomial``), R glmnet
(``family = "binomial"``) when Rscript is found.
Objective mappings: skglm and adelie minimize the mean loss plus ``alpha * penalty`` (alpha =
1 / (n C)); glmnet the same with lambda = 1 / (n C) (benchmarks/glmnet_logistic.R).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

TARGETS = (1e-4, 1e-6)
N_CS = 50
EPS = 1e-2


# ------------------------------------------------------------------------------------------
# Problems (binary labels in {0, 1}; dense columns centred)

def _labels(rng, X, k):
    p = X.shape[1]
    w = np.zeros(p)
    idx = rng.choice(p, k, replace=False)
    w[idx] = rng.choice([-1.0, 1.0], k) * rng.uniform(0.5, 2.0, k)
    z = X @ w
    z = 3.0 * z / np.std(z)
    return (rng.uniform(size=X.shape[0]) < 1 / (1 + np.exp(-z))).astype(np.float64)


def dense_wide(n, p):
    rng = np.random.default_rng(0)
    X = np.empty((n, p), order="F")
    X[:, 0] = rng.standard_normal(n)
    for j in range(1, p):  # Toeplitz rho = 0.6
        X[:, j] = 0.6 * X[:, j - 1] + 0.8 * rng.standard_normal(n)
    X -= X.mean(axis=0)
    return X, _labels(rng, X, max(5, p // 100))


def dense_tall(n, p):
    rng = np.random.default_rng(1)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    X -= X.mean(axis=0)
    return X, _labels(rng, X, max(5, p // 10))


def sparse_text(n, p, nnz):
    """Bag-of-words-like: Zipf column frequencies, tf-idf-like positive values, rows scaled
    to unit norm."""
    rng = np.random.default_rng(2)
    freq = 1.0 / np.arange(1, p + 1) ** 1.1
    freq /= freq.sum()
    cols = rng.choice(p, nnz, p=freq)
    rows = rng.integers(0, n, nnz)
    vals = rng.exponential(1.0, nnz) * np.log(1.0 / (freq[cols] * p) + 2.0)
    X = sp.csr_matrix((vals, (rows, cols)), shape=(n, p))
    X.sum_duplicates()
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    X = sp.diags(1.0 / np.maximum(norms, 1e-12)) @ X
    X = sp.csc_matrix(X)
    informative = rng.choice(min(p, 2000), 40, replace=False)
    w = np.zeros(p)
    w[informative] = rng.choice([-1.0, 1.0], 40) * 3.0
    z = X @ w
    z = 3.0 * (z - z.mean()) / (np.std(z) + 1e-12)
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(np.float64)
    return X, y


def breast_cancer():
    from sklearn.datasets import load_breast_cancer
    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return np.asfortranarray(X), y.astype(np.float64)


def problems(full):
    if full:
        return {"dense p>>n (500x5000)": lambda: dense_wide(500, 5000),
                "tall dense (20000x200)": lambda: dense_tall(20000, 200),
                "sparse text (20000x50000, 1e6 nnz)": lambda: sparse_text(20000, 50000, 1_000_000),
                "breast_cancer (569x30)": breast_cancer}
    return {"dense p>>n (200x2000)": lambda: dense_wide(200, 2000),
            "tall dense (5000x100)": lambda: dense_tall(5000, 100),
            "sparse text (5000x20000, 1e5 nnz)": lambda: sparse_text(5000, 20000, 100_000),
            "breast_cancer (569x30)": breast_cancer}


# ------------------------------------------------------------------------------------------
# One accuracy formula for every solver

def relative_gaps(X, y, coefs, Cs, l1_ratio):
    """Duality gap / (C n log 2) of each path point (no intercept)."""
    out = np.empty(len(Cs))
    n = X.shape[0]
    for i, (w, C) in enumerate(zip(coefs, Cs, strict=True)):
        if not np.all(np.isfinite(w)):
            out[i] = np.inf
            continue
        z = np.asarray(X @ w).ravel()
        prob = 1.0 / (1.0 + np.exp(-z))
        loss = np.logaddexp(0.0, z) - y * z
        primal = C * loss.sum() + l1_ratio * np.abs(w).sum() + 0.5 * (1 - l1_ratio) * w @ w
        theta = C * (y - prob)
        g = np.asarray(X.T @ theta).ravel()
        best = -np.inf
        kappas = [max(1.0, np.abs(g).max() / l1_ratio) if l1_ratio > 0 else 1.0, 1.0]
        for kappa in kappas:
            if l1_ratio == 1.0 and np.abs(g).max() / kappa > 1.0 + 1e-12:
                continue
            u = y - (y - prob) / kappa
            with np.errstate(divide="ignore", invalid="ignore"):
                ent = (np.where(u > 0, u * np.log(u), 0.0)
                       + np.where(u < 1, (1 - u) * np.log(1 - u), 0.0))
            dual = -C * ent.sum()
            if l1_ratio < 1.0:
                dual -= np.sum(np.maximum(np.abs(g) / kappa - l1_ratio, 0.0) ** 2) / (
                    2.0 * (1.0 - l1_ratio))
            best = max(best, dual)
        out[i] = max(primal - best, 0.0) / (C * n * np.log(2.0))
    return out


def C_min(X, y, l1_ratio):
    g = np.abs(np.asarray(X.T @ (y - 0.5)).ravel()).max()
    return max(l1_ratio, 1e-3) / g


# ------------------------------------------------------------------------------------------
# Peers: (X, y, Cs, l1_ratio, tol) -> coefs (n_Cs, p); None if the problem is not theirs

def run_skreg(X, y, Cs, l1_ratio, tol):
    from skreg._logistic_path import LogisticProblem, solve_Cs
    problem = LogisticProblem(X, y, np.array([0.0, 1.0]), fit_intercept=False)
    coefs, _, _, _ = solve_Cs(problem, Cs, l1_ratio, tol=tol, max_iter=1000, warn=False)
    return coefs[:, 0, :]


def run_sklearn(solver):
    def run(X, y, Cs, l1_ratio, tol):
        from sklearn.linear_model import LogisticRegression
        if solver == "liblinear" and l1_ratio not in (0.0, 1.0):
            return None
        m = LogisticRegression(solver=solver, l1_ratio=l1_ratio, tol=tol, max_iter=10_000,
                               fit_intercept=False, warm_start=True)
        out = []
        for C in Cs:
            m.set_params(C=C).fit(X, y)
            out.append(m.coef_[0].copy())
        return np.array(out)
    return run


def run_celer(X, y, Cs, l1_ratio, tol):
    if l1_ratio != 1.0:
        return None
    from celer import LogisticRegression
    m = LogisticRegression(tol=tol, warm_start=True, fit_intercept=False)
    yy = 2 * y - 1
    out = []
    for C in Cs:
        m.C = C
        m.fit(X, yy)
        out.append(np.ravel(m.coef_).copy())
    return np.array(out)


def run_skglm(X, y, Cs, l1_ratio, tol):
    from skglm import SparseLogisticRegression
    n = X.shape[0]
    m = SparseLogisticRegression(alpha=1.0, l1_ratio=l1_ratio, tol=tol, fit_intercept=False,
                                 warm_start=True, max_iter=200, max_epochs=100_000)
    out = []
    for C in Cs:
        m.alpha = 1.0 / (n * C)
        m.fit(X, y)
        out.append(np.ravel(m.coef_).copy())
    return np.array(out)


def run_adelie(X, y, Cs, l1_ratio, tol):
    import adelie as ad
    n = X.shape[0]
    Xa = ad.matrix.sparse(sp.csc_matrix(X)) if sp.issparse(X) else np.asfortranarray(X)
    lmdas = 1.0 / (n * np.asarray(Cs))
    state = ad.grpnet(Xa, ad.glm.binomial(y=y), alpha=l1_ratio, lmda_path=lmdas,
                      intercept=False, tol=tol, irls_tol=tol, early_exit=False,
                      progress_bar=False, screen_rule="pivot")
    betas = state.betas.toarray() if sp.issparse(state.betas) else np.asarray(state.betas)
    if betas.shape[0] < len(Cs):
        betas = np.vstack([betas, np.full((len(Cs) - betas.shape[0], X.shape[1]), np.nan)])
    return betas


class GlmnetRunner:
    """R glmnet through Rscript (the fit's own elapsed time, measured in R)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="skreg-logit-")
        self.script = os.path.join(os.path.dirname(__file__), "glmnet_logistic.R")
        self.data_key = None
        self.last_time = None

    def write(self, X, y):
        n, p = X.shape
        if sp.issparse(X):
            Xc = sp.csc_matrix(X)
            Xc.data.astype(np.float64).tofile(os.path.join(self.dir, "data.bin"))
            Xc.indices.astype(np.int32).tofile(os.path.join(self.dir, "indices.bin"))
            Xc.indptr.astype(np.int32).tofile(os.path.join(self.dir, "indptr.bin"))
        else:
            np.asfortranarray(X, dtype=np.float64).ravel(order="F").tofile(
                os.path.join(self.dir, "X.bin"))
        y.astype(np.float64).tofile(os.path.join(self.dir, "y.bin"))
        with open(os.path.join(self.dir, "meta.txt"), "w") as f:
            f.write(f"{n} {p} {int(sp.issparse(X))}\n")

    def __call__(self, X, y, Cs, l1_ratio, tol):
        key = (id(X), X.shape)
        if key != self.data_key:
            self.write(X, y)
            self.data_key = key
        n, p = X.shape
        lam = os.path.join(self.dir, "lambda.bin")
        (1.0 / (n * np.asarray(Cs))).astype(np.float64).tofile(lam)
        out = os.path.join(self.dir, "out")
        subprocess.run(["Rscript", self.script, self.dir, lam, str(l1_ratio), str(tol), "1",
                        out], check=True, capture_output=True)
        with open(out + ".txt") as f:
            self.last_time = float(f.read().split()[1])
        B = np.fromfile(out + ".coef.bin").reshape((p, len(Cs)), order="F")
        return B.T


LADDERS = {
    "skreg": (run_skreg, [1e-4, 1e-6, 1e-8]),
    "liblinear": (run_sklearn("liblinear"), [1e-3, 1e-5, 1e-7, 1e-9]),
    "saga": (run_sklearn("saga"), [1e-3, 1e-4, 1e-5, 1e-6]),
    "celer": (run_celer, [1e-3, 1e-5, 1e-7, 1e-9]),
    "skglm": (run_skglm, [1e-4, 1e-6, 1e-8, 1e-10]),
    "adelie": (run_adelie, [1e-6, 1e-8, 1e-10, 1e-12]),
    "glmnet": (None, [1e-6, 1e-8, 1e-10, 1e-12]),
}


def bench_peer(name, X, y, Cs, l1_ratio, budget, glmnet=None, repeat=1):
    """{target: (seconds, met, tol)} for one peer, running its tolerance ladder (tol: of
    the run timed for that target)."""
    run, ladder = LADDERS[name]
    if name == "glmnet":
        run = glmnet
    best = {t: None for t in TARGETS}
    best_tol = {t: None for t in TARGETS}
    tightest = tightest_tol = None
    spent = 0.0
    if name != "glmnet":  # imports, JIT and caches out of the timings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                run(X, y, Cs[:2], l1_ratio, ladder[0])
            except Exception:
                pass
    for tol in ladder:
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                coefs = run(X, y, Cs, l1_ratio, tol)
            except Exception as exc:  # a peer that fails is reported, not fatal
                print(f"    {name} tol={tol:g}: failed ({type(exc).__name__}: {exc})")
                return None
        seconds = time.perf_counter() - t0
        if coefs is None:
            return None
        if name == "glmnet":
            seconds = glmnet.last_time
        for _ in range(repeat - 1 if seconds < 1.0 else 0):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t0 = time.perf_counter()
                run(X, y, Cs, l1_ratio, tol)
                again = time.perf_counter() - t0
            seconds = min(seconds, glmnet.last_time if name == "glmnet" else again)
        spent += seconds
        gap = float(np.max(relative_gaps(X, y, coefs, Cs, l1_ratio)))
        print(f"    {name:9s} tol={tol:<8g} {seconds:8.3f} s  worst relative gap {gap:.2e}")
        tightest, tightest_tol = seconds, tol
        for t in TARGETS:
            if best[t] is None and gap <= t:
                best[t], best_tol[t] = seconds, tol
        if best[TARGETS[-1]] is not None or spent > budget:
            break
    return {t: (best[t], True, best_tol[t]) if best[t] is not None
            else (tightest, False, tightest_tol) for t in TARGETS}


def paired_times(peer, X, y, Cs, l1_ratio, tol_skreg, tol_peer, repeat, glmnet=None):
    """Best times of skreg's and the peer's runs, alternated `repeat` times: both see the
    same drift of the machine's speed."""
    runs = [(LADDERS["skreg"][0], tol_skreg), (glmnet if peer == "glmnet" else LADDERS[peer][0],
                                               tol_peer)]
    best = [np.inf, np.inf]
    for _ in range(repeat):
        for i, (run, tol) in enumerate(runs):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t0 = time.perf_counter()
                run(X, y, Cs, l1_ratio, tol)
                seconds = time.perf_counter() - t0
            if i == 1 and peer == "glmnet":
                seconds = glmnet.last_time
            best[i] = min(best[i], seconds)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the README sizes")
    parser.add_argument("--only", default="", help="problems whose name contains this")
    parser.add_argument("--peers", default="skreg,liblinear,saga,celer,skglm,adelie,glmnet")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds per peer and problem before its ladder stops")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of a cell shorter than a second; its best time is kept")
    args = parser.parse_args()
    peers = [p for p in args.peers.split(",") if p]
    glmnet = GlmnetRunner() if shutil.which("Rscript") and "glmnet" in peers else None
    if glmnet is None and "glmnet" in peers:
        peers.remove("glmnet")
    rows = []
    for pname, make in problems(args.full).items():
        if args.only and args.only not in pname:
            continue
        X, y = make()
        for l1_ratio in (1.0, 0.5):
            Cs = C_min(X, y, l1_ratio) * np.logspace(0, -np.log10(EPS), N_CS)
            print(f"{pname}, l1_ratio={l1_ratio}")
            res = {}
            for peer in peers:
                r = bench_peer(peer, X, y, Cs, l1_ratio, args.budget, glmnet, args.repeat)
                if r is not None:
                    res[peer] = r
            paired = {}
            if "skreg" in res:
                for peer in res:
                    for t in TARGETS:
                        s_time, s_met, s_tol = res["skreg"][t]
                        p_time, p_met, p_tol = res[peer][t]
                        if (peer != "skreg" and s_met and p_met and args.repeat > 1
                                and max(s_time, p_time) < 1.0):
                            s2, p2 = paired_times(peer, X, y, Cs, l1_ratio, s_tol, p_tol,
                                                  args.repeat, glmnet)
                            paired[peer, t] = s2 / p2
                            print(f"    paired at {t:g}: skreg {s2:.3f} s, {peer} {p2:.3f} s")
            rows.append((pname, l1_ratio, res, paired))
    print_table(rows, peers)


def print_table(rows, peers):
    others = [p for p in peers if p != "skreg"]
    for target in TARGETS:
        print(f"\nTime ratio skreg / peer at relative gap <= {target:g} "
              "(< 1: skreg faster; '-': peer does not fit this problem; "
              "'>x': the peer missed the target, ratio against its tightest run)")
        head = "| problem | l1_ratio | skreg (s) | " + " | ".join(others) + " |"
        print(head)
        print("|" + "---|" * (3 + len(others)))
        for pname, l1_ratio, res, paired in rows:
            if "skreg" not in res:
                continue
            s, ok, _ = res["skreg"][target]
            cells = []
            for peer in others:
                if peer not in res:
                    cells.append("-")
                    continue
                t, met, _ = res[peer][target]
                ratio = paired.get((peer, target), s / t if t else float("nan"))
                cells.append(f"{ratio:.2f}" if met else f">{ratio:.2f}")
            stime = f"{s:.3f}" + ("" if ok else " (missed)")
            print(f"| {pname} | {l1_ratio} | {stime} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
