"""Optimality of skreg's solutions, checked directly (no reference solver needed for most).

For a returned (coef_, intercept_) of
P(w) = 1/(2n)||y~ - X~w||^2 + a rho ||w||_1 + a(1-rho)/2 ||w||^2
(y~, X~ centred with the weighted means and rows scaled by sqrt(s)), we check:

* the duality gap, recomputed in numpy from coef_ with two dual points (scikit-learn's, which
  folds the L2 term into an augmented design, and the exact Fenchel conjugate), bounds the
  suboptimality, and skreg's `dual_gap_` is <= tol * ||y~||^2 / n whenever it did not warn;
* `dual_gap_` itself is a valid certificate: P(coef_) - P(w_ref) <= dual_gap_ for a tightly
  solved reference w_ref (P(w_ref) >= P*);
* KKT: with g = X~^T r / n - a(1-rho) w, every coordinate's proximal-gradient step is at most
  sqrt(2 G / L_j) (L_j = ||x~_j||^2/n + a(1-rho)), because one exact coordinate step decreases
  P by at least L_j/2 step^2 <= P(w) - P* <= G. Hence |g_j| <= a rho + sqrt(2 L_j G) on zeros
  (g_j <= a rho with positive=True) and |g_j - a rho sign(w_j)| <= sqrt(2 L_j G) on non-zeros far
  enough from 0 (and sign(g_j) = sign(w_j));
* the intercept makes the weighted residuals sum to 0.
"""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk
from conftest import alpha_max, centered_weighted, duality_gap, make_data, primal, to_format
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning

import skreg

