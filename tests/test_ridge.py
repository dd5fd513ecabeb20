"""skreg.Ridge and skreg.RidgeCV side by side with scikit-learn's."""

import itertools
import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk
from numpy.testing import assert_allclose, assert_array_equal
from scipy import optimize, sparse
from sklearn.utils.estimator_checks import parametrize_with_checks

from skreg import Ridge, RidgeCV

SOLVERS = ["auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs"]
CD_SOLVERS = ("sag", "saga", "lbfgs")


def _data(n, p, n_targets=2, dtype=np.float64, seed=0, offset=0.0):
    """Well-conditioned data with an offset (so centring matters) and half-sparse columns."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p) + offset
    X[:, ::2] *= rng.rand(n, (p + 1) // 2) < 0.5
    Y = X[:, :n_targets] @ np.eye(n_targets) + 0.5 * rng.randn(n, n_targets) + 1.0
    sw = rng.rand(n) * 2
    return X.astype(dtype), Y.astype(dtype), sw.astype(dtype)


def _fit(est, X, y, sw):
    """Fitted estimator, or the exception raised."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return est.fit(X, y, sample_weight=sw)
    except (ValueError, TypeError) as exc:
        return exc


# ------------------------------------------------------------------------------------------
# Ridge
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(40, 6), (12, 25)], ids=["long", "wide"])
@pytest.mark.parametrize("target", ["1d", "2d"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True], ids=["sw0", "sw1"])
@pytest.mark.parametrize("fit_intercept", [False, True], ids=["b0", "b1"])
@pytest.mark.parametrize("is_sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("solver", SOLVERS)
def test_ridge_parity(solver, is_sparse, fit_intercept, weighted, dtype, target, shape):
    """Same coef_/intercept_ as scikit-learn for every solver name, or the same error."""
    X, Y, sw = _data(*shape, dtype=dtype, offset=1.0)
    if is_sparse:
        X = sparse.csr_matrix(X)
    y = Y[:, 0] if target == "1d" else Y
    # per-target alphas for 2-D y
    alpha = 0.7 if target == "1d" else np.array([0.5, 3.0])
    sw = sw if weighted else None
    f64 = dtype == np.float64
    tol = 1e-15 if solver in CD_SOLVERS else 1e-12
    if not f64:
        tol = 1e-8 if solver in CD_SOLVERS else 1e-7
    params = dict(alpha=alpha, fit_intercept=fit_intercept, solver=solver, tol=tol,
                  max_iter=100_000)
    ours = _fit(Ridge(**params), X, y, sw)
    ref_params = params
    if solver in ("sag", "saga") and not isinstance(ours, Exception):
        # scikit-learn's SAG converges too slowly for a tight reference: use its exact solver
        # (on dense X, as 'svd' is dense-only); its errors are still compared below
        ref_params = {**params, "solver": "svd"}
        Xr = X.toarray() if is_sparse else X
        assert ours.solver_ == solver
    else:
        Xr = X
    ref = _fit(sk.Ridge(**ref_params), Xr, y, sw)
    if isinstance(ref, Exception) or isinstance(ours, Exception):
        assert type(ours) is type(ref), (ours, ref)
        assert str(ours) == str(ref)
        return
    assert ours.coef_.dtype == dtype
    assert ours.coef_.shape == ref.coef_.shape
    assert np.shape(ours.intercept_) == np.shape(ref.intercept_)
    if not fit_intercept:
        assert ours.intercept_ == 0.0
    if f64:
        rtol = 1e-6
    else:
        rtol = 2e-3 if solver in CD_SOLVERS else 2e-5
    scale = np.abs(ref.coef_).max()
    assert_allclose(ours.coef_, ref.coef_, rtol=rtol, atol=rtol * scale)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=rtol, atol=rtol * scale)
    if solver in ("svd", "cholesky", "sparse_cg"):
        assert ours.n_iter_ is None
    elif solver != "auto":
        assert ours.n_iter_.shape == (Y.shape[1] if target == "2d" else 1,)
        assert np.all(ours.n_iter_ >= 1)


