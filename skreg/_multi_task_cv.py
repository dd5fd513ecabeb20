"""`MultiTaskLassoCV` and `MultiTaskElasticNetCV`: scikit-learn's cross-validated multi-task
selectors, as the `PathSearchCV`s of `skreg._linear_cv` over the multi-task models."""

import numbers

import numpy as np

from ._design import data_correlations
from ._input import check_dense_targets, make_design, rescale_sample_weight
from ._linear_cv import _CV_DOC_ATTRS, _CV_DOC_PARAMS, ElasticNetCV
from ._multi_task import MultiTaskElasticNet, MultiTaskLasso
from ._multi_task_path import multitask_alpha_max
from ._path import alpha_grid, check_l1_ratio_for_grid, enet_path, lasso_path


def _multitask_grids(X, Y, sample_weight, l1_ratios, fit_intercept, eps, n_alphas, positive,
                     options):
    """The automatic grids (one per l1_ratio) on the full data: alpha_max is the largest row
    norm of X~'Y~ over n * l1_ratio (scikit-learn's multi-task grid), from X as given (no
    centred copy) without options, from one `Design` with them."""
    for r in l1_ratios:
        check_l1_ratio_for_grid(r)
    if options or positive:
        if sample_weight is not None:
            sample_weight = rescale_sample_weight(sample_weight, X.shape[0])
        design = make_design(X, Y, fit_intercept=fit_intercept, sample_weight=sample_weight)
        maxima = [multitask_alpha_max(design, r, positive=positive, **options)
                  for r in l1_ratios]
    else:
        C, n = data_correlations(X, Y, sample_weight, fit_intercept)
        top = float(np.sqrt((C * C).sum(axis=1)).max()) if C.size else 0.0
        maxima = [top / (n * r) for r in l1_ratios]
    return [alpha_grid(a, eps, n_alphas) for a in maxima]


def _mt_doc_attrs():
    """The attributes of LassoCV, with the multi-task shapes and full-data path."""
    head, rest = _CV_DOC_ATTRS.split("\n    coef_path_ :")
    tail = rest.split("\n    n_iter_ :")[1]
    head = (head.replace("(n_features,)", "(n_targets, n_features)")
            .replace("intercept_ : float", "intercept_ : ndarray of shape (n_targets,)"))
    return head + _MT_PATH_DOC + "\n    n_iter_ :" + tail


_MT_PATH_DOC = """
    coef_path_ : ndarray of shape (n_targets, n_features, n_alphas)
        Coefficients of the full-data path along ``alphas_`` (the chosen l1_ratio's row when
        there are several), in the layout of scikit-learn's ``enet_path`` for several
        targets (``coef_path_[:, :, j]`` is ``coef_`` at ``alphas_[j]``; LassoCV's
        ``coef_path_`` is the one-target case without the first axis). Solved by ``fit``
        after the refit as one warm-started path of the refitted model (its ``_solve_path``),
        with its ``tol``; ``coef_`` is a point of it up to that tolerance. ``fit`` keeps its
        own copy of the data (X, Y and the weights; pickled with the estimator) so that
        ``coef_at`` / ``predict(X, alpha=...)`` solve between grid points.
    intercept_path_ : ndarray of shape (n_targets, n_alphas)
        Intercepts along the path (0 without ``fit_intercept``).
    df_ : ndarray of shape (n_alphas,)
        Number of features in use (non-zero rows of W) along the path, glmnet's ``df`` for
        ``family="mgaussian"``.
    dev_ratio_ : ndarray of shape (n_alphas,)
        Fraction of the (``sample_weight``-weighted) deviance explained along the path,
        ``1 - RSS / RSS_null`` with the residual sums of squares pooled over the targets and
        RSS_null that of the intercepts alone (of the zero model without intercept):
        glmnet's ``dev.ratio`` for ``mgaussian``. ``summary()`` tabulates these with the CV
        error; ``predict(X, alpha=...)`` and ``coef_at`` give the fit at any alpha (solved
        between grid points by the multi-task solver, warm-started from the nearest grid
        point: never interpolated)."""


_MT_DOC_PARAMS = (_CV_DOC_PARAMS.split("\n    precompute :")[0] + "\n    max_iter :"
                  + _CV_DOC_PARAMS.split("\n    max_iter :")[1].split("\n    lower_bounds,")[0]
                  + "\n    standardize :"
                  + _CV_DOC_PARAMS.split("\n    standardize :")[1].split("\n    relax :")[0])


