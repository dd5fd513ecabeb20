# Fit R glmnet's binomial family along a lambda path (for benchmarks/logistic.py).
#
# Rscript glmnet_logistic.R DATADIR LAMBDA_BIN ALPHA THRESH REPS OUT_PREFIX
#
#   DATADIR/meta.txt : "n p sparse"; X.bin (dense, column-major float64) or data.bin,
#                      indices.bin (int32), indptr.bin (int32) for CSC; y.bin (0/1 float64)
#   LAMBDA_BIN       : float64 lambdas (decreasing), lambda = 1 / (n C)
#   OUT_PREFIX.coef.bin : p x k coefficients (column-major float64); OUT_PREFIX.txt: "time <s>"
#
# glmnet's binomial objective with standardize = FALSE, intercept = FALSE:
#     -1/n sum loglik_i + lambda * (alpha ||b||_1 + (1 - alpha) / 2 ||b||^2)
# which is scikit-learn's C * sum log_loss_i + l1_ratio ||b||_1 + (1 - l1_ratio) / 2 ||b||^2
# divided by n C, with lambda = 1 / (n C) and alpha = l1_ratio.

suppressPackageStartupMessages({
  library(Matrix)
  library(glmnet)
})
glmnet.control(fdev = 0, devmax = 1.0)

args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
meta <- scan(file.path(dir, "meta.txt"), quiet = TRUE)
n <- meta[1]; p <- meta[2]; is_sparse <- meta[3] == 1
if (is_sparse) {
  nnz <- file.info(file.path(dir, "data.bin"))$size / 8
  data <- readBin(file.path(dir, "data.bin"), "double", nnz)
  indices <- readBin(file.path(dir, "indices.bin"), "integer", nnz)
  indptr <- readBin(file.path(dir, "indptr.bin"), "integer", p + 1)
  X <- sparseMatrix(i = indices + 1, p = indptr, x = data, dims = c(n, p))
} else {
  X <- matrix(readBin(file.path(dir, "X.bin"), "double", n * p), n, p)
}
y <- readBin(file.path(dir, "y.bin"), "double", n)
k <- file.info(args[2])$size / 8
lambda <- readBin(args[2], "double", k)
alpha <- as.numeric(args[3]); thresh <- as.numeric(args[4]); reps <- as.integer(args[5])
best <- Inf
for (r in seq_len(reps)) {
  t0 <- Sys.time()
  fit <- glmnet(X, factor(y, levels = c(0, 1)), family = "binomial", alpha = alpha,
                lambda = lambda, intercept = FALSE, standardize = FALSE, thresh = thresh,
                maxit = 1e7)
  best <- min(best, as.numeric(Sys.time() - t0, units = "secs"))
}
B <- as.matrix(fit$beta)
if (ncol(B) < k) B <- cbind(B, matrix(NA, p, k - ncol(B)))
writeBin(as.vector(B), paste0(args[6], ".coef.bin"))
writeLines(sprintf("time %.6f", best), paste0(args[6], ".txt"))
