"""`PathSearchCV`: a GridSearchCV whose candidates differing only by ``alpha`` (the path
parameter of a path estimator, see `skreg._path_tasks`) are solved as one warm-started path per
CV fold; in a Pipeline ending with a path estimator, the earlier steps are fitted once per fold
and setting of their own parameters.

For each fold and each setting of the other parameters, one task (`skreg._path_tasks`) builds the
fold's `Design` once (centred data or Gram matrix) and solves the whole alpha path, largest alpha
first, then scores every alpha on the held-out part. The results go through GridSearchCV's own
machinery (`_format_results`, `_select_best_index`, refit), so `cv_results_` and the `best_*`
attributes have exactly GridSearchCV's keys and meaning.

Timing columns of `cv_results_` for path candidates: a path task measures its set-up (validation,
centring, Gram matrix) and, per alpha, the wall time of that alpha's warm-started solve. A
candidate's ``fit_time`` is its own solve time plus an equal share (1 / n_alphas) of the set-up,
so the fit times of a path's alphas add up to the path's wall time. ``score_time`` is the time
spent scoring that alpha (with the vectorised scorers, the whole path's scoring time shared
equally between its alphas).
"""

import time
import warnings
from collections import defaultdict
from collections.abc import Mapping

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.model_selection import GridSearchCV, ParameterGrid, check_cv
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import indexable

from . import _dask_data
from ._dask_search import dask_path_results
from ._elastic_net import ElasticNet
from ._path_protocol import is_nonnegative_real as is_valid_alpha
from ._path_tasks import (
    affine_steps_only,
    fit_and_score_path,
    fit_and_score_pipeline_paths,
    fit_head_from_statistics,
    fits_head_from_statistics,
    fold_statistics,
    is_path_estimator,
    path_blend_param,
    path_fit_params,
    path_value_check,
    plan,
)
from ._scoring import one_standard_error_index
from ._sklearn_compat import (
    StrOptions,
    _check_feature_names,
    _check_method_params,
    _fit_context,
    _insert_error_scores,
    _MultimetricScorer,
    _routing_enabled,
    _warn_or_raise_about_fit_failures,
    check_input_parameters,
    check_refit_for_multimetric,
    fit_and_score,
    format_results,
    get_routed_params_for_fit,
    get_scorers,
    init_callback_context,
    search_n_splits,
    select_best_index,
)


class PathFallbackWarning(UserWarning):
    """`PathSearchCV` fits some candidates one by one (as GridSearchCV) instead of along
    warm-started alpha paths, which is much slower; the message says why.

    Parameters
    ----------
    message : str
        What forces the one-fit-per-candidate route.

    Examples
    --------
    >>> import warnings
    >>> from skreg import PathFallbackWarning
    >>> warnings.simplefilter("error", PathFallbackWarning)  # make the slow path an error
    """

    def __init__(self, message):
        super().__init__(message)


def pipeline_route(estimator):
    """(last step, its name) when `estimator` is a Pipeline whose last step implements the
    path-estimator protocol, else None."""
    from sklearn.pipeline import Pipeline

    if not isinstance(estimator, Pipeline) or not estimator.steps:
        return None
    name, last = estimator.steps[-1]
    if not is_path_estimator(last):
        return None
    return last, name


def _forget_path_choice(search):
    """Drop the path values a previous fit chose (alpha_ / alpha_1se_, or C_ / C_1se_)."""
    for attr in ("alpha_", "alpha_1se_", "C_", "C_1se_"):
        search.__dict__.pop(attr, None)


def _forbidden_keys(estimator):
    """Pipeline parameters that replace the last step (its path estimator)."""
    return ("steps", estimator.steps[-1][0])


