# Penalized logistic regression (binary and multinomial) by proximal Newton steps over
# coordinate descent, for dense (Fortran) and sparse (CSC) X in float32 or float64.
#
# The kernel solves, with K = 1 for the binary model and K = n_classes for the multinomial one,
#
#     P(W, b) = sum_i s_i [ log(e0 + sum_k exp(z_ik)) - z_{i, y_i} ]
#               + lam * rho * ||W||_1 + lam * (1 - rho) / 2 * ||W||_F^2,      z_i = W x_i + b
#
# where e0 = 1 for the binary model (a reference class with logit 0, the negative class; its
# z_{i, y_i} is 0) and e0 = 0 for the multinomial one. scikit-learn's objective is C * P with
# lam = 1 / C. The intercept b is not penalized.
#
# Stopping rule: a certified duality gap. The dual point is the rescaled gradient residual
# theta = s (Y - prob) / kappa (kappa >= 1 keeps ||X^T theta||_inf <= lam rho for the L1 part); the
# conjugate of the log-sum-exp is the negative entropy on the simplex, so
#
#     D(theta) = - sum_i s_i sum_k u_ik log u_ik - sum_jk (|x_j^T theta_k| - lam rho)_+^2 / (2 lam (1 - rho))
#
# with u = Y - (Y - prob) / kappa (the last term is the indicator of |x_j^T theta_k| <= lam when
# rho = 1). The intercepts are brought to their exact optimum (one-dimensional Newton) before each
# gap, so that theta sums to zero over the samples as the dual requires.
#
# Speed:
#   - proximal Newton (glmnet's quadratic approximation, then a backtracking line search on the
#     true objective); the multinomial model takes one block (class) at a time;
#   - working sets: the Newton steps run on the support plus the features closest to violating
#     their optimality condition, a set that doubles until the gap of the full problem is met
#     (a working set holding every unscreened feature is the full problem: its own gap decides);
#   - gap-safe screening: the dual is strongly concave in the norm ||theta||_S^2 = sum_i theta_i^2 / s_i
#     (modulus 4 for the binary model, 1 for the multinomial one), so theta* lies in a ball around
#     theta of radius sqrt(2 gap / modulus) in that norm, and |x_j^T (theta - theta*)| is at most
#     the radius times ||x_j - c_j||_S^-1 = sqrt(sum_i s_i (x_ij - c_j)^2) (c_j the weighted mean
#     with an intercept, as theta sums to zero, else 0); features whose constraint cannot be
#     active in the ball are removed. Every quantity is a weighted sum, so integer weights and
#     repeated samples give the same iterates.
#
# Everything but X is float64 (sums of n log-losses need it for a gap near 1e-10 relative).
# Python enters through `logistic_fit`; skreg._logistic_path is its only caller.
#
# A path solves many C on the same data: a `Workspace` keeps the buffers and the state of the
# last solution (Z, the probabilities, X^T theta, the entropy) from one C to the next. theta and
# everything derived from it do not depend on C, so a warm start from the previous solution
# starts with its gap already computed but for the features screened at the previous C, or,
# where Newton steps from it were needed, from the last two solutions extrapolated in log C
# (`predict_start`). Within
# a solve, X^T theta is computed once per feature and state of the probabilities (`gen`): the
# full problem's gap after the working set's reuses the working set's part.

from libc.math cimport fabs, sqrt, exp, log, log1p, INFINITY
from libc.stdlib cimport malloc, calloc, free
from libc.string cimport memcpy, memset
from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t
from cython cimport floating

import numpy as np

include "_blas.pxi"
include "_kernel_utils.pxi"


# largest step in log C from which the next C starts from a predictor (a factor 2 in C)
cdef double LOG_PREDICT_STEP = 0.6931471805599453

cdef enum:
    NEWTON_MAX = 1000   # largest support solved exactly
    GRAM_BUFFER = 20000000  # largest n * support copied for a BLAS Gram (160 MB)
    SCALED_BUFFER = 5000000  # largest n * working set kept scaled by sqrt(h) (40 MB)



cdef struct Prob:
    int n
    int p
    int K
    bint sparse
    const int64_t* indices
    const int64_t* indptr
    const int32_t* lab     # class of sample i in 0..K-1, or -1 for the reference class (binary)
    const double* s        # sample weights
    const double* colnorm  # sqrt(sum_i s_i (x_ij - c_j)^2), c_j the weighted mean or 0
    double e0              # 1.0 binary, 0.0 multinomial
    double gamma           # strong concavity of the dual
    bint intercept
    double lam
    double rho


cdef struct Work:
    int n
    int p
    int K
    double* Z        # (K, n) linear predictors X W^T + b
    double* Pr       # probabilities (pr_len), those of Z when the state is fresh
    double* Pnew
    double* theta    # (K, n) s (Y - prob)
    double* corr     # (K, p) X^T theta
    double* h
    double* r
    double* dz
    double* Hj
    double* wold
    double* hx
    double* score
    int* cand
    int* ws
    uint8_t* screened
    double* Bws      # scaled working-set columns (dense X), grown on demand
    int bcols
    # the state of the probabilities: `gen` changes whenever Pr does; theta, corr[., j] and
    # the entropies are valid while the generation they were computed at is current
    long gen
    long theta_gen
    long* corr_gen   # (p)
    long ent_gen[2]  # entropy at kappa = 1 (slot 0) and at ent_kappa (slot 1)
    double ent_kappa
    double ent[2]
    # the last solution: a solve starting from it starts from its Z, Pr and loss
    bint have
    double* W_last
    double* b_last
    double loss
    double lam_last
    double rho_last
    # the solution before it (a path's predictor, see predict_start)
    bint have_prev
    double* W_prev
    double* b_prev
    double lam_prev
    double rho_prev
    double* Zx       # (K, n) the predicted start's linear predictors
    int last_steps   # Newton steps of the last solve, and whether it started from a prediction
    bint last_predicted
    int prev_steps   # Newton steps of the solve before it
    bint last_blind  # whether the last solve started without a check (see solve)
    double last_gap0 # the first full gap of the last solve


cdef bint work_alloc(Work* w, int n, int p, int K) noexcept nogil:
    """Buffers for an n x p problem with K class blocks; False if out of memory."""
    cdef size_t pl = <size_t> (3 if K == 1 else K) * n
    memset(w, 0, sizeof(Work))
    w.n = n
    w.p = p
    w.K = K
    w.Z = <double*> calloc(<size_t> K * n + 1, sizeof(double))
    w.Pr = <double*> malloc((pl + 1) * sizeof(double))
    w.Pnew = <double*> malloc((pl + 1) * sizeof(double))
    w.theta = <double*> malloc((<size_t> K * n + 1) * sizeof(double))
    w.corr = <double*> calloc(<size_t> K * p + 1, sizeof(double))
    w.h = <double*> malloc((n + 1) * sizeof(double))
    w.r = <double*> malloc((n + 1) * sizeof(double))
    w.dz = <double*> malloc((n + 1) * sizeof(double))
    w.Hj = <double*> malloc((p + 1) * sizeof(double))
    w.wold = <double*> malloc((p + 1) * sizeof(double))
    w.hx = <double*> malloc((p + 1) * sizeof(double))
    w.score = <double*> malloc((p + 1) * sizeof(double))
    w.cand = <int*> malloc((p + 1) * sizeof(int))
    w.ws = <int*> malloc((p + 1) * sizeof(int))
    w.screened = <uint8_t*> calloc(p + 1, sizeof(uint8_t))
    w.corr_gen = <long*> calloc(p + 1, sizeof(long))
    w.W_last = <double*> malloc((<size_t> K * p + 1) * sizeof(double))
    w.b_last = <double*> malloc((K + 1) * sizeof(double))
    w.W_prev = <double*> malloc((<size_t> K * p + 1) * sizeof(double))
    w.b_prev = <double*> malloc((K + 1) * sizeof(double))
    w.Zx = <double*> malloc((<size_t> K * n + 1) * sizeof(double))
    w.gen = 1
    w.ent_gen[0] = 0
    w.ent_gen[1] = 0
    return not (w.Z == NULL or w.Pr == NULL or w.Pnew == NULL or w.theta == NULL
                or w.corr == NULL or w.h == NULL or w.r == NULL or w.dz == NULL
                or w.Hj == NULL or w.wold == NULL or w.hx == NULL or w.score == NULL
                or w.cand == NULL or w.ws == NULL or w.screened == NULL or w.corr_gen == NULL
                or w.W_last == NULL or w.b_last == NULL or w.W_prev == NULL
                or w.b_prev == NULL or w.Zx == NULL)


