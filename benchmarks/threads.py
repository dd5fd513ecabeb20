#!/usr/bin/env python
"""Does skreg release the GIL? Time the same fits run one after the other and then in
2 threads (ThreadPoolExecutor), check that the results are identical.

    python benchmarks/threads.py [--self {skreg,sklearn}] [--n 2000] [--p 2000]

With the GIL released in the solver, 2 threads on 2 cores take ~half the sequential time
(ratio ~0.5); a solver holding the GIL gives ~1.0. BLAS is limited to 1 thread so that the
threads, not OpenBLAS, provide the parallelism.
"""
import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--self", dest="self_impl", choices=("skreg", "sklearn"), default="skreg")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--p", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=4, help="fits per batch (even)")
    ap.add_argument("--threads", type=int, default=2)
    opts = ap.parse_args(argv)

    if opts.self_impl == "skreg":
        import skreg as m
    else:
        from sklearn import linear_model as m
    from threadpoolctl import threadpool_limits

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from _problems import dense_corr
    from run import machine_busy
    busy = machine_busy()
    if busy > 0.15:
        print(f"WARNING: other processes use {busy:.0%} of the CPUs: the thread speed-up "
              "cannot show (rerun on an idle machine)")

    X, y = dense_corr(opts.n, opts.p)
    amax = np.abs(X.T @ y).max() / len(y)
    alphas = amax * np.geomspace(1, 1e-2, 30)
    # different alphas per job, as in a CV or a grid search
    jobs = [alphas * (1 + 0.05 * k) for k in range(opts.jobs)]

    def fit(a):
        _, coefs, _ = m.lasso_path(X, y, alphas=a, tol=1e-6, max_iter=100_000)
        return coefs

    with threadpool_limits(1):
        fit(jobs[0][:3])  # warm-up
        t0 = time.perf_counter()
        seq = [fit(a) for a in jobs]
        t_seq = time.perf_counter() - t0
        with ThreadPoolExecutor(opts.threads) as ex:
            t0 = time.perf_counter()
            par = list(ex.map(fit, jobs))
            t_par = time.perf_counter() - t0

    same = all(np.array_equal(a, b) for a, b in zip(seq, par))
    name = "skreg" if opts.self_impl == "skreg" else "sklearn (stand-in)"
    print(f"{name}: {opts.jobs} lasso paths (30 α, X {opts.n}x{opts.p}): sequential "
          f"{t_seq:.2f} s, {opts.threads} threads {t_par:.2f} s, ratio threads/sequential "
          f"{t_par / t_seq:.2f} (ideal {1 / opts.threads:.2f}); identical results: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
