"""Shared plumbing between the estimators, the path functions and the CV selector.

`Design` turns validated (X, y, sample_weight) into what the Cython kernels consume: a centred and
weighted dense X, a CSC matrix centred implicitly, or a Gram matrix. It is built once per fit, path
or CV fold and reused for every alpha. `solve` runs the one coordinate-descent core on it.
"""

import functools
import numbers
import warnings

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_array, check_random_state
from sklearn.utils.sparsefuncs import mean_variance_axis

from . import _cd_fast, _dask
from ._sklearn_compat import _check_sample_weight

# Above this many rows per feature the Gram matrix (p x p) is cheaper than the data (n x p):
# each coordinate move then costs p instead of n.
GRAM_MIN_RATIO = 2


def rescale_sample_weight(sample_weight, n_samples):
    """Weights rescaled to sum to n_samples (the objective is invariant; alpha keeps its meaning)."""
    if sample_weight is None:
        return None
    total = sample_weight.sum()
    return sample_weight * (n_samples / total)


def check_enet_sample_weight(sample_weight, X):
    """Sample weights of the elastic-net family: None for none or a scalar (uniform weights pose
    the same problem), otherwise validated, non-negative, not all zero and rescaled to sum to
    n_samples (as scikit-learn's ElasticNet)."""
    if is_scalar_weight(sample_weight):
        return None
    sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype, ensure_non_negative=True)
    if not np.any(sample_weight > 0):
        raise ValueError("sample_weight must have at least one positive entry; "
                         "all weights are zero.")
    return rescale_sample_weight(sample_weight, X.shape[0])


def check_gram(gram, n_features, dtype, X=None):
    """A user-supplied Gram matrix: right shape, finite, symmetric and, when X is given, equal
    to X.T @ X on one column (a cheap O(n p) test that catches a Gram of other data)."""
    gram = check_array(gram, dtype=dtype, order="C", ensure_2d=True)
    if gram.shape != (n_features, n_features):
        raise ValueError(
            f"The precomputed Gram matrix has shape {gram.shape}, expected "
            f"({n_features}, {n_features}) = (n_features, n_features)."
        )
    tol = 1e-4 if dtype == np.float32 else 1e-8
    scale = max(np.abs(gram).max(), 1.0)
    if not np.allclose(gram, gram.T, rtol=0, atol=tol * scale):
        raise ValueError("The precomputed Gram matrix is not symmetric.")
    if X is not None and n_features > 0:
        j = int(np.argmax(np.diag(gram)))
        col = X[:, [j]]
        expected = np.asarray(X.T @ (col.toarray() if sparse.issparse(col) else col)).ravel()
        if not np.allclose(gram[:, j], expected, rtol=100 * tol, atol=tol * scale):
            raise ValueError(
                "The precomputed Gram matrix does not match X.T @ X (checked on column "
                f"{j}); pass precompute=True to let skreg compute it.")
    return gram


