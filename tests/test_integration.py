"""skreg's estimators inside scikit-learn machinery, and input handling."""

import pickle
import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk
from conftest import make_data, to_format
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._testing import create_memmap_backed_data

import skreg

ESTIMATORS = {"Lasso": {}, "ElasticNet": {"l1_ratio": 0.3}}


def _pair(name, **kw):
    kw = {**ESTIMATORS[name], **kw}
    return getattr(skreg, name)(**kw), getattr(sk, name)(**kw)


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)


# --------------------------------------------------------------------------------------------
# Model selection


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_grid_search_pipeline_matches_sklearn(diabetes, name):
    X, y = diabetes
    grid = {f"{name.lower()}__alpha": np.geomspace(1e-3, 3.0, 8)}
    results = []
    for est in _pair(name, tol=1e-10, max_iter=100_000):
        search = GridSearchCV(make_pipeline(StandardScaler(), est), grid,
                              cv=KFold(5, shuffle=True, random_state=0), scoring="r2")
        search.fit(X, y)
        results.append(search)
    ours, ref = results
    assert ours.best_params_ == ref.best_params_
    assert_allclose(ours.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"],
                    rtol=1e-6, atol=1e-9)
    assert_array_equal(ours.cv_results_["rank_test_score"], ref.cv_results_["rank_test_score"])
    assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-6, atol=1e-6)


def test_grid_search_default_tol_same_choice(diabetes):
    # at the default tol both are only certified to tol; the selection is the same
    X, y = diabetes
    grid = {"lasso__alpha": np.geomspace(1e-3, 3.0, 8)}
    scores = []
    for est in _pair("Lasso"):
        search = GridSearchCV(make_pipeline(StandardScaler(), est), grid, cv=5).fit(X, y)
        scores.append(search)
    assert scores[0].best_params_ == scores[1].best_params_
    assert_allclose(scores[0].cv_results_["mean_test_score"],
                    scores[1].cv_results_["mean_test_score"], rtol=1e-3)


def test_cross_val_score_parallel(diabetes):
    X, y = diabetes
    ours = cross_val_score(skreg.ElasticNet(alpha=0.01, tol=1e-10), X, y, cv=4, n_jobs=2)
    ref = cross_val_score(sk.ElasticNet(alpha=0.01, tol=1e-10), X, y, cv=4, n_jobs=2)
    assert_allclose(ours, ref, rtol=1e-6)


# --------------------------------------------------------------------------------------------
# Estimator API


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_clone_and_params(name):
    est = getattr(skreg, name)(alpha=0.3, positive=True, selection="random", random_state=3,
                               tol=1e-6, max_iter=77, warm_start=True, precompute=True)
    X, y, _ = make_data(30, 8, seed=0)
    est.fit(X, y)
    c = clone(est)
    assert c.get_params() == est.get_params()
    assert not hasattr(c, "coef_")
    with pytest.raises(NotFittedError):
        c.predict(X)
    # same constructor parameters as scikit-learn's estimator
    # skreg adds glmnet-style options (defaults keep scikit-learn's model) to sklearn's params
    assert set(getattr(sk, name)().get_params()) <= set(est.get_params())
    assert c.set_params(alpha=2.0) is c and c.alpha == 2.0


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_pickle_round_trip(name, fmt):
    X, y, sw = make_data(40, 12, seed=1)
    Xf = to_format(X, fmt)
    est = getattr(skreg, name)(alpha=0.05).fit(Xf, y, sample_weight=sw)
    est2 = pickle.loads(pickle.dumps(est))
    assert_array_equal(est2.predict(Xf), est.predict(Xf))
    assert_array_equal(est2.coef_, est.coef_)
    assert est2.intercept_ == est.intercept_
    assert est2.get_params() == est.get_params()
    assert est2.n_iter_ == est.n_iter_ and est2.dual_gap_ == est.dual_gap_
    # refitting the unpickled estimator gives the same model
    est2.fit(Xf, y, sample_weight=sw)
    assert_allclose(est2.coef_, est.coef_, rtol=1e-12)


