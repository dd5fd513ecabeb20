"""scikit-learn's test_coordinate_descent.py and test_sparse_coordinate_descent.py, read from the
installed scikit-learn, run against skreg's Lasso, ElasticNet, LassoCV, ElasticNetCV, lasso_path
and enet_path (see conftest.py)."""

import sklearn.linear_model

import skreg

from ._cd_harness import SWAPPED, export_tests, load_with_skreg

dense = load_with_skreg("linear_model/tests/test_coordinate_descent.py")
sparse = load_with_skreg("linear_model/tests/test_sparse_coordinate_descent.py")
export_tests(dense, globals())
export_tests(sparse, globals())


def test_suite_runs_skreg_and_leaves_sklearn_alone():
    for module in (dense, sparse):
        for attr in SWAPPED:
            if hasattr(module, attr):
                assert getattr(module, attr) is getattr(skreg, attr), attr
    for attr in SWAPPED:
        assert getattr(sklearn.linear_model, attr) is not getattr(skreg, attr), attr
        assert getattr(sklearn.linear_model, attr).__module__.startswith("sklearn."), attr
