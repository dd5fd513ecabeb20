"""Ridge and RidgeCV: scikit-learn's estimators and objective, skreg's solvers.

Every solver works on one `Design` (centred, sqrt(sample_weight)-scaled data; sparse X is
centred implicitly), so dense and sparse X, weights and intercepts are handled in one place:

- exact direct solvers: Cholesky on the smaller of X'X and XX', SVD, and an eigendecomposition
  of the same Gram matrix when many different per-target alphas share it;
- scipy's iterative `lsqr` and `cg` on a LinearOperator (implicit centring of sparse X);
- skreg's Cython coordinate descent (ridge penalty, optional lower bound 0) for the names
  'sag', 'saga', 'lbfgs' and for ``positive=True``, stopping on the duality gap.

RidgeCV's leave-one-out scores come from one decomposition of the data, then cost O(n k) per
alpha (k = min(n, p)), instead of refitting n times.
"""

import inspect
import warnings
from numbers import Integral, Real

import numpy as np
from scipy import linalg, sparse
from scipy.sparse.linalg import LinearOperator, aslinearoperator, cg, lsqr
from sklearn import get_config
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import check_scoring, get_scorer, get_scorer_names
from sklearn.model_selection import GridSearchCV
from sklearn.utils import check_array, check_scalar
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping, process_routing
from sklearn.utils.validation import validate_data

from . import _dask
from ._base import Design, penalty_arrays, solve
from ._elastic_net import LinearPredictorMixin
from ._sklearn_compat import Interval, StrOptions, _check_sample_weight, _fit_context

# `auto` on sparse X: up to this min(n_samples, n_features) the dense Gram matrix (X'X or XX')
# is small and cheap to factor, so an exact Cholesky solve replaces conjugate gradient.
SPARSE_DIRECT_MAX = 1000
# With more distinct per-target alphas than this, one eigendecomposition of the Gram matrix
# (about 10 k^3 flops) is cheaper than one Cholesky factorization per alpha (k^3 / 3 each).
EIGEN_MIN_ALPHAS = 8
# Coordinate-descent epochs when max_iter is None (scikit-learn's default for 'sag').
CD_DEFAULT_MAX_ITER = 1000

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
        lam, V = linalg.eigh(G, check_finite=False)
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
    lam, V = linalg.eigh(G, check_finite=False)
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
            A = LinearOperator((n, n), dtype=design.dtype,
                               matvec=lambda z, a=a: ops.matvec(ops.rmatvec(z)) + a * np.ravel(z))
            b = y
        else:
            A = LinearOperator((p, p), dtype=design.dtype,
                               matvec=lambda w, a=a: ops.rmatvec(ops.matvec(w)) + a * np.ravel(w))
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
    (so `penalty_arrays` gets n_samples = 1); positive=True adds the lower bound 0."""
    p = design.n_features
    if design.kind == "gram":
        # the kernel takes X'y of one target as a contiguous vector
        design.XtY = np.asfortranarray(design.XtY)
    coef = np.zeros((len(alphas), p), dtype=design.dtype)
    n_iter = np.empty(len(alphas), dtype=np.int32)
    for k, a in enumerate(alphas):
        penalty = penalty_arrays(p, design.dtype, float(a), 0.0, 1, positive=positive)
        w = np.zeros(p, dtype=design.dtype)
        _, n_iter[k] = solve(design, k, w, penalty, tol=tol, max_iter=max_iter)
        coef[k] = w
    return coef, n_iter


def _cd_precompute(X):
    """Gram mode (each coordinate move costs p instead of n) when n >= 2p; for sparse X only
    when the dense p x p Gram matrix stays small."""
    n, p = X.shape
    if sparse.issparse(X):
        return n >= 2 * p and p <= SPARSE_DIRECT_MAX
    return "auto"


class Ridge(LinearPredictorMixin, MultiOutputMixin, RegressorMixin, BaseEstimator):
    """Linear least squares with l2 regularization (drop-in for scikit-learn's ``Ridge``).

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
        Kept for compatibility: X is never modified.
    max_iter : int, default=None
        Iteration limit of the iterative solvers: scipy's default for 'sparse_cg' and 'lsqr',
        1000 coordinate-descent epochs for 'sag', 'saga', 'lbfgs' and ``positive=True``.
    tol : float, default=1e-4
        Precision of the iterative solvers: relative residual for 'sparse_cg', atol and btol
        for 'lsqr', and for coordinate descent a duality gap at most ``tol * ||y||^2`` (y
        centred and weighted). Unused by 'svd' and 'cholesky'.
    solver : {'auto', 'svd', 'cholesky', 'lsqr', 'sparse_cg', 'sag', 'saga', 'lbfgs'}, \
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
          ElasticNet with ``l1_ratio=0``), stopping on the duality gap. 'lbfgs' requires
          ``positive=True``, as in scikit-learn.
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
        for the direct solvers 'svd' and 'cholesky'.
    solver_ : str
        The solver that ran (scikit-learn's name; see ``solver``).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

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
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.positive = positive
        self.random_state = random_state

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
        if _dask.is_dask(X):  # from statistics reduced on the cluster
            return _dask.fit_ridge(self, X, y, sample_weight)
        X, y = validate_data(
            self, X, y, accept_sparse=["csc", "csr"], dtype=[np.float64, np.float32],
            force_writeable=True, multi_output=True, y_numeric=True)
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
        design = Design(X, y, fit_intercept=self.fit_intercept, sample_weight=sample_weight,
                        precompute=precompute, copy_X=self.copy_X)

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
                                        sample_weight=sample_weight, copy_X=self.copy_X)
                    coef, n_iter = _solve_svd(design, alphas)
                    solver = "svd"

        coef = np.ascontiguousarray(coef, dtype=X.dtype)
        intercept = (design.y_offset - coef @ design.X_offset).astype(X.dtype, copy=False)
        if not (np.all(np.isfinite(coef)) and np.all(np.isfinite(intercept))):
            raise ValueError(
                f"Ridge solver '{solver}' produced non-finite coefficients: the data or alpha "
                "are too extreme for it (overflow); rescale X and y or use solver='svd'.")
        if y.ndim == 1:
            coef, intercept = coef[0], intercept[0]
        self.coef_ = coef
        self.intercept_ = intercept if self.fit_intercept else 0.0
        self.n_iter_ = n_iter
        self.solver_ = solver
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # scikit-learn's rule: 'svd' never takes sparse X, 'cholesky' not with an intercept
        tags.input_tags.sparse = self.solver != "svd" and (
            self.solver != "cholesky" or not self.fit_intercept)
        return tags


