"""Path tasks: which candidates of a grid form warm-started alpha paths, and one task that solves
one path on one training fold and scores every alpha on the held-out part.

A task returns, per alpha, the result dict scikit-learn's `_fit_and_score` returns for
GridSearchCV, so the search can hand them to GridSearchCV's own result formatting.
"""

import copy
import numbers
import time
import warnings
from functools import partial
from itertools import product
from traceback import format_exc

import numpy as np
from sklearn import get_config
from sklearn.model_selection import ParameterGrid

from ._elastic_net import ElasticNet
from ._input import make_design, validate_fit_data
from ._path import solve_alphas
from ._penalty_options import options_path
from ._scoring import error_scores, path_scores
from ._sklearn_compat import _check_method_params, _num_samples, _safe_split, _score

# Fit parameters a path task understands (anything else: candidates are fitted one by one).
PATH_FIT_PARAMS = frozenset({"sample_weight", "check_input"})


class PathGroup:
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


def is_valid_alpha(value):
    return (isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
            and np.isfinite(value) and value >= 0)


def _is_valid_gamma(value):
    return is_valid_alpha(value) and value <= 1


def is_path_estimator(estimator):
    """A skreg ElasticNet / Lasso (or subclass) whose fit is skreg's, so a path can stand in."""
    return isinstance(estimator, ElasticNet) and type(estimator).fit is ElasticNet.fit


def plan(param_grid, relaxed=False):
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
        if "alpha" in sub and all(is_valid_alpha(a) for a in sub["alpha"]):
            blended = (relaxed and "gamma" in sub and "relax" not in sub
                       and all(_is_valid_gamma(g) for g in sub["gamma"]))
            axes = [keys.index("alpha")] + ([keys.index("gamma")] if blended else [])
            by_others = {}
            # ParameterGrid iterates product(*values) over the sorted keys: mirror its order.
            for j, idx in enumerate(product(*(range(n) for n in sizes))):
                others = tuple(v for i, v in enumerate(idx) if i not in axes)
                group = by_others.get(others)
                if group is None:
                    group = PathGroup({k: candidates[offset + j][k] for k in keys
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


def solve_fold_path(estimator, X, y, sample_weight, alphas, precompute, gammas=None):
    """Fit `estimator`'s problem on (X, y) for every alpha (decreasing), warm-started.

    Returns (coefs (n_targets, p, n_alphas), intercepts (n_targets, n_alphas), gaps, n_iters,
    per-alpha solve seconds, set-up seconds). Sets n_features_in_ (and feature names) on
    `estimator`, as its fit would. With `gammas` (a relaxed estimator), see
    `solve_design_path`."""
    t0 = time.perf_counter()
    if not get_config()["skip_parameter_validation"]:
        estimator._validate_params()
    if np.any(alphas == 0):
        warnings.warn(
            "With alpha=0, this algorithm does not converge well. You are advised to use the "
            "LinearRegression estimator", stacklevel=2)
    X, y, sample_weight = validate_fit_data(estimator, X, y, sample_weight)
    design = make_design(X, y, fit_intercept=estimator.fit_intercept,
                         sample_weight=sample_weight, precompute=precompute,
                         copy_X=estimator.copy_X)
    return solve_design_path(estimator, design, alphas, t0, y.ndim, gammas=gammas)


def solve_design_path(estimator, design, alphas, t0, y_ndim, gammas=None):
    """The warm-started path of `solve_fold_path` on a built `design` (set-up timed from
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
            coefs[k], gaps[k], n_iters[k] = solve_alphas(
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
    intercepts = design.intercept(coefs)
    return coefs, intercepts, gaps, n_iters, seconds, setup, y_ndim


def fitted_model(template, alpha, coefs, intercepts, gaps, n_iters, i, y_ndim, gamma=None):
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


def score_path(scorer, template, models, X, y, coefs, intercepts, score_params, error_score):
    """Scores of every alpha and the seconds each took."""
    n_alphas = coefs.shape[2]
    t0 = time.perf_counter()
    try:
        scores = path_scores(scorer, template, X, y, coefs, intercepts, score_params)
    except Exception:  # let the scorer itself report whatever went wrong
        scores = None
    if scores is not None:
        return scores, np.full(n_alphas, (time.perf_counter() - t0) / n_alphas)
    scores, seconds = [], np.zeros(n_alphas)
    for i in range(n_alphas):
        t0 = time.perf_counter()
        if models[i] is None:
            scores.append(error_scores(scorer, error_score))
        else:
            scores.append(_score(models[i](), X, y, scorer, score_params, error_score))
        seconds[i] = time.perf_counter() - t0
    return scores, seconds


def fit_and_score_path(estimator, X, y, *, alphas, precompute, scorer, train, test, verbose,
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
        coefs, intercepts, gaps, n_iters, solve_seconds, setup, y_ndim = solve_fold_path(
            estimator, X_train, y_train, sample_weight, path_alphas, precompute, gammas)
    except Exception:
        if error_score == "raise":
            raise
        fit_times = np.full(n_alphas, (time.perf_counter() - start) / n_alphas)
        fit_errors = [format_exc()] * n_alphas
        test_scores = [error_scores(scorer, error_score)] * n_alphas
        train_scores = test_scores
        score_times = np.zeros(n_alphas)
    else:
        fit_times = setup / n_alphas + solve_seconds
        finite = (np.isfinite(coefs).all(axis=(0, 1)) & np.isfinite(intercepts).all(axis=0))
        models = []
        for i in range(n_alphas):
            if finite[i]:
                models.append(partial(fitted_model, estimator, alphas[i], coefs, intercepts,
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
        test_scores, score_times = score_path(
            scorer, estimator, models, X_test, y_test, coefs, intercepts, score_params_test,
            error_score)
        if return_train_score:
            train_scores, _ = score_path(
                scorer, estimator, models, X_train, y_train, coefs, intercepts,
                score_params_train, error_score)
        for i in np.flatnonzero(~finite):
            test_scores[i] = error_scores(scorer, error_score)
            if return_train_score:
                train_scores[i] = error_scores(scorer, error_score)
    finally:
        if callback_ctx is not None:
            callback_ctx.call_on_fit_task_end(estimator=caller, X=X_train, y=y_train,
                                              metadata=metadata)

    if verbose > 0:
        print_path_progress(test_scores, alphas, fit_times, score_times, split_progress,
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


def print_path_progress(scores, alphas, fit_times, score_times, split_progress,
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
