"""`LogisticRegressionCV`: C (and l1_ratio) chosen by cross-validation, as a `PathSearchCV` over
skreg's LogisticRegression (one warm-started path over C per fold and l1_ratio)."""

import copy
import inspect
import numbers

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import make_scorer
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_X_y

from ._linear import store_init_params
from ._linear_cv import _table
from ._logistic import LogisticRegression
from ._logistic_path import C_grid, LogisticProblem, check_class_weight
from ._path_search import PathSearchCV
from ._scoring import logistic_path_statistics, one_standard_error_index
from ._sklearn_compat import (
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    _routing_enabled,
    search_n_splits,
)


def mean_and_standard_error(results, metric, n_splits):
    """The mean test score of every candidate of ``cv_results_`` and its standard error,
    ``std_test / sqrt(n_splits)`` (the std over folds, ddof=0): what the 1-SE rule and
    ``summary()`` read."""
    mean = np.asarray(results[f"mean_test_{metric}"], dtype=np.float64)
    se = np.asarray(results[f"std_test_{metric}"], dtype=np.float64) / np.sqrt(n_splits)
    return mean, se


def scorer_with_labels(scorer, classes):
    """`scorer` scoring with every class known (``labels=classes``; for two classes also
    ``pos_label=classes[1]``) when its metric takes ``labels``, as scikit-learn's
    LogisticRegressionCV scores its folds: a held-out part lacking a class is then scored as
    the others (log-loss, Brier score ...). Other scorers as given."""
    func = getattr(scorer, "_score_func", None)
    if func is None or not hasattr(scorer, "_sign") or not hasattr(scorer,
                                                                   "_response_method"):
        return scorer
    try:
        signature = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return scorer
    if "labels" not in signature:
        return scorer
    kwargs = {"labels": classes}
    if len(classes) == 2 and "pos_label" in signature:
        kwargs["pos_label"] = classes[-1]
    kwargs.update(getattr(scorer, "_kwargs", {}))
    rebuilt = make_scorer(func, greater_is_better=scorer._sign == 1,
                          response_method=scorer._response_method, **kwargs)
    if _routing_enabled():  # the scorer's metadata requests, as the user set them
        requests = scorer.get_metadata_routing().score.requests
        set_requests = {k: v for k, v in requests.items() if v is not None}
        if set_requests:
            rebuilt.set_score_request(**set_requests)
    return rebuilt


class _FoldLogisticRegression(LogisticRegression):
    """LogisticRegression over given ``classes`` (those of the whole data), as
    LogisticRegressionCV fits its folds: a class that a training fold lacks keeps its row
    (its weight there is zero), so that every fold's model predicts every class and the
    scorer sees the probabilities of all of them, as scikit-learn's LogisticRegressionCV."""

    def __init__(self, penalty="deprecated", *, C=1.0, l1_ratio=0.0, dual=False, tol=1e-4,
                 fit_intercept=True, intercept_scaling=1, class_weight=None,
                 random_state=None, solver="lbfgs", max_iter=100, verbose=0,
                 warm_start=False, n_jobs=None, classes=None):
        store_init_params(self, locals())

    _parameter_constraints: dict = {**LogisticRegression._parameter_constraints,
                                    "classes": ["array-like"]}

    def _fit_classes(self, y):
        classes = np.asarray(self.classes)
        unknown = np.setdiff1d(np.unique(y), classes)
        if unknown.size:
            raise ValueError(f"y has labels {unknown.tolist()!r} that are not in the classes "
                             f"{classes.tolist()!r}.")
        return classes

    def plain(self):
        """The equal LogisticRegression (its parameters and fitted attributes)."""
        params = self.get_params()
        del params["classes"]
        model = LogisticRegression(**params)
        for name, value in vars(self).items():
            if name.endswith("_") and not name.startswith("_"):
                setattr(model, name, value)
        return model


