"""The library calls that turn the options of `skreg fit` into a fitted model and its CV summary.

Nothing is computed here: Lasso and ElasticNet are chosen by LassoCV / ElasticNetCV (with
``standardize`` and ``selection_rule``), Ridge by RidgeCV, or by PathSearchCV over Ridge for the
one-standard-error rule (RidgeCV has no selection rule), and a fixed alpha is scored by
scikit-learn's ``cross_validate``. Ridge has no ``standardize`` option: a StandardScaler goes in
front of it.
"""

import math

import numpy as np

import skreg

MODEL_NAMES = {"lasso": "Lasso", "elasticnet": "ElasticNet", "ridge": "Ridge"}


def ridge_grid(X, n_alphas, standardize):
    """Ridge alphas from about total shrinkage (10 x the total sum of squares of the centred
    features) down to 1e-6 of it: the library has no automatic ridge grid."""
    n, p = X.shape
    scale = float(n * p) if standardize else float(n * X.var(axis=0).sum())
    scale = scale if scale > 0 else 1.0
    return np.geomspace(10 * scale, 1e-6 * scale, n_alphas)


def scaled(model, standardize):
    """Ridge has no `standardize` option: a StandardScaler in front of it."""
    if not standardize:
        return model
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), model)


def fixed_model(args, l1_ratio):
    if args.model == "ridge":
        return scaled(skreg.Ridge(alpha=args.alpha), args.standardize)
    if args.model == "lasso":
        return skreg.Lasso(alpha=args.alpha, max_iter=args.max_iter,
                           standardize=args.standardize)
    return skreg.ElasticNet(alpha=args.alpha, l1_ratio=l1_ratio, max_iter=args.max_iter,
                            standardize=args.standardize)


def make_search(args, X, l1_ratios, folds, verbose):
    """The library's CV search of the requested model (not fitted)."""
    if args.model == "ridge":
        grid = ridge_grid(X, args.n_alphas, args.standardize)
        if args.selection_rule == "min":
            search = skreg.RidgeCV(alphas=grid, cv=folds, scoring="neg_mean_squared_error")
        else:  # RidgeCV has no selection rule
            search = skreg.PathSearchCV(skreg.Ridge(), {"alpha": grid}, cv=folds,
                                        scoring="neg_mean_squared_error", verbose=verbose,
                                        selection_rule="1se")
        return scaled(search, args.standardize)
    params = dict(cv=folds, alphas=args.n_alphas, max_iter=args.max_iter, verbose=verbose,
                  selection_rule=args.selection_rule, standardize=args.standardize,
                  eps=1e-3 if args.eps is None else args.eps)
    if args.model == "lasso":
        return skreg.LassoCV(**params)
    return skreg.ElasticNetCV(l1_ratio=l1_ratios if len(l1_ratios) > 1 else l1_ratios[0],
                              **params)


def cv_score(model, X, y, folds, verbose):
    """(mean, standard error) over the folds of the test MSE of `model`."""
    from sklearn.model_selection import cross_validate

    scores = -cross_validate(model, X, y, cv=folds, scoring="neg_mean_squared_error",
                             verbose=verbose)["test_score"]
    return float(scores.mean()), float(scores.std() / math.sqrt(len(scores)))


def search_summary(search, k):
    """Chosen alpha, the rules' alphas, the grid and the CV MSE (+ standard error) of a
    fitted PathSearchCV (LassoCV, ElasticNetCV)."""
    res, i = search.cv_results_, search.best_index_
    same = [j for j, c in enumerate(res["params"])
            if c.get("l1_ratio") == res["params"][i].get("l1_ratio")]
    summary = dict(alpha=float(search.best_params_["alpha"]), alpha_min=float(search.alpha_),
                   alpha_1se=float(search.alpha_1se_),
                   grid=[res["params"][j]["alpha"] for j in same],
                   cv_mse=0.0 - float(res["mean_test_score"][i]),  # (never -0)
                   cv_se=float(res["std_test_score"][i]) / math.sqrt(k))
    if "l1_ratio" in res["params"][i]:
        summary["l1_ratio"] = float(search.best_params_["l1_ratio"])
    return summary


def fit_model(args, X, y, l1_ratios, folds, verbose):
    """(fitted final model, search description, summary dict) of the requested fit."""
    k = folds.get_n_splits()
    if args.alpha is not None:
        model = fixed_model(args, l1_ratios[0])
        cv_mse, cv_se = cv_score(model, X, y, folds, verbose)
        return model.fit(X, y), MODEL_NAMES[args.model], dict(cv_mse=cv_mse, cv_se=cv_se)
    search = make_search(args, X, l1_ratios, folds, verbose).fit(X, y)
    inner = search.steps[-1][1] if hasattr(search, "steps") else search
    if args.model != "ridge":
        summary = search_summary(inner, k)
        summary["table"] = inner.summary()  # alpha, df, %dev, CV error along the path
        return inner.best_estimator_, type(inner).__name__, summary
    if isinstance(inner, skreg.RidgeCV):  # no per-alpha fold scores: its choice is scored
        summary = dict(alpha=float(inner.alpha_), alpha_min=float(inner.alpha_),
                       grid=list(inner.alphas))
    else:
        summary = search_summary(inner, k)
    model = scaled(skreg.Ridge(alpha=summary["alpha"]), args.standardize).fit(X, y)
    if isinstance(inner, skreg.RidgeCV):
        summary["cv_mse"], summary["cv_se"] = cv_score(model, X, y, folds, verbose)
    return model, "RidgeCV" if isinstance(inner, skreg.RidgeCV) else "PathSearchCV(Ridge)", summary
