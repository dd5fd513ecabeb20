"""glmnet-style options in LassoCV / ElasticNetCV / PathSearchCV: same results as GridSearchCV
over skreg's Lasso / ElasticNet with those options on the same folds, an options-aware automatic
alpha grid, relaxed fits searched over gamma x alpha from one relaxed path per fold."""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sklm
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.utils.estimator_checks import parametrize_with_checks

import skreg._path_protocol as protocol_module
from skreg import ElasticNet, ElasticNetCV, Lasso, LassoCV, PathSearchCV

TIGHT = dict(tol=1e-14, max_iter=100_000)
FOLDS = KFold(5, shuffle=True, random_state=0)
RTOL = 1e-6
P = 12


def _data(seed=0, n=90, p=P, fmt="dense"):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p) * rng.uniform(0.3, 4.0, size=p)  # unequal scales: standardize matters
    w = np.zeros(p)
    w[:5] = [3.0, -2.0, 1.5, 0.8, -0.5]
    y = X @ w + rng.randn(n) + 1.0
    sw = rng.uniform(0.2, 3.0, size=n)
    return (sparse.csr_matrix(X) if fmt == "sparse" else X), y, sw


PF = np.array([0.0, 1.0, 2.0, 0.5, np.inf] + [1.0] * (P - 5))
LO = np.array([-1.0, -np.inf, 0.0, -0.2] + [-np.inf] * (P - 4))
HI = np.array([0.0, 0.5, np.inf, np.inf] + [np.inf] * (P - 4))
OPTIONS = {
    "penalty_factor": dict(penalty_factor=PF),
    "bounds": dict(lower_bounds=LO, upper_bounds=HI),
    "standardize": dict(standardize=True),
    "all": dict(penalty_factor=PF, lower_bounds=LO, upper_bounds=HI, standardize=True),
}


def _split_mse(search, n_splits=5):
    """-split test scores of a search, shape (n_candidates, n_splits)."""
    res = search.cv_results_
    return -np.stack([res[f"split{s}_test_score"] for s in range(n_splits)], axis=1)


def _assert_same_results(a, b, rtol=RTOL):
    ra, rb = a.cv_results_, b.cv_results_
    assert ra["params"] == rb["params"]
    for key in ra:
        if "_test_" in key and not key.startswith("rank_"):
            assert_allclose(ra[key], rb[key], rtol=rtol, err_msg=key)


# ------------------------------------------------------------------------------------------------
# penalty factors, bounds, standardization: LassoCV / ElasticNetCV == GridSearchCV
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(OPTIONS))
@pytest.mark.parametrize("fmt", ["dense", "sparse"])
def test_lasso_cv_options_equal_grid_search(name, fmt):
    X, y, _ = _data(fmt=fmt)
    opts = OPTIONS[name]
    ours = LassoCV(alphas=12, cv=FOLDS, **TIGHT, **opts).fit(X, y)
    grid = {"alpha": ours.alphas_}
    ref = GridSearchCV(Lasso(**TIGHT, **opts), grid, cv=FOLDS,
                       scoring="neg_mean_squared_error").fit(X, y)
    path = PathSearchCV(Lasso(**TIGHT, **opts), grid, cv=FOLDS,
                        scoring="neg_mean_squared_error").fit(X, y)
    assert ours.mse_path_.shape == (12, 5)
    assert_allclose(ours.mse_path_, _split_mse(ref), rtol=RTOL)
    _assert_same_results(path, ref)
    assert ours.alpha_ == ref.best_params_["alpha"] == path.alpha_
    assert ours.gamma_ == 1.0
    best = ref.best_estimator_
    assert_allclose(ours.coef_, best.coef_, rtol=1e-7, atol=1e-9)
    assert_allclose(ours.intercept_, best.intercept_, rtol=1e-7)
    if "penalty_factor" in opts:
        assert ours.coef_[4] == 0.0  # excluded
    if "lower_bounds" in opts:
        assert np.all(ours.coef_ >= LO - 1e-12) and np.all(ours.coef_ <= HI + 1e-12)


