# Small nogil utilities shared by the kernels (included, so each kernel inlines its own copy).
# Needs _blas.pxi (fposv) included first.


cdef inline uint32_t xorshift(uint32_t* state) noexcept nogil:
    cdef uint32_t x = state[0]
    x ^= x << 13
    x ^= x >> 17
    x ^= x << 5
    state[0] = x
    return x


cdef void select_smallest(int* idx, int m, int k, const floating* score) noexcept nogil:
    """Partially reorder idx[:m] so that idx[:k] holds the k smallest scores (quickselect)."""
    cdef int left = 0, right = m - 1, i, store, tmp, mid
    cdef floating pivot
    while right > left:
        mid = left + (right - left) // 2
        pivot = score[idx[mid]]
        tmp = idx[mid]; idx[mid] = idx[right]; idx[right] = tmp
        store = left
        for i in range(left, right):
            if score[idx[i]] < pivot:
                tmp = idx[i]; idx[i] = idx[store]; idx[store] = tmp
                store += 1
        tmp = idx[store]; idx[store] = idx[right]; idx[right] = tmp
        if store == k:
            return
        elif store < k:
            left = store + 1
        else:
            right = store - 1


cdef bint anderson_step(int m, int k, const floating* H, floating* C, floating* z) noexcept nogil:
    """Extrapolation weights z (sum 1) from the k + 1 iterates H[0..k] (each of length m).

    Minimises ||sum_i z_i (H[i+1] - H[i])|| subject to sum z = 1; returns False if ill-posed."""
    cdef int i, l, jj
    cdef double s, scale = 0.0
    for i in range(k):
        for l in range(i, k):
            s = 0.0
            for jj in range(m):
                s += ((H[(i + 1) * m + jj] - H[i * m + jj])
                      * (H[(l + 1) * m + jj] - H[l * m + jj]))
            C[i * k + l] = s
            C[l * k + i] = s
        scale += C[i * k + i]
    if scale <= 0.0:
        return False
    for i in range(k * k):
        C[i] /= scale
    for i in range(k):
        C[i * k + i] += 1e-10
        z[i] = 1.0
    if fposv(k, C, z) != 0:
        return False
    s = 0.0
    for i in range(k):
        s += z[i]
    if s == 0.0 or s != s:
        return False
    for i in range(k):
        z[i] /= s
    return True