@pytest.mark.parametrize("is_sparse", [False, True])
@pytest.mark.parametrize("shape", [(60, 8), (10, 30)])
def test_ridge_many_alphas_one_eigendecomposition(is_sparse, shape):
    """More distinct per-target alphas than EIGEN_MIN_ALPHAS share one eigendecomposition."""
    rng = np.random.RandomState(1)
    X = rng.randn(*shape) + 2.0
    Y = rng.randn(shape[0], 12)
    alphas = np.geomspace(1e-2, 1e2, 12)
    Xs = sparse.csc_matrix(X) if is_sparse else X
    ours = Ridge(alpha=alphas).fit(Xs, Y)
    ref = sk.Ridge(alpha=alphas, solver="cholesky").fit(X, Y)
    assert ours.solver_ == "cholesky"
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-8, atol=1e-10)


def test_ridge_singular_falls_back_to_svd():
    """alpha=0 with duplicated columns: the minimum-norm solution, solver_ 'svd' (dense), as
    scikit-learn; sparse X gets the same pseudo-inverse solution from the Gram matrix."""
    rng = np.random.RandomState(0)
    X = rng.randn(30, 4)
    X = np.hstack([X, X[:, :2]])
    y = rng.randn(30)
    ref = sk.Ridge(alpha=0.0, solver="svd", fit_intercept=False).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = Ridge(alpha=0.0, solver="svd", fit_intercept=False).fit(X, y)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-8)
    sp = Ridge(alpha=0.0, solver="cholesky", fit_intercept=False).fit(sparse.csr_matrix(X), y)
    assert_allclose(sp.coef_, ref.coef_, rtol=1e-6)


def test_ridge_auto_solver_choice():
    """'auto': Cholesky for dense and small sparse problems, sparse_cg for large sparse."""
    X, Y, _ = _data(50, 5)
    assert Ridge().fit(X, Y).solver_ == "cholesky"
    assert Ridge().fit(sparse.csr_matrix(X), Y).solver_ == "cholesky"
    assert Ridge(positive=True).fit(X, Y).solver_ == "lbfgs"
    big = sparse.random(1200, 1100, density=2e-3, random_state=0, format="csr")
    y = np.random.RandomState(0).randn(1200)
    ours = Ridge(tol=1e-10).fit(big, y)
    ref = sk.Ridge(tol=1e-10).fit(big, y)
    assert ours.solver_ == ref.solver_ == "sparse_cg"
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-6, atol=1e-9)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-6)


