"""scikit-learn's estimator checks over skreg's LogisticRegression (L2, elastic net, L1)."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skreg import LogisticRegression

ESTIMATORS = [
    LogisticRegression(),
    LogisticRegression(l1_ratio=0.5),
    LogisticRegression(l1_ratio=1.0),
    LogisticRegression(l1_ratio=1.0, fit_intercept=False, C=0.5),
    LogisticRegression(l1_ratio=0.5, class_weight="balanced", tol=1e-8, max_iter=1000),
]




def expected_failed(estimator):
    """Checks the problem itself fails (not the solver), with the reason."""
    if not estimator.fit_intercept:
        # without an intercept, class weights {0: 1000, others: 1e-4} on blobs centred away
        # from the origin cannot give class 0 the required 87% of the test predictions: the
        # exact optimum (checked against its duality gap) predicts 52% / 64%
        return {"check_class_weight_classifiers": "no intercept: the optimum misses 87%"}
    return {}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed, xfail_strict=True)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
