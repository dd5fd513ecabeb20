"""skreg vs scikit-learn, side by side on the same data at tight tolerance.

float64: coef_ / intercept_ agree to 1e-6 relative (to the largest |coef| / |intercept|) at
tol=1e-14 (at tol=1e-12 ElasticNet fits are only certified to ~1e-6, see test_optimality).
float32: skreg's float32 fit agrees with scikit-learn's float64 fit to 3e-4 relative at tol=1e-7;
below that tolerance the duality gap is not computable in float32 (both libraries), and at
tol=1e-7 the certified error bound itself is ~1e-4 on these problems.
"""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk
from conftest import alpha_max, make_data, record_parity, to_format
from numpy.testing import assert_allclose, assert_array_equal

import skreg

TOL64 = 1e-14
RTOL64 = 1e-6
TOL32 = 1e-7
RTOL32 = 3e-4
MAX_ITER = 100_000
FRACS = (2, 10, 100)
L1_RATIOS = (1.0, 0.5, 0.1)
FORMATS = ("dense", "csc", "csr")


def _pair(l1_ratio, **kw):
    if l1_ratio == 1.0:
        return skreg.Lasso(**kw), sk.Lasso(**kw)
    return skreg.ElasticNet(l1_ratio=l1_ratio, **kw), sk.ElasticNet(l1_ratio=l1_ratio, **kw)


def _rel_diff(a, b):
    """max |a - b| over coef and intercept, relative to the reference's largest entry."""
    ca, cb = np.asarray(a.coef_, float), np.asarray(b.coef_, float)
    ia, ib = np.atleast_1d(np.asarray(a.intercept_, float)), np.atleast_1d(
        np.asarray(b.intercept_, float))
    scale = max(np.abs(cb).max(initial=0), np.abs(ib).max(initial=0), 1e-12)
    return max(np.abs(ca - cb).max(initial=0), np.abs(ia - ib).max(initial=0)) / scale


@pytest.fixture(scope="module")
def data():
    return make_data(40, 25, density=0.5, seed=0)


@pytest.fixture(scope="module")
def data32():
    # better conditioned (n > p): float32 fits are then meaningful at tol=1e-7
    return make_data(80, 15, density=0.7, seed=1)


# --------------------------------------------------------------------------------------------
# Estimators, float64