@pytest.mark.parametrize("copy_X", [True, False])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_ridge_weighted_rank_deficient_never_touches_X(copy_X, fit_intercept):
    """alpha=0 on rank-deficient X with sample weights (Cholesky fails, the SVD fallback
    runs): the weighted least-squares fit, and X unchanged whatever copy_X."""
    rng = np.random.RandomState(0)
    X = rng.randn(30, 6)
    X[:, 5] = X[:, 0] - 2 * X[:, 1]
    y, sw = rng.randn(30), rng.uniform(0.3, 3.0, 30)
    X0 = X.copy()
    model = Ridge(alpha=0.0, fit_intercept=fit_intercept, copy_X=copy_X)
    model.fit(X, y, sample_weight=sw)
    assert_array_equal(X, X0)
    A = np.hstack([X0, np.ones((30, 1))]) if fit_intercept else X0
    r = np.sqrt(sw)
    ref = np.linalg.lstsq(A * r[:, None], y * r, rcond=None)[0]
    # fitted values are unique (coefficients are not, on a rank-deficient X)
    assert_allclose(model.predict(X0), A @ ref, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("solver", SOLVERS)
def test_ridge_column_y_shapes_like_sklearn(solver):
    """y of shape (n, 1): coef_ (p,), intercept_ (1,), predict (n,), as scikit-learn."""
    X, Y, _ = _data(30, 5, offset=1.0)
    y = Y[:, :1]
    params = dict(solver=solver, positive=solver == "lbfgs")
    ours = Ridge(**params).fit(X, y)
    ref = sk.Ridge(**params).fit(X, y)
    assert ours.coef_.shape == ref.coef_.shape == (5,)
    assert np.shape(ours.intercept_) == np.shape(ref.intercept_) == (1,)
    assert ours.predict(X).shape == ref.predict(X).shape == (30,)
    assert Ridge(fit_intercept=False).fit(X, y).intercept_ == 0.0


@pytest.mark.parametrize("solver", ["sag", "saga"])
def test_ridge_cd_certifies_coefficients(solver):
    """The coordinate-descent solvers stop only when the duality gap bounds the coefficient
    error (ridge is alpha-strongly convex: ||w - w*|| <= sqrt(2 gap / alpha)) within tol of
    the largest coefficient: with a large ||y|| the gap alone (tol * ||y||^2) would not."""
    rng = np.random.RandomState(1)
    X = rng.rand(20, 30)
    y = X @ rng.randn(30) * 300 + 500 * rng.randn(20)
    exact = Ridge(alpha=1.0, solver="svd").fit(X, y)
    for dtype in (np.float64, np.float32):
        ours = Ridge(alpha=1.0, solver=solver, tol=1e-7, max_iter=100_000).fit(
            X.astype(dtype), y.astype(dtype))
        assert ours.coef_.dtype == dtype
        scale = np.abs(exact.coef_).max()
        # float32 data: the data themselves carry rounding of about 1e-7
        assert_allclose(ours.coef_, exact.coef_, rtol=0,
                        atol=(1e-6 if dtype == np.float64 else 1e-4) * scale)


def test_ridge_scalar_sample_weight_scales_the_loss():
    """A float weight multiplies the data term (weights are not rescaled), as scikit-learn."""
    X, Y, _ = _data(30, 5)
    ours = Ridge(alpha=2.0).fit(X, Y, sample_weight=4.0)
    assert_allclose(ours.coef_, sk.Ridge(alpha=2.0).fit(X, Y, sample_weight=4.0).coef_)
    assert_allclose(ours.coef_, Ridge(alpha=0.5).fit(X, Y).coef_)


def test_ridge_errors():
    X, Y, sw = _data(20, 4)
    with pytest.raises(ValueError, match="Number of targets and number of penalties"):
        Ridge(alpha=[1.0, 2.0, 3.0]).fit(X, Y)
    # scikit-learn turns negative weights into NaN coefficients; skreg refuses them
    sw[0] = -1
    with pytest.raises(ValueError, match="Negative values in data"):
        Ridge().fit(X, Y, sample_weight=sw)


def _kkt_violation(X, y, sw, alpha, coef, intercept, fit_intercept):
    """Largest violation of the KKT conditions of min ||W^1/2 (y - Xw - b)||^2 + a||w||^2
    subject to w >= 0: gradient zero on the support, non-negative off it, and (with an
    intercept) zero weighted mean residual. Relative to ||X' W y||."""
    Xd = X.toarray() if sparse.issparse(X) else X
    s = np.ones(len(y)) if sw is None else sw
    r = y - Xd @ coef - intercept
    grad = -2 * Xd.T @ (s * r) + 2 * alpha * coef
    scale = 2 * np.abs(Xd.T @ (s * (y - (np.average(y, weights=s) if fit_intercept else 0))))
    scale = scale.max()
    on = coef > 0
    viol = max(np.abs(grad[on]).max(initial=0), (-grad[~on]).max(initial=0))
    if fit_intercept:
        viol = max(viol, abs(2 * (s * r).sum()))
    return viol / scale


@pytest.mark.parametrize("target", ["1d", "2d"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("is_sparse", [False, True])
@pytest.mark.parametrize("shape", [(40, 8), (12, 25)])
def test_ridge_positive_kkt(shape, is_sparse, fit_intercept, weighted, target):
    """positive=True is a bound-constrained QP: check its KKT conditions directly, and that the
    objective is no worse than scikit-learn's (inexact) L-BFGS-B one."""
    rng = np.random.RandomState(3)
    X = rng.randn(*shape) + 0.5
    Y = X[:, :2] @ np.array([[1.0, -1.0], [-1.0, 1.0]]) + rng.randn(shape[0], 2)
    sw = rng.rand(shape[0]) * 2 if weighted else None
    alpha = np.array([0.3, 2.0])
    Xs = sparse.csc_matrix(X) if is_sparse else X
    y = Y[:, 0] if target == "1d" else Y
    a = alpha[:1] if target == "1d" else alpha
    ours = Ridge(alpha=a, positive=True, fit_intercept=fit_intercept, tol=1e-14).fit(
        Xs, y, sample_weight=sw)
    ref = sk.Ridge(alpha=a, positive=True, fit_intercept=fit_intercept).fit(
        Xs, y, sample_weight=sw)
    assert ours.solver_ == "lbfgs"
    coefs, refs = np.atleast_2d(ours.coef_), np.atleast_2d(ref.coef_)
    b = np.broadcast_to(ours.intercept_, coefs.shape[:1])
    rb = np.broadcast_to(ref.intercept_, coefs.shape[:1])
    assert np.all(coefs >= 0)
    for k in range(coefs.shape[0]):
        yk = Y[:, k]
        assert _kkt_violation(X, yk, sw, a[k], coefs[k], b[k], fit_intercept) < 1e-7
        s = np.ones(len(yk)) if sw is None else sw

        def objective(w, c, yk=yk, s=s, k=k):
            return s @ (yk - X @ w - c) ** 2 + a[k] * w @ w

        assert objective(coefs[k], b[k]) <= objective(refs[k], rb[k]) * (1 + 1e-12)
        # and the same solution as an exact active-set solver (scipy's NNLS on the centred,
        # weighted problem stacked with sqrt(alpha) I)
        exact = _nnls_ridge(X, yk, sw, a[k], fit_intercept)
        assert_allclose(coefs[k], exact, rtol=0, atol=1e-6 * np.abs(exact).max())


def _nnls_ridge(X, y, sw, alpha, fit_intercept):
    s = np.ones(len(y)) if sw is None else sw
    if fit_intercept:
        X = X - np.average(X, axis=0, weights=s)
        y = y - np.average(y, weights=s)
    A = np.vstack([np.sqrt(s)[:, None] * X, np.sqrt(alpha) * np.eye(X.shape[1])])
    b = np.concatenate([np.sqrt(s) * y, np.zeros(X.shape[1])])
    return optimize.nnls(A, b)[0]


# ------------------------------------------------------------------------------------------
# RidgeCV
# ------------------------------------------------------------------------------------------

LOO_CASES = [
    # (shape, sparse, fit_intercept, weighted, target, gcv_mode, alpha_per_target, scoring)
    case for case in itertools.chain(
        itertools.product(
            [(30, 6), (10, 20)], [False, True], [False, True], [False, True], ["1d", "2d"],
            [None], [False, True], [None, "r2"]),
        itertools.product(
            [(30, 6), (10, 20)], [False], [True], [False, True], ["2d"],
            ["svd", "eigen", "auto"], [False, True], [None, "neg_mean_absolute_error"]))
    # scikit-learn raises IndexError for 1-D y + alpha_per_target + a scorer: see
    # test_ridgecv_1d_per_target
    if not (case[4] == "1d" and case[6] and case[7] is not None)
]


@pytest.mark.parametrize(
    "shape, is_sparse, fit_intercept, weighted, target, gcv_mode, alpha_per_target, scoring",
    LOO_CASES)
def test_ridgecv_loo_parity(shape, is_sparse, fit_intercept, weighted, target, gcv_mode,
                            alpha_per_target, scoring):
    """Leave-one-out: same alpha_, best_score_, cv_results_, coef_ and intercept_."""
    X, Y, sw = _data(*shape, seed=2, offset=1.0)
    Xs = sparse.csr_matrix(X) if is_sparse else X
    y = Y[:, 0] if target == "1d" else Y
    sw = sw if weighted else None
    params = dict(alphas=[1e-3, 0.1, 1.0, 10.0], fit_intercept=fit_intercept, scoring=scoring,
                  gcv_mode=gcv_mode, alpha_per_target=alpha_per_target,
                  store_cv_results=True)
    ours = RidgeCV(**params).fit(Xs, y, sample_weight=sw)
    ref = sk.RidgeCV(**params).fit(Xs, y, sample_weight=sw)
    for name in ("alpha_", "best_score_", "coef_", "intercept_", "cv_results_"):
        got, want = getattr(ours, name), getattr(ref, name)
        assert np.shape(got) == np.shape(want), name
        assert type(got) is type(want), name
        assert_allclose(got, want, rtol=1e-7, atol=1e-9 * np.abs(want).max(), err_msg=name)


def test_ridgecv_svd_mode_on_sparse_warns_like_sklearn():
    X, Y, _ = _data(20, 5)
    with pytest.warns(FutureWarning, match="'svd' mode is not supported for sparse X"):
        RidgeCV(gcv_mode="svd").fit(sparse.csr_matrix(X), Y)


def test_ridgecv_float32_keeps_dtype():
    X, Y, _ = _data(30, 5, dtype=np.float32)
    ours = RidgeCV(store_cv_results=True).fit(X, Y)
    ref = sk.RidgeCV(store_cv_results=True).fit(X, Y)
    assert ours.coef_.dtype == ours.intercept_.dtype == ours.cv_results_.dtype == np.float32
    assert ours.alpha_ == ref.alpha_
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-6)


def test_ridgecv_1d_per_target():
    """1-D y with alpha_per_target and a scorer: one target, so the same as without
    alpha_per_target (scikit-learn 1.9 raises IndexError on this input)."""
    X, Y, _ = _data(30, 5)
    a = RidgeCV(alpha_per_target=True, scoring="r2").fit(X, Y[:, 0])
    b = RidgeCV(scoring="r2").fit(X, Y[:, 0])
    assert a.alpha_ == b.alpha_ and a.best_score_ == b.best_score_


@pytest.mark.parametrize("is_sparse", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("scoring", [None, "neg_mean_squared_error"])
def test_ridgecv_kfold_parity(is_sparse, weighted, scoring):
    """cv=5: the same grid search as scikit-learn (which uses sparse_cg on sparse X, so its
    scores are only accurate to its tolerance there)."""
    X, Y, sw = _data(50, 6, seed=4, offset=1.0)
    Xs = sparse.csr_matrix(X) if is_sparse else X
    sw = sw if weighted else None
    params = dict(alphas=[0.01, 0.1, 1.0, 10.0, 100.0], cv=5, scoring=scoring)
    ours = RidgeCV(**params).fit(Xs, Y, sample_weight=sw)
    ref = sk.RidgeCV(**params).fit(Xs, Y, sample_weight=sw)
    rtol = 1e-4 if is_sparse else 1e-10
    assert ours.alpha_ == ref.alpha_
    assert_allclose(ours.best_score_, ref.best_score_, rtol=rtol)
    assert_allclose(ours.coef_, ref.coef_, rtol=rtol, atol=rtol)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=rtol, atol=rtol)
    assert ours.n_features_in_ == 6


def _grid_search(X, y, sw, alphas, cv, scoring=None, fit_intercept=True, **fit_params):
    """scikit-learn's definition of RidgeCV(cv=...): GridSearchCV over Ridge's alpha, here
    with skreg's exact Ridge (so sparse X is compared without sparse_cg's tolerance)."""
    from sklearn.model_selection import GridSearchCV
    search = GridSearchCV(Ridge(fit_intercept=fit_intercept), {"alpha": alphas}, cv=cv,
                          scoring=scoring)
    return search.fit(X, y, sample_weight=sw, **fit_params)


@pytest.mark.parametrize("shape", [(60, 8), (30, 70)], ids=["long", "wide"])
@pytest.mark.parametrize("is_sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("weighted", [False, True], ids=["sw0", "sw1"])
@pytest.mark.parametrize("target", ["1d", "col", "2d"])
@pytest.mark.parametrize("fit_intercept", [False, True], ids=["b0", "b1"])
def test_ridgecv_kfold_is_grid_search(shape, is_sparse, weighted, target, fit_intercept):
    """Every fold's score of every alpha, the choice and the refit equal GridSearchCV's (one
    eigendecomposition per fold against one Cholesky solve per fold and alpha: rounding only),
    including alpha=0 on rank-deficient training parts (wide)."""
    X, Y, sw = _data(*shape, n_targets=2, seed=7, offset=1.0)
    y = {"1d": Y[:, 0], "col": Y[:, :1], "2d": Y}[target]
    Xs = sparse.csr_matrix(X) if is_sparse else X
    sw = sw if weighted else None
    alphas = np.array([0.0, 1e-3, 0.1, 1.0, 10.0, 1e3])
    ours = RidgeCV(alphas=alphas, cv=4, fit_intercept=fit_intercept).fit(Xs, y, sample_weight=sw)
    ref = _grid_search(Xs, y, sw, alphas, cv=4, fit_intercept=fit_intercept)
    folds = np.array([ref.cv_results_[f"split{k}_test_score"] for k in range(4)]).T
    ok = alphas > 0  # alpha = 0 on a singular fold: both minimum-norm, less digits
    assert_allclose(ours.cv_scores_[ok], folds[ok], rtol=1e-9, atol=1e-9)
    assert_allclose(ours.cv_scores_[~ok], folds[~ok], rtol=1e-5, atol=1e-5)
    assert ours.alpha_ == ref.best_params_["alpha"]
    assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-9)
    assert_allclose(ours.coef_, ref.best_estimator_.coef_, rtol=1e-12, atol=1e-12)
    assert np.shape(ours.coef_) == np.shape(ref.best_estimator_.coef_)
    assert ours.predict(Xs).shape == ref.predict(Xs).shape


@pytest.mark.parametrize("scoring", ["neg_mean_absolute_error", "callable"])
def test_ridgecv_kfold_scorers_and_routing(scoring):
    """String and callable scorers, and metadata routing (weights to the held-out scores,
    groups to the splitter) give GridSearchCV's scores."""
    import sklearn
    from sklearn.metrics import make_scorer, mean_squared_error
    from sklearn.model_selection import GroupKFold
    X, Y, sw = _data(48, 5, seed=3, offset=1.0)
    y = Y[:, 0]
    if scoring == "callable":
        def scoring(est, X_test, y_test):  # a scorer that needs a real estimator
            return -np.abs(est.predict(X_test) - y_test).max() - 1e-3 * abs(est.intercept_)
    alphas = [0.01, 0.3, 3.0, 30.0]
    ours = RidgeCV(alphas=alphas, cv=3, scoring=scoring).fit(X, y, sample_weight=sw)
    ref = _grid_search(X, y, sw, alphas, cv=3, scoring=scoring)
    assert ours.alpha_ == ref.best_params_["alpha"]
    assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-9)

    groups = np.arange(48) % 6
    weighted_mse = make_scorer(mean_squared_error, greater_is_better=False)
    with sklearn.config_context(enable_metadata_routing=True):
        scorer = weighted_mse.set_score_request(sample_weight=True)
        ours = RidgeCV(alphas=alphas, cv=GroupKFold(3), scoring=scorer).fit(
            X, y, sample_weight=sw, groups=groups)
        from sklearn.model_selection import GridSearchCV
        ref = GridSearchCV(Ridge().set_fit_request(sample_weight=True), {"alpha": alphas},
                           cv=GroupKFold(3), scoring=scorer).fit(
            X, y, sample_weight=sw, groups=groups)
    assert ours.alpha_ == ref.best_params_["alpha"]
    assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-9)


