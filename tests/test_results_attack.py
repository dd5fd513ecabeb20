"""The path results of LassoCV / ElasticNetCV (coef_at, predict(X, alpha=), summary()) under
odd use: memory and pickles of the kept data, threads, callers writing into what they get,
degenerate and repeated grids."""

import pickle
import threading

import numpy as np
import pytest
from conftest import make_data
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_diabetes

from skreg import ElasticNetCV, Lasso, LassoCV


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)


def test_kept_data_with_unpenalized_features_is_not_doubled():
    """An unpenalized feature is partialled out of a copy of X: that working copy is not kept
    by the fitted model, nor pickled, before or after solving between grid points."""
    X, y, _ = make_data(100, 1000, density=1.0)
    pf = np.ones(X.shape[1])
    pf[0] = 0.0
    reg = LassoCV(cv=3, alphas=8, eps=1e-2, penalty_factor=pf).fit(X, y)
    size = len(pickle.dumps(reg))
    assert size < 1.5 * X.nbytes  # (the kept centred copy of X, and no second one)
    alpha = np.sqrt(reg.alphas_[3] * reg.alphas_[4])
    coef, intercept = reg.coef_at(alpha)
    assert len(pickle.dumps(reg)) == size
    ref = Lasso(alpha=alpha, penalty_factor=pf, tol=1e-4).fit(X, y)
    # both certified to tol: the centred predictions agree within 2 sqrt(2 tol ||y~||^2)
    Xc = X - X.mean(axis=0)
    bound = 2 * np.sqrt(2 * 1e-4 * np.sum((y - y.mean()) ** 2))
    assert np.linalg.norm(Xc @ (coef - ref.coef_)) <= bound
    assert_allclose(reg.predict(X[:4], alpha=alpha), X[:4] @ coef + intercept)


@pytest.mark.parametrize("n_samples", [442, 60])  # Gram design, centred data
def test_between_grid_points_with_options_after_pickling(diabetes, n_samples):
    X, y = diabetes[0][:n_samples], diabetes[1][:n_samples]
    options = dict(penalty_factor=[0, 1, 1, 2, 1, 1, 1, 1, 1, 1], standardize=True,
                   relax=True, gamma=0.5, tol=1e-10, max_iter=100_000)
    reg = pickle.loads(pickle.dumps(LassoCV(cv=3, alphas=20, **options).fit(X, y)))
    alpha = 0.9 * reg.alphas_[8]
    ref = Lasso(alpha=alpha, **options).fit(X, y)
    coef, intercept = reg.coef_at(alpha)
    assert_allclose(coef, ref.coef_, rtol=1e-5, atol=1e-6 * np.abs(ref.coef_).max())
    assert_allclose(intercept, ref.intercept_, rtol=1e-6)


def test_threads_solving_between_grid_points_at_once(diabetes):
    X, y = diabetes
    pf = [0, 1, 1, 2, 1, 1, 1, 1, 1, 1]
    reg = LassoCV(cv=3, penalty_factor=pf, standardize=True).fit(X, y)
    alphas = [0.93 * a for a in reg.alphas_[10:50:5]]
    expected = [reg.predict(X, alpha=a) for a in alphas]
    got = [None] * len(alphas)
    barrier = threading.Barrier(len(alphas))

    def work(i):
        barrier.wait()
        for _ in range(3):
            got[i] = reg.predict(X, alpha=alphas[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(alphas))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e, g in zip(expected, got):
        assert_array_equal(g, e)


def test_coef_at_gives_copies(diabetes):
    """Writing into what coef_at returns changes neither the path nor the refit."""
    X, y = diabetes
    reg = LassoCV(cv=3).fit(X, y)
    path, coef = reg.coef_path_.copy(), reg.coef_.copy()
    for alpha in (reg.alpha_, reg.alphas_[30]):
        c, b = reg.coef_at(alpha)
        assert isinstance(b, float)
        c[:] = 1e6
    assert_array_equal(reg.coef_path_, path)
    assert_array_equal(reg.coef_, coef)


def _marks(table):
    return [str(m) for m in np.asarray(table["mark"])]


def test_summary_marks_one_row_each_on_a_constant_target(diabetes):
    """A constant y gives a grid of one repeated alpha: 'min' and '1se' each mark one row."""
    X, _ = diabetes
    reg = LassoCV(cv=3, alphas=10).fit(X, np.full(X.shape[0], 3.0))
    assert np.all(reg.alphas_ == reg.alpha_)
    marks = _marks(reg.summary())
    assert marks == ["min,1se"] + [""] * 9
    assert_array_equal(reg.df_, 0)
    assert_array_equal(reg.dev_ratio_, 0.0)


def test_summary_marks_one_row_each_on_a_repeated_alpha(diabetes):
    X, y = diabetes
    reg = LassoCV(cv=3, alphas=[0.1, 1.0, 0.1, 1.0, 0.01]).fit(X, y)
    assert_array_equal(reg.alphas_, [1.0, 1.0, 0.1, 0.1, 0.01])
    marks = _marks(reg.summary())
    assert sum("min" in m for m in marks) == 1
    assert sum("1se" in m for m in marks) == 1
    assert reg.alphas_[["min" in m for m in marks].index(True)] == reg.alpha_
    assert reg.alphas_[["1se" in m for m in marks].index(True)] == reg.alpha_1se_


def test_set_params_after_fit_changes_no_result(diabetes):
    """summary() and coef_at read what fit recorded, not the parameters as they are now."""
    X, y = diabetes
    reg = ElasticNetCV(cv=3, l1_ratio=[0.2, 0.8], relax=True, gamma=[0.0, 0.5, 1.0],
                       alphas=15).fit(X, y)
    table = reg.summary()
    alpha = 0.9 * reg.alphas_[[0.2, 0.8].index(reg.l1_ratio_), 7]  # between grid points
    coef, intercept = reg.coef_at(alpha)
    for params in (dict(l1_ratio=0.5), dict(gamma=[1.0, 0.5, 0.0]), dict(gamma=0.3),
                   dict(fit_intercept=False, relax=False, gamma=1.0)):
        reg.set_params(**params)
        again = reg.summary()
        for name in ("alpha", "df", "pct_dev", "mse_mean", "mse_se"):
            assert_array_equal(np.asarray(again[name]), np.asarray(table[name]))
        assert _marks(again) == _marks(table)
        c, b = reg.coef_at(alpha)
        assert_allclose(c, coef, rtol=1e-12, atol=1e-12)
        assert b == pytest.approx(intercept, rel=1e-12)
    assert intercept != 0.0


def test_precompute_true_keeps_no_gram_larger_than_x():
    """With more features than samples the kept full-data design is the data, not a Gram
    matrix n_features / n_samples times larger, whatever precompute."""
    X, y, _ = make_data(40, 600, density=1.0)
    reg = LassoCV(cv=3, alphas=8, eps=1e-2, precompute=True, tol=1e-10,
                  max_iter=100_000).fit(X, y)
    assert len(pickle.dumps(reg)) < 1.5 * X.nbytes
    ref = LassoCV(cv=3, alphas=8, eps=1e-2, tol=1e-10, max_iter=100_000).fit(X, y)
    assert_allclose(reg.coef_path_, ref.coef_path_, atol=1e-6 * np.abs(ref.coef_path_).max())
