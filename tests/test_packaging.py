"""Packaging and version support: one version, one module for scikit-learn's private names, and
the compatibility layer on the scikit-learn version installed."""

import ast
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest
import scipy
import sklearn
from sklearn.datasets import load_diabetes
from sklearn.model_selection import GridSearchCV, KFold

import skreg
from skreg import Lasso, LassoCV, PathSearchCV, Ridge, _sklearn_compat

ROOT = Path(__file__).resolve().parent.parent
SKREG = ROOT / "skreg"
needs_pyproject = pytest.mark.skipif(not (ROOT / "pyproject.toml").exists(),
                                     reason="needs pyproject.toml beside tests/")
needs_source = pytest.mark.skipif(not (SKREG / "_sklearn_compat.py").exists(),
                                  reason="needs the source tree (skreg/ beside tests/)")


def _version(text):
    return tuple(int(p) for p in re.findall(r"\d+", text)[:2])


@needs_source
def test_private_sklearn_names_only_in_the_compat_module():
    """Every `sklearn.*._module` import and every `_name` imported from scikit-learn is in
    skreg/_sklearn_compat.py, so a scikit-learn release that moves one breaks one file."""
    offenders = []
    for path in sorted(SKREG.glob("*.py")):
        if path.name == "_sklearn_compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sklearn"):
                private_module = any(part.startswith("_") for part in node.module.split("."))
                private_names = [a.name for a in node.names if a.name.startswith("_")]
                if private_module or private_names:
                    offenders.append(f"{path.name}:{node.lineno} from {node.module} import "
                                     + ", ".join(a.name for a in node.names))
            elif isinstance(node, ast.Import):
                offenders += [f"{path.name}:{node.lineno} import {a.name}" for a in node.names
                              if a.name.startswith("sklearn") and "._" in a.name]
    assert not offenders, "\n".join(offenders)


@needs_pyproject
def test_version_has_one_source():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in meta["project"]["dynamic"]
    assert "version" not in meta["project"]
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "skreg.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+|rc\d+)?", skreg.__version__)


@needs_pyproject
def test_installed_versions_meet_the_declared_floors():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    floors = dict(re.fullmatch(r"([\w.-]+)>=([\d.]+)", dep).groups()
                  for dep in meta["project"]["dependencies"])
    assert set(floors) == {"numpy", "scipy", "scikit-learn", "skops"}
    import skops

    for module, name in [(np, "numpy"), (scipy, "scipy"), (sklearn, "scikit-learn"),
                         (skops, "skops")]:
        assert _version(module.__version__) >= _version(floors[name]), name
    assert _sklearn_compat.SKLEARN_VERSION >= _version(floors["scikit-learn"])


def test_callback_context_without_callbacks_is_inert():
    ctx = _sklearn_compat._NoCallbackContext()
    assert ctx.subcontext(task_name="x").call_on_fit_task_begin(estimator=None) is ctx
    assert ctx.call_on_fit_task_end(estimator=None) is None
    with ctx.propagate_callback_context(Lasso()):
        pass
    # An estimator without scikit-learn's callback support gets the inert context.
    assert isinstance(_sklearn_compat.init_callback_context(object(), max_subtasks=1),
                      _sklearn_compat._NoCallbackContext)


def test_search_n_splits_counts_the_split_columns():
    X, y = load_diabetes(return_X_y=True)
    search = GridSearchCV(Lasso(), {"alpha": [0.1, 1.0]}, cv=3,
                          scoring=["r2", "neg_mean_squared_error"], refit="r2").fit(X, y)
    assert _sklearn_compat.search_n_splits(search, search.cv_results_) == 3
    single = GridSearchCV(Lasso(), {"alpha": [0.1, 1.0]}, cv=4).fit(X, y)
    assert _sklearn_compat.search_n_splits(single, single.cv_results_) == 4


def test_path_search_matches_grid_search_on_this_sklearn():
    """The path-speed fit (callback contexts, `_fit_and_score` for single candidates, result
    formatting) and the GridSearchCV fallback agree with GridSearchCV on the installed version."""
    X, y = load_diabetes(return_X_y=True)
    cv = KFold(4, shuffle=True, random_state=0)
    grid = {"alpha": [2.0, 0.5, 0.1], "fit_intercept": [True, False]}
    path = PathSearchCV(Lasso(tol=1e-10), grid, cv=cv).fit(X, y)
    ref = GridSearchCV(Lasso(tol=1e-10, max_iter=100_000), grid, cv=cv).fit(X, y)
    assert path.best_params_ == ref.best_params_
    np.testing.assert_allclose(path.cv_results_["mean_test_score"],
                               ref.cv_results_["mean_test_score"], rtol=1e-5, atol=1e-8)
    # A non-path estimator takes GridSearchCV's own fit, whose best-index hook runs before
    # scikit-learn < 1.9 sets n_splits_ (the one-SE alpha is still recorded).
    fallback = PathSearchCV(Ridge(), {"alpha": [0.01, 1.0, 100.0]}, cv=3).fit(X, y)
    assert fallback.n_splits_ == 3 and fallback.alpha_1se_ >= fallback.alpha_


def test_lassocv_one_standard_error_on_this_sklearn():
    X, y = load_diabetes(return_X_y=True)
    model = LassoCV(cv=5, selection_rule="1se").fit(X, y)
    assert model.alpha_1se_ >= model.alpha_ > 0
    assert model.score(X, y) > 0.3


def test_all_zero_sample_weight_is_rejected_on_every_version():
    X = np.ones((4, 2))
    with pytest.raises(ValueError, match="at least one non-zero"):
        _sklearn_compat._check_sample_weight(np.zeros(4), X)
    w = _sklearn_compat._check_sample_weight(np.zeros(4), X, allow_all_zero_weights=True)
    np.testing.assert_array_equal(w, np.zeros(4))
    with pytest.raises(ValueError, match="(?i)negative"):
        _sklearn_compat._check_sample_weight(np.array([1.0, -1.0, 1.0, 1.0]), X,
                                             ensure_non_negative=True)
