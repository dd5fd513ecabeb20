# Coordinate descent for the elastic-net family, one core for dense, sparse and Gram data.
#
# The kernel solves the *unscaled* problem (Python rescales alpha by n and the gap by 1/n):
#
#     P(w) = 1/2 ||y - X w||^2 + sum_j [ lam_j |w_j| + beta_j / 2 w_j^2 ]   s.t. lo_j <= w_j <= hi_j
#
# with lam_j = a * pf_j, beta_j = b * pf_j and lo_j <= 0 <= hi_j. X and y are already centred and
# weighted (dense) or centred implicitly (sparse: column j is x_j - mean_j * v, v = sqrt(weights)).
#
# Speed comes from seven ideas, none of which changes the stopping rule (certified duality gap):
#   - working sets (Massias et al. 2018): CD runs on the support plus the features closest to their
#     dual constraint, twice the support in size (a floor doubles when progress stalls), until the
#     gap of the *full* problem is below tol;
#   - Anderson extrapolation of the CD iterates (Bertrand & Massias 2021), kept only when it lowers
#     the primal objective;
#   - gap-safe screening (Ndiaye et al. 2017): features certified zero leave the problem;
#   - a Newton step on a settled support;
#   - on Gram data, one Cholesky factor of the support kept from step to step and alpha to
#     alpha, extended as features enter (_chol_cache.pxi): a tight solve then takes its exact
#     final step first, as soon as a warm start is not certified, instead of after CD;
#   - whole warm-started paths in one call (`cd_path`), with no Python between two alphas;
#   - along a path, a predictor start: the last two solutions extrapolated linearly in alpha (as in
#     path-following methods; the Lasso's path is piecewise linear in alpha).
#
# Python enters through `enet_dense`, `enet_sparse` and `enet_gram` (skreg._solve is their only
# caller); `cd_epochs` and `cd_path` are the nogil C-level solvers behind them.

from libc.math cimport fabs, sqrt, INFINITY
from libc.stdlib cimport malloc, calloc, free
from libc.string cimport memcpy, memset
from libc.stdint cimport int8_t, int32_t, int64_t, uint32_t, uint64_t, uint8_t
from cython cimport floating

ctypedef fused index_t:
    int32_t
    int64_t

import numpy as np

include "_blas.pxi"

cdef enum:
    DENSE = 0
    SPARSE = 1
    GRAM = 2
    ANDERSON_K = 5      # extrapolate from the last K + 1 iterates
    NEWTON_MAX = 2500   # largest support solved by a Newton step (k^3 / 3 flops)
    NEWTON_AFTER = 4    # gap checks (of GAP_EVERY epochs) before CD is judged slow
    GAP_EVERY = 5       # inner epochs between two working-set gap checks
    SMALL_P = 64        # up to this many features, also checked after the first epochs
    CG_MAX = 50         # conjugate-gradient iterations of a sparse Newton step (newton_cg)
    CG_SETTLED = 100    # ... taken when at most 1 in this many working-set signs changed
    CG_MIN_WS = 200     # ... on working sets of at least this many features

# The exact final step of a tight solve (polish) costs at most the work the solve has done (in
# flops), or this much when that is less: small problems always get it.
cdef double POLISH_FREE = 1e7
# The exact step of a tight solve taken early, before CD reached tol, pays only if it costs
# less than the epochs it saves: at most the work done so far, or this much (a few epochs of a
# small problem).
cdef double EARLY_FREE = 1e5
# A sparse Newton step solves its system to this relative residual (newton_cg).
cdef double CG_TOL = 1e-3
# ... and, after a failure, tried again on supports below this fraction of the failed one's.
cdef double CG_RETRY = 0.9
# ... (CG stalled: its residual above this fraction of the first, in the squared norm)
cdef double CG_STALLED = 1e-2


cdef struct Data:
    # Read-only description of the design. Pointers are void* so one struct serves float32 and
    # float64 (fused types cannot live in structs); helpers cast them to their fused type.
    int mode
    int n                  # rows (dense, sparse); unused for Gram
    int p
    const void* X          # dense: (n, p) Fortran; Gram: Q = X^T X, (p, p)
    const void* data       # sparse CSC
    const void* indices
    const void* indptr
    bint idx64
    bint center            # sparse: implicit centring
    const void* mean       # sparse: column means (p)
    const void* v          # sparse: sqrt(sample weights) or ones (n)
    const void* xv         # sparse: x_j @ v (p)
    double vv              # sparse: v @ v
    double vy              # sparse: v @ y
    const void* y          # dense, sparse: target (n); Gram: q = X^T y (p)
    double yy              # Gram: y @ y


cdef struct Resid:
    # Residual r = y - X w. Dense: R = r (n). Sparse: r = R + c * v (n). Gram: R = X^T r (p).
    void* R
    double c
    double vr              # sparse: v @ R


cdef struct Work:
    # The buffers of cd_epochs, allocated once per solve or path (on small problems malloc and
    # free per alpha cost as much as the epochs). u = X~^T r at the last point solved (on its
    # active features, a superset of its support), read by cd_path's predictor check.
    void* u                # p
    void* score            # p
    int* active            # p
    int* ws                # p
    uint8_t* in_ws         # p
    int8_t* signs          # p
    void* R                # residual: n (p on Gram data)
    void* R_acc            # the extrapolated point's residual (accel)
    void* w_acc            # p (accel)
    void* H                # (ANDERSON_K + 1) * p (accel)
    void* D                # n (p on Gram data): X~ @ delta of the predictor check
    int cg_failed          # support size where newton_cg failed in this solve (0: none)


cdef void work_free(Work* k) noexcept nogil:
    free(k.u); free(k.score); free(k.active); free(k.ws); free(k.in_ws); free(k.signs)
    free(k.R); free(k.R_acc); free(k.w_acc); free(k.H); free(k.D)


cdef int work_init(Work* k, Data* d, size_t item, bint accel) noexcept nogil:
    """Allocate the buffers for floating numbers of `item` bytes; 0, or -1 (all freed)."""
    cdef int p = d.p
    cdef size_t m_len = d.p if d.mode == GRAM else d.n
    k.u = malloc(p * item)
    k.score = malloc(p * item)
    k.active = <int*> malloc(p * sizeof(int))
    k.ws = <int*> malloc(p * sizeof(int))
    k.in_ws = <uint8_t*> malloc(p * sizeof(uint8_t))
    k.signs = <int8_t*> malloc(p * sizeof(int8_t))
    k.R = malloc(m_len * item)
    k.D = malloc(m_len * item)
    k.R_acc = malloc(m_len * item) if accel else NULL
    k.w_acc = malloc(p * item) if accel else NULL
    k.H = malloc((ANDERSON_K + 1) * <size_t> p * item) if accel else NULL
    k.cg_failed = 0
    if (k.u == NULL or k.score == NULL or k.active == NULL or k.ws == NULL or k.in_ws == NULL
            or k.signs == NULL or k.R == NULL or k.D == NULL
            or (accel and (k.R_acc == NULL or k.w_acc == NULL or k.H == NULL))):
        work_free(k)
        k.u = k.score = k.R = k.D = k.R_acc = k.w_acc = k.H = NULL
        k.active = k.ws = NULL
        k.in_ws = NULL
        k.signs = NULL
        return -1
    return 0


# ------------------------------------------------------------------------------------------
# Column operations on the (implicitly centred) design

cdef inline floating sparse_dot(Data* d, int j, const floating* R) noexcept nogil:
    """x_j @ R over the stored entries of column j."""
    if d.idx64:
        return sparse_dot_idx(<const floating*> d.data, <const int64_t*> d.indices,
                              (<const int64_t*> d.indptr)[j], (<const int64_t*> d.indptr)[j + 1],
                              R)
    return sparse_dot_idx(<const floating*> d.data, <const int32_t*> d.indices,
                          (<const int32_t*> d.indptr)[j], (<const int32_t*> d.indptr)[j + 1], R)


cdef inline floating sparse_dot_idx(const floating* data, const index_t* ind, int64_t start,
                                    int64_t stop, const floating* R) noexcept nogil:
    # Four partial sums: a column's products are gathered from scattered rows, and one running
    # sum would wait on each addition in turn (CD on sparse data is bound by this loop).
    cdef floating s0 = 0, s1 = 0, s2 = 0, s3 = 0
    cdef int64_t k = start
    while k + 4 <= stop:
        s0 += data[k] * R[ind[k]]
        s1 += data[k + 1] * R[ind[k + 1]]
        s2 += data[k + 2] * R[ind[k + 2]]
        s3 += data[k + 3] * R[ind[k + 3]]
        k += 4
    while k < stop:
        s0 += data[k] * R[ind[k]]
        k += 1
    return (s0 + s1) + (s2 + s3)


