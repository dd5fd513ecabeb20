"""Global options of skreg: `set_config`, `get_config`, `config_context`."""

from contextlib import contextmanager
from numbers import Integral, Real

_config = {
    # Largest p x p float64 matrix (X'X) skreg builds from dask data: 1 GiB, p <= 11585.
    "max_gram_bytes": 2**30,
}


def get_config():
    """The current values of skreg's global options (a copy).

    Returns
    -------
    config : dict
        ``{"max_gram_bytes": int}``.
    """
    return dict(_config)


def set_config(*, max_gram_bytes=None):
    """Set skreg's global options (those left as None keep their value).

    Parameters
    ----------
    max_gram_bytes : int, default=None
        Largest p x p float64 Gram matrix ``X.T @ X`` (``8 * n_features**2`` bytes) that the
        estimators build when they are given a dask array. A fit holds two such matrices on the
        client, cross-validation ``n_folds + 3``, and each dask task one per chunk. Default
        1 GiB (up to 11585 features). Above it, fitting raises a ``ValueError`` instead of
        exhausting memory.
    """
    if max_gram_bytes is not None:
        if not isinstance(max_gram_bytes, (Integral, Real)) or max_gram_bytes <= 0:
            raise ValueError(f"max_gram_bytes must be a positive number, got {max_gram_bytes!r}.")
        _config["max_gram_bytes"] = int(max_gram_bytes)


@contextmanager
def config_context(**options):
    """Set skreg's global options inside a ``with`` block (see `set_config`).

    Parameters
    ----------
    **options : dict
        Options of :func:`set_config` (``max_gram_bytes``), restored on exit.

    Yields
    ------
    None
    """
    old = get_config()
    set_config(**options)
    try:
        yield
    finally:
        _config.update(old)
