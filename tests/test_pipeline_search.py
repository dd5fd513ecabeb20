"""PathSearchCV over a Pipeline whose last step is a path estimator: the earlier steps are fitted
once per fold and setting of their own parameters, the last step's path once per fold, and the
results are GridSearchCV's (every key of cv_results_, best candidate, refit), with fit
parameters routed as GridSearchCV routes them."""

import warnings

import numpy as np
import pytest
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.datasets import load_diabetes
from sklearn.exceptions import FitFailedWarning
from sklearn.feature_selection import SelectFromModel
from sklearn.linear_model import LinearRegression
from sklearn.metrics import get_scorer, make_scorer, max_error
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import (
    MaxAbsScaler,
    MinMaxScaler,
    PolynomialFeatures,
    RobustScaler,
    StandardScaler,
)

import skreg._path_protocol as protocol_module
from skreg import ElasticNet, Lasso, PathFallbackWarning, PathSearchCV

TIGHT = dict(tol=1e-12, max_iter=100_000)
FOLDS = KFold(4, shuffle=True, random_state=0)
RTOL = 1e-6  # far above what tol=1e-12 certifies for the scores, on any BLAS


def _data(n=120, p=8, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p) * rng.uniform(0.1, 20, p) + rng.uniform(-5, 5, p)
    w = np.zeros(p)
    w[:4] = [1.5, -2.0, 0.05, 0.3]
    y = (X - X.mean(0)) / X.std(0) @ w + rng.randn(n) + 3.0
    return X, y


@pytest.fixture(scope="module")
def data():
    return _data()


def _alphas(n=8):
    return list(np.geomspace(2.0, 0.005, n))


def _assert_same(path, ref, rtol=RTOL):
    """cv_results_ with the same keys, params and param_* columns, scores to rtol, and the
    same ranks for every candidate not within the tolerance of another one."""
    ra, rb = path.cv_results_, ref.cv_results_
    assert sorted(ra) == sorted(rb)
    assert ra["params"] == rb["params"]
    for key in rb:
        if key.startswith("param_"):
            assert_array_equal(ra[key].mask, rb[key].mask)
            assert list(ra[key].compressed()) == list(rb[key].compressed()), key
        elif key.startswith("rank_"):
            mean = np.asarray(rb["mean" + key[4:]], dtype=float)
            gaps = np.abs(mean[:, None] - mean[None, :])
            np.fill_diagonal(gaps, np.inf)
            clear = np.all((gaps > 1e-5 * np.nanmax(np.abs(mean))) | np.isnan(gaps), axis=1)
            assert clear.sum() >= len(mean) // 3  # (enough candidates to compare)
            assert_array_equal(ra[key][clear], rb[key][clear], err_msg=key)
        elif key.startswith(("mean_t", "std_t", "split")):
            assert_allclose(ra[key], rb[key], rtol=rtol, atol=1e-9, err_msg=key)
        elif key.endswith("_time"):
            assert np.all(np.asarray(ra[key]) >= 0) and ra[key].shape == rb[key].shape


class CountingScaler(StandardScaler):
    """A StandardScaler that counts its fits."""

    fits = 0

    def fit(self, X, y=None, sample_weight=None):
        type(self).fits += 1
        return super().fit(X, y, sample_weight=sample_weight)


def test_pipeline_search_equals_grid_search_and_fits_the_scaler_once_per_fold(data):
    X, y = data
    pipe = Pipeline([("scale", CountingScaler()), ("lasso", Lasso(**TIGHT))])
    grid = {"lasso__alpha": _alphas(), "scale__with_std": [True, False],
            "lasso__fit_intercept": [True, False]}
    CountingScaler.fits = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error", PathFallbackWarning)
        path = PathSearchCV(pipe, grid, cv=FOLDS, return_train_score=True).fit(X, y)
    # one fit per (fold, with_std) -- shared by both fit_intercept paths -- and the refit
    assert CountingScaler.fits == 4 * 2 + 1
    ref = GridSearchCV(pipe, grid, cv=FOLDS, return_train_score=True).fit(X, y)
    _assert_same(path, ref)
    assert path.best_params_ == ref.best_params_
    assert isinstance(path.best_estimator_, Pipeline)
    assert_allclose(path.best_estimator_[-1].coef_, ref.best_estimator_[-1].coef_, rtol=1e-8)
    assert_allclose(path.predict(X), ref.predict(X), rtol=1e-8)
    # the 1-SE rule and alpha_ follow the last step's alpha
    assert path.alpha_ == ref.best_params_["lasso__alpha"]
    assert path.alpha_1se_ >= path.alpha_


