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
    LogisticRegression,
    LogisticRegressionCV,
    MultiTaskElasticNet,
    MultiTaskElasticNetCV,
    MultiTaskLasso,
    MultiTaskLassoCV,
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
    yc = y - s @ y / n  # (several targets: ||Y_c||^2_Fro, the distance of W in Frobenius)
    mu = np.linalg.eigvalsh(Xc.T @ (Xc * s[:, None]) / n)[0]
    return 2 * np.sqrt(2 * tol * np.sum(s @ yc**2) / n / mu)


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


def _df_ticks_checked(disp, log):
    """Check that every top-axis tick within the path is labelled with the df at the nearest
    path point, and that ticks beyond it carry no number (except within the 1% slack);
    returns the number of labels checked."""
    disp.figure_.canvas.draw()
    ticks = disp.df_axis_.xaxis.get_majorticklocs()
    labels = [t.get_text() for t in disp.df_axis_.xaxis.get_majorticklabels()]
    x = np.log(disp.x_) if log else disp.x_
    checked = 0
    for tick, label in zip(ticks, labels):
        at = np.log(tick) if log else tick
        if x.min() <= at <= x.max():
            assert label == str(disp.df_[np.argmin(np.abs(x - at))])
            checked += 1
        elif label:
            assert abs(at - np.clip(at, x.min(), x.max())) <= 0.011 * np.ptp(x)
    return checked


@pytest.mark.parametrize("xvar", ["alpha", "norm", "dev"])
def test_df_on_the_top_axis(diabetes, xvar):
    X, y = diabetes
    disp = RegularizationPathDisplay.from_estimator(Lasso(), X, y, alphas=40, xvar=xvar)
    assert_allclose(disp.df_, np.count_nonzero(disp.coefs, axis=0))
    assert disp.df_axis_.get_xlabel() == "non-zero coefficients"
    assert _df_ticks_checked(disp, log=xvar == "alpha") >= 2
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


# -- logistic regression (a path over C) and the multi-task models --------------------------------

@pytest.fixture(scope="module")
def binary():
    from sklearn.datasets import make_classification
    from sklearn.preprocessing import StandardScaler

    X, y = make_classification(n_samples=300, n_features=8, n_informative=4, n_redundant=0,
                               random_state=0)
    return StandardScaler().fit_transform(X), y


def _logistic_objective_scale(y, C, sample_weight=None, fit_intercept=True):
    """C times the (weighted) log-loss of the null model: the scale of the gap tol bounds."""
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    classes = np.unique(y)
    if not fit_intercept:
        return C * s.sum() * np.log(len(classes))
    share = np.array([s[y == c].sum() for c in classes]) / s.sum()
    return -C * sum(s[y == c].sum() * np.log(f) for c, f in zip(classes, share))


def _binary_atol(X, y, model, sample_weight=None, tol=TIGHT):
    """How far two solutions of the binary problem certified by `tol` can be apart (in
    (coef, intercept)): each is within sqrt(2 * gap / mu) of the optimum, gap <= tol * C *
    null_loss, mu (halved, for the segment between them) the smallest eigenvalue of the
    objective's Hessian at the fit: C * A' diag(s p (1 - p)) A (A = [1, X] with an
    intercept) plus the ridge part (1 - l1_ratio) on the coefficients."""
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    p = model.predict_proba(X)[:, 1]
    A = np.column_stack([np.ones(len(y)), X]) if model.fit_intercept else X
    H = model.C * A.T @ (A * (s * p * (1 - p))[:, None])
    ridge = np.full(A.shape[1], 1 - model.l1_ratio)
    if model.fit_intercept:
        ridge[0] = 0.0
    mu = 0.5 * np.linalg.eigvalsh(H + np.diag(ridge))[0]
    gap = tol * _logistic_objective_scale(y, model.C, s, model.fit_intercept)
    return 2 * np.sqrt(2 * gap / mu), A


