"""What `RegularizationPathDisplay.from_estimator` draws: the path of the model's own problem.

A fitted estimator is unwrapped (a Pipeline's last step, on the data its earlier steps
transform; a search's refitted ``best_estimator_``), and the path is computed by the public
`enet_path` with every parameter that defines the model's problem: ``l1_ratio``,
``fit_intercept``, ``positive``, the glmnet-style options (``penalty_factor``, bounds,
``standardize``, ``relax``, ``gamma``), the stopping rule (``tol``, ``max_iter``) and the
sample weights. The grid is the search's own (``alphas_``, or its ``cv_results_``) or the
automatic one of that problem, plus the alphas marked, so that the path passes through the
fitted coefficients."""

from numbers import Integral

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._elastic_net import ElasticNet
from ._path import enet_path
from ._penalty_options import OPTION_NAMES
from ._scoring import alpha_path_indices

# Parameters of a model that define its path's problem or its stopping rule.
_PATH_PARAMS = ("fit_intercept", "positive", "tol", "max_iter", "selection", "random_state")


def last_step(estimator, X):
    """(final estimator, X as it sees it, feature names the earlier steps give, if any)."""
    if not isinstance(estimator, Pipeline):
        return estimator, X, None
    final = estimator[-1]
    if final is None or final == "passthrough":
        raise ValueError("The Pipeline's last step must be a linear model, got "
                         f"{final!r}.")
    head = estimator[:-1]
    names = None
    if X is not None:
        Xt = head.transform(X)
        try:
            names = [str(n) for n in head.get_feature_names_out()]
        except (AttributeError, ValueError, TypeError):
            names = None
        X = Xt
    return final, X, names


def _is_search(estimator):
    return hasattr(estimator, "cv_results_") or (
        hasattr(estimator, "param_grid") and hasattr(estimator, "refit"))


def _path_model(estimator):
    """(the model whose problem is drawn, its l1_ratio, the alphas it marks, the search's
    grid or None)."""
    # (imported here: sklearn.linear_model costs a noticeable share of `import skreg`)
    from sklearn.linear_model import ElasticNet as SklearnElasticNet
    from sklearn.linear_model import ElasticNetCV as SklearnElasticNetCV
    from sklearn.linear_model import LassoCV as SklearnLassoCV

    if isinstance(estimator, (SklearnLassoCV, SklearnElasticNetCV)):
        # scikit-learn's own selectors: no best_estimator_, their parameters are the problem
        check_is_fitted(estimator, "alphas_")
        l1_ratio = float(getattr(estimator, "l1_ratio_", 1.0))
        grid = np.asarray(estimator.alphas_, dtype=np.float64)
        if grid.ndim == 2:
            ratios = [float(r) for r in np.atleast_1d(estimator.l1_ratio)]
            grid = grid[ratios.index(l1_ratio)]
        return estimator, l1_ratio, {"alpha_": estimator.alpha_}, grid
    if _is_search(estimator):
        check_is_fitted(estimator, "cv_results_")
        if not hasattr(estimator, "best_estimator_"):
            raise ValueError(
                f"{type(estimator).__name__} was fitted with refit=False: its path needs "
                "the refitted best_estimator_.")
        model = estimator.best_estimator_
        marks = {"alpha_": getattr(estimator, "alpha_", None),
                 "alpha_1se_": getattr(estimator, "alpha_1se_", None)}
        grid = _search_grid(estimator, model)
    else:
        model = estimator
        marks = {"alpha": model.get_params()["alpha"]} if hasattr(model, "coef_") else {}
        grid = None
    if not isinstance(model, (ElasticNet, SklearnElasticNet)):
        raise TypeError(
            "RegularizationPathDisplay.from_estimator draws the path of a Lasso or an "
            "ElasticNet (or of a fitted LassoCV, ElasticNetCV, PathSearchCV over one, or a "
            f"Pipeline ending in one), got {type(model).__name__}.")
    l1_ratio = float(model.get_params().get("l1_ratio", 1.0))
    return model, l1_ratio, {k: v for k, v in marks.items() if v is not None}, grid


def _search_grid(search, model):
    """The alphas the search scored along the chosen model's path."""
    if hasattr(search, "alphas_"):  # LassoCV / ElasticNetCV
        grid = np.asarray(search.alphas_, dtype=np.float64)
        if grid.ndim == 2:  # one grid per l1_ratio
            ratios = [float(r) for r in np.atleast_1d(search.get_params()["l1_ratio"])]
            grid = grid[ratios.index(float(model.l1_ratio))]
        return grid
    params = search.cv_results_["params"]
    best = int(search.best_index_)
    if "alpha" not in params[best]:
        raise ValueError(f"The best candidate of {type(search).__name__} has no 'alpha'.")
    return np.array([params[j]["alpha"] for j in alpha_path_indices(params, best)],
                    dtype=np.float64)


