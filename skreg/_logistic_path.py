"""Penalized logistic regression in kernel form, the C grid and `logistic_path`.

The only import of the logistic kernel (`_logistic_fast`). scikit-learn's objective

    C * sum_i s_i * log_loss_i + l1_ratio * ||W||_1 + (1 - l1_ratio) / 2 * ||W||_F^2

is C times the kernel's ``sum_i s_i log_loss_i + lam * (l1_ratio ||W||_1 + (1 - l1_ratio) / 2
||W||_F^2)`` with ``lam = 1 / C``. The kernel stops on a certified duality gap; ``tol`` is relative
to the loss of the null model (the intercept-only model when fitting an intercept, W = 0 and
b = 0 otherwise): the returned solution is within ``tol * null_loss`` of the optimum.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.class_weight import compute_class_weight

from . import _logistic_fast

_NULL_FLOOR = 1e-300

TOO_LARGE_MESSAGE = (
    "Logistic regression would give non-finite coefficients: the input data holds values too "
    "large for its sums of squares (about 1e150 or more); scale the features (e.g. "
    "StandardScaler).")


def check_class_weight(class_weight):
    """One clear error for class weights that are not finite non-negative numbers (a
    negative weight makes the objective unbounded below, as a negative sample weight)."""
    if not isinstance(class_weight, dict):
        return
    for label, weight in class_weight.items():
        if (isinstance(weight, (bool, np.bool_)) or not isinstance(weight, Real)
                or not np.isfinite(weight) or weight < 0):
            raise ValueError("class_weight values must be finite non-negative numbers, got "
                             f"{weight!r} for class {label!r}.")


def _is_real(value):
    return isinstance(value, Real) and not isinstance(value, (bool, np.bool_))


def _check_logistic_path_params(Cs, l1_ratio, eps, tol, max_iter):
    """The parameters of `logistic_path`, with one clear message each. Returns Cs as an int
    (the size of the automatic grid) or a sorted 1-D float64 array."""
    if not (_is_real(l1_ratio) and 0 <= l1_ratio <= 1):
        raise ValueError(f"l1_ratio must be a float in [0, 1], got {l1_ratio!r}.")
    if eps is not None and not (_is_real(eps) and 0 < eps < 1):
        raise ValueError(f"eps must be None or a float in (0, 1), got {eps!r}.")
    if not (_is_real(tol) and 0 <= tol < np.inf):
        raise ValueError(f"tol must be a non-negative finite float, got {tol!r}.")
    if not (isinstance(max_iter, Integral) and not isinstance(max_iter, (bool, np.bool_))
            and max_iter >= 0):
        raise ValueError(f"max_iter must be a non-negative integer, got {max_iter!r}.")
    message = ("Cs must be a positive integer or a non-empty 1-D array of positive finite "
               f"floats, got {Cs!r}.")
    if isinstance(Cs, (bool, np.bool_, str)):
        raise ValueError(message)
    if isinstance(Cs, Integral):
        if Cs < 1:
            raise ValueError(message)
        return int(Cs)
    try:
        values = np.asarray(Cs, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(message) from None
    if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)) or np.any(
            values <= 0):
        raise ValueError(message)
    return np.sort(values)


class LogisticProblem:
    """A classification data set in the kernel's form, built once and solved for many C.

    X: validated 2-D float32/float64 array or sparse matrix; y: labels; classes: sorted unique
    labels (at least two); sample_weight: None or float array; class_weight as scikit-learn's.
    """

    def __init__(self, X, y, classes, *, sample_weight=None, class_weight=None,
                 fit_intercept=True):
        n, p = X.shape
        self.n_samples, self.n_features = n, p
        self.dtype = X.dtype
        self.classes = classes
        self.fit_intercept = bool(fit_intercept)
        y = np.asarray(y)
        n_classes = len(classes)
        self.binary = n_classes == 2
        self.K = 1 if self.binary else n_classes
        index = np.searchsorted(classes, y)
        self.lab = np.ascontiguousarray(
            (index - 1) if self.binary else index, dtype=np.int32)
        s = (np.ones(n) if sample_weight is None
             else np.array(sample_weight, dtype=np.float64))
        if class_weight is not None:
            cw = compute_class_weight(class_weight, classes=classes, y=y,
                                      sample_weight=sample_weight)
            with np.errstate(divide="ignore", invalid="ignore"):
                s = s * np.asarray(cw, dtype=np.float64)[index]
            if not np.all(np.isfinite(s)):
                raise ValueError(
                    f"class_weight={class_weight!r} gives non-finite sample weights: every "
                    "class needs a positive total sample weight.")
        if not np.isfinite(s.sum()):
            raise ValueError(TOO_LARGE_MESSAGE)
        self.s = np.ascontiguousarray(s)
        if sparse.issparse(X):
            Xc = sparse.csc_matrix(X)
            Xc.sort_indices()
            self.Xflat = np.ascontiguousarray(Xc.data)
            self.indices = Xc.indices.astype(np.int64)
            self.indptr = Xc.indptr.astype(np.int64)
            self.sparse = True
        else:
            Xf = np.asfortranarray(X)
            self.Xflat = Xf.ravel(order="F")
            self.indices = self.indptr = np.zeros(1, dtype=np.int64)
            self.sparse = False
        self.colnorm = self._column_norms(X)
        self._null()
        # the kernel's buffers and last solution, kept from one C to the next (a problem is
        # solved along a path by one thread; see _logistic_fast)
        self._workspace = _logistic_fast.Workspace()

    def _column_norms(self, X):
        """sqrt(sum_i s_i (x_ij - c_j)^2), c_j the weighted mean with an intercept, else 0: the
        screening ball's reach along feature j (the dual's strong concavity is in the norm
        weighted by 1 / s)."""
        s = self.s
        if sparse.issparse(X):
            X = sparse.csc_matrix(X, dtype=np.float64)
            with np.errstate(over="ignore", invalid="ignore"):
                sq = np.asarray(X.multiply(X).T @ s, dtype=np.float64).ravel()
            sx = np.asarray(X.T @ s, dtype=np.float64).ravel()
        else:
            with np.errstate(over="ignore", invalid="ignore"):
                sq = np.einsum("ij,ij,i->j", X, X, s, dtype=np.float64)
            sx = np.asarray(X.T @ s, dtype=np.float64)
        if self.fit_intercept and s.sum() > 0:
            with np.errstate(over="ignore", invalid="ignore"):
                sq = sq - sx * (sx / s.sum())
        if not np.all(np.isfinite(sq)):
            raise ValueError(TOO_LARGE_MESSAGE)
        return np.ascontiguousarray(np.sqrt(np.maximum(sq, 0.0)) * (1 + 1e-12) + 1e-300)

    def _null(self):
        """The null model: its intercepts, its loss (the scale of tol) and its gradient."""
        K, s = self.K, self.s
        total = s.sum()
        if self.binary:
            counts = np.array([s[self.lab == -1].sum(), s[self.lab == 0].sum()])
        else:
            counts = np.array([s[self.lab == k].sum() for k in range(K)])
        if self.fit_intercept:
            frac = np.maximum(counts / total, _NULL_FLOOR)
            loss = -float(np.sum(counts * np.log(frac)))
            if self.binary:
                b = np.array([np.log(frac[1]) - np.log(frac[0])])
            else:
                b = np.log(frac)
                b -= b.mean()
        else:
            loss = float(total * np.log(2 if self.binary else K))
            b = np.zeros(K)
        if not np.isfinite(loss):
            raise ValueError(TOO_LARGE_MESSAGE)
        self.null_intercept = b
        self.null_loss = max(loss, np.finfo(np.float64).tiny)

    def null_gradient(self):
        """max |X^T s (Y - prob)| at the null model (W = 0); 0 when it is at the level of
        rounding (a gradient no larger than n * machine epsilon times max_j sum_i s_i |x_ij|,
        its bound, as for a class of zero total weight, whose null probability is ~1e-300)."""
        prob = self.probabilities(np.zeros((self.K, self.n_features)), self.null_intercept)
        theta = self.s[:, None] * (self.indicator() - prob)
        G = self.rmatmul(theta)
        if not G.size:
            return 0.0
        g = float(np.max(np.abs(G)))
        return 0.0 if g <= self.n_samples * np.finfo(np.float64).eps * self._abs_mass() else g

    def _abs_mass(self):
        """max_j sum_i s_i |x_ij| (by blocks of columns: no copy of a large dense X)."""
        X = self._matrix()
        if self.sparse:
            return float(np.max(abs(X).T @ self.s, initial=0.0))
        return max((float(np.max(np.abs(X[:, j:j + 256]).T @ self.s, initial=0.0))
                    for j in range(0, self.n_features, 256)), default=0.0)

    def indicator(self):
        Y = np.zeros((self.n_samples, self.K))
        rows = np.flatnonzero(self.lab >= 0)
        Y[rows, self.lab[rows]] = 1.0
        return Y

    def _matrix(self):
        n, p = self.n_samples, self.n_features
        if self.sparse:
            return sparse.csc_matrix((self.Xflat, self.indices, self.indptr), shape=(n, p))
        return self.Xflat.reshape((n, p), order="F")

    def rmatmul(self, theta):
        """X^T theta, (p, K)."""
        return np.asarray(self._matrix().T @ theta, dtype=np.float64)

    def decision(self, W, b):
        return np.asarray(self._matrix() @ W.T, dtype=np.float64) + b

    def probabilities(self, W, b):
        Z = self.decision(W, b)
        if self.binary:
            p1 = 1.0 / (1.0 + np.exp(-Z))
            return p1
        Z = Z - Z.max(axis=1, keepdims=True)
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)

    def objective(self, W, b, C, l1_ratio):
        """scikit-learn's objective: C * sum_i s_i log_loss_i + penalty (float64)."""
        Z = self.decision(np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64))
        if self.binary:
            z = Z[:, 0]
            y = (self.lab == 0).astype(np.float64)
            loss = np.logaddexp(0.0, z) - y * z
        else:
            m = Z.max(axis=1)
            lse = m + np.log(np.exp(Z - m[:, None]).sum(axis=1))
            loss = lse - Z[np.arange(len(Z)), self.lab]
        W = np.asarray(W, dtype=np.float64)
        pen = l1_ratio * np.abs(W).sum() + 0.5 * (1 - l1_ratio) * (W ** 2).sum()
        return float(C * np.dot(self.s, loss) + pen)

    def C_min(self, l1_ratio):
        """The C below which every coefficient is zero: l1_ratio / max|X^T s (Y - prob_null)|
        (for l1_ratio < 1e-3, glmnet's convention: the value of l1_ratio = 1e-3)."""
        g = self.null_gradient()
        if g <= 0.0:
            return 1.0
        return max(l1_ratio, 1e-3) / g

    def start(self):
        """Coefficients of the null model: (W, b) as float64 arrays for the kernel."""
        return (np.zeros((self.K, self.n_features)),
                np.array(self.null_intercept if self.fit_intercept else np.zeros(self.K)))

    def solve(self, C, l1_ratio, W, b, *, tol, max_iter, screen=True):
        """Solve at C from (W, b) (float64, (K, p) and (K,), updated in place).

        Returns (relative duality gap, Newton steps); the gap is that of the kernel's objective
        divided by the null model's loss (what ``tol`` bounds)."""
        lam = 0.0 if np.isinf(C) else 1.0 / C
        if not self.fit_intercept:
            b[:] = 0.0
        gap, _, steps = _logistic_fast.logistic_fit(
            self.Xflat, self.indices, self.indptr, self.sparse, self.n_samples,
            self.n_features, self.lab, self.s, self.colnorm, W, b, lam, float(l1_ratio),
            self.fit_intercept, tol * self.null_loss, int(max_iter), screen, self._workspace)
        if not self.binary and self.fit_intercept:
            b -= b.mean()  # the softmax is unchanged; scikit-learn's intercepts sum to zero
        return gap / self.null_loss, steps


