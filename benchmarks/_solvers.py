"""Adapters: one class per solver, all solving the same intercept-free problem
``1/(2n)||y - Xw||^2 + alpha*rho*||w||_1 + alpha*(1-rho)/2*||w||^2`` on the same alpha grid.

Each adapter times only the solver call itself (wall clock, ``time.perf_counter``; glmnet:
Sys.time() inside R) and returns the coefficients; the duality gap is recomputed elsewhere
(_gap.py) from those coefficients with one formula for everybody.

``tol_start(target)`` is the first tolerance tried to reach a relative-gap target; the harness
divides it by 10 while the recomputed gap misses the target (see README.md):

* skreg / scikit-learn: stop when the scaled gap <= tol*||y||^2, i.e. rel_gap <= 2*tol
  -> start at target/2 (certified: one try is enough unless max_iter is hit).
* celer: stops when its own gap (1/(2n) scale, extrapolated dual point) <= tol*||y||^2/n,
  i.e. rel_gap <= 2*tol on *its* dual point -> start at target/2.
* skglm: tol bounds the largest distance of -grad_j to the subdifferential (absolute, in the
  units of X^T r / n): no gap meaning -> start at target * alpha_max * 0.1 (empirical).
* adelie: tol bounds the coordinate-descent change (a squared quantity) -> start at
  0.01 * target**2 (empirical: 1e-6 needs ~1e-14).
* glmnet: thresh bounds the largest objective change of a coordinate update relative to the
  null deviance (again a squared quantity) -> start at 0.01 * target**2 (empirical).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_ITER = 100_000  # scikit-learn / skreg: let tol, not max_iter, stop the solver


def _tiny(sparse):
    rng = np.random.default_rng(0)
    X = np.asfortranarray(rng.standard_normal((30, 50)))
    if sparse:
        X[np.abs(X) < 1.0] = 0.0
        X = sp.csc_matrix(X)
        X.indices = X.indices.astype(np.int32)
        X.indptr = X.indptr.astype(np.int32)
    y = np.asarray(X[:, :3].sum(axis=1)).ravel() + 0.1 * rng.standard_normal(30)
    return X, y


class Peer:
    name = "?"
    has_path = True
    has_ridge = False
    cv_kinds = ()

    @staticmethod
    def why_not(n, p, sparse, l1_ratio):
        """A short reason why this solver cannot run this problem / task (None: it can)."""
        return None

    def setup(self):
        """Import the library (raises ImportError when not installed); return a version."""
        raise NotImplementedError

    def tol_start(self, target, alpha_max):
        raise NotImplementedError

    def solve(self, X, y, alphas, l1_ratio, tol, single):
        """Return (W of shape (p, len(alphas)), seconds). single=True: one estimator fit."""
        raise NotImplementedError

    def warmup(self):
        """Run every code path once on tiny data (numba JIT etc.), outside any timing."""
        for sparse in (False, True):
            X, y = _tiny(sparse)
            amax = np.abs(X.T @ y).max() / len(y)
            for rho in (1.0, 0.5):
                alphas = amax / rho * np.geomspace(1, 1e-2, 5)
                self.solve(X, y, alphas, rho, 1e-6, single=False)
                self.solve(X, y, alphas[2:3], rho, 1e-6, single=True)

    def close(self):
        pass


# --------------------------------------------------------------------------- skreg & sklearn
class SklearnLike(Peer):
    """scikit-learn's API: used for scikit-learn itself and for skreg (a drop-in)."""

    def __init__(self, impl):
        self.impl = impl  # "sklearn" or "skreg"
        self.name = "skreg" if impl == "skreg" else "sklearn"
        self.has_ridge = True
        self.cv_kinds = ("lassocv", "gridsearch") if impl == "sklearn" else ("lassocv",
                                                                             "pathsearch")

    def setup(self):
        if self.impl == "skreg":
            import skreg as m
            self.m = m
            return getattr(m, "__version__", "?")
        import sklearn
        from sklearn import linear_model as lm
        self.m = lm
        return sklearn.__version__

    def tol_start(self, target, alpha_max):
        return target / 2

    def solve(self, X, y, alphas, l1_ratio, tol, single):
        m = self.m
        if single:
            if l1_ratio == 1.0:
                est = m.Lasso(alpha=alphas[0], fit_intercept=False, tol=tol, max_iter=MAX_ITER)
            else:
                est = m.ElasticNet(alpha=alphas[0], l1_ratio=l1_ratio, fit_intercept=False,
                                   tol=tol, max_iter=MAX_ITER)
            t0 = time.perf_counter()
            est.fit(X, y)
            dt = time.perf_counter() - t0
            return np.asarray(est.coef_, dtype=np.float64)[:, None], dt
        t0 = time.perf_counter()
        if l1_ratio == 1.0:
            _, W, _ = m.lasso_path(X, y, alphas=alphas, tol=tol, max_iter=MAX_ITER)
        else:
            _, W, _ = m.enet_path(X, y, l1_ratio=l1_ratio, alphas=alphas, tol=tol,
                                  max_iter=MAX_ITER)
        dt = time.perf_counter() - t0
        return np.asarray(W), dt

    def ridge(self, X, y, alphas):
        """Ridge(alpha) for each alpha, solver="auto" (dense: exact Cholesky)."""
        W = np.empty((X.shape[1], len(alphas)))
        t0 = time.perf_counter()
        for k, a in enumerate(alphas):
            W[:, k] = self.m.Ridge(alpha=a, fit_intercept=False).fit(X, y).coef_
        return W, time.perf_counter() - t0

    def cv(self, X, y, grid, tol, kind):
        from sklearn.model_selection import GridSearchCV, KFold
        cv = KFold(5)
        if kind == "lassocv":
            est = self.m.LassoCV(alphas=grid, cv=cv, fit_intercept=False, tol=tol,
                                 max_iter=MAX_ITER)
        else:
            if kind == "gridsearch" or self.impl == "sklearn":  # --self sklearn: stand-in
                search = GridSearchCV
            else:
                search = self.m.PathSearchCV
            est = search(self.m.Lasso(fit_intercept=False, tol=tol, max_iter=MAX_ITER),
                         {"alpha": list(grid)}, cv=cv, scoring="neg_mean_squared_error")
        t0 = time.perf_counter()
        est.fit(X, y)
        dt = time.perf_counter() - t0
        a = est.alpha_ if kind == "lassocv" else est.best_params_["alpha"]
        return float(a), dt

    def warmup(self):
        super().warmup()
        X, y = _tiny(False)
        self.ridge(X, y, [1.0])


