"""The path-estimator protocol: models outside the search plug into PathSearchCV on their own
classes (a multi-output ridge with coef_ (k, p), a logistic regression over C with classes)."""

import copy
import time
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.datasets import load_iris, make_regression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.utils.validation import validate_data

from skreg import ElasticNet, Lasso, PathFallbackWarning, PathSearchCV
from skreg._path_protocol import PathResult
from skreg._path_tasks import is_path_estimator, plan


class PathRidge(MultiOutputMixin, RegressorMixin, BaseEstimator):
    """Ridge through the origin, min ||Y - XW||^2 + alpha ||W||^2, coef_ (k, p): exact per
    alpha from one SVD per fold (a path estimator that is not skreg's elastic net)."""

    _path_param = "alpha"
    calls = []

    def __init__(self, alpha=1.0, shift=0.0):
        self.alpha = alpha
        self.shift = shift

    def fit(self, X, y):
        X, y = validate_data(self, X, y, multi_output=True)
        result = self._solve_path(X, y, None, np.array([self.alpha], dtype=float))
        self.coef_ = result.coefs[:, :, 0]
        return self

    def predict(self, X):
        X = validate_data(self, X, reset=False)
        return X @ self.coef_.T + self.shift

    def _solve_path(self, X, y, sample_weight, values, *, precompute="auto", blend=None):
        type(self).calls.append(np.array(values))
        t0 = time.perf_counter()
        X, y = validate_data(self, X, y, multi_output=True)
        Y = y.reshape(len(y), -1)
        U, s, Vt = np.linalg.svd(X, full_matrices=False)
        UtY = U.T @ Y
        setup = time.perf_counter() - t0
        coefs = np.empty((Y.shape[1], X.shape[1], len(values)))
        seconds = np.empty(len(values))
        for j, alpha in enumerate(values):
            t1 = time.perf_counter()
            coefs[:, :, j] = (Vt.T @ (UtY * (s / (s**2 + alpha))[:, None])).T
            seconds[j] = time.perf_counter() - t1
        intercepts = np.full((Y.shape[1], len(values)), self.shift)
        return PathResult(coefs=coefs, intercepts=intercepts, values=values, seconds=seconds,
                          setup=setup)

    def _path_model(self, result, j):
        model = copy.copy(self)
        model.alpha = float(result.values[j])
        model.coef_ = result.coefs[:, :, j].copy()
        return model

    _is_path_value = staticmethod(lambda v: isinstance(v, float) and v > 0)


class PathLogistic(LogisticRegression):
    """scikit-learn's LogisticRegression over C, warm-started from the smallest C up."""

    _path_param = "C"
    _is_path_value = staticmethod(lambda v: np.isscalar(v) and np.isfinite(v) and v > 0)

    def _solve_path(self, X, y, sample_weight, values, *, precompute="auto", blend=None):
        t0 = time.perf_counter()
        model = copy.copy(self)
        model.set_params(warm_start=True)
        order = np.argsort(values)  # least regularized last
        coefs, intercepts, seconds = None, None, np.empty(len(values))
        setup = time.perf_counter() - t0
        for j in order:
            t1 = time.perf_counter()
            model.set_params(C=float(values[j])).fit(X, y, sample_weight=sample_weight)
            if coefs is None:
                coefs = np.empty(model.coef_.shape + (len(values),))
                intercepts = np.empty(model.intercept_.shape + (len(values),))
            coefs[:, :, j], intercepts[:, j] = model.coef_, model.intercept_
            seconds[j] = time.perf_counter() - t1
        for attr in ("classes_", "n_features_in_", "feature_names_in_"):
            if hasattr(model, attr):
                setattr(self, attr, getattr(model, attr))
        return PathResult(coefs=coefs, intercepts=intercepts, values=values, seconds=seconds,
                          setup=setup, info={"n_iter": model.n_iter_})

    def _path_model(self, result, j):
        model = copy.copy(self)
        model.C = float(result.values[j])
        model.coef_ = result.coefs[:, :, j].copy()
        model.intercept_ = result.intercepts[:, j].copy()
        model.n_iter_ = result.info["n_iter"]
        return model


def _same(path, ref, rtol, keys=("mean_test_score", "std_test_score")):
    assert path.cv_results_.keys() == ref.cv_results_.keys()
    for key in ref.cv_results_:
        if key.startswith(("split", "mean_test", "std_test")):
            assert_allclose(path.cv_results_[key], ref.cv_results_[key], rtol=rtol, atol=1e-9)
        elif key.startswith("param") or key.startswith("rank"):
            assert list(path.cv_results_[key]) == list(ref.cv_results_[key]), key
    assert path.best_params_ == ref.best_params_


