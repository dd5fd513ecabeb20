"""The data in the form the coordinate-descent kernels consume.

`Design` turns validated (X, y, sample_weight) into a centred and weighted dense X, a CSC matrix
centred implicitly, or a Gram matrix, once per fit, path or CV fold, and is reused for every
alpha. `Design.from_statistics` builds the Gram form from sufficient statistics (the dask path).
This module also holds the one computation of alpha_max and of the intercept.
"""

import functools
import warnings

import numpy as np
from scipy import sparse
from sklearn.utils import assert_all_finite, check_array
from sklearn.utils.sparsefuncs import mean_variance_axis

from . import _cd_fast

# Above this many rows per feature the Gram matrix (p x p) is cheaper than the data (n x p):
# each coordinate move then costs p instead of n.
GRAM_MIN_RATIO = 2

# Below this, alpha_max is zero for practical purposes (y orthogonal to every column).
TINY_ALPHA = np.finfo(np.float64).resolution

# Sparse X is centred implicitly: the kernels correlate the stored (uncentred) column with the
# residual and subtract mean_j times the residual's sum. When a column's mean is large against
# its spread the two terms nearly cancel, and the error of that difference grows with the
# square of the ratio: in float32, 3 keeps explicit centring's accuracy, 10 loses two digits
# and a constant column gets spurious correlations. Above it the design is float64.
SPARSE_FLOAT32_MEAN_RATIO = 3.0


def check_gram(gram, n_features, dtype, X=None):
    """A user-supplied Gram matrix: right shape, finite, symmetric and, when X is given, equal
    to X.T @ X on one column (a cheap O(n p) test that catches a Gram of other data)."""
    gram = check_array(gram, dtype=dtype, order="C", ensure_2d=True)
    if gram.shape != (n_features, n_features):
        raise ValueError(
            f"The precomputed Gram matrix has shape {gram.shape}, expected "
            f"({n_features}, {n_features}) = (n_features, n_features)."
        )
    tol = 1e-4 if dtype == np.float32 else 1e-8
    scale = max(np.abs(gram).max(), 1.0)
    if not np.allclose(gram, gram.T, rtol=0, atol=tol * scale):
        raise ValueError("The precomputed Gram matrix is not symmetric.")
    if X is not None and n_features > 0:
        j = int(np.argmax(np.diag(gram)))
        col = X[:, [j]]
        expected = np.asarray(X.T @ (col.toarray() if sparse.issparse(col) else col)).ravel()
        if not np.allclose(gram[:, j], expected, rtol=100 * tol, atol=tol * scale):
            raise ValueError(
                "Gram matrix passed in via 'precompute' did not pass validation: it does not "
                f"match X.T @ X (checked on column {j}); pass precompute=True to let skreg "
                "compute it.")
    return gram


def gram_recomputed_message(centred):
    """The warning when a given Gram matrix cannot serve (scikit-learn's wording when X was
    centred)."""
    if centred:
        return ("Gram matrix was provided but X was centered to fit intercept: recomputing "
                "Gram matrix.")
    return ("Gram matrix was provided but X was rescaled by sample weights: recomputing Gram "
            "matrix.")


def centred_sparse_gram(Xw, mean=None, vv=0.0):
    """(Xw - v mean')' (Xw - v mean') of a sparse Xw whose rows are weighted by v = sqrt(s),
    dense, without densifying X. With mean the weighted column means, Xw'v = vv * mean, so
    this is Xw'Xw - vv * mean mean'."""
    G = (Xw.T @ Xw).toarray()
    if mean is not None:
        G -= vv * np.outer(mean, mean)
    return G