def C_grid(problem, l1_ratio, n_Cs=100, eps=None):
    """glmnet's grid in C: n_Cs values log-spaced from C_min (all coefficients zero) to
    C_min / eps; eps is 1e-4 when n_samples > n_features, else 1e-2 (glmnet's
    ``lambda.min.ratio``)."""
    if eps is None:
        eps = 1e-4 if problem.n_samples > problem.n_features else 1e-2
    c0 = problem.C_min(l1_ratio)
    return c0 * np.logspace(0, -np.log10(eps), n_Cs)


def solve_Cs(problem, Cs, l1_ratio, *, tol, max_iter, coef_init=None, warn=True):
    """Warm-started solutions along Cs (in the given order; increasing C is the fast one).

    Returns coefs (n_Cs, K, p) and intercepts (n_Cs, K) in float64, gaps and Newton steps."""
    W, b = problem.start() if coef_init is None else coef_init
    W = np.array(W, dtype=np.float64, order="C")
    b = np.array(b, dtype=np.float64)
    n_Cs = len(Cs)
    coefs = np.empty((n_Cs, problem.K, problem.n_features))
    intercepts = np.empty((n_Cs, problem.K))
    gaps = np.empty(n_Cs)
    steps = np.empty(n_Cs, dtype=np.int32)
    # (no process-wide BLAS thread limit: the kernel keeps its small BLAS work on the calling
    # thread itself, see _blas.pxi, so fits in several threads do not interfere)
    for i, C in enumerate(Cs):
        gaps[i], steps[i] = problem.solve(C, l1_ratio, W, b, tol=tol, max_iter=max_iter)
        coefs[i], intercepts[i] = W, b
    if warn and np.any(gaps > tol):
        warnings.warn(
            f"Logistic regression did not converge within max_iter={max_iter} Newton steps: "
            f"relative duality gap {gaps.max():.3g} > tol={tol:g}. Increase max_iter or tol.",
            ConvergenceWarning)
    return coefs, intercepts, gaps, steps


