"""Model files of the command line: skops files, loaded only when every type they hold is safe.

`skreg fit` saves a dict (format name, version, feature names, target, CV summary) holding one
fitted estimator (a skreg Lasso / ElasticNet / Ridge, or a scikit-learn Pipeline with a
StandardScaler in front of Ridge) with `skops.io`. Loading a skops file constructs objects
from their type names; skops reports the types it does not trust by default, and this module
accepts only those that are estimator classes of skreg or scikit-learn (their constructor only
stores parameters) or numpy scalar types. Functions and any other class are refused before
anything is constructed: skops may call them while loading (for instance numpy.memmap, or a
test helper that runs a script).

Pickles (written by older versions of `skreg fit`) run any code they hold when loaded: they are
read only when the caller says the file is trusted.
"""

import os
import pickle
import sys

import numpy as np
from sklearn.base import BaseEstimator

MODEL_FORMAT = "skreg-cli-model"
MODEL_VERSION = 2


class ModelFileError(ValueError):
    """A model file that cannot be written or loaded (reported on one line)."""


def _skops_io():
    try:
        import skops.io
    except ImportError:
        raise ModelFileError("model files need skops (pip install skops)") from None
    return skops.io


def save_model(path, payload):
    """Write `payload` (a dict of plain values and one fitted estimator) as a skops file."""
    try:
        _skops_io().dump(payload, path)
    except OSError as exc:
        raise ModelFileError(f"cannot write {path}: {exc.strerror}") from None


def _resolve(name):
    """The object a skops type name ('module.qualname') designates, looked up in the modules of
    skreg, scikit-learn, numpy and scipy that are already imported (a name from the file never
    imports anything); None otherwise."""
    if not name.startswith(("skreg.", "sklearn.", "numpy.", "scipy.")):
        return None
    parts = name.split(".")
    for i in range(len(parts) - 1, 0, -1):
        obj = sys.modules.get(".".join(parts[:i]))
        if obj is None:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr, None)
        return obj
    return None


def _allowed_type(name):
    """Whether a skops file may hold objects of type `name`: an estimator class of skreg or
    scikit-learn (whose constructor only stores parameters) or a numpy scalar type. Functions
    and other classes are refused: skops may call them while loading."""

    obj = _resolve(name)
    if not isinstance(obj, type):
        return False
    if issubclass(obj, np.generic):
        return True
    return issubclass(obj, BaseEstimator) and obj.__module__.startswith(("skreg.", "sklearn."))


def _load_skops(path):
    sio = _skops_io()
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # not a zip, no schema, a broken schema: not our file
        raise ModelFileError(f"{path} is not a model file written by `skreg fit` "
                             f"({type(exc).__name__})") from None
    refused = [name for name in untrusted if not _allowed_type(name)]
    if refused:
        raise ModelFileError(
            f"{path} holds types that skreg does not load: {', '.join(refused[:3])}"
            f"{' ...' if len(refused) > 3 else ''} (a model file has only skreg / scikit-learn "
            "estimators, numpy arrays and plain values; loading others could run code)")
    try:
        return sio.load(path, trusted=untrusted)
    except Exception as exc:
        raise ModelFileError(f"{path} is not a model file written by `skreg fit` "
                             f"({type(exc).__name__})") from None


def _load_pickle(path):
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception as exc:  # any unpickling failure is a bad model file
        raise ModelFileError(f"{path} is not a model file written by `skreg fit` "
                             f"({type(exc).__name__})") from None


def load_model(path, trust_pickle=False):
    """(estimator, feature names, target name) from a model file written by `skreg fit`
    (skops), or from a pickle with ``trust_pickle`` (a payload of an older `skreg fit`, or a
    fitted estimator with ``feature_names_in_``)."""
    if not os.path.exists(path):
        raise ModelFileError(f"file not found: {path}")
    if os.path.isdir(path):
        raise ModelFileError(f"{path} is a directory, not a model file")
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic[:1] == b"\x80" and not trust_pickle:
        raise ModelFileError(
            f"{path} is a pickle, and loading a pickle runs any code it holds: skreg reads "
            "skops model files (refit with `skreg fit ... --out MODEL.skops`), or pass "
            "--trust-pickle if you trust this file")
    obj = _load_pickle(path) if magic[:1] == b"\x80" else _load_skops(path)
    if isinstance(obj, dict) and obj.get("format") == MODEL_FORMAT:
        names, est = obj.get("feature_names"), obj.get("estimator")
        if (hasattr(est, "predict") and isinstance(names, list)
                and all(isinstance(n, str) for n in names)):
            return est, names, obj.get("target")
    elif hasattr(obj, "predict") and hasattr(obj, "feature_names_in_"):
        return obj, [str(c) for c in obj.feature_names_in_], None
    raise ModelFileError(f"{path} is not a model file written by `skreg fit`")
