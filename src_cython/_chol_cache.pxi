# A Cholesky factor of the support's Gram matrix kept between exact Newton steps.
#
# Along a path (and between the steps of one solve) the support mostly grows by a few
# features, and the factor of G[S, S] + diag(beta_S) for a set S is extended to S + N by
# solving for the m = |N| new columns against it: k^2 m + m^3 / 3 flops instead of
# (k + m)^3 / 3. Its features are kept in the order they entered; a feature that left the
# support (or whose beta changed) cuts the factor back to the prefix before it, which is still
# the factor of that prefix's Gram matrix.
# Needs _blas.pxi (potrf, syrk, fdot) included first.

from libc.stdlib cimport realloc
from scipy.linalg.cython_blas cimport dtrsm, strsm, dtrsv, strsv

# Orders up to which the factor is extended and solved by plain loops: LAPACK's per-call and
# per-column overheads (potf2 runs a gemv and a scal per column) dominate such small factors.
DEF SMALL_FACTOR = 40


cdef struct Chol:
    int k              # order of the factor
    int cap            # allocated order (leading dimension of U)
    int p              # features of the problem
    int* order         # order[a]: the feature of row / column a
    int* pos           # pos[j]: the row of feature j, or -1
    uint8_t* mark      # p zeros (scratch)
    void* U            # upper factor, column-major, leading dimension cap (floating)
    void* shift        # shift[a]: the beta added to the diagonal of row a (floating)
    void* dinv         # dinv[a] = 1 / U[a, a] (floating)


cdef int chol_init(Chol* c, int p) noexcept nogil:
    cdef int j
    c.k = 0
    c.cap = 0
    c.p = p
    c.order = NULL
    c.U = NULL
    c.shift = NULL
    c.dinv = NULL
    c.pos = <int*> malloc(max(p, 1) * sizeof(int))
    c.mark = <uint8_t*> calloc(max(p, 1), sizeof(uint8_t))
    if c.pos == NULL or c.mark == NULL:
        free(c.pos); free(c.mark)
        c.pos = NULL
        c.mark = NULL
        return -1
    for j in range(p):
        c.pos[j] = -1
    return 0


cdef void chol_free(Chol* c) noexcept nogil:
    free(c.order); free(c.pos); free(c.U); free(c.shift); free(c.mark); free(c.dinv)
    c.order = NULL
    c.pos = NULL
    c.mark = NULL
    c.U = NULL
    c.shift = NULL
    c.dinv = NULL
    c.k = 0
    c.cap = 0


cdef void chol_cut(Chol* c, int k) noexcept nogil:
    """Keep the leading k rows / columns (the factor of their Gram matrix)."""
    cdef int a
    for a in range(k, c.k):
        c.pos[c.order[a]] = -1
    c.k = min(c.k, k)


cdef int chol_reserve(Chol* c, int k, floating dummy) noexcept nogil:
    """Room for a factor of order k (the factor kept); 0 on success."""
    cdef int cap, a
    cdef floating* U
    cdef floating* old = <floating*> c.U
    cdef int* order
    cdef floating* shift
    cdef floating* dinv
    if k <= c.cap:
        return 0
    cap = max(k, min(2 * c.cap, c.p))
    U = <floating*> malloc(<size_t> cap * cap * sizeof(floating))
    order = <int*> realloc(c.order, cap * sizeof(int))
    if order != NULL:
        c.order = order
    shift = <floating*> realloc(c.shift, cap * sizeof(floating))
    if shift != NULL:
        c.shift = shift
    dinv = <floating*> realloc(c.dinv, cap * sizeof(floating))
    if dinv != NULL:
        c.dinv = dinv
    if U == NULL or order == NULL or shift == NULL or dinv == NULL:
        free(U)
        chol_cut(c, 0)
        return -1
    for a in range(c.k):  # column a holds a + 1 entries
        memcpy(U + <size_t> a * cap, old + <size_t> a * c.cap, (a + 1) * sizeof(floating))
    free(old)
    c.U = U
    c.cap = cap
    return 0


cdef int chol_kept(Chol* c, int k, const int* S, const floating* beta) noexcept nogil:
    """How many leading rows of the factor serve the support S[:k]."""
    cdef int a, keep = 0
    cdef const floating* shift = <const floating*> c.shift
    for a in range(k):
        c.mark[S[a]] = 1
    while keep < c.k and c.mark[c.order[keep]] and shift[keep] == beta[c.order[keep]]:
        keep += 1
    for a in range(k):
        c.mark[S[a]] = 0
    return keep


