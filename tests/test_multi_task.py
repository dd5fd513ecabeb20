"""MultiTaskLasso / MultiTaskElasticNet and the multi-task path: scikit-learn's problem, solved
to its certificate (checked here from the returned coefficients), on every data form."""

import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn import linear_model as sk
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.utils.estimator_checks import parametrize_with_checks

from skreg import (
    MultiTaskElasticNet,
    MultiTaskElasticNetCV,
    MultiTaskLasso,
    MultiTaskLassoCV,
    enet_path,
    lasso_path,
)


def _data(n=60, p=40, k=3, seed=0, offset=2.0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p)
    W = np.zeros((p, k))
    W[:5] = rng.randn(5, k)
    Y = X @ W + 0.5 * rng.randn(n, k) + offset
    return X, Y


def _centred(X, Y, sw=None, fit_intercept=True):
    n = X.shape[0]
    s = np.ones(n) if sw is None else np.asarray(sw, float) * n / np.sum(sw)
    if fit_intercept:
        X = X - np.average(X, axis=0, weights=s)
        Y = Y - np.average(Y, axis=0, weights=s)
    return X * np.sqrt(s)[:, None], Y * np.sqrt(s)[:, None]


def _gap(X, Y, W, alpha, l1_ratio, sw=None, fit_intercept=True):
    """The duality gap of scikit-learn's multi-task problem (1/n scale) at coef W (k, p), from
    rescaled residuals Theta = s R, computed here independently of the kernel: the better of
    scikit-learn's dual (L2 term in an augmented design) and, for l1_ratio < 1, the exact
    Fenchel dual (conjugate of a||v|| + b/2||v||^2 is (||v|| - a)_+^2 / 2b)."""
    Xc, Yc = _centred(X, Y, sw, fit_intercept)
    n = X.shape[0]
    a, b = n * alpha * l1_ratio, n * alpha * (1 - l1_ratio)
    R = Yc - Xc @ W.T
    rr, ry, wbw = (R ** 2).sum(), (R * Yc).sum(), b * (W ** 2).sum()
    primal = 0.5 * rr + a * np.sqrt((W ** 2).sum(axis=0)).sum() + 0.5 * wbw
    U = Xc.T @ R
    T = np.sqrt(((U - b * W.T) ** 2).sum(axis=1)).max()
    s_max = a / T if T > 0 else np.inf
    duals = [-0.5 * s * s * (rr + wbw) + s * ry
             for s in (min(1.0, s_max), min(max(ry / (rr + wbw), 0.0), s_max))]
    if b > 0:
        rows = np.sqrt((U ** 2).sum(axis=1))
        duals += [-0.5 * s * s * rr + s * ry - (np.maximum(s * rows - a, 0) ** 2).sum() / (2 * b)
                  for s in (1.0, max(ry / rr, 0.0))]
    return (primal - max(duals)) / n, (Yc ** 2).sum()


@parametrize_with_checks([MultiTaskLasso(), MultiTaskElasticNet()])
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("model, ref, params", [
    (MultiTaskLasso, sk.MultiTaskLasso, {"alpha": 0.1}),
    (MultiTaskElasticNet, sk.MultiTaskElasticNet, {"alpha": 0.1, "l1_ratio": 0.5}),
    (MultiTaskElasticNet, sk.MultiTaskElasticNet, {"alpha": 0.05, "l1_ratio": 0.2,
                                                   "fit_intercept": False}),
])
def test_parity_with_sklearn(model, ref, params):
    X, Y = _data()
    ours = model(tol=1e-14, max_iter=100000, **params).fit(X, Y)
    theirs = ref(tol=1e-14, max_iter=100000, **params).fit(X, Y)
    scale = np.abs(theirs.coef_).max()
    assert np.abs(ours.coef_ - theirs.coef_).max() <= 1e-6 * scale
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=0, atol=1e-6 * scale)
    assert ours.coef_.shape == theirs.coef_.shape
    assert np.shape(ours.intercept_) == np.shape(theirs.intercept_)
    assert ours.eps_ == pytest.approx(theirs.eps_)
    assert isinstance(ours.n_iter_, int) and isinstance(ours.dual_gap_, float)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.6])