def fold_path_arrays(fold_paths, classes, n_features, fit_intercept, grids, dtype):
    """scikit-learn's ``coefs_paths_`` (n_folds, n_l1_ratios, n_cs, n_classes or 1,
    n_features + fit_intercept), the intercept last, and ``n_iter_`` (n_folds, n_l1_ratios,
    n_cs) from the search's kept fold paths (one group per l1_ratio, in order; its columns
    the distinct Cs). NaN (0 steps) where a fold's path is missing, or for rows of classes
    that a fold's model does not have (a path estimator fitted over the fold's own
    classes: its rows have no counterpart)."""
    n_l1, n_cs = len(grids), len(grids[0])
    n_splits = len(fold_paths[0][1]) if fold_paths else 0
    K = 1 if len(classes) == 2 else len(classes)
    coefs = np.full((n_splits, n_l1, n_cs, K, n_features + bool(fit_intercept)), np.nan,
                    dtype=dtype)
    n_iter = np.zeros((n_splits, n_l1, n_cs), dtype=np.int32)
    for i, (group, paths) in enumerate(fold_paths or ()):
        columns = [int(np.flatnonzero(group.values == C)[0]) for C in grids[i]]
        for s, path in enumerate(paths):
            if path is None:
                continue
            fold_classes = path.info.get("classes", classes)
            if len(fold_classes) == len(classes):
                rows = np.arange(K)
            elif len(fold_classes) > 2 and K > 1:  # a multinomial fold, classes missing
                rows = np.searchsorted(classes, fold_classes)
            else:  # a binary fold of a multinomial problem: no class row to compare
                continue
            block = coefs[s, i]  # (n_cs, K, n_dof), a view
            block[:, rows, :n_features] = path.coefs[:, :, columns].transpose(2, 0, 1)
            if fit_intercept:
                block[:, rows, n_features] = path.intercepts[:, columns].T
            if "steps" in path.info:
                n_iter[s, i, :] = np.asarray(path.info["steps"])[columns]
    return coefs, n_iter


