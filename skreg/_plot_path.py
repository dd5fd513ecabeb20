"""What `RegularizationPathDisplay.from_estimator` draws: the path of the model's own problem.

A fitted estimator is unwrapped (a Pipeline's last step, on the data its earlier steps
transform; a search's refitted ``best_estimator_``, itself a Pipeline or a model), and the
path is computed with every parameter that defines the model's problem and its stopping rule
(``tol``, ``max_iter``), and the sample weights:

- a Lasso / ElasticNet (skreg's or scikit-learn's) by the public `enet_path`, with its
  ``l1_ratio``, ``fit_intercept``, ``positive`` and glmnet-style options (``penalty_factor``,
  bounds, ``standardize``, ``relax``, ``gamma``);
- any other path estimator (the path-estimator protocol of `skreg._path_tasks`:
  LogisticRegression over C, the multi-task models over alpha) by its own ``_solve_path``, on
  a clone of the model: the path is the model's problem by construction.

The grid is the search's own (``alphas_``, or its ``cv_results_``) or the automatic one of
that problem, plus the values marked, so that the path passes through the fitted
coefficients. It is ordered from the most to the least regularized model: decreasing alpha,
increasing C (``_path_inverse``)."""

from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_array, check_is_fitted

from ._elastic_net import ElasticNet
from ._logistic import resolve_penalty
from ._logistic_path import C_grid, LogisticProblem
from ._multi_task import MultiTaskElasticNet
from ._multi_task_cv import _multitask_grids
from ._path import enet_path
from ._path_tasks import is_path_estimator, path_value_check
from ._penalty_options import OPTION_NAMES
from ._scoring import alpha_path_indices, logistic_path_statistics, regression_path_statistics
from ._sklearn_compat import _check_sample_weight

# Parameters of a model that define its path's problem or its stopping rule.
_PATH_PARAMS = ("fit_intercept", "positive", "tol", "max_iter", "selection", "random_state")

_SUPPORTED = (
    "a Lasso, ElasticNet, LogisticRegression, MultiTaskLasso or MultiTaskElasticNet (fitted "
    "or not), a fitted LassoCV, ElasticNetCV, LogisticRegressionCV, MultiTaskLassoCV, "
    "MultiTaskElasticNetCV or PathSearchCV over one, or a Pipeline ending in one")


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


def _is_enet(model):
    # (imported here: sklearn.linear_model costs a noticeable share of `import skreg`)
    from sklearn.linear_model import ElasticNet as SklearnElasticNet

    return isinstance(model, (ElasticNet, SklearnElasticNet))


@dataclass
class _Source:
    """The model whose problem is drawn and what its fitted estimator says about it."""

    model: object  # the path's model (a search's best_estimator_'s last step)
    X: object  # the data as the model sees it
    names: list | None  # feature names the Pipelines' earlier steps give
    param: str  # the path parameter: "alpha" or "C"
    inverse: bool  # whether a larger value regularizes less (C)
    marks: dict = field(default_factory=dict)
    grid: np.ndarray | None = None  # the search's grid
    l1_ratio: float = 1.0  # (elastic net only)
    enet: bool = True  # solved by enet_path (else by the model's own _solve_path)
    eps: float | None = None  # the search's eps (for a number of automatic values)


