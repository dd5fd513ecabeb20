# Block coordinate descent for the multi-task elastic net (rows of W grouped), one core for dense,
# sparse and Gram data.
#
# The kernel solves the *unscaled* problem (Python rescales alpha by n and the gap by 1/n):
#
#     P(W) = 1/2 ||Y - X W||_F^2 + sum_j [ lam_j ||W_j||_2 + beta_j / 2 ||W_j||_2^2 ]
#
# W is (p, k), row j holding feature j's coefficients for the k tasks; optionally W >= 0. X and Y
# are already centred and weighted (dense) or centred implicitly (sparse: column j is
# x_j - mean_j * v, v = sqrt(weights)); the Gram form works on Q = X'X and X'Y.
#
# A row update is the exact minimiser of the objective in W_j with the other rows fixed, with the
# smooth part majorised by its Lipschitz constant L_j = ||x_j||^2 (exact here, the block being a
# single column of X): W_j <- (L_j z)(1 - lam_j / ||L_j z||)_+ / (L_j + beta_j), z = W_j + x_j'R / L_j
# (projected on the positive orthant first when W >= 0).
#
# Speed comes from the ideas of the single-task kernel (src_cython/_cd_fast.pyx), none of which
# changes the stopping rule (the certified duality gap): working sets ranked by how close a row is
# to its dual constraint ||x_j' theta||_2 <= lam_j, gap-safe screening with row norms, Anderson
# extrapolation kept only when it lowers the objective, and whole warm-started paths in one call.
#
# Layout of the residual: dense data keep it (n, k) in Fortran order, each task's residuals
# contiguous, so that a row's gradient is k dot products and its update k axpys over n (a
# rank-1 update of a C-ordered residual runs one length-k axpy per sample: with a handful of
# tasks, call overhead); the Gram form's X'R (p, k) likewise. Sparse data keep it (n, k) in C
# order (a stored entry touches row i for every task).

from libc.math cimport sqrt, INFINITY
from libc.stdlib cimport malloc, free
from libc.string cimport memcpy, memset
from libc.stdint cimport int32_t, int64_t, uint32_t, uint8_t
from cython cimport floating

ctypedef fused index_t:
    int32_t
    int64_t

import numpy as np

include "_blas.pxi"
include "_kernel_utils.pxi"

cdef enum:
    DENSE = 0
    SPARSE = 1
    GRAM = 2
    ANDERSON_K = 5      # extrapolate from the last K + 1 iterates
    GAP_EVERY = 5       # inner epochs between two working-set gap checks


cdef struct Data:
    # Read-only description of the design (void* so that one struct serves both precisions).
    int mode
    int n                  # rows (dense, sparse)
    int p
    int k                  # tasks
    const void* X          # dense: (n, p) Fortran; Gram: Q = X'X (p, p)
    const void* data       # sparse CSC
    const void* indices
    const void* indptr
    bint idx64
    bint center            # sparse: implicit centring
    const void* mean       # sparse: column means (p)
    const void* v          # sparse: sqrt(sample weights) or ones (n)
    const void* xv         # sparse: x_j @ v (p)
    double vv              # sparse: v @ v
    const double* vy       # sparse: v @ Y[:, t] (k)
    const void* Y          # dense: Y (n, k) Fortran; sparse: Y (n, k) C; Gram: X'Y (p, k) Fortran
    double yy              # Gram: ||Y||_F^2


cdef struct Resid:
    # Dense: R = Y - XW (n, k). Sparse: the residual is R + v c' (c: k). Gram: R = X'(Y - XW).
    void* R
    double* c
    double* vr             # sparse: v' R (k)


cdef inline void sparse_range(Data* d, int j, int64_t* start, int64_t* stop) noexcept nogil:
    if d.idx64:
        start[0] = (<const int64_t*> d.indptr)[j]
        stop[0] = (<const int64_t*> d.indptr)[j + 1]
    else:
        start[0] = (<const int32_t*> d.indptr)[j]
        stop[0] = (<const int32_t*> d.indptr)[j + 1]


