"""Fitting on dask arrays from sufficient statistics.

For squared loss everything a fit needs is in sums over rows: the weighted row count, the column
means and the centred co-moments X'X, X'y, y'y. Each row chunk of a dask array is reduced to these
on the cluster (in float64, centred at the chunk's own means), chunks are merged pairwise in a
tree (Chan et al.'s update: C = C_a + C_b + w_a w_b / w (m_b - m_a)(m_b - m_a)'), and only p x p
and p-sized results reach the client. Coordinate descent then runs on the Gram matrix in the one
Cython core, and stops on the same duality gap (||y - Xw||^2 = y'y - 2 w'X'y + w'X'Xw).

Cross-validation never moves data: folds are unions of whole row chunks (`ChunkKFold`), each
fold's statistics are reduced once, a training fold is the total minus its held-out fold, and the
mean squared error / R^2 of a held-out fold come from that fold's statistics:
sum_i s_i (y_i - x_i w - b)^2 = C_yy - 2 w'C_xy + w'C_xx w + W (m_y - m_x'w - b)^2.

Nothing here imports dask at skreg's import time: dask is loaded when a dask array is given.
"""

import numbers
import threading
import time
import warnings
from collections import defaultdict

import numpy as np
from scipy import linalg, sparse
from sklearn.model_selection import BaseCrossValidator
from sklearn.utils import check_random_state

from ._config import get_config


def is_dask(obj):
    """True for dask collections (Array, DataFrame, Series), without importing dask."""
    return type(obj).__module__.startswith("dask")


# ------------------------------------------------------------------------------------------------
# Folds made of whole chunks
# ------------------------------------------------------------------------------------------------


class ChunkKFold(BaseCrossValidator):
    """K-fold cross-validation over the row chunks of a dask array.

    Like :class:`~sklearn.model_selection.KFold`, with whole chunks in place of rows: the chunks
    are split into ``n_splits`` consecutive groups (the first ``n_chunks % n_splits`` groups get
    one chunk more), optionally after shuffling the chunk order. Each group is a test fold once;
    the other chunks train. Folds aligned to chunks let skreg's estimators cross-validate a dask
    array from per-fold statistics, without moving data; ``cv=None`` or an integer ``cv`` means
    ``ChunkKFold(cv)`` for dask input. ``split`` yields row indices, so the same folds can be
    given to an in-memory search (``cv=list(ChunkKFold(5).split(X_dask))``).

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds (at most the number of row chunks).
    shuffle : bool, default=False
        Shuffle the chunk order before forming the groups.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle.
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        if not isinstance(n_splits, numbers.Integral) or n_splits < 2:
            raise ValueError(f"n_splits must be an integer >= 2, got {n_splits!r}.")
        self.n_splits = int(n_splits)
        self.shuffle = shuffle
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of folds.

        Parameters
        ----------
        X, y, groups : object, default=None
            Ignored; present for API compatibility.

        Returns
        -------
        n_splits : int
            The number of folds.
        """
        return self.n_splits

    def chunk_split(self, n_chunks):
        """(train chunks, test chunks) index arrays of every fold, for `n_chunks` chunks.

        Parameters
        ----------
        n_chunks : int
            Number of row chunks of the array to split.

        Yields
        ------
        train : ndarray of int
            Indices of the training chunks of the fold.
        test : ndarray of int
            Indices of the test chunks of the fold.
        """
        if n_chunks < self.n_splits:
            raise ValueError(
                f"Cannot make {self.n_splits} folds of whole chunks from {n_chunks} row chunks: "
                f"rechunk X along the rows into at least {self.n_splits} chunks "
                "(X.rechunk({0: rows_per_chunk})) or use fewer folds.")
        order = np.arange(n_chunks)
        if self.shuffle:
            check_random_state(self.random_state).shuffle(order)
        sizes = np.full(self.n_splits, n_chunks // self.n_splits)
        sizes[: n_chunks % self.n_splits] += 1
        start = 0
        for size in sizes:
            test = np.sort(order[start:start + size])
            yield np.setdiff1d(order, test), test
            start += size

    def _iter_test_indices(self, X=None, y=None, groups=None):
        chunks = getattr(X, "chunks", None)
        if chunks is None:
            raise TypeError("ChunkKFold splits the row chunks of a dask array; got "
                            f"{type(X).__name__}. Use sklearn's KFold for in-memory data.")
        bounds = np.cumsum((0,) + tuple(chunks[0]))
        for _, test in self.chunk_split(len(chunks[0])):
            yield np.concatenate([np.arange(bounds[c], bounds[c + 1]) for c in test])


def _rows_to_chunks(index, bounds, what):
    """The chunks whose rows are exactly `index` (row indices or a boolean mask)."""
    index = np.asarray(index)
    if index.dtype == bool:
        index = np.flatnonzero(index)
    rows = np.unique(index)
    n_chunks = len(bounds) - 1
    owner = np.searchsorted(bounds, rows, side="right") - 1
    counts = np.bincount(owner, minlength=n_chunks)
    chunks = np.flatnonzero(counts)
    if len(rows) != len(index) or np.any(counts[chunks] != np.diff(bounds)[chunks]):
        raise ValueError(
            f"With a dask X, every {what} set must be made of whole row chunks (without "
            "repeated rows), so that its statistics are sums of per-chunk statistics. Use "
            "cv=ChunkKFold(n_splits) (or an integer cv), or rechunk X so that the folds of your "
            "splitter fall on chunk boundaries.")
    return chunks


def chunk_folds(cv, X, y=None, groups=None):
    """(train chunks, test chunks) of every split of `cv` over the row chunks of dask `X`.

    None or an int mean ChunkKFold; other splitters (or iterables of (train, test)) must give
    folds made of whole chunks."""
    from sklearn.model_selection import check_cv

    n_chunks = len(X.chunks[0])
    if cv is None or isinstance(cv, numbers.Integral):
        cv = ChunkKFold(5 if cv is None else cv)
    if isinstance(cv, ChunkKFold):
        return list(cv.chunk_split(n_chunks))
    cv = check_cv(cv, y, classifier=False)
    bounds = np.cumsum((0,) + tuple(X.chunks[0]))
    return [(_rows_to_chunks(train, bounds, "training"), _rows_to_chunks(test, bounds, "test"))
            for train, test in cv.split(X, y, groups)]


def _atoms(splits, n_chunks):
    """Group the chunks by their role in every split: the fewest sets of chunks whose statistics
    build every training and test fold. Returns (atoms, per split (train atoms, test atoms))."""
    role = np.zeros((n_chunks, len(splits)), dtype=np.int8)
    for s, (train, test) in enumerate(splits):
        role[train, s] = 1
        role[test, s] = 2
    by_role = {}
    for c in range(n_chunks):
        if role[c].any():
            by_role.setdefault(role[c].tobytes(), []).append(c)
    atoms = [tuple(chunks) for chunks in by_role.values()]
    first = [role[chunks[0]] for chunks in atoms]
    folds = [([a for a, r in enumerate(first) if r[s] == 1],
              [a for a, r in enumerate(first) if r[s] == 2]) for s in range(len(splits))]
    return atoms, folds


# ------------------------------------------------------------------------------------------------
# Statistics of a set of rows, and their algebra
# ------------------------------------------------------------------------------------------------


class _Stats:
    """Sufficient statistics of a set of rows with weights s (float64).

    n: rows; w: sum of s; mx (p,), my (k,): weighted means; Cxx (p, p), Cxy (p, k), Cyy (k,):
    co-moments centred at those means (Cxx = sum_i s_i (x_i - mx)(x_i - mx)')."""

    __slots__ = ("n", "w", "mx", "my", "Cxx", "Cxy", "Cyy")

    def __init__(self, n, w, mx, my, Cxx, Cxy, Cyy):
        self.n, self.w, self.mx, self.my = n, w, mx, my
        self.Cxx, self.Cxy, self.Cyy = Cxx, Cxy, Cyy

    def __getstate__(self):
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)