def test_fitted_attributes_like_sklearn():
    X, y, _ = make_data(40, 12, seed=2)
    Y = np.c_[y, -y + X[:, 0]]
    for yy in (y, Y):
        for name in ESTIMATORS:
            ours, ref = _pair(name, alpha=0.05)
            ours.fit(X, yy)
            ref.fit(X, yy)
            for attr in ("coef_", "intercept_", "dual_gap_", "n_iter_", "n_features_in_"):
                assert np.shape(getattr(ours, attr)) == np.shape(getattr(ref, attr)), attr
            assert type(ours.n_features_in_) is type(ref.n_features_in_)
            assert not hasattr(ours, "feature_names_in_")
            assert_allclose(ours.score(X, yy), ref.score(X, yy), rtol=1e-4)


def test_predict_wrong_number_of_features():
    X, y, _ = make_data(30, 6, seed=3)
    est = skreg.Lasso(alpha=0.1).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        est.predict(X[:, :5])


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_inputs_not_modified(name):
    X, y, sw = make_data(40, 10, seed=4)
    X0, y0, sw0 = X.copy(), y.copy(), sw.copy()
    for fmt in ("dense", "csc"):
        Xf = to_format(X, fmt)
        Xf0 = Xf.copy()
        for precompute in (False, True):
            getattr(skreg, name)(alpha=0.01, precompute=precompute).fit(
                Xf, y, sample_weight=sw)
        if fmt == "dense":
            assert_array_equal(Xf, X0)
        else:
            assert_array_equal(Xf.toarray(), Xf0.toarray())
    assert_array_equal(X, X0)
    assert_array_equal(y, y0)
    assert_array_equal(sw, sw0)


def test_copy_X_false_gives_same_solution():
    X, y, _ = make_data(40, 10, seed=5)
    ref = skreg.Lasso(alpha=0.05, tol=1e-12).fit(X, y)
    Xf = np.asfortranarray(X.copy())
    est = skreg.Lasso(alpha=0.05, tol=1e-12, copy_X=False).fit(Xf, y)
    assert_allclose(est.coef_, ref.coef_, rtol=1e-10)


# --------------------------------------------------------------------------------------------
# Warm start


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_warm_start(name):
    X, y, _ = make_data(50, 30, seed=6)
    # tol=1e-14: ElasticNet solutions are certified to ~1e-6 only below ~1e-12
    kw = dict(tol=1e-14, max_iter=100_000, **ESTIMATORS[name])
    est = getattr(skreg, name)(alpha=0.1, warm_start=True, **kw).fit(X, y)
    assert est.n_iter_ > 1
    # refit at the same alpha from the solution: (almost) no work
    n_iter_cold = est.n_iter_
    coef = est.coef_.copy()
    est.fit(X, y)
    assert est.n_iter_ <= max(n_iter_cold, 1)
    assert_allclose(est.coef_, coef, rtol=1e-7, atol=1e-10)
    # along a decreasing sequence of alphas: same result as cold fits
    for alpha in (0.05, 0.02, 0.01):
        est.set_params(alpha=alpha).fit(X, y)
        cold = getattr(skreg, name)(alpha=alpha, **kw).fit(X, y)
        scale = np.abs(cold.coef_).max()
        assert_allclose(est.coef_, cold.coef_, rtol=0, atol=1e-6 * scale)
        assert_allclose(est.intercept_, cold.intercept_, rtol=0, atol=1e-6 * scale)


def test_warm_start_with_new_shape_starts_from_zero():
    X, y, _ = make_data(50, 10, seed=7)
    est = skreg.Lasso(alpha=0.05, warm_start=True, tol=1e-12).fit(X, y)
    est.fit(X[:, :6], y)
    cold = skreg.Lasso(alpha=0.05, tol=1e-12).fit(X[:, :6], y)
    assert est.coef_.shape == (6,)
    assert_allclose(est.coef_, cold.coef_, rtol=1e-8, atol=1e-12)
    # 1-D -> 2-D target
    Y = np.c_[y, y]
    est.fit(X[:, :6], Y)
    assert est.coef_.shape == (2, 6)
    assert_allclose(est.coef_[1], est.coef_[0], rtol=1e-8, atol=1e-12)
    assert_allclose(est.coef_[0], cold.coef_, rtol=1e-8, atol=1e-12)


# --------------------------------------------------------------------------------------------
# Attributes and warnings


