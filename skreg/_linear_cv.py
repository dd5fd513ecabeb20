"""`LassoCV` and `ElasticNetCV`: scikit-learn's cross-validated selectors, as `PathSearchCV`s
whose estimator and alpha grid are built from scikit-learn's LassoCV parameters at fit time."""

import copy
import numbers

import numpy as np
from sklearn.base import RegressorMixin, clone
from sklearn.metrics import get_scorer
from sklearn.model_selection import check_cv
from sklearn.utils import Bunch, check_scalar, column_or_1d
from sklearn.utils.metadata_routing import (
    UNUSED,
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.validation import check_is_fitted, check_X_y

from . import _dask_data
from ._design import Design, alpha_max_from_correlations, data_correlations
from ._elastic_net import ElasticNet, Lasso
from ._input import is_scalar_weight, make_design, rescale_sample_weight
from ._linear import LinearPredictorMixin, store_init_params
from ._path import (
    alpha_grid,
    check_l1_ratio_for_grid,
    design_alpha_max,
    enet_path,
    lasso_path,
    path_statistics,
    solve_alphas,
)
from ._path_search import PathSearchCV
from ._penalty_options import active_options
from ._scoring import regression_path_statistics
from ._sklearn_compat import (
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    _raise_for_params,
    _routing_enabled,
)


def _automatic_grids(X, y, sample_weight, l1_ratios, fit_intercept, eps, n_alphas, positive,
                     options):
    """The automatic grids (one per l1_ratio) on the full data with the fits' weights.

    Without options (scikit-learn's problem) alpha_max comes from X'(w * (y - y_mean)), with no
    centred copy of X; with glmnet-style options (penalty factors, bounds, standardization) it
    is the smallest alpha at which every penalized coefficient is 0 given them, from one
    `Design` (unpenalized features partialled out). dask data: from the statistics."""
    for r in l1_ratios:
        check_l1_ratio_for_grid(r)
    if options or _dask_data.is_dask(X):
        if sample_weight is not None and not _dask_data.is_dask(X):  # (dask rescales)
            sample_weight = rescale_sample_weight(sample_weight, X.shape[0])
        design = make_design(X, y, fit_intercept=fit_intercept, sample_weight=sample_weight)
        maxima = [design_alpha_max(design, r, positive, **options) for r in l1_ratios]
    else:
        C, n = data_correlations(X, y, sample_weight, fit_intercept)
        maxima = [alpha_max_from_correlations(C, n, r, positive=positive) for r in l1_ratios]
    return [alpha_grid(a, eps, n_alphas) for a in maxima]


def _check_alpha(alpha):
    """A finite non-negative number, or one clear error."""
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real) or not (
            np.isfinite(alpha) and alpha >= 0):
        raise ValueError(f"alpha must be a finite non-negative number, got {alpha!r}.")
    return float(alpha)


def _own_data(design, X):
    """Copy the design's arrays that are the caller's X (no centring or weights to apply):
    the design outlives fit, and must not change when the caller's X does."""
    if design.kind == "gram" or _dask_data.is_dask(X):
        return
    given = [X.data, X.indices, X.indptr] if hasattr(X, "indptr") else [X]
    for name in ("X", "data", "indices", "indptr"):
        array = design.__dict__.get(name)
        if array is not None and any(np.may_share_memory(array, g) for g in given):
            setattr(design, name, array.copy(order="K"))


def _scalar(value):
    """A Python float of a numpy scalar (or 0-d array)."""
    return value.item() if hasattr(value, "item") else float(value)


def _slim(design):
    """The design as kept by a fitted CV estimator: only what the kernels read. Caches are
    dropped (the options' partialled-out problem, an n x p copy when some features are
    unpenalized; the scipy view of sparse data): `coef_at` rebuilds them on a shallow copy,
    so that neither memory nor pickles grow with use."""
    drop = ["options_problem", "_Xw"]
    if design.kind == "gram":  # the kernels read Q and X'y only: drop the n-sized data
        drop += ["X", "data", "indices", "indptr", "v"]
        # (of Y only the number of columns is read, as for a design of statistics)
        design.Y = np.empty((0, design.XtY.shape[1]), dtype=design.dtype)
    for name in drop:
        design.__dict__.pop(name, None)
    return design


def _table(columns):
    """A pandas DataFrame of `columns` when pandas imports, else a numpy structured array."""
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None:
        return pd.DataFrame(columns)
    n = len(next(iter(columns.values())))
    width = max([len(m) for m in columns["mark"]] + [1])
    dtype = [(name, f"U{width}" if name == "mark" else (np.int64 if name == "df" else np.float64))
             for name in columns]
    table = np.empty(n, dtype=dtype)
    for name, values in columns.items():
        table[name] = values
    return table


