"""Threads, memory and pickling.

* The kernels release the GIL (their loops run in ``with nogil``): while one thread is inside a
  kernel, another Python thread keeps running.
* The same fits in two threads at once give bit-identical results.
* 10 000 small (warm-started and repeated) fits and 30 000 direct kernel calls leave the resident
  set size flat: no leak in the kernels' workspaces nor in the Python layer.
* Fitted estimators pickled here load and predict identically in a fresh process.
"""

import gc
import pickle
import subprocess
import sys
import textwrap
import threading
import time
import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

import skreg
from skreg import _cd_fast

psutil = pytest.importorskip("psutil")

PLAIN = dict(use_ws=False, screen=False, accel=False, newton=False)


# ------------------------------------------------------------------------------------------------
# GIL
# ------------------------------------------------------------------------------------------------


def _kernel_calls():
    """Three long kernel calls (~0.2-0.5 s each): tol = -1 never stops early."""
    rng = np.random.RandomState(0)
    n, p = 20000, 100
    X = np.asfortranarray(rng.randn(n, p))
    y = rng.randn(n)
    z, inf, lam = np.zeros(p), np.full(p, np.inf), np.full(p, 1.0)
    n2 = np.einsum("ij,ij->j", X, X)
    M = sparse.csc_matrix(X * (rng.rand(n, p) < 0.1))
    ns = np.asarray(M.multiply(M).sum(axis=0)).ravel()
    pg = 1000
    Xg = rng.randn(1500, pg)
    Q, q = Xg.T @ Xg, Xg.T @ rng.randn(1500)
    zg, infg = np.zeros(pg), np.full(pg, np.inf)
    return {
        "dense": lambda: _cd_fast.enet_dense(np.zeros(p), X, y, n2, lam, z, -inf, inf, 300,
                                             -1.0, **PLAIN),
        "sparse": lambda: _cd_fast.enet_sparse(np.zeros(p), M.data, M.indices, M.indptr, n, z,
                                               np.ones(n), True, y, ns, lam, z, -inf, inf, 300,
                                               -1.0, **PLAIN),
        "gram": lambda: _cd_fast.enet_gram(np.zeros(pg), Q, q, 1500.0, np.full(pg, 1.0), zg,
                                           -infg, infg, 1500, -1.0, **PLAIN),
    }


def _starvation(work):
    """Run `work` in a thread while this thread ticks; returns (duration of work, longest
    interval between two ticks while it ran, number of ticks)."""
    done = threading.Event()
    span = {}

    def target():
        t0 = time.perf_counter()
        work()
        span["t"] = time.perf_counter() - t0
        done.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    limits = threadpool_limits(1)  # no BLAS threads competing for the 2 cores
    try:
        thread = threading.Thread(target=target)
        last = time.perf_counter()
        thread.start()
        worst, ticks = 0.0, 0
        while not done.is_set():
            time.sleep(2e-4)  # ticks need the GIL back, but leave the core to the worker
            now = time.perf_counter()
            worst = max(worst, now - last)
            last = now
            ticks += 1
        thread.join()
    finally:
        sys.setswitchinterval(old)
        limits.restore_original_limits()
    return span["t"], worst, ticks


@pytest.mark.parametrize("kind", ["dense", "sparse", "gram"])
def test_kernels_release_the_gil(kind):
    call = _kernel_calls()[kind]
    duration, worst, ticks = _starvation(call)
    assert duration > 0.05, "the kernel call is too short to tell"
    # holding the GIL would stall this thread for the whole call
    assert worst < 0.5 * duration, (worst, duration)
    assert ticks > 50


def test_fit_releases_the_gil_while_solving():
    rng = np.random.RandomState(1)
    X = rng.randn(20000, 60)
    y = X @ rng.randn(60) + rng.randn(20000)
    est = skreg.Lasso(alpha=1e-4, tol=1e-12, max_iter=200)

    def fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(X, y)
    duration, worst, ticks = _starvation(fit)
    assert worst < 0.5 * duration, (worst, duration)


# ------------------------------------------------------------------------------------------------
# Identical results in two threads
# ------------------------------------------------------------------------------------------------


