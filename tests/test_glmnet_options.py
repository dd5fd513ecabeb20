"""glmnet-style options: penalty_factor, lower_bounds / upper_bounds, standardize, relax / gamma.

Checked four ways: the KKT conditions of the weighted / bounded problem directly; agreement with
scikit-learn where the options reduce to its problem; agreement with R glmnet 4.1-6 on fixed small
cases (reference values below, R not needed to run the tests); consistency of the dense, Gram and
sparse routes and of the path functions with the estimators."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn import linear_model as sk
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from skreg import ElasticNet, Lasso, PathSearchCV, _penalty_options, enet_path, lasso_path
from skreg._design import Design
from skreg._penalty_options import options_path

INF = np.inf


# ------------------------------------------------------------------------------------------------
# Data shared with the R reference run
# ------------------------------------------------------------------------------------------------


def glmnet_data():
    """The data the glmnet references were computed on (written to CSV with '%.17g', read by R).

    yw has glmnet's weighted 1/n standard deviation 1 and y0 mean 0 and 1/n standard deviation 1:
    for the gaussian family glmnet standardizes y internally, which changes the ridge part of
    the elastic net unless y already has unit (1/n) standard deviation."""
    rng = np.random.RandomState(0)
    n, p = 40, 8
    X = rng.randn(n, p) * np.array([1.0, 2.0, 0.5, 3.0, 1.0, 1.5, 0.8, 1.2]) + np.arange(p) - 3.0
    X[:, 6] += 0.6 * X[:, 0]
    beta = np.array([1.5, -0.8, 0.0, 0.6, 0.0, 0.3, -1.0, 0.2])
    y = X @ beta + 1.0 + rng.randn(n)
    w = rng.uniform(0.5, 2.0, n)
    wn = w / w.sum()
    yw = y / np.sqrt(np.sum(wn * (y - wn @ y) ** 2))
    y0 = (y - y.mean()) / y.std()
    return X, y, w, yw, y0


# R 4.x, glmnet 4.1-6, on glmnet_data() (coef() rows: intercept then the 8 coefficients;
# several lambdas are concatenated column after column):
#   ctl <- function(...) glmnet(X, ..., thresh=1e-14, maxit=1e7)
#   pf <- c(0, 1, 2, 0.5, Inf, 1, 1, 3)
#   lo <- c(-Inf, -0.5, 0, -Inf, -1, 0, -0.6, -Inf); hi <- c(1.2, Inf, Inf, 0.4, 1, Inf, 0, Inf)
#   lams <- c(0.5, 0.2, 0.05)
#   penalty_factor:            coef(ctl(y, lambda=0.3, penalty.factor=pf, standardize=FALSE))
#   bounds_standardized:       coef(ctl(y, lambda=0.2, lower.limits=lo, upper.limits=hi))
#   enet_weights_standardized: coef(ctl(yw, weights=w, alpha=0.5, lambda=0.05))
#   enet_no_intercept:         coef(ctl(y0, alpha=0.7, lambda=0.04, intercept=FALSE,
#                                       penalty.factor=c(0, 1, 1, 1, 2, 1, 1, 0.5)))
#   lambda_max:                c(ctl(y, penalty.factor=pf, standardize=FALSE)$lambda[1],
#                                ctl(y)$lambda[1])
#   f <- ctl(y, lambda=lams, relax=TRUE)
#   relax_gamma_half:          coef(f, s=lams, gamma=0.5)
#   relax_refit:               coef(f$relaxed, s=lams)       # gamma = 0 exactly
#   f <- ctl(y, lambda=lams, relax=TRUE, upper.limits=c(Inf, Inf, Inf, 0.45, Inf, Inf, Inf, Inf),
#            penalty.factor=pf, standardize=FALSE)
#   relax_bounds_pf:           coef(f, s=lams, gamma=0.25)
GLMNET = dict(
    penalty_factor=[1.83637527937074, 1.43002547331615, -0.782544691523723, 0, 0.483463328803681,
                    0, 0.00742162103726976, -0.829210459576107, 0],
    bounds_standardized=[1.56747976465703, 1.12907299005021, -0.5, 0, 0.4, -0.23036058667449, 0,
                         -0.6, 0],
    enet_weights_standardized=[0.718780631332834, 0.523971794266435, -0.286128920721272, 0,
                               0.180928890334636, -0.0818438615656283, 0.0331460283286482,
                               -0.37208303283761, 0.0124556126666726],
    enet_no_intercept=[0, 0.353603038094456, -0.30722296664785, -0.0205419762881462,
                       0.173639632048793, -0.0330339471570458, 0.0569906499914839,
                       -0.27269690654796, 0.120812559348068],
    lambda_max=[7.29657282383345, 1.70811286831731],
    relax_gamma_half=[
        0.897124744451322, 1.11645750765986, -0.720176667934896, 0, 0.406346503267447, 0, 0,
        -0.668319303939997, 0,
        2.24432703304566, 1.42136422907379, -0.767672043386462, 0, 0.455117240726095,
        -0.162360321326113, 0, -1.00967081044741, 0,
        2.83821281418165, 1.6041509359806, -0.805917137252944, 0.127383791309756,
        0.497210390503364, -0.168267244815832, 0.143126807557808, -1.25585132353793, 0],
    relax_refit=[
        2.99610240622654, 1.67181830361391, -0.830601222731947, 0, 0.48471842872411, 0, 0,
        -1.30351235798893, 0,
        3.10740226072253, 1.63593782845451, -0.806825144926828, 0, 0.486933356570243,
        -0.20577951503835, 0, -1.25311407203312, 0,
        3.11994560800414, 1.66248447154359, -0.81951467514959, 0.222979658896469,
        0.510251022019575, -0.174571792369144, 0.171680524933022, -1.33375787973396, 0],
    relax_bounds_pf=[
        2.5969149136429, 1.58115648333914, -0.806555641028725, 0, 0.45, 0, 0,
        -1.12403049217192, 0,
        2.74788074075874, 1.66298203921373, -0.818604035923458, 0, 0.45, 0, 0.14133892307039,
        -1.30064800466925, 0,
        2.87107871010815, 1.69662683832862, -0.824603932165137, 0, 0.45, 0, 0.163103098800799,
        -1.36919438896402, 0],
)

PF = np.array([0, 1, 2, 0.5, INF, 1, 1, 3])
LO = np.array([-INF, -0.5, 0, -INF, -1, 0, -0.6, -INF])
HI = np.array([1.2, INF, INF, 0.4, 1, INF, 0, INF])
LAMS = [0.5, 0.2, 0.05]
TIGHT = dict(tol=1e-14, max_iter=100_000)


def from_glmnet_factor(v):
    """glmnet rescales penalty.factor to sum to the number of features (an Inf factor is an
    exclusion and counts as 1 in that sum); skreg uses the factors as given."""
    v = np.asarray(v, dtype=float)
    return v * v.size / np.where(np.isinf(v), 1.0, v).sum()


def _as_fit(ref, n_lambdas=1):
    ref = np.asarray(ref).reshape(n_lambdas, -1)
    return ref[:, 0], ref[:, 1:]


def _assert_glmnet(model_or_fits, ref, n_lambdas=1):
    b0, b = _as_fit(ref, n_lambdas)
    fits = model_or_fits if isinstance(model_or_fits, list) else [model_or_fits]
    for i, m in enumerate(fits):
        # glmnet stops on the change of coefficients: agreement to ~1e-7 at thresh=1e-14
        assert_allclose(m.coef_, b[i], rtol=2e-6, atol=2e-7)
        assert_allclose(m.intercept_, b0[i], rtol=2e-6, atol=2e-7)


# ------------------------------------------------------------------------------------------------
# Agreement with glmnet
# ------------------------------------------------------------------------------------------------


def test_glmnet_penalty_factor_and_exclusion():
    X, y, *_ = glmnet_data()
    m = Lasso(alpha=0.3, penalty_factor=from_glmnet_factor(PF), **TIGHT).fit(X, y)
    _assert_glmnet(m, GLMNET["penalty_factor"])
    # equivalently: skreg's factors as given, with alpha rescaled instead
    scale = PF.size / np.where(np.isinf(PF), 1.0, PF).sum()
    m2 = Lasso(alpha=0.3 * scale, penalty_factor=PF, **TIGHT).fit(X, y)
    assert_allclose(m2.coef_, m.coef_, rtol=1e-10, atol=1e-12)
    assert m.coef_[4] == 0.0  # Inf: excluded


def test_glmnet_bounds_with_standardize():
    X, y, *_ = glmnet_data()
    m = Lasso(alpha=0.2, lower_bounds=LO, upper_bounds=HI, standardize=True, **TIGHT).fit(X, y)
    _assert_glmnet(m, GLMNET["bounds_standardized"])
    assert np.all(m.coef_ >= LO) and np.all(m.coef_ <= HI)


def test_glmnet_elastic_net_weights_standardize():
    X, _, w, yw, _ = glmnet_data()
    m = ElasticNet(alpha=0.05, l1_ratio=0.5, standardize=True, **TIGHT).fit(X, yw,
                                                                         sample_weight=w)
    _assert_glmnet(m, GLMNET["enet_weights_standardized"])


def test_glmnet_no_intercept_unpenalized_standardize():
    # glmnet standardizes around the mean even without an intercept: so does skreg
    X, *_, y0 = glmnet_data()
    pf = from_glmnet_factor([0, 1, 1, 1, 2, 1, 1, 0.5])
    m = ElasticNet(alpha=0.04, l1_ratio=0.7, penalty_factor=pf, fit_intercept=False,
                   standardize=True, **TIGHT).fit(X, y0)
    _assert_glmnet(m, GLMNET["enet_no_intercept"])


def test_glmnet_lambda_max():
    X, y, *_ = glmnet_data()
    a1 = lasso_path(X, y, alphas=1, fit_intercept=True, penalty_factor=from_glmnet_factor(PF))[0]
    a2 = lasso_path(X, y, alphas=1, fit_intercept=True, standardize=True)[0]
    assert_allclose([a1[0], a2[0]], GLMNET["lambda_max"], rtol=1e-12)


@pytest.mark.parametrize("gamma, key", [(0.5, "relax_gamma_half"), (0.0, "relax_refit")])
def test_glmnet_relaxed(gamma, key):
    X, y, *_ = glmnet_data()
    fits = [Lasso(alpha=a, standardize=True, relax=True, gamma=gamma, **TIGHT).fit(X, y)
            for a in LAMS]
    _assert_glmnet(fits, GLMNET[key], n_lambdas=3)


def test_glmnet_relaxed_with_bounds_and_factors():
    # glmnet's relaxed refit keeps the bounds (feature 3 stays at its upper limit 0.45)
    X, y, *_ = glmnet_data()
    hi = np.full(8, INF)
    hi[3] = 0.45
    fits = [Lasso(alpha=a, relax=True, gamma=0.25, upper_bounds=hi,
                  penalty_factor=from_glmnet_factor(PF), **TIGHT).fit(X, y) for a in LAMS]
    _assert_glmnet(fits, GLMNET["relax_bounds_pf"], n_lambdas=3)


# ------------------------------------------------------------------------------------------------
# KKT conditions of the weighted, bounded, standardized problem
# ------------------------------------------------------------------------------------------------


def kkt_violation(X, y, sw, coef, intercept, alpha, l1_ratio, pf, lo, hi, scale, fit_intercept):
    """Largest violation of the optimality conditions of
    1/(2n) sum sw_i r_i^2 + alpha sum pf_j [rho s_j |w_j| + (1-rho)/2 s_j^2 w_j^2], lo <= w <= hi,
    relative to max_j |x_j^T y| / n."""
    X = X.toarray() if sparse.issparse(X) else X
    n = X.shape[0]
    sw = np.ones(n) if sw is None else sw * n / sw.sum()
    r = y - X @ coef - intercept
    g = X.T @ (sw * r) / n  # minus the gradient of the data term
    out = [abs(np.sum(sw * r)) / n] if fit_intercept else []
    finite = np.isfinite(pf)
    pf = np.where(finite, pf, 0.0)
    l1 = alpha * l1_ratio * pf * scale
    z = g - alpha * (1 - l1_ratio) * pf * scale**2 * coef
    for j, w in enumerate(coef):
        if not finite[j] or (lo[j] == 0 and hi[j] == 0):
            out.append(abs(w) * 1e12)
            continue
        at_hi = np.isfinite(hi[j]) and abs(w - hi[j]) <= 1e-10 * max(1, abs(hi[j]))
        at_lo = np.isfinite(lo[j]) and abs(w - lo[j]) <= 1e-10 * max(1, abs(lo[j]))
        if w > 0 and at_hi:
            out.append(max(l1[j] - z[j], 0))
        elif w < 0 and at_lo:
            out.append(max(z[j] + l1[j], 0))
        elif w > 0:
            out.append(abs(z[j] - l1[j]))
        elif w < 0:
            out.append(abs(z[j] + l1[j]))
        else:  # w == 0: a bound at 0 only blocks its own side
            up = max(z[j] - l1[j], 0) if hi[j] > 0 else 0.0
            down = max(-z[j] - l1[j], 0) if lo[j] < 0 else 0.0
            out.append(max(up, down))
    return max(out) / (np.abs(X.T @ (y - y.mean())).max() / n)


def kkt_problem(seed=0, n=50, p=14):
    rng = np.random.RandomState(seed)
    Z = rng.randn(n, p)
    X = Z + 0.5 * Z[:, [0]]  # correlated columns
    X = X * rng.uniform(0.3, 3.0, p) + rng.uniform(-2, 2, p)
    X[rng.rand(n, p) < 0.3] = 0.0  # some zeros, so the sparse route is meaningful
    coef = np.zeros(p)
    coef[:6] = [2.0, -1.5, 1.0, 0.8, -0.6, 0.5]
    y = X @ coef + 0.5 * rng.randn(n) + 1.0
    sw = rng.uniform(0.2, 3.0, n)
    pf = np.array([0, 0, 1, 2, 0.5, INF, 1, 1, 3, 1, 0, 1, 1, 0.2])
    lo = np.array([-INF, -INF, -INF, -0.3, 0, -1, -INF, 0, -INF, -0.2, -0.4, 0, -INF, -INF])
    hi = np.array([INF, INF, 0.7, INF, INF, 1, 0, INF, INF, 0.2, 0.4, 0, INF, INF])
    # pf 0: features 0, 1 free (partialled out), 10 boxed on both sides (kernel)
    return X, y, sw, pf, lo, hi


@pytest.mark.parametrize("route", ["dense", "gram", "sparse"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.6])
def test_kkt_weighted_bounded(route, fit_intercept, standardize, l1_ratio):
    X, y, sw, pf, lo, hi = kkt_problem()
    Xin = sparse.csc_matrix(X) if route == "sparse" else X
    n = X.shape[0]
    swn = sw * n / sw.sum()
    mean = np.average(X, axis=0, weights=sw)
    scale = np.sqrt(swn @ (X - mean) ** 2 / n) if standardize else np.ones(X.shape[1])
    for alpha in [0.3, 0.03]:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)  # the gap must certify
            m = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, penalty_factor=pf, lower_bounds=lo,
                           upper_bounds=hi, standardize=standardize,
                           fit_intercept=fit_intercept, precompute=route == "gram",
                           tol=1e-12, max_iter=100_000).fit(Xin, y, sample_weight=sw)
        v = kkt_violation(X, y, sw, m.coef_, m.intercept_, alpha, l1_ratio, pf, lo, hi, scale,
                          fit_intercept)
        assert v < 1e-6, v
        assert np.all(m.coef_ >= lo) and np.all(m.coef_ <= hi)
        assert m.coef_[5] == 0.0


def test_routes_agree_and_sparse_untouched():
    X, y, sw, pf, lo, hi = kkt_problem(seed=1)
    kw = dict(alpha=0.05, l1_ratio=0.8, penalty_factor=pf, lower_bounds=lo, upper_bounds=hi,
              standardize=True, relax=True, gamma=0.3, tol=1e-12, max_iter=100_000)
    Xs = sparse.csc_matrix(X)
    data = Xs.data.copy()
    ref = ElasticNet(**kw).fit(X, y, sample_weight=sw)
    for Xin, pre in [(X, True), (Xs, False), (Xs, True)]:
        m = ElasticNet(precompute=pre, **kw).fit(Xin, y, sample_weight=sw)
        assert_allclose(m.coef_, ref.coef_, rtol=1e-7, atol=1e-9)
        assert_allclose(m.intercept_, ref.intercept_, rtol=1e-7, atol=1e-9)
    assert_array_equal(Xs.data, data)  # standardize scales the penalty, never X


def test_unpenalized_sparse_wide_is_a_clear_error(monkeypatch):
    X, y, sw, pf, lo, hi = kkt_problem()
    monkeypatch.setattr(_penalty_options, "MAX_GRAM_FEATURES", 5)
    with pytest.raises(ValueError, match="Gram matrix"):
        Lasso(alpha=0.1, penalty_factor=pf).fit(sparse.csc_matrix(X), y)
    Lasso(alpha=0.1, penalty_factor=pf).fit(X, y)  # dense: explicit projection, no limit


def test_alpha_zero_and_boxed_unpenalized_only():
    # no penalty left: solved as box-constrained least squares, no ConvergenceWarning
    X, y, sw, *_ = kkt_problem()
    p = X.shape[1]
    lo, hi = np.full(p, -INF), np.full(p, INF)
    lo[:2], hi[:2] = -0.5, 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        m = Lasso(alpha=0.1, penalty_factor=np.zeros(p), lower_bounds=lo,
                  upper_bounds=hi).fit(X, y)
    v = kkt_violation(X, y, None, m.coef_, m.intercept_, 0.1, 1.0, np.zeros(p), lo, hi,
                      np.ones(p), True)
    assert v < 1e-8


# ------------------------------------------------------------------------------------------------
# Reduces to scikit-learn
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["dense", "sparse"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_neutral_options_equal_sklearn(fmt, l1_ratio, fit_intercept):
    X, y, sw, *_ = kkt_problem(seed=2)
    p = X.shape[1]
    Xin = sparse.csc_matrix(X) if fmt == "sparse" else X
    neutral = dict(penalty_factor=np.ones(p), lower_bounds=-INF, upper_bounds=INF,
                   standardize=False, relax=True, gamma=1.0)
    common = dict(alpha=0.05, l1_ratio=l1_ratio, fit_intercept=fit_intercept, tol=1e-15,
                  max_iter=100_000)
    m = ElasticNet(**common, **neutral).fit(Xin, y, sample_weight=sw)
    ref = sk.ElasticNet(**common).fit(Xin, y, sample_weight=sw)
    # both certify a relative gap of 1e-12: coefficients agree to ~sqrt of it
    assert_allclose(m.coef_, ref.coef_, rtol=1e-6, atol=1e-7)
    assert_allclose(m.intercept_, ref.intercept_, rtol=1e-6, atol=1e-7)
    # positive=True is the shorthand of lower_bounds=0
    pos = sk.ElasticNet(positive=True, **common).fit(Xin, y, sample_weight=sw)
    m = ElasticNet(lower_bounds=0.0, **common).fit(Xin, y, sample_weight=sw)
    assert_allclose(m.coef_, pos.coef_, rtol=1e-6, atol=1e-7)


def test_neutral_options_path_equals_sklearn():
    X, y, *_ = kkt_problem(seed=3)
    p = X.shape[1]
    a, c, _ = lasso_path(X, y, alphas=20, tol=1e-12, penalty_factor=np.ones(p),
                         upper_bounds=INF, relax=True, gamma=1.0)
    a_ref, c_ref, _ = sk.lasso_path(X, y, alphas=20, tol=1e-12)
    assert_allclose(a, a_ref, rtol=1e-12)
    assert_allclose(c, c_ref, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("fmt", ["dense", "sparse"])
def test_standardize_equals_sklearn_on_scaled_columns(fmt):
    X, y, sw, *_ = kkt_problem(seed=4)
    mean = np.average(X, axis=0, weights=sw)
    s = np.sqrt(np.average((X - mean) ** 2, axis=0, weights=sw))  # 1/n variance, weighted
    Xin = sparse.csc_matrix(X) if fmt == "sparse" else X
    m = ElasticNet(alpha=0.05, l1_ratio=0.7, standardize=True, tol=1e-15, max_iter=100_000).fit(
        Xin, y, sample_weight=sw)
    ref = sk.ElasticNet(alpha=0.05, l1_ratio=0.7, tol=1e-15, max_iter=100_000).fit(
        X / s, y, sample_weight=sw)
    assert_allclose(m.coef_, ref.coef_ / s, rtol=1e-7, atol=1e-9)
    assert_allclose(m.intercept_, ref.intercept_, rtol=1e-7)


# ------------------------------------------------------------------------------------------------
# alpha_max, relaxed fits, path functions
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("options", [
    dict(penalty_factor="pf"),
    dict(penalty_factor="pf", lower_bounds="lo", upper_bounds="hi", standardize=True),
    dict(lower_bounds=0.0, standardize=True),
    dict(upper_bounds=0.0),
])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_alpha_max_is_the_first_nonzero(options, l1_ratio):
    X, y, sw, pf, lo, hi = kkt_problem(seed=5)
    named = dict(pf=pf, lo=lo, hi=hi)
    opts = {k: named.get(v, v) if isinstance(v, str) else v for k, v in options.items()}
    penalized = np.isfinite(opts.get("penalty_factor", np.ones(X.shape[1])))
    penalized &= opts.get("penalty_factor", np.ones(X.shape[1])) > 0
    alphas, coefs, _ = enet_path(X, y, l1_ratio=l1_ratio, alphas=2, eps=0.98,
                                 fit_intercept=True, sample_weight=sw, tol=1e-12, **opts)
    # at the threshold: zero up to the tol (a gap of tol * ||y||^2 bounds |w_j| by
    # O(sqrt(tol)), the objective being quadratic around its minimizer)
    assert np.all(np.abs(coefs[penalized, 0]) < 1e-6)
    assert np.any(coefs[penalized, 1] != 0)


def test_relaxed_is_a_blend_of_penalized_and_least_squares():
    X, y, sw, pf, lo, hi = kkt_problem(seed=6)
    pf = np.where(pf == 0, 1.0, pf)
    kw = dict(alpha=0.1, penalty_factor=pf, tol=1e-12)
    pen = Lasso(**kw).fit(X, y, sample_weight=sw)
    ols = Lasso(relax=True, gamma=0.0, **kw).fit(X, y, sample_weight=sw)
    mid = Lasso(relax=True, gamma=0.3, **kw).fit(X, y, sample_weight=sw)
    assert_allclose(mid.coef_, 0.3 * pen.coef_ + 0.7 * ols.coef_, rtol=1e-10, atol=1e-12)
    assert_allclose(mid.intercept_, 0.3 * pen.intercept_ + 0.7 * ols.intercept_, rtol=1e-10)
    assert mid.dual_gap_ == pen.dual_gap_  # the certificate of the penalized fit
    # the refit is weighted least squares on the active set
    A = np.flatnonzero(pen.coef_)
    assert_array_equal(np.flatnonzero(ols.coef_), A)
    ref = sk.LinearRegression().fit(X[:, A], y, sample_weight=sw)
    assert_allclose(ols.coef_[A], ref.coef_, rtol=1e-9)
    assert_allclose(ols.intercept_, ref.intercept_, rtol=1e-9)


def test_options_path_returns_refits_for_a_gamma_grid():
    X, y, sw, pf, lo, hi = kkt_problem(seed=7)
    design = Design(X, y, fit_intercept=True, sample_weight=sw * X.shape[0] / sw.sum())
    alphas = [0.3, 0.1, 0.03]
    pen, refit, gaps, _ = options_path(design, 0, alphas, 1.0, tol=1e-12, relax=True,
                                       return_refits=True, penalty_factor=pf)
    for gamma in (0.0, 0.6):
        c, g, _ = options_path(design, 0, alphas, 1.0, tol=1e-12, relax=True, gamma=gamma,
                               penalty_factor=pf)
        assert_allclose(c, gamma * pen + (1 - gamma) * refit, rtol=1e-12, atol=1e-14)
        assert_allclose(g, gaps)


def test_path_matches_estimator_and_multi_target():
    X, y, sw, pf, lo, hi = kkt_problem(seed=8)
    Y = np.column_stack([y, -0.5 * y + X[:, 3]])
    opts = dict(penalty_factor=pf, lower_bounds=lo, upper_bounds=hi, standardize=True,
                relax=True, gamma=0.5)
    for k in range(2):
        alphas, coefs, _ = enet_path(X, Y[:, k], l1_ratio=0.7, alphas=[0.2, 0.05], tol=1e-12,
                                     fit_intercept=True, **opts)
        for i, a in enumerate(alphas):
            m = ElasticNet(alpha=a, l1_ratio=0.7, tol=1e-12, **opts).fit(X, Y)
            assert_allclose(coefs[:, i], m.coef_[k], rtol=1e-7, atol=1e-9)


def test_float32():
    X, y, sw, pf, lo, hi = kkt_problem(seed=9)
    kw = dict(alpha=0.05, penalty_factor=pf, lower_bounds=lo, upper_bounds=hi, standardize=True,
              relax=True, gamma=0.5, tol=1e-8)
    m64 = Lasso(**kw).fit(X, y)
    m32 = Lasso(**kw).fit(X.astype(np.float32), y.astype(np.float32))
    assert m32.coef_.dtype == np.float32
    assert_allclose(m32.coef_, m64.coef_, rtol=1e-3, atol=1e-4)


def test_search_over_gamma_and_alpha():
    X, y, *_ = glmnet_data()
    grid = {"alpha": [0.5, 0.2, 0.05], "gamma": [0.0, 0.5, 1.0]}
    est = Lasso(relax=True, standardize=True, penalty_factor=PF, tol=1e-12)
    a = PathSearchCV(est, grid, cv=3).fit(X, y)
    b = GridSearchCV(est, grid, cv=3).fit(X, y)
    assert_allclose(a.cv_results_["mean_test_score"], b.cv_results_["mean_test_score"],
                    rtol=1e-8)


# ------------------------------------------------------------------------------------------------
# Validation
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("params, match", [
    (dict(penalty_factor=[1, -1, 1]), "non-negative"),
    (dict(penalty_factor=[1, np.nan, 1]), "non-negative"),
    (dict(penalty_factor=[1, 1]), "shape"),
    (dict(lower_bounds=[0, 0.1, -1]), "contain 0"),
    (dict(upper_bounds=-0.5), "contain 0"),
    (dict(upper_bounds=[1, 1]), "shape"),
    (dict(lower_bounds=[np.nan, 0, 0]), "NaN"),
    (dict(gamma=0.5), "relax=True"),
    (dict(penalty_factor=[0, 1, 1], lower_bounds=0.0), "one side"),
    (dict(penalty_factor=[0, 1, 1], positive=True), "one side"),
])
def test_invalid_options(params, match):
    X = np.random.RandomState(0).randn(10, 3)
    y = X[:, 0]
    with pytest.raises(ValueError, match=match):
        Lasso(**params).fit(X, y)


def test_gamma_out_of_range_is_a_parameter_error():
    X = np.random.RandomState(0).randn(10, 3)
    with pytest.raises(ValueError, match="gamma"):
        Lasso(relax=True, gamma=1.5).fit(X, X[:, 0])
