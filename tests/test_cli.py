"""The command line: `skreg demo | fit | predict | path` through `skreg._cli.main([...])`, with
pandas and with the csv-module CSV reader, plus runs through `python -m skreg`.

The command line computes no model: its fits are checked against the library's own fits on the
same data, and every user error is one line on stderr with exit status 2."""

import csv
import io
import os
import pickle
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skreg
from skreg import _cli_demo, _cli_models, _csv, _model_file
from skreg._cli import main

FEATURES = ["x1", "x2", "x3", "x4", "x5", "x6"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(skreg.__file__)))


def write_csv(path, header, rows, sep=",", newline="\n", encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as f:
        f.write(sep.join(header) + newline)
        for row in rows:
            f.write(sep.join(str(v) for v in row) + newline)
    return str(path)


def make_rows(n=80, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, len(FEATURES))
    X[:, 2] *= 10.0  # features on different scales: standardization matters
    y = 3 * X[:, 0] - 2 * X[:, 1] + 0.5 * rng.randn(n) + 1.0
    return X, y


@pytest.fixture
def data_csv(tmp_path):
    """id, x1..x6, y: y depends on x1 (+) and x2 (-) only."""
    X, y = make_rows()
    rows = [[i, *(f"{v:.17g}" for v in X[i]), f"{y[i]:.17g}"] for i in range(len(y))]
    return write_csv(tmp_path / "data.csv", ["id", *FEATURES, "y"], rows)


@pytest.fixture(params=["pandas", "csv"])
def reader(request, monkeypatch):
    """Run the test with pandas' tokenizer and with the csv module."""
    if request.param == "pandas":
        pytest.importorskip("pandas")
    else:
        monkeypatch.setattr(_csv, "_import_pandas", lambda: None)
    return request.param


def run(capsys, *args):
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def fit_ok(capsys, *args):
    status, out, err = run(capsys, "fit", *args)
    assert status == 0, err
    return out, err


def expect_error(capsys, *args, texts=()):
    """The run fails with exit status 2 and one line on stderr holding every text."""
    status, out, err = run(capsys, *args)
    assert status == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"skreg {args[0]}: error: "), lines[0]
    for text in texts:
        assert text in lines[0], lines[0]
    assert "Traceback" not in err and out == ""
    return lines[0]


def saved(path):
    return _model_file.load_model(str(path))


def folds():
    return KFold(5, shuffle=True, random_state=0)


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
    monkeypatch.setattr(_cli_demo, "have_matplotlib", lambda: False)
    status, out, _ = run(capsys, "demo", "--out-dir", tmp_path / "plots")
    assert status == 0
    assert "matplotlib is not installed" in out
    assert not (tmp_path / "plots").exists()