def test_feature_names_in_with_dataframe():
    pd = pytest.importorskip("pandas")
    X, y, _ = make_data(40, 5, seed=8)
    cols = [f"f{i}" for i in range(5)]
    df = pd.DataFrame(X, columns=cols)
    for name in ESTIMATORS:
        ours, ref = _pair(name, alpha=0.05)
        ours.fit(df, pd.Series(y))
        ref.fit(df, pd.Series(y))
        assert_array_equal(ours.feature_names_in_, np.array(cols, dtype=object))
        assert ours.feature_names_in_.dtype == ref.feature_names_in_.dtype
        # fitted on names, predicting on an array: the same warning as scikit-learn
        with pytest.warns(UserWarning, match="feature names"):
            pred_array = ours.predict(X)
        assert_allclose(ours.predict(df), pred_array)
        # predicting with other column names: the same error as scikit-learn
        bad = df.rename(columns={"f0": "zzz"})
        with pytest.raises(ValueError, match="feature names"):
            ref.predict(bad)
        with pytest.raises(ValueError, match="feature names"):
            ours.predict(bad)


@pytest.mark.parametrize("fmt", ["dense", "csc"])
def test_sparse_coef(fmt):
    X, y, _ = make_data(40, 15, seed=9)
    Xf = to_format(X, fmt)
    for yy in (y, np.c_[y, -y]):
        ours, ref = _pair("ElasticNet", alpha=0.1)
        ours.fit(Xf, yy)
        ref.fit(Xf, yy)
        sc, rc = ours.sparse_coef_, ref.sparse_coef_
        assert sparse.issparse(sc)
        assert sc.shape == rc.shape
        assert sc.format == rc.format
        assert_array_equal(sc.toarray(), np.atleast_2d(ours.coef_))
        assert sc.nnz == np.count_nonzero(ours.coef_)


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_convergence_warning(name):
    X, y, _ = make_data(40, 30, seed=10)
    ours, ref = _pair(name, alpha=1e-3, max_iter=1, tol=1e-15)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        ref.fit(X, y)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        ours.fit(X, y)
    assert ours.n_iter_ == 1
    assert ours.dual_gap_ > 0
    # the path functions warn as well
    with pytest.warns(ConvergenceWarning):
        skreg.lasso_path(X, y, alphas=[1e-3], max_iter=1, tol=1e-15)


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_alpha_zero_warns_like_sklearn(name):
    X, y, _ = make_data(60, 5, density=1.0, seed=11)
    ours, ref = _pair(name, alpha=0.0, tol=1e-10, max_iter=10_000)

    def user_warnings(est):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            est.fit(X, y)
        return [str(w.message) for w in rec if w.category is UserWarning]

    msgs_ref = user_warnings(ref)
    msgs_ours = user_warnings(ours)
    assert any("alpha=0" in m for m in msgs_ref)
    assert [m for m in msgs_ours if "alpha=0" in m] == [m for m in msgs_ref if "alpha=0" in m]
    # alpha=0 is ordinary least squares on this well-posed problem (skreg stops on
    # ||X^T r||^2 <= tol ||y||^2 there, scikit-learn on its gap: compare predictions)
    ols = sk.LinearRegression().fit(X, y)
    assert_allclose(ours.coef_, ols.coef_, rtol=1e-5)
    assert_allclose(ours.predict(X), ols.predict(X), rtol=0, atol=1e-5 * np.std(y))


def test_alpha_zero_small_scale_features_converge():
    rng = np.random.RandomState(0)
    n, p = 100, 5
    X = rng.randn(n, 1) + 0.05 * rng.randn(n, p)  # correlated columns
    y = X @ np.array([1.0, -1, 2, 0.5, -2]) + 0.1 * rng.randn(n)
    X = X * 1e-2
    ols = sk.LinearRegression().fit(X, y)

    def subopt(est):
        r, r0 = y - est.predict(X), y - ols.predict(X)
        return (r @ r - r0 @ r0) / (2 * n)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ref = sk.Lasso(alpha=0.0, tol=1e-4, max_iter=100_000).fit(X, y)
        ours = skreg.Lasso(alpha=0.0, tol=1e-4, max_iter=100_000).fit(X, y)
    bound = 1e-4 * np.var(y)  # tol * ||y - mean||^2 / n
    assert subopt(ref) <= bound
    assert subopt(ours) <= bound


def test_invalid_params_raise_like_sklearn():
    X, y, _ = make_data(20, 4, seed=12)
    for params in ({"alpha": -1.0}, {"l1_ratio": 1.5}, {"selection": "bogus"},
                   {"max_iter": 0}, {"tol": -1.0}):
        ours = skreg.ElasticNet(**params)
        ref = sk.ElasticNet(**params)
        with pytest.raises(ValueError) as e_ref:
            ref.fit(X, y)
        with pytest.raises(ValueError) as e_ours:
            ours.fit(X, y)
        assert type(e_ours.value) is type(e_ref.value)


