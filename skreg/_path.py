"""Regularization paths: lasso_path, enet_path and the automatic alpha grid.

A path solves the problem for a decreasing sequence of alphas, each fit warm-started from the
previous one on the same `Design` (centred data or Gram matrix built once)."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch

from ._design import TINY_ALPHA
from ._input import make_design, validate_path_data
from ._multi_task_path import multitask_alpha_max, solve_multitask_alphas
from ._penalty_options import OPTION_NAMES, active_options, options_alpha_max, options_path
from ._solve import cd_solve, cd_solve_scaled, penalty_arrays, penalty_scales


def _check_path_params(l1_ratio, eps, tol, max_iter):
    """scikit-learn's constraints on the path parameters, with one clear message each."""
    def real(value):  # (a float first: the ABC checks are most of this function's time)
        return type(value) is float or (isinstance(value, Real)
                                        and not isinstance(value, (bool, np.bool_)))

    if not (real(l1_ratio) and 0 <= l1_ratio <= 1):
        raise ValueError(f"l1_ratio must be a float in [0, 1], got {l1_ratio!r}.")
    if not (real(eps) and 0 < eps < np.inf):
        raise ValueError(f"eps must be a positive finite float, got {eps!r}.")
    if not (real(tol) and 0 <= tol < np.inf):
        raise ValueError(f"tol must be a non-negative finite float, got {tol!r}.")
    if not ((type(max_iter) is int or (isinstance(max_iter, Integral)
                                        and not isinstance(max_iter, (bool, np.bool_))))
            and max_iter >= 0):
        raise ValueError(f"max_iter must be a non-negative integer, got {max_iter!r}.")


def _check_coef_init(coef_init, n_targets, p, dtype):
    """coef_init as an (n_targets, p) array, or None; a wrong shape is an error (the kernel
    updates it in place, so it must have exactly n_features entries)."""
    if coef_init is None:
        return None
    init = np.asarray(coef_init, dtype=dtype)
    if init.size != n_targets * p or init.ndim > 2 or (init.ndim == 2 and init.shape[-1] != p):
        raise ValueError(
            f"coef_init has shape {init.shape}, expected ({p},) = (n_features,)"
            + ("" if n_targets == 1 else f" or ({n_targets}, {p}) = (n_targets, n_features)")
            + ".")
    if not np.all(np.isfinite(init)):
        raise ValueError("coef_init must be finite (no NaN or infinity).")
    return init.reshape(n_targets, p)


def alpha_grid(alpha_max, eps=1e-3, n_alphas=100):
    """The automatic grid: n_alphas values from alpha_max (every coefficient zero) down to
    eps * alpha_max, evenly spaced on a log scale, as scikit-learn's."""
    if alpha_max <= TINY_ALPHA:
        return np.full(n_alphas, TINY_ALPHA)
    start, stop = float(alpha_max), float(alpha_max) * float(eps)
    if not (n_alphas > 1 and 0 < stop < start):  # (np.geomspace's errors and edge cases)
        return np.geomspace(start, stop, num=n_alphas)
    log_start, log_stop = np.log10(start), np.log10(stop)
    step = (log_stop - log_start) / (n_alphas - 1)
    # np.geomspace's arithmetic (its linspace of exponents, then 10**y, then exact ends), bit
    # for bit, without its generic dispatch: that was 16 us, 8% of a small path
    y = np.arange(n_alphas, dtype=np.float64)
    y *= step
    y += log_start
    y[-1] = log_stop
    grid = np.power(10.0, y)
    grid[0], grid[-1] = start, stop
    return grid


def design_alpha_max(design, l1_ratio=1.0, positive=False, **options):
    """alpha_max of a `Design` (max over targets). With glmnet-style `options` (penalty_factor,
    lower_bounds, upper_bounds, standardize; relax and gamma are ignored) it respects them,
    unpenalized features being partialled out first."""
    check_l1_ratio_for_grid(l1_ratio)
    options = {key: value for key, value in options.items() if key not in ("relax", "gamma")}
    if options:
        return options_alpha_max(design, l1_ratio, positive=positive, **options)
    return design.alpha_max(l1_ratio, positive=positive)


