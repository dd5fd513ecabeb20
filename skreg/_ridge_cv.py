"""RidgeCV: ridge regression with the penalty chosen by cross-validation.

Two engines, both exact and both from one decomposition serving every alpha:

- leave-one-out (``cv=None``, scikit-learn's efficient "GCV"): one eigendecomposition (or SVD)
  of the centred weighted data, then O(n k) per alpha (k = min(n, p)) instead of n refits;
- k-fold (any other ``cv``): per fold, one eigendecomposition of the smaller Gram matrix (X'X
  or XX') of the centred, weighted training part gives the held-out predictions of every alpha
  at O(n_test k) each. The scores are those of ``GridSearchCV(Ridge(), {"alpha": alphas}, cv)``
  (same splits, scorer, averaging and tie-breaking), as scikit-learn's RidgeCV computes them.
  Sparse X whose Gram matrices would all be large falls back to one Ridge fit per alpha.
"""

import inspect
import warnings
from numbers import Real

import numpy as np
from scipy import linalg, sparse
from sklearn import get_config
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.metrics import check_scoring, get_scorer, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils import check_array, check_scalar
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping, process_routing
from sklearn.utils.validation import validate_data

from . import _dask_data
from ._dask_ridge import fit_ridge_cv
from ._design import Design
from ._input import check_dense_targets
from ._linear import FEATURES_IN_DOC, LinearPredictorMixin, store_init_params
from ._ridge import SPARSE_DIRECT_MAX, Ridge, _dual_gram, _primal_gram, _xc_dot, _xct_dot, eigh_evd
from ._scoring import IdentityRegressor, metric_columns, vector_metric
from ._sklearn_compat import (
    Interval,
    StrOptions,
    _check_method_params,
    _check_sample_weight,
    _fit_context,
    _safe_indexing,
)

# --------------------------------------------------------------------------------------------
# Leave-one-out (cv=None)
# --------------------------------------------------------------------------------------------

