"""Path tasks: which candidates of a grid form warm-started paths, and one task that solves one
path on one training fold and scores every point of it on the held-out part.

A task returns, per candidate, the result dict scikit-learn's `_fit_and_score` returns for
GridSearchCV, so the search can hand them to GridSearchCV's own result formatting.

The path-estimator protocol
---------------------------
PathSearchCV (and the CV selectors built on it) solves a path for any estimator whose class
implements the following; nothing in the search names a model. skreg's ElasticNet / Lasso are
the reference implementation (`skreg._path_protocol`).

Required:

``_path_param : str`` (class attribute)
    The parameter the path runs over: ``"alpha"`` for the penalized regressions, ``"C"`` for
    logistic regression. Sub-grids that contain it (with valid values only) are solved as
    paths; the other parameters of a candidate are set on the estimator as usual.

``_solve_path(self, X, y, sample_weight, values, *, precompute="auto", blend=None) -> PathResult``
    Solve the warm-started path on one training fold. ``X``, ``y`` are the fold as ``fit``
    would receive them (the search only splits rows); validate them as ``fit`` does, recording
    ``n_features_in_`` / ``feature_names_in_`` (and ``classes_`` ...) on ``self``.
    ``sample_weight`` is None or the fold's weights, as ``fit`` receives them. ``values`` is a
    1-D float64 array of distinct values of ``_path_param``, in no particular order: solving
    them in the order of decreasing regularization (decreasing alpha, increasing C) is the
    estimator's business; the result's columns follow ``values`` as given. ``precompute`` is
    the search's Gram hint (``'auto'``, a bool or an array; estimators without a Gram mode
    ignore it). ``blend``: None, or the values of the second parameter named by
    ``_path_blend_param`` (below), all served by the same path. Errors as ``fit``'s
    (the search turns them into ``error_score``), warnings as ``fit``'s.
    Returns a `skreg._path_protocol.PathResult`: ``coefs`` (n_rows, n_features, n_columns)
    with ``coefs[:, :, j]`` the column-j ``coef_`` as 2-D rows (one per target, task or class),
    ``intercepts`` (n_rows, n_columns), ``values`` (n_columns,), ``seconds`` (n_columns,) the
    wall time of each column's solve, ``setup`` the seconds spent before the first solve,
    ``blend`` (n_columns,) or None, and ``info`` (a dict for ``_path_model``). Columns are
    blend-major: ``j = i_blend * len(values) + i_value``.

``_path_model(self, result, j) -> estimator``
    A fitted estimator for column ``j``, equal (up to the solver's tolerance) to
    ``clone(self).set_params(**{_path_param: values[j][, blend param: blend[j]]}).fit(X, y,
    sample_weight)``; ``self`` is the template ``_solve_path`` ran on. Cheap (a copy with the
    fitted attributes set): it is called only for scorers that need a fitted model.

Optional (defaults in brackets):

``_is_path_value(value) -> bool`` (static) [a finite real >= 0, not a bool]
    Whether one grid value of ``_path_param`` can be a path point (a grid with another value
    falls back to one fit per candidate, with a `PathFallbackWarning`).
``_path_inverse : bool`` [False]
    Whether a larger value of ``_path_param`` regularizes less (C): the one-standard-error
    rule then picks the smallest value within one standard error of the best, and the search
    records ``C_`` / ``C_1se_`` (``<_path_param>_`` / ``<_path_param>_1se_``).
``_path_blend_param(self, sub_grid) -> str | None`` [None]
    The name of a second parameter of the sub-grid (keys without any Pipeline prefix) whose
    values one path serves, e.g. the relaxed lasso's ``"gamma"``.
``_path_fit_params : frozenset`` [{"sample_weight"}]
    The fit parameters ``_solve_path`` understands; other fit parameters fall back to one fit
    per candidate.
``_solve_path_statistics(self, stats, y, values, *, blend=None, dtype=float64) -> PathResult``
    [absent] The same path from a training fold's sufficient statistics (``stats``: rows n,
    weight sum w, weighted means mx / my, centred co-moments Cxx / Cxy / Cyy, see
    `skreg._dask_data`; weights as given, to be rescaled as ``fit`` rescales them) instead
    of its rows; ``y`` is the fold's target (its shape only). When every path of a search
    on dense data would build the fold's Gram matrix anyway, the search computes the
    statistics of every fold in one pass and calls this instead of ``_solve_path``.

`is_path_estimator` also requires that ``fit`` is not overridden below the class defining
``_solve_path`` (a subclass changing ``fit`` only gets no path: its fits may differ).

Keeping the fold paths (opt-in): a search whose class sets ``_keep_fold_paths = True`` (e.g.
LogisticRegressionCV, for scikit-learn's per-fold ``coefs_paths_``) gets each (fold, path)
task's `PathResult` back (``coefs``, ``intercepts``, ``values``, ``blend``, ``info``; no
reference to the fold's data) in its private ``_fold_paths``; otherwise nothing is kept and
nothing is copied.

Scoring: when the estimator's ``predict`` is skreg's linear one and the scorer one of the usual
regression metrics, every column is scored at once from ``coefs`` / ``intercepts``
(`skreg._scoring.path_scores`); otherwise each column's ``_path_model`` is scored by the scorer.
"""