class LogisticRegressionCV(PathSearchCV):
    """Logistic regression (L1, L2, elastic net) with C and l1_ratio chosen by cross-validation.

    A `PathSearchCV` (so a ``GridSearchCV``) over :class:`~skreg.LogisticRegression` with the
    grid ``{"C": Cs, "l1_ratio": l1_ratios}``: each (fold, l1_ratio) task solves one
    warm-started path over C, from the most regularized model up, and scores every C on the
    held-out part. ``cv_results_`` equal (to the solver's tolerance) those of
    ``GridSearchCV(skreg.LogisticRegression(...), {"C": Cs_, "l1_ratio": l1_ratios})`` with
    the same ``cv`` and ``scoring``.

    Parameters
    ----------
    Cs : int or array-like, default=10
        An int: that many values per l1_ratio, log-spaced from the C below which every
        coefficient is zero on the full data (``C_min``, from the gradient at the
        intercept-only model; l1_ratio 0 uses the value of 1e-3) up to ``C_min / eps``, as
        glmnet's lambda grid (scikit-learn's int grid is ``logspace(-4, 4, Cs)`` whatever the
        data). An array: those values for every l1_ratio.
    l1_ratios : array-like of float, default=(0.0,)
        Elastic-net mixings to search (0: L2, 1: L1).
    eps : float, default=None
        ``C_min / C_max`` of the automatic grid; None: 1e-4 when n_samples > n_features,
        else 1e-2 (glmnet's ``lambda.min.ratio``).
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    cv : int, cross-validation generator or iterable, default=None
        Folds (None: 5-fold; stratified for classifiers, as GridSearchCV).
    scoring : str, callable or None, default='neg_log_loss'
        The CV criterion. The default is the log-loss because it is what the model fits: a
        proper scoring rule that is smooth in C, so its CV curve has a well-defined minimum
        and a meaningful standard error (the 1-SE rule needs one); accuracy is a step
        function of C, flat over wide ranges, and picks among ties by grid order
        (scikit-learn's LogisticRegressionCV moves to 'neg_log_loss' as well, in 1.11).
        None is the estimator's ``score``, accuracy. As scikit-learn's LogisticRegressionCV,
        every fold is scored knowing all the classes (scorers whose metric takes ``labels``
        get ``labels=classes_``, and ``pos_label=classes_[1]`` for two classes), so a
        held-out part lacking a class, or string labels with e.g. 'f1', score as the rest.
    tol : float, default=1e-4
        Each fit's duality gap is at most ``tol`` times the null model's objective.
    max_iter : int, default=100
        Proximal Newton steps per C.
    class_weight : dict or 'balanced', default=None
        As in :class:`~skreg.LogisticRegression`; 'balanced' weights are computed once on
        the whole data (with ``sample_weight``) and used on every fold, as scikit-learn's
        LogisticRegressionCV does.
    n_jobs : int, default=None
        Parallel (fold, l1_ratio) tasks.
    verbose : int, default=0
        >0 prints one line per (fold, path).
    refit : bool, default=True
        Refit the best model on the whole data (``coef_``, ``predict``, ...).
    selection_rule : {'min', '1se'}, default='min'
        'min': the best mean score (``C_``); '1se': the smallest C whose mean score is within
        one standard error of the best (``C_1se_``), glmnet's ``lambda.1se``.
    solver : str, default='lbfgs'
        Accepted for compatibility with scikit-learn; skreg's solver is used.
    dual : bool, default=False
        Accepted for compatibility; ignored.
    intercept_scaling : float, default=1.0
        Accepted for compatibility; ignored (the intercept is never penalized).
    random_state : int, RandomState instance or None, default=None
        Accepted for compatibility; the solver is deterministic.
    use_legacy_attributes : bool, default=False
        The layout of ``C_``, ``l1_ratio_``, ``coefs_paths_``, ``scores_`` and ``n_iter_``, as
        scikit-learn 1.9's parameter of that name. False (scikit-learn's default from 1.10):
        floats and arrays indexed (fold, l1_ratio, C, ...), as documented below. True
        (scikit-learn 1.9's default, deprecated there): ``C_`` and ``l1_ratio_`` arrays of
        shape (n_classes or 1,) repeating the value; ``coefs_paths_`` and ``scores_`` dicts
        keyed by class (the positive class ``classes_[1]`` alone for two classes) of arrays
        (n_folds, n_cs, n_l1_ratios, n_features + fit_intercept) and (n_folds, n_cs,
        n_l1_ratios); ``n_iter_`` of shape (1, n_folds, n_cs, n_l1_ratios). The l1_ratios
        axis is always there (scikit-learn drops it only for ``l1_ratios=None``, which skreg
        does not take).

    Attributes
    ----------
    C_ : float
        C of the best mean score (whatever ``selection_rule``).
    C_1se_ : float
        Smallest C within one standard error of the best (same l1_ratio).
    l1_ratio_ : float
        l1_ratio of the refit.
    Cs_ : ndarray of shape (n_cs,) or (n_l1_ratios, n_cs)
        The C grid(s), increasing: one row per l1_ratio when ``Cs`` is an int and there are
        several l1_ratios (each has its own grid).
    l1_ratios_ : ndarray of shape (n_l1_ratios,)
        The l1_ratios searched.
    coefs_paths_ : ndarray of shape (n_folds, n_l1_ratios, n_cs, n_classes or 1, \
n_features + fit_intercept)
        Coefficients of every fold's path (scikit-learn's layout): ``coefs_paths_[f, i, j]``
        is the model fitted on the training part of fold f at ``l1_ratios_[i]`` and C
        ``Cs_[j]`` (``Cs_[i, j]`` with a grid per l1_ratio), one row for two classes (the
        positive class) and one per class otherwise, the intercept last when
        ``fit_intercept``. These are the fold paths the search solved and scored (kept, not
        refitted), in the data's dtype: ``n_folds * n_l1_ratios * n_cs * n_rows * (n_features
        + 1)`` numbers (for 5 folds, 10 Cs, 3 classes and 10,000 features, 12 MB in
        float64). As scikit-learn's, every fold's model is over all the classes of ``y``,
        also those its training part lacks (their weight there is zero: such a class's
        intercept has no finite optimum and stops very negative, about -460 or below).
    scores_ : ndarray of shape (n_folds, n_l1_ratios, n_cs)
        Test score of every fold, l1_ratio and C (the refit metric's ``split<k>_test_*``
        columns of ``cv_results_``).
    n_iter_ : ndarray of shape (n_folds, n_l1_ratios, n_cs)
        Proximal Newton steps of every fold's fit (scikit-learn counts its solver's
        iterations, e.g. L-BFGS's: the numbers are not comparable). The refitted model's
        are ``best_estimator_.n_iter_``.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_, intercept_
        Those of the refitted model.
    cv_results_, best_estimator_, best_params_, best_index_, best_score_, scorer_,
    n_splits_, refit_time_, multimetric_
        As for GridSearchCV (``best_params_`` follows ``selection_rule``).
    n_features_in_ : int
        Number of features seen during fit.
    coef_path_ : ndarray of shape (n_classes or 1, n_features, n_cs)
        Coefficients of the full-data path along ``Cs_`` (the row of ``l1_ratio_`` when there
        are several), at ``l1_ratio_``: one warm-started path of the refitted model, solved
        by ``fit`` after the refit (``refit=True`` only) with its ``tol``; one row for two
        classes, one per class otherwise (as ``coef_``). ``fit`` keeps its own copy of the
        data (pickled with the estimator) so that ``predict(X, C=...)`` and the other
        prediction methods solve between grid points.
    intercept_path_ : ndarray of shape (n_classes or 1, n_cs)
        Intercepts along the path (0 without ``fit_intercept``).
    df_ : ndarray of shape (n_cs,)
        Number of features with a non-zero coefficient along the path; with several classes,
        a feature counts once when any class's coefficient is non-zero (glmnet counts the
        features in use the same way for ``family="multinomial"``; its own ``df`` for the
        ungrouped multinomial is per class, so compare with ``df_`` on two classes only).
    dev_ratio_ : ndarray of shape (n_cs,)
        Fraction of the deviance explained along the path, ``1 - deviance / null
        deviance``, with the fit's weights (``sample_weight`` times ``class_weight``) and the
        intercept-only null model (every class equally likely without intercept): glmnet's
        binomial / multinomial ``dev.ratio``. ``summary()`` tabulates these with the CV
        scores.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skreg import LogisticRegressionCV
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> clf = LogisticRegressionCV(Cs=20, l1_ratios=[1.0], cv=3).fit(X, y)
    >>> bool(clf.C_ > 0)
    True
    >>> clf.coef_path_.shape, int(clf.df_[0])
    ((1, 30, 20), 0)
    >>> clf.predict_proba(X[:2], C=0.05).shape
    (2, 2)
    """

    _required_parameters = []
    pre_dispatch = "2*n_jobs"
    error_score = "raise"
    return_train_score = False

    _parameter_constraints: dict = {
        "Cs": [Interval(numbers.Integral, 1, None, closed="left"), "array-like"],
        "l1_ratios": ["array-like"],
        "eps": [Interval(numbers.Real, 0, 1, closed="neither"), None],
        "fit_intercept": ["boolean"],
        "cv": ["cv_object"],
        "scoring": [str, callable, None],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "max_iter": [Interval(numbers.Integral, 0, None, closed="left")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "n_jobs": [numbers.Integral, None],
        "verbose": ["verbose"],
        "refit": ["boolean"],
        "selection_rule": [StrOptions({"min", "1se"})],
        "solver": [StrOptions({"lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag",
                               "saga"})],
        "dual": ["boolean"],
        "intercept_scaling": [Interval(numbers.Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
        "use_legacy_attributes": ["boolean"],
    }
    _keep_fold_paths = True  # the search keeps each fold's path: coefs_paths_, n_iter_

    def __init__(self, *, Cs=10, l1_ratios=(0.0,), eps=None, fit_intercept=True, cv=None,
                 scoring="neg_log_loss", tol=1e-4, max_iter=100, class_weight=None,
                 n_jobs=None, verbose=0, refit=True, selection_rule="min", solver="lbfgs",
                 dual=False, intercept_scaling=1.0, random_state=None,
                 use_legacy_attributes=False):
        store_init_params(self, locals())

    @property
    def estimator(self):
        """The LogisticRegression every candidate is (built from this object's parameters)."""
        params = dict(fit_intercept=self.fit_intercept, tol=self.tol, max_iter=self.max_iter,
                      class_weight=self.class_weight, solver=self.solver, dual=self.dual,
                      intercept_scaling=self.intercept_scaling,
                      random_state=self.random_state)
        fitting = self.__dict__.get("_fitting")
        if fitting is None:
            model = LogisticRegression(**params)
        else:
            # during fit: every fold over the classes of the whole data, and 'balanced' class
            # weights from the whole data, as scikit-learn's LogisticRegressionCV
            classes, class_weight = fitting
            model = _FoldLogisticRegression(**dict(params, class_weight=class_weight),
                                            classes=classes)
        if _routing_enabled():
            # `fit`'s sample_weight is the fits' (as scikit-learn's LogisticRegressionCV);
            # with scoring=None, the accuracy of `score` weighs them too
            model.set_fit_request(sample_weight=True)
            if self.scoring is None:
                model.set_score_request(sample_weight=True)
        return model

    @property
    def param_grid(self):
        """The grid of the last fit (None before fit)."""
        return self.__dict__.get("_param_grid")

    def _l1_ratios(self):
        try:
            ratios = np.atleast_1d(np.asarray(self.l1_ratios, dtype=np.float64))
        except (TypeError, ValueError):
            ratios = np.array([np.nan])
        if ratios.ndim != 1 or ratios.size == 0 or np.any(~np.isfinite(ratios)) or np.any(
                (ratios < 0) | (ratios > 1)):
            raise ValueError("l1_ratios must be a non-empty list of floats in [0, 1], got "
                             f"{self.l1_ratios!r}.")
        return [float(r) for r in ratios]

    def _grids(self, X, y, sample_weight, l1_ratios):
        if isinstance(self.Cs, numbers.Integral):
            problem = LogisticProblem(X, y, np.unique(y), sample_weight=sample_weight,
                                      class_weight=self.class_weight,
                                      fit_intercept=self.fit_intercept)
            return [C_grid(problem, r, int(self.Cs), self.eps) for r in l1_ratios]
        try:
            Cs = np.asarray(self.Cs, dtype=np.float64)
        except (TypeError, ValueError):
            Cs = np.array([np.nan])
        if Cs.ndim != 1 or Cs.size == 0 or np.any(~np.isfinite(Cs)) or np.any(Cs <= 0):
            raise ValueError("Cs must be a positive int or a non-empty list of finite "
                             f"positive floats, got {self.Cs!r}.")
        return [np.sort(Cs)] * len(l1_ratios)

    def _get_scorers(self):
        scorers, refit_metric = super()._get_scorers()
        fitting = self.__dict__.get("_fitting")
        return (scorers if fitting is None else scorer_with_labels(scorers, fitting[0]),
                refit_metric)

    def _select_best_index(self, refit, refit_metric, results):
        best = super()._select_best_index(refit, refit_metric, results)
        metric = refit_metric if isinstance(refit_metric, str) else "score"
        ref = int(np.argmin(results[f"rank_test_{metric}"]))
        one_se = one_standard_error_index(results, metric, search_n_splits(self, results), ref,
                                          param="C", inverse=True)
        self.C_ = float(results["params"][ref]["C"])
        self.C_1se_ = float(results["params"][one_se]["C"])
        return one_se if self.selection_rule == "1se" else best

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Solve one path over C per fold and l1_ratio, score every C, refit the best.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights of every fit (the scorer sees them only with metadata routing,
            as GridSearchCV).
        **params : dict
            Passed to the CV splitter (e.g. ``groups``), as GridSearchCV.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        Xv, yv = check_X_y(X, y, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32],
                           estimator=self)
        check_classification_targets(yv)
        if len(np.unique(yv)) < 2:
            raise ValueError("This solver needs samples of at least 2 classes in the data, "
                             f"but the data contains only one class: {np.unique(yv)[0]!r}")
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, Xv, dtype=np.float64,
                                                 ensure_non_negative=True)
            params["sample_weight"] = sample_weight
        check_class_weight(self.class_weight)
        l1_ratios = self._l1_ratios()
        grids = self._grids(Xv, yv, sample_weight, l1_ratios)
        self._param_grid = [{"C": list(g), "l1_ratio": [r]}
                            for r, g in zip(l1_ratios, grids, strict=True)]
        classes = np.unique(yv)
        class_weight = self.class_weight
        if isinstance(class_weight, str):  # 'balanced': from the whole data
            with np.errstate(divide="ignore", invalid="ignore"):
                weights = compute_class_weight(class_weight, classes=classes, y=yv,
                                               sample_weight=sample_weight)
            if not np.all(np.isfinite(weights)):
                raise ValueError(f"class_weight={class_weight!r} gives non-finite sample "
                                 "weights: every class needs a positive total sample weight.")
            class_weight = dict(zip(classes, weights, strict=True))
        elif isinstance(class_weight, dict):  # (its unknown labels, reported up front)
            compute_class_weight(class_weight, classes=classes, y=yv)
        self._fitting = (classes, class_weight)
        try:
            super().fit(X if hasattr(X, "columns") else Xv, yv, **params)
            fold_paths = self.__dict__.pop("_fold_paths", None)
        finally:
            self.__dict__.pop("_fold_paths", None)
            self.__dict__.pop("_fitting", None)
        if self.refit:
            self.best_estimator_ = self.best_estimator_.plain().set_params(
                class_weight=self.class_weight)
        n_cs = len(grids[0])
        metric = self.refit if isinstance(self.refit, str) else "score"
        splits = np.stack([self.cv_results_[f"split{s}_test_{metric}"]
                           for s in range(self.n_splits_)])
        scores = splits.reshape(self.n_splits_, len(l1_ratios), n_cs)
        self.Cs_ = np.asarray(grids) if len(l1_ratios) > 1 else np.asarray(grids[0])
        self.l1_ratios_ = np.asarray(l1_ratios)
        self.l1_ratio_ = float(self.best_params_["l1_ratio"])
        coefs_paths, n_iter = fold_path_arrays(fold_paths, classes, Xv.shape[1],
                                               self.fit_intercept, grids, Xv.dtype)
        chosen = l1_ratios.index(self.l1_ratio_)
        self._path_rows = slice(chosen * n_cs, (chosen + 1) * n_cs)  # (in cv_results_)
        if self.refit:
            model = self.best_estimator_
            self.coef_ = model.coef_
            self.intercept_ = model.intercept_
            self._fit_full_path(Xv, yv, sample_weight, np.asarray(grids[chosen]))
        self._set_fold_attributes(coefs_paths, scores, n_iter, classes)
        return self

    def _set_fold_attributes(self, coefs_paths, scores, n_iter, classes):
        """scikit-learn 1.9's per-fold attributes, in the layout ``use_legacy_attributes``
        asks for (arrays, indexed (fold, l1_ratio, C, ...) when False)."""
        if not self.use_legacy_attributes:
            self.coefs_paths_, self.scores_, self.n_iter_ = coefs_paths, scores, n_iter
            return
        keys = classes[1:] if len(classes) == 2 else classes
        # (n_folds, n_l1_ratios, n_cs, ...) -> (n_folds, n_cs, n_l1_ratios, ...)
        self.coefs_paths_ = {key: np.swapaxes(coefs_paths[:, :, :, k, :], 1, 2)
                             for k, key in enumerate(keys)}
        legacy_scores = np.swapaxes(scores, 1, 2)
        self.scores_ = {key: legacy_scores.copy() for key in keys}
        self.n_iter_ = np.swapaxes(n_iter, 1, 2)[None]
        self.C_ = np.full(len(keys), self.C_)
        self.l1_ratio_ = np.full(len(keys), self.l1_ratio_)

    # -- the full-data path along Cs_ at l1_ratio_ (refit=True) ------------------------------

    def _fit_full_path(self, X, y, sample_weight, grid):
        """The path on the full data along `grid`, solved by the refitted model's own
        `_solve_path` (warm-started, its tol): coef_path_, intercept_path_, df_, dev_ratio_;
        the data is kept (the estimator's own copy) for the solves between grid points."""
        model = copy.copy(self.best_estimator_)
        result = model._solve_path(X, y, sample_weight, grid)
        self.coef_path_ = np.asarray(result.coefs)
        self.intercept_path_ = np.asarray(result.intercepts)
        self._path_Cs = np.asarray(grid, dtype=np.float64)
        weights = LogisticProblem(X, y, model.classes_,
                                  sample_weight=sample_weight, class_weight=self.class_weight,
                                  fit_intercept=self.fit_intercept).s
        self.df_, self.dev_ratio_ = logistic_path_statistics(
            X, y, model.classes_, weights, self.coef_path_, self.intercept_path_,
            self.fit_intercept)
        self._path_data = tuple(None if a is None else a.copy()
                                for a in (X, y, sample_weight))

    def _check_full_path(self, what):
        """One clear error when the full-data path is missing: before fit, or with
        ``refit=False`` (the path is solved after the refit)."""
        if hasattr(self, "cv_results_") and not self.refit:
            raise NotFittedError(f"{what} needs the full-data path, which fit solves only "
                                 "with refit=True; this LogisticRegressionCV was fitted with "
                                 "refit=False.")
        check_is_fitted(self, "coef_path_")

    def _model_at(self, C):
        """The full-data model at C: the refit (C None, or the refit's C), a path column (a
        grid point), else the refitted model's own fit at C, warm-started from the nearest
        grid point (log scale): the same certified accuracy as a fit at C."""
        self._check_full_path("The model at a given C (coef_at, predict(X, C=...))")
        model = self.best_estimator_
        if C is None:
            return model
        if (isinstance(C, (bool, np.bool_)) or not isinstance(C, numbers.Real)
                or not np.isfinite(C) or C <= 0):
            raise ValueError(f"C must be a finite positive number, got {C!r}.")
        C = float(C)
        if C == float(model.C):
            return model
        grid = self._path_Cs
        at = np.flatnonzero(grid == C)
        nearest = at[0] if at.size else int(np.argmin(np.abs(np.log(grid) - np.log(C))))
        if at.size:
            model = copy.copy(model)
        else:
            model = clone(model).set_params(C=C, warm_start=True)
        model.coef_ = self.coef_path_[:, :, nearest].copy()
        model.intercept_ = self.intercept_path_[:, nearest].copy()
        if not at.size:
            X, y, sample_weight = self._path_data
            model.fit(X, y, sample_weight=sample_weight)
            # (fitted on the kept array: the names are those of the refit's data)
            for name in ("n_features_in_", "feature_names_in_"):
                if hasattr(self.best_estimator_, name):
                    setattr(model, name, getattr(self.best_estimator_, name))
        return model

    def coef_at(self, C):
        """Coefficients and intercepts of the full-data fit at any C, at ``l1_ratio_``: a
        column of ``coef_path_`` at a grid point, else solved (warm-started from the
        nearest grid point, to ``tol``), never interpolated.

        Parameters
        ----------
        C : float
            A finite positive C.

        Returns
        -------
        coef : ndarray of shape (n_classes or 1, n_features)
            Coefficients at ``C`` (as ``coef_``: one row for two classes).
        intercept : ndarray of shape (n_classes or 1,)
            Intercepts at ``C``.
        """
        model = self._model_at(C)
        return np.array(model.coef_), np.array(model.intercept_)

    def decision_function(self, X, C=None):
        """Confidence scores of the refitted model, or of the full-data fit at C.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        C : float, default=None
            None: the refitted model. A number: the full-data fit at that C (``coef_at``):
            a path column at a grid point of ``Cs_``, solved between them.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            ``X @ coef.T + intercept``, one column per class with more than two classes.
        """
        if C is None:
            return super().decision_function(X)
        return self._model_at(C).decision_function(X)

    def predict(self, X, C=None):
        """Class labels of the refitted model, or of the full-data fit at C (see
        ``decision_function``).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        C : float, default=None
            None: the refitted model. A number: the full-data fit at that C.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        if C is None:
            return super().predict(X)
        return self._model_at(C).predict(X)

    def predict_proba(self, X, C=None):
        """Class probabilities of the refitted model, or of the full-data fit at C (see
        ``decision_function``).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        C : float, default=None
            None: the refitted model. A number: the full-data fit at that C.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class (in the order of ``classes_``).
        """
        if C is None:
            return super().predict_proba(X)
        return self._model_at(C).predict_proba(X)

    def summary(self):
        """The path at a glance, as glmnet prints a fit: one row per C of the grid at
        ``l1_ratio_`` (increasing) with ``C``, ``df``, ``pct_dev`` (100 x ``dev_ratio_``),
        ``score_mean`` and ``score_se`` (the mean CV score over folds, the scorer's sign,
        and its standard error std / sqrt(n_folds)) and ``mark`` ('min' at ``C_``, '1se' at
        ``C_1se_``, 'min,1se' when they coincide).

        Returns
        -------
        table : pandas.DataFrame or numpy structured array
            A DataFrame when pandas is installed, else a structured array with the same
            columns.
        """
        self._check_full_path("summary()")
        mean, se = mean_and_standard_error(self.cv_results_, "score", self.n_splits_)
        grid = self._path_Cs
        marks = [[] for _ in grid]
        best = float(np.ravel(self.C_)[0])  # (an array with use_legacy_attributes)
        for name, value in (("min", best), ("1se", self.C_1se_)):
            rows = np.flatnonzero(grid == value)
            if rows.size:
                marks[rows[0]].append(name)
        return _table({"C": grid, "df": self.df_, "pct_dev": 100.0 * self.dev_ratio_,
                       "score_mean": mean[self._path_rows],
                       "score_se": se[self._path_rows],
                       "mark": [",".join(m) for m in marks]})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
