"""Every script of examples/ runs (Agg backend, in a temporary directory) and writes its figure,
so the examples never rot. They run in this process (runpy, as ``__main__``) to share the
imports; each is meant to take a few seconds."""

import re
import runpy
import warnings
from pathlib import Path

import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))


def test_examples_are_listed():
    readme = (EXAMPLES / "README.md").read_text()
    assert SCRIPTS, "no example scripts found"
    for script in SCRIPTS:
        assert f"`{script.name}`" in readme, f"{script.name} is missing from examples/README.md"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_example_runs_and_writes_its_figure(script, tmp_path, monkeypatch, capsys):
    source = script.read_text()
    assert source.startswith('"""'), "an example starts with a docstring saying what it shows"
    figures = set(re.findall(r'savefig\("([^"]+\.png)"', source))
    assert figures, "an example saves its figure as a PNG"
    monkeypatch.chdir(tmp_path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", FutureWarning)  # no deprecated API in examples
            runpy.run_path(str(script), run_name="__main__")
    finally:
        plt.close("all")
    out = capsys.readouterr().out
    for name in figures:
        assert (tmp_path / name).stat().st_size > 5000, name
        assert f"wrote {name}" in out
