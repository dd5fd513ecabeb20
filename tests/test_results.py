"""Path results of the fitted CV selectors (coef_path_, intercept_path_, df_, dev_ratio_,
predict / coef_at at any alpha, summary()), the path functions' ``return_stats``, and their
agreement with R glmnet 4.1 (tests/data/glmnet_diabetes.csv, made by glmnet_diabetes.R)."""

import csv
import os
import pickle
import sys

import numpy as np
import pytest
from conftest import make_data
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import load_diabetes

from skreg import ElasticNet, ElasticNetCV, Lasso, LassoCV, enet_path, lasso_path

DATA = os.path.join(os.path.dirname(__file__), "data")


def direct_stats(X, y, coefs, intercepts, sample_weight=None):
    """df and dev_ratio computed from the coefficients on the original data."""
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    resid = y[:, None] - np.asarray(X @ coefs) - intercepts
    null = y - np.average(y, weights=s)
    return np.count_nonzero(coefs, axis=0), 1 - (s @ resid**2) / (s @ null**2)


def prediction_bound(X, y, tol):
    """Certified bound on ||X~(w1 - w2)|| for two fits each stopped at a gap <= tol ||y~||^2
    (the objective is 1/n-strongly convex in the centred predictions, dual_gap_ being the
    gap / n): 2 sqrt(2 n gap)."""
    yy = np.sum((y - y.mean()) ** 2)
    return 2 * np.sqrt(2 * tol * yy)


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)


