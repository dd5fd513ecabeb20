"""The shape- and data-dependent fast paths of Ridge and RidgeCV agree with scikit-learn.

- Ridge on tall dense X: its centred Gram matrix summed over blocks of rows centred in a
  small buffer (no centred copy of X), exact whatever the offsets.
- X in C or Fortran order: the direct solvers read it as it comes.
- RidgeCV leave-one-out: residuals of blocks of alphas at once (any block size gives the
  same result), the intercept's leverage alone when n > p.
"""

import numpy as np
import pytest
import sklearn.linear_model as sk
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.preprocessing import StandardScaler

from skreg import Ridge, RidgeCV, _dask_data, _ridge, _ridge_cv
from skreg._design import Design


@pytest.fixture(autouse=True)
def _small_data_take_the_fast_paths(monkeypatch):
    """The blocked Gram matrix serves large X only; these small data take it too, in blocks
    of a few rows (so that several blocks and a partial last one are summed)."""
    monkeypatch.setattr(_ridge, "BLOCKED_GRAM_MIN_SIZE", 0)
    monkeypatch.setattr(_dask_data, "GRAM_BLOCK", 12 * 37)


def _tall(n=300, p=12, n_targets=1, seed=0, offset=0.0, dtype=np.float64):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p) @ np.triu(np.ones((p, p))) / p + offset
    Y = X @ rng.randn(p, n_targets) + 0.3 * rng.randn(n, n_targets) + 2.0
    return X.astype(dtype), Y.astype(dtype)