# --------------------------------------------------------------------------- celer
class CelerPeer(Peer):
    name = "celer"
    cv_kinds = ("lassocv",)

    def setup(self):
        import celer
        self.celer = celer
        return celer.__version__

    def tol_start(self, target, alpha_max):
        return target / 2

    def _est(self, alpha, l1_ratio, tol):
        kw = dict(alpha=alpha, tol=tol, fit_intercept=False, max_iter=1000, max_epochs=100_000)
        if l1_ratio == 1.0:
            return self.celer.Lasso(**kw)
        return self.celer.ElasticNet(l1_ratio=l1_ratio, **kw)

    def solve(self, X, y, alphas, l1_ratio, tol, single):
        if single:
            est = self._est(alphas[0], l1_ratio, tol)
            t0 = time.perf_counter()
            est.fit(X, y)
            dt = time.perf_counter() - t0
            return np.asarray(est.coef_)[:, None], dt
        est = self._est(1.0, l1_ratio, tol)
        t0 = time.perf_counter()
        res = est.path(X, y, alphas)
        dt = time.perf_counter() - t0
        return np.asarray(res[1]), dt

    def cv(self, X, y, grid, tol, kind):
        from sklearn.model_selection import KFold
        est = self.celer.LassoCV(alphas=grid, cv=KFold(5), fit_intercept=False, tol=tol,
                                 max_iter=1000)
        t0 = time.perf_counter()
        est.fit(X, y)
        return float(est.alpha_), time.perf_counter() - t0