def test_ridgecv_kfold_sparse_large_gram_falls_back(monkeypatch):
    """Sparse X whose Gram matrices are all too large for a dense eigendecomposition: one
    (iterative) Ridge fit per fold and alpha, the same choice."""
    import skreg._ridge_cv as ridge_cv
    monkeypatch.setattr(ridge_cv, "SPARSE_DIRECT_MAX", 3)
    X, Y, sw = _data(40, 6, seed=5, offset=1.0)
    Xs = sparse.csr_matrix(X)
    alphas = [0.1, 1.0, 10.0]
    ours = RidgeCV(alphas=alphas, cv=3).fit(Xs, Y, sample_weight=sw)
    ref = _grid_search(X, Y, sw, alphas, cv=3)
    assert ours.alpha_ == ref.best_params_["alpha"]
    assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-5)


def test_ridgecv_column_y_shapes_like_sklearn():
    """y of shape (n, 1): coef_ (p,), intercept_ (1,), predictions (n,) with every cv; a
    per-target best_score_ of shape (1,) (scikit-learn's shapes)."""
    X, Y, _ = _data(30, 5)
    y = Y[:, :1]
    for params in (dict(), dict(cv=3), dict(store_cv_results=True),
                   dict(alpha_per_target=True)):
        ours = RidgeCV(**params).fit(X, y)
        ref = sk.RidgeCV(**params).fit(X, y)
        for attr in ("coef_", "intercept_", "alpha_", "best_score_", "cv_results_"):
            if hasattr(ref, attr):
                assert np.shape(getattr(ours, attr)) == np.shape(getattr(ref, attr)), attr
        assert ours.predict(X).shape == ref.predict(X).shape == (30,)


