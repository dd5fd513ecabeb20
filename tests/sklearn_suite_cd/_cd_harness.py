"""Loading scikit-learn's coordinate-descent test modules with skreg's estimators swapped in.

scikit-learn's test modules are read from the installed scikit-learn (never copied): while one is
imported, `sklearn.linear_model` exposes skreg's Lasso, ElasticNet, LassoCV, ElasticNetCV,
lasso_path and enet_path, so the names the module imports are skreg's; then
`sklearn.linear_model` gets its own attributes back, so the rest of the test session (skreg's
parity tests among them) compares against the real scikit-learn. The multi-task estimators stay
scikit-learn's (skreg has none yet).
"""

import importlib.util
import pathlib

import sklearn
import sklearn.linear_model

import skreg

SWAPPED = ("Lasso", "ElasticNet", "LassoCV", "ElasticNetCV", "lasso_path", "enet_path")


def load_with_skreg(relative_path):
    """Import scikit-learn's test module at `relative_path` (under the installed package)
    under a private name, with skreg's estimators on `sklearn.linear_model` meanwhile."""
    path = pathlib.Path(sklearn.__file__).parent / relative_path
    name = "skreg_sklearn_suite_cd." + path.stem
    saved = {attr: getattr(sklearn.linear_model, attr) for attr in SWAPPED}
    try:
        for attr in SWAPPED:
            setattr(sklearn.linear_model, attr, getattr(skreg, attr))
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        for attr, value in saved.items():
            setattr(sklearn.linear_model, attr, value)
    return module


def export_tests(module, namespace):
    """Make `module`'s tests (functions and fixtures) collectable from `namespace`."""
    for attr, value in vars(module).items():
        if attr.startswith("test_") or hasattr(value, "_fixture_function_marker") or (
                type(value).__name__ == "FixtureFunctionDefinition"):
            namespace[attr] = value