@pytest.mark.parametrize("sparse_X", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_path_results_equal_direct_computation(sparse_X, weighted):
    X, y, sw = make_data(60, 12, density=0.6 if sparse_X else 1.0)
    sw = sw if weighted else None
    Xf = sparse.csc_matrix(X) if sparse_X else X
    reg = LassoCV(cv=3, tol=1e-8).fit(Xf, y, sample_weight=sw)
    n_alphas = len(reg.alphas_)
    assert reg.coef_path_.shape == (12, n_alphas)
    assert reg.intercept_path_.shape == reg.df_.shape == reg.dev_ratio_.shape == (n_alphas,)
    df, dev = direct_stats(X, y, reg.coef_path_, reg.intercept_path_, sw)
    assert_array_equal(reg.df_, df)
    assert_allclose(reg.dev_ratio_, dev, atol=1e-10)
    assert reg.df_[0] == 0 and reg.dev_ratio_[0] == pytest.approx(0, abs=1e-12)
    assert np.all(np.diff(reg.dev_ratio_) > -1e-8)  # more explained as alpha decreases
    # the path is enet_path's on the same grid and problem
    alphas, coefs, _, stats = lasso_path(Xf, y, alphas=reg.alphas_, fit_intercept=True,
                                         sample_weight=sw, tol=1e-8, return_stats=True)
    assert_allclose(alphas, reg.alphas_)
    bound = prediction_bound(X, y, 1e-8)
    Xc = X - np.average(X, axis=0, weights=sw)
    assert np.max(np.linalg.norm(Xc @ (coefs - reg.coef_path_), axis=0)) <= bound
    assert_allclose(stats.dev_ratio, reg.dev_ratio_, atol=1e-6)
    # the refit is a point of the path (same problem, same tolerance)
    i = list(reg.alphas_).index(reg.alpha_)
    assert np.linalg.norm(Xc @ (reg.coef_path_[:, i] - reg.coef_)) <= bound


def test_return_stats_keeps_signature(diabetes):
    X, y = diabetes
    out = enet_path(X, y, l1_ratio=0.7, alphas=5)
    assert len(out) == 3
    out = enet_path(X, y, l1_ratio=0.7, alphas=5, return_n_iter=True, return_stats=True,
                    fit_intercept=True)
    assert len(out) == 5
    alphas, coefs, gaps, n_iters, stats = out
    assert len(n_iters) == 5
    assert stats.intercepts.shape == stats.df.shape == stats.dev_ratio.shape == (5,)
    df, dev = direct_stats(X, y, coefs, stats.intercepts)
    assert_array_equal(stats.df, df)
    assert_allclose(stats.dev_ratio, dev, atol=1e-12)
    # without intercept: intercepts are 0 and the null model is 0
    _, coefs, _, stats = enet_path(X, y, alphas=[1.0, 0.1], return_stats=True)
    assert_array_equal(stats.intercepts, 0.0)
    rss = np.sum((y[:, None] - X @ coefs) ** 2, axis=0)
    assert_allclose(stats.dev_ratio, 1 - rss / np.sum(y**2), atol=1e-12)


def test_return_stats_one_column_target(diabetes):
    X, y = diabetes
    _, coefs, _, stats = lasso_path(X, y[:, None], alphas=4, fit_intercept=True,
                                    return_stats=True)
    assert coefs.shape == (1, 10, 4)
    assert stats.intercepts.shape == (1, 4)
    assert stats.df.shape == stats.dev_ratio.shape == (4,)
    _, _, _, flat = lasso_path(X, y, alphas=4, fit_intercept=True, return_stats=True)
    assert_allclose(stats.intercepts[0], flat.intercepts)
    assert_allclose(stats.dev_ratio, flat.dev_ratio)


@pytest.mark.parametrize("precompute", [True, False])
def test_stats_from_gram_equal_stats_from_data(diabetes, precompute):
    X, y = diabetes
    sw = np.linspace(0.5, 2.0, len(y))
    _, coefs, _, stats = lasso_path(X, y, alphas=20, fit_intercept=True, sample_weight=sw,
                                    precompute=precompute, return_stats=True)
    _, dev = direct_stats(X, y, coefs, stats.intercepts, sw)
    assert_allclose(stats.dev_ratio, dev, atol=1e-12)


def test_predict_at_any_alpha_is_a_refit(diabetes):
    X, y = diabetes
    tol = 1e-10
    reg = LassoCV(cv=5, tol=tol).fit(X, y)
    bound = prediction_bound(X, y, tol)
    assert_array_equal(reg.predict(X, alpha=reg.alpha_), reg.predict(X))
    i = 7  # a grid point: the path's own column
    assert_allclose(reg.predict(X, alpha=reg.alphas_[i]),
                    X @ reg.coef_path_[:, i] + reg.intercept_path_[i])
    for alpha in (np.sqrt(reg.alphas_[30] * reg.alphas_[31]), 3.0 * reg.alphas_[0],
                  0.5 * reg.alphas_[-1], reg.alphas_[50] * 1.01):
        direct = Lasso(alpha=alpha, tol=tol).fit(X, y)
        pred = reg.predict(X, alpha=alpha)
        assert np.linalg.norm(pred - direct.predict(X)) <= bound
        coef, intercept = reg.coef_at(alpha)
        assert_allclose(pred, X @ coef + intercept)
    assert_array_equal(reg.coef_at(3.0 * reg.alphas_[0])[0], 0.0)


def test_elasticnet_cv_path_at_chosen_l1_ratio(diabetes):
    X, y = diabetes
    tol = 1e-10
    reg = ElasticNetCV(l1_ratio=[0.2, 0.7], cv=3, tol=tol).fit(X, y)
    row = [0.2, 0.7].index(reg.l1_ratio_)
    alphas = reg.alphas_[row]
    _, coefs, _ = enet_path(X, y, l1_ratio=reg.l1_ratio_, alphas=alphas, fit_intercept=True,
                            tol=tol)
    Xc = X - X.mean(axis=0)
    bound = prediction_bound(X, y, tol)
    assert np.max(np.linalg.norm(Xc @ (coefs - reg.coef_path_), axis=0)) <= bound
    alpha = np.sqrt(alphas[40] * alphas[41])
    direct = ElasticNet(alpha=alpha, l1_ratio=reg.l1_ratio_, tol=tol).fit(X, y)
    assert np.linalg.norm(reg.predict(X, alpha=alpha) - direct.predict(X)) <= bound
    table = reg.summary()
    mse = reg.mse_path_[row]
    assert_allclose(np.asarray(table["mse_mean"]), mse.mean(axis=1))
    assert_allclose(np.asarray(table["alpha"]), alphas)


def test_glmnet_options_and_sparse_predict(diabetes):
    X, y = diabetes
    tol = 1e-10
    Xs = sparse.csc_matrix(np.where(np.abs(X) > 0.03, X, 0.0))
    reg = LassoCV(cv=3, tol=tol, standardize=True).fit(Xs, y)
    alpha = np.sqrt(reg.alphas_[20] * reg.alphas_[21])
    direct = Lasso(alpha=alpha, tol=tol, standardize=True).fit(Xs, y)
    Xd = Xs.toarray()
    assert np.linalg.norm(reg.predict(Xs, alpha=alpha) - direct.predict(Xs)) <= \
        prediction_bound(Xd, y, tol)
    df, dev = direct_stats(Xd, y, reg.coef_path_, reg.intercept_path_)
    assert_array_equal(reg.df_, df)
    assert_allclose(reg.dev_ratio_, dev, atol=1e-10)


def test_pickle_clone_and_dtype(diabetes):
    X, y = diabetes
    reg = LassoCV(cv=3).fit(X.astype(np.float32), y)
    assert reg.coef_path_.dtype == np.float32
    alpha = 1.2345 * reg.alphas_[40]
    again = pickle.loads(pickle.dumps(reg))
    assert_allclose(again.predict(X[:5], alpha=alpha), reg.predict(X[:5], alpha=alpha))
    assert_array_equal(again.dev_ratio_, reg.dev_ratio_)
    fresh = clone(reg)
    assert not hasattr(fresh, "coef_path_")
    with pytest.raises(Exception, match="not fitted"):
        fresh.predict(X, alpha=0.1)


@pytest.mark.parametrize("alpha", [-1.0, np.nan, np.inf, "0.1", True])
def test_bad_alpha_one_clear_error(diabetes, alpha):
    X, y = diabetes
    reg = LassoCV(cv=3).fit(X, y)
    with pytest.raises(ValueError, match="alpha must be a finite non-negative number"):
        reg.predict(X, alpha=alpha)
    with pytest.raises(ValueError, match="alpha=0 is not on the grid"):
        reg.coef_at(0.0)


def test_summary_dataframe_and_structured_array(diabetes, monkeypatch):
    pd = pytest.importorskip("pandas")
    X, y = diabetes
    reg = LassoCV(cv=5, selection_rule="1se").fit(X, y)
    table = reg.summary()
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == ["alpha", "df", "pct_dev", "mse_mean", "mse_se", "mark"]
    assert_array_equal(table["df"], reg.df_)
    assert_allclose(table["pct_dev"], 100 * reg.dev_ratio_)
    assert_allclose(table["mse_se"], reg.mse_path_.std(axis=1) / np.sqrt(5))
    assert table.loc[table["mark"].str.contains("min"), "alpha"].tolist() == [reg.alpha_]
    assert table.loc[table["mark"].str.contains("1se"), "alpha"].tolist() == [reg.alpha_1se_]
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    array = reg.summary()
    assert isinstance(array, np.ndarray) and array.dtype.names == tuple(table.columns)
    for name in ("alpha", "df", "pct_dev", "mse_mean", "mse_se"):
        assert_allclose(array[name], table[name])
    assert array["mark"].tolist() == table["mark"].tolist()


def test_summary_gamma_grid(diabetes):
    X, y = diabetes
    reg = LassoCV(cv=3, relax=True, gamma=[0.0, 1.0], tol=1e-10).fit(X, y)
    table = reg.summary()
    g = [0.0, 1.0].index(reg.gamma_)
    assert_allclose(np.asarray(table["mse_mean"]), reg.mse_path_[g].mean(axis=1))
    # the path is the refit's problem (the relaxed fit at gamma_): penalized fits certified
    # to tol, least-squares refits on the same support
    i = list(reg.alphas_).index(reg.alpha_)
    Xc = X - X.mean(axis=0)
    assert np.linalg.norm(Xc @ (reg.coef_path_[:, i] - reg.coef_)) <= \
        prediction_bound(X, y, 1e-10)


# ---- R glmnet 4.1 -----------------------------------------------------------------------------


def glmnet_reference(case):
    with open(os.path.join(DATA, "glmnet_diabetes.csv"), newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["case"] == case]
    return (np.array([float(r["lambda"]) for r in rows]),
            np.array([int(r["df"]) for r in rows]),
            np.array([float(r["dev_ratio"]) for r in rows]))


def on_a_knot(X, y, coefs, intercepts, alphas, l1_ratio, sw=None, rtol=1e-8):
    """Where some zero coefficient's correlation with the residual equals its L1 threshold
    to rtol: the solution sits where that feature enters or leaves, so whether its
    coefficient is 0 or a rounding-sized number is decided by rounding."""
    s = np.ones(len(y)) if sw is None else sw * len(y) / sw.sum()
    resid = y[:, None] - X @ coefs - intercepts
    corr = np.abs(X.T @ (s[:, None] * resid)) / len(y)
    tight = np.abs(corr / (alphas * l1_ratio) - 1) <= rtol
    return np.any(tight & (coefs == 0), axis=0)


@pytest.mark.parametrize("case", ["lasso", "enet_0.5", "lasso_weighted"])
def test_df_and_dev_ratio_agree_with_glmnet(diabetes, case):
    X, y = diabetes
    lam, df_r, dev_r = glmnet_reference(case)
    sw = 1.0 + np.arange(len(y)) % 3 if case == "lasso_weighted" else None
    if case == "enet_0.5":
        # glmnet scales y by its sd for the Gaussian family: its L2 weight is
        # lambda (1 - a) / sd (docs/migration.md), so glmnet(lambda, a) is skreg's
        # (alpha, l1_ratio) = (lambda c, a / c) with c = a + (1 - a) / sd
        a = 0.5
        c = a + (1 - a) / y.std()
        alphas, l1_ratio = lam * c, a / c
    else:
        alphas, l1_ratio = lam, 1.0
    _, coefs, _, stats = enet_path(X, y, l1_ratio=l1_ratio, alphas=alphas, fit_intercept=True,
                                   sample_weight=sw, tol=1e-12, max_iter=100_000,
                                   return_stats=True)
    assert np.max(np.abs(stats.dev_ratio - dev_r)) <= 2e-6
    differ = stats.df != df_r
    knots = on_a_knot(X, y, coefs, stats.intercepts, alphas, l1_ratio, sw)
    assert np.all(knots[differ]), np.flatnonzero(differ & ~knots)
    assert differ.sum() <= 1  # (the first alpha, alpha_max itself, is such a knot)
    if case != "enet_0.5":  # the fitted selector gives the same along the same grid
        reg = LassoCV(alphas=lam, cv=3, tol=1e-12, max_iter=100_000).fit(
            X, y, sample_weight=sw)
        assert_allclose(reg.alphas_, lam)
        assert np.max(np.abs(reg.dev_ratio_ - dev_r)) <= 2e-6
        assert np.all(knots[reg.df_ != df_r])


@pytest.mark.parametrize("sparse_X", [False, True])
def test_solves_between_grid_points_on_its_own_copy_of_the_data(sparse_X):
    """Without intercept or weights the design could be the caller's X itself: fit keeps its
    own copy, so changing X afterwards changes nothing."""
    X, y, _ = make_data(30, 40, density=0.5 if sparse_X else 1.0)
    X = sparse.csc_matrix(X) if sparse_X else np.asfortranarray(X)
    reg = LassoCV(cv=3, fit_intercept=False, eps=1e-2, alphas=20).fit(X, y)
    alpha = np.sqrt(reg.alphas_[10] * reg.alphas_[11])
    before = reg.coef_at(alpha)[0]
    if sparse_X:
        X.data[:] = 0.0
    else:
        X[:] = 0.0
    assert_array_equal(reg.coef_at(alpha)[0], before)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_full_path_on_tall_data_comes_from_the_folds_statistics(monkeypatch, fit_intercept,
                                                                dtype):
    """On tall dense data the full-data path runs on the Gram matrix of the statistics the
    search already computed (no further pass over X), with the results of a path on the
    rows."""
    import skreg._linear_cv as linear_cv

    X, y, sw = make_data(300, 10, density=1.0)
    X = X.astype(dtype)
    built = []
    original = linear_cv.make_design
    monkeypatch.setattr(linear_cv, "make_design",
                        lambda *a, **k: built.append(k.get("precompute")) or original(*a, **k))
    reg = LassoCV(cv=3, tol=1e-10, fit_intercept=fit_intercept).fit(X, y, sample_weight=sw)
    assert built.count(None) == len(built)  # (the grid's alpha_max only)
    alphas, coefs, _, stats = lasso_path(X, y, alphas=reg.alphas_, sample_weight=sw,
                                         fit_intercept=fit_intercept, tol=1e-10,
                                         return_stats=True)
    scale = float(np.abs(coefs).max())
    atol = (1e-5 if dtype == np.float32 else 1e-7) * scale
    assert_allclose(reg.coef_path_, coefs, atol=atol)
    assert_allclose(reg.intercept_path_, stats.intercepts, atol=atol * 10)
    assert_allclose(reg.dev_ratio_, stats.dev_ratio, atol=1e-5)
    # between grid points: solved on the kept Gram design, as a fit
    alpha = np.sqrt(reg.alphas_[3] * reg.alphas_[4])
    ref = Lasso(alpha=alpha, tol=1e-10, fit_intercept=fit_intercept).fit(X, y,
                                                                        sample_weight=sw)
    coef, intercept = reg.coef_at(alpha)
    assert_allclose(coef, ref.coef_, atol=atol)
    assert intercept == pytest.approx(ref.intercept_, abs=atol * 10)