@pytest.mark.parametrize("params, match", [
    (dict(cv=3, store_cv_results=True), "cv!=None and store_cv_results=True"),
    (dict(cv=3, alpha_per_target=True), "cv!=None and alpha_per_target=True"),
    (dict(alphas=[0.0, 1.0]), r"alphas\[0\] == 0.0, must be > 0.0"),
    (dict(alphas=[1.0, -1.0], cv=3), r"alphas\[1\] == -1.0, must be >= 0.0"),
])
def test_ridgecv_errors_like_sklearn(params, match):
    X, Y, _ = _data(20, 4)
    for est in (RidgeCV(**params), sk.RidgeCV(**params)):
        with pytest.raises(ValueError, match=match):
            est.fit(X, Y)


def test_ridgecv_feature_names():
    pd = pytest.importorskip("pandas")
    X, Y, _ = _data(20, 3)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    for cv in (None, 3):
        est = RidgeCV(cv=cv).fit(df, Y[:, 0])
        assert_array_equal(est.feature_names_in_, ["a", "b", "c"])


# ------------------------------------------------------------------------------------------
# scikit-learn's estimator checks
# ------------------------------------------------------------------------------------------

def _expected_failed_checks(estimator):
    if isinstance(estimator, Ridge) and not (
            estimator.positive or estimator.solver in ("sag", "saga", "lbfgs", "lsqr",
                                                        "sparse_cg")):
        # n_iter_ is None for the direct solvers, exactly as scikit-learn's Ridge, which
        # lists this same check among its own expected failures ("n_iter_ cannot be easily
        # accessed").
        return {"check_non_transformer_estimators_n_iter":
                "n_iter_ is None for direct solvers, as in scikit-learn's Ridge"}
    return {}


@parametrize_with_checks(
    [
        Ridge(),
        Ridge(solver="svd"),
        Ridge(solver="sag"),
        Ridge(positive=True),
        Ridge(alpha=np.array([0.5])),
        RidgeCV(),
        RidgeCV(cv=3, alphas=[0.1, 1.0]),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
