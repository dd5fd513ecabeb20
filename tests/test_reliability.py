"""Hardening of every public entry point: bad input gets one clear ValueError / TypeError (never a
crash, hang or silent wrong answer), odd but valid input gets the right answer.

Where skreg deliberately differs from scikit-learn the test says so in a comment (search for
"differs from scikit-learn")."""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning, NotFittedError

import skreg
from skreg import _design, _solve

RNG = np.random.RandomState(0)
X0 = RNG.randn(24, 5)
Y0 = X0 @ RNG.randn(5) + 0.3 * RNG.randn(24)


# ------------------------------------------------------------------------------------------------
# Entry points, each as fit(X, y, sample_weight=None)
# ------------------------------------------------------------------------------------------------


def _est(make):
    def fit(X, y, sample_weight=None):
        return make().fit(X, y, sample_weight=sample_weight)
    return fit


def _path(fn, **kw):
    def fit(X, y, sample_weight=None):
        extra = {} if sample_weight is None else {"sample_weight": sample_weight,
                                                  "fit_intercept": True}
        return fn(X, y, alphas=4, **kw, **extra)
    return fit


def _search(X, y, sample_weight=None):
    search = skreg.PathSearchCV(skreg.Lasso(), {"alpha": [1.0, 0.1]}, cv=3)
    return search.fit(X, y, sample_weight=sample_weight)


ENTRY_POINTS = {
    "Lasso": _est(lambda: skreg.Lasso(alpha=0.1)),
    "ElasticNet": _est(lambda: skreg.ElasticNet(alpha=0.1)),
    "Ridge": _est(lambda: skreg.Ridge()),
    "RidgeCV-loo": _est(lambda: skreg.RidgeCV()),
    "RidgeCV-kfold": _est(lambda: skreg.RidgeCV(cv=3)),
    "LassoCV": _est(lambda: skreg.LassoCV(cv=3, alphas=4)),
    "ElasticNetCV": _est(lambda: skreg.ElasticNetCV(cv=3, alphas=4, l1_ratio=[0.5, 1.0])),
    "PathSearchCV": _search,
    "lasso_path": _path(skreg.lasso_path),
    "enet_path": _path(skreg.enet_path, l1_ratio=0.5),
}


def _with(X=None, y=None, sw=None):
    """(X, y, sample_weight) with X0, Y0 by default and some entries changed."""
    X = X0.copy() if X is None else X
    y = Y0.copy() if y is None else y
    return X, y, sw


def _set(a, idx, value):
    a = np.array(a, dtype=np.float64)
    a[idx] = value
    return a


ONES = np.ones(len(Y0))
BAD_DATA = {
    # name: ((X, y, sample_weight), error regex)
    "nan in X": (_with(X=_set(X0, (0, 0), np.nan)), "NaN"),
    "inf in X": (_with(X=_set(X0, (3, 1), np.inf)), "infinity"),
    "-inf in X": (_with(X=_set(X0, (3, 1), -np.inf)), "infinity"),
    "nan in y": (_with(y=_set(Y0, 0, np.nan)), "NaN"),
    "inf in y": (_with(y=_set(Y0, 5, np.inf)), "infinity"),
    "nan in sparse X": (_with(X=sparse.csr_matrix(_set(X0, (0, 0), np.nan))), "NaN"),
    "inf in sparse X": (_with(X=sparse.csc_matrix(_set(X0, (2, 2), np.inf))), "infinity"),
    "nan in sample_weight": (_with(sw=_set(ONES, 0, np.nan)), "NaN"),
    "inf in sample_weight": (_with(sw=_set(ONES, 0, np.inf)), "infinity"),
    "negative sample_weight": (_with(sw=_set(ONES, 0, -1.0)), "[Nn]egative"),
    "all-zero sample_weight": (_with(sw=np.zeros(len(Y0))), "non-zero|positive"),
    "sample_weight too short": (_with(sw=np.ones(len(Y0) - 1)), r"sample_weight\.shape"),
    "2-D sample_weight": (_with(sw=np.ones((len(Y0), 2))), "1D|1-D|shape"),
    "empty X": (_with(X=np.empty((0, 5)), y=np.empty(0)), "0 sample|n_samples=0"),
    "0 features": (_with(X=np.empty((len(Y0), 0))), "0 feature"),
    "X / y length mismatch": (_with(y=Y0[:-1]), "inconsistent numbers of samples"),
    "3-D X": (_with(X=X0[:, :, None]), "dim 3"),
    "3-D y": (_with(y=Y0[:, None, None]), "dim 3"),
    "string X": (_with(X=np.full(X0.shape, "a")), "convert string"),
    "object X (non-numeric)": (_with(X=np.full(X0.shape, object())), "float|convert|object"),
    "complex X": (_with(X=X0 + 1j), "Complex"),
    "complex y": (_with(y=Y0 + 1j), "Complex"),
    "string y": (_with(y=np.full(len(Y0), "a")), "convert string|[Uu]nknown label|numeric"),
}


@pytest.mark.parametrize("case", list(BAD_DATA))
@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_bad_data_gives_one_clear_error(entry, case):
    (X, y, sw), pattern = BAD_DATA[case]
    fit = ENTRY_POINTS[entry]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises((ValueError, TypeError), match=pattern):
            fit(X, y, sample_weight=sw)


def test_numeric_object_and_int_arrays_are_converted():
    # numeric object arrays and int arrays are valid input (converted to float64), as in sklearn
    for E in (skreg.Lasso, skreg.ElasticNet, skreg.Ridge):
        ref = E(alpha=0.1).fit(np.round(X0 * 10), Y0)
        for X in (np.round(X0 * 10).astype(object), np.round(X0 * 10).astype(np.int64),
                  np.round(X0 * 10).astype(np.int8).tolist()):
            est = E(alpha=0.1).fit(X, Y0)
            assert est.coef_.dtype == np.float64
            np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------------------------------------------
# Parameters
# ------------------------------------------------------------------------------------------------

BAD_ALPHAS = [-1.0, -1e-300, np.nan, np.inf, -np.inf, "a", None]


@pytest.mark.parametrize("alpha", BAD_ALPHAS)
@pytest.mark.parametrize("Est", [skreg.Lasso, skreg.ElasticNet, skreg.Ridge])
def test_bad_alpha(Est, alpha):
    with pytest.raises((ValueError, TypeError), match="alpha"):
        Est(alpha=alpha).fit(X0, Y0)


