"""glmnet-style options for the elastic-net family: per-feature penalty factors, box constraints,
standardization and the relaxed lasso.

With options, the problem solved for each alpha is (n samples, rho = l1_ratio, s_j = 1 or the
feature's standard deviation when ``standardize=True``)::

    1/(2n) ||y - Xw - b||^2 + alpha * sum_j pf_j * [rho * s_j |w_j| + (1 - rho)/2 * s_j^2 w_j^2]
    subject to lower_j <= w_j <= upper_j

All of it reaches the kernel as per-feature arrays (lam_j, beta_j, lo_j, hi_j); nothing touches the
data except the partialling-out of unpenalized features:

- ``standardize`` never rescales X: penalising the coefficients of unit-variance columns is the
  same problem as penalising the original coefficients with weights s_j (L1) and s_j^2 (L2).
  Coordinate descent is invariant to column scaling, so this is exact, copy-free, and identical
  for dense, sparse and Gram designs. Bounds stay on the original scale, as in glmnet.
- Unpenalized features (pf_j = 0) without bounds have no bounded dual constraint, so the kernel's
  rescaled-residual dual point would degenerate. They are partialled out like the intercept
  (Frisch-Waugh-Lovell): y and the penalized columns are projected on the orthogonal complement of
  the unpenalized ones (dense: projection of a copy; Gram: Schur complement Q11 - Q10 Q00^+ Q01;
  sparse X: the Gram route), the penalized problem is solved on the projected data, and the
  unpenalized coefficients are recovered by least squares on the partial residual. The duality
  gap of the projected problem is a duality gap of the full one (the dual point is orthogonal to
  the unpenalized columns), and the stopping rule is tol * ||y~||^2 with y~ the projected target,
  exactly as y is centred for the intercept.
- ``relax`` refits least squares (respecting the bounds) on each alpha's active set, the
  unpenalized features included, and returns gamma * w_penalized + (1 - gamma) * w_refit.
"""

import numpy as np
from scipy import linalg
from scipy.optimize import lsq_linear

from ._design import alpha_max_from_correlations, centred_sparse_gram
from ._solve import cd_solve, penalty_arrays

# Sparse X with unpenalized features goes through the Gram matrix: at most this many features.
MAX_GRAM_FEATURES = 5000

OPTION_NAMES = ("penalty_factor", "lower_bounds", "upper_bounds", "standardize", "relax",
                "gamma")


def active_options(penalty_factor=None, lower_bounds=None, upper_bounds=None, standardize=False,
                   relax=False, gamma=1.0):
    """The options that differ from their default (an empty dict keeps scikit-learn's
    problem and code path)."""
    if not relax and gamma != 1.0:
        raise ValueError(
            f"gamma={gamma} only applies to relaxed fits: set relax=True (gamma=1 is the "
            "penalized fit, gamma=0 the least-squares refit on the active set).")
    if not 0.0 <= gamma <= 1.0:
        raise ValueError(f"gamma must be in [0, 1], got {gamma}.")
    options = {}
    if penalty_factor is not None:
        options["penalty_factor"] = penalty_factor
    if lower_bounds is not None:
        options["lower_bounds"] = lower_bounds
    if upper_bounds is not None:
        options["upper_bounds"] = upper_bounds
    if standardize:
        options["standardize"] = True
    if relax:
        options["relax"] = True
        options["gamma"] = float(gamma)
    return options


def check_options(n_features, *, penalty_factor=None, lower_bounds=None, upper_bounds=None,
                  positive=False):
    """Validated float64 arrays (pf, lo, hi) of length n_features; ``positive`` intersects the
    box with [0, inf)."""
    p = n_features
    if penalty_factor is None:
        pf = np.ones(p)
    else:
        pf = np.asarray(penalty_factor, dtype=np.float64)
        if pf.ndim != 1 or pf.shape[0] != p:
            raise ValueError(
                f"penalty_factor has shape {pf.shape}, expected ({p},) = (n_features,).")
        if np.any(np.isnan(pf)) or np.any(pf < 0):
            raise ValueError("penalty_factor must be non-negative (0: unpenalized, "
                             "inf: excluded); got a negative or NaN entry.")
    lo = _bounds(lower_bounds, p, -np.inf, "lower_bounds")
    hi = _bounds(upper_bounds, p, np.inf, "upper_bounds")
    if np.any(lo > 0) or np.any(hi < 0):
        j = int(np.flatnonzero((lo > 0) | (hi < 0))[0])
        raise ValueError(
            "Every feature's box must contain 0 (lower_bounds <= 0 <= upper_bounds, as in "
            f"glmnet's lower.limits / upper.limits); feature {j} has "
            f"[{lo[j]}, {hi[j]}].")
    if positive:
        lo = np.maximum(lo, 0.0)
    return pf, lo, hi