@pytest.mark.parametrize("tol", [1e-4, 1e-8])
def test_gap_and_kkt_from_coefficients(l1_ratio, tol):
    X, Y = _data(n=50, p=120, k=4)
    alpha = 0.08
    m = MultiTaskElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=tol, max_iter=10000).fit(X, Y)
    gap, yy = _gap(X, Y, m.coef_, alpha, l1_ratio)
    n = X.shape[0]
    assert gap <= tol * yy / n * (1 + 1e-6)
    assert m.dual_gap_ <= tol * yy / n
    if tol == 1e-8:  # KKT on the rows: ||x_j' R / n - a2 W_j|| <= alpha rho, equality when active
        Xc, Yc = _centred(X, Y)
        G = Xc.T @ (Yc - Xc @ m.coef_.T) / n - alpha * (1 - l1_ratio) * m.coef_.T
        norms = np.sqrt((G ** 2).sum(axis=1))
        active = np.abs(m.coef_).sum(axis=0) > 0
        assert active.any() and not active.all()
        assert norms.max() <= alpha * l1_ratio * (1 + 1e-3)
        np.testing.assert_allclose(norms[active], alpha * l1_ratio, rtol=1e-3)


def test_path_functions_solve_multi_task_problem():
    X, Y = _data()
    ours = enet_path(X, Y, l1_ratio=0.8, eps=1e-2, alphas=20, tol=1e-14, max_iter=100000)
    theirs = sk.enet_path(X, Y, l1_ratio=0.8, eps=1e-2, alphas=20, tol=1e-14,
                          max_iter=100000)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    assert ours[1].shape == theirs[1].shape == (3, X.shape[1], 20)
    assert np.abs(ours[1] - theirs[1]).max() <= 1e-6 * np.abs(theirs[1]).max()
    alphas, coefs, gaps, n_iters = lasso_path(X, Y, alphas=[0.5, 0.1], return_n_iter=True)
    assert coefs.shape == (3, X.shape[1], 2) and gaps.shape == (2,) and len(n_iters) == 2
    # the first alpha of the automatic grid zeroes every row, and only just
    a_max = enet_path(X, Y, l1_ratio=0.8, alphas=3)[0][0]
    # (no intercept in the path functions, as scikit-learn's)
    assert a_max == pytest.approx(np.sqrt(((X.T @ Y) ** 2).sum(axis=1)).max() / (0.8 * 60))


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sparse_and_gram_equal_dense(fit_intercept):
    X, Y = _data(n=80, p=30)
    X[X < 0.3] = 0.0
    sw = np.random.RandomState(1).uniform(0.5, 2.0, X.shape[0])
    params = dict(alpha=0.05, l1_ratio=0.7, tol=1e-12, max_iter=100000,
                  fit_intercept=fit_intercept)
    dense = MultiTaskElasticNet(**params).fit(X, Y, sample_weight=sw)   # n >= 2p: Gram mode
    wide = MultiTaskElasticNet(**params).fit(X[:40], Y[:40], sample_weight=sw[:40])
    for Xs in (sparse.csc_matrix(X), sparse.csr_matrix(X)):
        sp = MultiTaskElasticNet(**params).fit(Xs, Y, sample_weight=sw)
        np.testing.assert_allclose(sp.coef_, dense.coef_, rtol=0, atol=1e-6)
        np.testing.assert_allclose(sp.intercept_, dense.intercept_, rtol=0, atol=1e-6)
    sp = MultiTaskElasticNet(**params).fit(sparse.csc_matrix(X[:40]), Y[:40],
                                           sample_weight=sw[:40])
    np.testing.assert_allclose(sp.coef_, wide.coef_, rtol=0, atol=1e-6)
    gap, yy = _gap(X, Y, dense.coef_, 0.05, 0.7, sw, fit_intercept)
    assert gap <= 1e-12 * yy / X.shape[0] * (1 + 1e-3) + 1e-15


def test_sample_weight_equals_repeated_rows():
    # weights rescaled to sum to n (scikit-learn's convention) make the weighted data term
    # 1/(2 sum(reps)) sum_i reps_i ||r_i||^2: the repeated rows' own term
    X, Y = _data(n=40, p=50)
    reps = np.random.RandomState(3).randint(0, 3, X.shape[0])
    params = dict(alpha=0.1, tol=1e-13, max_iter=100000)
    weighted = MultiTaskLasso(**params).fit(X, Y, sample_weight=reps)
    repeated = MultiTaskLasso(**params).fit(np.repeat(X, reps, axis=0),
                                            np.repeat(Y, reps, axis=0))
    scale = np.abs(repeated.coef_).max()
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=0, atol=1e-6 * scale)
    np.testing.assert_allclose(weighted.intercept_, repeated.intercept_, rtol=0,
                               atol=1e-6 * scale)
    ref = sk.MultiTaskLasso(**params).fit(X, Y, sample_weight=reps)
    np.testing.assert_allclose(weighted.coef_, ref.coef_, rtol=0, atol=1e-6 * scale)