def test_demo_out_dir_is_a_file(tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    expect_error(capsys, "demo", "--out-dir", tmp_path / "f", texts=["is a file"])


# ------------------------------------------------------------------------------------------------
# fit / predict: the library's models
# ------------------------------------------------------------------------------------------------


def test_fit_lasso_cv_then_predict(data_csv, tmp_path, capsys, reader):
    model_path = tmp_path / "model.skops"
    out, err = fit_ok(capsys, data_csv, "--target", "y", "--drop", "id", "--out", model_path)
    assert "LassoCV on" in out and "chosen alpha:" in out
    assert "CV mean squared error (5-fold)" in out and "saved model to" in out
    assert "cross-validating Lasso" in err  # progress goes to stderr
    with zipfile.ZipFile(model_path) as z:  # a skops file
        assert "schema.json" in z.namelist()

    est, names, target = saved(model_path)
    assert names == FEATURES and target == "y"
    X, y = make_rows()
    ref = skreg.LassoCV(cv=folds()).fit(X, y)
    assert isinstance(est, skreg.Lasso) and est.alpha == ref.alpha_
    assert f"chosen alpha: {ref.alpha_:.6g}" in out
    assert_allclose(est.coef_, ref.coef_, rtol=1e-6, atol=1e-8)

    # predict, to stdout and to a file; columns in another order, extra ones ignored
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
    model_path = tmp_path / "enet.skops"
    out, _ = fit_ok(capsys, data_csv, "--target", "y", "--drop", "id", "--model", "elasticnet",
                    "--l1-ratio", "0.5", "1.0", "--selection-rule", "1se", "--cv", "4",
                    "--out", model_path)
    X, y = make_rows()
    ref = skreg.ElasticNetCV(l1_ratio=[0.5, 1.0], selection_rule="1se",
                             cv=KFold(4, shuffle=True, random_state=0)).fit(X, y)
    est = saved(model_path)[0]
    assert isinstance(est, skreg.ElasticNet)
    assert est.alpha == ref.alpha_1se_ == ref.best_params_["alpha"] >= ref.alpha_
    assert "1-SE rule" in out and f"chosen l1_ratio: {ref.l1_ratio_:g}" in out
    assert f"alpha of the lowest CV MSE: {ref.alpha_:.6g}" in out
    assert_allclose(est.coef_, ref.coef_, rtol=1e-6, atol=1e-8)


def test_fit_ridge_cv_is_ridgecv(data_csv, tmp_path, capsys, reader):
    """Ridge's alpha is RidgeCV's choice, with GridSearchCV's scores, on the CLI's grid."""
    model_path = tmp_path / "ridge.skops"
    out, _ = fit_ok(capsys, data_csv, "--target", "y", "--drop", "id", "--model", "ridge",
                    "--n-alphas", "30", "--out", model_path)
    est = saved(model_path)[0]
    assert isinstance(est, skreg.Ridge)
    X, y = make_rows()
    grid = _cli_models.ridge_grid(X, 30, False)
    ref = skreg.RidgeCV(alphas=grid, cv=folds(), scoring="neg_mean_squared_error").fit(X, y)
    search = GridSearchCV(skreg.Ridge(), {"alpha": grid}, cv=folds(),
                          scoring="neg_mean_squared_error").fit(X, y)
    assert est.alpha == ref.alpha_ == search.best_params_["alpha"]
    assert f"CV mean squared error (5-fold): {-search.best_score_:.6g}" in out
    assert_allclose(est.coef_, ref.coef_, rtol=1e-8)


def test_fit_ridge_1se_and_standardize(data_csv, tmp_path, capsys):
    model_path = tmp_path / "ridge.skops"
    out, _ = fit_ok(capsys, data_csv, "--target", "y", "--drop", "id", "--model", "ridge",
                    "--n-alphas", "30", "--selection-rule", "1se", "--standardize",
                    "--out", model_path)
    est = saved(model_path)[0]
    assert [name for name, _ in est.steps] == ["standardscaler", "ridge"]
    X, y = make_rows()
    Xs = StandardScaler().fit_transform(X)
    ref = skreg.PathSearchCV(skreg.Ridge(), {"alpha": _cli_models.ridge_grid(X, 30, True)},
                             cv=folds(), scoring="neg_mean_squared_error",
                             selection_rule="1se").fit(Xs, y)
    assert est[-1].alpha == ref.alpha_1se_ > ref.alpha_
    assert "StandardScaler + PathSearchCV(Ridge)" in out
    assert_allclose(est[-1].coef_, ref.best_estimator_.coef_, rtol=1e-8)


def test_fit_fixed_alpha_and_standardize(data_csv, tmp_path, capsys):
    """--standardize is the library's standardize=True: the same model as a Lasso on
    standardized columns, with coefficients on the original scale."""
    model_path = tmp_path / "fixed.skops"
    out, _ = fit_ok(capsys, data_csv, "--target", "y", "--drop", "id", "--alpha", "0.1",
                    "--standardize", "--out", model_path)
    assert "alpha: 0.1 (given)" in out and "standardized features" in out
    est = saved(model_path)[0]
    assert isinstance(est, skreg.Lasso) and est.standardize and est.alpha == 0.1
    X, y = make_rows()
    ref = skreg.Lasso(alpha=0.1, standardize=True).fit(X, y)  # the same call, the same fit
    assert_allclose(est.coef_, ref.coef_, rtol=1e-10, atol=1e-12)
    # ... which is the Lasso of standardized columns (both converged far below the tolerance
    # the comparison needs)
    tight = skreg.Lasso(alpha=0.1, standardize=True, tol=1e-12).fit(X, y)
    scaled = make_pipeline(StandardScaler(), skreg.Lasso(alpha=0.1, tol=1e-12)).fit(X, y)
    assert_allclose(tight.coef_ * X.std(axis=0), scaled[-1].coef_, rtol=1e-6, atol=1e-8)
    assert_allclose(tight.predict(X), scaled.predict(X), rtol=1e-6, atol=1e-8)


def test_fit_lasso_cv_standardize(data_csv, tmp_path, capsys):
    """--standardize with CV is LassoCV(standardize=True): each training fold is standardized
    with its own scales; the refit is the library's."""
    model_path = tmp_path / "std.skops"
    fit_ok(capsys, data_csv, "--target", "y", "--drop", "id", "--standardize", "--out",
           model_path)
    est = saved(model_path)[0]
    X, y = make_rows()
    ref = skreg.LassoCV(cv=folds(), standardize=True).fit(X, y)
    assert est.alpha == ref.alpha_ and est.standardize
    assert_allclose(est.coef_, ref.coef_, rtol=1e-10, atol=1e-12)


def test_fit_progress_lines(data_csv, tmp_path, capsys):
    _, err = fit_ok(capsys, data_csv, "--target", "y", "--drop", "id", "-v",
                    "--out", tmp_path / "m.skops")
    assert "[PathCV 1/5; path 1/1]" in err and "[PathCV 5/5; path 1/1]" in err
    _, err = fit_ok(capsys, data_csv, "--target", "y", "--drop", "id", "-q",
                    "--out", tmp_path / "m.skops")
    assert err == ""


def test_drop_forms(data_csv, tmp_path, capsys):
    """--drop is repeated or comma-separated, and never swallows the data file."""
    X, y = make_rows()
    m = tmp_path / "m.skops"
    for drop in (["--drop", "id", "--drop", "x6"], ["--drop", "id,x6"],
                 ["--drop", " id , x6 "]):
        fit_ok(capsys, "--target", "y", *drop, data_csv, "--alpha", "0.1", "-q", "--out", m)
        assert saved(m)[1] == FEATURES[:5]


# ------------------------------------------------------------------------------------------------
# path
# ------------------------------------------------------------------------------------------------


def test_path_prints_entry_order(data_csv, capsys, reader):
    status, out, err = run(capsys, "path", data_csv, "--target", "y", "--drop", "id",
                           "--n-alphas", "30")
    assert status == 0, err
    assert "lasso path on" in out and "30 alphas" in out
    entries = [li.split()[1] for li in out.splitlines() if li.strip()[:3].strip(". ").isdigit()]
    assert {"x1", "x2"} <= set(entries[:3])  # (x3, on a larger scale, may come first)
    x2 = next(li for li in out.splitlines() if " x2 " in f" {li} ")
    assert " - " in x2  # enters with a negative sign


def test_path_standardize_is_the_scaled_path(data_csv, capsys):
    """The standardized path (the library's standardize=True) has the alphas and the entry
    order of the path of standardized columns."""
    status, out, err = run(capsys, "path", data_csv, "--target", "y", "--drop", "id",
                           "--standardize", "--n-alphas", "20")
    assert status == 0, err
    X, y = make_rows()
    Xs = StandardScaler().fit_transform(X)
    alphas, coefs, _ = skreg.enet_path(Xs, y, l1_ratio=1.0, alphas=20, fit_intercept=True)
    assert f"from {alphas[0]:.4g} down to {alphas[-1]:.4g}" in out
    first = [FEATURES[j] for j in np.argsort([np.argmax(c != 0) if c.any() else 99
                                              for c in coefs], kind="stable")[:2]]
    entries = [li.split()[1] for li in out.splitlines() if li.strip()[:3].strip(". ").isdigit()]
    assert entries[:2] == first


def test_path_plot(data_csv, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png = tmp_path / "path.png"
    status, out, err = run(capsys, "path", data_csv, "--target", "y", "--drop", "id",
                           "--model", "elasticnet", "--l1-ratio", "0.7", "--standardize",
                           "--plot", png)
    assert status == 0, err
    assert "elastic-net (l1_ratio=0.7)" in out and png.stat().st_size > 1000
    # no extension: PNG, and the message names the file written
    status, out, err = run(capsys, "path", data_csv, "--target", "y", "--drop", "id",
                           "--plot", tmp_path / "myplot")
    assert status == 0, err
    assert (tmp_path / "myplot.png").stat().st_size > 1000
    assert f"wrote {tmp_path / 'myplot.png'}" in out


@pytest.mark.parametrize("name, texts", [
    ("p.txt", ["unsupported plot format '.txt'", ".png"]),
    ("missing/p.png", ["directory", "does not exist"]),
    (".", ["is a directory"]),
])
def test_path_plot_errors_before_fitting(name, texts, data_csv, tmp_path, capsys,
                                         monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.setattr(skreg, "enet_path", lambda *a, **k: pytest.fail("path computed"))
    expect_error(capsys, "path", data_csv, "--target", "y", "--plot", tmp_path / name,
                 texts=texts)


# ------------------------------------------------------------------------------------------------
# CSV files: both back ends read the same
# ------------------------------------------------------------------------------------------------


NASTY = ('\ufeff a ,b,"c, quoted",flag\r\n'
         '1, NA ,2,true\r\n'
         '\r\n'
         'na,n/a,3,FALSE\r\n'
         ' 4.5 ,NULL,  ,True\r\n'
         'none,nan,-1e3,false\r\n'
         '7,8\r\n')


def test_back_ends_agree_on_a_nasty_file(tmp_path, monkeypatch):
    """BOM, CRLF, spaces, quoted names, a blank line, booleans, a short row, and every missing
    marker in several letter cases: pandas and the csv module read the same table."""
    path = tmp_path / "nasty.csv"
    path.write_bytes(NASTY.encode())
    tables = []
    for back_end in ("pandas", "csv"):
        if back_end == "pandas":
            pytest.importorskip("pandas")
        else:
            monkeypatch.setattr(_csv, "_import_pandas", lambda: None)
        tables.append(_csv.read_csv(str(path)))
    (a, b) = tables
    assert a.names == b.names == ["a", "b", "c, quoted", "flag"]
    assert_array_equal(a.line_numbers, b.line_numbers)
    assert_array_equal(a.line_numbers, [2, 4, 5, 6, 7])
    nan = np.nan
    expected = [[1, nan, 2, 1], [nan, nan, 3, 0], [4.5, nan, nan, 1], [nan, nan, -1e3, 0],
                [7, 8, nan, nan]]
    for t in tables:
        cols = [_csv.to_float(t.cells[:, j]) for j in range(4)]
        assert_array_equal(np.column_stack(cols), np.array(expected))


def test_missing_markers_are_documented():
    assert set(_csv.MISSING) == {"", "na", "n/a", "nan", "null", "none"}
    got = _csv.to_float(np.array(["NA", "na", "N/a", " nan ", "NULL", "None", "", "-nan"]))
    assert np.isnan(got).all()
    assert _csv.to_float(np.array(["1", "missing"])) is None


@pytest.mark.parametrize("sep, name", [(";", "semi"), ("\t", "tab"), ("|", "pipe")])
def test_separator_is_sniffed(sep, name, tmp_path, capsys, reader):
    X, y = make_rows(n=30)
    rows = [[*(f"{v:.6g}" for v in X[i]), f"{y[i]:.6g}"] for i in range(30)]
    path = write_csv(tmp_path / f"{name}.csv", [*FEATURES, "y"], rows, sep=sep)
    m = tmp_path / "m.skops"
    fit_ok(capsys, path, "--target", "y", "--alpha", "0.1", "-q", "--out", m)
    assert saved(m)[1] == FEATURES
    given = {"\t": "tab"}.get(sep, sep)
    fit_ok(capsys, path, "--target", "y", "--alpha", "0.1", "-q", "--sep", given, "--out", m)


def test_wrong_separator_hint(tmp_path, capsys):
    path = write_csv(tmp_path / "semi.csv", ["a", "b", "y"], [[1, 2, 3], [4, 5, 6]], sep=";")
    expect_error(capsys, "fit", path, "--target", "y", "--sep", ",", "--out",
                 tmp_path / "m.skops", texts=["target column 'y' not found", "--sep ';'"])


def test_predictions_header_is_quoted(tmp_path, capsys, reader):
    """A target named 'price, USD' stays one column in the predictions file."""
    X, y = make_rows(n=30)
    rows = [[*(f"{v:.6g}" for v in X[i]), f"{y[i]:.6g}"] for i in range(30)]
    data = write_csv(tmp_path / "d.csv", [*FEATURES, '"price, USD"'], rows)
    m, preds = tmp_path / "m.skops", tmp_path / "p.csv"
    fit_ok(capsys, data, "--target", "price, USD", "--alpha", "0.1", "-q", "--out", m)
    assert run(capsys, "predict", m, data, "--out", preds)[0] == 0
    with open(preds, newline="") as f:
        header, *values = list(csv.reader(f))
    assert header == ["price, USD_predicted"] and len(values) == 30
    table = _csv.read_csv(str(preds))
    assert table.names == ["price, USD_predicted"] and table.n_rows == 30
    status, out, _ = run(capsys, "predict", m, data)
    assert out.splitlines()[0] == '"price, USD_predicted"'


def test_write_csv_quotes_names():
    f = io.StringIO()
    _csv.write_csv(f, ['a "b"', "c\nd"], [[1.0], [2.5]])
    assert list(csv.reader(io.StringIO(f.getvalue()))) == [['a "b"', "c\nd"], ["1", "2.5"]]


def test_unicode_names_and_nameless_column(tmp_path, capsys, reader):
    X, y = make_rows(n=30)
    rows = [[i, f"{X[i, 0]:.6g}", f"{X[i, 1]:.6g}", f"{y[i]:.6g}"] for i in range(30)]
    data = write_csv(tmp_path / "u.csv", ["", "température", "größe", "prix €"], rows)
    m = tmp_path / "m.skops"
    out, _ = fit_ok(capsys, data, "--target", "prix €", "--drop", "unnamed_1", "--alpha",
                    "0.1", "-q", "--out", m)
    assert "température" in out and saved(m)[1] == ["température", "größe"]


# ------------------------------------------------------------------------------------------------
# model files: skops, with an allow-list; pickles refused
# ------------------------------------------------------------------------------------------------


class Marker:
    """A class whose loading leaves a trace (it must never be loaded)."""

    path = None

    def __setstate__(self, state):
        with open(Marker.path, "w") as f:
            f.write("loaded")


def test_skops_file_with_other_types_is_refused(data_csv, tmp_path, capsys):
    Marker.path = str(tmp_path / "loaded.txt")
    skops_io = pytest.importorskip("skops.io")
    payload = {"format": _model_file.MODEL_FORMAT, "estimator": Marker(),
               "feature_names": FEATURES, "target": "y", "f": eval}
    bad = tmp_path / "bad.skops"
    skops_io.dump(payload, bad)
    expect_error(capsys, "predict", bad, data_csv,
                 texts=["holds types that skreg does not load", "Marker", "builtins.eval"])
    assert not os.path.exists(Marker.path)


@pytest.mark.parametrize("module, name", [
    ("numpy", "load"),  # a function of an allowed package: skops may call it while loading
    ("numpy", "memmap"),  # a class of an allowed package that is not an estimator
    ("sklearn.experimental.enable_halving_search_cv", "X"),  # a module not imported yet
])
def test_skops_file_naming_other_types_is_refused(module, name, data_csv, tmp_path, capsys):
    """A file edited to construct something else than an estimator is refused, and a module
    it names is never imported: only estimator classes and numpy scalar types load."""
    m = tmp_path / "m.skops"
    fit_ok(capsys, data_csv, "--target", "y", "--drop", "id", "--alpha", "0.1", "-q",
           "--out", m)
    with zipfile.ZipFile(m) as z:
        files = {entry: z.read(entry) for entry in z.namelist()}
    schema = files["schema.json"].decode()
    assert '"__module__": "skreg._elastic_net"' in schema
    files["schema.json"] = schema.replace('"__class__": "Lasso"', f'"__class__": "{name}"'
                                          ).replace('"__module__": "skreg._elastic_net"',
                                                    f'"__module__": "{module}"').encode()
    bad = tmp_path / "bad.skops"
    with zipfile.ZipFile(bad, "w") as z:
        for entry, content in files.items():
            z.writestr(entry, content)
    imported = module in sys.modules
    expect_error(capsys, "predict", bad, data_csv, texts=[f"{module}.{name}"])
    assert (module in sys.modules) == imported


def test_pickle_is_refused_unless_trusted(data_csv, tmp_path, capsys):
    X, y = make_rows()
    old = {"format": _model_file.MODEL_FORMAT, "version": 1,
           "estimator": skreg.Lasso(alpha=0.1).fit(X, y), "feature_names": FEATURES,
           "target": "y", "model": "lasso"}
    pkl = tmp_path / "old.pkl"
    pkl.write_bytes(pickle.dumps(old, protocol=pickle.HIGHEST_PROTOCOL))
    expect_error(capsys, "predict", pkl, data_csv,
                 texts=["is a pickle", "runs any code", "--trust-pickle", ".skops"])
    status, out, err = run(capsys, "predict", pkl, data_csv, "--trust-pickle")
    assert status == 0, err
    assert_allclose(np.array(out.splitlines()[1:], dtype=float), old["estimator"].predict(X),
                    rtol=1e-9)


def test_fit_refuses_pickle_names(data_csv, tmp_path, capsys):
    expect_error(capsys, "fit", data_csv, "--target", "y", "--out", tmp_path / "m.pkl",
                 texts=["skops files, not pickles", "model.skops"])


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
    text_y = write_csv(tmp_path / "text_y.csv", ["x1", "y"], [[1, "a"], [2, "b"]])
    dup = write_csv(tmp_path / "dup.csv", ["x1", "y", " x1 "], [[1, 2, 3]])
    long_row = write_csv(tmp_path / "long.csv", ["x1", "y"], [[1, 2], [3, 4, 5]])
    header_only = write_csv(tmp_path / "header.csv", ["a", "b"], [])
    latin1 = write_csv(tmp_path / "latin1.csv", ["prix é", "y"], [[1, 2]], encoding="latin-1")
    two_cols = write_csv(tmp_path / "two.csv", ["x1", "x2"], [[1, 2]])
    commas = write_csv(tmp_path / "commas.csv", ["x1", "y"], [["1,5", "2"], ["2,5", "3"]],
                       sep=";")
    huge = write_csv(tmp_path / "huge.csv", ["x1", "y"], [[1e308, 2], [-1e308, 4], [1e308, 2],
                                                        [-1e308, 4], [1, 1]])
    for name, content in (("empty.csv", ""), ("blank.csv", "\n\n"), ("model.txt", "hello"),
                          ("zip.skops", "PK\x03\x04junk")):
        (tmp_path / name).write_text(content)
    return dict(text=text, nan=nan, inf=inf, header=header_only, text_y=text_y, dup=dup,
                long=long_row, latin1=latin1, two_cols=two_cols, huge=huge, commas=commas,
                tmp=str(tmp_path))


M = "{tmp}/m.skops"
ERRORS = [
    ("missing file", ["fit", "{tmp}/nope.csv", "--target", "y", "--out", M],
     ["file not found:", "nope.csv"]),
    ("data is a directory", ["fit", "{tmp}", "--target", "y", "--out", M],
     ["is a directory"]),
    ("missing target", ["fit", "{data}", "--target", "price", "--out", M],
     ["target column 'price' not found", "available columns: id, x1, x2, x3, x4, x5, x6, y"]),
    ("missing drop column", ["fit", "{data}", "--target", "y", "--drop", "idx", "--out", M],
     ["--drop column 'idx' not found"]),
    ("drop the target", ["fit", "{data}", "--target", "y", "--drop", "y", "--out", M],
     ["that is the target column"]),
    ("non-numeric", ["fit", "{text}", "--target", "y", "--out", M],
     ["non-numeric column", "'city'", "--drop"]),
    ("decimal commas", ["fit", "{commas}", "--target", "y", "--out", M],
     ["non-numeric column", "'x1'", "decimal commas"]),
    ("non-numeric target", ["fit", "{text_y}", "--target", "y", "--out", M],
     ["non-numeric column", "'y'", "the target must be numeric"]),
    ("nan", ["fit", "{nan}", "--target", "y", "--drop", "id", "--out", M],
     ["missing value in column 'x2'", "first at row 4 (line 5)", "2 in that column",
      "also in 'x4'", "missing markers"]),
    ("inf", ["fit", "{inf}", "--target", "y", "--out", M],
     ["infinite value in column 'x1'", "row 6 (line 7)"]),
    ("duplicate names", ["fit", "{dup}", "--target", "y", "--out", M],
     ["duplicate column name 'x1'", "columns 1 and 3"]),
    ("long row", ["fit", "{long}", "--target", "y", "--out", M], ["cannot parse", "3"]),
    ("no rows", ["fit", "{header}", "--target", "a", "--out", M],
     ["has a header but no data rows"]),
    ("empty", ["fit", "{tmp}/empty.csv", "--target", "a", "--out", M], ["is empty"]),
    ("blank lines only", ["fit", "{tmp}/blank.csv", "--target", "a", "--out", M],
     ["is empty"]),
    ("not utf-8", ["fit", "{latin1}", "--target", "y", "--out", M], ["not UTF-8"]),
    ("l1 ratio for lasso", ["fit", "{data}", "--target", "y", "--l1-ratio", "0.5", "--out", M],
     ["--l1-ratio applies to --model elasticnet"]),
    ("l1 ratio 0 by CV", ["fit", "{data}", "--target", "y", "--model", "elasticnet",
                          "--l1-ratio", "0", "--out", M], ["use --model ridge"]),
    ("more folds than rows", ["fit", "{header}", "--target", "a", "--out", M],
     ["no data rows"]),
    ("cv larger than rows", ["fit", "{nan}", "--target", "y", "--cv", "20", "--drop",
                             "id,x2,x4", "--out", M], ["--cv 20 needs at least 20 rows"]),
    ("out is a directory", ["fit", "{data}", "--target", "y", "--out", "{tmp}"],
     ["is a directory"]),
    ("bad output dir", ["fit", "{data}", "--target", "y", "--out", "{tmp}/no/m.skops"],
     ["cannot write", "does not exist"]),
    ("out is the data", ["fit", "{data}", "--target", "y", "--out", "{data}"],
     ["is the input file"]),
    ("predict missing model", ["predict", "{tmp}/none.skops", "{data}"], ["file not found"]),
    ("predict not a model", ["predict", "{tmp}/model.txt", "{data}"],
     ["is not a model file written by `skreg fit`"]),
    ("predict broken zip", ["predict", "{tmp}/zip.skops", "{data}"],
     ["is not a model file written by `skreg fit`"]),
    ("predict data as model", ["predict", "{data}", "{data}"], ["is not a model file"]),
    ("predict other columns", ["predict", "{model}", "{two_cols}"],
     ["feature columns 'x3', 'x4', 'x5', 'x6' not found", "available columns: x1, x2"]),
    ("predict out is a directory", ["predict", "{model}", "{data}", "--out", "{tmp}"],
     ["is a directory"]),
    ("predict out is the data", ["predict", "{model}", "{data}", "--out", "{data}"],
     ["is the input file"]),
    ("path missing target", ["path", "{data}", "--target", "z"], ["target column 'z'"]),
    ("path non-numeric", ["path", "{text}", "--target", "y"], ["non-numeric column"]),
    # option values, checked by the parser
    ("n-alphas huge", ["fit", "{data}", "--target", "y", "--n-alphas", "100000000000",
                       "--out", M], ["--n-alphas", "from 2 to 10000"]),
    ("n-alphas 1", ["path", "{data}", "--target", "y", "--n-alphas", "1"], ["from 2 to"]),
    ("alpha nan", ["fit", "{data}", "--target", "y", "--alpha", "nan", "--out", M],
     ["--alpha", "finite number in [0, inf]", "nan"]),
    ("alpha negative", ["fit", "{data}", "--target", "y", "--alpha", "-1", "--out", M],
     ["--alpha"]),
    ("alpha text", ["fit", "{data}", "--target", "y", "--alpha", "big", "--out", M],
     ["expected a number, got 'big'"]),
    ("too few folds", ["fit", "{data}", "--target", "y", "--cv", "1", "--out", M],
     ["--cv", "from 2 to"]),
    ("l1 ratio out of range", ["fit", "{data}", "--target", "y", "--model", "elasticnet",
                               "--l1-ratio", "1.5", "--out", M], ["[0, 1]"]),
    ("eps", ["path", "{data}", "--target", "y", "--eps", "0"], ["--eps", "(0, 1)"]),
    ("separator", ["fit", "{data}", "--target", "y", "--sep", "ab", "--out", M],
     ["--sep", "one character"]),
    ("missing option", ["fit", "{data}", "--out", M], ["--target"]),
    ("overflowing values", ["fit", "{huge}", "--target", "y", "--cv", "2", "-q", "--out", M],
     ["not finite", "rescale"]),
]


@pytest.mark.parametrize("case, argv, expected", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(case, argv, expected, data_csv, tmp_path, capsys, reader):
    files = _bad_files(tmp_path)
    files.update(data=data_csv)
    if "{model}" in argv:
        files["model"] = str(tmp_path / "ok.skops")
        fit_ok(capsys, data_csv, "--target", "y", "--drop", "id", "--out", files["model"], "-q")
    expect_error(capsys, *[a.format(**files) for a in argv], texts=expected)


def test_output_checked_before_fitting(data_csv, tmp_path, capsys):
    """An unusable --out fails at once, not after the fit."""
    _, _, err = run(capsys, "fit", data_csv, "--target", "y", "--out", tmp_path)
    assert "cross-validating" not in err and "error: cannot write" in err


def test_model_fitted_on_other_columns_cannot_predict(data_csv, tmp_path, capsys):
    """A model whose estimator does not match its own feature list: one line, no traceback."""
    X, y = make_rows()
    bad = {"format": _model_file.MODEL_FORMAT, "estimator": skreg.Lasso().fit(X[:, :2], y),
           "feature_names": FEATURES, "target": "y"}
    path = tmp_path / "bad.skops"
    _model_file.save_model(str(path), bad)
    expect_error(capsys, "predict", path, data_csv, texts=["cannot predict"])


def test_usage_errors(capsys):
    assert main(["fit"]) == 2
    err = capsys.readouterr().err
    assert "the following arguments are required" in err and len(err.splitlines()) == 1
    assert main(["frobnicate"]) == 2
    assert capsys.readouterr().err.startswith("skreg: error: argument COMMAND: invalid choice")
    assert main(["--version"]) == 0
    assert skreg.__version__ in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------
# a real process: python -m skreg
# ------------------------------------------------------------------------------------------------


def _python_m_skreg(*args, cwd):
    env = {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "skreg", *map(str, args)], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=env)


def test_python_m_skreg_fit_predict(data_csv, tmp_path):
    model_path = tmp_path / "m.skops"
    proc = _python_m_skreg("fit", "--target", "y", "--drop", "id", data_csv, "--cv", "3",
                           "--out", model_path, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "chosen alpha" in proc.stdout
    proc = _python_m_skreg("predict", model_path, data_csv, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 81
    # errors from a real process: exit status 2, one line, no traceback
    proc = _python_m_skreg("predict", model_path, tmp_path / "nope.csv", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"skreg predict: error: file not found: {tmp_path}/nope.csv"
    proc = _python_m_skreg("fit", data_csv, "--target", "y", "--n-alphas", "100000000000",
                           "--out", model_path, cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr


# ------------------------------------------------------------------------------------------------
# the path results: summary table, --eps, --keep, df and %dev
# ------------------------------------------------------------------------------------------------


def _table_lines(out, first_header="alpha"):
    """The rows (split on spaces) of the table whose header starts with `first_header`."""
    lines = out.splitlines()
    start = next(i for i, li in enumerate(lines) if li.split()[:1] == [first_header])
    rows = []
    for li in lines[start + 1:]:
        if not li.startswith("  ") or not li.split()[0][0].isdigit():
            break
        rows.append(li.split())
    return rows


def test_fit_prints_the_library_summary(data_csv, tmp_path, capsys, reader):
    out, _ = fit_ok(capsys, data_csv, "--target", "y", "--drop", "id", "--standardize",
                    "--eps", "0.01", "--n-alphas", "30", "--out", tmp_path / "m.skops")
    X, y = make_rows()
    ref = skreg.LassoCV(cv=folds(), standardize=True, eps=0.01, alphas=30).fit(X, y)
    assert saved(tmp_path / "m.skops")[0].alpha == ref.alpha_
    table = ref.summary()
    rows = _table_lines(out)
    assert float(rows[0][0]) == pytest.approx(ref.alphas_[0], rel=1e-5)
    assert float(rows[-1][0]) == pytest.approx(ref.alphas_[-1], rel=1e-5)
    marked = {r[-1]: r for r in rows if r[-1] in ("min", "1se", "min,1se")}
    assert "min" in marked or "min,1se" in marked
    row = marked.get("min", marked.get("min,1se"))
    i = list(ref.alphas_).index(ref.alpha_)
    assert float(row[0]) == pytest.approx(ref.alpha_, rel=1e-5)
    assert int(row[1]) == table["df"][i] == np.count_nonzero(ref.coef_)
    assert float(row[2]) == pytest.approx(100 * ref.dev_ratio_[i], abs=0.006)
    assert float(row[3]) == pytest.approx(ref.mse_path_[i].mean(), rel=1e-5)
    # every df change is a row
    changes = 1 + np.count_nonzero(np.diff(ref.df_))
    assert len(rows) >= changes
    assert "coefficients below are on the original scale" in out


def test_fit_eps_errors(data_csv, tmp_path, capsys):
    for extra, text in ((["--model", "ridge"], "--model ridge"), (["--alpha", "0.1"], "--alpha")):
        expect_error(capsys, "fit", data_csv, "--target", "y", "--eps", "0.01", *extra,
                     "--out", tmp_path / "m.skops", texts=["--eps applies", text])
    expect_error(capsys, "fit", data_csv, "--target", "y", "--eps", "1", "--out",
                 tmp_path / "m.skops", texts=["--eps", "(0, 1)"])


def test_predict_keeps_id_columns(data_csv, tmp_path, capsys, reader):
    model = tmp_path / "m.skops"
    fit_ok(capsys, data_csv, "--target", "y", "--drop", "id", "-q", "--out", model)
    est = saved(model)[0]
    X, y = make_rows()
    rows = [[f"id-{i}", "a, b" if i == 1 else "c", *(f"{v:.17g}" for v in X[i])]
            for i in range(4)]
    new = tmp_path / "new.csv"
    with open(new, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "note", *FEATURES])
        w.writerows(rows)
    for keep in (["--keep", "name", "--keep", "note"], ["--keep", "name,note"]):
        status, out, err = run(capsys, "predict", model, new, *keep)
        assert status == 0, err
        got = list(csv.reader(io.StringIO(out)))
        assert got[0] == ["name", "note", "y_predicted"]
        assert [r[:2] for r in got[1:]] == [[f"id-{i}", "a, b" if i == 1 else "c"]
                                            for i in range(4)]
        assert_allclose([float(r[2]) for r in got[1:]], est.predict(X[:4]), rtol=1e-9)
    preds = tmp_path / "preds.csv"
    status, out, _ = run(capsys, "predict", model, new, "--keep", "name", "--out", preds)
    assert status == 0 and "wrote 4 predictions" in out
    assert preds.read_text().splitlines()[:2] == ["name,y_predicted",
                                                  f"id-0,{float(est.predict(X[:1])[0]):.10g}"]
    expect_error(capsys, "predict", model, new, "--keep", "idx",
                 texts=["--keep column 'idx' not found"])


def test_path_prints_df_and_dev(data_csv, capsys):
    status, out, err = run(capsys, "path", data_csv, "--target", "y", "--drop", "id",
                           "--n-alphas", "25", "--standardize")
    assert status == 0, err
    X, y = make_rows()
    alphas, _, _, stats = skreg.enet_path(X, y, l1_ratio=1.0, alphas=25, fit_intercept=True,
                                          standardize=True, return_stats=True)
    rows = _table_lines(out[out.index("deviance explained"):])
    assert [int(r[1]) for r in rows][0] == 0
    shown = [int(np.argmin(np.abs(alphas - float(r[0])))) for r in rows]
    assert shown[0] == 0 and shown[-1] == len(alphas) - 1
    assert [int(r[1]) for r in rows] == list(stats.df[shown])
    assert_allclose([float(r[2]) for r in rows], 100 * stats.dev_ratio[shown], atol=0.006)
    assert set(np.flatnonzero(np.diff(stats.df)) + 1) <= set(shown)


def test_keep_and_drop_names_holding_commas(tmp_path, capsys, reader):
    """A comma-separated --keep / --drop reads back names that hold commas; one with no name
    at all is an error; a not-found message quotes the names when one holds a comma."""
    X, y = make_rows(20)
    data = tmp_path / "commas.csv"
    with open(data, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id, code", "site", *FEATURES, "y"])
        w.writerows([[f"p{i}, {i % 3}", f"s{i}", *(f"{v:.17g}" for v in X[i]), f"{y[i]:.17g}"]
                     for i in range(len(y))])
    model = tmp_path / "m.skops"
    fit_ok(capsys, data, "--target", "y", "--drop", "site,id, code", "--alpha", "0.1", "-q",
           "--out", model)
    assert saved(model)[1] == FEATURES
    status, out, err = run(capsys, "predict", model, data, "--keep", "id, code,site")
    assert status == 0, err
    got = list(csv.reader(io.StringIO(out)))
    assert got[0] == ["id, code", "site", "y_predicted"]
    assert got[3][:2] == ["p2, 2", "s2"]
    expect_error(capsys, "predict", model, data, "--keep", ",",
                 texts=["--keep ','", "no column name"])
    expect_error(capsys, "predict", model, data, "--keep", "id",
                 texts=["--keep column 'id' not found", "'id, code', 'site'"])


def test_fit_on_a_constant_target(tmp_path, capsys):
    """Every alpha of the grid is the same: the table marks one row, the CV error is 0."""
    X, _ = make_rows(30)
    rows = [[*(f"{v:.17g}" for v in X[i]), 2.5] for i in range(30)]
    data = write_csv(tmp_path / "const.csv", [*FEATURES, "y"], rows)
    out, _ = fit_ok(capsys, data, "--target", "y", "-q", "--out", tmp_path / "m.skops")
    assert "CV mean squared error (5-fold): 0 +/- 0 (standard error), RMSE 0" in out
    rows = _table_lines(out)
    assert [r[-1] for r in rows if r[-1][0].isalpha()] == ["min,1se"]
    assert len(rows) <= 3
