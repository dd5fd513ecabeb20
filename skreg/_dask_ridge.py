"""RidgeCV on dask arrays, from sufficient statistics.

Leave-one-out comes from the eigendecomposition of the Gram matrix of the statistics of all rows
and one more blockwise pass; k-fold CV from the statistics of chunk-aligned folds.
"""

import numbers

import numpy as np
from scipy import linalg, sparse

from . import _dask_data
from ._design import Design
from ._ridge import Ridge, _spd_solve
from ._scoring import statistics_metric, statistics_scores


def _loo_block(X, Y, s, mx, my, V, MtY, D, fit_intercept, w):
    """Sums over one chunk's rows of the squared leave-one-out residuals of ridge, for every
    alpha (columns of D = 1 / (lam + alpha)) and target: shape (1, n_alphas, n_targets).

    scikit-learn's formulas (n > p form): with B = Xc V, the residual is c_i / d_i,
    c = Yc - B (D * V'Xc'Y), d = 1 - B^2 D - s_i / sum(s) (intercept)."""
    if sparse.issparse(X) or hasattr(X, "tocsr"):
        X = X.toarray() if hasattr(X, "toarray") else X.todense()
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64).reshape(X.shape[0], -1)
    r = np.ones(X.shape[0]) if s is None else np.broadcast_to(  # s: weights or a scalar
        np.sqrt(np.asarray(s, dtype=np.float64)), (X.shape[0],))
    Xc = (X - mx) if fit_intercept else X
    B = (Xc * r[:, None]) @ V
    Yc = ((Y - my) if fit_intercept else Y) * r[:, None]
    k, n_alphas = Y.shape[1], D.shape[1]
    fitted = B @ (D[:, :, None] * MtY[:, None, :]).reshape(B.shape[1], -1)
    c = Yc[:, None, :] - fitted.reshape(-1, n_alphas, k)
    d = 1.0 - (B * B) @ D
    if fit_intercept:
        d -= (r * r / w)[:, None]
    return ((c / d[:, :, None]) ** 2).sum(axis=0)[None]


def fit_ridge_cv(est, X, y, sample_weight, alphas, params):
    """`RidgeCV.fit` on dask data.

    cv=None: exact leave-one-out from the eigendecomposition of the Gram matrix of the
    statistics and one more blockwise pass (squared leave-one-out errors summed per alpha;
    scoring=None only). Otherwise chunk-aligned folds (as PathSearchCV): each fold's ridge
    solutions from its training statistics, R^2 / MSE from its held-out statistics."""
    import dask.array as da

    if est.store_cv_results:
        raise ValueError("store_cv_results=True would bring every row's leave-one-out values "
                         "to the client: not supported for dask X.")
    if params and set(params) != {"sample_weight"}:
        raise ValueError(f"RidgeCV on dask X accepts only sample_weight; got {sorted(params)}.")
    factor = float(sample_weight) if isinstance(sample_weight, numbers.Number) else 1.0
    X, y, sw = _dask_data.check_fit_data(est, X, y, sample_weight)
    Y = _dask_data.y2d(y)
    n_targets = Y.shape[1]
    if est.cv is not None:
        if est.alpha_per_target:
            raise ValueError("cv!=None and alpha_per_target=True are incompatible")
        scorer = est._get_scorer()
        metric = statistics_metric(scorer, Ridge())
        if metric is None:
            raise ValueError("RidgeCV with a cv on dask X scores from the held-out "
                             "statistics: scoring must be None, 'r2', "
                             "'neg_mean_squared_error' or 'neg_root_mean_squared_error'.")
        splits = _dask_data.chunk_folds(est.cv, X, y, None)
        folds = _dask_data.fold_statistics(X, Y, sw, splits, factor)
        scores = np.zeros((len(splits), len(alphas)))
        for s, (train, test) in enumerate(folds):
            design = Design.from_statistics(train, fit_intercept=est.fit_intercept,
                                            dtype=np.float64, rescale=False)
            coefs = np.stack([_spd_solve(design.Q, design.XtY, np.full(n_targets, a))
                              for a in alphas], axis=-1).transpose(1, 0, 2)  # (k, p, A)
            scores[s] = statistics_scores(*metric, test, coefs, design.intercept(coefs))
        mean = scores.mean(axis=0)
        best = int(np.argmax(mean))
        best_alpha, best_score = float(alphas[best]), float(mean[best])
    else:
        if est.scoring is not None:
            raise ValueError("RidgeCV's leave-one-out on dask X computes the mean squared "
                             "error only (scoring=None); pass a cv for 'r2' or MSE scores.")
        st = _dask_data.total_statistics(X, Y, sw, factor)
        design = Design.from_statistics(st, fit_intercept=est.fit_intercept, dtype=np.float64,
                                        rescale=False)
        lam, V = linalg.eigh(design.Q, check_finite=False)
        MtY = V.T @ design.XtY
        D = 1.0 / (lam[:, None] + alphas[None, :])
        args = [X, "ij", Y, "ik"] + ([sw, "i"] if sw is not None else [factor, None])
        sq = da.blockwise(
            _loo_block, "iak", *args, st.mx, None, st.my, None, V, None, MtY, None, D, None,
            est.fit_intercept, None, st.w, None, new_axes={"a": len(alphas)},
            adjust_chunks={"i": 1}, concatenate=True, dtype=np.float64,
        ).sum(axis=0).compute() / st.n  # (A, k): mean squared leave-one-out error
        per_target = est.alpha_per_target and n_targets > 1
        if per_target:
            best = np.argmax(-sq, axis=0)  # first best, as the in-memory loop
            best_alpha = alphas[best].astype(np.float64)
            best_score = -sq[best, np.arange(n_targets)]
        else:
            score = -sq.mean(axis=1) if not est.alpha_per_target else -sq[:, 0]
            best = int(np.argmax(score))
            best_alpha, best_score = float(alphas[best]), float(score[best])
    model = Ridge(alpha=best_alpha, fit_intercept=est.fit_intercept).fit(
        X, y, sw if factor == 1.0 else factor)
    est.alpha_, est.best_score_ = best_alpha, best_score
    est.coef_, est.intercept_ = model.coef_, model.intercept_
    return est
