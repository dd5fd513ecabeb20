"""Error and warning messages of the coordinate-descent estimators and searches: they name the
estimator the user called, fail before any fit, and read as scikit-learn's."""

import re
import warnings

import numpy as np
import pytest
import sklearn.linear_model as sklm
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from skreg import ElasticNet, ElasticNetCV, Lasso, LassoCV, PathSearchCV

CV_CLASSES = [LassoCV, ElasticNetCV]


def _data():
    return load_diabetes(return_X_y=True)


@pytest.mark.parametrize("cls", CV_CLASSES)
def test_predict_errors_name_the_cv_estimator(cls):
    X, y = _data()
    name = cls.__name__
    with pytest.raises(NotFittedError, match=f"This {name} instance is not fitted"):
        cls().predict(X)
    model = cls(cv=3, alphas=5).fit(X, y)
    with pytest.raises(ValueError, match=f"X has 3 features, but {name} is expecting 10"):
        model.predict(X[:, :3])
    np.testing.assert_allclose(model.predict(X), X @ model.coef_ + model.intercept_)


@pytest.mark.parametrize("cls", CV_CLASSES)
@pytest.mark.parametrize("alphas", [[], np.array([])])
def test_empty_alphas_one_clear_message(cls, alphas):
    X, y = _data()
    with pytest.raises(ValueError, match="non-empty array-like of alphas, got an empty one"):
        cls(alphas=alphas).fit(X, y)


def test_empty_l1_ratio_one_clear_message():
    X, y = _data()
    with pytest.raises(ValueError, match="l1_ratio must be a float or a non-empty list"):
        ElasticNetCV(l1_ratio=[]).fit(X, y)


@pytest.mark.parametrize("grid, message", [
    ({"alpha": []}, "param_grid gives no value for 'alpha'"),
    ([{"alpha": [0.1]}, {"l1_ratio": np.array([])}], "param_grid gives no value for 'l1_ratio'"),
    ([], "param_grid is empty"),
])
def test_empty_param_grid_one_clear_message(grid, message, monkeypatch):
    X, y = _data()
    import skreg._path_search as path_search

    def no_fit(*args, **kwargs):
        raise AssertionError("fitted before rejecting the grid")
    monkeypatch.setattr(path_search, "fit_and_score_path", no_fit)
    with pytest.raises(ValueError, match=re.escape(message)):
        PathSearchCV(ElasticNet(), grid, cv=3).fit(X, y)


NUMBER = r"([0-9.e+-]+)"


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_convergence_warning_as_sklearn(weighted, fit_intercept):
    """Same wording, the same tolerance (tol * ||y||^2 of the centred, weighted y) and the gap
    on the same scale (dual_gap_ * n_samples) as scikit-learn's."""
    X, y = _data()
    X = np.hstack([X, X + 1e-3 * np.random.RandomState(0).randn(*X.shape)])  # hard problem
    sw = np.random.RandomState(1).uniform(0.5, 2.0, len(y)) if weighted else None
    params = dict(alpha=1e-4, max_iter=2, tol=1e-8, fit_intercept=fit_intercept)
    ours, theirs = Lasso(**params), sklm.Lasso(**params)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        ours.fit(X, y, sample_weight=sw)
        theirs.fit(X, y, sample_weight=sw)
    messages = [str(w.message) for w in record if issubclass(w.category, ConvergenceWarning)]
    assert len(messages) == 2
    pattern = (r"Objective did not converge\. You might want to increase the number of "
               r"iterations, check the scale of the features or consider increasing "
               rf"regularisation\. Duality gap: {NUMBER}, tolerance: {NUMBER}$")
    (gap, tol), (_, sk_tol) = (re.match(pattern, m).groups() for m in messages)
    assert tol == sk_tol
    assert float(gap) == pytest.approx(ours.dual_gap_ * X.shape[0], rel=1e-6)
    assert float(gap) > float(tol)


def test_sparse_targets_one_clear_error():
    from scipy import sparse

    from skreg import (
        MultiTaskLasso,
        Ridge,
        RidgeCV,
        enet_path,
    )

    X = np.random.RandomState(0).rand(20, 3)
    y = sparse.csr_matrix(np.arange(20.0).reshape(-1, 1))
    fits = [lambda: Lasso().fit(X, y), lambda: ElasticNetCV(cv=3).fit(X, y),
            lambda: enet_path(X, y), lambda: MultiTaskLasso().fit(X, y),
            lambda: Ridge().fit(X, y), lambda: RidgeCV().fit(X, y),
            lambda: RidgeCV(cv=3).fit(X, y)]
    for fit in fits:
        with pytest.raises(TypeError, match="Sparse data was passed for y"):
            fit()


