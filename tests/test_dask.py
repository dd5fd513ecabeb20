"""skreg on dask arrays: fits from per-chunk statistics on a (loopback) dask.distributed cluster,
checked against the in-memory fit of the same data (computed here only as the reference)."""

import subprocess
import sys

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone

pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")

import skreg  # noqa: E402
from skreg import (  # noqa: E402
    ChunkKFold,
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    PathSearchCV,
    Ridge,
    RidgeCV,
    config_context,
    enet_path,
    lasso_path,
)
from skreg import _dask_data as _dask  # noqa: E402

TOL = 1e-10  # solver tolerance of the comparisons: both fits certify this duality gap


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def make(n=12_000, p=15, chunk=1_000, *, seed=0, n_targets=1, dtype=np.float64):
    """Lazy X (offset, correlated columns), y and weights from random chunks."""
    rs = da.random.RandomState(seed)
    Z = rs.normal(size=(n, p), chunks=(chunk, p))
    X = (Z + 0.5 * Z[:, :1] + 2.0).astype(dtype)
    W = np.zeros((p, n_targets))
    W[:4] = np.random.RandomState(seed).randn(4, n_targets) * 2
    Y = Z @ W + rs.normal(size=(n, n_targets), chunks=(chunk, n_targets)) * 2 + 1.0
    y = Y[:, 0] if n_targets == 1 else Y
    sw = rs.uniform(0.1, 3.0, size=n, chunks=chunk)
    return X, y, sw


def local(*arrays):
    return [None if a is None else np.asarray(a.compute()) for a in arrays]


def test_import_does_not_import_dask():
    code = "import sys, skreg; assert not [m for m in sys.modules if m.startswith('dask')]"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("model", [Lasso(alpha=0.05), ElasticNet(alpha=0.05, l1_ratio=0.4)])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_fit_matches_in_memory(client, model, weighted, fit_intercept):
    X, y, sw = make()
    sw = sw if weighted else None
    Xc, yc, swc = local(X, y, sw)
    model = model.set_params(fit_intercept=fit_intercept, tol=TOL)
    ref = clone(model).fit(Xc, yc, sample_weight=swc)
    model.fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(model.coef_, ref.coef_, rtol=0, atol=1e-7)
    np.testing.assert_allclose(model.intercept_, ref.intercept_, rtol=0, atol=1e-7)
    assert model.dual_gap_ <= TOL * np.var(yc) * 2
    assert model.n_features_in_ == X.shape[1]


def test_data_never_reaches_the_client(client, monkeypatch):
    X, y, sw = make(seed=12)

    def refuse(*args, **kwargs):
        raise AssertionError("a dask array was converted to numpy on the client")

    monkeypatch.setattr(da.Array, "__array__", refuse)
    Lasso(alpha=0.1).fit(X, y, sample_weight=sw)
    LassoCV(cv=3, alphas=5).fit(X, y, sample_weight=sw)
    Ridge().fit(X, y, sample_weight=sw)
    RidgeCV().fit(X, y, sample_weight=sw)
    enet_path(X, y, alphas=5)
    with pytest.raises(AssertionError, match="converted"):  # the guard is live
        np.asarray(X)


@pytest.mark.parametrize("options", [
    dict(standardize=True), dict(standardize=True, fit_intercept=False),
    dict(relax=True, gamma=0.5), dict(penalty_factor=np.r_[0.0, np.ones(14)])])
def test_glmnet_options(client, options):
    X, y, sw = make(seed=13)
    Xc, yc, swc = local(X, y, sw)
    model = ElasticNet(alpha=0.05, tol=TOL, **options).fit(X, y, sample_weight=sw)
    ref = ElasticNet(alpha=0.05, tol=TOL, **options).fit(Xc, yc, sample_weight=swc)
    np.testing.assert_allclose(model.coef_, ref.coef_, atol=1e-7)
    np.testing.assert_allclose(model.intercept_, ref.intercept_, atol=1e-7)