def _bounds(value, p, default, name):
    if value is None:
        return np.full(p, default)
    b = np.asarray(value, dtype=np.float64)
    if b.ndim == 0:
        b = np.full(p, float(b))
    elif b.ndim != 1 or b.shape[0] != p:
        raise ValueError(f"{name} has shape {b.shape}, expected a scalar or ({p},).")
    if np.any(np.isnan(b)):
        raise ValueError(f"{name} must not contain NaN.")
    return b.copy()


def feature_scale(design):
    """glmnet's standardization scale: the weighted standard deviation with 1/n variance
    (weights summing to n), around the weighted mean even without an intercept (as glmnet)."""
    n = design.n_samples
    ms = np.asarray(design.norms2, dtype=np.float64) / n
    fit_intercept = getattr(design, "fit_intercept", None)
    if fit_intercept is None:
        raise NotImplementedError(
            "standardize=True needs to know whether this design was centred (a design built "
            "from statistics must set `fit_intercept`, and `X_mean` without an intercept).")
    if not fit_intercept:  # uncentred norms2: subtract the squared mean
        mean = getattr(design, "X_mean", None)  # designs built from statistics (dask)
        if mean is None:
            v = design.sqrt_sw if design.sqrt_sw is not None else np.ones(n, dtype=design.dtype)
            mean = design.correlations(v[:, None])[:, 0] / n
        ms = ms - np.asarray(mean, dtype=np.float64) ** 2
    return np.sqrt(np.maximum(ms, 0.0))