class Design:
    """The (centred, weighted) data in the form the kernels consume, for one or more targets.

    Attributes: kind ('dense' | 'sparse' | 'gram'), n_samples, n_features, dtype, X_offset,
    y_offset (per target), norms2 (squared norms of the centred weighted columns) and, per
    target k, `target(k)` -> (y_or_q, yy).
    """

    def __init__(self, X, y, *, fit_intercept=True, sample_weight=None, precompute=False,
                 copy_X=True, Xy=None):
        if _dask.is_dask(X):  # the Gram matrix from statistics reduced on the cluster
            _dask.init_design(self, X, y, fit_intercept=fit_intercept,
                              sample_weight=sample_weight, precompute=precompute, Xy=Xy)
            return
        n, p = X.shape
        self.n_samples, self.n_features = n, p
        self.dtype = X.dtype
        self.is_sparse = sparse.issparse(X)
        y = np.asarray(y, dtype=X.dtype)
        if y.ndim == 1:
            y = y[:, None]
        sw = sample_weight
        sqrt_sw = None if sw is None else np.sqrt(sw).astype(X.dtype)
        # kept for the glmnet-style options (standardization needs the weighted column means)
        self.fit_intercept, self.sqrt_sw = bool(fit_intercept), sqrt_sw

        if fit_intercept:
            if self.is_sparse:
                X_offset, _ = mean_variance_axis(X, axis=0, weights=sw)
                X_offset = np.asarray(X_offset, dtype=X.dtype)
            else:
                X_offset = np.average(X, axis=0, weights=sw).astype(X.dtype, copy=False)
            y_offset = np.average(y, axis=0, weights=sw).astype(X.dtype, copy=False)
        else:
            X_offset = np.zeros(p, dtype=X.dtype)
            y_offset = np.zeros(y.shape[1], dtype=X.dtype)
        self.X_offset, self.y_offset = X_offset, y_offset

        yc = y - y_offset if fit_intercept else y
        if sqrt_sw is not None:
            yc = yc * sqrt_sw[:, None]
        self.Y = np.asfortranarray(yc, dtype=X.dtype)
        self.yy = np.einsum("ij,ij->j", self.Y, self.Y).astype(np.float64)

        gram = self._wanted_gram(precompute, n, p)
        if isinstance(gram, np.ndarray):
            if (fit_intercept and not np.allclose(X_offset, 0)) or sw is not None:
                warnings.warn(
                    "Gram matrix was provided but X was centered to fit intercept or "
                    "rescaled by sample weights: recomputing the Gram matrix.",
                    UserWarning,
                )
                gram = True
            else:
                self.Q = check_gram(gram, p, X.dtype, X)
                gram = "given"

        if self.is_sparse:
            X = sparse.csc_matrix(X) if not X.format == "csc" else X
            if not X.has_canonical_format:
                X = X.copy()
                X.sum_duplicates()
            X.sort_indices()
            data = X.data
            if sqrt_sw is not None:
                # rows scaled by sqrt(sw): scale each stored entry by its row's weight
                data = data * sqrt_sw[X.indices]
            self.data = np.ascontiguousarray(data, dtype=X.dtype)
            self.indices, self.indptr = _index_arrays(X)
            self.v = sqrt_sw if sqrt_sw is not None else np.ones(n, dtype=X.dtype)
            self.center = bool(fit_intercept)
            self.mean = X_offset if fit_intercept else np.zeros(p, dtype=X.dtype)
            sq, xv = _cd_fast.csc_column_stats(self.data, self.indices, self.indptr, self.v)
            if self.center:
                sq = sq - 2 * self.mean * xv + self.mean**2 * float(self.v @ self.v)
            self.norms2 = np.maximum(sq, 0).astype(X.dtype)
            if gram is True:
                Xw = self._Xw
                G = (Xw.T @ Xw).toarray()
                if self.center:
                    G -= float(self.v @ self.v) * np.outer(self.mean, self.mean)
                self.Q = np.ascontiguousarray(G, dtype=X.dtype)
        else:
            if fit_intercept or sqrt_sw is not None:
                Xc = X - X_offset if fit_intercept else (X.copy() if copy_X else X)
                if sqrt_sw is not None:
                    Xc *= sqrt_sw[:, None]
                X = np.asfortranarray(Xc)
            elif not X.flags.f_contiguous:
                X = np.asfortranarray(X)
            self.X = X
            self.norms2 = np.einsum("ij,ij->j", X, X).astype(X.dtype)
            if gram is True:
                self.Q = np.ascontiguousarray(X.T @ X, dtype=X.dtype)

        self.kind = "gram" if gram else ("sparse" if self.is_sparse else "dense")
        if self.kind == "gram":
            if Xy is not None and gram == "given":
                Xy = check_array(Xy, dtype=X.dtype, ensure_2d=False, input_name="Xy")
                if Xy.size != p * self.Y.shape[1] or Xy.ndim > 2 or Xy.shape[0] != p:
                    raise ValueError(
                        f"Xy has shape {Xy.shape}, expected ({p},) = (n_features,) or "
                        f"({p}, {self.Y.shape[1]}) = (n_features, n_targets).")
                self.XtY = np.asfortranarray(Xy.reshape(p, -1))
            else:
                self.XtY = np.asfortranarray(self.correlations(self.Y))
            self.norms2 = np.ascontiguousarray(np.diag(self.Q), dtype=X.dtype)

    @functools.cached_property
    def _Xw(self):
        """The weighted CSC matrix as scipy sees it (for products outside the kernels)."""
        return sparse.csc_matrix((self.data, self.indices, self.indptr),
                                 shape=(self.n_samples, self.n_features))

    @staticmethod
    def _wanted_gram(precompute, n, p):
        if isinstance(precompute, str):  # 'auto'
            return n >= GRAM_MIN_RATIO * p
        if isinstance(precompute, (bool, np.bool_)):
            return bool(precompute)
        if precompute is None:
            return False
        return np.asarray(precompute)

    def correlations(self, Y):
        """X~.T @ Y for the centred weighted design (Y already centred and weighted)."""
        if self.is_sparse:
            C = np.asarray(self._Xw.T @ Y)
            if self.center:
                C = C - np.outer(self.mean, self.v @ Y)
            return C.astype(self.dtype, copy=False)
        return self.X.T @ Y

    def alpha_max(self, l1_ratio, positive=False, penalty_factor=None):
        """Smallest alpha for which all coefficients are 0 (per target, the max over targets)."""
        if self.kind == "gram":
            C = self.XtY
        else:
            C = self.correlations(self.Y)
        C = np.asarray(C, dtype=np.float64).reshape(self.n_features, -1)
        if positive:
            C = np.maximum(C, 0)
        C = np.abs(C)
        if penalty_factor is not None:
            pf = np.asarray(penalty_factor, dtype=np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                C = np.where((pf > 0)[:, None] & np.isfinite(pf)[:, None], C / pf[:, None], 0)
        return float(C.max()) / (self.n_samples * l1_ratio) if C.size else 0.0

    def intercept(self, coef):
        """Intercept of the original problem from coefficients of the centred one."""
        return self.y_offset - self.X_offset @ coef.T if coef.ndim > 1 else (
            self.y_offset[0] - self.X_offset @ coef)


def _index_arrays(X):
    """CSC index arrays as int32 when they fit (smaller, faster), int64 otherwise."""
    indices, indptr = X.indices, X.indptr
    if indptr[-1] < np.iinfo(np.int32).max and X.shape[0] < np.iinfo(np.int32).max:
        return (np.ascontiguousarray(indices, dtype=np.int32),
                np.ascontiguousarray(indptr, dtype=np.int32))
    return (np.ascontiguousarray(indices, dtype=np.int64),
            np.ascontiguousarray(indptr, dtype=np.int64))


def penalty_arrays(p, dtype, alpha, l1_ratio, n_samples, *, positive=False,
                   penalty_factor=None, lower_bounds=None, upper_bounds=None):
    """Per-feature kernel parameters: lam_j = n alpha rho pf_j, beta_j = n alpha (1-rho) pf_j,
    and the box [lo_j, hi_j]."""
    a = n_samples * alpha * l1_ratio
    b = n_samples * alpha * (1.0 - l1_ratio)
    if penalty_factor is None and lower_bounds is None and upper_bounds is None:
        # scikit-learn's problem: constant arrays (a path calls this once per alpha)
        return (np.full(p, a, dtype=dtype), np.full(p, b, dtype=dtype),
                np.full(p, 0.0 if positive else -np.inf, dtype=dtype),
                np.full(p, np.inf, dtype=dtype))
    pf = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, dtype=np.float64)
    a = n_samples * alpha * l1_ratio
    b = n_samples * alpha * (1.0 - l1_ratio)
    with np.errstate(invalid="ignore"):
        lam = np.where(np.isinf(pf), np.inf, a * pf)
        beta = np.where(np.isinf(pf), 0.0, b * pf)
    lo = np.full(p, -np.inf) if lower_bounds is None else np.broadcast_to(
        np.asarray(lower_bounds, dtype=np.float64), (p,)).copy()
    hi = np.full(p, np.inf) if upper_bounds is None else np.broadcast_to(
        np.asarray(upper_bounds, dtype=np.float64), (p,)).copy()
    if positive:
        lo = np.maximum(lo, 0.0)
    return tuple(np.ascontiguousarray(x, dtype=dtype) for x in (lam, beta, lo, hi))