def _fallback_reason_estimator(estimator):
    """Why `estimator` (no path estimator) gets no path, when a path was plausible: it wraps
    one (in a Pipeline not as its last step, in another meta-estimator, ...) or is another
    library's coordinate-descent model. None for estimators that have no path at all (Ridge,
    ...)."""
    # (imported here: sklearn.linear_model costs a noticeable share of `import skreg`)
    from sklearn.linear_model import ElasticNet as SklearnElasticNet

    name = type(estimator).__name__
    if isinstance(estimator, (SklearnElasticNet, ElasticNet)):
        return (f"the estimator is {name}, not skreg's Lasso or ElasticNet (or its fit is "
                "overridden)")
    try:
        nested = estimator.get_params(deep=True).values()
    except Exception:  # not an estimator: GridSearchCV reports it
        return None
    if any(is_path_estimator(value) for value in nested if value is not estimator):
        return (f"the estimator is a {name} around a path estimator (a skreg Lasso / "
                "ElasticNet ...); paths are solved only when the searched estimator is the "
                "path estimator itself or the last step of a Pipeline")
    return None


def _fallback_reasons_grid(param_grid, estimator, prefix="", forbidden=()):
    """Why candidates of a path estimator's grid are fitted one by one (sub-grid by sub-grid)."""
    name = prefix + estimator._path_param
    is_value = path_value_check(estimator)
    reasons = []
    for sub in ParameterGrid(param_grid).param_grid:
        replaced = [k for k in forbidden if k in sub]
        if replaced:
            reasons.append(f"the sub-grid {sorted(sub)} replaces the Pipeline's last step "
                           f"(through {replaced[0]!r})")
        elif name not in sub:
            reasons.append(f"the sub-grid {sorted(sub)} has no {name!r}")
        elif not all(is_value(a) for a in sub[name]):
            what = ("finite non-negative numbers" if is_value is is_valid_alpha
                    else f"valid values of {type(estimator).__name__}'s path")
            reasons.append(f"a sub-grid's {name!r} values are not all {what}")
    return reasons


def _last_step_fit_params(route, fit_params):
    """The fit parameters (names as the last step takes them) a Pipeline passes to its last
    step: ``<last>__name`` keys without routing; with routing, what the step requests."""
    last, name = route
    if not _routing_enabled():
        return {k[len(name) + 2:] for k in fit_params if k.startswith(name + "__")}
    if not fit_params:
        return set()
    return set(last.get_metadata_routing().consumes(method="fit", params=set(fit_params)))


def _same_value(a, b):
    if a is b:
        return True
    try:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return bool(np.array_equal(a, b))
        return bool(type(a) is type(b) and a == b)
    except Exception:
        return False


def _same_params(a, b):
    return a.keys() == b.keys() and all(_same_value(a[k], b[k]) for k in a)


def _warn_fallback(reasons):
    warnings.warn(
        "PathSearchCV fits these candidates one by one, as GridSearchCV (much slower than "
        "warm-started alpha paths): " + "; ".join(reasons) + ".",
        PathFallbackWarning, stacklevel=3)


def _check_param_grid(param_grid):
    """One clear message for a grid without candidates (an empty list of sub-grids, or a
    parameter given no value), before any fit."""
    grids = [param_grid] if isinstance(param_grid, Mapping) else param_grid
    if isinstance(grids, (list, tuple)) and len(grids) == 0:
        raise ValueError("param_grid is empty: give at least one sub-grid (a dict of "
                         "parameter values) to search.")
    for grid in grids if isinstance(grids, (list, tuple)) else []:
        if not isinstance(grid, Mapping):
            continue  # GridSearchCV's own check reports it
        for name, values in grid.items():
            if not isinstance(values, str) and hasattr(values, "__len__") and len(values) == 0:
                raise ValueError(f"param_grid gives no value for {name!r}: give at least one "
                                 "value for each parameter of the grid.")


