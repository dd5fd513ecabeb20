"""MultiTaskElasticNet and MultiTaskLasso (scikit-learn's objective, skreg's block solver)."""

import copy
import time
from numbers import Integral, Real

import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin

from ._design import Design
from ._input import check_dense_targets, make_design, validate_fit_data
from ._linear import FEATURES_IN_DOC, LinearPredictorMixin, store_init_params
from ._multi_task_path import solve_multitask_alphas
from ._path import enet_path
from ._path_protocol import PathResult
from ._sklearn_compat import Interval, StrOptions, _fit_context

_OBJECTIVE_DOC = """    Minimizes (identical to scikit-learn's ``{name}``)::

        1 / (2 * n_samples) * ||Y - XW - b||^2_Fro
        + alpha * l1_ratio * ||W||_21 + 0.5 * alpha * (1 - l1_ratio) * ||W||^2_Fro

    where ``||W||_21 = sum_j ||W_j||_2`` sums the norms of the rows of W (one row per feature,
    shared by the targets): a feature is selected for every target or for none.

    Solved by block coordinate descent over the rows of W (dense, sparse or Gram data), with
    working sets, gap-safe screening and Anderson extrapolation; it stops when the duality gap
    is at most ``tol * ||Y||^2_Fro`` (Y centred when fitting an intercept), the same
    certificate as scikit-learn."""

_PARAMS_DOC = """    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept per target. Sparse X is never densified.
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: X is never written to.
    max_iter : int, default=1000
        Maximum number of block coordinate-descent epochs.
    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol * ||Y||^2_Fro``.
    warm_start : bool, default=False
        Start from the previous solution.
    random_state : int, RandomState instance or None, default=None
        Seed of the row order when ``selection='random'``.
    selection : {'cyclic', 'random'}, default='cyclic'
        Row order.
    positive : bool, default=False
        Constrain every coefficient to be non-negative (skreg extension).
    penalty_factor : array-like of shape (n_features,), default=None
        Non-negative per-feature weights ``pf_j`` on both penalty terms (glmnet's
        ``penalty.factor``, used as given); 0 leaves a feature unpenalized (partialled out
        exactly, like the intercept), ``inf`` excludes it (skreg extension).
    standardize : bool, default=False
        Penalize the coefficients of unit-variance columns (glmnet's ``standardize``), X
        never rescaled; coefficients are returned on the original scale (skreg extension)."""

_ATTRIBUTES_DOC = f"""    Attributes
    ----------
    coef_ : ndarray of shape (n_targets, n_features)
        Coefficients (row t: target t).
    intercept_ : ndarray of shape (n_targets,) or 0.0
        Intercepts (0.0 without ``fit_intercept``).
    n_iter_ : int
        Block coordinate-descent epochs run.
    dual_gap_ : float
        Duality gap reached, in the scale of the objective above.
    eps_ : float
        The tolerance in the kernel's scale: ``tol * ||Y||^2_Fro``.
    sparse_coef_ : sparse matrix of shape (n_targets, n_features)
        ``coef_`` as a sparse matrix.
{FEATURES_IN_DOC}"""