cdef void work_free(Work* w) noexcept nogil:
    free(w.Z); free(w.Pr); free(w.Pnew); free(w.theta); free(w.corr); free(w.h); free(w.r)
    free(w.dz); free(w.Hj); free(w.wold); free(w.hx); free(w.score); free(w.cand); free(w.ws)
    free(w.screened); free(w.corr_gen); free(w.W_last); free(w.b_last); free(w.Bws)
    free(w.W_prev); free(w.b_prev); free(w.Zx)
    memset(w, 0, sizeof(Work))


cdef class Workspace:
    """Buffers and the last solution of one problem, kept from one `logistic_fit` call to the
    next (see the module's comment). Not shared between threads: one per path."""
    cdef Work w

    def __cinit__(self):
        memset(&self.w, 0, sizeof(Work))

    def __dealloc__(self):
        work_free(&self.w)

    cdef Work* get(self, int n, int p, int K) except NULL:
        if self.w.Z == NULL or self.w.n != n or self.w.p != p or self.w.K != K:
            work_free(&self.w)
            if not work_alloc(&self.w, n, p, K):
                work_free(&self.w)
                raise MemoryError("logistic regression: not enough memory for the solver")
        return &self.w


# ------------------------------------------------------------------------------------------
# Columns of X

cdef inline double col_dot(Prob* d, const floating* X, int j, const double* v) noexcept nogil:
    """x_j @ v"""
    cdef double s = 0.0
    cdef int64_t q
    cdef int i
    cdef const floating* col
    if d.sparse:
        for q in range(d.indptr[j], d.indptr[j + 1]):
            s += X[q] * v[d.indices[q]]
    else:
        col = X + <size_t> j * d.n
        if floating is double:
            return fdot(d.n, col, v)  # BLAS: vectorized, no add-latency chain
        for i in range(d.n):
            s += col[i] * v[i]
    return s


cdef inline double col_wsq(Prob* d, const floating* X, int j, const double* h) noexcept nogil:
    """sum_i h_i x_ij^2"""
    cdef double s = 0.0, x
    cdef int64_t q
    cdef int i
    cdef const floating* col
    if d.sparse:
        for q in range(d.indptr[j], d.indptr[j + 1]):
            x = X[q]
            s += h[d.indices[q]] * x * x
    else:
        col = X + <size_t> j * d.n
        for i in range(d.n):
            x = col[i]
            s += h[i] * x * x
    return s


cdef inline void col_axpy(Prob* d, const floating* X, int j, double a, const double* h,
                          double* v) noexcept nogil:
    """v += a * x_j (h = NULL) or v += a * h * x_j"""
    cdef int64_t q
    cdef int i
    cdef const floating* col
    if d.sparse:
        if h == NULL:
            for q in range(d.indptr[j], d.indptr[j + 1]):
                v[d.indices[q]] += a * X[q]
        else:
            for q in range(d.indptr[j], d.indptr[j + 1]):
                i = d.indices[q]
                v[i] += a * h[i] * X[q]
    else:
        col = X + <size_t> j * d.n
        if h == NULL:
            if floating is double:
                faxpy(d.n, a, col, v)
                return
            for i in range(d.n):
                v[i] += a * col[i]
        else:
            for i in range(d.n):
                v[i] += a * h[i] * col[i]


# ------------------------------------------------------------------------------------------
# Loss, probabilities, dual

cdef inline size_t pr_len(Prob* d) noexcept nogil:
    """Length of a probabilities buffer (see probs_loss)."""
    return <size_t> (3 if d.K == 1 else d.K) * d.n


cdef double probs_loss(Prob* d, const double* Z, double* Pr, int kmod, double t,
                       const double* dz) noexcept nogil:
    """sum_i s_i loss_i at Z (class kmod shifted by t dz); probabilities into Pr unless NULL.
    Z and Pr are (K, n), C order; the binary model's Pr also holds log p and log(1 - p) in
    rows 1 and 2 (pr_len(d) values in all)."""
    cdef int i, k, n = d.n, K = d.K
    cdef double m, z, den, tot = 0.0, zy, e
    if K == 1:
        # binary: loss_i = softplus(z) - y z, one exp and one log1p per sample
        for i in range(n):
            z = Z[i]
            if kmod == 0:
                z = z + t * dz[i]
            if z > 0.0:
                e = exp(-z)
                m = log1p(e)
                if Pr != NULL:
                    Pr[i] = 1.0 / (1.0 + e)
                    Pr[n + i] = -m           # log p
                    Pr[2 * n + i] = -z - m   # log (1 - p)
                if d.s[i] != 0.0:
                    tot += d.s[i] * (z + m - (z if d.lab[i] == 0 else 0.0))
            else:
                e = exp(z)
                m = log1p(e)
                if Pr != NULL:
                    Pr[i] = e / (1.0 + e)
                    Pr[n + i] = z - m
                    Pr[2 * n + i] = -m
                if d.s[i] != 0.0:
                    tot += d.s[i] * (m - (z if d.lab[i] == 0 else 0.0))
        return tot
    for i in range(n):
        if d.s[i] == 0.0 and Pr == NULL:
            continue
        m = 0.0 if d.e0 > 0.0 else -INFINITY
        for k in range(K):
            z = Z[k * n + i]
            if k == kmod:
                z = z + t * dz[i]
            if z > m:
                m = z
        den = d.e0 * exp(-m) if d.e0 > 0.0 else 0.0
        for k in range(K):
            z = Z[k * n + i]
            if k == kmod:
                z = z + t * dz[i]
            e = exp(z - m)
            den += e
            if Pr != NULL:
                Pr[k * n + i] = e
        zy = 0.0
        if d.lab[i] >= 0:
            zy = Z[d.lab[i] * n + i]
            if d.lab[i] == kmod:
                zy = zy + t * dz[i]
        tot += d.s[i] * (m + log(den) - zy)
        if Pr != NULL:
            e = 1.0 / den
            for k in range(K):
                Pr[k * n + i] *= e
    return tot


cdef inline double xlogx(double u) noexcept nogil:
    return u * log(u) if u > 0.0 else 0.0