def _block_stats(X, Y, s=None):
    """Statistics of one row chunk (dense or sparse X), computed in float64."""
    n, p = X.shape
    Y = np.asarray(Y, dtype=np.float64).reshape(n, -1)
    if s is not None:
        s = np.asarray(s, dtype=np.float64).ravel()
        if np.any(s < 0):
            raise ValueError("Negative values in data passed to `sample_weight`")
    w = float(n) if s is None else float(s.sum())
    if w == 0:  # only the row count matters
        zeros = np.zeros
        return _Stats(n, 0.0, zeros(p), zeros(Y.shape[1]), zeros((p, p)),
                      zeros((p, Y.shape[1])), zeros(Y.shape[1]))
    my = (Y.sum(axis=0) if s is None else s @ Y) / w
    Yc = Y - my
    if sparse.issparse(X) or hasattr(X, "tocsr"):  # scipy or pydata sparse chunk
        X = sparse.csr_matrix(X.tocsr(), dtype=np.float64)
        sv = np.ones(n) if s is None else s
        mx = np.asarray(X.T @ sv).ravel() / w
        Xs = X if s is None else sparse.diags(s) @ X
        # sum_i s_i (x_i - mx)(x_i - mx)' = X'SX - w mx mx'; sum_i s_i (x_i - mx) yc_i = X'S yc
        Cxx = (X.T @ Xs).toarray() - w * np.outer(mx, mx)
        Cxy = np.asarray(Xs.T @ Yc)
        Cyy = np.einsum("ij,ij->j", Yc, Yc) if s is None else s @ (Yc * Yc)
    else:
        X = np.asarray(X, dtype=np.float64)
        mx = (X.sum(axis=0) if s is None else s @ X) / w
        Xc = X - mx
        if s is not None:
            r = np.sqrt(s)
            Xc *= r[:, None]
            Yc *= r[:, None]
        Cxx = Xc.T @ Xc
        Cxy = Xc.T @ Yc
        Cyy = np.einsum("ij,ij->j", Yc, Yc)
    return _Stats(n, w, mx, my, Cxx, Cxy, Cyy)


def _merge(a, b):
    """Statistics of the union of two disjoint sets of rows."""
    w = a.w + b.w
    f = a.w * b.w / w if w > 0 else 0.0
    t = b.w / w if w > 0 else 0.0
    dx, dy = b.mx - a.mx, b.my - a.my
    return _Stats(a.n + b.n, w, a.mx + t * dx, a.my + t * dy,
                  a.Cxx + b.Cxx + f * np.outer(dx, dx),
                  a.Cxy + b.Cxy + f * np.outer(dx, dy),
                  a.Cyy + b.Cyy + f * dy * dy)


def _merge_all(parts):
    out = parts[0]
    for part in parts[1:]:
        out = _merge(out, part)
    return out