LOGISTIC_WEIGHTS = np.random.RandomState(1).uniform(0.2, 2.0, 300)
LOGISTIC_MODELS = {
    "LogisticRegression(l1)": (
        lambda: LogisticRegression(C=0.05, l1_ratio=1.0, tol=TIGHT, max_iter=1000), None),
    "LogisticRegression(enet, weights, no intercept)": (
        lambda: LogisticRegression(C=0.1, l1_ratio=0.5, fit_intercept=False, tol=TIGHT,
                                   max_iter=1000), LOGISTIC_WEIGHTS),
    "LogisticRegressionCV(1se)": (
        lambda: LogisticRegressionCV(Cs=12, l1_ratios=[0.5, 1.0], cv=FOLDS, tol=TIGHT,
                                     max_iter=1000, selection_rule="1se"), None),
    "PathSearchCV(LogisticRegression)": (
        lambda: PathSearchCV(LogisticRegression(l1_ratio=1.0, tol=TIGHT, max_iter=1000),
                             {"C": np.logspace(-2, 0, 9)}, cv=FOLDS,
                             scoring="neg_log_loss"), None),
}


@pytest.mark.parametrize("name", list(LOGISTIC_MODELS))
def test_logistic_path_at_the_marked_C_is_the_fitted_model(binary, name):
    X, y = binary
    make, weights = LOGISTIC_MODELS[name]
    model = make()
    fit_kw = {} if weights is None else {"sample_weight": weights}
    model.fit(X, y, **fit_kw)
    disp = RegularizationPathDisplay.from_estimator(model, X, y, sample_weight=weights)
    # the path runs over C, from the most regularized model (C increasing)
    assert disp.param_name == "C" and disp.ax_.get_xlabel() == "C"
    assert disp.ax_.get_xscale() == "log"
    assert np.all(np.diff(disp.alphas) > 0)
    assert len(disp.lines_) == X.shape[1]
    assert [line.get_label() for line in disp.lines_] == [f"x{j}" for j in range(8)]
    if hasattr(model, "best_estimator_"):
        fitted = model.best_estimator_
        assert set(disp.vlines_) == {"C_", "C_1se_"}
        assert disp.vlines_["C_"].get_xdata()[0] == model.C_
        assert disp.vlines_["C_1se_"].get_xdata()[0] == model.C_1se_
        marked = model.C_1se_ if getattr(model, "selection_rule", "min") == "1se" else model.C_
        assert fitted.C == marked
        if hasattr(model, "Cs_"):  # the chosen l1_ratio's grid
            assert_allclose(disp.alphas, model.Cs_[list(model.l1_ratios_).index(
                model.l1_ratio_)])
        else:
            assert_allclose(disp.alphas, np.logspace(-2, 0, 9))
    else:
        fitted, marked = model, model.C
        assert set(disp.vlines_) == {"C"} and disp.vlines_["C"].get_xdata()[0] == model.C
    (i,) = np.flatnonzero(disp.alphas == marked)
    atol, A = _binary_atol(X, y, fitted, weights)
    assert atol < 0.05
    assert_allclose(disp.coefs[:, i], fitted.coef_[0], rtol=0, atol=atol)
    # the path is the model's own problem: the default LogisticRegression at that C is not
    plain = LogisticRegression(C=marked, tol=TIGHT, max_iter=1000).fit(X, y, **fit_kw).coef_
    assert np.max(np.abs(plain[0] - fitted.coef_[0])) > 10 * atol
    # dev: glmnet's binomial dev.ratio, 1 - deviance / null deviance; the fitted model's,
    # to the log-loss's 1-Lipschitz bound in the logit: |d loss_i| <= |a_i| * atol
    s = np.ones(len(y)) if weights is None else weights
    from sklearn.metrics import log_loss

    deviance = log_loss(y, fitted.predict_proba(X), sample_weight=s, normalize=False)
    null = _logistic_objective_scale(y, 1.0, s, fitted.fit_intercept)
    slack = s @ np.linalg.norm(A, axis=1) * atol / null
    assert abs(disp.dev_ratio[i] - (1 - deviance / null)) <= slack
    # the automatic grid starts where every coefficient is zero
    assert np.count_nonzero(disp.coefs[:, 0]) == 0 or hasattr(model, "best_estimator_")