class OptionsProblem:
    """A `Design` with the glmnet-style options applied: kernel penalty arrays, unpenalized
    features partialled out, coefficient recovery and the relaxed refit.

    Built once per design and options (cached on the design) and reused for every alpha and
    target."""

    def __init__(self, design, *, penalty_factor=None, lower_bounds=None, upper_bounds=None,
                 positive=False, standardize=False):
        self.design = design
        p = design.n_features
        self.n_samples = design.n_samples
        pf, self.lo, self.hi = check_options(
            p, penalty_factor=penalty_factor, lower_bounds=lower_bounds,
            upper_bounds=upper_bounds, positive=positive)
        norms2 = np.asarray(design.norms2, dtype=np.float64)
        if standardize:
            s = feature_scale(design)
            pf = np.where(s > 0, pf, np.inf)  # constant columns stay at 0, as in glmnet
        else:
            s = np.ones(p)
        with np.errstate(invalid="ignore"):
            self.l1 = np.where(np.isinf(pf), np.inf, pf * s)
            self.l2 = np.where(np.isinf(pf), np.inf, pf * s * s)
        unbounded = np.isinf(self.lo) & np.isinf(self.hi)
        one_sided = (pf == 0) & (np.isinf(self.lo) != np.isinf(self.hi)) & (norms2 > 0)
        if np.any(one_sided):
            j = int(np.flatnonzero(one_sided)[0])
            raise ValueError(
                f"Feature {j} is unpenalized (penalty_factor 0) and bounded on one side only "
                f"([{self.lo[j]}, {self.hi[j]}]): its optimality cannot be certified by a "
                "duality gap. Give it both a lower and an upper bound, no bounds, or a small "
                "positive penalty factor.")
        free = (pf == 0) & unbounded & (norms2 > 0)
        self.U = np.flatnonzero(free)
        self.P = np.flatnonzero(~free)
        self.reduced = design if self.U.size == 0 else _PartialledOut(design, self.U, self.P)

    # -- kernel parameters of the penalized block -------------------------------------------
    def penalty(self, alpha, l1_ratio):
        P = self.P
        return penalty_arrays(P.size, self.design.dtype, alpha, l1_ratio, self.n_samples,
                              penalty_factor=self.l1[P], l2_factor=self.l2[P],
                              lower_bounds=self.lo[P], upper_bounds=self.hi[P])

    def alpha_max(self, l1_ratio):
        """Smallest alpha at which every penalized coefficient is 0 (max over targets), given the
        unpenalized features, the penalty factors, the standardization and the bounds."""
        red, P = self.reduced, self.P
        if P.size == 0:
            return 0.0
        C = red.XtY if red.kind == "gram" else red.correlations(red.Y)
        C = np.array(C, dtype=np.float64).reshape(P.size, -1)
        lo, hi, l1 = self.lo[P], self.hi[P], self.l1[P]
        boxed = np.flatnonzero((l1 == 0) & ((lo < 0) | (hi > 0)) & (np.asarray(red.norms2) > 0))
        if boxed.size:  # unpenalized boxed features move at any alpha: correlate with their fit
            cross = _cross_products(red, boxed)
            for k in range(C.shape[1]):
                C[:, k] -= cross @ _box_lstsq(red, boxed, k, lo[boxed], hi[boxed])
        usable = np.asarray(red.norms2) > 0  # an all-zero column never leaves 0
        return alpha_max_from_correlations(
            C[usable], self.n_samples, l1_ratio, penalty_factor=l1[usable],
            lower_bounds=lo[usable], upper_bounds=hi[usable])

    # -- solving -----------------------------------------------------------------------------
    def solve(self, k, w, alpha, l1_ratio, **solve_params):
        """Solve for one alpha, target k, from w (full length, updated in place).
        Returns (gap / n, epochs)."""
        P = self.P
        if P.size:
            wP = np.ascontiguousarray(w[P])
            lam, beta, lo, hi = penalty = self.penalty(alpha, l1_ratio)
            movable = np.flatnonzero(np.isfinite(lam) & ((lo < 0) | (hi > 0))
                                     & (np.asarray(self.reduced.norms2) > 0))
            if movable.size and not np.any(lam[movable] > 0) and not np.any(beta[movable] > 0):
                # no penalty left (alpha = 0 or boxed unpenalized features only): the kernel's
                # gap has no bounded dual, solve the box-constrained least squares directly
                wP[:] = 0.0
                wP[movable] = _box_lstsq(self.reduced, movable, k, lo[movable], hi[movable])
                gap, it = 0.0, 0
            else:
                gap, it = cd_solve(self.reduced, k, wP, penalty, **solve_params)
        else:
            wP, gap, it = np.zeros(0, dtype=w.dtype), 0.0, 0
        w[P] = wP
        if self.U.size:
            w[self.U] = self.reduced.recover(k, wP)
        return gap, it

    def refit(self, k, w):
        """Least squares on the active set of w (the unpenalized features included), within the
        bounds: glmnet's relaxed fit (lambda = 0 on the active set). The minimum-norm solution
        when the active columns are collinear (glmnet skips active sets of more than n - 3)."""
        A = np.union1d(np.flatnonzero(w), self.U)
        out = np.zeros_like(w)
        if A.size:
            out[A] = _box_lstsq(self.design, A, k, self.lo[A], self.hi[A])
        return out