class _LinearModelCV(RegressorMixin, PathSearchCV):
    """LassoCV / ElasticNetCV: a PathSearchCV whose estimator and alpha grid are built from
    scikit-learn's LassoCV parameters at fit time (so get_params / clone see only those)."""

    _required_parameters = []
    # GridSearchCV settings that are not parameters here (class attributes, so that
    # get_params/set_params/clone only know the LassoCV parameters).
    refit = True
    pre_dispatch = "2*n_jobs"
    error_score = "raise"
    return_train_score = False

    _parameter_constraints: dict = {
        "eps": [Interval(numbers.Real, 0, None, closed="neither")],
        "alphas": [Interval(numbers.Integral, 1, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "precompute": [StrOptions({"auto"}), "array-like", "boolean"],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "copy_X": ["boolean"],
        "cv": ["cv_object"],
        "verbose": ["verbose"],
        "n_jobs": [numbers.Integral, None],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
        "selection_rule": [StrOptions({"min", "1se"})],
        "penalty_factor": ["array-like", None],
        "lower_bounds": [numbers.Real, "array-like", None],
        "upper_bounds": [numbers.Real, "array-like", None],
        "standardize": ["boolean"],
        "relax": ["boolean"],
        "gamma": [Interval(numbers.Real, 0, 1, closed="both"), "array-like"],
    }

    _model_class = ElasticNet
    _searches_l1_ratio = False
    # predict's alpha is a choice of model, not metadata to route (scikit-learn's trees do
    # the same for check_input)
    __metadata_request__predict = {"alpha": UNUSED}

    def __init__(self, *, eps=1e-3, alphas=100, fit_intercept=True, precompute="auto",
                 max_iter=1000, tol=1e-4, copy_X=True, cv=None, verbose=False, n_jobs=None,
                 positive=False, random_state=None, selection="cyclic", selection_rule="min",
                 penalty_factor=None, lower_bounds=None, upper_bounds=None, standardize=False,
                 relax=False, gamma=1.0):
        store_init_params(self, locals())

    def _l1_ratios(self):
        return [1.0]

    def _gammas(self):
        """The gamma values: a list (a grid over gamma x alpha when it has several), or a
        float; each checked as a relaxed fit checks its gamma."""
        if isinstance(self.gamma, numbers.Real):
            values = [float(self.gamma)]
        else:
            values = [float(g) for g in np.asarray(self.gamma, dtype=np.float64).ravel()]
            if not values:
                raise ValueError("gamma must be a float or a non-empty list of floats.")
        for g in values:
            if not np.isfinite(g):
                raise ValueError(f"gamma must be in [0, 1], got {g}.")
            active_options(relax=self.relax, gamma=g)  # range, and relax=True unless 1
        return values if len(values) > 1 else values[0]

    def _model_params(self):
        precompute = self.precompute
        if isinstance(precompute, str) and precompute == "auto":
            precompute = False  # the refit, as scikit-learn's LassoCV does
        try:
            gamma = self._gammas()
        except (TypeError, ValueError):
            gamma = self.gamma  # reported by fit (or by the model's own validation)
        if isinstance(gamma, list):
            gamma = gamma[0]  # the search sets each candidate's gamma
        return dict(fit_intercept=self.fit_intercept, precompute=precompute,
                    max_iter=self.max_iter, tol=self.tol, copy_X=self.copy_X,
                    positive=self.positive, random_state=self.random_state,
                    selection=self.selection, penalty_factor=self.penalty_factor,
                    lower_bounds=self.lower_bounds, upper_bounds=self.upper_bounds,
                    standardize=self.standardize, relax=self.relax, gamma=gamma)

    def _grid_options(self):
        """The options that move alpha_max (relax and gamma do not)."""
        options = dict(penalty_factor=self.penalty_factor, lower_bounds=self.lower_bounds,
                       upper_bounds=self.upper_bounds, standardize=self.standardize)
        return {k: v for k, v in options.items() if v is not None and v is not False}

    @property
    def estimator(self):
        """The model refitted at the chosen alpha (built from this object's parameters).

        An internal object: LassoCV itself consumes ``sample_weight`` (its own requests,
        ``set_fit_request`` / ``set_score_request``, are what routers see), and hands it to
        every fit and every fold's MSE."""
        model = self._model_class(**self._model_params())
        if _routing_enabled():
            model.set_fit_request(sample_weight=True)
        return model

    @property
    def scoring(self):
        """The CV criterion: the (weighted) test MSE, negated (higher is better). Internal,
        as ``estimator``: it is given the fit's ``sample_weight`` whatever the requests."""
        if _routing_enabled():
            return get_scorer("neg_mean_squared_error").set_score_request(sample_weight=True)
        return "neg_mean_squared_error"

    def get_metadata_routing(self):
        """Get metadata routing of this object (as scikit-learn's LassoCV: its own requests,
        for ``fit``'s and ``score``'s ``sample_weight``, and the CV splitter's for ``fit``).

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter` encapsulating
            routing information.
        """
        return (MetadataRouter(owner=self)
                .add_self_request(self)
                .add(splitter=check_cv(self.cv),
                     method_mapping=MethodMapping().add(caller="fit", callee="split")))

    def _get_routed_params_for_fit(self, params):
        # The search inside: the fit's sample_weight goes to every fit and every fold's MSE
        # (LassoCV consumes it); the rest was routed to the splitter by `fit` already.
        params = dict(params)
        weight = params.pop("sample_weight", None)
        fit = {} if weight is None else {"sample_weight": weight}
        return Bunch(estimator=Bunch(fit=fit), scorer=Bunch(score=dict(fit)),
                     splitter=Bunch(split=params))

    @property
    def param_grid(self):
        """The alpha grid(s) of the last fit (None before fit)."""
        return self.__dict__.get("_param_grid")

    def _path_precompute(self, estimator):
        return self.precompute  # 'auto' in the folds, as scikit-learn's LassoCV

    def _grid(self, X, y, sample_weight):
        l1_ratios = self._l1_ratios()
        options = self._grid_options()
        if isinstance(self.alphas, numbers.Integral):
            grids = _automatic_grids(X, y, sample_weight, l1_ratios, self.fit_intercept,
                                     self.eps, self.alphas, self.positive, options)
        else:
            if len(self.alphas) == 0:
                raise ValueError("alphas must be a positive int (the length of the automatic "
                                 "grid) or a non-empty array-like of alphas, got an empty one.")
            for index, alpha in enumerate(self.alphas):
                check_scalar(alpha, f"alphas[{index}]", target_type=numbers.Real, min_val=0.0,
                             include_boundaries="left")
                if not np.isfinite(alpha):  # check_scalar lets NaN and inf through
                    raise ValueError(f"alphas[{index}] must be finite, got {alpha}.")
            grids = [np.sort(np.asarray(self.alphas, dtype=np.float64))[::-1]] * len(l1_ratios)
        return l1_ratios, grids

    def _check_dask_data(self, X, y, sample_weight, params):
        """Lazy validation of dask data; also reduces the statistics of the CV folds (one
        pass), from which the alpha grid, the folds and the refit are all served."""
        X, y, sample_weight = _dask_data.check_fit_data(None, X, y, sample_weight)
        if y.ndim == 2:
            if y.shape[1] > 1:
                raise ValueError(f"For multi-task outputs, use MultiTask{type(self).__name__}")
            y = y[:, 0]
        _dask_data.prepare_folds(X, y, sample_weight, self.cv, params.get("groups"))
        return X, y, sample_weight

    def _check_targets(self, y):
        """The validated targets as the models take them (here: one)."""
        if y.ndim > 1 and y.shape[1] > 1:
            raise ValueError(f"For multi-task outputs, use MultiTask{type(self).__name__}")
        return column_or_1d(y, warn=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Fit the model along the alpha path(s) (one per l1_ratio) with cross-validation,
        then refit at the alpha (and l1_ratio, gamma) of lowest mean CV mean squared error.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Target values.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Sample weights used for fitting and for the weighted MSE of each test fold; the
            CV error is the unweighted mean over folds of those MSEs (as scikit-learn).
        **params : dict
            Passed to the CV splitter (e.g. ``groups``); only with metadata routing on
            (``sklearn.set_config(enable_metadata_routing=True)``), as scikit-learn's.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        _raise_for_params(params, self, "fit")
        self.__dict__.pop("_full_statistics", None)
        if _routing_enabled():
            # (sample_weight=None is no metadata: scikit-learn 1.9 refuses it when the fit
            # request is False, a Pipeline's call; skreg takes it as no weights)
            weight = {} if sample_weight is None else {"sample_weight": sample_weight}
            params = dict(process_routing(self, "fit", **weight, **params).splitter.split)
        else:
            params = {}
        if _dask_data.is_dask(X):  # validated lazily; reduces the folds' statistics (one pass)
            Xv, yv, sample_weight = self._check_dask_data(X, y, sample_weight, params)
        else:
            Xv, yv = check_X_y(X, y, accept_sparse="csc", dtype=[np.float64, np.float32],
                               force_writeable=True, multi_output=True, y_numeric=True,
                               estimator=self)
            yv = self._check_targets(yv).astype(Xv.dtype, copy=False)
            if is_scalar_weight(sample_weight):
                sample_weight = None
            if sample_weight is not None:
                sample_weight = _check_sample_weight(sample_weight, Xv, dtype=Xv.dtype)
        gammas = self._gammas()
        l1_ratios, grids = self._grid(Xv, yv, sample_weight)
        if not self._searches_l1_ratio:
            self._param_grid = [{"alpha": grids[0]}]
        else:
            self._param_grid = [{"alpha": a, "l1_ratio": [r]}
                                for r, a in zip(l1_ratios, grids, strict=True)]
        n_gammas = 1
        if isinstance(gammas, list):  # cv.glmnet(relax=TRUE): a grid over gamma x alpha
            n_gammas = len(gammas)
            for sub in self._param_grid:
                sub["gamma"] = list(gammas)
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        # Keep the caller's X when it carries feature names (the models record them).
        super().fit(X if hasattr(X, "columns") else Xv, yv, **params)

        n_alphas = len(grids[0])
        splits = np.stack([self.cv_results_[f"split{s}_test_score"]
                           for s in range(self.n_splits_)], axis=1)
        # candidates run alpha-major, then gamma (ParameterGrid's sorted keys), per l1_ratio
        mse = -splits.reshape(len(l1_ratios), n_alphas, n_gammas, self.n_splits_)
        self.mse_path_ = np.squeeze(mse.transpose(0, 2, 1, 3))
        self.gamma_ = float(self.best_params_.get("gamma", gammas))
        if isinstance(self.alphas, numbers.Integral):
            self.alphas_ = np.asarray(grids)
            if len(l1_ratios) == 1:
                self.alphas_ = self.alphas_[0]
        else:
            self.alphas_ = np.asarray(grids[0])
        model = self.best_estimator_
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        self.dual_gap_ = model.dual_gap_
        self.n_iter_ = model.n_iter_
        if self._searches_l1_ratio:
            self.l1_ratio_ = self.best_params_["l1_ratio"]
        chosen = l1_ratios.index(self.l1_ratio_) if self._searches_l1_ratio else 0
        grid = grids[chosen]
        # the folds' MSE along that path (at gamma_): what summary() tabulates, fixed now so
        # that a later set_params changes nothing
        self._path_mse = mse[chosen, :, gammas.index(self.gamma_)
                             if isinstance(gammas, list) else 0, :]
        self._fit_full_path(Xv, yv, sample_weight, np.asarray(grid, dtype=np.float64))
        return self

    # Single-target models keep the path's `Design` (its Gram matrix on tall data) and solve
    # between grid points with the elastic-net kernel; other models (the multi-task ones) use
    # the path-estimator protocol only: their `_solve_path` gives the path, a warm-started
    # `fit` solves between grid points.
    _keeps_design = True

    def _fit_full_path(self, X, y, sample_weight, grid):
        """The path on the full data along `grid` (the chosen l1_ratio's, at gamma_), with
        the refitted model's problem and stopping rule: coef_path_, intercept_path_, df_,
        dev_ratio_."""
        self._path_alphas = grid
        stats = self.__dict__.pop("_full_statistics", None)
        if self._keeps_design:
            return self._fit_full_path_design(X, y, sample_weight, grid, stats)
        model = copy.copy(self.best_estimator_)  # (_solve_path records n_features_in_ ...)
        result = model._solve_path(X, y, sample_weight, grid)
        self.coef_path_ = np.asarray(result.coefs)
        self.intercept_path_ = np.asarray(result.intercepts)
        if not self.fit_intercept:
            self.intercept_path_ = np.zeros_like(self.intercept_path_)
        self.df_, self.dev_ratio_ = regression_path_statistics(
            X, y, sample_weight, self.coef_path_, self.intercept_path_, self.fit_intercept)
        # the fit's data, the estimator's own copy (the caller's may change after fit)
        self._path_data = tuple(None if a is None or np.ndim(a) == 0 else a.copy()
                                for a in (X, y, sample_weight))

    def _full_data_statistics(self, stats, dtype):
        # the folds' statistics pass also gave all the rows': the refit and the full path's
        # Gram matrix come from them (dropped once used)
        super()._full_data_statistics(stats, dtype)
        self._full_statistics = stats

    def _fit_full_path_design(self, X, y, sample_weight, grid, stats=None):
        """One warm-started elastic-net path on one `Design` (its Gram matrix when
        n_samples >= 2 * n_features; from the statistics the search computed, when it did),
        which is kept, slimmed to what the kernels read, so that `coef_at` solves between
        grid points."""
        model = self.best_estimator_
        if stats is not None and X.shape[0] >= X.shape[1]:  # (else the data, kept smaller)
            design = Design.from_statistics(stats, fit_intercept=self.fit_intercept,
                                            dtype=X.dtype)
            design.Y = np.empty((0, 1), dtype=design.dtype)  # (only its width is read)
            return self._solve_full_path(design, model, grid)
        if sample_weight is not None and not _dask_data.is_dask(X):  # (dask rescales)
            sample_weight = rescale_sample_weight(sample_weight, X.shape[0])
        precompute = self.precompute
        if not isinstance(precompute, (bool, np.bool_)):
            precompute = "auto"  # ('auto', or a Gram matrix of uncentred data: rebuilt)
        elif precompute and X.shape[0] < X.shape[1]:
            precompute = "auto"  # the design is kept: never a Gram matrix larger than X
        design = make_design(X, y, fit_intercept=self.fit_intercept,
                             sample_weight=sample_weight, precompute=precompute or "auto")
        _own_data(design, X)
        return self._solve_full_path(design, model, grid)

    def _solve_full_path(self, design, model, grid):
        coefs, _, _ = solve_alphas(design, 0, grid, float(model.l1_ratio),
                                   **self._solve_params(model))
        stats = path_statistics(design, coefs[None])
        self.coef_path_ = coefs
        self.intercept_path_ = stats.intercepts
        self.df_ = stats.df
        self.dev_ratio_ = stats.dev_ratio
        self._path_design = _slim(design)

    @staticmethod
    def _solve_params(model):
        return dict(tol=model.tol, max_iter=model.max_iter, positive=model.positive,
                    selection=model.selection, random_state=model.random_state,
                    **model._penalty_options())

    def coef_at(self, alpha):
        """Coefficients and intercept of the full-data fit at any alpha, exactly.

        At the refit's alpha they are ``coef_`` and ``intercept_``; at another alpha of the
        grid (``alphas_``, the chosen l1_ratio's row when there are several), a column of
        ``coef_path_`` and ``intercept_path_``; between grid points the problem is solved,
        warm-started from the nearest grid point (on a log scale), with the refit's
        parameters and stopping rule (``tol``): the same certified accuracy as a model
        fitted at that alpha, never an interpolation. The solve uses the full-data design
        kept by ``fit`` (its Gram matrix when n_samples >= 2 * n_features, else the centred
        data; for the multi-task models, the fit's data and the model's own warm-started
        ``fit``).

        Parameters
        ----------
        alpha : float
            A finite non-negative alpha (0 only on the grid).

        Returns
        -------
        coef : ndarray of shape (n_features,) or (n_targets, n_features)
            Coefficients at ``alpha`` (as ``coef_``).
        intercept : float or ndarray of shape (n_targets,)
            Intercept at ``alpha`` (a float for one target, as ``intercept_``).
        """
        check_is_fitted(self, "coef_path_")
        alpha = _check_alpha(alpha)
        grid = self._path_alphas
        if alpha == float(self.best_params_["alpha"]):  # (copies: the caller may write)
            return self.coef_.copy(), self._intercept_value(self.intercept_)
        at = np.flatnonzero(grid == alpha)
        if at.size:
            return (self.coef_path_[..., at[0]].copy(),
                    self._intercept_value(self.intercept_path_[..., at[0]]))
        if alpha == 0:
            raise ValueError("alpha=0 is not on the grid of this fit: predictions at 0 are "
                             "those of least squares (LinearRegression).")
        positive = grid > 0
        nearest = np.flatnonzero(positive)[np.argmin(
            np.abs(np.log(grid[positive]) - np.log(alpha)))] if positive.any() else 0
        model = self.best_estimator_
        if not self._keeps_design:  # the model's own fit, warm-started
            model = clone(model).set_params(alpha=alpha, warm_start=True)
            model.coef_ = self.coef_path_[..., nearest].copy()
            X, y, sample_weight = self._path_data
            model.fit(X, y, sample_weight=sample_weight)
            return (np.asarray(model.coef_).copy(),
                    self._intercept_value(np.broadcast_to(model.intercept_,
                                                          self.intercept_path_.shape[:-1])))
        # a shallow copy: what the solve caches (glmnet options) is dropped with it, and
        # threads calling coef_at at once share nothing they write
        design = copy.copy(self._path_design)
        coef, _, _ = solve_alphas(design, 0, [alpha], float(model.l1_ratio),
                                  coef_init=self.coef_path_[:, nearest],
                                  **self._solve_params(model))
        coef = coef[:, 0]
        intercept = design.intercept(coef[None])[0]  # (0 when fitted without intercept)
        return coef, _scalar(intercept)

    @staticmethod
    def _intercept_value(intercept):
        """A float for one target, a copy of the (n_targets,) array for several."""
        intercept = np.asarray(intercept)
        return _scalar(intercept) if intercept.ndim == 0 else intercept.astype(
            np.float64 if intercept.dtype.kind != "f" else intercept.dtype, copy=True)

    def predict(self, X, alpha=None):
        """Predict using the model refitted at the chosen alpha, or the full-data fit at
        another alpha.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in fit.
        alpha : float, default=None
            None: the refitted model (``coef_``). A number: the fit on the full data at that
            alpha (see `coef_at`): exact at the grid's alphas (``coef_path_``), solved
            (warm-started, to ``tol``) between them, never interpolated.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
            The predictions.
        """
        if alpha is None:
            return LinearPredictorMixin.predict(self, X)  # its errors name this estimator
        coef, intercept = self.coef_at(alpha)
        at_alpha = copy.copy(self)  # (shallow: only the two attributes below differ)
        at_alpha.coef_, at_alpha.intercept_ = coef, intercept
        return LinearPredictorMixin.predict(at_alpha, X)

    def summary(self):
        """The path at a glance, as glmnet prints a fit: one row per alpha of the grid
        (largest first) with ``alpha``, ``df`` (non-zero coefficients), ``pct_dev`` (100 x
        ``dev_ratio_``), ``mse_mean`` and ``mse_se`` (the mean CV MSE over folds and its
        standard error, std / sqrt(n_folds), at ``l1_ratio_`` and ``gamma_``) and ``mark``
        ('min' at ``alpha_``, '1se' at ``alpha_1se_``, 'min,1se' when they coincide; each on
        one row, even when the grid repeats an alpha).

        Returns
        -------
        table : pandas.DataFrame or numpy structured array
            A DataFrame when pandas is installed, else a structured array with the same
            columns.
        """
        check_is_fitted(self, "coef_path_")
        mse = self._path_mse
        n_folds = mse.shape[-1]
        mse_mean = mse.mean(axis=1)
        # one row each: a grid may repeat an alpha (given twice, or a degenerate automatic
        # grid when y is constant); 'min' on the lowest mean among the chosen alpha's rows
        # (the first of them on a tie), '1se' on the first (largest alpha) of its rows
        grid = self._path_alphas
        marks = [[] for _ in grid]
        rows = np.flatnonzero(grid == self.alpha_)
        if rows.size:
            marks[rows[np.argmin(mse_mean[rows])]].append("min")
        rows = np.flatnonzero(grid == self.alpha_1se_)
        if rows.size:
            marks[rows[0]].append("1se")
        columns = {"alpha": grid, "df": self.df_, "pct_dev": 100.0 * self.dev_ratio_,
                   "mse_mean": mse_mean, "mse_se": mse.std(axis=1) / np.sqrt(n_folds),
                   "mark": [",".join(m) for m in marks]}
        return _table(columns)

    def score(self, X, y, sample_weight=None):
        """Coefficient of determination R^2 of the prediction (as scikit-learn's LassoCV;
        the search's scorer, the negated MSE, is in ``scorer_``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test samples.
        y : array-like of shape (n_samples,)
            True values.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            R^2 of ``self.predict(X)`` w.r.t. y.
        """
        return RegressorMixin.score(self, X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.single_output = True
        tags.target_tags.multi_output = False
        return tags


_CV_DOC_PARAMS = """
    eps : float, default=1e-3
        Length of the path: ``alpha_min / alpha_max = eps``.
    alphas : int or array-like, default=100
        Number of alphas of the automatic grid (computed on the full data, per l1_ratio, as
        scikit-learn does), or the alphas themselves.
    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept.
    precompute : 'auto', bool or array-like, default='auto'
        Gram matrix use in the CV folds ('auto': when n_train >= 2 * n_features); the final
        refit uses it only if True / given.
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs per alpha.
    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol * ||y||^2`` (scikit-learn's meaning).
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: X is never written to.
    cv : int, cross-validation generator or iterable, default=None
        Folds (None: 5-fold KFold).
    verbose : bool or int, default=False
        Print one line per (fold, path).
    n_jobs : int, default=None
        Parallel (fold, path) tasks, through joblib (a dask backend works).
    positive : bool, default=False
        Constrain the coefficients of every fit to be non-negative.
    random_state : int, RandomState instance or None, default=None
        Seed of the coordinate order when ``selection='random'``.
    selection : {'cyclic', 'random'}, default='cyclic'
        Coordinate order of every fit.
    selection_rule : {'min', '1se'}, default='min'
        Alpha of the refit: 'min' the lowest mean CV MSE (scikit-learn's rule, ``alpha_``);
        '1se' the largest alpha whose mean MSE is within one standard error
        (``std over folds / sqrt(n_folds)``) of the minimum (``alpha_1se_``), glmnet's
        ``lambda.1se``.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature penalty weights (0: unpenalized, inf: excluded), as in
        :class:`~skreg.ElasticNet`; the automatic grid's alpha_max respects them.
    lower_bounds, upper_bounds : float or array-like of shape (n_features,), default=None
        Box constraints on the coefficients (each box contains 0), as in
        :class:`~skreg.ElasticNet`; the automatic grid's alpha_max respects them.
    standardize : bool, default=False
        Penalize the coefficients of unit-variance columns (glmnet's default), as in
        :class:`~skreg.ElasticNet`; the automatic grid's alpha_max respects it.
    relax : bool, default=False
        Relaxed fits: ``gamma * w_penalized + (1 - gamma) * w_refit`` with ``w_refit`` the
        least-squares refit on the active set (glmnet's ``relax=TRUE``).
    gamma : float in [0, 1] or list of float, default=1.0
        Blend of the relaxed fits (needs ``relax=True`` unless 1). A list of several values
        is searched with alpha, as ``cv.glmnet(relax=TRUE)``: each (fold, path) solves the
        relaxed path once and blends it for every gamma; ``gamma_`` is the chosen one. The
        list is stored as given (``get_params`` / ``clone``)."""

_CV_DOC_ATTRS = """
    alpha_ : float
        Alpha of the lowest mean CV MSE (whatever ``selection_rule``).
    alpha_1se_ : float
        Largest alpha within one standard error of the lowest mean CV MSE, at ``gamma_`` (the
        rule moves along alpha only).
    gamma_ : float
        The gamma of the refit: the gamma of the lowest mean CV MSE (with ``alpha_``), or
        ``gamma`` itself when a single value is given.
    alphas_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
        The alpha grid(s).
    mse_path_ : ndarray of shape ([n_l1_ratio,] [n_gamma,] n_alphas, n_folds)
        Test MSE of each fold along the path(s), squeezed as scikit-learn's: the l1_ratio
        axis only with several l1_ratios, the gamma axis (in the order of ``gamma``) only
        when ``gamma`` is a list of several values.
    coef_ : ndarray of shape (n_features,)
        Coefficients of the refitted model.
    intercept_ : float
        Intercept of the refitted model.
    dual_gap_ : float
        Duality gap reached by the refit.
    coef_path_ : ndarray of shape (n_features, n_alphas)
        Coefficients of the full-data path along ``alphas_`` (along the chosen l1_ratio's
        row of ``alphas_`` when there are several l1_ratios, at ``gamma_``), with the
        refit's problem and ``tol``: one warm-started path solved by ``fit`` after the
        refit (about the cost of one more CV fold). The refit (``coef_``) is a point of it
        up to that tolerance. ``fit`` keeps that path's data, in the form the solver reads
        (the Gram matrix when n_samples >= 2 * n_features, or n_samples >= n_features with
        ``precompute=True``; else a centred copy of X), so
        that ``coef_at`` / ``predict(X, alpha=...)`` solve between grid points; it is
        pickled with the estimator. It is the estimator's own copy whatever ``copy_X``
        (the caller's X may change after fit), about the size of X (of its non-zeros when
        sparse) when n_samples < 2 * n_features; the working copies the glmnet-style
        options make are not kept.
    intercept_path_ : ndarray of shape (n_alphas,)
        Intercepts along the path (0 without ``fit_intercept``).
    df_ : ndarray of shape (n_alphas,)
        Number of non-zero coefficients along the path (glmnet's ``df``).
    dev_ratio_ : ndarray of shape (n_alphas,)
        Fraction of the (``sample_weight``-weighted) deviance explained along the path,
        ``1 - RSS / RSS_null`` with RSS_null that of the intercept alone (of the zero model
        without intercept): glmnet's ``dev.ratio``. ``summary()`` tabulates these with the
        CV error; ``predict(X, alpha=...)`` and ``coef_at`` give the fit at any alpha.
    n_iter_ : int
        Epochs of the refit.
    n_features_in_ : int
        Number of features seen during fit.
    cv_results_, best_estimator_, best_params_, best_index_, best_score_, refit_time_,
    n_splits_, scorer_, multimetric_
        As for GridSearchCV (scoring 'neg_mean_squared_error'; ``best_params_`` holds the
        refit's alpha, so follows ``selection_rule``)."""


class LassoCV(_LinearModelCV):
    __doc__ = f"""Lasso with the alpha chosen by cross-validation along warm-started paths.

    Same parameters, attributes and results as scikit-learn's ``LassoCV`` (same automatic grid,
    alpha of lowest mean test MSE, refit on the full data), computed by
    :class:`~skreg.PathSearchCV`, so it is also a ``GridSearchCV`` with ``cv_results_``.
    The glmnet-style options of :class:`~skreg.Lasso` (penalty factors, bounds,
    standardization, relaxed fits with a grid over gamma) are passed to every fit; with their
    defaults the results are scikit-learn's.
    The objective is ``1 / (2 * n_samples) * ||y - Xw - b||^2_2 + alpha * ||w||_1``.

    Parameters
    ----------{_CV_DOC_PARAMS}

    Attributes
    ----------{_CV_DOC_ATTRS}

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from skreg import LassoCV
    >>> X, y = load_diabetes(return_X_y=True)
    >>> reg = LassoCV(cv=5).fit(X, y)
    >>> bool(reg.alpha_1se_ >= reg.alpha_)
    True
    >>> reg.coef_path_.shape, int(reg.df_[0]), int(reg.df_[-1])
    ((10, 100), 0, 10)
    >>> reg.predict(X[:2], alpha=0.5).shape
    (2,)
    """

    path = staticmethod(lasso_path)
    _model_class = Lasso


class ElasticNetCV(_LinearModelCV):
    __doc__ = f"""Elastic net with alpha and l1_ratio chosen by cross-validation along
    warm-started paths.

    Same parameters, attributes and results as scikit-learn's ``ElasticNetCV`` (one automatic
    alpha grid per l1_ratio, lowest mean test MSE, refit on the full data), computed by
    :class:`~skreg.PathSearchCV`, so it is also a ``GridSearchCV`` with ``cv_results_``.
    The glmnet-style options of :class:`~skreg.ElasticNet` are passed to every fit; with
    their defaults the results are scikit-learn's.

    Parameters
    ----------
    l1_ratio : float or list of float, default=0.5
        Mixing parameter(s) in [0, 1]; each gets its own alpha path.{_CV_DOC_PARAMS}

    Attributes
    ----------
    l1_ratio_ : float
        The chosen l1_ratio.{_CV_DOC_ATTRS}

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from skreg import ElasticNetCV
    >>> X, y = load_diabetes(return_X_y=True)
    >>> reg = ElasticNetCV(l1_ratio=[0.5, 1.0], cv=5).fit(X, y)
    >>> reg.mse_path_.shape
    (2, 100, 5)
    """

    path = staticmethod(enet_path)
    _model_class = ElasticNet
    _searches_l1_ratio = True

    _parameter_constraints: dict = {
        **_LinearModelCV._parameter_constraints,
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both"), "array-like"],
    }

    def __init__(self, *, l1_ratio=0.5, eps=1e-3, alphas=100, fit_intercept=True,
                 precompute="auto", max_iter=1000, tol=1e-4, cv=None, copy_X=True, verbose=0,
                 n_jobs=None, positive=False, random_state=None, selection="cyclic",
                 selection_rule="min", penalty_factor=None, lower_bounds=None,
                 upper_bounds=None, standardize=False, relax=False, gamma=1.0):
        super().__init__(
            eps=eps, alphas=alphas, fit_intercept=fit_intercept, precompute=precompute,
            max_iter=max_iter, tol=tol, copy_X=copy_X, cv=cv, verbose=verbose, n_jobs=n_jobs,
            positive=positive, random_state=random_state, selection=selection,
            selection_rule=selection_rule, penalty_factor=penalty_factor,
            lower_bounds=lower_bounds, upper_bounds=upper_bounds, standardize=standardize,
            relax=relax, gamma=gamma)
        self.l1_ratio = l1_ratio

    def _l1_ratios(self):
        ratios = [float(r) for r in np.atleast_1d(self.l1_ratio)]
        if not ratios:
            raise ValueError("l1_ratio must be a float or a non-empty list of floats, got an "
                             "empty one.")
        for r in ratios:
            if not 0.0 <= r <= 1.0:  # also rejects NaN
                raise ValueError(f"l1_ratio values must lie in [0, 1], got {r}.")
        return ratios

    def _model_params(self):
        params = super()._model_params()
        try:
            params["l1_ratio"] = float(np.atleast_1d(self.l1_ratio)[0])
        except (TypeError, ValueError, IndexError):
            pass
        return params
