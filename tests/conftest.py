"""Shared helpers for skreg's tests: data generators, a reference objective, gap formulas, and a
recorder of the worst parity differences (printed in the terminal summary)."""

import os

import numpy as np
from scipy import sparse

_WORST = {}


def record_parity(key, value):
    """Keep the largest relative difference measured per key (e.g. 'float64', 'float32')."""
    value = float(value)
    if value > _WORST.get(key, (0.0, ""))[0]:
        _WORST[key] = (value, os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0])


def pytest_terminal_summary(terminalreporter):
    if _WORST:
        terminalreporter.write_sep("-", "worst skreg vs scikit-learn parity differences")
        for key in sorted(_WORST):
            value, where = _WORST[key]
            terminalreporter.write_line(f"{key}: {value:.3e}  ({where})")


def make_data(n_samples=40, n_features=25, *, density=0.5, n_targets=1, seed=0,
              n_informative=6, noise=0.5, offset=2.0):
    """A small regression problem with a sparse ground truth and (optionally) sparse X."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n_samples, n_features)
    if density < 1:
        X[rng.rand(n_samples, n_features) >= density] = 0.0
    W = np.zeros((n_features, n_targets))
    k = min(n_informative, n_features)
    W[:k] = 3 * rng.randn(k, n_targets)
    Y = X @ W + noise * rng.randn(n_samples, n_targets) + offset
    sw = rng.uniform(0.2, 3.0, size=n_samples)
    y = Y[:, 0] if n_targets == 1 else Y
    return X, y, sw


def to_format(X, fmt, dtype=np.float64):
    X = np.asarray(X, dtype=dtype)
    if fmt == "dense":
        return X
    return {"csc": sparse.csc_matrix, "csr": sparse.csr_matrix}[fmt](X)


def centered_weighted(X, y, sample_weight=None, fit_intercept=True):
    """X~, y~ of the scaled problem: centred (weighted means) and rows scaled by sqrt(s), with
    s rescaled to sum to n (scikit-learn's semantics)."""
    X = np.asarray(X.toarray() if sparse.issparse(X) else X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, float) * (
        n / np.sum(sample_weight))
    if fit_intercept:
        X = X - np.average(X, axis=0, weights=s)
        y = y - np.average(y, axis=0, weights=s)
    r = np.sqrt(s)
    return X * r[:, None], (y * r if y.ndim == 1 else y * r[:, None])


def alpha_max(X, y, l1_ratio=1.0, *, sample_weight=None, fit_intercept=True, positive=False):
    """Smallest alpha with an all-zero solution (positive-aware)."""
    Xt, yt = centered_weighted(X, y, sample_weight, fit_intercept)
    c = Xt.T @ yt.reshape(len(yt), -1)
    m = c.max() if positive else np.abs(c).max()
    return m / (X.shape[0] * l1_ratio)


def primal(X, y, coef, intercept, alpha, l1_ratio, sample_weight=None):
    """scikit-learn's objective, computed in float64."""
    X = np.asarray(X.toarray() if sparse.issparse(X) else X, dtype=np.float64)
    n = X.shape[0]
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, float) * (
        n / np.sum(sample_weight))
    coef = np.asarray(coef, dtype=np.float64)
    r = np.asarray(y, float) - X @ coef - float(intercept)
    return ((s * r) @ r / (2 * n) + alpha * l1_ratio * np.abs(coef).sum()
            + 0.5 * alpha * (1 - l1_ratio) * coef @ coef)


def duality_gap(Xt, yt, coef, alpha, l1_ratio, positive=False):
    """Duality gap / n of the centred weighted problem at coef, scikit-learn's dual point
    (L2 term folded into an augmented design). Valid upper bound on P(coef) - P*."""
    n = Xt.shape[0]
    w = np.asarray(coef, dtype=np.float64)
    lam = n * alpha * l1_ratio
    beta = n * alpha * (1 - l1_ratio)
    R = yt - Xt @ w
    XtA = Xt.T @ R - beta * w
    dual_norm = max(XtA.max(), 0.0) if positive else np.abs(XtA).max()
    const = lam / dual_norm if (dual_norm > lam and dual_norm > 0) else 1.0
    rr = R @ R
    ww = w @ w
    gap = (0.5 * rr * (1 + const**2) + lam * np.abs(w).sum() - const * (R @ yt)
           + 0.5 * beta * (1 + const**2) * ww)
    return gap / n