def alpha_max_from_correlations(C, n_samples, l1_ratio, *, positive=False,
                                penalty_factor=None, lower_bounds=None, upper_bounds=None):
    """The smallest alpha at which every penalized coefficient is 0, from the correlations
    C = X~'y~ (n_features[, n_targets]) of the centred weighted data (the max over targets).

    Feature j leaves 0 once n alpha l1_ratio pf_j < C_j (if its box lets it rise) or < -C_j (if
    it can fall); features with a zero or infinite penalty factor do not count."""
    C = np.asarray(C, dtype=np.float64)
    if C.size == 0:
        return 0.0
    C = C.reshape(C.shape[0], -1)
    p = C.shape[0]
    if upper_bounds is None and lower_bounds is None and penalty_factor is None:
        # scikit-learn's problem (every feature can leave 0 both ways unless positive): the
        # same maximum as below without building the masks
        g = np.maximum(C, 0.0) if positive else np.maximum(C, -C)
        return float(g.max()) / (n_samples * l1_ratio)
    up = np.ones(p, bool) if upper_bounds is None else np.asarray(upper_bounds) > 0
    down = np.full(p, not positive) if lower_bounds is None else (
        (np.asarray(lower_bounds) < 0) & (not positive))
    g = np.maximum(np.where(up[:, None], C, 0.0), np.where(down[:, None], -C, 0.0)).max(axis=1)
    if penalty_factor is None:
        return float(g.max()) / (n_samples * l1_ratio)
    pf = np.asarray(penalty_factor, dtype=np.float64)
    usable = (pf > 0) & np.isfinite(pf)
    if not np.any(usable):
        return 0.0
    return float(np.max(g[usable] / pf[usable])) / (n_samples * l1_ratio)


def data_correlations(X, y, sample_weight=None, fit_intercept=True):
    """X~'y~ of the centred weighted data computed from X as given (no centred copy of X):
    X'(s * yc) - mean_x * sum(s * yc). Returns (C of shape (p, n_targets), n_samples), n being
    the sum of the weights (what alpha_max divides by)."""
    y = np.asarray(y, dtype=np.float64)
    y2 = y.reshape(y.shape[0], -1)
    yc = y2 - np.average(y2, axis=0, weights=sample_weight) if fit_intercept else y2
    yw = yc if sample_weight is None else yc * np.asarray(sample_weight)[:, None]
    C = np.asarray(X.T @ yw, dtype=np.float64).reshape(X.shape[1], -1)
    if fit_intercept:  # sum_i s_i (x_i - x_mean) yc_i = X' (s yc) - x_mean sum(s yc)
        if sparse.issparse(X):
            X_mean = mean_variance_axis(X, axis=0, weights=sample_weight)[0]
        else:
            X_mean = np.average(X, axis=0, weights=sample_weight)
        C -= np.outer(np.asarray(X_mean, dtype=np.float64), yw.sum(axis=0))
    n = X.shape[0] if sample_weight is None else float(np.sum(sample_weight))
    return C, n