def check_l1_ratio_for_grid(l1_ratio):
    if l1_ratio == 0:
        raise ValueError(
            "Automatic alpha grid generation is not supported for l1_ratio=0. Please supply "
            "a grid by providing your estimator with the appropriate `alphas=` argument.")


def solve_alphas(design, k, alphas, l1_ratio, *, coef_init=None, tol=1e-4, max_iter=1000,
               positive=False, selection="cyclic", random_state=None, warn=True,
               callback=None, **penalty_options):
    """Coefficients for every alpha (in the given order) for target k, warm-started.

    Returns coefs (n_features, n_alphas), dual_gaps (n_alphas,), n_iters (list). `callback`,
    if given, is called as callback(i, w) after each alpha (used to score CV folds without
    storing the path). glmnet-style `penalty_options` (see `skreg._glmnet_options`) go
    through `options_path`; none keeps scikit-learn's problem and this loop."""
    if penalty_options:
        return options_path(design, k, alphas, l1_ratio, coef_init=coef_init, tol=tol,
                            max_iter=max_iter, positive=positive, selection=selection,
                            random_state=random_state, warn=warn, callback=callback,
                            **penalty_options)
    p = design.n_features
    w = np.zeros(p, dtype=design.dtype) if coef_init is None else np.array(
        coef_init, dtype=design.dtype, order="C")
    alphas = np.asarray(alphas, dtype=np.float64)
    if l1_ratio > 0 and alphas.size > 1 and alphas.min() > 0:
        # The whole path in one kernel call: unit penalties scaled per alpha exactly as
        # penalty_arrays would build them (so the result is the same as the loop below).
        scales = np.empty((alphas.size, 2))
        scales[:, 0], scales[:, 1] = penalty_scales(alphas, l1_ratio, design.n_samples)
        unit = (np.ones(p, dtype=design.dtype), np.ones(p, dtype=design.dtype),
                np.full(p, 0.0 if positive else -np.inf, dtype=design.dtype),
                np.full(p, np.inf, dtype=design.dtype))
        path, gaps, n_iters = cd_solve_scaled(design, k, w, unit, scales, tol=tol,
                                              max_iter=max_iter, selection=selection,
                                              random_state=random_state, warn=warn)
        if callback is not None:
            for i in range(len(alphas)):
                callback(i, path[i])
        return path.T, gaps, n_iters
    coefs = np.empty((p, len(alphas)), dtype=design.dtype)
    gaps = np.empty(len(alphas))
    n_iters = []
    for i, alpha in enumerate(alphas):
        penalty = penalty_arrays(p, design.dtype, alpha, l1_ratio, design.n_samples,
                                 positive=positive, **penalty_options)
        gaps[i], it = cd_solve(design, k, w, penalty, tol=tol, max_iter=max_iter,
                               selection=selection, random_state=random_state, warn=warn)
        coefs[:, i] = w
        n_iters.append(it)
        if callback is not None:
            callback(i, w)
    return coefs, gaps, n_iters


# The parameters and returns enet_path and lasso_path share (numpydoc sections of both).
_PATH_PARAMS_DOC = """    eps : float, default=1e-3
        ``alpha_min / alpha_max`` of the automatic grid.
    n_alphas : int, default=100
        Deprecated alias of an integer ``alphas`` (kept for scikit-learn compatibility).
    alphas : int or array-like, default=100
        Number of alphas on the automatic grid, or the alphas themselves (sorted decreasing).
    precompute : 'auto', bool or array-like of shape (n_features, n_features), default='auto'
        Use the Gram matrix; 'auto' uses it when n_samples >= 2 * n_features.
    Xy : array-like of shape (n_features,) or (n_features, n_targets), default=None
        ``X.T @ y``, used with a precomputed Gram matrix.
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: X is never written to.
    coef_init : array-like of shape (n_features,), default=None
        Initial coefficients.
    verbose : bool or int, default=False
        Print progress.
    return_n_iter : bool, default=False
        Also return the epochs run per alpha.
    return_stats : bool, default=False
        Also return the intercepts, the number of non-zero coefficients and the fraction of
        deviance explained along the path (a skreg extension; the returns are then
        ``alphas, coefs, dual_gaps[, n_iters], stats``).
    positive : bool, default=False
        Constrain the coefficients to be non-negative."""

