"""The path-estimator protocol's result type, and the elastic net's implementation of it.

An estimator that solves a warm-started path over one of its parameters implements the protocol
documented in `skreg._path_tasks` (``_path_param``, ``_solve_path``, ``_path_model``) and returns
a `PathResult` from ``_solve_path``. This module is in the numerics layer so that every
estimator module can import `PathResult`; `enet_solve_path` / `enet_path_model` are the bodies of
ElasticNet's (and Lasso's) methods.
"""

import copy
import numbers
import time
import warnings

import numpy as np
from sklearn import get_config

from ._input import make_design, validate_fit_data
from ._path import solve_alphas
from ._penalty_options import options_path


class PathResult:
    """The warm-started path of a path estimator on one training fold.

    The result has one *column* per point of the path: with ``values`` the path parameter's
    values as the search gave them (n_values) and, optionally, ``blend`` the values of a second
    parameter served by the same path (n_blend, e.g. the relaxed lasso's ``gamma``), column
    ``j = i_blend * n_values + i_value`` (blend-major; without blend, ``j = i_value``).

    Parameters
    ----------
    coefs : ndarray of shape (n_rows, n_features, n_columns)
        ``coefs[:, :, j]`` is the model's ``coef_`` at column j as a 2-D array: one row per
        target / task / class (a 1-D ``coef_`` is one row). The search predicts the usual
        regression scores from it as ``X @ coefs[k, :, j] + intercepts[k, j]`` when the
        estimator's predict is skreg's linear one.
    intercepts : ndarray of shape (n_rows, n_columns)
        The intercept of each row (0 without intercept).
    values : ndarray of shape (n_columns,)
        The path parameter's value of each column.
    seconds : ndarray of shape (n_columns,)
        Wall time of each column's solve (a column sharing a solve gets a share of it).
    setup : float
        Seconds spent before the first solve (validation, centring, Gram matrix), shared
        equally between the columns by the search.
    blend : ndarray of shape (n_columns,) or None
        The blend parameter's value of each column, if any.
    info : dict
        Whatever the estimator's ``_path_model`` needs (duality gaps, epochs, classes, ...).
    """

    def __init__(self, *, coefs, intercepts, values, seconds, setup, blend=None, info=None):
        self.coefs = coefs
        self.intercepts = intercepts
        self.values = np.asarray(values)
        self.seconds = np.asarray(seconds, dtype=np.float64)
        self.setup = float(setup)
        self.blend = None if blend is None else np.asarray(blend)
        self.info = {} if info is None else dict(info)

    @property
    def n_columns(self):
        return self.coefs.shape[2]

    def check(self, n_columns):
        """One clear error when an implementation returns the wrong layout."""
        n_rows = self.coefs.shape[0] if self.coefs.ndim == 3 else None
        expected = {"coefs": (n_rows, None, n_columns), "intercepts": (n_rows, n_columns),
                    "values": (n_columns,), "seconds": (n_columns,)}
        for name, shape in expected.items():
            got = np.shape(getattr(self, name))
            if len(got) != len(shape) or any(s is not None and g != s
                                             for g, s in zip(got, shape, strict=True)):
                raise ValueError(
                    f"PathResult.{name} has shape {got}, expected "
                    f"{tuple('*' if s is None else s for s in shape)} for {n_columns} path "
                    "points (see skreg._path_tasks for the path-estimator protocol).")
        if self.blend is not None and np.shape(self.blend) != (n_columns,):
            raise ValueError(f"PathResult.blend has shape {np.shape(self.blend)}, expected "
                             f"({n_columns},).")


def is_nonnegative_real(value):
    """A finite, non-negative real number (not a bool): a valid alpha."""
    return (isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
            and bool(np.isfinite(value)) and value >= 0)


# ------------------------------------------------------------------------------------------------
# ElasticNet / Lasso
# ------------------------------------------------------------------------------------------------


def enet_blend_param(estimator, sub_grid):
    """"gamma" when a relaxed estimator's sub-grid searches valid gammas (and not ``relax``):
    one relaxed path per fold is then blended for every gamma."""
    if (getattr(estimator, "relax", False) is True and "gamma" in sub_grid
            and "relax" not in sub_grid
            and all(is_nonnegative_real(g) and g <= 1 for g in sub_grid["gamma"])):
        return "gamma"
    return None