def _with_marks(grid, marks):
    """The grid, decreasing, with the marked alphas added (each once)."""
    alphas = np.concatenate([np.ravel(grid), [float(a) for a in marks.values()]])
    return np.unique(alphas)[::-1]


def estimator_path(estimator, X, y, *, alphas=None, eps=None, sample_weight=None):
    """Everything a RegularizationPathDisplay needs from an estimator and its data.

    Returns a dict with alphas, coefs, dev_ratio, alpha_marks, estimator_name and
    feature_names (those the Pipeline's earlier steps give, or the names the model recorded,
    or X's columns; None when there are none)."""
    final, X, names = last_step(estimator, X)
    model, l1_ratio, marks, search_grid = _path_model(final)
    params = model.get_params()
    if names is None and hasattr(model, "feature_names_in_"):
        names = [str(c) for c in model.feature_names_in_]
    if names is None and hasattr(X, "columns"):
        names = [str(c) for c in X.columns]
    y = _target(y)
    kwargs = {k: params[k] for k in _PATH_PARAMS if k in params}
    kwargs.update({k: params[k] for k in OPTION_NAMES if k in params})
    kwargs["sample_weight"] = sample_weight
    if eps is None:
        eps = getattr(final, "eps", 1e-3) if _is_search(final) else 1e-3
    if alphas is None and search_grid is not None:
        alphas = search_grid
    elif alphas is None:
        alphas = 100
    if isinstance(alphas, Integral) and not isinstance(alphas, bool):
        if alphas < 1:
            raise ValueError(f"alphas must be a positive integer or an array, got {alphas}.")
        alphas = _automatic_grid(X, y, l1_ratio, eps, alphas, kwargs)
    grid = _with_marks(alphas, marks)
    grid, coefs, _ = enet_path(X, y, l1_ratio=l1_ratio, eps=eps, alphas=grid,
                               precompute="auto", **kwargs)
    return {"alphas": grid, "coefs": coefs,
            "dev_ratio": deviance_ratio(X, y, coefs, fit_intercept=kwargs.get(
                "fit_intercept", True), sample_weight=sample_weight),
            "alpha_marks": marks, "estimator_name": type(final).__name__,
            "feature_names": names}


def _target(y):
    y = y.compute() if hasattr(y, "compute") else y
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"A regularization path needs a 1-D y, got shape {y.shape}.")
    return y


def _automatic_grid(X, y, l1_ratio, eps, n_alphas, kwargs):
    """The automatic grid of the model's problem: alpha_max (which respects penalty factors,
    bounds and standardization, as enet_path's and LassoCV's grids do) down to
    eps * alpha_max, log-spaced."""
    if l1_ratio == 0:
        raise ValueError("The automatic alpha grid needs l1_ratio > 0: pass alphas.")
    top, _, _ = enet_path(X, y, l1_ratio=l1_ratio, eps=eps, alphas=1, precompute="auto",
                          **kwargs)
    return np.geomspace(top[0], top[0] * eps, num=n_alphas) if n_alphas > 1 else top


def deviance_ratio(X, y, coefs, *, fit_intercept=True, sample_weight=None):
    """The fraction of the (weighted) deviance explained along the path, glmnet's dev.ratio:
    ``1 - RSS / RSS_null``, RSS_null that of the intercept alone (of 0 without intercept).

    The intercept of each fit is the weighted mean of ``y - X @ w`` (it is unpenalized)."""
    pred = X @ coefs
    pred = pred.compute() if hasattr(pred, "compute") else np.asarray(pred)
    y = np.asarray(y, dtype=np.float64)
    s = np.ones_like(y) if sample_weight is None else np.asarray(
        sample_weight.compute() if hasattr(sample_weight, "compute") else sample_weight,
        dtype=np.float64).ravel() * np.ones_like(y)
    resid = y[:, None] - pred
    null = y
    if fit_intercept:
        resid = resid - (s @ resid) / s.sum()
        null = y - (s @ y) / s.sum()
    rss = s @ resid**2
    rss_null = s @ null**2
    if not rss_null > 0:
        return np.zeros(coefs.shape[1])
    return 1.0 - rss / rss_null
