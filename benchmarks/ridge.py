"""Ridge and RidgeCV side by side with their peers, in one process, on the same data.

Rows (all with an intercept; X as numpy builds it, C order, unless --order says otherwise):

- ``Ridge``: one exact fit at ``alpha=1`` with the default solver: skreg, scikit-learn and
  Intel's ``sklearnex.linear_model.Ridge`` (oneDAL; skipped when not installed). Every peer
  solves the same problem exactly, so agreement is the largest coefficient difference
  relative to the largest coefficient (``max|w - w_sklearn| / max|w_sklearn|``).
- ``RidgeCV``: leave-one-out (``cv=None``, the default) over 50 alphas log-spaced from 1e-3
  to 1e3, skreg against scikit-learn, with and without sample weights (uniform on [0.5, 2]).
  Agreement: the same chosen ``alpha_``, the relative difference of ``best_score_`` and of
  the coefficients.

Problems: diabetes (442 x 10, as scikit-learn ships it: standardized), dense n >> p
(20000 x 500) and p >> n (500 x 5000, Toeplitz rho = 0.6, benchmarks/_problems.py: columns
centred), the same n >> p data with column offsets of 1 to 5 standard deviations
(``20000x500+off``: raw data, which skreg's Ridge must centre with a copy), and the ISLP
Khan gene expression data (83 x 2308, standardized) when ISLP's CSV files are installed
(``pip install --no-deps ISLP``). Each cell is the best of --repeat runs (fewer for a peer
whose first run took over a second: 2 runs, over 20 s: 1; 20 times more when every peer's
first run took under 10 ms, 3 times more under 0.1 s), the runs of the peers
interleaved with skreg's so that a slow spell of a shared machine falls on all of them, in
an order that rotates from round to round (a run that evicts the caches slows down the next
one: no peer always follows the same one).
BLAS and oneDAL (`daal4py.daalinit(1)`: it threads with TBB, which the BLAS variables do
not reach) are single-threaded unless --threads. The table at the end gives the time ratio
skreg / peer (below 1: skreg faster).

Usage: ``python benchmarks/ridge.py [--problems diabetes,20000x500,20000x500+off,500x5000,khan]
[--tasks ridge,ridgecv,ridgecv_sw] [--repeat 7] [--order C,F]`` (from the repository root,
with skreg importable: built in place).
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

ALPHA = 1.0
CV_ALPHAS = np.logspace(-3, 3, 50)


def _problems(names):
    import _problems as problems
    from sklearn.datasets import load_diabetes

    makers = {
        "diabetes": lambda: load_diabetes(return_X_y=True),
        "20000x500": lambda: problems.dense_tall(20000, 500),
        "20000x500+off": lambda: _offset(*problems.dense_tall(20000, 500)),
        "500x5000": lambda: problems.dense_corr(500, 5000),
        "khan": problems.khan,
    }
    for name in names:
        if name == "khan" and problems.islp_data_dir() is None:
            print("khan: skipped (ISLP's data files are not installed)")
            continue
        X, y = makers[name]()
        yield name, np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)


def _offset(X, y):
    """The same data with column offsets of 1 to 5 standard deviations: raw (uncentred) data,
    for which skreg's Ridge cannot skip the centred copy of X."""
    shift = np.random.default_rng(0).uniform(1.0, 5.0, X.shape[1]) * X.std(axis=0)
    return X + shift, y


def _peers(task):
    """{label: estimator factory} for a task, skreg first; peers not installed are left out."""
    import sklearn.linear_model as sklm

    import skreg

    if task == "ridge":
        peers = {"skreg": lambda: skreg.Ridge(alpha=ALPHA),
                 "sklearn": lambda: sklm.Ridge(alpha=ALPHA)}
        try:
            import daal4py
            from sklearnex.linear_model import Ridge as OneDALRidge
        except ImportError:
            print("sklearnex is not installed: its column is skipped")
        else:
            if "--threads" not in sys.argv:
                daal4py.daalinit(1)  # oneDAL threads with TBB, out of the BLAS variables' reach
            peers["sklearnex"] = lambda: OneDALRidge(alpha=ALPHA)
        return peers
    return {"skreg": lambda: skreg.RidgeCV(alphas=CV_ALPHAS),
            "sklearn": lambda: sklm.RidgeCV(alphas=CV_ALPHAS)}