def test_logistic_automatic_grid_is_the_cv_estimators(binary):
    X, y = binary
    for ratio in (0.5, 1.0):
        cv = LogisticRegressionCV(Cs=25, l1_ratios=[ratio], cv=FOLDS).fit(X, y)
        disp = RegularizationPathDisplay.from_estimator(
            LogisticRegression(l1_ratio=ratio), X, y, alphas=25)
        assert_allclose(disp.alphas, cv.Cs_, rtol=1e-10)
        assert np.count_nonzero(disp.coefs[:, 0]) == 0 and disp.df_[0] == 0
        assert disp.df_[-1] == X.shape[1]
        assert disp.dev_ratio[0] == pytest.approx(0, abs=1e-9)
        assert disp.dev_ratio[-1] > disp.dev_ratio[0] + 0.2
    # eps sets the length of the grid: C_min up to C_min / eps
    disp = RegularizationPathDisplay.from_estimator(LogisticRegression(l1_ratio=1.0), X, y,
                                                    alphas=5, eps=1e-2)
    assert_allclose(disp.alphas[-1] / disp.alphas[0], 100, rtol=1e-10)


@pytest.mark.parametrize("xvar", ["norm", "dev"])
def test_logistic_xvar_and_marks(binary, xvar):
    X, y = binary
    model = LogisticRegression(C=0.05, l1_ratio=1.0, tol=1e-8, max_iter=1000).fit(X, y)
    disp = RegularizationPathDisplay.from_estimator(model, X, y, alphas=30, xvar=xvar)
    (i,) = np.flatnonzero(disp.alphas == model.C)
    expected = (np.abs(disp.coefs).sum(axis=0) if xvar == "norm" else disp.dev_ratio)
    assert_allclose(disp.x_, expected)
    assert disp.ax_.get_xscale() == "linear"
    assert disp.vlines_["C"].get_xdata()[0] == pytest.approx(disp.x_[i], rel=1e-12)
    assert_allclose(disp.lines_[0].get_xdata(), disp.x_)
    # (less regularization along the path: larger norm and deviance ratio)
    assert disp.x_[0] == pytest.approx(0, abs=1e-9) and disp.x_[-1] > disp.x_[0] + 0.2
    with pytest.raises(ValueError, match="xvar must be 'C', 'norm' or 'dev'"):
        disp.plot(xvar="alpha")
    disp.plot()  # the default: the path parameter
    assert disp.ax_.get_xlabel() == "C" and disp.ax_.get_xscale() == "log"


@pytest.mark.parametrize("xvar", ["C", "norm"])
def test_df_on_the_top_axis_of_a_path_over_C(binary, xvar):
    X, y = binary
    disp = RegularizationPathDisplay.from_estimator(LogisticRegression(l1_ratio=1.0), X, y,
                                                    alphas=40, xvar=xvar)
    assert _df_ticks_checked(disp, log=xvar == "C") >= 2
    assert disp.df_[0] == 0 and disp.df_[-1] == X.shape[1]