def solve(design, k, w, penalty, *, tol, max_iter, selection="cyclic", random_state=None,
          use_ws=True, screen=True, accel=True, warn=True, scales=None):
    """Run coordinate descent for target k from w (updated in place).

    penalty = (lam, beta, lo, hi) from `penalty_arrays`. Returns (dual_gap / n, n_iter).
    Stops when the duality gap is <= tol * ||y_k||^2, as scikit-learn does.

    With `scales` of shape (n_alphas, 2), solves the warm-started sequence of penalties
    (scales[i, 0] * lam, scales[i, 1] * beta) in one kernel call (every scale positive, lam
    positive) and returns (coefs of shape (n_alphas, p), dual_gaps / n, n_iters)."""
    lam, beta, lo, hi = penalty
    tol_abs = tol * design.yy[k]
    seed = 1
    if selection == "random":
        seed = int(check_random_state(random_state).randint(1, np.iinfo(np.int32).max))
    random = selection == "random"
    # Ridge (no L1): every feature is active, working sets and screening cannot help.
    has_l1 = bool(np.any(lam > 0))
    use_ws = use_ws and has_l1
    screen = screen and has_l1
    if (scales is None and not has_l1 and not np.any(beta > 0) and np.all(np.isinf(lo))
            and np.all(np.isinf(hi)) and hasattr(design, "X")):
        # alpha = 0: ordinary least squares has no bounded dual to certify; solve it exactly
        # (minimum-norm solution, as LinearRegression) instead of iterating.
        from scipy.linalg import lstsq
        w[:] = lstsq(design.X, design.Y[:, k], lapack_driver="gelsd")[0]
        return 0.0, 1
    opts = dict(use_ws=use_ws, screen=screen, accel=accel, random=random, seed=seed)
    if scales is not None:
        scales = np.ascontiguousarray(scales, dtype=np.float64)
        opts["scales"] = scales
        opts["coefs"] = coefs = np.empty((len(scales), design.n_features), dtype=design.dtype)
    max_iter = int(min(max_iter, np.iinfo(np.int32).max))
    _check_kernel_args(design, w, penalty)
    if design.kind == "dense":
        gap, n_iter, _ = _cd_fast.enet_dense(
            w, design.X, design.Y[:, k], design.norms2, lam, beta, lo, hi,
            max_iter, tol_abs, **opts)
    elif design.kind == "sparse":
        gap, n_iter, _ = _cd_fast.enet_sparse(
            w, design.data, design.indices, design.indptr, design.n_samples, design.mean,
            design.v, design.center, design.Y[:, k], design.norms2, lam, beta, lo, hi,
            max_iter, tol_abs, **opts)
    else:
        gap, n_iter, _ = _cd_fast.enet_gram(
            w, design.Q, design.XtY[:, k], float(design.yy[k]), lam, beta, lo, hi,
            max_iter, tol_abs, **opts)
    worst = np.max(gap, initial=0.0)
    if warn and not worst <= tol_abs:  # a NaN gap must warn too
        warnings.warn(
            "Objective did not converge. You might want to increase the number of "
            f"iterations (max_iter={max_iter}). Duality gap: {worst / design.n_samples:.3e}, "
            f"tolerance: {tol_abs / design.n_samples:.3e}. Fitting data with very small alpha "
            "may cause precision problems.",
            ConvergenceWarning,
            stacklevel=3,
        )
    if scales is not None:
        return coefs, np.asarray(gap, dtype=np.float64) / design.n_samples, [int(e) for e in n_iter]
    return gap / design.n_samples, n_iter


def _check_kernel_args(design, w, penalty):
    """O(1) guard before entering the kernels, which trust their inputs (no bounds checks, so
    a wrong length would read or write out of bounds): every per-feature array has length p,
    the dtype of the design and is contiguous."""
    p = design.n_features
    for name, a in (("coef", w),) + tuple(zip(("lam", "beta", "lo", "hi"), penalty)):
        if a.shape != (p,) or a.dtype != design.dtype or not a.flags.c_contiguous:
            raise ValueError(
                f"Internal error: {name} has shape {a.shape} and dtype {a.dtype}, expected a "
                f"contiguous ({p},) array of dtype {design.dtype}.")
    if not w.flags.writeable:
        raise ValueError("Internal error: the coefficient buffer is read-only.")


def is_scalar_weight(sample_weight):
    return sample_weight is None or isinstance(sample_weight, numbers.Number)