def test_verbose_search_names_the_path_parameter(capsys):
    from sklearn.datasets import load_breast_cancer

    from skreg import LogisticRegression

    X, y = load_breast_cancer(return_X_y=True)
    PathSearchCV(LogisticRegression(), {"C": [0.01, 0.1]}, cv=3, verbose=1).fit(X[:, :3], y)
    assert "1 warm-started C paths" in capsys.readouterr().out
    Xd, yd = load_diabetes(return_X_y=True)
    PathSearchCV(Lasso(), {"alpha": [0.1, 1.0]}, cv=3, verbose=1).fit(Xd, yd)
    assert "1 warm-started alpha paths" in capsys.readouterr().out


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("precompute", ["auto", True, False])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_path_non_finite_x_as_sklearn(bad, precompute, dtype):
    """On tall dense X the path functions find NaN / infinity through the Gram matrix they
    compute (its diagonal) instead of a pass over X: the same error as scikit-learn's, whatever
    the precompute setting, intercept or weights."""
    import skreg

    X, y = _data()
    X = X.astype(dtype)
    X[7, 3] = bad
    with pytest.raises(ValueError) as ref:
        sklm.lasso_path(X, y, alphas=3, precompute=precompute)
    for kw in ({}, {"fit_intercept": True}, {"sample_weight": np.r_[0.0, np.ones(len(y) - 1)]}):
        with pytest.raises(ValueError) as ours:
            skreg.lasso_path(X, y, alphas=3, precompute=precompute, **kw)
        assert str(ours.value) == str(ref.value)
    with pytest.raises(ValueError) as ours:
        skreg.enet_path(X, y, alphas=3, precompute=precompute)
    assert str(ours.value) == str(ref.value)


def test_path_gram_overflow_one_clear_error():
    import skreg

    X, y = _data()
    X = X * 1e160  # finite, but its squares are not
    with pytest.raises(ValueError, match=r"X.T @ X overflows float64"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            skreg.lasso_path(X, y, alphas=3)


@pytest.mark.parametrize("precompute", ["auto", True, False])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_path_non_finite_y_as_sklearn(bad, precompute):
    """y's NaN / infinity check goes with X's on tall dense X (through its squared norm):
    the same error as scikit-learn's, with or without intercept and weights, 1-D or 2-D y."""
    import skreg

    X, y = _data()
    y = y.copy()
    y[5] = bad
    with pytest.raises(ValueError) as ref:
        sklm.lasso_path(X, y, alphas=3, precompute=precompute)
    for kw in ({}, {"fit_intercept": True}, {"sample_weight": np.r_[np.ones(len(y) - 1), 0.0]}):
        for target in (y, np.c_[y, y]):
            with pytest.raises(ValueError) as ours:
                skreg.enet_path(X, target, alphas=3, precompute=precompute, **kw)
            assert str(ours.value) == str(ref.value)


def test_path_reports_nan_before_shapes_and_weights_as_sklearn():
    """With the NaN / infinity checks left to the Gram design, a bad length or weight found
    first still gives scikit-learn's message: the NaN (X's before y's)."""
    import skreg

    X, y = _data()
    y = y.copy()
    y[7] = np.nan
    X_inf = X.copy()
    X_inf[3, 2] = np.inf
    cases = [((X, y[:-1]), {}), ((X, y), {"sample_weight": -np.ones(len(y))}),
             ((X_inf, y), {}), ((X_inf, y[:-1]), {})]
    for args, kw in cases:
        with pytest.raises(ValueError) as ref:
            sklm.lasso_path(*args, alphas=3, **kw)
        with pytest.raises(ValueError) as ours:
            skreg.lasso_path(*args, alphas=3, **kw)
        assert str(ours.value) == str(ref.value)


@pytest.mark.parametrize("shape", ["1d", "2d"])
@pytest.mark.parametrize("precompute", ["auto", False])
def test_y_whose_squares_overflow_one_clear_error(shape, precompute):
    import skreg

    X, y = _data()
    Y = (y if shape == "1d" else np.c_[y, y]) * 1e155
    with pytest.raises(ValueError, match="y has values too large: its squared norm overflows"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            skreg.lasso_path(X, Y, alphas=3, precompute=precompute)


def test_max_iter_none_is_refused_clearly():
    import skreg

    X, y = _data()
    for est, target in ((skreg.Lasso(max_iter=None), y),
                        (skreg.MultiTaskLasso(max_iter=None), np.c_[y, y])):
        with pytest.raises(ValueError, match="'max_iter' parameter .* must be an int"):
            est.fit(X, target)
