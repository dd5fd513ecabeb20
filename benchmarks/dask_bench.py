"""skreg on a dask array too large for one machine's memory, beside scikit-learn in memory.

X (n x p, float64) is generated lazily in row chunks on the workers (the full size, 2e7 x 100,
is 16 GB) and fitted by skreg's Lasso (or LassoCV with --cv) through a dask.distributed cluster:
one pass reduces every chunk to its statistics (X'X, X'y, ...), then coordinate descent runs on
the 100 x 100 Gram matrix. Reported: wall time (statistics pass and solve), peak RSS of the client
and of each worker, and the ratio to scikit-learn's in-memory Lasso on the largest n it can hold
(--sklearn-n rows of the same data, fitted in a separate process).

    python benchmarks/dask_bench.py                       # full size (16 GB of data; slow)
    python benchmarks/dask_bench.py --n 2000000 --sklearn-n 2000000   # small run, same data
    python benchmarks/dask_bench.py --scheduler tcp://scheduler:8786  # an existing cluster
"""

import argparse
import multiprocessing
import resource
import time

import numpy as np


def peak_rss_mb():
    """Peak resident set size of this process, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_data(n, p, chunk_rows, seed=0):
    import dask.array as da

    rs = da.random.RandomState(seed)
    X = rs.normal(size=(n, p), chunks=(chunk_rows, p))
    beta = np.zeros(p)
    beta[: max(1, p // 10)] = np.random.RandomState(seed).uniform(-3, 3, max(1, p // 10))
    y = X @ beta + rs.normal(size=n, chunks=chunk_rows) * 2.0 + 1.0
    return X, y


def fit_in_memory(args, queue):
    """scikit-learn (and skreg) in memory on the first n_sk rows; run in a child process."""
    import sklearn.linear_model as sk

    import skreg

    X, y = make_data(args.n, args.p, args.chunk_rows)
    X = np.asfortranarray(X[: args.sklearn_n].compute(scheduler="threads"))
    y = y[: args.sklearn_n].compute(scheduler="threads")
    out = {"rss_data_mb": peak_rss_mb()}
    for name, cls in (("sklearn", sk.Lasso), ("skreg", skreg.Lasso)):
        t0 = time.perf_counter()
        model = cls(alpha=args.alpha, tol=args.tol).fit(X, y)
        out[name] = (time.perf_counter() - t0, model.coef_.copy(), float(model.intercept_))
    out["rss_mb"] = peak_rss_mb()
    queue.put(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=float, default=2e7, help="rows (default 2e7)")
    parser.add_argument("--p", type=int, default=100, help="features (default 100)")
    parser.add_argument("--chunk-rows", type=int, default=250_000,
                        help="rows per chunk (default 250000: 200 MB per chunk at p=100)")
    parser.add_argument("--sklearn-n", type=float, default=2e6,
                        help="rows for the in-memory scikit-learn fit (0 to skip)")
    parser.add_argument("--alpha", type=float, default=0.01)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--cv", type=int, default=0, help="LassoCV with this many folds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--memory-limit", default="4GB", help="per worker (LocalCluster)")
    parser.add_argument("--scheduler", default=None,
                        help="address of an existing cluster instead of a LocalCluster")
    args = parser.parse_args()
    args.n, args.sklearn_n = int(args.n), int(min(args.sklearn_n, args.n))

    from distributed import Client, LocalCluster

    import skreg
    from skreg import _dask_data as _dask

    timings = {"statistics": 0.0}
    compute = _dask._compute_statistics

    def timed(*a, **k):
        t0 = time.perf_counter()
        try:
            return compute(*a, **k)
        finally:
            timings["statistics"] += time.perf_counter() - t0

    _dask._compute_statistics = timed

    if args.scheduler:
        cluster, client = None, Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=args.threads,
                               memory_limit=args.memory_limit, dashboard_address=None)
        client = Client(cluster)
    X, y = make_data(args.n, args.p, args.chunk_rows)
    gb = args.n * args.p * 8 / 1e9
    print(f"X: {args.n:,} x {args.p} float64 = {gb:.2f} GB in {len(X.chunks[0])} chunks of "
          f"{args.chunk_rows:,} rows; {len(client.scheduler_info()['workers'])} workers")
    t0 = time.perf_counter()  # what one pass costs without skreg: generate and sum the chunks
    client.compute([X.sum(axis=0), y.sum()], sync=True)
    data_pass = time.perf_counter() - t0
    t0 = time.perf_counter()
    if args.cv:
        model = skreg.LassoCV(cv=args.cv, tol=args.tol).fit(X, y)
        what = f"LassoCV(cv={args.cv}) alpha_={model.alpha_:.4g}"
    else:
        model = skreg.Lasso(alpha=args.alpha, tol=args.tol).fit(X, y)
        what = f"Lasso(alpha={args.alpha})"
    wall = time.perf_counter() - t0
    workers_rss = client.run(peak_rss_mb)
    print(f"skreg {what} on dask: {wall:.2f} s (statistics pass {timings['statistics']:.2f} s,"
          f" rest {wall - timings['statistics']:.2f} s), {np.count_nonzero(model.coef_)} "
          f"non-zero coefficients; one pass generating and summing X, y alone: "
          f"{data_pass:.2f} s")
    print(f"peak RSS: client {peak_rss_mb():.0f} MB; workers "
          + ", ".join(f"{v:.0f} MB" for v in workers_rss.values())
          + ("" if cluster is None or args.workers == 0 else "  (LocalCluster processes)"))
    client.close()
    if cluster is not None:
        cluster.close()

    if args.sklearn_n:
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        child = ctx.Process(target=fit_in_memory, args=(args, queue))
        child.start()
        mem = queue.get()
        child.join()
        sk_time, sk_coef, _ = mem["sklearn"]
        sr_time, _, _ = mem["skreg"]
        per_row = (wall / args.n) / (sk_time / args.sklearn_n)
        print(f"in memory, n={args.sklearn_n:,} ({args.sklearn_n * args.p * 8 / 1e9:.2f} GB): "
              f"scikit-learn Lasso {sk_time:.2f} s, skreg Lasso {sr_time:.2f} s; peak RSS "
              f"{mem['rss_mb']:.0f} MB")
        print(f"ratio dask(n={args.n:,}) / sklearn(n={args.sklearn_n:,}): "
              f"{wall / sk_time:.2f} in wall time, {per_row:.2f} per row")
        if args.sklearn_n == args.n and not args.cv:
            print(f"max |coef_dask - coef_sklearn| = {np.abs(model.coef_ - sk_coef).max():.2e}")


if __name__ == "__main__":
    main()
