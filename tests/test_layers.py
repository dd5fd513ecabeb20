"""The package's layers: every import inside skreg (functions included) goes down, never up, and
no module imports itself back through a cycle (docs/architecture.md draws the layers)."""

import ast
from pathlib import Path

import pytest

import skreg

PACKAGE = Path(skreg.__file__).parent

# Lower number = lower layer. A module may import modules of its own layer or below.
LAYERS = {
    # base: options, the compatibility layer over scikit-learn's private names, the kernel
    "_config": 0, "_sklearn_compat": 0, "_cd_fast": 0, "_multitask_fast": 0, "_logistic_fast": 0,
    # numerics: data forms, the kernel's entry, penalties, dask statistics, input, paths
    "_design": 1, "_solve": 1, "_penalty_options": 1, "_dask_data": 1, "_input": 1,
    "_path": 1, "_multi_task_path": 1, "_path_protocol": 1, "_logistic_path": 1,
    # estimators and scoring
    "_linear": 2, "_elastic_net": 2, "_ridge": 2, "_scoring": 2, "_multi_task": 2,
    "_logistic": 2,
    # model selection
    "_path_tasks": 3, "_dask_search": 3, "_path_search": 3, "_linear_cv": 3, "_ridge_cv": 3,
    "_multi_task_cv": 3, "_logistic_cv": 3,
    "_dask_ridge": 3,
    # front end
    "_plot": 4, "_plot_path": 4, "_plot_cv": 4, "_csv": 4, "_model_file": 4, "_cli_files": 4,
    "_cli_args": 4,
    "_cli_models": 4, "_cli_demo": 4, "_cli": 4, "__main__": 4, "__init__": 4,
}


def _modules():
    return sorted(p.stem for p in PACKAGE.glob("*.py"))


def _internal_imports(name):
    """Modules of skreg imported by module `name`, anywhere in it (with their line)."""
    tree = ast.parse((PACKAGE / f"{name}.py").read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:  # from ._x import y
                found.append((node.module.split(".")[0], node.lineno))
            elif node.level == 1:  # from . import _x, _y
                found += [(alias.name, node.lineno) for alias in node.names]
            elif node.module and node.module.split(".")[0] == "skreg":
                parts = node.module.split(".")
                found += ([(parts[1], node.lineno)] if len(parts) > 1 else
                          [(alias.name, node.lineno) for alias in node.names])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "skreg" and len(parts) > 1:
                    found.append((parts[1], node.lineno))
    return [(m, line) for m, line in found if m in LAYERS or (PACKAGE / f"{m}.py").exists()]


def test_every_module_has_a_layer():
    assert set(_modules()) <= set(LAYERS), sorted(set(_modules()) - set(LAYERS))


@pytest.mark.parametrize("name", _modules())
def test_imports_go_down(name):
    for target, line in _internal_imports(name):
        if target == "__version__" or target == name:
            continue
        assert LAYERS[target] <= LAYERS[name], (
            f"skreg/{name}.py:{line} imports {target} (layer {LAYERS[target]}) from layer "
            f"{LAYERS[name]}")


def test_no_import_cycle():
    graph = {name: {t for t, _ in _internal_imports(name) if t in LAYERS and t != name
                    and t != "__version__"}
             for name in _modules()}
    state = {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in graph.get(nxt_name := node, ()):
            if state.get(nxt) == "open":
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, stack + [nxt])
        state[nxt_name] = "done"

    for name in graph:
        if name not in state:
            visit(name, [name])

