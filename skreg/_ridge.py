"""Ridge: scikit-learn's estimator and objective, skreg's solvers.

Every solver works on one `Design` (centred, sqrt(sample_weight)-scaled data; sparse X is
centred implicitly), so dense and sparse X, weights and intercepts are handled in one place:

- exact direct solvers: Cholesky on the smaller of X'X and XX', SVD, and an eigendecomposition
  of the same Gram matrix when many different per-target alphas share it (large tall X gives
  its centred X'X without a centred copy: `_gram_design_centred_blocks`);
- scipy's iterative `lsqr` and `cg` on a LinearOperator (implicit centring of sparse X);
- skreg's Cython coordinate descent (ridge penalty, optional lower bound 0) for the names
  'sag', 'saga', 'lbfgs' and for ``positive=True``, stopping on the duality gap.

RidgeCV (its leave-one-out and k-fold engines) is in _ridge_cv.py.
"""

import inspect
import warnings
from numbers import Integral, Real

import numpy as np
from scipy import linalg, sparse
from scipy.linalg import lapack
from scipy.sparse.linalg import LinearOperator, aslinearoperator, cg, lsqr
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import validate_data

from . import _dask_data
from ._design import Design
from ._input import check_dense_targets
from ._linear import FEATURES_IN_DOC, LinearPredictorMixin, store_init_params
from ._sklearn_compat import Interval, StrOptions, _check_sample_weight, _fit_context
from ._solve import cd_solve, penalty_arrays

# `auto` on sparse X: up to this min(n_samples, n_features) the dense Gram matrix (X'X or XX')
# is small and cheap to factor, so an exact Cholesky solve replaces conjugate gradient.
SPARSE_DIRECT_MAX = 1000
# With more distinct per-target alphas than this, one eigendecomposition of the Gram matrix
# (about 10 k^3 flops) is cheaper than one Cholesky factorization per alpha (k^3 / 3 each).
EIGEN_MIN_ALPHAS = 8
# Size of X (entries) from which its centred Gram matrix is formed from blocks of rows.
BLOCKED_GRAM_MIN_SIZE = 1 << 18
# Coordinate-descent epochs when max_iter is None (scikit-learn's default for 'sag').
CD_DEFAULT_MAX_ITER = 1000


def eigh_evd(G):
    """Eigendecomposition of a symmetric matrix by divide and conquer (LAPACK evd: faster than
    the default evr at the same accuracy); scipy < 1.11 sizes evd's workspace wrongly for a
    1 x 1 matrix, which the default driver takes."""
    syevd = _SYEVD.get(G.dtype.type)
    if syevd is None or G.shape[0] < 2:
        return linalg.eigh(G, driver="evd" if G.shape[0] > 1 else None, check_finite=False)
    # LAPACK's routine itself, as scipy.linalg.eigh(driver="evd") calls it (the same numbers),
    # without its argument handling: that was half the time on 10 x 10 (RidgeCV on small X)
    lam, V, info = syevd(G, compute_v=1, lower=1)
    if info != 0:
        raise linalg.LinAlgError(f"The eigendecomposition did not converge (LAPACK info {info}).")
    return lam, V


_SYEVD = {np.float64: lapack.dsyevd, np.float32: lapack.ssyevd}

# scipy renamed cg's `tol` to `rtol` in 1.12.
_CG_RTOL = "rtol" if "rtol" in inspect.signature(cg).parameters else "tol"

_CD_SOLVERS = ("sag", "saga", "lbfgs")


# --------------------------------------------------------------------------------------------
# Products with the centred weighted design Xc = diag(sqrt(sw)) (X - 1 x_mean'), never formed
# for sparse X: Xc = Xw - v mean' with Xw the row-scaled sparse matrix and v = sqrt(sw).
# --------------------------------------------------------------------------------------------

def _xc_dot(design, B):
    """Xc @ B for a 2-D B."""
    if not design.is_sparse:
        return design.X @ B
    out = np.asarray(design._Xw @ B)
    if design.center:
        out = out - np.outer(design.v, design.mean @ B)
    return out


def _xct_dot(design, A):
    """Xc.T @ A for a 2-D A."""
    return np.asarray(design.correlations(A))