def test_pipeline_search_timing_columns_are_shares(data):
    X, y = data
    pipe = make_pipeline(StandardScaler(), Lasso())
    path = PathSearchCV(pipe, {"lasso__alpha": _alphas(20)}, cv=FOLDS).fit(X, y)
    fit_time = path.cv_results_["mean_fit_time"]
    assert np.all(fit_time > 0) and np.all(path.cv_results_["mean_score_time"] > 0)
    # each candidate's share: far below the per-fold wall time of the whole search
    assert fit_time.sum() < 20 * fit_time.max()


def test_pipeline_search_one_se_selection_rule(data):
    X, y = data
    pipe = make_pipeline(StandardScaler(), Lasso(**TIGHT))
    path = PathSearchCV(pipe, {"lasso__alpha": _alphas(12)}, cv=FOLDS,
                        selection_rule="1se").fit(X, y)
    assert path.best_params_["lasso__alpha"] == path.alpha_1se_ >= path.alpha_


@pytest.mark.parametrize("where", ["lasso", "standardscaler", "both"])
def test_pipeline_fit_params_without_routing(data, where):
    X, y = data
    w = np.random.RandomState(1).uniform(0.2, 3, len(y))
    params = {f"{name}__sample_weight": w for name in
              (["lasso", "standardscaler"] if where == "both" else [where])}
    pipe = make_pipeline(StandardScaler(), Lasso(**TIGHT))
    grid = {"lasso__alpha": _alphas()}
    with warnings.catch_warnings():
        warnings.simplefilter("error", PathFallbackWarning)
        path = PathSearchCV(pipe, grid, cv=FOLDS).fit(X, y, **params)
    ref = GridSearchCV(pipe, grid, cv=FOLDS).fit(X, y, **params)
    _assert_same(path, ref)
    assert_allclose(path.best_estimator_[-1].coef_, ref.best_estimator_[-1].coef_, rtol=1e-8)


def test_pipeline_fit_param_without_step_name_fails_as_grid_search(data):
    X, y = data
    pipe = make_pipeline(StandardScaler(), Lasso())
    with pytest.raises(ValueError, match="All the 4 fits failed"):
        PathSearchCV(pipe, {"lasso__alpha": [1.0]}, cv=FOLDS).fit(
            X, y, sample_weight=np.ones(len(y)))


@pytest.mark.parametrize("scaler_request", [True, False])
@pytest.mark.parametrize("scoring", [None, "r2"])
def test_pipeline_fit_params_with_routing(data, scaler_request, scoring):
    X, y = data
    w = np.random.RandomState(2).uniform(0.2, 3, len(y))
    grid = {"lasso__alpha": _alphas()}
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(
            StandardScaler().set_fit_request(sample_weight=scaler_request),
            Lasso(**TIGHT).set_fit_request(sample_weight=True)
            .set_score_request(sample_weight=True))
        scorer = None if scoring is None else get_scorer(scoring).set_score_request(
            sample_weight=scaler_request)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PathFallbackWarning)
            path = PathSearchCV(pipe, grid, cv=FOLDS, scoring=scorer).fit(
                X, y, sample_weight=w)
        ref = GridSearchCV(pipe, grid, cv=FOLDS, scoring=scorer).fit(X, y, sample_weight=w)
    _assert_same(path, ref)
    assert np.all(np.isfinite(path.cv_results_["mean_test_score"]))
    unweighted = GridSearchCV(make_pipeline(StandardScaler(), Lasso(**TIGHT)), grid,
                              cv=FOLDS).fit(X, y)
    assert not np.allclose(path.cv_results_["mean_test_score"],
                           unweighted.cv_results_["mean_test_score"], rtol=1e-4)


def test_pipeline_with_routing_scores_as_grid_search_even_when_it_fails(data):
    """scikit-learn 1.9's Pipeline.score refuses sample_weight=None when no step requests it
    under routing: GridSearchCV then records error scores, and so does the path search."""
    X, y = data
    grid = {"lasso__alpha": _alphas(3)}
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(StandardScaler(), Lasso(**TIGHT).set_score_request(
            sample_weight=False))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            ref = GridSearchCV(pipe, grid, cv=FOLDS).fit(X, y)
            path = PathSearchCV(pipe, grid, cv=FOLDS).fit(X, y)
    assert_array_equal(np.isnan(path.cv_results_["mean_test_score"]),
                       np.isnan(ref.cv_results_["mean_test_score"]))
    if not np.isnan(ref.cv_results_["mean_test_score"]).any():
        _assert_same(path, ref)


