"""LogisticRegression: scikit-learn 1.9's estimator and objective, skreg's solver (L1, L2 and
elastic-net penalties, binary and multinomial)."""

import time
import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn import get_config
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._linear import FEATURES_IN_DOC, store_init_params
from ._logistic_path import LogisticProblem, check_class_weight, solve_Cs
from ._path_protocol import PathResult
from ._sklearn_compat import Interval, StrOptions, _check_sample_weight, _fit_context


def resolve_penalty(est):
    """scikit-learn 1.9's reading of the deprecated `penalty` against `l1_ratio` and `C`, with
    its warnings and errors: returns (C, l1_ratio) of the problem to solve."""
    l1_ratio = est.l1_ratio
    if est.penalty == "deprecated":
        if l1_ratio is None:
            warnings.warn("'l1_ratio=None' was deprecated in version 1.8 and will trigger an "
                          "error in 1.10. Use 0<=l1_ratio<=1 instead.", FutureWarning)
        penalty = ("l2" if l1_ratio in (0, None) else "l1" if l1_ratio == 1
                   else "elasticnet")
        if est.C == np.inf:
            penalty = None
    else:
        penalty = est.penalty
        warnings.warn(
            "'penalty' was deprecated in version 1.8 and will be removed in 1.10. To avoid "
            "this warning, leave 'penalty' set to its default value and use 'l1_ratio' or 'C' "
            "instead. Use l1_ratio=0 instead of penalty='l2', l1_ratio=1 instead of "
            "penalty='l1', l1_ratio set to a float between 0 and 1 instead of "
            "penalty='elasticnet', and C=np.inf instead of penalty=None.", FutureWarning)
    if penalty != "elasticnet" and l1_ratio is not None and 0 < l1_ratio < 1:
        warnings.warn("l1_ratio parameter is only used when penalty is 'elasticnet'. Got "
                      f"(penalty={penalty})")
    if (est.penalty == "l2" and l1_ratio != 0) or (est.penalty == "l1" and l1_ratio != 1):
        warnings.warn(f"Inconsistent values: penalty={est.penalty} with l1_ratio={l1_ratio}. "
                      "penalty is deprecated. Please use l1_ratio only.")
    if penalty == "elasticnet" and l1_ratio is None:
        raise ValueError("l1_ratio must be specified when penalty is elasticnet.")
    if est.penalty is None:
        if est.C != 1.0:
            warnings.warn("Setting penalty=None will ignore the C and l1_ratio parameters")
        return np.inf, 0.0
    if penalty == "l2":
        return est.C, 0.0
    if penalty == "l1":
        return est.C, 1.0
    if penalty is None:
        return np.inf, 0.0
    return est.C, float(l1_ratio)


