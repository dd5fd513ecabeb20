"""A path search over dask arrays from per-fold statistics.

Folds are unions of whole row chunks: the statistics of every fold are reduced once on the
cluster, each (fold, parameter setting) path is solved on its training Gram matrix, and every
alpha is scored from the held-out statistics (MSE, RMSE, R^2) or from blockwise predictions
(other scorers that only call predict). The results have the form of GridSearchCV's per-split
results; the search formats them and refits.
"""

import time
import warnings
from functools import partial

import numpy as np
from sklearn import get_config
from sklearn.base import clone

from . import _dask_data
from ._design import Design
from ._path_protocol import enet_design_path
from ._path_tasks import PathGroup, is_path_estimator, plan, print_path_progress
from ._scoring import IdentityRegressor, error_scores, statistics_metric, statistics_scores
from ._sklearn_compat import _MultimetricScorer, _score, _Scorer

# Largest block of held-out predictions (rows x alphas x targets) brought to the client at once
# for scorers that need predictions.
_PREDICTION_BLOCK = 25_000_000


def _predict_path_block(X, W, b):
    out = X @ W
    if hasattr(out, "todense"):
        out = out.todense()
    return np.asarray(out) + b


def _path_predictions(X, y, sample_weight, coefs, intercepts):
    """Held-out predictions of every alpha (n, k, A) with y and the weights of those rows,
    computed blockwise on the cluster (in batches of alphas, one pass each)."""
    import dask

    k, p, n_alphas = coefs.shape
    step = max(1, _PREDICTION_BLOCK // max(1, X.shape[0] * k))
    parts, y_local, w_local = [], None, None
    for start in range(0, n_alphas, step):
        stop = min(n_alphas, start + step)
        W = coefs[:, :, start:stop].transpose(1, 0, 2).reshape(p, -1)  # (p, k * A)
        P = X.map_blocks(_predict_path_block, W, intercepts[:, start:stop].ravel(),
                         dtype=np.float64, chunks=(X.chunks[0], (W.shape[1],)))
        if y_local is None:
            P, y_local, w_local = dask.compute(P, y, sample_weight)
        else:
            P = P.compute()
        parts.append(P.reshape(-1, k, stop - start))
    return np.concatenate(parts, axis=2), y_local, w_local


def _path_scores(scorer, template, st, models, coefs, intercepts, X, y, sample_weight,
                 score_params, by_stats, error_score):
    """Scores of every alpha on one set of rows (a fold's training or held-out chunks).

    MSE / RMSE / R^2 from the rows' statistics; scorers that only call predict from blockwise
    predictions of the whole path (one pass); anything else from each alpha's fitted model
    predicting the dask rows. Returns (scores, seconds per alpha)."""
    t0 = time.perf_counter()
    n_alphas = coefs.shape[2]
    named = scorer._scorers if isinstance(scorer, _MultimetricScorer) else {None: scorer}
    values, cache = {}, {}
    for name, s in named.items():
        metric = statistics_metric(s, template) if by_stats else None
        if metric is not None:
            values[name] = [float(v) for v in statistics_scores(*metric, st, coefs, intercepts)]
        elif isinstance(s, _Scorer) and s._response_method == "predict":
            if not cache:
                cache["P"], cache["y"], cache["w"] = _path_predictions(
                    X, y, sample_weight, coefs, intercepts)
            params = dict(score_params)
            if "sample_weight" in params:
                params["sample_weight"] = cache["w"]
            P, yl = cache["P"], cache["y"]
            values[name] = [s(IdentityRegressor(), P[:, 0, i] if yl.ndim == 1 else P[:, :, i],
                              yl, **params) for i in range(n_alphas)]
        else:
            values = None
            break
    if values is not None:
        seconds = np.full(n_alphas, (time.perf_counter() - t0) / n_alphas)
        if None in values:
            return values[None], seconds
        return [{name: values[name][i] for name in named} for i in range(n_alphas)], seconds
    # any other scorer: the fitted models predict the dask rows (one pass per alpha)
    import dask

    yl, wl = dask.compute(y, sample_weight)
    params = dict(score_params)
    if "sample_weight" in params:
        params["sample_weight"] = wl
    scores, seconds = [], np.zeros(n_alphas)
    for i, model in enumerate(models):
        t1 = time.perf_counter()
        scores.append(error_scores(scorer, error_score) if model is None
                      else _score(model(), X, yl, scorer, params, error_score))
        seconds[i] = time.perf_counter() - t1
    return scores, seconds


def dask_path_results(estimator, param_grid, X, y, *, scorers, cv, fit_params, score_params,
                      groups, error_score, return_train_score, verbose):
    """Per-split results of a path search over dask data, for every candidate of
    `param_grid` (in ParameterGrid's order, candidate-major as GridSearchCV's evaluation).

    Returns (candidates, results, n_splits, fitted template). The template is the estimator
    with n_features_in_ / feature names set, as a fit would leave it."""
    if not (is_path_estimator(estimator) and hasattr(estimator, "_penalty_options")
            and estimator._path_param == "alpha"):
        raise TypeError(
            "PathSearchCV fits a dask array from its statistics X'X, X'y only for skreg's "
            f"Lasso / ElasticNet; got {type(estimator).__name__}. Compute X in memory, "
            "or search over a skreg Lasso / ElasticNet.")
    fit_params = dict(fit_params)
    fit_params.pop("check_input", None)
    raw_weight = fit_params.pop("sample_weight", None)
    if fit_params:
        raise ValueError(f"With a dask X, PathSearchCV passes only sample_weight to the fits; "
                         f"got {sorted(fit_params)}.")
    score_params = dict(score_params)
    by_stats = set(score_params) <= {"sample_weight"} and (
        score_params.get("sample_weight") is raw_weight)

    base = clone(estimator)
    Xv, yv, sample_weight = _dask_data.check_fit_data(base, X, y, raw_weight)
    Y = _dask_data.y2d(yv)
    y_ndim, p, dtype = yv.ndim, Xv.shape[1], Xv.dtype
    splits = _dask_data.chunk_folds(cv, Xv, yv, groups)
    n_splits = len(splits)
    candidates, groups_, singles = plan(param_grid, estimator)
    for c in singles:  # a candidate without a valid alpha grid: a path of one alpha
        group = PathGroup({k: v for k, v in candidates[c].items() if k != "alpha"})
        group.members.append((c, candidates[c].get("alpha", base.alpha)))
        group.finalize()
        groups_.append(group)
    if verbose > 0:
        print(f"Fitting {n_splits} chunk-aligned folds for each of {len(candidates)} "
              f"candidates ({len(groups_)} alpha paths per fold), from per-fold statistics")

    t0 = time.perf_counter()
    folds = _dask_data.fold_statistics(Xv, Y, sample_weight, splits)
    stats_share = (time.perf_counter() - t0) / (n_splits * len(groups_))
    validate = not get_config()["skip_parameter_validation"]
    data = dict(Xv=Xv, yv=yv, Y=Y, sample_weight=sample_weight, y_ndim=y_ndim, dtype=dtype)
    options = dict(scorers=scorers, error_score=error_score, by_stats=by_stats,
                   return_train_score=return_train_score, score_params=score_params,
                   stats_share=stats_share, validate=validate, verbose=verbose)

    out = [None] * (len(candidates) * n_splits)
    for s, ((train_chunks, test_chunks), stats) in enumerate(zip(splits, folds, strict=True)):
        rows = {"train": list(train_chunks), "test": list(test_chunks)}
        for g, group in enumerate(groups_):
            est = clone(base).set_params(**clone(group.params, safe=False))
            est.n_features_in_ = p
            if hasattr(base, "feature_names_in_"):
                est.feature_names_in_ = base.feature_names_in_
            results = _fold_path(est, group, stats, rows, data, options,
                                 progress=((s, n_splits), (g, len(groups_))))
            for c, i in group.slots:
                out[c * n_splits + s] = results[i]
    return candidates, out, n_splits, base


def _fold_path(est, group, stats, rows, data, options, progress):
    """The results of every (gamma, alpha) of `group` on one chunk-aligned split."""
    train, test = stats
    sample_weight = data["sample_weight"]
    # relaxed fits: one path blended for every gamma, gamma-major (as in memory)
    alphas = group.alphas if group.gammas is None else np.tile(group.alphas, len(group.gammas))
    gammas = None if group.gammas is None else np.repeat(group.gammas, len(group.alphas))
    n_alphas = len(alphas)
    fit_errors = [None] * n_alphas
    start = time.perf_counter()
    try:
        if options["validate"]:
            est._validate_params()
        if np.any(group.alphas == 0):
            warnings.warn("With alpha=0, this algorithm does not converge well. You are "
                          "advised to use the LinearRegression estimator", stacklevel=2)
        design = Design.from_statistics(
            train, fit_intercept=est.fit_intercept, dtype=data["dtype"],
            Y=data["Y"].blocks[rows["train"]],
            sample_weight=None if sample_weight is None else sample_weight.blocks[rows["train"]])
        result = enet_design_path(est, design, group.alphas, start, data["y_ndim"],
                                  blend=group.gammas)
        coefs, intercepts, seconds, setup = (result.coefs, result.intercepts, result.seconds,
                                             result.setup)
        finite = np.isfinite(coefs).all(axis=(0, 1)) & np.isfinite(intercepts).all(0)
        if not finite.all():
            raise ValueError(
                "Coordinate descent iterations resulted in non-finite parameter values. The "
                "input data may contain large values and need to be preprocessed.")
    except Exception as exc:
        if options["error_score"] == "raise":
            raise
        fit_errors = [f"{type(exc).__name__}: {exc}\n"] * n_alphas
        fit_times = np.full(n_alphas, options["stats_share"] + time.perf_counter() - start)
        fit_times /= n_alphas
        failed = [error_scores(options["scorers"], options["error_score"])] * n_alphas
        scores = {"test": failed, "train": failed}
        score_times = np.zeros(n_alphas)
    else:
        fit_times = (options["stats_share"] + setup) / n_alphas + seconds
        models = [partial(est._path_model, result, i) for i in range(n_alphas)]
        scores = {}
        for part, st in (("test", test), ("train", train)):
            if part == "train" and not options["return_train_score"]:
                continue
            scores[part], seconds_ = _path_scores(
                options["scorers"], est, st, models, coefs, intercepts,
                data["Xv"].blocks[rows[part]], data["yv"].blocks[rows[part]],
                None if sample_weight is None else sample_weight.blocks[rows[part]],
                options["score_params"], options["by_stats"], options["error_score"])
            if part == "test":
                score_times = seconds_
    if options["verbose"] > 0:
        print_path_progress(scores["test"], alphas, fit_times, score_times, *progress,
                            ", ".join(f"{k}={group.params[k]}" for k in sorted(group.params)),
                            fit_errors, blend=gammas, blend_param=group.blend_param)
    results = []
    for i in range(n_alphas):
        result = {"fit_error": fit_errors[i], "test_scores": scores["test"][i]}
        if options["return_train_score"]:
            result["train_scores"] = scores["train"][i]
        result["n_test_samples"] = test.n
        result["fit_time"] = float(fit_times[i])
        result["score_time"] = float(score_times[i])
        results.append(result)
    return results
