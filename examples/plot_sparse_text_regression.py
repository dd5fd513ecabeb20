"""Sparse, text-like regression: hashed bag-of-words features, Lasso on a sparse matrix.

We generate short "documents" from a vocabulary of made-up words (nothing is downloaded); the
target is a weighted count of a few signal words plus noise. `HashingVectorizer` turns the
documents into a scipy CSR matrix of word counts (2**15 columns, ~0.1% non-zero). skreg's
LassoCV works on that matrix directly: with ``fit_intercept=True`` the centring is folded into
the coordinate updates, so X is never densified. The figure compares the estimated and the
true weights of the signal words.

Run: ``python examples/plot_sparse_text_regression.py`` (writes ``sparse_text_regression.png``).
"""

import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.model_selection import train_test_split

from skreg import LassoCV

rng = np.random.default_rng(0)
letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
vocabulary = sorted({"".join(rng.choice(letters, size=rng.integers(4, 9)))
                     for _ in range(3000)})
n_docs, n_signal = 2000, 15
signal_words = list(rng.choice(vocabulary, size=n_signal, replace=False))
true_weight = dict(zip(signal_words, np.round(rng.normal(0, 2, n_signal), 2)))

# Zipf-like word frequencies; each document has 20 to 80 words
freq = 1.0 / np.arange(1, len(vocabulary) + 1)
freq = freq[rng.permutation(len(vocabulary))]
freq /= freq.sum()
docs, y = [], np.empty(n_docs)
for i in range(n_docs):
    words = rng.choice(vocabulary, size=rng.integers(20, 81), p=freq)
    # make signal words appear in about 1 document out of 8
    words = np.concatenate([words, [w for w in signal_words if rng.random() < 0.12]])
    docs.append(" ".join(words))
    y[i] = sum(true_weight.get(w, 0.0) for w in words) + rng.normal(0, 0.5)

vectorizer = HashingVectorizer(n_features=2**15, alternate_sign=False, norm=None)
X = vectorizer.transform(docs)  # scipy.sparse CSR, word counts
print(f"X: {X.shape[0]} documents x {X.shape[1]} hashed features, {X.nnz} non-zeros "
      f"({100 * X.nnz / np.prod(X.shape):.2f}% dense), {type(X).__name__}")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

t0 = time.perf_counter()
model = LassoCV(cv=5, selection_rule="1se").fit(X_train, y_train)
print(f"LassoCV (5 folds x 100 alphas, 1-SE rule) in {time.perf_counter() - t0:.2f} s: "
      f"alpha={model.best_params_['alpha']:.3g}, "
      f"{np.count_nonzero(model.coef_)} non-zero coefficients, "
      f"held-out R^2 = {model.score(X_test, y_test):.3f}")

# column of each signal word in the hashed matrix
column = {w: int(vectorizer.transform([w]).indices[0]) for w in signal_words}
estimated = np.array([model.coef_[column[w]] for w in signal_words])
true = np.array([true_weight[w] for w in signal_words])
others = np.setdiff1d(np.flatnonzero(model.coef_), list(column.values()))
print(f"signal words recovered: {np.count_nonzero(estimated)}/{n_signal}; "
      f"other non-zero columns: {len(others)}")

fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
pos = np.arange(n_signal)
ax.bar(pos - 0.2, true, 0.4, label="true weight")
ax.bar(pos + 0.2, estimated, 0.4, label="Lasso estimate")
ax.axhline(0, color="k", linewidth=0.8)
ax.set_xticks(pos, signal_words, rotation=60, ha="right")
ax.set_ylabel("weight per occurrence")
ax.set_title(f"Signal words among {X.shape[1]} hashed features (sparse X)")
ax.legend()
fig.savefig("sparse_text_regression.png", dpi=110)
print("wrote sparse_text_regression.png")
if plt.get_backend().lower() != "agg":
    plt.show()