@pytest.mark.parametrize("alpha", [[-1.0], [np.nan], [np.inf], [1.0, -2.0]])
def test_ridge_bad_per_target_alpha(alpha):
    # differs from scikit-learn: its Ridge accepts a negative entry of an array alpha and solves
    # an indefinite system without complaint; skreg requires every entry in [0, inf).
    Y = np.c_[Y0, -Y0]
    with pytest.raises(ValueError, match="alpha"):
        skreg.Ridge(alpha=alpha).fit(X0, Y)
    with pytest.raises(ValueError, match="penalties|alpha"):
        skreg.Ridge(alpha=[1.0, 2.0, 3.0]).fit(X0, Y)


@pytest.mark.parametrize("l1_ratio", [-0.1, 1.1, np.nan, np.inf, "a"])
def test_bad_l1_ratio(l1_ratio):
    with pytest.raises((ValueError, TypeError), match="l1_ratio"):
        skreg.ElasticNet(l1_ratio=l1_ratio).fit(X0, Y0)
    with pytest.raises((ValueError, TypeError), match="l1_ratio"):
        skreg.enet_path(X0, Y0, l1_ratio=l1_ratio, alphas=[1.0, 0.1])


@pytest.mark.parametrize("kw", [dict(tol=-1.0), dict(tol=np.nan), dict(max_iter=0),
                                dict(max_iter=-5), dict(selection="sideways")])
@pytest.mark.parametrize("Est", [skreg.Lasso, skreg.ElasticNet])
def test_bad_solver_params(Est, kw):
    with pytest.raises(ValueError):
        Est(**kw).fit(X0, Y0)


@pytest.mark.parametrize("fn", [skreg.lasso_path, skreg.enet_path])
@pytest.mark.parametrize("kw, pattern", [
    (dict(alphas=[1.0, -1.0]), "non-negative"),
    (dict(alphas=[1.0, np.nan]), "finite"),
    (dict(alphas=[np.inf]), "finite"),
    (dict(alphas=[]), "empty"),
    (dict(alphas=0), "positive integer"),
    (dict(eps=0.0), "eps"),
    (dict(eps=-1.0), "eps"),
    (dict(eps=np.nan), "eps"),
    (dict(tol=-1.0), "tol"),
    (dict(max_iter=-1), "max_iter"),
    (dict(selection="sideways"), "selection"),
    (dict(coef_init=np.ones(3)), "coef_init"),
    (dict(coef_init=np.full(5, np.nan)), "coef_init"),
    (dict(precompute=np.eye(4)), "Gram"),
    (dict(precompute=X0.T @ X0, Xy=np.ones(3)), "Xy"),
    (dict(precompute=X0.T @ X0, Xy=np.full(5, np.nan)), "NaN"),
    (dict(unknown_param=1), "Unexpected parameters"),
])
def test_bad_path_params(fn, kw, pattern):
    # differs from scikit-learn: sklearn's enet_path runs with negative alphas and tol, NaN or
    # wrongly sized sample_weight, and (for coef_init of the wrong length) reads past the buffer;
    # skreg rejects them all.
    kw = {"alphas": 4, **kw}
    with pytest.raises(ValueError, match=pattern):
        fn(X0, Y0, **kw)


@pytest.mark.parametrize("fn", [skreg.lasso_path, skreg.enet_path])
def test_path_sample_weight_validated(fn):
    # differs from scikit-learn: its enet_path takes any sample_weight (NaN, wrong length) and
    # returns garbage; skreg validates it like the estimators do.
    for sw, pattern in [(_set(ONES, 0, np.nan), "NaN"), (_set(ONES, 0, -1), "[Nn]egative"),
                        (np.zeros(len(Y0)), "non-zero|positive"), (np.ones(3), "shape")]:
        with pytest.raises(ValueError, match=pattern):
            fn(X0, Y0, alphas=4, sample_weight=sw, fit_intercept=True)
    # a scalar weight is uniform: the same problem as no weights
    a = fn(X0, Y0, alphas=4, sample_weight=3.0, fit_intercept=True)
    b = fn(X0, Y0, alphas=4, fit_intercept=True)
    np.testing.assert_allclose(a[1], b[1], rtol=1e-12, atol=1e-14)


def test_path_check_input_false_still_safe():
    """check_input=False skips validation only for what the kernels can take as is; an int
    matrix, a list y or a C-ordered / strided X are still handled correctly."""
    ref = skreg.lasso_path(X0, Y0, alphas=4)[1]
    Xs = np.repeat(X0, 2, axis=1)[:, ::2]
    for X, y in [(np.ascontiguousarray(X0), Y0), (Xs, Y0), (X0, list(Y0)),
                 (sparse.csr_matrix(X0), Y0), (X0, Y0.astype(np.float32))]:
        got = skreg.lasso_path(X, y, alphas=4, check_input=False)[1]
        np.testing.assert_allclose(got, ref, rtol=1e-6, atol=1e-8)
    Xi = np.round(3 * X0).astype(np.int64)
    np.testing.assert_allclose(skreg.lasso_path(Xi, Y0, alphas=4, check_input=False)[1],
                               skreg.lasso_path(Xi.astype(float), Y0, alphas=4)[1])


@pytest.mark.parametrize("alphas, pattern", [([-1.0], "alphas"), ([np.nan], "finite"),
                                             ([np.inf], "finite"), ([], "empty")])
@pytest.mark.parametrize("cv", [None, 3])
def test_ridgecv_bad_alphas(alphas, pattern, cv):
    # differs from scikit-learn: RidgeCV(alphas=[nan]) or [] fits NaN coefficients there
    with pytest.raises(ValueError, match=pattern):
        skreg.RidgeCV(alphas=alphas, cv=cv).fit(X0, Y0)


def test_ridgecv_kfold_validates_before_the_search():
    # sklearn's RidgeCV(cv=3) reports bad weights / string y as "All the 9 fits failed";
    # skreg names the problem.
    with pytest.raises(ValueError, match="non-zero|positive"):
        skreg.RidgeCV(cv=3).fit(X0, Y0, sample_weight=np.zeros(len(Y0)))
    with pytest.raises(ValueError, match="shape"):
        skreg.RidgeCV(cv=3).fit(X0, Y0, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match="convert string"):
        skreg.RidgeCV(cv=3).fit(X0, np.full(len(Y0), "a"))



