"""PathSearchCV warns (PathFallbackWarning, naming the reason) whenever its grid or estimator
forces one fit per candidate instead of warm-started alpha paths."""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sklm
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_diabetes
from sklearn.feature_selection import SelectFromModel
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skreg
from skreg import ElasticNet, Lasso, LassoCV, PathFallbackWarning, PathSearchCV, Ridge

ALPHAS = np.logspace(-2, 0, 4)


def _data():
    return load_diabetes(return_X_y=True)


class MyLasso(Lasso):
    def fit(self, X, y, sample_weight=None, check_input=True):
        return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)


@pytest.mark.parametrize("estimator, grid, fit_params, reason", [
    (TransformedTargetRegressor(Lasso()), {"regressor__alpha": ALPHAS}, {},
     "the estimator is a TransformedTargetRegressor around a path estimator"),
    (make_pipeline(SelectFromModel(Lasso()), StandardScaler(), sklm.LinearRegression()),
     {"selectfrommodel__estimator__alpha": ALPHAS}, {},
     "the estimator is a Pipeline around a path estimator"),
    (make_pipeline(StandardScaler(), Lasso()), {"standardscaler__with_std": [True, False]}, {},
     "the sub-grid ['standardscaler__with_std'] has no 'lasso__alpha'"),
    (sklm.Lasso(), {"alpha": ALPHAS}, {}, "the estimator is Lasso, not skreg's"),
    (MyLasso(), {"alpha": ALPHAS}, {}, "the estimator is MyLasso, not skreg's"),
    (ElasticNet(), [{"alpha": ALPHAS}, {"l1_ratio": [0.2, 0.8]}], {},
     "the sub-grid ['l1_ratio'] has no 'alpha'"),
    (ElasticNet(), {"l1_ratio": [0.2, 0.8]}, {}, "the sub-grid ['l1_ratio'] has no 'alpha'"),
    (Lasso(), {"alpha": [0.1, "a"]}, {}, "'alpha' values are not all finite non-negative"),
])
def test_fallback_warns_with_reason(estimator, grid, fit_params, reason):
    X, y = _data()
    search = PathSearchCV(estimator, grid, cv=3, error_score=np.nan)
    with pytest.warns(PathFallbackWarning, match="one by one") as record:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # failed fits of the bad alpha
            warnings.simplefilter("always", PathFallbackWarning)
            search.fit(X, y, **fit_params)
    messages = [str(w.message) for w in record if w.category is PathFallbackWarning]
    assert any(reason in m for m in messages), messages
    assert issubclass(PathFallbackWarning, UserWarning)
    assert skreg.PathFallbackWarning is PathFallbackWarning


def test_fallback_warns_for_fit_params_not_on_paths():
    X, y = _data()
    with pytest.warns(PathFallbackWarning, match=r"fit parameters \['extra'\]"):
        with pytest.raises(ValueError, match="All the 12 fits failed"):  # Lasso.fit's error
            PathSearchCV(Lasso(), {"alpha": ALPHAS}, cv=3).fit(X, y, extra=True)


@pytest.mark.parametrize("estimator, grid", [
    (Lasso(), {"alpha": ALPHAS}),
    (ElasticNet(), {"alpha": ALPHAS, "l1_ratio": [0.3, 0.9], "fit_intercept": [True, False]}),
    (Ridge(), {"alpha": ALPHAS}),  # no alpha path for Ridge: nothing falls back
])
def test_no_warning_on_paths(estimator, grid):
    X, y = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("error", PathFallbackWarning)
        search = PathSearchCV(estimator, grid, cv=3).fit(X, y)
        LassoCV(alphas=5, cv=3).fit(X, y)
    ref = GridSearchCV(estimator, grid, cv=3).fit(X, y)
    assert search.best_params_ == ref.best_params_


def test_fallback_results_equal_grid_search():
    X, y = _data()
    pipe = TransformedTargetRegressor(Lasso(), func=np.log1p, inverse_func=np.expm1)
    grid = {"regressor__alpha": ALPHAS}
    with pytest.warns(PathFallbackWarning):
        search = PathSearchCV(pipe, grid, cv=3).fit(X, y)
    ref = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    np.testing.assert_allclose(search.cv_results_["mean_test_score"],
                               ref.cv_results_["mean_test_score"], rtol=1e-12)
