# Fused-type wrappers over scipy's BLAS/LAPACK, so that kernels read like the math.
# BLAS takes non-const pointers; inputs we only read are cast, never written.

from libc.math cimport sqrt

from scipy.linalg.cython_blas cimport ddot, sdot, daxpy, saxpy, dgemv, sgemv, dgemm, sgemm
from libc.stdlib cimport malloc, free
from libc.string cimport memcpy
from scipy.linalg.cython_lapack cimport dposv, sposv

# Small products and factorizations run on one thread. A threaded BLAS (OpenBLAS) splits a
# gemv, syrk or Cholesky of a few thousand flops over its threads, and each call then waits
# for them: on a machine whose cores are busy with other work, these waits made kernel calls
# 10-60x slower than with one BLAS thread. Level-1 calls (dot, axpy) stay on the calling
# thread up to this length (OpenBLAS threads them only beyond 10000), so the small level-2
# operations and the Cholesky factorization below are written as loops of dots / axpys up to
# the sizes given here, and small Gram matrices as sums of small gemm blocks (fgram_upper);
# larger ones, where threads pay for themselves, go to BLAS as they are.
DEF SMALL_N = 10000    # vector length up to which dot / axpy loops replace gemv and syrk
DEF SMALL_SYRK_K = 128 # columns up to which syrk is a sum of small gemm blocks
DEF SMALL_CHOL_K = 256 # order up to which the Cholesky factorization is a loop of dots
# The gemm blocks of fgram_upper: GRAM_COLS x GRAM_COLS outputs over GRAM_ROWS rows are
# 245760 multiply-adds, below the 262144 (65536 x 4) up to which OpenBLAS runs a gemm on the
# calling thread, and 2-4x faster than dots (each loaded value feeds a register tile instead
# of one product).
DEF GRAM_COLS = 32
DEF GRAM_ROWS = 240
# Vectors up to this length are summed and updated by plain loops: the BLAS call (through
# scipy's wrappers) costs more than the work (Gram data of 10-20 features, short supports).
DEF SHORT = 32


cdef inline floating fdot(int n, const floating* x, const floating* y) noexcept nogil:
    """x @ y"""
    cdef int inc = 1, i = 0
    cdef floating s0 = 0, s1 = 0, s2 = 0, s3 = 0
    if n <= SHORT:
        while i + 4 <= n:        # four partial sums: one would wait on each addition
            s0 += x[i] * y[i]
            s1 += x[i + 1] * y[i + 1]
            s2 += x[i + 2] * y[i + 2]
            s3 += x[i + 3] * y[i + 3]
            i += 4
        while i < n:
            s0 += x[i] * y[i]
            i += 1
        return (s0 + s1) + (s2 + s3)
    if floating is double:
        return ddot(&n, <double*> x, &inc, <double*> y, &inc)
    else:
        return sdot(&n, <float*> x, &inc, <float*> y, &inc)


cdef inline double fdot_acc(int n, const floating* x, const floating* y) noexcept nogil:
    """x @ y accumulated in float64 (float32 sums of squares lose the last digits that a
    duality gap near float32 precision depends on)."""
    cdef int i
    cdef double s = 0.0
    if floating is double:
        return fdot(n, x, y)
    for i in range(n):
        s += <double> x[i] * y[i]
    return s


cdef inline void faxpy(int n, floating a, const floating* x, floating* y) noexcept nogil:
    """y += a * x"""
    cdef int inc = 1, i
    if n <= SHORT:
        for i in range(n):
            y[i] += a * x[i]
        return
    if floating is double:
        daxpy(&n, &a, <double*> x, &inc, y, &inc)
    else:
        saxpy(&n, &a, <float*> x, &inc, y, &inc)


cdef inline void fgemv_t(int n, int p, const floating* A, const floating* x,
                         floating* y) noexcept nogil:
    """y = A.T @ x for a Fortran-ordered (n, p) matrix A."""
    cdef int inc = 1
    cdef char trans = b'T'
    cdef floating one = 1.0
    cdef floating zero = 0.0
    cdef int j
    if n <= SMALL_N:
        for j in range(p):
            y[j] = fdot(n, A + <size_t> j * n, x)
        return
    if floating is double:
        dgemv(&trans, &n, &p, &one, <double*> A, &n, <double*> x, &inc, &zero, y, &inc)
    else:
        sgemv(&trans, &n, &p, &one, <float*> A, &n, <float*> x, &inc, &zero, y, &inc)


cdef inline int fposv(int k, floating* C, floating* z) noexcept nogil:
    """Solve C @ x = z in place (C symmetric positive definite, k x k); 0 on success."""
    cdef char uplo = b'U'
    cdef int nrhs = 1
    cdef int info = 0
    if k <= SMALL_CHOL_K:
        return small_cholesky_solve(k, C, z)
    if floating is double:
        dposv(&uplo, &k, &nrhs, C, &k, z, &k, &info)
    else:
        sposv(&uplo, &k, &nrhs, C, &k, z, &k, &info)
    return info


from scipy.linalg.cython_blas cimport dsyrk, ssyrk
from scipy.linalg.cython_lapack cimport dpotrf, spotrf, dpotrs, spotrs


cdef inline void fsyrk_t(int n, int k, const floating* A, floating* C) noexcept nogil:
    """C = A.T @ A (upper triangle) for a Fortran-ordered (n, k) matrix A."""
    cdef char uplo = b'U'
    cdef char trans = b'T'
    cdef floating one = 1.0
    cdef floating zero = 0.0
    if n <= SMALL_N and k <= SMALL_SYRK_K:
        fgram_upper(n, A, NULL, k, C)
        return
    if floating is double:
        dsyrk(&uplo, &trans, &k, &n, &one, <double*> A, &n, &zero, C, &k)
    else:
        ssyrk(&uplo, &trans, &k, &n, &one, <float*> A, &n, &zero, C, &k)


