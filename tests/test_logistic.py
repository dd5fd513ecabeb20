"""LogisticRegression and logistic_path: optimality against scikit-learn's solvers, the KKT
conditions, an independent duality-gap certificate, scikit-learn's parameter handling, and errors.

Tolerances: a fit at tol=t has a certified duality gap <= t * C * null_loss, so its objective is
within that of the optimum; comparisons below stay well above it."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.datasets import load_breast_cancer, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.preprocessing import StandardScaler

from skreg import LogisticRegression, logistic_path
from skreg._logistic_path import LogisticProblem, solve_Cs


def _data(n_classes, *, sparse_x=False, n=80, p=10, seed=0):
    X, y = make_classification(n, p, n_informative=4, n_redundant=2, n_classes=n_classes,
                               n_clusters_per_class=1, random_state=seed)
    X[:, 0] += 3.0  # an uncentred column
    if sparse_x:
        mask = np.random.RandomState(seed).rand(*X.shape) < 0.4
        X = sparse.csr_matrix(X * mask)
    return X, y


def _objective(X, y, coef, intercept, C, l1_ratio, sample_weight=None, class_weight=None,
               fit_intercept=True):
    """scikit-learn's objective, computed independently of skreg's solver."""
    classes = np.unique(y)
    problem = LogisticProblem(X, y, classes, sample_weight=sample_weight,
                              class_weight=class_weight, fit_intercept=fit_intercept)
    return problem.objective(np.atleast_2d(coef), np.atleast_1d(intercept), C, l1_ratio)


def _independent_gap(X, y, coef, intercept, C, l1_ratio, sample_weight=None):
    """Duality gap of scikit-learn's objective at (coef, intercept), from numpy alone, and
    the null model's objective (the scale of tol)."""
    X = X.toarray() if sparse.issparse(X) else np.asarray(X, dtype=np.float64)
    classes = np.unique(y)
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    if len(classes) == 2:
        Y = np.column_stack([y == classes[0], y == classes[1]]).astype(float)
        Z = np.column_stack([np.zeros(len(y)), X @ coef[0] + intercept[0]])
        W = coef
    else:
        Y = (y[:, None] == classes[None, :]).astype(float)
        Z = X @ coef.T + intercept
        W = coef
    Zs = Z - Z.max(axis=1, keepdims=True)
    prob = np.exp(Zs) / np.exp(Zs).sum(axis=1, keepdims=True)
    logp = Zs - np.log(np.exp(Zs).sum(axis=1, keepdims=True))
    primal = C * np.sum(s * -(Y * logp).sum(axis=1)) + l1_ratio * np.abs(W).sum() + 0.5 * (
        1 - l1_ratio) * (W ** 2).sum()
    theta = C * s[:, None] * (Y - prob)
    G = X.T @ (theta[:, 1:] if len(classes) == 2 else theta)
    best = -np.inf
    kappas = [1.0] if l1_ratio == 0 else [max(1.0, np.abs(G).max() / l1_ratio), 1.0]
    for kappa in kappas:
        if l1_ratio == 1 and np.abs(G).max() / kappa > 1 + 1e-12:
            continue
        U = Y - (Y - prob) / kappa
        with np.errstate(divide="ignore", invalid="ignore"):
            ent = np.where(U > 0, U * np.log(U), 0.0)
        dual = -C * np.sum(s * ent.sum(axis=1))
        if l1_ratio < 1:
            dual -= np.sum(np.maximum(np.abs(G) / kappa - l1_ratio, 0) ** 2) / (
                2 * (1 - l1_ratio))
        best = max(best, dual)
    counts = np.array([s[y == c].sum() for c in classes])
    null = -C * np.sum(counts * np.log(counts / counts.sum()))
    return primal - best, null