def test_float32():
    X, Y = _data()
    m64 = MultiTaskElasticNet(alpha=0.1, tol=1e-8).fit(X, Y)
    m32 = MultiTaskElasticNet(alpha=0.1, tol=1e-6).fit(X.astype(np.float32),
                                                        Y.astype(np.float32))
    assert m32.coef_.dtype == np.float32
    np.testing.assert_allclose(m32.coef_, m64.coef_, rtol=0, atol=1e-3)
    m32s = MultiTaskElasticNet(alpha=0.1, tol=1e-6).fit(
        sparse.csc_matrix(X.astype(np.float32)), Y.astype(np.float32))
    np.testing.assert_allclose(m32s.coef_, m64.coef_, rtol=0, atol=1e-3)


def test_positive():
    X, Y = _data(offset=0.0)
    m = MultiTaskLasso(alpha=0.05, positive=True, tol=1e-10, max_iter=100000).fit(X, Y)
    assert (m.coef_ >= 0).all() and (m.coef_ > 0).any()
    # KKT of the positive problem: ||(x_j' R / n)_+|| <= alpha, equality on active rows
    Xc, Yc = _centred(X, Y)
    G = Xc.T @ (Yc - Xc @ m.coef_.T) / X.shape[0]
    norms = np.sqrt((np.maximum(G, 0) ** 2).sum(axis=1))
    assert norms.max() <= 0.05 * (1 + 1e-4)
    unconstrained = MultiTaskLasso(alpha=0.05).fit(X, Y)
    assert (unconstrained.coef_ < 0).any()
    path = enet_path(X, Y, l1_ratio=1.0, alphas=5, positive=True)[1]
    assert (path >= 0).all()


def test_penalty_factor():
    X, Y = _data()
    p = X.shape[1]
    pf = np.linspace(0.5, 2.0, p)
    m = MultiTaskLasso(alpha=0.1, penalty_factor=pf, tol=1e-12, max_iter=100000).fit(X, Y)
    # the same problem as plain coefficients of the columns x_j / pf_j
    plain = MultiTaskLasso(alpha=0.1, tol=1e-12, max_iter=100000).fit(X / pf, Y)
    np.testing.assert_allclose(m.coef_, plain.coef_ / pf, rtol=0, atol=1e-7)
    pf2 = np.ones(p)
    pf2[0], pf2[1] = np.inf, 0.0
    m2 = MultiTaskLasso(alpha=10.0, penalty_factor=pf2).fit(X, Y)
    assert (m2.coef_[:, 0] == 0).all() and (m2.coef_[:, 1] != 0).all()
    assert (m2.coef_[:, 2:] == 0).all()  # alpha above alpha_max: only the unpenalized one
    # standardize: the penalty of the coefficients of unit-variance columns
    s = X.std(axis=0)
    st = MultiTaskLasso(alpha=0.1, standardize=True, tol=1e-12, max_iter=100000).fit(X, Y)
    ref = MultiTaskLasso(alpha=0.1, tol=1e-12, max_iter=100000).fit(X / s, Y)
    np.testing.assert_allclose(st.coef_, ref.coef_ / s, rtol=0, atol=1e-7)


def test_warm_start_and_random_selection():
    X, Y = _data()
    m = MultiTaskLasso(alpha=0.1, warm_start=True, tol=1e-10, max_iter=10000).fit(X, Y)
    first = m.coef_.copy()
    m.fit(X, Y)
    assert m.n_iter_ <= 5
    np.testing.assert_allclose(m.coef_, first, atol=1e-6)
    r = MultiTaskLasso(alpha=0.1, selection="random", random_state=0, tol=1e-10,
                       max_iter=10000).fit(X, Y)
    np.testing.assert_allclose(r.coef_, first, atol=1e-5)


def test_not_converged_warns():
    X, Y = _data(n=30, p=200)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        MultiTaskLasso(alpha=1e-3, max_iter=2, tol=1e-12).fit(X, Y)