cdef inline void sparse_axpy(Data* d, int j, floating a, floating* R) noexcept nogil:
    """R += a * x_j over the stored entries of column j."""
    cdef const floating* data = <const floating*> d.data
    cdef const int32_t* ind32
    cdef const int32_t* ptr32
    cdef const int64_t* ind64
    cdef const int64_t* ptr64
    cdef int64_t k
    if d.idx64:
        ind64 = <const int64_t*> d.indices
        ptr64 = <const int64_t*> d.indptr
        for k in range(ptr64[j], ptr64[j + 1]):
            R[ind64[k]] += a * data[k]
    else:
        ind32 = <const int32_t*> d.indices
        ptr32 = <const int32_t*> d.indptr
        for k in range(ptr32[j], ptr32[j + 1]):
            R[ind32[k]] += a * data[k]


cdef inline int64_t sparse_total_nnz(Data* d) noexcept nogil:
    """Stored entries of the matrix (0 unless sparse)."""
    if d.mode != SPARSE or d.p == 0:
        return 0
    return sparse_nnz(d, d.p - 1) + (
        (<const int64_t*> d.indptr)[d.p - 1] if d.idx64 else (<const int32_t*> d.indptr)[d.p - 1])


cdef inline int64_t sparse_nnz(Data* d, int j) noexcept nogil:
    """Stored entries of column j."""
    if d.idx64:
        return (<const int64_t*> d.indptr)[j + 1] - (<const int64_t*> d.indptr)[j]
    return (<const int32_t*> d.indptr)[j + 1] - (<const int32_t*> d.indptr)[j]


cdef inline void sparse_zero(Data* d, int j, floating* R) noexcept nogil:
    """R[i] = 0 on the rows i stored in column j."""
    cdef const int32_t* ind32
    cdef const int32_t* ptr32
    cdef const int64_t* ind64
    cdef const int64_t* ptr64
    cdef int64_t k
    if d.idx64:
        ind64 = <const int64_t*> d.indices
        ptr64 = <const int64_t*> d.indptr
        for k in range(ptr64[j], ptr64[j + 1]):
            R[ind64[k]] = 0
    else:
        ind32 = <const int32_t*> d.indices
        ptr32 = <const int32_t*> d.indptr
        for k in range(ptr32[j], ptr32[j + 1]):
            R[ind32[k]] = 0


cdef inline floating col_dot(Data* d, int j, Resid* r, floating* dummy) noexcept nogil:
    """x~_j @ r, the correlation of (centred) column j with the residual."""
    cdef const floating* R = <const floating*> r.R
    cdef floating val, mean_j
    if d.mode == DENSE:
        return fdot(d.n, (<const floating*> d.X) + <size_t> j * d.n, R)
    if d.mode == GRAM:
        return R[j]
    val = sparse_dot(d, j, R)
    if d.center:
        mean_j = (<const floating*> d.mean)[j]
        # x~_j @ (R + c v) with x~_j = x_j - mean_j v
        val = val + <floating> (r.c * (<const floating*> d.xv)[j]
                                - mean_j * (r.vr + r.c * d.vv))
    return val


cdef inline void col_update(Data* d, int j, floating delta, Resid* r) noexcept nogil:
    """r -= delta * x~_j (w_j moved by delta)."""
    cdef floating* R = <floating*> r.R
    if d.mode == DENSE:
        # R -= delta * X[:, j]
        faxpy(d.n, -delta, (<const floating*> d.X) + <size_t> j * d.n, R)
    elif d.mode == GRAM:
        # X^T r -= delta * Q[:, j]
        faxpy(d.p, -delta, (<const floating*> d.X) + <size_t> j * d.p, R)
    else:
        sparse_axpy(d, j, -delta, R)
        if d.center:
            r.vr -= delta * (<const floating*> d.xv)[j]
            r.c += delta * (<const floating*> d.mean)[j]


cdef void residual_from(Data* d, const floating* w, Resid* r) noexcept nogil:
    """r = y - X~ w, touching only the non-zero coefficients."""
    cdef floating* R = <floating*> r.R
    cdef int j
    cdef int m = d.p if d.mode == GRAM else d.n
    memcpy(R, d.y, m * sizeof(floating))
    r.c = 0.0
    r.vr = 0.0
    for j in range(d.p):
        if w[j] != 0.0:
            if d.mode == DENSE:
                faxpy(d.n, -w[j], (<const floating*> d.X) + <size_t> j * d.n, R)
            elif d.mode == GRAM:
                faxpy(d.p, -w[j], (<const floating*> d.X) + <size_t> j * d.p, R)
            else:
                sparse_axpy(d, j, -w[j], R)
                if d.center:
                    r.c += w[j] * (<const floating*> d.mean)[j]
    if d.mode == SPARSE and d.center:
        r.vr = fdot_acc(d.n, <const floating*> d.v, R)


cdef void residual_stats(Data* d, const floating* w, Resid* r,
                         double* rr, double* ry) noexcept nogil:
    """rr = ||r||^2 and ry = r @ y, from the residual state."""
    cdef const floating* R = <const floating*> r.R
    cdef const floating* y = <const floating*> d.y
    cdef double wq, wg
    if d.mode == DENSE:
        rr[0] = fdot_acc(d.n, R, R)
        ry[0] = fdot_acc(d.n, R, y)
    elif d.mode == GRAM:
        # ||y - Xw||^2 = y'y - 2 w'q + w'Qw and Qw = q - g
        wq = fdot(d.p, w, y)
        wg = fdot(d.p, w, R)
        ry[0] = d.yy - wq
        rr[0] = ry[0] - wg
        if rr[0] < 0.0:
            rr[0] = 0.0
    else:
        rr[0] = fdot_acc(d.n, R, R) + 2.0 * r.c * r.vr + r.c * r.c * d.vv
        ry[0] = fdot_acc(d.n, R, y) + r.c * d.vy


# ------------------------------------------------------------------------------------------
# Per-coordinate math

cdef inline floating prox_coord(floating z, floating L, floating lam, floating beta,
                                floating lo, floating hi) noexcept nogil:
    """argmin_{lo<=w<=hi} L/2 w^2 - z w + lam |w| + beta/2 w^2 (clipping is exact in 1-D)."""
    cdef floating w
    if z > lam:
        w = (z - lam) / (L + beta)
    elif z < -lam:
        w = (z + lam) / (L + beta)
    else:
        return 0.0
    if w > hi:
        return hi
    if w < lo:
        return lo
    return w


cdef inline floating conj(floating t, floating lam, floating beta,
                          floating lo, floating hi) noexcept nogil:
    """sup_{lo<=w<=hi} t w - lam |w| - beta/2 w^2, for lo <= 0 <= hi.

    An infinite bound on the violated side is kept feasible by the caller's dual scaling, so it
    contributes 0 here (up to rounding of that scaling)."""
    cdef floating e, bound, ws
    if t > lam:
        e = t - lam
        bound = hi
    elif t < -lam:
        e = -t - lam
        bound = -lo
    else:
        return 0.0
    if beta > 0:
        ws = e / beta
        if ws > bound:
            ws = bound
        return e * ws - 0.5 * beta * ws * ws
    if bound == INFINITY:
        return 0.0
    return e * bound


cdef void conj_sums(int m, const int* idx, const floating* w, const floating* u,
                    const floating* lam, const floating* beta,
                    const floating* lo, const floating* hi,
                    double s1, double s2, bint augmented, double* c1, double* c2) noexcept nogil:
    """Sums of the coordinate conjugates at theta = s1 * r and s2 * r (one pass for both)."""
    cdef int jj, j
    cdef floating t
    c1[0] = 0.0
    c2[0] = 0.0
    for jj in range(m):
        j = idx[jj]
        if augmented:
            t = u[j] - beta[j] * w[j]
            c1[0] += conj(<floating> (s1 * t), lam[j], <floating> 0.0, lo[j], hi[j])
            c2[0] += conj(<floating> (s2 * t), lam[j], <floating> 0.0, lo[j], hi[j])
        else:
            c1[0] += conj(<floating> (s1 * u[j]), lam[j], beta[j], lo[j], hi[j])
            c2[0] += conj(<floating> (s2 * u[j]), lam[j], beta[j], lo[j], hi[j])