def _remove(total, part):
    """Statistics of the rows of `total` outside `part` (the inverse of `_merge`)."""
    w = total.w - part.w
    if not w > 1e-12 * total.w:
        raise ValueError("The training rows of a fold have zero total sample weight.")
    mx = (total.w * total.mx - part.w * part.mx) / w
    my = (total.w * total.my - part.w * part.my) / w
    f = w * part.w / total.w
    dx, dy = part.mx - mx, part.my - my
    return _Stats(total.n - part.n, w, mx, my,
                  total.Cxx - part.Cxx - f * np.outer(dx, dx),
                  total.Cxy - part.Cxy - f * np.outer(dx, dy),
                  total.Cyy - part.Cyy - f * dy * dy)


def _check_gram_size(p):
    limit = get_config()["max_gram_bytes"]
    need = 8 * p * p
    if need > limit:
        raise ValueError(
            f"X has {p} features: fitting a dask array builds the {p} x {p} Gram matrix X'X "
            f"({need / 2**30:.2f} GiB in float64; a fit holds two on the client, "
            f"cross-validation n_folds + 3), over skreg's limit max_gram_bytes="
            f"{limit / 2**30:.2f} GiB. If the client and every worker have the memory, raise "
            f"it with skreg.set_config(max_gram_bytes={need}); otherwise reduce the number of "
            "features (screening, hashing, PCA) or fit a row subsample in memory (sparse "
            "designs: scipy.sparse X on one machine, never densified).")


# The statistics of the last data set fitted: keyed by the dask names of (X, y, sample_weight)
# (names identify contents in dask), for a partition of the chunks into groups. A refit, the
# next alpha, or a coarser partition (the total from the folds) reuses them without a pass.
_cache = {"key": None, "groups": None, "stats": None}
_cache_lock = threading.Lock()


def statistics(X, y, sample_weight, groups):
    """Statistics of each group of row chunks (list of chunk-index sequences), in one pass.

    X: validated dask array (one column chunk); y: 2-D dask array with X's row chunks;
    sample_weight: 1-D dask array or None."""
    _check_gram_size(X.shape[1])
    groups = [tuple(int(c) for c in g) for g in groups]
    key = (X.name, y.name, None if sample_weight is None else sample_weight.name)
    with _cache_lock:
        if _cache["key"] == key:
            owner = {c: i for i, g in enumerate(_cache["groups"]) for c in g}
            found = []
            for g in groups:
                ids = sorted({owner.get(c, -1) for c in g})
                if -1 in ids or sum(len(_cache["groups"][i]) for i in ids) != len(g):
                    break
                found.append(_merge_all([_cache["stats"][i] for i in ids]))
            else:
                return found
    stats = _compute_statistics(X, y, sample_weight, groups)
    with _cache_lock:
        _cache.update(key=key, groups=groups, stats=stats)
    return stats


def _compute_statistics(X, y, sample_weight, groups, split_every=8):
    import dask
    import dask.array as da
    from threadpoolctl import threadpool_limits

    args = [X, "ij", y, "ik"]
    if sample_weight is not None:
        args += [sample_weight, "i"]
    # One task per row chunk returning a _Stats (the array is only a vehicle for the graph).
    per_chunk = da.blockwise(_block_stats, "i", *args, dtype=object, concatenate=True,
                             meta=np.empty((0,), dtype=object)).to_delayed().ravel()
    merge = dask.delayed(_merge_all, pure=True)
    roots = []
    for g in groups:
        parts = [per_chunk[c] for c in g]
        while len(parts) > 1:
            parts = [merge(parts[i:i + split_every]) for i in range(0, len(parts), split_every)]
        roots.append(parts[0])
    # dask runs one task per core: BLAS threads inside the tasks would oversubscribe the cores
    # of a threaded (or in-process distributed) scheduler; worker processes already use one.
    with threadpool_limits(limits=1, user_api="blas"):
        stats = list(dask.compute(*roots))
    for st in stats:
        if not (np.isfinite(st.Cxx).all() and np.isfinite(st.Cxy).all()
                and np.isfinite(st.Cyy).all()):
            raise ValueError("Input X or y contains NaN or infinity (or values too large "
                             "for float64 sums).")
    return stats


def _rescaled(st, factor):
    """Statistics with every weight multiplied by `factor`."""
    return _Stats(st.n, st.w * factor, st.mx, st.my, st.Cxx * factor, st.Cxy * factor,
                  st.Cyy * factor)


# ------------------------------------------------------------------------------------------------
# Validation (lazy) and the Gram design
# ------------------------------------------------------------------------------------------------


def _as_array(obj):
    """A dask Array from a dask array / DataFrame / Series, with known chunk sizes."""
    if hasattr(obj, "to_dask_array"):
        obj = obj.to_dask_array(lengths=True)
    if any(np.isnan(c) for dim in obj.chunks for c in dim):
        obj = obj.compute_chunk_sizes()
    return obj


def _aligned(v, X, name):
    """`v` (dask or in-memory, n rows) as a dask array with X's row chunks."""
    import dask.array as da

    v = _as_array(v) if is_dask(v) else da.from_array(np.asarray(v), chunks=-1)
    if v.shape[0] != X.shape[0]:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: "
                         f"X has {X.shape[0]} rows, {name} {v.shape[0]}.")
    if v.ndim == 2 and len(v.chunks[1]) > 1:
        v = v.rechunk({1: -1})
    return v.rechunk({0: X.chunks[0]})


