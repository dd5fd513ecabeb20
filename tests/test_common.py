"""scikit-learn's estimator checks over skreg's Lasso and ElasticNet, several settings each."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skreg import ElasticNet, Lasso

# float32-friendly: tol small enough that float32 and float64 fits agree to check tolerances,
# max_iter generous so that no check trips a ConvergenceWarning-as-error.
ESTIMATORS = [
    Lasso(),
    Lasso(positive=True),
    Lasso(selection="random", random_state=0),
    Lasso(precompute=True),
    Lasso(fit_intercept=False),
    Lasso(alpha=1e-3, max_iter=10_000),
    Lasso(alpha=0.1, tol=1e-6, max_iter=5_000),
    ElasticNet(),
    ElasticNet(positive=True),
    ElasticNet(selection="random", random_state=42),
    ElasticNet(precompute=True),
    ElasticNet(l1_ratio=0.1),
    ElasticNet(fit_intercept=False),
    ElasticNet(alpha=1e-3, l1_ratio=0.7, max_iter=10_000),
    ElasticNet(alpha=0.1, l1_ratio=0.5, tol=1e-6, max_iter=5_000),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