cdef floating duality_gap(int m, const int* idx, const floating* w, const floating* u,
                          const floating* lam, const floating* beta,
                          const floating* lo, const floating* hi,
                          double rr, double ry,
                          floating* s_a, floating* gap_a,
                          floating* s_b, floating* gap_b) noexcept nogil:
    """Duality gap of the problem restricted to features idx[:m], with u_j = x~_j @ r.

    The dual points are rescaled residuals theta = s * r, in two formulations:
      A: the L2 term is folded into an augmented design [X; sqrt(beta) I] (scikit-learn's
         formulation, identical to it for plain Lasso / ElasticNet);
      B: the exact Fenchel conjugate of each coordinate penalty (tighter when beta is large,
         and the only useful one for Ridge where lam = 0).
    For each, s is the largest feasible scaling <= 1 (scikit-learn's choice) or the dual-optimal
    one when that is larger (the dual is a concave quadratic in s); the best gap is returned.
    Scalings and gaps of A and B are returned too: each defines a gap-safe sphere."""
    cdef int jj, j
    cdef double pen = 0.0, wbw = 0.0, primal, d1, d2, s_opt
    cdef double sa_max = INFINITY, sb_max = INFINITY
    cdef floating t
    cdef double c1 = 0.0, c2 = 0.0, sa, sb
    cdef bint use_b = False, bounded = False
    for jj in range(m):
        j = idx[jj]
        pen += lam[j] * fabs(w[j]) + 0.5 * beta[j] * w[j] * w[j]
        if (lo[j] != 0 and lo[j] != -INFINITY) or (hi[j] != 0 and hi[j] != INFINITY):
            bounded = True
        wbw += beta[j] * w[j] * w[j]
        if beta[j] > 0:
            use_b = True
        # Largest s keeping |s t_j| <= lam_j on every side without a finite bound; taken over
        # all features, not only current violators, since s may exceed 1.
        t = u[j] - beta[j] * w[j]
        if t > 0 and hi[j] == INFINITY:
            sa_max = min(sa_max, lam[j] / t)
        elif t < 0 and lo[j] == -INFINITY:
            sa_max = min(sa_max, lam[j] / (-t))
        if beta[j] == 0:
            t = u[j]
            if t > 0 and hi[j] == INFINITY:
                sb_max = min(sb_max, lam[j] / t)
            elif t < 0 and lo[j] == -INFINITY:
                sb_max = min(sb_max, lam[j] / (-t))
    primal = 0.5 * rr + pen

    # Formulation A: with s <= sa_max every unbounded side is feasible, and a side bounded at 0
    # costs nothing, so the conjugates vanish unless some bound is finite and non-zero.
    s_opt = ry / (rr + wbw) if rr + wbw > 0 else 1.0
    s_opt = min(max(s_opt, 0.0), sa_max)
    sa = min(1.0, sa_max)
    if bounded:
        conj_sums(m, idx, w, u, lam, beta, lo, hi, sa, s_opt, True, &c1, &c2)
    d1 = -0.5 * sa * sa * (rr + wbw) + sa * ry - c1
    d2 = -0.5 * s_opt * s_opt * (rr + wbw) + s_opt * ry - c2
    s_a[0] = sa if d1 >= d2 else s_opt
    gap_a[0] = max(primal - max(d1, d2), 0.0)
    if use_b:
        s_opt = ry / rr if rr > 0 else 1.0
        s_opt = min(max(s_opt, 0.0), sb_max)
        sb = min(1.0, sb_max)
        conj_sums(m, idx, w, u, lam, beta, lo, hi, sb, s_opt, False, &c1, &c2)
        d1 = -0.5 * sb * sb * rr + sb * ry - c1
        d2 = -0.5 * s_opt * s_opt * rr + s_opt * ry - c2
        s_b[0] = sb if d1 >= d2 else s_opt
        gap_b[0] = max(primal - max(d1, d2), 0.0)
    else:
        s_b[0] = s_a[0]
        gap_b[0] = gap_a[0]
    return min(gap_a[0], gap_b[0])


cdef inline floating coord_decrease(floating u, floating L, floating w, floating lo,
                                    floating hi) noexcept nogil:
    """Twice the objective decrease of the exact coordinate step (clipped to the box) on
    1/2 ||r||^2, where u = x_j' r and L = ||x_j||^2: u^2 / L without bounds."""
    cdef floating step = min(max(w + u / L, lo), hi) - w
    return 2 * u * step - L * step * step


cdef double primal_value(int m, const int* idx, const floating* w,
                         const floating* lam, const floating* beta, double rr) noexcept nogil:
    cdef int jj, j
    cdef double pen = 0.0
    for jj in range(m):
        j = idx[jj]
        pen += lam[j] * fabs(w[j]) + 0.5 * beta[j] * w[j] * w[j]
    return 0.5 * rr + pen


cdef floating gap_on(Data* d, int m, const int* idx, const floating* w, Resid* r,
                     floating* u, bint u_ready, bint ols, const floating* norms2,
                     const floating* lam, const floating* beta,
                     const floating* lo, const floating* hi,
                     floating* s_a, floating* gap_a,
                     floating* s_b, floating* gap_b) noexcept nogil:
    """Optimality gap of the problem restricted to features idx[:m]; fills u_j = x~_j @ r for
    them unless u_ready. Without any penalty there is no bounded dual: the measure is then
    sum_j of twice the decrease one exact (box-clipped) coordinate step would buy, invariant to
    the scale of X."""
    cdef int jj, j
    cdef double rr, ry
    cdef floating gap = 0.0
    if not u_ready:
        for jj in range(m):
            j = idx[jj]
            u[j] = col_dot(d, j, r, u)
    residual_stats(d, w, r, &rr, &ry)
    if ols:
        for jj in range(m):
            j = idx[jj]
            gap += coord_decrease(u[j], norms2[j], w[j], lo[j], hi[j])
        return gap
    return duality_gap(m, idx, w, u, lam, beta, lo, hi, rr, ry, s_a, gap_a, s_b, gap_b)


include "_kernel_utils.pxi"
include "_chol_cache.pxi"


# ------------------------------------------------------------------------------------------
# Newton step on the support

cdef floating step_to_crossing(int k, const int* S, const floating* w,
                               const floating* delta, const floating* lo,
                               const floating* hi) noexcept nogil:
    """The largest t <= 1 for which w[S] + t * delta keeps its signs and stays in its box (0
    when the step is not finite)."""
    cdef floating t = 1.0, wn
    cdef int a, j
    for a in range(k):
        j = S[a]
        wn = w[j] + delta[a]
        if not (fabs(wn) < INFINITY):
            return 0.0
        if wn * w[j] < 0:                                    # sign flip: stop at zero
            t = min(t, -w[j] / delta[a])
        if wn > hi[j]:
            t = min(t, (hi[j] - w[j]) / delta[a])
        elif wn < lo[j]:
            t = min(t, (lo[j] - w[j]) / delta[a])
    return t


cdef inline int8_t sign_pattern(floating wj, floating lo, floating hi) noexcept nogil:
    """The sign of a coefficient, doubled when it is pinned at a bound (another pattern than
    free)."""
    cdef int8_t sg = (wj > 0) - (wj < 0)
    if wj != 0 and (wj == lo or wj == hi):
        sg *= 2
    return sg


