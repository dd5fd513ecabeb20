"""Scoring a whole regularization path at once, and the one-standard-error rule.

A path search scores every alpha of a fold. For the usual regression scorers on ``predict``
(MSE, RMSE, MAE, R^2 and an estimator's default R^2 ``score``) the predictions of all alphas are
scored in one call of scikit-learn's metric with ``multioutput="raw_values"``; held-out folds of
a dask array are scored from their sufficient statistics instead.
"""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.metrics import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from sklearn.utils.validation import validate_data

from ._linear import LinearPredictorMixin
from ._sklearn_compat import (
    _MultimetricScorer,
    _num_samples,
    _PassthroughScorer,
    _routing_enabled,
    _Scorer,
)


class IdentityRegressor(RegressorMixin, BaseEstimator):
    """Lets a scorer score predictions computed beforehand: ``predict(P)`` returns P."""

    def predict(self, y_pred):
        """Return the given predictions unchanged."""
        return y_pred

    def decision_function(self, y_pred):
        """Return the given predictions unchanged."""
        return y_pred


# Largest prediction block (n_eval x alphas x targets) scored at once.
_BLOCK = 2_000_000

# The metrics that also have a form in sufficient statistics (dask folds).
_STATISTICS_FORM = {mean_squared_error: "mse", root_mean_squared_error: "rmse", r2_score: "r2"}


def path_metric(scorer, estimator):
    """(sign, metric function) when `scorer` on `estimator`'s models is one of the usual
    regression metrics of ``predict``, else None."""
    if type(estimator).predict is not LinearPredictorMixin.predict:
        return None
    if isinstance(scorer, _PassthroughScorer):
        if type(estimator).score is RegressorMixin.score:
            return 1.0, r2_score
        return None
    if (type(scorer) is _Scorer and scorer._response_method == "predict"
            and not scorer._kwargs
            and scorer._score_func in (mean_squared_error, root_mean_squared_error,
                                       mean_absolute_error, r2_score)):
        return float(scorer._sign), scorer._score_func
    return None


def vector_metric(scorer, estimator, score_params, n_samples):
    """`path_metric` when many predictions can be scored in one metric call: only
    ``sample_weight`` among the score parameters, and at least 2 samples for R^2 (r2_score
    warns and returns nan on one: the scorer does that itself). Else None."""
    if set(score_params) - {"sample_weight"}:
        return None
    metric = path_metric(scorer, estimator)
    if metric is None or (metric[1] is r2_score and n_samples < 2):
        return None
    return metric


def metric_columns(metric, Y, P, sample_weight=None):
    """The signed metric of every block of predictions at once: Y (n, n_targets), P (n,
    n_blocks * n_targets), the targets of a block side by side. Returns (n_blocks,
    n_targets), the raw value of each target (a scorer's score is their mean)."""
    sign, fn = metric
    n_targets = Y.shape[1]
    n_blocks = P.shape[1] // n_targets
    w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64).ravel()
    raw = fn(np.tile(Y, n_blocks), P, sample_weight=w, multioutput="raw_values")
    return sign * raw.reshape(n_blocks, n_targets)


def statistics_metric(scorer, estimator):
    """(sign, 'mse' | 'rmse' | 'r2') when `scorer` can be computed from held-out statistics."""
    found = path_metric(scorer, estimator)
    if found is None or found[1] not in _STATISTICS_FORM:
        return None
    return found[0], _STATISTICS_FORM[found[1]]


def error_scores(scorer, error_score):
    """The score(s) recorded for a failed fit."""
    if isinstance(scorer, _MultimetricScorer):
        return {name: error_score for name in scorer._scorers}
    return error_score


