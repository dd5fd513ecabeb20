"""Regularization paths of the Lasso and of the elastic net on the diabetes data.

`lasso_path` / `enet_path` solve the whole alpha grid with warm starts (largest alpha first);
`RegularizationPathDisplay` plots each coefficient against alpha. The dashed lines mark the
alpha chosen by LassoCV (lowest CV error) and by the one-standard-error rule.

Run: ``python examples/plot_regularization_path.py`` (writes ``regularization_path.png``).
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_diabetes
from sklearn.preprocessing import StandardScaler

from skreg import LassoCV, RegularizationPathDisplay, enet_path, lasso_path

X, y = load_diabetes(return_X_y=True, as_frame=True)
names = list(X.columns)
Xs = StandardScaler().fit_transform(X)

# same grid as LassoCV: 100 alphas from alpha_max (all coefficients zero) down to 1e-3 alpha_max
alphas, coefs, _ = lasso_path(Xs, y, alphas=100, eps=1e-3, fit_intercept=True)
alphas_en, coefs_en, _ = enet_path(Xs, y, l1_ratio=0.5, alphas=100, fit_intercept=True)
cv = LassoCV(cv=5).fit(Xs, y)
print(f"LassoCV: alpha_={cv.alpha_:.4g}, alpha_1se_={cv.alpha_1se_:.4g}")
order = (coefs != 0).argmax(axis=1)  # first alpha at which each feature is non-zero
entering = [names[j] for j in sorted(range(len(names)), key=lambda j: order[j])]
print("order of entry into the lasso path:", ", ".join(entering))

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.5), layout="constrained", sharey=True)
lasso = RegularizationPathDisplay.from_path(
    alphas, coefs, feature_names=names, estimator_name="Lasso", ax=ax1, legend=False,
    alpha_marks={"alpha_": cv.alpha_, "alpha_1se_": cv.alpha_1se_})
ax1.legend(handles=list(lasso.vlines_.values()), loc="lower left", fontsize="small")
RegularizationPathDisplay.from_path(alphas_en, coefs_en, feature_names=names,
                                    estimator_name="ElasticNet, l1_ratio=0.5", ax=ax2)
ax2.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
ax1.set_ylabel("coefficient (standardized features)")
fig.savefig("regularization_path.png", dpi=110)
print("wrote regularization_path.png")
if plt.get_backend().lower() != "agg":
    plt.show()