@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("use_sw", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_estimator_parity_float64(data, l1_ratio, fmt, fit_intercept, use_sw, positive):
    X, y, sw = data
    sw = sw if use_sw else None
    Xf = to_format(X, fmt)
    amax = alpha_max(X, y, l1_ratio, sample_weight=sw, fit_intercept=fit_intercept,
                     positive=positive)
    for frac in FRACS:
        for precompute in (False, True):
            ours, ref = _pair(l1_ratio, alpha=amax / frac, fit_intercept=fit_intercept,
                              positive=positive, precompute=precompute, tol=TOL64,
                              max_iter=MAX_ITER)
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                ours.fit(Xf, y, sample_weight=sw)
            ref.fit(Xf, y, sample_weight=sw)
            d = _rel_diff(ours, ref)
            record_parity("float64", d)
            assert d <= RTOL64, (frac, precompute, d)
            assert ours.coef_.shape == ref.coef_.shape
            assert ours.coef_.dtype == ref.coef_.dtype
            assert np.ndim(ours.intercept_) == np.ndim(ref.intercept_)
            if positive:
                assert np.all(ours.coef_ >= 0)
            if not fit_intercept:
                assert ours.intercept_ == 0.0


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_multi_target_parity(l1_ratio, fmt):
    X, Y, sw = make_data(40, 20, n_targets=3, seed=2)
    Xf = to_format(X, fmt)
    amax = alpha_max(X, Y, l1_ratio)
    for frac in FRACS:
        ours, ref = _pair(l1_ratio, alpha=amax / frac, tol=TOL64, max_iter=MAX_ITER)
        ours.fit(Xf, Y, sample_weight=sw)
        ref.fit(Xf, Y, sample_weight=sw)
        assert ours.coef_.shape == ref.coef_.shape == (3, X.shape[1])
        assert np.shape(ours.intercept_) == np.shape(ref.intercept_) == (3,)
        assert np.shape(ours.dual_gap_) == np.shape(ref.dual_gap_)
        assert len(ours.n_iter_) == len(ref.n_iter_) == 3
        d = _rel_diff(ours, ref)
        record_parity("float64", d)
        assert d <= RTOL64
        # each target is an independent problem: same as fitting the columns one by one
        for k in range(3):
            single = _pair(l1_ratio, alpha=amax / frac, tol=TOL64, max_iter=MAX_ITER)[0]
            single.fit(Xf, Y[:, k], sample_weight=sw)
            assert_allclose(ours.coef_[k], single.coef_, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("fmt", ["dense", "csc"])
def test_multi_target_precompute_parity(fmt):
    # (was a bug: Gram mode with 2-D y raised 'ndarray is not C-contiguous')
    X, Y, sw = make_data(40, 10, n_targets=2, seed=3)
    for l1_ratio in (1.0, 0.5):
        for use_sw in (False, True):
            kw = dict(alpha=0.1, precompute=True, tol=TOL64, max_iter=MAX_ITER)
            ours, ref = _pair(l1_ratio, **kw)
            s = sw if use_sw else None
            ours.fit(to_format(X, fmt), Y, sample_weight=s)
            ref.fit(to_format(X, fmt), Y, sample_weight=s)
            d = _rel_diff(ours, ref)
            record_parity("float64", d)
            assert d <= RTOL64


# --------------------------------------------------------------------------------------------
# Estimators, float32


@pytest.mark.parametrize("use_sw", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_estimator_parity_float32(data32, l1_ratio, fmt, fit_intercept, use_sw):
    X, y, sw = data32
    sw = sw if use_sw else None
    X32, y32 = to_format(X, fmt, np.float32), y.astype(np.float32)
    for positive in (False, True):
        amax = alpha_max(X, y, l1_ratio, sample_weight=sw, fit_intercept=fit_intercept,
                         positive=positive)
        for frac in FRACS:
            for precompute in (False, True):
                kw = dict(alpha=amax / frac, fit_intercept=fit_intercept, positive=positive,
                          precompute=precompute, max_iter=MAX_ITER)
                ours = _pair(l1_ratio, tol=TOL32, **kw)[0]
                ref = _pair(l1_ratio, tol=TOL64, **kw)[1]
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    ours.fit(X32, y32, sample_weight=sw)
                ref.fit(to_format(X, fmt), y, sample_weight=sw)
                assert ours.coef_.dtype == np.float32
                assert np.asarray(ours.intercept_).dtype == np.float32 or not fit_intercept
                assert ours.predict(X32).dtype == np.float32
                d = _rel_diff(ours, ref)
                record_parity("float32", d)
                assert d <= RTOL32, (positive, frac, precompute, d)


def test_float32_output_dtypes_match_sklearn():
    X, y, _ = make_data(30, 8, seed=4)
    X32, y32 = X.astype(np.float32), y.astype(np.float32)
    for cls in ("Lasso", "ElasticNet"):
        ours = getattr(skreg, cls)(alpha=0.1).fit(X32, y32)
        ref = getattr(sk, cls)(alpha=0.1).fit(X32, y32)
        assert ours.coef_.dtype == ref.coef_.dtype == np.float32
        assert np.asarray(ours.intercept_).dtype == np.asarray(ref.intercept_).dtype
        assert ours.predict(X32).dtype == ref.predict(X32).dtype


# --------------------------------------------------------------------------------------------
# Precomputed Gram matrix


@pytest.mark.parametrize("use_sw", [False, True])
@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_precompute_array_parity(l1_ratio, use_sw):
    X, y, sw = make_data(50, 12, density=1.0, seed=5)
    sw = sw if use_sw else None
    amax = alpha_max(X, y, l1_ratio, sample_weight=sw, fit_intercept=False)
    if use_sw:
        # scikit-learn checks a given Gram against the sqrt(sw)-rescaled X
        s = sw * len(sw) / sw.sum()
        Xs = X * np.sqrt(s)[:, None]
        G = Xs.T @ Xs
    else:
        G = X.T @ X
    for frac in FRACS:
        kw = dict(alpha=amax / frac, fit_intercept=False, tol=TOL64, max_iter=MAX_ITER)
        ours = _pair(l1_ratio, precompute=G, **kw)[0]
        ref = _pair(l1_ratio, precompute=G, **kw)[1]
        plain = _pair(l1_ratio, precompute=False, **kw)[0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # sw + Gram: skreg recomputes it
            ours.fit(X, y, sample_weight=sw)
        ref.fit(X, y, sample_weight=sw)
        plain.fit(X, y, sample_weight=sw)
        d = _rel_diff(ours, ref)
        record_parity("float64", d)
        assert d <= RTOL64
        assert _rel_diff(ours, plain) <= RTOL64


def test_precompute_array_with_intercept_recomputes_like_sklearn():
    # X not centred + fit_intercept: both warn and recompute the Gram; same solution
    X, y, _ = make_data(50, 12, density=1.0, seed=6)
    G = X.T @ X
    with pytest.warns(UserWarning, match="Gram matrix"):
        ours = skreg.Lasso(alpha=0.05, precompute=G, tol=TOL64, max_iter=MAX_ITER).fit(X, y)
    with pytest.warns(UserWarning, match="Gram matrix"):
        ref = sk.Lasso(alpha=0.05, precompute=G, tol=TOL64, max_iter=MAX_ITER).fit(X, y)
    assert _rel_diff(ours, ref) <= RTOL64


def test_precompute_array_of_centred_X_no_warning():
    X, y, _ = make_data(50, 12, density=1.0, seed=7)
    X = X - X.mean(axis=0)
    assert np.abs(X.mean(axis=0)).max() < 1e-15 and np.any(X.mean(axis=0) != 0)
    G = X.T @ X
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        sk.Lasso(alpha=0.05, precompute=G).fit(X, y)  # scikit-learn: silent
        skreg.Lasso(alpha=0.05, precompute=G).fit(X, y)


def test_bogus_precomputed_gram_raises():
    X, y, _ = make_data(50, 12, density=1.0, seed=8)
    G = 2 * (X.T @ X)  # symmetric but not X.T @ X
    with pytest.raises(ValueError, match="Gram matrix"):
        sk.Lasso(alpha=0.05, precompute=G, fit_intercept=False).fit(X, y)
    with pytest.raises(ValueError, match="Gram matrix"):
        skreg.Lasso(alpha=0.05, precompute=G, fit_intercept=False).fit(X, y)


# --------------------------------------------------------------------------------------------
# Paths


@pytest.mark.parametrize("eps, n_alphas", [(1e-3, 100), (1e-2, 20), (0.05, 7)])
@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_path_alpha_grid_identical(l1_ratio, fmt, eps, n_alphas):
    X, y, _ = make_data(40, 25, seed=9)
    Xf = to_format(X, fmt)
    a_ours = skreg.enet_path(Xf, y, l1_ratio=l1_ratio, eps=eps, alphas=n_alphas, tol=1e-2)[0]
    a_ref = sk.enet_path(Xf, y, l1_ratio=l1_ratio, eps=eps, alphas=n_alphas, tol=1e-2)[0]
    assert a_ours.shape == a_ref.shape == (n_alphas,)
    assert_allclose(a_ours, a_ref, rtol=1e-13, atol=0)
    if l1_ratio == 1.0:
        a_lasso = skreg.lasso_path(Xf, y, eps=eps, alphas=n_alphas, tol=1e-2)[0]
        assert_allclose(a_lasso, sk.lasso_path(Xf, y, eps=eps, alphas=n_alphas, tol=1e-2)[0],
                        rtol=1e-13, atol=0)


def test_path_default_grid_is_100_alphas():
    X, y, _ = make_data(30, 10, seed=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        ours = skreg.lasso_path(X, y)
        ref = sk.lasso_path(X, y)
    assert ours[0].shape == ref[0].shape == (100,)
    assert_allclose(ours[0], ref[0], rtol=1e-13)
    assert ours[1].shape == ref[1].shape == (10, 100)
    assert ours[2].shape == ref[2].shape == (100,)


@pytest.mark.parametrize("precompute", ["auto", False, True])
@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_path_coefs_parity(l1_ratio, fmt, precompute):
    X, y, _ = make_data(40, 25, seed=11)
    Xf = to_format(X, fmt)
    kw = dict(l1_ratio=l1_ratio, eps=1e-2, alphas=15, precompute=precompute, tol=TOL64,
              max_iter=MAX_ITER, return_n_iter=True)
    alphas, coefs, gaps, n_iters = skreg.enet_path(Xf, y, **kw)
    r_alphas, r_coefs, r_gaps, r_n_iters = sk.enet_path(Xf, y, **kw)
    # (X.T @ y in X's own memory order: its last bit depends on the BLAS kernel, and so does
    # alpha_max's)
    assert_allclose(alphas, r_alphas, rtol=1e-13, atol=0)
    assert coefs.shape == r_coefs.shape and gaps.shape == r_gaps.shape
    assert len(n_iters) == len(r_n_iters) == 15
    assert all(isinstance(int(k), int) and k >= 0 for k in n_iters)
    scale = np.abs(r_coefs).max()
    d = np.abs(coefs - r_coefs).max() / scale
    record_parity("float64", d)
    assert d <= RTOL64


@pytest.mark.parametrize("positive", [False, True])
def test_lasso_path_parity_explicit_alphas(positive):
    X, y, _ = make_data(30, 40, seed=12)  # p > n
    amax = alpha_max(X, y, fit_intercept=False, positive=positive)
    alphas = amax * np.array([0.05, 0.9, 0.3, 0.01, 0.5])  # unsorted: both sort decreasing
    ours = skreg.lasso_path(X, y, alphas=alphas, positive=positive, tol=TOL64,
                            max_iter=MAX_ITER)
    ref = sk.lasso_path(X, y, alphas=alphas, positive=positive, tol=TOL64, max_iter=MAX_ITER)
    assert_array_equal(ours[0], ref[0])
    assert_array_equal(ours[0], np.sort(alphas)[::-1])
    d = np.abs(ours[1] - ref[1]).max() / np.abs(ref[1]).max()
    record_parity("float64", d)
    assert d <= RTOL64
    if positive:
        assert np.all(ours[1] >= 0)


def test_path_alphas_int_vs_array():
    X, y, _ = make_data(40, 15, seed=13)
    a_int, c_int, _ = skreg.enet_path(X, y, l1_ratio=0.5, alphas=12, eps=1e-2, tol=TOL64,
                                      max_iter=MAX_ITER)
    a_arr, c_arr, _ = skreg.enet_path(X, y, l1_ratio=0.5, alphas=list(a_int), tol=TOL64,
                                      max_iter=MAX_ITER)
    assert_array_equal(a_int, a_arr)
    assert_allclose(c_int, c_arr, rtol=1e-9, atol=1e-12)


def test_path_deprecated_n_alphas_warns_like_sklearn():
    X, y, _ = make_data(30, 10, seed=14)
    with pytest.warns(FutureWarning, match="n_alphas"):
        ours = skreg.lasso_path(X, y, n_alphas=7)
    with pytest.warns(FutureWarning, match="n_alphas"):
        ref = sk.lasso_path(X, y, n_alphas=7)
    assert_allclose(ours[0], ref[0], rtol=1e-13)
    with pytest.warns(FutureWarning, match="alphas=None"):
        skreg.lasso_path(X, y, alphas=None)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_path_coef_init(l1_ratio):
    X, y, _ = make_data(40, 20, seed=15)
    amax = alpha_max(X, y, l1_ratio, fit_intercept=False)
    alphas = amax * np.array([0.3, 0.1, 0.03])
    rng = np.random.RandomState(0)
    coef_init = rng.randn(X.shape[1])
    kw = dict(l1_ratio=l1_ratio, alphas=alphas, tol=TOL64, max_iter=MAX_ITER)
    cold = skreg.enet_path(X, y, **kw)[1]
    warm = skreg.enet_path(X, y, coef_init=coef_init, **kw)[1]
    # skreg leaves coef_init untouched (scikit-learn overwrites a float64 one in place)
    assert_array_equal(coef_init, np.random.RandomState(0).randn(X.shape[1]))
    ref = sk.enet_path(X, y, coef_init=coef_init.copy(), **kw)[1]
    scale = np.abs(ref).max()
    assert np.abs(warm - ref).max() / scale <= RTOL64
    assert np.abs(warm - cold).max() / scale <= RTOL64
    # starting at the solution: first alpha converges (almost) immediately
    _, _, _, n_iter = skreg.enet_path(X, y, coef_init=cold[:, 0], return_n_iter=True,
                                      **{**kw, "alphas": alphas[:1], "tol": 1e-10})
    _, _, _, n_iter_cold = skreg.enet_path(X, y, return_n_iter=True,
                                           **{**kw, "alphas": alphas[:1], "tol": 1e-10})
    assert n_iter[0] <= n_iter_cold[0]


def test_path_return_n_iter():
    X, y, _ = make_data(30, 10, seed=16)
    out = skreg.lasso_path(X, y, alphas=6, return_n_iter=True)
    ref = sk.lasso_path(X, y, alphas=6, return_n_iter=True)
    assert len(out) == len(ref) == 4
    assert np.shape(out[3]) == np.shape(ref[3]) == (6,)
    out3 = skreg.lasso_path(X, y, alphas=6)
    assert len(out3) == 3


def test_path_precompute_gram_and_Xy():
    X, y, _ = make_data(60, 10, density=1.0, seed=17)
    G, Xy = X.T @ X, X.T @ y
    kw = dict(l1_ratio=0.7, alphas=10, eps=1e-2, tol=TOL64, max_iter=MAX_ITER)
    ours = skreg.enet_path(X, y, precompute=G, Xy=Xy, **kw)
    ref = sk.enet_path(X, y, precompute=G, Xy=Xy, **kw)
    plain = skreg.enet_path(X, y, precompute=False, **kw)
    assert_array_equal(ours[0], ref[0])
    scale = np.abs(ref[1]).max()
    assert np.abs(ours[1] - ref[1]).max() / scale <= RTOL64
    assert np.abs(ours[1] - plain[1]).max() / scale <= RTOL64


def test_path_float32():
    X, y, _ = make_data(80, 15, density=0.7, seed=18)
    ours = skreg.enet_path(X.astype(np.float32), y.astype(np.float32), l1_ratio=0.5,
                           alphas=10, eps=1e-2, tol=TOL32, max_iter=MAX_ITER)
    ref = sk.enet_path(X, y, l1_ratio=0.5, alphas=10, eps=1e-2, tol=TOL64, max_iter=MAX_ITER)
    assert ours[1].dtype == np.float32
    assert_allclose(ours[0], ref[0], rtol=1e-6)
    d = np.abs(ours[1] - ref[1]).max() / np.abs(ref[1]).max()
    record_parity("float32", d)
    assert d <= RTOL32


@pytest.mark.parametrize("use_sw", [False, True])
@pytest.mark.parametrize("fmt", ["dense", "csc"])
def test_path_fit_intercept_and_sample_weight_match_estimator(fmt, use_sw):
    # skreg extension: enet_path(..., fit_intercept=True, sample_weight=sw) solves, at each
    # alpha, the problem scikit-learn's ElasticNet solves.
    X, y, sw = make_data(40, 15, seed=19)
    sw = sw if use_sw else None
    Xf = to_format(X, fmt)
    alphas, coefs, _ = skreg.enet_path(Xf, y, l1_ratio=0.5, alphas=6, eps=1e-2,
                                       fit_intercept=True, sample_weight=sw, tol=TOL64,
                                       max_iter=MAX_ITER)
    amax = alpha_max(X, y, 0.5, sample_weight=sw, fit_intercept=True)
    assert_allclose(alphas[0], amax, rtol=1e-12)
    for i, a in enumerate(alphas):
        ref = sk.ElasticNet(alpha=a, l1_ratio=0.5, tol=TOL64, max_iter=MAX_ITER).fit(
            Xf, y, sample_weight=sw)
        scale = max(np.abs(ref.coef_).max(), 1.0)
        assert np.abs(coefs[:, i] - ref.coef_).max() / scale <= RTOL64


def test_path_multi_target_is_multi_task():
    # a 2-D y: the multi-task (L2,1) problem, as scikit-learn's enet_path (positive: skreg's
    # extension, every coefficient non-negative)
    X, Y, _ = make_data(40, 12, n_targets=2, seed=20)
    for path, ref in ((skreg.lasso_path, sk.lasso_path), (skreg.enet_path, sk.enet_path)):
        alphas, coefs, _ = path(X, Y, alphas=3, tol=TOL64, max_iter=MAX_ITER)
        ref_alphas, ref_coefs, _ = ref(X, Y, alphas=3, tol=TOL64, max_iter=MAX_ITER)
        assert_allclose(alphas, ref_alphas, rtol=1e-12)
        scale = max(np.abs(ref_coefs).max(), 1.0)
        assert np.abs(coefs - ref_coefs).max() / scale <= RTOL64
        assert (path(X, Y, alphas=3, positive=True)[1] >= 0).all()


# --------------------------------------------------------------------------------------------
# Warm start


@pytest.mark.parametrize("precompute", [False, True])
@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_warm_start_equals_cold_fit(l1_ratio, fmt, precompute):
    X, y, sw = make_data(40, 25, seed=22)
    Xf = to_format(X, fmt)
    amax = alpha_max(X, y, l1_ratio, sample_weight=sw)
    kw = dict(fit_intercept=True, precompute=precompute, tol=TOL64, max_iter=MAX_ITER)
    warm = _pair(l1_ratio, alpha=amax / 10, warm_start=True, **kw)[0]
    warm.fit(Xf, y, sample_weight=sw)
    first_coef = warm.coef_.copy()
    warm.set_params(alpha=amax / 12)
    warm.fit(Xf, y, sample_weight=sw)
    assert not np.array_equal(first_coef, warm.coef_)
    cold = _pair(l1_ratio, alpha=amax / 12, **kw)[0].fit(Xf, y, sample_weight=sw)
    ref = _pair(l1_ratio, alpha=amax / 12, **kw)[1].fit(Xf, y, sample_weight=sw)
    assert _rel_diff(warm, cold) <= RTOL64
    assert _rel_diff(warm, ref) <= RTOL64
