"""Display objects (scikit-learn's convention): regularization paths and CV curves.

matplotlib is an optional dependency, imported only when something is drawn
(``pip install skreg[plot]``). What the path of an estimator is lives in `_plot_path`; the
CV curve in `_plot_cv`."""

import numpy as np

from ._linear import store_init_params
from ._plot_cv import CVCurveDisplay, axes_of, draw_alpha_marks
from ._plot_path import estimator_path
from ._sklearn_compat import check_matplotlib_support

__all__ = ["RegularizationPathDisplay", "CVCurveDisplay"]

_XLABELS = {"norm": "L1 norm of the coefficients", "dev": "fraction of deviance explained"}


def _nearest_index(points, value, log):
    """Index of the path point nearest to `value` along the axis (log or linear)."""
    if log:
        if value <= 0:
            return None
        points, value = np.log(np.where(points > 0, points, np.nan)), np.log(value)
    distance = np.abs(points - value)
    return None if np.all(np.isnan(distance)) else int(np.nanargmin(distance))


def _df_labeller(x, df, log):
    """Tick formatter of the top axis: the number of non-zero coefficients of the path point
    nearest to each tick ('' outside the path)."""
    finite = x[np.isfinite(x) & ((x > 0) if log else True)]
    lo, hi = (finite.min(), finite.max()) if finite.size else (np.nan, np.nan)
    if log and finite.size:
        slack = (hi / lo) ** 0.01
        lo, hi = lo / slack, hi * slack
    elif finite.size:
        slack = 0.01 * (hi - lo)
        lo, hi = lo - slack, hi + slack

    def label(value, pos=None):
        if not lo <= value <= hi:
            return ""
        i = _nearest_index(x, value, log)
        return "" if i is None else str(int(df[i]))

    return label


