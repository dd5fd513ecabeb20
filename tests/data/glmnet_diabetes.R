# Reference values for tests/test_results.py: glmnet's df and dev.ratio along fixed lambda
# grids on scikit-learn's diabetes data (R glmnet 4.1, thresh = 1e-12, standardize = FALSE).
#
# For family = "gaussian" glmnet minimizes
#   1 / (2 * sum(w)) * sum(w_i * (y_i - b - x_i'beta)^2) + lambda * (a * |beta|_1 + (1 - a) / 2 * |beta|^2)
# which is skreg's (and scikit-learn's) objective with alpha = lambda and l1_ratio = a (weights
# rescaled to sum to n change nothing), so the grids below are used as skreg alphas as they are.
#
# Regenerate (from the repository root):
#   python -c "import numpy as np; from sklearn.datasets import load_diabetes; \
#     X, y = load_diabetes(return_X_y=True); \
#     np.savetxt('/tmp/diabetes.csv', np.column_stack([X, y]), delimiter=',', fmt='%.17g')"
#   Rscript tests/data/glmnet_diabetes.R /tmp/diabetes.csv tests/data/glmnet_diabetes.csv
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
data <- as.matrix(read.csv(args[1], header = FALSE))
x <- data[, 1:10]
y <- data[, 11]
n <- nrow(x)
weights <- 1 + (seq_len(n) - 1) %% 3  # 1, 2, 3, 1, 2, 3, ...

# scikit-learn's automatic grid: alpha_max = max |X~'W y~| / (sum(w) * a), 100 values down to
# 1e-3 * alpha_max, log-spaced (X~, y~ centred with the weighted means).
grid <- function(a, w) {
  xc <- sweep(x, 2, colSums(w * x) / sum(w))
  yc <- y - sum(w * y) / sum(w)
  top <- max(abs(crossprod(xc, w * yc))) / (sum(w) * a)
  exp(seq(log(top), log(top * 1e-3), length.out = 100))
}

cases <- list(
  list(name = "lasso", a = 1, w = rep(1, n)),
  list(name = "enet_0.5", a = 0.5, w = rep(1, n)),
  list(name = "lasso_weighted", a = 1, w = weights)
)
out <- NULL
for (case in cases) {
  lambda <- grid(case$a, case$w)
  fit <- glmnet(x, y, family = "gaussian", alpha = case$a, weights = case$w, lambda = lambda,
                standardize = FALSE, intercept = TRUE, thresh = 1e-12, maxit = 1e7)
  out <- rbind(out, data.frame(case = case$name, lambda = sprintf("%.17g", fit$lambda),
                               df = fit$df, dev_ratio = sprintf("%.17g", fit$dev.ratio)))
}
write.csv(out, args[2], row.names = FALSE, quote = FALSE)
cat(sprintf("glmnet %s: wrote %d rows to %s\n", packageVersion("glmnet"), nrow(out), args[2]))