def _assert_kernel_certified(problem, X, y, W, b, C, l1_ratio, tol, context):
    """The kernel's solution (W, b) at (C, l1_ratio) has an independent gap within tol times
    the null objective (without intercept: the all-zero model's, C n log K)."""
    b_ref = b if problem.fit_intercept else np.zeros(problem.K)
    independent, null = _independent_gap(X, y, W, b_ref, C, l1_ratio)
    if not problem.fit_intercept:
        null = C * len(y) * np.log(2 if problem.K == 1 else problem.K)
    assert independent <= tol * null * (1 + 1e-6) + 1e-9 * null, context


def _sklearn_best(X, y, C, l1_ratio, fit_intercept, sample_weight, class_weight):
    """The lowest objective among scikit-learn's solvers for this problem, at tight tol."""
    solvers = ["saga"] + (["lbfgs", "newton-cholesky"] if l1_ratio == 0 else [])
    best = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for solver in solvers:
            m = SkLogisticRegression(C=C, l1_ratio=l1_ratio, solver=solver, tol=1e-10,
                                     max_iter=20_000, fit_intercept=fit_intercept,
                                     class_weight=class_weight)
            m.fit(X, y, sample_weight=sample_weight)
            best = min(best, _objective(X, y, m.coef_, m.intercept_, C, l1_ratio,
                                        sample_weight, class_weight, fit_intercept))
    return best


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("l1_ratio", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("sparse_x", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weights", [None, "sample", "class"])
def test_objective_at_most_sklearn_best(n_classes, l1_ratio, sparse_x, fit_intercept,
                                        weights):
    X, y = _data(n_classes, sparse_x=sparse_x, n=60, p=8)
    sw = np.random.RandomState(1).uniform(0.2, 2.0, len(y)) if weights == "sample" else None
    cw = {0: 2.0, 1: 0.5} if weights == "class" else None
    C = 0.3
    m = LogisticRegression(C=C, l1_ratio=l1_ratio, fit_intercept=fit_intercept, tol=1e-12,
                           max_iter=1000, class_weight=cw).fit(X, y, sample_weight=sw)
    ours = _objective(X, y, m.coef_, m.intercept_, C, l1_ratio, sw, cw, fit_intercept)
    best = _sklearn_best(X, y, C, l1_ratio, fit_intercept, sw, cw)
    assert ours <= best + 1e-8 * abs(best)
    assert m.coef_.shape == ((1, 8) if n_classes == 2 else (n_classes, 8))
    assert m.intercept_.shape == ((1,) if n_classes == 2 else (n_classes,))
    assert m.n_iter_.shape == (1,)


@pytest.mark.parametrize("n_classes", [2, 4])
@pytest.mark.parametrize("l1_ratio", [0.0, 0.3, 1.0])
def test_kkt_conditions(n_classes, l1_ratio):
    X, y = _data(n_classes, n=100, p=12, seed=3)
    sw = np.random.RandomState(0).uniform(0.5, 1.5, len(y))
    C = 0.5
    m = LogisticRegression(C=C, l1_ratio=l1_ratio, tol=1e-14, max_iter=1000).fit(
        X, y, sample_weight=sw)
    prob = m.predict_proba(X)
    Y = (y[:, None] == m.classes_[None, :]).astype(float)
    theta = C * sw[:, None] * (Y - prob)
    if n_classes == 2:
        theta = theta[:, 1:]
    G = X.T @ theta  # (p, K): -gradient of the data term
    W = m.coef_.T
    scale = np.abs(G).max() + 1.0
    atol = 1e-5 * scale
    nz = W != 0
    np.testing.assert_allclose(G[nz], l1_ratio * np.sign(W[nz]) + (1 - l1_ratio) * W[nz],
                               atol=atol)
    assert np.all(np.abs(G[~nz]) <= l1_ratio + atol)
    np.testing.assert_allclose(theta.sum(axis=0), 0.0, atol=atol)  # intercept optimality
    if n_classes > 2:
        assert abs(m.intercept_.sum()) < 1e-8
        if l1_ratio == 0:  # the L2 optimum is the symmetric one: columns of W sum to zero
            np.testing.assert_allclose(m.coef_.sum(axis=0), 0.0, atol=1e-5)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(n=st.integers(10, 40), p=st.integers(1, 12), n_classes=st.integers(2, 4),
       logC=st.floats(-2, 2), l1_ratio=st.sampled_from([0.0, 0.2, 0.5, 1.0]),
       seed=st.integers(0, 10_000), tol=st.sampled_from([1e-4, 1e-8]))
def test_certificate_holds(n, p, n_classes, logC, l1_ratio, seed, tol):
    """The kernel's certificate, recomputed independently: the gap is at most tol times the
    null objective."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p) * rng.uniform(0.1, 3.0, p) + rng.randn(p)
    y = np.arange(n) % n_classes
    rng.shuffle(y)
    sw = rng.uniform(0.1, 2.0, n)
    C = 10.0 ** logC
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        m = LogisticRegression(C=C, l1_ratio=l1_ratio, tol=tol, max_iter=500).fit(
            X, y, sample_weight=sw)
    gap, null = _independent_gap(X, y, m.coef_.astype(float), m.intercept_.astype(float), C,
                                 l1_ratio, sw)
    assert gap <= tol * null * (1 + 1e-6) + 1e-9 * null
    assert m.dual_gap_ <= tol


@pytest.mark.parametrize("n_classes", [2, 3])
def test_dense_sparse_float32_agree(n_classes):
    X, y = _data(n_classes, n=70, p=9)
    kw = dict(C=0.7, l1_ratio=0.5, tol=1e-12, max_iter=1000)
    dense = LogisticRegression(**kw).fit(X, y)
    sp = LogisticRegression(**kw).fit(sparse.csr_matrix(X), y)
    np.testing.assert_allclose(sp.coef_, dense.coef_, atol=1e-5)
    f32 = LogisticRegression(**{**kw, "tol": 1e-6}).fit(X.astype(np.float32), y)
    assert f32.coef_.dtype == np.float32 and f32.intercept_.dtype == np.float32
    np.testing.assert_allclose(f32.coef_, dense.coef_, atol=2e-2)


def test_sample_weight_equals_repetition_and_class_weight():
    X, y = _data(2, n=50, p=6)
    w = np.random.RandomState(0).randint(0, 3, len(y))
    kw = dict(C=0.5, l1_ratio=0.5, tol=1e-13, max_iter=1000)
    weighted = LogisticRegression(**kw).fit(X, y, sample_weight=w)
    repeated = LogisticRegression(**kw).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-6)
    cw = LogisticRegression(class_weight={0: 3.0, 1: 1.0}, **kw).fit(X, y)
    sw = LogisticRegression(**kw).fit(X, y, sample_weight=np.where(y == 0, 3.0, 1.0))
    np.testing.assert_allclose(cw.coef_, sw.coef_, atol=1e-6)


def test_predictions_and_shapes():
    X, y = _data(3, n=60, p=7)
    labels = np.array(["a", "b", "c"])[y]
    m = LogisticRegression(C=1.0, l1_ratio=0.5).fit(X, labels)
    proba = m.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(m.predict_log_proba(X), np.log(proba))
    assert set(m.predict(X)) <= {"a", "b", "c"}
    assert m.decision_function(X).shape == (60, 3)
    Xb, yb = _data(2, n=60, p=7)
    mb = LogisticRegression().fit(Xb, yb)
    d = mb.decision_function(Xb)
    assert d.shape == (60,)
    np.testing.assert_array_equal(mb.predict(Xb), mb.classes_[(d > 0).astype(int)])
    np.testing.assert_allclose(mb.predict_proba(Xb)[:, 1], 1 / (1 + np.exp(-d)))


def test_matches_sklearn_lbfgs_solution():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    ours = LogisticRegression(C=0.2, tol=1e-12).fit(X, y)
    theirs = SkLogisticRegression(C=0.2, tol=1e-10, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-4)


def test_warm_start_and_max_iter():
    X, y = _data(2, n=200, p=20)
    m = LogisticRegression(C=0.5, l1_ratio=1.0, tol=1e-10, warm_start=True).fit(X, y)
    first = m.n_iter_[0]
    m.fit(X, y)
    assert m.n_iter_[0] < first
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        LogisticRegression(max_iter=1, tol=1e-12).fit(X, y)


def test_penalty_deprecation_as_sklearn():
    X, y = _data(2, n=40, p=7)
    with pytest.warns(FutureWarning, match="'penalty' was deprecated"):
        m = LogisticRegression(penalty="l1", l1_ratio=1.0, C=0.5).fit(X, y)
    ref = LogisticRegression(l1_ratio=1.0, C=0.5).fit(X, y)
    np.testing.assert_allclose(m.coef_, ref.coef_)
    with pytest.warns(UserWarning, match="Inconsistent values"):
        LogisticRegression(penalty="l2", l1_ratio=0.5).fit(X, y)
    with pytest.warns(FutureWarning, match="'l1_ratio=None' was deprecated"):
        LogisticRegression(l1_ratio=None).fit(X, y)
    with pytest.raises(ValueError, match="l1_ratio must be specified"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            LogisticRegression(penalty="elasticnet", l1_ratio=None).fit(X, y)
    with pytest.warns(FutureWarning, match="n_jobs"):
        LogisticRegression(n_jobs=2).fit(X, y)
    # C=inf: no penalty (the data are not separable), as penalty=None
    Xn = X + np.random.RandomState(0).randn(*X.shape) * 3
    free = LogisticRegression(C=np.inf, tol=1e-10).fit(Xn, y)
    sk = SkLogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(Xn, y)
    np.testing.assert_allclose(free.coef_, sk.coef_, rtol=1e-3, atol=1e-3)


def test_bad_input_one_clear_error():
    X, y = _data(2, n=30, p=7)
    with pytest.raises(ValueError, match="at least 2 classes"):
        LogisticRegression().fit(X, np.zeros(30))
    with pytest.raises(ValueError, match="Unknown label type"):
        LogisticRegression().fit(X, np.linspace(0, 1, 30))
    with pytest.raises(ValueError, match="NaN"):
        LogisticRegression().fit(np.where(X > 1, np.nan, X), y)
    with pytest.raises(ValueError, match="[Nn]egative"):
        LogisticRegression().fit(X, y, sample_weight=-np.ones(30))
    with pytest.raises(ValueError, match="positive total sample weight"):
        LogisticRegression(class_weight="balanced").fit(
            X, y, sample_weight=np.where(y == 0, 0.0, 1.0))
    with pytest.raises(ValueError, match="C"):
        LogisticRegression(C=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="l1_ratio"):
        LogisticRegression(l1_ratio=2.0).fit(X, y)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_logistic_path_starts_at_zero_and_matches_fits(n_classes):
    X, y = _data(n_classes, n=80, p=15)
    Cs, coefs, intercepts, n_iter = logistic_path(X, y, l1_ratio=1.0, Cs=10, tol=1e-12,
                                                  max_iter=1000)
    assert np.all(np.diff(Cs) > 0)
    assert np.all(coefs[0] == 0)
    assert np.any(logistic_path(X, y, l1_ratio=1.0, Cs=[Cs[0] * 1.05], tol=1e-12)[1] != 0)
    assert coefs.shape == ((10, 15) if n_classes == 2 else (10, n_classes, 15))
    i = 6
    m = LogisticRegression(C=Cs[i], l1_ratio=1.0, tol=1e-12, max_iter=1000).fit(X, y)
    ours = _objective(X, y, np.atleast_2d(coefs[i]), np.atleast_1d(intercepts[i]), Cs[i], 1.0)
    fit = _objective(X, y, m.coef_, m.intercept_, Cs[i], 1.0)
    assert abs(ours - fit) <= 1e-9 * abs(fit)


@pytest.mark.parametrize("shape", [(60, 150), (400, 8)])  # working sets and screening; all in
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("kind, fit_intercept",
                         [("dense", True), ("dense", False), ("sparse", True), ("float32", False)])
def test_path_certificates_hold_at_every_C(shape, n_classes, l1_ratio, kind, fit_intercept):
    """Along a warm-started path (working sets growing, features screened, working sets that
    hold every feature stopping on their own gap), every solution's independently recomputed
    duality gap is within tol of the null objective, and so is the gap the kernel reports."""
    from skreg._logistic_path import C_grid, solve_Cs
    n, p = shape
    rng = np.random.RandomState(n + p + n_classes)
    X = rng.randn(n, p) + 0.5 * rng.randn(n, 1)  # correlated, uncentred columns
    if kind == "sparse":
        X = sparse.csr_matrix(X * (rng.rand(n, p) < 0.3))
    elif kind == "float32":
        X = X.astype(np.float32)
    w = np.zeros((p, n_classes))
    w[:5] = 2.0 * rng.randn(5, n_classes)
    Xd = X.toarray() if sparse.issparse(X) else X
    y = np.argmax(Xd @ w + rng.gumbel(size=(n, n_classes)), axis=1)
    classes = np.unique(y)
    problem = LogisticProblem(X, y, classes, fit_intercept=fit_intercept)
    Cs = C_grid(problem, l1_ratio, 12, eps=1e-3)
    tol = 1e-7 if kind == "float32" else 1e-9
    coefs, intercepts, gaps, _ = solve_Cs(problem, Cs, l1_ratio, tol=tol, max_iter=1000)
    assert np.all(gaps <= tol)
    Xf = Xd.astype(np.float64)
    for i, C in enumerate(Cs):
        b = intercepts[i] if fit_intercept else np.zeros(problem.K)
        gap, null = _independent_gap(Xf, y, coefs[i], b, C, l1_ratio)
        if not fit_intercept:  # null model W = 0, b = 0
            null = C * n * np.log(2 if n_classes == 2 else n_classes)
        assert gap <= tol * null * (1 + 1e-6) + 1e-9 * null, (i, gap / null)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_one_problem_solved_in_any_order_from_any_start(n_classes, fit_intercept):
    """The kernel keeps its last solution from one call to the next: a call from other
    coefficients (changed by the caller, or another problem's), or at a smaller C after a
    larger one, is certified as a cold start is."""
    rng = np.random.RandomState(n_classes)
    n, p = 80, 30
    X = rng.randn(n, p)
    y = np.argmax(X[:, :3] @ rng.randn(3, n_classes) + rng.gumbel(size=(n, n_classes)), axis=1)
    problem = LogisticProblem(X, y, np.unique(y), fit_intercept=fit_intercept)
    tol = 1e-9
    W, b = problem.start()
    for C, l1_ratio, reset in [(1.0, 1.0, None), (0.05, 1.0, None), (0.05, 0.5, "W"),
                               (3.0, 0.5, "b"), (3.0, 0.5, None), (0.2, 1.0, "W")]:
        if reset == "W":
            W[:] = rng.randn(*W.shape)
        elif reset == "b" and fit_intercept:
            b[:] = rng.randn(*b.shape)
        gap, _ = problem.solve(C, l1_ratio, W, b, tol=tol, max_iter=1000)
        assert gap <= tol
        _assert_kernel_certified(problem, X, y, W, b, C, l1_ratio, tol, (C, l1_ratio, reset))


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("sparse_x", [False, True])
def test_path_predicted_starts_are_certified(n_classes, fit_intercept, sparse_x):
    """Along a path the kernel may start a C from the last two solutions extrapolated in log C:
    coefficients change sign on the way, the grid repeats a C, turns back, jumps, and changes
    l1_ratio (the prediction must not mix two penalties). Every solution is certified by an
    independent gap, as from a cold start."""
    X, y = _data(n_classes, sparse_x=sparse_x, n=150, p=25, seed=3)
    X = X.astype(np.float32) if sparse_x else X
    problem = LogisticProblem(X, y, np.unique(y), fit_intercept=fit_intercept)
    tol = 1e-9
    Xd = X.toarray() if sparse_x else X
    smooth = list(problem.C_min(0.5) * np.geomspace(1.0, 300.0, 12))
    schedule = ([(C, 0.5) for C in smooth] + [(smooth[-1], 0.5), (smooth[-4], 0.5)]
                + [(C, 1.0) for C in smooth[:3]] + [(smooth[2] * 50.0, 1.0)]
                + [(C, 0.0) for C in smooth[4:8]])
    W, b = problem.start()
    for C, l1_ratio in schedule:
        gap, _ = problem.solve(C, l1_ratio, W, b, tol=tol, max_iter=1000)
        assert gap <= tol
        _assert_kernel_certified(problem, Xd, y, W, b, C, l1_ratio, tol, (C, l1_ratio))


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("shape", [(300, 20), (60, 150)])
def test_path_blind_starts_are_certified(n_classes, fit_intercept, l1_ratio, shape):
    """On a fine grid over dense X, where C after C needs a Newton step, every other predicted
    start takes its first step on the last solution's working set without a check (tall X: the
    support holds; wide X: features enter at every C, which that working set misses). Every
    solution is certified by an independent gap."""
    n, p = shape
    X, y = _data(n_classes, n=n, p=p, seed=11)
    problem = LogisticProblem(X, y, np.unique(y), fit_intercept=fit_intercept)
    tol = 1e-8
    Cs = problem.C_min(l1_ratio) * np.geomspace(1.0, 100.0, 30)
    W, b = problem.start()
    for C in Cs:
        gap, _ = problem.solve(C, l1_ratio, W, b, tol=tol, max_iter=1000)
        assert gap <= tol
        _assert_kernel_certified(problem, X, y, W, b, C, l1_ratio, tol, C)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_coarse_grid_into_near_separation_converges(l1_ratio):
    """A grid 10x apart up to a nearly separable C (breast_cancer, C = 100): a start
    extrapolated over such steps would overshoot, and Newton steps from it crawl; every C is
    certified within max_iter, as from the last solution."""
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    problem = LogisticProblem(X, y, np.unique(y), fit_intercept=True)
    _, _, gaps, steps = solve_Cs(problem, np.logspace(-3, 2, 6), l1_ratio, tol=1e-8,
                                 max_iter=1000, warn=False)
    assert np.all(gaps <= 1e-8), (gaps, steps)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("sparse_x", [False, True])
def test_zero_sample_weights_equal_dropping_the_samples(n_classes, l1_ratio, sparse_x):
    """Samples of weight zero leave the problem (the dense kernel scales its working columns by
    the square roots of the Newton weights, zero for them): the fit equals the fit without
    them, to what the certificates allow."""
    X, y = _data(n_classes, sparse_x=sparse_x, n=120, p=10, seed=5)
    sw = np.random.RandomState(1).uniform(0.5, 2.0, len(y))
    sw[::4] = 0.0
    keep = sw > 0
    C, tol = 0.3, 1e-12
    a = LogisticRegression(C=C, l1_ratio=l1_ratio, tol=tol, max_iter=1000).fit(
        X, y, sample_weight=sw)
    b = LogisticRegression(C=C, l1_ratio=l1_ratio, tol=tol, max_iter=1000).fit(
        X[keep], y[keep], sample_weight=sw[keep])
    fa = _objective(X[keep], y[keep], a.coef_, a.intercept_, C, l1_ratio, sw[keep])
    fb = _objective(X[keep], y[keep], b.coef_, b.intercept_, C, l1_ratio, sw[keep])
    assert abs(fa - fb) <= 1e-9 * abs(fb)
