"""Run scikit-learn's own test files against skreg's estimators.

The test files are read from the installed scikit-learn (never copied here). Each one is imported
while skreg's estimators stand in for scikit-learn's on the `sklearn.linear_model` module, so the
names the file imports (``from sklearn.linear_model import Ridge, ...``) are skreg's; the module
attributes are restored right after the import, so the rest of the test session still compares
skreg with the real scikit-learn.
"""

import contextlib
import importlib
import os
import sys

import pytest
import sklearn.linear_model

import skreg

# The one place that says which skreg name replaces which scikit-learn name.
SUBSTITUTES = {
    "Ridge": skreg.Ridge,
    "RidgeCV": skreg.RidgeCV,
    "Lasso": skreg.Lasso,
    "ElasticNet": skreg.ElasticNet,
    "LassoCV": skreg.LassoCV,
    "ElasticNetCV": skreg.ElasticNetCV,
    "lasso_path": skreg.lasso_path,
    "enet_path": skreg.enet_path,
}

# scikit-learn test files run here (module under sklearn.linear_model.tests) and whether each is
# switched on. The coordinate-descent file is off until the Lasso / ElasticNet family passes it.
SUITES = {
    "test_ridge": True,
    "test_coordinate_descent": False,
}


@contextlib.contextmanager
def substituted():
    """skreg's estimators on `sklearn.linear_model` inside the block, the originals after."""
    saved = {name: getattr(sklearn.linear_model, name) for name in SUBSTITUTES}
    try:
        for name, obj in SUBSTITUTES.items():
            setattr(sklearn.linear_model, name, obj)
        yield
    finally:
        for name, obj in saved.items():
            setattr(sklearn.linear_model, name, obj)


def load_suite(name):
    """The installed scikit-learn test module `name`, imported with skreg's estimators.

    It is first imported as it is, so that every module it depends on (estimator checks,
    instance generators, ...) is loaded with scikit-learn's own classes; then it alone is
    imported again with skreg's estimators in place."""
    full = f"sklearn.linear_model.tests.{name}"
    importlib.import_module(full)
    del sys.modules[full]
    with substituted():
        return importlib.import_module(full)


def suite_enabled(name):
    return SUITES[name]


# --------------------------------------------------------------------------------------------
# Deselected tests: they test scikit-learn's private helpers or estimators that skreg does not
# provide, not skreg. {suite: {test name: reason}}, grouped by reason.
# --------------------------------------------------------------------------------------------

_PRIVATE = "tests a scikit-learn private helper, not an estimator"
_SKLEARN_ONLY = "tests only RidgeClassifier(CV) / ridge_regression, which skreg does not provide"

DESELECT = {
    "test_ridge": {
        "test_primal_dual_relationship": _PRIVATE,  # _solve_cholesky(_kernel)
        "test_X_CenterStackOp": _PRIVATE,  # _X_CenterStackOp
        "test_compute_gram": _PRIVATE,  # _RidgeGCV._compute_gram
        "test_compute_covariance": _PRIVATE,  # _RidgeGCV._compute_covariance
        "test_check_gcv_mode_choice": _PRIVATE,  # _check_gcv_mode
        "test_lbfgs_solver_consistency": _PRIVATE,  # _solve_lbfgs against _solve_svd
        "test_ridge_regression_convergence_fail": _SKLEARN_ONLY,
        "test_ridge_regression_check_arguments_validity": _SKLEARN_ONLY,
        "test_ridge_regression_dtype_stability": _SKLEARN_ONLY,
        "test_regularization_limits_ridge_classifier_gcv": _SKLEARN_ONLY,
        "test_ridge_classifier_with_scoring": _SKLEARN_ONLY,
        "test_ridge_regression_custom_scoring": _SKLEARN_ONLY,
        "test_ridge_classifier_multilabel_array_api": _SKLEARN_ONLY,
        "test_class_weights": _SKLEARN_ONLY,
        "test_class_weight_vs_sample_weight": _SKLEARN_ONLY,
        "test_class_weights_cv": _SKLEARN_ONLY,
        "test_ridge_classifier_cv_store_cv_results": _SKLEARN_ONLY,
    },
}

# Tests that contradict a documented, deliberate difference (docs/sklearn_differences.md):
# expected to fail, strictly (an unexpected pass is reported).
XFAIL = {
    "test_ridge": {
        "test_ridge_fit_intercept_sparse_sag":
            "skreg's 'sag' (coordinate descent) fits an intercept on sparse X exactly with the "
            "default max_iter: no 'sag solver requires many iterations' warning",
        "test_lbfgs_solver_error":
            "skreg's 'lbfgs' (coordinate descent) solves this orthogonal 2x2 problem exactly in "
            "its first epoch, so max_iter=1 raises no ConvergenceWarning",
    },
}


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        suite = getattr(getattr(item, "module", None), "SKLEARN_SUITE", None)
        name = getattr(item, "originalname", item.name)
        if suite is not None and name in DESELECT.get(suite, {}):
            drop.append(item)
            continue
        if suite is not None and name in XFAIL.get(suite, {}):
            item.add_marker(pytest.mark.xfail(reason=XFAIL[suite][name], strict=True))
        keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_generate_tests(metafunc):
    """scikit-learn's `global_random_seed` fixture: seed 42 unless
    SKLEARN_TESTS_GLOBAL_RANDOM_SEED gives one seed, a range 'a-b' or 'all'."""
    if "global_random_seed" not in metafunc.fixturenames:
        return
    value = os.environ.get("SKLEARN_TESTS_GLOBAL_RANDOM_SEED")
    if value is None:
        seeds = [42]
    elif value == "all":
        seeds = list(range(100))
    elif "-" in value:
        lo, hi = value.split("-")
        seeds = list(range(int(lo), int(hi) + 1))
    else:
        seeds = [int(value)]
    metafunc.parametrize("global_random_seed", seeds)
