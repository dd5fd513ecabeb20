"""The one duality-gap formula applied to every solver's returned coefficients.

Problem (intercept-free, scikit-learn's objective, rho = l1_ratio):

    P(w) = 1/(2n) ||y - Xw||^2 + alpha*rho*||w||_1 + alpha*(1-rho)/2 * ||w||^2

Dual point, exactly as scikit-learn's coordinate descent builds it (cd_fast.pyx): with the
residual r = y - Xw, let  v = X^T r - n*alpha*(1-rho)*w  and  s = min(1, n*alpha*rho / ||v||_inf);
theta = s*r is dual feasible and

    D = s * <r, y>/n - s^2 ||r||^2/(2n) - alpha*(1-rho)/2 * s^2 ||w||^2.

For the elastic net (rho < 1) the exact Fenchel dual at theta = s*r (s = 1 or the dual-optimal
s) is evaluated too and the larger dual value kept: both are lower bounds on P*, so the gap
still certifies P(w) - P* for every solver alike.

The gap P - D >= 0 is reported relative to P(0) = ||y||^2 / (2n):

    rel_gap = (P - D) / P(0)  =  2 * gap_sklearn_scaled / ||y||^2

where gap_sklearn_scaled is the gap of sklearn's scaled problem (n * P), so scikit-learn's
(and skreg's) stopping rule ``gap_scaled <= tol * ||y||^2`` certifies ``rel_gap <= 2*tol``.
"""
import numpy as np


def relative_gaps(X, y, W, alphas, l1_ratio=1.0):
    """Relative duality gap of each column of W (p x k) at the matching alpha."""
    W = np.asarray(W, dtype=np.float64)
    if W.ndim == 1:
        W = W[:, None]
    alphas = np.atleast_1d(np.asarray(alphas, dtype=np.float64))
    n = y.shape[0]
    rho = float(l1_ratio)
    yy = float(y @ y)
    p0 = yy / (2 * n)
    R = y[:, None] - np.asarray(X @ W).reshape(n, -1)  # residuals, n x k
    XtR = np.asarray(X.T @ R).reshape(W.shape[0], -1)  # p x k
    out = np.empty(W.shape[1])
    for k, a in enumerate(alphas):
        w, r = W[:, k], R[:, k]
        l1 = float(np.abs(w).sum())
        w2 = float(w @ w)
        r2 = float(r @ r)
        v = XtR[:, k] - n * a * (1 - rho) * w
        vmax = float(np.abs(v).max()) if v.size else 0.0
        s = min(1.0, n * a * rho / vmax) if vmax > 0 else 1.0
        primal = r2 / (2 * n) + a * rho * l1 + a * (1 - rho) / 2 * w2
        dual = s * float(r @ y) / n - s * s * r2 / (2 * n) - a * (1 - rho) / 2 * s * s * w2
        if rho < 1 and a > 0:
            # Elastic net: the exact Fenchel dual (no augmented design) is also a valid lower
            # bound:
            # D_B(s r) = s<r,y>/n - s^2||r||^2/(2n) - sum_j (|s u_j|/n - a rho)_+^2 / (2 a (1-rho)).
            # Use the better of the two for every solver alike (both certify P(w) - P*).
            u = XtR[:, k] / n
            ry, b = float(r @ y) / n, a * (1 - rho)
            for sb in (1.0, max(ry / (r2 / n), 0.0) if r2 > 0 else 1.0):
                excess = np.maximum(np.abs(sb * u) - a * rho, 0.0)
                dual = max(dual, sb * ry - sb * sb * r2 / (2 * n)
                           - float(excess @ excess) / (2 * b))
        out[k] = (primal - dual) / p0
    return out


def alpha_max(X, y, l1_ratio=1.0):
    """Smallest alpha with an all-zero solution (scikit-learn's, intercept-free)."""
    return float(np.abs(X.T @ y).max()) / (y.shape[0] * l1_ratio)
