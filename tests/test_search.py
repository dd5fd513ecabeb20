"""PathSearchCV, LassoCV and ElasticNetCV: same cv_results_ as GridSearchCV, same alpha_ /
mse_path_ as scikit-learn's LassoCV / ElasticNetCV on the same folds, fallback, 1se rule,
scikit-learn's estimator checks, pickling, dask."""

import pickle
import warnings

import joblib
import numpy as np
import pytest
import sklearn.linear_model as sklm
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import make_scorer, mean_squared_error
from sklearn.model_selection import GridSearchCV, GroupKFold, KFold, ShuffleSplit
from sklearn.utils.estimator_checks import parametrize_with_checks

from skreg import ElasticNet, ElasticNetCV, Lasso, LassoCV, PathSearchCV
from skreg._scoring import one_standard_error_index

TIGHT = dict(tol=1e-14, max_iter=100_000)
FOLDS = KFold(5, shuffle=True, random_state=0)
RTOL = 1e-6


def _data(kind):
    if kind == "diabetes":
        return load_diabetes(return_X_y=True)
    rng = np.random.RandomState(0)
    n, p = 80, 30
    X = rng.randn(n, p)
    if kind == "sparse":
        X[rng.rand(n, p) > 0.3] = 0.0
    w = np.zeros(p)
    w[:6] = 3 * rng.randn(6)
    y = X @ w + rng.randn(n) + 2.0
    return (sparse.csr_matrix(X) if kind == "sparse" else X), y


@pytest.fixture(scope="module", params=["dense", "sparse", "diabetes"])
def data(request):
    return _data(request.param)


def _alphas(X, y, n=12):
    return LassoCV(alphas=n, cv=FOLDS)._grid(
        X if not sparse.issparse(X) else sparse.csc_matrix(X), np.asarray(y, float), None)[1][0]


def _assert_same_results(a, b, rtol=RTOL, score_atol=0.0):
    """Same cv_results_ keys, params, masks, and scores (to rtol) for two searches."""
    ra, rb = a.cv_results_, b.cv_results_
    assert sorted(ra) == sorted(rb)
    assert ra["params"] == rb["params"]
    for key in ra:
        if key.startswith("param_"):
            assert_array_equal(ra[key].mask, rb[key].mask)
            assert list(ra[key].compressed()) == list(rb[key].compressed())
        elif "_test_" in key or "_train_" in key:
            if key.startswith("rank_"):
                continue  # ranks may swap between near-ties within the solver's tolerance
            assert_allclose(ra[key], rb[key], rtol=rtol, atol=score_atol, err_msg=key)
        elif key.endswith("_time"):
            assert ra[key].shape == rb[key].shape and np.all(np.asarray(ra[key]) >= 0)


# ------------------------------------------------------------------------------------------------
# PathSearchCV == GridSearchCV
# ------------------------------------------------------------------------------------------------


def test_path_search_equals_grid_search(data):
    X, y = data
    grid = {"alpha": _alphas(X, y)}
    path = PathSearchCV(Lasso(**TIGHT), grid, cv=FOLDS).fit(X, y)
    ref = GridSearchCV(Lasso(**TIGHT), grid, cv=FOLDS).fit(X, y)
    _assert_same_results(path, ref)
    assert isinstance(path, GridSearchCV)
    assert path.best_params_ == ref.best_params_
    assert path.best_index_ == ref.best_index_
    assert_allclose(path.best_score_, ref.best_score_, rtol=RTOL)
    assert path.n_splits_ == ref.n_splits_ == 5
    assert path.multimetric_ is ref.multimetric_ is False
    assert path.refit_time_ >= 0
    assert_allclose(path.predict(X), ref.predict(X), rtol=1e-7, atol=1e-7)
    assert_allclose(path.score(X, y), ref.score(X, y), rtol=1e-9)
    assert path.alpha_ == path.best_params_["alpha"]