import copy
import time
from functools import partial
from itertools import product
from traceback import format_exc

import numpy as np
from scipy import sparse
from sklearn import get_config
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid

from . import _dask_data
from ._dask_data import TRAIN, FoldStatistics, split_roles
from ._dask_data import _block_stats as block_statistics
from ._design import GRAM_MIN_RATIO
from ._input import validate_fit_data
from ._path_protocol import PathResult, is_nonnegative_real
from ._scoring import error_scores, path_scores
from ._sklearn_compat import (
    _check_feature_names,
    _check_method_params,
    _check_sample_weight,
    _handle_zeros_in_scale,
    _is_constant_feature,
    _MultimetricScorer,
    _num_samples,
    _PassthroughScorer,
    _routing_enabled,
    _safe_indexing,
    _safe_split,
    _score,
    pipeline_fit_head,
)

__all__ = ["PathResult"]

# The fit parameters a path task understands, unless the estimator says otherwise.
DEFAULT_PATH_FIT_PARAMS = frozenset({"sample_weight"})


class PathGroup:
    """Candidates of one sub-grid sharing every parameter but the path parameter (and a blend
    parameter, e.g. a relaxed fit's ``gamma``).

    ``values`` holds the distinct path values, decreasing; ``slots`` maps each candidate index
    to its column in the task's results: the value's position, or with a blend axis
    (``blend``: its distinct values, increasing) ``i_blend * n_values + i_value``."""

    def __init__(self, params):
        self.params = params
        self.members = []  # (candidate index, path value[, blend value])
        self.values = None
        self.blend = None
        self.blend_param = None  # the blend parameter's name (as in the grid)
        self.slots = None

    # (the names of the elastic net's parameters, for readability at its call sites)
    @property
    def alphas(self):
        return self.values

    @property
    def gammas(self):
        return self.blend

    def finalize(self):
        values = np.array([m[1] for m in self.members], dtype=np.float64)
        self.values = np.unique(values)[::-1].copy()
        if self.members and len(self.members[0]) == 3:
            self.blend = np.unique(np.array([m[2] for m in self.members], dtype=np.float64))
        self.slots = []
        for member in self.members:
            slot = int(np.flatnonzero(self.values == member[1])[0])
            if self.blend is not None:
                slot += len(self.values) * int(np.flatnonzero(self.blend == member[2])[0])
            self.slots.append((member[0], slot))


def is_valid_alpha(value):
    return is_nonnegative_real(value)


def _owner(cls, name):
    for klass in cls.__mro__:
        if name in vars(klass):
            return klass
    return None


def is_path_estimator(estimator):
    """Whether `estimator` implements the path-estimator protocol (module docstring), with
    its ``fit`` defined no lower than its ``_solve_path`` (a subclass overriding ``fit`` only
    may fit another problem)."""
    cls = type(estimator)
    if isinstance(estimator, type) or not isinstance(getattr(cls, "_path_param", None), str):
        return False
    if not (callable(getattr(cls, "_solve_path", None))
            and callable(getattr(cls, "_path_model", None))):
        return False
    solver, fit = _owner(cls, "_solve_path"), _owner(cls, "fit")
    return fit is not None and fit in solver.__mro__


def path_value_check(estimator):
    """The estimator's test of one grid value of its path parameter."""
    return getattr(type(estimator), "_is_path_value", is_nonnegative_real)


def path_fit_params(estimator):
    """The fit parameters `estimator`'s ``_solve_path`` takes."""
    return frozenset(getattr(type(estimator), "_path_fit_params", DEFAULT_PATH_FIT_PARAMS))


def path_blend_param(estimator, sub_grid):
    blend = getattr(estimator, "_path_blend_param", None)
    return None if blend is None else blend(sub_grid)


