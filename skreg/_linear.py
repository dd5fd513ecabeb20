"""What every fitted skreg linear model shares: prediction, sparse coefficients, and cheap
parameter validation."""

import functools

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _dask_data


# The fitted-feature attributes every estimator documents (numpydoc Attributes entries).
FEATURES_IN_DOC = """    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names."""


class LinearPredictorMixin:
    """predict / sparse_coef_ for fitted linear models with coef_ and intercept_."""

    @classmethod
    def _get_param_names(cls):
        # BaseEstimator reads __init__'s signature on every get_params (each fit validates the
        # parameters, each clone copies them); for a class the answer never changes.
        return _param_names(cls)

    def _validate_params(self):
        # The same parameter values pass or fail the same way, and walking the constraints
        # costs more than the solver on a small problem: remember the combinations that passed
        # (hashable values only; the type is part of the key so that True is not 1).
        params = self.get_params(deep=False)
        try:
            key = (type(self),) + tuple((k, type(v), v) for k, v in sorted(params.items()))
            hash(key)
        except TypeError:
            key = None
        if key is not None and key in _VALIDATED:
            return
        super()._validate_params()
        if key is not None:
            if len(_VALIDATED) > 4096:
                _VALIDATED.clear()
            _VALIDATED.add(key)

    def predict(self, X):
        """Predict using the linear model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Predicted values.
        """
        check_is_fitted(self)
        if _dask_data.is_dask(X):  # a lazy dask array, computed blockwise
            return _dask_data.predict(self, X)
        X = validate_data(self, X, accept_sparse=["csr", "csc", "coo"], reset=False,
                          dtype=[np.float64, np.float32])
        out = X @ np.asarray(self.coef_).T
        return np.asarray(out) + self.intercept_

    @property
    def sparse_coef_(self):
        """Sparse representation of the fitted `coef_` (a 1 x n_features CSR matrix)."""
        return sparse.csr_matrix(np.atleast_2d(self.coef_))


_VALIDATED = set()


@functools.cache
def _param_names(cls):
    return BaseEstimator._get_param_names.__func__(cls)