def test_multinomial_target_picks_a_class(binary):
    """Multinomial: one row of coefficients per class; target picks the class drawn (a
    label of classes_), 'norm' each feature's norm over the classes; None is an error
    naming the choices."""
    from sklearn.datasets import load_iris

    data = load_iris(as_frame=True)
    X, labels = data.data, data.target_names[data.target]
    tol = TIGHT
    # no intercept and a ridge part: the objective is (1 - l1_ratio)-strongly convex
    model = LogisticRegression(C=0.5, l1_ratio=0.5, fit_intercept=False, tol=tol,
                               max_iter=1000).fit(X, labels)
    def certified(C):  # how far two solutions at C certified by tol can be apart
        gap = tol * _logistic_objective_scale(labels, C, fit_intercept=False)
        return 2 * np.sqrt(2 * gap / (1 - model.l1_ratio))

    atol = certified(model.C)
    rows = []
    for k, label in enumerate(model.classes_):
        disp = RegularizationPathDisplay.from_estimator(model, X, labels, alphas=15,
                                                        target=label)
        assert disp.ax_.get_title() == f"Regularization path (LogisticRegression, class " \
                                       f"'{label}')"
        assert [line.get_label() for line in disp.lines_] == list(X.columns)
        (i,) = np.flatnonzero(disp.alphas == model.C)
        assert_allclose(disp.coefs[:, i], model.coef_[k], rtol=0, atol=atol)
        assert_allclose(disp.lines_[2].get_ydata(), disp.coefs[2])
        rows.append(disp.coefs)
    assert atol < 1e-3 and np.ptp(model.coef_) > 100 * atol
    # the classes' rows differ, the deviance ratio is the whole model's
    assert np.max(np.abs(rows[0] - rows[2])) > 0.1
    norm = RegularizationPathDisplay.from_estimator(model, X, labels, alphas=15,
                                                    target="norm")
    assert_allclose(norm.coefs, np.sqrt(np.sum(np.square(rows), axis=0)), rtol=0,
                    atol=2 * certified(norm.alphas.max()))
    assert norm.ax_.get_ylabel() == "coefficient norm over the classes"
    assert norm.ax_.get_title().endswith("norm over the 3 classes)")
    assert_allclose(norm.df_, np.count_nonzero(norm.coefs, axis=0))
    assert norm.dev_ratio[0] == pytest.approx(0, abs=1e-9)  # C_min: every coefficient zero
    from sklearn.metrics import log_loss

    (i,) = np.flatnonzero(norm.alphas == model.C)
    deviance = log_loss(labels, model.predict_proba(X), normalize=False)
    slack = np.linalg.norm(X, axis=1).sum() * np.sqrt(2) * atol / (len(X) * np.log(3))
    assert abs(norm.dev_ratio[i] - (1 - deviance / (len(X) * np.log(3)))) <= slack
    with pytest.raises(ValueError, match=r"3 rows of coefficients, one per class: pass "
                       r"target=<a class label, one of classes_ \['setosa', 'versicolor', "
                       r"'virginica'\]>.*target='norm'"):
        RegularizationPathDisplay.from_estimator(model, X, labels, alphas=5)
    with pytest.raises(ValueError, match="got target=2"):  # labels, not indices
        RegularizationPathDisplay.from_estimator(model, X, labels, alphas=5, target=2)
    # binary: one row, that of classes_[1], which target may name
    Xb, yb = binary
    clf = LogisticRegression(C=0.1).fit(Xb, yb)
    disp = RegularizationPathDisplay.from_estimator(clf, Xb, yb, alphas=5, target=1)
    assert disp.ax_.get_title() == "Regularization path (LogisticRegression)"
    with pytest.raises(ValueError, match=r"that of the class 1 \(classes_\[1\]\)"):
        RegularizationPathDisplay.from_estimator(clf, Xb, yb, alphas=5, target=0)
    Xd, yd = load_diabetes(return_X_y=True)
    with pytest.raises(ValueError, match="Lasso has one: pass target=None"):
        RegularizationPathDisplay.from_estimator(Lasso(), Xd, yd, alphas=5, target=0)


def test_logistic_pipelines_and_searches_over_pipelines():
    pytest.importorskip("pandas")
    from sklearn.datasets import load_breast_cancer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, [0, 1, 4, 8, 9, 11, 14, 19]]
    Xs = StandardScaler().fit_transform(X)
    pipe = make_pipeline(StandardScaler(), LogisticRegressionCV(
        Cs=10, l1_ratios=[1.0], cv=FOLDS, tol=TIGHT, max_iter=1000)).fit(X, y)
    disp = RegularizationPathDisplay.from_estimator(pipe, X, y)
    assert disp.ax_.get_title() == "Regularization path (LogisticRegressionCV)"
    assert [line.get_label() for line in disp.lines_] == list(X.columns)
    assert_allclose(disp.alphas, pipe[-1].Cs_)
    atol, _ = _binary_atol(Xs, y.to_numpy(), pipe[-1].best_estimator_)
    assert_allclose(disp.coefs[:, disp.alphas == pipe[-1].C_].ravel(), pipe[-1].coef_[0],
                    rtol=0, atol=atol)
    # a search over a Pipeline: its best_estimator_ is a Pipeline, its grid '<step>__C'
    Cs = np.logspace(-2, 0.5, 8)
    search = PathSearchCV(make_pipeline(StandardScaler(), LogisticRegression(
        l1_ratio=1.0, tol=TIGHT, max_iter=1000)), {"logisticregression__C": Cs},
        cv=FOLDS, scoring="neg_log_loss").fit(X, y)
    disp = RegularizationPathDisplay.from_estimator(search, X, y)
    assert_allclose(disp.alphas, Cs)
    assert set(disp.vlines_) == {"C_", "C_1se_"}
    assert [line.get_label() for line in disp.lines_] == list(X.columns)
    best = search.best_estimator_[-1]
    atol, _ = _binary_atol(Xs, y.to_numpy(), best)
    assert_allclose(disp.coefs[:, disp.alphas == search.C_].ravel(), best.coef_[0],
                    rtol=0, atol=atol)
    # ... and Lasso searched through a Pipeline, the same way
    Xd, yd = load_diabetes(return_X_y=True)
    alphas = np.logspace(-1, 1, 7)
    search = PathSearchCV(make_pipeline(StandardScaler(), Lasso(tol=TIGHT)),
                          {"lasso__alpha": alphas}, cv=FOLDS).fit(Xd, yd)
    disp = RegularizationPathDisplay.from_estimator(search, Xd, yd)
    assert_allclose(disp.alphas, alphas[::-1])
    assert set(disp.vlines_) == {"alpha_", "alpha_1se_"}
    best = search.best_estimator_[-1]
    assert_allclose(_path_at(disp, search.alpha_), best.coef_, rtol=0,
                    atol=_certified_atol(StandardScaler().fit_transform(Xd), yd))


