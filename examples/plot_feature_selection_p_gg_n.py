"""Feature selection when p >> n: the 10 diabetes measurements hidden among 1490 noise columns.

We keep 150 patients of scikit-learn's diabetes data and append 1490 columns of pure noise
(Gaussian, same scale as the real columns), so there are 10 times more features than samples.
LassoCV picks alpha by 5-fold CV; the one-standard-error rule (``alpha_1se_``) gives a sparser
model that lets fewer noise columns in. As glmnet does when n < p, the alpha grid stops at
``eps=1e-2`` times alpha_max: below that the Lasso nearly interpolates the training data,
which is slow to solve and never chosen by CV.

Run: ``python examples/plot_feature_selection_p_gg_n.py`` (writes ``feature_selection.png``).
"""

import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import KFold

from skreg import LassoCV

X_real, y = load_diabetes(return_X_y=True)
names = load_diabetes().feature_names
rng = np.random.default_rng(0)
rows = rng.choice(len(y), size=150, replace=False)
X_real, y = X_real[rows], y[rows]
n_noise = 1490
X_noise = rng.normal(scale=X_real.std(), size=(len(y), n_noise))
X = np.hstack([X_real, X_noise])
is_real = np.arange(X.shape[1]) < X_real.shape[1]
print(f"X: {X.shape[0]} samples x {X.shape[1]} features ({is_real.sum()} real, "
      f"{n_noise} noise)")

folds = KFold(5, shuffle=True, random_state=0)
t0 = time.perf_counter()
lasso_min = LassoCV(cv=folds, eps=1e-2).fit(X, y)
t1 = time.perf_counter()
lasso_1se = LassoCV(cv=folds, eps=1e-2, selection_rule="1se").fit(X, y)
print(f"LassoCV: {t1 - t0:.2f} s for 5 folds x 100 alphas")
for label, model in [("min", lasso_min), ("1se", lasso_1se)]:
    nz = model.coef_ != 0
    chosen = [names[j] for j in np.flatnonzero(nz & is_real)]
    print(f"rule {label}: alpha={model.best_params_['alpha']:.4g}, real features kept "
          f"{(nz & is_real).sum()}/10 ({', '.join(chosen)}), noise features kept "
          f"{(nz & ~is_real).sum()}/{n_noise}")

fig, axes = plt.subplots(2, 1, figsize=(9, 5.5), layout="constrained", sharex=True)
for ax, (label, model) in zip(axes, [("alpha_ (min CV error)", lasso_min),
                                     ("alpha_1se_ (1-SE rule)", lasso_1se)]):
    coef = np.abs(model.coef_)
    index = np.arange(len(coef))
    ax.vlines(index[~is_real], 0, coef[~is_real], color="0.6", linewidth=1,
              label="noise features")
    ax.vlines(index[is_real], 0, coef[is_real], color="C3", linewidth=2.5,
              label="real features")
    ax.set_xscale("symlog", linthresh=10)
    ax.set_ylabel("|coefficient|")
    ax.set_title(f"Lasso at {label}: {np.count_nonzero(model.coef_)} non-zero")
    ax.legend(loc="upper right")
axes[-1].set_xlabel("feature index (0-9: the diabetes measurements; symlog axis)")
fig.savefig("feature_selection.png", dpi=110)
print("wrote feature_selection.png")
if plt.get_backend().lower() != "agg":
    plt.show()