def test_pipeline_grids_over_earlier_steps_and_passthrough(data):
    X, y = data
    X = X[:, :4]
    pipe = Pipeline([("poly", PolynomialFeatures()), ("scale", StandardScaler()),
                     ("lasso", Lasso(**TIGHT))])
    grid = [{"lasso__alpha": _alphas(6), "poly__degree": [1, 2],
             "scale": [StandardScaler(), "passthrough"]},
            {"lasso__alpha": _alphas(4), "scale__with_mean": [False],
             "poly__interaction_only": [True]}]
    with warnings.catch_warnings():
        warnings.simplefilter("error", PathFallbackWarning)
        path = PathSearchCV(pipe, grid, cv=FOLDS).fit(X, y)
    ref = GridSearchCV(pipe, grid, cv=FOLDS).fit(X, y)
    _assert_same(path, ref)
    assert path.best_params_ == ref.best_params_


def test_pipeline_elastic_net_l1_ratio_grid_and_n_jobs(data):
    X, y = data
    pipe = make_pipeline(StandardScaler(), ElasticNet(**TIGHT))
    grid = {"elasticnet__alpha": _alphas(), "elasticnet__l1_ratio": [0.2, 0.9]}
    with warnings.catch_warnings():
        warnings.simplefilter("error", PathFallbackWarning)
        path = PathSearchCV(pipe, grid, cv=FOLDS, n_jobs=2).fit(X, y)
    ref = GridSearchCV(pipe, grid, cv=FOLDS).fit(X, y)
    _assert_same(path, ref)
    assert path.best_params_ == ref.best_params_


def test_pipeline_relaxed_gamma_grid_solves_one_relaxed_path_per_fold(data, monkeypatch):
    X, y = data
    pipe = make_pipeline(StandardScaler(), Lasso(relax=True, **TIGHT))
    grid = {"lasso__alpha": _alphas(6), "lasso__gamma": [0.0, 0.5, 1.0]}
    ref = GridSearchCV(pipe, grid, cv=FOLDS).fit(X, y)
    calls = []
    original = protocol_module.options_path

    def counting(*args, **kwargs):
        calls.append(kwargs.get("return_refits"))
        return original(*args, **kwargs)

    monkeypatch.setattr(protocol_module, "options_path", counting)
    path = PathSearchCV(pipe, grid, cv=FOLDS).fit(X, y)
    assert calls == [True] * 5  # one per fold, and the refit's (one alpha, one gamma)
    _assert_same(path, ref)
    assert_allclose(path.predict(X), ref.predict(X), rtol=1e-8)
    assert path.best_params_ == ref.best_params_


def test_pipeline_multimetric_and_scorers_that_need_the_fitted_pipeline(data):
    X, y = data
    pipe = make_pipeline(StandardScaler(), Lasso(**TIGHT))
    grid = {"lasso__alpha": _alphas()}
    scoring = {"r2": "r2", "mae": "neg_mean_absolute_error",
               "max": make_scorer(max_error, greater_is_better=False),
               "ev": "explained_variance"}
    path = PathSearchCV(pipe, grid, cv=FOLDS, scoring=scoring, refit="mae",
                        return_train_score=True).fit(X, y)
    ref = GridSearchCV(pipe, grid, cv=FOLDS, scoring=scoring, refit="mae",
                       return_train_score=True).fit(X, y)
    _assert_same(path, ref)
    assert path.best_index_ == ref.best_index_


def test_pipeline_refit_callable(data):
    X, y = data

    def simplest_within_half_percent(results):
        mean = results["mean_test_score"]
        ok = np.flatnonzero(mean >= mean.max() - 0.005 * abs(mean.max()))
        return int(ok[np.argmax([results["params"][i]["lasso__alpha"] for i in ok])])

    pipe = make_pipeline(StandardScaler(), Lasso(**TIGHT))
    grid = {"lasso__alpha": _alphas(12)}
    path = PathSearchCV(pipe, grid, cv=FOLDS, refit=simplest_within_half_percent).fit(X, y)
    ref = GridSearchCV(pipe, grid, cv=FOLDS, refit=simplest_within_half_percent).fit(X, y)
    assert path.best_index_ == ref.best_index_
    assert not hasattr(path, "best_score_")
    assert_allclose(path.best_estimator_[-1].coef_, ref.best_estimator_[-1].coef_, rtol=1e-8)