def test_elastic_net_cv_options_equal_grid_search():
    X, y, _ = _data(seed=1)
    opts = OPTIONS["all"]
    ours = ElasticNetCV(l1_ratio=[0.3, 1.0], alphas=8, cv=FOLDS, **TIGHT, **opts).fit(X, y)
    ref = GridSearchCV(ElasticNet(**TIGHT, **opts), ours.param_grid, cv=FOLDS,
                       scoring="neg_mean_squared_error").fit(X, y)
    assert ours.mse_path_.shape == (2, 8, 5) and ours.alphas_.shape == (2, 8)
    assert_allclose(ours.mse_path_.reshape(16, 5), _split_mse(ref), rtol=RTOL)
    assert ours.alpha_ == ref.best_params_["alpha"]
    assert ours.l1_ratio_ == ref.best_params_["l1_ratio"]
    assert_allclose(ours.coef_, ref.best_estimator_.coef_, rtol=1e-7, atol=1e-9)


# ------------------------------------------------------------------------------------------------
# the automatic grid
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(OPTIONS) + ["positive_standardize"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_grid_starts_at_options_alpha_max(name, l1_ratio):
    """alphas_[0] is the smallest alpha with every penalized coefficient 0 (weights, factors,
    bounds, standardization): the first one a hair below it has a non-zero."""
    X, y, sw = _data(seed=2)
    opts = dict(positive=True, standardize=True) if name not in OPTIONS else OPTIONS[name]
    cv = ElasticNetCV(l1_ratio=l1_ratio, alphas=2, eps=0.98, cv=3, **opts).fit(
        X, y, sample_weight=sw)
    pf = opts.get("penalty_factor", np.ones(P))
    penalized = (pf > 0) & np.isfinite(pf)
    at, below = (ElasticNet(alpha=a, l1_ratio=l1_ratio, **TIGHT, **opts).fit(
        X, y, sample_weight=sw).coef_ for a in cv.alphas_)
    assert np.all(np.abs(at[penalized]) < 1e-8)
    assert np.any(below[penalized] != 0)
    default = ElasticNetCV(l1_ratio=l1_ratio, alphas=2, eps=0.98, cv=3).fit(
        X, y, sample_weight=sw)
    assert not np.allclose(cv.alphas_, default.alphas_)  # the options moved alpha_max


def test_neutral_options_keep_sklearn_grid_and_results():
    X, y, sw = _data(seed=3)
    neutral = dict(penalty_factor=np.ones(P), lower_bounds=-np.inf, upper_bounds=np.inf)
    ours = LassoCV(alphas=10, cv=FOLDS, **TIGHT, **neutral).fit(X, y, sample_weight=sw)
    sk = sklm.LassoCV(alphas=10, cv=FOLDS, **TIGHT).fit(X, y, sample_weight=sw)
    assert_allclose(ours.alphas_, sk.alphas_, rtol=1e-12)
    assert_allclose(ours.mse_path_, sk.mse_path_, rtol=RTOL)
    assert ours.alpha_ == pytest.approx(sk.alpha_, rel=1e-12)
    plain = LassoCV(cv=3).fit(X, y)  # defaults: no gamma axis, gamma_ = 1
    assert plain.mse_path_.shape == (100, 3) and plain.gamma_ == 1.0


# ------------------------------------------------------------------------------------------------
# relaxed fits: a grid over gamma x alpha from one relaxed path per fold
# ------------------------------------------------------------------------------------------------


def _count_relaxed_paths(monkeypatch):
    calls = []
    original = protocol_module.options_path

    def counting(*args, **kwargs):
        calls.append(kwargs.get("return_refits"))
        return original(*args, **kwargs)

    monkeypatch.setattr(protocol_module, "options_path", counting)
    return calls


@pytest.mark.parametrize("fmt", ["dense", "sparse"])
def test_path_search_gamma_grid_equals_grid_search(fmt, monkeypatch):
    X, y, _ = _data(seed=4, fmt=fmt)
    est = Lasso(relax=True, penalty_factor=PF, standardize=True, **TIGHT)
    alphas = LassoCV(alphas=10, penalty_factor=PF, standardize=True)._grid(
        sparse.csc_matrix(X) if fmt == "sparse" else X, y, None)[1][0]
    grid = {"alpha": alphas, "gamma": [0.0, 0.25, 0.5, 1.0]}
    ref = GridSearchCV(est, grid, cv=FOLDS, return_train_score=True).fit(X, y)
    calls = _count_relaxed_paths(monkeypatch)
    path = PathSearchCV(est, grid, cv=FOLDS, return_train_score=True).fit(X, y)
    # one relaxed path per fold, not one per gamma (dense: and the refit's, one alpha, on the
    # statistics of all the rows)
    assert calls == [True] * (6 if fmt == "dense" else 5)
    _assert_same_results(path, ref)
    assert_allclose(path.cv_results_["mean_train_score"], ref.cv_results_["mean_train_score"],
                    rtol=RTOL)
    assert path.best_params_ == ref.best_params_
    assert_allclose(path.best_estimator_.coef_, ref.best_estimator_.coef_, rtol=1e-12)
    # fit times of a path's candidates add up, per fold, to at most the path's wall time
    assert np.all(path.cv_results_["mean_fit_time"] > 0)


def test_path_search_gamma_grid_multi_target_l1_ratio_and_fallback():
    X, y, _ = _data(seed=5)
    Y = np.column_stack([y, X[:, 2] - 0.5 * y])
    grid = [{"alpha": [0.5, 0.1, 0.02], "gamma": [1.0, 0.0, 0.5], "l1_ratio": [0.4, 1.0]},
            {"alpha": [0.3, 0.03], "gamma": [0.2, 0.7], "relax": [True]},  # per-gamma paths
            {"alpha": [0.2], "gamma": [0.5]}]
    est = ElasticNet(relax=True, lower_bounds=LO, upper_bounds=HI, **TIGHT)
    path = PathSearchCV(est, grid, cv=FOLDS, scoring="r2").fit(X, Y)
    ref = GridSearchCV(est, grid, cv=FOLDS, scoring="r2").fit(X, Y)
    _assert_same_results(path, ref)
    assert path.best_params_ == ref.best_params_


def test_lasso_cv_gamma_grid_equals_grid_search():
    X, y, _ = _data(seed=6)
    gammas = [0.0, 0.5, 1.0]
    ours = LassoCV(alphas=10, cv=FOLDS, relax=True, gamma=gammas, penalty_factor=PF,
                   **TIGHT).fit(X, y)
    assert ours.get_params()["gamma"] is gammas  # stored as given
    est = Lasso(relax=True, penalty_factor=PF, **TIGHT)
    ref = GridSearchCV(est, {"alpha": ours.alphas_, "gamma": gammas}, cv=FOLDS,
                       scoring="neg_mean_squared_error").fit(X, y)
    _assert_same_results(ours, ref)
    assert ours.mse_path_.shape == (3, 10, 5)  # (n_gamma, n_alphas, n_folds)
    mse = _split_mse(ref).reshape(10, 3, 5)  # candidates: alpha-major, then gamma
    assert_allclose(ours.mse_path_, mse.transpose(1, 0, 2), rtol=RTOL)
    assert ours.best_params_ == ref.best_params_
    assert ours.alpha_ == ref.best_params_["alpha"] and ours.gamma_ == ref.best_params_["gamma"]
    i_g, i_a = np.unravel_index(np.argmin(ours.mse_path_.mean(axis=-1)), (3, 10))
    assert ours.gamma_ == gammas[i_g] and ours.alpha_ == ours.alphas_[i_a]
    refit = Lasso(alpha=ours.alpha_, gamma=ours.gamma_, relax=True, penalty_factor=PF,
                  **TIGHT).fit(X, y)
    assert_allclose(ours.coef_, refit.coef_, rtol=1e-12, atol=1e-14)
    # the one-standard-error rule moves along alpha at gamma_
    one_se = LassoCV(alphas=10, cv=FOLDS, relax=True, gamma=gammas, penalty_factor=PF,
                     selection_rule="1se", **TIGHT).fit(X, y)
    assert one_se.best_params_ == {"alpha": ours.alpha_1se_, "gamma": ours.gamma_}
    assert one_se.alpha_1se_ == ours.alpha_1se_ >= ours.alpha_


def test_elastic_net_cv_gamma_grid_shapes():
    X, y, _ = _data(seed=7)
    ours = ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=6, cv=FOLDS, relax=True,
                        gamma=np.array([0.0, 1.0]), **TIGHT).fit(X, y)
    assert ours.mse_path_.shape == (2, 2, 6, 5)  # (n_l1_ratio, n_gamma, n_alphas, n_folds)
    ref = GridSearchCV(ElasticNet(relax=True, **TIGHT), ours.param_grid, cv=FOLDS,
                       scoring="neg_mean_squared_error").fit(X, y)
    mse = _split_mse(ref).reshape(2, 6, 2, 5).transpose(0, 2, 1, 3)
    assert_allclose(ours.mse_path_, mse, rtol=RTOL)
    assert (ours.alpha_, ours.gamma_, ours.l1_ratio_) == (
        ref.best_params_["alpha"], ref.best_params_["gamma"], ref.best_params_["l1_ratio"])
    # a single gamma (scalar or one-element list): no gamma axis
    for gamma in (0.3, [0.3]):
        one = ElasticNetCV(l1_ratio=0.5, alphas=6, cv=3, relax=True, gamma=gamma).fit(X, y)
        assert one.mse_path_.shape == (6, 3) and one.gamma_ == 0.3


