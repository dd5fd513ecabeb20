"""`skreg demo`: skreg's LassoCV beside scikit-learn's on the diabetes data, with plots."""

import os
import time

import numpy as np

import skreg

from ._cli_files import CLIError, have_matplotlib, legend_outside, new_axes, save_figure


def demo(args):
    """LassoCV (skreg) beside scikit-learn's LassoCV on the diabetes data, with plots."""
    from sklearn import linear_model as sk
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import KFold, train_test_split

    if os.path.exists(args.out_dir) and not os.path.isdir(args.out_dir):
        raise CLIError(f"--out-dir {args.out_dir} is a file, not a directory")
    data = load_diabetes()  # plain arrays: the demo must run without pandas
    X, y, names = data.data, data.target, list(data.feature_names)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    folds = KFold(5)

    def best_of_3(make):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            model = make().fit(X_train, y_train)
            times.append(time.perf_counter() - t0)
        return model, min(times)

    ours, t_ours = best_of_3(lambda: skreg.LassoCV(cv=folds))
    theirs, t_theirs = best_of_3(lambda: sk.LassoCV(cv=folds))

    def cv_mse(model):
        i = int(np.argmin(np.abs(model.alphas_ - model.alpha_)))
        return float(model.mse_path_[i].mean())

    print(f"diabetes: {X.shape[0]} samples x {X.shape[1]} features "
          f"({len(y_train)} train / {len(y_test)} test); LassoCV, 5-fold CV, "
          f"{len(ours.alphas_)} alphas\n")
    rows = [
        ("alpha_ (lowest CV MSE)", f"{ours.alpha_:.6g}", f"{theirs.alpha_:.6g}"),
        ("alpha_1se_ (1-SE rule)", f"{ours.alpha_1se_:.6g}", "-"),
        ("CV MSE at alpha_", f"{cv_mse(ours):.2f}", f"{cv_mse(theirs):.2f}"),
        ("test R^2", f"{ours.score(X_test, y_test):.4f}",
         f"{theirs.score(X_test, y_test):.4f}"),
        ("non-zero coefficients", str(np.count_nonzero(ours.coef_)),
         str(np.count_nonzero(theirs.coef_))),
        ("fit time (best of 3)", f"{1e3 * t_ours:.1f} ms", f"{1e3 * t_theirs:.1f} ms"),
    ]
    print(f"  {'':<24}{'skreg.LassoCV':>15}{'sklearn LassoCV':>17}")
    for label, a, b in rows:
        print(f"  {label:<24}{a:>15}{b:>17}")
    print(f"\n  {'coefficient':<24}{'skreg':>15}{'sklearn':>17}")
    for name, a, b in zip(names, ours.coef_, theirs.coef_):
        print(f"  {name:<24}{a + 0.0:>15.3f}{b + 0.0:>17.3f}")  # + 0.0: no "-0.000"
    print(f"  {'(intercept)':<24}{ours.intercept_:>15.3f}{theirs.intercept_:>17.3f}\n")

    if not have_matplotlib():
        print("note: matplotlib is not installed, so no plots were written "
              "(pip install 'skreg[plot]' or pip install matplotlib)")
        return 0
    try:
        os.makedirs(args.out_dir, exist_ok=True)
    except OSError as exc:
        raise CLIError(f"cannot create {args.out_dir}: {exc.strerror}") from None
    path_fig, cv_fig = demo_figures(ours, X_train, y_train, names)
    path_png = os.path.join(args.out_dir, "demo_path.png")
    save_figure(path_fig, path_png)
    cv_png = os.path.join(args.out_dir, "demo_cv.png")
    save_figure(cv_fig, cv_png)
    print(f"wrote {path_png} (regularization path) and {cv_png} (CV curve)")
    return 0


def demo_figures(model, X, y, names):
    """The demo's two figures: the path of the fitted LassoCV `model` on (X, y), its lines
    named by the data's feature names (diabetes: age, sex, bmi, ...), and its CV curve."""
    path_fig, ax = new_axes()
    skreg.RegularizationPathDisplay.from_estimator(model, X, y, feature_names=names, ax=ax,
                                                   legend=False)
    legend_outside(ax)
    cv_fig, ax = new_axes()
    skreg.CVCurveDisplay.from_estimator(model, ax=ax)
    return path_fig, cv_fig