# --------------------------------------------------------------------------- skglm
class SkglmPeer(Peer):
    name = "skglm"

    def setup(self):
        import skglm
        self.skglm = skglm
        return skglm.__version__

    def tol_start(self, target, alpha_max):
        return target * alpha_max * 0.1

    def _est(self, alpha, l1_ratio, tol):
        kw = dict(alpha=alpha, tol=tol, fit_intercept=False, max_iter=1000, max_epochs=100_000)
        if l1_ratio == 1.0:
            return self.skglm.Lasso(**kw)
        return self.skglm.ElasticNet(l1_ratio=l1_ratio, **kw)

    def solve(self, X, y, alphas, l1_ratio, tol, single):
        if single:
            est = self._est(alphas[0], l1_ratio, tol)
            t0 = time.perf_counter()
            est.fit(X, y)
            dt = time.perf_counter() - t0
            return np.asarray(est.coef_)[:, None], dt
        est = self._est(1.0, l1_ratio, tol)
        t0 = time.perf_counter()
        res = est.path(X, y, alphas)
        dt = time.perf_counter() - t0
        return np.asarray(res[1])[: X.shape[1]], dt


# --------------------------------------------------------------------------- adelie
class AdeliePeer(Peer):
    """adelie.grpnet, gaussian GLM, groups of size 1 (lasso / elastic net), penalty factors 1,
    adelie's alpha = l1_ratio, lambda = scikit-learn's alpha (its loss is
    sum_i w_i (-y_i eta_i + eta_i^2/2) with w_i = 1/n, i.e. 1/(2n)||y - eta||^2 + const).
    The alpha grid is passed as lmda_path; early_exit=False so that every alpha is solved;
    n_threads=1 (its default). A single fit is a one-value lmda_path."""

    name = "adelie"

    def setup(self):
        import adelie
        self.ad = adelie
        return adelie.__version__

    def tol_start(self, target, alpha_max):
        return 0.01 * target**2

    def solve(self, X, y, alphas, l1_ratio, tol, single):
        ad = self.ad
        t0 = time.perf_counter()
        Xm = ad.matrix.sparse(X) if sp.issparse(X) else ad.matrix.dense(X)
        state = ad.grpnet(X=Xm, glm=ad.glm.gaussian(y=y), alpha=l1_ratio,
                          lmda_path=np.asarray(alphas, dtype=np.float64), tol=tol,
                          intercept=False, early_exit=False, progress_bar=False,
                          max_iters=10**7)
        dt = time.perf_counter() - t0
        B = state.betas.toarray().T  # (p, k)
        if B.shape[1] != len(alphas) or not np.allclose(state.lmdas, alphas, rtol=1e-10):
            raise RuntimeError(f"adelie returned {B.shape[1]} of {len(alphas)} lambdas")
        return B, dt