# ------------------------------------------------------------------------------------------------
# validation and estimator conventions
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("params, match", [
    (dict(gamma=[0.5, 1.0]), "relax=True"),
    (dict(gamma=0.5), "relax=True"),
    (dict(relax=True, gamma=[0.5, 1.5]), "gamma"),
    (dict(relax=True, gamma=1.5), "gamma"),
    (dict(relax=True, gamma=[]), "gamma"),
    (dict(penalty_factor=[1.0, 2.0]), "shape"),
    (dict(lower_bounds=0.5), "contain 0"),
])
def test_invalid_options(params, match):
    X, y, _ = _data()
    with pytest.raises(ValueError, match=match):
        LassoCV(cv=3, **params).fit(X, y)


def test_clone_keeps_options_as_given():
    m = ElasticNetCV(relax=True, gamma=[0.0, 1.0], penalty_factor=PF, lower_bounds=-1.0)
    c = clone(m)
    assert c.get_params()["gamma"] == [0.0, 1.0] and isinstance(c.gamma, list)
    assert_array_equal(c.penalty_factor, PF) and c.lower_bounds == -1.0
    assert m.estimator.gamma == 0.0 and m.estimator.relax  # the grid sets each candidate's


# Tight tol and enough epochs: check_sample_weight_equivalence_* compares to rtol=1e-7 (see
# test_search.py).
CHECKED = [
    # eps=0.1: with the default 1e-3 the least-squares refits (gamma=0) of the two smallest
    # alphas both interpolate the 15 distinct rows, their CV errors tie at 0 and rounding
    # noise picks between them (differently for weighted and repeated rows, by machine).
    LassoCV(alphas=5, eps=0.1, cv=3, tol=1e-10, max_iter=100_000, standardize=True, relax=True,
            gamma=[0.0, 0.5, 1.0]),
    ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=4, cv=3, tol=1e-10, max_iter=100_000,
                 lower_bounds=-5.0, upper_bounds=5.0, relax=True, gamma=0.5),
]


@parametrize_with_checks(CHECKED)
def test_sklearn_compatible_with_options(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)