cdef inline int64_t sparse_row(Data* d, int64_t e) noexcept nogil:
    if d.idx64:
        return (<const int64_t*> d.indices)[e]
    return (<const int32_t*> d.indices)[e]


cdef void row_grad(Data* d, int j, Resid* r, floating* u) noexcept nogil:
    """u = x~_j' R, the k correlations of (centred) column j with the residuals."""
    cdef int t, k = d.k
    cdef const floating* R = <const floating*> r.R
    cdef const floating* data
    cdef int64_t e, start, stop, i
    cdef floating x, mean_j, xv_j
    if d.mode == GRAM:
        for t in range(k):                 # (X'R is Fortran (p, k))
            u[t] = R[j + <size_t> t * d.p]
        return
    memset(u, 0, k * sizeof(floating))
    if d.mode == DENSE:
        # one dot product per task (R is Fortran (n, k): each task's residuals contiguous)
        for t in range(k):
            u[t] = fdot(d.n, (<const floating*> d.X) + <size_t> j * d.n, R + <size_t> t * d.n)
        return
    data = <const floating*> d.data
    sparse_range(d, j, &start, &stop)
    for e in range(start, stop):
        i = sparse_row(d, e)
        x = data[e]
        for t in range(k):
            u[t] += x * R[i * k + t]
    if d.center:
        mean_j = (<const floating*> d.mean)[j]
        xv_j = (<const floating*> d.xv)[j]
        for t in range(k):
            # x~_j' (R_t + c_t v) with x~_j = x_j - mean_j v
            u[t] += <floating> (r.c[t] * xv_j - mean_j * (r.vr[t] + r.c[t] * d.vv))


cdef void row_update(Data* d, int j, const floating* delta, Resid* r) noexcept nogil:
    """R -= x~_j delta' (row j of W moved by delta)."""
    cdef int t, k = d.k
    cdef floating* R = <floating*> r.R
    cdef const floating* data
    cdef int64_t e, start, stop, i
    cdef floating x, mean_j, xv_j
    cdef size_t m = <size_t> (d.p if d.mode == GRAM else d.n)
    if d.mode != SPARSE:
        # one axpy per task (R, or X'R, is Fortran (m, k)); Gram: X'R -= Q[:, j] delta'
        for t in range(k):
            if delta[t] != 0:
                faxpy(<int> m, -delta[t], (<const floating*> d.X) + j * m, R + t * m)
    else:
        data = <const floating*> d.data
        sparse_range(d, j, &start, &stop)
        for e in range(start, stop):
            i = sparse_row(d, e)
            x = data[e]
            for t in range(k):
                R[i * k + t] -= x * delta[t]
        if d.center:
            mean_j = (<const floating*> d.mean)[j]
            xv_j = (<const floating*> d.xv)[j]
            for t in range(k):
                r.vr[t] -= delta[t] * xv_j
                r.c[t] += delta[t] * mean_j


cdef void residual_from(Data* d, const floating* W, Resid* r) noexcept nogil:
    """R = Y - X~ W, touching only the non-zero rows."""
    cdef int j, t, k = d.k
    cdef size_t i, m = <size_t> (d.p if d.mode == GRAM else d.n)
    cdef floating* R = <floating*> r.R
    cdef const floating* v
    memcpy(R, d.Y, m * k * sizeof(floating))
    for t in range(k):
        r.c[t] = 0.0
        r.vr[t] = 0.0
    for j in range(d.p):
        if row_nonzero(k, W + <size_t> j * k):
            row_update(d, j, W + <size_t> j * k, r)
    if d.mode == SPARSE and d.center:
        v = <const floating*> d.v
        for t in range(k):
            r.vr[t] = 0.0
        for i in range(<size_t> d.n):
            for t in range(k):
                r.vr[t] += v[i] * R[i * k + t]


