"""Every scikit-learn private name skreg uses, in one place, each with the reason it is needed.

scikit-learn does not promise these names across releases: when one moves, this module is the
only one to change.
"""

# Validation of an estimator's parameters once per fit, and the nested-validation switch that
# lets a search skip re-validating its estimator: the same decorator scikit-learn's own
# estimators use, so skreg's behave identically under `sklearn.config_context`.
from sklearn.base import _fit_context  # noqa: F401

# sample_weight validation exactly as scikit-learn's linear models do it (shapes, dtypes,
# negative weights, the scalar case), rather than a re-implementation.
from sklearn.utils.validation import _check_sample_weight  # noqa: F401

# Feature-name and n_features_in_ bookkeeping for dask inputs, which `validate_data` cannot
# take without computing them (skreg validates dask arrays lazily).
from sklearn.utils.validation import _check_feature_names as check_feature_names  # noqa: F401
from sklearn.utils.validation import _check_n_features as check_n_features  # noqa: F401

# PathSearchCV replaces GridSearchCV's per-candidate fits by per-fold paths, then hands the
# results to GridSearchCV's own machinery so that cv_results_ is exactly GridSearchCV's: the
# per-split helpers below are what BaseSearchCV.fit itself calls.
from sklearn.model_selection._search import BaseSearchCV  # noqa: F401
from sklearn.model_selection._validation import (  # noqa: F401
    _fit_and_score,
    _insert_error_scores,
    _score,
    _warn_or_raise_about_fit_failures,
)
from sklearn.utils.metaestimators import _safe_split  # noqa: F401
from sklearn.utils.validation import _check_method_params, _num_samples  # noqa: F401

# Scorer introspection: a path is scored for every alpha at once when the scorer is one of the
# standard regression metrics on predict; recognising them needs the scorer classes.
from sklearn.metrics._scorer import _MultimetricScorer, _PassthroughScorer, _Scorer  # noqa: F401

# Whether metadata routing is on (scikit-learn's own switch), to route as its estimators do.
from sklearn.utils.metadata_routing import _routing_enabled  # noqa: F401

# LassoCV / ElasticNetCV reject extra fit parameters up front when routing is off, with
# scikit-learn's own message, as its LassoCV does.
from sklearn.utils.metadata_routing import _raise_for_params  # noqa: F401

# Parameter constraints in scikit-learn's declarative form (`_parameter_constraints`).
from sklearn.utils._param_validation import Interval, StrOptions  # noqa: F401

# The same "matplotlib is required" error as scikit-learn's Displays.
from sklearn.utils._optional_dependencies import check_matplotlib_support  # noqa: F401


def init_callback_context(search, max_subtasks):
    """The root callback context of a search's fit (scikit-learn >= 1.9 callbacks)."""
    return search._init_callback_context(max_subtasks=max_subtasks)
