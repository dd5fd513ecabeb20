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


# -- the path drawn is the model's own problem ---------------------------------------------------

TIGHT = 1e-12


def _certified_atol(X, y, sample_weight=None, tol=TIGHT):
    """How far two solutions certified by `tol` can be apart: each is within
    sqrt(2 * gap / mu) of the optimum, gap <= tol * ||y_c||^2 / n in the 1/n objective and mu
    the smallest eigenvalue of the (weighted, centred) X'X / n."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n = len(y)
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight) * n / np.sum(
        sample_weight)
    Xc = X - s @ X / n
    yc = y - s @ y / n
    mu = np.linalg.eigvalsh(Xc.T @ (Xc * s[:, None]) / n)[0]
    return 2 * np.sqrt(2 * tol * (s @ yc**2) / n / mu)


def _path_at(disp, alpha):
    (i,) = np.flatnonzero(np.asarray(disp.alphas) == alpha)
    return np.asarray(disp.coefs)[:, i]


WEIGHTS = np.random.RandomState(0).uniform(0.2, 2.0, 442)
PF = np.r_[0.0, 1.0, 2.0, np.ones(7)]
MODELS = {
    "Lasso(standardize)": (Lasso(alpha=0.5, standardize=True, tol=TIGHT), None),
    "Lasso(standardize, weights)": (Lasso(alpha=0.2, standardize=True, tol=TIGHT), WEIGHTS),
    "Lasso(penalty_factor)": (Lasso(alpha=0.3, penalty_factor=PF, tol=TIGHT), None),
    "Lasso(bounds)": (Lasso(alpha=0.05, lower_bounds=-100, upper_bounds=300, tol=TIGHT),
                      None),
    "Lasso(positive)": (Lasso(alpha=0.05, positive=True, tol=TIGHT), None),
    "Lasso(relax)": (Lasso(alpha=0.3, relax=True, gamma=0.5, tol=TIGHT), None),
    "ElasticNet(options, no intercept)": (
        ElasticNet(alpha=0.01, l1_ratio=0.7, fit_intercept=False, standardize=True,
                   penalty_factor=PF, tol=TIGHT), None),
    "LassoCV(standardize)": (LassoCV(standardize=True, cv=FOLDS, tol=TIGHT), None),
    "LassoCV(1se, penalty_factor)": (
        LassoCV(penalty_factor=PF, selection_rule="1se", alphas=30, cv=FOLDS, tol=TIGHT),
        None),
    "LassoCV(relax, gammas)": (
        LassoCV(relax=True, gamma=[0.0, 0.5, 1.0], alphas=20, cv=FOLDS, tol=TIGHT), None),
    "ElasticNetCV(standardize, weights)": (
        ElasticNetCV(l1_ratio=[0.5, 1.0], standardize=True, alphas=20, cv=FOLDS, tol=TIGHT),
        WEIGHTS),
    "PathSearchCV(Lasso(bounds))": (
        PathSearchCV(Lasso(upper_bounds=300, tol=TIGHT), {"alpha": np.logspace(-2, 0, 15)},
                     cv=FOLDS), None),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_path_at_the_marked_alpha_is_the_fitted_model(diabetes, name):
    X, y = diabetes
    model, weights = MODELS[name]
    fit_kw = {} if weights is None else {"sample_weight": weights}
    model.fit(X, y, **fit_kw)
    disp = RegularizationPathDisplay.from_estimator(model, X, y, sample_weight=weights)
    if hasattr(model, "best_estimator_"):
        fitted = model.best_estimator_
        marked = disp.vlines_["alpha_1se_" if getattr(model, "selection_rule", "min") == "1se"
                              else "alpha_"].get_xdata()[0]
        assert marked == fitted.alpha
        if hasattr(model, "alphas_"):  # the search's own grid (its chosen l1_ratio's)
            grid = np.atleast_2d(model.alphas_)[-1 if getattr(model, "l1_ratio_", 1) == 1
                                                 else 0]
            assert_allclose(disp.alphas, grid)
    else:
        fitted, marked = model, disp.vlines_["alpha"].get_xdata()[0]
        assert marked == model.alpha
    atol = _certified_atol(X, y, weights)
    assert_allclose(_path_at(disp, marked), fitted.coef_, rtol=0, atol=atol)
    # the plain Lasso's path at that alpha is another problem (except where none is set)
    if name not in ("Lasso(positive)",):
        plain = Lasso(alpha=marked, tol=TIGHT).fit(X, y, **fit_kw).coef_
        assert np.max(np.abs(plain - fitted.coef_)) > 10 * atol


def test_automatic_grid_is_the_cv_estimators(diabetes):
    """An unfitted model's automatic grid is the grid its LassoCV searches (the same
    alpha_max given standardization and penalty factors), and the path starts at zero."""
    X, y = diabetes
    for options in ({"standardize": True}, {"penalty_factor": PF}):
        cv = LassoCV(alphas=25, cv=FOLDS, **options).fit(X, y)
        disp = RegularizationPathDisplay.from_estimator(Lasso(**options), X, y, alphas=25)
        assert_allclose(disp.alphas, cv.alphas_, rtol=1e-10)
        assert np.count_nonzero(disp.coefs[:, 0]) == (1 if "penalty_factor" in options else 0)


def test_pipeline_draws_its_last_steps_path(diabetes):
    pd = pytest.importorskip("pandas")
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True, as_frame=True)
    assert isinstance(X, pd.DataFrame)
    pipe = make_pipeline(StandardScaler(), LassoCV(cv=FOLDS, tol=TIGHT)).fit(X, y)
    disp = RegularizationPathDisplay.from_estimator(pipe, X, y)
    assert disp.ax_.get_title() == "Regularization path (LassoCV)"
    assert 40 < disp.alphas[0] < 50 and 0.04 < disp.alphas[-1] < 0.05  # not the raw X's 2.15
    assert_allclose(disp.alphas, pipe[-1].alphas_)
    assert [line.get_label() for line in disp.lines_] == list(X.columns)
    atol = _certified_atol(StandardScaler().fit_transform(X), y)
    assert_allclose(_path_at(disp, pipe[-1].alpha_), pipe[-1].coef_, rtol=0, atol=atol)
    curve = CVCurveDisplay.from_estimator(pipe)
    assert curve.ax_.get_title() == "Cross-validation (LassoCV)"
    assert curve.vlines_["alpha_"].get_xdata()[0] == pipe[-1].alpha_
    # plain arrays: the names given win
    names = [f"f{j}" for j in range(10)]
    pipe = make_pipeline(StandardScaler(), Lasso(alpha=1.0)).fit(X.to_numpy(), y)
    disp = RegularizationPathDisplay.from_estimator(pipe, X.to_numpy(), y, alphas=10,
                                                    feature_names=names)
    assert [line.get_label() for line in disp.lines_] == names
    assert disp.ax_.get_title() == "Regularization path (Lasso)"


def test_from_estimator_rejects_what_has_no_lasso_path(diabetes):
    from sklearn.linear_model import Ridge as SkRidge

    X, y = diabetes
    with pytest.raises(TypeError, match="draws the path of a Lasso, ElasticNet, Logistic"):
        RegularizationPathDisplay.from_estimator(SkRidge(), X, y)
    with pytest.raises(ValueError, match="feature_names has 3 names for 10"):
        RegularizationPathDisplay.from_estimator(Lasso(), X, y, alphas=5,
                                                 feature_names=["a", "b", "c"])
    from sklearn.exceptions import NotFittedError
    with pytest.raises(NotFittedError):
        RegularizationPathDisplay.from_estimator(LassoCV(), X, y)


# -- what people read: xvar, df on top, the ±1 SE band -------------------------------------------

def test_xvar_norm_and_dev(diabetes):
    X, y = diabetes
    model = Lasso(alpha=0.3, tol=TIGHT).fit(X, y, sample_weight=WEIGHTS)
    disp = RegularizationPathDisplay.from_estimator(model, X, y, alphas=30,
                                                    sample_weight=WEIGHTS)
    i = np.flatnonzero(disp.alphas == 0.3)[0]
    assert disp.ax_.get_xscale() == "log" and disp.ax_.get_xlabel() == "alpha"
    assert_allclose(disp.x_, disp.alphas)

    disp.plot(xvar="norm")
    assert disp.ax_.get_xscale() == "linear"
    assert disp.ax_.get_xlabel() == "L1 norm of the coefficients"
    assert_allclose(disp.x_, np.abs(disp.coefs).sum(axis=0))
    assert_allclose(disp.lines_[2].get_xdata(), disp.x_)
    assert_allclose(disp.vlines_["alpha"].get_xdata()[0], np.abs(disp.coefs[:, i]).sum())

    disp.plot(xvar="dev")
    assert disp.ax_.get_xlabel() == "fraction of deviance explained"
    # glmnet's dev.ratio: the weighted R^2 of each fit (its intercept unpenalized)
    from sklearn.metrics import r2_score

    w = disp.coefs[:, i]
    b = np.average(y - X @ w, weights=WEIGHTS)
    assert_allclose(disp.x_[i], r2_score(y, X @ w + b, sample_weight=WEIGHTS), rtol=1e-10)
    # ... and the fitted model's score, to what tol certifies (|X_c (w - coef_)| bounded)
    s = WEIGHTS / WEIGHTS.mean()
    Xc = (X - s @ X / len(y)) * np.sqrt(s)[:, None]
    r = np.sqrt(s) * (y - X @ w - b)
    dr = np.linalg.norm(Xc, 2) * _certified_atol(X, y, WEIGHTS)
    null = np.sum(s * (y - s @ y / len(y)) ** 2)
    assert abs(disp.x_[i] - model.score(X, y, sample_weight=WEIGHTS)) <= (
        2 * np.linalg.norm(r) * dr + dr**2) / null
    assert disp.x_[0] == pytest.approx(0, abs=1e-12)
    assert np.all(np.diff(disp.x_) > -1e-9) and disp.x_[-1] < 1
    assert_allclose(disp.vlines_["alpha"].get_xdata()[0], disp.x_[i])

    # without intercept the null deviance is that of the zero model
    model = Lasso(alpha=0.3, fit_intercept=False, tol=TIGHT).fit(X, y)
    disp = RegularizationPathDisplay.from_estimator(model, X, y, alphas=5, xvar="dev")
    i = np.flatnonzero(disp.alphas == 0.3)[0]
    w = disp.coefs[:, i]
    assert_allclose(disp.x_[i], 1 - np.sum((y - X @ w) ** 2) / np.sum(y**2), rtol=1e-10)

    with pytest.raises(ValueError, match="xvar must be 'alpha', 'norm' or 'dev'"):
        disp.plot(xvar="lambda")
    alphas, coefs, _ = lasso_path(X, y, alphas=10)
    with pytest.raises(ValueError, match="xvar='dev' needs the deviance ratios"):
        RegularizationPathDisplay.from_path(alphas, coefs, xvar="dev")
    with pytest.raises(ValueError, match=r"dev_ratio must have shape \(10,\)"):
        RegularizationPathDisplay.from_path(alphas, coefs, dev_ratio=[0.1], xvar="dev")


@pytest.mark.parametrize("xvar", ["alpha", "norm", "dev"])
def test_df_on_the_top_axis(diabetes, xvar):
    X, y = diabetes
    disp = RegularizationPathDisplay.from_estimator(Lasso(), X, y, alphas=40, xvar=xvar)
    assert_allclose(disp.df_, np.count_nonzero(disp.coefs, axis=0))
    disp.figure_.canvas.draw()
    top = disp.df_axis_
    assert top.get_xlabel() == "non-zero coefficients"
    ticks = top.xaxis.get_majorticklocs()
    labels = [t.get_text() for t in top.xaxis.get_majorticklabels()]
    x = np.log(disp.x_) if xvar == "alpha" else disp.x_
    checked = 0
    for tick, label in zip(ticks, labels):
        at = np.log(tick) if xvar == "alpha" else tick
        if x.min() <= at <= x.max():
            assert label == str(disp.df_[np.argmin(np.abs(x - at))])
            checked += 1
        elif label:  # beyond the path: no number, except within the 1% slack
            assert abs(at - np.clip(at, x.min(), x.max())) <= 0.011 * np.ptp(x)
    assert checked >= 2
    disp.plot(df_axis=False)
    assert disp.df_axis_ is None


def test_cv_curve_band_is_one_standard_error(diabetes):
    X, y = diabetes
    n_folds = FOLDS.get_n_splits()
    cv = LassoCV(alphas=30, cv=FOLDS).fit(X, y)
    disp = CVCurveDisplay.from_estimator(cv)
    order = np.argsort(cv.alphas_)
    mean = cv.mse_path_.mean(axis=1)[order]
    se = cv.mse_path_.std(axis=1)[order] / np.sqrt(n_folds)  # std over folds (ddof 0) / √K
    assert disp.n_folds == n_folds
    assert_allclose(disp.errors_, se, rtol=1e-10)
    band = disp.fill_between_
    assert band.get_label() == f"± 1 standard error (std over {n_folds} folds / √{n_folds})"
    vertices = band.get_paths()[0].vertices
    for alpha, lo, hi in zip(cv.alphas_[order], mean - se, mean + se):
        ys = vertices[np.isclose(vertices[:, 0], alpha, rtol=1e-12), 1]
        assert np.any(np.isclose(ys, lo, rtol=1e-10))
        assert np.any(np.isclose(ys, hi, rtol=1e-10))
    # alpha_1se_: the largest alpha whose mean is within the band around the best mean
    best = np.argmin(mean)
    within = mean <= mean[best] + se[best]
    assert cv.alpha_1se_ == cv.alphas_[order][within].max()
    assert disp.vlines_["alpha_1se_"].get_label() == f"alpha_1se_ = {cv.alpha_1se_:.3g}"
    # the error bars carry the same numbers
    disp.plot(std_display_style="errorbar")
    (bars,) = disp.errorbar_.lines[2]
    segments = bars.get_segments()
    assert_allclose([s[1, 1] - s[0, 1] for s in segments], 2 * se, rtol=1e-10)
    assert "standard error" in disp.errorbar_.get_label()
    # built by hand without n_folds: ± one std, said so
    plain = CVCurveDisplay(cv.alphas_[order], mean, se).plot()
    assert plain.fill_between_.get_label() == "± 1 std over folds"
    assert_allclose(plain.errors_, se)
    with pytest.raises(ValueError, match="n_folds must be a positive integer"):
        CVCurveDisplay(cv.alphas_, mean, se, n_folds=0).plot()


def test_demo_legend_names_the_diabetes_features():
    from skreg._cli_demo import demo_figures

    data = load_diabetes()
    model = LassoCV(alphas=20, cv=FOLDS).fit(data.data, data.target)
    path_fig, cv_fig = demo_figures(model, data.data, data.target, list(data.feature_names))
    (ax,) = path_fig.axes[:1]
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[:10] == ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    assert any(label.startswith("alpha_ =") for label in labels)
    assert ax.get_title() == "Regularization path (LassoCV)"
    assert "standard error" in " ".join(
        t.get_text() for t in cv_fig.axes[0].get_legend().get_texts())


def test_scikit_learns_own_models_and_selectors(diabetes):
    """scikit-learn's Lasso and LassoCV (no best_estimator_): their own grid, alpha marked,
    the path through their coefficients."""
    from sklearn import linear_model as sk

    X, y = diabetes
    atol = _certified_atol(X, y)
    for model in (sk.Lasso(alpha=0.3, tol=TIGHT, max_iter=100_000),
                  sk.LassoCV(alphas=15, cv=FOLDS, tol=TIGHT, max_iter=100_000)):
        model.fit(X, y)
        disp = RegularizationPathDisplay.from_estimator(model, X, y)
        alpha = getattr(model, "alpha_", None) or model.alpha
        assert_allclose(_path_at(disp, alpha), model.coef_, rtol=0, atol=atol)
        assert disp.ax_.get_title() == f"Regularization path ({type(model).__name__})"
    assert_allclose(disp.alphas, model.alphas_)


def test_cv_curve_of_a_path_over_C_and_of_a_searched_pipeline(diabetes):
    """A classifier's path runs over C (its 1-SE mark the smallest C within one standard
    error); a search over a Pipeline's '<step>__alpha' draws that alpha."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skreg import LogisticRegression, LogisticRegressionCV

    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)[:, :8]
    Cs = np.logspace(-3, 1, 12)
    search = PathSearchCV(LogisticRegression(tol=1e-8), {"C": Cs}, cv=FOLDS,
                          scoring="neg_log_loss", selection_rule="1se").fit(X, y)
    assert not hasattr(search, "alpha_")
    res = search.cv_results_
    mean, std = res["mean_test_score"], res["std_test_score"]
    best = int(np.argmax(mean))
    within = mean >= mean[best] - std[best] / np.sqrt(FOLDS.get_n_splits())
    assert search.C_ == res["param_C"][best]
    assert search.C_1se_ == np.min(np.asarray(res["param_C"], dtype=float)[within])
    assert search.C_1se_ < search.C_  # (the data make the rule move)
    assert search.best_params_["C"] == search.C_1se_
    disp = CVCurveDisplay.from_estimator(search)
    assert disp.ax_.get_xlabel() == "C" and sorted(disp.vlines_) == ["C_", "C_1se_"]
    assert disp.score_name == "log loss"
    assert_allclose(np.sort(disp.alphas), Cs)
    cv = LogisticRegressionCV(Cs=8, cv=FOLDS).fit(X, y)
    disp = CVCurveDisplay.from_estimator(cv)
    assert (disp.alpha_, disp.alpha_1se_) == (cv.C_, cv.C_1se_)
    Xd, yd = diabetes
    alphas = np.logspace(-2, 1.5, 10)
    pipe = PathSearchCV(make_pipeline(StandardScaler(), Lasso()), {"lasso__alpha": alphas},
                        cv=FOLDS).fit(Xd, yd)
    disp = CVCurveDisplay.from_estimator(pipe)
    assert disp.ax_.get_xlabel() == "alpha"
    assert (disp.alpha_, disp.alpha_1se_) == (pipe.alpha_, pipe.alpha_1se_)
    with pytest.raises(ValueError, match="no 'alpha' parameter"):
        CVCurveDisplay.from_estimator(PathSearchCV(
            make_pipeline(StandardScaler(), Lasso()), {"standardscaler__with_mean": [True]},
            cv=FOLDS).fit(Xd, yd))