def test_lasso_cv_equals_grid_search_and_sklearn(data):
    X, y = data
    ours = LassoCV(alphas=20, cv=FOLDS, **TIGHT).fit(X, y)
    sk = sklm.LassoCV(alphas=20, cv=FOLDS, **TIGHT).fit(X, y)
    grid = GridSearchCV(Lasso(**TIGHT), {"alpha": ours.alphas_}, cv=FOLDS,
                        scoring="neg_mean_squared_error").fit(X, y)
    # GridSearchCV(skreg.Lasso) on the same folds
    _assert_same_results(ours, grid)
    assert ours.best_params_ == grid.best_params_
    # scikit-learn's LassoCV on the same folds
    assert_allclose(ours.alphas_, sk.alphas_, rtol=1e-12)
    assert ours.mse_path_.shape == sk.mse_path_.shape == (20, 5)
    assert_allclose(ours.mse_path_, sk.mse_path_, rtol=RTOL)
    assert ours.alpha_ == pytest.approx(sk.alpha_, rel=1e-12)
    assert_allclose(ours.coef_, sk.coef_, rtol=1e-5, atol=1e-6 * np.abs(sk.coef_).max())
    assert_allclose(ours.intercept_, sk.intercept_, rtol=1e-7)
    assert_allclose(ours.predict(X), sk.predict(X), rtol=1e-6, atol=1e-6)
    assert_allclose(ours.score(X, y), sk.score(X, y), rtol=1e-7)  # R^2, as sklearn
    assert ours.n_features_in_ == X.shape[1]
    assert np.ndim(ours.dual_gap_) == 0 and isinstance(ours.n_iter_, int)
    assert not hasattr(ours, "l1_ratio_")  # as scikit-learn's LassoCV


@pytest.mark.parametrize("kind", ["dense", "diabetes"])
def test_elastic_net_cv_equals_sklearn(kind):
    X, y = _data(kind)
    ratios = [0.2, 0.7, 1.0]
    ours = ElasticNetCV(l1_ratio=ratios, alphas=15, cv=FOLDS, **TIGHT).fit(X, y)
    sk = sklm.ElasticNetCV(l1_ratio=ratios, alphas=15, cv=FOLDS, **TIGHT).fit(X, y)
    assert ours.mse_path_.shape == sk.mse_path_.shape == (3, 15, 5)
    assert ours.alphas_.shape == sk.alphas_.shape == (3, 15)
    assert_allclose(ours.alphas_, sk.alphas_, rtol=1e-12)
    assert_allclose(ours.mse_path_, sk.mse_path_, rtol=RTOL)
    assert ours.alpha_ == pytest.approx(sk.alpha_, rel=1e-12)
    assert ours.l1_ratio_ == sk.l1_ratio_
    assert_allclose(ours.predict(X), sk.predict(X), rtol=1e-6, atol=1e-6)
    grid = GridSearchCV(ElasticNet(**TIGHT), ours.param_grid, cv=FOLDS,
                        scoring="neg_mean_squared_error").fit(X, y)
    _assert_same_results(ours, grid)


def test_elastic_net_cv_shapes_single_ratio_and_given_alphas():
    X, y = _data("dense")
    ours = ElasticNetCV(l1_ratio=0.5, alphas=[1.0, 0.01, 0.1], cv=FOLDS, **TIGHT).fit(X, y)
    sk = sklm.ElasticNetCV(l1_ratio=0.5, alphas=[1.0, 0.01, 0.1], cv=FOLDS, **TIGHT).fit(X, y)
    assert ours.mse_path_.shape == sk.mse_path_.shape == (3, 5)
    assert_allclose(ours.alphas_, sk.alphas_)
    assert_allclose(ours.mse_path_, sk.mse_path_, rtol=RTOL)
    assert ours.alpha_ == sk.alpha_ and ours.l1_ratio_ == sk.l1_ratio_ == 0.5
    with pytest.raises(ValueError, match="l1_ratio=0"):
        ElasticNetCV(l1_ratio=[0.0, 0.5], cv=3).fit(X, y)