class MultiTaskElasticNetCV(ElasticNetCV):
    __doc__ = f"""Multi-task elastic net with alpha and l1_ratio chosen by cross-validation
    along warm-started paths.

    Same parameters, attributes and results as scikit-learn's ``MultiTaskElasticNetCV`` (one
    automatic alpha grid per l1_ratio, lowest mean test MSE over samples and targets, refit
    on the full data), computed by :class:`~skreg.PathSearchCV`, so it is also a
    ``GridSearchCV`` with ``cv_results_``. Objective: see :class:`~skreg.MultiTaskElasticNet`.
    skreg extensions: ``sample_weight``, sparse X, ``positive``, ``penalty_factor``,
    ``standardize`` and ``selection_rule``.

    Parameters
    ----------
    l1_ratio : float or list of float, default=0.5
        Mixing parameter(s) in [0, 1]; each gets its own alpha path.{_MT_DOC_PARAMS}

    Attributes
    ----------
    l1_ratio_ : float
        The chosen l1_ratio.{_mt_doc_attrs()}

    Examples
    --------
    >>> from skreg import MultiTaskElasticNetCV
    >>> reg = MultiTaskElasticNetCV(cv=3).fit([[0, 0], [1, 1], [2, 2]],
    ...                                       [[0, 0], [1, 1], [2, 2]])
    >>> reg.coef_.shape
    (2, 2)
    """

    path = staticmethod(enet_path)
    _model_class = MultiTaskElasticNet
    _keeps_design = False  # the path and the solves between grid points: the model's own

    _parameter_constraints: dict = {
        key: value for key, value in ElasticNetCV._parameter_constraints.items()
        if key not in ("precompute", "lower_bounds", "upper_bounds", "relax", "gamma")
    }

    def __init__(self, *, l1_ratio=0.5, eps=1e-3, alphas=100, fit_intercept=True,
                 max_iter=1000, tol=1e-4, cv=None, copy_X=True, verbose=0, n_jobs=None,
                 random_state=None, selection="cyclic", positive=False, selection_rule="min",
                 penalty_factor=None, standardize=False):
        self.l1_ratio = l1_ratio
        self.eps, self.alphas, self.fit_intercept = eps, alphas, fit_intercept
        self.max_iter, self.tol, self.cv, self.copy_X = max_iter, tol, cv, copy_X
        self.verbose, self.n_jobs, self.random_state = verbose, n_jobs, random_state
        self.selection, self.positive, self.selection_rule = selection, positive, selection_rule
        self.penalty_factor, self.standardize = penalty_factor, standardize

    def _gammas(self):
        return 1.0

    def _model_params(self):
        params = dict(fit_intercept=self.fit_intercept, max_iter=self.max_iter, tol=self.tol,
                      copy_X=self.copy_X, random_state=self.random_state,
                      selection=self.selection, positive=self.positive,
                      penalty_factor=self.penalty_factor, standardize=self.standardize)
        if self._searches_l1_ratio:
            try:
                params["l1_ratio"] = float(np.atleast_1d(self.l1_ratio)[0])
            except (TypeError, ValueError, IndexError):
                pass
        return params

    def _grid_options(self):
        options = dict(penalty_factor=self.penalty_factor, standardize=self.standardize)
        return {k: v for k, v in options.items() if v is not None and v is not False}

    def _path_precompute(self, estimator):
        return "auto"

    def _grid(self, X, y, sample_weight):
        if not isinstance(self.alphas, numbers.Integral):
            return super()._grid(X, y, sample_weight)
        l1_ratios = self._l1_ratios()
        return l1_ratios, _multitask_grids(
            X, y, sample_weight, l1_ratios, self.fit_intercept, self.eps, self.alphas,
            self.positive, self._grid_options())

    def _check_targets(self, y):
        check_dense_targets(y)
        if y.ndim == 1:
            raise ValueError("For mono-task outputs, use "
                             + ("ElasticNetCV" if self._searches_l1_ratio else "LassoCV"))
        return y

    def _check_dask_data(self, X, y, sample_weight, params):
        raise ValueError(f"{type(self).__name__} does not take dask arrays; compute them, or "
                         "use MultiTaskElasticNet on the statistics path.")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.single_output = False
        tags.target_tags.multi_output = True
        return tags


class MultiTaskLassoCV(MultiTaskElasticNetCV):
    __doc__ = f"""Multi-task Lasso with alpha chosen by cross-validation along warm-started
    paths.

    Same parameters, attributes and results as scikit-learn's ``MultiTaskLassoCV``, computed
    by :class:`~skreg.PathSearchCV`, so it is also a ``GridSearchCV`` with ``cv_results_``.
    Objective: see :class:`~skreg.MultiTaskLasso`. skreg extensions: ``sample_weight``,
    sparse X, ``positive``, ``penalty_factor``, ``standardize`` and ``selection_rule``.

    Parameters
    ----------{_MT_DOC_PARAMS}

    Attributes
    ----------{_mt_doc_attrs()}

    Examples
    --------
    >>> from skreg import MultiTaskLassoCV
    >>> from sklearn.datasets import make_regression
    >>> X, y = make_regression(n_targets=2, noise=4, random_state=0)
    >>> reg = MultiTaskLassoCV(cv=5).fit(X, y)
    >>> round(reg.score(X, y), 2)
    0.99
    """

    path = staticmethod(lasso_path)
    _model_class = MultiTaskLasso
    _searches_l1_ratio = False

    _parameter_constraints: dict = {
        key: value for key, value in MultiTaskElasticNetCV._parameter_constraints.items()
        if key != "l1_ratio"
    }

    def __init__(self, *, eps=1e-3, alphas=100, fit_intercept=True, max_iter=1000, tol=1e-4,
                 copy_X=True, cv=None, verbose=False, n_jobs=None, random_state=None,
                 selection="cyclic", positive=False, selection_rule="min",
                 penalty_factor=None, standardize=False):
        self.eps, self.alphas, self.fit_intercept = eps, alphas, fit_intercept
        self.max_iter, self.tol, self.cv, self.copy_X = max_iter, tol, cv, copy_X
        self.verbose, self.n_jobs, self.random_state = verbose, n_jobs, random_state
        self.selection, self.positive, self.selection_rule = selection, positive, selection_rule
        self.penalty_factor, self.standardize = penalty_factor, standardize

    def _l1_ratios(self):
        return [1.0]