cdef void residual_stats(Data* d, const floating* W, Resid* r,
                         double* rr, double* ry) noexcept nogil:
    """rr = ||residual||_F^2 and ry = <residual, Y>, from the residual state."""
    cdef const floating* R = <const floating*> r.R
    cdef const floating* Y = <const floating*> d.Y
    cdef size_t nk = <size_t> d.n * d.k, i
    cdef double wq = 0.0, wg = 0.0, a = 0.0, b = 0.0
    cdef int t
    if d.mode == GRAM:
        # ||Y - XW||^2 = ||Y||^2 - 2 <W, X'Y> + <W, QW> and QW = X'Y - X'R
        # (W is C-ordered (p, k), X'Y and X'R Fortran)
        for t in range(d.k):
            for i in range(<size_t> d.p):
                wq += <double> W[i * d.k + t] * Y[i + t * <size_t> d.p]
                wg += <double> W[i * d.k + t] * R[i + t * <size_t> d.p]
        ry[0] = d.yy - wq
        rr[0] = max(ry[0] - wg, 0.0)
        return
    for i in range(nk):
        a += <double> R[i] * R[i]
        b += <double> R[i] * Y[i]
    if d.mode == SPARSE and d.center:
        for t in range(d.k):
            a += 2.0 * r.c[t] * r.vr[t] + r.c[t] * r.c[t] * d.vv
            b += r.c[t] * d.vy[t]
    rr[0] = a
    ry[0] = b


# ------------------------------------------------------------------------------------------
# Per-row math

cdef inline bint row_nonzero(int k, const floating* w) noexcept nogil:
    cdef int t
    for t in range(k):
        if w[t] != 0:
            return True
    return False


cdef inline double row_sq(int k, const floating* w) noexcept nogil:
    cdef int t
    cdef double s = 0.0
    for t in range(k):
        s += <double> w[t] * w[t]
    return s


cdef inline double dual_row_norm(int k, const floating* u, const floating* w, floating beta,
                                 bint positive) noexcept nogil:
    """||(u - beta w)_(+)||_2: the row norm the dual constraint bounds (positive part when
    W >= 0, the only direction in which the row can leave 0)."""
    cdef int t
    cdef double s = 0.0, x
    for t in range(k):
        x = u[t] - beta * w[t]
        if positive and x < 0:
            continue
        s += x * x
    return sqrt(s)


cdef inline void row_prox(int k, const floating* w, const floating* u, floating L, floating lam,
                          floating beta, bint positive, floating* out) noexcept nogil:
    """out = argmin_x L/2 ||x - w - u / L||^2 + lam ||x|| + beta/2 ||x||^2 (x >= 0 if positive):
    group soft-thresholding of L w + u (projected on x >= 0 first, which commutes with it)."""
    cdef int t
    cdef double s = 0.0, z, scale
    for t in range(k):
        z = L * w[t] + u[t]
        if positive and z < 0:
            z = 0.0
        out[t] = <floating> z
        s += z * z
    s = sqrt(s)
    if s <= lam:
        memset(out, 0, k * sizeof(floating))
        return
    scale = (1.0 - lam / s) / (L + beta)
    for t in range(k):
        out[t] = <floating> (out[t] * scale)


cdef double primal_value(int m, const int* idx, int k, const floating* W,
                         const floating* lam, const floating* beta, double rr) noexcept nogil:
    cdef int jj, j
    cdef double pen = 0.0, sq
    for jj in range(m):
        j = idx[jj]
        sq = row_sq(k, W + <size_t> j * k)
        if sq > 0:
            pen += lam[j] * sqrt(sq) + 0.5 * beta[j] * sq
    return 0.5 * rr + pen