def test_sample_weight_and_groups():
    X, y = _data("diabetes")
    sw = np.random.RandomState(1).uniform(0.2, 3.0, size=len(y))
    ours = LassoCV(alphas=15, cv=FOLDS, **TIGHT).fit(X, y, sample_weight=sw)
    sk = sklm.LassoCV(alphas=15, cv=FOLDS, **TIGHT).fit(X, y, sample_weight=sw)
    assert_allclose(ours.alphas_, sk.alphas_, rtol=1e-12)
    assert_allclose(ours.mse_path_, sk.mse_path_, rtol=RTOL)
    assert ours.alpha_ == pytest.approx(sk.alpha_, rel=1e-12)
    assert_allclose(ours.coef_, sk.coef_, rtol=1e-5, atol=1e-4)

    groups = np.arange(len(y)) % 7
    grid = {"alpha": ours.alphas_, "fit_intercept": [True, False]}
    path = PathSearchCV(Lasso(**TIGHT), grid, cv=GroupKFold(4)).fit(
        X, y, sample_weight=sw, groups=groups)
    ref = GridSearchCV(Lasso(**TIGHT), grid, cv=GroupKFold(4)).fit(
        X, y, sample_weight=sw, groups=groups)
    _assert_same_results(path, ref)
    assert path.best_params_ == ref.best_params_


def test_metadata_routing_like_sklearn():
    sklearn = pytest.importorskip("sklearn")
    X, y = _data("diabetes")
    sw = np.random.RandomState(1).uniform(0.2, 3.0, size=len(y))
    groups = np.arange(len(y)) % 7
    with pytest.raises(ValueError, match="only supported if enable_metadata_routing=True"):
        LassoCV(alphas=10, cv=GroupKFold(4)).fit(X, y, sample_weight=sw, groups=groups)
    plain = LassoCV(alphas=10, cv=FOLDS).fit(X, y, sample_weight=sw)
    with sklearn.config_context(enable_metadata_routing=True):
        routed = LassoCV(alphas=10, cv=GroupKFold(4)).fit(X, y, sample_weight=sw, groups=groups)
        ungrouped = LassoCV(alphas=10, cv=FOLDS).fit(X, y, sample_weight=sw)
        sk = sklm.LassoCV(alphas=10, cv=GroupKFold(4), **TIGHT).fit(
            X, y, sample_weight=sw, groups=groups)
        ours = LassoCV(alphas=10, cv=GroupKFold(4), **TIGHT).fit(
            X, y, sample_weight=sw, groups=groups)
    assert_allclose(ungrouped.mse_path_, plain.mse_path_, rtol=1e-12)
    assert routed.mse_path_.shape == (10, 4)
    assert_allclose(ours.mse_path_, sk.mse_path_, rtol=RTOL)


# ------------------------------------------------------------------------------------------------
# scorers, grids, fallback
# ------------------------------------------------------------------------------------------------


def _neg_mse(estimator, X, y):
    return -mean_squared_error(y, estimator.predict(X))


def test_multimetric_refit_str_and_callable():
    X, y = _data("diabetes")
    grid = {"alpha": _alphas(X, y, 10)}
    scoring = {"mse": "neg_mean_squared_error", "r2": "r2", "mae": "neg_mean_absolute_error",
               "rmse": "neg_root_mean_squared_error", "custom": _neg_mse,
               "explained": "explained_variance"}  # the last two go through the scorer itself
    for refit in ["r2", lambda res: int(np.argmax(res["mean_test_mae"]))]:
        path = PathSearchCV(Lasso(**TIGHT), grid, cv=FOLDS, scoring=scoring, refit=refit,
                            return_train_score=True).fit(X, y)
        ref = GridSearchCV(Lasso(**TIGHT), grid, cv=FOLDS, scoring=scoring, refit=refit,
                           return_train_score=True).fit(X, y)
        _assert_same_results(path, ref)
        assert path.multimetric_ and path.best_index_ == ref.best_index_
        assert sorted(path.scorer_) == sorted(ref.scorer_)
        assert hasattr(path, "best_score_") == hasattr(ref, "best_score_")
    assert_allclose(path.cv_results_["mean_test_mse"], path.cv_results_["mean_test_custom"],
                    rtol=1e-12)
    # refit=False: no best_* but the results are there
    path = PathSearchCV(Lasso(**TIGHT), grid, cv=FOLDS, scoring=scoring, refit=False).fit(X, y)
    assert not hasattr(path, "best_index_") and "mean_test_r2" in path.cv_results_


