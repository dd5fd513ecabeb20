"""Every scikit-learn private name skreg uses, in one place, for scikit-learn 1.6 to 1.9.

skreg's estimators plug into scikit-learn's machinery (parameter validation, metadata routing,
GridSearchCV's result formatting and refit) instead of re-implementing it, which needs a few
names scikit-learn does not publish. They are imported here, each with the reason it is needed,
and the rest of skreg imports them from this module, so that a scikit-learn release that moves
or changes one of them breaks (and is fixed in) one file.

Differences handled between the supported versions:

- scikit-learn 1.9 added fit callbacks: `BaseSearchCV._init_callback_context` and the
  `caller` / `callback_ctx` arguments of `_fit_and_score`. On older versions a search has no
  callbacks; `init_callback_context` then returns a context that does nothing, and
  `fit_and_score` drops the two arguments.
- scikit-learn 1.9 added the `BaseSearchCV._check_input_parameters` hook (a no-op for
  GridSearchCV); `check_input_parameters` calls it when it exists.
"""

from contextlib import nullcontext
from inspect import signature

import numpy as np
import sklearn

# Decorator of every `fit`: validates the parameters once (against `_parameter_constraints`) and
# skips the nested validation of inner estimators, as scikit-learn's own estimators do.
from sklearn.base import _fit_context

# Scorer classes: PathSearchCV scores a whole alpha path from one fit, so it must tell a plain
# scorer (`_Scorer`: its metric, sign and response method) from a multi-metric one and from the
# estimator's own `score` (`_PassthroughScorer`), exactly as GridSearchCV built them.
from sklearn.metrics._scorer import _MultimetricScorer, _PassthroughScorer, _Scorer

# The base class of GridSearchCV: PathSearchCV reuses its `_select_best_index`, which a
# subclass of GridSearchCV overriding it can only reach through the base class.
from sklearn.model_selection._search import BaseSearchCV

# GridSearchCV's per-candidate fit and scoring, its error-score handling and its warning on
# failed fits: PathSearchCV calls them for the candidates it cannot fit along a path, so its
# results (and failures) are those of GridSearchCV.
from sklearn.model_selection._validation import _fit_and_score as _sk_fit_and_score
from sklearn.model_selection._validation import (
    _insert_error_scores,
    _score,
    _warn_or_raise_about_fit_failures,
)

# StandardScaler's tests for (near) constant columns and its zero-scale replacement: PathSearchCV
# fits the StandardScaler steps of a Pipeline from a training fold's statistics, with the scale
# a fit on the fold's rows gives.
from sklearn.preprocessing._data import _handle_zeros_in_scale, _is_constant_feature

# Splits X / y (or a precomputed kernel) by index, as cross-validation does; `_safe_indexing`
# takes rows of arrays, sparse matrices and DataFrames alike (RidgeCV's k-fold engine).
from sklearn.utils import _safe_indexing

# The `check_matplotlib_support` helper gives the same error as scikit-learn's own Displays
# when matplotlib is missing.
from sklearn.utils._optional_dependencies import check_matplotlib_support

# Parameter constraints for `_parameter_constraints` (scikit-learn's validation vocabulary).
from sklearn.utils._param_validation import Interval, StrOptions

# Whether metadata routing is on: with routing, fit parameters go through `process_routing`;
# without it, `sample_weight` is passed the legacy way (as scikit-learn's own CV estimators do).
# LassoCV / ElasticNetCV reject extra fit parameters up front when routing is off, with
# scikit-learn's own message, as its LassoCV does.
from sklearn.utils.metadata_routing import _raise_for_params, _routing_enabled
from sklearn.utils.metaestimators import _safe_split

# Input validation helpers of scikit-learn estimators: sample weights (shape, dtype,
# non-negativity), fit parameters indexed by a CV split, sample count, and the
# `n_features_in_` / `feature_names_in_` bookkeeping (used directly for lazy dask arrays, which
# `validate_data` would compute).
from sklearn.utils.validation import (
    _check_feature_names,
    _check_method_params,
    _check_n_features,
    _num_samples,
)
from sklearn.utils.validation import _check_sample_weight as _sk_check_sample_weight

SKLEARN_VERSION = tuple(int(p) for p in sklearn.__version__.split(".")[:2] if p.isdigit())

# scikit-learn >= 1.9: `_fit_and_score(..., caller=, callback_ctx=)` for fit callbacks.
_FIT_AND_SCORE_CALLBACKS = "callback_ctx" in signature(_sk_fit_and_score).parameters


def fit_and_score(*args, caller=None, callback_ctx=None, **kwargs):
    """scikit-learn's `_fit_and_score` (one candidate on one split), with the callback
    arguments passed only to versions that know them."""
    if _FIT_AND_SCORE_CALLBACKS:
        kwargs.update(caller=caller, callback_ctx=callback_ctx)
    return _sk_fit_and_score(*args, **kwargs)


# scikit-learn >= 1.9 rejects all-zero sample weights in `_check_sample_weight` (unless
# `allow_all_zero_weights=True`); before, a fit on them failed later, with a less clear error.
_CHECK_SAMPLE_WEIGHT_ZEROS = "allow_all_zero_weights" in signature(
    _sk_check_sample_weight).parameters


def _check_sample_weight(sample_weight, X, *, allow_all_zero_weights=False, **kwargs):
    """scikit-learn's `_check_sample_weight` (shape, dtype, and non-negativity with
    `ensure_non_negative=True`) with the all-zero check of scikit-learn >= 1.9 on every
    version."""
    if _CHECK_SAMPLE_WEIGHT_ZEROS:
        return _sk_check_sample_weight(sample_weight, X,
                                       allow_all_zero_weights=allow_all_zero_weights, **kwargs)
    sample_weight = _sk_check_sample_weight(sample_weight, X, **kwargs)
    if not allow_all_zero_weights and np.all(sample_weight == 0):
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return sample_weight