def test_float32_statistics_in_float64(client):
    X, y, sw = make(dtype=np.float32)
    Xc, yc, swc = local(X, y, sw)
    model = ElasticNet(alpha=0.02, tol=1e-8).fit(X, y, sample_weight=sw)
    assert model.coef_.dtype == np.float32 and np.asarray(model.intercept_).dtype == np.float32
    ref64 = ElasticNet(alpha=0.02, tol=1e-8).fit(Xc.astype(np.float64), yc, sample_weight=swc)
    ref32 = ElasticNet(alpha=0.02, tol=1e-8).fit(Xc, yc, sample_weight=swc)
    scale = np.abs(ref64.coef_).max()
    np.testing.assert_allclose(model.coef_, ref64.coef_, atol=1e-4 * scale)
    np.testing.assert_allclose(model.coef_, ref32.coef_, atol=1e-4 * scale)
    assert model.predict(X).dtype == np.float32


def test_multi_target_and_warm_start(client):
    X, Y, _ = make(n_targets=3, seed=1)
    Xc, Yc = local(X, Y)
    model = Lasso(alpha=0.03, tol=TOL, warm_start=True).fit(X, Y)
    ref = Lasso(alpha=0.03, tol=TOL).fit(Xc, Yc)
    np.testing.assert_allclose(model.coef_, ref.coef_, atol=1e-7)
    np.testing.assert_allclose(model.intercept_, ref.intercept_, atol=1e-7)
    model.set_params(alpha=0.01).fit(X, Y)  # statistics reused, warm-started
    np.testing.assert_allclose(model.coef_, Lasso(alpha=0.01, tol=TOL).fit(Xc, Yc).coef_,
                               atol=1e-7)


@pytest.mark.parametrize("params", [
    dict(alpha=3.0), dict(alpha=[1.0, 30.0]), dict(alpha=2.0, positive=True),
    dict(alpha=2.0, solver="sag", tol=1e-10), dict(alpha=1.0, fit_intercept=False)])
