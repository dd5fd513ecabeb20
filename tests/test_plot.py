"""RegularizationPathDisplay and CVCurveDisplay (Agg backend)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import load_diabetes
from sklearn.model_selection import KFold

from skreg import (
    CVCurveDisplay,
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    PathSearchCV,
    RegularizationPathDisplay,
    lasso_path,
)

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")

FOLDS = KFold(4, shuffle=True, random_state=0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)


def test_path_display_from_path(diabetes):
    X, y = diabetes
    alphas, coefs, _ = lasso_path(X, y, alphas=30, fit_intercept=True)
    disp = RegularizationPathDisplay.from_path(alphas, coefs, alpha_marks={"alpha": 1.0})
    assert len(disp.lines_) == X.shape[1]
    assert disp.ax_.get_xscale() == "log"
    assert disp.figure_ is disp.ax_.figure
    assert_allclose(disp.lines_[2].get_xdata(), alphas)
    assert_allclose(disp.lines_[2].get_ydata(), coefs[2])
    assert set(disp.vlines_) == {"alpha"}
    assert disp.ax_.get_legend() is not None
    # plot again on given axes
    _, ax = plt.subplots()
    disp.plot(ax=ax, legend=False)
    assert disp.ax_ is ax and ax.get_legend() is None
    with pytest.raises(ValueError, match="shape"):
        RegularizationPathDisplay(alphas, coefs[:, :5]).plot()


def test_path_display_from_estimator(diabetes):
    X, y = diabetes
    disp = RegularizationPathDisplay.from_estimator(ElasticNet(l1_ratio=0.5), X, y,
                                                    alphas=20)
    assert len(disp.lines_) == X.shape[1] and len(disp.lines_[0].get_xdata()) == 20
    assert disp.vlines_ == {}
    # fitted CV estimator: its grid, its chosen l1_ratio, alpha_ / alpha_1se_ marked
    cv = ElasticNetCV(l1_ratio=[0.3, 1.0], alphas=25, cv=FOLDS).fit(X, y)
    disp = RegularizationPathDisplay.from_estimator(cv, X, y)
    i = [0.3, 1.0].index(cv.l1_ratio_)
    assert_allclose(disp.lines_[0].get_xdata(), cv.alphas_[i])
    assert set(disp.vlines_) == {"alpha_", "alpha_1se_"}
    assert disp.vlines_["alpha_"].get_xdata()[0] == cv.alpha_
    # fitted plain model: its alpha is marked
    disp = RegularizationPathDisplay.from_estimator(Lasso(alpha=0.5).fit(X, y), X, y)
    assert disp.vlines_["alpha"].get_xdata()[0] == 0.5


def test_path_display_feature_names_from_dataframe():
    pytest.importorskip("pandas")
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    disp = RegularizationPathDisplay.from_estimator(Lasso(), X, y, alphas=10)
    assert [line.get_label() for line in disp.lines_] == list(X.columns)


def test_cv_curve_display_lasso_cv(diabetes):
    X, y = diabetes
    cv = LassoCV(alphas=30, cv=FOLDS).fit(X, y)
    disp = CVCurveDisplay.from_estimator(cv)
    (line,) = disp.lines_
    order = np.argsort(cv.alphas_)
    assert_allclose(line.get_xdata(), cv.alphas_[order])
    assert_allclose(line.get_ydata(), cv.mse_path_.mean(axis=1)[order])  # MSE, not -MSE
    assert disp.fill_between_ is not None and disp.errorbar_ is None
    assert disp.vlines_["alpha_"].get_xdata()[0] == cv.alpha_
    assert disp.vlines_["alpha_1se_"].get_xdata()[0] == cv.alpha_1se_
    assert disp.ax_.get_xscale() == "log"
    assert "mean squared error" in disp.ax_.get_ylabel()
    assert disp.figure_ is disp.ax_.figure
    disp.plot(std_display_style="errorbar")
    assert disp.errorbar_ is not None and disp.fill_between_ is None
    with pytest.raises(ValueError, match="std_display_style"):
        disp.plot(std_display_style="band")


def test_cv_curve_display_path_search_multimetric(diabetes):
    X, y = diabetes
    grid = {"alpha": np.logspace(-3, 0, 12), "l1_ratio": [0.2, 1.0]}
    search = PathSearchCV(ElasticNet(), grid, cv=FOLDS, scoring={"r2": "r2",
                          "mse": "neg_mean_squared_error"}, refit="r2").fit(X, y)
    disp = CVCurveDisplay.from_estimator(search)
    assert len(disp.lines_[0].get_xdata()) == 12  # the best l1_ratio's path only
    assert disp.ax_.get_ylabel() == "r2"
    assert disp.vlines_["alpha_"].get_xdata()[0] == search.alpha_
    disp = CVCurveDisplay.from_estimator(search, metric="mse")
    assert disp.ax_.get_ylabel() == "mse"
    with pytest.raises(ValueError, match="mean_test_nope"):
        CVCurveDisplay.from_estimator(search, metric="nope")
