"""skreg's options: per thread (as scikit-learn's), restored by config_context even on error,
one clear message for each bad value, and read by the caller's thread when a search fits dask
data."""

import threading

import numpy as np
import pytest

import skreg
from skreg import config_context, get_config, set_config

DEFAULT = 2**30


@pytest.fixture(autouse=True)
def _restore_this_thread():
    with config_context(max_gram_bytes=get_config()["max_gram_bytes"]):
        yield


def test_defaults_and_copy():
    config = get_config()
    assert config == {"max_gram_bytes": DEFAULT}
    config["max_gram_bytes"] = 5  # a copy: changing it changes nothing
    assert get_config()["max_gram_bytes"] == DEFAULT


def test_set_config_and_nested_contexts():
    set_config(max_gram_bytes=2**20)
    assert get_config()["max_gram_bytes"] == 2**20
    set_config()  # None keeps the value
    assert get_config()["max_gram_bytes"] == 2**20
    with config_context(max_gram_bytes=1000):
        assert get_config()["max_gram_bytes"] == 1000
        with config_context():
            assert get_config()["max_gram_bytes"] == 1000
        with config_context(max_gram_bytes=7):
            assert get_config()["max_gram_bytes"] == 7
        assert get_config()["max_gram_bytes"] == 1000
    assert get_config()["max_gram_bytes"] == 2**20


def test_context_restores_on_error():
    with pytest.raises(RuntimeError, match="boom"):
        with config_context(max_gram_bytes=100):
            set_config(max_gram_bytes=200)  # also undone: the value on entry comes back
            raise RuntimeError("boom")
    assert get_config()["max_gram_bytes"] == DEFAULT


def test_interleaved_contexts_in_two_threads():
    """Thread A enters, thread B enters, A exits, B exits: each thread sees only its own
    value, and both end with the defaults (a process-wide dict ended with A's value)."""
    step = threading.Barrier(2)
    seen, errors = {}, []

    def worker(name, value, exit_first):
        try:
            with config_context(max_gram_bytes=value):
                step.wait()  # both inside their context
                seen[name, "inside"] = get_config()["max_gram_bytes"]
                if not exit_first:
                    step.wait()  # let the other one leave first
            if exit_first:
                step.wait()
            seen[name, "after"] = get_config()["max_gram_bytes"]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            step.abort()

    threads = [threading.Thread(target=worker, args=("a", 100, True)),
               threading.Thread(target=worker, args=("b", 200, False))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert seen == {("a", "inside"): 100, ("b", "inside"): 200,
                    ("a", "after"): DEFAULT, ("b", "after"): DEFAULT}
    assert get_config()["max_gram_bytes"] == DEFAULT


def test_new_threads_start_from_the_defaults():
    values = []
    with config_context(max_gram_bytes=12345):
        t = threading.Thread(target=lambda: values.append(get_config()["max_gram_bytes"]))
        t.start()
        t.join(30)
        other = threading.Thread(target=lambda: set_config(max_gram_bytes=99))
        other.start()
        other.join(30)
        assert get_config()["max_gram_bytes"] == 12345  # untouched by the other thread
    assert values == [DEFAULT]


@pytest.mark.parametrize("value, accepted", [
    (1, 1), (2**40, 2**40), (np.int64(4096), 4096), (1e9, 10**9), (np.float64(2.0**20), 2**20),
])
def test_accepted_values(value, accepted):
    set_config(max_gram_bytes=value)
    stored = get_config()["max_gram_bytes"]
    assert stored == accepted and type(stored) is int


@pytest.mark.parametrize("value, detail", [
    (0.5, "not a whole number"), (2.5e3 + 0.25, "not a whole number"),
    (float("inf"), "inf"), (-float("inf"), "inf"), (float("nan"), "nan"),
    (True, "bool"), (False, "bool"), (np.bool_(True), "bool"),
    (0, "got 0"), (-5, "got -5"), (-1e9, "got -1000000000"),
    ("1e9", "str"), ([1], "list"),
])
def test_bad_values_one_clear_message(value, detail):
    set_config(max_gram_bytes=2**20)
    message = "max_gram_bytes must be a positive integer number of bytes"
    with pytest.raises(ValueError, match=message) as info:
        set_config(max_gram_bytes=value)
    assert detail in str(info.value)
    with pytest.raises(ValueError, match=message):
        with config_context(max_gram_bytes=value):
            pytest.fail("the block must not run with a bad value")  # pragma: no cover
    assert get_config()["max_gram_bytes"] == 2**20  # nothing changed


def test_unknown_option():
    with pytest.raises(TypeError):
        set_config(max_gram=1)
    with pytest.raises(TypeError):
        with config_context(max_gram=1):
            pass  # pragma: no cover


def test_searches_on_dask_data_read_the_callers_config():
    """skreg's searches check the limit in the caller's thread before sending work anywhere,
    so a joblib backend with worker threads (whose options are the defaults) changes nothing."""
    da = pytest.importorskip("dask.array")
    joblib = pytest.importorskip("joblib")
    X = da.from_array(np.random.RandomState(0).randn(40, 30), chunks=(10, 30))
    y = da.from_array(np.arange(40.0), chunks=10)
    searches = [skreg.LassoCV(cv=skreg.ChunkKFold(2), n_jobs=2),
                skreg.PathSearchCV(skreg.Lasso(), {"alpha": [0.1, 1.0]},
                                   cv=skreg.ChunkKFold(2), n_jobs=2)]
    with joblib.parallel_backend("threading", n_jobs=2):
        for search in searches:
            with config_context(max_gram_bytes=8 * 30 * 30 - 1):
                with pytest.raises(ValueError, match="max_gram_bytes"):
                    search.fit(X, y)
            with config_context(max_gram_bytes=8 * 30 * 30):
                search.fit(X, y)