class _NoCallbackContext:
    """The callback context of a fit without callbacks (scikit-learn < 1.9): every call is a
    no-op that returns a context like itself."""

    def subcontext(self, *args, **kwargs):
        return self

    def call_on_fit_task_begin(self, *args, **kwargs):
        return self

    def call_on_fit_task_end(self, *args, **kwargs):
        return None

    def propagate_callback_context(self, *args, **kwargs):
        return nullcontext()


def init_callback_context(estimator, **kwargs):
    """The root callback context of `estimator`'s fit (`_init_callback_context`, scikit-learn
    >= 1.9; it carries the callbacks a user set), or one that does nothing on older versions."""
    init = getattr(estimator, "_init_callback_context", None)
    if init is None:
        return _NoCallbackContext()
    return init(**kwargs)


def check_input_parameters(search, X, y, split_params):
    """BaseSearchCV's input-check hook of fit (scikit-learn >= 1.9; nothing before)."""
    check = getattr(search, "_check_input_parameters", None)
    if check is not None:
        check(X=X, y=y, split_params=split_params)


# Private methods of BaseSearchCV that PathSearchCV's path-speed fit reuses, so that its
# scorers, routed parameters, `cv_results_` and best candidate are built by GridSearchCV's code.

def get_scorers(search):
    """The scorers of a search and its refit metric (`BaseSearchCV._get_scorers`)."""
    return search._get_scorers()


def get_routed_params_for_fit(search, params):
    """Fit parameters routed to the estimator, splitter and scorer
    (`BaseSearchCV._get_routed_params_for_fit`)."""
    return search._get_routed_params_for_fit(params)


def format_results(search, candidate_params, n_splits, out, more_results=None):
    """`cv_results_` from the per-split results (`BaseSearchCV._format_results`)."""
    return search._format_results(candidate_params, n_splits, out, more_results)


def check_refit_for_multimetric(search, scores):
    """Refit must name one of several metrics (`BaseSearchCV._check_refit_for_multimetric`)."""
    return search._check_refit_for_multimetric(scores)


def search_n_splits(search, results):
    """The number of CV splits of the fit in progress. scikit-learn >= 1.9 sets `n_splits_`
    before calling `_select_best_index`; older versions set it after, so it is counted from the
    per-split columns of `results` (`split0_test_<metric>`, ...)."""
    n_splits = sum(1 for key in results if key.startswith("split") and "_test_" in key)
    n_metrics = sum(1 for key in results if key.startswith("mean_test_"))
    if n_metrics:
        return n_splits // n_metrics
    return search.n_splits_


def select_best_index(refit, refit_metric, results):
    """GridSearchCV's best candidate (`BaseSearchCV._select_best_index`, a static method)."""
    return BaseSearchCV._select_best_index(refit, refit_metric, results)


# Pipeline's own fit of its steps but the last (`Pipeline._check_method_params`: fit
# parameters routed per step, with or without metadata routing; `Pipeline._fit`: fit_transform
# of each step, memory caching, 'passthrough'; `Pipeline._get_metadata_for_step`: the last
# step's metadata, transformed when `transform_input` says so). PathSearchCV fits the earlier
# steps of a Pipeline exactly as Pipeline.fit would, then solves the last step's path.
_PIPELINE_FIT_CALLBACKS = None


def pipeline_fit_head(pipeline, X, y, params):
    """Fit every step of `pipeline` but the last, as `Pipeline.fit` does (in place). Returns
    (the transformed X, the fit parameters `Pipeline.fit` would pass to the last step)."""
    global _PIPELINE_FIT_CALLBACKS
    if _PIPELINE_FIT_CALLBACKS is None:
        _PIPELINE_FIT_CALLBACKS = "callback_ctx" in signature(type(pipeline)._fit).parameters
    routed = pipeline._check_method_params(method="fit", props=params)
    kwargs = {}
    if _PIPELINE_FIT_CALLBACKS:
        context = init_callback_context(pipeline, max_subtasks=len(pipeline.steps))
        kwargs["callback_ctx"] = context.call_on_fit_task_begin(estimator=pipeline, X=X, y=y)
    Xt = pipeline._fit(X, y, routed, raw_params=params, **kwargs)
    name = pipeline.steps[-1][0]
    step = routed[name]
    if hasattr(pipeline, "_get_metadata_for_step"):
        step = pipeline._get_metadata_for_step(step_idx=len(pipeline) - 1, step_params=step,
                                               all_params=params)
    return Xt, dict(step["fit"])


__all__ = [
    "SKLEARN_VERSION", "BaseSearchCV", "Interval", "StrOptions", "_MultimetricScorer",
    "_PassthroughScorer", "_Scorer", "_check_feature_names", "_check_method_params",
    "_check_n_features", "_check_sample_weight", "_fit_context", "_handle_zeros_in_scale",
    "_insert_error_scores", "_is_constant_feature", "_num_samples", "_raise_for_params",
    "_routing_enabled", "_safe_indexing", "_safe_split", "_score",
    "_warn_or_raise_about_fit_failures", "check_input_parameters", "check_matplotlib_support",
    "check_refit_for_multimetric", "fit_and_score", "format_results", "get_routed_params_for_fit",
    "get_scorers", "init_callback_context", "pipeline_fit_head", "search_n_splits",
    "select_best_index",
]