cdef floating duality_gap(int m, const int* idx, int k, const floating* W, const floating* U,
                          const floating* lam, const floating* beta, bint positive,
                          double rr, double ry, floating* s_a, floating* gap_a) noexcept nogil:
    """Duality gap of the problem restricted to rows idx[:m], with U_j = x~_j' R.

    The dual points are rescaled residuals Theta = s R, in two formulations:
      A: the L2 term folded into an augmented design [X; sqrt(beta) I] (scikit-learn's), feasible
         for s <= min_j lam_j / ||x_j' R - beta_j W_j||; s is 1 capped there, or the dual-optimal
         scaling when it is larger;
      B: the exact Fenchel conjugate of each row penalty, (||v|| - lam)_+^2 / (2 beta), which needs
         no rescaling for rows with beta > 0.
    The best gap is returned; A's scaling and gap (a gap-safe sphere) are written out."""
    cdef int jj, j
    cdef double pen = 0.0, wbw = 0.0, sq, nrm, primal, d1, d2, sa, s_opt, c1, c2, e
    cdef double sa_max = INFINITY, sb_max = INFINITY
    cdef bint use_b = False
    cdef floating zero = 0.0
    cdef double best
    for jj in range(m):
        j = idx[jj]
        sq = row_sq(k, W + <size_t> j * k)
        if sq > 0:
            pen += lam[j] * sqrt(sq) + 0.5 * beta[j] * sq
            wbw += beta[j] * sq
        if beta[j] > 0:
            use_b = True
        nrm = dual_row_norm(k, U + <size_t> j * k, W + <size_t> j * k, beta[j], positive)
        if nrm > 0:
            sa_max = min(sa_max, lam[j] / nrm)
        if beta[j] == 0 and nrm > 0:
            sb_max = min(sb_max, lam[j] / nrm)
    primal = 0.5 * rr + pen

    s_opt = ry / (rr + wbw) if rr + wbw > 0 else 1.0
    s_opt = min(max(s_opt, 0.0), sa_max)
    sa = min(1.0, sa_max)
    d1 = -0.5 * sa * sa * (rr + wbw) + sa * ry
    d2 = -0.5 * s_opt * s_opt * (rr + wbw) + s_opt * ry
    s_a[0] = <floating> (sa if d1 >= d2 else s_opt)
    gap_a[0] = <floating> max(primal - max(d1, d2), 0.0)
    best = gap_a[0]
    if use_b:
        sa = min(1.0, sb_max)
        s_opt = ry / rr if rr > 0 else 1.0
        s_opt = min(max(s_opt, 0.0), sb_max)
        c1 = 0.0
        c2 = 0.0
        for jj in range(m):
            j = idx[jj]
            if beta[j] > 0:
                nrm = dual_row_norm(k, U + <size_t> j * k, W, zero, positive)
                e = sa * nrm - lam[j]
                if e > 0:
                    c1 += e * e / (2.0 * beta[j])
                e = s_opt * nrm - lam[j]
                if e > 0:
                    c2 += e * e / (2.0 * beta[j])
        d1 = -0.5 * sa * sa * rr + sa * ry - c1
        d2 = -0.5 * s_opt * s_opt * rr + s_opt * ry - c2
        best = min(best, max(primal - max(d1, d2), 0.0))
    return <floating> best


cdef floating gap_on(Data* d, int m, const int* idx, const floating* W, Resid* r, floating* U,
                     const floating* lam, const floating* beta, bint positive,
                     floating* s_a, floating* gap_a) noexcept nogil:
    """Duality gap of the problem restricted to rows idx[:m]; fills U_j = x~_j' R for them."""
    cdef int jj, j
    cdef double rr, ry
    for jj in range(m):
        j = idx[jj]
        row_grad(d, j, r, U + <size_t> j * d.k)
    residual_stats(d, W, r, &rr, &ry)
    return duality_gap(m, idx, d.k, W, U, lam, beta, positive, rr, ry, s_a, gap_a)


# ------------------------------------------------------------------------------------------
# The solver