def test_logistic_bad_input(binary):
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    X, y = binary
    with pytest.raises(TypeError, match="got LogisticRegression"):
        RegularizationPathDisplay.from_estimator(SkLogisticRegression().fit(X, y), X, y)
    with pytest.raises(ValueError, match="The values of C must be valid path points of "
                       "LogisticRegression, got -1.0"):
        RegularizationPathDisplay.from_estimator(LogisticRegression(), X, y,
                                                 alphas=[0.1, -1.0])
    with pytest.raises(ValueError, match="alphas must be a positive integer"):
        RegularizationPathDisplay.from_estimator(LogisticRegression(), X, y, alphas=0)
    with pytest.raises(ValueError, match="refit=False"):
        RegularizationPathDisplay.from_estimator(
            LogisticRegressionCV(Cs=3, cv=FOLDS, refit=False).fit(X, y), X, y)
    # an unpenalized model has no point on a path: nothing is marked
    model = LogisticRegression(C=np.inf, max_iter=1000).fit(X, y)
    disp = RegularizationPathDisplay.from_estimator(model, X, y, alphas=5)
    assert disp.vlines_ == {} and len(disp.alphas) == 5


# -- multi-task models: one row per target --------------------------------------------------------

@pytest.fixture(scope="module")
def multitask():
    pd = pytest.importorskip("pandas")
    from sklearn.datasets import make_regression

    X, Y = make_regression(n_samples=120, n_features=7, n_informative=4, n_targets=3,
                           noise=10.0, random_state=0)
    return (pd.DataFrame(X, columns=[f"f{j}" for j in range(7)]),
            pd.DataFrame(Y, columns=["north", "south", "west"]))