def plan(param_grid, estimator, prefix="", forbidden=()):
    """Split the candidates of a grid into warm-started path groups and single fits.

    `estimator` is the path estimator (for a Pipeline: its last step, whose grid keys carry
    ``prefix``, e.g. ``"lasso__"``). A sub-grid whose path parameter values are all valid
    forms groups: one per setting of the other parameters, with the estimator's blend
    parameter (if it names one for the sub-grid) joining the path parameter. A sub-grid
    with a `forbidden` key (one that replaces the path estimator) is fitted one by one.

    Returns (candidate_params, groups, singles) with candidates in ParameterGrid's order."""
    name = prefix + estimator._path_param
    is_value = path_value_check(estimator)
    grid = ParameterGrid(param_grid)
    candidates = list(grid)
    groups, singles = [], []
    offset = 0
    for sub in grid.param_grid:
        keys = sorted(sub)
        sizes = [len(sub[k]) for k in keys]
        n_sub = int(np.prod(sizes)) if keys else 1
        if (name in sub and all(is_value(a) for a in sub[name])
                and not any(k in sub for k in forbidden)):
            own = {k[len(prefix):]: v for k, v in sub.items() if k.startswith(prefix)}
            blend = path_blend_param(estimator, own)
            blend = None if blend is None else prefix + blend
            axes = [keys.index(name)] + ([keys.index(blend)] if blend is not None else [])
            by_others = {}
            # ParameterGrid iterates product(*values) over the sorted keys: mirror its order.
            for j, idx in enumerate(product(*(range(n) for n in sizes))):
                others = tuple(v for i, v in enumerate(idx) if i not in axes)
                group = by_others.get(others)
                if group is None:
                    group = PathGroup({k: candidates[offset + j][k] for k in keys
                                       if k != name and k != blend})
                    group.blend_param = blend
                    by_others[others] = group
                    groups.append(group)
                member = (offset + j, float(sub[name][idx[axes[0]]]))
                if blend is not None:
                    member += (float(sub[blend][idx[axes[1]]]),)
                group.members.append(member)
        else:
            singles.extend(range(offset, offset + n_sub))
        offset += n_sub
    for group in groups:
        group.finalize()
    return candidates, groups, singles


NON_FINITE_MESSAGE = ("Coordinate descent iterations resulted in non-finite parameter values. "
                      "The input data may contain large values and need to be preprocessed.")


def score_path(scorer, template, models, X, y, result, score_params, error_score,
               X_models=None, vectorize=True):
    """Scores of every column of a path result and the seconds each took: all at once from
    the coefficients for the usual regression scorers on `template` (the path estimator, on
    `X` in its own feature space), else each fitted model (``models[j]()``, scored on
    `X_models`, by default X) one by one."""
    n_columns = result.n_columns
    t0 = time.perf_counter()
    scores = None
    try:
        if vectorize:
            scores = path_scores(scorer, template, X, y, result.coefs, result.intercepts,
                                 score_params)
    except Exception:  # let the scorer itself report whatever went wrong
        scores = None
    if scores is not None:
        return scores, np.full(n_columns, (time.perf_counter() - t0) / n_columns)
    X_models = X if X_models is None else X_models
    scores, seconds = [], np.zeros(n_columns)
    for j in range(n_columns):
        t0 = time.perf_counter()
        if models[j] is None:
            scores.append(error_scores(scorer, error_score))
        else:
            scores.append(_score(models[j](), X_models, y, scorer, score_params, error_score))
        seconds[j] = time.perf_counter() - t0
    return scores, seconds