def path_scores(scorer, estimator, X, y, coefs, intercepts, score_params):
    """Scores of every alpha at once, as `scorer` would compute them one model at a time, for
    the usual regression scorers; None when the scorer is not one of them.

    coefs (n_targets, p, n_alphas), intercepts (n_targets, n_alphas)."""
    if isinstance(scorer, _MultimetricScorer):
        if _routing_enabled():  # metadata is routed per scorer: let the scorer do it
            return None
        scorers = scorer._scorers
    else:
        scorers = {None: scorer}
    n_eval = _num_samples(X)
    metrics = {name: vector_metric(s, estimator, score_params, n_eval)
               for name, s in scorers.items()}
    if any(m is None for m in metrics.values()):
        return None
    X = validate_data(estimator, X, accept_sparse=["csr", "csc", "coo"], reset=False,
                      dtype=[np.float64, np.float32])
    y = np.asarray(y, dtype=np.float64)
    y = y.reshape(y.shape[0], -1)
    n_targets, _, n_alphas = coefs.shape
    if y.shape[1] != n_targets:
        return None
    w = score_params.get("sample_weight")
    values = {name: np.empty(n_alphas) for name in metrics}
    step = max(1, _BLOCK // max(1, X.shape[0] * n_targets))
    for start in range(0, n_alphas, step):
        stop = min(n_alphas, start + step)
        # P[:, a * n_targets + k] = X @ coefs[k, :, a] + intercepts[k, a]
        P = np.stack([np.asarray(X @ coefs[k, :, start:stop]) for k in range(n_targets)],
                     axis=-1).astype(np.float64, copy=False)
        P += intercepts[:, start:stop].T[None, :, :]
        P = P.reshape(P.shape[0], -1)
        for name, metric in metrics.items():
            values[name][start:stop] = metric_columns(metric, y, P, w).mean(axis=1)
    if None in values:
        return [float(v) for v in values[None]]
    return [{name: float(values[name][i]) for name in metrics} for i in range(n_alphas)]


def statistics_scores(sign, kind, st, coefs, intercepts):
    """A metric of every alpha on the rows summarized by statistics `st` (attributes w, mx,
    my, Cxx, Cxy, Cyy): coefs (k, p, A), intercepts (k, A). Uses
    sum_i s_i (y_i - x_i w - b)^2 = C_yy - 2 w'C_xy + w'C_xx w + W (m_y - m_x'w - b)^2."""
    W = coefs.astype(np.float64)
    b = intercepts.astype(np.float64)
    quad = np.einsum("kpa,kpa->ka", np.einsum("pq,kqa->kpa", st.Cxx, W), W)
    lin = np.einsum("pk,kpa->ka", st.Cxy, W)
    shift = st.my[:, None] - np.einsum("p,kpa->ka", st.mx, W) - b
    ss = np.maximum(st.Cyy[:, None] - 2 * lin + quad, 0) + st.w * shift**2
    if kind == "r2":  # r2_score's conventions for constant targets / perfect fits
        den = np.broadcast_to(st.Cyy[:, None], ss.shape)
        per = np.ones_like(ss)
        valid = (ss != 0) & (den != 0)
        per[valid] = 1 - ss[valid] / den[valid]
        per[(ss != 0) & (den == 0)] = 0.0
    else:
        per = ss / st.w
        if kind == "rmse":
            per = np.sqrt(per)
    return sign * per.mean(axis=0)


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


def alpha_path_indices(params, best, param="alpha"):
    """Indices of the candidates equal to candidate `best` except for their `param` (the
    path parameter: 'alpha', or 'C' for a classifier)."""
    ref = params[best]
    others = {k: v for k, v in ref.items() if k != param}
    out = []
    for j, cand in enumerate(params):
        if param in cand and cand.keys() == ref.keys() and all(
                _same_value(cand[k], v) for k, v in others.items()):
            out.append(j)
    return out


def one_standard_error_index(results, metric, n_splits, best=None, *, param="alpha",
                             inverse=False):
    """Index of the most regularized candidate whose mean test score is within one standard
    error of the best one, among the candidates that share every other parameter with the
    best: the largest `param` (alpha), or the smallest when `inverse` (C, the inverse of the
    regularization strength).

    The standard error is the best candidate's ``std_test_<metric> / sqrt(n_splits)`` (the
    std over folds of cv_results_, ddof=0). Scores are "higher is better" as in cv_results_
    (for MSE: mean MSE <= min MSE + SE). Returns None when the best has no `param`."""
    params = results["params"]
    if best is None:
        best = int(np.argmin(results[f"rank_test_{metric}"]))
    if param not in params[best]:
        return None
    mean = np.asarray(results[f"mean_test_{metric}"], dtype=np.float64)
    std = np.asarray(results[f"std_test_{metric}"], dtype=np.float64)
    threshold = mean[best] - std[best] / np.sqrt(n_splits)
    sign = -1.0 if inverse else 1.0
    chosen, chosen_value = best, sign * params[best][param]
    for j in alpha_path_indices(params, best, param):
        if np.isfinite(mean[j]) and mean[j] >= threshold and sign * params[j][param] > \
                chosen_value:
            chosen, chosen_value = j, sign * params[j][param]
    return chosen


def _weights(sample_weight, n):
    """The sample weights as a float64 vector (ones when None or a scalar)."""
    if sample_weight is None or np.ndim(sample_weight) == 0:
        return np.ones(n)
    return np.asarray(sample_weight, dtype=np.float64)


def path_df(coefs):
    """The number of features with a non-zero coefficient for some row (target or class)
    along a path (coefs (n_rows, n_features, n_columns)): glmnet's ``df``, which for several
    targets (``mgaussian``) or classes (``multinomial``) counts the features in use."""
    return np.count_nonzero(np.any(np.asarray(coefs) != 0, axis=0), axis=0)


def regression_path_statistics(X, Y, sample_weight, coefs, intercepts, fit_intercept):
    """``df`` and ``dev_ratio`` along a regression path, from its predictions on the data it
    was fitted on (any path estimator: X dense or sparse, ``Y`` (n_samples, n_rows)).

    ``dev_ratio = 1 - RSS / RSS_null``, the weighted residual sums of squares summed over the
    targets, RSS_null that of the (weighted-mean) intercept alone, or of the zero model
    without intercept: glmnet's ``dev.ratio`` (pooled over targets as its ``mgaussian``); 0
    when RSS_null is 0."""
    coefs = np.asarray(coefs, dtype=np.float64)
    n_rows, _, n_columns = coefs.shape
    Y = np.asarray(Y, dtype=np.float64).reshape(-1, n_rows)
    s = _weights(sample_weight, Y.shape[0])
    rss = np.zeros(n_columns)
    null = 0.0
    for k in range(n_rows):
        R = Y[:, [k]] - np.asarray(X @ coefs[k]) - np.asarray(intercepts, np.float64)[k]
        rss += s @ (R * R)
        centre = (s @ Y[:, k]) / s.sum() if fit_intercept and s.sum() > 0 else 0.0
        null += float(s @ (Y[:, k] - centre) ** 2)
    dev_ratio = 1.0 - rss / null if null > 0 else np.zeros(n_columns)
    return path_df(coefs), dev_ratio


def logistic_path_statistics(X, y, classes, weights, coefs, intercepts, fit_intercept):
    """``df`` and ``dev_ratio`` along a logistic path (coefs (K, n_features, n_columns), K = 1
    for two classes), from its predictions on the data it was fitted on; ``weights`` are the
    fit's (sample weights times class weights).

    ``dev_ratio = 1 - deviance / null deviance``, deviances ``2 * sum(w_i * -log p_i(y_i))``,
    the null model the intercept alone (the weighted class proportions; every class equally
    likely without intercept): glmnet's binomial / multinomial ``dev.ratio``."""
    coefs = np.asarray(coefs, dtype=np.float64)
    K, _, n_columns = coefs.shape
    index = np.searchsorted(classes, y)
    s = _weights(weights, len(index))
    Z = np.stack([np.asarray(X @ coefs[k]) + np.asarray(intercepts, np.float64)[k]
                  for k in range(K)])  # (K, n, n_columns)
    if K == 1:  # -log p(y) = log(1 + exp(-y~ z)), y~ = +-1
        sign = np.where(index == 1, 1.0, -1.0)[:, None]
        loss = np.logaddexp(0.0, -sign * Z[0])
        share = (s @ (index == 1)) / s.sum()
        null_p = np.where(index == 1, share, 1.0 - share) if fit_intercept else 0.5
    else:  # -log softmax(z)_y
        top = Z.max(axis=0)
        lse = top + np.log(np.exp(Z - top).sum(axis=0))
        loss = lse - np.take_along_axis(Z, index[None, :, None], axis=0)[0]
        share = np.bincount(index, weights=s, minlength=K) / s.sum()
        null_p = share[index] if fit_intercept else 1.0 / K
    used = s > 0
    null = float(s[used] @ -np.log(np.broadcast_to(null_p, s.shape)[used]))
    deviance = s @ loss
    dev_ratio = 1.0 - deviance / null if null > 0 else np.zeros(n_columns)
    return path_df(coefs), dev_ratio