cdef int bcd_epochs(Data* d, floating* W, const floating* norms2,
                    const floating* lam, const floating* beta, bint positive,
                    int max_epochs, floating tol, bint use_ws, bint screen, bint accel,
                    bint random, uint32_t* rng, Resid* r, Resid* r_acc,
                    floating* U, floating* score, int* active, int* ws, uint8_t* in_ws,
                    floating* delta, floating* row, floating* W_acc, floating* H,
                    floating* gap_out) noexcept nogil:
    """Minimise P(W) in place from W until its duality gap is <= tol. Returns the number of
    epochs (passes over the working set); the gap reached goes to gap_out."""
    cdef int p = d.p, k = d.k
    cdef int j, jj, t, i, epoch = 0, n_active, n_ws, ws_size, n_hist, nnz, ws_floor, ws_base
    cdef int ws_len, q
    cdef floating gap = INFINITY, prev_gap, sub_gap, s_a, gap_a, tol_in, radius, z
    cdef double rr, ry, p_old, p_new, nrm
    cdef floating C[ANDERSON_K * ANDERSON_K]
    cdef floating zc[ANDERSON_K]
    cdef void* swap
    cdef double* dswap
    cdef floating* w_j

    # Rows that can never move are left out from the start: excluded (lam = inf) or zero columns.
    n_active = 0
    for j in range(p):
        if lam[j] == INFINITY or norms2[j] <= 0:
            memset(W + <size_t> j * k, 0, k * sizeof(floating))
        else:
            active[n_active] = j
            n_active += 1
    residual_from(d, W, r)
    ws_floor = 10
    ws_base = ws_floor
    prev_gap = INFINITY

    while True:
        if floating is float and epoch > 0 and d.mode != GRAM:
            # float32 residuals drift from Y - XW over many updates: start each outer
            # iteration from a fresh one so the gap can reach float32 precision
            residual_from(d, W, r)
        gap = gap_on(d, n_active, active, W, r, U, lam, beta, positive, &s_a, &gap_a)
        if gap <= tol or epoch >= max_epochs:
            break
        if screen:
            # Gap-safe rule (sphere of A's dual point): ||x~_j' Theta*|| < lam_j => W_j* = 0.
            radius = sqrt(2.0 * gap_a)
            q = 0
            for jj in range(n_active):
                j = active[jj]
                w_j = W + <size_t> j * k
                nrm = s_a * dual_row_norm(k, U + <size_t> j * k, w_j, beta[j], positive)
                if nrm + radius * sqrt(norms2[j] + beta[j]) < lam[j]:
                    if row_nonzero(k, w_j):
                        for t in range(k):
                            row[t] = -w_j[t]
                        row_update(d, j, row, r)          # R += x~_j W_j'
                        memset(w_j, 0, k * sizeof(floating))
                else:
                    active[q] = j
                    q += 1
            n_active = q
        nnz = 0
        for jj in range(n_active):
            if row_nonzero(k, W + <size_t> active[jj] * k):
                nnz += 1
        if use_ws:
            if gap > 0.5 * prev_gap:
                ws_floor = 2 * ws_floor
            else:
                ws_floor = ws_base
            prev_gap = gap
            ws_size = min(max(ws_floor, 2 * nnz), n_active)
        else:
            ws_size = n_active
        if ws_size < n_active:
            # the support always stays; the zero rows closest to their constraint join it
            nnz = 0
            q = n_active
            for jj in range(n_active):
                j = active[jj]
                if row_nonzero(k, W + <size_t> j * k):
                    ws[nnz] = j
                    nnz += 1
                else:
                    nrm = s_a * dual_row_norm(k, U + <size_t> j * k, W + <size_t> j * k,
                                              beta[j], positive)
                    score[j] = <floating> ((lam[j] - nrm) / sqrt(norms2[j] + beta[j]))
                    q -= 1
                    ws[q] = j
            select_smallest(ws + nnz, n_active - nnz, ws_size - nnz, score)
            for jj in range(n_active):
                in_ws[active[jj]] = 0
            for jj in range(ws_size):
                in_ws[ws[jj]] = 1
            n_ws = 0
            for jj in range(n_active):              # natural order: cache friendly
                j = active[jj]
                if in_ws[j]:
                    ws[n_ws] = j
                    n_ws += 1
            tol_in = max(<floating> 0.3 * gap, tol)
        else:
            n_ws = n_active
            memcpy(ws, active, n_active * sizeof(int))
            tol_in = tol

        # ---- block coordinate descent on the working set, with Anderson extrapolation
        ws_len = n_ws * k
        n_hist = 0
        if accel:
            for jj in range(n_ws):
                memcpy(H + <size_t> jj * k, W + <size_t> ws[jj] * k, k * sizeof(floating))
            n_hist = 1
        while True:
            for jj in range(n_ws):
                if random:
                    j = ws[xorshift(rng) % n_ws]
                else:
                    j = ws[jj]
                w_j = W + <size_t> j * k
                row_grad(d, j, r, delta)
                row_prox(k, w_j, delta, norms2[j], lam[j], beta[j], positive, row)
                nnz = 0
                for t in range(k):
                    delta[t] = row[t] - w_j[t]
                    if delta[t] != 0:
                        nnz = 1
                if nnz:
                    row_update(d, j, delta, r)
                    memcpy(w_j, row, k * sizeof(floating))
            epoch += 1

            if accel:
                for jj in range(n_ws):
                    memcpy(H + <size_t> n_hist * ws_len + <size_t> jj * k,
                           W + <size_t> ws[jj] * k, k * sizeof(floating))
                n_hist += 1
                if n_hist == ANDERSON_K + 1:
                    if anderson_step(ws_len, ANDERSON_K, H, C, zc):
                        memcpy(W_acc, W, <size_t> p * k * sizeof(floating))
                        for jj in range(n_ws):
                            j = ws[jj]
                            for t in range(k):
                                z = 0.0
                                for i in range(ANDERSON_K):
                                    z += zc[i] * H[<size_t> (i + 1) * ws_len + jj * k + t]
                                if positive and z < 0:
                                    z = 0.0
                                W_acc[<size_t> j * k + t] = z
                        residual_from(d, W_acc, r_acc)
                        residual_stats(d, W, r, &rr, &ry)
                        p_old = primal_value(n_ws, ws, k, W, lam, beta, rr)
                        residual_stats(d, W_acc, r_acc, &rr, &ry)
                        p_new = primal_value(n_ws, ws, k, W_acc, lam, beta, rr)
                        if p_new < p_old:
                            memcpy(W, W_acc, <size_t> p * k * sizeof(floating))
                            swap = r.R; r.R = r_acc.R; r_acc.R = swap
                            dswap = r.c; r.c = r_acc.c; r_acc.c = dswap
                            dswap = r.vr; r.vr = r_acc.vr; r_acc.vr = dswap
                    for jj in range(n_ws):
                        memcpy(H + <size_t> jj * k, W + <size_t> ws[jj] * k,
                               k * sizeof(floating))
                    n_hist = 1

            if epoch >= max_epochs:
                break
            if epoch % GAP_EVERY == 0:
                sub_gap = gap_on(d, n_ws, ws, W, r, U, lam, beta, positive, &s_a, &gap_a)
                if sub_gap <= tol_in:
                    break

    gap_out[0] = gap
    return epoch


