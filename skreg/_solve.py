"""The one way into the compiled coordinate-descent kernel.

`penalty_arrays` is the only place where scikit-learn's alpha and l1_ratio become the kernel's
per-feature penalties (the data term is ``1/2 ||y - Xw||^2``, so they are scaled by n);
`cd_solve` runs the kernel on a `Design` for one penalty, `cd_solve_scaled` for a warm-started
sequence of scaled penalties in one call.

With a tight tolerance (``tol <= POLISH_TOL``) the kernel finishes each solve with one Newton
step on the support (the quadratic of the fixed sign pattern, solved exactly) before its final
gap check, which certifies it: the result is the exact minimizer to rounding, so it does not
depend on how it was reached (dense or sparse X, cyclic or random order, Gram or not), and the
gap that certifies it is the kernel's, as always.
"""

import warnings

import numpy as np
from scipy.linalg import lstsq
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from . import _cd_fast, _multitask_fast


def penalty_scales(alpha, l1_ratio, n_samples):
    """(L1, L2) multipliers of the kernel's unscaled problem: n alpha rho, n alpha (1 - rho)."""
    return n_samples * alpha * l1_ratio, n_samples * alpha * (1.0 - l1_ratio)


def penalty_arrays(p, dtype, alpha, l1_ratio, n_samples, *, positive=False,
                   penalty_factor=None, l2_factor=None, lower_bounds=None, upper_bounds=None):
    """Per-feature kernel parameters: lam_j = n alpha rho pf_j, beta_j = n alpha (1 - rho) qf_j
    (qf = l2_factor, by default pf) and the box [lo_j, hi_j]; an infinite factor excludes the
    feature (lam = inf, beta = 0)."""
    a, b = penalty_scales(alpha, l1_ratio, n_samples)
    if (penalty_factor is None and l2_factor is None and lower_bounds is None
            and upper_bounds is None):
        # scikit-learn's problem: constant arrays (a path calls this once per alpha)
        return (np.full(p, a, dtype=dtype), np.full(p, b, dtype=dtype),
                np.full(p, 0.0 if positive else -np.inf, dtype=dtype),
                np.full(p, np.inf, dtype=dtype))
    pf = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, dtype=np.float64)
    qf = pf if l2_factor is None else np.asarray(l2_factor, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        lam = np.where(np.isinf(pf), np.inf, a * pf)
        beta = np.where(np.isinf(qf), 0.0, b * qf)
    lo = np.full(p, -np.inf) if lower_bounds is None else np.broadcast_to(
        np.asarray(lower_bounds, dtype=np.float64), (p,)).copy()
    hi = np.full(p, np.inf) if upper_bounds is None else np.broadcast_to(
        np.asarray(upper_bounds, dtype=np.float64), (p,)).copy()
    if positive:
        lo = np.maximum(lo, 0.0)
    return tuple(np.ascontiguousarray(x, dtype=dtype) for x in (lam, beta, lo, hi))


def cd_solve(design, k, w, penalty, *, tol, max_iter, selection="cyclic", random_state=None,
             use_ws=True, screen=True, accel=True, warn=True):
    """Coordinate descent for target k of `design` from w (updated in place).

    penalty = (lam, beta, lo, hi) from `penalty_arrays`. Stops when the duality gap is
    <= tol * ||y_k||^2, as scikit-learn does. Returns (dual_gap / n, epochs)."""
    lam, beta, lo, hi = penalty
    if (not np.any(lam > 0) and not np.any(beta > 0) and np.all(np.isinf(lo))
            and np.all(np.isinf(hi)) and hasattr(design, "X")):
        # alpha = 0: ordinary least squares has no bounded dual to certify; solve it exactly
        # (minimum-norm solution, as LinearRegression) from the centred data when the design
        # holds it (a Gram design built from dense X does), instead of iterating.
        # Singular values below max(n, p) * eps of the largest count as zero (numpy's lstsq
        # rule): with LAPACK's default cutoff (eps) whether a duplicated column's ~1e-16
        # singular value survives depends on the BLAS kernels, and the answer with it.
        cond = max(design.X.shape) * np.finfo(design.X.dtype).eps
        w[:] = lstsq(design.X, design.Y[:, k], cond=cond, lapack_driver="gelsd")[0]
        return 0.0, 1
    gap, n_iter = _run(design, k, w, penalty, None, tol, max_iter, selection, random_state,
                       use_ws, screen, accel, warn)
    return gap / design.n_samples, n_iter


def cd_solve_scaled(design, k, w, unit_penalty, scales, *, tol, max_iter, selection="cyclic",
                    random_state=None, warn=True):
    """The warm-started sequence of penalties (scales[i, 0] * lam, scales[i, 1] * beta) for
    target k in one kernel call (every scale positive, lam positive), from w.

    Returns (coefs (n_steps, p), dual_gaps / n, epochs)."""
    scales = np.ascontiguousarray(scales, dtype=np.float64)
    coefs = np.empty((len(scales), design.n_features), dtype=design.dtype)
    gap, n_iter = _run(design, k, w, unit_penalty, (scales, coefs), tol, max_iter, selection,
                       random_state, True, True, True, warn)
    gap = np.asarray(gap, dtype=np.float64)
    return coefs, gap / design.n_samples, np.asarray(n_iter).tolist()


_INT32_MAX = int(np.iinfo(np.int32).max)

POLISH_TOL = 1e-6  # tolerances at or below this end with an exact Newton step on the support


def _run(design, k, w, penalty, scaled, tol, max_iter, selection, random_state, use_ws,
         screen, accel, warn):
    lam, beta, lo, hi = penalty
    tol_abs = tol * design.yy[k]
    seed = 1
    if selection == "random":
        seed = int(check_random_state(random_state).randint(1, _INT32_MAX))
    # Ridge (no L1): every feature is active, working sets and screening cannot help.
    has_l1 = bool(lam.max(initial=0.0) > 0)  # (no feature: no L1)
    opts = dict(use_ws=use_ws and has_l1, screen=screen and has_l1, accel=accel,
                random=selection == "random", seed=seed, polish=tol <= POLISH_TOL)
    if scaled is not None:
        opts["scales"], opts["coefs"] = scaled
    max_iter = int(min(max_iter, _INT32_MAX))
    _check_kernel_args(design, w, penalty)
    if design.kind == "dense":
        gap, n_iter, _ = _cd_fast.enet_dense(
            w, design.X, design.Y[:, k], design.norms2, lam, beta, lo, hi,
            max_iter, tol_abs, **opts)
    elif design.kind == "sparse":
        gap, n_iter, _ = _cd_fast.enet_sparse(
            w, design.data, design.indices, design.indptr, design.n_samples, design.mean,
            design.v, design.center, design.Y[:, k], design.norms2, lam, beta, lo, hi,
            max_iter, tol_abs, **opts)
    else:
        gap, n_iter, _ = _cd_fast.enet_gram(
            w, design.Q, design.XtY[:, k], float(design.yy[k]), lam, beta, lo, hi,
            max_iter, tol_abs, **opts)
    worst = gap.max(initial=0.0) if isinstance(gap, np.ndarray) else gap
    if warn and not worst <= tol_abs:  # a NaN gap must warn too
        # scikit-learn's wording and scale: the gap of the problem the kernel solves,
        # 0.5 * ||r||^2 + n * alpha * penalty (the fitted model's dual_gap_ times n), and tol
        # times ||y||^2 (centred and weighted y)
        warnings.warn(
            "Objective did not converge. You might want to increase the number of "
            "iterations, check the scale of the features or consider increasing "
            f"regularisation. Duality gap: {worst:.6e}, tolerance: {tol_abs:.3e}",
            ConvergenceWarning,
            stacklevel=4,
        )
    return gap, n_iter


def _check_kernel_args(design, w, penalty):
    """O(1) guard before entering the kernels, which trust their inputs (no bounds checks, so
    a wrong length would read or write out of bounds): every per-feature array has length p,
    the dtype of the design and is contiguous."""
    p = design.n_features
    for name, a in (("coef", w),) + tuple(zip(("lam", "beta", "lo", "hi"), penalty)):
        if a.shape != (p,) or a.dtype != design.dtype or not a.flags.c_contiguous:
            raise ValueError(
                f"Internal error: {name} has shape {a.shape} and dtype {a.dtype}, expected a "
                f"contiguous ({p},) array of dtype {design.dtype}.")
    if not w.flags.writeable:
        raise ValueError("Internal error: the coefficient buffer is read-only.")


def mt_solve_scaled(design, W, unit_penalty, scales, *, positive=False, tol, max_iter,
                    selection="cyclic", random_state=None, warn=True):
    """Multi-task block coordinate descent (rows of W grouped): the penalties
    (scales[i, 0] * lam, scales[i, 1] * beta) in turn, lam and beta = unit_penalty (one entry
    per feature), each warm-started from the previous solution, from W of shape
    (n_features, n_targets) (updated in place to the last solution). Each stops when the
    duality gap is <= tol * ||Y||_F^2, as scikit-learn's multi-task models.

    Returns (coefs (n_steps, n_features, n_targets), dual_gaps / n, epochs)."""
    lam, beta = (np.ascontiguousarray(a, dtype=design.dtype) for a in unit_penalty)
    scales = np.ascontiguousarray(scales, dtype=np.float64).reshape(-1, 2)
    p, k = W.shape
    if (W.dtype != design.dtype or not W.flags.c_contiguous or not W.flags.writeable
            or lam.shape != (p,) or beta.shape != (p,) or p != design.n_features):
        raise ValueError(f"Internal error: coefficients of shape {W.shape} and dtype {W.dtype} "
                         f"for a design of {design.n_features} features, {design.dtype}.")
    coefs = np.zeros((len(scales), p, k), dtype=design.dtype)
    tol_abs = tol * float(np.sum(design.yy))
    seed = 1
    if selection == "random":
        seed = int(check_random_state(random_state).randint(1, np.iinfo(np.int32).max))
    opts = dict(random=selection == "random", seed=seed)
    max_iter = int(min(max_iter, np.iinfo(np.int32).max))
    if design.kind == "dense":
        gaps, epochs = _multitask_fast.mt_dense(
            W, design.X, np.asfortranarray(design.Y), design.norms2, lam, beta,
            bool(positive), scales, coefs, max_iter, tol_abs, **opts)
    elif design.kind == "sparse":
        gaps, epochs = _multitask_fast.mt_sparse(
            W, design.data, design.indices, design.indptr, design.n_samples, design.mean,
            design.v, design.center, np.ascontiguousarray(design.Y), design.norms2, lam, beta,
            bool(positive), scales, coefs, max_iter, tol_abs, **opts)
    else:
        gaps, epochs = _multitask_fast.mt_gram(
            W, design.Q, np.asfortranarray(design.XtY), float(np.sum(design.yy)), lam, beta,
            bool(positive), scales, coefs, max_iter, tol_abs, **opts)
    gaps = np.asarray(gaps, dtype=np.float64)
    worst = np.max(gaps, initial=0.0)
    if warn and not worst <= tol_abs:  # a NaN gap must warn too
        warnings.warn(
            "Objective did not converge. You might want to increase the number of "
            "iterations, check the scale of the features or consider increasing "
            f"regularisation. Duality gap: {worst:.6e}, tolerance: {tol_abs:.3e}",
            ConvergenceWarning,
            stacklevel=3,
        )
    return coefs, gaps / design.n_samples, [int(e) for e in epochs]
