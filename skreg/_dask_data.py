"""dask arrays as sufficient statistics.

For squared loss everything a fit needs is in sums over rows: the weighted row count, the column
means and the centred co-moments X'X, X'y, y'y. Each row chunk of a dask array is reduced to these
on the cluster (in float64, centred at the chunk's own means), chunks are merged pairwise in a
tree (Chan et al.'s update: C = C_a + C_b + w_a w_b / w (m_b - m_a)(m_b - m_a)'), and only p x p
and p-sized results reach the client, where they become a Gram-kind `Design`: coordinate descent
then runs in the one Cython core and stops on the same duality gap
(||y - Xw||^2 = y'y - 2 w'X'y + w'X'Xw).

Cross-validation never moves data: folds are unions of whole row chunks (`ChunkKFold`), each
fold's statistics are reduced once, and a training fold is the total minus its held-out fold.

Nothing here imports dask at skreg's import time: dask is loaded when a dask array is given.
"""

import numbers
import threading
import warnings

import numpy as np
from scipy import sparse
from scipy.linalg.blas import get_blas_funcs
from sklearn.model_selection import BaseCrossValidator, check_cv
from sklearn.utils import check_random_state

from ._config import get_config
from ._design import Design, centred_sparse_gram, gram_recomputed_message
from ._sklearn_compat import _check_feature_names, _check_n_features


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
    n_chunks = len(X.chunks[0])
    if cv is None or isinstance(cv, numbers.Integral):
        cv = ChunkKFold(5 if cv is None else cv)
    if isinstance(cv, ChunkKFold):
        return list(cv.chunk_split(n_chunks))
    cv = check_cv(cv, y, classifier=False)
    bounds = np.cumsum((0,) + tuple(X.chunks[0]))
    return [(_rows_to_chunks(train, bounds, "training"), _rows_to_chunks(test, bounds, "test"))
            for train, test in cv.split(X, y, groups)]


def split_roles(splits, n):
    """The roles of n units (rows, or chunks of rows) in every split, grouped: (roles, group),
    roles[a, s] holding the TRAIN / TEST bits of group a in split s and group[i] the group of
    unit i. The units of a group are in the same folds: the statistics of the groups build
    every training and test fold."""
    role = np.zeros((n, len(splits)), dtype=np.int8)
    for s, (train, test) in enumerate(splits):
        role[train, s] |= TRAIN
        role[test, s] |= TEST  # (a unit may be in both)
    roles, group = np.unique(role, axis=0, return_inverse=True)
    return roles, group.ravel()


def _atoms(splits, n_chunks):
    """The chunks grouped by their roles (`split_roles`), those in no split left out. Returns
    (atoms as tuples of chunks, per split (training atoms, test atoms))."""
    roles, group = split_roles(splits, n_chunks)
    used = [a for a in range(len(roles)) if roles[a].any()]
    atoms = [tuple(int(c) for c in np.flatnonzero(group == a)) for a in used]
    folds = [([i for i, a in enumerate(used) if roles[a, s] & TRAIN],
              [i for i, a in enumerate(used) if roles[a, s] & TEST]) for s in range(len(splits))]
    return atoms, folds


TRAIN, TEST = 1, 2  # role bits of a row group in a split


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


def _block_stats(X, Y, s=None, dtype=np.float64):
    """Statistics of one row chunk (dense or sparse X), computed in float64 (dense X's
    co-moments in `dtype`: Ridge keeps float32 data in float32)."""
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
        Xw = X if s is None else sparse.diags(np.sqrt(s)) @ X
        Cxx = centred_sparse_gram(Xw, mx, w)
        Cxy = np.asarray(X.T @ (Yc if s is None else Yc * s[:, None]))
        Cyy = np.einsum("ij,ij->j", Yc, Yc) if s is None else s @ (Yc * Yc)
    else:
        X = np.asarray(X)
        mx = (np.add.reduce(X, axis=0, dtype=np.float64) if s is None
              else s @ X.astype(np.float64, copy=False)) / w
        r = None if s is None else np.sqrt(s)
        if r is not None:
            Yc *= r[:, None]
        Cxx, Cxy = centred_products(X, mx, r, Yc, dtype)
        Cyy = np.einsum("ij,ij->j", Yc, Yc)
    return _Stats(n, w, mx, my, Cxx, Cxy, Cyy)