# --------------------------------------------------------------------------------------------
# Input layouts


@pytest.mark.parametrize("precompute", [False, True])
@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_readonly_memmap(name, precompute, tmp_path):
    X, y, sw = make_data(40, 12, seed=13)
    Xm, ym, swm = create_memmap_backed_data([X, y, sw])
    assert isinstance(Xm, np.memmap) and not Xm.flags.writeable
    kw = dict(alpha=0.05, tol=1e-12, precompute=precompute)
    ours = getattr(skreg, name)(**kw).fit(Xm, ym, sample_weight=swm)
    ref = getattr(skreg, name)(**kw).fit(X, y, sample_weight=sw)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-10, atol=1e-14)
    assert_allclose(ours.predict(Xm), ref.predict(X), rtol=1e-10)
    # Fortran-ordered read-only memmap, no intercept: the array is used as is
    Xf = np.asfortranarray(X)
    path = tmp_path / "X.dat"
    mm = np.memmap(path, dtype=X.dtype, mode="w+", shape=X.shape, order="F")
    mm[:] = Xf
    mm.flush()
    ro = np.memmap(path, dtype=X.dtype, mode="r", shape=X.shape, order="F")
    ours = getattr(skreg, name)(fit_intercept=False, **kw).fit(ro, y)
    ref = getattr(skreg, name)(fit_intercept=False, **kw).fit(Xf, y)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-10, atol=1e-14)


def test_readonly_sparse():
    X, y, _ = make_data(40, 12, density=0.3, seed=14)
    Xs = sparse.csc_matrix(X)
    for arr in (Xs.data, Xs.indices, Xs.indptr):
        arr.flags.writeable = False
    y = y.copy()
    y.flags.writeable = False
    ours = skreg.Lasso(alpha=0.05, tol=1e-12).fit(Xs, y)
    ref = skreg.Lasso(alpha=0.05, tol=1e-12).fit(X, y)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_layouts_and_int_X_agree(name, fit_intercept):
    rng = np.random.RandomState(15)
    Xi = rng.randint(-5, 6, size=(40, 24))
    y = Xi[:, :3] @ np.array([1.0, -2.0, 0.5]) + rng.randn(40)
    X_F = np.asfortranarray(Xi, dtype=np.float64)
    kw = dict(alpha=0.05, fit_intercept=fit_intercept, tol=1e-14, max_iter=100_000,
              **ESTIMATORS[name])
    ref = getattr(skreg, name)(**kw).fit(X_F, y)
    sk_ref = getattr(sk, name)(**kw).fit(X_F, y)
    wide = np.zeros((40, 48))
    wide[:, ::2] = X_F
    inputs = {
        "C": np.ascontiguousarray(X_F),
        "int": Xi,
        "int32-F": np.asfortranarray(Xi.astype(np.int32)),
        "non-contiguous-cols": wide[:, ::2],
        "non-contiguous-rows": np.repeat(X_F, 2, axis=0)[::2],
        "list": X_F.tolist(),
    }
    assert not inputs["non-contiguous-cols"].flags.c_contiguous
    assert not inputs["non-contiguous-cols"].flags.f_contiguous
    for label, Xin in inputs.items():
        est = getattr(skreg, name)(**kw).fit(Xin, y)
        assert est.coef_.dtype == np.float64, label
        assert_allclose(est.coef_, ref.coef_, rtol=1e-9, atol=1e-12, err_msg=label)
        assert_allclose(est.intercept_, ref.intercept_, rtol=1e-9, atol=1e-12, err_msg=label)
    rel = np.abs(ref.coef_ - sk_ref.coef_).max() / np.abs(sk_ref.coef_).max()
    assert rel <= 1e-6
    # y as a non-contiguous column, and int y
    Y2 = np.c_[y, y]
    est = getattr(skreg, name)(**kw).fit(X_F, Y2[:, 0])
    assert_allclose(est.coef_, ref.coef_, rtol=1e-9, atol=1e-12)
    yi = np.round(y).astype(int)
    est = getattr(skreg, name)(**kw).fit(X_F, yi)
    assert_allclose(est.coef_, getattr(skreg, name)(**kw).fit(X_F, yi.astype(float)).coef_,
                    rtol=1e-12)