def test_vectorised_scores_equal_scorer_calls():
    """The vectorised MSE / R^2 (fast path) equal the scorers called model by model."""
    X, y = _data("sparse")
    sw = np.random.RandomState(3).uniform(0.5, 2.0, size=len(y))
    grid = {"alpha": _alphas(X, y, 10)}
    def neg_mse(y_true, y_pred, sample_weight=None):
        return -mean_squared_error(y_true, y_pred, sample_weight=sample_weight)

    def r2(est, X, y, sample_weight=None):
        return est.score(X, y, sample_weight)

    for fast, slow in [("neg_mean_squared_error", make_scorer(neg_mse)), (None, r2)]:
        a = PathSearchCV(Lasso(), grid, cv=FOLDS, scoring=fast, return_train_score=True).fit(
            X, y, sample_weight=sw)
        b = PathSearchCV(Lasso(), grid, cv=FOLDS, scoring=slow, return_train_score=True).fit(
            X, y, sample_weight=sw)
        for key in ("mean_test_score", "split3_test_score", "mean_train_score"):
            assert_allclose(a.cv_results_[key], b.cv_results_[key], rtol=1e-12)


def test_grid_with_l1_ratio_fit_intercept_and_plain_subgrid():
    X, y = _data("dense")
    grid = [{"alpha": _alphas(X, y, 8)[::-1], "l1_ratio": [0.3, 0.8],
             "fit_intercept": [True, False]},
            {"l1_ratio": [0.5], "max_iter": [50_000]},  # no alpha: fitted one by one
            {"alpha": [0.5, 0.05, 0.5]}]  # unsorted, repeated alphas
    path = PathSearchCV(ElasticNet(**TIGHT), grid, cv=FOLDS, return_train_score=True).fit(X, y)
    ref = GridSearchCV(ElasticNet(**TIGHT), grid, cv=FOLDS, return_train_score=True).fit(X, y)
    _assert_same_results(path, ref)
    assert path.best_params_ == ref.best_params_
    assert "param_fit_intercept" in path.cv_results_ and "param_max_iter" in path.cv_results_


def test_multi_target_and_float32():
    rng = np.random.RandomState(0)
    X = rng.randn(60, 8)
    Y = X @ rng.randn(8, 2) + rng.randn(60, 2)
    grid = {"alpha": [1.0, 0.1, 0.01]}
    path = PathSearchCV(Lasso(**TIGHT), grid, cv=3).fit(X, Y)
    ref = GridSearchCV(Lasso(**TIGHT), grid, cv=3).fit(X, Y)
    _assert_same_results(path, ref)
    ours = LassoCV(cv=3, alphas=10).fit(X.astype(np.float32), Y[:, 0].astype(np.float32))
    assert ours.coef_.dtype == np.float32
    with pytest.raises(ValueError, match="MultiTask"):
        LassoCV(cv=3).fit(X, Y)