cdef double neg_entropy(Prob* d, const double* Pr, double kappa) noexcept nogil:
    """sum_i s_i sum_k u_ik log u_ik with u = Y - (Y - prob) / kappa (reference class included)."""
    cdef int i, k, n = d.n, K = d.K
    cdef double tot = 0.0, acc, u, y, su
    cdef double a = 1.0 / kappa, lk = log(kappa), q
    if K == 1:
        # log p and log(1 - p) are stored: at kappa = 1 no log is taken, else one per sample
        for i in range(n):
            if d.s[i] == 0.0:
                continue
            u = Pr[i]
            if kappa == 1.0:
                acc = u * Pr[n + i] + (1.0 - u) * Pr[2 * n + i]
            elif d.lab[i] == 0:
                q = (1.0 - u) * a  # 1 - u_i
                acc = q * (Pr[2 * n + i] - lk) + xlogx(1.0 - q)
            else:
                q = u * a
                acc = q * (Pr[n + i] - lk) + xlogx(1.0 - q)
            tot += d.s[i] * acc
        return tot
    for i in range(n):
        if d.s[i] == 0.0:
            continue
        acc = 0.0
        su = 0.0
        for k in range(K):
            y = 1.0 if d.lab[i] == k else 0.0
            u = y - (y - Pr[k * n + i]) * a
            su += u
            acc += xlogx(u)
        if d.e0 > 0.0:
            acc += xlogx(1.0 - su)
        tot += d.s[i] * acc
    return tot


cdef double penalty(Prob* d, const double* W, const int* feats, int nf) noexcept nogil:
    cdef int jj, j, k
    cdef double l1 = 0.0, l2 = 0.0, w
    for jj in range(nf):
        j = feats[jj]
        for k in range(d.K):
            w = W[k * d.p + j]
            l1 += fabs(w)
            l2 += w * w
    return d.lam * d.rho * l1 + 0.5 * d.lam * (1.0 - d.rho) * l2


cdef double entropy(Work* w, Prob* d, double kappa) noexcept nogil:
    """neg_entropy of the current probabilities, computed once per state and kappa."""
    cdef int slot = 0 if kappa == 1.0 else 1
    if w.ent_gen[slot] != w.gen or (slot == 1 and w.ent_kappa != kappa):
        w.ent[slot] = neg_entropy(d, w.Pr, kappa)
        w.ent_gen[slot] = w.gen
        if slot == 1:
            w.ent_kappa = kappa
    return w.ent[slot]


cdef double excess_sq(Prob* d, const double* corr, const int* feats, int nf,
                      double kappa) noexcept nogil:
    """sum_jk (|x_j^T theta_k| / kappa - lam rho)_+^2 over feats: twice lam (1 - rho) times the
    L2 part's conjugate at theta / kappa."""
    cdef int jj, j, k
    cdef double c, tot = 0.0, a = d.lam * d.rho
    for jj in range(nf):
        j = feats[jj]
        for k in range(d.K):
            c = fabs(corr[k * d.p + j]) / kappa - a
            if c > 0.0:
                tot += c * c
    return tot


cdef double gap_at(Prob* d, Work* w, const int* feats, int nf, double primal,
                   double* kappa_out) noexcept nogil:
    """Duality gap from the rescaled residual; w.corr = X^T s (Y - prob) over feats, (K, p)."""
    cdef const double* corr = w.corr
    cdef int jj, j, k, i
    cdef double cmax = 0.0, c, kappa, dual, best, tz, a = d.lam * d.rho
    cdef double b = d.lam * (1.0 - d.rho)
    for jj in range(nf):
        j = feats[jj]
        for k in range(d.K):
            c = fabs(corr[k * d.p + j])
            if c > cmax:
                cmax = c
    if a == 0.0 and b == 0.0:
        # no penalty: the dual needs X^T theta = 0; report the gradient's size instead
        kappa_out[0] = 1.0
        return cmax
    # kappa making theta feasible for the L1 part
    kappa = cmax / a if a > 0.0 and cmax > a else 1.0
    best = -INFINITY
    if b > 0.0 and kappa > 1.0:
        # elastic net: the exact Fenchel dual at theta itself needs no log (log p is stored)
        best = -entropy(w, d, 1.0) - excess_sq(d, corr, feats, nf, 1.0) / (2.0 * b)
        kappa_out[0] = 1.0
        if w.theta_gen == w.gen:
            # theta / kappa (one log per sample) only when it can be better: f(t) =
            # -neg_entropy at u = Y - t (Y - prob) is concave in t with f'(1) = sum theta * Z,
            # so f(1 / kappa) <= f(1) + (1 / kappa - 1) sum theta * Z
            tz = 0.0
            for i in range(d.K * d.n):
                tz += w.theta[i] * w.Z[i]
            if (-entropy(w, d, 1.0) + (1.0 / kappa - 1.0) * tz
                    - excess_sq(d, corr, feats, nf, kappa) / (2.0 * b)) <= best:
                return primal - best
    dual = -entropy(w, d, kappa)
    if b > 0.0:
        dual -= excess_sq(d, corr, feats, nf, kappa) / (2.0 * b)
    if dual >= best:
        best = dual
        kappa_out[0] = kappa
    return primal - best


cdef void residual_corr(Prob* d, const floating* X, Work* w, const int* feats,
                        int nf) noexcept nogil:
    """theta = s (Y - prob) (K, n), corr[k, j] = x_j @ theta_k for j in feats, each computed
    unless it is already that of the current probabilities."""
    cdef int i, k, jj, j, n = d.n
    cdef double* theta = w.theta
    if w.theta_gen != w.gen:
        for k in range(d.K):
            for i in range(n):
                theta[k * n + i] = d.s[i] * ((1.0 if d.lab[i] == k else 0.0) - w.Pr[k * n + i])
        w.theta_gen = w.gen
    for jj in range(nf):
        j = feats[jj]
        if w.corr_gen[j] == w.gen:
            continue
        for k in range(d.K):
            w.corr[k * d.p + j] = col_dot(d, X, j, theta + k * n)
        w.corr_gen[j] = w.gen


cdef double intercept_newton(Prob* d, double* Z, double* b, double* Pr, double loss,
                             bint fresh, Work* w) noexcept nogil:
    """Intercepts to their optimum for the current W (cyclic one-dimensional Newton steps).
    `fresh`: Pr and `loss` are those of Z already. Returns the loss, Pr up to date (a new
    state of w when they were recomputed)."""
    cdef int it, k, i, n = d.n
    cdef double g, h, db, sw = 0.0, worst, pk
    for i in range(n):
        sw += d.s[i]
    for it in range(50):
        worst = 0.0
        for k in range(d.K):
            if not fresh:
                loss = probs_loss(d, Z, Pr, -1, 0.0, NULL)
                w.gen += 1
                fresh = True
            g = 0.0
            h = 0.0
            for i in range(n):
                pk = Pr[k * n + i]
                g += d.s[i] * (pk - (1.0 if d.lab[i] == k else 0.0))
                h += d.s[i] * pk * (1.0 - pk)
            if fabs(g) > worst:
                worst = fabs(g)
            if h <= 0.0 or fabs(g) <= 1e-15 * sw:
                continue
            db = -g / h
            if fabs(db) > 5.0:
                db = 5.0 if db > 0 else -5.0
            b[k] += db
            for i in range(n):
                Z[k * n + i] += db
            fresh = False
        if worst <= 1e-13 * sw:
            break
    if not fresh:
        loss = probs_loss(d, Z, Pr, -1, 0.0, NULL)
        w.gen += 1
    return loss