class FailingStep(TransformerMixin, BaseEstimator):
    """Passes X through; fit fails when ``fail`` is set."""

    def __init__(self, fail=False):
        self.fail = fail

    def fit(self, X, y=None):
        if self.fail:
            raise ValueError("this step was told to fail")
        return self

    def transform(self, X):
        return X


def test_pipeline_error_score(data):
    X, y = data
    pipe = make_pipeline(FailingStep(), StandardScaler(), Lasso(**TIGHT))
    grid = {"lasso__alpha": _alphas(4), "failingstep__fail": [False, True]}
    with pytest.warns(FitFailedWarning, match="this step was told to fail"):
        path = PathSearchCV(pipe, grid, cv=FOLDS, error_score=-99.0).fit(X, y)
    with pytest.warns(FitFailedWarning):
        ref = GridSearchCV(pipe, grid, cv=FOLDS, error_score=-99.0).fit(X, y)
    _assert_same(path, ref)
    failed = np.array([p["failingstep__fail"] for p in path.cv_results_["params"]])
    assert np.all(path.cv_results_["mean_test_score"][failed] == -99.0)
    with pytest.raises(ValueError, match="this step was told to fail"):
        PathSearchCV(pipe, grid, cv=FOLDS, error_score="raise").fit(X, y)


@pytest.mark.parametrize("estimator, grid, reason", [
    (make_pipeline(StandardScaler(), Lasso()), {"standardscaler__with_std": [True, False]},
     "has no 'lasso__alpha'"),
    (make_pipeline(StandardScaler(), Lasso()),
     {"lasso": [Lasso(alpha=0.1), Lasso(alpha=1.0)]}, "replaces the Pipeline's last step"),
    (make_pipeline(StandardScaler(), Lasso()), {"lasso__alpha": [0.1, "a"]},
     "'lasso__alpha' values are not all finite non-negative numbers"),
    (make_pipeline(SelectFromModel(Lasso()), LinearRegression()),
     {"selectfrommodel__estimator__alpha": [0.1, 1.0]}, "Pipeline around a path estimator"),
])
def test_pipeline_fallbacks_warn_with_their_reason(data, estimator, grid, reason):
    X, y = data
    with pytest.warns(PathFallbackWarning, match=reason):
        path = PathSearchCV(estimator, grid, cv=FOLDS, error_score=np.nan).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitFailedWarning)
        ref = GridSearchCV(estimator, grid, cv=FOLDS, error_score=np.nan).fit(X, y)
    _assert_same(path, ref)


def test_pipeline_with_routing_and_an_unknown_last_step_fit_param_falls_back(data):
    X, y = data

    class TaggedLasso(Lasso):
        def fit(self, X, y, sample_weight=None, check_input=True, tag=None):
            return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)

        def _solve_path(self, *args, **kwargs):
            return super()._solve_path(*args, **kwargs)

    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(StandardScaler(), TaggedLasso().set_fit_request(tag=True))
        with pytest.warns(PathFallbackWarning, match=r"fit parameters \['tag'\]"):
            path = PathSearchCV(pipe, {"taggedlasso__alpha": [0.1, 1.0]}, cv=FOLDS).fit(
                X, y, tag="x")
    assert path.best_params_["taggedlasso__alpha"] in (0.1, 1.0)