CV_BAD_PARAMS = [
    pytest.param(lambda: skreg.LassoCV(alphas=[-1.0]), "alphas", id="LassoCV-negative-alpha"),
    pytest.param(lambda: skreg.LassoCV(alphas=[np.nan, 0.1]), "alpha", id="LassoCV-nan-alpha"),
    pytest.param(lambda: skreg.LassoCV(alphas=[np.inf, 0.1]), "alpha", id="LassoCV-inf-alpha"),
    pytest.param(lambda: skreg.LassoCV(alphas=[]), "alpha|empty|non-empty", id="LassoCV-empty"),
    pytest.param(lambda: skreg.LassoCV(alphas=0), "alphas", id="LassoCV-0-alphas"),
    pytest.param(lambda: skreg.LassoCV(eps=-1.0), "eps", id="LassoCV-eps"),
    pytest.param(lambda: skreg.LassoCV(cv=1), "cv", id="LassoCV-cv1"),
    pytest.param(lambda: skreg.LassoCV(cv=100), "n_splits", id="LassoCV-cv-too-large"),
    pytest.param(lambda: skreg.ElasticNetCV(l1_ratio=[-0.1]), "l1_ratio", id="ENetCV-l1-neg"),
    pytest.param(lambda: skreg.ElasticNetCV(l1_ratio=[1.1]), "l1_ratio", id="ENetCV-l1-big"),
    pytest.param(lambda: skreg.ElasticNetCV(l1_ratio=[np.nan]), "l1_ratio", id="ENetCV-l1-nan"),
    pytest.param(lambda: skreg.ElasticNetCV(l1_ratio=[0.0, 0.5]), "l1_ratio=0",
                 id="ENetCV-l1-0-auto-grid"),
    # GridSearchCV semantics: a failing candidate scores error_score; 'raise' names the problem
    pytest.param(lambda: skreg.PathSearchCV(skreg.Lasso(), {"alpha": [-1.0, 0.1]}, cv=3,
                                            error_score="raise"), "alpha", id="PathSearch-neg"),
    pytest.param(lambda: skreg.PathSearchCV(skreg.Lasso(), {"alpha": [np.nan, 0.1]}, cv=3,
                                            error_score="raise"), "alpha", id="PathSearch-nan"),
    pytest.param(lambda: skreg.PathSearchCV(skreg.ElasticNet(), {"alpha": [0.1],
                                                                 "l1_ratio": [1.5]},
                                            cv=3, error_score="raise"), "l1_ratio",
                 id="PathSearch-l1"),
]


@pytest.mark.parametrize("make, pattern", CV_BAD_PARAMS)
def test_cv_selectors_bad_params(make, pattern):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises((ValueError, TypeError), match=pattern):
            make().fit(X0, Y0)


def test_path_search_skips_failing_candidates():
    # as GridSearchCV: the invalid candidate gets error_score (with a FitFailedWarning) and the
    # valid one is selected; nothing crashes and no NaN model is returned
    from sklearn.exceptions import FitFailedWarning
    search = skreg.PathSearchCV(skreg.Lasso(), {"alpha": [-1.0, np.nan, 0.1]}, cv=3)
    with pytest.warns(FitFailedWarning):
        search.fit(X0, Y0)
    assert search.best_params_["alpha"] == 0.1
    assert np.all(np.isfinite(search.best_estimator_.coef_))


# ------------------------------------------------------------------------------------------------
# predict
# ------------------------------------------------------------------------------------------------

FITTED = {
    "Lasso": lambda: skreg.Lasso(alpha=0.1),
    "ElasticNet": lambda: skreg.ElasticNet(alpha=0.1),
    "Ridge": lambda: skreg.Ridge(),
    "RidgeCV": lambda: skreg.RidgeCV(),
    "LassoCV": lambda: skreg.LassoCV(cv=3, alphas=4),
    "ElasticNetCV": lambda: skreg.ElasticNetCV(cv=3, alphas=4),
}


@pytest.mark.parametrize("name", list(FITTED))
def test_predict_errors(name):
    est = FITTED[name]()
    with pytest.raises(NotFittedError):
        est.predict(X0)
    est.fit(X0, Y0)
    with pytest.raises(ValueError, match="features"):
        est.predict(X0[:, :4])
    with pytest.raises(ValueError, match="features"):
        est.predict(sparse.csr_matrix(np.c_[X0, X0]))
    with pytest.raises(ValueError, match="NaN"):
        est.predict(_set(X0, (0, 0), np.nan))
    with pytest.raises(ValueError, match="dim 3"):
        est.predict(X0[:, :, None])
    with pytest.raises(ValueError, match="Complex"):
        est.predict(X0 + 1j)
    # every input layout predicts the same
    ref = est.predict(X0)
    for X in (np.asfortranarray(X0), sparse.csr_matrix(X0), sparse.coo_matrix(X0),
              X0.astype(np.float32), np.repeat(X0, 2, axis=0)[::2]):
        np.testing.assert_allclose(est.predict(X), ref, rtol=1e-5, atol=1e-6)


# ------------------------------------------------------------------------------------------------
# Precomputed Gram matrix
# ------------------------------------------------------------------------------------------------

G0 = X0.T @ X0


@pytest.mark.parametrize("gram, pattern", [
    (G0[:4], "shape"),
    (G0[:4, :4], "shape"),
    (G0[0], "2D"),
    (G0[:, :, None], "dim 3"),
    (G0 + np.triu(np.ones_like(G0), 1), "not symmetric"),
    (_set(G0, (1, 1), np.nan), "NaN"),
    (_set(G0, (1, 1), np.inf), "infinity"),
    (-G0, "does not match"),
    (2 * G0, "does not match"),
    (G0.astype(complex), "Complex"),
])
@pytest.mark.parametrize("Est", [skreg.Lasso, skreg.ElasticNet])
def test_bad_precomputed_gram(Est, gram, pattern):
    with pytest.raises(ValueError, match=pattern):
        Est(alpha=0.1, fit_intercept=False, precompute=gram).fit(X0, Y0)


@pytest.mark.parametrize("Est", [skreg.Lasso, skreg.ElasticNet])
def test_good_precomputed_gram(Est):
    a = Est(alpha=0.1, fit_intercept=False, precompute=G0, tol=1e-10).fit(X0, Y0)
    b = Est(alpha=0.1, fit_intercept=False, tol=1e-10).fit(X0, Y0)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-7, atol=1e-9)
    # a Gram of the uncentred data with an intercept: recomputed, with sklearn's warning
    with pytest.warns(UserWarning, match="Gram matrix"):
        c = Est(alpha=0.1, precompute=G0 + 5.0, tol=1e-10).fit(X0 + 1.0, Y0)
    d = Est(alpha=0.1, tol=1e-10).fit(X0 + 1.0, Y0)
    np.testing.assert_allclose(c.coef_, d.coef_, rtol=1e-7, atol=1e-9)