def _path_source(estimator, X):
    """Unwrap `estimator` (a model, a search, a Pipeline ending in either; a search's
    best_estimator_ may be a Pipeline): the `_Source` of its path."""
    # (imported here: sklearn.linear_model costs a noticeable share of `import skreg`)
    from sklearn.linear_model import ElasticNetCV as SklearnElasticNetCV
    from sklearn.linear_model import LassoCV as SklearnLassoCV

    final, X, names = last_step(estimator, X)
    if isinstance(final, (SklearnLassoCV, SklearnElasticNetCV)):
        # scikit-learn's own selectors: no best_estimator_, their parameters are the problem
        check_is_fitted(final, "alphas_")
        l1_ratio = float(getattr(final, "l1_ratio_", 1.0))
        grid = np.asarray(final.alphas_, dtype=np.float64)
        if grid.ndim == 2:
            ratios = [float(r) for r in np.atleast_1d(final.l1_ratio)]
            grid = grid[ratios.index(l1_ratio)]
        return _Source(final, X, names, "alpha", False, {"alpha_": final.alpha_}, grid,
                       l1_ratio, enet=True)
    if not _is_search(final):
        source = _Source(final, X, names, *_path_param(final))
        if hasattr(final, "coef_"):
            source.marks = {source.param: final.get_params()[source.param]}
        return _checked(source)
    check_is_fitted(final, "cv_results_")
    if not hasattr(final, "best_estimator_"):
        raise ValueError(
            f"{type(final).__name__} was fitted with refit=False: its path needs the "
            "refitted best_estimator_.")
    best = final.best_estimator_
    model, X, inner_names = last_step(best, X)
    prefix = f"{best.steps[-1][0]}__" if isinstance(best, Pipeline) else ""
    param, inverse = _path_param(model)
    source = _Source(model, X, inner_names if inner_names is not None else names, param,
                     inverse)
    source.marks = {f"{param}_": getattr(final, f"{param}_", None),
                    f"{param}_1se_": getattr(final, f"{param}_1se_", None)}
    source.grid = _search_grid(final, model, prefix + param)
    source.eps = getattr(final, "eps", None)
    return _checked(source)


def _path_param(model):
    """(the path parameter, whether it is inverse) of a model that has a path."""
    from sklearn.linear_model import MultiTaskElasticNet as SklearnMultiTaskElasticNet

    if isinstance(model, SklearnMultiTaskElasticNet):  # (a subclass of its ElasticNet)
        raise TypeError(
            f"RegularizationPathDisplay.from_estimator draws the path of skreg's multi-task "
            f"models (skreg.{type(model).__name__}, the same problem), got scikit-learn's.")
    if _is_enet(model):
        return "alpha", False
    if is_path_estimator(model):
        return model._path_param, bool(getattr(type(model), "_path_inverse", False))
    raise TypeError(f"RegularizationPathDisplay.from_estimator draws the path of {_SUPPORTED}; "
                    f"got {type(model).__name__}.")


def _checked(source):
    """Drop the marks that are not points of a path (None, or e.g. C=inf: no penalty)."""
    source.enet = _is_enet(source.model)
    valid = (lambda v: v is not None) if source.enet else path_value_check(source.model)
    source.marks = {k: v for k, v in source.marks.items() if v is not None and valid(v)}
    if source.enet:
        source.l1_ratio = float(source.model.get_params().get("l1_ratio", 1.0))
    return source


def _search_grid(search, model, key):
    """The values the search scored along the chosen model's path."""
    if hasattr(search, "alphas_"):  # LassoCV / ElasticNetCV and the multi-task ones
        grid = np.asarray(search.alphas_, dtype=np.float64)
        if grid.ndim == 2:  # one grid per l1_ratio
            ratios = [float(r) for r in np.atleast_1d(search.get_params()["l1_ratio"])]
            grid = grid[ratios.index(float(model.l1_ratio))]
        return grid
    params = search.cv_results_["params"]
    best = int(search.best_index_)
    if key not in params[best]:
        raise ValueError(f"The best candidate of {type(search).__name__} has no {key!r}.")
    return np.array([params[j][key] for j in alpha_path_indices(params, best, key)],
                    dtype=np.float64)


def _with_marks(grid, marks, inverse=False):
    """The grid with the marked values added (each once), from the most regularized model:
    decreasing alpha, or increasing C when `inverse`."""
    values = np.unique(np.concatenate([np.ravel(grid), [float(a) for a in marks.values()]]))
    return values if inverse else values[::-1]


def _resolve_values(values, source, eps, default_eps):
    """(values given, or the search's grid, or a number of automatic values; eps)."""
    if eps is None:
        eps = default_eps if source.eps is None else source.eps
    if values is None:
        values = source.grid if source.grid is not None else 100
    if isinstance(values, Integral) and not isinstance(values, bool) and values < 1:
        raise ValueError(f"alphas must be a positive integer or an array, got {values}.")
    return values, eps