def _close(a, b, rtol):
    """Agreement relative to the scale of the reference (direct solvers: rounding level)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert np.max(np.abs(a - b)) <= rtol * max(np.max(np.abs(b)), 1.0)


@pytest.mark.parametrize("offset", [0.0, 0.5, 100.0, 1e6])
@pytest.mark.parametrize("n_targets", [1, 3])
@pytest.mark.parametrize("order", ["C", "F"])
def test_ridge_tall_takes_the_blocked_centred_gram(n_targets, order, offset, monkeypatch):
    """Any offsets: each block is centred exactly before its product."""
    X, Y = _tall(n_targets=n_targets, offset=offset)
    X = np.asarray(X, order=order)
    y = Y[:, 0] if n_targets == 1 else Y
    calls = []
    original = _ridge._gram_design_centred_blocks
    monkeypatch.setattr(_ridge, "_gram_design_centred_blocks",
                        lambda *a: calls.append(1) or original(*a))
    alpha = 0.3 if n_targets == 1 else np.array([0.1, 1.0, 10.0])
    ours = Ridge(alpha=alpha).fit(X, y)
    ref = sk.Ridge(alpha=alpha).fit(X, y)
    assert calls == [1] and ours.solver_ == "cholesky"
    # (offsets of 1e6 leave the centred columns ~1e-10 relative accuracy, in any solver)
    rtol = 1e-10 if offset < 1e3 else 1e-6
    _close(ours.coef_, ref.coef_, rtol)
    _close(ours.intercept_, ref.intercept_, rtol)
    assert np.shape(ours.coef_) == np.shape(ref.coef_)
    assert np.shape(ours.intercept_) == np.shape(ref.intercept_)


@pytest.mark.parametrize("min_size", [0, 10**9])
def test_ridge_uses_the_blocked_gram_on_large_x_only(monkeypatch, min_size):
    X, Y = _tall()
    calls = []
    original = _ridge._gram_design_centred_blocks
    monkeypatch.setattr(_ridge, "BLOCKED_GRAM_MIN_SIZE", min_size)
    monkeypatch.setattr(_ridge, "_gram_design_centred_blocks",
                        lambda *a: calls.append(1) or original(*a))
    ours = Ridge(alpha=0.5).fit(X, Y[:, 0])
    assert len(calls) == (1 if min_size == 0 else 0)
    _close(ours.coef_, sk.Ridge(alpha=0.5).fit(X, Y[:, 0]).coef_, 1e-10)


def test_ridge_blocked_gram_equals_the_centred_product():
    X, Y = _tall(n=301, offset=3.0)  # (a partial last block)
    design = _ridge._gram_design_centred_blocks(X, Y)
    Xc, Yc = X - X.mean(axis=0), Y - Y.mean(axis=0)
    assert_allclose(design.Q, Xc.T @ Xc, rtol=1e-12, atol=1e-12 * np.abs(Xc.T @ Xc).max())
    assert_allclose(design.XtY, Xc.T @ Yc, rtol=1e-12, atol=1e-12 * np.abs(Xc.T @ Yc).max())
    assert_array_equal(design.Q, design.Q.T)


def test_ridge_blocked_gram_column_and_integer_y():
    X, Y = _tall()
    for y in (Y[:, :1], np.round(Y[:, 0] * 10).astype(np.int64)):
        ours = Ridge(alpha=0.5).fit(X, y)
        ref = sk.Ridge(alpha=0.5).fit(X, y)
        assert np.shape(ours.coef_) == np.shape(ref.coef_)
        assert np.shape(ours.intercept_) == np.shape(ref.intercept_)
        _close(ours.coef_, ref.coef_, 1e-10)
        _close(ours.intercept_, ref.intercept_, 1e-10)


def test_ridge_blocked_gram_float32():
    X, Y = _tall(n=400, p=8, offset=50.0)
    X = X.astype(np.float32)
    y = Y[:, 0].astype(np.float32)
    ours = Ridge(alpha=1.0).fit(X, y)
    ref = sk.Ridge(alpha=1.0).fit(X.astype(np.float64), y.astype(np.float64))
    assert ours.coef_.dtype == np.float32 and np.asarray(ours.intercept_).dtype == np.float32
    _close(ours.coef_, ref.coef_, 1e-3)


def test_ridge_blocked_gram_zero_column_and_collinear():
    """An all-zero column; alpha = 0 on collinear columns still falls back to the
    minimum-norm SVD solution."""
    X, Y = _tall()
    X = StandardScaler().fit_transform(X)
    X[:, 3] = 0.0
    y = Y[:, 0]
    _close(Ridge(alpha=0.2).fit(X, y).coef_, sk.Ridge(alpha=0.2).fit(X, y).coef_, 1e-10)
    Xd = np.hstack([X, X[:, :2]])
    ours = Ridge(alpha=0.0).fit(Xd, y)
    assert ours.solver_ == "svd"
    Xc = Xd - Xd.mean(axis=0)
    _close(ours.coef_, np.linalg.lstsq(Xc, y - y.mean(), rcond=None)[0], 1e-8)


@pytest.mark.parametrize("case", ["weights", "no_intercept", "sparse", "positive"])
def test_ridge_other_cases_keep_their_design(case):
    X, Y = _tall()
    X = StandardScaler().fit_transform(X)
    y = Y[:, 0]
    kw, fit_kw = {}, {}
    if case == "weights":
        fit_kw["sample_weight"] = np.random.RandomState(1).uniform(0.5, 2.0, X.shape[0])
    elif case == "no_intercept":
        kw["fit_intercept"] = False
    elif case == "sparse":
        X = sparse.csr_matrix(X)
    else:
        kw["positive"] = True
    ours = Ridge(alpha=0.7, **kw).fit(X, y, **fit_kw)
    # scikit-learn's sparse solvers are iterative: its exact dense solution is the reference
    Xref = X.toarray() if case == "sparse" else X
    ref = sk.Ridge(alpha=0.7, **kw).fit(Xref, y, **fit_kw)
    # positive: coordinate descent against L-BFGS, both certified to their tol only
    rtol = 1e-3 if case == "positive" else 1e-10
    _close(ours.coef_, ref.coef_, rtol)
    _close(ours.intercept_, ref.intercept_, rtol)


@pytest.mark.parametrize("shape", [(200, 10), (15, 60)], ids=["tall", "wide"])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_ridge_c_and_fortran_order_agree(shape, fit_intercept):
    X, Y = _tall(*shape, offset=1.0)
    y = Y[:, 0]
    XC, XF = np.ascontiguousarray(X), np.asfortranarray(X)
    for solver in ("auto", "svd", "lsqr", "sparse_cg"):
        a = Ridge(alpha=0.4, solver=solver, fit_intercept=fit_intercept, tol=1e-10).fit(XC, y)
        b = Ridge(alpha=0.4, solver=solver, fit_intercept=fit_intercept, tol=1e-10).fit(XF, y)
        _close(a.coef_, b.coef_, 1e-8)
    # the caller's X is never written to
    assert_array_equal(XC, X)


def test_design_keeps_the_order_only_when_asked():
    X, Y = _tall(offset=1.0)
    XC = np.ascontiguousarray(X)
    assert Design(XC, Y).X.flags.f_contiguous
    kept = Design(XC, Y, fortran=False)
    assert kept.X.flags.c_contiguous
    assert_allclose(kept.X, X - X.mean(axis=0), rtol=0, atol=1e-12)
    # squared column norms, computed when first read
    assert "norms2" not in kept.__dict__
    assert_allclose(kept.norms2, ((X - X.mean(axis=0)) ** 2).sum(axis=0), rtol=1e-12)


# ------------------------------------------------------------------------------------------
# RidgeCV leave-one-out
# ------------------------------------------------------------------------------------------

ALPHAS = np.logspace(-3, 3, 13)


def _cv_data(shape, n_targets, seed=0):
    rng = np.random.RandomState(seed)
    n, p = shape
    X = rng.randn(n, p) + 0.5
    Y = X[:, :3] @ rng.randn(3, n_targets) + rng.randn(n, n_targets) + 1.0
    sw = rng.uniform(0.5, 2.0, n)
    return X, Y, sw


@pytest.mark.parametrize("shape", [(60, 8), (20, 50)], ids=["tall", "wide"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("n_targets", [1, 2])
def test_ridgecv_loo_blocks_of_alphas(monkeypatch, shape, weighted, fit_intercept,
                                      n_targets):
    """Any block size gives the same leave-one-out values, and scikit-learn's choice."""
    X, Y, sw = _cv_data(shape, n_targets)
    y = Y[:, 0] if n_targets == 1 else Y
    sw = sw if weighted else None
    kw = dict(alphas=ALPHAS, fit_intercept=fit_intercept, store_cv_results=True,
              alpha_per_target=n_targets > 1)
    whole = RidgeCV(**kw).fit(X, y, sample_weight=sw)
    monkeypatch.setattr(_ridge_cv, "LOO_BLOCK_SIZE", 1)  # one alpha per block
    one = RidgeCV(**kw).fit(X, y, sample_weight=sw)
    monkeypatch.setattr(_ridge_cv, "LOO_BLOCK_SIZE", 3 * X.shape[0] * (n_targets + 2))
    three = RidgeCV(**kw).fit(X, y, sample_weight=sw)
    ref = sk.RidgeCV(**kw).fit(X, y, sample_weight=sw)
    for est in (one, three):
        assert_array_equal(est.alpha_, whole.alpha_)
        # the same formulas; only the shapes of the BLAS products differ
        _close(est.cv_results_, whole.cv_results_, 1e-9)
        _close(est.coef_, whole.coef_, 1e-9)
    assert_array_equal(whole.alpha_, ref.alpha_)
    _close(whole.best_score_, ref.best_score_, 1e-8)
    _close(whole.cv_results_, ref.cv_results_, 1e-8)
    _close(whole.coef_, ref.coef_, 1e-8)
    _close(whole.intercept_, ref.intercept_, 1e-8)