# ------------------------------------------------------------------------------------------------
# Sparse matrices in odd but valid forms: handled, with the canonical matrix's results
# ------------------------------------------------------------------------------------------------

def _odd_sparse(X, fmt, *, unsorted, duplicates, explicit_zeros, idx64, seed=0):
    """X as a csc / csr / coo matrix with unsorted indices, duplicate entries (summed by scipy's
    semantics), explicit zeros and / or int64 index arrays, built without canonicalising."""
    rng = np.random.RandomState(seed)
    n, p = X.shape
    r, c = np.nonzero(X)
    v = X[r, c]
    zero = np.zeros(6, dtype=X.dtype)
    if duplicates:
        r, c, v = np.r_[r, r], np.r_[c, c], np.r_[v / 4, v - v / 4]
    if explicit_zeros:
        zr, zc = rng.randint(0, n, 6), rng.randint(0, p, 6)
        r, c, v = np.r_[r, zr], np.r_[c, zc], np.r_[v, zero]
    perm = rng.permutation(len(v)) if unsorted else np.lexsort((r, c) if fmt == "csc" else (c, r))
    r, c, v = r[perm], c[perm], v[perm]
    itype = np.int64 if idx64 else np.int32
    if fmt == "coo":
        return sparse.coo_matrix((v, (r.astype(itype), c.astype(itype))), shape=(n, p))
    major, minor, m = (c, r, p) if fmt == "csc" else (r, c, n)
    order = np.argsort(major, kind="stable")
    indptr = np.r_[0, np.cumsum(np.bincount(major, minlength=m))].astype(itype)
    cls = sparse.csc_matrix if fmt == "csc" else sparse.csr_matrix
    M = cls((v[order], minor[order].astype(itype), indptr), shape=(n, p))
    # scipy may downcast index arrays on construction: force the requested type
    M.indices, M.indptr = M.indices.astype(itype), M.indptr.astype(itype)
    return M


def _sparse_X():
    rng = np.random.RandomState(1)
    X = rng.randn(30, 7) * (rng.rand(30, 7) < 0.45)
    X[:, 2] = 0.0  # an empty column
    return X, X @ rng.randn(7) + rng.randn(30) + 1.0


SPARSE_ESTIMATORS = {
    "Lasso": lambda: skreg.Lasso(alpha=0.05, tol=1e-12),
    "ElasticNet": lambda: skreg.ElasticNet(alpha=0.05, tol=1e-12),
    "ElasticNet-gram": lambda: skreg.ElasticNet(alpha=0.05, tol=1e-12, precompute=True),
    "Ridge": lambda: skreg.Ridge(alpha=1.0),
    "Ridge-lsqr": lambda: skreg.Ridge(alpha=1.0, solver="lsqr", tol=1e-14),
    "Ridge-sag": lambda: skreg.Ridge(alpha=1.0, solver="sag", tol=1e-14),
    "RidgeCV": lambda: skreg.RidgeCV(),
    "LassoCV": lambda: skreg.LassoCV(cv=3, alphas=5, tol=1e-12),
}

ODD = [dict(unsorted=True, duplicates=False, explicit_zeros=False, idx64=False),
       dict(unsorted=False, duplicates=True, explicit_zeros=False, idx64=False),
       dict(unsorted=False, duplicates=False, explicit_zeros=True, idx64=False),
       dict(unsorted=False, duplicates=False, explicit_zeros=False, idx64=True),
       dict(unsorted=True, duplicates=True, explicit_zeros=True, idx64=True)]


@pytest.mark.parametrize("odd", ODD, ids=lambda d: "+".join(k for k, v in d.items() if v))
@pytest.mark.parametrize("fmt", ["csc", "csr", "coo"])
def test_odd_sparse_equals_canonical(fmt, odd):
    # differs from scikit-learn: sklearn's Lasso / ElasticNet / LassoCV reject int64 index
    # arrays ("Only sparse matrices with 32-bit integer indices are accepted"); skreg's kernels
    # are compiled for int32 and int64 indices and take them.
    X, y = _sparse_X()
    M = _odd_sparse(X, fmt, **odd)
    np.testing.assert_array_equal(M.toarray(), X)
    canonical = sparse.csc_matrix(X)
    snapshot = [a.copy() for a in (M.data, *((M.row, M.col) if fmt == "coo"
                                              else (M.indices, M.indptr)))]
    sw = np.random.RandomState(2).uniform(0.5, 2, len(y))
    for name, make in SPARSE_ESTIMATORS.items():
        kw = {} if name == "LassoCV" else {"sample_weight": sw}
        a = make().fit(M, y, **kw)
        b = make().fit(canonical, y, **kw)
        # duplicates summed in another order differ in the last bits: the solvers then stop
        # at slightly different points within the certified gap (1e-12 relative)
        np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-6, atol=1e-7, err_msg=name)
        np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(a.predict(M), b.predict(canonical), rtol=1e-6, atol=1e-7)
    for fn in (skreg.lasso_path, skreg.enet_path):
        a = fn(M, y, alphas=5, tol=1e-12, fit_intercept=True, sample_weight=sw)
        b = fn(canonical, y, alphas=5, tol=1e-12, fit_intercept=True, sample_weight=sw)
        np.testing.assert_allclose(a[1], b[1], rtol=1e-6, atol=1e-7)
    # the caller's matrix is left untouched
    after = [M.data, *((M.row, M.col) if fmt == "coo" else (M.indices, M.indptr))]
    for before, now in zip(snapshot, after):
        np.testing.assert_array_equal(before, now)


def test_sparse_array_classes_and_float32():
    X, y = _sparse_X()
    ref = skreg.ElasticNet(alpha=0.05, tol=1e-12).fit(X, y)
    for M in (sparse.csc_array(X), sparse.csr_array(X), sparse.lil_matrix(X),
              sparse.dok_matrix(X), sparse.bsr_matrix(X)):
        est = skreg.ElasticNet(alpha=0.05, tol=1e-12).fit(M, y)
        np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-6, atol=1e-7)
    M32 = _odd_sparse(X.astype(np.float32), "csc", **ODD[-1])
    est = skreg.ElasticNet(alpha=0.05, tol=1e-8).fit(M32, y.astype(np.float32))
    assert est.coef_.dtype == np.float32
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=2e-3, atol=2e-3)


# ------------------------------------------------------------------------------------------------
# Numerical edge cases: KKT conditions and scikit-learn
# ------------------------------------------------------------------------------------------------