def logistic_path(X, y, *, l1_ratio=1.0, Cs=100, eps=None, fit_intercept=True, tol=1e-4,
                  max_iter=100, sample_weight=None, class_weight=None):
    """Penalized logistic regression along a grid of C, warm-started, increasing C.

    Same objective as `skreg.LogisticRegression` (scikit-learn 1.9's):
    ``C * sum_i s_i log_loss_i + l1_ratio ||W||_1 + (1 - l1_ratio) / 2 ||W||^2``.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,)
        Class labels (two classes: binary model; more: multinomial). A column vector is
        accepted with a ``DataConversionWarning``, as in scikit-learn.
    l1_ratio : float, default=1.0
        Elastic-net mixing, ``0 <= l1_ratio <= 1``.
    Cs : int or array-like, default=100
        An int (at least 1): that many values log-spaced from the C below which every
        coefficient is zero (``C_min = l1_ratio / max|X^T s (y - p_null)|``, the gradient at the
        intercept-only model; l1_ratio 1e-3 stands in for smaller values) up to
        ``C_min / eps``, as glmnet's lambda grid (``lambda = 1 / (n C)`` on glmnet's scale, see
        docs/logistic.md). A 1-D array of positive finite values: those values, solved in
        increasing order.
    eps : float, default=None
        ``C_min / C_max``, in (0, 1); None is 1e-4 when n_samples > n_features, else 1e-2.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    tol : float, default=1e-4
        Each solution's duality gap is at most ``tol`` times the null model's loss.
    max_iter : int, default=100
        Proximal Newton steps per value of C.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights (multiplying the loss).
    class_weight : dict or 'balanced', default=None
        Class weights, multiplying the sample weights, as in `skreg.LogisticRegression`.

    Returns
    -------
    Cs : ndarray of shape (n_Cs,)
        Increasing.
    coefs : ndarray of shape (n_Cs, n_features) binary, or (n_Cs, n_classes, n_features)
        Coefficients at each C (binary: of the positive class, the larger label).
    intercepts : ndarray of shape (n_Cs,) binary, or (n_Cs, n_classes)
        Intercepts at each C (zeros without intercept).
    n_iter : ndarray of shape (n_Cs,)
        Newton steps per C.
    """
    from sklearn.utils.multiclass import check_classification_targets
    from sklearn.utils.validation import check_array, check_consistent_length, column_or_1d

    Cs = _check_logistic_path_params(Cs, l1_ratio, eps, tol, max_iter)
    check_class_weight(class_weight)
    X = check_array(X, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32])
    y = column_or_1d(check_array(y, ensure_2d=False, dtype=None), warn=True)
    check_consistent_length(X, y)
    check_classification_targets(y)
    classes = np.unique(y)
    if len(classes) < 2:
        raise ValueError("logistic_path needs samples of at least 2 classes; got one: "
                         f"{classes[0]!r}")
    if sample_weight is not None:
        from ._sklearn_compat import _check_sample_weight
        sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64,
                                             ensure_non_negative=True)
    problem = LogisticProblem(X, y, classes, sample_weight=sample_weight,
                              class_weight=class_weight, fit_intercept=fit_intercept)
    if isinstance(Cs, int):
        Cs = C_grid(problem, l1_ratio, Cs, eps)
    coefs, intercepts, _, steps = solve_Cs(problem, Cs, l1_ratio, tol=tol, max_iter=max_iter)
    coefs = coefs.astype(X.dtype, copy=False)
    intercepts = intercepts.astype(X.dtype, copy=False)
    if problem.binary:
        return Cs, coefs[:, 0], intercepts[:, 0], steps
    return Cs, coefs, intercepts, steps
