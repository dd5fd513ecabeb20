"""`LogisticRegressionCV`: C (and l1_ratio) chosen by cross-validation, as a `PathSearchCV` over
skreg's LogisticRegression (one warm-started path over C per fold and l1_ratio)."""

import numbers

import numpy as np
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_X_y

from ._linear import store_init_params
from ._logistic import LogisticRegression
from ._logistic_path import C_grid, LogisticProblem
from ._path_search import PathSearchCV
from ._sklearn_compat import (
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    search_n_splits,
)


def one_standard_error_C(results, metric, n_splits, best):
    """Index of the smallest C (the most regularized model) whose mean test score is within
    one standard error (``std_test / sqrt(n_splits)`` of the best candidate) of the best,
    among the candidates with the best's l1_ratio."""
    params = results["params"]
    mean = np.asarray(results[f"mean_test_{metric}"], dtype=np.float64)
    std = np.asarray(results[f"std_test_{metric}"], dtype=np.float64)
    threshold = mean[best] - std[best] / np.sqrt(n_splits)
    ratio = params[best].get("l1_ratio")
    chosen = best
    for j, cand in enumerate(params):
        if (cand.get("l1_ratio") == ratio and np.isfinite(mean[j]) and mean[j] >= threshold
                and cand["C"] < params[chosen]["C"]):
            chosen = j
    return chosen


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
        None is the estimator's ``score``, accuracy.
    tol : float, default=1e-4
        Each fit's duality gap is at most ``tol`` times the null model's objective.
    max_iter : int, default=100
        Proximal Newton steps per C.
    class_weight : dict or 'balanced', default=None
        As in :class:`~skreg.LogisticRegression`.
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

    Attributes
    ----------
    C_ : float
        C of the best mean score (whatever ``selection_rule``).
    C_1se_ : float
        Smallest C within one standard error of the best (same l1_ratio).
    l1_ratio_ : float
        l1_ratio of the refit.
    Cs_ : ndarray of shape (n_cs,) or (n_l1_ratios, n_cs)
        The C grid(s).
    l1_ratios_ : ndarray of shape (n_l1_ratios,)
        The l1_ratios searched.
    scores_ : ndarray of shape (n_folds, n_l1_ratios, n_cs)
        Test score of every fold, l1_ratio and C (scikit-learn's new-style layout).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_, intercept_, n_iter_
        Those of the refitted model.
    cv_results_, best_estimator_, best_params_, best_index_, best_score_, scorer_,
    n_splits_, refit_time_, multimetric_
        As for GridSearchCV (``best_params_`` follows ``selection_rule``).
    n_features_in_ : int
        Number of features seen during fit.

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
    }

    def __init__(self, *, Cs=10, l1_ratios=(0.0,), eps=None, fit_intercept=True, cv=None,
                 scoring="neg_log_loss", tol=1e-4, max_iter=100, class_weight=None,
                 n_jobs=None, verbose=0, refit=True, selection_rule="min", solver="lbfgs",
                 dual=False, intercept_scaling=1.0, random_state=None):
        store_init_params(self, locals())

    @property
    def estimator(self):
        """The LogisticRegression every candidate is (built from this object's parameters)."""
        return LogisticRegression(fit_intercept=self.fit_intercept, tol=self.tol,
                                  max_iter=self.max_iter, class_weight=self.class_weight,
                                  solver=self.solver, dual=self.dual,
                                  intercept_scaling=self.intercept_scaling,
                                  random_state=self.random_state)

    @property
    def param_grid(self):
        """The grid of the last fit (None before fit)."""
        return self.__dict__.get("_param_grid")

    def _l1_ratios(self):
        ratios = np.atleast_1d(np.asarray(self.l1_ratios, dtype=np.float64))
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
        Cs = np.asarray(self.Cs, dtype=np.float64).ravel()
        if Cs.size == 0 or np.any(~np.isfinite(Cs)) or np.any(Cs <= 0):
            raise ValueError("Cs must be a positive int or a non-empty list of finite "
                             f"positive floats, got {self.Cs!r}.")
        return [np.sort(Cs)] * len(l1_ratios)

    def _select_best_index(self, refit, refit_metric, results):
        best = super()._select_best_index(refit, refit_metric, results)
        metric = refit_metric if isinstance(refit_metric, str) else "score"
        ref = int(np.argmin(results[f"rank_test_{metric}"]))
        one_se = one_standard_error_C(results, metric, search_n_splits(self, results), ref)
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
        l1_ratios = self._l1_ratios()
        grids = self._grids(Xv, yv, sample_weight, l1_ratios)
        self._param_grid = [{"C": list(g), "l1_ratio": [r]}
                            for r, g in zip(l1_ratios, grids, strict=True)]
        super().fit(X if hasattr(X, "columns") else Xv, yv, **params)
        n_cs = len(grids[0])
        metric = self.refit if isinstance(self.refit, str) else "score"
        splits = np.stack([self.cv_results_[f"split{s}_test_{metric}"]
                           for s in range(self.n_splits_)])
        self.scores_ = splits.reshape(self.n_splits_, len(l1_ratios), n_cs)
        self.Cs_ = np.asarray(grids) if len(l1_ratios) > 1 else np.asarray(grids[0])
        self.l1_ratios_ = np.asarray(l1_ratios)
        self.l1_ratio_ = float(self.best_params_["l1_ratio"])
        if self.refit:
            model = self.best_estimator_
            self.coef_ = model.coef_
            self.intercept_ = model.intercept_
            self.n_iter_ = model.n_iter_
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
