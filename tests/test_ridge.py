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
