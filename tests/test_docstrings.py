"""Every public name of skreg (``skreg.__all__``) and every public method skreg defines has a
numpydoc docstring documenting its parameters and what it returns, and docs/api.md (generated
from those docstrings by docs/gen_api.py) is up to date.

With numpydoc installed (test extra), ``numpydoc.validate`` checks the structural rules below;
a simple structural check of our own runs in any case."""

import ast
import importlib.util
import inspect
import re
import textwrap
from pathlib import Path

import pytest

import skreg

ROOT = Path(__file__).resolve().parent.parent
# numpydoc rules enforced: missing docstring / summary, parameters undocumented or unknown or
# without type or description, missing Returns / Yields, unknown or misordered sections.
STRUCTURAL = {"GL08", "SS01", "GL06", "GL07", "PR01", "PR02", "PR04", "PR07", "RT01", "RT03",
              "YD01"}


def _public():
    """(dotted name, object) of the public names and of the public methods, properties and
    class/static methods that skreg itself defines (inherited scikit-learn ones excluded)."""
    out = []
    for name in skreg.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(skreg, name)
        out.append((f"skreg.{name}", obj))
        if not inspect.isclass(obj):
            continue
        for attr in sorted(dir(obj)):
            if attr.startswith("_"):
                continue
            raw = inspect.getattr_static(obj, attr)
            func = raw.fget if isinstance(raw, property) else getattr(raw, "__func__", raw)
            if not (isinstance(raw, property) or callable(func)):
                continue
            if (getattr(func, "__module__", "") or "").startswith("skreg"):
                out.append((f"skreg.{name}.{attr}",
                            raw if isinstance(raw, property) else func))
    return out


PUBLIC = _public()


def _sections(doc):
    """{section name: body} of a numpydoc docstring."""
    lines = doc.splitlines()
    found, current = {}, None
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and set(nxt.strip()) == {"-"} and len(nxt.strip()) >= 3:
            current = line.strip()
            found[current] = []
        elif current is not None and set(line.strip()) != {"-"}:
            found[current].append(line)
    return {k: "\n".join(v) for k, v in found.items()}


def _documented_names(body):
    names = set()
    for line in body.splitlines():
        if line and not line.startswith(" "):
            for part in line.split(" : ")[0].split(","):
                names.add(part.strip().lstrip("*"))
    return names


def _returns_and_yields(func):
    """(returns a value, yields) from the function's source."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return False, False
    returns = yields = False
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    todo = list(ast.iter_child_nodes(tree.body[0]))
    while todo:  # the function's own statements, not those of nested functions
        node = todo.pop()
        if isinstance(node, nested):
            continue
        todo.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            returns = True
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            yields = True
    return returns, yields


@pytest.mark.parametrize("name, obj", PUBLIC, ids=[n for n, _ in PUBLIC])
def test_structure(name, obj):
    """Our own check: summary line; a Parameters section naming every argument; Returns
    (or Yields) when the function returns (or yields) a value."""
    doc = inspect.getdoc(obj)
    assert doc and doc.strip(), f"{name} has no docstring"
    assert doc.splitlines()[0].strip(), f"{name}: the docstring must start with a summary"
    if isinstance(obj, property) or not callable(obj):
        return
    sections = _sections(doc)
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        params = [p for p in inspect.signature(target).parameters.values()
                  if p.name not in ("self", "cls")]
    except (TypeError, ValueError):
        params = []
    if inspect.isclass(obj) and obj.__init__ is object.__init__:
        params = []
    if params:
        assert "Parameters" in sections, f"{name}: no Parameters section"
        documented = _documented_names(sections["Parameters"])
        missing = [p.name for p in params if p.name not in documented]
        assert not missing, f"{name}: parameters not documented: {missing}"
    if inspect.isclass(obj):
        return
    returns, yields = _returns_and_yields(obj)
    if yields:
        assert "Yields" in sections, f"{name}: no Yields section"
    elif returns:
        assert "Returns" in sections, f"{name}: no Returns section"


@pytest.mark.parametrize("name", [n for n, _ in PUBLIC])
def test_numpydoc_validate(name):
    validate = pytest.importorskip("numpydoc.validate").validate
    errors = [f"{code}: {message}" for code, message in validate(name)["errors"]
              if code in STRUCTURAL]
    assert not errors, f"{name}:\n" + "\n".join(errors)


def test_api_reference_is_up_to_date():
    spec = importlib.util.spec_from_file_location("gen_api", ROOT / "docs" / "gen_api.py")
    gen_api = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_api)
    current = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert current == gen_api.render(), (
        "docs/api.md is out of date with the docstrings: run `python docs/gen_api.py`")
    for name in skreg.__all__:
        if not name.startswith("__"):
            assert f"\n## {name}\n" in current, f"{name} is missing from docs/api.md"


def test_docs_links_resolve():
    """Relative links between the Markdown pages of docs/ point to existing files."""
    for page in sorted((ROOT / "docs").glob("*.md")):
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text()):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.name}: broken link {target}"
