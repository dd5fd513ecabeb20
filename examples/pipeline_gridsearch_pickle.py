"""skreg inside scikit-learn: a Pipeline, GridSearchCV, PathSearchCV, and a pickle round trip.

1. ``make_pipeline(StandardScaler(), ElasticNet())`` tuned by scikit-learn's GridSearchCV
   (one fit per candidate and fold, as for any estimator).
2. The same search with skreg's PathSearchCV, a GridSearchCV subclass: candidates that differ
   only by alpha are solved as one warm-started path per fold. It needs a bare skreg model, so
   the scaling moves into the estimator: ``ElasticNet(standardize=True)`` penalizes the
   coefficients of unit-variance columns, which is the same problem as StandardScaler + ElasticNet
   (coefficients are reported on the original scale).
3. The best pipeline is pickled and loaded back; its predictions are unchanged.

Run: ``python examples/pipeline_gridsearch_pickle.py`` (writes ``pipeline_predictions.png``).
"""

import pickle
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import GridSearchCV, KFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skreg import ElasticNet, PathSearchCV

X, y = load_diabetes(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
folds = KFold(5, shuffle=True, random_state=0)
alphas = np.logspace(-3, 1, 20)
l1_ratios = [0.5, 0.9, 1.0]

pipe = make_pipeline(StandardScaler(), ElasticNet())
t0 = time.perf_counter()
grid = GridSearchCV(pipe, {"elasticnet__alpha": alphas, "elasticnet__l1_ratio": l1_ratios},
                    cv=folds, scoring="neg_mean_squared_error").fit(X_train, y_train)
t1 = time.perf_counter()
path = PathSearchCV(ElasticNet(standardize=True), {"alpha": alphas, "l1_ratio": l1_ratios},
                    cv=folds, scoring="neg_mean_squared_error").fit(X_train, y_train)
t2 = time.perf_counter()
for label, search, prefix in [("GridSearchCV(Pipeline)", grid, "elasticnet__"),
                              ("PathSearchCV", path, "")]:
    best_alpha = search.best_params_[prefix + "alpha"]
    best_ratio = search.best_params_[prefix + "l1_ratio"]
    print(f"{label:<23} {t1 - t0 if search is grid else t2 - t1:5.2f} s for "
          f"{len(alphas) * len(l1_ratios)} candidates x 5 folds: best alpha={best_alpha:.4g}, "
          f"l1_ratio={best_ratio}, CV MSE {-search.best_score_:.1f}")
a, b = grid.cv_results_["mean_test_score"], path.cv_results_["mean_test_score"]
print(f"largest relative difference between the two searches' mean CV scores: "
      f"{np.max(np.abs(a - b) / np.abs(a)):.1e} (each fit stops at the default tol=1e-4)")

# pickle round trip of the refitted best pipeline
best = grid.best_estimator_
restored = pickle.loads(pickle.dumps(best))
assert np.array_equal(best.predict(X_test), restored.predict(X_test))
print(f"pickle round trip: {len(pickle.dumps(best))} bytes, identical predictions; "
      f"held-out R^2 = {restored.score(X_test, y_test):.3f}")

fig, ax = plt.subplots(figsize=(5.5, 5), layout="constrained")
pred = restored.predict(X_test)
ax.scatter(y_test, pred, s=14, alpha=0.7)
lims = [min(y_test.min(), pred.min()), max(y_test.max(), pred.max())]
ax.plot(lims, lims, "k--", linewidth=1, label="perfect prediction")
ax.set_xlabel("true disease progression")
ax.set_ylabel("prediction of the unpickled pipeline")
ax.set_title("StandardScaler + ElasticNet, held-out data")
ax.legend()
fig.savefig("pipeline_predictions.png", dpi=110)
print("wrote pipeline_predictions.png")
if plt.get_backend().lower() != "agg":
    plt.show()