def _jobs():
    rng = np.random.RandomState(2)
    X = rng.randn(300, 40)
    y = X[:, :8] @ rng.randn(8) + rng.randn(300)
    Xs = sparse.csc_matrix(X * (rng.rand(300, 40) < 0.3))
    X32 = X.astype(np.float32)
    sw = rng.uniform(0.5, 2, 300)
    return [
        lambda: skreg.Lasso(alpha=0.01, tol=1e-8).fit(X, y).coef_,
        lambda: skreg.ElasticNet(alpha=0.01, tol=1e-8).fit(Xs, y, sample_weight=sw).coef_,
        lambda: skreg.ElasticNet(alpha=0.01, precompute=True).fit(X, y).coef_,
        lambda: skreg.Lasso(alpha=0.01, selection="random", random_state=3).fit(X, y).coef_,
        lambda: skreg.Lasso(alpha=0.01).fit(X32, y).coef_,
        lambda: skreg.Ridge(solver="sag", tol=1e-8).fit(Xs, y).coef_,
        lambda: skreg.Ridge(positive=True).fit(X, y).coef_,
        lambda: skreg.lasso_path(X, y, alphas=10)[1],
        lambda: skreg.enet_path(Xs, y, alphas=10, fit_intercept=True)[1],
        lambda: skreg.LassoCV(cv=3, alphas=8).fit(X, y).coef_,
    ]


def test_two_threads_give_identical_results():
    jobs = _jobs()
    reference = [job() for job in jobs]
    results = {0: [], 1: []}
    errors = []
    barrier = threading.Barrier(2)

    def worker(k):
        try:
            barrier.wait()
            order = list(range(len(jobs)))[::1 if k == 0 else -1]
            for _ in range(2):
                for i in order:
                    results[k].append((i, jobs[i]()))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for k in (0, 1):
        assert len(results[k]) == 2 * len(jobs)
        for i, value in results[k]:
            np.testing.assert_array_equal(value, reference[i], err_msg=f"job {i} thread {k}")