def test_protocol_on_a_multi_output_model_outside_skreg():
    X, Y = make_regression(80, 6, n_targets=3, noise=5.0, random_state=0)
    grid = {"alpha": [10.0, 0.1, 1.0, 100.0], "shift": [0.0, 1.0]}
    assert is_path_estimator(PathRidge())
    PathRidge.calls.clear()
    cv = KFold(4, shuffle=True, random_state=0)
    path = PathSearchCV(PathRidge(), grid, cv=cv, scoring="neg_mean_squared_error",
                        return_train_score=True).fit(X, Y)
    # one path per (fold, shift), each over the four alphas, then the refit's one alpha
    assert len(PathRidge.calls) == 9
    assert all(sorted(c) == [0.1, 1.0, 10.0, 100.0] for c in PathRidge.calls[:8])
    ref = GridSearchCV(PathRidge(), grid, cv=cv, scoring="neg_mean_squared_error",
                       return_train_score=True).fit(X, Y)
    _same(path, ref, rtol=1e-9)
    # fit times: shares of each path's wall time, all positive
    assert np.all(path.cv_results_["mean_fit_time"] > 0)


def test_protocol_value_check_sends_other_values_to_one_fit_per_candidate():
    X, Y = make_regression(40, 4, random_state=1)
    with pytest.warns(PathFallbackWarning, match="valid values of PathRidge's path"):
        path = PathSearchCV(PathRidge(), [{"alpha": [1.0, 2.0]}, {"alpha": [1]}],
                            cv=3).fit(X, Y)
    ref = GridSearchCV(PathRidge(), [{"alpha": [1.0, 2.0]}, {"alpha": [1]}], cv=3).fit(X, Y)
    _same(path, ref, rtol=1e-9)


def test_protocol_on_a_classifier_over_c():
    X, y = load_iris(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    grid = {"C": [0.01, 1.0, 0.1, 10.0]}
    est = PathLogistic(tol=1e-12, max_iter=10_000)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PathFallbackWarning)
        path = PathSearchCV(est, grid, cv=cv, scoring=["neg_log_loss", "accuracy"],
                            refit="neg_log_loss").fit(X, y)
    ref = GridSearchCV(est, grid, cv=cv, scoring=["neg_log_loss", "accuracy"],
                       refit="neg_log_loss").fit(X, y)
    for key in ("mean_test_neg_log_loss", "split0_test_neg_log_loss"):
        assert_allclose(path.cv_results_[key], ref.cv_results_[key], rtol=1e-5)
    assert path.best_params_ == ref.best_params_
    assert_allclose(path.best_estimator_.coef_, ref.best_estimator_.coef_, rtol=1e-6)


def test_fit_overridden_below_the_protocol_gets_no_path():
    class OwnFit(Lasso):
        def fit(self, X, y, sample_weight=None, check_input=True):
            return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)

    class OwnBoth(OwnFit):
        def _solve_path(self, *args, **kwargs):
            return super()._solve_path(*args, **kwargs)

    assert is_path_estimator(Lasso()) and is_path_estimator(ElasticNet())
    assert not is_path_estimator(OwnFit())
    assert is_path_estimator(OwnBoth())
    assert not is_path_estimator(Lasso)  # a class is not an estimator
    assert not is_path_estimator(LogisticRegression())


def test_result_layout_errors_are_clear():
    result = PathResult(coefs=np.zeros((1, 3, 2)), intercepts=np.zeros((1, 3)),
                        values=[1.0, 2.0], seconds=[0.0, 0.0], setup=0.0)
    with pytest.raises(ValueError, match=r"PathResult.intercepts has shape \(1, 3\)"):
        result.check(2)


def test_plan_blends_the_relaxed_gamma_and_keeps_other_parameters():
    grid = {"alpha": [1.0, 0.1], "gamma": [0.0, 1.0], "fit_intercept": [True, False]}
    candidates, groups, singles = plan(grid, Lasso(relax=True))
    assert not singles and len(groups) == 2
    assert all(g.blend_param == "gamma" and list(g.blend) == [0.0, 1.0] for g in groups)
    _, groups, _ = plan(grid, Lasso())  # not relaxed: one path per (gamma, fit_intercept)
    assert len(groups) == 4 and all(g.blend is None for g in groups)
    _, groups, _ = plan({"lasso__alpha": [1.0, 0.1], "lasso__gamma": [0.0, 1.0],
                         "scale__with_mean": [True, False]}, Lasso(relax=True),
                        prefix="lasso__")
    assert len(groups) == 2 and groups[0].blend_param == "lasso__gamma"