def _time_interleaved(makers, X, y, sw, repeat):
    """Best time and last fitted estimator of each peer, runs interleaved round by round;
    a peer whose first run took over a second runs 2 rounds (over 20 s: 1). Short cells are
    repeated more, as run.py does (a sub-millisecond fit's best of 7 is mostly noise): when
    every peer's first run took under 10 ms, 20 times the rounds (under 0.1 s: 3 times)."""
    times = {label: [] for label in makers}
    rounds = dict.fromkeys(makers, repeat)
    fitted = {}
    labels = list(makers)
    r = 0
    while r < max(rounds.values()):
        # the order rotates from round to round: a run that evicts the caches (oneDAL's
        # p x p Gram matrix on p >> n data) slows down whichever runs next, so no peer may
        # always be that one
        for label in labels[r % len(labels):] + labels[:r % len(labels)]:
            make = makers[label]
            if r >= rounds[label]:
                continue
            t0 = time.perf_counter()
            fitted[label] = make().fit(X, y, sample_weight=sw)
            times[label].append(time.perf_counter() - t0)
            if r == 0:
                first = times[label][0]
                rounds[label] = 1 if first > 20 else (min(repeat, 2) if first > 1 else repeat)
        if r == 0:
            slowest = max(t[0] for t in times.values())
            scale = 20 if slowest < 0.01 else (3 if slowest < 0.1 else 1)
            rounds = {label: n * scale for label, n in rounds.items()}
        r += 1
    return {label: min(t) for label, t in times.items()}, fitted


def _rel(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), np.finfo(float).tiny))


def _agreement(task, est, ref):
    coef = f"coef {_rel(est.coef_, ref.coef_):.1e}"
    if task == "ridge":
        return coef
    same = np.allclose(est.alpha_, ref.alpha_, rtol=1e-12, atol=0)
    return (f"alpha_ {'same' if same else f'DIFFERS ({est.alpha_:g} vs {ref.alpha_:g})'}, "
            f"best_score_ {_rel(est.best_score_, ref.best_score_):.1e}, {coef}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", default="diabetes,20000x500,20000x500+off,500x5000,khan")
    parser.add_argument("--tasks", default="ridge,ridgecv,ridgecv_sw")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--order", default="C", help="memory layouts of X to time: C, F or C,F")
    parser.add_argument("--threads", action="store_true",
                        help="leave the BLAS thread count to the environment")
    opts = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    rows = []
    for name, X0, y in _problems(opts.problems.split(",")):
        sw = np.random.default_rng(0).uniform(0.5, 2.0, X0.shape[0])
        for order in opts.order.split(","):
            X = np.asarray(X0, order=order)
            for task in opts.tasks.split(","):
                makers = _peers("ridge" if task == "ridge" else "ridgecv")
                times, fitted = _time_interleaved(
                    makers, X, y, sw if task == "ridgecv_sw" else None, opts.repeat)
                ref = fitted["sklearn"]
                label = f"{name} ({order})" if len(opts.order.split(",")) > 1 else name
                print(f"{label:18s} {task:11s} " + "  ".join(
                    f"{k} {t:.4f}s" for k, t in times.items()))
                for peer in makers:
                    if peer != "sklearn":
                        print(f"    {peer} vs sklearn: {_agreement(task, fitted[peer], ref)}")
                rows.append((label, task, times))
    _print_table(rows)


def _print_table(rows):
    peers = []
    for _, _, times in rows:
        peers += [p for p in times if p != "skreg" and p not in peers]
    print("\nTime ratio skreg / peer (best of runs, < 1: skreg faster; '-': no such peer)")
    print("| problem | task | skreg (s) | " + " | ".join(peers) + " |")
    print("|" + "---|" * (3 + len(peers)))
    for label, task, times in rows:
        cells = [f"{times['skreg'] / times[p]:.2f}" if p in times else "-" for p in peers]
        print(f"| {label} | {task} | {times['skreg']:.4f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