# ------------------------------------------------------------------------------------------
# One proximal Newton step on one class block, restricted to a working set

cdef inline double soft(double x, double a) noexcept nogil:
    if x > a:
        return x - a
    if x < -a:
        return x + a
    return 0.0


cdef inline double ws_dot(Prob* d, const floating* X, const double* Bws, int jj, int j,
                          const double* r) noexcept nogil:
    """x_j @ r, or with the scaled working-set columns B = sqrt(h) X_ws, B_jj @ r (r then holds
    the residual divided by sqrt(h))."""
    if Bws != NULL:
        return fdot(d.n, Bws + <size_t> jj * d.n, r)
    return col_dot(d, X, j, r)


cdef inline void ws_axpy(Prob* d, const floating* X, const double* Bws, int jj, int j,
                         double a, const double* h, double* r) noexcept nogil:
    """r += a h x_j, or in the scaled form r += a B_jj (one BLAS axpy)."""
    if Bws != NULL:
        faxpy(d.n, a, Bws + <size_t> jj * d.n, r)
    else:
        col_axpy(d, X, j, a, h, r)


cdef struct ExactCache:
    # the last Gram matrix of exact_support within one Newton step (h fixed): a second solve on
    # a subset of that support (a coefficient reached zero) needs no pass over X
    int m           # its features (0: empty)
    int* where      # working-set position -> index in the cached matrix, or -1
    double* G       # m x m, centred, without the ridge term


cdef void cache_free(ExactCache* ec) noexcept nogil:
    free(ec.where)
    free(ec.G)
    ec.where = NULL
    ec.G = NULL
    ec.m = 0


cdef bint exact_support(Prob* d, const floating* X, int k, const int* ws, int nws, double* W,
                        double* b, double* r, const double* h, const double* Hj,
                        const double* hx, const double* wold, double sumh, double* c,
                        double bold, double budget, ExactCache* ec,
                        const double* Bws, bint* full) noexcept nogil:
    """The quadratic model's exact minimizer on the current support of class k with its signs
    fixed (one Cholesky solve), taken when it keeps those signs: CD on strongly correlated
    columns (uncentred data without intercept, near-duplicates) would need thousands of
    epochs. r, c and b follow. Taken only when its cost per sample is within `budget`, or
    its Gram matrix is cached. Returns whether the point was taken; `full`: whether it is that
    minimizer (no coefficient stopped at zero on the way)."""
    cdef int n = d.n, p = d.p, i, jj, ll, m = 0, j
    cdef double a = d.lam * d.rho, c2 = d.lam * (1.0 - d.rho), g, delta, c0, tmax
    cdef double* Wk = W + k * p
    cdef bint ok = True, hit
    cdef int* S
    cdef double* A
    cdef double* rhs
    cdef double* v
    cdef double* B
    cdef const floating* col
    full[0] = False
    for jj in range(nws):
        if Wk[ws[jj]] != 0.0:
            m += 1
    if m == 0 or m > NEWTON_MAX:
        return False
    S = <int*> malloc(m * sizeof(int))
    m = 0
    for jj in range(nws):
        if Wk[ws[jj]] != 0.0:
            S[m] = jj
            m += 1
    hit = ec.m > 0
    if hit:
        for jj in range(m):
            if ec.where[S[jj]] < 0:
                hit = False
                break
    # cost per sample, in units of one CD update's dot: the Gram matrix (its upper triangle,
    # m (m + 1) / 2 products, which blocked gemm computes about 3x faster than dots) and the
    # Cholesky factorization (m^3 / 3n)
    if not hit and m * (m + 1) / 6.0 + <double> m * m * m / (3.0 * n) > budget:
        free(S)
        return False
    A = <double*> malloc(<size_t> m * m * sizeof(double))
    rhs = <double*> malloc(m * sizeof(double))
    v = <double*> malloc(n * sizeof(double))
    # A = X_S^T H X_S (centred with h when fitting an intercept) + c2 I
    B = NULL
    if hit:
        for jj in range(m):
            for ll in range(m):
                A[jj + ll * m] = ec.G[ec.where[S[jj]] + <size_t> ec.where[S[ll]] * ec.m]
    elif Bws != NULL:
        fgram_upper(n, Bws, S, m, A)
        for jj in range(m):
            for ll in range(jj, m):
                g = A[jj + ll * m]
                if d.intercept and sumh > 0.0:
                    g -= hx[S[jj]] * hx[S[ll]] / sumh
                A[jj + ll * m] = g
                A[ll + jj * m] = g
    elif not d.sparse and <size_t> n * m <= GRAM_BUFFER:
        # dense: B = sqrt(h) X_S, A = B^T B (upper triangle, then mirrored)
        B = <double*> malloc(<size_t> n * m * sizeof(double))
    if B != NULL:
        for i in range(n):
            v[i] = sqrt(h[i])
        for jj in range(m):
            col = X + <size_t> ws[S[jj]] * n
            for i in range(n):
                B[<size_t> jj * n + i] = v[i] * col[i]
        fgram_upper(n, B, NULL, m, A)
        free(B)
        for jj in range(m):
            for ll in range(jj, m):
                g = A[jj + ll * m]
                if d.intercept and sumh > 0.0:
                    g -= hx[S[jj]] * hx[S[ll]] / sumh
                A[jj + ll * m] = g
                A[ll + jj * m] = g
    elif not hit and Bws == NULL:
        for jj in range(m):
            memset(v, 0, n * sizeof(double))
            col_axpy(d, X, ws[S[jj]], 1.0, h, v)
            for ll in range(jj, m):
                g = col_dot(d, X, ws[S[ll]], v)
                if d.intercept and sumh > 0.0:
                    g -= hx[S[jj]] * hx[S[ll]] / sumh
                A[jj * m + ll] = g
                A[ll * m + jj] = g
    if not hit:
        cache_free(ec)
        ec.where = <int*> malloc(nws * sizeof(int))
        ec.G = <double*> malloc(<size_t> m * m * sizeof(double))
        for jj in range(nws):
            ec.where[jj] = -1
        for jj in range(m):
            ec.where[S[jj]] = jj
        memcpy(ec.G, A, <size_t> m * m * sizeof(double))
        ec.m = m
    for jj in range(m):
        A[jj * m + jj] += c2
    # the model's gradient at the current point is g_j = x_j^T (r + c h); at the solution
    # g_j + A (v - w) = -a sign(w_j): solve A delta = -(g + a sign)
    for jj in range(m):
        j = ws[S[jj]]
        g = ws_dot(d, X, Bws, S[jj], j, r) + c[0] * hx[S[jj]] + c2 * Wk[j]
        rhs[jj] = -(g + (a if Wk[j] > 0.0 else -a))
    # a relative jitter keeps exactly collinear supports (redundant columns) solvable; the
    # line search and the gap judge the result, as for any Newton direction
    g = 0.0
    for jj in range(m):
        if A[jj * m + jj] > g:
            g = A[jj * m + jj]
    for jj in range(m):
        A[jj * m + jj] += 1e-12 * g
    if small_cholesky_solve(m, A, rhs) != 0:
        ok = False
    tmax = 1.0
    if ok and a > 0.0:
        # the signs are fixed in the model: stop where the first coefficient reaches zero
        # (the model is exact up to there, so the step still lowers it)
        for jj in range(m):
            j = ws[S[jj]]
            if (Wk[j] + rhs[jj] > 0.0) != (Wk[j] > 0.0) and -Wk[j] / rhs[jj] < tmax:
                tmax = -Wk[j] / rhs[jj]
        if tmax <= 0.0:
            ok = False
    if ok:
        for jj in range(m):
            j = ws[S[jj]]
            delta = rhs[jj] * tmax
            if tmax < 1.0 and (Wk[j] + delta > 0.0) != (Wk[j] > 0.0):
                delta = -Wk[j]  # the coefficient that reaches zero
            if delta != 0.0:
                ws_axpy(d, X, Bws, S[jj], j, delta, h, r)
                Wk[j] += delta
                if d.intercept and sumh > 0.0:
                    c[0] -= delta * hx[S[jj]] / sumh
                    b[k] -= delta * hx[S[jj]] / sumh
    free(S); free(A); free(rhs); free(v)
    full[0] = ok and tmax == 1.0
    return ok


