"""Display objects (scikit-learn's convention): regularization paths and CV curves.

matplotlib is an optional dependency, imported only when something is drawn
(``pip install skreg[plot]``)."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._path import enet_path
from ._sklearn_compat import check_matplotlib_support


def _axes(ax):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    return ax


def _draw_alpha_marks(ax, marks, vline_kw):
    """Vertical dashed lines at the given {label: alpha}."""
    styles = ["--", ":", "-."]
    vlines = {}
    for i, (name, alpha) in enumerate(marks.items()):
        if alpha is None:
            continue
        kw = {"color": "k", "linestyle": styles[i % len(styles)], "linewidth": 1,
              "label": f"{name} = {alpha:.3g}", **(vline_kw or {})}
        vlines[name] = ax.axvline(alpha, **kw)
    return vlines


class RegularizationPathDisplay:
    """Coefficients along the regularization path, against alpha on a log axis.

    Build it with :meth:`from_estimator` (computes the path) or :meth:`from_path` (from the
    output of :func:`~skreg.lasso_path` / :func:`~skreg.enet_path`).

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        The alphas along the path.
    coefs : ndarray of shape (n_features, n_alphas)
        Coefficients along the path.
    feature_names : list of str, default=None
        Names of the coefficients (legend labels); ``x0, x1, ...`` when None.
    alpha_marks : dict of str to float, default=None
        Alphas to mark with vertical lines, e.g. ``{"alpha_": 0.1}``.
    estimator_name : str, default=None
        Name used in the title.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        One line per coefficient.
    vlines_ : dict of str to matplotlib Line2D
        The vertical lines of ``alpha_marks``.
    ax_ : matplotlib Axes
        Axes with the plot.
    figure_ : matplotlib Figure
        Figure containing the plot.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_diabetes
    >>> from skreg import Lasso, RegularizationPathDisplay
    >>> X, y = load_diabetes(return_X_y=True)
    >>> disp = RegularizationPathDisplay.from_estimator(Lasso(), X, y)
    >>> len(disp.lines_)
    10
    """

    def __init__(self, alphas, coefs, *, feature_names=None, alpha_marks=None,
                 estimator_name=None):
        self.alphas = alphas
        self.coefs = coefs
        self.feature_names = feature_names
        self.alpha_marks = alpha_marks
        self.estimator_name = estimator_name

    def plot(self, ax=None, *, legend="auto", line_kw=None, vline_kw=None):
        """Draw the path.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        legend : bool or 'auto', default='auto'
            Show a legend of the coefficients ('auto': when there are at most 12).
        line_kw : dict, default=None
            Keyword arguments of the coefficient lines (``ax.plot``).
        vline_kw : dict, default=None
            Keyword arguments of the vertical alpha lines (``ax.axvline``).

        Returns
        -------
        display : RegularizationPathDisplay
            Object that stores computed values.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        alphas = np.asarray(self.alphas, dtype=np.float64).ravel()
        coefs = np.asarray(self.coefs, dtype=np.float64)
        if coefs.ndim == 1:
            coefs = coefs[None, :]
        if coefs.ndim != 2 or coefs.shape[1] != alphas.shape[0]:
            raise ValueError(
                f"coefs must have shape (n_features, n_alphas) = (?, {alphas.shape[0]}), "
                f"got {coefs.shape}.")
        names = self.feature_names
        if names is None:
            names = [f"x{j}" for j in range(coefs.shape[0])]
        ax = _axes(ax)
        self.lines_ = []
        for j in range(coefs.shape[0]):
            (line,) = ax.plot(alphas, coefs[j], label=str(names[j]), **(line_kw or {}))
            self.lines_.append(line)
        self.vlines_ = _draw_alpha_marks(ax, self.alpha_marks or {}, vline_kw)
        ax.set_xscale("log")
        ax.set_xlabel("alpha")
        ax.set_ylabel("coefficient")
        if self.estimator_name:
            ax.set_title(f"Regularization path ({self.estimator_name})")
        if legend is True or (legend == "auto" and coefs.shape[0] <= 12):
            ax.legend(loc="best", fontsize="small")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_path(cls, alphas, coefs, *, feature_names=None, alpha_marks=None,
                  estimator_name=None, ax=None, **kwargs):
        """Plot a path already computed, e.g. by :func:`~skreg.lasso_path`.

        Parameters
        ----------
        alphas : array-like of shape (n_alphas,)
            The alphas.
        coefs : array-like of shape (n_features, n_alphas)
            Coefficients along the path.
        feature_names : list of str, default=None
            Names of the coefficients.
        alpha_marks : dict of str to float, default=None
            Alphas to mark with vertical lines.
        estimator_name : str, default=None
            Name used in the title.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : RegularizationPathDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_path")
        disp = cls(alphas, coefs, feature_names=feature_names, alpha_marks=alpha_marks,
                   estimator_name=estimator_name)
        return disp.plot(ax=ax, **kwargs)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, alphas=None, eps=None, sample_weight=None,
                       feature_names=None, ax=None, **kwargs):
        """Compute and plot the path of a skreg Lasso / ElasticNet or of a fitted
        LassoCV / ElasticNetCV (its grid and chosen l1_ratio; ``alpha_`` and ``alpha_1se_``
        are marked).

        Parameters
        ----------
        estimator : estimator instance
            :class:`~skreg.Lasso`, :class:`~skreg.ElasticNet` (fitted or not: its
            l1_ratio, fit_intercept, positive, tol and max_iter are used; a fitted one has its
            alpha marked) or a fitted :class:`~skreg.LassoCV` / :class:`~skreg.ElasticNetCV`.
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Target.
        alphas : int or array-like, default=None
            Number of alphas of the automatic grid or the alphas; None: the CV estimator's
            ``alphas_``, or 100.
        eps : float, default=None
            ``alpha_min / alpha_max`` of the automatic grid (None: the estimator's, or 1e-3).
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.
        feature_names : list of str, default=None
            Names of the coefficients; by default X's column names, if any.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : RegularizationPathDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        params = estimator.get_params()
        marks = {}
        if hasattr(estimator, "alphas_") and hasattr(estimator, "alpha_"):  # fitted CV
            l1_ratio = getattr(estimator, "l1_ratio_", 1.0)
            if alphas is None:
                grid = np.asarray(estimator.alphas_)
                if grid.ndim == 2:
                    ratios = [float(r) for r in np.atleast_1d(params["l1_ratio"])]
                    grid = grid[ratios.index(float(l1_ratio))]
                alphas = grid
            marks = {"alpha_": estimator.alpha_,
                     "alpha_1se_": getattr(estimator, "alpha_1se_", None)}
        else:
            l1_ratio = params.get("l1_ratio", getattr(estimator, "l1_ratio", 1.0))
            if hasattr(estimator, "coef_"):
                marks = {"alpha": params.get("alpha")}
        if alphas is None:
            alphas = 100
        if eps is None:
            eps = params.get("eps", 1e-3)
        if feature_names is None and hasattr(X, "columns"):
            feature_names = [str(c) for c in X.columns]
        path_params = {k: params[k] for k in ("tol", "max_iter", "random_state", "selection")
                       if k in params}
        grid, coefs, _ = enet_path(
            X, y, l1_ratio=float(l1_ratio), eps=eps, alphas=alphas, precompute="auto",
            positive=params.get("positive", False),
            fit_intercept=params.get("fit_intercept", True), sample_weight=sample_weight,
            **path_params)
        return cls.from_path(grid, coefs, feature_names=feature_names, alpha_marks=marks,
                             estimator_name=type(estimator).__name__, ax=ax, **kwargs)


class CVCurveDisplay:
    """Mean cross-validated score (± its std over folds) against alpha, log axis, with
    vertical lines at ``alpha_`` (best mean score) and ``alpha_1se_`` (one-standard-error
    rule).

    Build it with :meth:`from_estimator` from a fitted :class:`~skreg.LassoCV`,
    :class:`~skreg.ElasticNetCV` or :class:`~skreg.PathSearchCV`.

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        The alphas.
    mean_scores : ndarray of shape (n_alphas,)
        Mean over folds of the score (or of the error, see ``score_name``).
    std_scores : ndarray of shape (n_alphas,)
        Standard deviation over folds.
    alpha_ : float, default=None
        The alpha of the best mean score.
    alpha_1se_ : float, default=None
        The alpha chosen by the one-standard-error rule.
    score_name : str, default='score'
        Label of the y axis.
    estimator_name : str, default=None
        Name used in the title.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        The mean curve (one line).
    fill_between_ : matplotlib PolyCollection or None
        The ± std band (``std_display_style='fill_between'``).
    errorbar_ : matplotlib ErrorbarContainer or None
        The error bars (``std_display_style='errorbar'``).
    vlines_ : dict of str to matplotlib Line2D
        Vertical lines at ``alpha_`` and ``alpha_1se_``.
    ax_ : matplotlib Axes
        Axes with the plot.
    figure_ : matplotlib Figure
        Figure containing the plot.

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
    """

    def __init__(self, alphas, mean_scores, std_scores, *, alpha_=None, alpha_1se_=None,
                 score_name="score", estimator_name=None):
        self.alphas = alphas
        self.mean_scores = mean_scores
        self.std_scores = std_scores
        self.alpha_ = alpha_
        self.alpha_1se_ = alpha_1se_
        self.score_name = score_name
        self.estimator_name = estimator_name

    def plot(self, ax=None, *, std_display_style="fill_between", line_kw=None,
             fill_between_kw=None, errorbar_kw=None, vline_kw=None):
        """Draw the curve.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        std_display_style : {'fill_between', 'errorbar'} or None, default='fill_between'
            How to show ± one std over folds.
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
        ax = _axes(ax)
        self.fill_between_ = self.errorbar_ = None
        line_kw = {"label": f"mean over folds: {self.score_name}", **(line_kw or {})}
        if std_display_style == "errorbar":
            self.errorbar_ = ax.errorbar(alphas, mean, yerr=std, **line_kw,
                                         **(errorbar_kw or {}))
            self.lines_ = [self.errorbar_.lines[0]]
        else:
            self.lines_ = ax.plot(alphas, mean, **line_kw)
            if std_display_style == "fill_between":
                kw = {"alpha": 0.2, "color": self.lines_[0].get_color(),
                      "label": "± 1 std over folds", **(fill_between_kw or {})}
                self.fill_between_ = ax.fill_between(alphas, mean - std, mean + std, **kw)
        self.vlines_ = _draw_alpha_marks(
            ax, {"alpha_": self.alpha_, "alpha_1se_": self.alpha_1se_}, vline_kw)
        ax.set_xscale("log")
        ax.set_xlabel("alpha")
        ax.set_ylabel(self.score_name)
        if self.estimator_name:
            ax.set_title(f"Cross-validation ({self.estimator_name})")
        ax.legend(loc="best", fontsize="small")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, metric=None, negate="auto", ax=None, **kwargs):
        """Plot the CV curve of a fitted LassoCV, ElasticNetCV or PathSearchCV.

        The curve is the alpha path of the best candidate (same other parameters, e.g. the
        chosen l1_ratio), read from ``cv_results_``.

        Parameters
        ----------
        estimator : fitted search estimator
            Must have ``cv_results_`` with a ``param_alpha`` column.
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
        from ._search import _alpha_path_indices, one_standard_error_index

        check_matplotlib_support(f"{cls.__name__}.from_estimator")
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
        if "alpha" not in params[best]:
            raise ValueError("The best candidate has no 'alpha' parameter.")
        idx = _alpha_path_indices(params, best)
        alphas = np.array([params[j]["alpha"] for j in idx], dtype=np.float64)
        mean = np.asarray(results[f"mean_test_{metric}"], dtype=np.float64)[idx]
        std = np.asarray(results[f"std_test_{metric}"], dtype=np.float64)[idx]
        one_se = one_standard_error_index(results, metric, estimator.n_splits_, best)
        alpha_best, alpha_1se = params[best]["alpha"], params[one_se]["alpha"]
        if negate:
            mean = -mean
            name = name[4:] if name.startswith("neg_") else f"-{name}"
        label = name.replace("_", " ")
        disp = cls(alphas, mean, std, alpha_=alpha_best, alpha_1se_=alpha_1se,
                   score_name=label, estimator_name=type(estimator).__name__)
        return disp.plot(ax=ax, **kwargs)