# --------------------------------------------------------------------------- glmnet
class GlmnetPeer(Peer):
    """R glmnet through a persistent `Rscript glmnet_fit.R --serve` process. The time is
    measured inside R around glmnet(). See glmnet_fit.R for the lambda mapping."""

    name = "glmnet"

    def __init__(self):
        self.proc = None
        self.tmp = None
        self.written = {}
        self.last_mem_mb = None

    def setup(self):
        r = subprocess.run(["Rscript", "-e", "cat(as.character(packageVersion('glmnet')))"],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise ImportError("Rscript/glmnet not available: " + r.stderr.strip()[-200:])
        return r.stdout.strip()

    def _start(self):
        if self.tmp is None:
            self.tmp = tempfile.mkdtemp(prefix="skreg_bench_glmnet_")
        self.proc = subprocess.Popen(["Rscript", os.path.join(HERE, "glmnet_fit.R"), "--serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     bufsize=1)
        line = self.proc.stdout.readline().strip()
        if line != "READY":
            raise RuntimeError("glmnet server did not start: " + line)

    def _datadir(self, X, y):
        key = (id(X), X.shape)
        if key in self.written:
            return self.written[key]
        self.n_written = getattr(self, "n_written", 0) + 1
        d = os.path.join(self.tmp, f"data{self.n_written}")
        os.makedirs(d)
        n, p = X.shape
        with open(os.path.join(d, "meta.txt"), "w") as f:
            f.write(f"{n} {p} {int(sp.issparse(X))}\n")
        if sp.issparse(X):
            X = sp.csc_matrix(X)
            X.data.astype(np.float64).tofile(os.path.join(d, "data.bin"))
            X.indices.astype(np.int32).tofile(os.path.join(d, "indices.bin"))
            X.indptr.astype(np.int32).tofile(os.path.join(d, "indptr.bin"))
        else:
            np.asarray(X, dtype=np.float64).ravel(order="F").tofile(os.path.join(d, "X.bin"))
        np.asarray(y, dtype=np.float64).tofile(os.path.join(d, "y.bin"))
        self.written = {key: d}  # keep one problem (the worker holds one problem at a time)
        return d

    def tol_start(self, target, alpha_max):
        return 0.01 * target**2

    def solve(self, X, y, alphas, l1_ratio, tol, single, reps=1, mem=False):
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        d = self._datadir(X, y)
        sd = float(np.sqrt(np.mean(np.asarray(y) ** 2)))  # intercept=FALSE: glmnet's sd_y
        scale = l1_ratio + sd * (1.0 - l1_ratio)
        lam = np.asarray(alphas, dtype=np.float64) * scale
        a = l1_ratio / scale
        lam_file = os.path.join(self.tmp, "lambda.bin")
        lam.tofile(lam_file)
        out = os.path.join(self.tmp, "out")
        for ext in (".txt", ".coef.bin"):
            if os.path.exists(out + ext):
                os.remove(out + ext)
        self.proc.stdin.write(f"{d} {lam_file} {a!r} 0 {tol!r} {int(reps)} {out} {int(mem)}\n")
        self.proc.stdin.flush()
        ans = self.proc.stdout.readline().strip()
        if ans != "OK":
            raise RuntimeError("glmnet: " + (ans or "R process died"))
        info = dict(line.split() for line in open(out + ".txt"))
        k = int(info["nlambda"])
        B = np.fromfile(out + ".coef.bin").reshape(k, X.shape[1]).T
        if k != len(alphas):
            raise RuntimeError(f"glmnet returned {k} of {len(alphas)} lambdas")
        self.last_mem_mb = float(info["mem_mb"]) if "mem_mb" in info else None
        return B, float(info["time"])

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.stdin.write("QUIT\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)


# --------------------------------------------------------------------------- Intel oneDAL
class OnedalPeer(Peer):
    """Intel oneDAL through daal4py (shipped inside scikit-learn-intelex): the Lasso and the
    elastic net by daal4py.lasso_regression_training / elastic_net_training with its
    coordinate-descent solver; Ridge by sklearnex.linear_model.Ridge (oneDAL's normal
    equations on dense data).

    sklearnex does not patch Lasso / ElasticNet, and daal4py.sklearn's Lasso runs oneDAL only
    for dense X with n >= p (otherwise it falls back to scikit-learn), so the oneDAL algorithms
    are called directly. oneDAL's objective is scikit-learn's: penaltyL1 = alpha*l1_ratio,
    penaltyL2 = alpha*(1 - l1_ratio), lassoParameters = alpha (verified to ~1e-8 by
    `python benchmarks/_solvers.py --check-mappings`). Limits found on this version: dense
    only (a CSR input returns meaningless coefficients), and n >= p (p > n crashes the
    process). There is no path routine: a path is a sequence of fits from zero (a warm start
    through the solver's input argument, as daal4py.sklearn's warm_start does it, returned the
    start unchanged here: the gap stayed at its value).
    accuracyThreshold (tol) bounds the coordinate-descent step, not a gap -> calibrated."""

    name = "onedal"
    has_ridge = True

    def setup(self):
        from importlib.metadata import version

        import daal4py
        from sklearnex.linear_model import Ridge
        # oneDAL threads with TBB, which OPENBLAS_NUM_THREADS does not reach: give it the
        # BLAS thread count when one is set (the runs of results.md: one thread, as every
        # peer there: Snap ML n_jobs=1, adelie n_threads=1, glmnet single-threaded)
        threads = os.environ.get("OPENBLAS_NUM_THREADS", "")
        if threads.isdigit() and int(threads) > 0:
            daal4py.daalinit(int(threads))
        self.d4p = daal4py
        self.Ridge = Ridge
        return "daal4py/sklearnex " + version("scikit-learn-intelex")

    @staticmethod
    def why_not(n, p, sparse, l1_ratio):
        if sparse:
            return "sparse"
        if p > n:
            return "p>n"
        return None

    def tol_start(self, target, alpha_max):
        return target / 2

    def _fit(self, X, y2, alpha, l1_ratio, tol, start=None):
        d4p = self.d4p
        mse = d4p.optimization_solver_mse(numberOfTerms=X.shape[0], fptype="double",
                                          method="defaultDense")
        mse.setup(X, y2, None)
        cd = d4p.optimization_solver_coordinate_descent(
            function=mse, fptype="double", method="defaultDense", selection="cyclic", seed=0,
            nIterations=MAX_ITER, positive=False, accuracyThreshold=tol)
        if start is not None:
            cd.setup(start)
        if l1_ratio == 1.0:
            alg = d4p.lasso_regression_training(
                fptype="double", method="defaultDense", interceptFlag=False,
                lassoParameters=np.array([[alpha]]), optimizationSolver=cd)
        else:
            alg = d4p.elastic_net_training(
                fptype="double", method="defaultDense", interceptFlag=False,
                penaltyL1=np.array([[alpha * l1_ratio]]),
                penaltyL2=np.array([[alpha * (1.0 - l1_ratio)]]), optimizationSolver=cd)
        return alg.compute(data=X, dependentVariables=y2).model.Beta  # (1, p+1), intercept 0

    def solve(self, X, y, alphas, l1_ratio, tol, single):
        n, p = X.shape
        why = self.why_not(n, p, sp.issparse(X), l1_ratio)
        if why:
            raise ValueError(f"oneDAL: unsupported ({why})")
        W = np.empty((p, len(alphas)))
        t0 = time.perf_counter()
        y2 = y.reshape(-1, 1)
        for k, a in enumerate(alphas):
            W[:, k] = self._fit(X, y2, a, l1_ratio, tol, None)[0, 1:]
        return W, time.perf_counter() - t0

    def warmup(self):
        X, y = _tiny(False)
        X, y = np.asfortranarray(X[:, :20]), y  # n >= p
        amax = np.abs(X.T @ y).max() / len(y)
        for rho in (1.0, 0.5):
            self.solve(X, y, amax / rho * np.geomspace(1, 1e-2, 5), rho, 1e-6, single=False)
        self.ridge(X, y, [1.0])

    def ridge(self, X, y, alphas):
        W = np.empty((X.shape[1], len(alphas)))
        t0 = time.perf_counter()
        for k, a in enumerate(alphas):
            W[:, k] = self.Ridge(alpha=a, fit_intercept=False).fit(X, y).coef_
        return W, time.perf_counter() - t0


# --------------------------------------------------------------------------- Snap ML
class SnapmlPeer(Peer):
    """IBM Snap ML: snapml.LinearRegression(penalty="l1", dual=False) (its Lasso; the L1
    penalty needs the primal solver), fit_intercept=False (its default), n_jobs=1 (its
    default). Its objective is 1/2||y - Xw||^2 + regularizer*||w||_1, so regularizer =
    n*alpha (verified to ~1e-8 by --check-mappings). No elastic net (penalties "l1" or "l2"
    only) and no path routine or warm start: a path is a sequence of independent fits.
    tol bounds the largest change of a coefficient in an epoch (absolute) -> calibrated."""

    name = "snapml"

    def setup(self):
        from importlib.metadata import version

        import snapml
        self.snapml = snapml
        return version("snapml")

    @staticmethod
    def why_not(n, p, sparse, l1_ratio):
        return "no ENet" if l1_ratio != 1.0 else None

    def tol_start(self, target, alpha_max):
        return target * alpha_max * 0.1

    def solve(self, X, y, alphas, l1_ratio, tol, single):
        if l1_ratio != 1.0:
            raise ValueError("Snap ML has no elastic net")
        n = X.shape[0]
        W = np.empty((X.shape[1], len(alphas)))
        t0 = time.perf_counter()
        for k, a in enumerate(alphas):
            est = self.snapml.LinearRegression(penalty="l1", dual=False, regularizer=n * a,
                                               fit_intercept=False, tol=tol,
                                               max_iter=MAX_ITER)
            est.fit(X, y)
            W[:, k] = est.coef_
        return W, time.perf_counter() - t0

    def warmup(self):
        for sparse in (False, True):
            X, y = _tiny(sparse)
            amax = np.abs(X.T @ y).max() / len(y)
            self.solve(X, y, amax * np.geomspace(1, 1e-2, 5), 1.0, 1e-6, single=False)


# --------------------------------------------------------------------------- python-glmnet
class GlmnetPyPeer(Peer):
    """python-glmnet (PyPI `glmnet`): glmnet's Fortran (elnet / spelnet) through
    glmnet.ElasticNet(alpha=mix, lambda_path=..., standardize=False, fit_intercept=False,
    n_splits=0 (no internal cross-validation), tol=thresh, max_iter). The same lambda mapping
    as R glmnet (the Fortran scales y to unit sd, sd_y = sqrt(mean(y^2)) without intercept):
    lambda = alpha*(rho + sd_y*(1 - rho)), mix = rho/(rho + sd_y*(1 - rho)) (lambda = alpha for
    the Lasso); verified by --check-mappings. With a user lambda_path the Fortran does not cut
    the path short (its fdev / rsq-max rules apply to its own path only). A single fit is a
    one-value lambda_path. tol is glmnet's thresh -> calibrated like R glmnet."""

    name = "glmnetpy"

    def setup(self):
        import importlib.util
        from importlib.metadata import version
        if importlib.util.find_spec("pkg_resources") is None:  # glmnet's __init__ imports it
            # setuptools >= 81 no longer ships pkg_resources; python-glmnet only uses it for
            # get_distribution(name).version: give it that, from importlib.metadata
            import types
            shim = types.ModuleType("pkg_resources")
            shim.get_distribution = lambda name: types.SimpleNamespace(version=version(name))
            sys.modules["pkg_resources"] = shim
        import glmnet
        self.glmnet = glmnet
        return version("glmnet")

    def tol_start(self, target, alpha_max):
        return 0.01 * target**2

    def solve(self, X, y, alphas, l1_ratio, tol, single):
        sd = float(np.sqrt(np.mean(np.asarray(y) ** 2)))
        scale = l1_ratio + sd * (1.0 - l1_ratio)
        lam = np.asarray(alphas, dtype=np.float64) * scale
        est = self.glmnet.ElasticNet(alpha=l1_ratio / scale, lambda_path=lam,
                                     standardize=False, fit_intercept=False, n_splits=0,
                                     tol=tol, max_iter=10**7)
        t0 = time.perf_counter()
        est.fit(X, y)
        dt = time.perf_counter() - t0
        B = np.asarray(est.coef_path_)
        if B.ndim == 1:
            B = B[:, None]
        if B.shape[1] != len(alphas):
            raise RuntimeError(f"python-glmnet returned {B.shape[1]} of {len(alphas)} lambdas")
        return B, dt


PEERS = ("skreg", "sklearn", "celer", "skglm", "adelie", "glmnet", "onedal", "snapml",
         "glmnetpy")


def make_peer(name, self_impl="skreg"):
    if name == "skreg":
        return SklearnLike(self_impl)
    if name == "sklearn":
        return SklearnLike("sklearn")
    return {"celer": CelerPeer, "skglm": SkglmPeer, "adelie": AdeliePeer,
            "glmnet": GlmnetPeer, "onedal": OnedalPeer, "snapml": SnapmlPeer,
            "glmnetpy": GlmnetPyPeer}[name]()


def check_glmnet_mapping():
    """Compare glmnet (with the lambda mapping above) and scikit-learn on a small problem
    where sd_y != 1: the coefficients must agree for the lasso and the elastic net."""
    from sklearn.linear_model import enet_path
    rng = np.random.default_rng(1)
    n, p = 100, 30
    X = np.asfortranarray(rng.standard_normal((n, p)))
    y = 3 * (X[:, :4] @ np.array([1, -2, 0.5, 1.5])) + 5 * rng.standard_normal(n)
    X -= X.mean(0)
    y -= y.mean()
    g = GlmnetPeer()
    print("glmnet", g.setup(), " sd_y =", np.sqrt(np.mean(y**2)))
    for rho in (1.0, 0.5):
        alphas = np.abs(X.T @ y).max() / (n * rho) * np.geomspace(1, 1e-2, 10)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, C, _ = enet_path(X, y, l1_ratio=rho, alphas=alphas, tol=1e-14, max_iter=10**6)
        B, _ = g.solve(X, y, alphas, rho, 1e-14, single=False)
        print(f"l1_ratio={rho}: max|w_glmnet - w_sklearn| / max|w_sklearn| = "
              f"{np.abs(B - C).max() / np.abs(C).max():.2e}")
    g.close()


def check_mappings():
    """Compare oneDAL, Snap ML and python-glmnet (with the mappings above) with scikit-learn
    on small problems where sd_y != 1 (n > p, and p > n where the library supports it): the
    coefficients must agree to the solvers' accuracy (~1e-8 for n > p, ~1e-6 on the
    ill-conditioned p > n problem), and the naive mappings must not (the check can fail)."""
    from sklearn.linear_model import Ridge, enet_path
    rng = np.random.default_rng(1)
    print("max|w_peer - w_sklearn| / max|w_sklearn|, both solved to tol 1e-12 or tighter")
    for n, p in ((100, 30), (50, 200)):
        X = np.asfortranarray(rng.standard_normal((n, p)))
        y = 3 * (X[:, :4] @ np.array([1, -2, 0.5, 1.5])) + 5 * rng.standard_normal(n)
        X = np.asfortranarray(X - X.mean(0))
        y -= y.mean()
        print(f"n={n} p={p} sd_y={np.sqrt(np.mean(y**2)):.2f}")
        for rho in (1.0, 0.5):
            alphas = np.abs(X.T @ y).max() / (n * rho) * np.geomspace(1, 1e-2, 10)[1:]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _, C, _ = enet_path(X, y, l1_ratio=rho, alphas=alphas, tol=1e-15,
                                    max_iter=10**6)
            for cls, tol in ((OnedalPeer, 1e-14), (SnapmlPeer, 1e-13), (GlmnetPyPeer, 1e-16)):
                peer = cls()
                try:
                    peer.setup()
                except ImportError as e:
                    print(f"  {peer.name}: not installed ({e})")
                    continue
                why = peer.why_not(n, p, False, rho)
                if why:
                    print(f"  {peer.name:8s} l1_ratio={rho}: n/a ({why})")
                    continue
                B, _ = peer.solve(X, y, alphas, rho, tol, single=False)
                err = np.abs(B - C).max() / np.abs(C).max()
                naive = ""
                if cls is SnapmlPeer:  # regularizer = alpha instead of n*alpha
                    Bn, _ = peer.solve(X, y, alphas / n, rho, tol, single=False)
                    naive = "regularizer = alpha"
                elif cls is GlmnetPyPeer and rho < 1:  # lambda = alpha, mix = rho
                    est = peer.glmnet.ElasticNet(alpha=rho, lambda_path=alphas,
                                                 standardize=False, fit_intercept=False,
                                                 n_splits=0, tol=tol, max_iter=10**7)
                    Bn = est.fit(X, y).coef_path_
                    naive = "lambda = alpha, mix = l1_ratio"
                if naive:
                    naive = (f"   (naive {naive}: "
                             f"{np.abs(Bn - C).max() / np.abs(C).max():.1e})")
                print(f"  {peer.name:8s} l1_ratio={rho}: {err:.1e}{naive}")
        peer = OnedalPeer()
        try:
            peer.setup()
        except ImportError:
            continue
        grid = np.geomspace(1e-2, 1e2, 5) * n
        W, _ = peer.ridge(X, y, grid)
        R = np.column_stack([Ridge(alpha=a, fit_intercept=False).fit(X, y).coef_ for a in grid])
        print(f"  sklearnex Ridge (same alpha): {np.abs(W - R).max() / np.abs(R).max():.1e}")


if __name__ == "__main__":
    if "--check-glmnet" in sys.argv:
        check_glmnet_mapping()
    if "--check-mappings" in sys.argv:
        check_mappings()