cdef int newton_block(Prob* d, const floating* X, int k, const int* ws, int nws, double* W,
                      double* b, double* Z, double* Pr, double* h, double* r, double* dz,
                      double* Hj, double* hx, double* wold, double inner_tol,
                      int max_inner, bint slow, double* loss_io, double* Pnew,
                      double* Bws) noexcept nogil:
    """Minimize the quadratic model of class k's block by CD, then a line search on the true
    objective. The exact solve on the support (`exact_support`) is tried when CD stops and it
    costs at most 4 times the epochs run (50 when the previous step made little progress,
    `slow`: small CD steps may mean strongly correlated columns, not convergence) plus the
    fixed cost of a Newton step (the scaled copy, the line search's logs and exps, the gap:
    about 4 (nws + 1) + 150 per sample), which a full step on the support can save.
    For the L1 model it fixes the support's values exactly and saves Newton steps; with an L2
    part the model is strongly convex and CD's point is already within inner_tol, so the
    exact solve is taken only when CD is slow (`slow`, or the epochs ran out).
    With an intercept, the intercept is kept at its optimum for the model (the
    columns are centred implicitly with the weights h: r_true = r + c h, sum(r_true) = 0), so
    uncentred columns do not slow CD down. Bws (dense X; NULL otherwise) is room for n * nws
    values: the working set's columns scaled by sqrt(h), so that every CD update is one BLAS
    dot and one axpy, and the exact step's Gram matrix needs no other copy. Returns the
    number of CD epochs."""
    cdef int i, jj, j, ep = 0, n = d.n, p = d.p, ls
    cdef double obj0, obj, pen0, pen1, gz, delta, t, g, old, new, step, mx, sumh = 0.0
    cdef double a = d.lam * d.rho, c2 = d.lam * (1.0 - d.rho), db, bold, y, pk, c = 0.0, mu
    cdef double gsum = 0.0
    cdef int tried = 0
    cdef bint exact_full = False
    cdef double* Wk = W + k * p
    cdef const floating* col
    cdef ExactCache ec
    ec.m = 0
    ec.where = NULL
    ec.G = NULL
    obj0 = loss_io[0]  # Pr and the loss are those of Z on entry
    for i in range(n):
        pk = Pr[k * n + i]
        y = 1.0 if d.lab[i] == k else 0.0
        h[i] = d.s[i] * pk * (1.0 - pk)
        if h[i] < 1e-10 * d.s[i]:
            h[i] = 1e-10 * d.s[i]
        r[i] = d.s[i] * (pk - y)          # gradient of the loss in z_k
        sumh += h[i]
        gsum += r[i]
    pen0 = 0.0
    for jj in range(nws):
        j = ws[jj]
        wold[jj] = Wk[j]
        pen0 += a * fabs(Wk[j]) + 0.5 * c2 * Wk[j] * Wk[j]
    if Bws != NULL:
        # scaled form: B = sqrt(h) X_ws (sqrt(h) in dz until the line search), r / sqrt(h)
        for i in range(n):
            dz[i] = sqrt(h[i])
            r[i] = r[i] / dz[i] if dz[i] > 0.0 else 0.0
        for jj in range(nws):
            col = X + <size_t> ws[jj] * n
            for i in range(n):
                Bws[<size_t> jj * n + i] = dz[i] * col[i]
            Hj[jj] = fdot(n, Bws + <size_t> jj * n, Bws + <size_t> jj * n)
            hx[jj] = fdot(n, Bws + <size_t> jj * n, dz) if d.intercept else 0.0
    else:
        for jj in range(nws):
            j = ws[jj]
            Hj[jj] = col_wsq(d, X, j, h)
            hx[jj] = col_dot(d, X, j, h) if d.intercept else 0.0
    for jj in range(nws):
        if d.intercept and sumh > 0.0:
            Hj[jj] -= hx[jj] * hx[jj] / sumh
            if Hj[jj] < 0.0:
                Hj[jj] = 0.0
    bold = b[k]
    if d.intercept and sumh > 0.0:
        c = -gsum / sumh
        b[k] += c
    # r + c h is the gradient of the quadratic model: grad + h * (X dw + db)
    for ep in range(max_inner):
        mx = 0.0
        for jj in range(nws):
            j = ws[jj]
            if Hj[jj] + c2 <= 0.0 or (exact_full and Wk[j] != 0.0):
                # after the model's exact minimizer on the support, only the features outside
                # it can move: the epoch that confirms it skips the support
                continue
            g = ws_dot(d, X, Bws, jj, j, r) + c * hx[jj]
            old = Wk[j]
            new = soft(old * Hj[jj] - g, a) / (Hj[jj] + c2)
            if new != old:
                step = new - old
                ws_axpy(d, X, Bws, jj, j, step, h, r)
                Wk[j] = new
                if d.intercept and sumh > 0.0:
                    mu = hx[jj] / sumh
                    c -= step * mu
                    b[k] -= step * mu
                step = (Hj[jj] + c2) * step * step
                if step > mx:
                    mx = step
        if mx > inner_tol:
            exact_full = False
        elif exact_full:
            # the epoch after the model's exact minimizer on the support moved nothing beyond
            # inner_tol: no feature of the working set enters, the model is minimized
            ep += 1
            break
        if mx <= inner_tol or ep == max_inner - 1:
            # small CD steps also come from strongly correlated columns: finish with the
            # exact solve on the support when it is cheap next to the work it can save
            if (tried < 2 and (d.rho == 1.0 or slow or ep == max_inner - 1)
                    and exact_support(d, X, k, ws, nws, W, b, r, h, Hj, hx, wold, sumh,
                                  &c, bold, (50.0 if slow else 4.0) * (ep + 1) * (nws + 1)
                                  + 4.0 * (nws + 1) + 150.0,
                                  &ec, Bws, &exact_full)):
                tried += 1
                continue
            ep += 1
            break
    cache_free(&ec)
    # direction and line search on the true objective
    db = b[k] - bold
    for i in range(n):
        dz[i] = db
    pen1 = 0.0
    for jj in range(nws):
        j = ws[jj]
        if Wk[j] != wold[jj]:
            col_axpy(d, X, j, Wk[j] - wold[jj], NULL, dz)
        pen1 += a * fabs(Wk[j]) + 0.5 * c2 * Wk[j] * Wk[j]
    gz = 0.0
    for i in range(n):
        pk = Pr[k * n + i]
        gz += d.s[i] * (pk - (1.0 if d.lab[i] == k else 0.0)) * dz[i]
    delta = gz + pen1 - pen0
    t = 1.0
    for ls in range(40):
        obj = probs_loss(d, Z, Pnew, k, t, dz)
        if t < 1.0:
            pen1 = 0.0
            for jj in range(nws):
                j = ws[jj]
                new = wold[jj] + t * (Wk[j] - wold[jj])
                pen1 += a * fabs(new) + 0.5 * c2 * new * new
        if obj + pen1 <= obj0 + pen0 + 1e-4 * t * delta + 1e-15 * fabs(obj0 + pen0):
            break
        t *= 0.5
    else:
        t = 0.0
    if t != 1.0:
        for jj in range(nws):
            j = ws[jj]
            Wk[j] = wold[jj] + t * (Wk[j] - wold[jj])
        b[k] = bold + t * db
    if t > 0.0:
        for i in range(n):
            Z[k * n + i] += t * dz[i]
        memcpy(Pr, Pnew, pr_len(d) * sizeof(double))
        loss_io[0] = obj
    return ep