cdef int newton_support(Data* d, floating* w, Resid* r, int n_ws, const int* ws,
                        const floating* u, const floating* lam, const floating* beta,
                        const floating* lo, const floating* hi, int max_size,
                        bint exact, double budget, Chol* chol) noexcept nogil:
    """One Newton step on the current support with its signs held fixed.

    When many coefficients are active and correlated (p >> n near the end of a path), CD needs
    hundreds of epochs to settle values whose signs stopped changing long ago; on a fixed sign
    pattern the objective is a quadratic, solved exactly by one Cholesky factorisation. The step
    is shortened to the first sign change or bound, so it never increases the objective.

    exact: the final step of a tight solve. The step is taken only in full (the exact minimizer
    on the support keeps its signs, stays strictly inside the box, and the support's Gram matrix
    is well conditioned), so that the point returned does not depend on the route to it (dense,
    sparse or Gram data, cyclic or random order); sparse data are handled too. u_j = x~_j @ r
    must be current on the support; budget: the most flops the step may cost.
    chol: on Gram data, the factor kept from the last step (extended to this support).
    Returns 1 if a step was taken, 0 otherwise (support too large, singular, or no progress)."""
    cdef int k = 0, a, b, jj, j, n = d.n, info, keep = 0
    cdef bint cached = d.mode == GRAM and chol != NULL
    cdef bint ridged = True     # every support feature has an L2 term: G_SS + diag(beta) SPD
    cdef floating t = 1.0, wn, dmin, dmax
    cdef double cost = 0.0
    cdef int* S
    cdef floating* G
    cdef floating* U
    cdef int ldu
    cdef floating* delta
    cdef floating* XS = NULL
    cdef const floating* X = <const floating*> d.X
    cdef const floating* mean = NULL
    cdef const floating* xv = NULL
    cdef floating* R = <floating*> r.R
    cdef char uplo = b'U'
    cdef int nrhs = 1
    if d.mode == SPARSE and not exact:
        return 0
    # Coordinates sitting on a bound stay there: the step is over the free support only.
    for jj in range(n_ws):
        j = ws[jj]
        if w[j] != 0 and lo[j] < w[j] < hi[j]:
            k += 1
            if not beta[j] > 0:
                ridged = False
            if d.mode == SPARSE:
                cost += sparse_nnz(d, j)
    if k == 0 or k > max_size:
        return 0
    S = <int*> malloc(k * sizeof(int))
    if S == NULL:
        return 0
    k = 0
    for jj in range(n_ws):
        j = ws[jj]
        if w[j] != 0 and lo[j] < w[j] < hi[j]:
            S[k] = j
            k += 1
    if cached:
        keep = chol_kept(chol, k, S, beta)
    if exact:
        # flops of the step: the support's Gram matrix, its Cholesky factorisation; taken
        # when within the budget (about the work the solve has done) and ~0.1 s at most
        if d.mode == DENSE:
            cost = <double> k * k * n + <double> k * n
            if <double> k * n > 2e7:
                free(S)
                return 0
        elif d.mode == SPARSE:
            cost = <double> k * (0.5 * cost + n)
        else:
            cost = <double> k * k
        # the factorization: of the new rows only when the kept factor serves the rest
        cost += <double> (k - keep) * keep * keep + <double> (k - keep) ** 3 / 3.0
        if cost > min(budget, 2e8):
            free(S)
            return 0
    elif d.mode == DENSE and ((k >= n and not ridged) or <double> k * n > 2e7):
        # k >= n columns are linearly dependent: only an L2 term makes the system solvable
        free(S)
        return 0
    G = NULL if cached else <floating*> malloc(<size_t> k * k * sizeof(floating))
    delta = <floating*> malloc(k * sizeof(floating))
    if d.mode == DENSE:
        XS = <floating*> malloc(<size_t> k * n * sizeof(floating))
    elif d.mode == SPARSE:
        XS = <floating*> calloc(n, sizeof(floating))        # one scattered column
        mean = <const floating*> d.mean
        xv = <const floating*> d.xv
    if (G == NULL and not cached) or delta == NULL or (d.mode != GRAM and XS == NULL):
        free(S); free(G); free(delta); free(XS)
        return 0
    if cached:
        info = chol_support(chol, X, k, S, beta, keep)
        if info != 0:
            free(S); free(delta)
            return 0
        memcpy(S, chol.order, k * sizeof(int))               # the factor's row order
    for a in range(k):
        j = S[a]
        # minus the gradient of the smooth part with the signs of w fixed
        delta[a] = u[j] - beta[j] * w[j] - (lam[j] if w[j] > 0 else -lam[j])
    if d.mode == DENSE:
        for a in range(k):
            memcpy(XS + <size_t> a * n, X + <size_t> S[a] * n, n * sizeof(floating))
        fsyrk_t(n, k, XS, G)                                 # G = XS.T @ XS
    elif d.mode == GRAM and not cached:
        for b in range(k):
            for a in range(b + 1):
                G[<size_t> b * k + a] = X[<size_t> S[b] * d.p + S[a]]
    elif d.mode == SPARSE:
        # x~_a @ x~_b = x_a @ x_b - mean_a (x_b @ v) - mean_b (x_a @ v) + mean_a mean_b (v @ v)
        for b in range(k):
            sparse_axpy(d, S[b], <floating> 1.0, XS)         # scatter column S[b]
            for a in range(b + 1):
                G[<size_t> b * k + a] = sparse_dot(d, S[a], XS)
                if d.center:
                    G[<size_t> b * k + a] += <floating> (
                        mean[S[a]] * mean[S[b]] * d.vv
                        - mean[S[a]] * xv[S[b]] - mean[S[b]] * xv[S[a]])
            sparse_zero(d, S[b], XS)                         # and back to zero
    if not cached:
        for a in range(k):
            G[<size_t> a * k + a] += beta[S[a]]
    if exact:
        if cached:
            info = 0
            U = <floating*> chol.U
            ldu = chol.cap
        else:
            U = G
            ldu = k
            if floating is double:
                dpotrf(&uplo, &k, G, &k, &info)
            else:
                spotrf(&uplo, &k, G, &k, &info)
        if info == 0:
            dmin = INFINITY
            dmax = 0.0
            for a in range(k):
                dmin = min(dmin, fabs(U[<size_t> a * ldu + a]))
                dmax = max(dmax, fabs(U[<size_t> a * ldu + a]))
            if not dmin > 1e-7 * dmax:                       # condition number above 1e14
                info = 1
        if info == 0:
            if cached:
                info = chol_solve(chol, delta)
            elif floating is double:
                dpotrs(&uplo, &k, &nrhs, G, &k, delta, &k, &info)
            else:
                spotrs(&uplo, &k, &nrhs, G, &k, delta, &k, &info)
        if info == 0:
            for a in range(k):
                j = S[a]
                wn = w[j] + delta[a]
                if (not (fabs(wn) < INFINITY) or (lam[j] != 0 and not wn * w[j] > 0)
                        or not lo[j] < wn or not wn < hi[j]):
                    info = 1                                 # not the minimizer: no step
                    break
        if info == 0:
            if d.mode == DENSE:
                fgemv_n(n, k, -1.0, XS, delta, R)            # R -= XS @ delta
            for a in range(k):
                j = S[a]
                if d.mode != DENSE:
                    col_update(d, j, delta[a], r)
                w[j] = w[j] + delta[a]
        free(S); free(G); free(delta); free(XS)
        return 1 if info == 0 else 0
    if cached:
        info = chol_solve(chol, delta)
    else:
        info = fcholesky_solve(k, G, delta)                  # delta = G^-1 (-gradient)
    if info == 0:
        t = step_to_crossing(k, S, w, delta, lo, hi)
        if t > 1e-6:
            if d.mode == DENSE:
                fgemv_n(n, k, -t, XS, delta, R)              # R -= t * XS @ delta
            for a in range(k):
                j = S[a]
                if d.mode == GRAM:
                    faxpy(d.p, -t * delta[a], X + <size_t> j * d.p, R)
                wn = w[j] + t * delta[a]
                if wn * w[j] <= 0 or fabs(wn) < 1e-12 * fabs(w[j]):
                    # the coordinate that limited the step lands exactly on zero
                    if d.mode == DENSE:
                        faxpy(n, wn, X + <size_t> j * n, R)
                    else:
                        faxpy(d.p, wn, X + <size_t> j * d.p, R)
                    wn = 0.0
                w[j] = wn
    free(S); free(G); free(delta); free(XS)
    return 1 if (info == 0 and t > 1e-6) else 0


