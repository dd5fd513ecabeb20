"""Regularization paths of the Lasso and of the elastic net on the diabetes data.

`RegularizationPathDisplay.from_estimator` draws the path of a fitted model's own problem: here
a Pipeline (StandardScaler, then LassoCV), so the path is that of the standardized features,
on LassoCV's own alpha grid, with the alpha chosen by CV (lowest error) and by the
one-standard-error rule marked. The top axis counts the non-zero coefficients, as glmnet's
``plot(fit)``. `enet_path` computes the elastic-net path, drawn against the L1 norm of the
coefficients (``xvar="norm"``); ``xvar="dev"`` would use the fraction of deviance explained.

Run: ``python examples/plot_regularization_path.py`` (writes ``regularization_path.png``).
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_diabetes
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skreg import LassoCV, RegularizationPathDisplay, enet_path

X, y = load_diabetes(return_X_y=True, as_frame=True)
names = list(X.columns)

model = make_pipeline(StandardScaler(), LassoCV(cv=5)).fit(X, y)
cv = model[-1]
print(f"LassoCV: alpha_={cv.alpha_:.4g}, alpha_1se_={cv.alpha_1se_:.4g}, "
      f"grid from {cv.alphas_[0]:.4g} down to {cv.alphas_[-1]:.4g}")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.8), layout="constrained")
lasso = RegularizationPathDisplay.from_estimator(model, X, y, ax=ax1, legend=False)
order = (lasso.coefs != 0).argmax(axis=1)  # first alpha at which each feature is non-zero
entering = [names[j] for j in sorted(range(len(names)), key=lambda j: order[j])]
print("order of entry into the lasso path:", ", ".join(entering))
ax1.legend(handles=list(lasso.vlines_.values()), loc="upper right", fontsize="small")

# the elastic net (l1_ratio=0.5) on the same standardized features, from enet_path
Xs = model[:-1].transform(X)
alphas_en, coefs_en, _ = enet_path(Xs, y, l1_ratio=0.5, alphas=100, fit_intercept=True)
RegularizationPathDisplay.from_path(alphas_en, coefs_en, feature_names=names,
                                    estimator_name="ElasticNet, l1_ratio=0.5", ax=ax2,
                                    xvar="norm", legend=False)
ax2.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
ax1.set_ylabel("coefficient (standardized features)")
fig.savefig("regularization_path.png", dpi=110)
print("wrote regularization_path.png")
if plt.get_backend().lower() != "agg":
    plt.show()