def kkt_violation(X, y, coef, intercept, alpha, l1_ratio, sample_weight=None, positive=False,
                  fit_intercept=True):
    """Largest violation of the optimality conditions of sklearn's ElasticNet objective,
    relative to the scale ||x_j|| ||y|| / n of the gradient (0 at the exact solution)."""
    X = np.asarray(X.toarray() if sparse.issparse(X) else X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = len(y)
    s = np.ones(n) if sample_weight is None else sample_weight * (n / np.sum(sample_weight))
    coef = np.asarray(coef, dtype=np.float64)
    r = y - X @ coef - intercept
    g = X.T @ (s * r) / n - alpha * (1 - l1_ratio) * coef
    lam = alpha * l1_ratio
    xc = X - np.average(X, axis=0, weights=s) if fit_intercept else X
    yc = y - np.average(y, weights=s) if fit_intercept else y
    scale = (np.sqrt(s @ xc**2 / n) * np.sqrt(s @ yc**2 / n)) + 1e-300
    if positive:
        v = np.where(coef > 0, np.abs(g - lam), np.maximum(g - lam, 0))
    else:
        v = np.where(coef != 0, np.abs(g - lam * np.sign(coef)), np.maximum(np.abs(g) - lam, 0))
    v = v / np.maximum(scale, scale.max() * 1e-12)
    if not fit_intercept:
        return v.max()
    intercept_v = abs(np.sum(s * r)) / (n * (np.sqrt(s @ yc**2 / n) + 1e-300))
    return max(v.max(), intercept_v)


def alpha_max(X, y, l1_ratio=1.0):
    X = np.asarray(X, dtype=np.float64)
    return np.abs((X - X.mean(0)).T @ (y - y.mean())).max() / (len(y) * l1_ratio)


def _check_enet(X, y, *, alpha, l1_ratio, kkt_tol=1e-6, sparse_too=True, sample_weight=None,
                compare="coef", **kw):
    """skreg's ElasticNet on X (dense and CSC) satisfies KKT and agrees with sklearn's."""
    formats = [X, sparse.csc_matrix(X)] if sparse_too else [X]
    for Xf in formats:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            a = skreg.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-12, max_iter=100_000,
                                 **kw).fit(Xf, y, sample_weight=sample_weight)
            b = sk.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-12, max_iter=100_000,
                              **kw).fit(Xf, y, sample_weight=sample_weight)
        assert np.all(np.isfinite(a.coef_)) and np.isfinite(a.intercept_)
        v = kkt_violation(X, y, a.coef_, a.intercept_, alpha, l1_ratio, sample_weight,
                          kw.get("positive", False), kw.get("fit_intercept", True))
        assert v <= kkt_tol, f"KKT violation {v:.2e}"
        ps, pb = a.predict(Xf), b.predict(Xf)
        scale = max(np.abs(pb - np.mean(pb)).max(), np.abs(y).max(), 1e-300)
        assert np.abs(ps - pb).max() <= 1e-5 * scale
        if compare == "coef":
            cs = max(np.abs(b.coef_).max(), 1e-300)
            assert np.abs(a.coef_ - b.coef_).max() <= 1e-5 * cs
    return a