def _primal_gram(design):
    """Xc' Xc (n_features x n_features)."""
    if design.kind == "gram":
        return design.Q
    if not design.is_sparse:
        return design.X.T @ design.X
    Xw = design._Xw
    G = (Xw.T @ Xw).toarray()
    if design.center:
        # the weighted mean makes Xw' v = (v'v) mean, so the cross terms collapse into one
        G -= float(design.v @ design.v) * np.outer(design.mean, design.mean)
    return G.astype(design.dtype, copy=False)


def _dual_gram(design):
    """Xc Xc' (n_samples x n_samples)."""
    if not design.is_sparse:
        return design.X @ design.X.T
    Xw = design._Xw
    K = (Xw @ Xw.T).toarray()
    if design.center:
        a = np.asarray(Xw @ design.mean).ravel()
        v = design.v
        K -= np.outer(a, v) + np.outer(v, a) - float(design.mean @ design.mean) * np.outer(v, v)
    return K.astype(design.dtype, copy=False)


def _operator(design):
    """Xc as a scipy LinearOperator (implicit centring keeps sparse X sparse)."""
    if not design.is_sparse:
        return aslinearoperator(design.X)
    Xw = design._Xw
    if not design.center:
        return aslinearoperator(Xw)
    v, mean = design.v, design.mean
    return LinearOperator(
        Xw.shape, dtype=design.dtype,
        matvec=lambda b: Xw @ np.ravel(b) - v * (mean @ np.ravel(b)),
        rmatvec=lambda r: Xw.T @ np.ravel(r) - mean * (v @ np.ravel(r)),
    )


# --------------------------------------------------------------------------------------------
# Solvers. Each takes the design and per-target alphas (n_targets,) and returns
# (coef of shape (n_targets, n_features), n_iter or None).
# --------------------------------------------------------------------------------------------

def _spd_solve(G, R, alphas):
    """Solve (G + alpha_k I) x_k = R[:, k] for every target k; G symmetric PSD.

    One Cholesky factorization per distinct alpha, or one eigendecomposition shared by all when
    there are many distinct alphas. Raises LinAlgError when a system is singular."""
    k = G.shape[0]
    uniq, which = np.unique(alphas, return_inverse=True)
    if len(uniq) > EIGEN_MIN_ALPHAS:
        lam, V = eigh_evd(G)
        shifted = lam[:, None] + alphas[None, :]
        # the same singularity Cholesky would report: a (numerically) non-positive pivot
        if shifted.min() <= k * np.finfo(G.dtype).eps * max(abs(lam).max(), 1.0):
            raise linalg.LinAlgError("singular ridge system")
        return V @ ((V.T @ R) / shifted)
    out = np.empty((k, R.shape[1]), dtype=G.dtype)
    for i, a in enumerate(uniq):
        cols = which == i
        A = G.copy()
        A.flat[:: k + 1] += a
        factor = linalg.cho_factor(A, overwrite_a=True, check_finite=False)
        out[:, cols] = linalg.cho_solve(factor, R[:, cols], check_finite=False)
    return out


def _solve_cholesky(design, alphas):
    """Normal equations on the smaller Gram matrix: (X'X + a I) w = X'y when n >= p, else the
    kernel form w = X'(XX' + a I)^-1 y."""
    if design.n_features > design.n_samples:
        dual = _spd_solve(_dual_gram(design), design.Y, alphas)
        return _xct_dot(design, dual).T, None
    XtY = design.XtY if design.kind == "gram" else _xct_dot(design, design.Y)
    return _spd_solve(_primal_gram(design), XtY, alphas).T, None


def _solve_svd(design, alphas):
    """w = V diag(s / (s^2 + a)) U'y from the thin SVD of Xc; singular values <= 1e-15 are
    dropped, as scipy.linalg.pinv (and scikit-learn) do."""
    U, s, Vt = linalg.svd(design.X, full_matrices=False, check_finite=False)
    # relative cut-off: scikit-learn's absolute 1e-15 drops every singular value of a design
    # scaled by 1e-20 and returns zeros; a relative one is scale-invariant
    keep = s > (s[0] if s.size else 0.0) * max(design.X.shape) * np.finfo(s.dtype).eps
    d = np.zeros((s.shape[0], alphas.shape[0]), dtype=design.dtype)
    d[keep] = s[keep, None] / (s[keep, None] ** 2 + alphas[None, :])
    return (Vt.T @ (d * (U.T @ design.Y))).T, None