def enet_solve_path(estimator, X, y, sample_weight, values, *, precompute="auto", blend=None):
    """ElasticNet's ``_solve_path``: validate the fold as fit does, build its `Design` once
    (centred data or Gram matrix) and solve the path over ``values`` (alphas, any order),
    largest alpha first, warm-started."""
    t0 = time.perf_counter()
    if not get_config()["skip_parameter_validation"]:
        estimator._validate_params()
    values = np.asarray(values, dtype=np.float64)
    if np.any(values == 0):
        warnings.warn(
            "With alpha=0, this algorithm does not converge well. You are advised to use the "
            "LinearRegression estimator", stacklevel=3)
    X, y, sample_weight = validate_fit_data(estimator, X, y, sample_weight)
    design = make_design(X, y, fit_intercept=estimator.fit_intercept,
                         sample_weight=sample_weight, precompute=precompute,
                         copy_X=estimator.copy_X)
    return enet_design_path(estimator, design, values, t0, y.ndim, blend=blend)


def enet_design_path(estimator, design, values, t0, y_ndim, blend=None):
    """The elastic-net path over ``values`` on a built `design` (set-up timed from t0); also
    used by the dask search, whose designs come from fold statistics.

    With ``blend`` (gammas of a relaxed estimator) each fold's relaxed path is solved once
    (the penalized fits and their least-squares refits) and blended for every gamma,
    ``gamma * w_penalized + (1 - gamma) * w_refit``; gaps and epochs are those of the penalized
    fits, and the solve seconds of each alpha are shared between its gammas."""
    values = np.asarray(values, dtype=np.float64)
    order = np.argsort(-values, kind="stable")  # the path runs from the largest alpha down
    alphas = values[order]
    n_targets, p, n_alphas = design.Y.shape[1], design.n_features, len(alphas)
    coefs = np.empty((n_targets, p, n_alphas), dtype=design.dtype)
    refits = None if blend is None else np.empty_like(coefs)
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
        if blend is None:
            coefs[k], gaps[k], n_iters[k] = solve_alphas(
                design, k, alphas, estimator.l1_ratio, **common, **options)
        else:  # one relaxed path: the penalized fits and their least-squares refits
            relaxed = {key: v for key, v in options.items() if key not in ("relax", "gamma")}
            coefs[k], refits[k], gaps[k], n_iters[k] = options_path(
                design, k, alphas, estimator.l1_ratio, relax=True, return_refits=True,
                **common, **relaxed)
        seconds += np.diff(stamps)
    if not np.array_equal(order, np.arange(n_alphas)):  # back to the order given
        inverse = np.empty_like(order)
        inverse[order] = np.arange(n_alphas)
        coefs, gaps, n_iters, seconds = (coefs[..., inverse], gaps[:, inverse],
                                         n_iters[:, inverse], seconds[inverse])
        if refits is not None:
            refits = refits[..., inverse]
    columns = values
    if blend is not None:  # blended exactly as a relaxed fit blends its coefficients
        blend = np.asarray(blend, dtype=np.float64)
        coefs = np.concatenate(
            [(gamma * coefs + (1.0 - gamma) * refits).astype(design.dtype, copy=False)
             for gamma in blend], axis=2)
        gaps = np.tile(gaps, len(blend))
        n_iters = np.tile(n_iters, len(blend))
        seconds = np.tile(seconds / len(blend), len(blend))
        columns = np.tile(values, len(blend))
        blend = np.repeat(blend, n_alphas)
    intercepts = design.intercept(coefs)
    return PathResult(coefs=coefs, intercepts=intercepts, values=columns, seconds=seconds,
                      setup=setup, blend=blend,
                      info={"gaps": gaps, "n_iters": n_iters, "y_ndim": y_ndim})


def enet_path_model(estimator, result, j):
    """ElasticNet's ``_path_model``: a copy of the fold's template with the fitted attributes
    ``fit`` would set at column j (cheap: no clone, no refit)."""
    model = copy.copy(estimator)
    model.alpha = float(result.values[j])
    if result.blend is not None:
        model.gamma = float(result.blend[j])
    coefs, intercepts = result.coefs, result.intercepts
    gaps, n_iters = result.info["gaps"], result.info["n_iters"]
    if coefs.shape[0] == 1:  # y of shape (n,) or (n, 1), as fit
        model.coef_ = coefs[0, :, j].copy()
        if not estimator.fit_intercept:
            model.intercept_ = 0.0
        else:  # y of shape (n, 1) keeps a (1,) intercept, as fit
            model.intercept_ = (intercepts[0, j] if result.info["y_ndim"] == 1
                                else intercepts[:, j].copy())
        model.dual_gap_ = gaps[0, j]
        model.n_iter_ = int(n_iters[0, j])
    else:
        model.coef_ = np.ascontiguousarray(coefs[:, :, j])
        model.intercept_ = intercepts[:, j].copy() if estimator.fit_intercept else 0.0
        model.dual_gap_ = gaps[:, j].copy()
        model.n_iter_ = [int(v) for v in n_iters[:, j]]
    return model