class MultiTaskElasticNet(LinearPredictorMixin, MultiOutputMixin, RegressorMixin,
                          BaseEstimator):
    __doc__ = f"""Multi-task elastic net: several targets sharing one set of features.

{_OBJECTIVE_DOC.format(name="MultiTaskElasticNet")}

    Parameters
    ----------
    alpha : float, default=1.0
        Constant that multiplies the penalty terms.
    l1_ratio : float, default=0.5
        Mixing parameter, ``0 <= l1_ratio <= 1``; 1 is the multi-task Lasso.
{_PARAMS_DOC}

{_ATTRIBUTES_DOC}

    Examples
    --------
    >>> from skreg import MultiTaskElasticNet
    >>> model = MultiTaskElasticNet(alpha=0.1).fit([[0, 0], [1, 1], [2, 2]],
    ...                                            [[0, 0], [1, 1], [2, 2]])
    >>> model.coef_.round(3)
    array([[0.453, 0.453],
           [0.453, 0.453]])
    """

    _parameter_constraints: dict = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],  # (None: a clear error)
        "copy_X": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
        "positive": ["boolean"],
        "penalty_factor": ["array-like", None],
        "standardize": ["boolean"],
    }

    path = staticmethod(enet_path)

    def __init__(self, alpha=1.0, *, l1_ratio=0.5, fit_intercept=True, copy_X=True,
                 max_iter=1000, tol=1e-4, warm_start=False, random_state=None,
                 selection="cyclic", positive=False, penalty_factor=None, standardize=False):
        store_init_params(self, locals())

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model by block coordinate descent.

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Training data. Fortran-ordered float64/float32 or CSC avoids any copy.
        y : ndarray of shape (n_samples, n_targets)
            Targets (two-dimensional).
        sample_weight : float or array-like of shape (n_samples,), default=None
            Sample weights, rescaled internally to sum to n_samples.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        design = self._design(X, y, sample_weight)
        k, p = design.n_targets, design.n_features
        init = None
        if (self.warm_start and hasattr(self, "coef_")
                and np.shape(self.coef_) == (k, p) and np.all(np.isfinite(self.coef_))):
            init = self.coef_
        coefs, gaps, n_iters = solve_multitask_alphas(
            design, [self.alpha], self._l1_ratio(), coef_init=init, **self._solve_params())
        coef = coefs[:, :, 0]
        self.coef_ = coef.astype(design.result_dtype, copy=False)
        self.intercept_ = (design.intercept(coef).astype(design.result_dtype, copy=False)
                           if self.fit_intercept else 0.0)
        self.dual_gap_ = float(gaps[0])
        self.eps_ = self.tol * float(np.sum(design.yy))
        self.n_iter_ = int(n_iters[0])
        if not (np.all(np.isfinite(self.coef_)) and np.all(np.isfinite(self.intercept_))):
            raise ValueError(
                "Coordinate descent iterations resulted in non-finite parameter values. "
                "The input data may contain large values and need to be preprocessed.")
        return self

    def _design(self, X, y, sample_weight):
        """Validated fit data as the kernel's `Design` (Gram form for tall data)."""
        check_dense_targets(y)
        X, y, sample_weight = validate_fit_data(self, X, y, sample_weight)
        self._check_tasks(y)
        return make_design(X, y, fit_intercept=self.fit_intercept, sample_weight=sample_weight,
                           precompute="auto", copy_X=self.copy_X)

    def _solve_params(self):
        return dict(tol=self.tol, max_iter=self.max_iter, positive=self.positive,
                    selection=self.selection, random_state=self.random_state,
                    penalty_factor=self.penalty_factor, standardize=self.standardize)

    # The path-estimator protocol (skreg._path_tasks): PathSearchCV, MultiTaskLassoCV and
    # MultiTaskElasticNetCV solve one warm-started path per fold.
    _path_param = "alpha"

    def _check_tasks(self, y):
        if np.ndim(y) == 1:
            raise ValueError("For mono-task outputs, use "
                             + ("ElasticNet" if "l1_ratio" in self.get_params() else "Lasso"))

    def _solve_path(self, X, y, sample_weight, values, *, precompute="auto", blend=None):
        t0 = time.perf_counter()
        if not get_config()["skip_parameter_validation"]:
            self._validate_params()
        return self._design_path(self._design(X, y, sample_weight), values, t0)

    def _solve_path_statistics(self, stats, y, values, *, blend=None, dtype=np.float64):
        """The path on the Gram design of a training fold's statistics (weights rescaled to
        sum to its row count, as a fit rescales them): a search's folds then share one pass
        over X (`skreg._path_tasks.fold_statistics`). ``y`` is the fold's target."""
        t0 = time.perf_counter()
        if not get_config()["skip_parameter_validation"]:
            self._validate_params()
        self._check_tasks(y)
        self.n_features_in_ = stats.Cxx.shape[0]
        design = Design.from_statistics(stats, fit_intercept=self.fit_intercept, dtype=dtype)
        design.Y = np.empty((0, np.shape(y)[1]))  # (only its width is read)
        return self._design_path(design, values, t0)

    def _design_path(self, design, values, t0):
        values = np.asarray(values, dtype=np.float64)
        order = np.argsort(-values, kind="stable")  # from the largest alpha down
        t1 = time.perf_counter()
        coefs, gaps, n_iters = solve_multitask_alphas(design, values[order], self._l1_ratio(),
                                                      **self._solve_params())
        seconds = np.full(len(values), (time.perf_counter() - t1) / max(len(values), 1))
        inverse = np.empty_like(order)
        inverse[order] = np.arange(len(values))
        coefs, gaps, n_iters = coefs[..., inverse], gaps[inverse], np.asarray(n_iters)[inverse]
        intercepts = design.intercept(coefs).astype(design.result_dtype, copy=False)
        coefs = coefs.astype(design.result_dtype, copy=False)
        return PathResult(coefs=coefs, intercepts=intercepts, values=values, seconds=seconds,
                          setup=t1 - t0, info={"gaps": gaps, "n_iters": n_iters,
                                               "eps": self.tol * float(np.sum(design.yy))})

    def _path_model(self, result, j):
        model = copy.copy(self)
        model.alpha = float(result.values[j])
        model.coef_ = np.ascontiguousarray(result.coefs[:, :, j])
        model.intercept_ = result.intercepts[:, j].copy() if self.fit_intercept else 0.0
        model.dual_gap_ = float(result.info["gaps"][j])
        model.n_iter_ = int(result.info["n_iters"][j])
        model.eps_ = result.info["eps"]
        return model

    def _l1_ratio(self):
        return self.l1_ratio

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        return tags


class MultiTaskLasso(MultiTaskElasticNet):
    __doc__ = f"""Multi-task Lasso: several targets sharing one sparse set of features.

{_OBJECTIVE_DOC.format(name="MultiTaskLasso").replace(
        "alpha * l1_ratio * ||W||_21 + 0.5 * alpha * (1 - l1_ratio) * ||W||^2_Fro",
        "alpha * ||W||_21")}

    Parameters
    ----------
    alpha : float, default=1.0
        Constant that multiplies the L1/L2 term.
{_PARAMS_DOC}

{_ATTRIBUTES_DOC}

    Examples
    --------
    >>> from skreg import MultiTaskLasso
    >>> model = MultiTaskLasso(alpha=0.1).fit([[0, 1], [1, 2], [2, 4]],
    ...                                       [[0, 0], [1, 1], [2, 3]])
    >>> model.coef_.round(3)
    array([[0.   , 0.483],
           [0.   , 0.727]])
    """

    _parameter_constraints: dict = {
        k: v for k, v in MultiTaskElasticNet._parameter_constraints.items() if k != "l1_ratio"
    }

    def __init__(self, alpha=1.0, *, fit_intercept=True, copy_X=True, max_iter=1000,
                 tol=1e-4, warm_start=False, random_state=None, selection="cyclic",
                 positive=False, penalty_factor=None, standardize=False):
        store_init_params(self, locals())

    def _l1_ratio(self):
        return 1.0