def test_bad_input():
    X, Y = _data()
    with pytest.raises(ValueError, match="For mono-task outputs, use Lasso"):
        MultiTaskLasso().fit(X, Y[:, 0])
    with pytest.raises(ValueError, match="For mono-task outputs, use ElasticNet"):
        MultiTaskElasticNet().fit(X, Y[:, 0])
    with pytest.raises(ValueError, match="penalty_factor has shape"):
        MultiTaskLasso(penalty_factor=np.ones(3)).fit(X, Y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        MultiTaskLasso().fit(X, Y[:-1])
    with pytest.raises(ValueError, match="multi-task problem"):
        enet_path(X, Y, lower_bounds=0.0)
    with pytest.raises(ValueError, match="coef_init has shape"):
        enet_path(X, Y, coef_init=np.zeros(3))
    Y2 = Y.copy()
    Y2[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        MultiTaskLasso().fit(X, Y2)


def test_alpha_zero_is_least_squares():
    X, Y = _data(n=80, p=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        m = MultiTaskLasso(alpha=0.0).fit(X, Y)
    ref = sk.LinearRegression().fit(X, Y)
    np.testing.assert_allclose(m.coef_, ref.coef_, atol=1e-8)


# ---------------------------------------------------------------------------------------------
# The CV selectors

# tight tol: check_sample_weight_equivalence_* compares weighted and repeated-rows fits to
# rtol=1e-7, which only exact solutions (Newton-finished, see test_common.py) certify
@parametrize_with_checks([
    MultiTaskLassoCV(cv=3, alphas=5, tol=1e-10, max_iter=100_000),
    MultiTaskElasticNetCV(cv=3, alphas=5, l1_ratio=[0.5, 0.9], tol=1e-10, max_iter=100_000)])
def test_cv_sklearn_compatible(estimator, check):
    check(estimator)


def test_cv_parity_with_sklearn():
    X, Y = _data(n=60, p=30)
    ours = MultiTaskLassoCV(cv=3, alphas=20, tol=1e-12, max_iter=100000).fit(X, Y)
    theirs = sk.MultiTaskLassoCV(cv=3, alphas=20, tol=1e-12, max_iter=100000).fit(X, Y)
    np.testing.assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-12)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)
    # the same grid point (the two grids agree to rounding, not bit for bit)
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-12)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0,
                               atol=1e-6 * np.abs(theirs.coef_).max())
    assert ours.coef_.shape == theirs.coef_.shape and ours.intercept_.shape == (3,)
    assert ours.alpha_1se_ >= ours.alpha_
    ours = MultiTaskElasticNetCV(cv=3, alphas=10, l1_ratio=[0.3, 0.8], tol=1e-12,
                                 max_iter=100000).fit(X, Y)
    theirs = sk.MultiTaskElasticNetCV(cv=3, alphas=10, l1_ratio=[0.3, 0.8], tol=1e-12,
                                      max_iter=100000).fit(X, Y)
    assert ours.mse_path_.shape == theirs.mse_path_.shape == (2, 10, 3)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)
    assert ours.l1_ratio_ == theirs.l1_ratio_
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-12)


def test_cv_results_are_grid_search_results():
    X, Y = _data(n=45, p=20)
    search = MultiTaskLassoCV(cv=3, alphas=6, tol=1e-12, max_iter=100000).fit(X, Y)
    grid = GridSearchCV(MultiTaskLasso(tol=1e-12, max_iter=100000),
                        {"alpha": search.alphas_}, cv=3,
                        scoring="neg_mean_squared_error").fit(X, Y)
    np.testing.assert_allclose(search.cv_results_["mean_test_score"],
                               grid.cv_results_["mean_test_score"], rtol=1e-9)
    assert search.best_params_ == grid.best_params_


def test_cv_sparse_weights_and_bad_input():
    X, Y = _data(n=60, p=30)
    X[X < 0.5] = 0.0
    sw = np.random.RandomState(0).uniform(0.5, 2, X.shape[0])
    dense = MultiTaskLassoCV(cv=3, alphas=8, tol=1e-12, max_iter=100000).fit(
        X, Y, sample_weight=sw)
    sp = MultiTaskLassoCV(cv=3, alphas=8, tol=1e-12, max_iter=100000).fit(
        sparse.csc_matrix(X), Y, sample_weight=sw)
    np.testing.assert_allclose(sp.mse_path_, dense.mse_path_, rtol=1e-6)
    with pytest.raises(ValueError, match="For mono-task outputs, use LassoCV"):
        MultiTaskLassoCV().fit(X, Y[:, 0])


