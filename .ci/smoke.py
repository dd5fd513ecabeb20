"""Smoke test of an installed skreg (wheel or sdist): import it away from the source tree, check
the compiled kernel is the installed one, and fit Lasso, LassoCV and RidgeCV on the diabetes data.

Run from any directory other than the repository root: `python /path/to/.ci/smoke.py`."""
import os
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso as SkLasso

import skreg
from skreg import Lasso, LassoCV, RidgeCV, _cd_fast

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)
for module in (skreg, _cd_fast):
    if os.path.abspath(module.__file__).startswith(repo + os.sep):
        sys.exit(f"{module.__name__} was imported from the source tree ({module.__file__}), "
                 "not from the installed package: run this from another directory.")

X, y = load_diabetes(return_X_y=True)
X = (X - X.mean(axis=0)) / X.std(axis=0)
lasso = Lasso(alpha=0.5, tol=1e-8).fit(X, y)
reference = SkLasso(alpha=0.5, tol=1e-10, max_iter=100_000).fit(X, y)
np.testing.assert_allclose(lasso.coef_, reference.coef_, rtol=1e-4, atol=1e-3)
cv = LassoCV(cv=5, selection_rule="1se").fit(X, y)
assert cv.alpha_1se_ >= cv.alpha_ > 0, (cv.alpha_, cv.alpha_1se_)
ridge = RidgeCV(alphas=[0.1, 1.0, 10.0]).fit(X, y)
assert ridge.score(X, y) > 0.4
print(f"skreg {skreg.__version__} from {os.path.dirname(skreg.__file__)} "
      f"(numpy {np.__version__}, scikit-learn {sklearn.__version__}): Lasso, LassoCV "
      f"(alpha_={cv.alpha_:.4g}, alpha_1se_={cv.alpha_1se_:.4g}) and RidgeCV fit.")
