"""The fixtures scikit-learn's own conftest gives its coordinate-descent tests (run here against
skreg, see test_sklearn_coordinate_descent.py)."""

import os

import numpy as np
import pytest

from ._cd_harness import select


def pytest_collection_modifyitems(config, items):
    select(items, config)


def pytest_generate_tests(metafunc):
    # scikit-learn's `global_random_seed` (SKLEARN_TESTS_GLOBAL_RANDOM_SEED, default 42)
    if "global_random_seed" in metafunc.fixturenames:
        value = os.environ.get("SKLEARN_TESTS_GLOBAL_RANDOM_SEED")
        if value is None:
            seeds = [42]
        elif value == "all":
            seeds = list(range(100))
        elif "-" in value:
            start, stop = value.split("-")
            seeds = list(range(int(start), int(stop) + 1))
        else:
            seeds = [int(value)]
        metafunc.parametrize("global_random_seed", seeds)


@pytest.fixture(params=[np.float32, np.float64])
def global_dtype(request):
    return request.param