def test_dask_statistics_path():
    # dask arrays: the Gram design of the sufficient statistics (X'X, X'Y of shape p x k),
    # one pass over the data, the same problem
    da = pytest.importorskip("dask.array")
    X, Y = _data(n=400, p=10, k=4)
    sw = np.random.RandomState(0).uniform(0.5, 2.0, X.shape[0])
    for model in (MultiTaskLasso(alpha=0.1, tol=1e-12), MultiTaskElasticNet(alpha=0.1, tol=1e-12)):
        lazy = clone(model).fit(da.from_array(X, chunks=100), da.from_array(Y, chunks=100),
                                sample_weight=da.from_array(sw, chunks=100))
        eager = clone(model).fit(X, Y, sample_weight=sw)
        np.testing.assert_allclose(lazy.coef_, eager.coef_, rtol=0, atol=1e-8)
        np.testing.assert_allclose(lazy.intercept_, eager.intercept_, rtol=0, atol=1e-8)


# -- full-data path results of the multi-task CV selectors -----------------------------------

def _mt_data(seed=0, n=60, p=12, k=3):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p)
    W = np.zeros((k, p))
    W[:, :4] = rng.randn(k, 4)
    Y = X @ W.T + 0.5 * rng.randn(n, k) + np.arange(k)
    return X, Y, rng.uniform(0.5, 2.0, n)