def test_shared_data_is_not_written_by_concurrent_fits():
    rng = np.random.RandomState(4)
    X = np.asfortranarray(rng.randn(200, 30))
    y = rng.randn(200)
    X0, y0 = X.copy(), y.copy()
    threads = [threading.Thread(target=lambda a=a: skreg.ElasticNet(
        alpha=a, fit_intercept=False, copy_X=False).fit(X, y)) for a in (0.01, 0.05, 0.1, 0.2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


# ------------------------------------------------------------------------------------------------
# Memory
# ------------------------------------------------------------------------------------------------


def _rss():
    gc.collect()
    return psutil.Process().memory_info().rss


def _growth(step, n_calls, warmup):
    for i in range(warmup):
        step(i)
    before = _rss()
    for i in range(n_calls):
        step(i)
    return _rss() - before


def test_repeated_and_warm_started_fits_do_not_leak():
    rng = np.random.RandomState(5)
    X = rng.randn(40, 25)
    y = X[:, :5] @ rng.randn(5) + rng.randn(40)
    Xs = sparse.csc_matrix(X * (rng.rand(40, 25) < 0.4))
    sw = rng.uniform(0.5, 2, 40)
    warm = skreg.ElasticNet(alpha=0.1, warm_start=True)
    lasso = skreg.Lasso(alpha=0.05)
    ridge = skreg.Ridge(solver="sag")
    gram = skreg.ElasticNet(alpha=0.05, precompute=True, warm_start=True)
    alphas = np.geomspace(1.0, 0.01, 16)

    def step(i):
        k = i % 5
        if k == 0:
            warm.set_params(alpha=alphas[i % 16]).fit(X, y)
        elif k == 1:
            lasso.fit(Xs, y, sample_weight=sw)
        elif k == 2:
            ridge.fit(Xs, y)
        elif k == 3:
            gram.set_params(alpha=alphas[i % 16]).fit(X, y)
        else:
            skreg.lasso_path(X, y, alphas=3)

    # No time limit here: speed is measured in benchmarks/, and a shared CI machine may be slow.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        grew = _growth(step, 6_000, 500)
    assert grew < 8 * 2**20, f"RSS grew by {grew / 2**20:.1f} MiB over 6 000 fits"


def test_kernel_calls_do_not_leak():
    """Each call allocates O(p) workspaces (several kB at p = 300): 30 000 calls would leak
    hundreds of MiB if any were not freed, on every exit path (converged, max_epochs, all
    features screened, warm start at the solution)."""
    rng = np.random.RandomState(6)
    n, p = 30, 300
    X = np.asfortranarray(rng.randn(n, p))
    y = rng.randn(n)
    n2 = np.einsum("ij,ij->j", X, X)
    M = sparse.csc_matrix(X * (rng.rand(n, p) < 0.3))
    ns = np.asarray(M.multiply(M).sum(axis=0)).ravel()
    Q, q = np.ascontiguousarray(X.T @ X), X.T @ y
    z, inf = np.zeros(p), np.full(p, np.inf)
    lam_max = np.abs(X.T @ y).max()
    lams = [np.full(p, f * lam_max) for f in (2.0, 0.5, 0.05)]
    indices64, indptr64 = M.indices.astype(np.int64), M.indptr.astype(np.int64)

    def step(i):
        lam = lams[i % 3]
        opts = dict(accel=bool(i % 2), use_ws=bool(i % 4 < 2))
        w = np.zeros(p)
        kind = (i // 3) % 3
        if kind == 0:
            _cd_fast.enet_dense(w, X, y, n2, lam, z, -inf, inf, 3 + i % 5, 1e-6, **opts)
        elif kind == 1:
            ind, ptr = (M.indices, M.indptr) if i % 2 else (indices64, indptr64)
            _cd_fast.enet_sparse(w, M.data, ind, ptr, n, z, np.ones(n), bool(i % 2), y, ns,
                                 lam, z, -inf, inf, 3 + i % 5, 1e-6, **opts)
        else:
            _cd_fast.enet_gram(w, Q, q, float(y @ y), lam, z, -inf, inf, 3 + i % 5, 1e-6,
                               **opts)

    grew = _growth(step, 30_000, 1000)
    assert grew < 8 * 2**20, f"RSS grew by {grew / 2**20:.1f} MiB over 30 000 kernel calls"


# ------------------------------------------------------------------------------------------------
# Pickle round trip in a fresh process
# ------------------------------------------------------------------------------------------------


def test_pickles_predict_identically_in_a_fresh_process(tmp_path):
    rng = np.random.RandomState(7)
    X = rng.randn(60, 12)
    y = X[:, :4] @ rng.randn(4) + rng.randn(60)
    Y = np.c_[y, 2 * y - 1]
    Xs = sparse.csr_matrix(X * (rng.rand(60, 12) < 0.5))
    sw = rng.uniform(0.5, 2, 60)
    models = {
        "lasso": skreg.Lasso(alpha=0.05).fit(X, y),
        "enet-sparse-weights": skreg.ElasticNet(alpha=0.05).fit(Xs, y, sample_weight=sw),
        "enet-multi": skreg.ElasticNet(alpha=0.05).fit(X, Y),
        "enet-float32": skreg.ElasticNet(alpha=0.05).fit(X.astype(np.float32), y),
        "ridge": skreg.Ridge(alpha=2.0).fit(X, Y),
        "ridge-sparse": skreg.Ridge(alpha=2.0).fit(Xs, y),
        "ridgecv": skreg.RidgeCV(alphas=[0.1, 1, 10]).fit(X, y),
        "lassocv": skreg.LassoCV(cv=3, alphas=10).fit(X, y),
        "enetcv": skreg.ElasticNetCV(cv=3, alphas=10, l1_ratio=[0.5, 1.0]).fit(X, y),
        "pathsearch": skreg.PathSearchCV(skreg.Lasso(), {"alpha": [1.0, 0.1, 0.01]},
                                         cv=3).fit(X, y),
    }
    Xtest = rng.randn(25, 12)
    np.save(tmp_path / "Xtest.npy", Xtest)
    sparse.save_npz(tmp_path / "Xtest_sparse.npz", sparse.csr_matrix(Xtest))
    with open(tmp_path / "models.pkl", "wb") as f:
        pickle.dump(models, f)
    script = textwrap.dedent(f"""
        import pickle, numpy as np
        from scipy import sparse
        with open({str(tmp_path / "models.pkl")!r}, "rb") as f:
            models = pickle.load(f)
        X = np.load({str(tmp_path / "Xtest.npy")!r})
        Xs = sparse.load_npz({str(tmp_path / "Xtest_sparse.npz")!r})
        out = {{}}
        for name, m in models.items():
            out[name] = m.predict(X)
            out[name + "/sparse"] = m.predict(Xs)
            out[name + "/coef"] = np.asarray(getattr(m, "best_estimator_", m).coef_)
        np.savez({str(tmp_path / "out.npz")!r}, **out)
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    got = np.load(tmp_path / "out.npz")
    for name, m in models.items():
        np.testing.assert_array_equal(got[name], m.predict(Xtest), err_msg=name)
        np.testing.assert_array_equal(got[name + "/sparse"], m.predict(sparse.csr_matrix(Xtest)))
        np.testing.assert_array_equal(got[name + "/coef"],
                                      np.asarray(getattr(m, "best_estimator_", m).coef_))
        # and a second pickle of the unpickled model is the same model
        again = pickle.loads(pickle.dumps(m))
        np.testing.assert_array_equal(again.predict(Xtest), m.predict(Xtest))