_PATH_RETURNS_DOC = """    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        The alphas along the path.
    coefs : ndarray of shape (n_features, n_alphas) or (n_targets, n_features, n_alphas)
        Coefficients along the path.
    dual_gaps : ndarray of shape (n_alphas,)
        Duality gaps at the end of each optimization (max over targets).
    n_iters : list of int
        Epochs per alpha (only if ``return_n_iter``).
    stats : Bunch
        Only if ``return_stats``: what glmnet prints along a path (see `path_statistics`),
        ``intercepts`` of shape (n_alphas,) or (n_targets, n_alphas) (0 without
        ``fit_intercept``), ``df`` of shape (n_alphas,) (features with a non-zero
        coefficient, for any target) and ``dev_ratio`` of shape (n_alphas,) (the fraction of
        the weighted deviance explained, glmnet's ``dev.ratio``)."""


def enet_path(X, y, *, l1_ratio=0.5, eps=1e-3, n_alphas="deprecated", alphas="warn",
              precompute="auto", Xy=None, copy_X=True, coef_init=None, verbose=False,
              return_n_iter=False, positive=False, check_input=True, return_stats=False,
              **params):
    if n_alphas != "deprecated":
        warnings.warn(
            "'n_alphas' was deprecated in 1.9 and will be removed in 1.11 (scikit-learn's "
            "versions, followed by skreg): pass an integer 'alphas'.",
            FutureWarning)
        n_grid = n_alphas
    else:
        n_grid = 100
    if alphas is None:
        warnings.warn("'alphas=None' is deprecated and will be removed in 1.11 (scikit-learn's "
                      "versions, followed by skreg): set 'alphas=100'.", FutureWarning)
    elif not (isinstance(alphas, str) and alphas == "warn"):
        if isinstance(alphas, Integral):
            n_grid = alphas
            if n_grid < 1:
                raise ValueError(f"alphas must be a positive integer, got {alphas}.")
            alphas = None
        else:
            alphas = np.asarray(alphas, dtype=np.float64).ravel()
    if isinstance(alphas, str):
        alphas = None

    tol = params.pop("tol", 1e-4)
    max_iter = params.pop("max_iter", 1000)
    random_state = params.pop("random_state", None)
    selection = params.pop("selection", "cyclic")
    fit_intercept = params.pop("fit_intercept", False)
    sample_weight = params.pop("sample_weight", None)
    penalty_options = active_options(
        **{key: params.pop(key) for key in OPTION_NAMES if key in params})
    params.pop("X_offset", None)
    params.pop("X_scale", None)
    if params:
        raise ValueError(f"Unexpected parameters in params: {sorted(params)}")
    if selection not in ("cyclic", "random"):
        raise ValueError("selection should be either random or cyclic.")
    _check_path_params(l1_ratio, eps, tol, max_iter)

    X, y, sample_weight, finite_by_gram = validate_path_data(X, y, sample_weight, check_input,
                                                             precompute)
    multi_output = y.ndim == 2
    multi_task = multi_output and y.shape[1] > 1
    if multi_task and set(penalty_options) - {"penalty_factor", "standardize"}:
        raise ValueError(
            "With a 2-D y the path functions solve the multi-task problem (rows of the "
            "coefficients grouped, as scikit-learn's), which takes penalty_factor and "
            "standardize but not "
            f"{sorted(set(penalty_options) - {'penalty_factor', 'standardize'})}.")
    design = make_design(X, y, fit_intercept=fit_intercept, sample_weight=sample_weight,
                         precompute=precompute, copy_X=copy_X, Xy=Xy,
                         finite_by_gram=finite_by_gram)
    if alphas is None:
        if multi_task:
            check_l1_ratio_for_grid(l1_ratio)
            a_max = multitask_alpha_max(design, l1_ratio, positive=positive, **penalty_options)
        else:
            a_max = design_alpha_max(design, l1_ratio, positive, **penalty_options)
        alphas = alpha_grid(a_max, eps, n_grid)
    else:
        if alphas.size == 0:
            raise ValueError("alphas must not be empty.")
        if not (alphas.min() >= 0 and alphas.max() < np.inf):  # NaN fails both
            raise ValueError("alphas must be non-negative and finite.")
        alphas = np.sort(alphas)[::-1]

    n_targets = design.n_targets
    p = design.n_features
    if multi_task:
        init = None if coef_init is None else _check_coef_init(
            coef_init, n_targets, p, design.dtype)
        coefs, gaps, n_iters = solve_multitask_alphas(
            design, alphas, l1_ratio, coef_init=init, tol=tol, max_iter=max_iter,
            positive=positive, selection=selection, random_state=random_state,
            **penalty_options)
        coefs = coefs.astype(X.dtype, copy=False)  # (the design may compute in float64)
        if verbose:
            print(f"enet_path: multi-task, {len(alphas)} alphas, {sum(n_iters)} epochs")
        if return_n_iter:
            return alphas, coefs, gaps, n_iters
        return alphas, coefs, gaps
    coefs = np.empty((n_targets, p, len(alphas)), dtype=design.dtype)
    gaps = np.zeros(len(alphas))
    n_iters = []
    init = _check_coef_init(coef_init, n_targets, p, design.dtype)
    for k in range(n_targets):
        coefs[k], g, it = solve_alphas(
            design, k, alphas, l1_ratio, coef_init=None if init is None else init[k],
            tol=tol, max_iter=max_iter, positive=positive, selection=selection,
            random_state=random_state, **penalty_options)
        gaps = np.maximum(gaps, g)
        n_iters.append(it)
        if verbose:
            print(f"enet_path: target {k}: {len(alphas)} alphas, {sum(it)} epochs")
    stats = path_statistics(design, coefs, multi_output) if return_stats else None
    coefs = (coefs if multi_output else coefs[0]).astype(X.dtype, copy=False)
    n_iters = n_iters if multi_output else n_iters[0]
    out = (alphas, coefs, gaps) + ((n_iters,) if return_n_iter else ())
    return out + ((stats,) if return_stats else ())