cdef inline void fgemv_n(int n, int k, floating a, const floating* A, const floating* x,
                         floating* y) noexcept nogil:
    """y += a * A @ x for a Fortran-ordered (n, k) matrix A."""
    cdef int inc = 1
    cdef char trans = b'N'
    cdef floating one = 1.0
    cdef int j
    if n <= SMALL_N:
        for j in range(k):
            if x[j] != 0:
                faxpy(n, a * x[j], A + <size_t> j * n, y)
        return
    if floating is double:
        dgemv(&trans, &n, &k, &a, <double*> A, &n, <double*> x, &inc, &one, y, &inc)
    else:
        sgemv(&trans, &n, &k, &a, <float*> A, &n, <float*> x, &inc, &one, y, &inc)


cdef inline int fcholesky_solve(int k, floating* C, floating* b) noexcept nogil:
    """Solve C @ x = b in place by Cholesky (upper triangle of C used); 0 on success."""
    cdef char uplo = b'U'
    cdef int nrhs = 1
    cdef int info = 0
    if k <= SMALL_CHOL_K:
        return small_cholesky_solve(k, C, b)
    if floating is double:
        dpotrf(&uplo, &k, C, &k, &info)
        if info == 0:
            dpotrs(&uplo, &k, &nrhs, C, &k, b, &k, &info)
    else:
        spotrf(&uplo, &k, C, &k, &info)
        if info == 0:
            spotrs(&uplo, &k, &nrhs, C, &k, b, &k, &info)
    return info


cdef inline int small_cholesky_solve(int k, floating* C, floating* b) noexcept nogil:
    """Solve C @ x = b in place by Cholesky on the calling thread (C = U.T @ U with U upper,
    Fortran order, overwriting the upper triangle of C as LAPACK's potrf does; the strict
    lower triangle is not read). Returns 0, or j + 1 when the leading minor of order j + 1 is
    not positive definite (potrf's info). Columns of U are contiguous, so every inner product
    is one dot."""
    cdef int i, j
    cdef floating s
    cdef floating* Uj
    for j in range(k):
        Uj = C + <size_t> j * k
        for i in range(j):
            Uj[i] = (Uj[i] - fdot(i, C + <size_t> i * k, Uj)) / C[<size_t> i * k + i]
        s = Uj[j] - fdot(j, Uj, Uj)
        if not s > 0:  # not positive definite (or NaN)
            return j + 1
        Uj[j] = sqrt(s)
    for i in range(k):  # U.T z = b
        b[i] = (b[i] - fdot(i, C + <size_t> i * k, b)) / C[<size_t> i * k + i]
    for j in range(k - 1, -1, -1):  # U x = z, by columns
        b[j] /= C[<size_t> j * k + j]
        if j > 0 and b[j] != 0:
            faxpy(j, -b[j], C + <size_t> j * k, b)
    return 0


cdef void fgram_upper(int n, const floating* B, const int* S, int m, floating* C) noexcept nogil:
    """C = B_S.T @ B_S, upper triangle (Fortran order, m x m; the strict lower triangle of the
    diagonal blocks is written too), for the columns S of the Fortran-ordered (n, .) matrix B
    (S NULL: its first m columns), on the calling thread: gemm calls of GRAM_COLS x GRAM_COLS
    outputs over GRAM_ROWS rows. Columns picked by S are gathered a row block at a time."""
    cdef char tr = b'T'
    cdef char nt = b'N'
    cdef floating one = 1.0
    cdef floating beta
    cdef int i0 = 0, rows, a, c, ma, mc, jj, ld
    cdef floating* buf = NULL
    cdef const floating* src
    if m <= 0:
        return
    if S != NULL:
        buf = <floating*> malloc(<size_t> GRAM_ROWS * m * sizeof(floating))
        if buf == NULL:  # no room for the gather: dots on the columns in place
            for c in range(m):
                for a in range(c + 1):
                    C[a + <size_t> c * m] = fdot(n, B + <size_t> S[a] * n, B + <size_t> S[c] * n)
            return
    while i0 < n or i0 == 0:
        rows = n - i0 if n - i0 < GRAM_ROWS else GRAM_ROWS
        beta = 0.0 if i0 == 0 else 1.0
        if S != NULL:
            for jj in range(m):
                memcpy(buf + <size_t> jj * rows, B + <size_t> S[jj] * n + i0,
                       rows * sizeof(floating))
            src = buf
            ld = rows if rows > 0 else 1
        else:
            src = B + i0
            ld = n if n > 0 else 1
        for c in range(0, m, GRAM_COLS):
            mc = m - c if m - c < GRAM_COLS else GRAM_COLS
            for a in range(0, c + 1, GRAM_COLS):
                ma = m - a if m - a < GRAM_COLS else GRAM_COLS
                if floating is double:
                    dgemm(&tr, &nt, &ma, &mc, &rows, &one, <double*> src + <size_t> a * ld,
                          &ld, <double*> src + <size_t> c * ld, &ld, &beta,
                          C + a + <size_t> c * m, &m)
                else:
                    sgemm(&tr, &nt, &ma, &mc, &rows, &one, <float*> src + <size_t> a * ld,
                          &ld, <float*> src + <size_t> c * ld, &ld, &beta,
                          C + a + <size_t> c * m, &m)
        i0 += GRAM_ROWS
    free(buf)