# no database and no explain phase: nothing is written to the working tree
SETTINGS = dict(derandomize=True, deadline=None, database=None,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --------------------------------------------------------------------------------------------
# numpy re-implementations


def gaps_numpy(Xt, yt, w, alpha, l1_ratio, positive=False):
    """(gap_A, gap_B) / n at w for the centred weighted problem (X~, y~), both valid bounds."""
    n = Xt.shape[0]
    w = np.asarray(w, dtype=np.float64)
    gap_a = duality_gap(Xt, yt, w, alpha, l1_ratio, positive)
    lam, beta = n * alpha * l1_ratio, n * alpha * (1 - l1_ratio)
    R = yt - Xt @ w
    u = Xt.T @ R
    primal_n = 0.5 * R @ R + lam * np.abs(w).sum() + 0.5 * beta * w @ w
    if beta > 0:
        # exact conjugate of lam|w| + beta/2 w^2 (+ w >= 0), at theta = R
        e = np.maximum(u - lam, 0) if positive else np.maximum(np.abs(u) - lam, 0)
        dual = -0.5 * R @ R + R @ yt - np.sum(e**2) / (2 * beta)
        gap_b = (primal_n - dual) / n
    else:
        gap_b = gap_a
    return gap_a, gap_b


def check_kkt(Xt, yt, w, alpha, l1_ratio, positive, G, slack):
    n = Xt.shape[0]
    w = np.asarray(w, dtype=np.float64)
    lam1 = alpha * l1_ratio
    l2 = alpha * (1 - l1_ratio)
    g = Xt.T @ (yt - Xt @ w) / n - l2 * w
    L = np.einsum("ij,ij->j", Xt, Xt) / n + l2
    moving = L > 0
    bound = np.sqrt(2 * L * max(G, 0.0)) + slack
    # proximal-gradient step of every coordinate
    z = w + np.where(moving, g / np.where(moving, L, 1), 0)
    thr = np.where(moving, lam1 / np.where(moving, L, 1), 0)
    prox = np.sign(z) * np.maximum(np.abs(z) - thr, 0)
    if positive:
        prox = np.maximum(prox, 0)
    step = np.where(moving, np.abs(prox - w) * L, 0)
    assert np.all(step <= bound), ("prox-gradient step", np.max(step - bound))

    zero = (w == 0) & moving
    if positive:
        assert np.all(g[zero] <= lam1 + bound[zero]), "KKT on zeros (positive)"
        assert np.all(w >= 0)
    else:
        assert np.all(np.abs(g[zero]) <= lam1 + bound[zero]), "KKT on zeros"
    # non-zeros that an exact coordinate step could not send to 0
    far = (w != 0) & moving & (np.abs(w) > bound / np.where(moving, L, 1))
    resid = np.abs(g[far] - lam1 * np.sign(w[far]))
    assert np.all(resid <= bound[far]), ("KKT equality on non-zeros", np.max(resid - bound[far]))
    if lam1 > 0:
        strong = far & (np.abs(g) > bound)
        assert np.all(np.sign(g[strong]) == np.sign(w[strong])), "KKT sign on non-zeros"


def fit_and_check(X, y, sw, *, l1_ratio, frac, fit_intercept, positive, precompute, tol,
                  fmt, dtype=np.float64, selection="cyclic", check_kkt_with_claim=True):
    n = X.shape[0]
    l1_for_amax = max(l1_ratio, 0.05)
    amax = alpha_max(X, y, l1_for_amax, sample_weight=sw, fit_intercept=fit_intercept,
                     positive=positive)
    if amax <= 0:
        amax = 1.0
    alpha = amax * frac
    Xf = to_format(X, fmt, dtype)
    est = skreg.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                           positive=positive, precompute=precompute, tol=tol,
                           max_iter=20_000, selection=selection, random_state=0)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always", ConvergenceWarning)
        est.fit(Xf, y.astype(dtype), sample_weight=sw)
    converged = not any(issubclass(r.category, ConvergenceWarning) for r in rec)

    Xt, yt = centered_weighted(X.astype(dtype), y.astype(dtype), sw, fit_intercept)
    yy_n = yt @ yt / n
    w = np.asarray(est.coef_, dtype=np.float64)
    eps = np.finfo(dtype).eps
    scale = max(yy_n, 1e-300)
    # rounding allowance of a gap computed in `dtype` (differences of O(||y||^2) terms)
    gap_slack = 50 * eps * scale * (1 + np.sqrt(X.shape[1]))

    assert np.isfinite(est.dual_gap_) and est.dual_gap_ >= 0
    assert np.all(np.isfinite(w)) and np.isfinite(est.intercept_)
    if positive:
        assert np.all(w >= 0)
    if converged:
        assert est.dual_gap_ <= tol * yy_n * (1 + 1e-6) + gap_slack
    gap_a, gap_b = gaps_numpy(Xt, yt, w, alpha, l1_ratio, positive)
    G_np = min(gap_a, gap_b)
    assert G_np >= -gap_slack

    # intercept: weighted residuals sum to zero
    if fit_intercept:
        s = np.ones(n) if sw is None else sw * n / sw.sum()
        Xd = X.astype(dtype).astype(np.float64)
        r = y.astype(dtype) - Xd @ w - float(est.intercept_)
        tol_b = 1e3 * eps * (np.abs(y).max() + np.abs(Xd @ w).max() + 1) * n
        assert abs(s @ r) <= tol_b
    else:
        assert est.intercept_ == 0.0

    slack = 1e3 * eps * (1 + np.abs(Xt.T @ yt).max() / n)
    check_kkt(Xt, yt, w, alpha, l1_ratio, positive, G_np + gap_slack, slack)
    if converged and check_kkt_with_claim:
        check_kkt(Xt, yt, w, alpha, l1_ratio, positive, est.dual_gap_ + gap_slack, slack)
    return est, alpha, (gap_a, gap_b), converged


# --------------------------------------------------------------------------------------------
# Randomized problems, float64


problems = st.fixed_dictionaries(dict(
    n=st.integers(3, 50),
    p=st.integers(1, 40),
    density=st.sampled_from([1.0, 0.6, 0.2]),
    seed=st.integers(0, 2**16),
    l1_ratio=st.sampled_from([1.0, 1.0, 0.9, 0.5, 0.3, 0.1, 0.01]),
    frac=st.floats(1e-3, 1.2),
    fit_intercept=st.booleans(),
    use_sw=st.booleans(),
    positive=st.booleans(),
    precompute=st.booleans(),
    fmt=st.sampled_from(["dense", "dense", "csc", "csr"]),
    tol=st.sampled_from([1e-4, 1e-6, 1e-8, 1e-10]),
    selection=st.sampled_from(["cyclic", "cyclic", "random"]),
    n_informative=st.integers(0, 8),
))


