# Fit R glmnet on a problem written by benchmarks/_solvers.py and write the coefficients back.
#
# One-shot:  Rscript glmnet_fit.R DATADIR LAMBDA_BIN GLMNET_ALPHA INTERCEPT THRESH REPS OUT_PREFIX [MEM]
# Server:    Rscript glmnet_fit.R --serve
#            reads one request per line on stdin (the same 7-8 fields, space separated), answers
#            "OK" or "ERR <message>" on stdout; the last problem read stays loaded.
#
#   DATADIR/meta.txt  : "n p sparse" (sparse = 0/1)
#   DATADIR/X.bin     : dense X, float64, column-major            (sparse = 0)
#   DATADIR/data.bin, indices.bin (int32), indptr.bin (int32)      (sparse = 1, CSC)
#   DATADIR/y.bin     : float64
#   LAMBDA_BIN        : float64 lambda sequence (decreasing), already mapped to glmnet's scale
#   OUT_PREFIX.coef.bin : p x k coefficients (column-major float64)
#   OUT_PREFIX.txt      : "time <best elapsed seconds of glmnet() over REPS>", "nlambda <k>",
#                         "mem_mb <peak extra RSS of the first fit>" (only when MEM = 1)
# The time is glmnet()'s own elapsed wall time, measured inside R with Sys.time() around the
# call (system.time() only resolves 1 ms): starting R and reading the files are not counted.
# standardize = FALSE always.
#
# Objective: glmnet's gaussian family minimises
#     1/(2n) ||y - X b||^2 + lambda * (a ||b||_1 + (1 - a)/2 ||b||^2)
# but it first scales y to unit standard deviation (sd_y = sqrt(mean((y - mean(y))^2)) with an
# intercept, sqrt(mean(y^2)) without) and solves with lambda / sd_y, then scales b back. The
# lasso part is equivariant under that scaling, the ridge part is not: in the original units the
# L2 weight becomes lambda * (1 - a) / sd_y. So glmnet(lambda = alpha, alpha = rho) is NOT
# scikit-learn's ElasticNet(alpha, l1_ratio = rho) unless sd_y = 1. The Python side
# (GlmnetPeer in _solvers.py) maps scikit-learn's (alpha, rho) to
#     lambda = alpha * (rho + sd_y * (1 - rho)),   a = rho / (rho + sd_y * (1 - rho))
# which gives lambda * a = alpha * rho and lambda * (1 - a) / sd_y = alpha * (1 - rho); for the
# lasso (rho = 1) this is lambda = alpha, a = 1. Checked against scikit-learn's coefficients
# (relative difference ~1e-8; the naive lambda = alpha gives a 37% difference for rho = 0.5 on a
# problem with sd_y = 9): run `python benchmarks/_solvers.py --check-glmnet`.

suppressPackageStartupMessages({
  library(Matrix)
  library(glmnet)
})

# no early stop of the path (glmnet otherwise stops when the deviance ratio stalls)
glmnet.control(fdev = 0, devmax = 1.0)

status_mb <- function(key) {
  l <- grep(paste0("^", key, ":"), readLines("/proc/self/status"), value = TRUE)
  as.numeric(strsplit(trimws(sub(paste0(key, ":"), "", l)), " +")[[1]][1]) / 1024
}

loaded_dir <- ""
X <- NULL
y <- NULL

load_problem <- function(datadir) {
  meta <- scan(file.path(datadir, "meta.txt"), quiet = TRUE)
  n <- as.integer(meta[1]); p <- as.integer(meta[2]); is_sparse <- meta[3] == 1
  rb <- function(f, what, len, size) {
    con <- file(file.path(datadir, f), "rb"); on.exit(close(con))
    readBin(con, what, n = len, size = size)
  }
  y <<- rb("y.bin", "double", n, 8)
  X <<- NULL
  invisible(gc())
  if (is_sparse) {
    indptr <- rb("indptr.bin", "integer", p + 1, 4)
    nnz <- indptr[p + 1]
    X <<- sparseMatrix(i = rb("indices.bin", "integer", nnz, 4), p = indptr,
                       x = rb("data.bin", "double", nnz, 8), dims = c(n, p), index1 = FALSE)
  } else {
    X <<- matrix(rb("X.bin", "double", n * p, 8), nrow = n, ncol = p)
  }
  loaded_dir <<- datadir
}

run_request <- function(args) {
  datadir <- args[1]
  lambda <- readBin(args[2], "double", n = file.size(args[2]) / 8, size = 8)
  a <- as.numeric(args[3])
  intercept <- as.integer(args[4]) == 1
  thresh <- as.numeric(args[5])
  reps <- as.integer(args[6])
  out <- args[7]
  mem <- length(args) >= 8 && as.integer(args[8]) == 1
  if (datadir != loaded_dir) load_problem(datadir)

  best <- Inf
  mem_mb <- NA
  invisible(gc())  # once: a gc() per repetition costs more than a small fit
  for (r in seq_len(reps)) {
    if (mem && r == 1) {
      writeLines("5", "/proc/self/clear_refs")  # reset the peak-RSS counter (VmHWM)
      rss0 <- status_mb("VmRSS")
    }
    t0 <- Sys.time()
    fit <- glmnet(X, y, family = "gaussian", alpha = a, lambda = lambda,
                  standardize = FALSE, intercept = intercept, thresh = thresh,
                  maxit = 1e7)
    el <- as.numeric(difftime(Sys.time(), t0, units = "secs"))
    if (mem && r == 1) mem_mb <- status_mb("VmHWM") - rss0
    best <- min(best, el)
  }

  B <- as.matrix(fit$beta)
  con <- file(paste0(out, ".coef.bin"), "wb")
  writeBin(as.vector(B), con, size = 8)
  close(con)
  lines <- c(sprintf("time %.9f", best), sprintf("nlambda %d", ncol(B)))
  if (mem) lines <- c(lines, sprintf("mem_mb %.3f", mem_mb))
  writeLines(lines, paste0(out, ".txt"))
}

args <- commandArgs(trailingOnly = TRUE)
if (length(args) >= 1 && args[1] == "--serve") {
  con <- file("stdin")
  open(con)
  cat("READY\n"); flush(stdout())
  while (length(line <- readLines(con, n = 1)) > 0) {
    if (line == "QUIT") break
    res <- tryCatch({
      run_request(strsplit(trimws(line), " +")[[1]])
      "OK"
    }, error = function(e) paste("ERR", gsub("[\r\n]", " ", conditionMessage(e))))
    cat(res, "\n", sep = ""); flush(stdout())
  }
} else {
  run_request(args)
}