def _solve_pinv_gram(design, alphas):
    """Fallback for singular systems on sparse X (no SVD of a sparse matrix): pseudo-inverse
    through the eigendecomposition of the smaller Gram matrix."""
    dual = design.n_features > design.n_samples
    G = _dual_gram(design) if dual else _primal_gram(design)
    R = design.Y if dual else _xct_dot(design, design.Y)
    lam, V = eigh_evd(G)
    shifted = lam[:, None] + alphas[None, :]
    cutoff = G.shape[0] * np.finfo(G.dtype).eps * max(abs(lam).max(), 1.0)
    inv = np.where(shifted > cutoff, 1.0 / np.where(shifted > cutoff, shifted, 1.0), 0.0)
    x = V @ ((V.T @ R) * inv)
    return (_xct_dot(design, x) if dual else x).T, None


def _equilibration(design, k):
    """(c, t): the largest column norm of Xc and the largest |y_k|. The iterative solvers run
    on Xc / c and y / t (w = t / c * solution, alpha / c^2), so that data scaled by 1e-150 or
    1e150 neither underflows nor overflows in their inner products; their stopping rules are
    relative, so the iterates are otherwise the same."""
    c = float(np.sqrt(np.max(design.norms2))) if design.n_features else 1.0
    t = float(np.max(np.abs(design.Y[:, k]))) if design.n_samples else 1.0
    c = c if np.isfinite(c) and c > 0 else 1.0
    t = t if np.isfinite(t) and t > 0 else 1.0
    return c, t


def _solve_lsqr(design, alphas, tol, max_iter):
    """scipy's LSQR on [Xc; sqrt(a) I] w ~ [y; 0] (damp = sqrt(alpha)), atol = btol = tol."""
    op = _operator(design)
    coef = np.empty((len(alphas), design.n_features), dtype=design.dtype)
    n_iter = np.empty(len(alphas), dtype=np.int32)
    for k, a in enumerate(alphas):
        c, t = _equilibration(design, k)
        res = lsqr(op * design.dtype.type(1.0 / c), design.Y[:, k] / design.dtype.type(t),
                   damp=np.sqrt(a) / c, atol=tol, btol=tol, iter_lim=max_iter)
        coef[k], n_iter[k] = res[0] * (t / c), res[2]
    return coef, n_iter


def _solve_sparse_cg(design, alphas, tol, max_iter):
    """scipy's conjugate gradient on the normal equations of the smaller side:
    (Xc'Xc + a I) w = Xc'y when n >= p, else (Xc Xc' + a I) z = y and w = Xc'z."""
    op = _operator(design)
    n, p = design.n_samples, design.n_features
    coef = np.empty((len(alphas), p), dtype=design.dtype)
    n_iter = np.zeros(len(alphas), dtype=np.int32)
    kernel = p > n
    for k, a in enumerate(alphas):
        count = [0]

        def callback(_, count=count):
            count[0] += 1

        c, t = _equilibration(design, k)  # solve on Xc / c, y / t and alpha / c^2
        ops = op * design.dtype.type(1.0 / c)
        y = design.Y[:, k] / design.dtype.type(t)
        a = a / c**2
        if kernel:
            A = LinearOperator(
                (n, n), dtype=design.dtype,
                matvec=lambda z, a=a, ops=ops: ops.matvec(ops.rmatvec(z)) + a * np.ravel(z))
            b = y
        else:
            A = LinearOperator(
                (p, p), dtype=design.dtype,
                matvec=lambda w, a=a, ops=ops: ops.rmatvec(ops.matvec(w)) + a * np.ravel(w))
            b = ops.rmatvec(y)
        x, info = cg(A, b, maxiter=max_iter, callback=callback, **{_CG_RTOL: tol})
        if info > 0:
            warnings.warn(f"sparse_cg did not converge after {info} iterations.",
                          ConvergenceWarning, stacklevel=3)
        coef[k] = (ops.rmatvec(x) if kernel else x) * (t / c)
        n_iter[k] = count[0]
    return coef, n_iter