class LogisticRegression(ClassifierMixin, BaseEstimator):
    __doc__ = f"""Logistic regression with L1, L2 or elastic-net penalty (binary or multinomial).

    Minimizes scikit-learn 1.9's objective (``LogisticRegression`` with the same parameters)::

        C * sum_i s_i * log_loss(y_i, W x_i + b)
        + l1_ratio * ||W||_1 + (1 - l1_ratio) / 2 * ||W||_F^2

    where ``s`` are the sample weights times the class weights, the log-loss is the binomial
    one for two classes (``W`` has one row, the positive class ``classes_[1]``) and the
    multinomial (softmax) one for more, and the intercept ``b`` is not penalized.

    Solved by proximal Newton steps (glmnet's quadratic approximation, a line search on the
    true objective, one class block at a time for the multinomial model) over coordinate
    descent, with working sets and gap-safe screening. It stops on a certified duality gap:
    the returned objective is within ``tol * C * null_loss`` of the optimum, ``null_loss``
    being the weighted log-loss of the null model (the intercept-only model when fitting an
    intercept, else the model with all logits 0), whatever the solver option says.

    Parameters
    ----------
    penalty : {{'l1', 'l2', 'elasticnet', None}}, default='deprecated'
        Deprecated in scikit-learn 1.8 (removed in 1.10), handled as scikit-learn does (same
        warnings): use ``l1_ratio`` and ``C`` (``C=np.inf`` for no penalty).
    C : float, default=1.0
        Inverse of regularization strength (multiplies the data term).
    l1_ratio : float, default=0.0
        Elastic-net mixing, ``0 <= l1_ratio <= 1``: 0 is the L2 penalty, 1 the L1 penalty.
    dual : bool, default=False
        Accepted for compatibility (liblinear's dual formulation); ignored.
    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol`` times the null model's objective
        ``C * null_loss`` (a relative accuracy of the objective).
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    intercept_scaling : float, default=1
        Accepted for compatibility (liblinear's penalized synthetic feature); ignored: the
        intercept is never penalized.
    class_weight : dict or 'balanced', default=None
        Weights of the classes, multiplying the sample weights, as scikit-learn.
    random_state : int, RandomState instance or None, default=None
        Accepted for compatibility; the solver is deterministic.
    solver : {{'lbfgs', 'liblinear', 'newton-cg', 'newton-cholesky', 'sag', 'saga'}}, \
default='lbfgs'
        Accepted for compatibility; every value solves the same problem with skreg's solver,
        for every penalty and number of classes.
    max_iter : int, default=100
        Maximum number of proximal Newton steps (sweeps over the class blocks).
    verbose : int, default=0
        Accepted for compatibility.
    warm_start : bool, default=False
        Start from the previous solution.
    n_jobs : int, default=None
        Deprecated in scikit-learn 1.8 (warns as scikit-learn); ignored.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Coefficients (one row for the binary model).
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts (0 without intercept); the multinomial intercepts sum to zero.
    n_iter_ : ndarray of shape (1,)
        Proximal Newton steps run.
    dual_gap_ : float
        Duality gap reached, relative to the null model's objective (what ``tol`` bounds).
{FEATURES_IN_DOC}

    See Also
    --------
    LogisticRegressionCV : C (and l1_ratio) chosen by cross-validation along paths.
    logistic_path : Solutions along a grid of C.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skreg import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> clf = LogisticRegression(C=0.1, l1_ratio=1.0).fit(X, y)
    >>> int((clf.coef_ != 0).sum()) < X.shape[1]
    True
    """

    _parameter_constraints: dict = {
        "penalty": [StrOptions({"l1", "l2", "elasticnet", "deprecated"}), None],
        "C": [Interval(Real, 0, None, closed="right")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both"), None],
        "dual": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "intercept_scaling": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "random_state": ["random_state"],
        "solver": [StrOptions({"lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag",
                               "saga"})],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "n_jobs": [None, Integral],
    }
    _path_param = "C"
    _path_inverse = True  # C is the inverse of the regularization strength

    def __init__(self, penalty="deprecated", *, C=1.0, l1_ratio=0.0, dual=False, tol=1e-4,
                 fit_intercept=True, intercept_scaling=1, class_weight=None,
                 random_state=None, solver="lbfgs", max_iter=100, verbose=0,
                 warm_start=False, n_jobs=None):
        store_init_params(self, locals())

    def _validated(self, X, y, sample_weight):
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"],
                             dtype=[np.float64, np.float32])
        check_classification_targets(y)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64,
                                                 ensure_non_negative=True)
        return X, y, sample_weight

    def _fit_classes(self, y):
        """The classes of the model fitted to labels `y` (at least two)."""
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError("This solver needs samples of at least 2 classes in the data, "
                             f"but the data contains only one class: {classes[0]!r}")
        return classes

    def _problem(self, X, y, sample_weight, classes):
        check_class_weight(self.class_weight)
        return LogisticProblem(X, y, classes, sample_weight=sample_weight,
                               class_weight=self.class_weight,
                               fit_intercept=self.fit_intercept)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model to training data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (float32 kept as float32).
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples (multiplying the data term, as scikit-learn).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        C, l1_ratio = resolve_penalty(self)
        if self.n_jobs is not None:
            warnings.warn("'n_jobs' has no effect since 1.8 and will be removed in 1.10. "
                          f"You provided 'n_jobs={self.n_jobs}', please leave it unspecified.",
                          FutureWarning)
        X, y, sample_weight = self._validated(X, y, sample_weight)
        problem = self._problem(X, y, sample_weight, self._fit_classes(y))
        init = None
        if self.warm_start and hasattr(self, "coef_") and np.shape(self.coef_) == (
                problem.K, problem.n_features):
            init = (np.asarray(self.coef_, dtype=np.float64),
                    np.asarray(self.intercept_, dtype=np.float64) if self.fit_intercept
                    else np.zeros(problem.K))
        coefs, intercepts, gaps, steps = solve_Cs(problem, [C], l1_ratio, tol=self.tol,
                                                  max_iter=self.max_iter, coef_init=init)
        self._set_fitted(problem, coefs[0], intercepts[0], gaps[0], steps[0])
        return self

    def _set_fitted(self, problem, W, b, gap, steps):
        self.classes_ = problem.classes
        self.coef_ = np.asarray(W, dtype=problem.dtype).copy()
        self.intercept_ = (np.asarray(b, dtype=problem.dtype).copy() if self.fit_intercept
                           else np.zeros(problem.K, dtype=problem.dtype))
        self.n_iter_ = np.array([steps], dtype=np.int32)
        self.dual_gap_ = float(gap)
        return self

    # -- the path-estimator protocol (skreg._path_tasks): PathSearchCV solves warm-started
    #    paths over C, one per fold and l1_ratio --------------------------------------------

    @staticmethod
    def _is_path_value(value):
        """A finite C > 0 can be a point of a path."""
        return (isinstance(value, Real) and not isinstance(value, (bool, np.bool_))
                and bool(np.isfinite(value)) and value > 0)

    def _solve_path(self, X, y, sample_weight, values, *, precompute="auto", blend=None):
        """The warm-started path over C (``values``, any order; solved increasing) on one
        training fold, validated as fit does. Columns follow ``values``."""
        t0 = time.perf_counter()
        if not get_config()["skip_parameter_validation"]:
            self._validate_params()
        _, l1_ratio = resolve_penalty(self)
        X, y, sample_weight = self._validated(X, y, sample_weight)
        self.classes_ = classes = self._fit_classes(y)
        problem = self._problem(X, y, sample_weight, classes)
        values = np.asarray(values, dtype=np.float64)
        n = len(values)
        coefs = np.empty((problem.K, problem.n_features, n), dtype=problem.dtype)
        intercepts = np.zeros((problem.K, n), dtype=problem.dtype)
        gaps, steps, seconds = np.empty(n), np.empty(n, dtype=np.int32), np.empty(n)
        W, b = problem.start()
        setup = time.perf_counter() - t0
        for j in np.argsort(values, kind="stable"):
            t = time.perf_counter()
            gaps[j], steps[j] = problem.solve(values[j], l1_ratio, W, b, tol=self.tol,
                                              max_iter=self.max_iter)
            coefs[:, :, j] = W
            if self.fit_intercept:
                intercepts[:, j] = b
            seconds[j] = time.perf_counter() - t
        if np.any(gaps > self.tol):
            warnings.warn(
                f"Logistic regression did not converge within max_iter={self.max_iter} Newton "
                f"steps: relative duality gap {gaps.max():.3g} > tol={self.tol:g}. Increase "
                "max_iter or tol.", ConvergenceWarning)
        return PathResult(coefs=coefs, intercepts=intercepts, values=values, seconds=seconds,
                          setup=setup, info={"gaps": gaps, "steps": steps, "classes": classes})

    def _path_model(self, result, j):
        """The fitted model at column j of a path solved by `_solve_path`."""
        model = clone(self).set_params(C=float(result.values[j]))
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(self, name):
                setattr(model, name, getattr(self, name))
        model.classes_ = self.classes_
        model.coef_ = result.coefs[:, :, j].copy()
        model.intercept_ = result.intercepts[:, j].copy()
        model.n_iter_ = np.array([result.info["steps"][j]], dtype=np.int32)
        model.dual_gap_ = float(result.info["gaps"][j])
        return model

    def decision_function(self, X):
        """Confidence scores: ``X @ coef_.T + intercept_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) binary, or (n_samples, n_classes)
            Logit of ``classes_[1]`` (binary) or the class logits.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False,
                          dtype=[np.float64, np.float32])
        scores = np.asarray(X @ self.coef_.T) + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict(self, X):
        """Predicted class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The class of largest probability.
        """
        scores = self.decision_function(X)
        index = (scores > 0).astype(int) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_[index]

    def predict_proba(self, X):
        """Class probabilities (logistic for two classes, softmax for more).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns in the order of ``classes_``.
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            p1 = expit(scores)
            return np.column_stack([1 - p1, p1])
        scores = scores - scores.max(axis=1, keepdims=True)
        E = np.exp(scores)
        return E / E.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """Logarithm of `predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities, columns in the order of ``classes_``.
        """
        return np.log(self.predict_proba(X))

    @property
    def sparse_coef_(self):
        """``coef_`` as a CSR matrix."""
        return sparse.csr_matrix(self.coef_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