GRAM_BLOCK = 1 << 18  # entries of a block of rows (2 MB in float64: stays in cache)


def centred_products(X, mx, r, Yc, dtype=np.float64):
    """(Xc' Xc, Xc' Yc) for Xc = diag(r) (X - 1 mx') (r = None: no weights), in `dtype`,
    without Xc: summed over blocks of rows centred in a small buffer, one syrk each.

    Exact centring whatever the offsets, and the block stays in cache between its centring
    and its product: 20000 x 500, 72 ms instead of 94 ms for a centred copy and one syrk,
    and no n x p temporary."""
    n, p = X.shape
    rows = max(1, GRAM_BLOCK // max(p, 1))
    # the block in X's order (a contiguous copy); BLAS reads a C-ordered block as its
    # transpose, a Fortran one as it is
    c_order = bool(X.flags.c_contiguous)
    buf = np.empty((min(rows, n), p), dtype=dtype, order="C" if c_order else "F")
    syrk = get_blas_funcs("syrk", (buf,))
    G = np.zeros((p, p), dtype=dtype, order="F")
    Cxy = np.zeros((p, Yc.shape[1]), dtype=np.float64)
    for start in range(0, n, rows):
        block = buf[:min(rows, n - start)]
        np.subtract(X[start:start + rows], mx, out=block, casting="unsafe")
        if r is not None:
            block *= r[start:start + rows, None]
        if c_order:
            G = syrk(1.0, block.T, beta=1.0, c=G, trans=0, lower=0, overwrite_c=1)
        else:
            G = syrk(1.0, block, beta=1.0, c=G, trans=1, lower=0, overwrite_c=1)
        Cxy += block.T @ Yc[start:start + rows]
    return np.triu(G) + np.triu(G, 1).T, Cxy  # (syrk wrote the upper triangle)


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


def merge_all(parts):
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
                found.append(merge_all([_cache["stats"][i] for i in ids]))
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
    merge = dask.delayed(merge_all, pure=True)
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


def rescaled(st, factor):
    """Statistics with every weight multiplied by `factor`."""
    return _Stats(st.n, st.w * factor, st.mx, st.my, st.Cxx * factor, st.Cxy * factor,
                  st.Cyy * factor)


def fold_statistics(X, Y, sample_weight, splits, factor=1.0):
    """(training statistics, held-out statistics) of every split (train chunks, test chunks),
    from one pass over the data; weights multiplied by `factor`."""
    atoms, fold_atoms = _atoms(splits, len(X.chunks[0]))
    atom_stats = [rescaled(st, factor) if factor != 1.0 else st
                  for st in statistics(X, Y, sample_weight, atoms)]
    folds = FoldStatistics(atom_stats)
    return [(folds.training(train_atoms), merge_all([atom_stats[a] for a in test_atoms]))
            for train_atoms, test_atoms in fold_atoms]


class FoldStatistics:
    """The statistics of every split's training rows, from those of disjoint row groups
    `parts` (a split's training set is a set of groups, by index).

    Merging (exact to rounding) is the rule: a training set that is every group but a run of
    consecutive ones (k-fold: all but the held-out group) is one merge of a kept prefix and
    suffix, 3 k merges for k folds. Subtracting the held-out rows from the total would cancel
    where they dwarf the training rows' spread (a held-out outlier of 1e8 in a column of unit
    spread leaves no digit); it serves only other layouts of many groups, and is checked."""

    def __init__(self, parts):
        self.parts = list(parts)
        prefix = [self.parts[0]]
        for part in self.parts[1:]:
            prefix.append(_merge(prefix[-1], part))
        self.prefix, self._suffix = prefix, None
        self.total = prefix[-1]

    def suffix(self, j):
        if self._suffix is None:
            suffix = [self.parts[-1]]
            for part in self.parts[-2::-1]:
                suffix.append(_merge(part, suffix[-1]))
            self._suffix = suffix[::-1]
        return self._suffix[j]

    def training(self, train):
        """Statistics of the union of the groups `train` (indices)."""
        if len(train) == 0:
            raise ValueError("The training rows of a fold have zero total sample weight.")
        k = len(self.parts)
        held = np.setdiff1d(np.arange(k), train)
        if held.size == 0:
            return self.total
        i, j = int(held[0]), int(held[-1]) + 1
        if j - i == held.size:  # every group but the run [i, j)
            if i == 0:
                return self.suffix(j)
            return self.prefix[i - 1] if j == k else _merge(self.prefix[i - 1], self.suffix(j))
        if len(train) <= MERGE_MAX:
            return merge_all([self.parts[a] for a in train])
        st = _remove(self.total, merge_all([self.parts[a] for a in held]))
        kept = np.r_[np.diag(st.Cxx), np.atleast_1d(st.Cyy)]
        whole = np.r_[np.diag(self.total.Cxx), np.atleast_1d(self.total.Cyy)]
        if np.all(kept * 1e4 >= whole):  # at most 4 digits cancelled
            return st
        return merge_all([self.parts[a] for a in train])


MERGE_MAX = 16  # other training sets: merged from up to this many groups, else subtracted


def total_statistics(X, Y, sample_weight, factor=1.0):
    """The statistics of every row."""
    st = statistics(X, Y, sample_weight, [range(len(X.chunks[0]))])[0]
    return rescaled(st, factor) if factor != 1.0 else st


def prepare_folds(X, y, sample_weight, cv, groups=None):
    """Reduce the statistics of the folds of `cv` (one pass), so that the alpha grid, the
    folds and the refit are all served from the cache."""
    splits = chunk_folds(cv, X, y, groups)
    atoms, _ = _atoms(splits, len(X.chunks[0]))
    statistics(X, y2d(y), sample_weight, atoms)
    return splits


# ------------------------------------------------------------------------------------------------
# Validation (lazy), the Gram design, predictions
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


def y2d(y):
    return y if y.ndim == 2 else y[:, None]


def design(X, y, *, fit_intercept=True, sample_weight=None, precompute=None, Xy=None):
    """The Gram `Design` of dask (X, y, sample_weight) from the statistics of all rows, weights
    rescaled to sum to n_samples (Lasso / ElasticNet). `design.Y` is the lazy centred,
    weighted target; a precomputed Gram matrix is used on the same terms as in memory."""
    X, y, sample_weight = check_fit_data(None, X, y, sample_weight)
    Y = y2d(y)
    d = Design.from_statistics(total_statistics(X, Y, sample_weight), fit_intercept=fit_intercept,
                               dtype=X.dtype, Y=Y, sample_weight=sample_weight)
    if precompute is not None and not isinstance(precompute, (str, bool, np.bool_)):
        if (fit_intercept and np.any(d.X_offset != 0)) or sample_weight is not None:
            warnings.warn(gram_recomputed_message(fit_intercept and np.any(d.X_offset != 0)),
                          UserWarning, stacklevel=3)
        else:
            d.use_gram(precompute, Xy)
    return d


def _predict_block(X, coef, intercept):
    out = X @ coef
    if hasattr(out, "todense"):
        out = out.todense()
    return np.asarray(out) + intercept


def predict(est, X):
    """Lazy predictions of a fitted linear model: blockwise X @ coef_.T + intercept_."""
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