cdef int newton_cg(Data* d, floating* w, Resid* r, int n_ws, const int* ws,
                   const floating* u, const floating* norms2,
                   const floating* lam, const floating* beta,
                   const floating* lo, const floating* hi, floating* buf, double work,
                   int* cg_failed) noexcept nogil:
    """A Newton step on the support of sparse data, by conjugate gradients: newton_support's
    step (signs held fixed) without forming the support's Gram matrix.

    Near interpolation the support holds thousands of columns (half of n or more) and CD needs
    a hundred epochs per alpha to settle their values; each CG iteration costs two passes over
    the support's stored entries, and a few dozen reach the sign-fixed quadratic's minimizer.
    A few coordinates usually still cross zero there: the step is projected (they stop at
    zero, as CD would leave them) and kept only if it lowers the objective, else shortened to
    the first crossing, where the quadratic is the objective. u_j = x~_j @ r must be current
    on the support; buf: n scratch values.

    Close to n columns make the system so ill-conditioned that CG stalls (for Gaussian columns
    the condition number is ((1 + sqrt(k/n)) / (1 - sqrt(k/n)))^2: 100 at k = 2n/3, 1500 at
    k = 0.9 n), yet there a partial step may still beat the crawling CD. So the step is tried
    only once the solve has done the work it may cost (work, in flops: at most doubling a solve
    where it fails), and after a failure (CG stalled, or the step did not lower the objective)
    not again on supports of about that size or larger (cg_failed). Returns 1 if a step was
    taken."""
    cdef int k = 0, a, jj, j, it, n = d.n
    cdef floating t = 1.0, wn, rs, rs_new, rs0, pap, step, c, vz
    cdef double cost = 0.0
    cdef double rr, ry, p_old, p_new
    cdef int* S
    cdef floating* res
    cdef floating* pdir
    cdef floating* Ap
    cdef floating* delta
    cdef floating* w_old
    cdef floating* z = buf
    cdef const floating* mean = <const floating*> d.mean
    cdef const floating* xv = <const floating*> d.xv
    cdef const floating* v = <const floating*> d.v
    for jj in range(n_ws):
        j = ws[jj]
        if w[j] != 0 and lo[j] < w[j] < hi[j]:
            k += 1
            cost += sparse_nnz(d, j)
    cost = CG_MAX * (2.0 * cost + 3.0 * n)
    if k == 0 or cost > work or (cg_failed[0] > 0 and k >= CG_RETRY * cg_failed[0]):
        return 0
    S = <int*> malloc(k * sizeof(int))
    res = <floating*> malloc(5 * <size_t> k * sizeof(floating))
    if S == NULL or res == NULL:
        free(S); free(res)
        return 0
    pdir = res + k
    Ap = res + 2 * k
    delta = res + 3 * k
    w_old = res + 4 * k
    k = 0
    for jj in range(n_ws):
        j = ws[jj]
        if w[j] != 0 and lo[j] < w[j] < hi[j]:
            S[k] = j
            k += 1
    # preconditioned by the diagonal (the columns' squared norms differ): rs = res' M^-1 res
    rs = 0.0
    for a in range(k):
        j = S[a]
        # minus the gradient of the smooth part with the signs of w fixed
        res[a] = u[j] - beta[j] * w[j] - (lam[j] if w[j] > 0 else -lam[j])
        pdir[a] = res[a] / (norms2[j] + beta[j])
        delta[a] = 0.0
        rs += res[a] * pdir[a]
    rs0 = rs
    for it in range(CG_MAX):
        if not rs > CG_TOL * CG_TOL * rs0:
            break
        # Ap = (X~_S' X~_S + diag(beta)) pdir, with X~ = X - v mean' never formed:
        # z = X_S pdir, c = mean_S @ pdir, X~_S pdir = z - c v
        memset(z, 0, <size_t> n * sizeof(floating))
        c = 0.0
        for a in range(k):
            sparse_axpy(d, S[a], pdir[a], z)
            if d.center:
                c += pdir[a] * mean[S[a]]
        vz = fdot(n, v, z) if d.center else 0.0
        pap = 0.0
        for a in range(k):
            j = S[a]
            Ap[a] = sparse_dot(d, j, z) + beta[j] * pdir[a]
            if d.center:
                Ap[a] -= c * xv[j] + mean[j] * (vz - c * <floating> d.vv)
            pap += pdir[a] * Ap[a]
        if not pap > 0:                                      # (singular direction)
            break
        step = rs / pap
        rs_new = 0.0
        for a in range(k):
            j = S[a]
            delta[a] += step * pdir[a]
            res[a] -= step * Ap[a]
            rs_new += res[a] * res[a] / (norms2[j] + beta[j])
        for a in range(k):
            j = S[a]
            pdir[a] = res[a] / (norms2[j] + beta[j]) + (rs_new / rs) * pdir[a]
        rs = rs_new
    # the projected step, kept if it lowers the objective (over ws: the support is in it)
    residual_stats(d, w, r, &rr, &ry)
    p_old = primal_value(n_ws, ws, w, lam, beta, rr)
    for a in range(k):
        j = S[a]
        w_old[a] = w[j]
        wn = w[j] + delta[a]
        if not (fabs(wn) < INFINITY) or wn * w[j] <= 0:
            wn = 0.0
        wn = min(max(wn, lo[j]), hi[j])
        if wn != w[j]:
            col_update(d, j, wn - w[j], r)
            w[j] = wn
    residual_stats(d, w, r, &rr, &ry)
    p_new = primal_value(n_ws, ws, w, lam, beta, rr)
    if p_new < p_old:
        if rs > CG_STALLED * rs0:
            cg_failed[0] = k
        free(S); free(res)
        return 1
    cg_failed[0] = k
    for a in range(k):                                      # undone
        j = S[a]
        if w[j] != w_old[a]:
            col_update(d, j, w_old[a] - w[j], r)
            w[j] = w_old[a]
    t = step_to_crossing(k, S, w, delta, lo, hi)
    if t > 1e-6:
        for a in range(k):
            j = S[a]
            wn = w[j] + t * delta[a]
            if wn * w[j] <= 0 or fabs(wn) < 1e-12 * fabs(w[j]):
                wn = 0.0                # the coordinate that limited the step lands on zero
            col_update(d, j, wn - w[j], r)
            w[j] = wn
    free(S); free(res)
    return 1 if t > 1e-6 else 0


cdef uint64_t support_hash(int p, const floating* w) noexcept nogil:
    """A fingerprint of the signed support of w (order-free sum of mixed indices)."""
    cdef uint64_t h = 0, x
    cdef int j
    for j in range(p):
        if w[j] != 0:
            x = (<uint64_t> (2 * j + (w[j] > 0) + 1)) * <uint64_t> 11400714819323198485ULL
            h += x ^ (x >> 29)
    return h


cdef bint exact_early(Data* d, floating* w, Resid* r, int n_ws, const int* ws,
                      const floating* u, const floating* lam, const floating* beta,
                      const floating* lo, const floating* hi, double work, Chol* chol,
                      uint64_t* fail_hash) noexcept nogil:
    """The exact step of a tight solve taken before CD reached tol: with the kept factor it
    costs about one epoch, far less than the epochs CD would take to reach it. A signed support
    where it failed (fail_hash) is not tried again. Returns 1 if the step was taken."""
    cdef uint64_t h = support_hash(d.p, w)
    if h == fail_hash[0]:
        return 0
    if newton_support(d, w, r, n_ws, ws, u, lam, beta, lo, hi, NEWTON_MAX, True,
                      max(EARLY_FREE, work), chol):
        return 1
    fail_hash[0] = h
    return 0


# ------------------------------------------------------------------------------------------
# The solver