# --------------------------------------------------------------------------------------------
# Leave-one-out for RidgeCV (cv=None)
# --------------------------------------------------------------------------------------------

class _IdentityRegressor(RegressorMixin, BaseEstimator):
    """Lets a scorer score precomputed leave-one-out predictions: predict(P) returns P."""

    def predict(self, y_pred):
        """Return the given predictions unchanged."""
        return y_pred

    def decision_function(self, y_pred):
        """Return the given predictions unchanged."""
        return y_pred


class _LeaveOneOut:
    """Exact leave-one-out residuals of ridge for many alphas from one decomposition.

    With hat matrix H(a) = Xc (Xc'Xc + a I)^-1 Xc' (plus the rank-one projection on sqrt(sw)
    for the intercept), the leave-one-out residual is (y - H y)_i / (1 - H_ii).

    - n <= p ('gram' / 'svd'): orthonormal basis Q of R^n from the eigendecomposition of XcXc'
      (or the SVD's U); I - H(a) = a Q diag(1/(lam + a)) Q' is computed directly, which stays
      accurate when leverages approach 1.
    - n > p ('cov' / 'svd'): B = Xc V from the eigendecomposition of Xc'Xc (or U diag(s));
      H(a) = B diag(1/(lam + a)) B', so each alpha costs O(n p) instead of refactoring.
    These are scikit-learn's formulas (`_RidgeGCV`), evaluated without forming H.
    """

    def __init__(self, design, mode, sqrt_sw):
        self.design = design
        self.sqrt_sw = sqrt_sw
        n, p = design.n_samples, design.n_features
        Y = design.Y
        self.wide = n <= p
        if mode == "svd":
            U, s, Vt = linalg.svd(design.X, full_matrices=False, check_finite=False)
            self.lam = s**2
            if self.wide:
                self.Q = U
            else:
                self.B, self.V = U * s, Vt.T
        elif self.wide:
            self.lam, self.Q = linalg.eigh(_dual_gram(design), check_finite=False)
        else:
            self.lam, self.V = linalg.eigh(_primal_gram(design), check_finite=False)
            self.B = _xc_dot(design, self.V)
        M = self.Q if self.wide else self.B
        self.M2 = M**2
        self.MtY = M.T @ Y
        self.Mtv = M.T @ sqrt_sw

    def residuals(self, alpha, fit_intercept):
        """Leave-one-out residuals (n_samples, n_targets) in the weighted scale."""
        D = 1.0 / (self.lam + alpha)
        v = self.sqrt_sw
        if self.wide:
            M = self.Q
            c = M @ (D[:, None] * self.MtY)
            d = self.M2 @ D
            if fit_intercept:
                d -= (M @ (D * self.Mtv)) * v / (v @ v)
        else:
            M = self.B
            c = self.design.Y - M @ (D[:, None] * self.MtY)
            d = 1.0 - self.M2 @ D
            if fit_intercept:
                d -= (v - M @ (D * self.Mtv)) * v / (v @ v)
        return c / d[:, None]

    def coef(self, alphas):
        """Coefficients (n_targets, n_features), target k fitted with alphas[k]."""
        D = 1.0 / (self.lam[:, None] + alphas[None, :])
        if self.wide:
            return _xct_dot(self.design, self.Q @ (D * self.MtY)).T
        return (self.V @ (D * self.MtY)).T


