"""Benchmark problems: synthetic (dense p>>n, dense n>>p, sparse) and small real data.

Every problem is intercept-free: dense X and y are centred so that ``fit_intercept=False``
loses nothing; sparse X is left as is (centring would densify it) and only y is centred.
Nothing is downloaded: real data come from scikit-learn's bundled files and, when the
ISLP package is installed (``pip install --no-deps ISLP``), from the CSV files it ships.
"""
import csv
import importlib.util
import os

import numpy as np
import scipy.sparse as sp

SEED = 0


def _toeplitz_design(rng, n, p, rho):
    """Rows iid N(0, S) with S_ij = rho**|i-j| (an AR(1) chain across the columns)."""
    X = np.empty((n, p), order="F")
    X[:, 0] = rng.standard_normal(n)
    c = np.sqrt(1.0 - rho**2)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + c * rng.standard_normal(n)
    return X


def _response(rng, X, n_nonzero, snr=3.0):
    p = X.shape[1]
    w = np.zeros(p)
    support = rng.choice(p, n_nonzero, replace=False)
    w[support] = rng.choice([-1.0, 1.0], n_nonzero) * rng.uniform(0.5, 2.0, n_nonzero)
    signal = X @ w
    noise = rng.standard_normal(X.shape[0])
    noise *= np.std(signal) / (snr * np.std(noise))
    return signal + noise


def _centre(X, y):
    X = np.asfortranarray(X - X.mean(axis=0))
    return X, y - y.mean()


def dense_corr(n, p, rho=0.6):
    rng = np.random.default_rng(SEED)
    X = _toeplitz_design(rng, n, p, rho)
    y = _response(rng, X, max(5, p // 100))
    return _centre(X, y)


def dense_tall(n, p, rho=0.6):
    rng = np.random.default_rng(SEED + 1)
    X = _toeplitz_design(rng, n, p, rho)
    y = _response(rng, X, max(5, p // 10))
    return _centre(X, y)


def sparse_problem(n, p, nnz):
    rng = np.random.default_rng(SEED + 2)
    X = sp.random(n, p, density=nnz / (n * p), format="csc", random_state=rng,
                  data_rvs=rng.standard_normal, dtype=np.float64)
    X.indices = X.indices.astype(np.int32)
    X.indptr = X.indptr.astype(np.int32)
    X.sort_indices()
    y = _response(rng, X, max(5, p // 100))
    return X, y - y.mean()


def diabetes():
    from sklearn.datasets import load_diabetes
    X, y = load_diabetes(return_X_y=True)
    return _centre(np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64))


def _standardise(X, y):
    X, y = _centre(np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64))
    sd = X.std(axis=0)
    keep = sd > 1e-12
    return np.asfortranarray(X[:, keep] / sd[keep]), y


def islp_data_dir():
    """Folder of the CSV files shipped by ISLP, found without importing ISLP (which
    would pull in torch): ``pip install --no-deps ISLP`` is enough."""
    try:
        spec = importlib.util.find_spec("ISLP")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    d = os.path.join(os.path.dirname(spec.origin), "data")
    return d if os.path.isdir(d) else None


def _read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def khan():
    """ISLP Khan gene expression: 83 x 2308 (train + test), y = tumour class code (1-4),
    used as a regression target as in celer's leukemia benchmark."""
    d = islp_data_dir()
    Xs, ys = [], []
    for part in ("train", "test"):
        _, rows = _read_csv(os.path.join(d, f"Khan_x{part}.csv"))
        Xs.append(np.array(rows, dtype=np.float64))
        _, rows = _read_csv(os.path.join(d, f"Khan_y{part}.csv"))
        ys.append(np.array([r[-1] for r in rows], dtype=np.float64))
    return _standardise(np.vstack(Xs), np.concatenate(ys))


def hitters():
    """ISLP Hitters: 263 x 19 after dropping missing Salary, categoricals as 0/1."""
    header, rows = _read_csv(os.path.join(islp_data_dir(), "Hitters.csv"))
    cols = {h: i for i, h in enumerate(header)}
    X, y = [], []
    for r in rows:
        if r[cols["Salary"]] in ("", "NA"):
            continue
        feats = []
        for h in header:
            if h == "Salary":
                continue
            v = r[cols[h]]
            if h in ("League", "NewLeague"):
                feats.append(float(v == "N"))
            elif h == "Division":
                feats.append(float(v == "W"))
            else:
                feats.append(float(v))
        X.append(feats)
        y.append(float(r[cols["Salary"]]))
    return _standardise(np.array(X), np.array(y))


def digits_poly(n=300):
    """Fallback p>>n real-like problem without ISLP: 300 digits, the 64 pixels and all their
    degree-2 products (~2000 columns), y = the digit."""
    from sklearn.datasets import load_digits
    from sklearn.preprocessing import PolynomialFeatures
    X, y = load_digits(return_X_y=True)
    X = PolynomialFeatures(2, include_bias=False).fit_transform(X[:n])
    return _standardise(X, y[:n])


def problem_specs(quick):
    """name -> (description, builder). Sizes shrink with --quick."""
    if quick:
        specs = {
            "dense_pn": ("dense p>>n, Toeplitz rho=0.6, 100x1000", lambda: dense_corr(100, 1000)),
            "dense_np": ("dense n>>p, Toeplitz rho=0.6, 2000x100", lambda: dense_tall(2000, 100)),
            "sparse": ("sparse CSC 300x1200, 3000 nnz", lambda: sparse_problem(300, 1200, 3_000)),
        }
    else:
        specs = {
            "dense_pn": ("dense p>>n, Toeplitz rho=0.6, 500x5000", lambda: dense_corr(500, 5000)),
            "dense_np": ("dense n>>p, Toeplitz rho=0.6, 20000x500", lambda: dense_tall(20000, 500)),
            "sparse": ("sparse CSC 20000x100000, 1e6 nnz",
                       lambda: sparse_problem(20000, 100_000, 1_000_000)),
        }
    specs["diabetes"] = ("sklearn diabetes 442x10", diabetes)
    if islp_data_dir() is not None:
        specs["khan"] = ("ISLP Khan 83x2308 (real p>>n)", khan)
        specs["hitters"] = ("ISLP Hitters 263x19", hitters)
    else:
        specs["digits_poly"] = ("digits, 300 x ~2000 degree-2 features (real-like p>>n)",
                                digits_poly)
    return specs


LARGE = ("dense_pn", "dense_np", "sparse")


def save(path, X, y):
    """Write a problem to disk so that worker processes load the very same arrays."""
    if sp.issparse(X):
        np.savez(path, sparse=True, data=X.data, indices=X.indices, indptr=X.indptr,
                 shape=np.array(X.shape), y=y)
    else:
        np.savez(path, sparse=False, X=X, y=y)


def load(path):
    with np.load(path) as f:
        y = np.ascontiguousarray(f["y"])
        if bool(f["sparse"]):
            X = sp.csc_matrix((f["data"], f["indices"], f["indptr"]), shape=tuple(f["shape"]))
        else:
            X = np.asfortranarray(f["X"])
    return X, y
