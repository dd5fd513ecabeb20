"""LogisticRegressionCV and PathSearchCV over LogisticRegression: the same cv_results_ as
GridSearchCV (to the solver's tolerance), scikit-learn's fitted attributes, the 1-SE rule."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, make_classification
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skreg import LogisticRegression, LogisticRegressionCV, PathSearchCV
from skreg._path_tasks import is_path_estimator


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X)[::2], y[::2]


def test_logistic_regression_is_a_path_estimator():
    assert is_path_estimator(LogisticRegression())


@pytest.mark.parametrize("scoring", ["neg_log_loss", "accuracy", "roc_auc"])
def test_path_search_equals_grid_search(cancer, scoring):
    X, y = cancer
    grid = {"C": list(np.logspace(-2, 1, 6)), "l1_ratio": [0.0, 0.5, 1.0]}
    est = LogisticRegression(tol=1e-12, max_iter=500)
    cv = StratifiedKFold(4)
    path = PathSearchCV(est, grid, cv=cv, scoring=scoring).fit(X, y)
    ref = GridSearchCV(est, grid, cv=cv, scoring=scoring).fit(X, y)
    for key in ref.cv_results_:
        if key.startswith(("split", "mean_test", "std_test")):
            np.testing.assert_allclose(path.cv_results_[key], ref.cv_results_[key],
                                       rtol=1e-4, atol=1e-5, err_msg=key)
    assert path.cv_results_["params"] == ref.cv_results_["params"]
    assert path.best_params_ == ref.best_params_
    np.testing.assert_allclose(path.best_estimator_.coef_, ref.best_estimator_.coef_,
                               atol=1e-4)


def test_logistic_regression_cv_attributes_and_grid(cancer):
    X, y = cancer
    cv = StratifiedKFold(3)
    clf = LogisticRegressionCV(Cs=8, l1_ratios=[0.5, 1.0], cv=cv, tol=1e-12,
                               max_iter=500).fit(X, y)
    assert clf.Cs_.shape == (2, 8) and np.all(np.diff(clf.Cs_, axis=1) > 0)
    assert clf.scores_.shape == (3, 2, 8)
    assert clf.coef_.shape == (1, X.shape[1]) and clf.intercept_.shape == (1,)
    assert clf.l1_ratio_ in (0.5, 1.0)
    assert clf.C_ == clf.best_params_["C"]
    assert clf.C_1se_ <= clf.C_
    # the first C of each automatic grid is the smallest C with every coefficient zero
    first = LogisticRegression(C=clf.Cs_[1, 0], l1_ratio=1.0, tol=1e-12).fit(X, y)
    assert np.all(first.coef_ == 0)
    grid = [{"C": list(clf.Cs_[i]), "l1_ratio": [r]} for i, r in enumerate([0.5, 1.0])]
    ref = GridSearchCV(LogisticRegression(tol=1e-12, max_iter=500), grid, cv=cv,
                       scoring="neg_log_loss").fit(X, y)
    np.testing.assert_allclose(clf.cv_results_["mean_test_score"],
                               ref.cv_results_["mean_test_score"], rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(clf.predict(X), clf.best_estimator_.predict(X))
    assert clf.predict_proba(X).shape == (len(y), 2)


def test_one_standard_error_rule(cancer):
    X, y = cancer
    kw = dict(Cs=10, l1_ratios=[1.0], cv=StratifiedKFold(3), tol=1e-8)
    best = LogisticRegressionCV(**kw).fit(X, y)
    one_se = LogisticRegressionCV(selection_rule="1se", **kw).fit(X, y)
    assert one_se.best_params_["C"] == best.C_1se_
    assert np.count_nonzero(one_se.coef_) <= np.count_nonzero(best.coef_)
    res = best.cv_results_
    i = best.best_index_
    threshold = res["mean_test_score"][i] - res["std_test_score"][i] / np.sqrt(3)
    j = [k for k, p in enumerate(res["params"]) if p["C"] == best.C_1se_][0]
    assert res["mean_test_score"][j] >= threshold
    assert all(res["mean_test_score"][k] < threshold
               for k, p in enumerate(res["params"]) if p["C"] < best.C_1se_)


def test_multinomial_and_explicit_Cs():
    X, y = make_classification(150, 8, n_informative=4, n_classes=3, random_state=0)
    clf = LogisticRegressionCV(Cs=[0.01, 0.1, 1.0], l1_ratios=[0.0], cv=3).fit(X, y)
    np.testing.assert_array_equal(clf.Cs_, [0.01, 0.1, 1.0])
    assert clf.coef_.shape == (3, 8)
    assert clf.predict_proba(X).shape == (150, 3)


def test_bad_parameters():
    X, y = make_classification(40, 4, random_state=0)
    with pytest.raises(ValueError, match="l1_ratios"):
        LogisticRegressionCV(l1_ratios=[1.5]).fit(X, y)
    with pytest.raises(ValueError, match="Cs"):
        LogisticRegressionCV(Cs=[0.0, 1.0]).fit(X, y)
    with pytest.raises(ValueError, match="2 classes"):
        LogisticRegressionCV().fit(X, np.zeros(40))


def _cv_expected_failed(estimator):
    # As scikit-learn's own LogisticRegressionCV: repeated rows land in other CV folds than a
    # weighted row, so the chosen C (and the refit) may differ; and the refit stops at the
    # default tol, which does not certify the check's 1e-7 agreement.
    return {"check_sample_weight_equivalence_on_dense_data":
            "CV folds differ between weighted and repeated rows",
            "check_sample_weight_equivalence_on_sparse_data":
            "CV folds differ between weighted and repeated rows",
            # n_iter_ counts each fold's Newton steps per C: at the grid's first C (C_min,
            # where every coefficient is zero) the warm start is already optimal, 0 steps
            "check_non_transformer_estimators_n_iter":
            "a path point reached by its warm start takes 0 steps"}


@parametrize_with_checks([LogisticRegressionCV(Cs=3, cv=3),
                          LogisticRegressionCV(Cs=3, cv=3, l1_ratios=[1.0])],
                         expected_failed_checks=_cv_expected_failed)
def test_sklearn_compatible_cv(estimator, check):
    check(estimator)


# -- the full-data path along Cs_: statistics, predictions at any C, glmnet's dev.ratio -------

def _deviance_ratio(P, y, classes, s, fit_intercept):
    """1 - deviance / null deviance from class probabilities P (n, n_classes), directly."""
    index = np.searchsorted(classes, y)
    dev = -(s @ np.log(P[np.arange(len(y)), index]))
    share = np.bincount(index, weights=s, minlength=len(classes)) / s.sum()
    null = -(s @ np.log(share[index])) if fit_intercept else s.sum() * np.log(len(classes))
    return 1 - dev / null


def _probabilities(Z):
    """Class probabilities from decision values (n, K): sigmoid for K = 1, else softmax."""
    if Z.shape[1] == 1:
        return np.column_stack([1 / (1 + np.exp(Z[:, 0])), 1 / (1 + np.exp(-Z[:, 0]))])
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _certified_reach(C, tol, l1_ratio, y, classes, s):
    """How far from the optimum a solution certified to tol (gap <= C * tol * null loss on
    scikit-learn's scale) can be: the penalty is (1 - l1_ratio)-strongly convex."""
    index = np.searchsorted(classes, y)
    null = -(s @ np.log((np.bincount(index, weights=s) / s.sum())[index]))
    return np.sqrt(2 * C * tol * null / (1 - l1_ratio))


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("sparse_X", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_full_path_statistics_and_predictions(n_classes, sparse_X, weighted):
    from scipy import sparse

    X, y = make_classification(n_samples=150, n_features=8, n_informative=4,
                               n_classes=n_classes, n_clusters_per_class=1, random_state=0)
    sw = np.random.RandomState(1).uniform(0.5, 2, len(y)) if weighted else None
    Xf = sparse.csr_matrix(X) if sparse_X else X
    clf = LogisticRegressionCV(Cs=8, l1_ratios=[0.7], cv=3, tol=1e-10, max_iter=1000)
    clf.fit(Xf, y, sample_weight=sw)
    K = 1 if n_classes == 2 else n_classes
    assert clf.coef_path_.shape == (K, X.shape[1], 8)
    assert clf.intercept_path_.shape == (K, 8)
    s = np.ones(len(y)) if sw is None else sw
    for j, C in enumerate(clf.Cs_):
        coef, intercept = clf.coef_at(C)
        refit = C == clf.best_params_["C"]  # (there: the refit, a point of the path to tol)
        np.testing.assert_array_equal(coef, clf.coef_ if refit else clf.coef_path_[:, :, j])
        reach = _certified_reach(C, clf.tol, 0.7, y, clf.classes_, s)
        assert np.max(np.abs(coef - clf.coef_path_[:, :, j])) <= 2 * reach
        np.testing.assert_array_equal(
            intercept, clf.intercept_ if refit else clf.intercept_path_[:, j])
        W, b = clf.coef_path_[:, :, j], clf.intercept_path_[:, j]
        P = _probabilities(X @ W.T + b)
        Zc = X @ coef.T + intercept
        np.testing.assert_allclose(clf.decision_function(Xf, C=C), Zc[:, 0] if K == 1 else Zc,
                                   rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(clf.predict_proba(Xf, C=C), _probabilities(Zc),
                                   rtol=1e-10, atol=1e-12)
        assert clf.df_[j] == np.count_nonzero(np.any(W != 0, axis=0))
        np.testing.assert_allclose(clf.dev_ratio_[j],
                                   _deviance_ratio(P, y, clf.classes_, s, True),
                                   rtol=1e-8, atol=1e-10)
    assert clf.df_[0] == 0 and abs(clf.dev_ratio_[0]) < 1e-6  # C_min: the null model
    # between grid points: a fit at that C, to what tol certifies
    C = np.sqrt(clf.Cs_[3] * clf.Cs_[4])
    ref = LogisticRegression(C=C, l1_ratio=0.7, tol=1e-10, max_iter=1000).fit(
        X, y, sample_weight=sw)
    reach = _certified_reach(C, clf.tol, 0.7, y, clf.classes_, s)
    coef, intercept = clf.coef_at(C)
    assert np.max(np.abs(coef - ref.coef_)) <= 2 * reach
    np.testing.assert_allclose(clf.predict_proba(Xf, C=C),
                               _probabilities(X @ coef.T + intercept), rtol=1e-10, atol=1e-12)
    assert np.mean(clf.predict(Xf, C=C) == ref.predict(X)) > 0.97
    np.testing.assert_array_equal(clf.predict(Xf), clf.best_estimator_.predict(Xf))
    table = clf.summary()
    assert len(table) == 8
    np.testing.assert_allclose(np.asarray(table["score_mean"]), clf.scores_[:, 0, :].mean(0))
    marks = list(table["mark"])
    assert "min" in marks[int(np.flatnonzero(clf.Cs_ == clf.C_)[0])]
    assert "1se" in marks[int(np.flatnonzero(clf.Cs_ == clf.C_1se_)[0])]


def test_full_path_pickle_clone_and_errors(cancer):
    import pickle

    from sklearn.base import clone
    from sklearn.exceptions import NotFittedError

    X, y = cancer
    X = X.copy()
    clf = LogisticRegressionCV(Cs=6, l1_ratios=[1.0], cv=3, class_weight="balanced").fit(X, y)
    back = pickle.loads(pickle.dumps(clf))
    C = np.sqrt(clf.Cs_[2] * clf.Cs_[3])
    expected = clf.predict_proba(X, C=C)
    X_test = X.copy()
    X[:] = 0  # the fit keeps its own data
    np.testing.assert_allclose(back.predict_proba(X_test, C=C), expected, atol=1e-8)
    assert not hasattr(clone(clf), "coef_path_")
    with pytest.raises(ValueError, match="C must be"):
        clf.predict(X_test, C=-1.0)
    no_refit = LogisticRegressionCV(Cs=4, cv=3, refit=False).fit(X_test, y)
    assert not hasattr(no_refit, "coef_path_")
    with pytest.raises(NotFittedError):
        no_refit.coef_at(1.0)


def test_dev_ratio_matches_glmnet_binomial():
    """R glmnet 4.1 (tests/data/glmnet_breast_cancer.csv, made by glmnet_breast_cancer.R):
    the same problems with C = 1 / (lambda * sum(w))."""
    import csv
    import os

    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    path = os.path.join(os.path.dirname(__file__), "data", "glmnet_breast_cancer.csv")
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for case in ("l1", "enet_0.5", "l1_weighted"):
        ref = [r for r in rows if r["case"] == case]
        lam = np.array([float(r["lambda"]) for r in ref])
        a, sum_w = float(ref[0]["l1_ratio"]), float(ref[0]["sum_w"])
        sw = 1.0 + np.arange(len(y)) % 3 if case.endswith("weighted") else None
        clf = LogisticRegressionCV(Cs=1 / (lam * sum_w), l1_ratios=[a], cv=3, tol=1e-10,
                                   max_iter=1000).fit(X, y, sample_weight=sw)
        order = np.argsort(1 / lam)  # Cs_ increase: lambda decreases
        dev_ratio = np.array([float(r["dev_ratio"]) for r in ref])[order]
        df = np.array([int(r["df"]) for r in ref])[order]
        # (observed: within 3.1e-7, glmnet at thresh 1e-14 and skreg at tol 1e-10)
        np.testing.assert_allclose(clf.dev_ratio_, dev_ratio, atol=1e-5)
        # df: equal, but at lambda_max itself, where glmnet reports one coefficient entering,
        # and for coefficients within the certified distance of zero: the elastic net is
        # strongly convex, ||w - w*||^2 <= 2 gap / (1 - l1_ratio), gap <= tol * null objective
        allowed = np.zeros(len(df), dtype=int)
        if a < 1:
            s = np.ones(len(y)) if sw is None else sw
            freq = np.array([s[y == c].sum() for c in (0, 1)]) / s.sum()
            null = clf.Cs_ * s.sum() * -np.sum(freq * np.log(freq))
            radius = np.sqrt(2 * 1e-10 * null / (1 - a))
            W = np.abs(clf.coef_path_[0])
            allowed = np.sum((W > 0) & (W <= radius), axis=0)
        assert np.all(np.abs(clf.df_[1:] - df[1:]) <= allowed[1:]), (case, clf.df_, df)


def test_predict_at_C_keeps_feature_names(cancer):
    import warnings

    pd = pytest.importorskip("pandas")
    X, y = cancer
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = LogisticRegressionCV(Cs=4, cv=3).fit(frame, y)
    C = np.sqrt(clf.Cs_[1] * clf.Cs_[2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "X has feature names" warning
        proba = clf.predict_proba(frame, C=C)
    np.testing.assert_allclose(proba, clf.predict_proba(X, C=C))


# -- scikit-learn's per-fold attributes: coefs_paths_, scores_, n_iter_, Cs_, l1_ratios_ -------

def _sklearn_has_legacy_switch():
    from inspect import signature

    from sklearn.linear_model import LogisticRegressionCV as SklearnLogisticRegressionCV

    return "use_legacy_attributes" in signature(SklearnLogisticRegressionCV).parameters


# the references: scikit-learn 1.9's LogisticRegressionCV, which has both layouts
needs_both_layouts = pytest.mark.skipif(
    not _sklearn_has_legacy_switch(),
    reason="scikit-learn's LogisticRegressionCV has use_legacy_attributes from 1.9")


def _sklearn_cv(**kwargs):
    import warnings

    from sklearn.linear_model import LogisticRegressionCV as SklearnLogisticRegressionCV

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (its convergence and deprecation warnings)
        return SklearnLogisticRegressionCV(**kwargs)


def _classification(n_classes):
    X, y = make_classification(150, 5, n_informative=3, n_redundant=0, n_classes=n_classes,
                               random_state=0)
    return StandardScaler().fit_transform(X), y


@needs_both_layouts
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("legacy", [False, True])
def test_fold_attributes_as_sklearn(n_classes, legacy):
    import warnings

    X, y = _classification(n_classes)
    cv = list(StratifiedKFold(3).split(X, y))
    Cs = [0.01, 0.1, 1.0]
    ours = LogisticRegressionCV(Cs=Cs, cv=cv, tol=1e-10, max_iter=1000,
                                use_legacy_attributes=legacy).fit(X, y)
    theirs = _sklearn_cv(Cs=Cs, cv=cv, l1_ratios=(0.0,), scoring="neg_log_loss", tol=1e-10,
                         max_iter=10000, use_legacy_attributes=legacy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs.fit(X, y)
    np.testing.assert_array_equal(ours.Cs_, theirs.Cs_)
    np.testing.assert_array_equal(ours.l1_ratios_, theirs.l1_ratios_)
    assert np.shape(ours.C_) == np.shape(theirs.C_)
    np.testing.assert_array_equal(ours.C_, theirs.C_)
    np.testing.assert_array_equal(ours.l1_ratio_, theirs.l1_ratio_)
    assert np.shape(ours.n_iter_) == np.shape(theirs.n_iter_)
    assert ours.n_iter_.dtype == theirs.n_iter_.dtype and np.all(ours.n_iter_ >= 0)
    for name in ("coefs_paths_", "scores_"):
        a, b = getattr(ours, name), getattr(theirs, name)
        assert type(a) is type(b)
        if legacy:  # dicts keyed by class (the positive class alone for two classes)
            assert list(a) == list(b) and [type(k) for k in a] == [type(k) for k in b]
            a, b = np.stack(list(a.values())), np.stack(list(b.values()))
        assert a.shape == b.shape
        # both solvers converged far (tol 1e-10) on a well-conditioned problem: the fold fits
        # agree to ~1e-6 (their objectives are strongly convex)
        tol = dict(rtol=1e-4, atol=1e-4) if name == "coefs_paths_" else dict(rtol=1e-5)
        np.testing.assert_allclose(a, b, **tol)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_fold_paths_are_the_fold_fits_and_scores(cancer, fit_intercept):
    X, y = cancer
    cv = list(StratifiedKFold(3).split(X, y))
    clf = LogisticRegressionCV(Cs=4, l1_ratios=[0.5, 1.0], cv=cv, tol=1e-10,
                               fit_intercept=fit_intercept).fit(X, y)
    n_dof = X.shape[1] + fit_intercept
    assert clf.coefs_paths_.shape == (3, 2, 4, 1, n_dof)
    assert clf.coefs_paths_.dtype == X.dtype
    assert clf.scores_.shape == clf.n_iter_.shape == (3, 2, 4)
    # scores_ are the fold scores of cv_results_, in (fold, l1_ratio, C) order
    for f in range(3):
        np.testing.assert_array_equal(clf.scores_[f].ravel(),
                                      clf.cv_results_[f"split{f}_test_score"])
    for f, i, j in [(0, 0, 1), (2, 1, 3), (1, 1, 0)]:
        train = cv[f][0]
        fit = LogisticRegression(C=clf.Cs_[i, j], l1_ratio=clf.l1_ratios_[i], tol=1e-10,
                                 max_iter=1000,
                                 fit_intercept=fit_intercept).fit(X[train], y[train])
        expected = np.append(fit.coef_[0], fit.intercept_ if fit_intercept else [])
        # (both certified to a relative gap of 1e-10 on the same problem)
        np.testing.assert_allclose(clf.coefs_paths_[f, i, j, 0], expected, atol=1e-4)
    # the most regularized C of an automatic L1 grid is C_min: the zero model
    assert not np.any(clf.coefs_paths_[:, 1, 0, 0, :X.shape[1]])


@needs_both_layouts
def test_legacy_layout_with_several_l1_ratios_as_sklearn():
    import warnings

    X, y = _classification(3)
    cv = list(StratifiedKFold(3).split(X, y))
    kwargs = dict(Cs=[0.1, 1.0], cv=cv, l1_ratios=[0.0, 1.0], tol=1e-4)
    for legacy in (False, True):
        ours = LogisticRegressionCV(use_legacy_attributes=legacy, **kwargs).fit(X, y)
        theirs = _sklearn_cv(solver="saga", max_iter=50, use_legacy_attributes=legacy,
                             **kwargs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs.fit(X, y)
        for name in ("coefs_paths_", "scores_", "n_iter_", "C_", "l1_ratio_"):
            a, b = getattr(ours, name), getattr(theirs, name)
            if isinstance(b, dict):
                assert list(a) == list(b)
                assert [v.shape for v in a.values()] == [v.shape for v in b.values()]
            else:
                assert np.shape(a) == np.shape(b), name
        if legacy:  # the (fold, C, l1_ratio) legacy axes hold the same numbers
            for k, key in enumerate(ours.classes_):
                np.testing.assert_array_equal(
                    ours.coefs_paths_[key],
                    LogisticRegressionCV(**kwargs).fit(X, y).coefs_paths_[:, :, :, k]
                    .swapaxes(1, 2))


def test_fold_paths_kept_only_when_asked(cancer):
    from skreg import Lasso

    X, y = cancer
    search = PathSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3).fit(X, y)
    assert not hasattr(search, "_fold_paths")  # nothing kept by default

    class KeepingSearch(PathSearchCV):
        _keep_fold_paths = True

    search = KeepingSearch(Lasso(), {"alpha": [0.1, 0.01]}, cv=3).fit(X, y.astype(float))
    (group, paths), = search._fold_paths  # (a protocol-level hook: any path estimator)
    assert len(paths) == 3 and paths[0].coefs.shape == (1, X.shape[1], 2)
    np.testing.assert_array_equal(group.values, [0.1, 0.01])
    clf = LogisticRegressionCV(Cs=3, cv=3).fit(X, y)
    assert not hasattr(clf, "_fold_paths")  # read into coefs_paths_, then dropped


def test_fold_attributes_without_refit_pickle_and_float32(cancer):
    import pickle

    X, y = cancer
    clf = LogisticRegressionCV(Cs=3, cv=3, refit=False).fit(X.astype(np.float32), y)
    assert clf.coefs_paths_.dtype == np.float32 and clf.coefs_paths_.shape == (3, 1, 3, 1, 31)
    assert np.isfinite(clf.coefs_paths_).all()
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.coefs_paths_, clf.coefs_paths_)
    np.testing.assert_array_equal(again.n_iter_, clf.n_iter_)
