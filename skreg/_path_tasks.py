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
``_path_blend_param(self, sub_grid) -> str | None`` [None]
    The name of a second parameter of the sub-grid (keys without any Pipeline prefix) whose
    values one path serves, e.g. the relaxed lasso's ``"gamma"``.
``_path_fit_params : frozenset`` [{"sample_weight"}]
    The fit parameters ``_solve_path`` understands; other fit parameters fall back to one fit
    per candidate.

`is_path_estimator` also requires that ``fit`` is not overridden below the class defining
``_solve_path`` (a subclass changing ``fit`` only gets no path: its fits may differ).

Scoring: when the estimator's ``predict`` is skreg's linear one and the scorer one of the usual
regression metrics, every column is scored at once from ``coefs`` / ``intercepts``
(`skreg._scoring.path_scores`); otherwise each column's ``_path_model`` is scored by the scorer.
"""

import time
from itertools import product
from traceback import format_exc

import numpy as np
from sklearn.model_selection import ParameterGrid

from ._path_protocol import PathResult, is_nonnegative_real
from ._scoring import error_scores, path_scores
from ._sklearn_compat import _check_method_params, _num_samples, _safe_split, _score

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


def plan(param_grid, estimator, prefix=""):
    """Split the candidates of a grid into warm-started path groups and single fits.

    `estimator` is the path estimator (for a Pipeline: its last step, whose grid keys carry
    ``prefix``, e.g. ``"lasso__"``). A sub-grid whose path parameter values are all valid
    forms groups: one per setting of the other parameters, with the estimator's blend
    parameter (if it names one for the sub-grid) joining the path parameter.

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
        if name in sub and all(is_value(a) for a in sub[name]):
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
               X_models=None):
    """Scores of every column of a path result and the seconds each took: all at once from
    the coefficients for the usual regression scorers on `template` (the path estimator, on
    `X` in its own feature space), else each fitted model (``models[j]()``, scored on
    `X_models`, by default X) one by one."""
    n_columns = result.n_columns
    t0 = time.perf_counter()
    try:
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
                    return_train_score, error_score, wrap=None, raw=None, start=None):
    """Solve `estimator`'s path on a training fold and score every column.

    `wrap`, if given, turns a column's fitted path estimator into the model the scorer
    scores (a Pipeline around it), on the raw held-out data ``raw = (X_train_raw,
    X_test_raw)``; the vectorised scores use the data as given. Returns (columns (values,
    blend), fit_errors, test_scores, train_scores, fit_times, score_times) with one entry per
    column. `start`: the time the task's set-up began (its share goes into fit times)."""
    start = time.perf_counter() if start is None else start
    n_values = len(values)
    n_columns = n_values * (1 if blend is None else len(blend))
    columns = (np.tile(values, n_columns // n_values),
               None if blend is None else np.repeat(np.asarray(blend), n_values))
    fit_errors = [None] * n_columns
    train_scores = None
    try:
        t_solve = time.perf_counter()
        result = estimator._solve_path(X_train, y_train, fit_params.get("sample_weight"),
                                       np.asarray(values, dtype=np.float64),
                                       precompute=precompute, blend=blend)
        result.check(n_columns)
    except Exception:
        if error_score == "raise":
            raise
        fit_times = np.full(n_columns, (time.perf_counter() - start) / n_columns)
        fit_errors = [format_exc()] * n_columns
        test_scores = [error_scores(scorer, error_score)] * n_columns
        train_scores = test_scores
        score_times = np.zeros(n_columns)
        return columns, fit_errors, test_scores, train_scores, fit_times, score_times
    fit_times = (result.setup + t_solve - start) / n_columns + result.seconds
    coefs, intercepts = result.coefs, result.intercepts
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
        X_models=raw_test)
    if return_train_score:
        train_scores, _ = score_path(
            scorer, estimator, models, X_train, y_train, result, score_params_train,
            error_score, X_models=raw_train)
    for j in np.flatnonzero(~finite):
        test_scores[j] = error_scores(scorer, error_score)
        if return_train_score:
            train_scores[j] = error_scores(scorer, error_score)
    return columns, fit_errors, test_scores, train_scores, fit_times, score_times


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


def fit_and_score_path(estimator, X, y, *, values, precompute, scorer, train, test, verbose,
                       fit_params, score_params, return_train_score, error_score,
                       split_progress, path_progress, params_msg="", caller=None,
                       callback_ctx=None, blend=None, blend_param=None):
    """`_fit_and_score` for a whole path on one split.

    Returns one result dict per column (values in the order given, blend-major), with the
    keys `_fit_and_score` returns for GridSearchCV (fit_error, test_scores, [train_scores],
    n_test_samples, fit_time, score_time)."""
    fit_params = _check_method_params(X, params=fit_params or {}, indices=train)
    score_params = score_params or {}
    score_params_train = _check_method_params(X, params=score_params, indices=train)
    score_params_test = _check_method_params(X, params=score_params, indices=test)
    start = time.perf_counter()
    X_train, y_train = _safe_split(estimator, X, y, train)
    X_test, y_test = _safe_split(estimator, X, y, test, train)
    sample_weight = fit_params.get("sample_weight")
    metadata = None if sample_weight is None else {"sample_weight": sample_weight}
    if callback_ctx is not None:
        callback_ctx.call_on_fit_task_begin(estimator=caller, X=X_train, y=y_train,
                                            metadata=metadata)
    try:
        columns, fit_errors, test_scores, train_scores, fit_times, score_times = \
            solve_and_score(
                estimator, X_train, y_train, X_test, y_test, values=values, blend=blend,
                precompute=precompute, fit_params=fit_params, scorer=scorer,
                score_params_train=score_params_train, score_params_test=score_params_test,
                return_train_score=return_train_score, error_score=error_score, start=start)
    finally:
        if callback_ctx is not None:
            callback_ctx.call_on_fit_task_end(estimator=caller, X=X_train, y=y_train,
                                              metadata=metadata)
    if verbose > 0:
        print_path_progress(test_scores, columns[0], fit_times, score_times, split_progress,
                            path_progress, params_msg, fit_errors,
                            param=getattr(estimator, "_path_param", "alpha"),
                            blend=columns[1], blend_param=blend_param)
    return results_dicts(fit_errors, test_scores, train_scores, _num_samples(X_test),
                         fit_times, score_times, return_train_score)


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
        if (param, blend_param) == ("alpha", "gamma"):
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