def check_fit_data(est, X, y, sample_weight=None, *, reset=True, multi_output=True):
    """Lazy validation of dask (X, y, sample_weight) for a fit.

    Returns X (float32 or float64, one column chunk), y (X's row chunks; 1-D or 2-D as given,
    float64) and sample_weight (1-D float64 dask array, or None for a scalar / None weight; not
    rescaled: the Gram design rescales). Sets n_features_in_ / feature names on `est`."""
    from ._sklearn_compat import _check_feature_names, _check_n_features

    if est is not None:
        _check_feature_names(est, X, reset=reset)
    X = _as_array(X)
    if X.ndim != 2:
        raise ValueError(f"Expected a 2D array, got a dask array of shape {X.shape}.")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"Found array with shape {X.shape}: at least one sample and one "
                         "feature are required.")
    if X.dtype not in (np.float32, np.float64):
        if X.dtype.kind not in "biuf":
            raise ValueError(f"dask X must be numeric, got dtype {X.dtype}.")
        X = X.astype(np.float64)
    if len(X.chunks[1]) > 1:
        X = X.rechunk({1: -1})
    if est is not None:
        _check_n_features(est, X, reset=reset)
    if y is None:
        raise ValueError("requires y to be passed, but the target y is None")
    y = _aligned(y, X, "y")
    if y.ndim == 2 and y.shape[1] == 1 and not multi_output:
        y = y[:, 0]
    if y.ndim > 2 or (y.ndim == 2 and not multi_output):
        raise ValueError(f"y should be 1-D, got shape {y.shape}.")
    if y.dtype.kind not in "biuf":
        raise ValueError(f"dask y must be numeric, got dtype {y.dtype}.")
    y = y.astype(np.float64)
    if sample_weight is None or isinstance(sample_weight, numbers.Number):
        sample_weight = None
    else:
        sample_weight = _aligned(sample_weight, X, "sample_weight")
        if sample_weight.ndim != 1:
            raise ValueError("Sample weights must be 1D array or scalar")
        sample_weight = sample_weight.astype(np.float64)
    return X, y, sample_weight


def _y2d(y):
    return y if y.ndim == 2 else y[:, None]


def _fill_gram_design(design, st, *, fit_intercept, dtype, rescale, Y=None,
                      sample_weight=None):
    """Make `design` (a `Design`) the Gram-kind design of the statistics `st` of (Y, weights).

    rescale: weights rescaled to sum to n_samples (Lasso / ElasticNet); else as given (Ridge).
    `design.Y` is the centred, weighted target as a lazy dask array (its shape gives the number
    of targets; the solvers never compute it), or None without Y."""
    if not st.w > 0:
        raise ValueError("sample_weight must have at least one positive entry; all weights "
                         "are zero.")
    Cxx, Cxy, Cyy = st.Cxx, st.Cxy, st.Cyy
    if fit_intercept:
        X_offset, y_offset = st.mx, st.my
    else:  # moments about zero
        Cxx = Cxx + st.w * np.outer(st.mx, st.mx)
        Cxy = Cxy + st.w * np.outer(st.mx, st.my)
        Cyy = Cyy + st.w * st.my**2
        X_offset, y_offset = np.zeros_like(st.mx), np.zeros_like(st.my)
    scale = st.n / st.w if rescale else 1.0
    design.kind = "gram"
    design.is_sparse = False
    design.n_samples, design.n_features = st.n, Cxx.shape[0]
    design.dtype = np.dtype(dtype)
    design.X_offset = X_offset.astype(dtype)
    design.y_offset = y_offset.astype(dtype)
    design.Q = np.ascontiguousarray(scale * Cxx, dtype=dtype)
    design.XtY = np.asfortranarray(scale * Cxy, dtype=dtype)
    design.yy = np.asarray(scale * Cyy, dtype=np.float64)
    design.norms2 = np.ascontiguousarray(np.diag(design.Q))
    # what the glmnet-style options read (standardization): centring and the weighted mean
    design.fit_intercept, design.X_mean, design.sqrt_sw = bool(fit_intercept), st.mx, None
    design.Y = None
    if Y is not None:
        Yc = Y - y_offset if fit_intercept else Y
        if sample_weight is not None:
            Yc = Yc * (scale * sample_weight[:, None]) ** 0.5
        design.Y = Yc.astype(dtype)
    return design


def gram_design(st, *, fit_intercept, dtype, rescale=True, Y=None, sample_weight=None):
    """A Gram-kind `Design` from statistics (see `_fill_gram_design`)."""
    from ._base import Design

    return _fill_gram_design(Design.__new__(Design), st, fit_intercept=fit_intercept,
                             dtype=dtype, rescale=rescale, Y=Y, sample_weight=sample_weight)


def init_design(design, X, y, *, fit_intercept, sample_weight, precompute, Xy):
    """`Design.__init__` for dask X: the Gram design of the statistics of all rows, weights
    rescaled to sum to n_samples (idempotent if the caller rescaled). `design.Y` is the lazy
    centred, weighted target; a precomputed Gram matrix is used on the same terms as in
    memory."""
    from ._base import check_gram

    X, y, sample_weight = check_fit_data(None, X, y, sample_weight)
    Y = _y2d(y)
    st = statistics(X, Y, sample_weight, [range(len(X.chunks[0]))])[0]
    _fill_gram_design(design, st, fit_intercept=fit_intercept, dtype=X.dtype, rescale=True,
                      Y=Y, sample_weight=sample_weight)
    if precompute is not None and not isinstance(precompute, (str, bool, np.bool_)):
        if (fit_intercept and np.any(design.X_offset != 0)) or sample_weight is not None:
            warnings.warn(
                "Gram matrix was provided but X was centered to fit intercept or rescaled by "
                "sample weights: recomputing the Gram matrix.", UserWarning, stacklevel=3)
        else:
            design.Q = check_gram(precompute, design.n_features, X.dtype)
            design.norms2 = np.ascontiguousarray(np.diag(design.Q))
            if Xy is not None:
                design.XtY = np.asfortranarray(
                    np.asarray(Xy, dtype=X.dtype).reshape(design.n_features, -1))