@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("precompute", ["auto", True, False])
def test_c_ordered_x_gives_the_fortran_results_without_a_fortran_copy(precompute,
                                                                      fit_intercept):
    # The kernels read Fortran-ordered columns; a C-ordered X is converted in the same pass as
    # its centring, and not at all when only its Gram matrix is read. Same answers either way.
    from skreg._input import make_design
    rng = np.random.RandomState(3)
    X_C = rng.randn(120, 15) + 3.0
    y = X_C[:, :4] @ np.array([1.0, -2.0, 0.5, 3.0]) + rng.randn(120)
    X_F = np.asfortranarray(X_C)
    before = X_C.copy()
    kw = dict(precompute=precompute, tol=1e-12, max_iter=100_000)
    for l1_ratio in (1.0, 0.5):
        ref = skreg.enet_path(X_F, y, l1_ratio=l1_ratio, alphas=8, fit_intercept=fit_intercept,
                              **kw)
        got = skreg.enet_path(X_C, y, l1_ratio=l1_ratio, alphas=8, fit_intercept=fit_intercept,
                              **kw)
        assert_allclose(got[0], ref[0], rtol=1e-12)
        assert_allclose(got[1], ref[1], rtol=1e-8, atol=1e-10 * np.abs(ref[1]).max())
        est = skreg.ElasticNet(alpha=0.05, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                               **{**kw, "precompute": precompute is True})
        a, b = clone(est).fit(X_C, y), clone(est).fit(X_F, y)
        assert_allclose(a.coef_, b.coef_, rtol=1e-8, atol=1e-10 * np.abs(b.coef_).max())
        assert_allclose(a.intercept_, b.intercept_, rtol=1e-8, atol=1e-10)
    assert_array_equal(X_C, before)  # never written to
    design = make_design(X_C, y, fit_intercept=fit_intercept, precompute=precompute)
    if design.kind == "dense":
        assert design.X.flags.f_contiguous
    elif not fit_intercept:
        assert np.shares_memory(design.X, X_C)  # the Gram matrix needed no copy of X


@pytest.mark.parametrize("weighted", [False, True])
def test_float32_c_ordered_x_with_large_means_centred_accurately(weighted):
    # The column means are accumulated in float64: a C-ordered float32 X is summed row after
    # row, and in float32 those sums drift by more than the columns' spread.
    rng = np.random.RandomState(0)
    X64 = rng.randn(200_000, 4) + 1e4
    y = (X64 - 1e4) @ np.array([1.0, -2.0, 0.0, 0.5]) + 0.1 * rng.randn(200_000)
    X_C = np.ascontiguousarray(X64, dtype=np.float32)
    sw = rng.uniform(0.5, 2.0, len(y)) if weighted else None
    ref = skreg.Lasso(alpha=0.01, tol=1e-8).fit(X_C.astype(np.float64), y, sample_weight=sw)
    for X in (X_C, np.asfortranarray(X_C)):
        est = skreg.Lasso(alpha=0.01, tol=1e-6, max_iter=100_000).fit(X, y, sample_weight=sw)
        assert_allclose(est.coef_, ref.coef_, atol=1e-3)  # (float32 sums over 2e5 rows)
        assert est.coef_[2] == 0
    kw = dict(alphas=[0.01], fit_intercept=True, sample_weight=sw, max_iter=100_000)
    path = skreg.enet_path(X_C, np.c_[y, y], tol=1e-6, **kw)[1]  # (the multi-task problem)
    ref = skreg.enet_path(X_C.astype(np.float64), np.c_[y, y], tol=1e-8, **kw)[1]
    assert_allclose(path, ref, atol=1e-3)


