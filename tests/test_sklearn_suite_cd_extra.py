"""What skreg checks itself where scikit-learn's coordinate-descent tests reach into its private
modules (see tests/sklearn_suite_cd), and the exactness that tight tolerances now give."""

import numpy as np
import pytest
import sklearn.linear_model as sk
from scipy import sparse
from sklearn.datasets import make_regression

import skreg


@pytest.mark.parametrize("precompute, refit_precompute", [(True, True), ("auto", False),
                                                          (False, False)])
def test_lassocv_refit_precompute(precompute, refit_precompute):
    """The refit gets precompute=False for 'auto' (as scikit-learn's LassoCV), the folds
    'auto'; the parameter itself is left as given. The same alpha is chosen at a tight tol
    (at the default 1e-4, a warm start already within tol at the last alpha may stay where it
    is, and which alpha wins then depends on the route to each fold's solutions)."""
    X, y = make_regression(60, 8, noise=1.0, random_state=0)
    model = skreg.LassoCV(precompute=precompute, alphas=5, cv=3, tol=1e-10).fit(X, y)
    assert model.best_estimator_.precompute is refit_precompute
    assert model.precompute == precompute
    ref = sk.LassoCV(precompute=precompute, alphas=5, cv=3, tol=1e-10).fit(X, y)
    assert model.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)


def _problem(seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(40, 15)
    X[rng.rand(40, 15) < 0.5] = 0
    y = X[:, :4] @ rng.randn(4) + 0.3 * rng.randn(40) + 1.0
    return X, y


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.0])
def test_tight_tolerance_is_exact_whatever_the_route(l1_ratio):
    """At tol <= 1e-6 the solution is the exact minimizer (Newton step on the support,
    certified by the kernel): dense, sparse, Gram, cyclic and random agree to rounding."""
    X, y = _problem()
    params = dict(alpha=0.05, l1_ratio=l1_ratio, tol=1e-8, max_iter=100_000)
    fits = [skreg.ElasticNet(**params).fit(X, y),
            skreg.ElasticNet(**params).fit(sparse.csc_matrix(X), y),
            skreg.ElasticNet(precompute=True, **params).fit(X, y),
            skreg.ElasticNet(selection="random", random_state=3, **params).fit(X, y)]
    for fit in fits[1:]:
        np.testing.assert_allclose(fit.coef_, fits[0].coef_, rtol=1e-9, atol=1e-12)
        assert fit.intercept_ == pytest.approx(fits[0].intercept_, rel=1e-9)
        assert fit.dual_gap_ <= 1e-8 * np.sum((y - y.mean()) ** 2) / len(y)
    ref = sk.ElasticNet(**dict(params, tol=1e-15)).fit(X, y)
    np.testing.assert_allclose(fits[0].coef_, ref.coef_, rtol=1e-8, atol=1e-11)


def test_tight_tolerance_paths_exact():
    X, y = _problem(1)
    for path in (skreg.lasso_path, skreg.enet_path):
        _, dense, gaps = path(X, y, alphas=20, tol=1e-9)
        _, sparse_coefs, _ = path(sparse.csc_matrix(X), y, alphas=20, tol=1e-9)
        np.testing.assert_allclose(sparse_coefs, dense, rtol=1e-9, atol=1e-12)
        assert np.all(gaps <= 1e-9 * np.sum(y ** 2) / len(y))


@pytest.mark.parametrize("dtype, tol, rtol", [(np.float64, 1e-9, 1e-9), (np.float32, 1e-6, 1e-4)])
def test_tight_gram_paths_exact_as_supports_grow_and_shrink(dtype, tol, rtol):
    """On Gram data the exact steps of a tight path reuse one Cholesky factor, extended as
    features enter and cut back when one leaves or its ridge shift changes (every alpha of an
    elastic net): the path still equals the dense route's, alpha by alpha."""
    rng = np.random.RandomState(3)
    n, p = 200, 60
    X = rng.randn(n, p)
    # two pairs of close columns with opposite effects: along the path features leave too
    X[:, 1] = X[:, 0] + 0.3 * rng.randn(n)
    X[:, 3] = X[:, 2] + 0.3 * rng.randn(n)
    coef = np.zeros(p)
    coef[:12] = rng.randn(12)
    coef[1], coef[3] = -0.9 * coef[0], -0.9 * coef[2]
    y = X @ coef + rng.randn(n)
    X, y = X.astype(dtype), y.astype(dtype)
    for path, l1_ratio in ((skreg.lasso_path, 1.0), (skreg.enet_path, 0.7)):
        kw = {} if l1_ratio == 1.0 else {"l1_ratio": l1_ratio}
        alphas, dense, _ = path(X, y, alphas=60, eps=1e-4, tol=tol, **kw)
        _, gram, _ = path(X, y, alphas=60, eps=1e-4, tol=tol, precompute=True, **kw)
        np.testing.assert_allclose(gram, dense, rtol=rtol, atol=rtol * np.abs(dense).max())
        support = dense != 0
        # some feature leaves the support along the path (the factor is cut back)
        assert np.any(support[:, :-1] & ~support[:, 1:])
        if dtype is np.float32:
            continue
        # each solution is the exact minimizer on its support (not only within tol)
        X64, y64 = X.astype(np.float64), y.astype(np.float64)
        for i in range(0, len(alphas), 7):
            S = np.flatnonzero(gram[:, i])
            if S.size == 0:
                continue
            A = X64[:, S].T @ X64[:, S] / n + alphas[i] * (1 - l1_ratio) * np.eye(S.size)
            b = X64[:, S].T @ y64 / n - alphas[i] * l1_ratio * np.sign(gram[S, i])
            np.testing.assert_allclose(gram[S, i], np.linalg.solve(A, b), rtol=1e-11,
                                       atol=1e-12)
