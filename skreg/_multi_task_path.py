"""The multi-task problem on a `Design`: its alpha_max and its warm-started path.

The problem (rows of W, one per feature, grouped; k targets)::

    1/(2n) ||Y - XW - b||_F^2 + alpha * sum_j pf_j [rho s_j ||W_j||_2 + (1 - rho)/2 s_j^2 ||W_j||_2^2]

with pf the penalty factors (all ones: scikit-learn's problem) and s_j the standardization scale
(1 unless ``standardize``). The glmnet-style options go through
`skreg._penalty_options.options_problem`, as for the single-task models: the factors and the
scale become per-feature kernel penalties, and unpenalized features are partialled out, so the
kernel's dual point stays bounded.
"""

import numpy as np
from scipy.linalg import lstsq

from ._design import centred_sparse_gram
from ._penalty_options import options_problem
from ._solve import mt_solve_scaled, penalty_scales


def _reduced(design, penalty_factor, standardize, positive):
    """(the design the kernel solves, unit L1 and L2 weights, the options problem or None)."""
    if penalty_factor is None and not standardize:
        p = design.n_features
        return design, np.ones(p), np.ones(p), None
    problem = options_problem(design, penalty_factor=penalty_factor, standardize=standardize)
    if positive and problem.U.size:
        raise ValueError(
            "positive=True with unpenalized features (penalty_factor 0) is not supported by "
            "the multi-task models: give those features a small positive penalty factor.")
    P = problem.P
    l1 = problem.l1[P]
    with np.errstate(invalid="ignore"):
        l2 = np.where(np.isinf(l1), 0.0, problem.l2[P])
    return problem.reduced, l1, l2, problem


def multitask_alpha_max(design, l1_ratio=1.0, *, positive=False, penalty_factor=None,
                        standardize=False):
    """The smallest alpha at which every row of W is 0: max_j ||x~_j' Y~||_2 / (n rho pf_j s_j)
    (positive parts only when ``positive``)."""
    red, l1, _, _ = _reduced(design, penalty_factor, standardize, positive)
    if l1.size == 0:
        return 0.0
    C = red.XtY if red.kind == "gram" else red.correlations(red.Y)
    C = np.asarray(C, dtype=np.float64).reshape(l1.size, -1)
    if positive:
        C = np.maximum(C, 0.0)
    norms = np.sqrt(np.einsum("jk,jk->j", C, C))
    usable = (l1 > 0) & np.isfinite(l1) & (np.asarray(red.norms2) > 0)
    if not np.any(usable):
        return 0.0
    return float(np.max(norms[usable] / l1[usable])) / (design.n_samples * l1_ratio)


def _least_squares(design):
    """The minimum-norm least-squares coefficients (n_features, n_targets) of a centred design
    (alpha = 0: no bounded dual to certify, solved directly)."""
    if design.kind == "dense":
        cond = max(design.X.shape) * np.finfo(design.X.dtype).eps
        return lstsq(design.X, design.Y, cond=cond, lapack_driver="gelsd")[0]
    if design.kind == "gram":
        Q, XtY = design.Q, design.XtY
    else:
        Q = centred_sparse_gram(design._Xw, design.mean if design.center else None,
                                float(design.v @ design.v))
        XtY = design.correlations(design.Y)
    cond = Q.shape[0] * np.finfo(design.dtype).eps
    return lstsq(Q, XtY, cond=cond)[0]


def solve_multitask_alphas(design, alphas, l1_ratio, *, coef_init=None, tol=1e-4,
                           max_iter=1000, positive=False, selection="cyclic", random_state=None,
                           warn=True, penalty_factor=None, standardize=False):
    """The multi-task solution for every alpha (in the given order), warm-started.

    coef_init: (n_targets, n_features) or None. Returns coefs (n_targets, n_features,
    n_alphas), dual_gaps / n (n_alphas,), epochs (list)."""
    red, l1, l2, problem = _reduced(design, penalty_factor, standardize, positive)
    p, k = design.n_features, design.n_targets
    alphas = np.asarray(alphas, dtype=np.float64).ravel()
    P = np.arange(p) if problem is None else problem.P
    W = np.zeros((P.size, k), dtype=design.dtype)
    if coef_init is not None:
        W[:] = np.asarray(coef_init, dtype=design.dtype).reshape(k, p).T[P]
    scales = np.column_stack(penalty_scales(alphas, l1_ratio, design.n_samples))
    coefs = np.zeros((len(alphas), P.size, k), dtype=design.dtype)
    gaps = np.zeros(len(alphas))
    n_iters = [0] * len(alphas)
    i = 0
    while i < len(alphas):
        if alphas[i] == 0:  # least squares (positive: the kernel's iterations, not certified)
            if not positive and P.size:
                W[:] = _least_squares(red)
                coefs[i] = W
                i += 1
                continue
        j = i + 1
        while j < len(alphas) and (alphas[j] != 0 or positive):
            j += 1
        if P.size and k:
            coefs[i:j], gaps[i:j], its = mt_solve_scaled(
                red, W, (l1, l2), scales[i:j], positive=positive, tol=tol, max_iter=max_iter,
                selection=selection, random_state=random_state, warn=warn)
            n_iters[i:j] = its
        i = j
    out = np.zeros((k, p, len(alphas)), dtype=design.dtype)
    out[:, P, :] = coefs.transpose(2, 1, 0)
    if problem is not None and problem.U.size:
        for a in range(len(alphas)):
            for t in range(k):
                out[t, problem.U, a] = red.recover(t, out[t, P, a])
    return out, gaps, n_iters