def solve_and_score(estimator, X_train, y_train, X_test, y_test, *, values, blend, precompute,
                    fit_params, scorer, score_params_train, score_params_test,
                    return_train_score, error_score, wrap=None, raw=None, start=None,
                    vectorize=True, solve=None, kept=None):
    """Solve `estimator`'s path on a training fold and score every column.

    `wrap`, if given, turns a column's fitted path estimator into the model the scorer
    scores (a Pipeline around it), on the raw held-out data ``raw = (X_train_raw,
    X_test_raw)``; the vectorised scores (unless not `vectorize`) use the data as given.
    Returns (columns (values, blend), fit_errors, test_scores, train_scores, fit_times,
    score_times) with one entry per column. `start`: the time the task's set-up began (its
    share goes into fit times). `solve`: stands in for ``estimator._solve_path``. `kept`: a
    list to which the solved path is appended (`kept_path`), None when the solve failed;
    opt-in (the default keeps nothing)."""
    start = time.perf_counter() if start is None else start
    n_values = len(values)
    n_columns = n_values * (1 if blend is None else len(blend))
    columns = (np.tile(values, n_columns // n_values),
               None if blend is None else np.repeat(np.asarray(blend), n_values))
    fit_errors = [None] * n_columns
    train_scores = None
    try:
        t_solve = time.perf_counter()
        result = (estimator._solve_path if solve is None else solve)(
            X_train, y_train, fit_params.get("sample_weight"),
            np.asarray(values, dtype=np.float64), precompute=precompute, blend=blend)
        result.check(n_columns)
    except Exception:
        if error_score == "raise":
            raise
        if kept is not None:
            kept.append(None)
        fit_times = np.full(n_columns, (time.perf_counter() - start) / n_columns)
        fit_errors = [format_exc()] * n_columns
        test_scores = [error_scores(scorer, error_score)] * n_columns
        train_scores = test_scores
        score_times = np.zeros(n_columns)
        return columns, fit_errors, test_scores, train_scores, fit_times, score_times
    fit_times = (result.setup + t_solve - start) / n_columns + result.seconds
    coefs, intercepts = result.coefs, result.intercepts
    if kept is not None:
        kept.append(kept_path(result))
    finite = np.isfinite(coefs).all(axis=(0, 1)) & np.isfinite(intercepts).all(axis=0)
    models = []
    for j in range(n_columns):
        if finite[j]:
            if wrap is None:
                models.append(lambda j=j: estimator._path_model(result, j))
            else:
                models.append(lambda j=j: wrap(estimator._path_model(result, j)))
            continue
        if error_score == "raise":
            raise ValueError(NON_FINITE_MESSAGE)
        fit_errors[j] = f"ValueError: {NON_FINITE_MESSAGE}\n"
        models.append(None)
    if not finite.all():
        result.coefs = np.where(finite, coefs, 0)
        result.intercepts = np.where(finite, intercepts, 0)
    raw_train, raw_test = (None, None) if raw is None else raw
    test_scores, score_times = score_path(
        scorer, estimator, models, X_test, y_test, result, score_params_test, error_score,
        X_models=raw_test, vectorize=vectorize and X_test is not None)
    if return_train_score:
        train_scores, _ = score_path(
            scorer, estimator, models, X_train, y_train, result, score_params_train,
            error_score, X_models=raw_train, vectorize=vectorize)
    for j in np.flatnonzero(~finite):
        test_scores[j] = error_scores(scorer, error_score)
        if return_train_score:
            train_scores[j] = error_scores(scorer, error_score)
    return columns, fit_errors, test_scores, train_scores, fit_times, score_times


def kept_path(result):
    """The part of a fold's `PathResult` a search keeps when asked to (``coefs``,
    ``intercepts``, ``values``, ``blend`` and ``info``, as solved, non-finite columns
    included): the coefficient arrays are shared, not copied, and nothing refers to the
    fold's data."""
    return PathResult(coefs=result.coefs, intercepts=result.intercepts, values=result.values,
                      seconds=result.seconds, setup=result.setup, blend=result.blend,
                      info=result.info)


def results_dicts(fit_errors, test_scores, train_scores, n_test, fit_times, score_times,
                  return_train_score):
    """`_fit_and_score`'s result dicts, one per column."""
    results = []
    for j in range(len(fit_errors)):
        result = {"fit_error": fit_errors[j], "test_scores": test_scores[j]}
        if return_train_score:
            result["train_scores"] = train_scores[j]
        result["n_test_samples"] = n_test
        result["fit_time"] = float(fit_times[j])
        result["score_time"] = float(score_times[j])
        results.append(result)
    return results


def _wants_gram(precompute, n_train, p):
    if isinstance(precompute, str):
        return n_train >= GRAM_MIN_RATIO * p
    return isinstance(precompute, (bool, np.bool_)) and bool(precompute)


def fold_statistics(estimators, precomputes, X, y, fit_params, cv_splits):
    """The statistics of every training fold, from one pass over X, when every path of the
    search runs on the fold's Gram matrix anyway (dense X, every estimator with the optional
    ``_solve_path_statistics``, Gram wanted on every fold, only ``sample_weight`` as fit
    parameter, valid data): each fold's Gram then costs p^2 instead of n_train p^2, and no
    fold is copied. Returns (statistics per split, dtype, seconds, statistics of all the
    rows) or None (each fold is then validated and built by its own task, as a fit does).

    The rows are grouped by their role in every split; the statistics of each group are
    centred at its own mean and merged or removed exactly (`skreg._dask_data`), so the
    training Gram matrices are as accurate as those built from the centred folds.

    Any dense container (a DataFrame too) takes this route once validated: the paths see the
    same numbers whatever holds the data. The models built from the statistics record the
    feature names a fit would (see `fit_and_score_path`, `fit_head_from_statistics`)."""
    t0 = time.perf_counter()
    p = X.shape[1] if hasattr(X, "shape") and len(X.shape) == 2 else 0
    if (sparse.issparse(X) or _dask_data.is_dask(X) or p == 0
            or set(fit_params) - {"sample_weight", "check_input"}
            or not all(callable(getattr(e, "_solve_path_statistics", None))
                       for e in estimators)
            or not all(_wants_gram(pc, len(train), p)
                       for pc in precomputes for train, _ in cv_splits)):
        return None
    try:
        check = clone(estimators[0])
        Xv, yv, _ = validate_fit_data(check, X, y, None)
        if not isinstance(Xv, np.ndarray):  # (a sparse DataFrame validates to sparse X)
            return None
        weights = fit_params.get("sample_weight")
        if weights is not None and not np.isscalar(weights):
            weights = _check_sample_weight(weights, Xv, dtype=np.float64,
                                           ensure_non_negative=True)
        else:
            weights = None
        n = Xv.shape[0]
        for train, _ in cv_splits:
            train = np.asarray(train)
            if train.dtype.kind in "iu" and np.unique(train).size != train.size:
                return None  # repeated training rows (bootstrap splits): a fit on the rows
        roles, group = split_roles(cv_splits, n)
        Y = yv.reshape(n, -1)
        atoms = []
        for a in range(len(roles)):  # (rows in no split too: the full data's statistics)
            rows = np.flatnonzero(group == a)
            atoms.append(block_statistics(Xv[rows], Y[rows],
                                          None if weights is None else weights[rows]))
        folds = FoldStatistics(atoms)
        total = folds.total
        out = [folds.training(np.flatnonzero(roles[:, s] & TRAIN))
               for s in range(len(cv_splits))]
    except Exception:  # each task meets (and reports) it as a fit would
        return None
    return out, Xv.dtype, time.perf_counter() - t0, total


def fit_and_score_path(estimator, X, y, *, values, precompute, scorer, train, test, verbose,
                       fit_params, score_params, return_train_score, error_score,
                       split_progress, path_progress, params_msg="", caller=None,
                       callback_ctx=None, blend=None, blend_param=None, statistics=None,
                       keep_path=False):
    """`_fit_and_score` for a whole path on one split.

    `statistics`: (the training fold's statistics, dtype, seconds of set-up to share) from
    `fold_statistics`, when the path runs on them instead of on the fold's rows.

    Returns one result dict per column (values in the order given, blend-major), with the
    keys `_fit_and_score` returns for GridSearchCV (fit_error, test_scores, [train_scores],
    n_test_samples, fit_time, score_time). With `keep_path` (opt-in), returns (those dicts,
    the fold's path as `kept_path` gives it, or None when its solve failed)."""
    fit_params = _check_method_params(X, params=fit_params or {}, indices=train)
    score_params = score_params or {}
    score_params_train = _check_method_params(X, params=score_params, indices=train)
    score_params_test = _check_method_params(X, params=score_params, indices=test)
    start = time.perf_counter()
    if statistics is not None:  # the training rows are only needed for training scores
        stats, dtype, share = statistics
        start -= share
        _check_feature_names(estimator, X, reset=True)  # as a fit on the rows would
        y_train = _safe_split(estimator, y, None, train)[0]
        X_train = _safe_split(estimator, X, y, train)[0] if return_train_score else None
        solve = partial(_statistics_path, estimator, stats, dtype)
    else:
        X_train, y_train = _safe_split(estimator, X, y, train)
        solve = None
    X_test, y_test = _safe_split(estimator, X, y, test, train)
    sample_weight = fit_params.get("sample_weight")
    metadata = None if sample_weight is None else {"sample_weight": sample_weight}
    kept = [] if keep_path else None
    if callback_ctx is not None:
        callback_ctx.call_on_fit_task_begin(estimator=caller, X=X_train, y=y_train,
                                            metadata=metadata)
    try:
        columns, fit_errors, test_scores, train_scores, fit_times, score_times = \
            solve_and_score(
                estimator, X_train, y_train, X_test, y_test, values=values, blend=blend,
                precompute=precompute, fit_params=fit_params, scorer=scorer,
                score_params_train=score_params_train, score_params_test=score_params_test,
                return_train_score=return_train_score, error_score=error_score, start=start,
                solve=solve, kept=kept)
    finally:
        if callback_ctx is not None:
            callback_ctx.call_on_fit_task_end(estimator=caller, X=X_train, y=y_train,
                                              metadata=metadata)
    if verbose > 0:
        print_path_progress(test_scores, columns[0], fit_times, score_times, split_progress,
                            path_progress, params_msg, fit_errors,
                            param=getattr(estimator, "_path_param", "alpha"),
                            blend=columns[1], blend_param=blend_param)
    results = results_dicts(fit_errors, test_scores, train_scores, _num_samples(X_test),
                            fit_times, score_times, return_train_score)
    return (results, kept[0]) if keep_path else results


def _affine_step(step):
    """(scale, shift) with ``step.transform(X) == X * scale + shift`` for the fitted
    column-wise affine scalers of scikit-learn (dense data), None for any other step."""
    from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, RobustScaler, StandardScaler

    if step is None or (isinstance(step, str) and step == "passthrough"):
        return 1.0, 0.0
    kind = type(step)
    if kind is StandardScaler:
        scale = 1.0 if step.scale_ is None else 1.0 / step.scale_
        return scale, (0.0 if step.mean_ is None or not step.with_mean
                       else -step.mean_ * scale)
    if kind is RobustScaler:
        scale = 1.0 if step.scale_ is None else 1.0 / step.scale_
        return scale, 0.0 if step.center_ is None else -step.center_ * scale
    if kind is MaxAbsScaler:
        return 1.0 / step.scale_, 0.0
    if kind is MinMaxScaler and not step.clip:
        return step.scale_, step.min_
    return None


_AFFINE_SCALERS = ("StandardScaler", "RobustScaler", "MaxAbsScaler", "MinMaxScaler")


def affine_steps_only(pipeline, param_grid):
    """Whether every step of `pipeline` but the last, and every value the grid gives such a
    step, is one of scikit-learn's column-wise affine scalers (or 'passthrough'): only then is
    a pass of statistics over the raw data of use to the last step's paths."""
    from sklearn import preprocessing

    def affine(step):
        if step is None or (isinstance(step, str) and step == "passthrough"):
            return True
        return any(type(step) is getattr(preprocessing, name) for name in _AFFINE_SCALERS)

    grids = [param_grid] if isinstance(param_grid, dict) else list(param_grid)
    for name, step in pipeline.steps[:-1]:
        if not affine(step) or any(not affine(v) for g in grids for v in g.get(name, ())):
            return False
    return True


def _affine_head(pipeline, p):
    """(scale, shift) of a Pipeline's fitted steps but the last, when each is a column-wise
    affine map (a scaler), else None."""
    scale, shift = 1.0, 0.0
    for _, step in pipeline.steps[:-1]:
        found = _affine_step(step)
        if found is None:
            return None
        scale, shift = scale * found[0], shift * found[0] + found[1]
    return (np.broadcast_to(np.asarray(scale, dtype=np.float64), (p,)),
            np.broadcast_to(np.asarray(shift, dtype=np.float64), (p,)))


def _fit_standard_scaler(scaler, stats):
    """Fit `scaler` (a StandardScaler) to the rows `stats` summarises, without reading them:
    the attributes a fit on those rows sets, from their means and centred second moments
    (with StandardScaler's own test for constant columns, whose scale is 1)."""
    scaler.n_features_in_ = stats.mx.shape[0]
    scaler.n_samples_seen_ = np.int64(stats.n)
    scaler.mean_ = scaler.var_ = scaler.scale_ = None
    if scaler.with_mean or scaler.with_std:
        scaler.mean_ = stats.mx.copy()
    if scaler.with_std:
        scaler.var_ = np.maximum(np.diag(stats.Cxx) / stats.w, 0.0)
        constant = _is_constant_feature(scaler.var_, scaler.mean_, scaler.n_samples_seen_)
        scaler.scale_ = _handle_zeros_in_scale(np.sqrt(scaler.var_), copy=False,
                                               constant_mask=constant)
    return scaler


def fits_head_from_statistics(pipe, fit_params, caller):
    """Whether the fitted earlier steps of `pipe` can come from a fold's (unweighted)
    statistics: each is a StandardScaler or 'passthrough', no fit parameter is given (a
    weighted last step has weighted statistics; the scalers are fitted unweighted), and no
    callback watches the fits."""
    from sklearn.preprocessing import StandardScaler

    if fit_params or getattr(caller, "_skl_callbacks", None):
        return False
    for _, step in pipe.steps:
        if getattr(step, "_skl_callbacks", None):
            return False
    return all(step is None or (isinstance(step, str) and step == "passthrough")
               or type(step) is StandardScaler for _, step in pipe.steps[:-1])


def fit_head_from_statistics(pipe, stats, X):
    """Fit the earlier steps of `pipe` (see `fits_head_from_statistics`) in place from the
    training fold's statistics; returns the statistics of their output and one row of it.
    That row of the raw data X goes through the steps so that each records the feature names
    (or their absence) a fit on the rows would: its input's, whatever the container and
    output settings; the last step takes them from the row returned."""
    sample = _safe_indexing(X, [0])
    for _, step in pipe.steps[:-1]:
        if step is None or isinstance(step, str):
            continue
        _check_feature_names(step, sample, reset=True)
        _fit_standard_scaler(step, stats)
        sample = step.transform(sample)
        scale, shift = _affine_step(step)
        p = stats.Cxx.shape[0]
        stats = _transformed_statistics(
            stats, np.broadcast_to(np.asarray(scale, dtype=np.float64), (p,)),
            np.broadcast_to(np.asarray(shift, dtype=np.float64), (p,)))
    return stats, sample


def _transformed_statistics(stats, scale, shift):
    """The statistics of ``X * scale + shift`` from those of X (centred co-moments scale,
    means move)."""
    return type(stats)(stats.n, stats.w, stats.mx * scale + shift, stats.my,
                       stats.Cxx * np.outer(scale, scale), stats.Cxy * scale[:, None],
                       stats.Cyy)


def fit_and_score_pipeline_paths(pipeline, X, y, *, head_params, groups, precompute, scorer,
                                 train, test, verbose, fit_params, score_params,
                                 return_train_score, error_score, split_progress, caller=None,
                                 callback_ctx=None, statistics=None):
    """The paths of a Pipeline's last step on one split, for one setting of the other steps'
    parameters: the earlier steps are fitted once (as ``Pipeline.fit`` fits them, with its
    routing of fit parameters), the training and held-out parts transformed once, then one
    path per group.

    `groups`: (PathGroup, path index, number of paths) of this setting; each group's params
    hold the last step's own parameters (prefixed with the step name), `head_params` the
    others. The scorer scores the whole Pipeline (vectorised on the transformed data when it
    is one of the usual regression metrics). Set-up (the earlier steps' fit and the held-out
    transform) is shared between every candidate of the task. Returns one list of result
    dicts per group, as `fit_and_score_path`.

    `statistics` (the raw training fold's statistics, dtype, seconds to share): when the
    fitted earlier steps are column-wise affine maps (scalers), the last step's paths run on
    the statistics they map them to instead of on the transformed rows (the same problem,
    each Gram matrix for p^2 instead of n_train p^2)."""
    fit_params = _check_method_params(X, params=fit_params or {}, indices=train)
    score_params = score_params or {}
    score_params_train = _check_method_params(X, params=score_params, indices=train)
    score_params_test = _check_method_params(X, params=score_params, indices=test)
    start = time.perf_counter() - (0.0 if statistics is None else statistics[2])
    pipe = setup_error = None
    try:
        pipe = clone(pipeline).set_params(**clone(head_params, safe=False))
    except Exception as exc:  # raised below, where a fit's errors are met and reported
        setup_error = exc
    # the earlier steps fitted from the fold's statistics?
    from_statistics = (statistics is not None and pipe is not None
                       and fits_head_from_statistics(pipe, fit_params, caller))
    if from_statistics and not return_train_score:  # the training rows are not read
        X_train, y_train = None, _safe_split(pipeline, y, None, train)[0]
    else:
        X_train, y_train = _safe_split(pipeline, X, y, train)
    X_test, y_test = _safe_split(pipeline, X, y, test, train)
    n_test = _num_samples(X_test)
    sample_weight = fit_params.get("sample_weight")
    metadata = None if sample_weight is None else {"sample_weight": sample_weight}
    if callback_ctx is not None:
        callback_ctx.call_on_fit_task_begin(estimator=caller, X=X_train, y=y_train,
                                            metadata=metadata)
    name = pipeline.steps[-1][0]
    prefix = name + "__"
    sizes = [len(g.values) * (1 if g.blend is None else len(g.blend)) for g, _, _ in groups]
    n_total = sum(sizes)
    # with routing, Pipeline.score / a scorer may route metadata to the steps (or refuse
    # it): the fitted Pipelines are scored, as GridSearchCV scores them
    vectorize = not (_routing_enabled() and (score_params or _calls_score(scorer)))
    outputs = []
    try:
        if setup_error is not None:
            raise setup_error
        if not get_config()["skip_parameter_validation"]:
            pipe._validate_params()
        if from_statistics:
            mapped, _ = fit_head_from_statistics(pipe, statistics[0], X)
            Xt_train = None if X_train is None else pipe[:-1].transform(X_train)
            last_fit_params = {}
        else:
            Xt_train, last_fit_params = pipeline_fit_head(pipe, X_train, y_train, fit_params)
    except Exception:
        if error_score == "raise":
            raise
        share = (time.perf_counter() - start) / n_total
        error = format_exc()
        for size in sizes:
            failed = [error_scores(scorer, error_score)] * size
            outputs.append(results_dicts([error] * size, failed, failed, n_test,
                                         np.full(size, share), np.zeros(size),
                                         return_train_score))
        _end(callback_ctx, caller, X_train, y_train, metadata)
        return outputs
    head_seconds = time.perf_counter() - start
    t0 = time.perf_counter()
    try:
        Xt_test = pipe[:-1].transform(X_test) if len(pipe) > 1 else X_test
    except Exception:  # the scorer will meet (and report) it on the Pipeline itself
        Xt_test = None
    transform_share = (time.perf_counter() - t0) / n_total
    head_share = head_seconds / n_total
    solve = None
    if from_statistics:
        solve = (mapped, statistics[1])
    elif statistics is not None and isinstance(Xt_test, np.ndarray):
        p = statistics[0].Cxx.shape[0]
        affine = _affine_head(pipe, p) if Xt_test.shape[1:] == (p,) else None
        if affine is not None:
            mapped = _transformed_statistics(statistics[0], *affine)
            solve = (mapped, statistics[1])

    def wrap(model):
        fitted = copy.copy(pipe)
        fitted.steps = pipe.steps[:-1] + [(name, model)]
        return fitted

    try:
        for group, g, n_paths in groups:
            own = {k[len(prefix):]: v for k, v in group.params.items() if k.startswith(prefix)}
            estimator = clone(pipe.steps[-1][1]).set_params(**clone(own, safe=False))
            if solve is not None and Xt_test is not None:  # the names a fit would record
                _check_feature_names(estimator, Xt_test, reset=True)
            columns, fit_errors, test_scores, train_scores, fit_times, score_times = \
                solve_and_score(
                    estimator, Xt_train, y_train, Xt_test, y_test, values=group.values,
                    blend=group.blend, precompute=precompute(estimator),
                    fit_params=last_fit_params, scorer=scorer,
                    score_params_train=score_params_train,
                    score_params_test=score_params_test,
                    return_train_score=return_train_score, error_score=error_score,
                    wrap=wrap, raw=(X_train, X_test), vectorize=vectorize,
                    solve=None if solve is None else partial(
                        _statistics_path, estimator, *solve))
            fit_times = fit_times + head_share
            score_times = score_times + transform_share
            if verbose > 0:
                params_msg = ", ".join(f"{k}={group.params[k]}" for k in sorted(group.params))
                print_path_progress(test_scores, columns[0], fit_times, score_times,
                                    split_progress, (g, n_paths), params_msg, fit_errors,
                                    param=estimator._path_param, blend=columns[1],
                                    blend_param=group.blend_param)
            outputs.append(results_dicts(fit_errors, test_scores, train_scores, n_test,
                                         fit_times, score_times, return_train_score))
    finally:
        _end(callback_ctx, caller, X_train, y_train, metadata)
    return outputs


def _statistics_path(estimator, stats, dtype, X, y, sample_weight, values, *, precompute,
                     blend):
    """``_solve_path`` on a training fold's statistics (its rows are not read)."""
    return estimator._solve_path_statistics(stats, y, values, blend=blend, dtype=dtype)


def _calls_score(scorer):
    scorers = scorer._scorers.values() if isinstance(scorer, _MultimetricScorer) else [scorer]
    return any(isinstance(s, _PassthroughScorer) for s in scorers)


def _end(callback_ctx, caller, X, y, metadata):
    if callback_ctx is not None:
        callback_ctx.call_on_fit_task_end(estimator=caller, X=X, y=y, metadata=metadata)


def print_path_progress(scores, values, fit_times, score_times, split_progress,
                        path_progress, params_msg, fit_errors, param="alpha", blend=None,
                        blend_param=None):
    split, n_splits = split_progress
    path, n_paths = path_progress
    head = f"[PathCV {split + 1}/{n_splits}; path {path + 1}/{n_paths}] END "
    if blend is None:
        size = f"{len(values)} {param} values" if param != "alpha" else f"{len(values)} alphas"
    else:
        n_blend = len(np.unique(blend))
        size = f"{len(values) // n_blend} x {n_blend} ({param} x {blend_param}) values"
        if (param, str(blend_param).rsplit("__", 1)[-1]) == ("alpha", "gamma"):
            size = f"{len(values) // n_blend} alphas x {n_blend} gammas"
    body = (params_msg + "; " if params_msg else "") + size
    if all(e is None for e in fit_errors) and not isinstance(scores[0], dict):
        scores = np.asarray(scores, dtype=np.float64)
        if np.isfinite(scores).any():
            best = int(np.nanargmax(scores))
            where = f"{param}={values[best]:.3g}"
            if blend is not None:
                where += f", {blend_param}={blend[best]:.3g}"
            body += f", best score={scores[best]:.3f} ({where})"
    elif any(e is not None for e in fit_errors):
        body += ", fit failed"
    body += f"; fit={fit_times.sum():.3f}s score={score_times.sum():.3f}s"
    print(head + "." * max(0, 80 - len(head) - len(body)) + body)