def _check_ridge(X, y, alpha, sample_weight=None):
    """skreg's Ridge (each solver) solves (X'SX + alpha I) w = X'S y (centred) to precision."""
    Xd = np.asarray(X.toarray() if sparse.issparse(X) else X, dtype=np.float64)
    s = np.ones(len(y)) if sample_weight is None else sample_weight
    xm, ym = np.average(Xd, 0, weights=s), np.average(y, weights=s)
    for solver in ("auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag"):
        if sparse.issparse(X) and solver in ("svd", "cholesky"):
            continue
        est = skreg.Ridge(alpha=alpha, solver=solver, tol=1e-12, max_iter=100_000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(X, y, sample_weight=sample_weight)
        assert np.all(np.isfinite(est.coef_))
        g = (Xd - xm).T @ (s * (y - ym - (Xd - xm) @ est.coef_)) - alpha * est.coef_
        ref = np.abs((Xd - xm).T @ (s * (y - ym))).max() + 1e-300
        assert np.abs(g).max() <= 1e-6 * ref, (solver, np.abs(g).max() / ref)


def _data(n=30, p=6, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p)
    return X, X @ rng.randn(p) + 0.5 * rng.randn(n) + 1.0


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_constant_and_zero_columns(l1_ratio):
    X, y = _data()
    X[:, 1] = 3.0
    X[:, 4] = 0.0
    est = _check_enet(X, y, alpha=0.05, l1_ratio=l1_ratio)
    assert est.coef_[1] == 0 and est.coef_[4] == 0
    _check_ridge(X, y, 1.0)


def test_duplicated_columns():
    X, y = _data()
    Xd = np.c_[X, X[:, :2], 2 * X[:, 0]]
    # Lasso: coefficients are not unique, the fit (Xw) is
    _check_enet(Xd, y, alpha=0.05, l1_ratio=1.0, compare="prediction")
    # ElasticNet: strictly convex, duplicated columns share their weight equally
    est = _check_enet(Xd, y, alpha=0.05, l1_ratio=0.5)
    np.testing.assert_allclose(est.coef_[:2], est.coef_[6:8], rtol=1e-4)
    _check_ridge(Xd, y, 1.0)


@pytest.mark.parametrize("y_value", [0.0, 5.0])
def test_constant_y(y_value):
    X, _ = _data()
    y = np.full(len(X), y_value)
    for E in (skreg.Lasso, skreg.ElasticNet, skreg.Ridge):
        est = E(alpha=0.1).fit(X, y)
        np.testing.assert_array_equal(est.coef_, 0.0)
        assert est.intercept_ == pytest.approx(y_value)
    for fn in (skreg.lasso_path, skreg.enet_path):
        alphas, coefs, gaps = fn(X, y, alphas=5, fit_intercept=True)
        assert np.all(np.isfinite(alphas)) and np.all(coefs == 0) and np.all(gaps == 0)
    # with an all-zero y the path grid degenerates like sklearn's (no division by zero)
    alphas, coefs, _ = skreg.lasso_path(X, np.zeros(len(X)), alphas=5)
    assert np.all(np.isfinite(alphas)) and np.all(coefs == 0)


def test_one_sample():
    X, y = _data(n=1, p=4)
    for E in (skreg.Lasso, skreg.ElasticNet, skreg.Ridge):
        est = E(alpha=0.1).fit(X, y)
        ref = getattr(sk, E.__name__)(alpha=0.1).fit(X, y)
        np.testing.assert_allclose(est.coef_, ref.coef_, atol=1e-12)
        np.testing.assert_allclose(est.predict(X), y, atol=1e-12)
    # without intercept there is something to fit
    _check_enet(X, y, alpha=0.1, l1_ratio=0.5, fit_intercept=False)
    _check_enet(X, y, alpha=0.1, l1_ratio=1.0, fit_intercept=False, compare="prediction")


@pytest.mark.parametrize("l1_ratio", [1.0, 0.3])
def test_one_feature(l1_ratio):
    X, y = _data(p=1)
    _check_enet(X, y, alpha=0.05, l1_ratio=l1_ratio)
    _check_ridge(X, y, 1.0)
    alphas, coefs, gaps = skreg.enet_path(X, y, l1_ratio=l1_ratio, alphas=10,
                                          fit_intercept=True)
    assert coefs.shape == (1, 10) and coefs[0, 0] == 0 and coefs[0, -1] != 0


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_alpha_at_and_above_alpha_max(l1_ratio):
    X, y = _data()
    amax = alpha_max(X, y, l1_ratio)
    for factor in (1.0, 1.0 + 1e-12, 2.0, 1e6, 1e300):
        est = skreg.ElasticNet(alpha=amax * factor, l1_ratio=l1_ratio).fit(X, y)
        np.testing.assert_array_equal(est.coef_, 0.0)
        assert est.intercept_ == pytest.approx(y.mean())
    est = skreg.ElasticNet(alpha=amax * (1 - 1e-3), l1_ratio=l1_ratio, tol=1e-12).fit(X, y)
    assert np.count_nonzero(est.coef_) >= 1
    # the path's first alpha is alpha_max: all zeros there, not after
    alphas, coefs, _ = skreg.enet_path(X, y, l1_ratio=l1_ratio, alphas=5, fit_intercept=True)
    assert alphas[0] == pytest.approx(amax, rel=1e-10)
    assert np.all(coefs[:, 0] == 0) and np.any(coefs[:, 1] != 0)


def test_alpha_zero_warns_like_sklearn():
    X, y = _data()
    for E in (skreg.Lasso, skreg.ElasticNet):
        with pytest.warns(UserWarning, match="alpha=0"):
            est = E(alpha=0.0).fit(X, y)
        ols = sk.LinearRegression().fit(X, y)
        np.testing.assert_allclose(est.coef_, ols.coef_, rtol=1e-8)
    # Ridge(alpha=0) is ordinary least squares, exactly (no warning, as in sklearn)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = skreg.Ridge(alpha=0.0).fit(X, y)
    np.testing.assert_allclose(est.coef_, ols.coef_, rtol=1e-8)


@pytest.mark.parametrize("alpha", [1e-6, 1e-10, 1e-14])
def test_alpha_to_zero(alpha):
    X, y = _data()
    ols = sk.LinearRegression().fit(X, y)
    for l1_ratio in (1.0, 0.5):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est = skreg.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-12,
                                   max_iter=100_000).fit(X, y)
        np.testing.assert_allclose(est.coef_, ols.coef_, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("scale", [1e-150, 1e-100, 1e-20, 1e20, 1e100, 1e150])
def test_feature_scales(scale):
    X, y = _data()
    with np.errstate(all="raise"):  # no overflow or division by zero in skreg's own numpy code
        _check_enet(X * scale, y, alpha=0.05, l1_ratio=0.5)
        _check_enet(X * scale, y, alpha=0.05, l1_ratio=1.0)
    _check_ridge(X * scale, y, 1.0 * scale**2)
    _check_ridge(sparse.csc_matrix(X * scale), y, 1.0 * scale**2)


def test_mixed_feature_scales():
    X, y = _data()
    X = X * np.logspace(-150, 150, X.shape[1])
    _check_enet(X, y, alpha=0.01, l1_ratio=1.0)
    _check_enet(X, y, alpha=0.01, l1_ratio=0.5)
    _check_ridge(X, y, 1e-3)
    _check_ridge(sparse.csr_matrix(X), y, 1e-3)


@pytest.mark.parametrize("scale", [1e-150, 1e-50, 1e50, 1e150])
def test_target_scales_lasso(scale):
    # the Lasso is homogeneous: (X, s y, s alpha) has the solution s w
    X, y = _data()
    ref = skreg.Lasso(alpha=0.05, tol=1e-12).fit(X, y)
    est = _check_enet(X, y * scale, alpha=0.05 * scale, l1_ratio=1.0)
    np.testing.assert_allclose(est.coef_ / scale, ref.coef_, rtol=1e-7, atol=1e-12)
    _check_ridge(X, y * scale, 1.0)
    _check_ridge(sparse.csc_matrix(X), y * scale, 1.0)


def test_extreme_sample_weights():
    X, y = _data()
    rng = np.random.RandomState(3)
    for sw in (np.full(len(y), 1e-300), np.full(len(y), 1e300),
               rng.uniform(0, 1, len(y)) * np.where(rng.rand(len(y)) < 0.5, 1e-200, 1e200),
               np.r_[np.zeros(len(y) - 3), np.ones(3)]):
        _check_enet(X, y, alpha=0.05, l1_ratio=0.5, sample_weight=sw, kkt_tol=1e-5)
        _check_ridge(X, y, 1.0, sample_weight=sw / sw.max())


def _layouts(X, tmp_path):
    ro = X.copy()
    ro.setflags(write=False)
    np.save(tmp_path / "F.npy", np.asfortranarray(X))
    np.save(tmp_path / "C.npy", np.ascontiguousarray(X))
    return {
        "C": np.ascontiguousarray(X), "F": np.asfortranarray(X),
        "strided rows": np.repeat(X, 2, axis=0)[::2],
        "strided cols": np.repeat(X, 3, axis=1)[:, ::3],
        "reversed": X[::-1][::-1],
        "read-only": ro,
        "memmap F": np.load(tmp_path / "F.npy", mmap_mode="r"),
        "memmap C": np.load(tmp_path / "C.npy", mmap_mode="r"),
    }


def test_array_layouts(tmp_path):
    """Non-contiguous, C- and F-ordered, read-only and memory-mapped X give the same answer and
    are never written to."""
    X, y = _data(50, 8)
    models = [lambda: skreg.ElasticNet(alpha=0.05, tol=1e-12),
              lambda: skreg.Lasso(alpha=0.05, tol=1e-12, fit_intercept=False),
              lambda: skreg.ElasticNet(alpha=0.05, tol=1e-12, precompute=True),
              lambda: skreg.Ridge(alpha=1.0), lambda: skreg.Ridge(solver="svd"),
              lambda: skreg.Ridge(solver="sag", tol=1e-12, fit_intercept=False),
              lambda: skreg.RidgeCV(), lambda: skreg.LassoCV(cv=3, alphas=5)]
    refs = [m().fit(X, y) for m in models]
    yro = y.copy()
    yro.setflags(write=False)
    for name, V in _layouts(X, tmp_path).items():
        before = np.array(V)
        for make, ref in zip(models, refs):
            est = make().fit(V, yro)
            np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-9, atol=1e-12,
                                       err_msg=name)
            np.testing.assert_allclose(est.predict(V), ref.predict(X), rtol=1e-9, atol=1e-10)
        for fn in (skreg.lasso_path, skreg.enet_path):
            for ci in (True, False):
                got = fn(V, yro, alphas=4, check_input=ci)[1]
                np.testing.assert_allclose(got, fn(X, y, alphas=4)[1], rtol=1e-9, atol=1e-12)
        np.testing.assert_array_equal(np.array(V), before)
    # copy_X=False never writes into the caller's X either
    Xc = np.asfortranarray(X)
    keep = Xc.copy()
    skreg.ElasticNet(alpha=0.05, copy_X=False).fit(Xc, y)
    skreg.Ridge(copy_X=False).fit(Xc, y)
    np.testing.assert_array_equal(Xc, keep)


