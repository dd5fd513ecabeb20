"""Command line: `skreg demo` (or `python -m skreg demo`)."""

import argparse
import sys
import time

import numpy as np


def demo(args):
    """Fit skreg and scikit-learn side by side on the diabetes data and print both."""
    from sklearn import linear_model as sk
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import train_test_split

    import skreg

    X, y = load_diabetes(return_X_y=True, as_frame=True)
    names = list(X.columns)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    models = [
        ("Lasso(alpha=0.1)", skreg.Lasso(alpha=0.1), sk.Lasso(alpha=0.1)),
        ("ElasticNet(alpha=0.01, l1_ratio=0.5)", skreg.ElasticNet(alpha=0.01, l1_ratio=0.5),
         sk.ElasticNet(alpha=0.01, l1_ratio=0.5)),
    ]
    if hasattr(skreg, "Ridge"):
        models.append(("Ridge(alpha=1.0)", skreg.Ridge(alpha=1.0), sk.Ridge(alpha=1.0)))
    print(f"diabetes: {X.shape[0]} samples x {X.shape[1]} features "
          f"({len(y_train)} train / {len(y_test)} test)\n")
    for title, ours, theirs in models:
        t0 = time.perf_counter()
        ours.fit(X_train, y_train)
        t1 = time.perf_counter()
        theirs.fit(X_train, y_train)
        t2 = time.perf_counter()
        print(title)
        print(f"  {'feature':>8} {'skreg':>10} {'sklearn':>10}")
        for name, a, b in zip(names, ours.coef_, theirs.coef_):
            print(f"  {name:>8} {a:10.3f} {b:10.3f}")
        print(f"  {'(icept)':>8} {ours.intercept_:10.3f} {theirs.intercept_:10.3f}")
        print(f"  non-zero coefficients: skreg {np.count_nonzero(ours.coef_)}, "
              f"sklearn {np.count_nonzero(theirs.coef_)}")
        print(f"  test R^2: skreg {ours.score(X_test, y_test):.4f}, "
              f"sklearn {theirs.score(X_test, y_test):.4f}")
        print(f"  fit time: skreg {1e3 * (t1 - t0):.2f} ms, sklearn {1e3 * (t2 - t1):.2f} ms\n")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="skreg", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_demo = sub.add_parser("demo", help="fit skreg beside scikit-learn on the diabetes data")
    p_demo.set_defaults(func=demo)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