cdef bint joint_newton(Prob* d, const floating* X, const int* ws, int nws, double* W,
                       double* b, double* Z, double* Pr, int budget, double loss0) noexcept nogil:
    """Multinomial model: one Newton step with the full Hessian (the classes coupled) on the
    support of all classes and the intercepts, signs fixed, then a backtracking line search.
    Class-by-class steps converge only linearly when the classes are strongly coupled (large
    C); this step is taken when the support is small. Returns whether it moved."""
    cdef int n = d.n, p = d.p, K = d.K, M = 0, i, A, B, k, l, jj, ls
    cdef double a = d.lam * d.rho, c2 = d.lam * (1.0 - d.rho), g, mx, delta, t, obj0, obj
    cdef double pen0, pen1, wn, y, tmax, wa
    cdef bint ok = True, moved = False
    cdef int* ck
    cdef int* cj
    cdef double* H
    cdef double* rhs
    cdef double* u
    cdef double* Znew
    cdef double* dZ
    for k in range(K):
        for jj in range(nws):
            if W[k * p + ws[jj]] != 0.0:
                M += 1
    if d.intercept:
        M += K
    if M == 0 or M > NEWTON_MAX or M * M > budget:
        return False
    ck = <int*> malloc(M * sizeof(int))
    cj = <int*> malloc(M * sizeof(int))
    H = <double*> malloc(<size_t> M * M * sizeof(double))
    rhs = <double*> malloc(M * sizeof(double))
    u = <double*> malloc(n * sizeof(double))
    Znew = <double*> malloc(<size_t> K * n * sizeof(double))
    dZ = <double*> calloc(<size_t> K * n, sizeof(double))
    M = 0
    for k in range(K):
        for jj in range(nws):
            if W[k * p + ws[jj]] != 0.0:
                ck[M] = k
                cj[M] = ws[jj]
                M += 1
        if d.intercept:
            ck[M] = k
            cj[M] = -1
            M += 1
    obj0 = loss0  # Pr and the loss are those of Z on entry
    pen0 = 0.0
    for A in range(M):
        if cj[A] >= 0:
            wn = W[ck[A] * p + cj[A]]
            pen0 += a * fabs(wn) + 0.5 * c2 * wn * wn
    for A in range(M):
        k = ck[A]
        # gradient of the loss plus the penalty's (signs fixed)
        for i in range(n):
            y = 1.0 if d.lab[i] == k else 0.0
            u[i] = d.s[i] * (Pr[k * n + i] - y)
        if cj[A] >= 0:
            wn = W[k * p + cj[A]]
            rhs[A] = -(col_dot(d, X, cj[A], u) + c2 * wn + (a if wn > 0.0 else -a))
        else:
            g = 0.0
            for i in range(n):
                g += u[i]
            rhs[A] = -g
        for l in range(K):
            # u_i = x_ij s_i p_ik (delta_kl - p_il)
            for i in range(n):
                u[i] = 0.0
            if cj[A] >= 0:
                col_axpy(d, X, cj[A], 1.0, NULL, u)
            else:
                for i in range(n):
                    u[i] = 1.0
            for i in range(n):
                u[i] *= d.s[i] * Pr[k * n + i] * ((1.0 if k == l else 0.0) - Pr[l * n + i])
            for B in range(A, M):
                if ck[B] != l:
                    continue
                if cj[B] >= 0:
                    g = col_dot(d, X, cj[B], u)
                else:
                    g = 0.0
                    for i in range(n):
                        g += u[i]
                H[A * M + B] = g
                H[B * M + A] = g
        if cj[A] >= 0:
            H[A * M + A] += c2
    mx = 0.0
    for A in range(M):
        if H[A * M + A] > mx:
            mx = H[A * M + A]
    for A in range(M):
        H[A * M + A] += 1e-10 * mx + 1e-300
    if small_cholesky_solve(M, H, rhs) != 0:
        ok = False
    tmax = 1.0
    if ok and a > 0.0:
        # the signs are fixed in the model: stop where the first coefficient reaches zero
        for A in range(M):
            if cj[A] >= 0:
                wn = W[ck[A] * p + cj[A]]
                if (wn + rhs[A] > 0.0) != (wn > 0.0) and -wn / rhs[A] < tmax:
                    tmax = -wn / rhs[A]
        if tmax <= 0.0:
            ok = False
    if ok:
        for A in range(M):
            rhs[A] *= tmax
        delta = 0.0
        pen1 = 0.0
        for A in range(M):
            k = ck[A]
            if cj[A] >= 0:
                col_axpy(d, X, cj[A], rhs[A], NULL, dZ + k * n)
                wn = W[k * p + cj[A]] + rhs[A]
                pen1 += a * fabs(wn) + 0.5 * c2 * wn * wn
            else:
                for i in range(n):
                    dZ[k * n + i] += rhs[A]
        for k in range(K):
            for i in range(n):
                y = 1.0 if d.lab[i] == k else 0.0
                delta += d.s[i] * (Pr[k * n + i] - y) * dZ[k * n + i]
        delta += pen1 - pen0
        t = 1.0
        for ls in range(30):
            for i in range(K * n):
                Znew[i] = Z[i] + t * dZ[i]
            obj = probs_loss(d, Znew, NULL, -1, 0.0, NULL)
            pen1 = 0.0
            for A in range(M):
                if cj[A] >= 0:
                    wn = W[ck[A] * p + cj[A]] + t * rhs[A]
                    pen1 += a * fabs(wn) + 0.5 * c2 * wn * wn
            if obj + pen1 <= obj0 + pen0 + 1e-4 * t * delta + 1e-15 * fabs(obj0 + pen0):
                moved = True
                break
            t *= 0.5
        if moved:
            memcpy(Z, Znew, <size_t> K * n * sizeof(double))
            for A in range(M):
                if cj[A] >= 0:
                    wa = W[ck[A] * p + cj[A]]
                    wn = wa + t * rhs[A]
                    if t == 1.0 and tmax < 1.0 and (wn > 0.0) != (wa > 0.0):
                        wn = 0.0  # the coefficient that reached zero (rounding)
                    W[ck[A] * p + cj[A]] = wn
                else:
                    b[ck[A]] += t * rhs[A]
    free(ck); free(cj); free(H); free(rhs); free(u); free(Znew); free(dZ)
    return moved