def test_float32_large_n():
    rng = np.random.RandomState(0)
    n, p = 200_000, 20
    X = rng.randn(n, p).astype(np.float32)
    w = rng.randn(p).astype(np.float32)
    w[::3] = 0
    y = X @ w + rng.randn(n).astype(np.float32) + 3.0
    X64, y64 = X.astype(np.float64), y.astype(np.float64)
    for make in (lambda: skreg.Lasso(alpha=0.01), lambda: skreg.ElasticNet(alpha=0.01),
                 lambda: skreg.Ridge(alpha=10.0)):
        est = make().fit(X, y)
        assert est.coef_.dtype == np.float32
        assert np.all(np.isfinite(est.coef_))
        ref = make().fit(X64, y64)
        np.testing.assert_allclose(est.coef_, ref.coef_, rtol=0, atol=1e-4)
        assert abs(est.intercept_ - ref.intercept_) < 1e-4



def _large_mean_float32():
    """Sparse float32 data whose columns' means are 100 times their spread (a stored "year"
    column), one of them constant: implicit centring in float32 would cancel there."""
    rng = np.random.RandomState(0)
    n, p = 3000, 12
    X = rng.randn(n, p) + 100.0
    X[:, -1] = 50.0
    X[rng.rand(n, p) < 0.2] = 0.0  # (zeros too: the matrix stays sparse)
    X[:, :6] = rng.randn(n, 6) + 100.0
    w = np.r_[1.0, -2.0, 3.0, 0.5, np.zeros(p - 4)]
    y = X @ w + 0.5 * rng.randn(n)
    return sparse.csc_matrix(X.astype(np.float32)), y.astype(np.float32), X, y


@pytest.mark.parametrize("make", [
    lambda: skreg.Lasso(alpha=0.01), lambda: skreg.ElasticNet(alpha=0.01, l1_ratio=0.5),
    lambda: skreg.LassoCV(cv=3, alphas=10), lambda: skreg.Ridge(alpha=10.0),
    lambda: skreg.RidgeCV(alphas=[1.0, 10.0])], ids=["lasso", "enet", "lassocv", "ridge",
                                                      "ridgecv"])
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_float32_with_large_means(make, weighted):
    Xs, y32, X, y = _large_mean_float32()
    sw = np.random.RandomState(1).uniform(0.5, 2.0, X.shape[0]) if weighted else None
    est = make().fit(Xs, y32, sample_weight=sw)
    ref = make().fit(X, y, sample_weight=sw)
    assert est.coef_.dtype == np.float32
    assert np.asarray(est.intercept_).dtype == np.float32
    scale = np.abs(ref.coef_).max()
    # float32 data: agreement to float32's resolution of the problem, as for dense float32
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=0, atol=1e-4 * scale)


def test_sparse_float32_promoted_only_when_centring_cancels():
    Xs, y32, X, y = _large_mean_float32()
    assert _design.Design(Xs, y32).dtype == np.float64  # centred implicitly at a loss
    assert _design.Design(Xs, y32).result_dtype == np.float32
    assert _design.Design(Xs, y32, fit_intercept=False).dtype == np.float32  # no centring
    small = sparse.csc_matrix((X - 100.0).astype(np.float32))
    small.data[small.data == -100.0] = 0.0
    assert _design.Design(small, y32).dtype == np.float32
    a, coefs, _ = skreg.lasso_path(Xs, y32, fit_intercept=True, alphas=5)
    _, ref, _ = skreg.lasso_path(X, y, fit_intercept=True, alphas=a)
    assert coefs.dtype == np.float32
    np.testing.assert_allclose(coefs, ref, rtol=0, atol=1e-4 * np.abs(ref).max())
    Y32 = np.c_[y32, -y32]
    mt = skreg.MultiTaskLasso(alpha=0.01).fit(Xs, Y32)
    assert mt.coef_.dtype == np.float32 and mt.intercept_.dtype == np.float32
    mt_ref = skreg.MultiTaskLasso(alpha=0.01).fit(X, np.c_[y, -y])
    np.testing.assert_allclose(mt.coef_, mt_ref.coef_, rtol=0, atol=1e-4 * np.abs(ref).max())

def test_int_X_is_float64():
    X, y = _data()
    Xi = np.round(5 * X).astype(np.int32)
    for E in (skreg.Lasso, skreg.ElasticNet, skreg.Ridge):
        a = E(alpha=0.1).fit(Xi, y)
        b = E(alpha=0.1).fit(Xi.astype(np.float64), y)
        assert a.coef_.dtype == np.float64
        np.testing.assert_array_equal(a.coef_, b.coef_)


# ------------------------------------------------------------------------------------------------
# The last line of defence before the kernels
# ------------------------------------------------------------------------------------------------

