"""The multi-task problem on a `Design`: its alpha_max and its warm-started path.

The problem (rows of W, one per feature, grouped; k targets)::

    1/(2n) ||Y - XW - b||_F^2
        + alpha * sum_j pf_j [rho s_j ||W_j||_2 + (1 - rho)/2 s_j^2 ||W_j||_2^2]

with pf the penalty factors (all ones: scikit-learn's problem) and s_j the standardization scale
(1 unless ``standardize``). The glmnet-style options go through
`skreg._penalty_options.options_problem`, as for the single-task models: the factors and the
scale become per-feature kernel penalties, and unpenalized features are partialled out, so the
kernel's dual point stays bounded.
"""

import numpy as np
from scipy.linalg import LinAlgError, lstsq, solve

from ._design import centred_sparse_gram, support_columns
from ._penalty_options import options_problem
from ._solve import POLISH_TOL, mt_solve_scaled, penalty_scales

POLISH_EPOCHS = 20  # epochs the kernel gets to certify the Newton steps
_POLISH_SIZE = 200  # largest support size x n_targets finished by Newton steps (~1 ms each)


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
    if tol <= POLISH_TOL and P.size and k:
        for i, alpha in enumerate(alphas):
            if alpha > 0 and gaps[i] * design.n_samples <= tol * float(np.sum(red.yy)):
                gaps[i], more = _polish(red, coefs[i], l1 * scales[i, 0], l2 * scales[i, 1],
                                        (l1, l2), scales[i], positive, tol, gaps[i])
                n_iters[i] += more
    out = np.zeros((k, p, len(alphas)), dtype=design.dtype)
    out[:, P, :] = coefs.transpose(2, 1, 0)
    if problem is not None and problem.U.size:
        for a in range(len(alphas)):
            for t in range(k):
                out[t, problem.U, a] = red.recover(t, out[t, P, a])
    return out, gaps, n_iters


def _polish(design, W, lam, beta, unit_penalty, scale, positive, tol, gap):
    """Newton steps on the support of W (a solution certified at tol; updated in place), then
    certified again by the kernel: the objective is smooth on a fixed support of non-zero rows,
    so a few steps reach its exact minimizer, which no longer depends on how it was reached
    (dense or sparse X, cyclic or random order, Gram or not). W and its gap stay as they were
    unless the kernel certifies the new point. Returns (gap, extra epochs)."""
    S = np.flatnonzero(np.abs(W).sum(axis=1) > 0)
    k = W.shape[1]
    ridge = not np.any(lam[S] > 0)  # no row penalty: one linear system, the targets apart
    if (S.size == 0 or (positive and np.any(W[S] <= 0))
            or (S.size * k > _POLISH_SIZE and not (ridge and S.size <= _POLISH_SIZE))):
        return gap, 0
    if design.kind == "gram":
        A = np.asarray(design.Q[np.ix_(S, S)], dtype=np.float64)
        B = np.asarray(design.XtY[S], dtype=np.float64)
    else:
        XS = support_columns(design, S)
        A, B = XS.T @ XS, XS.T @ np.asarray(design.Y, dtype=np.float64)
    lam_S, beta_S = np.asarray(lam[S], dtype=np.float64), np.asarray(beta[S], dtype=np.float64)

    def objective(V):
        norms = np.sqrt((V * V).sum(axis=1))
        return (-(V * B).sum() + 0.5 * (V * (A @ V)).sum() + lam_S @ norms
                + 0.5 * beta_S @ (norms * norms)), norms

    V = np.array(W[S], dtype=np.float64)
    f, norms = objective(V)
    eye = np.eye(k)
    for _ in range(0 if ridge else 20):
        if np.any(norms == 0):
            return gap, 0
        U = V / norms[:, None]
        grad = A @ V - B + (lam_S / norms)[:, None] * V + beta_S[:, None] * V
        H = np.kron(A, eye)
        blocks = H.reshape(S.size, k, S.size, k)
        rows = np.arange(S.size)
        # the curvature of lam ||W_j|| + beta/2 ||W_j||^2 on each row's diagonal block
        blocks[rows, :, rows, :] += ((lam_S / norms)[:, None, None]
                                     * (eye - U[:, :, None] * U[:, None, :])
                                     + beta_S[:, None, None] * eye)
        try:
            step = solve(H, grad.ravel(), assume_a="pos", check_finite=False).reshape(V.shape)
        except (LinAlgError, ValueError):
            return gap, 0
        # damped only when the objective rises beyond its rounding (near the minimizer,
        # rounding decides the comparison; the kernel certifies the end point anyway)
        slack = 1e-12 * (abs(f) + 1.0)
        t = 1.0
        while t > 1e-8:
            new = V - t * step
            if not positive or np.all(new > 0):
                f_new, norms_new = objective(new)
                if f_new <= f + slack:
                    break
            t *= 0.5
        else:
            break
        small = np.abs(new - V).max() <= 1e-14 * np.abs(V).max()
        V, f, norms = new, f_new, norms_new
        if small:
            break
    if ridge:
        try:
            V = solve(A + np.diag(beta_S), B, assume_a="pos", check_finite=False)
        except (LinAlgError, ValueError):
            return gap, 0
    if not np.all(np.isfinite(V)):
        return gap, 0
    candidate = np.zeros_like(W)
    candidate[S] = V
    new_coefs, new_gap, epochs = mt_solve_scaled(
        design, candidate, unit_penalty, [scale], positive=positive, tol=tol,
        max_iter=POLISH_EPOCHS, warn=False)
    if new_gap[0] * design.n_samples <= tol * float(np.sum(design.yy)):
        W[:] = new_coefs[0]
        return float(new_gap[0]), int(epochs[0])
    return gap, int(epochs[0])
