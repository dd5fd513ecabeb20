"""Feature selection with an L1 logistic regression (`SelectFromModel`) on breast-cancer data.

The 30 measurements are joined by 470 noise columns. `LogisticRegressionCV` chooses C along a
path (with the one-standard-error rule, for a sparser model), `SelectFromModel` keeps the
features with non-zero coefficients, and a plain L2 model fitted on those is compared, by
cross-validated accuracy, with the same model on all 500 columns. The right panel is the
path `LogisticRegressionCV` searched (glmnet's ``plot(fit)``): the coefficients against C, with
``C_`` and ``C_1se_`` marked.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.feature_selection import SelectFromModel
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skreg import LogisticRegression, LogisticRegressionCV, RegularizationPathDisplay

X, y = load_breast_cancer(return_X_y=True)
rng = np.random.RandomState(0)
X = np.hstack([X, rng.randn(X.shape[0], 470)])
X = StandardScaler().fit_transform(X)

selector_model = LogisticRegressionCV(Cs=30, l1_ratios=[1.0], eps=1e-2, cv=5,
                                      selection_rule="1se")
selector_model.fit(X, y)
selector = SelectFromModel(LogisticRegression(C=selector_model.best_params_["C"],
                                              l1_ratio=1.0), threshold=1e-10).fit(X, y)
kept = np.flatnonzero(selector.get_support())
print(f"C chosen (1-SE rule): {selector_model.best_params_['C']:.4g}; features kept: "
      f"{len(kept)} ({np.sum(kept < 30)} real measurements, {np.sum(kept >= 30)} noise)")

selected = make_pipeline(SelectFromModel(LogisticRegression(
    C=selector_model.best_params_["C"], l1_ratio=1.0), threshold=1e-10),
    LogisticRegression(C=1.0))
everything = LogisticRegression(C=1.0)
acc_sel = cross_val_score(selected, X, y, cv=5).mean()
acc_all = cross_val_score(everything, X, y, cv=5).mean()
print(f"CV accuracy: selected features {acc_sel:.3f}, all 500 columns {acc_all:.3f}")

coef = selector.estimator_.coef_.ravel()
fig, (ax, ax_path) = plt.subplots(1, 2, figsize=(13, 4.2), width_ratios=(3, 2))
ax.stem(np.arange(30), coef[:30], linefmt="C0-", markerfmt="C0o", basefmt=" ",
        label="breast-cancer measurements")
ax.stem(np.arange(30, 500), coef[30:], linefmt="C3-", markerfmt="C3.", basefmt=" ",
        label="noise columns")
ax.set_xlabel("feature")
ax.set_ylabel("L1 coefficient")
ax.set_title(f"SelectFromModel(L1 logistic): {len(kept)} of 500 features kept;\n"
             f"CV accuracy {acc_sel:.3f} (all: {acc_all:.3f})", fontsize="medium")
ax.legend()

path = RegularizationPathDisplay.from_estimator(selector_model, X, y, ax=ax_path,
                                                line_kw={"linewidth": 0.8})
for j, line in enumerate(path.lines_):  # the measurements in blue, the noise in red
    line.set_color("C0" if j < 30 else "C3")
ax_path.set_title("Path of LogisticRegressionCV (L1)", fontsize="medium", pad=28)
ax_path.legend(handles=list(path.vlines_.values()), fontsize="small")
fig.tight_layout()
fig.savefig("logistic_feature_selection.png", dpi=90)
print("wrote logistic_feature_selection.png")
