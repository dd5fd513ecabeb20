"""Lasso, Ridge and ElasticNet coefficients side by side on the diabetes data.

Each model's alpha is chosen by 5-fold cross-validation (LassoCV, ElasticNetCV, RidgeCV) on
standardized features, so the coefficients are comparable: the Lasso sets some of them exactly
to zero, Ridge shrinks all of them, and the elastic net sits in between.

Run: ``python examples/plot_coefficients.py`` (writes ``coefficients.png``).
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skreg import ElasticNetCV, LassoCV, RidgeCV

X, y = load_diabetes(return_X_y=True, as_frame=True)
names = list(X.columns)
folds = KFold(5, shuffle=True, random_state=0)

models = {
    "Lasso": LassoCV(cv=folds),
    "ElasticNet (l1_ratio=0.5)": ElasticNetCV(l1_ratio=0.5, cv=folds),
    "Ridge": RidgeCV(alphas=np.logspace(-3, 3, 61), cv=folds,
                     scoring="neg_mean_squared_error"),
}
coefs = {}
for label, model in models.items():
    pipe = make_pipeline(StandardScaler(), model).fit(X, y)
    fitted = pipe[-1]
    coefs[label] = fitted.coef_
    print(f"{label:<26} alpha_={fitted.alpha_:<10.4g} non-zero coefficients: "
          f"{np.count_nonzero(fitted.coef_)}/{len(names)}")

fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
width = 0.8 / len(coefs)
positions = np.arange(len(names))
for i, (label, coef) in enumerate(coefs.items()):
    ax.bar(positions + (i - 1) * width, coef, width, label=label)
ax.axhline(0, color="k", linewidth=0.8)
ax.set_xticks(positions, names)
ax.set_ylabel("coefficient (standardized features)")
ax.set_title("Diabetes: coefficients at the CV-chosen alpha")
ax.legend()
fig.savefig("coefficients.png", dpi=110)
print("wrote coefficients.png")
if plt.get_backend().lower() != "agg":
    plt.show()