@pytest.mark.parametrize("shape", [(60, 8), (20, 50)], ids=["tall", "wide"])
@pytest.mark.parametrize("gcv_mode", ["eigen", "svd"])
def test_ridgecv_loo_scorer_and_modes(shape, gcv_mode):
    X, Y, sw = _cv_data(shape, 1)
    y = Y[:, 0]
    kw = dict(alphas=ALPHAS, gcv_mode=gcv_mode, scoring="neg_mean_absolute_error",
              store_cv_results=True)
    ours = RidgeCV(**kw).fit(X, y, sample_weight=sw)
    ref = sk.RidgeCV(**kw).fit(X, y, sample_weight=sw)
    assert ours.alpha_ == ref.alpha_
    _close(ours.best_score_, ref.best_score_, 1e-8)
    _close(ours.cv_results_, ref.cv_results_, 1e-8)


def test_ridgecv_loo_float32_and_sparse():
    X, Y, _ = _cv_data((80, 10), 1)
    y = Y[:, 0]
    ref = sk.RidgeCV(alphas=ALPHAS).fit(X, y)
    ours32 = RidgeCV(alphas=ALPHAS).fit(X.astype(np.float32), y.astype(np.float32))
    assert ours32.coef_.dtype == np.float32
    assert ours32.alpha_ == ref.alpha_
    _close(ours32.coef_, ref.coef_, 1e-5)
    Xs = sparse.csr_matrix(np.where(np.abs(X - 0.5) > 1.0, X, 0.0))
    ours = RidgeCV(alphas=ALPHAS).fit(Xs, y)
    ref = sk.RidgeCV(alphas=ALPHAS).fit(Xs, y)
    assert ours.alpha_ == ref.alpha_
    _close(ours.coef_, ref.coef_, 1e-8)
