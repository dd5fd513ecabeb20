"""Choosing alpha by cross-validation, and the one-standard-error rule.

LassoCV records the mean test MSE of every alpha over the folds. ``alpha_`` has the lowest
mean; ``alpha_1se_`` is the largest alpha whose mean is within one standard error of that
minimum (glmnet's ``lambda.1se``): a sparser model that is statistically as good.
``selection_rule="1se"`` refits at ``alpha_1se_``. `CVCurveDisplay` draws the curve with a
band of ± one standard error of the mean (std over the folds / sqrt(number of folds)): the
``alpha_1se_`` line is at the largest alpha whose mean lies within the band's top edge at
``alpha_``.

Run: ``python examples/plot_cv_one_standard_error.py`` (writes ``cv_one_standard_error.png``).
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import KFold, train_test_split

from skreg import CVCurveDisplay, LassoCV

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
folds = KFold(10, shuffle=True, random_state=0)

best = LassoCV(cv=folds).fit(X_train, y_train)
sparse = LassoCV(cv=folds, selection_rule="1se").fit(X_train, y_train)
for label, model in [("min (alpha_)", best), ("1se (alpha_1se_)", sparse)]:
    mse = np.mean((model.predict(X_test) - y_test) ** 2)
    print(f"rule {label:<17} alpha={model.best_params_['alpha']:.4g}  "
          f"non-zero={np.count_nonzero(model.coef_):>2}  held-out MSE={mse:.1f}")

fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
CVCurveDisplay.from_estimator(best, ax=ax)
fig.savefig("cv_one_standard_error.png", dpi=110)
print("wrote cv_one_standard_error.png")
if plt.get_backend().lower() != "agg":
    plt.show()
