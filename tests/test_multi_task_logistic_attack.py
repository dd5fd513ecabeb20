"""Regression tests for defects found by a hostile-user pass over the multi-task models
(MultiTaskLasso / ElasticNet and their CV selectors) and the logistic ones
(LogisticRegression, LogisticRegressionCV): each failed, crashed or answered wrongly before."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegressionCV as SklearnLogisticRegressionCV
from sklearn.model_selection import StratifiedKFold

from skreg import LogisticRegression, LogisticRegressionCV


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.randn(60, 4)
    y = (X[:, 0] + 0.5 * rng.randn(60) > 0).astype(int)
    return X, y


def _sklearn_cv(X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (its convergence and deprecation warnings)
        return SklearnLogisticRegressionCV(l1_ratios=(0.0,), use_legacy_attributes=False,
                                           **kwargs).fit(X, y)


# -- LogisticRegression ----------------------------------------------------------------------

def test_huge_values_raise_instead_of_nan_coefficients(data):
    # was: coef_ full of NaN, with only numpy's overflow RuntimeWarnings
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(ValueError, match="non-finite coefficients.*scale the features"):
            LogisticRegression().fit(X * 1e200, y)


@pytest.mark.parametrize("weight", [-1, -0.5, np.inf, "a"])
@pytest.mark.parametrize("cv", [False, True])
def test_negative_or_invalid_class_weight_is_refused(data, weight, cv):
    # was: a negative class weight gave all-zero coefficients without a word
    X, y = data
    model = (LogisticRegressionCV(Cs=[0.1, 1.0], cv=3, class_weight={1: weight}) if cv
             else LogisticRegression(class_weight={1: weight}))
    with pytest.raises(ValueError, match="class_weight values must be finite non-negative"):
        model.fit(X, y)


def test_zero_class_weight_is_still_accepted(data):
    X, y = data
    model = LogisticRegression(class_weight={1: 0}).fit(X, y)
    assert np.all(model.coef_ == 0) and np.all(model.predict(X) == 0)


# -- LogisticRegressionCV --------------------------------------------------------------------

def test_cv_class_missing_from_a_training_fold_as_sklearn():
    # was: "y_true and y_prob contain different number of classes" from the scorer; each
    # fold's model now covers every class, as scikit-learn's
    rng = np.random.RandomState(0)
    X = rng.randn(61, 4)
    y = np.r_[np.arange(60) % 3, 3]  # class 3 has one sample: two training folds lack it
    for scoring in ("neg_log_loss", "accuracy", "neg_brier_score"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # (the least populated class)
            ours = LogisticRegressionCV(Cs=[0.1, 1.0], cv=3, scoring=scoring).fit(X, y)
            theirs = _sklearn_cv(X, y, Cs=[0.1, 1.0], cv=3, scoring=scoring)
        assert ours.coefs_paths_.shape == theirs.coefs_paths_.shape == (3, 1, 2, 4, 5)
        assert np.isfinite(ours.scores_).all()
        # the folds whose training part saw every class score as scikit-learn's
        test_has_3 = [3 in y[test] for _, test in StratifiedKFold(3).split(X, y)]
        same = [f for f, has in enumerate(test_has_3) if not has]
        np.testing.assert_allclose(ours.scores_[same], theirs.scores_[same], rtol=1e-3,
                                   atol=1e-4)
    assert isinstance(ours.best_estimator_, LogisticRegression)
    assert type(ours.best_estimator_) is LogisticRegression  # not the folds' helper class
    np.testing.assert_array_equal(ours.best_estimator_.classes_, [0, 1, 2, 3])


def test_cv_balanced_class_weight_from_the_whole_data_as_sklearn():
    # was: 'balanced' recomputed on each training fold (scikit-learn: on the whole data)
    rng = np.random.RandomState(0)
    X = rng.randn(90, 4)
    y = np.r_[np.zeros(60, int), np.ones(20, int), np.full(10, 2)]
    kwargs = dict(Cs=[0.1, 1.0], cv=3, class_weight="balanced", tol=1e-10)
    ours = LogisticRegressionCV(max_iter=1000, **kwargs).fit(X, y)
    theirs = _sklearn_cv(X, y, max_iter=10000, scoring="neg_log_loss", **kwargs)
    np.testing.assert_allclose(ours.scores_, theirs.scores_, rtol=1e-5)
    assert ours.best_estimator_.class_weight == "balanced"


@pytest.mark.parametrize("scoring", ["f1", "neg_brier_score", "precision"])
def test_cv_string_binary_labels_with_label_scorers(scoring):
    # was: "pos_label=1 is not a valid label" (scikit-learn's LogisticRegressionCV scores
    # its folds with pos_label=classes_[1])
    rng = np.random.RandomState(0)
    X = rng.randn(60, 4)
    y = np.where(X[:, 0] + rng.randn(60) > 0, "p", "q")
    ours = LogisticRegressionCV(Cs=[0.1, 1.0], cv=3, scoring=scoring, tol=1e-10,
                                max_iter=1000).fit(X, y)
    theirs = _sklearn_cv(X, y, Cs=[0.1, 1.0], cv=3, scoring=scoring, tol=1e-10,
                         max_iter=10000)
    # (both fits converged far: the Brier scores agree to ~1e-6 relative)
    np.testing.assert_allclose(ours.scores_, theirs.scores_, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("requested", [True, False])
def test_cv_sample_weight_with_metadata_routing(data, requested):
    # was: with routing on, LogisticRegressionCV.fit(sample_weight=...) always failed, asking
    # for a fit request on the inner LogisticRegression (which users cannot reach); and the
    # scorer rebuilt with the classes dropped the user's score request
    import sklearn
    from sklearn.metrics import log_loss, make_scorer

    X, y = data
    sample_weight = np.random.RandomState(1).rand(len(y)) + 0.5

    def scorer():
        return make_scorer(log_loss, greater_is_better=False, response_method="predict_proba"
                           ).set_score_request(sample_weight=requested)

    with sklearn.config_context(enable_metadata_routing=True):
        kwargs = dict(Cs=[0.1, 1.0], cv=3, tol=1e-10)
        ours = LogisticRegressionCV(scoring=scorer(), max_iter=1000, **kwargs).fit(
            X, y, sample_weight=sample_weight)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = SklearnLogisticRegressionCV(
                scoring=scorer(), max_iter=10000, l1_ratios=(0.0,),
                use_legacy_attributes=False, **kwargs).fit(X, y, sample_weight=sample_weight)
    np.testing.assert_allclose(ours.scores_, theirs.scores_, rtol=1e-4)


@pytest.mark.parametrize("params", [{"Cs": [[0.1, 1.0]]}, {"Cs": [1.0, "a"]},
                                    {"l1_ratios": ["a"]}, {"l1_ratios": [[0.5]]}])
def test_cv_malformed_grids_are_refused(data, params):
    # was: a 2-D Cs silently flattened; a non-numeric entry gave numpy's conversion error
    X, y = data
    with pytest.raises(ValueError, match="(Cs|l1_ratios) must be"):
        LogisticRegressionCV(cv=3, **params).fit(X, y)


def test_cv_path_methods_without_refit_say_why(data):
    # was: "This LogisticRegressionCV instance is not fitted yet" on a fitted estimator
    X, y = data
    clf = LogisticRegressionCV(Cs=3, cv=3, refit=False).fit(X, y)
    assert clf.coefs_paths_.shape == (3, 1, 3, 1, 5)  # the per-fold attributes are there
    for call in (clf.summary, lambda: clf.predict(X, C=1.0), lambda: clf.coef_at(1.0)):
        with pytest.raises(AttributeError, match="only with refit=True"):
            call()


# -- the multi-task models -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["MultiTaskLasso", "MultiTaskElasticNet", "MultiTaskLassoCV",
                                  "MultiTaskElasticNetCV"])
def test_multi_task_sparse_targets_are_refused_clearly(name):
    # was: "setting an array element with a sequence" (numpy, from deep inside the fit)
    import scipy.sparse as sp

    import skreg

    rng = np.random.RandomState(0)
    X, Y = rng.randn(20, 3), rng.randn(20, 2)
    with pytest.raises(TypeError, match="Sparse data was passed for y"):
        getattr(skreg, name)().fit(X, sp.csr_matrix(Y))
    getattr(skreg, name)().fit(sp.csr_matrix(X), Y)  # (sparse X is fine)


@pytest.mark.parametrize("Cs", [3, [0.1, 1.0]])
def test_cv_balanced_weights_with_a_weightless_class(data, Cs):
    # was (explicit Cs): "class_weight values must be finite ..., got inf", about weights the
    # user never gave
    X, y = data
    with pytest.raises(ValueError, match="'balanced' gives non-finite sample weights"):
        LogisticRegressionCV(Cs=Cs, cv=3, class_weight="balanced").fit(
            X, y, sample_weight=(y == 0).astype(float))


# -- logistic_path ---------------------------------------------------------------------------

@pytest.mark.parametrize("params, match", [
    # was: a negative C fitted (coefficients ~2e4), 0 / NaN / inf solved as given (a NaN
    # column), Cs=0 empty arrays, Cs=-3 numpy's "Number of samples", a 2-D Cs "truth value
    # ... ambiguous", Cs=2.5 truncated to 2
    ({"Cs": [-1.0, 1.0]}, "Cs must be"), ({"Cs": [0.0, 1.0]}, "Cs must be"),
    ({"Cs": [np.nan, 1.0]}, "Cs must be"), ({"Cs": [np.inf]}, "Cs must be"),
    ({"Cs": 0}, "Cs must be"), ({"Cs": -3}, "Cs must be"), ({"Cs": [[1.0, 2.0]]}, "Cs must be"),
    ({"Cs": 2.5}, "Cs must be"), ({"Cs": []}, "Cs must be"), ({"Cs": True}, "Cs must be"),
    ({"Cs": [1.0, "a"]}, "Cs must be"),
    # was: accepted, fitting another objective or a NaN / infinite grid
    ({"l1_ratio": 2}, "l1_ratio must be"), ({"l1_ratio": -1}, "l1_ratio must be"),
    ({"l1_ratio": np.nan}, "l1_ratio must be"),
    ({"eps": 0}, "eps must be"), ({"eps": -1}, "eps must be"), ({"eps": 1.0}, "eps must be"),
    ({"eps": np.nan}, "eps must be"),
    ({"tol": -1e-4}, "tol must be"), ({"tol": np.nan}, "tol must be"),
    ({"max_iter": -1}, "max_iter must be"), ({"max_iter": 2.5}, "max_iter must be"),
    # was: all-zero coefficients without a word
    ({"class_weight": {1: -1}}, "class_weight values must be finite non-negative"),
    ({"class_weight": {1: np.inf}}, "class_weight values must be finite non-negative"),
])
def test_logistic_path_bad_parameters_are_refused(data, params, match):
    from skreg import logistic_path

    X, y = data
    with pytest.raises(ValueError, match=match):
        logistic_path(X, y, **params)


@pytest.mark.parametrize("Cs", [1, np.int64(3), [2.0, 0.5], np.array([1.0])])
def test_logistic_path_valid_Cs_are_kept(data, Cs):
    from skreg import logistic_path

    X, y = data
    grid, coefs, intercepts, n_iter = logistic_path(X, y, Cs=Cs)
    n = int(Cs) if np.ndim(Cs) == 0 else len(Cs)
    assert grid.shape == (n,) and coefs.shape == (n, X.shape[1]) and n_iter.shape == (n,)
    assert np.all(np.diff(grid) > 0) and np.all(np.isfinite(coefs))
    if np.ndim(Cs):
        np.testing.assert_array_equal(grid, np.sort(Cs))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_logistic_path_column_y_as_sklearn(data, n_classes):
    # was: IndexError for y of shape (n, 1); scikit-learn ravels it with a warning
    from sklearn.exceptions import DataConversionWarning

    from skreg import logistic_path

    X, _ = data
    y = np.arange(len(X)) % n_classes
    expected = logistic_path(X, y, Cs=[0.1, 1.0], tol=1e-8)
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        got = logistic_path(X, y[:, None], Cs=[0.1, 1.0], tol=1e-8)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="y should be a 1d array"):
        logistic_path(X, np.c_[y, y], Cs=[1.0])


@pytest.mark.parametrize("scale", [1e154, 1e200])
@pytest.mark.parametrize("fit", ["path", "estimator", "cv"])
@pytest.mark.parametrize("sparse_X", [False, True])
def test_huge_values_one_clear_error_everywhere(data, scale, fit, sparse_X):
    # was: logistic_path returned all-zero coefficients (numpy's "overflow encountered in
    # square" only) for data whose sums of squares overflow
    import scipy.sparse as sp

    from skreg import logistic_path

    X, y = data
    X = X * scale
    if sparse_X:
        X = sp.csr_matrix(X)
    call = {"path": lambda: logistic_path(X, y, Cs=[1.0]),
            "estimator": lambda: LogisticRegression().fit(X, y),
            "cv": lambda: LogisticRegressionCV(Cs=[1.0], cv=3).fit(X, y)}[fit]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # (no overflow warning on the way)
        with pytest.raises(ValueError, match="non-finite coefficients.*scale the features"):
            call()


def test_large_values_below_the_limit_still_fit(data):
    from skreg import logistic_path

    X, y = data
    Cs, coefs, _, _ = logistic_path(X, y, Cs=[1.0], tol=1e-8)
    for scale in (1e100, 1e150):
        _, scaled, _, _ = logistic_path(X * scale, y, Cs=[1.0 / scale], tol=1e-8)
        # (the l1 objective is invariant under X -> s X, C -> C / s, W -> W / s)
        np.testing.assert_allclose(scaled * scale, coefs, rtol=1e-3, atol=1e-6)


@pytest.mark.parametrize("weightless", [0, 1])
@pytest.mark.parametrize("sparse_X", [False, True])
def test_grid_with_a_weightless_class_is_that_of_a_zero_gradient(data, weightless,
                                                                  sparse_X):
    # was: a grid from 3.8e295 to 3.8e299 (the null gradient, ~1e-300, taken as real)
    import scipy.sparse as sp

    from skreg import logistic_path

    X, y = data
    sample_weight = (y != weightless).astype(float)
    Xs = sp.csr_matrix(X) if sparse_X else X
    Cs, coefs, intercepts, _ = logistic_path(Xs, y, Cs=5, sample_weight=sample_weight)
    zero_X_grid = logistic_path(np.zeros_like(X), y, Cs=5, sample_weight=sample_weight)[0]
    np.testing.assert_array_equal(Cs, zero_X_grid)
    assert Cs.max() < 1e10
    # every weighted sample is of one class: the null model (coefficients zero) is optimal
    assert np.all(coefs == 0) and np.all(np.isfinite(intercepts))