cdef int bcd_path(Data* d, floating* W, const floating* norms2,
                  const floating* lam0, const floating* beta0, bint positive,
                  int n_alphas, const double* scales, floating* coefs, floating* gaps,
                  int* epochs, int max_epochs, floating tol, bint use_ws, bint screen,
                  bint accel, bint random, uint32_t seed) noexcept nogil:
    """bcd_epochs() for penalties (scales[i, 0] * lam0, scales[i, 1] * beta0), i = 0..n_alphas-1,
    each warm-started from the previous solution; solution i goes to coefs[i * p * k:].
    Returns -1 on allocation failure."""
    cdef int i, j, p = d.p, k = d.k
    cdef size_t pk = <size_t> p * k
    cdef size_t m_len = <size_t> (p if d.mode == GRAM else d.n) * k
    cdef uint32_t rng = seed if seed != 0 else 1
    cdef int status = 0
    cdef Resid r, r_acc
    cdef floating* lam = <floating*> malloc(p * sizeof(floating))
    cdef floating* beta = <floating*> malloc(p * sizeof(floating))
    cdef floating* U = <floating*> malloc(pk * sizeof(floating))
    cdef floating* score = <floating*> malloc(p * sizeof(floating))
    cdef int* active = <int*> malloc(p * sizeof(int))
    cdef int* ws = <int*> malloc(p * sizeof(int))
    cdef uint8_t* in_ws = <uint8_t*> malloc(p * sizeof(uint8_t))
    cdef floating* delta = <floating*> malloc(k * sizeof(floating))
    cdef floating* row = <floating*> malloc(k * sizeof(floating))
    cdef floating* W_acc = <floating*> malloc(pk * sizeof(floating)) if accel else NULL
    cdef floating* H = (<floating*> malloc((ANDERSON_K + 1) * pk * sizeof(floating))
                        if accel else NULL)
    r.R = malloc(m_len * sizeof(floating))
    r_acc.R = malloc(m_len * sizeof(floating)) if accel else NULL
    r.c = <double*> malloc(k * sizeof(double))
    r.vr = <double*> malloc(k * sizeof(double))
    r_acc.c = <double*> malloc(k * sizeof(double))
    r_acc.vr = <double*> malloc(k * sizeof(double))
    if (lam == NULL or beta == NULL or U == NULL or score == NULL or active == NULL
            or ws == NULL or in_ws == NULL or delta == NULL or row == NULL or r.R == NULL
            or r.c == NULL or r.vr == NULL or r_acc.c == NULL or r_acc.vr == NULL
            or (accel and (W_acc == NULL or H == NULL or r_acc.R == NULL))):
        status = -1
    else:
        for i in range(n_alphas):
            for j in range(p):
                lam[j] = <floating> (scales[2 * i] * lam0[j])
                beta[j] = <floating> (scales[2 * i + 1] * beta0[j])
            epochs[i] = bcd_epochs(d, W, norms2, lam, beta, positive, max_epochs, tol, use_ws,
                                   screen, accel, random, &rng, &r, &r_acc, U, score, active,
                                   ws, in_ws, delta, row, W_acc, H, &gaps[i])
            memcpy(coefs + <size_t> i * pk, W, pk * sizeof(floating))
    free(lam); free(beta); free(U); free(score); free(active); free(ws); free(in_ws)
    free(delta); free(row); free(W_acc); free(H); free(r.R); free(r_acc.R)
    free(r.c); free(r.vr); free(r_acc.c); free(r_acc.vr)
    return status