class PathSearchCV(GridSearchCV):
    """Exhaustive search over a parameter grid, with warm-started alpha paths.

    A drop-in `sklearn.model_selection.GridSearchCV` (same parameters, attributes and
    ``cv_results_``; ``isinstance(search, GridSearchCV)`` holds). When ``estimator`` is a skreg
    :class:`~skreg.Lasso` or :class:`~skreg.ElasticNet` and a (sub-)grid contains ``alpha``,
    each (fold, other parameters) task builds the fold's centred data or Gram matrix once and
    solves the whole alpha path with warm starts, largest alpha first, then scores every alpha
    on the held-out part with the requested scorer(s). Scores equal GridSearchCV's up to the
    solver tolerance (each fit stops on the same duality-gap certificate). Other sub-grids,
    other estimators, and fit parameters other than ``sample_weight`` fall back to
    GridSearchCV's one-fit-per-candidate behaviour, with a ``skreg.PathFallbackWarning``
    saying why when a path was plausible (a meta-estimator around a skreg Lasso other than
    a Pipeline ending with it, another library's Lasso, a sub-grid without ``alpha``, ...).

    Pipelines: when ``estimator`` is a :class:`~sklearn.pipeline.Pipeline` whose last step is
    a skreg Lasso / ElasticNet (any path estimator) and a sub-grid contains
    ``<last step>__alpha``, each task fits the earlier steps once per (fold, setting of their
    own grid parameters) -- exactly as ``Pipeline.fit`` would, with fit parameters routed as
    GridSearchCV routes them (``<step>__sample_weight`` without metadata routing, the steps'
    requests with it) -- transforms the fold once, and solves one warm-started path per
    setting of the last step's other parameters. Scores are those of the fitted Pipelines
    (``cv_results_`` as GridSearchCV's); the refit fits the best Pipeline. This tunes a
    scaled Lasso without leaking the held-out fold into the scaling, at path speed. A
    sub-grid without the last step's alpha, or replacing the last step, falls back to one
    fit per candidate with a ``PathFallbackWarning``. ``alpha_`` / ``alpha_1se_`` and
    ``selection_rule='1se'`` read the last step's alpha.

    Relaxed fits (an estimator with ``relax=True``, glmnet's relaxed lasso): when a sub-grid
    also contains ``gamma`` (and not ``relax``), each (fold, other parameters) task solves the
    relaxed path once -- the penalized fits and their least-squares refits on the active sets
    -- and blends ``gamma * w_penalized + (1 - gamma) * w_refit`` for every gamma, scoring
    every (gamma, alpha), instead of solving one path per gamma. Each candidate's
    ``fit_time`` then shares its alpha's solve time equally between the gammas.

    Parallelism goes through joblib (``n_jobs``, or ``joblib.parallel_backend("dask")`` for a
    dask.distributed cluster): one task per (fold, path).

    Timing columns: a path candidate's ``fit_time`` is the wall time of its own warm-started
    solve plus an equal share of the fold's set-up (validation, centring, Gram matrix; for a
    Pipeline also the earlier steps' fit, shared by every candidate of the task), so the fit
    times of a path's alphas add up to the path's wall time; ``score_time`` is the time
    scoring that alpha took (vectorised scorers share the path's scoring time equally; for a
    Pipeline plus a share of transforming the held-out part).

    When the candidates are built without a Gram matrix (``precompute=False``, the default of
    skreg's estimators), path tasks use ``precompute='auto'``: the Gram matrix is built per
    fold when ``n_train >= 2 * n_features``, since it is reused for every alpha. The result
    does not change (same stopping certificate). On dense data where every fold uses it, the
    statistics of the folds' row groups are computed in one pass and each training fold's
    Gram matrix derived from them (no fold of X is copied).

    Parameters
    ----------
    estimator : estimator object
        The estimator to tune; skreg's Lasso / ElasticNet get the path treatment.
    param_grid : dict or list of dicts
        As for GridSearchCV. Candidates are enumerated in ParameterGrid's order.
    scoring : str, callable, list, tuple or dict, default=None
        As for GridSearchCV (any scorer, callable or multi-metric dict).
    n_jobs : int, default=None
        Number of parallel (fold, path) tasks.
    refit : bool, str or callable, default=True
        As for GridSearchCV.
    cv : int, cross-validation generator or iterable, default=None
        As for GridSearchCV.
    verbose : int, default=0
        >0 prints the number of fits and one line per (fold, path) with its best score.
    pre_dispatch : int or str, default='2*n_jobs'
        As for GridSearchCV.
    error_score : 'raise' or numeric, default=np.nan
        As for GridSearchCV; a failed path fit gives this score to all its alphas.
    return_train_score : bool, default=False
        As for GridSearchCV.
    selection_rule : {'min', '1se'}, default='min'
        Which candidate ``best_index_`` (and so the refit) designates: 'min' the best mean
        score (GridSearchCV's rule); '1se' the largest alpha (the smallest C, for a
        classifier's path over C) whose mean score is within one standard error
        (``std_test / sqrt(n_splits)``) of the best, among candidates sharing the best's
        other parameters. Needs a str refit metric (or single-metric scoring).

    Attributes
    ----------
    cv_results_, best_estimator_, best_score_, best_params_, best_index_, scorer_, n_splits_,
    refit_time_, multimetric_, feature_names_in_
        As for GridSearchCV.
    alpha_ : float
        Alpha of the best mean score for the refit metric (the 'min' rule), whatever the
        ``selection_rule``. Set when the best candidate has an ``alpha``.
    alpha_1se_ : float
        Largest alpha within one standard error of the best (see ``selection_rule``).
    C_, C_1se_ : float
        Instead of ``alpha_`` / ``alpha_1se_`` when the path runs over C (a
        :class:`~skreg.LogisticRegression`, or a Pipeline ending in one): the C of the best
        mean score, and the smallest C within one standard error of it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_diabetes
    >>> from skreg import Lasso, PathSearchCV
    >>> X, y = load_diabetes(return_X_y=True)
    >>> search = PathSearchCV(Lasso(), {"alpha": np.logspace(-3, 0, 30)}, cv=5).fit(X, y)
    >>> bool(search.best_params_["alpha"] == search.alpha_)
    True

    Tuning a scaled Lasso without leaking the held-out folds into the scaling:

    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> pipe = make_pipeline(StandardScaler(), Lasso())
    >>> search = PathSearchCV(pipe, {"lasso__alpha": np.logspace(-2, 1, 30)}, cv=5).fit(X, y)
    >>> bool(search.alpha_ == search.best_params_["lasso__alpha"])
    True
    """

    _parameter_constraints: dict = {
        **GridSearchCV._parameter_constraints,
        "selection_rule": [StrOptions({"min", "1se"})],
    }

    # Subclasses set True to keep every (fold, path) task's solved path in `_fold_paths`
    # (`skreg._path_tasks`); the search itself keeps nothing.
    _keep_fold_paths = False

    def __init__(self, estimator, param_grid, *, scoring=None, n_jobs=None, refit=True, cv=None,
                 verbose=0, pre_dispatch="2*n_jobs", error_score=np.nan,
                 return_train_score=False, selection_rule="min"):
        super().__init__(
            estimator=estimator, param_grid=param_grid, scoring=scoring, n_jobs=n_jobs,
            refit=refit, cv=cv, verbose=verbose, pre_dispatch=pre_dispatch,
            error_score=error_score, return_train_score=return_train_score)
        self.selection_rule = selection_rule

    # -- hooks -----------------------------------------------------------------------------------

    def _path_precompute(self, estimator):
        """`precompute` used by the path tasks of `estimator`'s candidates."""
        precompute = getattr(estimator, "precompute", "auto")
        if isinstance(precompute, (bool, np.bool_)) and not precompute:
            return "auto"
        return precompute

    def _full_data_statistics(self, stats, dtype):
        """The statistics of all the rows (`skreg._dask_data`), when the folds' paths ran on
        statistics: the refit solves on them (a subclass may keep them for its own solves on
        the full data)."""
        self._refit_statistics = (stats, dtype)

    def _refit_from_statistics(self, statistics, X, y):
        """Fit ``best_estimator_`` on the statistics of all the rows, when the folds' paths
        ran on statistics: the problem and stopping rule of its ``fit`` (to the tolerance it
        certifies), without another pass over X; in a Pipeline, StandardScaler steps are
        fitted from the statistics too. Returns whether it did (else: fit)."""
        if statistics is None or getattr(self.best_estimator_, "_skl_callbacks", None):
            return False  # (callbacks watch a fit)
        stats, dtype = statistics
        best, params, prefix = self.best_estimator_, self.best_params_, ""
        model = best
        route = pipeline_route(best)
        if route is not None:
            model, prefix = route[0], route[1] + "__"
            if not fits_head_from_statistics(best, {}, self):
                return False
        param = getattr(model, "_path_param", None)
        value = params.get(prefix + str(param))
        if (value is None or not path_value_check(model)(value)
                or not callable(getattr(model, "_solve_path_statistics", None))):
            return False
        own = {k[len(prefix):]: [v] for k, v in params.items() if k.startswith(prefix)}
        blend_name = path_blend_param(model, own)
        blend = None if blend_name is None else own[blend_name]
        head_out = X  # whose feature names a fit on the rows would record
        try:
            if route is not None:
                stats, head_out = fit_head_from_statistics(best, stats, X)
            result = model._solve_path_statistics(
                stats, y, np.array([value], dtype=np.float64), blend=blend, dtype=dtype)
        except Exception:  # the fit meets (and reports) it
            return False
        if not (np.isfinite(result.coefs).all() and np.isfinite(result.intercepts).all()):
            return False  # (the fit's error)
        fitted = model._path_model(result, 0)
        # (a copy made inside the refit's callback context, which only clears the original)
        fitted.__dict__.pop("_parent_callback_ctx", None)
        _check_feature_names(fitted, head_out, reset=True)
        if route is None:
            self.best_estimator_ = fitted
        else:
            best.steps[-1] = (route[1], fitted)
        return True

    def _select_best_index(self, refit, refit_metric, results):
        """GridSearchCV's choice, or the one-standard-error one; records alpha_/alpha_1se_ (C_ /
        C_1se_ for a path over C)."""
        best = select_best_index(refit, refit_metric, results)
        metric = refit_metric if isinstance(refit_metric, str) else None
        if self.selection_rule == "1se" and metric is None:
            raise ValueError("selection_rule='1se' needs a scorer name as refit (or a single "
                             "metric); with a callable refit, the callable chooses.")
        _forget_path_choice(self)
        ref = best
        if metric is not None:
            ref = int(np.argmin(results[f"rank_test_{metric}"]))
        route = pipeline_route(self.estimator)
        path_estimator = self.estimator if route is None else route[0]
        param = getattr(path_estimator, "_path_param", "alpha")
        key = param
        if route is not None and param not in results["params"][ref]:
            key = f"{route[1]}__{param}"  # a Pipeline's last step: the rule moves its value
        if key in results["params"][ref]:
            setattr(self, f"{param}_", results["params"][ref][key])
            if metric is not None:
                view = results
                if key != param:  # the 1-SE rule reads the bare name: rename the last step's
                    view = dict(results)
                    view["params"] = [{(param if k == key else k): v for k, v in p.items()}
                                      for p in results["params"]]
                one_se = one_standard_error_index(
                    view, metric, search_n_splits(self, results), ref, param=param,
                    inverse=bool(getattr(path_estimator, "_path_inverse", False)))
                setattr(self, f"{param}_1se_", results["params"][one_se][key])
                if self.selection_rule == "1se":
                    best = one_se
        return best

    # -- fit -------------------------------------------------------------------------------------

    @_fit_context(
        # the estimator is validated by its own fit (or by the path tasks)
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y=None, **params):
        """Run fit with all sets of parameters (warm-started paths over alpha).

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target.
        **params : dict
            Passed to the estimator's fit (``sample_weight``, split per fold), the scorer
            (``sample_weight``) and the CV splitter (``groups``), as for GridSearchCV.

        Returns
        -------
        self : object
            Fitted search.
        """
        if self.selection_rule == "1se" and callable(self.refit):
            raise ValueError("selection_rule='1se' cannot be combined with a callable refit.")
        for stale in ("_refit_statistics", "_full_statistics"):  # (of a fit that failed)
            self.__dict__.pop(stale, None)
        _check_param_grid(self.param_grid)
        if _dask_data.is_dask(X):  # chunk-aligned folds, scored from per-fold statistics
            return self._fit_dask(X, y, params)
        route = pipeline_route(self.estimator)
        if y is None or (route is None and not is_path_estimator(self.estimator)):
            reason = _fallback_reason_estimator(self.estimator)
            if reason is not None:
                _warn_fallback([reason])
            return self._fit_grid(X, y, **params)
        if route is None:
            path_estimator, prefix, forbidden = self.estimator, "", ()
        else:
            if getattr(self.estimator, "transform_input", None) is not None:
                _warn_fallback(["the Pipeline transforms metadata (transform_input)"])
                return self._fit_grid(X, y, **params)
            path_estimator, prefix = route[0], route[1] + "__"
            forbidden = _forbidden_keys(self.estimator)
        candidates, groups, singles = plan(self.param_grid, path_estimator, prefix, forbidden)
        if singles:
            _warn_fallback(_fallback_reasons_grid(self.param_grid, path_estimator, prefix,
                                                  forbidden))
        if not groups:
            return self._fit_grid(X, y, **params)
        return self._fit_paths(X, y, candidates, groups, singles, params, route)

    def _fit_grid(self, X, y=None, **params):
        _forget_path_choice(self)
        return super().fit(X, y, **params)

    def _fit_paths(self, X, y, candidates, groups, singles, params, route=None):
        """BaseSearchCV.fit with the per-candidate fits replaced by path tasks (and the rest,
        from `_format_results` on, unchanged). `route`: (last step, its name) when the
        estimator is a Pipeline ending with a path estimator."""
        scorers, refit_metric = get_scorers(self)
        X, y = indexable(X, y)
        params = _check_method_params(X, params=params)
        routed_params = get_routed_params_for_fit(self, params)
        fit_params = routed_params.estimator.fit
        if route is None:
            unknown = set(fit_params) - path_fit_params(self.estimator)
        else:
            unknown = _last_step_fit_params(route, fit_params) - path_fit_params(route[0])
        if unknown:  # unknown to the path: one fit per candidate
            _warn_fallback([f"the fit parameters {sorted(unknown)} are not passed along a "
                            "path"])
            singles = sorted(singles + [m[0] for g in groups for m in g.members])
            groups = []

        sample_weight = params.get("sample_weight")
        metadata = None if sample_weight is None else {"sample_weight": sample_weight}
        root_ctx = init_callback_context(
            self, max_subtasks=1 + (self.refit is not False)
        ).call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)

        self._checked_cv_orig = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        check_input_parameters(self, X=X, y=y, split_params=routed_params.splitter.split)
        self.n_splits_ = n_splits = self._checked_cv_orig.get_n_splits(
            X, y, **routed_params.splitter.split)
        cv_splits = list(self._checked_cv_orig.split(X, y, **routed_params.splitter.split))
        if len(cv_splits) != n_splits:
            raise ValueError(
                f"cv.split and cv.get_n_splits return inconsistent results. "
                f"Expected {n_splits} splits, got {len(cv_splits)}")
        n_candidates = len(candidates)
        if self.verbose > 0:
            print(f"Fitting {n_splits} folds for each of {n_candidates} candidates, totalling "
                  f"{n_candidates * n_splits} fits ({len(groups)} warm-started "
                  f"{(self.estimator if route is None else route[0])._path_param} paths "
                  f"and {len(singles)} single candidates per fold)")

        base_estimator = clone(self.estimator)
        common = dict(scorer=scorers, fit_params=fit_params,
                      score_params=routed_params.scorer.score,
                      return_train_score=self.return_train_score,
                      error_score=self.error_score, verbose=self.verbose, caller=self)
        n_tasks = n_splits * (len(groups) + len(singles))  # (at most, with a Pipeline)
        search_ctx = root_ctx.subcontext(
            task_name="search", max_subtasks=n_tasks, sequential_subtasks=False
        ).call_on_fit_task_begin(estimator=self)
        task_ids = iter(range(n_tasks))

        def context(name):
            return search_ctx.subcontext(task_name=name, task_id=next(task_ids))

        jobs, slots = [], []  # slots[j]: where the j-th job's results go
        statistics = None
        if route is None and groups:  # every fold's Gram from one pass, when they all use it
            estimators = [clone(base_estimator).set_params(**clone(g.params, safe=False))
                          for g in groups]
            statistics = fold_statistics(
                estimators, [self._path_precompute(e) for e in estimators], X, y,
                fit_params, cv_splits)
            if statistics is not None:
                self._full_data_statistics(statistics[3], statistics[1])
        elif (groups and not (_routing_enabled() and fit_params)
              and affine_steps_only(self.estimator, self.param_grid)):
            # a Pipeline: the raw folds' statistics, mapped through fitted scalers by the tasks
            prefix = route[1] + "__"
            estimators = [clone(route[0]).set_params(**clone(
                {k[len(prefix):]: v for k, v in g.params.items() if k.startswith(prefix)},
                safe=False)) for g in groups]
            last_fit = {k[len(prefix):]: v for k, v in fit_params.items()
                        if k.startswith(prefix)}
            statistics = fold_statistics(
                estimators, [self._path_precompute(e) for e in estimators], X, y,
                last_fit, cv_splits)
            if statistics is not None and not fit_params:  # (unweighted, as the scalers)
                self._refit_statistics = (statistics[3], statistics[1])
        if route is not None:  # a Pipeline: one task per (fold, setting of the other steps)
            prefix = route[1] + "__"
            settings = []  # [(head params, [(group, index, n_groups), ...])]
            for g, group in enumerate(groups):
                head = {k: v for k, v in group.params.items() if not k.startswith(prefix)}
                for known, members in settings:
                    if _same_params(known, head):
                        members.append((group, g, len(groups)))
                        break
                else:
                    settings.append((head, [(group, g, len(groups))]))
            for head, members in settings:
                for s, (train, test) in enumerate(cv_splits):
                    jobs.append(delayed(fit_and_score_pipeline_paths)(
                        base_estimator, X, y, head_params=head, groups=members,
                        precompute=self._path_precompute, train=train, test=test,
                        split_progress=(s, n_splits),
                        callback_ctx=context("path-split-evaluation"),
                        statistics=None if statistics is None else (
                            statistics[0][s], statistics[1],
                            statistics[2] / (n_splits * len(settings))), **common))
                    slots.append(("pipeline", [m[0] for m in members], s))
        keep = bool(self._keep_fold_paths) and route is None
        self.__dict__.pop("_fold_paths", None)
        for g, group in enumerate(groups if route is None else []):
            estimator = clone(base_estimator).set_params(**clone(group.params, safe=False))
            precompute = self._path_precompute(estimator)
            params_msg = ", ".join(f"{k}={group.params[k]}" for k in sorted(group.params))
            for s, (train, test) in enumerate(cv_splits):
                jobs.append(delayed(fit_and_score_path)(
                    clone(estimator), X, y, values=group.values, precompute=precompute,
                    train=train, test=test, split_progress=(s, n_splits),
                    path_progress=(g, len(groups)), params_msg=params_msg,
                    callback_ctx=context("path-split-evaluation"), blend=group.blend,
                    blend_param=group.blend_param, statistics=None if statistics is None else (
                        statistics[0][s], statistics[1],
                        statistics[2] / (n_splits * len(groups))), keep_path=keep,
                    **common))
                slots.append(("path", (g, group), s))
        single_kwargs = dict(common, return_n_test_samples=True, return_times=True,
                             return_parameters=False)
        for c in singles:
            for s, (train, test) in enumerate(cv_splits):
                jobs.append(delayed(fit_and_score)(
                    clone(base_estimator), X, y, train=train, test=test,
                    parameters=candidates[c], split_progress=(s, n_splits),
                    candidate_progress=(c, n_candidates),
                    callback_ctx=context("candidate-split-evaluation"), **single_kwargs))
                slots.append(("single", c, s))

        with Parallel(n_jobs=self.n_jobs, pre_dispatch=self.pre_dispatch) as parallel:
            outputs = parallel(jobs)
        search_ctx.call_on_fit_task_end(estimator=self)

        out = [None] * (n_candidates * n_splits)  # candidate-major, as evaluate_candidates
        if keep:  # (group, [path of each split]) per group, in the order of `groups`
            self._fold_paths = [(group, [None] * n_splits) for group in groups]
        for (kind, where, s), output in zip(slots, outputs, strict=True):
            if kind == "single":
                out[where * n_splits + s] = output
            elif kind == "pipeline":
                for group, results in zip(where, output, strict=True):
                    for c, i in group.slots:
                        out[c * n_splits + s] = dict(results[i])
            else:
                g, where = where
                if keep:
                    output, self._fold_paths[g][1][s] = output
                for c, i in where.slots:
                    out[c * n_splits + s] = dict(output[i])
        self._conclude(X, y, candidates, n_splits, out, scorers, refit_metric, base_estimator,
                       routed_params, root_ctx, metadata)
        return self

    def _fit_dask(self, X, y, params):
        """Chunk-aligned folds scored from per-fold statistics (`skreg._dask_search`)."""
        scorers, refit_metric = get_scorers(self)
        routed = get_routed_params_for_fit(self, params)
        raw_weight = routed.estimator.fit.get("sample_weight")
        metadata = None if raw_weight is None else {"sample_weight": raw_weight}
        root_ctx = init_callback_context(
            self, max_subtasks=1 + (self.refit is not False)
        ).call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)
        candidates, out, self.n_splits_, base = dask_path_results(
            self.estimator, self.param_grid, X, y, scorers=scorers, cv=self.cv,
            fit_params=routed.estimator.fit, score_params=routed.scorer.score,
            groups=routed.splitter.split.get("groups"), error_score=self.error_score,
            return_train_score=self.return_train_score, verbose=self.verbose)
        # the refit reuses the statistics (the total of the folds): no further pass over X
        self._conclude(X, y, candidates, self.n_splits_, out, scorers, refit_metric, base,
                       routed, root_ctx, metadata)
        return self

    def _conclude(self, X, y, candidates, n_splits, out, scorers, refit_metric,
                  base_estimator, routed_params, root_ctx, metadata):
        """From the per-split results on: GridSearchCV's checks, formatting and refit."""
        if len(out) < 1:
            raise ValueError("No fits were performed. Was the CV iterator empty? "
                             "Were there no candidates?")
        _warn_or_raise_about_fit_failures(out, self.error_score)
        if callable(self.scoring):
            _insert_error_scores(out, self.error_score)
        results = format_results(self, candidates, n_splits, out, defaultdict(list))

        first_test_score = out[0]["test_scores"]
        self.multimetric_ = isinstance(first_test_score, dict)
        if callable(self.scoring) and self.multimetric_:
            check_refit_for_multimetric(self, first_test_score)
            refit_metric = self.refit
        self._finish(X, y, results, refit_metric, scorers, base_estimator, routed_params,
                     root_ctx, metadata)

    def _finish(self, X, y, results, refit_metric, scorers, base_estimator, routed_params,
                root_ctx, metadata):
        """The end of BaseSearchCV.fit: best candidate, refit, scorer_, cv_results_."""
        statistics = self.__dict__.pop("_refit_statistics", None)
        _forget_path_choice(self)
        if self.refit or not self.multimetric_:
            self.best_index_ = self._select_best_index(self.refit, refit_metric, results)
            if not callable(self.refit):
                self.best_score_ = results[f"mean_test_{refit_metric}"][self.best_index_]
            self.best_params_ = results["params"][self.best_index_]

        if self.refit:
            self.best_estimator_ = clone(base_estimator).set_params(
                **clone(self.best_params_, safe=False))
            refit_ctx = root_ctx.subcontext(task_name="refit-with-best-params")
            with refit_ctx.propagate_callback_context(self.best_estimator_):
                refit_ctx.call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)
                refit_start_time = time.time()
                if not self._refit_from_statistics(statistics, X, y):
                    self.best_estimator_.fit(X, y, **routed_params.estimator.fit)
                refit_end_time = time.time()
            self.refit_time_ = refit_end_time - refit_start_time
            if hasattr(self.best_estimator_, "feature_names_in_"):
                self.feature_names_in_ = self.best_estimator_.feature_names_in_
            refit_ctx.call_on_fit_task_end(estimator=self, X=X, y=y, metadata=metadata)

        if isinstance(scorers, _MultimetricScorer):
            self.scorer_ = scorers._scorers
        else:
            self.scorer_ = scorers
        self.cv_results_ = results
        root_ctx.call_on_fit_task_end(estimator=self, X=X, y=y, metadata=metadata)