def test_fallback_to_grid_search():
    X, y = _data("diabetes")
    # not a skreg estimator
    grid = {"alpha": [0.01, 0.1, 1.0]}
    path = PathSearchCV(sklm.Ridge(), grid, cv=FOLDS).fit(X, y)
    ref = GridSearchCV(sklm.Ridge(), grid, cv=FOLDS).fit(X, y)
    _assert_same_results(path, ref, rtol=1e-12)
    assert path.alpha_ == ref.best_params_["alpha"] and hasattr(path, "alpha_1se_")
    # no alpha in the grid
    grid = {"fit_intercept": [True, False]}
    path = PathSearchCV(Lasso(alpha=0.1), grid, cv=FOLDS).fit(X, y)
    ref = GridSearchCV(Lasso(alpha=0.1), grid, cv=FOLDS).fit(X, y)
    _assert_same_results(path, ref, rtol=1e-12)
    assert not hasattr(path, "alpha_")


@pytest.mark.parametrize("search_class", [PathSearchCV, GridSearchCV])
def test_failed_fits_like_grid_search(search_class):
    X, y = _data("dense")
    with pytest.raises(ValueError, match="All the 15 fits failed"):
        search_class(Lasso(max_iter=0), {"alpha": [0.1, 1.0, 2.0]}, cv=5).fit(X, y)
    with pytest.raises(ValueError, match="max_iter"):
        search_class(Lasso(max_iter=0), {"alpha": [0.1, 1.0]}, cv=5,
                     error_score="raise").fit(X, y)


# ------------------------------------------------------------------------------------------------
# one-standard-error rule
# ------------------------------------------------------------------------------------------------


def test_one_standard_error_rule():
    X, y = _data("diabetes")
    m = LassoCV(alphas=30, cv=FOLDS, selection_rule="1se", **TIGHT).fit(X, y)
    mean, std = m.mse_path_.mean(axis=1), m.mse_path_.std(axis=1)
    i_min = int(np.argmin(mean))
    within = mean <= mean[i_min] + std[i_min] / np.sqrt(5)
    assert m.alpha_ == m.alphas_[i_min]
    assert m.alpha_1se_ == m.alphas_[np.flatnonzero(within)].max() > m.alpha_
    assert m.best_params_["alpha"] == m.alpha_1se_
    refit = Lasso(alpha=m.alpha_1se_, **TIGHT).fit(X, y)
    assert_allclose(m.coef_, refit.coef_, rtol=1e-7, atol=1e-6)
    default = LassoCV(alphas=30, cv=FOLDS, **TIGHT).fit(X, y)
    assert default.alpha_ == m.alpha_ and default.alpha_1se_ == m.alpha_1se_
    assert default.best_params_["alpha"] == default.alpha_

    # within the best l1_ratio's path only
    grid = {"alpha": m.alphas_, "l1_ratio": [0.1, 1.0]}
    search = PathSearchCV(ElasticNet(**TIGHT), grid, cv=FOLDS, selection_rule="1se").fit(X, y)
    res = search.cv_results_
    best = int(np.argmin(res["rank_test_score"]))
    one_se = one_standard_error_index(res, "score", 5)
    assert res["params"][one_se]["l1_ratio"] == res["params"][best]["l1_ratio"]
    assert search.best_index_ == one_se and search.alpha_1se_ >= search.alpha_
    with pytest.raises(ValueError, match="callable"):
        PathSearchCV(Lasso(), {"alpha": [1.0]}, refit=lambda r: 0, selection_rule="1se").fit(X, y)


# ------------------------------------------------------------------------------------------------
# estimator conventions, pickling, verbose, parallel backends
# ------------------------------------------------------------------------------------------------

# Tolerances: check_sample_weight_equivalence_* compares a weighted fit with a repeated-rows fit
# to rtol=1e-7; a duality-gap stop at the default tol does not certify that (see test_common.py),
# hence tight tol (or scikit-learn's own max_iter=5 settings, where both fits stop alike).
CHECKED = [
    LassoCV(max_iter=5, cv=3),  # scikit-learn's settings for its LassoCV checks
    ElasticNetCV(max_iter=5, cv=3),  # idem for ElasticNetCV
    # Converged to the exact solution (the Newton step on the settled support), so the weighted
    # and repeated fits agree far below rtol=1e-7 whatever the BLAS kernels: max_iter=1000 left
    # the smallest alpha's refit at a gap of 1e-5, where predictions near 0 differed by 1e-2
    # relative, and whether it passed depended on the CPU.
    LassoCV(alphas=10, cv=3, tol=1e-10, max_iter=100_000, selection_rule="1se"),
    ElasticNetCV(l1_ratio=[0.3, 1.0], alphas=[0.01, 0.1, 1.0], cv=3, tol=1e-10,
                 max_iter=100_000),
    PathSearchCV(Lasso(), {"alpha": [0.1, 1.0]}, cv=2, error_score="raise"),
]


