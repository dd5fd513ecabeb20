"""ElasticNet and Lasso estimators (scikit-learn's objective, skreg's solver)."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin

from . import _dask_data
from ._input import check_enet_sample_weight, make_design, validate_fit_data
from ._linear import LinearPredictorMixin, store_init_params
from ._path import enet_path, solve_alphas
from ._path_protocol import (
    enet_blend_param,
    enet_path_model,
    enet_solve_path,
    enet_statistics_path,
    is_nonnegative_real,
)
from ._penalty_options import active_options
from ._sklearn_compat import Interval, StrOptions, _check_n_features, _fit_context
from ._solve import cd_solve, penalty_arrays

# The parameters and attributes ElasticNet and Lasso share (numpydoc sections of both).
_OPTIONS_DOC = """    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol * ||y||^2``.
    warm_start : bool, default=False
        Start from the previous solution.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    random_state : int, RandomState instance or None, default=None
        Seed of the coordinate order when ``selection='random'``.
    selection : {'cyclic', 'random'}, default='cyclic'
        Coordinate order.
    penalty_factor : array-like of shape (n_features,), default=None
        Non-negative per-feature weights ``pf_j`` on both penalty terms (``alpha * pf_j *
        [l1_ratio |w_j| + (1 - l1_ratio) / 2 w_j^2]``); 0 leaves a feature unpenalized
        (partialled out exactly, like the intercept), ``inf`` excludes it (``w_j = 0``).
        Used as given (None is all ones, scikit-learn's problem). glmnet rescales its
        ``penalty.factor`` to sum to n_features (an ``Inf`` counting as 1): glmnet's fit with
        factors ``v`` at ``lambda`` is skreg's with ``penalty_factor=v * p / sum(v)``
        at ``alpha=lambda``.
    lower_bounds, upper_bounds : float or array-like of shape (n_features,), default=None
        Box constraints ``lower_bounds <= w <= upper_bounds`` (glmnet's ``lower.limits`` /
        ``upper.limits``), on the original scale of X; each box must contain 0.
        ``positive=True`` is the shorthand of ``lower_bounds=0`` (both given: intersected).
    standardize : bool, default=False
        Penalize the coefficients of unit-variance columns (the weighted standard deviation
        with 1/n variance, around the mean even without intercept, as glmnet's default
        ``standardize=TRUE``); coefficients are returned on the original scale. X is never
        rescaled or densified: the scale enters the per-feature penalty weights.
    relax : bool, default=False
        Relaxed fit (glmnet's ``relax=TRUE``): refit least squares (within the bounds) on the
        active set and return ``gamma * w_penalized + (1 - gamma) * w_refit``.
    gamma : float in [0, 1], default=1.0
        Blend of the relaxed fit (needs ``relax=True``): 1 is the penalized fit, 0 the
        least-squares refit. ``dual_gap_`` is that of the penalized fit."""

_ATTRIBUTES_DOC = """    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients.
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept.
    n_iter_ : int or list of int
        Coordinate-descent epochs run (per target).
    dual_gap_ : float or ndarray of shape (n_targets,)
        Duality gap reached, in the scale of the objective above.
    sparse_coef_ : sparse matrix of shape (1, n_features)
        ``coef_`` as a sparse matrix.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names."""


def trusted_fit_data(est, X, y, sample_weight):
    """``fit(check_input=False)``: X and y taken as given, as scikit-learn does (no copy, no
    finiteness check); only what the kernels cannot take is refused, in one message."""
    if _dask_data.is_dask(X) or not (sparse.issparse(X) or isinstance(X, np.ndarray)):
        return validate_fit_data(est, X, y, sample_weight)
    if (not sparse.issparse(X) and not X.flags.f_contiguous and sample_weight is not None
            and X.dtype in (np.float32, np.float64)):
        X = np.asfortranarray(X)  # rescaled by the weights anyway (a copy), as scikit-learn
    if X.dtype not in (np.float32, np.float64) or X.ndim != 2 or (
            not sparse.issparse(X) and not X.flags.f_contiguous):
        raise ValueError(
            "With check_input=False, X must be a Fortran-ordered (column-major) 2-D float64 "
            "or float32 array or a sparse matrix; got "
            f"{'a sparse matrix' if sparse.issparse(X) else 'an array'} of dtype {X.dtype}"
            f"{'' if sparse.issparse(X) or X.flags.f_contiguous else ' in C order'}. "
            "Use check_input=True to convert it.")
    y = np.asarray(y, dtype=X.dtype, order="F")
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"X and y have inconsistent numbers of samples: {X.shape[0]} and {y.shape[0]}.")
    _check_n_features(est, X, reset=True)
    if sample_weight is not None:
        sample_weight = check_enet_sample_weight(sample_weight, X)
    return X, y, sample_weight


class ElasticNet(LinearPredictorMixin, MultiOutputMixin, RegressorMixin, BaseEstimator):
    __doc__ = f"""Linear regression with combined L1 and L2 priors as regularizer.

    Minimizes the objective function (identical to scikit-learn's ``ElasticNet``)::

        1 / (2 * n_samples) * ||y - Xw - b||^2_2
        + alpha * l1_ratio * ||w||_1
        + 0.5 * alpha * (1 - l1_ratio) * ||w||^2_2

    In the textbook form ``1/n * sum((y - y_hat)**2) + lambda_1 ||w||_1 + lambda_2 ||w||^2``
    this is ``lambda_1 = 2 * alpha * l1_ratio`` and ``lambda_2 = alpha * (1 - l1_ratio)``.

    Solved by coordinate descent with working sets, Anderson extrapolation and gap-safe
    screening; it stops when the duality gap is at most ``tol * ||y||^2`` (y centred when
    fitting an intercept), the same certificate as scikit-learn.

    Parameters
    ----------
    alpha : float, default=1.0
        Constant that multiplies the penalty terms.
    l1_ratio : float, default=0.5
        Mixing parameter, ``0 <= l1_ratio <= 1``; 1 is the Lasso, 0 a ridge penalty.
    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept. Sparse X is never densified: centring is
        folded into the coordinate updates.
    precompute : bool or array-like of shape (n_features, n_features), default=False
        Use a precomputed Gram matrix (covariance updates); True computes it. Recommended
        when n_samples >> n_features.
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs.
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: X is never written to.
{_OPTIONS_DOC}

{_ATTRIBUTES_DOC}

    Examples
    --------
    >>> from skreg import ElasticNet
    >>> from sklearn.datasets import load_diabetes
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = ElasticNet(alpha=0.01).fit(X, y)
    >>> round(model.score(X, y), 3)
    0.453
    """

    _parameter_constraints: dict = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "precompute": ["boolean", "array-like"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],  # (None: a clear error)
        "copy_X": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
        "penalty_factor": ["array-like", None],
        "lower_bounds": [Real, "array-like", None],
        "upper_bounds": [Real, "array-like", None],
        "standardize": ["boolean"],
        "relax": ["boolean"],
        "gamma": [Interval(Real, 0, 1, closed="both")],
    }

    path = staticmethod(enet_path)

    def __init__(self, alpha=1.0, *, l1_ratio=0.5, fit_intercept=True, precompute=False,
                 max_iter=1000, copy_X=True, tol=1e-4, warm_start=False, positive=False,
                 random_state=None, selection="cyclic", penalty_factor=None,
                 lower_bounds=None, upper_bounds=None, standardize=False, relax=False,
                 gamma=1.0):
        store_init_params(self, locals())

    # The path-estimator protocol (see skreg._path_tasks): PathSearchCV solves one
    # warm-started alpha path per fold instead of one fit per alpha.
    _path_param = "alpha"
    _path_fit_params = frozenset({"sample_weight", "check_input"})
    _is_path_value = staticmethod(is_nonnegative_real)

    def _solve_path(self, X, y, sample_weight, values, *, precompute="auto", blend=None):
        return enet_solve_path(self, X, y, sample_weight, values, precompute=precompute,
                               blend=blend)

    def _path_model(self, result, j):
        return enet_path_model(self, result, j)

    def _solve_path_statistics(self, stats, y, values, *, blend=None, dtype=np.float64):
        return enet_statistics_path(self, stats, y, values, blend=blend, dtype=dtype)

    def _path_blend_param(self, sub_grid):
        return enet_blend_param(self, sub_grid)

    # Options beyond scikit-learn's (glmnet-style); defaults keep scikit-learn's problem.
    def _penalty_options(self):
        """The non-default glmnet-style options, as solve_alphas / enet_path take them."""
        return active_options(
            penalty_factor=self.penalty_factor, lower_bounds=self.lower_bounds,
            upper_bounds=self.upper_bounds, standardize=self.standardize, relax=self.relax,
            gamma=self.gamma)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, check_input=True):
        """Fit the model by coordinate descent.

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Training data. Fortran-ordered float64/float32 or CSC avoids any copy.
        y : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Target; one independent problem per column.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Sample weights, rescaled internally to sum to n_samples.
        check_input : bool, default=True
            If False, X and y are taken as given (as scikit-learn: X must then be a
            Fortran-ordered float64/float32 array or a CSC matrix, y is cast to its dtype);
            for callers that validated them already.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        if self.alpha == 0:
            warnings.warn(
                "With alpha=0, this algorithm does not converge well. You are advised to "
                "use the LinearRegression estimator", stacklevel=2)
        if check_input:
            X, y, sample_weight = validate_fit_data(self, X, y, sample_weight)
        else:
            X, y, sample_weight = trusted_fit_data(self, X, y, sample_weight)
        design = make_design(X, y, fit_intercept=self.fit_intercept,
                             sample_weight=sample_weight, precompute=self.precompute,
                             copy_X=self.copy_X)
        n_targets = design.Y.shape[1]
        p = X.shape[1]
        dtype = design.dtype  # (X's, or float64 for float32 sparse X centred at a loss)
        if self.warm_start and hasattr(self, "coef_") and np.shape(self.coef_)[-1] == p:
            coef = np.array(np.atleast_2d(self.coef_), dtype=dtype, order="C")
            if coef.shape[0] != n_targets or not np.all(np.isfinite(coef)):
                coef = np.zeros((n_targets, p), dtype=dtype)
        else:
            coef = np.zeros((n_targets, p), dtype=dtype)
        options = self._penalty_options()
        penalty = None if options else penalty_arrays(
            p, dtype, self.alpha, self.l1_ratio, design.n_samples, positive=self.positive)
        gaps = np.zeros(n_targets, dtype=dtype)
        n_iter = []
        for k in range(n_targets):
            w = np.ascontiguousarray(coef[k])
            if options:  # glmnet-style options: skreg._glmnet_options
                path, g, its = solve_alphas(
                    design, k, [self.alpha], self.l1_ratio, coef_init=w, tol=self.tol,
                    max_iter=self.max_iter, positive=self.positive, selection=self.selection,
                    random_state=self.random_state, **options)
                w, gaps[k], it = path[:, 0], g[0], its[0]
            else:
                gaps[k], it = cd_solve(design, k, w, penalty, tol=self.tol,
                                       max_iter=self.max_iter, selection=self.selection,
                                       random_state=self.random_state)
            coef[k] = w
            n_iter.append(it)
        intercept = design.intercept(coef).astype(X.dtype, copy=False)
        coef, gaps = coef.astype(X.dtype, copy=False), gaps.astype(X.dtype, copy=False)
        if n_targets == 1:  # y of shape (n,) or (n, 1), as scikit-learn
            self.coef_, self.dual_gap_, self.n_iter_ = coef[0], gaps[0], n_iter[0]
            # y of shape (n, 1) keeps a (1,) intercept, as scikit-learn
            if not self.fit_intercept:
                self.intercept_ = 0.0
            else:
                self.intercept_ = intercept[0] if y.ndim == 1 else intercept
        else:
            self.coef_, self.dual_gap_, self.n_iter_ = coef, gaps, n_iter
            self.intercept_ = intercept if self.fit_intercept else 0.0
        if not (np.all(np.isfinite(self.coef_)) and np.all(np.isfinite(self.intercept_))):
            raise ValueError(
                "Coordinate descent iterations resulted in non-finite parameter values. "
                "The input data may contain large values and need to be preprocessed.")
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        return tags


class Lasso(ElasticNet):
    __doc__ = f"""Linear model trained with an L1 prior as regularizer (the Lasso).

    Minimizes (identical to scikit-learn's ``Lasso``)::

        1 / (2 * n_samples) * ||y - Xw - b||^2_2 + alpha * ||w||_1

    The textbook cost ``1/n * sum((y - y_hat)**2) + lambda * ||w||_1`` is the same problem
    with ``lambda = 2 * alpha``.

    Parameters
    ----------
    alpha : float, default=1.0
        Constant that multiplies the L1 term.
    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept.
    precompute : bool or array-like of shape (n_features, n_features), default=False
        Use a precomputed Gram matrix (covariance updates).
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: X is never written to.
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs.
{_OPTIONS_DOC}

{_ATTRIBUTES_DOC}

    Examples
    --------
    >>> from skreg import Lasso
    >>> from sklearn.datasets import load_diabetes
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = Lasso(alpha=0.1).fit(X, y)
    >>> int((model.coef_ != 0).sum())
    5
    """

    _parameter_constraints: dict = {
        k: v for k, v in ElasticNet._parameter_constraints.items() if k != "l1_ratio"
    }

    def __init__(self, alpha=1.0, *, fit_intercept=True, precompute=False, copy_X=True,
                 max_iter=1000, tol=1e-4, warm_start=False, positive=False,
                 random_state=None, selection="cyclic", penalty_factor=None,
                 lower_bounds=None, upper_bounds=None, standardize=False, relax=False,
                 gamma=1.0):
        super().__init__(
            alpha=alpha, l1_ratio=1.0, fit_intercept=fit_intercept, precompute=precompute,
            max_iter=max_iter, copy_X=copy_X, tol=tol, warm_start=warm_start,
            positive=positive, random_state=random_state, selection=selection,
            penalty_factor=penalty_factor, lower_bounds=lower_bounds,
            upper_bounds=upper_bounds, standardize=standardize, relax=relax, gamma=gamma)
