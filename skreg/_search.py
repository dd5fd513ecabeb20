"""Path-speed hyper-parameter search: `PathSearchCV` and the `LassoCV` / `ElasticNetCV` estimators.

`PathSearchCV` is a `GridSearchCV` whose candidates differing only by ``alpha`` are not fitted one
by one: for each CV fold and each setting of the other parameters, one task builds the fold's
`Design` once (centred data or Gram matrix) and solves the whole alpha path with warm starts,
largest alpha first, then scores every alpha on the held-out part. The results are handed to
GridSearchCV's own machinery (`_format_results`, `_select_best_index`, refit), so `cv_results_` and
the `best_*` attributes have exactly GridSearchCV's keys and meaning.

Timing columns of `cv_results_` for path candidates: a path task measures its set-up (validation,
centring, Gram matrix) and, per alpha, the wall time of that alpha's warm-started solve. A
candidate's ``fit_time`` is its own solve time plus an equal share (1 / n_alphas) of the set-up,
so the fit times of a path's alphas add up to the path's wall time. ``score_time`` is the time
spent scoring that alpha (with the vectorised scorers, the whole path's scoring time shared
equally between its alphas).
"""

import copy
import numbers
import time
import warnings
from collections import defaultdict
from functools import partial
from itertools import product
from traceback import format_exc

