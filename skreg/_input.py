"""Fit data as the estimators take it: validation, sample weights, and the `Design` built from it
(in memory, or from the statistics of a dask array)."""

import numbers

import numpy as np
from scipy import sparse
from sklearn.utils import assert_all_finite, check_array
from sklearn.utils.validation import validate_data

from . import _dask_data
from ._design import Design
from ._sklearn_compat import _check_sample_weight


def is_scalar_weight(sample_weight):
    """None or a number: uniform weights, the same problem as no weights."""
    return sample_weight is None or isinstance(sample_weight, numbers.Number)


def rescale_sample_weight(sample_weight, n_samples):
    """Weights rescaled to sum to n_samples (the objective is invariant; alpha keeps its
    meaning), as scikit-learn's elastic net does."""
    if sample_weight is None:
        return None
    return sample_weight * (n_samples / sample_weight.sum())


def check_enet_sample_weight(sample_weight, X):
    """Sample weights of the elastic-net family: None for none or a scalar, otherwise
    validated, non-negative, not all zero and rescaled to sum to n_samples."""
    if is_scalar_weight(sample_weight):
        return None
    sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype, ensure_non_negative=True)
    if not np.any(sample_weight > 0):
        raise ValueError("sample_weight must have at least one positive entry; "
                         "all weights are zero.")
    return rescale_sample_weight(sample_weight, X.shape[0])


def check_dense_targets(y):
    """One clear error for sparse targets (the models take a dense y)."""
    if sparse.issparse(y):
        raise TypeError("Sparse data was passed for y, but dense data is required. Use "
                        "'.toarray()' to convert to a dense numpy array.")


def validate_fit_data(est, X, y, sample_weight, *, copy=False, multi_output=True):
    """Validate X, y, sample_weight the way scikit-learn's linear models do (dask arrays
    lazily: their weights are rescaled by the statistics design)."""
    check_dense_targets(y)
    if _dask_data.is_dask(X):
        return _dask_data.check_fit_data(est, X, y, sample_weight, multi_output=multi_output)
    # X keeps its memory order: the `Design` makes the kernels' Fortran-ordered copy itself,
    # fused with the centring, and a Gram design needs none.
    X, y = validate_data(
        est, X, y, accept_sparse="csc", dtype=[np.float64, np.float32],
        copy=copy, multi_output=multi_output, y_numeric=True, accept_large_sparse=True,
    )
    y = np.asarray(y, dtype=X.dtype, order="F")  # validated above; only X's dtype is new
    return X, y, check_enet_sample_weight(sample_weight, X)


def validate_path_data(X, y, sample_weight, check_input=True, precompute=False):
    """The path functions' validation (no estimator to record feature names on). With
    check_input=False, X and y are trusted only when the kernels can take them as they are.

    Returns X, y, sample_weight and whether X's NaN / infinity check is left to its Gram
    matrix (`make_design(..., finite_by_gram=True)`): for dense X whose Gram matrix the
    design computes, a non-finite entry makes its column's diagonal entry non-finite, so the
    check costs p reads there instead of a pass over X."""
    check_dense_targets(y)
    if _dask_data.is_dask(X):
        return (*_dask_data.check_fit_data(None, X, y, sample_weight), False)
    finite_by_gram = False
    if check_input or not _kernel_ready(X, y):
        finite_by_gram = (isinstance(X, np.ndarray) and X.ndim == 2
                          and X.dtype in (np.float32, np.float64)
                          and Design.computes_gram(precompute, *X.shape))
        X = check_array(X, accept_sparse="csc", dtype=[np.float64, np.float32],
                        copy=False, accept_large_sparse=True,
                        ensure_all_finite=not finite_by_gram)
        # (y's NaN / infinity check goes with X's: its squared norm, which the design computes,
        # is not finite exactly when y is not; the same message either way)
        y = check_array(y, dtype=X.dtype.type, order="F", copy=False, ensure_2d=False,
                        ensure_all_finite=not finite_by_gram)
    try:
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"X and y have inconsistent numbers of samples: {X.shape[0]} and {y.shape[0]}.")
        if sample_weight is not None:
            sample_weight = check_enet_sample_weight(sample_weight, X)
    except ValueError:
        if finite_by_gram:  # scikit-learn reports a NaN / infinity first
            assert_all_finite(X, input_name="")
            assert_all_finite(y, input_name="")
        raise
    return X, y, sample_weight, finite_by_gram


def _kernel_ready(X, y):
    if not (sparse.issparse(X) or isinstance(X, np.ndarray)) or not isinstance(y, np.ndarray):
        return False
    return X.dtype in (np.float32, np.float64) and y.dtype.kind == "f" and X.ndim == 2


def make_design(X, y, *, fit_intercept=True, sample_weight=None, precompute=False,
                copy_X=True, Xy=None, finite_by_gram=False):
    """The `Design` of validated data: from the data in memory, or from the statistics of a
    dask array (weights rescaled there)."""
    if _dask_data.is_dask(X):
        return _dask_data.design(X, y, fit_intercept=fit_intercept, sample_weight=sample_weight,
                                 precompute=precompute, Xy=Xy)
    return Design(X, y, fit_intercept=fit_intercept, sample_weight=sample_weight,
                  precompute=precompute, copy_X=copy_X, Xy=Xy, finite_by_gram=finite_by_gram)