# ------------------------------------------------------------------------------------------
# The solver

cdef bint predict_start(Prob* d, const floating* X, double* W, double* b,
                        Work* wk) noexcept nogil:
    """On a path, start from the last two solutions extrapolated linearly in log C to the new
    C (a predictor step, as in path-following methods) instead of the last solution: with the
    support unchanged the path is smooth, so the start is off by O(step^2) instead of O(step),
    and one Newton step often certifies the new C. A coefficient whose sign would change
    starts at zero (the L1 part's kink). Called with (W, b) the last solution and its state
    fresh; the prediction is kept only when it lowers the objective at the new C, and then
    (W, b), Z, Pr and the loss are the prediction's. Returns whether it was kept."""
    cdef int n = d.n, p = d.p, K = d.K, i, k, moved = 0
    cdef double t, w, wp, pen_last = 0.0, pen_new = 0.0, loss_new
    cdef double a = d.lam * d.rho, c2 = d.lam * (1.0 - d.rho)
    cdef double* tmp
    if not (wk.have_prev and wk.rho_prev == d.rho and wk.rho_last == d.rho
            and wk.lam_prev != wk.lam_last and wk.lam_last != d.lam):
        return False
    t = log(wk.lam_last / d.lam) / log(wk.lam_prev / wk.lam_last)
    if not (t > 0.0 and t <= 2.0):  # the path goes on in the same direction, at a like step
        return False
    if fabs(log(wk.lam_last / d.lam)) > LOG_PREDICT_STEP:
        # O(step^2) holds for small steps: on a coarse grid (scikit-learn's default Cs are 7.7x
        # apart) the extrapolated coefficients of a nearly separable problem overshoot, and
        # Newton steps from there crawl even though the objective is lower
        return False
    memcpy(wk.Zx, wk.Z, <size_t> K * n * sizeof(double))
    for i in range(K * p):
        w = W[i]
        wp = 0.0
        if w != 0.0:
            wp = w + t * (w - wk.W_prev[i])
            if a > 0.0 and (wp > 0.0) != (w > 0.0):
                wp = 0.0
            pen_last += a * fabs(w) + 0.5 * c2 * w * w
            pen_new += a * fabs(wp) + 0.5 * c2 * wp * wp
            if wp != w:
                col_axpy(d, X, i % p, wp - w, NULL, wk.Zx + <size_t> (i // p) * n)
                moved += 1
        wk.W_prev[i] = wp  # room for the prediction: W_prev is not needed any more
    for k in range(K):
        wk.b_prev[k] = b[k] + t * (b[k] - wk.b_prev[k]) if d.intercept else b[k]
        if wk.b_prev[k] != b[k]:
            for i in range(n):
                wk.Zx[<size_t> k * n + i] += wk.b_prev[k] - b[k]
            moved += 1
    if moved == 0:
        return False
    loss_new = probs_loss(d, wk.Zx, wk.Pnew, -1, 0.0, NULL)
    if not (loss_new + pen_new < wk.loss + pen_last):
        return False
    memcpy(W, wk.W_prev, <size_t> K * p * sizeof(double))
    memcpy(b, wk.b_prev, K * sizeof(double))
    tmp = wk.Z
    wk.Z = wk.Zx
    wk.Zx = tmp
    tmp = wk.Pr
    wk.Pr = wk.Pnew
    wk.Pnew = tmp
    wk.loss = loss_new
    wk.gen += 1
    return True


cdef int solve(Prob* d, const floating* X, double* W, double* b, double tol_abs, int max_iter,
               bint screen, double* gap_out, double* primal_out, Work* wk) noexcept nogil:
    """Returns the number of proximal Newton steps (sweeps over the class blocks)."""
    cdef int n = d.n, p = d.p, K = d.K
    cdef int i, j, k, jj, it, sub, nc, nsupp, nws = 0, wsize = 0, n_steps = 0, max_inner
    cdef double gap = INFINITY, gap_ws, primal, kappa, radius, loss = 0.0, c, a = d.lam * d.rho
    cdef double inner_tol, thr, prev_ws
    cdef bint done = False, nz, slow = False, fresh = False, had = wk.have, predicted, blind
    cdef double gap0
    cdef double* Z
    cdef double* Pr
    cdef double* Pnew
    cdef double* corr = wk.corr
    cdef double* score = wk.score
    cdef int* cand = wk.cand
    cdef int* ws = wk.ws
    cdef uint8_t* screened = wk.screened

    memset(screened, 0, p * sizeof(uint8_t))  # screening holds for one C only
    fresh = wk.have
    if fresh:
        # warm start from the last solution: its Z, probabilities and loss still hold
        for k in range(K):
            if b[k] != wk.b_last[k]:
                fresh = False
        for i in range(K * p):
            if W[i] != wk.W_last[i]:
                fresh = False
                break
    predicted = False
    if fresh and (wk.last_steps >= 2 or wk.last_predicted
                  or (not d.sparse and wk.last_steps >= 1)):
        # worth a loss evaluation and X^T theta anew where the last C needed a Newton step on
        # dense X (a predicted start may need none); on sparse X, where a Newton step on a
        # small working set costs less than that pass over all features, only where one step
        # from the last solution was not enough
        predicted = predict_start(d, X, W, b, wk)
    wk.have = False
    Z = wk.Z
    Pr = wk.Pr
    Pnew = wk.Pnew
    if fresh:
        loss = wk.loss
    else:
        # Z = X W^T + b
        for k in range(K):
            for i in range(n):
                Z[k * n + i] = b[k]
            for j in range(p):
                if W[k * p + j] != 0.0:
                    col_axpy(d, X, j, W[k * p + j], NULL, Z + k * n)
        wk.gen += 1
    gap_out[0] = INFINITY
    # On dense X, a predicted start after two C's that each needed a Newton step needs one
    # too, as a rule (after a single one, the accurate solution it left often predicts the
    # next well enough): its first step goes on the working set chosen from the last
    # solution's correlations, without the pass over X (and the gap) at the start; the pass
    # after the step certifies, or the loop goes on from it as usual. Every other C at most
    # starts blind, so that the step counts that decide it stay those of checked starts.
    blind = (predicted and not d.sparse and not wk.last_blind and wk.last_steps >= 1
             and wk.prev_steps >= 1 and a > 0.0 and tol_abs < wk.last_gap0 < INFINITY)
    wk.last_blind = blind
    # the first gap, or in a blind start its stand-in (the last C's), carried to the next C
    gap0 = wk.last_gap0 if blind else INFINITY
    while True:
        # ---- the full problem: gap, screening, working set
        if d.intercept:
            loss = intercept_newton(d, Z, b, Pr, loss, fresh, wk)
        elif not fresh:
            loss = probs_loss(d, Z, Pr, -1, 0.0, NULL)
            wk.gen += 1
        fresh = True
        nc = 0
        for j in range(p):
            if not screened[j]:
                cand[nc] = j
                nc += 1
        if blind:
            gap = INFINITY
        else:
            residual_corr(d, X, wk, cand, nc)
            primal = loss + penalty(d, W, cand, nc)
            gap = gap_at(d, wk, cand, nc, primal, &kappa)
            gap_out[0] = gap
            primal_out[0] = primal
            if gap0 == INFINITY:
                gap0 = gap
            if gap <= tol_abs or n_steps >= max_iter:
                break
        if screen and not blind and a > 0.0 and d.gamma > 0.0:
            radius = sqrt(2.0 * gap / d.gamma)
            jj = 0
            for i in range(nc):
                j = cand[i]
                thr = a - radius * d.colnorm[j]
                nz = False
                for k in range(K):
                    if fabs(corr[k * p + j]) / kappa >= thr:
                        nz = True
                        break
                if nz:
                    cand[jj] = j
                    jj += 1
                    continue
                screened[j] = 1
                for k in range(K):
                    if W[k * p + j] != 0.0:
                        col_axpy(d, X, j, -W[k * p + j], NULL, Z + k * n)
                        W[k * p + j] = 0.0
                        fresh = False
            nc = jj
        # working set: the support, then the features closest to their constraint
        nsupp = 0
        for i in range(nc):
            j = cand[i]
            c = 0.0
            nz = False
            for k in range(K):
                if W[k * p + j] != 0.0:
                    nz = True
                if fabs(corr[k * p + j]) > c:
                    c = fabs(corr[k * p + j])
            if nz:
                nsupp += 1
                score[j] = -INFINITY
            else:
                score[j] = (a - c) / (d.colnorm[j] if d.colnorm[j] > 0.0 else 1.0)
        if a == 0.0:
            wsize = nc
        else:
            wsize = 2 * wsize if wsize > 0 else 10
            if wsize < 2 * nsupp:
                wsize = 2 * nsupp
            if wsize > nc:
                wsize = nc
        if not fresh:
            loss = probs_loss(d, Z, Pr, -1, 0.0, NULL)
            wk.gen += 1
            fresh = True
        select_smallest(cand, nc, wsize, score)
        nws = wsize
        memcpy(ws, cand, nws * sizeof(int))
        # ---- proximal Newton steps on the working set
        if not d.sparse and nws > wk.bcols and <size_t> n * nws <= SCALED_BUFFER:
            free(wk.Bws)
            wk.bcols = 2 * nws if 2 * nws < nc else nc
            if <size_t> n * wk.bcols > SCALED_BUFFER:
                wk.bcols = nws
            wk.Bws = <double*> malloc(<size_t> n * wk.bcols * sizeof(double))
            if wk.Bws == NULL:
                wk.bcols = 0
        max_inner = 50
        # (blind: the last C's first gap stands in for this one's, to set the inner tolerance)
        gap_ws = wk.last_gap0 if blind else gap
        blind = False
        slow = False
        for sub in range(max_iter):
            # CD's stopping threshold (the largest model decrease of an epoch's coordinate
            # steps) against the gap: one Newton step from a warm start lowers the gap 100 to
            # 10000-fold on a path, well past what the model's accuracy needs. With an L2 part
            # no exact support step polishes CD's point (see newton_block), yet thresholds
            # from 3e-3 to 1e-1 times the gap took the same Newton steps on our benchmarks:
            # 3e-2 saves epochs at no risk seen
            inner_tol = (1e-2 if d.rho == 1.0 else 3e-2) * gap_ws / (nws + 1)
            if inner_tol < 1e-3 * tol_abs / (nws + 1):
                inner_tol = 1e-3 * tol_abs / (nws + 1)
            for k in range(K):
                newton_block(d, X, k, ws, nws, W, b, Z, Pr, wk.h, wk.r, wk.dz, wk.Hj, wk.hx,
                             wk.wold, inner_tol, max_inner, slow, &loss, Pnew,
                             wk.Bws if nws <= wk.bcols else NULL)
            wk.gen += 1
            if K > 1:
                if joint_newton(d, X, ws, nws, W, b, Z, Pr, 20 * K * (nws + 1) * (nws + 1),
                                loss):
                    fresh = False
            n_steps += 1
            if d.intercept:
                loss = intercept_newton(d, Z, b, Pr, loss, fresh, wk)
            elif not fresh:
                loss = probs_loss(d, Z, Pr, -1, 0.0, NULL)
                wk.gen += 1
            fresh = True
            residual_corr(d, X, wk, ws, nws)
            primal = loss + penalty(d, W, ws, nws)
            prev_ws = gap_ws
            gap_ws = gap_at(d, wk, ws, nws, primal, &kappa)
            slow = gap_ws > 0.1 * prev_ws
            if nws == nc:
                # the working set holds every feature left: its gap is the full problem's
                if gap_ws <= tol_abs:
                    gap_out[0] = gap_ws
                    primal_out[0] = primal
                    done = True
                    break
            elif gap_ws <= 0.3 * gap or gap_ws <= 0.3 * tol_abs:
                break
            if n_steps >= max_iter:
                break
            max_inner = 200
        if done:
            break
    # Z, Pr and the loss are those of (W, b): the next C starts from them (and from the last
    # solution, for the predictor)
    wk.have_prev = had
    if had:
        memcpy(wk.W_prev, wk.W_last, <size_t> K * p * sizeof(double))
        memcpy(wk.b_prev, wk.b_last, K * sizeof(double))
        wk.lam_prev = wk.lam_last
        wk.rho_prev = wk.rho_last
    wk.lam_last = d.lam
    wk.last_gap0 = gap0 if gap0 < INFINITY else gap_out[0]
    wk.prev_steps = wk.last_steps if had else 0
    wk.last_steps = n_steps
    wk.last_predicted = predicted
    wk.rho_last = d.rho
    memcpy(wk.W_last, W, <size_t> K * p * sizeof(double))
    memcpy(wk.b_last, b, K * sizeof(double))
    wk.loss = loss
    wk.have = True
    return n_steps


def logistic_fit(const floating[::1] Xflat, const int64_t[::1] indices,
                 const int64_t[::1] indptr, bint sparse, int n, int p,
                 const int32_t[::1] lab, const double[::1] s, const double[::1] colnorm,
                 double[:, ::1] W, double[::1] b, double lam, double rho, bint fit_intercept,
                 double tol_abs, int max_iter, bint screen=True, Workspace workspace=None):
    """Solve the penalized logistic problem above in place of (W, b), warm-started from them.

    Xflat: dense X in Fortran order, raveled (n * p), or the data array of a CSC matrix
    (indices, indptr as int64). lab: class index per sample (-1: the binary model's negative
    class). workspace: kept from one call to the next on the same data (a path), or None.
    Returns (duality gap, primal objective, Newton steps)."""
    cdef Prob d
    cdef double gap = INFINITY, primal = INFINITY
    cdef int steps, i
    d.n = n
    d.p = p
    d.K = W.shape[0]
    d.sparse = sparse
    d.indices = &indices[0] if sparse else NULL
    d.indptr = &indptr[0] if sparse else NULL
    d.lab = &lab[0]
    d.s = &s[0]
    d.colnorm = &colnorm[0] if p > 0 else NULL
    d.e0 = 1.0 if d.K == 1 else 0.0
    d.gamma = 4.0 if d.K == 1 else 1.0
    d.intercept = fit_intercept
    d.lam = lam
    d.rho = rho
    cdef const floating* X = &Xflat[0] if Xflat.shape[0] > 0 else NULL
    if workspace is None:
        workspace = Workspace()
    cdef Work* wk = workspace.get(n, p, d.K)
    with nogil:
        steps = solve(&d, X, &W[0, 0], &b[0], tol_abs, max_iter, screen, &gap, &primal, wk)
    return gap, primal, steps