def _score(scorer, pred, y, score_params, per_target):
    """Score leave-one-out predictions (n_samples, n_targets) against y with a scorer."""
    identity = _IdentityRegressor()
    if per_target:
        return np.array([scorer(identity, pred[:, j], y[:, j], **score_params)
                         for j in range(pred.shape[1])])
    if y.ndim == 1:
        pred = pred[:, 0]
    return scorer(identity, pred, y, **score_params)


class RidgeCV(LinearPredictorMixin, MultiOutputMixin, RegressorMixin, BaseEstimator):
    """Ridge regression with built-in cross-validation (drop-in for scikit-learn's
    ``RidgeCV``).

    With ``cv=None`` (default) the alphas are compared by exact, efficient leave-one-out
    cross-validation: one decomposition of the centred data (eigendecomposition of the smaller
    of X'X and XX', or the SVD of X with ``gcv_mode='svd'``), after which each alpha costs
    O(n_samples * min(n_samples, n_features)) per target. Otherwise a plain cross-validation
    over ``alphas`` with :class:`~sklearn.model_selection.GridSearchCV` over :class:`Ridge`.

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,), default=(0.1, 1.0, 10.0)
        Alpha values to try (strictly positive with leave-one-out).
    fit_intercept : bool, default=True
        Whether to fit an intercept.
    scoring : str, callable or None, default=None
        Scorer; None means negative mean squared error for leave-one-out (``cv=None``) and
        R^2 otherwise.
    cv : int, cross-validation generator, iterable or None, default=None
        None for efficient leave-one-out; otherwise as in GridSearchCV.
    gcv_mode : {'auto', 'svd', 'eigen'} or None, default=None
        Leave-one-out decomposition: 'svd' uses the SVD of dense X (sparse X falls back to
        'eigen' with a FutureWarning, as in scikit-learn); 'auto', 'eigen' and None use the
        eigendecomposition of XX' when n_samples <= n_features, of X'X otherwise.
    store_cv_results : bool, default=False
        Store the leave-one-out values in ``cv_results_`` (``cv=None`` only).
    alpha_per_target : bool, default=False
        Choose one alpha per target (``cv=None`` only).

    Attributes
    ----------
    cv_results_ : ndarray of shape (n_samples, n_alphas) or (n_samples, n_targets, n_alphas)
        Leave-one-out squared errors (``scoring=None``) or predictions, per alpha; only with
        ``store_cv_results=True``.
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Weight vector(s).
    intercept_ : float or ndarray of shape (n_targets,)
        Independent term; 0.0 when ``fit_intercept=False``.
    alpha_ : float or ndarray of shape (n_targets,)
        Selected alpha (per target with ``alpha_per_target=True``).
    best_score_ : float or ndarray of shape (n_targets,)
        Score of the selected alpha (per target with ``alpha_per_target=True``).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    Ridge : Ridge regression.

    Examples
    --------
    >>> from skreg import RidgeCV
    >>> from sklearn.datasets import load_diabetes
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = RidgeCV(alphas=[1e-3, 1e-2, 1e-1, 1]).fit(X, y)
    >>> float(model.alpha_), round(model.score(X, y), 4)
    (0.01, 0.5166)
    """

    _parameter_constraints: dict = {
        "alphas": ["array-like", Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "cv": ["cv_object"],
        "gcv_mode": [StrOptions({"auto", "svd", "eigen"}), None],
        "store_cv_results": ["boolean"],
        "alpha_per_target": ["boolean"],
    }

    def __init__(self, alphas=(0.1, 1.0, 10.0), *, fit_intercept=True, scoring=None, cv=None,
                 gcv_mode=None, store_cv_results=False, alpha_per_target=False):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.gcv_mode = gcv_mode
        self.store_cv_results = store_cv_results
        self.alpha_per_target = alpha_per_target

    def _checked_alphas(self):
        """alphas as a 1-D float array; > 0 for leave-one-out (the hat matrix needs it), with
        scikit-learn's messages."""
        if isinstance(self.alphas, (list, tuple)):
            values = list(self.alphas)
        else:
            raw = np.asarray(self.alphas)
            values = list(raw.ravel()) if raw.ndim else [raw.item()]
        closed = "neither" if self.cv is None else "left"
        for i, a in enumerate(values):
            name = "alphas" if len(values) == 1 else f"alphas[{i}]"
            check_scalar(a, name, Real, min_val=0.0, include_boundaries=closed)
        # scikit-learn lets NaN, inf and an empty grid through and returns NaN coefficients
        if not values:
            raise ValueError("alphas must not be empty.")
        if not np.all(np.isfinite(values)):
            raise ValueError(f"alphas must be finite, got {values!r}.")
        return np.asarray(values, dtype=np.float64)

    def _get_scorer(self):
        if get_config()["enable_metadata_routing"] and self.scoring is None:
            # sample weights always reach the default scorer when routing is enabled
            return get_scorer("r2").set_score_request(sample_weight=True)
        return check_scoring(estimator=self, scoring=self.scoring, allow_none=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Fit the Ridge regression model, choosing alpha by cross-validation.

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Training data; cast to float64 for leave-one-out (coefficients keep X's dtype).
        y : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : float or ndarray of shape (n_samples,), default=None
            Individual non-negative weights for each sample (not rescaled). Only
            leave-one-out takes them into account in the validation score.
        **params : dict
            Parameters routed to the scorer (metadata routing only).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        routing = get_config()["enable_metadata_routing"]
        if params and not routing:
            raise ValueError(
                f"Passing extra keyword arguments to {self.__class__.__name__}.fit is only "
                "supported if enable_metadata_routing=True, which you can set using "
                "`sklearn.set_config`.")
        alphas = self._checked_alphas()
        if _dask.is_dask(X):  # from statistics reduced on the cluster
            return _dask.fit_ridge_cv(self, X, y, sample_weight, alphas, params)
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        if self.cv is None:
            if routing:
                score_params = process_routing(self, "fit", **params).scorer.score
            else:
                score_params = {} if sample_weight is None else {"sample_weight": sample_weight}
            self._fit_loo(X, y, sample_weight, alphas, score_params)
        else:
            self._fit_grid(X, y, alphas, params, routing)
        return self

    def _fit_grid(self, X, y, alphas, params, routing):
        if self.store_cv_results:
            raise ValueError("cv!=None and store_cv_results=True are incompatible")
        if self.alpha_per_target:
            raise ValueError("cv!=None and alpha_per_target=True are incompatible")
        # validated here so that a missing y or bad X fails with the usual message rather
        # than as failed grid-search fits
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"],
                             dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
        y = check_array(y, dtype=X.dtype, ensure_2d=False, input_name="y")
        if params.get("sample_weight") is not None:
            _check_sample_weight(params["sample_weight"], X, dtype=X.dtype,
                                 ensure_non_negative=True)
        estimator = Ridge(fit_intercept=self.fit_intercept, solver="auto")
        if routing:
            estimator.set_fit_request(sample_weight=True)
        search = GridSearchCV(estimator, {"alpha": alphas}, cv=self.cv,
                              scoring=self._get_scorer())
        search.fit(X, y, **params)
        best = search.best_estimator_
        self.alpha_ = best.alpha
        self.best_score_ = search.best_score_
        self.coef_, self.intercept_ = best.coef_, best.intercept_

    def _fit_loo(self, X, y, sample_weight, alphas, score_params):
        # coefficients come back in X's floating dtype (pandas and integer X give float64)
        in_dtype = X.dtype if getattr(getattr(X, "dtype", None), "kind", None) == "f" \
            else np.float64
        # leave-one-out divides by 1 - leverage: always computed in float64
        X, y = validate_data(self, X, y, accept_sparse=["csc", "csr"], dtype=np.float64,
                             multi_output=True, y_numeric=True)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype,
                                                 ensure_non_negative=True)
        mode = self.gcv_mode
        if mode == "svd" and sparse.issparse(X):
            warnings.warn(
                "The 'svd' mode is not supported for sparse X, we fallback to "
                "`gcv_mode='eigen'`. Passing `gcv_mode='svd'` on sparse X will raise "
                "an error in 1.11, use the default or pass `gcv_mode='eigen'` to "
                "suppress this warning.", FutureWarning, stacklevel=3)
            mode = "eigen"
        design = Design(X, y, fit_intercept=self.fit_intercept, sample_weight=sample_weight)
        n = X.shape[0]
        sqrt_sw = np.ones(n) if sample_weight is None else np.sqrt(sample_weight)
        loo = _LeaveOneOut(design, mode, sqrt_sw)
        # scoring=None means the mean squared leave-one-out error, not the default scorer
        scorer = None if self.scoring is None else self._get_scorer()

        n_y = design.Y.shape[1]
        per_target = self.alpha_per_target and n_y > 1
        Yw = design.Y
        if self.store_cv_results:
            cv_results = np.empty((n, n_y, len(alphas)))
        best_score = best_alpha = None
        for i, alpha in enumerate(alphas):
            looe = loo.residuals(float(alpha), self.fit_intercept)
            if scorer is None:
                sq = looe**2
                score = -sq.mean(axis=0) if self.alpha_per_target else -sq.mean()
                if not per_target and np.ndim(score):
                    score = score[0]
                if self.store_cv_results:
                    cv_results[:, :, i] = sq
            else:
                pred = Yw - looe
                if sample_weight is not None:
                    pred = pred / sqrt_sw[:, None]
                pred = pred + design.y_offset
                if self.store_cv_results:
                    cv_results[:, :, i] = pred
                score = _score(scorer, pred, y, score_params, per_target)
            if best_score is None:
                best_score = np.array(score, dtype=np.float64).reshape(-1) if per_target \
                    else score
                best_alpha = np.full(n_y, float(alpha)) if per_target else float(alpha)
            elif per_target:
                better = score > best_score
                best_score[better] = score[better]
                best_alpha[better] = float(alpha)
            elif score > best_score:
                best_score, best_alpha = score, float(alpha)

        coef = loo.coef(np.broadcast_to(np.asarray(best_alpha, dtype=np.float64), (n_y,)))
        if y.ndim == 1 or n_y == 1:
            coef = coef[0]
        dtype = in_dtype
        if self.fit_intercept:
            y_offset = design.y_offset[0] if y.ndim == 1 else design.y_offset
            intercept = np.asarray(y_offset - design.X_offset @ coef.T).astype(dtype)
            self.intercept_ = intercept[()] if intercept.ndim == 0 else intercept
        else:
            self.intercept_ = 0.0
        self.coef_ = coef.astype(dtype, copy=False)
        self.alpha_ = best_alpha
        self.best_score_ = best_score
        if self.store_cv_results:
            shape = (n, len(alphas)) if y.ndim == 1 else (n, n_y, len(alphas))
            self.cv_results_ = cv_results.reshape(shape).astype(dtype, copy=False)

    def get_metadata_routing(self):
        """Get the metadata routing of this object (scorer and splitter).

        Returns
        -------
        routing : MetadataRouter
            Routing information.
        """
        return (
            MetadataRouter(owner=self)
            .add_self_request(self)
            .add(scorer=self._get_scorer(),
                 method_mapping=MethodMapping().add(caller="fit", callee="score"))
            .add(splitter=self.cv,
                 method_mapping=MethodMapping().add(caller="fit", callee="split"))
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