class Design:
    """The (centred, weighted) data in the form the kernels consume, for one or more targets.

    Attributes: kind ('dense' | 'sparse' | 'gram'), n_samples, n_features, dtype (the
    kernels'), result_dtype (X's, that of the coefficients returned), fit_intercept, X_offset,
    y_offset (per target), Y (centred weighted targets, one column each), yy (their squared
    norms), norms2 (squared norms of the centred weighted columns); dense: X; sparse: data,
    indices, indptr, mean, v, center; gram: Q, XtY.
    ``options_problem`` holds the last glmnet-style options applied to it (see
    `skreg._penalty_options.options_problem`), None until then.
    """

    options_problem = None

    def __init__(self, X, y, *, fit_intercept=True, sample_weight=None, precompute=False,
                 copy_X=True, Xy=None, fortran=True, finite_by_gram=False):
        # fortran=False keeps dense X (or its centred copy) in the order it comes in: for
        # callers that read it only through BLAS products, never through the kernels.
        # finite_by_gram: X was validated without its NaN / infinity check, left to the Gram
        # matrix computed here (see `computes_gram`)
        n, p = X.shape
        X_in = X
        self.n_samples, self.n_features = n, p
        self.is_sparse = sparse.issparse(X)
        sparse_moments = None
        if self.is_sparse and fit_intercept:
            sparse_moments = mean_variance_axis(X, axis=0, weights=sample_weight)
            if X.dtype == np.float32 and _centring_cancels(*sparse_moments):
                X = X.astype(np.float64)
                if sample_weight is not None:
                    sample_weight = np.asarray(sample_weight, dtype=np.float64)
                sparse_moments = mean_variance_axis(X, axis=0, weights=sample_weight)
        # the kernels' dtype: X's, except float32 sparse X promoted above; results are
        # returned in X's (result_dtype)
        self.dtype, self.result_dtype = X.dtype, X_in.dtype
        y = np.asarray(y, dtype=X.dtype)
        if y.ndim == 1:
            y = y[:, None]
        sw = sample_weight
        sqrt_sw = None if sw is None else np.sqrt(sw).astype(X.dtype)
        # kept for the glmnet-style options (standardization needs the weighted column means)
        self.fit_intercept, self.sqrt_sw, self.X_mean = bool(fit_intercept), sqrt_sw, None

        if fit_intercept:
            if self.is_sparse:
                X_offset = np.asarray(sparse_moments[0], dtype=X.dtype)
            else:
                X_offset = _column_means(X, sw)
            y_offset = _column_means(y, sw)
        else:
            X_offset = np.zeros(p, dtype=X.dtype)
            y_offset = np.zeros(y.shape[1], dtype=X.dtype)
        self.X_offset, self.y_offset = X_offset, y_offset

        yc = y - y_offset if fit_intercept else y
        if sqrt_sw is not None:
            yc = yc * sqrt_sw[:, None]
        self.Y = np.asfortranarray(yc, dtype=X.dtype)
        self.yy = np.einsum("ij,ij->j", self.Y, self.Y).astype(np.float64)

        gram = self._wanted_gram(precompute, n, p)
        if isinstance(gram, np.ndarray):
            if (fit_intercept and not np.allclose(X_offset, 0)) or sw is not None:
                warnings.warn(gram_recomputed_message(
                    fit_intercept and not np.allclose(X_offset, 0)), UserWarning)
                gram = True
            else:
                self.Q = check_gram(gram, p, X.dtype, X)
                gram = "given"

        if self.is_sparse:
            X = sparse.csc_matrix(X) if not X.format == "csc" else X
            if not X.has_canonical_format:
                X = X.copy()
                X.sum_duplicates()
            X.sort_indices()
            data = X.data
            if sqrt_sw is not None:
                # rows scaled by sqrt(sw): scale each stored entry by its row's weight
                data = data * sqrt_sw[X.indices]
            self.data = np.ascontiguousarray(data, dtype=X.dtype)
            self.indices, self.indptr = _index_arrays(X)
            self.v = sqrt_sw if sqrt_sw is not None else np.ones(n, dtype=X.dtype)
            self.center = bool(fit_intercept)
            self.mean = X_offset if fit_intercept else np.zeros(p, dtype=X.dtype)
            sq, xv = _cd_fast.csc_column_stats(self.data, self.indices, self.indptr, self.v)
            if self.center:
                sq = sq - 2 * self.mean * xv + self.mean**2 * float(self.v @ self.v)
            self.norms2 = np.maximum(sq, 0).astype(X.dtype)
            if gram is True:
                G = centred_sparse_gram(self._Xw, self.mean if self.center else None,
                                        float(self.v @ self.v))
                self.Q = np.ascontiguousarray(G, dtype=X.dtype)
        else:
            # The kernels read columns (Fortran order); a Gram matrix or BLAS products take
            # either order, so X is converted only for the kernels, and in the same pass as
            # its centring: a C-ordered X is transposed once, not copied twice.
            order = "F" if fortran and not gram else "K"
            if type(X) is not np.ndarray:  # (a subclass, e.g. a masked array: its data)
                X = np.asarray(X)
            if fit_intercept or sqrt_sw is not None:
                Xc = np.empty_like(X, order=order)
                if fit_intercept:
                    np.subtract(X, X_offset, out=Xc)
                    if sqrt_sw is not None:
                        Xc *= sqrt_sw[:, None]
                else:
                    np.multiply(X, sqrt_sw[:, None], out=Xc)
                X = Xc
            elif order == "F" and not X.flags.f_contiguous:
                X = np.asfortranarray(X)
            self.X = X
            if gram is True:
                # numpy computes X.T @ X with one syrk (half a product); the column norms
                # are its diagonal, below
                self.Q = np.ascontiguousarray(X.T @ X, dtype=X.dtype)
            # dense without a Gram matrix: norms2 is computed when first read (below)

        self.kind = "gram" if gram else ("sparse" if self.is_sparse else "dense")
        if self.kind == "gram":
            if Xy is not None and gram == "given":
                Xy = check_array(Xy, dtype=X.dtype, ensure_2d=False, input_name="Xy")
                if Xy.size != p * self.Y.shape[1] or Xy.ndim > 2 or Xy.shape[0] != p:
                    raise ValueError(
                        f"Xy has shape {Xy.shape}, expected ({p},) = (n_features,) or "
                        f"({p}, {self.Y.shape[1]}) = (n_features, n_targets).")
                self.XtY = np.asfortranarray(Xy.reshape(p, -1))
            else:
                self.XtY = np.asfortranarray(self.correlations(self.Y))
            self.norms2 = self.Q.diagonal().astype(X.dtype)  # a contiguous copy
        if finite_by_gram:
            self._check_finite(X_in, y)
        if not np.isfinite(self.yy).all():  # (y itself was checked: its squares overflow)
            raise ValueError(
                f"y has values too large: its squared norm overflows {self.dtype}. Scale it "
                "(e.g. y / y.std()); the coefficients scale with it.")

    @staticmethod
    def computes_gram(precompute, n, p):
        """Whether a design of dense (n, p) X computes its Gram matrix itself."""
        gram = Design._wanted_gram(precompute, n, p)
        return not isinstance(gram, np.ndarray) and bool(gram)

    def _check_finite(self, X, y):
        # A NaN or infinity in column j of X (centred or weighted) leaves Q[j, j] non-finite,
        # one in y leaves its squared norm non-finite; finite values whose squares overflow
        # do too, and get their own message. X first, then y: scikit-learn's order.
        x_finite = bool(np.isfinite(self.norms2).all())
        if not x_finite:
            assert_all_finite(X, input_name="")  # the message of check_array without a name
        if not np.isfinite(self.yy).all():
            assert_all_finite(y, input_name="")
        product = None if x_finite else "X.T @ X"
        if product is None and not np.isfinite(self.XtY).all():
            product = "X.T @ y"
        if product is not None:
            raise ValueError(
                f"{product} overflows {X.dtype}: X or y has values too large. Scale them "
                "(e.g. the features with StandardScaler).")

    @classmethod
    def from_statistics(cls, st, *, fit_intercept, dtype, rescale=True, Y=None,
                        sample_weight=None):
        """The Gram design of sufficient statistics `st` (attributes n, w, mx, my, Cxx, Cxy,
        Cyy: rows, weight sum, weighted means, co-moments centred at those means).

        rescale: weights rescaled to sum to n_samples (Lasso / ElasticNet); else as given
        (Ridge). `Y` (a lazy array of the targets, with `sample_weight`) becomes the centred
        weighted target `design.Y`: only its shape is read by the solvers."""
        if not st.w > 0:
            raise ValueError("sample_weight must have at least one positive entry; all "
                             "weights are zero.")
        Cxx, Cxy, Cyy = st.Cxx, st.Cxy, st.Cyy
        if fit_intercept:
            X_offset, y_offset = st.mx, st.my
        else:  # moments about zero
            Cxx = Cxx + st.w * np.outer(st.mx, st.mx)
            Cxy = Cxy + st.w * np.outer(st.mx, st.my)
            Cyy = Cyy + st.w * st.my**2
            X_offset, y_offset = np.zeros_like(st.mx), np.zeros_like(st.my)
        scale = st.n / st.w if rescale else 1.0
        self = cls.__new__(cls)
        self.kind, self.is_sparse = "gram", False
        self.n_samples, self.n_features = st.n, Cxx.shape[0]
        self.dtype = self.result_dtype = np.dtype(dtype)
        self.X_offset = X_offset.astype(dtype)
        self.y_offset = y_offset.astype(dtype)
        self.Q = np.ascontiguousarray(scale * Cxx, dtype=dtype)
        self.XtY = np.asfortranarray(scale * Cxy, dtype=dtype)
        self.yy = np.asarray(scale * Cyy, dtype=np.float64)
        self.norms2 = np.ascontiguousarray(np.diag(self.Q))
        # what the glmnet-style options read (standardization): centring and the weighted mean
        self.fit_intercept, self.X_mean, self.sqrt_sw = bool(fit_intercept), st.mx, None
        self.Y = None
        if Y is not None:
            Yc = Y - y_offset if fit_intercept else Y
            if sample_weight is not None:
                Yc = Yc * (scale * sample_weight[:, None]) ** 0.5
            self.Y = Yc.astype(dtype)
        return self

    def use_gram(self, gram, Xy=None):
        """Replace the Gram matrix (and X'y) by user-supplied ones (statistics designs)."""
        self.Q = check_gram(gram, self.n_features, self.dtype)
        self.norms2 = np.ascontiguousarray(np.diag(self.Q))
        if Xy is not None:
            self.XtY = np.asfortranarray(
                np.asarray(Xy, dtype=self.dtype).reshape(self.n_features, -1))

    @property
    def n_targets(self):
        return self.XtY.shape[1] if self.Y is None else self.Y.shape[1]

    @functools.cached_property
    def norms2(self):
        """Squared norms of the centred weighted columns of dense X, computed when first
        read (the direct Ridge solvers never read them); the other kinds set them."""
        return np.einsum("ij,ij->j", self.X, self.X).astype(self.X.dtype)

    @functools.cached_property
    def _Xw(self):
        """The weighted CSC matrix as scipy sees it (for products outside the kernels)."""
        return sparse.csc_matrix((self.data, self.indices, self.indptr),
                                 shape=(self.n_samples, self.n_features))

    @staticmethod
    def _wanted_gram(precompute, n, p):
        if isinstance(precompute, str):  # 'auto'
            return n >= GRAM_MIN_RATIO * p
        if isinstance(precompute, (bool, np.bool_)):
            return bool(precompute)
        if precompute is None:
            return False
        return np.asarray(precompute)

    def correlations(self, Y):
        """X~.T @ Y for the centred weighted design (Y already centred and weighted)."""
        if self.is_sparse:
            C = np.asarray(self._Xw.T @ Y)
            if self.center:
                C = C - np.outer(self.mean, self.v @ Y)
            return C.astype(self.dtype, copy=False)
        return self.X.T @ Y

    def target_correlations(self):
        """X~'y~ for every target (n_features, n_targets)."""
        return self.XtY if self.kind == "gram" else self.correlations(self.Y)

    def alpha_max(self, l1_ratio, positive=False, penalty_factor=None):
        """Smallest alpha for which all coefficients are 0 (the max over targets)."""
        return alpha_max_from_correlations(self.target_correlations(), self.n_samples,
                                           l1_ratio, positive=positive,
                                           penalty_factor=penalty_factor)

    def intercept(self, coef):
        """Intercepts of the original problem from coefficients of the centred one: coef of
        shape (n_targets, p) gives (n_targets,), a path (n_targets, p, n_alphas) gives
        (n_targets, n_alphas); zeros without an intercept."""
        coef = np.asarray(coef)
        if coef.ndim == 3:
            if not self.fit_intercept:
                return np.zeros((coef.shape[0], coef.shape[2]), dtype=self.dtype)
            return self.y_offset[:, None] - np.einsum("j,kja->ka", self.X_offset, coef)
        if not self.fit_intercept:
            return np.zeros(coef.shape[0], dtype=self.dtype)
        return self.y_offset - coef @ self.X_offset