def _solve_cd(design, alphas, tol, max_iter, positive):
    """skreg's coordinate descent with l1_ratio = 0. The kernel minimises
    0.5 ||y - Xw||^2 + 0.5 beta ||w||^2, i.e. half of Ridge's objective with beta = alpha
    (so `penalty_arrays` gets n_samples = 1); positive=True adds the lower bound 0.

    Stops on the duality gap (gap <= tol * ||y||^2) and, for alpha > 0, also certifies the
    coefficients: the objective is alpha-strongly convex, so ||w - w*||_2 <= sqrt(2 gap / alpha);
    while that bound exceeds tol * max|w_j| (the relative step that scikit-learn's 'sag'
    stops on), the descent continues from w to a smaller gap, within max_iter epochs in all."""
    p = design.n_features
    if design.kind == "gram":
        # the kernel takes X'y of one target as a contiguous vector
        design.XtY = np.asfortranarray(design.XtY)
    coef = np.zeros((len(alphas), p), dtype=design.dtype)
    n_iter = np.empty(len(alphas), dtype=np.int32)
    # below this relative gap the float rounding of the gap itself dominates
    floor = 16 * np.finfo(design.dtype).eps
    for k, a in enumerate(alphas):
        penalty = penalty_arrays(p, design.dtype, float(a), 0.0, 1, positive=positive)
        w = np.zeros(p, dtype=design.dtype)
        gap, done = cd_solve(design, k, w, penalty, tol=tol, max_iter=max_iter)
        yy = float(design.yy[k])
        for _ in range(4):
            gap_abs = float(gap) * design.n_samples
            target = float(a) * (tol * float(np.max(np.abs(w), initial=0.0))) ** 2 / 2
            if a <= 0 or yy <= 0 or done >= max_iter or gap_abs <= target:
                break
            tighter = max(0.25 * target / yy, floor)
            if tighter >= tol:
                break
            gap, more = cd_solve(design, k, w, penalty, tol=tighter, max_iter=max_iter - done,
                              warn=False)
            done += more
            if tighter == floor:
                break
        coef[k], n_iter[k] = w, done
    return coef, n_iter


def _gram_design_centred_blocks(X, y):
    """The Gram design of tall dense X with an intercept and no sample weights, without a
    centred copy of X: its statistics, whose co-moments are summed over blocks of rows
    centred in a small buffer (`_dask_data.centred_products`), in X's dtype."""
    st = _dask_data._block_stats(X, y, dtype=X.dtype)
    return Design.from_statistics(st, fit_intercept=True, dtype=X.dtype, rescale=False)


def _cd_precompute(X):
    """Gram mode (each coordinate move costs p instead of n) when n >= 2p; for sparse X only
    when the dense p x p Gram matrix stays small."""
    n, p = X.shape
    if sparse.issparse(X):
        return n >= 2 * p and p <= SPARSE_DIRECT_MAX
    return "auto"