# ------------------------------------------------------------------------------------------
# Python entry points: no validation here, the Python layer (skreg._solve) has done it.

cdef object run(Data* d, floating[:, ::1] W, const floating[::1] norms2,
                const floating[::1] lam, const floating[::1] beta, bint positive,
                const double[:, ::1] scales, floating[:, :, ::1] coefs, int max_epochs,
                floating tol, bint use_ws, bint screen, bint accel, bint random, uint32_t seed):
    cdef int n_alphas = scales.shape[0], status = 0
    gaps_arr = np.zeros(n_alphas, dtype=np.asarray(norms2).dtype)
    epochs_arr = np.zeros(n_alphas, dtype=np.intc)
    cdef floating[::1] gaps = gaps_arr
    cdef int[::1] epochs = epochs_arr
    if n_alphas == 0 or d.p == 0 or d.k == 0:
        return gaps_arr, epochs_arr
    with nogil:
        status = bcd_path(d, &W[0, 0], &norms2[0], &lam[0], &beta[0], positive, n_alphas,
                          &scales[0, 0], &coefs[0, 0, 0], &gaps[0], &epochs[0], max_epochs,
                          tol, use_ws, screen, accel, random, seed)
    if status < 0:
        raise MemoryError("skreg: could not allocate the block coordinate descent workspace")
    return gaps_arr, epochs_arr


def mt_dense(floating[:, ::1] W, const floating[::1, :] X, const floating[::1, :] Y,
             const floating[::1] norms2, const floating[::1] lam, const floating[::1] beta,
             bint positive, const double[:, ::1] scales, floating[:, :, ::1] coefs,
             int max_epochs, floating tol, bint use_ws=True, bint screen=True, bint accel=True,
             bint random=False, uint32_t seed=1):
    """Multi-task block CD on a centred Fortran-ordered X and Y (n, k), for the
    penalties (scales[i, 0] * lam, scales[i, 1] * beta) in turn from W (p, k), warm-started;
    solution i goes to coefs[i]. Returns (gaps, epochs), one per penalty."""
    cdef Data d
    d.mode = DENSE
    d.n = X.shape[0]
    d.p = X.shape[1]
    d.k = Y.shape[1]
    d.X = &X[0, 0] if d.n > 0 and d.p > 0 else NULL
    d.Y = &Y[0, 0] if d.n > 0 and d.k > 0 else NULL
    d.center = False
    return run(&d, W, norms2, lam, beta, positive, scales, coefs, max_epochs, tol, use_ws,
               screen, accel, random, seed)