def estimator_path(estimator, X, y, *, alphas=None, eps=None, sample_weight=None,
                   target=None):
    """Everything a RegularizationPathDisplay needs from an estimator and its data.

    Returns a dict with alphas (the path parameter's values), coefs (n_features, n_values),
    dev_ratio, alpha_marks, estimator_name, feature_names (those the Pipeline's earlier steps
    give, or the names the model recorded, or X's columns; None when there are none),
    param_name and coef_name."""
    source = _path_source(estimator, X)
    X = source.X
    names = source.names
    if names is None and hasattr(source.model, "feature_names_in_"):
        names = [str(c) for c in source.model.feature_names_in_]
    if names is None and hasattr(X, "columns"):
        names = [str(c) for c in X.columns]
    if source.enet:
        path = _enet_path(source, X, y, alphas, eps, sample_weight, target)
    else:
        path = _protocol_path(source, X, y, alphas, eps, sample_weight, target)
    final, _, _ = last_step(estimator, None)
    title = type(final).__name__
    if path.get("row_name"):
        title = f"{title}, {path.pop('row_name')}"
    path.update(alpha_marks=source.marks, estimator_name=title, feature_names=names,
                param_name=source.param)
    return path


# -- the elastic net: enet_path with the model's options ------------------------------------------

def _enet_path(source, X, y, alphas, eps, sample_weight, target):
    model, l1_ratio, marks = source.model, source.l1_ratio, source.marks
    if target is not None:
        raise ValueError(f"target selects one row of a model with several rows of "
                         f"coefficients; {type(model).__name__} has one: pass target=None.")
    params = model.get_params()
    y = _target(y)
    kwargs = {k: params[k] for k in _PATH_PARAMS if k in params}
    kwargs.update({k: params[k] for k in OPTION_NAMES if k in params})
    kwargs["sample_weight"] = sample_weight
    alphas, eps = _resolve_values(alphas, source, eps, 1e-3)
    if isinstance(alphas, Integral) and not isinstance(alphas, bool):
        alphas = _automatic_grid(X, y, l1_ratio, eps, alphas, kwargs)
    grid = _with_marks(alphas, marks)
    grid, coefs, _ = enet_path(X, y, l1_ratio=l1_ratio, eps=eps, alphas=grid,
                               precompute="auto", **kwargs)
    return {"alphas": grid, "coefs": coefs, "coef_name": "coefficient",
            "dev_ratio": deviance_ratio(X, y, coefs, fit_intercept=kwargs.get(
                "fit_intercept", True), sample_weight=sample_weight)}


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


# -- any path estimator: its own _solve_path ------------------------------------------------------

def _protocol_path(source, X, y, values, eps, sample_weight, target):
    """The path of a path estimator (`skreg._path_tasks`), solved by a clone's
    ``_solve_path`` on the given data, its deviance ratio (glmnet's binomial / multinomial
    or mgaussian ``dev.ratio``) and the row `target` selects."""
    model = source.model
    values, eps = _resolve_values(values, source, eps, None)
    if isinstance(values, Integral) and not isinstance(values, bool):
        values = _automatic_values(model, X, y, sample_weight, int(values), eps)
    values = np.asarray(values, dtype=np.float64).ravel()
    check = path_value_check(model)
    bad = [float(v) for v in values if not check(float(v))]
    if bad:
        raise ValueError(f"The values of {source.param} must be valid path points of "
                         f"{type(model).__name__}, got {bad[0]!r}.")
    grid = _with_marks(values, source.marks, source.inverse)
    solver = clone(model)
    result = solver._solve_path(X, y, sample_weight, grid)
    coefs = np.asarray(result.coefs, dtype=np.float64)
    fit_intercept = bool(model.get_params().get("fit_intercept", True))
    intercepts = np.asarray(result.intercepts, dtype=np.float64)
    if not fit_intercept:
        intercepts = np.zeros_like(intercepts)
    Xv = check_array(X, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32])
    weights = None if sample_weight is None else _check_sample_weight(
        sample_weight, Xv, dtype=np.float64)
    if is_classifier(model):
        y = np.asarray(y)
        weights = LogisticProblem(Xv, y, solver.classes_, sample_weight=weights,
                                  class_weight=model.get_params().get("class_weight"),
                                  fit_intercept=fit_intercept).s
        _, dev_ratio = logistic_path_statistics(Xv, y, solver.classes_, weights, coefs,
                                                intercepts, fit_intercept)
    else:
        _, dev_ratio = regression_path_statistics(Xv, np.asarray(y), weights, coefs,
                                                  intercepts, fit_intercept)
    coefs, coef_name, row_name = _row(coefs, target, model, solver, y)
    return {"alphas": grid, "coefs": coefs, "dev_ratio": dev_ratio, "coef_name": coef_name,
            "row_name": row_name}