class Ridge(LinearPredictorMixin, MultiOutputMixin, RegressorMixin, BaseEstimator):
    __doc__ = f"""Linear least squares with l2 regularization (drop-in for scikit-learn's
    ``Ridge``).

    Minimizes the objective function (identical to scikit-learn's)::

        ||y - Xw - b||^2_2 + alpha * ||w||^2_2

    with ``sum_i s_i (y_i - x_i w - b)^2`` as data term when sample weights ``s`` are given
    (weights are *not* rescaled: multiplying them by ``k`` is the same as ``alpha / k``).
    In the textbook form ``1/n * sum((y - y_hat)**2) + lambda * ||w||^2`` this is
    ``alpha = n_samples * lambda``. The intercept is not penalized.

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        Strength of the l2 penalty, in ``[0, inf)``; an array gives one penalty per target.
    fit_intercept : bool, default=True
        Whether to fit an intercept. Sparse X is never densified: centring is implicit.
    copy_X : bool, default=True
        Kept for compatibility: X is never modified, whatever its value (centred or weighted
        data are always new arrays).
    max_iter : int, default=None
        Iteration limit of the iterative solvers: scipy's default for 'sparse_cg' and 'lsqr',
        1000 coordinate-descent epochs for 'sag', 'saga', 'lbfgs' and ``positive=True``.
    tol : float, default=1e-4
        Precision of the iterative solvers: relative residual for 'sparse_cg', atol and btol
        for 'lsqr', and for coordinate descent a duality gap at most ``tol * ||y||^2`` (y
        centred and weighted) that also certifies the coefficients to ``tol`` relative to
        their largest entry (ridge is strongly convex). Unused by 'svd' and 'cholesky'.
    solver : {{'auto', 'svd', 'cholesky', 'lsqr', 'sparse_cg', 'sag', 'saga', 'lbfgs'}}, \
            default='auto'
        The names and their validity rules are scikit-learn's; the algorithms are:

        - 'cholesky': exact; Cholesky factorization of X'X + alpha I (n >= p) or of
          XX' + alpha I (n < p, kernel form). Per-target alphas reuse the Gram matrix; with
          more than 8 distinct alphas one eigendecomposition serves them all. A singular system
          falls back to 'svd' (dense X), as in scikit-learn.
        - 'svd': exact; thin SVD of X (dense X only).
        - 'lsqr': :func:`scipy.sparse.linalg.lsqr` with ``damp = sqrt(alpha)``.
        - 'sparse_cg': :func:`scipy.sparse.linalg.cg` on the normal equations of the
          smaller side.
        - 'sag', 'saga', 'lbfgs': skreg's coordinate descent (the same Cython kernel as
          ElasticNet with ``l1_ratio=0``), stopping on the duality gap (float32 X is solved
          in float64). 'lbfgs' requires ``positive=True``, as in scikit-learn.
        - 'auto': dense X -> 'cholesky'; sparse X -> 'cholesky' on the Gram matrix (centred
          implicitly) when ``min(n_samples, n_features) <= 1000``, else 'sparse_cg';
          ``positive=True`` -> coordinate descent (reported as 'lbfgs').

        Sparse X with ``fit_intercept=True`` accepts 'auto', 'lsqr', 'sparse_cg', 'sag' and
        'lbfgs' only, like scikit-learn.
    positive : bool, default=False
        Constrain the coefficients to be non-negative (solver 'auto' or 'lbfgs'); solved
        exactly as a bound-constrained problem by coordinate descent.
    random_state : int, RandomState instance or None, default=None
        Kept for compatibility; skreg's coordinate descent is cyclic and deterministic.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Weight vector(s), in X's floating dtype.
    intercept_ : float or ndarray of shape (n_targets,)
        Independent term; 0.0 when ``fit_intercept=False``.
    n_iter_ : None or ndarray of shape (n_targets,)
        Iterations (coordinate-descent epochs for 'sag', 'saga', 'lbfgs') per target; None
        for the direct solvers 'svd' and 'cholesky' and, as in scikit-learn, 'sparse_cg'.
    solver_ : str
        The solver that ran (scikit-learn's name; see ``solver``).
{FEATURES_IN_DOC}

    See Also
    --------
    RidgeCV : Ridge regression with built-in (leave-one-out) cross-validation.

    Examples
    --------
    >>> from skreg import Ridge
    >>> from sklearn.datasets import load_diabetes
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = Ridge(alpha=0.1).fit(X, y)
    >>> model.solver_, round(model.score(X, y), 3)
    ('cholesky', 0.513)
    """

    _parameter_constraints: dict = {
        "alpha": [Interval(Real, 0, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "copy_X": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "solver": [StrOptions(
            {"auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs"})],
        "positive": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(self, alpha=1.0, *, fit_intercept=True, copy_X=True, max_iter=None, tol=1e-4,
                 solver="auto", positive=False, random_state=None):
        store_init_params(self, locals())

    def _check_solver(self, is_sparse):
        """scikit-learn's validity rules (and messages) for solver / positive / sparse X."""
        if self.solver == "lbfgs" and not self.positive:
            raise ValueError(
                "'lbfgs' solver can be used only when positive=True. "
                "Please use another solver.")
        if self.positive:
            if self.solver not in ("auto", "lbfgs"):
                raise ValueError(
                    f"solver='{self.solver}' does not support positive fitting. Please"
                    " set the solver to 'auto' or 'lbfgs', or set `positive=False`")
            return "lbfgs"
        if is_sparse and self.fit_intercept and self.solver not in (
                "auto", "lbfgs", "lsqr", "sag", "sparse_cg"):
            raise ValueError(
                f"solver='{self.solver}' does not support fitting the intercept "
                "on sparse data. Please set the solver to 'auto' or "
                "'lsqr', 'sparse_cg', 'sag', 'lbfgs' "
                "or set `fit_intercept=False`")
        if is_sparse and self.solver == "svd":
            raise TypeError("SVD solver does not support sparse inputs currently")
        return self.solver

    @staticmethod
    def _auto_solver(X):
        if not sparse.issparse(X) or min(X.shape) <= SPARSE_DIRECT_MAX:
            return "cholesky"
        return "sparse_cg"

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the Ridge regression model.

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Training data (never densified when sparse).
        y : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : float or ndarray of shape (n_samples,), default=None
            Individual non-negative weights for each sample; a float gives every sample that
            weight. Not rescaled (scikit-learn's semantics).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        check_dense_targets(y)
        if _dask_data.is_dask(X):  # from statistics reduced on the cluster
            return self._fit_statistics(X, y, sample_weight)
        X, y = validate_data(
            self, X, y, accept_sparse=["csc", "csr"], dtype=[np.float64, np.float32],
            multi_output=True, y_numeric=True)
        solver = self._check_solver(sparse.issparse(X))
        if sample_weight is not None:
            # scikit-learn accepts negative weights and then returns NaN (square root of the
            # weights); a clear error is more useful.
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype,
                                                 ensure_non_negative=True)
        n_targets = 1 if y.ndim == 1 else y.shape[1]
        alphas = np.asarray(self.alpha, dtype=X.dtype).ravel()
        if alphas.shape[0] not in (1, n_targets):
            raise ValueError(
                "Number of targets and number of penalties do not correspond: "
                f"{alphas.shape[0]} != {n_targets}")
        if not np.all(np.isfinite(alphas)) or np.any(alphas < 0):
            # scikit-learn accepts a negative entry of an array alpha (an indefinite system,
            # silently); skreg requires every per-target penalty in [0, inf).
            raise ValueError(f"alpha must be non-negative and finite, got {self.alpha!r}.")
        alphas = np.broadcast_to(alphas, (n_targets,)).copy()

        if solver == "auto":
            solver = self._auto_solver(X)
        cd = solver in _CD_SOLVERS
        precompute = _cd_precompute(X) if cd else (
            solver == "cholesky" and X.shape[0] >= X.shape[1])
        # X is never written to: the Design copies whatever it centres or weights (copy_X
        # only lets it skip copies that nothing would be written into)
        Xs, ys, sws = X, y, sample_weight
        if cd and X.dtype == np.float32:
            # the duality gap of float32 data cannot certify coefficients below float32
            # rounding of ||y||^2: descend in float64, return float32 coefficients
            Xs, ys = X.astype(np.float64), np.asarray(y, dtype=np.float64)
            sws = None if sample_weight is None else sample_weight.astype(np.float64)
        design = None
        if (precompute is True and self.fit_intercept and sample_weight is None
                and not sparse.issparse(X) and X.size >= BLOCKED_GRAM_MIN_SIZE):
            design = _gram_design_centred_blocks(X, y)
        if design is None:
            # only the coordinate-descent kernels need X in Fortran order; the direct and
            # scipy solvers read it through BLAS products, in whichever order it comes
            design = Design(Xs, ys, fit_intercept=self.fit_intercept, sample_weight=sws,
                            precompute=precompute, copy_X=True, fortran=cd)

        if cd:
            max_iter = CD_DEFAULT_MAX_ITER if self.max_iter is None else self.max_iter
            coef, n_iter = _solve_cd(design, alphas, self.tol, max_iter, self.positive)
        elif solver == "lsqr":
            coef, n_iter = _solve_lsqr(design, alphas, self.tol, self.max_iter)
        elif solver == "sparse_cg":
            coef, n_iter = _solve_sparse_cg(design, alphas, self.tol, self.max_iter)
        elif solver == "svd":
            coef, n_iter = _solve_svd(design, alphas)
        else:
            try:
                coef, n_iter = _solve_cholesky(design, alphas)
            except linalg.LinAlgError:
                # singular X'X + alpha I (alpha = 0): minimum-norm solution, as scikit-learn
                if design.is_sparse:
                    coef, n_iter = _solve_pinv_gram(design, alphas)
                else:
                    if design.kind == "gram":
                        design = Design(X, y, fit_intercept=self.fit_intercept,
                                        sample_weight=sample_weight, copy_X=True,
                                        fortran=False)
                    coef, n_iter = _solve_svd(design, alphas)
                    solver = "svd"

        return self._set_fitted(design, coef, n_iter, solver, X.dtype, y.ndim)

    def _fit_statistics(self, X, y, sample_weight):
        """`fit` on dask data: the same solvers on the Gram matrix of the statistics of all
        rows (coordinate descent for 'sag' / 'saga' / 'lbfgs' / positive, an exact Cholesky
        solve for the others, which need the rows: 'cholesky' in solver_)."""
        solver = self._check_solver(False)
        factor = float(sample_weight) if isinstance(sample_weight, Real) else 1.0
        if factor < 0:
            raise ValueError("Negative values in data passed to `sample_weight`")
        X, y, sample_weight = _dask_data.check_fit_data(self, X, y, sample_weight)
        n_targets = 1 if y.ndim == 1 else y.shape[1]
        alphas = np.asarray(self.alpha, dtype=X.dtype).ravel()
        if alphas.shape[0] not in (1, n_targets):
            raise ValueError("Number of targets and number of penalties do not correspond: "
                             f"{alphas.shape[0]} != {n_targets}")
        alphas = np.broadcast_to(alphas, (n_targets,)).copy()
        st = _dask_data.total_statistics(X, _dask_data.y2d(y), sample_weight, factor)
        design = Design.from_statistics(st, fit_intercept=self.fit_intercept, dtype=X.dtype,
                                        rescale=False)
        if solver in _CD_SOLVERS:
            max_iter = CD_DEFAULT_MAX_ITER if self.max_iter is None else self.max_iter
            coef, n_iter = _solve_cd(design, alphas, self.tol, max_iter, self.positive)
        else:
            solver, n_iter = "cholesky", None
            try:
                coef = _spd_solve(design.Q, design.XtY, alphas).T
            except linalg.LinAlgError:  # singular (alpha = 0): minimum-norm solution
                eye = np.eye(design.n_features, dtype=design.Q.dtype)
                coef = np.stack([linalg.pinvh(design.Q + a * eye) @ design.XtY[:, k]
                                 for k, a in enumerate(alphas)])
        return self._set_fitted(design, coef, n_iter, solver, X.dtype, y.ndim)

    def _set_fitted(self, design, coef, n_iter, solver, dtype, y_ndim):
        coef = np.ascontiguousarray(coef, dtype=dtype)
        intercept = design.intercept(coef).astype(dtype, copy=False)
        if not (np.all(np.isfinite(coef)) and np.all(np.isfinite(intercept))):
            raise ValueError(
                f"Ridge solver '{solver}' produced non-finite coefficients: the data or alpha "
                "are too extreme for it (overflow); rescale X and y or use solver='svd'.")
        # one target, 1-D or one column: coef_ (n_features,) and predict (n_samples,), as
        # scikit-learn; intercept_ stays (1,) for a column y
        if coef.shape[0] == 1:
            coef = coef[0]
        if y_ndim == 1:
            intercept = intercept[0]
        self.coef_ = coef
        self.intercept_ = intercept if self.fit_intercept else 0.0
        # scikit-learn reports no iteration count for 'sparse_cg'
        self.n_iter_ = None if solver == "sparse_cg" else n_iter
        self.solver_ = solver
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # scikit-learn's rule: 'svd' never takes sparse X, 'cholesky' not with an intercept
        tags.input_tags.sparse = self.solver != "svd" and (
            self.solver != "cholesky" or not self.fit_intercept)
        return tags