class _PartialledOut:
    """The penalized columns and the targets projected on the orthogonal complement of the
    unpenalized columns U, in the form `solve` consumes ('dense' or 'gram'); `recover` gives
    the unpenalized coefficients from the penalized ones."""

    def __init__(self, design, U, P):
        d = design
        self.n_samples, self.dtype = d.n_samples, d.dtype
        self.n_features, self.is_sparse = P.size, False
        n_targets = d.Y.shape[1]
        tiny = 100 * np.finfo(d.dtype).eps
        norms_P = np.asarray(d.norms2, dtype=np.float64)[P]
        if d.kind == "dense":
            X = d.X
            XU = np.asarray(X[:, U], dtype=np.float64)
            rhs = np.hstack([np.asarray(X[:, P], dtype=np.float64),
                             np.asarray(d.Y, dtype=np.float64)])
            # least-squares coefficients of every penalized column and target on X_U
            self.B = linalg.lstsq(XU, rhs)[0]
            R = rhs
            R -= XU @ self.B
            Xt = R[:, :P.size]
            n2 = np.einsum("ij,ij->j", Xt, Xt)
            dead = n2 <= tiny * norms_P
            Xt[:, dead] = 0.0
            n2[dead] = 0.0
            self.kind = "dense"
            self.X = np.asfortranarray(Xt, dtype=d.dtype)
            self.Y = np.asfortranarray(R[:, P.size:], dtype=d.dtype)
            self.norms2 = np.ascontiguousarray(n2, dtype=d.dtype)
            self.yy = np.einsum("ij,ij->j", R[:, P.size:], R[:, P.size:])
        else:
            if d.kind == "gram":
                Q, q = np.asarray(d.Q, dtype=np.float64), np.asarray(d.XtY, dtype=np.float64)
            else:
                if d.n_features > MAX_GRAM_FEATURES:
                    raise ValueError(
                        f"Unpenalized features with sparse X are partialled out through the "
                        f"Gram matrix, which is limited to {MAX_GRAM_FEATURES} features (X has "
                        f"{d.n_features}). Pass X dense, or give those features a small "
                        "positive penalty_factor.")
                Q, q = _gram_block(d, np.arange(d.n_features), None)
            q = q.reshape(d.n_features, n_targets)
            QUU, QUP = Q[np.ix_(U, U)], Q[np.ix_(U, P)]
            # B = Q_UU^+ [Q_UP | q_U]: the same least-squares coefficients as the dense case
            self.B = linalg.pinvh(QUU) @ np.hstack([QUP, q[U]])
            Qt = Q[np.ix_(P, P)] - QUP.T @ self.B[:, :P.size]
            Qt = 0.5 * (Qt + Qt.T)
            qt = q[P] - QUP.T @ self.B[:, P.size:]
            dead = np.diag(Qt) <= tiny * norms_P
            Qt[dead, :] = 0.0
            Qt[:, dead] = 0.0
            qt[dead] = 0.0
            self.kind = "gram"
            self.Q = np.ascontiguousarray(Qt, dtype=d.dtype)
            self.XtY = np.asfortranarray(qt, dtype=d.dtype)
            self.norms2 = np.ascontiguousarray(np.diag(Qt), dtype=d.dtype)
            self.yy = np.maximum(
                np.asarray(d.yy, dtype=np.float64) - np.einsum("uk,uk->k", q[U],
                                                                self.B[:, P.size:]), 0.0)
            self.Y = np.empty((0, n_targets))  # only its number of columns is read

    def correlations(self, Y):
        return self.X.T @ Y

    def recover(self, k, wP):
        """Unpenalized coefficients: least squares of the partial residual y - X_P w_P on X_U."""
        nP = self.n_features
        return self.B[:, nP + k] - self.B[:, :nP] @ np.asarray(wP, dtype=np.float64)


def _gram_block(d, A, k):
    """(X~_A^T X~_A, X~_A^T y~_k) of the centred weighted design, without densifying X
    (k=None: every target, as a (|A|, n_targets) array)."""
    cols = slice(None) if k is None else [k]
    if d.kind == "gram":
        G = np.asarray(d.Q, dtype=np.float64)[np.ix_(A, A)]
        g = np.asarray(d.XtY, dtype=np.float64)[A][:, cols]
    elif d.is_sparse:
        XA = d._Xw[:, A].astype(np.float64)
        G = centred_sparse_gram(XA, np.asarray(d.mean, dtype=np.float64)[A] if d.center
                                else None, float(np.asarray(d.v, dtype=np.float64) @ d.v))
        Y = np.asarray(d.Y[:, cols], dtype=np.float64)
        g = np.asarray(XA.T @ Y, dtype=np.float64)
        if d.center:
            g -= np.outer(np.asarray(d.mean, dtype=np.float64)[A], d.v.astype(np.float64) @ Y)
    else:
        XA = np.asarray(d.X[:, A], dtype=np.float64)
        G = XA.T @ XA
        g = XA.T @ np.asarray(d.Y[:, cols], dtype=np.float64)
    return G, (g[:, 0] if k is not None else g)


def _cross_products(d, B):
    """X~^T X~_B (n_features, |B|) of a centred weighted design, X never densified beyond
    the columns B."""
    if d.kind == "gram":
        return np.asarray(d.Q, dtype=np.float64)[:, B]
    if d.is_sparse:
        XB = d._Xw[:, B].toarray()
        if d.center:
            XB = XB - np.outer(d.v, d.mean[B])
        return np.asarray(d.correlations(XB.astype(d.dtype)), dtype=np.float64)
    return np.asarray(d.X.T @ d.X[:, B], dtype=np.float64)