def _automatic_values(model, X, y, sample_weight, n_values, eps):
    """The automatic grid of the model's problem, that of its CV selector: glmnet's C grid
    from the C below which every coefficient is zero (LogisticRegressionCV's), or the
    multi-task alpha grid down from alpha_max (MultiTaskLassoCV's)."""
    Xv = check_array(X, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32])
    weights = None if sample_weight is None else _check_sample_weight(
        sample_weight, Xv, dtype=np.float64, ensure_non_negative=True)
    params = model.get_params()
    if is_classifier(model) and model._path_param == "C":
        y = np.asarray(y)
        problem = LogisticProblem(Xv, y, np.unique(y), sample_weight=weights,
                                  class_weight=params.get("class_weight"),
                                  fit_intercept=params.get("fit_intercept", True))
        _, l1_ratio = resolve_penalty(model)
        return C_grid(problem, l1_ratio, n_values, eps)
    if isinstance(model, MultiTaskElasticNet):
        options = {k: params[k] for k in ("penalty_factor", "standardize")
                   if params.get(k) is not None and params.get(k) is not False}
        (grid,) = _multitask_grids(Xv, np.asarray(y, dtype=np.float64), weights,
                                   [model._l1_ratio()], params["fit_intercept"],
                                   1e-3 if eps is None else eps, n_values,
                                   params["positive"], options)
        return grid
    raise ValueError(f"{type(model).__name__} has no automatic grid of "
                     f"{model._path_param}: pass alphas (its values).")


def _row(coefs, target, model, solver, y):
    """(the coefficients drawn (n_features, n_values), the y label, the row's name) of the
    path coefs (n_rows, n_features, n_values): its only row, the row `target` names (a class
    label of a classifier, a target's index or column name of a multi-task model), or with
    target='norm' each feature's Euclidean norm over the rows (glmnet's type.coef='2norm')."""
    n_rows = coefs.shape[0]
    classifier = is_classifier(model)
    kind = "class" if classifier else "target"
    if classifier:
        labels = np.asarray(solver.classes_).tolist()
    else:
        columns = getattr(y, "columns", None)
        labels = list(range(n_rows)) if columns is None else list(columns)
    if n_rows == 1:
        if target is None or (classifier and len(labels) == 2 and _same(target, labels[1])):
            return coefs[0], "coefficient", None
        if classifier:
            raise ValueError(
                f"The binary {type(model).__name__} has one row of coefficients, that of "
                f"the class {labels[1]!r} (classes_[1]): pass target=None, got {target!r}.")
        raise ValueError(f"target selects one row of a model with several rows of "
                         f"coefficients; {type(model).__name__} has one: pass target=None.")
    plural = "classes" if classifier else "targets"
    if isinstance(target, str) and target == "norm":
        return (np.sqrt(np.sum(coefs**2, axis=0)), f"coefficient norm over the {plural}",
                f"norm over the {n_rows} {plural}")
    index = _row_index(target, labels, classifier)
    if index is None:
        if classifier:
            hint = f"target=<a class label, one of classes_ {labels}>"
        else:
            hint = f"target=<a target's index, 0 to {n_rows - 1}>"
            if labels != list(range(n_rows)):
                hint += f" or <a column name of y, one of {labels}>"
        given = "" if target is None else f"; got target={target!r}"
        raise ValueError(
            f"{type(model).__name__} has {n_rows} rows of coefficients, one per {kind}: pass "
            f"{hint} to draw that {kind}'s coefficients, or target='norm' for each feature's "
            f"norm over the {plural} (glmnet's type.coef='2norm'){given}.")
    return coefs[index], "coefficient", f"{kind} {labels[index]!r}"


def _same(a, b):
    try:
        return bool(a == b) and type(a) is not bool
    except (TypeError, ValueError):
        return False


def _row_index(target, labels, classifier):
    if target is None:
        return None
    if classifier:
        hits = [i for i, label in enumerate(labels) if _same(target, label)]
        return hits[0] if hits else None
    if isinstance(target, Integral) and not isinstance(target, bool):
        return int(target) if 0 <= target < len(labels) else None
    hits = [i for i, label in enumerate(labels)
            if not isinstance(label, Integral) and _same(target, label)]
    return hits[0] if hits else None