@pytest.mark.parametrize("sparse_X", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_cv_full_path_results(sparse_X, weighted):
    X, Y, w = _mt_data()
    sw = w if weighted else None
    Xf = sparse.csr_matrix(X) if sparse_X else X
    cv = MultiTaskElasticNetCV(l1_ratio=0.7, alphas=8, cv=3, tol=1e-10, max_iter=100000)
    cv.fit(Xf, Y, sample_weight=sw)
    k, p, n_alphas = Y.shape[1], X.shape[1], len(cv.alphas_)
    assert cv.coef_path_.shape == (k, p, n_alphas)
    assert cv.intercept_path_.shape == (k, n_alphas)
    s = np.ones(len(Y)) if sw is None else sw
    null = sum(s @ (Y[:, t] - np.average(Y[:, t], weights=s)) ** 2 for t in range(k))
    for j, alpha in enumerate(cv.alphas_):
        W, b = cv.coef_path_[:, :, j], cv.intercept_path_[:, j]
        ref = MultiTaskElasticNet(alpha=alpha, l1_ratio=0.7, tol=1e-10, max_iter=100000).fit(
            X, Y, sample_weight=sw)
        np.testing.assert_allclose(W, ref.coef_, atol=1e-6)
        np.testing.assert_allclose(b, ref.intercept_, atol=1e-6)
        R = Y - X @ W.T - b
        assert cv.df_[j] == np.count_nonzero(np.any(W != 0, axis=0))
        np.testing.assert_allclose(cv.dev_ratio_[j], 1 - (s @ (R * R)).sum() / null,
                                   rtol=1e-9, atol=1e-12)
    assert cv.df_[0] == 0 and cv.dev_ratio_[0] == pytest.approx(0, abs=1e-9)
    # on the grid: the path columns; between grid points: a fit at that alpha
    j = 3
    coef, intercept = cv.coef_at(cv.alphas_[j])
    np.testing.assert_array_equal(coef, cv.coef_path_[:, :, j])
    np.testing.assert_array_equal(intercept, cv.intercept_path_[:, j])
    np.testing.assert_allclose(cv.predict(Xf, alpha=cv.alphas_[j]),
                               X @ cv.coef_path_[:, :, j].T + cv.intercept_path_[:, j])
    alpha = np.sqrt(cv.alphas_[4] * cv.alphas_[5])
    ref = MultiTaskElasticNet(alpha=alpha, l1_ratio=0.7, tol=1e-10, max_iter=100000).fit(
        X, Y, sample_weight=sw)
    coef, intercept = cv.coef_at(alpha)
    np.testing.assert_allclose(coef, ref.coef_, atol=1e-6)
    np.testing.assert_allclose(intercept, ref.intercept_, atol=1e-6)
    np.testing.assert_allclose(cv.predict(Xf, alpha=alpha), ref.predict(X), atol=1e-5)
    np.testing.assert_array_equal(cv.predict(Xf), cv.predict(Xf, alpha=cv.alpha_))
    table = cv.summary()
    assert len(table) == n_alphas
    np.testing.assert_array_equal(np.asarray(table["df"]), cv.df_)
    marks = list(table["mark"])
    assert marks[int(np.flatnonzero(cv.alphas_ == cv.alpha_)[0])].startswith("min")


def test_cv_full_path_lasso_pickle_clone_no_intercept():
    import pickle

    X, Y, _ = _mt_data(seed=1)
    cv = MultiTaskLassoCV(alphas=6, cv=3, fit_intercept=False, tol=1e-8).fit(X, Y)
    assert cv.coef_path_.shape == (Y.shape[1], X.shape[1], 6)
    assert not cv.intercept_path_.any()
    null = (Y * Y).sum()
    R = Y - X @ cv.coef_path_[:, :, -1].T
    assert cv.dev_ratio_[-1] == pytest.approx(1 - (R * R).sum() / null, rel=1e-9)
    back = pickle.loads(pickle.dumps(cv))
    alpha = np.sqrt(cv.alphas_[2] * cv.alphas_[3])
    np.testing.assert_allclose(back.predict(X, alpha=alpha), cv.predict(X, alpha=alpha),
                               atol=1e-8)
    assert not hasattr(clone(cv), "coef_path_")
    X[:] = 0  # the fit keeps its own data
    np.testing.assert_allclose(back.coef_at(alpha)[0], cv.coef_at(alpha)[0], atol=1e-8)
    with pytest.raises(ValueError, match="alpha must be"):
        cv.coef_at(-1.0)


@pytest.mark.parametrize("options", [{}, {"penalty_factor": [0.0, 2.0, 1.0, 1.0, 1.0, 1.0],
                                      "standardize": True}])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name", ["MultiTaskLasso", "MultiTaskElasticNet"])
def test_tall_dense_folds_and_refit_solve_on_the_statistics(name, weighted, options,
                                                            monkeypatch):
    """On tall dense data the folds' multi-task paths and the refit run on the statistics of
    one pass over X (no design is built from a fold's rows), with GridSearchCV's scores and
    choice, and a refitted model equal to a fit to the tolerance."""
    import skreg
    from skreg._multi_task import MultiTaskElasticNet as MTEN
    rng = np.random.RandomState(8)
    X = rng.randn(160, 6) + 2.0
    W = np.zeros((6, 3))
    W[:3] = rng.randn(3, 3)
    Y = X @ W + 0.5 * rng.randn(160, 3) + 1.0
    params = {"sample_weight": rng.uniform(0.5, 2.0, 160)} if weighted else {}
    est = getattr(skreg, name)(tol=1e-12, max_iter=100_000, **options)
    grid = {"alpha": list(np.geomspace(1.0, 0.01, 6))}
    built = []
    original = MTEN._design
    monkeypatch.setattr(MTEN, "_design",
                        lambda self, *a, **k: built.append(1) or original(self, *a, **k))
    search = skreg.PathSearchCV(est, grid, cv=4).fit(X, Y, **params)
    assert built == []
    monkeypatch.undo()
    ref = GridSearchCV(est, grid, cv=4).fit(X, Y, **params)
    assert search.best_params_ == ref.best_params_
    np.testing.assert_allclose(search.cv_results_["mean_test_score"],
                               ref.cv_results_["mean_test_score"], rtol=1e-7)
    model = search.best_estimator_
    fitted = clone(est).set_params(**search.best_params_).fit(X, Y, **params)
    assert type(model) is type(est) and model.n_features_in_ == 6
    np.testing.assert_allclose(model.coef_, fitted.coef_, atol=1e-7)
    np.testing.assert_allclose(model.intercept_, fitted.intercept_, atol=1e-6)
    # the CV selector takes the same route, and says so through its chosen alpha
    cv = getattr(skreg, name + "CV")(alphas=8, cv=4, tol=1e-12, max_iter=100_000, **options)
    if name == "MultiTaskElasticNet":
        cv.set_params(l1_ratio=[0.5, 0.9])
    cv.fit(X, Y, **params)
    cv_rows = clone(cv).fit(sparse.csc_matrix(X), Y, **params)  # (sparse: the folds' rows)
    np.testing.assert_allclose(cv.alphas_, cv_rows.alphas_, rtol=1e-12)  # (grids: to ulps)
    assert np.argmin(cv.mse_path_.mean(axis=-1).ravel()) == np.argmin(
        cv_rows.mse_path_.mean(axis=-1).ravel())
    np.testing.assert_allclose(cv.mse_path_, cv_rows.mse_path_, rtol=1e-7)
    np.testing.assert_allclose(cv.coef_, cv_rows.coef_, atol=1e-7)
    with pytest.raises(ValueError, match="mono-task"):
        est._solve_path_statistics(None, Y[:, 0], [0.1])