enet_path.__doc__ = f"""Compute the elastic-net path with coordinate descent (sklearn's API).

    The objective is, for each alpha::

        1 / (2 * n_samples) * ||y - Xw||^2_2
        + alpha * l1_ratio * ||w||_1 + 0.5 * alpha * (1 - l1_ratio) * ||w||^2_2

    As in scikit-learn, no intercept is fitted unless ``fit_intercept=True`` is passed in
    ``params`` (a skreg extension, with ``sample_weight``).

    Parameters
    ----------
    X : {{array-like, sparse matrix}} of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        Target; with several targets, the multi-task problem (as scikit-learn's): the
        coefficients of a feature are penalized together by their Euclidean norm,
        ``alpha * l1_ratio * sum_j ||W_j||_2`` (rows of W grouped, see
        :class:`MultiTaskElasticNet`); coefs gain a leading n_targets axis.
    l1_ratio : float, default=0.5
        Mixing parameter in (0, 1].
{_PATH_PARAMS_DOC}
    check_input : bool, default=True
        Validate X and y.
    **params : dict
        ``tol``, ``max_iter``, ``random_state``, ``selection``, ``fit_intercept``,
        ``sample_weight``, and the glmnet-style options of :class:`ElasticNet`:
        ``penalty_factor``, ``lower_bounds``, ``upper_bounds``, ``standardize``, ``relax``,
        ``gamma`` (the automatic grid then respects factors, bounds and standardization;
        with ``relax=True`` the coefs are the gamma-blends and ``dual_gaps`` those of the
        penalized fits).

{_PATH_RETURNS_DOC}
    """