def test_pipeline_with_dataframe_input_keeps_feature_names(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    pipe = make_pipeline(StandardScaler(), Lasso(**TIGHT))
    grid = {"lasso__alpha": _alphas(5)}
    path = PathSearchCV(pipe, grid, cv=FOLDS).fit(frame, y)
    ref = GridSearchCV(pipe, grid, cv=FOLDS).fit(frame, y)
    _assert_same(path, ref)
    assert list(path.feature_names_in_) == list(frame.columns)
    pandas_out = make_pipeline(StandardScaler(), Lasso(**TIGHT)).set_output(transform="pandas")
    path = PathSearchCV(pandas_out, grid, cv=FOLDS).fit(frame, y)
    ref = GridSearchCV(pandas_out, grid, cv=FOLDS).fit(frame, y)
    _assert_same(path, ref)


@pytest.mark.parametrize("scaler", [MinMaxScaler(), MinMaxScaler(clip=True), MaxAbsScaler(),
                                    RobustScaler(), StandardScaler(with_mean=False)])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_pipeline_scalers_equal_grid_search(data, scaler, fit_intercept):
    """The fitted scalers map the folds' statistics (column-wise affine maps) or, when they are
    not affine (a clipping MinMaxScaler), the path runs on the transformed rows."""
    X, y = data
    pipe = make_pipeline(scaler, Lasso(fit_intercept=fit_intercept, **TIGHT))
    grid = {"lasso__alpha": _alphas()}
    path = PathSearchCV(pipe, grid, cv=FOLDS, return_train_score=True).fit(X, y)
    ref = GridSearchCV(pipe, grid, cv=FOLDS, return_train_score=True).fit(X, y)
    _assert_same(path, ref)


def test_fold_statistics_replace_the_folds_rows(data, monkeypatch):
    """On tall data the folds' Gram matrices come from one pass of statistics: no task builds
    a design from its rows (float32 data included)."""
    X, y = data
    built = []
    original = protocol_module.make_design
    monkeypatch.setattr(protocol_module, "make_design",
                        lambda *a, **k: built.append(1) or original(*a, **k))
    grid = {"alpha": _alphas(), "fit_intercept": [True, False]}
    path = PathSearchCV(Lasso(**TIGHT), grid, cv=FOLDS).fit(X, y)
    ref = GridSearchCV(Lasso(**TIGHT), grid, cv=FOLDS).fit(X, y)
    _assert_same(path, ref)
    # float32: statistics in float64 (more accurate than the float32 folds' own Gram)
    X32, grid32 = X.astype(np.float32), {"alpha": _alphas()}
    path = PathSearchCV(Lasso(tol=1e-6), grid32, cv=FOLDS).fit(X32, y)
    ref = GridSearchCV(Lasso(tol=1e-6), grid32, cv=FOLDS).fit(X32, y)
    assert_allclose(path.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"],
                    rtol=1e-3)
    pipe = make_pipeline(StandardScaler(), Lasso(**TIGHT))
    PathSearchCV(pipe, {"lasso__alpha": _alphas()}, cv=FOLDS).fit(X, y)
    assert built == []
    # wide folds (n_train < 2 p) are built from their rows
    PathSearchCV(Lasso(**TIGHT), {"alpha": _alphas()}, cv=FOLDS).fit(X[:12], y[:12])
    assert len(built) == 4


def test_no_statistics_pass_before_steps_that_are_not_scalers(data, monkeypatch):
    import skreg._path_search as path_search

    X, y = data
    calls = []
    original = path_search.fold_statistics
    monkeypatch.setattr(path_search, "fold_statistics",
                        lambda *a, **k: calls.append(1) or original(*a, **k))
    grid = {"lasso__alpha": _alphas(3)}
    PathSearchCV(make_pipeline(PolynomialFeatures(), Lasso()), grid, cv=FOLDS).fit(X, y)
    PathSearchCV(Pipeline([("scale", StandardScaler()), ("lasso", Lasso())]),
                 dict(grid, scale=[PolynomialFeatures()]), cv=FOLDS).fit(X, y)
    assert calls == []
    PathSearchCV(make_pipeline(StandardScaler(), MinMaxScaler(), Lasso()), grid,
                 cv=FOLDS).fit(X, y)
    assert calls == [1]


@pytest.mark.parametrize("params", [{}, {"with_mean": False}, {"with_std": False},
                                    {"with_mean": False, "with_std": False}])
def test_standard_scaler_fitted_from_statistics_equals_a_fit_on_the_rows(params):
    from skreg._dask_data import _block_stats
    from skreg._path_tasks import _fit_standard_scaler

    X, y = _data(200, 6, seed=3)
    X[:, 2] = 7.25  # a constant column: scale 1, as a fit on the rows gives
    X[:, 4] *= 1e-9
    ref = StandardScaler(**params).fit(X)
    got = _fit_standard_scaler(StandardScaler(**params), _block_stats(X, y))
    for attr in ("mean_", "var_", "scale_"):
        if getattr(ref, attr) is None:
            assert getattr(got, attr) is None
        else:
            assert_allclose(getattr(got, attr), getattr(ref, attr), rtol=1e-10, atol=0,
                            err_msg=attr)
    assert got.n_samples_seen_ == ref.n_samples_seen_ == 200
    assert got.n_features_in_ == 6
    assert_allclose(got.transform(X), ref.transform(X), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("return_train_score", [False, True])
def test_standard_scalers_are_fitted_from_the_fold_statistics(data, monkeypatch,
                                                              return_train_score):
    """StandardScaler steps are fitted from the training folds' statistics: no fold's rows
    are fitted or transformed (only the held-out rows, to score), and the results are
    GridSearchCV's, also over grids of the scaler's own parameters, 'passthrough' and
    chained scalers, and on a constant column."""
    import skreg._path_tasks as tasks

    X, y = data
    X = X.copy()
    X[:, 5] = -3.0
    monkeypatch.setattr(tasks, "pipeline_fit_head", lambda *a, **k: 1 / 0)
    pipe = Pipeline([("a", StandardScaler(with_std=False)), ("b", "passthrough"),
                     ("lasso", Lasso(**TIGHT))])
    grid = {"lasso__alpha": _alphas(), "b": ["passthrough", StandardScaler(with_mean=False)]}
    path = PathSearchCV(pipe, grid, cv=FOLDS, return_train_score=return_train_score)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PathFallbackWarning)
        path.fit(X, y)
    ref = GridSearchCV(pipe, grid, cv=FOLDS, return_train_score=return_train_score).fit(X, y)
    _assert_same(path, ref)
    assert path.best_params_ == ref.best_params_
    # the refit too: its scalers from the statistics of all the rows, its last step on them
    best, ref_best = path.best_estimator_, ref.best_estimator_
    assert [type(s) for _, s in best.steps] == [type(s) for _, s in ref_best.steps]
    for (_, step), (_, ref_step) in zip(best.steps[:-1], ref_best.steps[:-1]):
        if ref_step != "passthrough":
            assert step.n_samples_seen_ == ref_step.n_samples_seen_
            assert_allclose(step.mean_, ref_step.mean_, rtol=1e-10)
            if ref_step.scale_ is not None:
                assert_allclose(step.scale_, ref_step.scale_, rtol=1e-10)
    assert_allclose(best[-1].coef_, ref_best[-1].coef_, rtol=1e-8, atol=1e-10)
    assert_allclose(path.predict(X), ref.predict(X), rtol=1e-8)


def test_weighted_or_watched_scaler_fits_read_the_rows(data):
    """A weighted last step (weighted statistics, unweighted scaler) and a scaler given its
    own fit parameters are fitted on the fold's rows, with GridSearchCV's results."""
    X, y = data
    weights = np.random.RandomState(1).uniform(0.5, 2.0, len(y))
    pipe = make_pipeline(StandardScaler(), Lasso(**TIGHT))
    grid = {"lasso__alpha": _alphas()}
    for params in ({"lasso__sample_weight": weights},
                   {"standardscaler__sample_weight": weights},
                   {"standardscaler__sample_weight": weights, "lasso__sample_weight": weights}):
        path = PathSearchCV(pipe, grid, cv=FOLDS).fit(X, y, **params)
        ref = GridSearchCV(pipe, grid, cv=FOLDS).fit(X, y, **params)
        _assert_same(path, ref)


@pytest.mark.parametrize("output", ["default", "pandas"])
@pytest.mark.parametrize("container", ["frame", "array"])
def test_scaled_pipeline_on_a_dataframe_records_the_names_gridsearch_does(output, container):
    """A DataFrame takes the statistics route through StandardScaler steps as an array does;
    every step of the refitted Pipeline records the feature names a fit on the rows records
    (GridSearchCV's refit), whatever the container and the output setting."""
    pytest.importorskip("pandas")
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    if container == "array":
        X = X.to_numpy()

    def make():
        return make_pipeline(StandardScaler(), StandardScaler(), Lasso(**TIGHT)).set_output(
            transform=output)

    grid = {"lasso__alpha": np.logspace(-3, 0, 8)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = PathSearchCV(make(), grid, cv=3).fit(X, y)
        ref = GridSearchCV(make(), grid, cv=3).fit(X, y)
        ours.predict(X[:3] if container == "array" else X.iloc[:3])
    assert ours.best_params_ == ref.best_params_
    for (_, got), (_, want) in zip(ours.best_estimator_.steps, ref.best_estimator_.steps,
                                   strict=True):
        assert hasattr(got, "feature_names_in_") == hasattr(want, "feature_names_in_")
        if hasattr(want, "feature_names_in_"):
            assert_array_equal(got.feature_names_in_, want.feature_names_in_)
    if container == "frame":  # the same numbers as the array's
        on_array = PathSearchCV(make(), grid, cv=3).fit(X.to_numpy(), y.to_numpy())
        assert_array_equal(ours.cv_results_["mean_test_score"],
                           on_array.cv_results_["mean_test_score"])
        assert_array_equal(ours.best_estimator_[-1].coef_, on_array.best_estimator_[-1].coef_)