cdef int cd_epochs(Data* d, floating* w, const floating* norms2,
               const floating* lam, const floating* beta,
               const floating* lo, const floating* hi,
               int max_epochs, floating tol, bint use_ws, int ws_start, bint screen,
               bint accel, bint newton, bint polish, bint random, uint32_t seed,
               floating* gap_out, int* n_screened_out, Chol* chol, Work* wk) noexcept nogil:
    """Minimise P(w) in place from the given w until its duality gap is <= tol.

    Returns the number of CD epochs (passes over the working set); the gap reached is written to
    gap_out. wk: the buffers (work_init); wk.u is left holding x~_j @ r at the solution for its
    active features."""
    cdef int p = d.p
    cdef int j, jj, k, epoch = 0, n_active, n_ws, ws_size, n_hist, nnz, ws_floor, ws_base
    cdef floating gap = INFINITY, prev_gap, sub_gap, s_a, gap_a, s_b, gap_b, rad_a, rad_b, t
    cdef floating w_old, w_new, z, tol_in, viol
    cdef double rr, ry, p_old, p_new
    cdef uint32_t rng = seed if seed != 0 else 1
    cdef bint done = False, ols = True, same, full, regular
    cdef int inner
    # Small problems (p <= SMALL_P) check the gap after each of a solve's first epochs too: a
    # warm start along a path mostly needs one or two, and there a check costs little more
    # than the epoch (on Gram data O(p) against O(p |ws|)). The rule depends on p only, so
    # Gram, dense and sparse data follow the same iterates.
    cdef bint early_checks = p <= SMALL_P
    # the exact Newton step on the current point: 0 not tried, 1 tried (no step), 2 taken
    cdef int polished = 0
    cdef bint polish_off = False
    cdef uint64_t h, fail_hash = 0
    # flops of one column operation, and of the work done so far (the budget of the polish)
    cdef double unit = d.n if d.mode == DENSE else (
        d.p if d.mode == GRAM else <double> sparse_total_nnz(d) / max(d.p, 1))
    cdef double work = 0.0
    cdef int n_checks = 0, sg, changed
    cdef int8_t* signs = wk.signs
    cdef floating* u = <floating*> wk.u
    cdef floating* score = <floating*> wk.score
    cdef int* active = wk.active
    cdef int* ws = wk.ws
    cdef uint8_t* in_ws = wk.in_ws
    cdef floating* R = <floating*> wk.R
    cdef floating* w_acc = <floating*> wk.w_acc
    cdef floating* H = <floating*> wk.H
    cdef floating C[ANDERSON_K * ANDERSON_K]
    cdef floating zc[ANDERSON_K]
    cdef Resid r, r_acc
    cdef void* swap

    r.R = wk.R
    r_acc.R = wk.R_acc
    wk.cg_failed = 0

    # Features that can never move are left out from the start: excluded (pf = inf -> lam = inf),
    # pinned at 0 by their bounds, or zero columns.
    n_active = 0
    for j in range(p):
        if lam[j] == INFINITY or (lo[j] == 0 and hi[j] == 0) or norms2[j] <= 0:
            w[j] = 0.0
        else:
            active[n_active] = j
            n_active += 1
        if lam[j] != 0 or beta[j] != 0:
            ols = False
    n_screened_out[0] = p - n_active

    residual_from(d, w, &r)
    # Working-set size: twice the support (celer's pruning rule), never below a floor that
    # doubles whenever an outer iteration fails to halve the gap (so it cannot stall) and
    # returns to its base once the gap halves again (so a stall does not inflate every epoch).
    ws_floor = max(ws_start, 10)
    ws_base = ws_floor
    prev_gap = INFINITY

    while True:
        if floating is float and epoch > 0 and d.mode != GRAM:
            # float32 residuals drift from y - Xw over many updates, leaving a floor under the
            # computed gap; recomputing them costs one pass over the support.
            residual_from(d, w, &r)
        # ---- gap of the full (screened) problem
        full = d.mode == DENSE and n_active == p
        if full:
            fgemv_t(d.n, p, <const floating*> d.X, R, u)          # u = X.T @ R
        gap = gap_on(d, n_active, active, w, &r, u, full, ols, norms2, lam, beta, lo, hi,
                     &s_a, &gap_a, &s_b, &gap_b)
        work += 2.0 * unit * n_active
        if polished == 2 and gap > tol:
            # The exact step on this support is not the solution (the support is wrong, or
            # only that of the working set): leave it to CD, and stop trying once it failed
            # twice on the same signed support.
            h = support_hash(p, w)
            if h == fail_hash:
                polish_off = True
            fail_hash = h
        if (polish and gap <= tol and polished == 0 and not polish_off
                and n_active > 0):
            # Certified, but not yet finished by the exact step (a warm start that needed no
            # epoch, or a sub-problem that ended above tol): take it and certify it again.
            polished = 1
            if newton_support(d, w, &r, n_active, active, u, lam, beta, lo, hi, NEWTON_MAX,
                              True, max(POLISH_FREE, work), chol):
                polished = 2
                continue
        if (chol != NULL and polish and gap > tol and polished == 0 and not polish_off
                and n_active > 0 and epoch < max_epochs):
            # Not yet certified (a warm start, or CD that stopped on a working set): a tight
            # solve ends with the exact minimizer on its support anyway, so try it first.
            if exact_early(d, w, &r, n_active, active, u, lam, beta, lo, hi, work, chol,
                           &fail_hash):
                polished = 2
                continue
        if gap <= tol or epoch >= max_epochs or n_active == 0:
            break
        polished = 0

        # ---- gap-safe screening: drop features whose optimal coefficient is certainly 0
        if screen and not ols:
            rad_a = sqrt(2.0 * gap_a)
            rad_b = sqrt(2.0 * gap_b)
            k = 0
            for jj in range(n_active):
                j = active[jj]
                if (safe_zero(s_a * (u[j] - beta[j] * w[j]), rad_a * sqrt(norms2[j] + beta[j]),
                              lam[j], lo[j], hi[j])
                        or safe_zero(s_b * u[j], rad_b * sqrt(norms2[j]), lam[j], lo[j], hi[j])):
                    if w[j] != 0:
                        col_update(d, j, -w[j], &r)
                        w[j] = 0.0
                    n_screened_out[0] += 1
                else:
                    active[k] = j
                    k += 1
            n_active = k
            if n_active == 0:
                continue

        # ---- working set: the support plus the features closest to their dual constraint
        ws_size = n_active
        if use_ws:
            nnz = 0
            for jj in range(n_active):
                if w[active[jj]] != 0:
                    nnz += 1
            if nnz == 0 and prev_gap == INFINITY and d.mode == SPARSE:
                # Sparse cold start: sparse columns are short and nearly uncorrelated, so a
                # large first working set is cheap to solve and saves full passes over X. Its
                # size follows the features violating optimality at w = 0 (about one in eight
                # of them ends in the support on our benchmarks); it must not depend on n, or
                # repeated rows and their sample weights would take different paths.
                k = 0
                for jj in range(n_active):
                    j = active[jj]
                    if (u[j] > lam[j] and hi[j] > 0) or (-u[j] > lam[j] and lo[j] < 0):
                        k += 1
                ws_floor = max(ws_floor, k // 8)
                ws_base = ws_floor
            if gap > 0.5 * prev_gap:
                ws_floor = 2 * ws_floor
            else:
                ws_floor = ws_base
            prev_gap = gap
            ws_size = min(max(ws_floor, 2 * nnz), n_active)
        if ws_size < n_active:
            # The support always stays; the candidates go after it and the best of them are
            # selected (keeping the support out of the quickselect avoids its many ties).
            nnz = 0
            k = n_active
            for jj in range(n_active):
                j = active[jj]
                if w[j] != 0:
                    ws[nnz] = j
                    nnz += 1
                else:
                    t = s_a * u[j]
                    viol = -INFINITY
                    if hi[j] > 0:
                        viol = t
                    if lo[j] < 0 and -t > viol:
                        viol = -t
                    score[j] = (lam[j] - viol) / sqrt(norms2[j] + beta[j])
                    k -= 1
                    ws[k] = j
            select_smallest(ws + nnz, n_active - nnz, ws_size - nnz, score)
            for jj in range(n_active):
                in_ws[active[jj]] = 0
            for jj in range(ws_size):
                in_ws[ws[jj]] = 1
            n_ws = 0
            for jj in range(n_active):              # keep the natural order: cache friendly
                j = active[jj]
                if in_ws[j]:
                    ws[n_ws] = j
                    n_ws += 1
            tol_in = max(0.3 * gap, tol)
        else:
            n_ws = n_active
            memcpy(ws, active, n_active * sizeof(int))
            tol_in = tol

        # ---- coordinate descent on the working set, with Anderson extrapolation
        n_hist = 0
        n_checks = 0
        inner = 0
        if d.mode == SPARSE:
            # the sign pattern the checks compare with: the working set's at its start
            for jj in range(n_ws):
                j = ws[jj]
                signs[jj] = sign_pattern(w[j], lo[j], hi[j])
        if accel:
            for jj in range(n_ws):
                H[jj] = w[ws[jj]]
            n_hist = 1
        while True:
            for jj in range(n_ws):
                if random:
                    j = ws[xorshift(&rng) % n_ws]
                else:
                    j = ws[jj]
                w_old = w[j]
                z = col_dot(d, j, &r, R) + norms2[j] * w_old
                w_new = prox_coord(z, norms2[j], lam[j], beta[j], lo[j], hi[j])
                if w_new != w_old:
                    col_update(d, j, w_new - w_old, &r)
                    w[j] = w_new
            epoch += 1
            inner += 1
            work += 2.0 * unit * n_ws

            if accel:
                for jj in range(n_ws):
                    H[n_hist * n_ws + jj] = w[ws[jj]]
                n_hist += 1
                if n_hist == ANDERSON_K + 1:
                    if anderson_step(n_ws, ANDERSON_K, H, C, zc):
                        memcpy(w_acc, w, p * sizeof(floating))
                        for jj in range(n_ws):
                            j = ws[jj]
                            z = 0.0
                            for k in range(ANDERSON_K):
                                z += zc[k] * H[(k + 1) * n_ws + jj]
                            w_acc[j] = min(max(z, lo[j]), hi[j])
                        residual_from(d, w_acc, &r_acc)
                        residual_stats(d, w, &r, &rr, &ry)
                        p_old = primal_value(n_ws, ws, w, lam, beta, rr)
                        residual_stats(d, w_acc, &r_acc, &rr, &ry)
                        p_new = primal_value(n_ws, ws, w_acc, lam, beta, rr)
                        if p_new < p_old:
                            memcpy(w, w_acc, p * sizeof(floating))
                            swap = r.R; r.R = r_acc.R; r_acc.R = swap
                            r.c = r_acc.c; r.vr = r_acc.vr
                            R = <floating*> r.R
                    for jj in range(n_ws):
                        H[jj] = w[ws[jj]]
                    n_hist = 1

            if epoch >= max_epochs:
                break
            regular = epoch % GAP_EVERY == 0
            if regular or (early_checks and inner < GAP_EVERY):
                sub_gap = gap_on(d, n_ws, ws, w, &r, u, False, ols, norms2, lam, beta, lo, hi,
                                 &s_a, &gap_a, &s_b, &gap_b)
                if (regular and chol != NULL and polish and not polish_off and sub_gap > tol
                        and exact_early(d, w, &r, n_ws, ws, u, lam, beta, lo, hi, work, chol,
                                        &fail_hash)):
                    # likewise at the checks: the full gap check that follows certifies it
                    polished = 2
                    break
                if sub_gap <= tol_in:
                    if polish and sub_gap <= tol and not polish_off:
                        # Likely the last epochs: finish with the exact minimizer on the
                        # support, which the full gap check that follows certifies.
                        polished = 1 + newton_support(d, w, &r, n_ws, ws, u, lam, beta, lo,
                                                      hi, NEWTON_MAX, True,
                                                      max(POLISH_FREE, work), chol)
                    break
                # Same signs on the working set as at the previous check: the support has
                # settled, finish it with a Newton step instead of many more epochs.
                if regular and newton:
                    same = n_checks >= NEWTON_AFTER
                    changed = 0
                    for jj in range(n_ws):
                        j = ws[jj]
                        sg = sign_pattern(w[j], lo[j], hi[j])
                        if sg != signs[jj]:
                            same = False
                            changed += 1
                            signs[jj] = sg
                    n_checks += 1
                    if d.mode == SPARSE:
                        # the projected CG step guards itself (objective check): taken once
                        # the signs nearly hold (CD then only settles values), on a support
                        # large enough for CD to crawl
                        # (float64 only: in float32 CG on an uncentred problem can return a
                        # direction whose shortened step wrecks the fit)
                        same = (floating is double and changed * CG_SETTLED <= n_ws
                                and n_ws >= CG_MIN_WS)
                    if (same and (newton_cg(d, w, &r, n_ws, ws, u, norms2, lam, beta, lo, hi,
                                            <floating*> wk.D, work, &wk.cg_failed)
                                  if d.mode == SPARSE else
                                  newton_support(d, w, &r, n_ws, ws, u, lam, beta, lo, hi,
                                                 NEWTON_MAX, False, 0.0, chol)) and accel):
                        # the iterate history no longer describes one CD trajectory
                        for jj in range(n_ws):
                            H[jj] = w[ws[jj]]
                        n_hist = 1

    # The residual buffers may have been swapped by the extrapolation.
    wk.R = r.R
    wk.R_acc = r_acc.R
    gap_out[0] = gap
    return epoch


cdef int cd_path(Data* d, floating* w, const floating* norms2,
                    const floating* lam0, const floating* beta0,
                    const floating* lo, const floating* hi,
                    int n_alphas, const double* scales, floating* coefs, floating* gaps,
                    int* epochs, int max_epochs, floating tol, bint use_ws, int ws_start,
                    bint screen, bint accel, bint newton, bint polish, bint random,
                    uint32_t seed, int* n_screened_out, Chol* chol, Work* wk) noexcept nogil:
    """cd_epochs() for penalties (scales[i, 0] * lam0, scales[i, 1] * beta0), i = 0..n_alphas-1,
    each warm-started from the previous solution (from the 3rd alpha on, extrapolated when that
    lowers the objective: see below); solution i goes to coefs[i * p:]. A path of small
    problems then costs no Python call per alpha. Returns -1 on allocation failure."""
    cdef int i, j, k, p = d.p, n_screened
    cdef floating* lam = <floating*> malloc(p * sizeof(floating))
    cdef floating* beta = <floating*> malloc(p * sizeof(floating))
    cdef floating* w_pred = <floating*> malloc(p * sizeof(floating))
    if lam == NULL or beta == NULL or w_pred == NULL:
        free(lam); free(beta); free(w_pred)
        return -1
    cdef double t, a0, a1, a2
    cdef floating wj, wq
    n_screened_out[0] = 0
    for i in range(n_alphas):
        for j in range(p):
            lam[j] = <floating> (scales[2 * i] * lam0[j])
            beta[j] = <floating> (scales[2 * i + 1] * beta0[j])
        if i >= 2:
            # predictor: the solutions at the last two alphas extrapolated linearly in alpha
            # (on a stretch of the path where the support and signs hold, the Lasso's path is
            # linear in alpha and the elastic net's smooth): the start is off by O(step^2)
            # instead of O(step). A coefficient whose sign would change starts at zero.
            k = 0 if scales[0] > 0 else 1
            a0 = scales[2 * (i - 2) + k]
            a1 = scales[2 * (i - 1) + k]
            a2 = scales[2 * i + k]
            t = (a1 - a2) / (a0 - a1) if a0 != a1 else 0.0
            if t > 0.0 and t <= 2.0:
                for j in range(p):
                    wj = w[j]
                    w_pred[j] = wj
                    if wj == 0.0:
                        continue
                    wq = <floating> (wj + t * (wj - coefs[<size_t> (i - 2) * p + j]))
                    if (wq > 0) != (wj > 0):
                        wq = 0.0
                    w_pred[j] = min(max(wq, lo[j]), hi[j])
                if predictor_helps(d, w, w_pred, lam, beta, wk):
                    memcpy(w, w_pred, p * sizeof(floating))
        epochs[i] = cd_epochs(d, w, norms2, lam, beta, lo, hi, max_epochs, tol, use_ws,
                              ws_start, screen, accel, newton, polish, random, seed, &gaps[i],
                              &n_screened, chol, wk)
        n_screened_out[0] += n_screened
        memcpy(coefs + <size_t> i * p, w, p * sizeof(floating))
    free(lam); free(beta); free(w_pred)
    return 0


cdef bint predictor_helps(Data* d, const floating* w, const floating* w_pred,
                          const floating* lam, const floating* beta, Work* wk) noexcept nogil:
    """Whether the predicted start has a lower objective than the warm start w at the new
    penalties. Extrapolating inexact solutions (a loose tol) extrapolates their errors too, and
    where the support changes at every alpha (p >> n) the line is wrong: measured there, loose
    elastic-net paths from unchecked starts took 4 to 6 times the epochs of tight ones. With
    delta = w_pred - w and u = wk.u = x~^T r at w (left by the last solve):
        P(w + delta) - P(w) = -delta^T u + ||X~ delta||^2 / 2 + pen(w + delta) - pen(w),
    one column operation per moved coefficient."""
    cdef const floating* u = <const floating*> wk.u
    cdef int j, p = d.p
    cdef size_t m_len = d.p if d.mode == GRAM else d.n
    cdef floating dj
    cdef double change = 0.0, quad = 0.0
    cdef Resid r
    cdef bint moved = False
    r.R = wk.D
    r.c = 0.0
    r.vr = 0.0
    memset(r.R, 0, m_len * sizeof(floating))
    for j in range(p):
        dj = w_pred[j] - w[j]
        if dj != 0:
            moved = True
            change += (-dj * u[j] + lam[j] * (fabs(w_pred[j]) - fabs(w[j]))
                       + 0.5 * beta[j] * (w_pred[j] * w_pred[j] - w[j] * w[j]))
            col_update(d, j, -dj, &r)        # R accumulates X~ delta (Gram: Q delta)
    if not moved:
        return False
    if d.mode == GRAM:
        for j in range(p):
            dj = w_pred[j] - w[j]
            if dj != 0:
                quad += dj * (<floating*> r.R)[j]
    elif d.mode == DENSE:
        quad = fdot_acc(d.n, <const floating*> r.R, <const floating*> r.R)
    else:
        quad = (fdot_acc(d.n, <const floating*> r.R, <const floating*> r.R)
                + 2.0 * r.c * r.vr + r.c * r.c * d.vv)
    return change + 0.5 * quad < 0


cdef inline bint safe_zero(floating t, floating radius_norm, floating lam,
                           floating lo, floating hi) noexcept nogil:
    """Gap-safe test: |x~_j @ theta*| < lam on every side where w_j may move, so w_j* = 0."""
    if hi > 0 and t + radius_norm >= lam:
        return False
    if lo < 0 and -t + radius_norm >= lam:
        return False
    return True


# ------------------------------------------------------------------------------------------
# Python entry points: no validation here, the Python layer has done it.

def _finish(int epochs):
    if epochs < 0:
        raise MemoryError("skreg: could not allocate the coordinate descent workspace")
    return epochs


cdef object run(Data* d, floating[::1] w, const floating[::1] norms2, const floating[::1] lam,
                const floating[::1] beta, const floating[::1] lo, const floating[::1] hi,
                int max_epochs, floating tol, bint use_ws, int ws_start, bint screen,
                bint accel, bint newton, bint polish, bint random, uint32_t seed,
                const double[:, ::1] scales, floating[:, ::1] coefs):
    """One solve from w: returns (gap, epochs, n_screened). Path mode (scales given, shape
    (n_alphas, 2), and coefs of shape (n_alphas, p)): penalties scales[i, 0] * lam and
    scales[i, 1] * beta in turn, warm-started; returns (gaps, epochs, n_screened) with one
    gap and one epoch count per alpha."""
    cdef floating gap = 0
    cdef int epochs, n_screened = 0, n_alphas
    cdef floating[::1] gaps
    cdef int[::1] path_epochs
    cdef Chol factor
    cdef Chol* chol = NULL
    cdef Work wk
    if scales is not None and scales.shape[0] == 0:
        return np.zeros(0, dtype=np.asarray(w).dtype), np.zeros(0, dtype=np.intc), 0
    if work_init(&wk, d, sizeof(floating), accel) != 0:
        _finish(-1)
    if d.mode == GRAM:
        if chol_init(&factor, d.p) != 0:
            work_free(&wk)
            _finish(-1)
        chol = &factor
    if scales is None:
        with nogil:
            epochs = cd_epochs(d, &w[0], &norms2[0], &lam[0], &beta[0], &lo[0], &hi[0],
                               max_epochs, tol, use_ws, ws_start, screen, accel, newton, polish,
                               random, seed, &gap, &n_screened, chol, &wk)
            if chol != NULL:
                chol_free(chol)
            work_free(&wk)
        return gap, _finish(epochs), n_screened
    n_alphas = scales.shape[0]
    gaps = np.zeros(n_alphas, dtype=np.asarray(w).dtype)
    path_epochs = np.zeros(n_alphas, dtype=np.intc)
    with nogil:
        epochs = cd_path(d, &w[0], &norms2[0], &lam[0], &beta[0], &lo[0], &hi[0],
                         n_alphas, &scales[0, 0], &coefs[0, 0], &gaps[0], &path_epochs[0],
                         max_epochs, tol, use_ws, ws_start, screen, accel, newton, polish,
                         random, seed, &n_screened, chol, &wk)
        if chol != NULL:
            chol_free(chol)
        work_free(&wk)
    _finish(epochs)
    return np.asarray(gaps), np.asarray(path_epochs), n_screened


def csc_column_stats(const floating[::1] data, const index_t[::1] indices,
                     const index_t[::1] indptr, const floating[::1] v):
    """Per column j of a CSC matrix: (sum_i x_ij^2, sum_i x_ij v_i), in float64 (one pass over
    the stored entries, no temporary matrix)."""
    cdef Py_ssize_t p = indptr.shape[0] - 1, j
    cdef index_t k
    cdef double a, b, x
    sq_arr = np.zeros(p)
    xv_arr = np.zeros(p)
    cdef double[::1] sq = sq_arr
    cdef double[::1] xv = xv_arr
    with nogil:
        for j in range(p):
            a = 0.0
            b = 0.0
            for k in range(indptr[j], indptr[j + 1]):
                x = data[k]
                a += x * x
                b += x * v[indices[k]]
            sq[j] = a
            xv[j] = b
    return sq_arr, xv_arr


def enet_dense(floating[::1] w, const floating[::1, :] X, const floating[::1] y,
               const floating[::1] norms2, const floating[::1] lam, const floating[::1] beta,
               const floating[::1] lo, const floating[::1] hi, int max_epochs, floating tol,
               bint use_ws=True, int ws_start=0, bint screen=True, bint accel=True, bint newton=True,
               bint random=False, uint32_t seed=1, const double[:, ::1] scales=None,
               floating[:, ::1] coefs=None, bint polish=False):
    """Elastic-net CD on a centred Fortran-ordered X (see run() for the path mode)."""
    cdef Data d
    d.mode = DENSE
    d.n = X.shape[0]
    d.p = X.shape[1]
    d.X = &X[0, 0] if d.n > 0 and d.p > 0 else NULL
    d.y = &y[0]
    d.center = False
    return run(&d, w, norms2, lam, beta, lo, hi, max_epochs, tol, use_ws, ws_start, screen,
               accel, newton, polish, random, seed, scales, coefs)


def enet_sparse(floating[::1] w, const floating[::1] data, const index_t[::1] indices,
                const index_t[::1] indptr, int n, const floating[::1] X_mean,
                const floating[::1] v, bint center, const floating[::1] y,
                const floating[::1] norms2, const floating[::1] lam, const floating[::1] beta,
                const floating[::1] lo, const floating[::1] hi, int max_epochs, floating tol,
                bint use_ws=True, int ws_start=0, bint screen=True, bint accel=True, bint newton=True,
                bint random=False, uint32_t seed=1, const double[:, ::1] scales=None,
                floating[:, ::1] coefs=None, bint polish=False):
    """Elastic-net CD on a CSC matrix, centred implicitly: column j is x_j - X_mean[j] * v."""
    cdef Data d
    cdef int j
    cdef int p = indptr.shape[0] - 1
    cdef floating[::1] xv = np.zeros(p, dtype=np.asarray(y).dtype)
    cdef floating dummy = 0
    d.mode = SPARSE
    d.n = n
    d.p = p
    d.data = &data[0] if data.shape[0] > 0 else &dummy
    d.indices = &indices[0] if indices.shape[0] > 0 else NULL
    d.indptr = &indptr[0]
    d.idx64 = index_t is int64_t
    d.center = center
    d.mean = &X_mean[0]
    d.v = &v[0]
    d.y = &y[0]
    d.vv = 0.0
    d.vy = 0.0
    if center:
        for j in range(p):
            xv[j] = sparse_dot(&d, j, &v[0])
        d.vv = fdot(n, &v[0], &v[0])
        d.vy = fdot(n, &v[0], &y[0])
    d.xv = &xv[0]
    return run(&d, w, norms2, lam, beta, lo, hi, max_epochs, tol, use_ws, ws_start, screen,
               accel, newton, polish, random, seed, scales, coefs)


def enet_gram(floating[::1] w, const floating[:, ::1] Q, const floating[::1] q, double yy,
              const floating[::1] lam, const floating[::1] beta,
              const floating[::1] lo, const floating[::1] hi, int max_epochs, floating tol,
              bint use_ws=True, int ws_start=0, bint screen=True, bint accel=True, bint newton=True,
              bint random=False, uint32_t seed=1, const double[:, ::1] scales=None,
              floating[:, ::1] coefs=None, bint polish=False):
    """Elastic-net CD on the Gram matrix Q = X^T X (symmetric, so C order is column access)
    with q = X^T y and yy = y @ y (covariance updates: each coordinate move costs p)."""
    cdef Data d
    cdef int j
    cdef int p = Q.shape[0]
    cdef floating[::1] diag = np.empty(p, dtype=np.asarray(q).dtype)
    for j in range(p):
        diag[j] = Q[j, j]
    d.mode = GRAM
    d.n = 0
    d.p = p
    d.X = &Q[0, 0]
    d.y = &q[0]
    d.yy = yy
    d.center = False
    return run(&d, w, diag, lam, beta, lo, hi, max_epochs, tol, use_ws, ws_start, screen,
               accel, newton, polish, random, seed, scales, coefs)