def _box_lstsq(d, A, k, lo, hi):
    """argmin ||y~_k - X~_A v||^2 over lo <= v <= hi for the centred weighted design d
    (dense: on the columns; otherwise from the Gram block, X never densified); minimum norm
    when unbounded and the columns are collinear."""
    bounded = np.any(np.isfinite(lo)) or np.any(np.isfinite(hi))
    if d.kind == "dense":
        XA = np.asarray(d.X[:, A], dtype=np.float64)
        y = np.asarray(d.Y[:, k], dtype=np.float64)
        if bounded:
            return lsq_linear(XA, y, bounds=(lo, hi), method="bvls", tol=1e-13).x
        return linalg.lstsq(XA, y)[0]
    G, g = _gram_block(d, A, k)
    return _least_squares_gram(G, g, lo if bounded else None, hi if bounded else None)


def _least_squares_gram(G, g, lo=None, hi=None):
    """argmin 1/2 v^T G v - g^T v (within [lo, hi]), minimum norm when G is singular."""
    e, V = linalg.eigh(G)
    keep = e > max(e.max(), 0.0) * G.shape[0] * np.finfo(np.float64).eps
    if lo is None:
        return V[:, keep] @ ((V[:, keep].T @ g) / e[keep])
    # 1/2 ||R v - c||^2 with R = E^1/2 V^T, c = E^-1/2 V^T g (g lies in the range of G)
    R = np.sqrt(e[keep])[:, None] * V[:, keep].T
    c = (V[:, keep].T @ g) / np.sqrt(e[keep])
    return lsq_linear(R, c, bounds=(lo, hi), method="bvls", tol=1e-13).x


def options_problem(design, positive=False, **options):
    """The OptionsProblem of `design` for these options. The design keeps the last one
    (`design.options_problem`): the grid's alpha_max and the path that follows share its
    partialling-out."""
    key_parts = [bool(positive), bool(options.get("standardize", False))]
    for name in ("penalty_factor", "lower_bounds", "upper_bounds"):
        value = options.get(name)
        key_parts.append(None if value is None else np.asarray(value, dtype=np.float64).tobytes()
                         + str(np.shape(value)).encode())
    key = tuple(key_parts)
    kept = design.options_problem
    if kept is None or kept[0] != key:
        problem = OptionsProblem(
            design, positive=positive, standardize=options.get("standardize", False),
            **{name: options.get(name) for name in ("penalty_factor", "lower_bounds",
                                                    "upper_bounds")})
        design.options_problem = kept = (key, problem)
    return kept[1]


def options_alpha_max(design, l1_ratio, positive=False, **options):
    """alpha_max of `design` under the options (penalty factors, bounds, standardization,
    unpenalized features partialled out)."""
    return options_problem(design, positive, **options).alpha_max(l1_ratio)


def options_path(design, k, alphas, l1_ratio, *, coef_init=None, tol=1e-4, max_iter=1000,
                 positive=False, selection="cyclic", random_state=None, warn=True,
                 callback=None, relax=False, gamma=1.0, return_refits=False, **options):
    """`solve_path` with glmnet-style options, for target k.

    Returns coefs (n_features, n_alphas) -- gamma-blended when ``relax`` --, dual gaps of the
    penalized fits (n_alphas,), epochs (list). With ``return_refits=True`` (and ``relax``),
    returns (penalized coefs, least-squares refits, gaps, epochs) instead, so that a search
    over gamma blends them without solving again: coefs(gamma) = gamma * pen + (1 - gamma) *
    refit."""
    problem = options_problem(design, positive, **options)
    p = design.n_features
    w = np.zeros(p, dtype=design.dtype) if coef_init is None else np.array(
        coef_init, dtype=design.dtype, order="C").ravel()
    coefs = np.empty((p, len(alphas)), dtype=design.dtype)
    refits = np.empty((p, len(alphas)), dtype=design.dtype) if relax else None
    gaps = np.empty(len(alphas))
    n_iters = []
    for i, alpha in enumerate(alphas):
        gaps[i], it = problem.solve(k, w, alpha, l1_ratio, tol=tol, max_iter=max_iter,
                                    selection=selection, random_state=random_state, warn=warn)
        n_iters.append(it)
        coefs[:, i] = w
        if relax:
            refits[:, i] = problem.refit(k, w)
        if callback is not None:
            callback(i, coefs[:, i] if not relax else
                     gamma * coefs[:, i] + (1.0 - gamma) * refits[:, i])
    if relax and return_refits:
        return coefs, refits, gaps, n_iters
    if relax:
        coefs = (gamma * coefs + (1.0 - gamma) * refits).astype(design.dtype, copy=False)
    return coefs, gaps, n_iters
