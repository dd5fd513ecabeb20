# Reference values for tests/test_logistic_cv.py: glmnet's df and dev.ratio for
# family = "binomial" along fixed lambda grids on scikit-learn's breast_cancer data, columns
# standardized with the 1/n variance (R glmnet 4.1, thresh = 1e-14, standardize = FALSE).
#
# glmnet minimizes -1/sum(w) * sum(w_i * loglik_i) + lambda * (a * |beta|_1 + (1 - a) / 2 * |beta|^2),
# which is skreg's LogisticRegression objective divided by C * sum(w): C = 1 / (lambda * sum(w)),
# l1_ratio = a (docs/logistic.md).
#
# Regenerate (from the repository root):
#   python -c "import numpy as np; from sklearn.datasets import load_breast_cancer; \
#     from sklearn.preprocessing import StandardScaler; \
#     X, y = load_breast_cancer(return_X_y=True); X = StandardScaler().fit_transform(X); \
#     np.savetxt('/tmp/breast_cancer.csv', np.column_stack([X, y]), delimiter=',', fmt='%.17g')"
#   Rscript tests/data/glmnet_breast_cancer.R /tmp/breast_cancer.csv tests/data/glmnet_breast_cancer.csv
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
data <- as.matrix(read.csv(args[1], header = FALSE))
x <- data[, 1:30]
y <- data[, 31]
n <- nrow(x)
weights <- 1 + (seq_len(n) - 1) %% 3  # 1, 2, 3, 1, 2, 3, ...

# lambda_max = max |X'(w * (y - ybar_w))| / (sum(w) * a); 30 values down to 1e-3 * lambda_max
grid <- function(a, w) {
  ybar <- sum(w * y) / sum(w)
  top <- max(abs(crossprod(x, w * (y - ybar)))) / (sum(w) * a)
  exp(seq(log(top), log(top * 1e-3), length.out = 30))
}

cases <- list(
  list(name = "l1", a = 1, w = rep(1, n)),
  list(name = "enet_0.5", a = 0.5, w = rep(1, n)),
  list(name = "l1_weighted", a = 1, w = weights)
)
out <- NULL
for (case in cases) {
  lambda <- grid(case$a, case$w)
  fit <- glmnet(x, y, family = "binomial", alpha = case$a, weights = case$w, lambda = lambda,
                standardize = FALSE, intercept = TRUE, thresh = 1e-14, maxit = 1e7)
  out <- rbind(out, data.frame(case = case$name, l1_ratio = case$a, sum_w = sum(case$w),
                               lambda = sprintf("%.17g", fit$lambda), df = fit$df,
                               dev_ratio = sprintf("%.17g", fit$dev.ratio)))
}
write.csv(out, args[2], row.names = FALSE, quote = FALSE)