class RegularizationPathDisplay:
    """Coefficients along the regularization path (glmnet's ``plot(fit, xvar=)``).

    The x axis is the path parameter on a log scale (alpha; C for a logistic regression,
    where the path runs from the most regularized model, small C, to the least), the L1 norm
    of the coefficients, or the fraction of deviance explained (``xvar``); a secondary top
    axis gives the number of non-zero coefficients (df) at the tick positions; the legend
    names the features.

    Build it with :meth:`from_estimator` (computes the path of the estimator's own problem)
    or :meth:`from_path` (from the output of :func:`~skreg.lasso_path` /
    :func:`~skreg.enet_path` / :func:`~skreg.logistic_path`).

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        The values of the path parameter (alpha, or C) along the path.
    coefs : ndarray of shape (n_features, n_alphas)
        Coefficients along the path (one line per row).
    feature_names : list of str, default=None
        Names of the coefficients (legend labels); ``x0, x1, ...`` when None.
    alpha_marks : dict of str to float, default=None
        Values of the path parameter to mark with vertical lines, e.g. ``{"alpha_": 0.1}``
        or ``{"C_": 2.0}``.
    estimator_name : str, default=None
        Name used in the title.
    dev_ratio : ndarray of shape (n_alphas,), default=None
        Fraction of the deviance explained at each point (``1 - deviance / null deviance``,
        glmnet's ``dev.ratio``: ``1 - RSS / RSS_null`` for a regression, the log-loss
        deviances for a logistic regression), needed by ``xvar="dev"``;
        :meth:`from_estimator` computes it.
    param_name : str, default='alpha'
        The path parameter: the label of its x axis (``xvar``'s default).
    coef_name : str, default='coefficient'
        Label of the y axis.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        One line per coefficient.
    vlines_ : dict of str to matplotlib Line2D
        The vertical lines of ``alpha_marks``.
    df_ : ndarray of shape (n_alphas,)
        Number of non-zero coefficients at each alpha.
    x_ : ndarray of shape (n_alphas,)
        The x coordinate of each alpha (alpha, L1 norm or deviance ratio, per ``xvar``).
    df_axis_ : matplotlib SecondaryAxis or None
        The top axis with the number of non-zero coefficients (None with ``df_axis=False``).
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
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> disp = RegularizationPathDisplay.from_estimator(Lasso(), X, y)
    >>> len(disp.lines_), disp.lines_[2].get_label()
    (10, 'bmi')
    >>> disp = disp.plot(xvar="dev")
    >>> disp.ax_.get_xlabel()
    'fraction of deviance explained'

    A multinomial logistic regression has one row of coefficients per class: ``target``
    picks the class drawn (glmnet draws one panel per class), ``target="norm"`` draws each
    feature's norm over the classes.

    >>> from sklearn.datasets import load_iris
    >>> from skreg import LogisticRegression
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> clf = LogisticRegression(C=0.5, l1_ratio=1.0).fit(X, y)
    >>> disp = RegularizationPathDisplay.from_estimator(clf, X, y, alphas=20, target=2)
    >>> disp.ax_.get_xlabel(), sorted(disp.vlines_), disp.ax_.get_title()
    ('C', ['C'], 'Regularization path (LogisticRegression, class 2)')
    """

    def __init__(self, alphas, coefs, *, feature_names=None, alpha_marks=None,
                 estimator_name=None, dev_ratio=None, param_name="alpha",
                 coef_name="coefficient"):
        store_init_params(self, locals())

    def _x(self, xvar, alphas, coefs):
        if xvar == self.param_name:
            return alphas
        if xvar == "norm":
            return np.abs(coefs).sum(axis=0)
        if self.dev_ratio is None:
            raise ValueError(
                "xvar='dev' needs the deviance ratios: build the display with "
                "from_estimator, or pass dev_ratio to from_path / the constructor.")
        dev = np.asarray(self.dev_ratio, dtype=np.float64).ravel()
        if dev.shape != alphas.shape:
            raise ValueError(f"dev_ratio must have shape ({alphas.shape[0]},) = (n_alphas,), "
                             f"got {dev.shape}.")
        return dev

    def _mark_positions(self, xvar, alphas, x):
        """x of each marked alpha: on the alpha axis itself; otherwise interpolated along the
        path (exact at the path's alphas, log-alpha interpolation between them)."""
        marks = {k: v for k, v in (self.alpha_marks or {}).items() if v is not None}
        if xvar == self.param_name:
            return marks
        order = np.argsort(alphas)
        use_log = np.all(alphas > 0)
        grid = np.log(alphas[order]) if use_log else alphas[order]
        out = {}
        for name, alpha in marks.items():
            at = np.log(alpha) if use_log and alpha > 0 else alpha
            out[name] = float(np.interp(at, grid, x[order]))
        return out

    def plot(self, ax=None, *, xvar=None, legend="auto", df_axis=True, line_kw=None,
             vline_kw=None):
        """Draw the path.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        xvar : {'alpha', 'C', 'norm', 'dev'}, default=None
            The x axis, as glmnet's ``plot(fit, xvar=)``: the path parameter (``param_name``,
            'alpha' or 'C'; the default) on a log scale, 'norm' the L1 norm of the
            coefficients drawn, 'dev' the fraction of deviance explained (needs
            ``dev_ratio``). The marked values are drawn at their place on that axis.
        legend : bool or 'auto', default='auto'
            Show a legend of the coefficients ('auto': when there are at most 12).
        df_axis : bool, default=True
            Add a top axis with the number of non-zero coefficients at the tick positions.
        line_kw : dict, default=None
            Keyword arguments of the coefficient lines (``ax.plot``).
        vline_kw : dict, default=None
            Keyword arguments of the vertical lines of the marks (``ax.axvline``).

        Returns
        -------
        display : RegularizationPathDisplay
            Object that stores computed values.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        param = self.param_name
        if xvar is None:
            xvar = param
        if not isinstance(xvar, str) or xvar not in (param, *_XLABELS):
            raise ValueError(f"xvar must be {param!r}, 'norm' or 'dev', got {xvar!r}.")
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
        elif len(names) != coefs.shape[0]:
            raise ValueError(f"feature_names has {len(names)} names for {coefs.shape[0]} "
                             "coefficients.")
        x = self._x(xvar, alphas, coefs)
        ax = axes_of(ax)
        self.lines_ = []
        for j in range(coefs.shape[0]):
            (line,) = ax.plot(x, coefs[j], label=str(names[j]), **(line_kw or {}))
            self.lines_.append(line)
        self.vlines_ = draw_alpha_marks(ax, self.alpha_marks or {}, vline_kw,
                                        self._mark_positions(xvar, alphas, x))
        log = xvar == param
        if log:
            ax.set_xscale("log")
        ax.set_xlabel(_XLABELS.get(xvar, param))
        ax.set_ylabel(self.coef_name)
        self.x_ = x
        self.df_ = np.count_nonzero(coefs, axis=0)
        self.df_axis_ = None
        if df_axis:
            from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

            top = ax.secondary_xaxis("top")
            if log:  # a decade holds many values: a count at 1 and 3 times each power of 10
                top.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 3.0)))
            top.xaxis.set_major_formatter(FuncFormatter(_df_labeller(x, self.df_, log)))
            top.xaxis.set_minor_formatter(NullFormatter())
            top.set_xlabel("non-zero coefficients", fontsize="small")
            self.df_axis_ = top
        if self.estimator_name:
            ax.set_title(f"Regularization path ({self.estimator_name})")
        if legend is True or (legend == "auto" and coefs.shape[0] <= 12):
            ax.legend(loc="best", fontsize="small")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_path(cls, alphas, coefs, *, feature_names=None, alpha_marks=None,
                  estimator_name=None, dev_ratio=None, param_name="alpha",
                  coef_name="coefficient", ax=None, **kwargs):
        """Plot a path already computed, e.g. by :func:`~skreg.lasso_path`.

        Parameters
        ----------
        alphas : array-like of shape (n_alphas,)
            The values of the path parameter (alpha, or C).
        coefs : array-like of shape (n_features, n_alphas)
            Coefficients along the path (for :func:`~skreg.logistic_path`'s ``(n_Cs,
            n_features)``: its transpose; a multinomial path's class ``k``: ``coefs[:, k].T``).
        feature_names : list of str, default=None
            Names of the coefficients.
        alpha_marks : dict of str to float, default=None
            Values of the path parameter to mark with vertical lines.
        estimator_name : str, default=None
            Name used in the title.
        dev_ratio : array-like of shape (n_alphas,), default=None
            Fraction of deviance explained at each point (for ``xvar="dev"``).
        param_name : str, default='alpha'
            The path parameter ('alpha', or 'C').
        coef_name : str, default='coefficient'
            Label of the y axis.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        **kwargs : dict
            Drawing options of :meth:`plot`.

        Returns
        -------
        display : RegularizationPathDisplay
            The display of the given path, drawn.
        """
        check_matplotlib_support(f"{cls.__name__}.from_path")
        disp = cls(alphas, coefs, feature_names=feature_names, alpha_marks=alpha_marks,
                   estimator_name=estimator_name, dev_ratio=dev_ratio, param_name=param_name,
                   coef_name=coef_name)
        return disp.plot(ax=ax, **kwargs)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, alphas=None, eps=None, sample_weight=None,
                       target=None, feature_names=None, ax=None, **kwargs):
        """Compute and plot the path of the estimator's own problem.

        The path solves, at each point, the problem the estimator solves, so the
        coefficients drawn at a marked value are the fitted model's (to the tolerance
        ``tol`` certifies):

        - a Lasso / ElasticNet: its ``l1_ratio``, ``fit_intercept``, ``positive``, ``tol``,
          ``max_iter`` and glmnet-style options (``penalty_factor``, ``lower_bounds``,
          ``upper_bounds``, ``standardize``, ``relax``, ``gamma``) are passed to
          :func:`~skreg.enet_path`;
        - a LogisticRegression (a path over C, glmnet's binomial / multinomial ``plot``) or
          a MultiTaskLasso / MultiTaskElasticNet (over alpha, glmnet's mgaussian): the path
          is solved by the model itself (a clone's warm-started path, the one its CV
          selector solves), with every parameter it has (``l1_ratio``, ``fit_intercept``,
          ``class_weight``, ``tol``, ``max_iter``, ``penalty_factor``, ...).

        Parameters
        ----------
        estimator : estimator instance
            A :class:`~skreg.Lasso`, :class:`~skreg.ElasticNet`,
            :class:`~skreg.LogisticRegression`, :class:`~skreg.MultiTaskLasso` or
            :class:`~skreg.MultiTaskElasticNet` (fitted or not; a fitted one has its
            ``alpha``, or ``C``, marked), a fitted :class:`~skreg.LassoCV`,
            :class:`~skreg.ElasticNetCV`, :class:`~skreg.LogisticRegressionCV`,
            :class:`~skreg.MultiTaskLassoCV`, :class:`~skreg.MultiTaskElasticNetCV` or
            :class:`~skreg.PathSearchCV` over one of these models or over a Pipeline ending
            in one (the problem of its ``best_estimator_``, on the grid it searched,
            ``alpha_`` and ``alpha_1se_`` marked, ``C_`` and ``C_1se_`` for a path over C),
            or a fitted :class:`~sklearn.pipeline.Pipeline` ending in any of these (X goes
            through the earlier steps' ``transform``; the title names the last step).
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (the Pipeline's input, for a Pipeline).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target (class labels for a classifier; several targets for a multi-task model).
        alphas : int or array-like, default=None
            Number of values of the automatic grid of the estimator's problem, or the
            values of its path parameter (alpha, or C); None: the search's grid, or 100.
            The automatic grid is its CV selector's: for alpha, from alpha_max (which
            respects penalty factors, bounds and standardization) down to ``eps *
            alpha_max``; for C, glmnet's, from the C below which every coefficient is zero
            up to that C / ``eps`` (see :func:`~skreg.logistic_path`). The marked values
            are added, so that the path passes through the fitted coefficients.
        eps : float, default=None
            Ratio of the ends of the automatic grid (None: the search's, else 1e-3 for
            alpha and the data-dependent glmnet default for C).
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights (those of the fit, for the path to be the fitted problem's).
        target : class label, int, str or 'norm', default=None
            Which row of coefficients to draw for a model with several rows (glmnet draws
            one panel per class / response): for a multinomial logistic regression a class
            label of ``classes_``; for a multi-task model a target's index, or a column
            name of a DataFrame ``y``; ``'norm'`` draws each feature's Euclidean norm over
            the rows (glmnet's ``type.coef = "2norm"``, one line per feature, zero exactly
            where the feature is out of the model). Required for those models (an error
            names the choices); None for one row (a binary classifier's row is that of
            ``classes_[1]``, which ``target`` may also name). The deviance ratio and the
            marks are the whole model's.
        feature_names : list of str, default=None
            Names of the coefficients; by default the names the Pipeline's earlier steps
            give (``get_feature_names_out``), the names the model recorded, or X's column
            names, if any.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        **kwargs : dict
            Passed to :meth:`plot` (``xvar``, ``legend``, ``df_axis``, ...).

        Returns
        -------
        display : RegularizationPathDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        path = estimator_path(estimator, X, y, alphas=alphas, eps=eps,
                              sample_weight=sample_weight, target=target)
        if feature_names is not None:
            path["feature_names"] = list(feature_names)
        return cls.from_path(path["alphas"], path["coefs"],
                             feature_names=path["feature_names"],
                             alpha_marks=path["alpha_marks"],
                             estimator_name=path["estimator_name"],
                             dev_ratio=path["dev_ratio"], param_name=path["param_name"],
                             coef_name=path["coef_name"], ax=ax, **kwargs)
