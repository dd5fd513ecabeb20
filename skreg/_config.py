"""skreg's options: `set_config`, `get_config`, `config_context`.

As scikit-learn's configuration, the options are per thread: each thread holds its own copy,
made from the defaults below the first time it reads them. `set_config` and `config_context`
change the calling thread's copy only, so threads with their own contexts never see each
other's values, and a new thread starts from the defaults (not from the values its creator
set).

Where skreg reads them: ``max_gram_bytes`` is checked by the thread that builds the graph of a
dask computation, before any work is sent to dask (fitting Lasso, ElasticNet, Ridge, LassoCV,
ElasticNetCV, RidgeCV or PathSearchCV on dask arrays). skreg's own searches build that graph
in the caller's thread (never in a joblib worker; their workers only fit in-memory folds), so
the caller's ``config_context`` applies to them whatever the joblib backend.
"""

import math
import threading
from contextlib import contextmanager
from numbers import Integral, Real

# The defaults, never changed after import: every thread's options start as a copy of them.
_defaults = {
    # Largest p x p float64 matrix (X'X) skreg builds from dask data: 1 GiB, p <= 11585.
    "max_gram_bytes": 2**30,
}
_local = threading.local()


def _thread_config():
    """The calling thread's (mutable) options, a copy of the defaults on first use."""
    config = getattr(_local, "config", None)
    if config is None:
        config = _local.config = dict(_defaults)
    return config


def _check_max_gram_bytes(value):
    """`value` as an int number of bytes, or one clear ValueError.

    Integers (Python or numpy) and integral floats such as ``1e9`` or ``2.0**30`` are
    accepted; booleans, fractions, infinities, NaN, non-numbers and values < 1 are not."""
    reason = None
    if isinstance(value, bool) or not isinstance(value, Real):
        reason = f"got {type(value).__name__} {value!r}"
    elif isinstance(value, Integral):
        value = int(value)
    elif math.isnan(value):
        reason = "got nan"
    elif math.isinf(value):
        reason = f"got {value!r} (no limit is not an option: pass a large number of bytes)"
    elif value != math.floor(value):
        reason = f"got {value!r}, not a whole number of bytes"
    else:
        value = int(value)
    if reason is None and value < 1:
        reason = f"got {value!r}"
    if reason is not None:
        raise ValueError(
            "max_gram_bytes must be a positive integer number of bytes (e.g. 2**30 or 1e9), "
            f"or None to keep the current value; {reason}.")
    return value


def get_config():
    """The calling thread's current values of skreg's options (a copy).

    Returns
    -------
    config : dict
        ``{"max_gram_bytes": int}``.

    See Also
    --------
    set_config : Change an option in the calling thread.
    config_context : Change options inside a ``with`` block.
    """
    return dict(_thread_config())


def set_config(*, max_gram_bytes=None):
    """Set skreg's options in the calling thread (those left as None keep their value).

    As scikit-learn's ``set_config``, this changes the options of the calling thread only:
    other threads keep theirs, and threads started later begin from the defaults.

    Parameters
    ----------
    max_gram_bytes : int, default=None
        Largest p x p float64 Gram matrix ``X.T @ X`` (``8 * n_features**2`` bytes) that the
        estimators build when they are given a dask array. A fit holds two such matrices on the
        client, cross-validation ``n_folds + 3``, and each dask task one per chunk. Default
        1 GiB (up to 11585 features). Above it, fitting raises a ``ValueError`` instead of
        exhausting memory. A positive integer number of bytes; an integral float such as
        ``1e9`` is accepted (``True``, ``0.5``, ``inf`` and ``nan`` are not).

    Raises
    ------
    ValueError
        If ``max_gram_bytes`` is not a positive integer number of bytes (nothing is changed).
    """
    if max_gram_bytes is not None:
        _thread_config()["max_gram_bytes"] = _check_max_gram_bytes(max_gram_bytes)


@contextmanager
def config_context(*, max_gram_bytes=None):
    """Set skreg's options inside a ``with`` block, in the calling thread (see `set_config`).

    On exit, normal or by an exception, the calling thread's options are restored to their
    values on entry. Other threads are not affected.

    Parameters
    ----------
    max_gram_bytes : int, default=None
        See :func:`set_config`; None keeps the current value.

    Yields
    ------
    None

    Examples
    --------
    >>> import skreg
    >>> with skreg.config_context(max_gram_bytes=2**20):
    ...     skreg.get_config()["max_gram_bytes"]
    1048576
    >>> skreg.get_config()["max_gram_bytes"]
    1073741824
    """
    config = _thread_config()
    old = dict(config)
    set_config(max_gram_bytes=max_gram_bytes)  # validated before the block runs
    try:
        yield
    finally:
        config.clear()
        config.update(old)