@pytest.mark.parametrize("precompute", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_masked_array_taken_as_its_data_without_check(precompute, fit_intercept):
    rng = np.random.RandomState(1)
    X = np.asfortranarray(rng.randn(40, 6))
    y = X[:, 0] - X[:, 1] + 0.1 * rng.randn(40)
    Xm = np.ma.masked_array(X, mask=np.zeros_like(X, dtype=bool))
    for data in (X, np.ascontiguousarray(X)):
        ref = skreg.lasso_path(data, y, alphas=4, precompute=precompute,
                               fit_intercept=fit_intercept)
        got = skreg.lasso_path(np.ma.masked_array(data), y, alphas=4, precompute=precompute,
                               fit_intercept=fit_intercept, check_input=False)
        assert_allclose(got[1], ref[1], rtol=1e-10, atol=1e-12)
    ref = skreg.Lasso(alpha=0.05, precompute=precompute, fit_intercept=fit_intercept).fit(X, y)
    got = skreg.Lasso(alpha=0.05, precompute=precompute, fit_intercept=fit_intercept).fit(
        Xm, y, check_input=False)
    assert_allclose(got.coef_, ref.coef_, rtol=1e-10, atol=1e-12)


def test_float32_sparse_and_int_sparse():
    X, y, _ = make_data(40, 12, density=0.3, seed=16)
    Xs = sparse.csr_matrix(np.round(X * 3).astype(np.int64))
    est = skreg.Lasso(alpha=0.05, tol=1e-12).fit(Xs, y)
    ref = skreg.Lasso(alpha=0.05, tol=1e-12).fit(Xs.toarray().astype(float), y)
    assert est.coef_.dtype == np.float64
    assert_allclose(est.coef_, ref.coef_, rtol=1e-8, atol=1e-12)
    est32 = skreg.Lasso(alpha=0.05, tol=1e-6).fit(Xs.astype(np.float32), y.astype(np.float32))
    assert est32.coef_.dtype == np.float32
    assert_allclose(est32.coef_, ref.coef_, rtol=1e-3, atol=1e-3 * np.abs(ref.coef_).max())


def test_large_index_sparse():
    # int64 indices (accept_large_sparse=True) give the same solution
    X, y, _ = make_data(40, 12, density=0.3, seed=17)
    Xs = sparse.csc_matrix(X)
    X64 = Xs.copy()
    X64.indices = X64.indices.astype(np.int64)  # scipy would downcast in the constructor
    X64.indptr = X64.indptr.astype(np.int64)
    assert X64.indices.dtype == np.int64
    a = skreg.Lasso(alpha=0.05, tol=1e-12).fit(X64, y)
    b = skreg.Lasso(alpha=0.05, tol=1e-12).fit(Xs, y)
    assert_allclose(a.coef_, b.coef_, rtol=1e-12)


def test_scalar_and_uniform_sample_weight():
    X, y, _ = make_data(40, 12, seed=18)
    ref = skreg.ElasticNet(alpha=0.05, tol=1e-12).fit(X, y)
    for sw in (3.0, np.full(40, 2.5)):
        est = skreg.ElasticNet(alpha=0.05, tol=1e-12).fit(X, y, sample_weight=sw)
        assert_allclose(est.coef_, ref.coef_, rtol=1e-8, atol=1e-12)
    # zero weights drop rows
    sw = np.ones(40)
    sw[:10] = 0
    a = skreg.ElasticNet(alpha=0.05, tol=1e-12).fit(X, y, sample_weight=sw)
    b = skreg.ElasticNet(alpha=0.05, tol=1e-12).fit(X[10:], y[10:])
    assert_allclose(a.coef_, b.coef_, rtol=1e-7, atol=1e-10)
    assert_allclose(a.intercept_, b.intercept_, rtol=1e-8)


# --------------------------------------------------------------------------------------------
# Drop-in divergences found while writing these tests


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_column_vector_y_shapes_like_sklearn(name):
    X, y, _ = make_data(30, 5, seed=19)
    ours, ref = _pair(name, alpha=0.1)
    ours.fit(X, y[:, None])
    ref.fit(X, y[:, None])
    for attr in ("coef_", "intercept_", "dual_gap_", "n_iter_"):
        assert np.shape(getattr(ours, attr)) == np.shape(getattr(ref, attr)), attr
    assert ours.predict(X).shape == ref.predict(X).shape


def test_path_staticmethods_like_sklearn():
    X, y, _ = make_data(30, 6, seed=20)
    assert hasattr(sk.Lasso, "path") and hasattr(sk.ElasticNet, "path")
    # as in scikit-learn, both estimators' `path` is enet_path (l1_ratio=0.5 by default)
    for name, fn in (("Lasso", skreg.enet_path), ("ElasticNet", skreg.enet_path)):
        got = getattr(skreg, name).path(X, y, alphas=5)
        want = fn(X, y, alphas=5)
        assert_array_equal(got[0], want[0])
        assert_array_equal(got[1], want[1])