def _expected_failed(estimator):
    if type(estimator) is PathSearchCV:  # exactly scikit-learn's xfail for GridSearchCV
        return {"check_supervised_y_2d": "DataConversionWarning not caught (as GridSearchCV)"}
    return {}


@parametrize_with_checks(CHECKED, expected_failed_checks=_expected_failed, xfail_strict=True)
def test_sklearn_compatible(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


def test_get_params_clone_and_pickle():
    X, y = _data("diabetes")
    m = LassoCV(alphas=10, cv=4, selection_rule="1se")
    assert sorted(m.get_params()) == sorted(
        list(sklm.LassoCV().get_params()) + ["selection_rule", "penalty_factor", "lower_bounds",
                                             "upper_bounds", "standardize", "relax", "gamma"])
    assert "estimator" not in m.get_params() and "param_grid" not in m.get_params()
    m.fit(X, y)
    clone_ = pickle.loads(pickle.dumps(m))
    assert_allclose(clone_.predict(X), m.predict(X))
    assert_allclose(clone_.cv_results_["mean_test_score"], m.cv_results_["mean_test_score"])
    assert clone_.alpha_1se_ == m.alpha_1se_
    search = PathSearchCV(Lasso(), {"alpha": m.alphas_}, cv=4).fit(X, y)
    again = pickle.loads(pickle.dumps(search))
    assert again.best_params_ == search.best_params_
    assert_allclose(again.predict(X), search.predict(X))


def test_dataframe_feature_names():
    pd = pytest.importorskip("pandas")
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    m = LassoCV(alphas=10, cv=3).fit(X, y)
    assert list(m.feature_names_in_) == list(X.columns)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        m.predict(X)
    assert isinstance(X, pd.DataFrame)


def test_verbose_prints_per_fold(capsys):
    X, y = _data("diabetes")
    LassoCV(alphas=10, cv=3, verbose=1).fit(X, y)
    out = capsys.readouterr().out
    assert "Fitting 3 folds for each of 10 candidates" in out
    assert all(f"[PathCV {i}/3; path 1/1] END" in out for i in (1, 2, 3))


def test_timing_columns():
    X, y = _data("diabetes")
    m = LassoCV(alphas=20, cv=3).fit(X, y)
    res = m.cv_results_
    for key in ("mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time"):
        assert res[key].shape == (20,) and np.all(res[key] >= 0)
    assert np.all(res["mean_fit_time"] > 0)


def test_threading_backend_same_results():
    X, y = _data("dense")
    ref = LassoCV(alphas=10, cv=FOLDS, **TIGHT).fit(X, y)
    with joblib.parallel_backend("threading", n_jobs=2):
        par = LassoCV(alphas=10, cv=FOLDS, **TIGHT).fit(X, y)
    assert_allclose(par.mse_path_, ref.mse_path_, rtol=1e-10)


def test_dask_backend():
    pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    X, y = _data("diabetes")
    grid = {"alpha": _alphas(X, y, 15), "l1_ratio": [0.5, 1.0]}
    ref = PathSearchCV(ElasticNet(**TIGHT), grid, cv=FOLDS,
                       scoring=["neg_mean_squared_error", "r2"], refit="r2").fit(X, y)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        with joblib.parallel_backend("dask"):
            search = PathSearchCV(ElasticNet(**TIGHT), grid, cv=FOLDS,
                                  scoring=["neg_mean_squared_error", "r2"],
                                  refit="r2").fit(X, y)
            cv = LassoCV(alphas=15, cv=FOLDS, **TIGHT).fit(X, y)
    _assert_same_results(search, ref, rtol=1e-10)
    assert search.best_params_ == ref.best_params_
    assert_allclose(cv.mse_path_, LassoCV(alphas=15, cv=FOLDS, **TIGHT).fit(X, y).mse_path_,
                    rtol=1e-10)


@pytest.mark.parametrize("case", ["lasso", "weighted_no_intercept", "enet_grid",
                                  "two_targets", "relaxed"])
def test_refit_on_tall_dense_data_solves_on_the_statistics(case, monkeypatch):
    """When the folds' paths ran on statistics, the refit solves the best candidate's problem
    on the statistics of all the rows (no fit, no pass over X): a fitted estimator with
    every attribute of a fit, equal to one to the tolerance."""
    rng = np.random.RandomState(3)
    X = rng.randn(200, 6)
    y = X @ [1.0, -2.0, 0.0, 0.5, 0.0, 0.0] + rng.randn(200) + 4.0
    weights = None
    est, grid = Lasso(tol=1e-10), {"alpha": np.geomspace(1.0, 0.01, 6)}
    if case == "weighted_no_intercept":
        weights = rng.uniform(0.5, 2.0, 200)
        est.set_params(fit_intercept=False)
    elif case == "enet_grid":
        est, grid = ElasticNet(tol=1e-10), dict(grid, l1_ratio=[0.3, 0.9])
    elif case == "two_targets":
        y = np.c_[y, -y + X[:, 2]]
    elif case == "relaxed":
        est, grid = Lasso(tol=1e-10, relax=True), dict(grid, gamma=[0.0, 0.5])
    fits = []
    monkeypatch.setattr(ElasticNet, "fit", lambda self, *a, **k: fits.append(1) or 1 / 0)
    params = {} if weights is None else {"sample_weight": weights}
    search = PathSearchCV(est, grid, cv=FOLDS).fit(X, y, **params)
    assert fits == []
    monkeypatch.undo()
    model = search.best_estimator_
    ref = type(est)(**{**est.get_params(), **search.best_params_}).fit(
        X, y, sample_weight=weights)
    assert type(model) is type(est) and model.get_params() == ref.get_params()
    assert model.n_features_in_ == 6 and np.shape(model.coef_) == np.shape(ref.coef_)
    assert_allclose(model.coef_, ref.coef_, atol=1e-6)
    assert_allclose(model.intercept_, ref.intercept_, atol=1e-5)
    assert np.all(np.asarray(model.dual_gap_) >= 0)
    assert_allclose(search.predict(X), ref.predict(X), atol=1e-5)
    assert not hasattr(search, "_refit_statistics")
    # nothing of the refit's callback context stays on the model (skops walks every attribute)
    assert not hasattr(model, "_parent_callback_ctx")
    pickle.loads(pickle.dumps(search))


@pytest.mark.parametrize("make", [
    lambda: LassoCV(cv=3),
    lambda: ElasticNetCV(l1_ratio=[0.5, 1.0], cv=3),
    lambda: PathSearchCV(Lasso(), {"alpha": np.logspace(-3, 0, 12)}, cv=3),
], ids=["LassoCV", "ElasticNetCV", "PathSearchCV"])
def test_dataframe_takes_the_same_route_as_an_array(make):
    """A DataFrame is solved as its array is (the folds' statistics from one pass, the same
    numbers bit for bit), and every model built from those statistics knows the feature
    names: predicting on the frame raises no feature-name warning."""
    pd = pytest.importorskip("pandas")
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        on_frame = make().fit(X, y)
        on_array = make().fit(X.to_numpy(), y.to_numpy())
        on_frame.predict(X.iloc[:5])
    assert isinstance(X, pd.DataFrame)
    assert_array_equal(on_frame.feature_names_in_, X.columns)
    assert not hasattr(on_array, "feature_names_in_")
    best_frame = getattr(on_frame, "best_estimator_", on_frame)
    best_array = getattr(on_array, "best_estimator_", on_array)
    assert_array_equal(best_frame.coef_, best_array.coef_)
    assert_array_equal(on_frame.cv_results_["mean_test_score"],
                       on_array.cv_results_["mean_test_score"])
    if best_frame is not on_frame:
        assert_array_equal(best_frame.feature_names_in_, X.columns)


def test_sparse_dataframe_takes_the_route_of_its_sparse_matrix():
    """A DataFrame of sparse columns validates to sparse X: it is solved as its CSC matrix
    (per-fold sparse paths), not through the dense folds' statistics."""
    pd = pytest.importorskip("pandas")
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    frame = X.astype(pd.SparseDtype("float64", 0.0))
    on_frame = LassoCV(cv=3).fit(frame, y)
    on_csc = LassoCV(cv=3).fit(sparse.csc_matrix(X.to_numpy()), y.to_numpy())
    assert on_frame.alpha_ == on_csc.alpha_
    assert_array_equal(on_frame.coef_, on_csc.coef_)


def _rows_and_splits(kind, rng):
    n = 60
    if kind == "overlapping":  # rows in the training and the test set of a split
        return [(np.arange(0, 45), np.arange(30, 60)), (np.arange(15, 60), np.arange(0, 30))]
    if kind == "bootstrap":  # repeated training rows
        draws = [rng.randint(0, n, n) for _ in range(3)]
        return [(t, np.setdiff1d(np.arange(n), t)) for t in draws]
    if kind == "shuffle":  # many row groups (one per pattern of roles), held out in no order
        return list(ShuffleSplit(6, test_size=0.3, random_state=0).split(np.zeros((n, 1))))
    return list(KFold(int(kind)).split(np.zeros((n, 1))))


@pytest.mark.parametrize("outlier", [False, True])
@pytest.mark.parametrize("kind", ["overlapping", "bootstrap", "4", "20", "shuffle"])
def test_fold_statistics_serve_any_splits_as_the_rows_would(kind, outlier):
    """The folds' statistics reproduce a fit on each training set as given: rows shared with
    the test set, repeated rows (bootstrap: fitted on the rows), many folds (held-out rows
    subtracted from the total) and a held-out outlier that would cancel every digit of that
    subtraction (merged instead)."""
    from skreg import MultiTaskLassoCV

    rng = np.random.RandomState(0)
    X = rng.randn(60, 10)
    Y = X[:, :3] @ rng.randn(3, 3) + 0.5 * rng.randn(60, 3)
    if outlier:
        X[5, 3] = 1e8
    cv = _rows_and_splits(kind, rng)
    # (with the outlier no solver reaches tol=1e-12: agreement to 1e-6; the subtraction that
    # cancelled was 0.07-0.14 off)
    rtol = 1e-5 if outlier else 1e-6
    kw = dict(cv=cv, alphas=np.geomspace(2, 0.005, 10), tol=1e-12, max_iter=100_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours, ref = LassoCV(**kw).fit(X, Y[:, 0]), sklm.LassoCV(**kw).fit(X, Y[:, 0])
        assert_allclose(ours.mse_path_, ref.mse_path_, rtol=rtol)
        ours, ref = MultiTaskLassoCV(**kw).fit(X, Y), sklm.MultiTaskLassoCV(**kw).fit(X, Y)
        assert_allclose(ours.mse_path_, ref.mse_path_, rtol=rtol)
        grid = {"alpha": list(np.geomspace(2, 0.005, 6))}
        est = Lasso(tol=1e-12, max_iter=100_000)
        search = PathSearchCV(est, grid, cv=cv).fit(X, Y[:, 0])
        grid_ref = GridSearchCV(est, grid, cv=cv).fit(X, Y[:, 0])
    assert_allclose(search.cv_results_["mean_test_score"],
                    grid_ref.cv_results_["mean_test_score"], rtol=rtol)
