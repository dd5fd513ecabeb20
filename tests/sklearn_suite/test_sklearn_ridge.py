"""scikit-learn's `sklearn/linear_model/tests/test_ridge.py`, run on skreg's Ridge and RidgeCV.

The test functions (and fixtures) are those of the installed scikit-learn, imported with skreg's
estimators in place of scikit-learn's; conftest.py says how, and which tests are deselected.
"""

import sys

import sklearn.linear_model

import skreg

from .conftest import SUBSTITUTES, load_suite

SKLEARN_SUITE = "test_ridge"
_suite = load_suite(SKLEARN_SUITE)

from sklearn.linear_model.tests.test_ridge import *  # noqa: E402, F401, F403


def test_suite_runs_on_skreg():
    """The collected scikit-learn tests see skreg's classes, and only they do: the rest of the
    session keeps scikit-learn's own estimators."""
    assert _suite.Ridge is skreg.Ridge
    assert _suite.RidgeCV is skreg.RidgeCV
    assert _suite.test_ridge_regression.__globals__["Ridge"] is skreg.Ridge
    for name, obj in SUBSTITUTES.items():
        assert getattr(sklearn.linear_model, name) is not obj, name
    # no other scikit-learn module picked up a substitute while the suite was imported
    # (e.g. the estimator checks' per-estimator parameters, keyed by class)
    for mod_name, mod in list(sys.modules.items()):
        if mod_name.startswith("sklearn.") and mod is not _suite:
            for name, obj in SUBSTITUTES.items():
                assert getattr(mod, name, None) is not obj, (mod_name, name)