@settings(max_examples=120, **SETTINGS)
@given(problems)
def test_optimality_float64(prob):
    X, y, sw = make_data(prob["n"], prob["p"], density=prob["density"], seed=prob["seed"],
                         n_informative=prob["n_informative"])
    sw = sw if prob["use_sw"] else None
    est, alpha, (gap_a, gap_b), converged = fit_and_check(
        X, y, sw, l1_ratio=prob["l1_ratio"], frac=prob["frac"],
        fit_intercept=prob["fit_intercept"], positive=prob["positive"],
        precompute=prob["precompute"], tol=prob["tol"], fmt=prob["fmt"],
        selection=prob["selection"])

    # the claimed gap is a valid certificate: compare against a tightly solved reference
    n = X.shape[0]
    ref = sk.ElasticNet(alpha=alpha, l1_ratio=prob["l1_ratio"],
                        fit_intercept=prob["fit_intercept"], positive=prob["positive"],
                        tol=1e-15, max_iter=200_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ref.fit(X, y, sample_weight=sw)
    P = primal(X, y, est.coef_, est.intercept_, alpha, prob["l1_ratio"], sw)
    P_ref = primal(X, y, ref.coef_, ref.intercept_, alpha, prob["l1_ratio"], sw)
    Xt, yt = centered_weighted(X, y, sw, prob["fit_intercept"])
    yy_n = yt @ yt / n
    slack = 1e-12 * max(yy_n, P_ref, 1e-300)
    assert P - P_ref <= est.dual_gap_ + slack, (P - P_ref, est.dual_gap_)
    assert P - P_ref <= min(gap_a, gap_b) + slack


# --------------------------------------------------------------------------------------------
# Randomized problems, float32 (tolerances a float32 gap can certify)


problems32 = st.fixed_dictionaries(dict(
    n=st.integers(10, 60),
    p=st.integers(1, 25),
    density=st.sampled_from([1.0, 0.5]),
    seed=st.integers(0, 2**16),
    l1_ratio=st.sampled_from([1.0, 0.5, 0.1]),
    frac=st.floats(1e-2, 1.0),
    fit_intercept=st.booleans(),
    use_sw=st.booleans(),
    positive=st.booleans(),
    precompute=st.booleans(),
    fmt=st.sampled_from(["dense", "csc"]),
    tol=st.sampled_from([1e-4, 1e-5, 1e-6]),
))


@settings(max_examples=40, **SETTINGS)
@given(problems32)
def test_optimality_float32(prob):
    X, y, sw = make_data(prob["n"], prob["p"], density=prob["density"], seed=prob["seed"])
    sw = sw if prob["use_sw"] else None
    est, alpha, _, converged = fit_and_check(
        X, y, sw, l1_ratio=prob["l1_ratio"], frac=prob["frac"],
        fit_intercept=prob["fit_intercept"], positive=prob["positive"],
        precompute=prob["precompute"], tol=prob["tol"], fmt=prob["fmt"], dtype=np.float32)
    assert converged
    assert est.coef_.dtype == np.float32
    # certificate, evaluated in float64 against a float64 reference
    X32 = X.astype(np.float32).astype(np.float64)
    y32 = y.astype(np.float32).astype(np.float64)
    ref = sk.ElasticNet(alpha=alpha, l1_ratio=prob["l1_ratio"],
                        fit_intercept=prob["fit_intercept"], positive=prob["positive"],
                        tol=1e-14, max_iter=200_000).fit(X32, y32, sample_weight=sw)
    P = primal(X32, y32, est.coef_, est.intercept_, alpha, prob["l1_ratio"], sw)
    P_ref = primal(X32, y32, ref.coef_, ref.intercept_, alpha, prob["l1_ratio"], sw)
    Xt, yt = centered_weighted(X32, y32, sw, prob["fit_intercept"])
    yy_n = yt @ yt / X.shape[0]
    assert P - P_ref <= prob["tol"] * yy_n + 1e-6 * yy_n


# --------------------------------------------------------------------------------------------
# Paths: every point of the path is certified


paths = st.fixed_dictionaries(dict(
    n=st.integers(5, 40),
    p=st.integers(2, 40),
    seed=st.integers(0, 2**16),
    l1_ratio=st.sampled_from([1.0, 0.7, 0.2]),
    precompute=st.sampled_from(["auto", False, True]),
    fmt=st.sampled_from(["dense", "csc"]),
    positive=st.booleans(),
    tol=st.sampled_from([1e-4, 1e-7, 1e-10]),
))


@settings(max_examples=40, **SETTINGS)
@given(paths)
def test_path_optimality(prob):
    X, y, _ = make_data(prob["n"], prob["p"], density=0.5, seed=prob["seed"])
    Xf = to_format(X, prob["fmt"])
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always", ConvergenceWarning)
        alphas, coefs, gaps = skreg.enet_path(
            Xf, y, l1_ratio=prob["l1_ratio"], alphas=8, eps=1e-2, positive=prob["positive"],
            precompute=prob["precompute"], tol=prob["tol"], max_iter=20_000)
    converged = not rec
    n = X.shape[0]
    yy_n = y @ y / n
    assert gaps.shape == alphas.shape == (8,)
    assert np.all(np.diff(alphas) <= 0)
    if alphas[0] > 1e-15:  # (1e-15 everywhere: degenerate grid, as scikit-learn's)
        assert np.all(np.diff(alphas) < 0)
        assert np.all(coefs[:, 0] == 0)  # alpha_max (positivity-aware, as scikit-learn's)
    for i, a in enumerate(alphas):
        w = coefs[:, i]
        ga, gb = gaps_numpy(X, y, w, a, prob["l1_ratio"], prob["positive"])
        assert gaps[i] >= 0
        if converged:
            assert gaps[i] <= prob["tol"] * yy_n * (1 + 1e-6) + 1e-13 * yy_n
        check_kkt(X, y, w, a, prob["l1_ratio"], prob["positive"], min(ga, gb) + 1e-13 * yy_n,
                  1e-10 * (1 + np.abs(X.T @ y).max() / n))


# --------------------------------------------------------------------------------------------
# Deterministic cases


def test_zero_solution_above_alpha_max():
    X, y, sw = make_data(30, 12, seed=1)
    for l1_ratio in (1.0, 0.5):
        for positive in (False, True):
            amax = alpha_max(X, y, l1_ratio, sample_weight=sw, positive=positive)
            est = skreg.ElasticNet(alpha=amax * 1.0001, l1_ratio=l1_ratio, positive=positive,
                                   tol=1e-12).fit(X, y, sample_weight=sw)
            assert np.all(est.coef_ == 0)
            assert_allclose(est.intercept_, np.average(y, weights=sw), rtol=1e-12)
            est = skreg.ElasticNet(alpha=amax * 0.99, l1_ratio=l1_ratio, positive=positive,
                                   tol=1e-12).fit(X, y, sample_weight=sw)
            assert np.count_nonzero(est.coef_) >= 1


def test_dual_gap_matches_numpy_when_nothing_is_screened():
    # small alpha, n > p, every feature active: skreg's gap is the full-problem gap
    X, y, _ = make_data(60, 8, density=1.0, seed=3, n_informative=8)
    for l1_ratio in (1.0, 0.5):
        est = skreg.ElasticNet(alpha=1e-3, l1_ratio=l1_ratio, tol=1e-6).fit(X, y)
        assert np.all(est.coef_ != 0)
        Xt, yt = centered_weighted(X, y)
        ga, gb = gaps_numpy(Xt, yt, est.coef_, 1e-3, l1_ratio)
        yy_n = yt @ yt / len(y)
        assert_allclose(est.dual_gap_, min(ga, gb), rtol=1e-5, atol=1e-12 * yy_n)


def test_convergence_warning_reports_gap_above_tol():
    X, y, _ = make_data(40, 30, seed=4)
    est = skreg.ElasticNet(alpha=1e-3, l1_ratio=0.9, max_iter=2, tol=1e-12)
    with pytest.warns(ConvergenceWarning):
        est.fit(X, y)
    Xt, yt = centered_weighted(X, y)
    yy_n = yt @ yt / len(y)
    assert est.dual_gap_ > 1e-12 * yy_n
    assert est.n_iter_ <= 2


def test_sample_weight_equivalence_within_certificate_default_tol():
    # Weighted fit vs repeated rows at the default tol: not bitwise equal (see test_common),
    # but both certified: predictions within sqrt(2 n G) of each other in the l2 norm.
    rng = np.random.RandomState(42)
    X = rng.rand(15, 30)
    y = rng.randint(0, 3, size=15).astype(float)
    sw = rng.randint(0, 5, size=15)
    Xr, yr = X.repeat(sw, axis=0), y.repeat(sw)
    for fmt in ("dense", "csr"):
        a = skreg.Lasso(alpha=1e-3, max_iter=10_000).fit(to_format(Xr, fmt), yr)
        b = skreg.Lasso(alpha=1e-3, max_iter=10_000).fit(to_format(X, fmt), y,
                                                         sample_weight=sw)
        Xt, yt = centered_weighted(Xr, yr)
        yy_n = yt @ yt / len(yr)
        assert a.dual_gap_ <= 1e-4 * yy_n and b.dual_gap_ <= 1e-4 * yy_n * (1 + 1e-9)
        # strong convexity in the prediction: ||X(w_a - w_b)||^2/(2n) <= 2(G_a + G_b) (n = len(yr))
        diff = Xr @ (a.coef_ - b.coef_) + (a.intercept_ - b.intercept_)
        assert diff @ diff / (2 * len(yr)) <= 2 * (a.dual_gap_ + b.dual_gap_) + 1e-12
        # tighter tol: the check's rtol=1e-7 holds
        a = skreg.Lasso(alpha=1e-3, tol=1e-10, max_iter=10_000).fit(to_format(Xr, fmt), yr)
        b = skreg.Lasso(alpha=1e-3, tol=1e-10, max_iter=10_000).fit(to_format(X, fmt), y,
                                                                    sample_weight=sw)
        assert_allclose(a.predict(X), b.predict(X), rtol=1e-7, atol=1e-9)


def test_sparse_and_dense_give_same_solution():
    X, y, sw = make_data(50, 30, density=0.2, seed=5)
    for l1_ratio in (1.0, 0.3):
        kw = dict(alpha=0.05, l1_ratio=l1_ratio, tol=1e-13, max_iter=50_000)
        d = skreg.ElasticNet(**kw).fit(X, y, sample_weight=sw)
        for fmt in ("csc", "csr"):
            s = skreg.ElasticNet(**kw).fit(to_format(X, fmt), y, sample_weight=sw)
            # a gap at float64 roundoff certifies w to ~sqrt(eps) (the gap is quadratic in
            # the error): 1e-6 of the largest coefficient
            scale = np.abs(d.coef_).max()
            assert_allclose(s.coef_, d.coef_, rtol=0, atol=1e-6 * scale)
            assert_allclose(s.intercept_, d.intercept_, rtol=0, atol=1e-6 * scale)


def test_unpenalized_and_constant_columns():
    # zero and constant columns (zero after centring) get coef 0 and do not break the solver
    X, y, _ = make_data(30, 6, density=1.0, seed=6)
    X[:, 1] = 0.0
    X[:, 3] = 5.0
    for fmt in ("dense", "csc"):
        for precompute in (False, True):
            est = skreg.Lasso(alpha=0.01, tol=1e-12, precompute=precompute).fit(
                to_format(X, fmt), y)
            assert est.coef_[1] == 0 and est.coef_[3] == 0
            ref = sk.Lasso(alpha=0.01, tol=1e-12).fit(X, y)
            assert_allclose(est.coef_, ref.coef_, rtol=1e-6, atol=1e-9)
            assert_allclose(est.intercept_, ref.intercept_, rtol=1e-9)


def test_sparse_matrix_with_explicit_zeros_and_duplicates():
    X, y, _ = make_data(30, 10, density=0.4, seed=7)
    coo = sparse.coo_matrix(X)
    # split every stored value into two duplicates, and add explicit zeros
    rows = np.r_[coo.row, coo.row, [0, 1, 2]]
    cols = np.r_[coo.col, coo.col, [0, 1, 2]]
    vals = np.r_[coo.data * 0.25, coo.data * 0.75, [0.0, 0.0, 0.0]]
    Xdup = sparse.csc_matrix((vals, (rows, cols)), shape=X.shape)
    Xdup.has_canonical_format = False
    est = skreg.Lasso(alpha=0.02, tol=1e-12).fit(Xdup, y)
    ref = skreg.Lasso(alpha=0.02, tol=1e-12).fit(X, y)
    assert_allclose(est.coef_, ref.coef_, rtol=1e-8, atol=1e-12)


# --------------------------------------------------------------------------------------------
# Regression: invalid dual point (found by a 1500-example run of test_optimality_float64)

_DUAL_SCALING_BUG = (
    "skreg bug: duality_gap() scales the dual point by s_opt = ry/rr > 1, capped only by the "
    "constraints already violated at s=1 (sa_max/sb_max ignore |x_j^T r| <= lam), so theta = "
    "s r is dual-infeasible: dual_gap_ = 0 is reported on a non-optimal w and CD stops early"
)


@pytest.mark.parametrize("case", [
    # n, p, density, seed, n_informative, frac of alpha_max, fit_intercept, dtype
    (3, 2, 0.2, 178, 0, 0.5, False, np.float64),
    (10, 10, 1.0, 16267, 6, 0.25, True, np.float64),
    (10, 9, 0.5, 0, 6, 0.5, True, np.float32),
], ids=["3x2-no-intercept", "10x10-default-tol", "10x9-float32"])
def test_reported_gap_is_a_valid_certificate_regression(case):
    n, p, density, seed, n_inf, frac, fit_intercept, dtype = case
    X, y, _ = make_data(n, p, density=density, seed=seed, n_informative=n_inf)
    alpha = alpha_max(X, y, fit_intercept=fit_intercept) * frac
    est = skreg.Lasso(alpha=alpha, fit_intercept=fit_intercept).fit(X.astype(dtype),
                                                                     y.astype(dtype))
    ref = sk.Lasso(alpha=alpha, fit_intercept=fit_intercept, tol=1e-15,
                   max_iter=100_000).fit(X, y)
    Xt, yt = centered_weighted(X, y, None, fit_intercept)
    subopt = (primal(X, y, est.coef_, est.intercept_, alpha, 1.0)
              - primal(X, y, ref.coef_, ref.intercept_, alpha, 1.0))
    # P(w) - P* <= dual_gap_ <= tol ||y~||^2 / n  (no ConvergenceWarning was raised)
    slack = (1e-12 if dtype == np.float64 else 1e-6) * (yt @ yt / n)
    assert subopt <= est.dual_gap_ + slack
    assert_allclose(est.coef_, ref.coef_, atol=1e-2 * np.abs(ref.coef_).max())


# --------------------------------------------------------------------------------------------
# the path kernel (one call for the whole alpha grid) against one call per alpha

def _low_rank_wide(n, p, seed):
    """Expression-like data: a few latent factors, p >> n."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 10)) @ rng.standard_normal((10, p))
    X += 0.5 * rng.standard_normal((n, p))
    return X, X[:, :10] @ rng.standard_normal(10) + rng.standard_normal(n)


@pytest.mark.parametrize("fmt", ["dense", "csc", "gram"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", ["tall, tight", "wide, loose"])
def test_path_kernel_equals_one_solve_per_alpha(fmt, l1_ratio, dtype, case):
    """solve_alphas hands the whole grid to the kernel; it must give bit for bit what
    cd_solve() calls with penalty_arrays give, alpha after alpha (same kernel, same
    penalties), each started as the path kernel starts it: from the 3rd alpha on, the last two
    solutions extrapolated linearly in alpha, a coefficient whose sign would change (or that
    would leave its bounds) at zero, a zero coefficient staying zero -- that prediction kept
    only when its objective at the new alpha is below the warm start's.

    On Gram data the path kernel carries state from one alpha to the next that separate calls
    cannot: the Cholesky factor of the support (extended, not recomputed) and whether exact
    steps at a solve's start have been certifying. There it is the same point to rounding
    when both end with the exact step (float64 at tol 1e-8), and the same objective within
    tol otherwise. On wide data at a loose tol, predictions are rejected."""
    from skreg._design import Design
    from skreg._path import alpha_grid, solve_alphas
    from skreg._solve import cd_solve, penalty_arrays, penalty_scales

    if case == "tall, tight":
        X, y, _ = make_data(60, 40, seed=11)
        tol = 1e-8 if dtype == np.float64 else 1e-5
    else:
        X, y = _low_rank_wide(30, 150, seed=3)
        tol = 1e-4
    Xc = X - X.mean(axis=0)           # the kernel's objective, in float64, for the predictor
    yc = (y - y.mean()).astype(np.float64)
    X = to_format(X, "csc" if fmt == "csc" else "dense", dtype)
    design = Design(X, y.astype(dtype), fit_intercept=True, precompute=fmt == "gram")
    assert design.kind == ("gram" if fmt == "gram" else "sparse" if fmt == "csc" else "dense")
    alphas = alpha_grid(design.alpha_max(l1_ratio), eps=1e-2, n_alphas=12)
    def objective(c, penalty):
        c = c.astype(np.float64)
        lam, beta = penalty[0].astype(np.float64), penalty[1].astype(np.float64)
        return 0.5 * np.sum((yc - Xc @ c) ** 2) + lam @ np.abs(c) + 0.5 * beta @ c**2

    n_rejected = 0
    for positive in (False, True):
        coefs, gaps, n_iter = solve_alphas(design, 0, alphas, l1_ratio, tol=tol,
                                           positive=positive)
        w = np.zeros(X.shape[1], dtype=dtype)
        scales = np.column_stack(penalty_scales(alphas, l1_ratio, design.n_samples))
        for i, alpha in enumerate(alphas):
            penalty = penalty_arrays(X.shape[1], dtype, alpha, l1_ratio, design.n_samples,
                                     positive=positive)
            if i >= 2:
                a0, a1, a2 = scales[i - 2:i + 1, 0]
                t = (a1 - a2) / (a0 - a1)
                assert 0 < t <= 2
                step = (w - coefs[:, i - 2]).astype(np.float64)  # in the data's precision
                pred = (w.astype(np.float64) + t * step).astype(dtype)
                pred[(pred > 0) != (w > 0)] = 0
                if positive:
                    pred = np.maximum(pred, 0)
                pred = np.where(w == 0, w, pred).astype(dtype)
                if objective(pred, penalty) < objective(w, penalty):
                    w = pred
                else:
                    n_rejected += not np.array_equal(pred, w)
            gap, it = cd_solve(design, 0, w, penalty, tol=tol, max_iter=1000)
            if fmt != "gram":
                assert np.array_equal(coefs[:, i], w), (positive, i)
                assert gaps[i] == gap and n_iter[i] == it
            elif dtype == np.float64 and tol <= 1e-8:
                np.testing.assert_allclose(coefs[:, i], w, rtol=1e-9, atol=1e-12)
            else:
                # the kernel's objective (unscaled), whose gap is certified below tol * yy
                objs = [objective(c, penalty) for c in (coefs[:, i], w)]
                assert abs(objs[0] - objs[1]) <= 2 * tol * float(design.yy[0])
        assert coefs.dtype == dtype and len(n_iter) == len(alphas)
    assert n_rejected > 0 or case == "tall, tight"  # the check at stake is exercised


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("shape", [(40, 800), (50, 1000)])
def test_loose_path_not_slower_than_tight_on_low_rank_wide_data(seed, shape):
    """Expression-like data (_low_rank_wide), elastic net: supports grow past
    n along the path. A loose tolerance must cost fewer epochs than a tight one. It did not:
    the path predictor extrapolated the loose solutions' errors along with the path (2 to 7
    times the tight path's epochs), and the signs-fixed Newton step was refused for supports
    of n or more features even though the L2 term keeps their system solvable."""
    n, p = shape
    X, y = _low_rank_wide(n, p, seed)
    epochs = {}
    for tol in (1e-4, 1e-7):
        _, coefs, gaps, n_iter = skreg.enet_path(X, y, l1_ratio=0.5, alphas=50, tol=tol,
                                                 max_iter=100_000, return_n_iter=True,
                                                 fit_intercept=True)
        assert np.max(gaps) <= tol * np.sum((y - y.mean()) ** 2) / n
        assert np.count_nonzero(coefs[:, -1]) > n  # the case at stake
        epochs[tol] = sum(n_iter)
    assert epochs[1e-4] <= 0.6 * epochs[1e-7], epochs


def test_path_kernel_warns_once_with_the_worst_gap():
    X, y, _ = make_data(40, 80, seed=12)
    with pytest.warns(ConvergenceWarning, match="Duality gap") as record:
        _, _, gaps = skreg.lasso_path(X, y, alphas=20, eps=1e-3, tol=1e-12, max_iter=2)
    assert len([r for r in record if issubclass(r.category, ConvergenceWarning)]) == 1
    assert gaps[0] == 0 and np.max(gaps) > 0  # alpha_max is solved at once, the rest is not


def test_csc_column_stats_match_numpy():
    from skreg import _cd_fast
    rng = np.random.default_rng(0)
    X = sparse.random(50, 30, density=0.2, format="csc", random_state=rng)
    X = sparse.csc_matrix(X.multiply(np.arange(30) != 3))  # column 3 empty
    v = rng.uniform(0.5, 2.0, 50)
    for idx in (np.int32, np.int64):
        sq, xv = _cd_fast.csc_column_stats(X.data, X.indices.astype(idx), X.indptr.astype(idx), v)
        assert_allclose(sq, np.asarray(X.multiply(X).sum(axis=0)).ravel(), rtol=1e-13)
        assert_allclose(xv, X.T @ v, rtol=1e-13)
        assert sq[3] == 0 and xv[3] == 0


# --------------------------------------------------------------------------------------------
# The sparse Newton step (conjugate gradients on a large support)


def _sparse_wide(seed=0, offset=2.0):
    """1000 x 5000, ten entries per column: at alpha_max / 100 the support holds ~770 columns,
    where CD crawls and the kernel takes its conjugate-gradient Newton steps."""
    rng = np.random.default_rng(seed)
    n, p = 1000, 5000
    X = sparse.random(n, p, density=10 / n, format="csc", random_state=rng,
                      data_rvs=rng.standard_normal)
    w0 = np.zeros(p)
    w0[rng.choice(p, 50, replace=False)] = rng.standard_normal(50)
    return X, X @ w0 + 0.3 * rng.standard_normal(n) + offset


def test_sparse_newton_steps_are_taken_and_save_epochs():
    from skreg import _cd_fast, _design, _solve
    X, y = _sparse_wide(offset=0.0)
    d = _design.Design(X, y, fit_intercept=False)
    lam, beta, lo, hi = _solve.penalty_arrays(X.shape[1], np.float64, d.alpha_max(1.0) / 100,
                                              1.0, X.shape[0])
    epochs, gaps = {}, {}
    for newton in (True, False):
        w = np.zeros(X.shape[1])
        gaps[newton], epochs[newton], _ = _cd_fast.enet_sparse(
            w, d.data, d.indices, d.indptr, X.shape[0], d.mean, d.v, d.center, d.Y[:, 0],
            d.norms2, lam, beta, lo, hi, 100_000, 1e-6 * d.yy[0], newton=newton)
        assert gaps[newton] <= 1e-6 * d.yy[0]
    # (without the steps: ~155 epochs, with them ~85)
    assert epochs[True] < 0.75 * epochs[False]


@pytest.mark.parametrize("fit_intercept, weighted, l1_ratio, positive", [
    (False, False, 1.0, False), (True, False, 1.0, False), (True, True, 1.0, False),
    (True, True, 0.7, False), (False, False, 1.0, True), (True, True, 0.9, True)])
def test_sparse_newton_steps_optimal(fit_intercept, weighted, l1_ratio, positive):
    """Certified optimal (gap, KKT), and the same objective as the dense route's within the
    two certificates."""
    X, y = _sparse_wide(1)
    sw = np.random.default_rng(2).uniform(0.2, 3.0, X.shape[0]) if weighted else None
    est, alpha, gaps, converged = fit_and_check(
        X.toarray(), y, sw, l1_ratio=l1_ratio, frac=0.01, fit_intercept=fit_intercept,
        positive=positive, precompute=False, tol=1e-8, fmt="csc")
    assert converged
    dense = skreg.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                             positive=positive, tol=1e-8).fit(X.toarray(), y, sample_weight=sw)
    Xt, yt = centered_weighted(X.toarray(), y, sw, fit_intercept)
    gap_dense = min(gaps_numpy(Xt, yt, dense.coef_, alpha, l1_ratio, positive))
    p_sparse = primal(X, y, est.coef_, est.intercept_, alpha, l1_ratio, sw)
    p_dense = primal(X, y, dense.coef_, dense.intercept_, alpha, l1_ratio, sw)
    slack = 1e-12 * abs(p_dense)
    assert abs(p_sparse - p_dense) <= min(gaps) + gap_dense + slack


def test_sparse_float32_uncentred_target_converges():
    """float32 sparse X, no intercept, a target with an offset: the fit stays near the
    float64 one (the conjugate-gradient step once wrecked it there)."""
    X, y = _sparse_wide(0, offset=5.0)
    alpha = np.abs(X.T @ y).max() / X.shape[0] / 300
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        f32 = skreg.Lasso(alpha=alpha, fit_intercept=False).fit(
            X.astype(np.float32), y.astype(np.float32))
        f64 = skreg.Lasso(alpha=alpha, fit_intercept=False).fit(X, y)
    p32 = primal(X, y, f32.coef_, 0.0, alpha, 1.0)
    p64 = primal(X, y, f64.coef_, 0.0, alpha, 1.0)
    assert p32 <= 1.01 * p64