# ------------------------------------------------------------------------------------------------
# Estimators: Ridge, predict, the LassoCV grid
# ------------------------------------------------------------------------------------------------


def fit_ridge(est, X, y, sample_weight=None):
    """`Ridge.fit` on dask data: Cholesky (or, for 'sag' / 'saga' / 'lbfgs' / positive,
    coordinate descent) on the Gram matrix of the statistics. The other solvers need the rows;
    they are replaced by the exact Cholesky solve ('cholesky' in solver_)."""
    from ._ridge import _CD_SOLVERS, CD_DEFAULT_MAX_ITER, _solve_cd, _spd_solve

    solver = est._check_solver(False)
    factor = float(sample_weight) if isinstance(sample_weight, numbers.Number) else 1.0
    X, y, sample_weight = check_fit_data(est, X, y, sample_weight)
    if factor < 0:
        raise ValueError("Negative values in data passed to `sample_weight`")
    n_targets = 1 if y.ndim == 1 else y.shape[1]
    alphas = np.asarray(est.alpha, dtype=X.dtype).ravel()
    if alphas.shape[0] not in (1, n_targets):
        raise ValueError("Number of targets and number of penalties do not correspond: "
                         f"{alphas.shape[0]} != {n_targets}")
    alphas = np.broadcast_to(alphas, (n_targets,)).copy()
    st = statistics(X, _y2d(y), sample_weight, [range(len(X.chunks[0]))])[0]
    design = gram_design(_rescaled(st, factor), fit_intercept=est.fit_intercept,
                         dtype=X.dtype, rescale=False)
    if solver in _CD_SOLVERS:
        max_iter = CD_DEFAULT_MAX_ITER if est.max_iter is None else est.max_iter
        coef, n_iter = _solve_cd(design, alphas, est.tol, max_iter, est.positive)
    else:
        solver, n_iter = "cholesky", None
        try:
            coef = _spd_solve(design.Q, design.XtY, alphas).T
        except linalg.LinAlgError:  # singular (alpha = 0): minimum-norm solution
            eye = np.eye(design.n_features, dtype=design.Q.dtype)
            coef = np.stack([linalg.pinvh(design.Q + a * eye) @ design.XtY[:, k]
                             for k, a in enumerate(alphas)])
    coef = np.ascontiguousarray(coef, dtype=X.dtype)
    intercept = (design.y_offset - coef @ design.X_offset).astype(X.dtype, copy=False)
    if y.ndim == 1:
        coef, intercept = coef[0], intercept[0]
    est.coef_ = coef
    est.intercept_ = intercept if est.fit_intercept else 0.0
    est.n_iter_ = n_iter
    est.solver_ = solver
    return est


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

    from ._ridge import Ridge, _spd_solve

    if est.store_cv_results:
        raise ValueError("store_cv_results=True would bring every row's leave-one-out values "
                         "to the client: not supported for dask X.")
    if params and set(params) != {"sample_weight"}:
        raise ValueError(f"RidgeCV on dask X accepts only sample_weight; got {sorted(params)}.")
    factor = float(sample_weight) if isinstance(sample_weight, numbers.Number) else 1.0
    X, y, sw = check_fit_data(est, X, y, sample_weight)
    Y = _y2d(y)
    n_targets = Y.shape[1]
    if est.cv is not None:
        if est.alpha_per_target:
            raise ValueError("cv!=None and alpha_per_target=True are incompatible")
        scorer = est._get_scorer()
        metric = _stats_metric(scorer, Ridge())
        if metric is None:
            raise ValueError("RidgeCV with a cv on dask X scores from the held-out "
                             "statistics: scoring must be None, 'r2', "
                             "'neg_mean_squared_error' or 'neg_root_mean_squared_error'.")
        splits = chunk_folds(est.cv, X, y, None)
        atoms, fold_atoms = _atoms(splits, len(X.chunks[0]))
        atom_stats = [_rescaled(st, factor) for st in statistics(X, Y, sw, atoms)]
        total = _merge_all(atom_stats)
        scores = np.zeros((len(splits), len(alphas)))
        for s, (train_atoms, test_atoms) in enumerate(fold_atoms):
            test = _merge_all([atom_stats[a] for a in test_atoms])
            train = (_remove(total, test) if len(train_atoms) + len(test_atoms) == len(atoms)
                     else _merge_all([atom_stats[a] for a in train_atoms]))
            design = gram_design(train, fit_intercept=est.fit_intercept, dtype=np.float64,
                                 rescale=False)
            coefs = np.stack([_spd_solve(design.Q, design.XtY, np.full(n_targets, a))
                              for a in alphas], axis=-1).transpose(1, 0, 2)  # (k, p, A)
            intercepts = (design.y_offset[:, None]
                          - np.einsum("j,kja->ka", design.X_offset, coefs))
            if not est.fit_intercept:
                intercepts[:] = 0
            scores[s] = _scores_from_stats(*metric, test, coefs, intercepts)
        mean = scores.mean(axis=0)
        best = int(np.argmax(mean))
        best_alpha, best_score = float(alphas[best]), float(mean[best])
    else:
        if est.scoring is not None:
            raise ValueError("RidgeCV's leave-one-out on dask X computes the mean squared "
                             "error only (scoring=None); pass a cv for 'r2' or MSE scores.")
        st = _rescaled(statistics(X, Y, sw, [range(len(X.chunks[0]))])[0], factor)
        design = gram_design(st, fit_intercept=est.fit_intercept, dtype=np.float64,
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
    model = fit_ridge(Ridge(alpha=best_alpha if np.ndim(best_alpha) == 0 else best_alpha,
                            fit_intercept=est.fit_intercept), X, y,
                      sw if factor == 1.0 else factor)
    est.alpha_, est.best_score_ = best_alpha, best_score
    est.coef_, est.intercept_ = model.coef_, model.intercept_
    return est


def _predict_block(X, coef, intercept):
    out = X @ coef
    if hasattr(out, "todense"):
        out = out.todense()
    return np.asarray(out) + intercept


def predict(est, X):
    """Lazy predictions of a fitted linear model: blockwise X @ coef_.T + intercept_."""
    from ._sklearn_compat import _check_feature_names, _check_n_features

    _check_feature_names(est, X, reset=False)
    X = _as_array(X)
    _check_n_features(est, X, reset=False)
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    if len(X.chunks[1]) > 1:
        X = X.rechunk({1: -1})
    coef = np.asarray(est.coef_)
    intercept = np.asarray(est.intercept_)
    dtype = np.result_type(X.dtype, coef.dtype, intercept.dtype)
    if coef.ndim == 1:
        return X.map_blocks(_predict_block, coef, intercept, drop_axis=1, dtype=dtype)
    return X.map_blocks(_predict_block, coef.T, intercept, dtype=dtype,
                        chunks=(X.chunks[0], (coef.shape[0],)))


def alpha_grid(X, y, sample_weight, l1_ratio, fit_intercept, eps, n_alphas, positive):
    """LassoCV's automatic grid from the statistics of the whole data set."""
    from ._path import alpha_grid as grid

    X, y, sample_weight = check_fit_data(None, X, y, sample_weight)
    st = statistics(X, _y2d(y), sample_weight, [range(len(X.chunks[0]))])[0]
    design = gram_design(st, fit_intercept=fit_intercept, dtype=np.float64)
    return grid(design, l1_ratio, eps, n_alphas, positive)


def check_cv_data(est, X, y, sample_weight, params):
    """LassoCV / ElasticNetCV validation for dask data; also reduces the statistics of the CV
    folds (one pass), from which the alpha grid, the folds and the refit are all served."""
    X, y, sample_weight = check_fit_data(None, X, y, sample_weight)
    if y.ndim == 2:
        if y.shape[1] > 1:
            raise ValueError(f"For multi-task outputs, use MultiTask{type(est).__name__}")
        y = y[:, 0]
    splits = chunk_folds(est.cv, X, y, params.get("groups"))
    atoms, _ = _atoms(splits, len(X.chunks[0]))
    statistics(X, _y2d(y), sample_weight, atoms)
    return X, y, sample_weight


# ------------------------------------------------------------------------------------------------
# PathSearchCV on dask data
# ------------------------------------------------------------------------------------------------


# Largest block of held-out predictions (rows x alphas x targets) brought to the client at once
# for scorers that need predictions.
_PREDICTION_BLOCK = 25_000_000


def _stats_metric(scorer, template):
    """'mse' / 'rmse' / 'r2' when `scorer` (on `template`'s models) is computable from held-out
    statistics, else None."""
    from . import _search

    found = _search._vector_metric(scorer, template)
    if found is None:
        return None
    kind = {_search._mse: "mse", _search._rmse: "rmse", _search._r2: "r2"}.get(found[1])
    return None if kind is None else (found[0], kind)


def _scores_from_stats(sign, kind, st, coefs, intercepts):
    """A metric of every alpha on the rows of `st`: coefs (k, p, A), intercepts (k, A)."""
    W = coefs.astype(np.float64)
    b = intercepts.astype(np.float64)
    # sum_i s_i (y_i - x_i w - b)^2 per (target, alpha), from the centred moments
    quad = np.einsum("kpa,kpa->ka", np.einsum("pq,kqa->kpa", st.Cxx, W), W)
    lin = np.einsum("pk,kpa->ka", st.Cxy, W)
    shift = st.my[:, None] - np.einsum("p,kpa->ka", st.mx, W) - b
    ss = np.maximum(st.Cyy[:, None] - 2 * lin + quad, 0) + st.w * shift**2
    if kind == "r2":  # r2_score's conventions for constant targets / perfect fits
        den = np.broadcast_to(st.Cyy[:, None], ss.shape)
        per = np.ones_like(ss)
        valid = (ss != 0) & (den != 0)
        per[valid] = 1 - ss[valid] / den[valid]
        per[(ss != 0) & (den == 0)] = 0.0
    else:
        per = ss / st.w
        if kind == "rmse":
            per = np.sqrt(per)
    return sign * per.mean(axis=0)


def _predict_path_block(X, W, b):
    out = X @ W
    if hasattr(out, "todense"):
        out = out.todense()
    return np.asarray(out) + b


def _path_predictions(X, y, sample_weight, coefs, intercepts):
    """Held-out predictions of every alpha (n, k, A) with y and the weights of those rows,
    computed blockwise on the cluster (in batches of alphas, one pass each)."""
    import dask

    k, p, n_alphas = coefs.shape
    step = max(1, _PREDICTION_BLOCK // max(1, X.shape[0] * k))
    parts, y_local, w_local = [], None, None
    for start in range(0, n_alphas, step):
        stop = min(n_alphas, start + step)
        W = coefs[:, :, start:stop].transpose(1, 0, 2).reshape(p, -1)  # (p, k * A)
        P = X.map_blocks(_predict_path_block, W, intercepts[:, start:stop].ravel(),
                         dtype=np.float64, chunks=(X.chunks[0], (W.shape[1],)))
        if y_local is None:
            P, y_local, w_local = dask.compute(P, y, sample_weight)
        else:
            P = P.compute()
        parts.append(P.reshape(-1, k, stop - start))
    return np.concatenate(parts, axis=2), y_local, w_local


def _path_scores(scorer, template, st, models, coefs, intercepts, X, y, sample_weight,
                 score_params, by_stats, error_score):
    """Scores of every alpha on one set of rows (a fold's training or held-out chunks).

    MSE / RMSE / R^2 from the rows' statistics; scorers that only call predict from blockwise
    predictions of the whole path (one pass); anything else from each alpha's fitted model
    predicting the dask rows. Returns (scores, seconds per alpha)."""
    from ._ridge import _IdentityRegressor
    from ._search import _error_scores
    from ._sklearn_compat import _MultimetricScorer, _score, _Scorer

    t0 = time.perf_counter()
    n_alphas = coefs.shape[2]
    named = scorer._scorers if isinstance(scorer, _MultimetricScorer) else {None: scorer}
    values, cache = {}, {}
    for name, s in named.items():
        metric = _stats_metric(s, template) if by_stats else None
        if metric is not None:
            values[name] = [float(v) for v in _scores_from_stats(*metric, st, coefs,
                                                                  intercepts)]
        elif isinstance(s, _Scorer) and s._response_method == "predict":
            if not cache:
                cache["P"], cache["y"], cache["w"] = _path_predictions(
                    X, y, sample_weight, coefs, intercepts)
            params = dict(score_params)
            if "sample_weight" in params:
                params["sample_weight"] = cache["w"]
            P, yl = cache["P"], cache["y"]
            values[name] = [s(_IdentityRegressor(), P[:, 0, i] if yl.ndim == 1 else P[:, :, i],
                              yl, **params) for i in range(n_alphas)]
        else:
            values = None
            break
    if values is not None:
        seconds = np.full(n_alphas, (time.perf_counter() - t0) / n_alphas)
        if None in values:
            return values[None], seconds
        return [{name: values[name][i] for name in named} for i in range(n_alphas)], seconds
    # any other scorer: the fitted models predict the dask rows (one pass per alpha)
    import dask

    yl, wl = dask.compute(y, sample_weight)
    params = dict(score_params)
    if "sample_weight" in params:
        params["sample_weight"] = wl
    scores, seconds = [], np.zeros(n_alphas)
    for i, model in enumerate(models):
        t1 = time.perf_counter()
        scores.append(_error_scores(scorer, error_score) if model is None
                      else _score(model(), X, yl, scorer, params, error_score))
        seconds[i] = time.perf_counter() - t1
    return scores, seconds


def fit_search(search, X, y, **params):
    """`PathSearchCV.fit` on dask data: per-fold statistics reduced once on the cluster, every
    (fold, parameter setting) path solved on its training Gram matrix, MSE / R^2 scored from the
    held-out statistics (other scorers from blockwise predictions), then GridSearchCV's own
    result formatting and refit."""
    from functools import partial

    from sklearn import get_config as sk_config
    from sklearn.base import clone

    from ._search import (
        _error_scores,
        _fitted_model,
        _is_path_estimator,
        _PathGroup,
        _plan,
        _print_path_progress,
        _solve_design_path,
    )
    from ._sklearn_compat import (
        _insert_error_scores,
        _warn_or_raise_about_fit_failures,
        check_refit_for_multimetric,
        format_results,
        get_routed_params_for_fit,
        get_scorers,
        init_callback_context,
    )

    if not _is_path_estimator(search.estimator):
        raise TypeError(
            "PathSearchCV fits a dask array from its statistics X'X, X'y only for skreg's "
            f"Lasso / ElasticNet; got {type(search.estimator).__name__}. Compute X in memory, "
            "or search over a skreg Lasso / ElasticNet.")
    scorers, refit_metric = get_scorers(search)
    routed = get_routed_params_for_fit(search, params)
    fit_params = dict(routed.estimator.fit)
    fit_params.pop("check_input", None)
    raw_weight = fit_params.pop("sample_weight", None)
    if fit_params:
        raise ValueError(f"With a dask X, PathSearchCV passes only sample_weight to the fits; "
                         f"got {sorted(fit_params)}.")
    score_params = dict(routed.scorer.score)
    by_stats = set(score_params) <= {"sample_weight"} and (
        score_params.get("sample_weight") is raw_weight)

    base = clone(search.estimator)
    Xv, yv, sample_weight = check_fit_data(base, X, y, raw_weight)
    Y = _y2d(yv)
    y_ndim, p, dtype = yv.ndim, Xv.shape[1], Xv.dtype
    n_chunks = len(Xv.chunks[0])
    splits = chunk_folds(search.cv, Xv, yv, routed.splitter.split.get("groups"))
    search.n_splits_ = n_splits = len(splits)
    candidates, groups, singles = _plan(
        search.param_grid, relaxed=getattr(search.estimator, "relax", False) is True)
    for c in singles:  # a candidate without a valid alpha grid: a path of one alpha
        group = _PathGroup({k: v for k, v in candidates[c].items() if k != "alpha"})
        group.members.append((c, candidates[c].get("alpha", base.alpha)))
        group.finalize()
        groups.append(group)
    if search.verbose > 0:
        print(f"Fitting {n_splits} chunk-aligned folds for each of {len(candidates)} "
              f"candidates ({len(groups)} alpha paths per fold), from per-fold statistics")
    metadata = None if raw_weight is None else {"sample_weight": raw_weight}
    root_ctx = init_callback_context(
        search,
        max_subtasks=1 + (search.refit is not False)
    ).call_on_fit_task_begin(estimator=search, X=X, y=y, metadata=metadata)

    t0 = time.perf_counter()
    atoms, fold_atoms = _atoms(splits, n_chunks)
    atom_stats = statistics(Xv, Y, sample_weight, atoms)
    total = _merge_all(atom_stats)
    stats_share = (time.perf_counter() - t0) / (n_splits * len(groups))
    validate = not sk_config()["skip_parameter_validation"]

    out = [None] * (len(candidates) * n_splits)
    for s, (train_atoms, test_atoms) in enumerate(fold_atoms):
        test = _merge_all([atom_stats[a] for a in test_atoms])
        if len(train_atoms) + len(test_atoms) == len(atoms):
            train = _remove(total, test)
        else:
            train = _merge_all([atom_stats[a] for a in train_atoms])
        rows = {"train": list(splits[s][0]), "test": list(splits[s][1])}  # chunk indices
        for g, group in enumerate(groups):
            # relaxed fits: one path blended for every gamma, gamma-major (as in memory)
            alphas = group.alphas if group.gammas is None else np.tile(group.alphas,
                                                                       len(group.gammas))
            gammas = None if group.gammas is None else np.repeat(group.gammas,
                                                                 len(group.alphas))
            n_alphas = len(alphas)
            est = clone(base).set_params(**clone(group.params, safe=False))
            est.n_features_in_ = p
            if hasattr(base, "feature_names_in_"):
                est.feature_names_in_ = base.feature_names_in_
            fit_errors = [None] * n_alphas
            start = time.perf_counter()
            try:
                if validate:
                    est._validate_params()
                if np.any(group.alphas == 0):
                    warnings.warn("With alpha=0, this algorithm does not converge well. You "
                                  "are advised to use the LinearRegression estimator",
                                  stacklevel=2)
                design = gram_design(
                    train, fit_intercept=est.fit_intercept, dtype=dtype,
                    Y=Y.blocks[rows["train"]], sample_weight=None if sample_weight is None
                    else sample_weight.blocks[rows["train"]])
                coefs, intercepts, gaps, n_iters, seconds, setup, _ = _solve_design_path(
                    est, design, group.alphas, start, y_ndim, gammas=group.gammas)
                finite = np.isfinite(coefs).all(axis=(0, 1)) & np.isfinite(intercepts).all(0)
                if not finite.all():
                    raise ValueError(
                        "Coordinate descent iterations resulted in non-finite parameter "
                        "values. The input data may contain large values and need to be "
                        "preprocessed.")
            except Exception as exc:
                if search.error_score == "raise":
                    raise
                message = f"{type(exc).__name__}: {exc}\n"
                fit_errors = [message] * n_alphas
                fit_times = np.full(n_alphas, stats_share + time.perf_counter() - start)
                fit_times /= n_alphas
                failed = [_error_scores(scorers, search.error_score)] * n_alphas
                scores = {"test": failed, "train": failed}
                score_times = np.zeros(n_alphas)
            else:
                fit_times = (stats_share + setup) / n_alphas + seconds
                models = [partial(_fitted_model, est, alphas[i], coefs, intercepts, gaps,
                                  n_iters, i, y_ndim, None if gammas is None else gammas[i])
                          for i in range(n_alphas)]
                scores = {}
                for part, st in (("test", test), ("train", train)):
                    if part == "train" and not search.return_train_score:
                        continue
                    scores[part], seconds_ = _path_scores(
                        scorers, est, st, models, coefs, intercepts, Xv.blocks[rows[part]],
                        yv.blocks[rows[part]], None if sample_weight is None
                        else sample_weight.blocks[rows[part]], score_params, by_stats,
                        search.error_score)
                    if part == "test":
                        score_times = seconds_
            if search.verbose > 0:
                _print_path_progress(scores["test"], alphas, fit_times, score_times,
                                     (s, n_splits), (g, len(groups)),
                                     ", ".join(f"{k}={group.params[k]}"
                                               for k in sorted(group.params)), fit_errors,
                                     gammas=gammas)
            for c, i in group.slots:
                result = {"fit_error": fit_errors[i], "test_scores": scores["test"][i]}
                if search.return_train_score:
                    result["train_scores"] = scores["train"][i]
                result["n_test_samples"] = test.n
                result["fit_time"] = float(fit_times[i])
                result["score_time"] = float(score_times[i])
                out[c * n_splits + s] = result

    if not out:
        raise ValueError("No fits were performed. Was the CV iterator empty? Were there no "
                         "candidates?")
    _warn_or_raise_about_fit_failures(out, search.error_score)
    if callable(search.scoring):
        _insert_error_scores(out, search.error_score)
    results = format_results(search, candidates, n_splits, out, defaultdict(list))
    first = out[0]["test_scores"]
    search.multimetric_ = isinstance(first, dict)
    if callable(search.scoring) and search.multimetric_:
        check_refit_for_multimetric(search, first)
        refit_metric = search.refit
    # the refit reuses the statistics (the total of the folds): no further pass over the data
    search._finish(X, y, results, refit_metric, scorers, base, routed, root_ctx, metadata)
    return search