import numpy as np
from scipy import sparse
from sklearn import get_config
from sklearn.base import RegressorMixin, clone, is_classifier
from sklearn.metrics import (
    get_scorer,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from sklearn.model_selection import GridSearchCV, ParameterGrid, check_cv
from sklearn.utils import check_scalar, column_or_1d
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.sparsefuncs import mean_variance_axis
from sklearn.utils.validation import check_X_y, indexable, validate_data

from . import _dask
from ._base import Design, rescale_sample_weight
from ._elastic_net import ElasticNet, Lasso, LinearPredictorMixin, validate_fit_data
from ._glmnet_options import active_options, options_path
from ._path import _TINY_ALPHA, alpha_grid, enet_path, lasso_path, solve_path
from ._sklearn_compat import (
    Interval,
    StrOptions,
    _check_method_params,
    _check_sample_weight,
    _fit_context,
    _insert_error_scores,
    _MultimetricScorer,
    _num_samples,
    _PassthroughScorer,
    _routing_enabled,
    _safe_split,
    _score,
    _Scorer,
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

# Fit parameters a path task understands (anything else: candidates are fitted one by one).
_PATH_FIT_PARAMS = frozenset({"sample_weight", "check_input"})
# Largest prediction block (n_eval x alphas x targets) scored at once by the vectorised scorers.
_BLOCK = 2_000_000


# ------------------------------------------------------------------------------------------------
# Planning: which candidates form warm-started paths
# ------------------------------------------------------------------------------------------------


class _PathGroup:
    """Candidates of one sub-grid sharing every parameter but ``alpha`` (and, for relaxed
    fits, ``gamma``).

    ``alphas`` holds the distinct alphas in decreasing order (the path order); ``slots`` maps
    each candidate index to its position in the task's results: the alpha's position, or with
    a gamma axis (``gammas``: the distinct gammas, increasing) ``i_gamma * n_alphas +
    i_alpha``."""

    def __init__(self, params):
        self.params = params
        self.members = []  # (candidate index, alpha value[, gamma value])
        self.alphas = None
        self.gammas = None
        self.slots = None

    def finalize(self):
        values = np.array([m[1] for m in self.members], dtype=np.float64)
        self.alphas = np.unique(values)[::-1].copy()
        if self.members and len(self.members[0]) == 3:
            self.gammas = np.unique(np.array([m[2] for m in self.members], dtype=np.float64))
        self.slots = []
        for member in self.members:
            slot = int(np.flatnonzero(self.alphas == member[1])[0])
            if self.gammas is not None:
                slot += len(self.alphas) * int(np.flatnonzero(self.gammas == member[2])[0])
            self.slots.append((member[0], slot))


def _is_valid_alpha(value):
    return (isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
            and np.isfinite(value) and value >= 0)


def _is_valid_gamma(value):
    return _is_valid_alpha(value) and value <= 1


def _is_path_estimator(estimator):
    """A skreg ElasticNet / Lasso (or subclass) whose fit is skreg's, so a path can stand in."""
    return isinstance(estimator, ElasticNet) and type(estimator).fit is ElasticNet.fit


def _plan(param_grid, relaxed=False):
    """Split the candidates of a grid into warm-started path groups and single fits.

    With ``relaxed`` (the estimator has ``relax=True``), a sub-grid's ``gamma`` values (if
    valid, and ``relax`` is not itself searched) join ``alpha`` in the groups: one relaxed path
    per (fold, other parameters), blended for every gamma.

    Returns (candidate_params, groups, singles) with candidates in ParameterGrid's order."""
    grid = ParameterGrid(param_grid)
    candidates = list(grid)
    groups, singles = [], []
    offset = 0
    for sub in grid.param_grid:
        keys = sorted(sub)
        sizes = [len(sub[k]) for k in keys]
        n_sub = int(np.prod(sizes)) if keys else 1
        if "alpha" in sub and all(_is_valid_alpha(a) for a in sub["alpha"]):
            blended = (relaxed and "gamma" in sub and "relax" not in sub
                       and all(_is_valid_gamma(g) for g in sub["gamma"]))
            axes = [keys.index("alpha")] + ([keys.index("gamma")] if blended else [])
            by_others = {}
            # ParameterGrid iterates product(*values) over the sorted keys: mirror its order.
            for j, idx in enumerate(product(*(range(n) for n in sizes))):
                others = tuple(v for i, v in enumerate(idx) if i not in axes)
                group = by_others.get(others)
                if group is None:
                    group = _PathGroup({k: candidates[offset + j][k] for k in keys
                                        if k != "alpha" and not (blended and k == "gamma")})
                    by_others[others] = group
                    groups.append(group)
                member = (offset + j, float(sub["alpha"][idx[axes[0]]]))
                if blended:
                    member += (float(sub["gamma"][idx[axes[1]]]),)
                group.members.append(member)
        else:
            singles.extend(range(offset, offset + n_sub))
        offset += n_sub
    for group in groups:
        group.finalize()
    return candidates, groups, singles


# ------------------------------------------------------------------------------------------------
# Vectorised scoring of a whole path (the common regression metrics)
# ------------------------------------------------------------------------------------------------


def _average_rows(values, weights):
    """Weighted mean over axis 0 (numpy's np.average semantics)."""
    if weights is None:
        return values.mean(axis=0)
    return np.tensordot(weights, values, axes=(0, 0)) / weights.sum()


def _mse(y, P, w):
    return _average_rows((y[:, None, :] - P) ** 2, w).mean(axis=-1)


def _rmse(y, P, w):
    return np.sqrt(_average_rows((y[:, None, :] - P) ** 2, w)).mean(axis=-1)


def _mae(y, P, w):
    return _average_rows(np.abs(y[:, None, :] - P), w).mean(axis=-1)


def _r2(y, P, w):
    ww = 1.0 if w is None else w[:, None, None]
    num = (ww * (y[:, None, :] - P) ** 2).sum(axis=0)  # (alphas, targets)
    center = np.average(y, axis=0, weights=w)
    den = ((1.0 if w is None else w[:, None]) * (y - center) ** 2).sum(axis=0)  # (targets,)
    den = np.broadcast_to(den, num.shape)
    out = np.ones_like(num)
    valid = (num != 0) & (den != 0)
    out[valid] = 1 - num[valid] / den[valid]
    out[(num != 0) & (den == 0)] = 0.0
    return out.mean(axis=-1)


_VECTOR_METRICS = {
    mean_squared_error: _mse,
    root_mean_squared_error: _rmse,
    mean_absolute_error: _mae,
    r2_score: _r2,
}


def _vector_metric(scorer, estimator):
    """(sign, vectorised metric) reproducing `scorer` on a skreg linear model, or None."""
    if type(estimator).predict is not LinearPredictorMixin.predict:
        return None
    if isinstance(scorer, _PassthroughScorer):
        if type(estimator).score is RegressorMixin.score:
            return 1.0, _r2
        return None
    if (type(scorer) is _Scorer and scorer._response_method == "predict"
            and not scorer._kwargs and scorer._score_func in _VECTOR_METRICS):
        return float(scorer._sign), _VECTOR_METRICS[scorer._score_func]
    return None


def _vector_scores(scorer, estimator, X, y, coefs, intercepts, score_params):
    """Scores of every alpha at once, exactly as `scorer` would compute them one model at a
    time, for the usual regression scorers; None when the scorer is not one of them."""
    if set(score_params) - {"sample_weight"}:
        return None
    if isinstance(scorer, _MultimetricScorer):
        if _routing_enabled():  # metadata is routed per scorer: let the scorer do it
            return None
        metrics = {name: _vector_metric(s, estimator) for name, s in scorer._scorers.items()}
        if any(m is None for m in metrics.values()):
            return None
    else:
        metric = _vector_metric(scorer, estimator)
        if metric is None:
            return None
        metrics = {None: metric}
    if _num_samples(X) < 2 and any(m[1] is _r2 for m in metrics.values()):
        return None  # r2_score warns and returns nan: let the scorer do it
    X = validate_data(estimator, X, accept_sparse=["csr", "csc", "coo"], reset=False,
                      dtype=[np.float64, np.float32])
    y = np.asarray(y, dtype=np.float64)
    y = y.reshape(y.shape[0], -1)
    if y.shape[1] != coefs.shape[0]:
        return None
    w = score_params.get("sample_weight")
    w = None if w is None else np.asarray(w, dtype=np.float64).ravel()
    n_alphas = coefs.shape[2]
    values = {name: np.empty(n_alphas) for name in metrics}
    step = max(1, _BLOCK // max(1, X.shape[0] * coefs.shape[0]))
    for start in range(0, n_alphas, step):
        stop = min(n_alphas, start + step)
        # P[:, a, k] = X @ coefs[k, :, a] + intercepts[k, a]
        P = np.stack([np.asarray(X @ coefs[k, :, start:stop]) for k in range(coefs.shape[0])],
                     axis=-1).astype(np.float64, copy=False)
        P += intercepts[:, start:stop].T[None, :, :]
        for name, (sign, fn) in metrics.items():
            values[name][start:stop] = sign * fn(y, P, w)
    if None in values:
        return [float(v) for v in values[None]]
    return [{name: float(values[name][i]) for name in metrics} for i in range(n_alphas)]


# ------------------------------------------------------------------------------------------------
# One task: one warm-started path on one training fold, every alpha scored
# ------------------------------------------------------------------------------------------------


def _solve_fold_path(estimator, X, y, sample_weight, alphas, precompute, gammas=None):
    """Fit `estimator`'s problem on (X, y) for every alpha (decreasing), warm-started.

    Returns (coefs (n_targets, p, n_alphas), intercepts (n_targets, n_alphas), gaps, n_iters,
    per-alpha solve seconds, set-up seconds). Sets n_features_in_ (and feature names) on
    `estimator`, as its fit would. With `gammas` (a relaxed estimator), see
    `_solve_design_path`."""
    t0 = time.perf_counter()
    if not get_config()["skip_parameter_validation"]:
        estimator._validate_params()
    if np.any(alphas == 0):
        warnings.warn(
            "With alpha=0, this algorithm does not converge well. You are advised to use the "
            "LinearRegression estimator", stacklevel=2)
    X, y, sample_weight = validate_fit_data(estimator, X, y, sample_weight)
    design = Design(X, y, fit_intercept=estimator.fit_intercept, sample_weight=sample_weight,
                    precompute=precompute, copy_X=estimator.copy_X)
    return _solve_design_path(estimator, design, alphas, t0, y.ndim, gammas=gammas)


def _solve_design_path(estimator, design, alphas, t0, y_ndim, gammas=None):
    """The warm-started path of `_solve_fold_path` on a built `design` (set-up timed from
    t0); also used by the dask search, whose designs come from fold statistics.

    With `gammas` (and ``estimator.relax``), each fold's relaxed path is solved once
    (`options_path(..., relax=True, return_refits=True)`) and blended for every gamma,
    ``gamma * w_penalized + (1 - gamma) * w_refit``: the results have n_gammas * n_alphas
    columns, gamma-major (column ``i_gamma * n_alphas + i_alpha``); gaps and epochs are those
    of the penalized fits, the solve seconds of each alpha are shared between its gammas."""
    n_targets, p, n_alphas = design.Y.shape[1], design.n_features, len(alphas)
    coefs = np.empty((n_targets, p, n_alphas), dtype=design.dtype)
    refits = None if gammas is None else np.empty_like(coefs)
    gaps = np.empty((n_targets, n_alphas))
    n_iters = np.empty((n_targets, n_alphas), dtype=np.int64)
    seconds = np.zeros(n_alphas)
    options = estimator._penalty_options()
    setup = time.perf_counter() - t0
    for k in range(n_targets):
        stamps = [time.perf_counter()]
        common = dict(tol=estimator.tol, max_iter=estimator.max_iter,
                      positive=estimator.positive, selection=estimator.selection,
                      random_state=estimator.random_state,
                      callback=lambda i, w, stamps=stamps: stamps.append(time.perf_counter()))
        if gammas is None:
            coefs[k], gaps[k], n_iters[k] = solve_path(
                design, k, alphas, estimator.l1_ratio, **common, **options)
        else:  # one relaxed path: the penalized fits and their least-squares refits
            relaxed = {key: v for key, v in options.items() if key not in ("relax", "gamma")}
            coefs[k], refits[k], gaps[k], n_iters[k] = options_path(
                design, k, alphas, estimator.l1_ratio, relax=True, return_refits=True,
                **common, **relaxed)
        seconds += np.diff(stamps)
    if gammas is not None:  # blended exactly as a relaxed fit blends its coefficients
        coefs = np.concatenate(
            [(gamma * coefs + (1.0 - gamma) * refits).astype(design.dtype, copy=False)
             for gamma in gammas], axis=2)
        gaps = np.tile(gaps, len(gammas))
        n_iters = np.tile(n_iters, len(gammas))
        seconds = np.tile(seconds / len(gammas), len(gammas))
    if estimator.fit_intercept:
        intercepts = design.y_offset[:, None] - np.einsum("j,kja->ka", design.X_offset, coefs)
    else:
        intercepts = np.zeros((n_targets, coefs.shape[2]), dtype=design.dtype)
    return coefs, intercepts, gaps, n_iters, seconds, setup, y_ndim


def _fitted_model(template, alpha, coefs, intercepts, gaps, n_iters, i, y_ndim, gamma=None):
    """A fitted estimator for the i-th alpha: a copy of the fold's template with the fitted
    attributes ElasticNet.fit would set (cheap: no clone, no refit)."""
    model = copy.copy(template)
    model.alpha = alpha
    if gamma is not None:
        model.gamma = gamma
    if y_ndim == 1:
        model.coef_ = coefs[0, :, i].copy()
        model.intercept_ = intercepts[0, i] if template.fit_intercept else 0.0
        model.dual_gap_ = gaps[0, i]
        model.n_iter_ = int(n_iters[0, i])
    else:
        model.coef_ = np.ascontiguousarray(coefs[:, :, i])
        model.intercept_ = intercepts[:, i].copy() if template.fit_intercept else 0.0
        model.dual_gap_ = gaps[:, i].copy()
        model.n_iter_ = [int(v) for v in n_iters[:, i]]
    return model


def _error_scores(scorer, error_score):
    if isinstance(scorer, _MultimetricScorer):
        return {name: error_score for name in scorer._scorers}
    return error_score


def _score_path(scorer, template, models, X, y, coefs, intercepts, score_params, error_score):
    """Scores of every alpha and the seconds each took."""
    n_alphas = coefs.shape[2]
    t0 = time.perf_counter()
    try:
        scores = _vector_scores(scorer, template, X, y, coefs, intercepts, score_params)
    except Exception:  # let the scorer itself report whatever went wrong
        scores = None
    if scores is not None:
        return scores, np.full(n_alphas, (time.perf_counter() - t0) / n_alphas)
    scores, seconds = [], np.zeros(n_alphas)
    for i in range(n_alphas):
        t0 = time.perf_counter()
        if models[i] is None:
            scores.append(_error_scores(scorer, error_score))
        else:
            scores.append(_score(models[i](), X, y, scorer, score_params, error_score))
        seconds[i] = time.perf_counter() - t0
    return scores, seconds


def _fit_and_score_path(estimator, X, y, *, alphas, precompute, scorer, train, test, verbose,
                        fit_params, score_params, return_train_score, error_score,
                        split_progress, path_progress, params_msg="", caller=None,
                        callback_ctx=None, gammas=None):
    """`_fit_and_score` for a whole alpha path on one split.

    Returns one result dict per alpha (in the order of `alphas`, decreasing), with the keys
    `_fit_and_score` returns for GridSearchCV (fit_error, test_scores, [train_scores],
    n_test_samples, fit_time, score_time). With `gammas` (a relaxed estimator), one relaxed
    path blended for every gamma: one result per (gamma, alpha), gamma-major."""
    path_alphas = alphas
    if gammas is not None:
        alphas = np.tile(path_alphas, len(gammas))
        cand_gammas = np.repeat(np.asarray(gammas, dtype=np.float64), len(path_alphas))
    n_alphas = len(alphas)
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
    fit_errors = [None] * n_alphas
    try:
        coefs, intercepts, gaps, n_iters, solve_seconds, setup, y_ndim = _solve_fold_path(
            estimator, X_train, y_train, sample_weight, path_alphas, precompute, gammas)
    except Exception:
        if error_score == "raise":
            raise
        fit_times = np.full(n_alphas, (time.perf_counter() - start) / n_alphas)
        fit_errors = [format_exc()] * n_alphas
        test_scores = [_error_scores(scorer, error_score)] * n_alphas
        train_scores = test_scores
        score_times = np.zeros(n_alphas)
    else:
        fit_times = setup / n_alphas + solve_seconds
        finite = (np.isfinite(coefs).all(axis=(0, 1)) & np.isfinite(intercepts).all(axis=0))
        models = []
        for i in range(n_alphas):
            if finite[i]:
                models.append(partial(_fitted_model, estimator, alphas[i], coefs, intercepts,
                                      gaps, n_iters, i, y_ndim,
                                      None if gammas is None else float(cand_gammas[i])))
                continue
            message = ("Coordinate descent iterations resulted in non-finite parameter "
                       "values. The input data may contain large values and need to be "
                       "preprocessed.")
            if error_score == "raise":
                raise ValueError(message)
            fit_errors[i] = f"ValueError: {message}\n"
            models.append(None)
        if not finite.all():
            coefs = np.where(finite, coefs, 0)
            intercepts = np.where(finite, intercepts, 0)
        test_scores, score_times = _score_path(
            scorer, estimator, models, X_test, y_test, coefs, intercepts, score_params_test,
            error_score)
        if return_train_score:
            train_scores, _ = _score_path(
                scorer, estimator, models, X_train, y_train, coefs, intercepts,
                score_params_train, error_score)
        for i in np.flatnonzero(~finite):
            test_scores[i] = _error_scores(scorer, error_score)
            if return_train_score:
                train_scores[i] = _error_scores(scorer, error_score)
    finally:
        if callback_ctx is not None:
            callback_ctx.call_on_fit_task_end(estimator=caller, X=X_train, y=y_train,
                                              metadata=metadata)

    if verbose > 0:
        _print_path_progress(test_scores, alphas, fit_times, score_times, split_progress,
                             path_progress, params_msg, fit_errors,
                             gammas=None if gammas is None else cand_gammas)
    n_test = _num_samples(X_test)
    results = []
    for i in range(n_alphas):
        result = {"fit_error": fit_errors[i], "test_scores": test_scores[i]}
        if return_train_score:
            result["train_scores"] = train_scores[i]
        result["n_test_samples"] = n_test
        result["fit_time"] = float(fit_times[i])
        result["score_time"] = float(score_times[i])
        results.append(result)
    return results


def _print_path_progress(scores, alphas, fit_times, score_times, split_progress,
                         path_progress, params_msg, fit_errors, gammas=None):
    split, n_splits = split_progress
    path, n_paths = path_progress
    head = f"[PathCV {split + 1}/{n_splits}; path {path + 1}/{n_paths}] END "
    if gammas is None:
        size = f"{len(alphas)} alphas"
    else:
        n_gammas = len(np.unique(gammas))
        size = f"{len(alphas) // n_gammas} alphas x {n_gammas} gammas"
    body = (params_msg + "; " if params_msg else "") + size
    if all(e is None for e in fit_errors) and not isinstance(scores[0], dict):
        values = np.asarray(scores, dtype=np.float64)
        if np.isfinite(values).any():
            best = int(np.nanargmax(values))
            where = f"alpha={alphas[best]:.3g}"
            if gammas is not None:
                where += f", gamma={gammas[best]:.3g}"
            body += f", best score={values[best]:.3f} ({where})"
    elif any(e is not None for e in fit_errors):
        body += ", fit failed"
    body += f"; fit={fit_times.sum():.3f}s score={score_times.sum():.3f}s"
    print(head + "." * max(0, 80 - len(head) - len(body)) + body)


# ------------------------------------------------------------------------------------------------
# One-standard-error rule
# ------------------------------------------------------------------------------------------------


def _same_value(a, b):
    if a is b:
        return True
    try:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return bool(np.array_equal(a, b))
        return bool(type(a) is type(b) and a == b)
    except Exception:
        return False


def _alpha_path_indices(params, best):
    """Indices of the candidates equal to candidate `best` except for their alpha."""
    ref = params[best]
    others = {k: v for k, v in ref.items() if k != "alpha"}
    out = []
    for j, cand in enumerate(params):
        if "alpha" in cand and cand.keys() == ref.keys() and all(
                _same_value(cand[k], v) for k, v in others.items()):
            out.append(j)
    return out


def one_standard_error_index(results, metric, n_splits, best=None):
    """Index of the largest alpha whose mean test score is within one standard error of the
    best one, among the candidates that share every other parameter with the best.

    The standard error is the best candidate's ``std_test_<metric> / sqrt(n_splits)`` (the
    std over folds of cv_results_, ddof=0). Scores are "higher is better" as in cv_results_
    (for MSE: mean MSE <= min MSE + SE). Returns None when the best has no ``alpha``."""
    params = results["params"]
    if best is None:
        best = int(np.argmin(results[f"rank_test_{metric}"]))
    if "alpha" not in params[best]:
        return None
    mean = np.asarray(results[f"mean_test_{metric}"], dtype=np.float64)
    std = np.asarray(results[f"std_test_{metric}"], dtype=np.float64)
    threshold = mean[best] - std[best] / np.sqrt(n_splits)
    chosen, chosen_alpha = best, params[best]["alpha"]
    for j in _alpha_path_indices(params, best):
        if np.isfinite(mean[j]) and mean[j] >= threshold and params[j]["alpha"] > chosen_alpha:
            chosen, chosen_alpha = j, params[j]["alpha"]
    return chosen


# ------------------------------------------------------------------------------------------------
# PathSearchCV
# ------------------------------------------------------------------------------------------------


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
    GridSearchCV's one-fit-per-candidate behaviour.

    Relaxed fits (an estimator with ``relax=True``, glmnet's relaxed lasso): when a sub-grid
    also contains ``gamma`` (and not ``relax``), each (fold, other parameters) task solves the
    relaxed path once -- the penalized fits and their least-squares refits on the active sets
    -- and blends ``gamma * w_penalized + (1 - gamma) * w_refit`` for every gamma, scoring
    every (gamma, alpha), instead of solving one path per gamma. Each candidate's
    ``fit_time`` then shares its alpha's solve time equally between the gammas.

    Parallelism goes through joblib (``n_jobs``, or ``joblib.parallel_backend("dask")`` for a
    dask.distributed cluster): one task per (fold, path).

    Timing columns: a path candidate's ``fit_time`` is the wall time of its own warm-started
    solve plus an equal share of the fold's set-up (validation, centring, Gram matrix), so the
    fit times of a path's alphas add up to the path's wall time; ``score_time`` is the time
    scoring that alpha took (vectorised scorers share the path's scoring time equally).

    When the candidates are built without a Gram matrix (``precompute=False``, the default of
    skreg's estimators), path tasks use ``precompute='auto'``: the Gram matrix is built per
    fold when ``n_train >= 2 * n_features``, since it is reused for every alpha. The result
    does not change (same stopping certificate).

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
        score (GridSearchCV's rule); '1se' the largest alpha whose mean score is within one
        standard error (``std_test / sqrt(n_splits)``) of the best, among candidates sharing
        the best's other parameters. Needs a str refit metric (or single-metric scoring).

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

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_diabetes
    >>> from skreg import Lasso, PathSearchCV
    >>> X, y = load_diabetes(return_X_y=True)
    >>> search = PathSearchCV(Lasso(), {"alpha": np.logspace(-3, 0, 30)}, cv=5).fit(X, y)
    >>> bool(search.best_params_["alpha"] == search.alpha_)
    True
    """

    _parameter_constraints: dict = {
        **GridSearchCV._parameter_constraints,
        "selection_rule": [StrOptions({"min", "1se"})],
    }

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
        precompute = estimator.precompute
        if isinstance(precompute, (bool, np.bool_)) and not precompute:
            return "auto"
        return precompute

    def _select_best_index(self, refit, refit_metric, results):
        """GridSearchCV's choice, or the one-standard-error one; records alpha_/alpha_1se_."""
        best = select_best_index(refit, refit_metric, results)
        metric = refit_metric if isinstance(refit_metric, str) else None
        if self.selection_rule == "1se" and metric is None:
            raise ValueError("selection_rule='1se' needs a scorer name as refit (or a single "
                             "metric); with a callable refit, the callable chooses.")
        for attr in ("alpha_", "alpha_1se_"):
            self.__dict__.pop(attr, None)
        ref = best
        if metric is not None:
            ref = int(np.argmin(results[f"rank_test_{metric}"]))
        if "alpha" in results["params"][ref]:
            self.alpha_ = results["params"][ref]["alpha"]
            if metric is not None:
                one_se = one_standard_error_index(results, metric, search_n_splits(self, results),
                                                  ref)
                self.alpha_1se_ = results["params"][one_se]["alpha"]
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
        if _dask.is_dask(X):  # chunk-aligned folds, scored from per-fold statistics
            return _dask.fit_search(self, X, y, **params)
        if y is None or not _is_path_estimator(self.estimator):
            return self._fit_grid(X, y, **params)
        relaxed = getattr(self.estimator, "relax", False) is True
        candidates, groups, singles = _plan(self.param_grid, relaxed=relaxed)
        if not groups:
            return self._fit_grid(X, y, **params)
        return self._fit_paths(X, y, candidates, groups, singles, params)

    def _fit_grid(self, X, y=None, **params):
        for attr in ("alpha_", "alpha_1se_"):
            self.__dict__.pop(attr, None)
        return super().fit(X, y, **params)

    def _fit_paths(self, X, y, candidates, groups, singles, params):
        """BaseSearchCV.fit with the per-candidate fits replaced by path tasks (and the rest,
        from `_format_results` on, unchanged)."""
        scorers, refit_metric = get_scorers(self)
        X, y = indexable(X, y)
        params = _check_method_params(X, params=params)
        routed_params = get_routed_params_for_fit(self, params)
        fit_params = routed_params.estimator.fit
        if set(fit_params) - _PATH_FIT_PARAMS:  # unknown to the path: one fit per candidate
            singles = sorted(singles + [m[0] for g in groups for m in g.members])
            groups = []

        sample_weight = params.get("sample_weight")
        metadata = None if sample_weight is None else {"sample_weight": sample_weight}
        root_ctx = init_callback_context(
            self,
            max_subtasks=1 + (self.refit is not False)
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
                  f"{n_candidates * n_splits} fits ({len(groups)} warm-started alpha paths "
                  f"and {len(singles)} single candidates per fold)")

        base_estimator = clone(self.estimator)
        common = dict(scorer=scorers, fit_params=fit_params,
                      score_params=routed_params.scorer.score,
                      return_train_score=self.return_train_score,
                      error_score=self.error_score, verbose=self.verbose, caller=self)
        n_tasks = n_splits * (len(groups) + len(singles))
        search_ctx = root_ctx.subcontext(
            task_name="search", max_subtasks=n_tasks, sequential_subtasks=False
        ).call_on_fit_task_begin(estimator=self)
        task_ids = iter(range(n_tasks))

        def context(name):
            return search_ctx.subcontext(task_name=name, task_id=next(task_ids))

        jobs, slots = [], []  # slots[j]: where the j-th job's results go
        for g, group in enumerate(groups):
            estimator = clone(base_estimator).set_params(**clone(group.params, safe=False))
            precompute = self._path_precompute(estimator)
            params_msg = ", ".join(f"{k}={group.params[k]}" for k in sorted(group.params))
            for s, (train, test) in enumerate(cv_splits):
                jobs.append(delayed(_fit_and_score_path)(
                    clone(estimator), X, y, alphas=group.alphas, precompute=precompute,
                    train=train, test=test, split_progress=(s, n_splits),
                    path_progress=(g, len(groups)), params_msg=params_msg,
                    callback_ctx=context("path-split-evaluation"), gammas=group.gammas,
                    **common))
                slots.append(("path", group, s))
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
        for (kind, where, s), output in zip(slots, outputs, strict=True):
            if kind == "single":
                out[where * n_splits + s] = output
            else:
                for c, i in where.slots:
                    out[c * n_splits + s] = dict(output[i])
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
        return self

    def _finish(self, X, y, results, refit_metric, scorers, base_estimator, routed_params,
                root_ctx, metadata):
        """The end of BaseSearchCV.fit: best candidate, refit, scorer_, cv_results_."""
        for attr in ("alpha_", "alpha_1se_"):
            self.__dict__.pop(attr, None)
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


# ------------------------------------------------------------------------------------------------
# LassoCV / ElasticNetCV
# ------------------------------------------------------------------------------------------------


def _options_grids(X, y, sample_weight, l1_ratios, fit_intercept, eps, n_alphas, positive,
                   options):
    """The automatic grids (one per l1_ratio) under glmnet-style options: alpha_max is the
    smallest alpha at which every penalized coefficient is 0 given the penalty factors, the
    bounds and the standardization (unpenalized features partialled out), on the full data
    with the fits' (rescaled) weights. One `Design` serves every l1_ratio."""
    if any(r == 0 for r in l1_ratios):
        raise ValueError(
            "Automatic alpha grid generation is not supported for l1_ratio=0. Please supply "
            "a grid by providing your estimator with the appropriate `alphas=` argument.")
    if sample_weight is not None and not _dask.is_dask(X):  # (the dask design rescales)
        sample_weight = rescale_sample_weight(sample_weight, X.shape[0])
    design = Design(X, y, fit_intercept=fit_intercept, sample_weight=sample_weight)
    return [alpha_grid(design, r, eps, n_alphas, positive, **options) for r in l1_ratios]


def _alpha_grid(X, y, sample_weight, l1_ratio, fit_intercept, eps, n_alphas, positive):
    """scikit-learn's automatic grid: n_alphas from alpha_max down to eps * alpha_max (log).

    Computed from X.T @ (w * (y - y_mean)) without centring (or copying) X."""
    if l1_ratio == 0:
        raise ValueError(
            "Automatic alpha grid generation is not supported for l1_ratio=0. Please supply "
            "a grid by providing your estimator with the appropriate `alphas=` argument.")
    if _dask.is_dask(X):
        return _dask.alpha_grid(X, y, sample_weight, l1_ratio, fit_intercept, eps, n_alphas,
                                positive)
    yc = y - np.average(y, axis=0, weights=sample_weight) if fit_intercept else y
    yw = yc if sample_weight is None else yc * sample_weight
    Xy = np.asarray(X.T @ yw, dtype=np.float64).ravel()
    if fit_intercept:  # sum_i w_i (x_i - x_mean) yc_i = X.T @ yw - x_mean * sum(yw)
        if sparse.issparse(X):
            X_mean = mean_variance_axis(X, axis=0, weights=sample_weight)[0]
        else:
            X_mean = np.average(X, axis=0, weights=sample_weight)
        Xy -= np.asarray(X_mean, dtype=np.float64) * np.sum(yw)
    n = X.shape[0] if sample_weight is None else sample_weight.sum()
    alpha_max = (max(0.0, Xy.max()) if positive else np.abs(Xy).max()) / (n * l1_ratio)
    if alpha_max <= _TINY_ALPHA:
        return np.full(n_alphas, _TINY_ALPHA)
    return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


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
        """The model refitted at the chosen alpha (built from this object's parameters)."""
        model = self._model_class(**self._model_params())
        if _routing_enabled():  # LassoCV consumes sample_weight itself, as scikit-learn's
            model.set_fit_request(sample_weight=True)
        return model

    @property
    def scoring(self):
        """The CV criterion: the (weighted) test MSE, negated (higher is better)."""
        if _routing_enabled():
            return get_scorer("neg_mean_squared_error").set_score_request(sample_weight=True)
        return "neg_mean_squared_error"

    @property
    def param_grid(self):
        """The alpha grid(s) of the last fit (None before fit)."""
        return self.__dict__.get("_param_grid")

    def _path_precompute(self, estimator):
        return self.precompute  # 'auto' in the folds, as scikit-learn's LassoCV

    def _grid(self, X, y, sample_weight):
        l1_ratios = self._l1_ratios()
        options = self._grid_options()
        if isinstance(self.alphas, numbers.Integral) and options:
            grids = _options_grids(X, y, sample_weight, l1_ratios, self.fit_intercept, self.eps,
                                   self.alphas, self.positive, options)
        elif isinstance(self.alphas, numbers.Integral):
            grids = [_alpha_grid(X, y, sample_weight, r, self.fit_intercept, self.eps,
                                 self.alphas, self.positive) for r in l1_ratios]
        else:
            for index, alpha in enumerate(self.alphas):
                check_scalar(alpha, f"alphas[{index}]", target_type=numbers.Real, min_val=0.0,
                             include_boundaries="left")
                if not np.isfinite(alpha):  # check_scalar lets NaN and inf through
                    raise ValueError(f"alphas[{index}] must be finite, got {alpha}.")
            grids = [np.sort(np.asarray(self.alphas, dtype=np.float64))[::-1]] * len(l1_ratios)
        return l1_ratios, grids

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Fit the model along the alpha path(s) with cross-validation, then refit at the
        alpha (and l1_ratio, gamma) of lowest mean CV mean squared error.

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
            Passed to the CV splitter (e.g. ``groups``).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        if _dask.is_dask(X):  # validated lazily; reduces the folds' statistics (one pass)
            Xv, yv, sample_weight = _dask.check_cv_data(self, X, y, sample_weight, params)
        else:
            Xv, yv = check_X_y(X, y, accept_sparse="csc", dtype=[np.float64, np.float32],
                               force_writeable=True, multi_output=True, y_numeric=True,
                               estimator=self)
            if yv.ndim > 1 and yv.shape[1] > 1:
                raise ValueError(
                    f"For multi-task outputs, use MultiTask{type(self).__name__}")
            yv = column_or_1d(yv, warn=True).astype(Xv.dtype, copy=False)
            if isinstance(sample_weight, numbers.Number):
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
        return self

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
        If False, X may be overwritten.
    cv : int, cross-validation generator or iterable, default=None
        Folds (None: 5-fold KFold).
    verbose : bool or int, default=False
        Print one line per (fold, path).
    n_jobs : int, default=None
        Parallel (fold, path) tasks, through joblib (a dask backend works).
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    random_state : int, RandomState instance or None, default=None
        Seed of the coordinate order when ``selection='random'``.
    selection : {'cyclic', 'random'}, default='cyclic'
        Coordinate order.
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
    """

    path = staticmethod(lasso_path)
    _model_class = Lasso

    def __init__(self, *, eps=1e-3, alphas=100, fit_intercept=True, precompute="auto",
                 max_iter=1000, tol=1e-4, copy_X=True, cv=None, verbose=False, n_jobs=None,
                 positive=False, random_state=None, selection="cyclic", selection_rule="min",
                 penalty_factor=None, lower_bounds=None, upper_bounds=None, standardize=False,
                 relax=False, gamma=1.0):
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.copy_X = copy_X
        self.cv = cv
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.selection_rule = selection_rule
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds
        self.standardize = standardize
        self.relax = relax
        self.gamma = gamma


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
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.copy_X = copy_X
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.selection_rule = selection_rule
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds
        self.standardize = standardize
        self.relax = relax
        self.gamma = gamma

    def _l1_ratios(self):
        ratios = [float(r) for r in np.atleast_1d(self.l1_ratio)]
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

    def fit(self, X, y, sample_weight=None, **params):
        """Fit the model along one alpha path per l1_ratio with cross-validation, then refit
        at the (alpha, l1_ratio) of lowest mean CV mean squared error.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Target values.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Sample weights (fit and weighted test MSE per fold).
        **params : dict
            Passed to the CV splitter (e.g. ``groups``).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        super().fit(X, y, sample_weight=sample_weight, **params)
        self.l1_ratio_ = self.best_params_["l1_ratio"]
        return self