cdef int chol_support(Chol* c, const floating* Q, int k, const int* S, const floating* beta,
                      int keep) noexcept nogil:
    """Make the factor that of Q[S, S] + diag(beta_S) for the support S[:k] (Q: the (p, p)
    Gram matrix), reusing its `keep` leading rows (from chol_kept). Returns potrf's info (0:
    positive definite); on failure the factor is cut back to the rows that were kept."""
    cdef int a, b, j, m, info = 0
    cdef int p = c.p
    cdef floating* U
    cdef floating* shift
    cdef floating one = 1.0
    cdef floating minus_one = -1.0
    cdef char side = b'L'
    cdef char uplo = b'U'
    cdef char trans = b'T'
    cdef char diag = b'N'
    chol_cut(c, keep)
    if chol_reserve(c, k, <floating> 0) != 0:
        return -1
    U = <floating*> c.U
    shift = <floating*> c.shift
    for a in range(k):
        j = S[a]
        if c.pos[j] < 0:
            c.pos[j] = c.k
            c.order[c.k] = j
            shift[c.k] = beta[j]
            c.k += 1
    m = k - keep
    if m == 0:
        return 0
    for b in range(keep, k):
        for a in range(b + 1):
            U[<size_t> b * c.cap + a] = Q[<size_t> c.order[b] * p + c.order[a]]
        U[<size_t> b * c.cap + b] += shift[b]
    if k <= SMALL_FACTOR:
        info = extend_small(U, c.cap, <floating*> c.dinv, keep, k)
    elif keep > 0:
        # new columns: U_kk^T X = G[kept, new]; their own block: G[new, new] - X^T X
        if floating is double:
            dtrsm(&side, &uplo, &trans, &diag, &keep, &m, &one, U, &c.cap,
                  U + <size_t> keep * c.cap, &c.cap)
            dsyrk(&uplo, &trans, &m, &keep, &minus_one, U + <size_t> keep * c.cap, &c.cap,
                  &one, U + <size_t> keep * c.cap + keep, &c.cap)
        else:
            strsm(&side, &uplo, &trans, &diag, &keep, &m, &one, U, &c.cap,
                  U + <size_t> keep * c.cap, &c.cap)
            ssyrk(&uplo, &trans, &m, &keep, &minus_one, U + <size_t> keep * c.cap, &c.cap,
                  &one, U + <size_t> keep * c.cap + keep, &c.cap)
    if k <= SMALL_FACTOR:
        pass
    elif floating is double:
        dpotrf(&uplo, &m, U + <size_t> keep * c.cap + keep, &c.cap, &info)
    else:
        spotrf(&uplo, &m, U + <size_t> keep * c.cap + keep, &c.cap, &info)
    if info != 0:
        chol_cut(c, keep)
    elif k > SMALL_FACTOR:
        for a in range(keep, k):
            (<floating*> c.dinv)[a] = 1 / U[<size_t> a * c.cap + a]
    return info


cdef int extend_small(floating* U, int ldu, floating* dinv, int keep, int k) noexcept nogil:
    """Columns keep..k-1 of the upper factor, in place over the Gram entries they hold, by
    plain loops (left-looking: each column is one forward substitution, multiplying by the
    diagonal's inverses, dinv, kept for that: a division would stall each step). Returns
    potrf's info."""
    cdef int i, b
    cdef floating s
    cdef floating* Ub
    for b in range(keep, k):
        Ub = U + <size_t> b * ldu
        for i in range(b):
            Ub[i] = (Ub[i] - fdot(i, U + <size_t> i * ldu, Ub)) * dinv[i]
        s = Ub[b] - fdot(b, Ub, Ub)
        if not s > 0:  # not positive definite (or NaN)
            return b - keep + 1
        Ub[b] = sqrt(s)
        dinv[b] = 1 / Ub[b]
    return 0


cdef int chol_solve(Chol* c, floating* b) noexcept nogil:
    """b = (U^T U)^-1 b in place, b in the factor's row order (two triangular solves: potrs
    would pack the whole factor for its one right-hand side)."""
    cdef char uplo = b'U'
    cdef char trans = b'T'
    cdef char notrans = b'N'
    cdef char diag = b'N'
    cdef int inc = 1, i, l
    cdef floating v
    cdef floating* U = <floating*> c.U
    cdef floating* dinv = <floating*> c.dinv
    if c.k <= SMALL_FACTOR:
        for i in range(c.k):                      # U^T z = b
            b[i] = (b[i] - fdot(i, U + <size_t> i * c.cap, b)) * dinv[i]
        for i in range(c.k - 1, -1, -1):          # U x = z, by columns
            b[i] *= dinv[i]
            v = b[i]
            for l in range(i):
                b[l] -= U[<size_t> i * c.cap + l] * v
        return 0
    if floating is double:
        dtrsv(&uplo, &trans, &diag, &c.k, <double*> c.U, &c.cap, b, &inc)
        dtrsv(&uplo, &notrans, &diag, &c.k, <double*> c.U, &c.cap, b, &inc)
    else:
        strsv(&uplo, &trans, &diag, &c.k, <float*> c.U, &c.cap, b, &inc)
        strsv(&uplo, &notrans, &diag, &c.k, <float*> c.U, &c.cap, b, &inc)
    return 0