def test_kernel_guard_rejects_wrong_buffers():
    """`solve` checks every per-feature buffer before entering a kernel (which trusts them and
    has no bounds checks): a wrong length, dtype or layout is a ValueError, not a heap
    corruption. (A too-short coef_init used to corrupt the heap in enet_path.)"""
    X, y = _data()
    for precompute in (False, True):
        for Xf in (X, sparse.csc_matrix(X)):
            design = _design.Design(Xf, y, precompute=precompute)
            p = design.n_features
            penalty = _solve.penalty_arrays(p, design.dtype, 0.1, 1.0, design.n_samples)
            for w in (np.zeros(p - 2), np.zeros(p + 1), np.zeros(p, dtype=np.float32),
                      np.zeros(2 * p)[::2]):
                with pytest.raises(ValueError, match="Internal error"):
                    _solve.cd_solve(design, 0, w, penalty, tol=1e-4, max_iter=10)
            bad = (penalty[0][:-1],) + penalty[1:]
            with pytest.raises(ValueError, match="Internal error"):
                _solve.cd_solve(design, 0, np.zeros(p), bad, tol=1e-4, max_iter=10)
            w = np.zeros(p)
            w.setflags(write=False)
            with pytest.raises(ValueError, match="read-only"):
                _solve.cd_solve(design, 0, w, penalty, tol=1e-4, max_iter=10)


def test_warm_start_with_changed_shapes():
    X, y = _data()
    est = skreg.ElasticNet(alpha=0.1, warm_start=True).fit(X, y)
    est.fit(X[:, :3], y)  # fewer features: a cold start, not a stale buffer
    ref = skreg.ElasticNet(alpha=0.1).fit(X[:, :3], y)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-6, atol=1e-8)
    est.fit(X, np.c_[y, -y])  # two targets
    np.testing.assert_allclose(est.coef_[0], -est.coef_[1], rtol=1e-6, atol=1e-8)
    est.coef_ = np.full(X.shape[1], np.nan)  # a corrupted warm start is not trusted
    est.fit(X, y)
    assert np.all(np.isfinite(est.coef_))


def test_zero_penalty_with_bounds_converges():
    X, y = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        est = skreg.Ridge(alpha=0.0, positive=True).fit(X, y)
    ref = sk.Ridge(alpha=0.0, positive=True).fit(X, y)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-6, atol=1e-8)
    assert est.n_iter_[0] < 1000


def test_unvalidated_nan_does_not_crash_or_hang():
    """check_input=False is the caller's promise; broken, it must still neither crash nor hang:
    NaN reaches the kernel, which stops, and the non-finite gap is reported as not converged."""
    X, y = _data()
    X[0, 0] = np.nan
    X = np.asfortranarray(X)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        try:
            _, coefs, gaps = skreg.lasso_path(X, y, alphas=3, check_input=False)
        except ValueError:
            return
    assert any(issubclass(r.category, ConvergenceWarning) for r in rec) or \
        np.all(np.isfinite(coefs))


def test_parameter_validation_is_remembered_only_for_values_that_passed():
    """Fits skip re-validating a parameter combination that already passed; anything new,
    including a value equal to a valid one but of another type, is still validated."""
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = np.random.default_rng(0).normal(size=(20, 3)), np.arange(20.0)
    est = skreg.Lasso(alpha=0.1).fit(X, y)
    est.fit(X, y)  # the remembered combination
    for bad in (dict(alpha=-0.1), dict(alpha="0.1"), dict(selection="shuffle"),
                dict(max_iter=1.5), dict(tol=-1.0)):
        with pytest.raises(InvalidParameterError):
            skreg.Lasso(**{**dict(alpha=0.1), **bad}).fit(X, y)
    est.set_params(alpha=-1.0)
    with pytest.raises(InvalidParameterError):
        est.fit(X, y)
    # unhashable values (arrays) are validated every time
    skreg.ElasticNet(penalty_factor=np.ones(3)).fit(X, y)
    with pytest.raises((InvalidParameterError, ValueError)):
        skreg.ElasticNet(penalty_factor=-np.ones(3)).fit(X, y)
    # the signature cache gives what BaseEstimator would
    from sklearn.base import BaseEstimator
    for cls in (skreg.Lasso, skreg.ElasticNet, skreg.Ridge, skreg.RidgeCV):
        assert cls._get_param_names() == BaseEstimator._get_param_names.__func__(cls)


# ------------------------------------------------------------------------------------------------
# the parameter-validation cache keeps no user object alive
# ------------------------------------------------------------------------------------------------


def test_validation_cache_holds_no_user_object():
    import gc
    import weakref

    from sklearn.utils._param_validation import InvalidParameterError

    from skreg import _linear

    X, y = _data()

    class Seed:  # stands for any user object with a life of its own
        pass

    rs = np.random.RandomState(0)
    skreg.Lasso(alpha=0.1, selection="random", random_state=rs).fit(X, y)

    class MyLasso(skreg.Lasso):
        pass
    MyLasso(alpha=0.1).fit(X, y)
    assert MyLasso in _linear._VALIDATED  # cached, weakly
    dead = weakref.ref(MyLasso)
    del MyLasso
    gc.collect()
    assert dead() is None
    for passed in _linear._VALIDATED.values():
        for key in passed:
            for _, kind, value in key:
                assert kind in (type(None), bool, int, float, str, tuple, np.ndarray) \
                    or issubclass(kind, np.generic), kind
                if kind is np.ndarray:  # a small numeric array, kept as a copy of its bytes
                    dtype, shape, data = value
                    assert type(data) is bytes and np.dtype(dtype).kind in "biuf"
    # a RandomState is validated each time (and not remembered)
    assert all(v is not rs for p in _linear._VALIDATED.values() for k in p for _, _, v in k)
    # the cache never lets a bad value through, nor confuses True with 1
    skreg.Lasso(alpha=0.1, fit_intercept=True).fit(X, y)
    with pytest.raises(InvalidParameterError, match="fit_intercept"):
        skreg.Lasso(alpha=0.1, fit_intercept=1).fit(X, y)
    with pytest.raises(InvalidParameterError, match="random_state"):
        skreg.Lasso(alpha=0.1, random_state=Seed()).fit(X, y)
    # numpy scalars are remembered by value and type, and a bad one is still refused
    skreg.Lasso(alpha=np.float64(0.1)).fit(X, y)
    assert any(("alpha", np.float64, 0.1) in key for key in _linear._VALIDATED[skreg.Lasso])
    with pytest.raises(InvalidParameterError, match="alpha"):
        skreg.Lasso(alpha=np.float64(-0.1)).fit(X, y)
    with pytest.raises(InvalidParameterError, match="fit_intercept"):
        skreg.Lasso(alpha=0.1, fit_intercept=np.int64(1)).fit(X, y)
    # an array is remembered by a copy of its values: changing it in place is seen
    grid = np.logspace(-2, 2, 5)
    skreg.RidgeCV(alphas=grid).fit(X, y)
    grid[0] = -1.0
    with pytest.raises(ValueError, match="alphas"):
        skreg.RidgeCV(alphas=grid).fit(X, y)