# Leave-one-out residuals are computed for this many floats' worth of alphas at a time
# (n_samples x (n_targets + 2) per alpha): a few matrix products instead of several
# matrix-vector products per alpha, within a bounded memory.
LOO_BLOCK_SIZE = 1 << 22

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
            self.lam, self.Q = eigh_evd(_dual_gram(design))
        else:
            self.lam, self.V = eigh_evd(_primal_gram(design))
            self.B = _xc_dot(design, self.V)
        M = self.Q if self.wide else self.B
        self.M2 = M**2
        self.MtY = M.T @ Y
        self.Mtv = M.T @ sqrt_sw if self.wide else None

    def residuals(self, alphas, fit_intercept):
        """Leave-one-out residuals (n_samples, n_targets, len(alphas)) in the weighted scale.

        All alphas at once: the products with the basis of every alpha, every target and the
        intercept's direction are one matrix product, and the leverages another."""
        D = 1.0 / (self.lam[:, None] + alphas[None, :])  # (k, n_alphas)
        v = self.sqrt_sw
        n_y, k = self.MtY.shape[1], self.lam.shape[0]
        # n > p: the columns of B = Xc V lie in the range of Xc, orthogonal to sqrt(sw)
        # (Xc' sqrt(sw) = 0 for the centred data): the intercept adds its leverage only
        along_v = fit_intercept and self.wide
        R = np.empty((k, n_y + along_v, len(alphas)))
        R[:, :n_y, :] = self.MtY[:, :, None] * D[:, None, :]
        if along_v:
            R[:, n_y, :] = self.Mtv[:, None] * D
        M = self.Q if self.wide else self.B
        P = (M @ R.reshape(k, -1)).reshape(M.shape[0], n_y + along_v, len(alphas))
        d = self.M2 @ D  # (n, n_alphas)
        # in place from here: the (n, n_targets, n_alphas) temporaries are as large as the
        # work on them
        if self.wide:
            c = P[:, :n_y, :]
            if fit_intercept:
                d -= P[:, n_y, :] * (v / (v @ v))[:, None]
        else:
            c = np.subtract(self.design.Y[:, :, None], P, out=P)
            np.subtract(1.0, d, out=d)
            if fit_intercept:
                d -= (v * v / (v @ v))[:, None]
        c /= d[:, None, :]
        return c

    def iter_blocks(self, alphas, fit_intercept):
        """(slice of alphas, their leave-one-out residuals (n_samples, n_targets, block)) in
        blocks of alphas that keep the temporaries near LOO_BLOCK_SIZE floats."""
        n, n_y = self.design.n_samples, self.MtY.shape[1]
        step = max(1, LOO_BLOCK_SIZE // max(n * (n_y + 2), 1))
        for start in range(0, len(alphas), step):
            block = slice(start, start + step)
            yield block, self.residuals(alphas[block], fit_intercept)

    def iter_residuals(self, alphas, fit_intercept):
        """(alpha, leave-one-out residuals (n_samples, n_targets)) for every alpha in turn."""
        for block, looe in self.iter_blocks(alphas, fit_intercept):
            for i, alpha in enumerate(alphas[block]):
                yield float(alpha), looe[:, :, i]

    def coef(self, alphas):
        """Coefficients (n_targets, n_features), target k fitted with alphas[k]."""
        D = 1.0 / (self.lam[:, None] + alphas[None, :])
        if self.wide:
            return _xct_dot(self.design, self.Q @ (D * self.MtY)).T
        return (self.V @ (D * self.MtY)).T


def _score(scorer, pred, y, score_params, per_target):
    """Score leave-one-out predictions (n_samples, n_targets) against y with a scorer."""
    identity = IdentityRegressor()
    if per_target:
        return np.array([scorer(identity, pred[:, j], y[:, j], **score_params)
                         for j in range(pred.shape[1])])
    if y.ndim == 1:
        pred = pred[:, 0]
    return scorer(identity, pred, y, **score_params)


def _first_best(scores):
    """Index of the best score along axis 0, the first one on ties. A NaN never wins, unless
    it comes first: it is then kept, as a running "score > best" comparison keeps it."""
    best = np.argmax(np.where(np.isnan(scores), -np.inf, scores), axis=0)
    return np.where(np.isnan(scores[0]), 0, best)


# --------------------------------------------------------------------------------------------
# k-fold (cv given)
# --------------------------------------------------------------------------------------------

def _centred_dot(design, X, M):
    """(X - x_offset) @ M for held-out rows X (dense or sparse), x_offset the training mean."""
    return np.asarray(X @ M) - design.X_offset @ M


def _centred_cross(design, X):
    """(X - x_offset) @ Xc' for held-out rows X, Xc the centred weighted training design."""
    if not design.is_sparse:
        return (X - design.X_offset) @ design.X.T
    # Xc = Xw - v mean' (implicit centring), so the cross product expands into sparse products
    # and rank-one corrections; the held-out rows are never densified
    out = np.asarray((sparse.csr_matrix(X) @ design._Xw.T).toarray())
    out -= np.outer(np.asarray(X @ design.mean).ravel(), design.v)
    out -= np.asarray(design._Xw @ design.X_offset).ravel()[None, :]
    out += float(design.X_offset @ design.mean) * design.v[None, :]
    return out


class _FoldPath:
    """Ridge on one training part for every alpha, from one eigendecomposition of the smaller
    Gram matrix of its centred, weighted data (Xc'Xc = V diag(lam) V', or XcXc' = Q diag(lam)
    Q' when p > n):

        w(a) = V diag(1 / (lam + a)) V'Xc'y      or      w(a) = Xc' Q diag(1 / (lam + a)) Q'y

    Eigenvalues that are zero to rounding with a = 0 are dropped (minimum-norm solution, as
    Ridge's fallback on singular systems)."""

    def __init__(self, design, X_test):
        self.design = design
        self.dual = design.n_features > design.n_samples
        if self.dual:
            self.lam, Q = eigh_evd(_dual_gram(design))
            self.B = Q.T @ design.Y
            self.Q = Q
            self.A = _centred_cross(design, X_test) @ Q
        else:
            self.lam, V = eigh_evd(_primal_gram(design))
            self.B = V.T @ _xct_dot(design, design.Y)
            self.V = V
            self.A = _centred_dot(design, X_test, V)
        scale = max(float(np.max(np.abs(self.lam), initial=0.0)), 1.0)
        self.cutoff = max(len(self.lam), 1) * np.finfo(np.float64).eps * scale

    def _inverse(self, alpha):
        shifted = self.lam + alpha
        ok = shifted > self.cutoff
        return np.where(ok, 1.0 / np.where(ok, shifted, 1.0), 0.0)

    def predict(self, alpha):
        """Held-out predictions (n_test, n_targets)."""
        return self.A @ (self._inverse(alpha)[:, None] * self.B) + self.design.y_offset

    def predict_all(self, alphas):
        """Held-out predictions of every alpha at once: (n_test, n_alphas * n_targets),
        column a * n_targets + t for alpha a, target t (one matrix product)."""
        shifted = self.lam[:, None] + alphas[None, :]
        ok = shifted > self.cutoff
        inverse = np.where(ok, 1.0 / np.where(ok, shifted, 1.0), 0.0)  # (k, n_alphas)
        M = (inverse[:, :, None] * self.B[:, None, :]).reshape(len(self.lam), -1)
        return self.A @ M + np.tile(self.design.y_offset, len(alphas))

    def coef(self, alpha):
        """Coefficients (n_targets, n_features) and intercepts (n_targets,)."""
        D = self._inverse(alpha)[:, None] * self.B
        W = _xct_dot(self.design, self.Q @ D) if self.dual else self.V @ D
        return W.T, self.design.y_offset - self.design.X_offset @ W


def _as_fitted_ridge(coef, intercept, fit_intercept, alpha, y_ndim, n_features):
    """A fitted Ridge holding given coefficients, for scorers that need an estimator."""
    est = Ridge(alpha=alpha, fit_intercept=fit_intercept)
    est.coef_ = coef[0] if coef.shape[0] == 1 else coef
    est.intercept_ = (intercept[0] if y_ndim == 1 else intercept) if fit_intercept else 0.0
    est.n_features_in_ = n_features
    return est


def _kfold_scores(X, y, sample_weight, alphas, splits, scorer, score_params, fit_intercept):
    """Score (n_alphas, n_splits) of Ridge(alpha) fitted on each training part and scored on
    the held-out part, as GridSearchCV's `_fit_and_score` computes it."""
    callable_scorer = not hasattr(scorer, "_score_func") and not _is_passthrough(scorer)
    scores = np.empty((len(alphas), len(splits)))
    n_features = X.shape[1]
    if sparse.issparse(X):
        X = X.tocsr()
    for k, (train, test) in enumerate(splits):
        X_train, X_test = _safe_indexing(X, train), _safe_indexing(X, test)
        y_train, y_test = _safe_indexing(y, train), _safe_indexing(y, test)
        sw = None if sample_weight is None else sample_weight[train]
        params = _check_method_params(X, params=score_params, indices=test)
        path = None
        if not sparse.issparse(X) or min(len(train), n_features) <= SPARSE_DIRECT_MAX:
            Xd = X_train.astype(np.float64, copy=False)
            design = Design(Xd, y_train.astype(np.float64, copy=False),
                            fit_intercept=fit_intercept,
                            sample_weight=None if sw is None else sw.astype(np.float64),
                            fortran=False)
            path = _FoldPath(design, X_test.astype(np.float64, copy=False))
            # the usual regression metrics score every alpha of the fold in one call
            metric = None if callable_scorer else vector_metric(scorer, Ridge(), params,
                                                                len(test))
            if metric is not None:
                Y_test = np.asarray(y_test, dtype=np.float64).reshape(len(test), -1)
                scores[:, k] = metric_columns(metric, Y_test, path.predict_all(alphas),
                                              params.get("sample_weight")).mean(axis=1)
                continue
        for i, alpha in enumerate(alphas):
            if path is None:
                # sparse X with large Gram matrices: one fit per alpha (iterative solver)
                est = Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(
                    X_train, y_train, sample_weight=sw)
                scores[i, k] = scorer(est, X_test, y_test, **params)
            elif callable_scorer:
                coef, intercept = path.coef(float(alpha))
                est = _as_fitted_ridge(coef, intercept, fit_intercept, alpha, y.ndim, n_features)
                scores[i, k] = scorer(est, X_test, y_test, **params)
            else:
                pred = path.predict(float(alpha))
                pred = pred[:, 0] if pred.shape[1] == 1 else pred
                scores[i, k] = scorer(IdentityRegressor(), pred, y_test, **params)
    return scores


def _accepts_sample_weight(scorer):
    """Whether GridSearchCV (without metadata routing) passes sample_weight to the scorer."""
    if hasattr(scorer, "_accept_sample_weight"):
        return bool(scorer._accept_sample_weight())
    return "sample_weight" in inspect.signature(scorer).parameters


def _is_passthrough(scorer):
    """check_scoring's scorer for scoring=None: the estimator's own `score` (R^2 here)."""
    return type(scorer).__name__ == "_PassthroughScorer"


class RidgeCV(LinearPredictorMixin, MultiOutputMixin, RegressorMixin, BaseEstimator):
    __doc__ = f"""Ridge regression with built-in cross-validation (drop-in for scikit-learn's
    ``RidgeCV``).

    With ``cv=None`` (default) the alphas are compared by exact, efficient leave-one-out
    cross-validation: one decomposition of the centred data (eigendecomposition of the smaller
    of X'X and XX', or the SVD of X with ``gcv_mode='svd'``), after which each alpha costs
    O(n_samples * min(n_samples, n_features)) per target. Otherwise by the scores of
    ``GridSearchCV(Ridge(), {{"alpha": alphas}}, cv=cv)`` (same splits, scorer and choice), each
    fold solved for every alpha from one eigendecomposition of its smaller Gram matrix.

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
    gcv_mode : {{'auto', 'svd', 'eigen'}} or None, default=None
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
    cv_scores_ : ndarray of shape (n_alphas, n_splits)
        Score of each alpha (in the order of ``alphas``) on each held-out fold; only with a
        ``cv`` (skreg's addition: scikit-learn keeps only the best mean, ``best_score_``).
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Weight vector(s).
    intercept_ : float or ndarray of shape (n_targets,)
        Independent term; 0.0 when ``fit_intercept=False``.
    alpha_ : float or ndarray of shape (n_targets,)
        Selected alpha (per target with ``alpha_per_target=True``).
    best_score_ : float or ndarray of shape (n_targets,)
        Score of the selected alpha (per target with ``alpha_per_target=True``).
{FEATURES_IN_DOC}

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
        store_init_params(self, locals())

    def _checked_alphas(self):
        """alphas as a 1-D float array; > 0 for leave-one-out (the hat matrix needs it), with
        scikit-learn's messages."""
        if isinstance(self.alphas, (list, tuple)):
            values = list(self.alphas)
        else:
            raw = np.asarray(self.alphas)
            if raw.ndim and raw.dtype.kind == "f":  # one vectorized check of a float grid
                values = raw.ravel().astype(np.float64)
                low = values.min(initial=np.inf)
                if values.size and (low > 0 or (low == 0 and self.cv is not None)) \
                        and np.isfinite(values.max()):
                    return values
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
        check_dense_targets(y)
        routing = get_config()["enable_metadata_routing"]
        if params and not routing:
            raise ValueError(
                f"Passing extra keyword arguments to {self.__class__.__name__}.fit is only "
                "supported if enable_metadata_routing=True, which you can set using "
                "`sklearn.set_config`.")
        alphas = self._checked_alphas()
        if _dask_data.is_dask(X):  # from statistics reduced on the cluster
            return fit_ridge_cv(self, X, y, sample_weight, alphas, params)
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        if self.cv is None:
            if routing:
                score_params = process_routing(self, "fit", **params).scorer.score
            else:
                score_params = {} if sample_weight is None else {"sample_weight": sample_weight}
            self._fit_loo(X, y, sample_weight, alphas, score_params)
        else:
            self._fit_kfold(X, y, sample_weight, alphas, params, routing)
        return self

    def _fit_kfold(self, X, y, sample_weight, alphas, params, routing):
        if self.store_cv_results:
            raise ValueError("cv!=None and store_cv_results=True are incompatible")
        if self.alpha_per_target:
            raise ValueError("cv!=None and alpha_per_target=True are incompatible")
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"],
                             dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
        y = check_array(y, dtype=X.dtype, ensure_2d=False, input_name="y")
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype,
                                                 ensure_non_negative=True)
        scorer = self._get_scorer()
        # GridSearchCV's routing: with metadata routing, whatever the scorer and splitter
        # request; without it, the weights reach the held-out scores when the scorer takes them
        if routing:
            routed = process_routing(self, "fit", **params)
            split_params, score_params = routed.splitter.split, routed.scorer.score
        else:
            split_params, score_params = {}, {}
            if sample_weight is not None:
                if _accepts_sample_weight(scorer):
                    score_params = {"sample_weight": sample_weight}
                else:
                    warnings.warn(
                        f"The scoring {self.scoring!r} does not take sample_weight: the "
                        "held-out scores are unweighted although the fits are weighted.",
                        UserWarning, stacklevel=3)
        splits = list(check_cv(self.cv, y, classifier=False).split(X, y, **split_params))
        scores = _kfold_scores(X, y, sample_weight, alphas, splits, scorer, score_params,
                               self.fit_intercept)
        mean = np.average(scores, axis=1)
        # the first alpha of the best mean score (NaN ranks last), as GridSearchCV's ranking
        best = int(np.argmax(np.where(np.isnan(mean), -np.inf, mean)))
        model = Ridge(alpha=alphas[best], fit_intercept=self.fit_intercept)
        model.fit(X, y, sample_weight=sample_weight)
        self.alpha_ = alphas[best]
        self.best_score_ = mean[best]
        self.cv_scores_ = scores
        self.coef_, self.intercept_ = model.coef_, model.intercept_

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
        design = Design(X, y, fit_intercept=self.fit_intercept, sample_weight=sample_weight,
                        fortran=False)
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
        metric = None if scorer is None else vector_metric(scorer, Ridge(), score_params, n)
        if scorer is None:
            scores = self._mse_scores(loo, alphas, cv_results if self.store_cv_results else None)
            raw = scores if per_target else scores.reshape(len(alphas))
        elif metric is not None:  # a usual regression metric: every alpha in one call
            scores = self._metric_scores(loo, alphas, metric, y, sqrt_sw, sample_weight,
                                         score_params.get("sample_weight"), per_target,
                                         cv_results if self.store_cv_results else None)
            raw = scores if per_target else [float(v) for v in scores]
        else:
            raw = []
            for i, (_, looe) in enumerate(loo.iter_residuals(alphas, self.fit_intercept)):
                pred = Yw - looe
                if sample_weight is not None:
                    pred = pred / sqrt_sw[:, None]
                pred = pred + design.y_offset
                if self.store_cv_results:
                    cv_results[:, :, i] = pred
                raw.append(_score(scorer, pred, y, score_params, per_target))
            scores = np.asarray(raw, dtype=np.float64)
        if per_target:  # (n_alphas, n_targets)
            best = _first_best(scores.reshape(len(alphas), n_y))
            best_alpha = alphas[best]
            best_score = scores.reshape(len(alphas), n_y)[best, np.arange(n_y)]
        else:
            scores = scores.reshape(len(alphas))
            best = int(_first_best(scores))
            best_alpha, best_score = float(alphas[best]), raw[best]  # the scorer's own type

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
        if self.alpha_per_target and y.ndim == 2 and n_y == 1:
            best_score = np.atleast_1d(np.asarray(best_score, dtype=np.float64))  # as sklearn
        self.best_score_ = best_score
        if self.store_cv_results:
            shape = (n, len(alphas)) if y.ndim == 1 else (n, n_y, len(alphas))
            self.cv_results_ = cv_results.reshape(shape).astype(dtype, copy=False)

    def _mse_scores(self, loo, alphas, cv_results):
        """Minus the mean squared leave-one-out error of every alpha: (n_alphas,), or
        (n_alphas, n_targets) with alpha_per_target; the squared errors go to cv_results."""
        n_y = loo.MtY.shape[1]
        scores = np.empty((len(alphas), n_y) if self.alpha_per_target else len(alphas))
        for block, sq in loo.iter_blocks(alphas, self.fit_intercept):
            np.square(sq, out=sq)
            if cv_results is not None:
                cv_results[:, :, block] = sq
            # (n, n_targets, block) -> (block,) or (block, n_targets)
            mean = sq.mean(axis=0).T if self.alpha_per_target else sq.mean(axis=(0, 1))
            scores[block] = -mean
        return scores

    def _metric_scores(self, loo, alphas, metric, y, sqrt_sw, sample_weight, score_weight,
                       per_target, cv_results):
        """The scores of the leave-one-out predictions of every alpha for one of the usual
        regression metrics, as its scorer computes them alpha by alpha: (n_alphas,), or
        (n_alphas, n_targets) per target; the predictions go to cv_results."""
        design = loo.design
        n, n_y = design.n_samples, design.Y.shape[1]
        Y = np.asarray(y, dtype=np.float64).reshape(n, n_y)
        scores = np.empty((len(alphas), n_y))
        for block, looe in loo.iter_blocks(alphas, self.fit_intercept):
            pred = design.Y[:, :, None] - looe
            if sample_weight is not None:
                pred /= sqrt_sw[:, None, None]
            pred += design.y_offset[None, :, None]
            if cv_results is not None:
                cv_results[:, :, block] = pred
            # (n, n_targets, block) -> columns alpha-major, the targets of an alpha side by side
            scores[block] = metric_columns(metric, Y, pred.transpose(0, 2, 1).reshape(n, -1),
                                           score_weight)
        return scores if per_target else scores.mean(axis=1)

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
