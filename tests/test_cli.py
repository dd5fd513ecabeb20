"""The command line: `skreg demo | fit | predict | path` through `skreg._cli.main([...])`, with
pandas and with the pure-numpy CSV reader, plus one run of each kind through `python -m skreg`
(and the `skreg` console script when installed)."""

import os
import pickle
import shutil
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.model_selection import GridSearchCV, KFold

import skreg
from skreg import _cli
from skreg._cli import main

FEATURES = ["x1", "x2", "x3", "x4", "x5", "x6"]


def write_csv(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(str(v) for v in row) + "\n")
    return str(path)


def make_rows(n=80, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, len(FEATURES))
    y = 3 * X[:, 0] - 2 * X[:, 1] + 0.5 * rng.randn(n) + 1.0
    return X, y


@pytest.fixture
def data_csv(tmp_path):
    """id, x1..x6, y: y depends on x1 (+) and x2 (-) only."""
    X, y = make_rows()
    rows = [[i, *(f"{v:.17g}" for v in X[i]), f"{y[i]:.17g}"] for i in range(len(y))]
    return write_csv(tmp_path / "data.csv", ["id", *FEATURES, "y"], rows)


@pytest.fixture(params=["pandas", "numpy"])
def reader(request, monkeypatch):
    """Run the test with pandas' CSV reader and with the pure-numpy fallback."""
    if request.param == "pandas":
        pytest.importorskip("pandas")
    else:
        monkeypatch.setattr(_cli, "_import_pandas", lambda: None)
    return request.param


def run(capsys, *args):
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def load(path):
    with open(path, "rb") as f:
        return pickle.load(f)


# ------------------------------------------------------------------------------------------------
# demo
# ------------------------------------------------------------------------------------------------