def lasso_path(X, y, *, eps=1e-3, n_alphas="deprecated", alphas="warn", precompute="auto",
               Xy=None, copy_X=True, coef_init=None, verbose=False, return_n_iter=False,
               positive=False, return_stats=False, **params):
    return enet_path(X, y, l1_ratio=1.0, eps=eps, n_alphas=n_alphas, alphas=alphas,
                     precompute=precompute, Xy=Xy, copy_X=copy_X, coef_init=coef_init,
                     verbose=verbose, return_n_iter=return_n_iter, positive=positive,
                     return_stats=return_stats, **params)


lasso_path.__doc__ = f"""Compute the Lasso path with coordinate descent (scikit-learn's signature).

    The objective is ``1 / (2 * n_samples) * ||y - Xw||^2_2 + alpha * ||w||_1`` for each
    alpha; see :func:`enet_path` for the parameters (``l1_ratio=1``).

    Parameters
    ----------
    X : {{array-like, sparse matrix}} of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        Target; with several targets, the multi-task Lasso (see :func:`enet_path`).
{_PATH_PARAMS_DOC}
    **params : dict
        Passed to :func:`enet_path` (``tol``, ``max_iter``, ``fit_intercept``,
        ``sample_weight``, ``check_input``, the glmnet-style options, ...).

{_PATH_RETURNS_DOC}
    """


def path_statistics(design, coefs, multi_output=False):
    """Intercepts, df and dev_ratio along a path of `design` (coefs (n_targets, p, n_alphas)).

    ``df``: the features with a non-zero coefficient (for any target: the rows of W, glmnet's
    count for several targets). ``dev_ratio``: ``1 - RSS / RSS_null`` with the weighted
    residual sums of squares summed over targets, RSS_null that of the intercept alone (of
    the zero model without intercept) -- glmnet's ``dev.ratio``; 0 when RSS_null is 0. The
    residuals come from the design as the kernels see it (centred, weighted; from the Gram
    matrix in Gram form), so no pass over the original data is needed. Returns a Bunch of
    intercepts ((n_alphas,) unless `multi_output`), df and dev_ratio (n_alphas,)."""
    coefs = np.asarray(coefs)
    n_targets, _, n_alphas = coefs.shape
    rss = np.zeros(n_alphas)
    for k in range(n_targets):
        W = coefs[k].astype(np.float64)
        if design.kind == "gram":
            # ||y~ - X~ w||^2 = y~'y~ - 2 w'X~'y~ + w'X~'X~ w
            QW = design.Q.astype(np.float64) @ W
            fit = np.einsum("pa,pa->a", W, QW) - 2 * (design.XtY[:, k].astype(np.float64) @ W)
            rss += np.maximum(float(design.yy[k]) + fit, 0.0)
        else:
            if design.kind == "dense":
                XW = np.asarray(design.X @ W)
            else:  # CSC rows weighted by v, centred implicitly: X~ W = Xw W - v (mean'W)
                XW = np.asarray(design._Xw @ W)
                if design.center:
                    XW = XW - np.outer(design.v, design.mean.astype(np.float64) @ W)
            R = design.Y[:, [k]].astype(np.float64) - XW
            rss += np.einsum("ia,ia->a", R, R)
    null = float(np.sum(design.yy))
    dev_ratio = 1.0 - rss / null if null > 0 else np.zeros(n_alphas)
    df = np.count_nonzero(np.any(coefs != 0, axis=0), axis=0)
    intercepts = design.intercept(coefs)
    return Bunch(intercepts=intercepts if multi_output else intercepts[0], df=df,
                 dev_ratio=dev_ratio)