def test_ridge(client, params):
    X, Y, sw = make(n_targets=2, seed=2)
    Xc, Yc, swc = local(X, Y, sw)
    model = Ridge(**params).fit(X, Y, sample_weight=sw)
    ref = Ridge(**params).fit(Xc, Yc, sample_weight=swc)
    np.testing.assert_allclose(model.coef_, ref.coef_, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(model.intercept_, ref.intercept_, rtol=1e-6, atol=1e-6)


def test_ridge_scalar_weight_is_not_rescaled(client):
    X, y, _ = make(seed=3)
    Xc, yc = local(X, y)
    model = Ridge(alpha=500.0).fit(X, y, sample_weight=0.5)
    np.testing.assert_allclose(model.coef_, Ridge(alpha=500.0).fit(Xc, yc, 0.5).coef_,
                               rtol=1e-8)
    np.testing.assert_allclose(model.coef_, Ridge(alpha=1000.0).fit(Xc, yc).coef_, rtol=1e-8)


@pytest.mark.parametrize("params", [
    dict(), dict(alpha_per_target=True), dict(fit_intercept=False),
    dict(cv=4), dict(cv=4, scoring="neg_mean_squared_error")])
def test_ridgecv(client, params):
    X, Y, sw = make(n_targets=2, seed=11, n=6_000)
    Xc, Yc, swc = local(X, Y, sw)
    alphas = np.logspace(-2, 4, 13)
    model = RidgeCV(alphas=alphas, **params).fit(X, Y, sample_weight=sw)
    if "cv" in params:
        params = dict(params, cv=list(ChunkKFold(params["cv"]).split(X)))
    ref = RidgeCV(alphas=alphas, **params).fit(Xc, Yc, sample_weight=swc)
    np.testing.assert_array_equal(model.alpha_, ref.alpha_)
    np.testing.assert_allclose(model.best_score_, ref.best_score_, rtol=1e-10)
    np.testing.assert_allclose(model.coef_, ref.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(model.intercept_, ref.intercept_, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_paths(client, weighted):
    X, y, sw = make(seed=4)
    Xc, yc, swc = local(X, y, sw)
    kw = dict(fit_intercept=True, tol=TOL, sample_weight=sw if weighted else None)
    alphas, coefs, gaps = enet_path(X, y, l1_ratio=0.7, alphas=15, **kw)
    kw["sample_weight"] = swc if weighted else None
    ref_alphas, ref_coefs, _ = enet_path(Xc, yc, l1_ratio=0.7, alphas=15, **kw)
    np.testing.assert_allclose(alphas, ref_alphas, rtol=1e-12)
    np.testing.assert_allclose(coefs, ref_coefs, atol=1e-7)
    assert coefs.shape == (X.shape[1], 15) and np.all(gaps <= TOL * np.var(yc) * 2)
    alphas, coefs, _ = lasso_path(X, y, alphas=[0.3, 0.1, 0.01], tol=TOL)  # no intercept
    np.testing.assert_allclose(
        coefs, lasso_path(Xc, yc, alphas=[0.3, 0.1, 0.01], tol=TOL)[1], atol=1e-7)


def test_predict_is_lazy(client):
    X, Y, _ = make(n_targets=2, seed=5)
    Xc, Yc = local(X, Y)
    multi = Lasso(alpha=0.02).fit(X, Y)
    single = ElasticNet(alpha=0.02).fit(X, Y[:, 0])
    for model, shape in ((multi, Y.shape), (single, (X.shape[0],))):
        pred = model.predict(X)
        assert isinstance(pred, da.Array) and pred.shape == shape
        assert pred.chunks[0] == X.chunks[0]
        np.testing.assert_allclose(pred.compute(), model.predict(Xc), rtol=1e-12)
    np.testing.assert_allclose(Ridge().fit(X, Y).predict(X).compute(),
                               Ridge().fit(Xc, Yc).predict(Xc), rtol=1e-10)
    assert isinstance(Lasso(alpha=0.02).fit(Xc, Yc).predict(X), da.Array)  # fitted in memory


def test_sparse_chunks(client):
    X, y, sw = make(seed=6)
    X = da.where(X > 2.5, X, 0)
    Xs = X.map_blocks(sparse.csr_matrix, dtype=X.dtype, meta=sparse.csr_matrix((0, 0)))
    Xc, yc, swc = local(X, y, sw)
    model = Lasso(alpha=0.01, tol=TOL).fit(Xs, y, sample_weight=sw)
    ref = Lasso(alpha=0.01, tol=TOL).fit(sparse.csc_matrix(Xc), yc, sample_weight=swc)
    np.testing.assert_allclose(model.coef_, ref.coef_, atol=1e-7)
    np.testing.assert_allclose(model.intercept_, ref.intercept_, atol=1e-7)
    np.testing.assert_allclose(model.predict(Xs).compute(), ref.predict(Xc), atol=1e-6)


@pytest.mark.parametrize("weighted", [False, True])
def test_lassocv_matches_in_memory_on_chunk_folds(client, weighted, monkeypatch):
    X, y, sw = make(seed=7)
    sw = sw if weighted else None
    Xc, yc, swc = local(X, y, sw)
    passes = []
    compute = _dask._compute_statistics
    monkeypatch.setattr(_dask, "_compute_statistics",
                        lambda *a, **k: passes.append(1) or compute(*a, **k))
    model = LassoCV(cv=4, alphas=25, tol=TOL).fit(X, y, sample_weight=sw)
    assert len(passes) == 1  # grid, folds and refit from one pass over the data
    folds = list(ChunkKFold(4).split(X))
    ref = LassoCV(cv=folds, alphas=25, tol=TOL).fit(Xc, yc, sample_weight=swc)
    np.testing.assert_allclose(model.alphas_, ref.alphas_, rtol=1e-12)
    np.testing.assert_allclose(model.mse_path_, ref.mse_path_, rtol=1e-7)
    assert model.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    np.testing.assert_allclose(model.coef_, ref.coef_, atol=1e-7)
    np.testing.assert_allclose(model.intercept_, ref.intercept_, atol=1e-7)


def test_elasticnetcv(client):
    X, y, _ = make(seed=8)
    Xc, yc = local(X, y)
    model = ElasticNetCV(l1_ratio=[0.5, 1.0], cv=3, alphas=10, tol=TOL).fit(X, y)
    ref = ElasticNetCV(l1_ratio=[0.5, 1.0], cv=list(ChunkKFold(3).split(X)), alphas=10,
                       tol=TOL).fit(Xc, yc)
    np.testing.assert_allclose(model.mse_path_, ref.mse_path_, rtol=1e-7)
    assert (model.alpha_, model.l1_ratio_) == pytest.approx((ref.alpha_, ref.l1_ratio_))


def test_pathsearchcv_cv_results(client):
    X, y, _ = make(seed=9, n=9_000)
    Xc, yc = local(X, y)
    # Kept on the workers: this test submits dozens of graphs over the same chunks, and graph
    # optimisation may fuse the lazy generation differently from one graph to the next, under
    # the same key names, which distributed occasionally rejects (KeyError in update_graph;
    # dask/dask#9888). Persisting fixes the keys.
    X, y = client.persist([X, y])
    folds = ChunkKFold(3, shuffle=True, random_state=0)
    grid = {"alpha": np.logspace(-3, 0, 8), "l1_ratio": [0.3, 1.0]}
    scoring = ["r2", "neg_mean_squared_error", "neg_root_mean_squared_error",
               "neg_mean_absolute_error"]  # MAE: blockwise predictions
    kw = dict(scoring=scoring, refit="neg_mean_squared_error", return_train_score=True)
    search = PathSearchCV(ElasticNet(tol=TOL), grid, cv=folds, **kw).fit(X, y)
    ref = PathSearchCV(ElasticNet(tol=TOL), grid, cv=list(folds.split(X)), **kw).fit(Xc, yc)
    assert search.cv_results_.keys() == ref.cv_results_.keys()
    for key, value in ref.cv_results_.items():
        if key.endswith("_time"):
            continue
        if key.startswith(("split", "mean_t", "std_t")):
            np.testing.assert_allclose(search.cv_results_[key], value, rtol=1e-7, atol=1e-9,
                                       err_msg=key)
        elif not key.startswith("rank"):
            assert list(search.cv_results_[key]) == list(value), key
    assert search.best_params_ == ref.best_params_
    np.testing.assert_allclose(search.best_estimator_.coef_, ref.best_estimator_.coef_,
                               atol=1e-7)
    assert isinstance(search.predict(X), da.Array)


def test_unaligned_folds_are_refused(client):
    from sklearn.model_selection import KFold

    X, y, _ = make(n=6_000, chunk=1_000, seed=10)
    search = PathSearchCV(Lasso(), {"alpha": [0.1, 0.01]}, cv=KFold(4))
    with pytest.raises(ValueError, match="whole row chunks"):
        search.fit(X, y)
    search.set_params(cv=KFold(3)).fit(X, y)  # 2 chunks per fold: aligned
    with pytest.raises(ValueError, match="rechunk"):
        LassoCV(cv=10).fit(X, y)


def test_chunk_kfold():
    X = da.zeros((100, 2), chunks=((10, 30, 20, 25, 15), 2))
    folds = list(ChunkKFold(3).split(X))
    assert [len(test) for _, test in folds] == [40, 45, 15]
    assert np.array_equal(np.sort(np.concatenate([t for _, t in folds])), np.arange(100))
    shuffled = list(ChunkKFold(2, shuffle=True, random_state=0).chunk_split(5))
    assert sorted(np.concatenate([t for _, t in shuffled])) == list(range(5))
    with pytest.raises(TypeError, match="dask"):
        next(ChunkKFold(2).split(np.zeros((10, 2))))


def test_too_many_features_for_the_gram(client):
    X = da.zeros((10, 5000), chunks=(5, 5000))
    y = da.zeros(10, chunks=5)
    with config_context(max_gram_bytes=10**8):  # 5000^2 * 8 = 2e8 bytes
        with pytest.raises(ValueError, match=r"max_gram_bytes.*set_config"):
            Lasso().fit(X, y)
    assert skreg.get_config()["max_gram_bytes"] == 2**30


def test_statistics_algebra():
    rng = np.random.RandomState(0)
    X, Y, s = rng.randn(60, 4) + 3, rng.randn(60, 2) - 1, rng.uniform(0, 2, 60)
    a, b = _dask._block_stats(X[:25], Y[:25], s[:25]), _dask._block_stats(X[25:], Y[25:], s[25:])
    whole = _dask._block_stats(X, Y, s)
    for st in (_dask._merge(a, b), _dask._remove(whole, a)):
        ref = whole if st.n == 60 else b
        for name in ("w", "mx", "my", "Cxx", "Cxy", "Cyy"):
            np.testing.assert_allclose(getattr(st, name), getattr(ref, name), rtol=1e-12,
                                       atol=1e-12)
    mx = np.average(X, axis=0, weights=s)
    np.testing.assert_allclose(whole.Cxx, (X - mx).T @ ((X - mx) * s[:, None]), rtol=1e-12)
    sp = _dask._block_stats(sparse.csr_matrix(X), Y, s)
    np.testing.assert_allclose(sp.Cxx, whole.Cxx, rtol=1e-10)