@pytest.mark.parametrize("make", [
    lambda: MultiTaskLasso(alpha=5.0, tol=TIGHT),
    lambda: MultiTaskElasticNet(alpha=2.0, l1_ratio=0.6, tol=TIGHT),
    lambda: MultiTaskLassoCV(alphas=20, cv=FOLDS, tol=TIGHT, selection_rule="1se"),
    lambda: MultiTaskElasticNetCV(l1_ratio=[0.5, 1.0], alphas=15, cv=FOLDS, tol=TIGHT),
], ids=["MultiTaskLasso", "MultiTaskElasticNet", "MultiTaskLassoCV", "MultiTaskElasticNetCV"])
def test_multitask_target_rows_at_the_marked_alpha(multitask, make):
    X, Y = multitask
    model = make().fit(X, Y)
    search = hasattr(model, "best_estimator_")
    fitted = model.best_estimator_ if search else model
    marked = fitted.alpha
    atol = _certified_atol(X, Y)  # (bounds the distance of the whole W, Frobenius)
    rows = []
    for t, name in enumerate(Y.columns):
        disp = RegularizationPathDisplay.from_estimator(model, X, Y, target=t)
        assert disp.param_name == "alpha" and np.all(np.diff(disp.alphas) < 0)
        assert disp.ax_.get_title() == (f"Regularization path ({type(model).__name__}, "
                                        f"target '{name}')")  # (y's column names it)
        assert [line.get_label() for line in disp.lines_] == list(X.columns)
        assert_allclose(_path_at(disp, marked), fitted.coef_[t], rtol=0, atol=atol)
        rows.append(disp.coefs)
    by_name = RegularizationPathDisplay.from_estimator(model, X, Y, target="west")
    assert_allclose(by_name.coefs, rows[2], rtol=0, atol=2 * atol)
    assert by_name.ax_.get_title().endswith("target 'west')")
    if search:
        assert set(disp.vlines_) == {"alpha_", "alpha_1se_"}
        grid = np.atleast_2d(model.alphas_)[list(np.atleast_1d(model.l1_ratio)).index(
            model.l1_ratio_) if np.ndim(model.alphas_) == 2 else 0]
        assert_allclose(disp.alphas, grid)
    else:
        assert set(disp.vlines_) == {"alpha"}
        assert len(disp.alphas) == 101  # 100 automatic values, and the fitted alpha
    # glmnet's mgaussian dev.ratio: the residual sums of squares pooled over the targets
    W = np.array(rows)  # (targets, features, alphas)
    Yv, Xv = Y.to_numpy(), X.to_numpy()
    resid = Yv[:, :, None] - np.einsum("ij,tja->ita", Xv, W)
    resid -= resid.mean(axis=0)
    rss = np.sum(resid**2, axis=(0, 1))
    null = np.sum((Yv - Yv.mean(axis=0)) ** 2)
    assert_allclose(disp.dev_ratio, 1 - rss / null, rtol=1e-8, atol=1e-10)
    # the row norms: each feature is in the model for every target or for none
    norm = RegularizationPathDisplay.from_estimator(model, X, Y, target="norm")
    assert_allclose(norm.coefs, np.linalg.norm(W, axis=0), rtol=0, atol=2 * atol)
    assert_allclose(_path_at(norm, marked), np.linalg.norm(fitted.coef_, axis=0), rtol=0,
                    atol=atol)
    assert norm.ax_.get_ylabel() == "coefficient norm over the targets"
    assert_allclose(norm.df_, np.count_nonzero(norm.coefs, axis=0))
    with pytest.raises(ValueError, match=r"3 rows of coefficients, one per target: pass "
                       r"target=<a target's index, 0 to 2> or <a column name of y, one of "
                       r"\['north', 'south', 'west'\]>"):
        RegularizationPathDisplay.from_estimator(model, X, Y)


def test_multitask_automatic_grid_and_options(multitask):
    X, Y = multitask
    pf = np.r_[0.0, 2.0, np.ones(5)]
    cv = MultiTaskLassoCV(alphas=25, cv=FOLDS, penalty_factor=pf, standardize=True).fit(X, Y)
    disp = RegularizationPathDisplay.from_estimator(
        MultiTaskLasso(penalty_factor=pf, standardize=True), X, Y, alphas=25, target="norm")
    assert_allclose(disp.alphas, cv.alphas_, rtol=1e-10)
    assert np.flatnonzero(disp.coefs[:, 0]).tolist() == [0]  # unpenalized: in from the start
    # the path is the model's problem (its options), not the plain multi-task Lasso's
    model = MultiTaskLasso(alpha=3.0, penalty_factor=pf, standardize=True, tol=TIGHT)
    model.fit(X, Y, sample_weight=np.linspace(0.5, 2.0, len(Y)))
    disp = RegularizationPathDisplay.from_estimator(
        model, X, Y, alphas=10, target=1, sample_weight=np.linspace(0.5, 2.0, len(Y)))
    atol = _certified_atol(X, Y, np.linspace(0.5, 2.0, len(Y)))
    assert_allclose(_path_at(disp, 3.0), model.coef_[1], rtol=0, atol=atol)
    plain = MultiTaskLasso(alpha=3.0, tol=TIGHT).fit(X, Y).coef_[1]
    assert np.max(np.abs(plain - model.coef_[1])) > 10 * atol
    from sklearn.linear_model import MultiTaskLasso as SkMultiTaskLasso

    with pytest.raises(TypeError, match="skreg.MultiTaskLasso, the same problem"):
        RegularizationPathDisplay.from_estimator(SkMultiTaskLasso().fit(X, Y), X, Y)
