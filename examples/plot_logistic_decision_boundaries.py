"""Decision boundaries of L1, L2 and elastic-net logistic regression on three classes.

Two informative features plus eight noise features; the boundaries are drawn in the plane of
the two informative ones (noise features at 0). The L1 and elastic-net models, at the same C,
drop most noise features (printed); the L2 model keeps small weights on all of them.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_blobs

from skreg import LogisticRegression

rng = np.random.RandomState(0)
X2, y = make_blobs(n_samples=300, centers=[[-2, -1], [2, -1], [0, 2]], cluster_std=1.3,
                   random_state=0)
X = np.hstack([X2, rng.randn(300, 8)])

models = {"L2 (l1_ratio=0)": LogisticRegression(C=0.05, l1_ratio=0.0),
          "elastic net (l1_ratio=0.5)": LogisticRegression(C=0.05, l1_ratio=0.5),
          "L1 (l1_ratio=1)": LogisticRegression(C=0.05, l1_ratio=1.0)}

xx, yy = np.meshgrid(np.linspace(-6, 6, 300), np.linspace(-5, 6, 300))
grid = np.zeros((xx.size, X.shape[1]))
grid[:, 0], grid[:, 1] = xx.ravel(), yy.ravel()

fig, axes = plt.subplots(1, 3, figsize=(13, 4.3), sharey=True)
for ax, (name, model) in zip(axes, models.items()):
    model.fit(X, y)
    nonzero = int(np.count_nonzero(np.any(model.coef_ != 0, axis=0)))
    print(f"{name:28s} features used: {nonzero}/10, training accuracy "
          f"{model.score(X, y):.3f}")
    Z = model.predict(grid).reshape(xx.shape)
    ax.contourf(xx, yy, Z, alpha=0.25, levels=[-0.5, 0.5, 1.5, 2.5], cmap="brg")
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="brg", s=12, edgecolor="k", linewidth=0.3)
    ax.set_title(f"{name}\n{nonzero}/10 features used")
    ax.set_xlabel("feature 0")
axes[0].set_ylabel("feature 1")
fig.suptitle("skreg.LogisticRegression, multinomial, C=0.05")
fig.tight_layout()
fig.savefig("logistic_decision_boundaries.png", dpi=90)
print("wrote logistic_decision_boundaries.png")