def mt_sparse(floating[:, ::1] W, const floating[::1] data, const index_t[::1] indices,
              const index_t[::1] indptr, int n, const floating[::1] X_mean,
              const floating[::1] v, bint center, const floating[:, ::1] Y,
              const floating[::1] norms2, const floating[::1] lam, const floating[::1] beta,
              bint positive, const double[:, ::1] scales, floating[:, :, ::1] coefs,
              int max_epochs, floating tol, bint use_ws=True, bint screen=True,
              bint accel=True, bint random=False, uint32_t seed=1):
    """Multi-task block CD on a CSC matrix centred implicitly (column j is
    x_j - X_mean[j] * v); see mt_dense."""
    cdef Data d
    cdef int j, t
    cdef index_t e
    cdef int p = indptr.shape[0] - 1
    cdef int k = Y.shape[1]
    cdef floating dummy = 0
    xv_arr = np.zeros(p, dtype=np.asarray(v).dtype)
    vy_arr = np.zeros(k, dtype=np.float64)
    cdef floating[::1] xv = xv_arr
    cdef double[::1] vy = vy_arr
    d.mode = SPARSE
    d.n = n
    d.p = p
    d.k = k
    d.data = &data[0] if data.shape[0] > 0 else &dummy
    d.indices = &indices[0] if indices.shape[0] > 0 else NULL
    d.indptr = &indptr[0]
    d.idx64 = index_t is int64_t
    d.center = center
    d.mean = &X_mean[0] if p > 0 else NULL
    d.v = &v[0]
    d.Y = &Y[0, 0] if n > 0 and k > 0 else NULL
    d.vv = 0.0
    if center:
        for j in range(p):
            for e in range(indptr[j], indptr[j + 1]):
                xv[j] += data[e] * v[indices[e]]
        for j in range(n):
            d.vv += <double> v[j] * v[j]
            for t in range(k):
                vy[t] += <double> v[j] * Y[j, t]
    d.xv = &xv[0] if p > 0 else NULL
    d.vy = &vy[0] if k > 0 else NULL
    return run(&d, W, norms2, lam, beta, positive, scales, coefs, max_epochs, tol, use_ws,
               screen, accel, random, seed)


def mt_gram(floating[:, ::1] W, const floating[:, ::1] Q, const floating[::1, :] XtY, double yy,
            const floating[::1] lam, const floating[::1] beta, bint positive,
            const double[:, ::1] scales, floating[:, :, ::1] coefs, int max_epochs,
            floating tol, bint use_ws=True, bint screen=True, bint accel=True,
            bint random=False, uint32_t seed=1):
    """Multi-task block CD on the Gram matrix Q = X'X (symmetric: C order is column access),
    XtY = X'Y (p, k) in Fortran order and yy = ||Y||_F^2; see mt_dense."""
    cdef Data d
    cdef int j
    cdef int p = Q.shape[0]
    diag_arr = np.empty(p, dtype=np.asarray(XtY).dtype)
    cdef floating[::1] diag = diag_arr
    for j in range(p):
        diag[j] = Q[j, j]
    d.mode = GRAM
    d.n = 0
    d.p = p
    d.k = XtY.shape[1]
    d.X = &Q[0, 0] if p > 0 else NULL
    d.Y = &XtY[0, 0] if p > 0 and d.k > 0 else NULL
    d.yy = yy
    d.center = False
    return run(&d, W, diag, lam, beta, positive, scales, coefs, max_epochs, tol, use_ws,
               screen, accel, random, seed)