def test_demo_prints_both_and_writes_plots(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out_dir = tmp_path / "plots"
    status, out, _ = run(capsys, "demo", "--out-dir", out_dir)
    assert status == 0
    assert "skreg.LassoCV" in out and "sklearn LassoCV" in out
    assert "alpha_1se_" in out and "bmi" in out
    for name in ("demo_path.png", "demo_cv.png"):
        assert (out_dir / name).stat().st_size > 1000
    # both libraries choose the same alpha on the same folds
    line = next(li for li in out.splitlines() if li.strip().startswith("alpha_ (lowest"))
    ours, theirs = line.split()[-2:]
    assert ours == theirs


def test_demo_without_matplotlib(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(_cli, "_have_matplotlib", lambda: False)
    status, out, _ = run(capsys, "demo", "--out-dir", tmp_path / "plots")
    assert status == 0
    assert "matplotlib is not installed" in out
    assert not (tmp_path / "plots").exists()


# ------------------------------------------------------------------------------------------------
# fit / predict
# ------------------------------------------------------------------------------------------------


def test_fit_lasso_cv_then_predict(data_csv, tmp_path, capsys, reader):
    model_path = tmp_path / "model.pkl"
    status, out, err = run(capsys, "fit", data_csv, "--target", "y", "--drop", "id",
                           "--out", model_path)
    assert status == 0, err
    assert "LassoCV on" in out and "chosen alpha:" in out
    assert "CV mean squared error (5-fold)" in out
    assert "x1" in out and "x2" in out and "saved model to" in out
    assert "cross-validating Lasso" in err  # progress goes to stderr

    saved = load(model_path)
    assert saved["format"] == "skreg-cli-model"
    assert saved["feature_names"] == FEATURES and saved["target"] == "y"
    est = saved["estimator"]
    assert isinstance(est, skreg.LassoCV)
    assert f"chosen alpha: {est.alpha_:.6g}" in out
    # the signal is found, with the right signs
    assert est.coef_[0] > 2 and est.coef_[1] < -1

    # predict, to stdout and to a file; columns in another order, extra ones ignored
    X, y = make_rows()
    rows = [[f"{y[i]:.17g}", *(f"{v:.17g}" for v in X[i][::-1]), "extra"] for i in range(5)]
    new = write_csv(tmp_path / "new.csv", ["y", *FEATURES[::-1], "note"], rows)
    status, out, err = run(capsys, "predict", model_path, new)
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == "y_predicted"
    assert_allclose(np.array(lines[1:], dtype=float), est.predict(X[:5]), rtol=1e-9)
    preds = tmp_path / "preds.csv"
    status, out, _ = run(capsys, "predict", model_path, new, "--out", preds)
    assert status == 0 and "wrote 5 predictions" in out
    assert preds.read_text().splitlines() == lines


def test_fit_elasticnet_l1_ratios_and_1se(data_csv, tmp_path, capsys):
    model_path = tmp_path / "enet.pkl"
    status, out, err = run(capsys, "fit", data_csv, "--target", "y", "--drop", "id",
                           "--model", "elasticnet", "--l1-ratio", "0.5", "1.0",
                           "--selection-rule", "1se", "--cv", "4", "--out", model_path)
    assert status == 0, err
    est = load(model_path)["estimator"]
    assert isinstance(est, skreg.ElasticNetCV)
    assert est.selection_rule == "1se" and est.n_splits_ == 4
    assert "1-SE rule" in out and "chosen l1_ratio:" in out
    assert f"chosen alpha: {est.best_params_['alpha']:.6g}" in out
    assert f"alpha of the lowest CV MSE: {est.alpha_:.6g}" in out
    assert est.best_params_["alpha"] == est.alpha_1se_ >= est.alpha_


def test_fit_ridge_cv_matches_grid_search(data_csv, tmp_path, capsys, reader):
    """The CLI's one-SVD-per-fold ridge CV gives GridSearchCV's scores and choice."""
    model_path = tmp_path / "ridge.pkl"
    status, out, err = run(capsys, "fit", data_csv, "--target", "y", "--drop", "id",
                           "--model", "ridge", "--n-alphas", "30", "--out", model_path)
    assert status == 0, err
    est = load(model_path)["estimator"]
    assert isinstance(est, skreg.Ridge)
    X, y = make_rows()
    grid = _cli._ridge_grid(X, 30, False)
    search = GridSearchCV(skreg.Ridge(), {"alpha": grid},
                          cv=KFold(5, shuffle=True, random_state=0),
                          scoring="neg_mean_squared_error").fit(X, y)
    assert est.alpha == pytest.approx(search.best_params_["alpha"])
    assert f"CV mean squared error (5-fold): {-search.best_score_:.6g}" in out
    assert_allclose(est.coef_, search.best_estimator_.coef_)


def test_fit_fixed_alpha_and_standardize(data_csv, tmp_path, capsys):
    model_path = tmp_path / "fixed.pkl"
    status, out, err = run(capsys, "fit", data_csv, "--target", "y", "--drop", "id",
                           "--alpha", "0.1", "--standardize", "--out", model_path)
    assert status == 0, err
    assert "alpha: 0.1 (given)" in out and "standardized features" in out
    est = load(model_path)["estimator"]
    assert [name for name, _ in est.steps] == ["standardscaler", "lasso"]
    X, y = make_rows()
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    assert_allclose(est[-1].coef_, skreg.Lasso(alpha=0.1).fit(Xs, y).coef_, rtol=1e-6)


def test_fit_progress_lines(data_csv, tmp_path, capsys):
    status, _, err = run(capsys, "fit", data_csv, "--target", "y", "--drop", "id", "-v",
                         "--out", tmp_path / "m.pkl")
    assert status == 0
    assert "[PathCV 1/5; path 1/1]" in err and "[PathCV 5/5; path 1/1]" in err
    status, _, err = run(capsys, "fit", data_csv, "--target", "y", "--drop", "id", "-v",
                         "--model", "ridge", "--out", tmp_path / "m.pkl")
    assert "[ridge CV fold 5/5]" in err
    status, _, err = run(capsys, "fit", data_csv, "--target", "y", "--drop", "id", "-q",
                         "--out", tmp_path / "m.pkl")
    assert status == 0 and err == ""


def test_numpy_reader_matches_pandas(data_csv, tmp_path, capsys, monkeypatch):
    pytest.importorskip("pandas")
    a, b = tmp_path / "a.pkl", tmp_path / "b.pkl"
    assert run(capsys, "fit", data_csv, "--target", "y", "--drop", "id", "--out", a)[0] == 0
    monkeypatch.setattr(_cli, "_import_pandas", lambda: None)
    assert run(capsys, "fit", data_csv, "--target", "y", "--drop", "id", "--out", b)[0] == 0
    assert_allclose(load(a)["estimator"].coef_, load(b)["estimator"].coef_)


# ------------------------------------------------------------------------------------------------
# path
# ------------------------------------------------------------------------------------------------


def test_path_prints_entry_order(data_csv, capsys, reader):
    status, out, err = run(capsys, "path", data_csv, "--target", "y", "--drop", "id",
                           "--n-alphas", "30")
    assert status == 0, err
    assert "lasso path on" in out and "30 alphas" in out
    entries = [li.split()[1] for li in out.splitlines() if li.strip()[:3].strip(". ").isdigit()]
    assert entries[:2] == ["x1", "x2"]
    x2 = next(li for li in out.splitlines() if " x2 " in f" {li} ")
    assert " - " in x2  # enters with a negative sign


def test_path_plot(data_csv, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png = tmp_path / "sub" / "path.png"
    status, out, err = run(capsys, "path", data_csv, "--target", "y", "--drop", "id",
                           "--model", "elasticnet", "--l1-ratio", "0.7", "--standardize",
                           "--plot", png)
    assert status == 0, err
    assert "elastic-net (l1_ratio=0.7)" in out and png.stat().st_size > 1000


# ------------------------------------------------------------------------------------------------
# errors: exit code 2, one line on stderr, no traceback
# ------------------------------------------------------------------------------------------------


def _bad_files(tmp_path):
    X, y = make_rows(n=10)
    rows = [[i, *(f"{v:.6g}" for v in X[i]), f"{y[i]:.6g}", "paris"] for i in range(10)]
    text = write_csv(tmp_path / "text.csv", ["id", *FEATURES, "y", "city"], rows)
    rows_nan = [list(r[:-1]) for r in rows]
    rows_nan[3][2] = ""          # x2 missing at data row 4 (file line 5)
    rows_nan[7][2] = "nan"
    rows_nan[8][4] = "NA"        # x4 missing too
    nan = write_csv(tmp_path / "nan.csv", ["id", *FEATURES, "y"], rows_nan)
    rows_inf = [list(r[:-1]) for r in rows]
    rows_inf[5][1] = "inf"
    inf = write_csv(tmp_path / "inf.csv", ["id", *FEATURES, "y"], rows_inf)
    header_only = write_csv(tmp_path / "header.csv", ["a", "b"], [])
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    not_model = tmp_path / "model.txt"
    not_model.write_text("hello")
    return dict(text=text, nan=nan, inf=inf, header=header_only, empty=str(empty),
                not_model=str(not_model))


ERRORS = [
    ("missing file", ["fit", "{tmp}/nope.csv", "--target", "y", "--out", "{tmp}/m.pkl"],
     ["file not found:", "nope.csv"]),
    ("missing target", ["fit", "{data}", "--target", "price", "--out", "{tmp}/m.pkl"],
     ["target column 'price' not found", "available columns: id, x1, x2, x3, x4, x5, x6, y"]),
    ("missing drop column", ["fit", "{data}", "--target", "y", "--drop", "idx", "--out",
                             "{tmp}/m.pkl"], ["--drop column 'idx' not found"]),
    ("non-numeric", ["fit", "{text}", "--target", "y", "--out", "{tmp}/m.pkl"],
     ["non-numeric column", "'city'", "--drop"]),
    ("nan", ["fit", "{nan}", "--target", "y", "--drop", "id", "--out", "{tmp}/m.pkl"],
     ["missing value (NaN) in column 'x2'", "first at row 4 (line 5)", "2 in that column",
      "also in 'x4'"]),
    ("inf", ["fit", "{inf}", "--target", "y", "--out", "{tmp}/m.pkl"],
     ["infinite value in column 'x1'", "row 6 (line 7)"]),
    ("no rows", ["fit", "{header}", "--target", "a", "--out", "{tmp}/m.pkl"],
     ["has a header but no data rows"]),
    ("empty", ["fit", "{empty}", "--target", "a", "--out", "{tmp}/m.pkl"], ["is empty"]),
    ("l1 ratio for lasso", ["fit", "{data}", "--target", "y", "--l1-ratio", "0.5", "--out",
                            "{tmp}/m.pkl"], ["--l1-ratio applies to --model elasticnet"]),
    ("too few folds", ["fit", "{data}", "--target", "y", "--cv", "1", "--out", "{tmp}/m.pkl"],
     ["--cv must be at least 2"]),
    ("bad output dir", ["fit", "{data}", "--target", "y", "--out", "{tmp}/no/m.pkl"],
     ["cannot write", "does not exist"]),
    ("predict missing model", ["predict", "{tmp}/none.pkl", "{data}"], ["file not found"]),
    ("predict not a model", ["predict", "{not_model}", "{data}"],
     ["is not a model file written by `skreg fit`"]),
    ("predict missing column", ["predict", "{model}", "{nan_cols}"],
     ["feature columns 'x3', 'x4', 'x5', 'x6' not found", "available columns: x1, x2"]),
    ("path missing target", ["path", "{data}", "--target", "z"], ["target column 'z'"]),
    ("path non-numeric", ["path", "{text}", "--target", "y"], ["non-numeric column"]),
]


@pytest.mark.parametrize("case, argv, expected", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(case, argv, expected, data_csv, tmp_path, capsys, reader):
    files = _bad_files(tmp_path)
    files.update(data=data_csv, tmp=str(tmp_path))
    if "{model}" in argv:
        files["model"] = str(tmp_path / "ok.pkl")
        assert main(["fit", data_csv, "--target", "y", "--drop", "id", "--out",
                     files["model"], "-q"]) == 0
        files["nan_cols"] = write_csv(tmp_path / "two.csv", ["x1", "x2"], [[1, 2]])
        capsys.readouterr()
    status, out, err = run(capsys, *[a.format(**files) for a in argv])
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"skreg {argv[0]}: error: ")
    for text in expected:
        assert text in lines[0]
    assert "Traceback" not in err and out == ""


def test_usage_errors(capsys):
    assert main(["fit"]) == 2
    assert "the following arguments are required" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2
    assert main(["--version"]) == 0
    assert skreg.__version__ in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------
# a real process: python -m skreg, and the console script
# ------------------------------------------------------------------------------------------------


def test_python_m_skreg_fit_predict(data_csv, tmp_path):
    model_path = tmp_path / "m.pkl"
    proc = subprocess.run(
        [sys.executable, "-m", "skreg", "fit", data_csv, "--target", "y", "--drop", "id",
         "--cv", "3", "--out", str(model_path)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "chosen alpha" in proc.stdout
    # an error from a real process: exit status 2, one line, no traceback
    script = shutil.which("skreg")
    cmd = [script] if script else [sys.executable, "-m", "skreg"]
    proc = subprocess.run(cmd + ["predict", str(model_path), str(tmp_path / "nope.csv")],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"skreg predict: error: file not found: {tmp_path}/nope.csv"
