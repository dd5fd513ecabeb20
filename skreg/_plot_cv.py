"""`CVCurveDisplay` (glmnet's ``plot(cv.fit)``), and the drawing helpers the Displays share."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._linear import store_init_params
from ._plot_path import last_step
from ._scoring import alpha_path_indices, one_standard_error_index
from ._sklearn_compat import check_matplotlib_support


def axes_of(ax):
    """`ax`, or the axes of a new pyplot figure."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    return ax


def draw_alpha_marks(ax, marks, vline_kw, positions=None):
    """Vertical lines at the given {label: alpha}, drawn at positions[label] on the x axis
    (the alpha itself by default); the legend label gives the alpha."""
    styles = ["--", ":", "-."]
    positions = marks if positions is None else positions
    vlines = {}
    for i, (name, alpha) in enumerate(marks.items()):
        if alpha is None:
            continue
        kw = {"color": "k", "linestyle": styles[i % len(styles)], "linewidth": 1,
              "label": f"{name} = {alpha:.3g}", **(vline_kw or {})}
        vlines[name] = ax.axvline(positions[name], **kw)
    return vlines


class CVCurveDisplay:
    """Mean cross-validated score against alpha (log axis) with a band of ± one standard
    error, and vertical lines at ``alpha_`` (best mean score) and ``alpha_1se_``
    (one-standard-error rule), as glmnet's ``plot(cv.fit)``; against C, with ``C_`` and
    ``C_1se_``, for a classifier's path over C.

    The standard error of a mean over K folds is ``std over folds / sqrt(K)``: the one the
    one-standard-error rule uses, so ``alpha_1se_`` is the largest alpha whose mean lies
    within the band drawn around the best one. Without ``n_folds`` the band is ± one std
    over folds.

    Build it with :meth:`from_estimator` from a fitted :class:`~skreg.LassoCV`,
    :class:`~skreg.ElasticNetCV`, :class:`~skreg.LogisticRegressionCV`, the multi-task
    selectors or :class:`~skreg.PathSearchCV` (over a model or a Pipeline ending in one; or a
    Pipeline ending in a fitted search).

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        The values of the path parameter (alpha, or C).
    mean_scores : ndarray of shape (n_alphas,)
        Mean over folds of the score (or of the error, see ``score_name``).
    std_scores : ndarray of shape (n_alphas,)
        Standard deviation over folds (``std_test_*`` of ``cv_results_``).
    alpha_ : float, default=None
        The alpha of the best mean score.
    alpha_1se_ : float, default=None
        The alpha chosen by the one-standard-error rule.
    score_name : str, default='score'
        Label of the y axis.
    estimator_name : str, default=None
        Name used in the title.
    n_folds : int, default=None
        Number of folds K: the band is ± ``std_scores / sqrt(K)``, one standard error of
        the mean. None: ± ``std_scores``.
    param_name : str, default='alpha'
        The path parameter: the x-axis label, and the names of the marks
        (``<param_name>_`` and ``<param_name>_1se_``, e.g. ``C_`` and ``C_1se_``).

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        The mean curve (one line).
    errors_ : ndarray of shape (n_alphas,)
        Half-width of the band (or error bars) at each alpha, in increasing alpha order:
        the standard error ``std / sqrt(n_folds)`` (the std without ``n_folds``).
    fill_between_ : matplotlib PolyCollection or None
        The band (``std_display_style='fill_between'``).
    errorbar_ : matplotlib ErrorbarContainer or None
        The error bars (``std_display_style='errorbar'``).
    vlines_ : dict of str to matplotlib Line2D
        Vertical lines at ``alpha_`` and ``alpha_1se_`` (``C_`` and ``C_1se_``).
    ax_ : matplotlib Axes
        Axes with the CV curve.
    figure_ : matplotlib Figure
        Figure containing the CV curve.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_diabetes
    >>> from skreg import LassoCV, CVCurveDisplay
    >>> X, y = load_diabetes(return_X_y=True)
    >>> disp = CVCurveDisplay.from_estimator(LassoCV(cv=5).fit(X, y))
    >>> sorted(disp.vlines_)
    ['alpha_', 'alpha_1se_']
    >>> disp.fill_between_.get_label()
    '± 1 standard error (std over 5 folds / √5)'
    """

    def __init__(self, alphas, mean_scores, std_scores, *, alpha_=None, alpha_1se_=None,
                 score_name="score", estimator_name=None, n_folds=None, param_name="alpha"):
        store_init_params(self, locals())

    def plot(self, ax=None, *, std_display_style="fill_between", line_kw=None,
             fill_between_kw=None, errorbar_kw=None, vline_kw=None):
        """Draw the curve.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        std_display_style : {'fill_between', 'errorbar'} or None, default='fill_between'
            How to show ± one standard error (± one std without ``n_folds``).
        line_kw, fill_between_kw, errorbar_kw, vline_kw : dict, default=None
            Keyword arguments of the mean line, the band, the error bars and the vertical
            lines.

        Returns
        -------
        display : CVCurveDisplay
            Object that stores computed values.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        if std_display_style not in ("fill_between", "errorbar", None):
            raise ValueError("std_display_style must be 'fill_between', 'errorbar' or None, "
                             f"got {std_display_style!r}.")
        alphas = np.asarray(self.alphas, dtype=np.float64)
        mean = np.asarray(self.mean_scores, dtype=np.float64)
        std = np.asarray(self.std_scores, dtype=np.float64)
        order = np.argsort(alphas)
        alphas, mean, std = alphas[order], mean[order], std[order]
        if self.n_folds is None:
            errors, band = std, "± 1 std over folds"
        else:
            k = self.n_folds
            if not (isinstance(k, (int, np.integer)) and not isinstance(k, bool) and k >= 1):
                raise ValueError(f"n_folds must be a positive integer, got {k!r}.")
            errors = std / np.sqrt(k)
            band = f"± 1 standard error (std over {k} folds / √{k})"
        self.errors_ = errors
        ax = axes_of(ax)
        self.fill_between_ = self.errorbar_ = None
        label = f"mean over folds: {self.score_name}"
        if std_display_style == "errorbar":
            label = f"{label}, {band}"
        line_kw = {"label": label, **(line_kw or {})}
        if std_display_style == "errorbar":
            self.errorbar_ = ax.errorbar(alphas, mean, yerr=errors, **line_kw,
                                         **{"capsize": 2, **(errorbar_kw or {})})
            self.lines_ = [self.errorbar_.lines[0]]
        else:
            self.lines_ = ax.plot(alphas, mean, **line_kw)
            if std_display_style == "fill_between":
                kw = {"alpha": 0.2, "color": self.lines_[0].get_color(),
                      "label": band, **(fill_between_kw or {})}
                self.fill_between_ = ax.fill_between(alphas, mean - errors, mean + errors,
                                                     **kw)
        param = self.param_name
        self.vlines_ = draw_alpha_marks(
            ax, {f"{param}_": self.alpha_, f"{param}_1se_": self.alpha_1se_}, vline_kw)
        ax.set_xscale("log")
        ax.set_xlabel(param)
        ax.set_ylabel(self.score_name)
        if self.estimator_name:
            ax.set_title(f"Cross-validation ({self.estimator_name})")
        ax.legend(loc="best", fontsize="small")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, metric=None, negate="auto", ax=None, **kwargs):
        """Plot the CV curve of a fitted LassoCV, ElasticNetCV, LogisticRegressionCV, a
        multi-task selector or a PathSearchCV.

        The curve is the path of the best candidate (same other parameters, e.g. the chosen
        l1_ratio) over the path parameter (alpha, or C for a classifier; a Pipeline's last
        step's ``<step>__alpha``), read from ``cv_results_``, with ± one standard error over
        the ``n_splits_`` folds.

        Parameters
        ----------
        estimator : fitted search estimator or Pipeline
            Must have ``cv_results_`` with a column of the path parameter; a Pipeline
            ending in the search is unwrapped.
        metric : str, default=None
            Scorer name (multi-metric); None: the refit metric, or 'score'.
        negate : bool or 'auto', default='auto'
            Plot minus the score (an error): 'auto' does so for 'neg_*' scorings (e.g. the
            mean squared error of LassoCV).
        ax : matplotlib Axes, default=None
            Axes to draw on.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : CVCurveDisplay
        """

        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        estimator, _, _ = last_step(estimator, None)
        check_is_fitted(estimator, "cv_results_")
        results = estimator.cv_results_
        scoring = getattr(estimator, "scoring", None)
        if metric is None:
            refit = getattr(estimator, "refit", True)
            metric = refit if getattr(estimator, "multimetric_", False) and isinstance(
                refit, str) else "score"
        if f"mean_test_{metric}" not in results:
            raise ValueError(f"No 'mean_test_{metric}' in cv_results_.")
        name = metric if metric != "score" else (scoring if isinstance(scoring, str)
                                                 else "score")
        if negate == "auto":
            negate = isinstance(name, str) and name.startswith("neg_")
        best = int(np.argmin(results[f"rank_test_{metric}"]))
        params = results["params"]
        key, param, inverse = _path_key(estimator, params[best])
        idx = alpha_path_indices(params, best, key)
        alphas = np.array([params[j][key] for j in idx], dtype=np.float64)
        mean = np.asarray(results[f"mean_test_{metric}"], dtype=np.float64)[idx]
        std = np.asarray(results[f"std_test_{metric}"], dtype=np.float64)[idx]
        one_se = one_standard_error_index(results, metric, estimator.n_splits_, best,
                                          param=key, inverse=inverse)
        alpha_best, alpha_1se = params[best][key], params[one_se][key]
        if negate:
            mean = -mean
            name = name[4:] if name.startswith("neg_") else f"-{name}"
        label = name.replace("_", " ")
        disp = cls(alphas, mean, std, alpha_=alpha_best, alpha_1se_=alpha_1se,
                   score_name=label, estimator_name=type(estimator).__name__,
                   n_folds=int(estimator.n_splits_), param_name=param)
        return disp.plot(ax=ax, **kwargs)


def _path_key(search, best_params):
    """(the cv_results_ parameter of the path, its bare name, whether it is inverse) of a
    fitted search: 'alpha', 'C' (a classifier) or a Pipeline's '<last step>__alpha'."""
    from sklearn.pipeline import Pipeline

    model, prefix = getattr(search, "estimator", None), ""
    if isinstance(model, Pipeline) and model.steps:
        name, model = model.steps[-1]
        prefix = f"{name}__"
    param = getattr(model, "_path_param", "alpha")
    inverse = bool(getattr(model, "_path_inverse", False))
    for key in (param, prefix + param):
        if key in best_params:
            return key, param, inverse
    raise ValueError(f"The best candidate has no {param!r} parameter (a grid over "
                     f"{prefix + param!r} draws a CV curve).")
