# Fused-type wrappers over scipy's BLAS/LAPACK, so that kernels read like the math.
# BLAS takes non-const pointers; inputs we only read are cast, never written.

from scipy.linalg.cython_blas cimport ddot, sdot, daxpy, saxpy, dgemv, sgemv
from scipy.linalg.cython_lapack cimport dposv, sposv


cdef inline floating fdot(int n, const floating* x, const floating* y) noexcept nogil:
    """x @ y"""
    cdef int inc = 1
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
    cdef int inc = 1
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
    if floating is double:
        dgemv(&trans, &n, &p, &one, <double*> A, &n, <double*> x, &inc, &zero, y, &inc)
    else:
        sgemv(&trans, &n, &p, &one, <float*> A, &n, <float*> x, &inc, &zero, y, &inc)


cdef inline int fposv(int k, floating* C, floating* z) noexcept nogil:
    """Solve C @ x = z in place (C symmetric positive definite, k x k); 0 on success."""
    cdef char uplo = b'U'
    cdef int nrhs = 1
    cdef int info = 0
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
    if floating is double:
        dgemv(&trans, &n, &k, &a, <double*> A, &n, <double*> x, &inc, &one, y, &inc)
    else:
        sgemv(&trans, &n, &k, &a, <float*> A, &n, <float*> x, &inc, &one, y, &inc)


cdef inline int fcholesky_solve(int k, floating* C, floating* b) noexcept nogil:
    """Solve C @ x = b in place by Cholesky (upper triangle of C used); 0 on success."""
    cdef char uplo = b'U'
    cdef int nrhs = 1
    cdef int info = 0
    if floating is double:
        dpotrf(&uplo, &k, C, &k, &info)
        if info == 0:
            dpotrs(&uplo, &k, &nrhs, C, &k, b, &k, &info)
    else:
        spotrf(&uplo, &k, C, &k, &info)
        if info == 0:
            spotrs(&uplo, &k, &nrhs, C, &k, b, &k, &info)
    return info