def _column_means(A, sw):
    """np.average(A, axis=0, weights=sw) accumulated in float64, returned in A's dtype,
    without its checks (this runs once per fit).

    float64 accumulation: a C-ordered A is summed row after row, not pairwise down each
    column, and float32 sums of 1e5 rows of mean 1e4 would be off by more than their spread."""
    if sw is None:
        return (np.add.reduce(A, axis=0, dtype=np.float64) / A.shape[0]).astype(A.dtype)
    if A.dtype == np.float64:  # one matrix-vector product: no (n, p) temporary
        total = np.asarray(sw, dtype=np.float64) @ A
    else:
        total = np.multiply(A, sw[:, None], dtype=np.float64).sum(axis=0)
    return (total / sw.sum(dtype=np.float64)).astype(A.dtype)


def _centring_cancels(mean, var):
    """Whether implicit centring of a float32 sparse X would lose digits to cancellation
    (see SPARSE_FLOAT32_MEAN_RATIO); a constant non-zero column always does."""
    mean = np.asarray(mean, dtype=np.float64)
    return bool(np.any(mean * mean > SPARSE_FLOAT32_MEAN_RATIO**2 * np.asarray(var)))


def _index_arrays(X):
    """CSC index arrays as int32 when they fit (smaller, faster), int64 otherwise."""
    indices, indptr = X.indices, X.indptr
    if indptr[-1] < np.iinfo(np.int32).max and X.shape[0] < np.iinfo(np.int32).max:
        return (np.ascontiguousarray(indices, dtype=np.int32),
                np.ascontiguousarray(indptr, dtype=np.int32))
    return (np.ascontiguousarray(indices, dtype=np.int64),
            np.ascontiguousarray(indptr, dtype=np.int64))


def support_columns(design, S):
    """The columns S of the design's centred, weighted X, dense, in float64 (a support small
    enough for exact steps)."""
    if design.kind == "dense":
        return np.asarray(design.X[:, S], dtype=np.float64)
    XS = np.zeros((design.Y.shape[0], len(S)))
    for a, j in enumerate(S):
        start, stop = design.indptr[j], design.indptr[j + 1]
        XS[design.indices[start:stop], a] = design.data[start:stop]
        if design.center:
            XS[:, a] -= design.mean[j] * design.v
    return XS

